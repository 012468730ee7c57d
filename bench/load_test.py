"""Load test (not a test in the suite): many department officers updating and reading at once.

Starts `kehoach serve` on 127.0.0.1 (only) over a register of its own, logs in one client
per officer, and has each read "my tasks", open a task and post a progress update with the
version it read, in a loop bounded by `--requests` per officer and `--seconds` in all. A
stale version (409: someone else updated first) is read again and retried, as a browser
would. Afterwards every accepted update is looked up in the database and in the audit
log: none may be missing. It runs once per number of server processes (`--workers 1,2`: the
same officers against one process, then two), and prints requests/s, latency per kind of
request, the CPU time of the server, the client and the rest of the machine, and the second run's
throughput against the first as JSON.

    .venv/bin/python bench/load_test.py [--officers 200] [--requests 1000] [--seconds 120] [--workers 1,2] [--pg URL]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import resource
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp
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


def start_server(url: str, port: int, data_dir: str, workers: int = 1) -> subprocess.Popen:
    env = os.environ | {"KEHOACH_DATA_DIR": data_dir}
    env.pop("KEHOACH_SECRET_KEY", None)  # the key every worker shares is made once and kept in the database
    cmd = [sys.executable, "-c", "from kehoach.cli import app; app()", "serve", "--host", HOST, "--port", str(port)]
    log = Path(data_dir) / f"server-{port}.log"
    with log.open("wb") as f:  # a file, not a pipe: a pipe nobody reads would block the server
        proc = subprocess.Popen(
            [*cmd, "--workers", str(workers), "--db", url], env=env, stdout=f, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the server ended: {log.read_text(errors='replace')[-2000:]}")
        try:
            urllib.request.urlopen(f"http://{HOST}:{port}/login", timeout=1).close()
            if len(_children(proc.pid)) >= (workers if workers > 1 else 0):
                return proc
        except OSError:
            pass
        time.sleep(0.2)
    stop_server(proc)
    raise RuntimeError("the server did not start in 120 s")


def stop_server(proc: subprocess.Popen) -> None:
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


def _children(pid: int) -> list[int]:
    out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True, text=True).stdout
    return [int(x) for x in out.split()]


def cpu_seconds(pids: list[int]) -> float:
    """CPU time (user + system) these processes have used, from /proc."""
    return sum(_cpu(pid) for pid in pids)


def _cpu(pid: int) -> float:
    with contextlib.suppress(OSError):
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return 0.0


def machine_cpu() -> float:
    """CPU time the whole machine has been busy, every core (from /proc/stat): what the server
    and the client leave of it went to the database and the kernel."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + fields[4]  # idle, iowait
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def own_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


class Client:
    """One officer's browser: its own cookies, one kept-alive connection. aiohttp (its HTTP
    parser in C): the client shares the two cores with the server and the database, and every
    millisecond of CPU it spends per request is one the server processes do not get."""

    def __init__(self, base: str, out: Outcome) -> None:
        self.out = out
        self.session = aiohttp.ClientSession(
            base_url=base,
            cookie_jar=aiohttp.CookieJar(unsafe=True),  # cookies of 127.0.0.1 (an address, not a name)
            connector=aiohttp.TCPConnector(limit=1),
            timeout=aiohttp.ClientTimeout(total=120),
        )

    async def __call__(self, kind: str, method: str, url: str, **kwargs: Any) -> tuple[int, Any]:
        """The status and the JSON answer (or its text), timed under `kind`."""
        t0 = time.perf_counter()
        async with self.session.request(method, url, **kwargs) as r:
            body = await r.read()
        self.out.latency[kind].append(time.perf_counter() - t0)
        try:
            return r.status, json.loads(body)
        except ValueError:
            return r.status, body.decode(errors="replace")


async def officer(base: str, name: str, requests: int, stop_at: float, out: Outcome) -> None:
    """One officer in a loop: my tasks now and then, a task read, an update on the version read
    (an asyncio task: 200 officers cost the client little of the machine the server shares)."""
    timed = Client(base, out)
    async with timed.session:
        status, body = await timed("login", "POST", "/api/login", json={"username": name, "password": PASSWORD})
        if status != 200:
            out.errors.append(f"{name} login: {status} {str(body)[:100]}")
            return
        timed.session.headers["X-CSRF-Token"] = body["csrf_token"]
        tasks: list[dict] = []
        for n in range(requests):
            if time.monotonic() > stop_at:
                return
            try:
                if not tasks or n % 5 == 0:
                    status, body = await timed("my_tasks", "GET", "/api/tasks/mine")
                    if status != 200:
                        out.errors.append(f"{name} my tasks: {status}")
                        continue
                    tasks = [t for t in body["tasks"] if t.get("state") != "done"]
                    if not tasks:
                        return
                task_id = tasks[(n * 7 + len(name)) % len(tasks)]["id"]
                await update(timed, name, n, task_id, out)
            except (aiohttp.ClientError, TimeoutError) as e:  # counted, not fatal: the others go on
                out.errors.append(f"{name}: {type(e).__name__} {e}"[:200])


async def update(timed: Any, name: str, n: int, task_id: int, out: Outcome) -> None:
    token = f"{name}-{n}"
    for attempt in range(5):  # a stale version is read again, as a browser would
        status, body = await timed("task", "GET", f"/api/tasks/{task_id}")
        if status != 200:
            out.errors.append(f"{name} task {task_id}: {status}")
            return
        version = body["task"]["version"]
        percent = (n * 3) % 99
        body = {"percent": percent, "narrative": token, "version": version}
        status, answer = await timed("update", "POST", f"/api/tasks/{task_id}/update", json=body)
        if status == 409:
            out.conflicts += 1
            out.gave_up += attempt == 4
            continue
        if status != 200:
            out.errors.append(f"{name} update {task_id}: {status} {str(answer)[:100]}")
            return
        written = answer["update"]
        if written.get("narrative") != token:
            out.errors.append(f"{name} update {task_id}: the answer does not show the update")
            return
        out.accepted.append({"id": written["id"], "task_id": task_id, "percent": percent, "actor": name})
        return


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


def hammer(url: str, names: list[str], requests: int, seconds: float, data_dir: str, workers: int) -> dict:
    """Serve with `workers` processes, run every officer at once for at most `seconds`, stop."""
    port = free_port()
    server = start_server(url, port, data_dir, workers)
    pids = [server.pid, *_children(server.pid)]
    out = Outcome()
    try:
        cpu0, client0, machine0, t0 = cpu_seconds(pids), own_cpu(), machine_cpu(), time.perf_counter()
        stop_at = time.monotonic() + seconds

        async def everyone() -> None:
            base = f"http://{HOST}:{port}"
            await asyncio.gather(*(officer(base, n, requests, stop_at, out) for n in names))

        asyncio.run(everyone())
        elapsed, cpu, client = time.perf_counter() - t0, cpu_seconds(pids) - cpu0, own_cpu() - client0
        machine = machine_cpu() - machine0
    finally:
        stop_server(server)
    cpu_s = {
        "server": round(cpu, 1),
        "client": round(client, 1),
        "database_and_kernel": round(machine - cpu - client, 1),
        "machine_of": f"{machine:.1f} of {os.cpu_count()} × {elapsed:.1f}",
    }
    return {"workers": workers, **summary(out, elapsed), "cpu_s": cpu_s, "check": verify(url, out)}


def run(
    url: str, officers: int, requests: int, seconds: float, data_dir: str, plans: int = 6, workers: tuple = (1,)
) -> dict:
    """Prepare, then for each number of worker processes: serve, hammer, stop, verify. Returns the
    figures (`lost` must be 0); with several, the throughput of the last against the first."""
    officers, requests, seconds = min(officers, 500), min(requests, 1000), min(seconds, 900)
    load_before = os.getloadavg()[0]
    names = prepare(url, officers, plans)
    runs = [hammer(url, names, requests, seconds, data_dir, w) for w in workers]
    out = {"officers": officers, "load_before": load_before, "runs": runs}
    if len(runs) > 1:
        out["speedup"] = round(runs[-1]["requests_per_s"] / max(runs[0]["requests_per_s"], 1e-9), 2)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--officers", type=int, default=40, help="concurrent officers (at most 500)")
    ap.add_argument("--requests", type=int, default=25, help="updates per officer (at most 1000)")
    ap.add_argument("--seconds", type=float, default=120, help="stop after this long (at most 900)")
    ap.add_argument(
        "--pg",
        help="PostgreSQL URL: a database of our own (named after its, + _load_…) is created on that server and dropped",
    )
    ap.add_argument("--workers", default="1,2", help="server processes, one run each, in order (`1,2`)")
    args = ap.parse_args(argv)
    workers = tuple(int(w) for w in args.workers.split(","))
    with tempfile.TemporaryDirectory(prefix="kehoach-load-") as tmp:
        if not args.pg:
            result = run(f"sqlite:///{tmp}/load.db", args.officers, args.requests, args.seconds, tmp, workers=workers)
        else:
            name = f"{make_url(args.pg).database or 'kehoach'}_load_{uuid.uuid4().hex[:10]}"  # named after the URL's
            admin = create_engine(make_url(args.pg).set(database="postgres"), isolation_level="AUTOCOMMIT")
            with admin.connect() as conn:
                conn.execute(text(f'CREATE DATABASE "{name}"'))
            try:
                url = make_url(args.pg).set(database=name).render_as_string(hide_password=False)
                result = run(url, args.officers, args.requests, args.seconds, tmp, workers=workers)
            finally:
                with admin.connect() as conn:
                    conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
                admin.dispose()
    print(json.dumps(result, ensure_ascii=False, indent=1))
    ok = all(
        r["check"]["lost"] + r["check"]["wrong"] + r["check"]["unaudited"] + r["errors"] == 0 for r in result["runs"]
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
