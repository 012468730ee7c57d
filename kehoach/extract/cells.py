"""The bodies a table cell or a field lists.

A cell lists bodies one per entry (`Sở Y tế; Công an tỉnh`, `Viễn thông Bắc Ninh, Bưu điện tỉnh`):
each entry opens with a capital, so the grammar's names are kept with every other capitalised entry
as written, a lower-case part after a comma belongs to the name before it, and an entry that names
people, a remit, a time or a source of funds is no body.
"""

from __future__ import annotations

import re

from .agencies import HEAD_RE, STOP_OPENERS, Mention, canonical, registry
from .extent import entry_name_end
from .lexicon import alternation

_PERSONS = re.compile(
    r"^(?:các\s+)?(?:cán\s+bộ|công\s+chức|viên\s+chức|người\s+lao\s+động|nghệ\s+sĩ|nghệ\s+nhân|học\s+sinh|"
    r"sinh\s+viên|đoàn\s+viên|hội\s+viên|nhân\s+dân|người\s+dân|đồng\s+chí|đ/c|chuyên\s+viên|trưởng|phó|"
    r"chủ\s+tịch|giám\s+đốc|bí\s+thư)\b",
    re.I,
)


_NO_BODY = re.compile(rf"{alternation('cell_not_bodies')}(?!\w)", re.I)


def cell_agencies(cell: str) -> list[str]:
    """The agencies a table cell or a field lists: those the grammar finds, and each other
    capitalised entry of the list as written (`Viễn thông Bắc Ninh`); people are not agencies."""
    found = cell_mentions(cell)
    named = [(m.start, m.name) for m in found]
    covered = [(m.start, m.end) for m in found]
    for piece in re.finditer(r"[^,;\n]+", cell):
        name = piece.group().strip(" .:")
        head = HEAD_RE.match(name)
        if name and head and name[0].islower() and name[head.end() + 1 : head.end() + 2].isupper():
            name = name[0].upper() + name[1:]  # `trường Khoa học liên ngành`: a head written in lower case
        if not name or not name[0].isupper() or len(name.split()) > 8 or _PERSONS.match(name) or _NO_BODY.match(name):
            continue
        if any(a < piece.end() and piece.start() < b for a, b in covered):
            continue
        named.append((piece.start(), canonical(name)))
    return list(dict.fromkeys(name for _, name in sorted(named, key=lambda x: x[0])))


# `, phân tích môi trường`: a lower-case part after a comma, up to the next entry of the list
_CELL_PART = re.compile(r",\s+(?P<part>[^\W\d_][^,;()]*?)\s*[.]?(?=\s*[,;]|\s*$)")


def cell_mentions(cell: str) -> list[Mention]:
    """The bodies a cell or a field lists: each entry opens with a capital, so a lower-case part after
    a comma belongs to the name before it (`Trung tâm Quan trắc, phân tích môi trường`) unless it
    names bodies of its own (`các sở, ngành`) or opens a predicate."""
    out = []
    for m in registry().mentions(cell, True):
        part = _CELL_PART.match(cell, m.end)
        text = part.group("part") if part and not m.known else ""
        if part and text[:1].islower() and not _joins_no_name(text):
            m = Mention(m.start, part.end("part"), canonical(cell[m.start : part.end("part")]), False)
        out.append(_whole_entry(cell, m))
    return out


def _whole_entry(cell: str, m: Mention) -> Mention:
    """`Cục Biến đổi khí hậu`, `Cục Trồng trọt và Bảo vệ thực vật` alone in their entry: a name the
    registry does not know runs to the end of its entry, where the word grammar cut it at a verb-like
    syllable or at `và`."""
    if m.known:
        return m
    stop = _ENTRY_END.search(cell, m.end)
    end = entry_name_end(cell, m.end, stop.start() if stop else len(cell), lambda at: _body_at(cell, at))
    return Mention(m.start, end, canonical(cell[m.start : end]), False) if end > m.end else m


_ENTRY_END = re.compile(r"[,;\n(]")


def _body_at(cell: str, at: int) -> bool:
    """A body's name begins at `at`: a capitalised head (`Sở`, `Trường`; `trường` is a word) or a
    name the registry knows (`UBND các xã`)."""
    if cell[at : at + 1].isupper() and HEAD_RE.match(cell, at):
        return True
    found = registry().mentions(cell[at:], True)
    return bool(found) and found[0].start == 0


def _joins_no_name(part: str) -> bool:
    """The part after a comma opens another entry: a list word (`các`), a body's head in lower case
    (`trạm y tế xã`) or bodies the registry knows (`đơn vị liên quan`)."""
    return part.split()[0] in STOP_OPENERS or bool(HEAD_RE.match(part)) or bool(registry().mentions(part))


def find_in_cell(cell: str) -> list[str]:
    return list(dict.fromkeys(m.name for m in cell_mentions(cell)))
