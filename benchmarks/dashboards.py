"""Latency of every dashboard chart's data query through Superset (REST API → Superset → hive:// → Spark Thrift
Server → Delta), p50 and p95 per chart over a few runs. Prints figures; asserts nothing.

    .venv/bin/python benchmarks/dashboards.py                                  # the demo lake (lake_data/)
    .venv/bin/python benchmarks/dashboards.py --lake-root /tmp/lakehouse-bench/volume-1m --runs 5

The lake's ports and secrets come from the usual LAKEHOUSE_* variables and its secrets dir. Services that are
not running are started (Postgres, Thrift, Superset with the dashboards imported) and stopped again at the end;
services that were already up are left as they were. Cold: each query runs with force=true (the results cache
is bypassed, Spark runs the query). Warm: the same query without force, answered from the Redis results cache
(lake/platform/results_cache.py) after one filling request.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if len(ordered) == 1:
        return ordered[0]
    k = (len(ordered) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--lake-root", type=Path, default=ROOT / "lake_data")
    p.add_argument("--runs", type=int, default=5, help="timed runs per chart (after one warm-up)")
    p.add_argument("--user", default="admin", help="Superset user: admin, or a person of the directory (e.g. "
                   "quanly_<code>; password from <lake root>/secrets/users/<user>)")
    args = p.parse_args(argv)
    os.environ["LAKEHOUSE_ROOT"] = str(args.lake_root.resolve())

    from lake.core.settings import get_settings
    from lake.platform.directory import user_password_path
    from lake.platform.services import Services
    from lake.platform.superset import SupersetClient, admin_password

    settings = get_settings()
    svc = Services(settings)
    was_up = svc.running()
    if svc.superset not in was_up:
        t0 = time.monotonic()
        svc.up(thrift=True, superset=True)
        print(f"services started in {time.monotonic() - t0:.1f} s")
    try:
        if args.user == "admin":
            client = SupersetClient.login(svc.superset.url, "admin", admin_password(settings))
        else:
            password = user_password_path(settings, args.user).read_text(encoding="utf-8").strip()
            client = SupersetClient.login(svc.superset.url, args.user, password, provider="ldap")
        dashboards = {d["id"]: d["dashboard_title"] for d in client.list_all("dashboard", ["id", "dashboard_title"])}
        rows = []
        for dash_id, title in sorted(dashboards.items(), key=lambda kv: kv[1]):
            charts = client.get(f"/api/v1/dashboard/{dash_id}/charts")["result"]
            for chart in charts:
                cid, name = chart["id"], chart["slice_name"]
                times, warm, nrows = [], [], 0
                for i in range(args.runs + 1):
                    t = time.perf_counter()
                    body = client.get(f"/api/v1/chart/{cid}/data/", params={"format": "json", "force": "true"})
                    if i:
                        times.append(time.perf_counter() - t)
                    nrows = body["result"][0]["rowcount"]
                cached = False
                for i in range(args.runs + 1):
                    t = time.perf_counter()
                    body = client.get(f"/api/v1/chart/{cid}/data/", params={"format": "json"})
                    if i:
                        warm.append(time.perf_counter() - t)
                        cached = cached or bool(body["result"][0].get("is_cached"))
                rows.append((title, name, nrows, percentile(times, 0.5), percentile(times, 0.95),
                             percentile(warm, 0.5), percentile(warm, 0.95), cached))
        print(f"\nlake root {settings.lake_root}; user {args.user}; {args.runs} runs per chart after a warm-up\n")
        print(f"{'dashboard':<30} {'chart':<48} {'rows':>6} {'cold p50':>8} {'cold p95':>8} {'warm p50':>8} "
              f"{'warm p95':>8} cached")
        for title, name, nrows, p50, p95, w50, w95, cached in rows:
            print(f"{title[:30]:<30} {name[:48]:<48} {nrows:>6} {p50:>8.2f} {p95:>8.2f} {w50:>8.3f} {w95:>8.3f} "
                  f"{'yes' if cached else 'no'}")
        all_p50 = [r[3] for r in rows]
        print(f"\n{len(rows)} charts; cold: median of p50 {statistics.median(all_p50):.2f} s, slowest p95 "
              f"{max(r[4] for r in rows):.2f} s; warm: slowest p95 {max(r[6] for r in rows):.3f} s")
    finally:
        svc.stop(keep=was_up)  # only what this run started
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
