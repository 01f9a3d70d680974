"""Declared table contracts: the one registry of every table of the lakehouse.

Each contract names the table (layer + name), its columns with Spark SQL types and descriptions in
Vietnamese and English, its partitioning, its key, its owner and a description. Jobs create and write
tables only through these contracts (`lake.core.delta`); the dbt sources, the marts' YAML and the
restricted-data test are generated from them (`lake.apps.dbt_sources`); the catalog publishes them and the
tests check the live tables against them.

One module per layer declares its tables (`bronze`, `ops`, `silver`, `gold`); `model` holds the model, the
type parser and the registry, `columns` the columns several tables share. This package registers every
layer's tables here, once, in layer order:

>>> get_contract("gold.fct_documents").owner
'lakehouse-gold'
>>> [len(tables(layer)) > 0 for layer in LAYERS]
[True, True, True, True]
"""

from __future__ import annotations

from lake.core.contracts.bronze import *  # noqa: F403  (every contract stays reachable as C.NAME)
from lake.core.contracts.gold import *  # noqa: F403
from lake.core.contracts.model import (
    DEFAULT_OWNER,
    DEFAULT_ZONE,
    LAYERS,
    MART_BANNED_TAGS,
    REGISTRY,
    ZONES,
    Column,
    TableContract,
    get_contract,
    job_tables,
    register,
    spark_type,
    tables,
)
from lake.core.contracts.ops import *  # noqa: F403
from lake.core.contracts.silver import *  # noqa: F403

for _contract in (*BRONZE_TABLES, *OCR_TABLES, *OPS_TABLES, *SILVER_TABLES, *GOLD_TABLES):  # noqa: F405
    register(_contract)
del _contract

__all__ = ["DEFAULT_OWNER", "DEFAULT_ZONE", "LAYERS", "MART_BANNED_TAGS", "REGISTRY", "ZONES", "Column",
           "TableContract", "get_contract", "job_tables", "register", "spark_type", "tables"]
