"""Superset's results cache (Redis, lake/platform/results_cache.py): refuses a client without the password, answers with
it, listens on the loopback only, never runs as root, and keeps its password out of files and command lines.
Needs only the Debian redis-server (no Spark)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from lake.platform.results_cache import ResultsCache, ping, redis_password

pytestmark = pytest.mark.skipif(shutil.which("redis-server") is None, reason="redis-server is a bootstrap package")


@pytest.fixture(scope="module")
def cache(lake_env):
    c = ResultsCache(lake_env)
    started_here = not c.running()  # Superset's session fixture may have started it: leave that one running
    c.start()
    yield c
    if started_here:
        c.stop()


def test_password_required(cache, lake_env):
    assert "NOAUTH" in ping("127.0.0.1", lake_env.redis_port, None)
    assert ping("127.0.0.1", lake_env.redis_port, "wrong-password").startswith("-")
    assert ping("127.0.0.1", lake_env.redis_port, redis_password(lake_env)) == "+PONG"


def test_not_root_loopback_and_no_secret_outside_secrets(cache, lake_env):
    password = redis_password(lake_env)
    server = next(p for p in Path("/proc").iterdir() if p.name.isdigit() and _is_redis_of(p, lake_env.redis_port))
    assert server.stat().st_uid != 0, "redis-server runs as root"
    assert password not in (server / "cmdline").read_bytes().decode(errors="replace")
    listen = [line.split()[1] for line in Path("/proc/net/tcp").read_text().splitlines()[1:]
              if line.split()[3] == "0A" and int(line.split()[1].split(":")[1], 16) == lake_env.redis_port]
    assert listen == ["0100007F:" + f"{lake_env.redis_port:04X}"]  # 127.0.0.1 only
    for path in lake_env.lake_root.rglob("*"):
        if path.is_file() and lake_env.secrets_dir not in path.parents and path.stat().st_size < 5_000_000:
            assert password.encode() not in path.read_bytes(), path
    assert (lake_env.secrets_dir / "redis_password").stat().st_mode & 0o077 == 0


def test_superset_config_names_the_cache_without_its_password(cache, lake_env):
    from lake.platform.superset import Superset

    sup = Superset(lake_env)
    sup.write_config()
    text = sup.config_path.read_text(encoding="utf-8")
    assert '"CACHE_TYPE": "RedisCache"' in text and str(lake_env.redis_port) in text
    assert redis_password(lake_env) not in text
    assert sup.env()["LAKEHOUSE_REDIS_PASSWORD"] == redis_password(lake_env)


def _is_redis_of(proc: Path, port: int) -> bool:
    """redis-server sets its process title to 'redis-server <host>:<port>'."""
    try:
        cmd = (proc / "cmdline").read_bytes()
    except OSError:
        return False
    title = cmd.split(b"\0")[0].split(b" ")
    return title[0].rsplit(b"/", 1)[-1] == b"redis-server" and title[-1].endswith(f":{port}".encode())
