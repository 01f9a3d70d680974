"""Fixture pages rendered with Pillow + Liberation Serif: Vietnamese administrative text, full diacritics."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFont

FONT_PATH = Path("/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf")

BODY_LINES = [
    "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;",
    "Xét đề nghị của Giám đốc Sở Nội vụ về việc chỉnh lý và số hóa tài liệu lưu trữ",
    "của các cơ quan, tổ chức trên địa bàn Thành phố Hà Nội, Ủy ban nhân dân quyết định",
    "phê duyệt kế hoạch số hóa hồ sơ có thời hạn bảo quản vĩnh viễn và kết quả giải quyết",
    "thủ tục hành chính còn hiệu lực; giao Trung tâm Phục vụ hành chính công chủ trì,",
    "phối hợp với Công an Thành phố bảo đảm an ninh, an toàn tại các điểm thi công.",
    "Chánh Văn phòng, Thủ trưởng các sở, ngành và Chủ tịch Ủy ban nhân dân các xã,",
    "phường chịu trách nhiệm thi hành Quyết định này kể từ ngày ký ban hành.",
]
BODY_TEXT = "\n".join(BODY_LINES)


def render_lines(
    lines: list[str], *, dpi: int = 300, pt: float = 13.0, margin_in: float = 0.5, width_in: float = 7.0
) -> Image.Image:
    """Render lines of text in Liberation Serif at ``pt`` points on a white ``dpi`` page (mode L)."""
    font = ImageFont.truetype(str(FONT_PATH), size=round(pt * dpi / 72))
    line_h = round(pt * 1.5 * dpi / 72)
    margin = round(margin_in * dpi)
    height = 2 * margin + line_h * len(lines)
    image = Image.new("L", (round(width_in * dpi), height), 255)
    draw = ImageDraw.Draw(image)
    for i, line in enumerate(lines):
        draw.text((margin, margin + i * line_h), line, font=font, fill=0)
    image.info["dpi"] = (dpi, dpi)
    return image


def downsample(image: Image.Image, dpi: int) -> Image.Image:
    """Simulate a low-resolution capture of a 300-dpi page (no dpi metadata left)."""
    src_dpi = image.info.get("dpi", (300, 300))[0]
    factor = dpi / src_dpi
    small = image.resize((round(image.width * factor), round(image.height * factor)), Image.Resampling.BOX)
    small.info.pop("dpi", None)
    return small


def skew(image: Image.Image, degrees: float) -> Image.Image:
    """Rotate counter-clockwise by ``degrees`` on a white background, keeping dpi metadata."""
    out = image.rotate(degrees, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=255)
    out.info["dpi"] = image.info.get("dpi", (300, 300))
    return out


def to_bytes(image: Image.Image, fmt: str, **kwargs) -> bytes:
    buf = io.BytesIO()
    image.save(buf, format=fmt, **kwargs)
    return buf.getvalue()


from lake.domain.ocr.evaluate import cer  # noqa: E402,F401 - re-exported for the OCR tests


@pytest.fixture(scope="session")
def clean_page() -> Image.Image:
    return render_lines(BODY_LINES)


@pytest.fixture(scope="session")
def engine():
    """One engine for the whole session, as a Spark partition would use it."""
    from lake.domain.ocr.engine import OcrEngine

    with OcrEngine(lang="vie") as eng:
        yield eng


@pytest.fixture(scope="session")
def tessdata_available() -> bool:
    prefix = os.environ.get("TESSDATA_PREFIX", "/usr/share/tesseract-ocr/5/tessdata")
    return (Path(prefix) / "vie.traineddata").exists()
