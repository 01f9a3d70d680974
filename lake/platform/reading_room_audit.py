"""Audit of document views in the reading room: who opened which shared document (and page), when, from where.

The reading room has no Spark and no write access to the tables: each view is appended as one JSON line to
`<lake root>/audit/document_views/<yyyy-mm-dd>.jsonl` (opened O_APPEND, one write per event, flushed before
the page is sent; a view whose event cannot be written is refused). `load_views` (run by `lakehouse index`
after each pipeline run, and by `lakehouse search audit-load`) appends the events not yet loaded into the
append-only Delta table `ops.document_views` (contract `lake.core.contracts.DOCUMENT_VIEWS`), keyed by event id, so
loading twice adds nothing.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import socket
import uuid
from pathlib import Path

from lake.core.settings import Settings


class AuditError(RuntimeError):
    pass


def spool_dir(settings: Settings) -> Path:
    return settings.lake_root / "audit" / "document_views"


def view_event(person: str, code: str, action: str, page: int | None = None, client: str | None = None,
               outcome: str = "granted", detail: str = "", now: dt.datetime | None = None) -> dict:
    return {"event_id": uuid.uuid4().hex, "viewed_at": (now or dt.datetime.now(dt.UTC)).isoformat(),
            "person": person, "document_code": code, "page": page, "action": action, "channel": "reading_room",
            "outcome": outcome, "detail": detail, "client_address": client, "host": socket.gethostname()}


def write_event(settings: Settings, event: dict) -> None:
    """Append one event to today's spool file (AuditError when it cannot be written)."""
    folder = spool_dir(settings)
    path = folder / f"{event['viewed_at'][:10]}.jsonl"
    line = (json.dumps(event, ensure_ascii=False, sort_keys=True) + "\n").encode("utf-8")
    try:
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            os.write(fd, line)
            os.fsync(fd)
        finally:
            os.close(fd)
    except OSError as exc:
        raise AuditError(f"cannot write the audit event to {path}: {exc}") from exc


def read_spool(settings: Settings) -> list[dict]:
    out = []
    for path in sorted(spool_dir(settings).glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                out.append(json.loads(line))
    return out


def prepare_spool(settings: Settings, owner: str | None) -> None:
    """Create the spool folder, owned by the reading room's account (owner-only)."""
    folder = spool_dir(settings)
    folder.mkdir(parents=True, exist_ok=True)
    os.chmod(folder, 0o700)
    os.chmod(folder.parent, 0o700)
    if owner:
        import shutil

        # audit/ lets the web account's group pass through to its own folder; no "other" bit (lake.core.zones)
        shutil.chown(folder.parent, group=owner)
        os.chmod(folder.parent, 0o710)
        shutil.chown(folder, owner, owner)
        for p in folder.iterdir():
            shutil.chown(p, owner, owner)


def load_views(spark, settings: Settings) -> int:
    """Append the spooled events not yet in ops.document_views; returns how many were added."""
    from pyspark.sql import functions as F

    from lake.core import contracts as C
    from lake.core.delta import ensure_table

    events = read_spool(settings)
    ensure_table(spark, C.DOCUMENT_VIEWS, settings)
    if not events:
        return 0
    schema = C.DOCUMENT_VIEWS.spark_schema()
    rows = [{**e, "viewed_at": dt.datetime.fromisoformat(e["viewed_at"])} for e in events]
    df = spark.createDataFrame([tuple(r.get(c) for c in schema.fieldNames()) for r in rows], schema)
    table = spark.table(C.DOCUMENT_VIEWS.full_name).select("event_id")
    new = df.join(table, "event_id", "left_anti").dropDuplicates(["event_id"])
    count = new.count()
    if count:
        new.select(*[F.col(c) for c in schema.fieldNames()]).write.format("delta").mode("append") \
            .saveAsTable(C.DOCUMENT_VIEWS.full_name)
    return count
