"""Post-OCR correction of Vietnamese text: syllable grammar + a lexicon of the administrative domain.

Tesseract's typical damage on these pages is a wrong tone or vowel mark on an otherwise right word
(*chuyển đổi* → *chuyến đối*, *đầy đủ* → *đây đủ*), and the lower-case syllable read in capitals
(*hồ sơ* → *hồ SƠ*: S and Ơ have the same shape in both cases). Both are repaired without guessing:

1. **Phrases of the domain.** A run of 2-8 words whose letters without marks equal a phrase of the
   lexicon (the standard phrases of Nghị định 30/2020 and Hướng dẫn 36, agency and place names, titles,
   administrative vocabulary) takes the phrase's marks. Only the marks change, never a letter, and only
   where the whole run matches, so a lone *tổng*/*tống* is left alone.
2. **Case.** A word in capitals between lower-case words whose lower-case form is a valid syllable
   (`lake.domain.ocr.syllables`) is written in lower case; headings and abbreviations (QĐ-UBND) are untouched.
3. **Invalid syllables.** A word that is not a valid syllable and has exactly one lexicon word with the
   same letters takes that word's marks.

The raw OCR text is kept beside the corrected one (`bronze.ocr_pages.text` / `corrected_text`).

    >>> correct_text("kế hoạch chuyến đối số của hồ SƠ")
    'kế hoạch chuyển đổi số của hồ sơ'
    >>> correct_text("tổng số SƠ đồ")
    'tổng số sơ đồ'
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from functools import lru_cache

from lake.domain.ocr.syllables import is_valid_syllable

# standard phrases and vocabulary of administrative documents (NFC; case as usually printed)
DOMAIN_PHRASES = (
    # Nghị định 30/2020 and Hướng dẫn 36 fixed parts
    "Cộng hòa xã hội chủ nghĩa Việt Nam", "Độc lập - Tự do - Hạnh phúc", "Đảng Cộng sản Việt Nam",
    "Nơi nhận", "Kính gửi", "Căn cứ", "Như trên", "Như Điều", "Lưu: VT", "Về việc", "Xét đề nghị",
    "quy định", "tổ chức thực hiện", "chịu trách nhiệm thi hành", "kể từ ngày ký", "có hiệu lực",
    "Thủ tướng Chính phủ", "Chính phủ", "Ủy ban nhân dân", "Hội đồng nhân dân", "Mặt trận Tổ quốc",
    "Ban Thường vụ", "Ban Chấp hành", "Thường trực", "Văn phòng", "Chủ tịch", "Phó Chủ tịch", "Giám đốc",
    "Phó Giám đốc", "Bí thư", "Phó Bí thư", "Trưởng phòng", "Chánh Văn phòng", "Bộ Giáo dục và Đào tạo",
    "Sở Giáo dục và Đào tạo", "Sở Nội vụ", "Sở Y tế", "Sở Tài nguyên và Môi trường", "Công an",
    "Thành phố", "quận", "huyện", "thị xã", "phường", "thị trấn",
    # administrative vocabulary (two-syllable words and set phrases)
    "cơ quan", "đơn vị", "cán bộ", "công chức", "viên chức", "nhiệm vụ", "kế hoạch", "báo cáo", "tổng hợp",
    "tình hình", "kết quả", "thực hiện", "triển khai", "tiến độ", "đúng hạn", "kịp thời", "chỉ đạo",
    "phối hợp", "chặt chẽ", "giải quyết", "thủ tục hành chính", "hồ sơ", "tài liệu", "lưu trữ", "văn thư",
    "số hóa", "chỉnh lý", "chuyển đổi số", "dữ liệu", "cơ sở dữ liệu", "đặc tả", "hiện hành", "đầy đủ",
    "chất lượng", "hình ảnh", "bảo đảm", "an ninh chính trị", "trật tự an toàn xã hội", "ổn định",
    "phức tạp", "phát sinh", "khó khăn", "vướng mắc", "thẩm quyền", "xem xét", "đề nghị", "phê duyệt",
    "bổ sung", "biên chế", "kinh phí", "ngân sách", "nguồn ngân sách", "tổng số", "trên địa bàn",
    "địa phương", "thời gian", "địa điểm", "hội trường", "trụ sở", "phương tiện", "chuyên môn", "rà soát",
    "tồn đọng", "tăng cường", "tuần tra", "kiểm soát", "khu vực", "kiểm tra", "giám sát", "tuyên truyền",
    "hướng dẫn", "năm học", "tuyển sinh", "hội nghị", "tổng kết", "sơ kết", "phương hướng", "trọng tâm",
    "chủ động", "bố trí", "theo dõi", "đôn đốc", "tiếp nhận", "quản lý", "điều hành", "ban hành",
    "thành lập", "công tác", "phòng, chống", "thiên tai", "tiếp công dân", "đất đai", "xây dựng",
)


def fold(text: str) -> str:
    """Letters without marks, upper case ("Đổi" -> "DOI"); the same length as the NFC input."""
    out = []
    for c in text:
        base = unicodedata.normalize("NFD", c)[0]
        out.append("D" if c in "đĐ" else base.upper())
    return "".join(out)


_WORD_RX = re.compile(r"^(\W*)(.*?)(\W*)$", re.S)


def _split(token: str) -> tuple[str, str, str]:
    m = _WORD_RX.match(token)
    return (m.group(1), m.group(2), m.group(3)) if m else ("", token, "")


@lru_cache(maxsize=4)
def _lexicon(extra: tuple[str, ...]) -> tuple[dict[tuple[str, ...], tuple[str, ...]], dict[str, set[str]]]:
    phrases: dict[tuple[str, ...], tuple[str, ...]] = {}
    words: dict[str, set[str]] = {}
    for p in (*DOMAIN_PHRASES, *extra):
        toks = tuple(t for t in (_split(x)[1] for x in unicodedata.normalize("NFC", p).split()) if t)
        if not toks or not all(t.replace("-", "").isalpha() for t in toks):
            continue
        if len(toks) >= 2:
            phrases.setdefault(tuple(fold(t) for t in toks), toks)
        for t in toks:
            if t.isalpha():
                words.setdefault(fold(t), set()).add(t.lower())
    return phrases, words


def _with_case(source: str, target: str) -> str:
    """``target``'s marks in ``source``'s case pattern (all caps, capitalised, or lower)."""
    if source.isupper() and len(source) > 1:
        return target.upper()
    if source[:1].isupper():
        return target[:1].upper() + target[1:].lower()
    return target.lower()


def correct_tokens(tokens: Sequence[str], extra_phrases: Iterable[str] = ()) -> list[str]:
    """Corrected copy of one line's tokens (same count, same order: word boxes stay aligned)."""
    phrases, words = _lexicon(tuple(extra_phrases))
    toks = list(tokens)
    parts = [_split(t) for t in toks]
    cores = [p[1] for p in parts]
    n = len(toks)
    done = [False] * n
    # 1. phrases, longest first
    for size in (8, 7, 6, 5, 4, 3, 2):
        for i in range(0, n - size + 1):
            if any(done[i:i + size]):
                continue
            window = cores[i:i + size]
            if not all(w.isalpha() for w in window):
                continue
            target = phrases.get(tuple(fold(w) for w in window))
            if target is None:
                continue
            mixed = not all(w.isupper() for w in window)  # "hồ SƠ": the capitals are the OCR's, not the page's
            for k, (w, t) in enumerate(zip(window, target, strict=True)):
                cores[i + k] = t if (mixed and w.isupper() and len(w) > 1) else _with_case(w, t)
                done[i + k] = True
    # 2. capitals between lower-case words; 3. invalid syllables with one lexicon spelling
    for i, w in enumerate(cores):
        if done[i] or not w.isalpha():
            continue
        prev_low = i > 0 and cores[i - 1].isalpha() and cores[i - 1].islower()
        next_low = i + 1 < n and cores[i + 1][:1].islower()
        if len(w) >= 2 and w.isupper() and prev_low and next_low and is_valid_syllable(w.lower()):
            cores[i] = w.lower()
            continue
        if not is_valid_syllable(w.lower()):
            cands = words.get(fold(w), set())
            if len(cands) == 1:
                cores[i] = _with_case(w, next(iter(cands)))
    return [a + c + b for (a, _, b), c in zip(parts, cores, strict=True)]


def correct_text(text: str, extra_phrases: Iterable[str] = ()) -> str:
    """Corrected copy of a page's text, line by line (whitespace inside a line folded to one space)."""
    extra = tuple(extra_phrases)
    out = []
    for line in (text or "").split("\n"):
        toks = line.split()
        out.append(" ".join(correct_tokens(toks, extra)) if toks else line.strip())
    return "\n".join(out)


def correct_words(words: Sequence, extra_phrases: Iterable[str] = ()) -> list[str]:
    """Corrected text of each word box (objects or dicts with ``text`` and ``line``), line by line."""
    extra = tuple(extra_phrases)

    def get(w, k):
        return w.get(k) if isinstance(w, dict) else getattr(w, k)

    out = [str(get(w, "text")) for w in words]
    by_line: dict = {}
    for i, w in enumerate(words):
        by_line.setdefault(get(w, "line"), []).append(i)
    for idx in by_line.values():
        fixed = correct_tokens([out[i] for i in idx], extra)
        for i, t in zip(idx, fixed, strict=True):
            out[i] = t
    return out
