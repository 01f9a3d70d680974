"""Secrets come from the environment; when unset they are generated once into the git-ignored lake root.

A generated secret is written with mode 0600 under `<lake root>/secrets/` and reused by every later
process, so a fresh machine works without configuration and nothing secret is ever committed.
"""

from __future__ import annotations

import os
import secrets as _secrets
from pathlib import Path

from lake.core.settings import Settings


def env_secret(env_var: str) -> str:
    """A secret given in the environment ('' when unset). Secrets are read here, never through `Settings`, so no
    settings object (printed, logged, passed to a task) carries one."""
    return os.environ.get(env_var, "").strip()


def take_env_secret(env_var: str) -> str:
    """Like `env_secret`, and removes it from this process's environment (a web app's session key: no child
    process inherits it)."""
    return os.environ.pop(env_var, "").strip()


def get_secret(settings: Settings, env_var: str, name: str, nbytes: int = 24) -> str:
    """The secret in `env_var`, else the one generated once into `<lake root>/secrets/<name>` (mode 0600)."""
    value = env_secret(env_var)
    if value:
        return value
    path: Path = settings.secrets_dir / name
    if path.is_file():
        return path.read_text(encoding="utf-8").strip()
    settings.secrets_dir.mkdir(parents=True, exist_ok=True)
    os.chmod(settings.secrets_dir, 0o700)
    value = _secrets.token_urlsafe(nbytes)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(value + "\n")
    return value


def metastore_password(settings: Settings) -> str:
    """The metastore's Postgres password (LAKEHOUSE_PG_PASSWORD, else generated once)."""
    return get_secret(settings, "LAKEHOUSE_PG_PASSWORD", "postgres_password")
