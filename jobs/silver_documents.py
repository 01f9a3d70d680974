"""Spark job: bronze inventories + scans + OCR → silver records, documents, document_pages,
restricted_documents and qc_issues.

The driver reads the (small) metadata: inventory rows (latest version of each file), the scan sightings
with their manifest record code, the document lists and silver.agencies; it orders each record's pages
(`lake.domain.silver.ordering`: duplicate content counted once). Spark tasks join each record with its OCR rows
and build its documents (`lake.domain.silver.record_documents.process_record`). The driver then writes only the
difference with what the tables hold (`lake.domain.silver.sync`): a re-run over unchanged inputs changes no table
version. Run after `silver_reference` (agencies) and the OCR job.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict

from lake.core import contracts as C
from lake.core.runs import RunStats
from lake.core.settings import Settings
from lake.domain.silver.inventory import parse_date, parse_int, parse_priority, parse_retention
from lake.domain.silver.issuers import AgencyRegister, register_places
from lake.domain.silver.ordering import order_record_pages
from lake.domain.silver.qc import issue
from lake.domain.silver.sync import latest_rows, sync_table

JOB = "silver_documents"
OCR_COLUMNS = ("page_id", "text", "words", "width_px", "height_px", "quality_class", "quality_reasons", "config_id",
               "mean_confidence")


def _require(spark, contract, hint: str) -> None:
    if not spark.catalog.tableExists(contract.full_name):
        raise RuntimeError(f"{contract.full_name} does not exist: {hint}")


def record_row(inv: dict, agency_code: str | None, district: str) -> dict:
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


def run(spark, settings: Settings) -> RunStats:
    from jobs.silver_reference import inventory_agency

    stats = RunStats(JOB).start(spark, settings)
    _require(spark, C.INVENTORY_RECORDS, "run `lakehouse ingest` first")
    _require(spark, C.OCR_PAGES, "run the OCR job first")
    _require(spark, C.SILVER_AGENCIES, "run jobs.silver_reference first")

    agencies = {r.agency_code: r for r in spark.table(C.SILVER_AGENCIES.full_name).collect()}
    issues: list[dict] = []
    for a in agencies.values():
        for rule in a.issues or ():
            issues.append(issue(rule, "agency", a.agency_code, agency_code=a.agency_code,
                                district_code=a.district_code))

    # inventory records: latest version of each file; a record listed twice keeps its latest row
    records: dict[str, dict] = {}
    for inv in sorted(latest_rows(spark, C.INVENTORY_RECORDS), key=lambda r: (r["ingested_at"], r["source_file"])):
        code = (inv.get("record_code") or "").strip()
        if not code:
            continue
        ag = inventory_agency(inv["source_file"])
        a = agencies.get(ag)
        records[code] = record_row({**inv, "record_code": code}, ag, (a.district_code if a else None) or "unknown")

    # scans per record (all versions; the ordering keeps the latest version of each path)
    files_by_record: dict[str, list[dict]] = defaultdict(list)
    records_of_sha: dict[str, set[str]] = defaultdict(set)
    for f in spark.sql(
        "SELECT source_path, sha256, version, page_count, scanned_at, record_code, agency_code, district_code, "
        f"capture_device, declared_dpi FROM {C.LANDING_FILES.full_name} WHERE file_kind = 'scan'"
    ).collect():
        d = f.asDict()
        if not d["record_code"]:
            issues.append(issue("scan_without_manifest", "file", d["source_path"], agency_code=d["agency_code"]))
            continue
        files_by_record[d["record_code"]].append(d)
        records_of_sha[d["sha256"]].add(d["record_code"])
    for sha, codes in records_of_sha.items():
        if len(codes) > 1:
            issues.append(issue("content_in_two_records", "file", sha, actual=", ".join(sorted(codes))))
    for code, files in files_by_record.items():
        if code not in records:
            ag = files[0]["agency_code"]
            a = agencies.get(ag)
            records[code] = {"record_code": code, "agency_code": ag,
                             "district_code": (a.district_code if a else None) or files[0]["district_code"]
                             or "unknown", "flags": ["not_in_inventory"]}
            issues.append(issue("scan_without_record", "record", code, record_code=code, agency_code=ag,
                                district_code=records[code]["district_code"]))

    inv_docs: dict[str, list[dict]] = defaultdict(list)
    for d in latest_rows(spark, C.INVENTORY_DOCUMENTS):
        if d.get("record_code"):
            inv_docs[d["record_code"].strip()].append({k: d.get(k) for k in (
                "order_in_record", "number_symbol", "document_date", "type_name", "subject", "author",
                "first_page", "last_page")})

    metas, ordered_of = {}, {}
    for code, rec in records.items():
        ordered = order_record_pages(code, files_by_record.get(code, []))
        ordered_of[code] = ordered
        rec["page_count_scanned"] = len(ordered)
        rec["scan_files"] = list(dict.fromkeys(p.source_path for p in ordered))
        times = [p.scanned_at for p in ordered if p.scanned_at]
        rec["first_scanned_at"] = min(times) if times else None
        if ordered:
            metas[code] = {"record": {k: rec.get(k) for k in ("record_code", "agency_code", "district_code",
                                                              "start_date", "end_date")},
                           "pages": [asdict(p) for p in ordered], "inventory_documents": inv_docs.get(code, [])}
    stats.items_seen = len(records)

    results = []
    if metas:
        page_df = spark.createDataFrame([(c, p.page_id) for c, ps in ordered_of.items() for p in ps],
                                        "record_code string, page_id string")
        ocr = spark.table(C.OCR_PAGES.full_name).select(*OCR_COLUMNS)
        from pyspark.sql import functions as F

        grouped = (page_df.join(ocr, "page_id", "left").where(F.col("text").isNotNull() | F.col("words").isNotNull()
                                                              | F.col("quality_class").isNotNull())
                   .groupBy("record_code").agg(F.collect_list(F.struct(*OCR_COLUMNS)).alias("ocr")))
        todo = spark.createDataFrame([(c,) for c in metas], "record_code string").join(grouped, "record_code", "left")
        bmeta = spark.sparkContext.broadcast(metas)
        # issuers are matched to the register; the reference lists' places complete the extractor's closed world
        register = AgencyRegister(agencies.values(), register_places(
            spark.table(C.SILVER_LOCALITIES.full_name).select("unit_name").collect()))
        bregister = spark.sparkContext.broadcast(register)

        def work(rows):
            from lake.domain.silver.record_documents import process_record

            for row in rows:
                yield process_record(bmeta.value[row.record_code], row.ocr, bregister.value)

        n = max(1, min(len(metas), spark.sparkContext.defaultParallelism * 4))
        results = todo.repartition(n).rdd.mapPartitions(work).collect()
        bmeta.unpersist()
        bregister.unpersist()

    documents, pages, restricted = [], [], []
    by_record = {r["record_code"]: r for r in results}
    for code, rec in records.items():
        r = by_record.get(code)
        flags = list(rec.pop("flags", []) or [])
        rec["page_count_ocr"] = r["ocr_pages"] if r else 0
        rec["document_count_found"] = len(r["documents"]) if r else 0
        rec["has_restricted_documents"] = bool(r and r["restricted"])
        inv_pages = rec.get("page_count_inventory")
        rec["page_count_match"] = None if inv_pages is None else inv_pages == rec["page_count_scanned"]
        ctx = {"record_code": code, "agency_code": rec.get("agency_code"), "district_code": rec["district_code"]}
        if rec["page_count_scanned"] == 0:
            flags.append("not_scanned")
            issues.append(issue("record_not_scanned", "record", code, **ctx))
        elif rec["page_count_match"] is False:
            flags.append("page_count_mismatch")
            issues.append(issue("page_count_mismatch", "record", code, expected=inv_pages,
                                actual=rec["page_count_scanned"], **ctx))
        n_inv = rec.get("document_count_inventory")
        if r and n_inv is not None and n_inv != rec["document_count_found"]:
            flags.append("document_count_mismatch")
            issues.append(issue("document_count_mismatch", "record", code, expected=n_inv,
                                actual=rec["document_count_found"], **ctx))
        if r:
            documents += r["documents"]
            pages += r["pages"]
            restricted += r["restricted"]
            issues += r["issues"]
            flags += sorted({f for d in r["documents"] for f in d["flags"] if f.startswith("date_")})
        rec["flags"] = list(dict.fromkeys(flags))

    unique_issues = {(i["rule"], i["entity_type"], i["entity_id"]): i for i in issues}
    for contract, rows in ((C.SILVER_RECORDS, list(records.values())), (C.SILVER_DOCUMENTS, documents),
                           (C.SILVER_DOCUMENT_PAGES, pages), (C.SILVER_RESTRICTED_DOCUMENTS, restricted),
                           (C.SILVER_QC_ISSUES, list(unique_issues.values()))):
        res = sync_table(spark, contract, rows, stats.run_id, settings=settings)
        stats.rows_written[contract.full_name] = res["inserted"]
        stats.items_new += res["inserted"]
    stats.record(spark)
    return stats


if __name__ == "__main__":
    from lake.platform.spark import run_job

    run_job(run, JOB)
