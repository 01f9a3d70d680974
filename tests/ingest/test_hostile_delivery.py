"""A hostile delivery on real Spark: links to secrets, vanishing and oddly named files, a 2,000-page blank PDF,
an XLSX bomb, legacy encodings, signed and locked PDFs, a 144 Mpx page. Ingest and OCR run twice.

The hostile zone has its own lake root and its own schemas (`bronze_hostile`, `ops_hostile`, ...) in the
session's metastore, so its 2,000 blank pages never reach the sample pipeline the other tests share; no
service is started for it.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import os
import secrets
import shutil
import tempfile
from pathlib import Path

import pytest
from PIL import Image

from lake.core import contracts as C
from lake.core.contracts import TableContract

from .pdfs import blank_pdf, password_pdf, permission_flagged_pdf, signed_pdf

pytestmark = [pytest.mark.spark, pytest.mark.ocr]

SUFFIX = "_hostile"
# Peak memory of an OCR task (its Python worker), whatever the page count of the file it reads. One A4 page at
# 300 dpi peaks at ~800 MB inside the engine's preparation and recovery passes (measured alone), and stays
# there page after page; before, access-copy images were kept per page (~37 MB each: 70 GB for 2,000 pages).
PEAK_RSS_BOUND_MB = 1000
OCR_PAGES_PER_RUN = 4
NS = 123_456_789  # a nanosecond fraction on every mtime, as cp -a / rsync -t leave them


def _jpeg(shade: int = 250) -> bytes:
    buf = io.BytesIO()
    Image.new("L", (850, 1100), shade).save(buf, "JPEG", dpi=(100, 100))
    return buf.getvalue()


def _csv(header: list[str], rows: list[list[str]]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(header)
    w.writerows(rows)
    return buf.getvalue()


def _xlsx_bomb(rows: int) -> bytes:
    import openpyxl

    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("Sheet1")
    ws.append(["STT", "Ghi chú"])  # not an inventory header: quarantined after a full read
    for i in range(rows):
        ws.append([i, "x"])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _deliver(root: Path, outside: Path, secret: bytes, tmp: Path) -> dict[str, str | None]:
    """Fill `root/landing`; return {readable path: expected quarantine reason, or None when it lands}."""
    landing = root / "landing"
    h1 = landing / "batches" / "H1"
    h1.mkdir(parents=True)
    expect: dict[str, str | None] = {}

    def put(rel: str, data: bytes, reason: str | None) -> None:
        p = landing / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(data)
        expect[rel] = reason

    put("batches/H1/0001.jpg", _jpeg(), None)
    put("batches/H1/blank_2000.pdf", blank_pdf(2000), None)
    put("batches/H1/sao_y.pdf", signed_pdf(tmp, permission_flagged_pdf(6)), None)
    put("batches/H1/locked.pdf", password_pdf(), "encrypted_pdf")
    put("batches/H1/empty.jpg", b"", "empty_file")
    put("batches/H1/cut.jpg", _jpeg(120)[:900], "truncated_image")
    put("batches/H1/notes.jpg", secret, "unknown_format")
    big = io.BytesIO()
    Image.new("1", (12000, 12000), 1).save(big, "PNG")  # 144 Mpx: over the one pixel limit, ingest and OCR
    put("batches/H1/a2_600dpi.png", big.getvalue(), "image_too_large")
    put("batches/H1/.hidden.jpg", _jpeg(), "hidden_file")
    put("batches/H1/.rsync-tmp/0002.jpg", _jpeg(), "hidden_file")
    (h1 / "new\nline.jpg").write_bytes(_jpeg())
    expect["batches/H1/new\\x0aline.jpg"] = "odd_name"
    (h1 / os.fsdecode(b"trang-\xe9.jpg")).write_bytes(_jpeg())
    expect["batches/H1/trang-\\xe9.jpg"] = "odd_name"
    (h1 / "passwd.jpg").symlink_to("/etc/passwd")
    expect["batches/H1/passwd.jpg"] = "symlink"
    (h1 / "secret.tif").symlink_to(outside / "postgres_password")
    expect["batches/H1/secret.tif"] = "symlink"
    (h1 / "dangling.jpg").symlink_to(root / "gone.jpg")
    expect["batches/H1/dangling.jpg"] = "symlink"
    (landing / "batches" / "H2").symlink_to(outside, target_is_directory=True)
    expect["batches/H2"] = "symlink"
    os.mkfifo(h1 / "pipe.jpg")
    expect["batches/H1/pipe.jpg"] = "not_a_regular_file"
    names = ["0001.jpg", "blank_2000.pdf", "sao_y.pdf"]
    manifest = [[c.source for c in C.BATCH_MANIFESTS.columns if c.source]]
    for n in names:
        manifest.append(["H1", "S.HCM", "Điểm TP.HCM", "", "HCM.UBND.Q1", "HCM.Q1.R1", n, n.rsplit(".")[-1], "",
                         "200", "scanner", "2025-09-03T08:00:00+07:00", "Lê Hoa"])
    put("batches/H1/manifest.csv", _csv(manifest[0], manifest[1:]).encode("utf-16"), None)  # UTF-16 decodes
    qc = _csv(["batch_id", "file_name", "checked_at", "inspector", "result", "note"],
              [["H1", "0001.jpg", "2025-09-03", "Nguyễn Hằng", "dat", "Hà Nội"]])
    from tests.ingest.test_tabular import _cp1258

    put("batches/H1/qc_log.csv", _cp1258(qc), None)  # Windows-1258 decodes
    reg = [c.source for c in C.AGENCY_REGISTER.columns if c.source]
    put("registry/co_quan.csv", _csv(reg, [["X"] * len(reg)]).encode("utf-8") .replace(b"X", b"H\xb5 N\xe9i"),
        "bad_encoding")  # TCVN3
    put("inventories/HCM.UBND.Q1/muc_luc_ho_so.xlsx", _xlsx_bomb(5_000), "missing_columns")
    put("stray.jpg", _jpeg(), "unexpected_location")
    for dirpath, dirnames, filenames in os.walk(landing):
        for n in dirnames + filenames:
            p = Path(dirpath) / n
            if not p.is_symlink():
                st = p.stat()
                os.utime(p, ns=(st.st_atime_ns, st.st_mtime_ns // 1_000_000_000 * 1_000_000_000 + NS))
    return expect


@pytest.fixture(scope="module")
def hostile(spark, lake_env):
    """Run ingest + OCR twice over the hostile zone under `<layer>_hostile` schemas; yield what they did."""
    from jobs import ingest_landing, ocr_pages

    root = Path(tempfile.mkdtemp(prefix="lakehouse-hostile-", dir=os.environ.get("LAKEHOUSE_TEST_TMP", "/tmp")))
    outside = root / "secrets"
    outside.mkdir()
    secret = secrets.token_hex(24).encode()
    (outside / "postgres_password").write_bytes(secret)
    tmp = root / "tmp-keys"
    tmp.mkdir()
    expect = _deliver(root, outside, secret, tmp)
    shutil.rmtree(tmp)
    settings = dataclasses.replace(lake_env, lake_root=root)
    mp = pytest.MonkeyPatch()
    mp.setattr(TableContract, "full_name", property(lambda self: f"{self.layer}{SUFFIX}.{self.name}"))
    mp.setenv("LAKEHOUSE_ROOT", str(root))  # tables ensured without explicit settings (the run log) go here too
    for layer in C.LAYERS:
        spark.sql(f"CREATE DATABASE IF NOT EXISTS {layer}{SUFFIX} LOCATION '{settings.warehouse_dir / layer}'")
    try:
        runs = {"ingest": [ingest_landing.run(spark, settings), ingest_landing.run(spark, settings)],
                "ocr": [ocr_pages.run(spark, settings, limit_pages=OCR_PAGES_PER_RUN),
                        ocr_pages.run(spark, settings, limit_pages=OCR_PAGES_PER_RUN)]}
        for run in (*runs["ingest"], *runs["ocr"]):
            print(run.summary(), "|", run.message)
        tables = {c.name: [r.asDict() for r in spark.table(c.full_name).collect()]
                  for c in (C.LANDING_FILES, C.QUARANTINE, C.PDF_SIGNATURES, C.OCR_PAGES, C.PIPELINE_RUNS,
                            C.BATCH_MANIFESTS, C.QC_LOGS, C.SCAN_PAGES)}
        yield {"root": root, "secret": secret, "expect": expect, "runs": runs, "tables": tables}
    finally:
        for layer in C.LAYERS:
            spark.sql(f"DROP DATABASE IF EXISTS {layer}{SUFFIX} CASCADE")
        mp.undo()
        shutil.rmtree(root, ignore_errors=True)


def test_every_delivered_file_is_accounted_for_with_the_right_reason(hostile):
    landed = [r["source_path"] for r in hostile["tables"]["landing_files"]]
    quarantined = {r["source_path"]: r["reason_code"] for r in hostile["tables"]["quarantine"]
                   if r["stage"] == "ingest"}
    assert len(landed) == len(set(landed)) and not set(landed) & set(quarantined)
    got = {**dict.fromkeys(landed), **quarantined}
    assert got == hostile["expect"]
    for r in hostile["tables"]["quarantine"]:
        assert r["reason"] and "0x" not in r["reason"] and "object at" not in r["reason"]
        assert r["modified_at"] is not None and r["source_path_bytes"] is not None
    odd = next(r for r in hostile["tables"]["quarantine"] if r["source_path"] == "batches/H1/trang-\\xe9.jpg")
    assert bytes(odd["source_path_bytes"]) == b"batches/H1/trang-\xe9.jpg"  # the name's bytes, losslessly
    assert [r["reason_code"] for r in hostile["tables"]["quarantine"] if r["source_path"] == "batches/H2"] == \
        ["symlink"]


def test_nothing_outside_the_landing_zone_is_read(hostile):
    secret, root = hostile["secret"], hostile["root"]
    passwd = Path("/etc/passwd").read_bytes()
    stored = [p.read_bytes() for p in (root / "raw").rglob("*") if p.is_file()]
    assert passwd not in stored
    assert stored.count(secret) == 1  # notes.jpg: the delivered file itself, never the linked secrets file
    for r in hostile["tables"]["quarantine"]:
        assert secret.decode() not in r["reason"] and "root:" not in r["reason"]
        if r["reason_code"] == "symlink":
            assert r["sha256"] == "" and r["raw_path"] is None


def test_the_second_run_reads_and_hashes_no_file(hostile):
    first, second = hostile["runs"]["ingest"]
    assert first.message.startswith(f"{first.items_seen - 9} files read and hashed")  # 9 refused unread
    assert second.message.startswith("0 files read and hashed")
    assert second.items_new == 0 and second.items_quarantined == 0 and second.items_skipped == second.items_seen
    assert not second.rows_written


def test_legacy_encodings_and_pdfs_land_as_they_should(hostile):
    t = hostile["tables"]
    assert {r["file_name"] for r in t["batch_manifests"]} == {"0001.jpg", "blank_2000.pdf", "sao_y.pdf"}
    assert {r["agency_code"] for r in t["batch_manifests"]} == {"HCM.UBND.Q1"}  # an agency from another city
    assert [r["note"] for r in t["qc_logs"]] == ["Hà Nội"] and [r["inspector"] for r in t["qc_logs"]] == ["Nguyễn Hằng"]
    reason = next(r["reason"] for r in t["quarantine"] if r["source_path"] == "registry/co_quan.csv")
    assert "TCVN3" in reason
    (sig,) = t["pdf_signatures"]
    assert "UBND Thành phố Hà Nội" in sig["signer"] and sig["intact"] and sig["covers_file"]
    pages = {}
    for p in t["scan_pages"]:
        pages[p["sha256"]] = pages.get(p["sha256"], 0) + 1
    assert sorted(pages.values()) == [1, 6, 2000]
    files = {r["source_path"]: r for r in t["landing_files"]}
    assert files["batches/H1/sao_y.pdf"]["record_code"] == "HCM.Q1.R1"
    assert files["batches/H1/sao_y.pdf"]["file_metadata"]["pdf_security"].startswith("permission flags only")
    assert files["batches/H1/0001.jpg"]["declared_dpi"] == 200


def test_ocr_reads_only_the_asked_pages_within_a_memory_bound_and_flags_blank_pages(hostile):
    ocr = hostile["tables"]["ocr_pages"]
    first, second = hostile["runs"]["ocr"]
    assert first.items_new == second.items_new == OCR_PAGES_PER_RUN
    assert len(ocr) == 2 * OCR_PAGES_PER_RUN
    blank = sorted(r["page_index"] for r in ocr if r["char_count"] == 0 and r["width_px"] > 2000)
    assert blank == list(range(2 * OCR_PAGES_PER_RUN - 1))  # pages 0..14 of the 2,000-page PDF, nothing else
    for r in ocr:
        if r["page_index"] in blank:
            assert r["quality_class"] == "suspect" and "blank" in r["quality_reasons"]
    jpeg = next(r for r in ocr if r["width_px"] == 850)
    assert jpeg["effective_dpi"] == pytest.approx(200, rel=0.01)  # the manifest dpi, not the file's 100
    for run in (first, second):
        peak = float(run.message.split("peak worker RSS ")[1].split(" MB")[0])
        assert 0 < peak < PEAK_RSS_BOUND_MB, run.message


def test_the_run_log_shows_both_runs(hostile):
    log = hostile["tables"]["pipeline_runs"]
    ingest = sorted((r for r in log if r["job"] == "ingest_landing"), key=lambda r: r["started_at"])
    ocr = sorted((r for r in log if r["job"] == "ocr_pages"), key=lambda r: r["started_at"])
    assert [r["run_id"] for r in ingest] == [r.run_id for r in hostile["runs"]["ingest"]]
    assert [r["run_id"] for r in ocr] == [r.run_id for r in hostile["runs"]["ocr"]]
    assert ingest[0]["items_quarantined"] == sum(1 for v in hostile["expect"].values() if v)
    assert ingest[1]["items_new"] == 0 and ingest[1]["items_quarantined"] == 0
