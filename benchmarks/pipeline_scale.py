"""Pipeline at scale: driver peak memory of the OCR and silver jobs by archive size, an OCR run killed with
SIGKILL at ~50 % and run again, and no-op re-runs.

Prints figures; asserts nothing. Each size runs in its own throw-away lake (own root, own Postgres port);
each job runs in its own process, so its peak memory is its own: `python` is the driver's Python process
(VmHWM), `jvm` the driver JVM (in local mode it also hosts the executors' block manager); a JVM's resident
peak grows towards its heap limit (`spark.driver.memory`) whatever it keeps, so the figure to compare is `heap
live after GC`: every 10 s the job's process forces a full collection and reads the heap still in use; the
peak of those readings is what the JVM really holds (the forced collections cost a few % of the run time).

    .venv/bin/python benchmarks/pipeline_scale.py [--pages 300 3000] [--port 55700] [--batch 100]
                                                  [--synthetic-ocr] [--render-dpi 24] [--memory-only] [--keep]

`--synthetic-ocr` (BENCHMARK ONLY) replaces Tesseract with `SyntheticOcrEngine`, which decodes each page as
the real job does but returns a fixed text at once and writes no access copy: it measures the pipeline's
own cost (planning, batches, writes, driver memory) at sizes where real OCR would take hours on 2 cores.
`--render-dpi N` (BENCHMARK ONLY) renders and declares every sample page at N dpi (24 dpi: ~200×280 px), so a
30,000-page archive is generated in minutes and takes ~1 GB instead of ~70 GB. `--memory-only` skips the
no-op re-runs and the kill.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = Path(os.environ.get("LAKEHOUSE_BENCH_DIR", "/tmp/lakehouse-bench"))


# --- the synthetic OCR engine (benchmark only) -------------------------------------------------------
class SyntheticOcrEngine:
    """BENCHMARK ONLY: the engine interface of lake.domain.ocr.engine.OcrEngine, returning a fixed text per page."""

    config_id = "ocr-synthetic-benchmark"

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def read(self, image, dpi=None, *, timeout_s=None, manifest_dpi=None):
        from lake.domain.ocr.engine import PageOcr
        from lake.domain.ocr.quality import PageQuality

        text = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập - Tự do - Hạnh phúc (synthetic)"
        return PageOcr(text=text, words=[], mean_confidence=None, char_count=len(text.replace(" ", "")),
                       engine_version="synthetic", tessdata_sha256="0" * 64, language="vie", psm=3,
                       preparation_steps=[], pass_used="primary", passes_tried=["primary"], duration_s=0.0,
                       config_id=self.config_id, quality=PageQuality("good"), image_size=image.size,
                       effective_dpi=dpi, skew_deg=0.0)


@dataclass(frozen=True)
class SyntheticEngineSettings:
    """BENCHMARK ONLY: EngineSettings whose engine is SyntheticOcrEngine (no access copies)."""
    lang: str = "vie"
    psm: int = 3
    timeout_s: float = 120.0
    access_copies: bool = False
    max_page_pixels: int = 80_000_000

    def engine(self):
        return SyntheticOcrEngine()


# --- one job in its own process -----------------------------------------------------------------------
JOB_CODE = """
import contextlib, json, os, sys, threading, time
from pathlib import Path
from lake.core import job_registry as registry
from lake.core import runlog
from lake.core.settings import get_settings
from lake.platform.spark import get_spark
s = get_settings()
spark = get_spark('bench-scale', s)
opts = {}
if os.environ.get('BENCH_SYNTHETIC') == '1' and sys.argv[1] == 'ocr_pages':
    from benchmarks.pipeline_scale import SyntheticEngineSettings
    opts['engine'] = SyntheticEngineSettings()
jvm_ = spark.sparkContext._jvm
heap = jvm_.java.lang.management.ManagementFactory.getMemoryMXBean()
live = [0.0]
stop = threading.Event()
def sample():  # every 10 s a full GC, then the heap still in use: what the JVM keeps, not what it has not freed yet
    while not stop.wait(10.0):
        with contextlib.suppress(Exception):
            jvm_.java.lang.System.gc()
            live[0] = max(live[0], heap.getHeapMemoryUsage().getUsed() / 2**20)
sampler = threading.Thread(target=sample, daemon=True)
sampler.start()
t0 = time.monotonic()
for name in sys.argv[1:]:
    st = runlog.run_job(name, spark, s, **opts)
took = time.monotonic() - t0
stop.set()
sampler.join()
def hwm(pid):
    for line in Path(f'/proc/{pid}/status').read_text().splitlines():
        if line.startswith('VmHWM:'):
            return int(line.split()[1]) / 1024
jvm = [int(p.name) for p in Path('/proc').iterdir() if p.name.isdigit() and
       (Path(p, 'stat').read_text().split(') ')[1].split()[1] == str(os.getpid()))]
jvm = [p for p in jvm if 'java' in Path(f'/proc/{p}/cmdline').read_bytes().decode(errors='replace')]
print('RESULT', json.dumps({'s': round(took, 1), 'python_mb': round(hwm(os.getpid())),
                            'jvm_mb': round(hwm(jvm[0])) if jvm else None, 'live_mb': round(live[0]),
                            'new': st.items_new,
                            'message': st.message}), flush=True)
"""


SAMPLE_CODE = """
import sys
from lake.core.settings import get_settings
from lake.core.zones import ensure_zones
from lake.domain.reference_lists import load_reference
from lakehouse_sample import generate_archive
s = get_settings()
ensure_zones(s)
generate_archive(s.landing_dir, s.ground_truth_dir, load_reference(s.reference_dir), pages=int(sys.argv[1]),
                 districts=int(sys.argv[2]), render_dpi=int(sys.argv[3]) or None)
"""


def job(env, *names, kill_after_s: float | None = None) -> dict:
    proc = subprocess.Popen([sys.executable, "-c", JOB_CODE, *names], env=env, cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, start_new_session=True)
    t0 = time.monotonic()
    if kill_after_s is not None:
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(timeout=kill_after_s)
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            return {"killed_after_s": round(time.monotonic() - t0, 1)}
    out, err = proc.communicate()
    line = next((x for x in out.splitlines() if x.startswith("RESULT ")), None)
    if line is None:
        raise SystemExit(f"{names} failed:\n{err[-4000:]}")
    return json.loads(line[7:])


def sql(env, query: str) -> list:
    code = (f"import json\nfrom lake.core.settings import get_settings\nfrom lake.platform.spark import get_spark\n"
            f"spark = get_spark('bench-sql', get_settings())\n"
            f"print('RESULT', json.dumps([list(r) for r in spark.sql({query!r}).collect()], default=str))")
    out = subprocess.run([sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True)
    line = next((x for x in out.stdout.splitlines() if x.startswith("RESULT ")), None)
    if line is None:
        raise SystemExit(out.stderr[-3000:])
    return json.loads(line[7:])


def reset_ocr(env) -> None:
    code = ("from lake.platform.spark import get_spark\nfrom lake.core import contracts as C\nimport shutil\n"
            "from lake.core.settings import get_settings\ns = get_settings()\nspark = get_spark('bench-reset', s)\n"
            "for c in C.OCR_TABLES:\n    spark.sql(f'DROP TABLE IF EXISTS {c.full_name}')\n"
            "    shutil.rmtree(c.location(s), ignore_errors=True)\n"
            "spark.sql(\"DELETE FROM bronze.quarantine WHERE stage = 'ocr'\")\n")
    subprocess.run([sys.executable, "-c", code], env=env, cwd=ROOT, check=True, capture_output=True)


def one(pages: int, port: int, batch: int, synthetic: bool, keep: bool, render_dpi: int | None = None,
        memory_only: bool = False, districts: int | None = None) -> None:
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    root = Path(tempfile.mkdtemp(prefix=f"scale-{pages}-", dir=BENCH_DIR))
    os.chmod(root, 0o711)
    env = dict(os.environ, LAKEHOUSE_ROOT=str(root), LAKEHOUSE_PG_PORT=str(port), PYTHONPATH=str(ROOT),
               LAKEHOUSE_OCR_PAGES_PER_BATCH=str(batch), BENCH_SYNTHETIC="1" if synthetic else "0")
    try:
        t0 = time.monotonic()
        districts = districts or max(2, min(20, pages // 300))  # urban and rural districts: 20 at most
        subprocess.run([sys.executable, "-c", SAMPLE_CODE, str(pages), str(districts), str(render_dpi or 0)], env=env,
                       cwd=ROOT, check=True, stdout=subprocess.DEVNULL)  # what `lakehouse sample` does
        print(f"\n== {pages} pages ({'SYNTHETIC OCR engine, benchmark only' if synthetic else 'Tesseract'}"
              f"{f', pages rendered at {render_dpi} dpi' if render_dpi else ''}), {districts} districts, "
              f"batch {batch}; sample generated in {time.monotonic() - t0:.0f} s; lake {root}")
        ingest = job(env, "ingest_reference", "ingest_landing")
        n = sql(env, "SELECT count(*) FROM bronze.scan_pages")[0][0]
        print(f"ingest: {ingest['s']} s, {n} scan pages; driver peak python {ingest['python_mb']} MB, "
              f"jvm {ingest['jvm_mb']} MB (heap live after GC {ingest['live_mb']} MB)")
        ocr = job(env, "ocr_pages")
        print(f"ocr (uninterrupted): {ocr['s']} s, {ocr['new']} pages; driver peak python {ocr['python_mb']} MB, "
              f"jvm {ocr['jvm_mb']} MB (heap live after GC {ocr['live_mb']} MB)\n  {ocr['message']}")
        silver = job(env, "silver_reference", "silver_documents")
        print(f"silver: {silver['s']} s; driver peak python {silver['python_mb']} MB, jvm {silver['jvm_mb']} MB "
              f"(heap live after GC {silver['live_mb']} MB)")
        if memory_only:
            return
        for names in (("ingest_reference", "ingest_landing"), ("ocr_pages",), ("silver_reference",
                                                                                "silver_documents")):
            again = job(env, *names)
            print(f"no-op re-run {'+'.join(names)}: {again['s']} s (new {again['new']})")
        # kill -9 at ~50 % of the uninterrupted OCR time (counted from the job's own start), then re-run
        reset_ocr(env)
        killed = job(env, "ocr_pages", kill_after_s=ocr["s"] * 0.5 + 20)  # + ~20 s of Spark start-up
        done = sql(env, "SELECT count(*) FROM bronze.ocr_pages")[0][0]
        rerun = job(env, "ocr_pages")
        total = sql(env, "SELECT count(*), count(DISTINCT page_id) FROM bronze.ocr_pages")[0]
        runs = sql(env, "SELECT status, count(*) FROM ops.pipeline_runs WHERE job = 'ocr_pages' GROUP BY status")
        print(f"kill -9 after {killed.get('killed_after_s')} s: {done} pages committed ({done / max(n, 1):.0%}); "
              f"re-run read {rerun['new']} pages in {rerun['s']} s; ocr_pages rows {total[0]}, distinct "
              f"{total[1]} (duplicates {total[0] - total[1]}, missed {n - total[1]}); both runs "
              f"{killed.get('killed_after_s', 0) - 20 + rerun['s']:.0f} s vs {ocr['s']} s uninterrupted; runs {runs}\n"
              f"  re-run: {rerun['message']}")
    finally:
        subprocess.run([sys.executable, "-m", "lake.apps.cli", "services", "down", "--force"], env=env, cwd=ROOT,
                       capture_output=True)
        if not keep:
            shutil.rmtree(root, ignore_errors=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pages", type=int, nargs="+", default=[300, 3000])
    ap.add_argument("--port", type=int, default=55700)
    ap.add_argument("--batch", type=int, default=100, help="LAKEHOUSE_OCR_PAGES_PER_BATCH")
    ap.add_argument("--synthetic-ocr", action="store_true", help="BENCHMARK ONLY fake engine (see the docstring)")
    ap.add_argument("--render-dpi", type=int, default=None, help="BENCHMARK ONLY tiny sample pages (see the docstring)")
    ap.add_argument("--memory-only", action="store_true", help="only the first run of each job (no no-op, no kill)")
    ap.add_argument("--districts", type=int, default=None, help="sample districts (default pages / 300, 2-20)")
    ap.add_argument("--keep", action="store_true", help="keep the lakes")
    args = ap.parse_args()
    for i, pages in enumerate(args.pages):
        one(pages, args.port + i, args.batch, args.synthetic_ocr, args.keep, args.render_dpi, args.memory_only,
            args.districts)


if __name__ == "__main__":
    main()
