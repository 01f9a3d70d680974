"""Spark job: landing zone -> bronze (files, contents, pages, delivered tables, quarantine).

Thin wrapper around `lake.domain.ingest`: the driver lists the landing zone and skips what it has already seen
(same path, size and modification time); Spark tasks hash, store, recognise and parse the rest; the
driver then inserts only rows whose keys are new. A second run over an unchanged landing zone writes
nothing to bronze (table versions stay put) and only logs its run in ops.pipeline_runs.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from pathlib import PurePosixPath

from lake.apps.progress import collect_with_progress
from lake.core import contracts as C
from lake.core.delta import ensure_table, insert_new, to_dataframe
from lake.core.runs import RunStats
from lake.core.settings import Settings
from lake.domain.ingest.landing import (
    TABULAR_KINDS,
    batch_of,
    list_landing,
    modified_at,
    parse_timestamp,
    to_process,
)

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


def _manifest_lookup(spark, results: list[dict]) -> dict[tuple[str, str], dict]:
    """(batch, file name) -> manifest row, from this run's manifests or else the latest landed ones."""
    lookup: dict[tuple[str, str], dict] = {}
    landed = spark.sql(
        f"""SELECT * FROM (SELECT m.*, rank() OVER (PARTITION BY source_file ORDER BY ingested_at DESC) AS rk
            FROM {C.BATCH_MANIFESTS.full_name} m) WHERE rk = 1"""
    ).collect()
    for r in landed:
        lookup[(r.batch_id or batch_of(r.source_file), r.file_name)] = r.asDict()
    for res in results:
        if res["kind"] == "manifest" and not res["error"]:
            batch = batch_of(res["rel_path"])
            for row in res["rows"]:
                lookup[(row.get("batch_id") or batch, row.get("file_name"))] = row
    return lookup


def _int(text) -> int | None:
    try:
        return int(float(text)) if text not in (None, "") else None
    except (TypeError, ValueError):
        return None


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

    now = dt.datetime.now(dt.UTC)
    run_id = stats.run_id
    new = [r for r in results if (r["rel_path"], r["sha256"]) not in seen]
    stats.items_skipped += len(results) - len(new)
    hashed = sum(1 for r in results if r["read"])
    manifests = _manifest_lookup(spark, new)

    contents: dict[str, dict] = {}
    pages: dict[tuple[str, int], dict] = {}
    signatures: dict[tuple[str, int], dict] = {}
    sightings: list[dict] = []
    quarantine: list[dict] = []
    tabular: dict[str, list[dict]] = defaultdict(list)

    for r in sorted(new, key=lambda x: x["rel_path"]):
        if r["error"]:
            code, message = r["error"]
            quarantine.append({
                "stage": "ingest", "source_path": r["rel_path"], "sha256": r["sha256"], "item": "",
                "size_bytes": r["size"], "reason_code": code, "reason": message, "raw_path": r["raw_path"],
                "run_id": run_id, "detected_at": now, "modified_at": modified_at(r["mtime_ns"]),
                "source_path_bytes": bytearray(r["raw_name"]),
            })
            continue
        contents.setdefault(r["sha256"], {
            "sha256": r["sha256"], "size_bytes": r["size"], "detected_format": r["format"],
            "page_count": len(r["pages"]) if r["kind"] == "scan" else None, "raw_path": r["raw_path"],
            "first_seen_run_id": run_id, "first_seen_at": now,
        })
        sighting = {
            "source_path": r["rel_path"], "sha256": r["sha256"], "version": versions.get(r["rel_path"], 0) + 1,
            "file_kind": r["kind"], "detected_format": r["format"], "size_bytes": r["size"],
            "modified_at": modified_at(r["mtime_ns"]), "source_path_bytes": bytearray(r["raw_name"]),
            "ingest_run_id": run_id, "ingested_at": now,
        }
        if r["kind"] == "scan":
            batch = batch_of(r["rel_path"])
            name = PurePosixPath(r["rel_path"]).name
            m = manifests.get((batch, name), {})
            meta = r["metadata"]
            sighting.update(
                page_count=len(r["pages"]), batch_id=batch, site_code=m.get("site_code"),
                district_code=m.get("district_code"), agency_code=m.get("agency_code"),
                record_code=m.get("record_code"),
                scanned_at=parse_timestamp(m.get("scanned_at")) or parse_timestamp(
                    meta.get("DateTimeOriginal") or meta.get("DateTime") or meta.get("CreationDate")),
                operator=m.get("operator") or meta.get("Artist") or meta.get("Author"),
                capture_device=m.get("capture_device"), declared_dpi=_int(m.get("dpi")),
                file_metadata=meta or None,
            )
            for i, sig in enumerate(r["signatures"]):
                signatures.setdefault((r["sha256"], i), {
                    **sig, "sha256": r["sha256"], "signature_index": i, "ingest_run_id": run_id, "ingested_at": now,
                })
            for p in r["pages"]:
                pages.setdefault((r["sha256"], p["page_index"]), {
                    **p, "sha256": r["sha256"], "page_id": f"{r['sha256']}:{p['page_index']}",
                    "detected_format": r["format"], "ingest_run_id": run_id, "ingested_at": now,
                })
        else:
            for row in r["rows"]:
                tabular[r["kind"]].append({
                    **row, "source_file": r["rel_path"], "source_sha256": r["sha256"], "ingest_run_id": run_id,
                    "ingested_at": now,
                })
        sightings.append(sighting)

    def write(contract, rows) -> None:
        if rows:
            stats.rows_written[contract.full_name] = insert_new(spark, contract, to_dataframe(spark, contract, rows))

    # Contents, pages and parsed rows first, the sightings last: a crash in between is repaired by the
    # next run, which re-processes the files whose sighting is missing and inserts only missing keys.
    write(C.RAW_CONTENTS, list(contents.values()))
    write(C.SCAN_PAGES, list(pages.values()))
    write(C.PDF_SIGNATURES, list(signatures.values()))
    for kind, rows in tabular.items():
        write(TABULAR_KINDS[kind], rows)
    write(C.QUARANTINE, quarantine)
    write(C.LANDING_FILES, sightings)

    stats.items_new = len(sightings)
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
