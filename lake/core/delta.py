"""Create and write Delta tables only through their contracts."""

from __future__ import annotations

import math
import os
from collections.abc import Iterable, Mapping
from pathlib import Path

from lake.core.contracts import TableContract
from lake.core.settings import Settings

# Target rows per data file written by one insert (bronze rows are small: ~0.2–1 kB each).
ROWS_PER_FILE = 500_000


class ContractViolation(RuntimeError):
    """A table or the rows written to it differ from its contract (column names, types or partitioning)."""


def _sql_str(text: str) -> str:
    return text.replace("\\", "\\\\").replace("'", "\\'")


def create_table_sql(contract: TableContract, settings: Settings) -> str:
    """The `CREATE TABLE IF NOT EXISTS ... USING delta` statement of a contract: columns with their bilingual
    comments, NOT NULL, partitioning, the location in its zone and the `lakehouse.*` table properties.

    >>> import dataclasses, pathlib
    >>> from lake.core.contracts import get_contract
    >>> s = dataclasses.replace(Settings.from_env(), lake_root=pathlib.Path("/srv/lake"))
    >>> print(create_table_sql(get_contract("ops.pipeline_runs"), s).splitlines()[1])
      `run_id` string NOT NULL COMMENT 'Mã lần chạy / Run id',
    """
    location = contract.location(settings)
    partition = f"\nPARTITIONED BY ({', '.join(contract.partition_by)})" if contract.partition_by else ""
    props = {
        "lakehouse.layer": contract.layer,
        "lakehouse.owner": contract.owner,
        "lakehouse.key": ",".join(contract.key),
        "lakehouse.description_en": contract.en,
        **contract.properties,
    }
    props_sql = ", ".join(f"'{k}' = '{_sql_str(v)}'" for k, v in props.items())
    return (
        f"CREATE TABLE IF NOT EXISTS {contract.full_name} (\n  {contract.ddl_columns()}\n) USING delta"
        f"{partition}\nLOCATION '{location}'\nCOMMENT '{_sql_str(contract.vi)}'\nTBLPROPERTIES ({props_sql})"
    )


_ENSURED: set[tuple[int, str]] = set()


def ensure_table(spark, contract: TableContract, settings: Settings) -> None:
    """Create the table from its contract when missing; check a live table against it (once per session)."""
    token = (id(spark), contract.full_name)
    if token in _ENSURED:
        return
    if not spark.catalog.tableExists(contract.full_name):
        if not spark.catalog.databaseExists(contract.layer):
            spark.sql(f"CREATE DATABASE IF NOT EXISTS {contract.layer}")
        spark.sql(create_table_sql(contract, settings))
    else:
        if contract.zone == "restricted":
            move_to_zone(spark, contract, settings)
        apply_delta_properties(spark, contract)
    check_table(spark, contract)
    _ENSURED.add(token)


def apply_delta_properties(spark, contract: TableContract) -> bool:
    """Set the contract's `delta.*` table properties a live table lacks (a table created before its contract
    asked for a change data feed, say): one metadata commit, once. Returns True when it set any."""
    wanted = {k: v for k, v in contract.properties.items() if k.startswith("delta.")}
    if not wanted:
        return False
    live = {r["key"]: r["value"] for r in spark.sql(f"SHOW TBLPROPERTIES {contract.full_name}").collect()}
    missing = {k: v for k, v in wanted.items() if live.get(k) != v}
    if missing:
        props = ", ".join(f"'{k}' = '{_sql_str(v)}'" for k, v in missing.items())
        spark.sql(f"ALTER TABLE {contract.full_name} SET TBLPROPERTIES ({props})")
    return bool(missing)


def move_to_zone(spark, contract: TableContract, settings: Settings) -> bool:
    """A table created before its contract moved it to another zone (silver.restricted_documents used to sit
    in the shared silver folder) is copied to its contract's location and re-pointed there; the old folder
    is removed. Returns True when it moved."""
    import shutil
    from pathlib import Path

    live = spark.sql(f"DESCRIBE DETAIL {contract.full_name}").collect()[0]["location"]
    old = Path(live.removeprefix("file:"))
    new = contract.location(settings)
    if old == new:
        return False
    if new.exists():
        shutil.rmtree(new)
    new.parent.mkdir(parents=True, exist_ok=True)
    shutil.copytree(old, new)
    spark.sql(f"ALTER TABLE {contract.full_name} SET LOCATION '{new}'")
    shutil.rmtree(old)
    return True


def check_table(spark, contract: TableContract) -> None:
    """The live table has exactly the contract's columns, types and partitioning."""
    actual = spark.table(contract.full_name).schema
    expected = contract.spark_schema()
    got = [(f.name, f.dataType.simpleString()) for f in actual]
    want = [(f.name, f.dataType.simpleString()) for f in expected]
    if got != want:
        raise ContractViolation(f"{contract.full_name} differs from its contract:\n live: {got}\n contract: {want}")
    parts = [c.name for c in spark.catalog.listColumns(contract.full_name) if c.isPartition]
    if parts != list(contract.partition_by):
        raise ContractViolation(
            f"{contract.full_name} is partitioned by {parts}, contract says {list(contract.partition_by)}"
        )


def contract_tuples(contract: TableContract, rows: Iterable[Mapping]) -> list[tuple]:
    """Rows (dicts keyed by column name) as tuples in the contract's column order, a missing column None;
    ContractViolation on a column the contract does not have (nothing is written then).

    >>> from lake.core.contracts import get_contract
    >>> runs = get_contract("ops.pipeline_runs")
    >>> contract_tuples(runs, [{"job": "ocr_pages", "run_id": "ocr_pages-1"}])[0][:3]
    ('ocr_pages-1', 'ocr_pages', None)
    >>> contract_tuples(runs, [{"run_id": "r", "jobb": "x"}])
    Traceback (most recent call last):
    ...
    lake.core.delta.ContractViolation: ops.pipeline_runs: columns not in the contract: ['jobb']
    """
    names = contract.column_names
    tuples = []
    for row in rows:
        unknown = set(row) - set(names)
        if unknown:
            raise ContractViolation(f"{contract.full_name}: columns not in the contract: {sorted(unknown)}")
        tuples.append(tuple(row.get(n) for n in names))
    return tuples


def key_match_sql(contract: TableContract, left: str = "t", right: str = "s") -> str:
    """The condition that matches two rows of the table by key, NULL-safe (`<=>`): the ON clause of a MERGE.

    >>> from lake.core.contracts import get_contract
    >>> key_match_sql(get_contract("bronze.scan_pages"))
    't.`sha256` <=> s.`sha256` AND t.`page_index` <=> s.`page_index`'
    """
    return " AND ".join(f"{left}.`{k}` <=> {right}.`{k}`" for k in contract.key)


def require_columns(contract: TableContract, names: Iterable[str]) -> None:
    """ContractViolation unless a frame's columns are exactly the contract's, in its order (checked before a write).

    >>> from lake.core.contracts import get_contract
    >>> runs = get_contract("ops.pipeline_runs")
    >>> require_columns(runs, runs.column_names)
    >>> require_columns(runs, reversed(runs.column_names))
    Traceback (most recent call last):
    ...
    lake.core.delta.ContractViolation: ops.pipeline_runs: frame columns [...] != contract [...]
    """
    got = list(names)
    if got != contract.column_names:
        raise ContractViolation(f"{contract.full_name}: frame columns {got} != contract {contract.column_names}")


def to_dataframe(spark, contract: TableContract, rows: Iterable[Mapping]):
    """Rows (dicts keyed by column name) to a DataFrame with exactly the contract's schema (`contract_tuples`)."""
    return spark.createDataFrame(contract_tuples(contract, rows), schema=contract.spark_schema())


def table_version(spark, contract: TableContract) -> int:
    """The table's current Delta version (the latest commit of its history)."""
    return int(spark.sql(f"DESCRIBE HISTORY {contract.full_name} LIMIT 1").collect()[0]["version"])


def log_version(location: Path | str) -> str | None:
    """The last commit of the Delta table at `location`, read from its `_delta_log` folder without Spark:
    `"<version>@<commit file mtime in ns>"` (the time tells a table dropped and re-created at the same version
    apart), or None when there is no table there. Every commit writes a new JSON file, so any write changes it.

    >>> import tempfile
    >>> root = Path(tempfile.mkdtemp())
    >>> log_version(root) is None
    True
    >>> (root / "_delta_log").mkdir()
    >>> for name in ("0" * 20 + ".json", "0" * 19 + "1.json", "0" * 19 + "1.checkpoint.parquet"):
    ...     _ = (root / "_delta_log" / name).write_text("{}")
    >>> log_version(root).split("@")[0]
    '1'
    """
    log = Path(location) / "_delta_log"
    try:
        commits = [n for n in os.listdir(log) if n.endswith(".json") and n[:-5].isdigit()]
    except FileNotFoundError:
        return None
    if not commits:
        return None
    last = max(commits)  # zero-padded to 20 digits: the greatest name is the greatest version
    return f"{int(last[:-5])}@{(log / last).stat().st_mtime_ns}"


def insert_new(spark, contract: TableContract, df) -> int:
    """Append the rows whose key is not yet in the table. Idempotent: re-inserting changes nothing.

    The anti-join runs first so that a run with nothing new commits nothing (the table version stays
    put). Each table has one writer job, so an append after the anti-join cannot race another insert of
    the same keys; it is several times cheaper than a MERGE on this hardware.
    Returns the number of rows inserted.
    """
    require_columns(contract, df.columns)
    target = spark.table(contract.full_name).select(*contract.key)
    cond = None
    for k in contract.key:
        c = df[k].eqNullSafe(target[k])
        cond = c if cond is None else cond & c
    new = df.join(target, cond, "left_anti").dropDuplicates(list(contract.key)).cache()
    try:
        count = new.count()
        if count:
            files = max(1, math.ceil(count / ROWS_PER_FILE))
            out = new.repartition(files, *contract.partition_by) if contract.partition_by else new.coalesce(files)
            out.write.format("delta").mode("append").saveAsTable(contract.full_name)
        return count
    finally:
        new.unpersist()


def append(spark, contract: TableContract, rows: list[Mapping]) -> int:
    """Plain append, for logs such as ops.pipeline_runs."""
    if not rows:
        return 0
    to_dataframe(spark, contract, rows).write.format("delta").mode("append").saveAsTable(contract.full_name)
    return len(rows)


def upsert(spark, contract: TableContract, df) -> int:
    """MERGE by key: update matched rows, insert new ones. Earlier row versions stay reachable through
    Delta history (`VERSION AS OF`). Returns the number of source rows; writes nothing when empty."""
    require_columns(contract, df.columns)
    src = df.dropDuplicates(list(contract.key)).cache()
    try:
        count = src.count()
        if not count:
            return 0
        view = f"_upsert_{contract.layer}_{contract.name}"
        src.createOrReplaceTempView(view)
        spark.sql(f"MERGE INTO {contract.full_name} t USING {view} s ON {key_match_sql(contract)} "
                  "WHEN MATCHED THEN UPDATE SET * WHEN NOT MATCHED THEN INSERT *")
        spark.catalog.dropTempView(view)
        return count
    finally:
        src.unpersist()
