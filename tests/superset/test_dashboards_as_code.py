"""dashboards/ is a consistent Superset export (no Superset or Spark needed): every reference resolves, no
secret is committed, the bundle points the database at this lake's Thrift port, Vietnamese titles."""

from __future__ import annotations

import io
import zipfile
from dataclasses import replace
from pathlib import Path

import yaml

from lake.platform.superset import DASHBOARDS_DIR, build_bundle, load_security


def _load(sub: str) -> dict[Path, dict]:
    return {p: yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted((DASHBOARDS_DIR / sub).rglob("*.yaml"))}


def test_references_resolve():
    databases = {d["uuid"] for d in _load("databases").values()}
    datasets = {d["uuid"]: d for d in _load("datasets").values()}
    charts = {c["uuid"]: c for c in _load("charts").values()}
    dashboards = list(_load("dashboards").values())
    assert len(databases) == 1 and len(dashboards) == 4 and len(datasets) == 6
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


def test_asset_file_names_keep_their_letters():
    """Each committed asset file is named after its title with every letter kept ("Đ" → "D"), as the export
    writes it (Superset's own names drop "Đ"/"đ": "ia_ban_co_nguy_co_tre_han.yaml")."""
    from lake.platform.superset import asset_file_name

    assert asset_file_name("charts", {"slice_name": "Điểm thi công"}, "iem_thi_cong_7.yaml") == "Diem_thi_cong.yaml"
    assert asset_file_name("dashboards", {"dashboard_title": "Tổng quan tiến độ số hóa"}, "x_3.yaml") == (
        "Tong_quan_tien_do_so_hoa.yaml")
    for kind in ("charts", "dashboards", "datasets", "databases"):
        for path, doc in _load(kind).items():
            assert path.name == asset_file_name(kind, doc, path.name), path


def test_every_chart_says_what_it_counts_and_shares_are_percentages():
    datasets = {d["uuid"]: d for d in _load("datasets").values()}
    for path, chart in _load("charts").items():
        desc = chart.get("description") or ""
        assert len(desc) > 20 and any(c in desc for c in "ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệịỉĩọỏốồổỗộớờởỡợụủứừửữựỳỷỹ"), path
        metrics = {m["metric_name"]: m for m in datasets[chart["dataset_uuid"]]["metrics"]}
        names = [chart["params"].get("metric"), *(chart["params"].get("metrics") or [])]
        for name in filter(None, names):
            if isinstance(name, str) and name.startswith("ty_le"):
                # a share keeps one decimal: a small share is not drawn as "0%"
                assert metrics[name]["d3format"] == ".1%", (path, name)
                fmt = chart["params"].get("y_axis_format")
                assert fmt in (None, ".1%"), (path, fmt)


def test_deadline_kpis_read_the_deadline_status():
    """The deadline KPIs and the at-risk list read gold.fct_deadline_status (the next deadline that still applies),
    not a day count to a fixed 2025 date; the overview dashboard's description and the at-risk chart's write the
    rule down."""
    datasets = {d["table_name"]: d for d in _load("datasets").values()}
    assert "gold.fct_deadline_status" in datasets["vn_thoi_han"]["sql"]
    assert not any("2025-11-30" in m["expression"] for m in datasets["vn_tien_do"]["metrics"])
    charts = {c["slice_name"]: c for c in _load("charts").values()}
    for name in ("Thời hạn kế tiếp cấp huyện", "Thời hạn kế tiếp cấp xã", "Địa bàn có nguy cơ trễ hạn",
                 "Địa bàn chậm tiến độ: quá hạn hoặc có nguy cơ trễ hạn"):
        assert charts[name]["dataset_uuid"] == datasets["vn_thoi_han"]["uuid"], name
        assert {"subject": "la_han_ke_tiep", "comparator": 1}.items() <= next(
            f for f in charts[name]["params"]["adhoc_filters"] if f["subject"] == "la_han_ke_tiep").items()
    overview = next(d for d in _load("dashboards").values() if d["dashboard_title"] == "Tổng quan tiến độ số hóa")
    assert "14 ngày" in overview["description"]
    assert "14 ngày" in charts["Địa bàn chậm tiến độ: quá hạn hoặc có nguy cơ trễ hạn"]["description"]
