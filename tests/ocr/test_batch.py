"""The per-task OCR driver (lake.domain.ocr.batch) without Spark: bad pages quarantined, good ones read."""

import hashlib
import io

import pytest
from PIL import Image

from lake.core.contracts import OCR_PAGES
from lake.domain.ocr.batch import EngineSettings, FileTask, balance, run_tasks

from .conftest import BODY_LINES, downsample, render_lines, to_bytes


def _store(root, data: bytes) -> tuple[str, str]:
    sha = hashlib.sha256(data).hexdigest()
    rel = f"raw/{sha[:2]}/{sha[2:4]}/{sha}"
    (root / rel).parent.mkdir(parents=True, exist_ok=True)
    (root / rel).write_bytes(data)
    return sha, rel


def test_balance_spreads_pages_evenly_largest_first():
    tasks = [FileTask(f"s{i}", "r", "pdf", list(range(n)), n, "p") for i, n in enumerate([12, 1, 1, 5, 7, 3, 3, 8])]
    parts = balance(tasks, 3)
    loads = [sum(len(t.page_indices) for t in p) for p in parts]
    assert sum(loads) == 40 and max(loads) - min(loads) <= 2
    assert loads == sorted(loads, reverse=True)
    assert sorted(t.sha256 for p in parts for t in p) == sorted(t.sha256 for t in tasks)


@pytest.mark.ocr
def test_run_tasks_reads_good_pages_and_quarantines_bad_ones(tmp_path):
    good = render_lines(BODY_LINES[:3])
    buf = io.BytesIO()
    good.save(buf, "TIFF", save_all=True, append_images=[good], dpi=(300, 300))
    sha_ok, rel_ok = _store(tmp_path, buf.getvalue())
    jpg = io.BytesIO()
    Image.effect_noise((900, 1200), 50).convert("RGB").save(jpg, "JPEG")
    sha_bad, rel_bad = _store(tmp_path, jpg.getvalue()[: len(jpg.getvalue()) // 3])
    huge = io.BytesIO()
    Image.new("1", (20000, 20000), 1).save(huge, "PNG")
    sha_huge, rel_huge = _store(tmp_path, huge.getvalue())
    tasks = [
        FileTask(sha_ok, rel_ok, "tiff", [0, 1], 2, "batches/B/ok.tif"),
        FileTask(sha_bad, rel_bad, "jpeg", [0], 1, "batches/B/cut.jpg"),
        FileTask(sha_huge, rel_huge, "png", [0], 1, "batches/B/huge.png"),
    ]
    out = list(run_tasks(tasks, str(tmp_path), EngineSettings(timeout_s=60), "run-1"))
    pages = [r for k, r in out if k == "page"]
    quarantined = {r["sha256"]: r for k, r in out if k == "quarantine"}
    access = [r for k, r in out if k == "access"]
    assert [p["page_index"] for p in pages] == [0, 1]
    assert all(p["sha256"] == sha_ok and p["quality_class"] == "good" for p in pages)
    assert set(quarantined) == {sha_bad, sha_huge}
    assert quarantined[sha_bad]["item"] == "page 0" and quarantined[sha_bad]["reason"]
    assert "TooLarge" in quarantined[sha_huge]["reason_code"]
    assert len(access) == 1 and access[0]["page_count"] == 2
    assert (tmp_path / access[0]["pdf_path"]).read_bytes()[:5] == b"%PDF-"


@pytest.mark.ocr
def test_a_garbled_page_is_flagged_or_recovered(tmp_path):
    noisy = Image.effect_noise((1600, 2200), 120).convert("L")
    buf = io.BytesIO()
    noisy.save(buf, "PNG", dpi=(300, 300))
    sha, rel = _store(tmp_path, buf.getvalue())
    out = list(run_tasks([FileTask(sha, rel, "png", [0], 1, "x.png")], str(tmp_path),
                         EngineSettings(timeout_s=60, access_copies=False), "run-2"))
    (kind, page), (stats_kind, stats) = out
    assert kind == "page" and stats_kind == "stats" and stats["pages"] == 1 and stats["peak_rss_mb"] > 0
    assert page["quality_class"] != "good" or page["pass_used"] != "primary"
    assert len(page["passes_tried"]) >= 1


@pytest.mark.ocr
def test_manifest_dpi_reaches_the_engine_and_corrected_text_is_kept(tmp_path):
    page = downsample(render_lines(BODY_LINES[:4]), 100)
    buf = io.BytesIO()
    page.save(buf, "JPEG", quality=92, dpi=(72, 72))  # the camera default, not the real resolution
    sha, rel = _store(tmp_path, buf.getvalue())
    task = FileTask(sha, rel, "jpeg", [0], 1, "batches/B/IMG_1.jpg", manifest_dpi=100.0)
    out = list(run_tasks([task], str(tmp_path), EngineSettings(timeout_s=60, access_copies=False), "r"))
    (kind, rec), = [o for o in out if o[0] != "stats"]  # every task also reports its peak memory
    assert kind == "page" and rec["effective_dpi"] == 100.0
    assert "upscale:2.00x" in rec["preparation_steps"]
    assert rec["corrected_text"] and rec["text"]
    assert set(rec) == {c.name for c in OCR_PAGES.columns}


@pytest.mark.ocr
def test_a_worker_opens_tesseract_once_per_configuration(tmp_path):
    from lake.domain.ocr.batch import worker_engine

    first = EngineSettings(access_copies=False, timeout_s=31)
    engine = worker_engine(first)
    assert engine._api is not None  # open, ready for the task
    assert worker_engine(EngineSettings(access_copies=False, timeout_s=31)) is engine  # the next task reuses it
    other = worker_engine(EngineSettings(access_copies=False, timeout_s=31, psm=6))
    assert other is not engine and other.config_id != engine.config_id
    # and a reused engine still reads: two tasks in a row give the same text
    sha, rel = _store(tmp_path, to_bytes(render_lines(BODY_LINES[:2]), "TIFF", dpi=(300, 300)))
    task = FileTask(sha, rel, "tiff", [0], 1, "batches/b/x.tif")
    texts = [next(r for kind, r in run_tasks([task], str(tmp_path), first, "run") if kind == "page")["text"]
             for _ in range(2)]
    assert texts[0] == texts[1] and "Sở Nội vụ" in texts[0]
