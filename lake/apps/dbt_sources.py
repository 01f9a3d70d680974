"""dbt sources generated from the table contracts (`lake.core.contracts`): one registry, no hand-kept copy.

`render_sources()` returns the YAML of `transformations/models/staging/_sources.yml`; `write_sources()`
writes it. A unit test checks that the committed file equals what the contracts generate, so a contract
change without `lakehouse dbt-sources` fails CI. Freshness is configured on each table's load timestamp.
"""

from __future__ import annotations

import copy
from pathlib import Path

import yaml

from lake.core import contracts as C
from lake.core.settings import PROJECT_ROOT

SOURCES_FILE = PROJECT_ROOT / "transformations" / "models" / "staging" / "_sources.yml"
SOURCE_LAYERS = ("bronze", "silver")
# first column found is the table's load timestamp, used by `dbt source freshness`
LOADED_AT_COLUMNS = ("updated_at", "ingested_at", "recognised_at", "queued_at", "created_at", "first_seen_at",
                     "detected_at")
FRESHNESS = {"warn_after": {"count": 7, "period": "day"}, "error_after": {"count": 60, "period": "day"}}
HEADER = ("# generated from lake/core/contracts.py by `python -m lake.apps.dbt_sources` (lakehouse dbt-sources); "
          "do not edit\n")


def _loaded_at(contract: C.TableContract) -> str | None:
    names = {c.name: c.type for c in contract.columns}
    for name in LOADED_AT_COLUMNS:
        if names.get(name) == "timestamp":
            return name
    return None


def _column(col: C.Column) -> dict:
    out: dict = {"name": col.name, "description": f"{col.vi} / {col.en}", "data_type": col.type}
    if col.tags:
        out["meta"] = {"contract_tags": list(col.tags)}
    return out


def _table(contract: C.TableContract) -> dict:
    out: dict = {"name": contract.name, "description": contract.description}
    meta: dict = {"key": list(contract.key), "owner": contract.owner}
    if contract.tags:
        meta["contract_tags"] = list(contract.tags)
    out["meta"] = meta
    loaded_at = _loaded_at(contract)
    if loaded_at and contract.freshness:
        out["config"] = {"loaded_at_field": loaded_at, "freshness": copy.deepcopy(FRESHNESS)}
    out["columns"] = [_column(c) for c in contract.columns]
    return out


def sources_dict() -> dict:
    sources = []
    for layer in SOURCE_LAYERS:
        tables = sorted(C.tables(layer), key=lambda t: t.name)
        sources.append({
            "name": layer, "schema": layer,
            "description": f"Bảng tầng {layer} (khai báo trong lake/core/contracts.py) / {layer} tables declared in "
                           "lake/core/contracts.py",
            "tables": [_table(t) for t in tables],
        })
    return {"version": 2, "sources": sources}


def render_sources() -> str:
    return HEADER + yaml.safe_dump(sources_dict(), allow_unicode=True, sort_keys=False, width=110)


def write_sources(path: Path = SOURCES_FILE) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_sources(), encoding="utf-8")
    return path


if __name__ == "__main__":
    print(write_sources())
