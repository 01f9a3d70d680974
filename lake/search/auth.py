"""Who may use the reading room, and which localities they see.

People log in with their directory account (`lake.directory`, the OpenLDAP server of the security work); their
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
    """Binds as the person against the project's directory, then reads their groups."""

    def __init__(self, settings):
        from lake.directory import Directory

        self.directory = Directory(settings)

    def authenticate(self, user: str, password: str) -> Principal | None:
        if not self.directory.authenticate(user, password):
            return None
        return Principal(user, tuple(self.directory.groups_of(user)))
