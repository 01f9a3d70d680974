"""`lakehouse catalog push|exposures|plan`: the catalog commands (wired into lake/apps/cli.py)."""

from __future__ import annotations

import json
import sys
from pathlib import Path


def add_parser(sub) -> None:
    s = sub.add_parser("catalog", help="OpenMetadata push (contracts, glossary, tags, lineage) and dbt exposures")
    s.add_argument("action", choices=["push", "plan", "exposures"],
                   help="push: send everything to OpenMetadata ($OPENMETADATA_HOST_PORT, $OPENMETADATA_JWT_TOKEN); "
                        "plan: print the counts (and --out the bodies) without a server; exposures: regenerate "
                        "transformations/models/exposures.yml from dashboards/")
    s.add_argument("--server", help="OpenMetadata address (default $OPENMETADATA_HOST_PORT)")
    s.add_argument("--dashboards", type=Path, help="Superset export directory (default dashboards/)")
    s.add_argument("--out", type=Path, help="plan: write the request bodies (offline ids) to this JSON file")
    s.set_defaults(func=cmd_catalog)


def cmd_catalog(args, settings) -> int:
    from lake.apps.metadata import openmetadata as O

    if args.action == "exposures":
        from lake.apps.metadata.exposures import DASHBOARDS_DIR, write_exposures

        print(write_exposures(dashboards_dir=args.dashboards or DASHBOARDS_DIR))
        return 0
    plan = O.plan_from_lake(settings, args.dashboards)
    if args.action == "plan":
        if args.out:
            args.out.write_text(json.dumps(O.offline_bodies(plan), ensure_ascii=False, indent=1), encoding="utf-8")
        _print_counts(plan.counts())
        return 0
    server = args.server or settings.openmetadata_server
    if not server:
        print("lakehouse catalog push: set OPENMETADATA_HOST_PORT (e.g. http://127.0.0.1:8585/api) or --server",
              file=sys.stderr)
        return 2
    from lake.core.secrets import env_secret

    result = O.push(plan, O.Client(server, env_secret("OPENMETADATA_JWT_TOKEN") or None))
    _print_counts(result.counts)
    for s in result.skipped:
        print(f"skipped {s}")
    return 0


def _print_counts(counts: dict[str, int]) -> None:
    for entity, n in counts.items():
        print(f"{entity:<18} {n}")
