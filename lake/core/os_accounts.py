"""Operating-system accounts of the lakehouse: who runs each service and which groups open which zone.

The pipeline (the CLI and its Spark jobs) runs as the user who invokes it and owns the lake root. No
service runs as root: when the CLI is started as root it creates these system accounts on first use and
starts each service as its own account; run as an ordinary user, everything runs as that user.

| account / group          | what it is                                                            |
|--------------------------|-----------------------------------------------------------------------|
| `lakehouse-sql`          | runs the shared SQL endpoint (Spark Thrift Server)                    |
| `lakehouse-web`          | runs the web services (Superset, the catalog site, the reading room)  |
| `lakehouse-search`       | runs the search engine (OpenSearch); owns only `<lake root>/search`   |
| `lakehouse-shared`       | group that may read the shared zone (gold, the shared part of silver) |
| `lakehouse-restricted`   | group that may read the restricted zone (classified / personal data)  |

>>> SQL_USER, WEB_USER, SHARED_GROUP, RESTRICTED_GROUP
('lakehouse-sql', 'lakehouse-web', 'lakehouse-shared', 'lakehouse-restricted')
>>> as_user(["id", "-u"], "lakehouse-sql", euid=0)
['runuser', '-u', 'lakehouse-sql', '--', 'id', '-u']
>>> as_user(["id", "-u"], "lakehouse-sql", euid=1000)
['id', '-u']
"""

from __future__ import annotations

import grp
import os
import pwd
import subprocess

SQL_USER = "lakehouse-sql"
WEB_USER = "lakehouse-web"
SEARCH_USER = "lakehouse-search"
SHARED_GROUP = "lakehouse-shared"
RESTRICTED_GROUP = "lakehouse-restricted"

#: service account -> supplementary groups it is created with
SERVICE_ACCOUNTS: dict[str, tuple[str, ...]] = {
    SQL_USER: (SHARED_GROUP,),
    WEB_USER: (SHARED_GROUP,),
    SEARCH_USER: (),  # holds only the shared index it is fed over HTTP; reads no zone
}


class AccountError(RuntimeError):
    """An OS account or group could not be created or looked up."""


def is_root() -> bool:
    """True when this process runs as root (effective uid 0)."""
    return os.geteuid() == 0


def _known(lookup, name: str) -> bool:
    """True when `lookup` (grp.getgrnam, pwd.getpwnam) finds `name` (it raises KeyError otherwise)."""
    try:
        lookup(name)
    except KeyError:
        return False
    return True


def group_exists(name: str) -> bool:
    """True when the system has a group called `name`."""
    return _known(grp.getgrnam, name)


def user_exists(name: str) -> bool:
    """True when the system has a user account called `name`."""
    return _known(pwd.getpwnam, name)


def ensure_group(name: str) -> None:
    """Create the system group `name` if it does not exist (root only; a no-op otherwise)."""
    if group_exists(name) or not is_root():
        return
    _run(["groupadd", "--system", name])


def ensure_user(name: str, groups: tuple[str, ...] = ()) -> None:
    """Create the system account `name` (no login shell, no home) in `groups`, idempotently.

    Run as root only; as an ordinary user the services run as that user and this does nothing.
    """
    if not is_root():
        return
    for g in groups:
        ensure_group(g)
    if not user_exists(name):
        # its own group, unless the zones already made a group of that name (a lake written before the first
        # `services up`: lake.core.zones creates the SQL zone's group): then that group is its primary one
        own = ["--gid", name] if group_exists(name) else ["--user-group"]
        _run(["useradd", "--system", *own, "--no-create-home", "--home-dir", "/nonexistent",
              "--shell", "/usr/sbin/nologin", name])
    have = {g.gr_name for g in grp.getgrall() if name in g.gr_mem}
    for g in groups:
        if g not in have:
            _run(["usermod", "-a", "-G", g, name])


def ensure_service_accounts() -> None:
    """Every service account of SERVICE_ACCOUNTS and the zone groups (root only)."""
    for g in (SHARED_GROUP, RESTRICTED_GROUP):
        ensure_group(g)
    for name, groups in SERVICE_ACCOUNTS.items():
        ensure_user(name, groups)


def as_user(cmd: list[str], user: str, *, euid: int | None = None) -> list[str]:
    """`cmd` prefixed to run as `user` when we are root; unchanged otherwise (we already are unprivileged)."""
    if (os.geteuid() if euid is None else euid) == 0:
        return ["runuser", "-u", user, "--", *cmd]
    return list(cmd)


def uid_gid(user: str) -> tuple[int, int]:
    """Numeric uid and primary gid of `user` (AccountError when it does not exist)."""
    try:
        entry = pwd.getpwnam(user)
    except KeyError as exc:
        raise AccountError(f"OS account {user!r} does not exist (run `lakehouse services up` as root once)") from exc
    return entry.pw_uid, entry.pw_gid


def give_tree(path, user: str, mode: int = 0o700) -> None:
    """`path` (a directory) and everything below it owned by `user` (its own group), the top `mode`; as root only.

    A service's own place (e.g. Superset's home): nobody else may read it. A no-op for an ordinary user."""
    if not is_root():
        return
    uid, gid = uid_gid(user)
    for dirpath, dirnames, filenames in os.walk(path):
        for name in (dirpath, *(os.path.join(dirpath, n) for n in (*dirnames, *filenames))):
            st = os.lstat(name)
            if (st.st_uid, st.st_gid) != (uid, gid):
                os.chown(name, uid, gid, follow_symlinks=False)
    os.chmod(path, mode)


def _run(cmd: list[str]) -> None:
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise AccountError(f"{' '.join(cmd)} failed: {proc.stderr.strip()}")
