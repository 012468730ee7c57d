"""Excel round-trip: the assignment matrix, and a department's workbook filled offline.

A department gets a workbook holding only its own tasks and indicators for a period: key
columns locked, the task id hidden, a drop-down for the status. It fills it and sends it
back; `read_workbook` checks every row (unknown task, another department's task, bad date
or number: each with its row and column), and `import_workbook` applies the valid rows in
one transaction — or nothing at all if any row is wrong, as the user chooses.
"""

from __future__ import annotations

import contextlib
import copy
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from .errors import KehoachError
from .fmt import Period, fmt_date, parse_date, parse_number
from .growth import GrowthInput
from .succession import fold

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


class WorkbookError(KehoachError):
    """A workbook that is not one kehoach exported (missing sheet, header or key)."""


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
    from .fmt import fmt_number

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
            "kind": _list_validation(
                tuple(KINDS), "Loại số liệu", "Chọn 'ước tính' hoặc 'chính thức'."
            ),
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
                "Tình trạng chọn trong danh sách; ngày viết dd/mm/yyyy; số viết 1.234,5.",
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


def _validations(
    ws: Worksheet, columns: Sequence[Column], last_row: int, rules: dict[str, DataValidation]
) -> None:
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


# --- reading ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Issue:
    """One problem in a filled workbook, where the user can find it."""

    sheet: str
    row: int
    column: str  # the column letter
    field: str  # the column header
    value: object
    message: str

    def __str__(self) -> str:
        shown = "" if self.value in (None, "") else f" '{self.value}'"
        where = f"{self.sheet}, dòng {self.row}, cột {self.column} ({self.field})"
        return f"{where}{shown}: {self.message}"


@dataclass(frozen=True)
class TaskUpdate:
    row: int
    task_id: int
    version: int | None
    state: str | None  # not_started | in_progress | done
    percent: float | None
    on: date | None
    narrative: str | None
    product_number: str | None
    difficulties: str | None
    proposals: str | None


@dataclass(frozen=True)
class ValueUpdate:
    row: int
    indicator_id: int
    value: float
    kind: str  # estimate | official
    cumulative: bool
    note: str | None


@dataclass
class Filled:
    """A department's workbook as read: its meta, the rows it filled, and what is wrong."""

    meta: Meta
    tasks: list[TaskUpdate] = field(default_factory=list)
    values: list[ValueUpdate] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)


def _text(value: object) -> str | None:
    if value is None:
        return None
    s = " ".join(str(value).split())
    return s or None


def _sheet(wb: Workbook, name: str) -> Worksheet:
    if name not in wb.sheetnames:
        raise WorkbookError(
            f"Tệp không có trang '{name}': hãy dùng tệp xuất bằng `kehoach export --department`"
        )
    return wb[name]


def _read_meta(wb: Workbook) -> Meta:
    ws = _sheet(wb, INFO_SHEET)
    info = {ws.cell(r, 1).value: ws.cell(r, 2).value for r in range(1, ws.max_row + 1)}
    if info.get("Định dạng") != FORMAT_VERSION:
        raise WorkbookError(
            f"Trang '{INFO_SHEET}' không ghi định dạng {FORMAT_VERSION}: tệp không do kehoach "
            "xuất hoặc đã bị sửa; hãy xuất lại bằng `kehoach export --department`"
        )
    try:
        return Meta(
            int(info["Mã kế hoạch"]),
            str(info["Kế hoạch số"] or ""),
            str(info["Đơn vị"]),
            str(Period.parse(str(info["Kỳ báo cáo"]))),
            parse_date(info["Ngày xuất"]),
        )
    except (KeyError, TypeError, ValueError) as e:
        raise WorkbookError(
            f"Trang '{INFO_SHEET}' thiếu hoặc sai thông tin ({e}): hãy xuất lại"
        ) from e


def _columns(ws: Worksheet, columns: Sequence[Column]) -> dict[str, int]:
    """Map keys to column numbers by the header, so a moved column is still found."""
    headers = {_text(ws.cell(1, j).value): j for j in range(1, ws.max_column + 1)}
    found = {}
    for col in columns:
        if col.header not in headers:
            raise WorkbookError(f"Trang '{ws.title}' thiếu cột '{col.header}': hãy xuất lại tệp")
        found[col.key] = headers[col.header]
    return found


def read_workbook(path: str | Path, *, today: date | None = None) -> Filled:
    """Read a filled department workbook and check each value's form.

    Whether each task and indicator exists and belongs to the department is checked against
    the register by `check_ownership`.
    """
    today = today or date.today()
    try:
        wb = load_workbook(path, data_only=True)
    except (OSError, ValueError, KeyError) as e:
        raise WorkbookError(f"{path}: không đọc được tệp Excel ({e})") from e
    filled = Filled(_read_meta(wb))
    _read_tasks(_sheet(wb, TASK_SHEET), filled, today)
    if INDICATOR_SHEET in wb.sheetnames:
        _read_values(wb[INDICATOR_SHEET], filled)
    return filled


def _read_tasks(ws: Worksheet, filled: Filled, today: date) -> None:
    cols = _columns(ws, TASK_COLUMNS)
    edit = [c for c in TASK_COLUMNS if c.editable]
    for r in range(2, ws.max_row + 1):
        raw = {c.key: ws.cell(r, cols[c.key]).value for c in TASK_COLUMNS}
        if all(_text(raw[c.key]) is None for c in edit):
            continue

        def issue(key: str, message: str, _r: int = r, _raw: dict = raw) -> None:
            col = next(c for c in TASK_COLUMNS if c.key == key)
            filled.issues.append(
                Issue(TASK_SHEET, _r, get_column_letter(cols[key]), col.header, _raw[key], message)
            )

        before = len(filled.issues)
        task_id = _int(raw["id"])
        if task_id is None:
            issue("id", "dòng không có mã nhiệm vụ: chỉ điền vào các dòng có sẵn, không thêm dòng")
        version = _int(raw["version"])
        state = None
        if _text(raw["state"]):
            state = _state_code(_text(raw["state"]) or "")
            if state is None:
                issue("state", "tình trạng phải là một trong: " + "; ".join(STATES))
        percent = None
        if _text(raw["percent"]) is not None:
            try:
                percent = parse_number(raw["percent"])  # type: ignore[arg-type]
                if not 0 <= percent <= 100:
                    issue("percent", "tỷ lệ phải từ 0 đến 100")
            except ValueError as e:
                issue("percent", str(e))
        on = None
        if _text(raw["on"]) is not None:
            try:
                on = parse_date(raw["on"] if isinstance(raw["on"], date) else str(raw["on"]))
                if on > today:
                    issue("on", f"ngày ở tương lai (hôm nay là {fmt_date(today)})")
            except ValueError as e:
                issue("on", str(e))
        product = _text(raw["product_number"])
        if product and not _looks_like_number(product):
            issue("product_number", "số văn bản có dạng 123/QĐ-UBND")
        if state == "done" and not product:
            issue("product_number", "nhiệm vụ chỉ hoàn thành khi có sản phẩm: ghi số văn bản")
        if len(filled.issues) == before and task_id is not None:
            filled.tasks.append(
                TaskUpdate(
                    r,
                    task_id,
                    version,
                    state,
                    percent,
                    on,
                    _text(raw["narrative"]),
                    product,
                    _text(raw["difficulties"]),
                    _text(raw["proposals"]),
                )
            )


def _read_values(ws: Worksheet, filled: Filled) -> None:
    cols = _columns(ws, INDICATOR_COLUMNS)
    edit = [c for c in INDICATOR_COLUMNS if c.editable]
    for r in range(2, ws.max_row + 1):
        raw = {c.key: ws.cell(r, cols[c.key]).value for c in INDICATOR_COLUMNS}
        if all(_text(raw[c.key]) is None for c in edit):
            continue

        def issue(key: str, message: str, _r: int = r, _raw: dict = raw) -> None:
            col = next(c for c in INDICATOR_COLUMNS if c.key == key)
            filled.issues.append(
                Issue(
                    INDICATOR_SHEET,
                    _r,
                    get_column_letter(cols[key]),
                    col.header,
                    _raw[key],
                    message,
                )
            )

        before = len(filled.issues)
        ind_id = _int(raw["id"])
        if ind_id is None:
            issue("id", "dòng không có mã chỉ tiêu: chỉ điền vào các dòng có sẵn, không thêm dòng")
        value = None
        if _text(raw["value"]) is None:
            issue("value", "chưa ghi số liệu thực hiện")
        else:
            try:
                value = parse_number(raw["value"])  # type: ignore[arg-type]
            except ValueError as e:
                issue("value", str(e))
        kind = KINDS.get((_text(raw["kind"]) or "ước tính").lower())
        if kind is None:
            issue("kind", "loại số liệu phải là 'ước tính' hoặc 'chính thức'")
        cumulative = YES_NO.get((_text(raw["cumulative"]) or "không").lower())
        if cumulative is None:
            issue("cumulative", "lũy kế phải là 'có' hoặc 'không'")
        if len(filled.issues) == before and ind_id is not None and value is not None:
            filled.values.append(
                ValueUpdate(
                    r, ind_id, value, kind or "estimate", bool(cumulative), _text(raw["note"])
                )
            )


def _state_code(text: str) -> str | None:
    folded = fold(text)
    for label, code in STATE_CODES.items():
        if fold(label) == folded or code == folded:
            return code
    return None


def _int(value: object) -> int | None:
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    s = str(value).strip()
    return int(s) if s.isdigit() else None


def _looks_like_number(value: str) -> bool:
    """A document number such as `123/QĐ-UBND` or `86-CTr/TU` (the store's rule)."""
    v = value.strip()
    return bool(v) and v[0].isdigit() and ("/" in v or "-" in v) and len(v) <= 200


def belongs(task: dict, department: str) -> bool:
    """Whether `department` leads the task, as named in the plan or as its successor now."""
    want = fold(department)
    names = list(task.get("lead") or [])
    names += [o.rsplit(" (", 1)[0] for o in task.get("owner_now") or []]
    return any(fold(n) == want for n in names)


def check_ownership(filled: Filled, tasks: dict[int, dict], indicators: dict[int, dict]) -> None:
    """Flag rows naming a task or indicator the plan does not have, or another department's."""
    dept = filled.meta.department
    keep = []
    for u in filled.tasks:
        t = tasks.get(u.task_id)
        if t is None:
            filled.issues.append(
                Issue(
                    TASK_SHEET,
                    u.row,
                    "A",
                    "Mã nhiệm vụ",
                    u.task_id,
                    f"không có nhiệm vụ này trong kế hoạch {filled.meta.plan_number}",
                )
            )
        elif not belongs(t, dept):
            leads = ", ".join(t.get("lead") or []) or "chưa giao"
            filled.issues.append(
                Issue(
                    TASK_SHEET,
                    u.row,
                    "A",
                    "Mã nhiệm vụ",
                    u.task_id,
                    f"nhiệm vụ của đơn vị khác ({leads}), không phải của {dept}",
                )
            )
        else:
            keep.append(u)
    filled.tasks = keep
    keep_values = []
    for v in filled.values:
        ind = indicators.get(v.indicator_id)
        if ind is None:
            filled.issues.append(
                Issue(
                    INDICATOR_SHEET,
                    v.row,
                    "A",
                    "Mã chỉ tiêu",
                    v.indicator_id,
                    f"không có chỉ tiêu này trong kế hoạch {filled.meta.plan_number}",
                )
            )
        elif not any(fold(a) == fold(dept) for a in _indicator_agencies(ind)):
            agencies = ", ".join(_indicator_agencies(ind)) or "chưa giao"
            filled.issues.append(
                Issue(
                    INDICATOR_SHEET,
                    v.row,
                    "A",
                    "Mã chỉ tiêu",
                    v.indicator_id,
                    f"chỉ tiêu do đơn vị khác theo dõi ({agencies})",
                )
            )
        else:
            keep_values.append(v)
    filled.values = keep_values
    filled.issues.sort(key=lambda i: (i.sheet != TASK_SHEET, i.row, i.column))


def _indicator_agencies(ind: dict) -> list[str]:
    names = ind.get("agency") or ind.get("agencies") or []
    if isinstance(names, str):
        names = [names]
    out = [n if isinstance(n, str) else str(n.get("name")) for n in names]
    out += [o.rsplit(" (", 1)[0] for o in ind.get("owner_now") or []]
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


def read_growth(path: str | Path) -> tuple[GrowthInput, list[Issue]]:
    """Read a filled growth sheet: the figures, and any cell that is not a number."""
    try:
        wb = load_workbook(path, data_only=True)
    except (OSError, ValueError, KeyError) as e:
        raise WorkbookError(f"{path}: không đọc được tệp Excel ({e})") from e
    ws = _sheet(wb, GROWTH_SHEET)
    cols = _columns(ws, GROWTH_COLUMNS)
    data, issues = GrowthInput(), []
    for r in range(2, ws.max_row + 1):
        name = _text(ws.cell(r, cols["name"]).value)
        if not name:
            continue
        for c in GROWTH_COLUMNS:
            if not c.editable:
                continue
            raw = ws.cell(r, cols[c.key]).value
            if _text(raw) is None:
                continue
            try:
                value = parse_number(raw)  # type: ignore[arg-type]
            except ValueError as e:
                issues.append(
                    Issue(GROWTH_SHEET, r, get_column_letter(cols[c.key]), c.header, raw, str(e))
                )
                continue
            target = data.previous if c.key.startswith("prev") else data.actual
            target.setdefault(name, {})[int(c.key[-1])] = value
    return data, issues


# --- the register -------------------------------------------------------------------------------


def _in_period(task: dict, period: Period) -> bool:
    """Open tasks, and tasks done within the period: what a department reports on."""
    done = _date_or_none(task.get("done_on"))
    return done is None or done >= period.start


def _plan_indicators(db: Any, plan_id: int, as_of: date) -> list[dict]:
    return list(db.indicators(plan=plan_id, as_of=as_of))


def export_assignment(db: Any, plan_id: int, out: str | Path, *, as_of: date | None = None) -> Path:
    """`kehoach export PLAN`: the assignment matrix and the indicator sheet."""
    as_of = as_of or date.today()
    plan = db.plan(plan_id)
    tasks = db.tasks(plan=plan_id, as_of=as_of)
    return save(assignment_workbook(plan, tasks, _plan_indicators(db, plan_id, as_of)), out)


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
    p = period if isinstance(period, Period) else Period.parse(period)
    today = today or date.today()
    as_of = min(today, p.end)
    plan = db.plan(plan_id)
    tasks = [
        t
        for t in db.tasks(plan=plan_id, as_of=as_of, agency=department)
        if belongs(t, department) and _in_period(t, p)
    ]
    if not tasks and not any(belongs(t, department) for t in db.tasks(plan=plan_id, as_of=as_of)):
        raise WorkbookError(
            f"Đơn vị '{department}' không chủ trì nhiệm vụ nào của kế hoạch "
            f"{plan.get('number') or plan_id}: kiểm tra tên đơn vị bằng `kehoach agencies`"
        )
    indicators = [
        i
        for i in _plan_indicators(db, plan_id, as_of)
        if any(fold(a) == fold(department) for a in _indicator_agencies(i))
    ]
    meta = Meta(plan_id, plan.get("number") or "", department, str(p), today)
    return save(department_workbook(meta, tasks, indicators, password=password), out)


def export_growth(db: Any, plan_id: int, out: str | Path, *, scenario: int = 0) -> Path:
    """`kehoach export PLAN --growth`: the sheet to enter growth figures against a scenario."""
    scenarios = db.plan_data(plan_id).get("scenarios") or []
    if not 0 <= scenario < len(scenarios):
        raise WorkbookError(
            f"Kế hoạch {plan_id} có {len(scenarios)} kịch bản tăng trưởng; không có kịch bản số "
            f"{scenario + 1}"
        )
    return save(growth_workbook(scenarios[scenario]), out)


@dataclass
class ImportResult:
    filled: Filled
    applied_tasks: int = 0
    applied_values: int = 0
    mode: str = "all"

    @property
    def issues(self) -> list[Issue]:
        return self.filled.issues

    @property
    def applied(self) -> bool:
        return bool(self.applied_tasks or self.applied_values)


MODES = ("all", "valid")


def import_workbook(
    db: Any,
    path: str | Path,
    *,
    actor: str,
    mode: str = "all",
    today: date | None = None,
    dry_run: bool = False,
) -> ImportResult:
    """Check a filled department workbook and apply it.

    `mode="all"`: apply nothing unless every row is valid. `mode="valid"`: apply the valid rows
    and list the others. Either way what is applied goes in one transaction: if the register
    refuses one row, none is kept.
    """
    if mode not in MODES:
        raise WorkbookError(
            f"Chế độ '{mode}' không hợp lệ: dùng 'all' (tất cả hoặc không) "
            "hoặc 'valid' (chỉ các dòng hợp lệ)"
        )
    filled = read_workbook(path, today=today)
    meta = filled.meta
    period = Period.parse(meta.period)
    as_of = min(today or date.today(), period.end)
    tasks = {t["id"]: t for t in db.tasks(plan=meta.plan_id, as_of=as_of)}
    indicators = {i["id"]: i for i in _plan_indicators(db, meta.plan_id, as_of)}
    check_ownership(filled, tasks, indicators)
    result = ImportResult(filled, mode=mode)
    if dry_run or (mode == "all" and filled.issues):
        return result
    if not filled.tasks and not filled.values:
        return result
    current: TaskUpdate | ValueUpdate | None = None
    try:
        with transaction(db) as tx:
            for current in filled.tasks:
                _apply_task(tx, current, tasks[current.task_id], actor, period, today)
                result.applied_tasks += 1
            for current in filled.values:
                _apply_value(tx, current, meta, actor, today)
                result.applied_values += 1
    except KehoachError as e:
        filled.issues.append(_refusal(current, e))
        result.applied_tasks = result.applied_values = 0
    return result


# The register's field names → the workbook's columns, to place a refusal.
_FIELD_COLUMN = {
    "status": "state",
    "state": "state",
    "percent": "percent",
    "on": "on",
    "period": "on",
    "product": "product_number",
    "product_number": "product_number",
    "value": "value",
    "kind": "kind",
}


def _refusal(row: TaskUpdate | ValueUpdate | None, error: Exception) -> Issue:
    """The register refused a row: say which, and that nothing was written."""
    message = f"{error} (đã hủy, không ghi dòng nào)"
    if row is None:
        return Issue(TASK_SHEET, 0, "", "", None, message)
    columns = TASK_COLUMNS if isinstance(row, TaskUpdate) else INDICATOR_COLUMNS
    sheet = TASK_SHEET if isinstance(row, TaskUpdate) else INDICATOR_SHEET
    key = _FIELD_COLUMN.get(str(getattr(error, "field", "")), "")
    if type(error).__name__ == "ConflictError":
        key = "version"
    j = next((n for n, c in enumerate(columns, start=1) if c.key == key), None)
    if j is None:
        return Issue(sheet, row.row, "", "", None, message)
    return Issue(
        sheet,
        row.row,
        get_column_letter(j),
        columns[j - 1].header,
        getattr(error, "value", None),
        message,
    )


def _apply_task(
    tx: Any, u: TaskUpdate, task: dict, actor: str, period: Period, today: date | None
) -> None:
    tx.update_task(
        u.task_id,
        actor=actor,
        state=u.state,
        percent=u.percent,
        narrative=u.narrative,
        difficulties=u.difficulties,
        proposals=u.proposals,
        product_number=u.product_number,
        on=u.on or today or date.today(),
        period=str(period) if task.get("recurring") else None,
        expected_version=u.version,
    )


def _apply_value(tx: Any, v: ValueUpdate, meta: Meta, actor: str, today: date | None) -> None:
    tx.record_value(
        v.indicator_id,
        meta.period,
        v.value,
        kind=v.kind,
        cumulative=v.cumulative,
        note=v.note,
        actor=actor,
        on=today or date.today(),
    )


@contextlib.contextmanager
def transaction(db: Any) -> Iterator[Any]:
    """A view of `db` whose every method runs inside one outer transaction.

    The store opens a session per call; bound to one connection that already holds a
    transaction, those sessions join it (SQLAlchemy's default join mode), so nothing is
    committed until the block ends, and an exception rolls everything back.
    """
    from sqlalchemy.orm import sessionmaker

    with db.engine.connect() as conn:
        outer = conn.begin()
        view = copy.copy(db)
        view._sessions = sessionmaker(bind=conn, expire_on_commit=False)
        try:
            yield view
        except BaseException:
            if outer.is_active:
                outer.rollback()
            raise
        else:
            outer.commit()


def issues_text(issues: Sequence[Issue]) -> str:
    return "\n".join(str(i) for i in issues)


__all__ = [
    "Issue",
    "Filled",
    "ImportResult",
    "Meta",
    "TaskUpdate",
    "ValueUpdate",
    "WorkbookError",
    "assignment_workbook",
    "department_workbook",
    "export_assignment",
    "export_department",
    "import_workbook",
    "read_workbook",
    "check_ownership",
    "transaction",
    "belongs",
]
