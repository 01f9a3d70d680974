"""Terminal progress for long Spark actions: a tqdm bar fed by Spark's status tracker."""

from __future__ import annotations

import threading
import uuid

from tqdm import tqdm


def collect_with_progress(rdd, desc: str, unit: str = "task"):
    """`rdd.collect()` on all cores while a bar shows finished tasks (hidden when stderr is no TTY)."""
    sc = rdd.context
    group = f"lakehouse-{uuid.uuid4().hex[:8]}"
    result: dict = {}

    def work() -> None:
        sc.setJobGroup(group, desc, interruptOnCancel=True)
        try:
            result["rows"] = rdd.collect()
        except BaseException as exc:  # re-raised in the caller's thread
            result["error"] = exc

    total = rdd.getNumPartitions()
    thread = threading.Thread(target=work, daemon=True)
    with tqdm(total=total, desc=desc, unit=unit, disable=None, leave=True) as bar:
        thread.start()
        tracker = sc.statusTracker()
        while thread.is_alive():
            thread.join(0.5)
            done = 0
            for job_id in tracker.getJobIdsForGroup(group):
                job = tracker.getJobInfo(job_id)
                if job is None:
                    continue
                for stage_id in job.stageIds:
                    stage = tracker.getStageInfo(stage_id)
                    if stage is not None:
                        done += stage.numCompletedTasks
            bar.update(max(0, min(done, total) - bar.n))
        bar.update(total - bar.n)
    if "error" in result:
        raise result["error"]
    return result["rows"]
