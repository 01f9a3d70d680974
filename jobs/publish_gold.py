"""Spark job: gold marts (Delta) → Iceberg tables in the SQL catalog on the project Postgres (`lake.apps.publish`).

Readers need only pyiceberg (no JVM). Each table is copied only when its Delta version changed since the
last publication, so a re-run over unchanged gold commits nothing. Logged in ops.pipeline_runs.
"""

from __future__ import annotations

from lake.apps.publish import publish
from lake.core.runs import RunStats
from lake.core.settings import Settings

JOB = "publish_gold"


def run(spark, settings: Settings, echo=print) -> RunStats:
    stats = RunStats(JOB).start(spark, settings)
    try:
        results = publish(spark, settings, echo=echo)
    except Exception as exc:
        stats.message = str(exc)[:2000]
        stats.record(spark, "failed")
        raise
    stats.items_seen = len(results)
    stats.items_new = sum(r.action != "unchanged" for r in results)
    stats.items_skipped = len(results) - stats.items_new
    stats.rows_written = {f"iceberg.gold.{r.table}": r.rows for r in results if r.action != "unchanged"}
    stats.record(spark)
    return stats


if __name__ == "__main__":
    from lake.platform.spark import run_job

    run_job(run, JOB)
