"""Indicator rules: how a value compares with its target, and a year projected from its periods."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from functools import lru_cache
from typing import Protocol, TypeVar

from ..vn import Period, fold
from .status import ValidationError

# --- indicators -------------------------------------------------------------------------------


class Evaluation(StrEnum):
    EXCEEDED = "vượt"
    MET = "đạt"
    MISSED = "không đạt"
    NOT_DUE = "chưa đến hạn"
    NO_DATA = "chưa có số liệu"


COMPARATORS = ("=", ">=", ">", "<=", "<", "range", "qualitative")
_LOWER_WORDS = (
    "that nghiep",
    "no xau",
    "tu vong",
    "suy dinh duong",
    "tai nan",
    "lam phat",
    "chi so gia tieu dung",
    "ho ngheo",
    "ty le ngheo",
)
_NON_ADDITIVE_START = (
    "ty ",
    "toc do",
    "chi so",
    "tang truong",
    "gia tri san xuat",
    "tuoi",
    "so nam",
)


def lower_is_better(name: str, comparator: str, unit: str | None) -> bool:
    """True for ceilings, ranks and things to reduce (unemployment, bad debt, poverty rate).

    "Giảm tỷ lệ hộ nghèo 0,15%" sets the size of a reduction: higher is better.
    """
    if comparator in ("<", "<="):
        return True
    u, n = fold(unit or ""), fold(name)
    if u.startswith("/") or "thu hang" in u or "xep hang" in n:
        return True
    if n.startswith("giam"):
        return False
    return any(w in n for w in _LOWER_WORDS)


def additive(name: str, unit: str | None) -> bool:
    """Whether a year's value is the sum of its periods (money, counts), not a rate or level."""
    u, n = fold(unit or ""), fold(name)
    if not u or "%" in u or "/" in u or u in ("thu hang", "tuoi", "nam"):
        return False
    return not n.startswith(_NON_ADDITIVE_START)


def _cmp(a: float, b: float) -> int:
    if math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12):
        return 0
    return -1 if a < b else 1


def evaluate(
    comparator: str,
    actual: float | None,
    *,
    value: float | None = None,
    lo: float | None = None,
    hi: float | None = None,
    lower_better: bool = False,
) -> Evaluation:
    """Met, exceeded or missed for one value against one target.

    A qualitative target takes 1 (achieved) or 0 (not achieved).
    """
    if actual is None:
        return Evaluation.NO_DATA
    if comparator == "qualitative":
        return Evaluation.MET if actual >= 1 else Evaluation.MISSED
    if comparator == "range":
        if lo is None or hi is None:
            raise ValidationError("comparator", comparator, "khoảng cần cả min và max")
        below, above = _cmp(actual, lo) < 0, _cmp(actual, hi) > 0
        if not below and not above:
            return Evaluation.MET
        if lower_better:
            return Evaluation.EXCEEDED if below else Evaluation.MISSED
        return Evaluation.EXCEEDED if above else Evaluation.MISSED
    if value is None:
        raise ValidationError("value", value, f"chỉ tiêu '{comparator}' cần một giá trị")
    c = _cmp(actual, value)
    if comparator in ("<=", "<"):
        ok = c < 0 or (c == 0 and comparator == "<=")
        return Evaluation.MET if ok else Evaluation.MISSED
    if comparator == ">":
        return Evaluation.MET if c > 0 else Evaluation.MISSED
    if comparator not in ("=", ">="):
        raise ValidationError("comparator", comparator, f"phải là một trong {', '.join(COMPARATORS)}")
    if lower_better:
        c = -c
    return Evaluation.EXCEEDED if c > 0 else Evaluation.MET if c == 0 else Evaluation.MISSED


def share_of_target(
    comparator: str,
    actual: float | None,
    *,
    value: float | None = None,
    lo: float | None = None,
    lower_better: bool = False,
) -> float | None:
    """`actual` as a percentage of the target (*% kế hoạch năm*); None where that means nothing."""
    if actual is None or lower_better or comparator in ("<", "<=", "qualitative"):
        return None
    target = lo if comparator == "range" else value
    if not target:
        return None
    return round(actual / target * 100, 2)


def change_on_last_year(actual: float | None, last_year: float | None, *, points: bool = False) -> float | None:
    """Change on the same period of the previous year (*so cùng kỳ*): percent, or for
    rates (`points`) the difference in percentage points."""
    if actual is None or last_year is None:
        return None
    if points:
        return round(actual - last_year, 2)
    if not last_year:
        return None
    return round((actual / last_year - 1) * 100, 2)


@dataclass(frozen=True)
class Point:
    """An indicator value: the period it covers, its value, whether it is year-to-date."""

    period: Period
    value: float
    cumulative: bool


def project_annual(points: Sequence[Point], year: int, *, is_additive: bool) -> float | None:
    """A year's value projected from the values so far; None without a value in that year.

    Money and counts scale the year-to-date total to twelve months; rates and levels
    carry the latest year-to-date value forward.
    """
    pts = [p for p in points if p.period.start.year == year]
    full = [p for p in pts if p.period.start == date(year, 1, 1) and p.period.end == date(year, 12, 31)]
    if full:
        return full[-1].value
    jan1 = date(year, 1, 1)
    ytd = [p for p in pts if p.cumulative or p.period.start == jan1]
    if not is_additive:
        latest = max(ytd or pts, key=lambda p: (p.period.end, p.period.start), default=None)
        return None if latest is None else latest.value
    # year to date: a cumulative value, or consecutive period values from 1 January added up
    best = max(ytd, key=lambda p: p.period.end, default=None)
    total, end = (best.value, best.period.end) if best else (0.0, jan1 - timedelta(days=1))
    chain, covered = 0.0, jan1 - timedelta(days=1)
    for p in sorted((p for p in pts if not p.cumulative), key=lambda p: p.period.start):
        if p.period.start == covered + timedelta(days=1):
            chain += p.value
            covered = p.period.end
    if covered > end:
        total, end = chain, covered
    if end < jan1:
        return None
    months = (end.year - year) * 12 + end.month
    return round(total * 12 / months, 4) if months else None


# --- which value counts -----------------------------------------------------------------------


class Reading(Protocol):
    """An indicator value as the rules need it (a store row or a `Value`)."""

    @property
    def id(self) -> int: ...
    @property
    def period(self) -> str: ...
    @property
    def kind(self) -> str: ...
    @property
    def cumulative(self) -> bool: ...
    @property
    def value(self) -> float: ...


@dataclass(frozen=True)
class Value:
    """A recorded value: `period` is the period's code (`2025-Q2`), `kind` estimate or official."""

    id: int
    period: str
    value: float
    kind: str = "estimate"
    cumulative: bool = False
    on: date | None = None


R = TypeVar("R", bound=Reading)


@lru_cache(maxsize=4096)
def _period(code: str) -> Period:
    return Period.parse(code)


def year_to_date(r: Reading) -> bool:
    """A value from 1 January: recorded as cumulative, or for a period that starts the year."""
    p = _period(r.period)
    return bool(r.cumulative) or p.start == date(p.year, 1, 1)


def value_rank(r: Reading) -> tuple[bool, bool, int]:
    """Which of the values for one period counts: year to date over a single period (a target is
    for the year), official over estimate, the later revision over the earlier."""
    return (year_to_date(r), r.kind == "official", r.id)


def counting_value(readings: Iterable[R], period: Period, *, ytd: bool | None = None) -> R | None:
    """The value that counts for `period`: those filed for it, and the year-to-date figures filed
    under another period ending the same day (a quarter's, under the half, nine months or year it
    closes), ranked by `value_rank`. `ytd` keeps only year-to-date (True) or single-period (False)
    values, to compare like with like (the same period last year)."""
    found = [
        r
        for r in readings
        if _period(r.period).end == period.end
        and (r.period == period.code or year_to_date(r))
        and (ytd is None or year_to_date(r) == ytd)
    ]
    return max(found, key=value_rank, default=None)


def latest_value(readings: Iterable[R]) -> R | None:
    """The value of the latest period that has one (ranked by `value_rank` among that period's)."""
    rows = list(readings)
    if not rows:
        return None
    end = max(_period(r.period).end for r in rows)
    return max((r for r in rows if _period(r.period).end == end), key=value_rank)


def current_values(readings: Iterable[R]) -> list[R]:
    """One value per (period, cumulative): the one that counts, in period order."""
    best: dict[tuple[str, bool], R] = {}
    for r in readings:
        key = (r.period, bool(r.cumulative))
        if key not in best or value_rank(r) > value_rank(best[key]):
            best[key] = r
    return sorted(best.values(), key=lambda r: (_period(r.period).end, _period(r.period).start, r.cumulative))


@dataclass(frozen=True)
class Target:
    comparator: str
    value: float | None = None
    lo: float | None = None
    hi: float | None = None
    lower_better: bool = False

    def evaluate(self, actual: float | None) -> Evaluation:
        return evaluate(
            self.comparator, actual, value=self.value, lo=self.lo, hi=self.hi, lower_better=self.lower_better
        )


@dataclass(frozen=True)
class Judgement:
    """An indicator judged on a day: its evaluation, the year's value if known, the projection."""

    evaluation: Evaluation
    final: Reading | None = None
    projection: float | None = None
    hard_to_meet: bool = False


def judge(
    target: Target,
    readings: Sequence[Reading],
    *,
    year: int,
    as_of: date,
    single_year: bool = True,
    is_additive: bool = False,
) -> Judgement:
    """Evaluate against the target of `year` on `as_of`, from the values known then.

    The year's value decides once known; before the year ends the target is not due, and a
    projection of the year from its periods that misses the target makes it hard to meet.
    """
    current = current_values(readings)
    in_year = [r for r in current if _period(r.period).start.year == year]
    final = counting_value(in_year, Period(year))
    if final is not None:
        return Judgement(target.evaluate(final.value), final)
    due = as_of > date(year, 12, 31)
    evaluation = Evaluation.NO_DATA if due else Evaluation.NOT_DUE
    if not (single_year and in_year and target.comparator != "qualitative"):
        return Judgement(evaluation)
    points = [Point(_period(r.period), r.value, bool(r.cumulative)) for r in in_year]
    projection = project_annual(points, year, is_additive=is_additive)
    hard = projection is not None and target.evaluate(projection) is Evaluation.MISSED
    return Judgement(evaluation, None, projection, hard)


def target_years(text: str | None) -> list[int]:
    """`2025` → [2025]; `2026-2030` (or with an en dash) → [2026, 2030]; none → []."""
    return [int(y) for y in (text or "").replace("–", "-").split("-") if y.strip().isdigit()]
