"""Spark side of `jobs/silver_documents.py`: what changed, the inputs of the records to build, the build on the
executors and the writes.

- **What changed** (`touched_records`): the change data feed of the tracked bronze inputs between the versions
  the last run read and now names the records to rebuild: every record listed in an inventory file that got
  rows (all its versions: a record dropped by the new version is rebuilt too), every record of a scan path
  with a new sighting (before and after, should the manifest have moved it), every record holding a content
  whose OCR result is new or changed. The plan (full, incremental or nothing) is
  `lake.domain.silver.incremental.plan_run`.
- **Inputs** (`read_inputs`): the driver reads the metadata of those records only (inventory rows, scan
  sightings, document lists) and the lake-wide facts (agencies, contents filed twice, scans without manifest),
  and orders each record's pages (`lake.domain.silver.records`).
- **Build** (`build_frames`): Spark tasks join each record with its OCR rows and build its rows in the five
  tables (`lake.domain.silver.records.record_rows`), hashed on the executors; the results stay in Spark as
  one DataFrame per table, never gathered on the driver.
- **Writes** (`write`): each table is made to hold exactly those rows (`lake.domain.silver.sync.sync_frame`),
  scoped to the rebuilt records in an incremental run.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from lake.core import contracts as C
from lake.core.job_inputs import code_version
from lake.domain.silver import records as R
from lake.domain.silver.issuers import AgencyRegister, register_places
from lake.domain.silver.rows import with_audit
from lake.domain.silver.sync import Scope, latest_rows, sync_frame

# inputs whose change feed names the touched records; any other input that changes means a full rebuild
TRACKED = (C.INVENTORY_RECORDS, C.INVENTORY_DOCUMENTS, C.LANDING_FILES, C.OCR_PAGES)
INPUTS = (*TRACKED, C.SILVER_AGENCIES, C.SILVER_LOCALITIES)
OUTPUTS = (C.SILVER_RECORDS, C.SILVER_DOCUMENTS, C.SILVER_DOCUMENT_PAGES, C.SILVER_RESTRICTED_DOCUMENTS,
           C.SILVER_QC_ISSUES)
OCR_COLUMNS = ("page_id", "text", "words", "width_px", "height_px", "quality_class", "quality_reasons", "config_id",
               "mean_confidence")
TOUCHED_VIEW = "_silver_touched_records"
_LAKE = Path(__file__).resolve().parent.parent
# the code and data that decide the rows: changing any of it rebuilds every record
CODE_PATHS = (_LAKE / "domain" / "silver", _LAKE / "domain" / "documents", _LAKE / "domain" / "ocr",
              Path(__file__).resolve())


def versions(spark, contracts) -> dict[str, int]:
    """table → its current Delta version (-1 when it does not exist)."""
    from lake.core.delta import table_version

    return {c.full_name: table_version(spark, c) if spark.catalog.tableExists(c.full_name) else -1
            for c in contracts}


def rules_version() -> str:
    """`code_version` of CODE_PATHS and the output contracts' columns."""
    return code_version(CODE_PATHS, [f"{c.full_name}: {c.ddl_columns()}" for c in OUTPUTS])


class ChangeFeedUnavailable(RuntimeError):
    """A tracked input's change feed cannot be read for the range asked (not enabled then, or vacuumed)."""


def touched_records(spark, since: dict[str, int], until: dict[str, int]) -> set[str]:
    """Record codes touched by the tracked inputs' changes after `since` up to `until` (table → version).
    Raises ChangeFeedUnavailable when a change feed cannot be read for that range."""
    from py4j.protocol import Py4JJavaError
    from pyspark.errors import PySparkException

    try:
        return _touched(spark, since, until)
    except (Py4JJavaError, PySparkException) as exc:
        raise ChangeFeedUnavailable(str(exc).strip().splitlines()[0][:300]) from exc


def _touched(spark, since: dict[str, int], until: dict[str, int]) -> set[str]:
    from pyspark.sql import functions as F

    def changes(contract, *cols):
        lo, hi = since[contract.full_name], until[contract.full_name]
        if hi <= lo:
            return None
        return (spark.read.format("delta").option("readChangeFeed", "true").option("startingVersion", lo + 1)
                .option("endingVersion", hi).table(contract.full_name).select(*cols))

    def code(df, trim=False):  # inventory codes are trimmed as `lake.domain.silver.records` does
        return df.select((F.trim("record_code") if trim else F.col("record_code")).alias("code"))

    scans = spark.table(C.LANDING_FILES.full_name).where("file_kind = 'scan'")
    found = []
    for contract in (C.INVENTORY_RECORDS, C.INVENTORY_DOCUMENTS):
        chg = changes(contract, "source_file", "record_code")
        if chg is not None:  # every version of a changed file: a record its new version drops is touched too
            found += [code(spark.table(contract.full_name).join(chg.select("source_file").distinct(), "source_file",
                                                                "left_semi"), trim=True), code(chg, trim=True)]
    chg = changes(C.LANDING_FILES, "source_path", "record_code", "file_kind")
    if chg is not None:  # every sighting of a changed path: the record it left and the one it joined
        chg = chg.where("file_kind = 'scan'")
        found += [code(scans.join(chg.select("source_path").distinct(), "source_path", "left_semi")), code(chg)]
    chg = changes(C.OCR_PAGES, "sha256")
    if chg is not None:
        found.append(code(scans.join(chg.distinct(), "sha256", "left_semi")))
    if not found:
        return set()
    union = found[0]
    for df in found[1:]:
        union = union.unionByName(df)
    return {r.code for r in union.where("code IS NOT NULL AND code <> ''").distinct().collect()}


def read_inputs(spark, codes: set[str] | None):
    """(record inputs by code, lake-wide issues, agency register, the codes built) for the records `codes`
    and those sharing content with them, or for every record when `codes` is None."""
    agencies = sorted((r.asDict(recursive=True) for r in spark.table(C.SILVER_AGENCIES.full_name).collect()),
                      key=lambda a: a["agency_code"])
    district_of = {a["agency_code"]: a["district_code"] for a in agencies}
    lf = C.LANDING_FILES.full_name
    lake_wide = [r.asDict() for r in spark.sql(f"""
        SELECT source_path, sha256, record_code, agency_code FROM {lf} WHERE file_kind = 'scan' AND (
          record_code IS NULL OR sha256 IN (SELECT sha256 FROM {lf} WHERE file_kind = 'scan' AND record_code IS NOT
          NULL GROUP BY sha256 HAVING count(DISTINCT record_code) > 1))""").collect()]
    issues = R.agency_issues(agencies) + R.scan_issues(lake_wide)
    where = scan_where = None
    if codes is not None:
        codes = R.linked_records(codes, lake_wide)
        spark.createDataFrame([(c,) for c in sorted(codes)], "record_code string").createOrReplaceTempView(
            TOUCHED_VIEW)
        where = f"trim(t.record_code) IN (SELECT record_code FROM {TOUCHED_VIEW})"
        scan_where = f"record_code IN (SELECT record_code FROM {TOUCHED_VIEW})"
    records = R.inventory_records(latest_rows(spark, C.INVENTORY_RECORDS, where), district_of)
    scans = spark.sql(f"SELECT {', '.join(R.SCAN_COLUMNS)} FROM {lf} WHERE file_kind = 'scan' AND record_code IS "
                      f"NOT NULL{' AND ' + scan_where if scan_where else ''}").collect()
    files_by_record, more = R.attach_scans(records, [f.asDict() for f in scans], district_of)
    inv_docs = R.documents_by_record(latest_rows(spark, C.INVENTORY_DOCUMENTS, where))
    register = AgencyRegister(agencies, register_places(
        spark.table(C.SILVER_LOCALITIES.full_name).select("unit_name").collect()))
    return R.record_inputs(records, files_by_record, inv_docs), issues + more, register, codes


def build_frames(spark, metas: dict[str, dict], issues: list[dict], register: AgencyRegister, run_id: str,
                 now: dt.datetime) -> dict[str, object]:
    """One cached DataFrame of complete rows (hash and audit columns filled in) per output table, built by
    Spark tasks one record at a time; `issues` (the lake-wide ones) join the QC issues frame, which keeps one
    issue per key (the one of the lowest record code)."""
    from pyspark import StorageLevel
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    from lake.core.delta import to_dataframe

    pages = spark.createDataFrame([(c, p["page_id"]) for c, m in metas.items() for p in m["pages"]],
                                  "record_code string, page_id string")
    ocr = (pages.join(spark.table(C.OCR_PAGES.full_name).select(*OCR_COLUMNS), "page_id")
           .where(F.col("text").isNotNull() | F.col("words").isNotNull() | F.col("quality_class").isNotNull())
           .groupBy("record_code").agg(F.collect_list(F.struct(*OCR_COLUMNS)).alias("ocr")))
    todo = spark.createDataFrame([(c,) for c in metas], "record_code string").join(ocr, "record_code", "left")
    bmeta, bregister = spark.sparkContext.broadcast(metas), spark.sparkContext.broadcast(register)
    columns = {c.full_name: c.column_names for c in OUTPUTS}

    def work(rows):
        for row in rows:
            out = R.record_rows(bmeta.value[row.record_code], row.ocr, bregister.value)
            yield {name: [tuple(r[c] for c in cols) for r in with_audit(out[name], cols, run_id, now)]
                   for name, cols in columns.items()}

    n = max(1, min(len(metas), spark.sparkContext.defaultParallelism * 4))
    results = todo.repartition(n).rdd.mapPartitions(work).persist(StorageLevel.MEMORY_AND_DISK)
    frames = {c.full_name: spark.createDataFrame(results.flatMap(lambda r, k=c.full_name: r[k]), c.spark_schema())
              for c in OUTPUTS}
    lake_wide = to_dataframe(spark, C.SILVER_QC_ISSUES, with_audit(issues, columns[R.ISSUES], run_id, now))
    first = Window.partitionBy(*C.SILVER_QC_ISSUES.key).orderBy(F.col("record_code").asc_nulls_last(), "row_hash")
    frames[R.ISSUES] = (frames[R.ISSUES].unionByName(lake_wide).withColumn("_n", F.row_number().over(first))
                        .where("_n = 1").drop("_n"))
    frames = {k: df.persist(StorageLevel.MEMORY_AND_DISK) for k, df in frames.items()}
    for df in frames.values():  # each record is built once: the results stay cached until every frame is
        df.count()
    results.unpersist()
    bmeta.unpersist()
    bregister.unpersist()
    return frames


def write(spark, frames: dict[str, object], codes: set[str] | None) -> dict[str, dict[str, int]]:
    """Sync every output with its frame (scoped to the records `codes` unless None); returns each table's
    {"inserted", "deleted"}. The lake-wide issues (no record code) are always compared in full."""
    scope_values = None if codes is None else spark.createDataFrame([(c,) for c in sorted(codes)],
                                                                     "record_code string")
    out = {}
    try:
        for contract in OUTPUTS:
            scope = None if codes is None else Scope("record_code", scope_values,
                                                     with_nulls=contract is C.SILVER_QC_ISSUES)
            out[contract.full_name] = sync_frame(spark, contract, frames[contract.full_name], scope)
    finally:
        for df in frames.values():
            df.unpersist()
    return out
