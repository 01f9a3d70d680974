"""Deterministic row hashes: a silver row's identity for "did anything change?"."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Mapping
from typing import Any

AUDIT_COLUMNS = ("row_hash", "silver_run_id", "updated_at")


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(dt.UTC).replace(tzinfo=None)
        return value.isoformat(timespec="microseconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        return round(value, 6)
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in sorted(value.items(), key=lambda kv: str(kv[0]))}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if hasattr(value, "asDict"):  # pyspark Row
        return _plain(value.asDict(recursive=True))
    return value


def row_hash(row: Mapping[str, Any], columns: list[str] | tuple[str, ...] | None = None) -> str:
    """SHA-256 of the row's business columns (audit columns excluded), independent of key order.

    >>> h = row_hash({"a": 1, "b": "x"})
    >>> h == row_hash({"b": "x", "a": 1}) == row_hash({"a": 1, "b": "x", "silver_run_id": "r2"})
    True
    >>> row_hash({"a": 1, "b": "x"}) == row_hash({"a": 2, "b": "x"})
    False
    """
    names = [c for c in (columns or sorted(row)) if c not in AUDIT_COLUMNS]
    blob = json.dumps({c: _plain(row.get(c)) for c in names}, sort_keys=True, ensure_ascii=False,
                      separators=(",", ":"))
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


def with_audit(rows: list[dict], columns: list[str], run_id: str, now: dt.datetime) -> list[dict]:
    """Rows completed with every contract column, their hash and the audit columns. A re-run that computes the
    same business values gets the same `row_hash`, so `lake.domain.silver.sync.sync_table` writes nothing.

    >>> import datetime as dt
    >>> cols = ["code", "name", "row_hash", "silver_run_id", "updated_at"]
    >>> first = with_audit([{"code": "a", "name": "Hoàn Kiếm"}], cols, "run-1", dt.datetime(2025, 7, 1))
    >>> again = with_audit([{"name": "Hoàn Kiếm", "code": "a"}], cols, "run-2", dt.datetime(2025, 7, 2))
    >>> first[0]["row_hash"] == again[0]["row_hash"], again[0]["silver_run_id"]
    (True, 'run-2')
    >>> with_audit([{"code": "b", "nme": "x"}], cols, "run-3", dt.datetime(2025, 7, 3))
    Traceback (most recent call last):
    ...
    ValueError: columns not in the contract: ['nme']
    """
    out = []
    for r in rows:
        unknown = set(r) - set(columns)
        if unknown:
            raise ValueError(f"columns not in the contract: {sorted(unknown)}")
        full = {c: r.get(c) for c in columns if c not in AUDIT_COLUMNS}
        full["row_hash"] = row_hash(full, list(full))
        full["silver_run_id"] = run_id
        full["updated_at"] = now
        out.append(full)
    return out
