"""One job at a time per lake: the lake-wide job lock.

Two runs started at once (two `lakehouse ingest`, or an ingest while OCR runs) would each plan against the
same table state and append the same new keys (the jobs anti-join against what is committed, then append).
So every job run (`lake.core.joblock.job_lock`, taken by the CLI and `python -m jobs.<name>`) first holds an
exclusive `flock` on `<lake root>/run/jobs/lake.lock`. The second run waits up to
`Settings.job_lock_wait_s` seconds (LAKEHOUSE_JOB_LOCK_WAIT_S, default 0) for the first to finish, else
stops before touching Spark with `LakeBusy` (exit code 75, EX_TEMPFAIL) and a message naming the running job.

The kernel drops a `flock` when its process dies (also on SIGKILL), so a killed job never leaves the lake
locked. Re-entrant within one process (a CLI command that runs several jobs holds it once).
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from lake.core.settings import Settings

EXIT_BUSY = 75  # EX_TEMPFAIL: try again later
_HELD: dict[Path, int] = {}  # lock path -> depth, for this process


class LakeBusy(RuntimeError):
    """Another job holds the lake-wide job lock; the CLI exits with `exit_code` (75, "try again later")."""

    exit_code = EXIT_BUSY


def lock_path(settings: Settings) -> Path:
    """The lock file every job of the lake takes (`<run dir>/jobs/lake.lock`)."""
    return settings.run_dir / "jobs" / "lake.lock"


def holder(settings: Settings) -> dict | None:
    """{job, pid, since} of the run holding the lock, as it wrote it (None when unreadable)."""
    try:
        return json.loads(lock_path(settings).read_text() or "null")
    except (OSError, ValueError):
        return None


def busy_message(info: dict | None, waited_s: float) -> str:
    """What a person reads when the lake is busy (Vietnamese, then English): who holds the lock and
    how long we waited."""
    who = f"{info.get('job')} (pid {info.get('pid')}, từ / since {info.get('since')})" if info else "một tác vụ khác"
    return (f"Kho dữ liệu đang bận: {who} đang chạy; chạy lại lệnh khi tác vụ đó kết thúc. / The lake is busy: "
            f"another job holds the job lock{f' (waited {waited_s:.0f} s)' if waited_s else ''}; run the command "
            "again when it has finished, or set LAKEHOUSE_JOB_LOCK_WAIT_S to wait for it.")


@contextlib.contextmanager
def exclusive(settings: Settings, job: str, wait_s: float | None = None) -> Iterator[None]:
    """Hold the lake-wide job lock while the block runs (re-entrant in one process): wait up to `wait_s`
    (default `Settings.job_lock_wait_s`), then raise LakeBusy naming the job that holds it."""
    path = lock_path(settings)
    if _HELD.get(path):
        _HELD[path] += 1
        try:
            yield
        finally:
            _HELD[path] -= 1
        return
    wait_s = settings.job_lock_wait_s if wait_s is None else wait_s
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        t0 = time.monotonic()
        told = False
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                waited = time.monotonic() - t0
                if waited >= wait_s:
                    raise LakeBusy(busy_message(holder(settings), waited)) from None
                if not told:
                    info = holder(settings) or {}
                    print(f"lakehouse: đang chờ {info.get('job', 'tác vụ khác')} (pid {info.get('pid')}) kết thúc "
                          f"/ waiting up to {wait_s} s for the running job", file=sys.stderr, flush=True)
                    told = True
                time.sleep(0.5)
        os.ftruncate(fd, 0)
        os.pwrite(fd, json.dumps({"job": job, "pid": os.getpid(),
                                  "since": time.strftime("%Y-%m-%dT%H:%M:%S%z")}).encode(), 0)
        _HELD[path] = 1
        try:
            yield
        finally:
            _HELD.pop(path, None)
            os.ftruncate(fd, 0)
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)
