"""The reading room over HTTP (the real service, as lakehouse-web, logging in against the directory): every
endpoint refuses an anonymous caller, logins are checked, a manager sees only their district, the JSON API and
the page image / PDF / IIIF manifest answer, and every view is audited into ops.document_views."""

from __future__ import annotations

import io
import json

import pytest
import requests

from lake.apps.search.mapping import INDEX_NAME
from tests.search.conftest import login

pytestmark = [pytest.mark.spark, pytest.mark.services]


@pytest.fixture(scope="module")
def analyst(reading_room, readers):
    session, resp = login(reading_room, "docgia.phantich", readers["docgia.phantich"][0])
    assert resp.status_code == 303, resp.text[:500]
    return session


@pytest.fixture(scope="module")
def sample_doc(search_client, indexed):
    """A shared document with a symbol and at least one page, as indexed."""
    hit = search_client.search(index=INDEX_NAME, body={"size": 1, "sort": [{"document_code": "asc"}], "query": {
        "bool": {"filter": [{"exists": {"field": "symbol"}}, {"range": {"page_count": {"gte": 1}}}]}}})
    return hit["hits"]["hits"][0]["_source"]


def test_every_endpoint_refuses_an_anonymous_caller(reading_room, sample_doc):
    code = sample_doc["document_code"]
    paths = ["/", "/search", f"/documents/{code}", f"/documents/{code}/pages/1", f"/documents/{code}/pages/1/image",
             f"/documents/{code}/pdf", f"/documents/{code}/manifest.json", "/viewer/openseadragon.min.js"]
    for path in paths:
        r = requests.get(reading_room.url + path, allow_redirects=False, timeout=30)
        assert r.status_code == 303 and r.headers["location"].startswith("/login"), path
        r = requests.get(reading_room.url + path, headers={"Accept": "application/json"}, timeout=30)
        assert r.status_code == 401, path
    forged = requests.get(reading_room.url + "/search?format=json", cookies={"phongdoc": "eyJ1c2VyIjp7fX0="},
                          timeout=30)
    assert forged.status_code == 401


def test_logins_are_checked_against_the_directory(reading_room, readers):
    _, r = login(reading_room, "docgia.phantich", "not-the-password")
    assert r.status_code == 401 and "không đúng" in r.text
    _, r = login(reading_room, "nobody.here", "whatever-password")
    assert r.status_code == 401
    _, r = login(reading_room, "robot.vanhanh", readers["robot.vanhanh"][0])
    assert r.status_code == 403  # the pipeline account may not read through the reading room


def test_search_api_with_facets_and_paging(analyst, reading_room, search_client):
    total = search_client.count(index=INDEX_NAME)["count"]
    r = analyst.get(f"{reading_room.url}/search", params={"format": "json", "size": 5}, timeout=30).json()
    assert r["total"] == total and len(r["results"]) == min(5, total)
    assert set(r["facets"]) == {"type", "year", "issuer", "district", "new_commune", "block"}
    assert sum(b["count"] for b in r["facets"]["district"]) == total
    if total > 5:
        page2 = analyst.get(f"{reading_room.url}/search", params={"format": "json", "size": 5, "page": 2},
                            timeout=30).json()
        assert not {x["document_code"] for x in page2["results"]} & {x["document_code"] for x in r["results"]}


def test_symbol_search_through_the_api_finds_the_document_first(analyst, reading_room, sample_doc):
    r = analyst.get(f"{reading_room.url}/search", params={"format": "json", "q": sample_doc["symbol"]},
                    timeout=30).json()
    firsts = [x for x in r["results"] if x["score"] == r["results"][0]["score"]]
    assert sample_doc["document_code"] in {x["document_code"] for x in firsts}  # same symbol, other year: a tie
    assert all(x["symbol"] == sample_doc["symbol"] for x in firsts)


def test_manager_sees_only_their_district(reading_room, readers, search_client):
    district = readers["_district"]
    name = f"quanly_{district}"
    session, resp = login(reading_room, name, readers[name][0])
    assert resp.status_code == 303
    r = session.get(f"{reading_room.url}/search", params={"format": "json", "size": 50}, timeout=30).json()
    assert r["total"] > 0 and {x["district_code"] for x in r["results"]} == {district}
    assert {b["value"] for b in r["facets"]["district"]} == {district}
    other = search_client.search(index=INDEX_NAME, body={"size": 1, "query": {"bool": {"must_not": [
        {"term": {"district_code": district}}]}}})["hits"]["hits"]
    if other:
        code = other[0]["_id"]
        for path in (f"/documents/{code}", f"/documents/{code}/pages/1/image", f"/documents/{code}/pdf"):
            assert session.get(reading_room.url + path, params={"format": "json"}, timeout=30).status_code == 404


def test_document_page_image_pdf_and_manifest(analyst, reading_room, sample_doc):
    import pypdfium2 as pdfium
    from PIL import Image

    code = sample_doc["document_code"]
    doc = analyst.get(f"{reading_room.url}/documents/{code}", params={"format": "json"}, timeout=30).json()
    assert doc["symbol"] == sample_doc["symbol"] and len(doc["pages"]) == sample_doc["page_count"]
    word = next(w for w in sample_doc["subject"].split() if len(w) > 3) if sample_doc.get("subject") else "ngày"
    page = analyst.get(f"{reading_room.url}/documents/{code}/pages/1", params={"format": "json", "q": word},
                       timeout=30).json()
    assert page["text"] and page["n"] == 1
    if word.lower() in page["text"].lower():
        assert "<mark>" in page["text_html"]
    img = analyst.get(f"{reading_room.url}{page['image']}", timeout=60)
    assert img.status_code == 200 and img.headers["content-type"] == "image/jpeg"
    assert Image.open(io.BytesIO(img.content)).size[0] > 500
    pdf = analyst.get(f"{reading_room.url}/documents/{code}/pdf", timeout=60)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    reader = pdfium.PdfDocument(pdf.content)
    assert len(reader) == sample_doc["page_count"]
    layer = reader[0].get_textpage().get_text_range()
    assert len(layer.split()) > 5  # the searchable text layer came along
    manifest = analyst.get(f"{reading_room.url}/documents/{code}/manifest.json", timeout=30).json()
    assert manifest["@context"] == "http://iiif.io/api/presentation/3/context.json"
    assert manifest["type"] == "Manifest" and len(manifest["items"]) == sample_doc["page_count"]
    body = manifest["items"][0]["items"][0]["items"][0]["body"]
    assert body["type"] == "Image" and body["id"].endswith(f"/documents/{code}/pages/1/image")


def test_every_view_is_audited(analyst, reading_room, sample_doc, lake_env, spark):
    from lake.platform.reading_room_audit import load_views, read_spool

    code = sample_doc["document_code"]
    before = len(read_spool(lake_env))
    assert analyst.get(f"{reading_room.url}/documents/{code}", timeout=30).status_code == 200
    assert analyst.get(f"{reading_room.url}/documents/{code}/pages/1", params={"format": "json"},
                       timeout=30).status_code == 200
    events = read_spool(lake_env)[before:]
    assert [(e["person"], e["document_code"], e["action"], e["page"]) for e in events] == [
        ("docgia.phantich", code, "document", 1), ("docgia.phantich", code, "page", 1)]
    added = load_views(spark, lake_env)
    assert added >= 2
    rows = spark.sql(f"SELECT person, action FROM ops.document_views WHERE event_id IN "
                     f"({', '.join(json.dumps(e['event_id']) for e in events)})").collect()
    assert sorted((r.person, r.action) for r in rows) == [("docgia.phantich", "document"), ("docgia.phantich", "page")]
    assert load_views(spark, lake_env) == 0  # loading twice adds nothing
    props = spark.sql("SHOW TBLPROPERTIES ops.document_views").collect()
    assert {r.key: r.value for r in props}.get("delta.appendOnly") == "true"
