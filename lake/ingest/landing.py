"""The landing zone: what each delivered path is, what changed since the last run, and the raw store.

Layout (written by the work sites; `lake.sample` produces the same):

    landing/registry/<any>.csv|xlsx                      agency register
    landing/handover/<agency>/<any>.csv|xlsx             handover reports
    landing/inventories/<agency>/muc_luc_ho_so.*         file inventories (mục lục hồ sơ)
    landing/inventories/<agency>/muc_luc_van_ban.*       document inventories
    landing/batches/<batch>/manifest.csv                 scan batch manifest
    landing/batches/<batch>/qc_log.csv                   work-site QC log
    landing/batches/<batch>/<scan files>                 JPEG, PNG, TIFF, PDF

Raw store: the original bytes are kept once per content under `raw/<aa>/<bb>/<sha256>` (content
addressed, write-once). Bronze tables hold the address, not the bytes: millions of multi-megabyte pages
in Delta would make every compaction, vacuum and time-travel rewrite or retain image bytes, and Parquet
pages are a poor container for 1–50 MB blobs; immutable files deduplicate by construction, are copied by
any tool and can be tiered to cheaper storage without touching the tables.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from lake import contracts as C
from lake.ingest.files import BadInput, inspect
from lake.ingest.tabular import read_rows

TABULAR_KINDS = {
    "manifest": C.BATCH_MANIFESTS,
    "qc_log": C.QC_LOGS,
    "inventory_records": C.INVENTORY_RECORDS,
    "inventory_documents": C.INVENTORY_DOCUMENTS,
    "handover": C.HANDOVER_REPORTS,
    "registry": C.AGENCY_REGISTER,
}
TABLE_EXT = (".csv", ".xlsx")


def classify(rel_path: str) -> str | None:
    """File kind from the landing-zone path, or None for a path outside the agreed layout."""
    parts = PurePosixPath(rel_path).parts
    name = parts[-1].lower()
    if len(parts) < 2:
        return None
    top = parts[0]
    if top == "registry" and name.endswith(TABLE_EXT):
        return "registry"
    if top == "handover" and len(parts) == 3 and name.endswith(TABLE_EXT):
        return "handover"
    if top == "inventories" and len(parts) == 3:
        if name.startswith("muc_luc_ho_so") and name.endswith(TABLE_EXT):
            return "inventory_records"
        if name.startswith("muc_luc_van_ban") and name.endswith(TABLE_EXT):
            return "inventory_documents"
        return None
    if top == "batches" and len(parts) == 3:
        if name == "manifest.csv":
            return "manifest"
        if name == "qc_log.csv":
            return "qc_log"
        return "scan"
    return None


def batch_of(rel_path: str) -> str | None:
    parts = PurePosixPath(rel_path).parts
    return parts[1] if len(parts) == 3 and parts[0] == "batches" else None


@dataclass(frozen=True)
class Candidate:
    rel_path: str
    size: int
    mtime_ns: int


def list_landing(landing: Path) -> list[Candidate]:
    out = []
    for root, dirs, files in os.walk(landing):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for f in sorted(files):
            if f.startswith("."):
                continue
            p = Path(root) / f
            st = p.stat()
            out.append(Candidate(p.relative_to(landing).as_posix(), st.st_size, st.st_mtime_ns))
    return out


def raw_relpath(sha256: str) -> str:
    return f"raw/{sha256[:2]}/{sha256[2:4]}/{sha256}"


def store_raw(lake_root: Path, sha256: str, data: bytes) -> str:
    """Write-once, atomic: a content already stored is never rewritten."""
    rel = raw_relpath(sha256)
    dest = lake_root / rel
    if not dest.exists():
        dest.parent.mkdir(parents=True, exist_ok=True)
        tmp = dest.with_name(f".{sha256}.{os.getpid()}.tmp")
        tmp.write_bytes(data)
        os.chmod(tmp, 0o400)  # read-only, pipeline only (lake.zones)
        os.replace(tmp, dest)
    return rel


def process_file(landing: Path, lake_root: Path, cand: Candidate) -> dict:
    """Runs in a Spark task: hash, keep the bytes, recognise, describe pages or parse rows.

    Returns a plain dict (picklable) the driver turns into bronze rows.
    """
    path = landing / cand.rel_path
    data = path.read_bytes()
    sha = hashlib.sha256(data).hexdigest()
    kind = classify(cand.rel_path)
    result: dict = {
        "rel_path": cand.rel_path, "sha256": sha, "size": len(data), "mtime_ns": cand.mtime_ns, "kind": kind,
        "error": None, "format": None, "pages": [], "metadata": {}, "rows": [], "raw_path": None,
    }
    result["raw_path"] = store_raw(lake_root, sha, data) if data else None
    try:
        if kind is None:
            raise BadInput("unexpected_location", "the path is outside the agreed landing layout")
        info = inspect(data, cand.rel_path)
        result["format"] = info.detected_format
        if kind == "scan":
            if info.detected_format not in ("jpeg", "png", "tiff", "pdf"):
                raise BadInput("not_a_scan", f"a {info.detected_format} file among the scans")
            result["pages"] = [p.__dict__ for p in info.pages]
            result["metadata"] = info.metadata
        else:
            if info.detected_format not in ("csv", "xlsx"):
                raise BadInput("not_a_table", f"expected CSV or XLSX, found {info.detected_format}")
            result["rows"] = read_rows(data, info.detected_format, TABULAR_KINDS[kind])
    except BadInput as exc:
        result["error"] = (exc.reason_code, exc.message)
    return result


def parse_timestamp(text: str | None) -> dt.datetime | None:
    """ISO-8601 (with offset) or EXIF 'YYYY:MM:DD HH:MM:SS' (local Hà Nội time) to an aware datetime."""
    if not text:
        return None
    text = text.strip()
    tz = dt.timezone(dt.timedelta(hours=7))
    for fmt in ("%Y:%m:%d %H:%M:%S", "%Y-%m-%d %H:%M:%S"):
        try:
            return dt.datetime.strptime(text, fmt).replace(tzinfo=tz)
        except ValueError:
            pass
    if text.startswith("D:"):  # PDF date D:YYYYMMDDHHmmSS+07'00'
        digits = text[2:16]
        try:
            return dt.datetime.strptime(digits, "%Y%m%d%H%M%S").replace(tzinfo=tz)
        except ValueError:
            return None
    try:
        value = dt.datetime.fromisoformat(text)
    except ValueError:
        return None
    return value if value.tzinfo else value.replace(tzinfo=tz)
