"""The benchmarks run in their own processes, often from code kept in strings (a job in a child interpreter), so
a moved module shows only when someone runs them: every `from lake… import …` and `import lake…` they hold,
in code or in strings, must name what exists. No Spark: the names are imported, nothing is run."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FROM_IMPORT = re.compile(r"from ((?:lake|jobs|lakehouse_sample)(?:\.\w+)*) import ([\w, ]+)")
PLAIN_IMPORT = re.compile(r"^\s*import ((?:lake|jobs|lakehouse_sample)(?:\.\w+)*)", re.M)
SCRIPTS = sorted((ROOT / "benchmarks").glob("*.py"))


def _imports(text: str) -> set[tuple[str, str | None]]:
    # code kept in strings writes its newlines as "\n": read them as line breaks
    text = text.replace("\\n", "\n")
    found = {(m.group(1), name.split(" as ")[0].strip()) for m in FROM_IMPORT.finditer(text)
             for name in m.group(2).split(",") if name.strip()}
    return found | {(m.group(1), None) for m in PLAIN_IMPORT.finditer(text)}


def test_the_benchmarks_hold_imports_to_check():
    assert SCRIPTS and sum(len(_imports(p.read_text(encoding="utf-8"))) for p in SCRIPTS) > 10


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: p.name)
def test_every_lake_import_of_a_benchmark_exists(script):
    missing = []
    for module, name in sorted(_imports(script.read_text(encoding="utf-8")), key=str):
        try:
            mod = importlib.import_module(module)
        except ImportError as e:
            missing.append(f"{module}: {e}")
            continue
        if name is not None and not hasattr(mod, name):
            try:
                importlib.import_module(f"{module}.{name}")
            except ImportError:
                missing.append(f"{module}.{name}")
    assert not missing, missing
