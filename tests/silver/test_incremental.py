"""Incremental silver on Spark + Delta: after a full run, new and changed pages of one record rebuild that record
only; the tables then equal a full rebuild, and a run with nothing new commits nothing.

The test changes bronze directly (one OCR result re-graded, one page added under a new scan file of the record)
and puts it back at the end, so the session's lake is left as it found it."""

from __future__ import annotations

import pytest

from lake.core import contracts as C
from lake.core.delta import table_version
from lake.platform.silver_build import OUTPUTS

pytestmark = [pytest.mark.spark]
NEW_SHA = "f" * 64


@pytest.fixture(scope="module")
def built(spark, lake_env, sample_archive):
    from jobs import ingest_landing, ingest_reference, ocr_pages, silver_documents, silver_reference

    ingest_reference.run(spark, lake_env)
    ingest_landing.run(spark, lake_env)
    ocr_pages.run(spark, lake_env)
    silver_reference.run(spark, lake_env)
    silver_documents.run(spark, lake_env)
    return silver_documents.run(spark, lake_env)  # the state is recorded now, whatever the lake held before


def _snapshot(spark) -> dict[str, dict[tuple, tuple]]:
    """table → key → (row_hash, silver_run_id, record_code)."""
    out = {}
    for c in OUTPUTS:
        out[c.full_name] = {tuple(r[k] for k in c.key): (r.row_hash, r.silver_run_id, r.record_code)
                            for r in spark.table(c.full_name).collect()}
    return out


def _versions(spark) -> dict[str, int]:
    return {c.full_name: table_version(spark, c) for c in (*OUTPUTS, C.JOB_STATE)}


def _columns(contract, **replace) -> str:
    return ", ".join(f"{replace[c]} AS {c}" if c in replace else c for c in contract.column_names)


def _record_to_change(spark) -> tuple[str, str, str]:
    """(record code, a page of it graded good, one of its scan paths): a scanned record sharing no content."""
    row = spark.sql("""
        SELECT p.record_code, min(p.page_id) AS page_id, min(p.source_path) AS path FROM silver.document_pages p
        JOIN bronze.ocr_pages o ON o.page_id = p.page_id AND o.quality_class = 'good'
        WHERE p.record_code NOT IN (SELECT record_code FROM bronze.landing_files WHERE record_code IS NOT NULL
          AND sha256 IN (
            SELECT sha256 FROM bronze.landing_files WHERE record_code IS NOT NULL GROUP BY sha256
            HAVING count(DISTINCT record_code) > 1))
        GROUP BY p.record_code ORDER BY p.record_code LIMIT 1""").collect()[0]
    return row.record_code, row.page_id, row.path


def test_only_the_touched_record_is_rebuilt_and_the_result_equals_a_full_rebuild(spark, lake_env, built):
    from jobs import silver_documents

    assert built.message.startswith("noop"), built.message
    code, page, path = _record_to_change(spark)
    before, v0 = _snapshot(spark), _versions(spark)
    scanned = spark.sql(f"SELECT page_count_scanned FROM silver.records WHERE record_code = '{code}'").first()[0]
    new_path = path.rsplit("/", 1)[0] + f"/{code}_99.jpg"
    # a re-read grades one page bad; a new scan file brings one more page (its OCR row copied from that page)
    ocr_copy = _columns(C.OCR_PAGES, page_id=repr(NEW_SHA + ":0"), sha256=repr(NEW_SHA), page_index="0")
    sighting = _columns(C.LANDING_FILES, source_path=repr(new_path), sha256=repr(NEW_SHA), version="1",
                        page_count="1")
    spark.sql(f"UPDATE bronze.ocr_pages SET quality_class = 'bad' WHERE page_id = '{page}'")
    spark.sql(f"INSERT INTO bronze.ocr_pages SELECT {ocr_copy} FROM bronze.ocr_pages WHERE page_id = '{page}'")
    spark.sql(f"INSERT INTO bronze.landing_files SELECT {sighting} FROM bronze.landing_files "
              f"WHERE source_path = '{path}' LIMIT 1")
    try:
        stats = silver_documents.run(spark, lake_env)
        assert stats.message.startswith("incremental") and stats.items_seen == 1, stats.message  # built: 1 record
        after = _snapshot(spark)
        for table, rows in after.items():
            rewritten = {k for k, v in rows.items() if v[1] == stats.run_id}
            assert {rows[k][2] for k in rewritten} <= {code}, table  # only the record's rows were rewritten
            untouched = {k: v for k, v in before[table].items() if v[2] != code}
            assert {k: v for k, v in rows.items() if v[2] != code} == untouched, table
        records = after["silver.records"]
        assert records[(code,)][1] == stats.run_id
        assert spark.sql(f"SELECT page_count_scanned FROM silver.records WHERE record_code = '{code}'").first()[0] \
            == scanned + 1
        assert after["silver.qc_issues"][("ocr_page_bad", "page", page)][2] == code
        # Delta history: the record's one row deleted and inserted again, nothing else in silver.records
        ops = spark.sql("DESCRIBE HISTORY silver.records").where(f"version > {v0['silver.records']}").collect()
        metrics = {o.operation: o.operationMetrics for o in ops}
        assert metrics["MERGE"]["numTargetRowsDeleted"] == "1" and metrics["WRITE"]["numOutputRows"] == "1"

        again, v1 = silver_documents.run(spark, lake_env), _versions(spark)
        assert again.message.startswith("noop") and not any(again.rows_written.values())
        full = silver_documents.run(spark, lake_env, full=True)
        assert _versions(spark) == {**v1, C.JOB_STATE.full_name: v1[C.JOB_STATE.full_name] + 1}  # state only
        assert not any(full.rows_written.values()) and full.items_seen > 1
        assert silver_documents.run(spark, lake_env).message.startswith("noop")
    finally:
        spark.sql(f"UPDATE bronze.ocr_pages SET quality_class = 'good' WHERE page_id = '{page}'")
        spark.sql(f"DELETE FROM bronze.ocr_pages WHERE sha256 = '{NEW_SHA}'")
        spark.sql(f"DELETE FROM bronze.landing_files WHERE sha256 = '{NEW_SHA}'")
    restored = silver_documents.run(spark, lake_env)
    assert restored.message.startswith("incremental") and restored.items_seen == 1, restored.message
    assert {t: {k: v[0] for k, v in rows.items()} for t, rows in _snapshot(spark).items()} == \
        {t: {k: v[0] for k, v in rows.items()} for t, rows in before.items()}


def test_a_new_rules_version_or_a_foreign_write_rebuilds_everything(spark, lake_env, built):
    from jobs import silver_documents

    spark.sql("UPDATE ops.job_state SET code_version = 'older' WHERE job = 'silver_documents'")
    stats = silver_documents.run(spark, lake_env)
    assert stats.message == "full: the code or rules changed" and stats.items_seen > 1
    assert not any(stats.rows_written.values())
    code = spark.sql("SELECT min(record_code) FROM silver.records").first()[0]
    spark.sql(f"DELETE FROM silver.records WHERE record_code = '{code}'")  # a foreign write
    stats = silver_documents.run(spark, lake_env)
    assert stats.message == "full: an output table changed since the last run"
    assert stats.rows_written["silver.records"] == 1
    assert spark.sql(f"SELECT count(*) FROM silver.records WHERE record_code = '{code}'").first()[0] == 1
    assert silver_documents.run(spark, lake_env).message.startswith("noop")
