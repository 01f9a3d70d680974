"""Fields snapped to a closed world: titles, prefixes, agency words; the number only from the header."""

import pytest

from lake.domain.documents import extract_fields
from lake.domain.documents.closed_world import edit_distance, match_title, snap_agency
from lake.domain.documents.text import Page, Word, straighten, text_slope

from . import texts


@pytest.mark.parametrize(("raw", "title", "prefix"), [
    ("GIAM ĐỌC", "GIÁM ĐỐC", None),          # tone marks lost or swapped
    ("4 GIÁM ĐÓC", "GIÁM ĐỐC", None),        # junk before the title (a prefix read as "4")
    ("Á.CHỦ TỊCH", "CHỦ TỊCH", None),
    ("3 BÍ THƯ", "BÍ THƯ", None),
    ("KT. GIÁM ĐỐC", "GIÁM ĐỐC", "KT."),
    ("K/T BÍ THƯ", "BÍ THƯ", "K/T"),
    ("PHÓ GIÁM ĐÓC", "PHÓ GIÁM ĐỐC", None),
    ("CHANH VAN PHONG", "CHÁNH VĂN PHÒNG", None),
    ("PHÓ CHỦ TICH", "PHÓ CHỦ TỊCH", None),
])
def test_titles_snap_to_the_closed_list(raw, title, prefix):
    hit = match_title(raw)
    assert hit is not None and hit.title == title and hit.prefix == prefix


@pytest.mark.parametrize("raw", ["TM. ỦY BAN NHÂN DÂN", "Trần Hữu Tuấn", "Nơi nhận:", ""])
def test_non_titles_do_not_match(raw):
    assert match_title(raw) is None


def test_exact_title_is_marked_exact():
    assert match_title("PHÓ CHỦ TỊCH").exact and not match_title("PHO CHU TICH").exact


@pytest.mark.parametrize(("raw", "name"), [
    ("SƠ GIAO DỤC VÀ ĐAO TẠO", "SỞ GIÁO DỤC VÀ ĐÀO TẠO"),
    ("ỦY BẠN NHÂN DÂN. ` XÃ ĐÔNG HỘI", "ỦY BAN NHÂN DÂN XÃ ĐÔNG HỘI"),
    ("UBND THÀNH PHÓ ĐÀ NẴNG", "UBND THÀNH PHỐ ĐÀ NẴNG"),
    ("PHONG GIAO DUC VA DAO TAO", "PHÒNG GIÁO DỤC VÀ ĐÀO TẠO"),
])
def test_agency_words_restored(raw, name):
    assert snap_agency(raw).name == name


def test_place_names_are_not_bent_to_a_near_word():
    # "THANH TRÌ" is one letter from "THANH TRA": a place is kept as read unless the caller knows it
    m = snap_agency("ỦY BAN NHÂN DÂN HUYỆN THANH TRÌ")
    assert m.name == "ỦY BAN NHÂN DÂN HUYỆN THANH TRÌ" and not m.known
    assert snap_agency("ỦY BAN NHÂN DÂN HUYỆN THANH TRI", places=["THANH TRÌ"]).name.endswith("THANH TRÌ")
    assert snap_agency("ỦY BAN NHÂN DÂN HUYỆN THANH TRÌ", places=["THANH TRÌ"]).known


def test_edit_distance_is_capped():
    assert edit_distance("GIAMDOC", "GIAMDOC") == 0
    assert edit_distance("GIAMDOC", "GIAMDOK") == 1
    assert edit_distance("A", "ABCDEFG", limit=2) == 3


def _letter(number_line: str, body: list[str], places=()):
    text = texts.nd30_text(
        ["UBND THÀNH PHỐ ĐÀ NẴNG", "SỞ GIÁO DỤC VÀ ĐÀO TẠO", number_line],
        ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "Đà Nẵng, ngày 12 tháng 5 năm 2021"],
        "KẾ HOẠCH", ["Tổ chức kiểm tra công tác văn thư, lưu trữ năm 2021"], body,
        ["- Như trên;", "- Lưu: VT."], ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐÓC", "Trần Hữu Tuấn"],
    )
    return extract_fields([Page.from_ocr(text)], places=places)


def test_number_is_never_taken_from_a_cited_document():
    f = _letter("Số:  /KH-SGDĐT", ["Thực hiện Công văn số 2114/BGDĐT-GDCTHSSV ngày 7/5/2020 của Bộ Giáo dục",
                                   "và Đào tạo, Sở xây dựng kế hoạch như sau."])
    assert f.number.value is None
    assert "number_handwritten" in f.flags
    assert f.symbol.value is None


def test_header_number_and_closed_world_title():
    f = _letter("Số: 1595/KH-SGDĐT", ["Căn cứ Quyết định số 155/QĐ-UBND ngày 05/6/2020 của Ủy ban nhân dân."])
    assert f.number.value == 1595 and f.symbol.value == "1595/KH-SGDĐT"
    assert f.signer_title.value == "PHÓ GIÁM ĐỐC" and f.authority_prefix.value == "KT."
    assert f.issuer.value == "SỞ GIÁO DỤC VÀ ĐÀO TẠO"
    assert f.issuer_parent.value == "UBND THÀNH PHỐ ĐÀ NẴNG"


def test_issuer_outside_the_known_places_is_kept_and_marked():
    f = _letter("Số: 15/KH-SGDĐT", ["Căn cứ ..."], places=("HÀ NỘI", "THANH TRÌ"))
    assert f.issuer.value == "SỞ GIÁO DỤC VÀ ĐÀO TẠO"  # organ words only: known
    assert "issuer_unmatched" not in f.flags
    g = extract_fields([Page.from_ocr(texts.nd30_text(
        ["ỦY BAN NHÂN DÂN", "QUẬN HẢI CHÂU", "Số: 15/KH-UBND"],
        ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "Đà Nẵng, ngày 12 tháng 5 năm 2021"],
        "KẾ HOẠCH", ["Tổ chức kiểm tra"], ["Căn cứ ..."], ["- Lưu: VT."], ["CHỦ TỊCH", "Trần Hữu Tuấn"]))],
        places=("HÀ NỘI", "THANH TRÌ"))
    assert g.issuer.value == "ỦY BAN NHÂN DÂN QUẬN HẢI CHÂU"
    assert "issuer_unmatched" in g.flags and g.issuer.confidence < 0.9


def _line_words(slope: float) -> list[Word]:
    words = []
    for line in range(6):
        for k in range(6):
            x = 200 + k * 300
            y = 300 + line * 60 + slope * x
            words.append(Word(f"w{line}{k}", 95, x, round(y), 200, 30, line=line, block=1, paragraph=1))
    return words


def test_sloped_word_boxes_are_straightened():
    words = _line_words(0.04)  # a photo 2.3 degrees off
    assert text_slope(words) == pytest.approx(0.04, abs=0.005)
    flat = straighten(words, 2200, 1200)
    for line in range(6):
        tops = [w.top for w in flat if w.line == line]
        assert max(tops) - min(tops) <= 2
    assert straighten(_line_words(0.0), 2200, 1200) == _line_words(0.0)


def test_handwritten_day_is_flagged_not_guessed():
    text = texts.nd30_text(
        ["UBND THÀNH PHỐ ĐÀ NẴNG", "SỞ GIÁO DỤC VÀ ĐÀO TẠO", "Số: 15/KH-SGDĐT"],
        ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "Đà Nẵng, ngày ,, tháng 5 năm 2021"],
        "KẾ HOẠCH", ["Tổ chức kiểm tra"], ["Căn cứ ..."], ["- Lưu: VT."], ["GIÁM ĐỐC", "Trần Hữu Tuấn"])
    f = extract_fields([Page.from_ocr(text)])
    assert f.date.value is None and "date_handwritten" in f.flags


def test_handwritten_number_line_variants():
    for line in ("SỞ z TTr-UBND", "Số: 96//UBND-VP", "SỞ /4UBND-NV"):
        f = _letter(line, ["Căn cứ Công văn số 2114/BGDĐT-GDCTHSSV ngày 7/5/2020 của Bộ Giáo dục."])
        assert f.number.value is None and "number_handwritten" in f.flags, line
        assert f.issuer.value == "SỞ GIÁO DỤC VÀ ĐÀO TẠO", line  # the number line is not glued to the issuer


def test_stamp_word_merged_into_a_header_line_is_still_a_secrecy_mark():
    text = texts.nd30_text(
        ["ỦY BAN NHÂN DÂN", "QUẬN 3", "Số: 74/UBND-VP"],
        ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
         "Thành phố Hồ Chí Minh, ngày 27 tháng 5", "MẮT năm 2016"],
        None, ["V/v rà soát hồ sơ đất đai tồn đọng"], ["Căn cứ ..."], ["- Lưu: VT."], ["CHỦ TỊCH", "Bùi Hữu An"])
    f = extract_fields([Page.from_ocr(text)])
    assert f.secrecy.value == "Mật" and f.secrecy.confidence < 0.9  # found, and sent to a reviewer
    twice = texts.nd30_text(["ỦY BAN NHÂN DÂN", "THÀNH PHỐ ĐÀ NẴNG", "Số: 9/TTr-UBND", "MẬT MẶT"],
                            ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
                             "Đà Nẵng, ngày 13 tháng 9 năm 2019"], "TỜ TRÌNH", ["Về việc bổ sung biên chế"],
                            ["Căn cứ ..."], ["- Lưu: VT."], ["CHỦ TỊCH", "Bùi Hữu An"])
    g = extract_fields([Page.from_ocr(twice)])
    assert g.secrecy.value == "Mật" and g.issuer.value == "ỦY BAN NHÂN DÂN THÀNH PHỐ ĐÀ NẴNG"


def test_mat_tran_is_an_organ_not_a_stamp():
    text = texts.nd30_text(
        ["ỦY BAN MẶT TRẬN TỔ QUỐC", "VIỆT NAM HUYỆN ĐÔNG ANH", "Số: 12/KH-MTTQ"],
        ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "Đông Anh, ngày 14 tháng 02 năm 2025"],
        "KẾ HOẠCH", ["Tổ chức hội nghị"], ["Căn cứ ..."], ["- Lưu: VT."], ["CHỦ TỊCH", "Bùi Hữu An"])
    assert extract_fields([Page.from_ocr(text)]).secrecy.value is None
