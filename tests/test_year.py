"""A scripted year of a Bình Dương plan, with real dates a reader can check by hand.

The plan is issued on 10/01/2025. Departments merge on 1/3/2025 (Kế hoạch và Đầu tư into
Tài chính, Thông tin và Truyền thông into Khoa học và Công nghệ); Bình Dương merges into
Thành phố Hồ Chí Minh on 1/7/2025. Tết Ất Tỵ is 29/01/2025 (holidays 27/01–01/02).
"""

from __future__ import annotations

from datetime import date

import pytest

from kehoach.store import Database


def _task(text: str, lead: str, deadline: dict | None) -> dict:
    return {
        "section": "Nhiệm vụ cụ thể",
        "text": text,
        "lead": [lead],
        "coordinate": [],
        "monitor": ["Văn phòng Ủy ban nhân dân tỉnh"],
        "deadline": deadline,
    }


def _due(text: str, due: str | None, recurring: bool = False, condition: str | None = None) -> dict:
    return {"text": text, "due": due, "recurring": recurring, "condition": condition}


PLAN = {
    "format": "plan/v1",
    "source": "binh-duong-2025.txt",
    "document": {
        "doc_type": "KẾ HOẠCH",
        "number": "25/KH-UBND",
        "issuer": "Ủy ban nhân dân tỉnh Bình Dương",
        "province": "Bình Dương",
        "issued_date": "2025-01-10",
        "title": "Thực hiện nhiệm vụ cải cách hành chính và phát triển kinh tế - xã hội năm 2025",
        "implements": ["01/NQ-CP"],
        "signer_name": None,
        "signer_title": None,
        "growth_target": "7-7,5%",
    },
    "tasks": [
        _task(
            "Ban hành kế hoạch cải cách hành chính năm 2025.",
            "Sở Nội vụ",
            _due("Quý I/2025", "2025-03-31"),
        ),
        _task(
            "Xây dựng đề án thu hút đầu tư vào khu công nghiệp.",
            "Sở Kế hoạch và Đầu tư",
            _due("Quý II/2025", "2025-06-30"),
        ),
        _task(
            "Hoàn thành số hóa hồ sơ thủ tục hành chính.",
            "Sở Thông tin và Truyền thông",
            _due("Quý III/2025", "2025-09-30"),
        ),
        _task(
            "Triển khai quy hoạch sau khi Trung ương phê duyệt.",
            "Sở Xây dựng",
            _due("Sau khi Trung ương phê duyệt", None, condition="sau khi Trung ương phê duyệt"),
        ),
        _task(
            "Thường xuyên kiểm tra, đôn đốc giải ngân vốn đầu tư công.",
            "Sở Tài chính",
            _due("Thường xuyên", None, recurring=True),
        ),
        _task("Nâng cao chất lượng khám, chữa bệnh tuyến cơ sở.", "Sở Y tế", None),
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
            "text": "Thu ngân sách nhà nước đạt 20.000 tỷ đồng",
            "agency": ["Sở Tài chính"],
            "year": "2025",
            "targets": [
                {
                    "name": "Thu ngân sách nhà nước",
                    "comparator": "=",
                    "value": 20000,
                    "min": None,
                    "max": None,
                    "unit": "tỷ đồng",
                }
            ],
        },
        {
            "group": "Chỉ tiêu xã hội",
            "text": "Tỷ lệ thất nghiệp khu vực thành thị không quá 2%",
            "agency": [],
            "year": "2025",
            "targets": [
                {
                    "name": "Tỷ lệ thất nghiệp khu vực thành thị",
                    "comparator": "<=",
                    "value": 2,
                    "min": None,
                    "max": None,
                    "unit": "%",
                }
            ],
        },
        {
            "group": "Chỉ tiêu xã hội",
            "text": "Chỉ số PCI xếp hạng 10/63",
            "agency": [],
            "year": "2025",
            "targets": [
                {
                    "name": "Chỉ số PCI xếp hạng",
                    "comparator": "=",
                    "value": 10,
                    "min": None,
                    "max": None,
                    "unit": "/63",
                }
            ],
        },
    ],
    "scenarios": [],
    "reporting": [
        {
            "reporters": ["Sở Nội vụ", "Sở Y tế"],
            "recipient": "Sở Tài chính",
            "frequency": "quarterly",
            "deadlines": ["2025-03-15", "2025-06-15", "2025-09-15", "2025-12-15"],
            "text": "Định kỳ trước ngày 15 tháng cuối mỗi quý, các sở báo cáo gửi Sở Tài chính.",
        },
        {
            "reporters": ["Sở Nội vụ"],
            "recipient": "Ủy ban nhân dân tỉnh",
            "frequency": "once",
            "deadlines": ["2025-01-29"],
            "text": "Trước ngày 29/01/2025, Sở Nội vụ báo cáo kế hoạch triển khai.",
        },
    ],
}


@pytest.fixture
def year(db: Database) -> Database:
    """The plan ingested and a year of updates, values and reports recorded on their dates."""
    db.ingest(PLAN)
    t = {x["text"][:12]: x["id"] for x in db.tasks()}
    t1, t2, t3 = t["Ban hành kế "], t["Xây dựng đề "], t["Hoàn thành s"]
    t4, t5 = t["Triển khai q"], t["Thường xuyên"]
    officer = "Chuyên viên Văn phòng UBND"
    db.update_task(t1, actor=officer, state="đang thực hiện", percent=50, on=date(2025, 2, 20))
    db.update_task(t1, actor=officer, state="hoàn thành", product_number="45/KH-UBND", on=date(2025, 3, 20))
    db.update_task(
        t2,
        actor=officer,
        state="đang thực hiện",
        percent=70,
        on=date(2025, 6, 25),
        difficulties="Chờ ý kiến các bộ",
        proposals="Gia hạn đến Quý III",
    )
    db.update_task(t2, actor=officer, state="hoàn thành", product_number="210/QĐ-UBND", on=date(2025, 7, 15))
    db.extend_deadline(
        t3,
        date(2025, 11, 30),
        granted_by="Chủ tịch UBND tỉnh",
        actor=officer,
        granted_on=date(2025, 9, 20),
        reason="Chờ nâng cấp hệ thống",
    )
    db.update_task(
        t3,
        actor=officer,
        state="hoàn thành",
        product_file="so-hoa-bao-cao.pdf",
        on=date(2025, 11, 25),
    )
    db.mark_condition(t4, date(2025, 5, 10), due=date(2025, 8, 31), actor=officer)
    db.update_task(
        t5,
        actor=officer,
        state="hoàn thành",
        period="2025-Q1",
        product_number="30/BC-STC",
        on=date(2025, 3, 28),
    )
    db.update_task(
        t5,
        actor=officer,
        state="hoàn thành",
        period="2025-Q2",
        product_number="95/BC-STC",
        on=date(2025, 7, 5),
    )
    i = {x["name"]: x["id"] for x in db.indicators()}
    grdp, thu = i["Tăng trưởng GRDP"], i["Thu ngân sách nhà nước"]
    stat = "Cục Thống kê"
    db.record_value(grdp, "2024-9M", 6.0, kind="official", cumulative=True, actor=stat, on=date(2024, 10, 5))
    db.record_value(grdp, "2025-Q1", 6.8, cumulative=True, actor=stat, on=date(2025, 3, 29))
    db.record_value(grdp, "2025-Q1", 6.9, kind="official", cumulative=True, actor=stat, on=date(2025, 4, 20))
    db.record_value(grdp, "2025-H1", 7.2, cumulative=True, actor=stat, on=date(2025, 6, 28))
    db.record_value(grdp, "2025-9M", 6.6, cumulative=True, actor=stat, on=date(2025, 9, 28))
    db.record_value(grdp, "2025", 7.3, kind="official", actor=stat, on=date(2026, 1, 10))
    db.record_value(thu, "2025-H1", 9000, cumulative=True, actor="Sở Tài chính", on=date(2025, 7, 3))
    db.record_value(thu, "2025-9M", 15600, cumulative=True, actor="Sở Tài chính", on=date(2025, 10, 3))
    db.record_value(i["Tỷ lệ thất nghiệp khu vực thành thị"], "2025", 2.3, actor=stat, on=date(2025, 12, 30))
    db.record_value(i["Chỉ số PCI xếp hạng"], "2025", 8, kind="official", actor="VCCI", on=date(2026, 4, 20))
    quarterly = next(d["id"] for d in db.duties() if d["frequency"] == "quarterly")
    once = next(d["id"] for d in db.duties() if d["frequency"] == "once")
    for period, on in (
        ("2025-Q1", date(2025, 3, 17)),
        ("2025-Q2", date(2025, 6, 16)),
        ("2025-Q3", date(2025, 9, 20)),
    ):
        db.submit_report(quarterly, "Sở Nội vụ", period, on, actor=officer)
    for period, on in (
        ("2025-Q1", date(2025, 3, 14)),
        ("2025-Q2", date(2025, 6, 13)),
        ("2025-Q3", date(2025, 9, 15)),
        ("2025-Q4", date(2025, 12, 12)),
    ):
        db.submit_report(quarterly, "Sở Y tế", period, on, actor=officer)
    db.submit_report(once, "Sở Nội vụ", "2025-01-29", date(2025, 2, 3), actor=officer)
    return db


def _statuses(db: Database, on: date) -> dict[str, str]:
    return {t["text"][:12]: t["status"] for t in db.tasks(as_of=on)}


def test_statuses_through_the_year(year: Database) -> None:
    assert _statuses(year, date(2025, 3, 1)) == {
        "Ban hành kế ": "đang thực hiện trong hạn",
        "Xây dựng đề ": "đang thực hiện trong hạn",
        "Hoàn thành s": "đang thực hiện trong hạn",
        "Triển khai q": "chờ điều kiện",  # the event comes on 10/5
        "Thường xuyên": "thường xuyên",
        "Nâng cao chấ": "đang thực hiện trong hạn",  # no deadline: the plan's year end
    }
    assert _statuses(year, date(2025, 6, 25)) | {} == {
        "Ban hành kế ": "hoàn thành đúng hạn",  # done 20/3, due 31/3
        "Xây dựng đề ": "sắp đến hạn",  # due 30/6, 5 days left
        "Hoàn thành s": "đang thực hiện trong hạn",
        "Triển khai q": "đang thực hiện trong hạn",  # event 10/5, due 31/8
        "Thường xuyên": "thường xuyên",
        "Nâng cao chấ": "đang thực hiện trong hạn",
    }
    assert _statuses(year, date(2025, 10, 15)) == {
        "Ban hành kế ": "hoàn thành đúng hạn",
        "Xây dựng đề ": "hoàn thành quá hạn",  # done 15/7, due 30/6
        "Hoàn thành s": "đang thực hiện trong hạn",  # 30/9 extended to 30/11 on 20/9
        "Triển khai q": "quá hạn chưa hoàn thành",  # due 31/8
        "Thường xuyên": "thường xuyên",
        "Nâng cao chấ": "đang thực hiện trong hạn",
    }
    end = _statuses(year, date(2025, 12, 28))
    assert end["Hoàn thành s"] == "hoàn thành đúng hạn"  # 25/11 within the extension
    assert end["Nâng cao chấ"] == "sắp đến hạn"  # 31/12 in 3 days
    assert _statuses(year, date(2026, 1, 5))["Nâng cao chấ"] == "quá hạn chưa hoàn thành"


def test_extension_keeps_lateness_honest(year: Database) -> None:
    t3 = year.tasks(text="so hoa ho so")[0]
    assert (t3["due_document"], t3["due"], t3["extended"]) == ("2025-09-30", "2025-11-30", True)
    assert t3["late_vs_original"] is True  # done 25/11 after the document's 30/9
    ext = year.task(t3["id"])["extensions"][0]
    assert (ext["previous_due"], ext["granted_by"], ext["granted_on"]) == (
        "2025-09-30",
        "Chủ tịch UBND tỉnh",
        "2025-09-20",
    )
    before_extension = year.tasks(text="so hoa ho so", as_of=date(2025, 9, 10))[0]
    assert (before_extension["due"], before_extension["status"]) == (
        "2025-09-30",
        "đang thực hiện trong hạn",
    )


def test_recurring_task_has_a_status_per_quarter(year: Database) -> None:
    t5 = year.tasks(text="thuong xuyen kiem tra", as_of=date(2025, 10, 15))[0]
    assert [(p["period"], p["status"]) for p in t5["periods"]] == [
        ("2025-Q1", "hoàn thành đúng hạn"),  # reported 28/3
        ("2025-Q2", "hoàn thành quá hạn"),  # reported 5/7 for a quarter ending 30/6
        ("2025-Q3", "quá hạn chưa hoàn thành"),
        ("2025-Q4", "đang thực hiện trong hạn"),
    ]


def test_owners_follow_the_mergers(year: Database) -> None:
    owners = {t["text"][:12]: t["owner_now"] for t in year.tasks(as_of=date(2025, 12, 31))}
    assert owners["Xây dựng đề "] == ["Sở Tài chính (Thành phố Hồ Chí Minh)"]
    assert owners["Hoàn thành s"] == ["Sở Khoa học và Công nghệ (Thành phố Hồ Chí Minh)"]
    assert owners["Ban hành kế "] == ["Sở Nội vụ (Thành phố Hồ Chí Minh)"]
    in_april = {t["text"][:12]: t["owner_now"] for t in year.tasks(as_of=date(2025, 4, 1))}
    assert in_april["Xây dựng đề "] == ["Sở Tài chính (Bình Dương)"]


def test_statistics_per_agency_for_ranking(year: Database) -> None:
    rows = {(r["agency"], r["province"]): r for r in year.stats(as_of=date(2025, 12, 31))}
    hcm = "Thành phố Hồ Chí Minh"
    noi_vu, tai_chinh = rows[("Sở Nội vụ", hcm)], rows[("Sở Tài chính", hcm)]
    assert (noi_vu["total"], noi_vu["due"], noi_vu["on_time_rate"]) == (1, 1, 100.0)
    # the merged department owns Kế hoạch và Đầu tư's late task and its own recurring one
    assert (tai_chinh["total"], tai_chinh["due"], tai_chinh["on_time_rate"]) == (2, 1, 0.0)
    assert tai_chinh["by_status"]["hoàn thành quá hạn"] == 1
    assert tai_chinh["by_status"]["thường xuyên"] == 1
    khcn = rows[("Sở Khoa học và Công nghệ", hcm)]
    assert (khcn["on_time_rate"], khcn["late_vs_original"]) == (100.0, 1)  # on time only by extension
    plan = year.stats(as_of=date(2025, 12, 31), by="plan")[0]
    # done on time: T1, T3; done late: T2; overdue: T4 → 2 of 4 due
    assert (plan["total"], plan["due"], plan["on_time_rate"]) == (6, 4, 50.0)


def _ind(db: Database, name: str, on: date) -> dict:
    return next(i for i in db.indicators(as_of=on) if i["name"] == name)


def test_indicator_evaluations_and_projections(year: Database) -> None:
    grdp_q1 = _ind(year, "Tăng trưởng GRDP", date(2025, 4, 30))
    assert grdp_q1["latest"] == {
        "period": "2025-Q1",
        "value": 6.9,
        "kind": "official",
        "cumulative": True,
    }
    assert [v["value"] for v in grdp_q1["values"]][:3] == [6.0, 6.8, 6.9]  # the estimate is kept
    grdp_9m = _ind(year, "Tăng trưởng GRDP", date(2025, 10, 1))
    assert grdp_9m["evaluation"] == "chưa đến hạn"
    assert (grdp_9m["projection"], grdp_9m["hard_to_meet"]) == (6.6, True)  # below 7.0
    assert (grdp_9m["change_on_last_year"], grdp_9m["change_unit"]) == (0.6, "điểm %")  # 6.6 vs 6.0
    grdp_year = _ind(year, "Tăng trưởng GRDP", date(2026, 1, 31))
    assert (grdp_year["evaluation"], grdp_year["hard_to_meet"]) == ("đạt", False)  # 7.3 in 7.0–7.5

    thu_h1 = _ind(year, "Thu ngân sách nhà nước", date(2025, 7, 31))
    assert (thu_h1["share_of_target"], thu_h1["projection"], thu_h1["hard_to_meet"]) == (
        45.0,
        18000,
        True,
    )
    thu_9m = _ind(year, "Thu ngân sách nhà nước", date(2025, 10, 31))
    assert (thu_9m["share_of_target"], thu_9m["projection"], thu_9m["hard_to_meet"]) == (
        78.0,
        20800,
        False,
    )
    assert _ind(year, "Thu ngân sách nhà nước", date(2026, 2, 1))["evaluation"] == "chưa có số liệu"

    unemployment = _ind(year, "Tỷ lệ thất nghiệp khu vực thành thị", date(2026, 1, 31))
    assert (unemployment["lower_is_better"], unemployment["evaluation"]) == (
        True,
        "không đạt",
    )  # 2.3 > 2
    pci = _ind(year, "Chỉ số PCI xếp hạng", date(2026, 5, 1))
    assert (pci["lower_is_better"], pci["evaluation"]) == (True, "vượt")  # rank 8, target 10


def test_reporting_calendar_and_on_time_rate(year: Database) -> None:
    cal = year.calendar(date(2025, 1, 1), date(2025, 12, 31), as_of=date(2025, 12, 31), agency="Sở Nội vụ")
    assert [(c["period"], c["due"], c["state"]) for c in cal] == [
        ("2025-01-29", "2025-02-03", "đúng hạn"),  # Tết: 29/1 is a holiday, next working day 3/2
        ("2025-Q1", "2025-03-17", "đúng hạn"),  # 15/3 is a Saturday
        ("2025-Q2", "2025-06-16", "đúng hạn"),  # 15/6 is a Sunday
        ("2025-Q3", "2025-09-15", "trễ hạn"),  # sent 20/9
        ("2025-Q4", "2025-12-15", "quá hạn"),  # never sent
    ]
    q1 = next(c for c in cal if c["period"] == "2025-Q1")
    assert (q1["cutoff_start"], q1["cutoff_end"]) == (
        "2024-12-15",
        "2025-03-14",
    )  # Decree 09, Art. 12
    rates = {r["agency"]: r for r in year.reporting_rates(as_of=date(2025, 12, 31))}
    assert (
        rates["Sở Nội vụ"]["due"],
        rates["Sở Nội vụ"]["on_time"],
        rates["Sở Nội vụ"]["late"],
        rates["Sở Nội vụ"]["missing"],
        rates["Sở Nội vụ"]["on_time_rate"],
    ) == (5, 3, 1, 1, 60.0)
    assert rates["Sở Y tế"]["on_time_rate"] == 100.0
    upcoming = year.calendar(date(2025, 10, 1), date(2025, 12, 31), as_of=date(2025, 10, 1), agency="y te")
    assert [(c["period"], c["state"]) for c in upcoming] == [("2025-Q4", "sắp tới")]


def test_editing_a_regime_changes_the_calendar(year: Database) -> None:
    duty = next(d for d in year.duties() if d["frequency"] == "quarterly")
    assert (duty["day"], duty["month_offset"], duty["extra_dates"]) == (15, 0, [])
    year.edit_duty(duty["id"], day=5, month_offset=1, actor="Văn phòng", expected_version=duty["version"])
    cal = year.calendar(date(2025, 1, 1), date(2025, 6, 30), as_of=date(2025, 6, 30), agency="y te")
    assert [(c["period"], c["due"]) for c in cal] == [("2025-Q1", "2025-04-08")]  # 5/4 Sat, 7/4 Giỗ Tổ
    assert year.audit(entity="duty", entity_id=duty["id"])[-1]["after"]["day"] == 5
