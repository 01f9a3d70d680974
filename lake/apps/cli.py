"""`lakehouse` command line: services, sample archive, pipeline jobs, inspection."""

from __future__ import annotations

import argparse
import dataclasses
import sys
import time

from lake.core.lake_lock import LakeBusy
from lake.core.settings import Settings, SettingsError, get_settings


def _services(settings: Settings):
    from lake.platform.services import Services

    return Services(settings)


def cmd_services(args, settings: Settings) -> int:
    svc = _services(settings)
    if args.action == "up":
        t0 = time.monotonic()
        statuses = svc.up(thrift=not args.no_thrift, superset=not (args.no_thrift or args.no_superset),
                          search=not args.no_search)
        print(f"services up in {time.monotonic() - t0:.1f} s")
        if args.foreground:
            for st in statuses:
                print(st.line(), flush=True)
            _wait_for_signal()
            statuses = svc.down()
    elif args.action == "down":
        from lake.core.joblock import running_jobs

        busy = running_jobs(settings)
        if busy and not args.force:
            names = ", ".join(f"{job} (pid {pid})" for job, pid in busy)
            print(f"lakehouse: đang có tác vụ chạy / a job is running against this lake: {names}. Wait for it "
                  "to finish, or stop the services anyway with `lakehouse services down --force`.", file=sys.stderr)
            return 1
        statuses = svc.down()
    else:
        statuses = svc.status()
    for st in statuses:
        print(st.line())
    if args.action == "status":
        print(f"lake root      {settings.lake_root}")
        print(f"spark conf     {settings.conf_dir}")
    return 0


def _wait_for_signal() -> None:
    """Block until SIGINT/SIGTERM (container entry point); the caller then stops the services."""
    import signal
    import threading

    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    stop.wait()


def cmd_setup(args, settings: Settings) -> int:
    from lake.core import contracts as C
    from lake.core.delta import ensure_table
    from lake.platform.spark import get_spark

    spark = get_spark("setup", settings)
    for contract in C.job_tables():
        ensure_table(spark, contract, settings)
    print(f"metastore ready; {len(C.job_tables())} tables declared in {sorted({t.layer for t in C.job_tables()})}")
    return 0


def cmd_sample(args, settings: Settings) -> int:
    from tqdm import tqdm

    from lake.domain.reference_lists import load_reference
    from lakehouse_sample import generate_archive

    if not args.out:
        from lake.core.zones import ensure_zones

        ensure_zones(settings)  # a new lake root (and the folders reaching it) with the zones' modes first
    landing = args.out / "landing" if args.out else settings.landing_dir
    truth = args.out / "ground_truth" if args.out else settings.ground_truth_dir
    bar = tqdm(total=args.pages, desc="render pages", unit="page", disable=None)

    def progress(done: int, total: int) -> None:
        bar.total = total
        bar.update(done - bar.n)

    t0 = time.monotonic()
    summary = generate_archive(
        landing, truth, load_reference(settings.reference_dir), seed=args.seed, pages=args.pages,
        districts=args.districts, workers=args.workers, progress=progress,
    )
    bar.close()
    print(f"sample archive written to {landing} in {time.monotonic() - t0:.1f} s (ground truth: {truth})")
    print(summary)
    return 0


def run_jobs(settings: Settings, app: str, *commands: str, **options):
    """Run the registry's jobs of `commands` (lake.core.job_registry.COMMANDS) in order, under the lake-wide job
    lock; print each summary. A job whose inputs are as its last successful run left them is skipped
    (lake.core.job_inputs) and a Spark session is started only for the first job that has something to do.
    Returns that session, or None when every job was skipped."""
    from lake.core import job_inputs, runlog
    from lake.core import job_registry as registry
    from lake.core.joblock import job_lock
    from lake.platform.spark import get_spark

    spark = None
    with job_lock(settings, app):
        code = job_inputs.code_hash()
        for job in registry.command_jobs(*commands):
            before = None
            if not job.always_runs and not any(options.values()):
                before = job_inputs.seen_now(settings, job, code=code)
                last = job_inputs.last_seen(settings, job.name)
                if not before.differences(last):
                    print(f"{job.name}: nothing new since its last successful run (inputs unchanged); skipped")
                    continue
            spark = spark or get_spark(app, settings)
            print(runlog.run_job(job.name, spark, settings, **options).summary())
            if before is not None:  # the folders as the job found them, its tables as it left them
                after = job_inputs.seen_now(settings, job, code=code)
                job_inputs.record(settings, job.name, dataclasses.replace(after, files=before.files))
    return spark


def cmd_ingest(args, settings: Settings) -> int:
    run_jobs(settings, "ingest", "ingest")
    return 0


def cmd_land(args, settings: Settings) -> int:
    from lake.domain.ingest.land import LandError, default_batch_id, plan, write_batch

    batch = args.batch or default_batch_id(args.record)
    try:
        rows, found = plan(args.path, agency=args.agency, record=args.record, batch=batch, site=args.site,
                           site_name=args.site_name, district=args.district, dpi=args.dpi, device=args.device,
                           operator=args.operator, manifest=args.manifest)
        dest = write_batch(settings.landing_dir, settings.lake_root / "tmp", batch, rows)
    except LandError as exc:
        print(f"lakehouse land: {exc}", file=sys.stderr)
        return 2
    print(f"batch {batch}: {len(rows)} scan files of record {args.record} (agency {args.agency}) landed in {dest}")
    print(f"manifest: {dest / 'manifest.csv'} (page order: "
          f"{'as in ' + str(args.manifest) if args.manifest else 'natural order of the file names'})")
    for rel, why in found.skipped:
        print(f"  not landed: {rel} ({why})")
    print("next: lakehouse ingest && lakehouse ocr && lakehouse silver")
    return 0


def cmd_ocr(args, settings: Settings) -> int:
    run_jobs(settings, "ocr", "ocr", reprocess=args.reprocess, limit_pages=args.limit_pages)
    return 0


def cmd_silver(args, settings: Settings) -> int:
    run_jobs(settings, "silver", "silver")
    return 0


def cmd_transform(args, settings: Settings) -> int:
    from lake.apps.transform import transform
    from lake.core.joblock import job_lock

    with job_lock(settings, "transform"):
        result = transform(settings, target=args.target, docs=not args.no_docs, freshness=args.freshness,
                           select=args.select, full_refresh=args.full_refresh, everything=args.all)
    print(result.summary())
    return 0 if result.ok else 1


def cmd_publish(args, settings: Settings) -> int:
    from lake.apps.publish import consumer_snippet

    run_jobs(settings, "publish", "publish")
    print("\nĐọc dữ liệu dùng chung bằng pyiceberg (không cần Spark) / read the marts with pyiceberg alone:")
    print(consumer_snippet(settings))
    return 0


def cmd_dbt_sources(args, settings: Settings) -> int:
    from lake.apps.dbt_sources import write_all

    for path in write_all():
        print(path)
    return 0


def cmd_plan(args, settings: Settings) -> int:
    from lake.domain.plan import write_seeds

    for path in write_seeds(settings.reference_dir):
        print(path)
    return 0


def table_counts(spark, layer: str | None = None) -> list[tuple[str, int]]:
    from lake.core import contracts as C

    out = []
    for contract in C.job_tables(layer):
        if spark.catalog.tableExists(contract.full_name):
            out.append((contract.full_name, spark.table(contract.full_name).count()))
    return out


def cmd_tables(args, settings: Settings) -> int:
    from lake.platform.spark import get_spark

    spark = get_spark("tables", settings)
    for name, count in table_counts(spark, args.layer):
        print(f"{name:<36} {count:>10,}")
    print(how_to_query(settings))
    return 0


def how_to_query(settings: Settings) -> str:
    return (
        "\nQuery the lakehouse over SQL (Spark Thrift Server, while `lakehouse services up` runs):\n"
        f"  .venv/bin/lakehouse sql \"SELECT file_kind, count(*) FROM bronze.landing_files GROUP BY file_kind\"\n"
        f"  .venv/lib/python3.11/site-packages/pyspark/bin/beeline -u jdbc:hive2://{settings.bind_host}:"
        f"{settings.thrift_port}/default -n <user>   (asks for the password)\n"
        f"  Python: lake.platform.sql_endpoint.connect(settings, user, password).cursor()   (pyhive, auth='LDAP')\n"
        "  Every connection logs in with a directory account (LAKEHOUSE_SQL_USER / LAKEHOUSE_SQL_PASSWORD for\n"
        "  `lakehouse sql`); the endpoint is read-only."
    )


def cmd_sql(args, settings: Settings) -> int:
    from lake.platform.sql_endpoint import EndpointError, connect, credentials

    try:
        user, password = credentials(settings, args.user)
    except EndpointError as exc:
        print(f"lakehouse: {exc}", file=sys.stderr)
        return 2
    conn = connect(settings, user, password)
    cur = conn.cursor()
    cur.execute(args.query)
    if cur.description:
        cols = [d[0] for d in cur.description]
        print("\t".join(cols))
        for row in cur.fetchall():
            print("\t".join("" if v is None else str(v) for v in row))
    conn.close()
    return 0


def cmd_demo(args, settings: Settings) -> int:
    from lake.core.job_registry import DEMO_COMMANDS
    from lake.core.zones import repair
    from lake.platform.spark import get_spark

    repair(settings)  # a demo lake written before the zones existed gets their modes and groups (cheap when done)
    svc = _services(settings)
    svc.up(thrift=False)
    if not (settings.landing_dir / "batches").is_dir():
        cmd_sample(args, settings)
    spark = run_jobs(settings, "demo", *DEMO_COMMANDS) or get_spark("demo", settings)
    for layer in ("bronze", "silver"):
        print(f"\n{layer.capitalize()} tables (rows):")
        for name, count in table_counts(spark, layer):
            print(f"  {name:<34} {count:>8,}")
    districts = [r[0] for r in spark.sql("SELECT DISTINCT district_code FROM silver.records "
                                         "WHERE district_code <> 'unknown'").collect()]
    spark.stop()
    from lake.platform.directory import how_to_log_in, seed_demo_people

    people = seed_demo_people(settings, districts)
    svc.thrift.start()
    from lake.apps.transform import transform

    result = transform(settings, echo=False)
    print(result.summary())
    if not result.ok:
        print(f"dbt failed: see {settings.lake_root / 'dbt' / 'logs' / 'dbt.log'}", file=sys.stderr)
    else:
        print("\nPublishing the gold marts as Iceberg tables (pyiceberg SQL catalog on the project Postgres):")
        cmd_publish(args, settings)
        if svc.search.installed() and svc.reading_room.installed():
            print("\nFeeding the search index from gold (OpenSearch) and opening the reading room:")
            svc.search.start()
            cmd_index(args, settings)
            svc.reading_room.start()
    print()
    for st in svc.status():
        print(st.line())
    print(how_to_query(settings))
    if result.ok and svc.superset.installed():
        svc.cache.start()  # Superset's results cache (Redis), as `lakehouse services up` starts it
        svc.superset.start(svc.postgres)
        print(f"\n{svc.superset.status().line()}\n{svc.superset.how_to_log_in()}")
    if svc.reading_room.running():
        print(f"\nPhòng đọc / reading room: {svc.reading_room.url}/search (log in with a directory account below)")
    print(f"\n{how_to_log_in(people)}")
    print("\nStop the services with: .venv/bin/lakehouse services down")
    return 0 if result.ok else 1


def cmd_restricted(args, settings: Settings) -> int:
    import os

    from lake.apps import restricted as R
    from lake.platform.spark import get_spark

    person = R.caller()
    groups = R.os_groups(person)
    if not os.access(settings.secrets_dir, os.R_OK | os.X_OK):
        # without the pipeline's rights we can neither read the zone nor write the audit log: stop here
        decision = R.authorise(person, groups)
        hint = "chạy qua sudo" if decision.granted else decision.reason
        print(f"Từ chối: {person} không được đọc tài liệu hạn chế ({hint}).", file=sys.stderr)
        return 3
    groups |= R.directory_groups(settings, person)
    spark = get_spark("restricted", settings)
    try:
        if args.pdf:
            for path in R.export_pdfs(spark, settings, args.code, person, groups, args.pdf):
                print(path)
        else:
            print(R.show(spark, settings, args.code, person, groups))
    except R.AccessRefused as exc:
        print(exc, file=sys.stderr)
        return 3
    except LookupError as exc:
        print(exc, file=sys.stderr)
        return 4
    return 0


def cmd_audit(args, settings: Settings) -> int:
    import datetime as dt

    from lake.apps import restricted as R
    from lake.platform.spark import get_spark

    since = dt.date.fromisoformat(args.since) if args.since else None
    rows = R.audit_rows(get_spark("audit", settings), settings, since=since, person=args.user)
    print(R.format_audit(rows))
    print(f"{len(rows)} lượt truy cập")
    return 0


def cmd_zones(args, settings: Settings) -> int:
    from lake.core import zones

    if args.action == "apply":
        print(f"{zones.repair(settings)} entries changed under {settings.lake_root}")
    bad = zones.world_accessible(settings.lake_root, skip=settings.scratch_dirs)
    bad += zones.reachable_by_others(settings.lake_root)
    for path in sorted(set(bad))[:50]:
        print(f"world-accessible: {path}")
    return 1 if bad else 0


def cmd_index(args, settings: Settings) -> int:
    run_jobs(settings, "index", "index")
    return 0


def cmd_dashboards(args, settings: Settings) -> int:
    from lake.platform.superset import dashboards_command

    return dashboards_command(settings, args.action, args.out)


def cmd_report(args, settings: Settings) -> int:
    from lake.apps.report import ReportError, report_command

    try:
        path = report_command(settings, args.week, args.district, args.out)
    except ReportError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(path)
    return 0


def cmd_users(args, settings: Settings) -> int:
    from lake.platform.directory import users_command

    return users_command(settings, args)


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="lakehouse", description="Hà Nội shared administrative lakehouse")
    sub = p.add_subparsers(dest="command", required=True)

    def command(name: str, func, help: str) -> argparse.ArgumentParser:
        """The subcommand `name`, which runs `func(args, settings)`."""
        s = sub.add_parser(name, help=help)
        s.set_defaults(func=func)
        return s

    s = command("services", cmd_services, "start/stop/inspect Postgres (metastore) and the Spark Thrift Server")
    s.add_argument("action", choices=["up", "down", "status"])
    s.add_argument("--no-thrift", action="store_true", help="only the metastore database")
    s.add_argument("--no-superset", action="store_true", help="without Superset (dashboards)")
    s.add_argument("--no-search", action="store_true", help="without the search engine and the reading room")
    s.add_argument("--foreground", action="store_true", help="with up: stay attached, stop everything on "
                   "SIGTERM/Ctrl-C (container entry point)")
    s.add_argument("--force", action="store_true", help="with down: stop even while a job runs against the lake")

    command("setup", cmd_setup, "create the metastore schema, the layer schemas and every declared table")

    def sample_args(sp):
        sp.add_argument("--seed", type=int, default=2025)
        sp.add_argument("--pages", type=int, default=300, help="about this many pages in total")
        sp.add_argument("--districts", type=int, default=4, help="number of old districts (localities)")
        sp.add_argument("--workers", type=int, default=2)
        sp.add_argument("--out", type=_path, default=None, help="folder for landing/ and ground_truth/ "
                        "(default: the lake root)")

    s = command("sample", cmd_sample, "generate a deterministic sample archive into the landing zone")
    sample_args(s)

    command("ingest", cmd_ingest, "landing zone and reference lists -> bronze")

    s = command("land", cmd_land, "register a folder of scans (nested folders allowed) as one scan batch of a "
                "record: copies them into the landing zone in natural page order and writes the manifest")
    s.add_argument("path", type=_path, help="folder holding the scans")
    s.add_argument("--agency", required=True, help="agency code (any agency, also outside Hà Nội's lists)")
    s.add_argument("--record", required=True, help="file (hồ sơ) code the scans belong to")
    s.add_argument("--batch", default=None, help="batch id (default LAND-<record>-<time>)")
    s.add_argument("--site", default="", help="work site code")
    s.add_argument("--site-name", default="", help="work site name")
    s.add_argument("--district", default="", help="old district code")
    s.add_argument("--dpi", type=int, default=None, help="scan resolution, passed on to OCR for files without one")
    s.add_argument("--device", choices=["scanner", "phone"], default="scanner")
    s.add_argument("--operator", default="", help="who scanned")
    s.add_argument("--manifest", type=_path, default=None, help="CSV with a `file` column (and optional "
                   "`page_order` and manifest columns) to order the files and override the defaults")

    s = command("ocr", cmd_ocr, "OCR every page not yet read with the current engine configuration")
    s.add_argument("--reprocess", action="store_true",
                   help="re-read pages recognised with an older configuration (earlier rows stay in Delta history)")
    s.add_argument("--limit-pages", type=int, default=None, help="read at most this many pages in this run")

    command("silver", cmd_silver, "bronze + OCR -> silver records, documents, agencies, localities, QC issues")

    s = command("transform", cmd_transform, "gold with dbt: seed, build (models + tests), docs generate, of what "
                "has new input since the last build (all of it the first time)")
    s.add_argument("--target", choices=["thrift", "session"], default=None)
    s.add_argument("--select", default=None, help="dbt node selection for build")
    s.add_argument("--full-refresh", action="store_true")
    s.add_argument("--all", action="store_true",
                   help="build every model, not only those downstream of tables written since the last build")
    s.add_argument("--no-docs", action="store_true")
    s.add_argument("--freshness", action="store_true", help="also run dbt source freshness")

    command("publish", cmd_publish, "copy the gold marts into the Iceberg SQL catalog (read with pyiceberg, no "
            "JVM); only tables whose Delta version changed")

    command("dbt-sources", cmd_dbt_sources, "regenerate the dbt sources, the marts' YAML and "
            "macros/contracts.sql from the contracts")

    command("plan", cmd_plan, "regenerate the dbt seeds (deadlines, document types) from the reference lists")

    s = command("tables", cmd_tables, "row counts of the declared tables")
    s.add_argument("--layer", default=None)

    s = command("sql", cmd_sql, "run a SQL query through the Spark Thrift Server")
    s.add_argument("query")
    s.add_argument("--user", default=None, help="directory account (default $LAKEHOUSE_SQL_USER); password from "
                   "$LAKEHOUSE_SQL_PASSWORD or secrets/users/USER")

    command("index", cmd_index, "feed the search index from gold (only new or changed shared documents) and load "
            "the reading room's view audit into ops.document_views; needs the search engine up")

    s = command("dashboards", cmd_dashboards, "Superset dashboards as code: export from the running Superset "
                "into dashboards/ (then commit), or import dashboards/ and the RLS rules again")
    s.add_argument("action", choices=["export", "import"])
    s.add_argument("--out", type=_path, default=None, help="with export: target folder (default dashboards/)")

    s = command("report", cmd_report, "weekly progress report (PDF, Vietnamese administrative form) from the "
                "gold tables, through the Thrift server")
    s.add_argument("--week", required=True, help="ISO week, e.g. 2026-W48")
    s.add_argument("--district", default=None, help="old district code (default: the whole city)")
    s.add_argument("--out", type=_path, default=None, help="PDF path (default <lake root>/reports/)")

    s = command("restricted", cmd_restricted, "read a restricted (classified / personal-data) document; only for "
                "the group lakehouse-restricted, every read and refusal logged in ops.restricted_access_log")
    s.add_argument("action", choices=["show"])
    s.add_argument("code", help="document code (silver.restricted_documents.document_code)")
    s.add_argument("--pdf", type=_path, default=None, metavar="DIR",
                   help="instead of the text: copy the document's searchable PDF access copies into DIR (0600)")

    s = command("audit", cmd_audit, "who read which restricted document, when, through what (security officer)")
    s.add_argument("--since", default=None, help="from this date (YYYY-MM-DD)")
    s.add_argument("--user", default=None, help="only this person")

    s = command("zones", cmd_zones, "storage zones: check that nothing under the lake root is world-accessible, "
                "or apply the zones' modes and groups to what an older version wrote")
    s.add_argument("action", choices=["check", "apply"])

    s = command("users", cmd_users, "people in the directory (LDAP): add (own password, written to "
                "secrets/users/NAME or read from stdin), disable, enable, list")
    s.add_argument("action", choices=["add", "disable", "enable", "list"])
    s.add_argument("name", nargs="?", default=None)
    s.add_argument("--group", action="append", help="with add: a group (repeatable): pipeline, analyst, steward, "
                   "admin, restricted_reader, quanly_<district code>")
    s.add_argument("--full-name", default=None)
    s.add_argument("--password-stdin", action="store_true", help="with add: read the password from stdin")

    s = command("demo", cmd_demo, "services, sample, whole pipeline; prints where to look")
    sample_args(s)

    from lake.apps.metadata.commands import add_parser as catalog_parser

    catalog_parser(sub)
    return p


def _path(text: str):
    from pathlib import Path

    return Path(text).resolve()


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    from lake.core.zones import apply_umask

    apply_umask()  # everything the lake writes is owner/zone-group only (lake.core.zones)
    try:
        settings = get_settings()
        return int(args.func(args, settings) or 0)
    except SettingsError as exc:
        print(f"lakehouse: {exc}", file=sys.stderr)
        return 2
    except LakeBusy as exc:  # another job holds the lake-wide job lock (lake.core.lake_lock)
        print(f"lakehouse: {exc}", file=sys.stderr)
        return exc.exit_code


if __name__ == "__main__":
    sys.exit(main())
