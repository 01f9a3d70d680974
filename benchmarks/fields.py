"""Field-extraction and page-grouping accuracy of the silver pipeline against the sample's ground truth.

Exact match per field (number, symbol, date, type, issuer, …) over all documents (restricted documents are
scored from silver.restricted_documents, where their values live), overall and for documents with a
degraded page (any degradation or a phone capture); page grouping as the share of pages whose predicted
document holds exactly the true document's pages, plus document-start precision/recall. Prints a table;
asserts nothing.

    .venv/bin/python benchmarks/fields.py [--pages 300] [--districts 4] [--seed 2025]   # throw-away lake
    .venv/bin/python benchmarks/fields.py --lake-root /path/to/lake     # score an existing lake, no run

    .venv/bin/python benchmarks/fields.py --hard /tmp/hard [--ocr engine]   # the harder set, no Spark
    .venv/bin/python benchmarks/fields.py --hard /tmp/sample               # main sample, same scoring

``--hard DIR`` scores the Chromium-typeset set of `lakehouse_sample/hardset.py` from the OCR rows that
`benchmarks/ocr_accuracy.py --hard DIR --mode <ocr>` kept (pages grouped by the truth: this scores the
fields, not the grouping; a main-sample folder of `ocr_accuracy.py --sample DIR` works the same way, its OCR
rows cached in ``DIR/ocr-engine.jsonl`` so an iteration re-scores without re-reading): exact match per field,
restriction both ways (missed / false), and the calibration of field confidence (accuracy of the values at or
above 0.9, share sent to review below it).

The throw-away run generates the sample, then runs the jobs of `lakehouse demo` from the job registry
(ingest_reference, ingest_landing, ocr_pages, silver_reference, silver_documents; OCR of 300 pages
takes ~5 min on 2 cores).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import unicodedata
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIELDS = {  # benchmark name: (silver column, ground-truth key)
    "number": ("number", "number"), "symbol": ("symbol", "symbol"), "date": ("document_date", "date"),
    "type": ("type_name", "type_name"), "issuer": ("issuer", "issuer"), "issuer_abbr": ("issuer_abbr", "issuer_abbr"),
    "issuer_parent": ("issuer_parent", "issuer_parent"), "place": ("place", "place"),
    "subject": ("subject", "subject"), "signer": ("signer_name", "signer"), "signer_title": ("signer_title",
                                                                                             "signer_title"),
    "authority_prefix": ("authority_prefix", "authority_prefix"), "layout": ("layout", "layout_style"),
    "secrecy": ("secrecy", "secrecy"), "urgency": ("urgency", "urgency"),
}
TARGET = {"number", "symbol", "date", "type", "issuer"}


def _norm(v) -> str:
    if v is None:
        return ""
    if isinstance(v, (list, tuple)):
        v = "; ".join(str(x) for x in v)
    s = unicodedata.normalize("NFC", str(v))
    return re.sub(r"\s+", " ", s).strip().casefold()


def score(docs: list[dict], pages: list[dict], truth_docs: list[dict], truth_pages: list[dict],
          sha_of: dict[str, str]) -> dict:
    """docs: silver.documents rows with restricted values merged in; pages: silver.document_pages rows."""
    by_code = {d["document_code"]: d for d in docs}
    degraded_docs = set()
    true_doc_of_page, degraded_pages = {}, set()
    for p in truth_pages:
        pid = f"{sha_of[p['file']]}:{p['page_index']}"
        true_doc_of_page[pid] = p["document_id"]
        if p.get("degradations") or p.get("capture_device") == "phone":
            degraded_docs.add(p["document_id"])
            degraded_pages.add(pid)
    table = {}
    for subset, keep in (("all", lambda t: True), ("degraded", lambda t: t["document_id"] in degraded_docs)):
        rows = [t for t in truth_docs if keep(t)]
        res = {"n": len(rows)}
        for name, (col, key) in FIELDS.items():
            ok = 0
            for t in rows:
                d = by_code.get(t["document_id"])
                got = None if d is None else d.get(col)
                want = t.get(key)
                if name == "date" and got is not None:
                    got = got.isoformat() if hasattr(got, "isoformat") else str(got)
                ok += _norm(got) == _norm(want)
            res[name] = ok / len(rows) if rows else float("nan")
        table[subset] = res
    pred_doc_of_page = {p["page_id"]: p["document_code"] for p in pages}
    members_p, members_t = defaultdict(set), defaultdict(set)
    for pid, d in pred_doc_of_page.items():
        members_p[d].add(pid)
    for pid, d in true_doc_of_page.items():
        members_t[d].add(pid)
    for subset, pids in (("all", set(true_doc_of_page)), ("degraded", degraded_pages)):
        ok = sum(1 for pid in pids if pid in pred_doc_of_page
                 and members_p[pred_doc_of_page[pid]] == members_t[true_doc_of_page[pid]])
        table[subset]["grouping_pages"] = ok / len(pids) if pids else float("nan")
        table[subset]["n_pages"] = len(pids)
    return table


def collect(spark, gt: Path) -> dict:
    from lake.core import contracts as C

    def load(name):
        return [json.loads(x) for x in (gt / f"{name}.jsonl").read_text(encoding="utf-8").splitlines() if x.strip()]

    docs = [r.asDict(recursive=True) for r in spark.table(C.SILVER_DOCUMENTS.full_name).collect()]
    restricted = {r.document_code: r.asDict(recursive=True)
                  for r in spark.table(C.SILVER_RESTRICTED_DOCUMENTS.full_name).collect()}
    for d in docs:
        r = restricted.get(d["document_code"])
        if r:  # restricted values live in the restricted table; score them from there
            for col, _key in FIELDS.values():
                v = (r["fields"] or {}).get(col)
                if col == "number" and v is not None:
                    v = int(v)
                if v is not None:
                    d[col] = v
    pages = [r.asDict() for r in spark.table(C.SILVER_DOCUMENT_PAGES.full_name).collect()]
    sha_of = {r.source_path: r.sha256 for r in spark.sql(
        "SELECT source_path, sha256 FROM bronze.landing_files WHERE file_kind = 'scan'").collect()}
    return score(docs, pages, load("documents"), load("pages"), sha_of)


def print_table(table: dict) -> None:
    names = [*FIELDS, "grouping_pages"]
    head_all, head_deg = f"all (n={table['all']['n']})", f"degraded (n={table['degraded']['n']})"
    print(f"{'field':<18}{head_all:>14}{head_deg:>18}")
    for name in names:
        mark = " *" if name in TARGET else ""
        a, d = table["all"][name], table["degraded"][name]
        print(f"{name + mark:<18}{a * 100:>13.1f}%{d * 100:>17.1f}%")
    print(f"(* target >= 95 %; grouping over {table['all']['n_pages']} pages, "
          f"{table['degraded']['n_pages']} degraded)")


def _in_lake(root: Path) -> dict:
    os.environ["LAKEHOUSE_ROOT"] = str(root)
    from lake.core.settings import get_settings
    from lake.platform.spark import get_spark

    s = get_settings()
    return collect(get_spark("bench-fields", s), s.ground_truth_dir)


HARD_FIELDS = {  # benchmark name: (ExtractedFields attribute, hard-set truth key)
    "number": ("number", "number"), "symbol": ("symbol", "symbol"), "date": ("date", "date"),
    "type": ("type_name", "type_name"), "issuer": ("issuer", "issuer"), "issuer_parent": ("issuer_parent",
                                                                                         "issuer_parent"),
    "subject": ("subject", "subject"), "signer": ("signer_name", "signer"), "signer_title": ("signer_title",
                                                                                           "signer_title"),
    "authority_prefix": ("authority_prefix", "authority_prefix"), "secrecy": ("secrecy", "secrecy"),
}
HARD_TARGET = {"issuer": 0.9, "subject": 0.9, "signer": 0.9, "signer_title": 0.9, "symbol": 0.9,
               "number": 0.98, "date": 0.98, "type": 0.98}
REVIEW_THRESHOLD = 0.9


def score_hard(hard: Path, ocr_mode: str = "engine", text_key: str = "text") -> dict:
    """Fields of the hard set (``hard/truth``) or of the main sample (``hard/ground_truth``, OCR rows kept by
    `benchmarks/ocr_accuracy.py --sample DIR`), pages grouped by the truth, from the kept OCR rows."""
    from lake.domain.documents import Page, extract_fields
    from lake.domain.documents.personal import restriction_doubtful
    from lake.domain.silver.record_documents import personal_spans, restriction_reasons

    def load(name):
        return [json.loads(x) for x in (hard / name).read_text(encoding="utf-8").splitlines() if x.strip()]

    truth = "truth" if (hard / "truth").is_dir() else "ground_truth"
    truth_docs = load(f"{truth}/documents.jsonl")
    truth_pages = load(f"{truth}/pages.jsonl")
    # hard-set rows are one image file each (no page_index); the sample's are pages of multi-page files
    ocr = {(r["file"], r.get("page_index")): r for r in load(f"ocr-{ocr_mode}.jsonl") if "words" in r}
    pages_of = defaultdict(list)
    for p in truth_pages:
        key = (p["file"], p.get("page_index"))
        key = key if key in ocr else (p["file"], None)
        if key in ocr:
            pages_of[p["document_id"]].append(dict(p, file=key))
    res = {name: {"ok": 0, "n": 0, "hi": 0, "hi_ok": 0, "review": 0} for name in HARD_FIELDS}
    restr = {"n": 0, "truth": 0, "missed": 0, "false": 0, "secret_missed": 0, "review": 0}
    wrong: dict[str, list] = defaultdict(list)
    for t in truth_docs:
        ps = sorted(pages_of.get(t["document_id"], []), key=lambda p: (p.get("page_in_document", 0),
                                                                          p["page_index"]))
        if not ps:
            continue
        pages = [Page.from_ocr(ocr[p["file"]].get(text_key) or ocr[p["file"]]["text"], ocr[p["file"]]["words"],
                               ocr[p["file"]]["width"], ocr[p["file"]]["height"]) for p in ps]
        ex = extract_fields(pages)
        for name, (attr, key) in HARD_FIELDS.items():
            f = getattr(ex, attr)
            got = f.value
            if name == "date" and got is not None:
                got = got.isoformat()
            ok = _norm(got) == _norm(t.get(key))
            r = res[name]
            r["n"] += 1
            r["ok"] += ok
            if f.confidence >= REVIEW_THRESHOLD:
                r["hi"] += 1
                r["hi_ok"] += ok
            else:
                r["review"] += 1
            if not ok:
                wrong[name].append((t["document_id"], t.get(key), got, round(f.confidence, 2)))
        for part in t.get("handwritten") or []:
            hw = restr.setdefault(f"handwritten_{part}", {"n": 0, "right": 0, "flagged": 0, "wrong_high": 0})
            attr = "number" if part == "number" else "date"
            f = getattr(ex, attr)
            got = f.value.isoformat() if part == "date" and f.value is not None else f.value
            hw["n"] += 1
            hw["right"] += _norm(got) == _norm(t.get(attr))
            hw["flagged"] += any(x in ex.flags for x in (f"{attr}_handwritten", f"{attr}_uncertain",
                                                         f"{attr}_not_found"))
            hw["wrong_high"] += f.found and _norm(got) != _norm(t.get(attr)) and f.confidence >= REVIEW_THRESHOLD
        personal = personal_spans(pages)
        reasons = restriction_reasons(ex.secrecy.value, personal)
        restr["n"] += 1
        restricted = t["restricted"] if "restricted" in t else bool(t.get("secrecy") or t.get("has_personal_data"))
        restr["truth"] += bool(restricted)
        restr["missed"] += bool(restricted) and not reasons
        restr["false"] += (not restricted) and bool(reasons)
        restr["secret_missed"] += bool(t["secrecy"]) and "classified" not in reasons
        restr["review"] += restriction_doubtful(ex.secrecy, personal)
    return {"fields": res, "restriction": restr, "wrong": wrong}


def print_hard(table: dict, verbose: bool = False) -> None:
    print(f"{'field':<18}{'exact':>8}{'target':>8}{'conf>=0.9 right':>17}{'to review':>11}")
    for name, r in table["fields"].items():
        tgt = HARD_TARGET.get(name)
        hi = f"{r['hi_ok']}/{r['hi']}" + (f" {100 * r['hi_ok'] / r['hi']:.0f}%" if r["hi"] else "")
        print(f"{name:<18}{100 * r['ok'] / max(1, r['n']):>7.1f}%{'' if tgt is None else f'{tgt:.0%}':>8}"
              f"{hi:>17}{r['review']:>11}")
    rs = table["restriction"]
    print(f"restriction: {rs['n']} documents, {rs['truth']} restricted; missed {rs['missed']} "
          f"(secrecy marks missed {rs['secret_missed']}); false restrictions {rs['false']} "
          f"({100 * rs['false'] / max(1, rs['n'] - rs['truth']):.1f}% of unrestricted); to review {rs['review']}")
    for part in ("number", "date"):
        hw = rs.get(f"handwritten_{part}")
        if hw:
            print(f"handwritten {part}: {hw['n']} documents; read right {hw['right']}, flagged for review "
                  f"{hw['flagged']}, wrong value at confidence >= 0.9: {hw['wrong_high']}")
    if verbose:
        for name, items in table["wrong"].items():
            for it in items:
                print(f"  {name}: {it}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--hard", type=Path, help="score the harder set in this folder (OCR kept by ocr_accuracy); a "
                    "main-sample folder of `ocr_accuracy.py --sample DIR` is scored the same way")
    ap.add_argument("--ocr", default="engine", help="which kept OCR run of the hard set (engine, plain, x2)")
    ap.add_argument("--verbose", action="store_true")
    ap.add_argument("--pages", type=int, default=300)
    ap.add_argument("--districts", type=int, default=4)
    ap.add_argument("--seed", type=int, default=2025)
    ap.add_argument("--lake-root", type=Path, help="score an existing lake instead of running the pipeline")
    ap.add_argument("--port", type=int, default=55642, help="Postgres port of the throw-away lake")
    args = ap.parse_args()
    if args.hard:
        print(f"hard set {args.hard}, OCR {args.ocr}")
        print_hard(score_hard(args.hard, args.ocr), args.verbose)
        return
    if args.lake_root:
        print_table(_in_lake(args.lake_root))
        return
    root = Path(tempfile.mkdtemp(prefix=f"bench-fields-{args.pages}-", dir="/tmp"))
    os.chmod(root, 0o755)
    env = dict(os.environ, LAKEHOUSE_ROOT=str(root), LAKEHOUSE_PG_PORT=str(args.port))
    code = f"""
import json, time
from lake.core.settings import get_settings
from lake.domain.reference_lists import load_reference
from lakehouse_sample import generate_archive
s = get_settings()
generate_archive(s.landing_dir, s.ground_truth_dir, load_reference(s.reference_dir), seed={args.seed},
                 pages={args.pages}, districts={args.districts}, workers=2)
from lake.platform.spark import get_spark
from lake.core import job_registry as registry
from lake.core import runlog
spark = get_spark('bench-fields', s)
times = {{}}
for job in registry.command_jobs(*registry.DEMO_COMMANDS):
    t0 = time.monotonic(); runlog.run_job(job.name, spark, s); times[job.name] = round(time.monotonic() - t0, 1)
from benchmarks.fields import collect
print('RESULT', json.dumps(dict(times=times, table=collect(spark, s.ground_truth_dir))))
from lake.platform.spark import stop_spark
from lake.platform.services import Services
stop_spark(); Services(s).down()
"""
    out = subprocess.run([sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True)
    line = next((x for x in out.stdout.splitlines() if x.startswith("RESULT ")), None)
    if line is None:
        raise SystemExit(f"benchmark run failed (lake root {root}):\n{out.stderr[-4000:]}")
    res = json.loads(line[7:])
    print(f"sample: seed {args.seed}, {args.pages} pages, {args.districts} districts; lake root {root}")
    print("job times (s):", res["times"])
    print_table(res["table"])


if __name__ == "__main__":
    main()
