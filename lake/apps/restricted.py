"""Audited reading of restricted documents, and the audit view for the security officer.

`lakehouse restricted show CODE` prints one row of silver.restricted_documents (classified or personal-data
document: its fields and OCR full text) to a person allowed to read the restricted zone, and appends who read
which document, when and through what to `ops.restricted_access_log` (Delta, `delta.appendOnly=true`: rows are
never updated or deleted). A refused attempt is logged too. `lakehouse audit [--since DATE] [--user NAME]`
lists the log.

Who is asking: the command needs the pipeline's rights (the restricted table and the audit log are closed to
everybody else on disk, lake.core.zones), so a person runs it through sudo, e.g. a sudoers rule
`%lakehouse-restricted ALL=(root) /opt/lakehouse/.venv/bin/lakehouse restricted show *`. sudo sets
SUDO_USER to the person's login, which a caller cannot forge without already being root; run without sudo,
the person is the process's own login. Root itself is not a person: `root` is refused.

Who may read: members of the OS group `lakehouse-restricted`, or, when the directory (lake.platform.directory) knows
the person, members of its group `restricted_reader`.

>>> authorise("lan", {"lakehouse-restricted"})
Decision(granted=True, reason='nhóm lakehouse-restricted')
>>> authorise("root", {"lakehouse-restricted"}).granted
False
>>> authorise("nobody", set())
Decision(granted=False, reason='không thuộc nhóm lakehouse-restricted / restricted_reader')
"""

from __future__ import annotations

import contextlib
import datetime as dt
import grp
import os
import pwd
import socket
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from lake.core import contracts as C
from lake.core.os_accounts import RESTRICTED_GROUP
from lake.core.settings import Settings

DIRECTORY_GROUP = "restricted_reader"  # the directory's group of people cleared for the restricted zone

#: (column, Vietnamese label) shown by `restricted show`, in order; full_text and personal data follow
SHOWN_FIELDS = (
    ("document_code", "Mã văn bản"), ("record_code", "Mã hồ sơ"), ("agency_code", "Mã cơ quan"),
    ("restriction_reasons", "Lý do hạn chế"), ("secrecy", "Độ mật"), ("type_name", "Tên loại"),
    ("symbol", "Số và ký hiệu"), ("document_date", "Ngày văn bản"), ("issuer", "Cơ quan ban hành"),
    ("subject", "Trích yếu"), ("signer_name", "Người ký"),
)
AUDIT_HEADINGS = (
    ("accessed_at", "Thời điểm"), ("person", "Người truy cập"), ("document_code", "Văn bản"),
    ("action", "Hành động"), ("channel", "Kênh"), ("outcome", "Kết quả"), ("detail", "Ghi chú"),
)


class AccessRefused(PermissionError):
    """The caller may not read restricted documents (the message is for people, in Vietnamese)."""


@dataclass(frozen=True)
class Decision:
    granted: bool
    reason: str


def caller(environ: Mapping[str, str] | None = None, euid: int | None = None) -> str:
    """The person asking: SUDO_USER when we run as root through sudo, else the login of our real uid.

    >>> caller({"SUDO_USER": "lan"}, euid=0)
    'lan'
    >>> caller({"SUDO_USER": "lan"}, euid=12345) == pwd.getpwuid(os.getuid()).pw_name
    True
    """
    environ = os.environ if environ is None else environ
    euid = os.geteuid() if euid is None else euid
    if euid == 0 and environ.get("SUDO_USER"):
        return environ["SUDO_USER"]
    return pwd.getpwuid(os.getuid()).pw_name


def os_groups(person: str) -> set[str]:
    """The OS groups of `person` (supplementary and primary); empty when the account does not exist."""
    try:
        primary = grp.getgrgid(pwd.getpwnam(person).pw_gid).gr_name
    except KeyError:
        return set()
    return {g.gr_name for g in grp.getgrall() if person in g.gr_mem} | {primary}


def authorise(person: str, groups: Iterable[str]) -> Decision:
    """May `person`, member of `groups` (OS and directory groups together), read restricted documents?"""
    groups = set(groups)
    if person == "root":
        return Decision(False, "root không phải là một người dùng: hãy chạy qua sudo bằng tài khoản của mình")
    for g in (RESTRICTED_GROUP, DIRECTORY_GROUP):
        if g in groups:
            return Decision(True, f"nhóm {g}")
    return Decision(False, f"không thuộc nhóm {RESTRICTED_GROUP} / {DIRECTORY_GROUP}")


def directory_groups(settings: Settings, person: str) -> set[str]:
    """The person's groups in the directory, when lake.platform.directory is available and answers; else empty."""
    from lake.platform.directory import Directory, DirectoryError

    try:
        return set(Directory(settings).groups_of(person))
    except (DirectoryError, OSError):  # directory down or name not valid there: decide on the OS groups alone
        return set()


def audit_row(person: str, code: str, outcome: str, detail: str = "", action: str = "show",
              channel: str = "cli", now: dt.datetime | None = None) -> dict:
    return {
        "event_id": uuid.uuid4().hex, "accessed_at": now or dt.datetime.now(dt.UTC), "person": person,
        "document_code": code, "action": action, "channel": channel, "outcome": outcome, "detail": detail,
        "os_user": pwd.getpwuid(os.geteuid()).pw_name, "host": socket.gethostname(),
    }


def format_document(row: Mapping) -> str:
    """A restricted document as people read it (Vietnamese labels), personal data found, then the full text."""
    lines = []
    for col, label in SHOWN_FIELDS:
        value = row.get(col)
        if isinstance(value, (list, tuple)):
            value = ", ".join(str(v) for v in value)
        lines.append(f"{label + ':':<18} {'' if value is None else value}")
    found = row.get("personal_data") or []
    if found:
        lines.append("Dữ liệu cá nhân:")
        lines.extend(f"  - {p['kind']}: {p['text']} (trang {p['page_in_document']})" for p in found)
    lines.append("Toàn văn:")
    lines.append(row.get("full_text") or "")
    return "\n".join(lines)


def format_audit(rows: list[Mapping]) -> str:
    """The audit log as a plain table with Vietnamese headings."""
    cells = [[h for _, h in AUDIT_HEADINGS]]
    for r in rows:
        out = []
        for col, _ in AUDIT_HEADINGS:
            v = r.get(col)
            if isinstance(v, dt.datetime):
                v = v.strftime("%Y-%m-%d %H:%M:%S")
            out.append("" if v is None else str(v))
        cells.append(out)
    widths = [max(len(row[i]) for row in cells) for i in range(len(AUDIT_HEADINGS))]
    text = ["  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in cells]
    text.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(text)


# --- the Spark side ---------------------------------------------------------------------------------
def log_access(spark, settings: Settings, rows: list[dict]) -> None:
    """Append audit rows to the restricted zone's access log (created from its contract when missing)."""
    from lake.core.delta import append, ensure_table

    ensure_table(spark, C.RESTRICTED_ACCESS_LOG, settings)
    append(spark, C.RESTRICTED_ACCESS_LOG, rows)


def show(spark, settings: Settings, code: str, person: str, groups: Iterable[str]) -> str:
    """The document as text, after logging the access; AccessRefused (logged too) when not allowed."""
    decision = authorise(person, groups)
    if not decision.granted:
        log_access(spark, settings, [audit_row(person, code, "refused", decision.reason)])
        raise AccessRefused(f"Từ chối: {person} không được đọc tài liệu hạn chế ({decision.reason}).")
    from pyspark.sql import functions as F

    from lake.core.delta import ensure_table

    ensure_table(spark, C.SILVER_RESTRICTED_DOCUMENTS, settings)
    found = spark.table(C.SILVER_RESTRICTED_DOCUMENTS.full_name).where(F.col("document_code") == code).collect()
    if not found:
        log_access(spark, settings, [audit_row(person, code, "not_found", decision.reason)])
        raise LookupError(f"Không có văn bản hạn chế mã {code}.")
    log_access(spark, settings, [audit_row(person, code, "granted", decision.reason)])
    return format_document(found[0].asDict(recursive=True))


def export_pdfs(spark, settings: Settings, code: str, person: str, groups: Iterable[str], out_dir) -> list:
    """Copy the searchable PDF access copies of the scan files holding the document's pages into `out_dir`
    (mode 0600, owned by the person when we run as root), after logging the access (action "pdf").

    Access copies sit in the bronze zone, which only the pipeline reads; this is the audited way out for a
    cleared person. AccessRefused (logged) when not allowed, LookupError when there is no such document/copy."""
    import shutil
    from pathlib import Path

    from pyspark.sql import functions as F

    from lake.core.delta import ensure_table

    decision = authorise(person, groups)
    if not decision.granted:
        log_access(spark, settings, [audit_row(person, code, "refused", decision.reason, action="pdf")])
        raise AccessRefused(f"Từ chối: {person} không được đọc tài liệu hạn chế ({decision.reason}).")
    for contract in (C.SILVER_RESTRICTED_DOCUMENTS, C.get_contract("silver.document_pages"), C.ACCESS_COPIES):
        ensure_table(spark, contract, settings)
    restricted = spark.table(C.SILVER_RESTRICTED_DOCUMENTS.full_name).where(F.col("document_code") == code)
    shas = (spark.table("silver.document_pages").where(F.col("document_code") == code)
            .join(restricted.select("document_code"), "document_code").select("sha256").distinct())
    copies = (spark.table(C.ACCESS_COPIES.full_name).join(shas, "sha256")
              .select("sha256", "pdf_path").orderBy("sha256").collect())
    if not copies:
        log_access(spark, settings, [audit_row(person, code, "not_found", decision.reason, action="pdf")])
        raise LookupError(f"Không có bản sao PDF của văn bản hạn chế mã {code}.")
    log_access(spark, settings,
               [audit_row(person, code, "granted", f"{decision.reason}; {len(copies)} PDF", action="pdf")])
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for i, row in enumerate(copies, 1):
        dest = out_dir / f"{code}-{i}.pdf"
        fd = os.open(dest, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as fh, open(settings.lake_root / row["pdf_path"], "rb") as src:
            shutil.copyfileobj(src, fh)
        if os.geteuid() == 0:
            with contextlib.suppress(KeyError):
                shutil.chown(dest, person, pwd.getpwnam(person).pw_gid)
        written.append(dest)
    return written


def audit_rows(spark, settings: Settings, since: dt.date | None = None, person: str | None = None) -> list[dict]:
    """The access log's rows in time order, from `since` and of one `person` when given."""
    from pyspark.sql import functions as F

    from lake.core.delta import ensure_table

    ensure_table(spark, C.RESTRICTED_ACCESS_LOG, settings)
    df = spark.table(C.RESTRICTED_ACCESS_LOG.full_name)
    if since:
        df = df.where(F.col("accessed_at") >= F.lit(dt.datetime.combine(since, dt.time())))
    if person:
        df = df.where(F.col("person") == person)
    return [r.asDict() for r in df.orderBy("accessed_at").collect()]
