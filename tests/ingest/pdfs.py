"""PDFs for the landing tests: blank, permission-flagged ("SAO Y" copies), digitally signed (self-signed
test certificate made here; no real signer's key is in the repository)."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path


def blank_pdf(pages: int) -> bytes:
    pikepdf = __import__("pikepdf")
    pdf = pikepdf.new()
    for _ in range(pages):
        pdf.add_blank_page(page_size=(595, 842))
    buf = io.BytesIO()
    pdf.save(buf, compress_streams=True, object_stream_mode=pikepdf.ObjectStreamMode.generate)
    return buf.getvalue()


def permission_flagged_pdf(pages: int = 2) -> bytes:
    """Opens without a password (empty user password), with an owner password and restricted permissions."""
    pikepdf = __import__("pikepdf")
    pdf = pikepdf.open(io.BytesIO(blank_pdf(pages)))
    buf = io.BytesIO()
    pdf.save(buf, encryption=pikepdf.Encryption(owner="chu-so-huu", user="", allow=pikepdf.Permissions(
        modify_other=False, modify_annotation=False, modify_assembly=False, modify_form=False)))
    return buf.getvalue()


def password_pdf() -> bytes:
    pikepdf = __import__("pikepdf")
    pdf = pikepdf.open(io.BytesIO(blank_pdf(1)))
    buf = io.BytesIO()
    pdf.save(buf, encryption=pikepdf.Encryption(owner="o", user="mat-khau"))
    return buf.getvalue()


def signed_pdf(tmp: Path, data: bytes | None = None, signer_name: str = "UBND Thành phố Hà Nội") -> bytes:
    """`data` (default a 6-page blank PDF) signed with a throw-away self-signed certificate."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import NameOID
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, signer_name)])
    now = dt.datetime.now(dt.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(1).not_valid_before(now - dt.timedelta(days=1))
            .not_valid_after(now + dt.timedelta(days=30)).sign(key, hashes.SHA256()))
    (tmp / "test-key.pem").write_bytes(key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    (tmp / "test-cert.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    signer = signers.SimpleSigner.load(str(tmp / "test-key.pem"), str(tmp / "test-cert.pem"))
    writer = IncrementalPdfFileWriter(io.BytesIO(data or blank_pdf(6)), strict=False)
    if writer.prev.encrypted:
        writer.encrypt("")
    out = signers.sign_pdf(writer, signers.PdfSignatureMetadata(field_name="ChuKySo"), signer=signer)
    return out.getvalue()
