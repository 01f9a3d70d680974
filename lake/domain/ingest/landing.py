"""The landing zone: what each delivered path is, what changed since the last run, and the raw store.

Layout (written by the work sites; `lakehouse_sample` produces the same):

    landing/registry/<any>.csv|xlsx                      agency register
    landing/handover/<agency>/<any>.csv|xlsx             handover reports
    landing/inventories/<agency>/muc_luc_ho_so.*         file inventories (mục lục hồ sơ)
    landing/inventories/<agency>/muc_luc_van_ban.*       document inventories
    landing/batches/<batch>/manifest.csv                 scan batch manifest
    landing/batches/<batch>/qc_log.csv                   work-site QC log
    landing/batches/<batch>/<scan files>                 JPEG, PNG, TIFF, PDF (one level; `lakehouse land`
                                                         turns a nested folder into such a batch)

Every entry is listed by lstat and ends in bronze.landing_files or bronze.quarantine: links, hidden and
oddly named entries, FIFOs, files over the byte limit and entries that vanish are refused without reading
them; files are read through `read_landing_file`, which never follows a link.

Raw store: the original bytes are kept once per content under `raw/<aa>/<bb>/<sha256>` (content
addressed, write-once). Bronze tables hold the address, not the bytes: millions of multi-megabyte pages
in Delta would make every compaction, vacuum and time-travel rewrite or retain image bytes, and Parquet
pages are a poor container for 1–50 MB blobs; immutable files deduplicate by construction, are copied by
any tool and can be tiered to cheaper storage without touching the tables.
"""

from __future__ import annotations

import datetime as dt
import errno
import hashlib
import os
import stat
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from lake.core import contracts as C
from lake.core.runlog import SCRATCH, owned_dir
from lake.core.settings import FileLimits
from lake.domain.ingest.files import BadInput, inspect
from lake.domain.ingest.tabular import read_rows

EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)

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
    """The batch id of a path `batches/<batch>/<file>`; None for any other path."""
    parts = PurePosixPath(rel_path).parts
    return parts[1] if len(parts) == 3 and parts[0] == "batches" else None


@dataclass(frozen=True)
class Candidate:
    """One entry of the landing zone as listed (lstat: links are never followed).

    `rel_path` is the readable form of the path (valid UTF-8; undecodable bytes and control characters
    escaped as \\xNN), `raw_name` the path's bytes exactly as on disk. `refusal` is (reason code, reason)
    when the entry is quarantined from the listing alone, without reading a byte of it."""

    rel_path: str
    size: int
    mtime_ns: int
    raw_name: bytes = b""
    refusal: tuple[str, str] | None = None


def readable_name(raw: bytes) -> str:
    """A printable, valid-UTF-8 form of a file name's bytes (lossy only for display; the bytes are kept)."""
    text = raw.decode("utf-8", "backslashreplace")
    return "".join(ch if ch.isprintable() or ch == " " else f"\\x{ord(ch):02x}" if ord(ch) < 256
                   else f"\\u{ord(ch):04x}" for ch in text)


def name_problem(raw_part: bytes) -> tuple[str, str] | None:
    """Why one path component is refused: hidden (dot) names, names that are not UTF-8 or hold control
    characters (newline, tab, ...). A hidden file is often a half-copied rsync temporary or an OS file."""
    if raw_part.startswith(b"."):
        return ("hidden_file", "tệp hoặc thư mục ẩn (tên bắt đầu bằng dấu chấm) / hidden file or folder (the name "
                "starts with a dot): not part of a delivery; rename it if it is")
    try:
        text = raw_part.decode("utf-8")
    except UnicodeDecodeError:
        return ("odd_name", "tên tệp không phải UTF-8 / the name is not valid UTF-8; rename the file "
                "(its bytes are kept in source_path_bytes)")
    if any(not ch.isprintable() and ch != " " for ch in text):
        return ("odd_name", "tên tệp chứa ký tự điều khiển (xuống dòng, tab...) / the name holds control "
                "characters (newline, tab, ...); rename the file")
    return None


_REFUSED_LINK = ("symlink", "liên kết tượng trưng bị từ chối, không đọc / a symbolic link is refused and never "
                 "followed: copy the file itself into the landing zone")
_NOT_REGULAR = ("not_a_regular_file", "không phải tệp thường (FIFO, socket, thiết bị) / not a regular file "
                "(FIFO, socket or device)")
_VANISHED = ("vanished", "tệp biến mất trong lúc nạp / the file disappeared while it was being ingested "
             "(moved or deleted); it is read again when it comes back")


def list_landing(landing: Path, limits: FileLimits | None = None) -> list[Candidate]:
    """Every entry under the landing zone, by lstat only: nothing is followed, nothing is read.

    Regular files with acceptable names become candidates; symlinks (to files or folders), hidden and
    oddly named entries, FIFOs/sockets/devices, files over the byte limit, unreadable folders and entries
    that vanish while listed become candidates carrying a refusal, so each one is quarantined (with its
    size and mtime, and so skipped on the next run) instead of being dropped or crashing the run."""
    limits = limits or FileLimits()
    out: list[Candidate] = []
    base = os.fsencode(landing)

    def add(rel: bytes, st: os.stat_result | None, refusal: tuple[str, str] | None) -> None:
        out.append(Candidate(readable_name(rel), st.st_size if st else 0, st.st_mtime_ns if st else 0, rel, refusal))

    def walk(rel_dir: bytes, inherited: tuple[str, str] | None) -> None:
        here = base + b"/" + rel_dir if rel_dir else base
        try:
            with os.scandir(here) as it:
                entries = sorted(it, key=lambda e: e.name)
        except FileNotFoundError:
            return
        except OSError:
            add(rel_dir, None, ("unreadable", "thư mục không đọc được / the folder cannot be listed (permissions)"))
            return
        for entry in entries:
            rel = rel_dir + b"/" + entry.name if rel_dir else entry.name
            try:
                st = entry.stat(follow_symlinks=False)
            except FileNotFoundError:
                add(rel, None, _VANISHED)
                continue
            except OSError:
                add(rel, None, ("unreadable", "the entry cannot be examined (permissions)"))
                continue
            problem = name_problem(entry.name) or inherited
            if stat.S_ISLNK(st.st_mode):
                add(rel, st, _REFUSED_LINK)
            elif stat.S_ISDIR(st.st_mode):
                walk(rel, problem)
            elif not stat.S_ISREG(st.st_mode):
                add(rel, st, _NOT_REGULAR)
            elif problem:
                add(rel, st, problem)
            elif st.st_size > limits.max_file_bytes:
                add(rel, st, ("file_too_large", f"the file has {st.st_size:,} bytes, over the limit of "
                              f"{limits.max_file_bytes:,} (LAKEHOUSE_MAX_FILE_BYTES); it was not read"))
            else:
                add(rel, st, None)

    walk(b"", None)
    return out


class Refused(Exception):
    def __init__(self, reason: tuple[str, str]):
        super().__init__(reason[0])
        self.reason = reason


def read_landing_file(landing: Path, raw_name: bytes, max_bytes: int) -> tuple[bytes, os.stat_result]:
    """Read a landing file without following any symlink: every folder on the way is opened relative to the
    previous one with O_NOFOLLOW, then the file itself, so a link swapped in after the listing is refused
    (ELOOP / ENOTDIR) instead of leading out of the landing zone. Returns the bytes and the fstat."""
    parts = raw_name.split(b"/")
    flags_dir = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0)
    fds: list[int] = []
    try:
        try:
            fds.append(os.open(os.fsencode(landing), os.O_RDONLY | os.O_DIRECTORY | getattr(os, "O_CLOEXEC", 0)))
            for part in parts[:-1]:
                fds.append(os.open(part, flags_dir, dir_fd=fds[-1]))
            fd = os.open(parts[-1], os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0),
                         dir_fd=fds[-1])
        except FileNotFoundError as exc:
            raise Refused(_VANISHED) from exc
        except OSError as exc:
            if exc.errno in (errno.ELOOP, errno.ENOTDIR, errno.EMLINK):
                raise Refused(_REFUSED_LINK) from exc
            raise Refused(("unreadable", "tệp không đọc được / the file cannot be opened (permissions)")) from exc
        fds.append(fd)
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise Refused(_NOT_REGULAR)
        if st.st_size > max_bytes:
            raise Refused(("file_too_large", f"the file has {st.st_size:,} bytes, over the limit of "
                           f"{max_bytes:,} (LAKEHOUSE_MAX_FILE_BYTES); it was not read"))
        chunks, total = [], 0
        try:
            while chunk := os.read(fd, 1 << 20):
                total += len(chunk)
                if total > max_bytes:
                    raise Refused(("file_too_large", "the file grew over LAKEHOUSE_MAX_FILE_BYTES while read"))
                chunks.append(chunk)
        except OSError as exc:
            raise Refused(("unreadable", "đọc tệp bị lỗi / reading the file failed (I/O error)")) from exc
        return b"".join(chunks), st
    finally:
        for fd in reversed(fds):
            os.close(fd)


def modified_at(mtime_ns: int) -> dt.datetime:
    """A file's mtime as an aware UTC datetime, exact to the microsecond (integer arithmetic, never a float:
    `fromtimestamp(ns / 1e9)` rounds, so the stored time would never equal the file's again)."""
    return EPOCH + dt.timedelta(microseconds=mtime_ns // 1000)


def sighting_key(rel_path: str, size: int, mtime_ns: int) -> tuple[str, int, int]:
    """What the fast skip compares: path, size, mtime in whole microseconds (what a Delta timestamp holds)."""
    return (rel_path, size, mtime_ns // 1000)


def to_process(candidates: list[Candidate], known: set[tuple[str, int, int]]) -> list[Candidate]:
    """Candidates whose (path, size, mtime) no earlier sighting or quarantine row has: only these are read."""
    return [c for c in candidates if sighting_key(c.rel_path, c.size, c.mtime_ns) not in known]


def ingest_batches(todo: list[Candidate], files_per_batch: int) -> list[list[Candidate]]:
    """The files to read, in commits of at most `files_per_batch`: batch manifests first, then path order.

    Each batch is committed before the next is read, so a killed run keeps every batch it finished. A scan
    takes its record from its batch's manifest; with the manifests in the first batches, a scan finds its
    manifest already landed whichever batch the scan falls in.

    >>> [[c.rel_path for c in b] for b in ingest_batches(
    ...     [Candidate("batches/b1/p1.tif", 1, 0), Candidate("batches/b1/manifest.csv", 1, 0),
    ...      Candidate("inventories/d/muc_luc_ho_so.csv", 1, 0)], 2)]
    [['batches/b1/manifest.csv', 'batches/b1/p1.tif'], ['inventories/d/muc_luc_ho_so.csv']]
    """
    if files_per_batch < 1:
        raise ValueError(f"files_per_batch must be at least 1, got {files_per_batch}")
    ordered = sorted(todo, key=lambda c: (classify(c.rel_path) != "manifest", c.rel_path))
    return [ordered[i:i + files_per_batch] for i in range(0, len(ordered), files_per_batch)]


def raw_relpath(sha256: str) -> str:
    """Where content `sha256` is stored, relative to the lake root (`raw/ab/cd/abcd…`)."""
    return f"raw/{sha256[:2]}/{sha256[2:4]}/{sha256}"


def store_raw(lake_root: Path, sha256: str, data: bytes) -> str:
    """Write-once, atomic: a content already stored is never rewritten.

    The bytes are written first into this process's scratch folder (`tmp/runs/raw-writer-<pid>`, same file
    system, owner-only), then renamed into place: what a killed worker leaves is in a folder the next run's
    sweep of dead scratch folders removes, never beside the stored contents."""
    rel = raw_relpath(sha256)
    dest = lake_root / rel
    if not dest.exists():
        dest.parent.mkdir(parents=True, exist_ok=True)
        tmp = owned_dir(lake_root / SCRATCH, f"raw-writer-{os.getpid()}") / sha256
        tmp.write_bytes(data)
        os.chmod(tmp, 0o400)  # read-only, pipeline only (lake.core.zones)
        os.replace(tmp, dest)
    return rel


def process_file(landing: Path, lake_root: Path, cand: Candidate, limits: FileLimits | None = None) -> dict:
    """Runs in a Spark task: hash, keep the bytes, recognise, describe pages or parse rows.

    Returns a plain dict (picklable) the driver turns into bronze rows. A refused candidate (or one that
    turns out to be a link, to have vanished or to be unreadable when opened) is returned with its reason
    and no sha256: nothing of it was read."""
    limits = limits or FileLimits()
    raw_name = cand.raw_name or cand.rel_path.encode()
    kind = classify(cand.rel_path)
    result: dict = {
        "rel_path": cand.rel_path, "raw_name": raw_name, "sha256": "", "size": cand.size,
        "mtime_ns": cand.mtime_ns, "kind": kind, "error": None, "format": None, "pages": [], "metadata": {},
        "signatures": [], "rows": [], "raw_path": None, "read": False,
    }
    if cand.refusal:
        result["error"] = cand.refusal
        return result
    try:
        data, st = read_landing_file(landing, raw_name, limits.max_file_bytes)
    except Refused as exc:
        result["error"] = exc.reason
        return result
    result.update(size=len(data), mtime_ns=st.st_mtime_ns, read=True)
    sha = hashlib.sha256(data).hexdigest()
    result["sha256"] = sha
    result["raw_path"] = store_raw(lake_root, sha, data) if data else None
    try:
        if kind is None:
            raise BadInput("unexpected_location", "ngoài cấu trúc vùng tiếp nhận / the path is outside the agreed "
                           "landing layout (see the README, Landing zone)")
        info = inspect(data, cand.rel_path, limits)
        result["format"] = info.detected_format
        if kind == "scan":
            if info.detected_format not in ("jpeg", "png", "tiff", "pdf"):
                raise BadInput("not_a_scan", f"a {info.detected_format} file among the scans")
            result["pages"] = [p.__dict__ for p in info.pages]
            result["metadata"] = info.metadata
            result["signatures"] = info.signatures
        else:
            if info.detected_format not in ("csv", "xlsx"):
                raise BadInput("not_a_table", f"expected CSV or XLSX, found {info.detected_format}")
            result["rows"] = read_rows(data, info.detected_format, TABULAR_KINDS[kind])
    except BadInput as exc:
        result["error"] = (exc.reason_code, exc.message)
    except Exception as exc:  # a parser bug must not take the run down: the file is quarantined instead
        result["error"] = ("unreadable", f"the file could not be examined ({type(exc).__name__})")
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
