"""The shared SQL endpoint, tried as the hostile tester of issue 13 did: every attack must now fail.

One Thrift server for the module (Services.up on the session's test lake), a few people in the directory.
The shared table is `gold.security_probe`, written by the pipeline's own Spark session (not through the
endpoint) for this module and dropped at its end, so the module needs no OCR and no dbt run.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

pytestmark = [pytest.mark.spark, pytest.mark.services]

REFUSED = ("Refused by the lakehouse SQL endpoint", "từ chối")
PROBE = "gold.security_probe"


@pytest.fixture(scope="module")
def endpoint(spark, lake_env, directory):
    from lake.platform.directory import ensure_person
    from lake.platform.services import Services

    spark.sql(f"CREATE OR REPLACE TABLE {PROBE} USING delta AS "
              "SELECT id, concat('Xã ', id) AS name FROM range(12)")
    Services(lake_env).up(thrift=True)
    people = {}
    for name, group in (("sec.analyst", "analyst"), ("sec.steward", "steward"), ("sec.leaver", "analyst")):
        people[name] = ensure_person(lake_env, name, (group,), name).read_text(encoding="utf-8").strip()
    yield people
    spark.sql(f"DROP TABLE IF EXISTS {PROBE}")


def _connect(lake_env, user, password, **kw):
    from lake.platform.sql_endpoint import connect

    if kw:
        from pyhive import hive

        return hive.connect(host="127.0.0.1", port=lake_env.thrift_port, username=user, password=password,
                            auth="LDAP", **kw)
    return connect(lake_env, user, password)


def _query(conn, sql: str):
    cur = conn.cursor()
    cur.execute(sql)
    return cur.fetchall() if cur.description else None


def _refused(conn, sql: str) -> str:
    """The error text of a statement that must fail."""
    with pytest.raises(Exception) as info:  # pyhive raises OperationalError with the server's message
        _query(conn, sql)
    return str(info.value)


def _refused_by_guard(conn, sql: str, shown: int = 500) -> str:
    """The error text of a statement that must fail with the endpoint's own refusal (one of REFUSED in it)."""
    err = _refused(conn, sql)
    assert any(r in err for r in REFUSED), (sql, err[:shown])
    return err


def _version(spark, table: str) -> int:
    return spark.sql(f"DESCRIBE HISTORY {table}").collect()[0].version


# --- who may connect -------------------------------------------------------------------------------------
def test_every_connection_authenticates(endpoint, lake_env, directory):
    from pyhive import hive

    from lake.platform.directory import service_password

    analyst = endpoint["sec.analyst"]
    assert _query(_connect(lake_env, "sec.analyst", analyst), "SELECT current_user()") == [("sec.analyst",)]
    assert _query(_connect(lake_env, "superset", service_password(lake_env, "superset")), "SELECT 1") == [(1,)]
    assert _query(_connect(lake_env, "dbt", service_password(lake_env, "dbt")), "SELECT 1") == [(1,)]
    attempts = {
        "anonymous (no SASL password)": dict(username="sec.analyst"),
        "empty password": dict(username="sec.analyst", password="", auth="LDAP"),
        "wrong password": dict(username="sec.analyst", password=analyst + "x", auth="LDAP"),
        "another person's password": dict(username="sec.steward", password=analyst, auth="LDAP"),
        "unknown person": dict(username="nobody.here", password=analyst, auth="LDAP"),
        "filter/DN injection": dict(username="*", password=analyst, auth="LDAP"),
        "root DN as a name": dict(username="cn=admin", password=analyst, auth="LDAP"),
    }
    for what, kw in attempts.items():
        with pytest.raises(Exception, match=r"Error validating the login|Bad status"):
            hive.connect(host="127.0.0.1", port=lake_env.thrift_port, **kw).cursor().execute("SELECT 1")
            pytest.fail(f"{what} was let in")


def test_locality_managers_are_kept_to_the_dashboards(endpoint, lake_env, directory):
    """The endpoint has no row-level security: a manager (who may see one locality) cannot open a session,
    with their own, correct password; the same person added to `analyst` can."""
    from pyhive import hive

    from lake.platform.directory import ensure_person

    password = ensure_person(lake_env, "quanly_001", ("quanly_001",), "Quản lý 001").read_text("utf-8").strip()
    assert directory.authenticate("quanly_001", password)  # the password is right (Superset accepts it)
    with pytest.raises(Exception, match="Error validating the login"):
        hive.connect(host="127.0.0.1", port=lake_env.thrift_port, username="quanly_001", password=password,
                     auth="LDAP")
    ensure_person(lake_env, "sec.both", ("quanly_001", "analyst"), "Quản lý và phân tích")
    both = (lake_env.secrets_dir / "users" / "sec.both").read_text("utf-8").strip()
    assert _query(_connect(lake_env, "sec.both", both), "SELECT current_user()") == [("sec.both",)]


def test_a_disabled_person_is_refused(endpoint, lake_env, directory):
    from pyhive import hive

    password = endpoint["sec.leaver"]
    assert _query(_connect(lake_env, "sec.leaver", password), "SELECT 1") == [(1,)]
    directory.disable_user("sec.leaver")
    with pytest.raises(Exception, match="Error validating the login"):
        hive.connect(host="127.0.0.1", port=lake_env.thrift_port, username="sec.leaver", password=password,
                     auth="LDAP")


# --- what an analyst may do ------------------------------------------------------------------------------
def test_analyst_reads_shared_tables(endpoint, lake_env, spark):
    conn = _connect(lake_env, "sec.analyst", endpoint["sec.analyst"])
    [(n,)] = _query(conn, "SELECT count(*) FROM gold.security_probe")
    assert n == spark.table("gold.security_probe").count() > 0
    assert ("gold",) in _query(conn, "SHOW DATABASES")
    assert [r[0] for r in _query(conn, "DESCRIBE gold.security_probe")][:2] == ["id", "name"]
    assert _query(conn, "SET spark.sql.shuffle.partitions=4") == [("spark.sql.shuffle.partitions", "4")]


WRITES = [
    "CREATE DATABASE attacker",
    "CREATE TABLE gold.attacker (a int) USING delta",
    "CREATE TABLE gold.attacker USING delta AS SELECT * FROM gold.security_probe",
    "CREATE VIEW gold.attacker AS SELECT 1 AS a",
    "CREATE TEMPORARY VIEW attacker USING csv OPTIONS (path '/etc/passwd')",
    "INSERT INTO gold.security_probe SELECT * FROM gold.security_probe",
    "INSERT OVERWRITE TABLE gold.security_probe SELECT * FROM gold.security_probe LIMIT 1",
    "DELETE FROM gold.security_probe",
    "UPDATE gold.security_probe SET name = 'x'",
    "MERGE INTO gold.security_probe t USING gold.security_probe s ON false WHEN NOT MATCHED THEN INSERT *",
    "ALTER TABLE gold.security_probe SET TBLPROPERTIES ('x' = 'y')",
    "TRUNCATE TABLE gold.security_probe",
    "DROP TABLE gold.security_probe",
    "DROP DATABASE gold CASCADE",
    "CACHE TABLE attacker AS SELECT 1",
    "EXECUTE IMMEDIATE 'DROP TABLE gold.security_probe'",
]


@pytest.mark.parametrize("sql", WRITES)
def test_analyst_cannot_write_or_drop(endpoint, lake_env, spark, sql):
    before = (_version(spark, "gold.security_probe"), spark.table("gold.security_probe").count())
    _refused_by_guard(_connect(lake_env, "sec.analyst", endpoint["sec.analyst"]), sql)
    spark.catalog.refreshTable("gold.security_probe")
    assert (_version(spark, "gold.security_probe"), spark.table("gold.security_probe").count()) == before
    assert not spark.catalog.databaseExists("attacker") and not spark.catalog.tableExists("gold.attacker")


# --- scripts, Java, files, code ---------------------------------------------------------------------------
def test_no_script_no_java(endpoint, lake_env):
    conn = _connect(lake_env, "sec.analyst", endpoint["sec.analyst"])
    for sql in ("SELECT TRANSFORM(1) USING 'id' AS (o string)",
                "SELECT TRANSFORM(a) USING '/bin/sh -c id' FROM (SELECT 1 AS a)",
                "FROM (SELECT 1 AS a) t MAP a USING 'id' AS o",
                "SELECT count(*) FROM (SELECT TRANSFORM(1) USING 'id' AS (o string))",  # in a subquery
                "SELECT reflect('java.lang.System', 'getProperty', 'user.name')",
                "SELECT java_method('java.lang.System', 'getenv', 'LAKEHOUSE_PG_PASSWORD')",
                "SELECT try_reflect('java.lang.Runtime', 'getRuntime')",
                "SELECT 1 WHERE EXISTS (SELECT reflect('java.util.UUID', 'randomUUID'))"):
        assert "uid=" not in _refused_by_guard(conn, sql)


def test_no_host_file_read(endpoint, lake_env):
    from lake.core.secrets import metastore_password

    conn = _connect(lake_env, "sec.analyst", endpoint["sec.analyst"])
    secret_file = lake_env.secrets_dir / "postgres_password"
    table_dir = lake_env.table_location("gold", "security_probe")
    for sql in ("SELECT * FROM text.`/etc/shadow`",
                "SELECT * FROM text.`/etc/passwd`",
                f"SELECT * FROM text.`{secret_file}`",
                f"SELECT * FROM csv.`{secret_file}`",
                f"SELECT * FROM parquet.`{table_dir}`",
                f"SELECT * FROM delta.`{table_dir}`",
                f"SELECT * FROM binaryFile.`{secret_file}`"):
        err = _refused(conn, sql)
        assert "root:" not in err and metastore_password(lake_env) not in err, sql


def test_no_file_write_no_code_loading(endpoint, lake_env, tmp_path):
    conn = _connect(lake_env, "sec.analyst", endpoint["sec.analyst"])
    out = tmp_path / "out"
    jar = next(iter((lake_env.jar_cache).glob("*.jar")))
    for sql in (f"INSERT OVERWRITE DIRECTORY '{out}' SELECT 1",
                f"INSERT OVERWRITE LOCAL DIRECTORY '{out}' SELECT 1",
                f"INSERT OVERWRITE DIRECTORY '{out}' USING parquet SELECT * FROM gold.security_probe",
                "LOAD DATA LOCAL INPATH '/etc/passwd' INTO TABLE gold.security_probe",
                f"ADD JAR {jar}",
                "ADD FILE /etc/passwd",
                "ADD ARCHIVE /etc/passwd",
                "CREATE TEMPORARY FUNCTION r AS 'org.apache.hadoop.hive.ql.udf.generic.GenericUDFReflect'",
                f"CREATE FUNCTION r AS 'org.apache.hadoop.hive.ql.udf.generic.GenericUDFReflect' USING JAR '{jar}'"):
        _refused_by_guard(conn, sql)
    assert not out.exists()
    # and the Hive reflect UDF class cannot be reached any other way
    assert "GenericUDFReflect" not in str(_query(conn, "SHOW FUNCTIONS LIKE 'r'"))


def test_protections_cannot_be_switched_back(endpoint, lake_env):
    from lake.core.secrets import metastore_password

    user, password = "sec.analyst", endpoint["sec.analyst"]
    conn = _connect(lake_env, user, password)
    for sql in ("SET spark.sql.runSQLOnFiles=true",
                "SET spark.sql.variable.substitute=true",
                "SET spark.sql.catalog.attacker=org.apache.spark.sql.execution.datasources.v2.jdbc.JDBCTableCatalog",
                "SET hivevar:spark.sql.runSQLOnFiles=true",
                "SET spark.sql.legacy.allowUntypedScalaUDF=true"):
        _refused_by_guard(conn, sql, shown=400)
    # variable substitution is off: ${env:...} and ${hiveconf:...} stay literal text
    for ref in ("${env:LAKEHOUSE_PG_PASSWORD}", "${hiveconf:javax.jdo.option.ConnectionPassword}",
                "${system:user.name}"):
        assert _query(conn, f"SELECT '{ref}'") == [(ref,)]
    listing = str(_query(conn, "SET")) + str(_query(conn, "SET -v"))
    listing += str(_query(conn, "SET javax.jdo.option.ConnectionPassword"))
    assert metastore_password(lake_env) not in listing
    # a protection switched on through the session configuration of OpenSession (any of its three routes)
    # is caught before any query runs
    for key in ("spark.sql.runSQLOnFiles", "set:hiveconf:spark.sql.runSQLOnFiles",
                "set:hivevar:spark.sql.runSQLOnFiles"):
        try:
            other = _connect(lake_env, user, password, configuration={key: "true"})
        except Exception as exc:  # applied to the session: its first statement (pyhive's USE) is refused
            assert any(r in str(exc) for r in REFUSED), (key, str(exc)[:400])
            continue
        # or not applied at all
        assert "root:" not in _refused(other, "SELECT * FROM text.`/etc/passwd`"), key
        assert _query(other, "SET spark.sql.runSQLOnFiles") == [("spark.sql.runSQLOnFiles", "false")], key


# --- how it runs ------------------------------------------------------------------------------------------
def _secrets(lake_env, people: dict[str, str]) -> list[str]:
    from lake.core.secrets import metastore_password
    from lake.platform.directory import admin_password, service_password

    return [metastore_password(lake_env), admin_password(lake_env), service_password(lake_env, "superset"),
            service_password(lake_env, "dbt"), *people.values()]


def test_endpoint_runs_unprivileged_with_no_secret_on_a_command_line(endpoint, lake_env):
    import os
    import pwd

    from lake.platform import sql_endpoint

    ps = subprocess.run(["ps", "-ww", "-eo", "pid=,user:32=,args="], capture_output=True, text=True,
                        check=True).stdout
    cmdlines = {}
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            try:
                cmdlines[int(proc.name)] = (proc / "cmdline").read_bytes().split(b"\0")
            except OSError:
                continue
    port = f"hive.server2.thrift.port={lake_env.thrift_port}".encode()
    jvms = [pid for pid, args in cmdlines.items()
            if args[0].endswith(b"/java") and b"org.apache.spark.sql.hive.thriftserver.HiveThriftServer2" in args
            and port in args]
    assert len(jvms) == 1, jvms
    pid = jvms[0]
    uid = int(Path(f"/proc/{pid}/status").read_text().split("Uid:")[1].split()[0])
    if os.geteuid() == 0:
        assert pwd.getpwuid(uid).pw_name == "lakehouse-sql"
        assert pwd.getpwuid(sql_endpoint.work_dir(lake_env).stat().st_uid).pw_name == "lakehouse-sql"
    else:
        assert uid == os.geteuid()
    every_command_line = ps + "\n".join(b" ".join(a).decode("utf-8", "replace") for a in cmdlines.values())
    for value in _secrets(lake_env, endpoint):
        assert value not in every_command_line
    # its config holds no secret (the metastore password reaches the JVM through its environment)
    for path in [*sql_endpoint.conf_dir(lake_env).iterdir(), *lake_env.conf_dir.glob("*.*")]:
        if path.is_file():
            text = path.read_text(encoding="utf-8", errors="replace")
            assert not any(v in text for v in _secrets(lake_env, endpoint)), path
    assert "${env.LAKEHOUSE_PG_PASSWORD}" in (sql_endpoint.conf_dir(lake_env) / "hive-site.xml").read_text()


def test_endpoint_cannot_write_outside_its_work_dir(endpoint, lake_env):
    """Even a bug in the guard would write as lakehouse-sql: it owns only <lake root>/sql/work."""
    import os

    from lake.core.os_accounts import SQL_USER, as_user

    if os.geteuid() != 0:
        pytest.skip("needs root to switch to lakehouse-sql")
    for target in (lake_env.table_location("gold", "security_probe") / "x", lake_env.secrets_dir / "x",
                   lake_env.conf_dir / "x"):
        proc = subprocess.run(as_user(["touch", str(target)], SQL_USER), capture_output=True, text=True)
        assert proc.returncode != 0 and not target.exists(), target
    proc = subprocess.run(as_user(["cat", str(lake_env.secrets_dir / "postgres_password")], SQL_USER),
                          capture_output=True, text=True)
    assert proc.returncode != 0


def test_dbt_thrift_target_logs_in_as_its_service_account_but_cannot_build(endpoint, lake_env):
    from lake.apps.transform import run_dbt
    from lake.platform.directory import service_password

    step = run_dbt(["debug", "--target", "thrift"], lake_env, "thrift", echo=False)
    assert step.ok and "OK connection ok" in step.output, step.output[-3000:]
    step = run_dbt(["seed", "--target", "thrift"], lake_env, "thrift", echo=False)
    assert not step.ok and "Refused by the lakehouse SQL endpoint" in step.output, step.output[-3000:]
    assert service_password(lake_env, "dbt") not in step.output
    logs = lake_env.lake_root / "dbt" / "logs"
    for log in logs.glob("*.log"):
        assert service_password(lake_env, "dbt") not in log.read_text(encoding="utf-8", errors="replace")
