"""Issuing bodies read from a document matched to the agency register (silver.agencies).

The header of a document names its issuer as printed (NĐ 30/2020, Phụ lục I): "ỦY BAN NHÂN DÂN / QUẬN BA
ĐÌNH", "QUẬN ỦY BA ĐÌNH" under "ĐẢNG BỘ THÀNH PHỐ HÀ NỘI", "PHÒNG NỘI VỤ" under "UBND QUẬN BA ĐÌNH", "QUẬN BA
ĐÌNH" under "ỦY BAN MTTQ VIỆT NAM". The register names the same agency in running text ("Ủy ban nhân dân quận
Ba Đình", "Phòng Nội vụ quận Ba Đình", "Ủy ban Mặt trận Tổ quốc Việt Nam quận Ba Đình"). An issuer matches a
registered agency when its folded letters (no diacritics, no spaces, abbreviations spelt out), alone or
completed by its parent body's locality or preceded by its parent, equal the register name's, one letter of
OCR damage allowed in a long name. A matched issuer carries the register's name and agency code; any other
(an agency outside Hà Nội, a body the register does not list) is kept as read and cleaned by the extractor,
and flagged ``issuer_unmatched``.

The places (`AgencyRegister.places`) are the district and commune names of the register and the reference
lists, upper case, in the forms a header prints them ("QUẬN BA ĐÌNH", "BA ĐÌNH"): the extractor's closed world
of agency words (`lake.domain.documents.extract_fields(places=…)`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from lake.domain.documents.closed_world import edit_distance
from lake.domain.documents.text import fold

# abbreviations a header prints for the words the register spells out (folded)
_ABBREVIATIONS = (
    (r"\bUBND\b", "UY BAN NHAN DAN"), (r"\bHDND\b", "HOI DONG NHAN DAN"), (r"\bMTTQ\b", "MAT TRAN TO QUOC"),
    (r"\bTP\b\.?", "THANH PHO"), (r"\bBCH\b", "BAN CHAP HANH"), (r"\bLDTBXH\b", "LAO DONG THUONG BINH VA XA HOI"),
)
# organ words opening a parent body: what is left after them is the parent's locality
_ORGAN_PREFIX = re.compile(r"^(UY BAN NHAN DAN|HOI DONG NHAN DAN|UY BAN MAT TRAN TO QUOC VIET NAM|DANG BO|"
                           r"BAN CHAP HANH DANG BO)\s+")
_UNIT_WORDS = ("THÀNH PHỐ", "QUẬN", "HUYỆN", "THỊ XÃ", "THỊ TRẤN", "PHƯỜNG", "XÃ")


def name_key(name: str | None) -> str:
    """Folded letters and digits of an agency name, its abbreviations spelt out ("UBND Q. Ba Đình" and "Ủy ban
    nhân dân quận Ba Đình" differ only by the Q.)."""
    f = fold(name or "")
    for rx, full in _ABBREVIATIONS:
        f = re.sub(rx, full, f)
    return re.sub(r"[^A-Z0-9]", "", f)


def _locality(parent: str) -> str:
    f = re.sub(r"\s+", " ", fold(parent)).strip()
    for rx, full in _ABBREVIATIONS:
        f = re.sub(rx, full, f)
    m = _ORGAN_PREFIX.match(f)
    return f[m.end():] if m else ""


@dataclass(frozen=True)
class RegisteredAgency:
    agency_code: str
    name: str  # the register's name ("Ủy ban nhân dân quận Ba Đình")


@dataclass(frozen=True)
class IssuerMatch:
    agency: RegisteredAgency | None  # None: not in the register (kept as read, flagged issuer_unmatched)
    distance: int = 0  # letters of OCR damage between the reading and the register's name


def _upper(s: str) -> str:
    return re.sub(r"\s+", " ", s.upper()).strip()


class AgencyRegister:
    """The agencies of silver.agencies (those in the register) and the places of the reference lists."""

    def __init__(self, agencies: Iterable[Mapping], places: Iterable[str] = ()):
        self.agencies: list[RegisteredAgency] = []
        self._by_key: dict[str, list[RegisteredAgency]] = {}
        names: set[str] = set()
        for a in agencies:
            a = a.asDict() if hasattr(a, "asDict") else a
            if not a.get("agency_name") or a.get("in_register") is False:
                continue
            ag = RegisteredAgency(a["agency_code"], a["agency_name"])
            self.agencies.append(ag)
            self._by_key.setdefault(name_key(ag.name), []).append(ag)
            for col in ("district_name", "commune_name"):
                if a.get(col):
                    names.add(a[col])
        names.update(p for p in places if p)
        forms: set[str] = set()
        for n in names:
            up = _upper(n)
            forms.add(up)
            for unit in _UNIT_WORDS:  # "QUẬN BA ĐÌNH" is printed, and "BA ĐÌNH" after "QUẬN ỦY"
                if up.startswith(unit + " "):
                    forms.add(up[len(unit) + 1:])
        self.places: tuple[str, ...] = tuple(sorted(forms))

    def match(self, issuer: str | None, parent: str | None = None) -> IssuerMatch:
        """The registered agency an issuer (with its parent body, as the header prints them) is."""
        if not issuer or not self.agencies:
            return IssuerMatch(None)
        keys = [name_key(issuer)]
        if parent:
            keys.append(name_key(f"{issuer} {_locality(parent)}"))  # PHÒNG NỘI VỤ under UBND QUẬN BA ĐÌNH
            keys.append(name_key(f"{parent} {issuer}"))  # QUẬN BA ĐÌNH under ỦY BAN MTTQ VIỆT NAM
        for k in keys:
            hit = self._by_key.get(k)
            if hit and len(hit) == 1:
                return IssuerMatch(hit[0], 0)
        best: list[tuple[int, RegisteredAgency]] = []
        for k in keys:
            if len(k) < 14:  # a short name may be another agency one letter away
                continue
            for rk, ags in self._by_key.items():
                if len(ags) == 1 and abs(len(rk) - len(k)) <= 1 and edit_distance(k, rk, 1) <= 1:
                    best.append((1, ags[0]))
        found = {ag.agency_code: ag for _, ag in best}
        if len(found) == 1:
            return IssuerMatch(next(iter(found.values())), 1)
        return IssuerMatch(None)


def register_places(localities: Iterable[Mapping]) -> list[str]:
    """Place names of silver.localities rows (old districts and communes, new communes)."""
    out = []
    for r in localities:
        r = r.asDict() if hasattr(r, "asDict") else r
        name = r.get("unit_name")
        if name:
            out.append(name)
    return out
