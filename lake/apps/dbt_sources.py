"""dbt files generated from the table contracts (`lake.core.contracts`): one registry, no hand-kept copy.

- `render_sources()`: `transformations/models/staging/_sources.yml`, the bronze and silver tables as dbt
  sources, with freshness on each table's load timestamp;
- `render_marts()`: `transformations/models/marts/_marts.yml`, the gold marts with every column, its type,
  description and tests (not_null, unique, relationships, accepted_values, unique_combination_of_columns),
  then the file's hand-kept `unit_tests:` section as it stands;
- `render_macros()`: `transformations/macros/contracts.sql`, the lists the restricted-data test
  (`tests/assert_no_restricted_data_in_marts.sql`) reads: the marts, the columns no mart may have (tagged
  PII or restricted in any contract) and each mart's document-text columns.

`write_all()` (`lakehouse dbt-sources`) writes them; a unit test checks that the committed files equal what
the contracts generate, so a contract change without `lakehouse dbt-sources` fails CI.
"""

from __future__ import annotations

import copy
from pathlib import Path

import yaml

from lake.core import contracts as C
from lake.core.settings import PROJECT_ROOT

DBT_DIR = PROJECT_ROOT / "transformations"
SOURCES_FILE = DBT_DIR / "models" / "staging" / "_sources.yml"
MARTS_FILE = DBT_DIR / "models" / "marts" / "_marts.yml"
MACROS_FILE = DBT_DIR / "macros" / "contracts.sql"
SOURCE_LAYERS = ("bronze", "silver")
# first column found is the table's load timestamp, used by `dbt source freshness`
LOADED_AT_COLUMNS = ("updated_at", "ingested_at", "recognised_at", "queued_at", "created_at", "first_seen_at",
                     "detected_at")
FRESHNESS = {"warn_after": {"count": 7, "period": "day"}, "error_after": {"count": 60, "period": "day"}}
GENERATED = ("generated from lake/core/contracts/ by `python -m lake.apps.dbt_sources` (lakehouse dbt-sources); "
             "do not edit")
HEADER = f"# {GENERATED}\n"


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


def _meta(contract: C.TableContract) -> dict:
    meta: dict = {"key": list(contract.key), "owner": contract.owner}
    if contract.tags:
        meta["contract_tags"] = list(contract.tags)
    return meta


def _table(contract: C.TableContract) -> dict:
    out: dict = {"name": contract.name, "description": contract.description, "meta": _meta(contract)}
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
            "description": f"Bảng tầng {layer} (khai báo trong lake/core/contracts/{layer}.yml) / {layer} tables "
                           f"declared in lake/core/contracts/{layer}.yml",
            "tables": [_table(t) for t in tables],
        })
    return {"version": 2, "sources": sources}


def _dump(data: dict) -> str:
    return HEADER + yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=110)


def render_sources() -> str:
    return _dump(sources_dict())


# --- the marts --------------------------------------------------------------------------------------
def _mart_tests(contract: C.TableContract, col: C.Column) -> list:
    """dbt data tests of one mart column, in the order unique, not_null, relationships, accepted_values."""
    tests: list = []
    if contract.key == (col.name,):
        tests.append("unique")
    if not col.nullable:
        tests.append("not_null")
    if col.references:
        model, field = col.references.split(".")
        tests.append({"relationships": {"arguments": {"to": f"ref('{model}')", "field": field}}})
    if col.accepted_values:
        arguments: dict = {"values": list(col.accepted_values)}
        if not all(isinstance(v, str) for v in col.accepted_values):
            arguments["quote"] = False
        tests.append({"accepted_values": {"arguments": arguments}})
    return tests


def _mart_column(contract: C.TableContract, col: C.Column) -> dict:
    out: dict = {"name": col.name, "description": f"{col.vi} / {col.en}", "data_type": col.type}
    if col.tags:
        out["tags"] = list(col.tags)  # the catalog reads the contracts' vocabulary from dbt column tags
    tests = _mart_tests(contract, col)
    if tests:
        out["data_tests"] = tests
    return out


def _mart(contract: C.TableContract) -> dict:
    out: dict = {"name": contract.name, "description": f"{contract.vi} / {contract.en}", "meta": _meta(contract)}
    if len(contract.key) > 1:
        out["data_tests"] = [{"unique_combination_of_columns": {"arguments": {"combination": list(contract.key)}}}]
    out["columns"] = [_mart_column(contract, c) for c in contract.columns]
    return out


def marts_dict() -> dict:
    return {"version": 2, "models": [_mart(t) for t in C.tables("gold")]}


UNIT_TESTS = "\nunit_tests:"
MARTS_HEADER = HEADER + "# (the models; the `unit_tests:` section at the end is hand-kept, the generator keeps it)\n"


def hand_kept_unit_tests(path: Path = MARTS_FILE) -> str:
    """The hand-kept `unit_tests:` section that ends `path`, verbatim with its comments ("" when none).

    The unit tests stay in _marts.yml rather than a file of their own: dbt's partial parsing of a lake built
    before would find them twice (in its saved state of _marts.yml and in the new file) and stop.
    """
    text = path.read_text(encoding="utf-8") if path.is_file() else ""
    start = text.find(UNIT_TESTS)
    return text[start + 1:] if start >= 0 else ""


def render_marts(path: Path = MARTS_FILE) -> str:
    tail = hand_kept_unit_tests(path)
    models = yaml.safe_dump(marts_dict(), allow_unicode=True, sort_keys=False, width=110)
    return MARTS_HEADER + models + ("\n" + tail if tail else "")


# --- the restricted-data test's lists ------------------------------------------------------------------
def banned_columns() -> list[str]:
    """Names of the columns no mart may have: tagged PII or restricted in any contract."""
    return sorted({c.name for t in C.tables() for c in t.columns if set(c.tags) & set(C.MART_BANNED_TAGS)})


def text_columns() -> dict[str, list[str]]:
    """Each mart's columns of document text (tag "text"): NULL on a restricted document's row."""
    return {t.name: [c.name for c in t.columns if "text" in c.tags] for t in C.tables("gold")
            if any("text" in c.tags for c in t.columns)}


def _macro(name: str, doc: str, value) -> str:
    return f"{{# {doc} #}}\n{{% macro {name}() %}}{{{{ return({value!r}) }}}}{{% endmacro %}}\n"


def render_macros() -> str:
    return "\n".join([
        f"{{# {GENERATED} #}}\n",
        _macro("contract_marts", "the marts (gold contracts)", [t.name for t in C.tables("gold")]),
        _macro("contract_banned_columns", "columns no mart may have: tagged " + " or ".join(C.MART_BANNED_TAGS)
               + " in a contract", banned_columns()),
        _macro("contract_text_columns", "each mart's document-text columns (tag text)", text_columns()),
    ])


#: every generated file and its renderer
RENDERERS = {SOURCES_FILE: render_sources, MARTS_FILE: render_marts, MACROS_FILE: render_macros}


def write_all(root: Path = DBT_DIR) -> list[Path]:
    """Write every generated file under `root` (the dbt project directory); returns the paths."""
    out = []
    for path, render in RENDERERS.items():
        target = root / path.relative_to(DBT_DIR)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(render(), encoding="utf-8")
        out.append(target)
    return out


if __name__ == "__main__":
    for written in write_all():
        print(written)
