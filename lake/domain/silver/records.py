"""Records (hồ sơ) from the inventories and the scan sightings, their QC rules and their rows in every silver table.

Plain Python, the steps of `jobs/silver_documents.py`:

1. `inventory_records`: the latest inventory row of each record code (rows in (ingested_at, source_file)
   order, a record listed twice keeps its latest row), typed by `record_row`;
2. `attach_scans`: each record's scan sightings; a record code seen only on scans becomes a record flagged
   `not_in_inventory` (rule `scan_without_record`);
3. `record_inputs`: each record's pages in order (`lake.domain.silver.ordering`), its page counts and the
   task input of step 4;
4. `record_rows` (inside a Spark task, one record at a time): the record's documents
   (`lake.domain.silver.record_documents.process_record`) and its rows in the five tables, with the record
   rules `record_not_scanned`, `page_count_mismatch` and `document_count_mismatch`.

Lake-wide rules that no single record decides: `agency_issues` (from silver.agencies) and `scan_issues`
(`scan_without_manifest`, `content_in_two_records`). Records that share scanned content are rebuilt together
(`linked_records`): their page issues have the same key.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import asdict

from lake.domain.silver.inventory import (
    inventory_agency,
    parse_date,
    parse_int,
    parse_priority,
    parse_retention,
)
from lake.domain.silver.issuers import AgencyRegister
from lake.domain.silver.ordering import order_record_pages
from lake.domain.silver.qc import issue

# the keys of `record_rows`' answer: the silver tables one record writes
RECORDS, DOCUMENTS, PAGES, RESTRICTED, ISSUES = (
    "silver.records", "silver.documents", "silver.document_pages", "silver.restricted_documents",
    "silver.qc_issues")
# the columns of a scan sighting (bronze.landing_files) the records use
SCAN_COLUMNS = ("source_path", "sha256", "version", "page_count", "scanned_at", "record_code", "agency_code",
                "district_code", "capture_device", "declared_dpi")
INVENTORY_DOCUMENT_COLUMNS = ("order_in_record", "number_symbol", "document_date", "type_name", "subject",
                              "author", "first_page", "last_page")


def record_row(inv: Mapping, agency_code: str | None, district: str) -> dict:
    """A silver.records row (before its scans and documents are counted) from one inventory row."""
    permanent, years = parse_retention(inv.get("retention"))
    return {
        "record_code": inv["record_code"], "agency_code": agency_code, "district_code": district,
        "archive_code": inv.get("archive_code") or None, "fonds_code": inv.get("fonds_code") or None,
        "inventory_no": inv.get("inventory_no") or None, "year_formed": parse_int(inv.get("year_formed")),
        "file_number_symbol": inv.get("file_number_symbol") or None, "title": inv.get("title") or None,
        "retention_raw": inv.get("retention") or None, "retention_permanent": permanent, "retention_years": years,
        "access_regime": inv.get("access_regime") or None, "language": inv.get("language") or None,
        "start_date": parse_date(inv.get("start_date")), "end_date": parse_date(inv.get("end_date")),
        "document_count_inventory": parse_int(inv.get("document_count")),
        "sheet_count": parse_int(inv.get("sheet_count")), "page_count_inventory": parse_int(inv.get("page_count")),
        "info_symbol": inv.get("info_symbol") or None, "keywords": inv.get("keywords") or None,
        "physical_state": inv.get("physical_state") or None, "notes": inv.get("notes") or None,
        "box_number": parse_int(inv.get("box_number")), "priority_group": parse_priority(inv.get("priority_group")),
        "priority_raw": inv.get("priority_group") or None, "arranged_on": parse_date(inv.get("arranged_on")),
        "source_file": inv.get("source_file"), "source_line": inv.get("source_line"),
    }


def agency_issues(agencies: Iterable[Mapping]) -> list[dict]:
    """The issues silver_reference found on each agency (its `issues` column), as qc_issues rows."""
    return [issue(rule, "agency", a["agency_code"], agency_code=a["agency_code"], district_code=a["district_code"])
            for a in agencies for rule in a.get("issues") or ()]


def inventory_records(rows: Iterable[Mapping], district_of: Mapping[str, str | None]) -> dict[str, dict]:
    """record code → silver.records row from the inventory rows (latest version of each file); a record listed
    twice keeps its latest row. `district_of`: agency code → district code (silver.agencies).

    >>> rows = [{"record_code": " R1 ", "source_file": "inventories/A01/muc_luc.csv", "ingested_at": 2,
    ...          "title": "Hồ sơ mới"},
    ...         {"record_code": "R1", "source_file": "inventories/A01/muc_luc.csv", "ingested_at": 1,
    ...          "title": "Hồ sơ cũ"}, {"record_code": "", "source_file": "x", "ingested_at": 3}]
    >>> recs = inventory_records(rows, {"A01": "BD"})
    >>> [(r["record_code"], r["agency_code"], r["district_code"], r["title"]) for r in recs.values()]
    [('R1', 'A01', 'BD', 'Hồ sơ mới')]
    """
    records: dict[str, dict] = {}
    for inv in sorted(rows, key=lambda r: (r["ingested_at"], r["source_file"])):
        code = (inv.get("record_code") or "").strip()
        if not code:
            continue
        agency = inventory_agency(inv["source_file"])
        records[code] = record_row({**inv, "record_code": code}, agency, district_of.get(agency) or "unknown")
    return records


def scan_issues(files: Iterable[Mapping]) -> list[dict]:
    """`scan_without_manifest` for every sighting without a record code, `content_in_two_records` for every
    content filed under two record codes.

    >>> rows = [{"source_path": "b/x.jpg", "sha256": "s1", "record_code": None, "agency_code": "A01"},
    ...         {"source_path": "b/y.jpg", "sha256": "s2", "record_code": "R1", "agency_code": "A01"},
    ...         {"source_path": "b/z.jpg", "sha256": "s2", "record_code": "R2", "agency_code": "A01"}]
    >>> [(i["rule"], i["entity_id"], i["actual"]) for i in scan_issues(rows)]
    [('scan_without_manifest', 'b/x.jpg', None), ('content_in_two_records', 's2', 'R1, R2')]
    """
    out, records_of_sha = [], defaultdict(set)
    for f in files:
        if not f["record_code"]:
            out.append(issue("scan_without_manifest", "file", f["source_path"], agency_code=f["agency_code"]))
        else:
            records_of_sha[f["sha256"]].add(f["record_code"])
    for sha, codes in sorted(records_of_sha.items()):
        if len(codes) > 1:
            out.append(issue("content_in_two_records", "file", sha, actual=", ".join(sorted(codes))))
    return out


def linked_records(codes: Iterable[str], files: Iterable[Mapping]) -> set[str]:
    """`codes` and every record reachable from them through shared scanned content (same sha256 under two
    record codes, transitively): the records whose page issues share keys, so rebuilt together.

    >>> files = [{"sha256": "s1", "record_code": "R1"}, {"sha256": "s1", "record_code": "R2"},
    ...          {"sha256": "s2", "record_code": "R2"}, {"sha256": "s2", "record_code": "R3"},
    ...          {"sha256": "s3", "record_code": "R4"}]
    >>> sorted(linked_records({"R1"}, files))
    ['R1', 'R2', 'R3']
    """
    by_sha, shas_of = defaultdict(set), defaultdict(set)
    for f in files:
        if f["record_code"]:
            by_sha[f["sha256"]].add(f["record_code"])
            shas_of[f["record_code"]].add(f["sha256"])
    out, todo = set(codes), list(codes)
    while todo:
        for sha in shas_of.get(todo.pop(), ()):
            for other in by_sha[sha] - out:
                out.add(other)
                todo.append(other)
    return out


def attach_scans(records: dict[str, dict], files: Iterable[Mapping],
                 district_of: Mapping[str, str | None]) -> tuple[dict[str, list[dict]], list[dict]]:
    """Group the sightings that name a record by record code; add a `not_in_inventory` record for each code
    seen only on scans (agency and district from its first sighting by path). Returns (files by record,
    `scan_without_record` issues); `records` is completed in place."""
    by_record: dict[str, list[dict]] = defaultdict(list)
    for f in sorted(files, key=lambda f: (f["source_path"], f.get("version") or 0, f["sha256"])):
        if f["record_code"]:
            by_record[f["record_code"]].append(dict(f))
    issues = []
    for code in sorted(set(by_record) - set(records)):
        first = by_record[code][0]
        agency = first["agency_code"]
        district = district_of.get(agency) or first["district_code"] or "unknown"
        records[code] = {"record_code": code, "agency_code": agency, "district_code": district,
                         "flags": ["not_in_inventory"]}
        issues.append(issue("scan_without_record", "record", code, record_code=code, agency_code=agency,
                            district_code=district))
    return by_record, issues


def documents_by_record(rows: Iterable[Mapping]) -> dict[str, list[dict]]:
    """The document list (bronze.inventory_documents, latest version of each file) by record code."""
    out: dict[str, list[dict]] = defaultdict(list)
    for d in rows:
        if d.get("record_code"):
            out[d["record_code"].strip()].append({k: d.get(k) for k in INVENTORY_DOCUMENT_COLUMNS})
    return out


def record_inputs(records: Mapping[str, dict], files_by_record: Mapping[str, list[dict]],
                  inv_docs: Mapping[str, list[dict]]) -> dict[str, dict]:
    """record code → the input of `record_rows`: the record row with its scan counts, its ordered pages (as
    dicts) and its document list."""
    out = {}
    for code, rec in records.items():
        ordered = order_record_pages(code, files_by_record.get(code, []))
        times = [p.scanned_at for p in ordered if p.scanned_at]
        row = {**rec, "page_count_scanned": len(ordered),
               "scan_files": list(dict.fromkeys(p.source_path for p in ordered)),
               "first_scanned_at": min(times) if times else None}
        out[code] = {"record": row, "pages": [asdict(p) for p in ordered],
                     "inventory_documents": inv_docs.get(code, [])}
    return out


def record_rows(meta: Mapping, ocr_rows, register: AgencyRegister | None = None) -> dict[str, list[dict]]:
    """Spark task body: one record's input (`record_inputs`) and OCR rows → its rows in each silver table
    (keys RECORDS, DOCUMENTS, PAGES, RESTRICTED, ISSUES), record rules applied."""
    from lake.domain.silver.record_documents import process_record

    rec = dict(meta["record"])
    result = process_record(meta, ocr_rows, register) if meta["pages"] else None
    flags = list(rec.pop("flags", None) or [])
    rec["page_count_ocr"] = result["ocr_pages"] if result else 0
    rec["document_count_found"] = len(result["documents"]) if result else 0
    rec["has_restricted_documents"] = bool(result and result["restricted"])
    inv_pages = rec.get("page_count_inventory")
    rec["page_count_match"] = None if inv_pages is None else inv_pages == rec["page_count_scanned"]
    code = rec["record_code"]
    ctx = {"record_code": code, "agency_code": rec.get("agency_code"), "district_code": rec["district_code"]}
    issues = []
    if rec["page_count_scanned"] == 0:
        flags.append("not_scanned")
        issues.append(issue("record_not_scanned", "record", code, **ctx))
    elif rec["page_count_match"] is False:
        flags.append("page_count_mismatch")
        issues.append(issue("page_count_mismatch", "record", code, expected=inv_pages,
                            actual=rec["page_count_scanned"], **ctx))
    n_inv = rec.get("document_count_inventory")
    if result and n_inv is not None and n_inv != rec["document_count_found"]:
        flags.append("document_count_mismatch")
        issues.append(issue("document_count_mismatch", "record", code, expected=n_inv,
                            actual=rec["document_count_found"], **ctx))
    if result:
        issues += result["issues"]
        flags += sorted({f for d in result["documents"] for f in d["flags"] if f.startswith("date_")})
    rec["flags"] = list(dict.fromkeys(flags))
    return {RECORDS: [rec], DOCUMENTS: result["documents"] if result else [],
            PAGES: result["pages"] if result else [], RESTRICTED: result["restricted"] if result else [],
            ISSUES: issues}
