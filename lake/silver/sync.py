"""Spark side of idempotent silver writes: compare keys + row_hash with the live table, change only the diff.

A silver table is a pure function of bronze. Each run computes every row, hashes it (`lake.silver.rows`),
and compares with the (key, row_hash) pairs in the table:
- equal → nothing is written, the table version stays put;
- otherwise rows whose key vanished or whose hash changed are deleted (one Delta MERGE … DELETE on those
  keys) and the new or changed rows are inserted with `lake.delta.insert_new` (one append).
A crash between the two commits is repaired by the next run (the diff is recomputed from scratch).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from lake.contracts import TableContract
from lake.delta import ensure_table, insert_new, to_dataframe
from lake.silver.rows import with_audit


def latest_rows(spark, contract: TableContract, where: str | None = None) -> list[dict]:
    """Rows of a tabular bronze table from the latest version of each source file, in file order."""
    table = contract.full_name
    cond = f"WHERE {where}" if where else ""
    df = spark.sql(f"""
        WITH v AS (SELECT source_file, source_sha256, max(ingested_at) AS at FROM {table}
                   GROUP BY source_file, source_sha256),
             latest AS (SELECT source_file, max_by(source_sha256, at) AS source_sha256 FROM v GROUP BY source_file)
        SELECT t.* FROM {table} t JOIN latest l USING (source_file, source_sha256) {cond}
        ORDER BY t.source_file, t.source_sheet, t.source_line""")
    return [r.asDict(recursive=True) for r in df.collect()]


def sync_table(spark, contract: TableContract, rows: Iterable[dict], run_id: str,
               now: dt.datetime | None = None) -> dict[str, int]:
    """Make the table hold exactly `rows` (by key), writing nothing when it already does.

    Returns {"inserted": n, "deleted": m}. Raises ValueError on two different rows with the same key.
    """
    ensure_table(spark, contract)
    now = now or dt.datetime.now(dt.UTC)
    full = with_audit(list(rows), contract.column_names, run_id, now)
    wanted: dict[tuple, dict] = {}
    for r in full:
        k = tuple(r[c] for c in contract.key)
        if k in wanted and wanted[k]["row_hash"] != r["row_hash"]:
            key = dict(zip(contract.key, k, strict=True))
            raise ValueError(f"{contract.full_name}: two different rows for key {key}")
        wanted[k] = r
    have = {tuple(x[c] for c in contract.key): x["row_hash"]
            for x in spark.table(contract.full_name).select(*contract.key, "row_hash").collect()}
    stale = [k for k, h in have.items() if k not in wanted or wanted[k]["row_hash"] != h]
    fresh = [r for k, r in wanted.items() if have.get(k) != r["row_hash"]]
    if stale:
        from delta.tables import DeltaTable
        from pyspark.sql.types import StructType

        key_schema = StructType([f for f in contract.spark_schema() if f.name in contract.key])
        keys = spark.createDataFrame([dict(zip(contract.key, k, strict=True)) for k in stale], key_schema)
        cond = " AND ".join(f"t.`{c}` <=> s.`{c}`" for c in contract.key)
        DeltaTable.forName(spark, contract.full_name).alias("t").merge(keys.alias("s"), cond) \
            .whenMatchedDelete().execute()
    inserted = insert_new(spark, contract, to_dataframe(spark, contract, fresh)) if fresh else 0
    return {"inserted": inserted, "deleted": len(stale)}
