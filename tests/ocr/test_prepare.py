import numpy as np
import pytest
from PIL import Image, ImageDraw

from lake.domain.ocr.prepare import (
    MAX_PREPARED_PIXELS,
    MAX_UPSCALE,
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
def test_low_resolution_detected_and_upscaled_at_most_twice(clean_page, dpi):
    low = downsample(clean_page, dpi)
    p = prepare(low)
    assert p.dpi_source == "text"
    assert p.source_dpi == pytest.approx(dpi, rel=0.2)
    assert p.steps and p.steps[0].startswith("upscale:")
    assert 1.0 < p.scale <= MAX_UPSCALE == 2.0
    assert p.dpi == pytest.approx(p.source_dpi * p.scale)


def _a4(dpi: int, pt: float, n_lines: int = 3) -> Image.Image:
    """A sparse A4 page (a signature page): a few lines of ``pt`` text at the top of the sheet."""
    lines = render_lines(BODY_LINES[:n_lines], dpi=dpi, pt=pt)
    page = Image.new("L", (round(8.27 * dpi), round(11.69 * dpi)), 255)
    page.paste(lines, (0, round(2 * dpi)))
    return page


def test_declared_resolution_of_a_sparse_page_is_trusted():
    # small print on an A4 sheet: the text size says ~150 dpi, the file says 300 -- and an A4 sheet at
    # 300 dpi is what the file is. The old estimate upscaled such pages 2x and more.
    page = _a4(300, 6.5, n_lines=5)
    dpi, source = estimate_resolution(page, 300)
    assert (dpi, source) == (300.0, "metadata")
    p = prepare(page, 300)
    assert p.scale == 1.0 and not any(s.startswith("upscale") for s in p.steps)


def test_photo_labelled_300_dpi_is_measured_from_its_text():
    page = _a4(100, 13.0, n_lines=8)  # 827 x 1169 px: 2.8 in wide at the label's 300 dpi
    dpi, source = estimate_resolution(page, 300)
    assert source == "text" and dpi == pytest.approx(100, rel=0.2)


def test_manifest_dpi_comes_first(clean_page):
    low = downsample(clean_page, 100)
    assert estimate_resolution(low, 72, manifest_dpi=100) == (100.0, "manifest")
    p = prepare(low, 72, manifest_dpi=100)
    assert p.dpi_source == "manifest" and p.scale == 2.0
    # an impossible manifest value is ignored
    assert estimate_resolution(low, None, manifest_dpi=5)[1] == "text"


def test_prepared_page_pixels_are_bounded():
    big = Image.new("L", (5000, 7000), 255)
    p = prepare(big, 150, deskew=False)  # declared 150 dpi would ask for an upscale to 35 Mpx x 4
    assert p.image.width * p.image.height <= MAX_PREPARED_PIXELS * 1.02


def test_red_seal_dropped_below_the_header_band_only(clean_page):
    rgb = Image.new("RGB", (1200, 1600), (245, 243, 238))
    rgb.paste(clean_page.convert("RGB").crop((0, 0, 1200, 300)), (0, 700))
    draw = ImageDraw.Draw(rgb)
    draw.ellipse((600, 900, 1000, 1300), outline=(200, 30, 35), width=8)  # the seal, over the lower part
    draw.rectangle((100, 100, 400, 180), outline=(200, 30, 35), width=8)  # a MẬT stamp frame in the header
    p = prepare(rgb, 300, deskew=False)
    assert "red-dropout" in p.steps
    arr = np.asarray(p.image)
    assert arr[1100, 602:610].min() > 180  # seal ring: paper now
    assert arr[140, 100:108].max() < 120  # the header stamp stays dark
    assert (arr[700:1000] < 100).sum() > 1000  # black text kept
    gray_only = prepare(rgb.convert("L"), 300, deskew=False)
    assert "red-dropout" not in gray_only.steps


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


def test_red_stamp_of_the_header_is_cut_out_for_its_own_pass():
    from PIL import ImageFont

    from lake.domain.ocr.prepare import red_stamp_crop

    from .conftest import FONT_PATH

    page = Image.new("RGB", (1240, 1754), (245, 243, 238))  # A4 at 150 dpi
    draw = ImageDraw.Draw(page)
    draw.rectangle((200, 300, 420, 380), outline=(200, 30, 35), width=5)
    draw.text((230, 310), "MẬT", font=ImageFont.truetype(str(FONT_PATH), 50), fill=(200, 30, 35))
    draw.text((100, 150), "Số: 12/QĐ-UBND", font=ImageFont.truetype(str(FONT_PATH), 30), fill=(15, 15, 15))
    crop, (left, top, width, height) = red_stamp_crop(page)
    assert 180 <= left <= 240 and 290 <= top <= 330 and left + width <= 430 and top + height <= 390
    assert crop.mode == "L" and np.asarray(crop).min() < 80  # the letters come out dark
    assert all(type(v) is int for v in (left, top, width, height))
    assert red_stamp_crop(page.convert("L")) is None
    plain = Image.new("RGB", (1240, 1754), (245, 243, 238))
    assert red_stamp_crop(plain) is None
