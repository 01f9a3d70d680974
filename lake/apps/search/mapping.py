"""The shared document index: its name, Vietnamese analysis and field mapping.

One index document per shared document (văn bản), its pages as nested objects so a hit says on which page it
is and the page view can highlight the hits of one page. Vietnamese words are written as space-separated
syllables, so the standard tokenizer's tokens are syllables and phrase queries work on them
("ủy ban nhân dân"). Every text field has two forms:

- the field itself (`vi_exact`): lowercased, NFC, old-style tone placement mapped to the new one ("uỷ" →
  "ủy", "hoà" → "hòa"), diacritics kept;
- `.folded` (`vi_folded`): the same, then ASCII-folded ("Quyết định" → "quyet dinh", "đ" → "d").

A query is matched against both, the exact form boosted, so a query typed with the right diacritics ranks
exact-diacritic matches above folded ones, and a query typed without them still finds everything.
The number and symbol also get a normalised keyword (`symbol_key`: folded, upper case, letters and digits
only), so "155/QĐ-UBND", "155 QD UBND" and "155/qd-ubnd" all hit `155QDUBND`.

>>> symbol_key("155/QĐ-UBND") == symbol_key("155 QD UBND") == "155QDUBND"
True
>>> fold("Quyết định thành lập Ủy ban")
'quyet dinh thanh lap uy ban'
"""

from __future__ import annotations

import re
import unicodedata

INDEX_NAME = "lakehouse-documents"
#: bumped when the mapping or the analysis changes; the indexer then rebuilds the index from gold
MAPPING_VERSION = 1

# Old-style ("hoà", "uỷ") → new-style ("hòa", "ủy") tone placement, so both spellings meet in the exact field.
_TONES = {"\u0300": "grave", "\u0301": "acute", "\u0309": "hook", "\u0303": "tilde", "\u0323": "dot"}


def _old_style_pairs() -> list[tuple[str, str]]:
    pairs = []
    for first, second in (("o", "a"), ("o", "e"), ("u", "y")):
        for mark in _TONES:
            for upper in (False, True):
                a, b = (first.upper(), second) if upper else (first, second)
                old = unicodedata.normalize("NFC", a + b + mark)
                new = unicodedata.normalize("NFC", a + mark + b)
                pairs.append((old, new))
    return pairs


OLD_STYLE_TONES: list[tuple[str, str]] = _old_style_pairs()


def fold(text: str) -> str:
    """Lowercase, strip diacritics (đ → d): the Python twin of the `vi_folded` analyzer, for keys and tests."""
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return unicodedata.normalize("NFC", "".join(ch for ch in text if unicodedata.category(ch) != "Mn")).lower()


def symbol_key(text: str | None) -> str | None:
    """Number and symbol reduced to letters and digits, folded, upper case ('155/QĐ-UBND' → '155QDUBND')."""
    if not text:
        return None
    key = re.sub(r"[^0-9A-Za-z]", "", fold(text)).upper()
    return key or None


def settings_body() -> dict:
    text_filters = ["lowercase"]
    return {
        "number_of_shards": 1,
        "number_of_replicas": 0,
        "refresh_interval": "1s",
        "analysis": {
            "char_filter": {
                "vi_tone_style": {"type": "mapping",
                                  "mappings": [f"{old}=>{new}" for old, new in OLD_STYLE_TONES]},
            },
            "analyzer": {
                "vi_exact": {"type": "custom", "char_filter": ["vi_tone_style"], "tokenizer": "standard",
                             "filter": text_filters},
                "vi_folded": {"type": "custom", "char_filter": ["vi_tone_style"], "tokenizer": "standard",
                              "filter": [*text_filters, "asciifolding"]},
            },
            "normalizer": {
                "vi_keyword_folded": {"type": "custom", "filter": ["lowercase", "asciifolding"]},
            },
        },
    }


def _text(**extra) -> dict:
    return {"type": "text", "analyzer": "vi_exact",
            "fields": {"folded": {"type": "text", "analyzer": "vi_folded"}}, **extra}


def _page_text() -> dict:
    """Page text: offsets in the postings so the highlighter needs no re-analysis (cheaper than term vectors)."""
    return {"type": "text", "analyzer": "vi_exact", "index_options": "offsets",
            "fields": {"folded": {"type": "text", "analyzer": "vi_folded", "index_options": "offsets"}}}


def _text_keyword() -> dict:
    """Text searchable both ways, plus a keyword for facets and exact filters."""
    return _text(fields={"folded": {"type": "text", "analyzer": "vi_folded"},
                         "raw": {"type": "keyword", "ignore_above": 512}})


KEYWORD = {"type": "keyword"}


def mappings_body() -> dict:
    return {
        "dynamic": "strict",
        "_meta": {"mapping_version": MAPPING_VERSION},
        # `body` (all page texts, for the root-level match) is indexed but not kept in _source: pages hold the text
        "_source": {"excludes": ["body"]},
        "properties": {
            "document_code": KEYWORD,
            "record_code": KEYWORD,
            "content_hash": KEYWORD,
            "type_key": KEYWORD,
            "type_name": _text_keyword(),
            "number": {"type": "integer"},
            "symbol": _text(fields={"folded": {"type": "text", "analyzer": "vi_folded"},
                                    "raw": {"type": "keyword"}}),
            "symbol_key": KEYWORD,
            "document_date": {"type": "date", "format": "strict_date"},
            "year": {"type": "integer"},
            "issuer": _text_keyword(),
            "subject": _text(),
            "signer": _text(),
            "agency_code": KEYWORD,
            "agency_name": _text_keyword(),
            "district_code": KEYWORD,
            "district_name": KEYWORD,
            "old_commune_code": KEYWORD,
            "old_commune_name": KEYWORD,
            "new_commune_code": KEYWORD,
            "new_commune_name": KEYWORD,
            "block": KEYWORD,
            "retention": KEYWORD,
            "page_count": {"type": "integer"},
            "body": _text(),
            "pages": {
                "type": "nested",
                "properties": {
                    "n": {"type": "integer"},
                    "page_id": KEYWORD,
                    "text": _page_text(),
                    "image": {"type": "object", "enabled": False},
                },
            },
        },
    }


def index_body() -> dict:
    return {"settings": settings_body(), "mappings": mappings_body()}
