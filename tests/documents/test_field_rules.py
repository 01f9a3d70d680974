"""Rules that keep fields right on scans the generator never made (NĐ 30/2020 layout; own examples)."""

import pytest

from lake.domain.documents import extract_fields
from lake.domain.documents.closed_world import snap_person_name
from lake.domain.documents.text import Page

from . import texts

RIGHT = ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "Hà Nội, ngày 3 tháng 4 năm 2022"]


def _doc(number_line: str = "Số: 214/TB-UBND", signature=("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Lê Minh Tâm"),
         left=("ỦY BAN NHÂN DÂN", "HUYỆN GIA LÂM"), title="THÔNG BÁO"):
    text = texts.nd30_text([*left, number_line], RIGHT, title, ["Kết luận cuộc họp giao ban tháng 3"],
                           ["Căn cứ Quyết định số 12/QĐ-UBND ngày 5/1/2022 của Ủy ban nhân dân huyện;"],
                           ["- Như trên;", "- Lưu: VT."], list(signature))
    return extract_fields([Page.from_ocr(text)])


# --- signer names by the structure of Vietnamese names -------------------------------------------------

@pytest.mark.parametrize(("raw", "name", "repaired"), [
    ("Nguyễn Thị Lan", "Nguyễn Thị Lan", False),
    ("Nguyen Thị Lan", "Nguyễn Thị Lan", True),        # family name's tone marks lost
    ("Trần Vắn Bình", "Trần Văn Bình", True),          # middle name's mark misread
    ("Đô-Quang Hưng", "Đỗ Quang Hưng", True),         # a seal's stroke read as a hyphen
    ("«Vũ Đức Thịnh", "Vũ Đức Thịnh", True),          # a mark left by the seal
    ("Hoàng Anh Tuấn Kiệt", "Hoàng Anh Tuấn Kiệt", False),
])
def test_names_follow_family_and_middle_name_lists(raw, name, repaired):
    hit = snap_person_name(raw)
    assert hit is not None and hit.name == name and hit.repaired == repaired and hit.family_known


@pytest.mark.parametrize("raw", ["Như trên;", "CHỦ TỊCH", "Nguyễn", "Lưu: VT.", "Nguyễn văn 3"])
def test_non_names_are_refused(raw):
    assert snap_person_name(raw) is None


def test_a_repaired_signer_name_goes_to_review_and_a_clean_one_does_not():
    # (plain-text pages: the OCR factor is 0.9, so a clean reading scores 0.95 x 0.9)
    clean = _doc(signature=("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Lê Minh Tâm"))
    assert clean.signer_name.value == "Lê Minh Tâm" and "signer_name_repaired" not in clean.flags
    damaged = _doc(signature=("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Le Mính Tâm"))
    assert damaged.signer_name.value == "Lê Minh Tâm" and "signer_name_repaired" in damaged.flags
    assert damaged.signer_name.confidence < 0.8 < clean.signer_name.confidence


def test_marks_glued_to_the_signature_lines_are_dropped():
    f = _doc(signature=("~KT. CHỦ TỊCH", ".`PHÓ CHỦ TỊCH", "ˆ Lê Minh Tâm"))
    assert f.authority_prefix.value == "KT." and f.signer_title.value == "PHÓ CHỦ TỊCH"
    assert f.signer_name.value == "Lê Minh Tâm"


def test_of_two_title_lines_the_second_is_the_signers():
    # the authority line's prefix was not read ("#." for KT.): the title is the line above the name
    f = _doc(signature=("#. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Lê Minh Tâm"))
    assert f.signer_title.value == "PHÓ CHỦ TỊCH" and "authority_prefix_unread" in f.flags
    assert not f.authority_prefix.found


@pytest.mark.parametrize("line", ["K7, CHỦ TỊCH", "K1. CHỦ TỊCH", "Kĩ. CHỦ TỊCH"])
def test_kt_with_its_t_read_as_a_digit_is_read_for_review(line):
    f = _doc(signature=(line, "PHÓ CHỦ TỊCH", "Lê Minh Tâm"))
    assert f.authority_prefix.value == "KT." and f.authority_prefix.confidence < 0.9
    assert f.signer_title.value == "PHÓ CHỦ TỊCH"


def test_a_title_without_pho_under_kt_is_doubtful():
    # ký thay: a deputy signs; "CHỦ TỊCH" under KT. means PHÓ was lost
    f = _doc(signature=("KT. CHỦ TỊCH", "CHỦ TỊCH", "Lê Minh Tâm"))
    assert "signer_title_doubtful" in f.flags and f.signer_title.confidence <= 0.6
    g = _doc(signature=("KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Lê Minh Tâm"))
    assert "signer_title_doubtful" not in g.flags


# --- number and symbol from the header's own line ---------------------------------------------------

@pytest.mark.parametrize(("line", "number", "symbol"), [
    ("Số: 2147TB-UBND", 214, "214/TB-UBND"),   # the slash read as a 7
    ("Số: 2141TB-UBND", 214, "214/TB-UBND"),   # ... or as a 1
    ("Số: 214TB-UBND", 214, "214/TB-UBND"),    # ... or lost
])
def test_a_misread_slash_is_read_and_sent_to_review(line, number, symbol):
    f = _doc(line)
    assert f.number.value == number and f.symbol.value == symbol
    assert f.number.confidence < 0.9 and f.symbol.confidence < 0.9 and "number_uncertain" in f.flags


def test_a_clean_number_line_stays_certain():
    f = _doc("Số: 214/TB-UBND")
    assert f.number.value == 214 and f.number.confidence > 0.8 and "number_uncertain" not in f.flags


def test_a_junk_mark_where_the_number_was_written_is_handwritten_and_not_the_issuer():
    f = _doc("Số: %TB-UBND")
    assert f.number.value is None and "number_handwritten" in f.flags
    assert f.issuer.value == "ỦY BAN NHÂN DÂN HUYỆN GIA LÂM"


def test_a_damaged_party_number_line_is_not_read_as_the_issuer():
    f = _doc("Số ¡85#TB/HU", left=("ĐẢNG BỘ THÀNH PHỐ HÀ NỘI", "HUYỆN ỦY GIA LÂM"), title="THÔNG BÁO")
    assert f.issuer.value == "HUYỆN ỦY GIA LÂM" and f.issuer_parent.value == "ĐẢNG BỘ THÀNH PHỐ HÀ NỘI"


def test_a_type_abbreviation_one_letter_off_is_repaired_when_the_title_agrees():
    f = _doc("Số: 45/TIr-UBND", title="TỜ TRÌNH")
    assert f.symbol.value == "45/TTr-UBND" and f.symbol.confidence < 0.9
    g = _doc("Số: 45/TIr-UBND", title="THÔNG BÁO")  # the title does not vouch for it: not bent to TTr
    assert g.symbol.value != "45/TTr-UBND"


# --- issuer ------------------------------------------------------------------------------------------

def test_a_ruined_line_under_the_parent_sends_the_issuer_to_review():
    # a Sở under UBND Thành phố; the Sở's line is covered by a stamp: what is left is the parent's name
    f = _doc("Số: 37/TB-SNV", left=("UBND THÀNH PHỐ HÀ NỘI", "SỞ NỘI kqe 2h vụ"))
    assert f.issuer.confidence < 0.9 and "issuer_damaged" in f.flags
    g = _doc("Số: 37/TB-SNV", left=("UBND THÀNH PHỐ HÀ NỘI", "SỞ NỘI VỤ"))
    assert g.issuer.value == "SỞ NỘI VỤ" and "issuer_damaged" not in g.flags
    assert f.issuer.confidence <= 0.6 < g.issuer.confidence


def test_closing_block_found_when_a_seal_merges_its_lines():
    """A seal's tall mark overlapping "Nơi nhận:" and "- Như trên;" merges them into one visual line; the
    closing block is still found from the words "Nơi" "nhận:" in reading order."""
    from tests.documents.helpers import H, W, body_rows, centred_rows, nd30_header_rows

    rows = nd30_header_rows(["ỦY BAN NHÂN DÂN", "HUYỆN GIA LÂM", "Số: 214/TB-UBND"], RIGHT)
    rows += centred_rows(["THÔNG BÁO", "Kết luận cuộc họp giao ban tháng 3"], 700)
    rows += body_rows(["Căn cứ Quyết định số 12/QĐ-UBND ngày 5/1/2022 của Ủy ban nhân dân huyện;"], 1000)
    words = []

    def put(x, y, text, h=48):
        for tok in text.split():
            words.append({"text": tok, "conf": 95.0, "left": x, "top": y, "width": 24 * len(tok), "height": h,
                          "block": 1, "par": 1, "line": y})
            x += 24 * (len(tok) + 1)

    for y, segs in rows:
        for x, seg in segs:
            put(x, y, seg)
    put(250, 2600, "Nơi nhận:")
    put(250, 2660, "- Như trên;")
    put(250, 2720, "- Lưu: VT.")
    put(1180, 2590, "#§", h=150)  # the seal's mark, three lines tall, between the columns
    put(1500, 2600, "TM. ỦY BAN NHÂN DÂN")
    put(1600, 2660, "CHỦ TỊCH")
    put(1550, 3000, "Lê Minh Tâm")
    text = "\n".join(w["text"] for w in words)
    f = extract_fields([Page.from_ocr(text, words, W, H)])
    assert f.signer_name.value == "Lê Minh Tâm"
    assert f.signer_title.value == "CHỦ TỊCH" and f.authority_prefix.value == "TM."


def test_an_issuer_with_a_word_in_small_letters_is_damaged():
    f = _doc("Số: 37/TB-SNV", left=("UBND THÀNH PHỐ HÀ NỘI", "SỞ NỘI Một"))
    assert "issuer_damaged" in f.flags and f.issuer.confidence <= 0.6


def test_an_acting_heads_title_keeps_its_q():
    from tests.documents.helpers import body_rows, boxed_page, centred_rows, nd30_header_rows

    rows = nd30_header_rows(["UBND HUYỆN GIA LÂM", "PHÒNG NỘI VỤ", "Số: 21/BC-NV"], RIGHT)
    rows += centred_rows(["BÁO CÁO", "Kết quả công tác tháng 3"], 700)
    rows += body_rows(["Thực hiện Kế hoạch số 12/KH-UBND ngày 5/1/2022 của Ủy ban nhân dân huyện;"], 1000)
    rows += [(2600, [(250, "Nơi nhận:"), (1500, "Q. TRƯỞNG PHÒNG")]), (2660, [(250, "- Lưu: VT.")]),
             (3000, [(1550, "Lê Minh Tâm")])]
    f = extract_fields([boxed_page(rows)])
    assert f.authority_prefix.value == "Q." and f.signer_title.value == "Q. TRƯỞNG PHÒNG"


# --- a giấy's labelled fields are never its subject ----------------------------------------------------

@pytest.mark.parametrize("first", ["Người ủy quyền: Ông (bà) Đào Đức Cường, trưởng phòng.",
                                   "Trân trọng giới thiệu: Ông Nguyễn Văn Bình, chuyên viên.",
                                   "Họ và tên: Lê Thị Hoa",
                                   "Ủy ban nhân dân quận Ba Đình trân trọng giới thiệu: Ông (bà): Khuất Minh Việt"])
def test_a_giay_field_line_under_the_title_is_not_a_subject(first):
    text = texts.nd30_text(["ỦY BAN NHÂN DÂN", "HUYỆN GIA LÂM", "Số: 12/GUQ-UBND"], RIGHT, "GIẤY ỦY QUYỀN",
                           [first, "Nội dung ủy quyền: Ký các văn bản hướng dẫn chuyên môn."],
                           ["Thời hạn ủy quyền: Từ ngày 3/4/2022 đến hết ngày 31/12/2022."],
                           ["- Như trên;", "- Lưu: VT."], ["CHỦ TỊCH", "Lê Minh Tâm"])
    f = extract_fields([Page.from_ocr(text)])
    subject = f.subject.value if f.subject else None
    assert not subject or ("Ông" not in subject and "Họ và tên" not in subject)


def test_a_typed_subject_is_still_read_under_the_title():
    assert _doc().subject.value.startswith("Kết luận cuộc họp giao ban")


def test_an_urgency_stamp_under_the_vv_line_is_not_part_of_the_subject():
    text = texts.nd30_text(["QUẬN ỦY BA ĐÌNH", "Số 268-CV/QU", "V/v triển khai việc học tập và làm theo",
                            "tư tưởng, đạo đức, phong cách Hồ Chí Minh", "THƯỢNG KHẨN"], RIGHT, None, [],
                           ["Kính gửi: Các phòng, ban, ngành, đoàn thể", "Thực hiện Kế hoạch số 215-KH/TU."],
                           ["- Như trên;", "- Lưu: VT."], ["T/M BAN THƯỜNG VỤ", "BÍ THƯ", "Lê Minh Tâm"])
    f = extract_fields([Page.from_ocr(text)])
    assert f.subject.value == "V/v triển khai việc học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh"
    assert f.urgency is not None and f.urgency.value == "Thượng khẩn"
