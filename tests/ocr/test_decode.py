import io
import resource
import struct
import zlib

import pytest
from PIL import Image

from lake.domain.ocr.decode import (
    EncryptedPdf,
    ImageTooLarge,
    UnreadableImage,
    UnsupportedFormat,
    count_pages,
    detect_format,
    iter_pages,
)

from .conftest import to_bytes


@pytest.fixture(scope="module")
def small_pages():
    pages = []
    for i, size in enumerate([(600, 800), (640, 820), (580, 780)]):
        im = Image.new("L", size, 255)
        im.paste(0, (50 + 10 * i, 50, 150 + 10 * i, 80))
        pages.append(im)
    return pages


def test_detect_format():
    rgb = Image.new("RGB", (8, 8), "white")
    assert detect_format(to_bytes(rgb, "JPEG")) == "jpeg"
    assert detect_format(to_bytes(rgb, "PNG")) == "png"
    assert detect_format(to_bytes(rgb, "TIFF")) == "tiff"
    assert detect_format(to_bytes(rgb, "PDF")) == "pdf"
    assert detect_format(b"junk\n%PDF-1.4\n") == "pdf"
    assert detect_format(b"Hello, this is text") is None
    assert detect_format(b"") is None


def test_multipage_tiff_frame_by_frame(small_pages):
    data = to_bytes(small_pages[0], "TIFF", save_all=True, append_images=small_pages[1:], dpi=(200, 200))
    assert count_pages(data, "tif") == 3
    pages = list(iter_pages(data, "tiff"))
    assert [p.index for p in pages] == [0, 1, 2]
    assert [p.image.size for p in pages] == [im.size for im in small_pages]
    assert all(p.image.mode == "L" and round(p.dpi) == 200 for p in pages)
    assert pages[1].image.getpixel((65, 60)) == 0  # each frame is its own content
    assert pages[0].image.getpixel((155, 60)) == 255


def test_image_only_pdf_renders_at_native_dpi(small_pages):
    data = to_bytes(small_pages[0], "PDF", save_all=True, append_images=small_pages[1:], resolution=150)
    assert count_pages(data, "pdf") == 3
    pages = list(iter_pages(data, "pdf"))
    assert len(pages) == 3
    assert pages[0].dpi == pytest.approx(150, rel=0.01)
    assert abs(pages[0].image.width - 600) <= 2 and abs(pages[2].image.height - 780) <= 2


def test_pdf_dpi_capped_at_300():
    im = Image.new("L", (1200, 1600), 255)
    data = to_bytes(im, "PDF", resolution=600)
    (page,) = iter_pages(data, "pdf")
    assert page.dpi == 300 and abs(page.image.width - 600) <= 2


def test_exif_orientation_applied():
    im = Image.new("RGB", (300, 100), "white")
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90 CW to display
    data = to_bytes(im, "JPEG", exif=exif.tobytes())
    (page,) = iter_pages(data, "jpeg")
    assert page.image.size == (100, 300)
    assert "exif-orientation:6" in page.notes


def test_truncated_jpeg():
    data = to_bytes(Image.effect_noise((400, 400), 60).convert("RGB"), "JPEG")
    with pytest.raises(UnreadableImage, match="truncated JPEG"):
        list(iter_pages(data[: len(data) // 2], "jpeg"))


def test_text_declared_as_tiff():
    with pytest.raises(UnreadableImage, match="not a TIFF"):
        list(iter_pages(b"Bien ban ban giao ho so\n" * 10, "tif"))


def test_unsupported_format():
    with pytest.raises(UnsupportedFormat):
        list(iter_pages(to_bytes(Image.new("RGB", (4, 4)), "GIF"), "gif"))


def _encrypted_pdf() -> bytes:
    # a minimal PDF with a Standard security handler (RC4 40-bit, user password required)
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 100 100] >>",
        b"<< /Filter /Standard /V 1 /R 2 /O <" + b"11" * 32 + b"> /U <" + b"22" * 32 + b"> /P -44 >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objs, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % i + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1))
    for off in offsets:
        out.write(b"%010d 00000 n \n" % off)
    out.write(
        b"trailer\n<< /Size 5 /Root 1 0 R /Encrypt 4 0 R /ID [<"
        + b"ab" * 16
        + b"> <"
        + b"ab" * 16
        + b">] >>\n"
    )
    out.write(b"startxref\n%d\n%%%%EOF\n" % xref)
    return out.getvalue()


def test_encrypted_pdf():
    data = _encrypted_pdf()
    with pytest.raises(EncryptedPdf):
        list(iter_pages(data, "pdf"))
    with pytest.raises(EncryptedPdf):
        count_pages(data, "pdf")


def _png_bomb(width: int, height: int) -> bytes:
    """A real, complete 8-bit grey PNG of width x height zeros, compressed to a few hundred KB."""
    comp = zlib.compressobj(9)
    row = b"\x00" * (width + 1)
    idat = b"".join(comp.compress(row) for _ in range(height)) + comp.flush()

    def chunk(tag: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + tag + body + struct.pack(">I", zlib.crc32(tag + body))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def test_decompression_bomb_refused_without_memory_blowup():
    data = _png_bomb(20000, 20000)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with pytest.raises(ImageTooLarge):
        list(iter_pages(data, "png"))
    with pytest.raises(ImageTooLarge):
        count_pages(data, "png") and list(iter_pages(data, "png", max_pixels=10**12))
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    assert grown_mb < 150, f"decoder grew the process by {grown_mb:.0f} MB"


def test_large_jpeg_is_downscaled_with_dct_scaling():
    im = Image.new("L", (4000, 3000), 255)
    data = to_bytes(im, "JPEG", quality=50, dpi=(400, 400))
    (page,) = iter_pages(data, "jpeg", max_pixels=4_000_000)
    assert page.image.width * page.image.height <= 4_000_000
    assert page.notes and page.notes[0].startswith("draft-scale:")
    assert page.dpi == pytest.approx(400 * page.image.width / 4000)
    with pytest.raises(ImageTooLarge):
        list(iter_pages(to_bytes(im, "PNG"), "png", max_pixels=4_000_000))
