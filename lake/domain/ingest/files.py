"""Recognise a delivered file from its bytes, count and describe its pages, read its embedded metadata.

Every problem raises `BadInput` with a stable reason code; the ingest job quarantines the file with it.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

from PIL import ExifTags, Image, ImageSequence, TiffTags, UnidentifiedImageError

from lake.core.settings import FileLimits
from lake.domain.ingest.reasons import plain

# Pages larger than this are refused at ingest and at OCR alike (LAKEHOUSE_MAX_PAGE_PIXELS; A3 at 600 dpi is
# ~70 Mpx). Checked from the header, before any pixel is decoded.
MAX_PAGE_PIXELS = FileLimits().max_page_pixels

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
    signatures: list[dict] = field(default_factory=list)  # digital signatures of a PDF (lake.domain.ingest.signatures)

    @property
    def page_count(self) -> int | None:
        """Pages of a scan file (PDF, TIFF, JPEG, PNG); None for other formats."""
        return len(self.pages) if self.detected_format in SCAN_FORMATS else None


def detect_format(data: bytes, name: str = "") -> str | None:
    """Format from the magic bytes (never from the file name); csv by name for text in any encoding.

    Whether a CSV's encoding can be read is decided when its rows are read (`lake.domain.ingest.tabular`), so a
    cp1258 or UTF-16 CSV is `bad_encoding` (with the encoding guessed) or decoded, never `unknown_format`.
    """
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
    if name.lower().endswith(".csv") and looks_like_text(data[:65536]):
        return "csv"
    return None


def looks_like_text(head: bytes) -> bool:
    """Text in some encoding: UTF-16 (NULs in every other byte) or 8-bit text with no NUL / binary controls."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return True
    sample = head[:4096]
    if sample and (sample[1::2].count(0) > 0.4 * len(sample[1::2]) or sample[0::2].count(0) > 0.4 * len(sample[0::2])):
        return True  # UTF-16 without a byte-order mark
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 13))
    return controls <= len(sample) // 200


def _ext(name: str) -> str:
    base = name.rsplit("/", 1)[-1]
    ext = base.rsplit(".", 1)[-1].lower() if "." in base else ""
    return "".join(ch for ch in ext[:10] if ch.isalnum())


def inspect(data: bytes, name: str, limits: FileLimits | None = None) -> FileInspection:
    """Recognise and validate a delivered file. Scans are fully decoded once to prove they are readable.

    Reasons never quote the file's bytes (a landing file may be anything, a password file included)."""
    limits = limits or FileLimits()
    if not data:
        raise BadInput("empty_file", "tệp rỗng (0 byte) / the file is empty (0 bytes)")
    if len(data) > limits.max_file_bytes:
        raise BadInput("file_too_large", f"the file has {len(data):,} bytes, over the limit of "
                       f"{limits.max_file_bytes:,} (LAKEHOUSE_MAX_FILE_BYTES)")
    fmt = detect_format(data, name)
    if fmt is None:
        ext = _ext(name)
        raise BadInput(
            "unknown_format",
            "nội dung không phải ảnh quét hay bảng được hỗ trợ / content is not a supported scan or table format "
            f"(JPEG, PNG, TIFF, PDF, CSV, XLSX){f'; the name ends .{ext}' if ext else ''}",
        )
    if fmt in ("jpeg", "png", "tiff"):
        result = _inspect_image(data, fmt, limits)
    elif fmt == "pdf":
        result = _inspect_pdf(data, limits)
    else:
        return FileInspection(fmt)
    if len(result.pages) > limits.max_file_pages:
        raise BadInput("too_many_pages", f"the file has {len(result.pages):,} pages, over the limit of "
                       f"{limits.max_file_pages:,} (LAKEHOUSE_MAX_FILE_PAGES)")
    return result


def _too_large(index: int, w: int, h: int, limits: FileLimits) -> BadInput:
    return BadInput("image_too_large", f"page {index} is {w} x {h} px = {w * h / 1e6:.0f} Mpx, over the limit "
                    f"of {limits.max_page_pixels / 1e6:.0f} Mpx (LAKEHOUSE_MAX_PAGE_PIXELS)")


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


def _inspect_image(data: bytes, fmt: str, limits: FileLimits) -> FileInspection:
    try:
        img = Image.open(io.BytesIO(data))
    except Image.DecompressionBombError as exc:
        raise BadInput("image_too_large", plain(exc)) from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError) as exc:
        kind = "truncated_image" if "truncated" in str(exc).lower() else "unreadable_image"
        raise BadInput(kind, f"the {fmt} header cannot be read") from exc
    result = FileInspection(fmt, metadata=_image_metadata(img, fmt))
    try:
        for index, frame in enumerate(ImageSequence.Iterator(img)):
            w, h = frame.size
            if w * h > limits.max_page_pixels:
                raise _too_large(index, w, h, limits)
            if index >= limits.max_file_pages:
                raise BadInput("too_many_pages", f"the file has more than {limits.max_file_pages:,} pages "
                               "(LAKEHOUSE_MAX_FILE_PAGES)")
            frame.load()
            dx, dy = _dpi(frame)
            result.pages.append(PageInfo(index, w, h, dx, dy, frame.mode))
    except BadInput:
        raise
    except Image.DecompressionBombError as exc:
        raise BadInput("image_too_large", plain(exc)) from exc
    except (OSError, SyntaxError, ValueError, EOFError) as exc:
        kind = "truncated_image" if "truncated" in str(exc).lower() else "unreadable_image"
        raise BadInput(kind, f"{fmt} page {len(result.pages)} cannot be decoded: {plain(exc)}") from exc
    if not result.pages:
        raise BadInput("unreadable_image", f"{fmt} holds no page")
    return result


def _inspect_pdf(data: bytes, limits: FileLimits) -> FileInspection:
    """A PDF that opens without a user password is accepted whatever its permission flags (a signed "SAO Y"
    copy often carries them); only one that really needs a password is `encrypted_pdf`. Pages are counted
    and their embedded images sized from the page objects, nothing is rendered."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        text = str(exc).lower()
        if "password" in text or "security" in text:
            raise BadInput("encrypted_pdf", "tệp PDF cần mật khẩu để mở / the PDF needs a password to open") from exc
        raise BadInput("unreadable_pdf", f"the PDF cannot be opened: {plain(exc)}") from exc
    try:
        meta = {k: v for k, v in pdf.get_metadata_dict(skip_empty=True).items() if isinstance(v, str)}
        revision = pdfium_c.FPDF_GetSecurityHandlerRevision(pdf.raw)
        if revision != -1:
            meta["pdf_security"] = f"permission flags only (opens without a password; handler revision {revision})"
        result = FileInspection("pdf", metadata=meta)
        n = len(pdf)
        if n == 0:
            raise BadInput("unreadable_pdf", "the PDF has no page")
        if n > limits.max_file_pages:
            raise BadInput("too_many_pages", f"the file has {n:,} pages, over the limit of "
                           f"{limits.max_file_pages:,} (LAKEHOUSE_MAX_FILE_PAGES)")
        for index in range(n):
            page = pdf[index]
            try:
                w_pt, _ = page.get_size()
                width = height = None
                dpi = None
                for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=1):
                    px_w, px_h = obj.get_px_size()
                    if width is None or px_w * px_h > width * height:
                        width, height = px_w, px_h
                        dpi = round(px_w / (w_pt / 72.0), 1) if w_pt else None
                if width and height and width * height > limits.max_page_pixels:
                    raise _too_large(index, width, height, limits)
                result.pages.append(PageInfo(index, width, height, dpi, dpi, None))
            finally:
                page.close()
        from lake.domain.ingest.signatures import read_signatures

        result.signatures = read_signatures(data)
        return result
    finally:
        pdf.close()
