"""The grammar of Vietnamese administrative text, table by table, on invented phrasings.

Each row is a construction the extractor must read (an agency's name, who leads and who works
with whom, a deadline written one way or another), phrased with other agencies, other verbs and
other places than the documents it was developed on: a rule fitted to one document's sentence
fails here.
"""

from __future__ import annotations

import pytest

from kehoach.extract.agencies import find_agencies, registry
from kehoach.extract.assignments import is_assignment_heading, lead_in_assignment, parse_assignment
from kehoach.extract.cells import cell_agencies
from kehoach.extract.deadlines import parse_deadline, prose_deadline


@pytest.mark.parametrize(
    ("phrase", "agencies"),
    [
        # a ministry's units
        ("Vụ Kế hoạch - Tài chính, Cục Công nghệ thông tin", ["Vụ Kế hoạch - Tài chính", "Cục Công nghệ thông tin"]),
        ("Cục Quản lý xây dựng công trình chủ trì", ["Cục Quản lý xây dựng công trình"]),
        ("Kho bạc Nhà nước khu vực IX", ["Kho bạc Nhà nước khu vực IX"]),
        # a project board named by what it manages (`các công trình`) goes on through `các`
        (
            "Ban Quản lý dự án đầu tư xây dựng các công trình giao thông tỉnh chủ trì",
            ["Ban Quản lý dự án đầu tư xây dựng các công trình giao thông tỉnh"],
        ),
        ("Ban Quản lý các khu công nghiệp các tỉnh", ["Ban Quản lý các khu công nghiệp"]),
        # a commune's offices and bodies
        ("Phòng Kinh tế, Phòng Văn hóa - Xã hội", ["Phòng Kinh tế", "Phòng Văn hóa - Xã hội"]),
        ("Ủy ban MTTQ Việt Nam xã", ["Ủy ban Mặt trận Tổ quốc Việt Nam xã"]),
        ("Ban Thường vụ Đảng ủy xã", ["Ban Thường vụ Đảng ủy xã"]),
        ("Ban điều hành các ấp", ["Ban điều hành các ấp"]),
        # a commune writes its local bodies in lower case, up to the place
        ("Đài truyền thanh xã, Trạm y tế xã", ["Đài truyền thanh xã", "Trạm y tế xã"]),
        ("Phòng chống dịch xã", []),
        # a list spread over one head names each body
        (
            "UBND các xã: Tân Phú, Tân Hòa, Phú Lộc",
            ["Ủy ban nhân dân xã Tân Phú", "Ủy ban nhân dân xã Tân Hòa", "Ủy ban nhân dân xã Phú Lộc"],
        ),
        (
            "Ủy ban nhân dân các phường: Hòa Bình, Tân An",
            ["Ủy ban nhân dân phường Hòa Bình", "Ủy ban nhân dân phường Tân An"],
        ),
        # mass organisations; the Youth Union named by its level alone
        (
            "Hội Nông dân tỉnh, Hội Liên hiệp Phụ nữ tỉnh, Tỉnh đoàn",
            ["Hội Nông dân tỉnh", "Hội Liên hiệp Phụ nữ tỉnh", "Tỉnh đoàn"],
        ),
        ("Thành đoàn chủ trì", ["Thành đoàn"]),
        # a department's own units
        ("Thanh tra Sở Nông nghiệp và Môi trường", ["Thanh tra Sở Nông nghiệp và Môi trường"]),
        ("Văn phòng Sở Y tế", ["Văn phòng Sở Y tế"]),
        # a unit owned by another body is the unit; the owner only says whose it is
        ("Trung tâm Dịch vụ việc làm thuộc Sở Nội vụ chủ trì", ["Trung tâm Dịch vụ việc làm"]),
        (
            "Văn phòng Điều phối nông thôn mới thuộc UBND tỉnh, Sở Tài chính",
            ["Văn phòng Điều phối nông thôn mới", "Sở Tài chính"],
        ),
        # predicate words that make a noun with their neighbour stay in the name
        ("các trường trung học phổ thông thuộc Sở", ["Các trường trung học phổ thông"]),
        ("Các doanh nghiệp vận tải hành khách", ["Các doanh nghiệp vận tải hành khách"]),
        ("các đơn vị cấp nước trên địa bàn", ["Các đơn vị cấp nước"]),
        ("Chi cục kiểm lâm vùng II", ["Chi cục kiểm lâm vùng II"]),
        ("Trung tâm điều hành đô thị thông minh tỉnh", ["Trung tâm điều hành đô thị thông minh tỉnh"]),
        # ... but the predicate after a name still ends it
        ("Sở Giáo dục và Đào tạo phổ biến quy định", ["Sở Giáo dục và Đào tạo"]),
        ("Trung tâm Y tế kiểm tra", ["Trung tâm Y tế"]),
        # partners named in an aside that says who works with whom
        ("Sở Ngoại vụ (chủ trì), Sở Du lịch", ["Sở Ngoại vụ", "Sở Du lịch"]),
        # a lower-case word between two capitalised words of a name is part of it
        ("Trung tâm Xúc tiến Thương mại tỉnh chủ trì", ["Trung tâm Xúc tiến Thương mại tỉnh"]),
        # a city's own body, not the province's that the bare form names
        ("Bộ Chỉ huy Quân sự thành phố phối hợp", ["Bộ Chỉ huy Quân sự thành phố"]),
        ("Ủy ban nhân dân các quận, huyện", ["Ủy ban nhân dân cấp huyện"]),
        # a list spread over one head ends with the last proper name, before the predicate
        (
            "UBND các phường: Hải Châu, Thanh Khê tổ chức ra quân",
            ["Ủy ban nhân dân phường Hải Châu", "Ủy ban nhân dân phường Thanh Khê"],
        ),
        (
            "Đề nghị Đại sứ quán các nước: Lào, Cộng hòa Liên bang Đức giới thiệu",
            ["Đại sứ quán Lào", "Đại sứ quán Cộng hòa Liên bang Đức"],
        ),
        # bodies and the units besides them; the units a committee owns are its bodies, not the committee
        ("các sở, ngành, đơn vị bố trí lực lượng", ["Các sở, ban, ngành", "Các cơ quan, đơn vị liên quan"]),
        ("các Sở, ban, ngành, đơn vị thuộc UBND tỉnh chủ động", ["Các sở, ban, ngành"]),
        # a person's title after a comma begins a new entry, not a part of the name before it
        ("Giám đốc Sở Y tế, Chủ tịch UBND các xã", ["Sở Y tế", "Ủy ban nhân dân cấp xã"]),
        # the investors: named by what they invest in, or all of them
        (
            "phối hợp với Chủ đầu tư các dự án nhà ở xã hội và các nhà thầu",
            ["Chủ đầu tư các dự án nhà ở xã hội", "Các nhà thầu"],
        ),
        ("Chủ đầu tư và các nhà thầu tư vấn giám sát", ["Các chủ đầu tư", "Các nhà thầu tư vấn"]),
        ("được giao làm chủ đầu tư dự án", []),
        # lakes are not agencies
        ("hồ Tây, hồ Gươm", []),
    ],
)
def test_agency_names(phrase: str, agencies: list[str]) -> None:
    assert find_agencies(phrase) == agencies


@pytest.mark.parametrize(
    ("heading", "bodies"),
    [
        ("Các thôn: Phú Mỹ, Tân Lập và Đông Hòa", ["Thôn Phú Mỹ", "Thôn Tân Lập", "Thôn Đông Hòa"]),
        ("Các xã: An Bình, Tân Hưng", ["Ủy ban nhân dân xã An Bình", "Ủy ban nhân dân xã Tân Hưng"]),
        ("Tỉnh Kon Tum, Thành phố Huế", ["Ủy ban nhân dân tỉnh Kon Tum", "Ủy ban nhân dân Thành phố Huế"]),
    ],
)
def test_addressed_places(heading: str, bodies: list[str]) -> None:
    assert registry().addressees(heading) == bodies


@pytest.mark.parametrize(
    ("sentence", "lead", "coordinate", "monitor"),
    [
        # `phối hợp cùng` is `phối hợp với`
        ("Sở Du lịch chủ trì, phối hợp cùng Sở Ngoại vụ tổ chức đón đoàn khách", ["Sở Du lịch"], ["Sở Ngoại vụ"], []),
        # coordinators without a subject
        ("Phối hợp với Sở Nội vụ rà soát biên chế", [], ["Sở Nội vụ"], []),
        # `A đôn đốc, hướng dẫn B triển khai`: B does it, A follows it up
        ("Sở Y tế đôn đốc, hướng dẫn các bệnh viện triển khai", ["Các bệnh viện"], [], ["Sở Y tế"]),
        # `Đề nghị A chỉ đạo B`: the plan can hold only A to account
        ("Đề nghị Hội Nông dân tỉnh chỉ đạo hội nông dân các cấp tuyên truyền", ["Hội Nông dân tỉnh"], [], []),
        # the subject after an adverbial clause
        ("Định kỳ hằng quý, Sở Công Thương rà soát tiến độ các dự án", ["Sở Công Thương"], [], []),
        ("Trước ngày 15/3/2026, Phòng Kinh tế xây dựng kế hoạch", ["Phòng Kinh tế"], [], []),
        ("Với vai trò cơ quan thường trực, Sở Nội vụ tổng hợp kết quả", ["Sở Nội vụ"], [], []),
        ("Để bảo đảm tiến độ, Ban Quản lý dự án tỉnh rà soát hồ sơ", ["Ban Quản lý dự án tỉnh"], [], []),
        # an adverbial and then a verb: no subject
        ("Trước ngày 15/3/2026, xây dựng kế hoạch chi tiết", [], [], []),
        # `X đề nghị A ..., yêu cầu B ...`: those asked do the work
        (
            "Ủy ban nhân dân tỉnh đề nghị Bộ Công an hỗ trợ, yêu cầu Công an tỉnh bố trí lực lượng",
            ["Bộ Công an", "Công an tỉnh"],
            [],
            [],
        ),
        # a person is no agency
        ("Đồng chí Chủ tịch UBND xã chỉ đạo chung", [], [], []),
        (
            "Sở Tư pháp, Sở Nội vụ theo chức năng, nhiệm vụ được giao chủ động triển khai",
            ["Sở Tư pháp", "Sở Nội vụ"],
            [],
            [],
        ),
        (
            "Giao Phòng Văn hóa - Xã hội chủ trì, phối hợp Công an xã, Trạm Y tế xã tổ chức kiểm tra",
            ["Phòng Văn hóa - Xã hội"],
            ["Công an xã", "Trạm Y tế xã"],
            [],
        ),
        (
            "Cục Công nghệ thông tin chủ trì, phối hợp với Vụ Pháp chế, Văn phòng Bộ hoàn thiện dự thảo",
            ["Cục Công nghệ thông tin"],
            ["Vụ Pháp chế", "Văn phòng Bộ"],
            [],
        ),
        ("Kết quả gửi về Sở Kế hoạch và Đầu tư để tổng hợp", [], [], ["Sở Kế hoạch và Đầu tư"]),
        (
            "Sở Tài chính phối hợp chặt chẽ với Kho bạc Nhà nước khu vực IX trong việc bố trí vốn",
            ["Sở Tài chính"],
            ["Kho bạc Nhà nước khu vực IX"],
            [],
        ),
    ],
)
def test_who_leads_coordinates_monitors(
    sentence: str, lead: list[str], coordinate: list[str], monitor: list[str]
) -> None:
    a = parse_assignment(sentence)
    assert (a.lead, a.coordinate, a.monitor) == (lead, coordinate, monitor)


@pytest.mark.parametrize(
    ("lead_in", "lead", "coordinate", "monitor"),
    [
        # `X là cơ quan chủ trì, đôn đốc Y`: in a lead-in, Y does the work under it
        (
            "Trung tâm Y tế huyện là cơ quan chủ trì, đôn đốc các trạm y tế xã thực hiện các nội dung sau:",
            ["Các trạm y tế xã"],
            [],
            ["Trung tâm Y tế huyện"],
        ),
        # clause by clause: a clause that only follows up monitors
        (
            "Phòng Nông nghiệp thực hiện các nội dung sau; "
            "Văn phòng HĐND và UBND xã chịu trách nhiệm theo dõi, đôn đốc:",
            ["Phòng Nông nghiệp"],
            [],
            ["Văn phòng Hội đồng nhân dân và Ủy ban nhân dân xã"],
        ),
        # bodies listed one per clause, then what they all must do
        (
            "Công ty Cổ phần Cấp nước Vĩnh Phúc; Công ty TNHH Môi trường và dịch vụ đô thị 36; Công ty Cổ phần đầu tư "
            "phát triển xây dựng Tam Đảo theo địa bàn được giao có trách nhiệm:",
            [
                "Công ty Cổ phần Cấp nước Vĩnh Phúc",
                "Công ty TNHH Môi trường và dịch vụ đô thị 36",
                "Công ty Cổ phần đầu tư phát triển xây dựng Tam Đảo",
            ],
            [],
            [],
        ),
        # ... but a clause that states a role is no name in the list
        (
            "Công ty Cấp nước Nam Định chịu trách nhiệm chính; Trung tâm Y tế dự phòng chịu trách nhiệm giám sát; "
            "Sở Xây dựng là đầu mối đôn đốc.",
            ["Công ty Cấp nước Nam Định"],
            [],
            ["Trung tâm Y tế dự phòng", "Sở Xây dựng"],
        ),
    ],
)
def test_lead_ins(lead_in: str, lead: list[str], coordinate: list[str], monitor: list[str]) -> None:
    a = lead_in_assignment(lead_in)
    assert (a.lead, a.coordinate, a.monitor) == (lead, coordinate, monitor)


@pytest.mark.parametrize(
    ("written", "due", "recurring"),
    [
        ("Từ tháng 3 đến tháng 6/2026", "2026-06-30", False),
        ("Tháng 10 - 12/2026", "2026-12-31", False),
        ("Quý III, IV/2026", "2026-12-31", False),
        ("Năm 2026 - 2027", "2027-12-31", False),
        ("Hoàn thành trong tháng 9/2026", "2026-09-30", False),
        ("Chậm nhất ngày 15/10/2026", "2026-10-15", False),
        ("Tuần đầu tháng 4/2026", "2026-04-30", False),
        ("Tháng 11-12/2026 và các năm tiếp theo", "2026-12-31", True),
        ("Trước ngày 25 hằng tháng", None, True),
        # an open range, a season: written deadlines with no day
        ("Từ ngày 01/7/2026", None, False),
        ("Bắt đầu từ năm 2027", None, False),
        ("trước mùa mưa bão năm 2026", None, False),
        ("Trước Tết Nguyên đán", None, False),
    ],
)
def test_deadline_phrases(written: str, due: str | None, recurring: bool) -> None:
    d = parse_deadline(written, 2026)
    assert d is not None and d.text == written
    assert (d.due.isoformat() if d.due else None, d.recurring) == (due, recurring)


@pytest.mark.parametrize("written", ["Theo quy định", "Từ nguồn ngân sách tỉnh", "Kinh phí sự nghiệp"])
def test_not_deadlines(written: str) -> None:
    assert parse_deadline(written, 2026) is None


@pytest.mark.parametrize(
    ("text", "deadline", "due"),
    [
        ("Lắp đặt biển báo, hoàn thành trước ngày 30/4/2026.", "trước ngày 30/4/2026", "2026-04-30"),
        ("Tổ chức ra quân làm sạch kênh mương trong tháng 4/2026.", "trong tháng 4/2026", "2026-04-30"),
        ("Tổ chức hội nghị sơ kết vào quý III/2026", "vào quý III/2026", "2026-09-30"),
        ("Hoàn tất việc cấp giấy chứng nhận chậm nhất là ngày 15/5/2026", "chậm nhất là ngày 15/5/2026", "2026-05-15"),
        # a day written beats a season
        ("Nạo vét kênh trước mùa mưa, xong trước ngày 30/4/2026", "trước ngày 30/4/2026", "2026-04-30"),
        ("Khơi thông cống rãnh trước mùa mưa lũ.", "trước mùa mưa", None),
    ],
)
def test_deadlines_in_a_tasks_own_words(text: str, deadline: str, due: str | None) -> None:
    d = prose_deadline(text, 2026)
    assert d is not None and d.text == deadline
    assert (d.due.isoformat() if d.due else None) == due


@pytest.mark.parametrize(
    "text",
    [
        # a cited document's date
        "Triển khai theo Quyết định số 12/QĐ-UBND ngày 10/01/2026 của UBND tỉnh",
        # the date of a periodic report, not of the work (a one-off report's is: test_extract_time_kinds)
        "Triển khai mô hình; báo cáo năm về Sở Tài chính trước ngày 15/12/2026.",
        # a day that comes back every year or month
        "Tổ chức thực hiện; định kỳ trước ngày 15 tháng 12 hằng năm báo cáo kết quả về Vụ Kế hoạch",
        "Cập nhật số liệu trước ngày 20 hằng tháng",
    ],
)
def test_dates_that_are_no_deadline_of_the_task(text: str) -> None:
    assert prose_deadline(text, 2026) is None


@pytest.mark.parametrize(
    ("cell", "agencies"),
    [
        # a list in a field or a table cell: each body, people and groups of people left out
        (
            "nhóm nghệ sĩ trẻ, trường Trung cấp Nghề Hòa Bình, Câu lạc bộ Dưỡng sinh, các chuyên viên, Trưởng thôn",
            ["Trường Trung cấp Nghề Hòa Bình", "Câu lạc bộ Dưỡng sinh"],
        ),
        # people are not agencies; the heads of bodies stand for their bodies
        ("Các đ/c Phó Chủ tịch, các chuyên viên", []),
        ("Trưởng các đoàn thể xã", ["Các đoàn thể, tổ chức chính trị xã hội"]),
        ("Viễn thông Bắc Kạn; Bưu điện tỉnh", ["Viễn thông Bắc Kạn", "Bưu điện tỉnh"]),
    ],
)
def test_agencies_listed_in_a_cell(cell: str, agencies: list[str]) -> None:
    assert cell_agencies(cell) == agencies


@pytest.mark.parametrize(
    ("heading", "names_who_acts"),
    [
        # a heading that only names who carries out the items under it gives no section
        ("Sở Nông nghiệp và Môi trường chủ trì, phối hợp với các sở, ngành liên quan:", True),
        ("Ban Chỉ huy Quân sự xã chủ trì, phối hợp với các đơn vị có liên quan thực hiện:", True),
        ("Ủy ban nhân dân các xã, phường:", True),
        ("Phòng Tài chính - Kế hoạch chủ trì tham mưu các nội dung sau:", True),
        # one that states work is a task, not only a name
        ("Sở Y tế chủ trì, phối hợp với Sở Tài chính xây dựng đề án bệnh viện vệ tinh.", False),
        ("Công tác phòng ngừa", False),
    ],
)
def test_headings_that_name_who_acts(heading: str, names_who_acts: bool) -> None:
    assert is_assignment_heading(heading) is names_who_acts
