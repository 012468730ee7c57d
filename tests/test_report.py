"""The synthesis report written to DOCX, XLSX and PDF, then read back."""

from __future__ import annotations

import json
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn
from openpyxl import load_workbook

from kehoach.report.chart import growth_chart_png
from kehoach.report.content import (
    EXCEEDED,
    MET,
    MISSED,
    DepartmentRow,
    GroupRow,
    IndicatorRow,
    Note,
    OverdueTask,
    ReportError,
    SynthesisReport,
    evaluate,
    issuer_code,
    overview,
    write_report,
)
from kehoach.report.docx import MOTTO_1, MOTTO_2
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
        issuer="Ủy ban nhân dân tỉnh Trà Vinh",
        province="Trà Vinh",
        plan_number="77/QĐ-UBND",
        plan_title=gold["document"]["title"],
        plan_date=date(2025, 1, 18),
        period=Period.parse("2025-Q2"),
        report_date=date(2025, 7, 5),
        status_counts={"done_on_time": 12, "done_late": 1, "in_progress": 17, "overdue": 5},
        groups=[
            GroupRow(
                "Ưu tiên thúc đẩy tăng trưởng kinh tế",
                {"done_on_time": 5, "in_progress": 10, "overdue": 2},
                ["Sở Tài chính: giải ngân vốn đầu tư công đạt 45%."],
            )
        ],
        departments=[
            DepartmentRow("Sở Tài chính", {"done_on_time": 8, "done_late": 1, "in_progress": 10, "overdue": 3}),
            DepartmentRow("Sở Xây dựng", {"done_on_time": 4, "in_progress": 7, "overdue": 2}),
        ],
        overdue=[
            OverdueTask(
                "Xây dựng, ban hành Kế hoạch triển khai thực hiện Kế hoạch này",
                ["Sở Xây dựng"],
                date(2025, 1, 31),
                155,
                "Trước ngày 31/01/2025",
                "Chờ hướng dẫn của Bộ Xây dựng",
            )
        ],
        indicators=[
            IndicatorRow("Tăng trưởng GRDP", "%", 6.8, 7.0, 7.5, "range", 6.5),
            IndicatorRow("Tổng vốn đầu tư toàn xã hội", "tỷ đồng", 32345.6, 30000, None, ">=", 28000.2),
            IndicatorRow("Tỷ lệ hộ nghèo", "%", 0.9, 1.0, None, "<=", 1.2),
        ],
        growth=analyse(gold["scenarios"][0], ACTUAL, PREVIOUS),
        difficulties=[Note("Sở Xây dựng", "Thiếu nguồn vật liệu san lấp.")],
        proposals=[Note("Sở Tài chính", "Đề nghị bổ sung vốn cho các dự án trọng điểm.")],
        signer_authority="TM. Ủy ban nhân dân",
        signer_title="Chủ tịch",
        signer_name="Lê Văn Hảo",
        recipients=["Văn phòng Chính phủ", "Bộ Tài chính", "Các sở, ban, ngành tỉnh"],
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
    assert number.startswith("Số:") and number.endswith("/BC-UBND")
    assert place == "Trà Vinh, ngày 05 tháng 7 năm 2025"
    assert head.rows[1].cells[1].paragraphs[0].runs[0].italic
    # The body follows the heading table; nothing comes before it.
    assert doc.element.body[0].tag == qn("w:tbl")


def test_title_outline_and_overview(docx_path: Path) -> None:
    doc = Document(str(docx_path))
    texts = [p.text for p in doc.paragraphs]
    i = texts.index("BÁO CÁO")
    assert doc.paragraphs[i].runs[0].bold
    assert texts[i + 1] == "Tình hình thực hiện Kế hoạch số 77/QĐ-UBND ngày 18/01/2025"
    assert texts[i + 2].startswith("thực hiện Nghị quyết số 01/NQ-CP")
    assert texts[i + 2].endswith("(Quý II năm 2025)")
    outline = [t for t in texts if t[:3] in ("I. ", "II.", "III")]
    assert outline == [
        "I. KẾT QUẢ THỰC HIỆN",
        "II. KHÓ KHĂN, VƯỚNG MẮC VÀ NGUYÊN NHÂN",
        "III. ĐỀ XUẤT, KIẾN NGHỊ",
    ]
    summary = next(t for t in texts if t.startswith("Đến hết Quý II năm 2025"))
    assert "tổng số 35 nhiệm vụ" in summary
    assert "đã hoàn thành 13 nhiệm vụ" in summary
    assert "12 nhiệm vụ hoàn thành đúng hạn và 1 nhiệm vụ hoàn thành quá hạn" in summary
    assert "17 nhiệm vụ đang thực hiện; 5 nhiệm vụ quá hạn" in summary
    # 12 on time of 12 + 1 + 5 = 18 due → 66,7 %.
    assert "đạt 66,7%" in summary
    assert "có 2/3 chỉ tiêu đạt và vượt" in summary
    assert "- Sở Tài chính: Đề nghị bổ sung vốn cho các dự án trọng điểm." in texts
    assert "- Sở Xây dựng: Thiếu nguồn vật liệu san lấp." in texts
    assert texts[-2].endswith("./.") or any(t.endswith("./.") for t in texts)


def test_department_table_equals_input(docx_path: Path) -> None:
    rows = table_text(find_table(Document(str(docx_path)), "STT", "Đơn vị chủ trì"))
    assert rows[1] == ["1", "Sở Tài chính", "22", "8", "1", "10", "3", "66,7"]
    # Sở Xây dựng: 4 on time of 4 + 0 + 2 due = 66,7 %.
    assert rows[2] == ["2", "Sở Xây dựng", "13", "4", "0", "7", "2", "66,7"]
    assert rows[3] == ["", "Cả kế hoạch", "35", "12", "1", "17", "5", "66,7"]


def test_indicator_table_equals_input(docx_path: Path) -> None:
    rows = table_text(find_table(Document(str(docx_path)), "STT", "Chỉ tiêu"))
    assert rows[0][2:] == [
        "Đơn vị tính",
        "Kế hoạch",
        "Thực hiện",
        "% kế hoạch",
        "So cùng kỳ (%)",
        "Đánh giá",
    ]
    # 6,8 / 7,0 = 97,1 %; 6,8 / 6,5 = 104,6 %; below the 7 - 7,5 range → not met.
    assert rows[1] == ["1", "Tăng trưởng GRDP", "%", "7 - 7,5", "6,8", "97,1", "104,6", MISSED]
    # 32.345,6 / 30.000 = 107,8 %; / 28.000,2 = 115,5 %.
    assert rows[2] == [
        "2",
        "Tổng vốn đầu tư toàn xã hội",
        "tỷ đồng",
        "≥ 30.000",
        "32.345,6",
        "107,8",
        "115,5",
        EXCEEDED,
    ]
    # A ceiling: no % of plan; 0,9 / 1,2 = 75 % of last year.
    assert rows[3][3:] == ["≤ 1", "0,9", "", "75,0", MET]


def test_overdue_and_growth_tables(docx_path: Path) -> None:
    doc = Document(str(docx_path))
    overdue = table_text(find_table(doc, "STT", "Nhiệm vụ"))
    assert overdue[1][2:] == [
        "Sở Xây dựng",
        "Trước ngày 31/01/2025",
        "155",
        "Chờ hướng dẫn của Bộ Xây dựng",
    ]
    growth = table_text(find_table(doc, "STT", "Ngành kinh tế"))
    a = sample_report().growth
    assert a is not None
    total = a.total
    assert growth[1][1] == "Tổng sản phẩm trong tỉnh (GRDP)"
    assert growth[1][2:] == [
        fmt_number(v, 2)
        for v in (
            total.scenario["H1"],
            total.actual["H1"],
            total.gap["H1"],
            total.contribution["H1"],
            total.required,
        )
    ]
    assert growth[1][2] == "6,95"
    assert len(doc.inline_shapes) == 1  # the chart


def test_signature_recipients_and_page_numbers(docx_path: Path) -> None:
    doc = Document(str(docx_path))
    recipients, signature = table_text(doc.tables[-1])[0]
    lines = recipients.split("\n")
    assert lines[0] == "Nơi nhận:"
    assert lines[1:] == [
        "- Văn phòng Chính phủ;",
        "- Bộ Tài chính;",
        "- Các sở, ban, ngành tỉnh;",
        "- Lưu: VT.",
    ]
    sig = [x for x in signature.split("\n") if x]
    assert sig == ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Lê Văn Hảo"]
    s = doc.sections[0]
    assert s.different_first_page_header_footer
    assert "PAGE" in "".join(t.text for t in s.header._element.iter(qn("w:instrText")))
    assert not "".join(p.text for p in s.first_page_header.paragraphs).strip()


def test_xlsx_numbers_equal_input(tmp_path: Path) -> None:
    report = sample_report()
    path = write_report(report, tmp_path / "bao-cao.xlsx")
    wb = load_workbook(path)
    assert wb.sheetnames == [
        "Tổng hợp",
        "Theo đơn vị",
        "Quá hạn",
        "Chỉ tiêu",
        "Tăng trưởng",
        "Kiến nghị",
    ]
    dept = [[c.value for c in r] for r in wb["Theo đơn vị"].iter_rows(min_row=2)]
    assert dept[0][:7] == [1, "Sở Tài chính", 22, 8, 1, 10, 3]
    assert dept[0][7] == pytest.approx(8 / 12 * 100)
    ind = [[c.value for c in r] for r in wb["Chỉ tiêu"].iter_rows(min_row=2)]
    assert ind[1][1] == "Tổng vốn đầu tư toàn xã hội"
    assert ind[1][4] == 32345.6 and ind[1][5] == pytest.approx(32345.6 / 30000 * 100)
    assert ind[1][6] == 28000.2
    growth = wb["Tăng trưởng"]
    assert growth.cell(2, 2).value == "Tổng sản phẩm trong tỉnh (GRDP)"
    assert growth.cell(2, 3).value == pytest.approx(7.27)  # Quý I scenario
    assert report.growth is not None
    assert growth.cell(2, 4).value == pytest.approx(report.growth.total.actual["Q1"])
    assert len(growth._images) == 1  # the chart
    overdue = [c.value for c in wb["Quá hạn"][2]]
    assert overdue[4].date() == date(2025, 1, 31) and overdue[5] == 155
    assert wb["Tổng hợp"]["B2"].value == "77/QĐ-UBND"


@pytest.mark.parametrize(
    ("actual", "comparator", "value", "low", "high", "expected"),
    [
        (7.2, "range", None, 7.0, 7.5, MET),
        (7.6, "range", None, 7.0, 7.5, EXCEEDED),
        (6.9, "range", None, 7.0, 7.5, MISSED),
        (101, "=", 101, None, None, MET),
        (102, ">=", 101, None, None, EXCEEDED),
        # A ceiling is met or missed, never exceeded (the register's rule).
        (0.9, "<=", 1.0, None, None, MET),
        (1.0, "<=", 1.0, None, None, MET),
        (1.1, "<=", 1.0, None, None, MISSED),
        (None, "=", 1.0, None, None, None),
    ],
)
def test_evaluate(
    actual: float | None,
    comparator: str,
    value: float | None,
    low: float | None,
    high: float | None,
    expected: str | None,
) -> None:
    assert evaluate(actual, comparator, value, low, high) == expected


@pytest.mark.parametrize(
    ("issuer", "code"),
    [
        ("Ủy ban nhân dân tỉnh Trà Vinh", "UBND"),
        ("Sở Tài chính", "STC"),
        ("Sở Nông nghiệp và Môi trường", "SNNMT"),
    ],
)
def test_issuer_code(issuer: str, code: str) -> None:
    assert issuer_code(issuer) == code


def test_overview_without_indicators_or_growth() -> None:
    r = SynthesisReport(
        "Sở Tài chính",
        "Trà Vinh",
        "12/KH-STC",
        "",
        Period.parse("2025"),
        date(2025, 12, 20),
        status_counts={"in_progress": 3},
    )
    assert overview(r) == (
        "Đến hết năm 2025, trong tổng số 3 nhiệm vụ được giao tại Kế hoạch số 12/KH-STC, đã "
        "hoàn thành 0 nhiệm vụ (đạt 0,0%), trong đó 0 nhiệm vụ hoàn thành đúng hạn và 0 nhiệm vụ "
        "hoàn thành quá hạn; 3 nhiệm vụ đang thực hiện; 0 nhiệm vụ quá hạn chưa hoàn thành."
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


def test_party_committee_heading_and_a_plan_without_number(tmp_path: Path) -> None:
    r = SynthesisReport(
        "Ban Thường vụ Tỉnh ủy An Giang",
        "An Giang",
        "",
        "Thực hiện Kết luận số 18-KL/TW",
        Period.parse("2025"),
        date(2025, 12, 20),
        plan_date=date(2025, 3, 5),
        status_counts={"in_progress": 2},
        signer_authority="T/M Ban Thường vụ",
        signer_title="Bí thư",
    )
    doc = Document(str(write_report(r, tmp_path / "tu.docx")))
    (issuer, motto), (number, place) = table_text(doc.tables[0])
    assert motto == "ĐẢNG CỘNG SẢN VIỆT NAM"
    assert number == "Số      -BC/TU"
    assert place == "An Giang, ngày 20 tháng 12 năm 2025"
    texts = [p.text for p in doc.paragraphs]
    assert "Tình hình thực hiện Kế hoạch ngày 05/03/2025" in texts
    assert texts[texts.index("Tình hình thực hiện Kế hoạch ngày 05/03/2025") + 1] == (
        "thực hiện Kết luận số 18-KL/TW (năm 2025)"
    )
    assert any(t.startswith("Thực hiện Kế hoạch ngày 05/03/2025, Ban Thường vụ Tỉnh ủy An Giang") for t in texts)
    sig = [x for x in table_text(doc.tables[-1])[0][1].split("\n") if x]
    assert sig[:2] == ["T/M BAN THƯỜNG VỤ", "BÍ THƯ"]


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
