"""Spark job: bronze ref_* + agency register + handover reports → silver localities, locality_mapping, agencies.

Thin wrapper around `lake.domain.silver.reference`: reads the latest delivered version of each list, reconciles
(all 126 new communes must reconcile by name, else the job fails with the names), computes every row and
writes only the difference (`lake.domain.silver.sync`): a re-run over unchanged bronze changes no table version.
"""

from __future__ import annotations

from lake.core import contracts as C
from lake.core.runs import RunStats
from lake.core.settings import Settings
from lake.domain.silver.inventory import inventory_agency
from lake.domain.silver.reference import agency_rows, locality_rows, reference_from_rows
from lake.domain.silver.sync import latest_rows, sync_table

JOB = "silver_reference"


def run(spark, settings: Settings) -> RunStats:
    stats = RunStats(JOB).start(spark, settings)
    for contract in (C.REF_OLD_DISTRICTS, C.REF_OLD_COMMUNES, C.REF_NEW_COMMUNES, C.REF_COMMUNE_CONVERSION,
                     C.AGENCY_REGISTER):
        if not spark.catalog.tableExists(contract.full_name):
            raise RuntimeError(f"{contract.full_name} does not exist: run `lakehouse ingest` first")
    ref = reference_from_rows(latest_rows(spark, C.REF_OLD_DISTRICTS), latest_rows(spark, C.REF_OLD_COMMUNES),
                              latest_rows(spark, C.REF_NEW_COMMUNES), latest_rows(spark, C.REF_COMMUNE_CONVERSION))
    from lake.domain.localities import reconcile

    loc = reconcile(ref)
    units, mapping = locality_rows(loc)
    register = latest_rows(spark, C.AGENCY_REGISTER)
    handovers = sorted(latest_rows(spark, C.HANDOVER_REPORTS), key=lambda r: r["ingested_at"])
    seen = {inventory_agency(r.source_file) for r in spark.sql(
        f"SELECT DISTINCT source_file FROM {C.INVENTORY_RECORDS.full_name}").collect()}
    seen |= {r.agency_code for r in spark.sql(
        f"SELECT DISTINCT agency_code FROM {C.LANDING_FILES.full_name} WHERE file_kind = 'scan'").collect()}
    agencies, _issues = agency_rows(loc, register, handovers, {s for s in seen if s})
    stats.items_seen = len(units) + len(mapping) + len(agencies)
    for contract, rows in ((C.SILVER_LOCALITIES, units), (C.SILVER_LOCALITY_MAPPING, mapping),
                           (C.SILVER_AGENCIES, agencies)):
        res = sync_table(spark, contract, rows, stats.run_id, settings=settings)
        stats.rows_written[contract.full_name] = res["inserted"]
        stats.items_new += res["inserted"]
        stats.items_skipped += len(rows) - res["inserted"]
    stats.record(spark)
    return stats


if __name__ == "__main__":
    from lake.platform.spark import run_job

    run_job(run, JOB)
