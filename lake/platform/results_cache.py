"""Superset's results cache: a Redis server (Debian `redis-server`) on 127.0.0.1:`LAKEHOUSE_REDIS_PORT`.

`lakehouse services up` starts it before Superset; Superset keeps chart data (DATA_CACHE_CONFIG) and its
metadata cache there, so a dashboard opened a second time does not query Spark again.

- Password: `LAKEHOUSE_REDIS_PASSWORD`, else generated once into `<lake root>/secrets/redis_password`. Redis
  reads its configuration, password included, from standard input (`redis-server -`): the password is in no
  generated file and on no command line. Superset gets it in its process environment
  (`LAKEHOUSE_REDIS_PASSWORD`), never in its config file.
- Never root: started as the web services' account (`lakehouse-web`, lake.core.os_accounts) when the CLI runs as
  root; its data directory `<lake root>/redis` is that account's, mode 0700. Nothing is persisted (no RDB, no
  AOF): a cache lost on restart is refilled by the next query.
- Listens on the bind host only (`protected-mode yes`), no other interface.
"""

from __future__ import annotations

import os
import shutil
import socket
from pathlib import Path

from lake.core.secrets import get_secret
from lake.core.settings import Settings
from lake.platform.process import ManagedProcess, ServiceError

PASSWORD_ENV = "LAKEHOUSE_REDIS_PASSWORD"
MAXMEMORY = "256mb"


def redis_password(settings: Settings) -> str:
    return get_secret(settings, PASSWORD_ENV, "redis_password")


def redis_config(settings: Settings, password: str, data_dir: Path) -> str:
    """The configuration fed to `redis-server -` on standard input."""
    return "\n".join([
        f"bind {settings.bind_host}",
        f"port {settings.redis_port}",
        "protected-mode yes",
        f'requirepass "{password}"',
        f"dir {data_dir}",
        'save ""',
        "appendonly no",
        "daemonize no",
        f"maxmemory {MAXMEMORY}",
        "maxmemory-policy allkeys-lru",
        "loglevel notice",
        "",
    ])


def command(host: str, port: int, password: str | None, *parts: str, timeout: float = 5.0) -> str:
    """Send AUTH (when a password is given) then one command in Redis' protocol; return the command's reply line
    ('+PONG', '+OK', or an error such as '-NOAUTH …')."""
    def encode(*words: str) -> bytes:
        out = f"*{len(words)}\r\n"
        for w in words:
            out += f"${len(w.encode())}\r\n{w}\r\n"
        return out.encode()

    with socket.create_connection((host, port), timeout=timeout) as sock:
        sock.sendall((encode("AUTH", password) if password is not None else b"") + encode(*parts))
        want = 2 if password is not None else 1
        replies: list[str] = []
        buf = b""
        while len(replies) < want:
            chunk = sock.recv(4096)
            if not chunk:
                break
            buf += chunk
            *lines, buf = buf.split(b"\r\n")
            replies += [line.decode() for line in lines if line]
    return replies[-1] if replies else ""


def ping(host: str, port: int, password: str | None, timeout: float = 2.0) -> str:
    return command(host, port, password, "PING", timeout=timeout)


class ResultsCache(ManagedProcess, name="redis-cache", what="Redis (results cache)", port="redis_port",
                   host="bind_host", pid="redis", stop_timeout=15):
    """The Redis server behind Superset's results cache."""

    def __init__(self, settings: Settings):
        super().__init__(settings)
        self.data_dir = settings.lake_root / "redis"

    @property
    def url(self) -> str:
        """Redis URL without the password (Superset's config adds it from its environment)."""
        return f"redis://{self.s.bind_host}:{self.s.redis_port}/0"

    def detail(self) -> str:
        return "Superset results cache"

    def start(self, timeout: float = 30) -> None:
        from lake.core.os_accounts import WEB_USER, as_user, ensure_service_accounts, is_root

        if self.running():
            return
        binary = shutil.which("redis-server")
        if not binary:
            raise ServiceError("redis-server is not installed: run scripts/bootstrap.sh (Debian redis-server)")
        self.check_port_free()
        self.data_dir.mkdir(parents=True, exist_ok=True)
        os.chmod(self.data_dir, 0o700)
        if is_root():
            ensure_service_accounts()
            shutil.chown(self.data_dir, user=WEB_USER, group=WEB_USER)
        config = redis_config(self.s, redis_password(self.s), self.data_dir).encode()
        proc = self.spawn(as_user([binary, "-"], WEB_USER), cwd=self.data_dir, stdin=config)
        self.wait_started(proc, timeout)

    def flush(self) -> None:
        """Empty the cache (a cold start for the next dashboard; the data changed after a dbt build)."""
        reply = command(self.s.bind_host, self.s.redis_port, redis_password(self.s), "FLUSHALL")
        if reply != "+OK":
            raise RuntimeError(f"Redis FLUSHALL answered {reply!r}")
