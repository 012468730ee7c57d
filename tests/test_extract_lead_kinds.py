"""The kinds of lead error measured on unseen plans, one table each, on invented phrasings: a
report that is no task once past `Giao`/`Đề nghị`, a heading that names a subject and no body,
the lead named after the work, names with a comma or a number inside them, names that end
before the next verb, a lead-in's recipient handed down, and lettered items inline. Each table
holds cases that must not change beside those that must."""

from __future__ import annotations

import pytest

from kehoach.extract import extract
from kehoach.extract.tasks import looks_like_agency
from kehoach.read import Source

HEAD = (
    "ỦY BAN NHÂN DÂN\nTỈNH NINH THUẬN\nSố: 45/KH-UBND\nNinh Thuận, ngày 05 tháng 3 năm 2026\n"
    "KẾ HOẠCH\nThực hiện công tác thủy lợi năm 2026\n"
)


def plan(body: str) -> dict:
    return extract(Source("invented.txt", HEAD + body)).as_dict()


def tasks(body: str) -> list[tuple[str, list[str], list[str]]]:
    return [(t["text"], t["lead"], t["coordinate"]) for t in plan(body)["tasks"]]


# 1. A duty that only reports is no task, also where `Giao`, `Đề nghị` or `Yêu cầu` hands it to its
#    bodies; one that reports and does other work stays a task.
REPORTS = [
    ("Giao Sở Tài chính tổng hợp kết quả, báo cáo UBND tỉnh trước ngày 15/12/2026.", False),
    ("Đề nghị các sở, ngành định kỳ hằng quý báo cáo kết quả thực hiện về Sở Nội vụ.", False),
    ("Yêu cầu Ủy ban nhân dân các xã báo cáo tình hình thực hiện về Sở Y tế trước ngày 20/11/2026.", False),
    ("Giao nhiệm vụ cho Công an tỉnh tổng hợp số liệu, báo cáo Ủy ban nhân dân tỉnh trước ngày 05/12/2026.", False),
    ("Sở Xây dựng tổng hợp tình hình, báo cáo UBND tỉnh hằng quý.", False),
    # work besides the report: a task (and a duty)
    ("Giao Sở Tài chính bố trí kinh phí thực hiện; tổng hợp, báo cáo UBND tỉnh trước ngày 15/12/2026.", True),
    ("Đề nghị Sở Y tế kiểm tra an toàn thực phẩm, báo cáo kết quả về UBND tỉnh.", True),
]


@pytest.mark.parametrize(("item", "is_task"), REPORTS)
def test_a_duty_that_only_reports_is_no_task_past_its_intro(item: str, is_task: bool) -> None:
    got = plan(f"II. NHIỆM VỤ\n1. Thủy lợi\n- Nạo vét kênh mương.\nIII. TỔ CHỨC THỰC HIỆN\n1. {item}\n")
    assert any(item.rstrip(".") in t["text"] for t in got["tasks"]) is is_task
    assert got["reporting"], "it is a reporting duty either way"


# 2. A heading names a body only where it looks like one (a body's head noun); a subject's
#    heading (`Kinh phí`, `Chế độ báo cáo`) gives no lead to the items under it.
HEADINGS = [
    ("Kinh phí", False),
    ("Chế độ báo cáo", False),
    ("Tổ chức thực hiện", False),
    ("Hội nghị sơ kết", False),
    ("Khu vực nội thành", False),
    ("Công tác tuyên truyền", False),
    ("Liên hiệp các tổ chức hữu nghị tỉnh", True),
    ("Trung tâm Khuyến nông", True),
    ("Hội Cựu chiến binh", True),
    ("Ban Quản lý các khu công nghiệp", True),
]


@pytest.mark.parametrize(("heading", "body"), HEADINGS)
def test_a_heading_is_an_agency_only_where_it_looks_like_one(heading: str, body: bool) -> None:
    assert looks_like_agency(heading) is body


@pytest.mark.parametrize(
    ("heading", "lead"),
    [
        ("Kinh phí", []),
        ("Kinh phí thực hiện", []),
        ("Chế độ thông tin", []),
        ("Sở Nông nghiệp và Môi trường", ["Sở Nông nghiệp và Môi trường"]),
        ("Hội Nông dân tỉnh", ["Hội Nông dân tỉnh"]),
    ],
)
def test_an_organisation_heading_hands_down_only_a_body(heading: str, lead: list[str]) -> None:
    body = (
        "II. NHIỆM VỤ\n1. Thủy lợi\n- Nạo vét kênh mương.\nIII. TỔ CHỨC THỰC HIỆN\n"
        f"1. {heading}\n- Bố trí nguồn vốn cho các công trình thủy lợi.\n- Rà soát định mức chi.\n"
    )
    got = [t for t in tasks(body) if t[0].startswith(("Bố trí", "Rà soát"))]
    assert [t[1] for t in got] == [lead, lead]
