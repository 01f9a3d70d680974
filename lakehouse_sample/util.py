"""Small deterministic helpers shared by the sample generator (seeded RNGs, names, date formats)."""

from __future__ import annotations

import hashlib
import random
import unicodedata
from datetime import date, datetime, timedelta, timezone

TZ = timezone(timedelta(hours=7))


def rng_for(seed: int, *keys: object) -> random.Random:
    """An independent RNG for one purpose: the same (seed, keys) always gives the same stream."""
    return random.Random("|".join([str(seed), *map(str, keys)]))


def int_seed(seed: int, *keys: object) -> int:
    digest = hashlib.sha256("|".join([str(seed), *map(str, keys)]).encode()).digest()
    return int.from_bytes(digest[:8], "big")


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def ascii_fold(text: str) -> str:
    """Vietnamese without diacritics (for EXIF/TIFF ASCII tags): 'Nguyễn Đức' -> 'Nguyen Duc'."""
    text = text.replace("Đ", "D").replace("đ", "d")
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).encode("ascii", "replace").decode()


def upper_vi(text: str) -> str:
    return nfc(text.upper())


def dmy(d: date) -> str:
    return f"{d.day:02d}/{d.month:02d}/{d.year}"


def dmy_short(d: date) -> str:
    return f"{d.day}/{d.month}/{d.year}"


def long_date(d: date) -> str:
    return f"ngày {d.day} tháng {d.month} năm {d.year}"


def iso_local(dt: datetime) -> str:
    return dt.astimezone(TZ).isoformat(timespec="seconds")


def workday(d: date) -> date:
    """Move a weekend date to the following Monday."""
    while d.weekday() >= 5:
        d += timedelta(days=1)
    return d


def random_date(rng: random.Random, start: date, end: date) -> date:
    if end <= start:
        return start
    return start + timedelta(days=rng.randint(0, (end - start).days))


SURNAMES = [
    "Nguyễn",
    "Nguyễn",
    "Nguyễn",
    "Trần",
    "Trần",
    "Lê",
    "Lê",
    "Phạm",
    "Hoàng",
    "Phan",
    "Vũ",
    "Đặng",
    "Bùi",
    "Đỗ",
    "Hồ",
    "Ngô",
    "Dương",
    "Lý",
    "Đinh",
    "Trịnh",
    "Đào",
    "Tạ",
    "Khuất",
    "Kiều",
]
MALE_MIDDLE = ["Văn", "Văn", "Đức", "Minh", "Quang", "Hữu", "Xuân", "Mạnh", "Tiến", "Thanh", "Công", "Đình"]
FEMALE_MIDDLE = ["Thị", "Thị", "Thị", "Thu", "Ngọc", "Thanh", "Hồng", "Minh", "Kim", "Phương"]
MALE_GIVEN = [
    "Hùng",
    "Dũng",
    "Tuấn",
    "Hải",
    "Thắng",
    "Long",
    "Sơn",
    "Cường",
    "Quân",
    "Bình",
    "Khánh",
    "Trung",
    "Hiếu",
    "Thành",
    "Phúc",
    "Tùng",
    "Việt",
    "Huy",
    "Nam",
    "Đạt",
    "Toàn",
    "Lâm",
    "Hòa",
    "Quyết",
]
FEMALE_GIVEN = [
    "Lan",
    "Hương",
    "Hà",
    "Phương",
    "Nga",
    "Thủy",
    "Hằng",
    "Linh",
    "Mai",
    "Yến",
    "Huyền",
    "Trang",
    "Thảo",
    "Loan",
    "Oanh",
    "Hạnh",
    "Dung",
    "Tâm",
    "Nhung",
    "Hiền",
    "Vân",
    "Liên",
]


def person_name(rng: random.Random, female: bool | None = None) -> tuple[str, bool]:
    if female is None:
        female = rng.random() < 0.4
    middle = FEMALE_MIDDLE if female else MALE_MIDDLE
    given = FEMALE_GIVEN if female else MALE_GIVEN
    return f"{rng.choice(SURNAMES)} {rng.choice(middle)} {rng.choice(given)}", female
