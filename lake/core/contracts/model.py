"""The contract model: columns, tables, the Spark type parser and the one registry.

A `TableContract` names a table (layer + name), its columns with Spark SQL types and descriptions in
Vietnamese and English, its key, partitioning, owner, zone and tags. The YAML files beside this module
(``bronze.yml``, ``ops.yml``, ``silver.yml``, ``gold.yml``, the shared ``columns.yml``) declare the tables and
`loader` reads them into this model; the package registers them all, once, in one place
(`lake.core.contracts`), and `register` refuses a second table under a name already taken.

Column tags (the vocabulary every consumer reads):

- ``"text"``: free text read from a document; NULL in the shared tables for a restricted document;
- ``"PII"``: personal data;
- ``"restricted"``: kept out of the shared marts (classification levels, signers' titles, recipients, the
  free text of record titles and notes): with ``"PII"`` it makes the banned list of the marts
  (`MART_BANNED_TAGS`, checked by dbt's assert_no_restricted_data_in_marts).

Gold columns also carry their dbt tests: ``nullable=False`` is a ``not_null`` test, ``references`` a
``relationships`` test (``"dim_locality.locality_key"``), ``accepted_values`` an ``accepted_values`` test; a
single-column key is ``unique`` + ``not_null``, a composite key a ``unique_combination_of_columns`` test.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

LAYERS = ("bronze", "silver", "gold", "ops")

#: storage zones (lake.core.zones): who may read a table's files. "pipeline" = the pipeline only (bronze, ops),
#: "shared" = also the group lakehouse-shared (SQL endpoint, web services), "restricted" = also the group
#: lakehouse-restricted, never the shared endpoint.
ZONES = ("pipeline", "shared", "restricted")
DEFAULT_ZONE = {"bronze": "pipeline", "ops": "pipeline", "silver": "shared", "gold": "shared"}

#: the team that owns a layer's tables unless its contract names another (the catalog's owners)
DEFAULT_OWNER = {"bronze": "lakehouse-bronze", "silver": "lakehouse-silver", "gold": "lakehouse-gold",
                 "ops": "lakehouse-platform"}

#: column tags whose columns no mart may have
MART_BANNED_TAGS = ("PII", "restricted")

#: the table properties of a Delta change data feed (``change_feed: true`` in a contract file): the inputs whose
#: changes name the silver records to rebuild keep one (lake.domain.silver.incremental)
CHANGE_FEED = {"delta.enableChangeDataFeed": "true"}


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    vi: str
    en: str
    nullable: bool = True
    source: str | None = None  # header in the delivered CSV/XLSX, for tabular bronze tables
    tags: tuple[str, ...] = ()  # e.g. ("PII",), ("text",), ("restricted",)
    references: str | None = None  # "model.column" this column's values must exist in (gold: relationships test)
    accepted_values: tuple = ()  # the only values allowed (gold: accepted_values test)

    def but(self, **changes) -> Column:
        """The same column with some fields changed.

        >>> Column("district_code", "string", "Mã quận/huyện cũ", "Old district code").but(nullable=False).nullable
        False
        """
        return dataclasses.replace(self, **changes)


@dataclass(frozen=True)
class TableContract:
    layer: str
    name: str
    vi: str
    en: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    partition_by: tuple[str, ...] = ()
    owner: str = ""  # owning team; empty = the layer's DEFAULT_OWNER
    tags: tuple[str, ...] = ()
    properties: dict[str, str] = field(default_factory=dict)
    zone: str = ""  # storage zone (ZONES); empty = the layer's DEFAULT_ZONE
    # `dbt source freshness` checks the load timestamp; False for a table that is legitimately empty for months
    # (no signed PDF delivered yet), where "no rows" is not "stale"
    freshness: bool = True

    def __post_init__(self) -> None:
        names = [c.name for c in self.columns]
        if len(set(names)) != len(names):
            raise ValueError(f"{self.full_name}: duplicate column names")
        for col in (*self.key, *self.partition_by):
            if col not in names:
                raise ValueError(f"{self.full_name}: key/partition column {col!r} is not in the schema")
        if self.layer not in LAYERS:
            raise ValueError(f"{self.full_name}: unknown layer {self.layer!r}")
        if not self.zone and self.layer in DEFAULT_ZONE:
            object.__setattr__(self, "zone", DEFAULT_ZONE[self.layer])
        if self.zone not in ZONES:
            raise ValueError(f"{self.full_name}: unknown zone {self.zone!r}; known: {ZONES}")
        if not self.owner:
            object.__setattr__(self, "owner", DEFAULT_OWNER[self.layer])

    @property
    def full_name(self) -> str:
        """`layer.name`, as Spark and dbt name the table (gold.fct_pages)."""
        return f"{self.layer}.{self.name}"

    def location(self, settings):
        """The table's directory for these settings (its zone decides under which root)."""
        return settings.table_location(self.layer, self.name, self.zone)

    @property
    def column_names(self) -> list[str]:
        """The column names, in schema order."""
        return [c.name for c in self.columns]

    def column(self, name: str) -> Column:
        """The column called `name`; KeyError when the table has none."""
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(f"{self.full_name} has no column {name!r}")

    def ddl_columns(self) -> str:
        """The column list of a CREATE TABLE: name, type, NOT NULL and the bilingual comment of each column."""
        parts = []
        for c in self.columns:
            null = "" if c.nullable else " NOT NULL"
            comment = f"{c.vi} / {c.en}".replace("'", "\\'")
            parts.append(f"`{c.name}` {c.type}{null} COMMENT '{comment}'")
        return ",\n  ".join(parts)

    def spark_schema(self):
        """The Spark StructType of the columns (types parsed by `spark_type`, nullability kept)."""
        from pyspark.sql.types import StructField, StructType

        return StructType([StructField(c.name, spark_type(c.type), c.nullable) for c in self.columns])

    @property
    def description(self) -> str:
        """The Vietnamese description, a blank line, the English one."""
        return f"{self.vi}\n\n{self.en}"


_PRIMITIVES = {
    "string": "StringType", "int": "IntegerType", "bigint": "LongType", "double": "DoubleType",
    "float": "FloatType", "boolean": "BooleanType", "date": "DateType", "timestamp": "TimestampType",
    "binary": "BinaryType", "smallint": "ShortType",
}


def _split_top(text: str) -> list[str]:
    parts, depth, cur = [], 0, ""
    for ch in text:
        if ch == "<":
            depth += 1
        elif ch == ">":
            depth -= 1
        if ch == "," and depth == 0:
            parts.append(cur.strip())
            cur = ""
        else:
            cur += ch
    parts.append(cur.strip())
    return parts


def spark_type(text: str):
    """Spark DataType from the contract's SQL type string (no SparkContext needed).

    >>> spark_type("array<struct<page:int,text:string>>").simpleString()
    'array<struct<page:int,text:string>>'
    >>> spark_type("decimal(10,2)")
    DecimalType(10,2)
    """
    from pyspark.sql import types as T

    text = text.strip()
    low = text.lower()
    if low in _PRIMITIVES:
        return getattr(T, _PRIMITIVES[low])()
    if low.startswith("decimal(") and low.endswith(")"):
        p, s = (int(x) for x in low[8:-1].split(","))
        return T.DecimalType(p, s)
    if low.startswith("array<") and low.endswith(">"):
        return T.ArrayType(spark_type(text[6:-1]))
    if low.startswith("map<") and low.endswith(">"):
        k, v = _split_top(text[4:-1])
        return T.MapType(spark_type(k), spark_type(v))
    if low.startswith("struct<") and low.endswith(">"):
        fields = []
        for part in _split_top(text[7:-1]):
            name, typ = part.split(":", 1)
            fields.append(T.StructField(name.strip().strip("`"), spark_type(typ)))
        return T.StructType(fields)
    raise ValueError(f"unsupported type in a table contract: {text!r}")


def col(name: str, type_: str, vi: str, en: str, **kw) -> Column:
    """A column: name, Spark SQL type, Vietnamese and English description, then `Column`'s options."""
    return Column(name, type_, vi, en, **kw)


def same(columns: tuple[Column, ...] | list[Column], *names: str) -> tuple[Column, ...]:
    """The named columns of another table's columns, in the order asked (a gold column that is a silver one)."""
    by_name = {c.name: c for c in columns}
    missing = [n for n in names if n not in by_name]
    if missing:
        raise KeyError(f"no such columns: {missing}; known: {sorted(by_name)}")
    return tuple(by_name[n] for n in names)


# --- the registry ------------------------------------------------------------------------------------
REGISTRY: dict[str, TableContract] = {}


def register(contract: TableContract) -> TableContract:
    """Add a contract to the registry (the package registers every layer's TABLES, in layer order); the same
    name declared twice is an error."""
    existing = REGISTRY.get(contract.full_name)
    if existing is not None and existing is not contract:
        raise ValueError(f"contract {contract.full_name} declared twice")
    REGISTRY[contract.full_name] = contract
    return contract


def get_contract(full_name: str) -> TableContract:
    """The contract of `layer.table`; a KeyError lists the known names.

    >>> c = get_contract("silver.documents")
    >>> (c.layer, c.key, c.zone, c.columns[0].name)
    ('silver', ('document_code',), 'shared', 'document_code')
    >>> get_contract("silver.nope")
    Traceback (most recent call last):
    ...
    KeyError: "no table contract named 'silver.nope'; known: [...]"
    """
    try:
        return REGISTRY[full_name]
    except KeyError:
        raise KeyError(f"no table contract named {full_name!r}; known: {sorted(REGISTRY)}") from None


def tables(layer: str | None = None) -> list[TableContract]:
    """Every registered contract, or those of one layer (bronze, silver, gold, ops), in declaration order.

    >>> "ops.pipeline_runs" in [t.full_name for t in tables("ops")]
    True
    >>> [t.name for t in tables("gold")][:2]
    ['dim_locality', 'dim_agency']
    """
    return [t for t in REGISTRY.values() if layer is None or t.layer == layer]


def job_tables(layer: str | None = None) -> list[TableContract]:
    """The contracts of the tables the Spark jobs create and write (`lake.core.delta`): every layer's but
    gold's, whose marts dbt builds.

    >>> {t.layer for t in job_tables()} == {"bronze", "silver", "ops"}
    True
    """
    return [t for t in tables(layer) if t.layer != "gold"]
