"""Every setting is read in one place (lake/core/settings.py; secrets in lake/core/secrets.py), and importing a module
changes nothing in the environment. Parsed with `ast` or run in a child interpreter: no Spark."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

from lake.core.settings import OCR_PAGE_TIMEOUT_S, Settings

ROOT = Path(__file__).resolve().parent.parent
READERS = {"settings.py", "secrets.py"}  # the two modules that may read LAKEHOUSE_* variables


def _environ_reads(tree: ast.AST) -> list[tuple[int, str]]:
    """(line, variable) of every os.environ[...] / os.environ.get|pop|setdefault(...) / os.getenv(...) of a
    string literal naming a LAKEHOUSE_* variable."""
    found = []
    for node in ast.walk(tree):
        arg = None
        if isinstance(node, ast.Subscript) and ast.unparse(node.value) == "os.environ":
            arg = node.slice
        elif isinstance(node, ast.Call) and ast.unparse(node.func) in (
                "os.environ.get", "os.environ.pop", "os.environ.setdefault", "os.getenv") and node.args:
            arg = node.args[0]
        if isinstance(arg, ast.Constant) and isinstance(arg.value, str) and arg.value.startswith("LAKEHOUSE_"):
            found.append((node.lineno, arg.value))
    return found


def test_no_lakehouse_variable_is_read_outside_settings():
    found = []
    for path in sorted((ROOT / "lake").rglob("*.py")):
        if path.name in READERS and path.parent.name in ("lake", "core"):
            continue
        found += [f"{path.relative_to(ROOT)}:{line} reads {var}"
                  for line, var in _environ_reads(ast.parse(path.read_text(encoding="utf-8")))]
    assert not found, "read these in Settings (lake/core/settings.py) and pass them:\n" + "\n".join(found)


def test_the_checker_sees_each_kind_of_read():
    tree = ast.parse('import os\na = os.environ["LAKEHOUSE_A"]\nb = os.environ.get("LAKEHOUSE_B", "1")\n'
                     'c = os.getenv("LAKEHOUSE_C")\nd = os.environ.get("HOME")\n')
    assert [v for _, v in _environ_reads(tree)] == ["LAKEHOUSE_A", "LAKEHOUSE_B", "LAKEHOUSE_C"]


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


def test_ocr_page_timeout_default_is_one_number():
    from lake.domain.ocr.batch import EngineSettings
    from lake.domain.ocr.engine import DEFAULT_TIMEOUT_S

    assert EngineSettings().timeout_s == DEFAULT_TIMEOUT_S == Settings.ocr_page_timeout == OCR_PAGE_TIMEOUT_S
