"""Storage zones on disk: bronze and the restricted zone are closed to every other OS user (the shared SQL
endpoint's account included), gold is open to the shared group, nothing under the lake root is world-readable."""

from __future__ import annotations

import dataclasses
import os
import stat

import pytest

from lake.core import contracts as C
from lake.core import os_accounts, zones
from tests.security.zone_probe import files_under, readable_as

root_only = pytest.mark.skipif(os.geteuid() != 0, reason="switching OS users needs root")


def _group_exists(name: str) -> bool:
    import grp

    try:
        grp.getgrnam(name)
    except KeyError:
        return False
    return True


# --- without Spark ---------------------------------------------------------------------------------
def test_layout_modes_and_groups(tmp_path):
    from lake.core.settings import Settings

    settings = dataclasses.replace(Settings.from_env(), lake_root=tmp_path / "lake")
    old = os.umask(zones.UMASK)
    try:
        zones.ensure_zones(settings)
    finally:
        os.umask(old)
    assert stat.S_IMODE(settings.lake_root.stat().st_mode) == zones.ROOT_MODE
    for zd in zones.layout(settings):
        mode = stat.S_IMODE(zd.path.stat().st_mode)
        assert not mode & 0o007, zd
        if zd.zone == "pipeline":
            # a zone whose group does not exist yet (no service accounts on this machine) stays owner-only
            assert mode == (0o2750 if zd.group is not None and _group_exists(zd.group) else 0o700), zd
    if os.geteuid() == 0:
        import grp

        # as root the first ensure_zones made the zone groups itself: the lake is shared right from its first
        # write, before any service (and its accounts) was ever started
        assert _group_exists("lakehouse-shared") and _group_exists("lakehouse-restricted")
        assert grp.getgrgid((settings.warehouse_dir / "gold").stat().st_gid).gr_name == "lakehouse-shared"
        os_accounts.ensure_service_accounts()
        zones.ensure_zones(settings)
        assert grp.getgrgid((settings.warehouse_dir / "gold").stat().st_gid).gr_name == "lakehouse-shared"
        assert grp.getgrgid(settings.restricted_dir.stat().st_gid).gr_name == "lakehouse-restricted"
        assert stat.S_IMODE(settings.restricted_dir.stat().st_mode) == 0o2750


def test_folders_made_to_reach_a_new_lake_root_are_traversable_not_listable(tmp_path):
    from lake.core.settings import Settings

    settings = dataclasses.replace(Settings.from_env(), lake_root=tmp_path / "new" / "place" / "lake")
    old = os.umask(zones.UMASK)
    try:
        zones.ensure_zones(settings)
    finally:
        os.umask(old)
    for p in (tmp_path / "new", tmp_path / "new" / "place", settings.lake_root):
        assert stat.S_IMODE(p.stat().st_mode) == zones.ROOT_MODE, p


def test_restricted_table_lives_in_the_restricted_zone(tmp_path):
    from lake.core.settings import Settings

    settings = dataclasses.replace(Settings.from_env(), lake_root=tmp_path)
    assert C.SILVER_RESTRICTED_DOCUMENTS.zone == "restricted"
    assert C.SILVER_RESTRICTED_DOCUMENTS.location(settings).is_relative_to(settings.restricted_dir)
    assert C.get_contract("silver.documents").location(settings) == settings.warehouse_dir / "silver" / "documents"
    assert {t.zone for t in C.tables("bronze")} == {"pipeline"}
    assert C.RESTRICTED_ACCESS_LOG.zone == "pipeline"


def test_hadoop_is_told_the_umask():
    from lake.core.settings import get_settings
    from lake.platform.runtime import spark_defaults

    try:
        conf = spark_defaults(get_settings())
    except Exception as exc:  # jars missing on a bare checkout
        pytest.skip(str(exc))
    assert conf["spark.hadoop.fs.permissions.umask-mode"] == "027"


def test_repair_takes_world_bits_off_what_an_older_version_wrote(tmp_path):
    from lake.core.settings import Settings

    settings = dataclasses.replace(Settings.from_env(), lake_root=tmp_path / "lake")
    zones.ensure_zones(settings)
    old = settings.warehouse_dir / "gold" / "t" / "part-0.parquet"
    old.parent.mkdir(parents=True)
    old.write_bytes(b"x")
    os.chmod(old, 0o644)
    os.chmod(old.parent, 0o755)
    assert zones.world_accessible(settings.lake_root)
    assert zones.repair(settings) > 0
    assert zones.world_accessible(settings.lake_root) == []


# --- after the pipeline ran on the session sample ------------------------------------------------------
@pytest.fixture(scope="module")
def lake(gold, lake_env):
    assert gold.ok, "the gold fixture's dbt build failed"
    os_accounts.ensure_service_accounts()
    return lake_env


def _closed_zones(settings):
    w = settings.warehouse_dir
    return [settings.landing_dir, settings.raw_store, settings.access_dir, w / "bronze", w / "ops",
            settings.restricted_dir, settings.ground_truth_dir, settings.secrets_dir]


@pytest.mark.spark
@pytest.mark.services
def test_nothing_under_the_lake_root_is_world_accessible(lake):
    # no "other" bit on anything the lake writes; Spark's scratch places (the jobs' and the SQL endpoint's) hold
    # copies of the (public) jars with their 0644, but below folders no other account can pass
    assert zones.world_accessible(lake.lake_root, skip=lake.scratch_dirs) == []
    assert zones.reachable_by_others(lake.lake_root) == []


@pytest.mark.spark
@pytest.mark.services
@root_only
@pytest.mark.parametrize("user", ["nobody", os_accounts.SQL_USER, os_accounts.WEB_USER])
def test_bronze_and_restricted_files_unreadable_by_other_users(lake, user):
    files = files_under(*_closed_zones(lake))
    restricted = files_under(C.SILVER_RESTRICTED_DOCUMENTS.location(lake))
    # the attack of the issue: the classified rows, the access copy PDF, the original scans, bronze OCR text
    assert any(p.suffix == ".parquet" for p in restricted), "no restricted rows written: nothing was tested"
    assert any(p.suffix == ".pdf" for p in files_under(lake.access_dir))
    assert any(p.suffix.lower() in (".tif", ".tiff", ".jpg", ".jpeg", ".pdf") for p in files_under(lake.landing_dir))
    assert files_under(C.OCR_PAGES.location(lake))
    assert readable_as(user, files) == []


@pytest.mark.spark
@pytest.mark.services
@root_only
def test_shared_zone_readable_by_the_shared_accounts_only(lake):
    gold = files_under(lake.warehouse_dir / "gold")
    silver = files_under(C.get_contract("silver.documents").location(lake),
                         C.get_contract("silver.qc_issues").location(lake))
    assert any(p.suffix == ".parquet" for p in gold)
    assert sorted(readable_as(os_accounts.SQL_USER, gold + silver)) == sorted(map(str, gold + silver))
    assert readable_as("nobody", gold + silver) == []
    # created right, not repaired afterwards: the zone's group and no world bits on what Spark/dbt wrote
    for p in gold[:50]:
        st = p.stat()
        assert st.st_mode & 0o040 and not st.st_mode & 0o007, p
