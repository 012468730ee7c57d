"""The kinds of agency error measured on unseen plans, one table each, on invented phrasings:
where a name ends, who leads when one body directs another, lists spread over one head and the
collective bodies, the Decree 30/2020 heading block in its layouts, and scan errors in the fixed
vocabulary. Other provinces, other bodies and other verbs than the development documents'."""

from __future__ import annotations

import pytest

from kehoach.extract import extract
from kehoach.extract.agencies import find_agencies, registry
from kehoach.extract.assignments import is_assignment_heading, parse_assignment
from kehoach.extract.heading import heading_block
from kehoach.extract.names import outside
from kehoach.extract.repair import repair
from kehoach.extract.structure import Paragraph
from kehoach.extract.vocabulary import respell
from kehoach.model import Plan
from kehoach.read import read_bytes

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
    # a verb not listed before ends the name; a noun made with a neighbour stays in it
    ("Trung tâm Y tế Đức Thọ tiêm vắc xin cho trẻ em", ["Trung tâm Y tế Đức Thọ"]),
    ("Trung tâm Văn hóa Thông tin và Thể thao xã biên soạn tài liệu", ["Trung tâm Văn hóa Thông tin và Thể thao xã"]),
    ("Ban Chỉ đạo cải cách hành chính tỉnh ban hành", ["Ban Chỉ đạo cải cách hành chính tỉnh"]),
    ("Hội Liên hiệp phụ nữ tỉnh vận động hội viên", ["Hội Liên hiệp phụ nữ tỉnh"]),
    ("Đồn biên phòng Cầu Treo kiểm soát xuất nhập cảnh", ["Đồn biên phòng Cầu Treo"]),
    ("Trung tâm Chuyển đổi số tỉnh vận hành", ["Trung tâm Chuyển đổi số tỉnh"]),
    # a predicate word that makes a noun with the one before it stays in the name
    ("Văn phòng Đăng ký đất đai cập nhật dữ liệu", ["Văn phòng Đăng ký đất đai"]),
    ("Chi nhánh Văn phòng đăng ký đất đai khu vực II cấp giấy", ["Chi nhánh Văn phòng đăng ký đất đai khu vực II"]),
    # `hợp tác` names a field (`kinh tế hợp tác`); only `hợp tác với` is the body's own verb
    ("Cục Kinh tế hợp tác và Phát triển nông thôn chủ trì", ["Cục Kinh tế hợp tác và Phát triển nông thôn"]),
    ("Sở Ngoại vụ hợp tác với các tổ chức quốc tế tổ chức hội thảo", ["Sở Ngoại vụ"]),
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
    ("Giao nhiệm vụ cho Sở Tư pháp chủ trì thẩm định", ["Sở Tư pháp"], []),
    ("Theo chức năng, nhiệm vụ được giao, Sở Tài chính thực hiện", ["Sở Tài chính"], []),
    ("Tùy theo chức năng, nhiệm vụ, các sở, ngành triển khai", ["Các sở, ban, ngành"], []),
    ("Công an tỉnh chỉ đạo lực lượng Công an cấp xã tăng cường tuần tra", ["Công an cấp xã"], ["Công an tỉnh"]),
    ("Sở Y tế chỉ đạo Trung tâm Y tế các khu vực tiêm chủng", ["Trung tâm Y tế các khu vực"], ["Sở Y tế"]),
    # a body that advises the committee does the work itself
    ("Sở Tư pháp tham mưu Ủy ban nhân dân tỉnh chỉ đạo các xã", ["Sở Tư pháp"], []),
]


@pytest.mark.parametrize(
    ("heading", "assigns_only"),
    [
        ("Sở Y tế lãnh đạo, chỉ đạo các cơ sở y tế thực hiện:", True),
        ("Ban Dân tộc chỉ đạo UBND các xã triển khai các nhiệm vụ sau:", True),
        ("Sở Xây dựng là cơ quan chủ trì, đầu mối đôn đốc các cơ quan tổ chức triển khai phương án", False),
    ],
)
def test_a_lead_in_that_only_directs_is_not_a_task(heading: str, assigns_only: bool) -> None:
    assert is_assignment_heading(heading) is assigns_only


def test_a_directing_lead_in_gives_its_items_lead_and_monitor() -> None:
    text = (
        "ỦY BAN NHÂN DÂN\nTỈNH QUẢNG BÌNH\nKẾ HOẠCH\nPhòng, chống dịch bệnh năm 2026\nI. NHIỆM VỤ VÀ GIẢI PHÁP\n"
        "1. Sở Y tế lãnh đạo, chỉ đạo Trung tâm Kiểm soát bệnh tật thực hiện:\n- Giám sát dịch bệnh;\n"
        "- Tổ chức tiêm chủng.\n2. Các Sở: Tài chính, Công Thương phối hợp thực hiện:\n- Bảo đảm kinh phí.\n"
    )
    tasks = extract(read_bytes("plan.txt", text.encode("utf-8"))).tasks
    assert [(t.section, t.lead, t.monitor) for t in tasks] == [
        ("NHIỆM VỤ VÀ GIẢI PHÁP", ["Trung tâm Kiểm soát bệnh tật"], ["Sở Y tế"]),
        ("NHIỆM VỤ VÀ GIẢI PHÁP", ["Trung tâm Kiểm soát bệnh tật"], ["Sở Y tế"]),
        ("NHIỆM VỤ VÀ GIẢI PHÁP", ["Sở Tài chính", "Sở Công Thương"], []),
    ]


@pytest.mark.parametrize(
    ("phrase", "lead", "coordinate"),
    [
        (
            "Sở Khoa học và Công nghệ (chủ trì), Sở Nội vụ, Sở Tài chính (phối hợp) xây dựng đề án",
            ["Sở Khoa học và Công nghệ"],
            ["Sở Nội vụ", "Sở Tài chính"],
        ),
        ("Sở Y tế (chủ trì); UBND các xã (phối hợp)", ["Sở Y tế"], ["Ủy ban nhân dân cấp xã"]),
        ("Tổ chức hội nghị (chủ trì) với Sở Y tế", [], []),
    ],
)
def test_each_bodys_role_in_an_aside(phrase: str, lead: list[str], coordinate: list[str]) -> None:
    a = parse_assignment(phrase)
    assert (a.lead, a.coordinate) == (lead, coordinate)


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
    # a collective that introduces the names after it (`như:`, `gồm:`) is those names
    (
        "Sở Y tế chủ trì, phối hợp với các cơ quan liên quan như: Sở Tài chính, Công an tỉnh thực hiện",
        ["Sở Y tế"],
        ["Sở Tài chính", "Công an tỉnh"],
    ),
    ("Sở Y tế chủ trì, phối hợp với các đơn vị gồm: Sở Nội vụ, Tỉnh đoàn", ["Sở Y tế"], ["Sở Nội vụ", "Tỉnh đoàn"]),
    (
        "Sở Y tế chủ trì, với sự phối hợp của Sở Tài chính và Công an tỉnh kiểm tra",
        ["Sở Y tế"],
        ["Sở Tài chính", "Công an tỉnh"],
    ),
    ("Các xã: An Phú, Tân Hòa triển khai", ["Ủy ban nhân dân xã An Phú", "Ủy ban nhân dân xã Tân Hòa"], []),
    # a department's units are not a list of departments
    ("Các đơn vị thuộc Sở Xây dựng thực hiện", ["Các đơn vị thuộc Sở"], []),
    ("Ủy ban MTTQ Việt Nam cấp xã tuyên truyền", ["Ủy ban Mặt trận Tổ quốc Việt Nam cấp xã"], []),
    ("Công an cấp xã tăng cường tuần tra", ["Công an cấp xã"], []),
    ("Hội Nông dân các xã, phường, đặc khu vận động", ["Hội Nông dân các xã, phường, đặc khu"], []),
    ("UBND các xã, phường rà soát thủ tục", ["Ủy ban nhân dân cấp xã"], []),
    ("Các cơ quan, đơn vị liên quan thực hiện nghiêm", ["Các cơ quan, đơn vị liên quan"], []),
    ("Ủy ban nhân dân xã, phường, đặc khu tổ chức thực hiện", ["Ủy ban nhân dân cấp xã"], []),
    (
        "Các sở, ban, ngành cấp tỉnh; UBND các xã, phường, đặc khu thực hiện",
        ["Các sở, ban, ngành", "Ủy ban nhân dân cấp xã"],
        [],
    ),
    ("Các hội, đoàn thể tuyên truyền", ["Các đoàn thể, tổ chức chính trị xã hội"], []),
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


# 4. The Decree 30/2020 heading block in the layouts documents arrive in.
BODY = """I. NHIỆM VỤ

1. Sở Tài chính chủ trì rà soát dự toán năm 2026.

II. TỔ CHỨC THỰC HIỆN

Các sở, ngành báo cáo Sở Tài chính trước ngày 15/12/2026.
"""
MOTTO = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc"
HEADINGS = [
    (  # a PDF's two columns run together on each line; the signature beside the recipients
        "layout.txt",
        "ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nTỈNH THANH HÓA Độc lập - Tự do - Hạnh phúc\n"
        "Số: 205/KH-UBND Thanh Hóa, ngày 20 tháng 5 năm 2026\nKẾ HOẠCH\n"
        "Triển khai Đề án phát triển du lịch\ncộng đồng giai đoạn 2026 - 2030\n" + BODY + "Nơi nhận: KT. CHỦ TỊCH\n"
        "- Bộ Văn hóa, Thể thao và Du lịch; PHÓ CHỦ TỊCH\n- Lưu: VT.\nĐầu Thanh Tùng\n",
        ("205/KH-UBND", "2026-05-20", "Ủy ban nhân dân tỉnh Thanh Hóa", "Thanh Hóa"),
        ("Triển khai Đề án phát triển du lịch cộng đồng giai đoạn 2026 - 2030", "Đầu Thanh Tùng", "Phó Chủ tịch"),
    ),
    (  # the name on the recipients' last line
        "beside.txt",
        f"ỦY BAN NHÂN DÂN TỈNH HÀ TĨNH\nSố: 45/KH-UBND\n{MOTTO}\nHà Tĩnh, ngày 03 tháng 02 năm 2026\nKẾ HOẠCH\n"
        "Phát triển du lịch năm 2026\n" + BODY + "Nơi nhận: TM. ỦY BAN NHÂN DÂN\n- Bộ Công Thương; CHỦ TỊCH\n"
        "- Báo Hà Tĩnh;\n- Lưu: VT, KGVX. Võ Trọng Hải\n",
        ("45/KH-UBND", "2026-02-03", "Ủy ban nhân dân tỉnh Hà Tĩnh", "Hà Tĩnh"),
        ("Phát triển du lịch năm 2026", "Võ Trọng Hải", "Chủ tịch"),
    ),
    (  # the motto's column read first; a title wrapped before its `Về ...`; a city named by its alias
        "motto-first.txt",
        f"{MOTTO}\nỦY BAN NHÂN DÂN\nTHÀNH PHỐ HỒ CHÍ MINH\nSố: 1234/KH-UBND\n"
        "TP. Hồ Chí Minh, ngày 10 tháng 3 năm 2026\nKẾ HOẠCH\nTriển khai Nghị quyết số 57-NQ/TW của Bộ Chính trị\n"
        "Về đột phá phát triển khoa học, công nghệ\n" + BODY + "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\n(Đã ký)\nNguyễn Văn Dũng\n",
        # the city's official name keeps its capital (`Thành phố Hồ Chí Minh`, as provinces.csv writes it)
        ("1234/KH-UBND", "2026-03-10", "Ủy ban nhân dân Thành phố Hồ Chí Minh", "Thành phố Hồ Chí Minh"),
        (
            "Triển khai Nghị quyết số 57-NQ/TW của Bộ Chính trị Về đột phá phát triển khoa học, công nghệ",
            "Nguyễn Văn Dũng",
            "Phó Chủ tịch",
        ),
    ),
    (  # a ward whose name is also an old province's: the province is the one the text names
        "ward.txt",
        f"ỦY BAN NHÂN DÂN\nPHƯỜNG HÒA BÌNH\nSố: 07/KH-UBND\n{MOTTO}\nHòa Bình, ngày 08 tháng 01 năm 2026\n"
        "KẾ HOẠCH\nThực hiện nhiệm vụ năm 2026\n" + BODY + "Nơi nhận:\n- UBND tỉnh Phú Thọ;\n- Lưu: VT.\n"
        "TM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH\nPhạm Văn Long\n",
        ("07/KH-UBND", "2026-01-08", "Ủy ban nhân dân phường Hòa Bình", "Phú Thọ"),
        ("Thực hiện nhiệm vụ năm 2026", "Phạm Văn Long", "Chủ tịch"),
    ),
    (  # a department under its province; an upper-case title over two lines
        "department.txt",
        f"UBND TỈNH NGHỆ AN\nSỞ NÔNG NGHIỆP VÀ MÔI TRƯỜNG\nSố: 88/KH-SNNMT\n{MOTTO}\n"
        "Nghệ An, ngày 10 tháng 3 năm 2026\nKẾ HOẠCH\nTRIỂN KHAI CÔNG TÁC PHÒNG, CHỐNG THIÊN TAI\nNĂM 2026\n"
        + BODY
        + "Nơi nhận:\n- Lưu: VT.\nGIÁM ĐỐC\nHồ Sỹ Lương\n",
        ("88/KH-SNNMT", "2026-03-10", "Sở Nông nghiệp và Môi trường tỉnh Nghệ An", "Nghệ An"),
        ("TRIỂN KHAI CÔNG TÁC PHÒNG, CHỐNG THIÊN TAI NĂM 2026", "Hồ Sỹ Lương", "Giám đốc"),
    ),
    (  # a Party committee's heading: `Số 15-KH/TU`, the Party's name for the motto
        "party.txt",
        "TỈNH ỦY QUẢNG BÌNH\n*\nSố 15-KH/TU\nĐẢNG CỘNG SẢN VIỆT NAM\nQuảng Bình, ngày 10 tháng 3 năm 2026\n"
        "KẾ HOẠCH\nThực hiện Kết luận số 20-KL/TW của Bộ Chính trị\n" + BODY + "Nơi nhận:\n- Lưu VP.\n"
        "T/M TỈNH ỦY\nBÍ THƯ\nTrần Hải Châu\n",
        ("15-KH/TU", "2026-03-10", "Tỉnh ủy Quảng Bình", "Quảng Bình"),
        ("Thực hiện Kết luận số 20-KL/TW của Bộ Chính trị", "Trần Hải Châu", "Bí thư"),
    ),
    (  # a ministry's plan: no province; the kind and the title run onto one line
        "ministry.txt",
        f"BỘ NỘI VỤ\nSố: 100/KH-BNV\n{MOTTO}\nHà Nội, ngày 10 tháng 3 năm 2026\n"
        "KẾ HOẠCH Triển khai công tác cải cách hành chính năm 2026\n" + BODY + "Nơi nhận:\n- Lưu: VT.\n"
        "TL. BỘ TRƯỞNG\nCHÁNH VĂN PHÒNG\nNguyễn Văn Hải\n",
        ("100/KH-BNV", "2026-03-10", "Bộ Nội vụ", None),
        ("Triển khai công tác cải cách hành chính năm 2026", "Nguyễn Văn Hải", "Chánh Văn phòng"),
    ),
    (  # a title wrapped before a proper name; the opening sentence under it is not the title
        "wrapped.txt",
        f"ỦY BAN NHÂN DÂN\nTỈNH ĐIỆN BIÊN\nSố: 77/KH-UBND\n{MOTTO}\nĐiện Biên, ngày 02 tháng 3 năm 2026\nKẾ HOẠCH\n"
        "Thực hiện Nghị quyết Hội nghị lần thứ mười\nBan Chấp hành Trung ương Đảng khóa XIII\n"
        "Ủy ban nhân dân tỉnh ban hành Kế hoạch thực hiện như sau:\n" + BODY + "CHỦ TỊCH\nLò Văn Mừng\n",
        ("77/KH-UBND", "2026-03-02", "Ủy ban nhân dân tỉnh Điện Biên", "Điện Biên"),
        (
            "Thực hiện Nghị quyết Hội nghị lần thứ mười Ban Chấp hành Trung ương Đảng khóa XIII",
            "Lò Văn Mừng",
            "Chủ tịch",
        ),
    ),
    (  # Markdown: pipe tables for the heading and the signature
        "pipe.md",
        "| ỦY BAN NHÂN DÂN<br>**XÃ AN PHÚ** "
        "| **CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM**<br>**Độc lập - Tự do - Hạnh phúc** |\n"
        "|---|---|\n| Số: 15/KH-UBND | *An Phú, ngày 02 tháng 4 năm 2026* |\n\n**KẾ HOẠCH**\n\n"
        "**Phòng, chống thiên tai trên địa bàn xã, tỉnh An Giang năm 2026**\n\n" + BODY + "\n"
        "| **Nơi nhận:**<br>- Như trên;<br>- Lưu: VT. "
        "| **TM. ỦY BAN NHÂN DÂN**<br>**CHỦ TỊCH**<br><br>**Lê Thị Hoa** |\n"
        "|---|---|\n",
        ("15/KH-UBND", "2026-04-02", "Ủy ban nhân dân xã An Phú", "An Giang"),
        ("Phòng, chống thiên tai trên địa bàn xã, tỉnh An Giang năm 2026", "Lê Thị Hoa", "Chủ tịch"),
    ),
    (  # Markdown: pandoc's HTML tables
        "html.md",
        '<table>\n<colgroup>\n<col style="width: 40%" />\n</colgroup>\n<tbody>\n<tr class="odd">\n'
        "<td><p>ỦY BAN NHÂN DÂN</p>\n<p><strong>TỈNH KHÁNH HÒA</strong></p>\n<p>Số: 301/KH-UBND</p></td>\n"
        "<td><p><strong>CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM</strong></p>\n<p>Độc lập - Tự do - Hạnh phúc</p>\n"
        "<p><em>Khánh Hòa, ngày 14 tháng 7 năm 2026</em></p></td>\n</tr>\n</tbody>\n</table>\n\n**KẾ HOẠCH**\n\n"
        "**Xây dựng nông thôn mới năm 2026**\n\n" + BODY + "\n<table>\n<tbody>\n<tr>\n"
        "<td><p><strong><em>Nơi nhận:</em></strong><br />\n- Như trên;<br />\n- Lưu: VT.</p></td>\n"
        "<td><p><strong>KT. CHỦ TỊCH<br />\nPHÓ CHỦ TỊCH</strong></p>\n<p><strong>Hoàng Thị Lan</strong></p></td>\n"
        "</tr>\n</tbody>\n</table>\n",
        ("301/KH-UBND", "2026-07-14", "Ủy ban nhân dân tỉnh Khánh Hòa", "Khánh Hòa"),
        ("Xây dựng nông thôn mới năm 2026", "Hoàng Thị Lan", "Phó Chủ tịch"),
    ),
]


@pytest.mark.parametrize(("name", "text", "identity", "rest"), HEADINGS, ids=[h[0] for h in HEADINGS])
def test_the_heading_block_in_every_layout(
    name: str, text: str, identity: tuple[str | None, ...], rest: tuple[str, ...]
) -> None:
    d = extract(read_bytes(name, text.encode("utf-8"))).document
    assert (d.number, str(d.issued_date), d.issuer, d.province) == identity
    assert (d.title, d.signer_name, d.signer_title) == rest
    assert d.doc_type == "KẾ HOẠCH"


# 5. A scan's OCR misspells the fixed vocabulary by a tone or a mark; where the phrase is
#    unambiguous it is written back, in the text's case.
RESPELLED = [
    ("Sờ Nội vụ chù trì, phối họp với Ủy ban nhân dân tinh", "Sở Nội vụ chủ trì, phối hợp với Ủy ban nhân dân tỉnh", 4),
    ("ỦY BAN NHÂN DÂN TINH QUẢNG BÌNH", "ỦY BAN NHÂN DÂN TỈNH QUẢNG BÌNH", 1),
    ("Sở Văn hoa, Thê thao và Du lich thục hiện", "Sở Văn hóa, Thể thao và Du lịch thực hiện", 2),
    ("Thời gian thục hiện: Quý II/2026", "Thời gian thực hiện: Quý II/2026", 1),
    # spelled right, or another phrase: kept
    ("Sở Văn hoá, Thể thao và Du lịch", "Sở Văn hoá, Thể thao và Du lịch", 0),
    ("ghi sổ tài chính", "ghi sổ tài chính", 0),
    ("các số liệu có quan hệ", "các số liệu có quan hệ", 0),
]


@pytest.mark.parametrize(("line", "spelled", "count"), RESPELLED)
def test_fixed_phrases_respelled(line: str, spelled: str, count: int) -> None:
    assert respell(line) == (spelled, count)


def test_a_typed_documents_own_typo_is_kept_a_scans_errors_are_not() -> None:
    typed = repair("Sở Y tế chù trì kiểm tra.\nSở Tư pháp chủ trì thẩm định.")
    assert typed.lines[0] == "Sở Y tế chù trì kiểm tra."
    scanned = repair("Sờ Y tế chù trì kiểm tra.\nCông an tinh phối họp.")
    assert scanned.lines == ["Sở Y tế chủ trì kiểm tra.", "Công an tỉnh phối hợp."]


def test_a_scanned_plans_agencies_read_after_respelling() -> None:
    text = (
        "ỦY BAN NHÂN DÂN\nTINH QUẢNG BÌNH\nSố: 12/KH-UBND\nKẾ HOẠCH\nCải cách hành chính năm 2026\n"
        "I. NHIỆM VỤ\n1. Sờ Nội vụ chù trì, phối họp với Sờ Tài chính rà soát thủ tục.\n"
    )
    plan = extract(read_bytes("scan.txt", text.encode("utf-8")))
    assert (plan.tasks[0].lead, plan.tasks[0].coordinate) == (["Sở Nội vụ"], ["Sở Tài chính"])
    assert plan.document.issuer == "Ủy ban nhân dân tỉnh Quảng Bình"


@pytest.mark.parametrize(
    ("phrase", "lead", "coordinate", "monitor"),
    [
        (
            "Sở Tài chính chủ trì rà soát; Văn phòng UBND tỉnh theo dõi, đôn đốc",
            ["Sở Tài chính"],
            [],
            ["Văn phòng Ủy ban nhân dân tỉnh"],
        ),
        ("Sở Công Thương chủ trì thực hiện; Sở Tài chính phối hợp thẩm định", ["Sở Công Thương"], ["Sở Tài chính"], []),
        ("Các sở, ngành thực hiện, gửi kết quả về Sở Nội vụ để tổng hợp", ["Các sở, ban, ngành"], [], ["Sở Nội vụ"]),
        ("Sở Y tế thực hiện, định kỳ báo cáo Sở Nội vụ tổng hợp", ["Sở Y tế"], [], ["Sở Nội vụ"]),
        # reported to, not compiled by: no monitor
        ("Sở Y tế thực hiện, báo cáo UBND tỉnh kết quả và tổng hợp số liệu", ["Sở Y tế"], [], []),
    ],
)
def test_later_clauses_and_reports_name_partners_and_monitors(
    phrase: str, lead: list[str], coordinate: list[str], monitor: list[str]
) -> None:
    a = parse_assignment(phrase)
    assert (a.lead, a.coordinate, a.monitor) == (lead, coordinate, monitor)


@pytest.mark.parametrize(
    ("lines", "issuer"),
    [
        (["UBND TỈNH HÀ TĨNH", "BAN QUẢN LÝ KHU KINH TẾ"], "Ban Quản lý Khu kinh tế tỉnh Hà Tĩnh"),
        (["UBND TỈNH NGHỆ AN", "SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH"], "Sở Văn hóa, Thể thao và Du lịch tỉnh Nghệ An"),
        (["ỦY BAN NHÂN DÂN", "XÃ TÂN LẬP"], "Ủy ban nhân dân xã Tân Lập"),
        (["ỦY BAN NHÂN DÂN", "ĐẶC KHU CÔN ĐẢO"], "Ủy ban nhân dân đặc khu Côn Đảo"),
        (["ỦY BAN NHÂN DÂN TỈNH", "QUẢNG TRỊ"], "Ủy ban nhân dân tỉnh Quảng Trị"),
    ],
)
def test_the_issuer_from_the_heading_blocks_left_column(lines: list[str], issuer: str) -> None:
    assert heading_block([Paragraph(t, i + 1) for i, t in enumerate(lines)]) == issuer


@pytest.mark.parametrize(
    ("heading", "addressees"),
    [
        ("Trách nhiệm của các bộ, ngành liên quan", ["Các bộ, ngành"]),
        ("Trách nhiệm của Sở Giáo dục và Đào tạo", ["Sở Giáo dục và Đào tạo"]),
        ("Nhiệm vụ của UBND các xã, phường", ["Ủy ban nhân dân cấp xã"]),
    ],
)
def test_a_heading_that_names_whose_duty_follows(heading: str, addressees: list[str]) -> None:
    assert registry().addressees(heading) == addressees


def test_the_ministries_are_partners_outside_a_provinces_plan() -> None:
    plan = Plan(source="x.txt")
    plan.document.issuer = "Ủy ban nhân dân tỉnh Hà Tĩnh"
    assert outside("Các bộ, ngành", plan)
    plan.document.issuer = "Bộ Nội vụ"
    assert not outside("Các bộ, ngành", plan)
