"""Record every job run in ops.pipeline_runs (counts in, out, quarantined, duration)."""

from __future__ import annotations

import datetime as dt
import time
import uuid
from dataclasses import dataclass, field

from lake import contracts as C
from lake.delta import append, ensure_table


def new_run_id(job: str) -> str:
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    return f"{job}-{stamp}-{uuid.uuid4().hex[:6]}"


@dataclass
class RunStats:
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
        return time.monotonic() - self._t0

    def record(self, spark, status: str = "succeeded") -> None:
        ensure_table(spark, C.PIPELINE_RUNS)
        append(spark, C.PIPELINE_RUNS, [{
            "run_id": self.run_id, "job": self.job, "started_at": self.started_at,
            "finished_at": dt.datetime.now(dt.UTC), "duration_s": round(self.duration_s, 3), "status": status,
            "items_seen": self.items_seen, "items_new": self.items_new, "items_skipped": self.items_skipped,
            "items_quarantined": self.items_quarantined, "rows_written": dict(self.rows_written),
            "message": self.message,
        }])

    def summary(self) -> str:
        rows = ", ".join(f"{k}={v}" for k, v in sorted(self.rows_written.items()) if v) or "no new rows"
        return (f"{self.job} {self.run_id}: seen {self.items_seen}, new {self.items_new}, skipped "
                f"{self.items_skipped}, quarantined {self.items_quarantined} in {self.duration_s:.1f} s; {rows}")
