"""The OS accounts services run as: created idempotently as root, in the groups that open their zones."""

from __future__ import annotations

import doctest
import grp
import os

import pytest

from lake.core import os_accounts


def test_doctests():
    assert doctest.testmod(os_accounts).failed == 0


@pytest.mark.skipif(os.geteuid() != 0, reason="creating system accounts needs root")
def test_service_accounts_created_twice_without_error():
    os_accounts.ensure_service_accounts()
    os_accounts.ensure_service_accounts()
    for user, groups in os_accounts.SERVICE_ACCOUNTS.items():
        uid, _ = os_accounts.uid_gid(user)
        assert uid != 0
        for g in groups:
            assert user in grp.getgrnam(g).gr_mem
    assert os_accounts.group_exists(os_accounts.RESTRICTED_GROUP)
    # no service account may read the restricted zone by group membership
    assert not any(u in grp.getgrnam(os_accounts.RESTRICTED_GROUP).gr_mem for u in os_accounts.SERVICE_ACCOUNTS)


def test_an_account_whose_group_the_zones_made_first_joins_that_group(monkeypatch):
    """A lake written before the first `services up` (zones as root made the group `lakehouse-sql`): useradd
    --user-group would refuse ("group lakehouse-sql exists"), so the existing group becomes the primary one."""
    ran = []
    monkeypatch.setattr(os_accounts, "is_root", lambda: True)
    monkeypatch.setattr(os_accounts, "user_exists", lambda name: False)
    monkeypatch.setattr(os_accounts, "group_exists", lambda name: name == "lakehouse-sql")
    monkeypatch.setattr(os_accounts, "_run", ran.append)
    monkeypatch.setattr(os_accounts.grp, "getgrall", lambda: [])
    os_accounts.ensure_user("lakehouse-sql")
    os_accounts.ensure_user("lakehouse-web")
    sql, web = (cmd for cmd in ran if cmd[0] == "useradd")
    assert sql[sql.index("--gid") + 1] == "lakehouse-sql" and "--user-group" not in sql
    assert "--user-group" in web and "--gid" not in web


def test_unknown_account_is_a_clear_error():
    with pytest.raises(os_accounts.AccountError, match="does not exist"):
        os_accounts.uid_gid("lakehouse-no-such-account")
