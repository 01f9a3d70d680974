"""OCR accuracy against the sample's ground truth: CER and WER per degradation class and resolution, for
the body text (words inside the body's box) and for the whole page. Prints tables; asserts nothing.

    .venv/bin/python benchmarks/ocr_accuracy.py --lake-root /path/to/lake   # a lake already OCR'd
    .venv/bin/python benchmarks/ocr_accuracy.py --pages 300                 # throw-away lake, full run
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def classes(page: dict) -> list[str]:
    kinds = sorted({d["kind"] if isinstance(d, dict) else str(d) for d in page.get("degradations") or []})
    out = [f"{page['capture_device']} {page['dpi']} dpi", "clean" if not kinds else "degraded"]
    out += [f"+{k}" for k in kinds]
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--lake-root", type=Path)
    ap.add_argument("--pages", type=int, default=300)
    ap.add_argument("--districts", type=int, default=4)
    args = ap.parse_args()
    if args.lake_root is None:
        args.lake_root = Path(tempfile.mkdtemp(prefix="bench-ocr-acc-", dir="/tmp"))
        os.chmod(args.lake_root, 0o755)
        os.environ.setdefault("LAKEHOUSE_PG_PORT", "55651")
    os.environ["LAKEHOUSE_ROOT"] = str(args.lake_root)
    from lake.settings import get_settings

    settings = get_settings()
    from lake.ocr.evaluate import cer, text_in_box, wer
    from lake.spark import get_spark

    spark = get_spark("bench-ocr-accuracy", settings)
    if not (settings.ground_truth_dir / "pages.jsonl").is_file():
        from lake.reference import load_reference
        from lake.sample import generate_archive

        generate_archive(settings.landing_dir, settings.ground_truth_dir, load_reference(settings.reference_dir),
                         seed=2025, pages=args.pages, districts=args.districts)
    from jobs import ingest_landing, ocr_pages

    ingest_landing.run(spark, settings)
    ocr_pages.run(spark, settings)
    sha = {r.source_path: r.sha256 for r in spark.table("bronze.landing_files").collect()}
    ocr = {r.page_id: r for r in spark.table("bronze.ocr_pages").collect()}
    groups: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    for line in (settings.ground_truth_dir / "pages.jsonl").read_text(encoding="utf-8").splitlines():
        p = json.loads(line)
        row = ocr.get(f"{sha[p['file']]}:{p['page_index']}")
        if row is None:
            continue
        words = [w.asDict() for w in row.words or []]
        if p.get("body_bbox_pt"):
            s = p["scale"]
            left, top, right, bottom = p["body_bbox_pt"]
            body = text_in_box(words, (left * s - 5, top * s - 5, right * s + 5, bottom * s + 5))
            body_cer, body_wer = cer(p["body_text"], body), wer(p["body_text"], body)
        else:
            body_cer = body_wer = None
        page_cer, page_wer = cer(p["text"], row.text or ""), wer(p["text"], row.text or "")
        for g in ["all", *classes(p)]:
            m = groups[g]
            m["page_cer"].append(page_cer)
            m["page_wer"].append(page_wer)
            if body_cer is not None:
                m["body_cer"].append(body_cer)
                m["body_wer"].append(body_wer)
            m["seconds"].append(row.duration_s or 0)

    def pct(xs):
        return f"{100 * statistics.mean(xs):6.2f}" if xs else "     -"

    print(f"{'class':<24} {'pages':>5} {'body CER%':>9} {'body WER%':>9} {'page CER%':>9} {'page WER%':>9} "
          f"{'s/page':>6}")
    order = sorted(groups, key=lambda g: (g != "all", g.startswith("+"), g))
    for g in order:
        m = groups[g]
        print(f"{g:<24} {len(m['page_cer']):>5} {pct(m['body_cer']):>9} {pct(m['body_wer']):>9} "
              f"{pct(m['page_cer']):>9} {pct(m['page_wer']):>9} {statistics.mean(m['seconds']):>6.2f}")
    print("body = words inside the generator's body box; page = whole page text in reading order "
          "(header columns, seal and signature included)")


if __name__ == "__main__":
    main()
