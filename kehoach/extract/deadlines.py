"""Deadlines: `Quý II/2026`, `Tháng 4/2026`, `Trước ngày 31/01/2025`, `Thường xuyên`,
`Năm 2025 và những năm tiếp theo`, `ngay sau khi Trung ương ban hành` — to a due date,
whether the task recurs, and the event it waits for. A month, quarter or day without its year
(`Quý III`, `trước ngày 30 tháng 6`, `Cả năm`) is in the plan's year.

In a task's own words (`prose_deadline`): `hoàn thành trong tháng 9 năm 2026`, `chậm nhất trong
quý III`, `đến hết năm 2026`, `trong năm 2026 và các năm tiếp theo`; else the act of a body
above that the work waits for (`ngay sau khi Bộ X ban hành hướng dẫn`). The days of a periodic
report (`báo cáo năm trước ngày 15/12`, a clause that reports `định kỳ`) and of every year are not the
work's deadline; the day of a one-off report or submission is, where the task names no other.
Recurrences, timing clauses and times counted from an event: `timing`."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date

from ..model import Deadline
from ..vn import UPPER, month_end, parse_quarter
from .timing import RECURRENCE, relative_time, timing_clause

_QN = r"(?:IV|III|II|I|[1-4])\b"
_LIST = r"\s*(?:-|–|,|và|đến|hoặc)\s*"
# `Quý II/2026`, `quý 2 năm 2026`, `Quý I-II/2026`, `Quý II - Quý IV/2026`: the last one counts
_Q = rf"(?:quý|qúy|quí)\s*({_QN}(?:{_LIST}(?:quý\s*)?{_QN})*)"
_SEP = r"\s*(?:/|-|năm|,)\s*"
_YEAR = r"((?:19|20)\d{2})"

_MONTHS = rf"tháng\s*(\d{{1,2}}(?:{_LIST}(?:tháng\s*)?\d{{1,2}}(?!\d))*)(?!\d)"
QUARTER = re.compile(rf"{_Q}(?:{_SEP}{_YEAR})?", re.I)
MONTH = re.compile(
    rf"tháng\s*(\d{{1,2}}(?:{_LIST}(?:tháng\s*)?\d{{1,2}}(?!\d))*)(?:{_SEP}{_YEAR})?(?!\s*năm\s*\d{{1,2}}\b)", re.I
)
# `31/01/2025`, `30.4.2026`, `ngày 30 tháng 4 năm 2026` (not `tháng 3-4/2026`: one separator throughout)
FULL_DATE = re.compile(
    r"(?:ngày\s*)?(?P<d>\d{1,2})\s*(?P<sep>[/.-])\s*(?P<m>\d{1,2})\s*(?P=sep)\s*(?P<y>(?:19|20)\d{2})|"
    r"ngày\s*(?P<d2>\d{1,2})\s+tháng\s+(?P<m2>\d{1,2})\s+năm\s+(?P<y2>(?:19|20)\d{2})",
    re.I,
)


def full_dates(text: str) -> list[date]:
    """Every complete date a text writes, in order."""
    out = []
    for m in FULL_DATE.finditer(text):
        d = valid_date(int(m["y"] or m["y2"]), int(m["m"] or m["m2"]), int(m["d"] or m["d2"]))
        if d:
            out.append(d)
    return out


DAY_MONTH = re.compile(r"ngày\s*(\d{1,2})\s*(?:/|\s+tháng\s+)\s*(\d{1,2})(?!\d)(?!\s*(?:/|,?\s*năm)\s*\d)", re.I)
# `trước 15/8`, `chậm nhất 30/6`: a day and month after a cue, without `ngày`
CUED_DAY_MONTH = re.compile(r"(?:trước|chậm\s+nhất(?:\s+là)?|đến|hết|hạn)\s+(\d{1,2})\s*/\s*(\d{1,2})(?![\d/])", re.I)
HALF = re.compile(rf"(6|sáu)\s*tháng\s*(đầu|cuối)\s*năm(?:\s*{_YEAR})?", re.I)
NINE = re.compile(rf"9\s*tháng(?:\s*đầu)?\s*năm(?:\s*{_YEAR})?", re.I)
PERIOD = re.compile(rf"(?:giai đoạn|từ năm|thời kỳ)?\s*{_YEAR}\s*[-–]\s*{_YEAR}", re.I)
YEAR = re.compile(rf"(?:năm|cuối năm|trong năm|hết năm|đến năm|đầu năm)\s*{_YEAR}|^\s*{_YEAR}\s*$", re.I)
# `Cả năm`, `Trong năm`, `Cuối năm` in a time column: the plan's own year
THIS_YEAR = re.compile(r"^\s*(?:cả|trong|hết|cuối|đến\s+hết)\s+năm\s*$", re.I)
RANGE_END = re.compile(r"\btừ\b.+?\b(?:đến|tới)\s+((?:hết\s+|cuối\s+)?\S.*)$", re.I)
OPEN_RANGE = re.compile(r"^\s*(?:bắt\s+đầu\s+)?từ\s+(?!.*\b(?:đến|tới)\b)", re.I)
# `thường xuyên`, `định kỳ`, `hằng tuần`, `cuối mỗi tháng`: a time that comes back (data/time_grammar.toml)
RECURRING = RECURRENCE
CONDITION = re.compile(
    r"((?:ngay\s+)?(?:sau\s+khi|khi|ngay\s+khi|căn\s+cứ|theo\s+tiến\s+độ|theo\s+hướng\s+dẫn|"
    r"theo\s+yêu\s+cầu|theo\s+chỉ\s+đạo)\b.*)$",
    re.I,
)


# `trước mùa mưa năm 2026`, `trước Tết Nguyên đán`: a time of year that names no day
SEASON = re.compile(r"\b(?:mùa\s+(?:mưa(?:\s+bão)?|khô|lũ|bão)|Tết(?:\s+Nguyên\s+đán)?)\b", re.I)


def valid_date(y: int, m: int, d: int) -> date | None:
    """The date, or None where the day or month does not exist."""
    try:
        return date(y, m, d)
    except ValueError:
        return None


def due_date(text: str, default_year: int | None = None) -> date | None:
    """The last day a deadline phrase allows, or None where it names no date.

    A range gives its end (`từ ngày 11/9 đến hết năm 2026` → 31/12/2026); an open range
    (`từ quý II/2026`) names no date."""
    t = text.strip()
    m = RANGE_END.search(t)
    if m:
        t = m.group(1)  # `từ ... đến (hết) X`: X is the end
    elif OPEN_RANGE.match(t):
        return None
    candidates = full_dates(t)
    if candidates:
        return max(candidates) if " và " not in t else min(candidates)
    if default_year:
        for m in [*DAY_MONTH.finditer(t), *CUED_DAY_MONTH.finditer(t)]:
            d = valid_date(default_year, int(m.group(2)), int(m.group(1)))
            if d:
                return d
    m = HALF.search(t)
    if m and (m.group(3) or default_year):
        y = int(m.group(3) or default_year or 0)
        return date(y, 6, 30) if m.group(2).lower() == "đầu" else date(y, 12, 31)
    m = NINE.search(t)
    if m and (m.group(1) or default_year):
        return date(int(m.group(1) or default_year or 0), 9, 30)
    ends: list[date] = []
    for m in QUARTER.finditer(t):
        if m.group(2) or default_year:
            q = parse_quarter(re.findall(_QN, m.group(1), re.I)[-1])
            ends.append(month_end(int(m.group(2) or default_year or 0), q * 3))
    for m in MONTH.finditer(t):
        month = int(re.findall(r"\d{1,2}", m.group(1))[-1])
        if 1 <= month <= 12 and (m.group(2) or default_year):
            ends.append(month_end(int(m.group(2) or default_year or 0), month))
    if ends:
        return max(ends)
    m = PERIOD.search(t)
    if m:
        return date(int(m.group(2)), 12, 31)

    m = YEAR.search(t)
    if m:
        return date(int(m.group(1) or m.group(2)), 12, 31)
    return date(default_year, 12, 31) if default_year and THIS_YEAR.match(t) else None


def parse_deadline(text: str | None, default_year: int | None = None) -> Deadline | None:
    """Parse a deadline as written; None for an empty phrase."""
    if not text or not text.strip():
        return None
    written = re.sub(r"\s+", " ", text).strip().rstrip(".;,")
    relative = relative_time(written)
    if relative:  # `trong vòng 15 ngày kể từ ngày Kế hoạch được ban hành`: the event, no date
        return Deadline(written, None, bool(RECURRING.search(written)), relative)
    cond = CONDITION.search(written)
    condition = None
    if cond and not re.match(r"(?i)theo\s+(?:quy\s+định|kế\s+hoạch)", cond.group(1)):
        condition = _balanced(re.sub(r"^(?:ngay\s+)", "", cond.group(1), flags=re.I).strip())
    before = written[: cond.start()] if cond and condition else written
    seasonal = bool(SEASON.search(before))
    due = None if seasonal else due_date(before, default_year)
    recurring = bool(RECURRING.search(written))
    # an open range (`từ quý II/2026`) or a season is a deadline as written, with no day
    stated = seasonal or (OPEN_RANGE.match(before) is not None and _dated(before))
    if due is None and not recurring and condition is None and not stated:
        return None
    return Deadline(written, due, recurring, condition)


def _balanced(text: str) -> str:
    """`Tháng 11/2026 (sau khi Bộ ban hành)`: the aside's closing parenthesis is not the event's."""
    return text[:-1].rstrip() if text.endswith(")") and text.count(")") > text.count("(") else text


def _dated(text: str) -> bool:
    return bool(QUARTER.search(text) or MONTH.search(text) or full_dates(text) or YEAR.search(text))


OPENING = re.compile(
    r"^((?:Trước|Chậm nhất|Trong|Hoàn thành trước)\s+(?:ngày\s+)?[\d/ ]+(?:tháng\s+\d{1,2}\s+năm\s+\d{4})?|"
    r"(?:(?:Trong|Trước)\s+)?(?:quý|tháng)\s+[IV\d]+\s*(?:/|năm)\s*\d{4}|(?:Trong\s+)?năm\s+(?:19|20)\d{2})\s*[,:]",
    re.I,
)


def opening_deadline(text: str) -> str | None:
    """A deadline that opens a task: `Trước ngày 31/01/2025, xây dựng ...`."""
    m = OPENING.match(text)
    return m.group(1).strip() if m else None


_WHEN = (
    r"(?:ngày\s*\d{1,2}\s*(?:/|\s+tháng\s+)\s*\d{1,2}(?:\s*(?:/|\s+năm\s+)\s*(?:19|20)\d{2})?"
    r"|\d{1,2}\s*/\s*\d{1,2}\s*/\s*(?:19|20)\d{2}"
    r"|(?:quý|qúy|quí)\s*(?:IV|III|II|I|[1-4])\b(?:\s*(?:/|năm)\s*(?:19|20)\d{2})?"
    r"|tháng\s*\d{1,2}(?:\s*(?:/|năm)\s*(?:19|20)\d{2})?"
    r"|năm\s*(?:19|20)\d{2})"
)
_YEARS_AFTER = r"(?:các|những)\s+năm\s+(?:tiếp\s+theo|sau)"
# A deadline the task writes in its own words: `hoàn tất ... trước ngày 01 tháng 7 năm 2025`,
# `trước thời điểm 30/4/2026`, `đến hết năm 2025`, `xong trong quý II năm 2026`. A date that
# belongs to a cited document (`Quyết định số 12/QĐ-UBND ngày 15/3/2024`) follows none of these.
PROSE = re.compile(
    rf"(?:\b(?:trước|chậm\s+nhất(?:\s+là)?|muộn\s+nhất)\s+(?:(?:trong|vào)\s+)?(?:thời\s+điểm\s*)?{_WHEN}"
    rf"|\bđến\s+(?:hết|cuối)\s+{_WHEN}"
    rf"|\btừ\s+{_WHEN}\s+(?:đến|tới)\s+(?:hết\s+|cuối\s+)?{_WHEN}"
    r"|\b(?:trong|vào)\s+năm\s+(?:19|20)\d{2}(?=\s*(?:[.;]|$))"
    rf"|\bphấn\s+đấu\s+(?:đến|tới)\s+(?:hết\s+|cuối\s+)?(?:ngày\s+)?{_WHEN}"
    rf"|\b(?:trong|vào)\s+(?:{_Q}|{_MONTHS})(?:\s*(?:/|năm)\s*(?:19|20)\d{{2}}\b)?"
    r"|\b(?:trong|trước)\s+(?:6|06|sáu)\s+tháng\s+(?:đầu|cuối)\s+năm(?:\s+(?:19|20)\d{2})?"
    rf"|\b(?:hoàn\s+thành|hoàn\s+tất|xong)\b[^.;:()]{{0,60}}?\b(?:trong|trước)\s+{_WHEN}"
    rf"|\btrong\s+năm\s+(?:19|20)\d{{2}}\s+và\s+{_YEARS_AFTER}"
    r"|\btrước\s+(?:mùa\s+(?:mưa(?:\s+bão)?|khô|lũ|bão)|Tết(?:\s+Nguyên\s+đán)?)(?:\s+năm\s+(?:19|20)\d{2})?"
    # `thời gian tổ chức tháng 12/2027`: the time the task names for its work
    rf"|\bthời\s+gian\s+(?:tổ\s+chức|thực\s+hiện|hoàn\s+thành)\s*:?\s*(?:(?:trong|vào)\s+)?{_WHEN}"
    r")",
    re.I,
)
# `đào tạo 500 kỹ sư đến năm 2030.`: a count the work reaches by a year that closes the sentence
_BY_YEAR = re.compile(r"\bđến\s+năm\s+(?:19|20)\d{2}(?=\s*(?:[.;]|$))", re.I)
_COUNT = re.compile(r"(?<![\d/.,])\d+(?:[.,]\d+)*\s*(?:%|[^\W\d_]+)(?![/\-])", re.I)
# `Chiến lược phát triển ... đến năm 2030`, `tầm nhìn đến năm 2030`: the year of a document's name
_NAMED_BY_YEAR = re.compile(
    r"\b(?:chiến\s+lược|quy\s+hoạch|kế\s+hoạch|đề\s+án|chương\s+trình|nghị\s+quyết|quyết\s+định|"
    r"tầm\s+nhìn|định\s+hướng|giai\s+đoạn)\b",
    re.I,
)


def _counted_by_year(text: str) -> Deadline | None:
    """`đào tạo 500 kỹ sư đến năm 2030.`: the year by which the clause's count is reached."""
    m = _BY_YEAR.search(text)
    if not m:
        return None
    clause = re.split(r"[,.;:()]", text[: m.start()])[-1]
    if not _COUNT.search(clause) or _NAMED_BY_YEAR.search(clause):
        return None
    return parse_deadline(m.group(), None)


# `- Tập huấn pháp luật: quý III/2026.`: the work, then its time alone after a colon
_TIME_WORDS = r"(?:(?:quý|qúy|quí|tháng|năm|và|đến|hết)(?!\w)|[IV]+\b|\d+(?!\d)|[/,\-–\s])+?"
AFTER_COLON = re.compile(
    rf":\s*(?P<when>(?=(?:quý|qúy|quí|tháng|năm)\s*[\dIV]|\d{{1,2}}/\d{{1,2}}/\d{{4}}){_TIME_WORDS})\s*[.;]?\s*$", re.I
)


# `trước ngày 15 tháng 12 hằng năm`, `định kỳ trước ngày 20 ...`: a day that comes back, not a deadline
_EVERY = re.compile(r"\s*(?:h[ằà]ng|mỗi|của\s+(?:h[ằà]ng|mỗi))\s+(?:năm|tháng|quý|tuần)\b", re.I)
_PERIODIC_BEFORE = re.compile(r"\bđịnh\s+kỳ\s*(?:,\s*)?$", re.I)
# `báo cáo kết quả về Sở X trước ngày 25/11/2027`: the day of a report, the task's only where it
# names no other; `báo cáo năm (trước ngày 10/12/2026)`: the day of a periodic report, never the task's
_REPORT_DATE = re.compile(r"\bbáo\s+cáo\b[^;.]*$", re.I)
_PERIODIC_REPORT = re.compile(
    r"\bbáo\s+cáo\s+(?:định\s+kỳ\s+)?(?:năm|quý|tháng|6\s+tháng|06\s+tháng|sáu\s+tháng|định\s+kỳ)\b[^;.]*$", re.I
)


# `ngay sau khi Bộ Nội vụ ban hành hướng dẫn`, `sau khi có chủ trương của cấp có thẩm quyền`: the work
# waits for an act of a body above it, an event with no date (`sau khi được thông qua` names no one)
WAITS_FOR = re.compile(
    r"(?i:\b(?:ngay\s+)?sau\s+khi\s+)"
    rf"(?:(?:{UPPER}|(?i:cấp\s+có\s+thẩm\s+quyền|cấp\s+trên))[^.;:]{{0,80}}?"
    r"(?i:\b(?:ban\s+hành|phê\s+duyệt|thông\s+qua|hướng\s+dẫn|quyết\s+định|cho\s+phép)\b)"
    r"|(?i:(?:có|nhận\s+được)\s+(?:văn\s+bản\s+)?(?:hướng\s+dẫn|chủ\s+trương|quyết\s+định|ý\s+kiến)\b))"
    r"[^.;,]{0,60}"
)


def prose_deadline(text: str, default_year: int | None = None) -> Deadline | None:
    """The deadline a task writes in its own text, the latest where it writes several (the day of a
    one-off report or submission only where no other day is written); a time a clause of its own
    states (`...; thực hiện thường xuyên`, `(quý I/2027)`); else the event the work waits for
    (`ngay sau khi Bộ X ban hành hướng dẫn`, `trong vòng 15 ngày kể từ ngày ...`)."""
    found = [(d, _reported(text, m)) for m in PROSE.finditer(text) if _own(text, m) and (d := _parsed(m, default_year))]
    after = AFTER_COLON.search(text)
    if after and _dated(after["when"]) and (d := parse_deadline(after["when"], default_year)):
        found.append((d, False))
    clause = timing_clause(text)
    if clause and (d := parse_deadline(clause, default_year)) and (d.due or d.recurring):
        found.append((d, False))
    if by_year := _counted_by_year(text):
        found.append((by_year, False))
    work = [d for d, reported in found if not reported and d.due]
    dated = work or [d for d, _ in found if d.due]  # a day written beats a season (`trước mùa mưa`)
    recurs = any(d.recurring for d, _ in found)
    if dated:
        best = max(dated, key=lambda d: d.due or date.min)
        return replace(best, recurring=True) if recurs and not best.recurring else best
    kept = [d for d, _ in found if d.recurring or SEASON.search(d.text)]
    if kept:
        return kept[0]
    relative = relative_time(text)
    if relative:
        return Deadline(relative, None, False, relative)
    waits = next((m for m in WAITS_FOR.finditer(text) if _own(text, m)), None)
    return parse_deadline(waits.group(), default_year) if waits else None


def _parsed(m: re.Match[str], default_year: int | None) -> Deadline | None:
    return parse_deadline(_phrase(m.group()), default_year)


def _own(text: str, m: re.Match[str]) -> bool:
    """A time the task sets for its work, not the day of a periodic report or of every year."""
    return not (
        _EVERY.match(text, m.end())
        or _PERIODIC_BEFORE.search(text, max(0, m.start() - 20), m.start())
        or _periodic_report(_clause_at(text, m.start(), m.end()))
        or _PERIODIC_REPORT.search(text, max(0, m.start() - 80), m.start())
    )


def _reported(text: str, m: re.Match[str]) -> bool:
    """The day of a one-off report (`báo cáo kết quả về Sở X trước ngày 25/11/2027`)."""
    return bool(_REPORT_DATE.search(text, max(0, m.start() - 80), m.start()))


# `định kỳ hằng quý (trước ngày 18 ...) và năm (trước ngày 18/12) tổng hợp báo cáo ...`: a clause
# that reports periodically holds the days of its reports, wherever it writes them
_REPORTS = re.compile(r"\bbáo\s+cáo\b", re.I)
_PERIODICALLY = re.compile(r"\b(?:định\s+kỳ|h[ằà]ng\s+(?:tháng|quý|năm)|mỗi\s+(?:tháng|quý|năm))\b", re.I)
_CLAUSE_REACH = 400  # a clause is read this far either side of the date: time linear in the text
_CLAUSE_END = re.compile(r";|\.(?=\s|$)")


def _periodic_report(clause: str) -> bool:
    return bool(_REPORTS.search(clause) and _PERIODICALLY.search(clause))


def _clause_at(text: str, start: int, end: int) -> str:
    """The clause (between `;` or the ends of sentences) that holds text[start:end]."""
    lo, hi = max(0, start - _CLAUSE_REACH), min(len(text), end + _CLAUSE_REACH)
    begin = max(text.rfind(";", lo, start), text.rfind(". ", lo, start), lo - 1) + 1
    after = _CLAUSE_END.search(text, end, hi)
    return text[begin : after.start() if after else hi]


def _phrase(match: str) -> str:
    """`hoàn thành xóa nhà tạm, nhà dột nát trong năm 2025` → `trong năm 2025`."""
    starts = [m.start() for m in _PHRASE_START.finditer(match)]
    return match[starts[-1] :] if starts else match


_PHRASE_START = re.compile(
    r"\b(?:(?:trước|chậm\s+nhất(?:\s+là)?|muộn\s+nhất)(?:\s+(?:trong|vào)\b)?|đến\s+hết|trong|vào)\b", re.I
)


# `nội dung a) quý II/2026; nội dung b) quý IV/2026`: a time line that gives each point its own time
_POINT = re.compile(r"(?:^|[;,.:]\s*|\b(?:nội\s+dung|mục|điểm|ý|nhiệm\s+vụ)\s+)\(?([a-zđ]|\d{1,2})\)\s*", re.I)


def point_deadline(written: str, label: str) -> str | None:
    """The part of a time line that belongs to one point (`a`, `b`, `2`), or None where the line
    does not split its time by point."""
    marks = list(_POINT.finditer(written))
    ends = [m.start() for m in marks[1:]] + [len(written)] if marks else []
    for m, end in zip(marks, ends, strict=True):
        if m.group(1).lower() == label.lower():
            return written[m.end() : end].strip(" ;,.") or None
    return None
