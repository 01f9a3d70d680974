"""OCR of a batch of scan files inside one Spark task: plain Python, used by `jobs/ocr_pages.py`.

One `OcrEngine` (one `PyTessBaseAPI`) per task, reused for every page of every file the task holds.
Each file is decoded once, page by page; its searchable PDF access copy is written when every page of
the file was read in this task. A page that cannot be decoded or times out becomes a quarantine record;
the rest of the file and of the task go on.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

os.environ.setdefault("OMP_THREAD_LIMIT", "1")  # before tesserocr is imported anywhere in this worker


@dataclass
class FileTask:
    sha256: str
    raw_path: str  # relative to the lake root
    detected_format: str
    page_indices: list[int]
    page_count: int  # pages of the whole file
    source_path: str  # one landing path of this content, for people reading the quarantine
    weight: int = field(default=0)
    manifest_dpi: float | None = None  # the delivery manifest's dpi for the file, trusted before estimating


@dataclass(frozen=True)
class EngineSettings:
    lang: str = "vie"
    psm: int = 3
    timeout_s: float = 120.0
    access_copies: bool = True

    def engine(self):
        from lake.ocr.engine import OcrEngine

        return OcrEngine(lang=self.lang, psm=self.psm, timeout_s=self.timeout_s)


def access_copy_relpath(sha256: str, config_id: str) -> str:
    return f"access/{sha256[:2]}/{sha256}.{config_id}.pdf"


def page_record(task: FileTask, index: int, res, run_id: str, now: dt.datetime) -> dict:
    from lake.ocr.correct import correct_text

    q = res.quality
    return {
        "page_id": f"{task.sha256}:{index}", "sha256": task.sha256, "page_index": index,
        "config_id": res.config_id, "engine_version": res.engine_version, "tessdata_sha256": res.tessdata_sha256,
        "language": res.language, "psm": res.psm, "text": res.text, "corrected_text": correct_text(res.text),
        "words": [
            (w.text, float(w.confidence), int(w.left), int(w.top), int(w.width), int(w.height), int(w.line),
             int(w.block), int(w.paragraph))
            for w in res.words
        ],
        "mean_confidence": res.mean_confidence, "char_count": res.char_count, "word_count": len(res.words),
        "preparation_steps": list(res.preparation_steps), "pass_used": res.pass_used,
        "passes_tried": list(res.passes_tried), "effective_dpi": res.effective_dpi,
        "skew_deg": float(res.skew_deg), "width_px": res.image_size[0], "height_px": res.image_size[1],
        "quality_class": q.quality_class, "quality_reasons": list(q.reasons),
        "valid_syllable_share": q.valid_syllable_share, "garbage_share": float(q.garbage_share),
        "duration_s": round(res.duration_s, 3), "run_id": run_id, "recognised_at": now,
    }


def run_tasks(tasks: Iterable[FileTask], lake_root: str, settings: EngineSettings, run_id: str) -> Iterator[tuple]:
    """Yield ("page", record) / ("quarantine", record) / ("access", record) tuples."""
    from lake.ocr.decode import DecodeError, iter_pages
    from lake.ocr.engine import OcrError
    from lake.ocr.searchable_pdf import build_searchable_pdf

    root = Path(lake_root)
    tasks = list(tasks)
    if not tasks:
        return
    with settings.engine() as engine:
        config_id = engine.config_id
        for task in tasks:
            now = dt.datetime.now(dt.UTC)
            wanted = set(task.page_indices)
            kept: dict[int, tuple] = {}
            failed = False

            def quarantine(index, code, message, task=task, now=now):
                return ("quarantine", {
                    "stage": "ocr", "source_path": task.source_path, "sha256": task.sha256,
                    "item": f"page {index}" if index is not None else "", "size_bytes": None,
                    "reason_code": code, "reason": message, "raw_path": task.raw_path, "run_id": run_id,
                    "detected_at": now,
                })

            try:
                data = (root / task.raw_path).read_bytes()
                pages = iter_pages(data, task.detected_format)
                seen = set()
                for page in pages:
                    seen.add(page.index)
                    if page.index not in wanted:
                        continue
                    try:
                        res = engine.read(page.image, page.dpi, manifest_dpi=task.manifest_dpi)
                    except OcrError as exc:
                        failed = True
                        yield quarantine(page.index, "ocr_timeout" if "time" in type(exc).__name__.lower()
                                         else "ocr_failed", str(exc))
                        continue
                    yield ("page", page_record(task, page.index, res, run_id, now))
                    if settings.access_copies and len(wanted) == task.page_count:
                        kept[page.index] = (page.image, res.words)
                missing = wanted - seen
                if missing:
                    failed = True
                    for index in sorted(missing):
                        yield quarantine(index, "page_missing", f"the file has no page {index}")
            except DecodeError as exc:
                failed = True
                code = type(exc).__name__
                for index in sorted(wanted - set(kept)):
                    yield quarantine(index, f"decode_{code}", str(exc))
            except MemoryError:
                failed = True
                for index in sorted(wanted - set(kept)):
                    yield quarantine(index, "out_of_memory", "decoding the page exhausted the task's memory")
            if settings.access_copies and not failed and kept and len(kept) == task.page_count:
                pdf = build_searchable_pdf(
                    [kept[i] for i in sorted(kept)], title=f"{task.source_path} ({task.sha256[:12]})",
                )
                rel = access_copy_relpath(task.sha256, config_id)
                dest = root / rel
                dest.parent.mkdir(parents=True, exist_ok=True)
                tmp = dest.with_name(dest.name + f".{os.getpid()}.tmp")
                tmp.write_bytes(pdf.data)
                os.replace(tmp, dest)
                yield ("access", {
                    "sha256": task.sha256, "config_id": config_id, "pdf_path": rel, "pdf_sha256": pdf.sha256,
                    "size_bytes": len(pdf.data), "page_count": pdf.page_count, "pdfa": pdf.pdfa,
                    "run_id": run_id, "created_at": now,
                })
            kept.clear()


def balance(tasks: list[FileTask], partitions: int) -> list[list[FileTask]]:
    """Longest-processing-time-first packing of files into partitions of about equal page counts,
    returned largest first (Spark schedules partitions in index order, so the tail is short)."""
    bins: list[list[FileTask]] = [[] for _ in range(max(1, partitions))]
    loads = [0] * len(bins)
    for t in sorted(tasks, key=lambda t: (-len(t.page_indices), t.sha256)):
        i = loads.index(min(loads))
        bins[i].append(t)
        loads[i] += len(t.page_indices)
    order = sorted(range(len(bins)), key=lambda i: -loads[i])
    return [bins[i] for i in order if bins[i]]
