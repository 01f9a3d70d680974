import shutil
import subprocess
import unicodedata

import pypdfium2 as pdfium
import pytest

from lake.domain.ocr.searchable_pdf import build_searchable_pdf, ghostscript_pdfa, glyphless_ttf

from .conftest import BODY_LINES, render_lines

pytestmark = pytest.mark.ocr


def _norm(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


@pytest.fixture(scope="module")
def two_pages(engine):
    first = render_lines(BODY_LINES[:4]).convert("RGB")
    second = render_lines(BODY_LINES[4:])
    first.info["dpi"] = second.info["dpi"] = (300, 300)
    return [(im, engine.read(im)) for im in (first, second)]


def test_text_round_trip(two_pages, tmp_path):
    pdf = build_searchable_pdf([(im, r.words) for im, r in two_pages], title="Quyết định 155/QĐ-UBND")
    assert pdf.page_count == 2 and pdf.pdfa == "PDF/A-2b" and len(pdf.sha256) == 64
    doc = pdfium.PdfDocument(pdf.data)
    assert len(doc) == 2
    for i, (im, result) in enumerate(two_pages):
        page = doc[i]
        assert page.get_size() == pytest.approx((im.width * 72 / 300, im.height * 72 / 300), abs=0.01)
        extracted = page.get_textpage().get_text_range()
        assert _norm(extracted) == _norm(result.text)
    if shutil.which("pdftotext"):
        path = tmp_path / "copy.pdf"
        path.write_bytes(pdf.data)
        out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
        assert _norm(out) == _norm(" ".join(r.text for _, r in two_pages))
    assert b"pdfaid:part>2<" in pdf.data and b"/GTS_PDFA1" in pdf.data


def test_text_is_placed_on_the_words(two_pages):
    im, result = two_pages[0]
    pdf = build_searchable_pdf([(im, result.words)])
    page = pdfium.PdfDocument(pdf.data)[0]
    textpage = page.get_textpage()
    word = result.words[0]
    left, bottom, _right, _top = textpage.get_charbox(0)
    scale = 72 / 300
    assert left == pytest.approx(word.left * scale, abs=3)
    assert bottom == pytest.approx(page.get_height() - (word.top + word.height) * scale, abs=6)


def test_glyphless_font_is_a_truetype_font():
    import io

    from PIL import ImageFont

    font = glyphless_ttf()
    assert font[:4] == b"\x00\x01\x00\x00"
    ImageFont.truetype(io.BytesIO(font), 12)  # FreeType accepts it


@pytest.mark.skipif(shutil.which("gs") is None, reason="ghostscript not installed")
def test_ghostscript_pdfa_route_keeps_text(two_pages):
    pdf = build_searchable_pdf([(im, r.words) for im, r in two_pages])
    out = ghostscript_pdfa(pdf.data)
    assert b"pdfaid" in out
    text = " ".join(pdfium.PdfDocument(out)[i].get_textpage().get_text_range() for i in range(2))
    assert _norm(text) == _norm(" ".join(r.text for _, r in two_pages))
