"""Spark job: OCR every scan page not yet recognised with the current engine configuration.

Thin wrapper around `lake.platform.ocr_batches` (planning, micro-batches, writes) and `lake.domain.ocr.batch`
(one Tesseract engine per Spark task). The plan is a Spark query; the pages are read and committed in micro-batches of
`Settings.ocr_pages_per_batch` pages, each batch's results written from the executors: bronze.ocr_pages
(one current row per page), flagged pages to bronze.ocr_qc_queue, failures to bronze.quarantine,
searchable PDFs to bronze.access_copies. Each finished Spark task's results are staged on disk at once; a run
killed mid-way keeps every batch it committed, the next run commits what its finished tasks staged and reads
only the rest (the pages of the tasks in flight).

Re-running changes nothing. Pages read with an older configuration are left alone unless `reprocess`
is set; then they are read again and their rows updated in place, the earlier results staying reachable
through Delta history (`SELECT … FROM bronze.ocr_pages VERSION AS OF n`).
"""

from __future__ import annotations

import shutil
import time
from pathlib import PurePosixPath

from lake.core import contracts as C
from lake.core.delta import ensure_table, insert_new, table_version, upsert
from lake.core.runlog import owned_dir, scratch_dir
from lake.core.runs import RunStats
from lake.core.settings import Settings
from lake.domain.ocr.batch import EngineSettings
from lake.platform import ocr_batches as P

JOB = "ocr_pages"


def engine_settings(settings: Settings) -> EngineSettings:
    """The engine configuration of a run: language, psm, page timeout, tessdata and the pixel bound, from Settings."""
    return EngineSettings(lang=settings.ocr_lang, psm=settings.ocr_psm, timeout_s=settings.ocr_page_timeout,
                          max_page_pixels=settings.max_page_pixels, tessdata=settings.tessdata)


def current_config_id(engine: EngineSettings) -> str:
    """The configuration id without opening Tesseract (tessdata hash, version, psm, preparation)."""
    return engine.engine().config_id


def run(spark, settings: Settings, *, reprocess: bool = False, limit_pages: int | None = None,
        engine: EngineSettings | None = None) -> RunStats:
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

    def commit(staged) -> int:
        """One batch's staged results into the tables, the page rows last: a page is done only with its other rows."""
        pages = P.of_kind(staged, "page")
        stats.items_quarantined += write(C.QUARANTINE, P.of_kind(staged, "quarantine"))
        write(C.ACCESS_COPIES, P.of_kind(staged, "access"))
        write(C.OCR_QC_QUEUE, P.qc_frame(pages))
        return write(C.OCR_PAGES, pages, merge=reprocess)

    recovered = P.recover(spark, settings, commit)  # what a killed run's finished tasks read
    if recovered:
        notes.append(f"recovered {recovered} pages read by a killed run")
    stats.items_new += recovered
    planning = time.monotonic()
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
    root, run_id = str(settings.lake_root), stats.run_id
    planned_s = time.monotonic() - planning

    def work(index, it):
        from lake.domain.ocr.batch import run_tasks as rt

        for _, part in it:
            yield from rt(part, root, engine, run_id)

    staged_dir = owned_dir(P.staged_root(settings), run_id)
    report = P.read_in_batches(spark, planned, n_pages, settings.ocr_pages_per_batch, work, commit, staged_dir)
    shutil.rmtree(staged_dir, ignore_errors=True)
    stats.items_new += report.pages
    if n_pages:
        notes.append(", ".join(f"{k} {v:.1f} s" for k, v in {"plan": planned_s, **report.seconds}.items()))
    if report.peak_rss_mb:
        notes.append(f"peak worker RSS {report.peak_rss_mb:.0f} MB")
    if report.quarantined:
        notes.append("; ".join(f"{PurePosixPath(q.source_path).name} {q.item}: {q.reason_code}"
                               for q in report.quarantined[:10]))
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
