"""Every setting is read in one place (lake/core/settings.py; secrets in lake/core/secrets.py), created once by a
process's entry point and passed; the README lists every variable; importing a module changes nothing in the
environment. Parsed with `ast` or run in a child interpreter: no Spark."""

from __future__ import annotations

import ast
import json
import re
import subprocess
import sys
from functools import cache
from pathlib import Path

import pytest

from lake.core.settings import OCR_PAGE_TIMEOUT_S, Settings, SettingsError

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("lake", "jobs", "lakehouse_sample")
READERS = {"lake/core/settings.py", "lake/core/secrets.py"}  # the two modules that read the environment
# (file, function) that touch the environment without reading a setting, and why
ENVIRONMENT_BUILDERS = {
    ("lake/platform/runtime.py", "spark_env"): "builds the environment of a child that starts a Spark JVM",
    ("lake/platform/process.py", "lake_env"): "builds the environment of a lake web app",
    ("lake/platform/services.py", "Postgres.psql_as"): "builds psql's environment (PGPASSWORD)",
    ("lake/platform/superset.py", "Superset.env"): "builds Superset's environment",
    ("lake/platform/spark.py", "get_spark"): "hands the JVM its environment (pyspark starts it from os.environ)",
    ("lake/domain/ocr/engine.py", "start_ocr_worker"): "sets OMP_THREAD_LIMIT before tesserocr loads",
    ("lake/apps/restricted.py", "caller"): "who is asking (SUDO_USER from sudo), not a setting",
}
# (file, function) allowed to create the settings: the entry points of processes; "<module>" = the __main__ block
ENTRY_POINTS = {
    ("lake/apps/cli.py", "main"), ("lake/platform/spark.py", "run_job"), ("jobs/ocr_pages.py", "main"),
    ("lake/apps/docs_site.py", "main"), ("lake/apps/search/app.py", "main"), ("lake/apps/transform.py", "main"),
    ("lake/apps/notebook.py", "kernel_settings"), ("lake/domain/plan.py", "<module>"),
    ("lakehouse_sample/synthetic.py", "main"),
}


@cache
def _source_files() -> dict[str, ast.AST]:
    return {str(p.relative_to(ROOT)): ast.parse(p.read_text(encoding="utf-8"))
            for package in PACKAGES for p in sorted((ROOT / package).rglob("*.py"))}


def _scoped(tree: ast.AST):
    """(node, qualified name of the enclosing function or "<module>") for every node of `tree`."""
    def walk(node, scope, prefix):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
                name = prefix + child.name
                yield from walk(child, name, name + ".")
            elif isinstance(child, ast.ClassDef):
                yield from walk(child, scope, prefix + child.name + ".")
            else:
                yield child, scope
                yield from walk(child, scope, prefix)
    yield from walk(tree, "<module>", "")


def environment_uses(tree: ast.AST) -> list[tuple[int, str]]:
    """(line, enclosing function) of every use of `os.environ`, `os.getenv`, `os.putenv` or a name imported
    from them (`from os import environ`), reading or writing."""
    names = {"environ", "getenv", "putenv", "environb", "unsetenv"}
    found = []
    for node, scope in _scoped(tree):
        attribute = isinstance(node, ast.Attribute) and ast.unparse(node) in {f"os.{n}" for n in names}
        imported = isinstance(node, ast.ImportFrom) and node.module == "os" and {a.name for a in node.names} & names
        if attribute or imported:
            found.append((node.lineno, scope))
    return found


def settings_created(tree: ast.AST) -> list[tuple[int, str]]:
    """(line, enclosing function) of every `get_settings()` / `Settings.from_env()` call."""
    return [(node.lineno, scope) for node, scope in _scoped(tree) if isinstance(node, ast.Call)
            and ast.unparse(node.func).rpartition(".")[2] in ("get_settings", "from_env")]


def _places(finder, skip: set[str], allowed) -> tuple[list[str], set[tuple[str, str]]]:
    """(places `finder` reports outside `allowed`, the allowed (file, function) pairs seen), over every source file
    but `skip`."""
    found, used = [], set()
    for path, tree in _source_files().items():
        for line, scope in finder(tree) if path not in skip else ():
            if (path, scope) in allowed:
                used.add((path, scope))
            else:
                found.append(f"{path}:{line} ({scope})")
    return found, used


def test_no_environment_read_outside_settings():
    found, used = _places(environment_uses, READERS, ENVIRONMENT_BUILDERS)
    assert not found, "read these in Settings (lake/core/settings.py) or lake/core/secrets.py and pass them:\n" + \
        "\n".join(found)
    assert used == set(ENVIRONMENT_BUILDERS), f"stale entries: {set(ENVIRONMENT_BUILDERS) - used}"


def test_settings_are_created_only_by_entry_points():
    found, used = _places(settings_created, {"lake/core/settings.py"}, ENTRY_POINTS)
    assert not found, ("settings created outside an entry point (take `settings: Settings` from the caller "
                       "instead):\n" + "\n".join(found))
    assert used == ENTRY_POINTS, f"stale entries: {ENTRY_POINTS - used}"


def optional_settings(tree: ast.AST) -> list[tuple[int, str]]:
    """(line, function) of every parameter named `settings` that defaults to None (a fallback in disguise)."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            args = node.args
            pairs = [*zip(args.args[len(args.args) - len(args.defaults):], args.defaults, strict=True),
                     *zip(args.kwonlyargs, args.kw_defaults, strict=True)]
            found += [(node.lineno, node.name) for arg, default in pairs
                      if arg.arg == "settings" and isinstance(default, ast.Constant) and default.value is None]
    return found


def test_settings_are_a_required_argument():
    found = [f"{path}:{line} ({name})" for path, tree in _source_files().items()
             for line, name in optional_settings(tree)]
    assert not found, "make `settings: Settings` required (the caller has them):\n" + "\n".join(found)


def test_the_checkers_see_reads_in_functions_methods_and_imports():
    tree = ast.parse("import os\nfrom os import getenv\na = os.environ['LAKEHOUSE_A']\n"
                     "def f():\n    return os.getenv('HOME')\n"
                     "class K:\n    def m(self):\n        return 'X' in os.environ or get_settings()\n"
                     "def g(settings=None):\n    return settings or Settings.from_env()\n")
    assert environment_uses(tree) == [(2, "<module>"), (3, "<module>"), (5, "f"), (8, "K.m")]
    assert settings_created(tree) == [(8, "K.m"), (10, "g")]
    assert optional_settings(tree) == [(9, "g")]
    assert optional_settings(ast.parse("def h(a, *, settings=None, b=1):\n    pass\n")) == [(1, "h")]


def _variables_of_the_code() -> set[str]:
    """Every LAKEHOUSE_* name in the code (read in Settings, a secret, or handed to a child), and every other
    variable that settings.py or a secret reader reads."""
    names = set()
    for path, tree in _source_files().items():
        readers = {"env_secret", "take_env_secret", "get_secret"}
        if path == "lake/core/settings.py":
            readers |= {"_env", "_env_int", "_env_float", "get"}
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                names |= set(re.findall(r"\b(LAKEHOUSE_[A-Z0-9_]*[A-Z0-9])\b", node.value))
            elif isinstance(node, ast.Call):
                func = ast.unparse(node.func).rpartition(".")[2]
                index = 1 if func == "get_secret" else 0  # get_secret(settings, env_var, file name)
                arg = node.args[index] if func in readers and len(node.args) > index else None
                if isinstance(arg, ast.Constant) and re.fullmatch(r"[A-Z][A-Z0-9_]+", str(arg.value)):
                    names.add(arg.value)
    return names


def test_readme_lists_every_variable():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Settings (environment variables)", 1)[1].split("\n## ", 1)[0]
    variables = _variables_of_the_code()
    assert {"TESSDATA_PREFIX", "OPENMETADATA_HOST_PORT", "OPENMETADATA_JWT_TOKEN", "LAKEHOUSE_ROOT"} <= variables
    missing = sorted(v for v in variables if f"`{v}`" not in section)
    assert not missing, f"add these to the README's settings table: {missing}"


def test_dbt_target_folder_is_built_once():
    hits = [str(p.relative_to(ROOT)) for p in sorted((ROOT / "lake").rglob("*.py"))
            if '"dbt" / "target"' in p.read_text(encoding="utf-8")]
    assert [Path(h).name for h in hits] == ["settings.py"], hits


@pytest.mark.parametrize("module", ["lake.domain.ocr.engine", "lake.domain.ocr.batch"])
def test_importing_ocr_modules_leaves_the_environment_alone(module):
    code = (f"import json, os\nbefore = dict(os.environ)\nimport {module}\n"
            "print(json.dumps({k: v for k, v in os.environ.items() if before.get(k) != v}))")
    env = {"PATH": "/usr/bin:/bin", "LAKEHOUSE_ROOT": "/nonexistent"}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env,
                         cwd=ROOT).stdout
    assert json.loads(out) == {}


def test_settings_read_the_tool_and_tuning_variables(monkeypatch, tmp_path):
    for var, value in {"LAKEHOUSE_ROOT": str(tmp_path), "LAKEHOUSE_SUPERSET_WORKERS": "3",
                       "LAKEHOUSE_DELTA_SNAPSHOT_PARTITIONS": "8", "LAKEHOUSE_OCR_PAGE_TIMEOUT": "45.5",
                       "LAKEHOUSE_DBT_TARGET": "thrift", "LAKEHOUSE_SQL_USER": "phantich",
                       "LAKEHOUSE_READING_ROOM_VENV": str(tmp_path / "rr"),
                       "LAKEHOUSE_PG_BINDIR": "/opt/pg/bin"}.items():
        monkeypatch.setenv(var, value)
    s = Settings.from_env()
    assert (s.superset_workers, s.delta_snapshot_partitions, s.ocr_page_timeout) == (3, 8, 45.5)
    assert (s.dbt_target, s.sql_user, s.reading_room_venv, s.pg_bindir) == ("thrift", "phantich", tmp_path / "rr",
                                                                            "/opt/pg/bin")
    assert s.dbt_target_dir == tmp_path / "dbt" / "target"
    monkeypatch.delenv("LAKEHOUSE_OCR_PAGE_TIMEOUT")
    assert Settings.from_env().ocr_page_timeout == OCR_PAGE_TIMEOUT_S == 120.0


def test_the_ocr_job_and_catalog_push_take_their_settings(monkeypatch, tmp_path):
    from jobs.ocr_pages import engine_settings

    for var, value in {"LAKEHOUSE_OCR_LANG": "vie+eng", "LAKEHOUSE_OCR_PSM": "6", "LAKEHOUSE_OCR_PAGE_TIMEOUT": "30",
                       "TESSDATA_PREFIX": str(tmp_path), "LAKEHOUSE_MAX_PAGE_PIXELS": "1000",
                       "OPENMETADATA_HOST_PORT": "http://127.0.0.1:8585/api"}.items():
        monkeypatch.setenv(var, value)
    s = Settings.from_env()
    engine = engine_settings(s)
    assert (engine.lang, engine.psm, engine.timeout_s, engine.tessdata, engine.max_page_pixels) == (
        "vie+eng", 6, 30.0, str(tmp_path), 1000)
    assert s.openmetadata_server == "http://127.0.0.1:8585/api"
    monkeypatch.setenv("LAKEHOUSE_OCR_PSM", "auto")
    with pytest.raises(SettingsError, match="LAKEHOUSE_OCR_PSM"):
        Settings.from_env()


def test_ocr_page_timeout_default_is_one_number():
    from lake.domain.ocr.batch import EngineSettings
    from lake.domain.ocr.engine import DEFAULT_TIMEOUT_S

    assert EngineSettings().timeout_s == DEFAULT_TIMEOUT_S == Settings.ocr_page_timeout == OCR_PAGE_TIMEOUT_S
