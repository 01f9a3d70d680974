"""Place-and-date lines and body dates, plus the date-range check used to flag OCR digit damage.

OCR swaps digits in years (2019 → 2015). We never "correct" a date: `check_date_in_range()` compares it
with the record's date range (Thời gian bắt đầu / kết thúc of the hồ sơ) and returns a flag.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from lake.domain.documents.text import fold

DATE_DIGIT_SUSPECT = "date_digit_suspect"
DATE_OUT_OF_RANGE = "date_out_of_record_range"
DATE_INVALID = "date_invalid"

_D = r"[0-9OQIL]"  # digits as OCR may render them (folded text: o → O, l → L)
_NUM = rf"({_D}{{1,2}})"
_YEAR = rf"({_D}{{4}})"
# Folded patterns: "NGAY 05 THANG 6 NAM 2025", "26THANG 7", "ngày 26/7/2020".
_WORDY = re.compile(rf"NGA[YV]\s*{_NUM}\s*TH[AE]NG\s*{_NUM}\s*N[AE]M\s*{_YEAR}")
_NUMERIC = re.compile(rf"(?:NGA[YV]\s*|(?<![0-9A-Z/])){_NUM}\s*[/.\-]\s*{_NUM}\s*[/.\-]\s*{_YEAR}(?![0-9])")
_PLACE = re.compile(r"((?:[^\W\d_]+ ){0,4}[^\W\d_]+)\s*,\s*$")


def _digits(s: str) -> int:
    return int(s.translate(str.maketrans("OQIL", "0011")))


@dataclass(frozen=True)
class DateMatch:
    date: dt.date | None
    start: int  # char span of the date expression in the searched text
    end: int
    day: int
    month: int
    year: int
    place: str | None = None
    place_start: int | None = None
    repaired: bool = False  # OCR letters read as digits, missing spaces, ...
    wordy: bool = True


def _make(day: int, month: int, year: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def find_dates(text: str) -> list[DateMatch]:
    """All dates in `text`, in order ("ngày 05 tháng 6 năm 2025", "26/7/2020", OCR variants)."""
    f = fold(text)
    out: list[DateMatch] = []
    taken: list[tuple[int, int]] = []
    for rx, wordy in ((_WORDY, True), (_NUMERIC, False)):
        for m in rx.finditer(f):
            if any(a < m.end() and m.start() < b for a, b in taken):
                continue
            d, mo, y = (_digits(g) for g in m.groups())
            raw = text[m.start():m.end()]
            repaired = any(c in "OQILoqil" for c in "".join(text[m.start(i):m.end(i)] for i in (1, 2, 3)))
            if wordy:
                repaired = repaired or not re.search(r"ngày \d+ tháng \d+ năm \d{4}", raw)
            place, pstart = None, None
            pm = _PLACE.search(text[max(0, m.start() - 45):m.start()])
            if pm:
                words = pm.group(1).split(" ")
                # keep the trailing title-case words: "Số: 155/QĐ-UBND Hà Nội," → "Hà Nội"
                k = len(words)
                while k > 0 and words[k - 1][:1].isupper() and not (
                        len(words[k - 1]) > 1 and words[k - 1].isupper()):
                    k -= 1
                kept = words[k:]
                if kept:
                    place = " ".join(kept)
                    pstart = max(0, m.start() - 45) + pm.start(1) + len(" ".join(words[:k])) + (1 if k else 0)
            out.append(DateMatch(_make(d, mo, y), m.start(), m.end(), d, mo, y, place, pstart,
                                 repaired, wordy))
            taken.append((m.start(), m.end()))
    out.sort(key=lambda x: x.start)
    return out


def normalise_place(place: str | None) -> str | None:
    """The place name of a date line, cleaned ("Hà Nội" for its OCR misreadings); None when empty."""
    if not place:
        return None
    p = re.sub(r"\s+", " ", place).strip(" .,:;-")
    if fold(p).replace(" ", "") in ("HANOI", "HANOL", "HANOJ"):
        return "Hà Nội"
    return p or None


def _one_digit_variants(value: int, width: int) -> set[int]:
    s = str(value).zfill(width)
    out = set()
    for i in range(len(s)):
        for c in "0123456789":
            if c != s[i]:
                out.add(int(s[:i] + c + s[i + 1:]))
        if i + 1 < len(s) and s[i] != s[i + 1]:
            out.add(int(s[:i] + s[i + 1] + s[i] + s[i + 2:]))
    return out


def check_date_in_range(date: dt.date, start: dt.date | None, end: dt.date | None) -> str | None:
    """None when `date` lies in [start, end]; otherwise a flag, never a corrected date.

    DATE_DIGIT_SUSPECT: outside the range, but one digit substitution or one swap of adjacent digits
    in the year, month or day would put it inside (the typical OCR damage, 2019 → 2015).
    DATE_OUT_OF_RANGE: outside and no single-digit edit explains it.
    Open ends (None) are unbounded.
    """
    lo = start or dt.date.min
    hi = end or dt.date.max
    if lo <= date <= hi:
        return None
    for year in _one_digit_variants(date.year, 4):
        d = _make(date.day, date.month, year)
        if d and lo <= d <= hi:
            return DATE_DIGIT_SUSPECT
    for month in _one_digit_variants(date.month, 2):
        d = _make(date.day, month, date.year)
        if d and lo <= d <= hi:
            return DATE_DIGIT_SUSPECT
    for day in _one_digit_variants(date.day, 2):
        d = _make(day, date.month, date.year)
        if d and lo <= d <= hi:
            return DATE_DIGIT_SUSPECT
    return DATE_OUT_OF_RANGE
