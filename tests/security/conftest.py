"""Fixtures of the security tests: the directory (started once per session on the test lake root)."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def directory(lake_env):
    """slapd on the test lake, seeded; stopped by lake_env's teardown (Services.down)."""
    from lake.platform.directory import Directory, DirectoryServer

    DirectoryServer(lake_env).start()
    return Directory(lake_env)
