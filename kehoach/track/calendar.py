"""Reporting periods, deadlines and working days per Decree 09/2019/NĐ-CP. Pure: no database.

A reporting regime says how often a report is due and on which day; this module
turns it into dated occurrences (period, data cut-off window, deadline) and
counts working days around weekends and Vietnamese public holidays.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from .. import DATA
from ..vn import Period, month_end

FREQUENCIES = ("monthly", "quarterly", "semiannual", "annual", "once")
FREQUENCY_VI = {
    "monthly": "hằng tháng",
    "quarterly": "hằng quý",
    "semiannual": "6 tháng",
    "annual": "hằng năm",
    "once": "một lần",
}
_MONTHS = {"monthly": 1, "quarterly": 3, "semiannual": 6, "annual": 12}


@lru_cache(maxsize=1)
def holidays() -> dict[date, str]:
    """Public holidays (date → name) from `data/holidays.csv`."""
    text = (DATA / "holidays.csv").read_text("utf-8")
    lines = [ln for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]
    return {date.fromisoformat(r["date"]): r["name"] for r in csv.DictReader(lines)}


def is_working_day(d: date) -> bool:
    return d.weekday() < 5 and d not in holidays()


def next_working_day(d: date) -> date:
    """`d` itself if a working day, else the next one.

    Civil Code 2015, Art. 148: a period whose last day is a day off ends on the
    next working day.
    """
    while not is_working_day(d):
        d += timedelta(days=1)
    return d


def add_working_days(d: date, n: int) -> date:
    step = 1 if n >= 0 else -1
    while n:
        d += timedelta(days=step)
        if is_working_day(d):
            n -= step
    return d


def working_days_between(start: date, end: date) -> int:
    """Working days in (start, end]; negative when end is before start."""
    if end < start:
        return -working_days_between(end, start)
    return sum(1 for i in range(1, (end - start).days + 1) if is_working_day(start + timedelta(i)))


def _shift_month(year: int, month: int, delta: int) -> tuple[int, int]:
    m = year * 12 + (month - 1) + delta
    return m // 12, m % 12 + 1


def periods(frequency: str, start: date, end: date) -> list[Period]:
    """The periods of a frequency whose end falls within [start, end]."""
    months = _MONTHS.get(frequency)
    if months is None:
        return []
    out = []
    y, m = start.year, ((start.month - 1) // months) * months + 1
    while True:
        last_y, last_m = _shift_month(y, m, months - 1)
        p_end = month_end(last_y, last_m)
        if p_end > end:
            break
        if p_end >= start:
            kind = {1: "M", 3: "Q", 6: "H1" if m == 1 else "H2", 12: "Y"}[months]
            out.append(Period.containing(date(y, m, 1), kind))
        y, m = _shift_month(y, m, months)
    return out


def cutoff(frequency: str, period: Period) -> tuple[date, date]:
    """The data cut-off window of Decree 09/2019 Art. 12(1): the 15th before to the 14th."""
    last_y, last_m = period.end.year, period.end.month
    if frequency == "monthly":
        y, m = _shift_month(last_y, last_m, -1)
    elif frequency == "quarterly":
        y, m = _shift_month(last_y, last_m, -3)
    elif frequency in ("semiannual", "annual"):
        y, m = period.start.year - 1, 12
    else:
        return period.start, period.end
    return date(y, m, 15), date(last_y, last_m, 14)


@dataclass(frozen=True)
class Rule:
    """When a periodic report is due: `day` of the month `month_offset` months after the
    period's last month (0 = the last month itself, 1 = the month after)."""

    frequency: str
    day: int = 20
    month_offset: int = 0

    def due(self, period: Period) -> date:
        y, m = _shift_month(period.end.year, period.end.month, self.month_offset)
        return next_working_day(min(date(y, m, 1) + timedelta(self.day - 1), month_end(y, m)))


def default_rule(frequency: str) -> Rule:
    """Without a date in the plan: cut-off on the 14th (Decree 09), reports due by the 20th."""
    return Rule(frequency if frequency in _MONTHS else "quarterly", 20, 0)


def derive_rule(
    frequency: str, deadlines: list[date], stated: tuple[int, int] | None = None
) -> tuple[Rule, list[date]]:
    """Infer a periodic rule from a plan's dated deadlines; return it and the one-off dates left.

    "trước ngày 15 tháng cuối mỗi quý" with dates 15/3, 15/6, 15/9 gives quarterly, day 15,
    offset 0; a date outside the pattern (10/11 for the year's review) stays a one-off date.
    `stated` is the (day, month offset) the plan's words give (`ngày 15 tháng cuối quý`), which
    holds whatever the dates are.
    """
    if frequency not in _MONTHS:
        return default_rule(frequency), list(deadlines)
    months = _MONTHS[frequency]

    def place(d: date) -> tuple[int, int]:
        return d.day, (d.month - 1) % months - (months - 1)  # month within the period, from its last

    votes: dict[tuple[int, int], int] = {}
    for d in deadlines:
        votes[place(d)] = votes.get(place(d), 0) + 1
    if stated is None and not votes:
        return default_rule(frequency), []
    day, offset = stated or max(votes.items(), key=lambda kv: (kv[1], -kv[0][1]))[0]
    return Rule(frequency, day, offset), [d for d in deadlines if place(d) != (day, offset)]


@dataclass(frozen=True)
class Occurrence:
    """One report due: for a period (or a one-off date), with its cut-off window and deadline."""

    period: str
    due: date
    cutoff_start: date | None
    cutoff_end: date | None


def occurrences(rule: Rule | None, extra: list[date], start: date, end: date) -> list[Occurrence]:
    """Every report due in [start, end] under a rule plus one-off dates, by due date."""
    out: list[Occurrence] = []
    if rule is not None and rule.frequency in _MONTHS:
        # a period ending before `start` may still be due inside the window
        for p in periods(rule.frequency, start - timedelta(days=93), end):
            due = rule.due(p)
            if start <= due <= end:
                c0, c1 = cutoff(rule.frequency, p)
                out.append(Occurrence(p.code, due, c0, c1))
    for d in extra:
        due = next_working_day(d)
        if start <= due <= end:
            out.append(Occurrence(d.isoformat(), due, None, None))
    return sorted(out, key=lambda o: (o.due, o.period))
