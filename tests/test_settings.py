from pathlib import Path

import pytest

from lake.core.settings import PROJECT_ROOT, Settings, SettingsError


def test_defaults_point_inside_the_checkout(monkeypatch):
    for var in ("LAKEHOUSE_ROOT", "LAKEHOUSE_PG_PORT", "LAKEHOUSE_THRIFT_PORT", "LAKEHOUSE_BIND_HOST"):
        monkeypatch.delenv(var, raising=False)
    s = Settings.from_env()
    assert s.lake_root == PROJECT_ROOT / "lake_data"
    assert s.bind_host == "127.0.0.1"
    assert s.pg_port != 5432  # never the system cluster's port
    assert s.conf_dir.parent == s.lake_root


def test_lake_root_and_ports_from_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("LAKEHOUSE_ROOT", str(tmp_path))
    monkeypatch.setenv("LAKEHOUSE_THRIFT_PORT", "10123")
    s = Settings.from_env()
    assert s.lake_root == tmp_path.resolve()
    assert s.thrift_port == 10123
    assert s.table_location("bronze", "scan_pages") == tmp_path.resolve() / "warehouse" / "bronze" / "scan_pages"


def test_bad_port_names_the_variable(monkeypatch):
    monkeypatch.setenv("LAKEHOUSE_PG_PORT", "five")
    with pytest.raises(SettingsError, match="LAKEHOUSE_PG_PORT"):
        Settings.from_env()


def test_missing_reference_dir_names_the_variable(monkeypatch, tmp_path):
    monkeypatch.setenv("LAKEHOUSE_REFERENCE_DIR", str(tmp_path / "nowhere"))
    with pytest.raises(SettingsError, match="LAKEHOUSE_REFERENCE_DIR"):
        _ = Settings.from_env().reference_dir


def test_reference_dir_default_is_the_shared_folder(monkeypatch):
    monkeypatch.delenv("LAKEHOUSE_REFERENCE_DIR", raising=False)
    ref = Settings.from_env().reference_dir
    assert ref == (PROJECT_ROOT.parent / "shared" / "reference" / "hanoi").resolve()
    assert (ref / "old_districts_2025-01-04.csv").is_file()
    # the reference lists are read from there, never copied into the repository
    assert not list(Path(PROJECT_ROOT).glob("**/old_districts_2025-01-04.csv"))
