"""The bronze rows of one ingest run: the results of `lake.domain.ingest.landing.process_file` → rows of
bronze.raw_contents, scan_pages, pdf_signatures, the tabular tables, quarantine and landing_files.

Plain Python, called by `jobs/ingest_landing.py` on the files not seen before (same path and content): a content
seen twice in the run gives one raw_contents row, a page or signature one row per content; a scan's sighting
takes its record, agency and district from the batch manifest (`manifest_lookup`), its scan time and operator
from the manifest or else from the file's own metadata.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from lake.domain.ingest.landing import batch_of, modified_at, parse_timestamp


@dataclass
class BronzeRows:
    """One run's new rows, table by table (the tabular ones by file kind)."""

    contents: list[dict] = field(default_factory=list)
    pages: list[dict] = field(default_factory=list)
    signatures: list[dict] = field(default_factory=list)
    tabular: dict[str, list[dict]] = field(default_factory=lambda: defaultdict(list))  # file kind → rows
    quarantine: list[dict] = field(default_factory=list)
    sightings: list[dict] = field(default_factory=list)


def to_int(text) -> int | None:
    """ "300", "300.0" → 300; empty or unreadable → None.

    >>> to_int("300.0"), to_int(""), to_int("dpi")
    (300, None, None)
    """
    try:
        return int(float(text)) if text not in (None, "") else None
    except (TypeError, ValueError):
        return None


def manifest_lookup(landed: Iterable[Mapping], results: Iterable[Mapping]) -> dict[tuple[str, str], dict]:
    """(batch, file name) → manifest row: this run's manifests (`results`) over the latest landed ones."""
    lookup: dict[tuple[str, str], dict] = {}
    for r in landed:
        lookup[(r.get("batch_id") or batch_of(r["source_file"]), r["file_name"])] = dict(r)
    for res in results:
        if res["kind"] == "manifest" and not res["error"]:
            batch = batch_of(res["rel_path"])
            for row in res["rows"]:
                lookup[(row.get("batch_id") or batch, row.get("file_name"))] = row
    return lookup


def _quarantined(r: Mapping, run_id: str, now: dt.datetime) -> dict:
    code, message = r["error"]
    return {"stage": "ingest", "source_path": r["rel_path"], "sha256": r["sha256"], "item": "",
            "size_bytes": r["size"], "reason_code": code, "reason": message, "raw_path": r["raw_path"],
            "run_id": run_id, "detected_at": now, "modified_at": modified_at(r["mtime_ns"]),
            "source_path_bytes": bytearray(r["raw_name"])}


def _scan_fields(r: Mapping, manifests: Mapping[tuple[str, str], dict]) -> dict:
    batch = batch_of(r["rel_path"])
    m = manifests.get((batch, PurePosixPath(r["rel_path"]).name), {})
    meta = r["metadata"]
    return {
        "page_count": len(r["pages"]), "batch_id": batch, "site_code": m.get("site_code"),
        "district_code": m.get("district_code"), "agency_code": m.get("agency_code"),
        "record_code": m.get("record_code"),
        "scanned_at": parse_timestamp(m.get("scanned_at")) or parse_timestamp(
            meta.get("DateTimeOriginal") or meta.get("DateTime") or meta.get("CreationDate")),
        "operator": m.get("operator") or meta.get("Artist") or meta.get("Author"),
        "capture_device": m.get("capture_device"), "declared_dpi": to_int(m.get("dpi")),
        "file_metadata": meta or None,
    }


def bronze_rows(results: Iterable[Mapping], manifests: Mapping[tuple[str, str], dict], versions: Mapping[str, int],
                run_id: str, now: dt.datetime) -> BronzeRows:
    """The rows of the new files' `results` (path order); `versions`: last landed version of each path."""
    out = BronzeRows()
    contents: dict[str, dict] = {}
    pages: dict[tuple[str, int], dict] = {}
    signatures: dict[tuple[str, int], dict] = {}
    stamp = {"ingest_run_id": run_id, "ingested_at": now}
    for r in sorted(results, key=lambda x: x["rel_path"]):
        if r["error"]:
            out.quarantine.append(_quarantined(r, run_id, now))
            continue
        sha = r["sha256"]
        contents.setdefault(sha, {
            "sha256": sha, "size_bytes": r["size"], "detected_format": r["format"],
            "page_count": len(r["pages"]) if r["kind"] == "scan" else None, "raw_path": r["raw_path"],
            "first_seen_run_id": run_id, "first_seen_at": now,
        })
        sighting = {
            "source_path": r["rel_path"], "sha256": sha, "version": versions.get(r["rel_path"], 0) + 1,
            "file_kind": r["kind"], "detected_format": r["format"], "size_bytes": r["size"],
            "modified_at": modified_at(r["mtime_ns"]), "source_path_bytes": bytearray(r["raw_name"]), **stamp,
        }
        if r["kind"] == "scan":
            sighting.update(_scan_fields(r, manifests))
            for i, sig in enumerate(r["signatures"]):
                signatures.setdefault((sha, i), {**sig, "sha256": sha, "signature_index": i, **stamp})
            for p in r["pages"]:
                pages.setdefault((sha, p["page_index"]), {
                    **p, "sha256": sha, "page_id": f"{sha}:{p['page_index']}", "detected_format": r["format"],
                    **stamp})
        else:
            out.tabular[r["kind"]] += [{**row, "source_file": r["rel_path"], "source_sha256": sha, **stamp}
                                       for row in r["rows"]]
        out.sightings.append(sighting)
    out.contents, out.pages, out.signatures = list(contents.values()), list(pages.values()), list(signatures.values())
    return out
