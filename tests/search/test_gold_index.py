"""The shared index fed from the session's gold by the real job (`jobs/index_search.py`): every shared document in
it with its fields and pages, restricted documents never, and incremental runs (a new document is added, a
re-run changes nothing, a document leaving gold leaves the index)."""

from __future__ import annotations

import pytest

from lake.apps.search.mapping import INDEX_NAME, fold

pytestmark = [pytest.mark.spark, pytest.mark.services]
NEW_CODE_SUFFIX = ".999"


def _shared_codes(spark) -> set[str]:
    return {r[0] for r in spark.sql("SELECT document_code FROM gold.fct_documents WHERE NOT is_restricted").collect()}


def test_every_shared_document_is_indexed_with_its_fields(indexed, spark, search_client):
    shared = _shared_codes(spark)
    assert shared and indexed.added == len(shared) and indexed.deleted == 0
    assert search_client.count(index=INDEX_NAME)["count"] == len(shared)
    row = spark.sql("SELECT d.document_code, d.symbol, d.issuer, d.district_code, a.agency_name, a.block, "
                    "r.retention_key, count(t.page_id) AS pages "
                    "FROM gold.fct_documents d JOIN gold.fct_page_texts t ON t.document_code = d.document_code "
                    "JOIN gold.dim_agency a ON a.agency_code = d.agency_code "
                    "JOIN gold.fct_records r ON r.record_code = d.record_code "
                    "WHERE d.symbol IS NOT NULL GROUP BY 1, 2, 3, 4, 5, 6, 7 ORDER BY 1 LIMIT 1").collect()[0]
    doc = search_client.get(index=INDEX_NAME, id=row["document_code"])["_source"]
    assert (doc["symbol"], doc["issuer"], doc["district_code"]) == (row["symbol"], row["issuer"], row["district_code"])
    assert (doc["agency_name"], doc["block"], doc["retention"]) == (row["agency_name"], row["block"],
                                                                    row["retention_key"])
    assert doc["page_count"] == row["pages"] and all(p["text"] for p in doc["pages"])


def test_restricted_documents_are_never_in_the_index(indexed, spark, search_client):
    restricted = spark.sql("SELECT document_code, symbol, subject FROM silver.restricted_documents").collect()
    assert restricted, "the sample holds restricted documents (classified / personal data)"
    found = search_client.mget(index=INDEX_NAME, body={"ids": [r["document_code"] for r in restricted]})["docs"]
    assert not [d["_id"] for d in found if d.get("found")]
    for r in restricted:
        if r["subject"]:  # their subject words find none of them
            hits = search_client.search(index=INDEX_NAME, body={"size": 50, "_source": False, "query": {
                "match_phrase": {"subject.folded": fold(r["subject"])}}})["hits"]["hits"]
            assert r["document_code"] not in {h["_id"] for h in hits}


def test_rerun_over_unchanged_gold_changes_nothing(indexed, spark, lake_env, search_client):
    from jobs import index_search

    before = search_client.count(index=INDEX_NAME)["count"]
    run = index_search.run(spark, lake_env, client=search_client).index_run
    assert run.changed == 0 and run.unchanged == before and not run.rebuilt
    assert search_client.count(index=INDEX_NAME)["count"] == before


def test_a_new_document_is_added_and_a_removed_one_deleted(indexed, spark, lake_env, search_client):
    from pyspark.sql import functions as F

    from jobs import index_search

    base = spark.sql("SELECT document_code FROM gold.fct_page_texts ORDER BY document_code LIMIT 1").collect()[0][0]
    new = base.rsplit(".", 1)[0] + NEW_CODE_SUFFIX
    subject = "Về việc thử nghiệm chỉ mục tăng dần"
    page_ids = {}
    try:
        spark.table("gold.fct_documents").where(F.col("document_code") == base) \
            .withColumn("document_code", F.lit(new)).withColumn("subject", F.lit(subject)) \
            .write.format("delta").mode("append").saveAsTable("gold.fct_documents")
        for table in ("gold.fct_pages", "gold.fct_page_texts"):
            spark.table(table).where(F.col("document_code") == base) \
                .withColumn("document_code", F.lit(new)) \
                .withColumn("page_id", F.concat(F.col("page_id"), F.lit("#t"))) \
                .write.format("delta").mode("append").saveAsTable(table)
        page_ids = {r[0] for r in spark.sql(f"SELECT page_id FROM gold.fct_page_texts WHERE document_code = '{new}'")
                    .collect()}
        run = index_search.run(spark, lake_env, client=search_client).index_run
        assert (run.added, run.updated, run.deleted) == (1, 0, 0)
        hits = search_client.search(index=INDEX_NAME, body={"query": {"match_phrase": {
            "subject.folded": "thu nghiem chi muc tang dan"}}})["hits"]["hits"]
        assert [h["_id"] for h in hits] == [new]
        assert index_search.run(spark, lake_env, client=search_client).index_run.changed == 0
    finally:
        for table in ("gold.fct_documents", "gold.fct_pages", "gold.fct_page_texts"):
            spark.sql(f"DELETE FROM {table} WHERE document_code = '{new}'")
    assert page_ids
    run = index_search.run(spark, lake_env, client=search_client).index_run
    assert (run.added, run.updated, run.deleted) == (0, 0, 1)
    assert not search_client.exists(index=INDEX_NAME, id=new)
