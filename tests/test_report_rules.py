"""The report's rules one at a time, from tables of cases: the official status at a cut-off,
which indicator value counts (one rule for the store and the report), the 2025 mergers, who
signs, who receives, and the wording."""

from __future__ import annotations

from datetime import date

import pytest
from conftest import load_plan

from kehoach import track
from kehoach.report.build import Groups, ReportOptions, build_report, group_name, next_period, options_from_fields
from kehoach.report.content import PlanRef
from kehoach.report.figures import decimals_as_written, indicator_row
from kehoach.report.recipients import PlanFacts, derive, filing_line
from kehoach.report.signature import signature
from kehoach.report.wording import letter, percent, plan_subject
from kehoach.track import Status, status_at_cutoff, succession
from kehoach.vn import Period

D = date.fromisoformat
CUTOFF = D("2025-06-30")


@pytest.mark.parametrize(
    ("due", "done", "recurring", "waiting", "expected"),
    [
        ("2025-06-30", None, False, False, Status.OVERDUE),  # due the last day, not done: not on time
        ("2025-06-15", "2025-06-30", False, False, Status.DONE_LATE),
        ("2025-06-30", "2025-06-30", False, False, Status.DONE_ON_TIME),
        ("2025-06-30", "2025-07-02", False, False, Status.OVERDUE),  # done after the cut-off
        ("2025-07-01", None, False, False, Status.IN_TERM),
        (None, None, False, True, Status.WAITING),  # waiting on a condition: apart
        (None, None, True, False, Status.RECURRING),
        (None, "2025-05-01", True, False, Status.DONE_ON_TIME),
        ("2025-12-31", None, False, False, Status.IN_TERM),  # never "due soon" in a report
    ],
)
def test_the_official_status_at_a_cutoff(
    due: str | None, done: str | None, recurring: bool, waiting: bool, expected: Status
) -> None:
    got = status_at_cutoff(
        due=D(due) if due else None,
        done_on=D(done) if done else None,
        cutoff=CUTOFF,
        recurring=recurring,
        waiting=waiting,
    )
    assert got is expected


# --- which value counts ---------------------------------------------------------------------------


def test_one_rule_decides_which_value_counts_in_the_store_and_the_report(db) -> None:  # noqa: ANN001
    """A quarter's year-to-date estimate and its single-quarter official figure: the store showed
    one, the report the other (two sort keys). Now both follow `track.counting_value`."""
    plan_id = db.ingest(load_plan("002_23dbc6410858588b.json")).plan_id
    ind = next(i for i in db.indicators(plan=plan_id) if i["name"] == "Phát triển mới doanh nghiệp")
    db.record_value(ind["id"], "2025-Q2", 500, actor="STC", cumulative=True, on=D("2025-07-02"))
    db.record_value(ind["id"], "2025-Q2", 260, actor="STC", kind="official", on=D("2025-07-03"))
    stored = db.indicator(ind["id"], as_of=D("2025-07-05"))
    row = indicator_row(db.indicator(ind["id"], as_of=D("2025-07-05")), Period.parse("2025-Q2"), CUTOFF)
    values = [track.Value(v["id"], v["period"], v["value"], v["kind"], v["cumulative"]) for v in stored["values"]]
    rule = track.counting_value(values, Period.parse("2025-Q2"))
    assert rule is not None and rule.value == 500  # year to date: what a year's target is measured against
    assert stored["latest"]["value"] == row.actual == rule.value
    # a later official year-to-date figure wins over the estimate, in both
    db.record_value(ind["id"], "2025-H1", 480, actor="CTK", kind="official", on=D("2025-07-20"))
    stored = db.indicator(ind["id"], as_of=D("2025-07-25"))
    row = indicator_row(stored, Period.parse("2025-Q2"), CUTOFF)
    assert stored["latest"]["value"] == row.actual == 480


@pytest.mark.parametrize(
    ("values", "period", "expected"),
    [
        # (id, period, value, kind, cumulative)
        ([(1, "2025-Q2", 10, "estimate", False), (2, "2025-Q2", 11, "official", False)], "2025-Q2", 11),
        ([(1, "2025-Q2", 10, "official", False), (2, "2025-Q2", 12, "estimate", False)], "2025-Q2", 10),
        ([(1, "2025-Q2", 10, "official", False), (2, "2025-H1", 25, "estimate", False)], "2025-Q2", 25),
        ([(1, "2025-06", 4, "official", False), (2, "2025-Q2", 10, "estimate", False)], "2025-Q2", 10),
        ([(1, "2025-Q4", 90, "official", True)], "2025", 90),  # the fourth quarter to date is the year
        ([(1, "2025-H2", 40, "official", False)], "2025", None),  # the second half is not the year
    ],
)
def test_counting_value(values: list[tuple], period: str, expected: float | None) -> None:
    got = track.counting_value([track.Value(*v) for v in values], Period.parse(period))
    assert (got.value if got else None) == expected


def test_a_report_judges_with_the_values_of_periods_ended_by_its_cutoff(db) -> None:  # noqa: ANN001
    plan_id = db.ingest(load_plan("002_23dbc6410858588b.json")).plan_id
    ind = next(i for i in db.indicators(plan=plan_id) if i["name"] == "Phát triển mới doanh nghiệp")
    db.record_value(ind["id"], "2025-Q2", 500, actor="STC", cumulative=True, on=D("2025-07-02"))
    db.record_value(ind["id"], "2025", 1300, actor="STC", kind="official", on=D("2026-01-20"))
    q2 = build_report(db, plan_id, "2025-Q2", options=ReportOptions(report_date=D("2026-02-01")))
    year = build_report(db, plan_id, "2025", options=ReportOptions(report_date=D("2026-02-01")))
    mine = {i.name: i for i in q2.indicators}["Phát triển mới doanh nghiệp"]
    # 500 of 520 by June: 96,15 % of the year's plan, projected 1.000 for the year: likely met
    assert (mine.actual, mine.share, mine.verdict) == (500, 96.15, "Dự kiến đạt")
    # the year's figure, published on 20 January, counts for the year's report, not the June one
    y = {i.name: i for i in year.indicators}["Phát triển mới doanh nghiệp"]
    assert (y.actual, y.verdict, y.estimate) == (1300, "Vượt", False)


@pytest.mark.parametrize(
    ("text", "values", "decimals"),
    [
        ("Tăng trưởng GRDP đạt 8,0% trở lên", (8.0,), 1),
        ("Tăng trưởng GRDP đạt 7,0 - 7,5%", (7.0, 7.5), 1),
        ("Thu ngân sách 30.000 tỷ đồng", (30000,), 0),
        ("Tỷ lệ hộ nghèo giảm 0,15%", (0.15,), 2),
    ],
)
def test_numbers_keep_their_decimals_as_written(text: str, values: tuple, decimals: int) -> None:
    assert decimals_as_written(text, *values) == decimals


# --- the 2025 mergers -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "province", "on", "now", "formerly"),
    [
        ("Ủy ban nhân dân tỉnh Trà Vinh", "Trà Vinh", "2025-06-30", "Ủy ban nhân dân tỉnh Trà Vinh", None),
        ("Ủy ban nhân dân tỉnh Trà Vinh", "Trà Vinh", "2025-07-01", "Ủy ban nhân dân tỉnh Vĩnh Long", "(nay là"),
        ("Sở Kế hoạch và Đầu tư", "Trà Vinh", "2025-02-28", "Sở Kế hoạch và Đầu tư", None),
        (
            "Sở Kế hoạch và Đầu tư",
            "Trà Vinh",
            "2025-03-01",
            "Sở Tài chính",
            "Sở Kế hoạch và Đầu tư (nay là Sở Tài chính)",
        ),
        ("Bộ Kế hoạch và Đầu tư", None, "2025-03-01", "Bộ Tài chính", "(nay là Bộ Tài chính)"),
        ("Tỉnh ủy Bình Dương", "Bình Dương", "2025-07-01", "Thành ủy Thành phố Hồ Chí Minh", "(nay là"),
        ("Hội đồng nhân dân tỉnh Hải Dương", "Hải Dương", "2025-07-01", "Hội đồng nhân dân thành phố Hải Phòng", None),
        ("Ban Thường vụ Tỉnh ủy An Giang", "An Giang", "2026-01-01", "Ban Thường vụ Tỉnh ủy An Giang", None),
    ],
)
def test_bodies_are_named_as_they_exist_on_the_day(
    name: str, province: str | None, on: str, now: str, formerly: str | None
) -> None:
    reg = succession.load()
    assert reg.now(name, province, D(on)) == now
    if formerly:
        assert formerly in reg.formerly(name, province, D(on))
    assert reg.is_city("TP.HCM") and reg.is_city("Hà Nội") and not reg.is_city("Vĩnh Long")


# --- who signs, who receives ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("issuer", "title", "lines"),
    [
        ("Ủy ban nhân dân tỉnh Vĩnh Long", "Chủ tịch", ("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH")),
        ("Ủy ban nhân dân tỉnh Vĩnh Long", "Phó Chủ tịch", ("TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH")),
        (
            "Ủy ban nhân dân tỉnh Vĩnh Long",
            "Phó Chủ tịch Thường trực",
            ("TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH THƯỜNG TRỰC"),
        ),
        ("Ủy ban nhân dân tỉnh Vĩnh Long", "Chánh Văn phòng", ("TL. CHỦ TỊCH", "CHÁNH VĂN PHÒNG")),
        ("Ban Thường vụ Tỉnh ủy An Giang", "Bí thư", ("T/M BAN THƯỜNG VỤ", "BÍ THƯ")),
        ("Ban Thường vụ Tỉnh ủy An Giang", "Phó Bí thư", ("T/M BAN THƯỜNG VỤ", "PHÓ BÍ THƯ")),
        ("Đảng ủy xã Mỹ Hòa", "Bí thư", ("T/M ĐẢNG ỦY", "BÍ THƯ")),
        ("Sở Tài chính", None, ("GIÁM ĐỐC",)),
        ("Sở Tài chính", "Phó Giám đốc", ("KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC")),
    ],
)
def test_signature_blocks(issuer: str, title: str | None, lines: tuple) -> None:
    assert signature(issuer, title).lines == lines


def test_recipients_are_who_the_plan_reports_to_never_the_issuer() -> None:
    reg = succession.load()
    facts = PlanFacts(
        implements=("01/NQ-CP",),
        title="Thực hiện Nghị quyết số 01/NQ-CP về nhiệm vụ, giải pháp chủ yếu thực hiện Kế hoạch phát triển "
        "kinh tế - xã hội",
        texts=("Thực hiện Nghị quyết số 23-NQ/TU của Tỉnh ủy và Nghị quyết số 82/NQ-HĐND",),
        duty_recipients=("Ủy ban nhân dân tỉnh", "Sở Kế hoạch và Đầu tư", "Văn phòng Ủy ban nhân dân tỉnh"),
        leads=("Sở Y tế", "Sở Kế hoạch và Đầu tư", "Ủy ban nhân dân cấp huyện"),
    )
    before = derive(
        facts, issuer="Ủy ban nhân dân tỉnh Trà Vinh", province="Trà Vinh", registry=reg, on=D("2025-02-10")
    )
    assert before == [
        "Văn phòng Chính phủ",
        "Bộ Kế hoạch và Đầu tư",
        "Thường trực Tỉnh ủy",
        "Thường trực Hội đồng nhân dân tỉnh",
        "Chủ tịch, các Phó Chủ tịch Ủy ban nhân dân tỉnh",
        "Sở Kế hoạch và Đầu tư",
        "Sở Y tế",
        "Ủy ban nhân dân các huyện, thị xã, thành phố",
    ]
    after = derive(
        facts, issuer="Ủy ban nhân dân tỉnh Vĩnh Long", province="Trà Vinh", registry=reg, on=D("2025-08-10")
    )
    assert after == [
        "Văn phòng Chính phủ",
        "Bộ Tài chính",
        "Thường trực Tỉnh ủy",
        "Thường trực Hội đồng nhân dân tỉnh",
        "Chủ tịch, các Phó Chủ tịch Ủy ban nhân dân tỉnh",
        "Sở Tài chính",
        "Sở Y tế",
        "Ủy ban nhân dân các xã, phường",
    ]
    party = PlanFacts(
        implements=("18-KL/TW",), duty_recipients=("Ban Thường vụ Tỉnh ủy",), leads=("Văn phòng Tỉnh ủy",)
    )
    got = derive(party, issuer="Ban Thường vụ Tỉnh ủy An Giang", province="An Giang", registry=reg, on=D("2026-07-10"))
    assert got[:3] == [
        "Ban Bí thư (để báo cáo)",
        "Văn phòng Trung ương Đảng",
        "Các đồng chí Ủy viên Ban Thường vụ Tỉnh ủy",
    ]
    assert "Ban Thường vụ Tỉnh ủy" not in got
    assert filing_line("Ủy ban nhân dân tỉnh Vĩnh Long", False) == "Lưu: VT, TH"
    assert filing_line("Ban Thường vụ Tỉnh ủy An Giang", True) == "Lưu Văn phòng Tỉnh ủy"
    assert filing_line("Sở Tài chính", False, "KHNS") == "Lưu: VT, KHNS"


# --- wording --------------------------------------------------------------------------------------


def test_groups_are_lettered_the_vietnamese_way() -> None:
    assert [letter(n) for n in range(12)] == ["a", "b", "c", "d", "đ", "e", "g", "h", "i", "k", "l", "m"]
    assert letter(22) == "y" and letter(23) == "aa"


def test_a_group_named_twice_is_one_group() -> None:
    groups = Groups()
    heading = "hoàn thiện thể chế phát triển đồng bộ, hiện đại, cạnh tranh để tạo đột phá tăng trưởng"
    a = groups.of(f"Tập trung {heading}")
    b = groups.of(f"Nhóm nhiệm vụ về tập trung {heading}")
    c = groups.of("Hiện đại hóa giáo dục, nâng cao chất lượng đào tạo, thu hút, trọng dụng nhân tài")
    assert a == b != c and len(groups.names) == 2
    assert group_name("TỔ CHỨC THỰC HIỆN") == "Tổ chức thực hiện"


@pytest.mark.parametrize(
    ("ref", "text"),
    [
        (
            PlanRef("Kế hoạch hành động", "77/QĐ-UBND", D("2025-01-18")),
            "Kế hoạch hành động ban hành kèm theo Quyết định số 77/QĐ-UBND ngày 18/01/2025",
        ),
        (PlanRef("Kế hoạch", "45/KH-UBND", D("2025-01-20")), "Kế hoạch số 45/KH-UBND ngày 20/01/2025"),
        (PlanRef("Kế hoạch", "86-KH/TU", None, "Tỉnh ủy An Giang"), "Kế hoạch số 86-KH/TU của Tỉnh ủy An Giang"),
    ],
)
def test_the_plan_is_cited_by_what_it_is(ref: PlanRef, text: str) -> None:
    assert ref.text == text


def test_no_doubled_phrases_and_decimals_as_written() -> None:
    assert plan_subject("Phát triển du lịch năm 2025") == "về phát triển du lịch năm 2025"
    assert plan_subject("Thực hiện Nghị quyết số 01/NQ-CP ngày 08/01/2025 của Chính phủ về nhiệm vụ") == (
        "thực hiện Nghị quyết số 01/NQ-CP ngày 08/01/2025 của Chính phủ"
    )
    assert [percent(v) for v in (8.0, 6.8, 6.95, 7.27)] == ["8,0%", "6,8%", "6,95%", "7,27%"]
    assert (
        next_period(Period.parse("2025-Q4")).code == "2026-Q1"
        and next_period(Period.parse("2025-H1")).code == "2025-H2"
    )


def test_a_form_gives_options_and_refuses_a_bad_date() -> None:
    opts = options_from_fields(
        {
            "date": "05/07/2025",
            "cutoff": "30/06/2025",
            "signer_title": "Phó Chủ tịch",
            "recipients": "Bộ Tài chính\n\n Sở Y tế ",
        },
        province="Vĩnh Long",
    )
    assert (opts.report_date, opts.cutoff, opts.signer_title) == (D("2025-07-05"), D("2025-06-30"), "Phó Chủ tịch")
    assert opts.recipients == ["Bộ Tài chính", " Sở Y tế "] and opts.province == "Vĩnh Long"
    with pytest.raises(track.ValidationError, match="cutoff"):
        options_from_fields({"cutoff": "31/02/2025"})


def test_a_group_whose_heading_is_contained_in_anothers_is_one_group() -> None:
    groups = Groups()
    a = groups.of("Tập trung phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số")
    b = groups.of(
        "Nhóm nhiệm vụ về tập trung phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số phục vụ "
        "trực tiếp các hoạt động của nền kinh tế"
    )
    c = groups.of("Nhiệm vụ, giải pháp về vay, trả nợ công")  # few words: only when alike
    d = groups.of("Nhiệm vụ, giải pháp về tài chính - ngân sách nhà nước")
    assert a == b and len({a, c, d}) == 3


def report_imports() -> dict[str, set[str]]:
    """Module → the modules of kehoach/report it imports, at the top or inside a function."""
    import ast
    from pathlib import Path

    import kehoach.report

    package = Path(kehoach.report.__file__).parent
    graph: dict[str, set[str]] = {}
    for path in package.glob("*.py"):
        found: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level == 1:  # `from . import wording`, `from .docx import …`
                    found |= {base} if base else {a.name for a in node.names}
                elif base.startswith("kehoach.report"):
                    found.add(base.removeprefix("kehoach.report").lstrip(".") or node.names[0].name)
            elif isinstance(node, ast.Import):
                found |= {a.name.split(".")[2] for a in node.names if a.name.startswith("kehoach.report.")}
        graph[path.stem] = {m.split(".")[0] for m in found} - {path.stem}
    return graph


def test_the_report_package_has_no_import_cycle() -> None:
    graph = report_imports()
    assert graph["docx"] >= {"wording", "content"} and "build" not in graph["docx"]
    done: set[str] = set()

    def visit(module: str, path: tuple[str, ...]) -> None:
        assert module not in path, " → ".join((*path, module))
        if module in done:
            return
        for imported in graph.get(module, ()):
            visit(imported, (*path, module))
        done.add(module)

    for module in graph:
        visit(module, ())
