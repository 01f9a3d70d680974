"""The state an incremental job keeps between runs (ops.job_state, one row per job): the version of its code
and rules, the Delta version of every input it read and of every output after its writes. Written only at the
end of a successful run, so a run that dies keeps the state of the last good one."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from lake.core import contracts as C


@dataclass(frozen=True)
class JobState:
    """A job's state after a successful run: code version, input and output table → Delta version, run id."""

    code_version: str
    inputs: dict[str, int] = field(default_factory=dict)
    outputs: dict[str, int] = field(default_factory=dict)
    run_id: str = ""


def read_state(spark, job: str) -> JobState | None:
    """The job's recorded state, None when it has none (or the table does not exist yet)."""
    if not spark.catalog.tableExists(C.JOB_STATE.full_name):
        return None
    rows = spark.table(C.JOB_STATE.full_name).where(f"job = '{job}'").collect()
    if not rows:
        return None
    r = rows[0]
    return JobState(r.code_version, dict(r.input_versions), dict(r.output_versions), r.run_id)


def save_state(spark, settings, job: str, state: JobState) -> None:
    """Record the job's state (MERGE on job: one commit)."""
    from lake.core.delta import ensure_table, to_dataframe, upsert

    ensure_table(spark, C.JOB_STATE, settings)
    row = {"job": job, "code_version": state.code_version, "input_versions": dict(state.inputs),
           "output_versions": dict(state.outputs), "run_id": state.run_id, "updated_at": dt.datetime.now(dt.UTC)}
    upsert(spark, C.JOB_STATE, to_dataframe(spark, C.JOB_STATE, [row]))
