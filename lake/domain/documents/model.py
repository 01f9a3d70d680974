"""Result types of the document field extractor."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, fields
from typing import Any, Generic, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class Span:
    """Where a value was read: page index inside the document, char range [start, end) in that page's
    OCR text (None when not locatable) and the indices of the word boxes it came from."""

    page: int
    start: int | None = None
    end: int | None = None
    words: tuple[int, ...] = ()


@dataclass(frozen=True)
class Field(Generic[T]):
    """An extracted value with a confidence in [0, 1]; value None and confidence 0 mean "not found"."""

    value: T | None = None
    confidence: float = 0.0
    span: Span | None = None
    raw: str | None = None  # the text as OCR'd, before normalisation

    @property
    def found(self) -> bool:
        """True when the field has a value."""
        return self.value is not None


MISSING: Field[Any] = Field()


@dataclass
class ExtractedFields:
    """Fields of one document (Nghị định 30/2020 or Hướng dẫn 36-HD/VPTW layout)."""

    type_name: Field[str] = MISSING  # "Quyết định", "Công văn"
    type_abbr: Field[str] = MISSING  # canonical: "QĐ", "TTr"; None for công văn
    number: Field[int] = MISSING
    symbol: Field[str] = MISSING  # "155/QĐ-UBND", "12-NQ/HU"
    issuer_abbr: Field[str] = MISSING  # "UBND", "HU", "UBND-SYT" (công văn: issuer + drafting unit)
    date: Field[dt.date] = MISSING
    place: Field[str] = MISSING
    issuer: Field[str] = MISSING
    issuer_parent: Field[str] = MISSING
    subject: Field[str] = MISSING
    signer_name: Field[str] = MISSING
    signer_title: Field[str] = MISSING
    # the prefix nearest the signer: "KT." in "TM. UBND / KT. CHỦ TỊCH"
    authority_prefix: Field[str] = MISSING
    recipients: Field[tuple[str, ...]] = MISSING
    secrecy: Field[str] = MISSING  # None | Mật | Tối mật | Tuyệt mật
    urgency: Field[str] = MISSING  # None | Khẩn | Thượng khẩn | Hỏa tốc
    layout: Field[str] = MISSING  # nd30 | hd36
    flags: list[str] = field(default_factory=list)

    FIELD_NAMES = (
        "type_name", "type_abbr", "number", "symbol", "issuer_abbr", "date", "place", "issuer",
        "issuer_parent", "subject", "signer_name", "signer_title", "authority_prefix", "recipients",
        "secrecy", "urgency", "layout",
    )

    def to_record(self) -> dict[str, Any]:
        """Flat dict: `<name>`, `<name>_confidence`, `<name>_page`, `<name>_start`, `<name>_end`, `flags`."""
        out: dict[str, Any] = {}
        for f in fields(self):
            if f.name == "flags":
                continue
            v: Field = getattr(self, f.name)
            value = list(v.value) if isinstance(v.value, tuple) else v.value
            out[f.name] = value
            out[f"{f.name}_confidence"] = round(v.confidence, 3)
            out[f"{f.name}_page"] = v.span.page if v.span else None
            out[f"{f.name}_start"] = v.span.start if v.span else None
            out[f"{f.name}_end"] = v.span.end if v.span else None
        out["flags"] = list(self.flags)
        return out


@dataclass(frozen=True)
class PageFeatures:
    """What a page shows of the document structure (used to find document starts and ends)."""

    has_header_block: bool = False  # issuing body lines at top left
    has_number_line: bool = False  # "Số: 155/QĐ-UBND" / "Số 12-NQ/HU"
    has_motto: bool = False  # CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM / Độc lập - Tự do - Hạnh phúc
    has_party_line: bool = False  # ĐẢNG CỘNG SẢN VIỆT NAM
    has_place_date: bool = False  # "Hà Nội, ngày 05 tháng 6 năm 2025" near the top
    has_type_title: bool = False  # QUYẾT ĐỊNH, KẾ HOẠCH ... near the top
    has_subject_line: bool = False  # "V/v ..." or "Về việc ..." near the top
    has_signature_block: bool = False  # TM./KT./T/M ... with a title, or a signer name at the bottom
    has_recipients: bool = False  # "Nơi nhận:"
    is_annex: bool = False  # "PHỤ LỤC" / "(Kèm theo ...)" at the top
    page_number: int | None = None  # printed page number (top centre from page 2 on, Nghị định 30)
    is_blank: bool = False
    n_chars: int = 0

    @property
    def start_score(self) -> float:
        """Evidence (0..1) that the page is the first page of a document."""
        s = 0.0
        s += 0.35 if self.has_number_line else 0.0
        s += 0.3 if (self.has_motto or self.has_party_line) else 0.0
        s += 0.15 if self.has_place_date else 0.0
        s += 0.1 if self.has_header_block else 0.0
        s += 0.1 if self.has_type_title else 0.0
        s += 0.05 if self.has_subject_line else 0.0
        if self.page_number is not None and self.page_number >= 2:
            s -= 0.4
        return max(0.0, min(1.0, s))

    @property
    def end_score(self) -> float:
        """Evidence (0..1) that the page is the last page of a document."""
        s = 0.6 if self.has_signature_block else 0.0
        s += 0.4 if self.has_recipients else 0.0
        return min(1.0, s)
