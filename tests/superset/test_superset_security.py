"""Superset's web security: Talisman headers (CSP), login rate limiting, expiring sessions, and the managers'
native filters that load their values (only their locality's)."""

from __future__ import annotations

import os
import pwd
import stat
import time

import pytest
import requests

from lake.platform.superset import AUTH_RATE_LIMIT, SESSION_HOURS
from tests.superset.conftest import person

pytestmark = [pytest.mark.spark, pytest.mark.services]


def test_talisman_headers_and_csp(superset):
    r = requests.get(f"{superset.url}/login/", timeout=60)
    assert r.status_code == 200
    csp = r.headers.get("Content-Security-Policy", "")
    assert "default-src 'self'" in csp and "object-src 'none'" in csp and "nonce-" in csp
    assert r.headers.get("X-Content-Type-Options") == "nosniff"
    assert r.headers.get("X-Frame-Options") == "SAMEORIGIN"


def test_sessions_expire(superset):
    text = superset.config_path.read_text(encoding="utf-8")
    assert f"PERMANENT_SESSION_LIFETIME = timedelta(hours={SESSION_HOURS})" in text
    assert SESSION_HOURS <= 12


def _bad_login(url: str) -> int:
    return requests.post(f"{url}/api/v1/security/login", timeout=60,
                         json={"username": "admin", "password": "sai-mat-khau", "provider": "db"}).status_code


def test_repeated_failed_logins_are_rate_limited(superset):
    per_minute = int(AUTH_RATE_LIMIT.split()[0])
    codes = [_bad_login(superset.url) for _ in range(3 * per_minute)]  # 2 workers, each with its own count
    assert 429 in codes, codes
    assert set(codes) <= {401, 429}
    # let the window pass, so the other tests of the session can log in again
    # (each gunicorn worker counts apart, per one-minute window: wait the window out, without more attempts that
    # would fill the next one, then both workers answer again)
    time.sleep(65)
    assert [_bad_login(superset.url) for _ in range(4)] == [401] * 4


def test_manager_filter_values_load_only_their_locality(superset, admin, people):
    datasets = {d["table_name"]: d["id"] for d in admin.list_all("dataset", ["id", "table_name"])}
    path = f"/api/v1/datasource/table/{datasets['vn_tien_do']}/column/district_code/values/"
    everyone = admin.get(path)["result"]
    assert len(everyone) > 1
    code = sorted(everyone)[0]
    manager = person(superset, f"quanly_{code}", people[f"quanly_{code}"])
    r = manager.http.get(f"{manager.base}{path}", timeout=120)
    assert r.status_code == 200, r.text[:300]
    assert r.json()["result"] == [code]  # the RLS rule filters the dropdown too


def _ldap_login(superset, name: str, password: str) -> int:
    return requests.post(f"{superset.url}/api/v1/security/login", timeout=60,
                         json={"username": name, "password": password, "provider": "ldap"}).status_code


def test_each_person_logs_in_with_their_own_password_only(superset, people):
    managers = sorted(n for n in people if n.startswith("quanly_"))
    assert len(managers) >= 2
    first, second = managers[:2]
    assert _ldap_login(superset, first, people[first]) == 200
    assert _ldap_login(superset, second, people[first]) == 401  # another manager's password
    assert _ldap_login(superset, first, "") in (400, 401)
    # the local automation account cannot be used with a person's password, nor a manager with the old shared one
    assert _ldap_login(superset, "admin", people[first]) == 401


def test_roles_come_from_directory_groups(superset, admin, people):
    from lake.platform.superset import READ_ROLE

    for name in ("quantri", "phantich", sorted(n for n in people if n.startswith("quanly_"))[0]):
        assert _ldap_login(superset, name, people[name]) == 200
    users = {u["username"]: u for u in admin.list_all("security/users", ["id", "username"])}
    roles = {name: {r["name"] for r in admin.get(f"/api/v1/security/users/{users[name]['id']}")["result"]["roles"]}
             for name in users if name in people}
    assert "Admin" in roles["quantri"]
    assert {"Gamma", READ_ROLE} <= roles["phantich"] and "Admin" not in roles["phantich"]
    manager = next(n for n in roles if n.startswith("quanly_"))
    assert f"Quản lý địa bàn {manager.split('_')[1]}" in roles[manager] and READ_ROLE not in roles[manager]


def test_disabled_person_cannot_log_in(superset, lake_env, people):
    from lake.platform.directory import Directory, generate_password

    d = Directory(lake_env)
    password = generate_password()
    d.add_user("kiemtra.khoa", ["analyst"], password=password, full_name="Kiểm tra Khóa")
    assert _ldap_login(superset, "kiemtra.khoa", password) == 200
    d.disable_user("kiemtra.khoa")
    assert _ldap_login(superset, "kiemtra.khoa", password) == 401


def test_superset_runs_as_the_web_account_never_root(superset):
    """gunicorn's master and every worker belong to lakehouse-web (when started as root): `ps -o user=`."""
    from lake.core.os_accounts import WEB_USER
    from tests.process_owners import expected_service_user, group_owners, ps_user

    procs = group_owners(superset.pid)  # every process of its process group but the runuser wrapper
    workers = int(os.environ.get("LAKEHOUSE_SUPERSET_WORKERS", "2"))
    assert len(procs) >= workers + 1, procs  # the master and its workers
    want = expected_service_user(WEB_USER)
    owners = {pid: ps_user(pid) for pid, _, _ in procs}
    assert set(owners.values()) == {want}, owners
    assert "root" not in owners.values()


def test_superset_home_belongs_to_the_web_account_only(superset):
    """Its home (config, data, caches) is the web account's, owner-only; the config file too."""
    from lake.core.os_accounts import WEB_USER
    from tests.process_owners import expected_service_user

    want = expected_service_user(WEB_USER)
    st = superset.home.stat()
    assert pwd.getpwuid(st.st_uid).pw_name == want and stat.S_IMODE(st.st_mode) == 0o700
    assert superset.config_path.parent == superset.home
    cst = superset.config_path.stat()
    assert pwd.getpwuid(cst.st_uid).pw_name == want and stat.S_IMODE(cst.st_mode) == 0o600
    wrong = [p for p in superset.home.rglob("*") if pwd.getpwuid(p.lstat().st_uid).pw_name != want]
    assert not wrong, wrong[:5]
