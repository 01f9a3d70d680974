"""Field extraction from the OCR output of one document (pages already grouped).

Entry point: `extract_fields(pages, record_range=None) -> ExtractedFields`.

Where each field is read:
- page 1, header left column: issuing body (and its parent above it), "Số: …" (number and symbol),
  the "V/v …" subject of a công văn; header right column: national motto or ĐẢNG CỘNG SẢN VIỆT NAM
  (decides the layout) and the place-and-date line;
- page 1 below the header: the type title (QUYẾT ĐỊNH …) and the subject under it;
- the last page holding a closing block: "Nơi nhận:" (left) and the signature block (right):
  authority prefix, title, signer name;
- stamps (Mật / Khẩn …) anywhere in the header zone as stand-alone lines.

Confidence = pattern score (1 clean, lower when the text had to be repaired or the reading is ambiguous)
× OCR factor (mean Tesseract confidence of the words the value came from, or 0.9 without word boxes).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import replace

from lake.domain.documents.closed_world import TITLES, snap_agency, snap_person_name
from lake.domain.documents.closed_world import match_title as match_signer_title
from lake.domain.documents.dates import DATE_INVALID, check_date_in_range, find_dates, normalise_place
from lake.domain.documents.doctypes import BY_ABBR, CONG_VAN, DocType, canonical_abbr, match_title
from lake.domain.documents.layout import NOI_NHAN_RX, PREFIX_RX, Zones, build_zones, is_decoration
from lake.domain.documents.model import MISSING, ExtractedFields, Field, Span
from lake.domain.documents.text import Line, Page, align_words, collapse_ws, fold, squash, upper_ratio

# folded "Số:" and its OCR variants (Sô:, S6:, SỐ, So :) followed by the number
_SO = r"(?<![A-Z0-9])S\s?[O06Q]\s*[:;.,]?\s*"
_TOKEN = r"[A-Z0-9][A-Z0-9.]*"
_DASH = r"\s*[-–—‐−]\s*"
ND30_NUMBER = re.compile(rf"(?:{_SO})?(?P<num>[0-9OIL]{{1,5}})\s*/\s*(?P<sym>{_TOKEN}(?:{_DASH}{_TOKEN})*)")
HD36_NUMBER = re.compile(
    rf"(?:{_SO})?(?P<num>[0-9OIL]{{1,5}}){_DASH}(?P<type>[A-Z]{{1,4}})\s*/\s*(?P<iss>{_TOKEN}(?:\s*[/-]\s*{_TOKEN})*)"
)
VV_RX = re.compile(r"^\s*V\s*[/|l1I]\s*V\b\.?\s*:?\s*")
VE_VIEC_RX = re.compile(r"^\s*VE\s*VIEC\b")
_STAMPS = {
    "MAT": ("secrecy", "Mật"), "TOIMAT": ("secrecy", "Tối mật"), "TUYETMAT": ("secrecy", "Tuyệt mật"),
    "KHAN": ("urgency", "Khẩn"), "THUONGKHAN": ("urgency", "Thượng khẩn"), "HOATOC": ("urgency", "Hỏa tốc"),
    "HOATOCHENGIO": ("urgency", "Hỏa tốc"),
}
def _stamp_of(text: str) -> tuple[str, str] | None:
    """The stamp a line is: the whole line ("TỐI MẬT"), or every word the same stamp ("MẬT MẶT": the stamp
    read twice, by the page pass and by the stamp pass)."""
    hit = _STAMPS.get(squash(text))
    if hit is not None:
        return hit
    keys = {squash(t) for t in text.split()} - {""}
    if len(keys) == 1:
        return _STAMPS.get(keys.pop())
    return None


_ORGAN_GENERIC = {squash(x) for x in ("ỦY BAN NHÂN DÂN", "HỘI ĐỒNG NHÂN DÂN",
                                      "ỦY BAN MẶT TRẬN TỔ QUỐC VIỆT NAM",
                                      "ỦY BAN MTTQ VIỆT NAM")}
_LOCALITY_RX = re.compile(r"^(THANH PHO|TP\.?|QUAN|HUYEN|THI XA|THI TRAN|PHUONG|XA|TINH)\b")
_ORGAN_START_RX = re.compile(
    r"^(UBND|UY BAN|HOI DONG|HDND|SO |PHONG|BAN |VAN PHONG|TRUNG TAM|CHI CUC|CUC |TONG CUC|BO |DANG UY|"
    r"HUYEN UY|QUAN UY|THI UY|THANH UY|DANG BO|CHI BO|DOAN|HOI |CONG AN|TRUONG|BENH VIEN|MAT TRAN|"
    r"LIEN DOAN|BAN QUAN LY|THANH TRA|KHO BAC|CHI NHANH|TOA AN|VIEN KIEM SAT|BCH|BAN CHAP HANH)"
)
_NON_NAME = {squash(x) for x in ("Nơi", "Như", "Lưu", "Điều", "Kính", "Hà", "Nội", "Đã", "Ký", "Sở", "Phòng",
                                   "Văn", "Ban", "Các", "Thường", "Trực", "Chủ", "Phó", "Giám", "Bí")}
SURNAMES = {squash(x) for x in (
    "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô",
    "Dương", "Lý", "Đào", "Đoàn", "Vương", "Trịnh", "Trương", "Đinh", "Lâm", "Phùng", "Mai", "Tô", "Hà",
    "Tạ", "Lương", "Chu", "Cao", "Lưu", "Quách", "Kiều", "Khuất", "Nghiêm", "Triệu", "Thái", "Đàm", "Lại",
    "Văn", "Tăng", "Hứa", "Doãn", "Đồng", "Nông", "Lò", "Hầu", "Giang", "Âu", "Tống", "Lục", "Mạc", "Khổng",
)}


def _ocr_factor(page: Page | None, words: Sequence[int]) -> float:
    if page is None or not words:
        return 0.9
    confs = [page.words[i].confidence for i in words if 0 <= i < len(page.words) and page.words[i].confidence >= 0]
    if not confs:
        return 0.9
    return max(0.05, min(1.0, sum(confs) / len(confs) / 100))


class _Doc:
    """Per-document state: pages, their zones, and span helpers."""

    def __init__(self, pages: Sequence[Page], places: tuple[str, ...] = ()):
        self.pages = list(pages)
        self.places = places
        self.flags: list[str] = []
        self._offsets = {k: (align_words(p.text, p.words) if p.has_boxes else [])
                         for k, p in enumerate(pages)}

    def span(self, line: Line, a: int, b: int) -> tuple[Span, float]:
        page = self.pages[line.page] if line.page < len(self.pages) else None
        if line.char_map:
            words = line.words_in(a, b)
            offs = self._offsets.get(line.page, [])
            starts = [offs[i] for i in words if i < len(offs) and offs[i] is not None]
            ends = [offs[i] + len(page.words[i].text) for i in words
                    if page is not None and i < len(offs) and offs[i] is not None]
            sp = Span(line.page, min(starts) if starts else None, max(ends) if ends else None, words)
            return sp, _ocr_factor(page, words)
        if line.start is None:
            return Span(line.page), 0.9
        sp = Span(line.page, line.start + a, line.start + b)
        if page is not None and page.words:
            offs = self._offsets.get(line.page, [])
            words = tuple(i for i, o in enumerate(offs) if o is not None and sp.start <= o < sp.end)
            return Span(line.page, sp.start, sp.end, words), _ocr_factor(page, words)
        return sp, 0.9

    def field(self, value, pattern: float, line: Line, a: int = 0, b: int | None = None,
              raw: str | None = None) -> Field:
        b = len(line.text) if b is None else b
        sp, ocr = self.span(line, a, b)
        return Field(value, round(max(0.0, min(1.0, pattern * ocr)), 3), sp,
                     raw if raw is not None else line.text[a:b])

    def field_lines(self, value, pattern: float, lines: Sequence[Line], raw: str) -> Field:
        """A field spanning several lines of one page."""
        spans = [self.span(ln, 0, len(ln.text)) for ln in lines]
        starts = [s.start for s, _ in spans if s.start is not None]
        ends = [s.end for s, _ in spans if s.end is not None]
        words = tuple(i for s, _ in spans for i in s.words)
        ocr = sum(o for _, o in spans) / len(spans)
        sp = Span(lines[0].page, min(starts) if starts else None, max(ends) if ends else None, words)
        return Field(value, round(max(0.0, min(1.0, pattern * ocr)), 3), sp, raw)


def extract_fields(
    pages: Sequence[Page],
    record_range: tuple[dt.date | None, dt.date | None] | None = None,
    places: Sequence[str] = (),
    *,
    correct: bool = True,
) -> ExtractedFields:
    """Fields of one document from its OCR'd pages (in order).

    `places` are place names the caller knows (upper case, e.g. the districts and communes of the
    reference lists): an issuer made only of agency words and these places is "known"; any other is kept
    as read, cleaned of junk, and flagged `issuer_unmatched`. With `correct` (the default) the fields are
    read from the post-OCR corrected text and words (`lake.domain.ocr.correct`); `raw` keeps what OCR read.

    `record_range` is the (start, end) date range of the record (hồ sơ) holding the document; the
    document date is checked against it and flagged (never corrected) — see `check_date_in_range`.

    >>> page = Page.from_ocr(
    ...     "ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\\n"
    ...     "QUẬN HOÀN KIẾM Độc lập - Tự do - Hạnh phúc\\n"
    ...     "Số: 155/QĐ-UBND Hoàn Kiếm, ngày 05 tháng 3 năm 2025\\n"
    ...     "QUYẾT ĐỊNH\\nVề việc phê duyệt kế hoạch số hóa tài liệu lưu trữ\\nĐiều 1. Phê duyệt kế hoạch.\\n"
    ...     "Nơi nhận:\\n- Như Điều 1;\\n- Lưu: VT.\\nTM. ỦY BAN NHÂN DÂN\\nCHỦ TỊCH\\nNguyễn Văn An\\n")
    >>> f = extract_fields([page])
    >>> (f.type_abbr.value, f.symbol.value, f.date.value.isoformat(), f.signer_name.value)
    ('QĐ', '155/QĐ-UBND', '2025-03-05', 'Nguyễn Văn An')
    >>> f.subject.value
    'Về việc phê duyệt kế hoạch số hóa tài liệu lưu trữ'
    """
    pages = [p if isinstance(p, Page) else Page.from_ocr(*p) for p in pages]
    if correct:
        pages = [_corrected(p) for p in pages]
    out = ExtractedFields()
    if not pages:
        out.flags.append("no_pages")
        return out
    doc = _Doc(pages, tuple(places))
    first = build_zones(pages[0], 0, header=True, footer=len(pages) == 1)
    closing = None
    for k in range(len(pages) - 1, -1, -1):
        z = first if (k == 0 and len(pages) == 1) else build_zones(pages[k], k, header=False, footer=True)
        if z.footer_left or z.footer_right:
            closing = z
            break

    _layout(doc, first, out)
    title = _title(doc, first, out)
    _number(doc, first, out, title)
    _date_place(doc, first, out, record_range)
    _issuer(doc, first, out)
    _subject(doc, first, out)
    _stamps(doc, first, out)
    if closing is not None:
        _signature(doc, closing, out)
        _recipients(doc, closing, out)
    if not out.signer_name.found:
        out.flags.append("signer_not_found")
    if not out.number.found:
        out.flags.append("number_not_found")
    if not out.date.found:
        out.flags.append("date_not_found")
    out.flags.extend(doc.flags)
    out.flags = list(dict.fromkeys(out.flags))
    return out


def _corrected(page: Page) -> Page:
    from lake.domain.ocr.correct import correct_text, correct_words

    words = [replace(w, text=t) for w, t in zip(page.words, correct_words(page.words), strict=True)]
    return Page(correct_text(page.text), words, page.width, page.height)


# --- header ------------------------------------------------------------------------------------------

def _header_lines(z: Zones) -> list[Line]:
    return z.header_left + z.header_right


def _layout(doc: _Doc, z: Zones, out: ExtractedFields) -> None:
    for ln in z.header_right + z.header_left:
        f = fold(ln.text)
        m = re.search(r"DANG\s*CONG\s*SAN", f)
        if m:
            out.layout = doc.field("hd36", 1.0, ln, m.start(), len(ln.text))
            return
        m = re.search(r"CONG\s*H[OA0]A\s*XA\s*H[OA0]I|DOC\s*LAP\s*-?\s*TU\s*DO", f)
        if m:
            out.layout = doc.field("nd30", 1.0, ln, m.start(), len(ln.text))
            return
    for ln in z.header_left:
        if HD36_NUMBER.search(fold(ln.text)) and not ND30_NUMBER.search(fold(ln.text)):
            out.layout = doc.field("hd36", 0.7, ln)
            return
    out.layout = Field("nd30", 0.4, None, None)


def _title(doc: _Doc, z: Zones, out: ExtractedFields) -> DocType | None:
    for ln in z.body[:12]:
        if not ln.text.strip():
            continue
        t, score = match_title(ln.text)
        if t is not None and upper_ratio(ln.text) >= 0.7:
            z.title_line = ln
            out.type_name = doc.field(t.name, score, ln)
            return t
    return None


def _number(doc: _Doc, z: Zones, out: ExtractedFields, title: DocType | None) -> None:
    party = out.layout.value == "hd36"
    candidates = [(ln, 1.0) for ln in z.header_left] + [(ln, 0.8) for ln in z.header_right]
    candidates += [(ln, 0.7) for ln in z.body[:6]]
    order = (HD36_NUMBER, ND30_NUMBER) if party else (ND30_NUMBER, HD36_NUMBER)
    for rx in order:
        for ln, weight in candidates:
            f = fold(ln.text)
            for m in rx.finditer(f):
                has_so = bool(re.match(_SO, f[m.start():]))
                if not has_so and (weight < 1.0 or f[:m.start()].strip()):
                    continue
                # the document's own number opens its line ("Số: 155/QĐ-UBND"); "… Công văn số 2114/…"
                # cites another document and is never taken
                if re.search(r"[A-Z]{2,}", f[:m.start()]):
                    continue
                if not has_so and rx is HD36_NUMBER and not party:
                    continue
                if _take_number(doc, ln, m, rx is HD36_NUMBER, has_so, weight, out, title):
                    _number_confidence(doc, out)
                    return
    if not party and _number_without_slash(doc, z, out, title):
        return
    _number_handwritten(doc, z, out)


# "Số: 18017TB-UBND", "Số: 2002GM-UBND": the slash of an ND 30 number read as a 7 or a 1, or lost
_SYM_TIGHT = r"(?P<sym>[A-Z][A-Z]{0,3}-[A-Z][A-Z0-9]{1,9}(?:-[A-Z0-9]{1,9})*)\s*$"
_NO_SLASH_AS_DIGIT = re.compile(rf"\s*{_SO}(?P<num>[0-9]{{1,5}})[71]{_SYM_TIGHT}")
_NO_SLASH_LOST = re.compile(rf"\s*{_SO}(?P<num>[0-9]{{1,5}}){_SYM_TIGHT}")


def _number_without_slash(doc: _Doc, z: Zones, out: ExtractedFields, title: DocType | None) -> bool:
    """The header's own "Số:" line with its slash misread: the number is read on the usual OCR confusion (a
    slash becomes a 7 or a 1 before the symbol, or is dropped) and sent to review, never stored as certain."""
    for ln in z.header_left:
        f = fold(ln.text)
        for rx in (_NO_SLASH_AS_DIGIT, _NO_SLASH_LOST):
            m = rx.match(f)
            if not m:
                continue
            sym = m.group("sym")
            head = sym.split("-")[0]
            abbr, _exact = canonical_abbr(head, party=False, title=title)
            if abbr is None and not _ORGAN_ABBR_RX.match(head):
                continue  # neither a type abbreviation nor an issuer's: not a number line
            if _take_number(doc, ln, m, False, True, 1.0, out, title):
                doc.flags.append("number_uncertain")
                for name in ("number", "symbol"):
                    fld = getattr(out, name)
                    setattr(out, name, Field(fld.value, round(min(fld.confidence, 0.5), 3), fld.span, fld.raw))
                return True
    return False


_ORGAN_ABBR_RX = re.compile(r"^(UBND|HDND|S[A-Z]{1,6}|CA[A-Z]{0,4}|P[A-Z]{1,5}|VP|BCH|MTTQ)$")


def _number_confidence(doc: _Doc, out: ExtractedFields) -> None:
    """A number whose digits OCR read with low confidence (often written by hand) goes to review."""
    sp = out.number.span
    if sp is None or not sp.words or sp.page >= len(doc.pages):
        return
    page = doc.pages[sp.page]
    confs = [page.words[i].confidence for i in sp.words if 0 <= i < len(page.words) and page.words[i].confidence >= 0]
    if confs and min(confs) < NUMBER_MIN_WORD_CONF:
        doc.flags.append("number_uncertain")
        for name in ("number", "symbol"):
            f = getattr(out, name)
            setattr(out, name, Field(f.value, round(min(f.confidence, 0.6), 3), f.span, f.raw))


def _number_handwritten(doc: _Doc, z: Zones, out: ExtractedFields) -> None:
    """A "Số:" line in the header with a symbol but no readable number: the number was written in by hand
    (or is illegible). It is flagged for a person to read; no number is guessed."""
    for ln in z.header_left:
        f = fold(ln.text)
        m = _HANDWRITTEN_NO.match(f)
        if m:
            doc.flags.append("number_handwritten")
            out.symbol = Field(None, 0.0, doc.span(ln, m.start(), m.end())[0], ln.text[m.start():m.end()])
            # the symbol's tail still tells a công văn (issuer-unit, no type abbreviation) from a typed one
            sym = m.group("sym") or m.group("sym2") or m.group("sym3") or ""
            parts = [x for x in re.split(_DASH, sym) if x]
            if parts and out.layout.value != "hd36" and not out.type_name.found:
                abbr, _exact = canonical_abbr(_clean_token(parts[0]), party=False, title=None)
                if abbr is None and len(parts) >= 1:
                    out.type_name = Field(CONG_VAN.name, 0.6, out.symbol.span, sym)
            return


NUMBER_MIN_WORD_CONF = 60.0
# "Số: /KH-SGDĐT", "SỞ /4UBND-NV", "Số: 96//UBND-VP": a number line whose number is missing or illegible
_HANDWRITTEN_NO = re.compile(
    r"\s*S\s?[O06Q]\s*[:;.,]?\s*(?:(?P<junk>[^/\s]{0,6})\s*/{1,2}\s*[^A-Z\s]{0,2}"
    r"(?P<sym>[A-Z][A-Z0-9.]*(?:\s*[-–—]\s*[A-Z0-9.]+)*)"
    # no slash left ("SỞ z TTr-UBND"): a short junk token, then a tight symbol with a dash
    r"|(?P<junk2>[^A-Z\s]{1,4}|[A-Z]{1,2})\s+(?P<sym2>[A-Z][A-Z]{0,3}-[A-Z][A-Z0-9]{1,9})\s*$"
    # a junk mark glued to the symbol where the number was written ("Số: %TTr-UBND")
    r"|(?P<junk3>[^A-Z0-9\s]{1,3})(?P<sym3>[A-Z][A-Z]{0,3}-[A-Z][A-Z0-9]{1,9})\s*$)"
)


def _clean_token(s: str) -> str:
    s = re.sub(r"\s+", "", s).replace("Ð", "Đ").replace("ð", "đ")
    return re.sub(r"[–—‐−]", "-", s).rstrip(".,;:")


def _take_number(doc: _Doc, ln: Line, m: re.Match, party: bool, has_so: bool, weight: float,
                 out: ExtractedFields, title: DocType | None) -> bool:
    text = ln.text
    num_raw = text[m.start("num"):m.end("num")]
    try:
        number = int(num_raw.translate(str.maketrans("OoIlL", "00111")))
    except ValueError:
        return False
    repaired = not num_raw.isdigit()
    pattern = weight * (1.0 if has_so else 0.85)
    so_raw = text[m.start():m.start("num")].strip()
    if has_so and not re.fullmatch(r"Số\s?:?", so_raw):
        repaired = True
    if party:
        type_raw = text[m.start("type"):m.end("type")]
        iss_raw = text[m.start("iss"):m.end("iss")]
        abbr, exact = canonical_abbr(type_raw, party=True, title=title)
        if abbr is None:
            return False
        issuer = _clean_token(iss_raw)
        symbol = f"{number}-{abbr}/{issuer}"
        if not exact or re.search(r"\s", text[m.start("num"):m.end()]):
            repaired = True
        p = pattern * (0.85 if repaired else 1.0)
        out.number = doc.field(number, p, ln, m.start("num"), m.end("num"))
        out.symbol = doc.field(symbol, p, ln, m.start("num"), m.end())
        out.issuer_abbr = doc.field(issuer, p, ln, m.start("iss"), m.end("iss"))
        _set_type(doc, out, abbr, p, ln, m.start("type"), m.end("type"), title)
        return True
    sym_raw = text[m.start("sym"):m.end("sym")]
    parts = [_clean_token(x) for x in re.split(_DASH, sym_raw) if x.strip()]
    if not parts or not any(c.isalpha() for c in parts[0]):
        return False
    if re.search(r"\s", text[m.start("num"):m.end()]):
        repaired = True
    abbr, exact = canonical_abbr(parts[0], party=False, title=title)
    if len(parts) >= 2 and abbr is not None:
        issuer = "-".join(parts[1:])
        symbol = f"{number}/{abbr}-{issuer}"
        p = pattern * (0.9 if (repaired or not exact) else 1.0)
        if abbr in ("DA", "HD") and not exact and title is None:
            p *= 0.8
        out.number = doc.field(number, p, ln, m.start("num"), m.end("num"))
        out.symbol = doc.field(symbol, p, ln, m.start("num"), m.end())
        dm = re.search(_DASH, sym_raw)
        type_end = m.start("sym") + dm.start() if dm else m.end()
        iss_start = m.start("sym") + dm.end() if dm else m.end()
        out.issuer_abbr = doc.field(issuer, p, ln, iss_start, m.end())
        _set_type(doc, out, abbr, p, ln, m.start("sym"), type_end, title)
        return True
    # công văn: issuer + drafting unit, no type abbreviation
    issuer = "-".join(p.replace("Ð", "Đ") for p in parts)
    symbol = f"{number}/{issuer}"
    p = pattern * (0.9 if repaired else 1.0)
    out.number = doc.field(number, p, ln, m.start("num"), m.end("num"))
    out.symbol = doc.field(symbol, p, ln, m.start("num"), m.end())
    out.issuer_abbr = doc.field(issuer, p, ln, m.start("sym"), m.end())
    if title is None:
        out.type_name = Field(CONG_VAN.name, round(0.85 * out.symbol.confidence, 3), out.symbol.span,
                              out.symbol.raw)
        out.type_abbr = Field(None, 0.0)
    else:
        doc.flags.append("type_symbol_mismatch")
    return True


def _set_type(doc: _Doc, out: ExtractedFields, abbr: str, p: float, ln: Line, a: int, b: int,
              title: DocType | None) -> None:
    t = BY_ABBR[abbr]
    if title is not None and title.name != t.name:
        doc.flags.append("type_symbol_mismatch")
        out.type_abbr = doc.field(title.abbr, 0.6 * p, ln, a, b)
        return
    out.type_abbr = doc.field(abbr, p, ln, a, b)
    if abbr == "CV" and title is None:
        out.type_name = doc.field(CONG_VAN.name, p, ln, a, b)
    elif title is None:
        out.type_name = doc.field(t.name, 0.9 * p, ln, a, b)


def _date_place(doc: _Doc, z: Zones, out: ExtractedFields, record_range) -> None:
    searched = [(ln, 1.0) for ln in z.header_right] + [(ln, 0.8) for ln in z.header_left]
    for ln, weight in searched:
        for d in find_dates(ln.text):
            if d.place is None and not d.wordy:
                continue
            _take_date(doc, ln, d, weight, out, record_range)
            return
    # fallback: first "<place>, ngày …" anywhere in the first page text
    page = doc.pages[0]
    for d in find_dates(page.text):
        if d.place is not None:
            ln = Line(page.text, 0, 0, len(page.text))
            _take_date(doc, ln, d, 0.7, out, record_range)
            return
    # "Đà Nẵng, ngày    tháng 5 năm 2021": the day was written in by hand (or is illegible); flagged, not guessed
    for ln, _weight in searched:
        if re.search(r"NGAY\b.{0,8}?TH?ANG\s*\d{1,2}\s*N[AĂ]M\s*\d{4}", fold(ln.text)):
            doc.flags.append("date_handwritten")
            return


def _take_date(doc: _Doc, ln: Line, d, weight: float, out: ExtractedFields, record_range) -> None:
    p = weight * (0.85 if d.repaired else 1.0)
    if d.date is None:
        doc.flags.append(DATE_INVALID)
        out.date = Field(None, 0.0, doc.span(ln, d.start, d.end)[0], ln.text[d.start:d.end])
    else:
        out.date = doc.field(d.date, p, ln, d.start, d.end)
        if record_range is not None:
            flag = check_date_in_range(d.date, record_range[0], record_range[1])
            if flag:
                doc.flags.append(flag)
                out.date = Field(d.date, round(out.date.confidence * 0.5, 3), out.date.span, out.date.raw)
    if d.place is not None and d.place_start is not None:
        place = normalise_place(d.place)
        a = d.place_start
        exact = place == d.place
        out.place = doc.field(place, weight * (1.0 if exact else 0.9), ln, a, a + len(d.place))


def _issuer_lines(z: Zones) -> list[Line]:
    lines = []
    for ln in z.header_left:
        f = fold(ln.text)
        if (re.search(_SO + r"[0-9OIL]", f) or ND30_NUMBER.search(f) or VV_RX.match(f) or _HANDWRITTEN_NO.match(f)
                or _NUMBER_LINE_RX.match(f)):
            break
        if is_decoration(ln.text) or _stamp_of(ln.text) is not None:
            continue
        if upper_ratio(ln.text) < 0.6:
            if lines and sum(c.isalnum() for c in ln.text) >= 4:
                lines.append(replace(ln, column="damaged"))  # a line a seal or stamp ruined, in the issuer block
            continue
        lines.append(ln)
    return lines


# the header's number line however damaged: "Số" and a number or symbol glued to junk ("Số ¡219#KH/HU",
# "Số: %TTr-UBND"); the issuer's lines stand above it and never include it
_NUMBER_LINE_RX = re.compile(r"\s*S\s?[O06Q]\s*[:;.,]?\s*[^\sA-Z]{0,3}(?:\d|[A-Z]{1,4}-[A-Z]{2,})")


def _issuer(doc: _Doc, z: Zones, out: ExtractedFields) -> None:
    lines = _issuer_lines(z)
    # NĐ 30: the issuer's own name is the last unit above the number; a ruined line below the units read
    # means the name read may be its parent's: kept for a person to confirm, never stored as certain
    damaged = bool(lines) and lines[-1].column == "damaged"
    lines = [ln for ln in lines if ln.column != "damaged"]
    if not lines:
        return
    units: list[list[Line]] = []
    for ln in lines:
        f = fold(ln.text).strip()
        if not units:
            units.append([ln])
            continue
        prev = units[-1]
        prev_f = fold(prev[-1].text).strip()
        joins = (
            (squash(" ".join(x.text for x in prev)) in _ORGAN_GENERIC and _LOCALITY_RX.match(f))
            or prev_f.endswith(("VA", "-", "CUA", "VÀ"))
            or f.startswith(("VA ", "- ", "& "))
            or not (_ORGAN_START_RX.match(f) or _LOCALITY_RX.match(f))
        )
        if joins and len(prev) < 3:
            prev.append(ln)
        else:
            units.append([ln])
    issuer_lines = units[-1]
    issuer = snap_agency(collapse_ws(" ".join(x.text for x in issuer_lines)), doc.places)
    # with the known places given, a name with an unknown word is kept as read (cleaned) and marked
    unmatched = bool(doc.places) and not issuer.known
    pattern = (0.97 if len(units) <= 3 else 0.7) * (0.85 if unmatched else 1.0)
    # the issuer is printed in capitals (NĐ 30, Phụ lục I): a word in small letters is OCR damage
    if damaged or any(any(c.islower() for c in w) for w in issuer.name.split()):
        pattern = min(pattern, 0.6)
        doc.flags.append("issuer_damaged")
    out.issuer = doc.field_lines(issuer.name, pattern, issuer_lines, "\n".join(x.text for x in issuer_lines))
    if unmatched:
        doc.flags.append("issuer_unmatched")
    if len(units) >= 2:
        par = units[-2]
        parent = snap_agency(collapse_ws(" ".join(x.text for x in par)), doc.places)
        out.issuer_parent = doc.field_lines(parent.name, 0.8 if doc.places and not parent.known else 0.97, par,
                                            "\n".join(x.text for x in par))


#: The labelled lines of a giấy (giấy ủy quyền, giấy giới thiệu, giấy mời …) under its title: they name people
#: ("Người ủy quyền: Ông (bà) …"), and a giấy has no trích yếu under its title (NĐ 30/2020, Appendix III).
FORM_FIELD_RX = re.compile(r"^\s*(NGUOI (DUOC )?UY QUYEN|NOI DUNG UY QUYEN|THOI HAN|HO VA TEN|HO TEN|CHUC VU|"
                           r"DON VI CONG TAC|GIOI THIEU)\b|\b(TRAN TRONG GIOI THIEU|ONG \(BA\)|ONG/BA|ONG, BA)")


def _subject(doc: _Doc, z: Zones, out: ExtractedFields) -> None:
    # công văn: "V/v …" under the number, left column, possibly over several lines
    left = z.header_left
    for k, ln in enumerate(left):
        m = VV_RX.match(fold(ln.text))
        if not m:
            continue
        lines = [ln]
        for nxt in left[k + 1:]:
            if is_decoration(nxt.text) or not nxt.text.strip() or _stamp_of(nxt.text):
                break  # an urgency or secrecy stamp under the V/v line ends the subject
            fn = fold(nxt.text)
            if re.search(_SO + r"[0-9]", fn) or NOI_NHAN_RX.match(fn) or re.match(r"\s*KINH\s*GUI", fn):
                break
            lines.append(nxt)
        rest = ln.text[m.end():]
        text = collapse_ws(" ".join([rest] + [x.text for x in lines[1:]]))
        exact = ln.text[:m.end()].strip().rstrip(":") == "V/v"
        out.subject = doc.field_lines(collapse_ws("V/v " + text), 1.0 if exact else 0.9, lines,
                                      "\n".join(x.text for x in lines))
        return
    # typed documents: the line(s) under the type title
    tline = z.title_line
    if tline is None:
        return
    body = z.body
    try:
        k = next(i for i, ln in enumerate(body) if ln is tline)
    except StopIteration:
        return
    lines: list[Line] = []
    for ln in body[k + 1:]:
        t = ln.text.strip()
        if not t:
            if lines:
                break
            continue
        f = fold(t)
        if is_decoration(t) or re.match(r"(CAN CU|KINH GUI|THUC HIEN|DIEU \d|PHAN I|I\.|1\.)", f):
            break
        if FORM_FIELD_RX.search(f):
            break  # a giấy's labelled field (who grants, who is introduced…) names people: never a subject
        if match_title(t)[0] is not None and upper_ratio(t) > 0.7:
            break
        if lines and ln.top and lines[-1].bottom and ln.top - lines[-1].bottom > 1.2 * max(
                lines[-1].bottom - lines[-1].top, 1):
            break
        lines.append(ln)
        if len(lines) >= 4 or t.endswith("."):
            break
    if lines:
        text = collapse_ws(" ".join(x.text for x in lines))
        out.subject = doc.field_lines(text, 0.9, lines, "\n".join(x.text for x in lines))


def _stamps(doc: _Doc, z: Zones, out: ExtractedFields) -> None:
    lines = _header_lines(z) + [ln for ln in z.body[:3]]
    for ln in lines:
        hit = _stamp_of(ln.text)
        if hit is None:
            continue
        name, value = hit
        if getattr(out, name).found:
            continue
        setattr(out, name, doc.field(value, 0.9, ln))
    # a stamp word merged into another line (the header columns were not told apart): a capitalised MẬT /
    # KHẨN standing alone between words that are not capitals ("MẶT TRẬN" is an organ, not a stamp).
    # Kept at a confidence that sends the decision to a reviewer; the document is restricted meanwhile.
    for ln in lines:
        toks = [(m.start(), m.end(), m.group()) for m in re.finditer(r"\S+", ln.text)]
        for k, (a, b, tok) in enumerate(toks):
            core = tok.strip(".,;:()[]|-_")
            if len(core) < 3 or not core.isupper():
                continue
            hit = _STAMPS.get(squash(core))
            if hit is None or getattr(out, hit[0]).found:
                continue
            neighbours = [toks[j][2] for j in (k - 1, k + 1) if 0 <= j < len(toks)]
            if any(sum(c.isalpha() for c in x) >= 2 and x.strip(".,;:").isupper() for x in neighbours):
                continue
            setattr(out, hit[0], doc.field(hit[1], 0.7, ln, a, b))


# --- closing block -----------------------------------------------------------------------------------

def _norm_prefix(raw: str) -> str:
    key = fold(raw).replace(" ", "").rstrip(".:,")
    if "/" in key:
        return key
    key = key.replace(".", "")
    return key + "."


def _is_name(text: str) -> bool:
    t = text.strip()
    toks = t.split()
    if not 2 <= len(toks) <= 6 or not all(x.isalpha() for x in toks):
        return False
    if not all(x[0].isupper() and (len(x) == 1 or x[1:].islower()) for x in toks):
        return False
    return squash(toks[0]) not in _NON_NAME


_JUNK_TOKEN = re.compile(r"^[^\w]*\w?[^\w]+$|^[^\w]+$")


def _core(text: str) -> tuple[int, int]:
    """Bounds of a line without the junk tokens a seal or stamp leaves at its ends ("«+. GIẮM ĐỐC")."""
    toks = [(m.start(), m.end()) for m in re.finditer(r"\S+", text)]
    # (the one-letter prefix Q. of an acting head's title is not junk)
    while toks and _JUNK_TOKEN.match(text[toks[0][0]:toks[0][1]]) and not (
            re.fullmatch(r"Q[.,:]", text[toks[0][0]:toks[0][1]]) and len(toks) > 1):
        toks.pop(0)
    while toks and _JUNK_TOKEN.match(text[toks[-1][0]:toks[-1][1]]):
        toks.pop()
    if not toks:
        return (0, 0)
    a, b = toks[0][0], toks[-1][1]
    # marks glued to the first or last word ("~KT. GIÁM ĐỐC", ".`PHÓ GIÁM ĐỐC", "„Phạm Hữu An")
    while a < b and text[a] in _GLUED_JUNK:
        a += 1
    while b > a and text[b - 1] in _GLUED_JUNK:
        b -= 1
    return (a, b) if a < b else (0, 0)


_KT_OCR_RX = re.compile(r"^(K\s?[71IL])\s*[.,:]\s+(?=[A-Z])")
_GLUED_JUNK = set("~`'\"„“”‚+*•·_|\\^¸´ˆ˜ˇ˘ ")


def _name_like(text: str) -> bool:
    """A damaged name: 2-5 title-case words, most of them letters only, the first a family name."""
    toks = text.split()
    if not 2 <= len(toks) <= 5 or squash(toks[0]) not in SURNAMES:
        return False
    good = sum(1 for x in toks if x.isalpha() and x[0].isupper())
    return good >= len(toks) - 1 and all(x[:1].isupper() or not x[:1].isalpha() for x in toks)


def _signature(doc: _Doc, z: Zones, out: ExtractedFields) -> None:
    right = [ln for ln in z.footer_right if ln.text.strip() and _core(ln.text) != (0, 0)]
    if not right:
        return
    core = {id(ln): _core(ln.text) for ln in right}

    def clean(ln: Line) -> str:
        a, b = core[id(ln)]
        return ln.text[a:b]

    last_prefix = None
    for k, ln in enumerate(right):
        m = PREFIX_RX.match(fold(clean(ln)))
        if m and upper_ratio(clean(ln)) > 0.6:
            last_prefix = (k, ln, m)
    title_line, title_a = None, 0
    search_from = 0
    if last_prefix is not None:
        k, ln, m = last_prefix
        lead = core[id(ln)][0]
        raw = ln.text[lead + m.start(1):lead + m.end(1)]
        prefix = _norm_prefix(raw)
        exact = raw.strip() + ("." if "/" not in raw else "") == prefix or raw.strip() == prefix
        out.authority_prefix = doc.field(prefix, 1.0 if exact else 0.9, ln, lead + m.start(1),
                                         lead + m.end(1))
        nxt = right[k + 1] if k + 1 < len(right) else None
        nxt_is_title = nxt is not None and (
            match_signer_title(clean(nxt)) is not None
            or (upper_ratio(nxt.text) >= 0.8 and not _is_name(clean(nxt))
                and not PREFIX_RX.match(fold(clean(nxt))) and sum(c.isalpha() for c in nxt.text) >= 3))
        if nxt_is_title:
            title_line, title_a = nxt, core[id(nxt)][0]
        else:
            title_line, title_a = ln, lead + m.end()
        search_from = right.index(title_line) + 1
    else:
        # "K7, CHỦ TỊCH", "K1. GIÁM ĐỐC": the T of KT. read as a digit, a title after it on the same line
        for ln in right[:2]:
            m = _KT_OCR_RX.match(fold(clean(ln)))
            if m and match_signer_title(clean(ln)[m.end():]) is not None:
                lead = core[id(ln)][0]
                out.authority_prefix = doc.field("KT.", 0.8, ln, lead, lead + m.end(1) + 1)
                break
        for k, ln in enumerate(right):
            if upper_ratio(clean(ln)) >= 0.6 and match_signer_title(clean(ln)) is not None:
                # NĐ 30: the authority line ("KT. CHỦ TỊCH", its prefix unread) stands above the signer's own
                # title ("PHÓ CHỦ TỊCH"): of two title lines in a row the second is the signer's
                nxt = right[k + 1] if k + 1 < len(right) else None
                if nxt is not None and upper_ratio(clean(nxt)) >= 0.6 and match_signer_title(clean(nxt)) is not None:
                    if not out.authority_prefix.found:
                        doc.flags.append("authority_prefix_unread")
                    ln, k = nxt, k + 1
                title_line, title_a = ln, core[id(ln)][0]
                search_from = k + 1
                break
    if title_line is not None:
        b = core[id(title_line)][1]
        t = collapse_ws(title_line.text[title_a:b])
        hit = match_signer_title(t) if t else None
        if hit is not None:
            pattern = 1.0 if hit.exact else (0.95 if hit.distance == 0 else 0.8)
            out.signer_title = doc.field(hit.title, pattern, title_line, title_a, b)
            if hit.prefix and not out.authority_prefix.found:
                out.authority_prefix = doc.field(hit.prefix, 0.9, title_line, title_a, b)
        elif t:
            doc.flags.append("signer_title_unmatched")
            out.signer_title = doc.field(t, 0.6, title_line, title_a, b)
    # "Q. TRƯỞNG PHÒNG": the acting head's title carries its Q. (the closed list's form), whether OCR put the
    # prefix on the title's line or the extractor read it as an authority prefix first
    st, ap = out.signer_title, out.authority_prefix
    if st.found and ap.value == "Q." and not str(st.value).startswith("Q.") and f"Q. {st.value}" in TITLES:
        out.signer_title = Field(f"Q. {st.value}", st.confidence, st.span, st.raw)
    # NĐ 30: KT. (ký thay) is signed by a deputy; a title without PHÓ under KT. is a misreading, for review
    st, ap = out.signer_title, out.authority_prefix
    if st.found and ap.value in ("KT.", "K/T") and not str(st.value).startswith("PHÓ"):
        doc.flags.append("signer_title_doubtful")
        out.signer_title = Field(st.value, round(min(st.confidence, 0.6), 3), st.span, st.raw)
    rest = right[search_from:]
    # the name by the structure of Vietnamese names (closed_world.snap_person_name): family name, middle
    # name(s), given name; a reading whose family or middle name had to be repaired goes to review
    names = []
    for ln in rest:
        hit = snap_person_name(clean(ln))
        if hit is None:
            continue
        first = squash(hit.name.split()[0])
        if first in _NON_NAME and not (hit.family_known and len(hit.name.split()) >= 3):
            continue
        names.append((ln, hit))
    if names:
        ln, hit = names[-1]
        a, b = core[id(ln)]
        p = 0.95 if hit.family_known and not hit.repaired else (0.8 if hit.family_known else 0.7)
        if hit.repaired:
            doc.flags.append("signer_name_repaired")
        out.signer_name = doc.field(hit.name, p, ln, a, b)
        return
    damaged = [ln for ln in rest if _name_like(clean(ln))]
    if damaged:  # a name the seal damaged: kept as read, for a person to confirm
        ln = damaged[-1]
        a, b = core[id(ln)]
        doc.flags.append("signer_name_damaged")
        out.signer_name = doc.field(collapse_ws(clean(ln)), 0.4, ln, a, b)


def _recipients(doc: _Doc, z: Zones, out: ExtractedFields) -> None:
    left = z.footer_left
    start = None
    for k, ln in enumerate(left):
        m = NOI_NHAN_RX.search(fold(ln.text))
        if m:
            start = (k, m)
            break
    if start is None:
        return
    k, m = start
    items: list[str] = []
    used: list[Line] = []
    tail = left[k].text[m.end():].strip()
    if tail:
        items.append(tail)
    used.append(left[k])
    for ln in left[k + 1:]:
        t = ln.text.strip()
        if not t or is_decoration(t):
            continue
        if _is_name(t) and not t.startswith(("-", "+")):
            break
        if t[:1] in "-+•*" or not items:
            items.append(t.lstrip("-+•* ").strip())
        else:
            items[-1] = f"{items[-1]} {t}"
        used.append(ln)
    cleaned = tuple(x.rstrip(" ;.,") for x in items if x.rstrip(" ;.,"))
    if cleaned:
        out.recipients = doc.field_lines(cleaned, 0.9, used, "\n".join(x.text for x in used))


__all__ = ["MISSING", "extract_fields"]
