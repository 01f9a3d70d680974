"""Page layout in points (A4, NĐ 30/2020 margins): wraps and paginates a document into drawing operations.

Operations (resolution independent, rendered by ``render.py``):
- ("text", x, baseline, text, font, size, colour, justify_width)  justify_width 0 = no justification
- ("rule", x1, y, x2, width)  a horizontal line
- ("stamp", x, y, w, h, text, size)  red framed stamp (MẬT, KHẨN, ...)
- ("seal", cx, cy, r, ring_text)  red round seal
- ("scribble", x, y, w, h, seed)  hand signature
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from functools import lru_cache

from PIL import ImageFont

from lakehouse_sample.specs import BodyWriter, Doc

FONT_DIR = "/usr/share/fonts/truetype/liberation2"
FONTS = {
    "r": "LiberationSerif-Regular.ttf",
    "b": "LiberationSerif-Bold.ttf",
    "i": "LiberationSerif-Italic.ttf",
    "bi": "LiberationSerif-BoldItalic.ttf",
}
PAGE_W, PAGE_H = 595.28, 841.89
MM = 72 / 25.4
X0, X1 = 30 * MM, PAGE_W - 20 * MM
TOP, BOTTOM = 20 * MM, PAGE_H - 20 * MM
LEFT_COL = (X0 - 18, X0 + 180)
RIGHT_COL = (X0 + 175, X1 + 12)
BODY_SIZE = 14.0
ASCENT = 0.891
MEASURE_SCALE = 10.0  # measure at 10 px per point


@lru_cache(maxsize=64)
def font(key: str, px: float) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(f"{FONT_DIR}/{FONTS[key]}", size=px)


def width(text: str, key: str, size: float) -> float:
    return font(key, size * MEASURE_SCALE).getlength(text) / MEASURE_SCALE


def wrap(text: str, key: str, size: float, max_w: float, first_indent: float = 0.0) -> list[str]:
    words = text.split()
    lines: list[str] = []
    cur = ""
    avail = max_w - first_indent
    for w in words:
        cand = f"{cur} {w}" if cur else w
        if cur and width(cand, key, size) > avail:
            lines.append(cur)
            cur = w
            avail = max_w
        else:
            cur = cand
    if cur:
        lines.append(cur)
    return lines


@dataclass
class Line:
    text: str
    role: str
    font: str
    size: float
    x: float
    height: float
    justify: float = 0.0


@dataclass
class Page:
    ops: list = field(default_factory=list)
    lines: list[tuple[str, str]] = field(default_factory=list)  # (role, text) in reading order
    body_bbox: list[float] | None = None
    has_header: bool = False
    has_signature: bool = False

    def add_text(
        self,
        role: str,
        text: str,
        key: str,
        size: float,
        x: float,
        top: float,
        justify: float = 0.0,
        colour: str = "k",
    ) -> None:
        self.ops.append(("text", x, top + size * ASCENT, text, key, size, colour, justify))
        self.lines.append((role, text))
        if role == "body":
            w = justify or width(text, key, size)
            box = [x, top, x + w, top + size * 1.15]
            if self.body_bbox is None:
                self.body_bbox = box
            else:
                b = self.body_bbox
                self.body_bbox = [min(b[0], box[0]), min(b[1], box[1]), max(b[2], box[2]), max(b[3], box[3])]


def centered(text: str, key: str, size: float, col: tuple[float, float]) -> float:
    return (col[0] + col[1]) / 2 - width(text, key, size) / 2


def _underlined_header(page: Page, text: str, size: int, y: float) -> float:
    """Bold `text` centred in the right header column at `y`, a rule as wide as it below; returns the y after."""
    page.add_text("header", text, "b", size, centered(text, "b", size, RIGHT_COL), y)
    w = width(text, "b", size)
    cx = sum(RIGHT_COL) / 2
    y += size * 1.2
    page.ops.append(("rule", cx - w / 2, y + 1, cx + w / 2, 0.6))
    return y + 10


def layout_header(doc: Doc, page: Page) -> float:
    """Draw the two-column header on page 1; returns the y below it."""
    y_left = y_right = TOP
    hs = 13.0
    lw = LEFT_COL[1] - LEFT_COL[0]
    if doc.header_parent:
        for t in wrap(doc.header_parent, "r", hs, lw):
            page.add_text("header", t, "r", hs, centered(t, "r", hs, LEFT_COL), y_left)
            y_left += hs * 1.2
    name_lines = [t for n in doc.header_name for t in wrap(n, "b", hs, lw)]
    for t in name_lines:
        page.add_text("header", t, "b", hs, centered(t, "b", hs, LEFT_COL), y_left)
        y_left += hs * 1.2
    if doc.style in ("hd36", "doan"):
        star = "*" if doc.style == "hd36" else "***"
        page.add_text("header", star, "r", hs, centered(star, "r", hs, LEFT_COL), y_left)
        y_left += hs * 1.2
    else:
        rl = min(width(name_lines[-1], "b", hs), 90) if name_lines else 60
        cx = sum(LEFT_COL) / 2
        page.ops.append(("rule", cx - rl / 2, y_left + 1, cx + rl / 2, 0.6))
        y_left += 6
    # right column
    if doc.style == "nd30":
        t1 = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
        page.add_text("header", t1, "b", 12, centered(t1, "b", 12, RIGHT_COL), y_right)
        y_right += 12 * 1.2
        y_right = _underlined_header(page, "Độc lập - Tự do - Hạnh phúc", 13, y_right)
    else:
        t1 = "ĐẢNG CỘNG SẢN VIỆT NAM" if doc.style == "hd36" else "ĐOÀN TNCS HỒ CHÍ MINH"
        y_right = _underlined_header(page, t1, 14, y_right)
    y_num = max(y_left + 4, y_right) if doc.style != "nd30" else y_left + 4
    page.add_text("header", doc.number_line, "r", hs, centered(doc.number_line, "r", hs, LEFT_COL), y_num)
    y_left = y_num + hs * 1.3
    if doc.family == "letter" and doc.subject:
        for t in wrap(doc.subject, "r", 12, lw - 10):
            page.add_text("header", t, "r", 12, centered(t, "r", 12, LEFT_COL), y_left)
            y_left += 12 * 1.2
    y_date = y_right if doc.style == "nd30" else y_num
    page.add_text("header", doc.date_line, "i", 13, centered(doc.date_line, "i", 13, RIGHT_COL), y_date)
    y_right = y_date + 13 * 1.3
    for label in [doc.secrecy.upper(), doc.urgency.upper()]:
        if label:
            sw = width(label, "b", 13) + 12
            x = sum(LEFT_COL) / 2 - sw / 2
            y_left += 4
            page.ops.append(("stamp", x, y_left, sw, 20, label, 13))
            page.lines.append(("stamp", label))
            y_left += 26
    return max(y_left, y_right) + 12


def layout_title(doc: Doc, page: Page, y: float) -> float:
    cw = (X0, X1)
    if doc.family != "letter":
        t = doc.type_name.upper()
        page.add_text("title", t, "b", 14, centered(t, "b", 14, cw), y)
        y += 14 * 1.25
        if doc.subject:
            sub_lines = wrap(doc.subject, "b", 14, 380)
            for t in sub_lines:
                page.add_text("subject", t, "b", 14, centered(t, "b", 14, cw), y)
                y += 14 * 1.25
            rl = min(120, width(sub_lines[-1], "b", 14))
            cx = (X0 + X1) / 2
            page.ops.append(("rule", cx - rl / 2, y + 2, cx + rl / 2, 0.6))
            y += 8
    if doc.addressee:
        t = f"Kính gửi: {doc.addressee}"
        y += 4
        page.add_text("addressee", t, "r", 14, centered(t, "r", 14, cw), y)
        y += 14 * 1.5
    return y + 6


def para_lines(style: str, texts: list[str]) -> list[Line]:
    text = " ".join(texts)
    size = BODY_SIZE
    lh = size * 1.2
    w = X1 - X0
    if style in ("center_bold", "center_i"):
        key = "b" if style == "center_bold" else "i"
        out = []
        for t in wrap(text, key, size, w - 40):
            out.append(Line(t, "body", key, size, centered(t, key, size, (X0, X1)), lh))
        return out
    key = {"para_i": "i", "heading": "b"}.get(style, "r")
    indent = 28.35 if style in ("para", "para_i", "item", "field") else 0.0
    lines = wrap(text, key, size, w, indent)
    out = []
    for i, t in enumerate(lines):
        x = X0 + (indent if i == 0 else 0)
        last = i == len(lines) - 1
        just = 0.0 if (last or style in ("heading", "field")) else X1 - x
        out.append(Line(t, "body", key, size, x, lh, just))
    return out


class Flow:
    def __init__(self, first_y: float) -> None:
        self.pages: list[list[tuple[Line, float]]] = [[]]
        self.y = first_y

    def state(self) -> tuple[int, float]:
        return len(self.pages), self.y

    @staticmethod
    def simulate(state: tuple[int, float], lines: list[Line], gap: float) -> tuple[int, float]:
        n, y = state
        y += gap
        for ln in lines:
            if y + ln.height > BOTTOM:
                n, y = n + 1, TOP
            y += ln.height
        return n, y

    def add(self, lines: list[Line], gap: float) -> None:
        self.y += gap
        for ln in lines:
            if self.y + ln.height > BOTTOM:
                self.pages.append([])
                self.y = TOP
            self.pages[-1].append((ln, self.y))
            self.y += ln.height


def closing_height(doc: Doc) -> float:
    left = 14 + 12 * len(doc.recipients) if doc.recipients else 0
    right = 16 * (2 if doc.authority_line else 1) + 70 + 18
    return max(left, right) + 14


def pages_needed(state: tuple[int, float], close_h: float) -> int:
    n, y = state
    return n if y + close_h <= BOTTOM else n + 1


def layout_document(doc: Doc, writer: BodyWriter, rng: random.Random) -> list[Page]:
    first = Page(has_header=True)
    y = layout_header(doc, first)
    y = layout_title(doc, first, y)
    flow = Flow(y)
    gap = 4.0
    for style, texts in writer.pre():
        flow.add(para_lines(style, texts), gap)

    def finals() -> list[list[Line]]:
        return [para_lines(s, t) for s, t in writer.final()]

    final = finals()
    close_h = closing_height(doc)

    def with_final(state: tuple[int, float]) -> tuple[int, float]:
        for fl in final:
            state = Flow.simulate(state, fl, gap)
        return state

    target = doc.target_pages
    stop_fill = rng.uniform(0.25, 0.8)
    misses = 0
    while misses < 3:
        saved = (writer.article, writer.section, writer.stage)
        item = writer.fill()
        if item is None:
            break
        style, texts = item
        lines = para_lines(style, texts)
        accepted = False
        st = Flow.simulate(flow.state(), lines, gap)
        if pages_needed(with_final(st), close_h) <= target:
            flow.add(lines, gap)
            final = finals()
            n, yy = with_final(flow.state())
            if n == target and (yy - TOP) / (BOTTOM - TOP) > stop_fill:
                break
            continue
        if len(texts) > 1:  # try the paragraph with fewer sentences
            for k in range(len(texts) - 1, 0, -1):
                lines = para_lines(style, texts[:k])
                st = Flow.simulate(flow.state(), lines, gap)
                if pages_needed(with_final(st), close_h) <= target:
                    flow.add(lines, gap)
                    final = finals()
                    accepted = True
                    break
        if not accepted:
            writer.article, writer.section, writer.stage = saved
            final = finals()
        misses += 1
    for fl in final:
        flow.add(fl, gap)
    # materialise pages
    pages = [first] + [Page() for _ in flow.pages[1:]]
    for i, placed in enumerate(flow.pages):
        page = pages[i]
        if i > 0:
            num = str(i + 1)
            page.add_text("page_number", num, "r", 13, (PAGE_W - width(num, "r", 13)) / 2, 10 * MM)
        for ln, top in placed:
            page.add_text(ln.role, ln.text, ln.font, ln.size, ln.x, top, ln.justify)
    y_close = flow.y + 10
    if flow.y + close_h > BOTTOM:
        pages.append(Page())
        p = pages[-1]
        num = str(len(pages))
        p.add_text("page_number", num, "r", 13, (PAGE_W - width(num, "r", 13)) / 2, 10 * MM)
        y_close = TOP
    layout_closing(doc, pages[-1], y_close, rng)
    return pages


def layout_closing(doc: Doc, page: Page, y: float, rng: random.Random) -> None:
    page.has_signature = True
    if doc.recipients:
        yl = y
        page.add_text("recipients", "Nơi nhận:", "bi", 12, X0 - 10, yl)
        yl += 14
        for r in doc.recipients:
            t = f"- {r}"
            page.add_text("recipients", t, "r", 11, X0 - 10, yl)
            yl += 12
    col = RIGHT_COL
    cx = sum(col) / 2
    yr = y
    if doc.family == "minutes":
        left = (X0 - 10, X0 + 170)
        for t, c in (("THƯ KÝ", left), ("CHỦ TRÌ", col)):
            page.add_text("signature", t, "b", 14, centered(t, "b", 14, c), yr)
        page.ops.append(("scribble", sum(left) / 2 - 40, yr + 22, 80, 40, rng.randint(0, 10**6)))
        page.ops.append(("scribble", cx - 45, yr + 22, 90, 42, rng.randint(0, 10**6)))
        for t, c in ((doc.secretary, left), (doc.signer, col)):
            page.add_text("signature", t, "b", 14, centered(t, "b", 14, c), yr + 86)
        return
    if doc.authority_line:
        page.add_text(
            "signature", doc.authority_line, "b", 14, centered(doc.authority_line, "b", 14, col), yr
        )
        yr += 16
    page.add_text("signature", doc.signer_title, "b", 14, centered(doc.signer_title, "b", 14, col), yr)
    yr += 16
    page.ops.append(("scribble", cx - 45, yr + 8, 90, 44, rng.randint(0, 10**6)))
    if doc.authority_prefix not in ("TL.", "TUQ.", "T/L") or rng.random() < 0.5:
        ring = " ".join(doc.header_name)
        page.ops.append(
            (
                "seal",
                cx - rng.uniform(30, 55),
                yr + rng.uniform(10, 24),
                52.0,
                f"{ring} * {doc.place.upper()}",
            )
        )
    yr += 70
    page.add_text("signature", doc.signer, "b", 14, centered(doc.signer, "b", 14, col), yr)
