"""Post-OCR correction: only marks change, only where a domain phrase or the syllable grammar says so."""

import pytest

from lake.domain.ocr.correct import correct_text, correct_tokens, correct_words, fold


@pytest.mark.parametrize(("raw", "fixed"), [
    ("Dự họp triển khai kế hoạch chuyến đối số", "Dự họp triển khai kế hoạch chuyển đổi số"),
    ("bảo đảm chất lượng hình ảnh, đây đủ dữ liệu đặc tả", "bảo đảm chất lượng hình ảnh, đầy đủ dữ liệu đặc tả"),
    ("toàn bộ hồ SƠ còn tồn đọng", "toàn bộ hồ sơ còn tồn đọng"),
    ("CỘNG HOA XÃ HỘI CHU NGHĨA VIỆT NAM", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
    ("Nơi nhân:", "Nơi nhận:"),
])
def test_marks_restored_from_domain_phrases(raw, fixed):
    assert correct_text(raw) == fixed


@pytest.mark.parametrize("text", [
    "tống đạt quyết định",  # a real word of its own: no domain phrase has these letters
    "Số: 155/QĐ-UBND",  # abbreviations and numbers untouched
    "QUYẾT ĐỊNH",  # headings in capitals stay in capitals
    "Căn cứ Luật Tổ chức chính quyền địa phương",
])
def test_left_alone(text):
    assert correct_text(text) == text


def test_only_marks_change_never_letters():
    raw = "kế hoạch chuyến đối số của hồ SƠ, tống kết"
    fixed = correct_text(raw)
    assert fold(fixed).upper() == fold(raw).upper()


def test_words_keep_their_count_and_alignment():
    raw = [("Dự", 0), ("họp", 0), ("chuyến", 0), ("đối", 0), ("số.", 0), ("Nơi", 1), ("nhân:", 1)]
    words = [{"text": t, "line": line} for t, line in raw]
    assert correct_words(words) == ["Dự", "họp", "chuyển", "đổi", "số.", "Nơi", "nhận:"]
    assert correct_tokens([]) == []


def test_extra_phrases_from_the_caller():
    assert correct_text("xã Đông Hôi", extra_phrases=["xã Đông Hội"]) == "xã Đông Hội"
