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


def test_unknown_account_is_a_clear_error():
    with pytest.raises(os_accounts.AccountError, match="does not exist"):
        os_accounts.uid_gid("lakehouse-no-such-account")
