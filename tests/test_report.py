"""The synthesis report written to DOCX, XLSX and PDF, then read back."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn
from openpyxl import load_workbook

from kehoach.errors import ReportError
from kehoach.report.chart import growth_chart_png
from kehoach.report.content import (
    DONE_LATE,
    DONE_ON_TIME,
    EXCEEDED,
    HARD,
    IN_PROGRESS,
    MET,
    OVERDUE,
    RECURRING,
    WAITING,
    DepartmentRow,
    GroupRow,
    Heading,
    IndicatorRow,
    Missing,
    Note,
    OverdueTask,
    PlanRef,
    Signature,
    SynthesisReport,
)
from kehoach.report.docx import MOTTO_1, MOTTO_2
from kehoach.report.signature import issuer_code
from kehoach.report.wording import counts_sentence
from kehoach.report.write import write_report
from kehoach.track.growth import analyse
from kehoach.vn import Period, fmt_number

GOLD = Path("/work/shared/eval/gold/002_23dbc6410858588b.json")
PREVIOUS = {
    "Nông nghiệp, lâm nghiệp và thủy sản": [4000, 3000, 3500, 4500],
    "Công nghiệp và Xây dựng": [2500, 2800, 3000, 3600],
    "Dịch vụ": [3000, 3100, 3200, 3500],
    "Thuế sản phẩm trừ trợ cấp sản phẩm": [500, 500, 520, 560],
}
ACTUAL = {
    "Nông nghiệp, lâm nghiệp và thủy sản": [1.9, 2.5],
    "Công nghiệp và Xây dựng": [11.0, 10.2],
    "Dịch vụ": [7.5, 6.0],
    "Thuế sản phẩm trừ trợ cấp sản phẩm": [4.0, 4.2],
}


def sample_report() -> SynthesisReport:
    gold = json.loads(GOLD.read_text(encoding="utf-8"))
    return SynthesisReport(
        heading=Heading("Ủy ban nhân dân tỉnh Trà Vinh", "Trà Vinh", date(2025, 7, 5)),
        plan=PlanRef(
            "Kế hoạch hành động",
            "77/QĐ-UBND",
            date(2025, 1, 18),
            "",
            "thực hiện Nghị quyết số 01/NQ-CP ngày 08/01/2025 của Chính phủ",
        ),
        period=Period.parse("2025-Q2"),
        cutoff=date(2025, 6, 30),
        signature=Signature(("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"), "Lê Văn Hảo"),
        province="Trà Vinh",
        status_counts={DONE_ON_TIME: 12, DONE_LATE: 1, IN_PROGRESS: 17, OVERDUE: 5, WAITING: 2, RECURRING: 3},
        groups=[
            GroupRow(
                "Ưu tiên thúc đẩy tăng trưởng kinh tế",
                {DONE_ON_TIME: 5, IN_PROGRESS: 10, OVERDUE: 2},
                ["Sở Tài chính (nhiệm vụ “Giải ngân vốn đầu tư công”): giải ngân đạt 45%."],
            ),
            GroupRow("Tổ chức thực hiện", {DONE_ON_TIME: 7, DONE_LATE: 1, IN_PROGRESS: 7, OVERDUE: 3}),
        ],
        departments=[
            DepartmentRow("Sở Tài chính", {DONE_ON_TIME: 8, DONE_LATE: 1, IN_PROGRESS: 10, OVERDUE: 3, WAITING: 2}),
            DepartmentRow("Sở Xây dựng", {DONE_ON_TIME: 4, IN_PROGRESS: 7, OVERDUE: 2}),
        ],
        overdue=[
            OverdueTask(
                "Xây dựng, ban hành Kế hoạch triển khai thực hiện Kế hoạch này",
                ["Sở Xây dựng"],
                date(2025, 1, 31),
                150,
                "Trước ngày 31/01/2025",
                "Chờ hướng dẫn của Bộ Xây dựng",
            )
        ],
        indicators=[
            IndicatorRow("Tăng trưởng GRDP", "%", 6.8, 7.0, 7.5, "range", 6.5, HARD, decimals=1, rate=True),
            IndicatorRow(
                "Tổng vốn đầu tư toàn xã hội", "tỷ đồng", 32345.6, 30000, None, ">=", 28000.2, EXCEEDED, 107.82
            ),
            IndicatorRow("Tỷ lệ hộ nghèo", "%", 0.9, 1.0, None, "<", 1.2, MET, estimate=True, rate=True),
        ],
        growth=analyse(gold["scenarios"][0], ACTUAL, PREVIOUS),
        difficulties=[Note("Sở Xây dựng", "Thiếu nguồn vật liệu san lấp.", "nhiệm vụ “Giải phóng mặt bằng”")],
        proposals=[Note("Sở Tài chính", "Đề nghị bổ sung vốn cho các dự án trọng điểm.")],
        missing=[Missing("Sở Y tế", ("2025-05", "2025-06"), ("2025-04",), "Các sở, ban, ngành", "Sở Tài chính")],
        recipients=["Văn phòng Chính phủ", "Bộ Tài chính", "Các sở, ban, ngành tỉnh"],
        filing="Lưu: VT, TH",
    )


def table_text(table) -> list[list[str]]:  # noqa: ANN001
    return [[c.text for c in row.cells] for row in table.rows]


def find_table(doc, first_header: str, second_header: str):  # noqa: ANN001, ANN201
    for t in doc.tables:
        head = [c.text for c in t.rows[0].cells]
        if head[0] == first_header and head[1] == second_header:
            return t
    raise AssertionError(f"no table headed {first_header} | {second_header}")


@pytest.fixture(scope="module")
def docx_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_report(sample_report(), tmp_path_factory.mktemp("r") / "bao-cao.docx")


def test_page_a4_margins_and_fonts(docx_path: Path) -> None:
    doc = Document(str(docx_path))
    s = doc.sections[0]
    mm = {
        k: round(getattr(s, k).mm, 1)
        for k in (
            "page_width",
            "page_height",
            "top_margin",
            "bottom_margin",
            "left_margin",
            "right_margin",
        )
    }
    assert (mm["page_width"], mm["page_height"]) == (210, 297)
    assert 20 <= mm["top_margin"] <= 25 and 20 <= mm["bottom_margin"] <= 25
    assert 30 <= mm["left_margin"] <= 35 and 15 <= mm["right_margin"] <= 20
    normal = doc.styles["Normal"].font
    assert normal.name == "Times New Roman" and normal.size.pt in (13, 14)
    rfonts = doc.styles["Normal"].element.rPr.find(qn("w:rFonts"))
    assert rfonts.get(qn("w:eastAsia")) == "Times New Roman"
    runs = [r for p in doc.paragraphs for r in p.runs if r.text.strip()]
    runs += [
        r
        for t in doc.tables
        for row in t.rows
        for c in row.cells
        for p in c.paragraphs
        for r in p.runs
        if r.text.strip()
    ]
    assert runs
    for r in runs:
        assert r.font.name in (None, "Times New Roman"), r.text
    body = [r for p in doc.paragraphs for r in p.runs if r.text.strip()]
    assert all(r.font.size is None or 12 <= r.font.size.pt <= 14 for r in body)


def test_heading_block_motto_number_and_date(docx_path: Path) -> None:
    doc = Document(str(docx_path))
    head = doc.tables[0]
    assert len(head.columns) == 2
    borders = head._tbl.tblPr.find(qn("w:tblBorders"))
    assert {b.get(qn("w:val")) for b in borders} == {"nil"}
    (issuer, motto), (number, place) = table_text(head)
    assert issuer.rstrip("\n") == "ỦY BAN NHÂN DÂN\nTỈNH TRÀ VINH"  # then the short rule
    assert motto == f"{MOTTO_1}\n{MOTTO_2}"
    assert MOTTO_1 == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    assert MOTTO_2 == "Độc lập - Tự do - Hạnh phúc"
    assert head.rows[0].cells[1].paragraphs[1].runs[0].underline  # the line under the motto
    assert number == "Số:      /BC-UBND"
    assert place == "Trà Vinh, ngày 05 tháng 7 năm 2025"
    assert head.rows[1].cells[1].paragraphs[0].runs[0].italic
    # The body follows the heading table; nothing comes before it.
    assert doc.element.body[0].tag == qn("w:tbl")


def test_title_outline_and_general_assessment(docx_path: Path) -> None:
    doc = Document(str(docx_path))
    texts = [p.text for p in doc.paragraphs]
    i = texts.index("BÁO CÁO")
    assert doc.paragraphs[i].runs[0].bold
    # The plan cited by what it is; the period once.
    assert texts[i + 1] == (
        "Kết quả quý II năm 2025 thực hiện Kế hoạch hành động ban hành kèm theo Quyết định số 77/QĐ-UBND "
        "ngày 18/01/2025 thực hiện Nghị quyết số 01/NQ-CP ngày 08/01/2025 của Chính phủ"
    )
    outline = [t for t in texts if t[:3] in ("I. ", "II.", "III", "IV.")]
    assert outline == [
        "I. KẾT QUẢ THỰC HIỆN",
        "II. TỒN TẠI, HẠN CHẾ VÀ NGUYÊN NHÂN",
        "III. NHIỆM VỤ TRỌNG TÂM KỲ TỚI",
        "IV. KIẾN NGHỊ, ĐỀ XUẤT",
    ]
    summary = next(t for t in texts if t.startswith("Tổng số 40 nhiệm vụ"))
    assert "13 nhiệm vụ đã hoàn thành (12 nhiệm vụ đúng hạn, 1 nhiệm vụ quá hạn)" in summary
    assert "17 nhiệm vụ đang thực hiện trong hạn; 5 nhiệm vụ chưa hoàn thành, quá hạn" in summary
    assert "2 nhiệm vụ chờ điều kiện" in summary and "3 nhiệm vụ thực hiện thường xuyên" in summary
    # 12 on time of 12 + 1 + 5 = 18 due → 66,7 %.
    assert "(18 nhiệm vụ) đạt 66,7%" in summary
    assert any(t.startswith("Tăng trưởng GRDP 6 tháng đầu năm ước đạt") for t in texts)
    # Where the data cannot speak, a marked place for the office's own words.
    places = [p for p in doc.paragraphs if p.text.startswith("[Cơ quan soạn thảo bổ sung:")]
    assert len(places) == 4 and all(r.font.highlight_color is not None for p in places for r in p.runs)
    assert "- Sở Tài chính: Đề nghị bổ sung vốn cho các dự án trọng điểm." in texts
    assert "- Sở Xây dựng (nhiệm vụ “Giải phóng mặt bằng”): Thiếu nguồn vật liệu san lấp." in texts
    assert any(t.endswith("./.") for t in texts)
    groups = [t for t in texts if t[:2] in ("a)", "b)")]
    assert groups[0].startswith("a) Ưu tiên thúc đẩy tăng trưởng kinh tế: hoàn thành 5/17 nhiệm vụ")
    assert groups[1].startswith("b) Tổ chức thực hiện: hoàn thành 8/18 nhiệm vụ (7 đúng hạn, 1 quá hạn)")


def test_department_table_adds_up(docx_path: Path) -> None:
    rows = table_text(find_table(Document(str(docx_path)), "STT", "Đơn vị chủ trì"))
    assert rows[0][2:] == [
        "Tổng số",
        "Hoàn thành đúng hạn",
        "Hoàn thành quá hạn",
        "Đang thực hiện trong hạn",
        "Chưa hoàn thành, quá hạn",
        "Chờ điều kiện, thường xuyên",
        "Tỷ lệ đúng hạn (%)",
    ]
    assert rows[1] == ["1", "Sở Tài chính", "24", "8", "1", "10", "3", "2", "66,7"]
    # Sở Xây dựng: 4 on time of 4 + 0 + 2 due = 66,7 %.
    assert rows[2] == ["2", "Sở Xây dựng", "13", "4", "0", "7", "2", "0", "66,7"]
    assert rows[3] == ["", "Cả kế hoạch", "40", "12", "1", "17", "5", "5", "66,7"]


def test_indicator_table_shows_the_comparator(docx_path: Path) -> None:
    rows = table_text(find_table(Document(str(docx_path)), "STT", "Chỉ tiêu"))
    assert rows[0][2:] == ["Đơn vị tính", "Kế hoạch", "Thực hiện", "% kế hoạch năm", "So cùng kỳ", "Đánh giá"]
    # A growth rate: its decimals as written, no % of plan, points against last year.
    assert rows[1] == ["1", "Tăng trưởng GRDP", "%", "7,0 - 7,5", "6,8", "", "0,30 điểm %", HARD]
    # 32.345,6 / 28.000,2 = 115,5 % of last year; 107,8 % of the year's plan.
    assert rows[2] == [
        "2",
        "Tổng vốn đầu tư toàn xã hội",
        "tỷ đồng",
        "≥ 30.000",
        "32.345,6",
        "107,8",
        "115,5%",
        EXCEEDED,
    ]
    # A ceiling, an estimate.
    assert rows[3][3:] == ["< 1", "0,9 (ước)", "", "-0,30 điểm %", MET]


def test_overdue_missing_and_growth_tables(docx_path: Path) -> None:
    doc = Document(str(docx_path))
    overdue = table_text(find_table(doc, "STT", "Nhiệm vụ"))
    assert overdue[1][2:] == ["Sở Xây dựng", "Trước ngày 31/01/2025", "150", "Chờ hướng dẫn của Bộ Xây dựng"]
    missing = table_text(find_table(doc, "STT", "Đơn vị"))
    assert missing[1] == [
        "1",
        "Sở Y tế (thuộc các sở, ban, ngành)",
        "tháng 5-6/2025",
        "tháng 4/2025",
        "Sở Tài chính",
    ]
    growth = table_text(find_table(doc, "STT", "Ngành kinh tế"))
    a = sample_report().growth
    assert a is not None
    total = a.total
    assert growth[1][1] == "Tổng sản phẩm trong tỉnh (GRDP)"
    assert growth[1][2:] == [
        fmt_number(v, 2)
        for v in (total.scenario["H1"], total.actual["H1"], total.gap["H1"], total.contribution["H1"], total.required)
    ]
    assert growth[1][2] == "6,95"
    assert len(doc.inline_shapes) == 1  # the chart
    captions = [p.text for p in doc.paragraphs if p.text.startswith("Biểu đồ")]
    assert captions == ["Biểu đồ: Tăng trưởng GRDP thực hiện so với kịch bản và đóng góp của các ngành"]


def test_signature_recipients_and_page_numbers(docx_path: Path) -> None:
    doc = Document(str(docx_path))
    recipients, signature = table_text(doc.tables[-1])[0]
    lines = recipients.split("\n")
    assert lines[0] == "Nơi nhận:"
    assert lines[1:] == [
        "- Văn phòng Chính phủ;",
        "- Bộ Tài chính;",
        "- Các sở, ban, ngành tỉnh;",
        "- Lưu: VT, TH.",
    ]
    sig = [x for x in signature.split("\n") if x]
    assert sig == ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Lê Văn Hảo"]
    s = doc.sections[0]
    assert s.different_first_page_header_footer
    assert "PAGE" in "".join(t.text for t in s.header._element.iter(qn("w:instrText")))
    assert not "".join(p.text for p in s.first_page_header.paragraphs).strip()


def test_headings_and_table_lead_ins_keep_with_next(docx_path: Path) -> None:
    """No heading or sentence introducing a table is left alone at the foot of a page."""
    doc = Document(str(docx_path))
    body = list(doc.element.body)
    for i, el in enumerate(body[:-1]):
        if el.tag == qn("w:p") and body[i + 1].tag == qn("w:tbl"):
            p = next(p for p in doc.paragraphs if p._p is el)
            assert p.paragraph_format.keep_with_next or not p.text, p.text
    for p in doc.paragraphs:
        if p.text[:3] in ("I. ", "II.", "III", "IV.") or p.text[:2] in ("1.", "2.", "3.", "4.", "5.", "6."):
            assert p.paragraph_format.keep_with_next, p.text
    for t in doc.tables[1:-1]:
        header = t.rows[0]._tr.trPr
        assert header.find(qn("w:tblHeader")) is not None and header.find(qn("w:cantSplit")) is not None


def test_xlsx_numbers_filters_totals_and_print_setup(tmp_path: Path) -> None:
    report = sample_report()
    path = write_report(report, tmp_path / "bao-cao.xlsx")
    wb = load_workbook(path)
    assert wb.sheetnames[:8] == [
        "Tổng hợp",
        "Theo nhóm",
        "Theo đơn vị",
        "Quá hạn",
        "Chỉ tiêu",
        "Tăng trưởng",
        "Chế độ báo cáo",
        "Kiến nghị",
    ]
    # a sheet per task group, lettered as the report letters them
    assert wb.sheetnames[8:] == ["a) Ưu tiên thúc đẩy tăng trưởng", "b) Tổ chức thực hiện"]
    dept = [[c.value for c in r] for r in wb["Theo đơn vị"].iter_rows(min_row=2)]
    assert dept[0][:8] == [1, "Sở Tài chính", 24, 8, 1, 10, 3, 2]
    assert dept[0][8] == pytest.approx(8 / 12 * 100)
    assert dept[-1][1:8] == ["Cả kế hoạch", 40, 12, 1, 17, 5, 5]  # the total row
    ind = [[c.value for c in r] for r in wb["Chỉ tiêu"].iter_rows(min_row=2)]
    assert ind[0][3:7] == ["trong khoảng", 7.0, 7.5, 6.8]  # the target as numbers, its comparator apart
    assert ind[1][1] == "Tổng vốn đầu tư toàn xã hội" and ind[1][3:5] == ["≥", 30000]
    assert ind[1][6] == 32345.6 and ind[1][8] == pytest.approx(107.82) and ind[1][9] == 28000.2
    assert ind[2][7] == "ước tính"
    assert ind[0][10] == 0.3 and ind[2][10] == -0.3  # points against last year, without the float's noise
    # each figure with its decimals as written: `7,0 - 7,5`, `30.000`, `32.345,6`
    formats = [[c.number_format for c in r][4:7] for r in wb["Chỉ tiêu"].iter_rows(min_row=2, max_row=3)]
    assert formats == [
        ["#,##0.0", "#,##0.0", "#,##0.0"],
        ["#,##0", "General", "#,##0.0"],
    ]  # no upper bound: an empty cell
    growth = wb["Tăng trưởng"]
    assert growth.cell(2, 2).value == "Tổng sản phẩm trong tỉnh (GRDP)"
    assert growth.cell(2, 3).value == pytest.approx(7.27)  # Quý I scenario
    assert report.growth is not None
    assert growth.cell(2, 4).value == pytest.approx(report.growth.total.actual["Q1"])
    assert len(growth._images) == 1  # the chart
    overdue = [c.value for c in wb["Quá hạn"][2]]
    assert overdue[4].date() == date(2025, 1, 31) and overdue[5] == 150
    missing = [[c.value for c in r] for r in wb["Chế độ báo cáo"].iter_rows(min_row=2)]
    assert missing[0][1:5] == ["Sở Y tế", "Các sở, ban, ngành", "2025-05, 2025-06", 2] and missing[-1][4] == 2
    summary = {r[0].value: r[1].value for r in wb["Tổng hợp"].iter_rows()}
    assert summary["Ngày chốt số liệu"].date() == date(2025, 6, 30) and summary["Tổng số nhiệm vụ"] == 40
    # rows as tall as their wrapped text (no application sizes them): a header of two lines, the
    # assessment of several
    assert wb["Theo đơn vị"].row_dimensions[1].height >= 2 * 15
    assessment = next(r[0].row for r in wb["Tổng hợp"].iter_rows() if r[0].value == "Đánh giá chung")
    assert wb["Tổng hợp"].row_dimensions[assessment].height >= 3 * 15
    for ws in wb.worksheets[1:]:
        assert ws.page_setup.orientation == "landscape" and ws.page_setup.paperSize == int(ws.PAPERSIZE_A4)
        assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1
        assert ws.page_setup.fitToHeight == 0
        assert ws.print_title_rows == "$1:$1", ws.title
        assert ws.auto_filter.ref and ws.auto_filter.ref.startswith("A1:"), ws.title


@pytest.mark.parametrize(
    ("issuer", "code"),
    [
        ("Ủy ban nhân dân tỉnh Trà Vinh", "UBND"),
        ("Sở Tài chính", "STC"),
        ("Sở Nông nghiệp và Môi trường", "SNNMT"),
        ("Ban Thường vụ Tỉnh ủy An Giang", "TU"),
        ("Thành ủy Thành phố Hồ Chí Minh", "ThU"),
    ],
)
def test_issuer_code(issuer: str, code: str) -> None:
    assert issuer_code(issuer) == code


def test_counts_sentence_with_nothing_done() -> None:
    assert counts_sentence({IN_PROGRESS: 3}, date(2025, 12, 31)) == (
        "Tổng số 3 nhiệm vụ; tính đến hết ngày 31/12/2025: 0 nhiệm vụ đã hoàn thành; "
        "3 nhiệm vụ đang thực hiện trong hạn; 0 nhiệm vụ chưa hoàn thành, quá hạn."
    )


def test_chart_is_png() -> None:
    a = sample_report().growth
    assert a is not None
    assert growth_chart_png(a, dpi=50).startswith(b"\x89PNG\r\n\x1a\n")


def test_unknown_format_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ReportError, match="odt"):
        write_report(sample_report(), tmp_path / "x.odt")


def test_pdf_without_libreoffice_says_what_to_do(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(ReportError, match="LibreOffice"):
        write_report(sample_report(), tmp_path / "x.pdf")
    assert not (tmp_path / "x.pdf").exists()


@pytest.mark.skipif(
    not (shutil.which("libreoffice") or shutil.which("soffice")) or not shutil.which("pdftoppm"),
    reason="LibreOffice và pdftoppm chưa được cài đặt",
)
def test_pdf_renders_to_png(tmp_path: Path) -> None:
    pdf = write_report(sample_report(), tmp_path / "bao-cao.pdf")
    assert pdf.read_bytes().startswith(b"%PDF")
    subprocess.run(["pdftoppm", "-r", "40", "-png", str(pdf), str(tmp_path / "p")], check=True)
    pages = sorted(tmp_path.glob("p-*.png"))
    assert len(pages) >= 2
    if shutil.which("pdftotext"):
        text = subprocess.run(
            ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
        ).stdout
        assert "BÁO CÁO" in text and "Độc lập - Tự do - Hạnh phúc" in text
        first, second = text.split("\f")[:2]
        assert second.strip().startswith("2")  # numbered from page 2 in the header
        assert not first.strip().startswith("1")


HEADING = re.compile(r"^(I|II|III|IV)\. [A-ZĐÂÊÔƠƯ]|^\d\. [A-ZĐ]")


def page_lines(pdf: Path) -> list[list[str]]:
    import pdfplumber

    with pdfplumber.open(pdf) as doc:
        return [[x for x in (page.extract_text() or "").splitlines() if x.strip()] for page in doc.pages]


@pytest.mark.skipif(
    not (shutil.which("libreoffice") or shutil.which("soffice")), reason="LibreOffice chưa được cài đặt"
)
def test_pdf_embeds_fonts_matching_the_docx_and_breaks_pages_as_it(tmp_path: Path) -> None:
    from kehoach.report.pdf import docx_to_pdf, pdf_fonts

    report = sample_report()
    pdf = write_report(report, tmp_path / "bao-cao.pdf")
    fonts = pdf_fonts(pdf)
    assert fonts and all(embedded for embedded in fonts.values()), fonts
    assert {name.split("-")[0].split(",")[0] for name in fonts} <= {"LiberationSerif", "TimesNewRoman"}, fonts
    # The DOCX as someone opening it in LibreOffice sees it: the same pages, starting alike.
    docx = write_report(report, tmp_path / "bao-cao.docx")
    opened = page_lines(docx_to_pdf(docx, tmp_path))
    ours = page_lines(pdf)
    assert len(opened) == len(ours) >= 2
    assert [p[:2] for p in opened] == [p[:2] for p in ours]
    # No heading or table lead-in left alone at the foot of a page.
    for lines in ours[:-1]:
        assert not HEADING.match(lines[-1]) and not lines[-1].endswith(":"), lines[-1]


def test_party_committee_heading_and_a_plan_without_number(tmp_path: Path) -> None:
    r = SynthesisReport(
        heading=Heading(
            "Tỉnh ủy An Giang",
            "An Giang",
            date(2025, 12, 20),
            party=True,
            code="TU",
            body="Ban Thường vụ Tỉnh ủy An Giang",
        ),
        plan=PlanRef("Kế hoạch", "", date(2025, 3, 5), "", "thực hiện Kết luận số 18-KL/TW"),
        period=Period.parse("2025"),
        cutoff=date(2025, 12, 20),
        signature=Signature(("T/M BAN THƯỜNG VỤ", "PHÓ BÍ THƯ THƯỜNG TRỰC"), "Nguyễn Thanh Nhân"),
        status_counts={IN_PROGRESS: 2},
        recipients=["Ban Bí thư (để báo cáo)", "Văn phòng Trung ương Đảng"],
        filing="Lưu Văn phòng Tỉnh ủy",
    )
    doc = Document(str(write_report(r, tmp_path / "tu.docx")))
    (issuer, motto), (number, place) = table_text(doc.tables[0])
    assert issuer.split("\n") == ["TỈNH ỦY AN GIANG", "*"]
    assert motto == "ĐẢNG CỘNG SẢN VIỆT NAM"
    assert doc.tables[0].rows[0].cells[1].paragraphs[0].runs[0].underline
    assert number == "Số      -BC/TU"
    assert place == "An Giang, ngày 20 tháng 12 năm 2025"
    texts = [p.text for p in doc.paragraphs]
    assert (
        texts[texts.index("BÁO CÁO") + 1]
        == "Kết quả năm 2025 thực hiện Kế hoạch ngày 05/03/2025 thực hiện Kết luận số 18-KL/TW"
    )
    assert texts[texts.index("BÁO CÁO") + 2] == "-----"  # five hyphens under the title (36-HD/VPTW)
    assert any(
        t.startswith(
            "Thực hiện Kế hoạch ngày 05/03/2025 thực hiện Kết luận số 18-KL/TW, Ban Thường vụ Tỉnh ủy An Giang báo cáo"
        )
        for t in texts
    )
    recipients, signature = table_text(doc.tables[-1])[0]
    assert recipients.split("\n") == [
        "Nơi nhận:",
        "- Ban Bí thư (để báo cáo),",
        "- Văn phòng Trung ương Đảng,",
        "- Lưu Văn phòng Tỉnh ủy.",
    ]
    assert [x for x in signature.split("\n") if x] == [
        "T/M BAN THƯỜNG VỤ",
        "PHÓ BÍ THƯ THƯỜNG TRỰC",
        "Nguyễn Thanh Nhân",
    ]
    assert "TM. ỦY BAN NHÂN DÂN" not in signature


# WordprocessingML fixes the order of these elements' children; Word rejects a file that
# breaks it even where LibreOffice renders it.
SEQUENCES = {
    "pPr": "pStyle keepNext keepLines pageBreakBefore framePr widowControl numPr suppressLineNumbers pBdr shd "
    "tabs suppressAutoHyphens kinsoku wordWrap overflowPunct topLinePunct autoSpaceDE autoSpaceDN bidi "
    "adjustRightInd snapToGrid spacing ind contextualSpacing mirrorIndents suppressOverlap jc textDirection "
    "textAlignment textboxTightWrap outlineLvl divId cnfStyle rPr sectPr pPrChange",
    "tblPr": "tblStyle tblpPr tblOverlap bidiVisual tblStyleRowBandSize tblStyleColBandSize tblW jc "
    "tblCellSpacing tblInd tblBorders shd tblLayout tblCellMar tblLook tblCaption tblDescription",
    "rPr": "rStyle rFonts b bCs i iCs caps smallCaps strike dstrike outline shadow emboss imprint noProof "
    "snapToGrid vanish webHidden color spacing w kern position sz szCs highlight u effect bdr shd fitText "
    "vertAlign rtl cs em lang eastAsianLayout specVanish oMath",
    "sectPr": "headerReference footerReference footnotePr endnotePr type pgSz pgMar paperSrc pgBorders "
    "lnNumType pgNumType cols formProt vAlign noEndnote titlePg textDirection bidi rtlGutter docGrid "
    "printerSettings sectPrChange",
}


def test_docx_elements_in_schema_order(docx_path: Path) -> None:
    import zipfile

    from lxml import etree

    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    with zipfile.ZipFile(docx_path) as z:
        parts = [n for n in z.namelist() if n.startswith("word/") and n.endswith(".xml")]
        for name in parts:
            root = etree.fromstring(z.read(name))
            for parent, order in SEQUENCES.items():
                rank = {tag: i for i, tag in enumerate(order.split())}
                for el in root.iter(f"{w}{parent}"):
                    tags = [c.tag.removeprefix(w) for c in el if c.tag.startswith(w)]
                    seen = [rank[t] for t in tags if t in rank]
                    assert seen == sorted(seen), f"{name}: {parent} children out of order: {tags}"


@pytest.mark.parametrize(
    ("actual", "previous", "captions"),
    [
        ({}, None, []),  # a scenario and no figure yet: no section, no chart, no caption
        # the total as published, no levels to weigh the sectors: no contributions, none named
        (
            {"Tổng sản phẩm trong tỉnh (GRDP)": [6.5, 7.1]},
            None,
            ["Biểu đồ: Tăng trưởng GRDP thực hiện so với kịch bản"],
        ),  # noqa: E501
        (ACTUAL, PREVIOUS, ["Biểu đồ: Tăng trưởng GRDP thực hiện so với kịch bản và đóng góp của các ngành"]),
    ],
)
def test_a_chart_caption_names_only_what_the_chart_shows(
    tmp_path: Path, actual: dict, previous: dict | None, captions: list[str]
) -> None:
    report = sample_report()
    gold = json.loads(GOLD.read_text(encoding="utf-8"))
    report.growth = analyse(gold["scenarios"][0], actual, previous)
    doc = Document(str(write_report(report, tmp_path / "bc.docx")))
    texts = [p.text for p in doc.paragraphs]
    assert [t for t in texts if t.startswith("Biểu đồ")] == captions
    assert len(doc.inline_shapes) == len(captions)
    assert any(t.endswith("Tăng trưởng kinh tế so với kịch bản") for t in texts) == bool(actual)


def test_the_number_column_is_wide_enough_for_stt_in_every_table(docx_path: Path) -> None:
    """`STT` at 12 pt bold needs 11 mm with the cell margins: narrower, it breaks into `ST` / `T`."""
    doc = Document(str(docx_path))
    for table in doc.tables[1:-1]:
        assert table.rows[0].cells[0].text == "STT"
        first = table._tbl.tblGrid.find(qn("w:gridCol"))
        assert int(first.get(qn("w:w"))) >= 11 / 25.4 * 1440 - 1, [c.text for c in table.rows[0].cells]
