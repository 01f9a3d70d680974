"""Typed values of the delivered inventories (mục lục hồ sơ / văn bản): strings as delivered → types.

Every parser returns None for an empty or unreadable value (never guesses); callers flag what they need.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from lake.domain.documents.text import fold


def parse_int(text: str | None) -> int | None:
    """"12", "12.0" (XLSX numbers), " 012 " → 12; "Hộp 03" → 3 (the only number in the text); else None."""
    if text is None:
        return None
    t = str(text).strip()
    if not t:
        return None
    try:
        f = float(t.replace(",", "."))
        return int(f) if f == int(f) else None
    except ValueError:
        pass
    nums = re.findall(r"\d+", t)
    return int(nums[0]) if len(nums) == 1 else None


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
