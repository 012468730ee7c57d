"""The report's figures at its cut-off: indicators against their targets, growth against the
scenario. A value counts when the period it describes has ended by the cut-off, whenever it was
recorded (figures for a period come out after it); which of a period's values counts is
`track.counting_value`, the store's rule too."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from .. import track
from ..errors import ReportError
from ..track.growth import PERIOD_QUARTERS, GrowthAnalysis, GrowthInput, Scenario, analyse, parse_scenario
from ..vn import Period, fold, parse_number
from .content import EXCEEDED, HARD, LIKELY, MET, MISSED, NO_DATA, NOT_DUE, IndicatorRow
from .wording import headline_period

CUMULATIVE_LABEL = {1: "-Q1", 2: "-H1", 3: "-9M", 4: ""}
_VERDICTS = {track.Evaluation.EXCEEDED: EXCEEDED, track.Evaluation.MET: MET, track.Evaluation.MISSED: MISSED}
_NUMBER = re.compile(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?")


def readings(values: list[dict], cutoff: date) -> list[track.Value]:
    """An indicator's recorded values for periods ended by the cut-off."""
    out = []
    for v in values:
        try:
            if Period.parse(v["period"]).end > cutoff:
                continue
        except ValueError:
            continue
        out.append(track.Value(v["id"], v["period"], v["value"], v["kind"], bool(v["cumulative"])))
    return out


def decimals_as_written(text: str, *values: float | None) -> int:
    """How many decimals the plan writes a target with: `đạt 8,0%` → 1 (the float says 8)."""
    best = 0
    for m in _NUMBER.finditer(text or ""):
        try:
            n = parse_number(m.group())
        except ValueError:
            continue
        if any(v is not None and abs(n - v) < 1e-9 for v in values) and "," in m.group():
            best = max(best, len(m.group().split(",")[1]))
    return best


def _verdict(j: track.Judgement) -> str:
    if j.final is not None:
        return _VERDICTS.get(j.evaluation, NO_DATA)
    if j.hard_to_meet:
        return HARD
    if j.projection is not None:
        return LIKELY
    return NOT_DUE if j.evaluation is track.Evaluation.NOT_DUE else NO_DATA


def indicator_row(ind: dict, period: Period, cutoff: date) -> IndicatorRow:
    """The indicator at the cut-off: the period's value, the same period last year, the verdict."""
    rs = readings(ind.get("values") or [], cutoff)
    chosen = track.counting_value(rs, period)
    previous = None
    if chosen is not None:
        prior = track.counting_value(rs, period.last_year(), ytd=track.year_to_date(chosen))
        previous = prior.value if prior else None
    comparator = ind.get("comparator") or "="
    ranged = comparator == "range"
    lower_better = bool(ind.get("lower_is_better"))
    target = track.Target(comparator, ind.get("target"), ind.get("min"), ind.get("max"), lower_better)
    years = track.target_years(ind.get("year"))
    judgement = track.judge(
        target,
        rs,
        year=max(years) if years else period.year,
        as_of=cutoff,
        single_year=len(set(years)) <= 1,
        is_additive=track.additive(ind["name"], ind.get("unit")),
    )
    rate = "%" in (ind.get("unit") or "")
    share = None
    if chosen is not None and track.year_to_date(chosen) and track.additive(ind["name"], ind.get("unit")):
        share = track.share_of_target(
            comparator, chosen.value, value=ind.get("target"), lo=ind.get("min"), lower_better=target.lower_better
        )
    low = ind.get("min") if ranged else ind.get("target")
    return IndicatorRow(
        name=ind["name"],
        unit=ind.get("unit"),
        actual=chosen.value if chosen else None,
        target=low,
        target_high=ind.get("max") if ranged else None,
        comparator=comparator,
        previous=previous,
        verdict=_verdict(judgement),
        share=share,
        estimate=chosen is not None and chosen.kind != "official",
        decimals=decimals_as_written(ind.get("text") or "", low, ind.get("max")),
        rate=rate,
    )


# --- growth -------------------------------------------------------------------------------------


@dataclass
class GrowthFigures:
    """Quarterly and published growth figures for the scenario's rows, and the kind of each
    (row → quarter or published period → estimate | official)."""

    figures: GrowthInput = field(default_factory=GrowthInput)
    kinds: dict[str, dict[int | str, str]] = field(default_factory=dict)

    def estimate(self, row: str, period: str) -> bool:
        """Whether the figure shown for `period` (`H1`, `Q2`…) is an estimate: published as one, or
        added up from quarters of which one is."""
        kinds = self.kinds.get(row, {})
        if period in kinds:
            return kinds[period] != "official"
        quarters = PERIOD_QUARTERS.get(period, ())
        return any(kinds.get(q, "estimate") != "official" for q in quarters)


def _growth_words(name: str) -> set[str]:
    filler = {"tang", "truong", "dat", "nganh", "khu", "vuc", "va", "trong", "tinh", "gia", "tri"}
    return {w for w in fold(name).replace("-", " ").replace(",", " ").split() if w not in filler}


def _scenario_row(name: str, scenario: Scenario) -> str | None:
    """The scenario row a growth indicator reports: `Tăng trưởng GRDP đạt` the total, `dịch vụ
    tăng` the services row; None for shares (`chiếm`) and other measures."""
    words = _growth_words(name)
    if "grdp" in words:
        return scenario.total.name
    rows = [r for r in scenario.rows if r.level and words and words <= _growth_words(r.name)]
    return min(rows, key=lambda r: r.level).name if rows else None


def growth_from_indicators(indicators: list[dict], scenario: Scenario, year: int, cutoff: date) -> GrowthFigures:
    """Quarterly growth (single-quarter values) and the published year-to-date figures of the
    growth indicators whose names match the scenario's rows, for periods ended by the cut-off."""
    out = GrowthFigures()
    for ind in indicators:
        if ind.get("unit") != "%" or "tang" not in fold(ind["name"]).split():
            continue
        row = _scenario_row(ind["name"], scenario)
        if row is None:
            continue
        quarters: dict[int, float] = {}
        reported: dict[str, float] = {}
        kinds = out.kinds.setdefault(row, {})
        for v in sorted(readings(ind.get("values") or [], cutoff), key=track.value_rank):
            label = v.period
            if label[:4] != str(year):
                continue
            rest = label[4:]
            key: int | str
            if rest[:2] == "-Q" and not v.cumulative:
                key = int(rest[2])
                quarters[key] = v.value
            elif rest[:2] == "-Q":  # year to date at the quarter's end
                key = CUMULATIVE_LABEL[int(rest[2])].lstrip("-") or "Y"
                reported[key] = v.value
            elif rest in ("-H1", "-9M", ""):
                key = rest.lstrip("-") or "Y"
                reported[key] = v.value
            else:
                continue
            kinds[key] = v.kind
        if quarters:
            out.figures.actual[row] = quarters
        if reported:
            out.figures.reported[row] = reported
    return out


def growth_for(
    data: dict,
    period: Period,
    scenario_index: int,
    entered: GrowthInput | None,
    indicators: list[dict],
    cutoff: date,
) -> tuple[GrowthAnalysis | None, bool]:
    """Growth against the plan's scenario from the entered figures, else from the growth values
    recorded for the plan's indicators; (None, …) without either. The flag: figures are estimates."""
    scenarios = data.get("scenarios") or []
    if not scenarios:
        return None, False
    if not 0 <= scenario_index < len(scenarios):
        raise ReportError(
            f"Kế hoạch có {len(scenarios)} kịch bản tăng trưởng; không có kịch bản số {scenario_index + 1}"
        )
    scenario = parse_scenario(scenarios[scenario_index])
    # figures entered from a workbook are taken as the statistics office's estimates
    found = GrowthFigures(entered) if entered is not None and entered.actual else None
    if found is None:
        found = growth_from_indicators(indicators, scenario, period.year, cutoff)
    figures = found.figures
    if not figures.actual and not figures.reported:
        return None, True
    upto = period.quarters
    actual = {k: {q: v for q, v in qs.items() if q <= upto} for k, qs in figures.actual.items()}
    reported = {
        k: {p: v for p, v in ps.items() if max(PERIOD_QUARTERS[p]) <= upto} for k, ps in figures.reported.items()
    }
    analysis = analyse(scenario, actual, figures.previous or None, target=figures.target, reported=reported)
    headline = headline_period(analysis)
    return analysis, headline is None or found.estimate(scenario.total.name, headline)
