"""What the last gold build saw, and what the next `lakehouse transform` has to rebuild.

After each successful build `lakehouse transform` records (`Settings.dbt_state_path`, a JSON file):
- `project`: a SHA-256 of the dbt project's files (models, macros, seeds, tests, dbt_project.yml, profiles.yml);
- `as_of_day`: the day the progress marts stood on (var `as_of_date`, else today in the Spark session's zone);
- `sources`: the Delta commit (`lake.core.delta.log_version`) of each bronze/silver table the models read.

The next run compares them with what is there now (`plan_build`):
- no state, or another project → a full build (seed, build, docs);
- else only what is downstream of a source with a new commit (`source:silver.documents+`), plus the models tagged
  `as_of` and theirs when the day moved (their figures depend on today: `current_date()`);
- nothing new → no dbt step at all, so every mart keeps its Delta version.
The commits are read before the build starts: a source written while dbt runs counts as new at the next run.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

from lake.core.settings import Settings

# the tag of the models whose figures depend on the day of the build (tests/gold/test_dbt_project.py checks that
# every model calling current_date() carries it)
AS_OF_TAG = "as_of"
# what dbt reads from the project folder: a change in any of these files is another project
PROJECT_FILES = ("dbt_project.yml", "profiles.yml", "packages.yml", "dependencies.yml")
PROJECT_FOLDERS = ("models", "macros", "seeds", "tests", "analyses", "snapshots")


@dataclass(frozen=True)
class BuildState:
    """What one build saw; `sources` maps `layer.table` to its Delta commit (None: no table)."""

    project: str
    as_of_day: str
    sources: dict[str, str | None] = field(default_factory=dict)

    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=1, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> BuildState:
        data = json.loads(text)
        return cls(data["project"], data["as_of_day"], dict(data["sources"]))


@dataclass(frozen=True)
class BuildPlan:
    """What a build has to run: everything (`full`), the dbt selectors in `select`, or nothing."""

    full: bool
    select: tuple[str, ...] = ()
    reason: str = ""

    @property
    def nothing_to_do(self) -> bool:
        return not self.full and not self.select


def plan_build(previous: BuildState | None, current: BuildState) -> BuildPlan:
    """The part of the project to rebuild, from the last build's state and the current one.

    >>> last = BuildState("p1", "2026-03-02", {"silver.documents": "4@1", "bronze.scan_pages": "9@1"})
    >>> plan_build(None, last).full
    True
    >>> plan_build(last, BuildState("p2", "2026-03-02", last.sources)).reason
    'the dbt project changed'
    >>> plan_build(last, last).nothing_to_do
    True
    >>> plan_build(last, BuildState("p1", "2026-03-03", {**last.sources, "silver.documents": "5@2"})).select
    ('source:silver.documents+', 'tag:as_of+')
    """
    if previous is None:
        return BuildPlan(True, reason="no earlier build recorded")
    if previous.project != current.project:
        return BuildPlan(True, reason="the dbt project changed")
    changed = sorted(name for name, commit in previous.sources.items() if current.sources.get(name) != commit)
    select = [f"source:{name}+" for name in changed]
    reasons = [f"new commits in {', '.join(changed)}"] if changed else []
    if previous.as_of_day != current.as_of_day:
        select.append(f"tag:{AS_OF_TAG}+")
        reasons.append(f"the as-of day moved from {previous.as_of_day} to {current.as_of_day}")
    return BuildPlan(False, tuple(select), "; ".join(reasons) or f"nothing new since the build of {previous.as_of_day}")


def project_hash(project_dir: Path) -> str:
    """SHA-256 over the names and bytes of the files dbt reads from `project_dir` (not target/ or logs/)."""
    from lake.core.job_inputs import code_version

    names = (*PROJECT_FILES, *PROJECT_FOLDERS)
    return code_version([p for p in (project_dir / n for n in names) if p.exists()])


def as_of_day(project_dir: Path, today: dt.date | None = None) -> str:
    """The day the `as_of` models stand on: the project's var `as_of_date` when set, else today in the zone of the
    Spark sessions (the day their `current_date()` returns)."""
    import yaml

    from lake.platform.runtime import SESSION_TIME_ZONE

    project = yaml.safe_load((project_dir / "dbt_project.yml").read_text(encoding="utf-8")) or {}
    fixed = (project.get("vars") or {}).get("as_of_date")
    if fixed:
        return str(fixed)
    if today is None:
        from zoneinfo import ZoneInfo

        today = dt.datetime.now(ZoneInfo(SESSION_TIME_ZONE)).date()
    return today.isoformat()


def source_commits(settings: Settings) -> dict[str, str | None]:
    """The Delta commit of every bronze and silver table declared as a dbt source (lake.apps.dbt_sources)."""
    from lake.apps.dbt_sources import SOURCE_LAYERS
    from lake.core import contracts as C
    from lake.core.delta import log_version

    commits: dict[str, str | None] = {}
    for layer in SOURCE_LAYERS:
        for contract in C.tables(layer):
            try:
                commits[contract.full_name] = log_version(contract.location(settings))
            except PermissionError:  # a restricted-zone table: dbt, the same account, cannot read it either
                commits[contract.full_name] = None
    return commits


def sources_read(manifest_path: Path) -> set[str]:
    """`layer.table` of each source at least one node of the built project reads (dbt's manifest.json)."""
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    children = manifest.get("child_map", {})
    return {f"{s['source_name']}.{s['name']}" for uid, s in manifest.get("sources", {}).items() if children.get(uid)}


def current_state(settings: Settings, project_dir: Path) -> BuildState:
    """The state a build starting now would record (before knowing which sources it reads: all of them)."""
    return BuildState(project_hash(project_dir), as_of_day(project_dir), source_commits(settings))


def load(settings: Settings) -> BuildState | None:
    """The last successful build's state, or None (never built here, or a state file from another format)."""
    path = settings.dbt_state_path
    try:
        return BuildState.from_json(path.read_text(encoding="utf-8"))
    except (FileNotFoundError, KeyError, TypeError, ValueError):
        return None


def record(settings: Settings, state: BuildState, read: set[str]) -> Path:
    """Write `state`, keeping the commits of the sources in `read` only (what the project reads)."""
    from lake.core.job_inputs import write_atomic

    path = settings.dbt_state_path
    kept = BuildState(state.project, state.as_of_day, {k: v for k, v in state.sources.items() if k in read})
    write_atomic(path, kept.to_json())
    return path

