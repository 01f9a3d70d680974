"""Read a Superset export tree (`dashboards/` in the repository): the layout `superset export-dashboards`
writes and `superset import-dashboards` reads.

    metadata.yaml
    databases/<name>.yaml              database_name, uuid
    datasets/<database>/<name>.yaml    table_name, schema, sql (virtual datasets), uuid, database_uuid
    charts/<name>.yaml                 slice_name, uuid, dataset_uuid, viz_type
    dashboards/<name>.yaml             dashboard_title, uuid, slug, position (CHART-* entries with meta.uuid)

Only what the catalog needs is kept: which gold tables each chart reads and which charts each dashboard
shows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from lake.core.settings import PROJECT_ROOT

DASHBOARDS_DIR = PROJECT_ROOT / "dashboards"
_TABLE_REF = re.compile(r"\b(?:FROM|JOIN)\s+`?([A-Za-z_][\w]*)`?\s*\.\s*`?([A-Za-z_][\w]*)`?", re.IGNORECASE)


@dataclass(frozen=True)
class Dataset:
    uuid: str
    table_name: str
    schema: str | None
    sql: str | None
    database_uuid: str | None

    def tables(self) -> list[tuple[str, str]]:
        """(schema, table) pairs the dataset reads: its own table, or those named in its SQL."""
        if self.sql and self.sql.strip():
            found = [(s.lower(), t.lower()) for s, t in _TABLE_REF.findall(self.sql)]
            return list(dict.fromkeys(found))
        return [((self.schema or "default").lower(), self.table_name.lower())]


@dataclass(frozen=True)
class Chart:
    uuid: str
    slice_name: str
    viz_type: str | None
    dataset_uuid: str | None
    description: str | None = None


@dataclass(frozen=True)
class Dashboard:
    uuid: str
    title: str
    slug: str | None
    chart_uuids: tuple[str, ...]
    description: str | None = None


@dataclass
class SupersetExport:
    databases: dict[str, str] = field(default_factory=dict)  # uuid -> database_name
    datasets: dict[str, Dataset] = field(default_factory=dict)
    charts: dict[str, Chart] = field(default_factory=dict)
    dashboards: dict[str, Dashboard] = field(default_factory=dict)

    def chart_tables(self, chart: Chart) -> list[tuple[str, str]]:
        ds = self.datasets.get(chart.dataset_uuid or "")
        return ds.tables() if ds else []

    def dashboard_tables(self, dash: Dashboard) -> list[tuple[str, str]]:
        out: list[tuple[str, str]] = []
        for cu in dash.chart_uuids:
            if cu in self.charts:
                out.extend(self.chart_tables(self.charts[cu]))
        return list(dict.fromkeys(out))


def _load(path: Path) -> dict:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return data if isinstance(data, dict) else {}


def _yamls(folder: Path) -> list[Path]:
    return sorted([*folder.rglob("*.yaml"), *folder.rglob("*.yml")]) if folder.is_dir() else []


def _chart_uuids(position: dict | None) -> tuple[str, ...]:
    out = []
    for key, node in (position or {}).items():
        if isinstance(node, dict) and (node.get("type") == "CHART" or str(key).startswith("CHART-")):
            uuid = (node.get("meta") or {}).get("uuid")
            if uuid:
                out.append(str(uuid))
    return tuple(dict.fromkeys(out))


def load_export(root: Path = DASHBOARDS_DIR) -> SupersetExport:
    """Parse an export tree; a missing directory is an empty export."""
    exp = SupersetExport()
    for p in _yamls(root / "databases"):
        d = _load(p)
        if d.get("uuid"):
            exp.databases[str(d["uuid"])] = str(d.get("database_name") or p.stem)
    for p in _yamls(root / "datasets"):
        d = _load(p)
        if d.get("uuid") and d.get("table_name"):
            exp.datasets[str(d["uuid"])] = Dataset(str(d["uuid"]), str(d["table_name"]), d.get("schema"),
                                                   d.get("sql"), d.get("database_uuid"))
    for p in _yamls(root / "charts"):
        d = _load(p)
        if d.get("uuid"):
            exp.charts[str(d["uuid"])] = Chart(str(d["uuid"]), str(d.get("slice_name") or p.stem),
                                               d.get("viz_type"), d.get("dataset_uuid"), d.get("description"))
    for p in _yamls(root / "dashboards"):
        d = _load(p)
        if d.get("uuid"):
            exp.dashboards[str(d["uuid"])] = Dashboard(
                str(d["uuid"]), str(d.get("dashboard_title") or p.stem), d.get("slug"),
                _chart_uuids(d.get("position")), d.get("description"))
    return exp
