"""Table-driven tests of the Vietnamese grammar pieces, on real phrases from plans."""

from __future__ import annotations

import pytest

from kehoach.extract.agencies import find_agencies
from kehoach.extract.assignments import is_assignment_heading, parse_assignment
from kehoach.extract.deadlines import opening_deadline, parse_deadline
from kehoach.extract.numbers import parse_number


@pytest.mark.parametrize(
    ("phrase", "due", "recurring", "conditional"),
    [
        ("Quý II/2026", "2026-06-30", False, False),
        ("quý 2 năm 2026", "2026-06-30", False, False),
        ("Quý IV/2025", "2025-12-31", False, False),
        ("Tháng 4/2026", "2026-04-30", False, False),
        ("tháng 02 năm 2024", "2024-02-29", False, False),
        ("Năm 2026", "2026-12-31", False, False),
        ("Trước ngày 31/01/2025", "2025-01-31", False, False),
        ("trước ngày 30 tháng 4 năm 2026", "2026-04-30", False, False),
        ("6 tháng đầu năm 2026", "2026-06-30", False, False),
        ("Giai đoạn 2026 - 2030", "2030-12-31", False, False),
        ("Quý I-II/2026", "2026-06-30", False, False),
        ("Quý II - Quý IV/2026", "2026-12-31", False, False),
        ("quý III và IV năm 2026", "2026-12-31", False, False),
        ("Tháng 3, 4/2026", "2026-04-30", False, False),
        ("tháng 3-4/2026", "2026-04-30", False, False),
        ("ngày 30.4.2026", "2026-04-30", False, False),
        ("Thường xuyên", None, True, False),
        ("Hằng năm", None, True, False),
        ("Quý III/2025 và thường xuyên", "2025-09-30", True, False),
        ("Năm 2025 và những năm tiếp theo", "2025-12-31", True, False),
        ("Triển khai thực hiện ngay sau khi Trung ương ban hành, phê duyệt", None, False, True),
        (
            "Thực hiện ngay khi Cơ quan Thường trực Ban Chỉ đạo tổng hợp, chuyển đến",
            None,
            False,
            True,
        ),
    ],
)
def test_deadlines(phrase: str, due: str | None, recurring: bool, conditional: bool) -> None:
    d = parse_deadline(phrase)
    assert d is not None
    assert (d.due.isoformat() if d.due else None, d.recurring, d.condition is not None) == (due, recurring, conditional)
    assert d.text == phrase


def test_deadline_condition_is_the_event_as_written() -> None:
    d = parse_deadline("Triển khai thực hiện ngay sau khi Trung ương ban hành, phê duyệt Đề án")
    assert d is not None and d.condition == "sau khi Trung ương ban hành, phê duyệt Đề án"


@pytest.mark.parametrize("phrase", ["", "   ", "Theo quy định", "Kinh phí ngân sách tỉnh"])
def test_no_deadline(phrase: str) -> None:
    assert parse_deadline(phrase) is None


def test_opening_deadline() -> None:
    assert opening_deadline("Trước ngày 31/01/2025, xây dựng, ban hành Kế hoạch") == "Trước ngày 31/01/2025"
    assert opening_deadline("Xây dựng kế hoạch trước ngày 31/01/2025") is None


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("616.565,83", 616565.83),
        ("4.302", 4302),
        ("1.462,8", 1462.8),
        ("3.755.949", 3755949),
        ("7,0", 7.0),
        ("0,15", 0.15),
        ("30", 30),
        ("abc", None),
    ],
)
def test_vietnamese_numbers(text: str, value: float | None) -> None:
    assert parse_number(text) == value


def test_scenario_indices_read_with_a_decimal_point() -> None:
    assert parse_number("107.27", decimal_point=True) == 107.27
    assert parse_number("107.27") == 107.27  # not three digits after the point: decimal


@pytest.mark.parametrize(
    ("phrase", "agencies"),
    [
        (
            "Các sở: Văn hóa, Thể thao và Du lịch, Giáo dục và Đào tạo, Y tế",
            ["Sở Văn hóa, Thể thao và Du lịch", "Sở Giáo dục và Đào tạo", "Sở Y tế"],
        ),
        ("Sở Văn hóa, Thể thao và Du lịch", ["Sở Văn hóa, Thể thao và Du lịch"]),
        ("Kế hoạch và Đầu tư,", ["Sở Kế hoạch và Đầu tư"]),
        ("Sở KH&ĐT, Sở GTVT", ["Sở Kế hoạch và Đầu tư", "Sở Giao thông vận tải"]),
        ("Sở Lao động-Thương binh và Xã hội", ["Sở Lao động - Thương binh và Xã hội"]),
        (
            "UBND tỉnh, Văn phòng UBND tỉnh",
            ["Ủy ban nhân dân tỉnh", "Văn phòng Ủy ban nhân dân tỉnh"],
        ),
        ("Sở Công thương; Sở Xây dựng", ["Sở Công Thương", "Sở Xây dựng"]),
        (
            "BQL KCN, Cục Thuế tỉnh Chi cục Hải quan",
            ["Ban Quản lý các khu công nghiệp", "Cục Thuế", "Chi cục Hải quan"],
        ),
        (
            "Đảng ủy UBND tỉnh (lãnh đạo), UBND tỉnh (tổ chức thực hiện)",
            ["Đảng ủy Ủy ban nhân dân tỉnh", "Ủy ban nhân dân tỉnh"],
        ),
        (
            "các sở, ngành tỉnh, UBND các huyện, thị xã, thành phố",
            ["Các sở, ban, ngành", "Ủy ban nhân dân cấp huyện"],
        ),
        (
            "Các sở, ban, ngành, các xã, phường, đặc khu có liên quan",
            ["Các sở, ban, ngành", "Ủy ban nhân dân cấp xã"],
        ),
        ("các sở, ngành, địa phương có liên quan", ["Các sở, ban, ngành", "Các địa phương"]),
        (
            "các Sở, ban, ngành và đơn vị liên quan",
            ["Các sở, ban, ngành", "Các cơ quan, đơn vị liên quan"],
        ),
        ("các phòng, cơ quan, đơn vị thuộc Sở", ["Các đơn vị thuộc Sở"]),
        ("Trường Đại học Trà Vinh", ["Trường Đại học Trà Vinh"]),
        (
            "Đài Phát thanh và Truyền hình Trà Vinh, Báo Trà Vinh",
            ["Đài Phát thanh và Truyền hình Trà Vinh", "Báo Trà Vinh"],
        ),
        ("Bảo hiểm xã hội khu vực 7", ["Bảo hiểm xã hội khu vực 7"]),
        ("Phòng Tổ chức cán bộ (Cơ quan thường trực)", ["Phòng Tổ chức cán bộ"]),
        ("công chức, viên chức và người lao động", []),
    ],
)
def test_agencies(phrase: str, agencies: list[str]) -> None:
    assert find_agencies(phrase) == agencies


@pytest.mark.parametrize(
    ("sentence", "lead", "coordinate", "monitor"),
    [
        (
            "Sở Tài chính chủ trì, phối hợp với các Sở, ban, ngành và đơn vị liên quan:",
            ["Sở Tài chính"],
            ["Các sở, ban, ngành", "Các cơ quan, đơn vị liên quan"],
            [],
        ),
        (
            "Sở Tư pháp: Chủ trì, phối hợp với các sở, ban, ngành tham mưu Ủy ban nhân dân tỉnh rà soát",
            ["Sở Tư pháp"],
            ["Các sở, ban, ngành"],
            [],
        ),
        (
            "Giao Sở Tài chính chủ trì theo dõi tình hình thực hiện Kế hoạch; phối hợp với các Sở, ban, "
            "ngành và Ủy ban nhân dân các phường, xã thường xuyên theo dõi",
            ["Sở Tài chính"],
            ["Các sở, ban, ngành", "Ủy ban nhân dân cấp xã"],
            [],
        ),
        (
            "Đề nghị Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh, các đoàn thể, tổ chức chính trị xã hội xây dựng "
            "chương trình",
            ["Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh", "Các đoàn thể, tổ chức chính trị xã hội"],
            [],
            [],
        ),
        (
            "Lãnh đạo các Sở, ban, ngành và Ủy ban nhân dân các địa phương chịu trách nhiệm triển khai; "
            "định kỳ gửi về Sở Tài chính để tổng hợp, báo cáo Ủy ban nhân dân tỉnh",
            ["Các sở, ban, ngành", "Các địa phương"],
            [],
            ["Sở Tài chính"],
        ),
        (
            "Căn cứ Kế hoạch của Tỉnh ủy, Đảng ủy Ủy ban nhân dân tỉnh cụ thể hóa thành kế hoạch",
            ["Đảng ủy Ủy ban nhân dân tỉnh"],
            [],
            [],
        ),
        ("Xây dựng và phát triển hạ tầng số đồng bộ, hiện đại", [], [], []),
        ("Phối hợp chặt chẽ, đồng bộ, hài hòa các chính sách tín dụng", [], [], []),
    ],
)
def test_assignments(sentence: str, lead: list[str], coordinate: list[str], monitor: list[str]) -> None:
    a = parse_assignment(sentence)
    assert (a.lead, a.coordinate, a.monitor) == (lead, coordinate, monitor)


@pytest.mark.parametrize(
    ("text", "heading"),
    [
        ("Sở Xây dựng chủ trì, phối hợp với các Sở, ban, ngành và đơn vị liên quan:", True),
        (
            "Các Sở, ban, ngành, Ủy ban nhân dân các phường và đơn vị liên quan tổ chức thực hiện",
            True,
        ),
        (
            "Thủ trưởng các sở, ngành tỉnh, Chủ tịch Ủy ban nhân dân các huyện, thị xã, thành phố:",
            True,
        ),
        ("Sở Tư pháp:", True),
        ("Giao Văn phòng Sở", True),
        (
            "Sở Văn hóa, Thể thao và Du lịch chủ trì, phối hợp với Ban Tuyên giáo Tỉnh ủy tổ chức phổ biến, "
            "tuyên truyền rộng rãi Kế hoạch này.",
            False,
        ),
        ("Nâng cao hiệu lực, hiệu quả tổ chức thi hành pháp luật", False),
    ],
)
def test_assignment_headings(text: str, heading: bool) -> None:
    assert is_assignment_heading(text) is heading
