"""The one list of the lakehouse's jobs: name, Vietnamese title, folders and tables read, tables written,
and the function that runs it.

The CLI (`lakehouse ingest|ocr|silver|publish|index|demo`), the declared lineage (`lake.apps.metadata.lineage`),
the OpenMetadata pipelines (`lake.apps.metadata.openmetadata`), the run events (`lake.core.runlog`) and the
benchmarks all read this module; no other list of jobs exists. `lake` does not import `jobs` at import time:
each job names its function as a dotted "module:function" string, resolved when the job runs.

`tests/catalog` checks each declaration against the job's code (every table it names) and against the runs
recorded in ops.pipeline_runs; tests/test_job_registry.py checks the registry itself.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field

from lake.core import contracts as C

# every landing file lands in these three, whatever its folder (lake.domain.ingest.landing.classify)
_EVERY_FILE = (C.RAW_CONTENTS, C.LANDING_FILES, C.QUARANTINE)


@dataclass(frozen=True)
class JobSpec:
    """One job of the registry: its name, title, function and the tables it reads and writes (the catalog's
    lineage and the OpenLineage events come from here)."""

    name: str
    title: str  # people-facing: "Vietnamese / English"
    target: str  # "module:function", the function `run(spark, settings, **options) -> RunStats`
    reads_files: dict[str, tuple[C.TableContract, ...]] = field(default_factory=dict)  # folder -> tables landed in
    reads: tuple[C.TableContract, ...] = ()
    writes: tuple[C.TableContract, ...] = ()
    # datasets outside the table contracts (gold marts built by dbt, Iceberg copies, the search index), as
    # OpenLineage dataset names; a trailing `*` stands for one dataset per mart
    reads_other: tuple[str, ...] = ()
    writes_other: tuple[str, ...] = ()
    # True: run even when nothing it reads has a new commit (its inputs include a server's state,
    # lake.core.job_inputs cannot see them change)
    always_runs: bool = False

    @property
    def module(self) -> str:
        """The job's module, e.g. `jobs.ocr_pages` (the part of `target` before the colon)."""
        return self.target.split(":", 1)[0]

    def function(self):
        """The job function itself, `run(spark, settings, **options)` (imports the job module)."""
        module, _, func = self.target.partition(":")
        return getattr(importlib.import_module(module), func)

    def doc(self) -> str:
        """The job module's docstring (imports the job module)."""
        return (importlib.import_module(self.module).__doc__ or "").strip()


JOBS: tuple[JobSpec, ...] = (
    JobSpec(
        "ingest_reference", "Nạp danh mục đơn vị hành chính vào bronze / Reference lists to bronze",
        "jobs.ingest_reference:run",
        reads_files={"reference": (C.REF_OLD_DISTRICTS, C.REF_OLD_COMMUNES, C.REF_NEW_COMMUNES,
                                   C.REF_COMMUNE_CONVERSION)},
        writes=(C.REF_OLD_DISTRICTS, C.REF_OLD_COMMUNES, C.REF_NEW_COMMUNES, C.REF_COMMUNE_CONVERSION),
    ),
    JobSpec(
        "ingest_landing", "Nạp vùng tiếp nhận (lô quét, bảng kê, mục lục) vào bronze / Landing zone to bronze",
        "jobs.ingest_landing:run",
        # folder layout: lake.domain.ingest.landing.classify
        reads_files={
            "landing/batches/*": (*_EVERY_FILE, C.SCAN_PAGES, C.PDF_SIGNATURES, C.BATCH_MANIFESTS, C.QC_LOGS),
            "landing/inventories": (*_EVERY_FILE, C.INVENTORY_RECORDS, C.INVENTORY_DOCUMENTS),
            "landing/handover": (*_EVERY_FILE, C.HANDOVER_REPORTS),
            "landing/registry": (*_EVERY_FILE, C.AGENCY_REGISTER),
        },
        reads=(C.LANDING_FILES, C.QUARANTINE, C.BATCH_MANIFESTS),
        writes=(C.RAW_CONTENTS, C.SCAN_PAGES, C.PDF_SIGNATURES, C.BATCH_MANIFESTS, C.QC_LOGS, C.INVENTORY_RECORDS,
                C.INVENTORY_DOCUMENTS, C.HANDOVER_REPORTS, C.AGENCY_REGISTER, C.QUARANTINE, C.LANDING_FILES),
    ),
    JobSpec(
        "ocr_pages", "Nhận dạng chữ (OCR) các trang quét / OCR of the scanned pages", "jobs.ocr_pages:run",
        reads=(C.SCAN_PAGES, C.RAW_CONTENTS, C.LANDING_FILES, C.QUARANTINE, C.OCR_PAGES, C.OCR_QC_QUEUE,
               C.ACCESS_COPIES),
        writes=(C.OCR_PAGES, C.OCR_QC_QUEUE, C.ACCESS_COPIES, C.QUARANTINE),
    ),
    JobSpec(
        "silver_reference", "Chuẩn hóa đơn vị hành chính và cơ quan / Localities and agencies to silver",
        "jobs.silver_reference:run",
        reads=(C.REF_OLD_DISTRICTS, C.REF_OLD_COMMUNES, C.REF_NEW_COMMUNES, C.REF_COMMUNE_CONVERSION,
               C.AGENCY_REGISTER, C.HANDOVER_REPORTS, C.INVENTORY_RECORDS, C.LANDING_FILES),
        writes=(C.SILVER_LOCALITIES, C.SILVER_LOCALITY_MAPPING, C.SILVER_AGENCIES),
    ),
    JobSpec(
        "silver_documents",
        "Dựng hồ sơ, văn bản, trang và kiểm tra chất lượng / Records, documents, pages, QC issues to silver",
        "jobs.silver_documents:run",
        reads=(C.INVENTORY_RECORDS, C.INVENTORY_DOCUMENTS, C.LANDING_FILES, C.OCR_PAGES, C.SILVER_AGENCIES,
               C.SILVER_LOCALITIES),
        writes=(C.SILVER_RECORDS, C.SILVER_DOCUMENTS, C.SILVER_DOCUMENT_PAGES, C.SILVER_RESTRICTED_DOCUMENTS,
                C.SILVER_QC_ISSUES),
    ),
    JobSpec(
        "publish_gold", "Công bố các bảng gold dạng Iceberg / Gold marts published as Iceberg tables",
        "jobs.publish_gold:run",
        reads_other=("gold.*",), writes_other=("iceberg.gold.*",),
    ),
    JobSpec(
        "index_search", "Cập nhật chỉ mục tìm kiếm và nhật ký xem / Search index and view log from gold",
        "jobs.index_search:run",
        reads=(C.SILVER_DOCUMENTS, C.SILVER_RESTRICTED_DOCUMENTS, C.ACCESS_COPIES), reads_other=("gold.*",),
        writes=(C.DOCUMENT_VIEWS,), writes_other=("opensearch.documents",), always_runs=True,
    ),
)

# dbt is run by `lakehouse transform` (lake.apps.transform), not by a Spark job function; its pipeline in the
# catalog carries this title
DBT_PIPELINE = "dbt_build"
DBT_TITLE = "Mô hình dbt tầng gold (dbt seed + build) / Gold dbt models (dbt seed + build)"

# the CLI commands that run jobs, in order (`lakehouse demo` runs ingest, ocr and silver)
COMMANDS: dict[str, tuple[str, ...]] = {
    "ingest": ("ingest_reference", "ingest_landing"),
    "ocr": ("ocr_pages",),
    "silver": ("silver_reference", "silver_documents"),
    "publish": ("publish_gold",),
    "index": ("index_search",),
}
DEMO_COMMANDS = ("ingest", "ocr", "silver")


def get(name: str) -> JobSpec:
    """The job named `name`; KeyError listing the known jobs otherwise."""
    for job in JOBS:
        if job.name == name:
            return job
    raise KeyError(f"no job named {name!r}; known: {[j.name for j in JOBS]}")


def command_jobs(*commands: str) -> list[JobSpec]:
    """The jobs a CLI command runs (`COMMANDS`), in order, for each of `commands` in turn."""
    return [get(name) for cmd in commands for name in COMMANDS[cmd]]
