"""The runnable examples in the docstrings of the main entry points (contracts, Delta DDL, the silver row hash,
word boxes, field extraction, quarantine reasons, process liveness, the OCR engine) are checked here."""

from __future__ import annotations

import doctest
import importlib

import pytest

PURE = ["lake.core.contracts", "lake.core.delta", "lake.domain.silver.rows", "lake.domain.documents.text",
        "lake.domain.documents.extract", "lake.domain.ingest.reasons", "lake.core.pids"]


def _run(name: str) -> doctest.TestResults:
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0, f"{name} has no example"
    return result


@pytest.mark.parametrize("name", PURE)
def test_examples(name):
    assert _run(name).failed == 0


@pytest.mark.ocr
def test_ocr_engine_example():
    assert _run("lake.domain.ocr.engine").failed == 0
