"""Shared fixtures. Spark tests run against a throw-away lake root with its own Postgres and Thrift ports,
so they never touch a demo lake on the same machine; the services they start are stopped at the end."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

# LAKEHOUSE_TEST_PORT_OFFSET lets two suites run side by side on one machine.
_OFF = int(os.environ.get("LAKEHOUSE_TEST_PORT_OFFSET", "0"))
TEST_PORTS = {"LAKEHOUSE_PG_PORT": str(55532 + _OFF), "LAKEHOUSE_THRIFT_PORT": str(10032 + _OFF),
              "LAKEHOUSE_SUPERSET_PORT": str(8132 + _OFF), "LAKEHOUSE_CATALOG_PORT": str(8232 + _OFF),
              "LAKEHOUSE_REDIS_PORT": str(6480 + _OFF), "LAKEHOUSE_LDAP_PORT": str(10489 + _OFF),
              # search engine HTTP / transport and the reading room (bases off the x32 grid of the others)
              "LAKEHOUSE_SEARCH_PORT": str(9252 + _OFF), "LAKEHOUSE_SEARCH_TRANSPORT_PORT": str(9372 + _OFF),
              "LAKEHOUSE_READING_ROOM_PORT": str(8352 + _OFF)}
# tests that run the CLI in subprocesses against a lake of their own (tests/test_pipeline_runs.py) give it
# its own metastore Postgres on this port
SECOND_LAKE_PG_PORT = 55533 + _OFF
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"


@pytest.fixture(scope="session")
def lake_env():
    """Point every setting at a fresh lake root for the whole test session.

    Not under pytest's private tmp dir: pytest resets that to 0700 whenever another session starts, and
    the `postgres` OS user must be able to reach its data directory for the whole run.
    """
    from lake.core.zones import apply_umask

    apply_umask()  # as every lake process (lake.apps.cli): jobs run inside this one
    root = Path(tempfile.mkdtemp(prefix="lakehouse-test-", dir=os.environ.get("LAKEHOUSE_TEST_TMP", "/tmp")))
    os.chmod(root, 0o711)  # lake.core.zones.ROOT_MODE: the service accounts traverse it, nobody lists it
    saved = {k: os.environ.get(k) for k in ["LAKEHOUSE_ROOT", *TEST_PORTS]}
    os.environ["LAKEHOUSE_ROOT"] = str(root)
    os.environ.update(TEST_PORTS)
    from lake.core.settings import get_settings

    settings = get_settings()
    from lake.core.zones import ensure_zones

    ensure_zones(settings)
    yield settings
    from lake.platform.services import Services
    from lake.platform.spark import stop_spark

    stop_spark()
    Services(settings).down()
    # the services' logs outlive the lake, for a failure's post-mortem (they hold no secret: tests/security)
    if (root / "logs").is_dir():
        shutil.rmtree(ARTIFACTS / "service-logs", ignore_errors=True)
        shutil.copytree(root / "logs", ARTIFACTS / "service-logs", ignore_dangling_symlinks=True)
        if (root / "postgres" / "log").is_dir():
            shutil.copytree(root / "postgres" / "log", ARTIFACTS / "service-logs" / "postgres")
    shutil.rmtree(root, ignore_errors=True)
    for k, v in saved.items():
        if v is None:
            os.environ.pop(k, None)
        else:
            os.environ[k] = v


@pytest.fixture(scope="session")
def spark(lake_env):
    from lake.platform.spark import get_spark

    return get_spark("tests", lake_env, master="local[2]")


@pytest.fixture(scope="session")
def sample_archive(lake_env):
    """A small deterministic archive in the test lake's landing zone (with its ground truth)."""
    from lake.domain.reference_lists import load_reference
    from lakehouse_sample import generate_archive

    summary = generate_archive(
        lake_env.landing_dir, lake_env.ground_truth_dir, load_reference(lake_env.reference_dir),
        seed=7, pages=40, districts=2, workers=2,
    )
    return summary


@pytest.fixture(scope="session")
def artifacts_dir():
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="session")
def gold(spark, lake_env, sample_archive):
    """The whole pipeline once per session on the 40-page sample: ingest → OCR → silver, then `dbt seed` +
    `dbt build` + `dbt docs generate` with dbt's session target, as the pipeline does (the shared Thrift
    endpoint is read-only). Gold, Superset and catalog tests share it.

    The Thrift server stays up for the rest of the session (Superset and the notebooks read through it);
    lake_env's teardown stops every service.
    """
    from lake.apps.transform import transform
    from lake.core import job_registry as registry
    from lake.core import runlog
    from lake.platform.services import Services

    for job in registry.command_jobs(*registry.DEMO_COMMANDS):
        runlog.run_job(job.name, spark, lake_env)
    Services(lake_env).up(thrift=True)
    return transform(lake_env, target="session", docs=True, echo=False)


@pytest.fixture(scope="module")
def browser(request):
    """Headless Debian Chromium through selenium, one per test module; the module's `BROWSER_WINDOW` (width,
    height) sets its window (default 1600 × 2400). Skips when chromium or chromium-driver is missing."""
    from tests.browser import chromium

    driver = chromium(*getattr(request.module, "BROWSER_WINDOW", (1600, 2400)))
    if driver is None:
        pytest.skip("Debian chromium and chromium-driver are needed (make bootstrap installs them)")
    yield driver
    driver.quit()
