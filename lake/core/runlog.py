"""A job run is visible from its start, also when it dies: ops.pipeline_runs and OpenLineage run events.

- `started`: before the job reads anything it appends its row to ops.pipeline_runs with status `started`
  (no finish time), emits an OpenLineage START event and removes what dead runs left in the run scratch
  folders (`<lake root>/tmp/runs/<run id>/`, owned by a process that no longer exists).
- `finished`: the row is completed in place (Delta MERGE on run_id: status `succeeded` or `failed`, finish
  time, counts) and a COMPLETE or FAIL event carries the job's declared inputs and outputs (the job registry)
  with the rows written to each output (`outputStatistics.rowCount`).
A run killed with SIGKILL keeps its `started` row without a finish time: `status = 'started' AND
finished_at IS NULL` and no live process is how a dead run reads.

OpenLineage events go to `Settings.openlineage_file` (JSON lines, owner-only) unless LAKEHOUSE_OPENLINEAGE_URL
names an HTTP endpoint (an OpenMetadata server's OpenLineage API, say); a token for it is read from
`<lake root>/secrets/openlineage_token` when that file exists. Emitting never fails a job: a lineage endpoint
that does not answer costs a warning.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import shutil
import sys
from pathlib import Path

from lake.core import contracts as C
from lake.core.settings import Settings

PRODUCER = "urn:hanoi-lakehouse:pipeline"  # OpenLineage producer URI of this code base
JOB_NAMESPACE = "lakehouse_pipelines"  # = lake.apps.metadata.lineage.PIPELINE_SERVICE
DATASET_NAMESPACE = "lakehouse_spark"  # = lake.apps.metadata.lineage.DB_SERVICE
_OPEN: dict[str, tuple] = {}  # run_id -> (stats, settings) of runs started in this process, not yet finished


SCRATCH = Path("tmp", "runs")  # under the lake root: every run's (and raw writer's) temporary folder


def scratch_root(settings: Settings) -> Path:
    """Where every run's temporary folder lives (`<lake root>/tmp/runs`)."""
    return settings.lake_root / SCRATCH


def scratch_dir(settings: Settings, run_id: str) -> Path:
    """A run's own temporary folder (created on demand, removed when the run ends or by the next run)."""
    return owned_dir(scratch_root(settings), run_id)


def owned_dir(root: Path, name: str) -> Path:
    """`root/name`, owner-only, marked with this process's id (`.owner`) so a later run can tell it was left by
    a dead process (`dead_folders`)."""
    path = root / name
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    owner = path / ".owner"
    if not owner.exists():
        owner.write_text(f"{os.getpid()}\n")
    return path


def _pid_alive(pid: int) -> bool:
    from lake.core.joblock import _alive

    return _alive(pid)


def dead_folders(root: Path) -> list[Path]:
    """The folders under `root` (made by `owned_dir`) whose process is gone: what a killed run left, oldest
    first. A folder of this process's runs still open is not dead."""
    if not root.is_dir():
        return []
    dead = []
    for path in sorted(p for p in root.iterdir() if p.is_dir()):
        try:
            pid = int((path / ".owner").read_text().strip())
        except (OSError, ValueError):
            pid = None
        if pid is not None and pid != os.getpid() and _pid_alive(pid):
            continue
        if pid == os.getpid() and any(path.name == rid for rid in _OPEN):
            continue
        dead.append(path)
    return dead


def clean_dead_scratch(settings: Settings) -> list[Path]:
    """Remove the scratch folders of runs whose process is gone; returns what was removed."""
    removed = dead_folders(scratch_root(settings))
    for path in removed:
        shutil.rmtree(path, ignore_errors=True)
    return removed


def _row(stats, status: str, finished: bool) -> dict:
    return {
        "run_id": stats.run_id, "job": stats.job, "started_at": stats.started_at,
        "finished_at": dt.datetime.now(dt.UTC) if finished else None,
        "duration_s": round(stats.duration_s, 3) if finished else None, "status": status,
        "items_seen": stats.items_seen, "items_new": stats.items_new, "items_skipped": stats.items_skipped,
        "items_quarantined": stats.items_quarantined, "rows_written": dict(stats.rows_written),
        "message": stats.message,
    }


def started(spark, settings: Settings, stats) -> None:
    """Record a run as started: clean the scratch folders of dead runs, append its ops.pipeline_runs row,
    emit the OpenLineage START event."""
    from lake.core.delta import append, ensure_table

    removed = clean_dead_scratch(settings)
    if removed:
        print(f"{stats.job}: removed {len(removed)} temporary folder(s) left by dead runs", file=sys.stderr)
    ensure_table(spark, C.PIPELINE_RUNS, settings)
    append(spark, C.PIPELINE_RUNS, [_row(stats, "started", finished=False)])
    _OPEN[stats.run_id] = (stats, settings)
    emit(settings, stats, "START")


def finished(spark, settings: Settings | None, stats, status: str) -> None:
    """Complete the run's row (insert it when the job never called `started`) and emit COMPLETE / FAIL.
    `settings` may be None for a run started in this process (its own are used)."""
    from lake.core.delta import ensure_table, to_dataframe, upsert

    settings = _OPEN.get(stats.run_id, (None, settings))[1]
    if settings is None:
        raise ValueError(f"run {stats.run_id} was not started in this process: pass its settings")
    ensure_table(spark, C.PIPELINE_RUNS, settings)
    upsert(spark, C.PIPELINE_RUNS, to_dataframe(spark, C.PIPELINE_RUNS, [_row(stats, status, finished=True)]))
    _OPEN.pop(stats.run_id, None)
    emit(settings, stats, "COMPLETE" if status == "succeeded" else "FAIL")
    shutil.rmtree(scratch_root(settings) / stats.run_id, ignore_errors=True)


def fail_open_runs(spark, settings: Settings, exc: BaseException) -> None:
    """Mark every run this process started and did not finish as failed (the job raised `exc`)."""
    for _run_id, (stats, _s) in list(_OPEN.items()):
        stats.message = f"{type(exc).__name__}: {exc}"[:2000]
        try:
            finished(spark, settings, stats, "failed")
        except Exception as inner:  # the session itself may be gone; the started row says enough
            print(f"{stats.job}: could not record the failure of {stats.run_id}: {inner}", file=sys.stderr)
            _OPEN.pop(stats.run_id, None)


# --- OpenLineage --------------------------------------------------------------------------------------
def _client(settings: Settings):
    from openlineage.client import OpenLineageClient

    if settings.openlineage_url:
        from openlineage.client.transport.http import ApiKeyTokenProvider, HttpConfig, HttpTransport

        token_file = settings.secrets_dir / "openlineage_token"
        kwargs = {}
        if token_file.is_file():
            kwargs["auth"] = ApiKeyTokenProvider({"apiKey": token_file.read_text().strip()})
        return OpenLineageClient(transport=HttpTransport(HttpConfig(url=settings.openlineage_url, **kwargs)))
    from openlineage.client.transport.file import FileConfig, FileTransport

    path = settings.openlineage_file
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    if not path.exists():
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))
    return OpenLineageClient(transport=FileTransport(FileConfig(log_file_path=str(path), append=True)))


def _dataset_name(contract_or_name) -> str:
    return getattr(contract_or_name, "full_name", contract_or_name)


def build_event(stats, event_type: str):
    """The OpenLineage RunEvent of a run (inputs and outputs from the job registry)."""
    from openlineage.client.event_v2 import InputDataset, Job, OutputDataset, Run, RunEvent, RunState
    from openlineage.client.facet_v2 import error_message_run, output_statistics_output_dataset

    from lake.core import job_registry as registry

    try:
        spec = registry.get(stats.job)
        reads, writes = [*spec.reads, *spec.reads_other], [*spec.writes, *spec.writes_other]
    except KeyError:
        reads, writes = [], []
    written = dict(stats.rows_written)
    outputs = []
    for w in [_dataset_name(w) for w in writes]:
        facets = {}
        if event_type != "START":
            if w.endswith("*"):
                for name, n in sorted(written.items()):  # one dataset per mart actually written
                    if name.startswith(w[:-1]):
                        outputs.append(OutputDataset(DATASET_NAMESPACE, name, outputFacets={
                            "outputStatistics": output_statistics_output_dataset.OutputStatisticsOutputDatasetFacet(
                                rowCount=int(n))}))
                continue
            facets["outputStatistics"] = output_statistics_output_dataset.OutputStatisticsOutputDatasetFacet(
                rowCount=int(written.get(w, 0)))
        outputs.append(OutputDataset(DATASET_NAMESPACE, w, outputFacets=facets))
    run_facets = {}
    if event_type == "FAIL" and stats.message:
        run_facets["errorMessage"] = error_message_run.ErrorMessageRunFacet(message=stats.message,
                                                                            programmingLanguage="python")
    when = stats.started_at if event_type == "START" else dt.datetime.now(dt.UTC)
    return RunEvent(eventType=getattr(RunState, event_type), eventTime=when.isoformat(), producer=PRODUCER,
                    run=Run(runId=stats.ol_run_id, facets=run_facets), job=Job(JOB_NAMESPACE, stats.job),
                    inputs=[InputDataset(DATASET_NAMESPACE, _dataset_name(r)) for r in reads], outputs=outputs)


def emit(settings: Settings, stats, event_type: str) -> None:
    """Send one OpenLineage event for the run (START, COMPLETE, FAIL); a failure is printed, never raised."""
    try:
        _client(settings).emit(build_event(stats, event_type))
    except Exception as exc:  # lineage is an observer: never fail the job over it
        with contextlib.suppress(Exception):
            print(f"{stats.job}: OpenLineage {event_type} event not sent: {exc}", file=sys.stderr)


def run_job(name: str, spark, settings, **options):
    """Run the registry's job `name` on `spark`; returns its RunStats. A job that raises is recorded as failed
    before the exception goes on."""
    from lake.core import job_registry as registry

    try:
        return registry.get(name).function()(spark, settings, **options)
    except BaseException as exc:
        fail_open_runs(spark, settings, exc)
        raise
