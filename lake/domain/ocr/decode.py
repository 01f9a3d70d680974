"""Decode scanned inputs (JPEG, PNG, TIFF, PDF) into page images, safely.

* :func:`detect_format` sniffs magic numbers from the first bytes of a file.
* :func:`iter_pages` yields :class:`Page` objects (a PIL image in ``L`` or ``RGB`` mode with EXIF
  orientation applied, plus its resolution) one at a time, so a multi-page TIFF or PDF is never held
  in memory whole.
* :func:`count_pages` counts pages without decoding pixels.

Every failure is a :class:`DecodeError` subclass with a message that says what is wrong. Image
dimensions are checked from the header before any pixel is decoded: a page above ``max_pixels`` is
refused with :class:`ImageTooLarge` (JPEGs are instead decoded at a reduced scale with libjpeg's
DCT scaling, which costs no full-size buffer).
"""

from __future__ import annotations

import io
import math
import warnings
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from PIL import Image, ImageOps, ImageSequence

SUPPORTED_FORMATS = ("jpeg", "png", "tiff", "pdf")
DEFAULT_MAX_PIXELS = 80_000_000  # A3 at 600 dpi is ~70 Mpx; a 20k x 20k bomb is 400 Mpx
PDF_MAX_DPI = 300.0
PDF_DEFAULT_DPI = 300.0  # pages with no embedded image (born-digital)
PDF_MIN_DPI = 50.0


class DecodeError(Exception):
    """Base class of every decoding failure."""


class UnsupportedFormat(DecodeError):
    """The bytes are of a format this module does not decode (or of no known format)."""


class UnreadableImage(DecodeError):
    """The file is damaged or is not what its declared format says."""


class EncryptedPdf(DecodeError):
    """The PDF needs a password to be opened."""


class ImageTooLarge(DecodeError):
    """A page has more pixels than the configured limit (decompression-bomb guard)."""


@dataclass
class Page:
    """One decoded page."""

    index: int  # 0-based page number within the file
    image: Image.Image  # mode "L" or "RGB", orientation applied
    dpi: float | None  # resolution from metadata / PDF geometry, None when unknown
    source_format: str
    notes: list[str] = field(default_factory=list)  # e.g. ["exif-rotate", "draft-scale:0.5"]


def detect_format(head: bytes) -> str | None:
    """Detect a file format from its first bytes (give at least 1 KiB for PDFs with a preamble)."""
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head[:4] in (b"II*\x00", b"MM\x00*", b"II+\x00", b"MM\x00+"):
        return "tiff"
    if b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "gif"
    if head.startswith(b"BM"):
        return "bmp"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    if head.startswith((b"\x00\x00\x00\x0cjP  \r\n\x87\n", b"\xff\x4f\xff\x51")):
        return "jp2"
    return None


def _normalise_format(fmt: str) -> str:
    fmt = fmt.lower().lstrip(".")
    return {"jpg": "jpeg", "tif": "tiff"}.get(fmt, fmt)


def _check_declared(data: bytes, fmt: str) -> str:
    fmt = _normalise_format(fmt)
    if fmt not in SUPPORTED_FORMATS:
        raise UnsupportedFormat(f"format {fmt!r} is not decoded (supported: {', '.join(SUPPORTED_FORMATS)})")
    if not data:
        raise UnreadableImage(f"empty {fmt.upper()} file (0 bytes)")
    actual = detect_format(data[:1024])
    if actual != fmt:
        what = f"looks like {actual.upper()}" if actual else f"starts with {data[:8]!r}"
        raise UnreadableImage(f"not a {fmt.upper()} file: content {what}")
    return fmt


def _normalise_mode(im: Image.Image) -> Image.Image:
    if im.mode in ("L", "RGB"):
        return im
    if im.mode == "1":
        return im.convert("L")
    if im.mode in ("I;16", "I;16B", "I;16L", "I"):
        arr = im.point(lambda v: v / 256) if im.mode != "I" else im
        return arr.convert("L")
    if im.mode in ("LA", "RGBA", "PA", "P") and ("transparency" in im.info or im.mode.endswith("A")):
        rgba = im.convert("RGBA")
        bg = Image.new("RGB", rgba.size, "white")
        bg.paste(rgba, mask=rgba.getchannel("A"))
        return bg
    return im.convert("RGB")


def _dpi_of(im: Image.Image) -> float | None:
    dpi = im.info.get("dpi")
    if not dpi:
        return None
    try:
        value = float(dpi[0])
    except (TypeError, ValueError, IndexError):
        return None
    return value if math.isfinite(value) and value > 0 else None


def _open(data: bytes, fmt: str, max_pixels: int = DEFAULT_MAX_PIXELS) -> Image.Image:
    pil_fmt = {"jpeg": "JPEG", "png": "PNG", "tiff": "TIFF"}[fmt]
    saved = Image.MAX_IMAGE_PIXELS
    try:
        # PIL's own bomb guard must not be stricter than the configured page limit ingest applied
        Image.MAX_IMAGE_PIXELS = max(saved or 0, max_pixels)
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            return Image.open(io.BytesIO(data), formats=[pil_fmt])
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ImageTooLarge(f"{fmt.upper()} header declares too many pixels: {exc}") from exc
    except Exception as exc:  # PIL raises UnidentifiedImageError, OSError, SyntaxError, ...
        raise UnreadableImage(f"cannot parse {fmt.upper()} header: {exc}") from exc
    finally:
        Image.MAX_IMAGE_PIXELS = saved


def _load_frame(im: Image.Image, fmt: str, index: int, max_pixels: int) -> Page:
    w, h = im.size
    notes: list[str] = []
    if w <= 0 or h <= 0:
        raise UnreadableImage(f"{fmt.upper()} page {index + 1} has empty size {w}x{h}")
    dpi = _dpi_of(im)
    if w * h > max_pixels:
        if fmt != "jpeg":
            raise ImageTooLarge(
                f"{fmt.upper()} page {index + 1} is {w}x{h} = {w * h / 1e6:.0f} Mpx, "
                f"limit {max_pixels / 1e6:.0f} Mpx"
            )
        scale = math.sqrt(max_pixels / (w * h))
        # DCT scaling (1/2, 1/4, 1/8) picks the strongest reduction still >= the requested size,
        # so ask for half the limit's side to land between 1/2 and 1x of it
        im.draft(im.mode, (max(1, int(w * scale / 2)), max(1, int(h * scale / 2))))
        if im.size[0] * im.size[1] > max_pixels:
            raise ImageTooLarge(f"JPEG {w}x{h} cannot be reduced under {max_pixels / 1e6:.0f} Mpx")
        factor = im.size[0] / w
        notes.append(f"draft-scale:{factor:g}")
        dpi = dpi * factor if dpi else None
    try:
        im.load()
    except Exception as exc:
        if fmt == "jpeg" and "truncated" in str(exc):
            raise UnreadableImage(f"truncated JPEG: {exc}") from exc
        raise UnreadableImage(f"cannot decode {fmt.upper()} page {index + 1}: {exc}") from exc
    orientation = im.getexif().get(0x0112, 1) if fmt != "png" else 1
    out = ImageOps.exif_transpose(im)
    if orientation not in (1, None):
        notes.append(f"exif-orientation:{orientation}")
    out = _normalise_mode(out)
    if dpi:
        out.info["dpi"] = (dpi, dpi)
    return Page(index=index, image=out, dpi=dpi, source_format=fmt, notes=notes)


def _open_pdf(data: bytes):
    import pypdfium2 as pdfium

    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        msg = str(exc)
        if "password" in msg.lower():
            raise EncryptedPdf(f"PDF is encrypted and needs a password ({msg})") from exc
        raise UnreadableImage(f"cannot open PDF: {msg}") from exc


def _pdf_page_dpi(page) -> float | None:
    """Native resolution of the largest embedded image of the page, or None if it has none."""
    import pypdfium2.raw as pdfium_c

    best_area, best_dpi = 0.0, None
    for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE]):
        try:
            px_w, px_h = obj.get_px_size()
            left, bottom, right, top = obj.get_bounds()
        except Exception:
            continue
        w_pt, h_pt = abs(right - left), abs(top - bottom)
        if w_pt < 1 or h_pt < 1 or px_w <= 0 or px_h <= 0:
            continue
        area = w_pt * h_pt
        if area > best_area:
            # rotated placements swap the axes: use the geometric mean of both directions
            dpi_x = max(px_w, px_h) / (max(w_pt, h_pt) / 72.0)
            dpi_y = min(px_w, px_h) / (min(w_pt, h_pt) / 72.0)
            best_area, best_dpi = area, math.sqrt(dpi_x * dpi_y)
    return best_dpi


def _iter_pdf(data: bytes, max_pixels: int, pages: list[int] | None) -> Iterator[Page]:
    doc = _open_pdf(data)
    try:
        n = len(doc)
        for i in (range(n) if pages is None else [p for p in pages if 0 <= p < n]):
            page = doc[i]
            try:
                w_pt, h_pt = page.get_size()
                native = _pdf_page_dpi(page)
                dpi = min(native, PDF_MAX_DPI) if native else PDF_DEFAULT_DPI
                dpi = max(dpi, PDF_MIN_DPI)
                notes = [f"pdf-native-dpi:{native:.0f}" if native else "pdf-no-image"]
                px = (w_pt / 72 * dpi) * (h_pt / 72 * dpi)
                if px > max_pixels:
                    dpi *= math.sqrt(max_pixels / px)
                    notes.append("pdf-dpi-capped-by-pixel-limit")
                try:
                    bitmap = page.render(scale=dpi / 72.0)
                    image = bitmap.to_pil()
                except Exception as exc:
                    raise UnreadableImage(f"cannot render PDF page {i + 1}: {exc}") from exc
                image = _normalise_mode(image)
                image.info["dpi"] = (dpi, dpi)
                yield Page(index=i, image=image, dpi=dpi, source_format="pdf", notes=notes)
            finally:
                page.close()
    finally:
        doc.close()


def iter_pages(data: bytes, fmt: str, *, max_pixels: int = DEFAULT_MAX_PIXELS,
               pages: Iterable[int] | None = None) -> Iterator[Page]:
    """Yield the pages of a file one by one, in page order.

    ``fmt`` is the detected format (``jpeg``, ``png``, ``tiff``, ``pdf``; ``jpg``/``tif`` accepted).
    ``pages`` (0-based indices) restricts decoding to those pages: a PDF renders only them and a TIFF
    decodes only those frames (the others are skipped from their headers); indices past the end are not
    yielded (the caller sees them missing). Raises :class:`DecodeError` subclasses; a failure on page N is
    raised after the wanted pages < N were yielded.
    """
    fmt = _check_declared(data, fmt)
    wanted = None if pages is None else sorted(set(pages))
    if fmt == "pdf":
        yield from _iter_pdf(data, max_pixels, wanted)
        return
    im = _open(data, fmt, max_pixels)
    if fmt == "tiff":
        todo = None if wanted is None else set(wanted)
        try:
            for i, frame in enumerate(ImageSequence.Iterator(im)):
                if todo is not None:
                    if not todo:
                        break
                    if i not in todo:
                        continue
                    todo.discard(i)
                yield _load_frame(frame, fmt, i, max_pixels)  # exif_transpose returns a copy
        except DecodeError:
            raise
        except Exception as exc:
            raise UnreadableImage(f"cannot read TIFF frame: {exc}") from exc
        return
    if wanted is None or 0 in wanted:
        yield _load_frame(im, fmt, 0, max_pixels)


def decode_pages(data: bytes, fmt: str, *, max_pixels: int = DEFAULT_MAX_PIXELS) -> Iterator[Image.Image]:
    """Like :func:`iter_pages` but yields the PIL images only."""
    for page in iter_pages(data, fmt, max_pixels=max_pixels):
        yield page.image


def count_pages(data: bytes, fmt: str) -> int:
    """Number of pages (TIFF frames, PDF pages; 1 for JPEG/PNG) without decoding pixels."""
    fmt = _check_declared(data, fmt)
    if fmt == "pdf":
        doc = _open_pdf(data)
        try:
            return len(doc)
        finally:
            doc.close()
    im = _open(data, fmt)
    return int(getattr(im, "n_frames", 1))
