"""Authentication of the search engine: the OpenSearch security plugin's TLS material, accounts and roles.

Every request to the engine authenticates (HTTP basic over TLS, on 127.0.0.1 only); there is no anonymous access
and no demo account. Two internal accounts, each with its password generated once into `<lake root>/secrets/`
(0600, `lake.core.secrets`) and only its bcrypt hash given to the engine:

| account         | used by                                  | may                                            |
|-----------------|------------------------------------------|------------------------------------------------|
| `indexer`       | `lakehouse index`, the benchmark, tests  | every index (create, write, delete), cluster health |
| `reading_room`  | the reading room web app                 | search and read the shared index, nothing else |

TLS (transport, which the plugin requires, and HTTP): a private CA made with openssl at the first start. Its key
stays in `<lake root>/secrets/search_ca_key.pem` (root only); the node's certificate (SAN 127.0.0.1, localhost)
and key sit in the engine's own config folder (`<lake root>/search/conf/tls`, owner-only, the search account), since
the plugin reads them only from under its config directory. Clients verify the engine against the CA
certificate, so a program that takes the port while the engine is down learns no password.

The plugin's configuration (`conf/opensearch-security/*.yml`) is written on every start and loaded into its
security index on the first one (`plugins.security.allow_default_init_securityindex`); on every later start
`reconcile` puts the roles and mappings of this module, and the hash of any account whose password is refused, over
the REST API as the engine's super admin (a client certificate, `plugins.security.authcz.admin_dn`, key in secrets/).
No secret passes on a command line or into a log.

>>> sorted(security_files({INDEXER: "$2b$12$x", READER: "$2b$12$y"}))[:3]
['action_groups.yml', 'allowlist.yml', 'audit.yml']
>>> "anonymous_auth_enabled: false" in security_files({INDEXER: "h", READER: "h"})["config.yml"]
True
"""

from __future__ import annotations

import os
import secrets as _secrets
import ssl
import subprocess
from pathlib import Path

from lake.core.secrets import get_secret
from lake.core.settings import Settings

INDEXER = "indexer"
READER = "reading_room"
#: account -> (environment variable that may give its password, file under secrets/)
ACCOUNTS: dict[str, tuple[str, str]] = {
    INDEXER: ("LAKEHOUSE_SEARCH_INDEXER_PASSWORD", "search_indexer_password"),
    READER: ("LAKEHOUSE_SEARCH_READER_PASSWORD", "search_reader_password"),
}
#: the indices the reading room may read (lake.apps.search.mapping.INDEX_NAME; tests/search checks the two agree)
READER_INDICES = ("lakehouse-documents",)
NODE_DN = "CN=lakehouse-search-1,O=lakehouse"
ADMIN_DN = "CN=lakehouse-search-admin,O=lakehouse"
CA_DN = "/O=lakehouse/CN=lakehouse-search-ca"
TLS_DAYS = 3650


class SearchSecurityError(RuntimeError):
    pass


def password(settings: Settings, account: str) -> str:
    """The password of `account` (its environment variable, else generated once into secrets/)."""
    env_var, name = ACCOUNTS[account]
    return get_secret(settings, env_var, name, nbytes=24)


def hash_password(value: str) -> str:
    """A bcrypt hash, the form the plugin's internal users hold."""
    import bcrypt

    return bcrypt.hashpw(value.encode("utf-8"), bcrypt.gensalt(rounds=12)).decode("ascii")


def _meta(kind: str) -> str:
    return f"_meta:\n  type: {kind}\n  config_version: 2\n"


def security_files(hashes: dict[str, str]) -> dict[str, str]:
    """The plugin's configuration files (name -> YAML text), with the accounts of `hashes` (name -> bcrypt hash)."""
    readable = ", ".join(f'"{i}"' for i in READER_INDICES)
    users = "".join(
        f'{name}:\n  hash: "{hashes[name]}"\n  reserved: true\n  description: "{what}"\n'
        for name, what in ((INDEXER, "lakehouse index: writes the search indices"),
                           (READER, "reading room: reads the shared index")) if name in hashes)
    return {
        "config.yml": _meta("config") + (
            "config:\n  dynamic:\n    http:\n      anonymous_auth_enabled: false\n"
            "    authc:\n      basic_internal_auth_domain:\n        description: \"internal accounts, HTTP basic\"\n"
            "        http_enabled: true\n        transport_enabled: false\n        order: 0\n"
            "        http_authenticator:\n          type: basic\n          challenge: true\n"
            "        authentication_backend:\n          type: intern\n"),
        "internal_users.yml": _meta("internalusers") + users,
        "roles.yml": _meta("roles") + (
            "lakehouse_indexer:\n  reserved: true\n"
            "  cluster_permissions: [cluster_monitor, cluster_composite_ops]\n"
            "  index_permissions:\n    - index_patterns: [\"*\"]\n      allowed_actions: [indices_all]\n"
            "lakehouse_reader:\n  reserved: true\n"
            "  cluster_permissions: [cluster_composite_ops_ro]\n"
            f"  index_permissions:\n    - index_patterns: [{readable}]\n      allowed_actions: [read]\n"),
        "roles_mapping.yml": _meta("rolesmapping") + (
            f"lakehouse_indexer:\n  reserved: true\n  users: [{INDEXER}]\n"
            f"lakehouse_reader:\n  reserved: true\n  users: [{READER}]\n"),
        "action_groups.yml": _meta("actiongroups"),
        "tenants.yml": _meta("tenants"),
        "nodes_dn.yml": _meta("nodesdn"),
        "allowlist.yml": _meta("allowlist") + "config:\n  enabled: false\n",
        "audit.yml": _meta("audit") + "config:\n  enabled: false\n",
    }


def opensearch_settings() -> str:
    """The security plugin's lines of opensearch.yml (paths relative to the config directory, as it requires)."""
    return (
        "plugins.security.ssl.transport.pemcert_filepath: tls/node.pem\n"
        "plugins.security.ssl.transport.pemkey_filepath: tls/node-key.pem\n"
        "plugins.security.ssl.transport.pemtrustedcas_filepath: tls/ca.pem\n"
        "plugins.security.ssl.http.enabled: true\n"
        "plugins.security.ssl.http.pemcert_filepath: tls/node.pem\n"
        "plugins.security.ssl.http.pemkey_filepath: tls/node-key.pem\n"
        "plugins.security.ssl.http.pemtrustedcas_filepath: tls/ca.pem\n"
        f"plugins.security.nodes_dn: [\"{NODE_DN}\"]\n"
        f"plugins.security.authcz.admin_dn: [\"{ADMIN_DN}\"]\n"
        "plugins.security.allow_default_init_securityindex: true\n"
        "plugins.security.system_indices.enabled: true\n"
        "plugins.security.restapi.roles_enabled: []\n"
        "plugins.security.audit.type: noop\n"
    )


def ca_key_path(settings: Settings) -> Path:
    return settings.secrets_dir / "search_ca_key.pem"


def _openssl(*args: str, cwd: Path) -> None:
    proc = subprocess.run(["openssl", *args], cwd=cwd, capture_output=True, text=True, umask=0o077, check=False)
    if proc.returncode != 0:
        raise SearchSecurityError(f"openssl {args[0]} failed: {proc.stderr.strip()[-500:]}")


def admin_cert_paths(settings: Settings) -> tuple[Path, Path]:
    """The admin client certificate and its key (secrets/: root only), which the engine takes as its super admin."""
    return settings.secrets_dir / "search_admin.pem", settings.secrets_dir / "search_admin_key.pem"


def _issue(cert: Path, key: Path, dn: str, usage: str, ca: Path, ca_key: Path) -> None:
    """A key and a certificate for `dn` ("CN=..,O=..") signed by the CA, both 0600."""
    work = cert.parent
    _openssl("genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", str(key), cwd=work)
    csr, ext = work / f".{cert.stem}.csr", work / f".{cert.stem}.ext"
    _openssl("req", "-new", "-key", str(key), "-subj", "/" + "/".join(reversed(dn.split(","))), "-out", str(csr),
             cwd=work)
    ext.write_text(f"basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\n{usage}\n",
                   encoding="utf-8")
    _openssl("x509", "-req", "-in", str(csr), "-CA", str(ca), "-CAkey", str(ca_key), "-days", str(TLS_DAYS),
             "-sha256", "-set_serial", str(_secrets.randbits(63)), "-extfile", str(ext), "-out", str(cert), cwd=work)
    csr.unlink()
    ext.unlink()
    for f in (cert, key):
        os.chmod(f, 0o600)


def ensure_tls(settings: Settings, tls_dir: Path) -> None:
    """The CA and the admin certificate (keys in secrets/), the node's certificate and key in `tls_dir`, made once
    with openssl; a certificate is made again when its CA was made again."""
    tls_dir.mkdir(parents=True, exist_ok=True)
    os.chmod(tls_dir, 0o700)
    settings.secrets_dir.mkdir(parents=True, exist_ok=True)
    os.chmod(settings.secrets_dir, 0o700)
    ca_key, ca = ca_key_path(settings), tls_dir / "ca.pem"
    node, node_key = tls_dir / "node.pem", tls_dir / "node-key.pem"
    admin, admin_key = admin_cert_paths(settings)
    if not ca_key.is_file():
        _openssl("genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:3072", "-out", str(ca_key),
                 cwd=settings.secrets_dir)
        ca.unlink(missing_ok=True)
    if not ca.is_file():
        _openssl("req", "-x509", "-new", "-key", str(ca_key), "-subj", CA_DN, "-days", str(TLS_DAYS), "-sha256",
                 "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign",
                 "-out", str(ca), cwd=tls_dir)
        os.chmod(ca, 0o600)
        node.unlink(missing_ok=True)
        admin.unlink(missing_ok=True)
    if not (node.is_file() and node_key.is_file()):
        _issue(node, node_key, NODE_DN, "extendedKeyUsage=serverAuth,clientAuth\n"
               "subjectAltName=IP:127.0.0.1,DNS:localhost", ca, ca_key)
    if not (admin.is_file() and admin_key.is_file()):
        _issue(admin, admin_key, ADMIN_DN, "extendedKeyUsage=clientAuth", ca, ca_key)


def tls_context(ca_pem: str) -> ssl.SSLContext:
    """Verifies the engine's certificate against the lake's search CA (given as PEM text), host name included."""
    return ssl.create_default_context(cadata=ca_pem)


def admin_context(settings: Settings, ca_pem: str) -> ssl.SSLContext:
    """TLS to the engine as its super admin (the admin certificate from secrets/)."""
    ctx = tls_context(ca_pem)
    ctx.load_cert_chain(*admin_cert_paths(settings))
    return ctx


def covers(have, want) -> bool:
    """`have` (what the engine answers) holds everything `want` says; keys it adds of its own do not count.

    >>> covers({"users": ["a"], "hosts": []}, {"users": ["a"]}), covers({"users": ["b"]}, {"users": ["a"]})
    (True, False)
    """
    if isinstance(want, dict):
        return isinstance(have, dict) and all(covers(have.get(k), v) for k, v in want.items())
    if isinstance(want, list):
        return isinstance(have, list) and len(have) == len(want) and all(map(covers, have, want))
    return have == want


def reconcile(settings: Settings, url: str, ca_pem: str, account_works) -> list[str]:
    """Bring the engine's roles, role mappings and accounts in line with `security_files` over its REST API as the
    super admin: the security index keeps what it was first loaded with, so a role changed in this module or a
    password changed in secrets/ would not reach it otherwise. A role or mapping is put when the engine's differs;
    an account's hash only when `account_works(name)` says its password is refused. Returns what was changed
    ('roles lakehouse_reader', 'account reading_room', ...): nothing on a start where all is in line.

    Nothing secret is logged (the hashes travel over TLS in the request bodies)."""
    import json
    import urllib.request

    import yaml

    ctx = admin_context(settings, ca_pem)

    def api(method: str, path: str, body: dict | None = None) -> dict:
        req = urllib.request.Request(f"{url}/_plugins/_security/api/{path}", method=method,
                                     data=None if body is None else json.dumps(body).encode(),
                                     headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=30, context=ctx) as resp:
            return json.load(resp)

    stale = [name for name in ACCOUNTS if not account_works(name)]
    files = security_files({name: hash_password(password(settings, name)) for name in stale})
    changed = []
    for kind, file in (("roles", "roles.yml"), ("rolesmapping", "roles_mapping.yml")):
        have = api("GET", kind)
        for name, body in yaml.safe_load(files[file]).items():
            want = {k: v for k, v in body.items() if k != "reserved"}
            if name != "_meta" and not covers(have.get(name), want):
                api("PUT", f"{kind}/{name}", want)
                changed.append(f"{kind} {name}")
    users = yaml.safe_load(files["internal_users.yml"])
    for name in stale:
        api("PUT", f"internalusers/{name}", {"hash": users[name]["hash"], "description": users[name]["description"]})
        changed.append(f"account {name}")
    return changed


def write_security_config(settings: Settings, conf: Path) -> None:
    """`conf/opensearch-security/*.yml` (owner-only). The accounts' hashes are made only when the file has none yet
    (bcrypt is slow on purpose): the file matters for the first start alone, and `reconcile` puts a changed password's
    hash on every later one."""
    folder = conf / "opensearch-security"
    folder.mkdir(exist_ok=True)
    os.chmod(folder, 0o700)
    users = folder / "internal_users.yml"
    fresh = not users.is_file()
    hashes = {name: hash_password(password(settings, name)) for name in ACCOUNTS} if fresh else {}
    for name, text in security_files(hashes).items():
        if name == users.name and not fresh:
            continue
        path = folder / name
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.chmod(path, 0o600)
