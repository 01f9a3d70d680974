"""OCR of a batch of scan files inside one Spark task: plain Python, used by `jobs/ocr_pages.py`.

One `OcrEngine` (one `PyTessBaseAPI`) per task, reused for every page of every file the task holds.
Each file is decoded once, page by page; its searchable PDF access copy is written when every page of
the file was read in this task. A page that cannot be decoded or times out becomes a quarantine record;
the rest of the file and of the task go on.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from lake.core.settings import OCR_PAGE_TIMEOUT_S


@dataclass
class FileTask:
    """The pages of one stored file that one Spark task reads."""

    sha256: str
    raw_path: str  # relative to the lake root
    detected_format: str
    page_indices: list[int]
    page_count: int  # pages of the whole file
    source_path: str  # one landing path of this content, for people reading the quarantine
    weight: int = field(default=0)
    # the delivery manifest's dpi for the file, trusted before estimating (raster pages only: a PDF page's dpi is
    # its render's)
    manifest_dpi: float | None = None


@dataclass(frozen=True)
class EngineSettings:
    """The OCR engine's configuration, sent to every Spark task (`jobs.ocr_pages.engine_settings`)."""

    lang: str = "vie"
    psm: int = 3
    timeout_s: float = OCR_PAGE_TIMEOUT_S
    access_copies: bool = True
    max_page_pixels: int = 80_000_000  # Settings.max_page_pixels: the bound ingest applied
    tessdata: str | None = None  # Settings.tessdata; None = the engine's default folder

    def engine(self):
        """A new `OcrEngine` with this configuration (one per Spark task)."""
        from lake.domain.ocr.engine import OcrEngine

        return OcrEngine(lang=self.lang, psm=self.psm, tessdata=self.tessdata, timeout_s=self.timeout_s)


def access_copy_relpath(sha256: str, config_id: str) -> str:
    """Where a file's searchable PDF for one OCR configuration lives, relative to the lake root."""
    return f"access/{sha256[:2]}/{sha256}.{config_id}.pdf"


def page_record(task: FileTask, index: int, res, run_id: str, now: dt.datetime) -> dict:
    """The bronze.ocr_pages row of one recognised page (text, corrected text, word boxes, quality)."""
    from lake.domain.ocr.correct import correct_text

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


def access_parts_dir(root: Path, sha256: str, config_id: str) -> Path:
    """Where the pages of an access copy wait, one small file each, until every page of the file is read
    (the pages of a long file are read by several tasks, possibly in several runs)."""
    return root / "access" / "parts" / f"{sha256}.{config_id}"


def reset_peak_rss() -> None:
    """Start a new peak-memory measurement for this process (Linux: `5` to /proc/self/clear_refs resets
    VmHWM). Spark reuses its Python workers, so without this a task would report an earlier task's peak."""
    with contextlib.suppress(OSError), open("/proc/self/clear_refs", "w") as f:
        f.write("5")


def peak_rss_mb() -> float:
    """Peak resident memory of this process (the Python worker running the task) since the last reset, MB."""
    with contextlib.suppress(OSError, ValueError):
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024.0
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def _assemble(root: Path, task: FileTask, config_id: str, run_id: str, now: dt.datetime) -> tuple | None:
    """Write the access copy when every page has its part; None while pages are missing (or another task
    assembled it first)."""
    from lake.domain.ocr.searchable_pdf import write_access_copy

    parts_dir = access_parts_dir(root, task.sha256, config_id)
    names = [parts_dir / f"{i:06d}.part" for i in range(task.page_count)]
    if not all(n.exists() for n in names):
        return None
    rel = access_copy_relpath(task.sha256, config_id)
    dest = root / rel
    dest.parent.mkdir(parents=True, exist_ok=True)
    try:
        sha, size, count = write_access_copy((n.read_bytes() for n in names), dest,
                                             title=f"{task.source_path} ({task.sha256[:12]})")
    except FileNotFoundError:  # another task finished the same copy and removed the parts
        return None
    for n in names:
        n.unlink(missing_ok=True)
    with contextlib.suppress(OSError):
        parts_dir.rmdir()
    return ("access", {
        "sha256": task.sha256, "config_id": config_id, "pdf_path": rel, "pdf_sha256": sha,
        "size_bytes": size, "page_count": count, "pdfa": "PDF/A-2b", "run_id": run_id, "created_at": now,
    })


_WORKER_ENGINES: dict = {}


def worker_engine(settings: EngineSettings):
    """This process's open engine for `settings`, opened on first use and kept for the next task.

    Spark reuses a Python worker for task after task (`spark.python.worker.reuse`), so Tesseract loads its
    language data once per worker instead of once per task (0.17 s each on this machine, against about 5 s of
    OCR in a six-page task)."""
    engine = _WORKER_ENGINES.get(settings)
    if engine is None:
        engine = _WORKER_ENGINES[settings] = settings.engine().__enter__()
    return engine


def run_tasks(tasks: Iterable[FileTask], lake_root: str, settings: EngineSettings, run_id: str) -> Iterator[tuple]:
    """Yield ("page", record) / ("quarantine", record) / ("access", record) tuples, then one ("stats", ...)
    with the worker's peak memory.

    Only the pages a task holds are decoded (`iter_pages(..., pages=...)`); each page's access-copy part
    goes to disk as soon as it is read, and the access copy is written from the parts once every page of
    the file has one, so memory per task stays one page whatever the file's page count."""
    from lake.domain.ocr.decode import DecodeError, iter_pages
    from lake.domain.ocr.engine import OcrError
    from lake.domain.ocr.searchable_pdf import page_part

    root = Path(lake_root)
    tasks = list(tasks)
    if not tasks:
        return
    pages_read = 0
    reset_peak_rss()
    engine = worker_engine(settings)
    config_id = engine.config_id
    for task in tasks:
        now = dt.datetime.now(dt.UTC)
        wanted = set(task.page_indices)
        done: set[int] = set()
        failed = False
        parts_dir = access_parts_dir(root, task.sha256, config_id)

        def quarantine(index, code, message, task=task, now=now):
            return ("quarantine", {
                "stage": "ocr", "source_path": task.source_path, "sha256": task.sha256,
                "item": f"page {index}" if index is not None else "", "size_bytes": None,
                "reason_code": code, "reason": message, "raw_path": task.raw_path, "run_id": run_id,
                "detected_at": now,
            })

        try:
            data = (root / task.raw_path).read_bytes()
            for page in iter_pages(data, task.detected_format, max_pixels=settings.max_page_pixels,
                                   pages=sorted(wanted)):
                if page.index not in wanted:
                    continue
                done.add(page.index)
                manifest_dpi = task.manifest_dpi if page.source_format != "pdf" else None
                try:
                    res = engine.read(page.image, page.dpi, manifest_dpi=manifest_dpi)
                except OcrError as exc:
                    failed = True
                    yield quarantine(page.index, "ocr_timeout" if "time" in type(exc).__name__.lower()
                                     else "ocr_failed", str(exc))
                    continue
                pages_read += 1
                yield ("page", page_record(task, page.index, res, run_id, now))
                if settings.access_copies:
                    parts_dir.mkdir(parents=True, exist_ok=True)
                    part = parts_dir / f"{page.index:06d}.part"
                    tmp = part.with_name(part.name + f".{os.getpid()}.tmp")
                    tmp.write_bytes(page_part(page.image, res.words).dumps())
                    os.replace(tmp, part)
                del page, res
            missing = wanted - done
            if missing:
                failed = True
                for index in sorted(missing):
                    yield quarantine(index, "page_missing", f"the file has no page {index}")
        except DecodeError as exc:
            failed = True
            code = type(exc).__name__
            for index in sorted(wanted - done):
                yield quarantine(index, f"decode_{code}", str(exc))
        except MemoryError:
            failed = True
            for index in sorted(wanted - done):
                yield quarantine(index, "out_of_memory", "decoding the page exhausted the task's memory")
        if settings.access_copies and not failed:
            record = _assemble(root, task, config_id, run_id, now)
            if record:
                yield record
    yield ("stats", {"peak_rss_mb": round(peak_rss_mb(), 1), "pages": pages_read, "pid": os.getpid()})


def split_large(tasks: list[FileTask], pages_per_task: int) -> list[FileTask]:
    """Cut the pages of a long file into several tasks of at most `pages_per_task` pages, so a 2,000-page
    PDF is read by every core instead of one; each task decodes only its own pages."""
    out: list[FileTask] = []
    for t in tasks:
        if len(t.page_indices) <= pages_per_task:
            out.append(t)
            continue
        pages = sorted(t.page_indices)
        for i in range(0, len(pages), pages_per_task):
            out.append(FileTask(t.sha256, t.raw_path, t.detected_format, pages[i : i + pages_per_task],
                                t.page_count, t.source_path, manifest_dpi=t.manifest_dpi))
    return out


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
