"""The kinds of time a task or a report states, table by table, on invented phrasings.

Each table is one construction of Vietnamese administrative text (a recurrence, a period written in
prose, the day of a submission, the reach of a time line closing a group, a time counted from an
event, the body and period of a report), with negative rows that must keep their old reading.
"""

from __future__ import annotations

import pytest

from kehoach.extract import extract
from kehoach.extract.deadlines import parse_deadline, prose_deadline
from kehoach.extract.timing import covers, points_named, relative_time, timing_clause, without_exception
from kehoach.read import Source


def plan(body: str, year: int = 2027) -> dict:
    head = (
        f"ỦY BAN NHÂN DÂN\nTỈNH HÀ ĐÔNG\nSố: 41/KH-UBND\nHà Đông, ngày 12 tháng 1 năm {year}\n"
        f"KẾ HOẠCH\nNâng cao hiệu quả quản lý đô thị năm {year}\n"
    )
    return extract(Source("invented.txt", head + body)).as_dict()


def _due(d: object) -> str | None:
    due = getattr(d, "due", None)
    return due.isoformat() if due else None


# --- 1. recurrence ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "written",
    [
        "Hằng tuần",
        "Hàng ngày trong mùa bão",
        "Mỗi quý",
        "Vào ngày thứ Sáu cuối mỗi tháng",
        "Định kỳ 6 tháng",
        "Định kỳ hằng tháng",
        "Hàng quý",
        "Liên tục",
    ],
)
def test_a_time_field_that_comes_back_is_recurring(written: str) -> None:
    d = parse_deadline(written, 2027)
    assert d is not None and d.recurring and d.due is None and d.text == written


@pytest.mark.parametrize(
    ("text", "clause"),
    [
        ("Kiểm tra an toàn thực phẩm tại các chợ; thực hiện thường xuyên.", "thực hiện thường xuyên"),
        ("Rà soát hồ sơ đất đai; triển khai hằng quý.", "triển khai hằng quý"),
        ("Tuần tra bảo vệ rừng, duy trì hằng ngày.", "duy trì hằng ngày"),
        ("Cập nhật cơ sở dữ liệu giá (thực hiện hàng tháng).", "thực hiện hàng tháng"),
        ("Tổ chức đối thoại với doanh nghiệp. Định kỳ hằng quý.", "Định kỳ hằng quý"),
    ],
)
def test_a_clause_that_only_says_how_often_makes_the_task_recurring(text: str, clause: str) -> None:
    assert timing_clause(text) == clause
    d = prose_deadline(text, 2027)
    assert d is not None and d.recurring and d.due is None


@pytest.mark.parametrize(
    "text",
    [
        # the period is the work's wording (the development keys: `đánh giá cán bộ hằng năm` is no deadline)
        "Cập nhật bản tin thời tiết hằng tuần trên cổng thông tin điện tử.",
        "Xây dựng kế hoạch hằng năm của Sở trình Ủy ban nhân dân tỉnh.",
        "Đánh giá, xếp loại cán bộ, công chức hằng năm.",
        "Duy trì kiểm tra thường xuyên, định kỳ trong suốt mùa mưa.",
        "Tăng cường thanh tra, kiểm tra thường xuyên, đột xuất.",
        "Hằng năm, chủ động xây dựng kế hoạch thanh tra.",
        "Triệt để tiết kiệm chi thường xuyên.",
    ],
)
def test_a_period_inside_the_works_wording_is_no_deadline(text: str) -> None:
    assert timing_clause(text) is None
    assert prose_deadline(text, 2027) is None


# --- 2. a period written in prose ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "due"),
    [
        ("Lập quy hoạch phân khu; triển khai giai đoạn 2027-2028.", "2028-12-31"),
        ("Khảo sát hiện trạng; thực hiện trong năm 2028.", "2028-12-31"),
        ("Nâng cấp trạm bơm Yên Sở (quý I/2027).", "2027-03-31"),
        ("Cải tạo vỉa hè các tuyến phố chính (Quý III/2027).", "2027-09-30"),
        ("Hoàn thành lắp đặt camera giám sát trong năm 2027.", "2027-12-31"),
        ("Xây dựng 3 trường học đạt chuẩn trong 6 tháng cuối năm 2027.", "2027-12-31"),
        ("Phấn đấu đến năm 2030 có 100% xã có nhà văn hóa.", "2030-12-31"),
        ("Phấn đấu đến hết năm 2028 thu gom 95% rác thải.", "2028-12-31"),
        ("Phấn đấu đến 31/10/2027 giải ngân đạt 80% kế hoạch vốn.", "2027-10-31"),
        ("Tổ chức 5 lớp tập huấn nghiệp vụ trong năm 2027.", "2027-12-31"),
        ("Triển khai thí điểm từ tháng 3/2027 đến tháng 9/2027.", "2027-09-30"),
        ("Thu gom rác thải từ quý II/2027 đến hết năm 2028.", "2028-12-31"),
        ("Nâng cấp đường tỉnh 12 (2027-2028).", "2028-12-31"),
        ("Xây dựng kè chống sạt lở (Thời gian: quý I/2027).", "2027-03-31"),
    ],
)
def test_a_period_written_in_prose(text: str, due: str) -> None:
    assert _due(prose_deadline(text, 2027)) == due


@pytest.mark.parametrize(
    "text",
    [
        # a year inside a cited document or a purpose, not a time of the work
        "Triển khai Quyết định số 15/QĐ-UBND ngày 20/3/2026 của Ủy ban nhân dân tỉnh.",
        "Nâng cao chất lượng nguồn nhân lực (giai đoạn 2021-2025 đã đạt 70%) cho ngành du lịch.",
        "Tuyên truyền về Chiến lược phát triển đến năm 2030.",
        # a year that qualifies a noun inside the sentence, not the end of the work
        "Tổ chức tập huấn trong năm 2027 cho cán bộ cấp xã về chuyển đổi số",
        "Sửa chữa các hạng mục năm 2026 và các năm tiếp theo.",
    ],
)
def test_a_year_that_is_no_time_of_the_work(text: str) -> None:
    assert prose_deadline(text, 2027) is None


# --- 3. the day of a submission or a one-off report ---------------------------------------------


@pytest.mark.parametrize(
    ("text", "due"),
    [
        ("Xây dựng đề án vị trí việc làm, trình UBND tỉnh trước ngày 10/9/2027.", "2027-09-10"),
        ("Rà soát văn bản quy phạm; báo cáo kết quả về Sở Tài chính trước ngày 25 tháng 11 năm 2027.", "2027-11-25"),
        ("Tổng kiểm kê tài sản công, gửi báo cáo về Sở Tài chính chậm nhất ngày 15/8/2027.", "2027-08-15"),
        # the work's own day beats the report's
        (
            "Hoàn thành số hóa hồ sơ trước ngày 30/6/2027; báo cáo kết quả về Sở Nội vụ trước ngày 15/7/2027.",
            "2027-06-30",
        ),
    ],
)
def test_the_day_of_a_submission_is_the_tasks_when_it_names_no_other(text: str, due: str) -> None:
    assert _due(prose_deadline(text, 2027)) == due


@pytest.mark.parametrize(
    "text",
    [
        # the day of a periodic report stays the report's
        "Triển khai mô hình; báo cáo năm về Sở Tài chính trước ngày 15/12/2027.",
        "Tổ chức thực hiện; định kỳ hằng quý báo cáo kết quả về Sở Nội vụ trước ngày 10/12/2027.",
        "Theo dõi tiến độ, báo cáo quý (trước ngày 15/9/2027) gửi Sở Xây dựng.",
    ],
)
def test_the_day_of_a_periodic_report_is_no_deadline(text: str) -> None:
    assert prose_deadline(text, 2027) is None


# --- 4. the reach of a time line closing a group ------------------------------------------------


@pytest.mark.parametrize(
    ("label", "points"),
    [
        ("Thời gian thực hiện điểm b", {"b"}),
        ("Thời hạn nội dung a, c", {"a", "c"}),
        ("Thời gian hoàn thành mục a và đ", {"a", "đ"}),
        ("Thời gian thực hiện", None),
        ("Thời hạn chung cho mục này", None),
    ],
)
def test_the_points_a_time_line_names(label: str, points: set[str] | None) -> None:
    assert points_named(label) == points


@pytest.mark.parametrize(
    ("label", "written", "point", "own", "reaches"),
    [
        ("Thời gian thực hiện điểm b", "Năm 2027", "b", False, True),
        ("Thời gian thực hiện điểm b", "Năm 2027", "a", False, False),
        ("Thời gian thực hiện điểm b", "Năm 2027", None, False, False),
        ("Thời hạn chung", "Quý III/2027, trừ các nội dung đã ghi thời hạn riêng", "a", True, False),
        ("Thời hạn chung", "Quý III/2027, trừ các nội dung đã ghi thời hạn riêng", "a", False, True),
        ("Thời hạn chung", "Quý III/2027 (ngoại trừ nhiệm vụ có thời gian cụ thể)", "b", True, False),
        # a time line that does not yield replaces a time read from prose, as before
        ("Thời gian thực hiện", "Quý III/2027", "a", True, True),
    ],
)
def test_whether_a_time_line_reaches_a_task(
    label: str, written: str, point: str | None, own: bool, reaches: bool
) -> None:
    assert covers(label, written, point, own) is reaches


@pytest.mark.parametrize(
    ("written", "kept"),
    [
        ("Quý III/2027, trừ các nội dung đã ghi thời hạn riêng", "Quý III/2027"),
        ("Năm 2027 (ngoại trừ nhiệm vụ có thời gian cụ thể)", "Năm 2027"),
        ("Quý IV/2027", "Quý IV/2027"),
    ],
)
def test_a_time_lines_exception_is_no_part_of_its_time(written: str, kept: str) -> None:
    assert without_exception(written) == kept


def test_a_general_time_line_and_a_time_line_for_one_point() -> None:
    p = plan(
        "II. NHIỆM VỤ VÀ GIẢI PHÁP\n1. Cải cách thủ tục hành chính\na) Sở Nội vụ rà soát thủ tục nội bộ.\n"
        "b) Sở Tư pháp kiểm tra văn bản, hoàn thành trong tháng 5/2027.\n"
        "Thời hạn chung cho mục này: Quý III/2027, trừ các nội dung đã ghi thời hạn riêng.\n"
        "2. Chuyển đổi số\na) Sở Khoa học và Công nghệ số hóa hồ sơ.\nb) Sở Tài chính lập dự toán.\n"
        "c) Sở Y tế triển khai bệnh án điện tử.\nThời gian thực hiện điểm b: Năm 2027.\n"
    )
    got = [(t["text"][:12], t["deadline"] and t["deadline"]["due"]) for t in p["tasks"]]
    assert got == [
        ("Sở Nội vụ rà", "2027-09-30"),
        ("Sở Tư pháp k", "2027-05-31"),
        ("Sở Khoa học ", None),
        ("Sở Tài chính", "2027-12-31"),
        ("Sở Y tế triể", None),
    ]


# --- 5. a time counted from an event ------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "trong vòng 15 ngày kể từ ngày Kế hoạch được ban hành",
        "chậm nhất 30 ngày sau khi Bộ Nội vụ ban hành hướng dẫn",
        "trong thời hạn 10 ngày làm việc kể từ ngày nhận được hồ sơ",
        "không quá 03 tháng kể từ khi dự án được phê duyệt",
        "trong thời gian 10 ngày sau khi nhận được văn bản của Bộ Tài chính",
    ],
)
def test_a_time_counted_from_an_event(text: str) -> None:
    assert relative_time(f"Các sở xây dựng kế hoạch {text}.") == text
    d = parse_deadline(text, 2027)
    assert d is not None and d.due is None and d.condition == text
    found = prose_deadline(f"Xây dựng kế hoạch chi tiết {text}.", 2027)
    assert found is not None and found.due is None and found.condition == text


@pytest.mark.parametrize(
    "text",
    [
        "trong vòng 15 ngày kể từ ngày 01/7/2027",  # counted from a date: no event to wait for
        "tổ chức 15 ngày hội văn hóa",
    ],
)
def test_no_event_to_wait_for(text: str) -> None:
    assert relative_time(text) is None


# --- 6-10. reporting ----------------------------------------------------------------------------


def duties_of(body: str) -> list[dict]:
    return plan(f"III. TỔ CHỨC THỰC HIỆN\n{body}")["reporting"]


@pytest.mark.parametrize(
    ("item", "recipient"),
    [
        ("1. Các phòng chuyên môn định kỳ báo cáo Giám đốc Sở kết quả thực hiện.", "Giám đốc Sở"),
        ("1. Các đơn vị thuộc Sở hằng quý báo cáo Phó Giám đốc Sở phụ trách.", "Phó Giám đốc Sở"),
        ("1. Các Vụ định kỳ 6 tháng báo cáo Bộ trưởng kết quả thực hiện.", "Bộ trưởng"),
        # a title with the body's name names the body
        ("1. Các trạm định kỳ báo cáo Giám đốc Sở Xây dựng kết quả thực hiện.", "Sở Xây dựng"),
    ],
)
def test_a_recipient_named_by_a_title_keeps_it(item: str, recipient: str) -> None:
    [duty] = duties_of(item + "\n")
    assert duty["recipient"] == recipient


@pytest.mark.parametrize(
    ("bullet", "recipient"),
    [
        ("Báo cáo kết quả thực hiện về Sở Nội vụ để tổng hợp.", "Sở Nội vụ"),
        ("Định kỳ hằng quý báo cáo kết quả về Sở Y tế.", "Sở Y tế"),
        # what is reported written at length before the body it goes to
        (
            "Báo cáo kết quả, tiến độ thực hiện các nhiệm vụ được giao tại Kế hoạch này và những khó khăn, vướng mắc "
            "phát sinh về Sở Nội vụ để tổng hợp.",
            "Sở Nội vụ",
        ),
        ("Báo cáo kết quả thực hiện Kế hoạch về Sở Nội vụ (qua Phòng Cải cách hành chính).", "Sở Nội vụ"),
        (
            "Gửi báo cáo kết quả thực hiện về Văn phòng Ủy ban nhân dân tỉnh trước ngày 10/12.",
            "Văn phòng Ủy ban nhân dân tỉnh",
        ),
    ],
)
def test_a_subjectless_report_under_a_heading(bullet: str, recipient: str) -> None:
    [duty] = duties_of(f"1. Ủy ban nhân dân cấp xã:\n- Tổ chức tuyên truyền Kế hoạch.\n- {bullet}\n")
    assert (duty["reporters"], duty["recipient"]) == (["Ủy ban nhân dân cấp xã"], recipient)


def test_a_periodic_report_and_a_one_off_in_one_sentence() -> None:
    duties = duties_of(
        "1. Các đơn vị định kỳ hằng tháng báo cáo tiến độ về Sở Y tế; kết thúc đợt cao điểm, gửi báo cáo tổng "
        "kết về UBND tỉnh trước ngày 25/7/2027.\n"
    )
    assert [(d["recipient"], d["frequency"], d["deadlines"]) for d in duties] == [
        ("Sở Y tế", "monthly", []),
        ("Ủy ban nhân dân tỉnh", "once", ["2027-07-25"]),
    ]


@pytest.mark.parametrize(
    "formula",
    [
        "Trong quá trình triển khai, nếu có khó khăn, vướng mắc, các đơn vị kịp thời báo cáo về Sở Nội vụ để "
        "tổng hợp, báo cáo UBND tỉnh xem xét, giải quyết.",
        "Trong quá trình tổ chức thực hiện Kế hoạch, trường hợp phát sinh khó khăn, vướng mắc, các cơ quan phản "
        "ánh về Sở Tài chính để tổng hợp, báo cáo UBND tỉnh.",
        "Quá trình thực hiện nếu gặp vướng mắc, đề nghị các đơn vị phản ánh về Sở Xây dựng để được hướng dẫn.",
        "Nếu có khó khăn, vướng mắc trong quá trình triển khai, các đơn vị kịp thời báo cáo về Sở Nội vụ để tổng hợp.",
        "Trường hợp phát sinh vướng mắc trong quá trình tổ chức thực hiện, các địa phương phản ánh về Sở Tài chính.",
    ],
)
def test_the_closing_formula_is_neither_task_nor_duty(formula: str) -> None:
    for body in (
        f"1. Sở Tài chính theo dõi việc thực hiện.\n2. {formula}\n",
        f"1. {formula}\n2. Sở Tài chính theo dõi.\n",
    ):
        p = plan(f"III. TỔ CHỨC THỰC HIỆN\n{body}")
        assert not [t for t in p["tasks"] if "vướng mắc" in t["text"]]
        assert not [d for d in p["reporting"] if "vướng mắc" in d["text"]]


def test_a_report_of_difficulties_by_a_unit_is_still_a_duty() -> None:
    # not the closing formula: a unit's own duty to pass on difficulties (the gialai key's R5)
    [duty] = duties_of(
        "1. Ủy ban nhân dân cấp xã:\n- Kịp thời phản ánh những khó khăn, vướng mắc phát sinh để Sở Xây dựng "
        "hướng dẫn hoặc tổng hợp, báo cáo cấp có thẩm quyền.\n"
    )
    assert duty["recipient"] == "Sở Xây dựng"


def test_a_report_day_the_duty_holds_is_no_deadline_of_the_work() -> None:
    p = plan(
        "III. TỔ CHỨC THỰC HIỆN\n1. Sở Y tế chủ trì triển khai chiến dịch tiêm chủng; kết thúc chiến dịch, tổng hợp "
        "báo cáo kết quả gửi Bộ Y tế trước ngày 30/6/2027.\n2. Sở Nội vụ xây dựng đề án vị trí việc làm, trình UBND "
        "tỉnh trước ngày 10/9/2027.\n"
    )
    assert [t["deadline"] and t["deadline"]["due"] for t in p["tasks"]] == [None, "2027-09-10"]
    [duty] = p["reporting"]
    assert (duty["recipient"], duty["frequency"], duty["deadlines"]) == ("Bộ Y tế", "once", ["2027-06-30"])


def test_a_one_off_report_day_in_the_tasks_part_is_the_tasks() -> None:
    p = plan(
        "II. NHIỆM VỤ VÀ GIẢI PHÁP\n1. Sở Tư pháp rà soát văn bản quy phạm; báo cáo kết quả về Sở Tài chính trước "
        "ngày 25 tháng 11 năm 2027.\n"
    )
    [task] = p["tasks"]
    assert task["deadline"]["due"] == "2027-11-25"
    assert p["reporting"] == []  # in the tasks part only a periodic report is a duty


def test_a_table_without_a_time_column_reads_the_rows_own_words() -> None:
    p = plan(
        "I. MỤC ĐÍCH\nCụ thể hóa.\nII. NHIỆM VỤ, GIẢI PHÁP\nTT\tNội dung\tĐơn vị chủ trì\n"
        "1\tHoàn thành xóa nhà tạm, nhà dột nát trong năm 2027\tSở Xây dựng\n"
        "2\tNâng cao chất lượng khám chữa bệnh\tSở Y tế\n"
    )
    assert [t["deadline"] and t["deadline"]["due"] for t in p["tasks"]] == ["2027-12-31", None]


@pytest.mark.parametrize(
    ("item", "due"),
    [
        ("Quý I/2027: hoàn thành khảo sát hiện trạng.", "2027-03-31"),
        ("Năm 2028, hoàn thành cấp giấy chứng nhận quyền sử dụng đất.", "2028-12-31"),
        ("Trong năm 2027, tổ chức 5 lớp tập huấn.", "2027-12-31"),
        ("Tháng 6 năm 2027: tổ chức hội nghị sơ kết.", "2027-06-30"),
        ("Trong tháng 10/2027, ban hành quy chế phối hợp.", "2027-10-31"),
    ],
)
def test_a_time_that_opens_a_task(item: str, due: str) -> None:
    [task] = plan(f"II. NHIỆM VỤ VÀ GIẢI PHÁP\n1. Quản lý đất đai\n- {item}\n")["tasks"]
    assert task["deadline"]["due"] == due


def test_fields_under_a_heading_before_its_points_are_the_groups() -> None:
    p = plan(
        "II. NHIỆM VỤ VÀ GIẢI PHÁP\n1. Cải cách hành chính\nĐơn vị chủ trì: Sở Nội vụ.\n"
        "Thời hạn chung: Quý III/2027, trừ nhiệm vụ đã có thời hạn.\na) Rà soát thủ tục nội bộ.\n"
        "b) Kiểm tra văn bản, hoàn thành trong tháng 5/2027.\n"
    )
    got = [(t["lead"], t["deadline"] and t["deadline"]["due"]) for t in p["tasks"]]
    assert got == [(["Sở Nội vụ"], "2027-09-30"), (["Sở Nội vụ"], "2027-05-31")]
