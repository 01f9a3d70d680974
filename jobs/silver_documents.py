"""Spark job: bronze inventories + scans + OCR → silver records, documents, document_pages,
restricted_documents and qc_issues.

Incremental (`lake.domain.silver.incremental`): the job compares the versions of its inputs with the state its
last successful run recorded in ops.job_state. Nothing new → nothing is read or committed; new or changed
inventory rows, scan sightings or OCR results → only the records they touch are rebuilt (from the inputs'
change data feed, `lake.platform.silver_build.touched_records`); no usable state, another code or rules
version, a changed reference table or an output written by someone else → every record is rebuilt. Either
way each table receives only the rows whose hash differs (`lake.domain.silver.sync`), so an incremental run
leaves the tables a full rebuild would. Run after `silver_reference` (agencies) and the OCR job.

Reads bronze.inventory_records, bronze.inventory_documents, bronze.landing_files, bronze.ocr_pages,
silver.agencies and silver.localities; the records are assembled by `lake.domain.silver.records` and built
on the executors (`lake.platform.silver_build`).
"""

from __future__ import annotations

import datetime as dt

from lake.core import contracts as C
from lake.core.delta import ensure_table
from lake.core.job_state import JobState, read_state, save_state
from lake.core.runs import RunStats
from lake.core.settings import Settings
from lake.domain.silver.incremental import Plan, plan_run
from lake.platform import silver_build as B

JOB = "silver_documents"
_INGEST, _OCR, _REFERENCE = ("run `lakehouse ingest` first", "run the OCR job first",
                             "run jobs.silver_reference first")
REQUIRED = ((C.INVENTORY_RECORDS, _INGEST), (C.INVENTORY_DOCUMENTS, _INGEST), (C.LANDING_FILES, _INGEST),
            (C.OCR_PAGES, _OCR), (C.SILVER_AGENCIES, _REFERENCE), (C.SILVER_LOCALITIES, _REFERENCE))


def run(spark, settings: Settings, full: bool = False) -> RunStats:
    """Build what changed since the last run (`full`: rebuild every record)."""
    stats = RunStats(JOB).start(spark, settings)
    for contract, hint in REQUIRED:
        if not spark.catalog.tableExists(contract.full_name):
            raise RuntimeError(f"{contract.full_name} does not exist: {hint}")
    for contract in B.OUTPUTS:
        ensure_table(spark, contract, settings)

    inputs = B.versions(spark, B.INPUTS)  # before reading: a later commit is read again by the next run
    code = B.rules_version()
    plan = Plan("full", "asked for") if full else plan_run(
        read_state(spark, JOB), code, inputs, B.versions(spark, B.OUTPUTS), [c.full_name for c in B.TRACKED])
    codes = None
    if plan.mode == "incremental":
        try:
            codes = B.touched_records(spark, plan.since, inputs)
        except B.ChangeFeedUnavailable as exc:
            plan = Plan("full", f"change feed unavailable ({exc})")
    stats.message = f"{plan.mode}: {plan.reason}"
    if plan.mode == "noop":
        stats.record(spark)
        return stats

    metas, issues, register, codes = B.read_inputs(spark, codes)
    stats.items_seen = len(metas)
    if codes is not None:
        stats.message += f"; {len(codes)} record(s) touched"
    frames = B.build_frames(spark, metas, issues, register, stats.run_id, dt.datetime.now(dt.UTC))
    for name, res in B.write(spark, frames, codes).items():
        stats.rows_written[name] = res["inserted"]
        stats.items_new += res["inserted"]
    save_state(spark, settings, JOB, JobState(code, inputs, B.versions(spark, B.OUTPUTS), stats.run_id))
    stats.record(spark)
    return stats


if __name__ == "__main__":
    from lake.platform.spark import run_job

    run_job(run, JOB)
