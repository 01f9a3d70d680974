"""Whether a process is alive, for pid files (`lake.platform.process`) and job locks (`lake.core.joblock`)."""

from __future__ import annotations

import os
from pathlib import Path


def proc_state(stat: str) -> str:
    """The one-letter state in the text of `/proc/<pid>/stat`.

    The second field is the command name in parentheses, which may itself hold spaces and ')', so the state
    is the first field after the *last* ')'.

    >>> proc_state("42 (sleep) S 1 42 42 0 -1")
    'S'
    >>> proc_state("43 (a) Z b) R 1 43 43 0 -1")
    'R'
    """
    return stat.rpartition(")")[2].split()[0]


def pid_alive(pid: int) -> bool:
    """True while process `pid` exists and is not a zombie.

    - No such process: False. A process of another account (signal refused): it exists, so its state decides.
    - A zombie (state Z, exited but not yet reaped) counts as gone.
    - `/proc/<pid>/stat` missing after the signal found the process: it ended in between, False. Present but
      unreadable or unparsable (a /proc mounted with `hidepid`): the signal said it exists, so True.

    >>> pid_alive(os.getpid())
    True
    """
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass
    try:
        return proc_state(Path(f"/proc/{pid}/stat").read_text(encoding="utf-8", errors="replace")) != "Z"
    except FileNotFoundError:
        return False
    except (OSError, IndexError):
        return True


def pid_from_file(pidfile: Path) -> int | None:
    """The live process whose id a service wrote into `pidfile` (None when absent, unreadable or dead)."""
    try:
        pid = int(pidfile.read_text().strip())
    except (OSError, ValueError):
        return None
    return pid if pid_alive(pid) else None
