"""Search requests → OpenSearch query bodies, and responses → plain results. No engine needed to build a body.

>>> req = SearchRequest.parse(q='"ủy ban nhân dân" 155/QĐ-UBND', year="2025")
>>> req.phrases, req.words, req.filters["year"]
(['ủy ban nhân dân'], '155/QĐ-UBND', ['2025'])
>>> symbol_candidates("quyết định 155 QD UBND năm 2025")
['155QD', '155QDUBND', '155QDUBNDNAM']

How a query is matched (all on the engine, see `build_body`):
- required: every word (up to a quarter of them when there are more than three) in some field, folded
  (`*.folded`, so "quyet dinh" finds "Quyết định"); or the number and symbol's normalised key;
- each quoted phrase, folded, in the subject, the body or another text field;
- ranking boosts: the same words with their diacritics (exact fields), phrases on the subject, and a large boost
  for a number/symbol hit, so "155/QĐ-UBND" or "155 QD UBND" puts that document first.
Filters (facets, dates, years) and the caller's locality scope never score; they restrict.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from lake.apps.search.mapping import fold, symbol_key

PAGE_SIZE = 10
MAX_FROM = 10_000 - PAGE_SIZE

#: facet name → (field counted and filtered on, field holding its label, label map, sort by key descending)
FACETS: dict[str, tuple[str, str | None]] = {
    "type": ("type_key", "type_name.raw"),
    "year": ("year", None),
    "issuer": ("issuer.raw", None),
    "district": ("district_code", "district_name"),
    "new_commune": ("new_commune_code", "new_commune_name"),
    "block": ("block", None),
}
FACET_SIZE = {"type": 30, "year": 40, "issuer": 15, "district": 30, "new_commune": 20, "block": 5}
EXACT_FIELDS = ["subject^3", "symbol^2", "type_name^2", "issuer^1.5", "signer", "agency_name", "body"]
FOLDED_FIELDS = [f.split("^")[0] + ".folded" + ("^" + f.split("^")[1] if "^" in f else "") for f in EXACT_FIELDS]
#: every word required up to three words, three quarters of them beyond
MIN_SHOULD = "3<75%"
#: a match with the query's own diacritics weighs six times a folded-only one
FOLDED_WEIGHT, EXACT_WEIGHT = 0.5, 3.0
_SYMBOL = re.compile(r"(\d{1,6})((?:[\s/.\-]+[^\W\d_]{1,10}){1,3})")


class QueryError(ValueError):
    """A request the reading room refuses (the message is shown to the user, in Vietnamese)."""


def nfc(text: str | None) -> str:
    return unicodedata.normalize("NFC", text or "").strip()


def symbol_candidates(text: str) -> list[str]:
    """Normalised keys a number/symbol typed in the query may stand for: the number with 1, 2, 3 letter groups."""
    out: list[str] = []
    for m in _SYMBOL.finditer(text):
        groups = [g for g in re.split(r"[\s/.\-]+", m.group(2)) if g]
        for k in range(1, len(groups) + 1):
            key = symbol_key(m.group(1) + "".join(groups[:k]))
            if key and key not in out:
                out.append(key)
    return out


@dataclass
class SearchRequest:
    words: str = ""
    phrases: list[str] = field(default_factory=list)
    filters: dict[str, list[str]] = field(default_factory=dict)
    date_from: str | None = None
    date_to: str | None = None
    sort: str = "relevance"
    page: int = 1
    size: int = PAGE_SIZE

    @classmethod
    def parse(cls, q: str | None = None, page: int | str | None = 1, size: int | str | None = PAGE_SIZE,
              date_from: str | None = None, date_to: str | None = None, sort: str | None = None,
              **facets) -> SearchRequest:
        q = nfc(q)
        if len(q) > 500:
            raise QueryError("Câu tìm kiếm quá dài (tối đa 500 ký tự).")
        phrases = [p.strip() for p in re.findall(r'"([^"]+)"', q) if p.strip()]
        words = re.sub(r'"[^"]*"', " ", q).replace('"', " ")
        words = " ".join(words.split())
        filters: dict[str, list[str]] = {}
        for name, value in facets.items():
            if name not in FACETS:
                raise QueryError(f"Bộ lọc không hợp lệ: {name}")
            values = value if isinstance(value, list) else [value]
            values = [nfc(v) for v in values if v not in (None, "")]
            if values:
                filters[name] = values
        if "year" in filters and not all(v.isdigit() for v in filters["year"]):
            raise QueryError("Năm phải là số (ví dụ 2025).")
        for d in (date_from, date_to):
            if d and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", d):
                raise QueryError("Ngày phải có dạng YYYY-MM-DD.")
        try:
            page_n, size_n = int(page or 1), int(size or PAGE_SIZE)
        except ValueError as exc:
            raise QueryError("Số trang không hợp lệ.") from exc
        page_n, size_n = max(page_n, 1), min(max(size_n, 1), 50)
        if (page_n - 1) * size_n > MAX_FROM:
            raise QueryError("Chỉ xem được 10.000 kết quả đầu: hãy thu hẹp tìm kiếm.")
        if sort not in (None, "", "relevance", "date_desc", "date_asc"):
            raise QueryError("Cách sắp xếp không hợp lệ.")
        return cls(words=words, phrases=phrases, filters=filters, date_from=date_from or None,
                   date_to=date_to or None, sort=sort or "relevance", page=page_n, size=size_n)

    @property
    def text(self) -> str:
        return " ".join([self.words, *self.phrases]).strip()


def text_query(req: SearchRequest) -> dict | None:
    """The scoring part (None for an empty query: browse everything in the scope)."""
    if not req.text:
        return None
    must: list[dict] = []
    should: list[dict] = []
    if req.words:
        keys = symbol_candidates(req.words)
        required = [{"multi_match": {"query": req.words, "type": "cross_fields", "fields": FOLDED_FIELDS,
                                     "operator": "or", "minimum_should_match": MIN_SHOULD, "boost": FOLDED_WEIGHT}}]
        if keys:
            required.append({"terms": {"symbol_key": keys, "boost": 50}})
            rest = " ".join(_SYMBOL.sub(" ", req.words).split())
            if rest:  # "155/QĐ-UBND xã Vân Từ": the words beside the number pick among documents sharing it
                should.append({"multi_match": {"query": rest, "type": "phrase", "slop": 2, "boost": 5,
                                               "fields": ["issuer.folded", "agency_name.folded", "subject.folded"]}})
        must.append({"bool": {"should": required, "minimum_should_match": 1}})
        should += [
            {"multi_match": {"query": req.words, "type": "cross_fields", "fields": EXACT_FIELDS,
                             "operator": "or", "minimum_should_match": MIN_SHOULD, "boost": EXACT_WEIGHT}},
            {"match_phrase": {"subject.folded": {"query": req.words, "slop": 1, "boost": 2}}},
            {"match_phrase": {"subject": {"query": req.words, "slop": 1, "boost": 2}}},
        ]
    for phrase in req.phrases:
        must.append({"multi_match": {"query": phrase, "type": "phrase", "fields": FOLDED_FIELDS,
                                     "boost": FOLDED_WEIGHT}})
        should.append({"multi_match": {"query": phrase, "type": "phrase", "fields": EXACT_FIELDS,
                                       "boost": EXACT_WEIGHT}})
    return {"bool": {"must": must, "should": should}}


def page_text_query(req: SearchRequest) -> dict | None:
    """What to highlight inside page texts (folded: marks both exact and folded matches)."""
    clauses = []
    if req.words:
        clauses.append({"match": {"pages.text.folded": {"query": req.words}}})
    for phrase in req.phrases:
        clauses.append({"match_phrase": {"pages.text.folded": {"query": phrase}}})
    return {"bool": {"should": clauses}} if clauses else None


def filter_clauses(req: SearchRequest, scope_districts: list[str] | None) -> list[dict]:
    out: list[dict] = []
    for name, values in req.filters.items():
        fld = FACETS[name][0]
        out.append({"terms": {fld: [int(v) for v in values] if name == "year" else values}})
    if req.date_from or req.date_to:
        rng = {k: v for k, v in (("gte", req.date_from), ("lte", req.date_to)) if v}
        out.append({"range": {"document_date": rng}})
    if scope_districts is not None:
        out.append({"terms": {"district_code": scope_districts}})
    return out


def aggregations() -> dict:
    aggs = {}
    for name, (fld, label) in FACETS.items():
        terms: dict = {"field": fld, "size": FACET_SIZE[name]}
        if name == "year":
            terms["order"] = {"_key": "desc"}
        agg: dict = {"terms": terms}
        if label:
            agg["aggs"] = {"label": {"terms": {"field": label, "size": 1}}}
        aggs[name] = agg
    return aggs


RESULT_FIELDS = ["document_code", "record_code", "type_key", "type_name", "number", "symbol", "document_date",
                 "year", "issuer", "subject", "agency_name", "district_code", "district_name", "new_commune_name",
                 "old_commune_name", "block", "retention", "page_count"]


def build_body(req: SearchRequest, scope_districts: list[str] | None = None, facets: bool = True) -> dict:
    """The search request body. `scope_districts`: None = every locality; a list = only these old districts."""
    scoring = text_query(req)
    filters = filter_clauses(req, scope_districts)
    query: dict = {"bool": {"filter": filters}}
    if scoring:
        query["bool"]["must"] = [scoring]
        page_q = page_text_query(req)
        if page_q:
            # snippets: the best pages' hits, highlighted (scores nothing: the root-level match already did)
            query["bool"]["should"] = [{"nested": {
                "path": "pages", "score_mode": "max", "boost": 0.01, "query": page_q,
                "inner_hits": {"size": 2, "_source": ["pages.n"],
                               "highlight": {"fields": {"pages.text.folded": {
                                   "fragment_size": 160, "number_of_fragments": 2,
                                   "pre_tags": ["<mark>"], "post_tags": ["</mark>"]}},
                                   "encoder": "html"}}}}]
    body: dict = {"query": query, "from": (req.page - 1) * req.size, "size": req.size,
                  "_source": RESULT_FIELDS, "track_total_hits": True,
                  "highlight": {"encoder": "html", "pre_tags": ["<mark>"], "post_tags": ["</mark>"],
                                "fields": {"subject.folded": {"number_of_fragments": 0},
                                           "issuer.folded": {"number_of_fragments": 0}}}}
    if req.sort == "date_desc" or (req.sort == "relevance" and not scoring):
        body["sort"] = [{"document_date": {"order": "desc", "missing": "_last"}}, {"document_code": "asc"}]
    elif req.sort == "date_asc":
        body["sort"] = [{"document_date": {"order": "asc", "missing": "_last"}}, {"document_code": "asc"}]
    if facets:
        body["aggs"] = aggregations()
    return body


def parse_response(resp: dict, req: SearchRequest) -> dict:
    """Engine response → {total, results, facets, page, pages} for the API and the templates."""
    from lake.apps.search.indexer import BLOCK_NAMES

    results = []
    for hit in resp["hits"]["hits"]:
        src = hit["_source"]
        hl = hit.get("highlight", {})
        snippets = []
        for inner in hit.get("inner_hits", {}).get("pages", {}).get("hits", {}).get("hits", []):
            for frag in inner.get("highlight", {}).get("pages.text.folded", []):
                snippets.append({"page": inner["_source"]["n"], "html": frag})
        results.append({**src, "score": hit.get("_score"),
                        "subject_html": (hl.get("subject.folded") or [None])[0],
                        "issuer_html": (hl.get("issuer.folded") or [None])[0],
                        "snippets": snippets})
    facets = {}
    for name, agg in resp.get("aggregations", {}).items():
        buckets = []
        for b in agg["buckets"]:
            key = str(b["key"])
            label = None
            if b.get("label", {}).get("buckets"):
                label = b["label"]["buckets"][0]["key"]
            if name == "block":
                label = BLOCK_NAMES.get(key, key)
            buckets.append({"value": key, "label": label or key, "count": b["doc_count"],
                            "selected": key in req.filters.get(name, [])})
        facets[name] = buckets
    total = resp["hits"]["total"]["value"]
    return {"total": total, "results": results, "facets": facets, "page": req.page, "size": req.size,
            "pages": max(1, -(-min(total, MAX_FROM + req.size) // req.size)), "took_ms": resp.get("took")}


def page_body(code: str, n: int, req: SearchRequest | None) -> dict:
    """One page of one document, its text highlighted with the request's words when there are any."""
    inner: dict = {"size": 1, "_source": True}
    page_filter = {"term": {"pages.n": n}}
    page_q = page_text_query(req) if req else None
    if page_q:
        inner["highlight"] = {"encoder": "html", "pre_tags": ["<mark>"], "post_tags": ["</mark>"],
                              "fields": {"pages.text.folded": {"number_of_fragments": 0,
                                                               "highlight_query": page_q}}}
    return {"size": 1, "_source": {"excludes": ["pages"]},
            "query": {"bool": {"filter": [{"ids": {"values": [code]}}], "should": [
                {"nested": {"path": "pages", "query": {"bool": {"filter": [page_filter]}}, "inner_hits": inner}}],
                "minimum_should_match": 1}}}


def folded_equal(a: str, b: str) -> bool:
    return fold(a) == fold(b)
