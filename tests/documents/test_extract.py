import datetime as dt

import pytest

from lake.domain.documents import DATE_DIGIT_SUSPECT, ND30_TYPES, Page, extract_fields
from tests.documents import texts
from tests.documents.helpers import field_values


def _one(text: str, **kw):
    return extract_fields([Page.from_ocr(text)], **kw)


# the fields read from each sample page of tests/documents/texts.py
SAMPLE_FIELDS = [
    pytest.param(texts.QD_CLEAN, dict(
        layout="nd30", type_name="Quyết định", type_abbr="QĐ", number=155, symbol="155/QĐ-UBND", issuer_abbr="UBND",
        date=dt.date(2025, 6, 5), place="Hà Nội", issuer="ỦY BAN NHÂN DÂN THÀNH PHỐ HÀ NỘI", issuer_parent=None,
        authority_prefix="KT.", signer_title="PHÓ CHỦ TỊCH", signer_name="Nguyễn Trọng Đông",
        recipients=("Như Điều 3", "Thường trực Thành ủy", "Chủ tịch UBND Thành phố", "Lưu: VT, KSTTHC"),
        secrecy=None, urgency=None), id="quyet_dinh_clean"),
    pytest.param(texts.QD_DAMAGED, dict(
        symbol="155/QĐ-UBND", type_abbr="QĐ",
        type_name="Quyết định",  # QUYÉT: tone-mark damage in the title
        date=dt.date(2025, 6, 5), place="Hà Nội", issuer="ỦY BAN NHÂN DÂN THÀNH PHỐ HÀ NỘI", layout="nd30",
        signer_name="Nguyễn Trọng Đông"), id="quyet_dinh_damaged_and_interleaved"),
    pytest.param(texts.CV_UBND, dict(
        type_name="Công văn", type_abbr=None, symbol="4869/UBND-SYT", issuer_abbr="UBND-SYT", number=4869,
        subject="V/v triển khai công tác phòng, chống dịch bệnh mùa hè năm 2025", date=dt.date(2025, 7, 26),
        authority_prefix="TL.", signer_title="CHÁNH VĂN PHÒNG", signer_name="Lê Thị Hồng Hạnh",
        recipients=("Như trên", "Lưu: VT, SYT")), id="cong_van_of_ubnd"),
    pytest.param(texts.CV_SO, dict(
        issuer_parent="UBND THÀNH PHỐ HÀ NỘI", issuer="SỞ GIÁO DỤC VÀ ĐÀO TẠO", symbol="1906/SGDĐT-CTrTT",
        number=1906, type_name="Công văn", subject="V/v hướng dẫn tuyển sinh lớp 10 năm học 2025-2026",
        date=dt.date(2025, 4, 2), authority_prefix="KT.", signer_title="PHÓ GIÁM ĐỐC", signer_name="Phạm Văn Đại"),
        id="cong_van_of_department_with_parent_and_spaced_symbol"),
    pytest.param(texts.NQ_PARTY, dict(
        layout="hd36", symbol="12-NQ/HU", number=12, type_abbr="NQ", type_name="Nghị quyết", issuer_abbr="HU",
        issuer="HUYỆN ỦY SÓC SƠN", issuer_parent="ĐẢNG BỘ THÀNH PHỐ HÀ NỘI", place="Sóc Sơn",
        date=dt.date(2025, 3, 12), subject="về lãnh đạo thực hiện sắp xếp đơn vị hành chính cấp xã",
        authority_prefix="T/M", signer_title="BÍ THƯ", signer_name="Trần Văn Bình"), id="party_resolution_hd36"),
    pytest.param(texts.CV_PARTY, dict(
        layout="hd36", symbol="245-CV/ĐU", type_name="Công văn", type_abbr="CV", issuer="ĐẢNG ỦY XÃ VIỆT HÙNG",
        issuer_parent="ĐẢNG BỘ HUYỆN ĐÔNG ANH", subject="V/v chuẩn bị Đại hội đảng bộ các chi bộ", place="Việt Hùng",
        authority_prefix="K/T", signer_title="PHÓ BÍ THƯ", signer_name="Đỗ Thị Mai"), id="party_cong_van"),
    pytest.param(texts.TTR_STAMPED, dict(
        secrecy="Mật", urgency="Khẩn", symbol="368/TTr-UBND", type_abbr="TTr", type_name="Tờ trình",
        date=dt.date(2025, 6, 5), place="Hoàn Kiếm", issuer="ỦY BAN NHÂN DÂN QUẬN HOÀN KIẾM",
        authority_prefix="TM.", signer_title="CHỦ TỊCH", signer_name="Vũ Đăng Định"),
        id="stamps_ttr_and_numeric_date"),
]


@pytest.mark.parametrize(("text", "expected"), SAMPLE_FIELDS)
def test_fields_of_the_sample_pages(text, expected):
    assert field_values(_one(text), expected) == expected


def test_quyet_dinh_clean_subject_and_no_flags():
    f = _one(texts.QD_CLEAN)
    assert f.subject.value.startswith("Về việc phê duyệt Đề án xây dựng cơ sở dữ liệu")
    assert f.subject.value.endswith("trên địa bàn Thành phố Hà Nội")
    assert f.flags == []


def test_quyet_dinh_damaged_symbol_keeps_what_was_read():
    assert _one(texts.QD_DAMAGED).symbol.raw == "155/QD-UBND"


def test_party_resolution_first_recipient():
    assert _one(texts.NQ_PARTY).recipients.value[0] == "Ban Thường vụ Thành ủy (để b/c)"


def test_spans_point_into_the_page_text():
    f = _one(texts.QD_CLEAN)
    t = texts.QD_CLEAN
    assert t[f.symbol.span.start:f.symbol.span.end] == "155/QĐ-UBND"
    assert t[f.number.span.start:f.number.span.end] == "155"
    assert t[f.date.span.start:f.date.span.end] == "ngày 05 tháng 6 năm 2025"
    assert t[f.place.span.start:f.place.span.end] == "Hà Nội"
    assert t[f.signer_name.span.start:f.signer_name.span.end] == "Nguyễn Trọng Đông"
    assert t[f.type_name.span.start:f.type_name.span.end] == "QUYẾT ĐỊNH"
    assert all(v.span.page == 0 for v in (f.symbol, f.date, f.signer_name))


def test_confidences_are_in_range_and_lower_when_repaired():
    clean, damaged = _one(texts.QD_CLEAN), _one(texts.QD_DAMAGED)
    for name in clean.FIELD_NAMES:
        assert 0.0 <= getattr(clean, name).confidence <= 1.0
    assert damaged.symbol.confidence < clean.symbol.confidence
    assert damaged.date.confidence < clean.date.confidence


def _typed(abbr: str, title: str, number_line: str | None = None, date_line: str | None = None,
           stamp: str | None = None) -> str:
    left = ["ỦY BAN NHÂN DÂN", "HUYỆN ĐÔNG ANH", number_line or f"Số: 27/{abbr}-UBND"]
    if stamp:
        left.append(stamp)
    return texts.nd30_text(
        left,
        [*texts.MOTTO, date_line or "Đông Anh, ngày 14 tháng 02 năm 2025"],
        title, ["Về việc tổ chức thực hiện nhiệm vụ năm 2025"], ["Căn cứ ..."],
        ["- Như trên;", "- Lưu: VT."], ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Hoàng Văn Hải"],
    )


@pytest.mark.parametrize("t", ND30_TYPES, ids=lambda t: t.abbr)
def test_every_nd30_type(t):
    f = _one(_typed(t.abbr, t.title))
    expected = dict(type_abbr=t.abbr, type_name=t.name, symbol=f"27/{t.abbr}-UBND", number=27,
                    date=dt.date(2025, 2, 14), place="Đông Anh", issuer="ỦY BAN NHÂN DÂN HUYỆN ĐÔNG ANH",
                    subject="Về việc tổ chức thực hiện nhiệm vụ năm 2025", signer_name="Hoàng Văn Hải")
    assert field_values(f, expected) == expected
    assert "type_symbol_mismatch" not in f.flags


@pytest.mark.parametrize("number_line", [
    "Số: 27/QÐ-UBND",  # U+00D0 ETH for Đ
    "Số: 27/Qđ-UBND", "Số: 27/QD-UBND", "Sô: 27/QĐ-UBND", "S6: 27/QĐ-UBND", "SỐ: 27/QĐ-UBND", "Số:27/QĐ-UBND",
    "Số: 27 / QĐ - UBND", "Số: 27/QĐ – UBND",
    "27/QĐ-UBND",  # "Số:" lost entirely
    "Số: 27/QĐ-UBND.",
])
def test_number_line_ocr_variants(number_line):
    f = _one(_typed("QĐ", "QUYẾT ĐỊNH", number_line=number_line))
    assert f.symbol.value == "27/QĐ-UBND"
    assert f.type_abbr.value == "QĐ"
    assert f.number.value == 27


@pytest.mark.parametrize(
    ("abbr_raw", "title", "expected"),
    [
        ("TTR", "TỜ TRÌNH", "TTr"),
        ("Ttr", "TỜ TRÌNH", "TTr"),
        ("CTR", "CHƯƠNG TRÌNH", "CTr"),
        ("QYĐ", "QUY ĐỊNH", "QyĐ"),
        ("QyD", "QUY ĐỊNH", "QyĐ"),
        ("HD", "HƯỚNG DẪN", "HD"),
        ("HD", "HỢP ĐỒNG", "HĐ"),  # stroke lost on Đ: the title decides
        ("HÐ", "HỢP ĐỒNG", "HĐ"),
        ("DA", "ĐỀ ÁN", "ĐA"),
        ("DA", "DỰ ÁN", "DA"),
        ("CD", "CÔNG ĐIỆN", "CĐ"),
        ("kh", "KẾ HOẠCH", "KH"),
    ],
)
def test_abbreviation_damage(abbr_raw, title, expected):
    f = _one(_typed(abbr_raw, title))
    assert f.type_abbr.value == expected
    assert f.symbol.value == f"27/{expected}-UBND"


# OCR variants of the place-and-date line: the date read and the place before it
@pytest.mark.parametrize(("date_line", "expected", "place"), [
    ("Đông Anh, ngày 05 tháng 6 năm 2025", dt.date(2025, 6, 5), "Đông Anh"),
    ("Đông Anh, ngày 5 tháng 6 năm 2025", dt.date(2025, 6, 5), "Đông Anh"),
    *((line, dt.date(2025, 7, 26), "Đông Anh") for line in (
        "Đông Anh, ngày 26tháng 7 năm 2025", "Đông Anh, ngày 26 tháng7 năm2025",
        "Đông Anh, ngay 26 thang 7 nam 2025", "Đông Anh, ngảy 26 thảng 7 nằm 2025")),
    ("Đông Anh,ngày 1 tháng 12 năm 2024", dt.date(2024, 12, 1), "Đông Anh"),
    *((line, dt.date(2025, 7, 26), "Đông Anh") for line in (
        "Đông Anh, 26/7/2025", "Đông Anh, ngày 26/07/2025", "Đông Anh, ngày 26.7.2025",
        "Đông Anh, ngày 26 tháng 7 năm 2O25")),
    ("Hả Nội, ngày 26 tháng 7 năm 2025", dt.date(2025, 7, 26), "Hà Nội"),
])
def test_place_date_variants(date_line, expected, place):
    f = _one(_typed("KH", "KẾ HOẠCH", date_line=date_line))
    assert f.date.value == expected
    assert f.place.value == place


def test_invalid_date_is_flagged_not_guessed():
    f = _one(_typed("KH", "KẾ HOẠCH", date_line="Đông Anh, ngày 31 tháng 2 năm 2025"))
    assert f.date.value is None
    assert "date_invalid" in f.flags


@pytest.mark.parametrize(
    ("stamp", "field", "value"),
    [("MẬT", "secrecy", "Mật"), ("TỐI MẬT", "secrecy", "Tối mật"), ("TUYỆT MẬT", "secrecy", "Tuyệt mật"),
     ("KHẨN", "urgency", "Khẩn"), ("THƯỢNG KHẨN", "urgency", "Thượng khẩn"),
     ("HỎA TỐC", "urgency", "Hỏa tốc"),
     ("HOẢ TỐC", "urgency", "Hỏa tốc"), ("TÓI MẬT", "secrecy", "Tối mật")],
)
def test_stamps(stamp, field, value):
    f = _one(_typed("TB", "THÔNG BÁO", stamp=stamp))
    assert getattr(f, field).value == value
    other = "urgency" if field == "secrecy" else "secrecy"
    assert getattr(f, other).value is None


def test_year_digit_swap_flagged_against_record_range():
    text = _typed("QĐ", "QUYẾT ĐỊNH", date_line="Đông Anh, ngày 14 tháng 02 năm 2015")
    f = _one(text, record_range=(dt.date(2019, 1, 1), dt.date(2019, 12, 31)))
    assert f.date.value == dt.date(2015, 2, 14)  # kept as read, not corrected
    assert DATE_DIGIT_SUSPECT in f.flags
    assert f.date.confidence < _one(text).date.confidence
    ok = _one(text, record_range=(dt.date(2015, 1, 1), dt.date(2015, 12, 31)))
    assert ok.flags == []


def test_multi_page_document_header_first_signature_last():
    first = "\n".join(texts.QD_CLEAN.split("\n")[:17])  # header, title, subject, start of body
    last = "2\nĐiều 3. Chánh Văn phòng UBND Thành phố ... chịu trách nhiệm thi hành Quyết định này./.\n" \
        + "Nơi nhận:\n- Như Điều 3;\n- Lưu: VT.\nTM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH\nTrần Sỹ Thanh\n"
    f = extract_fields([Page.from_ocr(first), Page.from_ocr("Điều 2. Tổ chức thực hiện ...\n"),
                        Page.from_ocr(last)])
    assert f.symbol.value == "155/QĐ-UBND"
    assert f.signer_name.value == "Trần Sỹ Thanh"
    assert f.signer_name.span.page == 2
    assert f.symbol.span.page == 0
    assert f.recipients.value == ("Như Điều 3", "Lưu: VT")


def test_missing_everything_is_flagged():
    f = _one("trang trắng\n")
    assert f.number.value is None and f.number.confidence == 0.0
    assert {"number_not_found", "date_not_found", "signer_not_found"} <= set(f.flags)
    assert extract_fields([]).flags == ["no_pages"]


def test_to_record_is_flat():
    rec = _one(texts.QD_CLEAN).to_record()
    assert rec["symbol"] == "155/QĐ-UBND"
    assert rec["date"] == dt.date(2025, 6, 5)
    assert isinstance(rec["recipients"], list)
    assert "symbol_confidence" in rec and "signer_name_start" in rec


def test_closing_block_interleaved_in_plain_text():
    text = texts.nd30_text(
        ["ỦY BAN NHÂN DÂN", "XÃ PHÙ ĐỔNG", "Số: 15/TB-UBND"],
        ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Phù Đổng, ngày 9 tháng 1 năm 2025"],
        "THÔNG BÁO", ["Kết luận của Chủ tịch UBND xã tại cuộc họp giao ban"], ["Ngày 08/01/2025, ..."],
        [], [],
    ).replace("Nơi nhận:\n",
              "Nơi nhận: TM. ỦY BAN NHÂN DÂN\n- Đảng ủy xã; CHỦ TỊCH\n- Lưu: VT.\n\nBùi Văn Tuấn\n")
    f = _one(text)
    assert f.recipients.value == ("Đảng ủy xã", "Lưu: VT")
    assert (f.authority_prefix.value, f.signer_title.value, f.signer_name.value) == (
        "TM.", "CHỦ TỊCH", "Bùi Văn Tuấn")
    assert f.issuer.value == "ỦY BAN NHÂN DÂN XÃ PHÙ ĐỔNG"
