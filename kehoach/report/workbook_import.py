"""Reading back a department's filled workbook, and applying it to the register.

The file is read within bounds (`sheets`: streamed, rows and columns limited, the zip inflated
no further than a limit). Every row is checked (unknown task, another department's task, a
deleted row, a sheet that is not the template's, a date not written dd/mm/yyyy, a bad number:
each with its sheet, row and column). The import acts only within what the person importing may
change (`Scope`: their province, their department), whatever the file's `Thông tin` sheet says,
and says where the two differ. The valid rows are applied in one transaction, or nothing at all
if any row is wrong, as the user chooses.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from ..errors import KehoachError
from ..track.growth import GrowthInput
from ..vn import Period, fmt_date, fold, parse_date, parse_number
from ..vn import today as vn_today
from .sheets import SheetError, header_map, open_workbook, rows, text
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
    Owners,
    WorkbookError,
    belongs,
    department_share,
    plan_indicators,
)

TEMPLATE_SHEETS = (TASK_SHEET, INDICATOR_SHEET, INFO_SHEET)
_DAY_MONTH_YEAR = re.compile(r"\s*\d{1,2}/\d{1,2}/\d{4}\s*")

# --- reading ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Issue:
    """One problem in a filled workbook, where the user can find it."""

    sheet: str
    row: int  # 0: the sheet (or a row that is no longer there)
    column: str  # the column letter, "" for a whole row or sheet
    field: str  # the column header
    value: object
    message: str

    def __str__(self) -> str:
        shown = "" if self.value in (None, "") else f" '{self.value}'"
        where = f"{self.sheet}" + (f", dòng {self.row}" if self.row else "")
        where += f", cột {self.column} ({self.field})" if self.column else ""
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
    """A department's workbook as read: its meta, the rows it filled, the ids of every row it
    still has, and what is wrong."""

    meta: Meta
    tasks: list[TaskUpdate] = field(default_factory=list)
    values: list[ValueUpdate] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    task_ids: dict[int, int] = field(default_factory=dict)  # task id → row, filled or not
    indicator_ids: dict[int, int] = field(default_factory=dict)
    notices: list[str] = field(default_factory=list)  # what the file says that was not followed


@dataclass(frozen=True)
class Scope:
    """What the person importing may change: their province, and their department (None: every
    department of the province, as the synthesizing office). No scope at all: the register's own
    administrator (the library called directly)."""

    province: str | None = None
    department: str | None = None


def _meta(ws: Any) -> Meta:
    info = {text(r[0]): r[1] for _, r in rows(ws) if r and len(r) > 1 and r[0] is not None}
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
            Period.parse(str(info["Kỳ báo cáo"])).code,
            parse_date(info["Ngày xuất"]),
        )
    except (KeyError, TypeError, ValueError) as e:
        raise WorkbookError(f"Trang '{INFO_SHEET}' thiếu hoặc sai thông tin ({e}): hãy xuất lại") from e


def read_workbook(path: str | Path, *, today: date | None = None) -> Filled:
    """Read a filled department workbook and check each value's form.

    Whether each task and indicator exists and belongs to the department is checked against
    the register by `check_ownership`; rows deleted from the file by `check_deleted`.
    """
    today = today or vn_today()
    try:
        wb = open_workbook(path)
        try:
            if TASK_SHEET not in wb.sheetnames or INFO_SHEET not in wb.sheetnames:
                missing = INFO_SHEET if INFO_SHEET not in wb.sheetnames else TASK_SHEET
                raise WorkbookError(
                    f"Tệp không có trang '{missing}': hãy dùng tệp xuất bằng `kehoach export --department`"
                )
            filled = Filled(_meta(wb[INFO_SHEET]))
            for name in wb.sheetnames:
                if name not in TEMPLATE_SHEETS:
                    filled.issues.append(
                        Issue(
                            name,
                            0,
                            "",
                            "",
                            None,
                            "trang không thuộc mẫu: nội dung của nó không được đọc; "
                            f"chép các dòng vào trang '{TASK_SHEET}' hoặc '{INDICATOR_SHEET}' rồi xóa trang này",
                        )
                    )
            _read_tasks(wb[TASK_SHEET], filled, today)
            if INDICATOR_SHEET in wb.sheetnames:
                _read_values(wb[INDICATOR_SHEET], filled)
        finally:
            wb.close()
    except SheetError as e:
        raise WorkbookError(str(e)) from None
    return filled


Cells = dict[str, Any]


def _sheet_rows(
    ws: Any, sheet: str, columns: Sequence[Column], filled: Filled, ids: dict[int, int]
) -> Iterator[tuple[int, Cells, Callable[[str, str], None]]]:
    """Each row with something in an editable column: its number, its cells by key, and a
    function that records an issue on one of its cells. Every row's id goes into `ids`."""
    it = rows(ws)
    first = next(it, None)
    if first is None:
        raise WorkbookError(f"Trang '{sheet}' trống: hãy xuất lại tệp")
    cols = header_map(sheet, first[1], [(c.key, c.header) for c in columns])
    edit = [c for c in columns if c.editable]
    headers = {c.key: c.header for c in columns}
    for r, values in it:
        raw = {c.key: values[cols[c.key]] if cols[c.key] < len(values) else None for c in columns}
        row_id = _int(raw.get("id"))
        if row_id is not None:
            ids.setdefault(row_id, r)
        if all(text(raw[c.key]) is None for c in edit):
            continue

        def issue(key: str, message: str, _r: int = r, _raw: Cells = raw) -> None:
            from openpyxl.utils import get_column_letter

            letter = get_column_letter(cols[key] + 1)
            filled.issues.append(Issue(sheet, _r, letter, headers[key], _raw[key], message))

        yield r, raw, issue


def read_date(value: object) -> date:
    """A date cell, or text written dd/mm/yyyy; anything else (`25.9.2026`, `9/25/26`, a bare
    number) is refused rather than guessed."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str) and _DAY_MONTH_YEAR.fullmatch(value):
        return parse_date(value.strip())
    raise ValueError("ngày viết không rõ ràng: nhập ô kiểu ngày hoặc viết dd/mm/yyyy (như 25/09/2026)")


def _read_tasks(ws: Any, filled: Filled, today: date) -> None:
    for r, raw, issue in _sheet_rows(ws, TASK_SHEET, TASK_COLUMNS, filled, filled.task_ids):
        before = len(filled.issues)
        task_id = _int(raw["id"])
        if task_id is None:
            issue("id", "dòng không có mã nhiệm vụ: chỉ điền vào các dòng có sẵn, không thêm dòng")
        state = None
        if text(raw["state"]):
            state = _state_code(text(raw["state"]) or "")
            if state is None:
                issue("state", "tình trạng phải là một trong: " + "; ".join(STATES))
        percent = None
        if text(raw["percent"]) is not None:
            try:
                percent = parse_number(raw["percent"])
                if not 0 <= percent <= 100:
                    issue("percent", "tỷ lệ phải từ 0 đến 100")
            except ValueError as e:
                issue("percent", str(e))
        on = None
        if text(raw["on"]) is not None:
            try:
                on = read_date(raw["on"])
                if on > today:
                    issue("on", f"ngày ở tương lai (hôm nay là {fmt_date(today)})")
            except ValueError as e:
                issue("on", str(e))
        product = text(raw["product_number"])
        if product and not _looks_like_number(product):
            issue("product_number", "số văn bản có dạng 123/QĐ-UBND")
        if state == "done" and not product:
            issue("product_number", "nhiệm vụ chỉ hoàn thành khi có sản phẩm: ghi số văn bản")
        if len(filled.issues) == before and task_id is not None:
            filled.tasks.append(
                TaskUpdate(
                    r,
                    task_id,
                    _int(raw["version"]),
                    state,
                    percent,
                    on,
                    text(raw["narrative"]),
                    product,
                    text(raw["difficulties"]),
                    text(raw["proposals"]),
                )
            )


def _read_values(ws: Any, filled: Filled) -> None:
    for r, raw, issue in _sheet_rows(ws, INDICATOR_SHEET, INDICATOR_COLUMNS, filled, filled.indicator_ids):
        before = len(filled.issues)
        ind_id = _int(raw["id"])
        if ind_id is None:
            issue("id", "dòng không có mã chỉ tiêu: chỉ điền vào các dòng có sẵn, không thêm dòng")
        value = None
        if text(raw["value"]) is None:
            issue("value", "chưa ghi số liệu thực hiện")
        else:
            try:
                value = parse_number(raw["value"])
            except ValueError as e:
                issue("value", str(e))
        kind = KINDS.get((text(raw["kind"]) or "ước tính").lower())
        if kind is None:
            issue("kind", "loại số liệu phải là 'ước tính' hoặc 'chính thức'")
        cumulative = YES_NO.get((text(raw["cumulative"]) or "không").lower())
        if cumulative is None:
            issue("cumulative", "lũy kế phải là 'có' hoặc 'không'")
        if len(filled.issues) == before and ind_id is not None and value is not None:
            filled.values.append(ValueUpdate(r, ind_id, value, kind or "estimate", bool(cumulative), text(raw["note"])))


def _state_code(value: str) -> str | None:
    folded = fold(value)
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


# --- against the register -----------------------------------------------------------------------


def check_ownership(
    filled: Filled, tasks: dict[int, dict], indicators: dict[int, dict], owners: Owners, department: str
) -> None:
    """Flag rows naming a task or indicator the plan does not have, or another department's."""
    keep = []
    for u in filled.tasks:
        t = tasks.get(u.task_id)
        if t is None:
            message = f"không có nhiệm vụ này trong kế hoạch {filled.meta.plan_number}"
        elif not belongs(t, department):
            leads = ", ".join(t.get("lead") or []) or "chưa giao"
            message = f"nhiệm vụ của đơn vị khác ({leads}), không phải của {department}"
        else:
            keep.append(u)
            continue
        filled.issues.append(Issue(TASK_SHEET, u.row, "A", "Mã nhiệm vụ", u.task_id, message))
    filled.tasks = keep
    keep_values = []
    for v in filled.values:
        ind = indicators.get(v.indicator_id)
        if ind is None:
            message = f"không có chỉ tiêu này trong kế hoạch {filled.meta.plan_number}"
        elif not owners.owns(ind, department):
            message = f"chỉ tiêu do đơn vị khác theo dõi ({', '.join(owners.of(ind)) or 'chưa giao'})"
        else:
            keep_values.append(v)
            continue
        filled.issues.append(Issue(INDICATOR_SHEET, v.row, "A", "Mã chỉ tiêu", v.indicator_id, message))
    filled.values = keep_values


def check_deleted(filled: Filled, tasks: Sequence[dict], indicators: Sequence[dict]) -> None:
    """Flag the department's tasks and indicators whose rows are no longer in the file."""
    for t in tasks:
        if t["id"] not in filled.task_ids:
            filled.issues.append(
                Issue(
                    TASK_SHEET,
                    0,
                    "",
                    "",
                    None,
                    f"thiếu dòng của nhiệm vụ mã {t['id']} “{_short(t['text'])}”: "
                    "dòng đã bị xóa; xuất lại tệp, không xóa dòng",
                )
            )
    for i in indicators:
        if i["id"] not in filled.indicator_ids:
            filled.issues.append(
                Issue(
                    INDICATOR_SHEET,
                    0,
                    "",
                    "",
                    None,
                    f"thiếu dòng của chỉ tiêu mã {i['id']} “{_short(i['name'])}”: "
                    "dòng đã bị xóa; xuất lại tệp, không xóa dòng",
                )
            )


def _short(value: str, words: int = 12) -> str:
    parts = value.split()
    return " ".join(parts[:words]) + ("…" if len(parts) > words else "")


def _scope_department(db: Any, filled: Filled, scope: Scope | None, today: date) -> str:
    """The department the import acts for: the importer's own, whatever the file says; the
    file's only for someone who may act for every department of the plan's province."""
    meta = filled.meta
    try:
        plan = db.plan(meta.plan_id)
    except KehoachError:
        raise WorkbookError(
            f"Trang '{INFO_SHEET}' ghi mã kế hoạch {meta.plan_id}, không có trong sổ theo dõi: hãy xuất lại tệp"
        ) from None
    if scope is None:
        return meta.department
    reg = db.registry
    province = reg.province_on(plan.get("province") or None, today) or plan.get("province")
    if scope.province and (reg.province_on(scope.province, today) or reg.province(scope.province)) != province:
        raise WorkbookError(
            f"Tệp ghi kế hoạch mã {meta.plan_id} ({plan.get('number') or plan.get('title')}) của "
            f"{province or 'tỉnh khác'}, ngoài phạm vi của bạn ({scope.province}): không ghi dòng nào"
        )
    if scope.department is None:
        return meta.department
    if fold(scope.department) != fold(meta.department):
        filled.notices.append(
            f"Trang '{INFO_SHEET}' ghi đơn vị '{meta.department}', nhưng người nhập thuộc {scope.department}: "
            f"chỉ xét các dòng của {scope.department}."
        )
    return scope.department


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
    def notices(self) -> list[str]:
        return self.filled.notices

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
    scope: Scope | None = None,
) -> ImportResult:
    """Check a filled department workbook and apply it, within `scope`.

    `mode="all"`: apply nothing unless every row is valid. `mode="valid"`: apply the valid rows
    and list the others. Either way what is applied goes in one transaction: if the register
    refuses one row, none is kept.
    """
    if mode not in MODES:
        raise WorkbookError(
            f"Chế độ '{mode}' không hợp lệ: dùng 'all' (tất cả hoặc không) hoặc 'valid' (chỉ các dòng hợp lệ)"
        )
    filled = read_workbook(path, today=today)
    today = today or db.today()
    department = _scope_department(db, filled, scope, today)
    meta = filled.meta
    period = Period.parse(meta.period)
    as_of = min(today, period.end)
    every = db.tasks(plan=meta.plan_id, as_of=as_of)
    indicators = plan_indicators(db, meta.plan_id, as_of)
    plan = db.plan(meta.plan_id)
    owners = Owners(every, db.registry, plan.get("province") or None, as_of)
    check_ownership(filled, {t["id"]: t for t in every}, {i["id"]: i for i in indicators}, owners, department)
    own_tasks, own_indicators = department_share(db, meta.plan_id, department, period, as_of, every)
    check_deleted(filled, own_tasks, own_indicators)
    filled.issues.sort(
        key=lambda i: (TEMPLATE_SHEETS.index(i.sheet) if i.sheet in TEMPLATE_SHEETS else 9, i.row, i.column)
    )
    result = ImportResult(filled, mode=mode)
    if dry_run or (mode == "all" and filled.issues) or not (filled.tasks or filled.values):
        return result
    # Say which department reported, so the synthesis report can attribute the notes.
    if fold(department) not in fold(actor):
        actor = f"{actor} ({department})"
    tasks = {t["id"]: t for t in every}
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
    from openpyxl.utils import get_column_letter

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
    return Issue(sheet, row.row, get_column_letter(j), columns[j - 1].header, getattr(error, "value", None), message)


def _apply_task(tx: Any, u: TaskUpdate, task: dict, actor: str, period: Period, today: date) -> None:
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
        on=u.on or min(today, period.end),
        period=str(period) if task.get("recurring") else None,
        expected_version=u.version,
    )


def _apply_value(tx: Any, v: ValueUpdate, meta: Meta, actor: str, today: date) -> None:
    tx.record_value(
        v.indicator_id,
        meta.period,
        v.value,
        kind=v.kind,
        cumulative=v.cumulative,
        note=v.note,
        actor=actor,
        on=today,
    )


def issues_text(issues: Sequence[Issue]) -> str:
    return "\n".join(str(i) for i in issues)


# --- growth figures -----------------------------------------------------------------------------


def read_growth(path: str | Path) -> tuple[GrowthInput, list[Issue]]:
    """Read a filled growth sheet: the figures, and any cell that is not a number."""
    from openpyxl.utils import get_column_letter

    data, issues = GrowthInput(), []
    try:
        wb = open_workbook(path)
        try:
            if GROWTH_SHEET not in wb.sheetnames:
                raise WorkbookError(
                    f"Tệp không có trang '{GROWTH_SHEET}': hãy dùng tệp xuất bằng `kehoach export --growth`"
                )
            it = rows(wb[GROWTH_SHEET])
            first = next(it, None)
            if first is None:
                raise WorkbookError(f"Trang '{GROWTH_SHEET}' trống: hãy xuất lại tệp")
            cols = header_map(GROWTH_SHEET, first[1], [(c.key, c.header) for c in GROWTH_COLUMNS])
            for r, values in it:
                cell = {c.key: values[cols[c.key]] if cols[c.key] < len(values) else None for c in GROWTH_COLUMNS}
                name = text(cell["name"])
                if not name:
                    continue
                for c in GROWTH_COLUMNS:
                    if not c.editable or text(cell[c.key]) is None:
                        continue
                    try:
                        value = parse_number(cell[c.key])  # type: ignore[arg-type]
                    except ValueError as e:
                        issues.append(
                            Issue(GROWTH_SHEET, r, get_column_letter(cols[c.key] + 1), c.header, cell[c.key], str(e))
                        )
                        continue
                    target = data.previous if c.key.startswith("prev") else data.actual
                    target.setdefault(name, {})[int(c.key[-1])] = value
        finally:
            wb.close()
    except SheetError as e:
        raise WorkbookError(str(e)) from None
    return data, issues
