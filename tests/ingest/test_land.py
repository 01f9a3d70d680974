"""`lakehouse land`: a nested folder of scans from anywhere becomes one batch with a manifest, in natural order."""

from __future__ import annotations

import io
import os

import pytest
from PIL import Image

from lake.apps import cli
from lake.core import contracts as C
from lake.domain.ingest.land import natural_key
from lake.domain.ingest.landing import classify, list_landing
from lake.domain.ingest.tabular import read_rows
from lake.domain.silver.ordering import file_sort_key


def _jpeg(text_value: int) -> bytes:
    buf = io.BytesIO()
    Image.new("L", (120, 160), text_value).save(buf, "JPEG")
    return buf.getvalue()


def test_natural_sort():
    names = ["4_10.jpg", "4_2.jpg", "4_1.jpg", "10_1.jpg", "Trang 9.jpg", "trang 10.jpg"]
    assert sorted(names, key=natural_key) == ["4_1.jpg", "4_2.jpg", "4_10.jpg", "10_1.jpg", "Trang 9.jpg",
                                              "trang 10.jpg"]
    assert sorted(["b/1.jpg", "a/2.jpg", "a/10.jpg"], key=natural_key) == ["a/2.jpg", "a/10.jpg", "b/1.jpg"]


@pytest.fixture
def scans(tmp_path):
    src = tmp_path / "USB" / "ho so 12"
    (src / "ngay 2").mkdir(parents=True)
    (src / "ngay 1").mkdir(parents=True)
    for i, name in enumerate(["4_1.jpg", "4_2.jpg", "4_10.jpg"]):
        (src / "ngay 1" / name).write_bytes(_jpeg(200 + i))
    (src / "ngay 2" / "5_1.JPG").write_bytes(_jpeg(210))
    (src / "ngay 2" / ".DS_Store").write_bytes(b"\0\0")
    (src / "ngay 2" / "notes.txt").write_text("ghi chú")
    (src / "link.jpg").symlink_to("/etc/passwd")
    ns = 1_756_861_234_123_456_999
    os.utime(src / "ngay 1" / "4_1.jpg", ns=(ns, ns))
    return src


def test_land_a_nested_folder_as_one_batch(scans, tmp_path, monkeypatch, capsys):
    root = tmp_path / "lake"
    monkeypatch.setenv("LAKEHOUSE_ROOT", str(root))
    rc = cli.main(["land", str(scans), "--agency", "HCM.UBND.Q1", "--record", "HCM.Q1.2024.12", "--batch", "B-USB",
                   "--dpi", "300", "--device", "phone", "--operator", "Lê Thị Hoa"])
    out = capsys.readouterr().out
    assert rc == 0, out
    assert "link.jpg (symbolic link (not followed))" in out and "notes.txt" in out and ".DS_Store" in out
    batch = root / "landing" / "batches" / "B-USB"
    assert sorted(p.name for p in batch.iterdir()) == [
        "HCM.Q1.2024.12_001.jpg", "HCM.Q1.2024.12_002.jpg", "HCM.Q1.2024.12_003.jpg", "HCM.Q1.2024.12_004.jpg",
        "manifest.csv"]
    assert (batch / "HCM.Q1.2024.12_001.jpg").stat().st_mtime_ns == 1_756_861_234_123_456_999  # copied as is
    assert (batch / "HCM.Q1.2024.12_003.jpg").read_bytes() == (scans / "ngay 1" / "4_10.jpg").read_bytes()
    rows = read_rows((batch / "manifest.csv").read_bytes(), "csv", C.BATCH_MANIFESTS)
    assert [r["extra"]["original_path"] for r in rows] == ["ngay 1/4_1.jpg", "ngay 1/4_2.jpg", "ngay 1/4_10.jpg",
                                                             "ngay 2/5_1.JPG"]
    assert {r["agency_code"] for r in rows} == {"HCM.UBND.Q1"}  # an agency from another city is accepted
    assert {r["dpi"] for r in rows} == {"300"} and {r["page_count"] for r in rows} == {"1"}
    assert all(r[c.name] is not None for r in rows for c in C.BATCH_MANIFESTS.columns
               if c.source and c.name not in ("site_code", "site_name", "district_code"))
    # what ingest and the page ordering of silver will see
    kinds = {c.rel_path: classify(c.rel_path) for c in list_landing(root / "landing")}
    assert sorted(kinds.values()) == ["manifest", "scan", "scan", "scan", "scan"]
    order = sorted((r["file_name"] for r in rows), key=lambda n: file_sort_key(n, "HCM.Q1.2024.12"))
    assert order == [r["file_name"] for r in rows]
    assert cli.main(["land", str(scans), "--agency", "A", "--record", "R", "--batch", "B-USB"]) == 2  # exists


def test_a_user_manifest_orders_the_pages(scans, tmp_path, monkeypatch):
    root = tmp_path / "lake"
    monkeypatch.setenv("LAKEHOUSE_ROOT", str(root))
    manifest = tmp_path / "order.csv"
    manifest.write_text("file,page_order,dpi\nngay 2/5_1.JPG,1,200\nngay 1/4_10.jpg,2,\nngay 1/4_1.jpg,3,\n"
                        "ngay 1/4_2.jpg,4,\n", encoding="utf-8")
    assert cli.main(["land", str(scans), "--agency", "A", "--record", "R1", "--batch", "B2",
                     "--manifest", str(manifest)]) == 0
    rows = read_rows((root / "landing/batches/B2/manifest.csv").read_bytes(), "csv", C.BATCH_MANIFESTS)
    assert [r["extra"]["original_path"] for r in rows] == ["ngay 2/5_1.JPG", "ngay 1/4_10.jpg", "ngay 1/4_1.jpg",
                                                             "ngay 1/4_2.jpg"]
    assert [r["dpi"] for r in rows] == ["200", None, None, None]
    manifest.write_text("file\nngay 1/4_1.jpg\n", encoding="utf-8")
    assert cli.main(["land", str(scans), "--agency", "A", "--record", "R1", "--batch", "B3",
                     "--manifest", str(manifest)]) == 2  # files missing from the manifest are not guessed
    assert not (root / "landing/batches/B3").exists()
