"""What a reviewer checks first: the two commands, CI wiring, no secrets or reference copies, loopback."""

import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent


def test_readme_shows_the_two_commands_and_ci_calls_the_test_command():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "make demo" in readme and "make test" in readme
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "make test" in ci
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "\ntest:" in makefile and "\ndemo:" in makefile and "scripts/bootstrap.sh" in makefile


def test_compose_file_publishes_on_loopback_and_takes_secrets_from_the_environment():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))
    assert compose["services"]
    for name, svc in compose["services"].items():
        for port in svc.get("ports", []):
            assert str(port).startswith("127.0.0.1:"), f"{name} publishes {port} beyond loopback"
        env = svc.get("environment", {})
        for key, value in env.items():
            if "PASSWORD" in key or "SECRET" in key:
                assert str(value).startswith("${"), f"{name}.{key} must come from the environment"


@pytest.mark.skipif(not shutil.which("docker"), reason="no docker client on this machine")
def test_compose_file_is_valid_for_docker_compose_when_the_plugin_exists():
    probe = subprocess.run(["docker", "compose", "version"], capture_output=True, text=True)
    if probe.returncode != 0:
        pytest.skip("docker client without the compose plugin")
    out = subprocess.run(["docker", "compose", "-f", str(ROOT / "docker-compose.yml"), "config", "--quiet"],
                         capture_output=True, text=True, env={"LAKEHOUSE_PG_PASSWORD": "x", "PATH": "/usr/bin:/bin"})
    assert out.returncode == 0, out.stderr


def test_no_reference_copies_secrets_or_lake_data_are_tracked():
    tracked = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True).stdout.split()
    if not tracked:
        pytest.skip("not a git checkout")
    for path in tracked:
        name = Path(path).name
        assert not name.startswith(("old_districts_2025", "old_communes_2025", "new_communes_2025",
                                    "old_to_new_communes")), path
        assert not path.startswith(("lake_data/", ".venv/", ".cache/")), path
        assert name not in (".env", "superset.db", "derby.log") and not name.endswith((".pem", ".key")), path
        # run output (dbt logs, Spark event logs, notebooks' executed copies) belongs in the lake root
        assert not name.endswith((".log", ".pyc")) and "{{" not in path, path
