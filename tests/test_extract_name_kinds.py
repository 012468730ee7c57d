"""The kinds of name error measured on unseen plans, one table each, on invented phrasings: a unit's
name the registry does not know runs to its predicate; a name joined to another by `và` stays one
where the second half is no body of its own. Each table holds cases that must not change beside
those that must."""

from __future__ import annotations

import pytest

from kehoach.extract import extract
from kehoach.extract.agencies import find_agencies
from kehoach.extract.assignments import parse_assignment
from kehoach.extract.cells import cell_agencies
from kehoach.read import Source

HEAD = (
    "ỦY BAN NHÂN DÂN\nXÃ TÂN PHÚ\nSố: 45/KH-UBND\nTân Phú, ngày 05 tháng 3 năm 2026\n"
    "KẾ HOẠCH\nThực hiện công tác thủy lợi năm 2026\n"
)


def tasks(body: str) -> list[tuple[str, list[str], list[str]]]:
    got = extract(Source("invented.txt", HEAD + body)).as_dict()["tasks"]
    return [(t["text"], t["lead"], t["monitor"]) for t in got]


# 1. A unit's field name runs to the body's own predicate, verb-like syllables and all (`biến`,
#    `quản lý`, `bảo vệ`, `chỉ đạo`), but not past a verb that opens the predicate, a list word or
#    the head of a new body.
TO_PREDICATE = [
    ("Cục Biến đổi khí hậu chủ trì xây dựng kế hoạch.", ["Cục Biến đổi khí hậu"]),
    ("Trường Cán bộ quản lý nông nghiệp chủ trì tổ chức lớp học.", ["Trường Cán bộ quản lý nông nghiệp"]),
    ("Cục Lâm nghiệp và Kiểm lâm có trách nhiệm kiểm tra.", ["Cục Lâm nghiệp và Kiểm lâm"]),
    ("Viện Khoa học thủy lợi và môi trường chủ trì khảo sát.", ["Viện Khoa học thủy lợi và môi trường"]),
    (
        "Văn phòng thường trực Ban Chỉ đạo nông thôn mới xã tham mưu tổng kết.",
        ["Văn phòng thường trực Ban Chỉ đạo nông thôn mới xã"],
    ),
    (
        "Trung tâm Truyền thông nông nghiệp và môi trường thực hiện.",
        ["Trung tâm Truyền thông nông nghiệp và môi trường"],
    ),
    ("Giao Cục Bảo vệ thực vật phối hợp với Sở Y tế.", ["Cục Bảo vệ thực vật", "Sở Y tế"]),
    (
        "do Viện Nghiên cứu chăn nuôi và thú y miền núi thực hiện, hoàn thành trước 30/6.",
        ["Viện Nghiên cứu chăn nuôi và thú y miền núi"],
    ),
    # unchanged: the predicate follows the name, two bodies, a collective, a name ending on its place
    ("Phòng Kinh tế tổ chức thực hiện.", ["Phòng Kinh tế"]),
    ("Phòng Kinh tế hướng dẫn các hợp tác xã xây dựng phương án.", ["Phòng Kinh tế", "Các hợp tác xã"]),
    ("Phòng Kinh tế tiếp tục thực hiện.", ["Phòng Kinh tế"]),
    ("Sở Tài chính và Sở Xây dựng chủ trì.", ["Sở Tài chính", "Sở Xây dựng"]),
    ("Sở Tài chính và các đơn vị liên quan thực hiện.", ["Sở Tài chính", "Các cơ quan, đơn vị liên quan"]),
    ("Trung tâm Y tế và Trường Tiểu học Kim Đồng thực hiện.", ["Trung tâm Y tế", "Trường Tiểu học Kim Đồng"]),
    ("Các cơ quan báo cáo Trưởng Ban Chỉ đạo huyện kết quả thực hiện.", ["Ban Chỉ đạo huyện"]),
    ("Sở Y tế kiểm tra, giám sát việc thực hiện.", ["Sở Y tế"]),
    ("Phòng Kinh tế và người dân thực hiện.", ["Phòng Kinh tế"]),
    ("Hạt Kiểm lâm tuần tra rừng thực hiện.", ["Hạt Kiểm lâm"]),
    ("Ban Quản lý dự án làm chủ đầu tư triển khai.", ["Ban Quản lý dự án"]),
    ("Phòng Kinh tế trực tiếp thực hiện.", ["Phòng Kinh tế"]),
    ("Phòng Kinh tế mua sắm thiết bị và thực hiện.", ["Phòng Kinh tế"]),
    ("Trung tâm Khuyến nông chuyển giao kỹ thuật cho nông dân thực hiện.", ["Trung tâm Khuyến nông"]),
    ("Trạm Khuyến nông và nông dân thực hiện.", ["Trạm Khuyến nông"]),
]


# A field cut after its first syllable (`Cục Biến`) also runs to the punctuation closing the clause.
TO_PUNCTUATION = [
    (
        "Sở Y tế chủ trì, phối hợp với Cục Biến đổi khí hậu, Sở Tư pháp.",
        ["Sở Y tế", "Cục Biến đổi khí hậu", "Sở Tư pháp"],
    ),
    ("Giao Cục Biến đổi khí hậu.", ["Cục Biến đổi khí hậu"]),
    # unchanged: a whole field, then its work
    ("phối hợp với Cục Thuế kiểm tra, giám sát.", ["Cục Thuế"]),
    ("phối hợp với Cục Thuế xử lý vi phạm.", ["Cục Thuế"]),
    ("phối hợp với Trung tâm Y tế khảo sát, đánh giá.", ["Trung tâm Y tế"]),
]


@pytest.mark.parametrize(("text", "names"), TO_PREDICATE + TO_PUNCTUATION)
def test_a_unit_name_runs_to_its_predicate(text: str, names: list[str]) -> None:
    assert find_agencies(text) == names


# 5. `hợp đồng`, `hợp tác` open the predicate; `tổng hợp`, `tích hợp` are nouns inside a name.
CONTRACTS = [
    ("Giao Phòng Kinh tế hợp đồng với đơn vị tư vấn lập hồ sơ.", ["Phòng Kinh tế"]),
    ("Phòng Văn hóa - Xã hội hợp tác với các trường học.", ["Phòng Văn hóa - Xã hội", "Các trường học"]),
    ("Phòng Kế hoạch - Tổng hợp chủ trì.", ["Phòng Kế hoạch - Tổng hợp"]),
    ("Ban Quản lý dự án tích hợp thực hiện.", ["Ban Quản lý dự án tích hợp"]),
]


@pytest.mark.parametrize(("text", "names"), CONTRACTS)
def test_a_contract_verb_ends_the_name(text: str, names: list[str]) -> None:
    assert find_agencies(text) == names


# 3. `A đôn đốc / chỉ đạo / lãnh đạo B làm ...`: lead B, monitor A (`lãnh đạo` is the Party's `chỉ đạo`);
#    `A hướng dẫn B làm ...` is A's own work.
DIRECTING = [
    ("Đảng ủy xã lãnh đạo HĐND xã ban hành nghị quyết chuyên đề.", ["Hội đồng nhân dân xã"], ["Đảng ủy xã"]),
    ("Sở Y tế chỉ đạo Trung tâm Y tế huyện tổ chức tiêm chủng.", ["Trung tâm Y tế huyện"], ["Sở Y tế"]),
    ("Phòng Kinh tế hướng dẫn các hợp tác xã xây dựng phương án sản xuất.", ["Phòng Kinh tế"], []),
    ("Sở Xây dựng hướng dẫn Ủy ban nhân dân các xã lập quy hoạch.", ["Sở Xây dựng"], []),
]


@pytest.mark.parametrize(("text", "lead", "monitor"), DIRECTING)
def test_only_directing_verbs_hand_the_work_down(text: str, lead: list[str], monitor: list[str]) -> None:
    got = parse_assignment(text)
    assert (got.lead, got.monitor) == (lead, monitor)


# 4. The lead named after the work together with its partners: `...; A phối hợp với B thực hiện`.
AFTER_WORK = [
    ("Nạo vét kênh mương; Phòng Kinh tế phối hợp với Công an xã thực hiện.", ["Phòng Kinh tế"], ["Công an xã"]),
    (
        "Sửa chữa cống, do Trạm Thủy nông phối hợp với Đoàn Thanh niên xã thực hiện.",
        ["Trạm Thủy nông"],
        ["Đoàn Thanh niên xã"],
    ),
    # unchanged: a lead before, the later clause only works with it
    (
        "Sở Y tế chủ trì kiểm tra; Sở Công Thương phối hợp với Công an tỉnh thực hiện.",
        ["Sở Y tế"],
        ["Sở Công Thương", "Công an tỉnh"],
    ),
    ("Nạo vét kênh mương; Phòng Kinh tế phối hợp thẩm định.", [], ["Phòng Kinh tế"]),
]


@pytest.mark.parametrize(("text", "lead", "coordinate"), AFTER_WORK)
def test_a_lead_named_after_the_work_with_its_partners(text: str, lead: list[str], coordinate: list[str]) -> None:
    got = parse_assignment(text)
    assert (got.lead, sorted(got.coordinate)) == (lead, sorted(coordinate))


# 2. Collective subjects: a department's units (`các bộ phận chuyên môn thuộc Sở`), their heads (`Trưởng
#    các phòng ...`), places (`Các thôn`) whose name stops before their verb, and a body's collective.
COLLECTIVES = [
    ("Các bộ phận chuyên môn thuộc Sở có trách nhiệm triển khai kế hoạch.", ["Các đơn vị thuộc Sở"]),
    ("Trưởng các phòng, đơn vị thuộc Sở chịu trách nhiệm triển khai.", ["Các đơn vị thuộc Sở"]),
    ("Ban điều hành các tổ dân phố có trách nhiệm vận động nhân dân.", ["Ban điều hành các tổ dân phố"]),
    ("Các thôn duy trì vườn hoa, cây xanh.", ["Các thôn"]),
    ("Các ấp tổ chức ra quân vệ sinh.", ["Các ấp"]),
    # unchanged: a trade names its bodies (`các đơn vị duy trì thoát nước`); persons are no body
    ("Các đơn vị duy trì thoát nước kiểm tra cống.", ["Các đơn vị duy trì thoát nước"]),
    ("Công chức, viên chức và người lao động thực hiện tiết kiệm.", []),
]


@pytest.mark.parametrize(("text", "lead"), COLLECTIVES)
def test_a_collective_subject_leads(text: str, lead: list[str]) -> None:
    assert parse_assignment(text).lead == lead


def test_a_lettered_heading_of_a_collective_leads_its_bullets() -> None:
    got = tasks("II. NHIỆM VỤ\n1. Sản xuất\na) Các tổ hợp tác:\n- Tổ chức sản xuất vụ đông.\n")
    assert got == [("Tổ chức sản xuất vụ đông.", ["Các tổ hợp tác"], [])]


def test_a_bullet_that_directs_named_units_is_led_by_them() -> None:
    body = (
        "II. NHIỆM VỤ\n1. Thủy lợi\na) Phòng Kinh tế:\n"
        "- Chỉ đạo Tổ Thủy lợi và Tổ Khuyến nông tổ chức ra quân làm thủy lợi.\n"
        "- Chỉ đạo các hợp tác xã thực hiện tốt công tác thủy lợi.\n"
    )
    assert [(lead, monitor) for _, lead, monitor in tasks(body)] == [
        (["Tổ Thủy lợi", "Tổ Khuyến nông"], ["Phòng Kinh tế"]),
        (["Phòng Kinh tế"], []),  # a collective directed: the heading's body's own work
    ]


# 6. `UBND các tỉnh, thành phố trực thuộc trung ương` is one addressee: the comma is inside the fixed phrase.
PROVINCES = [
    ("Đề nghị UBND các tỉnh, thành phố trực thuộc trung ương bố trí kinh phí thực hiện Đề án.", 1),
    ("Đề nghị Ủy ban nhân dân các tỉnh, thành phố chỉ đạo các sở rà soát.", 1),
    ("Đề nghị Sở Y tế, Sở Tài chính bố trí kinh phí.", 2),
]


@pytest.mark.parametrize(("text", "count"), PROVINCES)
def test_every_province_committee_is_one_addressee(text: str, count: int) -> None:
    lead = parse_assignment(text).lead
    assert len(lead) == count
    assert count == 2 or lead == ["Ủy ban nhân dân các tỉnh, thành phố trực thuộc Trung ương"]


# Coordinates: a body that gathers others (`Đảng ủy các cơ quan Đảng tỉnh`, `Ban nhân dân các ấp`), each
# named ward of `UBND các phường A, B`, an abbreviated department written out.
PARTNERS = [
    ("Sở Y tế chủ trì, phối hợp với Đảng ủy các cơ quan Đảng tỉnh tổ chức.", ["Đảng ủy các cơ quan Đảng tỉnh"]),
    ("Phòng Văn hóa chủ trì, phối hợp với Ban nhân dân các ấp tổ chức.", ["Ban nhân dân các ấp"]),
    (
        "Phòng Kinh tế chủ trì, phối hợp với UBND các phường Tân Lập, Hòa Bình kiểm tra.",
        ["Ủy ban nhân dân phường Tân Lập", "Ủy ban nhân dân phường Hòa Bình"],
    ),
    ("Sở Tài chính chủ trì, phối hợp với Sở VH,TT&DL tổ chức.", ["Sở Văn hóa, Thể thao và Du lịch"]),
    # unchanged: the collective without names, a list that ends where another body begins
    ("Sở Y tế chủ trì, phối hợp với UBND các phường, xã thực hiện.", ["Ủy ban nhân dân cấp xã"]),
    (
        "Sở Y tế chủ trì, phối hợp với UBND các xã Tân Phú, Hòa An, Sở Tư pháp thực hiện.",
        ["Ủy ban nhân dân xã Tân Phú", "Ủy ban nhân dân xã Hòa An", "Sở Tư pháp"],
    ),
]


@pytest.mark.parametrize(("text", "coordinate"), PARTNERS)
def test_partners_named_whole(text: str, coordinate: list[str]) -> None:
    assert parse_assignment(text).coordinate == coordinate


def test_a_subject_heading_that_says_phoi_hop_gives_no_partner() -> None:
    body = (
        "II. NHIỆM VỤ\n1. Phối hợp với các cơ quan, địa phương trong công tác thủy lợi\n"
        "- Tuyên truyền về thủy lợi.\n2. Sở Xây dựng phối hợp với Sở Y tế trong công tác vệ sinh\n"
        "- Kiểm tra vệ sinh.\n"
    )
    got = extract(Source("invented.txt", HEAD + body)).as_dict()["tasks"]
    assert [(t["section"][:9], t["lead"], t["coordinate"]) for t in got] == [
        ("Phối hợp ", [], []),
        ("Sở Xây dự", ["Sở Xây dựng"], ["Sở Y tế"]),
    ]


# ── a cell's entry is one name: an unknown unit runs to the entry's end ────────────────────────
CELL_ENTRIES = [
    ("Cục Chế biến và Phát triển thị trường", ["Cục Chế biến và Phát triển thị trường"]),
    ("Vụ Hợp tác quốc tế; Cục Quản lý xây dựng công trình", ["Vụ Hợp tác quốc tế", "Cục Quản lý xây dựng công trình"]),
    ("Viện Thổ nhưỡng và Nông hóa quốc gia", ["Viện Thổ nhưỡng và Nông hóa quốc gia"]),
    ("Viện Quy hoạch, Thiết kế nông nghiệp và thủy lợi", ["Viện Quy hoạch, Thiết kế nông nghiệp và thủy lợi"]),
    ("Cục Kinh tế hợp tác; UBND các tỉnh", ["Cục Kinh tế hợp tác", "Ủy ban nhân dân các tỉnh"]),
    # must not change: a second body, people, a collective, a role in brackets
    ("Phòng Văn hóa và Trường Mầm non xã", ["Phòng Văn hóa", "Trường Mầm non xã"]),
    ("Trung tâm Y tế khu vực và người dân", ["Trung tâm Y tế khu vực"]),
    ("Ban Quản lý rừng phòng hộ và các đơn vị liên quan",
     ["Ban Quản lý rừng phòng hộ", "Các cơ quan, đơn vị liên quan"]),
    ("Cục Quản lý chất lượng nông lâm sản (chủ trì)", ["Cục Quản lý chất lượng nông lâm sản"]),
]


@pytest.mark.parametrize(("cell", "names"), CELL_ENTRIES)
def test_an_unknown_unit_in_a_cell_runs_to_its_entrys_end(cell: str, names: list[str]) -> None:
    assert cell_agencies(cell) == names
