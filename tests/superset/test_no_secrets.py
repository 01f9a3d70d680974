"""No secret in any log, command line, process title or generated file outside `<lake root>/secrets/`: after the
pipeline, dbt and `services up` with Superset (the session's fixtures), every file under the lake root and every
process's arguments are searched for every secret value."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

pytestmark = [pytest.mark.spark, pytest.mark.services]


def secret_values(settings) -> dict[str, str]:
    values = {}
    for path in sorted(settings.secrets_dir.rglob("*")):
        if path.is_file():
            value = path.read_text(encoding="utf-8", errors="replace").strip()
            if len(value) >= 8:
                values[str(path.relative_to(settings.lake_root))] = value
    for name, value in os.environ.items():
        if name.startswith("LAKEHOUSE_") and "PASSWORD" in name and len(value.strip()) >= 8:
            values[f"${name}"] = value.strip()
    return values


def files_outside_secrets(settings) -> list[Path]:
    out = []
    for dirpath, dirnames, filenames in os.walk(settings.lake_root):
        here = Path(dirpath)
        dirnames[:] = [d for d in dirnames if here / d != settings.secrets_dir]
        out.extend(here / f for f in filenames if not (here / f).is_symlink())
    return out


@pytest.fixture(scope="module")
def secrets(superset, lake_env):
    values = secret_values(lake_env)
    # the secrets the services up to Superset generated: the test is about them
    for name in ("postgres_password", "superset_admin_password", "superset_db_password", "superset_secret_key"):
        assert f"secrets/{name}" in values or any(k.startswith("$") for k in values), name
    return values


def test_no_secret_in_any_file_outside_secrets(secrets, lake_env):
    files = files_outside_secrets(lake_env)
    assert any(p.name == "superset-setup.log" for p in files), "Superset's setup log is part of what is searched"
    needles = {name: value.encode() for name, value in secrets.items()}
    leaks = []
    for path in files:
        try:
            data = path.read_bytes()
        except OSError:
            continue
        leaks.extend(f"{name} in {path.relative_to(lake_env.lake_root)}" for name, v in needles.items() if v in data)
    assert leaks == []


def test_no_secret_on_any_command_line(secrets):
    args = subprocess.run(["ps", "-eo", "args", "--no-headers"], capture_output=True, text=True, check=True).stdout
    assert [name for name, value in secrets.items() if value in args] == []


def test_superset_config_holds_no_secret(superset, secrets):
    text = superset.config_path.read_text(encoding="utf-8")
    assert "SUPERSET_SECRET_KEY" in text  # it reads them from its environment
    assert [name for name, value in secrets.items() if value in text] == []
