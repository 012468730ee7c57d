"""Kinds of item and repair on invented phrasings: a capital eth for `Đ`, converters' paragraph
breaks and a signature run onto the last task, the closing formula, inline times, a numbered item
with its paragraphs, a bullet after a list of points, monitoring as work, items that report and
assign, pointer lines, the documents a plan implements, qualitative indicators."""

from __future__ import annotations

import pytest

from kehoach.extract import extract
from kehoach.extract.repair import break_lines, fix_eth, repair
from kehoach.read import Source, read_bytes

HEAD = (
    "ỦY BAN NHÂN DÂN\nTỈNH PHÚ AN\nSố: 45/KH-UBND\nPhú An, ngày 10 tháng 2 năm 2026\n"
    "KẾ HOẠCH\nPhát triển kinh tế - xã hội năm 2026\n"
)


def plan(body: str, head: str = HEAD) -> dict:
    return extract(Source("invented.txt", head + body)).as_dict()


def tasks(body: str, head: str = HEAD) -> list[dict]:
    return plan(body, head)["tasks"]


def texts(body: str) -> list[str]:
    return [t["text"] for t in tasks(body)]


# ── 1. a capital eth (U+00D0) written for Đ ────────────────────────────────────
@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Ðề nghị Sở Giáo dục và Ðào tạo rà soát", "Đề nghị Sở Giáo dục và Đào tạo rà soát"),
        ("theo Quyết định số 12/QÐ-UBND của Ủy ban", "theo Quyết định số 12/QĐ-UBND của Ủy ban"),
        ("Nghị quyết của HÐND tỉnh về đầu tư", "Nghị quyết của HĐND tỉnh về đầu tư"),
        ("Ðỗ Văn Ðức, Phó Giám đốc", "Đỗ Văn Đức, Phó Giám đốc"),
    ],
)
def test_eth_is_d_in_vietnamese_text(line: str, expected: str) -> None:
    assert fix_eth(line) == expected
    assert repair(line).lines == [expected]


@pytest.mark.parametrize("line", ["Ðórður Guðmundsson, Reykjavík", "ÐÆR og Ðin"])
def test_eth_kept_outside_vietnamese_text(line: str) -> None:
    assert fix_eth(line) == line


def test_eth_repaired_in_agencies_codes_and_signer() -> None:
    body = (
        "I. NHIỆM VỤ\n1. Sở Giáo dục và Ðào tạo chủ trì rà soát đội ngũ giáo viên theo Quyết định số 12/QÐ-UBND.\n"
        "2. Ðề nghị Ủy ban Mặt trận Tổ quốc tỉnh tuyên truyền.\n"
        "Nơi nhận:\n- Như trên;\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\nÐỗ Văn An\n"
    )
    p = plan(body)
    assert [t["lead"] for t in p["tasks"]] == [["Sở Giáo dục và Đào tạo"], ["Ủy ban Mặt trận Tổ quốc tỉnh"]]
    assert "12/QĐ-UBND" in p["tasks"][0]["text"]
    assert p["document"]["signer_name"] == "Đỗ Văn An"


# ── 2. converters' paragraph breaks; a signature block run onto the last task ────────
@pytest.mark.parametrize(
    ("lines", "expected", "origin"),
    [
        (["a<br>b", "c"], ["a", "b", "c"], [1, 1, 2]),
        (["<p>Sở Y tế chủ trì.</p><p>Sở Tài chính phối hợp.</p>"],
         ["Sở Y tế chủ trì.", "Sở Tài chính phối hợp."], [1, 1]),
        (["x. **KT. GIÁM ĐỐC**<br>**PHÓ GIÁM ĐỐC**<br><br>**Nguyễn Văn B**"],
         ["x.", "**KT. GIÁM ĐỐC**", "**PHÓ GIÁM ĐỐC**", "**Nguyễn Văn B**"], [1, 1, 1, 1]),
        (["báo cáo kết quả. KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"], ["báo cáo kết quả.", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"],
         [1, 1, 2]),
        (["1\tA<br>B\tC"], ["1\tA B\tC"], [1]),  # a cell's own lines
        (["Tổ chức hội nghị. Chủ tịch phát biểu"], ["Tổ chức hội nghị. Chủ tịch phát biểu"], [1]),  # no block
        # two columns typed with spaces (Nơi nhận beside the signature): left whole, for columns.py
        (["- Sở Nội vụ (b/c);            PHÓ CHỦ TỊCH"], ["- Sở Nội vụ (b/c);            PHÓ CHỦ TỊCH"], [1]),
    ],
)
def test_break_lines(lines: list[str], expected: list[str], origin: list[int]) -> None:
    assert break_lines(lines) == (expected, origin)


def test_signature_run_onto_the_last_task_in_markdown() -> None:
    md = (
        "# ỦY BAN NHÂN DÂN TỈNH PHÚ AN\n\nSố: 45/KH-UBND\n\nPhú An, ngày 10 tháng 2 năm 2026\n\n## KẾ HOẠCH\n\n"
        "Phát triển kinh tế - xã hội năm 2026\n\n## I. NHIỆM VỤ\n\n1. Sở Tài chính chủ trì bố trí kinh phí.\n"
        "2. Sở Nội vụ chủ trì tổng hợp, báo cáo kết quả.\n"
        "**KT. GIÁM ĐỐC**<br>**PHÓ GIÁM ĐỐC**<br><br>**Nguyễn Văn Bình**\n"
    )
    p = extract(read_bytes("x.md", md.encode())).as_dict()
    assert [t["text"] for t in p["tasks"]] == [
        "Sở Tài chính chủ trì bố trí kinh phí.",
        "Sở Nội vụ chủ trì tổng hợp, báo cáo kết quả.",
    ]
    assert (p["document"]["signer_name"], p["document"]["signer_title"]) == ("Nguyễn Văn Bình", "Phó Giám đốc")
    assert p["tasks"][1]["source"]["line"] == 8


# ── 7. the closing formula is no task; the request before it is ──────────────────────
ORG = "III. TỔ CHỨC THỰC HIỆN\n1. Sở Tài chính chủ trì thẩm định phương án giá.\n"


@pytest.mark.parametrize(
    "closing",
    [
        "Quá trình tổ chức thực hiện nếu có vướng mắc, đề nghị phản ánh về Sở Nông nghiệp và Môi trường để tổng hợp.",
        "Trong quá trình triển khai, nếu có khó khăn, vướng mắc phát sinh, các đơn vị báo cáo về Sở Tài chính.",
        "Trong quá trình thực hiện Kế hoạch có vướng mắc, kịp thời phản ánh về Văn phòng Ủy ban nhân dân tỉnh.",
        "Nhận được Kế hoạch này, đề nghị các cơ quan, đơn vị nghiêm túc triển khai thực hiện.",
        "Trên đây là Kế hoạch phát triển kinh tế - xã hội năm 2026 của Ủy ban nhân dân tỉnh.",
    ],
)
def test_closing_formula_no_task(closing: str) -> None:
    request = "2. Đề nghị Hội Nông dân tỉnh vận động hội viên tham gia thực hiện Kế hoạch.\n"
    found = tasks(ORG + request + closing + "\n")
    assert [t["text"] for t in found] == [
        "Sở Tài chính chủ trì thẩm định phương án giá.",
        "Đề nghị Hội Nông dân tỉnh vận động hội viên tham gia thực hiện Kế hoạch.",
    ]
    assert found[1]["lead"] == ["Hội Nông dân tỉnh"]


def test_difficulties_in_work_stay_a_task() -> None:
    # work that handles difficulties is no closing formula
    found = texts(ORG + "2. Sở Xây dựng chủ trì tháo gỡ khó khăn, vướng mắc cho các dự án nhà ở xã hội.\n")
    assert found[-1] == "Sở Xây dựng chủ trì tháo gỡ khó khăn, vướng mắc cho các dự án nhà ở xã hội."


def rows(body: str) -> list[tuple]:
    return [(t["text"], t["lead"], t["deadline"] and t["deadline"]["text"] + ".") for t in tasks(body)]


# ── 3. a numbered item with its paragraphs up to its time line; its sub-items ─────────
@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            "II. NHIỆM VỤ\n4.1. Sở Xây dựng: Chủ trì rà soát quy hoạch đô thị.\nThời gian thực hiện: Quý II/2026.\n"
            "4.2. Sở Tài chính: Chủ trì bố trí kinh phí thực hiện.\nHằng năm, tổng hợp dự toán gửi Sở để thẩm định.\n"
            "Thời gian thực hiện: Quý III/2026.\n4.2.1. Sở Tài chính: Hướng dẫn các đơn vị lập dự toán chi tiết.\n"
            "Thời gian thực hiện: Quý IV/2026.\n",
            [
                ("Sở Xây dựng: Chủ trì rà soát quy hoạch đô thị.", ["Sở Xây dựng"], "Quý II/2026."),
                ("Sở Tài chính: Chủ trì bố trí kinh phí thực hiện. Hằng năm, tổng hợp dự toán gửi Sở để thẩm định.",
                 ["Sở Tài chính"], "Quý III/2026."),
                ("Sở Tài chính: Hướng dẫn các đơn vị lập dự toán chi tiết.", ["Sở Tài chính"], "Quý IV/2026."),
            ],
        ),
        (  # no paragraph; sub-items that name no agency take the item's
            "II. NHIỆM VỤ\n2.1. Sở Y tế: Chủ trì xây dựng quy trình khám sàng lọc.\n"
            "Thời gian hoàn thành: Tháng 6/2026.\n"
            "2.1.1. Tập huấn cho cán bộ y tế cơ sở.\nThời gian hoàn thành: Tháng 8/2026.\n"
            "2.1.2. Kiểm tra việc thực hiện tại các trạm y tế.\nThời gian hoàn thành: Tháng 11/2026.\n",
            [
                ("Sở Y tế: Chủ trì xây dựng quy trình khám sàng lọc.", ["Sở Y tế"], "Tháng 6/2026."),
                ("Tập huấn cho cán bộ y tế cơ sở.", ["Sở Y tế"], "Tháng 8/2026."),
                ("Kiểm tra việc thực hiện tại các trạm y tế.", ["Sở Y tế"], "Tháng 11/2026."),
            ],
        ),
        (  # two paragraphs, then the time line: one task
            "II. NHIỆM VỤ\n3.1. Sở Nội vụ: Chủ trì rà soát vị trí việc làm.\n"
            "Tổng hợp nhu cầu biên chế của các cơ quan.\nĐề xuất phương án điều chỉnh.\n"
            "Thời gian thực hiện: Quý I/2027.\n3.2. Sở Tư pháp: Chủ trì thẩm định văn bản.\n"
            "Thời gian thực hiện: Thường xuyên.\n",
            [
                ("Sở Nội vụ: Chủ trì rà soát vị trí việc làm. Tổng hợp nhu cầu biên chế của các cơ quan. "
                 "Đề xuất phương án điều chỉnh.", ["Sở Nội vụ"], "Quý I/2027."),
                ("Sở Tư pháp: Chủ trì thẩm định văn bản.", ["Sở Tư pháp"], "Thường xuyên."),
            ],
        ),
    ],
)
def test_numbered_item_up_to_its_time_line(body: str, expected: list[tuple]) -> None:
    assert rows(body) == expected


# ── 9. a time written as a clause of the task keeps the task's text whole ──────────────
@pytest.mark.parametrize(
    ("line", "due"),
    [
        ("1. Sở Y tế chủ trì kiểm tra an toàn thực phẩm; thời gian: Quý II và quý IV năm 2027.", "2027-12-31"),
        ("1. Sở Công Thương tổ chức hội chợ; thời gian thực hiện: tháng 9/2026.", "2026-09-30"),
        ("1. Sở Nội vụ rà soát biên chế; thời hạn hoàn thành: trước ngày 30/6/2026.", "2026-06-30"),
    ],
)
def test_inline_time_clause_kept_in_text(line: str, due: str) -> None:
    [t] = tasks("II. NHIỆM VỤ\n" + line + "\n")
    assert t["text"] == line[3:]
    assert t["deadline"]["due"] == due


def test_time_line_run_onto_the_item_still_cut() -> None:
    # a `Thời gian thực hiện:` line joined to the item (a sentence of its own) is the item's field, as before
    [t] = tasks("II. NHIỆM VỤ\n1. Sở Y tế chủ trì kiểm tra an toàn thực phẩm. Thời gian thực hiện: Quý II/2026.\n")
    assert t["text"] == "Sở Y tế chủ trì kiểm tra an toàn thực phẩm."
    assert t["deadline"]["due"] == "2026-06-30"


def sections(body: str) -> list[tuple[str, str]]:
    return [(t["section"], t["text"]) for t in tasks(body)]


# ── 4. a bullet after a list of whole points stands beside the list ──────────────────
@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            "II. NHIỆM VỤ\n1. Tổ chức triển khai\na) Sở Nội vụ chủ trì xây dựng kế hoạch đào tạo;\n"
            "b) Sở Tài chính bố trí kinh phí;\nc) Rà soát các văn bản quy phạm pháp luật liên quan.\n"
            "- Tổ chức sơ kết việc thực hiện vào cuối năm 2026.\n",
            [
                ("Tổ chức triển khai", "Sở Nội vụ chủ trì xây dựng kế hoạch đào tạo;"),
                ("Tổ chức triển khai", "Sở Tài chính bố trí kinh phí;"),
                ("Tổ chức triển khai", "Rà soát các văn bản quy phạm pháp luật liên quan."),
                ("Tổ chức triển khai", "Tổ chức sơ kết việc thực hiện vào cuối năm 2026."),
            ],
        ),
        (  # `(1)`, `(2)` points, then `+` bullets
            "II. NHIỆM VỤ\n2. Phát triển du lịch\n(1) Xây dựng sản phẩm du lịch đặc thù.\n(2) Quảng bá điểm đến.\n"
            "+ Tổ chức đoàn khảo sát các tuyến du lịch.\n+ Đánh giá kết quả năm 2026.\n",
            [
                ("Phát triển du lịch", "Xây dựng sản phẩm du lịch đặc thù."),
                ("Phát triển du lịch", "Quảng bá điểm đến."),
                ("Phát triển du lịch", "Tổ chức đoàn khảo sát các tuyến du lịch."),
                ("Phát triển du lịch", "Đánh giá kết quả năm 2026."),
            ],
        ),
        (  # negative: points that are titles hold the bullets under them
            "II. NHIỆM VỤ\n1. Tổ chức triển khai\na) Về tuyên truyền\n- Phát hành tờ rơi.\nb) Về kiểm tra\n"
            "- Kiểm tra định kỳ các cơ sở.\n",
            [("Về tuyên truyền", "Phát hành tờ rơi."), ("Về kiểm tra", "Kiểm tra định kỳ các cơ sở.")],
        ),
        (  # negative: a point that introduces its bullets with `:`
            "II. NHIỆM VỤ\n1. Tổ chức triển khai\na) Rà soát văn bản;\nb) Tổ chức các hoạt động sau:\n"
            "- Hội thảo chuyên đề.\n- Tập huấn cán bộ.\n",
            [
                ("Tổ chức triển khai", "Rà soát văn bản;"),
                ("Tổ chức các hoạt động sau", "Hội thảo chuyên đề."),
                ("Tổ chức các hoạt động sau", "Tập huấn cán bộ."),
            ],
        ),
    ],
)
def test_bullet_after_whole_points(body: str, expected: list[tuple[str, str]]) -> None:
    assert sections(body) == expected


# ── 10. a Party plan's heading (Hướng dẫn 36) ───────────────────────────────────────
BODY = "I. NHIỆM VỤ\n1. Sở Tài chính chủ trì bố trí kinh phí.\n"


@pytest.mark.parametrize(
    ("head", "issuer", "number"),
    [
        ("ĐẢNG BỘ TỈNH QUẢNG TRỊ\tĐẢNG CỘNG SẢN VIỆT NAM\nTỈNH ỦY\n*\n"
         "Số 45-KH/TU\tĐông Hà, ngày 10 tháng 2 năm 2026\n",
         "Tỉnh ủy Quảng Trị", "45-KH/TU"),
        ("ĐẢNG BỘ TỈNH GIA LAI\nTỈNH ỦY\n*\nSố 112-KH/TU\nĐẢNG CỘNG SẢN VIỆT NAM\nGia Lai, ngày 3 tháng 3 năm 2026\n",
         "Tỉnh ủy Gia Lai", "112-KH/TU"),
        ("ĐẢNG BỘ THÀNH PHỐ HÀ NỘI\nTHÀNH ỦY\n*\nSố 07-CTr/TU\nĐẢNG CỘNG SẢN VIỆT NAM\n"
         "Hà Nội, ngày 5 tháng 1 năm 2026\n",
         "Thành ủy Hà Nội", "07-CTr/TU"),
    ],
)
def test_party_heading(head: str, issuer: str, number: str) -> None:
    doc = plan(BODY, head + "KẾ HOẠCH\nvề phát triển du lịch\n")["document"]
    assert (doc["issuer"], doc["number"]) == (issuer, number)


# ── 11. the documents a plan implements: what `Thực hiện` names, not the `căn cứ` bases ──
OWN_HEAD = (
    "ỦY BAN NHÂN DÂN\nTỈNH PHÚ AN\nSố: 45/KH-UBND\nPhú An, ngày 10 tháng 2 năm 2026\n"
    "KẾ HOẠCH\nTriển khai chuyển đổi số năm 2026\n"
)


@pytest.mark.parametrize(
    ("opening", "implements"),
    [
        ("Thực hiện Công văn số 2450/BTTTT-THH ngày 05/8/2025 của Bộ Thông tin và Truyền thông về hướng dẫn "
         "chuyển đổi số, Ủy ban nhân dân tỉnh ban hành Kế hoạch như sau:", ["2450/BTTTT-THH"]),
        ("Thực hiện Kế hoạch số 12/KH-UBND ngày 3/1/2026 của UBND tỉnh; căn cứ Quyết định số 99/QĐ-BYT ngày "
         "1/1/2026 của Bộ Y tế, Sở Y tế ban hành Kế hoạch như sau:", ["12/KH-UBND"]),
        ("Căn cứ Quyết định số 99/QĐ-BYT ngày 1/1/2026 của Bộ Y tế;\nThực hiện chỉ đạo của Chủ tịch UBND tỉnh tại "
         "Văn bản số 321/UBND-KGVX ngày 2/2/2026, Sở Y tế ban hành Kế hoạch như sau:", ["321/UBND-KGVX"]),
        ("Thực hiện Nghị quyết số 01/NQ-CP ngày 8/1/2026 của Chính phủ, căn cứ Thông tư số 15/2025/TT-BTC của Bộ "
         "Tài chính, Ủy ban nhân dân tỉnh ban hành Kế hoạch như sau:", ["01/NQ-CP"]),
        ("Căn cứ Quyết định số 99/QĐ-BYT ngày 1/1/2026 của Bộ Y tế, Ủy ban nhân dân tỉnh ban hành Kế hoạch:", []),
    ],
)
def test_implements_what_the_opening_carries_out(opening: str, implements: list[str]) -> None:
    assert plan(opening + "\n" + BODY, OWN_HEAD)["document"]["implements"] == implements


# ── 12. a target without a number in an indicator list ─────────────────────────────
def indicators(body: str) -> list[tuple[str, list[str]]]:
    return [(i["text"], [t["comparator"] for t in i["targets"]]) for i in plan(body)["indicators"]]


TASKS_PART = "II. NHIỆM VỤ\n1. Sở Tài chính chủ trì bố trí kinh phí.\n"


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            "I. MỤC TIÊU\n1. Mục tiêu chung\nPhát triển nông thôn bền vững.\n2. Chỉ tiêu cụ thể\n"
            "(1) Giữ vững chuẩn nông thôn mới nâng cao;\n(2) Thu nhập bình quân đạt 80 triệu đồng/người/năm;\n"
            "(3) Không để phát sinh hộ nghèo mới.\n",
            [
                ("Giữ vững chuẩn nông thôn mới nâng cao", ["qualitative"]),
                ("Thu nhập bình quân đạt 80 triệu đồng/người/năm", ["="]),
                ("Không để phát sinh hộ nghèo mới", ["qualitative"]),
            ],
        ),
        (
            "I. CHỈ TIÊU\n1. Duy trì 100% xã đạt chuẩn nông thôn mới;\n2. Đảm bảo an ninh lương thực trên địa bàn;\n"
            "3. Tỷ lệ che phủ rừng đạt 45%.\n",
            [
                ("Duy trì 100% xã đạt chuẩn nông thôn mới", ["="]),
                ("Đảm bảo an ninh lương thực trên địa bàn", ["qualitative"]),
                ("Tỷ lệ che phủ rừng đạt 45%", ["="]),
            ],
        ),
        (  # negative: subject headings and work under an indicator heading are no indicators
            "I. CHỈ TIÊU\n1. Về kinh tế\n- Tăng trưởng GRDP đạt 8%.\n2. Về xã hội\n- Tăng cường công tác giảm nghèo.\n",
            [("Tăng trưởng GRDP đạt 8%", ["="])],
        ),
        (  # negative: a general objective lists no indicators
            "I. MỤC TIÊU\n1. Mục tiêu chung\n(1) Giữ vững ổn định chính trị;\n(2) Phát triển văn hóa.\n",
            [],
        ),
    ],
)
def test_qualitative_indicators(body: str, expected: list[tuple[str, list[str]]]) -> None:
    assert indicators(body + TASKS_PART) == expected


# ── 5. monitoring as the work of an assigned body is a task ─────────────────────────
@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            "III. TỔ CHỨC THỰC HIỆN\n1. Sở Công Thương chủ trì, phối hợp với Cục Quản lý thị trường theo dõi sát "
            "diễn biến giá cả, kịp thời đề xuất biện pháp bình ổn thị trường.\n"
            "2. Sở Tài chính chủ trì thẩm định giá.\n",
            [(["Sở Công Thương"], ["Cục Quản lý thị trường"]), (["Sở Tài chính"], [])],
        ),
        (
            "II. NHIỆM VỤ\n1. Bình ổn thị trường\n- Sở Công Thương theo dõi sát diễn biến cung cầu hàng hóa.\n"
            "- Sở Tài chính theo dõi, kiểm tra việc niêm yết giá.\n",
            [(["Sở Công Thương"], []), (["Sở Tài chính"], [])],
        ),
    ],
)
def test_monitoring_as_work(body: str, expected: list[tuple]) -> None:
    found = tasks(body)
    assert [(t["lead"], t["coordinate"]) for t in found] == expected
    assert all(not t["monitor"] for t in found)


# ── 6. an item that reports and assigns other work: a task and a duty ─────────────────
@pytest.mark.parametrize(
    "item",
    [
        "Các sở, ngành gửi báo cáo sơ kết về Sở Nội vụ trước ngày 20/11/2026; đề xuất khen thưởng tập thể, "
        "cá nhân tiêu biểu.",
        "UBND các xã tổng hợp, gửi báo cáo kết quả về Sở Nội vụ trước ngày 15/12 hằng năm; biểu dương, khen thưởng "
        "các tập thể tiêu biểu.",
        "Các đơn vị báo cáo kết quả thực hiện về Sở Y tế trước ngày 10/12/2026; nhân rộng các mô hình hiệu quả.",
    ],
)
def test_report_and_other_work(item: str) -> None:
    p = plan(ORG + "2. " + item + "\n")
    assert [t["text"] for t in p["tasks"]][-1] == item
    assert len(p["reporting"]) == 1


@pytest.mark.parametrize(
    "item",
    [
        "Các sở, ngành báo cáo kết quả thực hiện về Sở Nội vụ trước ngày 20/11/2026; số liệu tính đến 15/11.",
        "UBND các xã gửi báo cáo kết quả về Sở Nội vụ; thời hạn trước ngày 15/12 hằng năm.",
    ],
)
def test_report_only_is_no_task(item: str) -> None:
    p = plan(ORG + "2. " + item + "\n")
    assert [t["text"] for t in p["tasks"]] == ["Sở Tài chính chủ trì thẩm định phương án giá."]
    assert len(p["reporting"]) == 1


# ── 8. pointer lines and bare time lines are no tasks ───────────────────────────────
TABLE = "TT\tNhiệm vụ\tĐơn vị chủ trì\tThời gian\n1\tRà soát quy hoạch\tSở Xây dựng\tQuý II/2026\n"


@pytest.mark.parametrize(
    "pointer",
    ["Phân công nhiệm vụ cụ thể như bảng sau:", "Các nhiệm vụ cụ thể như sau:", "Nội dung chi tiết theo bảng sau:"],
)
def test_pointer_line_no_task(pointer: str) -> None:
    assert texts("II. NHIỆM VỤ\n" + pointer + "\n" + TABLE) == ["Rà soát quy hoạch"]


@pytest.mark.parametrize(
    ("time", "due"),
    [
        ("Thời gian thực hiện Quý III/2026.", "2026-09-30"),
        ("Hoàn thành trước ngày 30/9/2026.", "2026-09-30"),
        ("Thời hạn hoàn thành - tháng 10/2026", "2026-10-31"),
        ("Trong quý IV năm 2026.", "2026-12-31"),
    ],
)
def test_bare_time_line_closes_its_item(time: str, due: str) -> None:
    body = "II. NHIỆM VỤ\n1. Sở Y tế chủ trì kiểm tra an toàn thực phẩm.\n" + time + "\n"
    [t] = tasks(body)
    assert t["text"] == "Sở Y tế chủ trì kiểm tra an toàn thực phẩm."
    assert t["deadline"]["due"] == due


def test_time_in_a_sentence_is_no_time_line() -> None:
    body = "II. NHIỆM VỤ\n1. Tổ chức hội nghị\nTrong quý IV năm 2026, Sở Nội vụ tổ chức hội nghị sơ kết.\n"
    assert texts(body) == ["Trong quý IV năm 2026, Sở Nội vụ tổ chức hội nghị sơ kết."]


def test_bullet_naming_its_agency_is_no_activity_description() -> None:
    body = (
        "II. NHIỆM VỤ\n1. Tuyên truyền\n- Sở Văn hóa, Thể thao và Du lịch chủ trì tuyên truyền.\n"
        "- Thời gian: Quý II/2026.\n"
    )
    expected = [("Tuyên truyền", ["Sở Văn hóa, Thể thao và Du lịch"])]
    assert [(t["section"], t["lead"]) for t in tasks(body)] == expected
