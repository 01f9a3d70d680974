"""Spark side of the OCR job (`jobs/ocr_pages.py`): planning as a query, micro-batches, writes from the
executors.

- **Plan**: one Spark query over bronze (scan pages not yet read with the current configuration, not
  quarantined by OCR, in landing-path order), numbered and written once to the run's scratch folder
  (`lake.core.runlog.scratch_dir`), so the batches stay fixed while the tables change under them. The
  driver never holds a list of every page; it keeps only counts.
- **Micro-batches** of `Settings.ocr_pages_per_batch` pages: the driver collects the task descriptors of
  one batch (bounded by the batch size), Spark reads the pages, and each task writes its results to the
  batch's staging folder as Parquet when it ends (`stage`); the tables are then written from those files as
  DataFrames, never gathered on the driver. Batch b is read while batch b-1 is committed
  (`read_in_batches`), the commit jobs in the fair scheduler's `commit` pool, ahead of the OCR tasks.
- **Commit order** inside a batch: quarantine, access copies, QC queue, and bronze.ocr_pages last. A page
  counts as done only once its ocr_pages row is committed, and every table is written with an anti-join on
  its key, so a run killed at any moment loses at most the tasks in flight: the next run first commits what
  the dead run's finished tasks staged (`recover`), then reads exactly the pages left: no page twice, none
  missed, no QC row or access copy without its pages.
- **Repair** of what an older crash left (pages committed without their QC row, or a file whose pages are
  all read but has no access copy): `repair_qc` inserts the QC rows from bronze.ocr_pages in Spark;
  `plan` puts the pages of such files back in the plan, so their access copy is assembled again (their
  ocr_pages rows exist and are not written twice).
"""

from __future__ import annotations

import math
import shutil
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from lake.core import contracts as C
from lake.domain.ocr.batch import FileTask, balance

PAGES_PER_TASK = 12  # a long file is cut into tasks of at most this many pages (every core reads it)
PAGES_PER_PARTITION = 6  # files are packed into Spark partitions of about this many pages


def plan(spark, config_id: str, *, reprocess: bool, limit_pages: int | None, access_copies: bool):
    """DataFrame of the pages to read (sha256, page_index, raw_path, detected_format, page_count, source_path,
    declared_dpi, seq): `seq` numbers them 0.. in (source_path, page_index) order."""
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    pages = spark.sql(f"""
        WITH pages AS (
          SELECT p.sha256, p.page_index, c.raw_path, c.detected_format, c.page_count
          FROM {C.SCAN_PAGES.full_name} p JOIN {C.RAW_CONTENTS.full_name} c USING (sha256)
        ),
        names AS (SELECT sha256, min(source_path) AS source_path, max(declared_dpi) AS declared_dpi
                  FROM {C.LANDING_FILES.full_name} GROUP BY sha256),
        quarantined AS (SELECT DISTINCT sha256, item FROM {C.QUARANTINE.full_name} WHERE stage = 'ocr')
        SELECT pages.*, names.source_path, names.declared_dpi, o.config_id AS done_with
        FROM pages
        JOIN names USING (sha256)
        LEFT JOIN {C.OCR_PAGES.full_name} o ON o.page_id = concat(pages.sha256, ':', pages.page_index)
        LEFT ANTI JOIN quarantined q ON q.sha256 = pages.sha256 AND q.item = concat('page ', pages.page_index)
    """)
    wanted = F.col("done_with").isNull() | (F.lit(reprocess) & (F.col("done_with") != F.lit(config_id)))
    if access_copies:
        pages = pages.join(files_without_access_copy(spark, config_id).withColumn("_repair", F.lit(True)),
                           "sha256", "left")
        wanted = wanted | F.col("_repair").isNotNull()
    todo = pages.where(wanted).select("sha256", "page_index", "raw_path", "detected_format", "page_count",
                                      "source_path", "declared_dpi")
    if limit_pages is not None:
        todo = todo.orderBy("source_path", "page_index").limit(limit_pages)
    return todo.withColumn("seq", F.row_number().over(Window.orderBy("source_path", "page_index")) - 1)


def files_without_access_copy(spark, config_id: str):
    """sha256 of files whose every page is in bronze.ocr_pages with `config_id` but that have no access copy
    for it (and no OCR quarantine row): left so by a run killed between its commits."""
    return spark.sql(f"""
        SELECT o.sha256 FROM {C.OCR_PAGES.full_name} o JOIN {C.RAW_CONTENTS.full_name} c USING (sha256)
        WHERE o.config_id = '{config_id}'
        GROUP BY o.sha256, c.page_count HAVING count(DISTINCT o.page_index) = c.page_count
        EXCEPT SELECT sha256 FROM {C.ACCESS_COPIES.full_name} WHERE config_id = '{config_id}'
        EXCEPT SELECT sha256 FROM {C.QUARANTINE.full_name} WHERE stage = 'ocr'
    """)


def stale_pages(spark, config_id: str) -> int:
    """Pages read with another configuration than `config_id` (left alone unless reprocessing)."""
    return spark.sql(f"SELECT count(*) AS n FROM {C.OCR_PAGES.full_name} WHERE config_id <> '{config_id}'").first().n


def batch_tasks(batch_df) -> list[FileTask]:
    """The file tasks of one micro-batch (a bounded number of rows reach the driver: the batch's pages)."""
    from pyspark.sql import functions as F

    rows = (batch_df.groupBy("sha256", "raw_path", "detected_format", "page_count", "source_path", "declared_dpi")
            .agg(F.sort_array(F.collect_list("page_index")).alias("pages")).collect())
    out = []
    for r in sorted(rows, key=lambda r: r.source_path):
        for i in range(0, len(r.pages), PAGES_PER_TASK):
            out.append(FileTask(r.sha256, r.raw_path, r.detected_format, list(r.pages[i:i + PAGES_PER_TASK]),
                                r.page_count, r.source_path, manifest_dpi=r.declared_dpi))
    return out


KINDS = {"page": C.OCR_PAGES, "quarantine": C.QUARANTINE, "access": C.ACCESS_COPIES}


def staging_schema():
    """One staged result: its kind and, in the column of that kind, the record with the table's own schema."""
    from pyspark.sql.types import DoubleType, StringType, StructField, StructType

    return StructType([StructField("kind", StringType(), False),
                       *(StructField(kind, c.spark_schema(), True) for kind, c in KINDS.items()),
                       StructField("peak_rss_mb", DoubleType(), True)])


def stage(spark, results, path: str) -> None:
    """Write one batch's (kind, record) results RDD to `path` as Parquet, from the executors (this runs the OCR).

    The file committer's algorithm 2 moves each task's file into `path` as soon as the task ends, so the pages
    every finished task read survive a crash of the run; the next run commits them (`recover`) instead of
    reading them again. A task killed mid-way leaves only its attempt folder (`_temporary`), never read."""
    names = {kind: c.column_names for kind, c in KINDS.items()}

    def to_row(kr):
        kind, rec = kr
        return (kind, *(tuple(rec.get(n) for n in cols) if kind == k else None for k, cols in names.items()),
                rec.get("peak_rss_mb") if kind == "stats" else None)

    (spark.createDataFrame(results.map(to_row), staging_schema()).write
     .option("mapreduce.fileoutputcommitter.algorithm.version", "2").parquet(path))


def staged_files(batch_dir: Path) -> list[str]:
    """The task files a batch folder holds (complete files only: attempts in progress are under `_temporary`)."""
    return sorted(str(p) for p in batch_dir.glob("part-*.parquet"))


def read_staged(spark, files: list[str]):
    """The staged results of `files` (one DataFrame; `of_kind` splits it)."""
    return spark.read.schema(staging_schema()).parquet(*files)


def of_kind(staged, kind: str):
    """The records of one kind from staged results, with their table's columns in the contract's order."""
    from pyspark.sql import functions as F

    return staged.where(F.col("kind") == kind).select(f"{kind}.*")


def staged_root(settings) -> Path:
    """Where OCR runs stage their batches (`<lake root>/tmp/ocr-staged/<run id>/batch-NNNNN`). Apart from the
    run scratch, which a run's start clears of dead runs' folders: these are committed first (`recover`)."""
    return settings.lake_root / "tmp" / "ocr-staged"


def recover(spark, settings, commit) -> int:
    """Commit what the tasks of dead OCR runs read but their run never committed (`commit(staged)` returns the
    pages committed), then remove their staged folders. Returns the pages recovered."""
    from lake.core.runlog import dead_folders

    pages = 0
    for run_dir in dead_folders(staged_root(settings)):
        files = [f for batch in sorted(run_dir.glob("batch-*")) for f in staged_files(batch)]
        if files:
            pages += commit(read_staged(spark, files))
        shutil.rmtree(run_dir, ignore_errors=True)
    return pages


def qc_frame(pages_df):
    """The QC queue rows of the pages not classed good."""
    from pyspark.sql import functions as F

    return (pages_df.where(F.col("quality_class") != "good")
            .withColumn("reasons", F.col("quality_reasons"))
            .withColumn("reason", F.when(F.size("quality_reasons") > 0, F.array_join("quality_reasons", ", "))
                        .otherwise(F.col("quality_class")))
            .withColumn("queued_at", F.col("recognised_at"))
            .select(*C.OCR_QC_QUEUE.column_names))


def repair_qc(spark, config_id: str):
    """QC rows of committed pages (current configuration) that the queue lacks: an older run died between its
    ocr_pages and its QC commit. The caller inserts them (keys anti-joined)."""
    pages = spark.table(C.OCR_PAGES.full_name).where(f"config_id = '{config_id}' AND quality_class <> 'good'")
    queued = spark.table(C.OCR_QC_QUEUE.full_name).select("page_id", "config_id")
    return qc_frame(pages.join(queued, ["page_id", "config_id"], "left_anti"))


@dataclass
class BatchReport:
    """What `read_in_batches` did: pages committed, the workers' peak memory, some quarantined pages, seconds."""

    pages: int = 0
    peak_rss_mb: float = 0.0
    quarantined: list = field(default_factory=list)  # up to 10 rows (source_path, item, reason_code)
    seconds: dict = field(default_factory=lambda: {"read": 0.0, "commit": 0.0})


def read_in_batches(spark, planned, n_pages: int, per_batch: int, work, commit, staged_dir: Path) -> BatchReport:
    """Read the planned pages (`plan`, written once) in micro-batches of `per_batch` pages and commit each.

    `work(index, partition)` runs on the executors over (index, [FileTask]) pairs and yields (kind, record)
    results; each batch's are staged (`stage`) in `staged_dir/batch-NNNNN`, then `commit(staged)` writes them
    to the tables and returns the pages committed. Batch b is read while batch b-1 is committed, the commits'
    Spark jobs in the scheduler's `commit` pool (served before the `ocr` pool, lake.platform.runtime), so the
    cores do not wait for the commits. A progress bar shows pages done and left and the rate."""
    from pyspark.sql import functions as F
    from tqdm import tqdm

    sc = spark.sparkContext
    report = BatchReport()
    n_batches = math.ceil(n_pages / per_batch)

    def read(results, batch_dir: Path) -> None:
        sc.setLocalProperty("spark.scheduler.pool", "ocr")
        stage(spark, results, str(batch_dir))  # the OCR: each finished task's results on disk at once

    def finish(batch_dir: Path, batch_pages: int, bar) -> None:
        t0 = time.monotonic()
        sc.setLocalProperty("spark.scheduler.pool", "commit")
        staged = read_staged(spark, staged_files(batch_dir))
        report.pages += commit(staged)
        report.peak_rss_mb = max(report.peak_rss_mb, staged.agg(F.max("peak_rss_mb")).first()[0] or 0.0)
        if len(report.quarantined) < 10:
            report.quarantined += of_kind(staged, "quarantine").select("source_path", "item", "reason_code") \
                .limit(10).collect()
        shutil.rmtree(batch_dir)  # committed
        report.seconds["commit"] += time.monotonic() - t0
        bar.update(batch_pages)
        bar.set_postfix_str(f"{n_pages - bar.n} pages left")

    with tqdm(total=n_pages, desc=f"OCR {n_pages} pages in {n_batches} batches", unit="page", disable=None) as bar, \
            ThreadPoolExecutor(1, thread_name_prefix="ocr-read") as reader:
        previous = None
        for b in range(n_batches):
            tasks = batch_tasks(planned.where(f"seq >= {b * per_batch} AND seq < {(b + 1) * per_batch}"))
            batch_pages = sum(len(t.page_indices) for t in tasks)
            n_parts = max(1, min(len(tasks), max(sc.defaultParallelism * 2,
                                                 math.ceil(batch_pages / PAGES_PER_PARTITION))))
            results = (sc.parallelize(list(enumerate(balance(tasks, n_parts))), n_parts)
                       .partitionBy(n_parts, lambda k: k).mapPartitionsWithIndex(work))
            batch_dir = staged_dir / f"batch-{b:05d}"
            t0 = time.monotonic()
            reading = reader.submit(read, results, batch_dir)
            if previous:
                finish(*previous, bar)
            reading.result()
            report.seconds["read"] += time.monotonic() - t0
            previous = (batch_dir, batch_pages)
        if previous:
            finish(*previous, bar)
    return report
