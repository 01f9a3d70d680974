"""When silver_documents may rebuild only some records, and when it must rebuild them all.

After each successful run the job records its state (ops.job_state): the version of the code and rules that
built the tables (`code_version`), the Delta version of every input it read and of every output after its
writes. The next run compares that state with the tables as they are now (`plan_run`):

- nothing recorded, another code or rules version, an output written since (by anyone else, or a run that
  died between its writes), an input older than recorded (a table restored or re-created), or a changed
  reference table (agencies and localities reach every record: district codes, the issuer register) → **full**
  rebuild;
- every input at its recorded version → **noop**: nothing is read and nothing is committed;
- otherwise → **incremental** from the recorded versions: the records touched by the change feed of the
  tracked inputs (new or changed inventory rows, scan sightings, OCR results) are rebuilt, and only their rows
  are compared with the tables. A change feed that cannot be read (not enabled then, or vacuumed) turns the
  run into a full one.
A full rebuild and an incremental one leave the same tables: both write only the rows whose hash differs.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from lake.core.job_state import JobState


@dataclass(frozen=True)
class Plan:
    """The run to do: its mode, why, and (incremental) the input versions the last run built from."""

    mode: str  # "full", "incremental" or "noop"
    reason: str
    since: dict[str, int] = field(default_factory=dict)  # incremental: the input versions already built from


def plan_run(state: JobState | None, code_version: str, inputs: Mapping[str, int], outputs: Mapping[str, int],
             tracked: Iterable[str]) -> Plan:
    """The run to do now (see the module docstring). `inputs`/`outputs`: table → current Delta version
    (-1 when missing); `tracked`: the inputs whose change feed names the touched records.

    >>> s = JobState("c1", {"bronze.ocr_pages": 4, "silver.agencies": 2}, {"silver.records": 7})
    >>> plan_run(s, "c1", {"bronze.ocr_pages": 4, "silver.agencies": 2}, {"silver.records": 7}, ["bronze.ocr_pages"])
    Plan(mode='noop', reason='no input changed since the last run', since={})
    >>> plan_run(s, "c1", {"bronze.ocr_pages": 6, "silver.agencies": 2}, {"silver.records": 7},
    ...          ["bronze.ocr_pages"]).mode
    'incremental'
    >>> plan_run(s, "c2", {"bronze.ocr_pages": 4, "silver.agencies": 2}, {"silver.records": 7}, []).reason
    'the code or rules changed'
    >>> plan_run(s, "c1", {"bronze.ocr_pages": 4, "silver.agencies": 3}, {"silver.records": 7},
    ...          ["bronze.ocr_pages"]).reason
    'silver.agencies changed'
    """
    tracked = set(tracked)
    if state is None:
        return Plan("full", "no state recorded")
    if state.code_version != code_version:
        return Plan("full", "the code or rules changed")
    if dict(outputs) != state.outputs or min(outputs.values(), default=0) < 0:
        return Plan("full", "an output table changed since the last run")
    for name, version in sorted(inputs.items()):
        before = state.inputs.get(name)
        if before is None or version < before:
            return Plan("full", f"{name} has no usable recorded version")
        if version != before and name not in tracked:
            return Plan("full", f"{name} changed")
    if dict(inputs) == state.inputs:
        return Plan("noop", "no input changed since the last run")
    return Plan("incremental", "inputs changed: " + ", ".join(
        n for n in sorted(inputs) if inputs[n] != state.inputs[n]), dict(state.inputs))


