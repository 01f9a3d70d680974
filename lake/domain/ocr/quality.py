"""Quality of an OCR result, judged by what came back rather than by Tesseract's confidence.

Tesseract's mean word confidence stays high on empty or near-empty output (a page of noise can
return two "words" at 90 %), so the class is derived from:

* ``empty``: no recognised letters at all while the page has ink;
* ``too_short_for_ink``: far fewer characters than the page's ink area predicts (the dark-pixel
  count of the prepared image, normalised to 300 dpi, divided by the ink of an average
  character of 13-pt body text);
* ``low_valid_syllables``: low share of words that are well-formed Vietnamese syllables;
* ``garbage_characters``: high share of characters that never occur in Vietnamese
  administrative text;
* ``fragmented``: many tokens that are bare punctuation or lone letters (what noise reads as);
* ``low_confidence`` alone makes a page only suspect and aggravates another signal to bad; a high
  confidence never clears a page.

``blank`` pages (no ink, no text) are ``suspect`` with the reason ``blank``: nothing was lost, but a
blank page in a scan batch is worth a look (a skipped sheet, a lid left open, a 2,000-page filler PDF),
so it goes to the QC queue instead of counting as a good page with 0 characters.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field

from lake.domain.ocr.syllables import iter_words, syllable_stats

# dark pixels per recognised character for 13-14 pt serif body text at 300 dpi (measured on the
# Liberation Serif fixture: ~250; real scans with bolder strokes and bleed carry more ink)
INK_PER_CHAR_300DPI = 260.0
MIN_CHARS_PER_EXPECTED = 0.3  # below this share of the expected characters the page is flagged
MIN_EXPECTED_FOR_INK_CHECK = 40
GOOD_SYLLABLE_SHARE = 0.80
BAD_SYLLABLE_SHARE = 0.50
MAX_GARBAGE_SHARE = 0.05
BAD_GARBAGE_SHARE = 0.20
MIN_WORDS_FOR_SHARES = 5
MAX_FRAGMENT_SHARE = 0.15  # tokens that are bare punctuation or a lone letter: rare in real text
LOW_CONFIDENCE = 60.0  # auxiliary only: makes a page "bad" when another signal already fired

_ALLOWED_PUNCT = set(".,;:!?-–—/()[]\"'“”‘’%&+*=<>§№°…«»#@_")


def _is_garbage_char(ch: str) -> bool:
    if ch.isspace() or ch.isdigit() or ch in _ALLOWED_PUNCT:
        return False
    if ch.isalpha():
        base = unicodedata.normalize("NFD", ch)[0].lower()
        return not ("a" <= base <= "z" or base == "đ")
    return True


def garbage_share(text: str) -> float:
    """Share of non-space characters that are not Latin/Vietnamese letters, digits or usual punctuation."""
    chars = [c for c in unicodedata.normalize("NFC", text) if not c.isspace()]
    if not chars:
        return 0.0
    return sum(_is_garbage_char(c) for c in chars) / len(chars)


def expected_chars(ink_pixels: int, dpi: float) -> float:
    """Characters a page of body text with this much ink should contain."""
    if ink_pixels <= 0 or dpi <= 0:
        return 0.0
    return ink_pixels * (300.0 / dpi) ** 2 / INK_PER_CHAR_300DPI


def text_score(text: str) -> float:
    """Score used to choose between OCR passes: valid syllables, penalised by invalid words and garbage."""
    valid, total = syllable_stats(text)
    garbage = sum(_is_garbage_char(c) for c in text if not c.isspace())
    return valid - 0.5 * (total - valid) - 0.5 * garbage


@dataclass
class PageQuality:
    quality_class: str  # "good", "suspect", "bad"
    reasons: list[str] = field(default_factory=list)
    char_count: int = 0
    expected_chars: float = 0.0
    word_count: int = 0
    valid_syllable_share: float | None = None
    garbage_share: float = 0.0
    mean_confidence: float | None = None  # reported, never used for the class


def assess(
    text: str,
    *,
    ink_pixels: int = 0,
    dpi: float = 300.0,
    mean_confidence: float | None = None,
) -> PageQuality:
    """Classify an OCR result; ``ink_pixels``/``dpi`` describe the prepared image it was read from."""
    text = unicodedata.normalize("NFC", text or "")
    chars = sum(1 for c in text if not c.isspace())
    letters = sum(1 for c in text if c.isalpha())
    expected = expected_chars(ink_pixels, dpi)
    valid, total = syllable_stats(text)
    share = valid / total if total else None
    garbage = garbage_share(text)
    reasons: list[str] = []
    bad = False
    if letters == 0:
        if expected >= MIN_EXPECTED_FOR_INK_CHECK:
            reasons.append("empty")
            bad = True
        else:
            reasons.append("blank")
    elif expected >= MIN_EXPECTED_FOR_INK_CHECK and chars < MIN_CHARS_PER_EXPECTED * expected:
        reasons.append(f"too_short_for_ink:{chars}/{expected:.0f}")
        if chars < 0.1 * expected:
            bad = True
    if share is not None and total >= MIN_WORDS_FOR_SHARES and share < GOOD_SYLLABLE_SHARE:
        reasons.append(f"low_valid_syllables:{share:.2f}")
        bad = bad or share < BAD_SYLLABLE_SHARE
    if chars >= 20 and garbage > MAX_GARBAGE_SHARE:
        reasons.append(f"garbage_characters:{garbage:.2f}")
        bad = bad or garbage > BAD_GARBAGE_SHARE
    tokens = text.split()
    if len(tokens) >= 10:
        fragments = sum(1 for t in tokens if not any(c.isalnum() for c in t) or (len(t) == 1 and t.isalpha()))
        if fragments / len(tokens) > MAX_FRAGMENT_SHARE:
            reasons.append(f"fragmented:{fragments / len(tokens):.2f}")
    flagged = list(reasons)
    if mean_confidence is not None and letters and mean_confidence < LOW_CONFIDENCE:
        reasons.append(f"low_confidence:{mean_confidence:.0f}")
        bad = bad or bool(flagged)
        flagged.append("low_confidence")
    if bad:
        klass = "bad"
    elif flagged:
        klass = "suspect"
    else:
        klass = "good"
    return PageQuality(
        quality_class=klass,
        reasons=reasons,
        char_count=chars,
        expected_chars=round(expected, 1),
        word_count=sum(1 for _ in iter_words(text)),
        valid_syllable_share=None if share is None else round(share, 4),
        garbage_share=round(garbage, 4),
        mean_confidence=mean_confidence,
    )
