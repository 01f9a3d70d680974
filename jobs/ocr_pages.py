"""Spark job: OCR every scan page not yet recognised with the current engine configuration.

Thin wrapper around `lake.platform.ocr_batches` (planning, micro-batches, writes) and `lake.domain.ocr.batch`
(one Tesseract engine per Spark task). The plan is a Spark query; the pages are read and committed in micro-batches of
`Settings.ocr_pages_per_batch` pages, each batch's results written from the executors: bronze.ocr_pages
(one current row per page), flagged pages to bronze.ocr_qc_queue, failures to bronze.quarantine,
searchable PDFs to bronze.access_copies. A run killed mid-way keeps every batch it committed; the next run
reads the rest.

Re-running changes nothing. Pages read with an older configuration are left alone unless `reprocess`
is set; then they are read again and their rows updated in place, the earlier results staying reachable
through Delta history (`SELECT … FROM bronze.ocr_pages VERSION AS OF n`).
"""

from __future__ import annotations

import math
from pathlib import PurePosixPath

from lake.core import contracts as C
from lake.core.delta import ensure_table, insert_new, table_version, upsert
from lake.core.runlog import scratch_dir
from lake.core.runs import RunStats
from lake.core.settings import Settings
from lake.domain.ocr.batch import EngineSettings, balance
from lake.platform import ocr_batches as P

JOB = "ocr_pages"
PAGES_PER_PARTITION = 6


def engine_settings(settings: Settings) -> EngineSettings:
    """The engine configuration of a run: language, psm, page timeout, tessdata and the pixel bound, from Settings."""
    return EngineSettings(lang=settings.ocr_lang, psm=settings.ocr_psm, timeout_s=settings.ocr_page_timeout,
                          max_page_pixels=settings.max_page_pixels, tessdata=settings.tessdata)


def current_config_id(engine: EngineSettings) -> str:
    """The configuration id without opening Tesseract (tessdata hash, version, psm, preparation)."""
    return engine.engine().config_id


def run(spark, settings: Settings, *, reprocess: bool = False, limit_pages: int | None = None,
        engine: EngineSettings | None = None) -> RunStats:
    from pyspark import StorageLevel
    from tqdm import tqdm

    engine = engine or engine_settings(settings)
    stats = RunStats(JOB).start(spark, settings)
    for contract in (C.SCAN_PAGES, C.RAW_CONTENTS, C.LANDING_FILES, C.QUARANTINE, *C.OCR_TABLES):
        ensure_table(spark, contract, settings)
    config_id = current_config_id(engine)
    notes = [f"config {config_id}"]

    def write(contract, df, merge: bool = False) -> int:
        n = upsert(spark, contract, df) if merge else insert_new(spark, contract, df)
        if n:
            stats.rows_written[contract.full_name] = stats.rows_written.get(contract.full_name, 0) + n
        return n

    write(C.OCR_QC_QUEUE, P.repair_qc(spark, config_id))
    plan_dir = str(scratch_dir(settings, stats.run_id) / "plan")
    P.plan(spark, config_id, reprocess=reprocess, limit_pages=limit_pages,
           access_copies=engine.access_copies).write.mode("overwrite").parquet(plan_dir)
    planned = spark.read.parquet(plan_dir)
    n_pages = planned.count()
    stale = 0 if reprocess else P.stale_pages(spark, config_id)
    stats.items_seen = spark.table(C.SCAN_PAGES.full_name).count()
    stats.items_skipped = stats.items_seen - n_pages
    if stale:
        notes.append(f"{stale} pages were read with an older configuration; run with --reprocess to re-read")
    if reprocess and n_pages:
        notes.append(f"earlier results: {C.OCR_PAGES.full_name} VERSION AS OF {table_version(spark, C.OCR_PAGES)}")
    per_batch = settings.ocr_pages_per_batch
    n_batches = math.ceil(n_pages / per_batch)
    sc = spark.sparkContext
    root, run_id = str(settings.lake_root), stats.run_id
    peak, quarantined = 0.0, []

    def work(index, it):
        from lake.domain.ocr.batch import run_tasks as rt

        for _, part in it:
            yield from rt(part, root, engine, run_id)

    with tqdm(total=n_pages, desc=f"OCR {n_pages} pages in {n_batches} batches", unit="page", disable=None) as bar:
        for b in range(n_batches):
            tasks = P.batch_tasks(planned.where(f"seq >= {b * per_batch} AND seq < {(b + 1) * per_batch}"))
            batch_pages = sum(len(t.page_indices) for t in tasks)
            n_parts = max(1, min(len(tasks), max(sc.defaultParallelism * 2,
                                                 math.ceil(batch_pages / PAGES_PER_PARTITION))))
            parts = balance(tasks, n_parts)
            results = (sc.parallelize(list(enumerate(parts)), len(parts)).partitionBy(len(parts), lambda k: k)
                       .mapPartitionsWithIndex(work).persist(StorageLevel.DISK_ONLY))
            try:
                pages = P.frame_of(spark, results, "page", C.OCR_PAGES)
                quarantine = P.frame_of(spark, results, "quarantine", C.QUARANTINE)
                # commit order: the page rows last, so a page counts as done only with its other rows
                stats.items_quarantined += write(C.QUARANTINE, quarantine)
                write(C.ACCESS_COPIES, P.frame_of(spark, results, "access", C.ACCESS_COPIES))
                write(C.OCR_QC_QUEUE, P.qc_frame(pages))
                stats.items_new += write(C.OCR_PAGES, pages, merge=reprocess)
                peak = max([peak, *results.filter(lambda kr: kr[0] == "stats").map(lambda kr: kr[1]["peak_rss_mb"])
                            .collect()])
                if len(quarantined) < 10:
                    quarantined += quarantine.select("source_path", "item", "reason_code").limit(10).collect()
            finally:
                results.unpersist()
            bar.update(batch_pages)
            bar.set_postfix_str(f"batch {b + 1}/{n_batches}, {n_pages - bar.n} pages left")
    if peak:
        notes.append(f"peak worker RSS {peak:.0f} MB")
    if quarantined:
        notes.append("; ".join(f"{PurePosixPath(q.source_path).name} {q.item}: {q.reason_code}"
                               for q in quarantined[:10]))
    stats.message = " | ".join(notes)
    stats.record(spark)
    return stats


def main() -> None:
    import argparse

    from lake.core.settings import get_settings
    from lake.platform.spark import get_spark

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reprocess", action="store_true")
    ap.add_argument("--limit-pages", type=int, default=None)
    args = ap.parse_args()
    settings = get_settings()
    print(run(get_spark(JOB, settings), settings, reprocess=args.reprocess, limit_pages=args.limit_pages).summary())


if __name__ == "__main__":
    main()
