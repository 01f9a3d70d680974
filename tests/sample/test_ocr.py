"""Real Tesseract on a clean 300-dpi page of the sample: the body text must come back with CER < 2 %."""

from __future__ import annotations

import json
import os

import pytest

from lake.domain.ocr.evaluate import cer as character_error_rate

os.environ["OMP_THREAD_LIMIT"] = "1"
os.environ.setdefault("TESSDATA_PREFIX", "/usr/share/tesseract-ocr/5/tessdata")


def _page_image(landing, page):
    from PIL import Image

    path = landing / page["file"]
    if page["format"] == "pdf":
        import pypdfium2 as pdfium

        pdf = pdfium.PdfDocument(path)
        return pdf[page["page_index"]].render(scale=page["dpi"] / 72).to_pil().convert("RGB")
    im = Image.open(path)
    im.seek(page["page_index"])
    return im.convert("RGB")


@pytest.mark.ocr
def test_tesseract_reads_clean_body_text(sample):
    import tesserocr

    _summary, root, _ = sample
    pages = [
        json.loads(x)
        for x in (root / "ground_truth" / "pages.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    clean = [
        p
        for p in pages
        if p["dpi"] == 300
        and not p["degradations"]
        and p["capture_device"] == "scanner"
        and p["body_bbox_pt"]
        and len(p["body_text"]) > 300
    ]
    assert clean, "the sample should contain a clean 300-dpi page"
    page = max(clean, key=lambda p: (p["format"] != "pdf", len(p["body_text"])))
    img = _page_image(root / "landing", page)
    s = page["scale"]
    x0, y0, x1, y1 = page["body_bbox_pt"]
    crop = img.crop((int(x0 * s) - 12, int(y0 * s) - 12, int(x1 * s) + 12, int(y1 * s) + 12))
    with tesserocr.PyTessBaseAPI(path=os.environ["TESSDATA_PREFIX"], lang="vie") as api:
        api.SetImage(crop)
        api.SetSourceResolution(page["dpi"])
        text = api.GetUTF8Text()
    cer = character_error_rate(page["body_text"], text)
    assert cer < 0.02, (cer, text[:400])
