"""SparkSession factory: Delta extensions and catalog, Hive support on the shared Postgres metastore."""

from __future__ import annotations

import os

from lake.core.contracts import LAYERS
from lake.core.settings import Settings, get_settings
from lake.core.zones import apply_umask
from lake.platform.runtime import PASSWORD_ENV, spark_env, write_spark_conf


def get_spark(app_name: str, settings: Settings, master: str | None = None):
    """Return the (process-wide) SparkSession for the project.

    Starts the project's PostgreSQL metastore when it is not running (jobs need no Thrift server),
    generates the shared config dir, and creates the layer schemas once.
    """
    apply_umask()  # the JVM and its Python workers inherit it (lake.core.zones)
    given = PASSWORD_ENV in os.environ
    # OMP_THREAD_LIMIT must be set before tesserocr is imported by any Python worker.
    os.environ.update({k: v for k, v in spark_env(settings).items() if k != "PATH"})
    try:
        return _session(app_name, settings, master)
    finally:
        if not given:  # the JVM has the metastore password now; processes started later (Superset) need not
            os.environ.pop(PASSWORD_ENV, None)


def _session(app_name: str, settings: Settings, master: str | None):
    from pyspark.sql import SparkSession

    active = SparkSession.getActiveSession()
    if active is not None:
        return active

    from lake.platform.services import Postgres

    Postgres(settings).ensure_metastore()
    write_spark_conf(settings)
    builder = (
        SparkSession.builder.appName(app_name)
        .master(master or settings.spark_master)
        .config("spark.ui.enabled", "false")
        .enableHiveSupport()
    )
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("WARN")
    for layer in LAYERS:
        if not spark.catalog.databaseExists(layer):
            spark.sql(f"CREATE DATABASE IF NOT EXISTS {layer} LOCATION '{settings.warehouse_dir / layer}'")
    return spark


def run_job(run, job: str) -> None:
    """`python -m jobs.<name>`: run a job's `run(spark, settings)` on the project session, print its summary."""
    import sys

    from lake.core.joblock import job_lock
    from lake.core.lake_lock import LakeBusy
    from lake.core.runlog import fail_open_runs

    settings = get_settings()
    try:
        with job_lock(settings, job):
            spark = get_spark(job, settings)
            try:
                print(run(spark, settings).summary())
            except BaseException as exc:
                fail_open_runs(spark, settings, exc)
                raise
    except LakeBusy as exc:
        print(f"lakehouse: {exc}", file=sys.stderr)
        sys.exit(exc.exit_code)


def stop_spark() -> None:
    from pyspark.sql import SparkSession

    active = SparkSession.getActiveSession()
    if active is not None:
        active.stop()
