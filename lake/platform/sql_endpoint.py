"""The shared SQL endpoint (Spark Thrift Server): who may connect, as which OS user it runs, what it refuses.

- **Every connection authenticates against the directory** (`lake.platform.directory`): the password the client
  sends (SASL PLAIN) is checked by a simple bind as `uid=<user>,ou=people,<base>` (or `ou=services` for a
  service account); anonymous connections, empty, wrong or another person's passwords and disabled people
  are refused, and a person must be in one of `SQL_GROUPS`. HiveServer2's own LDAP provider
  (`hive.server2.authentication=LDAP`) does the bind but, in the copy of hive-service inside Spark 4.2, knows
  only url, baseDN, domain and userDNPattern, no group filter; and the endpoint has no row-level security, so
  a locality manager (`quanly_<code>`), who must see only their own locality, is kept to the dashboards,
  where RLS applies. Hence `hive.server2.authentication=CUSTOM` with
  `lakehouse.sqlguard.DirectoryAuthenticator` (same bind, plus the group check, in `scripts/sql-guard`).
  Clients connect with `auth="LDAP"`: `connect(settings, user, password)` here, Superset and dbt's `thrift`
  target with their service accounts (`superset`, `dbt`).
- **It runs as the unprivileged OS user `lakehouse-sql`** (`lake.core.os_accounts`) when started as root, with
  its own config dir `<lake root>/sql/conf` (no secret in it: the metastore password reaches the JVM through
  its environment, see `lake.platform.runtime.PASSWORD_ENV`) and its own writable place `<lake root>/sql/work`
  (scratch, temporary files, operation logs; 0700).
- **It is read-only and cannot leave SQL**: the check rule `lakehouse.sqlguard.SqlGuardExtension`
  (`scripts/sql-guard`, compiled by bootstrap) refuses every command but SHOW / DESCRIBE / EXPLAIN / USE /
  SET of a harmless key, scripts (TRANSFORM ... USING), Java calls (reflect, java_method, try_reflect) and
  any query of a session in which a protection was switched back on; `spark.sql.runSQLOnFiles=false`
  refuses ``csv.`/path` `` reads and `spark.sql.variable.substitute=false` keeps `${env:...}` out of SQL.
  Gold is built by dbt's `session` target as the pipeline's own OS user, not through this endpoint.
  Jobs and dbt's session target keep full Spark: the guard is on this endpoint's classpath only.

>>> from lake.platform.sql_endpoint import connect                                    # doctest: +SKIP
>>> cur = connect(settings, "phantich", password).cursor()                    # doctest: +SKIP
>>> cur.execute("SELECT count(*) FROM gold.fct_documents"); cur.fetchone()   # doctest: +SKIP
(213,)
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from lake.core.settings import Settings

GUARD_CLASS = "lakehouse.sqlguard.SqlGuardExtension"
AUTHENTICATOR_CLASS = "lakehouse.sqlguard.DirectoryAuthenticator"
#: the groups whose people may open a session (service accounts always may); not the locality managers
SQL_GROUPS = ("analyst", "steward", "admin", "pipeline", "restricted_reader")
GUARD_JAR = Path("sql-guard") / "lakehouse-sql-guard.jar"  # under LAKEHOUSE_JAR_CACHE


class EndpointError(RuntimeError):
    pass


def guard_jar(settings: Settings) -> Path:
    jar = settings.jar_cache / GUARD_JAR
    if not jar.is_file():
        raise EndpointError(f"the SQL endpoint guard {jar} is missing: run `make bootstrap` (compiles "
                            "scripts/sql-guard with javac)")
    return jar


def base_dir(settings: Settings) -> Path:
    return settings.sql_endpoint_dir


def conf_dir(settings: Settings) -> Path:
    """The endpoint's own SPARK_CONF_DIR (root-owned, readable; holds no secret)."""
    return base_dir(settings) / "conf"


def work_dir(settings: Settings) -> Path:
    """The endpoint's only writable place: scratch, temporary files, operation logs (0700, its OS user)."""
    return base_dir(settings) / "work"


def spark_overrides(settings: Settings) -> dict[str, str]:
    """spark-defaults.conf entries that differ from the jobs' (lake.platform.runtime.spark_defaults)."""
    from lake.platform.runtime import spark_defaults

    base = spark_defaults(settings)
    jar = str(guard_jar(settings))
    work = work_dir(settings)
    return {
        "spark.sql.extensions": f"{base['spark.sql.extensions']},{GUARD_CLASS}",
        "spark.driver.extraClassPath": f"{base['spark.driver.extraClassPath']}{os.pathsep}{jar}",
        "spark.sql.runSQLOnFiles": "false",
        "spark.sql.variable.substitute": "false",
        "spark.local.dir": str(settings.scratch_dirs[1]),
        "spark.driver.extraJavaOptions": f"-Djava.io.tmpdir={work / 'tmp'} -Duser.home={work}",
        "spark.ui.enabled": "false",
    }


def hive_overrides(settings: Settings) -> dict[str, str]:
    """hive-site.xml entries of the endpoint: LDAP authentication and its own scratch places."""
    from lake.platform.directory import Directory

    d = Directory(settings)
    work = work_dir(settings)
    return {
        "hive.server2.authentication": "CUSTOM",
        "hive.server2.custom.authentication.class": AUTHENTICATOR_CLASS,
        "lakehouse.sql.ldap.url": d.url,
        "lakehouse.sql.ldap.peopleDN": d.ou_dn("people"),
        "lakehouse.sql.ldap.servicesDN": d.ou_dn("services"),
        "lakehouse.sql.ldap.groupsDN": d.ou_dn("groups"),
        "lakehouse.sql.ldap.groups": ",".join(SQL_GROUPS),
        "hive.exec.scratchdir": str(work / "scratch"),
        "hive.exec.local.scratchdir": str(work / "scratch-local"),
        "hive.downloaded.resources.dir": str(work / "resources"),
        "hive.querylog.location": str(work / "querylog"),
        "hive.server2.logging.operation.log.location": str(work / "operation_logs"),
    }


def prepare(settings: Settings) -> Path:
    """Create the endpoint's OS account (as root), its work place and its config dir; returns the config dir."""
    from lake.core.os_accounts import SQL_USER, ensure_service_accounts, is_root
    from lake.platform.runtime import write_spark_conf

    ensure_service_accounts()
    base = base_dir(settings)
    base.mkdir(parents=True, exist_ok=True)
    # its mode and group (lakehouse-sql may read conf/, nobody else) come from lake.core.zones
    work = work_dir(settings)
    for sub in ("", "tmp", "scratch", "scratch-local", "resources", "querylog", "operation_logs"):
        (work / sub).mkdir(parents=True, exist_ok=True)
    os.chmod(work, 0o700)
    if is_root():
        for root, dirs, files in os.walk(work):
            shutil.chown(root, SQL_USER, SQL_USER)
            for f in (*dirs, *files):
                shutil.chown(os.path.join(root, f), SQL_USER, SQL_USER)
    return write_spark_conf(settings, conf_dir(settings), spark_overrides(settings), hive_overrides(settings))


# ---------------------------------------------------------------------------------------------------
# Clients
# ---------------------------------------------------------------------------------------------------
def connect(settings: Settings, user: str, password: str, database: str = "default"):
    """A pyhive connection to the endpoint, authenticated as `user` (a person or a service account)."""
    from pyhive import hive

    return hive.connect(host=settings.bind_host, port=settings.thrift_port, username=user, password=password,
                        auth="LDAP", database=database)


def credentials(settings: Settings, user: str | None = None) -> tuple[str, str]:
    """Who a command-line tool or notebook connects as: `user` or $LAKEHOUSE_SQL_USER, with the password from
    $LAKEHOUSE_SQL_PASSWORD, else that person's file `<lake root>/secrets/users/<user>` when readable."""
    from lake.core.secrets import env_secret
    from lake.platform.directory import user_password_path

    user = user or settings.sql_user
    if not user:
        raise EndpointError("set LAKEHOUSE_SQL_USER (and LAKEHOUSE_SQL_PASSWORD) to your directory account; "
                            "people are added with `lakehouse users add`")
    password = env_secret("LAKEHOUSE_SQL_PASSWORD")
    if not password:
        path = user_password_path(settings, user)
        try:
            password = path.read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise EndpointError(f"no password for {user}: set LAKEHOUSE_SQL_PASSWORD (or keep it in {path})") from exc
    return user, password
