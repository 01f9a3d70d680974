"""Builders for test pages: Tesseract-like plain text and synthetic word boxes."""

from __future__ import annotations

from lake.domain.documents import Page

W, H = 2480, 3508  # A4 at 300 dpi
CHAR_W, LINE_H = 24, 48


def boxed_page(rows: list[tuple[int, list[tuple[int, str]]]], conf: float = 95.0,
               width: int = W, height: int = H, interleave: bool = True) -> Page:
    """A page from rows of (y, [(x, segment text), ...]).

    The plain text is what Tesseract gives when it merges the two columns into one block: every visual
    row becomes one text line, left segment then right segment (interleave=True); with interleave=False
    it lists all left segments first, then the right ones (two blocks).
    """
    words: list[dict] = []
    lines_text: list[str] = []
    left_block: list[str] = []
    right_block: list[str] = []
    for y, segs in rows:
        parts = []
        for x, seg in segs:
            cx = x
            for tok in seg.split():
                words.append({"text": tok, "conf": conf, "left": cx, "top": y, "width": CHAR_W * len(tok),
                              "height": LINE_H, "block": 1, "par": 1, "line": y})
                cx += CHAR_W * (len(tok) + 1)
            parts.append(seg)
            (left_block if x < width * 0.45 else right_block).append(seg)
        lines_text.append(" ".join(parts))
    if interleave:
        text = "\n".join(lines_text)
    else:
        text = "\n".join(left_block) + "\n\n" + "\n".join(right_block)
        # Tesseract lists words block by block: reorder the boxes the same way
        words.sort(key=lambda w: (w["left"] >= width * 0.45, w["top"], w["left"]))
    return Page.from_ocr(text, words, width, height)


Rows = list[tuple[int, list[tuple[int, str]]]]


def nd30_header_rows(left: list[str], right: list[str], y0: int = 200) -> Rows:
    """Rows of a two-column Nghị định 30 header: left items centred around x=500, right around x=1650."""
    rows = []
    for k in range(max(len(left), len(right))):
        segs = []
        if k < len(left) and left[k]:
            segs.append((max(150, 560 - CHAR_W * len(left[k]) // 2), left[k]))
        if k < len(right) and right[k]:
            segs.append((max(1150, 1700 - CHAR_W * len(right[k]) // 2), right[k]))
        rows.append((y0 + k * 70, segs))
    return rows


def centred_rows(lines: list[str], y0: int, step: int = 70) -> list[tuple[int, list[tuple[int, str]]]]:
    return [(y0 + k * step, [(max(200, W // 2 - CHAR_W * len(t) // 2), t)]) for k, t in enumerate(lines) if t]


def body_rows(lines: list[str], y0: int, step: int = 60) -> list[tuple[int, list[tuple[int, str]]]]:
    return [(y0 + k * step, [(250, t)]) for k, t in enumerate(lines) if t]


def field_values(fields, expected: dict) -> dict:
    """{name: value} of the fields of an `extract_fields` result that `expected` names, to compare with it in one
    assertion (every mismatch shows at once)."""
    return {name: getattr(fields, name).value for name in expected}
