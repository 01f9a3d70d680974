"""Image preparation before OCR: grayscale, deskew, resolution normalisation, recovery variants.

Everything is numpy + Pillow (no OpenCV/scipy). :func:`prepare` returns a :class:`Prepared` holding
the image handed to Tesseract, the list of steps applied (``["grayscale", "deskew:-2.5deg",
"upscale:4.00x"]``) and the geometry needed to map word boxes back to the original pixel space.

:func:`recovery_variants` yields the alternative images tried when the first pass comes back
empty or garbled: median denoising + Otsu binarisation, and Sauvola binarisation with another
page-segmentation mode.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass, field

import numpy as np
from PIL import Image, ImageFilter, ImageOps

PREPARATION_VERSION = "prep-2"
TARGET_DPI = 300.0
LOW_RES_DPI = 200.0  # below this effective resolution the page is upscaled (towards TARGET_DPI)
HIGH_RES_DPI = 500.0  # above this it is downscaled to TARGET_DPI (speed, same accuracy)
# Upscaling a 70-100 dpi photo 3-4x to reach 300 dpi costs 5-10x the time of a 2x upscale and reads no
# better (benchmarks/ocr_accuracy.py --hard, figures in the README): the factor is bounded at 2.
MAX_UPSCALE = 2.0
# A4 at 300 dpi is 8.7 Mpx; Tesseract's layout analysis (which its deadline does not interrupt) grows
# with the pixel count, so a prepared page never exceeds about A4 at 400 dpi.
MAX_PREPARED_PIXELS = 16_000_000
PLAUSIBLE_DPI = (100.0, 1200.0)
MANIFEST_DPI = (50.0, 1200.0)
DOCUMENT_LONG_SIDE_IN = (9.0, 17.5)  # A5 landscape .. A3 portrait, in inches
SUSPICIOUS_DPI = {72.0, 96.0}  # camera / screen defaults written by software, not a scan resolution
# Body text of administrative documents is 13-14 pt (Nghị định 30/2020); a Times-like x-height is 0.46 em.
BODY_PT = 13.5
X_HEIGHT_EM = 0.46
MAX_SKEW_DEG = 5.0
MIN_DESKEW_DEG = 0.2


@dataclass
class Prepared:
    """A page ready for OCR and the geometry to map its coordinates back to the original image."""

    image: Image.Image  # mode L
    steps: list[str]
    original_size: tuple[int, int]
    scale: float = 1.0  # applied before rotation
    angle: float = 0.0  # counter-clockwise degrees applied (PIL convention), expand=True
    dpi: float = TARGET_DPI  # effective resolution of ``image``
    source_dpi: float | None = None  # effective resolution of the original
    dpi_source: str = "default"  # "metadata", "text", "default"
    skew_deg: float = 0.0  # estimated skew of the original content (CCW positive)
    ink_pixels: int = 0  # dark pixels of the prepared image (Otsu)
    extra: dict = field(default_factory=dict)

    def to_original(self, left: float, top: float, width: float, height: float) -> tuple[int, int, int, int]:
        """Map a box of the prepared image to the original image's pixel space (axis-aligned)."""
        w_s, h_s = self.original_size[0] * self.scale, self.original_size[1] * self.scale
        if self.angle:
            theta = math.radians(self.angle)
            cos, sin = math.cos(theta), math.sin(theta)
            cx_n, cy_n = self.image.width / 2, self.image.height / 2
            corners = []
            for x, y in (
                (left, top),
                (left + width, top),
                (left, top + height),
                (left + width, top + height),
            ):
                dx, dy = x - cx_n, y - cy_n
                corners.append((cos * dx - sin * dy + w_s / 2, sin * dx + cos * dy + h_s / 2))
            xs = [c[0] for c in corners]
            ys = [c[1] for c in corners]
        else:
            xs, ys = [left, left + width], [top, top + height]
        ow, oh = self.original_size
        x0 = min(max(min(xs) / self.scale, 0), ow)
        x1 = min(max(max(xs) / self.scale, 0), ow)
        y0 = min(max(min(ys) / self.scale, 0), oh)
        y1 = min(max(max(ys) / self.scale, 0), oh)
        return round(x0), round(y0), max(0, round(x1 - x0)), max(0, round(y1 - y0))


# --- binarisation --------------------------------------------------------------------------------


def otsu_threshold(gray: np.ndarray) -> int:
    """Otsu's threshold of an 8-bit array (pixels <= threshold are ink)."""
    hist = np.bincount(gray.ravel(), minlength=256).astype(np.float64)
    total = hist.sum()
    if total == 0:
        return 127
    omega = np.cumsum(hist) / total
    mu = np.cumsum(hist * np.arange(256)) / total
    mu_t = mu[-1]
    denom = omega * (1.0 - omega)
    with np.errstate(divide="ignore", invalid="ignore"):
        sigma_b = np.where(denom > 0, (mu_t * omega - mu) ** 2 / denom, 0.0)
    return int(np.argmax(sigma_b))


def binarize_otsu(image: Image.Image) -> Image.Image:
    """The image in black and white, cut at Otsu's threshold of its grey levels."""
    gray = np.asarray(image.convert("L"))
    t = otsu_threshold(gray)
    return Image.fromarray(np.where(gray > t, 255, 0).astype(np.uint8), "L")


def _box_sum(integral: np.ndarray, r: int, shape: tuple[int, int]) -> tuple[np.ndarray, np.ndarray]:
    h, w = shape
    ys = np.arange(h)
    xs = np.arange(w)
    y0, y1 = np.clip(ys - r, 0, h), np.clip(ys + r + 1, 0, h)
    x0, x1 = np.clip(xs - r, 0, w), np.clip(xs + r + 1, 0, w)
    s = integral[y1][:, x1] - integral[y0][:, x1] - integral[y1][:, x0] + integral[y0][:, x0]
    count = np.outer(y1 - y0, x1 - x0)
    return s, count


def binarize_sauvola(image: Image.Image, window: int = 31, k: float = 0.2, r: float = 128.0) -> Image.Image:
    """Sauvola local thresholding: T = m * (1 + k * (s / r - 1)) over a ``window`` square."""
    gray = np.asarray(image.convert("L"), dtype=np.float64)
    h, w = gray.shape
    rad = max(1, window // 2)
    integral = np.zeros((h + 1, w + 1))
    integral[1:, 1:] = gray.cumsum(0).cumsum(1)
    integral_sq = np.zeros((h + 1, w + 1))
    integral_sq[1:, 1:] = (gray * gray).cumsum(0).cumsum(1)
    s, count = _box_sum(integral, rad, (h, w))
    s2, _ = _box_sum(integral_sq, rad, (h, w))
    del integral, integral_sq
    mean = s / count
    std = np.sqrt(np.maximum(s2 / count - mean * mean, 0.0))
    threshold = mean * (1.0 + k * (std / r - 1.0))
    return Image.fromarray(np.where(gray > threshold, 255, 0).astype(np.uint8), "L")


def ink_mask(image: Image.Image) -> np.ndarray:
    """True where a pixel is ink (at or below Otsu's threshold of the grey image)."""
    gray = np.asarray(image.convert("L"))
    return gray <= otsu_threshold(gray)


def count_ink(image: Image.Image) -> int:
    """Dark pixels after Otsu; 0 for a blank page (uniform image)."""
    gray = np.asarray(image.convert("L"))
    if int(gray.max()) - int(gray.min()) < 32:
        return 0
    return int((gray <= otsu_threshold(gray)).sum())


# --- colour ---------------------------------------------------------------------------------------

RED_MIN_SHARE = 0.0005  # red ink on at least 0.05 % of the page before anything is dropped
HEADER_BAND = 0.28  # the top of the page keeps its red: secrecy and urgency stamps are printed there


def drop_red_ink(image: Image.Image, gray: Image.Image) -> Image.Image | None:
    """The grayscale page with red ink (seals, "received" stamps, red signatures) turned to paper white
    below the header band; None when the page has no red ink to speak of.

    A red seal over the signature block makes Tesseract take the block for a picture and skip the title
    and the signer's name; in luminance red is as dark as text. Black and blue ink are untouched. The top
    ``HEADER_BAND`` of the page is left alone: the "MẬT" / "KHẨN" stamps there must stay readable.
    """
    if image.mode not in ("RGB", "RGBA", "P", "CMYK", "YCbCr"):
        return None
    rgb = np.asarray(image.convert("RGB"), dtype=np.int16)
    r, g, b = rgb[..., 0], rgb[..., 1], rgb[..., 2]
    red = (r - np.maximum(g, b) > 35) & (r > 100)
    top = int(HEADER_BAND * red.shape[0])
    red[:top] = False
    if red.mean() < RED_MIN_SHARE:
        return None
    # one pixel around the ink too: blur and JPEG leave a darker halo at the edges of a stroke
    grown = red.copy()
    grown[1:] |= red[:-1]
    grown[:-1] |= red[1:]
    grown[:, 1:] |= red[:, :-1]
    grown[:, :-1] |= red[:, 1:]
    grown[:top] = False
    red = grown & (r - np.maximum(g, b) > 12)
    out = np.asarray(gray).copy()
    # the local paper level: the brightest of the neighbouring 8 x 8 block means (cheap, on a small image)
    small = gray.reduce(8).filter(ImageFilter.MaxFilter(3))
    paper = np.asarray(small.resize(gray.size, Image.Resampling.BILINEAR))
    out[red] = paper[red]
    return Image.fromarray(out, "L")


def red_stamp_crop(image: Image.Image) -> tuple[Image.Image, tuple[int, int, int, int]] | None:
    """The red ink of the header band as dark-on-white (a MẬT / KHẨN stamp), with its box in the image.

    Stamps are printed in red, which luminance renders as a mid grey inside a frame; read on their own, as
    "redness", they come out clean. None when the band holds no compact red mark.
    """
    if image.mode not in ("RGB", "RGBA", "P", "CMYK", "YCbCr"):
        return None
    w, h = image.size
    band = image.crop((0, 0, w, int(HEADER_BAND * h))).convert("RGB")
    rgb = np.asarray(band, dtype=np.int16)
    redness = rgb[..., 0] - np.maximum(rgb[..., 1], rgb[..., 2])
    mask = (redness > 35) & (rgb[..., 0] > 100)
    if mask.sum() < 30:
        return None
    ys, xs = np.nonzero(mask)
    # the main cluster: drop the outer 2 % of red pixels on each side (specks of JPEG colour noise)
    x0, x1 = np.percentile(xs, [2, 98]).astype(int)
    y0, y1 = np.percentile(ys, [2, 98]).astype(int)
    bw, bh = x1 - x0 + 1, y1 - y0 + 1
    if bw < 8 or bh < 5 or bw * bh > 0.2 * mask.size:
        return None
    # a frame around the word: rows / columns that are mostly red are its sides; read inside them
    sub = mask[y0:y1 + 1, x0:x1 + 1]
    rows = np.nonzero(sub.mean(axis=1) > 0.6)[0]
    cols = np.nonzero(sub.mean(axis=0) > 0.6)[0]
    framed = False
    top_side, bottom_side = rows[rows < 0.25 * bh], rows[rows > 0.75 * bh]
    if len(top_side) and len(bottom_side):
        y0, y1, framed = y0 + top_side.max() + 2, y0 + bottom_side.min() - 2, True
    left_side, right_side = cols[cols < 0.2 * bw], cols[cols > 0.8 * bw]
    if len(left_side) and len(right_side):
        x0, x1, framed = x0 + left_side.max() + 2, x0 + right_side.min() - 2, True
    bh = max(1, y1 - y0 + 1)
    pad = 1 if framed else max(3, bh // 4)  # inside a frame the margin is already there
    box = (max(0, x0 - pad), max(0, y0 - pad), min(w, x1 + pad), min(band.height, y1 + pad))
    # located by its colour, read in the green channel: red ink is dark there, and thin strokes keep their
    # contrast (JPEG smears the colour of a thin stroke far more than its brightness)
    green = rgb[box[1]:box[3], box[0]:box[2], 1].astype(np.uint8)
    out = ImageOps.autocontrast(Image.fromarray(green, "L"), cutoff=2)
    factor = max(1, min(6, round(64 / max(1, bh))))  # stamp letters ~40-60 px high for Tesseract
    if factor > 1:
        out = out.resize((out.width * factor, out.height * factor), Image.Resampling.LANCZOS)
    return out, (int(box[0]), int(box[1]), int(box[2] - box[0]), int(box[3] - box[1]))


# --- skew ----------------------------------------------------------------------------------------


def _profile_score(binary: Image.Image, angle: float) -> float:
    rotated = binary.rotate(angle, resample=Image.Resampling.NEAREST, expand=True, fillcolor=0)
    rows = np.asarray(rotated, dtype=np.float64).sum(axis=1)
    return float(np.sum(np.diff(rows) ** 2))


def estimate_skew(image: Image.Image, max_angle: float = MAX_SKEW_DEG) -> float:
    """Estimated skew of the text lines in degrees, counter-clockwise positive, within ±max_angle.

    Projection-profile method on a downscaled ink mask: the correction angle is the rotation
    that makes the row profile sharpest (largest sum of squared differences between rows).
    """
    gray = image.convert("L")
    factor = min(1.0, 1200 / max(gray.size))
    if factor < 1.0:
        gray = gray.resize((max(1, round(gray.width * factor)), max(1, round(gray.height * factor))),
                           Image.Resampling.BOX)  # fmt: skip
    mask = ink_mask(gray)
    if mask.mean() < 0.001 or mask.mean() > 0.6:
        return 0.0
    binary = Image.fromarray((mask * 255).astype(np.uint8), "L")
    best = max(np.arange(-max_angle, max_angle + 1e-9, 0.5), key=lambda a: _profile_score(binary, a))
    fine = np.arange(best - 0.5, best + 0.5 + 1e-9, 0.1)
    correction = max(fine, key=lambda a: _profile_score(binary, a))
    return round(-float(correction), 2)


# --- resolution ----------------------------------------------------------------------------------


def estimate_x_height(image: Image.Image) -> float | None:
    """Median x-height in pixels from the row profile of the text lines (None if too little text)."""
    mask = ink_mask(image)
    if mask.mean() < 0.001:
        return None
    rows = mask.sum(axis=1).astype(np.float64)
    inked = rows > max(2.0, 0.02 * rows.max())
    heights: list[int] = []
    y, n = 0, len(rows)
    while y < n:
        if not inked[y]:
            y += 1
            continue
        start = y
        while y < n and inked[y]:
            y += 1
        band = rows[start:y]
        if band.mean() > 0.4 * mask.shape[1]:
            continue  # a solid block (stain, photo, border), not a text line
        if len(band) >= 4:
            # the mean line is the sharpest rise of the profile, the baseline its sharpest fall
            d = np.diff(band)
            top, bottom = int(np.argmax(d)), int(np.argmin(d))
            if bottom - top >= 3:
                heights.append(bottom - top)
    if len(heights) < 3:
        return None  # too few text lines to tell the text size
    return float(np.median(heights))


def _long_side_in(image: Image.Image, dpi: float) -> float:
    return max(image.size) / dpi


def estimate_resolution(
    image: Image.Image, metadata_dpi: float | None = None, *, manifest_dpi: float | None = None
) -> tuple[float | None, str]:
    """Effective resolution of a page: (dpi, source), source "manifest", "metadata", "text" or "unknown".

    What the page declares is trusted before anything is estimated:

    1. the delivery manifest's dpi (a person declared it for this file), when within 50-1200 dpi;
    2. the file's own resolution (JPEG/TIFF dpi, PDF page geometry) when plausible (100-1200 dpi, not the
       72/96 defaults software writes) -- unless the page would then be implausibly small for a document
       (long side under 9 in) while the text size gives a document-sized page (a phone photo labelled
       300 dpi). A sparse page (a signature page, a cover) no longer loses its declared 300 dpi to a text
       estimate made from three lines;
    3. otherwise the x-height of the text lines (13.5 pt body text).

    >>> from PIL import Image
    >>> estimate_resolution(Image.new("L", (2480, 3508), 255), 300)
    (300.0, 'metadata')
    >>> estimate_resolution(Image.new("L", (2480, 3508), 255), 72, manifest_dpi=200)
    (200.0, 'manifest')
    """
    if manifest_dpi and MANIFEST_DPI[0] <= manifest_dpi <= MANIFEST_DPI[1]:
        return float(manifest_dpi), "manifest"
    plausible = bool(metadata_dpi) and PLAUSIBLE_DPI[0] <= metadata_dpi <= PLAUSIBLE_DPI[1] \
        and round(metadata_dpi) not in SUSPICIOUS_DPI
    xh = estimate_x_height(image)
    text_dpi = xh / (X_HEIGHT_EM * BODY_PT / 72.0) if xh else None
    if plausible:
        lo, hi = DOCUMENT_LONG_SIDE_IN
        if text_dpi and metadata_dpi / text_dpi > 1.6 and _long_side_in(image, metadata_dpi) < lo \
                and lo <= _long_side_in(image, text_dpi) <= hi:
            return float(text_dpi), "text"
        return float(metadata_dpi), "metadata"
    if text_dpi:
        return float(text_dpi), "text"
    return None, "unknown"


# --- pipeline ------------------------------------------------------------------------------------


def prepare(image: Image.Image, dpi: float | None = None, *, deskew: bool = True,
            manifest_dpi: float | None = None, max_upscale: float = MAX_UPSCALE) -> Prepared:
    """Prepare a page for OCR: grayscale, deskew (±5°), normalise resolution towards ~300 dpi.

    ``dpi`` is the resolution from the file's metadata (or PDF geometry) if any; the image's
    ``info["dpi"]`` is used otherwise. ``manifest_dpi`` is the delivery manifest's dpi for the file; it
    is trusted first (see :func:`estimate_resolution`). A low-resolution page is upscaled by at most
    ``max_upscale``.
    """
    if dpi is None:
        meta = image.info.get("dpi")
        dpi = float(meta[0]) if meta else None
    original_size = image.size
    steps: list[str] = []
    gray = image
    if image.mode != "L":
        gray = image.convert("L")
        steps.append("grayscale")
        dropped = drop_red_ink(image, gray)
        if dropped is not None:
            gray = dropped
            steps.append("red-dropout")
    prepared = Prepared(image=gray, steps=steps, original_size=original_size)

    skew = estimate_skew(gray) if deskew else 0.0
    prepared.skew_deg = skew
    straight = gray
    if abs(skew) >= MIN_DESKEW_DEG:
        straight = gray.rotate(-skew, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=255)

    src_dpi, source = estimate_resolution(straight, dpi, manifest_dpi=manifest_dpi)
    prepared.source_dpi, prepared.dpi_source = src_dpi, source
    scale = 1.0
    if src_dpi and src_dpi < LOW_RES_DPI:
        scale = max(1.0, min(TARGET_DPI / src_dpi, max_upscale))
    elif src_dpi and src_dpi > HIGH_RES_DPI:
        scale = TARGET_DPI / src_dpi
    if gray.width * gray.height * scale * scale > MAX_PREPARED_PIXELS:
        scale = min(scale, math.sqrt(MAX_PREPARED_PIXELS / (gray.width * gray.height)))
    scale = round(scale, 2)

    out = gray
    if scale != 1.0:
        size = (max(1, round(gray.width * scale)), max(1, round(gray.height * scale)))
        resample = Image.Resampling.LANCZOS if scale > 1 else Image.Resampling.BOX
        out = gray.resize(size, resample)
        steps.append(f"{'upscale' if scale > 1 else 'downscale'}:{scale:.2f}x")
    if abs(skew) >= MIN_DESKEW_DEG:
        out = out.rotate(-skew, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=255)
        steps.append(f"deskew:{-skew:+.2f}deg")
    prepared.image = out
    prepared.scale = scale
    prepared.angle = -skew if abs(skew) >= MIN_DESKEW_DEG else 0.0
    prepared.dpi = (src_dpi or TARGET_DPI) * scale
    prepared.ink_pixels = count_ink(out)
    out.info["dpi"] = (prepared.dpi, prepared.dpi)
    return prepared


@dataclass(frozen=True)
class Variant:
    name: str
    image: Image.Image
    psm: int | None  # None: keep the engine's page-segmentation mode
    steps: tuple[str, ...]


def recovery_names(psm: int) -> tuple[str, ...]:
    """Names of the variants :func:`recovery_variants` yields, in order (without making the images)."""
    return ("recovery:median+otsu", f"recovery:sauvola+psm{6 if psm != 6 else 4}")


def recovery_variants(prepared: Prepared, psm: int) -> Iterator[Variant]:
    """Alternative images for a page whose first pass failed, cheapest first (same geometry)."""
    denoised = prepared.image.filter(ImageFilter.MedianFilter(3))
    yield Variant("recovery:median+otsu", binarize_otsu(denoised), None, ("denoise:median3", "binarize:otsu"))
    window = max(15, round(prepared.dpi / 10) | 1)
    stretched = ImageOps.autocontrast(denoised, cutoff=1)
    other_psm = 6 if psm != 6 else 4
    yield Variant(
        f"recovery:sauvola+psm{other_psm}",
        binarize_sauvola(stretched, window=window),
        other_psm,
        ("denoise:median3", "autocontrast", f"binarize:sauvola{window}", f"psm:{other_psm}"),
    )
