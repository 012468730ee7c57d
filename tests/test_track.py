"""Table-driven tests of the pure tracking rules: status, revisions, indicators, calendar."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kehoach import DATA, track
from kehoach.track import Evaluation as E
from kehoach.track import Status as S
from kehoach.track import calendar as cal
from kehoach.track import succession
from kehoach.vn import Period

D = date

# --- task status ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("due", "done_on", "as_of", "recurring", "waiting", "expected"),
    [
        (D(2025, 6, 30), D(2025, 6, 30), D(2025, 7, 1), False, False, S.DONE_ON_TIME),  # on the day
        (D(2025, 6, 30), D(2025, 7, 1), D(2025, 7, 1), False, False, S.DONE_LATE),
        (
            D(2025, 6, 30),
            D(2025, 7, 1),
            D(2025, 6, 30),
            False,
            False,
            S.DUE_SOON,
        ),  # done after as_of
        (D(2025, 6, 30), None, D(2025, 6, 1), False, False, S.IN_TERM),
        (D(2025, 6, 30), None, D(2025, 6, 23), False, False, S.DUE_SOON),  # 7 days left
        (D(2025, 6, 30), None, D(2025, 6, 22), False, False, S.IN_TERM),  # 8 days left
        (D(2025, 6, 30), None, D(2025, 6, 30), False, False, S.DUE_SOON),  # the last day
        (D(2025, 6, 30), None, D(2025, 7, 1), False, False, S.OVERDUE),
        (None, None, D(2030, 1, 1), False, False, S.IN_TERM),  # no date at all
        (None, None, D(2030, 1, 1), True, False, S.RECURRING),  # thường xuyên: never overdue
        (None, None, D(2025, 1, 1), False, True, S.WAITING),
        (None, D(2025, 3, 1), D(2025, 4, 1), False, True, S.DONE_ON_TIME),
    ],
)
def test_task_status(due, done_on, as_of, recurring, waiting, expected) -> None:
    got = track.task_status(due=due, done_on=done_on, as_of=as_of, recurring=recurring, waiting=waiting)
    assert got is expected


@pytest.mark.parametrize(
    ("kwargs", "as_of", "expected"),
    [
        ({"due": D(2025, 3, 31)}, D(2025, 1, 1), D(2025, 3, 31)),
        ({"due": None, "plan_end": D(2025, 12, 31)}, D(2025, 1, 1), D(2025, 12, 31)),
        ({"due": None, "plan_end": D(2025, 12, 31), "recurring": True}, D(2025, 1, 1), None),
        (
            {"due": D(2025, 3, 31), "extensions": [(D(2025, 3, 20), D(2025, 5, 31))]},
            D(2025, 3, 19),
            D(2025, 3, 31),
        ),
        (
            {"due": D(2025, 3, 31), "extensions": [(D(2025, 3, 20), D(2025, 5, 31))]},
            D(2025, 3, 20),
            D(2025, 5, 31),
        ),
        ({"due": None, "condition": "sau khi TW ban hành"}, D(2025, 6, 1), None),
        (
            {"due": None, "condition": "x", "condition_met_on": D(2025, 5, 1)},
            D(2025, 6, 1),
            D(2025, 5, 31),
        ),
        ({"due": None, "condition": "x", "condition_met_on": D(2025, 5, 1)}, D(2025, 4, 1), None),
        (
            {
                "due": None,
                "condition": "x",
                "condition_met_on": D(2025, 5, 1),
                "condition_due": D(2025, 9, 30),
            },
            D(2025, 6, 1),
            D(2025, 9, 30),
        ),
    ],
)
def test_effective_due(kwargs, as_of, expected) -> None:
    assert track.effective_due(as_of=as_of, **kwargs) == expected


@pytest.mark.parametrize(
    ("updates", "as_of", "expected"),
    [
        ([], D(2025, 1, 1), None),
        ([(D(2025, 2, 1), "in_progress"), (D(2025, 3, 1), "done")], D(2025, 4, 1), D(2025, 3, 1)),
        ([(D(2025, 3, 1), "done")], D(2025, 2, 1), None),
        (
            [(D(2025, 3, 1), "done"), (D(2025, 3, 5), "in_progress")],
            D(2025, 4, 1),
            None,
        ),  # reopened
        ([(D(2025, 3, 1), "done"), (D(2025, 3, 9), "done")], D(2025, 4, 1), D(2025, 3, 1)),
    ],
)
def test_completion(updates, as_of, expected) -> None:
    assert track.completion(updates, as_of) == expected


@pytest.mark.parametrize(
    ("value", "state"),
    [
        ("hoàn thành", "done"),
        ("Hoàn Thành", "done"),
        ("hoan thanh", "done"),
        ("done", "done"),
        ("đang thực hiện", "in_progress"),
        ("chưa thực hiện", "not_started"),
    ],
)
def test_progress_state(value, state) -> None:
    assert track.progress_state(value) == state


@pytest.mark.parametrize("bad", [-1, 100.01, float("nan")])
def test_percent_out_of_range(bad) -> None:
    with pytest.raises(track.ValidationError, match="Tỷ lệ hoàn thành") as e:
        track.check_percent(bad)
    assert e.value.field == "percent"  # the machine's name stays for the JSON


def test_period_statuses_of_a_monthly_task() -> None:
    got = track.period_statuses(
        "monthly",
        D(2025, 1, 15),
        D(2025, 3, 10),
        {"2025-01": D(2025, 1, 30), "2025-02": D(2025, 3, 2)},
    )
    assert [(p.period, p.status) for p in got] == [
        ("2025-01", S.DONE_ON_TIME),
        ("2025-02", S.DONE_LATE),
        ("2025-03", S.IN_TERM),
    ]


@pytest.mark.parametrize(
    ("title", "indicator_years", "issued", "expected"),
    [
        ("Thực hiện Nghị quyết ... năm 2025", [], None, D(2025, 12, 31)),
        ("Kế hoạch 5 năm 2026 - 2030", [], None, D(2030, 12, 31)),
        ("Triển khai Nghị quyết số 154/NQ-CP", ["2026"], None, D(2026, 12, 31)),
        ("Triển khai Nghị quyết số 154/NQ-CP", [], "2025-06-02", D(2025, 12, 31)),
        ("Không có năm", [], None, None),
    ],
)
def test_plan_period_end(title, indicator_years, issued, expected) -> None:
    plan = {
        "document": {"title": title, "issued_date": issued},
        "indicators": [{"year": y} for y in indicator_years],
    }
    assert track.plan_period_end(plan) == expected


def test_plan_period_start() -> None:
    doc = {"document": {"title": "Kế hoạch đầu tư công trung hạn 5 năm 2026 - 2030"}}
    assert track.plan_period_start(doc) == D(2026, 1, 1)
    assert track.plan_period_start({"document": {"title": "Nhiệm vụ năm 2025"}}) == D(2025, 1, 1)


# --- revisions --------------------------------------------------------------------------------


def _shape(text, lead=("Sở Tài chính",), due=None, section="A") -> track.TaskShape:
    return track.TaskShape(section, text, tuple(lead), due, due and due.isoformat())


def test_diff_names_every_kind_of_change() -> None:
    old = [
        _shape("Giữ nguyên."),
        _shape("Bị bỏ."),
        _shape("Đổi người.", lead=("Sở Xây dựng",)),
        _shape("Dời hạn.", due=D(2025, 3, 31)),
        _shape("Rà soát, sửa đổi quy chế phối hợp giữa các sở, ngành trong năm 2025."),
    ]
    new = [
        _shape("Giữ nguyên."),
        _shape("Đổi người."),
        _shape("Dời hạn.", due=D(2025, 6, 30)),
        _shape("Rà soát, sửa đổi quy chế phối hợp giữa các sở, ngành trong năm 2025"),
        _shape("Mới thêm."),
    ]
    pairs, diff = track.diff_tasks(old, new)
    assert pairs == [(0, 0), (2, 1), (3, 2), (4, 3)]
    assert [e["text"] for e in diff["added"]] == ["Mới thêm."]
    assert [e["text"] for e in diff["removed"]] == ["Bị bỏ."]
    assert diff["reassigned"][0]["before"] == ["Sở Xây dựng"]
    assert (diff["deadline_moved"][0]["before"], diff["deadline_moved"][0]["after"]) == (
        "2025-03-31",
        "2025-06-30",
    )
    assert len(diff["reworded"]) == 1  # a dropped full stop: the same task


def test_duplicate_texts_match_in_order() -> None:
    old = [_shape("Báo cáo.", section="A"), _shape("Báo cáo.", section="B")]
    new = [_shape("Báo cáo.", section="B"), _shape("Báo cáo.", section="A")]
    assert track.match_tasks(old, new) == [(1, 0), (0, 1)]


# --- indicators -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("comparator", "actual", "kw", "expected"),
    [
        ("=", 520, {"value": 520}, E.MET),
        ("=", 600, {"value": 520}, E.EXCEEDED),
        ("=", 500, {"value": 520}, E.MISSED),
        ("=", 4.0, {"value": 4.5, "lower_better": True}, E.EXCEEDED),  # suy dinh dưỡng còn 4,5%
        (">=", 90, {"value": 90}, E.MET),
        (">=", 89.9, {"value": 90}, E.MISSED),
        (">", 98.0, {"value": 98}, E.MISSED),
        (">", 98.1, {"value": 98}, E.MET),
        ("<", 3.0, {"value": 3}, E.MISSED),  # nợ xấu dưới 3%
        ("<", 2.9, {"value": 3}, E.MET),
        ("<=", 2.0, {"value": 2}, E.MET),
        ("<=", 2.1, {"value": 2}, E.MISSED),
        ("range", 7.0, {"lo": 7.0, "hi": 7.5}, E.MET),
        ("range", 7.6, {"lo": 7.0, "hi": 7.5}, E.EXCEEDED),
        ("range", 6.9, {"lo": 7.0, "hi": 7.5}, E.MISSED),
        ("range", 30, {"lo": 35, "hi": 40, "lower_better": True}, E.EXCEEDED),  # thứ hạng 35-40
        ("range", 45, {"lo": 35, "hi": 40, "lower_better": True}, E.MISSED),
        ("qualitative", 1, {}, E.MET),
        ("qualitative", 0, {}, E.MISSED),
        ("=", None, {"value": 1}, E.NO_DATA),
        ("=", 0.1 + 0.2, {"value": 0.3}, E.MET),  # float noise is not a miss
    ],
)
def test_evaluate(comparator, actual, kw, expected) -> None:
    assert track.evaluate(comparator, actual, **kw) is expected


@pytest.mark.parametrize(
    ("name", "comparator", "unit", "expected"),
    [
        ("Tỷ lệ nợ xấu nội bảng", "<", "%", True),
        ("Tỷ suất tử vong trẻ em < 1 tuổi", "<=", "Số ca/1.000 trẻ", True),
        ("Tỷ lệ thất nghiệp khu vực thành thị", "=", "%", True),
        ("Chỉ số cải cách hành chính (PAR Index) xếp hạng", "=", "/34", True),
        ("Chỉ số đổi mới sáng tạo", "range", "Thứ hạng", True),
        ("Giảm tỷ lệ hộ nghèo theo chuẩn nghèo đa chiều", "=", "%", False),  # size of the reduction
        ("Tỷ lệ trẻ em dưới 5 tuổi bị suy dinh dưỡng thể thấp còi", "=", "%", True),
        ("Tăng trưởng GRDP", "range", "%", False),
        ("Tỷ lệ che phủ rừng", "=", "%", False),
    ],
)
def test_lower_is_better(name, comparator, unit, expected) -> None:
    assert track.lower_is_better(name, comparator, unit) is expected


@pytest.mark.parametrize(
    ("name", "unit", "expected"),
    [
        ("Thu nội địa", "tỷ đồng", True),
        ("Phát triển mới doanh nghiệp", "doanh nghiệp", True),
        ("Tăng trưởng GRDP", "%", False),
        ("Giường bệnh/vạn dân", "giường bệnh/vạn dân", False),
        ("Tuổi thọ trung bình", "Tuổi", False),
        ("Tổng điện năng sản xuất", "Tỷ kWh", True),
        ("Chỉ số HDI", None, False),
    ],
)
def test_additive(name, unit, expected) -> None:
    assert track.additive(name, unit) is expected


def test_share_and_change() -> None:
    assert track.share_of_target("=", 15600, value=20000) == 78.0
    assert track.share_of_target("range", 31000, lo=30000) == 103.33
    assert track.share_of_target("<=", 1.9, value=2) is None
    assert track.change_on_last_year(110, 100) == 10.0
    assert track.change_on_last_year(6.6, 6.0, points=True) == 0.6
    assert track.change_on_last_year(5, None) is None


def _pt(label: str, value: float, cumulative: bool = True) -> track.Point:
    return track.Point(Period.parse(label), value, cumulative)


@pytest.mark.parametrize(
    ("points", "additive", "expected"),
    [
        ([_pt("2025-H1", 9000)], True, 18000),  # half the year's money in six months
        ([_pt("2025-9M", 15600)], True, 20800),
        ([_pt("2025-Q1", 100, False), _pt("2025-Q2", 120, False)], True, 440),  # 220 in 6 months
        ([_pt("2025-H1", 7.2), _pt("2025-9M", 6.6)], False, 6.6),  # a rate carries forward
        ([_pt("2025", 7.3)], False, 7.3),
        ([_pt("2024-9M", 6.0)], False, None),  # nothing yet this year
    ],
)
def test_project_annual(points, additive, expected) -> None:
    assert track.project_annual(points, 2025, is_additive=additive) == expected


def test_counts_rate_is_on_time_over_due() -> None:
    c = track.counts([S.DONE_ON_TIME, S.DONE_LATE, S.OVERDUE, S.IN_TERM, S.RECURRING, S.DONE_ON_TIME])
    assert (c["total"], c["due"], c["on_time_rate"]) == (6, 4, 50.0)
    assert track.counts([S.IN_TERM])["on_time_rate"] is None


# --- calendar ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (D(2025, 1, 29), False),  # mùng 1 Tết Ất Tỵ
        (D(2025, 2, 3), True),
        (D(2026, 2, 17), False),  # mùng 1 Tết Bính Ngọ
        (D(2030, 2, 4), False),  # Tết Canh Tuất, a Monday
        (D(2025, 4, 7), False),  # Giỗ Tổ Hùng Vương 10/3 âm lịch
        (D(2025, 9, 2), False),
        (D(2026, 11, 24), False),  # Ngày Văn hóa Việt Nam, a holiday from 2026
        (D(2025, 3, 15), False),  # Saturday
        (D(2025, 3, 17), True),
    ],
)
def test_working_days(day, working) -> None:
    assert cal.is_working_day(day) is working


def test_tet_dates_2024_to_2030() -> None:
    """Mùng 1 Tết by the Vietnamese lunar calendar (UTC+7), as the holiday file lists it."""
    rows = (DATA / "holidays.csv").read_text("utf-8").splitlines()
    firsts = [r.split(",")[0] for r in rows if r.endswith(",Lunar New Year")]
    assert firsts == [
        "2024-02-10",
        "2025-01-29",
        "2026-02-17",
        "2027-02-06",
        "2028-01-26",
        "2029-02-13",
        "2030-02-02",
    ]  # 2030: China's is 3/2, Vietnam's 2/2
    assert all(cal.holidays()[date.fromisoformat(d)] == "Tết Nguyên đán" for d in firsts)


def test_working_day_arithmetic() -> None:
    assert cal.next_working_day(D(2025, 1, 29)) == D(2025, 2, 3)
    assert cal.add_working_days(D(2025, 4, 4), 1) == D(2025, 4, 8)  # weekend, then Giỗ Tổ
    assert cal.working_days_between(D(2025, 4, 25), D(2025, 5, 5)) == 3  # 28, 29 Apr and 5 May


@pytest.mark.parametrize(
    ("frequency", "label", "window"),
    [
        ("monthly", "2025-03", (D(2025, 2, 15), D(2025, 3, 14))),
        ("quarterly", "2025-Q1", (D(2024, 12, 15), D(2025, 3, 14))),
        ("quarterly", "2025-Q3", (D(2025, 6, 15), D(2025, 9, 14))),
        ("semiannual", "2025-H1", (D(2024, 12, 15), D(2025, 6, 14))),
        ("annual", "2025", (D(2024, 12, 15), D(2025, 12, 14))),
    ],
)
def test_decree_09_cutoff(frequency, label, window) -> None:
    assert cal.cutoff(frequency, Period.parse(label)) == window


@pytest.mark.parametrize(
    ("frequency", "dates", "rule", "extra"),
    [
        (
            "quarterly",
            [D(2025, 3, 15), D(2025, 6, 15), D(2025, 9, 15), D(2025, 11, 10)],
            (15, 0),
            [D(2025, 11, 10)],
        ),
        ("monthly", [D(2025, 1, 20), D(2025, 2, 20)], (20, 0), []),
        ("quarterly", [D(2025, 3, 10), D(2025, 6, 10)], (10, 0), []),
        ("quarterly", [D(2025, 2, 25)], (25, -1), []),  # the middle month of the quarter
        ("quarterly", [], (20, 0), []),
    ],
)
def test_derive_rule(frequency, dates, rule, extra) -> None:
    got, left = cal.derive_rule(frequency, dates)
    assert ((got.day, got.month_offset), left) == (rule, extra)


def test_occurrences_move_off_days_off() -> None:
    occ = cal.occurrences(cal.Rule("quarterly", 15, 0), [D(2025, 1, 29)], D(2025, 1, 1), D(2025, 6, 30))
    assert [(o.period, o.due) for o in occ] == [
        ("2025-01-29", D(2025, 2, 3)),
        ("2025-Q1", D(2025, 3, 17)),
        ("2025-Q2", D(2025, 6, 16)),
    ]


@given(st.dates(min_value=D(2024, 1, 1), max_value=D(2030, 12, 31)))
def test_next_working_day_is_working_and_not_before(d) -> None:
    n = cal.next_working_day(d)
    assert n >= d and cal.is_working_day(n) and (n - d).days < 12


@given(
    st.sampled_from(["monthly", "quarterly", "semiannual", "annual"]),
    st.dates(min_value=D(2024, 1, 1), max_value=D(2030, 6, 30)),
)
def test_periods_tile_the_calendar(frequency, start) -> None:
    ps = cal.periods(frequency, start, D(2030, 12, 31))
    assert all((b.start - a.end).days == 1 for a, b in zip(ps, ps[1:], strict=False))
    assert all(Period.parse(p.code) == p for p in ps)


# --- succession -------------------------------------------------------------------------------


REG = succession.load()


@pytest.mark.parametrize(
    ("name", "province", "on", "expected"),
    [
        (
            "Sở Kế hoạch và Đầu tư",
            "Bình Dương",
            D(2025, 1, 15),
            ("Sở Kế hoạch và Đầu tư", "Bình Dương"),
        ),
        ("Sở Kế hoạch và Đầu tư", "Bình Dương", D(2025, 3, 1), ("Sở Tài chính", "Bình Dương")),
        (
            "Sở Kế hoạch và Đầu tư",
            "Bình Dương",
            D(2025, 7, 1),
            ("Sở Tài chính", "Thành phố Hồ Chí Minh"),
        ),
        ("Sở Giao thông vận tải", "Trà Vinh", D(2026, 1, 1), ("Sở Xây dựng", "Vĩnh Long")),
        (
            "Sở Tài nguyên và Môi trường",
            "Kiên Giang",
            D(2026, 1, 1),
            ("Sở Nông nghiệp và Môi trường", "An Giang"),
        ),
        (
            "Sở Nông nghiệp và Phát triển nông thôn",
            "Bắc Giang",
            D(2026, 1, 1),
            ("Sở Nông nghiệp và Môi trường", "Bắc Ninh"),
        ),
        ("Sở Lao động - Thương binh và Xã hội", "Hà Nội", D(2026, 1, 1), ("Sở Nội vụ", "Hà Nội")),
        (
            "Ủy ban nhân dân cấp huyện",
            "Trà Vinh",
            D(2025, 7, 1),
            ("Ủy ban nhân dân cấp xã", "Vĩnh Long"),
        ),
        ("Sở Y tế", "Thừa Thiên Huế", D(2025, 2, 1), ("Sở Y tế", "Huế")),
        ("Sở Y tế", "TP.HCM", D(2026, 1, 1), ("Sở Y tế", "Thành phố Hồ Chí Minh")),
        ("Công an tỉnh", "Lạng Sơn", D(2026, 1, 1), ("Công an tỉnh", "Lạng Sơn")),
    ],
)
def test_successor_as_of_a_date(name, province, on, expected) -> None:
    assert REG.resolve(name, province, on)[:2] == expected


def test_34_provinces_after_1_july_2025() -> None:
    assert len(REG.current_provinces(D(2025, 7, 1))) == 34
    assert len(REG.current_provinces(D(2025, 6, 30))) == 63


def test_users_extend_succession_with_their_own_file(tmp_path) -> None:
    (tmp_path / "succession.csv").write_text(
        "predecessor,successor,effective,province,note\n"
        "Ban Quản lý Khu kinh tế,Sở Công Thương,2025-10-01,An Giang,Sáp nhập\n",
        "utf-8",
    )
    reg = succession.load(tmp_path)
    assert reg.resolve("Ban Quản lý Khu kinh tế", "Kiên Giang", D(2025, 11, 1))[:2] == (
        "Sở Công Thương",
        "An Giang",
    )
    assert reg.resolve("Ban Quản lý Khu kinh tế", "Cà Mau", D(2025, 11, 1))[:2] == (
        "Ban Quản lý Khu kinh tế",
        "Cà Mau",
    )


def test_a_bad_succession_file_is_a_clear_error(tmp_path) -> None:
    (tmp_path / "succession.csv").write_text("predecessor,successor,effective\nSở A,Sở B,01/03/2025\n", "utf-8")
    with pytest.raises(succession.SuccessionError, match="bản ghi 1.*01/03/2025"):
        succession.load(tmp_path)


_texts = st.lists(st.text(alphabet="abcdeđêơư ,.", min_size=1, max_size=30), max_size=12)


@given(_texts)
def test_diff_of_a_version_with_itself_is_empty(texts) -> None:
    shapes = [_shape(t) for t in texts]
    pairs, diff = track.diff_tasks(shapes, shapes)
    assert [j for _, j in pairs] == list(range(len(shapes)))
    assert all(not v for v in diff.values())


@given(_texts, _texts)
def test_every_task_is_matched_or_named_once(old_texts, new_texts) -> None:
    old, new = [_shape(t) for t in old_texts], [_shape(t) for t in new_texts]
    pairs, diff = track.diff_tasks(old, new)
    assert len(pairs) + len(diff["added"]) == len(new)
    assert len(pairs) + len(diff["removed"]) == len(old)
    assert len({i for i, _ in pairs}) == len(pairs) == len({j for _, j in pairs})
