import numpy as np
import pytest
from PIL import Image

from lake.ocr.prepare import (
    binarize_otsu,
    binarize_sauvola,
    estimate_resolution,
    estimate_skew,
    otsu_threshold,
    prepare,
)

from .conftest import BODY_LINES, downsample, render_lines, skew


def test_clean_page_needs_nothing(clean_page):
    p = prepare(clean_page)
    assert p.steps == []
    assert p.dpi_source == "metadata" and p.dpi == 300
    assert p.image.size == clean_page.size


def test_resolution_from_text_when_metadata_missing(clean_page):
    no_meta = clean_page.copy()
    no_meta.info.pop("dpi", None)
    dpi, source = estimate_resolution(no_meta)
    assert source == "text" and 250 <= dpi <= 350


def test_resolution_metadata_72_is_ignored(clean_page):
    dpi, source = estimate_resolution(clean_page, 72)
    assert source == "text" and 250 <= dpi <= 350


@pytest.mark.parametrize("dpi", [75, 100, 150])
def test_low_resolution_detected_and_upscaled(clean_page, dpi):
    low = downsample(clean_page, dpi)
    p = prepare(low)
    assert p.dpi_source == "text"
    assert p.source_dpi == pytest.approx(dpi, rel=0.2)
    assert p.steps and p.steps[0].startswith("upscale:")
    assert 240 <= p.dpi <= 360


@pytest.mark.parametrize("angle", [2.5, -1.4, 4.0])
def test_skew_estimated_within_half_degree(clean_page, angle):
    skewed = skew(clean_page, angle)
    assert estimate_skew(skewed) == pytest.approx(angle, abs=0.5)
    p = prepare(skewed)
    assert p.skew_deg == pytest.approx(angle, abs=0.5)
    assert any(s.startswith("deskew:") for s in p.steps)


def test_grayscale_step_recorded(clean_page):
    p = prepare(clean_page.convert("RGB"))
    assert p.steps[0] == "grayscale" and p.image.mode == "L"


def test_box_mapping_back_to_original():
    text = render_lines(BODY_LINES[:5], dpi=100)
    canvas = Image.new("L", (text.width, text.height + 300), 255)
    canvas.paste(text, (0, 0))
    canvas.paste(0, (500, text.height + 200, 520, text.height + 220))  # marker below the text
    original = skew(canvas, 2.0)
    original.info.pop("dpi")
    p = prepare(original)
    assert p.scale > 1 and p.angle != 0

    def marker_box(arr: np.ndarray, frac: float) -> tuple[int, int, int, int]:
        ys, xs = np.nonzero(arr < 100)
        keep = ys > frac * arr.shape[0]
        ys, xs = ys[keep], xs[keep]
        return xs.min(), ys.min(), xs.max() - xs.min(), ys.max() - ys.min()

    ox, oy, ow, oh = marker_box(np.asarray(original), 0.75)
    px, py, pw, ph = marker_box(np.asarray(p.image), 0.75)
    mx, my, mw, mh = p.to_original(px, py, pw, ph)
    assert abs(mx - ox) <= 3 and abs(my - oy) <= 3
    assert abs(mw - ow) <= 4 and abs(mh - oh) <= 4


def test_otsu_and_sauvola_binarisation():
    rng = np.random.default_rng(0)
    gradient = np.tile(np.linspace(60, 230, 400), (200, 1))  # uneven illumination
    text = gradient.copy()
    text[80:120, 40:360:20] = 10
    image = Image.fromarray(text.astype(np.uint8) + rng.integers(0, 5, text.shape, dtype=np.uint8))
    t = otsu_threshold(np.asarray(image))
    assert 10 < t < 230
    sau = np.asarray(binarize_sauvola(image, window=31))
    assert set(np.unique(sau)) <= {0, 255}
    assert (sau[80:120, 40:360:20] == 0).mean() > 0.95
    assert (sau[:60] == 255).mean() > 0.95  # the dark left side of the background stays white
    assert np.asarray(binarize_otsu(image)).shape == (200, 400)
