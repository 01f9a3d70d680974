"""Document types of Nghị định 30/2020/NĐ-CP (Phụ lục III) and the extra Party types of Hướng dẫn 36-HD/VPTW.

`canonical_abbr()` maps an OCR'd abbreviation to the canonical spelling, absorbing tone-mark and
case damage (QD, QÐ, Qđ → QĐ; TTR → TTr). Folding makes two pairs ambiguous: ĐA/DA (đề án / dự án) and
HĐ/HD (hợp đồng / hướng dẫn); a D with a stroke in the raw text, or the type title on the page, decides.
"""

from __future__ import annotations

from dataclasses import dataclass

from lake.domain.documents.text import squash


@dataclass(frozen=True)
class DocType:
    abbr: str | None
    name: str  # sentence case, as stored: "Quyết định"
    party_only: bool = False

    @property
    def title(self) -> str:
        """The type's name as printed in a document's title line (upper case, e.g. "QUYẾT ĐỊNH")."""
        return self.name.upper()


ND30_TYPES: tuple[DocType, ...] = (
    DocType("NQ", "Nghị quyết"),
    DocType("QĐ", "Quyết định"),
    DocType("CT", "Chỉ thị"),
    DocType("QC", "Quy chế"),
    DocType("QyĐ", "Quy định"),
    DocType("TB", "Thông báo"),
    DocType("HD", "Hướng dẫn"),
    DocType("CTr", "Chương trình"),
    DocType("KH", "Kế hoạch"),
    DocType("PA", "Phương án"),
    DocType("ĐA", "Đề án"),
    DocType("DA", "Dự án"),
    DocType("BC", "Báo cáo"),
    DocType("BB", "Biên bản"),
    DocType("TTr", "Tờ trình"),
    DocType("HĐ", "Hợp đồng"),
    DocType("CĐ", "Công điện"),
    DocType("GUQ", "Giấy ủy quyền"),
    DocType("GM", "Giấy mời"),
    DocType("GGT", "Giấy giới thiệu"),
    DocType("GNP", "Giấy nghỉ phép"),
    DocType("PG", "Phiếu gửi"),
    DocType("PC", "Phiếu chuyển"),
    DocType("PB", "Phiếu báo"),
    DocType("TC", "Thông cáo"),
)

# Party documents (Hướng dẫn 36-HD/VPTW) use the same abbreviations plus these.
PARTY_EXTRA_TYPES: tuple[DocType, ...] = (
    DocType("CV", "Công văn", party_only=True),
    DocType("KL", "Kết luận", party_only=True),
    DocType("TT", "Thông tri", party_only=True),
    DocType("QĐi", "Quy định", party_only=True),
)

CONG_VAN = DocType(None, "Công văn")

ALL_TYPES = ND30_TYPES + PARTY_EXTRA_TYPES
BY_ABBR = {t.abbr: t for t in ALL_TYPES}
_AMBIGUOUS = {"DA": ("ĐA", "DA"), "HD": ("HĐ", "HD")}
_BY_KEY: dict[str, str] = {}
for _t in ALL_TYPES:
    _BY_KEY.setdefault(squash(_t.abbr or ""), _t.abbr or "")
# Titles as printed (upper case), keyed by their folded form; longest first so "GIẤY ỦY QUYỀN" wins.
TITLE_KEYS: list[tuple[str, DocType]] = sorted(
    [(squash(t.name), t) for t in ND30_TYPES if t.abbr != "QyĐ"]
    + [(squash("Quy định"), BY_ABBR["QyĐ"]), (squash("Kết luận"), BY_ABBR["KL"]),
       (squash("Thông tri"), BY_ABBR["TT"])],
    key=lambda kt: -len(kt[0]),
)


def has_stroke_d(raw: str) -> bool:
    """True when `raw` holds a Đ/đ (or the look-alike Ð/ð), which OCR sometimes drops."""
    return any(c in "ĐđÐð" for c in raw)


def canonical_abbr(raw: str, *, party: bool = False, title: DocType | None = None) -> tuple[str | None, bool]:
    """(canonical abbreviation or None, exact) for an OCR'd type abbreviation.

    `exact` is False when the spelling had to be repaired (case, missing stroke on Đ, ...).
    `title` (the type title found on the page) settles ĐA/DA and HĐ/HD when the stroke may have been lost.
    """
    raw = raw.strip()
    key = squash(raw)
    if not key:
        return None, False
    if key in _AMBIGUOUS:
        stroke, plain = _AMBIGUOUS[key]
        if has_stroke_d(raw):
            return stroke, raw == stroke
        if title is not None and title.abbr in (stroke, plain):
            return title.abbr, raw == title.abbr
        return plain, raw == plain
    if key == "QDI" and not party:
        return None, False
    abbr = _BY_KEY.get(key)
    if abbr is None:
        # one letter of damage ("TIr" for TTr) is repaired only when the type title on the page agrees
        if title is not None and len(key) >= 3 and (not title.party_only or party):
            from lake.domain.documents.closed_world import edit_distance

            if edit_distance(key, squash(title.abbr), 1) == 1:
                return title.abbr, False
        return None, False
    if BY_ABBR[abbr].party_only and not party:
        return None, False
    return abbr, raw == abbr


def match_title(line: str) -> tuple[DocType | None, float]:
    """The document type whose capitalised name is this line (tolerating tone and one-letter damage)."""
    key = squash(line)
    if not key or len(key) > 22:
        return None, 0.0
    for tkey, t in TITLE_KEYS:
        if key == tkey:
            return t, 1.0
    for tkey, t in TITLE_KEYS:
        if len(tkey) >= 6 and abs(len(key) - len(tkey)) <= 1 and _edit_le1(key, tkey):
            return t, 0.8
    return None, 0.0


def _edit_le1(a: str, b: str) -> bool:
    if a == b:
        return True
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True)) <= 1
    if len(a) > len(b):
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    return a[i:] == b[i + 1:]
