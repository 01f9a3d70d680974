import io

import pytest
from PIL import Image

from lake.domain.ingest.files import MAX_PAGE_PIXELS, BadInput, detect_format, inspect


def _page(size=(400, 560), mode="L"):
    return Image.new(mode, size, 255)


def _bytes(img_or_list, fmt, **kw):
    buf = io.BytesIO()
    if isinstance(img_or_list, list):
        img_or_list[0].save(buf, fmt, save_all=True, append_images=img_or_list[1:], **kw)
    else:
        img_or_list.save(buf, fmt, **kw)
    return buf.getvalue()


def test_jpeg_with_exif_metadata_and_dpi():
    img = _page(mode="RGB")
    exif = Image.Exif()
    exif[0x013B] = "Nguyen Thi Lan"  # Artist (EXIF ASCII)
    exif[0x0132] = "2025:09:03 08:15:00"  # DateTime
    data = _bytes(img, "JPEG", dpi=(300, 300), exif=exif.tobytes())
    info = inspect(data, "a.jpg")
    assert info.detected_format == "jpeg"
    assert info.page_count == 1
    assert info.pages[0].dpi_x == pytest.approx(300)
    assert info.metadata["Artist"] == "Nguyen Thi Lan"
    assert info.metadata["DateTime"] == "2025:09:03 08:15:00"


def test_multipage_tiff_and_pdf_are_counted_page_by_page():
    pages = [_page(), _page(), _page()]
    tiff = inspect(_bytes(pages, "TIFF", dpi=(200, 200)), "b.tif")
    assert tiff.detected_format == "tiff" and tiff.page_count == 3
    pdf = inspect(_bytes([p.convert("RGB") for p in pages[:2]], "PDF", resolution=200), "c.pdf")
    assert pdf.detected_format == "pdf" and pdf.page_count == 2
    assert pdf.pages[0].width_px == 400
    assert pdf.pages[0].dpi_x == pytest.approx(200, abs=1)


def test_format_comes_from_bytes_not_the_name():
    data = _bytes(_page(), "PNG")
    assert detect_format(data, "scan.tif") == "png"
    assert detect_format(b"STT,Ma\n1,2\n", "x.csv") == "csv"
    assert detect_format(b"STT,Ma\n1,2\n", "x.tif") is None


@pytest.mark.parametrize(
    ("data", "name", "code"),
    [
        (b"", "zero.jpg", "empty_file"),
        (b"this is a note, not an image\n", "note.tif", "unknown_format"),
        (b"%PDF-1.4\n garbage", "broken.pdf", "unreadable_pdf"),
    ],
)
def test_bad_inputs_raise_with_a_reason_code(data, name, code):
    with pytest.raises(BadInput) as err:
        inspect(data, name)
    assert err.value.reason_code == code
    assert err.value.message


def test_truncated_jpeg_is_detected():
    img = Image.effect_noise((600, 800), 60).convert("RGB")
    data = _bytes(img, "JPEG", quality=90)
    with pytest.raises(BadInput) as err:
        inspect(data[: len(data) // 2], "t.jpg")
    assert err.value.reason_code == "truncated_image"


def test_huge_image_is_refused_from_its_header_without_decoding():
    side = int(MAX_PAGE_PIXELS**0.5) + 1000
    data = _bytes(Image.new("1", (side, side), 1), "PNG")  # 1-bit: small to build, huge to decode
    with pytest.raises(BadInput) as err:
        inspect(data, "huge.png")
    assert err.value.reason_code == "image_too_large"


def test_encrypted_pdf_is_refused():
    pikepdf = pytest.importorskip("pikepdf")
    pdf = pikepdf.new()
    pdf.add_blank_page()
    buf = io.BytesIO()
    pdf.save(buf, encryption=pikepdf.Encryption(owner="o", user="u"))
    with pytest.raises(BadInput) as err:
        inspect(buf.getvalue(), "secret.pdf")
    assert err.value.reason_code == "encrypted_pdf"
