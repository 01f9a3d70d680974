"""Who runs a service: the OS accounts of every process in its process group (the services start each in a new
session; the `runuser` wrapper that root leaves waiting for the child is not the service)."""

from __future__ import annotations

import os
import pwd
import subprocess


def group_owners(pgid: int) -> list[tuple[int, str, str]]:
    """(pid, user, command) of every process of process group `pgid` but the runuser wrapper."""
    out = subprocess.run(["ps", "-eo", "pid=,pgid=,user:32=,comm="], capture_output=True, text=True,
                         check=True).stdout
    rows = []
    for line in out.splitlines():
        pid, group, user, comm = line.split(None, 3)
        if int(group) == pgid and comm != "runuser":
            rows.append((int(pid), user, comm))
    return rows


def expected_service_user(account: str) -> str:
    """`account` when the tests run as root (the services drop to it), else the user running the tests."""
    return account if os.geteuid() == 0 else pwd.getpwuid(os.geteuid()).pw_name


def ps_user(pid: int) -> str:
    return subprocess.run(["ps", "-o", "user=", "-p", str(pid)], capture_output=True, text=True,
                          check=True).stdout.strip()
