"""Spark job: landing zone -> bronze (files, contents, pages, delivered tables, quarantine).

Thin wrapper around `lake.domain.ingest`: the driver lists the landing zone and skips what it has already seen
(same path, size and modification time); Spark tasks hash, store, recognise and parse the rest; the
driver then inserts only rows whose keys are new. A second run over an unchanged landing zone writes
nothing to bronze (table versions stay put) and only logs its run in ops.pipeline_runs.
"""

from __future__ import annotations

import datetime as dt
import math

from lake.apps.progress import collect_with_progress
from lake.core import contracts as C
from lake.core.delta import ensure_table, insert_new, to_dataframe
from lake.core.runs import RunStats
from lake.core.settings import Settings
from lake.domain.ingest.landing import TABULAR_KINDS, list_landing, to_process
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


def run(spark, settings: Settings) -> RunStats:
    stats = RunStats(JOB).start(spark, settings)
    for contract in C.BRONZE_TABLES:
        ensure_table(spark, contract, settings)
    landing = settings.landing_dir
    if not landing.is_dir():
        raise FileNotFoundError(f"landing zone {landing} does not exist: run `lakehouse sample` or deliver files")

    limits = settings.limits
    candidates = list_landing(landing, limits)
    stats.items_seen = len(candidates)
    fast, seen, versions = _known_sightings(spark)
    todo = to_process(candidates, fast)
    stats.items_skipped = len(candidates) - len(todo)

    results: list[dict] = []
    if todo:
        sc = spark.sparkContext
        slices = max(1, min(len(todo), max(sc.defaultParallelism * 2, math.ceil(len(todo) / 6)), 512))
        land, root = str(landing), str(settings.lake_root)

        def work(part):
            from pathlib import Path

            from lake.domain.ingest.landing import process_file as pf

            for cand in part:
                yield pf(Path(land), Path(root), cand, limits)

        rdd = sc.parallelize(todo, slices).mapPartitions(work)
        results = collect_with_progress(rdd, f"ingest {len(todo)} files", unit="part")

    new = [r for r in results if (r["rel_path"], r["sha256"]) not in seen]
    stats.items_skipped += len(results) - len(new)
    hashed = sum(1 for r in results if r["read"])
    rows = bronze_rows(new, manifest_lookup(_landed_manifests(spark), new), versions, stats.run_id,
                       dt.datetime.now(dt.UTC))
    quarantine = rows.quarantine

    def write(contract, table_rows) -> None:
        if table_rows:
            stats.rows_written[contract.full_name] = insert_new(spark, contract,
                                                                to_dataframe(spark, contract, table_rows))

    # Contents, pages and parsed rows first, the sightings last: a crash in between is repaired by the
    # next run, which re-processes the files whose sighting is missing and inserts only missing keys.
    write(C.RAW_CONTENTS, rows.contents)
    write(C.SCAN_PAGES, rows.pages)
    write(C.PDF_SIGNATURES, rows.signatures)
    for kind, tabular in rows.tabular.items():
        write(TABULAR_KINDS[kind], tabular)
    write(C.QUARANTINE, quarantine)
    write(C.LANDING_FILES, rows.sightings)

    stats.items_new = len(rows.sightings)
    stats.items_quarantined = len(quarantine)
    notes = [f"{hashed} files read and hashed"]
    if quarantine:
        notes.append("; ".join(f"{q['source_path']}: {q['reason_code']}" for q in quarantine[:20]))
    stats.message = " | ".join(notes)
    stats.record(spark)
    return stats


if __name__ == "__main__":
    from lake.platform.spark import run_job

    run_job(run, JOB)
