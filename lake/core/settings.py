"""All settings in one place, read from environment variables with defaults that work in a checkout.

Every process of the project (CLI, jobs, tests, the Thrift server, dbt) derives its paths and ports from
`Settings.from_env()`. Nothing here holds a secret: passwords are read from the environment or generated
into the git-ignored lake root on first use (see `lake.core.secrets`).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
#: seconds of OCR per page before the page is given up (LAKEHOUSE_OCR_PAGE_TIMEOUT): jobs, the engine, batches
OCR_PAGE_TIMEOUT_S = 120.0


class SettingsError(RuntimeError):
    """A setting is missing or wrong; the message names the environment variable to set."""


def _env(name: str, default: str) -> str:
    value = os.environ.get(name, "").strip()
    return value or default


def _env_parsed(name: str, default, parse, what: str):
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        return parse(raw)
    except ValueError as exc:
        raise SettingsError(f"{name} must be {what}, got {raw!r}") from exc


def _env_float(name: str, default: float) -> float:
    return _env_parsed(name, default, float, "a number")


def _env_int(name: str, default: int) -> int:
    return _env_parsed(name, default, int, "an integer")


@dataclass(frozen=True)
class FileLimits:
    """Bounds on one delivered file (LAKEHOUSE_MAX_FILE_BYTES / _MAX_FILE_PAGES / _MAX_PAGE_PIXELS).

    Ingest quarantines a file over any of them (bytes from the listing, before anything is read; pages and
    pixels from the headers, before any pixel is decoded); OCR decodes with the same pixel bound, so a
    page ingest accepted is never refused by OCR for its size."""

    max_file_bytes: int = 512 * 1024 * 1024
    max_file_pages: int = 5000
    max_page_pixels: int = 80_000_000


@dataclass(frozen=True)
class Settings:
    """Every setting of a process: created once by its entry point (`Settings.from_env()`) and passed to every
    function that needs one; the paths under the lake root are properties. Holds no secret."""

    lake_root: Path
    reference_dir_setting: str | None
    jar_cache: Path
    spark_master: str
    bind_host: str
    pg_port: int
    pg_user: str
    pg_database: str
    thrift_port: int
    superset_port: int
    catalog_port: int
    driver_memory: str
    search_port: int = 9200
    search_transport_port: int = 9300
    search_heap: str = "512m"
    reading_room_port: int = 8090
    ldap_port: int = 10389
    ldap_base_dn: str = "dc=lakehouse,dc=hanoi,dc=vn"
    redis_port: int = 6380  # Superset's results cache (lake/platform/results_cache.py)
    # tools, virtualenvs and tuning: read here like every other setting, passed to whoever needs them
    ocr_page_timeout: float = OCR_PAGE_TIMEOUT_S
    dbt_target: str | None = None  # session (default) or thrift
    sql_user: str = ""  # who a command-line tool or notebook logs in to the SQL endpoint as
    superset_workers: int = 2
    delta_snapshot_partitions: int = 4
    pg_bindir: str | None = None  # PostgreSQL server binaries (default: the newest /usr/lib/postgresql/*/bin)
    pg_jdbc_jar_setting: str | None = None
    opensearch_home_setting: str | None = None
    search_java_home: str | None = None
    superset_venv: Path = PROJECT_ROOT / ".venvs" / "superset"
    reading_room_venv: Path = PROJECT_ROOT / ".venvs" / "reading-room"
    viewer_root: Path = PROJECT_ROOT / ".cache" / "viewer"
    max_file_bytes: int = 512 * 1024 * 1024
    max_file_pages: int = 5000
    max_page_pixels: int = 80_000_000
    # the lake-wide job lock (lake.core.lake_lock): seconds a job waits for the running one, 0 = refuse at once
    job_lock_wait_s: int = 0
    # OCR commits every this many pages (one micro-batch: its tables written, then the next)
    ocr_pages_per_batch: int = 500
    # ingest commits every this many delivered files (its bronze tables written, then the next files read)
    ingest_files_per_batch: int = 1000
    # OpenLineage run events: HTTP endpoint (e.g. OpenMetadata's), else a JSON-lines file in logs/
    openlineage_url: str = ""
    # Tesseract: language and page-segmentation mode (part of the OCR configuration id), tessdata folder
    ocr_lang: str = "vie"  # LAKEHOUSE_OCR_LANG
    ocr_psm: int = 3  # LAKEHOUSE_OCR_PSM
    tessdata: str | None = None  # TESSDATA_PREFIX (Tesseract's own name); default: the Debian tessdata folder
    # `lakehouse catalog push`: the OpenMetadata API (OPENMETADATA_HOST_PORT, the name OpenMetadata's tools use)
    openmetadata_server: str = ""

    @classmethod
    def from_env(cls) -> Settings:
        """Read every setting from the environment (defaults that work in a checkout); SettingsError
        naming the variable when a value cannot be parsed."""
        lake_root = Path(_env("LAKEHOUSE_ROOT", str(PROJECT_ROOT / "lake_data"))).resolve()
        return cls(
            lake_root=lake_root,
            reference_dir_setting=os.environ.get("LAKEHOUSE_REFERENCE_DIR") or None,
            jar_cache=Path(_env("LAKEHOUSE_JAR_CACHE", str(PROJECT_ROOT / ".cache" / "jars"))).resolve(),
            spark_master=_env("LAKEHOUSE_SPARK_MASTER", "local[*]"),
            bind_host=_env("LAKEHOUSE_BIND_HOST", "127.0.0.1"),
            pg_port=_env_int("LAKEHOUSE_PG_PORT", 55432),
            pg_user=_env("LAKEHOUSE_PG_USER", "lakehouse"),
            pg_database=_env("LAKEHOUSE_PG_DATABASE", "metastore"),
            thrift_port=_env_int("LAKEHOUSE_THRIFT_PORT", 10000),
            superset_port=_env_int("LAKEHOUSE_SUPERSET_PORT", 8088),
            catalog_port=_env_int("LAKEHOUSE_CATALOG_PORT", 8080),
            driver_memory=_env("LAKEHOUSE_DRIVER_MEMORY", "4g"),
            search_port=_env_int("LAKEHOUSE_SEARCH_PORT", 9200),
            search_transport_port=_env_int("LAKEHOUSE_SEARCH_TRANSPORT_PORT", 9300),
            search_heap=_env("LAKEHOUSE_SEARCH_HEAP", "512m"),
            reading_room_port=_env_int("LAKEHOUSE_READING_ROOM_PORT", 8090),
            ldap_port=_env_int("LAKEHOUSE_LDAP_PORT", 10389),
            ldap_base_dn=_env("LAKEHOUSE_LDAP_BASE_DN", "dc=lakehouse,dc=hanoi,dc=vn"),
            redis_port=_env_int("LAKEHOUSE_REDIS_PORT", 6380),
            ocr_page_timeout=_env_float("LAKEHOUSE_OCR_PAGE_TIMEOUT", OCR_PAGE_TIMEOUT_S),
            dbt_target=os.environ.get("LAKEHOUSE_DBT_TARGET") or None,
            sql_user=_env("LAKEHOUSE_SQL_USER", ""),
            superset_workers=_env_int("LAKEHOUSE_SUPERSET_WORKERS", 2),
            delta_snapshot_partitions=_env_int("LAKEHOUSE_DELTA_SNAPSHOT_PARTITIONS", 4),
            pg_bindir=os.environ.get("LAKEHOUSE_PG_BINDIR") or None,
            pg_jdbc_jar_setting=os.environ.get("LAKEHOUSE_PG_JDBC_JAR") or None,
            opensearch_home_setting=os.environ.get("LAKEHOUSE_OPENSEARCH_HOME") or None,
            search_java_home=os.environ.get("LAKEHOUSE_SEARCH_JAVA_HOME") or None,
            superset_venv=Path(_env("LAKEHOUSE_SUPERSET_VENV", str(PROJECT_ROOT / ".venvs" / "superset"))),
            reading_room_venv=Path(_env("LAKEHOUSE_READING_ROOM_VENV", str(PROJECT_ROOT / ".venvs" / "reading-room"))),
            viewer_root=Path(_env("LAKEHOUSE_VIEWER_DIR", str(PROJECT_ROOT / ".cache" / "viewer"))),
            max_file_bytes=_env_int("LAKEHOUSE_MAX_FILE_BYTES", 512 * 1024 * 1024),
            max_file_pages=_env_int("LAKEHOUSE_MAX_FILE_PAGES", 5000),
            max_page_pixels=_env_int("LAKEHOUSE_MAX_PAGE_PIXELS", 80_000_000),
            job_lock_wait_s=_env_int("LAKEHOUSE_JOB_LOCK_WAIT_S", 0),
            ocr_pages_per_batch=max(1, _env_int("LAKEHOUSE_OCR_PAGES_PER_BATCH", 500)),
            ingest_files_per_batch=max(1, _env_int("LAKEHOUSE_INGEST_FILES_PER_BATCH", 1000)),
            openlineage_url=os.environ.get("LAKEHOUSE_OPENLINEAGE_URL", ""),
            ocr_lang=_env("LAKEHOUSE_OCR_LANG", "vie"),
            ocr_psm=_env_int("LAKEHOUSE_OCR_PSM", 3),
            tessdata=os.environ.get("TESSDATA_PREFIX") or None,
            openmetadata_server=_env("OPENMETADATA_HOST_PORT", ""),
        )

    @property
    def dbt_target_dir(self) -> Path:
        """dbt's target folder (manifest, catalog, the docs site): `<lake root>/dbt/target`."""
        return self.lake_root / "dbt" / "target"

    @property
    def dbt_state_path(self) -> Path:
        """What the last successful gold build saw (lake.apps.build_state): `<lake root>/dbt/state/last_build.json`."""
        return self.lake_root / "dbt" / "state" / "last_build.json"

    @property
    def limits(self) -> FileLimits:
        """Bytes per file, pages per file, pixels per page: the same numbers at ingest and at OCR."""
        return FileLimits(self.max_file_bytes, self.max_file_pages, self.max_page_pixels)

    # --- reference data -------------------------------------------------------------------------
    @property
    def reference_dir(self) -> Path:
        """Official locality lists; read from LAKEHOUSE_REFERENCE_DIR or ../shared/reference/hanoi."""
        if self.reference_dir_setting:
            path = Path(self.reference_dir_setting).expanduser().resolve()
            if not path.is_dir():
                raise SettingsError(
                    f"LAKEHOUSE_REFERENCE_DIR={self.reference_dir_setting!r} is not a directory; point it "
                    "at the folder holding old_districts_2025-01-04.csv and the other reference lists"
                )
            return path
        default = (PROJECT_ROOT.parent / "shared" / "reference" / "hanoi").resolve()
        if default.is_dir():
            return default
        raise SettingsError(
            "the reference directory was not found: set LAKEHOUSE_REFERENCE_DIR to the folder holding "
            f"the Hà Nội locality lists (looked for the default {default})"
        )

    # --- layout under the lake root -------------------------------------------------------------
    @property
    def landing_dir(self) -> Path:
        """Where deliveries arrive (`<lake root>/landing`; see README, "Landing zone")."""
        return self.lake_root / "landing"

    @property
    def ground_truth_dir(self) -> Path:
        """Evaluation-only answers written by the sample generator; the pipeline never reads them."""
        return self.lake_root / "ground_truth"

    @property
    def raw_store(self) -> Path:
        """Content-addressed copies of every delivered file (`<lake root>/raw/<sha256 prefix>/...`)."""
        return self.lake_root / "raw"

    @property
    def access_dir(self) -> Path:
        """Searchable PDF access copies (bronze zone: pipeline only)."""
        return self.lake_root / "access"

    @property
    def restricted_dir(self) -> Path:
        """The restricted zone: tables and files of classified / personal-data documents (see lake.core.zones)."""
        return self.lake_root / "restricted"

    @property
    def iceberg_dir(self) -> Path:
        """Iceberg warehouse of the published marts (shared zone)."""
        return self.lake_root / "iceberg"

    @property
    def dbt_dir(self) -> Path:
        """dbt artifacts: target/ (docs, served by the catalog site) and logs/."""
        return self.lake_root / "dbt"

    @property
    def warehouse_dir(self) -> Path:
        """The tables of every zone but the restricted one (`<lake root>/warehouse/<layer>/<table>`)."""
        return self.lake_root / "warehouse"

    @property
    def conf_dir(self) -> Path:
        """Generated SPARK_CONF_DIR (spark-defaults.conf, hive-site.xml) shared by every Spark process."""
        return self.lake_root / "conf"

    @property
    def run_dir(self) -> Path:
        """Pid files and the job lock (`<lake root>/run`)."""
        return self.lake_root / "run"

    @property
    def openlineage_file(self) -> Path:
        """Where the run events go when no LAKEHOUSE_OPENLINEAGE_URL is set (one JSON event per line)."""
        return self.log_dir / "openlineage" / "events.jsonl"

    @property
    def log_dir(self) -> Path:
        """Logs of services and jobs (`<lake root>/logs`)."""
        return self.lake_root / "logs"

    @property
    def pg_data_dir(self) -> Path:
        """The metastore Postgres cluster's data directory."""
        return self.lake_root / "postgres" / "data"

    @property
    def secrets_dir(self) -> Path:
        """Generated secrets, one 0600 file each (`<lake root>/secrets`)."""
        return self.lake_root / "secrets"

    @property
    def spark_local_dir(self) -> Path:
        """Spark's local scratch directory (shuffle and spill files)."""
        return self.lake_root / "tmp" / "spark"

    @property
    def sql_endpoint_dir(self) -> Path:
        """The SQL endpoint's own folder (conf/ root-owned, work/ its service account's)."""
        return self.lake_root / "sql"

    @property
    def scratch_dirs(self) -> tuple[Path, ...]:
        """Spark's scratch places: they hold copies of the (public) jars with their 0644, below 0700/0750
        parents no other account can pass."""
        return (self.spark_local_dir, self.sql_endpoint_dir / "work" / "tmp")

    @property
    def search_dir(self) -> Path:
        """The search engine's own folder (conf, index data, logs), owned by its service account."""
        return self.lake_root / "search"

    def table_location(self, layer: str, name: str, zone: str = "") -> Path:
        """Where a table's files live: `warehouse/<layer>/<name>`, or under the restricted zone's own
        warehouse for a table whose contract says zone="restricted"."""
        if zone == "restricted":
            return self.restricted_dir / "warehouse" / layer / name
        return self.warehouse_dir / layer / name


def get_settings() -> Settings:
    """The settings of this process, for its entry point only (a CLI's or job's `main`, a service's start): it
    creates them once and passes them to every function, none of which reads the environment itself."""
    return Settings.from_env()
