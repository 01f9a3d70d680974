from __future__ import annotations

import csv
import io
import json
import os
import unicodedata
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from openpyxl import load_workbook
from PIL import Image

from lakehouse_sample.tables import (
    DOCUMENT_LIST_COLUMNS,
    HANDOVER_COLUMNS,
    INVENTORY_COLUMNS,
    MANIFEST_COLUMNS,
    QC_COLUMNS,
    REGISTRY_COLUMNS,
)

from .conftest import PAGES, generate_into, tree_hashes


def read_table(path: Path) -> tuple[list[str], list[list]]:
    if path.suffix == ".xlsx":
        ws = load_workbook(path, read_only=True).active
        rows = [list(r) for r in ws.iter_rows(values_only=True)]
        return [str(c) for c in rows[0]], rows[1:]
    with path.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    return rows[0], rows[1:]


def jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_summary_and_progress(sample):
    summary, _root, calls = sample
    assert summary.pages == PAGES
    assert len(summary.district_codes) == 4
    assert summary.bad_inputs == 5
    assert calls[-1] == (PAGES, PAGES)
    assert [d for d, _ in calls] == sorted(d for d, _ in calls)
    assert summary.documents >= summary.records >= summary.agencies > 0


def test_determinism_same_seed_and_different_seed(sample, tmp_path, reference):
    _summary, root, _ = sample
    generate_into(tmp_path / "b", reference, workers=1)
    assert tree_hashes(root) == tree_hashes(tmp_path / "b")
    # re-running into the existing folder leaves identical bytes
    generate_into(tmp_path / "b", reference, workers=2)
    assert tree_hashes(root) == tree_hashes(tmp_path / "b")
    generate_into(tmp_path / "c", reference, seed=7, workers=2)
    other = tree_hashes(tmp_path / "c")
    assert other != tree_hashes(root)


def test_landing_layout_and_headers(sample):
    summary, root, _ = sample
    landing = root / "landing"
    header, rows = read_table(landing / "registry" / "co_quan.csv")
    assert header == REGISTRY_COLUMNS
    codes = {r[0] for r in rows}
    assert len(codes) == summary.agencies
    assert {r[4] for r in rows} == set(summary.district_codes)
    assert {r[2] for r in rows} <= {"huyen", "xa"} and {r[3] for r in rows} <= {
        "dang",
        "chinh_quyen",
        "doan_the",
    }
    formats = set()
    for code in codes:
        ho = list((landing / "handover" / code).glob("bien_ban_ban_giao.*"))
        inv = list((landing / "inventories" / code).glob("muc_luc_ho_so.*"))
        assert len(ho) == 1 and len(inv) == 1, code
        formats |= {ho[0].suffix, inv[0].suffix}
        assert read_table(ho[0])[0] == HANDOVER_COLUMNS
        h, inv_rows = read_table(inv[0])
        assert h == INVENTORY_COLUMNS
        for r in inv_rows:
            assert r[8] in {"Vĩnh viễn", "70 năm", "20 năm", "10 năm", "5 năm"}
            assert r[21] in {"Ưu tiên 1", "Ưu tiên 2", "Ưu tiên 3"}
            assert len(str(r[11]).split("/")) == 3 and len(str(r[22]).split("/")) == 3
        dl = landing / "inventories" / code / "muc_luc_van_ban.csv"
        if dl.exists():
            assert read_table(dl)[0] == DOCUMENT_LIST_COLUMNS
    assert formats == {".csv", ".xlsx"}
    for b in (landing / "batches").iterdir():
        assert read_table(b / "manifest.csv")[0] == MANIFEST_COLUMNS
        assert read_table(b / "qc_log.csv")[0] == QC_COLUMNS


def test_manifest_rows_point_to_files_with_real_page_counts(sample):
    _summary, root, _ = sample
    landing = root / "landing"
    bad = {b["file"] for b in jsonl(root / "ground_truth" / "bad_inputs.jsonl")}
    seen = 0
    for b in (landing / "batches").iterdir():
        listed = set()
        with (b / "manifest.csv").open(encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                path = b / row["file_name"]
                assert path.is_file(), path
                listed.add(row["file_name"])
                assert row["scanned_at"].endswith("+07:00")
                rel = path.relative_to(landing).as_posix()
                if rel in bad:
                    continue
                n = int(row["page_count"])
                if row["file_format"] == "pdf":
                    assert len(pdfium.PdfDocument(path)) == n
                elif row["file_format"] == "tif":
                    with Image.open(path) as im:
                        assert im.n_frames == n
                        assert round(im.info["dpi"][0]) == int(row["dpi"])
                else:
                    assert n == 1
                    with Image.open(path) as im:
                        assert round(im.info["dpi"][0]) == int(row["dpi"])
                        assert im.getexif()[0x0132]  # DateTime
                seen += 1
        assert listed == {p.name for p in b.iterdir()} - {"manifest.csv", "qc_log.csv"}
    assert seen > 0


def test_ground_truth_covers_every_page(sample):
    summary, root, _ = sample
    gt = root / "ground_truth"
    pages = jsonl(gt / "pages.jsonl")
    assert len(pages) == PAGES == summary.pages
    docs = {d["document_id"]: d for d in jsonl(gt / "documents.jsonl")}
    per_doc: dict[str, list[dict]] = {}
    for p in pages:
        per_doc.setdefault(p["document_id"], []).append(p)
        assert (root / "landing" / p["file"]).is_file()
    assert set(per_doc) == set(docs)
    for doc_id, plist in per_doc.items():
        plist.sort(key=lambda p: p["page_in_document"])
        assert [p["page_in_document"] for p in plist] == list(range(docs[doc_id]["page_count"]))
        for p in plist:
            first, last = p["page_in_document"] == 0, p["page_in_document"] == len(plist) - 1
            assert p["layout"]["has_header"] == first
            assert p["layout"]["has_signature"] == last
            has_motto = (
                "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in p["text"]
                or "ĐẢNG CỘNG SẢN VIỆT NAM" in p["text"]
                or "ĐOÀN TNCS HỒ CHÍ MINH" in p["text"]
            )
            assert has_motto == first
            assert (docs[doc_id]["number_line"] in p["text"]) == first or not first
    for name in ("records", "agencies", "batches"):
        assert jsonl(gt / f"{name}.jsonl")
    timeline = json.loads((gt / "timeline.json").read_text(encoding="utf-8"))
    for rec in jsonl(gt / "records.jsonl"):
        plan = timeline["agencies"][rec["agency_code"]]
        assert plan["handover"] <= rec["arranged"] <= rec["scanned"] <= rec["checked"]


def test_inventory_defects_recorded(sample):
    _summary, root, _ = sample
    recs = jsonl(root / "ground_truth" / "records.jsonl")
    kinds = [d["kind"] for r in recs for d in r["defects"]]
    assert "page_count_mismatch" in kinds


def test_bad_inputs_are_really_bad(sample):
    _summary, root, _ = sample
    bad = {b["kind"]: b for b in jsonl(root / "ground_truth" / "bad_inputs.jsonl")}
    assert set(bad) == {"zero_byte", "truncated_jpeg", "not_an_image", "encrypted_pdf", "duplicate"}
    landing = root / "landing"
    assert (landing / bad["zero_byte"]["file"]).stat().st_size == 0
    with pytest.raises(OSError), Image.open(landing / bad["truncated_jpeg"]["file"]) as im:
        im.load()
    with pytest.raises(Exception), Image.open(landing / bad["not_an_image"]["file"]) as im:  # noqa: B017
        im.load()
    enc = landing / bad["encrypted_pdf"]["file"]
    assert b"/Encrypt" in enc.read_bytes()
    with pytest.raises(pdfium.PdfiumError):
        pdfium.PdfDocument(enc)
    doc = pdfium.PdfDocument(enc, password=bad["encrypted_pdf"]["password"])
    assert len(doc) == 1
    dup = landing / bad["duplicate"]["file"]
    assert dup.read_bytes() == (landing / bad["duplicate"]["duplicate_of"]).read_bytes()


def test_text_is_nfc_with_diacritics(sample):
    _summary, root, _ = sample
    pages = jsonl(root / "ground_truth" / "pages.jsonl")
    text = "\n".join(p["text"] for p in pages)
    assert unicodedata.normalize("NFC", text) == text
    assert any(c in text for c in "ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ")
    for p in (root / "landing").rglob("*.csv"):
        data = p.read_text(encoding="utf-8-sig")
        assert unicodedata.normalize("NFC", data) == data


def test_scan_metadata_and_mtime(sample):
    _summary, root, _ = sample
    landing = root / "landing"
    b = next((landing / "batches").iterdir())
    with (b / "manifest.csv").open(encoding="utf-8") as fh:
        row = next(csv.DictReader(fh))
    from datetime import datetime

    ts = datetime.fromisoformat(row["scanned_at"]).timestamp()
    path = b / row["file_name"]
    assert abs(os.stat(path).st_mtime - ts) < 1
    if row["file_format"] == "pdf":
        meta = pdfium.PdfDocument(path).get_metadata_dict()
        assert meta["Author"] == row["operator"]
    else:
        with Image.open(path) as im:
            assert "site=" + row["site_code"] in im.getexif()[0x010E]


def test_handover_dates_in_programme_window(sample):
    _summary, root, _ = sample
    for p in (root / "landing" / "handover").rglob("bien_ban_ban_giao.*"):
        _, rows = read_table(p)
        v = rows[0][5]
        s = v.strftime("%d/%m/%Y") if hasattr(v, "year") else v
        _d, m, y = map(int, s.split("/"))
        assert y == 2025 and 7 <= m <= 9
    assert io  # keep import used
