"""Rows of delivered CSV / XLSX tables, mapped to a bronze contract by their header, kept as strings.

Headers are matched after NFC normalisation, case folding and whitespace folding, because sites type
them by hand. Every row keeps its source sheet and line; undeclared columns go to `extra`.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import unicodedata

from lake.core.contracts import TableContract
from lake.domain.ingest.files import BadInput, plain

# Share of the accented words that must be well-formed Vietnamese syllables for a legacy decoding to be
# trusted (a wrong code page turns most accented syllables into impossible ones).
MIN_VALID_ACCENTED = 0.8
_VOWELS = set(b"aeiouyAEIOUY")


def _accented_share(text: str) -> float | None:
    from lake.domain.ocr.syllables import is_valid_syllable, iter_words

    words = [w for w in iter_words(text) if any(ord(c) > 127 for c in w)]
    if not words:
        return None
    return sum(1 for w in words if is_valid_syllable(w)) / len(words)


def guess_legacy_encoding(data: bytes) -> str:
    """Name the Vietnamese font encoding a CSV that is neither UTF-8 nor cp1258 most likely uses.

    VNI writes a base vowel then a mark byte (``Haø Noäi``); TCVN3 (ABC) writes precomposed vowels as
    single high bytes, usually right after a consonant (``Hµ Néi``). Python has no codec for either, so
    such a file is quarantined as `bad_encoding` with this guess, for the site to re-save it as UTF-8."""
    high = [i for i, b in enumerate(data) if b >= 0x80]
    if not high:
        return "unknown"
    after_vowel = sum(1 for i in high if i and data[i - 1] in _VOWELS)
    return "VNI" if after_vowel / len(high) >= 0.6 else "TCVN3"


def decode_csv(data: bytes) -> tuple[str, str]:
    """The text of a delivered CSV and the encoding it was read with.

    UTF-8 (with or without BOM), UTF-16 (with BOM, or without one when NULs fill every other byte) and
    Windows-1258 are decoded; anything else raises `bad_encoding` naming the guessed encoding."""
    if data.startswith(b"\xef\xbb\xbf"):
        encoding = "utf-8-sig"
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encoding = "utf-16"
    elif len(data) >= 4 and data[1:4096:2].count(0) > 0.4 * len(data[1:4096:2]):
        encoding = "utf-16-le"
    elif len(data) >= 4 and data[0:4096:2].count(0) > 0.4 * len(data[0:4096:2]):
        encoding = "utf-16-be"
    else:
        encoding = None
    if encoding:
        try:
            return unicodedata.normalize("NFC", data.decode(encoding)), encoding
        except UnicodeDecodeError as exc:
            raise BadInput("bad_encoding", f"the CSV starts like {encoding.upper()} but is not valid "
                           f"{encoding.upper()} (byte {exc.start})") from exc
    try:
        return unicodedata.normalize("NFC", data.decode("utf-8")), "utf-8"
    except UnicodeDecodeError as exc:
        first_bad = exc.start
    try:
        text = unicodedata.normalize("NFC", data.decode("cp1258"))
    except UnicodeDecodeError:
        text = None
    if text is not None:
        share = _accented_share(text)
        if share is not None and share >= MIN_VALID_ACCENTED:
            return text, "cp1258"
    guess = "cp1258" if text is not None and _accented_share(text) is None else guess_legacy_encoding(data)
    raise BadInput("bad_encoding", f"bảng mã không đọc được, có thể là {guess} / the CSV is not UTF-8 (first "
                   f"invalid byte at {first_bad}); the encoding looks like {guess}: save it again as UTF-8")


def norm_header(text: str) -> str:
    """A column header as compared: NFC, case-folded, whitespace collapsed."""
    text = unicodedata.normalize("NFC", str(text or "")).strip().casefold()
    return re.sub(r"\s+", " ", text)


def _cell(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0):
            return value.strftime("%d/%m/%Y")
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = unicodedata.normalize("NFC", str(value)).strip()
    return text or None


def _sheets(data: bytes, fmt: str) -> list[tuple[str | None, list[list]]]:
    if fmt == "csv":
        text, _encoding = decode_csv(data)
        try:
            dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
        except csv.Error:
            dialect = csv.excel
        try:
            return [(None, list(csv.reader(io.StringIO(text), dialect)))]
        except csv.Error as exc:
            raise BadInput("unreadable_csv", f"the CSV cannot be parsed: {plain(exc)}") from exc
    if fmt == "xlsx":
        import openpyxl

        try:
            wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception as exc:
            raise BadInput("unreadable_xlsx", f"the workbook cannot be opened: {plain(exc)}") from exc
        try:
            return [(ws.title, [list(r) for r in ws.iter_rows(values_only=True)]) for ws in wb.worksheets]
        finally:
            wb.close()
    raise BadInput("unknown_format", f"not a table format: {fmt}")


def read_rows(data: bytes, fmt: str, contract: TableContract) -> list[dict]:
    """Map a delivered table to the contract's columns. Lines are 1-based with the header as line 1.

    Raises BadInput when a sheet with data lacks a declared column.
    """
    wanted = {norm_header(c.source): c.name for c in contract.columns if c.source}
    out: list[dict] = []
    for sheet, rows in _sheets(data, fmt):
        header_idx = next((i for i, r in enumerate(rows) if any(_cell(v) for v in r)), None)
        if header_idx is None:
            continue
        header = [norm_header(_cell(v) or "") for v in rows[header_idx]]
        missing = [src for src in wanted if src not in header]
        if missing:
            names = [c.source for c in contract.columns if c.source and norm_header(c.source) in missing]
            where = f" (sheet {sheet})" if sheet else ""
            raise BadInput("missing_columns", f"header{where} lacks {', '.join(names)}")
        for line, raw in enumerate(rows[header_idx + 1:], start=header_idx + 2):
            values = [_cell(v) for v in raw]
            if not any(values):
                continue
            row: dict = {name: None for name in wanted.values()}
            extra: dict[str, str] = {}
            for col, value in zip(header, values, strict=False):
                if col in wanted:
                    row[wanted[col]] = value
                elif col and value is not None:
                    extra[col] = value
            row.update(source_sheet=sheet, source_line=line, extra=extra or None)
            out.append(row)
    return out
