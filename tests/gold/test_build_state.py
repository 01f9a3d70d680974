"""What `lakehouse transform` rebuilds, planned from the last build's state (lake.apps.build_state); no Spark."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import re
import shutil

from lake.apps import build_state as B
from lake.apps.transform import DBT_PROJECT_DIR, dbt_steps
from lake.core.settings import Settings


def _settings(tmp_path) -> Settings:
    return dataclasses.replace(Settings.from_env(), lake_root=tmp_path / "lake")


def _delta_table(path, versions: int) -> None:
    log = path / "_delta_log"
    log.mkdir(parents=True, exist_ok=True)
    for v in range(versions):
        (log / f"{v:020d}.json").write_text("{}")


def test_a_new_commit_selects_what_is_downstream_of_that_source_only(tmp_path):
    settings = _settings(tmp_path)
    documents = settings.table_location("silver", "documents")
    pages = settings.table_location("bronze", "scan_pages")
    _delta_table(documents, 3)
    _delta_table(pages, 2)
    first = B.current_state(settings, DBT_PROJECT_DIR)
    assert first.sources["silver.documents"].startswith("2@") and first.sources["bronze.scan_pages"].startswith("1@")
    assert first.sources["silver.records"] is None  # no table yet
    assert B.plan_build(B.load(settings), first).full  # nothing recorded: everything
    B.record(settings, first, {"silver.documents", "bronze.scan_pages"})
    assert set(B.load(settings).sources) == {"silver.documents", "bronze.scan_pages"}

    same = B.current_state(settings, DBT_PROJECT_DIR)
    assert B.plan_build(B.load(settings), same).nothing_to_do
    assert dbt_steps(B.plan_build(B.load(settings), same)) == []

    _delta_table(documents, 4)  # silver wrote one commit
    plan = B.plan_build(B.load(settings), B.current_state(settings, DBT_PROJECT_DIR))
    assert not plan.full and plan.select == ("source:silver.documents+",)
    assert dbt_steps(plan) == [["build", "--select", "source:silver.documents+"]]  # no seed, no docs

    B.record(settings, B.current_state(settings, DBT_PROJECT_DIR), {"silver.documents", "bronze.scan_pages"})
    _delta_table(documents, 5)
    _delta_table(pages, 3)  # two sources wrote: what is downstream of either, in one build
    plan = B.plan_build(B.load(settings), B.current_state(settings, DBT_PROJECT_DIR))
    assert plan.select == ("source:bronze.scan_pages+", "source:silver.documents+")
    assert dbt_steps(plan) == [["build", "--select", "source:bronze.scan_pages+", "source:silver.documents+"]]


def test_a_table_re_created_at_the_same_version_is_new(tmp_path):
    settings = _settings(tmp_path)
    table = settings.table_location("silver", "records")
    _delta_table(table, 1)
    before = B.source_commits(settings)["silver.records"]
    shutil.rmtree(table)
    _delta_table(table, 1)
    commit = table / "_delta_log" / f"{0:020d}.json"
    stamp = commit.stat().st_mtime_ns + 1_000_000
    os.utime(commit, ns=(stamp, stamp))
    assert B.source_commits(settings)["silver.records"] != before


def test_the_project_hash_follows_every_file_dbt_reads(tmp_path):
    project = tmp_path / "transformations"
    shutil.copytree(DBT_PROJECT_DIR, project, ignore=shutil.ignore_patterns("target", "logs", "dbt_packages"))
    before = B.project_hash(project)
    assert B.project_hash(project) == before == B.project_hash(DBT_PROJECT_DIR)
    (project / "logs").mkdir(exist_ok=True)
    (project / "logs" / "dbt.log").write_text("run")  # not read by dbt
    assert B.project_hash(project) == before
    model = project / "models" / "marts" / "fct_records.sql"
    model.write_text(model.read_text(encoding="utf-8") + "\n-- changed\n", encoding="utf-8")
    assert B.project_hash(project) != before
    model.unlink()
    seed = project / "seeds" / "official_targets.csv"
    seed.write_text(seed.read_text(encoding="utf-8") + "01,district,party,1,10,1000\n", encoding="utf-8")
    changed = B.project_hash(project)
    assert changed != before and B.plan_build(B.BuildState(before, "2026-01-01"),
                                              B.BuildState(changed, "2026-01-01")).full


def test_the_as_of_day_is_today_in_the_sessions_zone_unless_the_project_fixes_it(tmp_path):
    assert B.as_of_day(DBT_PROJECT_DIR, today=dt.date(2026, 3, 2)) == "2026-03-02"
    project = tmp_path / "p"
    project.mkdir()
    (project / "dbt_project.yml").write_text("name: x\nvars:\n  as_of_date: '2025-12-31'\n")
    assert B.as_of_day(project) == "2025-12-31"
    moved = B.plan_build(B.BuildState("p", "2026-03-01", {"silver.documents": "1@1"}),
                         B.BuildState("p", "2026-03-02", {"silver.documents": "1@1"}))
    assert moved.select == ("tag:as_of+",) and "2026-03-01" in moved.reason


def test_sources_read_are_those_with_children_in_the_manifest(tmp_path):
    manifest = tmp_path / "manifest.json"
    manifest.write_text(json.dumps({
        "sources": {"source.lakehouse.silver.documents": {"source_name": "silver", "name": "documents"},
                    "source.lakehouse.bronze.quarantine": {"source_name": "bronze", "name": "quarantine"}},
        "child_map": {"source.lakehouse.silver.documents": ["model.lakehouse.stg_silver__documents"],
                      "source.lakehouse.bronze.quarantine": []}}))
    assert B.sources_read(manifest) == {"silver.documents"}


def test_every_model_that_reads_the_day_is_tagged_as_of():
    """A model calling current_date() (or the time) changes every day: it must carry the as_of tag, or a
    transform with no new data keeps yesterday's figures."""
    clock = re.compile(r"\b(current_date|current_timestamp|now)\s*\(", re.I)
    tagged = re.compile(r"tags\s*=\s*\[[^\]]*['\"]" + B.AS_OF_TAG + r"['\"]")
    found = []
    for path in (DBT_PROJECT_DIR / "models").rglob("*.sql"):
        text = path.read_text(encoding="utf-8")
        if clock.search(text):
            found.append(path.stem)
            assert tagged.search(text), f"{path.stem} reads the day: add tags=['{B.AS_OF_TAG}'] to its config"
    assert "fct_digitization_progress" in found
