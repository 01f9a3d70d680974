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

from lake.contracts import TableContract
from lake.ingest.files import BadInput


def norm_header(text: str) -> str:
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
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise BadInput("bad_encoding", f"CSV is not UTF-8: {exc}") from exc
        try:
            dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
        except csv.Error:
            dialect = csv.excel
        return [(None, list(csv.reader(io.StringIO(text), dialect)))]
    if fmt == "xlsx":
        import openpyxl

        try:
            wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception as exc:
            raise BadInput("unreadable_xlsx", f"the workbook cannot be opened: {exc}") from exc
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
