"""Spark job: OCR every scan page not yet recognised with the current engine configuration.

Thin wrapper around `lake.ocr.batch`: the driver plans which pages to read (anti-join of bronze.scan_pages
with bronze.ocr_pages on the configuration id), packs files into balanced partitions, and Spark runs one
Tesseract engine per partition. Results go to bronze.ocr_pages (one current row per page), flagged pages
to bronze.ocr_qc_queue, failures to bronze.quarantine, searchable PDFs to bronze.access_copies.

Re-running changes nothing. Pages read with an older configuration are left alone unless `reprocess`
is set; then they are read again and their rows updated in place, the earlier results staying reachable
through Delta history (`SELECT … FROM bronze.ocr_pages VERSION AS OF n`).
"""

from __future__ import annotations

import math
import os
from pathlib import PurePosixPath

from lake import contracts as C
from lake.delta import ensure_table, insert_new, table_version, to_dataframe, upsert
from lake.ocr.batch import EngineSettings, FileTask, balance, split_large
from lake.progress import collect_with_progress
from lake.runs import RunStats
from lake.settings import Settings, get_settings

JOB = "ocr_pages"
# Lineage declaration (lake.catalog publishes it; tests/catalog checks it against the code and the runs):
# input folders read (→ tables), tables read, tables written (ops.pipeline_runs is written by every job).
READS_FILES = {}
READS = (C.SCAN_PAGES, C.RAW_CONTENTS, C.LANDING_FILES, C.QUARANTINE, C.OCR_PAGES)
WRITES = (C.OCR_PAGES, C.OCR_QC_QUEUE, C.ACCESS_COPIES, C.QUARANTINE)
PAGES_PER_PARTITION = 6


def engine_settings_from_env(settings: Settings | None = None) -> EngineSettings:
    return EngineSettings(
        lang=os.environ.get("LAKEHOUSE_OCR_LANG", "vie"),
        psm=int(os.environ.get("LAKEHOUSE_OCR_PSM", "3")),
        timeout_s=float(os.environ.get("LAKEHOUSE_OCR_PAGE_TIMEOUT", "120")),
        max_page_pixels=(settings or get_settings()).max_page_pixels,
    )


def current_config_id(engine: EngineSettings) -> str:
    """The configuration id without opening Tesseract (tessdata hash, version, psm, preparation)."""
    return engine.engine().config_id


def plan(spark, config_id: str, reprocess: bool, limit_pages: int | None = None) -> tuple[list[FileTask], int]:
    """Files with the pages to read, and the number of pages left on an older configuration."""
    rows = spark.sql(f"""
        WITH pages AS (
          SELECT p.sha256, p.page_index, c.raw_path, c.detected_format, c.page_count
          FROM {C.SCAN_PAGES.full_name} p JOIN {C.RAW_CONTENTS.full_name} c USING (sha256)
        ),
        names AS (SELECT sha256, min(source_path) AS source_path, max(declared_dpi) AS declared_dpi
                  FROM {C.LANDING_FILES.full_name} GROUP BY sha256),
        quarantined AS (
          SELECT DISTINCT sha256, item FROM {C.QUARANTINE.full_name} WHERE stage = 'ocr'
        )
        SELECT pages.*, names.source_path, names.declared_dpi, o.config_id AS done_with
        FROM pages
        JOIN names USING (sha256)
        LEFT JOIN {C.OCR_PAGES.full_name} o ON o.page_id = concat(pages.sha256, ':', pages.page_index)
        LEFT ANTI JOIN quarantined q ON q.sha256 = pages.sha256 AND q.item = concat('page ', pages.page_index)
    """).collect()
    stale = sum(1 for r in rows if r.done_with is not None and r.done_with != config_id)
    todo = [r for r in rows if r.done_with is None or (reprocess and r.done_with != config_id)]
    todo.sort(key=lambda r: (r.source_path, r.page_index))
    if limit_pages is not None:
        todo = todo[:limit_pages]
    tasks: dict[str, FileTask] = {}
    for r in todo:
        t = tasks.get(r.sha256)
        if t is None:
            t = tasks[r.sha256] = FileTask(r.sha256, r.raw_path, r.detected_format, [], r.page_count, r.source_path,
                                           manifest_dpi=r.declared_dpi)
        t.page_indices.append(r.page_index)
    pending_stale = 0 if reprocess else stale
    return split_large(list(tasks.values()), PAGES_PER_PARTITION * 2), pending_stale


def run(spark, settings: Settings | None = None, *, reprocess: bool = False, limit_pages: int | None = None,
        engine: EngineSettings | None = None) -> RunStats:
    settings = settings or get_settings()
    engine = engine or engine_settings_from_env(settings)
    stats = RunStats(JOB)
    for contract in (C.SCAN_PAGES, C.RAW_CONTENTS, C.LANDING_FILES, C.QUARANTINE, *C.OCR_TABLES):
        ensure_table(spark, contract, settings)
    config_id = current_config_id(engine)
    tasks, stale = plan(spark, config_id, reprocess, limit_pages)
    n_pages = sum(len(t.page_indices) for t in tasks)
    stats.items_seen = spark.table(C.SCAN_PAGES.full_name).count()
    stats.items_skipped = stats.items_seen - n_pages
    notes = [f"config {config_id}"]
    if stale:
        notes.append(f"{stale} pages were read with an older configuration; run with --reprocess to re-read")
    if tasks:
        sc = spark.sparkContext
        n_parts = max(1, min(len(tasks), max(sc.defaultParallelism * 2, math.ceil(n_pages / PAGES_PER_PARTITION))))
        parts = balance(tasks, n_parts)
        root, run_id = str(settings.lake_root), stats.run_id

        def work(index, it):
            from lake.ocr.batch import run_tasks as rt

            for _, part in it:
                yield from rt(part, root, engine, run_id)

        rdd = (sc.parallelize(list(enumerate(parts)), len(parts))
               .partitionBy(len(parts), lambda k: k)
               .mapPartitionsWithIndex(work))
        results = collect_with_progress(rdd, f"OCR {n_pages} pages in {len(tasks)} files", unit="part")
        by_kind: dict[str, list[dict]] = {"page": [], "quarantine": [], "access": [], "stats": []}
        for kind, rec in results:
            by_kind[kind].append(rec)
        if by_kind["stats"]:
            notes.append(f"peak worker RSS {max(r['peak_rss_mb'] for r in by_kind['stats']):.0f} MB")
        pages = by_kind["page"]
        qc = [{
            "page_id": p["page_id"], "config_id": p["config_id"], "sha256": p["sha256"],
            "page_index": p["page_index"], "quality_class": p["quality_class"], "reasons": p["quality_reasons"],
            "reason": ", ".join(p["quality_reasons"]) or p["quality_class"], "run_id": run_id,
            "queued_at": p["recognised_at"],
        } for p in pages if p["quality_class"] != "good"]

        if pages:
            if reprocess:
                notes.append(f"earlier results: {C.OCR_PAGES.full_name} VERSION AS OF "
                             f"{table_version(spark, C.OCR_PAGES)}")
                written = upsert(spark, C.OCR_PAGES, to_dataframe(spark, C.OCR_PAGES, pages))
            else:
                written = insert_new(spark, C.OCR_PAGES, to_dataframe(spark, C.OCR_PAGES, pages))
            stats.rows_written[C.OCR_PAGES.full_name] = written
        for contract, rows in ((C.OCR_QC_QUEUE, qc), (C.ACCESS_COPIES, by_kind["access"]),
                               (C.QUARANTINE, by_kind["quarantine"])):
            if rows:
                df = to_dataframe(spark, contract, rows)
                stats.rows_written[contract.full_name] = insert_new(spark, contract, df)
        stats.items_new = len(pages)
        stats.items_quarantined = len(by_kind["quarantine"])
        if by_kind["quarantine"]:
            notes.append("; ".join(f"{PurePosixPath(q['source_path']).name} {q['item']}: {q['reason_code']}"
                                   for q in by_kind["quarantine"][:10]))
    stats.message = " | ".join(notes)
    stats.record(spark)
    return stats


def main() -> None:
    import argparse

    from lake.spark import get_spark

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reprocess", action="store_true")
    ap.add_argument("--limit-pages", type=int, default=None)
    args = ap.parse_args()
    print(run(get_spark(JOB), reprocess=args.reprocess, limit_pages=args.limit_pages).summary())


if __name__ == "__main__":
    main()
