"""Spark side of the OCR job (`jobs/ocr_pages.py`): planning as a query, micro-batches, writes from the
executors.

- **Plan**: one Spark query over bronze (scan pages not yet read with the current configuration, not
  quarantined by OCR, in landing-path order), numbered and written once to the run's scratch folder
  (`lake.core.runlog.scratch_dir`), so the batches stay fixed while the tables change under them. The
  driver never holds a list of every page; it keeps only counts.
- **Micro-batches** of `Settings.ocr_pages_per_batch` pages: the driver collects the task descriptors of
  one batch (bounded by the batch size), Spark reads the pages, and the results go from the executors to
  Delta as DataFrames (`createDataFrame` over the results RDD, persisted on disk so OCR runs once per batch).
- **Commit order** inside a batch: quarantine, access copies, QC queue, and bronze.ocr_pages last. A page
  counts as done only once its ocr_pages row is committed, and every table is written with an anti-join on
  its key, so a run killed at any moment loses at most the batch in flight and the next run redoes exactly
  those pages: no page twice, none missed, no QC row or access copy without its pages.
- **Repair** of what an older crash left (pages committed without their QC row, or a file whose pages are
  all read but has no access copy): `repair_qc` inserts the QC rows from bronze.ocr_pages in Spark;
  `plan` puts the pages of such files back in the plan, so their access copy is assembled again (their
  ocr_pages rows exist and are not written twice).
"""

from __future__ import annotations

from lake.core import contracts as C
from lake.domain.ocr.batch import FileTask

PAGES_PER_TASK = 12  # a long file is cut into tasks of at most this many pages (every core reads it)


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


def frame_of(spark, results, kind: str, contract: C.TableContract):
    """The records of one kind from the (kind, record) results RDD, as a DataFrame with the contract's schema,
    built on the executors."""
    names = contract.column_names
    rows = results.filter(lambda kr, kind=kind: kr[0] == kind).map(lambda kr: tuple(kr[1].get(n) for n in names))
    return spark.createDataFrame(rows, schema=contract.spark_schema())


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
