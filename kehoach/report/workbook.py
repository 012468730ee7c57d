"""Excel exports: the assignment matrix, a department's workbook, the growth figures sheet.

A department gets a workbook holding only its own tasks and indicators for a period: key
columns locked, the task and version ids hidden, drop-downs for the status. It fills it
offline and sends it back; `workbook_import` reads it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from ..errors import WorkbookError
from ..vn import Period, fold

FONT = "Times New Roman"
FORMAT_VERSION = "kehoach-workbook/1"
STATES = ("chưa thực hiện", "đang thực hiện", "hoàn thành")
STATE_CODES = {
    "chưa thực hiện": "not_started",
    "đang thực hiện": "in_progress",
    "hoàn thành": "done",
}
KINDS = {"ước tính": "estimate", "chính thức": "official"}
YES_NO = {"có": True, "không": False}
DATE_FORMAT = "dd/mm/yyyy"

INFO_SHEET, TASK_SHEET, INDICATOR_SHEET = "Thông tin", "Nhiệm vụ", "Chỉ tiêu"
ASSIGNMENT_SHEET = "Phân công"

_THIN = Side(style="thin", color="000000")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEAD_FILL = PatternFill("solid", fgColor="DDE6F0")
_EDIT_FILL = PatternFill("solid", fgColor="FFF9DB")  # cells the department fills


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    width: float
    editable: bool = False
    hidden: bool = False


TASK_COLUMNS = (
    Column("id", "Mã nhiệm vụ", 10, hidden=True),
    Column("version", "Phiên bản", 8, hidden=True),
    Column("no", "STT", 6),
    Column("section", "Nhóm nhiệm vụ", 30),
    Column("text", "Nhiệm vụ", 60),
    Column("deadline_text", "Thời hạn", 18),
    Column("due", "Hạn hoàn thành", 14),
    Column("status", "Trạng thái hiện tại", 20),
    Column("state", "Tình trạng", 18, editable=True),
    Column("percent", "Tỷ lệ hoàn thành (%)", 12, editable=True),
    Column("on", "Ngày cập nhật/hoàn thành", 14, editable=True),
    Column("narrative", "Kết quả thực hiện", 45, editable=True),
    Column("product_number", "Số văn bản (sản phẩm)", 18, editable=True),
    Column("difficulties", "Khó khăn, vướng mắc", 35, editable=True),
    Column("proposals", "Đề xuất, kiến nghị", 35, editable=True),
)
INDICATOR_COLUMNS = (
    Column("id", "Mã chỉ tiêu", 10, hidden=True),
    Column("no", "STT", 6),
    Column("name", "Chỉ tiêu", 55),
    Column("unit", "Đơn vị tính", 14),
    Column("target", "Kế hoạch", 16),
    Column("value", "Thực hiện", 14, editable=True),
    Column("kind", "Loại số liệu", 14, editable=True),
    Column("cumulative", "Lũy kế từ đầu năm", 12, editable=True),
    Column("note", "Ghi chú", 35, editable=True),
)
ASSIGNMENT_COLUMNS = (
    Column("no", "STT", 6),
    Column("section", "Nhóm nhiệm vụ", 30),
    Column("text", "Nhiệm vụ", 60),
    Column("lead", "Chủ trì", 28),
    Column("coordinate", "Phối hợp", 28),
    Column("monitor", "Theo dõi, đôn đốc", 24),
    Column("deadline_text", "Thời hạn", 18),
    Column("due", "Hạn hoàn thành", 14),
    Column("status", "Trạng thái", 22),
    Column("done_on", "Ngày hoàn thành", 14),
    Column("percent", "Tỷ lệ hoàn thành (%)", 12),
)
INDICATOR_PLAN_COLUMNS = (
    Column("no", "STT", 6),
    Column("group", "Nhóm chỉ tiêu", 30),
    Column("name", "Chỉ tiêu", 50),
    Column("unit", "Đơn vị tính", 14),
    Column("target", "Kế hoạch", 16),
    Column("year", "Năm", 10),
    Column("agency", "Cơ quan theo dõi", 28),
    Column("actual", "Thực hiện", 14),
    Column("evaluation", "Đánh giá", 14),
)


# --- writing ------------------------------------------------------------------------------------


def _header(ws: Worksheet, columns: Sequence[Column]) -> None:
    for j, col in enumerate(columns, start=1):
        cell = ws.cell(1, j, col.header)
        cell.font = Font(name=FONT, bold=True, size=12)
        cell.fill = _HEAD_FILL if not col.editable else _EDIT_FILL
        cell.border = _BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        dim = ws.column_dimensions[get_column_letter(j)]
        dim.width = col.width
        dim.hidden = col.hidden
    ws.freeze_panes = "A2"


def _rows(ws: Worksheet, columns: Sequence[Column], rows: Sequence[dict]) -> None:
    for i, row in enumerate(rows, start=2):
        for j, col in enumerate(columns, start=1):
            # Cells to fill start empty: only what the user types there counts as an update.
            value = None if col.editable else row.get(col.key)
            if isinstance(value, list | tuple):
                value = "; ".join(str(v) for v in value)
            cell = ws.cell(i, j, value)
            cell.font = Font(name=FONT, size=12)
            cell.border = _BORDER
            cell.alignment = Alignment(vertical="top", wrap_text=True)
            if isinstance(value, date):
                cell.number_format = DATE_FORMAT
            if col.editable:
                cell.fill = _EDIT_FILL
                cell.protection = Protection(locked=False)


def _date_or_none(value: Any) -> date | None:
    if value is None or value == "":
        return None
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def target_text(ind: dict) -> str:
    """`7 - 7,5`, `≥ 30.000`, or the qualitative target's text."""
    from ..vn import fmt_number

    comparator = ind.get("comparator") or "="
    if comparator == "range":
        return f"{fmt_number(ind.get('min'))} - {fmt_number(ind.get('max'))}"
    value = ind.get("target", ind.get("value"))  # the register says target; plan/v1 value
    if comparator == "qualitative" or value is None:
        return "Đạt" if comparator == "qualitative" else ""
    prefix = {">=": "≥ ", ">": "> ", "<=": "≤ ", "<": "< "}.get(comparator, "")
    return prefix + fmt_number(value)


def _info(ws: Worksheet, items: Sequence[tuple[str, object]]) -> None:
    for i, (key, value) in enumerate(items, start=1):
        ws.cell(i, 1, key).font = Font(name=FONT, bold=True, size=12)
        cell = ws.cell(i, 2, value)
        cell.font = Font(name=FONT, size=12)
        if isinstance(value, date):
            cell.number_format = DATE_FORMAT
    ws.column_dimensions["A"].width = 28
    ws.column_dimensions["B"].width = 80


def assignment_workbook(plan: dict, tasks: Sequence[dict], indicators: Sequence[dict]) -> Workbook:
    """The whole plan: who leads, coordinates and monitors each task, and its indicators."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = ASSIGNMENT_SHEET
    _header(ws, ASSIGNMENT_COLUMNS)
    rows = []
    for n, t in enumerate(tasks, start=1):
        rows.append(
            t
            | {
                "no": n,
                "due": _date_or_none(t.get("due")),
                "done_on": _date_or_none(t.get("done_on")),
            }
        )
    _rows(ws, ASSIGNMENT_COLUMNS, rows)
    ws = wb.create_sheet(INDICATOR_SHEET)
    _header(ws, INDICATOR_PLAN_COLUMNS)
    _rows(
        ws,
        INDICATOR_PLAN_COLUMNS,
        [
            i | {"no": n, "target": target_text(i), "agency": i.get("agency") or i.get("agencies")}
            for n, i in enumerate(indicators, start=1)
        ],
    )
    _info(
        wb.create_sheet(INFO_SHEET),
        [
            ("Kế hoạch số", plan.get("number")),
            ("Trích yếu", plan.get("title")),
            ("Cơ quan ban hành", plan.get("issuer")),
            ("Số nhiệm vụ", len(tasks)),
            ("Số chỉ tiêu", len(indicators)),
        ],
    )
    return wb


@dataclass(frozen=True)
class Meta:
    """What the information sheet of a department's workbook says it is for."""

    plan_id: int
    plan_number: str
    department: str
    period: str
    exported_on: date


def department_workbook(
    meta: Meta, tasks: Sequence[dict], indicators: Sequence[dict], *, password: str | None = None
) -> Workbook:
    """A department's own tasks and indicators for a period, ready to fill offline."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = TASK_SHEET
    _header(ws, TASK_COLUMNS)
    _rows(
        ws,
        TASK_COLUMNS,
        [t | {"no": n, "due": _date_or_none(t.get("due"))} for n, t in enumerate(tasks, start=1)],
    )
    last = max(len(tasks) + 1, 2)
    _validations(
        ws,
        TASK_COLUMNS,
        last,
        {
            "state": _list_validation(STATES, "Tình trạng", "Chọn một tình trạng trong danh sách."),
            "percent": _decimal_validation(0, 100),
            "on": _date_validation(),
        },
    )
    _protect(ws, password)
    ws = wb.create_sheet(INDICATOR_SHEET)
    _header(ws, INDICATOR_COLUMNS)
    _rows(
        ws,
        INDICATOR_COLUMNS,
        [
            {
                "id": i["id"],
                "no": n,
                "name": i.get("name"),
                "unit": i.get("unit"),
                "target": target_text(i),
            }
            for n, i in enumerate(indicators, start=1)
        ],
    )
    last = max(len(indicators) + 1, 2)
    _validations(
        ws,
        INDICATOR_COLUMNS,
        last,
        {
            "value": _decimal_validation(None, None),
            "kind": _list_validation(tuple(KINDS), "Loại số liệu", "Chọn 'ước tính' hoặc 'chính thức'."),
            "cumulative": _list_validation(tuple(YES_NO), "Lũy kế", "Chọn 'có' hoặc 'không'."),
        },
    )
    _protect(ws, password)
    info = wb.create_sheet(INFO_SHEET)
    _info(
        info,
        [
            ("Định dạng", FORMAT_VERSION),
            ("Mã kế hoạch", meta.plan_id),
            ("Kế hoạch số", meta.plan_number),
            ("Đơn vị", meta.department),
            ("Kỳ báo cáo", meta.period),
            ("Ngày xuất", meta.exported_on),
            (
                "Hướng dẫn",
                "Chỉ điền vào các ô màu vàng; không thêm, xóa hay đổi thứ tự dòng. "
                "Tình trạng chọn trong danh sách; ngày viết dd/mm/yyyy (để trống: ngày cuối kỳ); "
                "số viết 1.234,5.",
            ),
        ],
    )
    _protect(info, password)
    return wb


def _list_validation(values: Sequence[str], title: str, message: str) -> DataValidation:
    dv = DataValidation(type="list", formula1='"' + ",".join(values) + '"', allow_blank=True)
    dv.error, dv.errorTitle, dv.prompt, dv.promptTitle = message, title, message, title
    dv.showErrorMessage = dv.showInputMessage = True
    return dv


def _decimal_validation(low: float | None, high: float | None) -> DataValidation:
    if low is None:
        dv = DataValidation(
            type="decimal",
            operator="between",
            formula1="-1E+15",
            formula2="1E+15",
            allow_blank=True,
        )
        dv.error = "Nhập một số."
    else:
        dv = DataValidation(
            type="decimal",
            operator="between",
            formula1=str(low),
            formula2=str(high),
            allow_blank=True,
        )
        dv.error = f"Nhập một số từ {low} đến {high}."
    dv.errorTitle, dv.showErrorMessage = "Số không hợp lệ", True
    return dv


def _date_validation() -> DataValidation:
    dv = DataValidation(type="date", operator="greaterThan", formula1="36526", allow_blank=True)
    dv.error, dv.errorTitle, dv.showErrorMessage = "Nhập ngày dạng dd/mm/yyyy.", "Ngày", True
    return dv


def _validations(ws: Worksheet, columns: Sequence[Column], last_row: int, rules: dict[str, DataValidation]) -> None:
    for j, col in enumerate(columns, start=1):
        if col.key in rules:
            dv = rules[col.key]
            letter = get_column_letter(j)
            dv.add(f"{letter}2:{letter}{last_row}")
            ws.add_data_validation(dv)
            if col.key == "on":
                for row in range(2, last_row + 1):
                    ws.cell(row, j).number_format = DATE_FORMAT


def _protect(ws: Worksheet, password: str | None) -> None:
    ws.protection.sheet = True
    ws.protection.formatColumns = False  # widths may still be changed
    ws.protection.formatRows = False
    if password:
        ws.protection.password = password


def save(wb: Workbook, out: str | Path) -> Path:
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".tmp")
    wb.save(tmp)
    tmp.replace(out)
    return out


# --- growth figures -----------------------------------------------------------------------------

GROWTH_SHEET = "Tăng trưởng"
_ROMAN = ("I", "II", "III", "IV")
GROWTH_PREVIOUS = [f"GRDP năm trước Quý {r} (tỷ đồng, giá so sánh 2010)" for r in _ROMAN]
GROWTH_ACTUAL = [f"Tăng trưởng thực hiện Quý {r} (%)" for r in _ROMAN]
GROWTH_COLUMNS = (
    Column("code", "Mã", 6),
    Column("name", "Ngành kinh tế", 45),
    *[Column(f"prev{q}", h, 16, editable=True) for q, h in enumerate(GROWTH_PREVIOUS, start=1)],
    *[Column(f"act{q}", h, 14, editable=True) for q, h in enumerate(GROWTH_ACTUAL, start=1)],
)


def growth_workbook(scenario: dict) -> Workbook:
    """A sheet to enter, per sector of the scenario, last year's GRDP and this year's growth."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = GROWTH_SHEET
    _header(ws, GROWTH_COLUMNS)
    _rows(
        ws,
        GROWTH_COLUMNS,
        [{"code": r.get("code"), "name": r["name"]} for r in scenario.get("rows") or []],
    )
    _validations(
        ws,
        GROWTH_COLUMNS,
        max(len(scenario.get("rows") or []) + 1, 2),
        {c.key: _decimal_validation(None, None) for c in GROWTH_COLUMNS if c.editable},
    )
    _info(
        wb.create_sheet(INFO_SHEET),
        [
            ("Kịch bản", scenario.get("title")),
            (
                "Hướng dẫn",
                "GRDP năm trước theo giá so sánh 2010, cùng một đơn vị cho mọi ngành; "
                "tăng trưởng là % so với cùng kỳ (7,27 nghĩa là tăng 7,27%). Có thể bỏ "
                "trống dòng Tổng: kehoach cộng các ngành cấp 1.",
            ),
        ],
    )
    return wb


def belongs(task: dict, department: str) -> bool:
    """Whether `department` leads the task, as named in the plan or as its successor now."""
    want = fold(department)
    names = list(task.get("lead") or [])
    names += [o.rsplit(" (", 1)[0] for o in task.get("owner_now") or []]
    return any(fold(n) == want for n in names)


def indicator_agencies(ind: dict) -> list[str]:
    """The agencies an indicator names, as the plan writes them."""
    names = ind.get("agency") or ind.get("agencies") or []
    if isinstance(names, str):
        names = [names]
    out = [n if isinstance(n, str) else str(n.get("name")) for n in names]
    out += [o.rsplit(" (", 1)[0] for o in ind.get("owner_now") or []]
    return out


TASK_MATCH = 0.6  # an indicator without agencies goes to the task that names this much of it


class Owners:
    """Who answers for each indicator of a plan on a day: the agencies it names, as the bodies
    existing then (a merged department's successor); where it names none, the leads of the task
    that speaks of it (the indicator's content words, weighted by rarity among the plan's tasks,
    found in one task's text)."""

    def __init__(self, tasks: Sequence[dict], registry: Any, province: str | None, on: date) -> None:
        from .coverage import words

        self.registry, self.province, self.on = registry, province, on
        self._tasks = [(words(t.get("text") or ""), t) for t in tasks if t.get("lead") or t.get("owner_now")]
        df: dict[str, int] = {}
        for ws, _ in self._tasks:
            for w in ws:
                df[w] = df.get(w, 0) + 1
        n = len(self._tasks)
        self._idf = {w: math.log((n + 1) / (c + 1)) + 1e-6 for w, c in df.items()}
        self._default = math.log(n + 1) + 1e-6

    def _weight(self, w: str) -> float:
        return self._idf.get(w, self._default)

    def of(self, ind: dict) -> list[str]:
        named = indicator_agencies(ind)
        if named:
            return list(dict.fromkeys(self.registry.now(n, self.province, self.on) for n in named))
        from .coverage import words

        wanted = words(ind.get("name") or "")
        total = sum(self._weight(w) for w in wanted)
        best, owners = TASK_MATCH, []
        for ws, t in self._tasks:
            score = sum(self._weight(w) for w in wanted & ws) / total if total else 0.0
            if score >= best:
                leads = [o.rsplit(" (", 1)[0] for o in t.get("owner_now") or []] or list(t.get("lead") or [])
                best, owners = score, leads
        return owners

    def owns(self, ind: dict, department: str) -> bool:
        return any(fold(n) == fold(department) for n in self.of(ind))


# --- the register -------------------------------------------------------------------------------


def _in_period(task: dict, period: Period) -> bool:
    """Open tasks, and tasks done within the period: what a department reports on."""
    done = _date_or_none(task.get("done_on"))
    return done is None or done >= period.start


def plan_indicators(db: Any, plan_id: int, as_of: date) -> list[dict]:
    return list(db.indicators(plan=plan_id, as_of=as_of))


def department_share(
    db: Any, plan_id: int, department: str, period: Period, as_of: date, tasks: list[dict] | None = None
) -> tuple[list, list]:
    """A department's tasks for the period (open, or done within it) and its indicators."""
    plan = db.plan(plan_id)
    tasks = db.tasks(plan=plan_id, as_of=as_of) if tasks is None else tasks
    # Exact names (as written in the plan, or its successor's now), not the register's search.
    own = [t for t in tasks if belongs(t, department)]
    owners = Owners(tasks, db.registry, plan.get("province") or None, as_of)
    indicators = [i for i in plan_indicators(db, plan_id, as_of) if owners.owns(i, department)]
    return [t for t in own if _in_period(t, period)], indicators


def export_assignment(db: Any, plan_id: int, out: str | Path, *, as_of: date | None = None) -> Path:
    """`kehoach export PLAN`: the assignment matrix and the indicator sheet."""
    as_of = as_of or db.today()
    plan = db.plan(plan_id)
    tasks = db.tasks(plan=plan_id, as_of=as_of)
    return save(assignment_workbook(plan, tasks, plan_indicators(db, plan_id, as_of)), out)


def export_department(
    db: Any,
    plan_id: int,
    department: str,
    period: str | Period,
    out: str | Path,
    *,
    today: date | None = None,
    password: str | None = None,
) -> Path:
    """`kehoach export PLAN --department X --period P`: X's own workbook to fill offline."""
    p = _period(period, WorkbookError)
    today = today or db.today()
    as_of = min(today, p.end)
    plan = db.plan(plan_id)
    every = db.tasks(plan=plan_id, as_of=as_of)
    if not any(belongs(t, department) for t in every):
        raise WorkbookError(
            f"Đơn vị '{department}' không chủ trì nhiệm vụ nào của kế hoạch "
            f"{plan.get('number') or plan_id}: kiểm tra tên đơn vị bằng `kehoach agencies`"
        )
    tasks, indicators = department_share(db, plan_id, department, p, as_of, every)
    meta = Meta(plan_id, plan.get("number") or "", department, str(p), today)
    return save(department_workbook(meta, tasks, indicators, password=password), out)


def export_growth(db: Any, plan_id: int, out: str | Path, *, scenario: int = 0) -> Path:
    """`kehoach export PLAN --growth`: the sheet to enter growth figures against a scenario."""
    scenarios = db.plan_data(plan_id).get("scenarios") or []
    if not 0 <= scenario < len(scenarios):
        raise WorkbookError(
            f"Kế hoạch {plan_id} có {len(scenarios)} kịch bản tăng trưởng; không có kịch bản số {scenario + 1}"
        )
    return save(growth_workbook(scenarios[scenario]), out)


def _period(value: str | Period, error: type[Exception]) -> Period:
    if isinstance(value, Period):
        return value
    try:
        return Period.parse(value)
    except ValueError as e:
        raise error(str(e)) from None
