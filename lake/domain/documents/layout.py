"""Page zones: the two-column header of page 1 and the two-column closing block (Nơi nhận | signature).

With word boxes the columns are rebuilt geometrically (Tesseract may interleave them in its plain text);
without boxes each plain-text line is split at markers that only occur in the right column.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lake.domain.documents.dates import find_dates
from lake.domain.documents.doctypes import match_title
from lake.domain.documents.text import (
    Line,
    Page,
    align_words,
    cluster_lines,
    column_split,
    fold,
    squash,
    text_lines,
    upper_ratio,
)

RIGHT_MARKERS = re.compile(r"CONG\s*H[OA0]A\s*XA|DOC\s*LAP\s*-?|DANG\s*CONG\s*SAN")
# Authority prefixes (folded text): TM. KT. Q. TL. TUQ. and Party T/M K/T T/L
PREFIX_RX = re.compile(
    r"(?<![A-Z0-9/])(T\s?/\s?M|K\s?/\s?T|T\s?/\s?L|T\.?\s?M|K\.?\s?T|T\.?\s?L|TUQ|Q)\s*[.:,]?\s+(?=[A-Z])"
)
NOI_NHAN_RX = re.compile(r"N[O0][IL1]\s*NH[AE]N\s*:?")
KINH_GUI_RX = re.compile(r"^\s*KINH\s*GUI")
CAN_CU_RX = re.compile(r"^\s*CAN\s*CU\b")
DECOR_RX = re.compile(r"^[\s\-–—_=~*.·•,'`\"|]*$")


def is_decoration(text: str) -> bool:
    """True for a line of rules, dots or dashes only, or with fewer than two letters or digits."""
    return bool(DECOR_RX.match(text)) or sum(c.isalnum() for c in text) < 2


@dataclass
class Zones:
    page: int
    offsets: list[int | None] = field(default_factory=list)
    header_left: list[Line] = field(default_factory=list)
    header_right: list[Line] = field(default_factory=list)
    body: list[Line] = field(default_factory=list)  # full-width lines below the header
    footer_left: list[Line] = field(default_factory=list)
    footer_right: list[Line] = field(default_factory=list)
    all_lines: list[Line] = field(default_factory=list)
    title_line: Line | None = None


def page_lines(page: Page, page_index: int, offsets: list[int | None] | None = None) -> list[Line]:
    """Full-width lines of a page: clustered word boxes when available, else the plain-text lines."""
    if page.has_boxes:
        offs = offsets if offsets is not None else align_words(page.text, page.words)
        return cluster_lines(page.words, range(len(page.words)), page_index, "full", offs)
    return [ln for ln in text_lines(page.text, page_index)]


def _is_header_end(line: Line) -> bool:
    if not line.text.strip():
        return False
    f = fold(line.text)
    if KINH_GUI_RX.match(f) or CAN_CU_RX.match(f):
        return True
    t, _ = match_title(line.text)
    return t is not None and upper_ratio(line.text) >= 0.7


def _sub(line: Line, a: int, b: int, column: str) -> Line:
    """Part [a, b) of a plain-text line as its own line."""
    text = line.text[a:b]
    lead = len(text) - len(text.lstrip())
    text = text.strip()
    start = None if line.start is None else line.start + a + lead
    return Line(text, line.page, start, None if start is None else start + len(text), (), column,
                line.top, line.bottom)


def split_header_line(line: Line) -> tuple[Line | None, Line | None]:
    """Split one plain-text header line into its left and right column parts."""
    f = fold(line.text)
    cut = None
    m = RIGHT_MARKERS.search(f)
    if m:
        cut = m.start()
    for d in find_dates(line.text):
        if d.place_start is not None:
            cut = d.place_start if cut is None else min(cut, d.place_start)
            break
    if cut is None:
        return line, None
    left = _sub(line, 0, cut, "left") if line.text[:cut].strip() else None
    right = _sub(line, cut, len(line.text), "right")
    return left, right


_TITLE_WORDS = {squash(w) for w in (
    "CHỦ", "TỊCH", "GIÁM", "ĐỐC", "BÍ", "THƯ", "PHÓ", "TRƯỞNG", "CHÁNH", "VĂN", "PHÒNG", "ỦY", "BAN",
    "NHÂN", "DÂN", "THƯỜNG", "VỤ", "TM", "KT", "TL", "TUQ", "HỘI", "ĐỒNG", "ĐẢNG", "TRỰC", "CHẤP", "HÀNH",
)}


def _split_footer_line(line: Line, prev_left_open: bool) -> tuple[Line | None, Line | None]:
    """Left (recipients) and right (signature) parts of a plain-text closing-block line."""
    text = line.text
    f = fold(text)
    stripped = text.lstrip()
    left_start = stripped[:1] in "-+•*" or bool(NOI_NHAN_RX.match(fold(stripped)))
    if not left_start and not (prev_left_open and stripped[:1].islower()):
        return None, line if text.strip() else None
    # the signature column may follow on the same line: a prefix, an upper-case title run, or a name
    for m in PREFIX_RX.finditer(f):
        if m.start() > 0 and text[m.start() - 1].isspace():
            return _sub(line, 0, m.start(), "left"), _sub(line, m.start(), len(text), "right")
    tokens = [(m.start(), m.group()) for m in re.finditer(r"\S+", text)]
    k = len(tokens)
    while k > 0:
        tok = tokens[k - 1][1]
        if tok.isalpha() and tok.isupper() and len(tok) >= 2 and squash(tok) in _TITLE_WORDS:
            k -= 1
        else:
            break
    if len(tokens) - k >= 2 and k > 0:
        return _sub(line, 0, tokens[k][0], "left"), _sub(line, tokens[k][0], len(text), "right")
    return line, None


def build_zones(page: Page, page_index: int, *, header: bool, footer: bool) -> Zones:
    """Column-split header (page 1) and closing block (last page) of one page."""
    offsets = align_words(page.text, page.words) if page.has_boxes else []
    z = Zones(page_index, offsets)
    lines = page_lines(page, page_index, offsets)
    z.all_lines = lines
    if header:
        _header(page, page_index, lines, z)
    if footer:
        _footer(page, page_index, lines, z)
    return z


def _header(page: Page, page_index: int, lines: list[Line], z: Zones) -> None:
    if page.has_boxes:
        limit = 0.6 * page.height
        end_top = None
        for ln in lines[1:]:
            if ln.top > limit:
                break
            if _is_header_end(ln):
                end_top = ln.top
                break
        bottom = end_top if end_top is not None else 0.4 * page.height
        idx = [i for i, w in enumerate(page.words) if w.cy < bottom]
        split = column_split(page.words, idx, page.width)
        left = [i for i in idx if page.words[i].cx < split]
        right = [i for i in idx if page.words[i].cx >= split]
        z.header_left = cluster_lines(page.words, left, page_index, "left", z.offsets)
        z.header_right = cluster_lines(page.words, right, page_index, "right", z.offsets)
        z.body = [ln for ln in lines if ln.top >= bottom - 1]
        return
    end = None
    nonempty = 0
    for k, ln in enumerate(lines):
        if ln.text.strip():
            nonempty += 1
        if nonempty > 40:
            break
        if k > 0 and _is_header_end(ln):
            end = k
            break
    if end is None:
        # no title / Kính gửi: the header is the lines up to the place-date line and the number line
        end = min(len(lines), 14)
    for ln in lines[:end]:
        if not ln.text.strip():
            continue
        lpart, rpart = split_header_line(ln)
        if lpart is not None:
            z.header_left.append(lpart)
        if rpart is not None:
            z.header_right.append(rpart)
    z.body = lines[end:]


def _noi_nhan_word_top(page: Page) -> float | None:
    """Top of the "Nơi nhận:" words in the engine's reading order, in the lower half of the page: a seal or a
    tall mark can merge the closing block's visual lines, so the words are looked for one after the other."""
    ws = page.words
    for i in range(len(ws) - 1, 0, -1):
        if ws[i - 1].top < 0.5 * page.height:
            break
        if re.fullmatch(r"N[O0][IL1]", fold(ws[i - 1].text)) and re.match(r"NH[AE]N\s*:?", fold(ws[i].text)):
            return min(ws[i - 1].top, ws[i].top)
    return None


def _footer(page: Page, page_index: int, lines: list[Line], z: Zones) -> None:
    anchor = None
    for k, ln in enumerate(lines):
        f = fold(ln.text)
        if NOI_NHAN_RX.search(f) or (PREFIX_RX.match(f.lstrip()) and upper_ratio(ln.text) > 0.7):
            anchor = k
            break
    word_top = None
    if anchor is None and page.has_boxes:
        word_top = _noi_nhan_word_top(page)
    if anchor is None and word_top is None:
        return
    if anchor is not None:
        # the body may have a prefix-looking line before the closing block: take the last Nơi nhận if any
        for k in range(len(lines) - 1, anchor, -1):
            if NOI_NHAN_RX.search(fold(lines[k].text)):
                anchor = k
                break
    if page.has_boxes:
        if anchor is None:  # the closing block's lines were merged: "Nơi" and "nhận:" found as words
            anchor = max((k for k, ln in enumerate(lines) if ln.top <= word_top + 2), default=0)
            top = word_top
        else:
            top = lines[anchor].top
        # the signature column may start a little above "Nơi nhận" (TM. line level)
        for ln in lines[max(0, anchor - 2):anchor]:
            if PREFIX_RX.search(fold(ln.text)):
                top = min(top, ln.top)
        idx = [i for i, w in enumerate(page.words) if w.cy >= top - 2]
        split = column_split(page.words, idx, page.width)
        left = [i for i in idx if page.words[i].cx < split]
        right = [i for i in idx if page.words[i].cx >= split]
        z.footer_left = cluster_lines(page.words, left, page_index, "left", z.offsets)
        z.footer_right = cluster_lines(page.words, right, page_index, "right", z.offsets)
        return
    open_item = False
    start = anchor
    # a prefix line just above Nơi nhận belongs to the signature column
    for k in range(max(0, anchor - 2), anchor):
        if PREFIX_RX.match(fold(lines[k].text).lstrip()):
            start = k
            break
    for ln in lines[start:]:
        if not ln.text.strip():
            continue
        lpart, rpart = _split_footer_line(ln, open_item)
        if lpart is not None:
            z.footer_left.append(lpart)
            open_item = not lpart.text.rstrip().endswith((";", "."))
        if rpart is not None and rpart.text.strip():
            z.footer_right.append(rpart)
