"""`lake.domain.silver.records` and `lake.domain.silver.incremental`: record assembly, the record and lake-wide
QC rules and the full / incremental / noop plan, in plain Python (no Spark)."""

from __future__ import annotations

import datetime as dt

from lake.core.job_inputs import code_version
from lake.core.job_state import JobState
from lake.domain.silver import records as R
from lake.domain.silver.incremental import plan_run

T0 = dt.datetime(2025, 9, 29, 8, 0, tzinfo=dt.UTC)


def _inv(code, **extra):
    return {"record_code": code, "source_file": "inventories/A01/muc_luc_ho_so_A01.csv", "ingested_at": T0,
            "source_line": 2, **extra}


def _scan(path, sha, code, n=2, agency="A01", version=1):
    return {"source_path": f"batches/B1/{path}", "sha256": sha, "version": version, "page_count": n,
            "scanned_at": T0, "record_code": code, "agency_code": agency, "district_code": "BD",
            "capture_device": "scanner", "declared_dpi": 300}


def _build(inventory, scans, inv_docs=()):
    records = R.inventory_records(inventory, {"A01": "BD"})
    files, issues = R.attach_scans(records, scans, {"A01": "BD"})
    metas = R.record_inputs(records, files, R.documents_by_record(inv_docs))
    return metas, issues


def test_inventory_records_are_typed_and_placed_in_their_agency_district():
    recs = R.inventory_records([_inv("R1", page_count="12", retention="Vĩnh viễn", start_date="01/02/2015"),
                                _inv("R2", source_file="inventories/Z09/muc_luc.csv")], {"A01": "BD"})
    assert recs["R1"]["agency_code"] == "A01" and recs["R1"]["district_code"] == "BD"
    assert recs["R1"]["page_count_inventory"] == 12 and recs["R1"]["retention_permanent"] is True
    assert recs["R1"]["start_date"] == dt.date(2015, 2, 1)
    assert recs["R2"]["agency_code"] == "Z09" and recs["R2"]["district_code"] == "unknown"


def test_a_code_seen_only_on_scans_becomes_a_flagged_record():
    metas, issues = _build([_inv("R1")], [_scan("R1.pdf", "a", "R1"), _scan("X9.pdf", "b", "X9", n=3)])
    assert set(metas) == {"R1", "X9"}
    x9 = metas["X9"]["record"]
    assert x9["flags"] == ["not_in_inventory"] and x9["page_count_scanned"] == 3 and x9["district_code"] == "BD"
    assert [(i["rule"], i["entity_id"]) for i in issues] == [("scan_without_record", "X9")]


def test_record_rules_without_ocr():
    metas, _ = _build([_inv("R1", page_count="5"), _inv("R2", page_count="2"), _inv("R3", page_count="2")],
                      [_scan("R1.pdf", "a", "R1", n=2), _scan("R2.pdf", "b", "R2", n=2)])
    r1 = R.record_rows(metas["R1"], [])
    assert r1[R.RECORDS][0]["page_count_match"] is False and "page_count_mismatch" in r1[R.RECORDS][0]["flags"]
    assert [(i["rule"], i["expected"], i["actual"]) for i in r1[R.ISSUES] if i["entity_type"] == "record"] == [
        ("page_count_mismatch", "5", "2")]
    assert {i["rule"] for i in r1[R.ISSUES] if i["entity_type"] == "page"} == {"ocr_page_missing"}
    r2 = R.record_rows(metas["R2"], [])
    assert r2[R.RECORDS][0]["page_count_match"] is True
    assert not [i for i in r2[R.ISSUES] if i["entity_type"] == "record"]
    r3 = R.record_rows(metas["R3"], None)
    assert r3[R.RECORDS][0]["flags"] == ["not_scanned"] and r3[R.RECORDS][0]["page_count_ocr"] == 0
    assert [i["rule"] for i in r3[R.ISSUES]] == ["record_not_scanned"] and not r3[R.DOCUMENTS]


def test_document_count_mismatch_compares_the_inventory_with_the_documents_found():
    metas, _ = _build([_inv("R1", document_count="4")], [_scan("R1.pdf", "a", "R1", n=2)])
    rows = R.record_rows(metas["R1"], [])
    found = rows[R.RECORDS][0]["document_count_found"]
    assert found != 4
    assert [(i["expected"], i["actual"]) for i in rows[R.ISSUES] if i["rule"] == "document_count_mismatch"] == [
        ("4", str(found))]


def test_lake_wide_scan_rules_and_records_linked_by_shared_content():
    scans = [_scan("loose.jpg", "s0", None), _scan("R1.pdf", "s1", "R1"), _scan("R2_01.pdf", "s1", "R2"),
             _scan("R2_02.pdf", "s2", "R2"), _scan("R3.pdf", "s2", "R3"), _scan("R4.pdf", "s4", "R4")]
    assert [(i["rule"], i["entity_id"]) for i in R.scan_issues(scans)] == [
        ("scan_without_manifest", "batches/B1/loose.jpg"), ("content_in_two_records", "s1"),
        ("content_in_two_records", "s2")]
    assert R.linked_records({"R3"}, scans) == {"R1", "R2", "R3"}
    assert R.linked_records({"R4"}, scans) == {"R4"}
    assert R.linked_records(set(), scans) == set()


def test_agency_issues_carry_the_agency():
    rows = R.agency_issues([{"agency_code": "A01", "district_code": "BD", "issues": ["unknown_locality"]},
                            {"agency_code": "A02", "district_code": "BD", "issues": None}])
    assert [(i["rule"], i["entity_id"], i["district_code"]) for i in rows] == [("unknown_locality", "A01", "BD")]


# --- the plan ------------------------------------------------------------------------------------------
TRACKED = ["bronze.ocr_pages", "bronze.landing_files"]
IN = {"bronze.ocr_pages": 5, "bronze.landing_files": 3, "silver.agencies": 1}
OUT = {"silver.records": 9, "silver.qc_issues": 4}


def test_plan_noop_incremental_and_the_reasons_for_a_full_rebuild():
    state = JobState("c1", dict(IN), dict(OUT), "run-1")
    assert plan_run(state, "c1", IN, OUT, TRACKED).mode == "noop"
    inc = plan_run(state, "c1", {**IN, "bronze.ocr_pages": 7}, OUT, TRACKED)
    assert (inc.mode, inc.since) == ("incremental", IN)
    full = {
        "no state recorded": plan_run(None, "c1", IN, OUT, TRACKED),
        "the code or rules changed": plan_run(state, "c2", IN, OUT, TRACKED),
        "an output table changed since the last run": plan_run(state, "c1", IN, {**OUT, "silver.records": 10},
                                                              TRACKED),
        "silver.agencies changed": plan_run(state, "c1", {**IN, "silver.agencies": 2}, OUT, TRACKED),
        "bronze.ocr_pages has no usable recorded version": plan_run(state, "c1", {**IN, "bronze.ocr_pages": 2},
                                                                    OUT, TRACKED),
        "bronze.inventory_records has no usable recorded version": plan_run(
            state, "c1", {**IN, "bronze.inventory_records": 0}, OUT, TRACKED),
    }
    for reason, plan in full.items():
        assert (plan.mode, plan.reason) == ("full", reason)
    missing = plan_run(JobState("c1", dict(IN), {**OUT, "silver.records": -1}), "c1", IN,
                       {**OUT, "silver.records": -1}, TRACKED)
    assert missing.mode == "full"


def test_code_version_follows_every_file_and_the_extra_text(tmp_path):
    pkg = tmp_path / "rules"
    pkg.mkdir()
    (pkg / "a.py").write_text("X = 1\n")
    (pkg / "lexicon.txt").write_text("hồ sơ\n")
    v1 = code_version([pkg], ["silver.records: a int"])
    assert v1 == code_version([pkg], ["silver.records: a int"])
    (pkg / "lexicon.txt").write_text("hồ sơ\nvăn bản\n")
    v2 = code_version([pkg], ["silver.records: a int"])
    assert v2 != v1
    assert code_version([pkg], ["silver.records: a bigint"]) != v2
