"""Vietnamese analysis and query building on the real engine, over a handful of documents written for the
purpose (in their own index): folded and exact queries, phrases, number/symbol, filters, facets, scope."""

from __future__ import annotations

import pytest

from lake.apps.search.indexer import sync
from lake.apps.search.query import SearchRequest, build_body, parse_response

pytestmark = [pytest.mark.services]
INDEX = "test-analysis"


def _doc(code, type_key, type_name, symbol, date, district, subject, text, issuer="Ủy ban nhân dân huyện"):
    return {"document_code": code, "record_code": code.split(".")[0], "type_key": type_key, "type_name": type_name,
            "number": int(symbol.split("/")[0].split("-")[0]), "symbol": symbol, "document_date": date,
            "issuer": issuer, "subject": subject, "district_code": district, "district_name": f"Huyện {district}",
            "block": "government", "pages": [{"n": 1, "page_id": f"{code}:0", "text": text},
                                             {"n": 2, "page_id": f"{code}:1", "text": "Nơi nhận: như trên."}]}


DOCS = [
    _doc("R1.001", "QĐ", "Quyết định", "155/QĐ-UBND", "2025-06-05", "017",
         "Về việc thành lập Ban chỉ đạo số hóa tài liệu",
         "ỦY BAN NHÂN DÂN HUYỆN ĐÔNG ANH Số: 155/QĐ-UBND QUYẾT ĐỊNH Về việc thành lập Ban chỉ đạo số hóa tài liệu"),
    # the same words as recognised without their diacritics (a faded scan)
    _doc("R2.001", "QĐ", "Quyết định", "42/QĐ-UBND", "2020-03-01", "018",
         "Quyet dinh thanh lap to cong tac", "uy ban nhan dan xa Quyet dinh thanh lap to cong tac so hoa",
         issuer="Uy ban nhan dan xa"),
    _doc("R3.001", "BC", "Báo cáo", "155/BC-UBND", "2021-09-10", "017", "Báo cáo tình hình kinh tế xã hội",
         "Báo cáo: nhân dân và ủy viên ban chấp hành đã họp; số liệu 155 hộ", issuer="Phòng Tài chính"),
    _doc("R4.001", "NQ", "Nghị quyết", "12-NQ/HU", "2019-12-20", "018", "Nghị quyết về công tác cán bộ",
         "ĐẢNG CỘNG SẢN VIỆT NAM Số 12-NQ/HU NGHỊ QUYẾT về công tác cán bộ", issuer="Huyện ủy"),
]


@pytest.fixture(scope="module")
def client(search_client):
    if search_client.indices.exists(index=INDEX):
        search_client.indices.delete(index=INDEX)
    run = sync(search_client, DOCS, index=INDEX)
    assert run.added == len(DOCS)
    yield search_client
    search_client.indices.delete(index=INDEX)


def search(client, scope=None, **params):
    req = SearchRequest.parse(**params)
    return parse_response(client.search(index=INDEX, body=build_body(req, scope)), req)


def codes(result):
    return [r["document_code"] for r in result["results"]]


def test_folded_query_finds_documents_written_with_diacritics(client):
    found = codes(search(client, q="quyet dinh thanh lap"))
    assert "R1.001" in found and "R2.001" in found
    assert "R4.001" not in found


def test_query_with_diacritics_ranks_exact_matches_above_folded_ones(client):
    found = codes(search(client, q="Quyết định thành lập"))
    assert found.index("R1.001") < found.index("R2.001")


def test_phrase_query_on_syllables(client):
    found = codes(search(client, q='"ủy ban nhân dân"'))
    assert set(found) == {"R1.001", "R2.001"}  # R3 has the syllables, not the phrase
    assert found[0] == "R1.001"  # the diacritics match
    assert set(codes(search(client, q='"ban nhân dân"'))) == {"R1.001", "R2.001"}


@pytest.mark.parametrize("q", ["155/QĐ-UBND", "155 QD UBND", "155/qd-ubnd", "số 155/QĐ-UBND"])
def test_number_symbol_query_finds_that_document_first(client, q):
    found = codes(search(client, q=q))
    assert found[0] == "R1.001", found


def test_party_number_with_hyphen(client):
    assert codes(search(client, q="12-NQ/HU"))[0] == "R4.001"


def test_year_and_date_filters(client):
    assert codes(search(client, q="", year="2025")) == ["R1.001"]
    assert set(codes(search(client, q="", date_from="2020-01-01", date_to="2021-12-31"))) == {"R2.001", "R3.001"}
    assert codes(search(client, q="quyet dinh", year="2020")) == ["R2.001"]


def test_facets_count_the_results(client):
    result = search(client, q="")
    types = {b["value"]: b["count"] for b in result["facets"]["type"]}
    assert types == {"QĐ": 2, "BC": 1, "NQ": 1}
    labels = {b["value"]: b["label"] for b in result["facets"]["type"]}
    assert labels["QĐ"] == "Quyết định"
    years = [b["value"] for b in result["facets"]["year"]]
    assert years == ["2025", "2021", "2020", "2019"]
    districts = {b["value"]: b["count"] for b in result["facets"]["district"]}
    assert districts == {"017": 2, "018": 2}
    filtered = search(client, q="", type="QĐ")
    assert filtered["total"] == 2 and {b["value"] for b in filtered["facets"]["district"]} == {"017", "018"}


def test_scope_limits_every_query_to_the_managers_districts(client):
    assert set(codes(search(client, scope=["018"], q=""))) == {"R2.001", "R4.001"}
    assert codes(search(client, scope=["018"], q="155/QĐ-UBND")) == []
    assert codes(search(client, scope=[], q="")) == []


def test_snippets_are_highlighted_with_their_page(client):
    r = search(client, q="thành lập")["results"][0]
    assert r["snippets"] and r["snippets"][0]["page"] == 1
    assert "<mark>" in r["snippets"][0]["html"]


def test_rerun_over_the_same_documents_changes_nothing(client):
    run = sync(client, DOCS, index=INDEX)
    assert (run.added, run.updated, run.deleted, run.unchanged) == (0, 0, 0, len(DOCS))
    changed = [dict(d) for d in DOCS]
    changed[0] = {**changed[0], "subject": changed[0]["subject"] + " (sửa)"}
    run = sync(client, changed[:-1], index=INDEX)
    assert (run.added, run.updated, run.deleted, run.unchanged) == (0, 1, 1, 2)
    run = sync(client, DOCS, index=INDEX)
    assert (run.added, run.updated, run.deleted) == (1, 1, 0)
