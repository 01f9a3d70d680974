"""Spark job: landing zone -> bronze (files, contents, pages, delivered tables, quarantine).

Thin wrapper around `lake.domain.ingest`: the driver lists the landing zone and skips what it has already seen
(same path, size and modification time); the rest is read in batches of `Settings.ingest_files_per_batch` files
(manifests first), each committed before the next: Spark tasks hash, store, recognise and parse the files, the
driver then inserts only rows whose keys are new. A killed run keeps every finished batch. A second run over an
unchanged landing zone writes nothing to bronze (table versions stay put) and only logs its run in
ops.pipeline_runs.
"""

from __future__ import annotations

import datetime as dt
import math

from lake.apps.progress import collect_with_progress
from lake.core import contracts as C
from lake.core.delta import ensure_table, insert_new, to_dataframe
from lake.core.runs import RunStats
from lake.core.settings import Settings
from lake.domain.ingest.landing import TABULAR_KINDS, ingest_batches, list_landing, to_process
from lake.domain.ingest.rows import bronze_rows, manifest_lookup

JOB = "ingest_landing"


def _known_sightings(spark) -> tuple[set, set, dict]:
    """(path, size, mtime µs) of every sighting and ingest quarantine row; (path, sha) seen or quarantined;
    last version per path. A quarantined file is remembered like a landed one, so it is not read again."""
    fast = set()
    seen = set()
    versions: dict[str, int] = {}
    for r in spark.sql(
        "SELECT source_path, sha256, size_bytes, unix_micros(modified_at) AS mt, version "
        f"FROM {C.LANDING_FILES.full_name}"
    ).collect():
        fast.add((r.source_path, r.size_bytes, r.mt))
        seen.add((r.source_path, r.sha256))
        versions[r.source_path] = max(versions.get(r.source_path, 0), r.version)
    for r in spark.sql(
        f"SELECT source_path, sha256, size_bytes, unix_micros(modified_at) AS mt FROM {C.QUARANTINE.full_name} "
        "WHERE stage = 'ingest'"
    ).collect():
        seen.add((r.source_path, r.sha256))
        if r.mt is not None and r.size_bytes is not None:
            fast.add((r.source_path, r.size_bytes, r.mt))
    return fast, seen, versions


def _landed_manifests(spark) -> list[dict]:
    """The rows of the latest landed version of every batch manifest."""
    return [r.asDict() for r in spark.sql(
        f"""SELECT * FROM (SELECT m.*, rank() OVER (PARTITION BY source_file ORDER BY ingested_at DESC) AS rk
            FROM {C.BATCH_MANIFESTS.full_name} m) WHERE rk = 1"""
    ).collect()]


def _land(spark, settings: Settings, stats: RunStats, files: list, label: str, seen: set, versions: dict,
          notes: list[str]) -> int:
    """Read one batch of files in Spark tasks and commit its bronze rows; the number of files read and hashed.
    Quarantined files are added to `notes`."""
    sc = spark.sparkContext
    slices = max(1, min(len(files), max(sc.defaultParallelism * 2, math.ceil(len(files) / 6)), 512))
    land, root, limits = str(settings.landing_dir), str(settings.lake_root), settings.limits

    def work(part):
        from pathlib import Path

        from lake.domain.ingest.landing import process_file as pf

        for cand in part:
            yield pf(Path(land), Path(root), cand, limits)

    results = collect_with_progress(sc.parallelize(files, slices).mapPartitions(work), label, unit="part")
    new = [r for r in results if (r["rel_path"], r["sha256"]) not in seen]
    stats.items_skipped += len(results) - len(new)
    rows = bronze_rows(new, manifest_lookup(_landed_manifests(spark), new), versions, stats.run_id,
                       dt.datetime.now(dt.UTC))

    def write(contract, table_rows) -> None:
        if table_rows:
            written = insert_new(spark, contract, to_dataframe(spark, contract, table_rows))
            stats.rows_written[contract.full_name] = stats.rows_written.get(contract.full_name, 0) + written

    # Contents, pages and parsed rows first, the sightings last: a crash in between is repaired by the
    # next run, which re-processes the files whose sighting is missing and inserts only missing keys.
    write(C.RAW_CONTENTS, rows.contents)
    write(C.SCAN_PAGES, rows.pages)
    write(C.PDF_SIGNATURES, rows.signatures)
    for kind, tabular in rows.tabular.items():
        write(TABULAR_KINDS[kind], tabular)
    write(C.QUARANTINE, rows.quarantine)
    write(C.LANDING_FILES, rows.sightings)
    stats.items_new += len(rows.sightings)
    stats.items_quarantined += len(rows.quarantine)
    notes.extend(f"{q['source_path']}: {q['reason_code']}" for q in rows.quarantine)
    return sum(1 for r in results if r["read"])


def run(spark, settings: Settings) -> RunStats:
    stats = RunStats(JOB).start(spark, settings)
    for contract in C.BRONZE_TABLES:
        ensure_table(spark, contract, settings)
    if not settings.landing_dir.is_dir():
        raise FileNotFoundError(f"landing zone {settings.landing_dir} does not exist: "
                                "run `lakehouse sample` or deliver files")
    candidates = list_landing(settings.landing_dir, settings.limits)
    stats.items_seen = len(candidates)
    fast, seen, versions = _known_sightings(spark)
    todo = to_process(candidates, fast)
    stats.items_skipped = len(candidates) - len(todo)
    hashed, done, quarantined = 0, 0, []
    for files in ingest_batches(todo, settings.ingest_files_per_batch):  # each batch committed before the next
        label = f"ingest files {done + 1}–{done + len(files)} of {len(todo)}"
        hashed += _land(spark, settings, stats, files, label, seen, versions, quarantined)
        done += len(files)
    stats.message = f"{hashed} files read and hashed" + (f" | {'; '.join(quarantined[:20])}" if quarantined else "")
    stats.record(spark)
    return stats


if __name__ == "__main__":
    from lake.platform.spark import run_job

    run_job(run, JOB)
