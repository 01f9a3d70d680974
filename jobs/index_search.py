"""Spark job: shared documents of gold → the search index (OpenSearch), only new or changed ones (`lake.apps.search`).

Run after each pipeline run (`lakehouse index`): it reads gold through Spark, indexes the documents whose content
changed (exporting each one's searchable PDF for the reading room, `lake.apps.search.exports`), deletes those no longer
shared, and leaves the rest alone (a re-run over unchanged gold writes nothing).
It also loads the reading room's view audit spool into ops.document_views. Logged in ops.pipeline_runs.
"""

from __future__ import annotations

from lake.apps.search.exports import Exporter
from lake.apps.search.indexer import read_gold, sync
from lake.apps.search.mapping import INDEX_NAME
from lake.core import contracts as C
from lake.core.runs import RunStats
from lake.core.settings import Settings
from lake.platform.reading_room_audit import load_views
from lake.platform.search_engine import SearchEngine

JOB = "index_search"


def run(spark, settings: Settings, client=None) -> RunStats:
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
    from lake.platform.spark import run_job

    run_job(run, JOB)
