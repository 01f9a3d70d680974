"""`lake.domain.ingest.rows`: an ingest run's results → bronze rows, in plain Python (no Spark)."""

from __future__ import annotations

import datetime as dt

from lake.core import contracts as C
from lake.domain.ingest.rows import bronze_rows, manifest_lookup

NOW = dt.datetime(2025, 10, 1, 9, 0, tzinfo=dt.UTC)
MTIME = 1_759_300_000_000_000_000


def _result(rel, sha, kind, **extra):
    return {"rel_path": rel, "raw_name": rel.encode(), "sha256": sha, "size": 10, "mtime_ns": MTIME, "kind": kind,
            "error": None, "format": "jpeg" if kind == "scan" else "csv", "pages": [], "metadata": {},
            "signatures": [], "rows": [], "raw_path": f"raw/{sha}", "read": True, **extra}


def _page(i):
    return {"page_index": i, "width_px": 100, "height_px": 140}


def test_scans_take_their_record_from_this_runs_manifest_over_the_landed_one():
    manifest = _result("batches/B1/manifest.csv", "m2", "manifest",
                       rows=[{"file_name": "R1_01.jpg", "record_code": "R1", "agency_code": "A01", "dpi": "300.0",
                              "scanned_at": "2025-09-29 08:00:00"}])
    scan = _result("batches/B1/R1_01.jpg", "s1", "scan", pages=[_page(0)], metadata={"Artist": "Lan"})
    copy = _result("batches/B1/R1_01 - Copy.jpg", "s1", "scan", pages=[_page(0)])
    landed = [{"batch_id": None, "source_file": "batches/B1/manifest.csv", "file_name": "R1_01.jpg",
               "record_code": "OLD"}]
    lookup = manifest_lookup(landed, [manifest, scan])
    rows = bronze_rows([scan, manifest, copy], lookup, {"batches/B1/R1_01.jpg": 2}, "run-9", NOW)
    assert sorted(c["sha256"] for c in rows.contents) == ["m2", "s1"]  # one row per content
    assert [(p["page_id"], p["ingest_run_id"]) for p in rows.pages] == [("s1:0", "run-9")]
    sightings = {s["source_path"]: s for s in rows.sightings}
    s = sightings["batches/B1/R1_01.jpg"]
    assert (s["version"], s["record_code"], s["declared_dpi"], s["operator"], s["batch_id"]) == (3, "R1", 300,
                                                                                                  "Lan", "B1")
    assert s["scanned_at"] is not None and sightings["batches/B1/R1_01 - Copy.jpg"]["version"] == 1
    assert rows.tabular["manifest"][0]["source_sha256"] == "m2"
    for contract, table in ((C.LANDING_FILES, rows.sightings), (C.SCAN_PAGES, rows.pages),
                            (C.RAW_CONTENTS, rows.contents)):
        for row in table:
            assert set(row) <= set(contract.column_names), contract.full_name


def test_a_refused_file_goes_to_quarantine_only():
    bad = _result("batches/B1/x.exe", "s9", "scan", error=("not_a_scan", "an exe among the scans"))
    rows = bronze_rows([bad], {}, {}, "run-9", NOW)
    assert not rows.contents and not rows.sightings
    q = rows.quarantine[0]
    assert (q["stage"], q["reason_code"], q["source_path"], q["run_id"]) == ("ingest", "not_a_scan",
                                                                             "batches/B1/x.exe", "run-9")
    assert set(q) <= set(C.QUARANTINE.column_names)
