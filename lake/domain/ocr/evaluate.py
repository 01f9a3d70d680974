"""Accuracy measures for OCR against ground truth: CER, WER, and the body text of a page from word boxes.

Used by the benchmarks and tests only; the pipeline never reads ground truth.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence


def normalise(text: str) -> str:
    """NFC, all whitespace runs folded to one space (line breaks differ between layouts, not content)."""
    return " ".join(unicodedata.normalize("NFC", text or "").split())


def levenshtein(ref: Sequence, hyp: Sequence) -> int:
    """Edit distance, one numpy row per reference item: whole pages (thousands of characters) in ms.

    Row recurrence: cur[j] = min(prev[j] + 1, prev[j-1] + cost, cur[j-1] + 1); the last term is a running
    minimum of (x[j] - j) + j, so each row is two vector minima and one cumulative minimum.
    """
    import numpy as np

    if not ref:
        return len(hyp)
    if not hyp:
        return len(ref)
    ids: dict = {}
    r = np.array([ids.setdefault(x, len(ids)) for x in ref])
    h = np.array([ids.setdefault(x, len(ids)) for x in hyp])
    idx = np.arange(len(h) + 1)
    prev = idx.copy()
    for i, rc in enumerate(r, 1):
        cur = np.empty_like(prev)
        cur[0] = i
        cur[1:] = np.minimum(prev[1:] + 1, prev[:-1] + (h != rc))
        prev = np.minimum.accumulate(cur - idx) + idx
    return int(prev[-1])


def cer(reference: str, hypothesis: str) -> float:
    """Character error rate: edit distance over the reference length, on normalised text."""
    ref, hyp = normalise(reference), normalise(hypothesis)
    return levenshtein(ref, hyp) / max(1, len(ref))


def wer(reference: str, hypothesis: str) -> float:
    """Word error rate: word-level edit distance over the reference's word count, on normalised text."""
    ref, hyp = normalise(reference).split(), normalise(hypothesis).split()
    return levenshtein(ref, hyp) / max(1, len(ref))


def text_in_box(words: Sequence, box_px: tuple[float, float, float, float], *, by_position: bool = False) -> str:
    """Words whose centre lies in (left, top, right, bottom), in reading order (line, then x).

    ``by_position`` orders the lines by their mean vertical position instead of Tesseract's line order,
    so that a stamp or seal read as a block of its own does not move a paragraph's lines elsewhere.
    """
    left, top, right, bottom = box_px
    inside = []
    for w in words:
        get = w.get if isinstance(w, dict) else lambda k, w=w: getattr(w, k)
        cx, cy = get("left") + get("width") / 2, get("top") + get("height") / 2
        if left <= cx <= right and top <= cy <= bottom:
            inside.append((get("line"), get("left"), get("text")))
    if by_position:
        ys: dict[int, list[float]] = {}
        for w in words:
            get = w.get if isinstance(w, dict) else lambda k, w=w: getattr(w, k)
            ys.setdefault(get("line"), []).append(get("top") + get("height") / 2)
        rank = {ln: sum(v) / len(v) for ln, v in ys.items()}
        inside = [(rank[ln], left, text, ln) for ln, left, text in inside]
        inside.sort()
        inside = [(ln, left, text) for _, left, text, ln in inside]
    else:
        inside.sort()
    lines: dict[int, list[str]] = {}
    for line, _, text in inside:
        lines.setdefault(line, []).append(text)
    return "\n".join(" ".join(ws) for ws in lines.values())
