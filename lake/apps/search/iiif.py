"""IIIF Presentation 3 manifest of one shared document (iiif-prezi3): one canvas per page, painted with the
reading room's page image, and the document's metadata in Vietnamese, so any IIIF viewer the archives use
(Mirador, Universal Viewer) can show it."""

from __future__ import annotations

from pathlib import Path

from lake.apps.search.pages import RENDER_DPI, _inside

A4_AT_RENDER_DPI = (round(210 / 25.4 * RENDER_DPI), round(297 / 25.4 * RENDER_DPI))
METADATA_LABELS = (("document_code", "Mã định danh"), ("type_name", "Loại văn bản"), ("symbol", "Số và ký hiệu"),
                   ("document_date", "Ngày văn bản"), ("issuer", "Cơ quan ban hành"), ("subject", "Trích yếu"),
                   ("signer", "Người ký"), ("agency_name", "Cơ quan"), ("district_name", "Quận/huyện cũ"),
                   ("old_commune_name", "Xã/phường cũ"), ("new_commune_name", "Xã/phường mới"),
                   ("record_code", "Mã hồ sơ"), ("retention", "Thời hạn bảo quản"))


def page_size(lake_root: Path, image: dict) -> tuple[int, int]:
    """Width and height of the rendered page image, read from the access copy's page box (no rendering)."""
    rel, page = (image.get("pdf"), image.get("page", 0)) if image.get("pdf") else \
        (image.get("pdf_path"), image.get("pdf_page", 0))
    if rel:
        try:
            import pypdfium2 as pdfium

            pdf = pdfium.PdfDocument(str(_inside(lake_root, rel)))
            try:
                w, h = pdf[int(page)].get_size()
            finally:
                pdf.close()
            return round(w * RENDER_DPI / 72), round(h * RENDER_DPI / 72)
        except Exception:
            pass
    return A4_AT_RENDER_DPI


def document_manifest(doc: dict, base_url: str, lake_root: Path) -> str:
    from iiif_prezi3 import Manifest

    code = doc["document_code"]
    title = " ".join(x for x in (doc.get("type_name"), doc.get("symbol")) if x) or code
    manifest = Manifest(id=f"{base_url}/documents/{code}/manifest.json", label={"vi": [title]},
                        summary={"vi": [doc.get("subject") or ""]} if doc.get("subject") else None,
                        metadata=[{"label": {"vi": [label]}, "value": {"vi": [str(doc[k])]}}
                                  for k, label in METADATA_LABELS if doc.get(k)])
    for p in sorted(doc.get("pages", []), key=lambda p: p["n"]):
        n = p["n"]
        width, height = page_size(lake_root, p.get("image") or {})
        canvas = manifest.make_canvas(id=f"{base_url}/documents/{code}/canvas/{n}", label={"vi": [f"Trang {n}"]},
                                      width=width, height=height)
        canvas.add_image(image_url=f"{base_url}/documents/{code}/pages/{n}/image",
                         anno_page_id=f"{base_url}/documents/{code}/canvas/{n}/page",
                         anno_id=f"{base_url}/documents/{code}/canvas/{n}/image", format="image/jpeg",
                         width=width, height=height)
    return manifest.json(indent=2)
