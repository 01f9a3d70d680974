"""Digital signatures of a delivered PDF: who signed, when, and whether the signature still covers the file.

An e-government "SAO Y" (certified copy) is a PDF signed by the issuing People's Committee, often with
permission flags. It opens without a password, so it is landed like any scan; its signatures are read
here with pyHanko and recorded with the content (bronze.pdf_signatures). Checked: the signed bytes are
unchanged (`intact`), the CMS signature verifies against the embedded certificate (`valid`), and the
signature covers the whole file (`covers_file`: nothing was appended after signing). Not checked: trust in
the signer's certificate chain (no national root list here) and revocation (no network).
"""

from __future__ import annotations

import datetime as dt
import io
import logging

from lake.domain.ingest.reasons import plain

logging.getLogger("pyhanko").setLevel(logging.ERROR)
logging.getLogger("pyhanko_certvalidator").setLevel(logging.ERROR)


def _name(cert_name) -> str | None:
    try:
        return cert_name.human_friendly
    except Exception:
        return None


def _utc(value) -> dt.datetime | None:
    if not isinstance(value, dt.datetime):
        return None
    return value.astimezone(dt.UTC) if value.tzinfo else value.replace(tzinfo=dt.UTC)


def read_signatures(data: bytes) -> list[dict]:
    """One dict per signature field with a signature (empty for an unsigned PDF). Never raises: a signature
    that cannot be read or checked gets `problem` instead."""
    if b"/ByteRange" not in data:
        return []
    try:
        from pyhanko.pdf_utils.reader import PdfFileReader
        from pyhanko.sign.validation import validate_pdf_signature
        from pyhanko_certvalidator import ValidationContext

        reader = PdfFileReader(io.BytesIO(data), strict=False)
        if reader.encrypted:
            reader.decrypt("")
        embedded = list(reader.embedded_signatures)
    except Exception as exc:
        return [{"field_name": None, "signer": None, "issuer": None, "signed_at": None, "intact": None,
                 "valid": None, "coverage": None, "covers_file": None,
                 "problem": f"the signatures cannot be read: {plain(exc)}"}]
    out = []
    for sig in embedded:
        row = {"field_name": sig.field_name, "signer": None, "issuer": None, "signed_at": None, "intact": None,
               "valid": None, "coverage": None, "covers_file": None, "problem": None}
        try:
            cert = sig.signer_cert
            row["signer"] = _name(cert.subject)
            row["issuer"] = _name(cert.issuer)
            row["signed_at"] = _utc(sig.self_reported_timestamp)
            # no trust roots and no network: trust is out of scope here, integrity and coverage are not
            status = validate_pdf_signature(sig, ValidationContext(trust_roots=[], allow_fetching=False))
            row["intact"] = bool(status.intact)
            row["valid"] = bool(status.valid)
            coverage = status.coverage
            row["coverage"] = coverage.name.lower() if coverage is not None else None
            row["covers_file"] = coverage is not None and coverage.name == "ENTIRE_FILE"
        except Exception as exc:
            row["problem"] = f"the signature cannot be checked: {plain(exc)}"
        out.append(row)
    return out
