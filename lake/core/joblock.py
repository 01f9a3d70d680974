"""Which pipeline jobs are running against this lake, so `lakehouse services down` does not stop the
metastore under one of them.

A job run (`lakehouse ingest|ocr|silver|transform|publish|land|demo`, `python -m jobs.<name>`) holds a
small file `<lake root>/run/jobs/<job>.<pid>` while it runs. A file whose process is gone (a job killed
with SIGKILL) is stale and ignored, so no lock outlives its job. It also holds the lake-wide job lock
(`lake.core.lake_lock`): one job at a time per lake.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

from lake.core.pids import pid_alive as _alive
from lake.core.settings import Settings


def _dir(settings: Settings) -> Path:
    return settings.run_dir / "jobs"


@contextlib.contextmanager
def job_lock(settings: Settings, job: str) -> Iterator[Path]:
    """Hold the lake-wide job lock and the job's pid file while the block runs; yields the pid file path.
    LakeBusy when another job holds the lock (after `Settings.job_lock_wait_s`)."""
    from lake.core.lake_lock import exclusive

    with exclusive(settings, job), _pid_file(settings, job) as path:
        yield path


@contextlib.contextmanager
def _pid_file(settings: Settings, job: str) -> Iterator[Path]:
    folder = _dir(settings)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{job}.{os.getpid()}"
    path.write_text(f"{os.getpid()}\n")
    try:
        yield path
    finally:
        path.unlink(missing_ok=True)


def running_jobs(settings: Settings, *, include_self: bool = False) -> list[tuple[str, int]]:
    """(job, pid) of every job running against this lake; stale files are removed."""
    folder = _dir(settings)
    out = []
    if not folder.is_dir():
        return out
    for path in sorted(folder.iterdir()):
        if path.name == "lake.lock":
            continue
        job, _, pid_text = path.name.rpartition(".")
        try:
            pid = int(pid_text)
        except ValueError:
            continue
        if not _alive(pid):
            path.unlink(missing_ok=True)
            continue
        if pid != os.getpid() or include_self:
            out.append((job, pid))
    return out
