"""Tesseract OCR engine wrapper: one ``PyTessBaseAPI`` reused across the pages of a partition.

Usage (one engine per Spark partition)::

    with OcrEngine(lang="vie") as engine:
        for page in iter_pages(data, fmt):
            result = engine.read(page.image, dpi=page.dpi)

``OMP_THREAD_LIMIT=1`` is set by `start_ocr_worker()` (which the first `OcrEngine` of a process calls) right
before tesserocr is imported: parallelism comes from Spark tasks, and Tesseract's OpenMP threads would only
oversubscribe the cores. Importing this module changes nothing in the environment.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
import unicodedata
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from PIL import Image

from lake.core.settings import OCR_PAGE_TIMEOUT_S
from lake.domain.documents.text import Word
from lake.domain.ocr.prepare import (
    PREPARATION_VERSION,
    Prepared,
    prepare,
    recovery_names,
    recovery_variants,
    red_stamp_crop,
)
from lake.domain.ocr.quality import PageQuality, assess, text_score

if TYPE_CHECKING:
    import tesserocr

_TESSEROCR = None


def start_ocr_worker():
    """Prepare this process for OCR and return the `tesserocr` module: `OMP_THREAD_LIMIT=1` is set before
    tesserocr is first imported (OpenMP reads it once, when the library loads). Called by `OcrEngine()`; a
    worker may call it first itself. Later calls only return the module."""
    global _TESSEROCR
    if _TESSEROCR is None:
        os.environ["OMP_THREAD_LIMIT"] = "1"
        import tesserocr

        _TESSEROCR = tesserocr
    return _TESSEROCR


DEFAULT_TESSDATA = "/usr/share/tesseract-ocr/5/tessdata"
DEFAULT_PSM = 3  # PSM.AUTO: full page layout analysis, no OSD
DEFAULT_TIMEOUT_S = OCR_PAGE_TIMEOUT_S  # Settings.ocr_page_timeout (LAKEHOUSE_OCR_PAGE_TIMEOUT) in a job


class OcrError(Exception):
    """Base class of engine failures."""


class OcrTimeout(OcrError):
    """Recognition of a page exceeded the per-page time limit."""


class EngineNotReady(OcrError):
    """The engine was used outside its ``with`` block or its language data is missing."""


@dataclass
class PageOcr:
    text: str  # NFC
    words: list[Word]
    mean_confidence: float | None  # mean word confidence (0-100); None when no word
    char_count: int  # non-whitespace characters
    engine_version: str
    tessdata_sha256: str
    language: str
    psm: int
    preparation_steps: list[str]
    pass_used: str  # "primary" or the recovery variant kept, e.g. "recovery:median+otsu"
    passes_tried: list[str]
    duration_s: float
    config_id: str
    quality: PageQuality
    image_size: tuple[int, int]  # original width, height
    effective_dpi: float | None  # estimated resolution of the original
    skew_deg: float

    def to_dict(self) -> dict:
        """The result as plain dicts and lists (JSON-ready)."""
        return asdict(self)


@lru_cache(maxsize=16)
def _file_sha256(path: str, size: int, mtime_ns: int) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def tessdata_sha256(tessdata: str, lang: str) -> str:
    """sha256 of the traineddata files of ``lang`` (``vie`` or ``vie+eng``), joined with '+'."""
    shas = []
    for part in lang.split("+"):
        path = Path(tessdata) / f"{part}.traineddata"
        if not path.is_file():
            raise EngineNotReady(
                f"language data {path} not found (set TESSDATA_PREFIX or install tesseract-ocr-{part})"
            )
        st = path.stat()
        shas.append(_file_sha256(str(path), st.st_size, st.st_mtime_ns))
    return "+".join(shas)


def _parse_tsv(tsv: str) -> list[tuple[int, int, int, int, int, int, int, float, str]]:
    """Word rows of Tesseract's TSV: (block, par, line, left, top, width, height, conf, text)."""
    rows = []
    for raw in tsv.splitlines():
        cols = raw.split("\t")
        if len(cols) < 12 or cols[0] != "5":
            continue
        text = cols[11].strip()
        if not text:
            continue
        block, par, line = int(cols[2]), int(cols[3]), int(cols[4])
        left, top, width, height = (int(c) for c in cols[6:10])
        rows.append((block, par, line, left, top, width, height, float(cols[10]), text))
    return rows


@dataclass
class _PassResult:
    name: str
    text: str
    rows: list
    steps: tuple[str, ...] = ()
    psm: int = DEFAULT_PSM
    score: float = field(default=0.0)


RECOVERY_MIN_S = 5.0
TIME_LIMIT_REASON = "time_limit"  # quality reason of a page kept with its best pass at the time limit
RECOVERY_FACTOR = 4.0
_CLASS_RANK = {"good": 2, "suspect": 1, "bad": 0}


STAMP_WORDS = ("MẬT", "TỐI MẬT", "TUYỆT MẬT", "KHẨN", "THƯỢNG KHẨN", "HỎA TỐC")


def _fold(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", text.replace("Đ", "D").replace("đ", "d").upper())
                   if "A" <= c <= "Z")


def stamp_word(raw: str) -> str | None:
    """The secrecy / urgency stamp a reading is (frame strokes and case ignored), in its printed form.

    >>> stamp_word("[ Mật |")
    'MẬT'
    >>> stamp_word("4080'đa dì") is None
    True
    """
    key = _fold(raw)
    if not 3 <= len(key) <= 12:
        return None
    for word in sorted(STAMP_WORDS, key=len, reverse=True):
        w = _fold(word)
        if key == w or (len(w) >= 6 and len(key) == len(w) and sum(a != b for a, b in zip(key, w, strict=True)) <= 1):
            return word
    return None


def _mean_conf(rows: list) -> float | None:
    confs = [r[7] for r in rows if r[7] >= 0]
    return sum(confs) / len(confs) if confs else None


def _pass_score(text: str, quality: PageQuality) -> float:
    """Order passes by quality class first, then by the amount of plausible text."""
    return _CLASS_RANK[quality.quality_class] * 1e6 + text_score(text)


class OcrEngine:
    """One Tesseract instance, reused page after page. Not thread-safe: one engine per task.

    >>> from PIL import Image, ImageDraw, ImageFont
    >>> page = Image.new("L", (1400, 200), 255)
    >>> font = ImageFont.truetype("/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf", 48)
    >>> ImageDraw.Draw(page).text((40, 60), "Quyết định số 155/QĐ-UBND", font=font, fill=0)
    >>> with OcrEngine(lang="vie") as engine:
    ...     result = engine.read(page, dpi=300)
    >>> "155/QĐ-UBND" in result.text and result.words[0].text
    'Quyết'
    >>> engine.config_id == OcrEngine(lang="vie").config_id  # the same settings, the same identity
    True
    """

    def __init__(
        self,
        lang: str = "vie",
        psm: int = DEFAULT_PSM,
        tessdata: str | None = None,
        *,
        timeout_s: float = DEFAULT_TIMEOUT_S,
        recover: bool = True,
        deskew: bool = True,
        variables: dict[str, str] | None = None,
        read_stamps: bool = True,
    ) -> None:
        self.lang = lang
        self.psm = int(psm)
        self.tessdata = tessdata or DEFAULT_TESSDATA  # Settings.tessdata (TESSDATA_PREFIX) in a job
        self.timeout_s = timeout_s
        self.recover = recover
        self.deskew = deskew
        self.variables = dict(variables or {})
        self.read_stamps = read_stamps
        self._tess = start_ocr_worker()
        self.engine_version = self._tess.tesseract_version().split()[1]
        self.tessdata_sha256 = tessdata_sha256(self.tessdata, lang)
        self._api: tesserocr.PyTessBaseAPI | None = None

    # --- configuration identity ------------------------------------------------------------------
    @property
    def config(self) -> dict:
        """Everything that decides the output (engine, tessdata hash, lang, psm, preparation, options);
        its hash is `config_id`."""
        return {
            "engine": "tesseract",
            "engine_version": self.engine_version,
            "tessdata_sha256": self.tessdata_sha256,
            "lang": self.lang,
            "psm": self.psm,
            "preparation": PREPARATION_VERSION,
            "deskew": self.deskew,
            "recover": self.recover,
            "stamps": self.read_stamps,
            "variables": dict(sorted(self.variables.items())),
        }

    @property
    def config_id(self) -> str:
        """Stable hash of everything that changes the output (not of the time limit)."""
        blob = json.dumps(self.config, sort_keys=True, separators=(",", ":")).encode()
        return "ocr-" + hashlib.sha256(blob).hexdigest()[:16]

    # --- lifecycle --------------------------------------------------------------------------------
    def open(self) -> OcrEngine:
        """Start Tesseract (once) with this engine's language data and variables; returns self.
        EngineNotReady when the language data cannot be loaded or a variable is unknown."""
        if self._api is None:
            try:
                api = self._tess.PyTessBaseAPI(path=self.tessdata, lang=self.lang, psm=self.psm)
            except RuntimeError as exc:
                raise EngineNotReady(
                    f"cannot initialise Tesseract ({self.lang} in {self.tessdata}): {exc}"
                ) from exc
            for key, value in self.variables.items():
                if not api.SetVariable(key, str(value)):
                    api.End()
                    raise EngineNotReady(f"unknown Tesseract variable {key!r}")
            self._api = api
        return self

    def close(self) -> None:
        """Release Tesseract (the engine can be opened again)."""
        if self._api is not None:
            self._api.End()
            self._api = None

    def __enter__(self) -> OcrEngine:
        return self.open()

    def __exit__(self, *exc) -> None:
        self.close()

    # --- recognition ------------------------------------------------------------------------------
    def _recognize(self, image: Image.Image, dpi: float, psm: int, deadline: float) -> tuple[str, list]:
        """One Tesseract pass; raises OcrTimeout when ``deadline`` (monotonic seconds) passes."""
        api = self._api
        if api is None:
            raise EngineNotReady("OcrEngine used outside its with-block (call open() first)")
        remaining_ms = int((deadline - time.monotonic()) * 1000)
        if remaining_ms <= 0:
            raise OcrTimeout(f"page time limit of {self.timeout_s:g}s exhausted before the pass")
        if psm != self.psm:
            api.SetPageSegMode(psm)
        try:
            api.SetImage(image)
            api.SetSourceResolution(max(70, round(dpi)))
            if not api.Recognize(timeout=remaining_ms):
                api.Clear()
                raise OcrTimeout(f"recognition exceeded the page time limit of {self.timeout_s:g}s")
            tsv = api.GetTSVText(0)
            text = api.GetUTF8Text()
        finally:
            if psm != self.psm:
                api.SetPageSegMode(self.psm)
        return unicodedata.normalize("NFC", text), _parse_tsv(tsv)

    def read(
        self, image: Image.Image, dpi: float | None = None, *, timeout_s: float | None = None,
        manifest_dpi: float | None = None,
    ) -> PageOcr:
        """OCR one page image (as decoded: any mode, original orientation already applied).

        ``dpi`` is what the file declares (JPEG/TIFF dpi, PDF geometry), ``manifest_dpi`` what the
        delivery manifest declares for the file; both are trusted before the resolution is estimated.

        The page time limit covers preparation and every pass. The first pass gets what is left of it
        (Tesseract's deadline, checked between words; a page still inside layout analysis at the limit
        finishes that analysis first, which is why preparation bounds the pixel count). A first pass past
        the limit raises :class:`OcrTimeout` (the caller quarantines the page). A recovery pass is only
        started when the time left can hold it (about ``RECOVERY_FACTOR`` x the first pass); when passes
        were skipped or cut for time the page keeps its best pass and is flagged ``time_limit``
        (quality ``suspect`` at best, so it goes to the QC queue).
        """
        started = time.monotonic()
        limit = timeout_s if timeout_s is not None else self.timeout_s
        deadline = started + limit
        prepared = prepare(image, dpi, deskew=self.deskew, manifest_dpi=manifest_dpi)
        if time.monotonic() >= deadline:
            raise OcrTimeout(f"preparing the page took longer than the page time limit of {limit:g}s")
        primary_started = time.monotonic()
        text, rows = self._recognize(prepared.image, prepared.dpi, self.psm, deadline)
        primary_s = time.monotonic() - primary_started
        quality = assess(
            text, ink_pixels=prepared.ink_pixels, dpi=prepared.dpi, mean_confidence=_mean_conf(rows)
        )
        best = _PassResult("primary", text, rows, (), self.psm, _pass_score(text, quality))
        tried = ["primary"]
        time_limited = False
        if self.recover and quality.quality_class != "good":
            variants = recovery_variants(prepared, self.psm)
            for name in recovery_names(self.psm):
                # a recovery pass may not take much longer than the first one (noise makes Tesseract slow);
                # it is not even prepared when the time left cannot hold it
                budget = max(RECOVERY_MIN_S, RECOVERY_FACTOR * primary_s)
                if deadline - time.monotonic() < min(budget, max(1.0, primary_s)):
                    tried.append(name + ":skipped-time")
                    time_limited = True
                    continue
                variant = next(variants, None)
                if variant is None:
                    break
                psm = variant.psm if variant.psm is not None else self.psm
                pass_deadline = min(deadline, time.monotonic() + budget)
                try:
                    v_text, v_rows = self._recognize(variant.image, prepared.dpi, psm, pass_deadline)
                except OcrTimeout:
                    tried.append(variant.name + ":timeout")
                    time_limited = time_limited or time.monotonic() >= deadline
                    continue
                tried.append(variant.name)
                v_quality = assess(v_text, ink_pixels=prepared.ink_pixels, dpi=prepared.dpi,
                                   mean_confidence=_mean_conf(v_rows))  # fmt: skip
                v_score = _pass_score(v_text, v_quality)
                if v_score > best.score:
                    best = _PassResult(variant.name, v_text, v_rows, variant.steps, psm, v_score)
                    if v_quality.quality_class == "good":
                        break
        if time.monotonic() > deadline:
            time_limited = True  # layout analysis ran past the limit: keep the result, flag it
        result = self._result(image, prepared, best, tried, started, time_limited=time_limited)
        if self.read_stamps and time.monotonic() < deadline:
            self._add_stamp(image, result, deadline)
        return result

    def _add_stamp(self, image: Image.Image, result: PageOcr, deadline: float) -> None:
        """Read the red stamp of the header band on its own (one small pass) and add it as a line."""
        found = red_stamp_crop(image)
        if found is None:
            return
        crop, (left, top, width, height) = found
        text, rows = None, []
        for psm in (8, 7):  # one word ("MẬT"), else one line ("TỐI MẬT", "HỎA TỐC")
            try:
                raw, rows = self._recognize(crop, 300, psm, deadline)
            except OcrTimeout:
                return
            text = stamp_word(raw)
            if text:
                break
        if not text:
            return  # red ink that is no stamp of the closed list (a received stamp, a logo)
        confs = [r[7] for r in rows if r[7] >= 0]
        line = max((w.line for w in result.words), default=-1) + 1
        block = max((w.block for w in result.words), default=0) + 1
        result.words.append(Word(text, round(sum(confs) / len(confs), 2) if confs else 50.0, left, top, width,
                                 height, line, block, 1))
        result.text = f"{result.text}\n{text}" if result.text else text
        result.char_count += sum(1 for c in text if not c.isspace())
        result.preparation_steps.append("stamp-pass")
        result.passes_tried.append("stamp")

    def _result(self, image: Image.Image, prepared: Prepared, best: _PassResult, tried: list[str],
                started: float, *, time_limited: bool = False) -> PageOcr:  # fmt: skip
        words: list[Word] = []
        line_ids: dict[tuple[int, int, int], int] = {}
        for block, par, line, left, top, width, height, conf, text in best.rows:
            line_no = line_ids.setdefault((block, par, line), len(line_ids))
            ol, ot, ow, oh = prepared.to_original(left, top, width, height)
            words.append(Word(unicodedata.normalize("NFC", text), round(conf, 2), ol, ot, ow, oh,
                              line_no, block, par))  # fmt: skip
        confs = [w.confidence for w in words if w.confidence >= 0]
        mean_conf = round(sum(confs) / len(confs), 2) if confs else None
        text = best.text.strip()
        quality = assess(text, ink_pixels=prepared.ink_pixels, dpi=prepared.dpi, mean_confidence=mean_conf)
        if time_limited:
            quality.reasons.append(TIME_LIMIT_REASON)
            if quality.quality_class == "good":
                quality.quality_class = "suspect"
        return PageOcr(
            text=text,
            words=words,
            mean_confidence=mean_conf,
            char_count=sum(1 for c in text if not c.isspace()),
            engine_version=self.engine_version,
            tessdata_sha256=self.tessdata_sha256,
            language=self.lang,
            psm=best.psm,
            preparation_steps=[*prepared.steps, *best.steps],
            pass_used=best.name,
            passes_tried=tried,
            duration_s=round(time.monotonic() - started, 3),
            config_id=self.config_id,
            quality=quality,
            image_size=image.size,
            effective_dpi=None if prepared.source_dpi is None else round(prepared.source_dpi, 1),
            skew_deg=prepared.skew_deg,
        )
