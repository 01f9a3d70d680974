"""Text helpers for OCR output: length-preserving folding, word/line model, word-to-text alignment.

`fold()` maps every character to one ASCII-ish upper-case base character (Đ, Ð, đ, ð → D; tone marks and
other diacritics dropped) and keeps the string length, so a regex run on the folded text gives spans that
index straight into the original NFC text. That is how tone-mark confusions (QĐ/QD/QÐ, Số/Sô, tháng/thảng)
are absorbed without losing the source span.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache

_D_STROKES = {"Đ": "D", "đ": "D", "Ð": "D", "ð": "D", "Ɖ": "D", "ɖ": "D"}


@lru_cache(maxsize=4096)
def _fold_char(ch: str) -> str:
    if ch in _D_STROKES:
        return _D_STROKES[ch]
    base = unicodedata.normalize("NFD", ch)[:1] or ch
    up = base.upper()
    return up if len(up) == 1 else base


def fold(text: str) -> str:
    """Upper-case, diacritic-free copy of `text` with exactly the same length (for span-safe matching)."""
    return "".join(_fold_char(c) for c in text)


def squash(text: str) -> str:
    """Folded text without spaces or punctuation: a matching key ("Quyết  định" → "QUYETDINH")."""
    return re.sub(r"[^0-9A-Z]", "", fold(text))


def nfc(text: str) -> str:
    """`text` in Unicode NFC (the one form the pipeline compares Vietnamese text in)."""
    return unicodedata.normalize("NFC", text)


def collapse_ws(text: str) -> str:
    """`text` with every run of whitespace made one space, trimmed."""
    return re.sub(r"\s+", " ", text).strip()


def upper_ratio(text: str) -> float:
    """The share of upper-case letters among the letters of `text` (0.0 when it has none)."""
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return 0.0
    return sum(1 for c in letters if c.isupper()) / len(letters)


@dataclass(frozen=True)
class Word:
    """One word box of a page: what the OCR engine returns (`lake.domain.ocr.engine`, stored as a dict with these field
    names in bronze.ocr_pages.words) and what field extraction reads.

    `confidence` is Tesseract's 0-100 (-1: none); the box is in the decoded image's pixels; `line` is the 0-based
    line in reading order, `block` / `paragraph` Tesseract's layout numbers.

    >>> w = Word.from_dict({"text": "Quyết", "confidence": 91.5, "left": 10, "top": 20, "width": 40, "height": 12})
    >>> (w.text, w.confidence, w.right, w.bottom)
    ('Quyết', 91.5, 50, 32)
    >>> t = Word.from_dict({"text": "x", "conf": None, "par_num": 2})
    >>> (t.confidence, t.paragraph)
    (-1.0, 2)
    """

    text: str
    confidence: float
    left: int
    top: int
    width: int
    height: int
    line: int = 0
    block: int = 0
    paragraph: int = 0

    @classmethod
    def from_dict(cls, d: dict) -> Word:
        """From a stored word (engine names) or a Tesseract TSV row (`conf`, `block_num`, `par_num`, `line_num`)."""
        conf = d.get("confidence", d.get("conf"))
        return cls(
            text=nfc(str(d.get("text", ""))),
            confidence=float(conf if conf is not None else -1),
            left=int(d.get("left", 0)),
            top=int(d.get("top", 0)),
            width=int(d.get("width", 0)),
            height=int(d.get("height", 0)),
            line=int(d.get("line", d.get("line_num", 0)) or 0),
            block=int(d.get("block", d.get("block_num", 0)) or 0),
            paragraph=int(d.get("paragraph", d.get("par", d.get("par_num", 0))) or 0),
        )

    @property
    def right(self) -> int:
        """The box's right edge in pixels."""
        return self.left + self.width

    @property
    def bottom(self) -> int:
        """The box's bottom edge in pixels."""
        return self.top + self.height

    @property
    def cx(self) -> float:
        """The box's horizontal centre in pixels."""
        return self.left + self.width / 2

    @property
    def cy(self) -> float:
        """The box's vertical centre in pixels."""
        return self.top + self.height / 2


def text_slope(words: Sequence[Word]) -> float:
    """Median slope (dy/dx) of the text lines Tesseract found: 0 for a straight page.

    Word boxes are in the pixel space of the image as delivered; a photo taken 2° off keeps its lines
    sloped there even though the engine read it deskewed.
    """
    by_line: dict[tuple[int, int, int], list[Word]] = {}
    for w in words:
        by_line.setdefault((w.block, w.paragraph, w.line), []).append(w)
    slopes = []
    for ws in by_line.values():
        if len(ws) < 4:
            continue
        xs = [w.cx for w in ws]
        ys = [w.cy for w in ws]
        mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
        sxx = sum((x - mx) ** 2 for x in xs)
        if sxx <= 0:
            continue
        slopes.append(sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sxx)
    if len(slopes) < 3:
        return 0.0
    slopes.sort()
    return slopes[len(slopes) // 2]


def straighten(words: list[Word], width: int, height: int, min_slope: float = 0.005) -> list[Word]:
    """Word boxes moved to where they would be on the page turned straight (about its centre).

    Lines are then told apart by vertical overlap as on a straight scan; box sizes are kept. A page
    sloped by less than ``min_slope`` (about 0.3°) is returned as is.
    """
    slope = text_slope(words)
    if abs(slope) < min_slope or width <= 0 or height <= 0:
        return words
    theta = math.atan(slope)
    cos, sin = math.cos(theta), math.sin(theta)
    cx0, cy0 = width / 2, height / 2
    out = []
    for w in words:
        dx, dy = w.cx - cx0, w.cy - cy0
        nx, ny = cx0 + dx * cos + dy * sin, cy0 - dx * sin + dy * cos
        out.append(replace(w, left=round(nx - w.width / 2), top=round(ny - w.height / 2)))
    return out


@dataclass
class Page:
    """One OCR'd page: NFC text, word boxes (may be empty) and the page size in pixels."""

    text: str
    words: list[Word] = field(default_factory=list)
    width: int = 0
    height: int = 0

    @classmethod
    def from_ocr(cls, text: str, words: Iterable[dict | Word] = (), width: int = 0, height: int = 0) -> Page:
        """A page from OCR output: NFC text, word boxes from dicts or Words (empty ones dropped, moved to where
        they would be on the page turned straight, see `straighten`) and the size in pixels."""
        ws = [w if isinstance(w, Word) else Word.from_dict(w) for w in words]
        ws = [w for w in ws if w.text.strip()]
        return cls(nfc(text or ""), straighten(ws, int(width or 0), int(height or 0)), int(width or 0),
                   int(height or 0))

    @property
    def has_boxes(self) -> bool:
        """True when the page has word boxes and a known size (layout zones and word offsets need both)."""
        return bool(self.words) and self.width > 0 and self.height > 0


def align_words(text: str, words: Sequence[Word]) -> list[int | None]:
    """Char offset of each word in `text` (sequential search; None when a word is not found nearby).

    Tesseract writes its plain text from the same results in reading order, so a forward search
    recovers the offsets; words it reordered are searched again from the start of the text.
    """
    offsets: list[int | None] = []
    pos = 0
    for w in words:
        token = w.text.strip()
        if not token:
            offsets.append(None)
            continue
        i = text.find(token, pos)
        if i < 0 or i - pos > 400:
            j = text.find(token)
            i = j if j >= 0 else -1
        if i < 0:
            offsets.append(None)
            continue
        offsets.append(i)
        pos = i + len(token)
    return offsets


@dataclass
class Line:
    """A line of text with where it came from: char range in the page text and/or word indices."""

    text: str
    page: int
    start: int | None = None
    end: int | None = None
    words: tuple[int, ...] = ()
    column: str = "full"  # left | right | full
    top: float = 0.0
    bottom: float = 0.0
    char_map: tuple[tuple[int, int], ...] = ()  # (char offset in `text`, word index) per word

    def words_in(self, a: int, b: int) -> tuple[int, ...]:
        """Word indices overlapping chars [a, b) of this line's text."""
        if not self.char_map:
            return ()
        out = []
        for k, (off, wi) in enumerate(self.char_map):
            nxt = self.char_map[k + 1][0] if k + 1 < len(self.char_map) else len(self.text) + 1
            if off < b and nxt - 1 > a:
                out.append(wi)
        return tuple(out)


def text_lines(text: str, page: int) -> list[Line]:
    """Lines of the plain text with their char spans (empty lines kept as blank markers)."""
    lines = []
    pos = 0
    for raw in text.split("\n"):
        lines.append(Line(raw, page, pos, pos + len(raw)))
        pos += len(raw) + 1
    return lines


def cluster_lines(words: Sequence[Word], indices: Iterable[int], page: int, column: str,
                  offsets: Sequence[int | None] | None = None) -> list[Line]:
    """Group word boxes into visual lines by vertical overlap, left to right inside a line."""
    idx = sorted(indices, key=lambda i: (words[i].top, words[i].left))
    # a box much taller than the text (a seal's mark, two lines the engine read as one word) would merge the
    # lines it overlaps: such boxes are placed last, on the line nearest their middle, without stretching it
    heights = sorted(words[i].height for i in idx if words[i].height > 0)
    tall_limit = 2.2 * heights[len(heights) // 2] if len(heights) >= 4 else float("inf")
    tall = [i for i in idx if words[i].height > tall_limit]
    groups: list[list[int]] = []
    spans: list[tuple[float, float]] = []
    for i in idx:
        w = words[i]
        if w.height > tall_limit:
            continue
        placed = False
        for g, (t, b) in enumerate(spans):
            overlap = min(b, w.bottom) - max(t, w.top)
            if overlap >= 0.5 * min(max(w.height, 1), max(b - t, 1)):
                groups[g].append(i)
                spans[g] = (min(t, w.top), max(b, w.bottom))
                placed = True
                break
        if not placed:
            groups.append([i])
            spans.append((w.top, w.bottom))
    for i in tall:
        w = words[i]
        inside = [g for g, (t, b) in enumerate(spans) if t <= w.cy <= b]
        if inside:
            groups[inside[0]].append(i)
        else:
            groups.append([i])
            spans.append((w.top, w.bottom))
    out = []
    for g, (t, b) in sorted(zip(groups, spans, strict=True), key=lambda x: x[1][0]):
        g.sort(key=lambda i: words[i].left)
        parts, cmap, n = [], [], 0
        for i in g:
            if parts:
                n += 1
            cmap.append((n, i))
            parts.append(words[i].text)
            n += len(words[i].text)
        known = [i for i in g if offsets and offsets[i] is not None]
        starts = [offsets[i] for i in known]
        ends = [offsets[i] + len(words[i].text) for i in known]
        out.append(Line(" ".join(parts), page, min(starts) if starts else None, max(ends) if ends else None,
                        tuple(g), column, t, b, tuple(cmap)))
    return out


def column_split(words: Sequence[Word], indices: Sequence[int], width: int) -> float:
    """x position separating the left and right header columns: the widest empty vertical band
    between 20 % and 75 % of the page width (words wider than half the page are ignored)."""
    lo, hi = int(0.2 * width), int(0.75 * width)
    if hi <= lo:
        return width / 2
    covered = bytearray(hi - lo)
    for i in indices:
        w = words[i]
        if w.width > 0.5 * width:
            continue
        a, b = max(w.left, lo), min(w.right, hi)
        for x in range(a - lo, b - lo):
            covered[x] = 1
    best_len, best_mid, run_start = 0, None, None
    for x in range(len(covered) + 1):
        free = x < len(covered) and not covered[x]
        if free and run_start is None:
            run_start = x
        elif not free and run_start is not None:
            if x - run_start > best_len:
                best_len, best_mid = x - run_start, lo + (run_start + x) / 2
            run_start = None
    if best_mid is None or best_len < 0.005 * width:
        return 0.45 * width
    return best_mid
