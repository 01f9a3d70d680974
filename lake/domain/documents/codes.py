"""Document identifiers (mã định danh văn bản) per Thông tư 02/2019/TT-BNV.

The document code is the record (hồ sơ) code plus the document's order in the record, joined by a dot:
    document_code("01.H49.01.2019.05", 7) == "01.H49.01.2019.05.007"
Design decision: the order is zero-padded to 3 digits (TT 02 gives it as a number; padding makes codes
sort lexically in file order inside a record, and 999 documents per record is ample). Orders above 999
widen instead of truncating (".1000"), so codes stay unique; `parse_document_code` reads both.
"""

from __future__ import annotations

import re

ORDER_WIDTH = 3


def document_code(record_code: str, order_in_record: int) -> str:
    """`<record_code>.<order zero-padded to 3>`; order counts from 1."""
    code = (record_code or "").strip()
    if not code or re.search(r"\s", code):
        raise ValueError(f"record code must be a non-empty string without spaces, got {record_code!r}")
    if code.endswith("."):
        raise ValueError(f"record code must not end with a dot: {record_code!r}")
    if isinstance(order_in_record, bool) or int(order_in_record) != order_in_record or order_in_record < 1:
        raise ValueError(f"order in record must be an integer >= 1, got {order_in_record!r}")
    return f"{code}.{int(order_in_record):0{ORDER_WIDTH}d}"


def parse_document_code(doc_code: str) -> tuple[str, int]:
    """Inverse of `document_code`: (record_code, order)."""
    m = re.fullmatch(r"(\S+)\.(\d{3,})", doc_code.strip())
    if not m:
        raise ValueError(f"not a document code: {doc_code!r}")
    return m.group(1), int(m.group(2))
