"""Who may use the reading room, and which localities they see.

People log in with their directory account (`lake.platform.directory`, the OpenLDAP server of the security work); their
groups decide what they search:

| group                                   | sees                                         |
|-----------------------------------------|----------------------------------------------|
| `admin`, `analyst`, `steward`, `restricted_reader` | every shared document                 |
| `quanly_<district code>`                | only that old district's documents (several groups add up) |
| anything else (`pipeline`, none)        | nothing: the login is refused                |

Restricted documents are never in the index, whoever asks.

>>> Principal("an", ("quanly_001",)).scope_districts
['001']
>>> Principal("binh", ("analyst", "quanly_001")).scope_districts is None
True
>>> Principal("robot", ("pipeline",)).may_read
False
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

READ_ALL_GROUPS = frozenset({"admin", "analyst", "steward", "restricted_reader"})
MANAGER_PREFIX = "quanly_"


@dataclass(frozen=True)
class Principal:
    name: str
    groups: tuple[str, ...]

    @property
    def scope_districts(self) -> list[str] | None:
        """None: every locality; a list: only these old districts (a locality manager)."""
        if READ_ALL_GROUPS & set(self.groups):
            return None
        return sorted(g[len(MANAGER_PREFIX):] for g in self.groups if g.startswith(MANAGER_PREFIX))

    @property
    def may_read(self) -> bool:
        scope = self.scope_districts
        return scope is None or bool(scope)


class Authenticator(Protocol):
    def authenticate(self, user: str, password: str) -> Principal | None:
        """The person when the password is theirs, else None (never raises for a wrong password)."""


class DirectoryAuthenticator:
    """Binds as the person against the project's directory (`lake.platform.directory`) and reads their groups over that
    same connection: the reading room holds no directory password of its own (the root DN's stays with the
    pipeline). A disabled, unknown or malformed account, or a wrong or empty password, is refused."""

    def __init__(self, settings):
        from lake.platform.directory import Directory

        self.directory = Directory(settings)
        self.settings = settings

    def authenticate(self, user: str, password: str) -> Principal | None:
        import ldap3
        from ldap3.core.exceptions import LDAPException
        from ldap3.utils.conv import escape_filter_chars

        from lake.platform.directory import DirectoryError

        if not password:
            return None
        try:
            dn = self.directory.user_dn(user)
        except DirectoryError:
            return None
        server = ldap3.Server(self.settings.bind_host, port=self.settings.ldap_port, connect_timeout=5)
        conn = ldap3.Connection(server, user=dn, password=password, receive_timeout=15, raise_exceptions=False)
        try:
            if not conn.bind():
                return None
            member = f"(&(objectClass=groupOfNames)(member={escape_filter_chars(dn)}))"
            conn.search(self.directory.ou_dn("groups"), member, attributes=["cn"])
            groups = tuple(sorted(str(e.cn.value) for e in conn.entries))
        except LDAPException:
            return None
        finally:
            conn.unbind()
        return Principal(user, groups)
