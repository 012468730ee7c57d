"""Assignment grammar: who leads (chủ trì), who coordinates (phối hợp), who monitors
(theo dõi, đôn đốc, tổng hợp), as Vietnamese administrative sentences say it:
`X chủ trì, phối hợp với Y ...`, `X: Chủ trì, phối hợp với Y tham mưu ...`,
`Giao X ...`, `Đề nghị X ...`, `... gửi Z để tổng hợp`."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .agencies import Mention, registry

# Words that may stand between or before the agencies of one subject.
_CONNECTOR = re.compile(
    r"^(?:\s|,|;|:|\bvà\b|\bcùng\b|\bvới\b|\bcác\b|\bThủ trưởng\b|\bLãnh đạo\b|\bGiám đốc\b|\bChủ tịch\b|"
    r"\bngười đứng đầu\b|\bcơ quan\b|\bđơn vị\b|\bgồm\b|\bcó liên quan\b|\bliên quan\b|\btỉnh\b|-)*$",
    re.I,
)
_INTRO = re.compile(r"^(?:Giao\s+(?:cho\s+)?|Đề nghị\s+|Mời\s+|Yêu cầu\s+|Phân công\s+|Đồng chí\s+)", re.I)
_LEADING_CLAUSE = re.compile(r"^(?:Căn cứ|Trên cơ sở|Thực hiện|Theo)\b[^,;:]{0,200},\s*", re.I)
_COORD = re.compile(r"\bphối\s+hợp(?:\s+chặt\s+chẽ)?(?:\s+với|\s+cùng)?\s*", re.I)
_MONITOR = re.compile(
    r"(?:\bgửi\s+(?:về\s+)?(?:cho\s+)?|\bvề\s+)(?P<who>[^;]{3,120}?)\s+(?:để\s+)?(?:theo\s+dõi|tổng\s+hợp)",
    re.I,
)


@dataclass
class Assignment:
    lead: list[str] = field(default_factory=list)
    coordinate: list[str] = field(default_factory=list)
    monitor: list[str] = field(default_factory=list)
    subject_end: int = 0  # where the subject ends in the text (0 when none)

    @property
    def empty(self) -> bool:
        return not (self.lead or self.coordinate or self.monitor)


def _names(ms: list[Mention]) -> list[str]:
    out: list[str] = []
    for m in ms:
        if m.name not in out:
            out.append(m.name)
    return out


def leading_agencies(text: str, start: int = 0) -> tuple[list[Mention], int]:
    """The agencies that open `text[start:]`, separated only by connectors; and where they end."""
    found: list[Mention] = []
    pos = start
    for m in registry().mentions(text[start:]):
        gap = text[pos : start + m.start]
        if not _CONNECTOR.match(gap):
            break
        found.append(Mention(start + m.start, start + m.end, m.name, m.known))
        pos = start + m.end
    return found, pos


def coordinators(text: str) -> list[str]:
    """Agencies after `phối hợp (với)`, as long as they follow one another."""
    out: list[str] = []
    for m in _COORD.finditer(text):
        ms, _ = leading_agencies(text, m.end())
        for n in _names(ms):
            if n not in out:
                out.append(n)
    return out


def monitors(text: str, exclude: list[str]) -> list[str]:
    """Agencies the work is sent to for follow-up: `gửi Sở Tài chính để tổng hợp`."""
    out: list[str] = []
    for m in _MONITOR.finditer(text):
        ms, _ = leading_agencies(text, m.start("who"))
        for n in _names(ms):
            if n not in exclude and n not in out:
                out.append(n)
    return out


def subject(text: str) -> tuple[list[str], int]:
    """The agencies a sentence opens with (its grammatical subject), and where it ends."""
    t = text
    offset = 0
    m = _LEADING_CLAUSE.match(t)
    if m:
        offset = m.end()
    m = _INTRO.match(t[offset:])
    if m:
        offset += m.end()
    ms, end = leading_agencies(t, offset)
    if not ms:
        return [], 0
    # a subject must be followed by a verb phrase or a colon, not end a noun phrase
    return _names(ms), end


def parse_assignment(text: str) -> Assignment:
    """Assignment stated by one sentence or item."""
    lead, end = subject(text)
    if not lead:
        return Assignment(monitor=monitors(text, []))
    coord = [c for c in coordinators(text) if c not in lead]
    mon = monitors(text, lead + coord)
    return Assignment(lead, coord, mon, end)


_DUTY_WORDS = re.compile(
    r"^(?:có\s+trách\s+nhiệm\s+)?(?:tổ\s+chức\s+)?(?:triển\s+khai\s+)?(?:thực\s+hiện|tham\s+mưu)?"
    r"(?:\s+(?:các\s+)?(?:nhiệm\s+vụ|nội\s+dung|giải\s+pháp)(?:\s+sau(?:\s+đây)?|\s+như\s+sau|\s+cụ\s+thể)?)?"
    r"(?:\s+như\s+sau)?\s*$",
    re.I,
)


def is_assignment_heading(text: str) -> bool:
    """`b) Sở Xây dựng chủ trì, phối hợp với ...:`, `1. Sở Tư pháp:`, `Giao Văn phòng Sở`,
    `Các sở ... tổ chức thực hiện:` — a heading that only names who carries out what follows."""
    lead, end = subject(text)
    if not lead:
        return False
    rest = re.sub(r"\([^)]*\)", "", text[end:])
    rest = re.sub(r"^[\s,:]*(?:chủ\s+trì|thực\s+hiện)?[\s,]*", "", rest, flags=re.I)
    m = _COORD.match(rest)
    if m:
        _, e = leading_agencies(rest, m.end())
        rest = rest[e:]
    return bool(_DUTY_WORDS.match(rest.strip(" ,.:;")))
