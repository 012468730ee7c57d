"""Synthetic national data for the scale benchmark (not a test): plans of every province,
tasks assigned with the real agency registry, a year of monthly updates and indicator values.

The plans go in through the register's own `Database.ingest` (so agencies, aliases,
successors, versions and the audit log are what production would hold), in parallel on
every core; the year of progress updates, indicator values and their audit entries (90%
of the rows) are loaded with PostgreSQL COPY, then each task's current state is set from
its last update, as `update_task` would have left it.

    .venv/bin/python bench/gen_national.py --pg postgresql+psycopg://postgres@127.0.0.1/kehoach_scale \\
        --provinces 2 [--plans 300] [--tasks 100] [--year 2026] [--users]

The full country is `--provinces 34` (about 1 million tasks and 9 million updates).
"""

from __future__ import annotations

import argparse
import csv
import json
import multiprocessing as mp
import os
import random
import sys
import time
import tomllib
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import create_engine, select, text

from kehoach.store import Database

DATA = Path(__file__).parent.parent / "kehoach" / "data"
VERBS = [
    "Triển khai",
    "Rà soát",
    "Hoàn thiện",
    "Đẩy nhanh",
    "Tăng cường",
    "Nâng cao hiệu quả",
    "Tổ chức thực hiện",
    "Xây dựng",
    "Kiểm tra, giám sát",
    "Tham mưu",
]
OBJECTS = [
    "giải ngân vốn đầu tư công",
    "chuyển đổi số trong cơ quan nhà nước",
    "cải cách thủ tục hành chính",
    "thu hút đầu tư và cải thiện môi trường kinh doanh",
    "phát triển hạ tầng giao thông",
    "xây dựng nông thôn mới",
    "bảo đảm an sinh xã hội",
    "quản lý đất đai, tài nguyên",
    "phát triển du lịch",
    "sắp xếp tổ chức bộ máy sau hợp nhất",
    "thu ngân sách nhà nước",
    "phòng, chống thiên tai",
    "phát triển nguồn nhân lực",
    "chăm sóc sức khỏe nhân dân",
]
SECTIONS = [
    "Về phát triển kinh tế",
    "Về văn hóa - xã hội",
    "Về quốc phòng, an ninh",
    "Về cải cách hành chính",
    "Về tài nguyên và môi trường",
    "Tổ chức thực hiện",
]
UNITS = [("%", 5.0, 100.0), ("tỷ đồng", 500.0, 50_000.0), ("km", 10.0, 500.0), ("xã", 5.0, 100.0)]


def provinces() -> list[str]:
    """The 34 provinces and cities after the 2025 mergers (successor column empty)."""
    lines = [x for x in (DATA / "provinces.csv").read_text("utf-8").splitlines() if not x.startswith("#")]
    return [r["name"] for r in csv.DictReader(lines) if not r["successor"]]


def agencies() -> tuple[list[str], list[str]]:
    """The registry's agencies: (departments and the like, collective recipients)."""
    data = tomllib.loads((DATA / "agencies.toml").read_text("utf-8"))["agency"]
    single = [a["name"] for a in data if not a.get("collective")]
    collective = [a["name"] for a in data if a.get("collective")]
    return single, collective


def make_plan(province: str, n: int, tasks: int, year: int, rnd: random.Random) -> dict:
    single, collective = agencies()
    count = max(10, int(rnd.gauss(tasks, tasks / 3)))
    issued = date(year, 1, 5) + timedelta(days=rnd.randint(0, 80))
    out_tasks = []
    for i in range(count):
        lead = [rnd.choice(collective)] if rnd.random() < 0.08 else rnd.sample(single, 1 if rnd.random() < 0.85 else 2)
        kind = rnd.random()
        if kind < 0.12:
            deadline = {"text": "Hằng tháng", "due": None, "recurring": True, "condition": None}
        elif kind < 0.2:
            deadline = None
        else:
            due = date(year, rnd.randint(2, 12), 1) + timedelta(days=rnd.randint(0, 27))
            deadline = {"text": f"Trước ngày {due:%d/%m/%Y}", "due": due.isoformat(), "recurring": False}
            deadline["condition"] = None
        out_tasks.append(
            {
                "section": SECTIONS[i * len(SECTIONS) // count],
                "text": f"{rnd.choice(VERBS)} {rnd.choice(OBJECTS)} trên địa bàn {province} "
                f"(Kế hoạch {n}/KH-UBND, nhiệm vụ {i + 1}).",
                "lead": lead,
                "coordinate": rnd.sample([a for a in single if a not in lead], rnd.randint(0, 3)),
                "monitor": ["Sở Tài chính"] if rnd.random() < 0.1 else [],
                "deadline": deadline,
            }
        )
    indicators = []
    for k in range(rnd.randint(8, 20)):
        unit, lo, hi = rnd.choice(UNITS)
        target = round(rnd.uniform(lo, hi), 1)
        indicators.append(
            {
                "group": "Các chỉ tiêu chủ yếu",
                "text": f"Chỉ tiêu {k + 1}: đạt {target} {unit}",
                "agency": rnd.sample(single, 1),
                "year": str(year),
                "targets": [
                    {
                        "name": f"Chỉ tiêu {k + 1} ({rnd.choice(OBJECTS)})",
                        "comparator": ">=",
                        "value": target,
                        "min": None,
                        "max": None,
                        "unit": unit,
                    }
                ],
            }
        )
    return {
        "format": "plan/v1",
        "source": f"{province}-{n}.docx",
        "document": {
            "doc_type": "KẾ HOẠCH",
            "number": f"{n}/KH-UBND",
            "issuer": f"Ủy ban nhân dân tỉnh {province}",
            "province": province,
            "issued_date": issued.isoformat(),
            "title": f"Thực hiện nhiệm vụ phát triển kinh tế - xã hội năm {year} (số {n})",
        },
        "tasks": out_tasks,
        "indicators": indicators,
        "scenarios": [],
        "reporting": [
            {
                "reporters": rnd.sample(single, 5),
                "recipient": "Sở Tài chính",
                "frequency": "monthly",
                "deadlines": [],
                "text": "Định kỳ hằng tháng, trước ngày 20, báo cáo kết quả thực hiện.",
            }
        ],
    }


# --- plans, through ingest, on every core ---------------------------------------------------------

_db: Database | None = None


def _worker_init(url: str) -> None:
    global _db
    _db = Database(url)


def _ingest_one(job: tuple[str, int, int, int, int]) -> int:
    province, n, tasks, year, seed = job
    assert _db is not None
    plan = make_plan(province, n, tasks, year, random.Random(seed))
    return _db.ingest(plan, actor="gen_national", summarise=False).tasks  # summarised once, after the year


def _progress(done: int, total: int, t0: float, what: str) -> None:
    rate = done / max(time.perf_counter() - t0, 1e-9)
    eta = (total - done) / rate if rate else 0
    print(f"\r  {what}: {done}/{total} ({rate:.1f}/s, còn ~{eta:.0f} s)   ", end="", file=sys.stderr, flush=True)


def seed_agencies(url: str, names: list[str], year: int) -> int:
    """One plan per province naming every agency, ingested alone: the parallel ingests then find
    every agency already there (two ingests creating the same agency at once deadlock)."""
    single, collective = agencies()
    db = Database(url)
    total = 0
    for p in names:
        plan = make_plan(p, 0, 10, year, random.Random(0))
        every = single + collective
        plan["tasks"] = [t | {"lead": [a], "coordinate": []} for t, a in zip(plan["tasks"] * 20, every, strict=False)]
        total += db.ingest(plan, actor="gen_national").tasks
    db.close()
    return total


def load_plans(url: str, names: list[str], plans: int, tasks: int, year: int, jobs: int) -> int:
    work = [(p, n, tasks, year, hash((p, n)) & 0xFFFFFFFF) for p in names for n in range(1, plans + 1)]
    t0, total = time.perf_counter(), seed_agencies(url, names, year)
    with mp.get_context("spawn").Pool(jobs, initializer=_worker_init, initargs=(url,)) as pool:
        for i, count in enumerate(pool.imap_unordered(_ingest_one, work, chunksize=4), 1):
            total += count
            if i % 10 == 0 or i == len(work):
                _progress(i, len(work), t0, "kế hoạch")
    print(file=sys.stderr)
    return total


# --- a year of updates and values, through COPY ------------------------------------------------------


def _copy(cur: object, table: str, columns: list[str], rows: Iterator[tuple]) -> int:
    cols = ", ".join(f'"{c}"' for c in columns)
    n = 0
    with cur.copy(f"COPY {table} ({cols}) FROM STDIN") as cp:  # type: ignore[attr-defined]
        for row in rows:
            cp.write_row(row)
            n += 1
    return n


def _final_states(cur: object, final: list[tuple]) -> None:
    """Each task's state as `update_task` would have left it after its last update."""
    cur.execute(  # type: ignore[attr-defined]
        "CREATE TEMP TABLE final_state (id int, state varchar(20), percent float, done_on date, "
        "product varchar(200), version int, progress_on date) ON COMMIT DROP"
    )
    columns = ["id", "state", "percent", "done_on", "product", "version", "progress_on"]
    _copy(cur, "final_state", columns, iter(final))
    cur.execute(  # type: ignore[attr-defined]
        "UPDATE tasks SET state = f.state, percent = f.percent, done_on = f.done_on, "
        "product_number = f.product, version = f.version, progress_on = f.progress_on, updated_at = now() "
        "FROM final_state f WHERE tasks.id = f.id"
    )


def load_year(url: str, names: list[str], year: int, seed: int = 2026) -> dict[str, int]:
    """Monthly updates of every task of these provinces (until today), their values and audit."""
    db = Database(url)
    rnd = random.Random(seed)
    last_month = min(12, date.today().month if date.today().year == year else 12)
    counts = {"progress_updates": 0, "indicator_values": 0, "audit_log": 0}
    with db.engine.begin() as conn:
        conn.execute(text("LOCK TABLE progress_updates, indicator_values, audit_log IN EXCLUSIVE MODE"))
        tasks = conn.execute(
            text(
                "SELECT t.id, t.due, t.recurring, p.issued_date, p.id, p.province "
                "FROM tasks t JOIN plans p ON p.id = t.plan_id WHERE p.province = ANY(:p) ORDER BY t.id"
            ),
            {"p": names},
        ).all()
        inds = conn.execute(
            text(
                "SELECT i.id, i.value, p.id, p.province FROM indicators i JOIN plans p ON p.id = i.plan_id "
                "WHERE p.province = ANY(:p) ORDER BY i.id"
            ),
            {"p": names},
        ).all()
        next_id = {
            t: (conn.execute(text(f"SELECT COALESCE(MAX(id), 0) FROM {t}")).scalar() or 0) + 1
            for t in ("progress_updates", "indicator_values", "audit_log")
        }
        raw = conn.connection.driver_connection
        cur = raw.cursor()
        updates: list[tuple] = []
        audits: list[tuple] = []
        final: list[tuple] = []
        now = datetime.now(UTC)
        uid, aid = next_id["progress_updates"], next_id["audit_log"]
        for tid, _due, recurring, issued, plan_id, province in tasks:
            percent, state, version, done_on, product, last_on = 0.0, "not_started", 1, None, None, None
            speed = rnd.uniform(5, 25)
            for m in range(max(1, issued.month), last_month + 1):
                if state == "done":
                    break
                on = date(year, m, rnd.randint(18, 28))
                if on > date.today():
                    break
                before = {"state": state, "percent": percent, "version": version}
                percent = min(100.0, round(percent + rnd.uniform(0.5, 1.5) * speed, 1))
                state = "in_progress"
                if percent >= 100 and not recurring:
                    state, done_on, product = "done", on, f"{rnd.randint(1, 999)}/BC-S{rnd.randint(1, 30)}"
                version += 1
                last_on = on
                actor = f"Cán bộ {tid % 97}"
                updates.append(
                    (uid, tid, on, None, state, percent, "Đã triển khai theo kế hoạch.", None, None, product, None,
                     actor, now)
                )  # fmt: skip
                after = {"state": state, "percent": percent, "version": version, "update_id": uid}
                audits.append(
                    (aid, now, actor, "update", "task", tid, json.dumps(before), json.dumps(after), plan_id, province)
                )
                uid, aid = uid + 1, aid + 1
            final.append((tid, state, percent if version > 1 else None, done_on, product, version, last_on))
        values: list[tuple] = []
        vid = next_id["indicator_values"]
        for iid, target, plan_id, province in inds:
            for m in range(1, last_month + 1):
                end = (date(year, m + 1, 1) if m < 12 else date(year + 1, 1, 1)) - timedelta(days=1)
                on = min(end + timedelta(days=5), date.today())
                value = round((target or 10.0) * m / 12 * rnd.uniform(0.8, 1.1), 2)
                values.append(
                    (vid, iid, f"{year}-{m:02d}", date(year, m, 1), end, "estimate", True, value, on, None,
                     "Cục Thống kê", now)
                )  # fmt: skip
                after = {"period": f"{year}-{m:02d}", "value": value, "kind": "estimate", "value_id": vid}
                audits.append(
                    (aid, now, "Cục Thống kê", "value", "indicator", iid, None, json.dumps(after), plan_id, province)
                )
                vid, aid = vid + 1, aid + 1
        counts["progress_updates"] = _copy(
            cur,
            "progress_updates",
            ["id", "task_id", "on", "period", "state", "percent", "narrative", "difficulties", "proposals",
             "product_number", "product_file", "actor", "recorded_at"],
            iter(updates),
        )  # fmt: skip
        counts["indicator_values"] = _copy(
            cur,
            "indicator_values",
            ["id", "indicator_id", "period", "period_start", "period_end", "kind", "cumulative", "value", "on",
             "note", "actor", "recorded_at"],
            iter(values),
        )  # fmt: skip
        counts["audit_log"] = _copy(
            cur,
            "audit_log",
            ["id", "at", "actor", "action", "entity", "entity_id", "before", "after", "plan_id", "province"],
            iter(audits),
        )
        _final_states(cur, final)
        for t in ("progress_updates", "indicator_values", "audit_log"):
            cur.execute(f"SELECT setval(pg_get_serial_sequence('{t}', 'id'), (SELECT MAX(id) FROM {t}))")
        cur.execute("ANALYZE")  # fresh statistics after a bulk load, or the planner guesses
    db.close()
    return counts


def _refresh(ids: list[int]) -> int:
    assert _db is not None
    with _db.writing() as s:
        _db.summaries.refresh_plans(s, ids, _db.today())
    return len(ids)


def rebuild_summaries(url: str, jobs: int, batch: int = 40) -> None:
    """`Database.rebuild_summaries`, on every core: the states cleared, then the plans' summaries
    computed batch by batch in a pool (each batch one transaction, its counts added)."""
    from kehoach.store.schema import IndicatorState, Plan, PlanState, Tally, TaskState

    db = Database(url)
    with db.writing() as s:
        for table in (Tally, TaskState, IndicatorState, PlanState):
            s.execute(table.__table__.delete())
        ids = list(s.scalars(select(Plan.id).order_by(Plan.province, Plan.id)))
    db.close()
    chunks = [ids[i : i + batch] for i in range(0, len(ids), batch)]
    t0, done = time.perf_counter(), 0
    with mp.get_context("spawn").Pool(jobs, initializer=_worker_init, initargs=(url,)) as pool:
        for n in pool.imap_unordered(_refresh, chunks):
            done += n
            _progress(done, len(ids), t0, "tóm tắt")
    print(file=sys.stderr)
    # VACUUM too: a table just loaded has no visibility map, and without one an index-only scan
    # reads the table (the country's dashboard 200 ms instead of 100)
    with create_engine(url, isolation_level="AUTOCOMMIT").connect() as conn:
        conn.execute(text("VACUUM ANALYZE"))


def make_users(url: str, names: list[str]) -> list[tuple[str, str]]:
    """An admin; per province an office, a leader and officers of five departments (password `bench-password`)."""
    from kehoach.web import accounts

    accounts._N = 2**10  # the benchmark measures pages, not password hashing
    db = Database(url)
    made = [("admin", "admin")]
    accounts.create_user(db, "admin", "bench-password", role="admin")
    depts = ["Sở Tài chính", "Sở Công Thương", "Sở Xây dựng", "Sở Y tế", "Sở Nội vụ"]
    for k, p in enumerate(names):
        accounts.create_user(db, f"office{k}", "bench-password", role="office", province=p)
        accounts.create_user(db, f"leader{k}", "bench-password", role="leader", province=p)
        made += [(f"office{k}", "office"), (f"leader{k}", "leader")]
        for j, d in enumerate(depts):
            accounts.create_user(db, f"officer{k}_{j}", "bench-password", role="officer", province=p, agency=d)
            made.append((f"officer{k}_{j}", "officer"))
    db.close()
    return made


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--pg", required=True, help="PostgreSQL URL of a database of its own (created if missing? no)")
    ap.add_argument("--provinces", type=int, default=34, help="how many provinces (34: the whole country)")
    ap.add_argument("--plans", type=int, default=300, help="plans per province")
    ap.add_argument("--tasks", type=int, default=100, help="average tasks per plan")
    ap.add_argument("--year", type=int, default=date.today().year)
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="processes ingesting plans")
    ap.add_argument("--users", action="store_true", help="also create bench accounts")
    args = ap.parse_args(argv)
    names = provinces()[: args.provinces]
    Database.open(args.pg).close()  # migrate once, before the workers
    t0 = time.perf_counter()
    tasks = load_plans(args.pg, names, args.plans, args.tasks, args.year, args.jobs)
    t_plans = time.perf_counter() - t0
    counts = load_year(args.pg, names, args.year)
    t_year = time.perf_counter() - t0 - t_plans
    # the year was loaded behind the store's back: what the pages read is computed again from it
    rebuild_summaries(args.pg, args.jobs)
    t_summaries = time.perf_counter() - t0 - t_plans - t_year
    if args.users:
        make_users(args.pg, names)
    summary = {
        "provinces": len(names),
        "plans": len(names) * args.plans,
        "tasks": tasks,
        **counts,
        "seconds_plans": round(t_plans, 1),
        "seconds_year": round(t_year, 1),
        "seconds_summaries": round(t_summaries, 1),
    }
    print(json.dumps(summary, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
