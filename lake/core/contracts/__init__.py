"""Declared table contracts: the one registry of every table of the lakehouse.

Each contract names the table (layer + name), its columns with Spark SQL types and descriptions in
Vietnamese and English, its partitioning, its key, its owner and a description. Jobs create and write
tables only through these contracts (`lake.core.delta`); the dbt sources, the marts' YAML and the
restricted-data test are generated from them (`lake.apps.dbt_sources`); the catalog publishes them and the
tests check the live tables against them.

One YAML file per layer declares its tables (``bronze.yml``, ``ops.yml``, ``silver.yml``, ``gold.yml``;
``columns.yml`` the columns several tables share), read by `loader`; `model` holds the model, the type
parser and the registry. This package names every table and shared column (``RAW_CONTENTS``,
``SILVER_DOCUMENTS``, ``DISTRICT_CODE``, ...) and registers every layer's tables here, once, in layer order:

>>> get_contract("gold.fct_documents").owner
'lakehouse-gold'
>>> [len(tables(layer)) > 0 for layer in LAYERS]
[True, True, True, True]
>>> RAW_CONTENTS is get_contract("bronze.raw_contents") and DISTRICT_CODE.name
'district_code'
"""

from __future__ import annotations

from lake.core.contracts import loader
from lake.core.contracts.model import (
    CHANGE_FEED,  # noqa: F401  (C.CHANGE_FEED, as before)
    DEFAULT_OWNER,
    DEFAULT_ZONE,
    LAYERS,
    MART_BANNED_TAGS,
    REGISTRY,
    ZONES,
    Column,
    TableContract,
    col,  # noqa: F401  (C.col, as before)
    get_contract,
    job_tables,
    register,
    same,  # noqa: F401  (C.same, as before)
    spark_type,
    tables,
)

_LOADED = loader.load_contracts()

# --- columns.yml, then gold.yml's own shared columns, in file order ----------------------------------
DISTRICT_CODE, RECORD_CODE, AGENCY_CODE, RUN_ID, LANDED, SOURCE_PATH_BYTES, LINEAGE, SILVER_AUDIT = (
    _LOADED.shared["columns"].values())
(DOCUMENT_CODE, DISTRICT_LOCALITY, AGENCY_LEVEL, BLOCK, PRIORITY_GROUP, STAGE, STAGE_ORDER, DEADLINE,
 DAYS_TO_DEADLINE, PLANNED, PAGES_LAST_14_DAYS, PACE, TYPE_KEY) = _LOADED.shared["gold"].values()

# --- the tables of each file, in file order ----------------------------------------------------------
BRONZE_TABLES, OCR_TABLES, OPS_TABLES, SILVER_TABLES, GOLD_TABLES = _LOADED.groups.values()
(RAW_CONTENTS, LANDING_FILES, SCAN_PAGES, QUARANTINE, PDF_SIGNATURES,
 BATCH_MANIFESTS, QC_LOGS, INVENTORY_RECORDS, INVENTORY_DOCUMENTS, HANDOVER_REPORTS, AGENCY_REGISTER,
 REF_OLD_DISTRICTS, REF_OLD_COMMUNES, REF_NEW_COMMUNES, REF_COMMUNE_CONVERSION) = BRONZE_TABLES
OCR_PAGES, OCR_QC_QUEUE, ACCESS_COPIES = OCR_TABLES
PIPELINE_RUNS, JOB_STATE, RESTRICTED_ACCESS_LOG, DOCUMENT_VIEWS = OPS_TABLES
(SILVER_LOCALITIES, SILVER_LOCALITY_MAPPING, SILVER_AGENCIES, SILVER_RECORDS, SILVER_DOCUMENTS,
 SILVER_DOCUMENT_PAGES, SILVER_RESTRICTED_DOCUMENTS, SILVER_QC_ISSUES) = SILVER_TABLES
(DIM_LOCALITY, DIM_AGENCY, DIM_DOCUMENT_TYPE, DIM_DATE, DIM_RETENTION, FCT_RECORDS, FCT_DOCUMENTS, FCT_PAGES,
 FCT_PAGE_TEXTS, FCT_DIGITIZATION_PLAN, FCT_DEADLINE_STATUS, FCT_DIGITIZATION_PROGRESS) = GOLD_TABLES
loader.check_names(globals(), _LOADED)  # every name above is the table or column the files declare under it

#: the OCR words' type (ocr_pages.words): text, confidence, bounding box, line, block, paragraph
WORD_TYPE = OCR_PAGES.column("words").type
#: what a mart column that is a locality references (dbt relationships test)
LOCALITY_KEY = "dim_locality.locality_key"

for _contract in (*BRONZE_TABLES, *OCR_TABLES, *OPS_TABLES, *SILVER_TABLES, *GOLD_TABLES):
    register(_contract)
del _contract

__all__ = ["DEFAULT_OWNER", "DEFAULT_ZONE", "LAYERS", "MART_BANNED_TAGS", "REGISTRY", "ZONES", "Column",
           "TableContract", "get_contract", "job_tables", "register", "spark_type", "tables"]
