"""Searchable access copy of a scanned document: page images + an invisible text layer, as PDF/A-2b.

The PDF is written directly (no PDF library): each page draws its image full-page and, in text
rendering mode 3 (invisible), every recognised word at its box, stretched horizontally (``Tz``)
to the box width so that selection and search highlight the right place.

The text uses a Type0/Identity-H font whose CIDs are the Unicode code points; the embedded font
program is a tiny *glyphless* TrueType font generated here (every CID maps to one empty glyph),
and a ToUnicode CMap maps CIDs back to Unicode, so text extraction returns the OCR text exactly.

PDF/A-2b parts written: PDF 1.7 header with binary marker, XMP metadata with ``pdfaid:part=2`` /
``conformance=B``, an sRGB OutputIntent (ICC profile generated with Pillow's LittleCMS), all fonts
embedded with a CIDToGIDMap, no encryption, a trailer ``/ID``. No validator (veraPDF) is available
here, so conformance is by construction, not certified; :func:`ghostscript_pdfa` offers a second
route through Ghostscript's ``-dPDFA=2`` when ``gs`` is installed.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import struct
import subprocess
import tempfile
import unicodedata
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import BinaryIO

from PIL import Image, ImageCms

FONT_NAME = "LakeGlyphLess"
GLYPH_WIDTH = 500  # font units (1000/em) of every glyph


@dataclass(frozen=True)
class SearchablePdf:
    data: bytes
    sha256: str
    page_count: int
    pdfa: str | None  # "PDF/A-2b" when the PDF/A parts were written


# --- glyphless TrueType font ---------------------------------------------------------------------


def _checksum(data: bytes) -> int:
    data += b"\0" * (-len(data) % 4)
    return sum(struct.unpack(f">{len(data) // 4}I", data)) & 0xFFFFFFFF


def glyphless_ttf() -> bytes:
    """A valid TrueType font with two empty glyphs (.notdef and one blank glyph of width 500)."""
    upm = 1000
    name_strings = [(1, FONT_NAME), (2, "Regular"), (4, FONT_NAME), (6, FONT_NAME)]
    records, blob = b"", b""
    for name_id, value in name_strings:
        raw = value.encode("utf-16-be")
        records += struct.pack(">6H", 3, 1, 0x409, name_id, len(raw), len(blob))
        blob += raw
    tables = {
        "OS/2": struct.pack(
            ">HhHHHhhhhhhhhhhh10s4I4sHHHhhhHH2I",
            1, GLYPH_WIDTH, 400, 5, 0, 650, 600, 0, 75, 650, 600, 0, 350, 50, 250, 0,
            b"\0" * 10, 0, 0, 0, 0, b"LAKE", 0x40, 0x20, 0xFFFD, 800, -200, 0, 1000, 200, 1, 0,
        ),
        "cmap": struct.pack(">HHHHI", 0, 1, 3, 1, 12)
        + struct.pack(">7H", 4, 24, 0, 2, 2, 0, 0)
        + struct.pack(">5H", 0xFFFF, 0, 0xFFFF, 1, 0),
        "glyf": b"\0\0\0\0",
        "head": struct.pack(">IIIIHHqqhhhhHHhhh", 0x00010000, 0x00010000, 0, 0x5F0F3CF5, 0x000B, upm,
                            0, 0, 0, -200, GLYPH_WIDTH, 800, 0, 3, 2, 0, 0),
        "hhea": struct.pack(">IhhhHhhhhhhhhhhhH", 0x00010000, 800, -200, 0, GLYPH_WIDTH, 0, 0, 0, 1, 0, 0,
                            0, 0, 0, 0, 0, 2),
        "hmtx": struct.pack(">HhHh", GLYPH_WIDTH, 0, GLYPH_WIDTH, 0),
        "loca": struct.pack(">3H", 0, 0, 0),
        "maxp": struct.pack(">I14H", 0x00010000, 2, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0),
        "name": struct.pack(">3H", 0, len(name_strings), 6 + len(records)) + records + blob,
        "post": struct.pack(">IihhIIIII", 0x00030000, 0, -100, 50, 0, 0, 0, 0, 0),
    }  # fmt: skip
    tags = sorted(tables)
    num = len(tags)
    entry_selector = num.bit_length() - 1
    search_range = (1 << entry_selector) * 16
    header = struct.pack(">IHHHH", 0x00010000, num, search_range, entry_selector, num * 16 - search_range)
    offset = len(header) + 16 * num
    directory, body = b"", b""
    for tag in tags:
        data = tables[tag]
        directory += struct.pack(
            ">4sIII", tag.encode("ascii"), _checksum(data), offset + len(body), len(data)
        )
        body += data + b"\0" * (-len(data) % 4)
    font = bytearray(header + directory + body)
    head_offset = struct.unpack(">I", directory[tags.index("head") * 16 + 8 : tags.index("head") * 16 + 12])[
        0
    ]
    adjustment = (0xB1B0AFBA - _checksum(bytes(font))) & 0xFFFFFFFF
    font[head_offset + 8 : head_offset + 12] = struct.pack(">I", adjustment)
    return bytes(font)


def _to_unicode_cmap() -> bytes:
    ranges = "\n".join(
        f"<{hi:02X}00> <{hi:02X}FF> <{hi:02X}00>" for hi in range(256) if not 0xD8 <= hi <= 0xDF
    )
    count = 256 - 8
    return (
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
        "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
        "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n"
        f"{count - 100} beginbfrange\n" + "\n".join(ranges.split("\n")[: count - 100]) + "\nendbfrange\n"
        "100 beginbfrange\n" + "\n".join(ranges.split("\n")[count - 100 :]) + "\nendbfrange\n"
        "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n"
    ).encode("ascii")


# --- PDF writer ----------------------------------------------------------------------------------


class _Writer:
    """Writes numbered objects straight to a binary stream, remembering only their offsets: a PDF of any
    page count is written with one page in memory. A reserved number is written when it is set."""

    def __init__(self, out: BinaryIO | None = None) -> None:
        self.out = out if out is not None else io.BytesIO()
        self.out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
        self.offsets: list[int | None] = []

    def reserve(self) -> int:
        self.offsets.append(None)
        return len(self.offsets)

    def set(self, num: int, body: bytes) -> None:
        self.offsets[num - 1] = self.out.tell()
        self.out.write(f"{num} 0 obj\n".encode())
        self.out.write(body)
        self.out.write(b"\nendobj\n")

    def add(self, body: bytes) -> int:
        num = self.reserve()
        self.set(num, body)
        return num

    def stream(self, dictionary: str, data: bytes, *, compress: bool = True) -> int:
        if compress:
            data = zlib.compress(data, 9)
            dictionary += " /Filter /FlateDecode"
        return self.add(f"<< {dictionary} /Length {len(data)} >>\nstream\n".encode() + data + b"\nendstream")

    def finish(self, root: int, file_id: bytes) -> None:
        xref = self.out.tell()
        self.out.write(f"xref\n0 {len(self.offsets) + 1}\n0000000000 65535 f \n".encode())
        for i, off in enumerate(self.offsets, 1):
            assert off is not None, f"object {i} reserved but never written"
            self.out.write(f"{off:010d} 00000 n \n".encode())
        hex_id = file_id.hex().upper()
        self.out.write(
            f"trailer\n<< /Size {len(self.offsets) + 1} /Root {root} 0 R /ID [<{hex_id}> <{hex_id}>] >>\n"
            f"startxref\n{xref}\n%%EOF\n".encode()
        )


def _pdf_string_hex(text: str) -> str:
    codes = []
    for ch in text:
        cp = ord(ch)
        if cp > 0xFFFF or 0xD800 <= cp <= 0xDFFF or cp < 0x20:
            cp = 0xFFFD
        codes.append(f"{cp:04X}")
    return "<" + "".join(codes) + ">"


def _xmp(title: str | None, now: datetime) -> bytes:
    stamp = now.strftime("%Y-%m-%dT%H:%M:%SZ")
    esc_title = (title or "").replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    title_xml = (
        f'<dc:title><rdf:Alt><rdf:li xml:lang="x-default">{esc_title}</rdf:li></rdf:Alt></dc:title>'
        if title else ""
    )  # fmt: skip
    return (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        '<rdf:Description rdf:about="" xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:xmp="http://ns.adobe.com/xap/1.0/" '
        'xmlns:pdf="http://ns.adobe.com/pdf/1.3/">'
        "<pdfaid:part>2</pdfaid:part><pdfaid:conformance>B</pdfaid:conformance>"
        f"{title_xml}<xmp:CreateDate>{stamp}</xmp:CreateDate><xmp:ModifyDate>{stamp}</xmp:ModifyDate>"
        "<xmp:CreatorTool>lake.domain.ocr.searchable_pdf</xmp:CreatorTool>"
        "<pdf:Producer>lake.domain.ocr.searchable_pdf</pdf:Producer>"
        "</rdf:Description></rdf:RDF></x:xmpmeta>\n"
        '<?xpacket end="w"?>'
    ).encode()


def _word_fields(word) -> tuple[str, int, int, int, int, int]:
    if isinstance(word, dict):
        return word["text"], word["left"], word["top"], word["width"], word["height"], word.get("line", 0)
    return word.text, word.left, word.top, word.width, word.height, getattr(word, "line", 0)


def _text_layer(words: Sequence, px_to_pt: float, page_h_pt: float) -> bytes:
    lines: dict[int, list] = {}
    for w in words:
        text, left, top, width, height, line = _word_fields(w)
        text = unicodedata.normalize("NFC", text).strip()
        if text and width > 0 and height > 0:
            lines.setdefault(line, []).append((left, top, width, height, text))
    ops = ["BT", "3 Tr"]
    for line_words in lines.values():
        line_words.sort()
        bottom = max(t + h for _, t, _, h, _ in line_words)
        size = max(1.0, min(h for _, _, _, h, _ in line_words) * px_to_pt)
        for i, (left, _top, width, _h, text) in enumerate(line_words):
            last = i == len(line_words) - 1
            span = width if last else max(width, line_words[i + 1][0] - left)
            shown = text if last else text + " "
            natural = len(shown) * GLYPH_WIDTH / 1000 * size
            scale = max(1.0, span * px_to_pt / natural * 100)
            x, y = left * px_to_pt, page_h_pt - bottom * px_to_pt
            ops.append(
                f"/F1 {size:.2f} Tf {scale:.2f} Tz 1 0 0 1 {x:.2f} {y:.2f} Tm {_pdf_string_hex(shown)} Tj"
            )
    ops.append("ET")
    return "\n".join(ops).encode("ascii")


@dataclass(frozen=True)
class PagePart:
    """One page of an access copy, ready to be written: the page image as JPEG and its text layer.

    Small enough to keep on disk between Spark tasks (pages of one file may be read by several tasks):
    :func:`page_part` makes it from the decoded image, :class:`AccessCopyWriter` writes it."""

    jpeg: bytes
    width_px: int
    height_px: int
    gray: bool
    dpi: float
    text_layer: bytes

    def dumps(self) -> bytes:
        """The part as bytes (a length-prefixed JSON header, the text layer, the JPEG); see `loads`."""
        head = json.dumps({"w": self.width_px, "h": self.height_px, "gray": self.gray, "dpi": self.dpi,
                           "text": len(self.text_layer)}).encode()
        return struct.pack(">I", len(head)) + head + self.text_layer + self.jpeg

    @classmethod
    def loads(cls, data: bytes) -> PagePart:
        """The part `dumps` wrote."""
        (n,) = struct.unpack(">I", data[:4])
        head = json.loads(data[4 : 4 + n])
        text = data[4 + n : 4 + n + head["text"]]
        return cls(data[4 + n + head["text"] :], head["w"], head["h"], head["gray"], head["dpi"], text)


def page_part(image: Image.Image, words: Sequence, *, jpeg_quality: int = 80, default_dpi: float = 300.0) -> PagePart:
    """Compress one page for the access copy (the decoded image can be dropped right after)."""
    if image.mode not in ("L", "RGB"):
        image = image.convert("RGB")
    dpi = float((image.info.get("dpi") or (default_dpi,))[0]) or default_dpi
    px_to_pt = 72.0 / dpi
    buf = io.BytesIO()
    image.save(buf, format="JPEG", quality=jpeg_quality, optimize=True)
    return PagePart(buf.getvalue(), image.width, image.height, image.mode == "L", dpi,
                    _text_layer(words, px_to_pt, image.height * px_to_pt))


class AccessCopyWriter:
    """Write a searchable PDF/A-2b access copy page by page into a binary stream (a file or a BytesIO).

    Memory holds one page whatever the page count; `close()` writes the page tree, the PDF/A parts and the
    cross-reference table and returns the summary (``data`` is empty when the stream is not a BytesIO)."""

    def __init__(self, out: BinaryIO | None = None, *, pdfa: bool = True, title: str | None = None) -> None:
        self.writer = w = _Writer(out)
        self.pdfa, self.title = pdfa, title
        self.catalog = w.reserve()
        self.pages_obj = w.reserve()
        descendant = w.reserve()
        font_file = w.stream("", glyphless_ttf())
        cid_to_gid = w.stream("", b"\x00\x01" * 65536)
        to_unicode = w.stream("", _to_unicode_cmap())
        descriptor = w.add(
            f"<< /Type /FontDescriptor /FontName /{FONT_NAME} /Flags 5 /FontBBox [0 -200 {GLYPH_WIDTH} 800] "
            f"/ItalicAngle 0 /Ascent 800 /Descent -200 /CapHeight 700 /StemV 80 "
            f"/FontFile2 {font_file} 0 R >>".encode()
        )
        w.set(descendant, (
            f"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /{FONT_NAME} "
            f"/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> "
            f"/FontDescriptor {descriptor} 0 R /DW {GLYPH_WIDTH} /CIDToGIDMap {cid_to_gid} 0 R >>"
        ).encode())  # fmt: skip
        self.font = w.add(
            f"<< /Type /Font /Subtype /Type0 /BaseFont /{FONT_NAME} /Encoding /Identity-H "
            f"/DescendantFonts [{descendant} 0 R] /ToUnicode {to_unicode} 0 R >>".encode()
        )
        self.kids: list[int] = []
        self.digest = hashlib.sha256()
        self.file_digest = None

    def add_page(self, image: Image.Image, words: Sequence, *, jpeg_quality: int = 80,
                 default_dpi: float = 300.0) -> None:
        """Add one page from its decoded image and word boxes (`page_part`, then `add_part`)."""
        self.add_part(page_part(image, words, jpeg_quality=jpeg_quality, default_dpi=default_dpi))

    def add_part(self, part: PagePart) -> None:
        """Add one prepared page: its JPEG as the page image, the invisible text layer above it."""
        w = self.writer
        px_to_pt = 72.0 / part.dpi
        w_pt, h_pt = part.width_px * px_to_pt, part.height_px * px_to_pt
        colour = "/DeviceGray" if part.gray else "/DeviceRGB"
        img = w.add(
            f"<< /Type /XObject /Subtype /Image /Width {part.width_px} /Height {part.height_px} "
            f"/ColorSpace {colour} /BitsPerComponent 8 /Filter /DCTDecode /Length {len(part.jpeg)} >>\nstream\n"
            .encode() + part.jpeg + b"\nendstream"
        )
        content = f"q {w_pt:.3f} 0 0 {h_pt:.3f} 0 0 cm /Im0 Do Q\n".encode() + part.text_layer
        self.digest.update(content)
        contents = w.stream("", content)
        self.kids.append(w.add(
            f"<< /Type /Page /Parent {self.pages_obj} 0 R /MediaBox [0 0 {w_pt:.3f} {h_pt:.3f}] "
            f"/Resources << /XObject << /Im0 {img} 0 R >> /Font << /F1 {self.font} 0 R >> >> "
            f"/Contents {contents} 0 R >>".encode()
        ))  # fmt: skip

    def close(self) -> SearchablePdf:
        """Finish the PDF (page tree, PDF/A metadata when asked): its bytes (when written to memory), SHA-256 and
        page count; ValueError when no page was added."""
        w = self.writer
        if not self.kids:
            raise ValueError("a PDF needs at least one page")
        w.set(self.pages_obj, f"<< /Type /Pages /Kids [{' '.join(f'{k} 0 R' for k in self.kids)}] "
              f"/Count {len(self.kids)} >>".encode())
        extra = ""
        if self.pdfa:
            icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
            icc_obj = w.stream("/N 3", icc)
            intent = w.add(
                f"<< /Type /OutputIntent /S /GTS_PDFA1 /OutputConditionIdentifier (sRGB IEC61966-2.1) "
                f"/Info (sRGB IEC61966-2.1) /DestOutputProfile {icc_obj} 0 R >>".encode()
            )
            metadata = w.stream("/Type /Metadata /Subtype /XML", _xmp(self.title, datetime.now(UTC)), compress=False)
            extra = f" /Metadata {metadata} 0 R /OutputIntents [{intent} 0 R]"
        w.set(self.catalog, f"<< /Type /Catalog /Pages {self.pages_obj} 0 R{extra} >>".encode())
        w.finish(self.catalog, self.digest.digest()[:16])
        data = w.out.getvalue() if isinstance(w.out, io.BytesIO) else b""
        return SearchablePdf(data, hashlib.sha256(data).hexdigest() if data else "", len(self.kids),
                             "PDF/A-2b" if self.pdfa else None)


def build_searchable_pdf(
    pages: Iterable[tuple[Image.Image, Sequence]],
    *,
    pdfa: bool = True,
    title: str | None = None,
    jpeg_quality: int = 80,
    default_dpi: float = 300.0,
) -> SearchablePdf:
    """Build the access copy in memory from ``(page_image, words)`` pairs (see :class:`AccessCopyWriter`
    to write a long document page by page to a file).

    ``words`` are :class:`lake.domain.documents.text.Word` objects (or dicts with text/left/top/width/height/line)
    in the page image's pixel space, as returned by ``OcrEngine.read(...).words``. The page size
    comes from the image's ``info["dpi"]`` (``default_dpi`` when absent).
    """
    writer = AccessCopyWriter(pdfa=pdfa, title=title)
    for image, words in pages:
        writer.add_page(image, words, jpeg_quality=jpeg_quality, default_dpi=default_dpi)
    return writer.close()


def write_access_copy(parts: Iterable[bytes], dest: Path, *, title: str | None = None) -> tuple[str, int, int]:
    """Write a searchable PDF to `dest` (atomically) from serialised :class:`PagePart` pages, one page in
    memory at a time. Returns (sha256, size in bytes, page count)."""
    tmp = dest.with_name(dest.name + f".{os.getpid()}.tmp")
    with open(tmp, "wb") as out:
        writer = AccessCopyWriter(out, title=title)
        for raw in parts:
            writer.add_part(PagePart.loads(raw))
        result = writer.close()
    digest = hashlib.sha256()
    with open(tmp, "rb") as f:
        while chunk := f.read(1 << 20):
            digest.update(chunk)
    size = tmp.stat().st_size
    os.replace(tmp, dest)
    return digest.hexdigest(), size, result.page_count


def ghostscript_pdfa(data: bytes, *, timeout_s: float = 120.0) -> bytes:
    """Re-write a PDF through Ghostscript's PDF/A-2b output (needs Debian's ``ghostscript``).

    Raises FileNotFoundError when ``gs`` is not installed and RuntimeError when it fails.
    """
    gs = shutil.which("gs")
    if gs is None:
        raise FileNotFoundError("ghostscript (gs) is not installed")
    with tempfile.TemporaryDirectory(prefix="lake-ocr-gs-") as tmp:
        src, dst = Path(tmp) / "in.pdf", Path(tmp) / "out.pdf"
        src.write_bytes(data)
        cmd = [
            gs, "-q", "-dSAFER", "-dBATCH", "-dNOPAUSE", "-sDEVICE=pdfwrite", "-dPDFA=2",
            "-dPDFACompatibilityPolicy=1", "-sColorConversionStrategy=RGB", "-dPassThroughJPEGImages=true",
            f"-sOutputFile={dst}", str(src),
        ]  # fmt: skip
        proc = subprocess.run(cmd, capture_output=True, timeout=timeout_s, check=False)
        if proc.returncode != 0 or not dst.exists():
            raise RuntimeError(
                f"gs failed ({proc.returncode}): {proc.stderr.decode(errors='replace')[-500:]}"
            )
        return dst.read_bytes()
