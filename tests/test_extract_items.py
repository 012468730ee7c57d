"""The shapes of a plan's items, on small invented plans: which paragraphs are tasks, which
give them their lead, coordinates and deadline, which are headings, lead-ins, fields, notes,
contacts or reporting duties — and where in the text each one stands."""

from __future__ import annotations

import pytest

from kehoach.extract import extract
from kehoach.read import Source

HEAD = (
    "ỦY BAN NHÂN DÂN\nXÃ HÒA AN\nSố: 12/KH-UBND\nHòa An, ngày 05 tháng 3 năm 2026\n"
    "KẾ HOẠCH\nPhòng, chống dịch bệnh năm 2026\n"
)


def plan(body: str, head: str = HEAD) -> dict:
    return extract(Source("invented.txt", head + body)).as_dict()


def rows(body: str, *keys: str) -> list[tuple]:
    out = []
    for t in plan(body)["tasks"]:
        values = []
        for k in keys:
            v = t.get(k)
            if k == "deadline":
                v = v and (v["text"], v["due"])
            values.append(v)
        out.append(tuple(values))
    return out


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        # a field line between bullets closes the bullets above it, not those after it
        (
            "II. NHIỆM VỤ\n1. Công tác kiểm tra\n- Thành lập tổ kiểm tra liên ngành.\n"
            "Đơn vị thực hiện: Phòng Kinh tế; phối hợp: Công an xã.\n"
            "- Kiểm tra các cửa hàng vật tư nông nghiệp.\nThời gian: Quý III/2026.\n",
            [
                ("Thành lập tổ kiểm tra liên ngành.", ["Phòng Kinh tế"], ["Công an xã"], None),
                ("Kiểm tra các cửa hàng vật tư nông nghiệp.", [], [], ("Quý III/2026", "2026-09-30")),
            ],
        ),
        # an aside that says who leads, who works with whom and by when
        (
            "II. NHIỆM VỤ\n1. Sửa đổi quy chế quản lý chợ (Phòng Kinh tế chủ trì, phối hợp với Công an xã; "
            "hoàn thành trong Quý III/2026).\n"
            "2. Rà soát hộ kinh doanh (Đội Quản lý thị trường chủ trì; các thôn phối hợp; thời gian: tháng 10/2026).\n",
            [
                (
                    "Sửa đổi quy chế quản lý chợ (Phòng Kinh tế chủ trì, phối hợp với Công an xã; "
                    "hoàn thành trong Quý III/2026).",
                    ["Phòng Kinh tế"],
                    ["Công an xã"],
                    ("hoàn thành trong Quý III/2026", "2026-09-30"),
                ),
                (
                    "Rà soát hộ kinh doanh (Đội Quản lý thị trường chủ trì; các thôn phối hợp; "
                    "thời gian: tháng 10/2026).",
                    ["Đội Quản lý thị trường"],
                    ["Các thôn"],
                    ("tháng 10/2026", "2026-10-31"),
                ),
            ],
        ),
        # fields written inside the item after a dash
        (
            "II. NHIỆM VỤ\n1. Số hóa hồ sơ địa chính - Đơn vị chủ trì: Văn phòng HĐND và UBND xã; "
            "thời hạn: năm 2026.\n",
            [
                (
                    "Số hóa hồ sơ địa chính",
                    ["Văn phòng Hội đồng nhân dân và Ủy ban nhân dân xã"],
                    [],
                    ("năm 2026", "2026-12-31"),
                )
            ],
        ),
        # a lead-in ending with `:` hands its lead and coordinates to the items under it
        (
            "II. NHIỆM VỤ\n1. Công tác tuyên truyền\n"
            "Phòng Văn hóa - Xã hội chủ trì, phối hợp với Đài truyền thanh xã thực hiện các nội dung sau:\n"
            "a) Phát thông báo trên loa truyền thanh.\nb) In tờ rơi phát đến các hộ dân. Thời gian: Quý II/2026.\n",
            [
                ("Phát thông báo trên loa truyền thanh.", ["Phòng Văn hóa - Xã hội"], ["Đài truyền thanh xã"], None),
                (
                    "In tờ rơi phát đến các hộ dân.",
                    ["Phòng Văn hóa - Xã hội"],
                    ["Đài truyền thanh xã"],
                    ("Quý II/2026", "2026-06-30"),
                ),
            ],
        ),
        # a field line after a lettered list closes the theme: every letter gets it
        (
            "II. NHIỆM VỤ\n1. Chuyển đổi số\na) Cập nhật cổng thông tin điện tử xã.\n"
            "b) Tập huấn kỹ năng số cho cán bộ.\n"
            "Đơn vị chủ trì: Văn phòng HĐND và UBND xã. Thời gian thực hiện: Tháng 8/2026.\n",
            [
                (
                    "Cập nhật cổng thông tin điện tử xã.",
                    ["Văn phòng Hội đồng nhân dân và Ủy ban nhân dân xã"],
                    [],
                    ("Tháng 8/2026", "2026-08-31"),
                ),
                (
                    "Tập huấn kỹ năng số cho cán bộ.",
                    ["Văn phòng Hội đồng nhân dân và Ủy ban nhân dân xã"],
                    [],
                    ("Tháng 8/2026", "2026-08-31"),
                ),
            ],
        ),
        # a heading that lists the hamlets gives each hamlet
        (
            "III. TỔ CHỨC THỰC HIỆN\n1. Các thôn: Phú Mỹ, Tân Lập\nTổ chức ra quân diệt chuột trong tháng 4/2026.\n",
            [
                (
                    "Tổ chức ra quân diệt chuột trong tháng 4/2026.",
                    ["Thôn Phú Mỹ", "Thôn Tân Lập"],
                    [],
                    ("trong tháng 4/2026", "2026-04-30"),
                )
            ],
        ),
        # notes, labels and contact lines hold no work (a contact joins the heading over the list)
        (
            "II. NHIỆM VỤ\n1. Bảo đảm an toàn hồ chứa\n* Giải pháp trước mắt:\n"
            "- Kiểm tra đập đất trước mùa mưa lũ.\n(Chi tiết tại Phụ lục kèm theo)\n"
            "- Trực ban phòng chống lụt bão 24/24 giờ.\n- Trạm Y tế xã: 0235.3861.115\n",
            [
                ("Kiểm tra đập đất trước mùa mưa lũ.", [], [], ("trước mùa mưa", None)),
                ("Trực ban phòng chống lụt bão 24/24 giờ.", [], [], None),
            ],
        ),
    ],
)
def test_item_shapes(body: str, expected: list[tuple]) -> None:
    assert rows(body, "text", "lead", "coordinate", "deadline") == expected


def test_items_numbered_past_a_hundred_are_all_kept() -> None:
    body = "II. NHIỆM VỤ\n" + "".join(f"{n}. Thôn số {n} dọn vệ sinh đường làng.\n" for n in range(97, 104))
    tasks = plan(body)["tasks"]
    assert [t["text"] for t in tasks] == [f"Thôn số {n} dọn vệ sinh đường làng." for n in range(97, 104)]


def test_a_gap_or_a_repeat_in_the_numbering_is_warned_with_its_line() -> None:
    body = (
        "II. NHIỆM VỤ\n1. Tu sửa nhà văn hóa thôn.\n2. Trồng cây xanh ven đường.\n"
        "2. Làm đường giao thông nội đồng.\n5. Nạo vét kênh tưới.\n"
    )
    p = plan(body)
    assert len(p["tasks"]) == 4  # nothing is lost
    warnings = [(w["line"], w["message"]) for w in p["warnings"]]
    assert (10, "mục 2 lặp lại (dòng 9 và 10)") in warnings
    assert (11, "sau mục 2 là mục 5: không thấy mục 3") in warnings


def test_a_party_committees_items() -> None:
    head = "ĐẢNG BỘ TỈNH HÒA BÌNH\nHUYỆN ỦY LẠC SƠN\n*\nSố: 45-KH/HU\nKẾ HOẠCH\nthực hiện Nghị quyết số 12-NQ/TU\n"
    body = (
        "II- NHIỆM VỤ, GIẢI PHÁP\n1- Công tác tuyên truyền\n"
        "a- Ban Tuyên giáo Huyện ủy hướng dẫn tuyên truyền Nghị quyết.\n"
        "b- Các chi bộ tổ chức học tập, quán triệt.\n2- Công tác kiểm tra, giám sát\n"
        "Ủy ban Kiểm tra Huyện ủy kiểm tra việc thực hiện Nghị quyết trong năm 2026.\n"
        "T/M BAN THƯỜNG VỤ\nPHÓ BÍ THƯ\nĐinh Công Sứ\n"
    )
    p = plan(body, head)
    assert [(t["section"], t["text"], t["lead"]) for t in p["tasks"]] == [
        (
            "Công tác tuyên truyền",
            "Ban Tuyên giáo Huyện ủy hướng dẫn tuyên truyền Nghị quyết.",
            ["Ban Tuyên giáo Huyện ủy"],
        ),
        # the Party's cells are bodies: they lead their work
        ("Công tác tuyên truyền", "Các chi bộ tổ chức học tập, quán triệt.", ["Các chi bộ"]),
        (
            "Công tác kiểm tra, giám sát",
            "Ủy ban Kiểm tra Huyện ủy kiểm tra việc thực hiện Nghị quyết trong năm 2026.",
            ["Ủy ban Kiểm tra Huyện ủy"],
        ),
    ]
    doc = p["document"]
    assert (doc["issuer"], doc["number"], doc["signer_name"]) == (
        "Ban Thường vụ Huyện ủy Lạc Sơn",
        "45-KH/HU",
        "Đinh Công Sứ",
    )


def test_a_periodic_report_in_the_tasks_part_is_a_duty_too() -> None:
    body = (
        "II. NHIỆM VỤ\n1. Các thôn tổ chức thực hiện Kế hoạch; định kỳ trước ngày 15 tháng 12 hằng năm báo cáo "
        "kết quả về Văn phòng HĐND và UBND xã để tổng hợp.\n2. Báo cáo UBND huyện bố trí kinh phí mua hóa chất.\n"
    )
    p = plan(body)
    first, second = p["tasks"]
    assert first["deadline"] is None  # the day of a yearly report is no deadline of the work
    assert "also_reporting" in first["review"]
    [duty] = p["reporting"]
    assert (duty["recipient"], duty["frequency"], duty["deadlines"]) == (
        "Văn phòng Hội đồng nhân dân và Ủy ban nhân dân xã",
        "annual",
        [],  # a day and month of every year (`hằng năm`) is a day rule, no calendar date
    )
    assert "also_reporting" not in second.get("review", [])  # asking for funds is no report


def test_each_task_knows_its_lines_and_why_to_look() -> None:
    body = (
        "II. NHIỆM VỤ\n1. Công tác phòng dịch\nCác đơn vị liên quan thực hiện:\n"
        "- Phun thuốc khử trùng chuồng trại,\ntiêu độc khu vực có dịch.\n- Giám sát ổ dịch.\n"
    )
    text = HEAD + body
    p = extract(Source("invented.txt", text)).as_dict()
    lines = text.splitlines()
    tasks = p["tasks"]
    assert [t["source"] for t in tasks] == [{"line": 10, "line_end": 11}, {"line": 12, "line_end": 12}]
    assert lines[9].startswith("- Phun thuốc") and lines[11] == "- Giám sát ổ dịch."
    assert [t["review"] for t in tasks] == [["lead_inherited", "lead_collective"]] * 2


def test_measurable_bullets_under_the_objectives_are_indicators() -> None:
    body = (
        "I. MỤC TIÊU\n- 100% trạm y tế xã có kết nối internet;\n- Tỷ lệ hồ sơ bệnh án điện tử đạt trên 80%.\n"
        "II. NHIỆM VỤ\n1. Trạm Y tế xã cập nhật hồ sơ sức khỏe điện tử.\n"
    )
    p = plan(body)
    assert [
        (i["group"], i["text"], [(t["comparator"], t["value"], t["unit"]) for t in i["targets"]])
        for i in p["indicators"]
    ] == [
        ("MỤC TIÊU", "100% trạm y tế xã có kết nối internet", [("=", 100, "%")]),
        ("MỤC TIÊU", "Tỷ lệ hồ sơ bệnh án điện tử đạt trên 80%", [(">", 80, "%")]),
    ]
    assert [t["text"] for t in p["tasks"]] == ["Trạm Y tế xã cập nhật hồ sơ sức khỏe điện tử."]


def test_a_table_read_through_ocr_and_cut_by_a_page_break() -> None:
    """Headers as an OCR reads them (`chữ trì`, `phôi hợp`, noise glued to words), the specific
    action preferred to the general one, and rows after a page break with no header repeated."""
    body = (
        "II. NHIỆM VỤ\n"
        "STT\tNộiA2 dung hành` độngR\tHành động cụ thê\tĐơn vị chữ trì\t& Đơn vịA phôi hợp\tThời hạn hoàn thành\n"
        "1\tCải cách hành chính\tRà soát thủ tục cấp phép xây dựng\tPhòng Kinh tế\tCông an xã\tQuý II/2026\n"
        "(tiếp theo)\n"
        "2\tCải cách hành chính\tSố hóa kết quả giải quyết thủ tục\tVăn phòng HĐND và UBND xã\t"
        "Phòng Kinh tế\tQuý IV/2026\n"
    )
    tasks = rows(body, "text", "lead", "coordinate", "deadline")
    assert tasks == [
        ("Rà soát thủ tục cấp phép xây dựng", ["Phòng Kinh tế"], ["Công an xã"], ("Quý II/2026", "2026-06-30")),
        (
            "Số hóa kết quả giải quyết thủ tục",
            ["Văn phòng Hội đồng nhân dân và Ủy ban nhân dân xã"],
            ["Phòng Kinh tế"],
            ("Quý IV/2026", "2026-12-31"),
        ),
    ]


@pytest.mark.parametrize(
    ("head", "issuer", "province", "number", "issued"),
    [
        # the two columns of the heading block read as one line each
        (
            "ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nTỈNH HÒA BÌNH Độc lập - Tự do - Hạnh phúc\n"
            "Số: 12/KH-UBND Hòa Bình, ngày 03 tháng 02 năm 2026\n",
            "Ủy ban nhân dân tỉnh Hòa Bình",
            "Hòa Bình",
            "12/KH-UBND",
            "2026-02-03",
        ),
        # a department under its province's committee
        (
            "UBND TỈNH CAO BẰNG\nSỞ Y TẾ\nSố: 30/KH-SYT\nCao Bằng, ngày 9 tháng 3 năm 2026\n",
            "Sở Y tế tỉnh Cao Bằng",
            "Cao Bằng",
            "30/KH-SYT",
            "2026-03-09",
        ),
        # a ministry; no number yet
        ("BỘ TƯ PHÁP\nSố:      /KH-BTP\nHà Nội, ngày 20 tháng 01 năm 2026\n", "Bộ Tư pháp", None, None, "2026-01-20"),
        # the Front's committee of a ward, its standing board issuing
        (
            "ỦY BAN MTTQ VIỆT NAM\nPHƯỜNG AN KHÁNH\nBAN THƯỜNG TRỰC\nSố: 05/KH-MTTQ-BTT\n"
            "An Khánh, ngày 2 tháng 3 năm 2026\n",
            "Ban Thường trực Ủy ban Mặt trận Tổ quốc Việt Nam phường An Khánh",
            None,
            "05/KH-MTTQ-BTT",
            "2026-03-02",
        ),
    ],
)
def test_who_issued_the_plan(head: str, issuer: str, province: str | None, number: str | None, issued: str) -> None:
    doc = plan("II. NHIỆM VỤ\n1. Rà soát quy chế làm việc.\n", head + "KẾ HOẠCH\nCải cách hành chính năm 2026\n")[
        "document"
    ]
    assert (doc["issuer"], doc["province"], doc["number"], doc["issued_date"]) == (issuer, province, number, issued)


@pytest.mark.parametrize(
    ("item", "duties"),
    [
        # two sentences, two reporters: each report is its own duty
        (
            "Các tổ dân phố báo cáo kết quả về Văn phòng HĐND và UBND phường trước ngày 20 hằng tháng. "
            "Văn phòng HĐND và UBND phường tổng hợp, báo cáo Đảng ủy phường theo quy định.",
            [
                (["Các tổ dân phố"], "Văn phòng Hội đồng nhân dân và Ủy ban nhân dân phường", "monthly"),
                (["Văn phòng Hội đồng nhân dân và Ủy ban nhân dân phường"], "Đảng ủy phường", "periodic"),
            ],
        ),
        # a report to the Party's committee of the province
        (
            "Sở Nội vụ tổ chức sơ kết 6 tháng, hằng năm và báo cáo Tỉnh ủy, Ủy ban nhân dân tỉnh.",
            [(["Sở Nội vụ"], "Tỉnh ủy", "periodic")],
        ),
        # an incident passed on for action is no reporting duty
        ("Công an phường kịp thời báo cáo Ủy ban nhân dân phường để xử lý các trường hợp lấn chiếm vỉa hè.", []),
    ],
)
def test_reporting_duties_in_the_organisation_part(item: str, duties: list[tuple]) -> None:
    p = plan(f"III. TỔ CHỨC THỰC HIỆN\n1. {item}\n")
    assert [(d["reporters"], d["recipient"], d["frequency"]) for d in p["reporting"]] == duties


@pytest.mark.parametrize(
    "closing",
    [
        "Ủy ban nhân dân xã yêu cầu các ban, ngành, đoàn thể và các thôn nghiêm túc triển khai thực hiện Kế hoạch "
        "này. Trong quá trình thực hiện, nếu có khó khăn, vướng mắc, kịp thời phản ánh về Phòng Kinh tế để tổng hợp.",
        "Trên đây là Kế hoạch phòng, chống dịch bệnh năm 2026 của Ủy ban nhân dân xã Hòa An./.",
        "Trong quá trình tổ chức thực hiện, nếu có khó khăn, vướng mắc, các đơn vị phản ánh về Phòng Kinh tế.",
    ],
)
def test_the_closing_formula_is_neither_task_nor_duty(closing: str) -> None:
    body = "III. TỔ CHỨC THỰC HIỆN\n1. Phòng Kinh tế chủ trì tổ chức tiêm phòng.\n" + closing + "\n"
    p = plan(body)
    assert [t["text"] for t in p["tasks"]] == ["Phòng Kinh tế chủ trì tổ chức tiêm phòng."]
    assert p["reporting"] == []


def test_a_numbered_item_asking_for_feedback_is_a_reporting_duty() -> None:
    # a unit's own duty to pass on difficulties; the formula `Trong quá trình thực hiện, nếu có khó khăn,
    # vướng mắc ...` is neither task nor duty, numbered or not (test_extract_time_kinds)
    body = (
        "III. TỔ CHỨC THỰC HIỆN\n1. Phòng Kinh tế chủ trì tổ chức tiêm phòng.\n"
        "2. Các thôn kịp thời phản ánh những khó khăn, vướng mắc phát sinh về Phòng Kinh tế "
        "để tổng hợp, báo cáo Ủy ban nhân dân xã.\n"
    )
    [duty] = plan(body)["reporting"]
    assert (duty["reporters"], duty["recipient"]) == (["Các thôn"], "Phòng Kinh tế")


def test_a_lead_in_over_a_paragraph_and_then_bullets_reaches_them_all() -> None:
    body = (
        "II. NHIỆM VỤ\n3. Phát triển giao thông nông thôn\n"
        "Phòng Kinh tế và Ban Quản lý dự án xã chủ trì, phối hợp với các thôn:\n"
        "Tiếp tục cứng hóa đường trục thôn. Huy động Nhân dân hiến đất làm đường.\n"
        "- Duy tu các tuyến đường liên thôn.\n- Lắp đặt đèn chiếu sáng tại các ngã ba.\n"
    )
    leads = {tuple(t["lead"]) for t in plan(body)["tasks"]}
    assert leads == {("Phòng Kinh tế", "Ban Quản lý dự án xã")}
    assert len(plan(body)["tasks"]) == 3
