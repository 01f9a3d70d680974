"""`lakehouse services down` refuses while a job runs against the lake (and needs --force)."""

from __future__ import annotations

import subprocess
import sys
import time

from lake.apps import cli
from lake.core.joblock import job_lock, running_jobs
from lake.core.settings import Settings


def test_services_down_refuses_while_a_job_runs(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("LAKEHOUSE_ROOT", str(tmp_path))
    settings = Settings.from_env()
    ready = tmp_path / "ready"
    job = subprocess.Popen([sys.executable, "-c", (
        "import time, pathlib\nfrom lake.core.joblock import job_lock\nfrom lake.core.settings import get_settings\n"
        f"with job_lock(get_settings(), 'ocr'):\n    pathlib.Path({str(ready)!r}).touch()\n    time.sleep(60)\n"
    )])
    try:
        for _ in range(200):
            if ready.exists():
                break
            time.sleep(0.05)
        assert running_jobs(settings) == [("ocr", job.pid)]
        stopped = []
        monkeypatch.setattr("lake.platform.services.Services.down", lambda self: stopped.append(1) or [])
        assert cli.main(["services", "down"]) == 1
        assert "ocr (pid" in capsys.readouterr().err and not stopped
        assert cli.main(["services", "down", "--force"]) == 0 and stopped == [1]
    finally:
        job.kill()
        job.wait()
    assert running_jobs(settings) == []  # the killed job's file is stale: no lock outlives its job
    assert cli.main(["services", "down"]) == 0


def test_own_lock_is_released_and_not_counted(tmp_path, monkeypatch):
    monkeypatch.setenv("LAKEHOUSE_ROOT", str(tmp_path))
    settings = Settings.from_env()
    with job_lock(settings, "ingest") as path:
        assert path.exists()
        assert running_jobs(settings) == []
        assert running_jobs(settings, include_self=True) == [("ingest", __import__("os").getpid())]
    assert not path.exists()


def _hold_lock(tmp_path, job: str, seconds: float):
    """A process holding the lake-wide job lock (as a running job does) for `seconds`; returns it once held."""
    ready = tmp_path / f"ready-{job}"
    proc = subprocess.Popen([sys.executable, "-c", (
        "import time, pathlib\nfrom lake.core.joblock import job_lock\nfrom lake.core.settings import get_settings\n"
        f"with job_lock(get_settings(), {job!r}):\n    pathlib.Path({str(ready)!r}).touch()\n"
        f"    time.sleep({seconds})\n    pathlib.Path({str(tmp_path / f'done-{job}')!r}).touch()\n"
    )])
    for _ in range(400):
        if ready.exists():
            return proc
        time.sleep(0.05)
    proc.kill()
    raise AssertionError("the lock holder did not start")


def test_a_second_job_refuses_with_a_clear_message_while_one_runs(tmp_path, monkeypatch, capsys):
    import lake.platform.spark

    monkeypatch.setenv("LAKEHOUSE_ROOT", str(tmp_path))
    monkeypatch.delenv("LAKEHOUSE_JOB_LOCK_WAIT_S", raising=False)
    started = []
    monkeypatch.setattr(lake.platform.spark, "get_spark", lambda *a, **k: started.append(1))
    holder = _hold_lock(tmp_path, "ocr", 60)
    try:
        assert cli.main(["ingest"]) == 75
        err = capsys.readouterr().err
        assert "Kho dữ liệu đang bận" in err and "The lake is busy" in err and f"ocr (pid {holder.pid}" in err
        assert cli.main(["silver"]) == 75 and not started  # refused before any Spark session
    finally:
        holder.kill()
        holder.wait()
    # SIGKILL released the lock: the next job runs
    monkeypatch.setattr("lake.apps.cli.run_jobs", lambda settings, app, *c, **o: started.append(app))
    assert cli.main(["ingest"]) == 0 and started == ["ingest"]


def test_a_second_job_waits_for_the_first_when_told_to(tmp_path, monkeypatch):
    from lake.core.lake_lock import LakeBusy, exclusive

    monkeypatch.setenv("LAKEHOUSE_ROOT", str(tmp_path))
    monkeypatch.setenv("LAKEHOUSE_JOB_LOCK_WAIT_S", "60")
    settings = Settings.from_env()
    holder = _hold_lock(tmp_path, "ingest", 2)
    t0 = time.monotonic()
    try:
        with exclusive(settings, "ingest"):
            waited = time.monotonic() - t0
            assert (tmp_path / "done-ingest").exists()  # the first had finished its work (its exit may lag)
    finally:
        holder.kill()
        holder.wait()
    assert waited >= 1.0
    with exclusive(settings, "a"), exclusive(settings, "b"):  # re-entrant in one process
        pass
    holder = _hold_lock(tmp_path, "ocr", 30)
    try:
        t0 = time.monotonic()
        try:
            with exclusive(settings, "ingest", wait_s=1):
                raise AssertionError("got the lock while another job held it")
        except LakeBusy as exc:
            assert "waited 1 s" in str(exc) and time.monotonic() - t0 >= 1
    finally:
        holder.kill()
        holder.wait()
