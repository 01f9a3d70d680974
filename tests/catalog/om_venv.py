"""Run lake/apps/metadata/om_validate.py inside the OpenMetadata virtualenv (.venvs/openmetadata, made by
`make bootstrap`): the only place openmetadata-ingestion's parser and generated models are installed."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from lake.core.settings import PROJECT_ROOT

OM_PYTHON = Path(os.environ.get("LAKEHOUSE_OM_VENV", PROJECT_ROOT / ".venvs" / "openmetadata")) / "bin" / "python"
VALIDATOR = PROJECT_ROOT / "lake/apps/metadata/om_validate.py"


def om_python() -> Path:
    if not OM_PYTHON.is_file():
        pytest.fail(f"{OM_PYTHON} missing: run `make bootstrap` (scripts/bootstrap.sh builds .venvs/openmetadata)")
    return OM_PYTHON


def run_validator(args: list[str], stdin: str | None = None, env: dict | None = None) -> list[dict]:
    proc = subprocess.run([str(om_python()), str(VALIDATOR), *args], input=stdin, capture_output=True, text=True,
                          env={**os.environ, **(env or {})}, timeout=300, check=False)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(proc.stdout.strip().splitlines()[-1])["results"]


def validate_bodies(items: list[dict]) -> list[dict]:
    return run_validator(["payloads"], stdin=json.dumps(items, ensure_ascii=False))
