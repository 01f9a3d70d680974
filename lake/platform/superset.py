"""Superset on 127.0.0.1: progress dashboards over the gold marts, kept as code in `dashboards/`.

Superset runs from its own virtualenv (`.venvs/superset`, made by `scripts/bootstrap.sh` on Debian's python3)
under gunicorn, as the `lakehouse-web` account when started as root (its setup CLI too); its home
`<lake root>/superset` (config, data, caches) belongs to that account, mode 0700.
Its metadata database is a database and role on the project's Postgres; the secret key, the admin password
and the database password come from the environment or are generated into `<lake root>/secrets/`.
On every start the dashboards (database connection, datasets, charts, dashboards) are imported from
`dashboards/` with overwrite, and the roles, users and row-level security rules of
`dashboards/security.yaml` are applied through the REST API; both steps are idempotent.
"""

from __future__ import annotations

import csv
import io
import os
import re
import secrets
import subprocess
import time
import unicodedata
import zipfile
from pathlib import Path

import yaml

from lake.core.os_accounts import WEB_USER, as_user, ensure_service_accounts, give_tree, is_root
from lake.core.secrets import get_secret
from lake.core.settings import PROJECT_ROOT, Settings
from lake.platform.process import ManagedProcess, ServiceError, tail
from lake.platform.superset_client import SupersetClient, SupersetError

DASHBOARDS_DIR = PROJECT_ROOT / "dashboards"
DATABASE_NAME = "Lakehouse gold"
ADMIN_USER = "admin"
DB_ROLE = "superset"
DB_NAME = "superset"


def admin_password(settings: Settings) -> str:
    return get_secret(settings, "LAKEHOUSE_SUPERSET_ADMIN_PASSWORD", "superset_admin_password")


def secret_key(settings: Settings) -> str:
    return get_secret(settings, "LAKEHOUSE_SUPERSET_SECRET_KEY", "superset_secret_key", nbytes=42)


def db_password(settings: Settings) -> str:
    return get_secret(settings, "LAKEHOUSE_SUPERSET_DB_PASSWORD", "superset_db_password")


#: how Superset's import API stands for a password it receives apart (the `passwords` form field)
MASKED_PASSWORD = "XXXXXXXXXX"


def hive_uri(settings: Settings, user: str = "superset") -> str:
    """The gold database's URI in an import bundle: the directory's `superset` service account, LDAP auth, the
    password masked (it travels in the import's `passwords` field and is stored encrypted by Superset)."""
    return f"hive://{user}:{MASKED_PASSWORD}@{settings.bind_host}:{settings.thrift_port}/gold?auth=LDAP"


#: what the import stores as the SQL endpoint's password: not a secret. The real one (the directory's `superset`
#: service account) is put into the connection URL at connect time by DB_CONNECTION_MUTATOR in superset_config.py,
#: from the process environment, so neither Superset's metadata database nor its action log (which records the
#: import request) ever holds it.
PASSWORD_AT_CONNECT = "set-at-connect-time"


def database_passwords(settings: Settings, source: Path = DASHBOARDS_DIR) -> str:
    """The import API's `passwords` field: every database YAML of the bundle -> PASSWORD_AT_CONNECT."""
    import json

    return json.dumps({f"databases/{p.name}": PASSWORD_AT_CONNECT
                       for p in sorted((source / "databases").glob("*.yaml"))})


#: Web security of the generated superset_config.py: Talisman with a CSP that admits only this server (Superset's
#: own policy without its third-party hosts; scripts by nonce), login attempts rate limited per client address
#: (flask-limiter, in memory: per gunicorn worker), sessions that expire after SESSION_HOURS.
SESSION_HOURS = 8
AUTH_RATE_LIMIT = "20 per minute"
SECURITY_CONFIG = f"""\
from datetime import timedelta

TALISMAN_ENABLED = True
TALISMAN_CONFIG = {{
    "content_security_policy": {{
        "base-uri": ["'self'"],
        "default-src": ["'self'"],
        "img-src": ["'self'", "blob:", "data:"],
        "worker-src": ["'self'", "blob:"],
        "connect-src": ["'self'"],
        "object-src": "'none'",
        "style-src": ["'self'", "'unsafe-inline'"],
        "font-src": ["'self'", "data:"],
        "script-src": ["'self'", "'strict-dynamic'"],
        "frame-ancestors": ["'self'"],
    }},
    "content_security_policy_nonce_in": ["script-src"],
    "force_https": False,  # no TLS on 127.0.0.1; a deployment terminates TLS in front and sets this True
    "session_cookie_secure": False,
}}
CONTENT_SECURITY_POLICY_WARNING = False
RATELIMIT_ENABLED = True
RATELIMIT_STORAGE_URI = "memory://"
RATELIMIT_APPLICATION = "200 per second"
AUTH_RATE_LIMITED = True
AUTH_RATE_LIMIT = {AUTH_RATE_LIMIT!r}
PERMANENT_SESSION_LIFETIME = timedelta(hours={SESSION_HOURS})
REMEMBER_COOKIE_DURATION = timedelta(hours={SESSION_HOURS})
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"


def FLASK_APP_MUTATOR(app):
    # Flask-AppBuilder rate-limits the login form only; give its API login (/api/v1/security/login) the same limit
    from flask_appbuilder.security.api import SecurityApi

    for view in app.appbuilder.baseviews:
        if isinstance(view, SecurityApi):
            app.appbuilder.sm.limiter.limit(AUTH_RATE_LIMIT, methods=["POST"])(view.blueprint)
"""


#: the role every analyst and steward gets besides Gamma: read every dataset (no RLS), load filter values
READ_ROLE = "Đọc dữ liệu dùng chung"
#: directory group -> Superset roles (manager groups: see roles_mapping)
GROUP_ROLES = {"admin": ["Admin"], "analyst": ["Gamma", READ_ROLE], "steward": ["Gamma", READ_ROLE]}


def roles_mapping(settings: Settings, source: Path = DASHBOARDS_DIR) -> dict[str, list[str]]:
    """AUTH_ROLES_MAPPING: directory group DN -> Superset roles, synced at every login. `quanly_<code>` gets the
    locality role `apply_security` creates (with its RLS rule); admin, analyst and steward per GROUP_ROLES."""
    from lake.platform.directory import MANAGER_GROUP, Directory

    d = Directory(settings)
    spec = load_security(source)["locality_managers"]
    base = spec.get("base_role", "Gamma")
    mapping = {d.group_dn(g): roles for g, roles in GROUP_ROLES.items()}
    for code, name in manager_districts(settings, spec):
        mapping[d.group_dn(MANAGER_GROUP.format(code=code))] = [base, spec["role"].format(code=code, name=name)]
    return mapping


def ldap_config(settings: Settings) -> str:
    """The AUTH_LDAP part of superset_config.py: people log in with their own directory password; Superset looks
    them up as the directory's `superset` service account (its password from the environment)."""
    from lake.platform.directory import SERVICE_ACCOUNTS, Directory

    d = Directory(settings)
    return f"""
from flask_appbuilder.security.manager import AUTH_LDAP

AUTH_TYPE = AUTH_LDAP
AUTH_LDAP_SERVER = {d.url!r}
AUTH_LDAP_USE_TLS = False  # loopback only; a deployment uses ldaps:// (README)
AUTH_LDAP_SEARCH = {d.ou_dn("people")!r}
AUTH_LDAP_SEARCH_FILTER = "(objectClass=inetOrgPerson)"
AUTH_LDAP_UID_FIELD = "uid"
AUTH_LDAP_BIND_USER = {d.service_dn("superset")!r}
AUTH_LDAP_BIND_PASSWORD = os.environ[{SERVICE_ACCOUNTS["superset"][0]!r}]


def DB_CONNECTION_MUTATOR(uri, params, username, security_manager, source):
    # the SQL endpoint's service-account password comes from this process's environment at connect time; the
    # metadata database holds only a placeholder (lake.platform.superset.PASSWORD_AT_CONNECT)
    if uri.drivername.startswith("hive") and uri.username == "superset":
        uri = uri.set(password=os.environ[{SERVICE_ACCOUNTS["superset"][0]!r}])
    return uri, params

AUTH_LDAP_FIRSTNAME_FIELD = "displayName"
AUTH_LDAP_LASTNAME_FIELD = "sn"
AUTH_LDAP_EMAIL_FIELD = "mail"
AUTH_LDAP_GROUP_FIELD = "memberOf"
AUTH_USER_REGISTRATION = True
AUTH_USER_REGISTRATION_ROLE = "Public"  # no permission: a person in no mapped group sees nothing
AUTH_ROLES_SYNC_AT_LOGIN = True
RECAPTCHA_PUBLIC_KEY = ""  # Superset reads it whenever registration is on; LDAP registration shows no captcha
# The API login also takes provider "db" for the one local account, `admin`, with which `lakehouse services up`
# imports the dashboards (its password only in secrets/); the login form and people use the directory.
# Directory people have no usable local password (Flask-AppBuilder refuses empty ones).
AUTH_API_LOGIN_ALLOW_MULTIPLE_PROVIDERS = True
AUTH_ROLES_MAPPING = {roles_mapping(settings)!r}
"""


# ---------------------------------------------------------------------------------------------------
# The service
# ---------------------------------------------------------------------------------------------------
class Superset(ManagedProcess, name="superset", what="Superset", port="superset_port", host="bind_host",
               stop_timeout=30, venv="superset_venv", program="superset"):
    """gunicorn serving `superset.app:create_app()` with a generated superset_config.py."""

    def __init__(self, settings: Settings):
        super().__init__(settings)
        self.home = settings.lake_root / "superset"
        # in its home, not conf/ (root's): the web account reads it; it holds no secret
        self.config_path = self.home / "superset_config.py"
        self.setup_log = settings.log_dir / "superset-setup.log"

    @property
    def url(self) -> str:
        return f"http://{self.s.bind_host}:{self.s.superset_port}"

    def detail(self) -> str:
        return "superset 6.1.0" if self.installed() else "not installed: make bootstrap"

    # --- configuration ---
    def env(self) -> dict[str, str]:
        """The environment of every Superset process. The secrets travel here, not in the generated config file
        nor on a command line: the environment of a process is readable only by its own account and root."""
        env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV", "SPARK_"))}
        # runuser keeps the environment but HOME (-> the account's /nonexistent): the caches are pointed into
        # Superset's home by their own variables; HOME too, for a start as an ordinary user
        env.update(HOME=str(self.home), MPLCONFIGDIR=str(self.home / ".matplotlib"),
                   XDG_CACHE_HOME=str(self.home / ".cache"), XDG_CONFIG_HOME=str(self.home / ".config"))
        env.update(SUPERSET_CONFIG_PATH=str(self.config_path), SUPERSET_HOME=str(self.home),
                   FLASK_APP="superset", PATH=f"{self.venv / 'bin'}:{env.get('PATH', '/usr/bin:/bin')}",
                   SUPERSET_SECRET_KEY=secret_key(self.s), LAKEHOUSE_SUPERSET_DB_PASSWORD=db_password(self.s))
        from lake.platform.directory import SERVICE_ACCOUNTS, service_password

        env[SERVICE_ACCOUNTS["superset"][0]] = service_password(self.s, "superset")  # AUTH_LDAP_BIND_PASSWORD
        from lake.platform.results_cache import PASSWORD_ENV, redis_password

        # the results cache's password: environment only (lake/platform/results_cache.py)
        env[PASSWORD_ENV] = redis_password(self.s)
        return env

    def prepare_home(self) -> None:
        """The home (and what an older version wrote there as root) given to the web account, owner-only."""
        self.home.mkdir(parents=True, exist_ok=True)
        if is_root():
            ensure_service_accounts()
        give_tree(self.home, WEB_USER)

    def write_config(self) -> None:
        self.prepare_home()
        text = f'''# Generated by lake/platform/superset.py on every start. No secret in here: the secret key and the
# metadata database password come from the environment of the Superset process (Superset.env()).
import os
from urllib.parse import quote

SECRET_KEY = os.environ["SUPERSET_SECRET_KEY"]
_DB_PASSWORD = quote(os.environ["LAKEHOUSE_SUPERSET_DB_PASSWORD"], safe="")
SQLALCHEMY_DATABASE_URI = f"postgresql+psycopg2://{DB_ROLE}:{{_DB_PASSWORD}}@127.0.0.1:{self.s.pg_port}/{DB_NAME}"
DATA_DIR = {str(self.home)!r}
UPLOAD_FOLDER = {str(self.home / "uploads")!r}
FAB_ADD_SECURITY_API = True
WTF_CSRF_TIME_LIMIT = None
SUPERSET_WEBSERVER_TIMEOUT = 300
SQLLAB_TIMEOUT = 300
ROW_LIMIT = 50000
{SECURITY_CONFIG}{ldap_config(self.s)}PREVENT_UNSAFE_DB_CONNECTIONS = False
BABEL_DEFAULT_LOCALE = "en"
APP_NAME = "Kho dữ liệu dùng chung Hà Nội"
FEATURE_FLAGS = {{"DASHBOARD_VIRTUALIZATION": False, "ALERT_REPORTS": False}}
# results cache: Redis (lake/platform/results_cache.py), its password from the environment, not from this file
import os as _os
_REDIS = {{"CACHE_TYPE": "RedisCache", "CACHE_REDIS_HOST": {self.s.bind_host!r},
          "CACHE_REDIS_PORT": {self.s.redis_port}, "CACHE_REDIS_PASSWORD": _os.environ.get("LAKEHOUSE_REDIS_PASSWORD")}}
CACHE_CONFIG = {{**_REDIS, "CACHE_KEY_PREFIX": "superset_meta_", "CACHE_DEFAULT_TIMEOUT": 3600, "CACHE_REDIS_DB": 0}}
DATA_CACHE_CONFIG = {{**_REDIS, "CACHE_KEY_PREFIX": "superset_data_", "CACHE_DEFAULT_TIMEOUT": 86400,
                      "CACHE_REDIS_DB": 1}}
THUMBNAIL_SELENIUM_USER = "admin"
'''
        fd = os.open(self.config_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        give_tree(self.home, WEB_USER)

    def ensure_metadata_db(self, postgres) -> None:
        postgres.ensure_role(DB_ROLE, db_password(self.s))
        postgres.ensure_database(DB_NAME, owner=DB_ROLE)

    def _cli(self, *args: str, timeout: float = 900, env: dict[str, str] | None = None) -> None:
        """`superset <args>`, logged to superset-setup.log. A secret goes in `env`, never in `args` (which
        are logged and visible in `ps`)."""
        self.setup_log.parent.mkdir(parents=True, exist_ok=True)
        with open(self.setup_log, "ab") as out:
            out.write(f"\n$ superset {' '.join(args)}\n".encode())
            out.flush()
            proc = subprocess.run(as_user([str(self.venv / "bin" / "superset"), *args], WEB_USER),
                                  stdout=out, stderr=subprocess.STDOUT,
                                  env={**self.env(), **(env or {})}, cwd=self.home, timeout=timeout, check=False)
        if proc.returncode != 0:
            raise SupersetError(f"superset {args[0]} failed (exit {proc.returncode}):\n{tail(self.setup_log)}")

    def initialised(self, postgres) -> bool:
        """The metadata schema is at the installed revision, roles are synced and the admin exists."""
        stamp = self.home / ".initialised"
        if not stamp.is_file() or stamp.read_text().strip() != self._stamp():
            return False
        try:
            found = postgres.psql_as(DB_ROLE, db_password(self.s), DB_NAME,
                                     f"SELECT count(*) FROM ab_user WHERE username = '{ADMIN_USER}'")
        except (OSError, ServiceError):
            return False
        return found == "1"

    def _stamp(self) -> str:
        req = PROJECT_ROOT / "scripts" / "superset-constraints.txt"
        return f"{self.s.pg_port}:{req.stat().st_mtime_ns if req.is_file() else 0}"

    def initialise(self, postgres) -> None:
        """`superset db upgrade`, `superset init`, admin user: once, skipped when already done."""
        if self.initialised(postgres):
            return
        self._cli("db", "upgrade")
        self._cli("init")
        # the password through click's environment variable for `fab create-admin --password` (Flask's FLASK_ prefix)
        self._cli("fab", "create-admin", "--username", ADMIN_USER, "--firstname", "Quản trị", "--lastname", "Hệ thống",
                  "--email", "admin@localhost", env={"FLASK_FAB_CREATE_ADMIN_PASSWORD": admin_password(self.s)})
        (self.home / ".initialised").write_text(self._stamp())
        give_tree(self.home, WEB_USER)

    # --- lifecycle ---
    def start(self, postgres, timeout: float = 240, import_dashboards: bool = True) -> None:
        if not self.installed():
            raise ServiceError(f"Superset is not installed in {self.venv}: run `make bootstrap`")
        if not self.running():
            self.check_port_free()
            self.write_config()
            self.ensure_metadata_db(postgres)
            self.initialise(postgres)
            cmd = [str(self.venv / "bin" / "gunicorn"), "--workers", str(self.s.superset_workers),
                   "--worker-class", "gthread", "--threads", "4", "--timeout", "300",
                   "--bind", f"{self.s.bind_host}:{self.s.superset_port}",
                   "--limit-request-line", "0", "--limit-request-field_size", "0",
                   # no control socket: it would go to ~/.gunicorn, and runuser sets HOME to the account's
                   # /nonexistent; nothing here uses gunicorn's control interface
                   "--no-control-socket", "superset.app:create_app()"]
            cmd = as_user(cmd, WEB_USER)  # master and workers as lakehouse-web when started as root
            proc = self.spawn(cmd, env=self.env(), cwd=self.home)
            self.wait_started(proc, timeout, errors=(SupersetError,))
        if import_dashboards:
            client = SupersetClient.login(self.url, ADMIN_USER, admin_password(self.s))
            import_dashboards_dir(client, self.s)
            apply_security(client, self.s)

    def ready(self, proc, timeout: float) -> None:
        self._wait_healthy(timeout)

    def _wait_healthy(self, timeout: float) -> None:
        import requests

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                if requests.get(f"{self.url}/health", timeout=10).status_code == 200:
                    return
            except requests.RequestException:
                pass
            time.sleep(1)
        raise SupersetError(f"Superset at {self.url} did not answer /health within {timeout:.0f} s")

    def how_to_log_in(self) -> str:
        return (f"Bảng điều khiển Superset: {self.url}/dashboard/list/\n"
                "  Mỗi người đăng nhập bằng tài khoản thư mục (LDAP) và mật khẩu của mình: quản trị (nhóm admin), "
                "phân tích / lưu trữ (analyst, steward: mọi địa bàn), quản lý địa bàn quanly_<mã quận/huyện cũ> "
                "(chỉ địa bàn của mình).\n"
                f"  Tài khoản '{ADMIN_USER}' chỉ dành cho việc nhập bảng điều khiển qua API (mật khẩu trong "
                f"{self.s.secrets_dir / 'superset_admin_password'}).")


# ---------------------------------------------------------------------------------------------------
# Dashboards as code: import (on start) and export (back into dashboards/)
# ---------------------------------------------------------------------------------------------------
BUNDLES = {  # REST resource: (metadata type, folders in the bundle)
    "database": ("Database", ("databases",)),
    "dataset": ("SqlaTable", ("databases", "datasets")),
    "dashboard": ("Dashboard", ("databases", "datasets", "charts", "dashboards")),
}


def build_bundle(settings: Settings, source: Path = DASHBOARDS_DIR, resource: str = "dashboard") -> bytes:
    """Zip `dashboards/` in Superset's export layout, with the database URI pointed at this lake's Thrift."""
    kind, folders = BUNDLES[resource]
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        meta = yaml.safe_load((source / "metadata.yaml").read_text(encoding="utf-8"))
        zf.writestr("dashboard_export/metadata.yaml", yaml.safe_dump({**meta, "type": kind}))
        for path in sorted(source.rglob("*.yaml")):
            rel = path.relative_to(source)
            if rel.parts[0] not in folders:
                continue
            text = path.read_text(encoding="utf-8")
            if rel.parts[0] == "databases":
                doc = yaml.safe_load(text)
                doc["sqlalchemy_uri"] = hive_uri(settings)
                doc.pop("password", None)
                text = yaml.safe_dump(doc, allow_unicode=True, sort_keys=False)
            zf.writestr(f"dashboard_export/{rel.as_posix()}", text)
    return buf.getvalue()


def import_dashboards_dir(client: SupersetClient, settings: Settings, source: Path = DASHBOARDS_DIR) -> list[str]:
    # the dashboard import never overwrites an existing database or dataset: import those first, each with
    # overwrite, so a changed URI (Thrift port) or dataset SQL/columns reaches an existing Superset too
    for resource in ("database", "dataset", "dashboard"):
        bundle = build_bundle(settings, source, resource)
        client.post(f"/api/v1/{resource}/import/", files={"formData": (f"{resource}.zip", bundle, "application/zip")},
                    data={"overwrite": "true", "passwords": database_passwords(settings, source)})
    # a dataset YAML without its column list (hand-written, not yet exported) gets the columns from Spark
    names = {yaml.safe_load(p.read_text(encoding="utf-8"))["table_name"]
             for p in (source / "datasets").rglob("*.yaml")}
    for ds in client.list_all("dataset", ["id", "table_name"]):
        if ds["table_name"] in names and not client.get(f"/api/v1/dataset/{ds['id']}")["result"]["columns"]:
            client.put(f"/api/v1/dataset/{ds['id']}/refresh")
    titles = []
    for path in sorted((source / "dashboards").glob("*.yaml")):
        titles.append(yaml.safe_load(path.read_text(encoding="utf-8"))["dashboard_title"])
    return titles


class _Dumper(yaml.SafeDumper):
    pass


def _str(dumper, value: str):
    style = "|" if "\n" in value and not any(c in value for c in "\t\r") else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value.rstrip() if style else value, style=style)


_Dumper.add_representer(str, _str)


def dump_yaml(doc) -> str:
    return yaml.dump(doc, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=120)


_TITLE_KEYS = {"databases": "database_name", "datasets": "table_name", "charts": "slice_name",
               "dashboards": "dashboard_title"}


def asset_file_name(kind: str, doc: dict, exported_name: str) -> str:
    """The file name of an exported asset: its title in ASCII with every letter kept, without Superset's id.

    Superset names files with werkzeug's `secure_filename`, which drops letters that have no ASCII
    decomposition ("Địa bàn" becomes "ia_ban") and appends the instance's id:

    >>> asset_file_name("charts", {"slice_name": "Địa bàn có nguy cơ trễ hạn"}, "ia_ban_co_nguy_co_tre_han_12.yaml")
    'Dia_ban_co_nguy_co_tre_han.yaml'
    >>> asset_file_name("metadata.yaml", {}, "metadata.yaml")
    'metadata.yaml'
    """
    title = doc.get(_TITLE_KEYS.get(kind, ""), "") if isinstance(doc, dict) else ""
    if not title:
        return re.sub(r"_\d+\.yaml$", ".yaml", exported_name)  # ids differ between instances
    ascii_title = unicodedata.normalize("NFKD", str(title).replace("Đ", "D").replace("đ", "d"))
    ascii_title = ascii_title.encode("ascii", "ignore").decode("ascii")
    stem = re.sub(r"[^A-Za-z0-9_.-]+", "_", ascii_title).strip("._")
    return f"{stem or 'asset'}.yaml"


def export_dashboards(client: SupersetClient, target: Path = DASHBOARDS_DIR) -> list[Path]:
    """Export every dashboard (with its charts, datasets, database) and unzip it over `target`."""
    ids = [d["id"] for d in client.list_all("dashboard", ["id"])]
    if not ids:
        raise SupersetError("no dashboards to export")
    r = client.request("GET", "/api/v1/dashboard/export/", params={"q": f"!({','.join(map(str, ids))})"})
    # the export is the whole truth: drop the old files (Superset names them after titles and ids)
    for sub in ("databases", "datasets", "charts", "dashboards"):
        for old in (target / sub).rglob("*.yaml"):
            old.unlink()
    written = []
    with zipfile.ZipFile(io.BytesIO(r.content)) as zf:
        for name in zf.namelist():
            parts = Path(name).parts[1:]  # drop the dashboard_export_<timestamp>/ folder
            if not parts or not name.endswith(".yaml"):
                continue
            rel = Path(*parts)
            doc = yaml.safe_load(zf.read(name).decode("utf-8"))
            rel = rel.with_name(asset_file_name(rel.parts[0], doc, rel.name))
            if rel.parts[0] == "databases":
                doc["sqlalchemy_uri"] = "hive://superset@127.0.0.1:10000/gold"  # rewritten at import time
                doc.pop("password", None)
            text = dump_yaml(doc)  # readable Vietnamese and SQL in the diff (Superset escapes non-ASCII)
            out = target / rel
            n = 2
            while out in written:  # two assets with one title: keep both
                out = out.with_name(f"{rel.stem}_{n}.yaml")
                n += 1
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_text(text, encoding="utf-8")
            written.append(out)
    return written


# ---------------------------------------------------------------------------------------------------
# Roles, users and row-level security from dashboards/security.yaml
# ---------------------------------------------------------------------------------------------------
def load_security(source: Path = DASHBOARDS_DIR) -> dict:
    return yaml.safe_load((source / "security.yaml").read_text(encoding="utf-8"))


def manager_districts(settings: Settings, spec: dict) -> list[tuple[str, str]]:
    """(code, name) of the old districts that get a locality-manager role."""
    wanted = spec.get("districts", "all")
    path = next(iter(sorted(settings.reference_dir.glob("old_districts*.csv"))))
    with open(path, encoding="utf-8") as fh:
        rows = [(r["district_code"], r["district_name"]) for r in csv.DictReader(fh)]
    if wanted == "all":
        return rows
    wanted = {str(c).zfill(3) for c in wanted}
    return [r for r in rows if r[0] in wanted]


def _by_name(client: SupersetClient, resource: str, field: str) -> dict[str, dict]:
    return {row[field]: row for row in client.list_all(resource)}


def apply_security(client: SupersetClient, settings: Settings, source: Path = DASHBOARDS_DIR) -> dict:
    """Create the locality-manager roles, their users and RLS rules; existing ones are updated, not duplicated."""
    doc = load_security(source)
    spec = doc["locality_managers"]
    districts = manager_districts(settings, spec)
    datasets = {d["table_name"]: d["id"] for d in client.list_all("dataset", ["id", "table_name"])}
    missing = [t for t in spec["tables"] if t not in datasets]
    if missing:
        raise SupersetError(f"security.yaml names datasets that were not imported: {missing}")
    table_ids = [datasets[t] for t in spec["tables"]]

    # permissions a manager role gets: read access to each dashboard dataset
    perm_ids = _dataset_permission_ids(client, {t: datasets[t] for t in spec["tables"]})
    # and the distinct values of a column (native filter dropdowns). Superset counts can_get_column_values on
    # Datasource as Alpha-only, so Gamma lacks it and the managers' filters stayed empty (403); the values are
    # still filtered by the role's RLS rule and need datasource_access on the dataset.
    perm_ids = sorted({*perm_ids, *_permission_ids(client, [("can_get_column_values", "Datasource")])})
    roles = _by_name(client, "security/roles", "name")
    base_role = roles.get(spec.get("base_role", "Gamma"))
    if base_role is None:
        raise SupersetError(f"base role {spec.get('base_role')} missing (superset init not run?)")
    users = {u["username"]: u for u in client.list_all("security/users", ["id", "username"])}
    rules = {r["name"]: r for r in client.list_all("rowlevelsecurity", ["id", "name"])}
    _ensure_read_role(client, roles)
    done = []
    for code, name in districts:
        fmt = {"code": code, "name": name}
        role_name = spec["role"].format(**fmt)
        role = roles.get(role_name)
        if role is None:
            role = {"id": client.post("/api/v1/security/roles/", json={"name": role_name})["id"], "name": role_name}
        client.post(f"/api/v1/security/roles/{role['id']}/permissions", json={"permission_view_menu_ids": perm_ids})
        # people log in through the directory (AUTH_LDAP, roles_mapping); Superset registers them at their first
        # login. A manager user left by an older version (shared password) gets an unknown random one, so that
        # the API's `db` provider cannot let anybody in with the old shared password.
        username = spec["user"].format(**fmt)
        if username in users:
            client.put(f"/api/v1/security/users/{users[username]['id']}",
                       json={"password": secrets.token_urlsafe(32)})
        rule_name = spec["rule"].format(**fmt)
        rule = {"name": rule_name, "filter_type": "Regular", "tables": table_ids, "roles": [role["id"]],
                "group_key": "district", "clause": spec["clause"].format(**fmt),
                "description": spec.get("description", "")}
        if rule_name in rules:
            client.put(f"/api/v1/rowlevelsecurity/{rules[rule_name]['id']}", json=rule)
        else:
            client.post("/api/v1/rowlevelsecurity/", json=rule)
        done.append(username)
    return {"users": done, "tables": spec["tables"]}


def _ensure_read_role(client: SupersetClient, roles: dict[str, dict]) -> None:
    """READ_ROLE: every dataset (all_datasource_access) and the filter values, for analysts and stewards."""
    role = roles.get(READ_ROLE)
    if role is None:
        role = {"id": client.post("/api/v1/security/roles/", json={"name": READ_ROLE})["id"]}
    ids = _permission_ids(client, [("all_datasource_access", "all_datasource_access"),
                                   ("can_get_column_values", "Datasource")])
    client.post(f"/api/v1/security/roles/{role['id']}/permissions", json={"permission_view_menu_ids": ids})


def _permission_ids(client: SupersetClient, pairs: list[tuple[str, str]]) -> list[int]:
    """ids of the (permission, resource) pairs, e.g. ("can_get_column_values", "Datasource")."""
    perms = {p["name"]: p["id"] for p in client.list_all("security/permissions")}
    views = {v["name"]: v["id"] for v in client.list_all("security/resources")}
    ids = []
    for perm, view in pairs:
        if perm not in perms or view not in views:
            raise SupersetError(f"permission {perm} on {view} not found")
        pvms = client.list_all(
            "security/permissions-resources",
            filters=f"filters:!((col:view_menu,opr:rel_o_m,value:{views[view]}),"
                    f"(col:permission,opr:rel_o_m,value:{perms[perm]})),")
        if not pvms:
            raise SupersetError(f"permission {perm} on {view} not found")
        ids.extend(p["id"] for p in pvms)
    return ids


def _dataset_permission_ids(client: SupersetClient, datasets: dict[str, int]) -> list[int]:
    """ids of the `datasource_access` permission on each dataset (`[database].[table](id:N)`)."""
    perms = {p["name"]: p["id"] for p in client.list_all("security/permissions")}
    access = perms.get("datasource_access")
    if access is None:
        raise SupersetError("permission datasource_access not found")
    views = {v["name"]: v["id"] for v in client.list_all("security/resources")}
    ids = []
    for table, ds_id in datasets.items():
        name = f"[{DATABASE_NAME}].[{table}](id:{ds_id})"
        if name not in views:
            raise SupersetError(f"no permission resource {name}")
        pvms = client.list_all(
            "security/permissions-resources",
            filters=f"filters:!((col:view_menu,opr:rel_o_m,value:{views[name]}),"
                    f"(col:permission,opr:rel_o_m,value:{access})),")
        ids.extend(p["id"] for p in pvms)
    return sorted(set(ids))


def dashboards_command(settings: Settings, action: str, out: Path | None = None) -> int:
    """`lakehouse dashboards export|import` against the running Superset."""
    sup = Superset(settings)
    client = SupersetClient.login(sup.url, ADMIN_USER, admin_password(settings))
    if action == "export":
        target = out or DASHBOARDS_DIR
        written = export_dashboards(client, target)
        print(f"{len(written)} tệp đã ghi vào {target}; xem lại bằng `git diff` rồi commit")
    else:
        print("đã nhập:", ", ".join(import_dashboards_dir(client, settings)))
        print(f"bảo mật theo dòng: {len(apply_security(client, settings)['users'])} địa bàn")
    return 0
