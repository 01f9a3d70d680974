"""`lakehouse services down` refuses while a job runs against the lake (and needs --force)."""

from __future__ import annotations

import subprocess
import sys
import time

from lake import cli
from lake.joblock import job_lock, running_jobs
from lake.settings import Settings


def test_services_down_refuses_while_a_job_runs(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("LAKEHOUSE_ROOT", str(tmp_path))
    settings = Settings.from_env()
    ready = tmp_path / "ready"
    job = subprocess.Popen([sys.executable, "-c", (
        "import time, pathlib\nfrom lake.joblock import job_lock\nfrom lake.settings import get_settings\n"
        f"with job_lock(get_settings(), 'ocr'):\n    pathlib.Path({str(ready)!r}).touch()\n    time.sleep(60)\n"
    )])
    try:
        for _ in range(200):
            if ready.exists():
                break
            time.sleep(0.05)
        assert running_jobs(settings) == [("ocr", job.pid)]
        stopped = []
        monkeypatch.setattr("lake.services.Services.down", lambda self: stopped.append(1) or [])
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
