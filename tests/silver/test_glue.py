"""Unit tests of the silver glue (plain Python, no Spark)."""

from __future__ import annotations

import datetime as dt

import pytest

from lake.domain.silver.inventory import (
    parse_boundary,
    parse_date,
    parse_int,
    parse_priority,
    parse_retention,
)
from lake.domain.silver.ordering import file_sort_key, looks_like_copy, order_record_pages
from lake.domain.silver.qc import issue
from lake.domain.silver.record_documents import build_record, page_quality_issues, restriction_reasons
from lake.domain.silver.rows import row_hash, with_audit
from tests.documents.helpers import body_rows, boxed_page, centred_rows, nd30_header_rows

REC = "LT271.P002.2015.004"
T0 = dt.datetime(2025, 9, 29, 8, 0, tzinfo=dt.UTC)


def _f(path, sha, n=1, minutes=0, version=1):
    return {"source_path": f"batches/B/{path}", "sha256": sha, "page_count": n, "version": version,
            "scanned_at": T0 + dt.timedelta(minutes=minutes), "capture_device": "scanner", "declared_dpi": 300}


# --- ordering -----------------------------------------------------------------------------------------

def test_parts_and_page_jpegs_follow_their_number_not_scan_time():
    files = [_f(f"{REC}_02.pdf", "b", 3, minutes=1), _f(f"{REC}_01.pdf", "a", 10, minutes=9),
             _f(f"{REC}_10.pdf", "c", 1, minutes=0)]
    pages = order_record_pages(REC, files)
    assert [p.page_id for p in pages][:2] == ["a:0", "a:1"]
    assert [p.sha256 for p in pages] == ["a"] * 10 + ["b"] * 3 + ["c"]
    assert [p.page_in_record for p in pages] == list(range(1, 15))
    jpgs = order_record_pages(REC, [_f(f"{REC}_010.jpg", "z"), _f(f"{REC}_002.jpg", "y"), _f(f"{REC}_001.jpg", "x")])
    assert [p.sha256 for p in jpgs] == ["x", "y", "z"]


def test_phone_photos_follow_the_capture_clock_and_duplicates_count_once():
    files = [_f("IMG_20250929_081100.jpg", "d", minutes=3), _f("IMG_20250929_081100 - Copy.jpg", "d", minutes=3),
             _f("IMG_20250929_080725.jpg", "a", minutes=9), _f("IMG_20250929_080842.jpg", "b", minutes=1)]
    pages = order_record_pages(REC, files)
    assert [p.sha256 for p in pages] == ["a", "b", "d"]
    last = pages[-1]
    assert last.source_path.endswith("IMG_20250929_081100.jpg")
    assert last.duplicate_paths == ("batches/B/IMG_20250929_081100 - Copy.jpg",)
    assert looks_like_copy("x - Copy.jpg") and looks_like_copy("x (2).jpg") and not looks_like_copy("x_01.pdf")


def test_latest_version_of_a_path_wins_and_keys_rank_conventions():
    pages = order_record_pages(REC, [_f(f"{REC}.pdf", "old", 2), _f(f"{REC}.pdf", "new", 3, version=2)])
    assert {p.sha256 for p in pages} == {"new"} and len(pages) == 3
    assert file_sort_key(f"{REC}.pdf", REC) < file_sort_key(f"{REC}_01.pdf", REC) \
        < file_sort_key("IMG_20250101_000000.jpg", REC) < file_sort_key("scan.jpg", REC)


# --- inventory values ---------------------------------------------------------------------------------

def test_inventory_parsers():
    assert parse_date("07/02/2004") == dt.date(2004, 2, 7)
    assert parse_date("7/2/2004") == dt.date(2004, 2, 7)
    assert parse_date("2004-02-07T00:00:00") == dt.date(2004, 2, 7)
    assert parse_date("31/02/2004") is None and parse_date("") is None and parse_date(None) is None
    assert parse_retention("Vĩnh viễn") == (True, None)
    assert parse_retention("vinh vien") == (True, None)
    assert parse_retention("70 năm") == (False, 70) and parse_retention("20") == (False, 20)
    assert parse_retention("lâu dài") == (None, None)
    assert parse_priority("Ưu tiên 1") == 1 and parse_priority("UT 2") == 2 and parse_priority("3.0") == 3
    assert parse_priority("Khác") is None
    assert parse_int("12.0") == 12 and parse_int("Hộp 03") == 3 and parse_int("1-2") is None
    assert parse_boundary("2", "4") == (2, 4) and parse_boundary("3", "") == (3, 3)
    assert parse_boundary("4", "2") is None and parse_boundary("0", "1") is None


# --- rows and QC --------------------------------------------------------------------------------------

def test_row_hash_is_stable_and_ignores_audit_columns():
    a = {"k": "1", "d": dt.date(2020, 1, 2), "m": {"b": 1.0, "a": 2.0}, "l": [1, 2]}
    b = {"l": [1, 2], "m": {"a": 2.0, "b": 1.0}, "d": dt.date(2020, 1, 2), "k": "1", "silver_run_id": "x"}
    assert row_hash(a, ["k", "d", "m", "l"]) == row_hash(b, ["k", "d", "m", "l", "silver_run_id"])
    assert row_hash({**a, "k": "2"}) != row_hash(a)
    now = dt.datetime.now(dt.UTC)
    r1 = with_audit([a], ["k", "d", "m", "l", "x", "row_hash", "silver_run_id", "updated_at"], "run1", now)[0]
    r2 = with_audit([a], ["k", "d", "m", "l", "x", "row_hash", "silver_run_id", "updated_at"], "run2", now)[0]
    assert r1["row_hash"] == r2["row_hash"] and r1["x"] is None
    with pytest.raises(ValueError, match="not in the contract"):
        with_audit([{"zzz": 1}], ["k"], "r", now)


def test_issue_rows():
    i = issue("page_count_mismatch", "record", REC, expected=6, actual=4, record_code=REC)
    assert i["severity"] == "error" and i["expected"] == "6" and i["actual"] == "4"
    with pytest.raises(KeyError, match="unknown QC rule"):
        issue("nope", "record", REC)


# --- documents of a record ----------------------------------------------------------------------------

def _first_page(number: str, date_line: str, title: str, subject: str, stamp: str | None = None,
                issuer: tuple[str, ...] = ("ỦY BAN NHÂN DÂN", "QUẬN HÀ ĐÔNG")) -> dict:
    left = [*issuer, f"Số: {number}"]
    if stamp:
        left.append(stamp)
    rows = nd30_header_rows(left, ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", date_line])
    rows += centred_rows([title, subject], 700)
    rows += body_rows(["Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;",
                       "Xét đơn đề nghị của ông Nguyễn Văn Bình, sinh ngày 02/03/1970, CCCD số 001070012345,",
                       "thường trú tại Tổ dân phố 3, phường Hà Cầu."] if stamp == "PERSONAL" else
                      ["Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;"], 1000)
    return _ocr(rows)


def _last_page() -> dict:
    rows = body_rows(["2", "Điều 3. Chánh Văn phòng chịu trách nhiệm thi hành Quyết định này./."], 150)
    rows += [(2600, [(250, "Nơi nhận:"), (1500, "TM. ỦY BAN NHÂN DÂN")]), (2660, [(250, "- Như Điều 3;"),
             (1600, "CHỦ TỊCH")]), (2720, [(250, "- Lưu: VT.")]), (3000, [(1550, "Trần Văn Nam")])]
    return _ocr(rows)


def _ocr(rows) -> dict:
    page = boxed_page(rows)
    words = [{"text": w.text, "confidence": w.confidence, "left": w.left, "top": w.top, "width": w.width,
              "height": w.height, "line": w.line, "block": w.block, "paragraph": w.paragraph} for w in page.words]
    return {"text": page.text, "words": words, "width_px": page.width, "height_px": page.height,
            "quality_class": "good", "quality_reasons": [], "config_id": "ocr-x", "mean_confidence": 95.0}


def _record(ocr_pages: list[dict], inv_docs=(), start=dt.date(2011, 1, 1), end=dt.date(2011, 12, 31), register=None):
    files = [_f(f"{REC}_{k + 1:03d}.jpg", f"s{k}") for k in range(len(ocr_pages))]
    ordered = order_record_pages(REC, files)
    ocr = {p.page_id: o for p, o in zip(ordered, ocr_pages, strict=True)}
    rec = {"record_code": REC, "agency_code": "H268.UBND", "district_code": "268", "start_date": start,
           "end_date": end}
    return build_record(rec, ordered, ocr, list(inv_docs), register), ordered, ocr, rec


def test_detected_documents_fields_codes_and_pages():
    p1 = _first_page("325/QĐ-UBND", "Hà Đông, ngày 11 tháng 5 năm 2011", "QUYẾT ĐỊNH", "Về việc giao nhiệm vụ")
    p3 = _first_page("12/TB-UBND", "Hà Đông, ngày 2 tháng 9 năm 2011", "THÔNG BÁO", "Về lịch tiếp dân")
    res, *_ = _record([p1, _last_page(), p3])
    assert [d["document_code"] for d in res.documents] == [f"{REC}.001", f"{REC}.002"]
    d1, d2 = res.documents
    assert (d1["first_page"], d1["last_page"], d1["page_count"]) == (1, 2, 2)
    assert d1["boundary_source"] == "detected"
    assert d1["number"] == 325 and d1["symbol"] == "325/QĐ-UBND" and d1["type_name"] == "Quyết định"
    assert d1["document_date"] == dt.date(2011, 5, 11) and d1["signer_name"] == "Trần Văn Nam"
    assert d1["field_spans"]["number"]["page_in_document"] == 1 and d1["field_confidence"]["number"] > 0.5
    assert d1["field_spans"]["signer_name"]["page_in_document"] == 2
    assert d2["symbol"] == "12/TB-UBND" and not d1["is_restricted"]
    assert [(p["page_in_record"], p["page_in_document"], p["document_code"][-3:]) for p in res.pages] == [
        (1, 1, "001"), (2, 2, "001"), (3, 1, "002")]
    assert not res.restricted


def test_inventory_boundaries_are_used_and_bad_ones_flagged():
    p1 = _first_page("325/QĐ-UBND", "Hà Đông, ngày 11 tháng 5 năm 2011", "QUYẾT ĐỊNH", "Về việc giao nhiệm vụ")
    inv = [{"order_in_record": "1", "first_page": "1", "last_page": "3", "number_symbol": "325/QĐ-UBND",
            "document_date": "11/05/2011"},
           {"order_in_record": "2", "first_page": "4", "last_page": "9"}]
    res, *_ = _record([p1, _last_page(), _last_page()], inv)
    assert len(res.documents) == 1 and res.documents[0]["boundary_source"] == "inventory"
    assert res.documents[0]["page_count"] == 3 and res.documents[0]["inventory_symbol"] == "325/QĐ-UBND"
    assert [i["rule"] for i in res.issues] == ["inventory_boundary_invalid"]


def test_date_outside_the_record_range_is_flagged_not_corrected():
    p1 = _first_page("325/QĐ-UBND", "Hà Đông, ngày 11 tháng 5 năm 2015", "QUYẾT ĐỊNH", "Về việc giao nhiệm vụ")
    res, *_ = _record([p1, _last_page()], start=dt.date(2019, 1, 1), end=dt.date(2019, 12, 31))
    d = res.documents[0]
    assert d["document_date"] == dt.date(2015, 5, 11)
    assert "date_digit_suspect" in d["flags"]
    assert [i["rule"] for i in res.issues] == ["date_digit_suspect"]


def test_classified_and_personal_documents_are_restricted():
    secret = _first_page("5/TB-UBND", "Hà Đông, ngày 11 tháng 5 năm 2011", "THÔNG BÁO", "Về việc bảo vệ", "MẬT")
    personal = _first_page("7/QĐ-UBND", "Hà Đông, ngày 12 tháng 5 năm 2011", "QUYẾT ĐỊNH", "Về việc trợ cấp",
                           "PERSONAL")
    res, *_ = _record([secret, _last_page(), personal, _last_page()])
    by_code = {d["document_code"]: d for d in res.documents}
    s, p = by_code[f"{REC}.001"], by_code[f"{REC}.002"]
    assert s["is_restricted"] and s["restriction_reasons"] == ["classified"] and s["secrecy"] == "Mật"
    assert p["is_restricted"] and "personal_data" in p["restriction_reasons"]
    for d in (s, p):
        assert d["symbol"] is None and d["subject"] is None and d["signer_name"] is None
        assert set(d["field_confidence"]) <= {"layout", "secrecy", "urgency"}
    shared = repr(res.documents) + repr(res.pages) + repr(res.issues)
    assert "001070012345" not in shared and "Nguyễn Văn Bình" not in shared
    restricted = {r["document_code"]: r for r in res.restricted}
    assert restricted[f"{REC}.001"]["symbol"] == "5/TB-UBND"
    kinds = {x["kind"] for x in restricted[f"{REC}.002"]["personal_data"]}
    assert {"id_number", "date_of_birth", "address"} <= kinds
    assert restriction_reasons(None, [{"kind": "person_name"}]) == []


def test_low_quality_pages_become_issues():
    p1 = _first_page("325/QĐ-UBND", "Hà Đông, ngày 11 tháng 5 năm 2011", "QUYẾT ĐỊNH", "Về việc giao nhiệm vụ")
    bad = {**_last_page(), "quality_class": "bad", "quality_reasons": ["low_text"]}
    _res, ordered, ocr, rec = _record([p1, bad])
    del ocr[ordered[0].page_id]
    rules = sorted(i["rule"] for i in page_quality_issues(ordered, ocr, rec))
    assert rules == ["ocr_page_bad", "ocr_page_missing"]


def test_standing_committee_is_not_a_residence_address():
    from lake.domain.documents import find_personal_data

    assert not find_personal_data("Nơi nhận:\n- Thường trực Huyện ủy;\n- Lưu: VT.")
    spans = find_personal_data("Ông Lê Văn An, thường trú tại Thôn 3, xã Cổ Bi.")
    assert [s.kind for s in spans] == ["person_name", "address"]


def test_low_confidence_fields_and_doubtful_restrictions_go_to_review():
    from lake.domain.documents import Field
    from lake.domain.documents.personal import restriction_doubtful
    from lake.domain.silver.record_documents import review_issues

    record = {"record_code": "LT001.P001.2011.001", "agency_code": "H001.UBND", "district_code": "001"}
    docs = [
        {"document_code": "LT001.P001.2011.001.001", "field_confidence": {"number": 0.97, "subject": 0.81,
                                                                          "issuer": 0.5}, "flags": []},
        {"document_code": "LT001.P001.2011.001.002", "field_confidence": {"number": 0.95}, "flags": [
            "number_handwritten", "restriction_review"]},
        {"document_code": "LT001.P001.2011.001.003", "field_confidence": {"number": 0.95}, "flags": []},
    ]
    got = [(i["rule"], i["entity_id"][-3:], i["reason"].rsplit(": ", 1)[-1]) for i in review_issues(docs, record)]
    assert [g[:2] for g in got] == [("field_needs_review", "001"), ("number_handwritten", "002"),
                                    ("restriction_review", "002")]
    assert got[0][2] == "issuer, subject"
    weak_phone = [{"kind": "phone", "confidence": 0.8}]
    strong = [{"kind": "id_number", "confidence": 0.95}, {"kind": "phone", "confidence": 0.8}]
    assert restriction_doubtful(Field(None), weak_phone)
    assert not restriction_doubtful(Field(None), strong)
    assert restriction_doubtful(Field("Mật", 0.6), [])
    assert not restriction_doubtful(Field("Mật", 0.95), []) and not restriction_doubtful(Field(None), [])


def test_issuers_matched_to_the_register_carry_its_name_and_code():
    from lake.domain.silver.issuers import AgencyRegister
    from lake.domain.silver.record_documents import review_issues

    register = AgencyRegister([
        {"agency_code": "H268.UBND", "agency_name": "Ủy ban nhân dân quận Hà Đông", "in_register": True,
         "district_name": "Quận Hà Đông"}])
    p1 = _first_page("325/QĐ-UBND", "Hà Đông, ngày 11 tháng 5 năm 2011", "QUYẾT ĐỊNH", "Về việc giao nhiệm vụ")
    p3 = _first_page("12/TB-UBND", "Đà Nẵng, ngày 2 tháng 9 năm 2011", "THÔNG BÁO", "Về lịch tiếp dân",
                     issuer=("ỦY BAN NHÂN DÂN", "THÀNH PHỐ ĐÀ NẴNG"))
    res, _ordered, _ocr, rec = _record([p1, _last_page(), p3], register=register)
    d1, d2 = res.documents
    assert d1["issuer"] == "ỦY BAN NHÂN DÂN QUẬN HÀ ĐÔNG"
    assert d1["issuer_agency_code"] == "H268.UBND" and d1["issuer_registered_name"] == "Ủy ban nhân dân quận Hà Đông"
    assert "issuer_unmatched" not in d1["flags"]
    # another city's issuer is kept as read and marked unmatched, with a QC row
    assert d2["issuer"] == "ỦY BAN NHÂN DÂN THÀNH PHỐ ĐÀ NẴNG"
    assert d2["issuer_agency_code"] is None and d2["issuer_registered_name"] is None
    assert "issuer_unmatched" in d2["flags"]
    rules = {(i["rule"], i["entity_id"]) for i in review_issues(res.documents, rec)}
    assert ("issuer_unmatched", d2["document_code"]) in rules
    assert ("issuer_unmatched", d1["document_code"]) not in rules
    # without a register nothing is matched and nothing is claimed
    plain, *_ = _record([p1, _last_page()])
    assert plain.documents[0]["issuer_agency_code"] is None
