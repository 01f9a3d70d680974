"""Page images and the searchable PDF of one document, from the access copies (or the raw scans).

The index keeps, for every page, where its image is: the access copy (`pdf_path` relative to the lake root,
`pdf_page` 0-based) and the scan (`sha256` in the raw store, `page_index`). Images are rendered at
`RENDER_DPI`; paths are resolved inside the lake root only.
"""

from __future__ import annotations

import io
from pathlib import Path

RENDER_DPI = 150


class PageImageError(RuntimeError):
    pass


def _inside(root: Path, rel: str) -> Path:
    path = (root / rel).resolve()
    if not path.is_relative_to(root.resolve()):
        raise PageImageError(f"path outside the lake root: {rel}")
    return path


def _raw_path(lake_root: Path, sha256: str) -> Path:
    return lake_root / "raw" / sha256[:2] / sha256[2:4] / sha256


def render_page(lake_root: Path, image: dict, dpi: int = RENDER_DPI) -> tuple[bytes, int, int]:
    """(JPEG bytes, width, height) of one page."""
    from PIL import Image

    pil = None
    if image.get("pdf"):  # the document's export for the reading room (lake.apps.search.exports)
        path = _inside(lake_root, image["pdf"])
        if path.is_file():
            import pypdfium2 as pdfium

            pdf = pdfium.PdfDocument(str(path))
            try:
                pil = pdf[int(image.get("page", 0))].render(scale=dpi / 72).to_pil().convert("RGB")
            finally:
                pdf.close()
    if pil is None and image.get("pdf_path"):
        path = _inside(lake_root, image["pdf_path"])
        if path.is_file():
            import pypdfium2 as pdfium

            pdf = pdfium.PdfDocument(str(path))
            try:
                page = pdf[int(image.get("pdf_page", 0))]
                pil = page.render(scale=dpi / 72).to_pil().convert("RGB")
            finally:
                pdf.close()
    if pil is None and image.get("sha256"):
        raw = _raw_path(lake_root, image["sha256"])
        if raw.is_file():
            head = raw.read_bytes()[:5]
            if head.startswith(b"%PDF"):
                import pypdfium2 as pdfium

                pdf = pdfium.PdfDocument(str(raw))
                try:
                    pil = pdf[int(image.get("page_index", 0))].render(scale=dpi / 72).to_pil().convert("RGB")
                finally:
                    pdf.close()
            else:
                with Image.open(raw) as im:
                    im.seek(int(image.get("page_index", 0)))
                    pil = im.convert("RGB")
    if pil is None:
        raise PageImageError("no access copy or scan found for this page")
    buf = io.BytesIO()
    pil.save(buf, "JPEG", quality=85)
    return buf.getvalue(), pil.width, pil.height


def document_pdf(lake_root: Path, pages: list[dict]) -> bytes:
    """The document's searchable PDF: its export, or its pages cut from their access copies (text layers kept)."""
    import pypdfium2 as pdfium

    exports = {(p.get("image") or {}).get("pdf") for p in pages}
    if len(exports) == 1 and None not in exports:
        path = _inside(lake_root, exports.pop())
        if path.is_file():
            return path.read_bytes()
        raise PageImageError("the document's PDF has not been exported yet (lakehouse index)")

    out = pdfium.PdfDocument.new()
    opened: dict[str, pdfium.PdfDocument] = {}
    try:
        for p in sorted(pages, key=lambda p: p["n"]):
            img = p.get("image") or {}
            if not img.get("pdf_path"):
                raise PageImageError(f"page {p['n']} has no access copy")
            path = str(_inside(lake_root, img["pdf_path"]))
            if path not in opened:
                opened[path] = pdfium.PdfDocument(path)
            out.import_pages(opened[path], [int(img.get("pdf_page", 0))])
        buf = io.BytesIO()
        out.save(buf)
        return buf.getvalue()
    finally:
        for doc in opened.values():
            doc.close()
        out.close()
