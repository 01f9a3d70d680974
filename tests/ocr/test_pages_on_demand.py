"""Only the asked pages are decoded, and access copies are written page by page (no Tesseract needed)."""

from __future__ import annotations

import io
import time
import tracemalloc

import pypdfium2 as pdfium
import pytest
from PIL import Image

from lake.domain.ocr.batch import FileTask, split_large
from lake.domain.ocr.decode import iter_pages
from lake.domain.ocr.searchable_pdf import AccessCopyWriter, PagePart, page_part, write_access_copy
from tests.ingest.pdfs import blank_pdf

pytest.importorskip("pikepdf")


def test_a_pdf_renders_only_the_asked_pages():
    data = blank_pdf(2000)
    t0 = time.monotonic()
    pages = list(iter_pages(data, "pdf", pages=[1999, 3, 3, 5000]))
    assert [p.index for p in pages] == [3, 1999]  # sorted, once each, past-the-end not yielded
    assert time.monotonic() - t0 < 5  # two renders, not 2,000


def test_a_tiff_decodes_only_the_asked_frames():
    frames = [Image.new("L", (300, 400), 40 * i) for i in range(5)]
    buf = io.BytesIO()
    frames[0].save(buf, "TIFF", save_all=True, append_images=frames[1:])
    pages = list(iter_pages(buf.getvalue(), "tiff", pages=[1, 4]))
    assert [p.index for p in pages] == [1, 4]
    assert [p.image.getpixel((0, 0)) for p in pages] == [40, 160]


def test_long_files_are_split_across_tasks():
    tasks = split_large([FileTask("s", "r", "pdf", list(range(2000)), 2000, "p", manifest_dpi=200),
                         FileTask("t", "r", "jpeg", [0], 1, "q")], 12)
    assert len(tasks) == 168 and sorted(i for t in tasks for i in t.page_indices if t.sha256 == "s") == \
        list(range(2000))
    assert all(len(t.page_indices) <= 12 and t.manifest_dpi == 200 for t in tasks if t.sha256 == "s")


def test_access_copy_is_written_page_by_page(tmp_path):
    words = [{"text": "Quyết", "left": 100, "top": 100, "width": 200, "height": 40, "line": 0}]
    image = Image.effect_noise((1240, 1754), 40).convert("L")
    image.info["dpi"] = (150, 150)
    part = page_part(image, words).dumps()
    assert PagePart.loads(part).dumps() == part
    tracemalloc.start()
    sha, size, count = write_access_copy((part for _ in range(200)), tmp_path / "copy.pdf", title="200 trang")
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert count == 200 and size == (tmp_path / "copy.pdf").stat().st_size
    assert sha == __import__("hashlib").sha256((tmp_path / "copy.pdf").read_bytes()).hexdigest()
    assert peak < 10 * len(part)  # one page at a time, not 200 (the parts alone are ~200x this)
    pdf = pdfium.PdfDocument(str(tmp_path / "copy.pdf"))
    assert len(pdf) == 200 and "Quyết" in pdf[199].get_textpage().get_text_range()
    pdf.close()
    mem = AccessCopyWriter()
    mem.add_page(image, words)
    assert mem.close().data[:5] == b"%PDF-"
