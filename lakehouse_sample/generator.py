"""Orchestration: plans the whole sample in the parent process (deterministic), renders scan files in worker
processes (one page in memory at a time) and writes the landing tables and the ground truth."""

from __future__ import annotations

import json
import multiprocessing as mp
import os
import shutil
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import partial
from pathlib import Path

from lake.domain.reference_lists import Reference
from lakehouse_sample.agencies import Agency, Locality, build_agencies, choose_localities
from lakehouse_sample.page_layout import Page, layout_document
from lakehouse_sample.render import choose_degradations, degrade, render_page
from lakehouse_sample.specs import BodyWriter, Doc, Numbering, agency_group, make_doc
from lakehouse_sample.tables import write_landing_tables
from lakehouse_sample.texts import DOC_TYPES, TOPICS, TYPES_BY_KIND
from lakehouse_sample.timeline import DEADLINES, AgencyPlan, plan_agency, record_dates
from lakehouse_sample.util import TZ, int_seed, iso_local, person_name, rng_for
from lakehouse_sample.writers import PdfWriter, TiffWriter, encrypted_pdf_bytes, jpeg_bytes, write_if_changed


@dataclass
class SampleSummary:
    landing_dir: Path
    ground_truth_dir: Path
    seed: int
    pages: int
    documents: int
    records: int
    agencies: int
    batches: int
    bad_inputs: int
    files_by_format: dict[str, int]
    district_codes: list[str]
    paths: dict[str, str] = field(default_factory=dict)

    @property
    def files(self) -> int:
        return sum(self.files_by_format.values())


@dataclass
class Record:
    record_code: str
    agency: Agency
    file_no: int
    year: int
    title: str
    retention: str
    priority: str
    topic_idx: int
    docs: list[Doc]
    pages: list[Page]
    arranged: date
    scanned: date
    checked: date
    box: int
    inventory_no: int
    defects: list[dict] = field(default_factory=list)
    physical: str = "Bình thường"
    double_sided: bool = False


# ---------------------------------------------------------------------------------------------------------
def _allocate(total: int, weights: list[float]) -> list[int]:
    s = sum(weights)
    raw = [total * w / s for w in weights]
    out = [int(r) for r in raw]
    order = sorted(range(len(raw)), key=lambda i: (out[i] - raw[i], i))
    for i in order[: total - sum(out)]:
        out[i] += 1
    return out


RETENTION = [("Vĩnh viễn", 0.78), ("70 năm", 0.08), ("20 năm", 0.06), ("10 năm", 0.05), ("5 năm", 0.03)]


def _record_title(
    agency: Agency, kind: str, topic: str, year: int, doc_types: list[str], personal: str
) -> str:
    if personal:
        return personal
    if kind == "hdnd" and "NQ" in doc_types:
        return f"Hồ sơ kỳ họp Hội đồng nhân dân năm {year} của {agency.agency_name}"
    if "BB" in doc_types or "GM" in doc_types:
        return f"Hồ sơ hội nghị về {topic} năm {year}"
    if all(t in ("NQ", "QĐ", "CT") for t in doc_types):
        return f"Tập nghị quyết, quyết định, chỉ thị của {agency.agency_name} năm {year}"
    return f"Tập văn bản về {topic} năm {year} của {agency.agency_name}"


def plan_records(
    seed: int,
    agency: Agency,
    plan: AgencyPlan,
    budget: int,
    first_year: int,
    numbering: Numbering,
    state: dict,
) -> list[Record]:
    rng = rng_for(seed, "records", agency.agency_code)
    group = agency_group(agency)
    block_key = {"dang": "dang", "chinh_quyen": "cq", "doan_the": "dt"}[agency.block]
    topics = [i for i, t in enumerate(TOPICS) if block_key in t[3].split()]
    records: list[Record] = []
    remaining = budget
    file_no = 0
    box = 1
    in_box = 0
    while remaining > 0:
        file_no += 1
        year = rng.randint(first_year, 2024)
        topic_idx = rng.choice(topics)
        personal_kind = ""
        can_personal = agency.kind == "ubnd" or agency.agency_code.endswith("PTCKH")
        if can_personal and rng.random() < 0.25:
            personal_kind = "GCN" if agency.kind == "phong" else "QĐ"
        n_docs = rng.randint(1, 5)
        if agency.year_scheme:
            code = f"{agency.archive_code}.{agency.fonds_code}.{year}.{file_no:03d}"
        else:
            code = f"{agency.archive_code}.{agency.fonds_code}.{1 if year < 2010 else 2:02d}.{file_no:03d}"
        # the document dated outside its record's range (one per sample)
        outlier = (
            not state.get("outlier_done")
            and n_docs >= 3
            and state.get("records_seen", 0) >= 2
            and year > first_year
        )
        state["records_seen"] = state.get("records_seen", 0) + 1
        dates = sorted(date(year, rng.randint(1, 12), rng.randint(1, 28)) for _ in range(n_docs))
        docs: list[Doc] = []
        pages: list[Page] = []
        for k, d in enumerate(dates):
            if remaining <= 0:
                break
            tcode = personal_kind or rng.choice(TYPES_BY_KIND[group])
            lo, hi = DOC_TYPES[tcode][3]
            target = min(rng.choice([lo, lo, rng.randint(lo, hi)]), remaining)
            is_outlier = outlier and k == n_docs - 1
            if is_outlier:
                d = date(year - 1, 12, rng.randint(1, 28))
            drng = rng_for(seed, "doc", code, k)
            this_doc = partial(make_doc, seed=seed, agency=agency, record_code=code, order=k + 1, doc_date=d,
                               topic_idx=topic_idx, numbering=numbering, rng=drng)
            doc = this_doc(type_code=tcode, target_pages=max(1, target), personal=bool(personal_kind))
            doc_pages = layout_document(doc, BodyWriter(doc, agency, drng), drng)
            if len(doc_pages) > remaining:  # mandatory content too long for what is left: a one-page letter
                doc = this_doc(type_code="CV", target_pages=1)
                doc_pages = layout_document(doc, BodyWriter(doc, agency, drng), drng)
            doc.page_count = len(doc_pages)
            if is_outlier:
                doc.extra["outside_record_range"] = True
            docs.append(doc)
            pages.extend(doc_pages)
            remaining -= len(doc_pages)
        if outlier and any(d.extra.get("outside_record_range") for d in docs) and len(docs) >= 2:
            state["outlier_done"] = True
        tr = rng.random()
        retention = "Vĩnh viễn"
        acc = 0.0
        for name, p in RETENTION:
            acc += p
            if tr < acc:
                retention = name
                break
        if personal_kind:
            retention = rng.choice(["Vĩnh viễn", "70 năm"])
        priority = (
            "Ưu tiên 1"
            if retention == "Vĩnh viễn" and rng.random() < 0.6
            else ("Ưu tiên 2" if retention in ("Vĩnh viễn", "70 năm") else "Ưu tiên 3")
        )
        pers_title = ""
        if personal_kind == "GCN":
            pers_title = f"Hồ sơ cấp Giấy chứng nhận đăng ký hộ kinh doanh năm {year}"
        elif personal_kind:
            pers_title = f"Hồ sơ giải quyết thủ tục hành chính của {agency.agency_name} năm {year}"
        title = _record_title(
            agency, agency.kind, TOPICS[topic_idx][0], year, [d.type_code for d in docs], pers_title
        )
        in_box += 1
        if in_box > rng.randint(3, 6):
            box, in_box = box + 1, 1
        records.append(
            Record(
                code,
                agency,
                file_no,
                year,
                title,
                retention,
                priority,
                topic_idx,
                docs,
                pages,
                date.min,
                date.min,
                date.min,
                box,
                1 if year < 2010 else 2,
                physical=rng.choice(["Bình thường"] * 6 + ["Giấy ố vàng", "Rách mép", "Mờ chữ"]),
                double_sided=rng.random() < 0.15,
            )
        )
    n = len(records)
    for i, r in enumerate(records):
        r.arranged, r.scanned, r.checked = record_dates(seed, plan, r.record_code, (i + 1) / (n + 1))
    return records


# --- rendering worker -----------------------------------------------------------------------------------
def render_file(task: dict) -> tuple[str, int]:
    path = Path(task["path"])
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".part")
    fmt = task["format"]
    meta = task["meta"]
    meta["scanned_at"] = datetime.fromisoformat(meta["scanned_at_iso"])
    writer = None
    if fmt == "pdf":
        writer = PdfWriter(tmp, meta)
    elif fmt == "tif":
        writer = TiffWriter(tmp, meta)
    for p in task["pages"]:
        img = render_page(p["ops"], p["dpi"])
        img = degrade(img, p["degradations"], p["dpi"], p["seed"])
        if writer is None:
            tmp.write_bytes(jpeg_bytes(img, p["dpi"], 88 if task["device"] == "scanner" else 78, meta))
        else:
            writer.add(img, p["dpi"])
        del img
    if writer is not None:
        writer.close()
    if path.exists() and path.read_bytes() == tmp.read_bytes():
        tmp.unlink()
    else:
        os.replace(tmp, path)
    ts = meta["scanned_at"].timestamp()
    os.utime(path, (ts, ts))
    return task["rel"], len(task["pages"])


# --- main entry point -------------------------------------------------------------------------------------
SCANNERS = [
    ("Fujitsu", "fi-7600", "PaperStream Capture 3.2"),
    ("Kodak", "S3100", "Kodak Capture Pro 6.1"),
    ("Avision", "AD8120", "Avision Capture Tool 2.0"),
]
PHONES = [
    ("samsung", "SM-A546E", "A546EXXU4BXD1"),
    ("Apple", "iPhone 12", "17.5.1"),
    ("Xiaomi", "Redmi Note 12", "V14.0.6.0"),
]


def generate_archive(
    landing_dir: Path,
    ground_truth_dir: Path,
    reference: Reference,
    *,
    seed: int = 2025,
    pages: int = 300,
    districts: int = 4,
    workers: int = 2,
    progress: Callable[[int, int], None] | None = None,
    render_dpi: int | None = None,
) -> SampleSummary:
    """Write a deterministic archive of about `pages` pages into `landing_dir` and its truth.

    `render_dpi` (benchmarks only) renders and declares every page at that resolution instead of the
    capture's own: tiny pages (e.g. 24 dpi) let a pipeline benchmark reach 30,000 pages in minutes.
    """
    landing_dir, ground_truth_dir = Path(landing_dir), Path(ground_truth_dir)
    if pages < 1:
        raise ValueError("pages must be at least 1")
    locs = choose_localities(reference, districts, seed)
    agencies = build_agencies(reference, locs, pages, seed)
    if len(agencies) > max(1, pages // 2):  # tiny samples: keep at least 2 pages per agency
        by_d: dict[str, list[Agency]] = defaultdict(list)
        for a in agencies:
            by_d[a.district_code].append(a)
        keep = max(1, pages // 2)
        chosen: list[Agency] = []
        k = 0
        while len(chosen) < keep:
            for lst in by_d.values():
                if k < len(lst) and len(chosen) < keep:
                    chosen.append(lst[k])
            k += 1
        agencies = [a for a in agencies if a in chosen]
    loc_by_code = {loc.district_code: loc for loc in locs}
    plans = {a.agency_code: plan_agency(seed, loc_by_code[a.district_code], a) for a in agencies}
    weights = [
        {"ubnd": 3.0, "party": 2.0, "hdnd": 1.0, "phong": 1.2}.get(a.kind, 1.0)
        * (1.0 if a.level == "huyen" else 0.7)
        for a in agencies
    ]
    budgets = _allocate(pages, weights)
    numbering = Numbering()
    state: dict = {}
    records: list[Record] = []
    for a, b in zip(agencies, budgets, strict=True):
        if b > 0:
            records += plan_records(
                seed, a, plans[a.agency_code], b, loc_by_code[a.district_code].first_year, numbering, state
            )
    agencies = [a for a in agencies if any(r.agency is a for r in records)]
    # inventory defect: one record whose declared page count differs from what was scanned
    if records:
        rr = rng_for(seed, "defects")
        victim = records[rr.randrange(len(records))]
        victim.defects.append(
            {
                "kind": "page_count_mismatch",
                "declared": len(victim.pages) + rr.choice([-1, 1, 2])
                if len(victim.pages) > 1
                else len(victim.pages) + 1,
                "actual": len(victim.pages),
            }
        )
    for r in records:
        if any(d.extra.get("outside_record_range") for d in r.docs):
            r.defects.append(
                {
                    "kind": "document_outside_record_range",
                    "document_id": next(d.document_id for d in r.docs if d.extra.get("outside_record_range")),
                }
            )
    tasks, manifest, page_gt, batches = _plan_files(seed, landing_dir, records, locs, render_dpi)
    total = sum(len(t["pages"]) for t in tasks)
    assert total == pages, (total, pages)
    _run_tasks(tasks, workers, progress, total)
    bad = _bad_inputs(seed, landing_dir, records, manifest, batches)
    doc_lists = {a.agency_code for a in agencies if rng_for(seed, "doclist", a.agency_code).random() < 0.5}
    if agencies and not doc_lists:
        doc_lists.add(agencies[0].agency_code)
    if len(agencies) > 1 and len(doc_lists) == len(agencies):
        doc_lists.discard(agencies[-1].agency_code)
    written = write_landing_tables(
        seed, landing_dir, locs, agencies, plans, records, manifest, batches, doc_lists
    )
    gt = _write_ground_truth(
        ground_truth_dir, landing_dir, locs, agencies, plans, records, page_gt, batches, bad, doc_lists
    )
    produced = {t["rel"] for t in tasks} | {b["file"] for b in bad} | set(written)
    _remove_stale(landing_dir, ground_truth_dir, produced)
    files_by_format: dict[str, int] = defaultdict(int)
    for row in manifest:
        files_by_format[row["file_format"]] += 1
    return SampleSummary(
        landing_dir=landing_dir,
        ground_truth_dir=ground_truth_dir,
        seed=seed,
        pages=total,
        documents=sum(len(r.docs) for r in records),
        records=len(records),
        agencies=len(agencies),
        batches=len(batches),
        bad_inputs=len(bad),
        files_by_format=dict(sorted(files_by_format.items())),
        district_codes=[loc.district_code for loc in locs],
        paths={
            "landing": str(landing_dir),
            "ground_truth": str(ground_truth_dir),
            "registry": str(landing_dir / "registry" / "co_quan.csv"),
            **gt,
        },
    )


def _plan_files(
    seed: int, landing: Path, records: list[Record], locs: list[Locality], render_dpi: int | None = None
):
    site_names = {s["site_code"]: s["site_name"] for loc in locs for s in loc.sites}
    operators = {
        sc: [person_name(rng_for(seed, "operator", sc, i))[0] for i in range(3)] for sc in site_names
    }
    # group records into batches: one batch per site and scan day
    by_batch: dict[tuple[str, date], list[Record]] = defaultdict(list)
    for r in records:
        by_batch[(r.agency.site_code, r.scanned)].append(r)
    tasks: list[dict] = []
    manifest: list[dict] = []
    page_gt: list[dict] = []
    batches: list[dict] = []
    for (site, day), recs in sorted(by_batch.items(), key=lambda kv: (kv[0][1], kv[0][0])):
        batch_id = f"{site}_{day:%Y%m%d}"
        rng = rng_for(seed, "batch", batch_id)
        clock = datetime.combine(day, time(8, rng.randint(0, 40), rng.randint(0, 59)), tzinfo=TZ)
        files_in_batch = []
        for r in recs:
            rr = rng_for(seed, "capture", r.record_code)
            device = "phone" if rr.random() < 0.08 else "scanner"
            if device == "phone":
                fmt, dpi = "jpg", rr.choice([72, 96, 120, 150])
                make, model, software = PHONES[rr.randrange(len(PHONES))]
            else:
                fmt = rr.choices(["pdf", "tif", "jpg"], [0.5, 0.25, 0.25])[0]
                dpi = 300 if rr.random() < 0.72 else 200
                make, model, software = SCANNERS[int_seed(seed, site) % len(SCANNERS)]
            dpi = render_dpi or dpi
            operator = operators[site][rr.randrange(3)]
            n = len(r.pages)
            if fmt == "jpg":
                chunks = [[i] for i in range(n)]
            elif n > 12:
                size = rr.randint(8, 10)
                chunks = [list(range(i, min(i + size, n))) for i in range(0, n, size)]
            else:
                chunks = [list(range(n))]
            # page -> (document, page_in_document)
            owners = [(d, k) for d in r.docs for k in range(d.page_count)]
            for ci, chunk in enumerate(chunks):
                if fmt == "jpg" and device == "phone":
                    name = f"IMG_{clock:%Y%m%d_%H%M%S}.jpg"
                elif fmt == "jpg":
                    name = f"{r.record_code}_{chunk[0] + 1:03d}.jpg"
                elif len(chunks) == 1:
                    name = f"{r.record_code}.{fmt}"
                else:
                    name = f"{r.record_code}_{ci + 1:02d}.{fmt}"
                rel = f"batches/{batch_id}/{name}"
                scanned_at = clock
                clock += timedelta(seconds=len(chunk) * rr.randint(15, 45) + rr.randint(20, 90))
                meta = {
                    "site_code": site,
                    "site_name": site_names[site],
                    "batch_id": batch_id,
                    "record_code": r.record_code,
                    "operator": operator,
                    "make": make,
                    "model": model,
                    "software": software,
                    "scanned_at_iso": scanned_at.isoformat(),
                }
                pspecs = []
                for pi, gi in enumerate(chunk):
                    page = r.pages[gi]
                    doc, k = owners[gi]
                    prng = rng_for(seed, "page", rel, pi)
                    degr = choose_degradations(prng, device, dpi)
                    pseed = int_seed(seed, "noise", rel, pi)
                    pspecs.append({"ops": page.ops, "dpi": dpi, "degradations": degr, "seed": pseed})
                    body = "\n".join(t for role, t in page.lines if role == "body")
                    role = (
                        "single"
                        if doc.page_count == 1
                        else ("first" if k == 0 else ("last" if k == doc.page_count - 1 else "middle"))
                    )
                    page_gt.append(
                        {
                            "file": rel,
                            "page_index": pi,
                            "document_id": doc.document_id,
                            "page_in_document": k,
                            "record_code": r.record_code,
                            "record_page": gi,
                            "text": "\n".join(t for _, t in page.lines),
                            "body_text": body,
                            "lines": [{"role": ro, "text": t} for ro, t in page.lines],
                            "body_bbox_pt": [round(v, 2) for v in page.body_bbox] if page.body_bbox else None,
                            "layout": {
                                "style": doc.style,
                                "family": doc.family,
                                "type_abbr": doc.type_abbr,
                                "role": role,
                                "has_header": page.has_header,
                                "has_signature": page.has_signature,
                                "has_seal": any(o[0] == "seal" for o in page.ops),
                                "stamps": [t for ro, t in page.lines if ro == "stamp"],
                                "page_size_pt": [595.28, 841.89],
                            },
                            "dpi": dpi,
                            "capture_device": device,
                            "format": fmt,
                            "degradations": degr,
                            "scale": round(dpi / 72, 6),
                        }
                    )
                tasks.append(
                    {
                        "rel": rel,
                        "path": str(landing / rel),
                        "format": fmt,
                        "device": device,
                        "meta": meta,
                        "pages": pspecs,
                    }
                )
                row = {
                    "batch_id": batch_id,
                    "site_code": site,
                    "site_name": site_names[site],
                    "district_code": r.agency.district_code,
                    "agency_code": r.agency.agency_code,
                    "record_code": r.record_code,
                    "file_name": name,
                    "file_format": fmt,
                    "page_count": len(chunk),
                    "dpi": dpi,
                    "capture_device": device,
                    "scanned_at": iso_local(scanned_at),
                    "operator": operator,
                    "_degr": sorted({d["kind"] for ps in pspecs for d in ps["degradations"]}),
                }
                manifest.append(row)
                files_in_batch.append(rel)
                r.__dict__.setdefault("files", []).append((rel, chunk))
        batches.append(
            {
                "batch_id": batch_id,
                "site_code": site,
                "site_name": site_names[site],
                "district_code": recs[0].agency.district_code,
                "scan_date": day.isoformat(),
                "records": [r.record_code for r in recs],
                "files": files_in_batch,
                "checked": max(r.checked for r in recs).isoformat(),
                "pages": sum(len(r.pages) for r in recs),
            }
        )
    return tasks, manifest, page_gt, batches


def _run_tasks(tasks: list[dict], workers: int, progress, total: int) -> None:
    done = 0
    if progress:
        progress(0, total)
    order = sorted(tasks, key=lambda t: -len(t["pages"]) * t["pages"][0]["dpi"] ** 2)
    if workers <= 1 or len(tasks) < 2:
        for t in order:
            _, n = render_file(t)
            done += n
            if progress:
                progress(done, total)
        return
    ctx = mp.get_context("fork")  # workers only need the task dicts; no main-module re-import
    with ctx.Pool(workers) as pool:
        for _, n in pool.imap_unordered(render_file, order, chunksize=1):
            done += n
            if progress:
                progress(done, total)


def _bad_inputs(
    seed: int, landing: Path, records: list[Record], manifest: list[dict], batches: list[dict]
) -> list[dict]:
    """Defective files inside one batch, listed in its manifest like real files."""
    if not batches:
        return []
    batch = max(batches, key=lambda b: (len(b["files"]), b["batch_id"]))
    bid = batch["batch_id"]
    rows = [m for m in manifest if m["batch_id"] == bid]
    base = rows[0]
    rec = next(r for r in records if r.record_code == base["record_code"])
    folder = landing / "batches" / bid
    stamp = datetime.fromisoformat(max(m["scanned_at"] for m in rows))
    out = []

    def add(name: str, kind: str, fmt: str, pages: int, data: bytes | None, note: str, **extra) -> None:
        nonlocal stamp
        stamp += timedelta(seconds=47)
        path = folder / name
        if data is not None:
            write_if_changed(path, data)
        ts = stamp.timestamp()
        os.utime(path, (ts, ts))
        manifest.append(
            {
                **base,
                "file_name": name,
                "file_format": fmt,
                "page_count": pages,
                "scanned_at": iso_local(stamp),
                "_bad": kind,
                "_degr": [],
            }
        )
        out.append({"file": f"batches/{bid}/{name}", "kind": kind, "batch_id": bid, "note": note, **extra})
        batch["files"].append(f"batches/{bid}/{name}")

    code = rec.record_code
    img = render_page(rec.pages[0].ops, 150)
    add(f"{code}_900.jpg", "zero_byte", "jpg", 1, b"", "tệp rỗng (0 byte)")
    full = jpeg_bytes(img, 150, 85)
    add(
        f"{code}_901.jpg",
        "truncated_jpeg",
        "jpg",
        1,
        full[: len(full) * 2 // 5],
        "truyền tệp bị ngắt, JPEG bị cắt cụt",
        original_size=len(full),
    )
    add(
        f"{code}_902.tif",
        "not_an_image",
        "tif",
        1,
        "Lỗi máy quét: mất kết nối với thiết bị, không lưu được ảnh.\r\n".encode(),
        "tệp văn bản mang đuôi .tif",
    )
    small = render_page(rec.pages[0].ops, 72)
    add(
        f"{code}_903.pdf",
        "encrypted_pdf",
        "pdf",
        1,
        encrypted_pdf_bytes(
            small,
            user_pw="sohoa2025",
            owner_pw=f"owner{seed}",
            file_id=int_seed(seed, "pdf-id").to_bytes(8, "big") * 2,
        ),
        "PDF có mật khẩu mở tệp (RC4 40-bit)",
        password="sohoa2025",
    )
    src_row = rows[-1]
    src = folder / src_row["file_name"]
    stem, _dot, ext = src_row["file_name"].rpartition(".")
    dup_name = f"{stem} - Copy.{ext}"
    shutil.copyfile(src, folder / dup_name)
    stamp_saved = stamp
    add(
        dup_name,
        "duplicate",
        src_row["file_format"],
        src_row["page_count"],
        None,
        "bản sao trùng byte của tệp khác",
        duplicate_of=f"batches/{bid}/{src_row['file_name']}",
    )
    stamp = stamp_saved
    return out


def _jsonl(path: Path, rows: list[dict]) -> None:
    data = "".join(json.dumps(r, ensure_ascii=False, sort_keys=True, default=str) + "\n" for r in rows)
    write_if_changed(path, data.encode("utf-8"))


def _write_ground_truth(
    gt: Path, landing: Path, locs, agencies, plans, records, page_gt, batches, bad, doc_lists
) -> dict:
    gt.mkdir(parents=True, exist_ok=True)
    first_last: dict[str, list] = {}
    for p in page_gt:
        fl = first_last.setdefault(p["document_id"], [None, None])
        if fl[0] is None:
            fl[0] = {"file": p["file"], "page_index": p["page_index"]}
        fl[1] = {"file": p["file"], "page_index": p["page_index"]}
    docs = []
    for r in records:
        for d in r.docs:
            row = d.ground_truth()
            fl = first_last[d.document_id]
            row.update(
                first_file=fl[0]["file"],
                first_page=fl[0]["page_index"],
                last_file=fl[1]["file"],
                last_page=fl[1]["page_index"],
                agency_code=r.agency.agency_code,
                outside_record_range=bool(d.extra.get("outside_record_range")),
                in_document_list=r.agency.agency_code in doc_lists,
            )
            docs.append(row)
    recs = []
    for r in records:
        dates = sorted(d.date for d in r.docs if not d.extra.get("outside_record_range")) or [
            d.date for d in r.docs
        ]
        recs.append(
            {
                "record_code": r.record_code,
                "agency_code": r.agency.agency_code,
                "archive_code": r.agency.archive_code,
                "fonds_code": r.agency.fonds_code,
                "file_no": r.file_no,
                "year": r.year,
                "title": r.title,
                "retention": r.retention,
                "priority": r.priority,
                "inventory_no": r.inventory_no,
                "box": r.box,
                "start_date": dates[0].isoformat(),
                "end_date": dates[-1].isoformat(),
                "true_start_date": min(d.date for d in r.docs).isoformat(),
                "documents": [d.document_id for d in r.docs],
                "page_count": len(r.pages),
                "declared_page_count": next(
                    (x["declared"] for x in r.defects if x["kind"] == "page_count_mismatch"), len(r.pages)
                ),
                "files": [f for f, _ in r.__dict__.get("files", [])],
                "arranged": r.arranged.isoformat(),
                "scanned": r.scanned.isoformat(),
                "checked": r.checked.isoformat(),
                "defects": r.defects,
                "has_personal_data": any(d.has_personal_data for d in r.docs),
                "has_secret": any(d.secrecy for d in r.docs),
            }
        )
    ags = [
        {
            **a.to_dict(),
            "handover": plans[a.agency_code].handover.isoformat(),
            "has_document_list": a.agency_code in doc_lists,
        }
        for a in agencies
    ]
    paths = {}
    for name, rows in (
        ("pages", page_gt),
        ("documents", docs),
        ("records", recs),
        ("agencies", ags),
        ("batches", batches),
        ("bad_inputs", bad),
    ):
        _jsonl(gt / f"{name}.jsonl", rows)
        paths[name] = str(gt / f"{name}.jsonl")
    timeline = {
        "programme": {
            "start": "2025-07-01",
            "handover_deadline": "2025-08-15",
            "arrangement_deadline_huyen": DEADLINES["huyen"].isoformat(),
            "arrangement_deadline_xa": DEADLINES["xa"].isoformat(),
            "database_in_use": "2026-02-01",
        },
        "localities": [
            {
                "district_code": loc.district_code,
                "district_name": loc.district_name,
                "pace": loc.pace,
                "sites": loc.sites,
                "communes": [{"code": c.code, "name": c.name} for c in loc.communes],
            }
            for loc in locs
        ],
        "agencies": {
            a.agency_code: {
                **plans[a.agency_code].to_dict(),
                "first_scan": min(r.scanned for r in records if r.agency is a).isoformat(),
                "last_scan": max(r.scanned for r in records if r.agency is a).isoformat(),
                "last_check": max(r.checked for r in records if r.agency is a).isoformat(),
                "on_time": max(r.arranged for r in records if r.agency is a) <= plans[a.agency_code].deadline,
            }
            for a in agencies
        },
    }
    write_if_changed(
        gt / "timeline.json",
        json.dumps(timeline, ensure_ascii=False, indent=2, sort_keys=True).encode("utf-8"),
    )
    paths["timeline"] = str(gt / "timeline.json")
    files = sorted({p["file"] for p in page_gt} | {b["file"] for b in bad})
    write_if_changed(gt / "files.txt", ("\n".join(files) + "\n").encode())
    return paths


def _remove_stale(landing: Path, gt: Path, produced: set[str]) -> None:
    """Delete files a previous run wrote into the generator-owned landing folders that this run did not."""
    for sub in ("registry", "handover", "inventories", "batches"):
        root = landing / sub
        if not root.exists():
            continue
        for p in sorted(root.rglob("*")):
            if p.is_file() and p.relative_to(landing).as_posix() not in produced:
                p.unlink()
        for p in sorted(root.rglob("*"), reverse=True):
            if p.is_dir() and not any(p.iterdir()):
                p.rmdir()
