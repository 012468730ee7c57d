"""Vietnamese values, one of each: numbers, dates, periods, quarters, folding and the clock.

Table-driven tests of what people really type, Hypothesis properties (round trips, nothing
raised but ValueError, idempotent normalisation), and one test per place where two copies of
these parsers used to disagree.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from test_cli_track import run  # noqa: F401 (the command line on a real register)

from kehoach import vn
from kehoach.extract import numbers
from kehoach.vn import (
    Period,
    date_line,
    fmt_date,
    fmt_number,
    fmt_percent,
    parse_date,
    parse_number,
    parse_quarter,
)

PLANS = sorted((Path(__file__).parent / "data" / "plans").glob("*.json"))

# --- numbers ----------------------------------------------------------------------------------


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
        ("616.565,83", 616565.83),  # GRDP, tỷ đồng
        ("4.302", 4302.0),  # a thousands point, never a decimal one
        ("7,5", 7.5),
        ("7,5%", 7.5),
        ("50%", 50.0),
        ("12 %", 12.0),
        ("107.27", 107.27),  # a scenario index as spreadsheets write it
        ("-5", -5.0),
        ("-2,3", -2.3),
        ("\u22122,3", -2.3),  # the minus sign a word processor puts
        ("+3", 3.0),
        ("1 000", 1000.0),
        ("1\u00a0234\u00a0567", 1234567.0),
        (" 12 ", 12.0),
        (",5", 0.5),
        (3, 3.0),
        (2.5, 2.5),
    ],
)
def test_parse_number(text: str | float, expected: float) -> None:
    assert parse_number(text) == pytest.approx(expected)


@pytest.mark.parametrize("text", ["", "abc", "1,2,3", "1.23.4", "7-7,5", "1 2", "%", "5-", "1,234.5", True, "9" * 400])
def test_parse_number_rejects(text: str) -> None:
    with pytest.raises(ValueError, match="không phải là số"):
        parse_number(text)


def test_scenario_indices_read_either_mark_as_decimal() -> None:
    assert parse_number("107,27", decimal_point=True) == parse_number("107.27", decimal_point=True) == 107.27
    assert parse_number("1.234", decimal_point=True) == 1.234


@pytest.mark.parametrize("text", ["-5", "12%", "12 %", "7,5", "1.234,5", "4.302", "107.27", "50%", "abc", ""])
def test_the_grammar_reads_numbers_as_vn_does(text: str) -> None:
    """`extract.numbers.parse_number` used to answer None for `-5` and `12%`, which vn reads."""
    try:
        expected: float | None = parse_number(text)
    except ValueError:
        expected = None
    assert numbers.parse_number(text) == expected


@given(st.integers(min_value=-10**13, max_value=10**13))
def test_number_round_trip_exact(hundredths: int) -> None:
    value = hundredths / 100
    assert parse_number(fmt_number(value)) == value
    assert parse_number(fmt_number(value, 2)) == value
    assert parse_number(fmt_percent(value)) == value


@given(st.floats(min_value=-1e9, max_value=1e9, allow_nan=False))
def test_number_round_trip(value: float) -> None:
    assert parse_number(fmt_number(value, 2)) == pytest.approx(round(value, 2), abs=0.006)


@given(st.one_of(st.text(), st.text(alphabet="0123456789.,-+% \u00a0\u2212")))
def test_parse_number_raises_only_value_error(text: str) -> None:
    try:
        value = parse_number(text)
    except ValueError:
        return
    assert value == value and abs(value) != float("inf")
    assert parse_number(fmt_number(value, 6)) == pytest.approx(value, rel=1e-9, abs=1e-6)


# --- dates ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("31/12/2025", date(2025, 12, 31)),
        ("05/07/2025", date(2025, 7, 5)),
        ("5/7/2025", date(2025, 7, 5)),
        ("31-12-2025", date(2025, 12, 31)),
        ("2025-12-31", date(2025, 12, 31)),
        ("2025-7-5", date(2025, 7, 5)),
        ("ngày 31 tháng 12 năm 2025", date(2025, 12, 31)),
        ("Ngày 05 tháng 7 năm 2025", date(2025, 7, 5)),
        ("ngay 5 thang 7 nam 2025", date(2025, 7, 5)),  # typed without diacritics
        ("ngày 31/12/2025", date(2025, 12, 31)),
        (" 31 / 12 / 2025 ", date(2025, 12, 31)),
        # the explicit decision: dots are a date separator too, and the day comes first
        ("25.9.2026", date(2026, 9, 25)),
        ("1.2.2026", date(2026, 2, 1)),
        (datetime(2025, 7, 5, 8, 30), date(2025, 7, 5)),
        (date(2025, 7, 5), date(2025, 7, 5)),
    ],
)
def test_parse_date(text: str | date, expected: date) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("31/02/2025", "không phải là ngày có thật"),
        ("9.25.2026", "tháng phải từ 1 đến 12"),  # never read month first
        ("12/31/2025", "ngày viết trước tháng"),
        ("31/12/25", "4 chữ số"),
        ("2025/07", "viết như 31/12/2025"),
        ("hôm qua", "viết như 31/12/2025"),
        ("7/2025", "viết như 31/12/2025"),
        ("31/12-2025", "viết như 31/12/2025"),  # one separator throughout
        ("0001-01-01", "năm phải từ 1900 đến 2199"),  # counting days from it would overflow
        ("31/12/9999", "năm phải từ 1900 đến 2199"),
    ],
)
def test_parse_date_rejects(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_date(text)


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2199, 12, 31)))
def test_date_round_trip(value: date) -> None:
    assert parse_date(fmt_date(value)) == value
    assert parse_date(value.isoformat()) == value
    assert parse_date(f"ngày {value.day} tháng {value.month} năm {value.year:04d}") == value


@given(st.text())
def test_parse_date_raises_only_value_error(text: str) -> None:
    try:
        value = parse_date(text)
    except ValueError:
        return
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
    assert parse_date(expected.split(", ", 1)[1]) == value


# --- periods and quarters ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "code", "start", "end", "label"),
    [
        ("2026-Q3", "2026-Q3", date(2026, 7, 1), date(2026, 9, 30), "Quý III năm 2026"),
        ("2025-q1", "2025-Q1", date(2025, 1, 1), date(2025, 3, 31), "Quý I năm 2025"),
        ("2025 q4", "2025-Q4", date(2025, 10, 1), date(2025, 12, 31), "Quý IV năm 2025"),
        ("Quý 3/2026", "2026-Q3", date(2026, 7, 1), date(2026, 9, 30), "Quý III năm 2026"),
        ("quý III/2026", "2026-Q3", date(2026, 7, 1), date(2026, 9, 30), "Quý III năm 2026"),
        ("Quý II năm 2025", "2025-Q2", date(2025, 4, 1), date(2025, 6, 30), "Quý II năm 2025"),
        ("Q3/2026", "2026-Q3", date(2026, 7, 1), date(2026, 9, 30), "Quý III năm 2026"),
        ("6 tháng đầu năm 2026", "2026-H1", date(2026, 1, 1), date(2026, 6, 30), "6 tháng đầu năm 2026"),
        ("6 tháng cuối năm 2025", "2025-H2", date(2025, 7, 1), date(2025, 12, 31), "6 tháng cuối năm 2025"),
        ("2025-H2", "2025-H2", date(2025, 7, 1), date(2025, 12, 31), "6 tháng cuối năm 2025"),
        ("2025-H1", "2025-H1", date(2025, 1, 1), date(2025, 6, 30), "6 tháng đầu năm 2025"),
        ("2025-6M", "2025-H1", date(2025, 1, 1), date(2025, 6, 30), "6 tháng đầu năm 2025"),
        ("9 tháng năm 2026", "2026-9M", date(2026, 1, 1), date(2026, 9, 30), "9 tháng năm 2026"),
        ("9 tháng đầu năm 2026", "2026-9M", date(2026, 1, 1), date(2026, 9, 30), "9 tháng năm 2026"),
        ("2025-9M", "2025-9M", date(2025, 1, 1), date(2025, 9, 30), "9 tháng năm 2025"),
        ("năm 2026", "2026", date(2026, 1, 1), date(2026, 12, 31), "năm 2026"),
        ("Cả năm 2026", "2026", date(2026, 1, 1), date(2026, 12, 31), "năm 2026"),
        ("2025", "2025", date(2025, 1, 1), date(2025, 12, 31), "năm 2025"),
        ("tháng 7/2026", "2026-07", date(2026, 7, 1), date(2026, 7, 31), "tháng 7 năm 2026"),
        ("Tháng 02 năm 2024", "2024-02", date(2024, 2, 1), date(2024, 2, 29), "tháng 2 năm 2024"),
        ("2024-02", "2024-02", date(2024, 2, 1), date(2024, 2, 29), "tháng 2 năm 2024"),
        ("7/2026", "2026-07", date(2026, 7, 1), date(2026, 7, 31), "tháng 7 năm 2026"),
        ("kỳ Quý I/2026", "2026-Q1", date(2026, 1, 1), date(2026, 3, 31), "Quý I năm 2026"),
    ],
)
def test_period(text: str, code: str, start: date, end: date, label: str) -> None:
    p = Period.parse(text)
    assert (p.code, p.start, p.end, p.label) == (code, start, end, label)
    assert Period.parse(p.code) == Period.parse(p.label) == p
    assert str(p) == code


@pytest.mark.parametrize(
    ("text", "code"),
    [("9 tháng", "2026-9M"), ("6 tháng cuối năm", "2026-H2"), ("6 tháng đầu năm", "2026-H1"), ("Quý II", "2026-Q2")],
)
def test_a_period_without_its_year_takes_the_one_given(text: str, code: str) -> None:
    assert Period.parse(text, year=2026).code == code
    with pytest.raises(ValueError, match="thiếu năm"):
        Period.parse(text)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Quý V/2026", "quý phải từ I đến IV"),
        ("2025-Q5", "quý phải từ I đến IV"),
        ("2025-13", "tháng phải từ 1 đến 12"),
        ("tháng 13/2026", "tháng phải từ 1 đến 12"),
        ("Quý II/26", "4 chữ số"),
        ("25-Q1", "2026-Q3, Quý III/2026"),
        ("năm nay", "2026-Q3, Quý III/2026"),
        ("", "2026-Q3, Quý III/2026"),
        ("9999-Q4", "năm phải từ 1900 đến 2199"),
    ],
)
def test_period_rejects(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Period.parse(text)


PERIODS = st.one_of(
    st.builds(Period, st.integers(1900, 2199), st.just("M"), st.integers(1, 12)),
    st.builds(Period, st.integers(1900, 2199), st.just("Q"), st.integers(1, 4)),
    st.builds(Period, st.integers(1900, 2199), st.sampled_from(["H1", "H2", "9M", "Y"])),
)


@given(PERIODS)
def test_period_round_trips_and_spans(p: Period) -> None:
    assert Period.parse(p.code) == Period.parse(p.label) == Period.parse(p.label.upper()) == p
    assert p.start <= p.end and p.start.year == p.end.year == p.year
    assert p.last_year().end.year == p.year - 1 and p.last_year().kind == p.kind
    if p.kind in ("M", "Q", "H1", "H2", "Y"):
        assert Period.containing(p.end, p.kind) == Period.containing(p.start, p.kind) == p


@given(st.text(max_size=40))
def test_period_parse_raises_only_value_error_and_normalises(text: str) -> None:
    try:
        p = Period.parse(text, year=2026)
    except ValueError:
        return
    assert Period.parse(p.code) == p  # idempotent: its normal form reads back the same


@pytest.mark.parametrize(("token", "q"), [("I", 1), ("ii", 2), ("III", 3), ("IV", 4), ("3", 3)])
def test_quarters(token: str, q: int) -> None:
    assert parse_quarter(token) == q
    assert vn.quarter_of(Period(2026, "Q", q).end) == q


@pytest.mark.parametrize("token", ["V", "0", "5", "x", ""])
def test_quarter_rejects(token: str) -> None:
    with pytest.raises(ValueError, match="từ I đến IV"):
        parse_quarter(token)


# --- folding ----------------------------------------------------------------------------------


@given(st.text(max_size=40))
def test_fold_is_idempotent(text: str) -> None:
    assert vn.fold(vn.fold(text)) == vn.fold(text)


def test_fold_drops_diacritics_and_case() -> None:
    assert vn.fold("Đẩy mạnh  CẢI CÁCH") == "day manh cai cach"
    assert vn.fold("Quý III") == vn.fold("quy iii")


def test_letters_are_vietnamese_and_by_case() -> None:
    import re

    assert re.fullmatch(f"{vn.UPPER}+", "ĐẨYỸ") and not re.search(vn.UPPER, "đẩyỹ")
    assert re.fullmatch(f"{vn.LOWER}+", "đẩyỹ") and not re.search(vn.LOWER, "ĐẨYỸ")


# --- the same value accepted wherever it is typed ---------------------------------------------


def test_the_command_line_reads_dates_numbers_and_periods_as_people_write_them(run) -> None:  # noqa: F811
    """`kehoach update --on 31/12/2025` used to fail while `kehoach report --date 31/12/2025` worked."""
    run("ingest", str(PLANS[1]))
    task = json.loads(run("tasks", "--json"))[0]
    out = json.loads(run("update", str(task["id"]), "--percent", "50%", "--on", "31/12/2025", "--json"))
    assert out[0]["percent"] == 50
    updates = json.loads(run("tasks", "--json", "--as-of", "ngày 31 tháng 12 năm 2025"))
    assert any(t["id"] == task["id"] and t["percent"] == 50 for t in updates)
    grdp = json.loads(run("indicators", "-q", "tang truong grdp", "--json"))[0]
    value = json.loads(run("value", str(grdp["id"]), "6 tháng cuối năm 2025", "7,5", "--json"))
    assert (value[0]["latest"]["value"], value[0]["latest"]["period"]) == (7.5, "2025-H2")
    assert "quý phải từ I đến IV" in run("value", str(grdp["id"]), "Quý V/2025", "7", ok=False)
    assert "ngày viết trước tháng" in run("update", str(task["id"]), "--on", "12/31/2025", ok=False)


# --- the province's clock ---------------------------------------------------------------------

# 18:30 UTC on 6 December 2026: already 01:30 on 7 December in Vietnam
EVENING_UTC = datetime(2026, 12, 6, 18, 30, tzinfo=UTC)


def test_today_is_vietnams() -> None:
    assert vn.today(lambda: EVENING_UTC) == date(2026, 12, 7)
    assert vn.now(lambda: EVENING_UTC).utcoffset() == timedelta(hours=7)
    assert vn.fmt_datetime(EVENING_UTC) == "07/12/2026 01:30"
    assert vn.fmt_datetime(EVENING_UTC.replace(tzinfo=None)) == "07/12/2026 01:30"  # SQLite's naive UTC
    assert vn.fmt_datetime("2026-12-06T18:30:00+00:00") == "07/12/2026 01:30"
    with pytest.raises(ValueError):
        vn.now(lambda: datetime(2026, 12, 6, 18, 30))


_IN_ANOTHER_ZONE = """
import json, sys
from datetime import UTC, datetime
from kehoach import vn
from kehoach.store import Database
from kehoach.web.app import make_templates

clock = lambda: datetime(2026, 12, 6, 18, 30, tzinfo=UTC)
db = Database.open(sys.argv[1], clock=clock)
db.ingest(json.load(open(sys.argv[2], encoding="utf-8")), actor="t")
task = db.tasks()[0]
db.update_task(task["id"], actor="t", percent=10)
on = db.task(task["id"])["updates"][-1]["on"]
shown = make_templates().env.filters
print(json.dumps({
    "today": vn.today(clock).isoformat(),
    "db_today": db.today().isoformat(),
    "on": on,
    "on_shown": shown["vndate"](on),
    "now_shown": shown["vndatetime"](db.now()),
    "naive_shown": shown["vndatetime"](db.now().replace(tzinfo=None)),  # as SQLite returns it
    "server_zone": datetime.now().astimezone().tzname(),
}))
"""


@pytest.mark.parametrize("zone", ["UTC", "America/Los_Angeles"])
def test_one_today_whatever_the_servers_zone(zone: str, db_url: str) -> None:
    """At 18:30 UTC the server's date (in UTC or Los Angeles) is the 6th, Vietnam's the 7th:
    "today", an update's date and every time shown are Vietnam's (issue 13: an update shown
    on 06/12 and a comment at 07/12 06:41)."""
    env = {**os.environ, "TZ": zone}
    done = subprocess.run(
        [sys.executable, "-c", _IN_ANOTHER_ZONE, db_url, str(PLANS[1])],
        env=env,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    got = json.loads(done.stdout)
    assert got["server_zone"] in ("UTC", "PST", "PDT")  # the zone really was the server's
    assert got["today"] == got["db_today"] == got["on"] == "2026-12-07"
    assert got["on_shown"] == "07/12/2026"
    assert got["now_shown"] == got["naive_shown"] == "07/12/2026 01:30"
