import pytest

from lake.domain.documents import Page, group_pages, grouping_scores, page_features
from tests.documents import texts
from tests.documents.helpers import body_rows, boxed_page, nd30_header_rows

FIRST_QD = "\n".join(texts.QD_CLEAN.split("\n")[:17])
MIDDLE = "2\nĐiều 2. Giao Sở Nội vụ chủ trì, phối hợp với các sở, ngành triển khai thực hiện.\n" \
    "Điều 3. Hiệu lực thi hành ...\n"
LAST = "3\nChánh Văn phòng UBND Thành phố chịu trách nhiệm thi hành./.\n" \
    "Nơi nhận:\n- Như Điều 3;\n- Lưu: VT.\n" \
    "TM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH\n\nTrần Sỹ Thanh\n"
ANNEX = "PHỤ LỤC\nDanh mục tài liệu số hóa\n(Kèm theo Quyết định số 155/QĐ-UBND ngày 05/6/2025)\n" \
    "1. Hồ sơ nhiệm kỳ HĐND ...\n"
BLANK = "  \n"


def test_features_first_middle_last():
    f1 = page_features(FIRST_QD)
    assert f1.has_number_line and f1.has_motto and f1.has_place_date and f1.has_type_title
    assert f1.has_header_block and f1.has_subject_line
    assert f1.start_score >= 0.9
    m = page_features(MIDDLE)
    assert m.page_number == 2 and m.start_score == 0 and m.end_score == 0
    last = page_features(LAST)
    assert last.has_signature_block and last.has_recipients and last.page_number == 3
    assert page_features(BLANK).is_blank
    assert page_features(ANNEX).is_annex
    party = page_features(texts.NQ_PARTY)
    assert party.has_party_line and party.has_number_line and not party.has_motto
    assert party.has_signature_block


def test_features_with_word_boxes():
    rows = nd30_header_rows(["UBND HUYỆN MÊ LINH", "Số: 12/TB-UBND"],
                            ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Mê Linh, ngày 1 tháng 3 năm 2025"])
    rows += body_rows(["Nội dung thông báo ..."], 900)
    page = boxed_page(rows)
    f = page_features(page.text, page.words, page.width, page.height)
    assert f.has_number_line and f.has_motto and f.has_place_date


def test_group_pages_detects_starts_and_ends():
    pages = [FIRST_QD, MIDDLE, LAST, texts.CV_UBND, texts.NQ_PARTY, FIRST_QD, LAST, ANNEX]
    got = group_pages([Page.from_ocr(t) for t in pages])
    assert got == [[0, 1, 2], [3], [4], [5, 6, 7]]


def test_group_after_signature_without_header_starts_new_document():
    note = "Bản ghi nhớ viết tay về buổi làm việc ngày 12 tháng 6\nnội dung ...\n"
    pages = [texts.CV_UBND, note, texts.CV_SO]
    assert group_pages(pages) == [[0], [1], [2]]


def test_blank_page_stays_with_its_document():
    assert group_pages([FIRST_QD, BLANK, LAST, texts.CV_SO]) == [[0, 1, 2], [3]]


def test_group_pages_with_inventory_boundaries():
    pages = [FIRST_QD, MIDDLE, LAST, texts.CV_UBND, texts.NQ_PARTY]
    # the inventory says pages 0-2 and 3-4 (e.g. a letter and its enclosure): boundaries are trusted
    assert group_pages(pages, boundaries=[(3, 4), (0, 2)]) == [[0, 1, 2], [3, 4]]
    # pages outside the boundaries are grouped by detection
    assert group_pages(pages, boundaries=[(0, 2)]) == [[0, 1, 2], [3], [4]]


@pytest.mark.parametrize("bad", [[(0, 5)], [(0, 2), (2, 3)], [(-1, 0)]])
def test_bad_boundaries_raise(bad):
    with pytest.raises(ValueError):
        group_pages([FIRST_QD, MIDDLE, LAST, texts.CV_UBND], boundaries=bad)


def test_grouping_scores():
    truth = [[0, 1, 2], [3], [4, 5]]
    perfect = grouping_scores(truth, truth)
    assert perfect.pair_f1 == 1.0 and perfect.page_accuracy == 1.0 and perfect.exact_documents == 1.0
    merged = grouping_scores([[0, 1, 2, 3], [4, 5]], truth)
    assert merged.pair_recall == 1.0
    assert merged.pair_precision == pytest.approx(4 / 7)
    assert merged.boundary_recall == pytest.approx(2 / 3) and merged.boundary_precision == 1.0
    assert merged.exact_documents == pytest.approx(1 / 3)
    assert merged.page_accuracy == pytest.approx(2 / 6)
    split = grouping_scores([[0], [1, 2], [3], [4, 5]], truth)
    assert split.pair_precision == 1.0 and split.pair_recall == pytest.approx(2 / 4)
    with pytest.raises(ValueError):
        grouping_scores([[0, 1]], [[0, 1, 2]])
