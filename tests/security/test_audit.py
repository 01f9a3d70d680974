"""Reading a restricted document is refused to whoever is not cleared for the restricted zone, and every read
(and refusal) lands in the append-only audit table that `lakehouse audit` shows the security officer."""

from __future__ import annotations

import doctest
import os
import subprocess
import sys

import pytest

from lake.apps import restricted as R
from lake.core import contracts as C
from lake.core import os_accounts
from lake.core.settings import PROJECT_ROOT

READER = "lakehouse-test-reader"  # an OS account in lakehouse-restricted, made for this module only


def test_doctests():
    assert doctest.testmod(R).failed == 0


def test_format_audit_has_vietnamese_headings():
    import datetime as dt

    text = R.format_audit([R.audit_row("lan", "X.001", "granted", "nhóm lakehouse-restricted",
                                       now=dt.datetime(2026, 1, 2, 3, 4, 5))])
    head, _, row = text.splitlines()
    assert head.split()[:3] == ["Thời", "điểm", "Người"]
    assert "2026-01-02 03:04:05" in row and "lan" in row and "X.001" in row and "granted" in row


def _cli(*args: str, env: dict | None = None, user: str | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, **(env or {})}
    cmd = [sys.executable, "-m", "lake.apps.cli", *args]
    if user:
        # another OS user may not run this venv's interpreter here (it lives under root's home): Debian's python3
        # with the checkout on the path, which is all the refusal needs (it happens before anything is imported)
        cmd = ["runuser", "-u", user, "--", "/usr/bin/python3", "-m", "lake.apps.cli", *args]
        env["PYTHONPATH"] = str(PROJECT_ROOT)
    return subprocess.run(cmd, capture_output=True, text=True, cwd=PROJECT_ROOT, timeout=600, env=env)


@pytest.fixture(scope="module")
def reader():
    if os.geteuid() != 0:
        pytest.skip("creating an OS account needs root")
    os_accounts.ensure_service_accounts()
    if not os_accounts.user_exists(READER):
        subprocess.run(["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin",
                        "-G", os_accounts.RESTRICTED_GROUP, READER], check=True)
    yield READER
    subprocess.run(["userdel", READER], check=False)


@pytest.fixture(scope="module")
def restricted_code(gold, spark):
    rows = spark.table(C.SILVER_RESTRICTED_DOCUMENTS.full_name).select("document_code", "subject").collect()
    assert rows, "the session sample has no restricted document: nothing to test"
    return rows[0]


@pytest.mark.spark
@pytest.mark.services
def test_unprivileged_caller_refused_without_reading_anything(restricted_code, reader):
    proc = _cli("restricted", "show", restricted_code.document_code, user="nobody")
    assert proc.returncode == 3, proc.stderr
    assert "Từ chối" in proc.stderr
    assert restricted_code.document_code not in proc.stdout and not proc.stdout.strip()


@pytest.mark.spark
@pytest.mark.services
def test_refusal_is_logged(spark, lake_env, restricted_code, reader):
    with pytest.raises(R.AccessRefused):
        R.show(spark, lake_env, restricted_code.document_code, "nobody", R.os_groups("nobody"))
    rows = R.audit_rows(spark, lake_env, person="nobody")
    assert [(r["document_code"], r["outcome"]) for r in rows][-1] == (restricted_code.document_code, "refused")


@pytest.mark.spark
@pytest.mark.services
def test_authorised_read_is_shown_and_audited(spark, restricted_code, reader):
    # as run through sudo by a member of lakehouse-restricted (sudo sets SUDO_USER; see lake.apps.restricted)
    proc = _cli("restricted", "show", restricted_code.document_code, env={"SUDO_USER": reader})
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert f"Mã văn bản:        {restricted_code.document_code}" in proc.stdout
    assert "Toàn văn:" in proc.stdout
    if restricted_code.subject:
        assert restricted_code.subject in proc.stdout
    view = _cli("audit", "--user", reader)
    assert view.returncode == 0, view.stderr[-2000:]
    lines = view.stdout.splitlines()
    assert lines[0].startswith("Thời điểm") and "Người truy cập" in lines[0]
    ours = [line for line in lines[2:] if reader in line]
    assert len(ours) == 1 and restricted_code.document_code in ours[0] and "granted" in ours[0] and "cli" in ours[0]
    assert "nobody" not in view.stdout  # --user filters


@pytest.mark.spark
@pytest.mark.services
def test_audit_log_is_append_only(spark, lake_env, restricted_code, reader):
    R.log_access(spark, lake_env, [R.audit_row("kiemtra", restricted_code.document_code, "refused", "test")])
    props = {r["key"]: r["value"] for r in spark.sql(f"SHOW TBLPROPERTIES {C.RESTRICTED_ACCESS_LOG.full_name}")
             .collect()}
    assert props.get("delta.appendOnly") == "true"
    with pytest.raises(Exception, match=r"(?i)append"):
        spark.sql(f"DELETE FROM {C.RESTRICTED_ACCESS_LOG.full_name} WHERE person = 'kiemtra'")
    with pytest.raises(Exception, match=r"(?i)append"):
        spark.sql(f"UPDATE {C.RESTRICTED_ACCESS_LOG.full_name} SET person = 'x' WHERE person = 'kiemtra'")


@pytest.mark.spark
@pytest.mark.services
def test_authorised_person_gets_the_access_copy_pdf_audited(spark, lake_env, restricted_code, reader, tmp_path):
    import pwd
    import shutil

    out = tmp_path / "ra"
    paths = R.export_pdfs(spark, lake_env, restricted_code.document_code, reader, R.os_groups(reader), out)
    assert paths and all(p.read_bytes().startswith(b"%PDF") for p in paths)
    st = paths[0].stat()
    assert st.st_mode & 0o777 == 0o600 and pwd.getpwuid(st.st_uid).pw_name == reader
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(paths[0]), "-"], capture_output=True, text=True, check=True).stdout
        assert text.strip()
    last = R.audit_rows(spark, lake_env, person=reader)[-1]
    assert (last["document_code"], last["action"], last["outcome"]) == (restricted_code.document_code, "pdf",
                                                                         "granted")
    with pytest.raises(R.AccessRefused):
        R.export_pdfs(spark, lake_env, restricted_code.document_code, "nobody", set(), out)
