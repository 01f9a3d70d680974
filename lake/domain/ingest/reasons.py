"""Quarantine reasons: an error as a short plain sentence (shared by the file checks and the signature reader)."""

from __future__ import annotations

import re

_OBJECT_REPR = re.compile(r"<[^<>]*? at 0x[0-9a-fA-F]+>")


def plain(exc: BaseException | str, limit: int = 200) -> str:
    """An exception as a plain sentence for a quarantine reason: no object reprs, no control characters,
    bounded length. Callers never put file contents in a reason; this keeps library messages clean too.

    >>> plain("cannot read <_io.BytesIO object at 0x7f00deadbeef>\\x00 twice")
    'cannot read the file  twice'
    """
    text = _OBJECT_REPR.sub("the file", str(exc))
    text = "".join(ch if ch.isprintable() else " " for ch in text).strip()
    return text[:limit] or type(exc).__name__
