"""Round 3 constructions, table by table, on invented phrasings.

Each row is a construction of Vietnamese administrative text (a day rule of a periodic report, a
list of dates sharing its last one's year, work sent to be compiled, an item that only reports),
phrased with other agencies, places and numbers than the plans the rules were found on; each table
holds the negative cases that must keep their reading.
"""

from __future__ import annotations

import pytest

from kehoach.extract import extract
from kehoach.extract.agencies import find_agencies
from kehoach.read import Source


def _head(year: int) -> str:
    return (
        f"ỦY BAN NHÂN DÂN\nHUYỆN TÂN LẬP\nSố: 41/KH-UBND\nTân Lập, ngày 12 tháng 2 năm {year}\n"
        f"KẾ HOẠCH\nThực hiện cải cách hành chính năm {year}\n"
    )


def plan(body: str, year: int = 2026) -> dict:
    return extract(Source("invented.txt", _head(year) + body)).as_dict()


def organisation(items: str, year: int = 2026) -> dict:
    return plan(f"III. TỔ CHỨC THỰC HIỆN\n{items}\n", year)


# --- reporting -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("item", "frequency", "dates"),
    [
        # a day and month qualified by `hằng năm` is a day of every year: a rule, no calendar date
        ("Các xã gửi báo cáo kết quả về Phòng Nội vụ trước ngày 20 tháng 12 hằng năm.", "annual", []),
        ("Các trường học báo cáo Phòng Giáo dục và Đào tạo trước ngày 05/12 mỗi năm.", "annual", []),
        # a day of each quarter's last month is a rule
        (
            "Các phòng định kỳ hằng quý, trước ngày 18 của tháng cuối quý báo cáo kết quả về Phòng Nội vụ.",
            "quarterly",
            [],
        ),
        # negative: a day and month in parentheses after the period stays in the plan's year (dev keys)
        ("Các xã định kỳ hằng năm (trước ngày 12/11) báo cáo Ủy ban nhân dân huyện kết quả.", "annual", ["2026-11-12"]),
        # a list of days shares the year its last day writes
        (
            "Các sở, ngành định kỳ hằng quý (trước các ngày 15/3, 15/6, 15/9/2027) và báo cáo năm trước ngày "
            "10/12/2027 gửi Sở Tài chính.",
            "quarterly",
            ["2027-03-15", "2027-06-15", "2027-09-15", "2027-12-10"],
        ),
        (
            "Các phòng báo cáo 6 tháng (trước ngày 12/6 và 12/12/2028) về Phòng Nội vụ.",
            "periodic",
            ["2028-06-12", "2028-12-12"],
        ),
        # a rule's dates written out beside it, and dates listed after a cued one
        (
            "Các sở báo cáo quý gửi Sở Tài chính trước ngày 20 tháng cuối quý (ngày 20/3/2027, 20/6/2027, "
            "20/9/2027); báo cáo năm trước ngày 20/11/2027.",
            "quarterly",
            ["2027-03-20", "2027-06-20", "2027-09-20", "2027-11-20"],
        ),
        ("Các phòng báo cáo Phòng Nội vụ trước ngày 10/6/2027 và ngày 10/12/2027.", "periodic",
         ["2027-06-10", "2027-12-10"]),
        # negative: a cited document's dates are no report dates, listed or not
        ("Các xã thực hiện Chỉ thị số 05-CT/UBND ngày 04/01/2027, 05/02/2027; báo cáo hằng tháng về Phòng Nội vụ.",
         "monthly", []),
        # negative: a list without a year takes the plan's
        (
            "Các phòng báo cáo 6 tháng (trước ngày 12/6 và 12/12) về Phòng Nội vụ.",
            "periodic",
            ["2026-06-12", "2026-12-12"],
        ),
    ],
)
def test_report_dates(item: str, frequency: str, dates: list[str]) -> None:
    [duty] = organisation(f"1. {item}")["reporting"]
    assert (duty["frequency"], duty["deadlines"]) == (frequency, dates)


@pytest.mark.parametrize(
    ("item", "recipient", "frequency", "dates", "task_due"),
    [
        # work sent to a body to be compiled is a report to it, and the work stays a task with its time
        (
            "Trước ngày 30/6/2027, ban hành chương trình hành động thực hiện Kế hoạch, gửi Sở Tài chính để tổng hợp.",
            "Sở Tài chính",
            "once",
            ["2027-06-30"],
            "2027-06-30",
        ),
        (
            "Chậm nhất ngày 15/8/2026, xây dựng kế hoạch chi tiết, gửi Phòng Nội vụ để theo dõi.",
            "Phòng Nội vụ",
            "once",
            ["2026-08-15"],
            "2026-08-15",
        ),
    ],
)
def test_work_sent_to_be_compiled_is_a_task_and_a_report(
    item: str, recipient: str, frequency: str, dates: list[str], task_due: str
) -> None:
    p = organisation(f"1. {item}")
    [task] = p["tasks"]
    [duty] = p["reporting"]
    assert task["deadline"]["due"] == task_due
    assert (duty["recipient"], duty["frequency"], duty["deadlines"]) == (recipient, frequency, dates)


@pytest.mark.parametrize(
    "item",
    [
        # negative: a document sent for another purpose is no report
        "Trước ngày 30/6/2027, ban hành chương trình hành động, gửi các xã để triển khai thực hiện.",
        "Xây dựng tài liệu tuyên truyền, gửi các trường học để sử dụng.",
    ],
)
def test_a_document_sent_for_use_is_no_report(item: str) -> None:
    p = organisation(f"1. {item}")
    assert p["reporting"] == [] and len(p["tasks"]) == 1


@pytest.mark.parametrize(
    ("items", "tasks", "reporters"),
    [
        # an item that only reports is a duty, also where it opens with its time and names no subject
        ("1. Hằng tháng, trước ngày 25, gửi báo cáo tiến độ về Phòng Nội vụ.", 0, []),
        (
            "1. Phòng Văn hóa và Thông tin:\n- Chủ trì tổ chức hội thi tin học trẻ.\n"
            "- Hằng tháng, trước ngày 22, gửi báo cáo tiến độ về Phòng Nội vụ.",
            1,
            ["Phòng Văn hóa và Thông tin"],
        ),
        ("1. Các phòng định kỳ hằng quý, trước ngày 18 của tháng cuối quý báo cáo kết quả về Phòng Nội vụ.", 0, []),
        (
            "1. Các sở, ngành định kỳ hằng quý (trước các ngày 15/3, 15/6, 15/9/2027) báo cáo kết quả "
            "gửi Sở Tài chính.",
            0,
            ["Các sở, ban, ngành"],
        ),
        # negative: work before the report keeps the item a task
        ("1. Hằng tháng, trước ngày 25, tổ chức giao ban và gửi báo cáo tiến độ về Phòng Nội vụ.", 1, []),
        # an item that reports and assigns other work after `đồng thời` is a task and a duty
        ("1. Tổng hợp, báo cáo Chủ tịch UBND huyện trước ngày 10/12/2028; đồng thời đề xuất kế hoạch năm sau.", 1, []),
        # negative: `đồng thời` that only adds an addressee keeps it a duty alone
        ("1. Tổng hợp, báo cáo Chủ tịch UBND huyện trước ngày 10/12/2028; đồng thời gửi Phòng Nội vụ.", 0, []),
    ],
)
def test_an_item_that_only_reports_is_a_duty(items: str, tasks: int, reporters: list[str]) -> None:
    p = organisation(items)
    assert len(p["tasks"]) == tasks
    [duty] = p["reporting"]
    assert duty["reporters"] == reporters


# --- agencies --------------------------------------------------------------------------------


def tasks_of(bullets: str) -> list[dict]:
    return plan(f"II. NHIỆM VỤ\n1. Nhiệm vụ chung\n{bullets}\n")["tasks"]


@pytest.mark.parametrize(
    ("bullet", "lead", "coordinate", "monitor"),
    [
        # the Party's cells as subjects, collective and by the places they sit in
        ("Các chi bộ trực thuộc tổ chức quán triệt Nghị quyết đến đảng viên.", ["Các chi bộ trực thuộc"], [], []),
        ("Chi bộ các ấp đưa nội dung bảo vệ môi trường vào sinh hoạt định kỳ.", ["Chi bộ các ấp"], [], []),
        ("Chi bộ thôn Trung chủ trì vận động nhân dân hiến đất.", ["Chi bộ thôn Trung"], [], []),
        # `giao` ends the name of the body that hands work on; the body given it leads
        ("Đảng ủy giao UBND xã chỉ đạo rà soát hộ cận nghèo.", ["Ủy ban nhân dân xã"], [], []),
        ("Đảng ủy xã giao Ủy ban nhân dân xã triển khai Kế hoạch.", ["Ủy ban nhân dân xã"], [], []),
        ("Đảng ủy lãnh đạo, chỉ đạo UBND xã xây dựng đề án.", ["Ủy ban nhân dân xã"], [], ["Đảng ủy"]),
        # negative: `giao` inside a field's name stays in it
        ("Ban An toàn giao thông huyện chủ trì tuyên truyền.", ["Ban An toàn giao thông huyện"], [], []),
        # a field cut after `và` runs to the predicate
        (
            "Trung tâm Dịch vụ nông nghiệp và Xúc tiến đầu tư chủ trì tổ chức hội chợ.",
            ["Trung tâm Dịch vụ nông nghiệp và Xúc tiến đầu tư"],
            [],
            [],
        ),
        # the partner's name ends before the verb that opens its work
        (
            "Phòng Văn hóa và Thông tin phối hợp với Phòng Quản lý di tích tổ chức trưng bày.",
            ["Phòng Văn hóa và Thông tin"],
            ["Phòng Quản lý di tích"],
            [],
        ),
        # a commune's or a ward's units keep their own level
        ("Các phòng, đơn vị thuộc xã triển khai thực hiện Kế hoạch.", ["Các đơn vị thuộc xã"], [], []),
        ("Các phòng, đơn vị trực thuộc phường rà soát thủ tục.", ["Các đơn vị thuộc phường"], [], []),
        # negative: a department's own units stay as the registry names them
        ("Các phòng, đơn vị thuộc Sở triển khai thực hiện Kế hoạch.", ["Các đơn vị thuộc Sở"], [], []),
        # the heads of a ministry's units: the units lead
        ("Thủ trưởng các Cục, Vụ trực thuộc Bộ chịu trách nhiệm triển khai Kế hoạch.", ["Các đơn vị thuộc Bộ"], [], []),
        # a place named with a hyphen stays whole; a body after the hyphen does not join it
        (
            "UBND phường Long Hải - Phước Tỉnh chủ trì tổ chức lễ phát động.",
            ["Ủy ban nhân dân phường Long Hải - Phước Tỉnh"],
            [],
            [],
        ),
    ],
)
def test_who_leads_coordinates_and_monitors(
    bullet: str, lead: list[str], coordinate: list[str], monitor: list[str]
) -> None:
    [task] = tasks_of(f"- {bullet}")
    assert (task["lead"], task["coordinate"], task["monitor"]) == (lead, coordinate, monitor)


@pytest.mark.parametrize(
    ("text", "names"),
    [
        # a capitalised field after `và` runs to the predicate, the colon or the end of a heading
        ("Trung tâm Dịch vụ nông nghiệp và Xúc tiến đầu tư:", ["Trung tâm Dịch vụ nông nghiệp và Xúc tiến đầu tư"]),
        ("Trung tâm Dịch vụ nông nghiệp và Xúc tiến đầu tư", ["Trung tâm Dịch vụ nông nghiệp và Xúc tiến đầu tư"]),
        ("Cục Biến đổi khí hậu", ["Cục Biến đổi khí hậu"]),
        # negative: a known body after `và` is a body of its own
        ("Sở Y tế và Trung tâm Y tế huyện", ["Sở Y tế", "Trung tâm Y tế huyện"]),
        ("Phòng Kinh tế và Hạ tầng", ["Phòng Kinh tế và Hạ tầng"]),
    ],
)
def test_a_field_after_va_stays_in_the_name(text: str, names: list[str]) -> None:
    assert find_agencies(text) == names


# --- deadlines -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("bullet", "due"),
    [
        # a count the work reaches by a year that closes the sentence
        ("Trường Cao đẳng Nghề chủ trì đào tạo 300 kỹ thuật viên vi mạch đến năm 2030.", "2030-12-31"),
        ("Nâng tỷ lệ hộ dùng nước sạch lên 95% đến năm 2029.", "2029-12-31"),
        ("Sở Y tế phấn đấu đến ngày 31/8/2027 đạt trên 80% hồ sơ bệnh án điện tử.", "2027-08-31"),
        # the time the task names for its work
        ("Hội thi tiếng hát: Phòng Văn hóa chủ trì, thời gian tổ chức tháng 11/2027.", "2027-11-30"),
        ("Hội nghị sơ kết: thời gian thực hiện quý III/2027.", "2027-09-30"),
        # negative: the year of a document's name or a vision is no deadline
        ("Sở Công Thương thực hiện Chiến lược phát triển ngành đến năm 2030.", None),
        ("Phát triển 15 hợp tác xã kiểu mới, tầm nhìn đến năm 2035.", None),
        ("Triển khai Quyết định số 15/QĐ-UBND về Quy hoạch đến năm 2030.", None),
        # negative: a frequency word inside the sentence is wording
        ("Sở Nội vụ định kỳ hằng năm tổ chức hội nghị đối thoại.", None),
    ],
)
def test_a_date_in_the_tasks_own_sentence(bullet: str, due: str | None) -> None:
    [task] = plan(f"II. NHIỆM VỤ\n1. Nhiệm vụ chung\n- {bullet}\n", 2027)["tasks"]
    assert (task["deadline"] or {}).get("due") == due


# --- heading ---------------------------------------------------------------------------------

_MOTTO_COLUMN = ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]


def _issuer(left: list[str]) -> str:
    lines = [f"{line:<40}{right}" for line, right in zip(left, _MOTTO_COLUMN, strict=False)] + left[2:]
    head = "\n".join(lines) + "\nSố: 07/KH-SNV\nBình Minh, ngày 02 tháng 4 năm 2026\nKẾ HOẠCH\nTuyên truyền năm 2026\n"
    return plan_from(head)["document"]["issuer"]


def plan_from(head: str) -> dict:
    return extract(Source("invented.txt", head + "II. NHIỆM VỤ\n1. Chung\n- Tổ chức hội nghị.\n")).as_dict()


@pytest.mark.parametrize(
    ("left", "issuer"),
    [
        # a left-column line that opens with `VÀ` ends the name above it
        (
            ["ỦY BAN NHÂN DÂN TỈNH AN GIANG", "SỞ NỘI VỤ, LAO ĐỘNG", "VÀ XÃ HỘI"],
            "Sở Nội vụ, Lao động và Xã hội tỉnh An Giang",
        ),
        (["UBND TỈNH AN GIANG", "SỞ VĂN HÓA, THỂ THAO", "VÀ DU LỊCH"], "Sở Văn hóa, Thể thao và Du lịch tỉnh An Giang"),
        # negative: a commune's place on the next line, and a commune named Hội An, stay places
        (["ỦY BAN NHÂN DÂN", "XÃ HÒA BÌNH"], "Ủy ban nhân dân xã Hòa Bình"),
        (["ỦY BAN NHÂN DÂN", "XÃ HỘI AN"], "Ủy ban nhân dân xã Hội An"),
    ],
)
def test_the_issuer_written_over_two_lines(left: list[str], issuer: str) -> None:
    assert _issuer(left) == issuer
