"""Personal data in document text, for marking content whose access must be restricted.

Kinds: person_name (after Ông/Bà/Anh/Chị/Đồng chí/đ/c), date_of_birth (after "sinh ngày", "ngày sinh",
"sinh năm", "năm sinh"), id_number (CCCD/CMND/căn cước/định danh numbers, and bare 12-digit citizen
numbers), address (after "Địa chỉ", "thường trú", "tạm trú", "trú tại", "nơi ở", "quê quán", "HKTT"),
phone (Vietnamese mobile numbers). Spans index the given text; matching tolerates lost diacritics.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lake.domain.documents.text import fold

_NAME_TOKEN = r"[A-ZÀ-ỸĐ][a-zà-ỹđ]*"
_HONORIFIC = re.compile(r"(?<![^\W\d_])(?:Ông|Bà|ông|bà|Anh|Chị|anh|chị|Đồng chí|đồng chí|[Đđ]/[cC]|"
                        r"Cháu|cháu|Em|em)"
                        r"(?:\s*\(\s*bà\s*\))?\s*:?\s+")
# words that cannot start a name after "Ông/Bà" (a title or a function follows instead)
_NAME_STOP = {"Chủ", "Chánh", "Giám", "Phó", "Trưởng", "Bí", "Thủ", "Tổng", "Trợ", "Cán", "Công", "Chi", "Kế",
              "Văn", "Đại", "Ủy", "Uỷ", "Thư", "Tổ", "Trung", "Hiệu", "Hội", "Viện", "Phòng", "Sở", "Ban",
              "Các",
              "Những", "Người", "Như", "Có", "Là", "Đã", "Được", "Và", "Thành"}
# words that end a name already started ("Nguyễn Văn A Phó Chủ tịch"); given names like Văn, Thành stay
_NAME_END = {"Chủ", "Chánh", "Giám", "Phó", "Trưởng", "Bí", "Thủ", "Tổng", "Ủy", "Uỷ", "Cán", "Hiệu", "Phòng",
             "Sở", "Ban", "Các", "Nguyên"}
_DOB = re.compile(r"(?:SINH\s*NGAY|NGAY\s*(?:,\s*THANG\s*,\s*NAM\s*)?SINH|SINH\s*NAM|NAM\s*SINH)\s*:?\s*"
                  r"(\d{1,2}\s*[/.\-]\s*\d{1,2}\s*[/.\-]\s*\d{4}|\d{1,2}\s*THANG\s*\d{1,2}\s*NAM\s*\d{4}|\d{4})")
_ID_LABEL = re.compile(r"(?:CCCD|CMND|CMT|CAN\s*CUOC(?:\s*CONG\s*DAN)?|CHUNG\s*MINH\s*(?:NHAN\s*DAN|THU)|"
                       r"DINH\s*DANH(?:\s*CA\s*NHAN)?|HO\s*CHIEU)\s*(?:SO|SO:)?\s*:?\s*(?:SO\s*:?\s*)?"
                       r"([0-9][0-9 .]{7,16}[0-9])")
_BARE_ID = re.compile(r"(?<![0-9])0[0-9]{11}(?![0-9])")
_PHONE = re.compile(r"(?<![0-9])(?:\+84|0)(?:3|5|7|8|9)[0-9]{8}(?![0-9])")
# whole words only: "Thường trực" (standing committee) must not read as "thường trú" (residence)
_ADDR = re.compile(r"(?<![A-Z])(?:DIA\s*CHI(?:\s*THUONG\s*TRU|\s*LIEN\s*HE)?|THUONG\s*TRU(?:\s*TAI)?|"
                   r"TAM\s*TRU(?:\s*TAI)?|"
                   r"TRU\s*TAI|NOI\s*O(?:\s*HIEN\s*NAY)?|QUE\s*QUAN|HKTT|NOI\s*CU\s*TRU)(?![A-Z])\s*:?\s*")


_ADDRESS_START = re.compile(r"(?:\d|SO\b|S[OỐ]\s*NHA|THON|XOM|TO\b|TO\s*DAN\s*PHO|AP\b|BAN\b|KHU|DUONG|PHO\b|"
                            r"NGO|NGACH|HEM|KIET|PHUONG|XA\b|THI\s*TRAN|QUAN|HUYEN|TINH|THANH\s*PHO|TP\b|"
                            r"CAN\s*HO|NHA\b|LO\b|TANG\b)")


@dataclass(frozen=True)
class PersonalDataSpan:
    kind: str  # person_name | date_of_birth | id_number | address | phone
    start: int
    end: int
    text: str
    confidence: float


def _names(text: str) -> list[PersonalDataSpan]:
    out = []
    for m in _HONORIFIC.finditer(text):
        rest = text[m.end():]
        toks = re.match(rf"{_NAME_TOKEN}(?:\s+{_NAME_TOKEN}){{1,5}}", rest)
        if not toks:
            continue
        words = toks.group().split()
        if words[0] in _NAME_STOP:
            continue
        # stop before a following capitalised non-name word (e.g. "Nguyễn Văn A Phó Chủ tịch")
        kept = []
        for w in words:
            if w in _NAME_END and kept:
                break
            kept.append(w)
        if len(kept) < 2:
            continue
        name = " ".join(kept)
        start = m.end()
        conf = 0.9 if fold(kept[0]) in _SURNAMES_F else 0.6
        out.append(PersonalDataSpan("person_name", start, start + len(name), name, conf))
    return out


_SURNAMES_F = {fold(x) for x in ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng",
                                  "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý", "Đào", "Đoàn", "Trịnh", "Trương",
                                  "Đinh", "Lâm", "Phùng", "Mai", "Tô", "Hà", "Tạ", "Lương", "Chu", "Cao",
                                  "Lưu", "Kiều", "Khuất", "Nghiêm", "Triệu", "Thái", "Lại", "Vương", "Quách")}


def find_personal_data(text: str) -> list[PersonalDataSpan]:
    """Spans of personal data in `text`, sorted by position (overlaps resolved to the earliest/longest)."""
    f = fold(text)
    spans: list[PersonalDataSpan] = list(_names(text))
    for m in _DOB.finditer(f):
        spans.append(PersonalDataSpan("date_of_birth", m.start(1), m.end(1), text[m.start(1):m.end(1)], 0.95))
    for m in _ID_LABEL.finditer(f):
        digits = re.sub(r"\D", "", m.group(1))
        if len(digits) in (9, 12) or len(digits) == 8:
            spans.append(PersonalDataSpan("id_number", m.start(1), m.end(1), text[m.start(1):m.end(1)], 0.95))
    for m in _BARE_ID.finditer(text):
        spans.append(PersonalDataSpan("id_number", m.start(), m.end(), m.group(), 0.7))
    for m in _PHONE.finditer(text):
        spans.append(PersonalDataSpan("phone", m.start(), m.end(), m.group(), 0.8))
    for m in _ADDR.finditer(f):
        a = m.end()
        # "tạm trú", "nơi ở" are also plain nouns ("kiểm tra tạm trú của sinh viên"): without a colon or
        # "tại" after the label, the value must open like an address (a number, số, thôn, đường, phường …)
        label = f[m.start():m.end()]
        if ":" not in label and not re.search(r"\bTAI\s*$|DIA\s*CHI|HKTT|QUE\s*QUAN", label) \
                and not _ADDRESS_START.match(f[a:]):
            continue
        end_m = re.search(r"[;\n]|\.\s|\.$|,\s*(?:sinh|SĐT|điện thoại|CCCD|CMND|số điện)", text[a:])
        b = a + (end_m.start() if end_m else min(len(text) - a, 160))
        value = text[a:b].rstrip(" ,.")
        if len(value) >= 4:
            spans.append(PersonalDataSpan("address", a, a + len(value), value, 0.85))
    spans.sort(key=lambda s: (s.start, -(s.end - s.start)))
    out: list[PersonalDataSpan] = []
    for s in spans:
        if out and s.start < out[-1].end:
            continue
        out.append(s)
    return out


def restriction_doubtful(secrecy, personal) -> bool:
    """Whether a restriction decision needs a reviewer: a secrecy mark read with low confidence, or personal
    data found only through weak evidence (a lone phone number, an address or id read with confidence
    below 0.9). The document is restricted meanwhile (a leak cannot be undone); the reviewer releases it.

    ``secrecy`` is the extracted field (value, confidence); ``personal`` the spans (dicts or
    :class:`PersonalDataSpan`).
    """
    if getattr(secrecy, "value", None) and getattr(secrecy, "confidence", 1.0) < 0.9:
        return True

    def get(s, k):
        return s[k] if isinstance(s, dict) else getattr(s, k)

    strong = [s for s in personal if get(s, "kind") in ("date_of_birth", "id_number", "address", "phone")]
    return bool(strong) and all(get(s, "confidence") < 0.9 for s in strong)
