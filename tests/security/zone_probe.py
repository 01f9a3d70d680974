"""Helpers for the zone tests: list files of a zone, try to open them as another OS user."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

PROBE = (
    "import sys\n"
    "for p in sys.stdin.read().split('\\0'):\n"
    "    if p:\n"
    "        try:\n"
    "            open(p, 'rb').close()\n"
    "            print(p)\n"
    "        except OSError:\n"
    "            pass\n"
)


def files_under(*roots: Path) -> list[Path]:
    out = []
    for root in roots:
        for dirpath, _, filenames in os.walk(root):
            out.extend(Path(dirpath) / f for f in filenames if not (Path(dirpath) / f).is_symlink())
    return out


def readable_as(user: str, paths: list[Path]) -> list[str]:
    """The paths `user` can open for reading (each tried with open() in a subprocess running as `user`)."""
    proc = subprocess.run(["runuser", "-u", user, "--", "/usr/bin/python3", "-c", PROBE],
                          input="\0".join(map(str, paths)), capture_output=True, text=True, check=True)
    return proc.stdout.split()
