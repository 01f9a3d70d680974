"""Validator of written Vietnamese syllables (chữ Quốc ngữ), used to judge OCR output.

A syllable is written ``[initial] rhyme`` with exactly one tone (level tone = no mark) placed on the
nucleus. The rhyme is a written vowel cluster (which includes the medial ``o``/``u`` and the
semivowel finals ``i y o u``) optionally followed by a consonant final from ``c ch m n ng nh p t``.

Spelling constraints enforced (the ones that can be justified from the orthography):

* initial consonant from the closed set ``b c ch d đ g gh gi h k kh l m n ng ngh nh p ph qu r s t th tr v x``;
  ``q`` only as ``qu``;
* ``k gh ngh`` only before ``i y e ê`` (``ky`` as in *kỳ*), and ``c g ng`` never before ``i e ê``
  (``gi`` is the initial *gi*);
* after ``qu`` the rhyme cannot start with another ``u``/``o``/``ư``;
* only the vowel clusters and cluster+final combinations of the table ``_CLUSTERS`` exist;
* the stop finals ``c ch p t`` take only the sắc or nặng tone;
* at most one tone mark and it must sit on the nucleus.

Tone-placement policy (documented decision): for the open rhymes ``oa oe uy`` both the traditional
placement on the first vowel (*hòa, khỏe, thủy*) and the "new" placement on the main vowel
(*hoà, khoẻ, thuỷ*) are accepted, because both occur in administrative documents. Everywhere else a
single position is correct: on the vowel carrying a modifier (â ă ê ô ơ ư; the last one for ươ),
on the last vowel when a consonant final follows (*toán*, *hoàng*; so *tóan* is invalid), on the
middle vowel of three-vowel clusters (*ngoài*, *khuỷu*), else on the first vowel (*mía*, *múa*).

The module also offers ``iter_words``/``syllable_stats`` to find the words of a text worth
validating: numbers, punctuation, and abbreviations such as ``QĐ-UBND`` or ``TTr`` are skipped.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# combining tone marks (after NFD) -> tone name
TONE_MARKS = {
    "\u0300": "huyen",  # grave
    "\u0301": "sac",  # acute
    "\u0303": "nga",  # tilde
    "\u0309": "hoi",  # hook above
    "\u0323": "nang",  # dot below
}
_MODIFIERS = {"\u0302", "\u0306", "\u031b"}  # circumflex, breve, horn
_ALPHABET = set("aăâbcdđeêghiklmnoôơpqrstuưvxy")
_VOWELS = set("aăâeêioôơuưy")
_MODIFIED_VOWELS = set("ăâêôơư")

INITIALS = (
    "ngh", "ng", "nh", "ch", "gh", "gi", "kh", "ph", "th", "tr", "qu",
    "b", "c", "d", "đ", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "x",
)  # fmt: skip
FINALS = ("ch", "ng", "nh", "c", "m", "n", "p", "t")
STOP_FINALS = {"c", "ch", "p", "t"}

# Written vowel clusters -> allowed consonant finals ("" = open syllable allowed).
_ALL = ("c", "m", "n", "ng", "p", "t")
_CLUSTERS: dict[str, tuple[str, ...]] = {
    "a": ("", *_ALL, "ch", "nh"),
    "ă": _ALL,
    "â": _ALL,
    "e": ("", "c", "m", "n", "ng", "p", "t"),
    "ê": ("", "ch", "m", "n", "nh", "p", "t"),
    "i": ("", "ch", "m", "n", "nh", "p", "t"),
    "y": ("",),
    "o": ("", *_ALL),
    "oo": ("c", "ng"),  # xoong, soóc
    "ô": ("", *_ALL),
    "ơ": ("", "m", "n", "p", "t"),
    "u": ("", *_ALL),
    "ư": ("", "c", "m", "n", "ng", "t"),
    "ai": ("",), "ao": ("",), "au": ("",), "ay": ("",), "âu": ("",), "ây": ("",),
    "eo": ("",), "êu": ("",), "ia": ("",), "iu": ("",), "oi": ("",), "ôi": ("",), "ơi": ("",),
    "ua": ("",), "ui": ("",), "ưa": ("",), "ưi": ("",), "ưu": ("",),
    "iê": ("c", "m", "n", "ng", "p", "t"), "iêu": ("",),
    "yê": ("m", "n", "ng", "t"), "yêu": ("",),
    "uô": ("c", "m", "n", "ng", "t"), "uôi": ("",),
    "ươ": ("c", "m", "n", "ng", "p", "t"), "ươi": ("",), "ươu": ("",),
    "oa": ("", "c", "ch", "m", "n", "ng", "nh", "p", "t"), "oai": ("",), "oay": ("",), "oao": ("",),
    "oă": ("c", "m", "n", "ng", "t"),
    "oe": ("", "m", "n", "t"), "oeo": ("",),
    "uâ": ("c", "n", "ng", "t"), "uây": ("",),
    "uê": ("", "ch", "nh"), "uơ": ("",),
    "uy": ("", "ch", "n", "nh", "p", "t"), "uya": ("",), "uyu": ("",),
    "uyê": ("n", "t"),
}  # fmt: skip
_FRONT = ("i", "y", "e", "ê")
_DUAL_PLACEMENT = {"oa", "oe", "uy"}


@dataclass(frozen=True)
class Syllable:
    """A parsed syllable (lower case, untoned letters)."""

    initial: str
    cluster: str
    final: str
    tone: str  # "ngang" (no mark), "huyen", "sac", "nga", "hoi", "nang"


class InvalidSyllable(ValueError):
    """Raised by :func:`parse_syllable` with the reason the word is not a Vietnamese syllable."""


def _decompose(word: str) -> tuple[list[str], str, int | None]:
    """Split a word into untoned base letters (with modifiers, NFC) + the tone and its letter index."""
    letters: list[str] = []
    tone, tone_pos = "ngang", None
    for ch in unicodedata.normalize("NFD", word.lower()):
        if ch in TONE_MARKS:
            if tone_pos is not None:
                raise InvalidSyllable("more than one tone mark")
            if not letters:
                raise InvalidSyllable("tone mark without a letter")
            tone, tone_pos = TONE_MARKS[ch], len(letters) - 1
        elif ch in _MODIFIERS:
            if not letters:
                raise InvalidSyllable("vowel modifier without a letter")
            letters[-1] = unicodedata.normalize("NFC", letters[-1] + ch)
        elif unicodedata.combining(ch):
            raise InvalidSyllable(f"foreign diacritic U+{ord(ch):04X}")
        else:
            letters.append(ch)
    for letter in letters:
        if letter not in _ALPHABET:
            raise InvalidSyllable(f"letter {letter!r} is not in the Vietnamese alphabet")
    return letters, tone, tone_pos


def _tone_index(cluster: str, has_final: bool) -> set[int]:
    """Allowed positions (within the cluster) of the tone mark."""
    modified = [i for i, v in enumerate(cluster) if v in _MODIFIED_VOWELS]
    if modified:
        return {modified[-1]}
    if has_final:
        return {len(cluster) - 1}
    if cluster in _DUAL_PLACEMENT:
        return {0, 1}
    if len(cluster) == 3:
        return {1}
    return {0}


def parse_syllable(word: str) -> Syllable:
    """Parse one word as a Vietnamese syllable; raise :class:`InvalidSyllable` with the reason."""
    if not word:
        raise InvalidSyllable("empty")
    letters, tone, tone_pos = _decompose(word)
    text = "".join(letters)
    initial = next((i for i in INITIALS if text.startswith(i)), "")
    rest = text[len(initial) :]
    start = len(initial)  # letter index where the vowel cluster starts
    if text.startswith("q") and initial != "qu":
        raise InvalidSyllable("q must be followed by u")
    if initial == "gi" and (not rest or rest[0] not in _VOWELS or rest[0] == "ê"):
        # gì, gìn: the i of gi is the nucleus; giếng: gi + iê
        rest, start = "i" + rest, 1
    elif initial == "gi" and rest[0] == "i":
        raise InvalidSyllable("gii")
    final = ""
    for f in FINALS:
        if rest.endswith(f) and len(rest) > len(f):
            final = f
            break
    cluster = rest[: len(rest) - len(final)] if final else rest
    if not cluster:
        raise InvalidSyllable("no vowel")
    if any(c not in _VOWELS for c in cluster):
        raise InvalidSyllable(f"impossible letter sequence {rest!r}")
    if cluster not in _CLUSTERS:
        raise InvalidSyllable(f"no vowel cluster {cluster!r}")
    if final not in _CLUSTERS[cluster]:
        raise InvalidSyllable(f"cluster {cluster!r} does not take final {final!r}")
    first = cluster[0]
    if initial in ("k", "gh", "ngh") and first not in _FRONT:
        raise InvalidSyllable(f"{initial} only before front vowels (i y e ê)")
    if initial in ("c", "g", "ng") and first in ("i", "e", "ê"):
        raise InvalidSyllable(f"{initial} never before i e ê (use k/gh/ngh)")
    if initial in ("c",) and first == "y":
        raise InvalidSyllable("cy is written ky")
    if initial in ("gh", "ngh") and first == "y":
        raise InvalidSyllable(f"{initial}y is not written")
    if initial == "qu" and first in ("u", "o", "ư"):
        raise InvalidSyllable("qu cannot take another medial")
    if cluster.startswith("iê") and not initial:
        raise InvalidSyllable("iê without initial is written yê")
    if cluster.startswith("yê") and initial and initial != "qu":
        raise InvalidSyllable("yê after a consonant is written iê")
    if final in STOP_FINALS and tone not in ("sac", "nang"):
        raise InvalidSyllable(f"stop final {final!r} takes only sắc or nặng")
    if tone_pos is not None:
        allowed = {start + i for i in _tone_index(cluster, bool(final))}
        if tone_pos not in allowed:
            raise InvalidSyllable("tone mark not on the nucleus")
    return Syllable(initial if start == len(initial) else initial[:1], cluster, final, tone)


def is_valid_syllable(word: str) -> bool:
    """True when ``word`` (any case, NFC or NFD) is a well-formed Vietnamese syllable."""
    try:
        parse_syllable(word)
    except InvalidSyllable:
        return False
    return True


_TOKEN = re.compile(r"\S+")
_LIST_MARKER = re.compile(r"\(?[A-Za-zĐđ][).]")
_SPLIT = re.compile(r"[-/\u2010-\u2015.,;:!?\"'“”‘’()\[\]{}<>«»…]+")


def _is_abbreviation(word: str) -> bool:
    upper_inside = any(c.isupper() for c in word[1:])
    if not upper_inside:
        return False
    return (word.isupper() and not is_valid_syllable(word)) or not word.isupper()


def iter_words(text: str):
    """Yield the words of ``text`` that should be Vietnamese syllables.

    Skipped: tokens with digits (numbers, dates, ``155/QĐ-UBND``), punctuation, abbreviations
    (all-capital or camel-case tokens that are not syllables: ``QĐ``, ``UBND``, ``TTr``) and single
    ASCII consonants used as list markers (``a)``, ``b)``).
    """
    text = unicodedata.normalize("NFC", text)
    for token in _TOKEN.findall(text):
        if any(c.isdigit() for c in token) or _LIST_MARKER.fullmatch(token):
            continue
        for part in _SPLIT.split(token):
            if not part or not any(c.isalpha() for c in part):
                continue
            if _is_abbreviation(part):
                continue
            if len(part) == 1 and part.lower() in "bcdghklmnpqrstvx":
                continue
            yield part


def syllable_stats(text: str) -> tuple[int, int]:
    """(valid, total) counts of the candidate words of ``text``."""
    valid = total = 0
    for word in iter_words(text):
        total += 1
        valid += is_valid_syllable(word)
    return valid, total
