"""dbt exposures generated from the Superset export (`dashboards/`): one exposure per dashboard, depending
on the gold models (ref) and bronze/silver tables (source) its charts read, so `dbt docs` draws the lineage
graph from the sources through the models to each dashboard.

`render_exposures()` returns `transformations/models/exposures.yml`; a unit test checks the committed file
equals what `dashboards/` generates (`lakehouse catalog exposures` rewrites it).
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import yaml

from lake.apps.dbt_sources import SOURCE_LAYERS
from lake.apps.metadata.dashboards import DASHBOARDS_DIR, SupersetExport, load_export
from lake.core.settings import PROJECT_ROOT

MODELS_DIR = PROJECT_ROOT / "transformations" / "models"
SEEDS_DIR = PROJECT_ROOT / "transformations" / "seeds"
EXPOSURES_FILE = MODELS_DIR / "exposures.yml"
HEADER = ("# generated from dashboards/ (Superset export) by `lakehouse catalog exposures` "
          "(lake/apps/metadata/exposures.py); do not edit\n")
OWNER = {"name": "Nhóm phân tích (dbt) / Analytics team", "email": "analytics@lakehouse.invalid"}


def identifier(text: str) -> str:
    """ASCII snake_case name dbt accepts (Vietnamese diacritics folded, đ → d)."""
    folded = unicodedata.normalize("NFKD", text.replace("đ", "d").replace("Đ", "D"))
    ascii_ = folded.encode("ascii", "ignore").decode()
    out = re.sub(r"[^0-9a-zA-Z]+", "_", ascii_).strip("_").lower()
    return out if out and not out[0].isdigit() else f"d_{out}"


def dbt_relations(models_dir: Path = MODELS_DIR, seeds_dir: Path = SEEDS_DIR) -> set[str]:
    """Names of the dbt models and seeds (file stems): what a Superset dataset can `ref()`."""
    names = {p.stem for p in models_dir.rglob("*.sql")}
    names |= {p.stem for p in seeds_dir.glob("*.csv")} if seeds_dir.is_dir() else set()
    return names


def _depends_on(export: SupersetExport, dash, relations: set[str]) -> list[str]:
    out = []
    for schema, table in export.dashboard_tables(dash):
        if schema in SOURCE_LAYERS:
            out.append(f"source('{schema}', '{table}')")
        elif table in relations:
            out.append(f"ref('{table}')")
    return sorted(dict.fromkeys(out))


def exposures_dict(export: SupersetExport, relations: set[str]) -> dict:
    exposures = []
    for dash in sorted(export.dashboards.values(), key=lambda d: (d.slug or d.title, d.uuid)):
        charts = [export.charts[c].slice_name for c in dash.chart_uuids if c in export.charts]
        desc = dash.description or (f"Bảng điều khiển Superset \"{dash.title}\" ({len(charts)} biểu đồ). / "
                                    f"Superset dashboard \"{dash.title}\" ({len(charts)} charts).")
        exposures.append({
            "name": identifier(dash.slug or dash.title),
            "label": dash.title,
            "type": "dashboard",
            "maturity": "high",
            "url": f"http://127.0.0.1:8088/superset/dashboard/{dash.slug or dash.uuid}/",
            "description": desc,
            "depends_on": _depends_on(export, dash, relations),
            "owner": dict(OWNER),
            "meta": {"superset_uuid": dash.uuid, "charts": charts},
        })
    return {"version": 2, "exposures": exposures}


def render_exposures(dashboards_dir: Path = DASHBOARDS_DIR, models_dir: Path = MODELS_DIR,
                     seeds_dir: Path = SEEDS_DIR) -> str:
    data = exposures_dict(load_export(dashboards_dir), dbt_relations(models_dir, seeds_dir))
    return HEADER + yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=110)


def write_exposures(path: Path = EXPOSURES_FILE, dashboards_dir: Path = DASHBOARDS_DIR) -> Path:
    path.write_text(render_exposures(dashboards_dir), encoding="utf-8")
    return path
