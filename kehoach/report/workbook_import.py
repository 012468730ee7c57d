"""Reading back a department's filled workbook, and applying it to the register.

Every row is checked (unknown task, another department's task, bad date or number: each
with its sheet, row and column); the valid rows are applied in one transaction, or nothing
at all if any row is wrong, as the user chooses.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any
from zipfile import BadZipFile

from openpyxl import Workbook, load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.worksheet import Worksheet

from ..errors import KehoachError
from ..track.growth import GrowthInput
from ..vn import Period, fmt_date, fold, parse_date, parse_number
from .workbook import (
    FORMAT_VERSION,
    GROWTH_COLUMNS,
    GROWTH_SHEET,
    INDICATOR_COLUMNS,
    INDICATOR_SHEET,
    INFO_SHEET,
    KINDS,
    STATE_CODES,
    STATES,
    TASK_COLUMNS,
    TASK_SHEET,
    YES_NO,
    Column,
    Meta,
    WorkbookError,
    belongs,
    indicator_agencies,
    plan_indicators,
)

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
        raise WorkbookError(f"Tệp không có trang '{name}': hãy dùng tệp xuất bằng `kehoach export --department`")
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
        raise WorkbookError(f"Trang '{INFO_SHEET}' thiếu hoặc sai thông tin ({e}): hãy xuất lại") from e


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
    except (OSError, ValueError, KeyError, InvalidFileException, BadZipFile) as e:
        raise WorkbookError(f"{path}: không đọc được tệp Excel .xlsx ({e})") from e
    filled = Filled(_read_meta(wb))
    _read_tasks(_sheet(wb, TASK_SHEET), filled, today)
    if INDICATOR_SHEET in wb.sheetnames:
        _read_values(wb[INDICATOR_SHEET], filled)
    return filled


def _filled_rows(
    ws: Worksheet, sheet: str, columns: Sequence[Any], filled: Filled
) -> Iterator[tuple[int, dict[str, Any], Callable[[str, str], None]]]:
    """Each row with something in an editable column: its number, its cells by key, and a
    function that records an issue on one of its cells (sheet, row, column, header, value)."""
    cols = _columns(ws, columns)
    edit = [c for c in columns if c.editable]
    headers = {c.key: c.header for c in columns}
    for r in range(2, ws.max_row + 1):
        raw = {c.key: ws.cell(r, cols[c.key]).value for c in columns}
        if all(_text(raw[c.key]) is None for c in edit):
            continue

        def issue(key: str, message: str, _r: int = r, _raw: dict = raw) -> None:
            filled.issues.append(Issue(sheet, _r, get_column_letter(cols[key]), headers[key], _raw[key], message))

        yield r, raw, issue


def _read_tasks(ws: Worksheet, filled: Filled, today: date) -> None:
    for r, raw, issue in _filled_rows(ws, TASK_SHEET, TASK_COLUMNS, filled):
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
    for r, raw, issue in _filled_rows(ws, INDICATOR_SHEET, INDICATOR_COLUMNS, filled):
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
                ValueUpdate(r, ind_id, value, kind or "estimate", bool(cumulative), _text(raw["note"]))
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
        elif not any(fold(a) == fold(dept) for a in indicator_agencies(ind)):
            agencies = ", ".join(indicator_agencies(ind)) or "chưa giao"
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


def read_growth(path: str | Path) -> tuple[GrowthInput, list[Issue]]:
    """Read a filled growth sheet: the figures, and any cell that is not a number."""
    try:
        wb = load_workbook(path, data_only=True)
    except (OSError, ValueError, KeyError, InvalidFileException, BadZipFile) as e:
        raise WorkbookError(f"{path}: không đọc được tệp Excel .xlsx ({e})") from e
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
                issues.append(Issue(GROWTH_SHEET, r, get_column_letter(cols[c.key]), c.header, raw, str(e)))
                continue
            target = data.previous if c.key.startswith("prev") else data.actual
            target.setdefault(name, {})[int(c.key[-1])] = value
    return data, issues


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
            f"Chế độ '{mode}' không hợp lệ: dùng 'all' (tất cả hoặc không) hoặc 'valid' (chỉ các dòng hợp lệ)"
        )
    filled = read_workbook(path, today=today)
    meta = filled.meta
    period = Period.parse(meta.period)
    as_of = min(today or date.today(), period.end)
    tasks = {t["id"]: t for t in db.tasks(plan=meta.plan_id, as_of=as_of)}
    indicators = {i["id"]: i for i in plan_indicators(db, meta.plan_id, as_of)}
    check_ownership(filled, tasks, indicators)
    result = ImportResult(filled, mode=mode)
    if dry_run or (mode == "all" and filled.issues):
        return result
    if not filled.tasks and not filled.values:
        return result
    # Say which department reported, so the synthesis report can attribute the notes.
    if fold(meta.department) not in fold(actor):
        actor = f"{actor} ({meta.department})"
    current: TaskUpdate | ValueUpdate | None = None
    try:
        with db.transaction() as tx:
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


def _apply_task(tx: Any, u: TaskUpdate, task: dict, actor: str, period: Period, today: date | None) -> None:
    tx.update_task(
        u.task_id,
        actor=actor,
        state=u.state,
        percent=u.percent,
        narrative=u.narrative,
        difficulties=u.difficulties,
        proposals=u.proposals,
        product_number=u.product_number,
        # Without a date, the update speaks of the period it was asked for: its last day.
        on=u.on or min(today or date.today(), period.end),
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


def issues_text(issues: Sequence[Issue]) -> str:
    return "\n".join(str(i) for i in issues)
