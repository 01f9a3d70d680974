"""The job registry is the only list of jobs; lineage, the catalog's pipelines and the CLI derive from it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from lake.apps.metadata import lineage as L
from lake.core import contracts as C
from lake.core import job_registry as R
from lake.core.settings import PROJECT_ROOT


def test_every_job_module_is_registered_exactly_once():
    modules = sorted(p.stem for p in (PROJECT_ROOT / "jobs").glob("*.py") if p.stem != "__init__")
    registered = [j.module.removeprefix("jobs.") for j in R.JOBS]
    assert sorted(registered) == modules  # none missing, none declared twice
    assert len({j.name for j in R.JOBS}) == len(R.JOBS)


def test_each_job_resolves_to_its_run_function_and_names_itself():
    import importlib

    for job in R.JOBS:
        fn = job.function()
        assert callable(fn) and fn.__name__ == "run", job.target
        assert job.name == importlib.import_module(job.module).JOB
        assert " / " in job.title and job.title.split(" / ")[0] != job.title.split(" / ")[1]


def test_declared_reads_and_writes_are_declared_contracts():
    for job in R.JOBS:
        tables = [*job.reads, *job.writes, *(t for landed in job.reads_files.values() for t in landed)]
        for t in tables:
            assert C.get_contract(t.full_name) is t, (job.name, t.full_name)
        assert job.writes or job.writes_other, job.name


def test_commands_name_registered_jobs_and_cover_them_all():
    in_commands = [n for names in R.COMMANDS.values() for n in names]
    assert sorted(in_commands) == sorted(j.name for j in R.JOBS)
    assert set(R.DEMO_COMMANDS) <= set(R.COMMANDS)


def test_lineage_and_openmetadata_pipelines_come_from_the_registry():
    from lake.apps.metadata import openmetadata as O

    assert [(j.name, j.title, j.writes) for j in L.jobs()] == [(j.name, j.title, j.writes) for j in R.JOBS]
    assert not hasattr(L, "JOB_MODULES") and not hasattr(O, "JOB_TITLES")
    graph = L.build_graph(["B-1"], None, None)
    pipes = {e.pipeline for e in graph.edges}
    # every job that writes a contract table has its edges, under its registry name
    assert pipes == {f"{L.PIPELINE_SERVICE}.{j.name}" for j in R.JOBS if j.writes}
    plan = O.build_plan(["B-1"], manifest={"nodes": {}, "sources": {}})
    bodies = {r.fqn: r.body for r in plan.requests if r.entity == "pipeline"}
    names = [j.name for j in R.JOBS] + [R.DBT_PIPELINE]
    assert set(bodies) == {f"{L.PIPELINE_SERVICE}.{n}" for n in names}
    for j in R.JOBS:
        body = bodies[f"{L.PIPELINE_SERVICE}.{j.name}"]
        assert body["displayName"] == j.title
        assert {t["name"] for t in body["tasks"]} == {w.full_name for w in j.writes} | set(j.writes_other)
    assert bodies[f"{L.PIPELINE_SERVICE}.{R.DBT_PIPELINE}"]["displayName"] == R.DBT_TITLE


def test_lake_does_not_import_jobs_at_import_time():
    code = ("import sys, lake.apps.cli, lake.apps.metadata.lineage, lake.apps.metadata.openmetadata, "
            "lake.core.job_registry\n"
            "print(sorted(m for m in sys.modules if m == 'jobs' or m.startswith('jobs.')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=Path(PROJECT_ROOT)).stdout
    assert out.strip() == "[]"
