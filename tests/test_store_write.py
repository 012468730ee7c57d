"""The write path of a progress update: a handful of statements in one transaction.

Counted with an SQLAlchemy event listener (behaviour, not timing): the task read once (row,
spans, agencies), its row updated on the version read and returned, the update and the audit
entry inserted, its span moved when it becomes done; no second read of the task or of its
history. The permission is checked on the row the write read, inside its transaction.
"""

from __future__ import annotations

import copy
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

import pytest
from sqlalchemy import event
from test_web_kit import AN_GIANG_PLAN

from kehoach.errors import ForbiddenError
from kehoach.store import ConflictError, Database, NotFoundError

ON = date(2025, 6, 10)


@contextmanager
def counted(db: Database) -> Iterator[dict]:
    """The SQL statements run (transaction control aside) and the connections checked out meanwhile."""
    seen: dict = {"sql": [], "checkouts": 0}

    def statement(conn, cursor, sql, params, context, executemany):  # noqa: ANN001
        if not sql.lstrip().upper().startswith(("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE")):
            seen["sql"].append(" ".join(sql.split())[:120])

    def checkout(*_: object) -> None:
        seen["checkouts"] += 1

    event.listen(db.engine, "before_cursor_execute", statement)
    event.listen(db.engine.pool, "checkout", checkout)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", statement)
        event.remove(db.engine.pool, "checkout", checkout)


@pytest.fixture
def task_id(db: Database) -> int:
    plan = db.ingest(copy.deepcopy(AN_GIANG_PLAN)).plan_id
    return db.tasks(plan=plan, as_of=ON)[0]["id"]


def test_an_update_is_a_few_statements_in_one_transaction(db: Database, task_id: int) -> None:
    version = db.task(task_id)["version"]
    with counted(db) as seen:
        out = db.update_task(task_id, actor="A", percent=40, narrative="Đã làm", on=ON, expected_version=version)
    sql = seen["sql"]
    assert len(sql) <= 5, sql
    assert seen["checkouts"] == 1
    assert sum(q.startswith("UPDATE tasks") for q in sql) == 1
    assert not any("FROM progress_updates" in q for q in sql)  # history not read again
    assert (out["version"], out["percent"], out["update"]["narrative"]) == (version + 1, 40, "Đã làm")
    assert db.audit(entity="task", entity_id=task_id)[-1]["after"]["update_id"] == out["update"]["id"]


def test_a_task_done_moves_its_span_and_counts_in_a_few_more(db: Database, task_id: int) -> None:
    with counted(db) as seen:
        out = db.update_task(task_id, actor="A", state="done", product_number="12/BC-STC", on=ON)
    sql = seen["sql"]
    assert len(sql) <= 9, sql
    assert out["status"] == "hoàn thành đúng hạn" and out["done_on"] == ON.isoformat()
    province = db.plan(out["plan_id"])["province"]
    assert db.summaries.parts([province], ON, 7, by_plan=True).counts["hoàn thành đúng hạn"] == 1


def test_a_task_read_is_a_few_statements(db: Database, task_id: int) -> None:
    with counted(db) as seen:
        db.task(task_id, as_of=ON)
    assert len([q for q in seen["sql"] if q.startswith("SELECT")]) <= 7, seen["sql"]


def test_the_permission_is_checked_on_the_row_written_and_nothing_is_written_when_refused(
    db: Database, task_id: int
) -> None:
    before = db.task(task_id)

    def refuse(t: dict) -> None:
        assert t["id"] == task_id and t["version"] == before["version"]
        raise ForbiddenError("không được")

    with pytest.raises(ForbiddenError):
        db.update_task(task_id, actor="A", percent=90, on=ON, authorize=refuse)
    after = db.task(task_id)
    assert (after["version"], after["percent"], after["updates"]) == (before["version"], None, [])
    assert db.audit(entity="task", entity_id=task_id) == []
    with pytest.raises(NotFoundError):
        db.update_task(10**6, actor="A", percent=1, on=ON)


def test_concurrent_writers_of_one_version_one_wins(db_url: str, db: Database, task_id: int) -> None:
    version = db.task(task_id)["version"]
    results: list[str] = []
    barrier = threading.Barrier(4)

    def officer(n: int) -> None:
        mine = Database(db_url)
        try:
            barrier.wait()
            mine.update_task(task_id, actor=f"officer {n}", percent=10 * n, on=ON, expected_version=version)
            results.append("ok")
        except ConflictError:
            results.append("conflict")
        finally:
            mine.close()

    threads = [threading.Thread(target=officer, args=(n,)) for n in range(1, 5)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == ["conflict"] * 3 + ["ok"]
    assert len(db.task(task_id)["updates"]) == 1
