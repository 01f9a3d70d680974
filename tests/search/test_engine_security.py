"""The search engine authenticates every request (OpenSearch security plugin, `lake.platform.search_security`),
against the real engine of the session: anonymous callers and wrong passwords get 401, the reading room's account
reads but cannot write or delete (403), nobody reaches the plugin's own index, the engine is served over TLS only
and verified against the lake's CA, the secrets are owner-only, and no password is on a command line, in a
process's environment that should not hold it, or in a log."""

from __future__ import annotations

import base64
import json
import os
import pwd
import ssl
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from lake.apps.search.mapping import INDEX_NAME
from lake.core.os_accounts import SEARCH_USER, is_root
from lake.platform import search_security as sec

pytestmark = [pytest.mark.services]


def call(engine, method: str, path: str, account: str | None = None, password: str | None = None,
         body: dict | None = None, context: ssl.SSLContext | None = None) -> int:
    """The HTTP status of one raw request to the engine (no client library in between)."""
    headers = {"Content-Type": "application/json"}
    if account is not None:
        headers["Authorization"] = "Basic " + base64.b64encode(f"{account}:{password}".encode()).decode()
    req = urllib.request.Request(engine.url + path, method=method, headers=headers,
                                 data=json.dumps(body).encode() if body is not None else None)
    try:
        with urllib.request.urlopen(req, timeout=30, context=context or ssl.create_default_context(
                cadata=engine.ca_pem())) as resp:
            return resp.status
    except urllib.error.HTTPError as exc:
        return exc.code


@pytest.fixture(scope="module")
def passwords(search_engine):
    return {name: sec.password(search_engine.s, name) for name in sec.ACCOUNTS}


@pytest.mark.parametrize("path", ["/", "/_cluster/health", f"/{INDEX_NAME}/_search", "/_cat/indices"])
def test_an_anonymous_request_is_refused(search_engine, path):
    assert call(search_engine, "GET", path) == 401


@pytest.mark.parametrize("account", sorted(sec.ACCOUNTS))
def test_a_wrong_or_another_accounts_password_is_refused(search_engine, passwords, account):
    who_am_i = "/_plugins/_security/authinfo"  # answers any authenticated account
    assert call(search_engine, "GET", who_am_i, account, passwords[account]) == 200
    assert call(search_engine, "GET", who_am_i, account, passwords[account] + "x") == 401
    other = next(p for name, p in passwords.items() if name != account)
    assert call(search_engine, "GET", who_am_i, account, other) == 401
    assert call(search_engine, "GET", who_am_i, "admin", "admin") == 401  # no demo account


@pytest.mark.spark
def test_the_reading_rooms_account_reads_but_cannot_write_or_delete(search_engine, passwords, indexed):
    who, pw = sec.READER, passwords[sec.READER]
    assert call(search_engine, "POST", f"/{INDEX_NAME}/_search", who, pw, {"size": 1}) == 200
    assert call(search_engine, "PUT", f"/{INDEX_NAME}/_doc/probe", who, pw, {"subject": "x"}) == 403
    client = search_engine.client()
    some = client.search(index=INDEX_NAME, body={"size": 1, "_source": False})["hits"]["hits"][0]["_id"]
    assert call(search_engine, "DELETE", f"/{INDEX_NAME}/_doc/{some}", who, pw) == 403
    assert call(search_engine, "DELETE", f"/{INDEX_NAME}", who, pw) == 403
    assert call(search_engine, "PUT", "/reader-probe", who, pw) == 403
    assert call(search_engine, "PUT", f"/{INDEX_NAME}/_settings", who, pw, {"index": {"number_of_replicas": 0}}) == 403
    assert client.exists(index=INDEX_NAME, id=some) and not client.exists(index=INDEX_NAME, id="probe")
    assert not client.indices.exists(index="reader-probe")


def test_nobody_reaches_the_security_plugins_own_index(search_engine, passwords):
    for who in sec.ACCOUNTS:
        assert call(search_engine, "DELETE", "/.opendistro_security", who, passwords[who]) == 403
        assert call(search_engine, "PUT", "/.opendistro_security/_doc/internalusers", who, passwords[who],
                    {"internalusers": "x"}) == 403
    hits = search_engine.client().search(index=".opendistro_security", body={"size": 10})["hits"]["hits"]
    assert hits == []  # not even the indexer sees the accounts' hashes


def test_the_engine_speaks_only_tls_and_is_verified_against_the_lakes_ca(search_engine, passwords):
    with pytest.raises(urllib.error.URLError) as err:  # the system's CAs do not vouch for the engine
        call(search_engine, "GET", "/", sec.INDEXER, passwords[sec.INDEXER], context=ssl.create_default_context())
    assert isinstance(err.value.reason, ssl.SSLCertVerificationError)
    plain = urllib.request.Request(f"http://{search_engine.address}/", headers={"Authorization": "Basic eA=="})
    with pytest.raises((urllib.error.URLError, ConnectionError, OSError)):
        urllib.request.urlopen(plain, timeout=10).read()


def test_the_secrets_are_owner_only(search_engine):
    s = search_engine.s
    for path in (*(s.secrets_dir / file for _env, file in sec.ACCOUNTS.values()), sec.ca_key_path(s)):
        st = path.stat()
        assert (st.st_mode & 0o777, st.st_uid) == (0o600, os.geteuid()), path
    assert s.secrets_dir.stat().st_mode & 0o077 == 0
    engine_owner = pwd.getpwnam(SEARCH_USER).pw_uid if is_root() else os.geteuid()
    tls = search_engine.tls
    for path in (tls, tls / "node-key.pem", search_engine.conf / "opensearch-security" / "internal_users.yml"):
        st = path.stat()
        assert st.st_uid == engine_owner and st.st_mode & 0o077 == 0, path
    # the CA's key never reaches the engine's account
    assert not any(b"PRIVATE KEY" in p.read_bytes() and p.name != "node-key.pem" for p in tls.iterdir())


def _processes() -> dict[int, tuple[bytes, Path]]:
    out = {}
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            try:
                out[int(proc.name)] = ((proc / "cmdline").read_bytes(), proc)
            except OSError:
                continue
    return out


@pytest.mark.spark
def test_no_password_on_a_command_line_or_in_a_log(search_engine, passwords, reading_room):
    procs = _processes()
    java = [p for p, (cmd, _) in procs.items() if b"org.opensearch.bootstrap.OpenSearch" in cmd
            and f"-Dopensearch.path.conf={search_engine.conf}".encode() in cmd]
    assert java, "the engine's JVM is among the processes searched"
    if is_root():
        assert Path(f"/proc/{java[0]}").stat().st_uid == pwd.getpwnam(SEARCH_USER).pw_uid
    leaks = [(pid, name) for pid, (cmd, _) in procs.items() for name, pw in passwords.items() if pw.encode() in cmd]
    assert leaks == []
    logs = [search_engine.log, *search_engine.logs.rglob("*.log"), reading_room.log]
    assert any(p.stat().st_size > 0 for p in logs)
    assert [(str(p), name) for p in logs for name, pw in passwords.items() if pw.encode() in p.read_bytes()] == []


@pytest.mark.spark
def test_the_reading_room_holds_only_its_own_search_account(search_engine, passwords, reading_room):
    """The environment the app was started with (what /proc shows; the app takes the values out of its own at start)
    has the read-only account's password and not the indexer's."""
    room = [proc for _pid, (cmd, proc) in _processes().items()
            if b"lake.apps.search.app" in cmd and not cmd.startswith(b"runuser")]
    assert len(room) == 1
    environ = (room[0] / "environ").read_bytes().split(b"\0")
    assert f"{sec.ACCOUNTS[sec.READER][0]}={passwords[sec.READER]}".encode() in environ
    assert not any(passwords[sec.INDEXER].encode() in var for var in environ)


def test_a_changed_password_reaches_the_engine_on_reconcile(search_engine, passwords, monkeypatch):
    """The security index keeps what it was first loaded with; `reconcile` (run by every start) puts a changed
    password's hash, and the roles, as the engine's super admin; the old password is then refused."""
    env_var = sec.ACCOUNTS[sec.READER][0]
    monkeypatch.setenv(env_var, "a-new-password-for-the-test-only")
    try:
        assert not search_engine.account_works(sec.READER)
        changed = sec.reconcile(search_engine.s, search_engine.url, search_engine.ca_pem(),
                                search_engine.account_works)
        assert f"account {sec.READER}" in changed and f"account {sec.INDEXER}" not in changed
        assert search_engine.account_works(sec.READER)
        assert call(search_engine, "GET", "/_plugins/_security/authinfo", sec.READER, passwords[sec.READER]) == 401
    finally:  # the reading room's password as it was, for the tests after this one
        monkeypatch.delenv(env_var)
        sec.reconcile(search_engine.s, search_engine.url, search_engine.ca_pem(), search_engine.account_works)
    assert search_engine.account_works(sec.READER) and search_engine.account_works(sec.INDEXER)
    assert sec.reconcile(search_engine.s, search_engine.url, search_engine.ca_pem(), search_engine.account_works) == []


def test_a_role_changed_in_the_engine_is_put_back_on_reconcile(search_engine, passwords):
    """A role widened behind the lake's back (here by the super admin itself) is narrowed again by `reconcile`."""
    ctx = sec.admin_context(search_engine.s, search_engine.ca_pem())
    widened = {"cluster_permissions": ["cluster_all"],
               "index_permissions": [{"index_patterns": ["*"], "allowed_actions": ["indices_all"]}]}
    req = urllib.request.Request(f"{search_engine.url}/_plugins/_security/api/roles/lakehouse_reader", method="PUT",
                                 data=json.dumps(widened).encode(), headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=30, context=ctx) as resp:
            assert resp.status in (200, 201)
        assert call(search_engine, "PUT", "/reader-probe", sec.READER, passwords[sec.READER]) == 200
        search_engine.client().indices.delete(index="reader-probe")
    finally:
        changed = sec.reconcile(search_engine.s, search_engine.url, search_engine.ca_pem(),
                                search_engine.account_works)
    assert changed == ["roles lakehouse_reader"]
    assert call(search_engine, "PUT", "/reader-probe", sec.READER, passwords[sec.READER]) == 403


def test_the_rest_api_of_the_security_plugin_needs_the_admin_certificate(search_engine, passwords):
    for who in sec.ACCOUNTS:
        assert call(search_engine, "GET", "/_plugins/_security/api/internalusers", who, passwords[who]) == 403
        assert call(search_engine, "PUT", f"/_plugins/_security/api/internalusers/{who}", who, passwords[who],
                    {"password": "chosen-by-an-attacker-1A!"}) == 403
