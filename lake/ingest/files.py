"""Recognise a delivered file from its bytes, count and describe its pages, read its embedded metadata.

Every problem raises `BadInput` with a stable reason code; the ingest job quarantines the file with it.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

from PIL import ExifTags, Image, ImageSequence, TiffTags, UnidentifiedImageError

# A page larger than this is refused at ingest (about 24k x 17k px: A2 at 600 dpi); OCR downsamples
# large-but-legal pages itself. Checked from the header, before any pixel is decoded.
MAX_PAGE_PIXELS = 250_000_000

TABULAR_FORMATS = ("csv", "xlsx")
SCAN_FORMATS = ("jpeg", "png", "tiff", "pdf")


class BadInput(Exception):
    def __init__(self, reason_code: str, message: str):
        super().__init__(f"{reason_code}: {message}")
        self.reason_code = reason_code
        self.message = message


@dataclass
class PageInfo:
    page_index: int
    width_px: int | None
    height_px: int | None
    dpi_x: float | None
    dpi_y: float | None
    color_mode: str | None


@dataclass
class FileInspection:
    detected_format: str
    pages: list[PageInfo] = field(default_factory=list)
    metadata: dict[str, str] = field(default_factory=dict)

    @property
    def page_count(self) -> int | None:
        return len(self.pages) if self.detected_format in SCAN_FORMATS else None


def detect_format(data: bytes, name: str = "") -> str | None:
    """Format from the magic bytes (never from the file name); csv by name only for valid UTF-8 text."""
    head = data[:16]
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head[:4] in (b"II*\x00", b"MM\x00*"):
        return "tiff"
    if head.startswith(b"%PDF-"):
        return "pdf"
    if (head.startswith(b"PK\x03\x04") and b"[Content_Types].xml" in data[:4096]) or (
        head.startswith(b"PK\x03\x04") and name.lower().endswith(".xlsx")
    ):
        return "xlsx"
    if name.lower().endswith(".csv"):
        try:
            data[:65536].decode("utf-8")
        except UnicodeDecodeError:
            return None
        return "csv"
    return None


def _describe(head: bytes) -> str:
    printable = head[:24].decode("latin-1")
    return "".join(ch if 32 <= ord(ch) < 127 else "." for ch in printable)


def inspect(data: bytes, name: str) -> FileInspection:
    """Recognise and validate a delivered file. Scans are fully decoded once to prove they are readable."""
    if not data:
        raise BadInput("empty_file", "the file is empty (0 bytes)")
    fmt = detect_format(data, name)
    if fmt is None:
        ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
        raise BadInput(
            "unknown_format",
            f"content is not a supported scan or table format (name ends .{ext}, starts with {_describe(data)!r})",
        )
    if fmt in ("jpeg", "png", "tiff"):
        return _inspect_image(data, fmt)
    if fmt == "pdf":
        return _inspect_pdf(data)
    return FileInspection(fmt)


def _dpi(img: Image.Image) -> tuple[float | None, float | None]:
    dpi = img.info.get("dpi")
    if not dpi:
        return None, None
    try:
        x, y = float(dpi[0]), float(dpi[1])
    except (TypeError, ValueError, IndexError):
        return None, None
    return (x or None), (y or None)


def _image_metadata(img: Image.Image, fmt: str) -> dict[str, str]:
    meta: dict[str, str] = {}
    try:
        exif = img.getexif()
    except Exception:
        exif = {}
    for tag, value in dict(exif).items():
        name = ExifTags.TAGS.get(tag) or TiffTags.TAGS.get(tag) or str(tag)
        if isinstance(value, bytes | bytearray):
            continue
        text = str(value).strip("\x00 ").strip()
        if text and len(text) < 500:
            meta[name] = text
    for key in ("comment", "description", "Description"):
        if key in img.info and isinstance(img.info[key], str | bytes):
            val = img.info[key]
            meta[key] = val.decode("utf-8", "replace") if isinstance(val, bytes) else val
    return meta


def _inspect_image(data: bytes, fmt: str) -> FileInspection:
    try:
        img = Image.open(io.BytesIO(data))
    except UnidentifiedImageError as exc:
        raise BadInput("unreadable_image", f"{fmt} header cannot be read: {exc}") from exc
    except Image.DecompressionBombError as exc:
        raise BadInput("image_too_large", str(exc)) from exc
    result = FileInspection(fmt, metadata=_image_metadata(img, fmt))
    try:
        for index, frame in enumerate(ImageSequence.Iterator(img)):
            w, h = frame.size
            if w * h > MAX_PAGE_PIXELS:
                raise BadInput("image_too_large", f"page {index} is {w} x {h} px, over {MAX_PAGE_PIXELS:,} pixels")
            frame.load()
            dx, dy = _dpi(frame)
            result.pages.append(PageInfo(index, w, h, dx, dy, frame.mode))
    except BadInput:
        raise
    except Image.DecompressionBombError as exc:
        raise BadInput("image_too_large", str(exc)) from exc
    except (OSError, SyntaxError, ValueError, EOFError) as exc:
        kind = "truncated_image" if "truncated" in str(exc).lower() else "unreadable_image"
        raise BadInput(kind, f"{fmt} page {len(result.pages)} cannot be decoded: {exc}") from exc
    if not result.pages:
        raise BadInput("unreadable_image", f"{fmt} holds no page")
    return result


def _inspect_pdf(data: bytes) -> FileInspection:
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        text = str(exc).lower()
        if "password" in text or "security" in text:
            raise BadInput("encrypted_pdf", f"the PDF is encrypted and cannot be opened: {exc}") from exc
        raise BadInput("unreadable_pdf", f"the PDF cannot be opened: {exc}") from exc
    try:
        if pdfium_c.FPDF_GetSecurityHandlerRevision(pdf.raw) != -1:
            # An archive copy must be readable without a password and cannot be PDF/A when encrypted.
            raise BadInput("encrypted_pdf", "the PDF is encrypted (security handler present)")
        meta = {k: v for k, v in pdf.get_metadata_dict(skip_empty=True).items() if isinstance(v, str)}
        result = FileInspection("pdf", metadata=meta)
        if len(pdf) == 0:
            raise BadInput("unreadable_pdf", "the PDF has no page")
        for index in range(len(pdf)):
            page = pdf[index]
            w_pt, _ = page.get_size()
            width = height = None
            dpi = None
            for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=1):
                px_w, px_h = obj.get_px_size()
                if width is None or px_w * px_h > width * height:
                    width, height = px_w, px_h
                    dpi = round(px_w / (w_pt / 72.0), 1) if w_pt else None
            if width and height and width * height > MAX_PAGE_PIXELS:
                raise BadInput("image_too_large", f"page {index} embeds a {width} x {height} px image")
            result.pages.append(PageInfo(index, width, height, dpi, dpi, None))
            page.close()
        return result
    finally:
        pdf.close()
