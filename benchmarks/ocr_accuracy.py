"""OCR accuracy against the sample's ground truth: CER and WER per degradation class and resolution, for
the body text (words inside the body's box) and for the whole page. Prints tables; asserts nothing.

    .venv/bin/python benchmarks/ocr_accuracy.py --lake-root /path/to/lake   # a lake already OCR'd
    .venv/bin/python benchmarks/ocr_accuracy.py --pages 300                 # throw-away lake, full run
    .venv/bin/python benchmarks/ocr_accuracy.py --hard /tmp/hard --hard-docs 32 [--mode engine|plain|x2]

``--hard DIR`` scores the harder set of `lakehouse_sample/hardset.py` (typeset by Chromium, 70-100 dpi photos;
made into DIR when missing) in-process, without Spark, one engine, one thread (``OMP_THREAD_LIMIT=1``):
``engine`` is the pipeline's engine (preparation, recovery passes), ``plain`` is Tesseract on the decoded
image with its declared or 300 dpi and nothing else, ``x2`` is Tesseract after a plain 2x Lanczos upscale.
The OCR output is kept in ``DIR/ocr-<mode>.jsonl`` for `benchmarks/fields.py --hard DIR`.
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


def _hard_classes(p: dict) -> list[str]:
    out = [f"{p['capture_device']} {'70-100' if p['dpi'] <= 100 else p['dpi']} dpi"]
    out += ["+rotation"] if p.get("rotation") else []
    return out


def ocr_hard(hard: Path, mode: str, limit: int | None = None, tag: str | None = None) -> list[dict]:
    """OCR every page of the hard set with `mode`; rows cached in DIR/ocr-<mode>.jsonl."""
    os.environ["OMP_THREAD_LIMIT"] = "1"
    import time
    import unicodedata

    from PIL import Image

    from lake.domain.ocr.engine import OcrEngine, _parse_tsv

    truth = [json.loads(x) for x in (hard / "truth" / "pages.jsonl").read_text(encoding="utf-8").splitlines()]
    truth = truth[:limit] if limit else truth
    out = []
    with OcrEngine(lang=os.environ.get("LAKEHOUSE_OCR_LANG", "vie"), timeout_s=120) as eng:
        api = eng._api
        for p in truth:
            image = Image.open(hard / "pages" / p["file"])
            image.load()
            declared = image.info.get("dpi", (None,))[0]
            t0 = time.monotonic()
            if mode == "engine":
                res = eng.read(image, float(declared) if declared else None)
                text, words, steps = res.text, [asdict_word(w) for w in res.words], res.preparation_steps
            else:
                img, scale = image.convert("L"), 1.0
                if mode == "x2":
                    scale = 2.0
                    img = img.resize((img.width * 2, img.height * 2), Image.Resampling.LANCZOS)
                api.SetImage(img)
                api.SetSourceResolution(round((declared or 300) * scale))
                api.Recognize()
                text = unicodedata.normalize("NFC", api.GetUTF8Text())
                lines: dict = {}
                words = []
                for b, par, ln, left, top, w, h, conf, t in _parse_tsv(api.GetTSVText(0)):
                    words.append({"text": unicodedata.normalize("NFC", t), "conf": conf, "left": round(left / scale),
                                  "top": round(top / scale), "width": round(w / scale), "height": round(h / scale),
                                  "line": lines.setdefault((b, par, ln), len(lines)), "block": b, "paragraph": par})
                steps = [mode]
            out.append({"file": p["file"], "text": text, "words": words, "steps": steps,
                        "seconds": round(time.monotonic() - t0, 3), "width": image.width, "height": image.height})
    with open(hard / f"ocr-{tag or mode}.jsonl", "w", encoding="utf-8") as f:
        for r in out:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    return out


def asdict_word(w) -> dict:
    return {"text": w.text, "conf": w.confidence, "left": w.left, "top": w.top, "width": w.width,
            "height": w.height, "line": w.line, "block": w.block, "paragraph": w.paragraph}


def score_hard(hard: Path, rows: list[dict], text_key: str = "text", correct: bool = False
               ) -> dict[str, dict[str, list[float]]]:
    """Body CER/WER per class; ``correct`` scores the post-OCR corrected words (`lake.domain.ocr.correct`)."""
    from lake.domain.ocr.correct import correct_words
    from lake.domain.ocr.evaluate import cer, text_in_box, wer

    truth = {json.loads(x)["file"]: json.loads(x)
             for x in (hard / "truth" / "pages.jsonl").read_text(encoding="utf-8").splitlines()}
    groups: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    for r in rows:
        p = truth[r["file"]]
        m_all = ["all", *_hard_classes(p)]
        if p.get("body_text") and p.get("body_bbox_px"):
            x0, y0, x1, y1 = p["body_bbox_px"]
            words = r["words"]
            if correct:
                words = [dict(w, text=t) for w, t in zip(words, correct_words(words), strict=True)]
            body = text_in_box(words, (x0 - 4, y0 - 4, x1 + 4, y1 + 4), by_position=True)
            if text_key != "text" and r.get(text_key + "_body") is not None:
                body = r[text_key + "_body"]
            for g in m_all:
                groups[g]["body_cer"].append(cer(p["body_text"], body))
                groups[g]["body_wer"].append(wer(p["body_text"], body))
        for g in m_all:
            groups[g]["seconds"].append(r["seconds"])
    return groups


def print_groups(groups, title: str) -> None:
    def pct(xs):
        return f"{100 * statistics.mean(xs):6.2f}" if xs else "     -"

    print(title)
    print(f"{'class':<24} {'pages':>5} {'body CER%':>9} {'body WER%':>9} {'s/page':>6}")
    for g in sorted(groups, key=lambda g: (g != "all", g.startswith("+"), g)):
        m = groups[g]
        print(f"{g:<24} {len(m['seconds']):>5} {pct(m['body_cer']):>9} {pct(m['body_wer']):>9} "
              f"{statistics.mean(m['seconds']):>6.2f}")


def ocr_sample(folder: Path, mode: str, pages: int = 60, tag: str | None = None) -> list[dict]:
    """The main sample (the generator's own renderer), in-process: generated into ``folder`` when missing,
    every scan page read by the engine; rows kept in ``folder/ocr-<tag>.jsonl``, body scored from the box."""
    os.environ["OMP_THREAD_LIMIT"] = "1"
    import time

    from lake.domain.ocr.decode import detect_format, iter_pages
    from lake.domain.ocr.engine import OcrEngine
    from lake.domain.ocr.evaluate import cer, text_in_box, wer

    if not (folder / "ground_truth" / "pages.jsonl").is_file():
        from lake.core.settings import get_settings
        from lake.domain.reference_lists import load_reference
        from lakehouse_sample import generate_archive

        generate_archive(folder / "landing", folder / "ground_truth", load_reference(get_settings().reference_dir),
                         seed=2025, pages=pages, districts=2, workers=1)
    truth = [json.loads(x) for x in (folder / "ground_truth" / "pages.jsonl").read_text(encoding="utf-8").splitlines()]
    by_file: dict[str, list[dict]] = defaultdict(list)
    for p in truth:
        by_file[p["file"]].append(p)
    rows = []
    with OcrEngine(lang=os.environ.get("LAKEHOUSE_OCR_LANG", "vie"), timeout_s=120) as eng:
        for name, ps in sorted(by_file.items()):
            path = folder / "landing" / name
            if not path.is_file():
                continue
            data = path.read_bytes()
            want = {p["page_index"]: p for p in ps}
            for page in iter_pages(data, detect_format(data[:2048]) or path.suffix.lstrip(".")):
                p = want.get(page.index)
                if p is None:
                    continue
                t0 = time.monotonic()
                res = eng.read(page.image, page.dpi)
                words = [asdict_word(w) for w in res.words]
                row = {"file": name, "page_index": page.index, "seconds": round(time.monotonic() - t0, 3),
                       "classes": classes(p), "steps": res.preparation_steps, "text": res.text, "words": words,
                       "width": res.image_size[0], "height": res.image_size[1]}
                if p.get("body_bbox_pt"):
                    sc = p["scale"]
                    left, top, right, bottom = p["body_bbox_pt"]
                    box = (left * sc - 5, top * sc - 5, right * sc + 5, bottom * sc + 5)
                    for key, ws in (("raw", words), ("corrected", _corrected(words))):
                        body = text_in_box(ws, box)
                        row[f"{key}_cer"], row[f"{key}_wer"] = cer(p["body_text"], body), wer(p["body_text"], body)
                rows.append(row)
    with open(folder / f"ocr-{tag or mode}.jsonl", "w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    return rows


def _corrected(words: list[dict]) -> list[dict]:
    try:
        from lake.domain.ocr.correct import correct_words
    except ImportError:  # an older checkout measured for comparison
        return words
    return [dict(w, text=t) for w, t in zip(words, correct_words(words), strict=True)]


def print_sample(rows: list[dict], title: str) -> None:
    groups: dict[str, list[dict]] = defaultdict(list)
    for r in rows:
        for g in ["all", *r["classes"]]:
            groups[g].append(r)
    print(title)
    print(f"{'class':<24} {'pages':>5} {'CER%':>6} {'WER%':>6} {'corr. WER%':>10} {'s/page':>6}")
    for g in sorted(groups, key=lambda g: (g != "all", g.startswith("+"), g)):
        rs = [r for r in groups[g] if "raw_wer" in r]
        def m(k, rs=rs):
            return (100 * statistics.mean(r[k] for r in rs) if rs else float("nan"))
        print(f"{g:<24} {len(groups[g]):>5} {m('raw_cer'):>6.2f} {m('raw_wer'):>6.2f} {m('corrected_wer'):>10.2f} "
              f"{statistics.mean(r['seconds'] for r in groups[g]):>6.2f}")


def timing_hard(hard: Path, n: int = 10) -> None:
    """Upscale factor chosen by measured effect: on the first ``n`` phone pages, page by page (so every
    variant sees the same machine load), bare Tesseract, a plain 2x upscale, and the engine's preparation
    with the upscale capped at 1.5 / 2 / 3 / 4.5 (4.5 was the old cap: ~300 dpi for 70-100 dpi photos).
    Body WER and seconds per page; the engine's recovery and stamp passes are left out of all of them."""
    os.environ["OMP_THREAD_LIMIT"] = "1"
    import time
    import unicodedata

    from PIL import Image

    from lake.domain.ocr.engine import OcrEngine, _parse_tsv
    from lake.domain.ocr.evaluate import text_in_box, wer
    from lake.domain.ocr.prepare import prepare

    truth = [json.loads(x) for x in (hard / "truth" / "pages.jsonl").read_text(encoding="utf-8").splitlines()]
    pages = [p for p in truth if p["capture_device"] == "phone" and p.get("body_bbox_px")][:n]
    variants = ["plain", "x2", "prep cap 1.5", "prep cap 2", "prep cap 3", "prep cap 4.5"]
    res: dict[str, dict[str, list[float]]] = {v: {"wer": [], "s": []} for v in variants}
    with OcrEngine(lang="vie", timeout_s=300) as eng:
        api = eng._api
        for p in pages:
            image = Image.open(hard / "pages" / p["file"])
            image.load()
            for v in variants:
                t0 = time.monotonic()
                if v.startswith("prep"):
                    prep = prepare(image, None, max_upscale=float(v.split()[-1]))
                    img, dpi, to_orig = prep.image, prep.dpi, prep.to_original
                else:
                    scale = 2.0 if v == "x2" else 1.0
                    img = image.convert("L")
                    if scale != 1.0:
                        size = (round(img.width * scale), round(img.height * scale))
                        img = img.resize(size, Image.Resampling.LANCZOS)
                    dpi = 72 * scale

                    def to_orig(left, top, w, h, scale=scale):
                        return left / scale, top / scale, w / scale, h / scale
                api.SetImage(img)
                api.SetSourceResolution(max(70, round(dpi)))
                api.Recognize()
                lines: dict = {}
                words = []
                for b, par, ln, left, top, w, h, _conf, t in _parse_tsv(api.GetTSVText(0)):
                    ol, ot, ow, oh = to_orig(left, top, w, h)
                    words.append({"text": unicodedata.normalize("NFC", t), "left": ol, "top": ot, "width": ow,
                                  "height": oh, "line": lines.setdefault((b, par, ln), len(lines))})
                res[v]["s"].append(time.monotonic() - t0)
                x0, y0, x1, y1 = p["body_bbox_px"]
                res[v]["wer"].append(wer(p["body_text"], text_in_box(words, (x0 - 4, y0 - 4, x1 + 4, y1 + 4),
                                                                     by_position=True)))
    print(f"upscale by measured effect: {len(pages)} phone pages of {hard} (70-100 dpi), one page at a time")
    print(f"{'variant':<14} {'body WER%':>9} {'s/page':>7}")
    for v in variants:
        print(f"{v:<14} {100 * statistics.mean(res[v]['wer']):>9.2f} {statistics.mean(res[v]['s']):>7.2f}")


def main_hard(args) -> None:
    hard = args.hard
    if not (hard / "truth" / "pages.jsonl").is_file():
        from lakehouse_sample.hardset import make_hard_set

        print(make_hard_set(hard, args.hard_docs, seed=args.seed))
    cached = hard / f"ocr-{args.tag or args.mode}.jsonl"
    if args.rescore and cached.is_file():
        rows = [json.loads(x) for x in cached.read_text(encoding="utf-8").splitlines()]
    else:
        rows = ocr_hard(hard, args.mode, args.limit, args.tag)
    print_groups(score_hard(hard, rows), f"hard set {hard} ({len(rows)} pages), mode {args.mode}")
    print_groups(score_hard(hard, rows, correct=True),
                 f"... after post-OCR correction (lake.domain.ocr.correct), mode {args.mode}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--lake-root", type=Path)
    ap.add_argument("--pages", type=int, default=300)
    ap.add_argument("--districts", type=int, default=4)
    ap.add_argument("--hard", type=Path, help="score the harder Chromium-typeset set in this folder")
    ap.add_argument("--sample", type=Path, help="score the main sample in-process (no Spark) in this folder")
    ap.add_argument("--sample-pages", type=int, default=60)
    ap.add_argument("--tag", default=None, help="name of the kept OCR rows (default: the mode)")
    ap.add_argument("--timing", type=int, default=0, help="compare upscale caps on the first N phone pages")
    ap.add_argument("--hard-docs", type=int, default=32)
    ap.add_argument("--seed", type=int, default=17)
    ap.add_argument("--mode", choices=("engine", "plain", "x2"), default="engine")
    ap.add_argument("--limit", type=int, default=None, help="first N pages of the hard set only")
    ap.add_argument("--rescore", action="store_true", help="score the kept OCR rows of --mode, no OCR")
    args = ap.parse_args()
    if args.sample:
        cached = args.sample / f"ocr-{args.tag or 'engine'}.jsonl"
        if args.rescore and cached.is_file():
            rows = [json.loads(x) for x in cached.read_text(encoding="utf-8").splitlines()]
        else:
            rows = ocr_sample(args.sample, "engine", args.sample_pages, args.tag)
        print_sample(rows, f"main sample {args.sample} ({len(rows)} pages), in-process engine")
        return
    if args.hard and args.timing:
        timing_hard(args.hard, args.timing)
        return
    if args.hard:
        main_hard(args)
        return
    if args.lake_root is None:
        args.lake_root = Path(tempfile.mkdtemp(prefix="bench-ocr-acc-", dir="/tmp"))
        os.chmod(args.lake_root, 0o755)
        os.environ.setdefault("LAKEHOUSE_PG_PORT", "55651")
    os.environ["LAKEHOUSE_ROOT"] = str(args.lake_root)
    from lake.core.settings import get_settings

    settings = get_settings()
    from lake.domain.ocr.evaluate import cer, text_in_box, wer
    from lake.platform.spark import get_spark

    spark = get_spark("bench-ocr-accuracy", settings)
    if not (settings.ground_truth_dir / "pages.jsonl").is_file():
        from lake.domain.reference_lists import load_reference
        from lakehouse_sample import generate_archive

        generate_archive(settings.landing_dir, settings.ground_truth_dir, load_reference(settings.reference_dir),
                         seed=2025, pages=args.pages, districts=args.districts)
    from lake.core import runlog

    runlog.run_job("ingest_landing", spark, settings)
    runlog.run_job("ocr_pages", spark, settings)
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
