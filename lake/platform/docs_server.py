"""The embedded catalog: the generated dbt docs (`<lake root>/dbt/target`: index.html, manifest.json,
catalog.json) served read-only on 127.0.0.1:LAKEHOUSE_CATALOG_PORT behind a directory login (`lake.apps.docs_site`,
uvicorn from the reading room's virtualenv), as the `lakehouse-web` account when started as root, in its own
process group, with a pid file like the other services (`lakehouse services up|down|status`, `make demo`).

The session secret is `LAKEHOUSE_CATALOG_SECRET_KEY` or generated into `<lake root>/secrets/`; it reaches the
process through its environment only.
"""

from __future__ import annotations

from lake.core.os_accounts import WEB_USER, as_user, ensure_service_accounts, is_root
from lake.core.secrets import get_secret
from lake.core.settings import PROJECT_ROOT, Settings
from lake.platform.process import ManagedProcess, ServiceError, lake_env


def session_secret(settings: Settings) -> str:
    return get_secret(settings, "LAKEHOUSE_CATALOG_SECRET_KEY", "catalog_secret_key", nbytes=48)


# the reading room's virtualenv: FastAPI + uvicorn + ldap3 on Debian's python3 (scripts/bootstrap.sh)
class CatalogDocs(ManagedProcess, name="catalog-docs", what="catalog docs server", port="catalog_port",
                  stop_timeout=10, venv="reading_room_venv", program="uvicorn"):
    """The dbt docs site behind a directory login (uvicorn from the reading room's virtualenv)."""

    def __init__(self, settings: Settings):
        super().__init__(settings)
        self.root = settings.dbt_target_dir

    @property
    def url(self) -> str:
        return f"http://{self.address}/"

    def env(self) -> dict[str, str]:
        env = lake_env()
        env.update(PYTHONPATH=str(PROJECT_ROOT), LAKEHOUSE_ROOT=str(self.s.lake_root), LANG="C.UTF-8",
                   LAKEHOUSE_CATALOG_PORT=str(self.s.catalog_port), LAKEHOUSE_LDAP_PORT=str(self.s.ldap_port),
                   LAKEHOUSE_CATALOG_SECRET_KEY=session_secret(self.s), PYTHONDONTWRITEBYTECODE="1")
        return env

    def start(self, timeout: float = 20) -> None:
        if self.running():
            return
        self.check_port_free()
        if not self.installed():
            raise ServiceError(f"the catalog site's virtualenv {self.venv} is missing: run scripts/bootstrap.sh")
        for d in (self.root, self.s.run_dir, self.s.log_dir):
            d.mkdir(parents=True, exist_ok=True)
        if is_root():
            ensure_service_accounts()
        cmd = as_user([str(self.venv / "bin" / "python"), "-m", "lake.apps.docs_site"], WEB_USER)
        self.wait_started(self.spawn(cmd, env=self.env()), timeout)

    def detail(self) -> str:
        return "dbt docs" if (self.root / "index.html").is_file() else "no dbt docs yet: run lakehouse transform"
