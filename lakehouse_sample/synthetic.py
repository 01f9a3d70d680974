"""A synthetic lake at volume for benchmarks: the rows of a real (small) lake multiplied, no images.

`python -m lakehouse_sample.synthetic --from <small lake root> --documents 1000000` (with LAKEHOUSE_ROOT set to the new,
empty lake root) reads the small lake's Delta tables by path and writes K copies of every per-page,
per-document and per-record row into the new lake's tables, K = ceil(documents / documents in the small
lake). Keys get a `~k` suffix (record, document and page codes, content hashes, batch ids) so every copy is a
distinct record/document/page with the same shape, dates and joins as the real pipeline produced; reference
data (localities, agencies, handover reports, non-scan landing files) is copied once. OCR text is cut to
200 characters and word boxes dropped: dbt never reads them, and they would dominate the volume.
"""

from __future__ import annotations

import argparse
import dataclasses
import math
import time
from pathlib import Path

from lake.core import contracts as C
from lake.core.settings import Settings, get_settings

# table -> {column: SQL expression over the source row `s` and the copy number `k`}
_SUFFIX = "concat({col}, CASE WHEN k = 0 THEN '' ELSE concat('~', k) END)"


def _sfx(col: str) -> str:
    return _SUFFIX.format(col=col)


REPLICATED: dict[str, dict[str, str]] = {
    "bronze.landing_files": {"sha256": _sfx("sha256"), "record_code": _sfx("record_code"),
                             "batch_id": _sfx("batch_id"),
                             "source_path": "CASE WHEN k = 0 THEN source_path "
                                            "ELSE concat('copy-', k, '/', source_path) END"},
    "bronze.qc_logs": {"batch_id": _sfx("batch_id")},
    "bronze.scan_pages": {"sha256": _sfx("sha256"), "page_id": _sfx("page_id")},
    "bronze.ocr_pages": {"sha256": _sfx("sha256"), "page_id": _sfx("page_id"), "text": "substring(text, 1, 200)",
                         "words": "array()"},
    "silver.records": {"record_code": _sfx("record_code")},
    "silver.documents": {"document_code": _sfx("document_code"), "record_code": _sfx("record_code")},
    "silver.restricted_documents": {"document_code": _sfx("document_code"), "record_code": _sfx("record_code")},
    "bronze.ocr_qc_queue": {"sha256": _sfx("sha256"), "page_id": _sfx("page_id")},
    # the quality dashboard reads the QC issues; entity_id is a page, document or record key
    "silver.qc_issues": {"entity_id": _sfx("entity_id"), "record_code": _sfx("record_code"),
                         "document_code": _sfx("document_code")},
    "silver.document_pages": {"document_code": _sfx("document_code"), "record_code": _sfx("record_code"),
                              "page_id": _sfx("page_id"), "sha256": _sfx("sha256"),
                              "source_path": "CASE WHEN k = 0 THEN source_path "
                                             "ELSE concat('copy-', k, '/', source_path) END"},
}
# landing_files: only scan files are multiplied (lists and reports are per agency)
_ONLY_REPLICATE_WHERE = {"bronze.landing_files": "file_kind = 'scan'"}
COPIED_ONCE = ("bronze.handover_reports", "silver.localities", "silver.locality_mapping", "silver.agencies")


def replicate(spark, source: Settings, target: Settings, documents: int, echo=print) -> dict[str, int]:
    from pyspark.sql import functions as F

    from lake.core.delta import ensure_table

    by_name = {c.full_name: c for c in C.tables()}
    src_docs = spark.read.format("delta").load(str(C.get_contract("silver.documents").location(source))).count()
    if src_docs == 0:
        raise RuntimeError(f"no documents in {source.lake_root}: run the pipeline on a sample first")
    copies = math.ceil(documents / src_docs)
    echo(f"{src_docs} documents in {source.lake_root} -> {copies} copies (≈{copies * src_docs:,} documents)")
    ks = spark.range(copies).withColumnRenamed("id", "k").withColumn("k", F.col("k").cast("int"))
    counts = {}
    for full_name in (*COPIED_ONCE, *REPLICATED):
        t0 = time.monotonic()
        contract = by_name[full_name]
        df = spark.read.format("delta").load(str(contract.location(source)))
        exprs = REPLICATED.get(full_name)
        if exprs:
            where = _ONLY_REPLICATE_WHERE.get(full_name)
            multiplied = df.where(where) if where else df
            multiplied = multiplied.crossJoin(F.broadcast(ks)).selectExpr(
                *[f"{exprs.get(c.name, c.name)} AS {c.name}" for c in contract.columns])
            df = multiplied.unionByName(df.where(f"NOT ({where})")) if where else multiplied
        df = df.select(*[c.name for c in contract.columns])
        ensure_table(spark, contract, target)
        df.write.format("delta").mode("overwrite").insertInto(full_name, overwrite=True)
        counts[full_name] = spark.table(full_name).count()
        echo(f"  {full_name:<28} {counts[full_name]:>12,} rows  {time.monotonic() - t0:6.1f} s")
    return counts


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--from", dest="source", type=Path, required=True, help="lake root of a small, complete lake")
    p.add_argument("--documents", type=int, default=1_000_000)
    args = p.parse_args(argv)
    target = get_settings()
    source = dataclasses.replace(target, lake_root=args.source.resolve())
    if source.lake_root == target.lake_root:
        raise SystemExit("--from must be another lake root than LAKEHOUSE_ROOT")
    from lake.platform.spark import get_spark

    spark = get_spark("synthetic-volume", target)
    t0 = time.monotonic()
    replicate(spark, source, target, args.documents)
    print(f"synthetic lake written in {time.monotonic() - t0:.1f} s: {target.lake_root}")
    spark.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
