"""Small pieces of WordprocessingML that python-docx does not offer: fonts on every script, rules,
borderless and ruled tables, repeated header rows, rows kept together, fields, highlights.

Children of `w:pPr`, `w:rPr` and `w:tblPr` are inserted in the schema's order: Word refuses a
file that breaks it (LibreOffice does not mind).
"""

from __future__ import annotations

from docx.document import Document as DocumentObject
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_COLOR_INDEX
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph
from docx.text.run import Run

FONT = "Times New Roman"
BODY_PT = 14
TABLE_PT = 13
ALIGN = {
    "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
    "center": WD_ALIGN_PARAGRAPH.CENTER,
    "left": WD_ALIGN_PARAGRAPH.LEFT,
    "right": WD_ALIGN_PARAGRAPH.RIGHT,
}

_AFTER_TBL_BORDERS = ("w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook", "w:tblCaption", "w:tblDescription")
_AFTER_P_BORDER = (
    "w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct",
    "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd", "w:snapToGrid",
    "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc",
    "w:textDirection", "w:textAlignment", "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle",
    "w:rPr", "w:sectPr", "w:pPrChange",
)  # fmt: skip
_AFTER_TR_CANTSPLIT = ("w:trHeight", "w:tblHeader", "w:tblCellSpacing", "w:jc", "w:hidden", "w:ins", "w:del")


def set_font(style_or_run: object, size: float | None = None) -> None:
    """Times New Roman for every script (Vietnamese letters fall in more than one)."""
    font = style_or_run.font  # type: ignore[attr-defined]
    font.name = FONT
    if size is not None:
        font.size = Pt(size)
    fonts = style_or_run.element.get_or_add_rPr().get_or_add_rFonts()  # type: ignore[attr-defined]
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), FONT)


def run(
    p: Paragraph,
    text: str,
    *,
    bold: bool = False,
    italic: bool = False,
    underline: bool = False,
    size: float | None = None,
    highlight: bool = False,
) -> Run:
    r = p.add_run(text)
    r.bold, r.italic, r.underline = bold, italic, underline
    if highlight:
        r.font.highlight_color = WD_COLOR_INDEX.YELLOW
    set_font(r, size)
    return r


def para(
    container: DocumentObject | _Cell,
    text: str = "",
    *,
    bold: bool = False,
    italic: bool = False,
    size: float | None = None,
    align: str = "justify",
    indent: bool = False,
    after: float | None = None,
    before: float | None = None,
    keep: bool = False,
    highlight: bool = False,
) -> Paragraph:
    """A paragraph; `keep` keeps it on the page of what follows (a heading, a table's lead-in)."""
    p = container.add_paragraph()
    p.alignment = ALIGN[align]
    pf = p.paragraph_format
    if indent:
        pf.first_line_indent = Cm(1.27)
    if after is not None:
        pf.space_after = Pt(after)
    if before is not None:
        pf.space_before = Pt(before)
    if keep:
        pf.keep_with_next = True
    if text:
        run(p, text, bold=bold, italic=italic, size=size, highlight=highlight)
    return p


def cell_lines(
    cell: _Cell,
    text: str,
    *,
    bold: bool = False,
    italic: bool = False,
    underline: bool = False,
    size: float = TABLE_PT,
    align: str = "center",
    append: bool = False,
    keep: bool = False,
) -> None:
    """Write `text` in the cell, one paragraph per line (filling its empty first paragraph)."""
    for line in text.split("\n"):
        last = cell.paragraphs[-1]
        p = last if not last.text and (not append or not last.runs) else cell.add_paragraph()
        p.alignment = ALIGN[align]
        pf = p.paragraph_format
        pf.space_after = Pt(0)
        pf.first_line_indent = Cm(0)
        pf.line_spacing = 1.0
        if keep:
            pf.keep_with_next = True
        if line:
            run(p, line, bold=bold, italic=italic, underline=underline, size=size)


def bottom_border(paragraph: Paragraph) -> None:
    """A solid rule under the paragraph (its indents set the rule's length)."""
    bdr = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for k, v in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        bottom.set(qn(k), v)
    bdr.append(bottom)
    paragraph._p.get_or_add_pPr().insert_element_before(bdr, *_AFTER_P_BORDER)


def short_rule(container: DocumentObject | _Cell, width_mm: float, within_mm: float, after: float = 0) -> Paragraph:
    """A short centred solid line: a bottom border on an empty paragraph."""
    p = container.add_paragraph()
    side = Mm(max((within_mm - width_mm) / 2, 0))
    pf = p.paragraph_format
    pf.left_indent = side
    pf.right_indent = side
    pf.first_line_indent = Cm(0)
    pf.space_after = Pt(after)
    pf.line_spacing = Pt(2)
    bottom_border(p)
    return p


def no_borders(table: Table) -> None:
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:val"), "nil")
        borders.append(el)
    table._tbl.tblPr.insert_element_before(borders, *_AFTER_TBL_BORDERS)


def widths(table: Table, widths_mm: list[float]) -> None:
    table.autofit = False
    for row in table.rows:
        for cell, w in zip(row.cells, widths_mm, strict=True):
            cell.width = Mm(w)
    for col, w in zip(table._tbl.tblGrid.findall(qn("w:gridCol")), widths_mm, strict=True):
        col.set(qn("w:w"), str(int(Mm(w).twips)))


def cell_margins(table: Table, mm: float) -> None:
    """Narrow left and right cell margins so numeric columns fit at 13 pt."""
    mar = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:w"), str(int(Mm(mm).twips)))
        el.set(qn("w:type"), "dxa")
        mar.append(el)
    table._tbl.tblPr.insert_element_before(mar, *_AFTER_TBL_BORDERS[2:])


def keep_row_whole(row: object) -> None:
    tr_pr = row._tr.get_or_add_trPr()  # type: ignore[attr-defined]
    tr_pr.insert_element_before(OxmlElement("w:cantSplit"), *_AFTER_TR_CANTSPLIT)


def repeat_header(row: object) -> None:
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().insert_element_before(el, *_AFTER_TR_CANTSPLIT[2:])  # type: ignore[attr-defined]


def grid_table(
    doc: DocumentObject,
    header: list[str],
    rows: list[list[str]],
    widths_mm: list[float],
    align: list[str] | None = None,
    bold_rows: set[int] | None = None,
    size: float = TABLE_PT,
) -> Table:
    """A ruled table: its header repeated on each page, no row split across pages. The paragraph
    before it is kept with its first row (`keep_with_next` on that paragraph, set by the caller);
    a cell's own paragraphs are not (LibreOffice would then keep the whole table with what
    follows it)."""
    table: Table = doc.add_table(rows=1 + len(rows), cols=len(header))
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    widths(table, widths_mm)
    cell_margins(table, 1.0)
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell_lines(cell, text, bold=True, size=size)
    align = align or ["left"] * len(header)
    for i, values in enumerate(rows, start=1):
        for j, (cell, text) in enumerate(zip(table.rows[i].cells, values, strict=True)):
            cell_lines(cell, text, align=align[j], bold=bool(bold_rows and i - 1 in bold_rows), size=size)
    for row in table.rows:
        keep_row_whole(row)
    repeat_header(table.rows[0])
    doc.add_paragraph().paragraph_format.space_after = Pt(0)
    return table


def page_field(paragraph: Paragraph, instruction: str = "PAGE") -> None:
    """A complex field (`PAGE`) so Word and LibreOffice both compute it."""
    r = paragraph.add_run()
    set_font(r, BODY_PT)
    for kind, text in (("begin", None), (None, instruction), ("separate", None), (None, "2"), ("end", None)):
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
        r._r.append(el)
