"""Gold end to end: ingest → OCR → silver on the 40-page sample, then `dbt seed` + `dbt build` (every model and
every test) + `dbt docs generate` against real Spark, and the progress facts checked against figures computed
here by hand from bronze/silver.

dbt runs with its `session` target, as the pipeline does: the shared Thrift endpoint is read-only for every
account (lake.platform.sql_endpoint). dbt runs in a child process (lake.apps.transform.run_dbt) with its own Spark JVM
on the shared SPARK_CONF_DIR, beside the test process's SparkSession; the Thrift server of the test lake (its own
ports, LAKEHOUSE_TEST_PORT_OFFSET) stays up for the Superset and notebook tests.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from pathlib import Path

import pytest

from lake.domain import plan

pytestmark = [pytest.mark.spark]
STAGES = ("handed_over", "arranged", "scanned", "recognised", "qc_passed", "loaded")
START = dt.date(2025, 6, 5)


def _target(lake_env) -> Path:
    return lake_env.lake_root / "dbt" / "target"


def _rows(spark, sql: str) -> list[dict]:
    return [r.asDict() for r in spark.sql(sql).collect()]


def test_dbt_build_passes_with_all_tests(gold, lake_env):
    assert gold.target == "session"
    assert [s.args[0] for s in gold.steps] == ["seed", "build", "docs"], gold.summary()
    assert gold.ok, "\n".join(s.output[-4000:] for s in gold.steps if not s.ok)
    results = json.loads((_target(lake_env) / "run_results.json").read_text())["results"]
    # run_results.json is the last command's (docs generate); the build's statuses are in the step output
    build = gold.steps[1].output
    assert "ERROR=0" in build and "WARN=0" in build
    for singular in ("assert_pages_reconcile_with_bronze", "assert_cumulative_progress_never_decreases",
                     "assert_every_planned_locality_present", "assert_document_has_one_record_and_agency",
                     "assert_no_restricted_data_in_marts"):
        assert f"PASS {singular}" in build, singular
    assert results is not None


def test_docs_generated(gold, lake_env):
    catalog = json.loads((_target(lake_env) / "catalog.json").read_text())
    manifest = json.loads((_target(lake_env) / "manifest.json").read_text())
    nodes = {n["name"]: n for n in manifest["nodes"].values() if n["resource_type"] == "model"}
    assert "model.lakehouse.fct_digitization_progress" in catalog["nodes"]
    assert nodes["fct_pages"]["config"]["incremental_strategy"] == "merge"
    assert nodes["fct_pages"]["config"]["file_format"] == "delta"
    assert nodes["dim_locality"]["schema"] == "gold"


def test_marts_are_delta_in_gold(gold, spark):
    spark.catalog.refreshTable("gold.fct_pages")
    tables = {t.name for t in spark.catalog.listTables("gold")}
    for name in ("dim_locality", "dim_agency", "dim_document_type", "dim_date", "dim_retention", "fct_documents",
                 "fct_records", "fct_pages", "fct_page_texts", "fct_digitization_plan", "fct_digitization_progress",
                 "fct_deadline_status", "official_targets"):
        assert name in tables
        detail = spark.sql(f"DESCRIBE DETAIL gold.{name}").collect()[0]
        assert detail.format == "delta", name
    assert not [d for d in spark.catalog.listDatabases() if d.name == "gold_gold"]


def test_marts_have_exactly_their_gold_contracts_columns(gold, spark):
    """Every gold contract is a built mart with exactly the contract's columns and types, in order
    (lake/core/contracts/gold.yml, from which the marts' YAML is generated)."""
    from lake.core import contracts as C
    from lake.core.delta import check_table

    for contract in C.tables("gold"):
        spark.catalog.refreshTable(contract.full_name)
        check_table(spark, contract)


def test_every_seeded_document_type_keeps_its_key(gold, spark):
    # a Công văn has no abbreviation: its key is 'none' and its abbreviation NULL, not the text 'None' that
    # dbt-spark's session target writes for an empty seed cell (fct_documents' 'none' must find its dimension row)
    keys = {r.type_key: r.type_abbr for r in spark.table("gold.dim_document_type").collect()}
    assert keys["none"] is None
    assert "None" not in keys and "None" not in keys.values()


def test_pages_reconcile(gold, spark):
    n_fact = spark.sql("SELECT count(*) FROM gold.fct_pages").collect()[0][0]
    n_silver = spark.sql("SELECT count(DISTINCT page_id) FROM silver.document_pages").collect()[0][0]
    n_bronze = spark.sql("""SELECT count(DISTINCT p.page_id) FROM bronze.scan_pages p
                            JOIN bronze.landing_files f ON f.sha256 = p.sha256 AND f.file_kind = 'scan'
                            JOIN silver.records r ON r.record_code = f.record_code""").collect()[0][0]
    assert n_fact == n_silver == n_bronze > 0


def _hand_events(spark) -> dict:
    """{(district, level, block, priority, stage, day): [records, pages]} computed from bronze/silver directly."""
    recs = {r["record_code"]: r for r in _rows(spark, """
        SELECT r.record_code, r.agency_code, r.district_code, coalesce(a.level, 'unknown') AS level,
               coalesce(a.block, 'unknown') AS block, coalesce(r.priority_group, 0) AS prio,
               coalesce(r.page_count_inventory, r.page_count_scanned) AS inv_pages, r.arranged_on
        FROM silver.records r LEFT JOIN silver.agencies a USING (agency_code)""")}
    from lake.domain.silver.inventory import parse_date

    handover: dict[str, dt.date] = {}
    for h in _rows(spark, "SELECT agency_code, handover_date FROM bronze.handover_reports"):
        d = parse_date(h["handover_date"])
        code = h["agency_code"].strip()
        if d and (code not in handover or d < handover[code]):
            handover[code] = d
    # page → (record, day per stage); dates taken in the session time zone by Spark
    files = _rows(spark, """SELECT source_path, sha256, batch_id, record_code, cast(scanned_at AS date) AS day
                            FROM bronze.landing_files WHERE file_kind = 'scan'""")
    qc = defaultdict(list)
    for q in _rows(spark, """SELECT batch_id, file_name, cast(cast(checked_at AS timestamp) AS date) AS day
                             FROM bronze.qc_logs WHERE lower(trim(result)) = 'dat'"""):
        qc[(q["batch_id"], q["file_name"])].append(q["day"])
    pages: dict[str, dict] = {}
    for p in _rows(spark, "SELECT page_id, sha256 FROM bronze.scan_pages"):
        fs = [f for f in files if f["sha256"] == p["sha256"]]
        if not fs:
            continue
        qc_days = [d for f in fs for d in qc.get((f["batch_id"], f["source_path"].rsplit("/", 1)[-1]), [])]
        pages[p["page_id"]] = {"record": min(f["record_code"] for f in fs if f["record_code"]) if any(
            f["record_code"] for f in fs) else None, "scanned": min(f["day"] for f in fs),
            "qc_passed": min(qc_days) if qc_days else None}
    for o in _rows(spark, "SELECT page_id, cast(recognised_at AS date) AS day FROM bronze.ocr_pages"):
        if o["page_id"] in pages:
            pages[o["page_id"]]["recognised"] = o["day"]
    for d in _rows(spark, "SELECT page_id, record_code, cast(updated_at AS date) AS day FROM silver.document_pages"):
        pages[d["page_id"]]["loaded"] = d["day"]
        pages[d["page_id"]]["record"] = d["record_code"]

    events: dict = defaultdict(lambda: [0, 0])

    def add(rec, stage, day, records, n_pages):
        key = (rec["district_code"], rec["level"], rec["block"], rec["prio"], stage, max(day, START))
        events[key][0] += records
        events[key][1] += n_pages

    by_record = defaultdict(list)
    for p in pages.values():
        if p["record"] in recs:
            by_record[p["record"]].append(p)
            for stage in ("scanned", "recognised", "qc_passed", "loaded"):
                if p.get(stage):
                    add(recs[p["record"]], stage, p[stage], 0, 1)
    for code, rec in recs.items():
        if rec["agency_code"] in handover:
            add(rec, "handed_over", handover[rec["agency_code"]], 1, rec["inv_pages"] or 0)
        if rec["arranged_on"]:
            add(rec, "arranged", rec["arranged_on"], 1, rec["inv_pages"] or 0)
        ps = by_record.get(code, [])
        for stage in ("scanned", "recognised", "qc_passed", "loaded"):
            if ps and all(p.get(stage) for p in ps):
                add(rec, stage, max(p[stage] for p in ps), 1, 0)
    return dict(events)


def _hand_plan(spark) -> dict:
    """{(district, level, block, priority): [records, pages]} by the rule of int_plan__handover, from bronze/silver."""
    files: dict[str, float] = defaultdict(float)
    metres: dict[str, float] = defaultdict(float)
    for h in _rows(spark, "SELECT agency_code, file_count, box_count, shelf_metres FROM bronze.handover_reports"):
        def num(v):
            try:
                return float(str(v).strip().replace(",", "."))
            except (TypeError, ValueError):
                return None
        code = (h["agency_code"] or "").strip()
        if not code:
            continue
        fc, bc, sm = num(h["file_count"]), num(h["box_count"]), num(h["shelf_metres"])
        fc = int(fc) if fc is not None else None
        bc = int(bc) if bc is not None else None
        files[code] += fc if fc is not None else bc * 8 if bc is not None else sm * 80 if sm is not None else 0
        metres[code] += sm or 0
    listed: dict = defaultdict(lambda: [0, 0, 0])  # (agency, priority) -> records, with pages, pages
    for r in _rows(spark, """SELECT agency_code, coalesce(priority_group, 0) AS prio,
                                    coalesce(page_count_inventory, page_count_scanned) AS pages FROM silver.records"""):
        v = listed[(r["agency_code"], r["prio"])]
        v[0] += 1
        v[1] += r["pages"] is not None
        v[2] += r["pages"] or 0
    agency = {a["agency_code"]: a
              for a in _rows(spark, "SELECT agency_code, district_code, level, block FROM silver.agencies")}
    by_agency = defaultdict(lambda: [0, 0, 0])
    for (code, _), v in listed.items():
        by_agency[code] = [x + y for x, y in zip(by_agency[code], v, strict=True)]
    known = sum(v[1] for v in by_agency.values())
    programme_mean = sum(v[2] for v in by_agency.values()) / known if known else None
    plan: dict = defaultdict(lambda: [0, 0])
    for code in set(files) | set(by_agency):
        n, with_pages, pages = by_agency.get(code, [0, 0, 0])
        handed = round(files[code]) if code in files else 0
        ppf = (pages / with_pages if with_pages else metres[code] * 8000 / handed if metres[code] and handed
               else programme_mean if programme_mean is not None else 100)
        groups = {prio: v for (c, prio), v in listed.items() if c == code}
        unlisted = max(handed - n, 0)
        if unlisted and 3 not in groups:
            groups[3] = [0, 0, 0]
        a = agency.get(code, {})
        for prio, (g_n, g_with, g_pages) in groups.items():
            extra = unlisted if prio == 3 else 0
            key = (a.get("district_code") or "unknown", a.get("level") or "unknown", a.get("block") or "unknown", prio)
            plan[key][0] += g_n + extra
            plan[key][1] += round(g_pages + (g_n - g_with + extra) * ppf)
    return dict(plan)


def test_page_texts_are_the_corrected_text_with_the_raw_beside(gold, spark):
    """Search reads gold.fct_page_texts: its text is the post-OCR corrected one, the raw OCR text kept beside."""
    import re

    def fold_ws(s):
        return re.sub(r"\s+", " ", s or "").strip()

    bronze = {(r["page_id"], r["config_id"]): r for r in _rows(
        spark, "SELECT page_id, config_id, text, corrected_text FROM bronze.ocr_pages")}
    rows = _rows(spark, "SELECT t.page_id, p.ocr_config_id AS config_id, t.recognised_text, t.raw_text, t.is_corrected "
                        "FROM gold.fct_page_texts t JOIN gold.fct_pages p ON p.page_id = t.page_id")
    assert rows
    differs = 0
    for r in rows:
        b = bronze[(r["page_id"], r["config_id"])]
        assert r["raw_text"] == fold_ws(b["text"]), r["page_id"]
        assert r["is_corrected"] == (b["corrected_text"] is not None)
        assert r["recognised_text"] == fold_ws(b["corrected_text"] if b["corrected_text"] is not None else b["text"])
        differs += r["recognised_text"] != r["raw_text"]
    assert differs, "the correction changed no page of the sample: the mart may still read the raw text"


def test_plan_comes_from_the_handover(gold, spark):
    """fct_digitization_plan equals the rule applied by hand to the sample's handover reports and inventories
    (the sample's reports count exactly the files its inventories list, so the plan is its archive)."""
    spark.catalog.refreshTable("gold.fct_digitization_plan")
    got = {(r["district_code"], r["agency_level"], r["block"], r["priority_group"]): [r["expected_records"],
           r["expected_pages"]] for r in _rows(spark, "SELECT * FROM gold.fct_digitization_plan")}
    expected = _hand_plan(spark)
    assert got == expected
    n_records = spark.sql("SELECT count(*) FROM silver.records").collect()[0][0]
    assert sum(v[0] for v in got.values()) >= n_records > 0
    sources = {r["plan_source"] for r in _rows(spark, "SELECT plan_source FROM gold.fct_digitization_plan")}
    assert sources == {"handover"}


def test_progress_matches_hand_computed_figures(gold, spark, lake_env):
    spark.catalog.refreshTable("gold.fct_digitization_progress")
    today = spark.sql("SELECT current_date()").collect()[0][0]
    expected = _hand_events(spark)
    assert {k[4] for k in expected} == set(STAGES), "the sample should reach every stage"
    got_rows = _rows(spark, """SELECT * FROM gold.fct_digitization_progress
                               WHERE actual_records_day > 0 OR actual_pages_day > 0""")
    got = {(r["district_code"], r["agency_level"], r["block"], r["priority_group"], r["stage"], r["date_day"]):
           [r["actual_records_day"], r["actual_pages_day"]] for r in got_rows}
    assert got == expected
    # the days: those with events, the first day, the as-of day (today) and the deadlines; no dense grid
    deadlines = {(d["stage"], d["level"], d["priority_group"]): dt.date.fromisoformat(d["deadline"])
                 for d in plan.deadline_rows()}
    days = {r["date_day"] for r in _rows(spark, "SELECT DISTINCT date_day FROM gold.fct_digitization_progress")}
    assert days == {k[5] for k in expected} | {START, today} | {d for d in deadlines.values() if d >= START}
    # cumulative, plan, share, deadline and on-track on the as-of day, by the documented formulas
    plan_by_key = _hand_plan(spark)
    final = _rows(spark, f"SELECT * FROM gold.fct_digitization_progress WHERE date_day = DATE'{today}'")
    assert len(final) == len(set(plan_by_key) | {k[:4] for k in expected}) * len(STAGES)
    checked = 0
    for r in final:
        key = (r["district_code"], r["agency_level"], r["block"], r["priority_group"])
        ev = [(k[5], v) for k, v in expected.items() if k[:4] == key and k[4] == r["stage"]]
        assert r["actual_records_cum"] == sum(v[0] for _, v in ev)
        assert r["actual_pages_cum"] == sum(v[1] for _, v in ev)
        p = plan_by_key.get(key)
        assert r["planned_pages"] == (p[1] if p else 0)
        if p is None or (r["stage"], r["agency_level"], r["priority_group"]) not in deadlines:
            continue
        deadline = deadlines[(r["stage"], r["agency_level"], r["priority_group"])]
        assert r["deadline"] == deadline and r["days_to_deadline"] == (deadline - today).days
        if p[1]:
            assert r["share_complete_pages"] == pytest.approx(r["actual_pages_cum"] / p[1])
        last14 = sum(v[1] for d, v in ev if (today - d).days < 14)
        assert r["pages_last_14_days"] == last14
        left = (deadline - today).days
        done = r["actual_pages_cum"]
        on_track = p[1] == 0 or done >= p[1] or (left >= 0 and done + last14 / 14 * left >= p[1])
        assert r["is_on_track"] == on_track
        checked += 1
    assert checked > 0


def test_deadline_status_and_at_risk_list(gold, spark):
    """fct_deadline_status on the sample, today: each row's status by the written rule from the progress
    figures; the 2026 phase (priority 3, 31 Dec 2026) is the next deadline of group 3 at both levels."""
    spark.catalog.refreshTable("gold.fct_deadline_status")
    today = spark.sql("SELECT current_date()").collect()[0][0]
    rows = _rows(spark, "SELECT * FROM gold.fct_deadline_status")
    assert rows and {r["as_of_date"] for r in rows} == {today}
    progress = defaultdict(lambda: [0, 0, 0, 0])
    for r in _rows(spark, f"""SELECT district_code, agency_level, priority_group, stage, planned_pages,
                                     actual_pages_cum, planned_records, actual_records_cum, pages_last_14_days
                              FROM gold.fct_digitization_progress
                              WHERE date_day = DATE'{today}' AND priority_group > 0 AND deadline IS NOT NULL"""):
        v = progress[(r["district_code"], r["agency_level"], r["priority_group"], r["stage"])]
        v[0] += r["planned_pages"] - r["actual_pages_cum"]
        v[1] += r["planned_records"] - r["actual_records_cum"]
        v[2] += r["pages_last_14_days"]
    for r in rows:
        left_pages, left_records, last14, _ = progress[(r["district_code"], r["agency_level"], r["priority_group"],
                                                       r["stage"])]
        days = (r["deadline"] - today).days
        assert r["days_to_deadline"] == days and r["days_overdue"] == max(-days, 0)
        assert r["remaining_pages"] == max(left_pages, 0)
        if left_pages <= 0 and left_records <= 0:
            status = "done"
        elif days < 0:
            status = "overdue"
        elif last14 / 14 * days < max(left_pages, 0):
            status = "at_risk"
        else:
            status = "on_track"
        assert r["status"] == status, r
    nxt = {(r["agency_level"], r["priority_group"]): (r["stage"], r["deadline"])
           for r in rows if r["is_next_deadline"]}
    for level in ("district", "commune"):
        if (level, 3) in nxt and today <= dt.date(2026, 12, 31):
            assert nxt[(level, 3)] == ("loaded", dt.date(2026, 12, 31))
        for prio in (1, 2):
            if (level, prio) in nxt:
                assert nxt[(level, prio)][0] == "loaded" and nxt[(level, prio)][1] < today


def test_incremental_rerun_keeps_facts(gold, spark, lake_env):
    from lake.apps.transform import run_dbt

    def creates(t: str) -> int:
        ops = [r.operation for r in spark.sql(f"DESCRIBE HISTORY gold.{t}").collect()]
        return ops.count("CREATE OR REPLACE TABLE AS SELECT") + ops.count("CREATE TABLE AS SELECT")

    before = {t: spark.sql(f"SELECT count(*) FROM gold.{t}").collect()[0][0] for t in ("fct_pages", "fct_documents")}
    created = {t: creates(t) for t in before}
    step = run_dbt(["run", "--select", "fct_pages", "fct_documents", "--target", "session"], lake_env, "session",
                   echo=False)
    assert step.ok, step.output[-3000:]
    for t, n in before.items():
        spark.catalog.refreshTable(f"gold.{t}")
        assert spark.sql(f"SELECT count(*) FROM gold.{t}").collect()[0][0] == n
        # the second run merged (or found nothing new); it did not rebuild the table
        assert creates(t) == created[t] >= 1, t
        compiled = (_target(lake_env) / "run" / "lakehouse" / "models" / "marts" / f"{t}.sql").read_text()
        assert "merge into" in compiled.lower(), t


def test_session_target_builds_without_thrift(gold, spark, lake_env):
    """The `session` target: dbt starts its own Spark JVM (a child process, on the shared metastore and
    warehouse) instead of going through the Thrift endpoint."""
    from lake.apps.transform import run_dbt

    def versions() -> int:
        return len(spark.sql("DESCRIBE HISTORY gold.dim_retention").collect())

    before = versions()
    step = run_dbt(["run", "--select", "dim_retention", "--target", "session"], lake_env, "session", echo=False)
    assert step.ok, step.output[-3000:]
    assert "Completed successfully" in step.output
    spark.catalog.refreshTable("gold.dim_retention")
    assert versions() == before + 1
    assert spark.sql("SELECT count(*) FROM gold.dim_retention").collect()[0][0] > 0


def test_source_freshness_runs_on_the_contract_timestamps(gold, lake_env):
    """`dbt source freshness` over the generated sources: every source with a loaded_at_field is checked, and
    the tables the pipeline has just written are fresh (a broken loaded_at_field would error here)."""
    from lake.apps.transform import run_dbt

    step = run_dbt(["source", "freshness", "--target", "session"], lake_env, "session", echo=False)
    sources = json.loads((_target(lake_env) / "sources.json").read_text())["results"]
    by_table = {r["unique_id"].split(".", 2)[2]: r for r in sources}
    errors = {t: r.get("message") or r["status"] for t, r in by_table.items()
              if r["status"] in ("error", "runtime error")}
    assert not errors, errors
    assert step.ok, step.output[-3000:]
    # the sources the pipeline filled in this session are within warn_after
    for table in ("silver.records", "silver.documents", "bronze.scan_pages", "bronze.ocr_pages"):
        assert by_table[table]["status"] == "pass", (table, by_table[table])
        assert by_table[table]["max_loaded_at_time_ago_in_s"] < 24 * 3600
