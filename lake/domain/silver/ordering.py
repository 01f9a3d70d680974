"""The page order of a record (hồ sơ) over its scan files.

A record's pages arrive as whole-record files (`<record>.pdf|.tif`), parts (`<record>_01.pdf`, `_02` …, over
12 pages), single-page JPEGs (`<record>_<page, 3 digits>.jpg`) or phone photos (`IMG_<yyyymmdd>_<hhmmss>.jpg`);
the batch manifest gives each file its record. The rule, applied to the latest version of every path:

1. Same bytes under several names (`… - Copy.jpg`) are ONE content: pages are identified by
   `sha256:page_index`, kept once, under a canonical name (not a copy-looking name, then the shortest, then
   the first in byte order); the other names are kept as `duplicate_paths`.
2. Files are ordered by (convention rank, sequence, scan time, name):
   rank 0 — named after the record: no suffix = 0, `_NN`/`_NNN` = that number (part or page number, both
   count from 1 in reading order);
   rank 1 — phone photos: the capture clock written in the name (`IMG_20250929_080725`), falling back to
   the manifest's scan time;
   rank 2 — any other name: the manifest's scan time, then the name.
   A record normally uses one convention; mixing them keeps named files first, which is where a site puts
   the scanner output before phone re-takes.
3. Inside a file, pages follow `page_index`.
The result numbers the record's pages 1..n (`page_in_record`); the inventory's document boundaries are in
that numbering.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import PurePosixPath

_COPY_RX = re.compile(r"(?:\s*-\s*copy|\s*\(\d+\)|\s+copy(?:\s*\d+)?|_copy)$", re.IGNORECASE)
_PHONE_RX = re.compile(r"^(?:IMG|PXL|DSC|VID)?_?(\d{8})_(\d{6})", re.IGNORECASE)


@dataclass(frozen=True)
class OrderedPage:
    page_in_record: int  # 1-based
    page_id: str
    sha256: str
    page_index: int
    source_path: str
    duplicate_paths: tuple[str, ...] = ()
    scanned_at: dt.datetime | None = None
    capture_device: str | None = None
    declared_dpi: int | None = None


@dataclass
class _Content:
    sha256: str
    page_count: int
    paths: list[Mapping] = field(default_factory=list)


def looks_like_copy(name: str) -> bool:
    """True for a file name that reads as a copy ("x - Copy.pdf", "x (2).pdf", "x_copy.pdf")."""
    return bool(_COPY_RX.search(PurePosixPath(name).stem))


def _canonical(paths: list[Mapping]) -> Mapping:
    def key(p):
        name = PurePosixPath(p["source_path"]).name
        return (looks_like_copy(name), len(name), p["source_path"])
    return min(paths, key=key)


def file_sort_key(source_path: str, record_code: str | None, scanned_at: dt.datetime | None = None) -> tuple:
    """Sort key of a scan file inside its record (see the module docstring)."""
    name = PurePosixPath(source_path).name
    stem = PurePosixPath(name).stem
    stem = _COPY_RX.sub("", stem)
    when = scanned_at.astimezone(dt.UTC).replace(tzinfo=None) if scanned_at and scanned_at.tzinfo else scanned_at
    when_key = when.isoformat() if when else ""
    if record_code and stem.startswith(record_code):
        rest = stem[len(record_code):]
        if rest == "":
            return (0, 0, "", when_key, name)
        m = re.fullmatch(r"[_\-.\s]+(\d{1,4})", rest)
        if m:
            return (0, int(m.group(1)), "", when_key, name)
    m = _PHONE_RX.match(stem)
    if m:
        return (1, 0, m.group(1) + m.group(2), when_key, name)
    return (2, 0, when_key, "", name)


def order_record_pages(record_code: str, files: Iterable[Mapping]) -> list[OrderedPage]:
    """Ordered, de-duplicated pages of one record.

    `files`: sightings with source_path, sha256, page_count, scanned_at (optional), capture_device,
    declared_dpi, version (optional; only the highest version of a path is used).
    """
    latest: dict[str, Mapping] = {}
    for f in files:
        cur = latest.get(f["source_path"])
        if cur is None or (f.get("version") or 1) > (cur.get("version") or 1):
            latest[f["source_path"]] = f
    contents: dict[str, _Content] = {}
    for f in latest.values():
        c = contents.setdefault(f["sha256"], _Content(f["sha256"], int(f.get("page_count") or 0)))
        c.paths.append(f)
    ordered = []
    for c in contents.values():
        canon = _canonical(c.paths)
        others = tuple(sorted(p["source_path"] for p in c.paths if p is not canon))
        ordered.append((file_sort_key(canon["source_path"], record_code, canon.get("scanned_at")), canon, others,
                        c.page_count))
    ordered.sort(key=lambda t: t[0])
    out: list[OrderedPage] = []
    for _key, f, others, n in ordered:
        for idx in range(n):
            out.append(OrderedPage(
                page_in_record=len(out) + 1, page_id=f"{f['sha256']}:{idx}", sha256=f["sha256"], page_index=idx,
                source_path=f["source_path"], duplicate_paths=others, scanned_at=f.get("scanned_at"),
                capture_device=f.get("capture_device"), declared_dpi=f.get("declared_dpi"),
            ))
    return out
