"""One base class for every process the lake starts and stops (`lakehouse services up|down|status`).

A `ManagedProcess` has a pid file under `<lake root>/run/` and a log under `<lake root>/logs/`; it is started in
its own process group (as its service account, through `lake.core.os_accounts.as_user`, when the CLI runs as root),
waited for until it listens on its port, and stopped by signalling the whole group, then waiting. Subclasses say
how to prepare and what to run; the pid file, the port checks, the log tail on failure and the stop are here.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from lake.core.pids import pid_alive, pid_from_file
from lake.core.settings import Settings


class ServiceError(RuntimeError):
    pass


@dataclass
class ServiceStatus:
    name: str
    running: bool
    pid: int | None
    address: str
    detail: str = ""

    def line(self) -> str:
        state = "running" if self.running else "stopped"
        pid = f" pid {self.pid}" if self.pid else ""
        extra = f" ({self.detail})" if self.detail else ""
        return f"{self.name:<14} {state:<8} {self.address}{pid}{extra}"


def port_open(host: str, port: int, timeout: float = 0.5) -> bool:
    """True when something accepts a TCP connection on host:port."""
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def wait_for_port(host: str, port: int, timeout: float, alive=lambda: True, what: str = "service") -> None:
    """Wait until host:port accepts connections; ServiceError when `alive()` turns False or time runs out."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if port_open(host, port):
            return
        if not alive():
            raise ServiceError(f"{what} exited before listening on {host}:{port}")
        time.sleep(0.5)
    raise ServiceError(f"{what} did not listen on {host}:{port} within {timeout:.0f} s")


def tail(path: Path, lines: int = 30) -> str:
    """The last `lines` lines of a log ('' when there is none)."""
    if not path.is_file():
        return ""
    return "\n".join(path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])


def stop_group(pid: int, timeout: float) -> None:
    """SIGTERM the process group of `pid`, wait up to `timeout` s, then SIGKILL it and wait 5 s more."""
    try:
        pgid = os.getpgid(pid)
    except ProcessLookupError:
        return
    for sig, wait in ((signal.SIGTERM, timeout), (signal.SIGKILL, 5)):
        try:
            os.killpg(pgid, sig)
        except ProcessLookupError:
            return
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            _reap(pid)  # our own child lingers as a zombie group member until reaped
            if not pid_alive(pid) and not _group_alive(pgid):
                _reap(pid)
                return
            time.sleep(0.3)
    _reap(pid)


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
        return True
    except ProcessLookupError:
        return False


def _reap(pid: int) -> None:
    with contextlib.suppress(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)


def lake_env(keep: tuple[str, ...] = ("PATH", "LANG", "LC_ALL", "TZ")) -> dict[str, str]:
    """The environment a lake web app starts with: `keep` and every `LAKEHOUSE_*` variable of this process (its
    settings; the caller adds the service's own secret and ports)."""
    env = {k: os.environ[k] for k in keep if k in os.environ}
    env.update({k: v for k, v in os.environ.items() if k.startswith("LAKEHOUSE_")})
    return env


class ManagedProcess:
    """A long-running process of the lake: pid file `<run dir>/<pid>.pid`, log `<log dir>/<log>.log`.

    A subclass declares itself in its class line, e.g.
    `class ResultsCache(ManagedProcess, name="redis-cache", what="Redis", port="redis_port", host="bind_host")`:
    `name` (the status line), `what` (error messages), `port` / `host` (the `Settings` fields it listens on; the
    host defaults to 127.0.0.1), `pid` / `log` (file names, default `name`), `stop_timeout` (seconds for SIGTERM),
    and for a program run from a virtualenv `venv` (the `Settings` field naming it) and `program` (the executable
    in its bin/ whose presence means installed).
    It overrides `detail()` and `ready()` where it has more to say, and writes `start()` from `check_port_free()`,
    `spawn()` and `wait_started()`.
    """

    name = "service"
    what = "service"
    port_setting = ""
    host_setting = ""
    pid_name = ""
    log_name = ""
    stop_timeout: float = 15
    venv_setting = ""
    program = ""

    def __init_subclass__(cls, *, name: str, what: str, port: str, host: str = "", pid: str = "", log: str = "",
                          stop_timeout: float = 15, venv: str = "", program: str = "", **kw):
        super().__init_subclass__(**kw)
        cls.name, cls.what, cls.port_setting, cls.host_setting = name, what, port, host
        cls.pid_name, cls.log_name, cls.stop_timeout = pid or name, log or pid or name, stop_timeout
        cls.venv_setting, cls.program = venv, program

    def __init__(self, settings: Settings):
        self.s = settings
        self.pidfile = settings.run_dir / f"{self.pid_name}.pid"
        self.log = settings.log_dir / f"{self.log_name}.log"

    # --- where ---
    @property
    def host(self) -> str:
        return getattr(self.s, self.host_setting) if self.host_setting else "127.0.0.1"

    @property
    def port(self) -> int:
        return getattr(self.s, self.port_setting)

    @property
    def port_variable(self) -> str:
        """The environment variable that sets the port (Settings reads `LAKEHOUSE_<FIELD>`)."""
        return f"LAKEHOUSE_{self.port_setting.upper()}"

    @property
    def address(self) -> str:
        return f"{self.host}:{self.port}"

    # --- what it runs ---
    @property
    def venv(self) -> Path:
        """The virtualenv it runs from (the `Settings` field named by `venv=` in its class line)."""
        if not self.venv_setting:
            raise AttributeError(f"{self.what} does not run from a virtualenv")
        return getattr(self.s, self.venv_setting)

    def installed(self) -> bool:
        """True when its virtualenv holds the program it runs (`<venv>/bin/<program>`)."""
        return (self.venv / "bin" / self.program).is_file()

    # --- state ---
    @property
    def pid(self) -> int | None:
        return pid_from_file(self.pidfile)

    def running(self) -> bool:
        return self.pid is not None and port_open(self.host, self.port)

    def detail(self) -> str:
        return ""

    def status(self) -> ServiceStatus:
        return ServiceStatus(self.name, self.running(), self.pid, self.address, self.detail())

    def log_tail(self, lines: int = 30) -> str:
        return tail(self.log, lines)

    # --- lifecycle ---
    def check_port_free(self) -> None:
        """ServiceError when another program holds the port (call when this service is not running)."""
        if port_open(self.host, self.port):
            raise ServiceError(f"port {self.port} is taken by another program; set {self.port_variable}")

    def spawn(self, cmd: list[str], *, env: dict[str, str] | None = None, cwd: Path | str = "/",
              stdin: bytes | None = None) -> subprocess.Popen:
        """Start `cmd` (already wrapped by `as_user` where it runs as a service account) in a new session, its
        output appended to the log, `stdin` (bytes, e.g. a configuration) written to its standard input; the pid
        file is written before returning."""
        self.log.parent.mkdir(parents=True, exist_ok=True)
        self.pidfile.parent.mkdir(parents=True, exist_ok=True)
        with open(self.log, "ab") as out:
            proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT,
                                    stdin=subprocess.DEVNULL if stdin is None else subprocess.PIPE,
                                    env=env, cwd=cwd, start_new_session=True)
        if stdin is not None:
            assert proc.stdin is not None
            proc.stdin.write(stdin)
            proc.stdin.close()
        self.pidfile.write_text(str(proc.pid))
        return proc

    def ready(self, proc: subprocess.Popen, timeout: float) -> None:
        """More than a listening port (e.g. a health check); raise ServiceError when not ready."""

    def wait_started(self, proc: subprocess.Popen, timeout: float, errors: tuple = ()) -> None:
        """Wait for the port, then `ready()`; on failure (ServiceError or one of `errors`) stop what started
        and raise a ServiceError with the log's last lines."""
        try:
            wait_for_port(self.host, self.port, timeout, alive=lambda: proc.poll() is None, what=self.what)
            self.ready(proc, timeout)
        except (ServiceError, *errors) as exc:
            self.stop()
            raise ServiceError(f"{exc}\n--- {self.log} ---\n{self.log_tail()}") from exc

    def stop(self, timeout: float | None = None) -> None:
        """Stop the process group (SIGTERM, then SIGKILL) and remove the pid file."""
        pid = self.pid
        if pid is not None:
            stop_group(pid, self.stop_timeout if timeout is None else timeout)
        self.pidfile.unlink(missing_ok=True)
