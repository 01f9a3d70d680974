"""The dbt project's generated files agree with their generators (no Spark needed)."""

from __future__ import annotations

import csv

import pytest
import yaml

from lake.apps import dbt_sources
from lake.apps.transform import DBT_PROJECT_DIR, has_packages
from lake.core import contracts as C
from lake.domain import plan
from tests.dbt_parse import parse_manifest


@pytest.mark.parametrize("path", list(dbt_sources.RENDERERS), ids=lambda p: p.name)
def test_committed_dbt_files_equal_contracts(path):
    committed = path.read_text(encoding="utf-8")
    assert committed == dbt_sources.RENDERERS[path](), "run `python -m lake.apps.dbt_sources` (lakehouse dbt-sources)"


def test_marts_yaml_regenerates_the_models_and_keeps_the_hand_kept_unit_tests(tmp_path):
    stale = tmp_path / "_marts.yml"
    stale.write_text("version: 2\nmodels:\n  - name: dim_gone\n\nunit_tests:\n  # by hand\n  - name: x\n",
                     encoding="utf-8")
    text = dbt_sources.render_marts(stale)
    assert text.endswith("unit_tests:\n  # by hand\n  - name: x\n")
    data = yaml.safe_load(text)
    assert [m["name"] for m in data["models"]] == [t.name for t in C.tables("gold")]
    assert data["unit_tests"] == [{"name": "x"}]
    assert "unit_tests" not in yaml.safe_load(dbt_sources.render_marts(tmp_path / "none.yml"))


def test_sources_carry_freshness_and_descriptions():
    data = yaml.safe_load(dbt_sources.render_sources())
    silver = next(s for s in data["sources"] if s["name"] == "silver")
    records = next(t for t in silver["tables"] if t["name"] == "records")
    assert records["config"]["loaded_at_field"] == "updated_at" and records["config"]["freshness"]["warn_after"]
    assert all(c["description"] for t in silver["tables"] for c in t["columns"])


@pytest.fixture(scope="module")
def manifest(tmp_path_factory):
    """`dbt parse` of the project as committed (no Spark, no warehouse connection)."""
    return parse_manifest(tmp_path_factory.mktemp("dbt-parse") / "target")


def test_marts_in_dbt_are_the_gold_contracts(manifest):
    """A mart in dbt without a gold contract, a contract without a mart, or a column on one side only fails."""
    marts = {n["name"]: n for n in manifest["nodes"].values()
             if n["resource_type"] == "model" and n["fqn"][:2] == ["lakehouse", "marts"]}
    assert set(marts) == {t.name for t in C.tables("gold")}
    for contract in C.tables("gold"):
        node = marts[contract.name]
        assert node["schema"] == contract.layer
        assert [(c["name"], c["data_type"]) for c in node["columns"].values()] == [
            (c.name, c.type) for c in contract.columns], contract.name
        sql = node["raw_code"]
        assert all(c.name in sql for c in contract.columns), contract.name  # each column is named by its model
    tests = [n for n in manifest["nodes"].values() if n["resource_type"] == "test" and n.get("test_metadata")]
    on_key = {(n["attached_node"], n["test_metadata"]["name"], n.get("column_name")) for n in tests}
    assert ("model.lakehouse.fct_pages", "unique", "page_id") in on_key
    assert ("model.lakehouse.fct_pages", "not_null", "page_id") in on_key
    assert ("model.lakehouse.fct_digitization_plan", "unique_combination_of_columns", None) in on_key


def test_restricted_data_test_reads_every_mart_and_the_contract_tags(manifest):
    node = manifest["nodes"]["test.lakehouse.assert_no_restricted_data_in_marts"]
    assert {f"model.lakehouse.{t.name}" for t in C.tables("gold")} <= set(node["depends_on"]["nodes"])
    assert {"macro.lakehouse.contract_banned_columns", "macro.lakehouse.contract_marts"} <= set(
        node["depends_on"]["macros"])
    banned = dbt_sources.banned_columns()
    assert {"signer_name", "personal_data", "full_text", "secrecy", "title"} <= set(banned)
    assert not any("[" in line and "signer_name" in line for line in node["raw_code"].splitlines()), \
        "the banned list comes from the contracts, not the test"


def test_committed_seeds_equal_generator(lake_env):
    for name, text in plan.render_seeds(lake_env.reference_dir).items():
        assert (plan.SEEDS_DIR / name).read_text(encoding="utf-8") == text, f"run `python -m lake.domain.plan` ({name})"
    assert not (plan.SEEDS_DIR / "digitization_plan.csv").exists(), "the plan comes from the handover, not a seed"
    targets = list(csv.DictReader((plan.SEEDS_DIR / "official_targets.csv").open(encoding="utf-8")))
    assert targets == []  # no official target set yet: the derived plan stands
    deadlines = {(r["stage"], r["level"], r["priority_group"]): r["deadline"]
                 for r in csv.DictReader((plan.SEEDS_DIR / "programme_deadlines.csv").open(encoding="utf-8"))}
    assert deadlines[("handed_over", "commune", "1")] == "2025-08-15"
    assert deadlines[("scanned", "district", "1")] == "2025-11-30"
    assert deadlines[("scanned", "commune", "2")] == "2025-12-31"
    assert deadlines[("loaded", "commune", "1")] == "2026-02-01"
    assert deadlines[("loaded", "district", "3")] == deadlines[("scanned", "commune", "3")] == "2026-12-31"


def test_profiles_take_settings_from_env_and_no_hub_packages():
    profiles = yaml.safe_load((DBT_PROJECT_DIR / "profiles.yml").read_text(encoding="utf-8"))
    outputs = profiles["lakehouse"]["outputs"]
    assert outputs["thrift"]["method"] == "thrift" and "env_var('LAKEHOUSE_THRIFT_PORT'" in outputs["thrift"]["port"]
    assert outputs["session"]["method"] == "session"
    assert not has_packages()


def test_every_model_documented_in_both_languages():
    names = set()
    for folder in ("staging", "intermediate", "marts"):
        ymls = [p for p in (DBT_PROJECT_DIR / "models" / folder).glob("*.yml")
                if "models" in (yaml.safe_load(p.read_text(encoding="utf-8")) or {})]
        assert len(ymls) == 1, folder  # one YAML of models per folder (besides sources and unit tests)
        models = yaml.safe_load(ymls[0].read_text(encoding="utf-8"))["models"]
        sql = {p.stem for p in (DBT_PROJECT_DIR / "models" / folder).glob("*.sql")}
        assert {m["name"] for m in models} == sql, folder
        for m in models:
            assert " / " in m["description"], m["name"]
            for c in m.get("columns", []):
                assert " / " in c["description"], (m["name"], c["name"])
            names.add(m["name"])
    for mart in ("dim_locality", "dim_agency", "dim_document_type", "dim_date", "dim_retention", "fct_documents",
                 "fct_records", "fct_pages", "fct_digitization_plan", "fct_digitization_progress",
                 "fct_deadline_status"):
        assert mart in names


def test_catalog_opens_on_a_vietnamese_overview():
    """dbt docs' home page is the project's `__overview__` block: layers, owners, how to trace a number."""
    blocks = [p for p in DBT_PROJECT_DIR.rglob("*.md") if "{% docs __overview__ %}" in p.read_text(encoding="utf-8")]
    assert len(blocks) == 1, blocks
    text = blocks[0].read_text(encoding="utf-8")
    for words in ("Các lớp dữ liệu", "bronze", "silver", "gold", "chịu trách nhiệm", "Truy một con số",
                  "sha256", "Có nguy cơ trễ hạn"):
        assert words.lower() in text.lower(), words
