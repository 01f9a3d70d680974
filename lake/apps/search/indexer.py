"""Incremental indexer: shared documents of gold → the search index.

Gold is read through Spark (`read_gold`, one row per shared document with its pages), each row becomes an index
document (`build_document`, plain Python) carrying a `content_hash` of everything indexed. `sync` compares those
hashes with the ones already in the index and writes only what differs:

- a document whose hash is new or changed is (re)indexed;
- a document in the index that is no longer shared (it became restricted, or left gold) is deleted;
- a re-run over unchanged gold writes nothing (`IndexRun.changed == 0`).

Restricted documents never reach the index: gold's `is_restricted` excludes them, and `read_gold` also drops
every code listed in `silver.restricted_documents`, so a mistake in one place is caught by the other.
When `MAPPING_VERSION` changes, the index is rebuilt from scratch.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date

from lake.apps.search.exports import export_rel
from lake.apps.search.mapping import INDEX_NAME, MAPPING_VERSION, index_body, symbol_key

TYPE_NAMES_NONE = {"none": "Công văn", "unknown": "Không xác định"}
BLOCK_NAMES = {"party": "Khối Đảng", "government": "Khối chính quyền", "mass": "Khối đoàn thể",
               "unknown": "Không xác định"}


@dataclass
class IndexRun:
    seen: int = 0
    added: int = 0
    updated: int = 0
    deleted: int = 0
    unchanged: int = 0
    rebuilt: bool = False
    seconds: float = 0.0
    errors: list[str] = field(default_factory=list)

    @property
    def changed(self) -> int:
        return self.added + self.updated + self.deleted

    def summary(self) -> str:
        return (f"search index: {self.seen} shared documents, {self.added} added, {self.updated} updated, "
                f"{self.deleted} deleted, {self.unchanged} unchanged{' (index rebuilt)' if self.rebuilt else ''} "
                f"in {self.seconds:.1f} s")


def _iso(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, date):
        return value.isoformat()
    return str(value)[:10]


def content_hash(doc: dict) -> str:
    body = {k: v for k, v in doc.items() if k != "content_hash"}
    return hashlib.sha256(json.dumps(body, sort_keys=True, ensure_ascii=False, default=str).encode()).hexdigest()


def build_document(row: dict) -> dict:
    """One index document from one gold row (a dict with the columns of `GOLD_SQL`).

    >>> doc = build_document({"document_code": "R1.001", "record_code": "R1", "symbol": "155/QĐ-UBND",
    ...                       "document_date": date(2025, 6, 5), "type_key": "QĐ", "pages": [
    ...                       {"n": 1, "page_id": "p1", "text": "QUYẾT ĐỊNH"}]})
    >>> doc["symbol_key"], doc["year"], doc["pages"][0]["text"], len(doc["content_hash"])
    ('155QDUBND', 2025, 'QUYẾT ĐỊNH', 64)
    >>> build_document({"document_code": "R1.002", "pages": [{"n": 1, "text": "", "pdf_path": "access/a.pdf",
    ...                 "pdf_page": 3}]})["pages"][0]["image"]
    {'source_pdf': 'access/a.pdf', 'source_page': 3, 'pdf': 'reading_room/documents/R1.002.pdf', 'page': 0}
    """
    signer = " ".join(x for x in (row.get("signer_title"), row.get("signer_name")) if x) or None
    type_key = row.get("type_key") or "unknown"
    pages = []
    exported = 0
    for p in sorted(row.get("pages") or [], key=lambda p: p["n"]):
        image = {}
        if p.get("pdf_path"):  # the access copy's page, and where the export (lake.apps.search.exports) will hold it
            image = {"source_pdf": p["pdf_path"], "source_page": int(p.get("pdf_page") or 0),
                     "pdf": export_rel(row["document_code"]), "page": exported}
            exported += 1
        pages.append({"n": int(p["n"]), "page_id": p.get("page_id"), "text": p.get("text") or "", "image": image})
    doc_date = _iso(row.get("document_date"))
    doc = {
        "document_code": row["document_code"],
        "record_code": row.get("record_code"),
        "type_key": type_key,
        "type_name": row.get("type_name") or TYPE_NAMES_NONE.get(type_key, type_key),
        "number": row.get("number"),
        "symbol": row.get("symbol"),
        "symbol_key": symbol_key(row.get("symbol")),
        "document_date": doc_date,
        "year": int(doc_date[:4]) if doc_date else None,
        "issuer": row.get("issuer"),
        "subject": row.get("subject"),
        "signer": signer,
        "agency_code": row.get("agency_code"),
        "agency_name": row.get("agency_name"),
        "district_code": row.get("district_code"),
        "district_name": row.get("district_name"),
        "old_commune_code": row.get("old_commune_code"),
        "old_commune_name": row.get("old_commune_name"),
        "new_commune_code": row.get("new_commune_code"),
        "new_commune_name": row.get("new_commune_name"),
        "block": row.get("block") or "unknown",
        "retention": row.get("retention") or "unknown",
        "page_count": len(pages),
        "pages": pages,
    }
    doc["content_hash"] = content_hash(doc)
    return doc


def with_body(doc: dict) -> dict:
    """The document as sent to the engine: plus `body`, every page's text (indexed, not kept in _source)."""
    return {**doc, "body": "\n".join(p["text"] for p in doc["pages"])}


# ---------------------------------------------------------------------------------------------------
# Reading gold (Spark)
# ---------------------------------------------------------------------------------------------------
GOLD_SQL = """
with shared as (
    select d.* from gold.fct_documents as d
    left anti join silver.restricted_documents as r on r.document_code = d.document_code
    where not d.is_restricted
),
copies as (
    select sha256, config_id, max_by(pdf_path, created_at) as pdf_path from bronze.access_copies
    group by sha256, config_id
),
pages as (
    select t.document_code,
           collect_list(named_struct('n', t.page_in_document, 'page_id', t.page_id, 'text', t.recognised_text,
                                     'sha256', p.sha256, 'page_index', p.page_index, 'pdf_path', c.pdf_path,
                                     'pdf_page', p.page_index)) as pages
    from gold.fct_page_texts as t
    inner join gold.fct_pages as p on p.page_id = t.page_id
    left join copies as c on c.sha256 = p.sha256 and c.config_id = p.ocr_config_id
    group by t.document_code
)
select d.document_code, d.record_code, d.type_key, ty.type_name, d.number, d.symbol, d.document_date, d.issuer,
       d.subject, s.signer_title, s.signer_name, d.agency_code, a.agency_name, d.district_code,
       ld.unit_name as district_name, a.commune_code as old_commune_code, lo.unit_name as old_commune_name,
       a.custodian_commune_code as new_commune_code, ln.unit_name as new_commune_name, a.block,
       r.retention_key as retention, p.pages
from shared as d
left join gold.dim_document_type as ty on ty.type_key = d.type_key
left join gold.dim_agency as a on a.agency_code = d.agency_code
left join gold.fct_records as r on r.record_code = d.record_code
left join silver.documents as s on s.document_code = d.document_code and not s.is_restricted
left join gold.dim_locality as ld on ld.locality_key = concat('old_district:', d.district_code)
left join gold.dim_locality as lo on lo.locality_key = concat('old_commune:', a.commune_code)
left join gold.dim_locality as ln on ln.locality_key = concat('new_commune:', a.custodian_commune_code)
left join pages as p on p.document_code = d.document_code
"""


def read_gold(spark) -> Iterator[dict]:
    """Rows of `GOLD_SQL` as dicts, streamed partition by partition to the driver."""
    for row in spark.sql(GOLD_SQL).toLocalIterator():
        d = row.asDict(recursive=True)
        d["pages"] = d.get("pages") or []
        yield d


# ---------------------------------------------------------------------------------------------------
# Writing the index (OpenSearch)
# ---------------------------------------------------------------------------------------------------
def ensure_index(client, index: str = INDEX_NAME) -> bool:
    """Create the index when absent, or rebuild it when its mapping version is older. True when (re)created."""
    if client.indices.exists(index=index):
        meta = client.indices.get_mapping(index=index)[index]["mappings"].get("_meta", {})
        if meta.get("mapping_version") == MAPPING_VERSION:
            return False
        client.indices.delete(index=index)
    client.indices.create(index=index, body=index_body())
    return True


def indexed_hashes(client, index: str = INDEX_NAME) -> dict[str, str]:
    """document_code → content_hash of every document in the index (search_after over the keyword sort)."""
    out: dict[str, str] = {}
    after = None
    while True:
        body = {"size": 5000, "_source": False, "docvalue_fields": ["content_hash"],
                "sort": [{"document_code": "asc"}], "query": {"match_all": {}}}
        if after:
            body["search_after"] = after
        hits = client.search(index=index, body=body)["hits"]["hits"]
        if not hits:
            return out
        for h in hits:
            out[h["_id"]] = h["fields"]["content_hash"][0]
        after = hits[-1]["sort"]


def sync(client, rows: Iterable[dict], index: str = INDEX_NAME, chunk: int = 500, refresh: bool = True,
         exporter=None) -> IndexRun:
    """Bring the index in line with `rows` (gold rows or already-built documents); see the module docstring.

    `exporter` (a `lake.apps.search.exports.Exporter`) writes each (re)indexed document's PDF for the reading room
    (and again when an unchanged document's export went missing) and removes the export of a deleted one."""
    from opensearchpy.helpers import streaming_bulk

    t0 = time.monotonic()
    run = IndexRun()
    run.rebuilt = ensure_index(client, index)
    have = {} if run.rebuilt else indexed_hashes(client, index)
    seen: set[str] = set()

    def actions():
        for row in rows:
            doc = row if "content_hash" in row else build_document(row)
            code = doc["document_code"]
            seen.add(code)
            run.seen += 1
            old = have.get(code)
            if old == doc["content_hash"]:
                run.unchanged += 1
                if exporter is not None and doc["pages"] and doc["pages"][0]["image"].get("pdf") \
                        and not (exporter.s.lake_root / doc["pages"][0]["image"]["pdf"]).is_file():
                    exporter.export(doc)
                continue
            if exporter is not None:
                exporter.export(doc)
            if old is None:
                run.added += 1
            else:
                run.updated += 1
            yield {"_op_type": "index", "_index": index, "_id": code, "_source": with_body(doc)}
        for code in sorted(set(have) - seen):
            run.deleted += 1
            if exporter is not None:
                exporter.remove(code)
            yield {"_op_type": "delete", "_index": index, "_id": code}

    if run.rebuilt:  # a fresh index: no refreshes while it is loaded
        client.indices.put_settings(index=index, body={"index": {"refresh_interval": "-1"}})
    try:
        for ok, info in streaming_bulk(client, actions(), chunk_size=chunk, max_chunk_bytes=20 * 1024 * 1024,
                                       raise_on_error=False, request_timeout=300):
            if not ok:
                run.errors.append(json.dumps(info, default=str)[:500])
    finally:
        if run.rebuilt:
            client.indices.put_settings(index=index, body={"index": {"refresh_interval": "1s"}})
    if run.errors:
        raise RuntimeError(f"{len(run.errors)} documents failed to index, first: {run.errors[0]}")
    if refresh and run.changed:
        client.indices.refresh(index=index)
    run.seconds = time.monotonic() - t0
    return run
