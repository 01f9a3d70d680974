"""Catalog contract tests (issue 8), fast: no Spark, no OpenMetadata server (none can run on these machines).

"Contract" here means: what `lakehouse catalog push` would send and what the workflow YAMLs say is checked
against openmetadata-ingestion's own parser and generated pydantic models, run inside .venvs/openmetadata.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import itertools
import json
import shutil
from pathlib import Path

import pytest
import yaml

from lake.apps.metadata import glossary as G
from lake.apps.metadata import lineage as L
from lake.apps.metadata import openmetadata as O
from lake.apps.metadata.dashboards import load_export
from lake.apps.metadata.exposures import EXPOSURES_FILE, render_exposures
from lake.core import contracts as C
from lake.core import job_registry as R
from lake.core.settings import PROJECT_ROOT
from tests.catalog.om_venv import run_validator, validate_bodies
from tests.dbt_parse import parse_manifest

FIXTURE_DASHBOARDS = Path(__file__).parent / "fixtures" / "dashboards"
WORKFLOWS = sorted((PROJECT_ROOT / "catalog").glob("*.yaml"))
WORKFLOW_ENV = {"OPENMETADATA_HOST_PORT": "http://127.0.0.1:8585/api", "OPENMETADATA_JWT_TOKEN": "test-token-xyz",
                "LAKEHOUSE_ROOT": "/srv/lake", "LAKEHOUSE_THRIFT_PORT": "10099", "LAKEHOUSE_SUPERSET_PORT": "8099",
                "SUPERSET_USERNAME": "steward", "SUPERSET_PASSWORD": "pw", "THRIFT_USERNAME": "steward",
                "THRIFT_PASSWORD": "pw"}


# --- workflow YAMLs -------------------------------------------------------------------------------------
def test_om_contract_workflow_yamls_accepted_by_openmetadata_parser():
    assert {p.name for p in WORKFLOWS} == {"spark-thrift.yaml", "dbt.yaml", "superset.yaml"}
    for p in WORKFLOWS:  # no secret in git: token and passwords only as ${VARS}
        text = p.read_text(encoding="utf-8")
        assert "${OPENMETADATA_JWT_TOKEN}" in text and "test-token" not in text
    results = {Path(r["name"]).name: r for r in run_validator(["workflows", *map(str, WORKFLOWS)], env=WORKFLOW_ENV)}
    for name, r in results.items():
        assert r["ok"], f"{name}: {r.get('error')}"
        assert r["server"] == WORKFLOW_ENV["OPENMETADATA_HOST_PORT"]
        sec = r["config"]["workflowConfig"]["openMetadataServerConfig"]["securityConfig"]
        assert sec["jwtToken"] in ("test-token-xyz", "**********")  # SecretStr may be masked on dump
    assert results["spark-thrift.yaml"]["source_type"] == "hive"
    assert results["spark-thrift.yaml"]["service"] == L.DB_SERVICE
    conn = results["spark-thrift.yaml"]["config"]["source"]["serviceConnection"]["config"]
    assert conn["hostPort"] == "127.0.0.1:10099" and conn["databaseName"] == L.DATABASE
    assert conn["auth"] == "LDAP" and conn["username"] == "steward"  # the SQL endpoint authenticates
    dbt = results["dbt.yaml"]["config"]["source"]["sourceConfig"]["config"]["dbtConfigSource"]
    assert dbt["dbtManifestFilePath"] == "/srv/lake/dbt/target/manifest.json"
    assert dbt["dbtCatalogFilePath"] == "/srv/lake/dbt/target/catalog.json"
    assert dbt["dbtRunResultsFilePath"] == "/srv/lake/dbt/target/run_results.json"
    assert results["superset.yaml"]["service"] == L.DASHBOARD_SERVICE
    assert results["superset.yaml"]["config"]["source"]["serviceConnection"]["config"]["hostPort"].rstrip("/") == \
        "http://127.0.0.1:8099"


def test_om_contract_broken_workflow_yaml_rejected(tmp_path):
    good = yaml.safe_load((PROJECT_ROOT / "catalog" / "spark-thrift.yaml").read_text(encoding="utf-8"))
    bad = json.loads(json.dumps(good))
    bad["source"]["serviceConnection"]["config"]["hostPortt"] = "typo"
    wrong_type = json.loads(json.dumps(good))
    wrong_type["source"]["sourceConfig"]["config"]["type"] = "NoSuchPipeline"
    files = []
    for i, cfg in enumerate((bad, wrong_type)):
        f = tmp_path / f"bad{i}.yaml"
        f.write_text(yaml.safe_dump(cfg), encoding="utf-8")
        files.append(str(f))
    results = run_validator(["workflows", *files], env=WORKFLOW_ENV)
    assert [r["ok"] for r in results] == [False, False], results


# --- payloads -------------------------------------------------------------------------------------------
def _fixture_plan() -> O.Plan:
    return O.build_plan(["B-0001", "B-0002"], None, None, load_export(FIXTURE_DASHBOARDS))


def test_om_contract_every_payload_validates_against_generated_models():
    bodies = O.offline_bodies(_fixture_plan())
    results = validate_bodies([{"path": b["path"], "body": b["body"]} for b in bodies])
    bad = [(b["path"], r["error"][:300]) for b, r in zip(bodies, results, strict=True) if not r["ok"]]
    assert not bad, bad
    kinds = {b["entity"] for b in bodies}
    assert {"team", "classification", "tag", "glossary", "glossaryTerm", "databaseService", "database",
            "databaseSchema", "table", "storageService", "container", "pipelineService", "pipeline",
            "dashboardService", "chart", "dashboard", "lineage"} <= kinds


def test_om_contract_broken_payloads_rejected():
    plan = _fixture_plan()
    bodies = O.offline_bodies(plan)
    table = next(b for b in bodies if b["entity"] == "table")
    lineage = next(b for b in bodies if b["entity"] == "lineage")
    term = next(b for b in bodies if b["entity"] == "glossaryTerm")
    tag = next(b for b in bodies if b["entity"] == "tag")
    broken = [
        {"path": table["path"], "body": {**table["body"], "colour": "red"}},  # unknown field
        {"path": table["path"], "body": {**table["body"], "columns": [{**table["body"]["columns"][0],
                                                                      "dataType": "VARCHAR2000"}]}},
        {"path": table["path"], "body": {k: v for k, v in table["body"].items() if k != "databaseSchema"}},
        {"path": lineage["path"], "body": {"edge": {"fromEntity": lineage["body"]["edge"]["fromEntity"]}}},
        {"path": lineage["path"], "body": {"edge": {**lineage["body"]["edge"],
                                                    "toEntity": {"id": "not-a-uuid", "type": "table"}}}},
        {"path": term["path"], "body": {k: v for k, v in term["body"].items() if k != "glossary"}},
        {"path": tag["path"], "body": {k: v for k, v in tag["body"].items() if k != "description"}},
    ]
    results = validate_bodies([*broken, {"path": table["path"], "body": table["body"]}])
    assert [r["ok"] for r in results] == [False] * len(broken) + [True], results


def test_payloads_carry_contract_descriptions_owners_glossary_and_sensitivity():
    bodies = {(b["entity"], b["body"].get("name")): b["body"] for b in O.offline_bodies(_fixture_plan())}
    restricted = bodies[("table", "restricted_documents")]
    contract = C.get_contract("silver.restricted_documents")
    assert restricted["description"] == contract.description  # the contract's own text, vi + en
    assert restricted["databaseSchema"] == f"{L.DB_SERVICE}.{L.DATABASE}.silver"
    tags = {t["tagFQN"] for t in restricted["tags"]}
    assert {"NhayCam.Restricted", "NhayCam.TuyetMat", "NhayCam.PersonalData"} <= tags
    cols = {c["name"]: c for c in restricted["columns"]}
    assert cols["signer_name"]["description"] == "Người ký / Signer"
    assert {t["tagFQN"] for t in cols["signer_name"]["tags"]} == {"NhayCam.PersonalData", "NhayCam.DocumentText"}
    assert {"tagFQN": "LuuTruHanhChinh.DoMat", "source": "Glossary", "labelType": "Manual",
            "state": "Confirmed"} in cols["secrecy"]["tags"]
    records = {c["name"]: c for c in bodies[("table", "records")]["columns"]}
    assert "LuuTruHanhChinh.ThoiHanBaoQuan" in {t["tagFQN"] for t in records["retention_years"]["tags"]}
    assert "LuuTruHanhChinh.Phong" in {t["tagFQN"] for t in records["fonds_code"]["tags"]}
    assert "LuuTruHanhChinh.MucLuc" in {t["tagFQN"] for t in records["inventory_no"]["tags"]}
    # every contract table is pushed, every glossary term is carried by at least one column
    pushed = {(b["databaseSchema"].rsplit(".", 1)[1], n) for (k, n), b in bodies.items() if k == "table"}
    assert {(t.layer, t.name) for t in C.job_tables()} <= pushed  # gold comes from the dbt manifest
    carried = {t["tagFQN"] for (k, _), b in bodies.items() if k == "table" for c in b["columns"]
               for t in c.get("tags", [])}
    assert {G.term_fqn(t) for t in G.TERMS} <= carried
    # owners: every table has its layer's team
    team_ids = {O.offline_id(name) for name, _, _ in O.TEAMS.values()}
    assert all(b["owners"][0]["id"] in team_ids for (k, _), b in bodies.items() if k == "table")


# --- lineage declarations -------------------------------------------------------------------------------
_READ_CALLS = {"table", "latest_rows", "_require"}


def _contract_name(node) -> str | None:
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "C":
        return node.attr
    return None


def _static_io(module) -> tuple[set[str], set[str]]:
    """(contracts read in reading contexts, every contract the module names) by the module's source."""
    tree = ast.parse(inspect.getsource(module))
    reads, named = set(), set()
    for node in ast.walk(tree):
        name = _contract_name(node)
        if name:
            obj = getattr(C, name)
            items = obj if isinstance(obj, tuple) else (obj,)
            named |= {t.full_name for t in items if isinstance(t, C.TableContract)}
        if isinstance(node, ast.FormattedValue) and isinstance(node.value, ast.Attribute) \
                and node.value.attr == "full_name" and _contract_name(node.value.value):
            reads.add(getattr(C, _contract_name(node.value.value)).full_name)  # f"... FROM {C.X.full_name}"
        if isinstance(node, ast.Call):
            fn = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", None)
            if fn in _READ_CALLS:
                for arg in node.args:
                    target = arg.value if isinstance(arg, ast.Attribute) and arg.attr == "full_name" else arg
                    if _contract_name(target):
                        reads.add(getattr(C, _contract_name(target)).full_name)
    for value in vars(module).values():  # module-level tables of contracts (e.g. CONTRACTS, TABULAR_KINDS)
        if isinstance(value, dict):
            named |= {v.full_name for v in value.values() if isinstance(v, C.TableContract)}
    return reads, named


# the lake modules a job hands its reads and writes to
_DELEGATES = {"ocr_pages": ("lake.platform.ocr_batches",), "index_search": ("lake.apps.search.indexer",),
              "silver_documents": ("lake.platform.silver_build",)}


@pytest.mark.parametrize("job", R.JOBS, ids=lambda j: j.name)
def test_job_lineage_declaration_matches_the_code(job):
    """The registry's declaration of a job agrees with its code: every table the job reads is declared, and
    every declared table is named by the job or the pipeline module it delegates to."""
    import re

    reads, named = _static_io(importlib.import_module(job.module))
    for name in _DELEGATES.get(job.name, ()):
        module = importlib.import_module(name)
        r, n = _static_io(module)
        src = inspect.getsource(module)  # tables named in SQL text (lake.apps.search.indexer)
        # (not inside a dotted module path such as lake.domain.silver.records)
        literal = {t.full_name for t in C.job_tables() if re.search(rf"(?<![\w.]){re.escape(t.full_name)}\b", src)}
        reads, named = reads | r | literal, named | n | literal
    declared_reads = {t.full_name for t in job.reads}
    declared_writes = {t.full_name for t in job.writes}
    assert reads <= declared_reads, f"{job.name} reads {reads - declared_reads} without declaring it"
    assert declared_reads | declared_writes <= named, "declared tables the job never names"
    assert declared_writes or job.writes_other, job.name
    for pattern, landed in job.reads_files.items():  # files of a folder land only in tables the job writes
        assert {t.full_name for t in landed} <= declared_writes, pattern


@pytest.mark.parametrize("rel_path", ["batches/B-1/manifest.csv", "batches/B-1/qc_log.csv", "batches/B-1/p001.jpg",
                                      "batches/B-1/hs.pdf", "inventories/A01/muc_luc_ho_so_A01.xlsx",
                                      "inventories/A01/muc_luc_van_ban_A01.csv", "handover/A01/bien_ban.csv",
                                      "registry/co_quan.xlsx"])
def test_landing_folder_declarations_cover_the_ingest_layout(rel_path):
    """The folder → table declaration of ingest_landing agrees with how the ingest classifies a path."""
    from fnmatch import fnmatch

    from lake.domain.ingest.landing import TABULAR_KINDS, classify

    kind = classify(rel_path)
    table = C.SCAN_PAGES if kind == "scan" else TABULAR_KINDS[kind]
    folder = "landing/" + rel_path.rsplit("/", 1)[0]
    matches = [landed for pat, landed in R.get("ingest_landing").reads_files.items()
               if fnmatch(folder, pat) or folder.startswith(pat + "/")]
    assert matches and all(table in landed for landed in matches), (rel_path, kind)


def test_lineage_graph_chains_batches_through_every_layer_to_dashboards():
    manifest = {"nodes": {
        "model.lakehouse.stg_silver__records": {"resource_type": "model", "name": "stg_silver__records",
                                                "schema": "gold_staging", "alias": "stg_silver__records",
                                                "depends_on": {"nodes": ["source.lakehouse.silver.records"]}},
        "model.lakehouse.fct_pages": {"resource_type": "model", "name": "fct_pages", "schema": "gold",
                                      "alias": "fct_pages",
                                      "depends_on": {"nodes": ["model.lakehouse.stg_silver__records"]}},
    }, "sources": {"source.lakehouse.silver.records": {"schema": "silver", "identifier": "records",
                                                       "name": "records"}}}
    g = L.build_graph(["B-0001"], manifest, load_export(FIXTURE_DASHBOARDS))
    start = L.Node("container", f"{L.STORAGE_SERVICE}.landing.batches.B-0001")
    end = L.Node("dashboard", f"{L.DASHBOARD_SERVICE}.0d3c4c7e-4444-4c1a-9a51-000000000001")
    ocr = L.Node("table", L.table_fqn("bronze", "ocr_pages"))
    path = g.path(start, ocr)[:-1] + g.path(ocr, end)  # the chain through OCR
    names = [n.fqn.removeprefix(f"{L.DB_SERVICE}.{L.DATABASE}.") for n in path]
    assert names[1].startswith("bronze."), names  # ingest_landing
    i_ocr = names.index("bronze.ocr_pages")
    i_silver = next(i for i, n in enumerate(names) if n.startswith("silver."))
    i_gold = names.index("gold.fct_pages")
    assert 0 < i_ocr < i_silver < i_gold < len(names) - 2, names
    assert [n.kind for n in path[-2:]] == ["chart", "dashboard"]
    # every hop is an edge with the right pipeline: Spark jobs up to silver, dbt into gold
    edges = {(e.src, e.dst): e for e in g.edges}
    hops = [edges[(a, b)] for a, b in itertools.pairwise(path)]
    assert hops[0].pipeline == f"{L.PIPELINE_SERVICE}.ingest_landing"
    assert edges[(path[i_ocr - 1], path[i_ocr])].pipeline == f"{L.PIPELINE_SERVICE}.ocr_pages"
    assert edges[(path[i_gold - 1], path[i_gold])].pipeline == f"{L.PIPELINE_SERVICE}.{L.DBT_PIPELINE}"
    assert hops[-1].source == "DashboardLineage"


# --- embedded catalog: dbt exposures ----------------------------------------------------------------------
def test_committed_exposures_match_the_generator():
    assert EXPOSURES_FILE.read_text(encoding="utf-8") == render_exposures(), \
        "transformations/models/exposures.yml is stale: run `lakehouse catalog exposures`"


def test_exposures_from_a_superset_export():
    data = yaml.safe_load(render_exposures(FIXTURE_DASHBOARDS))
    by_name = {e["name"]: e for e in data["exposures"]}
    assert set(by_name) == {"tien_do_so_hoa", "chat_luong"}
    assert by_name["tien_do_so_hoa"]["depends_on"] == ["ref('fct_digitization_progress')", "ref('fct_pages')"]
    assert by_name["chat_luong"]["depends_on"] == ["ref('dim_agency')", "ref('fct_pages')",
                                                  "source('silver', 'qc_issues')"]
    assert by_name["tien_do_so_hoa"]["label"] == "Tiến độ chỉnh lý và số hóa"
    assert all(e["type"] == "dashboard" and e["owner"]["name"] for e in data["exposures"])


def test_generated_exposures_parse_in_dbt_and_link_dashboards_to_models(tmp_path):
    """`dbt parse` (no warehouse connection) of a copy of the project with the fixture's exposures: dbt
    resolves every ref()/source() and the docs lineage graph ends in the dashboards."""

    project = tmp_path / "transformations"
    shutil.copytree(PROJECT_ROOT / "transformations", project,
                    ignore=shutil.ignore_patterns("target", "logs", "dbt_packages"))
    (project / "models" / "exposures.yml").write_text(render_exposures(FIXTURE_DASHBOARDS), encoding="utf-8")
    manifest = parse_manifest(tmp_path / "target", project)
    exp = manifest["exposures"]["exposure.lakehouse.tien_do_so_hoa"]
    assert exp["depends_on"]["nodes"] == ["model.lakehouse.fct_digitization_progress", "model.lakehouse.fct_pages"]
    assert "source.lakehouse.silver.qc_issues" in manifest["exposures"]["exposure.lakehouse.chat_luong"][
        "depends_on"]["nodes"]
    assert manifest["sources"]["source.lakehouse.bronze.ocr_pages"]["description"] == C.OCR_PAGES.description
