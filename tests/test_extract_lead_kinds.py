"""The kinds of lead error measured on unseen plans, one table each, on invented phrasings: a
report that is no task once past `Giao`/`Đề nghị`, a heading that names a subject and no body,
the lead named after the work, names with a comma or a number inside them, names that end
before the next verb, a lead-in's recipient handed down, and lettered items inline. Each table
holds cases that must not change beside those that must."""

from __future__ import annotations

import pytest

from kehoach.extract import extract
from kehoach.extract.assignments import parse_assignment
from kehoach.extract.cells import cell_agencies
from kehoach.extract.tasks import looks_like_agency, split_lead_cell
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
    ("Định kỳ hằng quý (trước ngày 15 tháng cuối quý), các sở, ngành báo cáo kết quả về Sở Tài chính.", False),
    ("Trước ngày 15/12/2026, Sở Y tế báo cáo UBND tỉnh kết quả thực hiện.", False),
    ("Yêu cầu các sở, ngành định kỳ 6 tháng, năm báo cáo kết quả thực hiện về Sở Nội vụ để tổng hợp.", False),
    # work besides the report: a task (and a duty)
    ("Định kỳ hằng quý, Sở Y tế kiểm tra cơ sở, báo cáo kết quả về UBND tỉnh.", True),
    ("Trước ngày 15/12/2026, Sở Y tế tổ chức sơ kết và báo cáo UBND tỉnh.", True),
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


# 3. The lead named after the work: a later clause whose subject only carries the work out, `do X
#    chủ trì`, `giao X thực hiện`, a `Trách nhiệm:` label; a body in a phrase that describes a thing
#    (`các dự án do Sở X thực hiện quản lý`, `do UBND tỉnh ban hành`) is no lead.
TRAILING = [
    (
        "Rà soát, nạo vét hệ thống kênh mương nội đồng; Phòng Kinh tế thực hiện, hoàn thành trong quý II/2026.",
        ["Phòng Kinh tế"],
        [],
    ),
    ("Xây dựng quy chế vận hành hồ chứa do Sở Xây dựng chủ trì thực hiện.", ["Sở Xây dựng"], []),
    (
        "Tập huấn kỹ năng cứu hộ cho lực lượng xung kích, do Bộ Chỉ huy Quân sự tỉnh chủ trì, phối hợp với Sở Y tế.",
        ["Bộ Chỉ huy Quân sự tỉnh"],
        ["Sở Y tế"],
    ),
    (
        "Sửa chữa cống tiêu vùng trũng, Ban Quản lý dự án đầu tư xây dựng khu vực 2 thực hiện.",
        ["Ban Quản lý dự án đầu tư xây dựng khu vực 2"],
        [],
    ),
    (
        "Cập nhật cơ sở dữ liệu đất đai, giao Văn phòng Đăng ký đất đai thực hiện trong năm 2026.",
        ["Văn phòng Đăng ký đất đai"],
        [],
    ),
    ("Kiểm tra an toàn đập trước mùa mưa. Trách nhiệm: Sở Công Thương.", ["Sở Công Thương"], []),
    ("Khảo sát hiện trạng bến bãi - Trách nhiệm thực hiện: Công an tỉnh.", ["Công an tỉnh"], []),
    (
        "Tuyên truyền về an toàn giao thông; Sở Văn hóa, Thể thao và Du lịch, Đài Phát thanh và Truyền hình tỉnh "
        "thực hiện.",
        ["Sở Văn hóa, Thể thao và Du lịch", "Đài Phát thanh và Truyền hình tỉnh"],
        [],
    ),
    (
        "Kiện toàn tổ ứng phó sự cố; Văn phòng HĐND và UBND xã tham mưu, hoàn thành trước ngày 30/4/2026.",
        ["Văn phòng Hội đồng nhân dân và Ủy ban nhân dân xã"],
        [],
    ),
    ("Nạo vét kênh mương nội đồng (Phòng Kinh tế thực hiện).", ["Phòng Kinh tế"], []),
    (
        "Xây dựng cơ sở dữ liệu ngành, Sở Khoa học và Công nghệ chịu trách nhiệm chính.",
        ["Sở Khoa học và Công nghệ"],
        [],
    ),
    (
        "Vận hành hệ thống cảnh báo sớm; Đài Khí tượng thủy văn tỉnh là cơ quan đầu mối.",
        ["Đài Khí tượng thủy văn tỉnh"],
        [],
    ),
    (
        "Đánh giá chất lượng phục vụ; các sở, ngành, UBND các xã thực hiện.",
        ["Các sở, ban, ngành", "Ủy ban nhân dân cấp xã"],
        [],
    ),
    ("Lắp đặt camera giám sát (Công an xã, Đội Trật tự đô thị phụ trách).", ["Công an xã", "Đội Trật tự đô thị"], []),
    ("Thực hiện công tác truyền thông, giao Trung tâm Văn hóa tỉnh chủ trì.", ["Trung tâm Văn hóa tỉnh"], []),
    ("Triển khai số hóa hồ sơ: Sở Nội vụ thực hiện; Sở Tài chính phối hợp.", ["Sở Nội vụ"], ["Sở Tài chính"]),
    # a body that describes a thing, not who carries out the work
    ("Sửa chữa trạm bơm (thực hiện theo hướng dẫn của Sở Xây dựng).", [], []),
    ("Thực hiện Nghị quyết số 12/NQ-HĐND, Sở Y tế chủ trì rà soát.", ["Sở Y tế"], []),
    ("Đẩy nhanh tiến độ các dự án do Sở Xây dựng thực hiện quản lý.", [], []),
    ("Thực hiện các nội dung theo Quyết định do UBND tỉnh ban hành.", [], []),
    ("Tổ chức hội nghị sơ kết; Văn phòng UBND tỉnh theo dõi, đôn đốc.", [], []),
    (
        "Thực hiện tốt các nhiệm vụ; Văn phòng UBND tỉnh chủ trì, phối hợp với Sở Nội vụ theo dõi, đôn đốc.",
        [],
        ["Sở Nội vụ"],
    ),
    ("Phối hợp với Công an tỉnh thực hiện tuần tra.", [], ["Công an tỉnh"]),
]


@pytest.mark.parametrize(("item", "lead", "coordinate"), TRAILING)
def test_the_lead_named_after_the_work(item: str, lead: list[str], coordinate: list[str]) -> None:
    got = tasks(f"II. NHIỆM VỤ\n1. Thủy lợi và giao thông\n- {item}\n- Nạo vét kênh mương.\n")
    assert (got[0][1], got[0][2]) == (lead, coordinate)


def test_a_heading_with_bullets_is_no_field() -> None:
    body = (
        "II. NHIỆM VỤ\n1. Thủy lợi\n- Nạo vét kênh mương.\nIII. TỔ CHỨC THỰC HIỆN\n"
        "1. Trách nhiệm thực hiện:\n- Sở Tài chính bố trí kinh phí.\n- Sở Xây dựng hướng dẫn kỹ thuật.\n"
    )
    assert [t[1] for t in tasks(body)][1:] == [["Sở Tài chính"], ["Sở Xây dựng"]]


# 4. A name holds a comma or a number: `..., đánh giá chất lượng` before its predicate where the name
#    opens the clause, `Khu vực 7`, `số 3`, `545`; a number closes the name (the verb after it is not
#    part of it). A comma before another body or before the work still ends it.
NAMES = [
    ("Viện Kiểm nghiệm, đánh giá chất lượng chủ trì thẩm định hồ sơ", ["Viện Kiểm nghiệm, đánh giá chất lượng"]),
    ("Trung tâm Quan trắc, phân tích môi trường thực hiện lấy mẫu nước", ["Trung tâm Quan trắc, phân tích môi trường"]),
    ("Giao Trung tâm Thông tin, ứng dụng khoa học chủ trì", ["Trung tâm Thông tin, ứng dụng khoa học"]),
    (
        "Trung tâm Phát triển quỹ đất, hạ tầng và dịch vụ tỉnh chủ trì",
        ["Trung tâm Phát triển quỹ đất, hạ tầng và dịch vụ tỉnh"],
    ),
    ("Chi nhánh Khu vực 7 phối hợp thu hồi nợ", ["Chi nhánh Khu vực 7"]),
    ("Ban Quản lý dự án đầu tư xây dựng khu vực 2 chủ trì thi công", ["Ban Quản lý dự án đầu tư xây dựng khu vực 2"]),
    ("Hạt Kiểm lâm số 5 tuần tra rừng phòng hộ", ["Hạt Kiểm lâm số 5"]),
    ("Đồn Biên phòng 545 phối hợp kiểm soát", ["Đồn Biên phòng 545"]),
    ("Đội Quản lý thị trường số 3 kiểm tra hàng hóa", ["Đội Quản lý thị trường số 3"]),
    ("Trung tâm Giám định tư pháp chủ trì", ["Trung tâm Giám định tư pháp"]),
    ("Công an phường 3 tuần tra địa bàn", ["Công an phường 3"]),
    ("Trường THPT số 2 Bảo Thắng tiêm chủng cho học sinh", ["Trường THPT số 2 Bảo Thắng"]),
    ("Trường Tiểu học số 1 xã An Phú chủ trì", ["Trường Tiểu học số 1 xã An Phú"]),
    # unchanged: a comma before the work, before another body, or in the coordinate list
    ("Sở Văn hóa, Thể thao và Du lịch chủ trì", ["Sở Văn hóa, Thể thao và Du lịch"]),
    ("Phòng Kinh tế, Hạ tầng và Đô thị chủ trì", ["Phòng Kinh tế, Hạ tầng và Đô thị"]),
    ("Trung tâm Y tế huyện, các trạm y tế xã thực hiện", ["Trung tâm Y tế huyện", "Các trạm y tế xã"]),
    ("Chi nhánh Ngân hàng Chính sách xã hội khu vực 3 chủ trì", ["Chi nhánh Ngân hàng Chính sách xã hội khu vực 3"]),
]


@pytest.mark.parametrize(("phrase", "lead"), NAMES)
def test_a_name_with_a_comma_or_a_number_inside(phrase: str, lead: list[str]) -> None:
    assert parse_assignment(phrase).lead == lead


def test_a_comma_after_a_partner_ends_its_name() -> None:
    asg = parse_assignment("Sở Y tế phối hợp với Trung tâm Y tế, đánh giá kết quả thực hiện")
    assert (asg.lead, asg.coordinate) == (["Sở Y tế"], ["Trung tâm Y tế"])


# 5. A partner's name ends before the work it does with the lead (`phối hợp với Công ty Thủy lợi nạo
#    vét kênh`): the verbs of the field's work begin the predicate; the same syllables inside a
#    noun (`dự án`, `chi nhánh`, `cảnh sát`, `bảo vệ`, `gia đình`, `tiêu chuẩn đo lường`) stay in it.
PARTNERS = [
    ("Công ty Thủy lợi", "nạo vét kênh tiêu"),
    ("Trung tâm Kiểm soát bệnh tật", "phun hóa chất diệt muỗi"),
    ("Đội Thanh niên xung kích", "tuần tra bảo vệ đê"),
    ("Công ty Môi trường đô thị", "lắp đặt thùng rác"),
    ("Văn phòng Đăng ký đất đai", "cắm mốc giới hành lang"),
    ("Chi cục Thú y vùng", "khoanh vùng ổ dịch"),
    ("Hạt Quản lý đường bộ", "cảnh báo điểm đen tai nạn"),
    ("Đài Khí tượng thủy văn", "dự báo mưa lũ"),
    ("Trung tâm Dịch vụ nông nghiệp", "chi trả hỗ trợ giống"),
    ("Ban Quản lý dự án đầu tư xây dựng", "bàn giao mặt bằng"),
    ("Hợp tác xã Nông nghiệp Tân Phú", "vận hành trạm bơm"),
]


@pytest.mark.parametrize(("name", "work"), PARTNERS)
def test_a_partners_name_ends_before_its_work(name: str, work: str) -> None:
    asg = parse_assignment(f"Sở Nông nghiệp và Môi trường chủ trì, phối hợp với {name} {work}")
    assert asg.coordinate == [name]


@pytest.mark.parametrize(
    "name",
    [
        "Ban Quản lý dự án đầu tư xây dựng",
        "Phòng Cảnh sát giao thông",
        "Hội Bảo vệ quyền lợi người tiêu dùng",
        "Hội Gia đình liệt sĩ",
        "Chi cục Tiêu chuẩn đo lường chất lượng",
        "Trung tâm Dịch vụ đấu giá tài sản",
        "Ban Quản lý dự án chi nhánh",
    ],
)
def test_the_same_syllables_inside_a_noun_stay_in_the_name(name: str) -> None:
    assert parse_assignment(f"{name} chủ trì thực hiện").lead == [name]


# 6. A lead-in or heading that names its recipient hands it to every item under it: after `Giao`,
#    `Yêu cầu` (not the `2. Yêu cầu` of a plan's purpose), `được giao`, or the issuer's own `UBND tỉnh
#    giao X`; the items keep the section above it.
LEAD_INS = [
    ("Giao Sở Y tế chủ trì, phối hợp các cơ quan liên quan thực hiện các nội dung sau:", "-", ["Sở Y tế"]),
    ("a) Giao Sở Giáo dục và Đào tạo thực hiện các nhiệm vụ sau:", "-", ["Sở Giáo dục và Đào tạo"]),
    ("a) Ủy ban nhân dân tỉnh giao Sở Nội vụ chủ trì các nội dung sau:", "-", ["Sở Nội vụ"]),
    ("a) Yêu cầu Ủy ban nhân dân các xã triển khai:", "-", ["Ủy ban nhân dân cấp xã"]),
    ("Sở Khoa học và Công nghệ được giao chủ trì thực hiện các nhiệm vụ sau:", "-", ["Sở Khoa học và Công nghệ"]),
    ("a) Giao cho Công an tỉnh thực hiện những việc sau đây:", "+", ["Công an tỉnh"]),
    ("a) Sở Công Thương thực hiện các nhiệm vụ gồm:", "-", ["Sở Công Thương"]),
    ("a) Giao Sở Y tế chủ trì thực hiện các nội dung sau, hoàn thành trong quý II/2026:", "-", ["Sở Y tế"]),
    ("a) Sở Tư pháp chủ trì, trong năm 2026 thực hiện:", "-", ["Sở Tư pháp"]),
]


@pytest.mark.parametrize(("lead_in", "bullet", "lead"), LEAD_INS)
def test_a_lead_in_hands_its_recipient_to_the_items_under_it(lead_in: str, bullet: str, lead: list[str]) -> None:
    body = (
        f"II. NHIỆM VỤ VÀ GIẢI PHÁP\n1. Về quản lý nhà nước\n{lead_in}\n"
        f"{bullet} Rà soát quy chế phối hợp.\n{bullet} Sơ kết việc thực hiện.\n"
    )
    got = plan(body)["tasks"]
    assert [(t["text"], t["lead"], t["section"]) for t in got] == [
        ("Rà soát quy chế phối hợp.", lead, "Về quản lý nhà nước"),
        ("Sơ kết việc thực hiện.", lead, "Về quản lý nhà nước"),
    ]


def test_the_purpose_heading_yeu_cau_still_holds_no_tasks() -> None:
    body = (
        "I. MỤC ĐÍCH, YÊU CẦU\n1. Mục đích\n- Nâng cao nhận thức.\n2. Yêu cầu\n- Bảo đảm thiết thực.\n"
        "II. NHIỆM VỤ\n1. Thủy lợi\n- Nạo vét kênh mương.\n"
    )
    assert [t[0] for t in tasks(body)] == ["Nạo vét kênh mương."]


# 7. Lettered points written inline in one paragraph (`... gồm: a) ...; b) ...`) are each a task, the
#    head giving them its lead; points that list the objects of the head's own work, a citation
#    (`điểm a), b) khoản 2`) or one point alone leave the paragraph one task.
POINTS = [
    (
        "2. Sở Công Thương thực hiện các nhiệm vụ gồm: a) Rà soát quy hoạch mạng lưới chợ; b) Cập nhật dữ liệu "
        "thương mại; c) Kiểm tra thị trường dịp Tết.",
        [
            ("Rà soát quy hoạch mạng lưới chợ", ["Sở Công Thương"]),
            ("Cập nhật dữ liệu thương mại", ["Sở Công Thương"]),
            ("Kiểm tra thị trường dịp Tết.", ["Sở Công Thương"]),
        ],
    ),
    (
        "- Giao Công an tỉnh thực hiện: a) Tuần tra kiểm soát giao thông. b) Xử lý vi phạm nồng độ cồn.",
        [("Tuần tra kiểm soát giao thông.", ["Công an tỉnh"]), ("Xử lý vi phạm nồng độ cồn.", ["Công an tỉnh"])],
    ),
    (
        "- Các nội dung trọng tâm như sau: (a) Hoàn thiện hồ sơ đất đai; (b) Số hóa bản đồ địa chính.",
        [("Hoàn thiện hồ sơ đất đai", ["Sở Nội vụ"]), ("Số hóa bản đồ địa chính.", ["Sở Nội vụ"])],
    ),
    (
        "- Giao Trung tâm Y tế thực hiện các nhiệm vụ sau: (1) Giám sát ca bệnh; (2) Xử lý ổ dịch.",
        [("Giám sát ca bệnh", ["Trung tâm Y tế"]), ("Xử lý ổ dịch.", ["Trung tâm Y tế"])],
    ),
    # unchanged: objects of the head's own work, a citation, a single point, a broken sequence
    (
        "- Thực hiện các nội dung: (1) Khảo sát hiện trạng; (3) Lập hồ sơ.",
        [("Thực hiện các nội dung: (1) Khảo sát hiện trạng; (3) Lập hồ sơ.", ["Sở Nội vụ"])],
    ),
    (
        "- Rà soát các văn bản: a) Quyết định số 12/2024/QĐ-UBND; b) Quyết định số 15/2024/QĐ-UBND.",
        [
            (
                "Rà soát các văn bản: a) Quyết định số 12/2024/QĐ-UBND; b) Quyết định số 15/2024/QĐ-UBND.",
                ["Sở Nội vụ"],
            )
        ],
    ),
    (
        "- Thực hiện theo điểm a), b) khoản 2 Điều 5 Nghị định số 30/2020/NĐ-CP.",
        [("Thực hiện theo điểm a), b) khoản 2 Điều 5 Nghị định số 30/2020/NĐ-CP.", ["Sở Nội vụ"])],
    ),
    (
        "- Thực hiện các nhiệm vụ sau: a) Rà soát thủ tục hành chính.",
        [("Thực hiện các nhiệm vụ sau: a) Rà soát thủ tục hành chính.", ["Sở Nội vụ"])],
    ),
]


@pytest.mark.parametrize(("item", "expected"), POINTS)
def test_lettered_points_inline_are_each_a_task(item: str, expected: list[tuple[str, list[str]]]) -> None:
    body = f"II. NHIỆM VỤ\n1. Sở Nội vụ:\n{item}\n"
    assert [(t[0], t[1]) for t in tasks(body)] == expected


@pytest.mark.parametrize(
    ("heading", "lead"),
    [
        ("Sở Xây dựng", ["Sở Xây dựng"]),
        ("Ủy ban nhân dân các xã, phường", ["Ủy ban nhân dân cấp xã"]),
        ("Trung tâm Phục vụ hành chính công tỉnh", ["Trung tâm Phục vụ hành chính công tỉnh"]),
        ("Khen thưởng, kỷ luật", []),
        ("Chế độ thông tin, báo cáo", []),
    ],
)
def test_a_body_as_a_heading_with_bullets_still_leads_them(heading: str, lead: list[str]) -> None:
    body = (
        "II. NHIỆM VỤ\n1. Thủy lợi\n- Nạo vét kênh mương.\nIII. TỔ CHỨC THỰC HIỆN\n"
        f"1. {heading}\n- Hướng dẫn thực hiện quy chế.\n- Biểu dương điển hình tiên tiến.\n"
    )
    assert [t[1] for t in tasks(body)[1:]] == [lead, lead]


# 8. Each body's role written after it, in a cell, a field or a sentence: `X chủ trì; Y phối hợp`,
#    `Y, Z phối hợp; X thực hiện`, `X (chủ trì), Y`; a role before its bodies keeps its old reading.
CELLS = [
    ("Sở Nội vụ chủ trì; Công an tỉnh phối hợp", ["Sở Nội vụ"], ["Công an tỉnh"]),
    ("Sở Nội vụ chủ trì, Công an tỉnh, Sở Y tế phối hợp", ["Sở Nội vụ"], ["Công an tỉnh", "Sở Y tế"]),
    ("Công an tỉnh phối hợp; Sở Tư pháp thực hiện", ["Sở Tư pháp"], ["Công an tỉnh"]),
    ("Sở Nội vụ (chủ trì), Công an tỉnh", ["Sở Nội vụ"], ["Công an tỉnh"]),
    ("Sở Nội vụ chủ trì, phối hợp Công an tỉnh", ["Sở Nội vụ"], ["Công an tỉnh"]),
    ("Sở Y tế; Sở Tài chính", ["Sở Y tế", "Sở Tài chính"], []),
    ("Văn phòng UBND tỉnh; các sở, ban, ngành phối hợp", ["Văn phòng Ủy ban nhân dân tỉnh"], ["Các sở, ban, ngành"]),
    (
        "Sở Khoa học và Công nghệ, Viễn thông Ninh Thuận phối hợp; Sở Nội vụ thực hiện",
        ["Sở Nội vụ"],
        ["Sở Khoa học và Công nghệ", "Viễn thông Ninh Thuận"],
    ),
    ("Sở Y tế chủ trì, phối hợp với các sở, ngành liên quan", ["Sở Y tế"], ["Các sở, ban, ngành"]),
    # a cell lists entries that each open with a capital: a lower-case part after a comma is the name's
    ("Trung tâm Quan trắc, phân tích môi trường", ["Trung tâm Quan trắc, phân tích môi trường"], []),
    (
        "Viện Kiểm nghiệm, đánh giá chất lượng chủ trì; Sở Y tế phối hợp",
        ["Viện Kiểm nghiệm, đánh giá chất lượng"],
        ["Sở Y tế"],
    ),
    ("Trung tâm Y tế, trạm y tế xã", ["Trung tâm Y tế"], []),
    ("Công ty Điện lực, các đơn vị liên quan", ["Công ty Điện lực", "Các cơ quan, đơn vị liên quan"], []),
]


@pytest.mark.parametrize(("cell", "lead", "coordinate"), CELLS)
def test_each_bodys_role_after_it_in_a_cell(cell: str, lead: list[str], coordinate: list[str]) -> None:
    assert split_lead_cell(cell) == (lead, coordinate)


SENTENCES = [
    (
        "Sở Tài chính chủ trì, Sở Nội vụ, Công an tỉnh phối hợp thực hiện rà soát.",
        ["Sở Tài chính"],
        ["Sở Nội vụ", "Công an tỉnh"],
    ),
    ("Rà soát định mức chi, Sở Tài chính chủ trì, Sở Nội vụ phối hợp.", ["Sở Tài chính"], ["Sở Nội vụ"]),
    ("Sở Xây dựng chủ trì kiểm tra công trình, các sở, ngành phối hợp.", ["Sở Xây dựng"], ["Các sở, ban, ngành"]),
    # unchanged: the subject that works with a partner of its own
    ("Sở Y tế phối hợp với Sở Nội vụ rà soát biên chế.", ["Sở Y tế"], ["Sở Nội vụ"]),
]


@pytest.mark.parametrize(("sentence", "lead", "coordinate"), SENTENCES)
def test_partners_named_before_their_verb(sentence: str, lead: list[str], coordinate: list[str]) -> None:
    asg = parse_assignment(sentence)
    assert (asg.lead, asg.coordinate) == (lead, coordinate)


def test_a_lettered_evaluation_that_names_its_doer_is_a_task_not_a_situation_heading() -> None:
    body = (
        "II. NHIỆM VỤ\n1. Cải cách bộ máy\na) Sắp xếp đơn vị sự nghiệp.\n"
        "b) Đánh giá chất lượng phục vụ; các sở, ngành thực hiện.\nc) Kiểm tra công vụ.\n"
    )
    assert [t[1] for t in tasks(body)] == [[], ["Các sở, ban, ngành"], []]


# 9. A cell of bodies keeps each capitalised entry it cannot read as a body (`Viễn thông Bắc Ninh`), but
#    not a remit, a time or a source of funds written in the same column.
@pytest.mark.parametrize(
    ("cell", "names"),
    [
        ("Theo chức năng, nhiệm vụ", []),
        ("Thường xuyên", []),
        ("Ngân sách tỉnh", []),
        ("Sở Y tế; Kinh phí sự nghiệp", ["Sở Y tế"]),
        ("Đơn vị tư vấn", ["Đơn vị tư vấn"]),
        ("Viễn thông Bắc Ninh, Bưu điện tỉnh", ["Viễn thông Bắc Ninh", "Bưu điện tỉnh"]),
    ],
)
def test_a_cell_entry_is_a_body_unless_it_names_a_remit_time_or_funds(cell: str, names: list[str]) -> None:
    assert cell_agencies(cell) == names
