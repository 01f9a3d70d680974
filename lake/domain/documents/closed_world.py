"""Fields from a closed world: signer titles, authority prefixes and agency names snapped to known forms.

OCR damage copied verbatim into a field ("GIAM ĐỌC", "Á.CHỦ TỊCH", "SƠ GIAO DỤC VÀ ĐAO TẠO") is repaired
by matching against what can be there: the closed list of signer titles of Nghị định 30/2020 and
Hướng dẫn 36-HD/VPTW, and a lexicon of the words agency names are made of (organ types, fields of
competence, administrative units, the places of the reference lists when the caller passes them). The
matching is done on folded text (no diacritics, no spaces), so a lost or swapped tone mark costs nothing
and a wrong letter costs one edit; the result says how far the reading was from the known form, which
the extractor turns into the field's confidence.

    >>> match_title("GIAM ĐỌC")
    TitleMatch(title='GIÁM ĐỐC', prefix=None, distance=0, exact=False)
    >>> match_title("KT. GIÁM ĐỐC").prefix
    'KT.'
    >>> snap_agency("SƠ GIAO DỤC VÀ ĐAO TẠO")
    AgencyMatch(name='SỞ GIÁO DỤC VÀ ĐÀO TẠO', changed=True, known=True)
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from lake.domain.documents.text import fold

# signer titles (upper case, as printed), longest first when matching
TITLES = (
    "CHỦ TỊCH", "PHÓ CHỦ TỊCH", "GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "BÍ THƯ", "PHÓ BÍ THƯ", "TRƯỞNG PHÒNG",
    "PHÓ TRƯỞNG PHÒNG", "CHÁNH VĂN PHÒNG", "PHÓ CHÁNH VĂN PHÒNG", "VĂN PHÒNG", "TRƯỞNG BAN", "PHÓ TRƯỞNG BAN",
    "CHÁNH THANH TRA", "PHÓ CHÁNH THANH TRA", "CHỦ NHIỆM", "PHÓ CHỦ NHIỆM", "HIỆU TRƯỞNG", "PHÓ HIỆU TRƯỞNG",
    "CỤC TRƯỞNG", "PHÓ CỤC TRƯỞNG", "CHI CỤC TRƯỞNG", "TRƯỞNG CÔNG AN", "PHÓ TRƯỞNG CÔNG AN", "THỦ TRƯỞNG",
    "TỔNG GIÁM ĐỐC", "KẾ TOÁN TRƯỞNG", "TRƯỞNG KHOA", "VIỆN TRƯỞNG", "PHÓ VIỆN TRƯỞNG", "GIÁM ĐỐC SỞ",
    "Q. TRƯỞNG PHÒNG", "Q. GIÁM ĐỐC", "Q. CHỦ TỊCH",
)
# authority prefixes, folded key -> printed form
PREFIXES = {"TM": "TM.", "KT": "KT.", "Q": "Q.", "TL": "TL.", "TUQ": "TUQ.", "T/M": "T/M", "K/T": "K/T",
            "T/L": "T/L", "T/UQ": "T/UQ"}
_PREFIX_RX = re.compile(r"^\s*(T\s*/\s*M|K\s*/\s*T|T\s*/\s*L|T\s*/\s*UQ|TUQ|TM|KT|TL|Q)\s*[.,:]?\s+", re.I)

# the words agency names are made of (NFC, upper case); phrases are matched before single words
AGENCY_PHRASES = (
    "ỦY BAN NHÂN DÂN", "HỘI ĐỒNG NHÂN DÂN", "ỦY BAN MẶT TRẬN TỔ QUỐC VIỆT NAM", "MẶT TRẬN TỔ QUỐC",
    "GIÁO DỤC VÀ ĐÀO TẠO", "NỘI VỤ", "TÀI NGUYÊN VÀ MÔI TRƯỜNG", "TÀI CHÍNH", "KẾ HOẠCH VÀ ĐẦU TƯ",
    "TÀI CHÍNH - KẾ HOẠCH", "Y TẾ", "TƯ PHÁP", "XÂY DỰNG", "GIAO THÔNG VẬN TẢI", "CÔNG THƯƠNG",
    "LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI", "LAO ĐỘNG THƯƠNG BINH VÀ XÃ HỘI", "VĂN HÓA VÀ THÔNG TIN",
    "VĂN HÓA, THỂ THAO VÀ DU LỊCH", "THÔNG TIN VÀ TRUYỀN THÔNG", "NÔNG NGHIỆP VÀ PHÁT TRIỂN NÔNG THÔN",
    "KHOA HỌC VÀ CÔNG NGHỆ", "QUẢN LÝ ĐÔ THỊ", "KINH TẾ", "THANH TRA", "VĂN PHÒNG", "HỘI NÔNG DÂN",
    "HỘI LIÊN HIỆP PHỤ NỮ", "HỘI CỰU CHIẾN BINH", "ĐOÀN THANH NIÊN", "CỘNG SẢN HỒ CHÍ MINH", "BAN CHẤP HÀNH",
    "BAN THƯỜNG VỤ", "CÔNG AN", "BỘ CÔNG AN", "ĐẢNG BỘ", "ĐẢNG ỦY", "HUYỆN ỦY", "QUẬN ỦY", "THỊ ỦY", "THÀNH ỦY",
    "SỞ", "PHÒNG", "BAN", "CHI CỤC", "TRUNG TÂM", "UBND", "HĐND", "THÀNH PHỐ", "TỈNH", "HUYỆN", "QUẬN",
    "THỊ XÃ", "THỊ TRẤN", "PHƯỜNG", "XÃ", "HÀ NỘI", "ĐÀ NẴNG", "HỒ CHÍ MINH", "THỪA THIÊN HUẾ", "HUẾ",
    "VIỆT NAM", "BỘ", "TỔNG CỤC", "CỤC",
)


def _key(s: str) -> str:
    """Folded, letters and digits only ("Phó Giám đốc" -> "PHOGIAMDOC")."""
    return re.sub(r"[^A-Z0-9/]", "", fold(s))


def edit_distance(a: str, b: str, limit: int = 3) -> int:
    """Levenshtein distance, capped at ``limit + 1`` (enough to reject)."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        if min(cur) > limit:
            return limit + 1
        prev = cur
    return prev[-1]


@dataclass(frozen=True)
class TitleMatch:
    title: str  # canonical title, upper case with diacritics
    prefix: str | None  # authority prefix on the same line ("KT."), canonical
    distance: int  # edits between the folded reading and the folded title
    exact: bool  # the reading was the title letter for letter


def match_title(raw: str, max_distance: int = 2) -> TitleMatch | None:
    """The closed-list title a line reads as, with its authority prefix; None when nothing is close.

    Junk OCR puts before the title ("4 GIÁM ĐÓC", "Á.CHỦ TỊCH", "3 BÍ THƯ") is dropped: the title is
    matched against the end of the line, and a leading token of one or two characters is ignored.
    """
    text = (raw or "").strip()
    prefix = None
    m = _PREFIX_RX.match(text)
    if m:
        prefix = PREFIXES.get(_key(m.group(1)).replace(" ", ""))
        text = text[m.end():]
    key = _key(text)
    if not key:
        return None
    best: tuple[int, int, str] | None = None
    for title in TITLES:
        tk = _key(title)
        limit = 0 if len(tk) <= 5 else (1 if len(tk) <= 8 else max_distance)
        for cand in {key, key[-len(tk):], re.sub(r"^[^A-Z]*[A-Z0-9]{0,2}[^A-Z]+", "", key)}:
            if not cand:
                continue
            d = edit_distance(cand, tk, limit)
            if cand is not key and d <= limit:
                d += 0 if len(key) - len(cand) <= 2 else 1  # dropped junk costs a little
            if d <= limit and (best is None or (d, -len(tk)) < (best[0], -best[1])):
                best = (d, len(tk), title)
    if best is None:
        return None
    d, _, title = best
    return TitleMatch(title, prefix, d, exact=text.strip() == title)


@dataclass(frozen=True)
class AgencyMatch:
    name: str  # the name with each recognised word or phrase in its known form
    changed: bool  # some part was repaired
    known: bool  # every word was recognised (a name made of the lexicon's words and given places)


@lru_cache(maxsize=8)
def _lexicon(places: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    items = {_key(p): p for p in (*AGENCY_PHRASES, *places)}
    return tuple(sorted(items.items(), key=lambda kv: -len(kv[0])))


def snap_agency(raw: str, places: Iterable[str] = ()) -> AgencyMatch:
    """Clean an issuing body read by OCR: junk dropped, words of the lexicon restored to their known form.

    ``places`` adds place names (upper case) the caller knows, e.g. the districts and communes of the
    reference lists. Words of no known form are kept as read; ``known`` tells whether any were left.
    """
    text = re.sub(r"[`´'\"|_~^*•]+", " ", raw or "")
    text = re.sub(r"(?<=\w)\.(?=\s|$)", " ", text)  # "NHÂN DÂN." -> "NHÂN DÂN"
    text = re.sub(r"\s+", " ", text).strip(" -.,;:")
    words = text.split()
    lex = _lexicon(tuple(sorted({p.upper() for p in places})))
    out: list[str] = []
    changed = text != (raw or "").strip()
    unknown = 0
    i = 0
    while i < len(words):
        hit = None
        for n in (6, 5, 4, 3, 2, 1):
            if i + n > len(words):
                continue
            chunk = " ".join(words[i:i + n])
            k = _key(chunk)
            if not k:
                continue
            for lk, form in lex:
                if abs(len(lk) - len(k)) > 1:
                    continue
                limit = 0 if len(lk) < 10 else 1  # one wrong letter only in a long phrase ("THANH TRÌ" stays)
                if edit_distance(k, lk, limit) <= limit:
                    hit = (n, form)
                    break
            if hit:
                break
        if hit is None and len(words[i]) > 1 and re.sub(r"\W", "", words[i]) == "":
            i += 1
            changed = True
            continue
        if hit is None:
            # a glued pair ("BANNHÂN"): try splitting against the lexicon once
            out.append(words[i])
            unknown += not words[i].isdigit()
            i += 1
            continue
        n, form = hit
        if " ".join(words[i:i + n]) != form:
            changed = True
        out.append(form)
        i += n
    return AgencyMatch(" ".join(out), changed, known=unknown == 0)


# Vietnamese personal names: family name (a closed list), middle name(s), given name; 2-4 syllables, title case.
FAMILY_NAMES = (
    "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô",
    "Dương", "Lý", "Đào", "Đoàn", "Vương", "Trịnh", "Trương", "Đinh", "Lâm", "Phùng", "Mai", "Tô", "Hà",
    "Tạ", "Lương", "Chu", "Cao", "Lưu", "Quách", "Kiều", "Khuất", "Nghiêm", "Triệu", "Thái", "Đàm", "Lại",
    "Tăng", "Hứa", "Doãn", "Đồng", "Nông", "Lò", "Hầu", "Giang", "Âu", "Tống", "Lục", "Mạc", "Khổng",
)
# the middle names most names carry (a name may have another: it is kept as read)
MIDDLE_NAMES = (
    "Văn", "Thị", "Hữu", "Đức", "Xuân", "Quang", "Ngọc", "Thanh", "Minh", "Công", "Đình", "Quốc", "Thế",
    "Mạnh", "Tiến", "Trọng", "Duy", "Bá", "Kim", "Thu", "Hồng", "Anh", "Tuấn", "Việt", "Hải", "Thành",
)


def _unique_by_fold(words: Iterable[str]) -> dict[str, str]:
    seen: dict[str, list[str]] = {}
    for w in words:
        seen.setdefault(_key(w), []).append(w)
    return {k: v[0] for k, v in seen.items() if len(v) == 1}


_FAMILY_BY_KEY = _unique_by_fold(FAMILY_NAMES)
_MIDDLE_BY_KEY = _unique_by_fold(MIDDLE_NAMES)


@dataclass(frozen=True)
class NameMatch:
    name: str  # the name with its family and middle names in their written form
    repaired: bool  # a tone mark, a hyphen or a stray mark was changed: a person should confirm it
    family_known: bool  # the first syllable is a family name of the list


def snap_person_name(raw: str) -> NameMatch | None:
    """A signer's name by the structure of Vietnamese names, or None when the text is not one.

    The family name comes from a closed list and the common middle names from another: a syllable that
    folds (no tone marks) to exactly one of them is written as it ("Pham Thị Trung" -> "Phạm Thị Trung",
    "Huỳnh Vấn Hùng" -> "Huỳnh Văn Hùng"); marks OCR leaves around a name and a hyphen between two of its
    syllables ("'Phan-Hữu Yến") are dropped. Any such change is reported as a repair, so the value goes
    to a person rather than being stored as certain. The given name is never changed.

        >>> snap_person_name("Pham Thị Trung")
        NameMatch(name='Phạm Thị Trung', repaired=True, family_known=True)
    """
    text = (raw or "").strip()
    cleaned = re.sub(r"(?<=[^\W\d_])-(?=[^\W\d_])", " ", text)
    cleaned = re.sub(r"^[^\w]+|[^\w]+$", "", cleaned)
    toks = cleaned.split()
    if not 2 <= len(toks) <= 5 or not all(t.isalpha() for t in toks):
        return None
    if not all(t[0].isupper() and (len(t) == 1 or t[1:].islower()) for t in toks):
        return None
    repaired = cleaned != text
    out = list(toks)
    fam = _FAMILY_BY_KEY.get(_key(toks[0]))
    family_known = fam is not None
    if fam is not None and fam != toks[0]:
        out[0], repaired = fam, True
    for k in range(1, len(toks) - 1):
        mid = _MIDDLE_BY_KEY.get(_key(toks[k]))
        if mid is not None and mid != toks[k]:
            out[k], repaired = mid, True
    return NameMatch(" ".join(out), repaired, family_known)
