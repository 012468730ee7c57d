"""The synthesis report as an XLSX workbook: a sheet per table and per task group, numbers kept as
numbers (targets too, their comparator in a column of its own), total rows, filters, and each
sheet set to print on A4 landscape, one page wide, its header row repeated on every page."""

from __future__ import annotations

import io
import math
import re
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from ..track.growth import PERIOD_LABELS
from . import wording
from .content import APART, STATUS_LABELS, STATUSES, SynthesisReport, TaskRow, on_time_share

FONT = "Times New Roman"
NUMBER = "#,##0.00"
INTEGER = "#,##0"
PERCENT = "0.0"
DATE = "dd/mm/yyyy"
_THIN = Side(style="thin", color="000000")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEAD_FILL = PatternFill("solid", fgColor="DDE6F0")
_TOTAL_FILL = PatternFill("solid", fgColor="F2F2F2")
COMPARATOR_WORDS = {
    ">=": "≥",
    ">": ">",
    "<=": "≤",
    "<": "<",
    "=": "=",
    "range": "trong khoảng",
    "qualitative": "định tính",
}

SHEETS = ("Tổng hợp", "Theo nhóm", "Theo đơn vị", "Quá hạn", "Chỉ tiêu", "Tăng trưởng", "Chế độ báo cáo", "Kiến nghị")
TASK_HEADER = (
    "STT",
    "Nhiệm vụ",
    "Đơn vị chủ trì",
    "Thời hạn",
    "Hạn hoàn thành",
    "Tình trạng",
    "Ngày hoàn thành",
    "Tỷ lệ hoàn thành (%)",
    "Kết quả thực hiện",
    "Sản phẩm",
)


def print_setup(ws: Worksheet, columns: int, header_row: int = 1) -> None:
    """A4 landscape, one page wide, the header row repeated on every page."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = f"{header_row}:{header_row}"
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.5


LINE_PT = 15.75  # one line of 12 pt text


def lines_needed(value: object, width: float) -> int:
    """How many lines a wrapped cell `width` units wide takes for `value`: Vietnamese in Times New
    Roman 12 pt runs about 1,3 letters to the unit (measured on a rendered sheet)."""
    if not isinstance(value, str) or not value:
        return 1
    per_line = max(width * 1.3 - 1, 1)
    return sum(max(1, math.ceil(len(part) / per_line)) for part in value.split("\n"))


def fit_rows(ws: Worksheet, widths: Sequence[float], first: int = 1) -> None:
    """Each row as tall as its longest wrapped cell: neither Excel nor LibreOffice sizes the rows of
    a written file, and a long task would otherwise print over the row under it."""
    for row in ws.iter_rows(min_row=first):
        lines = max((lines_needed(c.value, widths[c.column - 1]) for c in row if c.column <= len(widths)), default=1)
        if lines > 1:
            ws.row_dimensions[row[0].row].height = lines * LINE_PT


def table(
    ws: Worksheet,
    header: Sequence[str],
    rows: Sequence[Sequence[object]],
    widths: Sequence[float],
    formats: Sequence[str | None] = (),
    total: Sequence[object] | None = None,
) -> None:
    """A filtered table from A1 with an optional total row under it (outside the filter)."""
    for j, (text, width) in enumerate(zip(header, widths, strict=True), start=1):
        cell = ws.cell(1, j, text)
        cell.font = Font(name=FONT, bold=True, size=12)
        cell.fill = _HEAD_FILL
        cell.border = _BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        ws.column_dimensions[get_column_letter(j)].width = width
    for i, values in enumerate([*rows, *([total] if total else [])], start=2):
        is_total = total is not None and i == len(rows) + 2
        for j, value in enumerate(values, start=1):
            # a computed figure without the float's noise (0,30 stored as 0.3, not 0.2999999999999998)
            cell = ws.cell(i, j, round(value, 6) if isinstance(value, float) else value)
            cell.font = Font(name=FONT, size=12, bold=is_total)
            cell.border = _BORDER
            cell.alignment = Alignment(vertical="top", wrap_text=True)
            if is_total:
                cell.fill = _TOTAL_FILL
            fmt = formats[j - 1] if j - 1 < len(formats) else None
            if fmt and value is not None:
                cell.number_format = fmt
    fit_rows(ws, widths)
    ws.freeze_panes = "A2"
    last = get_column_letter(len(header))
    ws.auto_filter.ref = f"A1:{last}{max(len(rows) + 1, 2)}"
    print_setup(ws, len(header))


def _summary(ws: Worksheet, report: SynthesisReport) -> None:
    ws.title = SHEETS[0]
    meta: list[tuple[str, object]] = [
        ("Cơ quan báo cáo", report.issuer),
        ("Kế hoạch", report.plan.text),
        ("Kỳ báo cáo", report.period.label),
        ("Ngày chốt số liệu", report.cutoff),
        ("Ngày báo cáo", report.report_date),
    ]
    meta += [(STATUS_LABELS[s], report.status_counts.get(s, 0)) for s in (*STATUSES, *APART)]
    meta += [
        ("Tổng số nhiệm vụ", report.total_tasks),
        ("Tỷ lệ hoàn thành đúng hạn (%)", on_time_share(report.status_counts)),
        ("Đánh giá chung", wording.counts_sentence(report.status_counts, report.cutoff)),
    ]
    for i, (key, value) in enumerate(meta, start=1):
        ws.cell(i, 1, key).font = Font(name=FONT, bold=True, size=12)
        cell = ws.cell(i, 2, value)
        cell.font = Font(name=FONT, size=12, bold=key == "Tổng số nhiệm vụ")
        cell.alignment = Alignment(wrap_text=True, vertical="top", horizontal="left")
        if isinstance(value, date):
            cell.number_format = DATE
        elif isinstance(value, float):
            cell.number_format = PERCENT
        elif isinstance(value, int):
            cell.number_format = INTEGER
    ws.column_dimensions["A"].width = 32
    ws.column_dimensions["B"].width = 110
    fit_rows(ws, (32, 110))
    print_setup(ws, 2)
    ws.print_title_rows = None


def _count_rows(items: Sequence[tuple[str, dict[str, int]]]) -> list[list[object]]:
    return [
        [n, name, sum(c.values()), *[c.get(s, 0) for s in STATUSES], sum(c.get(s, 0) for s in APART)]
        + [on_time_share(c)]
        for n, (name, c) in enumerate(items, start=1)
    ]


COUNT_HEADER = ("Tổng số", *[STATUS_LABELS[s] for s in STATUSES], "Chờ điều kiện, thường xuyên", "Tỷ lệ đúng hạn (%)")
COUNT_FORMATS = (None, None, *[INTEGER] * 6, PERCENT)


def _counts_sheet(
    ws: Worksheet, first: str, items: Sequence[tuple[str, dict[str, int]]], report: SynthesisReport
) -> None:
    c = report.status_counts
    total = ["", "Cả kế hoạch", report.total_tasks, *[c.get(s, 0) for s in STATUSES]]
    total += [sum(c.get(s, 0) for s in APART), on_time_share(c)]
    table(
        ws, ["STT", first, *COUNT_HEADER], _count_rows(items), [6, 60, 10, 14, 14, 14, 14, 14, 12], COUNT_FORMATS, total
    )


def sheet_name(k: int, name: str, taken: set[str]) -> str:
    """`a) Tập trung hoàn thiện thể chế…`: ≤ 31 characters, none of `[]:*?/\\`, unique."""
    base = re.sub(r"[\[\]:*?/\\]", " ", f"{wording.letter(k)}) {name}")
    base = " ".join(base.split())[:31].rstrip()
    out, n = base, 2
    while out.lower() in taken:
        out = f"{base[: 31 - len(str(n)) - 1]}~{n}"
        n += 1
    taken.add(out.lower())
    return out


def _task_row(n: int, t: TaskRow) -> list[object]:
    return [
        n,
        t.text,
        wording.names(t.departments),
        t.deadline_text,
        t.due,
        STATUS_LABELS[t.status],
        t.done_on,
        t.percent,
        t.result,
        t.product,
    ]


def _group_sheets(wb: Workbook, report: SynthesisReport) -> None:
    taken = {s.lower() for s in SHEETS}
    for k, g in enumerate(report.groups):
        ws = wb.create_sheet(sheet_name(k, g.section, taken))
        rows = [_task_row(n, t) for n, t in enumerate(g.tasks, start=1)]
        total: list[object] = ["", f"Cộng: {g.total} nhiệm vụ", "", "", "", wording.group_line(g), "", None, "", ""]
        table(
            ws,
            TASK_HEADER,
            rows,
            [6, 60, 28, 18, 13, 22, 13, 11, 45, 18],
            [INTEGER, None, None, None, DATE, None, DATE, PERCENT],
            total,
        )


def _indicator_sheet(ws: Worksheet, report: SynthesisReport) -> None:
    rows = [
        [
            n,
            i.name,
            i.unit,
            COMPARATOR_WORDS.get(i.comparator, i.comparator),
            i.target,
            i.target_high,
            i.actual,
            "ước tính" if i.estimate else "chính thức",
            i.share,
            i.previous,
            i.same_period,
            "điểm %" if i.rate else "%",
            i.verdict,
        ]
        for n, i in enumerate(report.indicators, start=1)
    ]
    header = [
        "STT",
        "Chỉ tiêu",
        "Đơn vị tính",
        "So sánh",
        "Kế hoạch",
        "Kế hoạch (cận trên)",
        "Thực hiện",
        "Loại số liệu",
        "% kế hoạch năm",
        "Cùng kỳ năm trước",
        "So cùng kỳ",
        "Đơn vị so cùng kỳ",
        "Đánh giá",
    ]
    formats = [INTEGER, None, None, None, NUMBER, NUMBER, NUMBER, None, PERCENT, NUMBER, NUMBER, None, None]
    table(ws, header, rows, [6, 50, 14, 12, 14, 14, 14, 12, 12, 14, 12, 12, 16], formats)
    for r, i in enumerate(report.indicators, start=2):  # each figure shown with its decimals as written
        for column in ("E", "F", "G", "J"):
            cell = ws[f"{column}{r}"]
            if isinstance(cell.value, int | float):
                places = i.places(float(cell.value))
                cell.number_format = INTEGER + ("." + "0" * places if places else "")


def _growth_sheet(ws: Worksheet, report: SynthesisReport) -> None:
    analysis = report.growth
    assert analysis is not None
    periods = analysis.periods()
    header = ["Mã", "Ngành kinh tế"]
    for p in periods:
        label = PERIOD_LABELS[p]
        header += [
            f"Kịch bản {label} (%)",
            f"Thực hiện {label} (%)",
            f"Chênh lệch {label} (điểm %)",
            f"Đóng góp {label} (điểm %)",
        ]
    header += ["Mục tiêu cả năm (%)", "Cần đạt các quý còn lại (%)"]
    rows = []
    for r in analysis.rows:
        values: list[object] = [r.code, r.name]
        for p in periods:
            values += [r.scenario.get(p), r.actual.get(p), r.gap.get(p), r.contribution.get(p)]
        values += [r.target, r.required]
        rows.append(values)
    table(ws, header, rows, [6, 40, *[13] * (4 * len(periods)), 13, 14], [None, None, *[NUMBER] * (len(header) - 2)])
    if analysis.total.actual:
        from openpyxl.drawing.image import Image

        from .chart import growth_chart_png

        ws.add_image(Image(io.BytesIO(growth_chart_png(analysis, dpi=100))), f"B{len(rows) + 4}")


def build_xlsx(report: SynthesisReport) -> Workbook:
    wb = Workbook()
    assert wb.active is not None
    _summary(wb.active, report)
    _counts_sheet(wb.create_sheet(SHEETS[1]), "Nhóm nhiệm vụ", [(g.section, g.counts) for g in report.groups], report)
    items = [(d.department, d.counts) for d in report.departments]
    _counts_sheet(wb.create_sheet(SHEETS[2]), "Đơn vị chủ trì", items, report)
    rows = [
        [n, t.text, wording.names(t.departments), t.deadline_text, t.due, t.days_overdue, t.difficulty]
        for n, t in enumerate(report.overdue, start=1)
    ]
    header = [
        "STT",
        "Nhiệm vụ",
        "Đơn vị chủ trì",
        "Thời hạn",
        "Hạn hoàn thành",
        "Số ngày quá hạn",
        "Khó khăn, vướng mắc",
    ]
    widths = [6, 70, 30, 22, 14, 12, 45]
    table(wb.create_sheet(SHEETS[3]), header, rows, widths, [INTEGER, None, None, None, DATE, INTEGER, None])
    _indicator_sheet(wb.create_sheet(SHEETS[4]), report)
    if report.growth is not None:
        _growth_sheet(wb.create_sheet(SHEETS[5]), report)
    rows = [
        [n, m.department, m.group, ", ".join(m.missing), len(m.missing), ", ".join(m.late), len(m.late), m.recipient]
        for n, m in enumerate(report.missing, start=1)
    ]
    header = ["STT", "Đơn vị", "Thuộc nhóm", "Kỳ chưa báo cáo", "Số kỳ chưa báo cáo", "Kỳ báo cáo chậm", "Số kỳ chậm"]
    total = [
        "",
        "Cộng",
        "",
        "",
        sum(len(m.missing) for m in report.missing),
        "",
        sum(len(m.late) for m in report.missing),
    ]
    table(
        wb.create_sheet(SHEETS[6]),
        [*header, "Nơi nhận báo cáo"],
        rows,
        [6, 40, 22, 30, 12, 30, 12, 30],
        [INTEGER, None, None, None, INTEGER, None, INTEGER, None],
        [*total, ""] if rows else None,
    )
    rows = [["Khó khăn, vướng mắc", n.department, n.task, n.text] for n in report.difficulties]
    rows += [["Đề xuất, kiến nghị", n.department, n.task, n.text] for n in report.proposals]
    table(wb.create_sheet(SHEETS[7]), ["Loại", "Đơn vị", "Nhiệm vụ", "Nội dung"], rows, [22, 35, 50, 80])
    _group_sheets(wb, report)
    return wb


def write_xlsx(report: SynthesisReport, out: str | Path) -> Path:
    out = Path(out)
    tmp = out.with_name(out.name + ".tmp")
    build_xlsx(report).save(tmp)
    tmp.replace(out)
    return out
