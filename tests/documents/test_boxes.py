"""Header and closing-block column split from word boxes (Tesseract interleaves the columns in its text)."""

import datetime as dt

import pytest

from lake.domain.documents import extract_fields
from lake.domain.documents.layout import build_zones
from lake.domain.documents.text import column_split
from tests.documents.helpers import W, body_rows, boxed_page, centred_rows, field_values, nd30_header_rows

LEFT = ["ỦY BAN NHÂN DÂN", "HUYỆN GIA LÂM", "PHÒNG NỘI VỤ", "Số: 88/BC-PNV"]
RIGHT = ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "",
         "Gia Lâm, ngày 26 tháng 7 năm 2025"]


def _rows(left=LEFT, right=RIGHT):
    rows = nd30_header_rows(left, right)
    rows += centred_rows(["BÁO CÁO", "Kết quả chỉnh lý tài liệu lưu trữ 6 tháng đầu năm 2025"], 600)
    rows += body_rows(["Thực hiện Kế hoạch số 12/KH-UBND ngày 10/01/2025 của UBND huyện,",
                       "Phòng Nội vụ báo cáo kết quả như sau:"], 800)
    rows += [
        (2600, [(150, "Nơi nhận:"), (1500, "KT. TRƯỞNG PHÒNG")]),
        (2650, [(150, "- UBND huyện;"), (1480, "PHÓ TRƯỞNG PHÒNG")]),
        (2700, [(150, "- Lưu: VT.")]),
        (2950, [(1520, "Ngô Thị Thu Trang")]),
    ]
    return rows


@pytest.mark.parametrize("interleave", [True, False])
def test_header_columns_rebuilt_from_boxes(interleave):
    page = boxed_page(_rows(), interleave=interleave)
    if interleave:
        assert "ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in page.text
    z = build_zones(page, 0, header=True, footer=True)
    assert [ln.text for ln in z.header_left] == LEFT
    assert [ln.text for ln in z.header_right] == [r for r in RIGHT if r]
    assert [ln.text for ln in z.footer_left] == ["Nơi nhận:", "- UBND huyện;", "- Lưu: VT."]
    assert [ln.text for ln in z.footer_right] == ["KT. TRƯỞNG PHÒNG", "PHÓ TRƯỞNG PHÒNG", "Ngô Thị Thu Trang"]


@pytest.mark.parametrize("interleave", [True, False])
def test_fields_from_boxed_page(interleave):
    page = boxed_page(_rows(), interleave=interleave)
    f = extract_fields([page])
    expected = dict(issuer_parent="ỦY BAN NHÂN DÂN HUYỆN GIA LÂM", issuer="PHÒNG NỘI VỤ", symbol="88/BC-PNV",
                    type_name="Báo cáo", date=dt.date(2025, 7, 26), place="Gia Lâm",
                    subject="Kết quả chỉnh lý tài liệu lưu trữ 6 tháng đầu năm 2025",
                    recipients=("UBND huyện", "Lưu: VT"), authority_prefix="KT.", signer_title="PHÓ TRƯỞNG PHÒNG",
                    signer_name="Ngô Thị Thu Trang")
    assert field_values(f, expected) == expected
    # spans carry word indices and char offsets into the page text
    words = [page.words[i].text for i in f.symbol.span.words]
    assert words == ["88/BC-PNV"]
    assert page.text[f.symbol.span.start:f.symbol.span.end] == "88/BC-PNV"
    assert [page.words[i].text for i in f.signer_name.span.words] == ["Ngô", "Thị", "Thu", "Trang"]


def test_word_confidence_lowers_field_confidence():
    hi = extract_fields([boxed_page(_rows(), conf=96)])
    lo = extract_fields([boxed_page(_rows(), conf=55)])
    assert hi.symbol.confidence > 0.9
    assert lo.symbol.confidence < 0.6
    assert lo.symbol.value == hi.symbol.value


def test_column_split_finds_the_gap():
    page = boxed_page(nd30_header_rows(LEFT, RIGHT))
    x = column_split(page.words, range(len(page.words)), W)
    left_right_edge = max(w.right for w in page.words if w.text in ("88/BC-PNV", "VỤ"))
    right_left_edge = min(w.left for w in page.words if w.text in ("CỘNG", "Gia"))
    assert left_right_edge < x < right_left_edge


def test_party_header_with_boxes():
    left = ["ĐẢNG BỘ THÀNH PHỐ HÀ NỘI", "QUẬN ỦY CẦU GIẤY", "*", "Số 36-HD/QU"]
    right = ["ĐẢNG CỘNG SẢN VIỆT NAM", "", "Cầu Giấy, ngày 3 tháng 4 năm 2025"]
    rows = nd30_header_rows(left, right) + centred_rows(["HƯỚNG DẪN", "tổ chức hội nghị"], 600)
    f = extract_fields([boxed_page(rows)])
    expected = dict(layout="hd36", symbol="36-HD/QU", type_name="Hướng dẫn", issuer="QUẬN ỦY CẦU GIẤY",
                    issuer_parent="ĐẢNG BỘ THÀNH PHỐ HÀ NỘI", date=dt.date(2025, 4, 3))
    assert field_values(f, expected) == expected
