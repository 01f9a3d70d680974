"""Spark job: shared documents of gold → the search index (OpenSearch), only new or changed ones (`lake.search`).

Run after each pipeline run (`lakehouse index`): it reads gold through Spark, indexes the documents whose content
changed (exporting each one's searchable PDF for the reading room, `lake.search.exports`), deletes those no longer
shared, and leaves the rest alone (a re-run over unchanged gold writes nothing).
It also loads the reading room's view audit spool into ops.document_views. Logged in ops.pipeline_runs.
"""

from __future__ import annotations

from lake import contracts as C
from lake.runs import RunStats
from lake.search.audit import load_views
from lake.search.engine import SearchEngine
from lake.search.exports import Exporter
from lake.search.indexer import read_gold, sync
from lake.search.mapping import INDEX_NAME
from lake.settings import Settings, get_settings

JOB = "index_search"


def run(spark, settings: Settings | None = None, client=None) -> RunStats:
    settings = settings or get_settings()
    stats = RunStats(JOB).start(spark, settings)
    try:
        client = client or SearchEngine(settings).client()
        result = sync(client, read_gold(spark), exporter=Exporter(settings))
        views = load_views(spark, settings)
    except Exception as exc:
        stats.message = str(exc)[:2000]
        stats.record(spark, "failed")
        raise
    stats.items_seen = result.seen
    stats.items_new = result.added + result.updated
    stats.items_skipped = result.unchanged
    stats.rows_written = {f"search.{INDEX_NAME}": result.changed, C.DOCUMENT_VIEWS.full_name: views}
    stats.message = result.summary()
    stats.record(spark)
    stats.index_run = result
    return stats


if __name__ == "__main__":
    from lake.spark import run_job

    run_job(run, JOB)
