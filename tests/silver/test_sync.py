"""`lake.domain.silver.sync`: the diff against the live table runs in Spark and rewrites only the touched rows."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest

from lake.core.contracts import Column, TableContract
from lake.core.delta import table_version
from lake.domain.silver.sync import sync_table

pytestmark = pytest.mark.spark


@pytest.fixture
def probe(spark, lake_env):
    contract = TableContract(
        layer="silver", name=f"sync_probe_{uuid.uuid4().hex[:8]}", vi="Bảng thử", en="Probe table",
        columns=(Column("code", "string", "Mã", "Code", nullable=False), Column("n", "int", "Số", "Number"),
                 Column("tags", "array<string>", "Nhãn", "Tags"),
                 Column("row_hash", "string", "Băm", "Hash", nullable=False),
                 Column("silver_run_id", "string", "Lần chạy", "Run", nullable=False),
                 Column("updated_at", "timestamp", "Cập nhật", "Updated", nullable=False)),
        key=("code",))
    yield contract
    spark.sql(f"DROP TABLE IF EXISTS {contract.full_name}")


def _rows(spark, contract):
    return {r.code: r for r in spark.table(contract.full_name).collect()}


def test_only_new_changed_and_vanished_rows_are_written(spark, lake_env, probe):
    now = dt.datetime(2026, 12, 1, tzinfo=dt.UTC)
    first = [{"code": "a", "n": 1, "tags": ["x"]}, {"code": "b", "n": 2, "tags": []}, {"code": "c", "n": None}]
    assert sync_table(spark, probe, first, "run-1", now, settings=lake_env) == {"inserted": 3, "deleted": 0}
    v1 = table_version(spark, probe)
    assert sync_table(spark, probe, first, "run-2", now, settings=lake_env) == {"inserted": 0, "deleted": 0}
    assert table_version(spark, probe) == v1  # nothing to do: nothing committed
    second = [{"code": "a", "n": 1, "tags": ["x"]}, {"code": "b", "n": 20, "tags": []}, {"code": "d", "n": 4}]
    assert sync_table(spark, probe, second, "run-3", now, settings=lake_env) == {"inserted": 2, "deleted": 2}
    rows = _rows(spark, probe)
    assert set(rows) == {"a", "b", "d"} and rows["b"].n == 20
    # the untouched row was not rewritten: it keeps the run that wrote it
    assert {k: r.silver_run_id for k, r in rows.items()} == {"a": "run-1", "b": "run-3", "d": "run-3"}


def test_two_different_rows_for_one_key_are_refused(spark, lake_env, probe):
    with pytest.raises(ValueError, match=r"two different rows for key \{'code': 'a'\}"):
        sync_table(spark, probe, [{"code": "a", "n": 1}, {"code": "a", "n": 2}], "run-1", settings=lake_env)
    assert spark.table(probe.full_name).count() == 0
