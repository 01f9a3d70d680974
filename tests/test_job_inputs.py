"""A run with nothing new ends before Spark starts (lake.core.job_inputs, lake.apps.cli.run_jobs): fake jobs over a
real lake folder, a monkeypatched session factory that counts the sessions asked for."""

from __future__ import annotations

import pytest

from lake.apps import cli
from lake.core import contracts as C
from lake.core import job_inputs
from lake.core import job_registry as registry

RUNS: list[str] = []


class _Stats:
    def __init__(self, job):
        self.job = job

    def summary(self):
        return f"{self.job} ran"


def fake_ingest(spark, settings, **options):
    RUNS.append("ingest")
    (C.SCAN_PAGES.location(settings) / "_delta_log").mkdir(parents=True, exist_ok=True)
    log = C.SCAN_PAGES.location(settings) / "_delta_log"
    n = len(list(log.glob("*.json")))
    files = sorted(p.name for p in (settings.landing_dir).rglob("*") if p.is_file())
    if n == 0 or files != getattr(fake_ingest, "seen", None):  # a commit only when something is new
        (log / f"{n:020d}.json").write_text("{}")
        fake_ingest.seen = files
    return _Stats("ingest")


def fake_ocr(spark, settings, **options):
    RUNS.append("ocr")
    if getattr(fake_ocr, "fail", False):
        raise RuntimeError("the OCR engine is missing")
    return _Stats("ocr")


@pytest.fixture
def lake(monkeypatch, tmp_path):
    import lake.platform.spark

    monkeypatch.setenv("LAKEHOUSE_ROOT", str(tmp_path / "lake"))
    monkeypatch.setattr(registry, "JOBS", (
        registry.JobSpec("fake_ingest", "Nạp", "tests.test_job_inputs:fake_ingest",
                         reads_files={"landing/batches/*": (C.SCAN_PAGES,)}, writes=(C.SCAN_PAGES,)),
        registry.JobSpec("fake_ocr", "OCR", "tests.test_job_inputs:fake_ocr", reads=(C.SCAN_PAGES,)),
    ))
    monkeypatch.setattr(registry, "COMMANDS", {"all": ("fake_ingest", "fake_ocr")})
    sessions = []
    monkeypatch.setattr(lake.platform.spark, "get_spark", lambda app, s: sessions.append(app) or f"session:{app}")
    monkeypatch.setattr(fake_ocr, "fail", False, raising=False)
    RUNS.clear()
    fake_ingest.seen = None
    settings = cli.get_settings()
    (settings.landing_dir / "batches" / "B1").mkdir(parents=True)
    (settings.landing_dir / "batches" / "B1" / "p1.tif").write_bytes(b"scan")
    return settings, sessions


def test_a_second_run_with_nothing_new_starts_no_session(lake, capsys):
    settings, sessions = lake
    assert cli.run_jobs(settings, "all", "all") == "session:all"
    assert RUNS == ["ingest", "ocr"] and sessions == ["all"]
    capsys.readouterr()
    assert cli.run_jobs(settings, "all", "all") is None  # nothing new: no Spark session at all
    assert RUNS == ["ingest", "ocr"] and sessions == ["all"]
    out = capsys.readouterr().out
    assert "fake_ingest: nothing new since its last successful run" in out and "fake_ocr: nothing new" in out


def test_a_new_file_reruns_the_ingest_and_its_commit_reruns_what_reads_it(lake):
    settings, _ = lake
    cli.run_jobs(settings, "all", "all")
    (settings.landing_dir / "batches" / "B2").mkdir()
    (settings.landing_dir / "batches" / "B2" / "p1.tif").write_bytes(b"another scan")
    cli.run_jobs(settings, "all", "all")
    assert RUNS == ["ingest", "ocr", "ingest", "ocr"]  # the ingest committed, so the OCR's input moved
    # a file dropped in an unexpected folder is the ingest's business too (it quarantines it)
    (settings.landing_dir / "stray.pdf").write_bytes(b"%PDF")
    RUNS.clear()
    cli.run_jobs(settings, "all", "all")
    assert RUNS == ["ingest", "ocr"]


def test_a_touched_file_counts_but_an_ingest_that_commits_nothing_lets_the_ocr_skip(lake):
    import os

    settings, _ = lake
    cli.run_jobs(settings, "all", "all")
    page = settings.landing_dir / "batches" / "B1" / "p1.tif"
    st = page.stat()
    os.utime(page, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000))  # the same bytes, touched
    RUNS.clear()
    cli.run_jobs(settings, "all", "all")
    assert RUNS == ["ingest"]  # the ingest looked (and committed nothing), so the OCR had nothing new


def test_a_failed_run_records_nothing_and_runs_again(lake):
    settings, _ = lake
    fake_ocr.fail = True
    with pytest.raises(RuntimeError):
        cli.run_jobs(settings, "all", "all")
    assert job_inputs.last_seen(settings, "fake_ocr") is None
    assert job_inputs.last_seen(settings, "fake_ingest") is not None
    fake_ocr.fail = False
    RUNS.clear()
    cli.run_jobs(settings, "all", "all")
    assert RUNS == ["ocr"]


def test_run_options_always_run_and_record_nothing(lake):
    settings, _ = lake
    cli.run_jobs(settings, "all", "all")
    RUNS.clear()
    cli.run_jobs(settings, "all", "all", reprocess=True)
    assert RUNS == ["ingest", "ocr"]


def test_the_code_or_settings_changing_reruns(lake, monkeypatch):
    settings, _ = lake
    cli.run_jobs(settings, "all", "all")
    RUNS.clear()
    monkeypatch.setattr(job_inputs, "code_hash", lambda: "another version")
    cli.run_jobs(settings, "all", "all")
    assert RUNS == ["ingest", "ocr"]
    RUNS.clear()
    monkeypatch.setenv("LAKEHOUSE_OCR_PAGES_PER_BATCH", "7")
    cli.run_jobs(cli.get_settings(), "all", "all")
    assert RUNS == ["ingest", "ocr"]


def test_the_record_is_owner_only_in_the_pipeline_zone(lake):
    import stat

    settings, _ = lake
    cli.run_jobs(settings, "all", "all")
    path = job_inputs.state_path(settings, "fake_ingest")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert settings.warehouse_dir / "ops" in path.parents


def test_every_registered_job_can_be_seen_or_always_runs(tmp_path, monkeypatch):
    """Each real job's inputs are computable without Spark (on an empty lake), or it is marked always_runs."""
    monkeypatch.setenv("LAKEHOUSE_ROOT", str(tmp_path / "lake"))
    settings = cli.get_settings()
    for job in registry.JOBS:
        if job.always_runs:
            with pytest.raises(ValueError):
                job_inputs.seen_now(settings, job)
            continue
        seen = job_inputs.seen_now(settings, job)
        assert set(seen.tables) >= {c.full_name for c in (*job.reads, *job.writes)}
