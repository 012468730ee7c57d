"""The synthesis report built from a scripted register, written, and read back."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook
from typer.testing import CliRunner

from kehoach.cli import app
from kehoach.report.build import ReportOptions, build_report
from kehoach.report.content import DONE_LATE, DONE_ON_TIME, HARD, IN_PROGRESS, OVERDUE, RECURRING
from kehoach.report.write import write_report
from kehoach.track.growth import GrowthInput
from kehoach.vn import fmt_date, fmt_number

GOLD = Path("/work/shared/eval/gold/002_23dbc6410858588b.json")
TODAY = date(2025, 7, 5)
AS_OF = date(2025, 6, 30)


def task(section: str, text: str, lead: str, due: str | None, recurring: bool = False) -> dict:
    deadline = None
    if due is not None or recurring:
        written = "Thường xuyên" if recurring else f"Trước ngày {fmt_date(date.fromisoformat(due))}"
        deadline = {"text": written, "due": due, "recurring": recurring, "condition": None}
    return {
        "section": section,
        "text": text,
        "lead": [lead],
        "coordinate": [],
        "monitor": [],
        "deadline": deadline,
    }


def scripted_plan() -> dict:
    scenario = json.loads(GOLD.read_text(encoding="utf-8"))["scenarios"][0]
    econ, social = "Phát triển kinh tế", "Văn hóa - xã hội"
    return {
        "format": "plan/v1",
        "source": "45_KH-UBND.txt",
        "document": {
            "doc_type": "KẾ HOẠCH",
            "number": "45/KH-UBND",
            "issuer": "Ủy ban nhân dân tỉnh Trà Vinh",
            "province": "Trà Vinh",
            "issued_date": "2025-01-20",
            "title": "Thực hiện Nghị quyết số 01/NQ-CP ngày 08/01/2025 của Chính phủ năm 2025",
            "implements": ["01/NQ-CP"],
            "signer_name": "Lê Văn Hảo",
            "signer_title": "Chủ tịch",
            "growth_target": "7-7,5%",
        },
        "tasks": [
            task(
                econ,
                "Ban hành kế hoạch giải ngân vốn đầu tư công năm 2025",
                "Sở Tài chính",
                "2025-03-31",
            ),
            task(
                econ,
                "Rà soát, điều chuyển vốn các dự án chậm giải ngân",
                "Sở Tài chính",
                "2025-04-30",
            ),
            task(econ, "Hoàn thành giải phóng mặt bằng tuyến tránh", "Sở Xây dựng", "2025-05-31"),
            task(social, "Nâng cao chất lượng khám chữa bệnh tuyến cơ sở", "Sở Y tế", "2025-12-31"),
            task(social, "Xây dựng đề án thu hút đầu tư", "Sở Kế hoạch và Đầu tư", "2025-06-15"),
            task(econ, "Kiểm tra chất lượng công trình", "Sở Xây dựng", None, recurring=True),
        ],
        "indicators": [
            {
                "group": "Chỉ tiêu kinh tế",
                "text": "Tăng trưởng GRDP đạt 7,0 - 7,5%",
                "agency": ["Cục Thống kê"],
                "year": "2025",
                "targets": [
                    {
                        "name": "Tăng trưởng GRDP",
                        "comparator": "range",
                        "value": None,
                        "min": 7.0,
                        "max": 7.5,
                        "unit": "%",
                    }
                ],
            },
            {
                "group": "Chỉ tiêu kinh tế",
                "text": "Tổng vốn đầu tư toàn xã hội 30.000 tỷ đồng",
                "agency": ["Sở Tài chính"],
                "year": "2025",
                "targets": [
                    {
                        "name": "Tổng vốn đầu tư toàn xã hội",
                        "comparator": ">=",
                        "value": 30000,
                        "min": None,
                        "max": None,
                        "unit": "tỷ đồng",
                    }
                ],
            },
        ],
        "scenarios": [scenario],
        "reporting": [
            {
                "reporters": ["Các sở, ban, ngành"],
                "recipient": "Sở Tài chính",
                "frequency": "quarterly",
                "deadlines": [],
                "text": "Định kỳ hằng quý báo cáo kết quả gửi Sở Tài chính tổng hợp.",
            },
            {
                "reporters": ["Sở Tài chính"],
                "recipient": "Bộ Tài chính",
                "frequency": "annual",
                "deadlines": [],
                "text": "Sở Tài chính tổng hợp báo cáo Bộ Tài chính.",
            },
        ],
    }


@pytest.fixture
def scripted(db) -> tuple:  # noqa: ANN001
    return script(db)


def script(db) -> tuple:  # noqa: ANN001
    """Ingest the plan, then the departments' updates and the statistics office's figures."""
    plan_id = db.ingest(scripted_plan()).plan_id
    ids = [t["id"] for t in db.tasks(plan=plan_id, as_of=AS_OF)]
    t1, t2, t3, t4, t5, _ = ids
    # T1's narrative is from the first quarter: not a result of this period.
    db.update_task(
        t1,
        actor="STC",
        state="hoàn thành",
        product_number="15/KH-STC",
        narrative="Đã ban hành kế hoạch giải ngân.",
        on=date(2025, 3, 20),
    )
    db.update_task(
        t2,
        actor="STC",
        state="hoàn thành",
        product_number="20/BC-STC",
        narrative="Đã điều chuyển 120 tỷ đồng.",
        on=date(2025, 5, 15),
    )
    db.update_task(
        t3,
        actor="SXD",
        state="đang thực hiện",
        percent=60,
        difficulties="Thiếu nguồn vật liệu san lấp.",
        on=date(2025, 5, 20),
    )
    db.update_task(
        t4,
        actor="SYT",
        state="đang thực hiện",
        percent=40,
        narrative="Đã tập huấn cho 120 trạm y tế xã.",
        proposals="Đề nghị bổ sung kinh phí mua sắm trang thiết bị.",
        on=date(2025, 6, 10),
    )
    # Reported in the first quarter: outside the period, so not in the report.
    db.update_task(
        t4,
        actor="SYT",
        state="đang thực hiện",
        percent=10,
        proposals="Đề xuất cũ của quý I.",
        on=date(2025, 2, 10),
    )
    inds = {i["name"]: i["id"] for i in db.indicators(plan=plan_id)}
    grdp, capital = inds["Tăng trưởng GRDP"], inds["Tổng vốn đầu tư toàn xã hội"]
    db.record_value(grdp, "2025-H1", 6.8, actor="CTK", kind="official", on=date(2025, 7, 1))
    db.record_value(grdp, "2024-H1", 6.5, actor="CTK", kind="official", on=date(2024, 7, 1))
    db.record_value(capital, "2025-Q2", 14000, actor="STC", cumulative=True, on=date(2025, 6, 28))
    db.record_value(capital, "2024-Q2", 12500, actor="STC", cumulative=True, on=date(2024, 6, 28))
    return plan_id, ids


GROWTH = GrowthInput(
    actual={
        "Nông nghiệp, lâm nghiệp và thủy sản": {1: 1.9, 2: 2.5},
        "Công nghiệp và Xây dựng": {1: 11.0, 2: 10.2},
        "Dịch vụ": {1: 7.5, 2: 6.0},
        "Thuế sản phẩm trừ trợ cấp sản phẩm": {1: 4.0, 2: 4.2, 3: 9.9},
    },
    previous={
        "Nông nghiệp, lâm nghiệp và thủy sản": {1: 4000, 2: 3000, 3: 3500, 4: 4500},
        "Công nghiệp và Xây dựng": {1: 2500, 2: 2800, 3: 3000, 4: 3600},
        "Dịch vụ": {1: 3000, 2: 3100, 3: 3200, 4: 3500},
        "Thuế sản phẩm trừ trợ cấp sản phẩm": {1: 500, 2: 500, 3: 520, 4: 560},
    },
)


def test_counts_and_departments_equal_the_register(db, scripted: tuple) -> None:  # noqa: ANN001
    plan_id, _ = scripted
    r = build_report(db, plan_id, "2025-Q2", today=TODAY)
    # T1 done 20/3 for 31/3; T2 done 15/5 for 30/4; T3 due 31/5 and T5 due 15/6 not done by the
    # cut-off; T4 due at year end; T6 recurring, counted apart.
    assert r.cutoff == AS_OF
    assert r.status_counts == {DONE_ON_TIME: 1, DONE_LATE: 1, OVERDUE: 2, IN_PROGRESS: 1, RECURRING: 1}
    depts = {d.department: d for d in r.departments}
    # Sở Kế hoạch và Đầu tư's task counts for Sở Tài chính, which it merged into.
    assert depts["Sở Tài chính"].counts == {DONE_ON_TIME: 1, DONE_LATE: 1, OVERDUE: 1}
    assert depts["Sở Xây dựng"].counts == {OVERDUE: 1, RECURRING: 1}
    assert depts["Sở Y tế"].counts == {IN_PROGRESS: 1}
    # The store's own ranking gives the same on-time shares.
    stats = {s["agency"]: s for s in db.stats(as_of=AS_OF, by="agency", plan=plan_id)}
    for name in ("Sở Tài chính", "Sở Xây dựng"):
        assert round(depts[name].on_time_share, 1) == stats[name]["on_time_rate"]
    assert depts["Sở Y tế"].on_time_share is None
    overdue = {o.text: o for o in r.overdue}
    t3 = overdue["Hoàn thành giải phóng mặt bằng tuyến tránh"]
    assert (t3.days_overdue, t3.difficulty, t3.departments) == (30, "Thiếu nguồn vật liệu san lấp.", ["Sở Xây dựng"])
    assert overdue["Xây dựng đề án thu hút đầu tư"].days_overdue == 15
    assert [(n.department, n.text, n.task) for n in r.proposals] == [
        (
            "Sở Y tế",
            "Đề nghị bổ sung kinh phí mua sắm trang thiết bị.",
            "nhiệm vụ “Nâng cao chất lượng khám chữa bệnh tuyến cơ sở”",
        )
    ]
    assert [(n.department, n.text) for n in r.difficulties] == [("Sở Xây dựng", "Thiếu nguồn vật liệu san lấp.")]
    groups = {g.section: g for g in r.groups}
    assert groups["Phát triển kinh tế"].total == 4
    # T1's narrative is from the first quarter: not a result of this period.
    assert groups["Phát triển kinh tế"].results == [
        "Sở Tài chính (nhiệm vụ “Rà soát, điều chuyển vốn các dự án chậm giải ngân”): Đã điều chuyển 120 tỷ đồng."
    ]
    # Reported on 5 July 2025, after Trà Vinh merged into Vĩnh Long: the successor reports.
    assert (r.issuer, r.heading.place) == ("Ủy ban nhân dân tỉnh Vĩnh Long", "Vĩnh Long")
    assert r.recipients == [
        "Văn phòng Chính phủ",
        "Bộ Tài chính",
        "Chủ tịch, các Phó Chủ tịch Ủy ban nhân dân tỉnh",
        "Sở Tài chính",
        "Sở Xây dựng",
        "Sở Y tế",
    ]
    assert r.signature.lines == ("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH")


def test_indicators_and_growth_from_the_register(db, scripted: tuple) -> None:  # noqa: ANN001
    plan_id, _ = scripted
    r = build_report(db, plan_id, "2025-Q2", today=TODAY, options=ReportOptions(growth=GROWTH))
    rows = {i.name: i for i in r.indicators}
    grdp = rows["Tăng trưởng GRDP"]
    # 6,8 for the half year (recorded on 1 July: a figure for the period, whenever it came in),
    # against 6,5 a year earlier: a rate, compared in points, never as a share of plan.
    assert (grdp.actual, grdp.previous, grdp.share) == (6.8, 6.5, None)
    assert grdp.same_period == pytest.approx(0.3)
    assert grdp.target_text == "7,0 - 7,5"  # the plan writes 7,0
    capital = rows["Tổng vốn đầu tư toàn xã hội"]
    # 14.000 of 30.000 = 46,67 % of the year's plan; 14.000 / 12.500 = 112 %.
    assert capital.share == 46.67  # the register's share, to two decimals
    assert capital.same_period == pytest.approx(112.0)
    assert capital.estimate  # recorded as an estimate
    # Not due until the year ends; projected 14.000 × 12/6 = 28.000 < 30.000: hard to meet.
    assert capital.verdict == HARD
    assert r.growth is not None
    # Q3 figures are ignored in a Q2 report.
    assert r.growth.quarters_known == 2
    assert "Q3" not in r.growth.row("Thuế sản phẩm trừ trợ cấp sản phẩm").actual


def test_docx_and_xlsx_numbers_equal_the_register(
    db,
    scripted: tuple,
    tmp_path: Path,  # noqa: ANN001
) -> None:
    plan_id, _ = scripted
    r = build_report(db, plan_id, "2025-Q2", today=TODAY, options=ReportOptions(growth=GROWTH))
    doc = Document(str(write_report(r, tmp_path / "bc.docx")))
    texts = [p.text for p in doc.paragraphs]
    assert texts[texts.index("BÁO CÁO") + 1] == (
        "Kết quả quý II năm 2025 thực hiện Kế hoạch số 45/KH-UBND ngày 20/01/2025 thực hiện Nghị quyết số "
        "01/NQ-CP ngày 08/01/2025 của Chính phủ năm 2025"
    )
    dept_table = next(t for t in doc.tables if t.rows[0].cells[1].text == "Đơn vị chủ trì")
    rows = {row.cells[1].text: [c.text for c in row.cells] for row in dept_table.rows[1:]}
    assert rows["Sở Tài chính"][2:] == ["3", "1", "1", "0", "1", "0", "33,3"]
    assert rows["Sở Xây dựng"][2:] == ["2", "0", "0", "0", "1", "1", "0,0"]
    assert rows["Sở Y tế"][2:] == ["1", "0", "0", "1", "0", "0", "-"]
    assert rows["Cả kế hoạch"][2:] == ["6", "1", "1", "1", "2", "1", "25,0"]
    ind_table = next(t for t in doc.tables if t.rows[0].cells[1].text == "Chỉ tiêu")
    ind = {row.cells[1].text: [c.text for c in row.cells] for row in ind_table.rows[1:]}
    assert ind["Tổng vốn đầu tư toàn xã hội"][3:] == ["≥ 30.000", "14.000 (ước)", "46,7", "112,0%", "Khó đạt"]
    assert ind["Tăng trưởng GRDP"][3:7] == ["7,0 - 7,5", "6,8", "", "0,30 điểm %"]
    overdue = next(t for t in doc.tables if t.rows[0].cells[1].text == "Nhiệm vụ")
    assert [c.text for c in overdue.rows[1].cells][2:5] == ["Sở Xây dựng", "Trước ngày 31/05/2025", "30"]
    assert len(doc.inline_shapes) == 1
    growth = next(t for t in doc.tables if t.rows[0].cells[1].text == "Ngành kinh tế")
    assert r.growth is not None
    assert growth.rows[1].cells[3].text == fmt_number(r.growth.total.actual["H1"], 2)
    wb = load_workbook(write_report(r, tmp_path / "bc.xlsx"))
    xs = {row[1]: row for row in wb["Theo đơn vị"].iter_rows(min_row=2, values_only=True)}
    assert xs["Sở Tài chính"][2:8] == (3, 1, 1, 0, 1, 0)
    assert xs["Cả kế hoạch"][2:8] == (6, 1, 1, 1, 2, 1)


def test_cli_report_export_import(db_url: str, db, scripted: tuple, tmp_path: Path) -> None:  # noqa: ANN001
    plan_id, _ = scripted
    runner = CliRunner()
    out = tmp_path / "bc.docx"
    res = runner.invoke(
        app,
        [
            "report",
            str(plan_id),
            "--period",
            "2025-Q2",
            "--out",
            str(out),
            "--db",
            db_url,
            "--number",
            "99/BC-UBND",
            "--date",
            "05/07/2025",
            "--signer",
            "Lê Văn Hảo",
        ],
    )
    assert res.exit_code == 0, res.output
    doc = Document(str(out))
    assert doc.tables[0].rows[1].cells[0].text == "Số: 99/BC-UBND"
    # Trà Vinh merged into Vĩnh Long on 1 July 2025: the report of 5 July is Vĩnh Long's.
    assert doc.tables[0].rows[1].cells[1].text == "Vĩnh Long, ngày 05 tháng 7 năm 2025"
    filled = tmp_path / "stc.xlsx"
    res = runner.invoke(
        app,
        [
            "export",
            str(plan_id),
            "-d",
            "Sở Tài chính",
            "-p",
            "2025-Q2",
            "--out",
            str(filled),
            "--db",
            db_url,
        ],
    )
    assert res.exit_code == 0, res.output
    wb = load_workbook(filled)
    ws = wb["Nhiệm vụ"]
    ws["J2"] = "abc"
    wb.save(filled)
    res = runner.invoke(app, ["import", str(filled), "--db", db_url, "--by", "Nguyễn Văn A"])
    assert res.exit_code == 2 and "--user" in res.output  # who imports must be said, not read from the file
    scope = ["--department", "Sở Tài chính", "--province", "Trà Vinh"]  # the old name is the new province
    res = runner.invoke(app, ["import", str(filled), "--db", db_url, "--by", "Nguyễn Văn A", *scope])
    assert res.exit_code == 1
    assert "Nhiệm vụ, dòng 2, cột J (Tỷ lệ hoàn thành (%)) 'abc'" in res.output
    assert "Không ghi dòng nào" in res.output
    growth = tmp_path / "tt.xlsx"
    res = runner.invoke(app, ["export", str(plan_id), "--growth", "--out", str(growth), "--db", db_url])
    assert res.exit_code == 0, res.output
    assert load_workbook(growth)["Tăng trưởng"]["B2"].value == "Tổng sản phẩm trong tỉnh (GRDP)"


def test_growth_from_quarterly_values_in_the_register(db, scripted: tuple, tmp_path: Path) -> None:  # noqa: ANN001
    plan_id, _ = scripted
    grdp = next(i["id"] for i in db.indicators(plan=plan_id) if i["name"] == "Tăng trưởng GRDP")
    db.record_value(grdp, "2025-Q1", 6.5, actor="CTK", kind="official", on=date(2025, 4, 5))
    db.record_value(grdp, "2025-Q2", 7.1, actor="CTK", on=date(2025, 7, 3))
    db.record_value(grdp, "2025-Q3", 7.9, actor="CTK", on=date(2025, 7, 3))  # not in Q2
    r = build_report(db, plan_id, "2025-Q2", today=TODAY)
    assert r.growth is not None
    total = r.growth.total
    # No levels: the quarters' gaps, and the half year as the statistics office published it
    # (6,8 recorded for 2025-H1). Q1 6,5 − 7,27 = −0,77; Q2 7,1 − 6,64 = +0,46;
    # H1 6,8 − 6,95 = −0,15 points.
    assert total.actual == {"Q1": 6.5, "Q2": 7.1, "H1": 6.8}
    assert total.gap == {"Q1": pytest.approx(-0.77), "Q2": pytest.approx(0.46), "H1": pytest.approx(-0.15)}
    assert total.contribution == {} and total.required is None
    doc = Document(str(write_report(r, tmp_path / "bc.docx")))
    texts = [p.text for p in doc.paragraphs]
    # The half year's figure is official: `đạt`, not `ước đạt`; its decimals as its own.
    assert "Tăng trưởng GRDP 6 tháng đầu năm đạt 6,8%, thấp hơn kịch bản (6,95%) 0,15 điểm phần trăm." in texts
    db.record_value(grdp, "2025-H1", 6.9, actor="CTK", on=date(2025, 7, 4))  # an estimate, later: it counts
    r = build_report(db, plan_id, "2025-Q2", today=TODAY)
    texts = [p.text for p in Document(str(write_report(r, tmp_path / "bc2.docx"))).paragraphs]
    assert any(t.startswith("Tăng trưởng GRDP 6 tháng đầu năm đạt 6,8%") for t in texts)  # official over estimate


def value(period: str, v: float, kind: str = "estimate", vid: int = 1, on: str = "2025-07-01") -> dict:
    return {"id": vid, "period": period, "value": v, "kind": kind, "cumulative": False, "on": on}


@pytest.mark.parametrize(
    ("name", "row"),
    [
        ("Tăng trưởng GRDP đạt", "Tổng sản phẩm trong tỉnh (GRDP)"),
        ("nông nghiệp tăng", "Nông nghiệp, lâm nghiệp và thủy sản"),
        ("công nghiệp - xây dựng tăng", "Công nghiệp và Xây dựng"),
        ("Tăng trưởng dịch vụ", "Dịch vụ"),
        ("thuế sản phẩm trừ trợ cấp sản phẩm tăng", "Thuế sản phẩm trừ trợ cấp sản phẩm"),
        ("Nông nghiệp chiếm", None),  # a share, not growth
        ("Kim ngạch xuất khẩu tăng", None),  # growth, but of no scenario row
    ],
)
def test_growth_indicators_matched_to_scenario_rows(name: str, row: str | None) -> None:
    from kehoach.report.figures import growth_from_indicators
    from kehoach.track.growth import parse_scenario

    scenario = parse_scenario(json.loads(GOLD.read_text(encoding="utf-8"))["scenarios"][0])
    ind = {
        "name": name,
        "unit": "%",
        "values": [
            value("2025-Q1", 6.0, vid=1),
            value("2025-Q1", 6.2, "official", vid=2),
            value("2025-Q2", 7.0, vid=3),
            value("2024-Q2", 5.0, vid=4),
            value("2025-Q3", 9.0, vid=5, on="2025-10-05"),
        ],
    }
    got = growth_from_indicators([ind], scenario, 2025, TODAY)
    # The official Q1 figure wins over the estimate; Q3 had not ended on 05/07/2025.
    assert got.figures.actual == ({} if row is None else {row: {1: 6.2, 2: 7.0}})
    if row is not None:
        assert not got.estimate(row, "Q1") and got.estimate(row, "Q2") and got.estimate(row, "H1")


@pytest.mark.parametrize(
    ("actor", "expected"),
    [
        ("Nguyễn Văn A (Sở Tài chính)", ("Sở Tài chính",)),
        ("so tai chinh", ("Sở Tài chính",)),
        ("Nguyễn Văn A", ("Sở Tài chính", "Ủy ban nhân dân cấp huyện")),
    ],
)
def test_notes_are_attributed_to_the_department_that_wrote_them(actor: str, expected: tuple) -> None:
    from kehoach.report.build import _speaker

    assert _speaker(actor, ["Sở Tài chính", "Ủy ban nhân dân cấp huyện"]) == expected


def test_cli_growth(db_url: str, db, scripted: tuple) -> None:  # noqa: ANN001
    plan_id, _ = scripted
    grdp = next(i["id"] for i in db.indicators(plan=plan_id) if i["name"] == "Tăng trưởng GRDP")
    db.record_value(grdp, "2025-Q1", 6.5, actor="CTK", kind="official", on=date(2025, 4, 5))
    res = CliRunner().invoke(app, ["growth", str(plan_id), "-p", "2025-Q1", "--json", "--db", db_url])
    assert res.exit_code == 0, res.output
    rows = json.loads(res.output)
    assert rows[0]["name"] == "Tổng sản phẩm trong tỉnh (GRDP)"
    assert rows[0]["Q1"]["actual"] == 6.5 and rows[0]["Q1"]["gap"] == pytest.approx(6.5 - 7.27)
    res = CliRunner().invoke(app, ["growth", str(plan_id), "-p", "2024-Q1", "--db", db_url])
    assert res.exit_code == 1 and "Chưa có số liệu tăng trưởng" in res.output


def test_a_department_reports_under_its_governing_body(db, scripted: tuple, tmp_path: Path) -> None:  # noqa: ANN001
    plan_id, _ = scripted
    r = build_report(db, plan_id, "2025-Q2", today=TODAY, options=ReportOptions(issuer="Sở Tài chính"))
    assert (r.heading.parent, r.signature.lines) == ("Ủy ban nhân dân tỉnh Vĩnh Long", ("GIÁM ĐỐC",))
    # its governing body first; never itself
    assert r.recipients == [
        "Ủy ban nhân dân tỉnh Vĩnh Long",
        "Văn phòng Chính phủ",
        "Bộ Tài chính",
        "Sở Xây dựng",
        "Sở Y tế",
    ]
    doc = Document(str(write_report(r, tmp_path / "stc.docx")))
    issuer, _ = [c.text for c in doc.tables[0].rows[0].cells]
    assert issuer.split("\n")[:3] == ["ỦY BAN NHÂN DÂN", "TỈNH VĨNH LONG", "SỞ TÀI CHÍNH"]
    assert doc.tables[0].rows[0].cells[0].paragraphs[2].runs[0].bold  # the issuer itself in bold
    assert doc.tables[0].rows[1].cells[0].text == "Số:      /BC-STC"


def fill_workbook(path: Path, on: str, narrative: str) -> None:
    """A department's workbook filled as a user would: its first two tasks done on `on`."""
    wb = load_workbook(path)
    ws = wb["Nhiệm vụ"]
    for r in (2, 3):
        ws[f"I{r}"], ws[f"K{r}"], ws[f"L{r}"], ws[f"M{r}"] = "hoàn thành", on, narrative, "8/BC-STC"
    wb.save(path)


def test_a_past_report_is_the_same_after_a_later_import(db, tmp_path: Path) -> None:  # noqa: ANN001
    """One cut-off: a workbook of the next quarter imported afterwards leaves the quarter's report
    as it was; one that records work within the quarter changes it."""
    from conftest import load_plan

    from kehoach.report.workbook import export_department
    from kehoach.report.workbook_import import import_workbook

    plan_id = db.ingest(load_plan("002_23dbc6410858588b.json")).plan_id
    options = ReportOptions(report_date=date(2025, 7, 5))

    def q2() -> tuple[list[str], list[tuple]]:
        r = build_report(db, plan_id, "2025-Q2", options=options)
        docx = Document(str(write_report(r, tmp_path / "q2.docx")))
        rows = load_workbook(write_report(r, tmp_path / "q2.xlsx"))["Theo đơn vị"].iter_rows(values_only=True)
        return [p.text for p in docx.paragraphs], list(rows)

    before = q2()
    q3 = export_department(db, plan_id, "Sở Tài chính", "2025-Q3", tmp_path / "q3.xlsx", today=date(2025, 10, 3))
    fill_workbook(q3, "20/09/2025", "Đã ban hành văn bản triển khai.")
    result = import_workbook(db, q3, actor="Nguyễn Văn A", today=date(2025, 10, 3))
    assert result.issues == [] and result.applied_tasks == 2
    assert q2() == before
    late = export_department(db, plan_id, "Sở Tài chính", "2025-Q2", tmp_path / "late.xlsx", today=date(2025, 7, 3))
    fill_workbook(late, "20/06/2025", "Đã trình ban hành trong quý.")
    assert import_workbook(db, late, actor="Nguyễn Văn A", today=date(2025, 7, 3)).applied_tasks == 2
    texts, rows = q2()
    assert texts != before[0] and any("Đã trình ban hành trong quý." in t for t in texts)
    assert next(r for r in rows if r[1] == "Cả kế hoạch")[3] == 2  # done on time in the quarter
