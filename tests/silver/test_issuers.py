"""Issuers matched to the agency register (plain Python, no Spark). Header forms as NĐ 30/2020 prints them."""

from __future__ import annotations

from lake.domain.silver.issuers import AgencyRegister, name_key, register_places

AGENCIES = [
    {"agency_code": "H268.UBND", "agency_name": "Ủy ban nhân dân quận Hà Đông", "in_register": True,
     "district_name": "Quận Hà Đông", "commune_name": None},
    {"agency_code": "H268.QU", "agency_name": "Quận ủy Hà Đông", "in_register": True,
     "district_name": "Quận Hà Đông"},
    {"agency_code": "H268.TCKH", "agency_name": "Phòng Tài chính - Kế hoạch quận Hà Đông", "in_register": True,
     "district_name": "Quận Hà Đông"},
    {"agency_code": "H268.MTTQ", "agency_name": "Ủy ban Mặt trận Tổ quốc Việt Nam quận Hà Đông",
     "in_register": True, "district_name": "Quận Hà Đông"},
    {"agency_code": "X09552.UBND", "agency_name": "Ủy ban nhân dân phường Yên Nghĩa", "in_register": True,
     "district_name": "Quận Hà Đông", "commune_name": "Phường Yên Nghĩa"},
    {"agency_code": "H999.X", "agency_name": None, "in_register": False},  # delivered, not in the register
]


def test_header_forms_match_the_register_name_and_code():
    reg = AgencyRegister(AGENCIES)
    m = reg.match("ỦY BAN NHÂN DÂN QUẬN HÀ ĐÔNG")
    assert m.agency is not None and m.agency.agency_code == "H268.UBND"
    assert m.agency.name == "Ủy ban nhân dân quận Hà Đông" and m.distance == 0
    assert reg.match("UBND PHƯỜNG YÊN NGHĨA").agency.agency_code == "X09552.UBND"
    assert reg.match("QUẬN ỦY HÀ ĐÔNG", "ĐẢNG BỘ THÀNH PHỐ HÀ NỘI").agency.agency_code == "H268.QU"
    # a Phòng prints its own name only; its locality is its parent's
    assert reg.match("PHÒNG TÀI CHÍNH - KẾ HOẠCH", "UBND QUẬN HÀ ĐÔNG").agency.agency_code == "H268.TCKH"
    # the Front's committee prints the locality under "ỦY BAN MTTQ VIỆT NAM"
    assert reg.match("QUẬN HÀ ĐÔNG", "ỦY BAN MTTQ VIỆT NAM").agency.agency_code == "H268.MTTQ"


def test_one_letter_of_damage_in_a_long_name_still_matches():
    reg = AgencyRegister(AGENCIES)
    m = reg.match("ỦY BAN NHÂN DÂN QUẬN HÀ ĐÔNC")
    assert m.agency.agency_code == "H268.UBND" and m.distance == 1
    assert reg.match("ỦY BAN NHÂN DÂN QUẬN HÀ ĐẢNG XÔ").agency is None  # more than one letter: not guessed


def test_outside_the_register_is_unmatched():
    reg = AgencyRegister(AGENCIES)
    assert reg.match("ỦY BAN NHÂN DÂN THÀNH PHỐ ĐÀ NẴNG").agency is None
    assert reg.match("SỞ GIÁO DỤC VÀ ĐÀO TẠO", "UBND THÀNH PHỐ ĐÀ NẴNG").agency is None
    assert reg.match("PHÒNG TÀI CHÍNH - KẾ HOẠCH").agency is None  # without its parent: which district's?
    assert reg.match(None).agency is None and AgencyRegister([]).match("QUẬN ỦY HÀ ĐÔNG").agency is None


def test_places_in_the_forms_a_header_prints():
    reg = AgencyRegister(AGENCIES, register_places([{"unit_name": "Xã Đông La"}, {"unit_name": None}]))
    assert {"QUẬN HÀ ĐÔNG", "HÀ ĐÔNG", "PHƯỜNG YÊN NGHĨA", "YÊN NGHĨA", "XÃ ĐÔNG LA", "ĐÔNG LA"} <= set(reg.places)
    assert name_key("UBND TP. Hà Nội") == name_key("Ủy ban nhân dân Thành phố Hà Nội")


def test_register_travels_to_spark_tasks():
    """The job broadcasts the register to its tasks: it must survive pickling."""
    import pickle

    reg = pickle.loads(pickle.dumps(AgencyRegister(AGENCIES)))
    assert reg.match("QUẬN ỦY HÀ ĐÔNG").agency.agency_code == "H268.QU" and "HÀ ĐÔNG" in reg.places
