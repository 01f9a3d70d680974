"""Ingest throughput: files/s and pages/s of `jobs.ingest_landing` on the default sample and a 10x sample,
and the files re-hashed by a no-op re-run (target 0).

Prints figures; asserts nothing. Each size runs in its own throw-away lake root (own Postgres port),
generating the sample first (generation time is printed separately and not counted). The generator writes
whole-second mtimes; a real delivery's files carry nanoseconds, so the sample is given a nanosecond fraction
on every mtime and then copied into the landing zone with `cp -a`, as a site's copy would arrive.

    .venv/bin/python benchmarks/ingest.py [--pages 300 3000] [--port 55600]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def one(pages: int, districts: int, port: int) -> dict:
    root = Path(tempfile.mkdtemp(prefix=f"bench-ingest-{pages}-", dir="/tmp"))
    os.chmod(root, 0o755)
    env = dict(os.environ, LAKEHOUSE_ROOT=str(root), LAKEHOUSE_PG_PORT=str(port))
    code = f"""
import json, time
from lake.core.settings import get_settings
from lake.domain.reference_lists import load_reference
from lakehouse_sample import generate_archive
s = get_settings()
t0 = time.monotonic()
staging = s.lake_root / 'delivery'
summary = generate_archive(staging, s.ground_truth_dir, load_reference(s.reference_dir), seed=2025,
                           pages={pages}, districts={districts}, workers=2)
gen = time.monotonic() - t0
import os, random, subprocess
rng = random.Random(7)
for f in staging.rglob('*'):
    if f.is_file():
        st = f.stat()
        ns = st.st_mtime_ns // 1_000_000_000 * 1_000_000_000 + rng.randrange(1, 1_000_000_000)
        os.utime(f, ns=(ns, ns))
subprocess.run(['cp', '-a', str(staging), str(s.landing_dir)], check=True)
with_ns = sum(1 for f in s.landing_dir.rglob('*') if f.is_file() and f.stat().st_mtime_ns % 1000)
from lake.platform.spark import get_spark
from lake.core import job_registry as registry
from lake.core import runlog
spark = get_spark('bench', s)
from lake.core import contracts as C
from lake.core.delta import ensure_table
for c in C.BRONZE_TABLES: ensure_table(spark, c, s)
t0 = time.monotonic()
st = runlog.run_job('ingest_landing', spark, s)
first = time.monotonic() - t0
t0 = time.monotonic()
st2 = runlog.run_job('ingest_landing', spark, s)
second = time.monotonic() - t0
pages_in = spark.table('bronze.scan_pages').count()
files = st.items_seen
mb = sum(f.stat().st_size for f in s.landing_dir.rglob('*') if f.is_file()) / 1e6
print('RESULT', json.dumps(dict(pages_requested={pages}, files=files, pages=pages_in, mb=round(mb, 1),
      generate_s=round(gen, 1), ingest_s=round(first, 1), rerun_s=round(second, 1),
      rerun_new=st2.items_new, files_with_ns_mtime=with_ns,
      rerun_hashed=int(st2.message.split(' files read and hashed')[0].split()[-1]))))
"""
    try:
        out = subprocess.run([sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True)
        line = next((x for x in out.stdout.splitlines() if x.startswith("RESULT ")), None)
        if line is None:
            raise RuntimeError(out.stderr[-3000:])
        import json

        return json.loads(line[7:])
    finally:
        subprocess.run([sys.executable, "-m", "lake.apps.cli", "services", "down"], env=env, cwd=ROOT,
                       capture_output=True)
        shutil.rmtree(root, ignore_errors=True)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--pages", type=int, nargs="+", default=[300, 3000])
    ap.add_argument("--port", type=int, default=55600, help="Postgres port of the first size (+1 per size)")
    args = ap.parse_args()
    print(f"{'pages asked':>11} {'files':>6} {'pages':>6} {'MB':>7} {'gen s':>7} {'ingest s':>9} "
          f"{'files/s':>8} {'pages/s':>8} {'MB/s':>6} {'re-run s':>9} {'ns mtimes':>9} {'re-hashed':>9}")
    for i, pages in enumerate(args.pages):
        r = one(pages, 4 if pages <= 300 else 8, args.port + i)
        print(f"{r['pages_requested']:>11} {r['files']:>6} {r['pages']:>6} {r['mb']:>7} {r['generate_s']:>7} "
              f"{r['ingest_s']:>9} {r['files'] / r['ingest_s']:>8.1f} {r['pages'] / r['ingest_s']:>8.1f} "
              f"{r['mb'] / r['ingest_s']:>6.1f} {r['rerun_s']:>9} {r['files_with_ns_mtime']:>9} "
              f"{r['rerun_hashed']:>9}", flush=True)


if __name__ == "__main__":
    main()
