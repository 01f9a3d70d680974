"""Spark job: the official reference lists (configured reference directory) -> bronze ref_* tables.

Each list lands with its file name, SHA-256 and line; a new version of a list lands beside the old one.
"""

from __future__ import annotations

import datetime as dt
import hashlib

from lake.core import contracts as C
from lake.core.delta import ensure_table, insert_new, to_dataframe
from lake.core.runs import RunStats
from lake.core.settings import Settings
from lake.domain.ingest.landing import store_raw
from lake.domain.ingest.tabular import read_rows
from lake.domain.reference_lists import REFERENCE_FILES

JOB = "ingest_reference"
CONTRACTS = {
    "old_districts": C.REF_OLD_DISTRICTS,
    "old_communes": C.REF_OLD_COMMUNES,
    "new_communes": C.REF_NEW_COMMUNES,
    "old_to_new_communes": C.REF_COMMUNE_CONVERSION,
}


def run(spark, settings: Settings) -> RunStats:
    stats = RunStats(JOB).start(spark, settings)
    ref_dir = settings.reference_dir
    now = dt.datetime.now(dt.UTC)
    for key, contract in CONTRACTS.items():
        ensure_table(spark, contract, settings)
        path = ref_dir / REFERENCE_FILES[key]
        data = path.read_bytes()
        sha = hashlib.sha256(data).hexdigest()
        stats.items_seen += 1
        known = spark.sql(
            f"SELECT 1 FROM {contract.full_name} WHERE source_file = '{path.name}' AND source_sha256 = '{sha}' LIMIT 1"
        ).collect()
        if known:
            stats.items_skipped += 1
            continue
        store_raw(settings.lake_root, sha, data)
        rows = [
            {**r, "source_file": path.name, "source_sha256": sha, "ingest_run_id": stats.run_id, "ingested_at": now}
            for r in read_rows(data, "csv", contract)
        ]
        stats.rows_written[contract.full_name] = insert_new(spark, contract, to_dataframe(spark, contract, rows))
        stats.items_new += 1
    stats.record(spark)
    return stats


if __name__ == "__main__":
    from lake.platform.spark import run_job

    run_job(run, JOB)
