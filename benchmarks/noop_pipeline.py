"""Whole pipeline, then the same pipeline again with nothing new, as an operator runs it (one `lakehouse` process
per step): ingest → OCR → silver → transform → publish on the default sample (300 pages, 4 districts).

Prints each step's wall time in both runs and the no-op run's share (targets, issue "Pipeline at city scale":
≤ 10 % of the full run for the Spark jobs, ≤ 25 % for transform); asserts nothing. The lake has its own root and
ports (+800), made fresh unless --keep; the metastore it starts is stopped at the end.

    .venv/bin/python benchmarks/noop_pipeline.py [--pages 300] [--districts 4] [--keep]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
from transform import BENCH, LH, lake_env  # noqa: E402  (the benchmarks' shared lake set-up)

STEPS = {"ingest": ["ingest"], "ocr": ["ocr"], "silver": ["silver"],
         "transform": ["transform", "--target", "session", "--no-docs"], "publish": ["publish"]}
SPARK_STEPS = ("ingest", "ocr", "silver", "publish")


def timed(args: list[str], env: dict[str, str]) -> tuple[float, str]:
    t0 = time.monotonic()
    proc = subprocess.run([*LH, *args], env=env, cwd=ROOT, capture_output=True, text=True)
    seconds = time.monotonic() - t0
    if proc.returncode != 0:
        sys.exit(f"lakehouse {' '.join(args)} failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
    return seconds, proc.stdout


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pages", type=int, default=300)
    ap.add_argument("--districts", type=int, default=4)
    ap.add_argument("--keep", action="store_true", help="reuse the lake of an earlier run (its landing zone)")
    args = ap.parse_args()
    root = BENCH / "noop-lake"  # its parents are made traversable by the lake itself (lake.core.zones)
    env = lake_env(root, 800)
    if root.exists() and not args.keep:
        subprocess.run([*LH, "services", "down", "--force"], env=env, cwd=ROOT, capture_output=True)
        shutil.rmtree(root)
    try:
        if not (root / "landing" / "batches").is_dir():
            seconds, _ = timed(["sample", "--pages", str(args.pages), "--districts", str(args.districts)], env)
            print(f"sample: {seconds:.1f} s")
        runs: dict[str, list[float]] = {step: [] for step in STEPS}
        for label in ("full", "no-op"):
            for step, cmd in STEPS.items():
                seconds, out = timed(cmd, env)
                runs[step].append(seconds)
                skipped = sum("nothing new" in line for line in out.splitlines())
                print(f"{label:>5} {step:<9} {seconds:7.1f} s  ({skipped} job(s) skipped)", flush=True)
        print(f"\n{'step':<10} {'full s':>8} {'no-op s':>8} {'share':>6}   (load {os.getloadavg()[0]:.1f})")
        for step, (full, noop) in runs.items():
            print(f"{step:<10} {full:8.1f} {noop:8.1f} {noop / full:6.1%}")
        full = sum(runs[s][0] for s in SPARK_STEPS)
        noop = sum(runs[s][1] for s in SPARK_STEPS)
        print(f"{'Spark jobs':<10} {full:8.1f} {noop:8.1f} {noop / full:6.1%}")
    finally:
        subprocess.run([*LH, "services", "down", "--force"], env=env, cwd=ROOT, capture_output=True)


if __name__ == "__main__":
    main()
