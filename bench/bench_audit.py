"""Benchmark (not a test): the audit log page ("Nhật ký") on a province's register, filtered.

Two provinces of 20 plans and 3,000 tasks each (bench_web's plans); each province's log holds
280,000 entries over a year (a country's 9.6 million over 34 provinces): progress updates by
its departments' twenty officers, in Vietnamese words on the page. The synthesizing office of
the first province reads its log: the newest page, a deep page, and each filter (a person, a
department, a plan, a month, a person in a month). Every request reads the database (the page
is not cached).

    .venv/bin/python bench/bench_audit.py [--pg URL] [--runs 30] [--entries 280000]
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bench_web import DEPARTMENTS, pct, plan
from sqlalchemy import create_engine, func, insert, select, text

from kehoach.store import AuditEntry, Database
from kehoach.web import Settings, accounts, create_app

PROVINCES = ("Vĩnh Long", "An Giang")
START = datetime(2025, 8, 1, tzinfo=UTC)


def _officer(province: str, k: int) -> str:
    return f"{'vl' if province == PROVINCES[0] else 'ag'}.so{k}"


def build(url: str, entries: int) -> Database:
    db = Database.open(url)
    rnd = random.Random(2026)
    t0 = time.perf_counter()
    accounts._N = 2**10  # the benchmark measures pages, not logins
    for p, province in enumerate(PROVINCES):
        for n in range(1, 21):
            doc = plan(100 * p + n, rnd)
            doc["document"] |= {"province": province, "issuer": f"Ủy ban nhân dân tỉnh {province}"}
            db.ingest(doc, actor="bench")
        for k, agency in enumerate(DEPARTMENTS[:20]):
            accounts.create_user(
                db, _officer(province, k), "bench-password", role="officer", province=province, agency=agency
            )
    accounts.create_user(db, "office", "bench-password", role="office", province=PROVINCES[0])
    with db.engine.begin() as conn:
        tasks = conn.execute(
            text("SELECT tasks.id, plans.id, plans.province FROM tasks JOIN plans ON plans.id = tasks.plan_id")
        )
        by_province: dict[str, list[tuple[int, int]]] = {}  # a province's tasks and their plans
        for tid, plan_id, province in tasks:
            by_province.setdefault(province, []).append((tid, plan_id))
        # in time order, as they are written: the two provinces' changes interleaved
        span, total = timedelta(days=365).total_seconds(), entries * len(by_province)
        provinces = list(by_province)
        rows = []
        for i in range(total):
            province = provinces[rnd.randrange(len(provinces))]
            before = rnd.randint(0, 90)
            task_id, plan_id = rnd.choice(by_province[province])
            rows.append(
                {
                    "at": START + timedelta(seconds=span * i / total),
                    "actor": _officer(province, rnd.randrange(20)),
                    "action": "update",
                    "entity": "task",
                    "entity_id": task_id,
                    "before": {"state": "in_progress", "percent": before, "version": 1},
                    "after": {"state": "in_progress", "percent": before + 10, "version": 2, "update_id": i},
                    "plan_id": plan_id,
                    "province": province,
                }
            )
            if len(rows) == 10_000:
                conn.execute(insert(AuditEntry), rows)
                rows = []
        if rows:
            conn.execute(insert(AuditEntry), rows)
    if db.engine.dialect.name == "postgresql":
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM ANALYZE"))
    print(f"  built in {time.perf_counter() - t0:.0f} s", file=sys.stderr)
    return db


def measure(db: Database, runs: int) -> dict[str, tuple[float, ...]]:
    from fastapi.testclient import TestClient

    c = TestClient(create_app(db, Settings(secret_key="bench")))
    c.post("/api/login", json={"username": "office", "password": "bench-password"})
    with db.engine.connect() as conn:
        top = conn.scalar(select(func.max(AuditEntry.id))) or 0
    first_plan = db.plans()[0]["id"]
    month = "start=2026-02-01&end=2026-02-28"
    pages = {
        "newest": "/audit",
        "newest (JSON)": "/api/audit",
        "deep page": f"/audit?before={top // 3}",
        "one person": f"/audit?actor={_officer(PROVINCES[0], 3)}",
        "one department": f"/audit?agency={DEPARTMENTS[1]}",
        "one plan": f"/audit?plan={first_plan}",
        "one month": f"/audit?{month}",
        "a person in a month": f"/audit?actor={_officer(PROVINCES[0], 3)}&{month}",
        "a day with nothing": "/audit?start=2027-01-01&end=2027-01-01",
    }
    out = {}
    for name, url in pages.items():
        t = time.perf_counter()
        r = c.get(url)
        assert r.status_code == 200, r.text[:300]
        first = (time.perf_counter() - t) * 1000
        times, reads = [], []
        for _ in range(runs):
            t = time.perf_counter()
            c.get(url)
            times.append((time.perf_counter() - t) * 1000)
            # the store's part alone: the page of entries and the names they need
            t = time.perf_counter()
            entries = db.audit_page(provinces=set(PROVINCES[:1]), **_store_filters(url))["entries"]
            db.audit_subjects(entries)
            reads.append((time.perf_counter() - t) * 1000)
        out[name] = (first, *pct(times), *pct(reads))
    return out


def _store_filters(url: str) -> dict:
    """The store's arguments for a page's query string (as web/auditlog.py turns them)."""
    from urllib.parse import parse_qsl

    from kehoach.vn import TZ

    query, out = dict(parse_qsl(url.partition("?")[2])), {}
    for key in ("actor", "agency"):
        if key in query:
            out[key] = query[key]
    if "plan" in query:
        out["plan"] = int(query["plan"])
    if "before" in query:
        out["before"] = int(query["before"])
    if "start" in query:
        out["since"] = datetime.fromisoformat(query["start"]).replace(tzinfo=TZ)
    if "end" in query:
        out["until"] = datetime.fromisoformat(query["end"]).replace(tzinfo=TZ) + timedelta(days=1)
    return out


def pg_database(url: str) -> str:
    """The given database (`test_c1` on a shared server), emptied: the benchmark owns it while it runs."""
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    return url


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument(
        "--pg",
        default=os.environ.get("KEHOACH_TEST_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test_c1"),
        help="a database of its own: it is emptied first",
    )
    ap.add_argument("--runs", type=int, default=30)
    ap.add_argument("--entries", type=int, default=280_000, help="audit entries per province")
    ap.add_argument("--no-pg", action="store_true")
    ap.add_argument("--no-sqlite", action="store_true")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        os.environ.setdefault("KEHOACH_DATA_DIR", tmp)
        backends = [] if args.no_sqlite else [("SQLite", f"sqlite:///{Path(tmp) / 'bench.db'}")]
        if not args.no_pg:
            backends.append(("PostgreSQL", pg_database(args.pg)))
        print("| backend | audit page | first request | p50 | p95 | of which the store p50 | p95 |")
        print("| --- | --- | --- | --- | --- | --- | --- |")
        for label, url in backends:
            print(f"building {label} …", file=sys.stderr)
            db = build(url, args.entries)
            for name, (first, p50, p95, s50, s95) in measure(db, args.runs).items():
                cells = f"{first:.0f} ms | {p50:.0f} ms | {p95:.0f} ms | {s50:.0f} ms | {s95:.0f} ms"
                print(f"| {label} | {name} | {cells} |", flush=True)
            db.close()


if __name__ == "__main__":
    main()
