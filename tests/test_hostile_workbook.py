"""The doctored workbook (issue 15 point 4), imported in a child under a memory and time ceiling.

A Sở Tài chính officer of Vĩnh Long rewrites the workbook's own `Thông tin` sheet: another
department (and fills that department's task), then another province's plan. The import runs in a
child process limited by `tests/hostile.py`, on both databases; it acts only within the importer's
scope, says the mismatch, and writes nothing it may not. (The far-cell workbook runs the same way
in tests/test_workbook.py.)
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import load_plan
from hostile import run_limited
from openpyxl import load_workbook
from test_workbook import DEPT, PRODUCT, STATE, TODAY

from kehoach.report.workbook import belongs, export_department
from kehoach.store import Database

CEILING_MB, PEAK_MB = 700, 400


def _import_as_finance(url: str, path: str) -> dict:
    """In the limited child: import the workbook as Sở Tài chính of Vĩnh Long (valid rows kept)."""
    from kehoach.report.workbook_import import Scope, import_workbook

    with Database.open(url) as db:
        result = import_workbook(db, path, actor="A", today=TODAY, scope=Scope("Vĩnh Long", DEPT), mode="valid")
    return {"notices": result.notices, "issues": [str(i) for i in result.issues]}


def _set_info(path: Path, label: str, value: object) -> None:
    wb = load_workbook(path)
    info = wb["Thông tin"]
    row = next(r for r in range(1, info.max_row + 1) if info[f"A{r}"].value == label)
    info[f"B{row}"] = value
    wb.save(path)


@pytest.fixture
def plan_id(db: Database) -> int:
    return db.ingest(load_plan("002_23dbc6410858588b.json")).plan_id


def test_a_doctored_department_writes_nothing_outside_the_importers(
    db_url: str, db: Database, plan_id: int, tmp_path: Path
) -> None:
    path = export_department(db, plan_id, DEPT, "2025-Q2", tmp_path / "stc.xlsx", today=TODAY)
    theirs = next(t for t in db.tasks(plan=plan_id, as_of=TODAY) if belongs(t, "Sở Xây dựng"))
    _set_info(path, "Đơn vị", "Sở Xây dựng")
    wb = load_workbook(path)
    ws = wb["Nhiệm vụ"]
    row = ws.max_row
    ws[f"A{row}"], ws[f"{STATE}{row}"], ws[f"{PRODUCT}{row}"] = theirs["id"], "hoàn thành", "9/BC-SXD"
    wb.save(path)
    r = run_limited(_import_as_finance, args=(db_url, str(path)), memory_mb=CEILING_MB, seconds=120)
    assert r.finished and r.error_type is None, r.describe()
    assert any("người nhập thuộc Sở Tài chính" in n for n in r.value["notices"]), r.value
    assert any(f"'{theirs['id']}': nhiệm vụ của đơn vị khác" in i for i in r.value["issues"]), r.value
    assert db.task(theirs["id"], as_of=TODAY)["updates"] == []
    assert r.peak_mb < PEAK_MB, r.describe()


def test_a_doctored_plan_of_another_province_is_refused_whole(
    db_url: str, db: Database, plan_id: int, tmp_path: Path
) -> None:
    path = export_department(db, plan_id, DEPT, "2025-Q2", tmp_path / "stc.xlsx", today=TODAY)
    other = db.ingest(load_plan("003_230a64e200d485dd.json")).plan_id
    _set_info(path, "Mã kế hoạch", other)
    r = run_limited(_import_as_finance, args=(db_url, str(path)), memory_mb=CEILING_MB, seconds=120)
    assert r.finished and r.error_type == "WorkbookError", r.describe()
    assert "ngoài phạm vi của bạn" in r.error, r.describe()
    assert not [e for e in db.audit(entity="task") if e["actor"] == "A"]  # nothing written, anywhere
    assert r.peak_mb < PEAK_MB, r.describe()
