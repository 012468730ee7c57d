"""Uploads read off the request path (issue 13 point 5, issue 15 point 2): what the person who
uploads waits for, and what everyone else waits for meanwhile (not a test; the suite's
tests/test_web_jobs.py asserts the behaviour, this measures it).

Serves the application (uvicorn, in this process) over a small register of its own, then for
each file: times the upload's answer, samples "Nhiệm vụ của tôi" as another user every 0.25 s
while the job runs (and once idle, as the baseline), and reports the job's total time and the
worker process's peak resident memory (`RUSAGE_CHILDREN`, the largest child waited for so far).
Prints a Markdown table.

    .venv/bin/python bench/bench_upload.py [--pg postgresql+psycopg://.../db] [--port 8107]
"""

from __future__ import annotations

import argparse
import copy
import resource
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).parent.parent / "tests"))
import docgen  # noqa: E402
import hostile_files  # noqa: E402
from test_web_kit import AN_GIANG_PLAN, PASSWORD, TRA_VINH_PLAN, USERS  # noqa: E402

from kehoach.settings import Settings  # noqa: E402
from kehoach.store import Database  # noqa: E402
from kehoach.web import accounts, create_app  # noqa: E402

SAMPLE = Path(__file__).parent.parent / "kehoach" / "data" / "samples" / "002_23dbc6410858588b.txt"


def files(tmp: Path) -> list[tuple[str, Path]]:
    blocks = docgen.seed_blocks(docgen.seed_text("002_23dbc6410858588b.txt"))
    pdf = docgen.make_pdf(blocks, tmp / "kh.pdf")
    return [
        ("sample plan, TXT (83 tasks)", SAMPLE),
        ("the same plan, text PDF", pdf),
        ("dense PDF (issue 15: 2.4 KB, blocked everyone 13.9 s)", hostile_files.dense_pdf(tmp / "dense.pdf")),
        ("scan, 6 pages (OCR)", docgen.make_scan(pdf, tmp / "scan.pdf", pages=6)),
    ]


def login(base: str, username: str) -> httpx.Client:
    c = httpx.Client(base_url=base, timeout=120)
    r = c.post("/api/login", json={"username": username, "password": PASSWORD})
    r.raise_for_status()
    c.headers["X-CSRF-Token"] = r.json()["csrf_token"]
    return c


def my_tasks_ms(c: httpx.Client) -> float:
    t0 = time.perf_counter()
    c.get("/api/tasks/mine").raise_for_status()
    return (time.perf_counter() - t0) * 1000


def measure(office: httpx.Client, officer: httpx.Client, name: str, path: Path) -> dict[str, Any]:
    t0 = time.perf_counter()
    r = office.post("/api/drafts", files={"file": (path.name, path.read_bytes(), "application/octet-stream")})
    answered = time.perf_counter() - t0
    r.raise_for_status()
    draft, samples, stages = r.json()["id"], [], set()
    while True:
        status = office.get(f"/api/drafts/{draft}/progress").json()
        stages.add(status["stage_vi"] + (f" {status['done']}/{status['total']}" if status.get("total") else ""))
        if status["state"] in ("done", "failed"):
            break
        samples.append(my_tasks_ms(officer))
        time.sleep(0.25)
    return {
        "file": f"{name} ({path.stat().st_size // 1024} KB)",
        "answer": f"{answered * 1000:.0f} ms",
        "job": f"{time.perf_counter() - t0:.1f} s, {status['state']} {status['error'] or ''}".strip(),
        "mine": f"{statistics.median(samples):.0f} / {max(samples):.0f} ms ({len(samples)})" if samples else "—",
        "peak": f"{resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024} MB",
        "stages": len(stages),
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--pg", help="a PostgreSQL URL (an empty database) instead of a SQLite file")
    ap.add_argument("--port", type=int, default=8107)
    args = ap.parse_args()
    import uvicorn

    accounts._N = 2**10
    with tempfile.TemporaryDirectory(prefix="kehoach-bench-upload-") as tmp_name:
        tmp = Path(tmp_name)
        db = Database.open(args.pg or f"sqlite:///{tmp / 'bench.db'}")
        db.ingest(copy.deepcopy(TRA_VINH_PLAN))
        db.ingest(copy.deepcopy(AN_GIANG_PLAN))
        for username, role, province, agency in USERS:
            accounts.create_user(db, username, PASSWORD, role=role, province=province, agency=agency)
        app = create_app(db, Settings(secret_key="bench", data_dir=tmp, extract_timeout=120))
        server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=args.port, log_level="warning"))
        threading.Thread(target=server.run, daemon=True).start()
        while not server.started:
            time.sleep(0.05)
        base = f"http://127.0.0.1:{args.port}"
        office, officer = login(base, "office_vl"), login(base, "tc_vl")
        idle = [my_tasks_ms(officer) for _ in range(20)]
        print(f"my tasks, idle: median {statistics.median(idle):.0f} ms, max {max(idle):.0f} ms\n")
        print("| file | upload answered | job | my tasks meanwhile (median / max, samples) | worker peak RSS |")
        print("| --- | --- | --- | --- | --- |")
        for name, path in files(tmp):
            row = measure(office, officer, name, path)
            print(f"| {row['file']} | {row['answer']} | {row['job']} | {row['mine']} | {row['peak']} |", flush=True)
        server.should_exit = True
        db.close()


if __name__ == "__main__":
    main()
