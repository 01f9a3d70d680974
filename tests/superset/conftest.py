"""Superset fixtures: started once per session on the `gold` fixture's lake (the pipeline is not run again)."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def superset(gold, lake_env):
    """Superset up with the dashboards and RLS rules imported; lake_env's teardown (Services.down) stops it."""
    from lake.platform.services import Services

    assert gold.ok, "the gold fixture's dbt build failed"
    svc = Services(lake_env)
    svc.up(thrift=True, superset=True)
    return svc.superset


@pytest.fixture(scope="session")
def people(superset, lake_env, spark) -> dict[str, str]:
    """The demo's people in the directory (one per kind, a manager per district with data): name -> password."""
    from lake.platform.directory import seed_demo_people

    codes = [r[0] for r in spark.sql("SELECT DISTINCT district_code FROM gold.fct_pages").collect()]
    return {name: path.read_text(encoding="utf-8").strip() for _, name, path in seed_demo_people(lake_env, codes)}


def person(superset, name: str, password: str):
    """A person logged in to Superset's API through the directory (AUTH_LDAP)."""
    from lake.platform.superset import SupersetClient

    return SupersetClient.login(superset.url, name, password, provider="ldap")


@pytest.fixture(scope="session")
def admin(superset, lake_env):
    from lake.platform.superset import SupersetClient, admin_password

    return SupersetClient.login(superset.url, "admin", admin_password(lake_env))


@pytest.fixture(scope="session")
def charts(admin) -> dict[str, dict]:
    """Every chart by name: id, viz_type, dataset."""
    rows = admin.list_all("chart", ["id", "slice_name", "viz_type", "datasource_name_text"])
    return {r["slice_name"]: r for r in rows}


def chart_data(client, chart_id: int) -> list[dict]:
    """Rows of the chart's saved query, run through Superset (GET /api/v1/chart/<id>/data/)."""
    body = client.get(f"/api/v1/chart/{chart_id}/data/", params={"format": "json", "type": "full"})
    return body["result"][0]["data"]
