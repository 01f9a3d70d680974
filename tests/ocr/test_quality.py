import numpy as np
import pytest
from PIL import Image

from lake.domain.ocr.quality import assess, garbage_share

from .conftest import BODY_LINES, BODY_TEXT, render_lines


def test_good_text():
    q = assess(BODY_TEXT, ink_pixels=120_000, dpi=300, mean_confidence=96)
    assert q.quality_class == "good" and q.reasons == []
    assert q.valid_syllable_share == 1.0


def test_empty_output_with_ink_is_bad_whatever_the_confidence():
    q = assess("", ink_pixels=120_000, dpi=300, mean_confidence=95.0)
    assert q.quality_class == "bad" and "empty" in q.reasons


def test_blank_page_is_flagged_not_good():
    q = assess("", ink_pixels=0, dpi=300)
    assert q.quality_class == "suspect" and q.reasons == ["blank"]


def test_too_short_for_ink():
    q = assess(BODY_LINES[0], ink_pixels=120_000, dpi=300, mean_confidence=96)
    assert q.quality_class in ("suspect", "bad")
    assert any(r.startswith("too_short_for_ink") for r in q.reasons)


def test_low_valid_syllables_and_garbage():
    garbled = "Cźn cừ Lụât Tồ chửcc chịnh qưyền đĩạ phươnq ngàỳ thảnq nam ¤¤ ÆØ ¥§ ŧħ"
    q = assess(garbled, ink_pixels=5_000, dpi=300)
    assert q.quality_class == "bad"
    assert any(r.startswith("low_valid_syllables") for r in q.reasons)
    assert garbage_share("abc ¤¤") == pytest.approx(2 / 5)


@pytest.mark.ocr
def test_confidence_alone_is_not_a_signal(engine):
    """A page whose lower part is lost under a dark stain: Tesseract returns the first line at
    ~96 % mean confidence; only the comparison with the page's ink shows that most text is missing."""
    page = np.asarray(render_lines(BODY_LINES)).astype(float)
    rng = np.random.default_rng(1)
    page[250:] = np.clip(page[250:] * 0.1 + 25 + rng.normal(0, 15, page[250:].shape), 0, 255)
    image = Image.fromarray(page.astype(np.uint8))
    image.info["dpi"] = (300, 300)
    with type(engine)(lang="vie", recover=False) as plain:
        result = plain.read(image)
    assert result.mean_confidence is not None and result.mean_confidence > 60
    assert "Căn cứ Luật" in result.text
    assert result.quality.quality_class == "bad"
    assert any(r.startswith("too_short_for_ink") for r in result.quality.reasons)


def test_edit_distance_measures():
    from lake.domain.ocr.evaluate import cer, levenshtein, wer

    assert levenshtein("kitten", "sitting") == 3
    assert levenshtein("", "abc") == 3 and levenshtein("abc", "") == 3
    assert levenshtein(["Số", "155/QĐ-UBND"], ["Sô", "155/QĐ-UBND"]) == 1
    assert cer("tổng hợp", "tống hợp") == 1 / 8
    assert wer("Hà Nội, ngày 05 tháng 6", "Hà Nội, ngay 05 tháng 6") == 1 / 6  # six words
