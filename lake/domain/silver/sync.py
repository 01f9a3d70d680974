"""Spark side of idempotent silver writes: compare keys + row_hash with the live table, change only the diff.

A silver table is a pure function of bronze. Each run computes every row, hashes it (`lake.domain.silver.rows`),
and compares with the (key, row_hash) pairs in the table, in Spark (anti-joins; no key of the table is
gathered on the driver):
- equal → nothing is written, the table version stays put;
- otherwise rows whose key vanished or whose hash changed are deleted (one Delta MERGE … DELETE on those
  keys) and the new or changed rows are inserted with `lake.core.delta.insert_new` (one append).
A crash between the two commits is repaired by the next run (the diff is recomputed from scratch).
An incremental rebuild passes a `Scope` (the records it rebuilt): only that part of the table is compared.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from lake.core.contracts import TableContract
from lake.core.delta import ensure_table, insert_new, key_match_sql, to_dataframe
from lake.core.settings import Settings
from lake.domain.silver.rows import with_audit


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
               now: dt.datetime | None = None, *, settings: Settings) -> dict[str, int]:
    """Make the table hold exactly `rows` (by key), writing nothing when it already does.

    Returns {"inserted": n, "deleted": m}. Raises ValueError on two different rows with the same key. Which
    rows count as unchanged is decided by their `row_hash` (`lake.domain.silver.rows.with_audit`, example there);
    the MERGE matches keys with `lake.core.delta.key_match_sql`.
    """
    ensure_table(spark, contract, settings)
    now = now or dt.datetime.now(dt.UTC)
    full = with_audit(list(rows), contract.column_names, run_id, now)
    return sync_frame(spark, contract, to_dataframe(spark, contract, full))


@dataclass(frozen=True)
class Scope:
    """The part of a table a sync rewrites: rows whose `column` is one of `values` (a one-column DataFrame of
    that name), and those where it is NULL when `with_nulls`. Rows outside it are left as they are, unless a
    wanted row has their key."""

    column: str
    values: object  # pyspark DataFrame
    with_nulls: bool = False


def sync_frame(spark, contract: TableContract, wanted, scope: Scope | None = None) -> dict[str, int]:
    """`sync_table` for a DataFrame of complete rows (contract columns, row_hash filled in); with a `scope`,
    `wanted` holds the rows of that part of the table only (an incremental rebuild)."""
    from delta.tables import DeltaTable
    from pyspark.sql import functions as F

    key = list(contract.key)
    clash = (wanted.groupBy(*key).agg(F.countDistinct("row_hash").alias("n")).where("n > 1").limit(1).collect())
    if clash:
        k = {c: clash[0][c] for c in key}
        raise ValueError(f"{contract.full_name}: two different rows for key {k}")
    wanted = wanted.dropDuplicates(key)
    have = spark.table(contract.full_name)
    if scope is not None:
        inside = have.join(F.broadcast(scope.values.select(scope.column)), scope.column, "left_semi")
        if scope.with_nulls:
            inside = inside.unionByName(have.where(F.col(scope.column).isNull()))
        have = inside.unionByName(have.join(wanted.select(*key), key, "left_semi"))
    have = have.select(*key, "row_hash").distinct() if scope is not None else have.select(*key, "row_hash")

    def same(a, b, with_hash: bool):
        cond = None
        for c in key + (["row_hash"] if with_hash else []):
            e = a[c].eqNullSafe(b[c])
            cond = e if cond is None else cond & e
        return cond

    w = wanted.select(*key, "row_hash")
    stale = have.join(w, same(have, w, True), "left_anti").select(*key).cache()  # vanished or changed keys
    try:
        deleted = stale.count()
        if deleted:
            DeltaTable.forName(spark, contract.full_name).alias("t").merge(stale.alias("s"), key_match_sql(contract)) \
                .whenMatchedDelete().execute()
    finally:
        stale.unpersist()
    # new or changed rows: those whose (key, hash) is not in the table (the changed ones were just deleted)
    inserted = insert_new(spark, contract, wanted)
    return {"inserted": inserted, "deleted": deleted}
