"""Hà Nội localities before and after 1 Jul 2025, and who now holds each old unit's records.

Built from the official reference lists (read with `lake.domain.reference_lists.load_reference` from
`Settings.reference_dir`, passed in by the caller; never copied into the repository):
30 old districts, 526 old communes, 126 new communes and the NSO conversion table (795 rows).

Reconciliation
--------------
* New communes: the conversion table is reconciled to the final list of 126 units BY NAME (exact NFC name,
  then a tone-placement-insensitive key, "Hoà" == "Hòa"). The final list's code is the code in use; the
  table's code is kept as `table_code`. Every one of the 126 must reconcile both ways, otherwise
  `LocalityReconciliationError` lists the names that do not. In the data, 29 names carry a different
  code in the table; 27 of those table codes exist nowhere in the final list, and 2 are worse: they are
  the final code of ANOTHER unit (Văn Miếu - Quốc Tử Giám is 00226 in the table = Kim Liên's final code;
  Hoàng Mai is 00331 = Yên Sở's final code), so a join on codes would silently misassign them.
* Old communes: rows are matched to the list of 526 by code, and the name is checked (tone placement and
  case ignored). When the name does not fit the code but matches exactly one commune of the same district,
  the name wins and an `OldCodeCorrection` is recorded (in the data: Xã Đặng Xá → Xã Thuận An is listed
  with Xã Cổ Bi's code 00553; Đặng Xá is 00556). Otherwise the error lists the rows.

Successor custodians (design decision)
--------------------------------------
* Commune-level agency (UBND, Đảng ủy ... of an old commune): its records go to ONE new commune, the
  primary successor, chosen deterministically among the new communes the old one merged into:
    1. the only target, if there is one;
    2. else the first target taking the old commune whole ("Nhập toàn bộ", is_partial False);
    3. else the first target whose note says it takes the whole population ("…, toàn bộ dân số") —
       the people, and so the commune seat, went there;
    4. else the target whose name (without "Phường"/"Xã") equals, then contains, the old name;
    5. else the first target in conversion-table order.
  Every other target is kept as `also_covers`: it holds part of the territory and must be consulted for
  records about that part (land, households).
* District-level agency (Quận/Huyện/Thị xã UBND, HĐND, Huyện ủy ...): districts ceased to exist, there is
  no district-level successor. Records go to the city level: custodian "Lưu trữ lịch sử Thành phố Hà Nội"
  (the City Historical Archives, which sets the standards of the programme; for Party agencies
  `block="party"` gives "Kho Lưu trữ Thành ủy Hà Nội"). The local point of contact is the new commune
  seated at the old district's seat: the new commune named like the district (Quận Hoàn Kiếm → Phường
  Hoàn Kiếm; 27 of 30 districts), otherwise the new commune that receives the most of the district's old
  communes (counting mapping rows, ties in final-list order). The seat rule is a heuristic: the reference
  lists carry no seat data. All new communes fed by the district are kept as `also_covers`.
* `Localities.records_held_by(new)` answers the reverse question ("which old units' records does Phường
  Hoàn Kiếm hold?"): old communes for which it is the primary successor, those it also covers, and old
  districts for which it is the local point of contact.
"""

from __future__ import annotations

import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from lake.domain.reference_lists import District, NewCommune, OldCommune, Reference, load_reference

CITY_ARCHIVES = "Lưu trữ lịch sử Thành phố Hà Nội"
CITY_PARTY_ARCHIVES = "Kho Lưu trữ Thành ủy Hà Nội"
AGENCY_LEVELS = ("commune", "district")

_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}


class LocalityReconciliationError(RuntimeError):
    """The conversion table does not reconcile with the lists; the message lists the offending names."""


def name_key(name: str) -> str:
    """Comparison key for unit names: case-insensitive and independent of where the tone mark sits
    ("Hoà"/"Hòa", "Đại áng"/"Đại Áng"); each syllable keeps its tone, so different names stay different."""
    out = []
    for syl in unicodedata.normalize("NFC", name).casefold().split():
        d = unicodedata.normalize("NFD", syl)
        tones = "".join(c for c in d if c in _TONES)
        base = unicodedata.normalize("NFC", "".join(c for c in d if c not in _TONES))
        out.append(base + tones)
    return " ".join(out)


def bare_name(name: str) -> str:
    """Name without its level word: "Phường Hoàn Kiếm" → "Hoàn Kiếm", "Thị xã Sơn Tây" → "Sơn Tây"."""
    for prefix in ("Thị trấn ", "Thị xã ", "Thành phố ", "Phường ", "Quận ", "Huyện ", "Xã "):
        if name.startswith(prefix):
            return name[len(prefix):]
    return name


@dataclass(frozen=True)
class MappingRow:
    """One row of the conversion table, reconciled: old commune → new commune."""

    old_code: str  # code in the list of 526 (after correction)
    old_name: str  # name in the list of 526
    old_district_code: str
    new_code: str  # final code (list of 126)
    new_name: str
    table_new_code: str  # new-unit code as printed in the conversion table
    table_old_code: str  # old-unit code as printed in the conversion table
    table_old_name: str
    is_partial: bool
    merge_note: str
    order: int  # row order in the conversion table


@dataclass(frozen=True)
class CodeDifference:
    name: str
    table_code: str
    final_code: str
    table_code_is_other_unit: str | None  # name of the final-list unit that owns table_code, if any


@dataclass(frozen=True)
class OldCodeCorrection:
    table_old_code: str
    table_old_name: str
    corrected_code: str
    new_name: str


@dataclass(frozen=True)
class Custodian:
    """Who holds an old agency's records now."""

    name: str  # "Phường Hoàn Kiếm" or "Lưu trữ lịch sử Thành phố Hà Nội"
    level: str  # "commune" (a new commune) | "city"
    new_commune_code: str | None  # the primary new commune (local point of contact for districts)
    new_commune_name: str | None
    also_covers: tuple[str, ...] = ()  # other new communes (final codes) holding part of the territory
    rule: str = ""  # which rule decided


@dataclass(frozen=True)
class Holdings:
    new_commune_code: str
    new_commune_name: str
    primary_old_communes: tuple[str, ...]  # old commune codes whose records it holds
    also_covers_old_communes: tuple[str, ...]  # old communes it holds part of (records stay elsewhere)
    contact_for_districts: tuple[str, ...]  # old districts for which it is the local point of contact


@dataclass
class Localities:
    """The reconciled reference lists: old districts and communes, new communes, and the conversion between
    them, with the lookups the silver rules use (successor custodian, records held)."""

    districts: list[District]
    old_communes: list[OldCommune]
    new_communes: list[NewCommune]
    mappings: list[MappingRow]
    code_differences: list[CodeDifference]
    old_code_corrections: list[OldCodeCorrection]
    _district: dict[str, District] = field(default_factory=dict, repr=False)
    _old: dict[str, OldCommune] = field(default_factory=dict, repr=False)
    _new: dict[str, NewCommune] = field(default_factory=dict, repr=False)
    _new_by_key: dict[str, NewCommune] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self._district = {d.code: d for d in self.districts}
        self._old = {c.code: c for c in self.old_communes}
        self._new = {c.code: c for c in self.new_communes}
        self._new_by_key = {name_key(c.name): c for c in self.new_communes}

    # --- lookups ---------------------------------------------------------------------------------
    def district(self, code: str) -> District:
        """The old district with this code; KeyError naming the code otherwise."""
        try:
            return self._district[code]
        except KeyError:
            raise KeyError(f"unknown old district code {code!r}") from None

    def old_commune(self, code: str) -> OldCommune:
        """The old commune with this code; KeyError naming the code otherwise."""
        try:
            return self._old[code]
        except KeyError:
            raise KeyError(f"unknown old commune code {code!r}") from None

    def new_commune(self, code_or_name: str) -> NewCommune:
        """A new commune by final code ("00070") or name ("Phường Hoàn Kiếm")."""
        if code_or_name in self._new:
            return self._new[code_or_name]
        hit = self._new_by_key.get(name_key(code_or_name))
        if hit is None:
            raise KeyError(f"unknown new commune {code_or_name!r}")
        return hit

    def targets_of(self, old_code: str) -> list[MappingRow]:
        """Mapping rows of one old commune, in table order."""
        return [m for m in self.mappings if m.old_code == old_code]

    def sources_of(self, new_code: str) -> list[MappingRow]:
        """The conversion rows that feed the new commune `new_code` (its old communes)."""
        return [m for m in self.mappings if m.new_code == new_code]

    # --- derived ---------------------------------------------------------------------------------
    def districts_of_new_commune(self) -> dict[str, set[str]]:
        """New commune final code → old district codes it takes territory from."""
        out: dict[str, set[str]] = {c.code: set() for c in self.new_communes}
        for m in self.mappings:
            out[m.new_code].add(m.old_district_code)
        return out

    def new_communes_of_district(self) -> dict[str, set[str]]:
        """Old district code → new commune final codes it feeds."""
        out: dict[str, set[str]] = {d.code: set() for d in self.districts}
        for m in self.mappings:
            out[m.old_district_code].add(m.new_code)
        return out

    def split_old_communes(self) -> set[str]:
        """Old communes whose territory went to more than one new commune."""
        n = Counter(m.old_code for m in self.mappings)
        return {code for code, k in n.items() if k > 1}

    # --- custodians ------------------------------------------------------------------------------
    def primary_successor(self, old_code: str) -> tuple[MappingRow, str]:
        """(mapping row of the primary successor, rule) for an old commune; see the module docstring."""
        rows = self.targets_of(old_code)
        if not rows:
            raise KeyError(f"old commune {old_code!r} has no row in the conversion table")
        if len(rows) == 1:
            return rows[0], "only_target"
        whole = [r for r in rows if not r.is_partial]
        if whole:
            return whole[0], "whole_transfer"
        population = [r for r in rows if "toàn bộ dân số" in r.merge_note]
        if population:
            return population[0], "whole_population"
        old = name_key(bare_name(self._old[old_code].name))
        same = [r for r in rows if name_key(bare_name(r.new_name)) == old]
        if same:
            return same[0], "same_name"
        contains = [r for r in rows if old in name_key(bare_name(r.new_name))]
        if contains:
            return contains[0], "name_contains"
        return rows[0], "table_order"

    def district_seat(self, district_code: str) -> tuple[NewCommune, str]:
        """New commune taken as seated at the old district's seat (heuristic; see the docstring)."""
        d = self.district(district_code)
        key = name_key(bare_name(d.name))
        fed = self.new_communes_of_district()[district_code]
        for c in self.new_communes:
            if c.code in fed and name_key(bare_name(c.name)) == key:
                return c, "same_name_as_district"
        counts = Counter(m.new_code for m in self.mappings if m.old_district_code == district_code)
        order = {c.code: k for k, c in enumerate(self.new_communes)}
        best = max(counts, key=lambda code: (counts[code], -order[code]))
        return self._new[best], "most_old_communes"

    def successor_custodian(self, agency_level: str, district_code: str | None = None,
                            commune_code: str | None = None, *, block: str = "government") -> Custodian:
        """Who holds the records of an old agency now.

        agency_level "commune": `commune_code` (old code) is required; `district_code`, if given, must be
        its district. agency_level "district": `district_code` is required. `block`: "government"
        (default), "party" or "mass" (mass organisations follow the government rule).
        """
        if agency_level == "commune":
            if not commune_code:
                raise ValueError("a commune-level agency needs commune_code (old commune code)")
            old = self.old_commune(commune_code)
            if district_code and district_code != old.district_code:
                raise ValueError(f"old commune {commune_code} belongs to district {old.district_code}, "
                                 f"not {district_code}")
            row, rule = self.primary_successor(commune_code)
            others = tuple(dict.fromkeys(m.new_code for m in self.targets_of(commune_code)
                                         if m.new_code != row.new_code))
            return Custodian(row.new_name, "commune", row.new_code, row.new_name, others, rule)
        if agency_level == "district":
            if not district_code:
                raise ValueError("a district-level agency needs district_code")
            seat, rule = self.district_seat(district_code)
            fed = self.new_communes_of_district()[district_code]
            others = tuple(c.code for c in self.new_communes if c.code in fed and c.code != seat.code)
            name = CITY_PARTY_ARCHIVES if block == "party" else CITY_ARCHIVES
            return Custodian(name, "city", seat.code, seat.name, others, f"city_archives+{rule}")
        raise ValueError(f"agency_level must be one of {AGENCY_LEVELS}, got {agency_level!r}")

    def records_held_by(self, new_code_or_name: str) -> Holdings:
        """All old units whose records (or part of whose territory) the new commune now holds."""
        new = self.new_commune(new_code_or_name)
        primary, also = [], []
        for old_code in dict.fromkeys(m.old_code for m in self.sources_of(new.code)):
            row, _ = self.primary_successor(old_code)
            (primary if row.new_code == new.code else also).append(old_code)
        contact = tuple(d.code for d in self.districts if self.district_seat(d.code)[0].code == new.code)
        return Holdings(new.code, new.name, tuple(primary), tuple(also), contact)


def _reconcile_new(ref, rows) -> tuple[dict[str, NewCommune], list[CodeDifference]]:
    by_key = {name_key(c.name): c for c in ref.new_communes}
    by_code = {c.code: c for c in ref.new_communes}
    table_names: dict[str, str] = {}
    for r in rows:
        table_names.setdefault(r["new_ward_name"], r["new_ward_code"])
    matched: dict[str, NewCommune] = {}
    unmatched_table = []
    for name in table_names:
        hit = next((c for c in ref.new_communes if c.name == name), None) or by_key.get(name_key(name))
        if hit is None:
            unmatched_table.append(name)
        else:
            matched[name] = hit
    unmatched_final = sorted({c.name for c in ref.new_communes} - {c.name for c in matched.values()})
    dup = [n for n, k in Counter(c.code for c in matched.values()).items() if k > 1]
    if unmatched_table or unmatched_final or dup:
        raise LocalityReconciliationError(
            "conversion table does not reconcile with the final list of new communes by name: "
            f"table names not in the list: {sorted(unmatched_table)}; list names not in the table: "
            f"{unmatched_final}; final codes matched by several table names: {dup}"
        )
    diffs = []
    for name, tcode in table_names.items():
        final = matched[name]
        if tcode != final.code:
            other = by_code.get(tcode)
            diffs.append(CodeDifference(final.name, tcode, final.code, other.name if other else None))
    return matched, diffs


def build_localities(ref_dir: Path | str) -> Localities:
    """Load and reconcile the reference lists of `ref_dir` (`Settings.reference_dir`)."""
    return reconcile(load_reference(Path(ref_dir)))


def reconcile(ref: Reference) -> Localities:
    """Reconcile already loaded reference lists (from the files or from the bronze ref_* tables)."""
    rows = ref.conversion
    matched, diffs = _reconcile_new(ref, rows)
    old_by_code = {c.code: c for c in ref.old_communes}
    old_by_district_key: dict[tuple[str, str], list[OldCommune]] = defaultdict(list)
    for c in ref.old_communes:
        old_by_district_key[(c.district_code, name_key(c.name))].append(c)
    mappings, corrections, problems = [], [], []
    for k, r in enumerate(rows):
        code, name, dcode = r["old_ward_code"], r["old_ward_name"], r["old_district_code"]
        listed = old_by_code.get(code)
        if listed is None or name_key(listed.name) != name_key(name) or listed.district_code != dcode:
            cands = old_by_district_key.get((dcode, name_key(name)), [])
            if len(cands) != 1:
                problems.append(f"{code} {name} ({dcode}) → {r['new_ward_name']}")
                continue
            corrections.append(OldCodeCorrection(code, name, cands[0].code, r["new_ward_name"]))
            listed = cands[0]
        new = matched[r["new_ward_name"]]
        mappings.append(MappingRow(
            old_code=listed.code, old_name=listed.name, old_district_code=listed.district_code,
            new_code=new.code, new_name=new.name, table_new_code=r["new_ward_code"], table_old_code=code,
            table_old_name=name, is_partial=r["is_partial"].strip().lower() == "true",
            merge_note=r["merge_note_vi"], order=k,
        ))
    if problems:
        raise LocalityReconciliationError(
            "conversion-table rows whose old commune matches the list of 526 neither by code nor by name: "
            + "; ".join(problems)
        )
    missing_old = sorted(set(old_by_code) - {m.old_code for m in mappings})
    if missing_old:
        raise LocalityReconciliationError(f"old communes absent from the conversion table: {missing_old}")
    return Localities(ref.districts, ref.old_communes, ref.new_communes, mappings, diffs, corrections)


@lru_cache(maxsize=4)
def _cached(ref_dir: str) -> Localities:
    return build_localities(ref_dir)


def get_localities(ref_dir: Path | str) -> Localities:
    """`build_localities`, built once per process and directory."""
    return _cached(str(Path(ref_dir).resolve()))
