"""Record every job run in ops.pipeline_runs (counts in, out, quarantined, duration): a row when it starts
(`RunStats.start`), completed when it ends (`RunStats.record`); see lake.core.runlog."""

from __future__ import annotations

import datetime as dt
import time
import uuid
from dataclasses import dataclass, field

from lake.core.settings import Settings


def new_run_id(job: str) -> str:
    """A new run id: `<job>-<UTC timestamp>-<6 random hex digits>` (a job's runs sort by start time)."""
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    return f"{job}-{stamp}-{uuid.uuid4().hex[:6]}"


@dataclass
class RunStats:
    """The counts of one job run (seen, new, skipped, quarantined, rows per table), recorded in
    ops.pipeline_runs by `start` and `record`."""

    job: str
    run_id: str = ""
    items_seen: int = 0
    items_new: int = 0
    items_skipped: int = 0
    items_quarantined: int = 0
    rows_written: dict[str, int] = field(default_factory=dict)
    message: str | None = None
    started_at: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.UTC))
    _t0: float = field(default_factory=time.monotonic)

    def __post_init__(self) -> None:
        if not self.run_id:
            self.run_id = new_run_id(self.job)

    @property
    def duration_s(self) -> float:
        """Seconds since this RunStats was created."""
        return time.monotonic() - self._t0

    @property
    def ol_run_id(self) -> str:
        """The run's OpenLineage run id (a UUID, derived from run_id)."""
        return str(uuid.uuid5(uuid.NAMESPACE_URL, f"lakehouse:{self.run_id}"))

    def start(self, spark, settings: Settings) -> RunStats:
        """Record the run as started (ops.pipeline_runs row, OpenLineage START); returns self."""
        from lake.core.runlog import started

        started(spark, settings, self)
        return self

    def record(self, spark, status: str = "succeeded") -> None:
        """Record the end of the run (completes the started row, OpenLineage COMPLETE / FAIL)."""
        from lake.core.runlog import finished

        finished(spark, None, self, status)

    def summary(self) -> str:
        """One line for the person running the job: counts, duration and rows written per table."""
        rows = ", ".join(f"{k}={v}" for k, v in sorted(self.rows_written.items()) if v) or "no new rows"
        return (f"{self.job} {self.run_id}: seen {self.items_seen}, new {self.items_new}, skipped "
                f"{self.items_skipped}, quarantined {self.items_quarantined} in {self.duration_s:.1f} s; {rows}")
