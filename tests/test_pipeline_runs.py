"""The pipeline as an operator runs it, in subprocesses against a lake of its own: an ingest killed with
SIGKILL mid-way, then two `lakehouse ingest` started at once, a job that fails, an OCR run killed mid-way and
run again.

The tests of this module run in order on one small lake (ingest killed → two ingests → failing silver → OCR
killed → OCR again).
"""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from lake.core import contracts as C
from tests.conftest import SECOND_LAKE_PG_PORT

pytestmark = [pytest.mark.spark, pytest.mark.ocr]


@pytest.fixture(scope="module")
def lake2(lake_env):
    """A second lake (own root, own metastore Postgres) with a 12-page sample in its landing zone."""
    from lake.core.zones import ensure_zones
    from lake.domain.reference_lists import load_reference
    from lake.platform.services import Services
    from lakehouse_sample import generate_archive

    root = Path(tempfile.mkdtemp(prefix="lakehouse-runs-", dir=os.environ.get("LAKEHOUSE_TEST_TMP", "/tmp")))
    os.chmod(root, 0o711)
    settings = dataclasses.replace(lake_env, lake_root=root, pg_port=SECOND_LAKE_PG_PORT)
    ensure_zones(settings)
    generate_archive(settings.landing_dir, settings.ground_truth_dir, load_reference(settings.reference_dir),
                     seed=11, pages=12, districts=1, workers=2)
    env = {**os.environ, "LAKEHOUSE_ROOT": str(root), "LAKEHOUSE_PG_PORT": str(SECOND_LAKE_PG_PORT)}
    try:
        yield settings, env
    finally:
        Services(settings).down()
        shutil.rmtree(root, ignore_errors=True)


def _cli(env, *args, **extra_env):
    return subprocess.Popen([sys.executable, "-m", "lake.apps.cli", *args], env={**env, **extra_env},
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)


def _table(spark, settings, contract):
    return spark.read.format("delta").load(str(contract.location(settings)))


def _runs(spark, settings, job):
    return sorted((r.asDict() for r in _table(spark, settings, C.PIPELINE_RUNS).where(f"job = '{job}'").collect()),
                  key=lambda r: r["started_at"])


def _events(settings):
    path = settings.openlineage_file
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()] if path.exists() else []


def _assert_each_key_once(spark, settings, contract):
    df = _table(spark, settings, contract)
    total, keys = df.count(), df.select(*contract.key).distinct().count()
    assert total == keys, f"{contract.full_name}: {total} rows for {keys} keys"
    return total


def _delivered(settings) -> set[str]:
    return {str(p.relative_to(settings.landing_dir)) for p in settings.landing_dir.rglob("*") if p.is_file()}


def _accounted_for(spark, settings) -> set[str]:
    """Delivered files with a sighting or an ingest quarantine row."""
    seen = {r.source_path for r in _table(spark, settings, C.LANDING_FILES).select("source_path").collect()}
    return seen | {r.source_path for r in _table(spark, settings, C.QUARANTINE).where("stage = 'ingest'").collect()}


def test_ingest_killed_mid_way_keeps_the_batches_it_committed(spark, lake2):
    settings, env = lake2
    log = C.LANDING_FILES.location(settings) / "_delta_log"
    proc = _cli(env, "ingest", LAKEHOUSE_INGEST_FILES_PER_BATCH="3")
    deadline = time.monotonic() + 900
    # version 0 creates the table, each batch then commits one version: the sample's 6 manifests are the first 2
    while not (log / f"{2:020d}.json").exists():
        assert proc.poll() is None, proc.communicate()[1][-3000:]
        assert time.monotonic() < deadline, "no ingest batch committed in 15 minutes"
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    (killed,) = _runs(spark, settings, "ingest_landing")
    assert killed["status"] == "started" and killed["finished_at"] is None
    landed = _accounted_for(spark, settings)
    assert 6 <= len(landed) < len(_delivered(settings))  # the batches committed kept, the rest not yet read
    manifests = {p for p in _delivered(settings) if p.endswith("/manifest.csv")}
    assert manifests <= landed  # the manifests come first, so every scan read later finds its record
    for contract in (C.LANDING_FILES, C.BATCH_MANIFESTS):  # every table is checked once the next run is done
        _assert_each_key_once(spark, settings, contract)


def test_two_ingests_started_at_once_count_nothing_twice(spark, lake2):
    """After the killed ingest: the two land what it left, once."""
    settings, env = lake2
    before = _accounted_for(spark, settings)
    procs = [_cli(env, "ingest", LAKEHOUSE_JOB_LOCK_WAIT_S="900") for _ in range(2)]
    outs = [p.communicate(timeout=900) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], [o[1][-2000:] for o in outs]
    assert any("waiting up to 900 s" in err for _, err in outs)  # the second waited for the first
    for contract in C.BRONZE_TABLES:
        _assert_each_key_once(spark, settings, contract)
    # no file lost: every delivered file is a sighting or an ingest quarantine row
    delivered = _delivered(settings)
    assert delivered == _accounted_for(spark, settings)
    # the one that waited found the landing zone and the tables as the first left them: it skipped both jobs
    # without starting Spark (lake.core.job_inputs) and recorded no run
    assert sum("ingest_landing: nothing new since its last successful run" in out for out, _ in outs) == 1
    killed, run = _runs(spark, settings, "ingest_landing")
    assert killed["status"] == "started"
    assert run["status"] == "succeeded" and run["finished_at"] is not None
    # nothing half-written beside the stored contents, and no raw writer's folder of the killed run left
    assert not [p for p in (settings.lake_root / "raw").rglob("*") if p.is_file() and p.name.endswith(".tmp")]
    from lake.core import runlog

    left = [p for d in runlog.dead_folders(runlog.scratch_root(settings)) for p in d.iterdir() if p.name != ".owner"]
    assert not left  # the killed run's were swept by the next run; the finished run's writers left theirs empty
    # it read only what the killed run had not committed
    assert run["items_new"] + run["items_quarantined"] == len(delivered - before)
    # and the scans read in a later batch than their manifest still carry the manifest's record
    from lake.domain.ingest.landing import batch_of

    listed = {(r.batch_id or batch_of(r.source_file), r.file_name): r.record_code
              for r in _table(spark, settings, C.BATCH_MANIFESTS).collect()}
    scans = _table(spark, settings, C.LANDING_FILES).where("file_kind = 'scan'").collect()
    matched = [(s.record_code, listed[key]) for s in scans if (key := (s.batch_id, s.source_path.rsplit("/", 1)[-1]))
               in listed]
    assert matched and all(got == want for got, want in matched), matched


def test_a_failing_job_is_recorded_as_failed_with_a_fail_event(spark, lake2):
    settings, env = lake2
    proc = _cli(env, "silver")  # before any OCR: silver_documents stops ("run the OCR job first")
    _, err = proc.communicate(timeout=600)
    assert proc.returncode != 0 and "run the OCR job first" in err
    (run,) = _runs(spark, settings, "silver_documents")
    assert run["status"] == "failed" and "run the OCR job first" in run["message"] and run["finished_at"]
    events = [e for e in _events(settings) if e["job"]["name"] == "silver_documents"]
    assert [e["eventType"] for e in events] == ["START", "FAIL"]
    assert "run the OCR job first" in events[1]["run"]["facets"]["errorMessage"]["message"]
    assert {d["name"] for d in events[0]["inputs"]} == {"bronze.inventory_records", "bronze.inventory_documents",
                                                        "bronze.landing_files", "bronze.ocr_pages",
                                                        "silver.agencies", "silver.localities"}


def test_ocr_killed_mid_way_then_run_again_reads_every_page_once(spark, lake2):
    from pyspark.sql import functions as F

    settings, env = lake2
    staged_root = settings.lake_root / "tmp" / "ocr-staged"

    def staged(first_batch: int = 0):
        return sorted(str(p) for p in staged_root.glob("*/batch-*/part-*.parquet")
                      if int(p.parent.name.removeprefix("batch-")) >= first_batch)

    proc = _cli(env, "ocr", LAKEHOUSE_OCR_PAGES_PER_BATCH="3")
    deadline = time.monotonic() + 900
    # batch b is read while b-1 is committed: once a task of the third batch has finished, the first is committed
    while not staged(2):
        assert proc.poll() is None, proc.communicate()[1][-3000:]
        assert time.monotonic() < deadline, "no OCR task of a second batch finished in 15 minutes"
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGKILL)  # the driver, its JVM and its Python workers
    proc.wait()
    total = _table(spark, settings, C.SCAN_PAGES).count()
    done_before = _table(spark, settings, C.OCR_PAGES).count()
    assert 0 < done_before < total  # killed mid-way, the committed batches kept
    committed = {r.page_id for r in _table(spark, settings, C.OCR_PAGES).select("page_id").collect()}
    staged_ids = {r.page_id for r in spark.read.parquet(*staged()).where("kind = 'page'").select("page.page_id")
                  .collect()}
    pending = staged_ids - committed
    assert pending  # read by tasks that finished, never committed by the killed run
    (killed,) = _runs(spark, settings, "ocr_pages")
    assert killed["status"] == "started" and killed["finished_at"] is None  # started, never finished
    scratch = settings.lake_root / "tmp" / "runs" / killed["run_id"]
    assert scratch.is_dir()  # the dead run's plan is still there

    again = _cli(env, "ocr", LAKEHOUSE_OCR_PAGES_PER_BATCH="3")
    _, err = again.communicate(timeout=900)
    assert again.returncode == 0, err[-3000:]
    assert not scratch.exists()  # cleaned by the next run
    killed_now, rerun = _runs(spark, settings, "ocr_pages")
    assert killed_now["status"] == "started" and rerun["status"] == "succeeded"
    # what the killed run's finished tasks read was committed from their staged files, not read again
    assert f"recovered {len(pending)} pages read by a killed run" in rerun["message"]
    assert {r.run_id for r in _table(spark, settings, C.OCR_PAGES).where(F.col("page_id").isin(*pending))
            .select("run_id").collect()} == {killed["run_id"]}
    assert not any(staged_root.glob("*/batch-*"))

    # every page once, none missed; the four tables agree
    ocr = _assert_each_key_once(spark, settings, C.OCR_PAGES)
    for contract in (C.OCR_QC_QUEUE, C.ACCESS_COPIES, C.QUARANTINE):
        _assert_each_key_once(spark, settings, contract)
    quarantined = {(r.sha256, r.item) for r in _table(spark, settings, C.QUARANTINE).where("stage = 'ocr'").collect()}
    pages = {(r.sha256, r.page_index) for r in _table(spark, settings, C.SCAN_PAGES).collect()}
    read = {(r.sha256, r.page_index) for r in _table(spark, settings, C.OCR_PAGES).collect()}
    assert read == {p for p in pages if (p[0], f"page {p[1]}") not in quarantined} and ocr == len(read)
    assert rerun["items_new"] == ocr - done_before
    flagged = {r.page_id for r in _table(spark, settings, C.OCR_PAGES).where("quality_class <> 'good'").collect()}
    assert {r.page_id for r in _table(spark, settings, C.OCR_QC_QUEUE).collect()} == flagged
    files = {s for s, _ in pages} - {s for s, _ in quarantined}
    assert {r.sha256 for r in _table(spark, settings, C.ACCESS_COPIES).collect()} == files

    events = [e for e in _events(settings) if e["job"]["name"] == "ocr_pages"]
    by_run: dict[str, list[str]] = {}
    for e in events:
        by_run.setdefault(e["run"]["runId"], []).append(e["eventType"])
    assert sorted(by_run.values()) == [["START"], ["START", "COMPLETE"]]  # the killed run never completed
    complete = next(e for e in events if e["eventType"] == "COMPLETE")
    counts = {d["name"]: d["outputFacets"]["outputStatistics"]["rowCount"] for d in complete["outputs"]}
    assert counts["bronze.ocr_pages"] == rerun["rows_written"]["bronze.ocr_pages"] == ocr - done_before
    assert "bronze.scan_pages" in {d["name"] for d in complete["inputs"]}

    # and a third run commits nothing
    versions = {c.name: len(list((c.location(settings) / "_delta_log").glob("*.json"))) for c in C.OCR_TABLES}
    third = _cli(env, "ocr")
    third.communicate(timeout=600)
    assert third.returncode == 0
    assert {c.name: len(list((c.location(settings) / "_delta_log").glob("*.json"))) for c in C.OCR_TABLES} \
        == versions
