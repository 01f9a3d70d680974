"""The embedded catalog: the generated dbt docs (`<lake root>/dbt/target`: index.html, manifest.json,
catalog.json) served read-only on 127.0.0.1:LAKEHOUSE_CATALOG_PORT by Python's http.server in its own process
group, with a pid file like the other services (`lakehouse services up|down|status`, `make demo`).
"""

from __future__ import annotations

import subprocess
import sys

from lake.settings import Settings


class CatalogDocs:
    name = "catalog-docs"

    def __init__(self, settings: Settings):
        self.s = settings
        self.root = settings.lake_root / "dbt" / "target"
        self.pidfile = settings.run_dir / "catalog-docs.pid"
        self.log = settings.log_dir / "catalog-docs.log"

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.s.catalog_port}"

    @property
    def url(self) -> str:
        return f"http://{self.address}/"

    @property
    def pid(self) -> int | None:
        from lake.services import pid_from_file

        return pid_from_file(self.pidfile)

    def running(self) -> bool:
        from lake.services import port_open

        return self.pid is not None and port_open("127.0.0.1", self.s.catalog_port)

    def start(self, timeout: float = 20) -> None:
        from lake.services import ServiceError, port_open, wait_for_port

        if self.running():
            return
        if port_open("127.0.0.1", self.s.catalog_port):
            raise ServiceError(f"port {self.s.catalog_port} is taken by another program; set LAKEHOUSE_CATALOG_PORT")
        for d in (self.root, self.s.run_dir, self.s.log_dir):
            d.mkdir(parents=True, exist_ok=True)
        with open(self.log, "ab") as out:
            proc = subprocess.Popen(
                [sys.executable, "-m", "http.server", str(self.s.catalog_port), "--bind", "127.0.0.1",
                 "--directory", str(self.root)],
                stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True)
        self.pidfile.write_text(str(proc.pid))
        wait_for_port("127.0.0.1", self.s.catalog_port, timeout, alive=lambda: proc.poll() is None,
                      what="catalog docs server")

    def stop(self, timeout: float = 10) -> None:
        from lake.services import _stop_group

        pid = self.pid
        if pid is not None:
            _stop_group(pid, timeout)
        self.pidfile.unlink(missing_ok=True)

    def status(self):
        from lake.services import ServiceStatus

        detail = "dbt docs" if (self.root / "index.html").is_file() else "no dbt docs yet: run lakehouse transform"
        return ServiceStatus(self.name, self.running(), self.pid, self.address, detail)
