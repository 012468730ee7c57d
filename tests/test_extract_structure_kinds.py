"""The layout grammar of a plan on invented phrasings: lists of indicators under their heading,
targets that open with a verb or state a rank, table group rows, headings that name who acts,
and where the list of tasks ends."""

from __future__ import annotations

import pytest

from kehoach.extract import extract
from kehoach.extract.indicators import lists_indicators, targets
from kehoach.extract.structure import Paragraph, Table, structure
from kehoach.extract.tasks import names_who_acts
from kehoach.read import Source

HEAD = (
    "ỦY BAN NHÂN DÂN\nTỈNH PHÚ AN\nSố: 45/KH-UBND\nPhú An, ngày 10 tháng 2 năm 2026\n"
    "KẾ HOẠCH\nPhát triển kinh tế - xã hội năm 2026\n"
)
TAIL = "IV. TỔ CHỨC THỰC HIỆN\n1. Sở Tài chính theo dõi, đôn đốc các đơn vị triển khai Kế hoạch.\n"


def plan(body: str) -> dict:
    return extract(Source("invented.txt", HEAD + body)).as_dict()


def task_texts(body: str) -> list[str]:
    return [t["text"] for t in plan(body)["tasks"]]


def indicator_rows(body: str) -> list[tuple]:
    return [
        (i["group"], i["text"], [(t["comparator"], t["value"], t["unit"]) for t in i["targets"]])
        for i in plan(body)["indicators"]
    ]


# ── 1. indicators ────────────────────────────────────────────────────────────
@pytest.mark.parametrize(
    ("body", "expected"),
    [
        # numbered items under a Roman part named for indicators
        (
            "I. CHỈ TIÊU\n1. Tổng sản phẩm trên địa bàn tăng 7,5%;\n2. Kim ngạch xuất khẩu đạt 900 triệu USD.\n"
            "II. NHIỆM VỤ\n1. Sở Công Thương chủ trì xúc tiến thương mại.\n",
            [
                ("CHỈ TIÊU", "Tổng sản phẩm trên địa bàn tăng 7,5%", [("=", 7.5, "%")]),
                ("CHỈ TIÊU", "Kim ngạch xuất khẩu đạt 900 triệu USD", [("=", 900, "triệu USD")]),
            ],
        ),
        # dotted items under `2. Các chỉ tiêu chủ yếu`, beside a general objective that lists none
        (
            "I. MỤC TIÊU\n1. Mục tiêu tổng quát\n- Đời sống người dân nâng lên, thu nhập gấp 1,2 lần.\n"
            "2. Các chỉ tiêu chủ yếu\n2.1. Số doanh nghiệp thành lập mới đạt 600 doanh nghiệp;\n"
            "2.2. Tỷ lệ lao động qua đào tạo đạt 72% trở lên.\n"
            "II. NHIỆM VỤ\n1. Sở Nội vụ chủ trì đào tạo nghề.\n",
            [
                (
                    "Các chỉ tiêu chủ yếu",
                    "Số doanh nghiệp thành lập mới đạt 600 doanh nghiệp",
                    [("=", 600, "doanh nghiệp")],
                ),
                ("Các chỉ tiêu chủ yếu", "Tỷ lệ lao động qua đào tạo đạt 72% trở lên", [(">=", 72, "%")]),
            ],
        ),
        # lettered theme headings under the list: the nearest heading is the group
        (
            "I. MỤC TIÊU, CHỈ TIÊU\n1. Một số chỉ tiêu\na) Về kinh tế\n- Thu ngân sách đạt 4.500 tỷ đồng.\n"
            "b) Về xã hội\n- Tỷ lệ hộ nghèo giảm 1,2%.\nII. NHIỆM VỤ\n1. Sở Tài chính chủ trì điều hành ngân sách.\n",
            [
                ("Về kinh tế", "Thu ngân sách đạt 4.500 tỷ đồng", [("=", 4500, "tỷ đồng")]),
                ("Về xã hội", "Tỷ lệ hộ nghèo giảm 1,2%", [("=", 1.2, "%")]),
            ],
        ),
        # a list of indicators inside the tasks part: indicators, not tasks
        (
            "I. MỤC ĐÍCH, YÊU CẦU\nCụ thể hóa nhiệm vụ.\nII. MỤC TIÊU VÀ NHIỆM VỤ TRỌNG TÂM\n"
            "1. Những chỉ tiêu năm 2026\na) Số khách du lịch đạt 2,5 triệu lượt;\n"
            "b) Tỷ lệ che phủ rừng duy trì trên 45%.\n2. Nhiệm vụ trọng tâm\n"
            "2.1. Sở Du lịch chủ trì quảng bá điểm đến.\n",
            [
                ("Những chỉ tiêu năm 2026", "Số khách du lịch đạt 2,5 triệu lượt", [("=", 2.5, "triệu lượt")]),
                ("Những chỉ tiêu năm 2026", "Tỷ lệ che phủ rừng duy trì trên 45%", [(">", 45, "%")]),
            ],
        ),
        # target bullets that open with a verb, and ranks
        (
            "I. MỤC TIÊU\n2. Mục tiêu cụ thể\n- Phấn đấu 90% thôn có nhà văn hóa đạt chuẩn;\n"
            "- Giảm tỷ lệ trẻ suy dinh dưỡng 0,5%/năm;\n- Duy trì tỷ lệ trẻ em đi học đúng độ tuổi trên 99%;\n"
            "- Chỉ số hài lòng của người dân đứng thứ 8/34;\n- Xếp hạng chỉ số PAPI trong nhóm 15 tỉnh dẫn đầu.\n"
            "II. NHIỆM VỤ\n1. Sở Y tế chủ trì chăm sóc dinh dưỡng.\n",
            [
                ("Mục tiêu cụ thể", "Phấn đấu 90% thôn có nhà văn hóa đạt chuẩn", [("=", 90, "%")]),
                ("Mục tiêu cụ thể", "Giảm tỷ lệ trẻ suy dinh dưỡng 0,5%/năm", [("=", 0.5, "%/năm")]),
                ("Mục tiêu cụ thể", "Duy trì tỷ lệ trẻ em đi học đúng độ tuổi trên 99%", [(">", 99, "%")]),
                ("Mục tiêu cụ thể", "Chỉ số hài lòng của người dân đứng thứ 8/34", [("=", 8, "/34")]),
                ("Mục tiêu cụ thể", "Xếp hạng chỉ số PAPI trong nhóm 15 tỉnh dẫn đầu", [("<=", 15, "tỉnh")]),
            ],
        ),
    ],
)
def test_lists_of_indicators(body: str, expected: list[tuple]) -> None:
    assert indicator_rows(body) == expected


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        # plain paragraphs under a numbered heading that lists indicators (the list lost its numbering)
        (
            "I. MỤC TIÊU\n2. Chỉ tiêu cụ thể\nTỷ lệ trường đạt chuẩn quốc gia đạt 70%.\n"
            "Số giường bệnh đạt 32 giường/vạn dân.\nII. NHIỆM VỤ\n1. Sở Y tế chủ trì nâng cấp bệnh viện.\n",
            [
                ("Chỉ tiêu cụ thể", "Tỷ lệ trường đạt chuẩn quốc gia đạt 70%", [("=", 70, "%")]),
                ("Chỉ tiêu cụ thể", "Số giường bệnh đạt 32 giường/vạn dân", [("=", 32, "giường/vạn dân")]),
            ],
        ),
        # a numbered list written inline after the heading's colon: each item without its number
        (
            "I. MỤC TIÊU\n2. Chỉ tiêu chủ yếu: 1. Số xã đạt chuẩn đạt 10 xã; 2. Tỷ lệ đô thị hóa đạt 40%.\n"
            "II. NHIỆM VỤ\n1. Sở Xây dựng chủ trì phát triển đô thị.\n",
            [
                ("Chỉ tiêu chủ yếu", "Số xã đạt chuẩn đạt 10 xã", [("=", 10, "xã")]),
                ("Chỉ tiêu chủ yếu", "Tỷ lệ đô thị hóa đạt 40%", [("=", 40, "%")]),
            ],
        ),
        # a table whose name column says `Chỉ tiêu chủ yếu`, with a rank among the first N
        (
            "I. CHỈ TIÊU\nTT\tCác chỉ tiêu chủ yếu\tĐơn vị tính\tKế hoạch năm 2026\n"
            "1\tKim ngạch xuất khẩu\ttriệu USD\t650\n2\tChỉ số chuyển đổi số\tThứ hạng\tTop 10\n"
            "II. NHIỆM VỤ\n1. Sở Công Thương chủ trì xúc tiến thương mại.\n",
            [
                ("CHỈ TIÊU", "Kim ngạch xuất khẩu", [("=", 650, "triệu USD")]),
                ("CHỈ TIÊU", "Chỉ số chuyển đổi số", [("<=", 10, "Thứ hạng")]),
            ],
        ),
    ],
)
def test_indicators_without_their_numbering_and_in_tables(body: str, expected: list[tuple]) -> None:
    assert indicator_rows(body) == expected


def test_a_list_of_indicators_in_the_tasks_part_makes_no_task() -> None:
    body = (
        "I. NHIỆM VỤ VÀ GIẢI PHÁP\n1. Các chỉ tiêu\n- Thu hút 12 dự án đầu tư mới.\n"
        "2. Giải pháp\n- Sở Tài chính chủ trì cải thiện môi trường đầu tư.\n"
    )
    assert task_texts(body) == ["Sở Tài chính chủ trì cải thiện môi trường đầu tư."]


@pytest.mark.parametrize(
    ("heading", "strict", "lists"),
    [
        ("Các chỉ tiêu chủ yếu", True, True),
        ("Một số mục tiêu cụ thể đến năm 2030", True, True),
        ("Mục tiêu tổng quát", False, False),
        ("Các mục tiêu chung", True, False),
        ("Phấn đấu hoàn thành các chỉ tiêu được giao", True, None),  # work, in the tasks part
        ("Phấn đấu hoàn thành các chỉ tiêu được giao", False, True),  # a list, in the objectives
        ("Về văn hóa - xã hội", False, None),
    ],
)
def test_which_headings_list_indicators(heading: str, strict: bool, lists: bool | None) -> None:
    assert lists_indicators(heading, strict) is lists


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Chỉ số chuyển đổi số xếp hạng 9/34", [("=", 9, "/34")]),
        ("Chỉ số năng lực cạnh tranh xếp thứ 12/63 cả nước", [("=", 12, "/63")]),
        ("Chỉ số PAR INDEX vị trí thứ 4/34", [("=", 4, "/34")]),
        ("Chỉ số SIPAS thuộc top 10 địa phương cao nhất", [("<=", 10, "địa phương")]),
        ("Chỉ số PCI nằm trong nhóm 25 tỉnh, thành phố đứng đầu", [("<=", 25, "tỉnh, thành phố")]),
        ("Có 7/8 xã đạt chuẩn nông thôn mới", [("=", 7, "xã")]),  # a count, not a rank
        # a target stated with its comparator before the verb of the next one
        (
            "Phấn đấu tăng trưởng từ 9% trở lên, thu nhập bình quân đạt 120 triệu đồng",
            [(">=", 9, "%"), ("=", 120, "triệu đồng")],
        ),
        ("Tổng vốn đầu tư 5 năm đạt 80.000 tỷ đồng", [("=", 80000, "tỷ đồng")]),  # a number in the name
    ],
)
def test_rank_and_verb_first_targets(text: str, expected: list[tuple]) -> None:
    assert [(t.comparator, t.value, t.unit) for t in targets(text)] == expected


# ── 2. tables and headings that name who acts ────────────────────────────────
TABLE_HEAD = "I. MỤC ĐÍCH\nCụ thể hóa.\nII. NHIỆM VỤ, GIẢI PHÁP\nTT\tNội dung\tĐơn vị chủ trì\tThời hạn\n"


def task_rows(body: str) -> list[tuple]:
    return [(t["section"], t["text"], t["lead"]) for t in plan(body)["tasks"]]


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        # Roman and letter group rows, the title in its own cell or written across the row
        (
            "I\tVề nông nghiệp\t\t\n1\tTiêm phòng đàn gia súc\tSở Nông nghiệp và Môi trường\tQuý I/2026\n"
            "B. VỀ CÔNG NGHIỆP\t\t\t\n2\tThu hút đầu tư cụm công nghiệp\tSở Công Thương\tNăm 2026\n",
            [
                ("Về nông nghiệp", "Tiêm phòng đàn gia súc", ["Sở Nông nghiệp và Môi trường"]),
                ("VỀ CÔNG NGHIỆP", "Thu hút đầu tư cụm công nghiệp", ["Sở Công Thương"]),
            ],
        ),
        # a group title centred over merged cells lands in another column than the content's
        (
            "I\t\tVề y tế\t\n1\tNâng cấp trạm y tế\tSở Y tế\tNăm 2026\n"
            "II\t\t\tVề giáo dục\n2\tSửa chữa trường học\tSở Giáo dục và Đào tạo\tQuý III/2026\n",
            [
                ("Về y tế", "Nâng cấp trạm y tế", ["Sở Y tế"]),
                ("Về giáo dục", "Sửa chữa trường học", ["Sở Giáo dục và Đào tạo"]),
            ],
        ),
        # a numbered group row over `1.1`, `1.2`; the row `2` beside it is back under the table's title
        (
            "1\tPhòng cháy, chữa cháy\t\t\n1.1\tKiểm tra nhà xưởng\tCông an tỉnh\tQuý II/2026\n"
            "1.2\tTập huấn lực lượng cơ sở\tCông an tỉnh\tQuý III/2026\n"
            "2\tSơ kết 6 tháng\tVăn phòng UBND tỉnh\tTháng 7/2026\n",
            [
                ("Phòng cháy, chữa cháy", "Kiểm tra nhà xưởng", ["Công an tỉnh"]),
                ("Phòng cháy, chữa cháy", "Tập huấn lực lượng cơ sở", ["Công an tỉnh"]),
                ("NHIỆM VỤ, GIẢI PHÁP", "Sơ kết 6 tháng", ["Văn phòng Ủy ban nhân dân tỉnh"]),
            ],
        ),
        # a numbered row with rows numbered under it is their heading, its lead cell theirs where they have none
        (
            "1\tDu lịch cộng đồng\tSở Du lịch\t\n1.1\tKhảo sát điểm đến\t\tQuý II/2026\n"
            "1.2\tĐào tạo hướng dẫn viên\tUBND cấp xã\tQuý III/2026\n",
            [
                ("Du lịch cộng đồng", "Khảo sát điểm đến", ["Sở Du lịch"]),
                ("Du lịch cộng đồng", "Đào tạo hướng dẫn viên", ["Ủy ban nhân dân cấp xã"]),
            ],
        ),
        # a numbered row over unnumbered task rows is their heading; the next numbered row closes it,
        # and no cell is taken as merged down across the group's end
        (
            "1\tVề môi trường\t\t\n\tThu gom rác thải nông thôn\tUBND cấp xã\tNăm 2026\n2\tTổng kết năm\t\t\n",
            [
                ("Về môi trường", "Thu gom rác thải nông thôn", ["Ủy ban nhân dân cấp xã"]),
                ("NHIỆM VỤ, GIẢI PHÁP", "Tổng kết năm", []),
            ],
        ),
        # a group row that names who acts gives the lead, not the section; its remit is no work
        (
            "III\tGiao thông\t\t\n3\tSở Xây dựng\t\t\na\tLập quy hoạch bến xe\t\tQuý IV/2026\n"
            "4\tCác sở, ngành theo chức năng, nhiệm vụ được giao\t\t\n-\tBảo trì đường tỉnh\t\tNăm 2026\n",
            [
                ("Giao thông", "Lập quy hoạch bến xe", ["Sở Xây dựng"]),
                ("Giao thông", "Bảo trì đường tỉnh", ["Các sở, ban, ngành"]),
            ],
        ),
    ],
)
def test_table_group_rows(rows: str, expected: list[tuple]) -> None:
    assert task_rows(TABLE_HEAD + rows) == expected


def test_group_rows_a_reader_wrote_as_lines_between_the_rows() -> None:
    """A PDF or OCR reader may write a title spanning the row as a line of its own: it is the
    section of the rows after it, not a task, and the table goes on."""
    rows = (
        "1. VỀ NÔNG NGHIỆP\n1\tTiêm phòng đàn gia súc\tSở Nông nghiệp và Môi trường\tQuý I/2026\n"
        "II. Về công nghiệp\n2\tThu hút đầu tư cụm công nghiệp\tSở Công Thương\tNăm 2026\n"
        "3\tHỗ trợ doanh nghiệp nhỏ\tSở Công Thương\tNăm 2026\n"
        "III. TỔ CHỨC THỰC HIỆN\n1. Sở Công Thương theo dõi, đôn đốc thực hiện.\n"
    )
    assert task_rows(TABLE_HEAD + rows) == [
        ("VỀ NÔNG NGHIỆP", "Tiêm phòng đàn gia súc", ["Sở Nông nghiệp và Môi trường"]),
        ("Về công nghiệp", "Thu hút đầu tư cụm công nghiệp", ["Sở Công Thương"]),
        ("Về công nghiệp", "Hỗ trợ doanh nghiệp nhỏ", ["Sở Công Thương"]),
        ("TỔ CHỨC THỰC HIỆN", "Sở Công Thương theo dõi, đôn đốc thực hiện.", ["Sở Công Thương"]),
    ]


def test_a_heading_over_a_body_table_is_its_rows_section_not_a_task() -> None:
    head = "TT\tNội dung\tĐơn vị chủ trì\tThời hạn\n"
    body = (
        "I. MỤC ĐÍCH\nCụ thể hóa.\nII. NHIỆM VỤ\n1. Về nông nghiệp\n"
        + head
        + "1\tTiêm phòng đàn gia súc\tSở Nông nghiệp và Môi trường\tQuý I/2026\n"
        "2. Về xây dựng\nCác sở, ngành theo chức năng, nhiệm vụ được giao:\n"
        + head
        + "1\tKiểm tra công trình\t\tQuý IV/2026\n"
    )
    assert task_rows(body) == [
        ("Về nông nghiệp", "Tiêm phòng đàn gia súc", ["Sở Nông nghiệp và Môi trường"]),
        ("Về xây dựng", "Kiểm tra công trình", ["Các sở, ban, ngành"]),
    ]


def test_a_heading_that_names_who_acts_with_its_remit_is_no_task() -> None:
    body = (
        "I. NHIỆM VỤ\n1. Các sở, ngành căn cứ chức năng, nhiệm vụ được giao\n"
        "Chủ động rà soát, cắt giảm thủ tục hành chính.\n"
        "2. Ủy ban nhân dân các xã theo chức năng, nhiệm vụ:\n- Vận động nhân dân hiến đất làm đường.\n"
    )
    assert task_rows(body) == [
        ("NHIỆM VỤ", "Chủ động rà soát, cắt giảm thủ tục hành chính.", ["Các sở, ban, ngành"]),
        ("NHIỆM VỤ", "Vận động nhân dân hiến đất làm đường.", ["Ủy ban nhân dân cấp xã"]),
    ]


def test_a_heading_that_names_whose_duties_follow_gives_the_lead_not_the_section() -> None:
    body = (
        "I. NHIỆM VỤ\n1. Chuyển đổi số\na) Trách nhiệm của Sở Khoa học và Công nghệ\n- Vận hành nền tảng dữ liệu.\n"
        "b) Nhiệm vụ của UBND các xã\n- Số hóa hồ sơ hộ tịch.\n"
    )
    assert task_rows(body) == [
        ("Chuyển đổi số", "Vận hành nền tảng dữ liệu.", ["Sở Khoa học và Công nghệ"]),
        ("Chuyển đổi số", "Số hóa hồ sơ hộ tịch.", ["Ủy ban nhân dân cấp xã"]),
    ]


@pytest.mark.parametrize(
    ("heading", "names"),
    [
        ("Các sở, ngành theo chức năng, nhiệm vụ được giao:", True),
        ("UBND các phường căn cứ chức năng, nhiệm vụ, có trách nhiệm:", True),
        ("Sở Y tế", True),
        ("Các sở, ngành theo chức năng, nhiệm vụ được giao rà soát quy hoạch ngành", False),
        ("Lĩnh vực giáo dục", False),
        ("Trách nhiệm của Sở Nội vụ", True),
        ("Nhiệm vụ cụ thể của UBND các phường", True),
        ("Nhiệm vụ của ngành giáo dục", False),  # a sector, not a body
    ],
)
def test_names_who_acts(heading: str, names: bool) -> None:
    assert names_who_acts(heading) is names


# ── 3. where the list of tasks ends ──────────────────────────────────────────
ORGANISATION = (
    "I. MỤC ĐÍCH\nCụ thể hóa.\nII. NHIỆM VỤ\n1. Sở Y tế chủ trì kiểm tra an toàn thực phẩm.\n"
    "III. TỔ CHỨC THỰC HIỆN\n1. Sở Y tế theo dõi, đôn đốc các đơn vị triển khai.\n"
)


@pytest.mark.parametrize(
    ("closing", "kept"),
    [
        # a numbered exhortation to carry out the plan is the closing formula
        ("2. Đề nghị các cơ quan, đơn vị nghiêm túc triển khai thực hiện Kế hoạch này.\n", []),
        (
            "2. Yêu cầu các sở, ngành, địa phương tổ chức thực hiện có hiệu quả các nội dung Kế hoạch; trong "
            "quá trình thực hiện, nếu có khó khăn, vướng mắc, báo cáo về Sở Y tế để tổng hợp./.\n",
            [],
        ),
        # unnumbered, in either word order, followed by the difficulties sentence
        (
            "UBND tỉnh yêu cầu Thủ trưởng các sở, ngành triển khai thực hiện nghiêm túc Kế hoạch này.\n"
            "Trong quá trình thực hiện, nếu có khó khăn, vướng mắc, phản ánh về Sở Y tế để tổng hợp./.\n",
            [],
        ),
        # a request that assigns work stays a task, even where it is urgent
        (
            "2. Đề nghị Đài Phát thanh tỉnh khẩn trương thực hiện tuyên truyền Kế hoạch trên sóng phát thanh.\n",
            ["Đề nghị Đài Phát thanh tỉnh khẩn trương thực hiện tuyên truyền Kế hoạch trên sóng phát thanh."],
        ),
        (
            "2. Đề nghị Hội Nông dân tỉnh phối hợp vận động hội viên tham gia thực hiện Kế hoạch.\n",
            ["Đề nghị Hội Nông dân tỉnh phối hợp vận động hội viên tham gia thực hiện Kế hoạch."],
        ),
    ],
)
def test_the_closing_formula_ends_the_tasks(closing: str, kept: list[str]) -> None:
    assert task_texts(ORGANISATION + closing) == [
        "Sở Y tế chủ trì kiểm tra an toàn thực phẩm.",
        "Sở Y tế theo dõi, đôn đốc các đơn vị triển khai.",
        *kept,
    ]


APPENDIX = (
    "PHỤ LỤC\n{title}\nTT\tNhiệm vụ\tCơ quan chủ trì\tThời gian\n1\tKiểm tra an toàn thực phẩm\tSở Y tế\tQuý II/2026\n"
)


@pytest.mark.parametrize(
    ("title", "count"),
    [
        ("BẢNG TỔNG HỢP PHÂN CÔNG NHIỆM VỤ", 2),  # a summary restating the body: its row replaces the item
        ("MỘT SỐ NHIỆM VỤ TRỌNG TÂM NĂM 2026", 3),  # key tasks singled out: their rows are added
    ],
)
def test_an_appendix_that_restates_the_body_does_not_double_its_tasks(title: str, count: int) -> None:
    tasks = plan(ORGANISATION + APPENDIX.format(title=title))["tasks"]
    assert len(tasks) == count
    assert tasks[-1]["deadline"]["due"] == "2026-06-30"


def test_a_summary_appendix_restating_an_organisation_duty_does_not_double_it() -> None:
    summary = (
        APPENDIX.format(title="DANH MỤC PHÂN CÔNG") + "2\tTheo dõi, đôn đốc các đơn vị triển khai\tSở Y tế\tNăm 2026\n"
    )
    texts = task_texts(ORGANISATION + summary)
    assert texts == ["Kiểm tra an toàn thực phẩm", "Theo dõi, đôn đốc các đơn vị triển khai"]


# ── tables as a PDF's narrow columns give them ────────────────────────────────
@pytest.mark.parametrize(
    ("cell", "whole"),
    [
        ("108.4 6", "108.46"),
        ("<i>99.8 7</i>", "<i>99.87</i>"),
        ("1.250, 75", "1.250,75"),
        ("2025 2026", "2025 2026"),  # two years, no number cut
        ("Quý II 2026", "Quý II 2026"),
        ("3, 5", "3, 5"),  # too short to be one number wrapped
    ],
)
def test_a_number_wrapped_in_a_narrow_cell_is_made_whole(cell: str, whole: str) -> None:
    table = structure(["TT\tNgành\tQuý I\tCả năm", f"1\tNông nghiệp\t{cell}\t101.25"])[0]
    assert isinstance(table, Table)
    assert table.rows[1][2] == whole


def test_a_scenario_row_whose_indices_wrapped_is_kept() -> None:
    body = (
        "I. KỊCH BẢN TĂNG TRƯỞNG\nTT\tNgành kinh tế\tQuý I\tQuý II\tCả năm\n"
        "1\tNông nghiệp\t102.1 5\t103.0 2\t102.6 0\n"
        "<i>a)</i>\t<i>Trồng trọt</i>\t<i>101.4 4</i>\t<i>101.90</i>\t<i>101.7 1</i>\n"
    )
    rows = plan(body)["scenarios"][0]["rows"]
    assert [(r["code"], r["name"], r["values"]) for r in rows] == [
        ("1", "Nông nghiệp", [102.15, 103.02, 102.6]),
        ("a)", "Trồng trọt", [101.44, 101.9, 101.71]),
    ]


def test_a_reporting_heading_inside_the_tasks_part_gives_duties_not_tasks() -> None:
    body = (
        "I. NHIỆM VỤ\n1. Sở Y tế chủ trì kiểm tra an toàn thực phẩm.\n2. Thông tin báo cáo\n"
        "Các đơn vị báo cáo kết quả thực hiện về Sở Y tế trước ngày 05/12/2026 để tổng hợp.\n"
    )
    p = plan(body)
    assert [t["text"] for t in p["tasks"]] == ["Sở Y tế chủ trì kiểm tra an toàn thực phẩm."]
    assert [(d["recipient"], d["deadlines"]) for d in p["reporting"]] == [("Sở Y tế", ["2026-12-05"])]


# ── lists numbered afresh under an item of their own kind ─────────────────────
@pytest.mark.parametrize(
    ("labels", "nested"),
    [
        (["1.", "1.", "2.", "2.", "1.", "3."], [False, True, True, False, True, False]),
        (["a)", "a)", "b)", "b)"], [False, True, True, False]),
        (["1.", "2.", "3."], [False, False, False]),  # one list
        (["1.", "a)", "b)", "2.", "a)"], [False, False, False, False, False]),  # `a)` under each item
        (["1.", "2.", "NHIỆM VỤ", "1.", "2."], [False, False, False, False, False]),  # a title starts afresh
    ],
)
def test_a_list_restarting_under_an_item_of_its_kind_is_nested(labels: list[str], nested: list[bool]) -> None:
    paras = structure([label if label.isupper() else f"{label} Nội dung số {k}" for k, label in enumerate(labels)])
    assert [isinstance(p, Paragraph) and p.nested > 0 for p in paras] == nested


def test_tasks_and_indicators_under_a_heading_whose_list_restarts() -> None:
    body = (
        "I. MỤC TIÊU\n1. Các chỉ tiêu\n1. Tỷ lệ tiêm chủng đạt 98%;\n2. Tỷ lệ trạm y tế có bác sĩ đạt 100%.\n"
        "II. NHIỆM VỤ\n1. Phòng bệnh\n1. Sở Y tế giám sát dịch bệnh.\n2. Sở Y tế tiêm chủng mở rộng.\n"
        "2. Chữa bệnh\n1. Bệnh viện tỉnh nâng cao chất lượng khám chữa bệnh.\n"
    )
    p = plan(body)
    assert [(i["group"], i["text"]) for i in p["indicators"]] == [
        ("Các chỉ tiêu", "Tỷ lệ tiêm chủng đạt 98%"),
        ("Các chỉ tiêu", "Tỷ lệ trạm y tế có bác sĩ đạt 100%"),
    ]
    assert [(t["section"], t["text"]) for t in p["tasks"]] == [
        ("Phòng bệnh", "Sở Y tế giám sát dịch bệnh."),
        ("Phòng bệnh", "Sở Y tế tiêm chủng mở rộng."),
        ("Chữa bệnh", "Bệnh viện tỉnh nâng cao chất lượng khám chữa bệnh."),
    ]
    assert extract(Source("invented.txt", HEAD + body)).warnings == []  # no numbering repeated


LONG = (
    "Đẩy mạnh xã hội hóa, huy động các nguồn lực phát triển hệ thống y tế cơ sở; "
    "nâng cao chất lượng khám chữa bệnh tại trạm y tế xã."
)


@pytest.mark.parametrize(
    ("row", "rows"),
    [
        (f"\t{LONG}\t", 2),  # the cell's next paragraph, carried over a page break with no blank line
        ("\tLĩnh vực giáo dục\t", 3),  # a group row: short, a title
        (f"3.\t{LONG}\tSở Y tế", 3),  # a row of its own
    ],
)
def test_the_next_paragraph_of_a_cell_after_a_page_break(row: str, rows: int) -> None:
    table = structure(["TT\tNội dung\tĐơn vị", "1.\tTăng cường giám sát dịch bệnh.\tSở Y tế", row])[0]
    assert isinstance(table, Table)
    assert len(table.rows) == rows


# ── parts under `PHẦN` headings ─────────────────────────────────────────────
def test_roman_headings_inside_a_part_that_names_the_tasks_are_its_sections() -> None:
    body = (
        "PHẦN I. MỤC TIÊU\nII. CÁC CHỈ TIÊU\n1. Số lao động có việc làm mới đạt 15.000 người.\n"
        "PHẦN II. NHIỆM VỤ, GIẢI PHÁP\nI. PHÁT TRIỂN NÔNG NGHIỆP\n1. Sở Nông nghiệp và Môi trường chủ trì "
        "xây dựng vùng nguyên liệu.\nII. PHÁT TRIỂN VĂN HÓA\n"
        "1. Sở Văn hóa, Thể thao và Du lịch chủ trì tu bổ di tích.\n"
        "PHẦN III. TỔ CHỨC THỰC HIỆN\n1. Sở Tài chính theo dõi, đôn đốc thực hiện.\n"
    )
    p = plan(body)
    assert [(t["section"], t["lead"]) for t in p["tasks"]] == [
        ("PHÁT TRIỂN NÔNG NGHIỆP", ["Sở Nông nghiệp và Môi trường"]),
        ("PHÁT TRIỂN VĂN HÓA", ["Sở Văn hóa, Thể thao và Du lịch"]),
        ("TỔ CHỨC THỰC HIỆN", ["Sở Tài chính"]),
    ]
    assert [i["text"] for i in p["indicators"]] == ["Số lao động có việc làm mới đạt 15.000 người"]


def test_roman_headings_inside_a_general_part_are_the_parts() -> None:
    body = (
        "PHẦN THỨ HAI\nKẾ HOẠCH NĂM 2026\nI. NHIỆM VỤ\n1. Sở Xây dựng chủ trì quản lý trật tự xây dựng.\n"
        "II. KINH PHÍ\nNgân sách tỉnh bảo đảm 2 tỷ đồng.\n"
    )
    assert task_texts(body) == ["Sở Xây dựng chủ trì quản lý trật tự xây dựng."]


def test_upper_case_letters_rank_above_the_roman_numerals() -> None:
    body = (
        "A. MỤC TIÊU\nGiữ vững an ninh.\nB. NHIỆM VỤ, GIẢI PHÁP\nI. QUỐC PHÒNG\n"
        "1. Bộ Chỉ huy Quân sự tỉnh chủ trì diễn tập khu vực phòng thủ.\nC. TỔ CHỨC THỰC HIỆN\n"
        "1. Công an tỉnh theo dõi, đôn đốc thực hiện.\n"
    )
    assert [(t["section"], t["lead"]) for t in plan(body)["tasks"]] == [
        ("QUỐC PHÒNG", ["Bộ Chỉ huy Quân sự tỉnh"]),
        ("TỔ CHỨC THỰC HIỆN", ["Công an tỉnh"]),
    ]


def test_upper_case_numbered_headings_under_roman_parts_are_sections() -> None:
    """`1. TĂNG CƯỜNG ... ĐÁNH GIÁ` ranks below `II.`: a section of the tasks, even where a word
    of it (`đánh giá`, `kết quả`) could name a part; `2. TỔ CHỨC THỰC HIỆN` still closes them."""
    body = (
        "I. MỤC ĐÍCH\nCụ thể hóa.\nII. NHIỆM VỤ\n1. ĐẨY MẠNH KIỂM TRA, ĐÁNH GIÁ CÔNG VỤ\n"
        "a) Sở Nội vụ chủ trì kiểm tra công vụ.\n2. TỔ CHỨC THỰC HIỆN\nSở Tài chính theo dõi việc thực hiện.\n"
    )
    assert [(t["section"], t["text"]) for t in plan(body)["tasks"]] == [
        ("ĐẨY MẠNH KIỂM TRA, ĐÁNH GIÁ CÔNG VỤ", "Sở Nội vụ chủ trì kiểm tra công vụ."),
        ("TỔ CHỨC THỰC HIỆN", "Sở Tài chính theo dõi việc thực hiện."),
    ]
