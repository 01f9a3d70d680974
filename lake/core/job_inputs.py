"""What each job saw at its last successful run, read without Spark: a run with nothing new ends before a Spark
session starts.

A job's *inputs* (`seen_now`) are everything that can change what it writes, as the job registry declares it:
- `code`: a SHA-256 of the `lake` and `jobs` packages (any edit of any code or contract counts);
- `settings`: a SHA-256 of the Settings the job runs with;
- `tables`: the last Delta commit (`lake.core.delta.log_version`, a directory listing) of every table the job
  reads or writes, gold marts and Iceberg copies included;
- `files`: a fingerprint (relative path, type, size, mtime in ns of every entry, `os.lstat`) of every folder it
  lands files from (`JobSpec.reads_files`; the whole landing zone for the landing ingest).

`lakehouse ingest|ocr|silver|publish` (lake.apps.cli.run_jobs) compares them, job by job, with what the job's
last successful run recorded (`<lake root>/warehouse/ops/_last_inputs/<job>.json`, pipeline zone) and skips a
job whose inputs are all the same; a session is started only for the first job that has something to do. The
record is written after a successful run, under the lake-wide job lock (no other job writes meanwhile), with the
tables as the run left them and the folders as they were *before* it read them (a file delivered while the job
ran is new at the next run). A job with a run option (`--reprocess`, `--limit-pages`) always runs and records
nothing; a job the registry marks `always_runs` (the search index, fed from a server) never skips. A skipped job
commits nothing, not even an ops.pipeline_runs row: it prints why it was skipped.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import stat
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from lake.core.settings import Settings

STATE_FOLDER = "_last_inputs"  # under warehouse/ops: Spark ignores names starting with "_"


@dataclass(frozen=True)
class Inputs:
    """What a job's run depends on (see the module docstring)."""

    code: str
    settings: str
    tables: dict[str, str | None] = field(default_factory=dict)
    files: dict[str, str] = field(default_factory=dict)

    def to_json(self) -> str:
        """The state file's text: every field, keys sorted so equal inputs give equal text."""
        return json.dumps(dataclasses.asdict(self), indent=1, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> Inputs:
        """Read back what `to_json` wrote."""
        d = json.loads(text)
        return cls(d["code"], d["settings"], dict(d["tables"]), dict(d["files"]))

    def differences(self, other: Inputs | None) -> list[str]:
        """What differs from `other` (the last run's), in words; empty when nothing does.

        >>> a = Inputs("c1", "s1", {"bronze.scan_pages": "3@1"}, {"landing": "f1"})
        >>> a.differences(a)
        []
        >>> a.differences(None)
        ['no successful run recorded']
        >>> a.differences(Inputs("c0", "s1", {"bronze.scan_pages": "2@1"}, {"landing": "f1"}))
        ['the code changed', 'new commits in bronze.scan_pages']
        """
        if other is None:
            return ["no successful run recorded"]
        out = []
        if self.code != other.code:
            out.append("the code changed")
        if self.settings != other.settings:
            out.append("the settings changed")
        tables = sorted(n for n in {*self.tables, *other.tables} if self.tables.get(n) != other.tables.get(n))
        if tables:
            out.append("new commits in " + ", ".join(tables))
        folders = sorted(n for n in {*self.files, *other.files} if self.files.get(n) != other.files.get(n))
        if folders:
            out.append("new or changed files in " + ", ".join(folders))
        return out


def folder_fingerprint(root: Path) -> str:
    """SHA-256 over (relative path, file type, size, mtime in ns) of every entry under `root`, symlinks not
    followed; "absent" when there is no such folder. Any file added, removed, replaced or touched changes it.

    >>> import tempfile
    >>> d = Path(tempfile.mkdtemp())
    >>> empty = folder_fingerprint(d)
    >>> (d / "a.pdf").write_bytes(b"x") and folder_fingerprint(d) != empty
    True
    >>> folder_fingerprint(d / "missing")
    'absent'
    """
    if not root.is_dir():
        return "absent"
    h = hashlib.sha256()
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        here = Path(dirpath)
        for name in sorted([*dirnames, *filenames]):
            p = here / name
            try:
                st = p.lstat()
            except FileNotFoundError:  # removed while we walked: the next walk sees the change
                continue
            h.update(f"{p.relative_to(root)}\0{stat.S_IFMT(st.st_mode)}\0{st.st_size}\0{st.st_mtime_ns}\n"
                     .encode("utf-8", "surrogateescape"))
    return h.hexdigest()


def code_version(paths: Iterable[Path], extra: Iterable[str] = ()) -> str:
    """SHA-256 over the files under `paths` (every file of a folder, in name order; no __pycache__) and the
    `extra` strings: any edit of the code or rules that builds the rows gives another version."""
    h = hashlib.sha256()
    for root in paths:
        files = sorted(p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts) \
            if root.is_dir() else [root]
        for f in files:
            h.update(str(f.relative_to(root.parent)).encode() + b"\0" + f.read_bytes() + b"\0")
    for text in extra:
        h.update(text.encode() + b"\0")
    return h.hexdigest()


def code_hash() -> str:
    """SHA-256 of the `lake` and `jobs` packages (every file, contracts included; `jobs` found, not imported)."""
    import importlib.util

    lake_dir = Path(__file__).resolve().parents[1]
    jobs_spec = importlib.util.find_spec("jobs")
    roots = [lake_dir] + ([Path(jobs_spec.origin).parent] if jobs_spec and jobs_spec.origin else [])
    return code_version(roots)


def settings_hash(settings: Settings) -> str:
    """SHA-256 of the Settings (their repr: paths, limits, engine options; Settings hold no secret)."""
    return hashlib.sha256(repr(settings).encode()).hexdigest()


def folders(settings: Settings, spec) -> dict[str, Path]:
    """The folders a job lands files from (`JobSpec.reads_files`): the reference lists, or the whole landing zone
    for any `landing/…` key (a file delivered to an unexpected folder is the ingest's business too: it is
    quarantined with its reason)."""
    out = {}
    for key in spec.reads_files:
        if key == "reference":
            out[key] = settings.reference_dir
        elif key.startswith("landing/"):
            out["landing"] = settings.landing_dir
        else:
            raise ValueError(f"job {spec.name}: unknown folder {key!r}")
    return out


def tables(settings: Settings, spec) -> dict[str, str | None]:
    """The last commit of every table the job reads or writes, by name; `gold.*` / `iceberg.gold.*` stand for
    every mart folder under warehouse/gold and the Iceberg warehouse's files."""
    from lake.core.delta import log_version

    out: dict[str, str | None] = {}
    for contract in (*spec.reads, *spec.writes):
        try:
            out[contract.full_name] = log_version(contract.location(settings))
        except PermissionError:  # another zone's table: its commits are not ours to read
            out[contract.full_name] = "unreadable"
    for name in (*spec.reads_other, *spec.writes_other):
        if name == "gold.*":
            gold = settings.warehouse_dir / "gold"
            for d in sorted(gold.iterdir()) if gold.is_dir() else []:
                out[f"gold.{d.name}"] = log_version(d)
        elif name == "iceberg.gold.*":
            out[name] = folder_fingerprint(settings.iceberg_dir)
        else:
            raise ValueError(f"job {spec.name}: no way to see whether {name} changed (mark it always_runs)")
    return out


def seen_now(settings: Settings, spec, *, code: str | None = None) -> Inputs:
    """The job's inputs as they are now."""
    return Inputs(code or code_hash(), settings_hash(settings), tables(settings, spec),
                  {k: folder_fingerprint(p) for k, p in folders(settings, spec).items()})


def state_path(settings: Settings, job: str) -> Path:
    """Where the inputs of `job`'s last successful run are kept (owner-only, under the ops zone)."""
    return settings.warehouse_dir / "ops" / STATE_FOLDER / f"{job}.json"


def last_seen(settings: Settings, job: str) -> Inputs | None:
    """What the job's last successful run recorded; None when nothing was (or the record is unreadable)."""
    try:
        return Inputs.from_json(state_path(settings, job).read_text(encoding="utf-8"))
    except (OSError, ValueError, KeyError):
        return None


def write_atomic(path: Path, text: str) -> None:
    """Replace `path` with `text` in one step (a reader sees the old or the new file, never half of one),
    owner-only; also the gold build's state (lake.apps.build_state)."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    tmp = path.with_name(f".{path.name}.{os.getpid()}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(tmp, path)


def record(settings: Settings, job: str, inputs: Inputs) -> None:
    """Write the job's record (`write_atomic`)."""
    write_atomic(state_path(settings, job), inputs.to_json())


def forget(settings: Settings, job: str) -> None:
    """Drop the job's record: its next run runs whatever it finds."""
    state_path(settings, job).unlink(missing_ok=True)
