"""The reading room service: `lake.apps.search.app` under uvicorn from `.venvs/reading-room`, on
127.0.0.1:LAKEHOUSE_READING_ROOM_PORT, as the `lakehouse-web` account when started as root.

The session secret is `LAKEHOUSE_READING_ROOM_SECRET_KEY` or generated into `<lake root>/secrets/`; it reaches the
process through its environment (never a command line or a file the web account can read), and so do the search
engine's read-only `reading_room` password and the CA certificate the app verifies the engine by
(`lake.platform.search_security`). The audit spool
`<lake root>/audit/document_views` is owned by the web account, owner-only.
"""

from __future__ import annotations

from lake.core.os_accounts import WEB_USER, as_user, ensure_service_accounts, is_root
from lake.core.secrets import get_secret
from lake.core.settings import PROJECT_ROOT, Settings
from lake.platform import search_security
from lake.platform.process import ManagedProcess, ServiceError, lake_env
from lake.platform.search_engine import SearchEngine


def session_secret(settings: Settings) -> str:
    return get_secret(settings, "LAKEHOUSE_READING_ROOM_SECRET_KEY", "reading_room_secret_key", nbytes=48)


class ReadingRoom(ManagedProcess, name="reading-room", what="reading room", port="reading_room_port",
                  venv="reading_room_venv", program="uvicorn"):
    """The reading room web app (`lake.apps.search.app`) under uvicorn."""

    @property
    def url(self) -> str:
        return f"http://{self.address}"

    def env(self) -> dict[str, str]:
        """The app's environment: its session secret and the engine's read-only account (password and the CA to
        verify the engine by), nothing of the indexer's."""
        env = lake_env(("PATH", "LANG", "LC_ALL", "TZ", "HOME"))
        for account, (env_var, _file) in search_security.ACCOUNTS.items():
            env.pop(env_var, None)
            if account == search_security.READER:
                env[env_var] = search_security.password(self.s, account)
        env.update(PYTHONPATH=str(PROJECT_ROOT), LAKEHOUSE_ROOT=str(self.s.lake_root),
                   LAKEHOUSE_READING_ROOM_SECRET_KEY=session_secret(self.s), LANG="C.UTF-8",
                   LAKEHOUSE_SEARCH_PORT=str(self.s.search_port), LAKEHOUSE_SEARCH_CA_PEM=SearchEngine(self.s).ca_pem(),
                   LAKEHOUSE_READING_ROOM_PORT=str(self.s.reading_room_port))
        return env

    def start(self, timeout: float = 60) -> None:
        from lake.platform.reading_room_audit import prepare_spool

        if self.running():
            return
        if not self.installed():
            raise ServiceError(f"the reading room's virtualenv {self.venv} is missing: run scripts/bootstrap.sh")
        self.check_port_free()
        for d in (self.s.run_dir, self.s.log_dir):
            d.mkdir(parents=True, exist_ok=True)
        if is_root():
            ensure_service_accounts()
        prepare_spool(self.s, WEB_USER if is_root() else None)
        cmd = as_user([str(self.venv / "bin" / "python"), "-m", "lake.apps.search.app"], WEB_USER)
        self.wait_started(self.spawn(cmd, env=self.env()), timeout)

    def detail(self) -> str:
        return "phòng đọc / reading room" if self.installed() else "not installed: run scripts/bootstrap.sh"
