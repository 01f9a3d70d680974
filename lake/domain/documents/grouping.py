"""Page roles and grouping of a record's scanned pages into documents, plus grouping evaluation.

A first page carries the header (issuing body, "Số: …", motto or ĐẢNG CỘNG SẢN VIỆT NAM, place-date line,
type title); the last page carries the closing block (signature, Nơi nhận). Nghị định 30 prints page
numbers from page 2 on, which marks continuation pages; an annex ("PHỤ LỤC", "Kèm theo …") after a
signature stays with its document.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

from lake.domain.documents.dates import find_dates
from lake.domain.documents.doctypes import match_title
from lake.domain.documents.extract import HD36_NUMBER, ND30_NUMBER, VE_VIEC_RX, VV_RX, _is_name
from lake.domain.documents.layout import NOI_NHAN_RX, PREFIX_RX, is_decoration, page_lines
from lake.domain.documents.model import PageFeatures
from lake.domain.documents.text import Line, Page, Word, fold, upper_ratio

START_THRESHOLD = 0.4
_ORGAN_RX = re.compile(r"UY BAN|UBND|HOI DONG|\bSO\b|PHONG|DANG UY|HUYEN UY|QUAN UY|THI UY|THANH UY|"
                       r"DANG BO|CHI BO|VAN PHONG|TRUNG TAM|BAN |MAT TRAN|CONG AN")
_SIG_TITLE_RX = re.compile(r"CHU TICH|GIAM DOC|BI THU|TRUONG|CHANH VAN PHONG|THU TRUONG")


def _zones(page: Page) -> tuple[list[Line], list[Line]]:
    lines = [ln for ln in page_lines(page, 0) if ln.text.strip()]
    if page.has_boxes:
        top = [ln for ln in lines if ln.top < 0.35 * page.height]
        bottom = [ln for ln in lines if ln.top >= 0.35 * page.height]
    else:
        top = lines[:16]
        bottom = lines[max(0, len(lines) - 30):]
    return top, bottom


def page_features(text: str, words: Sequence[dict | Word] = (), width: int = 0,
                  height: int = 0) -> PageFeatures:
    """Structural features of one OCR'd page (text plus optional Tesseract word boxes)."""
    page = Page.from_ocr(text, words, width, height)
    n_chars = sum(c.isalnum() for c in page.text)
    if n_chars < 20:
        return PageFeatures(is_blank=True, n_chars=n_chars)
    top, bottom = _zones(page)
    top_text = "\n".join(ln.text for ln in top)
    ftop = fold(top_text)
    has_number = any(
        (m := rx.search(fold(ln.text))) and re.match(r"S\s?[O06Q]", fold(ln.text)[m.start():])
        for ln in top for rx in (ND30_NUMBER, HD36_NUMBER)
    )
    has_motto = bool(re.search(r"CONG\s*H[OA0]A\s*XA\s*H[OA0]I|DOC\s*LAP\s*-?\s*TU\s*DO|HANH\s*PHUC", ftop))
    has_party = bool(re.search(r"DANG\s*CONG\s*SAN\s*VIET", ftop))
    has_place_date = any(d.place is not None for d in find_dates(top_text))
    has_title = any(match_title(ln.text)[0] is not None and upper_ratio(ln.text) > 0.7 for ln in top)
    has_subject = any(VV_RX.match(fold(ln.text)) or VE_VIEC_RX.match(fold(ln.text)) for ln in top)
    has_header = any(upper_ratio(ln.text) > 0.8 and _ORGAN_RX.search(fold(ln.text)) for ln in top[:6])
    is_annex = bool(re.search(r"PHU\s*LUC|KEM\s*THEO", fold("\n".join(ln.text for ln in top[:4]))))
    page_number = None
    first = top[0].text.strip() if top else ""
    if re.fullmatch(r"[-–\s]*\d{1,3}[-–\s]*", first):
        page_number = int(re.sub(r"\D", "", first))
    has_recipients = any(NOI_NHAN_RX.search(fold(ln.text)) for ln in bottom)
    has_prefix = any(PREFIX_RX.match(fold(ln.text).lstrip()) and upper_ratio(ln.text) > 0.6 for ln in bottom)
    has_sig_title = False
    for k, ln in enumerate(bottom):
        if upper_ratio(ln.text) > 0.8 and _SIG_TITLE_RX.search(fold(ln.text)) and not is_decoration(ln.text):
            has_sig_title = has_sig_title or any(_is_name(x.text) for x in bottom[k + 1:k + 6])
    return PageFeatures(
        has_header_block=has_header,
        has_number_line=has_number,
        has_motto=has_motto,
        has_party_line=has_party,
        has_place_date=has_place_date,
        has_type_title=has_title,
        has_subject_line=has_subject,
        has_signature_block=has_prefix or has_sig_title,
        has_recipients=has_recipients,
        is_annex=is_annex,
        page_number=page_number,
        n_chars=n_chars,
    )


def _features(p) -> PageFeatures:
    if isinstance(p, PageFeatures):
        return p
    if isinstance(p, Page):
        return page_features(p.text, p.words, p.width, p.height)
    if isinstance(p, str):
        return page_features(p)
    return page_features(*p)


def _detect(feats: Sequence[PageFeatures], offset: int = 0) -> list[list[int]]:
    groups: list[list[int]] = []
    cur: list[int] = []
    prev_end = False
    for k, f in enumerate(feats):
        i = k + offset
        if f.is_blank:
            cur.append(i)
            continue
        starts = f.start_score >= START_THRESHOLD
        continuation = (f.page_number is not None and f.page_number >= 2) or f.is_annex
        if cur and (starts or (prev_end and not continuation)):
            groups.append(cur)
            cur = []
        cur.append(i)
        prev_end = f.has_signature_block or f.has_recipients
    if cur:
        groups.append(cur)
    return [g for g in groups if g]


def group_pages(pages: Sequence, boundaries: Sequence[tuple[int, int]] | None = None) -> list[list[int]]:
    """Group page indices into documents.

    `pages`: Page objects, PageFeatures, plain texts, or (text, words, width, height) tuples.
    `boundaries`: inventory page ranges as (first, last) page indices, 0-based and inclusive. They are
    trusted as given; pages outside every range are grouped by detection (document starts from header
    evidence, ends from the closing block). Overlapping or out-of-range boundaries raise ValueError.
    """
    n = len(pages)
    if boundaries:
        ranges = sorted((int(a), int(b)) for a, b in boundaries)
        for a, b in ranges:
            if not (0 <= a <= b < n):
                raise ValueError(f"boundary ({a}, {b}) outside pages 0..{n - 1}")
        for (_, b1), (a2, _) in pairwise(ranges):
            if a2 <= b1:
                raise ValueError(f"overlapping boundaries around page {a2}")
        groups = [list(range(a, b + 1)) for a, b in ranges]
        covered = {i for g in groups for i in g}
        run: list[int] = []
        for i in [*range(n), n]:
            if i < n and i not in covered:
                run.append(i)
                continue
            if run:
                feats = [_features(pages[j]) for j in run]
                groups.extend(_detect(feats, run[0]))
                run = []
        return sorted(groups, key=lambda g: g[0])
    feats = [_features(p) for p in pages]
    return _detect(feats)


@dataclass(frozen=True)
class GroupingScores:
    pair_precision: float  # of page pairs put together, share truly together
    pair_recall: float  # of page pairs truly together, share put together
    pair_f1: float
    boundary_precision: float  # predicted document starts that are true starts
    boundary_recall: float
    exact_documents: float  # share of true documents reproduced exactly
    page_accuracy: float  # share of pages whose predicted document equals their true document


def _pairs(sizes) -> int:
    return sum(s * (s - 1) // 2 for s in sizes)


def grouping_scores(predicted: Sequence[Sequence[int]], truth: Sequence[Sequence[int]]) -> GroupingScores:
    """Compare a page grouping with the true one (both lists of page-index lists)."""
    p_of = {i: k for k, g in enumerate(predicted) for i in g}
    t_of = {i: k for k, g in enumerate(truth) for i in g}
    if set(p_of) != set(t_of):
        raise ValueError("predicted and true groupings cover different pages")
    inter = Counter((p_of[i], t_of[i]) for i in t_of)
    tp = _pairs(inter.values())
    pp = _pairs(len(g) for g in predicted)
    tt = _pairs(len(g) for g in truth)
    prec = tp / pp if pp else 1.0
    rec = tp / tt if tt else 1.0
    f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    ps = {min(g) for g in predicted if g}
    ts = {min(g) for g in truth if g}
    bp = len(ps & ts) / len(ps) if ps else 1.0
    br = len(ps & ts) / len(ts) if ts else 1.0
    pset = {tuple(sorted(g)) for g in predicted}
    exact = sum(1 for g in truth if tuple(sorted(g)) in pset) / len(truth) if truth else 1.0
    pg = {i: frozenset(predicted[p_of[i]]) for i in p_of}
    tg = {i: frozenset(truth[t_of[i]]) for i in t_of}
    acc = sum(1 for i in t_of if pg[i] == tg[i]) / len(t_of) if t_of else 1.0
    return GroupingScores(prec, rec, f1, bp, br, exact, acc)
