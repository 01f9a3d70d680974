"""PDFs as sites deliver them (permission flags, digital signatures, 2,000 blank pages) and the one set of
file limits, without Spark."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from lake.core.settings import FileLimits, Settings
from lake.domain.ingest.files import BadInput, inspect, plain

from .pdfs import blank_pdf, password_pdf, permission_flagged_pdf, signed_pdf

pytest.importorskip("pikepdf")


def test_a_pdf_with_permission_flags_opens_and_is_accepted():
    info = inspect(permission_flagged_pdf(3), "sao_y.pdf")
    assert info.detected_format == "pdf" and info.page_count == 3
    assert "permission flags only" in info.metadata["pdf_security"]


def test_only_a_pdf_that_needs_a_password_is_encrypted():
    with pytest.raises(BadInput) as err:
        inspect(password_pdf(), "secret.pdf")
    assert err.value.reason_code == "encrypted_pdf"


def test_a_signed_sao_y_copy_is_accepted_with_its_signature(tmp_path):
    data = signed_pdf(tmp_path, permission_flagged_pdf(6))
    info = inspect(data, "sao_y_6_trang.pdf")
    assert info.page_count == 6
    (sig,) = info.signatures
    assert sig["signer"] and "UBND Thành phố Hà Nội" in sig["signer"]
    assert sig["signed_at"] is not None and sig["signed_at"].tzinfo is not None
    assert sig["intact"] and sig["valid"] and sig["covers_file"] and sig["coverage"] == "entire_file"


def test_a_signature_no_longer_covering_the_file_is_recorded_as_such(tmp_path):
    data = signed_pdf(tmp_path)
    (appended,) = inspect(data + b"\n% an update appended after signing\n", "a.pdf").signatures
    assert appended["intact"] and not appended["covers_file"] and appended["coverage"] == "entire_revision"
    tampered = bytearray(data)
    at = tampered.find(b"/MediaBox")
    tampered[at + 1 : at + 2] = b"N"  # one byte of the signed content changed
    (sig,) = inspect(bytes(tampered), "b.pdf").signatures
    assert sig["intact"] is False


def test_unsigned_pdf_has_no_signature():
    assert inspect(blank_pdf(2), "x.pdf").signatures == []


def test_limits_are_one_set_of_numbers_from_settings(monkeypatch):
    monkeypatch.setenv("LAKEHOUSE_MAX_FILE_PAGES", "1500")
    monkeypatch.setenv("LAKEHOUSE_MAX_PAGE_PIXELS", "1000000")
    monkeypatch.setenv("LAKEHOUSE_MAX_FILE_BYTES", "9999")
    limits = Settings.from_env().limits
    assert limits == FileLimits(max_file_bytes=9999, max_file_pages=1500, max_page_pixels=1_000_000)
    with pytest.raises(BadInput) as err:
        inspect(blank_pdf(2000), "filler.pdf", FileLimits(max_file_pages=1500))
    assert err.value.reason_code == "too_many_pages" and "LAKEHOUSE_MAX_FILE_PAGES" in err.value.message
    assert inspect(blank_pdf(2000), "filler.pdf").page_count == 2000  # under the default 5,000
    buf = io.BytesIO()
    Image.new("1", (1200, 1000), 1).save(buf, "PNG")
    with pytest.raises(BadInput) as err:
        inspect(buf.getvalue(), "big.png", limits)
    assert err.value.reason_code == "image_too_large" and "LAKEHOUSE_MAX_PAGE_PIXELS" in err.value.message


def test_reasons_are_plain_text():
    with pytest.raises(BadInput) as err:
        inspect(b"\x89PNG\r\n\x1a\n" + b"garbage" * 10, "x.png")
    assert "0x" not in err.value.message and "<" not in err.value.message
    assert plain("cannot identify image file <_io.BytesIO object at 0x7f3a2c1d9e40>") == \
        "cannot identify image file the file"
    with pytest.raises(BadInput) as err:
        inspect(b"root:x:0:0:root:/root:/bin/bash\n", "passwd.jpg")
    assert err.value.reason_code == "unknown_format" and "root" not in err.value.message
