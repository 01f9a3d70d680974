"""What the indexer exports for the reading room: one searchable PDF per shared document.

The access copies (one PDF per scan file, in the pipeline's zone) can hold pages of restricted documents too,
so the reading room (`lakehouse-web`) is not given them. For every shared document the indexer cuts its pages
from the access copies (text layer kept) into `<lake root>/reading_room/documents/<code>.pdf`, readable by the
`lakehouse-shared` group (directory 2750, files 0640); the page viewer renders from it and the download serves
it. A document that leaves the index loses its export. Written atomically (temporary file, then rename).
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

from lake.core.os_accounts import SHARED_GROUP, group_exists, is_root
from lake.core.settings import Settings

_SAFE = re.compile(r"^[A-Za-z0-9._-]+$")


def export_root(settings: Settings) -> Path:
    return settings.lake_root / "reading_room"


def export_rel(code: str) -> str:
    """Path of a document's export relative to the lake root ('reading_room/documents/<code>.pdf')."""
    if not _SAFE.match(code):
        raise ValueError(f"document code {code!r} cannot name a file")
    return f"reading_room/documents/{code}.pdf"


def _prepare(settings: Settings) -> Path:
    folder = export_root(settings) / "documents"
    for d in (export_root(settings), folder):
        d.mkdir(parents=True, exist_ok=True)
        if is_root() and group_exists(SHARED_GROUP):
            shutil.chown(d, group=SHARED_GROUP)
            os.chmod(d, 0o2750)
        else:
            os.chmod(d, 0o750)
    return folder


class Exporter:
    """`export(doc)` before a document is (re)indexed, `remove(code)` when it leaves the index."""

    def __init__(self, settings: Settings):
        self.s = settings
        self.folder = _prepare(settings)

    def export(self, doc: dict) -> None:
        import pypdfium2 as pdfium

        sources = [(p["image"]["source_pdf"], p["image"]["source_page"]) for p in doc["pages"]
                   if p.get("image", {}).get("source_pdf")]
        target = self.s.lake_root / export_rel(doc["document_code"])
        if not sources:
            target.unlink(missing_ok=True)
            return
        out = pdfium.PdfDocument.new()
        opened: dict[str, pdfium.PdfDocument] = {}
        try:
            for rel, page in sources:
                path = str(self.s.lake_root / rel)
                if path not in opened:
                    opened[path] = pdfium.PdfDocument(path)
                out.import_pages(opened[path], [int(page)])
            tmp = target.with_suffix(".pdf.tmp")
            with open(tmp, "wb") as fh:
                out.save(fh)
            os.chmod(tmp, 0o640)
            os.replace(tmp, target)
        finally:
            for d in opened.values():
                d.close()
            out.close()

    def remove(self, code: str) -> None:
        (self.s.lake_root / export_rel(code)).unlink(missing_ok=True)
