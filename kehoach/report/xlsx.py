"""The synthesis report as an XLSX workbook: one sheet per table, numbers kept as numbers."""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from ..track.growth import PERIOD_LABELS
from .content import (
    STATUS_LABELS,
    STATUSES,
    SynthesisReport,
    on_time_share,
    overview,
)

FONT = "Times New Roman"
NUMBER = "#,##0.00"
INTEGER = "#,##0"
DATE = "dd/mm/yyyy"
_THIN = Side(style="thin", color="000000")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEAD_FILL = PatternFill("solid", fgColor="DDE6F0")

SHEETS = ("Tổng hợp", "Theo đơn vị", "Quá hạn", "Chỉ tiêu", "Tăng trưởng", "Kiến nghị")


def _table(
    ws: Worksheet,
    header: Sequence[str],
    rows: Sequence[Sequence[object]],
    widths: Sequence[float],
    start_row: int = 1,
    formats: Sequence[str | None] = (),
) -> None:
    for j, (text, width) in enumerate(zip(header, widths, strict=True), start=1):
        cell = ws.cell(start_row, j, text)
        cell.font = Font(name=FONT, bold=True, size=12)
        cell.fill = _HEAD_FILL
        cell.border = _BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        ws.column_dimensions[get_column_letter(j)].width = width
    for i, values in enumerate(rows, start=start_row + 1):
        for j, value in enumerate(values, start=1):
            cell = ws.cell(i, j, value)
            cell.font = Font(name=FONT, size=12)
            cell.border = _BORDER
            cell.alignment = Alignment(vertical="top", wrap_text=True)
            fmt = formats[j - 1] if j - 1 < len(formats) else None
            if fmt and value is not None:
                cell.number_format = fmt
    ws.freeze_panes = ws.cell(start_row + 1, 1)


def _summary(ws: Worksheet, report: SynthesisReport) -> None:
    ws.title = SHEETS[0]
    meta = [
        ("Cơ quan báo cáo", report.issuer),
        ("Kế hoạch số", report.plan_number),
        ("Trích yếu", report.plan_title),
        ("Kỳ báo cáo", report.period.label),
        ("Ngày báo cáo", report.report_date),
        ("Tổng số nhiệm vụ", report.total_tasks),
        *[(STATUS_LABELS[s], report.status_counts.get(s, 0)) for s in STATUSES],
        ("Tỷ lệ hoàn thành đúng hạn (%)", on_time_share(report.status_counts)),
        ("Tình hình chung", overview(report)),
    ]
    for i, (key, value) in enumerate(meta, start=1):
        ws.cell(i, 1, key).font = Font(name=FONT, bold=True, size=12)
        cell = ws.cell(i, 2, value)
        cell.font = Font(name=FONT, size=12)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        if key == "Ngày báo cáo":
            cell.number_format = DATE
        elif isinstance(value, float):
            cell.number_format = NUMBER
    ws.column_dimensions["A"].width = 32
    ws.column_dimensions["B"].width = 100


def build_xlsx(report: SynthesisReport) -> Workbook:
    wb = Workbook()
    _summary(wb.active, report)  # type: ignore[arg-type]
    ws = wb.create_sheet(SHEETS[1])
    rows = [
        [n, d.department, d.total, *[d.counts.get(s, 0) for s in STATUSES], d.on_time_share]
        for n, d in enumerate(report.departments, start=1)
    ]
    _table(
        ws,
        [
            "STT",
            "Đơn vị chủ trì",
            "Tổng số",
            *[STATUS_LABELS[s] for s in STATUSES],
            "Tỷ lệ đúng hạn (%)",
        ],
        rows,
        [6, 45, 10, 14, 14, 14, 12, 14],
        formats=[None, None, INTEGER, INTEGER, INTEGER, INTEGER, INTEGER, NUMBER],
    )
    ws = wb.create_sheet(SHEETS[2])
    rows = [
        [n, t.text, ", ".join(t.departments), t.deadline_text, t.due, t.days_overdue, t.difficulty]
        for n, t in enumerate(report.overdue, start=1)
    ]
    _table(
        ws,
        [
            "STT",
            "Nhiệm vụ",
            "Đơn vị chủ trì",
            "Thời hạn",
            "Hạn hoàn thành",
            "Số ngày quá hạn",
            "Khó khăn, vướng mắc",
        ],
        rows,
        [6, 70, 30, 22, 14, 12, 45],
        formats=[None, None, None, None, DATE, INTEGER, None],
    )
    ws = wb.create_sheet(SHEETS[3])
    rows = [
        [
            n,
            i.name,
            i.unit,
            i.target_text,
            i.actual,
            i.percent_of_plan,
            i.previous,
            i.same_period,
            i.verdict,
        ]
        for n, i in enumerate(report.indicators, start=1)
    ]
    _table(
        ws,
        [
            "STT",
            "Chỉ tiêu",
            "Đơn vị tính",
            "Kế hoạch",
            "Thực hiện",
            "% kế hoạch",
            "Cùng kỳ năm trước",
            "So cùng kỳ (%)",
            "Đánh giá",
        ],
        rows,
        [6, 50, 14, 16, 14, 12, 14, 12, 12],
        formats=[None, None, None, None, NUMBER, NUMBER, NUMBER, NUMBER, None],
    )
    if report.growth is not None:
        _growth_sheet(wb.create_sheet(SHEETS[4]), report)
    ws = wb.create_sheet(SHEETS[5])
    rows = [["Khó khăn, vướng mắc", n.department, n.text] for n in report.difficulties]
    rows += [["Đề xuất, kiến nghị", n.department, n.text] for n in report.proposals]
    _table(ws, ["Loại", "Đơn vị", "Nội dung"], rows, [22, 40, 90])
    return wb


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
    widths = [6, 40, *[13] * (4 * len(periods)), 13, 14]
    _table(ws, header, rows, widths, formats=[None, None, *[NUMBER] * (len(header) - 2)])
    if analysis.quarters_known:
        from openpyxl.drawing.image import Image

        from .chart import growth_chart_png

        chart = Image(io.BytesIO(growth_chart_png(analysis, dpi=100)))
        ws.add_image(chart, f"B{len(rows) + 4}")


def write_xlsx(report: SynthesisReport, out: str | Path) -> Path:
    out = Path(out)
    tmp = out.with_name(out.name + ".tmp")
    build_xlsx(report).save(tmp)
    tmp.replace(out)
    return out
