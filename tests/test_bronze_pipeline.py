"""End to end on real Spark + Delta + the PostgreSQL metastore + the Spark Thrift Server.

The services are started by the test and stopped at the end; the sample archive is generated into a
throw-away lake root; results are checked against the generator's ground truth.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections import Counter
from pathlib import Path

import pytest

from lake.core import contracts as C
from lake.core.delta import check_table, table_version

pytestmark = [pytest.mark.spark, pytest.mark.services]


def _jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.fixture(scope="module")
def services(lake_env):
    from lake.platform.services import Services

    svc = Services(lake_env)
    svc.up(thrift=True)
    yield svc
    svc.thrift.stop()
    svc.postgres.start()  # the session's Spark keeps using the metastore; the session fixture stops it


@pytest.fixture(scope="module")
def first_run(spark, sample_archive, services, lake_env):
    from jobs import ingest_landing, ingest_reference

    ref = ingest_reference.run(spark, lake_env)
    landing = ingest_landing.run(spark, lake_env)
    return ref, landing


def test_services_listen_on_loopback(services, lake_env):
    statuses = {s.name: s for s in services.status()}
    assert statuses["postgres"].running and statuses["spark-thrift"].running
    assert statuses["spark-thrift"].address == f"127.0.0.1:{lake_env.thrift_port}"
    listening: dict[int, set[str]] = {}
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            if state == "0A":  # LISTEN
                addr, port = local.split(":")
                listening.setdefault(int(port, 16), set()).add(addr)
    loopback = {"0100007F", "0000000000000000FFFF00000100007F", "00000000000000000000000001000000"}
    for port in (lake_env.thrift_port, lake_env.pg_port):
        assert listening.get(port), f"nothing listens on {port}"
        assert listening[port] <= loopback, f"port {port} must listen on loopback only: {listening[port]}"


def test_every_bronze_table_matches_its_contract(spark, first_run):
    for contract in C.BRONZE_TABLES:
        check_table(spark, contract)
    schemas = {r.namespace for r in spark.sql("SHOW DATABASES").collect()}
    assert {"bronze", "silver", "gold"} <= schemas


def test_scans_and_pages_against_ground_truth(spark, first_run, lake_env):
    truth_pages = _jsonl(lake_env.ground_truth_dir / "pages.jsonl")
    bad = {b["file"] for b in _jsonl(lake_env.ground_truth_dir / "bad_inputs.jsonl") if b["kind"] != "duplicate"}
    scans = spark.sql(
        "SELECT source_path, sha256, page_count, batch_id, site_code, scanned_at, operator "
        "FROM bronze.landing_files WHERE file_kind = 'scan'"
    ).collect()
    good_files = {p["file"] for p in truth_pages}
    landed = {r.source_path for r in scans}
    # every good scan file landed (plus the duplicate copy, which is a good file under another name)
    assert good_files <= landed
    assert not (landed & bad)
    # pages: one per distinct content and page; equals the ground truth's pages of distinct files
    truth_by_file = Counter(p["file"] for p in truth_pages)
    sha_of = {r.source_path: r.sha256 for r in scans}
    expected_pages = {}
    for f, n in truth_by_file.items():
        expected_pages[sha_of[f]] = n
    got = {r.sha256: r.n for r in spark.sql(
        "SELECT sha256, count(*) AS n FROM bronze.scan_pages GROUP BY sha256").collect()}
    assert got == expected_pages
    for r in scans:
        assert r.page_count == expected_pages[r.sha256]
        assert r.batch_id and r.site_code and r.scanned_at and r.operator, r.source_path


def test_sha256_and_raw_store_hold_the_original_bytes(spark, first_run, lake_env):
    rows = spark.sql(
        "SELECT f.source_path, c.sha256, c.raw_path, c.size_bytes FROM bronze.landing_files f "
        "JOIN bronze.raw_contents c USING (sha256) LIMIT 50").collect()
    assert rows
    for r in rows:
        original = (lake_env.landing_dir / r.source_path).read_bytes()
        stored = (lake_env.lake_root / r.raw_path).read_bytes()
        assert stored == original
        assert hashlib.sha256(original).hexdigest() == r.sha256
        assert len(original) == r.size_bytes


def test_bad_inputs_are_quarantined_with_reasons(spark, first_run, lake_env):
    bad = _jsonl(lake_env.ground_truth_dir / "bad_inputs.jsonl")
    q = {r.source_path: r for r in spark.sql("SELECT * FROM bronze.quarantine").collect()}
    expected_codes = {"zero_byte": "empty_file", "truncated_jpeg": "truncated_image",
                      "not_an_image": "unknown_format", "encrypted_pdf": "encrypted_pdf"}
    for b in bad:
        kind = b["kind"]
        if kind in expected_codes:
            assert b["file"] in q, f"{b['file']} ({kind}) not quarantined"
            assert q[b["file"]].reason_code == expected_codes[kind]
            assert q[b["file"]].reason
    ingest_q = {p: r for p, r in q.items() if r.stage == "ingest"}
    assert len(ingest_q) == len(expected_codes)
    runs = {r.run_id: r for r in spark.sql("SELECT * FROM ops.pipeline_runs WHERE job = 'ingest_landing'").collect()}
    for r in ingest_q.values():  # recorded by a logged run that counted it (whichever test ingested first)
        assert runs[r.run_id].items_quarantined >= 1


def test_duplicate_bytes_are_one_content_with_two_sightings(spark, first_run, lake_env):
    dup = [b for b in _jsonl(lake_env.ground_truth_dir / "bad_inputs.jsonl") if b["kind"] == "duplicate"]
    assert dup
    path = dup[0]["file"]
    sha = spark.sql(f"SELECT sha256 FROM bronze.landing_files WHERE source_path = '{path}'").first().sha256
    sightings = spark.sql(f"SELECT source_path FROM bronze.landing_files WHERE sha256 = '{sha}'").collect()
    assert len(sightings) == 2
    assert spark.sql(f"SELECT count(*) AS n FROM bronze.raw_contents WHERE sha256 = '{sha}'").first().n == 1


def test_delivered_tables_land_with_source_lines(spark, first_run, lake_env):
    records = _jsonl(lake_env.ground_truth_dir / "records.jsonl")
    inv = spark.sql("SELECT record_code, source_file, source_line FROM bronze.inventory_records").collect()
    assert {r.record_code for r in inv} == {r["record_code"] for r in records}
    assert all(r.source_line >= 2 and r.source_file.startswith("inventories/") for r in inv)
    agencies = _jsonl(lake_env.ground_truth_dir / "agencies.jsonl")
    assert spark.table("bronze.agency_register").count() == len(agencies)
    manifests = spark.table("bronze.batch_manifests").count()
    files_listed = sum(1 for _ in spark.sql("SELECT * FROM bronze.landing_files WHERE file_kind='scan'").collect())
    quarantined_scans = spark.sql("SELECT * FROM bronze.quarantine WHERE source_path LIKE 'batches/%'").count()
    assert manifests == files_listed + quarantined_scans
    assert spark.table("bronze.ref_old_communes").count() == 526
    assert spark.table("bronze.ref_new_communes").count() == 126
    assert spark.table("bronze.ref_commune_conversion").count() == 795


def test_second_run_changes_nothing(spark, first_run, lake_env):
    from jobs import ingest_landing, ingest_reference

    before = {c.full_name: table_version(spark, c) for c in C.BRONZE_TABLES}
    counts = {c.full_name: spark.table(c.full_name).count() for c in C.BRONZE_TABLES}
    ref = ingest_reference.run(spark, lake_env)
    again = ingest_landing.run(spark, lake_env)
    assert again.items_new == 0 and ref.items_new == 0
    assert sum(again.rows_written.values()) == 0
    assert {c.full_name: table_version(spark, c) for c in C.BRONZE_TABLES} == before
    assert {c.full_name: spark.table(c.full_name).count() for c in C.BRONZE_TABLES} == counts
    runs = spark.sql(
        f"SELECT items_new, items_quarantined FROM ops.pipeline_runs WHERE run_id = '{again.run_id}'").collect()
    assert len(runs) == 1 and runs[0].items_new == 0


def test_bronze_is_pipeline_only_over_thrift(spark, first_run, services, lake_env):
    """Bronze is the pipeline's zone: a steward logged in to the shared SQL endpoint from another process cannot
    read it (the endpoint's OS account has no access to bronze's files, whatever the SQL), while the pipeline's
    own Spark reads it."""
    from pyhive.exc import OperationalError

    from lake.platform.directory import ensure_person
    from lake.platform.sql_endpoint import connect

    password = ensure_person(lake_env, "kiemthu", ("steward",), "Kiểm thử").read_text(encoding="utf-8").strip()
    conn = connect(lake_env, "kiemthu", password)
    cur = conn.cursor()
    try:
        for sql in ("SELECT count(*) FROM bronze.scan_pages", "SELECT count(*) FROM bronze.landing_files"):
            with pytest.raises(OperationalError, match=r"DELTA_TABLE_NOT_FOUND|ermission|denied"):
                cur.execute(sql)
                cur.fetchall()
    finally:
        conn.close()
    assert spark.table("bronze.scan_pages").count() > 0


def test_changed_file_under_same_path_is_a_new_version(spark, first_run, lake_env):
    from jobs import ingest_landing

    manifest = sorted((lake_env.landing_dir / "batches").glob("*/manifest.csv"))[0]
    rel = manifest.relative_to(lake_env.landing_dir).as_posix()
    old = spark.sql(f"SELECT sha256, version FROM bronze.landing_files WHERE source_path='{rel}'").collect()
    assert [r.version for r in old] == [1]
    original = manifest.read_bytes()
    try:
        manifest.write_bytes(original.rstrip(b"\n") + b"\n")  # same content, only mtime changes
        os.utime(manifest, ns=(manifest.stat().st_atime_ns, manifest.stat().st_mtime_ns + 10**9))
        touched = ingest_landing.run(spark, lake_env)
        assert touched.items_new == 0  # re-hashed, same bytes: nothing new
        lines = original.decode("utf-8").splitlines()
        manifest.write_text("\n".join([*lines, lines[-1]]) + "\n", encoding="utf-8")  # a re-delivered row
        changed = ingest_landing.run(spark, lake_env)
        assert changed.items_new == 1
        rows = spark.sql(
            f"SELECT sha256, version FROM bronze.landing_files WHERE source_path='{rel}' ORDER BY version").collect()
        assert [r.version for r in rows] == [1, 2]
        assert rows[0].sha256 == old[0].sha256 and rows[1].sha256 != old[0].sha256
        per_version = {r.source_sha256: r.n for r in spark.sql(
            f"SELECT source_sha256, count(*) AS n FROM bronze.batch_manifests WHERE source_file='{rel}' "
            "GROUP BY source_sha256").collect()}
        assert per_version[rows[1].sha256] == per_version[rows[0].sha256] + 1
    finally:
        manifest.write_bytes(original)


def test_services_down_leaves_no_process(lake_env, services, first_run):
    pg_pid, thrift_pid = services.postgres.pid, services.thrift.pid
    assert pg_pid and thrift_pid
    services.down()
    for pid in (pg_pid, thrift_pid):
        assert not Path(f"/proc/{pid}").exists() or "Z" in Path(f"/proc/{pid}/stat").read_text().split()[2]
    assert not any(s.running for s in services.status())
    import subprocess

    for pattern in (f"hive.server2.thrift.port={lake_env.thrift_port}", str(lake_env.pg_data_dir)):
        left = subprocess.run(["pgrep", "-f", pattern], capture_output=True, text=True).stdout.split()
        assert not left, f"stray processes matching {pattern}: {left}"
    services.postgres.start()  # the in-process Spark session still needs its metastore for later tests
