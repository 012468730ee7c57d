"""Vietnamese syllables: what a well-formed syllable is, and how to re-split glued ones.

A Vietnamese syllable is (initial consonant) + vowel nucleus (+ final consonant),
with at most one tone mark. Text extracted from PDFs often loses the space between
syllables (`Chính phủvềnhiệm vụ`); such a token is no syllable, and its only
segmentations into syllables show where the spaces were. Where several exist, the
syllables common in administrative text win (a frequency list shipped as data).
"""

from __future__ import annotations

import math
import re
import unicodedata
from functools import cache, lru_cache

from .. import DATA

TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}  # huyền sắc ngã hỏi nặng

INITIALS = "ngh|ng|nh|ch|gh|gi|kh|ph|th|tr|qu|b|c|d|đ|g|h|k|l|m|n|p|r|s|t|v|x"
# Vowel nuclei (tone marks stripped), with their optional glides.
# Vowel nuclei (tone marks stripped) with their glides; `iê`, `yê`, `uô`, `ươ` only close
# a syllable with a final (`phiền`, never `phiề`).
NUCLEI = (
    "oai|oay|oao|oeo|uây|uôi|ươi|ươu|uya|uyu|iêu|yêu|"
    "ai|ao|au|ay|âu|ây|eo|êu|ia|iu|oa|oă|oe|oi|ôi|ơi|oo|ua|uâ|uê|ui|uơ|ưa|ưi|ưu|uy|"
    "a|ă|â|e|ê|i|o|ô|ơ|u|ư|y"
)
CLOSED_NUCLEI = "uyê|iê|yê|uô|ươ"
FINALS = "ch|ng|nh|c|m|n|p|t"

_SYLLABLE = re.compile(
    rf"(?:{INITIALS})?(?:(?:{CLOSED_NUCLEI})(?P<closed>{FINALS})|(?P<nucleus>{NUCLEI})(?P<final>{FINALS})?)"
)
# a nucleus that ends in a glide (`ai`, `ao`, `êu`, `ưu`) takes no final consonant
# (`uy` and `oo` do: `khuỳnh`, `xoong`)
_GLIDED = re.compile(r"^(?!uy$|oo$).+[iouy]$")
_VIET_ONLY = re.compile(r"[ăâđêôơưĂÂĐÊÔƠƯ\u0300\u0301\u0303\u0309\u0323]")


def strip_tone(s: str) -> tuple[str, int]:
    """Remove tone marks (keeping vowel-quality marks); return (base, tone count)."""
    d = unicodedata.normalize("NFD", s)
    tones = sum(1 for ch in d if ch in TONES)
    base = "".join(ch for ch in d if ch not in TONES)
    return unicodedata.normalize("NFC", base), tones


@lru_cache(maxsize=65536)
def is_syllable(word: str) -> bool:
    """True for a well-formed Vietnamese syllable (any case), e.g. `nghiệm`, `Đ`-words."""
    if not word or not word.isalpha():
        return False
    base, tones = strip_tone(word.lower())
    if tones > 1:
        return False
    m = _SYLLABLE.fullmatch(base)
    return m is not None and not (m["final"] and _GLIDED.match(m["nucleus"]))


def looks_vietnamese(word: str) -> bool:
    """True when the word carries letters or marks only Vietnamese uses."""
    return _VIET_ONLY.search(unicodedata.normalize("NFD", word)) is not None or bool(_VIET_ONLY.search(word))


@cache
def frequencies() -> dict[str, float]:
    """Log-frequencies of common syllables in administrative text (data file)."""
    text = (DATA / "syllables.txt").read_text("utf-8")
    freq: dict[str, float] = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            syl, _, n = line.partition("\t")
            freq[syl] = math.log(1 + int(n or 1))
    return freq


def split_glued(token: str) -> list[str] | None:
    """Split a token that is no syllable into syllables, or None when it should stay.

    A token with Vietnamese diacritics splits into any well-formed syllables (common
    ones preferred); a plain-letter token only into syllables all known to be common
    in administrative text (`theoquy` → `theo quy`). So `IPv6`, `ESG`, `COP26`,
    `Internet`, `logistics` stay as they are: they are no Vietnamese syllables.
    """
    if not token.isalpha() or is_syllable(token):
        return None
    plain = not looks_vietnamese(token)
    if plain and (not token.islower() or len(token) < 4):
        return None
    freq = frequencies()
    lower = token.lower()
    n = len(lower)
    # best[i] = (score, cut positions) for lower[:i]
    best: list[tuple[float, list[int]] | None] = [None] * (n + 1)
    best[0] = (0.0, [])
    for i in range(n):
        if best[i] is None:
            continue
        for j in range(i + 1, min(n, i + 7) + 1):
            piece = lower[i:j]
            if not is_syllable(piece) or (plain and freq.get(piece, 0.0) < 2.0):
                continue
            # each piece costs; common syllables cost less, so fewer and commoner pieces win
            score = best[i][0] - 10.0 + freq.get(piece, 0.0)
            if best[j] is None or score > best[j][0]:
                best[j] = (score, best[i][1] + [j])
    if best[n] is None or len(best[n][1]) < 2:
        return None
    cuts = [0, *best[n][1]]
    return [token[a:b] for a, b in zip(cuts, cuts[1:], strict=False)]


_DIGIT_WORD = re.compile(r"(?<=\d)(?=[^\W\d_]{2,})|(?<=[^\W\d_]{2})(?=\d)")


def split_digits(token: str) -> str:
    """`2050trên` → `2050 trên`, `năm2024` → `năm 2024`; `COP26`, `IPv6`, `km2` stay."""
    parts = _DIGIT_WORD.split(token)
    if len(parts) < 2:
        return token
    words = [p for p in parts if p.isalpha()]
    freq = frequencies()
    if words and all(
        is_syllable(w) and w.islower() and (looks_vietnamese(w) or freq.get(w, 0.0) >= 2.0) for w in words
    ):
        return " ".join(parts)
    return token
