"""Deadlines and reporting duties, table by table, on invented phrasings.

Each row is a construction of Vietnamese administrative text (a report's period and day rule, the
body a report goes to, a deadline written in a task's own words), phrased with other agencies,
other places and other numbers than the documents the rules were developed on.
"""

from __future__ import annotations

from datetime import date

import pytest

from kehoach.extract import extract
from kehoach.extract.deadlines import parse_deadline, point_deadline, prose_deadline
from kehoach.extract.duties import report_day
from kehoach.read import Source
from kehoach.track.calendar import derive_rule
from kehoach.vn import Period


def _head(year: int) -> str:
    return (
        f"ỦY BAN NHÂN DÂN\nHUYỆN PHÚ AN\nSố: 88/KH-UBND\nPhú An, ngày 05 tháng 3 năm {year}\n"
        f"KẾ HOẠCH\nThực hiện chuyển đổi số năm {year}\n"
    )


def plan(body: str, year: int = 2026) -> dict:
    return extract(Source("invented.txt", _head(year) + body)).as_dict()


def duties_of(item: str, year: int = 2026) -> list[dict]:
    return plan(f"III. TỔ CHỨC THỰC HIỆN\n1. {item}\n", year)["reporting"]


@pytest.mark.parametrize(
    ("item", "frequency", "dates"),
    [
        # a day of each quarter's last month is a rule, not four calendar dates
        (
            "Các cơ quan, đơn vị định kỳ hằng quý báo cáo kết quả về Phòng Nội vụ trước ngày 15 của tháng cuối quý.",
            "quarterly",
            [],
        ),
        (
            "Ủy ban nhân dân các xã chậm nhất ngày 20 tháng cuối mỗi quý gửi báo cáo kết quả về Sở Y tế để tổng hợp.",
            "quarterly",
            [],
        ),
        # quarterly and a year's report: quarterly, the year's date kept
        (
            "Các sở, ban, ngành báo cáo kết quả hằng quý và báo cáo năm (trước ngày 05/12) gửi Sở Nội vụ.",
            "quarterly",
            ["2026-12-05"],
        ),
        ("Các cơ quan, đơn vị định kỳ hằng quý, năm báo cáo tình hình về Sở Khoa học và Công nghệ.", "quarterly", []),
        ("Các sở, ngành báo cáo định kỳ hằng tháng, quý, năm về Sở Nội vụ theo quy định.", "monthly", []),
        # periods named by their nouns alone, in a list
        ("Các phòng báo cáo định kỳ (quý, 6 tháng, năm) về Văn phòng Ủy ban nhân dân huyện.", "quarterly", []),
        ("Các trạm y tế báo cáo định kỳ (tháng/quý) về Trung tâm Y tế huyện.", "monthly", []),
        # a week has no value of its own in the format
        ("Các xã báo cáo tiến độ hằng tuần về Ban Chỉ đạo huyện để tổng hợp.", "periodic", []),
        # a time that is no fixed period among them: periodic
        ("Phòng Nội vụ định kỳ 6 tháng, hằng năm, giữa nhiệm kỳ báo cáo Huyện ủy kết quả sơ kết.", "periodic", []),
        # a day of every month names no calendar date; a day of the year's report does
        ("Các trường học báo cáo kết quả về Phòng Giáo dục và Đào tạo trước ngày 25 hằng tháng.", "monthly", []),
        (
            "Các xã báo cáo về Phòng Nội vụ trước ngày 22 hằng tháng và trước ngày 12/12 để tổng hợp báo cáo năm.",
            "monthly",
            ["2026-12-12"],
        ),
        # a half year is no value of the format: periodic, with each day of its list
        (
            "Các đơn vị báo cáo 6 tháng (trước ngày 08/6 và 08/12) về Sở Tư pháp để tổng hợp.",
            "periodic",
            ["2026-06-08", "2026-12-08"],
        ),
        ("Các xã báo cáo sơ kết sáu tháng đầu năm về Phòng Văn hóa và Thông tin để tổng hợp.", "periodic", []),
        # a yearly report on a day of the plan's year
        (
            "Các sở, ngành định kỳ hằng năm (trước ngày 18/11) báo cáo Ủy ban nhân dân tỉnh kết quả.",
            "annual",
            ["2026-11-18"],
        ),
        # the window of the figures is no due date; a day after a cue without `ngày` is
        (
            "Các phòng báo cáo năm về Văn phòng Sở trước 18/12; thời gian chốt số liệu từ ngày 15 tháng 12 năm "
            "trước đến ngày 14 tháng 12.",
            "annual",
            ["2026-12-18"],
        ),
        # a single dated report
        (
            "Ủy ban nhân dân các xã báo cáo kết quả về Ủy ban nhân dân huyện trước ngày 20 tháng 11 năm 2026.",
            "once",
            ["2026-11-20"],
        ),
    ],
)
def test_how_often_and_by_which_dates(item: str, frequency: str, dates: list[str]) -> None:
    [duty] = duties_of(item)
    assert (duty["frequency"], duty["deadlines"]) == (frequency, dates)


def test_the_days_of_a_periodic_report_are_no_deadline_of_the_work() -> None:
    p = plan(
        "III. TỔ CHỨC THỰC HIỆN\n1. Giao Phòng Tư pháp theo dõi, đôn đốc; định kỳ hằng quý (trước ngày 16 của tháng "
        "cuối quý) và năm (trước ngày 16/12) tổng hợp báo cáo Ủy ban nhân dân huyện.\n"
    )
    [task] = p["tasks"]
    assert task["deadline"] is None
    [duty] = p["reporting"]
    assert (duty["recipient"], duty["frequency"], duty["deadlines"]) == (
        "Ủy ban nhân dân huyện",
        "quarterly",
        ["2026-12-16"],
    )


@pytest.mark.parametrize(
    ("written", "condition"),
    [
        ("Tháng 11/2026 (sau khi Bộ Y tế ban hành hướng dẫn)", "sau khi Bộ Y tế ban hành hướng dẫn"),
        ("Sau khi Luật Địa chất (sửa đổi) có hiệu lực", "Sau khi Luật Địa chất (sửa đổi) có hiệu lực"),
    ],
)
def test_the_event_a_deadline_waits_for(written: str, condition: str) -> None:
    d = parse_deadline(written, 2026)
    assert d is not None and d.condition == condition


def test_a_day_without_a_year_takes_the_plans_year() -> None:
    [duty] = duties_of("Các phòng chuyên môn định kỳ hằng năm báo cáo Sở Nội vụ trước ngày 20/11.", 2027)
    assert duty["deadlines"] == ["2027-11-20"]


@pytest.mark.parametrize(
    ("title", "year"),
    [
        # issued late in a year for the year after: the plan runs in the year its title names
        ("Cải cách hành chính năm 2027", "2027"),
        ("Phát triển du lịch giai đoạn 2027 - 2030", "2027"),
        # a title that names the issue year, or reaches a later year as a target: the issue year
        ("Tổng kết năm 2026 và triển khai nhiệm vụ năm 2027", "2026"),
        ("Phát triển đô thị đến năm 2027", "2026"),
    ],
)
def test_the_year_a_plan_runs_in(title: str, year: str) -> None:
    head = f"ỦY BAN NHÂN DÂN\nXÃ HÒA AN\nSố: 90/KH-UBND\nHòa An, ngày 26 tháng 12 năm 2026\nKẾ HOẠCH\n{title}\n"
    body = (
        "II. NHIỆM VỤ VÀ GIẢI PHÁP\n1. Công chức Văn phòng rà soát thủ tục hành chính.\nThời gian thực hiện: Quý III.\n"
        "III. TỔ CHỨC THỰC HIỆN\n1. Các thôn định kỳ hằng năm báo cáo Ủy ban nhân dân xã trước ngày 15/6.\n"
    )
    p = extract(Source("invented.txt", head + body)).as_dict()
    assert p["tasks"][0]["deadline"]["due"] == f"{year}-09-30"
    assert p["reporting"][0]["deadlines"] == [f"{year}-06-15"]


@pytest.mark.parametrize(
    ("item", "recipient"),
    [
        # the head of a body: the title kept before the body, as written
        ("Các sở, ban, ngành định kỳ báo cáo Chủ tịch UBND tỉnh kết quả thực hiện.", "Chủ tịch Ủy ban nhân dân tỉnh"),
        (
            "Phòng Nội vụ tổng hợp, báo cáo đồng chí Chủ tịch UBND huyện theo quy định.",
            "Chủ tịch Ủy ban nhân dân huyện",
        ),
        # other titles stand for their body; the issuer's own leadership as written (as `Chủ tịch UBND tỉnh`)
        ("Các cơ quan báo cáo Trưởng Ban Chỉ đạo huyện kết quả thực hiện hằng tháng.", "Ban Chỉ đạo huyện"),
        ("Các phòng chuyên môn định kỳ báo cáo Giám đốc Sở kết quả thực hiện.", "Giám đốc Sở"),
        ("Các Vụ, Cục định kỳ báo cáo Bộ trưởng (qua Vụ Pháp chế) kết quả thực hiện.", "Bộ trưởng"),
        ("Các trạm định kỳ báo cáo Giám đốc Sở Xây dựng kết quả thực hiện.", "Sở Xây dựng"),
        ("Văn phòng Huyện ủy định kỳ 6 tháng, năm tham mưu báo cáo Thường trực Huyện ủy.", "Ban Thường vụ Huyện ủy"),
        # a role, its body in parentheses; a body, its role in parentheses
        ("Các sở, ngành hằng quý gửi báo cáo về cơ quan thường trực (Sở Nội vụ) để tổng hợp.", "Sở Nội vụ"),
        ("Các sở, ngành hằng quý gửi báo cáo về Sở Tài chính (cơ quan thường trực) để tổng hợp.", "Sở Tài chính"),
        # the body reported to, not the office it passes through
        ("Các xã hằng quý báo cáo Ủy ban nhân dân huyện qua Phòng Tài chính - Kế hoạch.", "Ủy ban nhân dân huyện"),
        ("Các xã hằng quý báo cáo kết quả về UBND huyện (qua Phòng Kinh tế) để tổng hợp.", "Ủy ban nhân dân huyện"),
        # no body named after the report: the one that asks for it
        (
            "Các tổ bầu cử định kỳ tổng hợp, báo cáo tình hình theo yêu cầu của Ủy ban bầu cử phường.",
            "Ủy ban bầu cử phường",
        ),
        # the body right after `báo cáo`, whatever follows `về`; else the body after `về`
        (
            "Các phường hằng năm báo cáo Ủy ban nhân dân quận (qua Phòng Nội vụ) về tình hình thực hiện.",
            "Ủy ban nhân dân quận",
        ),
        (
            "Các trường báo cáo định kỳ 6 tháng (trước ngày 14/6), hằng năm (trước ngày 14/12) về Phòng Giáo dục và "
            "Đào tạo.",
            "Phòng Giáo dục và Đào tạo",
        ),
    ],
)
def test_whom_a_report_goes_to(item: str, recipient: str) -> None:
    [duty] = duties_of(item)
    assert duty["recipient"] == recipient


@pytest.mark.parametrize(
    ("task", "recipient", "frequency", "dates"),
    [
        (
            "Sở Y tế chủ trì, phối hợp với Bảo hiểm xã hội tỉnh triển khai khám bệnh bằng căn cước. Định kỳ hằng quý "
            "báo cáo kết quả về Sở Khoa học và Công nghệ trước ngày 20 tháng cuối quý.",
            "Sở Khoa học và Công nghệ",
            "quarterly",
            [],
        ),
        (
            "Sở Giáo dục và Đào tạo triển khai học bạ số. Hằng năm, tổng hợp báo cáo UBND tỉnh (qua Sở Nội vụ) "
            "trước ngày 10/12.",
            "Ủy ban nhân dân tỉnh",
            "annual",
            ["2026-12-10"],
        ),
        # what is reported written at length between the period and `báo cáo`
        (
            "Sở Văn hóa, Thể thao và Du lịch xây dựng sản phẩm du lịch cộng đồng. Định kỳ 3 tháng/lần, tổng hợp tình "
            "hình, kết quả thực hiện và các khó khăn, vướng mắc phát sinh, báo cáo về Ủy ban nhân dân tỉnh.",
            "Ủy ban nhân dân tỉnh",
            "quarterly",
            [],
        ),
    ],
)
def test_a_report_closing_a_work_item_is_a_duty_too(task: str, recipient: str, frequency: str, dates: list) -> None:
    p = plan(f"II. NHIỆM VỤ VÀ GIẢI PHÁP\n1. Nâng cao chất lượng dịch vụ công\na) {task}\n")
    [t] = p["tasks"]
    assert t["deadline"] is None  # the report's day is no deadline of the work
    [duty] = p["reporting"]
    assert (duty["recipient"], duty["frequency"], duty["deadlines"]) == (recipient, frequency, dates)


@pytest.mark.parametrize(
    ("written", "due", "recurring", "condition"),
    [
        ("Hoàn thành trong tháng 9 năm 2026", "2026-09-30", False, False),
        ("Trước ngày 30 tháng 6", "2026-06-30", False, False),
        ("Trước 15/8", "2026-08-15", False, False),
        ("Chậm nhất trong quý III", "2026-09-30", False, False),
        ("Ngay sau khi Bộ Nội vụ ban hành hướng dẫn", None, False, True),
        ("Trong năm 2026 và các năm tiếp theo", "2026-12-31", True, False),
        ("Hằng năm", None, True, False),
        ("Định kỳ", None, True, False),
        ("Từ nay đến hết năm 2027", "2027-12-31", False, False),
        ("Chậm nhất 30/6 hằng năm", "2026-06-30", True, False),
        # the plan's own year, named without its number
        ("Cả năm", "2026-12-31", False, False),
        ("Trong năm", "2026-12-31", False, False),
        ("Tháng 11/2026 (sau khi Bộ Y tế ban hành hướng dẫn)", "2026-11-30", False, True),
    ],
)
def test_deadline_fields(written: str, due: str | None, recurring: bool, condition: bool) -> None:
    d = parse_deadline(written, 2026)
    assert d is not None
    assert (d.due.isoformat() if d.due else None, d.recurring, d.condition is not None) == (due, recurring, condition)


@pytest.mark.parametrize(
    ("text", "deadline", "due", "condition"),
    [
        ("Rà soát, sửa đổi quy chế, hoàn thành trong tháng 9 năm 2026.", "trong tháng 9 năm 2026", "2026-09-30", None),
        ("Xây dựng cơ sở dữ liệu đất đai, xong trước ngày 30 tháng 6.", "trước ngày 30 tháng 6", "2026-06-30", None),
        ("Ban hành quy trình nội bộ, chậm nhất trong quý III.", "chậm nhất trong quý III", "2026-09-30", None),
        (
            "Tổ chức tập huấn trong năm 2026 và các năm tiếp theo.",
            "trong năm 2026 và các năm tiếp theo",
            "2026-12-31",
            None,
        ),
        ("Từ nay đến hết năm 2026, cải tạo 40 km kênh mương.", "đến hết năm 2026", "2026-12-31", None),
        ("Đến cuối năm 2027, 95% hồ sơ được số hóa.", "Đến cuối năm 2027", "2027-12-31", None),
        # a month or quarter without its year is in the plan's year; a list gives its last
        ("Tổ chức hội nghị tổng kết trong tháng 11.", "trong tháng 11", "2026-11-30", None),
        ("Kiểm tra các cơ sở trong quý II và quý III/2026.", "trong quý II và quý III/2026", "2026-09-30", None),
        ("Hoàn thành rà soát trong 6 tháng đầu năm 2026.", "trong 6 tháng đầu năm 2026", "2026-06-30", None),
        # the work, then its time alone after a colon
        ("Bồi dưỡng kỹ năng số cho cán bộ: tháng 5 và tháng 8/2026.", "tháng 5 và tháng 8/2026", "2026-08-31", None),
        # the act of a body above that the work waits for: a condition, no date
        (
            "Sửa đổi quy chế ngay sau khi Bộ Tài chính ban hành hướng dẫn.",
            "ngay sau khi Bộ Tài chính ban hành hướng dẫn",
            None,
            "sau khi Bộ Tài chính ban hành hướng dẫn",
        ),
        (
            "Lập dự án sau khi cấp có thẩm quyền phê duyệt chủ trương đầu tư.",
            "sau khi cấp có thẩm quyền phê duyệt chủ trương đầu tư",
            None,
            "sau khi cấp có thẩm quyền phê duyệt chủ trương đầu tư",
        ),
        # a date written beats the event
        (
            "Sửa quy hoạch sau khi Quốc hội thông qua luật; hoàn thành trong quý IV/2026.",
            "trong quý IV/2026",
            "2026-12-31",
            None,
        ),
    ],
)
def test_deadlines_in_prose(text: str, deadline: str, due: str | None, condition: str | None) -> None:
    d = prose_deadline(text, 2026)
    assert d is not None
    assert (d.text, d.due.isoformat() if d.due else None, d.condition) == (deadline, due, condition)


@pytest.mark.parametrize(
    "text",
    [
        "Triển khai các hạng mục sửa chữa năm 2026 và các năm tiếp theo gồm: đường Lê Lợi, đường Trần Phú.",
        "Tổ chức tuyên truyền sau khi được thông qua.",
        "Sau khi tổ chức hội thi, tổng kết rút kinh nghiệm.",
        "Tổ chức kiểm tra hằng năm việc thực hiện quy chế.",
        "Tổ chức lễ hội vào tháng 10 hằng năm.",
        # a target or a count after a colon is no time
        "Chỉ tiêu: năm 2026 có 90% hồ sơ trực tuyến.",
        "Số lượt tập huấn: 2000",
    ],
)
def test_no_deadline_in_prose(text: str) -> None:
    assert prose_deadline(text, 2026) is None


def test_a_time_line_closing_a_list_reaches_every_item_and_points_keep_their_own() -> None:
    body = (
        "II. NHIỆM VỤ VÀ GIẢI PHÁP\n1. Hoàn thiện hạ tầng số\n- Nâng cấp mạng nội bộ.\n- Trang bị máy tính.\n"
        "- Kết nối họp trực tuyến đến các xã.\nThời gian thực hiện: Quý III/2026.\n"
        "2. Phòng Nội vụ chủ trì, phối hợp với các xã:\na) Rà soát vị trí việc làm, hoàn thành trước ngày 30/6/2026;\n"
        "b) Tổ chức thi tuyển công chức, hoàn thành trong quý IV/2026.\n"
        # the time written as a bullet of its own after the list: still the list's
        "3. Chuyển đổi số\n- Phòng Văn hóa và Thông tin triển khai nền tảng số.\n- Phòng Tài chính - Kế hoạch bố trí "
        "kinh phí.\n- Thời gian thực hiện: Tháng 8/2026.\n"
    )
    tasks = plan(body)["tasks"]
    assert [t["text"][:8] for t in tasks[-2:]] == ["Phòng Vă", "Phòng Tà"]
    dues = [t["deadline"] and t["deadline"]["due"] for t in tasks]
    assert dues == [*["2026-09-30"] * 3, "2026-06-30", "2026-12-31", "2026-08-31", "2026-08-31"]


@pytest.mark.parametrize(
    ("text", "frequency", "rule"),
    [
        ("định kỳ hằng quý báo cáo trước ngày 12 của tháng cuối quý", "quarterly", (12, 0)),
        ("chậm nhất ngày 18 tháng cuối mỗi quý gửi báo cáo", "quarterly", (18, 0)),
        ("báo cáo quý trước ngày 8 tháng đầu quý sau", "quarterly", (8, 1)),
        ("báo cáo trước ngày 22 hằng tháng", "monthly", (22, 0)),
        ("báo cáo tháng trước ngày 3 tháng sau", "monthly", (3, 1)),
        # a day of every month does not make a quarterly report's rule; a calendar date is no rule
        ("báo cáo hằng quý, số liệu cập nhật trước ngày 22 hằng tháng", "quarterly", None),
        ("báo cáo năm trước ngày 15/12", "annual", None),
    ],
)
def test_the_day_rule_a_duty_writes(text: str, frequency: str, rule: tuple[int, int] | None) -> None:
    assert report_day(text, frequency) == rule


def test_a_written_day_rule_holds_whatever_the_dates() -> None:
    rule, extra = derive_rule("quarterly", [date(2026, 12, 5)], (12, 0))
    assert (rule.day, rule.month_offset) == (12, 0)
    assert rule.due(Period(2026, "Q", 1)) == date(2026, 3, 12)
    assert extra == [date(2026, 12, 5)]  # the year's report stays a date of its own


@pytest.mark.parametrize(
    ("item", "duties"),
    [
        # a clause that opens with a body of its own reports for that body
        (
            "Các thôn báo cáo kết quả về Phòng Văn hóa - Xã hội trước ngày 20 hằng tháng; Phòng Văn hóa - Xã hội "
            "tổng hợp, báo cáo Ủy ban nhân dân xã hằng quý.",
            [
                (["Các thôn"], "Phòng Văn hóa - Xã hội", "monthly"),
                (["Phòng Văn hóa - Xã hội"], "Ủy ban nhân dân xã", "quarterly"),
            ],
        ),
        # the quarter's and the year's report to the same body: one duty, not collapsed to periodic
        (
            "Các tổ dân phố báo cáo quý về Phòng Văn hóa - Xã hội trước ngày 15 tháng cuối quý; báo cáo "
            "năm về Phòng Văn hóa - Xã hội trước ngày 15/12.",
            [(["Các tổ dân phố"], "Phòng Văn hóa - Xã hội", "quarterly")],
        ),
        # a label before the reporters
        (
            "Chế độ báo cáo: Các cơ quan, đơn vị báo cáo năm trước ngày 10/12 gửi về Văn phòng HĐND và UBND xã.",
            [(["Các cơ quan, đơn vị liên quan"], "Văn phòng Hội đồng nhân dân và Ủy ban nhân dân xã", "annual")],
        ),
    ],
)
def test_who_reports(item: str, duties: list[tuple]) -> None:
    p = plan(f"III. TỔ CHỨC THỰC HIỆN\n1. {item}\n")
    assert [(d["reporters"], d["recipient"], d["frequency"]) for d in p["reporting"]] == duties
    assert p["tasks"] == []  # who reports what to whom and when: a duty alone


@pytest.mark.parametrize(
    ("written", "label", "part"),
    [
        (
            "nội dung a) hoàn thành trong quý II/2026; nội dung b) hoàn thành trong quý IV/2026",
            "b",
            "hoàn thành trong quý IV/2026",
        ),
        ("a) Tháng 5/2026; b) Tháng 9/2026", "a", "Tháng 5/2026"),
        ("điểm 1) Quý I/2027, điểm 2) Quý III/2027", "2", "Quý III/2027"),
        # a time not split by point, or a bracketed batch number, belongs to no point
        ("Quý III/2026", "a", None),
        ("Tháng 6 (đợt 1) và tháng 9 (đợt 2)", "1", None),
    ],
)
def test_the_time_of_one_point(written: str, label: str, part: str | None) -> None:
    assert point_deadline(written, label) == part


def test_a_time_line_split_by_points_gives_each_point_its_time() -> None:
    body = (
        "II. NHIỆM VỤ VÀ GIẢI PHÁP\n1. Phòng Kinh tế chủ trì:\na) Rà soát quy hoạch vùng trồng cây ăn quả;\n"
        "b) Xây dựng chuỗi liên kết tiêu thụ.\n"
        "Thời gian thực hiện: nội dung a) trong quý II/2026; nội dung b) trong quý IV/2026.\n"
    )
    assert [t["deadline"]["due"] for t in plan(body)["tasks"]] == ["2026-06-30", "2026-12-31"]
