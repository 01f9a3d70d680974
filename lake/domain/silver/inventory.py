"""Typed values of the delivered inventories (mục lục hồ sơ / văn bản): strings as delivered → types.

Every parser returns None for an empty or unreadable value (never guesses); callers flag what they need.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from pathlib import PurePosixPath

from lake.domain.documents.text import fold

#: what both sides trim around a value: ASCII whitespace (Java's regex \s, which Spark's functions use) and the
#: no-break space spreadsheets leave behind
SPACE = " \t\n\r\f\v\u00a0"
INT_MIN, INT_MAX = -(2**31), 2**31 - 1  # the int columns these values go to
_NUMBER_RX = re.compile(r"([+-]?)([0-9]+(?:[.,][0-9]*)?|[.,][0-9]+)")


def parse_int(text: str | None) -> int | None:
    """The integer a delivered cell holds. The dbt macro `parse_int` (transformations/macros/parsing.sql) applies the
    same rule; tests/silver/test_integer_rule.py checks both against one table of cases.

    A number, with a decimal point or comma whose fraction is zeros ("12", "12.0", "12,00" from a spreadsheet,
    " 012 ", "-3"), is that integer, and one with a real fraction ("12.5") is None; otherwise a text with exactly one
    run of digits ("Hộp 03", "12 hộp") is that number; anything else, or a value outside the int range, is None.

    >>> [parse_int(v) for v in ("12", "12.0", "12,00", " 012 ", "-3", "Hộp 03", "12 hộp")]
    [12, 12, 12, 12, -3, 3, 12]
    >>> [parse_int(v) for v in ("12.5", "1-2", "", None, "1e3", "99999999999")]
    [None, None, None, None, None, None]
    """
    if text is None:
        return None
    t = str(text).strip(SPACE)
    m = _NUMBER_RX.fullmatch(t)
    if m:
        whole, _, fraction = m.group(2).replace(",", ".").partition(".")
        if fraction.strip("0"):
            return None
        value = int(m.group(1) + (whole or "0"))
    else:
        runs = re.findall(r"[0-9]+", t)
        if len(runs) != 1:
            return None
        value = int(runs[0])
    return value if INT_MIN <= value <= INT_MAX else None


def parse_date(text: str | None) -> dt.date | None:
    """dd/mm/yyyy (also d/m/yyyy, dd-mm-yyyy, dd.mm.yyyy) or ISO yyyy-mm-dd[Thh:mm...]; else None."""
    if text is None:
        return None
    t = str(text).strip()
    if not t:
        return None
    m = re.fullmatch(r"(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4})", t)
    try:
        if m:
            return dt.date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
        m = re.match(r"(\d{4})-(\d{2})-(\d{2})", t)
        if m:
            return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None
    return None


def parse_retention(text: str | None) -> tuple[bool | None, int | None]:
    """(permanent, years): "Vĩnh viễn"/"VV"/"vinh vien" → (True, None); "70 năm"/"70" → (False, 70)."""
    if text is None or not str(text).strip():
        return None, None
    f = re.sub(r"\s+", " ", fold(unicodedata.normalize("NFC", str(text)))).strip()
    if f in ("VV", "VINH VIEN") or f.startswith("VINH VIEN"):
        return True, None
    m = re.fullmatch(r"(\d{1,3})(?:[.,]0+)?\s*(?:NAM)?", f)
    if m:
        return False, int(m.group(1))
    return None, None


def parse_priority(text: str | None) -> int | None:
    """"Ưu tiên 1" / "UT1" / "1" → 1 (groups 1–3); anything else → None."""
    if text is None:
        return None
    f = fold(str(text)).replace(" ", "")
    m = re.fullmatch(r"(?:UUTIEN|UT|NHOM)?([123])(?:\.0)?", f)
    return int(m.group(1)) if m else None


def parse_boundary(first: str | None, last: str | None) -> tuple[int, int] | None:
    """Inventory page range (1-based, inclusive) → (first, last) or None when unusable."""
    a, b = parse_int(first), parse_int(last)
    if a is None:
        return None
    b = a if b is None else b
    if a < 1 or b < a:
        return None
    return a, b


def inventory_agency(source_file: str) -> str | None:
    """Agency code of an inventory file: `inventories/<agency_code>/muc_luc_*.csv|xlsx`.

    >>> inventory_agency("inventories/A01/muc_luc_ho_so_A01.xlsx"), inventory_agency("registry/co_quan.csv")
    ('A01', None)
    """
    parts = PurePosixPath(source_file).parts
    return parts[1] if len(parts) >= 3 and parts[0] == "inventories" else None
