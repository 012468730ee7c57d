"""Benchmark (not a test): dashboard and "my tasks" response times on a province-sized register.

20 plans, 3,000 tasks, a year of monthly progress updates (36,000), on SQLite and PostgreSQL.
Each page is timed twice: right after a change to the register (nothing cached: every
write is audited and the contexts are keyed by the audit log) and unchanged (cached). The
"first request" is the first after the application is made: nothing is warmed up before it.

    .venv/bin/python bench/bench_web.py [--pg URL] [--runs 30]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import create_engine, insert, text, update
from sqlalchemy.engine import make_url

from kehoach.store import Database, ProgressUpdate, Task
from kehoach.web import Settings, accounts, create_app

AS_OF = date(2026, 7, 15)
DEPARTMENTS = [
    "Sở Tài chính",
    "Sở Công Thương",
    "Sở Xây dựng",
    "Sở Nội vụ",
    "Sở Tư pháp",
    "Sở Y tế",
    "Sở Giáo dục và Đào tạo",
    "Sở Khoa học và Công nghệ",
    "Sở Nông nghiệp và Môi trường",
    "Sở Văn hóa, Thể thao và Du lịch",
    "Sở Dân tộc và Tôn giáo",
    "Công an tỉnh",
    "Bộ Chỉ huy Quân sự tỉnh",
    "Thanh tra tỉnh",
    "Văn phòng Ủy ban nhân dân tỉnh",
    "Ban Quản lý các khu công nghiệp",
    "Thuế tỉnh",
    "Ngân hàng Nhà nước chi nhánh",
    "Ủy ban nhân dân cấp xã",
    "Các sở, ban, ngành",
]
VERBS = ["Triển khai", "Rà soát", "Hoàn thiện", "Đẩy nhanh", "Tăng cường", "Nâng cao hiệu quả"]
OBJECTS = [
    "giải ngân vốn đầu tư công",
    "chuyển đổi số",
    "cải cách thủ tục hành chính",
    "thu hút đầu tư",
    "phát triển hạ tầng giao thông",
    "xây dựng nông thôn mới",
    "bảo đảm an sinh xã hội",
    "quản lý đất đai",
    "phát triển du lịch",
]


def plan(n: int, rnd: random.Random) -> dict:
    tasks = []
    for i in range(150):
        lead = rnd.sample(DEPARTMENTS, 1)
        quarter = rnd.randint(1, 4)
        due = {1: "2026-03-31", 2: "2026-06-30", 3: "2026-09-30", 4: "2026-12-31"}[quarter]
        tasks.append(
            {
                "section": f"Nhóm nhiệm vụ {i // 15 + 1}",
                "text": f"{rnd.choice(VERBS)} {rnd.choice(OBJECTS)} (kế hoạch {n}, nhiệm vụ {i + 1}).",
                "lead": lead,
                "coordinate": rnd.sample([d for d in DEPARTMENTS if d not in lead], 2),
                "monitor": [],
                "deadline": {
                    "text": f"Quý {'I' * quarter if quarter < 4 else 'IV'}/2026",
                    "due": due,
                    "recurring": False,
                    "condition": None,
                },
            }
        )
    indicators = [
        {
            "group": "Chỉ tiêu",
            "text": f"Chỉ tiêu {k} đạt {10 * k}%",
            "agency": rnd.sample(DEPARTMENTS[:10], 1),
            "year": "2026",
            "targets": [
                {
                    "name": f"Chỉ tiêu {k} của kế hoạch {n}",
                    "comparator": ">=",
                    "value": 10.0 * k,
                    "min": None,
                    "max": None,
                    "unit": "%",
                }
            ],
        }
        for k in range(1, 11)
    ]
    return {
        "format": "plan/v1",
        "source": f"kh-{n}.txt",
        "document": {
            "doc_type": "KẾ HOẠCH",
            "number": f"{n}/KH-UBND",
            "issuer": "Ủy ban nhân dân tỉnh Vĩnh Long",
            "province": "Vĩnh Long",
            "issued_date": "2026-01-10",
            "title": f"Kế hoạch số {n} năm 2026",
        },
        "tasks": tasks,
        "indicators": indicators,
        "scenarios": [],
        "reporting": [
            {
                "reporters": DEPARTMENTS[:10],
                "recipient": "Sở Tài chính",
                "frequency": "monthly",
                "deadlines": [],
                "text": f"Báo cáo tháng {n}",
            }
        ],
    }


def build(url: str) -> Database:
    db = Database.open(url)
    rnd = random.Random(2026)
    t0 = time.perf_counter()
    for n in range(1, 21):
        db.ingest(plan(n, rnd), actor="bench")
    # a year of monthly updates, in bulk (the update path is measured by the tests)
    with db.engine.begin() as conn:
        ids = [r[0] for r in conn.execute(text("SELECT id FROM tasks"))]
        rows = []
        for tid in ids:
            for m in range(12):
                on = date(2025, 8, 1) + timedelta(days=30 * m)
                state = "done" if m == 11 and rnd.random() < 0.4 else "in_progress"
                rows.append(
                    {
                        "task_id": tid,
                        "on": min(on, AS_OF - timedelta(days=1)),
                        "period": None,
                        "state": state,
                        "percent": min(100, 8 * m + 4),
                        "narrative": "Đã triển khai.",
                        "difficulties": None,
                        "proposals": None,
                        "product_number": "1/BC-STC" if state == "done" else None,
                        "product_file": None,
                        "actor": "bench",
                        "recorded_at": datetime.now(UTC),
                    }
                )
        for chunk in range(0, len(rows), 5000):
            conn.execute(insert(ProgressUpdate), rows[chunk : chunk + 5000])
        latest = max(r["on"] for r in rows)
        conn.execute(update(Task).values(state="in_progress", percent=50.0, progress_on=latest))
    # loaded behind the store's back: what the pages read is computed again from the rows
    db.rebuild_summaries()
    accounts._N = 2**10  # the benchmark measures pages, not logins
    accounts.create_user(db, "office", "bench-password", role="office", province="Vĩnh Long")
    accounts.create_user(db, "officer", "bench-password", role="officer", province="Vĩnh Long", agency="Sở Tài chính")
    print(f"  built in {time.perf_counter() - t0:.0f} s: {len(ids)} tasks, {len(rows)} updates", file=sys.stderr)
    return db


def measure(db: Database, runs: int) -> dict[str, tuple[float, ...]]:
    from fastapi.testclient import TestClient

    app = create_app(db, Settings(secret_key="bench"))
    clients = {}
    for name in ("office", "officer"):
        c = TestClient(app)
        r = c.post("/api/login", json={"username": name, "password": "bench-password"})
        c.headers["X-CSRF-Token"] = r.json()["csrf_token"]
        clients[name] = c
    task = db.tasks(agency="Sở Tài chính", as_of=AS_OF)[0]["id"]
    pages = [
        ("office", "/dashboard"),
        ("office", "/api/dashboard"),
        ("officer", "/tasks/mine"),
        ("officer", "/api/tasks/mine"),
    ]
    out = {}
    for who, path in pages:
        c = clients[who]
        url = f"{path}?as_of={AS_OF.isoformat()}"
        cold, warm = [], []
        t = time.perf_counter()
        c.get(url)  # the first request reads the whole register once
        first = (time.perf_counter() - t) * 1000
        for i in range(runs):
            # a change first (an officer's update), so nothing is cached
            clients["officer"].post(
                f"/api/tasks/{task}/update", json={"state": "in_progress", "percent": i % 100, "on": "2026-07-01"}
            )
            t = time.perf_counter()
            assert c.get(url).status_code == 200
            cold.append((time.perf_counter() - t) * 1000)
            t = time.perf_counter()
            assert c.get(url).status_code == 200
            warm.append((time.perf_counter() - t) * 1000)
        out[path] = (first, *pct(cold), *pct(warm))
    return out


def pct(xs: list[float]) -> tuple[float, float]:
    q = statistics.quantiles(xs, n=20)
    return statistics.median(xs), q[18]


def pg_database(base: str) -> str:
    name = "kehoach_bench_web"
    admin = create_engine(make_url(base).set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return make_url(base).set(database=name).render_as_string(hide_password=False)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument(
        "--pg",
        default=os.environ.get("KEHOACH_TEST_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"),
    )
    ap.add_argument("--runs", type=int, default=30)
    ap.add_argument("--no-pg", action="store_true")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        os.environ.setdefault("KEHOACH_DATA_DIR", tmp)
        backends = [("SQLite", f"sqlite:///{Path(tmp) / 'bench.db'}")]
        if not args.no_pg:
            backends.append(("PostgreSQL", pg_database(args.pg)))
        print("| backend | page | first request | after a change p50 | p95 | unchanged p50 | p95 |")
        print("| --- | --- | --- | --- | --- | --- | --- |")
        for label, url in backends:
            print(f"building {label} …", file=sys.stderr)
            db = build(url)
            for path, (first, c50, c95, w50, w95) in measure(db, args.runs).items():
                print(
                    f"| {label} | `{path}` | {first:.0f} ms | {c50:.0f} ms | {c95:.0f} ms "
                    f"| {w50:.0f} ms | {w95:.0f} ms |",
                    flush=True,
                )
            db.close()


if __name__ == "__main__":
    main()
