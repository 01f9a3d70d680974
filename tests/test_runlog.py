"""OpenLineage run events of a run (no Spark): datasets from the job registry, row counts, file transport."""

from __future__ import annotations

import json
import os

from lake.core import runlog
from lake.core.runs import RunStats
from lake.core.settings import Settings


def _events(settings):
    return [json.loads(line) for line in settings.openlineage_file.read_text().splitlines()]


def test_events_carry_the_declared_datasets_and_the_rows_written(tmp_path, monkeypatch):
    monkeypatch.setenv("LAKEHOUSE_ROOT", str(tmp_path))
    monkeypatch.delenv("LAKEHOUSE_OPENLINEAGE_URL", raising=False)
    settings = Settings.from_env()
    ocr = RunStats("ocr_pages")
    runlog.emit(settings, ocr, "START")
    ocr.rows_written = {"bronze.ocr_pages": 7, "bronze.ocr_qc_queue": 2}
    runlog.emit(settings, ocr, "COMPLETE")
    pub = RunStats("publish_gold")
    pub.rows_written = {"iceberg.gold.fct_documents": 5}
    runlog.emit(settings, pub, "COMPLETE")
    failed = RunStats("silver_documents", message="RuntimeError: bronze.ocr_pages does not exist")
    runlog.emit(settings, failed, "FAIL")

    start, complete, published, fail = _events(settings)
    assert oct(os.stat(settings.openlineage_file).st_mode & 0o777) == "0o600"
    assert start["eventType"] == "START" and start["run"]["runId"] == complete["run"]["runId"] == ocr.ol_run_id
    assert start["job"] == {"namespace": "lakehouse_pipelines", "name": "ocr_pages", "facets": {}}
    assert [d["name"] for d in start["inputs"]][:2] == ["bronze.scan_pages", "bronze.raw_contents"]
    assert all(d["outputFacets"] == {} for d in start["outputs"])  # no counts before the run
    counts = {d["name"]: d["outputFacets"]["outputStatistics"]["rowCount"] for d in complete["outputs"]}
    assert counts == {"bronze.ocr_pages": 7, "bronze.ocr_qc_queue": 2, "bronze.access_copies": 0,
                      "bronze.quarantine": 0}
    # a mart pattern of the registry ("iceberg.gold.*") becomes one dataset per mart written
    assert [(d["name"], d["outputFacets"]["outputStatistics"]["rowCount"]) for d in published["outputs"]] == [
        ("iceberg.gold.fct_documents", 5)]
    assert fail["eventType"] == "FAIL"
    assert fail["run"]["facets"]["errorMessage"]["message"].startswith("RuntimeError: bronze.ocr_pages")


def test_an_unreachable_lineage_endpoint_does_not_fail_the_job(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("LAKEHOUSE_ROOT", str(tmp_path))
    monkeypatch.setenv("LAKEHOUSE_OPENLINEAGE_URL", "http://127.0.0.1:9")  # discard port: nothing listens
    runlog.emit(Settings.from_env(), RunStats("ingest_landing"), "START")
    assert "OpenLineage START event not sent" in capsys.readouterr().err


def test_dead_runs_scratch_folders_are_removed_live_ones_kept(tmp_path, monkeypatch):
    import subprocess
    import sys

    monkeypatch.setenv("LAKEHOUSE_ROOT", str(tmp_path))
    settings = Settings.from_env()
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True,
                          text=True).stdout.strip()
    gone = runlog.scratch_root(settings) / "ocr_pages-dead"
    gone.mkdir(parents=True)
    (gone / ".owner").write_text(dead)
    live = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        kept = runlog.scratch_root(settings) / "ocr_pages-live"
        kept.mkdir()
        (kept / ".owner").write_text(str(live.pid))
        assert runlog.clean_dead_scratch(settings) == [gone]
        assert kept.is_dir() and not gone.exists()
    finally:
        live.kill()
        live.wait()
