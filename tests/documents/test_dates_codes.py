import datetime as dt

import pytest

from lake.domain.documents import (
    DATE_DIGIT_SUSPECT,
    DATE_OUT_OF_RANGE,
    canonical_abbr,
    check_date_in_range,
    document_code,
    find_dates,
    parse_document_code,
)

D = dt.date
R2019 = (D(2019, 1, 1), D(2019, 12, 31))


@pytest.mark.parametrize(
    ("date", "flag"),
    [
        (D(2019, 5, 4), None),
        (D(2015, 5, 4), DATE_DIGIT_SUSPECT),  # 9 → 5
        (D(2091, 5, 4), DATE_DIGIT_SUSPECT),  # adjacent swap 19 → 91
        (D(2010, 5, 4), DATE_DIGIT_SUSPECT),
        (D(1019, 5, 4), DATE_DIGIT_SUSPECT),
        (D(2024, 5, 4), DATE_OUT_OF_RANGE),  # two digits differ: not an OCR slip
        (D(1998, 5, 4), DATE_OUT_OF_RANGE),
    ],
)
def test_year_digit_check(date, flag):
    assert check_date_in_range(date, *R2019) == flag


def test_day_and_month_digit_slips_and_open_ranges():
    rng = (D(2020, 3, 1), D(2020, 3, 31))
    assert check_date_in_range(D(2020, 8, 15), *rng) == DATE_DIGIT_SUSPECT  # 3 → 8
    assert check_date_in_range(D(2020, 3, 15), None, None) is None
    assert check_date_in_range(D(2031, 1, 1), D(2020, 1, 1), None) is None
    assert check_date_in_range(D(2019, 12, 31), D(2020, 1, 1), None) == DATE_DIGIT_SUSPECT


def test_find_dates_in_body():
    text = ("Căn cứ Nghị định số 30/2020/NĐ-CP ngày 05/3/2020 và Luật ngày 24 tháng 4 năm 2020; "
            "số 12/2019/TT-BNV")
    got = [d.date for d in find_dates(text)]
    assert got == [D(2020, 3, 5), D(2020, 4, 24)]


@pytest.mark.parametrize(
    ("raw", "expected", "exact"),
    [("QĐ", "QĐ", True), ("QD", "QĐ", False), ("QÐ", "QĐ", False), ("Qđ", "QĐ", False), ("TTR", "TTr", False),
     ("TTr", "TTr", True), ("QyĐ", "QyĐ", True), ("GUQ", "GUQ", True), ("UBND", None, False),
     ("SYT", None, False), ("ĐA", "ĐA", True), ("DA", "DA", True), ("CV", None, False)],
)
def test_canonical_abbr(raw, expected, exact):
    assert canonical_abbr(raw) == (expected, exact)


def test_party_only_abbreviations():
    assert canonical_abbr("CV", party=True) == ("CV", True)
    assert canonical_abbr("KL", party=True) == ("KL", True)
    assert canonical_abbr("QĐi", party=True) == ("QĐi", True)


def test_document_code():
    assert document_code("01.H49.01.2019.05", 7) == "01.H49.01.2019.05.007"
    assert document_code("01.H49.01.2019.05", 123) == "01.H49.01.2019.05.123"
    assert document_code("01.H49.01.2019.05", 1000) == "01.H49.01.2019.05.1000"
    assert parse_document_code("01.H49.01.2019.05.007") == ("01.H49.01.2019.05", 7)
    codes = [document_code("X.1", k) for k in (1, 2, 10, 100)]
    assert codes == sorted(codes)


@pytest.mark.parametrize(("record", "order"), [("", 1), ("A B", 1), ("A.", 1), ("A", 0), ("A", -1),
                                                ("A", 1.5), ("A", True)])
def test_document_code_rejects(record, order):
    with pytest.raises(ValueError):
        document_code(record, order)
