"""The gold marts published as Iceberg tables: a consumer with pyiceberg alone (read-only role, no JVM) reads
exactly what Spark reads from the Delta marts; a re-run commits nothing; column docs come from the dbt YAML."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

pytestmark = [pytest.mark.spark, pytest.mark.services]


@pytest.fixture(scope="module")
def published(gold, spark, lake_env):
    from jobs import publish_gold

    assert gold.ok, gold.summary()
    first = publish_gold.run(spark, lake_env, echo=lambda *_: None)
    return first


def _canonical(table) -> list[tuple]:
    rows = table.to_pylist()
    names = sorted(table.schema.names)
    return sorted((tuple(r[n] for n in names) for r in rows), key=repr)


def test_every_mart_published(published, lake_env):
    from lake.apps.publish import load_catalog, published_marts

    marts = {m.name for m in published_marts(lake_env)}
    assert {"dim_locality", "dim_agency", "dim_document_type", "dim_date", "dim_retention", "fct_documents",
            "fct_records", "fct_pages", "fct_digitization_progress"} <= marts
    catalog = load_catalog(lake_env, reader=True)
    assert {t[-1] for t in catalog.list_tables("gold")} == marts
    assert published.items_seen == len(marts) and published.items_new == len(marts)


def test_pyiceberg_reads_equal_spark_reads(published, spark, lake_env):
    from lake.apps.publish import load_catalog, published_marts, to_iceberg_arrow

    catalog = load_catalog(lake_env, reader=True)
    for mart in published_marts(lake_env):
        spark.catalog.refreshTable(f"gold.{mart.name}")
        expected = to_iceberg_arrow(spark.table(f"gold.{mart.name}").toArrow())
        got = catalog.load_table(f"gold.{mart.name}").scan().to_arrow()
        assert got.schema.names == expected.schema.names, mart.name
        assert got.num_rows == expected.num_rows > 0, mart.name
        assert _canonical(got) == _canonical(expected), mart.name


def test_rerun_commits_nothing(published, spark, lake_env):
    from jobs import publish_gold
    from lake.apps.publish import load_catalog

    catalog = load_catalog(lake_env, reader=True)
    before = {t[-1]: catalog.load_table(t).current_snapshot().snapshot_id for t in catalog.list_tables("gold")}
    again = publish_gold.run(spark, lake_env, echo=lambda *_: None)
    assert again.items_new == 0 and again.items_skipped == len(before)
    after = {t[-1]: catalog.load_table(t).current_snapshot().snapshot_id for t in catalog.list_tables("gold")}
    assert after == before


def test_descriptions_come_from_dbt_yaml(published, lake_env):
    from lake.apps.publish import load_catalog, published_marts

    docs = {m.name: m for m in published_marts(lake_env)}
    table = load_catalog(lake_env).load_table("gold.fct_documents")
    assert table.properties["comment"] == docs["fct_documents"].description
    assert table.properties["lakehouse.source-table"] == "delta:gold.fct_documents"
    documented = {c: d for c, d in docs["fct_documents"].columns.items() if d}
    assert documented
    for field in table.schema().fields:
        if field.name in documented:
            assert field.doc == documented[field.name].strip(), field.name


def test_consumer_needs_no_jvm_and_cannot_write(published, lake_env):
    """A separate Python process, as another agency's system would run it: pyiceberg only, read-only role."""
    from lake.apps.publish import catalog_properties

    code = """
import json, sys
from pyiceberg.catalog import load_catalog
from pyiceberg.schema import Schema
from pyiceberg.types import NestedField, StringType
props = json.loads(sys.argv[1])
catalog = load_catalog("lakehouse", **props)  # the name is part of the catalog rows
n = catalog.load_table("gold.fct_documents").scan(selected_fields=("document_code",)).to_arrow().num_rows
try:
    catalog.create_table("gold.not_allowed", schema=Schema(NestedField(1, "x", StringType(), required=False)))
    denied = False
except Exception as exc:
    denied = "permission denied" in str(exc).lower()
print(json.dumps({"rows": n, "denied": denied, "jvm": any(m.startswith(("pyspark", "py4j")) for m in sys.modules)}))
"""
    props = catalog_properties(lake_env, reader=True)
    out = subprocess.run([sys.executable, "-c", code, json.dumps(props)], capture_output=True, text=True,
                         check=False, timeout=120)
    assert out.returncode == 0, out.stderr[-3000:]
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert result["rows"] > 0
    assert result["denied"] is True
    assert result["jvm"] is False
