"""Superset's web security: Talisman headers (CSP), login rate limiting, expiring sessions, and the managers'
native filters that load their values (only their locality's)."""

from __future__ import annotations

import time

import pytest
import requests

from lake.superset import AUTH_RATE_LIMIT, SESSION_HOURS

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
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline and _bad_login(superset.url) == 429:
        time.sleep(5)
    assert _bad_login(superset.url) == 401


def test_manager_filter_values_load_only_their_locality(superset, admin, lake_env):
    from lake.superset import SupersetClient, manager_password

    datasets = {d["table_name"]: d["id"] for d in admin.list_all("dataset", ["id", "table_name"])}
    path = f"/api/v1/datasource/table/{datasets['vn_tien_do']}/column/district_code/values/"
    everyone = admin.get(path)["result"]
    assert len(everyone) > 1
    code = sorted(everyone)[0]
    manager = SupersetClient.login(superset.url, f"quanly_{code}", manager_password(lake_env))
    r = manager.http.get(f"{manager.base}{path}", timeout=120)
    assert r.status_code == 200, r.text[:300]
    assert r.json()["result"] == [code]  # the RLS rule filters the dropdown too
