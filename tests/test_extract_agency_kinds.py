"""The kinds of agency error measured on unseen plans, one table each, on invented phrasings:
where a name ends, who leads when one body directs another, lists spread over one head and the
collective bodies, the Decree 30/2020 heading block in its layouts, and scan errors in the fixed
vocabulary. Other provinces, other bodies and other verbs than the development documents'."""

from __future__ import annotations

import pytest

from kehoach.extract.agencies import find_agencies, registry
from kehoach.extract.assignments import parse_assignment

# 1. A name ends at `,` `;` `-` `và` between agencies and before the predicate; a hyphen or a comma
#    inside an official name keeps it whole.
BOUNDARIES = [
    ("Sở Nội vụ tham mưu UBND tỉnh ban hành quy chế", ["Sở Nội vụ"]),
    ("Sở Tài chính – Sở Xây dựng – Sở Công Thương thực hiện", ["Sở Tài chính", "Sở Xây dựng", "Sở Công Thương"]),
    (
        "Công an tỉnh; Bộ Chỉ huy Quân sự tỉnh và Sở Ngoại vụ phối hợp",
        ["Công an tỉnh", "Bộ Chỉ huy Quân sự tỉnh", "Sở Ngoại vụ"],
    ),
    ("Phòng Văn hóa - Thông tin phối hợp thực hiện", ["Phòng Văn hóa - Thông tin"]),
    ("Sở Văn hóa, Thể thao và Du lịch chủ trì", ["Sở Văn hóa, Thể thao và Du lịch"]),
    # a place closes a name; the verb after it is not part of it
    ("Trường Chính trị tỉnh Nghệ An biên soạn tài liệu", ["Trường Chính trị tỉnh Nghệ An"]),
    ("Ban Quản lý rừng phòng hộ Kỳ Anh trồng rừng thay thế", ["Ban Quản lý rừng phòng hộ Kỳ Anh"]),
    ("Trung tâm Y tế huyện Nghi Xuân tiếp nhận", ["Trung tâm Y tế huyện Nghi Xuân"]),
    # a predicate word that makes a noun with the one before it stays in the name
    ("Văn phòng Đăng ký đất đai cập nhật dữ liệu", ["Văn phòng Đăng ký đất đai"]),
    ("Chi nhánh Văn phòng đăng ký đất đai khu vực II cấp giấy", ["Chi nhánh Văn phòng đăng ký đất đai khu vực II"]),
]


@pytest.mark.parametrize(("phrase", "names"), BOUNDARIES)
def test_a_name_ends_where_the_next_agency_or_the_predicate_begins(phrase: str, names: list[str]) -> None:
    assert parse_assignment(phrase).lead == names


# 2. `A lãnh đạo, chỉ đạo B thực hiện`: B does the work, A follows it up; `giao B chủ trì`: B leads.
DIRECTING = [
    (
        "Sở Khoa học và Công nghệ lãnh đạo, chỉ đạo Trung tâm Chuyển đổi số tỉnh thực hiện số hóa",
        ["Trung tâm Chuyển đổi số tỉnh"],
        ["Sở Khoa học và Công nghệ"],
    ),
    ("Ban Dân tộc lãnh đạo và chỉ đạo UBND các xã triển khai chính sách", ["Ủy ban nhân dân cấp xã"], ["Ban Dân tộc"]),
    (
        "Sở Y tế chỉ đạo Trung tâm Kiểm soát bệnh tật tỉnh triển khai",
        ["Trung tâm Kiểm soát bệnh tật tỉnh"],
        ["Sở Y tế"],
    ),
    ("Giao Sở Công Thương chủ trì kiểm tra thị trường", ["Sở Công Thương"], []),
    # a body that advises the committee does the work itself
    ("Sở Tư pháp tham mưu Ủy ban nhân dân tỉnh chỉ đạo các xã", ["Sở Tư pháp"], []),
]


@pytest.mark.parametrize(("phrase", "lead", "monitor"), DIRECTING)
def test_the_body_directed_leads_and_the_director_monitors(phrase: str, lead: list[str], monitor: list[str]) -> None:
    a = parse_assignment(phrase)
    assert (a.lead, a.monitor) == (lead, monitor)


# 3. A list spread over one head names each body; a level's bodies are one collective name.
LISTS = [
    (
        "Các Sở: Tài chính, Xây dựng, Nông nghiệp và Môi trường rà soát quy hoạch",
        ["Sở Tài chính", "Sở Xây dựng", "Sở Nông nghiệp và Môi trường"],
        [],
    ),
    ("Các sở: Nội vụ, Tư pháp và Công an tỉnh thực hiện", ["Sở Nội vụ", "Sở Tư pháp", "Công an tỉnh"], []),
    (
        "Sở Tài chính chủ trì, phối hợp với các Sở: Xây dựng, Khoa học và Công nghệ triển khai",
        ["Sở Tài chính"],
        ["Sở Xây dựng", "Sở Khoa học và Công nghệ"],
    ),
    ("Các sở Tài chính, Xây dựng, Công Thương kiểm tra", ["Sở Tài chính", "Sở Xây dựng", "Sở Công Thương"], []),
    # any head written once over its names
    (
        "Các phòng: Kinh tế, Văn hóa - Xã hội, Tư pháp triển khai",
        ["Phòng Kinh tế", "Phòng Văn hóa - Xã hội", "Phòng Tư pháp"],
        [],
    ),
    (
        "Các Hội: Nông dân, Cựu chiến binh và Liên hiệp Phụ nữ tỉnh tuyên truyền",
        ["Hội Nông dân", "Hội Cựu chiến binh", "Hội Liên hiệp Phụ nữ tỉnh"],
        [],
    ),
    (
        "Sở Y tế phối hợp với các Trung tâm: Kiểm soát bệnh tật, Pháp y tổ chức tập huấn",
        ["Sở Y tế"],
        ["Trung tâm Kiểm soát bệnh tật", "Trung tâm Pháp y"],
    ),
    ("Các xã: An Phú, Tân Hòa triển khai", ["Ủy ban nhân dân xã An Phú", "Ủy ban nhân dân xã Tân Hòa"], []),
    # a department's units are not a list of departments
    ("Các đơn vị thuộc Sở Xây dựng thực hiện", ["Các đơn vị thuộc Sở"], []),
    ("Ủy ban MTTQ Việt Nam cấp xã tuyên truyền", ["Ủy ban Mặt trận Tổ quốc Việt Nam cấp xã"], []),
    ("Công an cấp xã tăng cường tuần tra", ["Công an cấp xã"], []),
    ("Hội Nông dân các xã, phường, đặc khu vận động", ["Hội Nông dân các xã, phường, đặc khu"], []),
    ("UBND các xã, phường rà soát thủ tục", ["Ủy ban nhân dân cấp xã"], []),
    ("Các cơ quan, đơn vị liên quan thực hiện nghiêm", ["Các cơ quan, đơn vị liên quan"], []),
]


@pytest.mark.parametrize(("phrase", "lead", "coordinate"), LISTS)
def test_lists_spread_and_collectives_stay_whole(phrase: str, lead: list[str], coordinate: list[str]) -> None:
    a = parse_assignment(phrase)
    assert (a.lead, a.coordinate) == (lead, coordinate)


@pytest.mark.parametrize(
    ("name", "collective"),
    [
        ("Ủy ban Mặt trận Tổ quốc Việt Nam cấp xã", True),
        ("Hội Cựu chiến binh cấp huyện", True),
        ("Đoàn Thanh niên các xã", True),
        ("Ủy ban nhân dân cấp xã", True),
        ("Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh", False),
        ("Hội Nông dân xã Tân Lập", False),
    ],
)
def test_a_body_named_by_its_level_is_collective(name: str, collective: bool) -> None:
    assert registry().is_collective(name) is collective


def test_find_agencies_keeps_a_level_body_whole() -> None:
    assert find_agencies("Đoàn Thanh niên các xã, Hội Phụ nữ các phường") == [
        "Đoàn Thanh niên các xã",
        "Hội Phụ nữ các phường",
    ]
