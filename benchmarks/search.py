"""Search benchmark: indexing rate, full re-index time, latency of 200 mixed queries, relevance of 50 known-document
queries, on the real OpenSearch engine. Prints figures; asserts nothing.

    .venv/bin/python benchmarks/search.py --documents 5000  # synthetic documents (lakehouse_sample.search_documents)
    .venv/bin/python benchmarks/search.py --documents 1000000 --heap 2g
    .venv/bin/python benchmarks/search.py --gold                      # the lake's own gold (LAKEHOUSE_ROOT, Spark)

The engine is the lake's (LAKEHOUSE_ROOT / LAKEHOUSE_SEARCH_PORT): started when it is not running and stopped at
the end if this run started it. Documents go into their own index (`bench-documents`), deleted at the end unless
--keep. Queries (200): 50 subject words without diacritics, 40 with them, 30 quoted phrases, 40 numbers/symbols,
40 words + facet filters (type, year, district). Latency is the wall time of the client call (p50/p95) and the
engine's own `took`. Relevance (50): 25 subject-word queries without diacritics and 25 number/symbol queries
with the issuer's name (a number alone is ambiguous: numbering restarts every year and in every commune); the
known document must come first.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from lake.apps.search.mapping import fold
from lake.apps.search.query import SearchRequest, build_body, parse_response

INDEX = "bench-documents"


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, round(p / 100 * (len(values) - 1)))]


def documents(args, settings):
    if args.gold:
        from lake.apps.search.indexer import build_document, read_gold
        from lake.platform.spark import get_spark

        return [build_document(r) for r in read_gold(get_spark("bench-search", settings))]
    from lake.domain.reference_lists import load_reference
    from lakehouse_sample.search_documents import generate

    return generate(args.documents, load_reference(settings.reference_dir), seed=args.seed)


def build_queries(sample: list[dict], rnd: random.Random) -> tuple[list[dict], list[tuple[dict, str]]]:
    def words(doc, k=4):
        ws = [w for w in (doc.get("subject") or "").replace("Về việc", "").split() if len(w) > 1]
        start = rnd.randrange(max(1, len(ws) - k))
        return " ".join(ws[start:start + k])

    mixed: list[dict] = []
    for d in sample[:50]:
        mixed.append({"q": fold(words(d))})
    for d in sample[50:90]:
        mixed.append({"q": words(d)})
    for d in sample[90:120]:
        mixed.append({"q": f'"{words(d, 3)}"'})
    for d in sample[120:160]:
        spaced = fold(d["symbol"]).replace("/", " ").replace("-", " ")
        mixed.append({"q": d["symbol"] if rnd.random() < 0.5 else spaced})
    for d in sample[160:200]:
        mixed.append({"q": fold(words(d, 2)), "type": d["type_key"], "year": str(d["year"]),
                      "district": d["district_code"]})
    known: list[tuple[dict, str]] = []
    for d in sample[200:225]:
        known.append((d, fold((d.get("subject") or "").replace("Về việc", ""))))
    for d in sample[225:250]:
        known.append((d, f"{d['symbol']} {fold(d['issuer'])}"))
    return mixed, known


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--documents", type=int, default=5000)
    ap.add_argument("--gold", action="store_true", help="index the lake's gold instead of synthetic documents")
    ap.add_argument("--heap", default=None, help="engine heap when this run starts it (LAKEHOUSE_SEARCH_HEAP)")
    ap.add_argument("--seed", type=int, default=19)
    ap.add_argument("--keep", action="store_true", help="keep the benchmark index")
    ap.add_argument("--no-rerun", action="store_true", help="skip the incremental no-op re-run")
    args = ap.parse_args()

    import os

    if args.heap:
        os.environ["LAKEHOUSE_SEARCH_HEAP"] = args.heap
    from lake.apps.search.indexer import sync
    from lake.core.settings import get_settings
    from lake.platform.search_engine import SearchEngine

    settings = get_settings()
    engine = SearchEngine(settings)
    started = not engine.running()
    if started:
        engine.start()
    client = engine.client()
    try:
        if client.indices.exists(index=INDEX):
            client.indices.delete(index=INDEX)
        rnd = random.Random(args.seed)
        sample: list[dict] = []
        seen = 0

        def stream():
            nonlocal seen
            for doc in documents(args, settings):
                seen += 1
                if len(sample) < 250:
                    sample.append(doc)
                elif rnd.random() < 250 / seen:
                    sample[rnd.randrange(250)] = doc
                yield doc

        t0 = time.monotonic()
        run = sync(client, stream(), index=INDEX, chunk=500)
        client.indices.refresh(index=INDEX)
        build_s = time.monotonic() - t0
        pages = client.count(index=INDEX, body={"query": {"match_all": {}}})["count"]
        print(f"documents indexed        {run.added:>10,} ({'gold' if args.gold else 'synthetic'}), "
              f"{sum(d['page_count'] for d in sample) / max(1, len(sample)):.2f} pages/document in the sample")
        print(f"full (re-)index          {build_s:>10.1f} s   {run.added / build_s:,.0f} documents/s "
              "(generation + hashing + bulk)")
        if not args.no_rerun:
            t0 = time.monotonic()
            again = sync(client, documents(args, settings), index=INDEX, chunk=500)
            print(f"incremental no-op re-run {time.monotonic() - t0:>10.1f} s   changed {again.changed} "
                  "(regenerates and hashes every document, reads every indexed hash)")
        client.indices.forcemerge(index=INDEX, max_num_segments=1, request_timeout=3600)
        stats = client.indices.stats(index=INDEX)["indices"][INDEX]["total"]
        print(f"index size               {stats['store']['size_in_bytes'] / 2**30:>10.2f} GiB ({pages:,} documents)")

        rnd.shuffle(sample)
        mixed, known = build_queries(sample, rnd)
        wall, took = [], []
        for params in mixed * 2:  # first pass warms the caches; the second is measured
            req = SearchRequest.parse(**params)
            t = time.perf_counter()
            resp = client.search(index=INDEX, body=build_body(req))
            wall.append((time.perf_counter() - t) * 1000)
            took.append(resp["took"])
        wall, took = wall[len(mixed):], took[len(mixed):]
        print(f"latency of {len(mixed)} queries     p50 {pct(wall, 50):6.1f} ms  p95 {pct(wall, 95):6.1f} ms  "
              f"max {max(wall):6.1f} ms (client wall); engine took p50 {pct(took, 50):.0f} ms "
              f"p95 {pct(took, 95):.0f} ms")
        kinds = [("no diacritics", 0, 50), ("diacritics", 50, 90), ("phrase", 90, 120), ("number/symbol", 120, 160),
                 ("facets+filters", 160, 200)]
        for name, a, b in kinds:
            print(f"  {name:<16} p50 {statistics.median(wall[a:b]):6.1f} ms  p95 {pct(wall[a:b], 95):6.1f} ms")
        first = {"subject": 0, "number": 0}
        misses = []
        for i, (doc, q) in enumerate(known):
            req = SearchRequest.parse(q=q)
            res = parse_response(client.search(index=INDEX, body=build_body(req, facets=False)), req)
            kind = "subject" if i < 25 else "number"
            top = [r["document_code"] for r in res["results"][:1]]
            if top == [doc["document_code"]]:
                first[kind] += 1
            else:
                misses.append((q, doc["document_code"], top))
        total_first = first["subject"] + first["number"]
        print(f"relevance: known document first in {total_first}/{len(known)} = {100 * total_first / len(known):.0f} % "
              f"(subject words without diacritics {first['subject']}/25, number + issuer {first['number']}/25)")
        for q, code, top in misses[:5]:
            print(f"  miss: {q!r} -> {top} (wanted {code})")
    finally:
        if not args.keep and client.indices.exists(index=INDEX):
            client.indices.delete(index=INDEX)
        if started:
            engine.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
