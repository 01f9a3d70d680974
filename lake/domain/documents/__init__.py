"""Document-level logic for the digitised records: OCR field extraction, page grouping, document codes,
personal-data detection. Plain Python, no Spark.

Public API:
- `Page.from_ocr(text, words, width, height)`; `extract_fields(pages, record_range=None) -> ExtractedFields`
- `page_features(text, words=(), width=0, height=0) -> PageFeatures`;
  `group_pages(pages, boundaries=None) -> list[list[int]]`;
  `grouping_scores(predicted, truth) -> GroupingScores`
- `check_date_in_range(date, start, end) -> str | None`; `find_dates(text)`
- `document_code(record_code, order_in_record) -> str`; `parse_document_code(code)`
- `find_personal_data(text) -> list[PersonalDataSpan]`
- `canonical_abbr(raw)`, `ND30_TYPES`, `PARTY_EXTRA_TYPES`
"""

from lake.domain.documents.codes import document_code, parse_document_code
from lake.domain.documents.dates import (
    DATE_DIGIT_SUSPECT,
    DATE_INVALID,
    DATE_OUT_OF_RANGE,
    check_date_in_range,
    find_dates,
)
from lake.domain.documents.doctypes import ND30_TYPES, PARTY_EXTRA_TYPES, DocType, canonical_abbr
from lake.domain.documents.extract import extract_fields
from lake.domain.documents.grouping import GroupingScores, group_pages, grouping_scores, page_features
from lake.domain.documents.model import ExtractedFields, Field, PageFeatures, Span
from lake.domain.documents.personal import PersonalDataSpan, find_personal_data
from lake.domain.documents.text import Page, Word

__all__ = [
    "DATE_DIGIT_SUSPECT",
    "DATE_INVALID",
    "DATE_OUT_OF_RANGE",
    "ND30_TYPES",
    "PARTY_EXTRA_TYPES",
    "DocType",
    "ExtractedFields",
    "Field",
    "GroupingScores",
    "Page",
    "PageFeatures",
    "PersonalDataSpan",
    "Span",
    "Word",
    "canonical_abbr",
    "check_date_in_range",
    "document_code",
    "extract_fields",
    "find_dates",
    "find_personal_data",
    "group_pages",
    "grouping_scores",
    "page_features",
    "parse_document_code",
]
