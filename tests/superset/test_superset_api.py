"""Superset over the gold marts through its REST API: dashboards imported from dashboards/, every chart's query
returns rows, the headline numbers equal the same figures computed with Spark SQL on gold."""

from __future__ import annotations

import pytest
import yaml

from lake.platform.superset import DASHBOARDS_DIR, import_dashboards_dir
from tests.superset.conftest import chart_data

pytestmark = [pytest.mark.spark, pytest.mark.services]


def _one(spark, sql):
    return spark.sql(sql).collect()[0][0]


def test_dashboards_imported_with_vietnamese_titles(admin, charts):
    titles = {d["dashboard_title"] for d in admin.list_all("dashboard", ["id", "dashboard_title"])}
    expected = {yaml.safe_load(p.read_text(encoding="utf-8"))["dashboard_title"]
                for p in (DASHBOARDS_DIR / "dashboards").glob("*.yaml")}
    assert expected <= titles
    assert "Tổng quan tiến độ số hóa" in titles and len(expected) == 4
    assert len(charts) == len(list((DASHBOARDS_DIR / "charts").glob("*.yaml")))
    db = admin.list_all("database", ["id", "database_name", "backend"])
    assert [d["backend"] for d in db if d["database_name"] == "Lakehouse gold"] == ["hive"]


def test_every_chart_query_returns_rows(admin, charts):
    empty = {}
    for name, chart in charts.items():
        rows = chart_data(admin, chart["id"])
        if not rows:
            empty[name] = rows
    assert not empty, f"charts without rows: {sorted(empty)}"


def test_headline_numbers_equal_spark_sql_on_gold(admin, charts, spark):
    latest = "(select max(date_day) from gold.fct_digitization_progress where not is_after_as_of)"
    expected = {
        "Trang đã nạp vào kho": _one(spark, "select sum(actual_pages_cum) from gold.fct_digitization_progress "
                                            f"where stage = 'loaded' and date_day = {latest}"),
        "Trang theo kế hoạch": _one(spark, "select sum(planned_pages) from gold.fct_digitization_progress "
                                           f"where stage = 'loaded' and date_day = {latest}"),
        "Địa bàn có nguy cơ trễ hạn": _one(
            spark, "select count(distinct district_code) from gold.fct_deadline_status "
                   "where is_next_deadline and status = 'at_risk'"),
        "Trang bị gắn cờ": _one(spark, "select count(*) from gold.fct_pages "
                                       "where coalesce(quality_class, 'missing') <> 'good'"),
        "Vấn đề kiểm tra": _one(spark, "select count(*) from silver.qc_issues"),
    }
    got = {}
    for name in expected:
        rows = chart_data(admin, charts[name]["id"])
        got[name] = next(iter(rows[0].values()))
    assert got == expected
    assert expected["Trang theo kế hoạch"] > 0  # the plan covers every locality

    share = next(iter(chart_data(admin, charts["Tỉ lệ trang đã nạp vào kho"]["id"])[0].values()))
    assert share == pytest.approx(expected["Trang đã nạp vào kho"] / expected["Trang theo kế hoạch"])

    # documents by type add up to every document of gold
    by_type = chart_data(admin, charts["Văn bản theo loại"]["id"])
    assert sum(r["so_van_ban"] for r in by_type) == _one(spark, "select count(*) from gold.fct_documents")


def test_text_search_never_shows_restricted_documents(admin, charts, spark):
    rows = chart_data(admin, charts["Tìm trong văn bản nhận dạng"]["id"])
    restricted = {r[0] for r in spark.sql("select document_code from gold.fct_documents where is_restricted").collect()}
    assert rows and not restricted & {r["document_code"] for r in rows}
    assert any(r["van_ban_nhan_dang"] for r in rows)


def test_import_is_idempotent(admin, lake_env, charts):
    before = (len(admin.list_all("dashboard", ["id"])), len(admin.list_all("chart", ["id"])),
              len(admin.list_all("dataset", ["id"])))
    import_dashboards_dir(admin, lake_env)
    after = (len(admin.list_all("dashboard", ["id"])), len(admin.list_all("chart", ["id"])),
             len(admin.list_all("dataset", ["id"])))
    datasets = len(list((DASHBOARDS_DIR / "datasets").rglob("*.yaml")))
    assert after == before == (4, len(charts), datasets)
