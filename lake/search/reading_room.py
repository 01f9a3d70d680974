"""The reading room service: `lake.search.app` under uvicorn from `.venvs/reading-room`, on
127.0.0.1:LAKEHOUSE_READING_ROOM_PORT, as the `lakehouse-web` account when started as root.

The session secret is `LAKEHOUSE_READING_ROOM_SECRET_KEY` or generated into `<lake root>/secrets/`; it reaches the
process through its environment (never a command line or a file the web account can read). The audit spool
`<lake root>/audit/document_views` is owned by the web account, owner-only.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from lake.os_accounts import WEB_USER, as_user, ensure_service_accounts, is_root
from lake.secrets import get_secret
from lake.settings import PROJECT_ROOT, Settings


def reading_room_venv() -> Path:
    return Path(os.environ.get("LAKEHOUSE_READING_ROOM_VENV", str(PROJECT_ROOT / ".venvs" / "reading-room")))


def session_secret(settings: Settings) -> str:
    return get_secret(settings, "LAKEHOUSE_READING_ROOM_SECRET_KEY", "reading_room_secret_key", nbytes=48)


class ReadingRoom:
    name = "reading-room"

    def __init__(self, settings: Settings):
        self.s = settings
        self.pidfile = settings.run_dir / "reading-room.pid"
        self.log = settings.log_dir / "reading-room.log"
        self.venv = reading_room_venv()

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.s.reading_room_port}"

    @property
    def url(self) -> str:
        return f"http://{self.address}"

    def installed(self) -> bool:
        return (self.venv / "bin" / "uvicorn").is_file()

    @property
    def pid(self) -> int | None:
        from lake.services import pid_from_file

        return pid_from_file(self.pidfile)

    def running(self) -> bool:
        from lake.services import port_open

        return self.pid is not None and port_open("127.0.0.1", self.s.reading_room_port)

    def env(self) -> dict[str, str]:
        keep = ("PATH", "LANG", "LC_ALL", "TZ", "HOME")
        env = {k: os.environ[k] for k in keep if k in os.environ}
        env.update({k: v for k, v in os.environ.items() if k.startswith("LAKEHOUSE_")})
        env.update(PYTHONPATH=str(PROJECT_ROOT), LAKEHOUSE_ROOT=str(self.s.lake_root),
                   LAKEHOUSE_READING_ROOM_SECRET_KEY=session_secret(self.s), LANG="C.UTF-8",
                   LAKEHOUSE_SEARCH_PORT=str(self.s.search_port),
                   LAKEHOUSE_READING_ROOM_PORT=str(self.s.reading_room_port))
        return env

    def start(self, timeout: float = 60) -> None:
        from lake.search.audit import prepare_spool
        from lake.services import ServiceError, _tail, port_open, wait_for_port

        if self.running():
            return
        if not self.installed():
            raise ServiceError(f"the reading room's virtualenv {self.venv} is missing: run scripts/bootstrap.sh")
        if port_open("127.0.0.1", self.s.reading_room_port):
            raise ServiceError(f"port {self.s.reading_room_port} is taken by another program; "
                               "set LAKEHOUSE_READING_ROOM_PORT")
        for d in (self.s.run_dir, self.s.log_dir):
            d.mkdir(parents=True, exist_ok=True)
        if is_root():
            ensure_service_accounts()
        prepare_spool(self.s, WEB_USER if is_root() else None)
        cmd = as_user([str(self.venv / "bin" / "python"), "-m", "lake.search.app"], WEB_USER)
        with open(self.log, "ab") as out:
            proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                    env=self.env(), cwd="/", start_new_session=True)
        self.pidfile.write_text(str(proc.pid))
        try:
            wait_for_port("127.0.0.1", self.s.reading_room_port, timeout, alive=lambda: proc.poll() is None,
                          what="reading room")
        except ServiceError as exc:
            self.stop()
            raise ServiceError(f"{exc}\n--- {self.log} ---\n{_tail(self.log)}") from exc

    def stop(self, timeout: float = 15) -> None:
        from lake.services import _stop_group

        pid = self.pid
        if pid is not None:
            _stop_group(pid, timeout)
        self.pidfile.unlink(missing_ok=True)

    def status(self):
        from lake.services import ServiceStatus

        detail = "phòng đọc / reading room" if self.installed() else "not installed: run scripts/bootstrap.sh"
        return ServiceStatus(self.name, self.running(), self.pid, self.address, detail)
