"""The summaries kept in the database (issue 14) are the register summarised from scratch.

A register of four plans (two provinces merged in 2025, a department merged into another, a
recurring task, a conditional one, a growth scenario) takes a random sequence of writes
through the store; then what the store kept in step with each write must equal what a
rebuild from the register's own rows computes, and a task's stored spans must give, on any
date, the status computed from its rows for that date. Both databases.
"""

from __future__ import annotations

import copy
import random
from datetime import date, timedelta

import pytest
from conftest import downgrade, load_plan
from sqlalchemy import select
from test_store_scoped import _binh_duong
from test_web_kit import AN_GIANG_PLAN, TRA_VINH_PLAN

from kehoach import track
from kehoach.store import ConflictError, Database, NotFoundError, ValidationError, summaries
from kehoach.store.schema import IndicatorState, PlanState, Tally, Task, TaskState

SAMPLE = "002_23dbc6410858588b.json"  # Trà Vinh, 83 tasks, 72 indicators, a growth scenario
DATES = (
    date(2025, 1, 5),
    date(2025, 3, 1),
    date(2025, 6, 20),
    date(2025, 6, 30),
    date(2025, 7, 1),
    date(2025, 9, 30),
    date(2025, 12, 31),
    date(2026, 1, 1),
)


def busy_register(db: Database, seed: int = 7, writes: int = 80) -> dict[str, int]:
    """Four plans and a random sequence of every kind of write, then a revised plan."""
    ids = {"tv": db.ingest(copy.deepcopy(TRA_VINH_PLAN)).plan_id, "ag": db.ingest(copy.deepcopy(AN_GIANG_PLAN)).plan_id}
    ids["bd"] = db.ingest(_binh_duong()).plan_id
    ids["sample"] = db.ingest(load_plan(SAMPLE)).plan_id
    random_writes(db, random.Random(seed), writes)
    revised = _binh_duong()
    revised["tasks"].pop()  # one task dropped
    revised["tasks"][0]["text"] += " Báo cáo trước ngày 15/12/2025."  # one reworded
    assert db.ingest(revised).version == 2
    return ids


def random_writes(db: Database, rnd: random.Random, writes: int) -> None:
    tasks = db.tasks(as_of=date(2025, 6, 20))
    indicators = db.indicators()
    duties = db.duties()
    refused = 0
    for _ in range(writes):
        t = rnd.choice(tasks)
        on = date(2025, 1, 2) + timedelta(days=rnd.randint(0, 360))
        kind = rnd.random()
        try:
            if kind < 0.55:
                db.update_task(
                    t["id"],
                    actor="A",
                    state=rnd.choice(["in_progress", "done", "not_started", None]),
                    percent=rnd.choice([None, rnd.randint(0, 100)]),
                    product_number=rnd.choice([None, "12/BC-STC"]),
                    period=f"2025-Q{rnd.randint(1, 4)}" if t["recurring"] and rnd.random() < 0.7 else None,
                    on=on,
                )
            elif kind < 0.65:
                due = date.fromisoformat(t["due"]) if t["due"] else on
                db.extend_deadline(t["id"], due + timedelta(days=rnd.randint(1, 90)), granted_by="Chủ tịch", actor="A",
                                   granted_on=on)  # fmt: skip
            elif kind < 0.7:
                conditional = [x for x in tasks if x["condition"]]
                if conditional:
                    db.mark_condition(rnd.choice(conditional)["id"], on, actor="A")
            elif kind < 0.85:
                ind = rnd.choice(indicators)
                period = rnd.choice(["2025-Q1", "2025-Q2", "2025-H1", "2025", "2025-06", "2024"])
                db.record_value(ind["id"], period, rnd.uniform(1, 9000), actor="B", on=on,
                                kind=rnd.choice(["estimate", "official"]), cumulative=rnd.random() < 0.3)  # fmt: skip
            elif kind < 0.97:
                duty = rnd.choice(duties)
                agency = rnd.choice(duty["reporters"]) if duty["reporters"] else "Sở Tài chính"
                db.submit_report(duty["id"], agency, rnd.choice(["2025-01", "2025-02", "2025-Q1", "2025-05"]), on,
                                 actor="B")  # fmt: skip
            else:
                db.edit_duty(rnd.choice(duties)["id"], actor="C", day=rnd.randint(5, 25))
        except (ValidationError, NotFoundError, ConflictError):
            refused += 1
    assert refused < writes / 2  # most writes went through


def kept(db: Database) -> dict:
    """Everything the store keeps for the pages, comparable (ids aside)."""
    with db.session() as s:
        tally = {
            (r.plan_id, r.province, r.kind, r.key, r.bucket, r.day, r.sent, r.ends): r.n
            for r in s.scalars(select(Tally))
            if r.n
        }
        spans = sorted(
            (r.task_id, r.since or date.min, r.until or date.max, r.due, r.done_on, r.original, r.waiting,
             r.extended, r.live, tuple(r.owners), r.hay)
            for r in s.scalars(select(TaskState))
        )  # fmt: skip
        inds = {
            r.indicator_id: (r.valid_from, r.year_end, r.before, r.after, r.hard, r.data)
            for r in s.scalars(select(IndicatorState))
        }
        plans = {
            r.plan_id: (r.province, r.reports_from, r.reports_until, r.frequency, r.growth, r.reports)
            for r in s.scalars(select(PlanState))
        }
        fresh = {r.plan_id: r.fresh_from or date.min for r in s.scalars(select(PlanState))}
    return {"tally": tally, "spans": spans, "indicators": inds, "plans": plans, "fresh": fresh}


@pytest.fixture
def busy(db: Database) -> dict[str, int]:
    return busy_register(db)


def test_what_writes_keep_equals_a_rebuild_from_scratch(db: Database, busy: dict[str, int]) -> None:
    before = kept(db)
    assert before["tally"] and before["spans"] and before["indicators"] and len(before["plans"]) == 4
    assert db.rebuild_summaries() == 4
    after = kept(db)
    for part in ("tally", "spans", "indicators", "plans"):
        assert before[part] == after[part], part
    # from when the counts hold: as a rebuild says, or later (a write only moves it forward)
    assert all(before["fresh"][p] >= day for p, day in after["fresh"].items())


def test_spans_give_the_status_computed_from_the_rows_on_any_date(db: Database, busy: dict[str, int]) -> None:
    with db.session() as s:
        rows = list(s.scalars(select(Task).order_by(Task.id)))
        raw = summaries.load_raw(s, rows)
    days = sorted({*DATES, *(date(2025, 1, 1) + timedelta(days=d) for d in range(0, 400, 9))})
    checked = 0
    for as_of in days:
        stored = {t["id"]: t for t in db.tasks(as_of=as_of, include_removed=True)}
        for t in rows:
            i = summaries.inputs_on(raw, t, as_of)
            status = track.task_status(
                due=i.due,
                done_on=i.done_on,
                as_of=as_of,
                recurring=t.recurring,
                waiting=i.waiting,
                soon_days=db.soon_days,
            )
            got = stored[t.id]
            assert (got["status"], got["due"], got["done_on"], got["owner_now"], got["extended"]) == (
                status.value,
                i.due and i.due.isoformat(),
                i.done_on and i.done_on.isoformat(),
                list(i.owners),
                i.extended,
            ), (t.id, as_of)
            checked += 1
    assert checked > 1000


def test_a_new_day_is_a_comparison_not_a_recomputation(db: Database) -> None:
    """A task due 30/6 is due soon that day and overdue the next, in the counts kept, with no write."""
    db.ingest(copy.deepcopy(TRA_VINH_PLAN))
    plan = db.ingest(copy.deepcopy(AN_GIANG_PLAN)).plan_id  # An Giang: no merger in 2025 to cut its spans
    stored = kept(db)
    june30, july1 = date(2025, 6, 30), date(2025, 7, 1)
    province = db.plan(plan)["province"]
    assert db.summaries.holds([province], june30) and db.summaries.holds([province], july1)
    on_30 = db.summaries.parts([province], june30, 7, by_plan=True)
    on_1 = db.summaries.parts([province], july1, 7, by_plan=True)
    assert kept(db) == stored  # asking changed nothing
    soon, overdue = track.Status.DUE_SOON.value, track.Status.OVERDUE.value
    assert (on_1.counts[overdue] - on_30.counts[overdue], on_30.counts[soon] - on_1.counts[soon]) == (1, 1)
    due_30 = db.summaries.open_tasks([province], june30, 7, soon=True, limit=10)
    late_1 = db.summaries.open_tasks([province], july1, 7, soon=False, limit=10)
    task = next(t for t in db.tasks(plan=plan) if t["due_document"] == "2025-06-30")
    assert task["id"] in due_30 and task["id"] in late_1


def test_a_date_before_a_plans_latest_change_is_not_counted_from_the_tally(db: Database) -> None:
    plan = db.ingest(copy.deepcopy(AN_GIANG_PLAN)).plan_id
    task = db.tasks(plan=plan)[0]["id"]
    db.update_task(task, actor="A", state="done", product_number="1/QĐ-UBND", on=date(2025, 5, 10))
    province = db.plan(plan)["province"]
    assert db.summaries.holds([province], date(2025, 5, 10))
    assert not db.summaries.holds([province], date(2025, 5, 9))  # done on the 10th: counted from then


def test_a_register_migrated_from_0004_is_summarised_as_if_from_scratch(db_url: str, db: Database) -> None:
    busy_register(db, seed=11, writes=40)
    before = kept(db)
    downgrade(db, "0004_session_generation")  # the summaries' tables go
    with db.engine.connect() as conn:
        assert "task_states" not in {r[0] for r in conn.exec_driver_sql(_TABLES[db.engine.dialect.name])}
    db.close()
    again = Database.open(db_url)  # migrates to 0005: summarised once
    try:
        after = kept(again)
        for part in ("tally", "spans", "indicators", "plans"):
            assert before[part] == after[part], part
        with again.session() as s:  # the date of each task's latest update came back too
            assert s.scalar(select(Task.progress_on).where(Task.progress_on.is_not(None)).limit(1)) is not None
    finally:
        again.close()


def test_a_register_migrated_from_0010_counts_the_country_as_if_from_scratch(db_url: str, db: Database) -> None:
    """0011 adds the country's counts per department up from its provinces' rows."""
    busy_register(db, seed=5, writes=40)
    before = kept(db)
    assert any(key[0] == -1 for key in before["tally"])
    downgrade(db, "0010_tally_by_kind")  # the country's rows go
    assert not any(key[0] == -1 for key in kept(db)["tally"])
    db.close()
    again = Database.open(db_url)
    try:
        assert kept(again)["tally"] == before["tally"]
        again.rebuild_summaries()
        assert kept(again)["tally"] == before["tally"]  # and a rebuild from scratch agrees
    finally:
        again.close()


_TABLES = {
    "sqlite": "SELECT name FROM sqlite_master WHERE type = 'table'",
    "postgresql": "SELECT tablename FROM pg_tables WHERE schemaname = 'public'",
}


def test_a_plan_loaded_without_its_summaries_is_counted_from_its_rows_until_summarised(db: Database) -> None:
    """A bulk load may leave summarising to the end (`ingest(summarise=False)`): meanwhile the
    stored counts do not claim to hold, and the pages add the plans up from their rows."""
    from kehoach.web.summary import figures

    ag = db.ingest(copy.deepcopy(AN_GIANG_PLAN)).plan_id
    other = copy.deepcopy(AN_GIANG_PLAN) | {"source": "kh-9.txt"}
    other["document"] = AN_GIANG_PLAN["document"] | {"number": "9/KH-UBND"}
    late = db.ingest(other, summarise=False).plan_id
    as_of, province = date(2025, 8, 1), "An Giang"
    assert not db.summaries.holds([province], as_of)
    plans = {ag: province, late: province}
    added = figures(db, as_of, plans, [province], lambda p: p, by_plan=True)
    assert sum(added.parts.counts.values()) == 8  # both plans' tasks
    assert db.summaries.ensure(db.today()) == 1
    assert db.summaries.holds([province], as_of)
    stored = figures(db, as_of, plans, [province], lambda p: p, by_plan=True)
    assert (stored.parts, stored.lists) == (added.parts, added.lists)
    db.update_task(db.tasks(plan=late)[0]["id"], actor="A", percent=5, on=as_of)
    db.ingest(
        other | {"source": "kh-9b.txt", "tasks": other["tasks"][:2]}, summarise=False
    )  # a new version, unsummarised
    assert not db.summaries.holds([province], as_of)
    assert sum(figures(db, as_of, plans, [province], lambda p: p, by_plan=True).parts.counts.values()) == 6
