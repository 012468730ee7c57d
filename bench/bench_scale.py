"""Scale benchmark (not a test), on PostgreSQL: bulk ingestion, page latency, reports, size.

1. Bulk ingestion: a folder of plan documents (the bundled samples, renumbered per copy) is
   ingested as `kehoach ingest --jobs N` does (`kehoach.store.bulk`: N processes extract, one
   stores), with progress on stderr, into a database of its own (created and dropped here).
2. Pages over a register made by `gen_national.py`: the dashboard and "my tasks" (page and
   JSON) for an officer, a provincial office, a leader and the national admin, in process
   through the ASGI client: the first request, then p50/p95/p99 of `--runs` requests, both
   unchanged and right after an update. The slowest SQL statements are listed.
3. The synthesis report (DOCX and XLSX) of one plan, and the database's size.

    .venv/bin/python bench/bench_scale.py --pg postgresql+psycopg://postgres@127.0.0.1/kehoach_scale \\
        [--docs 60] [--runs 30] [--skip-ingest]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections import defaultdict
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import make_url

from kehoach.store import Database
from kehoach.store.bulk import ProgressCallback, ingest_files

SAMPLES = Path(__file__).parent.parent / "kehoach" / "data" / "samples"
PASSWORD = "bench-password"


# --- 1. bulk ingestion ------------------------------------------------------------------------------


def make_folder(folder: Path, count: int) -> list[Path]:
    """`count` documents: the samples, each copy with its own number (so each is a new plan).

    A sample that has a `Số:` line gets it renumbered; one without (a plan is then known by
    its title, so copies would be the same plan) gets one.
    """
    samples = sorted(SAMPLES.glob("*.txt"))
    paths = []
    for i in range(count):
        src = samples[i % len(samples)]
        body, n = re.subn(
            r"Số: *(\d+)", lambda m, i=i: f"Số: {int(m.group(1)) * 1000 + i}", src.read_text("utf-8"), count=1
        )
        if not n:
            body = f"Số: {i + 1}/KH-UBND\n\n{body}"
        p = folder / f"{i:05d}-{src.name}"
        p.write_text(body, "utf-8")
        paths.append(p)
    return paths


def bulk_ingest(url: str, paths: list[Path], jobs: int, progress: ProgressCallback) -> dict:
    """`kehoach ingest --jobs` of the folder: `jobs` processes extract, this one stores."""
    db = Database(url)
    t0 = time.perf_counter()
    try:
        results, errors = ingest_files(db, paths, "bulk", jobs=jobs, progress=progress)
    finally:
        db.close()
    seconds = time.perf_counter() - t0
    tasks = sum(r["tasks"] for r in results)
    return {
        "documents": len(paths),
        "jobs": jobs,
        "seconds": round(seconds, 1),
        "documents_per_s": round(len(paths) / seconds, 2),
        "tasks_per_s": round(tasks / seconds, 1),
        "new_plans": sum(r["created"] for r in results),
        "errors": len(errors),
        "first_error": errors[0][:200] if errors else None,
    }


class Progress:
    """`done/total (rate/s)` on one line of stderr."""

    def __init__(self) -> None:
        self.t0 = time.perf_counter()

    def __call__(self, done: int, total: int, path: Path) -> None:
        rate = done / max(time.perf_counter() - self.t0, 1e-9)
        end = "" if done < total else "\n"
        print(f"\r  văn bản: {done}/{total} ({rate:.1f}/s)   ", end=end, file=sys.stderr, flush=True)


def bench_ingest(pg: str, docs: int, jobs: int) -> dict:
    name = f"kehoach_bulk_{uuid.uuid4().hex[:10]}"
    admin = create_engine(make_url(pg).set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(pg).set(database=name).render_as_string(hide_password=False)
    try:
        Database.open(url).close()
        with tempfile.TemporaryDirectory() as tmp:
            paths = make_folder(Path(tmp), docs)
            return bulk_ingest(url, paths, jobs, Progress())
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


# --- 2. pages -----------------------------------------------------------------------------------------


class SqlTimer:
    """Time every statement, to see which ones a page waits for."""

    def __init__(self, engine: Any) -> None:
        self.total: dict[str, float] = defaultdict(float)
        self.count: dict[str, int] = defaultdict(int)
        event.listen(engine, "before_cursor_execute", self._before)
        event.listen(engine, "after_cursor_execute", self._after)

    def _before(self, conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        conn.info.setdefault("t0", []).append(time.perf_counter())

    def _after(self, conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        key = " ".join(statement.split())[:160]
        self.total[key] += time.perf_counter() - conn.info["t0"].pop()
        self.count[key] += 1

    def top(self, n: int = 8) -> list[dict]:
        worst = sorted(self.total.items(), key=lambda kv: -kv[1])[:n]
        return [{"ms": round(1000 * t, 1), "calls": self.count[k], "sql": k} for k, t in worst]


def rss_mb() -> float:
    """This process's resident memory, MB (Linux)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    k = min(len(values) - 1, max(0, round(p / 100 * (len(values) - 1))))
    return values[k]


def bench_pages(url: str, runs: int) -> dict:
    from fastapi.testclient import TestClient

    from kehoach.web import Settings, create_app
    from kehoach.web.app import tune_collector

    db = Database(url)
    timer = SqlTimer(db.engine)
    rss0 = rss_mb()
    app = create_app(db, Settings(secret_key="bench"))  # nothing to warm up: the summaries are in the database
    if os.environ.get("BENCH_DEFAULT_GC") is None:  # as each `kehoach serve` worker (set it: Python's defaults)
        tune_collector()
    clients: dict[str, TestClient] = {}
    for user in ("officer0_0", "office0", "leader0", "admin"):
        c = TestClient(app)
        r = c.post("/api/login", json={"username": user, "password": PASSWORD})
        r.raise_for_status()
        c.headers["X-CSRF-Token"] = r.json()["csrf_token"]
        clients[user] = c
    mine = clients["officer0_0"].get("/api/tasks/mine").json()["tasks"]
    task_id = next(t["id"] for t in mine if t.get("state") != "done")
    plan_id = mine[0]["plan_id"]
    pages = [
        ("officer0_0", "/api/tasks/mine"),
        ("officer0_0", "/tasks/mine"),
        ("office0", "/api/dashboard"),
        ("office0", "/dashboard"),
        ("leader0", "/api/dashboard"),
        ("admin", "/api/dashboard"),
        ("officer0_0", f"/api/tasks/{task_id}"),
        ("office0", f"/api/plans/{plan_id}"),
        ("office0", f"/api/dashboard?plan={plan_id}"),
        ("officer0_0", "/api/search?q=giai+ngan"),
        ("officer0_0", f"/tasks/{task_id}"),
        ("office0", f"/plans/{plan_id}"),
        ("office0", "/plans"),
        ("admin", "/dashboard"),
        ("admin", "/api/plans"),
        ("office0", "/api/audit"),
        ("admin", "/api/audit"),
        ("admin", "/api/search?q=giai+ngan"),
    ]
    out: dict[str, Any] = {"pages": []}
    percent = [0.0]

    def change() -> None:
        percent[0] = (percent[0] + 1) % 100
        r = clients["officer0_0"].post(f"/api/tasks/{task_id}/update", json={"percent": percent[0]})
        assert r.status_code == 200, r.text

    for user, path in pages:
        c = clients[user]
        t0 = time.perf_counter()
        r = c.get(path)
        first = time.perf_counter() - t0
        assert r.status_code == 200, (path, r.status_code, r.text[:200])
        cold, warm = [], []
        for _ in range(runs):
            change()
            t0 = time.perf_counter()
            c.get(path)
            cold.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            c.get(path)
            warm.append(time.perf_counter() - t0)
        row = {"user": user, "path": path, "first_ms": round(1000 * first)}
        for label, xs in (("changed", cold), ("unchanged", warm)):
            row |= {f"{label}_p{p}": round(1000 * pct(xs, p)) for p in (50, 95, 99)}
        out["pages"].append(row)
        print(f"  {user:<11} {path:<34} {json.dumps(row)}", file=sys.stderr)
    out["slowest_sql"] = timer.top()
    out["plan_id"] = plan_id
    out["rss_growth_mb"] = round(rss_mb() - rss0)
    db.close()
    return out


# --- 2b. a real server: start-up, memory, CPU per request -------------------------------------------


def _proc(pid: int) -> dict[str, float]:
    """A process's resident and peak memory (MB) and CPU time used so far (ms), from /proc."""
    status = {k: v for k, _, v in (x.partition(":") for x in Path(f"/proc/{pid}/status").read_text().splitlines())}
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    ticks = os.sysconf("SC_CLK_TCK")
    return {
        "rss_mb": int(status["VmRSS"].split()[0]) / 1024,
        "peak_mb": int(status["VmHWM"].split()[0]) / 1024,
        "cpu_ms": (int(fields[11]) + int(fields[12])) * 1000 / ticks,
    }


def _worker(pid: int) -> int:
    """The process answering requests: uvicorn runs the application in a child when it has workers."""
    out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True, text=True).stdout.split()
    return int(out[0]) if out else pid


def bench_serve(url: str, port: int, user: str, page: str, fast_ms: float, pairs: int = 200) -> dict:
    """`kehoach serve` from cold: seconds until it answers at all (`up_after_s`) and until `user`'s
    `page` answers under `fast_ms` (and the server's CPU seconds until then); then the server
    process's CPU for a task read plus an update (`pairs` of them, spread over up to 40 of an
    officer's open tasks, so each keeps the history of a real task) and its memory."""
    import httpx

    base = f"http://127.0.0.1:{port}"
    env = {k: v for k, v in os.environ.items() if not k.startswith("KEHOACH_")}
    env["KEHOACH_DATA_DIR"] = tempfile.mkdtemp(prefix="kehoach-serve-")
    cmd = [sys.executable, "-c", "from kehoach.cli import app; app()", "serve", "--port", str(port), "--db", url]
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    out: dict[str, Any] = {}
    try:
        with httpx.Client(base_url=base, timeout=120) as c:
            while True:
                try:
                    r = c.post("/api/login", json={"username": user, "password": PASSWORD})
                    break
                except httpx.TransportError:
                    time.sleep(0.05)
            out["up_after_s"] = round(time.perf_counter() - t0, 2)
            c.headers["X-CSRF-Token"] = r.json()["csrf_token"]
            first = None
            while True:
                t = time.perf_counter()
                assert c.get(page).status_code == 200
                ms = 1000 * (time.perf_counter() - t)
                first = first if first is not None else round(ms)
                if ms < fast_ms:
                    break
            out["first_page_ms"], out["fast_after_s"] = first, round(time.perf_counter() - t0, 2)
            # what a loaded machine cannot inflate: the server's own CPU from its start to that answer
            out["server_cpu_s_until_fast"] = round(_proc(_worker(proc.pid))["cpu_ms"] / 1000, 2)
        with httpx.Client(base_url=base, timeout=120) as officer:
            r = officer.post("/api/login", json={"username": "officer0_0", "password": PASSWORD})
            officer.headers["X-CSRF-Token"] = r.json()["csrf_token"]
            tasks = [t["id"] for t in officer.get("/api/tasks/mine").json()["tasks"] if t["state"] != "done"][:40]
            pid = _worker(proc.pid)
            before, t = _proc(pid), time.perf_counter()
            for n in range(pairs):
                task = tasks[n % len(tasks)]
                version = officer.get(f"/api/tasks/{task}").json()["task"]["version"]
                r = officer.post(f"/api/tasks/{task}/update", json={"percent": n % 100, "version": version})
                assert r.status_code == 200, r.text
            after = _proc(pid)
            out["cpu_ms_read_and_update"] = round((after["cpu_ms"] - before["cpu_ms"]) / pairs, 2)
            out["wall_ms_read_and_update"] = round(1000 * (time.perf_counter() - t) / pairs, 1)
            out |= {"rss_mb": round(after["rss_mb"]), "peak_mb": round(after["peak_mb"])}
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    return out


# --- 3. reports, size ----------------------------------------------------------------------------------


def bench_report(url: str, plan_id: int, runs: int = 3) -> dict:
    from kehoach.report.build import make_report

    db = Database(url)
    out = {}
    with tempfile.TemporaryDirectory() as tmp:
        for fmt in ("docx", "xlsx"):
            times = []
            for _ in range(runs):
                t0 = time.perf_counter()
                make_report(db, plan_id, "2026-Q3", Path(tmp) / f"r.{fmt}", fmt=fmt)
                times.append(time.perf_counter() - t0)
            out[fmt + "_ms"] = round(1000 * statistics.median(times))
    db.close()
    return out


def db_size(url: str) -> dict:
    engine = create_engine(url)
    with engine.connect() as conn:
        total = conn.execute(text("SELECT pg_database_size(current_database())")).scalar()
        rows = conn.execute(
            text(
                "SELECT relname, n_live_tup, pg_total_relation_size(relid) FROM pg_stat_user_tables "
                "ORDER BY 3 DESC LIMIT 8"
            )
        ).all()
        counts = {
            t: conn.execute(text(f"SELECT count(*) FROM {t}")).scalar()
            for t in ("plans", "tasks", "progress_updates", "indicator_values", "audit_log")
        }
    engine.dispose()
    return {
        "total_mb": round(total / 2**20),
        "rows": counts,
        "tables_mb": {r[0]: round(r[2] / 2**20) for r in rows},
    }


def machine() -> str:
    cpu = next(
        (x.split(":", 1)[1].strip() for x in Path("/proc/cpuinfo").read_text().splitlines() if "model name" in x),
        platform.processor(),
    )
    mem = int(next(x for x in Path("/proc/meminfo").read_text().splitlines() if x.startswith("MemTotal")).split()[1])
    load = os.getloadavg()[0]
    return f"{os.cpu_count()} cores ({cpu}), {mem / 2**20:.0f} GiB, Python {platform.python_version()}, load {load:.1f}"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument(
        "--pg",
        "--db",
        dest="pg",
        required=True,
        help="the register made by gen_national.py (--serve-only: any URL, a SQLite copy of it too)",
    )
    ap.add_argument("--docs", type=int, default=60, help="documents for the bulk-ingestion run")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--runs", type=int, default=30)
    ap.add_argument("--skip-ingest", action="store_true")
    ap.add_argument("--port", type=int, default=8104, help="where `kehoach serve` listens while measured")
    ap.add_argument("--serve-only", action="store_true", help="only the served figures (start-up, memory, CPU)")
    args = ap.parse_args(argv)
    result: dict[str, Any] = {"machine": machine()}
    if not args.skip_ingest:
        result["ingest"] = bench_ingest(args.pg, args.docs, args.jobs)
        print(f"  ingest: {json.dumps(result['ingest'])}", file=sys.stderr)
    for user, page, fast in (("office0", "/api/dashboard", 500), ("admin", "/api/dashboard", 200)):
        result[f"serve_{user}"] = bench_serve(args.pg, args.port, user, page, fast)
        print(f"  serve ({user}): {json.dumps(result[f'serve_{user}'])}", file=sys.stderr)
    if args.serve_only:
        print(json.dumps(result, ensure_ascii=False, indent=1))
        return 0
    pages = bench_pages(args.pg, args.runs)
    result["pages"], result["slowest_sql"] = pages["pages"], pages["slowest_sql"]
    result["in_process_rss_growth_mb"] = pages["rss_growth_mb"]
    result["report"] = bench_report(args.pg, pages["plan_id"])
    result["size"] = db_size(args.pg)
    print(json.dumps(result, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
