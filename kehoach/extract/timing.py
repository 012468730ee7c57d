"""The grammar of a task's time beyond a dated deadline (`data/time_grammar.toml`).

- a recurrence: `thường xuyên`, `định kỳ`, a period after `hằng`/`hàng`/`mỗi` (`hằng tuần`,
  `cuối mỗi tháng`);
- a clause that states only when the work is done, after the work: `...; thực hiện thường xuyên`,
  `...; triển khai giai đoạn 2027-2028`, `... (quý I/2027)`;
- a time counted from an event: `trong vòng 15 ngày kể từ ngày Kế hoạch được ban hành`;
- the reach of a time line that closes a group: only the points its label names (`Thời gian thực
  hiện điểm b`), and not the tasks with a time of their own where it says so (`trừ các nội dung
  đã ghi thời hạn riêng`).
"""

from __future__ import annotations

import re

from .. import data_toml

_G = data_toml("time_grammar.toml")


def _phrases(words: list[str]) -> str:
    """Phrases as one alternation: whole words, any whitespace between them, longest first."""
    return "|".join(r"\s+".join(map(re.escape, w.split())) for w in sorted(words, key=len, reverse=True))


_EVERY = rf"(?:cuối\s+)?(?:{_phrases(_G['recurrence']['every'])})\s+(?:{_phrases(_G['recurrence']['periods'])})"
_RECURS = rf"(?:{_phrases(_G['recurrence']['words'])}|{_EVERY})"
RECURRENCE = re.compile(rf"(?<!\w){_RECURS}(?!\w)", re.I)

# the words a time is written in: periods, their numbers, and the words that join them
_TIME_WORD = (
    rf"(?:{_RECURS}|giai\s+đoạn|quý|qúy|quí|tháng|năm|ngày|trong|vào|từ|đến|hết|cuối|đầu|và|"
    r"(?:IV|III|II|I)(?!\w)|\d+(?!\d)|[/\-–]|,(?=\s*(?:quý|tháng|năm|\d)))"
)
_VERB = _phrases(_G["timing_clause"]["verbs"])
# `; thực hiện thường xuyên`, `(quý I/2027)`, `. Thường xuyên.`; after a comma only with its verb
TIMING_CLAUSE = re.compile(
    rf"(?:(?:[;.]|^)\s*|\(\s*|,\s*(?=(?:{_VERB})\s))(?P<when>(?:(?:{_VERB})\s*:?\s*)?"
    rf"(?P<time>{_TIME_WORD}(?:\s*{_TIME_WORD})*))\s*\)?\s*[.;]?\s*$",
    re.I,
)
_DATED = re.compile(r"(?:19|20)\d{2}|(?:quý|qúy|quí)\s*(?:IV|III|II|I|[1-4])\b", re.I)


def timing_clause(text: str) -> str | None:
    """The clause closing a task that states only its time (`thực hiện thường xuyên`, `quý I/2027`),
    or None. A time inside the work's own wording (`cập nhật bản tin hằng tuần`) is no such clause."""
    m = TIMING_CLAUSE.search(text.strip())
    if not m or m.start() == 0 and not text.strip().startswith(("(", ";")):
        return None
    time = m["time"]
    return m["when"].strip(" ;.,()") if RECURRENCE.search(time) or _DATED.search(time) else None


_R = _G["relative"]
# `trong vòng 15 ngày kể từ ngày Kế hoạch được ban hành`, `chậm nhất 30 ngày sau khi Bộ ban hành`
RELATIVE = re.compile(
    rf"(?:(?:trong\s+(?:vòng|thời\s+hạn|thời\s+gian)|chậm\s+nhất(?:\s+là)?|không\s+quá|sau)\s+)?(?:\d{{1,3}}|một|hai|ba)\s+"
    rf"(?:{_phrases(_R['units'])})\s+(?:{_phrases(_R['from'])})\s+(?P<event>[^.;]*)",
    re.I,
)


def relative_time(text: str) -> str | None:
    """A time counted from an event with no date (`trong vòng 15 ngày kể từ ngày Kế hoạch được ban
    hành`), as written; None where there is none or the event is a date (`kể từ ngày 01/7/2026`)."""
    m = RELATIVE.search(text)
    if not m or re.match(r"(?:ngày\s*)?\d", m["event"], re.I):
        return None
    return m.group().strip(" ,")


_GT = _G["general_time"]
_YIELDS = re.compile(rf"[,;(]?\s*\b(?:{_phrases(_GT['except'])})\b[^;]*?\b(?:{_phrases(_GT['own'])})\b[^;)]*\)?", re.I)
_POINTS = re.compile(rf"\b(?:{_phrases(_GT['points'])})\s+(?P<list>[a-zđ]\)?(?:\s*(?:,|và)\s*[a-zđ]\)?)*)(?!\w)", re.I)


def yields_to_own(written: str) -> bool:
    """A group's time line that leaves a task's own time alone (`trừ các nội dung đã ghi thời hạn riêng`)."""
    return bool(_YIELDS.search(written))


def without_exception(written: str) -> str:
    """`Quý III/2027, trừ các nội dung đã ghi thời hạn riêng` → `Quý III/2027`."""
    return _YIELDS.sub("", written).strip(" ,;.")


def points_named(label: str) -> set[str] | None:
    """The points a time line's label limits it to (`Thời gian thực hiện điểm b` → {b}), or None for all."""
    m = _POINTS.search(label)
    return {p.lower() for p in re.findall(r"[a-zđ](?=\)?(?:\s*(?:,|và)|$))", m["list"], re.I)} if m else None


def covers(label: str, written: str, point: str | None, own_time: bool) -> bool:
    """Whether a time line closing a group reaches one of its tasks: a task of a point its label
    names (all where it names none), and one with no time of its own where the line yields to it."""
    named = points_named(label)
    if named is not None and (point or "").lower().strip("()") not in named:
        return False
    return not (own_time and yields_to_own(written))
