"""The lineage graph of the lakehouse, end to end:

    landing scan batches (containers) --ingest_landing--> bronze --ocr_pages--> bronze OCR tables
    --silver_reference / silver_documents--> silver --dbt (manifest depends_on)--> gold
    --Superset datasets--> charts --> dashboards

Nothing here is typed by hand: job edges come from the job registry (`lake.core.job_registry`, checked
against each job's code and the recorded runs by tests/catalog), gold edges from the
dbt manifest, dashboard edges from the Superset export. Names are OpenMetadata fully qualified names, the
ones the ingestion workflows in `catalog/` produce for the same objects.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from lake.apps.metadata.dashboards import SupersetExport
from lake.core import contracts as C
from lake.core import job_registry as R

# OpenMetadata service names; catalog/*.yaml use the same ones
DB_SERVICE = "lakehouse_spark"
DATABASE = "lakehouse"
STORAGE_SERVICE = "lakehouse_landing"
PIPELINE_SERVICE = "lakehouse_pipelines"
DASHBOARD_SERVICE = "lakehouse_superset"
DBT_PIPELINE = R.DBT_PIPELINE


def table_fqn(schema: str, name: str) -> str:
    return f"{DB_SERVICE}.{DATABASE}.{schema}.{name}"


def contract_fqn(contract: C.TableContract) -> str:
    return table_fqn(contract.layer, contract.name)


@dataclass(frozen=True)
class Job:
    name: str
    title: str
    module: str
    doc: str
    reads_files: dict[str, tuple[C.TableContract, ...]]  # input folder pattern -> tables its files land in
    reads: tuple[C.TableContract, ...]
    writes: tuple[C.TableContract, ...]
    writes_other: tuple[str, ...] = ()  # datasets outside the contracts (Iceberg copies, the search index)


def jobs() -> list[Job]:
    """Every job of the registry, with its module's docstring (imports the job modules)."""
    return [Job(j.name, j.title, j.module, j.doc(), dict(j.reads_files), j.reads, j.writes,
                j.writes_other) for j in R.JOBS]


@dataclass(frozen=True)
class Node:
    kind: str  # container | table | pipeline | chart | dashboard
    fqn: str


@dataclass(frozen=True)
class Edge:
    src: Node
    dst: Node
    pipeline: str | None  # FQN of the pipeline entity that moves the data
    source: str  # OpenMetadata lineage source: PipelineLineage, DbtLineage, DashboardLineage


@dataclass
class Containers:
    """Input folders as containers: those the jobs declare (READS_FILES), with one child per scan batch for
    a `<folder>/*` pattern."""
    batches: list[str] = field(default_factory=list)

    @staticmethod
    def fqn(*parts: str) -> str:
        return ".".join((STORAGE_SERVICE, *parts))

    def for_pattern(self, pattern: str) -> list[str]:
        parts = tuple(pattern.split("/"))
        if parts[-1] == "*":
            return [self.fqn(*parts[:-1], b) for b in self.batches]
        return [self.fqn(*parts)]

    def folders(self, patterns) -> list[tuple[str, ...]]:
        """Every container path (parents first) the patterns need."""
        out: dict[tuple[str, ...], None] = {}
        for pattern in patterns:
            parts = tuple(pattern.split("/"))
            base = parts[:-1] if parts[-1] == "*" else parts
            for i in range(1, len(base) + 1):
                out[base[:i]] = None
            if parts[-1] == "*":
                for b in self.batches:
                    out[(*base, b)] = None
        return list(out)


def landing_batches(landing_dir: Path) -> list[str]:
    root = landing_dir / "batches"
    return sorted(p.name for p in root.iterdir() if p.is_dir()) if root.is_dir() else []


# --- dbt manifest -----------------------------------------------------------------------------------
DBT_RESOURCES = ("model", "seed", "snapshot")


def load_manifest(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def dbt_relation(node: dict) -> tuple[str, str]:
    name = node.get("alias") or node.get("identifier") or node["name"]
    return node["schema"], name


def dbt_tables(manifest: dict) -> dict[str, dict]:
    """unique_id -> node of every dbt resource that is a relation (models, seeds, snapshots)."""
    return {uid: n for uid, n in manifest.get("nodes", {}).items() if n.get("resource_type") in DBT_RESOURCES}


def _dbt_fqn(manifest: dict, uid: str) -> str | None:
    kind = uid.split(".", 1)[0]
    if kind in DBT_RESOURCES:
        node = manifest.get("nodes", {}).get(uid)
    elif kind == "source":
        node = manifest.get("sources", {}).get(uid)
    else:
        node = None
    return table_fqn(*dbt_relation(node)) if node else None


# --- the graph ----------------------------------------------------------------------------------------
@dataclass
class Graph:
    edges: list[Edge] = field(default_factory=list)

    def add(self, edge: Edge) -> None:
        if edge.src != edge.dst and edge not in self.edges:
            self.edges.append(edge)

    def nodes(self, kind: str | None = None) -> list[Node]:
        seen = dict.fromkeys(n for e in self.edges for n in (e.src, e.dst))
        return [n for n in seen if kind is None or n.kind == kind]

    def downstream(self, start: Node) -> set[Node]:
        out, todo = set(), [start]
        while todo:
            cur = todo.pop()
            for e in self.edges:
                if e.src == cur and e.dst not in out:
                    out.add(e.dst)
                    todo.append(e.dst)
        return out

    def path(self, src: Node, dst: Node) -> list[Node] | None:
        """A shortest path src → dst (breadth first), or None."""
        prev: dict[Node, Node | None] = {src: None}
        queue = [src]
        while queue:
            cur = queue.pop(0)
            if cur == dst:
                path = [cur]
                while prev[path[-1]] is not None:
                    path.append(prev[path[-1]])
                return path[::-1]
            for e in self.edges:
                if e.src == cur and e.dst not in prev:
                    prev[e.dst] = cur
                    queue.append(e.dst)
        return None


def chart_name(uuid: str) -> str:
    return uuid


def build_graph(batches: list[str], manifest: dict | None, export: SupersetExport | None) -> Graph:
    g = Graph()
    containers = Containers(batches=list(batches))
    for job in jobs():
        pipe = f"{PIPELINE_SERVICE}.{job.name}"
        for pattern, landed in job.reads_files.items():
            for cfqn in containers.for_pattern(pattern):
                for w in landed:
                    g.add(Edge(Node("container", cfqn), Node("table", contract_fqn(w)), pipe, "SparkLineage"))
        for r in job.reads:
            for w in job.writes:
                g.add(Edge(Node("table", contract_fqn(r)), Node("table", contract_fqn(w)), pipe, "SparkLineage"))
    if manifest:
        pipe = f"{PIPELINE_SERVICE}.{DBT_PIPELINE}"
        for _uid, node in sorted(dbt_tables(manifest).items()):
            dst = Node("table", table_fqn(*dbt_relation(node)))
            for dep in node.get("depends_on", {}).get("nodes", []):
                src = _dbt_fqn(manifest, dep)
                if src:
                    g.add(Edge(Node("table", src), dst, pipe, "DbtLineage"))
    if export:
        for chart in sorted(export.charts.values(), key=lambda c: c.uuid):
            cnode = Node("chart", f"{DASHBOARD_SERVICE}.{chart_name(chart.uuid)}")
            for schema, table in export.chart_tables(chart):
                g.add(Edge(Node("table", table_fqn(schema, table)), cnode, None, "DashboardLineage"))
        for dash in sorted(export.dashboards.values(), key=lambda d: d.uuid):
            dnode = Node("dashboard", f"{DASHBOARD_SERVICE}.{dash.uuid}")
            for cu in dash.chart_uuids:
                if cu in export.charts:
                    g.add(Edge(Node("chart", f"{DASHBOARD_SERVICE}.{chart_name(cu)}"), dnode, None,
                               "DashboardLineage"))
    return g
