"""`lakehouse publish`: the conformed gold marts as Iceberg tables that other agencies read with pyiceberg alone.

Why an Iceberg SQL catalog on the project's Postgres, not Delta UniForm:
- UniForm needs the `delta-iceberg` jar, which Delta 4.4 builds for Spark 4.0 only; the lakehouse runs Spark
  4.2, and moving every job back to 4.0 for one feature would pin the whole platform to an older Spark.
- pyiceberg's SQL catalog needs nothing but a database: the project already runs Postgres (the Hive
  metastore). Consumers get a read-only role and `file://` (or, in production, object-store) paths.
- The copy is explicit and versioned: each Iceberg table records the Delta version it was published from
  (`lakehouse.source-delta-version`), so a re-run with unchanged gold commits nothing and a consumer can tell
  which build of gold it reads.

Column and table descriptions come from the dbt YAML of the marts (through dbt's manifest.json), the same
text dbt docs and the catalog show.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from pathlib import Path

from lake.core.secrets import get_secret
from lake.core.settings import Settings

NAMESPACE = "gold"
ICEBERG_DATABASE = "iceberg"
WRITER_ROLE = "iceberg_writer"
READER_ROLE = "iceberg_reader"
VERSION_PROPERTY = "lakehouse.source-delta-version"
SOURCE_PROPERTY = "lakehouse.source-table"


class PublishError(RuntimeError):
    pass


def writer_password(settings: Settings) -> str:
    return get_secret(settings, "LAKEHOUSE_ICEBERG_WRITER_PASSWORD", "iceberg_writer_password")


def reader_password(settings: Settings) -> str:
    return get_secret(settings, "LAKEHOUSE_ICEBERG_READER_PASSWORD", "iceberg_reader_password")


def warehouse_dir(settings: Settings) -> Path:
    return settings.iceberg_dir


def catalog_properties(settings: Settings, reader: bool = True) -> dict[str, str]:
    """What a consumer passes to `pyiceberg.catalog.load_catalog(name, **props)` (reader) or the publisher."""
    role, password = (READER_ROLE, reader_password(settings)) if reader else (WRITER_ROLE, writer_password(settings))
    return {
        "type": "sql",
        "uri": f"postgresql+psycopg2://{role}:{password}@127.0.0.1:{settings.pg_port}/{ICEBERG_DATABASE}",
        "warehouse": warehouse_dir(settings).as_uri(),
        # the reader role can't create pyiceberg's catalog tables; the publisher has made them already
        "init_catalog_tables": "false" if reader else "true",
    }


def load_catalog(settings: Settings, reader: bool = True):
    from pyiceberg.catalog import load_catalog as _load

    return _load("lakehouse", **catalog_properties(settings, reader=reader))


def ensure_catalog_database(settings: Settings) -> None:
    """The `iceberg` database with a writer role (owner) and a read-only role for consumers. Idempotent."""
    from lake.platform.services import Postgres

    pg = Postgres(settings)
    pg.start()
    pg.ensure_role(WRITER_ROLE, writer_password(settings))
    pg.ensure_role(READER_ROLE, reader_password(settings))
    pg.ensure_database(ICEBERG_DATABASE, owner=WRITER_ROLE)
    warehouse_dir(settings).mkdir(parents=True, exist_ok=True)


def grant_reader(settings: Settings) -> None:
    """Read-only access to the catalog tables pyiceberg created (run after the first publication)."""
    from lake.platform.services import Postgres

    pg = Postgres(settings)
    pg.psql_as(WRITER_ROLE, writer_password(settings), ICEBERG_DATABASE,
               f"GRANT CONNECT ON DATABASE {ICEBERG_DATABASE} TO {READER_ROLE}; "
               f"GRANT USAGE ON SCHEMA public TO {READER_ROLE}; "
               f"GRANT SELECT ON ALL TABLES IN SCHEMA public TO {READER_ROLE}; "
               f"ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT ON TABLES TO {READER_ROLE};")


@dataclass(frozen=True)
class MartDoc:
    name: str
    description: str
    columns: dict[str, str]


def published_marts(settings: Settings) -> list[MartDoc]:
    """Every model under models/marts in dbt's manifest (dim_* and fct_*), with its descriptions."""
    manifest_path = settings.dbt_target_dir / "manifest.json"
    if not manifest_path.is_file():
        raise PublishError(f"{manifest_path} not found: run `lakehouse transform` before publishing")
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    marts = []
    for node in manifest["nodes"].values():
        if node["resource_type"] != "model" or not node["original_file_path"].startswith("models/marts/"):
            continue
        marts.append(MartDoc(node["name"], node.get("description", ""),
                             {c: v.get("description", "") for c, v in node.get("columns", {}).items()}))
    if not marts:
        raise PublishError(f"no mart models in {manifest_path}")
    return sorted(marts, key=lambda m: m.name)


def to_iceberg_arrow(table):
    """Arrow types Iceberg accepts: timestamps in µs and UTC, no large/dictionary variants surprises."""
    import pyarrow as pa

    fields, arrays = [], []
    for field, column in zip(table.schema, table.columns, strict=True):
        t = field.type
        if pa.types.is_timestamp(t):
            target = pa.timestamp("us", tz="UTC") if t.tz else pa.timestamp("us")
            column = column.cast(target)
            t = target
        elif pa.types.is_large_string(t):
            column, t = column.cast(pa.string()), pa.string()
        fields.append(pa.field(field.name, t, nullable=True))
        arrays.append(column)
    return pa.Table.from_arrays(arrays, schema=pa.schema(fields))


@dataclass
class PublishResult:
    table: str
    rows: int
    delta_version: int
    action: str  # created | replaced | unchanged
    seconds: float


def _delta_version(spark, name: str) -> int:
    return int(spark.sql(f"DESCRIBE HISTORY gold.{name} LIMIT 1").collect()[0]["version"])


def publish(spark, settings: Settings, only: list[str] | None = None, echo=print) -> list[PublishResult]:
    """Copy each gold mart into the Iceberg catalog when its Delta version changed since the last publication."""
    from pyiceberg.exceptions import NoSuchTableError

    ensure_catalog_database(settings)
    catalog = load_catalog(settings, reader=False)
    catalog.create_namespace_if_not_exists(NAMESPACE, {"comment": "Dữ liệu dùng chung (gold) / conformed marts"})
    results = []
    for mart in published_marts(settings):
        if only and mart.name not in only:
            continue
        t0 = time.monotonic()
        spark.catalog.refreshTable(f"gold.{mart.name}")
        version = _delta_version(spark, mart.name)
        ident = f"{NAMESPACE}.{mart.name}"
        try:
            existing = catalog.load_table(ident)
        except NoSuchTableError:
            existing = None
        if existing is not None and existing.properties.get(VERSION_PROPERTY) == str(version):
            results.append(PublishResult(mart.name, _row_count(existing), version, "unchanged",
                                         time.monotonic() - t0))
            echo(f"  {ident:<40} unchanged (Delta v{version})")
            continue
        data = to_iceberg_arrow(spark.table(f"gold.{mart.name}").toArrow())
        action = "replaced"
        if existing is not None and not _same_columns(existing.schema().as_arrow(), data.schema):
            catalog.drop_table(ident)  # columns changed in dbt: recreate (consumers see the new schema)
            existing = None
        if existing is None:
            existing = catalog.create_table(ident, schema=data.schema, properties={
                "comment": mart.description, SOURCE_PROPERTY: f"delta:gold.{mart.name}"})
            _apply_docs(existing, mart)
            action = "created"
        with existing.transaction() as tx:
            if action == "created":
                tx.append(data)
            else:
                tx.overwrite(data)
            tx.set_properties({VERSION_PROPERTY: str(version)})
        results.append(PublishResult(mart.name, data.num_rows, version, action, time.monotonic() - t0))
        echo(f"  {ident:<40} {action} {data.num_rows:>10,} rows from Delta v{version}"
             f" in {time.monotonic() - t0:.1f} s")
    grant_reader(settings)
    return results


def _same_columns(current, wanted) -> bool:
    return [(f.name, str(f.type)) for f in current] == [(f.name, str(f.type)) for f in wanted]


def _row_count(table) -> int:
    snapshot = table.current_snapshot()
    if snapshot is None or snapshot.summary is None:
        return 0
    return int(snapshot.summary.additional_properties.get("total-records", 0))


def _apply_docs(table, mart: MartDoc) -> None:
    names = {f.name for f in table.schema().fields}
    docs = {c: d for c, d in mart.columns.items() if c in names and d}
    if not docs:
        return
    with table.update_schema() as update:
        for column, doc in docs.items():
            update.update_column(column, doc=doc.strip())


def consumer_snippet(settings: Settings) -> str:
    """How another agency's system reads the marts (printed by `lakehouse publish` and the demo)."""
    props = catalog_properties(settings, reader=True)
    uri = props["uri"].replace(reader_password(settings), "<mật khẩu / password>")
    return (
        "from pyiceberg.catalog import load_catalog\n"
        f"catalog = load_catalog('lakehouse', type='sql', uri='{uri}',\n"
        f"                       warehouse='{props['warehouse']}', init_catalog_tables='false')\n"
        "df = catalog.load_table('gold.fct_documents').scan().to_pandas()\n"
        f"# password: LAKEHOUSE_ICEBERG_READER_PASSWORD or {settings.secrets_dir / 'iceberg_reader_password'}"
    )
