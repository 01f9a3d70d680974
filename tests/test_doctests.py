"""Every runnable example in a docstring of `lake/` is checked here, without Spark; the main entry points
(contracts, Delta DDL and writes, the silver sync's row hash, field extraction, the OCR engine) must carry one.

Modules are found by their files (a `>>>` in the source), so a module split into a package keeps its examples
checked. The OCR engine's example runs the real Tesseract (marker `ocr`)."""

from __future__ import annotations

import doctest
import importlib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NEEDS_TESSERACT = {"lake.domain.ocr.engine"}
# "module:object" of the entry points whose docstring shows a short runnable example
ENTRY_POINTS = [
    "lake.core.contracts:get_contract",  # contracts
    "lake.core.contracts:spark_type",
    "lake.core.delta:create_table_sql",  # Delta DDL
    "lake.core.delta:contract_tuples",  # Delta writes: the rows checked against the contract
    "lake.core.delta:key_match_sql",  # ... and matched by key in a MERGE
    "lake.core.delta:require_columns",
    "lake.domain.silver.rows:row_hash",  # sync: what "unchanged" means
    "lake.domain.silver.rows:with_audit",
    "lake.domain.documents.extract:extract_fields",  # field extraction
    "lake.domain.ocr.engine:OcrEngine",  # the OCR engine
]


def modules_with_examples() -> list[str]:
    out = []
    for path in sorted((ROOT / "lake").rglob("*.py")):
        if ">>>" in path.read_text(encoding="utf-8"):
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            out.append(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return out


def _run(name: str) -> doctest.TestResults:
    module = importlib.import_module(name)
    return doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)


@pytest.mark.parametrize("name", [m for m in modules_with_examples() if m not in NEEDS_TESSERACT])
def test_examples(name):
    assert _run(name).failed == 0


@pytest.mark.ocr
def test_ocr_engine_example():
    result = _run("lake.domain.ocr.engine")
    assert result.attempted > 0 and result.failed == 0


@pytest.mark.parametrize("target", ENTRY_POINTS)
def test_entry_points_carry_a_checked_example(target):
    module_name, _, attr = target.partition(":")
    obj = getattr(importlib.import_module(module_name), attr)
    examples = doctest.DocTestParser().get_examples(obj.__doc__ or "")
    assert examples, f"{target} has no runnable example in its docstring"
    assert obj.__module__ in modules_with_examples(), f"{obj.__module__} is not run by this file"


def test_discovery_finds_the_pure_modules():
    found = modules_with_examples()
    assert {"lake.core.delta", "lake.domain.silver.rows", "lake.domain.documents.extract"} <= set(found)
    assert "lake.core.settings" not in found  # no example there: a module is listed only for its `>>>`
