"""Localities against the real reference directory (tests fail, not skip, when it is missing)."""

from collections import Counter

import pytest

from lake.core.settings import SettingsError, get_settings
from lake.domain import localities as loc
from lake.domain.localities import (
    CITY_ARCHIVES,
    CITY_PARTY_ARCHIVES,
    LocalityReconciliationError,
    build_localities,
    name_key,
)
from lake.domain.reference_lists import REFERENCE_FILES, load_reference


@pytest.fixture(scope="module")
def ref_dir():
    return get_settings().reference_dir  # raises SettingsError with a clear message when missing


@pytest.fixture(scope="module")
def L(ref_dir):
    return build_localities(ref_dir)


def test_counts(L):
    assert len(L.districts) == 30
    assert len(L.old_communes) == 526
    assert len(L.new_communes) == 126
    assert len(L.mappings) == 795
    assert Counter(d.kind for d in L.districts) == {"Quận": 12, "Huyện": 17, "Thị xã": 1}
    assert Counter(c.level for c in L.new_communes) == {"Phường": 51, "Xã": 75}
    assert all(c.district_code in {d.code for d in L.districts} for c in L.old_communes)


def test_all_126_reconcile_by_name(L):
    assert {m.new_code for m in L.mappings} == {c.code for c in L.new_communes}
    final = {c.code: c.name for c in L.new_communes}
    assert all(final[m.new_code] == m.new_name for m in L.mappings)
    assert {m.old_code for m in L.mappings} == {c.code for c in L.old_communes}


def test_differing_codes_found(L):
    diffs = {d.name: d for d in L.code_differences}
    tm = diffs["Phường Tương Mai"]
    assert (tm.table_code, tm.final_code) == ("00322", "00313")
    # the README counts 27 table codes that exist nowhere in the final list; two more names carry the
    # final code of ANOTHER unit, which a code join would silently misassign
    assert sum(1 for d in L.code_differences if d.table_code_is_other_unit is None) == 27
    colliding = {d.name: d.table_code_is_other_unit for d in L.code_differences if d.table_code_is_other_unit}
    assert colliding == {"Phường Văn Miếu - Quốc Tử Giám": "Phường Kim Liên",
                         "Phường Hoàng Mai": "Phường Yên Sở"}
    assert len(L.code_differences) == 29
    rows = [m for m in L.mappings if m.new_name == "Phường Tương Mai"]
    assert rows and all(m.table_new_code == "00322" and m.new_code == "00313" for m in rows)


def test_old_code_correction_by_name(L):
    (c,) = L.old_code_corrections
    assert (c.table_old_code, c.table_old_name, c.corrected_code, c.new_name) == (
        "00553", "Xã Đặng Xá", "00556", "Xã Thuận An")


def test_partial_transfers(L, ref_dir):
    raw = Counter(r["old_ward_code"] for r in load_reference(ref_dir).conversion)
    assert sum(1 for k in raw.values() if k > 1) == 198  # as the table prints its codes (README)
    assert len(L.split_old_communes()) == 199  # after the Đặng Xá code correction
    assert max(Counter(m.old_code for m in L.mappings).values()) == 5
    assert sum(m.is_partial for m in L.mappings) == 468
    assert all(m.is_partial for m in L.mappings if m.old_code in L.split_old_communes())
    assert {m.merge_note for m in L.mappings} >= {"Nhập toàn bộ", "Nhập một phần"}


def test_derived_district_relations(L):
    by_new = L.districts_of_new_commune()
    assert sum(1 for v in by_new.values() if len(v) > 1) == 64
    tm = L.new_commune("Phường Tương Mai")
    assert by_new[tm.code] == {"007", "008", "009"}
    by_district = L.new_communes_of_district()
    assert set(by_district) == {d.code for d in L.districts}
    assert "00070" in by_district["002"]
    assert all(by_district[d] for d in by_district)


def test_codes_are_zero_padded_strings(L):
    assert all(isinstance(d.code, str) and len(d.code) == 3 for d in L.districts)
    assert all(isinstance(c.code, str) and len(c.code) == 5 for c in L.old_communes + L.new_communes)
    assert all(len(m.new_code) == 5 and len(m.table_new_code) == 5 for m in L.mappings)
    assert L.district("001").code == "001"


def test_custodian_merged_commune(L):
    c = L.successor_custodian("commune", "002", "00043")  # Phường Hàng Mã, merged whole
    assert (c.name, c.level, c.new_commune_code, c.also_covers, c.rule) == (
        "Phường Hoàn Kiếm", "commune", "00070", (), "only_target")


def test_custodian_split_commune(L):
    c = L.successor_custodian("commune", commune_code="00313")  # Phường Tương Mai, split
    assert c.new_commune_code == "00313" and c.rule == "same_name"
    assert c.also_covers == ("00319",)
    d = L.successor_custodian("commune", commune_code="00556")  # Đặng Xá: population to Thuận An
    assert d.new_commune_name == "Xã Thuận An" and d.rule == "whole_population"
    # every split commune has exactly one primary successor among its targets
    for code in L.split_old_communes():
        row, _ = L.primary_successor(code)
        assert row.new_code in {m.new_code for m in L.targets_of(code)}


def test_custodian_district(L):
    c = L.successor_custodian("district", "002")
    assert c.name == CITY_ARCHIVES and c.level == "city"
    assert (c.new_commune_code, c.new_commune_name) == ("00070", "Phường Hoàn Kiếm")
    assert "00004" in c.also_covers
    assert L.successor_custodian("district", "017", block="party").name == CITY_PARTY_ARCHIVES
    assert L.successor_custodian("district", "269").new_commune_name == "Phường Sơn Tây"
    seats = {d.code: L.district_seat(d.code) for d in L.districts}
    assert sum(1 for _, rule in seats.values() if rule == "same_name_as_district") == 28


def test_custodian_errors(L):
    with pytest.raises(ValueError):
        L.successor_custodian("province", "002")
    with pytest.raises(ValueError):
        L.successor_custodian("commune", "001", "00043")  # Hàng Mã is in 002
    with pytest.raises(ValueError):
        L.successor_custodian("commune", "002")
    with pytest.raises(KeyError):
        L.successor_custodian("commune", commune_code="99999")


def test_records_held_by_hoan_kiem(L):
    h = L.records_held_by("Phường Hoàn Kiếm")
    assert h.new_commune_code == "00070"
    assert "00043" in h.primary_old_communes and "00070" in h.primary_old_communes  # Hàng Mã, Hàng Trống
    assert set(h.primary_old_communes).isdisjoint(h.also_covers_old_communes)
    assert h.contact_for_districts == ("002",)
    assert L.records_held_by("00070") == h
    # every old commune has exactly one primary holder
    primaries = Counter(o for c in L.new_communes for o in L.records_held_by(c.code).primary_old_communes)
    assert set(primaries) == {c.code for c in L.old_communes} and set(primaries.values()) == {1}


def test_localities_are_built_once_per_directory(ref_dir, L):
    first = loc.get_localities(ref_dir)
    assert loc.get_localities(str(ref_dir)) is first
    assert first.successor_custodian("commune", commune_code="00043").new_commune_code == "00070"
    assert first.records_held_by("Phường Hoàn Kiếm").new_commune_code == L.records_held_by("00070").new_commune_code


def test_name_key():
    assert name_key("Xã Hữu Hoà") == name_key("Xã Hữu Hòa")
    assert name_key("Xã Đại áng") == name_key("Xã Đại Áng")
    assert name_key("Phường Hòa") != name_key("Phường Hóa")


def test_unreconcilable_table_raises_listing_names(tmp_path, ref_dir):
    for key, fname in REFERENCE_FILES.items():
        text = (ref_dir / fname).read_text(encoding="utf-8")
        if key == "old_to_new_communes":
            text = text.replace("Phường Tương Mai", "Phường Tương Mai Mới")
        (tmp_path / fname).write_text(text, encoding="utf-8")
    with pytest.raises(LocalityReconciliationError, match="Phường Tương Mai Mới"):
        build_localities(tmp_path)


def test_missing_reference_dir_fails_clearly(monkeypatch, tmp_path):
    monkeypatch.setenv("LAKEHOUSE_REFERENCE_DIR", str(tmp_path / "nowhere"))
    with pytest.raises(SettingsError, match="LAKEHOUSE_REFERENCE_DIR"):
        loc.get_localities(get_settings().reference_dir)
