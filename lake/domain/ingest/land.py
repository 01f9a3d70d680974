"""`lakehouse land PATH --agency … --record …`: register a folder of scans from anywhere as one scan batch.

The folder may be nested (a phone's DCIM tree, a scanner's per-day folders). Scan files (JPEG, PNG, TIFF,
PDF by extension; the content is checked at ingest) are taken in natural order of their path
(``4_1, 4_2, 4_10``; folders first by name the same way) unless a manifest given with ``--manifest`` orders
them, copied with their modification times into ``landing/batches/<batch>/<record>_<NNN>.<ext>`` (names the
page ordering of silver reads as parts 1..n of the record), and a batch manifest with every column is
written beside them. The batch appears in the landing zone at once (built under ``<lake root>/tmp`` and
renamed in), so an ingest running meanwhile never sees half a batch.

Symbolic links, hidden files and other files in the source folder are not copied and are reported.
An agency or issuer from outside Hà Nội's lists is accepted: the codes are recorded as given.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import re
import shutil
import stat
from dataclasses import dataclass, field
from pathlib import Path

SCAN_EXTENSIONS = {".jpg": "jpeg", ".jpeg": "jpeg", ".png": "png", ".tif": "tiff", ".tiff": "tiff", ".pdf": "pdf"}
MANIFEST_COLUMNS = ("batch_id", "site_code", "site_name", "district_code", "agency_code", "record_code", "file_name",
                    "file_format", "page_count", "dpi", "capture_device", "scanned_at", "operator")
HANOI = dt.timezone(dt.timedelta(hours=7))


class LandError(Exception):
    """The folder cannot be landed; the message says why and what to do."""


def natural_key(rel_path: str) -> tuple:
    """Sort key: digits compare as numbers in every path component (4_2 < 4_10), case-insensitively."""
    parts = []
    for comp in rel_path.split("/"):
        parts.append(tuple((0, int(t), "") if t.isdigit() else (1, 0, t.casefold())
                           for t in re.split(r"(\d+)", comp) if t))
    return tuple(parts)


@dataclass
class Collected:
    scans: list[tuple[str, Path]] = field(default_factory=list)  # (path relative to the folder, absolute)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (relative path, why)


def collect(folder: Path) -> Collected:
    """The scan files under `folder` (never following a link), and what was left out with the reason."""
    out = Collected()

    def walk(d: Path, rel: str) -> None:
        with os.scandir(d) as it:
            entries = sorted(it, key=lambda e: natural_key(e.name))
        for e in entries:
            r = f"{rel}/{e.name}" if rel else e.name
            st = e.stat(follow_symlinks=False)
            if e.name.startswith("."):
                out.skipped.append((r, "hidden"))
            elif stat.S_ISLNK(st.st_mode):
                out.skipped.append((r, "symbolic link (not followed)"))
            elif stat.S_ISDIR(st.st_mode):
                walk(Path(e.path), r)
            elif not stat.S_ISREG(st.st_mode):
                out.skipped.append((r, "not a regular file"))
            elif Path(e.name).suffix.lower() not in SCAN_EXTENSIONS:
                out.skipped.append((r, "not a scan file (JPEG, PNG, TIFF, PDF)"))
            elif st.st_size == 0:
                out.skipped.append((r, "empty file"))
            else:
                out.scans.append((r, Path(e.path)))

    if not folder.is_dir():
        raise LandError(f"{folder} is not a folder")
    walk(folder, "")
    out.scans.sort(key=lambda s: natural_key(s[0]))
    return out


def read_user_manifest(path: Path) -> list[dict]:
    """A manifest the user wrote: one row per file, column `file` (path relative to the folder) required;
    optional `page_order` (1, 2, …) and any manifest column to override the defaults for that file."""
    from lake.domain.ingest.tabular import decode_csv

    text, _ = decode_csv(path.read_bytes())
    rows = list(csv.DictReader(io.StringIO(text)))
    if not rows or "file" not in rows[0]:
        raise LandError(f"{path}: the manifest needs a `file` column (path of each scan inside the folder)")
    return rows


def _page_count(path: Path, fmt: str) -> int | None:
    from lake.domain.ocr.decode import DecodeError, count_pages

    try:
        return count_pages(path.read_bytes(), fmt)
    except (DecodeError, OSError):
        return None  # ingest quarantines it with the reason


def plan(folder: Path, *, agency: str, record: str, batch: str, site: str = "", site_name: str = "",
         district: str = "", dpi: int | None = None, device: str = "scanner", operator: str = "",
         manifest: Path | None = None) -> tuple[list[dict], Collected]:
    """Manifest rows (with `_source` = the file to copy) in page order, and what was collected."""
    if not agency.strip() or not record.strip():
        raise LandError("--agency and --record are required (the agency code and the file/hồ sơ code)")
    if not re.fullmatch(r"[\w.\-]+", batch):
        raise LandError(f"batch id {batch!r}: use letters, digits, '.', '-' or '_'")
    found = collect(folder)
    order = [(rel, p, {}) for rel, p in found.scans]
    if manifest is not None:
        given = read_user_manifest(manifest)
        by_rel = {rel: p for rel, p in found.scans}
        missing = [r["file"] for r in given if r["file"] not in by_rel]
        if missing:
            raise LandError(f"the manifest names files not in the folder: {', '.join(missing[:5])}")
        listed = {r["file"] for r in given}
        extra = [rel for rel, _ in found.scans if rel not in listed]
        if extra:
            raise LandError(f"scan files not in the manifest: {', '.join(extra[:5])} (add them or move them out)")
        if any(r.get("page_order") for r in given):
            given.sort(key=lambda r: int(r.get("page_order") or 0))
        order = [(r["file"], by_rel[r["file"]], r) for r in given]
    if not order:
        raise LandError(f"no scan file (JPEG, PNG, TIFF, PDF) under {folder}")
    width = max(3, len(str(len(order))))
    rows = []
    for n, (rel, src, over) in enumerate(order, start=1):
        ext = src.suffix.lower()
        fmt = SCAN_EXTENSIONS[ext]
        mtime_ns = src.stat(follow_symlinks=False).st_mtime_ns
        scanned = dt.datetime.fromtimestamp(mtime_ns // 1_000_000_000, HANOI).isoformat()
        row = {
            "batch_id": batch, "site_code": site, "site_name": site_name, "district_code": district,
            "agency_code": agency, "record_code": record, "file_name": f"{record}_{n:0{width}d}{ext}",
            "file_format": fmt, "page_count": _page_count(src, fmt), "dpi": dpi or "", "capture_device": device,
            "scanned_at": scanned, "operator": operator, "original_path": rel,
        }
        row.update({k: v for k, v in over.items() if k in MANIFEST_COLUMNS and k != "batch_id" and v})
        row["_source"] = src
        rows.append(row)
    return rows, found


def write_batch(landing: Path, staging_root: Path, batch: str, rows: list[dict]) -> Path:
    """Copy the files (modification times kept) and the manifest into a staging folder, then rename it into
    `landing/batches/<batch>` in one step. Refuses an existing batch."""
    dest = landing / "batches" / batch
    if dest.exists() or dest.is_symlink():
        raise LandError(f"batch {batch} already exists in the landing zone; choose another --batch")
    staging = staging_root / f"land-{batch}-{os.getpid()}"
    if staging.exists():
        shutil.rmtree(staging)
    staging.mkdir(parents=True)
    try:
        for row in rows:
            shutil.copy2(row["_source"], staging / row["file_name"], follow_symlinks=False)
        columns = [*MANIFEST_COLUMNS, "original_path"]
        with open(staging / "manifest.csv", "w", newline="", encoding="utf-8") as f:
            w = csv.writer(f)
            w.writerow(columns)
            for row in rows:
                w.writerow(["" if row.get(c) is None else row.get(c) for c in columns])
        dest.parent.mkdir(parents=True, exist_ok=True)
        os.rename(staging, dest)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return dest


def default_batch_id(record: str, now: dt.datetime | None = None) -> str:
    """A batch id for a landing of `record`: `LAND-<record, file-name safe>-<Hà Nội time>`."""
    now = now or dt.datetime.now(HANOI)
    safe = re.sub(r"[^\w.\-]+", "-", record).strip("-") or "record"
    return f"LAND-{safe}-{now.strftime('%Y%m%d%H%M%S')}"
