"""Faults for real: a process killed (SIGKILL) during ingest, an Excel import and a burst of
updates leaves the register consistent; a database that goes away gives 503 and recovers.
"""

from __future__ import annotations

import copy
import json
import os
import random
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from conftest import PG_URL
from openpyxl import load_workbook
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url
from test_web_kit import TRA_VINH_PLAN, make_site

from kehoach.report.workbook import export_department
from kehoach.report.workbook_import import import_workbook
from kehoach.store import AuditEntry, Database, Plan, PlanVersion, ProgressUpdate, Task

ROOT = Path(__file__).parent.parent
TODAY = date(2025, 7, 3)


def _spawn(script: str, *args: str) -> subprocess.Popen:
    env = os.environ | {"PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        [sys.executable, "-c", script, *args], env=env, stdout=subprocess.PIPE, text=True, bufsize=1
    )


def _acks(proc: subprocess.Popen, wanted: int, timeout: float = 60) -> list[str]:
    """Lines the child printed after each committed change, until `wanted` of them."""
    got: list[str] = []
    deadline = time.monotonic() + timeout
    assert proc.stdout is not None
    while len(got) < wanted:
        assert time.monotonic() < deadline, f"only {len(got)} acknowledgements in {timeout} s"
        line = proc.stdout.readline()
        assert line, f"the child ended early (exit {proc.poll()})"
        got.append(line.strip())
    return got


def _kill(proc: subprocess.Popen) -> list[str]:
    """SIGKILL, then whatever the child had already acknowledged."""
    proc.send_signal(signal.SIGKILL)
    out, _ = proc.communicate(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    return [x for x in out.splitlines() if x.strip()]


# --- ingest ---------------------------------------------------------------------------------------

TASKS_PER_PLAN = 120

_INGEST = """
import copy, json, sys
from kehoach.store import Database
plan = json.loads(sys.argv[2])
db = Database.open(sys.argv[1])
for i in range(10_000):
    p = copy.deepcopy(plan)
    p["document"]["number"] = f"{i + 1}/KH-UBND"
    r = db.ingest(p, actor="bulk")
    print(f"ok {r.plan_id} {p['document']['number']}", flush=True)
"""


def _big_plan() -> dict:
    plan = copy.deepcopy(TRA_VINH_PLAN)
    base = plan["tasks"]
    plan["tasks"] = [
        base[i % len(base)] | {"text": f"{base[i % len(base)]['text']} (mục {i})"} for i in range(TASKS_PER_PLAN)
    ]
    return plan


def test_killed_bulk_ingest_keeps_whole_plans_only(db_url: str, db: Database) -> None:
    proc = _spawn(_INGEST, db_url, json.dumps(_big_plan(), ensure_ascii=False))
    try:
        acked = _acks(proc, 2)
        time.sleep(random.uniform(0.0, 0.3))  # somewhere inside the next ingest
    finally:
        acked += _kill(proc)
    with db._tx() as s:
        plans = {p.id: p.number for p in s.scalars(select(Plan))}
        tasks = dict(s.execute(select(Task.plan_id, func.count()).group_by(Task.plan_id)).all())
        versions = dict(s.execute(select(PlanVersion.plan_id, func.count()).group_by(PlanVersion.plan_id)).all())
        audited = [e.entity_id for e in s.scalars(select(AuditEntry).where(AuditEntry.action == "ingest"))]
    acked_numbers = {line.split()[2] for line in acked}
    assert acked_numbers <= set(plans.values()), "an acknowledged plan is missing"
    assert len(plans) <= len(acked) + 1, "more plans than were ever started"
    for pid in plans:
        assert tasks.get(pid) == TASKS_PER_PLAN, f"plan {pid} is half written: {tasks.get(pid)} tasks"
        assert versions.get(pid) == 1
    assert sorted(audited) == sorted(plans)


# --- Excel import -----------------------------------------------------------------------------------

_IMPORT = """
import sys, time
from datetime import date
from pathlib import Path
from kehoach.report import workbook_import
from kehoach.store import Database
original = workbook_import._apply_task
count = 0
def slow(*args, **kwargs):
    global count
    original(*args, **kwargs)
    count += 1
    if count == 3:  # three rows written inside the import's transaction
        print("mid-import", flush=True)
        time.sleep(600)
workbook_import._apply_task = slow
db = Database.open(sys.argv[1])
workbook_import.import_workbook(db, sys.argv[2], actor="Nguyễn Văn A", today=date(2025, 7, 3))
print("finished", flush=True)
"""


def test_killed_excel_import_applies_no_row(db_url: str, db: Database, tmp_path: Path) -> None:
    plan_id = db.ingest(_big_plan()).plan_id
    path = export_department(db, plan_id, "Sở Tài chính", "2025-Q2", tmp_path / "stc.xlsx", today=TODAY)
    wb = load_workbook(path)
    ws = wb["Nhiệm vụ"]
    rows = list(range(2, ws.max_row + 1))
    assert len(rows) >= 5
    for r in rows:
        ws[f"I{r}"] = "đang thực hiện"
        ws[f"J{r}"] = 30
        ws[f"L{r}"] = "Đang triển khai."
    wb.save(path)
    before = {t["id"]: t["version"] for t in db.tasks(plan=plan_id, as_of=TODAY)}
    proc = _spawn(_IMPORT, db_url, str(path))
    try:
        assert _acks(proc, 1) == ["mid-import"]
    finally:
        _kill(proc)
    after = {t["id"]: t["version"] for t in db.tasks(plan=plan_id, as_of=TODAY)}
    assert after == before
    with db._tx() as s:
        assert s.scalar(select(func.count()).select_from(ProgressUpdate)) == 0
        assert s.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "update")) == 0
    result = import_workbook(db, path, actor="Nguyễn Văn A", today=TODAY)  # the same file again: all of it
    assert result.issues == [] and result.applied_tasks == len(rows)


# --- a burst of updates -----------------------------------------------------------------------------

_UPDATES = """
import sys
from datetime import date
from kehoach.store import Database
db = Database.open(sys.argv[1])
ids = [int(x) for x in sys.argv[2].split(",")]
for n in range(100_000):
    task = ids[n % len(ids)]
    percent = (n // len(ids)) % 100
    u = db.update_task(task, actor=f"officer-{task}", percent=percent, narrative=f"lần {n}", on=date(2025, 6, 1))
    print(f"ok {task} {u['update']['id']} {percent}", flush=True)
"""


def test_killed_update_burst_loses_no_acknowledged_update(db_url: str, db: Database) -> None:
    plan_id = db.ingest(copy.deepcopy(TRA_VINH_PLAN)).plan_id
    ids = [t["id"] for t in db.tasks(plan=plan_id)]
    proc = _spawn(_UPDATES, db_url, ",".join(map(str, ids)))
    acked: list[str] = []
    try:
        acked = _acks(proc, 25)
        time.sleep(random.uniform(0.0, 0.2))
    finally:
        acked += _kill(proc)
    acknowledged = {int(line.split()[2]) for line in acked}
    with db._tx() as s:
        updates = {u.id: u for u in s.scalars(select(ProgressUpdate))}
        audit = [e for e in s.scalars(select(AuditEntry).where(AuditEntry.action == "update"))]
        tasks = {t.id: t for t in s.scalars(select(Task).where(Task.plan_id == plan_id))}
    assert acknowledged <= set(updates), "an acknowledged update is missing"
    assert len(updates) <= len(acknowledged) + 1
    assert sorted(e.after["update_id"] for e in audit) == sorted(updates), "the audit log and the updates differ"
    for tid, t in tasks.items():
        mine = sorted((u for u in updates.values() if u.task_id == tid), key=lambda u: u.id)
        assert t.version == 1 + len(mine)
        if mine:
            assert t.percent == mine[-1].percent


# --- the database goes away mid-request ------------------------------------------------------------


@pytest.fixture
def own_pg(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[str, str]]:
    """A PostgreSQL database of our own, so its connections can be cut without touching others."""
    if not PG_URL:
        pytest.skip("KEHOACH_TEST_DATABASE_URL is not set")
    name = f"kehoach_faults_{uuid.uuid4().hex[:12]}"
    admin = create_engine(make_url(PG_URL).set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(PG_URL).set(database=name).render_as_string(hide_password=False), name
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true'))
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _cut(name: str, *, block: bool | None = None) -> None:
    admin = create_engine(make_url(PG_URL).set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            if block is not None:
                conn.execute(text(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS {"false" if block else "true"}'))
            if block is not False:
                conn.execute(
                    text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :d"), {"d": name}
                )
    finally:
        admin.dispose()


def test_database_gone_gives_503_and_recovers(own_pg: tuple[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    url, name = own_pg
    db = Database.open(url)
    try:
        site = make_site(db, monkeypatch)
        c = site.client("tc_vl")
        assert c.get("/api/tasks/mine").status_code == 200
        _cut(name)  # connections dropped (a restart, a failover): the next request reconnects
        assert c.get("/api/tasks/mine").status_code == 200
        _cut(name, block=True)  # down: nobody can connect
        r = c.get("/api/tasks/mine")
        assert r.status_code == 503, r.text
        assert r.json()["error"]["code"] == "unavailable" and r.headers["retry-after"]
        r = c.post(f"/api/tasks/{site.tasks['tc']}/update", json={"percent": 20})
        assert r.status_code == 503 and "thử lại" in r.json()["error"]["message"]
        page = c.get("/tasks/mine")
        assert page.status_code == 503 and "thử lại" in page.text
        _cut(name, block=False)  # back
        assert c.get("/api/tasks/mine").status_code == 200
        r = c.post(f"/api/tasks/{site.tasks['tc']}/update", json={"percent": 20, "on": "2025-06-01"})
        assert r.status_code == 200, r.text
    finally:
        db.close()
