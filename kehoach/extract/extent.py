"""Where a name the registry does not know ends when its predicate closes it.

A unit's name is its head noun and a field that runs to the predicate: `Cục Biến đổi khí hậu chủ
trì`, `Trường Cán bộ quản lý nông nghiệp thực hiện`, `Viện Khoa học thủy lợi và môi trường có trách
nhiệm`. The word grammar of `agencies.py` stops such a name at its first verb-like syllable (`đổi`,
`quản`, `và`); here the name goes on where a few plain words run straight to a body's own predicate
(`chủ trì`, `phối hợp`, `thực hiện` ...) or to a verb of work written in two words (`tổ chức`,
`xây dựng`) after them, none of them a list word (`các`, `của`) or the head of a new body. The words are data
(`data/grammar.toml`, `[extent]`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache

from .. import data_toml

_WORD = re.compile(r"\S+")
_PLACED = re.compile(r"\s(?:(?i:tỉnh|huyện|xã|phường|quận|thị\s+xã|thành\s+phố)|Sở|Bộ)$")
_MAX_WORDS = 7  # words past the cut; a name longer than that is a sentence


@cache
def _grammar() -> tuple[re.Pattern[str], re.Pattern[str], frozenset[str], re.Pattern[str]]:
    g = data_toml("grammar.toml")["extent"]

    def phrases(words: list[str]) -> str:
        return "|".join(r"\s+".join(map(re.escape, w.split())) for w in sorted(words, key=len, reverse=True))

    closing = re.compile(rf"(?:{phrases(g['predicates'])})(?!\w)")
    opening = re.compile(rf"(?:{phrases(g['openers'])})(?!\w)")
    others = re.compile(rf"(?:{phrases(g['others'])})(?!\w)")
    return closing, opening, frozenset(g["field_heads"]), others


def closes_name(text: str, pos: int) -> bool:
    """A body's own predicate begins at `pos` (`chủ trì`, `có trách nhiệm`)."""
    return bool(_grammar()[0].match(text, pos))


def field_head_at(text: str, pos: int) -> bool:
    """`Kiểm lâm` in `Cục Lâm nghiệp và Kiểm lâm`: a head that also names a field, so after `và`
    it continues the name rather than opening a body of its own."""
    return any(text.startswith(h, pos) and not text[pos + len(h) : pos + len(h) + 1].isalpha() for h in _grammar()[2])


def extent(text: str, head: tuple[int, int], end: int, new_body: Callable[[int], bool]) -> int:
    """Where the name whose head spans `head`, cut at `end`, ends if plain words run from `end` to its
    predicate; `end` itself where they do not. `new_body(pos)` says a body's name begins at pos.
    A field cut after its first syllable (`Cục Biến`) also runs to the punctuation that closes the
    clause (`phối hợp với Cục Biến đổi khí hậu, ...`)."""
    words = text[head[0] : end].split()
    if not any(w[:1].isupper() for w in words[1:]):
        return end  # a field name is capitalised (`Cục Biến`); `Phòng tổ chức` is no name to extend
    if _PLACED.search(text, head[0], end):
        return end  # `Ban Chỉ đạo huyện`: a name that ends on its place is whole
    field = text[head[1] : end].split()
    # `Cục Biến`, `Trung tâm Khuyến nông và Xúc`: a capitalised field cut after its first syllable
    one_syllable = bool(field) and field[-1][:1].isupper() and (len(field) == 1 or field[-2] == "và")
    closing, opening, *_ = _grammar()
    last = end
    for k, m in enumerate(_WORD.finditer(text, end)):
        if text[last : m.start()].strip():
            return end
        if closing.match(text, m.start()):
            # `... thay thế và thực hiện`: two predicates joined, not a name
            return last if k and not text[:last].endswith(" và") else end
        word = m.group()
        verb = opening.match(text, m.start())
        if k and verb and " " in verb.group() and not opening.match(text, end + 1) and not text[:last].endswith(" và"):
            return last  # `Phòng Quản lý di tích tổ chức trưng bày`: a verb of work opens the predicate
        if k >= _MAX_WORDS or verb or new_body(m.start()) or _joins_people(text, m):
            return end
        bare = word.rstrip(",;.:")
        if not bare.isalpha():
            return end
        if bare != word:
            return m.start() + len(bare) if one_syllable else end
        last = m.end()
    # `2. Trung tâm Khuyến nông và Xúc tiến thương mại`: a heading's name runs to its end
    return last if one_syllable and not text[last:].strip() else end


def entry_name_end(text: str, end: int, stop: int, new_body: Callable[[int], bool]) -> int:
    """In a cell or a field each entry of the list is one name: plain words from `end` (where the word
    grammar cut an unknown name, `Cục Lâm nghiệp | và Kiểm lâm`) belong to it up to the entry's end
    `stop` or a body's own predicate (`(Đội X phụ trách)`); `end` where one opens a predicate, a
    list, people or a body of its own."""
    closing, opening, *_ = _grammar()
    words = list(_WORD.finditer(text, end, stop))
    last = end
    for k, m in enumerate(words):
        if closing.match(text, m.start()):
            return last
        word = m.group().rstrip(".")
        if k >= _MAX_WORDS or not word.isalpha() or opening.match(text, m.start()) or _joins_people(text, m):
            return end
        if new_body(m.start()) and not field_head_at(text, m.start()):
            return end
        last = m.start() + len(word)
    return last


def _joins_people(text: str, m: re.Match[str]) -> bool:
    """`Phòng Kinh tế và người dân`: `và` before people or other parties joins the body to them, not
    two parts of its field (`thủy lợi và môi trường`)."""
    return m.group() == "và" and bool(_grammar()[3].match(text, m.end() + 1))
