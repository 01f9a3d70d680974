"""OCR throughput: pages/s of the Spark job versus a plain single-process tesserocr loop over the same
pages, in the same run on the same machine, and the cost per page of the pipeline's engine (preparation,
recovery passes) against plain Tesseract on the decoded image. Prints figures; asserts nothing.

The plain loop is what one core does with no framework: decode each file, read each page with one
reused engine. The Spark job uses every core; its efficiency is spark_pps / (cores x plain_pps).

    .venv/bin/python benchmarks/ocr_throughput.py [--pages 120]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def plain_loop(lake_root: str, files: list[tuple[str, str]]) -> int:
    """One process, one engine: decode each file and read each page (what one core does with no framework)."""
    from lake.domain.ocr.batch import EngineSettings
    from lake.domain.ocr.decode import iter_pages

    n = 0
    with EngineSettings(access_copies=False).engine() as eng:
        for raw_path, fmt in files:
            for page in iter_pages((Path(lake_root) / raw_path).read_bytes(), fmt):
                eng.read(page.image, page.dpi)
                n += 1
    return n


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--pages", type=int, default=120)
    args = ap.parse_args()
    root = Path(tempfile.mkdtemp(prefix="bench-ocr-tp-", dir="/tmp"))
    os.chmod(root, 0o755)
    os.environ["LAKEHOUSE_ROOT"] = str(root)
    os.environ.setdefault("LAKEHOUSE_PG_PORT", "55652")
    os.environ["OMP_THREAD_LIMIT"] = "1"
    from lake.core.settings import get_settings
    from lake.domain.reference_lists import load_reference
    from lakehouse_sample import generate_archive

    s = get_settings()
    generate_archive(s.landing_dir, s.ground_truth_dir, load_reference(s.reference_dir), seed=2025,
                     pages=args.pages, districts=3)
    from lake.core import runlog
    from lake.domain.ocr.batch import EngineSettings
    from lake.platform.spark import get_spark

    spark = get_spark("bench-ocr-throughput", s)
    from lake.platform.services import Services

    try:
        runlog.run_job("ingest_landing", spark, s)
        files = spark.sql("SELECT sha256, raw_path, detected_format, page_count FROM bronze.raw_contents "
                          "WHERE page_count IS NOT NULL ORDER BY sha256").collect()
        pages = sum(f.page_count for f in files)

        # 1. plain loop, one process, one engine
        from lake.domain.ocr.decode import iter_pages

        engine = EngineSettings(access_copies=False)
        work = [(f.raw_path, f.detected_format) for f in files]
        t0 = time.monotonic()
        plain_loop(str(s.lake_root), work)
        plain_s = time.monotonic() - t0
        print(f"pages {pages}, files {len(files)}", flush=True)
        print(f"plain single-process loop : {plain_s:7.1f} s  {pages / plain_s:5.2f} pages/s", flush=True)

        # 1a. the same loop in one process per core at once, the files dealt largest first: what the machine
        # itself gives when every core reads (shared caches, memory bandwidth, the hypervisor), with no framework
        import multiprocessing

        n_proc = os.cpu_count() or 1
        shares: list[list[tuple[str, str]]] = [[] for _ in range(n_proc)]
        loads = [0] * n_proc
        for f in sorted(files, key=lambda f: -f.page_count):
            i = loads.index(min(loads))
            shares[i].append((f.raw_path, f.detected_format))
            loads[i] += f.page_count
        t0 = time.monotonic()
        with multiprocessing.get_context("spawn").Pool(n_proc) as pool:
            pool.starmap(plain_loop, [(str(s.lake_root), share) for share in shares])
        parallel_s = time.monotonic() - t0
        print(f"plain loop, {n_proc} processes : {parallel_s:7.1f} s  {pages / parallel_s:5.2f} pages/s "
              f"({pages / parallel_s / (n_proc * pages / plain_s):4.2f} of {n_proc} x one process)", flush=True)

        # 1b. bare Tesseract on the decoded page (no preparation, no recovery): the cost floor per page
        t0 = time.monotonic()
        with engine.engine() as eng:
            api = eng._api
            for f in files:
                for page in iter_pages((s.lake_root / f.raw_path).read_bytes(), f.detected_format):
                    api.SetImage(page.image.convert("L"))
                    api.SetSourceResolution(round(page.dpi or 300))
                    api.Recognize()
                    api.GetUTF8Text()
        bare_s = time.monotonic() - t0
        print(f"bare Tesseract, 1 process : {bare_s:7.1f} s  {bare_s / pages:5.2f} s/page (no preparation)", flush=True)

        # 2. the Spark job on the same pages (access copies off, as in the loop)
        # cores really used by local[*] (spark.default.parallelism is set higher for finer tasks)
        sc = spark.sparkContext
        cores = os.cpu_count() if sc.master.startswith("local[*]") else sc.defaultParallelism
        t0 = time.monotonic()
        stats = runlog.run_job("ocr_pages", spark, s, engine=engine)
        spark_s = time.monotonic() - t0
        plain_pps, spark_pps = pages / plain_s, stats.items_new / spark_s
        print(f"cores {cores}; plain loop {plain_s / pages:5.2f} s/page ({plain_s / bare_s:4.2f}x bare Tesseract)")
        print(f"Spark job (whole run)     : {spark_s:7.1f} s  {spark_pps:5.2f} pages/s  (with planning, writes)")
        print(f"ratio spark / plain       : {spark_pps / plain_pps:5.2f}")
        print(f"efficiency spark / (cores x plain): {spark_pps / (cores * plain_pps):5.2f}")
        print(f"spark / {n_proc} plain processes at once: {spark_pps / (pages / parallel_s):5.2f}")
        print(f"job: {stats.message}")
    finally:
        spark.stop()
        Services(s).down()


if __name__ == "__main__":
    main()
