"""Excel round-trip: export a department's workbook, fill it as a user would, import it."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from conftest import load_plan
from openpyxl import Workbook, load_workbook

from kehoach.report.workbook import (
    STATES,
    WorkbookError,
    belongs,
    export_assignment,
    export_department,
    export_growth,
)
from kehoach.report.workbook_import import import_workbook, read_growth, read_workbook
from kehoach.track.growth import analyse

DEPT = "Sở Tài chính"
TODAY = date(2025, 7, 3)
# Columns of the task sheet, as a user sees them.
ID, VERSION, STATE, PERCENT, ON, NARRATIVE, PRODUCT, DIFFICULTIES, PROPOSALS = (
    "A",
    "B",
    "I",
    "J",
    "K",
    "L",
    "M",
    "N",
    "O",
)


@pytest.fixture
def plan_id(db) -> int:  # noqa: ANN001
    return db.ingest(load_plan("002_23dbc6410858588b.json")).plan_id


@pytest.fixture
def exported(db, plan_id: int, tmp_path: Path) -> Path:  # noqa: ANN001
    return export_department(db, plan_id, DEPT, "2025-Q2", tmp_path / "stc.xlsx", today=TODAY)


def task_rows(path: Path) -> dict[int, int]:
    """Task id → its row in the task sheet."""
    ws = load_workbook(path)["Nhiệm vụ"]
    return {ws[f"A{r}"].value: r for r in range(2, ws.max_row + 1)}


def test_department_workbook_holds_only_its_tasks_locked_and_validated(
    db,
    plan_id: int,
    exported: Path,  # noqa: ANN001
) -> None:
    wb = load_workbook(exported)
    assert wb.sheetnames == ["Nhiệm vụ", "Chỉ tiêu", "Thông tin"]
    ws = wb["Nhiệm vụ"]
    ids = [ws[f"A{r}"].value for r in range(2, ws.max_row + 1)]
    everything = db.tasks(plan=plan_id, as_of=date(2025, 6, 30))
    mine = [t["id"] for t in everything if belongs(t, DEPT)]
    # Sở Tài chính's own tasks and those of Sở Kế hoạch và Đầu tư, merged into it in 2025.
    assert sorted(ids) == sorted(mine) and len(ids) == 12
    led = {t["id"]: t["lead"] for t in everything}
    assert any("Sở Kế hoạch và Đầu tư" in led[i] for i in ids)
    assert all("Sở Tài chính" in led[i] or "Sở Kế hoạch và Đầu tư" in led[i] for i in ids)
    # Key columns locked, the task id hidden, the sheet protected, status a drop-down.
    assert ws.protection.sheet
    assert ws.column_dimensions["A"].hidden and ws.column_dimensions["B"].hidden
    assert ws["E2"].protection.locked and ws["A2"].protection.locked
    for col in (STATE, PERCENT, ON, NARRATIVE, PRODUCT, DIFFICULTIES, PROPOSALS):
        assert not ws[f"{col}2"].protection.locked
    lists = [dv for dv in ws.data_validations.dataValidation if dv.type == "list"]
    assert len(lists) == 1 and lists[0].formula1 == '"' + ",".join(STATES) + '"'
    assert f"{STATE}2:{STATE}{ws.max_row}" in str(lists[0].sqref)
    assert ws["E2"].value == next(t["text"] for t in everything if t["id"] == ids[0])
    inds = wb["Chỉ tiêu"]
    # Sở Tài chính's three indicators and the three of Sở Kế hoạch và Đầu tư, merged into it on
    # 1 March 2025: indicators follow their department through the mergers.
    assert inds.protection.sheet and inds.max_row == 7
    names = [inds[f"C{r}"].value for r in range(2, 8)]
    assert "Phát triển mới doanh nghiệp" in names and "Tỷ lệ động viên vào NSNN trên GRDP" in names


def test_round_trip_applies_every_row(db, exported: Path) -> None:  # noqa: ANN001
    rows = task_rows(exported)
    first, second = sorted(rows)[:2]
    wb = load_workbook(exported)
    ws = wb["Nhiệm vụ"]
    r1, r2 = rows[first], rows[second]
    ws[f"{STATE}{r1}"] = "đang thực hiện"
    ws[f"{PERCENT}{r1}"] = "60,5"  # typed as text, Vietnamese style
    ws[f"{ON}{r1}"] = "25/06/2025"
    ws[f"{NARRATIVE}{r1}"] = "Đã tổng hợp báo cáo tháng 4, 5, 6."
    ws[f"{DIFFICULTIES}{r1}"] = "Số liệu các huyện gửi chậm."
    ws[f"{PROPOSALS}{r1}"] = "Đề nghị các huyện gửi số liệu trước ngày 10 hằng tháng."
    ws[f"{STATE}{r2}"] = "hoàn thành"
    ws[f"{ON}{r2}"] = date(2025, 6, 20)  # a real date cell
    ws[f"{PRODUCT}{r2}"] = "123/BC-STC"
    inds = wb["Chỉ tiêu"]
    inds["F2"] = "1.234,5"
    inds["G2"] = "chính thức"
    inds["H2"] = "có"
    inds["F3"] = 98.7
    wb.save(exported)

    result = import_workbook(db, exported, actor="Nguyễn Văn A", mode="all", today=TODAY)
    assert result.issues == []
    assert (result.applied_tasks, result.applied_values) == (2, 2)
    t1 = db.task(first, as_of=TODAY)
    assert t1["percent"] == 60.5 and t1["state"] == "in_progress"
    u = t1["updates"][-1]
    assert u["on"] == "2025-06-25" and u["actor"] == "Nguyễn Văn A (Sở Tài chính)"
    assert u["difficulties"] == "Số liệu các huyện gửi chậm."
    assert u["proposals"].startswith("Đề nghị các huyện")
    t2 = db.task(second, as_of=TODAY)
    assert t2["done_on"] == "2025-06-20" and t2["product_number"] == "123/BC-STC"
    ind_ids = [inds[f"A{r}"].value for r in (2, 3)]
    values = {i["id"]: i["values"] for i in db.indicators(as_of=TODAY) if i["id"] in ind_ids}
    assert values[ind_ids[0]][-1] | {"on": None, "id": None, "actor": None} == {
        "period": "2025-Q2",
        "value": 1234.5,
        "kind": "official",
        "cumulative": True,
        "on": None,
        "id": None,
        "actor": None,
    }
    assert values[ind_ids[1]][-1]["value"] == 98.7


def fill_with_errors(db, plan_id: int, exported: Path) -> tuple[int, list[tuple]]:  # noqa: ANN001
    """One good row and one of each mistake; returns the good task and the expected issues."""
    rows = task_rows(exported)
    ids = sorted(rows)
    other = next(t["id"] for t in db.tasks(plan=plan_id, as_of=TODAY) if not belongs(t, DEPT))
    wb = load_workbook(exported)
    ws = wb["Nhiệm vụ"]
    good = ids[0]
    ws[f"{STATE}{rows[good]}"] = "đang thực hiện"
    ws[f"{PERCENT}{rows[good]}"] = 30
    bad = {
        name: rows[i]
        for name, i in zip(
            ["state", "percent", "date", "future", "product", "done", "unknown", "other"],
            ids[1:9],
            strict=True,
        )
    }
    ws[f"{STATE}{bad['state']}"] = "xong rồi"
    ws[f"{PERCENT}{bad['percent']}"] = "120"
    ws[f"{ON}{bad['date']}"] = "31/02/2025"
    ws[f"{ON}{bad['future']}"] = "01/08/2025"
    ws[f"{STATE}{bad['product']}"] = "đang thực hiện"
    ws[f"{PRODUCT}{bad['product']}"] = "báo cáo"
    ws[f"{STATE}{bad['done']}"] = "hoàn thành"
    ws[f"A{bad['unknown']}"] = 99999
    ws[f"{NARRATIVE}{bad['unknown']}"] = "Đã làm"
    ws[f"A{bad['other']}"] = other
    ws[f"{NARRATIVE}{bad['other']}"] = "Đã làm"
    extra = ws.max_row + 1  # a row the user added
    ws[f"E{extra}"] = "Nhiệm vụ tự thêm"
    ws[f"{STATE}{extra}"] = "đang thực hiện"
    inds = wb["Chỉ tiêu"]
    inds["F2"] = "khoảng 5"
    wb.save(exported)
    # the rows whose id was overwritten are the two tasks' rows gone from the file: said, row 0
    expected = (
        [("Nhiệm vụ", 0, ""), ("Nhiệm vụ", 0, "")]
        + sorted(
            [
                ("Nhiệm vụ", bad["state"], STATE),
                ("Nhiệm vụ", bad["percent"], PERCENT),
                ("Nhiệm vụ", bad["date"], ON),
                ("Nhiệm vụ", bad["future"], ON),
                ("Nhiệm vụ", bad["product"], PRODUCT),
                ("Nhiệm vụ", bad["done"], PRODUCT),
                ("Nhiệm vụ", bad["unknown"], ID),
                ("Nhiệm vụ", bad["other"], ID),
                ("Nhiệm vụ", extra, ID),
            ]
        )
        + [("Chỉ tiêu", 2, "F")]
    )
    return good, expected


def test_errors_listed_with_row_and_column_and_nothing_applied(
    db,
    plan_id: int,
    exported: Path,  # noqa: ANN001
) -> None:
    good, expected = fill_with_errors(db, plan_id, exported)
    result = import_workbook(db, exported, actor="Nguyễn Văn A", mode="all", today=TODAY)
    assert [(i.sheet, i.row, i.column) for i in result.issues] == expected
    assert not result.applied
    assert db.task(good, as_of=TODAY)["updates"] == []
    messages = [str(i) for i in result.issues]
    assert any("'xong rồi'" in m and "tình trạng phải là một trong" in m for m in messages)
    assert any("nhiệm vụ của đơn vị khác" in m for m in messages)
    assert any("không có nhiệm vụ này trong kế hoạch 77/QĐ-UBND" in m for m in messages)
    assert any(m.startswith("Chỉ tiêu, dòng 2, cột F (Thực hiện) 'khoảng 5'") for m in messages)


def test_valid_rows_mode_applies_the_good_row_only(
    db,
    plan_id: int,
    exported: Path,  # noqa: ANN001
) -> None:
    good, expected = fill_with_errors(db, plan_id, exported)
    result = import_workbook(db, exported, actor="Nguyễn Văn A", mode="valid", today=TODAY)
    assert [(i.sheet, i.row, i.column) for i in result.issues] == expected
    assert (result.applied_tasks, result.applied_values) == (1, 0)
    assert db.task(good, as_of=TODAY)["percent"] == 30


def test_refusal_by_the_register_rolls_back_the_rows_before_it(
    db,
    exported: Path,  # noqa: ANN001
) -> None:
    rows = task_rows(exported)
    first, second = sorted(rows)[:2]
    wb = load_workbook(exported)
    ws = wb["Nhiệm vụ"]
    ws[f"{STATE}{rows[first]}"] = "đang thực hiện"
    ws[f"{STATE}{rows[second]}"] = "đang thực hiện"
    wb.save(exported)
    # Someone updates the second task on the web after the workbook went out.
    db.update_task(second, actor="Trần Thị B", state="đang thực hiện", percent=10, on=TODAY)
    result = import_workbook(db, exported, actor="Nguyễn Văn A", mode="all", today=TODAY)
    assert not result.applied
    assert [(i.row, i.column) for i in result.issues] == [(rows[second], VERSION)]
    assert "không ghi dòng nào" in str(result.issues[0])
    assert db.task(first, as_of=TODAY)["updates"] == []  # the first row was rolled back
    assert [u["actor"] for u in db.task(second, as_of=TODAY)["updates"]] == ["Trần Thị B"]


def test_dry_run_checks_without_writing(db, exported: Path) -> None:  # noqa: ANN001
    rows = task_rows(exported)
    wb = load_workbook(exported)
    wb["Nhiệm vụ"][f"{STATE}{rows[min(rows)]}"] = "đang thực hiện"
    wb.save(exported)
    result = import_workbook(db, exported, actor="A", dry_run=True, today=TODAY)
    assert result.issues == [] and len(result.filled.tasks) == 1 and not result.applied
    assert db.task(min(rows), as_of=TODAY)["updates"] == []


def test_assignment_matrix_equals_the_register(db, plan_id: int, tmp_path: Path) -> None:  # noqa: ANN001
    path = export_assignment(db, plan_id, tmp_path / "phan-cong.xlsx", as_of=date(2025, 6, 30))
    wb = load_workbook(path)
    ws = wb["Phân công"]
    tasks = db.tasks(plan=plan_id, as_of=date(2025, 6, 30))
    assert ws.max_row - 1 == len(tasks) == 83
    header = [c.value for c in ws[1]]
    assert header[:7] == [
        "STT",
        "Nhóm nhiệm vụ",
        "Nhiệm vụ",
        "Chủ trì",
        "Phối hợp",
        "Theo dõi, đôn đốc",
        "Thời hạn",
    ]
    for r, t in zip(ws.iter_rows(min_row=2, values_only=True), tasks, strict=True):
        assert r[2] == t["text"]
        assert r[3] == "; ".join(t["lead"]) or (r[3] is None and not t["lead"])
        assert (r[4] or "") == "; ".join(t["coordinate"])
        assert (r[8] or "") == t["status"]
    ind = wb["Chỉ tiêu"]
    assert ind.max_row - 1 == len(db.indicators(plan=plan_id))
    assert ind["C2"].value == "Tăng trưởng GRDP" and ind["E2"].value == "7 - 7,5"


def test_not_a_kehoach_workbook(tmp_path: Path) -> None:
    path = tmp_path / "la.xlsx"
    Workbook().save(path)
    with pytest.raises(WorkbookError, match="Thông tin"):
        read_workbook(path)


def test_unknown_department(db, plan_id: int, tmp_path: Path) -> None:  # noqa: ANN001
    with pytest.raises(WorkbookError, match="Sở Không Có"):
        export_department(db, plan_id, "Sở Không Có", "2025-Q2", tmp_path / "x.xlsx", today=TODAY)


def test_growth_sheet_round_trip(db, plan_id: int, tmp_path: Path) -> None:  # noqa: ANN001
    path = export_growth(db, plan_id, tmp_path / "tang-truong.xlsx")
    wb = load_workbook(path)
    ws = wb["Tăng trưởng"]
    rows = {ws[f"B{r}"].value: r for r in range(2, ws.max_row + 1)}
    assert len(rows) == 13 and ws["C1"].value.startswith("GRDP năm trước Quý I")
    # Columns C..F last year's GRDP by quarter, G..J this year's growth by quarter.
    figures = {
        "Nông nghiệp, lâm nghiệp và thủy sản": ([4000, "3.000", 3500, 4500], [1.9, "2,5"]),
        "Công nghiệp và Xây dựng": ([2500, 2800, 3000, 3600], [11.0, 10.2]),
        "Dịch vụ": ([3000, 3100, 3200, 3500], [7.5, 6.0]),
        "Thuế sản phẩm trừ trợ cấp sản phẩm": ([500, 500, 520, 560], [4.0, 4.2]),
    }
    for name, (prev, growth) in figures.items():
        for col, v in zip("CDEF", prev, strict=True):
            ws[f"{col}{rows[name]}"] = v
        for col, v in zip("GH", growth, strict=False):
            ws[f"{col}{rows[name]}"] = v
    ws[f"I{rows['Dịch vụ']}"] = "chưa có"
    wb.save(path)
    data, issues = read_growth(path)
    assert [(i.row, i.column, i.value) for i in issues] == [(rows["Dịch vụ"], "I", "chưa có")]
    assert data.previous["Nông nghiệp, lâm nghiệp và thủy sản"] == {1: 4000, 2: 3000, 3: 3500, 4: 4500}
    assert data.actual["Nông nghiệp, lâm nghiệp và thủy sản"] == {1: 1.9, 2: 2.5}
    scenario = load_plan("002_23dbc6410858588b.json")["scenarios"][0]
    a = analyse(scenario, data.actual, data.previous)
    # Q1 GRDP: (4000·1,9 + 2500·11 + 3000·7,5 + 500·4)/10000 = (7600 + 27500 + 22500 + 2000)
    # / 10000 = 5,96 %.
    assert a.total.actual["Q1"] == pytest.approx(5.96)


def test_not_an_excel_file_and_bad_period(db, plan_id: int, tmp_path: Path) -> None:  # noqa: ANN001
    path = tmp_path / "bao-cao.xlsx"
    path.write_text("không phải Excel", encoding="utf-8")
    with pytest.raises(WorkbookError, match="không đọc được tệp Excel"):
        read_workbook(path)
    with pytest.raises(WorkbookError, match="2025-Q5"):
        export_department(db, plan_id, DEPT, "2025-Q5", tmp_path / "x.xlsx", today=TODAY)


# --- what a filled workbook may not do ----------------------------------------------------------


def fill_one(path: Path, task_row: int, text: str = "Đã triển khai.") -> None:
    wb = load_workbook(path)
    ws = wb["Nhiệm vụ"]
    ws[f"{STATE}{task_row}"] = "đang thực hiện"
    ws[f"{NARRATIVE}{task_row}"] = text
    wb.save(path)


def test_a_deleted_row_an_extra_sheet_and_an_ambiguous_date_are_flagged(db, exported: Path) -> None:  # noqa: ANN001
    rows = task_rows(exported)
    first, gone = sorted(rows)[:2]
    wb = load_workbook(exported)
    ws = wb["Nhiệm vụ"]
    ws[f"{STATE}{rows[first]}"] = "đang thực hiện"
    ws[f"{ON}{rows[first]}"] = "25.9.2026"  # day.month.year with dots: not guessed
    ws.delete_rows(rows[gone])
    wb.create_sheet("Ghi chú")["A1"] = "Số liệu tháng 6 xem thêm ở đây"
    wb.save(exported)
    result = import_workbook(db, exported, actor="Nguyễn Văn A", today=TODAY)
    messages = [str(i) for i in result.issues]
    assert not result.applied
    assert any(m.startswith(f"Nhiệm vụ: thiếu dòng của nhiệm vụ mã {gone} ") and "đã bị xóa" in m for m in messages)
    assert any(m.startswith("Ghi chú: trang không thuộc mẫu") for m in messages)
    assert any(
        m.startswith(f"Nhiệm vụ, dòng {rows[first]}, cột {ON} (Ngày cập nhật/hoàn thành) '25.9.2026'") for m in messages
    )
    assert any("dd/mm/yyyy" in m for m in messages)
    assert db.task(first, as_of=TODAY)["updates"] == []


def test_the_importers_own_department_decides_not_the_file(db, plan_id: int, exported: Path) -> None:  # noqa: ANN001
    """A Sở Tài chính officer rewrites `Thông tin` to Sở Xây dựng and fills a Sở Xây dựng task."""
    from kehoach.report.workbook_import import Scope

    theirs = next(t for t in db.tasks(plan=plan_id, as_of=TODAY) if belongs(t, "Sở Xây dựng"))
    wb = load_workbook(exported)
    info = wb["Thông tin"]
    row = next(r for r in range(1, info.max_row + 1) if info[f"A{r}"].value == "Đơn vị")
    info[f"B{row}"] = "Sở Xây dựng"
    ws = wb["Nhiệm vụ"]
    ws[f"A{ws.max_row}"] = theirs["id"]
    ws[f"{STATE}{ws.max_row}"] = "hoàn thành"
    ws[f"{PRODUCT}{ws.max_row}"] = "9/BC-SXD"
    wb.save(exported)
    scope = Scope(province="Vĩnh Long", department=DEPT)
    result = import_workbook(db, exported, actor="Nguyễn Văn A", today=TODAY, scope=scope, mode="valid")
    assert result.notices == [
        "Trang 'Thông tin' ghi đơn vị 'Sở Xây dựng', nhưng người nhập thuộc Sở Tài chính: "
        "chỉ xét các dòng của Sở Tài chính."
    ]
    assert any(f"'{theirs['id']}': nhiệm vụ của đơn vị khác" in str(i) for i in result.issues)
    assert db.task(theirs["id"], as_of=TODAY)["updates"] == []
    # another province's plan: nothing read, nothing written
    other = db.ingest(load_plan("003_230a64e200d485dd.json")).plan_id
    wb = load_workbook(exported)
    info = wb["Thông tin"]
    row = next(r for r in range(1, info.max_row + 1) if info[f"A{r}"].value == "Mã kế hoạch")
    info[f"B{row}"] = other
    wb.save(exported)
    with pytest.raises(WorkbookError, match="ngoài phạm vi của bạn"):
        import_workbook(db, exported, actor="Nguyễn Văn A", today=TODAY, scope=scope)


def test_a_plan_whose_indicators_name_no_department_gives_each_its_tasks_indicators(db, tmp_path: Path) -> None:  # noqa: ANN001
    from kehoach.report.workbook import department_share
    from kehoach.vn import Period

    plan_id = db.ingest(load_plan("003_230a64e200d485dd.json")).plan_id
    assert all(not i["agency"] for i in db.indicators(plan=plan_id))
    q = Period.parse("2026-Q2")
    _, finance = department_share(db, plan_id, "Sở Tài chính", q, date(2026, 6, 30))
    assert {i["name"] for i in finance} >= {"Tổng thu ngân sách 5 năm", "Tổng vốn đầu tư toàn xã hội 5 năm"}
    _, health = department_share(db, plan_id, "Sở Y tế", q, date(2026, 6, 30))
    assert "Bao phủ bảo hiểm y tế toàn dân" in {i["name"] for i in health}
    assert not {i["id"] for i in finance} & {i["id"] for i in health}
    path = export_department(db, plan_id, "Sở Tài chính", q, tmp_path / "stc.xlsx", today=date(2026, 7, 1))
    names = [r[2] for r in load_workbook(path)["Chỉ tiêu"].iter_rows(min_row=2, values_only=True)]
    assert "Tổng thu ngân sách 5 năm" in names


def _import_far(url: str, path: str) -> str:
    """In a limited child: import the far-cell workbook as Sở Tài chính of Vĩnh Long."""
    from kehoach.report.workbook_import import Scope, import_workbook
    from kehoach.store import Database

    with Database.open(url) as db:
        import_workbook(db, path, actor="A", today=TODAY, scope=Scope("Vĩnh Long", DEPT))
    return "imported"


def test_a_workbook_with_a_cell_at_its_last_row_is_refused_within_bounds(db_url: str, exported: Path) -> None:
    """One cell at row 1,048,576 (12 KB of file) took 51 s and 3.5 GB: now a clear refusal,
    under a memory ceiling, in seconds."""
    from hostile import run_limited

    fill_one(exported, min(task_rows(exported).values()))
    wb = load_workbook(exported)
    wb["Nhiệm vụ"]["A1048576"] = "x"
    wb.save(exported)
    assert exported.stat().st_size < 30_000
    r = run_limited(_import_far, memory_mb=700, seconds=60, args=(db_url, str(exported)))
    assert r.finished, r.describe()
    assert r.error_type == "WorkbookError", r.describe()
    assert "Trang 'Nhiệm vụ' có dữ liệu ở dòng 1.048.576, quá giới hạn 5.000 dòng" in r.error
    assert r.peak_mb < 400, r.describe()  # the time has its ceiling in run_limited (60 s)


def test_a_decompression_bomb_is_refused_as_it_inflates(tmp_path: Path) -> None:
    """A member that declares little and inflates to more than the limit stops at the limit."""
    import zipfile

    from kehoach.report.sheets import MAX_INFLATED

    path = tmp_path / "bom.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/worksheets/sheet1.xml", b"0" * (MAX_INFLATED + 1024 * 1024))
    assert path.stat().st_size < MAX_INFLATED // 100
    with pytest.raises(WorkbookError, match="bom nén"):
        read_workbook(path)
