import os
import time

import numpy as np
import pytest
from PIL import Image

from lake.domain.ocr.decode import iter_pages
from lake.domain.ocr.engine import OcrEngine, OcrTimeout

from .conftest import BODY_TEXT, cer, downsample, skew, to_bytes

pytestmark = pytest.mark.ocr


def test_omp_thread_limit_set(engine):
    assert os.environ["OMP_THREAD_LIMIT"] == "1"  # by start_ocr_worker(), when the engine was made


def test_clean_page_cer_below_1_percent(engine, clean_page):
    result = engine.read(clean_page)
    error = cer(BODY_TEXT, result.text)
    print(f"clean 300 dpi: CER={error:.4f} in {result.duration_s:.2f}s")
    assert error < 0.01
    assert result.pass_used == "primary" and result.quality.quality_class == "good"
    assert result.language == "vie" and result.engine_version.startswith("5.")
    assert len(result.tessdata_sha256) == 64
    assert result.char_count == len("".join(result.text.split()))
    first = result.words[0]
    assert first.text == "Căn" and first.line == 0
    assert 140 <= first.left <= 165 and 140 <= first.top <= 175 and first.width > 50
    assert {w.line for w in result.words} == set(range(8))


def test_low_resolution_page_is_upscaled(engine, clean_page):
    low = downsample(clean_page, 75)
    result = engine.read(low)
    error = cer(BODY_TEXT, result.text)
    print(f"75 dpi: CER={error:.4f} dpi~{result.effective_dpi} steps={result.preparation_steps}")
    assert result.effective_dpi == pytest.approx(75, rel=0.2)
    assert result.preparation_steps[0].startswith("upscale:")
    assert error < 0.10
    # boxes are in the low-resolution image's own pixel space
    assert max(w.left + w.width for w in result.words) <= low.width
    assert result.words[0].left == pytest.approx(150 / 4, abs=4)


def test_skewed_page_is_deskewed(engine, clean_page):
    result = engine.read(skew(clean_page, 2.5))
    assert result.skew_deg == pytest.approx(2.5, abs=0.5)
    assert any(s.startswith("deskew:") for s in result.preparation_steps)
    assert cer(BODY_TEXT, result.text) < 0.02


def test_noisy_first_pass_is_recovered_and_recorded(engine, clean_page):
    rng = np.random.default_rng(1)
    arr = np.asarray(clean_page).copy()
    m = rng.random(arr.shape)
    arr[m < 0.15] = 0
    arr[m > 0.85] = 255
    result = engine.read(Image.fromarray(arr))
    assert result.passes_tried[0] == "primary"
    assert result.pass_used.startswith("recovery:")
    assert "denoise:median3" in result.preparation_steps
    assert cer(BODY_TEXT, result.text) < 0.15


def test_unreadable_page_is_flagged(engine):
    rng = np.random.default_rng(2)
    noise = Image.fromarray((rng.random((700, 1500)) * 255).astype(np.uint8))
    result = engine.read(noise)
    assert result.quality.quality_class in ("suspect", "bad")
    assert result.quality.reasons


def test_timeout_is_typed(engine, clean_page):
    with pytest.raises(OcrTimeout):
        engine.read(clean_page, timeout_s=0.01)
    assert engine.read(clean_page).text  # the engine is usable after a timeout


def test_config_id_stable_and_sensitive():
    with OcrEngine(lang="vie") as a, OcrEngine(lang="vie") as b, OcrEngine(lang="vie", psm=6) as c:
        assert a.config_id == b.config_id
        assert a.config_id != c.config_id
        assert a.config_id.startswith("ocr-")


def test_engine_reused_across_pdf_and_tiff_pages(engine, clean_page):
    pages = [clean_page, downsample(clean_page, 150)]
    rgb = [p.convert("RGB") for p in pages]
    pdf = to_bytes(rgb[0], "PDF", save_all=True, append_images=rgb[1:], resolution=300)
    tiff = to_bytes(pages[0], "TIFF", save_all=True, append_images=pages[1:], dpi=(300, 300))
    started = time.monotonic()
    n = 0
    for data, fmt in ((pdf, "pdf"), (tiff, "tiff")):
        for page in iter_pages(data, fmt):
            result = engine.read(page.image, dpi=page.dpi)
            assert cer(BODY_TEXT, result.text) < 0.03, (fmt, page.index)
            n += 1
    print(f"{n} pages in {time.monotonic() - started:.2f}s")
    assert n == 4


class _SlowEngine(OcrEngine):
    """Tesseract replaced by a pass that takes ``pass_s`` and returns junk (so recovery is wanted)."""

    pass_s = 0.3

    def _recognize(self, image, dpi, psm, deadline):
        time.sleep(self.pass_s)
        if time.monotonic() > deadline:
            raise OcrTimeout("past the deadline")
        return "xq zv ## kk", []


def test_page_time_limit_keeps_best_pass_and_flags_it(clean_page):
    eng = _SlowEngine(lang="vie", deskew=False)
    res = eng.read(clean_page, timeout_s=_SlowEngine.pass_s + 0.8)  # room for the first pass only
    assert res.pass_used == "primary"
    assert any(t.endswith(":skipped-time") for t in res.passes_tried)
    assert "time_limit" in res.quality.reasons and res.quality.quality_class != "good"


def test_first_pass_past_the_limit_is_a_timeout(clean_page):
    eng = _SlowEngine(lang="vie")
    with pytest.raises(OcrTimeout):
        eng.read(clean_page, timeout_s=0.05)


def test_red_secrecy_stamp_read_on_its_own(engine, clean_page):
    from PIL import ImageDraw, ImageFont

    from .conftest import FONT_PATH

    page = Image.new("RGB", (clean_page.width, clean_page.height + 500), (245, 243, 238))
    page.paste(clean_page.convert("RGB"), (0, 500))
    draw = ImageDraw.Draw(page)
    draw.rectangle((300, 120, 700, 300), outline=(200, 30, 35), width=8)
    draw.text((360, 140), "MẬT", font=ImageFont.truetype(str(FONT_PATH), 120), fill=(200, 30, 35))
    page.info["dpi"] = (300, 300)
    res = engine.read(page, 300)
    assert "stamp" in res.passes_tried and res.text.splitlines()[-1] == "MẬT"
    stamp = res.words[-1]
    assert stamp.text == "MẬT" and 280 <= stamp.left <= 420 and 100 <= stamp.top <= 200
