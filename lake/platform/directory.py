"""The directory of people, groups and service accounts: an OpenLDAP server (Debian's `slapd`) on 127.0.0.1.

Everything that authenticates people — the SQL endpoint (HiveServer2 LDAP), Superset (AUTH_LDAP), any later
web app — binds against this one directory; roles come from groups. Each person has their own password.

Layout of the tree (base DN = `LAKEHOUSE_LDAP_BASE_DN`, default `dc=lakehouse,dc=hanoi,dc=vn`):

| entry                                | what                                                           |
|--------------------------------------|----------------------------------------------------------------|
| `uid=<name>,ou=people,<base>`        | a person (inetOrgPerson); `lakehouse users add`                |
| `uid=<name>,ou=services,<base>`      | a service account (`superset`, `dbt`), password from the env or `secrets/` |
| `cn=<group>,ou=groups,<base>`        | a role (groupOfNames; `member` DNs; people also get `memberOf`) |
| `cn=default,ou=policies,<base>`      | the password policy: lockout on, so a disabled person cannot bind |

Groups (`GROUPS`): `pipeline`, `analyst`, `steward`, `admin`, `restricted_reader` (may read the restricted
zone: classified and personal-data documents; the security officer) and one manager group per old district,
`quanly_<district code>` (30 of them, from the reference lists).

The server (`DirectoryServer`) keeps its config and database under `<lake root>/ldap` (owned by the
`openldap` OS account when started as root, mode 0700), listens on `ldap://127.0.0.1:LAKEHOUSE_LDAP_PORT`
only, and is started after Postgres by `lakehouse services up`. The root DN's password is
`LAKEHOUSE_LDAP_ADMIN_PASSWORD` or generated into `<lake root>/secrets/ldap_admin_password`; slapd.conf holds
only its salted Argon2 hash, and passwords go to tools through stdin or files, never a command line.
Anonymous binds are refused; userPassword is readable by nobody (used for binds only); an authenticated
account may read the rest (names, groups), which is what a login check needs.

A person is disabled with the password policy's administrative lock (`pwdAccountLockedTime:
000001010000Z`): every later bind fails, in every service, while the entry and its history stay.

The client, for any service or tool of the project:

>>> from lake.platform.directory import Directory                                   # doctest: +SKIP
>>> d = Directory(settings)                                                # doctest: +SKIP
>>> d.add_user("nguyen.van.an", ["analyst"], full_name="Nguyễn Văn An", password=pw)   # doctest: +SKIP
>>> d.authenticate("nguyen.van.an", pw), d.groups_of("nguyen.van.an")      # doctest: +SKIP
(True, ['analyst'])
>>> d.disable_user("nguyen.van.an"); d.authenticate("nguyen.van.an", pw)   # doctest: +SKIP
False
>>> d.user_dn("nguyen.van.an")                                             # doctest: +SKIP
'uid=nguyen.van.an,ou=people,dc=lakehouse,dc=hanoi,dc=vn'
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets as _secrets
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from lake.core.secrets import get_secret
from lake.core.settings import Settings
from lake.platform.process import ManagedProcess, ServiceError

#: role groups -> what they are for (the `description` of the group entry)
GROUPS: dict[str, str] = {
    "pipeline": "Vận hành đường ống dữ liệu (ingest, OCR, silver, gold) / runs the pipeline",
    "analyst": "Phân tích dữ liệu dùng chung (gold) / reads the shared data",
    "steward": "Quản lý chất lượng, danh mục dữ liệu / data steward: quality, catalog",
    "admin": "Quản trị hệ thống / administers the lakehouse",
    "restricted_reader": "Được đọc vùng hạn chế (tài liệu mật, dữ liệu cá nhân); cán bộ bảo mật / "
                         "may read the restricted zone; security officer",
}
#: the manager group of one old district (`quanly_001` ...)
MANAGER_GROUP = "quanly_{code}"
#: service accounts -> (environment variable, file under secrets/) of their password
SERVICE_ACCOUNTS: dict[str, tuple[str, str]] = {
    "superset": ("LAKEHOUSE_LDAP_SUPERSET_PASSWORD", "ldap_superset_password"),
    "dbt": ("LAKEHOUSE_LDAP_DBT_PASSWORD", "ldap_dbt_password"),
}
ADMIN_PASSWORD = ("LAKEHOUSE_LDAP_ADMIN_PASSWORD", "ldap_admin_password")
#: pwdAccountLockedTime of an administrative lock (only an administrator lifts it)
LOCKED = "000001010000Z"
SLAPD_USER = "openldap"

_NAME = re.compile(r"^[a-z][a-z0-9._-]{1,63}$")
_SCHEMAS = ("core", "cosine", "inetorgperson")
_PLACEHOLDER_MEMBER = ""  # groupOfNames must have a member; the empty DN stands for "nobody yet"


class DirectoryError(RuntimeError):
    """The directory could not be reached, or a request to it was refused or invalid."""


@dataclass(frozen=True)
class User:
    name: str
    full_name: str
    groups: tuple[str, ...]
    enabled: bool

    def line(self) -> str:
        state = "enabled" if self.enabled else "DISABLED"
        return f"{self.name:<24} {self.full_name:<32} {state:<9} {','.join(self.groups)}"


def check_name(name: str) -> str:
    """A user name: lower-case letters, digits, `.`, `_`, `-`; starts with a letter; 2-64 characters.

    >>> check_name("nguyen.van.an")
    'nguyen.van.an'
    >>> check_name("Robert'); DROP")
    Traceback (most recent call last):
    ...
    lake.platform.directory.DirectoryError: invalid user name "Robert'); DROP": use 2-64 lower-case letters, ...
    """
    if not isinstance(name, str) or not _NAME.match(name):
        raise DirectoryError(f"invalid user name {name!r}: use 2-64 lower-case letters, digits, '.', '_' or '-', "
                             "starting with a letter")
    return name


def admin_password(settings: Settings) -> str:
    return get_secret(settings, *ADMIN_PASSWORD)


def service_password(settings: Settings, account: str) -> str:
    """The password of a service account (`superset`, `dbt`): from its environment variable or `secrets/`."""
    if account not in SERVICE_ACCOUNTS:
        raise DirectoryError(f"unknown service account {account!r}; known: {sorted(SERVICE_ACCOUNTS)}")
    return get_secret(settings, *SERVICE_ACCOUNTS[account])


def manager_groups(settings: Settings) -> list[str]:
    """`quanly_<code>` for each of the 30 old districts of the reference lists."""
    from lake.domain.reference_lists import load_reference

    return [MANAGER_GROUP.format(code=d.code) for d in load_reference(settings.reference_dir).districts]


def _base_dn(settings: Settings) -> str:
    return settings.ldap_base_dn


def _url(settings: Settings) -> str:
    return f"ldap://{settings.bind_host}:{settings.ldap_port}"


# ---------------------------------------------------------------------------------------------------
# The client
# ---------------------------------------------------------------------------------------------------
class Directory:
    """Client of the project's directory. Management calls bind as the root DN; `authenticate` binds as the user.

    >>> d = Directory(settings)                                      # doctest: +SKIP
    >>> [u.name for u in d.list_users()]                             # doctest: +SKIP
    ['phantich', 'quanly_001', ...]
    """

    def __init__(self, settings: Settings):
        self.s = settings

    # --- names ---
    @property
    def url(self) -> str:
        """`ldap://127.0.0.1:<LAKEHOUSE_LDAP_PORT>`"""
        return _url(self.s)

    @property
    def base_dn(self) -> str:
        return _base_dn(self.s)

    @property
    def admin_dn(self) -> str:
        return f"cn=admin,{self.base_dn}"

    def ou_dn(self, ou: str) -> str:
        return f"ou={ou},{self.base_dn}"

    def user_dn(self, name: str) -> str:
        """DN of a person: `uid=<name>,ou=people,<base>`."""
        return f"uid={check_name(name)},{self.ou_dn('people')}"

    def service_dn(self, name: str) -> str:
        """DN of a service account: `uid=<name>,ou=services,<base>`."""
        return f"uid={check_name(name)},{self.ou_dn('services')}"

    def group_dn(self, name: str) -> str:
        """DN of a group: `cn=<name>,ou=groups,<base>`."""
        return f"cn={check_name(name)},{self.ou_dn('groups')}"

    @property
    def user_dn_patterns(self) -> list[str]:
        """Where a login name is looked for (people, then service accounts), `%s` standing for the name."""
        return [f"uid=%s,{self.ou_dn('people')}", f"uid=%s,{self.ou_dn('services')}"]

    # --- connections ---
    def _server(self):
        import ldap3

        return ldap3.Server(self.s.bind_host, port=self.s.ldap_port, connect_timeout=5)

    def _bind(self, dn: str, password: str):
        """A bound connection, or None when the directory refuses these credentials."""
        import ldap3
        from ldap3.core.exceptions import LDAPException

        conn = ldap3.Connection(self._server(), user=dn, password=password, receive_timeout=30,
                                raise_exceptions=False)
        try:
            ok = conn.bind()
        except LDAPException as exc:
            raise DirectoryError(f"directory at {self.url} unreachable: {exc}") from exc
        if not ok:
            with contextlib.suppress(LDAPException):
                conn.unbind()
            return None
        return conn

    @contextlib.contextmanager
    def admin(self):
        """A connection bound as the root DN (closed at the end of the `with`)."""
        conn = self._bind(self.admin_dn, admin_password(self.s))
        if conn is None:
            raise DirectoryError(f"the directory at {self.url} refused the root DN's password "
                                 f"({ADMIN_PASSWORD[0]} or secrets/{ADMIN_PASSWORD[1]})")
        try:
            yield conn
        finally:
            conn.unbind()

    def reachable(self) -> bool:
        try:
            with self.admin():
                return True
        except DirectoryError:
            return False

    # --- authentication ---
    def authenticate(self, user: str, password: str) -> bool:
        """True when `user` (a person or a service account) binds with `password`; False for a wrong or empty
        password, an unknown or disabled account, or a malformed name."""
        if not password:
            return False  # an empty password would be an unauthenticated bind, never a login
        try:
            check_name(user)
        except DirectoryError:
            return False
        for pattern in self.user_dn_patterns:
            conn = self._bind(pattern.replace("%s", user), password)
            if conn is not None:
                conn.unbind()
                return True
        return False

    def groups_of(self, user: str) -> list[str]:
        """Names of the groups `user` is a member of (a person, or a service account)."""
        with self.admin() as conn:
            dns = [self.user_dn(user), self.service_dn(user)]
            flt = "(&(objectClass=groupOfNames)(|" + "".join(f"(member={_escape(dn)})" for dn in dns) + "))"
            conn.search(self.ou_dn("groups"), flt, attributes=["cn"])
            return sorted(str(e.cn.value) for e in conn.entries)

    # --- people ---
    def add_user(self, name: str, groups: list[str], password: str, full_name: str | None = None) -> User:
        """Create a person with their own password and put them in `groups` (each must exist).

        >>> d.add_user("tran.thi.binh", ["steward"], password=pw, full_name="Trần Thị Bình")   # doctest: +SKIP
        User(name='tran.thi.binh', full_name='Trần Thị Bình', groups=('steward',), enabled=True)
        """
        check_name(name)
        if not groups:
            raise DirectoryError("a person needs at least one group (--group); known groups: "
                                 f"{', '.join(self.known_groups())}")
        if not password or len(password) < 12:
            raise DirectoryError("a password must have at least 12 characters")
        if name in SERVICE_ACCOUNTS:
            raise DirectoryError(f"{name!r} is the name of a service account")
        known = set(self.known_groups())
        unknown = [g for g in groups if g not in known]
        if unknown:
            raise DirectoryError(f"unknown group(s) {unknown}; known groups: {', '.join(sorted(known))}")
        full = (full_name or name).strip()
        dn = self.user_dn(name)
        with self.admin() as conn:
            if self._exists(conn, dn):
                raise DirectoryError(f"user {name!r} already exists")
            parts = full.split()
            self._check(conn, conn.add(dn, ["inetOrgPerson"], {
                "uid": name, "cn": full, "sn": parts[-1] if parts else name, "displayName": full,
            }), f"add {name}")
            self._set_password(conn, dn, password)
            for g in groups:
                self._add_member(conn, self.group_dn(g), dn)
        return self.get_user(name)

    def disable_user(self, name: str) -> User:
        """Lock a person out (every bind refused from now on); the entry and its groups stay for the record."""
        dn = self.user_dn(name)
        with self.admin() as conn:
            if not self._exists(conn, dn):
                raise DirectoryError(f"no user {name!r}")
            import ldap3

            self._check(conn, conn.modify(dn, {"pwdAccountLockedTime": [(ldap3.MODIFY_REPLACE, [LOCKED])]}),
                        f"disable {name}")
        return self.get_user(name)

    def enable_user(self, name: str) -> User:
        """Lift the lock set by `disable_user`."""
        dn = self.user_dn(name)
        with self.admin() as conn:
            import ldap3

            conn.modify(dn, {"pwdAccountLockedTime": [(ldap3.MODIFY_DELETE, [])]})
        return self.get_user(name)

    def set_password(self, name: str, password: str) -> None:
        if not password or len(password) < 12:
            raise DirectoryError("a password must have at least 12 characters")
        with self.admin() as conn:
            self._set_password(conn, self.user_dn(name), password)

    def get_user(self, name: str) -> User:
        users = [u for u in self.list_users() if u.name == check_name(name)]
        if not users:
            raise DirectoryError(f"no user {name!r}")
        return users[0]

    def list_users(self) -> list[User]:
        """Every person, by name: full name, groups, enabled."""
        with self.admin() as conn:
            conn.search(self.ou_dn("groups"), "(objectClass=groupOfNames)", attributes=["cn", "member"])
            members: dict[str, list[str]] = {}
            for g in conn.entries:
                for m in g.member.values:
                    members.setdefault(str(m).lower(), []).append(str(g.cn.value))
            conn.search(self.ou_dn("people"), "(objectClass=inetOrgPerson)",
                        attributes=["uid", "cn", "pwdAccountLockedTime"])
            out = []
            for e in conn.entries:
                out.append(User(str(e.uid.value), str(e.cn.value),
                                tuple(sorted(members.get(e.entry_dn.lower(), []))),
                                not e.pwdAccountLockedTime.values))
        return sorted(out, key=lambda u: u.name)

    def known_groups(self) -> list[str]:
        with self.admin() as conn:
            conn.search(self.ou_dn("groups"), "(objectClass=groupOfNames)", attributes=["cn"])
            return sorted(str(e.cn.value) for e in conn.entries)

    # --- seeding ---
    def seed(self) -> None:
        """Base entry, organisational units, password policy, groups, service accounts; idempotent (missing
        entries are added, service passwords reset to the current secrets)."""
        base = self.base_dn
        dc = base.split(",")[0].split("=", 1)[1]
        with self.admin() as conn:
            self._ensure(conn, base, ["dcObject", "organization"], {"dc": dc, "o": "Kho dữ liệu dùng chung Hà Nội"})
            for ou in ("people", "groups", "services", "policies"):
                self._ensure(conn, self.ou_dn(ou), ["organizationalUnit"], {"ou": ou})
            self._ensure(conn, f"cn=default,{self.ou_dn('policies')}", ["device", "pwdPolicy"], {
                "cn": "default", "pwdAttribute": "userPassword",
                # pwdLockout makes the administrative lock (disable_user) effective; 10 wrong passwords in a
                # row lock an account for 5 minutes (brute force through any endpoint)
                "pwdLockout": "TRUE", "pwdMaxFailure": "10", "pwdLockoutDuration": "300",
                "pwdFailureCountInterval": "300",
            })
            wanted = dict(GROUPS)
            for g in manager_groups(self.s):
                wanted[g] = f"Quản lý địa bàn {g.split('_', 1)[1]} / manager of old district {g.split('_', 1)[1]}"
            for name, description in wanted.items():
                self._ensure(conn, self.group_dn(name), ["groupOfNames"],
                             {"cn": name, "description": description, "member": [_PLACEHOLDER_MEMBER]})
            for account in SERVICE_ACCOUNTS:
                dn = self.service_dn(account)
                self._ensure(conn, dn, ["inetOrgPerson"], {"uid": account, "cn": f"service {account}",
                                                          "sn": account})
                self._set_password(conn, dn, service_password(self.s, account))

    # --- helpers ---
    @staticmethod
    def _check(conn, ok: bool, what: str) -> None:
        if not ok:
            raise DirectoryError(f"directory refused to {what}: {conn.result.get('description')} "
                                 f"{conn.result.get('message', '')}".strip())

    @staticmethod
    def _exists(conn, dn: str) -> bool:
        import ldap3

        return bool(conn.search(dn, "(objectClass=*)", search_scope=ldap3.BASE, attributes=["1.1"]))

    def _ensure(self, conn, dn: str, classes: list[str], attrs: dict) -> None:
        if not self._exists(conn, dn):
            self._check(conn, conn.add(dn, classes, attrs), f"add {dn}")

    def _set_password(self, conn, dn: str, password: str) -> None:
        # the Password Modify extended operation: slapd stores a salted Argon2 hash (password-hash)
        ok = conn.extend.standard.modify_password(user=dn, new_password=password)
        self._check(conn, bool(ok), f"set the password of {dn}")

    def _add_member(self, conn, group: str, member: str) -> None:
        import ldap3

        self._check(conn, conn.modify(group, {"member": [(ldap3.MODIFY_ADD, [member])]}), f"add {member} to {group}")


def _escape(value: str) -> str:
    """RFC 4515 escaping of a value inside a search filter."""
    from ldap3.utils.conv import escape_filter_chars

    return escape_filter_chars(value)


def generate_password() -> str:
    return _secrets.token_urlsafe(18)


def write_user_password(settings: Settings, name: str, password: str) -> Path:
    """Write a person's password once to `<lake root>/secrets/users/<name>` (0600); refuses to overwrite."""
    folder = settings.secrets_dir / "users"
    folder.mkdir(parents=True, exist_ok=True)
    os.chmod(settings.secrets_dir, 0o700)
    os.chmod(folder, 0o700)
    path = folder / check_name(name)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(password + "\n")
    return path


# ---------------------------------------------------------------------------------------------------
# The server
# ---------------------------------------------------------------------------------------------------
class DirectoryServer(ManagedProcess, name="directory", what="slapd", port="ldap_port", host="bind_host",
                      pid="slapd", stop_timeout=20):
    """slapd with its own config and MDB database under `<lake root>/ldap`, as `openldap` when started as root.

    Its pid file `<run dir>/slapd.pid` is ours; slapd writes its own under ldap/run/."""

    def __init__(self, settings: Settings):
        super().__init__(settings)
        self.base = settings.lake_root / "ldap"
        self.data = self.base / "data"
        self.conf = self.base / "slapd.conf"
        self.client = Directory(settings)

    @property
    def url(self) -> str:
        return self.client.url

    @property
    def address(self) -> str:
        return self.url.removeprefix("ldap://")

    def detail(self) -> str:
        return f"ldap {self.client.base_dn}"

    def _owner(self) -> tuple[str, str] | None:
        return (SLAPD_USER, SLAPD_USER) if os.geteuid() == 0 else None

    def _slapd(self) -> str:
        for path in ("/usr/sbin/slapd", shutil.which("slapd") or ""):
            if path and Path(path).is_file():
                return path
        raise ServiceError("slapd not found: run `make bootstrap` (Debian packages slapd, ldap-utils)")

    def _root_hash(self) -> str:
        """Salted Argon2 hash of the root DN's password, computed by slappasswd reading it from stdin."""
        proc = subprocess.run(["slappasswd", "-o", "module-load=argon2", "-h", "{ARGON2}", "-T", "/dev/stdin"],
                              input=admin_password(self.s), capture_output=True, text=True, check=False)
        if proc.returncode != 0 or not proc.stdout.startswith("{ARGON2}"):
            raise ServiceError(f"slappasswd failed: {proc.stderr.strip()}")
        return proc.stdout.strip()

    def write_config(self) -> None:
        c = self.client
        (self.base / "run").mkdir(parents=True, exist_ok=True)
        self.data.mkdir(parents=True, exist_ok=True)
        schemas = "".join(f"include /etc/ldap/schema/{s}.schema\n" for s in _SCHEMAS)
        text = f"""# generated by lake/platform/directory.py on every start; do not edit
{schemas}modulepath /usr/lib/ldap
moduleload back_mdb
moduleload argon2
moduleload memberof
moduleload ppolicy
pidfile {self.base / "run" / "slapd.pid"}
argsfile {self.base / "run" / "slapd.args"}
password-hash {{ARGON2}}
disallow bind_anon
require authc
sizelimit 5000

database mdb
maxsize 1073741824
suffix "{c.base_dn}"
rootdn "{c.admin_dn}"
rootpw {self._root_hash()}
directory {self.data}
index objectClass eq
index uid,cn eq
index member eq

overlay memberof
memberof-refint TRUE
overlay ppolicy
ppolicy_default "cn=default,{c.ou_dn('policies')}"

access to attrs=userPassword
  by self =w
  by anonymous auth
  by * none
access to attrs=pwdAccountLockedTime,pwdFailureTime,pwdHistory,pwdChangedTime
  by * none
access to *
  by users read
  by * none
"""
        fd = os.open(self.conf, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.chmod(self.base, 0o700)
        owner = self._owner()
        if owner:
            for root, dirs, files in os.walk(self.base):
                shutil.chown(root, *owner)
                for f in (*dirs, *files):
                    shutil.chown(os.path.join(root, f), *owner)

    def start(self, timeout: float = 30) -> None:
        if not self.running():
            self.check_port_free()
            self.write_config()
            # not through as_user: slapd drops to its account itself (-u/-g) after opening its port
            cmd = [self._slapd(), "-f", str(self.conf), "-h", self.url + "/", "-d", "stats"]
            owner = self._owner()
            if owner:
                cmd += ["-u", owner[0], "-g", owner[1]]
            self.wait_started(self.spawn(cmd, cwd=self.base), timeout)
        self.client.seed()


# ---------------------------------------------------------------------------------------------------
# `lakehouse users ...` and the demo's people
# ---------------------------------------------------------------------------------------------------
#: the demo's people: one per kind of user (manager accounts are added per district with data)
DEMO_PEOPLE: list[tuple[str, str, str, tuple[str, ...]]] = [  # kind, name, full name, groups
    ("quản trị / admin", "quantri", "Quản trị hệ thống", ("admin",)),
    ("phân tích / analyst", "phantich", "Chuyên viên phân tích", ("analyst",)),
    ("quản lý dữ liệu / steward", "luutru", "Cán bộ lưu trữ", ("steward",)),
    ("vận hành / pipeline", "vanhanh", "Cán bộ vận hành", ("pipeline",)),
    ("bảo mật, vùng hạn chế / restricted reader", "baomat", "Cán bộ bảo mật", ("restricted_reader",)),
]


def user_password_path(settings: Settings, name: str) -> Path:
    return settings.secrets_dir / "users" / check_name(name)


def ensure_person(settings: Settings, name: str, groups: tuple[str, ...], full_name: str) -> Path:
    """A person with a generated password in `secrets/users/<name>`; an existing one is left as it is."""
    d = Directory(settings)
    path = user_password_path(settings, name)
    if any(u.name == name for u in d.list_users()):
        return path
    password = path.read_text(encoding="utf-8").strip() if path.is_file() else None
    if password is None:
        password = generate_password()
        write_user_password(settings, name, password)
    d.add_user(name, list(groups), password=password, full_name=full_name)
    return path


def seed_demo_people(settings: Settings, district_codes: list[str]) -> list[tuple[str, str, Path]]:
    """One person per kind of user and a manager per district with data; (kind, name, password file)."""
    out = []
    for kind, name, full, groups in DEMO_PEOPLE:
        out.append((kind, name, ensure_person(settings, name, groups, full)))
    for code in sorted(set(district_codes)):
        name = MANAGER_GROUP.format(code=code)
        out.append((f"quản lý địa bàn {code} / manager", name,
                    ensure_person(settings, name, (name,), f"Quản lý địa bàn {code}")))
    return out


def how_to_log_in(people: list[tuple[str, str, Path]]) -> str:
    """The demo's closing lines: who logs in with which name, and where their password is (never the password)."""
    lines = ["Tài khoản (thư mục LDAP; mỗi người một mật khẩu, đọc trong tệp) / accounts:"]
    for kind, name, path in people:
        lines.append(f"  {kind:<44} {name:<14} mật khẩu trong {path}")
    lines.append("  Thêm / khoá người dùng: .venv/bin/lakehouse users add TÊN --group analyst | users disable TÊN")
    return "\n".join(lines)


def users_command(settings: Settings, args) -> int:
    """`lakehouse users add|disable|enable|list`."""
    import sys

    d = Directory(settings)
    if not d.reachable():
        print(f"lakehouse: the directory at {d.url} does not answer: start it with `lakehouse services up`",
              file=sys.stderr)
        return 2
    try:
        if args.action == "list":
            for u in d.list_users():
                print(u.line())
            return 0
        if not args.name:
            print(f"lakehouse: users {args.action} needs a NAME", file=sys.stderr)
            return 2
        if args.action == "add":
            if args.password_stdin:
                password = sys.stdin.readline().rstrip("\n")
                path = None
            else:
                password, path = generate_password(), user_password_path(settings, args.name)
                if path.exists():
                    raise DirectoryError(f"{path} already exists; remove it first or use --password-stdin")
            user = d.add_user(args.name, args.group or [], password=password, full_name=args.full_name)
            if path is not None:
                write_user_password(settings, args.name, password)
                print(f"{user.line()}\nmật khẩu / password: {path} (0600; give it to the person, then delete it)")
            else:
                print(user.line())
        elif args.action == "disable":
            print(d.disable_user(args.name).line())
        elif args.action == "enable":
            print(d.enable_user(args.name).line())
    except DirectoryError as exc:
        print(f"lakehouse: {exc}", file=sys.stderr)
        return 1
    return 0
