"""Row-level security from dashboards/security.yaml: a locality manager gets only their locality's numbers."""

from __future__ import annotations

import pytest

from tests.superset.conftest import chart_data, person

pytestmark = [pytest.mark.spark, pytest.mark.services]


def _one(spark, sql):
    return spark.sql(sql).collect()[0][0]


@pytest.fixture(scope="module")
def district(spark):
    """The old district with the most pages in the sample, and its name."""
    row = spark.sql("select p.district_code, l.unit_name, count(*) n from gold.fct_pages p "
                    "join gold.dim_locality l on l.locality_key = concat('old_district:', p.district_code) "
                    "group by 1, 2 order by n desc, 1 limit 1").collect()[0]
    return row[0], row[1]


@pytest.fixture(scope="module")
def manager(superset, people, district):
    name = f"quanly_{district[0]}"
    return person(superset, name, people[name])  # their own directory password


def test_manager_sees_only_own_locality(manager, admin, charts, spark, district):
    code, name = district
    per_locality = "Thực tế so với kế hoạch theo địa bàn và bước"
    mine = {r["quan_huyen"] for r in chart_data(manager, charts[per_locality]["id"])}
    everyone = {r["quan_huyen"] for r in chart_data(admin, charts[per_locality]["id"])}
    assert mine == {name}
    assert len(everyone) > 1 and name in everyone

    latest = "(select max(date_day) from gold.fct_digitization_progress)"
    for chart, sql in {
        "Trang theo kế hoạch": "select sum(planned_pages) from gold.fct_digitization_progress "
                               f"where stage = 'loaded' and date_day = {latest} and district_code = '{code}'",
        "Trang đã nạp vào kho": "select sum(actual_pages_cum) from gold.fct_digitization_progress "
                                f"where stage = 'loaded' and date_day = {latest} and district_code = '{code}'",
    }.items():
        got = next(iter(chart_data(manager, charts[chart]["id"])[0].values()))
        assert got == _one(spark, sql), chart

    pages = chart_data(manager, charts["Hạng chất lượng OCR"]["id"])
    assert sum(r["so_trang"] for r in pages) == _one(
        spark, f"select count(*) from gold.fct_pages where district_code = '{code}'")
    docs = chart_data(manager, charts["Văn bản theo loại"]["id"])
    assert sum(r["so_van_ban"] for r in docs) == _one(
        spark, f"select count(*) from gold.fct_documents where district_code = '{code}'")
    assert sum(r["so_van_ban"] for r in docs) < _one(spark, "select count(*) from gold.fct_documents") or \
        _one(spark, "select count(distinct district_code) from gold.fct_documents") == 1


def test_manager_cannot_change_security(manager):
    r = manager.http.get(f"{manager.base}/api/v1/rowlevelsecurity/", timeout=60)
    assert r.status_code in (401, 403, 404)
