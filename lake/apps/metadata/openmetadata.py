"""OpenMetadata 2.0: the request bodies `lakehouse catalog push` sends, and the HTTP client that sends them.

Design (issue 8): the project virtualenv does not carry openmetadata-ingestion (it conflicts with Superset
and pins its own dbt/pydantic), so the bodies are built here as plain dicts and sent with the standard
library (`urllib`) to the REST API (`PUT /api/v1/<collection>`: create-or-update, idempotent). The contract
tests run `lake/apps/metadata/om_validate.py` inside `.venvs/openmetadata`, which validates every body against the
library's generated pydantic models (`metadata.generated.schema.api...`, `extra='forbid'`), so a field the
server would reject fails CI here.

Everything is derived: tables and columns (Vietnamese + English descriptions, keys, sensitivity tags) from
`lake.core.contracts`; gold tables from the dbt manifest/catalog; pipelines from the jobs' READS/WRITES
declarations; charts and dashboards from the Superset export; lineage from `lake.apps.metadata.lineage`.

Entity references need ids, which only the server assigns: a body carries `Ref(type, fqn)` placeholders,
resolved at push time from the ids of earlier responses (or `GET /api/v1/<collection>/name/<fqn>`).
"""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from lake.apps.metadata import glossary as G
from lake.apps.metadata import lineage as L
from lake.apps.metadata.dashboards import SupersetExport
from lake.core import contracts as C
from lake.core import job_registry as R

API = "/api/v1"
COLLECTIONS = {"table": "tables", "container": "containers", "pipeline": "pipelines", "chart": "charts",
               "dashboard": "dashboards", "team": "teams"}

LAYER_TEXT = {
    "bronze": ("Tầng bronze: dữ liệu nguyên trạng như được giao (tệp quét, bảng kê, mục lục, OCR).",
               "Bronze layer: data as delivered (scans, manifests, inventories, OCR)."),
    "silver": ("Tầng silver: dữ liệu đã chuẩn hóa, định kiểu (hồ sơ, văn bản, cơ quan, đơn vị hành chính).",
               "Silver layer: conformed, typed data (records, documents, agencies, localities)."),
    "gold": ("Tầng gold: mô hình dbt cho bảng điều khiển và phân tích tiến độ.",
             "Gold layer: dbt models for dashboards and progress analysis."),
    "gold_staging": ("Tầng gold (staging, intermediate): khung nhìn dbt trung gian.",
                     "Gold staging and intermediate dbt views."),
    "ops": ("Vận hành: nhật ký các lần chạy công việc.", "Operations: the log of job runs."),
}
TEAM_TEXT = {  # the team owning each layer's tables; its name comes from the contracts (C.DEFAULT_OWNER)
    "bronze": ("Nhóm tiếp nhận và số hóa", "Ingest and digitization team"),
    "silver": ("Nhóm chuẩn hóa dữ liệu lưu trữ", "Archival data conforming team"),
    "gold": ("Nhóm phân tích (dbt)", "Analytics (dbt) team"),
    "ops": ("Nhóm nền tảng dữ liệu", "Data platform team"),
}
TEAMS = {layer: (C.DEFAULT_OWNER[layer], vi, en) for layer, (vi, en) in TEAM_TEXT.items()}
SCHEMA_LAYER = {"bronze": "bronze", "silver": "silver", "gold": "gold", "gold_staging": "gold", "ops": "ops"}
FOLDER_TEXT = {
    "landing": ("Vùng tiếp nhận: tệp do các điểm thi công giao", "Landing zone: files delivered by the work sites"),
    "batches": ("Các lô quét (ảnh quét, bảng kê lô, nhật ký kiểm tra)", "Scan batches (scans, manifests, QC logs)"),
    "inventories": ("Mục lục hồ sơ và mục lục văn bản", "File and document inventories"),
    "handover": ("Biên bản bàn giao tài liệu", "Handover reports"),
    "registry": ("Danh mục cơ quan", "Agency register"),
    "reference": ("Danh mục đơn vị hành chính chính thức", "Official lists of localities"),
}
CHART_TYPES = {"line": "Line", "echarts_timeseries_line": "Line", "table": "Table", "pivot_table_v2": "Table",
               "bar": "Bar", "echarts_timeseries_bar": "Bar", "dist_bar": "Bar", "area": "Area",
               "echarts_area": "Area", "pie": "Pie", "histogram": "Histogram", "scatter": "Scatter",
               "big_number": "Text", "big_number_total": "Text", "box_plot": "BoxPlot", "sankey": "SanKey",
               "gauge_chart": "Gauge", "country_map": "Map", "heatmap": "Heatmap"}


@dataclass(frozen=True)
class Ref:
    """Placeholder for an EntityReference {id, type}; the id comes from the server."""
    type: str
    fqn: str


@dataclass
class Request:
    method: str
    path: str
    body: dict
    entity: str  # what it creates (for counts): databaseService, table, lineage, ...
    fqn: str | None = None  # FQN of the entity it creates, to keep its id


@dataclass
class Plan:
    requests: list[Request] = field(default_factory=list)

    def put(self, path: str, body: dict, entity: str, fqn: str | None = None) -> None:
        self.requests.append(Request("PUT", path, body, entity, fqn))

    def counts(self) -> dict[str, int]:
        return dict(Counter(r.entity for r in self.requests))


def _desc(vi: str, en: str) -> str:
    return f"{vi}\n\n{en}"


# --- columns ------------------------------------------------------------------------------------------
_SIMPLE = {"string": "STRING", "int": "INT", "integer": "INT", "bigint": "BIGINT", "long": "BIGINT",
           "double": "DOUBLE", "float": "FLOAT", "boolean": "BOOLEAN", "date": "DATE", "timestamp": "TIMESTAMP",
           "timestamp_ntz": "TIMESTAMP", "binary": "BINARY", "smallint": "SMALLINT", "tinyint": "TINYINT",
           "void": "NULL"}


def om_type(spark_type: str) -> dict:
    """OpenMetadata column type fields for a Spark SQL type string."""
    t = (spark_type or "").strip()
    low = t.lower()
    if low in _SIMPLE:
        return {"dataType": _SIMPLE[low], "dataTypeDisplay": low}
    if low.startswith("decimal"):
        m = re.match(r"decimal\((\d+),\s*(\d+)\)", low)
        out = {"dataType": "DECIMAL", "dataTypeDisplay": low}
        if m:
            out.update(precision=int(m.group(1)), scale=int(m.group(2)))
        return out
    if low.startswith("array<"):
        inner = om_type(t[6:-1])["dataType"]
        return {"dataType": "ARRAY", "arrayDataType": inner, "dataTypeDisplay": low}
    if low.startswith("map<"):
        return {"dataType": "MAP", "dataTypeDisplay": low}
    if low.startswith("struct<"):
        return {"dataType": "STRUCT", "dataTypeDisplay": low}
    return {"dataType": "UNKNOWN", "dataTypeDisplay": low or "unknown"}


def _tag(fqn: str, source: str = "Classification") -> dict:
    return {"tagFQN": fqn, "source": source, "labelType": "Manual", "state": "Confirmed"}


def column_tags(name: str, contract_tags: tuple[str, ...] = ()) -> list[dict]:
    tags = [_tag(G.term_fqn(t), "Glossary") for t in G.terms_for_column(name)]
    for ct in contract_tags:
        tags += [_tag(G.TAG_BY_NAME[n].fqn) for n in G.COLUMN_TAGS.get(ct, ())]
    return tags


def _column(name: str, type_: str, description: str, tags: list[dict], constraint: str | None = None) -> dict:
    col = {"name": name, **om_type(type_), "description": description}
    if constraint:
        col["constraint"] = constraint
    if tags:
        col["tags"] = tags
    return col


def contract_table(contract: C.TableContract) -> dict:
    cols = [_column(c.name, c.type, f"{c.vi} / {c.en}", column_tags(c.name, c.tags),
                    None if c.nullable else "NOT_NULL") for c in contract.columns]
    body = {
        "name": contract.name,
        "description": contract.description,
        "tableType": "Regular",
        "columns": cols,
        "databaseSchema": f"{L.DB_SERVICE}.{L.DATABASE}.{contract.layer}",
        "owners": [Ref("team", contract.owner)],
        "tableConstraints": [{"constraintType": "PRIMARY_KEY", "columns": list(contract.key)}],
    }
    tags = [_tag(G.TAG_BY_NAME[n].fqn) for t in contract.tags for n in G.TABLE_TAGS.get(t, ())]
    if tags:
        body["tags"] = tags
    if contract.partition_by:
        body["tablePartition"] = {"columns": [{"columnName": p, "intervalType": "COLUMN-VALUE"}
                                              for p in contract.partition_by]}
    return body


def _owner(schema: str, name: str) -> str:
    """The owning team of a dbt relation: its contract's (the gold marts), else its layer's."""
    if schema in C.LAYERS and f"{schema}.{name}" in C.REGISTRY:
        return C.get_contract(f"{schema}.{name}").owner
    return C.DEFAULT_OWNER[SCHEMA_LAYER.get(schema, "gold")]


def dbt_table(node: dict, catalog_node: dict | None) -> dict:
    schema, name = L.dbt_relation(node)
    documented = node.get("columns", {}) or {}
    typed = (catalog_node or {}).get("columns", {}) or {}
    names = [k for k, _ in sorted(typed.items(), key=lambda kv: kv[1].get("index", 0))] or list(documented)
    cols = []
    for cname in names:
        doc = documented.get(cname) or documented.get(cname.lower()) or {}
        type_ = (typed.get(cname) or {}).get("type") or doc.get("data_type") or ""
        # dbt column tags use the contracts' vocabulary ("text", "PII") for the sensitivity classification
        tags = column_tags(cname, tuple(doc.get("tags") or ()))
        cols.append(_column(cname, type_, doc.get("description") or "", tags))
    body = {
        "name": name,
        "description": node.get("description") or "",
        "tableType": "View" if node.get("config", {}).get("materialized") == "view" else "Regular",
        "columns": cols,
        "databaseSchema": f"{L.DB_SERVICE}.{L.DATABASE}.{schema}",
        "owners": [Ref("team", _owner(schema, name))],
    }
    if node.get("resource_type") == "model" and node.get("raw_code"):
        body["schemaDefinition"] = node["raw_code"]
    return body


# --- the plan -------------------------------------------------------------------------------------------
def build_plan(batches: list[str], manifest: dict | None = None, catalog: dict | None = None,
               export: SupersetExport | None = None, thrift_host_port: str = "127.0.0.1:10000") -> Plan:
    p = Plan()
    graph = L.build_graph(batches, manifest, export)

    for layer, (name, vi, en) in TEAMS.items():
        p.put("/teams", {"name": name, "displayName": vi, "teamType": "Group",
                         "description": _desc(f"Chủ sở hữu tầng {layer}: {vi}.", f"Owner of the {layer} layer: {en}.")},
              "team", name)

    p.put("/classifications", {"name": G.CLASSIFICATION, "description": G.CLASSIFICATION_DESCRIPTION,
                               "mutuallyExclusive": False}, "classification", G.CLASSIFICATION)
    for t in G.TAGS:
        p.put("/tags", {"classification": G.CLASSIFICATION, "name": t.name, "description": t.description},
              "tag", t.fqn)
    p.put("/glossaries", {"name": G.GLOSSARY, "displayName": G.GLOSSARY_DISPLAY,
                          "description": G.GLOSSARY_DESCRIPTION}, "glossary", G.GLOSSARY)
    for term in G.TERMS:
        p.put("/glossaryTerms", {"glossary": G.GLOSSARY, "name": term.name, "displayName": term.display,
                                 "description": term.description, "synonyms": list(term.synonyms)},
              "glossaryTerm", G.term_fqn(term))

    p.put("/services/databaseServices", {
        "name": L.DB_SERVICE, "serviceType": "Hive",
        "description": _desc("Spark Thrift Server của kho dữ liệu (giao thức Hive), metastore Postgres.",
                             "The lakehouse's Spark Thrift Server (Hive protocol) over the Postgres metastore."),
        "connection": {"config": {"type": "Hive", "scheme": "hive", "hostPort": thrift_host_port,
                                  "databaseName": L.DATABASE}},
    }, "databaseService", L.DB_SERVICE)
    p.put("/databases", {"name": L.DATABASE, "service": L.DB_SERVICE,
                         "description": _desc("Kho dữ liệu hành chính dùng chung của Hà Nội.",
                                              "Hà Nội's shared administrative lakehouse.")},
          "database", f"{L.DB_SERVICE}.{L.DATABASE}")
    schemas = ["bronze", "silver", "ops"]
    gold_nodes = L.dbt_tables(manifest) if manifest else {}
    schemas += sorted({n["schema"] for n in gold_nodes.values()} - set(schemas))
    for schema in schemas:
        vi, en = LAYER_TEXT.get(schema, (f"Lược đồ {schema}", f"Schema {schema}"))
        p.put("/databaseSchemas", {"name": schema, "database": f"{L.DB_SERVICE}.{L.DATABASE}",
                                   "description": _desc(vi, en),
                                   "owners": [Ref("team", TEAMS[SCHEMA_LAYER.get(schema, "gold")][0])]},
              "databaseSchema", f"{L.DB_SERVICE}.{L.DATABASE}.{schema}")
    for contract in sorted(C.job_tables(), key=lambda t: t.full_name):  # gold: from the dbt manifest below
        p.put("/tables", contract_table(contract), "table", L.contract_fqn(contract))
    cat_nodes = (catalog or {}).get("nodes", {})
    for uid, node in sorted(gold_nodes.items()):
        p.put("/tables", dbt_table(node, cat_nodes.get(uid)), "table", L.table_fqn(*L.dbt_relation(node)))

    # landing zone as containers
    p.put("/services/storageServices", {
        "name": L.STORAGE_SERVICE, "serviceType": "CustomStorage",
        "description": _desc("Vùng tiếp nhận: lô quét và bảng kê do các điểm thi công giao.",
                             "Landing zone: scan batches and lists delivered by the work sites.")},
          "storageService", L.STORAGE_SERVICE)
    cont = L.Containers(batches=list(batches))
    patterns = [pat for job in L.jobs() for pat in job.reads_files]
    for parts in cont.folders(patterns):
        vi, en = FOLDER_TEXT.get(parts[-1]) or (f"Lô quét {parts[-1]}", f"Scan batch {parts[-1]}")
        body = {"name": parts[-1], "service": L.STORAGE_SERVICE, "description": _desc(vi, en),
                "fullPath": "/".join(parts), "owners": [Ref("team", TEAMS["bronze"][0])]}
        if len(parts) > 1:
            body["parent"] = Ref("container", cont.fqn(*parts[:-1]))
        p.put("/containers", body, "container", cont.fqn(*parts))

    # pipelines: the Spark jobs and dbt
    p.put("/services/pipelineServices", {
        "name": L.PIPELINE_SERVICE, "serviceType": "Spark",
        "description": _desc("Công việc Spark và dbt của kho dữ liệu.", "The lakehouse's Spark jobs and dbt.")},
          "pipelineService", L.PIPELINE_SERVICE)
    for job in L.jobs():
        p.put("/pipelines", {
            "name": job.name, "displayName": job.title, "service": L.PIPELINE_SERVICE,
            "description": _desc(job.title, job.doc.split("\n\n")[0]),
            "pipelineLocation": f"{job.module.replace('.', '/')}.py",
            "tasks": [{"name": w.full_name, "displayName": w.full_name, "taskType": "spark",
                       "description": f"Ghi bảng {w.full_name} / writes {w.full_name}"} for w in job.writes]
            + [{"name": w, "displayName": w, "taskType": "spark", "description": f"Ghi {w} / writes {w}"}
               for w in job.writes_other],
            "owners": [Ref("team", TEAMS["ops"][0])],
        }, "pipeline", f"{L.PIPELINE_SERVICE}.{job.name}")
    if manifest:
        p.put("/pipelines", {
            "name": L.DBT_PIPELINE, "displayName": R.DBT_TITLE, "service": L.PIPELINE_SERVICE,
            "description": R.DBT_TITLE, "pipelineLocation": "transformations/",
            "tasks": [{"name": n["unique_id"], "displayName": n["name"], "taskType": n["resource_type"]}
                      for _, n in sorted(gold_nodes.items())],
            "owners": [Ref("team", TEAMS["gold"][0])],
        }, "pipeline", f"{L.PIPELINE_SERVICE}.{L.DBT_PIPELINE}")

    # Superset
    if export and (export.charts or export.dashboards):
        p.put("/services/dashboardServices", {
            "name": L.DASHBOARD_SERVICE, "serviceType": "Superset",
            "description": _desc("Bảng điều khiển Superset theo dõi tiến độ số hóa.",
                                 "Superset dashboards tracking digitization progress.")},
              "dashboardService", L.DASHBOARD_SERVICE)
        for chart in sorted(export.charts.values(), key=lambda c: c.uuid):
            p.put("/charts", {"name": L.chart_name(chart.uuid), "displayName": chart.slice_name,
                              "service": L.DASHBOARD_SERVICE,
                              "chartType": CHART_TYPES.get(chart.viz_type or "", "Other"),
                              "description": chart.description or chart.slice_name},
                  "chart", f"{L.DASHBOARD_SERVICE}.{chart.uuid}")
        for dash in sorted(export.dashboards.values(), key=lambda d: d.uuid):
            p.put("/dashboards", {"name": dash.uuid, "displayName": dash.title, "service": L.DASHBOARD_SERVICE,
                                  "description": dash.description or dash.title,
                                  "charts": [f"{L.DASHBOARD_SERVICE}.{c}" for c in dash.chart_uuids
                                             if c in export.charts],
                                  "owners": [Ref("team", TEAMS["gold"][0])]},
                  "dashboard", f"{L.DASHBOARD_SERVICE}.{dash.uuid}")

    for e in graph.edges:
        details: dict = {"source": e.source,
                         "description": f"{e.src.fqn} → {e.dst.fqn}"}
        if e.pipeline:
            details["pipeline"] = Ref("pipeline", e.pipeline)
        p.put("/lineage", {"edge": {"fromEntity": Ref(e.src.kind, e.src.fqn), "toEntity": Ref(e.dst.kind, e.dst.fqn),
                                    "lineageDetails": details}}, "lineage")
    return p


# --- resolving references and pushing ----------------------------------------------------------------------
def offline_id(fqn: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"openmetadata:{fqn}"))


def resolve(body, ids: dict[str, str], lookup=None):
    """Replace Ref placeholders with {id, type}; `lookup(ref)` supplies ids not yet known."""
    if isinstance(body, Ref):
        rid = ids.get(body.fqn) or (lookup(body) if lookup else None)
        if not rid:
            raise KeyError(f"no id for {body.type} {body.fqn}")
        ids[body.fqn] = rid
        return {"id": rid, "type": body.type}
    if isinstance(body, dict):
        return {k: resolve(v, ids, lookup) for k, v in body.items()}
    if isinstance(body, list):
        return [resolve(v, ids, lookup) for v in body]
    return body


def offline_bodies(plan: Plan) -> list[dict]:
    """Every request with deterministic ids instead of server ids (for validation and dry runs)."""
    ids: dict[str, str] = {}
    return [{"method": r.method, "path": API + r.path, "entity": r.entity,
             "body": resolve(r.body, ids, lambda ref: offline_id(ref.fqn))} for r in plan.requests]


class PushError(RuntimeError):
    pass


class Client:
    def __init__(self, server: str, token: str | None, timeout: float = 30):
        base = server.rstrip("/")  # accepts http://host:8585, .../api (the SDK's hostPort form) or .../api/v1
        if base.endswith("/api"):
            base = base.removesuffix("/api")
        self.base = base if base.endswith(API) else base + API
        self.token = token
        self.timeout = timeout

    def call(self, method: str, path: str, body: dict | None = None) -> dict:
        data = json.dumps(body, ensure_ascii=False).encode("utf-8") if body is not None else None
        req = urllib.request.Request(self.base + path, data=data, method=method)
        req.add_header("Content-Type", "application/json")
        if self.token:
            req.add_header("Authorization", f"Bearer {self.token}")
        try:
            with urllib.request.urlopen(req, timeout=self.timeout) as resp:
                raw = resp.read()
        except urllib.error.HTTPError as exc:
            raise PushError(f"{method} {path}: HTTP {exc.code}: {exc.read()[:500]!r}") from exc
        return json.loads(raw) if raw else {}

    def lookup(self, ref: Ref) -> str | None:
        coll = COLLECTIONS.get(ref.type)
        if coll is None:
            return None
        try:
            return self.call("GET", f"/{coll}/name/{urllib.parse.quote(ref.fqn, safe='')}").get("id")
        except PushError:
            return None


@dataclass
class PushResult:
    counts: dict[str, int]
    skipped: list[str]


def push(plan: Plan, client: Client) -> PushResult:
    ids: dict[str, str] = {}
    counts: Counter = Counter()
    skipped = []
    for r in plan.requests:
        try:
            body = resolve(r.body, ids, client.lookup)
        except KeyError as exc:  # e.g. a chart on a table this push does not know and the server has not seen
            skipped.append(f"{r.entity}: {exc}")
            continue
        resp = client.call(r.method, r.path, body)
        if r.fqn and resp.get("id"):
            ids[r.fqn] = resp["id"]
        counts[r.entity] += 1
    return PushResult(dict(counts), skipped)


# --- inputs from the lake root --------------------------------------------------------------------------------
def plan_from_lake(settings, dashboards_dir: Path | None = None) -> Plan:
    from lake.apps.metadata.dashboards import DASHBOARDS_DIR, load_export

    target = settings.dbt_target_dir
    manifest = L.load_manifest(target / "manifest.json") if (target / "manifest.json").is_file() else None
    catalog = json.loads((target / "catalog.json").read_text("utf-8")) if (target / "catalog.json").is_file() else None
    return build_plan(L.landing_batches(settings.landing_dir), manifest, catalog,
                      load_export(dashboards_dir or DASHBOARDS_DIR),
                      thrift_host_port=f"{settings.bind_host}:{settings.thrift_port}")
