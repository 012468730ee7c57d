"""Growth against the scenario: gaps, sector contributions, cumulative and required growth.

Pure arithmetic over one plan/v1 scenario table, the actual growth entered per quarter and
sector (percent on the same quarter last year) and the previous year's GRDP by sector and
quarter at constant 2010 prices. A level this year is last year's level times (1 + growth):
cumulative growth is the sum of this year's levels over the sum of last year's, and a sector's
contribution is its change in level over last year's total GRDP, in percentage points.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from ..errors import GrowthError

_V = TypeVar("_V")

QUARTERS = (1, 2, 3, 4)
PERIODS = ("Q1", "Q2", "H1", "Q3", "9M", "Q4", "Y")
PERIOD_LABELS = {
    "Q1": "Quý I",
    "Q2": "Quý II",
    "H1": "6 tháng",
    "Q3": "Quý III",
    "9M": "9 tháng",
    "Q4": "Quý IV",
    "Y": "Cả năm",
}
# Which quarters each period adds up.
PERIOD_QUARTERS: dict[str, tuple[int, ...]] = {
    "Q1": (1,),
    "Q2": (2,),
    "H1": (1, 2),
    "Q3": (3,),
    "9M": (1, 2, 3),
    "Q4": (4,),
    "Y": (1, 2, 3, 4),
}
_COLUMN_PERIOD = {
    "quý i": "Q1",
    "quý ii": "Q2",
    "6 tháng": "H1",
    "quý iii": "Q3",
    "9 tháng": "9M",
    "quý iv": "Q4",
    "cả năm": "Y",
    "năm": "Y",
}



def sector_key(name: str) -> str:
    """The key sectors are matched by: NFC, case-folded, whitespace collapsed."""
    return " ".join(unicodedata.normalize("NFC", name).casefold().split())


def index_to_percent(index: float) -> float:
    """`107.27` (index on the same period last year) → `7.27` (percent growth)."""
    return round(index - 100.0, 10)


@dataclass(frozen=True)
class ScenarioRow:
    code: str | None
    name: str
    level: int  # 0 the total (GRDP), 1 a sector, 2 and deeper its branches
    targets: dict[str, float]  # period → planned growth in percent


@dataclass(frozen=True)
class Scenario:
    title: str
    rows: tuple[ScenarioRow, ...]

    @property
    def total(self) -> ScenarioRow:
        return self.rows[0]

    def row(self, name: str) -> ScenarioRow:
        key = sector_key(name)
        for r in self.rows:
            if sector_key(r.name) == key:
                return r
        known = ", ".join(r.name for r in self.rows)
        raise GrowthError(f"Ngành '{name}' không có trong kịch bản '{self.title}' (có: {known})")

    def sectors(self) -> list[ScenarioRow]:
        """The top-level sectors, whose levels add up to GRDP."""
        return [r for r in self.rows if r.level == 1]


def _level(code: str | None, previous: list[int]) -> int:
    if code is None or not code.strip():
        return 0
    c = code.strip()
    if re.fullmatch(r"[0-9]+|[IVX]+", c):
        return 1
    if re.fullmatch(r"[a-zđ]\)?", c):
        return 2
    # A bullet ("-", "+") is a branch of the last numbered or lettered row above it.
    parent = next((lv for lv in reversed(previous) if lv in (1, 2)), 1)
    return parent + 1


def parse_scenario(entry: Mapping) -> Scenario:
    """A plan/v1 `scenarios` entry → `Scenario`, indices turned into percent growth."""
    periods = []
    for col in entry["columns"]:
        period = _COLUMN_PERIOD.get(sector_key(str(col)))
        if period is None:
            raise GrowthError(
                f"Cột '{col}' của kịch bản '{entry.get('title', '')}' không phải kỳ đã biết "
                f"(Quý I..IV, 6 tháng, 9 tháng, Cả năm)"
            )
        periods.append(period)
    rows: list[ScenarioRow] = []
    levels: list[int] = []
    for raw in entry["rows"]:
        lv = _level(raw.get("code"), levels)
        levels.append(lv)
        targets = {p: index_to_percent(float(v)) for p, v in zip(periods, raw["values"], strict=False) if v is not None}
        rows.append(ScenarioRow(raw.get("code"), raw["name"], lv, targets))
    if not rows or rows[0].level != 0:
        # Keep the contract that rows[0] is the total even when the table has no total row.
        rows.insert(0, ScenarioRow(None, "Tổng sản phẩm trong tỉnh (GRDP)", 0, {}))
    return Scenario(str(entry.get("title", "")), tuple(rows))


@dataclass
class GrowthInput:
    """What is entered: actual growth (%) and last year's GRDP, by sector name and quarter."""

    actual: dict[str, dict[int, float]] = field(default_factory=dict)
    previous: dict[str, dict[int, float]] = field(default_factory=dict)
    target: float | None = None  # the annual GRDP target, %; the scenario's by default
    reported: dict[str, dict[str, float]] = field(default_factory=dict)  # period → % published


@dataclass(frozen=True)
class SectorResult:
    code: str | None
    name: str
    level: int
    scenario: dict[str, float]  # period → planned growth, %
    actual: dict[str, float] = field(default_factory=dict)  # period → actual growth, %
    gap: dict[str, float] = field(default_factory=dict)  # actual − planned, percentage points
    contribution: dict[str, float] = field(default_factory=dict)  # to GRDP growth, pp
    target: float | None = None  # the annual target, %
    required: float | None = None  # growth the remaining quarters need, %


@dataclass(frozen=True)
class GrowthAnalysis:
    title: str
    quarters_known: int  # quarters 1..n have actual figures
    rows: tuple[SectorResult, ...]

    @property
    def total(self) -> SectorResult:
        return self.rows[0]

    def row(self, name: str) -> SectorResult:
        key = sector_key(name)
        for r in self.rows:
            if sector_key(r.name) == key:
                return r
        raise GrowthError(f"Ngành '{name}' không có trong phân tích '{self.title}'")

    def periods(self) -> list[str]:
        """The periods that have actual figures, in table order."""
        return [p for p in PERIODS if max(PERIOD_QUARTERS[p]) <= self.quarters_known]


def _by_key(data: Mapping[str, _V], scenario: Scenario) -> dict[str, _V]:
    out: dict[str, _V] = {}
    for name, value in data.items():
        out[sector_key(scenario.row(name).name)] = value
    return out


def _quarters(values: Mapping[int, float] | Sequence[float | None]) -> dict[int, float]:
    pairs = values.items() if isinstance(values, Mapping) else zip(QUARTERS, values, strict=False)
    out: dict[int, float] = {}
    for q, v in pairs:
        if q not in QUARTERS:
            raise GrowthError(f"Quý {q} không hợp lệ: quý phải từ 1 đến 4")
        if v is not None:
            out[int(q)] = float(v)
    return out


def required_growth(previous: Mapping[int, float], current: Mapping[int, float], target: float) -> float | None:
    """Growth (%) the quarters without a current level need so the year reaches `target` %.

    None when every quarter is known already, or last year's remaining quarters sum to zero.
    """
    remaining = [q for q in QUARTERS if q not in current]
    base = sum(previous[q] for q in remaining)
    if not remaining or base == 0:
        return None
    needed = (1 + target / 100) * sum(previous[q] for q in QUARTERS)
    return (needed - sum(current.values())) / base * 100 - 100


def analyse(
    scenario: Scenario | Mapping,
    actual: Mapping[str, Mapping[int, float] | Sequence[float | None]],
    previous: Mapping[str, Mapping[int, float] | Sequence[float | None]] | None = None,
    *,
    target: float | None = None,
    reported: Mapping[str, Mapping[str, float]] | None = None,
) -> GrowthAnalysis:
    """Compare actual growth with the scenario.

    `actual`: sector name → quarter (1..4) → growth in percent (7.1 for +7.1 %); the total's
    may be given or left to be computed from the top-level sectors. `previous`: sector name →
    last year's GRDP per quarter (any one unit, constant 2010 prices); without it only the
    quarterly gaps can be computed. `target`: the annual GRDP target in percent, by default
    the scenario's `Cả năm`. `reported`: sector name → period (`H1`, `9M`, `Y`, ...) → growth
    as published, used where the levels are not there to compute it.
    """
    sc = scenario if isinstance(scenario, Scenario) else parse_scenario(scenario)
    growth = {k: _quarters(v) for k, v in _by_key(actual, sc).items()}
    prev = {k: _quarters(v) for k, v in _by_key(previous or {}, sc).items()}
    total_key = sector_key(sc.total.name)
    top = [sector_key(r.name) for r in sc.sectors()]

    # The total's previous levels and growth come from the top-level sectors where not given.
    if total_key not in prev and top and all(len(prev.get(k, {})) == 4 for k in top):
        prev[total_key] = {q: sum(prev[k][q] for k in top) for q in QUARTERS}
    levels: dict[str, dict[int, float]] = {
        k: {q: prev[k][q] * (1 + g / 100) for q, g in growth[k].items() if q in prev.get(k, {})} for k in growth
    }
    if total_key not in growth and total_key in prev:
        known = [q for q in QUARTERS if all(q in levels.get(k, {}) for k in top)]
        levels[total_key] = {q: sum(levels[k][q] for k in top) for q in known}
        growth[total_key] = {q: (levels[total_key][q] / prev[total_key][q] - 1) * 100 for q in known}

    given = {k: dict(v) for k, v in _by_key(reported or {}, sc).items()}
    for periods in given.values():
        for period in periods:
            if period not in PERIOD_QUARTERS:
                raise GrowthError(f"Kỳ '{period}' không hợp lệ: dùng {', '.join(PERIODS)}")
    known_quarters = sorted(growth.get(total_key, {}))
    n_known = 0
    while n_known < 4 and n_known + 1 in known_quarters:
        n_known += 1
    # A published 6-month figure says two quarters are in, even without the quarters.
    for period in given.get(total_key, {}):
        if PERIOD_QUARTERS[period][0] == 1:
            n_known = max(n_known, max(PERIOD_QUARTERS[period]))
    base_total = prev.get(total_key)

    rows = []
    for r in sc.rows:
        k = sector_key(r.name)
        g, p, y = growth.get(k, {}), prev.get(k, {}), levels.get(k, {})
        act: dict[str, float] = {}
        gap: dict[str, float] = {}
        contrib: dict[str, float] = {}
        published = given.get(k, {})
        for period in PERIODS:
            qs = PERIOD_QUARTERS[period]
            if len(qs) == 1 and qs[0] in g:
                act[period] = g[qs[0]]
            elif all(q in y for q in qs):
                act[period] = (sum(y[q] for q in qs) / sum(p[q] for q in qs) - 1) * 100
            elif period in published:
                act[period] = published[period]
            else:
                continue
            if period in r.targets:
                gap[period] = act[period] - r.targets[period]
            if base_total and all(q in y for q in qs):
                change = sum(y[q] - p[q] for q in qs)
                contrib[period] = change / sum(base_total[q] for q in qs) * 100
        annual = target if (r.level == 0 and target is not None) else r.targets.get("Y")
        need = None
        if annual is not None and len(p) == 4 and y and "Y" not in act:
            need = required_growth(p, y, annual)
        rows.append(SectorResult(r.code, r.name, r.level, dict(r.targets), act, gap, contrib, annual, need))
    return GrowthAnalysis(sc.title, n_known, tuple(rows))
