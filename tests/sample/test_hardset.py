"""The harder evaluation set: documents and their HTML, without running Chromium (pure Python)."""

import random

from lakehouse_sample.hardset import CITIES, FONTS, make_doc, render_html


def _docs(n=60, seed=17):
    rng = random.Random(seed)
    return [make_doc(k, random.Random(rng.randint(0, 2**31))) for k in range(1, n + 1)]


def test_documents_are_deterministic_and_varied():
    a, b = _docs(), _docs()
    assert [d for d, _ in a] == [d for d, _ in b]
    docs = [d for d, _ in a]
    assert len({d.font for d in docs}) >= 5 and set(d.font for d in docs) <= set(FONTS)
    assert {d.city for d in docs} == {c for c, _, _ in CITIES}
    assert any(d.handwritten for d in docs) and any(d.secrecy for d in docs) and any(d.personal for d in docs)
    assert any(d.appendix for d in docs) and any(d.layout_style == "hd36" for d in docs)


def test_symbols_follow_the_numbering_rules():
    for d, _ in _docs():
        assert d.symbol.startswith(f"{d.number}-" if d.layout_style == "hd36" else f"{d.number}/")
        if d.type_code == "CV":
            assert d.subject.startswith("V/v ")


def test_html_carries_the_header_the_truth_describes():
    for d, extra in _docs(20):
        html = render_html(d, extra)
        header = html.split("</table>", 1)[0]  # the two-column header table
        assert d.signer in html and d.signer_title in html
        if "number" in d.handwritten:
            assert "Z003" in header and d.symbol not in header  # the number is written in, in another hand
        else:
            assert d.symbol in header
        assert ("MẬT" in html) == bool(d.secrecy)
