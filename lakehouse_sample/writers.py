"""Deterministic writers for scan files (JPEG, multi-page TIFF, image-only PDF), tables (CSV, XLSX) and the
deliberately bad inputs. Every timestamp written into a file comes from the caller."""

from __future__ import annotations

import csv
import hashlib
import io
import re
import zipfile
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path

from PIL import Image, TiffImagePlugin

from lakehouse_sample.util import ascii_fold

A4_PT = (595.28, 841.89)


def _exif_datetime(dt: datetime) -> str:
    return dt.strftime("%Y:%m:%d %H:%M:%S")


def file_meta_tags(meta: dict) -> dict[int, object]:
    """TIFF/EXIF tags: ASCII tags hold diacritic-free text (the EXIF ASCII type), XP tags the full UTF-16."""
    desc = (
        f"site={meta['site_code']}; batch={meta['batch_id']}; record={meta['record_code']}; "
        f"site_name={ascii_fold(meta['site_name'])}"
    )
    return {
        0x010E: desc,  # ImageDescription
        0x010F: meta["make"],  # Make
        0x0110: meta["model"],  # Model
        0x0131: meta["software"],  # Software
        0x0132: _exif_datetime(meta["scanned_at"]),  # DateTime
        0x013B: ascii_fold(meta["operator"]),  # Artist
    }


def jpeg_bytes(img: Image.Image, dpi: int, quality: int, meta: dict | None = None) -> bytes:
    buf = io.BytesIO()
    kwargs: dict = {"quality": quality, "dpi": (dpi, dpi), "optimize": False, "subsampling": 2}
    if meta is not None:
        exif = Image.Exif()
        for k, v in file_meta_tags(meta).items():
            exif[k] = v
        exif[0x9C9D] = (meta["operator"] + "\x00").encode("utf-16-le")  # XPAuthor
        exif[0x9C9C] = (meta["site_name"] + "\x00").encode("utf-16-le")  # XPComment
        kwargs["exif"] = exif
    img.save(buf, "JPEG", **kwargs)
    return buf.getvalue()


class TiffWriter:
    """Appends pages to a multi-page JPEG-compressed TIFF, one page in memory at a time."""

    def __init__(self, path: Path, meta: dict) -> None:
        self.fh = path.open("w+b")
        self.tw = TiffImagePlugin.AppendingTiffWriter(self.fh, new=True)
        self.meta = meta

    def add(self, img: Image.Image, dpi: int) -> None:
        info = TiffImagePlugin.ImageFileDirectory_v2()
        for k, v in file_meta_tags(self.meta).items():
            info[k] = v
        img.save(self.tw, "TIFF", compression="jpeg", quality=82, dpi=(dpi, dpi), tiffinfo=info)
        self.tw.newFrame()

    def close(self) -> None:
        self.tw.close()
        self.fh.close()


def _pdf_text(s: str) -> bytes:
    if s.isascii():
        return b"(" + s.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)").encode() + b")"
    return b"<" + (b"\xfe\xff" + s.encode("utf-16-be")).hex().upper().encode() + b">"


def _pdf_date(dt: datetime) -> str:
    off = dt.strftime("%z")
    return dt.strftime("D:%Y%m%d%H%M%S") + f"{off[:3]}'{off[3:]}'"


class PdfWriter:
    """Image-only PDF (one DCT image per A4 page), written incrementally; info dict from the scan metadata."""

    def __init__(self, path: Path, meta: dict) -> None:
        self.fh = path.open("wb")
        self.meta = meta
        self.offsets: dict[int, int] = {}
        self.pages: list[int] = []
        self.next_id = 3  # 1 catalog, 2 pages
        self.fh.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
        self.digest = hashlib.md5()

    def _obj(self, num: int, body: bytes, stream: bytes | None = None) -> None:
        self.offsets[num] = self.fh.tell()
        data = f"{num} 0 obj\n".encode() + body
        if stream is not None:
            data += b"\nstream\n" + stream + b"\nendstream"
        data += b"\nendobj\n"
        self.fh.write(data)
        self.digest.update(data[:256])

    def add(self, img: Image.Image, dpi: int) -> None:
        jpg = jpeg_bytes(img, dpi, 80)
        w, h = img.size
        iid, cid, pid = self.next_id, self.next_id + 1, self.next_id + 2
        self.next_id += 3
        self._obj(
            iid,
            f"<< /Type /XObject /Subtype /Image /Width {w} /Height {h} /ColorSpace /DeviceRGB "
            f"/BitsPerComponent 8 /Filter /DCTDecode /Length {len(jpg)} >>".encode(),
            jpg,
        )
        content = f"q {A4_PT[0]:.2f} 0 0 {A4_PT[1]:.2f} 0 0 cm /Im0 Do Q".encode()
        self._obj(cid, f"<< /Length {len(content)} >>".encode(), content)
        self._obj(
            pid,
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {A4_PT[0]:.2f} {A4_PT[1]:.2f}] "
            f"/Resources << /XObject << /Im0 {iid} 0 R >> >> /Contents {cid} 0 R >>".encode(),
        )
        self.pages.append(pid)

    def close(self) -> None:
        m = self.meta
        self._obj(1, b"<< /Type /Catalog /Pages 2 0 R >>")
        kids = " ".join(f"{p} 0 R" for p in self.pages)
        self._obj(2, f"<< /Type /Pages /Kids [{kids}] /Count {len(self.pages)} >>".encode())
        info_id = self.next_id
        info = (
            b"<< /Title "
            + _pdf_text(m["record_code"])
            + b" /Author "
            + _pdf_text(m["operator"])
            + b" /Subject "
            + _pdf_text(f"{m['site_code']} {m['site_name']}")
            + b" /Keywords "
            + _pdf_text(f"batch={m['batch_id']}; site={m['site_code']}")
            + b" /Creator "
            + _pdf_text(f"{m['make']} {m['model']}")
            + b" /Producer "
            + _pdf_text(m["software"])
            + b" /CreationDate "
            + _pdf_text(_pdf_date(m["scanned_at"]))
            + b" /ModDate "
            + _pdf_text(_pdf_date(m["scanned_at"]))
            + b" >>"
        )
        self._obj(info_id, info)
        n = info_id + 1
        xref = self.fh.tell()
        out = [f"xref\n0 {n}\n0000000000 65535 f \n".encode()]
        for i in range(1, n):
            out.append(f"{self.offsets[i]:010d} 00000 n \n".encode())
        fid = self.digest.hexdigest().upper()
        out.append(
            f"trailer\n<< /Size {n} /Root 1 0 R /Info {info_id} 0 R /ID [<{fid}> <{fid}>] >>\n"
            f"startxref\n{xref}\n%%EOF\n".encode()
        )
        self.fh.write(b"".join(out))
        self.fh.close()


# --- encrypted PDF (standard security handler, RC4 40-bit, revision 2), written by hand ---------------
_PAD = bytes.fromhex("28BF4E5E4E758A4164004E56FFFA01082E2E00B6D0683E802F0CA9FE6453697A")


def _rc4(key: bytes, data: bytes) -> bytes:
    s = list(range(256))
    j = 0
    for i in range(256):
        j = (j + s[i] + key[i % len(key)]) & 0xFF
        s[i], s[j] = s[j], s[i]
    out = bytearray()
    i = j = 0
    for b in data:
        i = (i + 1) & 0xFF
        j = (j + s[i]) & 0xFF
        s[i], s[j] = s[j], s[i]
        out.append(b ^ s[(s[i] + s[j]) & 0xFF])
    return bytes(out)


def encrypted_pdf_bytes(img: Image.Image, user_pw: str, owner_pw: str, file_id: bytes) -> bytes:
    """A one-page image PDF that needs ``user_pw`` to open (RC4-40, /V 1 /R 2)."""

    def pad(pw: str) -> bytes:
        return (pw.encode("latin-1") + _PAD)[:32]

    o_key = hashlib.md5(pad(owner_pw)).digest()[:5]
    o_val = _rc4(o_key, pad(user_pw))
    perms = -44
    key = hashlib.md5(pad(user_pw) + o_val + perms.to_bytes(4, "little", signed=True) + file_id).digest()[:5]
    u_val = _rc4(key, _PAD)

    def enc(num: int, data: bytes) -> bytes:
        k = hashlib.md5(key + num.to_bytes(3, "little") + (0).to_bytes(2, "little")).digest()[:10]
        return _rc4(k, data)

    jpg = jpeg_bytes(img, 72, 60)
    w, h = img.size
    content = f"q {A4_PT[0]:.2f} 0 0 {A4_PT[1]:.2f} 0 0 cm /Im0 Do Q".encode()
    objs = {
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        3: f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {A4_PT[0]:.2f} {A4_PT[1]:.2f}] "
        f"/Resources << /XObject << /Im0 4 0 R >> >> /Contents 5 0 R >>".encode(),
    }
    streams = {
        4: (
            f"<< /Type /XObject /Subtype /Image /Width {w} /Height {h} /ColorSpace /DeviceRGB "
            f"/BitsPerComponent 8 /Filter /DCTDecode /Length {len(jpg)} >>",
            enc(4, jpg),
        ),
        5: (f"<< /Length {len(content)} >>", enc(5, content)),
    }
    buf = io.BytesIO()
    buf.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    for num in range(1, 7):
        offsets[num] = buf.tell()
        buf.write(f"{num} 0 obj\n".encode())
        if num in objs:
            buf.write(objs[num])
        elif num in streams:
            head, data = streams[num]
            buf.write(head.encode() + b"\nstream\n" + data + b"\nendstream")
        else:
            buf.write(
                f"<< /Filter /Standard /V 1 /R 2 /O <{o_val.hex()}> /U <{u_val.hex()}> /P {perms} >>".encode()
            )
        buf.write(b"\nendobj\n")
    xref = buf.tell()
    buf.write(b"xref\n0 7\n0000000000 65535 f \n")
    for num in range(1, 7):
        buf.write(f"{offsets[num]:010d} 00000 n \n".encode())
    fid = file_id.hex()
    buf.write(
        f"trailer\n<< /Size 7 /Root 1 0 R /Encrypt 6 0 R /ID [<{fid}> <{fid}>] >>\n"
        f"startxref\n{xref}\n%%EOF\n".encode()
    )
    return buf.getvalue()


# --- tables --------------------------------------------------------------------------------------------
def write_csv(
    path: Path, header: list[str], rows: Iterable[list], *, bom: bool = True, crlf: bool = True
) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n" if crlf else "\n")
    w.writerow(header)
    for r in rows:
        w.writerow(["" if v is None else v for v in r])
    data = buf.getvalue().encode("utf-8-sig" if bom else "utf-8")
    write_if_changed(path, data)


FIXED_ZIP_TIME = (2025, 7, 1, 8, 0, 0)


def write_xlsx(
    path: Path,
    sheet: str,
    header: list[str],
    rows: Iterable[list],
    created: datetime,
    date_format: str = "DD/MM/YYYY",
) -> None:
    """XLSX via openpyxl, then re-zipped with fixed timestamps so the bytes are reproducible."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    ws.append(header)
    for c in ws[1]:
        c.font = Font(bold=True)
    for r in rows:
        ws.append(list(r))
        for c in ws[ws.max_row]:
            if hasattr(c.value, "year"):
                c.number_format = date_format
    wb.properties.creator = "Trung tâm Phục vụ hành chính công"
    wb.properties.created = created.replace(tzinfo=None)
    wb.properties.modified = created.replace(tzinfo=None)
    raw = io.BytesIO()
    wb.save(raw)
    stamp = created.strftime("%Y-%m-%dT%H:%M:%SZ")
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(raw.getvalue())) as zin,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout,
    ):
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "docProps/core.xml":
                data = re.sub(
                    rb"(<dcterms:(created|modified)[^>]*>)[^<]*", lambda m: m.group(1) + stamp.encode(), data
                )
            zi = zipfile.ZipInfo(item.filename, date_time=FIXED_ZIP_TIME)
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o600 << 16
            zout.writestr(zi, data)
    write_if_changed(path, out.getvalue())


def write_if_changed(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists() and path.read_bytes() == data:
        return
    path.write_bytes(data)
