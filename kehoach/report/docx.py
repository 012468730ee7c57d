"""The synthesis report as DOCX, laid out per Decree 30/2020/NĐ-CP (Appendix I).

A4; margins top and bottom 20 mm, left 30 mm, right 15 mm; Times New Roman 14 for the body;
the heading block (issuer | national motto) in a borderless two-column table; the number and
the place-and-date line; `BÁO CÁO` and its title; the body; the signature block beside
`Nơi nhận`; page numbers centred in the header from page 2.
"""

from __future__ import annotations

import io
from pathlib import Path

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

from ..track.growth import PERIOD_LABELS
from ..vn import date_line, fmt_date, fmt_number
from .content import (
    STATUS_LABELS,
    STATUSES,
    SynthesisReport,
    headline_period,
    overview,
)

FONT = "Times New Roman"
BODY_PT = 14
TABLE_PT = 13
MOTTO_1 = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO_2 = "Độc lập - Tự do - Hạnh phúc"
PARTY_MOTTO = "ĐẢNG CỘNG SẢN VIỆT NAM"
PAGE_WIDTH_MM, PAGE_HEIGHT_MM = 210, 297
MARGINS_MM = {"top": 20, "bottom": 20, "left": 30, "right": 15}
TEXT_WIDTH_MM = PAGE_WIDTH_MM - MARGINS_MM["left"] - MARGINS_MM["right"]


def _set_font(style_or_run: object, size: float | None = None) -> None:
    font = style_or_run.font  # type: ignore[attr-defined]
    font.name = FONT
    if size is not None:
        font.size = Pt(size)
    fonts = style_or_run.element.get_or_add_rPr().get_or_add_rFonts()  # type: ignore[attr-defined]
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), FONT)


def _setup(doc: DocumentObject) -> None:
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(PAGE_WIDTH_MM), Mm(PAGE_HEIGHT_MM)
    section.top_margin = Mm(MARGINS_MM["top"])
    section.bottom_margin = Mm(MARGINS_MM["bottom"])
    section.left_margin = Mm(MARGINS_MM["left"])
    section.right_margin = Mm(MARGINS_MM["right"])
    section.header_distance = Mm(10)
    section.footer_distance = Mm(10)
    normal = doc.styles["Normal"]
    _set_font(normal, BODY_PT)
    pf = normal.paragraph_format  # type: ignore[attr-defined]
    pf.space_before = Pt(0)
    pf.space_after = Pt(6)
    pf.line_spacing = 1.15
    for name in ("Header", "Footer", "Table Grid", "Caption"):
        if name in [s.name for s in doc.styles]:
            _set_font(doc.styles[name])
    _page_numbers(doc)


def _field(paragraph: Paragraph, instruction: str) -> None:
    """A complex field (`PAGE`) so Word and LibreOffice both compute it."""
    run = paragraph.add_run()
    _set_font(run, BODY_PT)
    for kind, text in (
        ("begin", None),
        (None, instruction),
        ("separate", None),
        (None, "2"),
        ("end", None),
    ):
        if kind:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        elif text == instruction:
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = f" {instruction} "
        else:
            el = OxmlElement("w:t")
            el.text = text
        run._r.append(el)


def _page_numbers(doc: DocumentObject) -> None:
    """Page numbers centred in the header, not on the first page (Decree 30, Appendix I)."""
    section = doc.sections[0]
    section.different_first_page_header_footer = True
    header = section.header
    header.is_linked_to_previous = False
    p = header.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _field(p, "PAGE")
    section.first_page_header.is_linked_to_previous = False


# What may follow in a `w:tblPr` / `w:pPr`: WordprocessingML fixes the order of their children,
# and Word refuses a file that breaks it (LibreOffice does not mind).
_AFTER_TBL_BORDERS = ("w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook", "w:tblCaption", "w:tblDescription")
_AFTER_P_BORDER = (
    "w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct",
    "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd", "w:snapToGrid",
    "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc",
    "w:textDirection", "w:textAlignment", "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle",
    "w:rPr", "w:sectPr", "w:pPrChange",
)  # fmt: skip


def _bottom_border(paragraph: Paragraph) -> None:
    """A solid rule under the paragraph (its indents set the rule's length)."""
    bdr = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for k, v in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        bottom.set(qn(k), v)
    bdr.append(bottom)
    paragraph._p.get_or_add_pPr().insert_element_before(bdr, *_AFTER_P_BORDER)


def _no_borders(table: Table) -> None:
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:val"), "nil")
        borders.append(el)
    tbl_pr.insert_element_before(borders, *_AFTER_TBL_BORDERS)


def _widths(table: Table, widths_mm: list[float]) -> None:
    table.autofit = False
    for row in table.rows:
        for cell, w in zip(row.cells, widths_mm, strict=True):
            cell.width = Mm(w)
    grid = table._tbl.tblGrid
    for col, w in zip(grid.findall(qn("w:gridCol")), widths_mm, strict=True):
        col.set(qn("w:w"), str(int(Mm(w).twips)))


def _para(
    container: DocumentObject | _Cell,
    text: str = "",
    *,
    bold: bool = False,
    italic: bool = False,
    size: float | None = None,
    align: str = "justify",
    indent: bool = False,
    after: float | None = None,
    underline: bool = False,
) -> Paragraph:
    p = container.add_paragraph()
    p.alignment = {
        "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
        "center": WD_ALIGN_PARAGRAPH.CENTER,
        "left": WD_ALIGN_PARAGRAPH.LEFT,
        "right": WD_ALIGN_PARAGRAPH.RIGHT,
    }[align]
    if indent:
        p.paragraph_format.first_line_indent = Cm(1.27)
    if after is not None:
        p.paragraph_format.space_after = Pt(after)
    if text:
        run = p.add_run(text)
        run.bold, run.italic, run.underline = bold, italic, underline
        _set_font(run, size)
    return p


def _cell_text(
    cell: _Cell,
    text: str,
    *,
    bold: bool = False,
    italic: bool = False,
    size: float = TABLE_PT,
    align: str = "center",
    underline: bool = False,
) -> None:
    """Replace the cell's empty first paragraph by `text`, one paragraph per line."""
    lines = text.split("\n")
    first = cell.paragraphs[0]
    for i, line in enumerate(lines):
        p = first if i == 0 else cell.add_paragraph()
        p.alignment = {
            "center": WD_ALIGN_PARAGRAPH.CENTER,
            "left": WD_ALIGN_PARAGRAPH.LEFT,
            "right": WD_ALIGN_PARAGRAPH.RIGHT,
            "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
        }[align]
        p.paragraph_format.space_after = Pt(0)
        p.paragraph_format.first_line_indent = Cm(0)
        p.paragraph_format.line_spacing = 1.0
        if line:
            run = p.add_run(line)
            run.bold, run.italic, run.underline = bold, italic, underline
            _set_font(run, size)


def _short_rule(cell: _Cell, width_mm: float, cell_width_mm: float) -> None:
    """The short solid line under the issuer's name: a bottom border on an empty paragraph."""
    p = cell.add_paragraph()
    side = Mm(max((cell_width_mm - width_mm) / 2, 0))
    p.paragraph_format.left_indent = side
    p.paragraph_format.right_indent = side
    p.paragraph_format.space_after = Pt(0)
    p.paragraph_format.line_spacing = Pt(2)
    _bottom_border(p)


def _heading_block(doc: DocumentObject, report: SynthesisReport) -> Table:
    left_mm, right_mm = 62.0, TEXT_WIDTH_MM - 62.0
    table = doc.add_table(rows=2, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _no_borders(table)
    _widths(table, [left_mm, right_mm])
    issuer_cell, motto_cell = table.rows[0].cells
    if report.parent:
        _cell_text(issuer_cell, _issuer_lines(report.parent), size=13)
        _cell_text_append(issuer_cell, _issuer_lines(report.issuer), bold=True, size=13)
    else:
        _cell_text(issuer_cell, _issuer_lines(report.issuer), bold=True, size=13)
    _short_rule(issuer_cell, 22, left_mm)
    if report.is_party:  # a party committee's heading carries the Party's name instead
        _cell_text(motto_cell, PARTY_MOTTO, bold=True, size=15, underline=True)
    else:
        _cell_text(motto_cell, MOTTO_1, bold=True, size=12.5)
        _cell_text_append(motto_cell, MOTTO_2, bold=True, size=14, underline=True)
    number_cell, date_cell = table.rows[1].cells
    _cell_text(number_cell, report.number_line, size=13)
    _cell_text(
        date_cell,
        date_line(report.place or report.province, report.report_date),
        italic=True,
        size=14,
    )
    for cell in (number_cell, date_cell):
        cell.paragraphs[0].paragraph_format.space_before = Pt(6)
    return table


def _issuer_lines(name: str) -> str:
    """`Ủy ban nhân dân tỉnh X` → `ỦY BAN NHÂN DÂN` / `TỈNH X`, as headings break it."""
    upper = name.upper()
    for head in ("ỦY BAN NHÂN DÂN ", "UỶ BAN NHÂN DÂN ", "HỘI ĐỒNG NHÂN DÂN "):
        if upper.startswith(head):
            return head.strip() + "\n" + upper[len(head) :]
    return upper


def _cell_text_append(
    cell: _Cell,
    text: str,
    *,
    bold: bool = False,
    italic: bool = False,
    size: float = TABLE_PT,
    underline: bool = False,
) -> None:
    """Append `text` to the cell, one centred paragraph per line (filling an empty last one)."""
    for line in text.split("\n"):
        if cell.paragraphs[-1].text:
            cell.add_paragraph()
        p = cell.paragraphs[-1]
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.paragraph_format.space_after = Pt(0)
        p.paragraph_format.line_spacing = 1.0
        run = p.add_run(line)
        run.bold, run.italic, run.underline = bold, italic, underline
        _set_font(run, size)


def _grid_table(
    doc: DocumentObject,
    header: list[str],
    rows: list[list[str]],
    widths_mm: list[float],
    align: list[str] | None = None,
    bold_rows: set[int] | None = None,
) -> Table:
    table = doc.add_table(rows=1 + len(rows), cols=len(header))
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _widths(table, widths_mm)
    _cell_margins(table, 1.0)
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        _cell_text(cell, text, bold=True)
    align = align or ["left"] * len(header)
    for i, values in enumerate(rows, start=1):
        for j, (cell, text) in enumerate(zip(table.rows[i].cells, values, strict=True)):
            _cell_text(cell, text, align=align[j], bold=bool(bold_rows and i - 1 in bold_rows))
    # Repeat the header row on every page the table runs over.
    tr_pr = table.rows[0]._tr.get_or_add_trPr()
    for row in table.rows:  # a row is never split across pages
        row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    tr_pr.append(el)
    doc.add_paragraph().paragraph_format.space_after = Pt(0)
    return table


def _cell_margins(table: Table, mm: float) -> None:
    """Narrow left and right cell margins so numeric columns fit at 13 pt."""
    mar = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:w"), str(int(Mm(mm).twips)))
        el.set(qn("w:type"), "dxa")
        mar.append(el)
    table._tbl.tblPr.insert_element_before(mar, *_AFTER_TBL_BORDERS[2:])


def _departments_table(doc: DocumentObject, report: SynthesisReport) -> None:
    header = [
        "STT",
        "Đơn vị chủ trì",
        "Tổng số",
        *[STATUS_LABELS[s] for s in STATUSES],
        "Tỷ lệ đúng hạn (%)",
    ]
    rows = []
    for n, d in enumerate(report.departments, start=1):
        rows.append(
            [
                str(n),
                d.department,
                str(d.total),
                *[str(d.counts.get(s, 0)) for s in STATUSES],
                fmt_number(d.on_time_share, 1, empty="-"),
            ]
        )
    # The plan's own counts: a task led by several departments is in each of their rows.
    total = {s: report.status_counts.get(s, 0) for s in STATUSES}
    from .content import on_time_share

    rows.append(
        [
            "",
            "Cả kế hoạch",
            str(sum(total.values())),
            *[str(total[s]) for s in STATUSES],
            fmt_number(on_time_share(total), 1, empty="-"),
        ]
    )
    _grid_table(
        doc,
        header,
        rows,
        [11, 44, 16, 22, 20, 20, 15, 17],
        ["center", "left"] + ["center"] * 6,
        bold_rows={len(rows) - 1},
    )


def _indicators_table(doc: DocumentObject, report: SynthesisReport) -> None:
    header = [
        "STT",
        "Chỉ tiêu",
        "Đơn vị tính",
        "Kế hoạch",
        "Thực hiện",
        "% kế hoạch",
        "So cùng kỳ (%)",
        "Đánh giá",
    ]
    rows = [
        [
            str(n),
            i.name,
            i.unit or "",
            i.target_text,
            fmt_number(i.actual),
            fmt_number(i.percent_of_plan, 1),
            fmt_number(i.same_period, 1),
            i.verdict or "",
        ]
        for n, i in enumerate(report.indicators, start=1)
    ]
    _grid_table(
        doc,
        header,
        rows,
        [11, 38, 17, 21, 21, 16, 16, 25],
        ["center", "left", "center", "right", "right", "right", "right", "center"],
    )


def _growth_tables(doc: DocumentObject, report: SynthesisReport) -> None:
    analysis = report.growth
    assert analysis is not None
    period = headline_period(analysis)
    if period is None:
        return
    label = PERIOD_LABELS[period]
    header = [
        "STT",
        "Ngành kinh tế",
        f"Kịch bản {label} (%)",
        f"Thực hiện {label} (%)",
        "Chênh lệch (điểm %)",
        "Đóng góp (điểm %)",
        "Cần đạt các quý còn lại (%)",
    ]
    rows, bold = [], set()
    for r in analysis.rows:
        if r.level > 1 and not r.actual:
            continue
        if r.level <= 1:
            bold.add(len(rows))
        rows.append(
            [
                r.code or "",
                r.name,
                fmt_number(r.scenario.get(period), 2),
                fmt_number(r.actual.get(period), 2),
                fmt_number(r.gap.get(period), 2),
                fmt_number(r.contribution.get(period), 2),
                fmt_number(r.required, 2),
            ]
        )
    _grid_table(
        doc,
        header,
        rows,
        [11, 52, 20, 20, 21, 20, 21],
        ["center", "left"] + ["right"] * 5,
        bold_rows=bold,
    )


def _chart(doc: DocumentObject, report: SynthesisReport) -> None:
    from .chart import growth_chart_png

    assert report.growth is not None
    png = growth_chart_png(report.growth)
    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.paragraph_format.keep_with_next = True
    p.add_run().add_picture(io.BytesIO(png), width=Mm(TEXT_WIDTH_MM))
    _para(
        doc,
        "Biểu đồ: Tăng trưởng GRDP thực hiện so với kịch bản và đóng góp của các ngành",
        italic=True,
        size=12,
        align="center",
    )


def _section(doc: DocumentObject, text: str) -> None:
    _para(doc, text, bold=True, indent=True).paragraph_format.keep_with_next = True


def _notes(doc: DocumentObject, notes: list, empty: str) -> None:
    if not notes:
        _para(doc, empty, indent=True)
    for note in notes:
        p = _para(doc, "- ", indent=True)
        dept = p.add_run(f"{note.department}: ")
        dept.italic = True
        _set_font(dept)
        _set_font(p.add_run(note.text))


def _body(doc: DocumentObject, report: SynthesisReport) -> None:
    _para(
        doc,
        f"Thực hiện {report.plan_ref}, {report.issuer} báo cáo tình hình thực hiện {report.period.label} như sau:",
        indent=True,
    )
    _section(doc, "I. KẾT QUẢ THỰC HIỆN")
    _section(doc, "1. Tình hình chung")
    _para(doc, overview(report), indent=True)
    n = 2
    if report.groups:
        _section(doc, f"{n}. Kết quả thực hiện theo nhóm nhiệm vụ")
        n += 1
        for k, g in enumerate(report.groups):
            done = g.counts.get("done_on_time", 0) + g.counts.get("done_late", 0)
            letter = "abcdefghiklmnopqrstuvxy"[k % 23]
            p = _para(doc, f"{letter}) {g.section}: ", indent=True, italic=True)
            _set_font(
                p.add_run(
                    f"hoàn thành {done}/{g.total} nhiệm vụ; đang thực hiện "
                    f"{g.counts.get('in_progress', 0)}; quá hạn {g.counts.get('overdue', 0)}."
                )
            )
            for line in g.results:
                _para(doc, f"- {line}", indent=True)
    if report.departments:
        _section(doc, f"{n}. Tình hình thực hiện nhiệm vụ theo đơn vị")
        n += 1
        _departments_table(doc, report)
    if report.indicators:
        _section(doc, f"{n}. Kết quả thực hiện các chỉ tiêu")
        n += 1
        _indicators_table(doc, report)
    if report.growth is not None and report.growth.quarters_known:
        from .content import growth_sentence

        _section(doc, f"{n}. Tăng trưởng kinh tế so với kịch bản")
        _para(doc, growth_sentence(report.growth), indent=True)
        _growth_tables(doc, report)
        _chart(doc, report)
    _section(doc, "II. KHÓ KHĂN, VƯỚNG MẮC VÀ NGUYÊN NHÂN")
    _section(doc, "1. Nhiệm vụ chậm tiến độ, quá hạn")
    if report.overdue:
        _para(doc, f"Có {len(report.overdue)} nhiệm vụ quá hạn chưa hoàn thành:", indent=True)
        rows = [
            [
                str(i),
                t.text,
                ", ".join(t.departments),
                t.deadline_text or fmt_date(t.due),
                str(t.days_overdue),
                t.difficulty or "",
            ]
            for i, t in enumerate(report.overdue, start=1)
        ]
        _grid_table(
            doc,
            [
                "STT",
                "Nhiệm vụ",
                "Đơn vị chủ trì",
                "Thời hạn",
                "Số ngày quá hạn",
                "Khó khăn, vướng mắc",
            ],
            rows,
            [11, 50, 28, 27, 16, 33],
            ["center", "left", "left", "center", "center", "left"],
        )
    else:
        _para(doc, "Không có nhiệm vụ quá hạn.", indent=True)
    _section(doc, "2. Khó khăn, vướng mắc và nguyên nhân")
    _notes(doc, report.difficulties, "Các đơn vị không báo cáo khó khăn, vướng mắc.")
    _section(doc, "III. ĐỀ XUẤT, KIẾN NGHỊ")
    _notes(doc, report.proposals, "Các đơn vị không có đề xuất, kiến nghị.")
    _para(
        doc,
        f"Trên đây là báo cáo tình hình thực hiện {report.plan_ref} {report.period.label} của {report.issuer}./.",
        indent=True,
    ).paragraph_format.keep_with_next = True


def _signature(doc: DocumentObject, report: SynthesisReport) -> Table:
    left_mm, right_mm = 80.0, TEXT_WIDTH_MM - 80.0
    table = doc.add_table(rows=1, cols=2)
    _no_borders(table)
    _widths(table, [left_mm, right_mm])
    # The signature and the recipients stay on one page.
    cant_split = OxmlElement("w:cantSplit")
    table.rows[0]._tr.get_or_add_trPr().append(cant_split)
    recipients_cell, sign_cell = table.rows[0].cells
    _cell_text(recipients_cell, "Nơi nhận:", bold=True, italic=True, size=12, align="left")
    recipients = [*report.recipients, "Lưu: VT"]
    for i, r in enumerate(recipients):
        end = "." if i == len(recipients) - 1 else ";"
        _cell_text_append(recipients_cell, f"- {r}{end}", size=11)
        recipients_cell.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.LEFT
    lines = [x for x in (report.signer_authority, report.signer_title) if x]
    _cell_text(sign_cell, "\n".join(line.upper() for line in lines) or " ", bold=True, size=14)
    for _ in range(4):
        sign_cell.add_paragraph()
    _cell_text_append(sign_cell, report.signer_name or " ", bold=True, size=14)
    return table


def build_docx(report: SynthesisReport) -> DocumentObject:
    doc = Document()
    _setup(doc)
    _heading_block(doc, report)
    _para(doc, "", after=6)
    _para(doc, "BÁO CÁO", bold=True, align="center", after=0)
    _para(doc, report.title, bold=True, align="center", after=0)
    _para(doc, report.subtitle, bold=True, align="center", after=0)
    rule = doc.add_paragraph()
    rule.paragraph_format.left_indent = Mm(TEXT_WIDTH_MM / 2 - 15)
    rule.paragraph_format.right_indent = Mm(TEXT_WIDTH_MM / 2 - 15)
    rule.paragraph_format.space_after = Pt(12)
    _bottom_border(rule)
    _body(doc, report)
    _signature(doc, report)
    return doc


def write_docx(report: SynthesisReport, out: str | Path) -> Path:
    out = Path(out)
    tmp = out.with_name(out.name + ".tmp")
    build_docx(report).save(str(tmp))
    tmp.replace(out)
    return out
