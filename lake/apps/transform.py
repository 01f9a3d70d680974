"""`lakehouse transform`: run the dbt project (`transformations/`) against the project's Spark.

Target: `session` (the default), which starts a Spark JVM inside the dbt process, as the pipeline's own OS
user: gold is built by the pipeline, never through the shared SQL endpoint, which is read-only for every
account (lake.platform.sql_endpoint). `thrift` (`--target thrift` or LAKEHOUSE_DBT_TARGET) connects to that endpoint
as the directory's `dbt` service account, for read-only commands. Either way the process gets the shared
runtime (lake.platform.runtime.spark_env + write_spark_conf: SPARK_CONF_DIR with the Delta extensions and the
Postgres metastore), and the session target needs the metastore database up.

Steps: `dbt deps` (only when packages.yml declares packages; none are, hub packages can't be fetched here),
`dbt seed`, `dbt build`, `dbt docs generate` (and optionally `dbt source freshness`), for what has new input only:
the first build, or one after the project changed, runs them all; later ones build only the models downstream of
the bronze/silver tables with new Delta commits (lake.apps.build_state), and nothing when nothing is new. dbt runs
in a child process (`python -m lake.apps.transform dbt ...` → dbtRunner): the session target can't share a JVM
with a SparkSession already running in the caller, and dbt's global state stays out of the caller.
"""

from __future__ import annotations

import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from lake.apps import build_state
from lake.core.settings import PROJECT_ROOT, Settings, get_settings

DBT_PROJECT_DIR = PROJECT_ROOT / "transformations"
TARGETS = ("thrift", "session")


class TransformError(RuntimeError):
    pass


@dataclass
class StepResult:
    args: list[str]
    returncode: int
    seconds: float
    output: str = ""

    @property
    def ok(self) -> bool:
        return self.returncode == 0


@dataclass
class TransformResult:
    target: str
    steps: list[StepResult] = field(default_factory=list)
    plan: build_state.BuildPlan | None = None  # None: a selection built as asked

    @property
    def ok(self) -> bool:
        return all(s.ok for s in self.steps)

    def summary(self) -> str:
        lines = [f"dbt target {self.target}"]
        if self.plan is not None:
            what = ("full build" if self.plan.full else "nothing to rebuild" if self.plan.nothing_to_do
                    else f"partial build of {' '.join(self.plan.select)}")
            lines.append(f"  {what}: {self.plan.reason}")
        for s in self.steps:
            lines.append(f"  dbt {' '.join(s.args):<40} {'ok' if s.ok else 'FAILED':<7} {s.seconds:7.1f} s")
        return "\n".join(lines)


def choose_target(settings: Settings, requested: str | None = None) -> str:
    """session, unless `requested` or LAKEHOUSE_DBT_TARGET says thrift (read-only through the SQL endpoint)."""
    requested = requested or settings.dbt_target
    if requested:
        if requested not in TARGETS:
            raise TransformError(f"unknown dbt target {requested!r}; choose one of {TARGETS}")
        return requested
    return "session"


def dbt_env(settings: Settings, target: str) -> dict[str, str]:
    """Environment of the dbt process: the shared Spark runtime plus what profiles.yml reads."""
    from lake.platform.runtime import spark_env, write_spark_conf

    write_spark_conf(settings)
    env = spark_env(settings)
    env.update(
        LAKEHOUSE_DBT_TARGET=target,
        LAKEHOUSE_THRIFT_PORT=str(settings.thrift_port),
        LAKEHOUSE_DBT_USER="dbt",
        LAKEHOUSE_DRIVER_MEMORY=settings.driver_memory,
        DBT_PROFILES_DIR=str(DBT_PROJECT_DIR),
        DBT_PROJECT_DIR=str(DBT_PROJECT_DIR),
        DBT_SEND_ANONYMOUS_USAGE_STATS="false",
        DBT_TARGET_PATH=str(settings.dbt_target_dir),
        DBT_LOG_PATH=str(settings.lake_root / "dbt" / "logs"),
    )
    if target == "thrift":  # the dbt service account; dbt scrubs DBT_ENV_SECRET_* values from its logs
        from lake.platform.directory import service_password

        env["DBT_ENV_SECRET_THRIFT_PASSWORD"] = service_password(settings, "dbt")
    # the session target's JVM reads spark-defaults.conf from SPARK_CONF_DIR; pyspark must not pick up a
    # PYSPARK_SUBMIT_ARGS from the caller
    env.pop("PYSPARK_SUBMIT_ARGS", None)
    return env


def has_packages(project_dir: Path = DBT_PROJECT_DIR) -> bool:
    import yaml

    for name in ("packages.yml", "dependencies.yml"):
        path = project_dir / name
        if path.is_file():
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
            if data.get("packages"):
                return True
    return False


def run_dbt(args: list[str], settings: Settings, target: str, echo: bool = True) -> StepResult:
    """One dbt command in a child process with the project's environment."""
    cmd = [sys.executable, "-m", "lake.apps.transform", "dbt", *args]
    t0 = time.monotonic()
    proc = subprocess.Popen(cmd, cwd=DBT_PROJECT_DIR, env=dbt_env(settings, target), stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
    lines = []
    assert proc.stdout is not None
    for line in proc.stdout:
        lines.append(line)
        if echo:
            print(line, end="", flush=True)
    rc = proc.wait()
    return StepResult(args, rc, time.monotonic() - t0, "".join(lines))


def transform(settings: Settings, target: str | None = None, docs: bool = True,
              freshness: bool = False, select: str | None = None, full_refresh: bool = False,
              echo: bool = True, everything: bool = False) -> TransformResult:
    """seed + build (+ docs generate, source freshness) of what has new input; stops at the first failing step.

    Without `select` the build is planned from the last one (lake.apps.build_state): all of it the first time, when
    the project changed, or with `everything` / `full_refresh`; else only the models downstream of the sources with
    new Delta commits (and the as-of models when the day moved), without seed and docs; no step at all when nothing
    is new. `select` builds that selection as asked (seed, build, docs) and leaves the recorded state alone.
    """
    target = choose_target(settings, target)
    state = plan = None
    if not select:  # a selection as asked neither plans nor records: no state to read
        state = build_state.current_state(settings, DBT_PROJECT_DIR)  # before dbt reads anything
        plan = (build_state.BuildPlan(True, reason="a full build was asked for") if everything or full_refresh
                else build_state.plan_build(build_state.load(settings), state))
    result = TransformResult(target, plan=plan)
    steps = dbt_steps(plan, select, docs=docs, freshness=freshness, full_refresh=full_refresh)
    if echo and plan is not None:
        print(result.summary(), flush=True)
    if not steps:
        return result
    if target == "session":
        from lake.platform.services import Postgres

        Postgres(settings).ensure_metastore()
    for args in steps:
        step = run_dbt([*args, "--target", target], settings, target, echo=echo)
        result.steps.append(step)
        if not step.ok:
            break
    if any(s.args[0] in ("seed", "build") for s in result.steps):
        _refresh_results_cache(settings)
    if plan is not None and not plan.nothing_to_do and result.ok:
        build_state.record(settings, state, build_state.sources_read(settings.dbt_target_dir / "manifest.json"))
    return result


def dbt_steps(plan: build_state.BuildPlan | None, select: str | None = None, docs: bool = True,
              freshness: bool = False, full_refresh: bool = False) -> list[list[str]]:
    """The dbt commands of a build (`plan` None: the selection `select`, as asked).

    >>> dbt_steps(build_state.BuildPlan(True))
    [['seed'], ['build'], ['docs', 'generate']]
    >>> dbt_steps(build_state.BuildPlan(False, ("source:silver.documents+",)))
    [['build', '--select', 'source:silver.documents+']]
    >>> dbt_steps(build_state.BuildPlan(False), freshness=True)
    [['source', 'freshness']]
    """
    whole = plan is None or plan.full
    refresh = ["--full-refresh"] if full_refresh else []
    steps: list[list[str]] = []
    if whole:
        if has_packages():
            steps.append(["deps"])
        steps.append(["seed", *refresh])
    if freshness:
        steps.append(["source", "freshness"])
    if plan is None:
        steps.append(["build", *refresh, "--select", str(select)])
    elif plan.full:
        steps.append(["build", *refresh])
    elif plan.select:
        steps.append(["build", "--select", *plan.select])
    if docs and whole:
        steps.append(["docs", "generate"])
    return steps


def _refresh_results_cache(settings: Settings) -> None:
    """The marts changed: empty Superset's results cache (lake/platform/results_cache.py) when it runs, so no dashboard
    shows the figures of the previous build."""
    from lake.platform.results_cache import ResultsCache

    cache = ResultsCache(settings)
    if cache.running():
        cache.flush()


def _dbt_main(args: list[str]) -> int:
    """Child-process entry: run one dbt command in-process with dbtRunner."""
    from dbt.cli.main import dbtRunner

    res = dbtRunner().invoke([*args, "--project-dir", str(DBT_PROJECT_DIR), "--profiles-dir", str(DBT_PROJECT_DIR)])
    if res.exception is not None:
        print(f"dbt error: {res.exception}", file=sys.stderr)
    return 0 if res.success else 1


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] == "dbt":
        return _dbt_main(argv[1:])
    result = transform(get_settings())
    print(result.summary())
    return 0 if result.ok else 1


if __name__ == "__main__":
    sys.exit(main())
