"""The fixed vocabulary of administrative text, respelled where a scan's OCR lost a tone or a mark.

`chù trì` → `chủ trì`, `phối họp` → `phối hợp`, `Sờ Tài chính` → `Sở Tài chính`, `ỦY BAN NHÂN DÂN
TINH` → `ỦY BAN NHÂN DÂN TỈNH`: a run of words that reads, without diacritics, as one phrase of the
vocabulary (data/grammar.toml's `vocabulary`, the agencies' names and forms of data/agencies.toml,
the provinces of data/provinces.csv with their level) and has the phrase's capitals is that
phrase. Old and new tone placement (`hoá`, `hóa`) are one spelling, kept as written. Only a scan
misspells several: a typed document's own typo is kept (`repair` decides, document by document).
"""

from __future__ import annotations

import re
from functools import cache, lru_cache

from .. import data_csv, data_toml
from ..vn import fold
from .spelling import normalize

_WORD = re.compile(r"[^\W\d_]+")
Phrase = tuple[int, str, tuple[str, ...]]  # words, folded, the phrase's words


@cache
def _phrases() -> dict[str, list[Phrase]]:
    """The vocabulary by its folded first word, longest phrase first."""
    phrases = set(data_toml("grammar.toml")["vocabulary"]["phrases"])
    for e in data_toml("agencies.toml")["agency"]:
        # a name of two lower-case words (`các sở`) reads as others (`các số`)
        phrases.update(n for n in [e["name"], *e.get("forms", [])] if _distinct(n))
    phrases.update(_places())
    index: dict[str, list[Phrase]] = {}
    for phrase in phrases:
        words = tuple(_WORD.findall(normalize(phrase)))  # `Uỷ ban` and `Ủy ban` are one phrase
        if len(words) >= 2:
            index.setdefault(_fold(words[0]), []).append((len(words), _key(phrase), words))
    for found in index.values():
        found.sort(key=lambda p: (-p[0], p[2]))  # the same order in every process
    return index


def _places() -> list[str]:
    """`tỉnh Quảng Bình`, `thành phố Đà Nẵng`: every province named with its level."""
    return [
        f"{r['kind'] or 'tỉnh'} {r['name']}" for r in data_csv("provinces.csv") if not r["name"].startswith("Thành phố")
    ]


def _distinct(name: str) -> bool:
    words = _WORD.findall(name)
    return len(words) >= 3 or any(w[0].isupper() for w in words)


@lru_cache(maxsize=65536)
def _fold(word: str) -> str:
    return fold(word)


def _key(text: str) -> str:
    return re.sub(r"\s*[-–—]\s*", " - ", fold(text))


def respell(line: str) -> tuple[str, int]:
    """The line with its misspelled fixed phrases respelled, and how many there were."""
    words = list(_WORD.finditer(line))
    out, last, count, i = [], 0, 0, 0
    while i < len(words):
        match = _phrase_at(line, words, i)
        if match is None:
            i += 1
            continue
        n, spelled = match
        if spelled is not None:
            for w, new in zip(words[i : i + n], spelled, strict=True):
                out += [line[last : w.start()], new]
                last = w.end()
            count += 1
        i += n
    return "".join([*out, line[last:]]), count


def _phrase_at(line: str, words: list[re.Match[str]], i: int) -> tuple[int, list[str] | None] | None:
    """The phrase that begins at word i: its length, and its spelling where the text misspells it
    (None where the text spells it right)."""
    for n, key, phrase in _phrases().get(_fold(words[i].group()), []):
        if i + n > len(words):
            continue
        span = line[words[i].start() : words[i + n - 1].end()]
        if _key(span) != key:
            continue
        written = [w.group() for w in words[i : i + n]]
        if normalize(" ".join(written)).casefold() == normalize(" ".join(phrase)).casefold():
            return n, None
        spelled = _cased(written, phrase)
        if spelled is not None:
            return n, spelled
    return None


def _cased(written: list[str], phrase: tuple[str, ...]) -> list[str] | None:
    """The phrase in the text's case (`ỦY BAN` upper, a sentence's first word capitalised); None
    where the capitals differ (`sổ tài chính` is not `Sở Tài chính`)."""
    upper = all(w.isupper() for w in written) and any(len(w) > 1 for w in written)
    out = []
    for k, (w, p) in enumerate(zip(written, phrase, strict=True)):
        if not upper and p[0].isupper() != w[0].isupper() and not (k == 0 and w[0].isupper()):
            return None
        if normalize(w).casefold() == p.casefold():
            out.append(w)  # only what OCR broke is respelled
        else:
            out.append(p.upper() if upper else (p[0].upper() if w[0].isupper() else p[0]) + p[1:])
    return out
