"""dashboards/ is a consistent Superset export (no Superset or Spark needed): every reference resolves, no
secret is committed, the bundle points the database at this lake's Thrift port, Vietnamese titles."""

from __future__ import annotations

import io
import zipfile
from dataclasses import replace
from pathlib import Path

import yaml

from lake.superset import DASHBOARDS_DIR, build_bundle, load_security


def _load(sub: str) -> dict[Path, dict]:
    return {p: yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted((DASHBOARDS_DIR / sub).rglob("*.yaml"))}


def test_references_resolve():
    databases = {d["uuid"] for d in _load("databases").values()}
    datasets = {d["uuid"]: d for d in _load("datasets").values()}
    charts = {c["uuid"]: c for c in _load("charts").values()}
    dashboards = list(_load("dashboards").values())
    assert len(databases) == 1 and len(dashboards) == 4 and len(datasets) == 5
    assert all(d["database_uuid"] in databases for d in datasets.values())
    assert all(c["dataset_uuid"] in datasets for c in charts.values())
    placed = set()
    for dash in dashboards:
        for key, node in dash["position"].items():
            if key.startswith("CHART-"):
                assert node["meta"]["uuid"] in charts, (dash["dashboard_title"], node["meta"]["sliceName"])
                placed.add(node["meta"]["uuid"])
        names = {f["name"] for f in dash["metadata"]["native_filter_configuration"]}
        assert {"Quận/huyện cũ", "Xã/phường mới", "Cấp", "Khối", "Nhóm ưu tiên", "Ngày"} <= names
        for f in dash["metadata"]["native_filter_configuration"]:
            for target in f["targets"]:
                if "datasetUuid" in target:
                    ds = datasets[target["datasetUuid"]]
                    assert target["column"]["name"] in {c["column_name"] for c in ds["columns"]}
    assert placed == set(charts), "every chart sits on a dashboard"
    # every chart has a saved query (the API's /chart/<id>/data/ runs it)
    assert all(c["query_context"] for c in charts.values())


def test_vietnamese_titles():
    titles = {d["dashboard_title"] for d in _load("dashboards").values()}
    assert titles == {"Tổng quan tiến độ số hóa", "Chi tiết địa bàn", "Chất lượng số hóa",
                      "Khám phá dữ liệu dùng chung"}


def test_no_secret_committed_and_uri_rewritten(lake_env):
    for path, db in _load("databases").items():
        assert "password" not in db and ":" not in db["sqlalchemy_uri"].split("@")[0].removeprefix("hive://"), path
    settings = replace(lake_env, thrift_port=12345)
    with zipfile.ZipFile(io.BytesIO(build_bundle(settings))) as zf:
        names = zf.namelist()
        db = yaml.safe_load(zf.read(next(n for n in names if n.startswith("dashboard_export/databases/"))))
        meta = yaml.safe_load(zf.read("dashboard_export/metadata.yaml"))
    # the directory's superset service account over LDAP; the password is masked (sent apart, stored encrypted)
    assert db["sqlalchemy_uri"] == "hive://superset:XXXXXXXXXX@127.0.0.1:12345/gold?auth=LDAP"
    assert meta["type"] == "Dashboard"
    assert not any("security" in n for n in names)
    with zipfile.ZipFile(io.BytesIO(build_bundle(settings, resource="dataset"))) as zf:
        assert yaml.safe_load(zf.read("dashboard_export/metadata.yaml"))["type"] == "SqlaTable"
        assert not any("/charts/" in n for n in zf.namelist())


def test_rls_covers_every_dataset_with_a_district_column():
    spec = load_security()["locality_managers"]
    datasets = {d["table_name"]: d for d in _load("datasets").values()}
    assert set(spec["tables"]) == set(datasets)
    for name in spec["tables"]:
        assert "district_code" in {c["column_name"] for c in datasets[name]["columns"]}, name
    assert spec["clause"].format(code="001") == "district_code = '001'"
