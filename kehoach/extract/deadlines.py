"""Deadlines: `Quý II/2026`, `Tháng 4/2026`, `Trước ngày 31/01/2025`, `Thường xuyên`,
`Năm 2025 và những năm tiếp theo`, `ngay sau khi Trung ương ban hành` — to a due date,
whether the task recurs, and the event it waits for."""

from __future__ import annotations

import calendar
import re
from dataclasses import asdict, dataclass
from datetime import date

ROMAN_QUARTER = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}
_QN = r"(?:IV|III|II|I|[1-4])\b"
_LIST = r"\s*(?:-|–|,|và|đến|hoặc)\s*"
# `Quý II/2026`, `quý 2 năm 2026`, `Quý I-II/2026`, `Quý II - Quý IV/2026`: the last one counts
_Q = rf"(?:quý|qúy|quí)\s*({_QN}(?:{_LIST}(?:quý\s*)?{_QN})*)"
_SEP = r"\s*(?:/|-|năm|,)\s*"
_YEAR = r"((?:19|20)\d{2})"

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
        d = _valid(int(m["y"] or m["y2"]), int(m["m"] or m["m2"]), int(m["d"] or m["d2"]))
        if d:
            out.append(d)
    return out


DAY_MONTH = re.compile(r"ngày\s*(\d{1,2})\s*(?:/|\s+tháng\s+)\s*(\d{1,2})(?!\s*(?:/|năm)\s*\d)", re.I)
HALF = re.compile(rf"(6|sáu)\s*tháng\s*(đầu|cuối)\s*năm(?:\s*{_YEAR})?", re.I)
NINE = re.compile(rf"9\s*tháng(?:\s*đầu)?\s*năm(?:\s*{_YEAR})?", re.I)
PERIOD = re.compile(rf"(?:giai đoạn|từ năm|thời kỳ)?\s*{_YEAR}\s*[-–]\s*{_YEAR}", re.I)
YEAR = re.compile(rf"(?:năm|cuối năm|trong năm|hết năm|đến năm|đầu năm)\s*{_YEAR}|^\s*{_YEAR}\s*$", re.I)
RECURRING = re.compile(
    r"thường\s*xuyên|hằng\s*năm|hàng\s*năm|hằng\s*quý|hàng\s*quý|hằng\s*tháng|hàng\s*tháng|"
    r"định\s*kỳ|liên\s*tục|những\s*năm\s*tiếp\s*theo|các\s*năm\s*tiếp\s*theo|hằng\s*tuần|hàng\s*tuần",
    re.I,
)
CONDITION = re.compile(
    r"((?:ngay\s+)?(?:sau\s+khi|khi|ngay\s+khi|căn\s+cứ|theo\s+tiến\s+độ|theo\s+hướng\s+dẫn|"
    r"theo\s+yêu\s+cầu|theo\s+chỉ\s+đạo)\b.*)$",
    re.I,
)


@dataclass
class Deadline:
    text: str
    due: str | None
    recurring: bool
    condition: str | None

    def as_dict(self) -> dict:
        return asdict(self)


def _end_of_month(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _valid(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def due_date(text: str, default_year: int | None = None) -> date | None:
    """The last day a deadline phrase allows, or None where it names no date."""
    t = text.strip()
    candidates = full_dates(t)
    if candidates:
        return max(candidates) if " và " not in t else min(candidates)
    if default_year:
        for m in DAY_MONTH.finditer(t):
            d = _valid(default_year, int(m.group(2)), int(m.group(1)))
            if d:
                return d
    m = HALF.search(t)
    if m and (m.group(3) or default_year):
        y = int(m.group(3) or default_year)
        return date(y, 6, 30) if m.group(2).lower() == "đầu" else date(y, 12, 31)
    m = NINE.search(t)
    if m and (m.group(1) or default_year):
        return date(int(m.group(1) or default_year), 9, 30)
    ends: list[date] = []
    for m in QUARTER.finditer(t):
        if m.group(2) or default_year:
            q = ROMAN_QUARTER[re.findall(_QN, m.group(1), re.I)[-1].lower()]
            ends.append(_end_of_month(int(m.group(2) or default_year), q * 3))
    for m in MONTH.finditer(t):
        month = int(re.findall(r"\d{1,2}", m.group(1))[-1])
        if 1 <= month <= 12 and (m.group(2) or default_year):
            ends.append(_end_of_month(int(m.group(2) or default_year), month))
    if ends:
        return max(ends)
    m = PERIOD.search(t)
    if m:
        return date(int(m.group(2)), 12, 31)
    m = YEAR.search(t)
    if m:
        return date(int(m.group(1) or m.group(2)), 12, 31)
    return None


def parse_deadline(text: str | None, default_year: int | None = None) -> Deadline | None:
    """Parse a deadline as written; None for an empty phrase."""
    if not text or not text.strip():
        return None
    written = re.sub(r"\s+", " ", text).strip().rstrip(".;,")
    cond = CONDITION.search(written)
    condition = None
    if cond and not re.match(r"(?i)theo\s+(?:quy\s+định|kế\s+hoạch)", cond.group(1)):
        condition = re.sub(r"^(?:ngay\s+)", "", cond.group(1), flags=re.I).strip()
    before = written[: cond.start()] if condition else written
    due = due_date(before, default_year)
    recurring = bool(RECURRING.search(written))
    if due is None and not recurring and condition is None:
        return None
    return Deadline(written, due.isoformat() if due else None, recurring, condition)


OPENING = re.compile(
    r"^((?:Trước|Chậm nhất|Trong|Hoàn thành trước)\s+(?:ngày\s+)?[\d/ ]+(?:tháng\s+\d{1,2}\s+năm\s+\d{4})?|"
    r"(?:Trong|Trước)\s+(?:quý|tháng)\s+[IV\d]+\s*/\s*\d{4})\s*,",
    re.I,
)


def opening_deadline(text: str) -> str | None:
    """A deadline that opens a task: `Trước ngày 31/01/2025, xây dựng ...`."""
    m = OPENING.match(text)
    return m.group(1).strip() if m else None
