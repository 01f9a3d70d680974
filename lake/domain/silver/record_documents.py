"""One record's ordered, OCR'd pages → documents, document pages, restricted rows and QC issues.

Plain Python (runs inside Spark tasks, one record at a time):
- boundaries: the document list's page ranges (1-based within the record) when usable, trusted as given;
  pages they do not cover, and whole records without a list, are grouped by detection
  (`lake.domain.documents.group_pages`: header evidence starts a document, the closing block ends one);
- the document code is the record code + the document's position in the record (TT 02/2019);
- fields: `lake.domain.documents.extract_fields` on the group's pages, the date checked against the record's
  Thời gian bắt đầu / kết thúc (flagged, never corrected);
- restriction: a secrecy stamp (Mật, Tối mật, Tuyệt mật) or personal data beyond a bare name (birth date,
  id number, address, phone) makes the document restricted: its text and personal columns are NULL in the
  shared tables and the values go to the restricted table only.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from lake.domain.documents import (
    DATE_DIGIT_SUSPECT,
    DATE_INVALID,
    DATE_OUT_OF_RANGE,
    Page,
    document_code,
    extract_fields,
    find_personal_data,
    group_pages,
)
from lake.domain.documents.personal import restriction_doubtful
from lake.domain.documents.text import squash
from lake.domain.silver.inventory import parse_boundary, parse_date
from lake.domain.silver.issuers import AgencyRegister
from lake.domain.silver.ordering import OrderedPage
from lake.domain.silver.qc import issue

QUALITY_RANK = {"good": 0, "suspect": 1, "bad": 2, "missing": 3}
STRONG_PERSONAL = {"date_of_birth", "id_number", "address", "phone"}
SECRET_LEVELS = ("Mật", "Tối mật", "Tuyệt mật")
FIELD_COLUMNS = {  # ExtractedFields name -> silver.documents column
    "type_name": "type_name", "type_abbr": "type_abbr", "number": "number", "symbol": "symbol",
    "issuer_abbr": "issuer_abbr", "date": "document_date", "place": "place", "issuer": "issuer",
    "issuer_parent": "issuer_parent", "subject": "subject", "signer_name": "signer_name",
    "signer_title": "signer_title", "authority_prefix": "authority_prefix", "recipients": "recipients",
    "secrecy": "secrecy", "urgency": "urgency", "layout": "layout",
}
# columns kept for restricted documents in the shared table (structure, never content)
_KEPT_WHEN_RESTRICTED = {"layout", "secrecy", "urgency"}


@dataclass
class RecordResult:
    documents: list[dict] = field(default_factory=list)
    pages: list[dict] = field(default_factory=list)
    restricted: list[dict] = field(default_factory=list)
    issues: list[dict] = field(default_factory=list)


def ocr_page(ocr: Mapping | None) -> Page:
    """A `lake.domain.documents.Page` from a bronze.ocr_pages row (dict or Row); empty page when missing."""
    if not ocr:
        return Page("")
    words = []
    for w in ocr.get("words") or ():
        w = w.asDict() if hasattr(w, "asDict") else w
        words.append({"text": w.get("text") or "", "conf": w.get("confidence"), "left": w.get("left") or 0,
                      "top": w.get("top") or 0, "width": w.get("width") or 0, "height": w.get("height") or 0,
                      "block": w.get("block") or 0, "par": w.get("paragraph") or 0, "line": w.get("line") or 0})
    return Page.from_ocr(ocr.get("text") or "", words, ocr.get("width_px") or 0, ocr.get("height_px") or 0)


def _boundaries(record_code: str, inv_docs: Sequence[Mapping], n_pages: int, ctx: dict,
                issues: list[dict]) -> tuple[list[tuple[int, int]], dict[tuple[int, int], Mapping]]:
    """Usable inventory ranges (0-based, inclusive) and the inventory row of each; unusable ones flagged."""
    ranges: list[tuple[int, int]] = []
    rows: dict[tuple[int, int], Mapping] = {}
    for d in sorted(inv_docs, key=lambda r: (parse_boundary(r.get("first_page"), r.get("last_page")) or (0, 0))):
        b = parse_boundary(d.get("first_page"), d.get("last_page"))
        ident = f"{record_code}#{d.get('order_in_record') or '?'}"
        if b is None or b[1] > n_pages or any(not (b[1] - 1 < a or b[0] - 1 > z) for a, z in ranges):
            issues.append(issue("inventory_boundary_invalid", "document", ident, record_code=record_code,
                                actual=f"{d.get('first_page')}-{d.get('last_page')}", expected=f"1-{n_pages}",
                                **ctx))
            continue
        r = (b[0] - 1, b[1] - 1)
        ranges.append(r)
        rows[r] = d
    return ranges, rows


def personal_spans(pages: Sequence[Page]) -> list[dict]:
    """The personal data found on a document's pages, one dict per span with its page and offsets."""
    out = []
    for k, p in enumerate(pages):
        for s in find_personal_data(p.text):
            out.append({"kind": s.kind, "text": s.text, "page_in_document": k + 1, "start_char": s.start,
                        "end_char": s.end, "confidence": float(s.confidence)})
    return out


def restriction_reasons(secrecy: str | None, personal: Sequence[Mapping]) -> list[str]:
    """Why a document goes to the restricted zone: "classified" (a secrecy level) and/or
    "personal_data" (a strong kind of personal data); empty when it does not."""
    reasons = []
    if secrecy in SECRET_LEVELS:
        reasons.append("classified")
    if any(p["kind"] in STRONG_PERSONAL for p in personal):
        reasons.append("personal_data")
    return reasons


def _same_symbol(a: str | None, b: str | None) -> bool:
    return bool(a and b) and squash(a) == squash(b)


def build_record(record: Mapping, ordered: Sequence[OrderedPage], ocr: Mapping[str, Mapping],
                 inv_docs: Sequence[Mapping] = (), register: AgencyRegister | None = None) -> RecordResult:
    """Documents of one record.

    record: record_code, agency_code, district_code, start_date, end_date (dates or None).
    ordered: the record's pages in order (`lake.domain.silver.ordering.order_record_pages`).
    ocr: page_id → bronze.ocr_pages row (text, words, width_px, height_px, quality_class, quality_reasons,
    config_id, mean_confidence); a page without OCR is an empty page of quality "missing".
    inv_docs: the record's rows of the document list (bronze.inventory_documents), possibly none.
    register: the agency register and places (`lake.domain.silver.issuers`): the extractor's places, and the issuer
    matched to a registered agency (`issuer_agency_code`, `issuer_registered_name`) or flagged
    `issuer_unmatched` (kept as read).
    """
    res = RecordResult()
    code = record["record_code"]
    district = record.get("district_code") or "unknown"
    ctx = {"agency_code": record.get("agency_code"), "district_code": district}
    if not ordered:
        return res
    pages = [ocr_page(ocr.get(p.page_id)) for p in ordered]
    ranges, inv_by_range = _boundaries(code, inv_docs, len(ordered), ctx, res.issues)
    groups = group_pages(pages, ranges or None)
    rng = (record.get("start_date"), record.get("end_date"))
    has_range = rng[0] is not None or rng[1] is not None
    for order, g in enumerate(groups, start=1):
        doc_code = document_code(code, order)
        gpages = [pages[i] for i in g]
        inv = inv_by_range.get((g[0], g[-1]))
        ex = extract_fields(gpages, rng if has_range else None, places=register.places if register else ())
        registered = None
        if register is not None and ex.issuer.found:
            registered = register.match(ex.issuer.value, ex.issuer_parent.value).agency
            ex.flags = [f for f in ex.flags if f != "issuer_unmatched"] + ([] if registered else ["issuer_unmatched"])
        rec = ex.to_record()
        personal = personal_spans(gpages)
        reasons = restriction_reasons(ex.secrecy.value, personal)
        restricted = bool(reasons)
        if restriction_doubtful(ex.secrecy, personal):
            ex.flags.append("restriction_review")
        qualities = [(ocr.get(ordered[i].page_id) or {}).get("quality_class") or "missing" for i in g]
        worst = max(qualities, key=lambda q: QUALITY_RANK.get(q, 3))
        confs = [c for i in g if (c := (ocr.get(ordered[i].page_id) or {}).get("mean_confidence")) is not None]
        row = {
            "document_code": doc_code, "record_code": code, "order_in_record": order,
            "agency_code": record.get("agency_code"), "district_code": district,
            "first_page": g[0] + 1, "last_page": g[-1] + 1, "page_count": len(g),
            "boundary_source": "inventory" if inv is not None else "detected",
            "ocr_quality": worst, "mean_ocr_confidence": round(sum(confs) / len(confs), 2) if confs else None,
            "is_restricted": restricted, "restriction_reasons": reasons, "flags": list(ex.flags),
        }
        confidence: dict[str, float] = {}
        spans: dict[str, dict] = {}
        for name, col in FIELD_COLUMNS.items():
            f = getattr(ex, name)
            hide = restricted and name not in _KEPT_WHEN_RESTRICTED
            row[col] = None if hide else rec[name]
            if f.found and not hide:
                confidence[name] = float(rec[f"{name}_confidence"])
                if f.span is not None:
                    k = f.span.page
                    spans[name] = {"page_in_document": k + 1,
                                   "page_id": ordered[g[k]].page_id if 0 <= k < len(g) else None,
                                   "start_char": f.span.start, "end_char": f.span.end}
        row["issuer_agency_code"] = None if restricted or registered is None else registered.agency_code
        row["issuer_registered_name"] = None if restricted or registered is None else registered.name
        row["field_confidence"] = confidence
        row["field_spans"] = spans
        inv_date = parse_date(inv.get("document_date")) if inv else None
        inv_cols = {
            "inventory_symbol": (inv.get("number_symbol") or None) if inv else None,
            "inventory_date": inv_date,
            "inventory_type_name": (inv.get("type_name") or None) if inv else None,
            "inventory_subject": (inv.get("subject") or None) if inv else None,
            "inventory_author": (inv.get("author") or None) if inv else None,
        }
        row.update({k: (None if restricted else v) for k, v in inv_cols.items()})
        if inv is not None and ex.symbol.found and inv_cols["inventory_symbol"] and not _same_symbol(
                ex.symbol.value, inv_cols["inventory_symbol"]):
            row["flags"].append("symbol_differs_from_inventory")
        if inv is not None and ex.date.found and inv_date and ex.date.value != inv_date:
            row["flags"].append("date_differs_from_inventory")
        res.documents.append(row)

        dctx = {"record_code": code, "document_code": doc_code, **ctx}
        if not ex.number.found:
            res.issues.append(issue("number_missing", "document", doc_code, **dctx))
        if not ex.date.found and DATE_INVALID not in ex.flags:
            res.issues.append(issue("date_missing", "document", doc_code, **dctx))
        for flag, rule in ((DATE_INVALID, "date_invalid"), (DATE_OUT_OF_RANGE, "date_out_of_record_range"),
                           (DATE_DIGIT_SUSPECT, "date_digit_suspect")):
            if flag in ex.flags:
                shown = None if restricted or ex.date.value is None else ex.date.value.isoformat()
                res.issues.append(issue(rule, "document", doc_code, actual=shown,
                                        expected=f"{rng[0] or ''}..{rng[1] or ''}", **dctx))
        diffs = [f for f in row["flags"] if f.endswith("_differs_from_inventory")]
        if diffs:
            res.issues.append(issue("inventory_document_mismatch", "document", doc_code,
                                    detail=", ".join(diffs), **dctx))

        for k, i in enumerate(g):
            p = ordered[i]
            o = ocr.get(p.page_id) or {}
            res.pages.append({
                "document_code": doc_code, "page_id": p.page_id, "record_code": code, "district_code": district,
                "page_in_record": p.page_in_record, "page_in_document": k + 1, "sha256": p.sha256,
                "page_index": p.page_index, "source_path": p.source_path,
                "duplicate_paths": list(p.duplicate_paths), "capture_device": p.capture_device,
                "declared_dpi": p.declared_dpi, "ocr_config_id": o.get("config_id"),
                "quality_class": o.get("quality_class") or "missing",
                "quality_reasons": list(o.get("quality_reasons") or []),
            })

        if restricted:
            values = {col: rec[name] for name, col in FIELD_COLUMNS.items() if getattr(ex, name).found}
            if registered is not None:
                values.update(issuer_agency_code=registered.agency_code, issuer_registered_name=registered.name)
            res.restricted.append({
                "document_code": doc_code, "record_code": code, "agency_code": record.get("agency_code"),
                "restriction_reasons": reasons, "secrecy": ex.secrecy.value,
                "type_name": ex.type_name.value, "symbol": ex.symbol.value, "document_date": ex.date.value,
                "issuer": ex.issuer.value, "subject": ex.subject.value, "signer_name": ex.signer_name.value,
                "fields": {k: ("; ".join(v) if isinstance(v, list) else str(v)) for k, v in values.items()
                           if v is not None},
                "personal_data": personal,
                "full_text": "\n\f\n".join(p.text for p in gpages),
            })
    return res


REVIEW_THRESHOLD = 0.9  # a field below this confidence goes to the QC queue (benchmarks/fields.py --hard)
REVIEW_FIELDS = ("number", "symbol", "date", "type_name", "issuer", "subject", "signer_name", "signer_title")


def review_issues(documents: Sequence[Mapping], record: Mapping) -> list[dict]:
    """QC issues for a person to confirm: fields below the confidence threshold, handwritten numbers,
    doubtful restrictions (the document stays restricted until a reviewer releases it)."""
    out = []
    for d in documents:
        ctx = {"record_code": record["record_code"], "document_code": d["document_code"],
               "agency_code": record.get("agency_code"), "district_code": record.get("district_code") or "unknown"}
        conf = d.get("field_confidence") or {}
        low = [f for f in REVIEW_FIELDS if f in conf and conf[f] < REVIEW_THRESHOLD]
        if low:
            out.append(issue("field_needs_review", "document", d["document_code"], detail=", ".join(low), **ctx))
        flags = d.get("flags") or []
        for rule in ("number_handwritten", "date_handwritten", "issuer_unmatched"):
            if rule in flags:
                out.append(issue(rule, "document", d["document_code"], **ctx))
        if "restriction_review" in flags:
            out.append(issue("restriction_review", "document", d["document_code"], **ctx))
    return out


def page_quality_issues(ordered: Sequence[OrderedPage], ocr: Mapping[str, Mapping], record: Mapping) -> list[dict]:
    """One issue per page whose OCR is bad, suspect or missing (entity = page id)."""
    out = []
    ctx = {"record_code": record["record_code"], "agency_code": record.get("agency_code"),
           "district_code": record.get("district_code") or "unknown"}
    for p in ordered:
        o = ocr.get(p.page_id)
        q = (o or {}).get("quality_class") or "missing"
        if q in ("bad", "suspect", "missing"):
            reasons = ", ".join((o or {}).get("quality_reasons") or [])
            out.append(issue(f"ocr_page_{q}", "page", p.page_id, actual=q, detail=reasons or None,
                             **ctx))
    return out


def as_date(value) -> dt.date | None:
    """`value` when it is a date, else None."""
    return value if isinstance(value, dt.date) else None


def process_record(meta: Mapping, ocr_rows: Sequence | None, register: AgencyRegister | None = None) -> dict:
    """Spark task body: one record's metadata (from the driver) + its OCR rows → result rows as dicts;
    `register`: the agency register issuers are matched to (`lake.domain.silver.issuers`)."""
    ocr = {}
    for r in ocr_rows or ():
        d = r.asDict() if hasattr(r, "asDict") else dict(r)
        ocr[d["page_id"]] = d
    ordered = [OrderedPage(**p) for p in meta["pages"]]
    res = build_record(meta["record"], ordered, ocr, meta["inventory_documents"], register)
    issues = res.issues + page_quality_issues(ordered, ocr, meta["record"]) + review_issues(res.documents,
                                                                                          meta["record"])
    return {"record_code": meta["record"]["record_code"], "documents": res.documents, "pages": res.pages,
            "restricted": res.restricted, "issues": issues, "ocr_pages": len(ocr)}
