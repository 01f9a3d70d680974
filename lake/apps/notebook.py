"""What the notebooks in `notebooks/` import: SQL on the lakehouse through the Spark Thrift endpoint, as pandas.

The notebooks need no Spark in the kernel: `lakehouse services up` (or `make demo`) starts the Thrift server,
and every layer's tables (gold marts, silver, bronze) are queried by name, e.g. `gold.fct_documents`.
The analyst connects with their own directory account: `LAKEHOUSE_SQL_USER` and `LAKEHOUSE_SQL_PASSWORD`
(or their password file `<lake root>/secrets/users/<user>`), see lake.platform.sql_endpoint.credentials.
"""

from __future__ import annotations

from functools import cache

import pandas as pd

from lake.core.settings import Settings, get_settings


class NotebookError(RuntimeError):
    """The endpoint is down or the analyst has no account: the message says what to do."""


@cache
def kernel_settings() -> Settings:
    """A notebook kernel's settings, read from its environment once (the kernel is this module's entry point)."""
    return get_settings()


def connect(settings: Settings):
    """A DB-API connection to the Thrift endpoint as the analyst of `settings` (NotebookError when impossible)."""
    from lake.platform.process import port_open
    from lake.platform.sql_endpoint import EndpointError, connect, credentials

    if not port_open("127.0.0.1", settings.thrift_port):
        raise NotebookError(
            f"Spark Thrift Server không chạy trên 127.0.0.1:{settings.thrift_port} / not running: "
            "start it with `.venv/bin/lakehouse services up` (or `make demo`)"
        )
    try:
        user, password = credentials(settings)
    except EndpointError as exc:
        raise NotebookError(str(exc)) from exc
    return connect(settings, user, password)


def sql(query: str) -> pd.DataFrame:
    """In a notebook: `read_sql` with the kernel's settings."""
    return read_sql(kernel_settings(), query)


def read_sql(settings: Settings, query: str) -> pd.DataFrame:
    """Run one query and return its rows as a DataFrame (column names without the table prefix)."""
    conn = connect(settings)
    try:
        cur = conn.cursor()
        cur.execute(query)
        rows = cur.fetchall()
        columns = [d[0].split(".")[-1] for d in cur.description or []]
    finally:
        conn.close()
    return pd.DataFrame.from_records(rows, columns=columns)


def quote(value: str) -> str:
    """A SQL string literal (for parameters typed into a notebook's first cell)."""
    return "'" + str(value).replace("\\", "\\\\").replace("'", "\\'") + "'"
