"""Search logic without the engine: bootstrap installs the engine version the code expects, the modules'
examples hold, request parsing refuses bad input, and the scope rules of the reading room."""

from __future__ import annotations

import doctest
import re

import pytest

from lake.apps.search import auth, indexer, mapping, query
from lake.apps.search.auth import Principal
from lake.apps.search.query import QueryError, SearchRequest, build_body
from lake.core.settings import PROJECT_ROOT
from lake.platform import search_security
from lake.platform.search_engine import OPENSEARCH_VERSION, SECURITY_PLUGIN_VERSION


def test_bootstrap_installs_the_engine_version_the_code_runs():
    text = (PROJECT_ROOT / "scripts" / "bootstrap.sh").read_text(encoding="utf-8")
    assert re.search(r"^OPENSEARCH_VERSION=(\S+)$", text, re.M).group(1) == OPENSEARCH_VERSION
    assert re.search(r"^SECURITY_PLUGIN_VERSION=(\S+)$", text, re.M).group(1) == SECURITY_PLUGIN_VERSION
    assert SECURITY_PLUGIN_VERSION.startswith(OPENSEARCH_VERSION + ".")  # the plugin is built for one engine version


def test_the_reading_rooms_search_account_may_only_read_the_shared_index():
    import yaml

    files = search_security.security_files({name: f"hash-of-{name}" for name in search_security.ACCOUNTS})
    roles = yaml.safe_load(files["roles.yml"])
    mapping_ = yaml.safe_load(files["roles_mapping.yml"])
    reader_roles = [role for role, m in mapping_.items() if role != "_meta" and search_security.READER in m["users"]]
    assert reader_roles == ["lakehouse_reader"]
    grants = roles["lakehouse_reader"]["index_permissions"]
    assert grants == [{"index_patterns": [mapping.INDEX_NAME], "allowed_actions": ["read"]}]
    assert roles["lakehouse_reader"]["cluster_permissions"] == ["cluster_composite_ops_ro"]
    users = yaml.safe_load(files["internal_users.yml"])
    assert {name: u["hash"] for name, u in users.items() if name != "_meta"} == {
        name: f"hash-of-{name}" for name in search_security.ACCOUNTS}
    config = yaml.safe_load(files["config.yml"])["config"]["dynamic"]
    assert config["http"]["anonymous_auth_enabled"] is False
    assert [d["authentication_backend"]["type"] for d in config["authc"].values()] == ["intern"]


def test_passwords_reach_the_engine_only_as_bcrypt_hashes():
    import bcrypt

    hashed = search_security.hash_password("mật khẩu thử")
    assert hashed.startswith("$2b$12$") and "mật" not in hashed
    assert bcrypt.checkpw("mật khẩu thử".encode(), hashed.encode())
    assert not bcrypt.checkpw(b"mat khau thu", hashed.encode())


@pytest.mark.parametrize("module", [mapping, query, indexer, auth, search_security])
def test_module_examples(module):
    result = doctest.testmod(module)
    assert result.attempted and not result.failed


def test_old_style_tone_marks_map_to_the_new_style():
    pairs = dict(mapping.OLD_STYLE_TONES)
    assert pairs["oà"] == "òa" and pairs["uỷ"] == "ủy" and pairs["Oá"] == "Óa"
    assert all(mapping.fold(old) == mapping.fold(new) for old, new in pairs.items())


@pytest.mark.parametrize("params, message", [
    ({"q": "x" * 501}, "quá dài"), ({"year": "hai nghìn"}, "Năm"), ({"date_from": "05/06/2025"}, "YYYY-MM-DD"),
    ({"page": "abc"}, "Số trang"), ({"page": "2000"}, "10.000"), ({"sort": "random"}, "sắp xếp"),
    ({"colour": "red"}, "Bộ lọc"),
])
def test_bad_requests_are_refused_in_vietnamese(params, message):
    with pytest.raises(QueryError, match=message):
        SearchRequest.parse(**params)


def test_scope_is_a_filter_on_every_query():
    body = build_body(SearchRequest.parse(q="quyết định"), ["001", "002"])
    assert {"terms": {"district_code": ["001", "002"]}} in body["query"]["bool"]["filter"]
    assert "terms" not in str(build_body(SearchRequest.parse(q="quyết định"), None)["query"]["bool"]["filter"])


def test_who_may_read_what():
    assert Principal("a", ("admin",)).scope_districts is None
    assert Principal("m", ("quanly_001", "quanly_018")).scope_districts == ["001", "018"]
    assert not Principal("p", ("pipeline",)).may_read and not Principal("n", ()).may_read
