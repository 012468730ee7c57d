"""Load test (not a test in the suite): many department officers updating and reading at once.

Starts `kehoach serve` on 127.0.0.1 (only) over a register of its own, logs in one client
per officer, and has each read "my tasks", open a task and post a progress update with the
version it read, in a loop bounded by `--requests` per officer and `--seconds` in all. A
stale version (409: someone else updated first) is read again and retried, as a browser
would. Afterwards every accepted update is looked up in the database and in the audit
log: none may be missing. Latency per kind of request is printed as JSON.

    .venv/bin/python bench/load_test.py [--officers 40] [--requests 25] [--seconds 120] [--pg URL]
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url

sys.path.insert(0, str(Path(__file__).parent))
from gen_national import make_plan, provinces  # noqa: E402

from kehoach.store import AuditEntry, Database, ProgressUpdate  # noqa: E402

PASSWORD = "load-password"
HOST = "127.0.0.1"  # loopback only, whatever the arguments
DEPARTMENTS = [
    "Sở Tài chính",
    "Sở Công Thương",
    "Sở Xây dựng",
    "Sở Y tế",
    "Sở Nội vụ",
    "Sở Tư pháp",
    "Sở Giáo dục và Đào tạo",
    "Sở Khoa học và Công nghệ",
    "Sở Nông nghiệp và Môi trường",
    "Sở Văn hóa, Thể thao và Du lịch",
]


@dataclass
class Outcome:
    latency: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    accepted: list[dict] = field(default_factory=list)  # {"id", "task_id", "percent", "actor"}
    conflicts: int = 0
    gave_up: int = 0  # five stale versions in a row: the officer would be told to reload
    errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


def prepare(url: str, officers: int, plans: int = 6) -> list[str]:
    """A province's plans and `officers` officer accounts spread over its departments."""
    import random

    from kehoach.web import accounts

    accounts._N = 2**10  # the test measures updates, not password hashing
    db = Database.open(url)
    province = provinces()[30]
    rnd = random.Random(7)
    for n in range(1, plans + 1):
        plan = make_plan(province, n, 40, 2026, rnd)
        for i, t in enumerate(plan["tasks"]):  # every department leads some tasks
            t["lead"] = [DEPARTMENTS[i % len(DEPARTMENTS)]]
        db.ingest(plan, actor="load")
    names = []
    for k in range(officers):
        name = f"officer{k}"
        accounts.create_user(db, name, PASSWORD, role="officer", province=province, agency=DEPARTMENTS[k % 10])
        names.append(name)
    db.close()
    return names


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def start_server(url: str, port: int, data_dir: str) -> subprocess.Popen:
    env = os.environ | {"KEHOACH_DATA_DIR": data_dir, "KEHOACH_SECRET_KEY": uuid.uuid4().hex}
    cmd = [sys.executable, "-c", "from kehoach.cli import app; app()", "serve", "--host", HOST, "--port", str(port)]
    log = Path(data_dir) / "server.log"
    with log.open("wb") as f:  # a file, not a pipe: a pipe nobody reads would block the server
        proc = subprocess.Popen([*cmd, "--db", url], env=env, stdout=f, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the server ended: {log.read_text(errors='replace')[-2000:]}")
        try:
            httpx.get(f"http://{HOST}:{port}/login", timeout=1)
            return proc
        except httpx.TransportError:
            time.sleep(0.2)
    proc.kill()
    proc.wait()
    raise RuntimeError("the server did not start in 60 s")


def officer(base: str, name: str, requests: int, stop_at: float, out: Outcome) -> None:
    def timed(kind: str, fn: Any, *args: Any, **kwargs: Any) -> httpx.Response:
        t0 = time.perf_counter()
        r = fn(*args, **kwargs)
        with out.lock:
            out.latency[kind].append(time.perf_counter() - t0)
        return r

    with httpx.Client(base_url=base, timeout=60) as c:
        r = timed("login", c.post, "/api/login", json={"username": name, "password": PASSWORD})
        if r.status_code != 200:
            out.errors.append(f"{name} login: {r.status_code} {r.text[:100]}")
            return
        c.headers["X-CSRF-Token"] = r.json()["csrf_token"]
        tasks: list[dict] = []
        for n in range(requests):
            if time.monotonic() > stop_at:
                return
            if not tasks or n % 5 == 0:
                r = timed("my_tasks", c.get, "/api/tasks/mine")
                if r.status_code != 200:
                    out.errors.append(f"{name} my tasks: {r.status_code}")
                    continue
                tasks = [t for t in r.json()["tasks"] if t.get("state") != "done"]
                if not tasks:
                    return
            task_id = tasks[(n * 7 + len(name)) % len(tasks)]["id"]
            token = f"{name}-{n}"
            for attempt in range(5):  # a stale version is read again, as a browser would
                r = timed("task", c.get, f"/api/tasks/{task_id}")
                if r.status_code != 200:
                    out.errors.append(f"{name} task {task_id}: {r.status_code}")
                    break
                version = r.json()["task"]["version"]
                percent = (n * 3) % 99
                body = {"percent": percent, "narrative": token, "version": version}
                r = timed("update", c.post, f"/api/tasks/{task_id}/update", json=body)
                if r.status_code == 409:
                    with out.lock:
                        out.conflicts += 1
                        out.gave_up += attempt == 4
                    continue
                if r.status_code != 200:
                    out.errors.append(f"{name} update {task_id}: {r.status_code} {r.text[:100]}")
                    break
                mine = [u for u in r.json()["updates"] if u.get("narrative") == token]
                if len(mine) != 1:
                    out.errors.append(f"{name} update {task_id}: the answer does not show the update")
                    break
                with out.lock:
                    out.accepted.append({"id": mine[0]["id"], "task_id": task_id, "percent": percent, "actor": name})
                break


def verify(url: str, out: Outcome) -> dict:
    """Every accepted update is in the register, as accepted, with its audit entry."""
    db = Database(url)
    with db.engine.connect() as conn:
        rows = {r.id: r for r in conn.execute(select(ProgressUpdate))}
        audited = {
            (e.after or {}).get("update_id")
            for e in conn.execute(select(AuditEntry).where(AuditEntry.action == "update"))
        }
    db.close()
    lost = [a for a in out.accepted if a["id"] not in rows]
    wrong = [
        a
        for a in out.accepted
        if a["id"] in rows and (rows[a["id"]].task_id, rows[a["id"]].percent) != (a["task_id"], a["percent"])
    ]
    unaudited = [a for a in out.accepted if a["id"] not in audited]
    return {
        "accepted": len(out.accepted),
        "stored": len(rows),
        "lost": len(lost),
        "wrong": len(wrong),
        "unaudited": len(unaudited),
        "audit_entries": len(audited),
    }


def summary(out: Outcome, seconds: float) -> dict:
    lat = {}
    for kind, xs in out.latency.items():
        xs = sorted(xs)

        def p(q: float, xs: list[float] = xs) -> float:
            return round(1000 * xs[min(len(xs) - 1, round(q / 100 * (len(xs) - 1)))])

        lat[kind] = {"n": len(xs), "p50": p(50), "p95": p(95), "p99": p(99), "mean": round(1000 * statistics.mean(xs))}
    total = sum(len(xs) for xs in out.latency.values())
    return {
        "seconds": round(seconds, 1),
        "requests": total,
        "requests_per_s": round(total / seconds, 1),
        "conflicts_retried": out.conflicts,
        "gave_up_after_5_conflicts": out.gave_up,
        "errors": len(out.errors),
        "first_errors": out.errors[:5],
        "latency_ms": lat,
    }


def run(url: str, officers: int, requests: int, seconds: float, data_dir: str, plans: int = 6) -> dict:
    """Prepare, serve, hammer, stop, verify. Returns the figures; `lost` must be 0."""
    officers, requests, seconds = min(officers, 500), min(requests, 1000), min(seconds, 900)
    names = prepare(url, officers, plans)
    port = free_port()
    server = start_server(url, port, data_dir)
    out = Outcome()
    try:
        t0 = time.perf_counter()
        stop_at = time.monotonic() + seconds
        threads = [
            threading.Thread(target=officer, args=(f"http://{HOST}:{port}", n, requests, stop_at, out), daemon=True)
            for n in names
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=max(0.0, stop_at - time.monotonic()) + 30)
        elapsed = time.perf_counter() - t0
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
    return {"officers": officers, **summary(out, elapsed), "check": verify(url, out)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--officers", type=int, default=40, help="concurrent officers (at most 500)")
    ap.add_argument("--requests", type=int, default=25, help="updates per officer (at most 1000)")
    ap.add_argument("--seconds", type=float, default=120, help="stop after this long (at most 900)")
    ap.add_argument("--pg", help="PostgreSQL server URL: a database of our own is created there and dropped")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="kehoach-load-") as tmp:
        if not args.pg:
            result = run(f"sqlite:///{tmp}/load.db", args.officers, args.requests, args.seconds, tmp)
        else:
            name = f"kehoach_load_{uuid.uuid4().hex[:10]}"
            admin = create_engine(make_url(args.pg).set(database="postgres"), isolation_level="AUTOCOMMIT")
            with admin.connect() as conn:
                conn.execute(text(f'CREATE DATABASE "{name}"'))
            try:
                url = make_url(args.pg).set(database=name).render_as_string(hide_password=False)
                result = run(url, args.officers, args.requests, args.seconds, tmp)
            finally:
                with admin.connect() as conn:
                    conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
                admin.dispose()
    print(json.dumps(result, ensure_ascii=False, indent=1))
    ok = result["check"]["lost"] == result["check"]["wrong"] == result["check"]["unaudited"] == 0
    return 0 if ok and not result["errors"] else 1


if __name__ == "__main__":
    sys.exit(main())
