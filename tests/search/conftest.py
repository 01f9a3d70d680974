"""Fixtures of the search tests: the real OpenSearch engine (started once per session on the test lake), the
shared index fed from the session's gold, the directory with one person per kind of reader, and the reading room.
Everything started here is stopped by lake_env's teardown (Services.down)."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def search_engine(lake_env):
    from lake.platform.search_engine import SearchEngine

    engine = SearchEngine(lake_env)
    if not engine.installed():
        pytest.fail("OpenSearch is not installed: run scripts/bootstrap.sh")
    engine.start()
    return engine


@pytest.fixture(scope="session")
def search_client(search_engine):
    return search_engine.client()


@pytest.fixture(scope="session")
def indexed(gold, spark, lake_env, search_client):
    """The index fed once from the session's gold by the real job; returns its first run."""
    from jobs import index_search

    stats = index_search.run(spark, lake_env, client=search_client)
    return stats.index_run


@pytest.fixture(scope="session")
def readers(lake_env, gold, spark):
    """Directory people: an analyst (sees all), a manager of the district with the most shared documents, and a
    pipeline account (refused). name -> (password, groups)."""
    from lake.platform.directory import DirectoryServer, ensure_person

    DirectoryServer(lake_env).start()
    district = spark.sql("SELECT district_code, count(*) AS n FROM gold.fct_documents WHERE NOT is_restricted "
                         "GROUP BY district_code ORDER BY n DESC LIMIT 1").collect()[0]["district_code"]
    people = {"docgia.phantich": ["analyst"], f"quanly_{district}": [f"quanly_{district}"],
              "robot.vanhanh": ["pipeline"]}
    out = {}
    for name, groups in people.items():
        # the same person (and password file) the Superset and security tests use when they ask for them too
        path = ensure_person(lake_env, name, tuple(groups), name)
        out[name] = (path.read_text(encoding="utf-8").strip(), groups)
    out["_district"] = district
    return out


@pytest.fixture(scope="session")
def reading_room(lake_env, indexed, readers):
    from lake.platform.reading_room import ReadingRoom

    room = ReadingRoom(lake_env)
    room.start()
    return room


def login(room, name: str, password: str):
    import requests

    s = requests.Session()
    r = s.post(f"{room.url}/login", data={"username": name, "password": password, "next": "/search"},
               allow_redirects=False, timeout=30)
    return s, r
