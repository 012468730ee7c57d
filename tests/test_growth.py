"""Growth arithmetic against hand-computed examples (the working is written beside each)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kehoach.track.growth import (
    GrowthError,
    analyse,
    index_to_percent,
    parse_scenario,
    required_growth,
)

GOLD = Path("/work/shared/eval/gold/002_23dbc6410858588b.json")

# A two-sector province. Scenario indices: GRDP 106/105/105.5/108/.../107 for the year.
SCENARIO = {
    "title": "Kịch bản thử",
    "columns": ["Quý I", "Quý II", "6 tháng", "Quý III", "9 tháng", "Quý IV", "Cả năm"],
    "rows": [
        {
            "code": None,
            "name": "Tổng sản phẩm trong tỉnh (GRDP)",
            "values": [106.0, 105.0, 105.5, 108.0, 106.5, 108.0, 107.0],
        },
        {
            "code": "1",
            "name": "Nông nghiệp",
            "values": [102.0, 103.0, 102.5, 103.0, 102.7, 103.0, 103.0],
        },
        {
            "code": "2",
            "name": "Công nghiệp",
            "values": [108.0, 106.0, 107.0, 110.0, 108.0, 111.0, 110.0],
        },
    ],
}
# Last year's GRDP (tỷ đồng, giá so sánh 2010):
#   Nông nghiệp   Q1 100  Q2 100  Q3 100  Q4 100   year  400
#   Công nghiệp   Q1 200  Q2 200  Q3 300  Q4 300   year 1000
#   GRDP          Q1 300  Q2 300  Q3 400  Q4 400   year 1400
PREVIOUS = {"Nông nghiệp": [100, 100, 100, 100], "Công nghiệp": [200, 200, 300, 300]}
# Actual growth: Q1 Nông nghiệp 2 %, Công nghiệp 8 %; Q2 4 % and 5 %.
ACTUAL = {"Nông nghiệp": {1: 2.0, 2: 4.0}, "Công nghiệp": {1: 8.0, 2: 5.0}}


def test_index_to_percent() -> None:
    assert index_to_percent(107.27) == pytest.approx(7.27)
    assert index_to_percent(92.70) == pytest.approx(-7.30)


def test_scenario_levels_from_gold_appendix_iii() -> None:
    entry = json.loads(GOLD.read_text(encoding="utf-8"))["scenarios"][0]
    sc = parse_scenario(entry)
    levels = {r.name: r.level for r in sc.rows}
    assert sc.total.name == "Tổng sản phẩm trong tỉnh (GRDP)" and sc.total.level == 0
    assert levels["Nông nghiệp, lâm nghiệp và thủy sản"] == 1
    assert levels["Công nghiệp"] == 2  # a) under 2.
    assert levels["Khai khoáng"] == 3  # - under a)
    assert levels["Vận tải, kho bãi"] == 2  # - under 3.
    assert [r.name for r in sc.sectors()] == [
        "Nông nghiệp, lâm nghiệp và thủy sản",
        "Công nghiệp và Xây dựng",
        "Dịch vụ",
        "Thuế sản phẩm trừ trợ cấp sản phẩm",
    ]
    assert sc.total.targets["Q1"] == pytest.approx(7.27)
    assert sc.row("khai  KHOÁNG").targets["Q2"] == pytest.approx(-7.30)


@pytest.mark.parametrize(
    ("sector", "period", "actual", "gap", "contribution"),
    [
        # Q1: Nông nghiệp 100 → 102, Công nghiệp 200 → 216, GRDP 300 → 318 = +6.0 %.
        # Contributions: (102 − 100)/300 = 0.6667 pp; (216 − 200)/300 = 5.3333 pp; sum 6.0.
        # Gaps: 2 − 2 = 0; 8 − 8 = 0; GRDP 6 − 6 = 0.
        ("Nông nghiệp", "Q1", 2.0, 0.0, 2 / 3),
        ("Công nghiệp", "Q1", 8.0, 0.0, 16 / 3),
        ("Tổng sản phẩm trong tỉnh (GRDP)", "Q1", 6.0, 0.0, 6.0),
        # Q2: 100 → 104, 200 → 210, GRDP 300 → 314 = +4.6667 %; gap to 5 % = −0.3333 pp.
        # Contributions 4/300 = 1.3333 pp and 10/300 = 3.3333 pp.
        ("Nông nghiệp", "Q2", 4.0, 1.0, 4 / 3),
        ("Công nghiệp", "Q2", 5.0, -1.0, 10 / 3),
        ("Tổng sản phẩm trong tỉnh (GRDP)", "Q2", 14 / 3, 14 / 3 - 5, 14 / 3),
        # 6 months: Nông nghiệp (102 + 104)/(100 + 100) = 1.03 → 3 %, gap 3 − 2.5 = 0.5;
        # Công nghiệp (216 + 210)/400 = 1.065 → 6.5 %, gap −0.5; contributions over
        # last year's 600: 6/600 = 1 pp and 26/600 = 4.3333 pp.
        # GRDP (318 + 314)/600 = 1.05333 → 5.3333 %, gap −0.1667.
        ("Nông nghiệp", "H1", 3.0, 0.5, 1.0),
        ("Công nghiệp", "H1", 6.5, -0.5, 26 / 6),
        ("Tổng sản phẩm trong tỉnh (GRDP)", "H1", 32 / 6, 32 / 6 - 5.5, 32 / 6),
    ],
)
def test_gap_and_contribution(sector: str, period: str, actual: float, gap: float, contribution: float) -> None:
    a = analyse(SCENARIO, ACTUAL, PREVIOUS)
    row = a.row(sector)
    assert row.actual[period] == pytest.approx(actual)
    assert row.gap[period] == pytest.approx(gap)
    assert row.contribution[period] == pytest.approx(contribution)


def test_contributions_add_up_to_grdp_growth() -> None:
    a = analyse(SCENARIO, ACTUAL, PREVIOUS)
    for period in ("Q1", "Q2", "H1"):
        parts = sum(r.contribution[period] for r in a.rows if r.level == 1)
        assert parts == pytest.approx(a.total.actual[period])


def test_required_growth_for_remaining_quarters() -> None:
    a = analyse(SCENARIO, ACTUAL, PREVIOUS)
    assert a.quarters_known == 2
    assert a.periods() == ["Q1", "Q2", "H1"]
    # GRDP: year target 7 % → 1400 × 1.07 = 1498; Q1 + Q2 made 318 + 314 = 632;
    # Q3 + Q4 must make 866 against last year's 800 → 866/800 = 1.0825 → 8.25 %.
    assert a.total.required == pytest.approx(8.25)
    # Nông nghiệp: 400 × 1.03 = 412; made 206; need 206/200 → 3.0 %.
    assert a.row("Nông nghiệp").required == pytest.approx(3.0)
    # Công nghiệp: 1000 × 1.10 = 1100; made 426; need 674/600 = 1.12333 → 12.333 %.
    assert a.row("Công nghiệp").required == pytest.approx(674 / 6 - 100)


def test_required_growth_with_explicit_target_and_nine_months() -> None:
    actual = {"Nông nghiệp": [2.0, 4.0, 3.0], "Công nghiệp": [8.0, 5.0, 10.0]}
    a = analyse(SCENARIO, actual, PREVIOUS, target=7.5)
    # Q3: 100 → 103, 300 → 330; 9 months made 632 + 433 = 1065 against 1000 → 6.5 %.
    assert a.total.actual["9M"] == pytest.approx(6.5)
    assert a.total.gap["9M"] == pytest.approx(0.0)
    # Year target 7.5 % → 1400 × 1.075 = 1505; Q4 must make 1505 − 1065 = 440 vs 400 → 10 %.
    assert a.total.target == 7.5
    assert a.total.required == pytest.approx(10.0)


@pytest.mark.parametrize(
    ("previous", "current", "target", "expected"),
    [
        # Nothing known: the whole year needs the target itself.
        ({1: 50, 2: 50, 3: 50, 4: 50}, {}, 7.0, 7.0),
        # Q1 fell 10 %: 45 made; need 214 − 45 = 169 from 150 → 12.667 %.
        ({1: 50, 2: 50, 3: 50, 4: 50}, {1: 45.0}, 7.0, 169 / 1.5 - 100),
        # Every quarter known: nothing left to require.
        ({1: 50, 2: 50, 3: 50, 4: 50}, {1: 50.0, 2: 50.0, 3: 50.0, 4: 50.0}, 7.0, None),
    ],
)
def test_required_growth_table(
    previous: dict[int, float], current: dict[int, float], target: float, expected: float | None
) -> None:
    got = required_growth(previous, current, target)
    assert got == (None if expected is None else pytest.approx(expected))


def test_given_total_growth_is_kept_and_gaps_work_without_levels() -> None:
    a = analyse(SCENARIO, {"Tổng sản phẩm trong tỉnh (GRDP)": {1: 6.5}})
    assert a.total.actual == {"Q1": 6.5}
    assert a.total.gap["Q1"] == pytest.approx(0.5)
    assert a.total.contribution == {} and a.total.required is None


def test_full_appendix_scenario_met_exactly_gives_zero_gaps() -> None:
    entry = json.loads(GOLD.read_text(encoding="utf-8"))["scenarios"][0]
    sc = parse_scenario(entry)
    # Every sector grows exactly as planned in Q1 and Q2.
    actual = {r.name: {1: r.targets["Q1"], 2: r.targets["Q2"]} for r in sc.sectors()}
    previous = {
        "Nông nghiệp, lâm nghiệp và thủy sản": [4000, 3000, 3500, 4500],
        "Công nghiệp và Xây dựng": [2500, 2800, 3000, 3600],
        "Dịch vụ": [3000, 3100, 3200, 3500],
        "Thuế sản phẩm trừ trợ cấp sản phẩm": [500, 500, 520, 560],
    }
    a = analyse(sc, actual, previous)
    for r in a.rows:
        if r.level == 1:
            assert r.gap["Q1"] == pytest.approx(0.0)
    # GRDP Q1 from these weights: (4000·1.78 + 2500·12.29 + 3000·7.27 + 500·4.16)/10000
    # = (7120 + 30725 + 21810 + 2080)/10000 = 6.1735 % against the scenario's 7.27 %.
    assert a.total.actual["Q1"] == pytest.approx(6.1735)
    assert a.total.gap["Q1"] == pytest.approx(6.1735 - 7.27)


def test_unknown_sector_and_column_are_errors() -> None:
    with pytest.raises(GrowthError, match="Thủy điện"):
        analyse(SCENARIO, {"Thủy điện": {1: 1.0}})
    bad = dict(SCENARIO, columns=["Quý V", *SCENARIO["columns"][1:]])
    with pytest.raises(GrowthError, match="Quý V"):
        parse_scenario(bad)


levels = st.floats(min_value=10, max_value=10_000, allow_nan=False)
rates = st.floats(min_value=-20, max_value=30, allow_nan=False)


@given(
    st.lists(st.tuples(levels, levels, levels, levels), min_size=2, max_size=2),
    st.lists(st.tuples(rates, rates, rates), min_size=2, max_size=2),
)
def test_properties_of_the_arithmetic(prev: list[tuple[float, ...]], growth: list[tuple[float, ...]]) -> None:
    names = ["Nông nghiệp", "Công nghiệp"]
    a = analyse(
        SCENARIO,
        {n: list(g) for n, g in zip(names, growth, strict=True)},
        {n: list(p) for n, p in zip(names, prev, strict=True)},
    )
    for period in ("Q1", "Q2", "H1", "Q3", "9M"):
        # Sector contributions add up to GRDP growth.
        parts = sum(a.row(n).contribution[period] for n in names)
        assert parts == pytest.approx(a.total.actual[period], abs=1e-9)
    for r in a.rows:
        # Cumulative growth is a weighted mean of the quarters': between their extremes.
        qs = [r.actual[q] for q in ("Q1", "Q2", "Q3")]
        assert min(qs) - 1e-9 <= r.actual["9M"] <= max(qs) + 1e-9
    # Growing Q4 by exactly the required rate meets the year's target.
    need = a.total.required
    assert need is not None
    p_total = [sum(p[q] for p in prev) for q in range(4)]
    made = sum(p[q] * (1 + g[q] / 100) for p, g in zip(prev, growth, strict=True) for q in range(3))
    year = (made + p_total[3] * (1 + need / 100)) / sum(p_total) * 100 - 100
    assert year == pytest.approx(7.0)


def test_published_cumulative_growth_is_used_without_levels() -> None:
    # Only the half year as published: 5,2 % against the scenario's 5,5 % → −0,3 points;
    # no quarters, no levels, so nothing else can be computed.
    a = analyse(SCENARIO, {}, reported={"Tổng sản phẩm trong tỉnh (GRDP)": {"H1": 5.2}})
    assert a.quarters_known == 2
    assert a.total.actual == {"H1": 5.2}
    assert a.total.gap["H1"] == pytest.approx(-0.3)
    # Computed from levels wins over the published figure.
    b = analyse(SCENARIO, ACTUAL, PREVIOUS, reported={"Nông nghiệp": {"H1": 9.9}})
    assert b.row("Nông nghiệp").actual["H1"] == pytest.approx(3.0)
    with pytest.raises(GrowthError, match="Quý V"):
        analyse(SCENARIO, {}, reported={"Nông nghiệp": {"Quý V": 1.0}})
