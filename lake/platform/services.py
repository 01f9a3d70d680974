"""Project-owned services on 127.0.0.1: a PostgreSQL cluster (Hive metastore) and the Spark Thrift Server.

`lakehouse services up|down|status` drives this module. Each service keeps a pid file and a log under
the lake root; `down` stops process groups and waits, so no stray JVM or postgres is left behind.
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import subprocess
import zipfile
from pathlib import Path

from lake.core.pids import pid_alive
from lake.core.secrets import metastore_password
from lake.core.settings import Settings
from lake.platform.process import (  # noqa: F401  (pid_from_file, port_open: the services' API, also from here)
    ManagedProcess,
    ServiceError,
    ServiceStatus,
    pid_from_file,
    port_open,
    wait_for_port,
)
from lake.platform.runtime import pg_jdbc_jar, pyspark_home, spark_env, write_spark_conf
from lake.platform.superset import Superset


# ---------------------------------------------------------------------------------------------------
# PostgreSQL
# ---------------------------------------------------------------------------------------------------
class Postgres(ManagedProcess, name="postgres", what="PostgreSQL", port="pg_port"):
    """A PostgreSQL cluster under `<lake root>/postgres`, owned by the `postgres` OS user when run as root.

    pg_ctl starts and stops it; its pid file is the cluster's own `postmaster.pid`."""

    def __init__(self, settings: Settings):
        self.s = settings
        self.data = settings.pg_data_dir
        self.base = self.data.parent
        self.socket_dir = self.base / "socket"
        # in its own folder (owned by `postgres`): logs/ is closed to other accounts (lake.core.zones)
        self.log = self.base / "log" / "postgres.log"

    # --- helpers ---
    def bindir(self) -> Path:
        if self.s.pg_bindir:
            return Path(self.s.pg_bindir)
        found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), key=lambda p: int(p.split("/")[4]))
        if not found:
            raise ServiceError("PostgreSQL server binaries not found: run `make bootstrap` (Debian postgresql)")
        return Path(found[-1]).parent

    def _as_owner(self, cmd: list[str]) -> list[str]:
        if os.geteuid() == 0:
            return ["runuser", "-u", "postgres", "--", *cmd]
        return cmd

    def _run(self, cmd: list[str], **kw) -> subprocess.CompletedProcess:
        return subprocess.run(self._as_owner(cmd), check=False, capture_output=True, text=True, **kw)

    def _psql(self, sql: str, database: str = "postgres") -> str:
        return self.psql_as(self.s.pg_user, metastore_password(self.s), database, sql)

    @property
    def pid(self) -> int | None:
        pidfile = self.data / "postmaster.pid"
        if not pidfile.is_file():
            return None
        try:
            pid = int(pidfile.read_text().splitlines()[0])
        except (ValueError, IndexError, OSError):
            return None
        return pid if pid_alive(pid) else None

    def detail(self) -> str:
        return f"data {self.data}"

    # --- lifecycle ---
    def init(self) -> None:
        if (self.data / "PG_VERSION").is_file():
            return
        self.base.mkdir(parents=True, exist_ok=True)
        self.socket_dir.mkdir(parents=True, exist_ok=True)
        self.s.log_dir.mkdir(parents=True, exist_ok=True)
        pwfile = self.base / ".initpw"
        pwfile.write_text(metastore_password(self.s) + "\n", encoding="utf-8")
        if os.geteuid() == 0:
            shutil.chown(self.base, "postgres", "postgres")
            shutil.chown(self.socket_dir, "postgres", "postgres")
            shutil.chown(pwfile, "postgres", "postgres")
        os.chmod(pwfile, 0o600)
        try:
            proc = self._run([str(self.bindir() / "initdb"), "-D", str(self.data), "-U", self.s.pg_user,
                              "--auth=scram-sha-256", f"--pwfile={pwfile}", "-E", "UTF8", "--locale=C.UTF-8"])
        finally:
            pwfile.unlink(missing_ok=True)
        if proc.returncode != 0:
            raise ServiceError(f"initdb failed: {proc.stderr.strip()}")

    def start(self) -> None:
        self.init()
        if self.running():
            return
        self.check_port_free()
        self.log.parent.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            self.log.touch()
            shutil.chown(self.log.parent, "postgres", "postgres")
            shutil.chown(self.log, "postgres", "postgres")
        opts = (f"-p {self.s.pg_port} -c listen_addresses=127.0.0.1 "
                f"-c unix_socket_directories={self.socket_dir} -c unix_socket_permissions=0700 -c max_connections=100")
        proc = self._run([str(self.bindir() / "pg_ctl"), "-D", str(self.data), "-o", opts, "-l", str(self.log),
                          "-w", "-t", "60", "start"])
        if proc.returncode != 0:
            raise ServiceError(f"PostgreSQL did not start: {proc.stderr.strip()}\n{self.log_tail()}")
        wait_for_port("127.0.0.1", self.s.pg_port, 30, what="PostgreSQL")

    def stop(self, timeout: float | None = None) -> None:
        if self.pid is None:
            return
        self._run([str(self.bindir() / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "-t", "60", "stop"])

    def ensure_database(self, name: str, owner: str | None = None) -> None:
        exists = self._psql(f"SELECT 1 FROM pg_database WHERE datname = '{name}'")
        if exists != "1":
            self._psql(f'CREATE DATABASE "{name}"' + (f' OWNER "{owner}"' if owner else ""))

    def ensure_role(self, role: str, password: str) -> None:
        """A login role with this password (created, or its password reset to the current secret)."""
        quoted = password.replace("'", "''")
        verb = "ALTER" if self._psql(f"SELECT 1 FROM pg_roles WHERE rolname = '{role}'") == "1" else "CREATE"
        self._psql(f"{verb} ROLE \"{role}\" LOGIN PASSWORD '{quoted}'")

    def psql_as(self, role: str, password: str, database: str, sql: str) -> str:
        """Run SQL as another (non-superuser) role, e.g. to grant on objects that role owns."""
        # the SQL on stdin, not `-c`: it may hold a password (ALTER ROLE ... PASSWORD), and arguments show in `ps`
        proc = subprocess.run(
            ["psql", "-X", "-A", "-t", "-q", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1", "-p", str(self.s.pg_port),
             "-U", role, "-d", database, "-f", "-"],
            input=sql, check=False, capture_output=True, text=True, env=dict(os.environ, PGPASSWORD=password),
        )
        if proc.returncode != 0:
            raise ServiceError(f"psql as {role} failed ({sql[:60]}...): {proc.stderr.strip()}")
        return proc.stdout.strip()

    # --- Hive metastore schema ---
    def metastore_ready(self) -> bool:
        return self._psql(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema='public' AND table_name='DBS'",
            self.s.pg_database,
        ) == "1"

    def ensure_metastore(self) -> bool:
        """Create the metastore database and its schema once with DataNucleus SchemaTool.

        Returns True when the schema was created by this call.
        """
        self.start()
        self.ensure_database(self.s.pg_database)
        if self.metastore_ready():
            return False
        jars = pyspark_home() / "jars"
        hive_jar = next(iter(sorted(jars.glob("hive-metastore-*.jar"))), None)
        if hive_jar is None:
            raise ServiceError(f"hive-metastore jar not found in {jars}")
        work = self.s.conf_dir / "schematool"
        work.mkdir(parents=True, exist_ok=True)
        with zipfile.ZipFile(hive_jar) as zf:
            (work / "package.jdo").write_bytes(zf.read("package.jdo"))
        props = work / "datanucleus.properties"
        fd = os.open(props, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(
                f"javax.jdo.option.ConnectionURL=jdbc:postgresql://127.0.0.1:{self.s.pg_port}/{self.s.pg_database}\n"
                "javax.jdo.option.ConnectionDriverName=org.postgresql.Driver\n"
                f"javax.jdo.option.ConnectionUserName={self.s.pg_user}\n"
                f"javax.jdo.option.ConnectionPassword={metastore_password(self.s)}\n"
                "datanucleus.schema.autoCreateAll=true\n"
                "datanucleus.identifierFactory=datanucleus1\n"
            )
        cp = f"{jars}/*:{pg_jdbc_jar(self.s)}:{work}"
        proc = subprocess.run(
            ["java", "-cp", cp, "org.datanucleus.store.schema.SchemaTool", "-create", "-api", "JDO",
             "-props", str(props), str(work / "package.jdo")],
            check=False, capture_output=True, text=True, cwd=work,
        )
        props.unlink(missing_ok=True)
        if proc.returncode != 0 or not self.metastore_ready():
            raise ServiceError(f"SchemaTool failed to create the metastore schema:\n{proc.stdout[-2000:]}"
                               f"\n{proc.stderr[-2000:]}")
        return True


# ---------------------------------------------------------------------------------------------------
# Spark Thrift Server
# ---------------------------------------------------------------------------------------------------
class ThriftServer(ManagedProcess, name="spark-thrift", what="Spark Thrift Server", port="thrift_port",
                   host="bind_host", pid="thrift", stop_timeout=30):
    """HiveThriftServer2 from the pyspark wheel, sharing the metastore and warehouse of every job."""

    def detail(self) -> str:
        return "hive:// / jdbc:hive2://"

    def start(self, timeout: float = 180) -> None:
        if self.running():
            return
        self.check_port_free()
        from lake.core.os_accounts import SQL_USER, as_user
        from lake.platform import sql_endpoint

        conf = sql_endpoint.prepare(self.s)  # its own config dir, OS account and work place; LDAP; the guard
        cmd = [
            str(pyspark_home() / "bin" / "spark-submit"),
            "--master", self.s.spark_master,
            "--name", "lakehouse-thrift",
            "--conf", "spark.ui.enabled=false",
            "--class", "org.apache.spark.sql.hive.thriftserver.HiveThriftServer2",
            "spark-internal",
            "--hiveconf", f"hive.server2.thrift.bind.host={self.s.bind_host}",
            "--hiveconf", f"hive.server2.thrift.port={self.s.thrift_port}",
        ]
        work = sql_endpoint.work_dir(self.s)
        env = dict(spark_env(self.s), SPARK_CONF_DIR=str(conf), HOME=str(work))
        proc = self.spawn(as_user(cmd, SQL_USER), env=env, cwd=work)
        self.wait_started(proc, timeout)


# ---------------------------------------------------------------------------------------------------
class Services:
    def __init__(self, settings: Settings):
        self.settings = settings
        self.postgres = Postgres(settings)
        from lake.platform.directory import DirectoryServer

        self.directory = DirectoryServer(settings)  # people and groups (OpenLDAP), before anything authenticates
        self.thrift = ThriftServer(settings)
        self.superset = Superset(settings)
        from lake.platform.docs_server import CatalogDocs

        self.catalog = CatalogDocs(settings)  # dbt docs on 127.0.0.1:catalog_port (issue 8)
        from lake.platform.results_cache import ResultsCache

        self.cache = ResultsCache(settings)  # Redis for Superset's results cache (issue 18)
        from lake.platform.reading_room import ReadingRoom
        from lake.platform.search_engine import SearchEngine

        self.search = SearchEngine(settings)  # OpenSearch on 127.0.0.1:search_port (issue 19)
        self.reading_room = ReadingRoom(settings)  # the reading room on 127.0.0.1:reading_room_port

    def _in_start_order(self) -> tuple:
        return (self.postgres, self.directory, self.thrift, self.cache, self.superset, self.catalog, self.search,
                self.reading_room)

    def running(self) -> set:
        """The services running now (pass it to `stop(keep=...)` to stop only what was started since)."""
        return {svc for svc in self._in_start_order() if svc.running()}

    def stop(self, keep: set = frozenset()) -> None:
        """Stop every service not in `keep`, the last started first. Each one is tried even when an earlier one
        fails to stop; the first failure is raised afterwards."""
        failure = None
        for svc in reversed(self._in_start_order()):
            if svc not in keep:
                try:
                    svc.stop()
                except Exception as exc:  # stop the others, then raise the first
                    failure = failure or exc
        if failure:
            raise failure

    def up(self, thrift: bool = True, superset: bool = False, search: bool = False) -> list[ServiceStatus]:
        """Postgres, then Thrift, then (superset=True, needs Thrift) Superset with the dashboards imported, and
        the catalog docs, then (search=True) the search engine and the reading room. All or nothing: when one
        fails to start, the ones this call started are stopped again
        (services that were already running are left alone) and the error is raised."""
        write_spark_conf(self.settings)
        before = self.running()
        try:
            self.postgres.ensure_metastore()
            self.directory.start()
            if thrift:
                self.thrift.start()
                if superset:
                    self.cache.start()
                    self.superset.start(self.postgres)
            self.catalog.start()
            if search:
                self.search.start()
                self.reading_room.start()
        except BaseException:
            with contextlib.suppress(Exception):  # the start's error is the one to report
                self.stop(keep=before)
            raise
        return self.status()

    def down(self) -> list[ServiceStatus]:
        self.stop()
        return self.status()

    def status(self) -> list[ServiceStatus]:
        return [svc.status() for svc in self._in_start_order()]
