"""Vietnamese number, date and period formatting."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kehoach.vn import (
    Period,
    date_line,
    fmt_date,
    fmt_number,
    fmt_percent,
    parse_date,
    parse_number,
)


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        (1234.5, None, "1.234,5"),
        (1234.5, 2, "1.234,50"),
        (616565.83, None, "616.565,83"),
        (4302, None, "4.302"),
        (4302, 0, "4.302"),
        (7.0, None, "7"),
        (0.5, 1, "0,5"),
        (-1234567.891, 1, "-1.234.567,9"),
        (-0.001, 1, "0,0"),
        (None, None, ""),
    ],
)
def test_fmt_number(value: float | None, decimals: int | None, expected: str) -> None:
    assert fmt_number(value, decimals) == expected


def test_fmt_percent() -> None:
    assert fmt_percent(7.27) == "7,27%"
    assert fmt_percent(104.5, 1) == "104,5%"
    assert fmt_percent(None, empty="-") == "-"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1.234,5", 1234.5),
        ("616.565,83", 616565.83),
        ("4.302", 4302.0),
        ("7,5", 7.5),
        ("7,5%", 7.5),
        ("107.27", 107.27),
        ("-2,3", -2.3),
        ("1 000", 1000.0),
        ("12", 12.0),
        (3, 3.0),
        (2.5, 2.5),
    ],
)
def test_parse_number(text: str | float, expected: float) -> None:
    assert parse_number(text) == pytest.approx(expected)


@pytest.mark.parametrize("text", ["", "abc", "1,2,3", "1.23.4", "7-7,5", True])
def test_parse_number_rejects(text: str) -> None:
    with pytest.raises(ValueError):
        parse_number(text)


@given(st.floats(min_value=-1e9, max_value=1e9, allow_nan=False))
def test_number_round_trip(value: float) -> None:
    assert parse_number(fmt_number(value, 2)) == pytest.approx(round(value, 2), abs=0.006)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("05/07/2025", date(2025, 7, 5)),
        ("5/7/2025", date(2025, 7, 5)),
        ("5-7-2025", date(2025, 7, 5)),
        ("2025-07-05", date(2025, 7, 5)),
        (datetime(2025, 7, 5, 8, 30), date(2025, 7, 5)),
        (date(2025, 7, 5), date(2025, 7, 5)),
    ],
)
def test_parse_date(text: str | date, expected: date) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize("text", ["31/02/2025", "2025/07", "hôm qua", "7/2025"])
def test_parse_date_rejects(text: str) -> None:
    with pytest.raises(ValueError):
        parse_date(text)


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2999, 12, 31)))
def test_date_round_trip(value: date) -> None:
    assert parse_date(fmt_date(value)) == value


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (date(2025, 7, 5), "Trà Vinh, ngày 05 tháng 7 năm 2025"),
        (date(2025, 1, 18), "Trà Vinh, ngày 18 tháng 01 năm 2025"),
        (date(2025, 2, 3), "Trà Vinh, ngày 03 tháng 02 năm 2025"),
        (date(2025, 12, 31), "Trà Vinh, ngày 31 tháng 12 năm 2025"),
    ],
)
def test_date_line_per_decree_30(value: date, expected: str) -> None:
    assert date_line("Trà Vinh", value) == expected


@pytest.mark.parametrize(
    ("text", "start", "end", "label", "quarters"),
    [
        ("2025-Q2", date(2025, 4, 1), date(2025, 6, 30), "Quý II năm 2025", 2),
        ("2025-q1", date(2025, 1, 1), date(2025, 3, 31), "Quý I năm 2025", 1),
        ("2025-H1", date(2025, 1, 1), date(2025, 6, 30), "6 tháng đầu năm 2025", 2),
        ("2025-9M", date(2025, 1, 1), date(2025, 9, 30), "9 tháng năm 2025", 3),
        ("2025", date(2025, 1, 1), date(2025, 12, 31), "năm 2025", 4),
        ("2024-02", date(2024, 2, 1), date(2024, 2, 29), "tháng 2 năm 2024", 0),
    ],
)
def test_period(text: str, start: date, end: date, label: str, quarters: int) -> None:
    p = Period.parse(text)
    assert (p.start, p.end, p.label, p.quarters) == (start, end, label, quarters)
    assert Period.parse(str(p)) == p


@pytest.mark.parametrize("text", ["2025-Q5", "2025-13", "Q2-2025", "25-Q1"])
def test_period_rejects(text: str) -> None:
    with pytest.raises(ValueError, match="2025|tháng"):
        Period.parse(text)
