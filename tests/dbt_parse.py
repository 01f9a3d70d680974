"""`dbt parse` of a dbt project for the tests: no warehouse connection, no Spark."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from lake.apps.transform import DBT_PROJECT_DIR


def parse_manifest(target_dir: Path, project_dir: Path = DBT_PROJECT_DIR) -> dict:
    """The manifest of `dbt parse` into `target_dir`, run in a child process (dbt's global state stays out of
    the test process) with the thrift target, which parse never connects to; logs go to `target_dir`/logs."""
    code = ("import sys; from dbt.cli.main import dbtRunner; "
            "r = dbtRunner().invoke(['parse', '--project-dir', sys.argv[1], '--profiles-dir', sys.argv[1], "
            "'--target-path', sys.argv[2]]); sys.exit(0 if r.success else 1)")
    env = {**os.environ, "DBT_SEND_ANONYMOUS_USAGE_STATS": "false", "LAKEHOUSE_DBT_TARGET": "thrift",
           "DBT_LOG_PATH": str(target_dir / "logs")}
    proc = subprocess.run([sys.executable, "-c", code, str(project_dir), str(target_dir)], capture_output=True,
                          text=True, env=env, timeout=300, check=False)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    return json.loads((target_dir / "manifest.json").read_text(encoding="utf-8"))
