"""The managed-process base (lake.platform.process) and process liveness (lake.core.pids), with real processes:
a small HTTP server started, found, refused a second port, stopped with its group; a child that dies early; a
zombie; a command name with spaces and ')' in /proc/<pid>/stat. No Spark, no project service."""

from __future__ import annotations

import dataclasses
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from lake.core.pids import pid_alive, pid_from_file, proc_state
from lake.core.settings import Settings
from lake.platform.process import ManagedProcess, ServiceError, port_open


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _stat(pid: int) -> str:
    return Path(f"/proc/{pid}/stat").read_text()


class Echo(ManagedProcess, name="echo-test", what="echo server", port="catalog_port", stop_timeout=5):
    """python's http.server on the catalog port of a throwaway Settings: stands in for nothing, it is a real
    process the base class manages exactly as it manages the lake's services."""

    def start(self, timeout: float = 20, argv: tuple[str, ...] | None = None) -> None:
        if self.running():
            return
        self.check_port_free()
        cmd = [sys.executable, *(argv or ("-m", "http.server", "--bind", "127.0.0.1", str(self.port)))]
        self.wait_started(self.spawn(cmd, env={"PATH": os.environ["PATH"]}), timeout)


@pytest.fixture()
def echo(tmp_path, monkeypatch):
    monkeypatch.setenv("LAKEHOUSE_ROOT", str(tmp_path))
    settings = dataclasses.replace(Settings.from_env(), catalog_port=_free_port())
    svc = Echo(settings)
    yield svc
    svc.stop()


def test_start_status_stop(echo):
    echo.start()
    status = echo.status()
    assert status.running and status.pid == pid_from_file(echo.pidfile) and status.name == "echo-test"
    assert status.address == f"127.0.0.1:{echo.s.catalog_port}"
    assert echo.pidfile == echo.s.run_dir / "echo-test.pid" and echo.log == echo.s.log_dir / "echo-test.log"
    pid = status.pid
    echo.stop()
    assert not echo.pidfile.exists() and not pid_alive(pid) and not port_open("127.0.0.1", echo.s.catalog_port)
    assert not echo.status().running


def test_port_taken_is_refused_with_the_variable_to_set(echo):
    with socket.socket() as other:
        other.bind(("127.0.0.1", echo.s.catalog_port))
        other.listen()
        with pytest.raises(ServiceError, match=r"port .* is taken by another program; set LAKEHOUSE_CATALOG_PORT"):
            echo.start()
    assert not echo.pidfile.exists()


def test_a_process_that_dies_before_listening_reports_its_log(echo):
    with pytest.raises(ServiceError, match=r"(?s)echo server exited before listening.*the echo died"):
        echo.start(argv=("-c", "import sys; print('the echo died', flush=True); sys.exit(3)"))
    assert not echo.pidfile.exists()


def test_a_zombie_is_not_alive():
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    deadline = time.monotonic() + 10
    while proc_state(_stat(child.pid)) != "Z" and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not pid_alive(child.pid)  # exited, not yet reaped
    child.wait()
    assert not pid_alive(child.pid)


def test_a_command_name_with_spaces_and_parenthesis_is_read_right(tmp_path):
    odd = tmp_path / "a) Z b"
    shutil.copy("/bin/sleep", odd)
    proc = subprocess.Popen([str(odd), "30"])
    try:
        deadline = time.monotonic() + 10
        while ") Z b)" not in _stat(proc.pid) and time.monotonic() < deadline:
            time.sleep(0.02)
        assert _stat(proc.pid).split()[2] == "Z"  # a naive split reads the name
        assert pid_alive(proc.pid)
    finally:
        proc.kill()
        proc.wait()


def test_pid_file_of_a_gone_process_is_none(tmp_path):
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    (tmp_path / "x.pid").write_text(str(child.pid))
    assert pid_from_file(tmp_path / "x.pid") is None
    (tmp_path / "y.pid").write_text("not a number")
    assert pid_from_file(tmp_path / "y.pid") is None
    (tmp_path / "z.pid").write_text(str(os.getpid()))
    assert pid_from_file(tmp_path / "z.pid") == os.getpid()
