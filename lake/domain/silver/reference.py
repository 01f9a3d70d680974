"""Localities (before/after 1 Jul 2025) and agencies with their successor custodian, as silver rows.

Localities are reconciled by `lake.domain.localities.reconcile` from the bronze ref_* rows (latest delivered version
of each list, in file order), so silver has bronze lineage and the same rules as the library: new communes
matched BY NAME to the final list of 126 (all must reconcile, otherwise LocalityReconciliationError), old
codes corrected by name within the district, the many-to-many mapping kept with is_partial.
Agencies come from the register; codes seen only in inventories or manifests become rows with
in_register = false (and an unknown_agency QC issue) so that nothing delivered is silently dropped.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

from lake.domain.localities import Localities
from lake.domain.reference_lists import District, NewCommune, OldCommune, Reference, nfc
from lake.domain.silver.inventory import parse_date, parse_int
from lake.domain.silver.qc import issue

OLD_UNTIL = dt.date(2025, 6, 30)
NEW_FROM = dt.date(2025, 7, 1)
LEVELS = {"huyen": "district", "xa": "commune", "district": "district", "commune": "commune"}
BLOCKS = {"dang": "party", "chinh_quyen": "government", "doan_the": "mass",
          "party": "party", "government": "government", "mass": "mass"}


def reference_from_rows(districts: Iterable[Mapping], old: Iterable[Mapping], new: Iterable[Mapping],
                        conversion: Iterable[Mapping]) -> Reference:
    """A `lake.domain.reference_lists.Reference` from bronze ref_* rows (already in file order)."""
    def s(r, k):
        return nfc(r.get(k) or "")
    return Reference(
        [District(s(r, "district_code"), s(r, "district_name"), s(r, "district_type")) for r in districts],
        [OldCommune(s(r, "ward_code"), s(r, "ward_name"), s(r, "level"), s(r, "district_code"),
                    s(r, "district_name")) for r in old],
        [NewCommune(s(r, "ward_code"), s(r, "ward_name"), s(r, "level")) for r in new],
        [{k: nfc(v or "") for k, v in r.items() if isinstance(v, str) or v is None} for r in conversion],
    )


def locality_rows(L: Localities) -> tuple[list[dict], list[dict]]:
    """(silver.localities rows, silver.locality_mapping rows)."""
    feeds = L.new_communes_of_district()
    seats: dict[str, list[str]] = {}
    for d in L.districts:
        seats.setdefault(L.district_seat(d.code)[0].code, []).append(d.code)
    diffs = {d.final_code: d for d in L.code_differences}
    units = []
    for d in L.districts:
        units.append({"unit_kind": "old_district", "unit_code": d.code, "unit_name": d.name, "unit_level": d.kind,
                      "district_code": d.code, "district_name": d.name, "valid_to": OLD_UNTIL,
                      "related_codes": sorted(feeds[d.code])})
    for c in L.old_communes:
        units.append({"unit_kind": "old_commune", "unit_code": c.code, "unit_name": c.name, "unit_level": c.level,
                      "district_code": c.district_code, "district_name": c.district_name, "valid_to": OLD_UNTIL,
                      "related_codes": list(dict.fromkeys(m.new_code for m in L.targets_of(c.code)))})
    for c in L.new_communes:
        diff = diffs.get(c.code)
        units.append({"unit_kind": "new_commune", "unit_code": c.code, "unit_name": c.name, "unit_level": c.level,
                      "valid_from": NEW_FROM,
                      "conversion_table_code": diff.table_code if diff else c.code,
                      "conversion_code_conflict": diff.table_code_is_other_unit if diff else None,
                      "related_codes": list(dict.fromkeys(m.old_code for m in L.sources_of(c.code))),
                      "seat_of_districts": seats.get(c.code, [])})
    mapping = []
    primary = {c.code: L.primary_successor(c.code) for c in L.old_communes}
    for m in L.mappings:
        row, rule = primary[m.old_code]
        mapping.append({
            "old_commune_code": m.old_code, "new_commune_code": m.new_code, "old_commune_name": m.old_name,
            "old_district_code": m.old_district_code, "new_commune_name": m.new_name, "is_partial": m.is_partial,
            "merge_note_vi": m.merge_note, "is_primary_successor": row.new_code == m.new_code,
            "successor_rule": rule, "table_old_code": m.table_old_code, "table_new_code": m.table_new_code,
            "table_order": m.order,
        })
    return units, mapping


def agency_rows(L: Localities, register: Iterable[Mapping], handovers: Iterable[Mapping] = (),
                seen_codes: Iterable[str] = ()) -> tuple[list[dict], list[dict]]:
    """(silver.agencies rows, QC issues). `seen_codes`: agency codes used by inventories and manifests."""
    hand: dict[str, Mapping] = {}
    for h in handovers:
        code = (h.get("agency_code") or "").strip()
        if code:
            hand[code] = h  # caller passes them oldest first: the latest report wins
    rows, issues = [], []
    known = set()
    for r in register:
        code = (r.get("agency_code") or "").strip()
        if not code or code in known:
            continue
        known.add(code)
        level = LEVELS.get((r.get("level") or "").strip())
        block = BLOCKS.get((r.get("block") or "").strip())
        dcode = (r.get("district_code") or "").strip() or None
        ccode = (r.get("commune_code") or "").strip() or None
        row = {"agency_code": code, "agency_name": r.get("agency_name") or None, "in_register": True,
               "level": level, "block": block, "district_code": dcode,
               "district_name": r.get("district_name") or None, "commune_code": ccode,
               "commune_name": r.get("commune_name") or None, "archive_code": r.get("archive_code") or None,
               "fonds_code": r.get("fonds_code") or None, "site_code": r.get("site_code") or None, "issues": []}
        try:
            if level is None:
                raise ValueError(f"unknown level {r.get('level')!r}")
            cust = L.successor_custodian(level, dcode, ccode if level == "commune" else None,
                                         block=block or "government")
            row.update(custodian_name=cust.name, custodian_level=cust.level,
                       custodian_commune_code=cust.new_commune_code, custodian_commune_name=cust.new_commune_name,
                       custodian_also_covers=list(cust.also_covers), custodian_rule=cust.rule)
        except (KeyError, ValueError) as exc:
            row["issues"].append("unknown_locality")
            issues.append(issue("unknown_locality", "agency", code, agency_code=code, district_code=dcode,
                                actual=f"{level}:{dcode}/{ccode}", detail=str(exc).strip("'\"")))
        h = hand.get(code)
        if h:
            row.update(handover_date=parse_date(h.get("handover_date")),
                       handover_file_count=parse_int(h.get("file_count")),
                       handover_box_count=parse_int(h.get("box_count")))
        rows.append(row)
    for code in sorted(set(c for c in seen_codes if c) - known):
        rows.append({"agency_code": code, "in_register": False, "issues": ["unknown_agency"]})
        issues.append(issue("unknown_agency", "agency", code, agency_code=code))
    return rows, issues
