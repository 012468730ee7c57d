"""The server's peak memory under each web attack (not a test in the suite; the suite's
tests/test_hostile_web.py asserts the refusals and a ceiling, this measures).

Starts `kehoach serve` under an address-space ceiling over a small register of its own (SQLite,
and PostgreSQL with --pg), and for each attack resets the server's resident high-water mark
(`/proc/<pid>/clear_refs`), runs it, and reads the new mark (`VmHWM`): the peak that attack
caused. Prints a Markdown table.

    .venv/bin/python bench/bench_hostile_web.py [--pg postgresql+psycopg://.../db] [--port 8108]
"""

from __future__ import annotations

import argparse
import copy
import secrets
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent.parent / "tests"))
from hostile_files import dense_pdf, flate_bomb_pdf, lying_docx  # noqa: E402
from hostile_web import ChildPeaks, MiB, Server, Session, free_port, post_body  # noqa: E402
from test_hostile_web import upload_and_wait  # noqa: E402
from test_web_kit import AN_GIANG_PLAN, PASSWORD, TRA_VINH_PLAN, USERS  # noqa: E402

from kehoach.store import Database  # noqa: E402
from kehoach.web import accounts  # noqa: E402

CEILING_MB = 1536
MULTIPART = "multipart/form-data; boundary=xyz"
FILE_HEAD = b'--xyz\r\nContent-Disposition: form-data; name="file"; filename="lon.pdf"\r\n\r\n%PDF-1.4\n'


def prepare(url: str) -> dict[str, int]:
    """A two-province register with the test kit's accounts (cheap hashes: the server reads their cost)."""
    accounts._N = 2**10
    db = Database.open(url)
    try:
        plan = db.ingest(copy.deepcopy(TRA_VINH_PLAN)).plan_id
        db.ingest(copy.deepcopy(AN_GIANG_PLAN))
        for username, role, province, agency in USERS:
            accounts.create_user(db, username, PASSWORD, role=role, province=province, agency=agency)
        return {"plan": plan, "task": db.tasks(plans=[plan])[0]["id"]}
    finally:
        db.close()


def login_flood(s: Server, ids: dict) -> str:
    answers: list = []
    threads = [
        threading.Thread(target=lambda: answers.append(post_body(s.base, "/api/login", 100 * MiB))) for _ in range(6)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return _statuses(answers)


def login_chunked(s: Server, ids: dict) -> str:
    return _statuses([post_body(s.base, "/api/login", 200 * MiB, chunked=True)])


def login_form(s: Server, ids: dict) -> str:
    return _statuses([post_body(s.base, "/login", 200 * MiB, content_type="application/x-www-form-urlencoded")])


def many_user_names(s: Server, ids: dict) -> str:
    """2,000 failed logins, each with a new 10 KB user name (what an in-memory limiter would keep)."""
    import httpx

    codes: dict[int, int] = {}
    with httpx.Client(base_url=s.base, timeout=60) as c:
        for _ in range(2000):
            name = secrets.token_hex(5120)
            code = c.post("/api/login", json={"username": name, "password": "x"}).status_code
            codes[code] = codes.get(code, 0) + 1
    return ", ".join(f"{n}× {code}" for code, n in sorted(codes.items()))


def upload_declared(s: Server, ids: dict) -> str:
    with Session.login(s.base, "office_vl", PASSWORD) as office:
        answer = post_body(
            s.base, "/api/drafts", 400 * MiB, content_type=MULTIPART, headers=office.headers(), prefix=FILE_HEAD
        )
    return _statuses([answer])


def upload_chunked(s: Server, ids: dict) -> str:
    with Session.login(s.base, "office_vl", PASSWORD) as office:
        answer = post_body(
            s.base,
            "/api/drafts",
            400 * MiB,
            chunked=True,
            content_type=MULTIPART,
            headers=office.headers(),
            prefix=FILE_HEAD,
        )
    return _statuses([answer])


def json_body(s: Server, ids: dict) -> str:
    with Session.login(s.base, "tc_vl", PASSWORD) as officer:
        answer = post_body(s.base, f"/api/tasks/{ids['task']}/comments", 50 * MiB, headers=officer.headers())
    return _statuses([answer])


def out_of_range(s: Server, ids: dict) -> str:
    t, p = ids["task"], ids["plan"]
    with Session.login(s.base, "admin", PASSWORD) as session:
        asked = _out_of_range(session.client, t, p)
    codes: dict[int, int] = {}
    for r in asked:
        codes[r.status_code] = codes.get(r.status_code, 0) + 1
    return ", ".join(f"{n}× {code}" for code, n in sorted(codes.items()))


def _out_of_range(admin: Any, t: int, p: int) -> list:
    return [
        admin.get(f"/api/tasks/{2**31}"),
        admin.get(f"/api/plans/{2**63}"),
        admin.get("/api/dashboard?as_of=9999-12-31"),
        admin.get("/api/dashboard?as_of=0001-01-01"),
        admin.get(f"/api/plans/{p}/report?period=9999-Q4&format=xlsx"),
        admin.post(f"/api/tasks/{t}/update", json={"percent": 1, "version": "abc"}),
        admin.post(f"/api/tasks/{t}/update", json={"percent": 1, "on": "31/02/2025"}),
        admin.post(f"/api/tasks/{t}/update", json={"percent": 1, "narrative": "x" * 900_000}),
    ]


def _hostile_file(name: str, make: Callable[[Path], Path]) -> Callable[[Server, dict], str]:
    """Upload a hostile file as the office does and wait for its job: how it ended, and the peak of
    the worker process that read it (the server's own peak is the table's)."""

    def attack(s: Server, ids: dict) -> str:
        with tempfile.TemporaryDirectory() as tmp:
            data = make(Path(tmp) / name).read_bytes()
        with Session.login(s.base, "office_vl", PASSWORD) as office, ChildPeaks(s) as worker:
            status = upload_and_wait(office, name, data)
        said = (status.get("message") or "")[:90]
        return f"{len(data) // 1024} KB file: job {status['state']} ({said}); worker peak {worker.peak_mb:.0f} MB"

    return attack


def _statuses(answers: list) -> str:
    sent = max(a.sent for a in answers) / MiB
    codes = sorted({a.status for a in answers})
    return f"{len(answers)}× {'/'.join(map(str, codes))}, ≤ {sent:.1f} MB sent before the answer"


ATTACKS: list[tuple[str, Callable[[Server, dict], str]]] = [
    ("6 × 100 MB login bodies at once (declared)", login_flood),
    ("200 MB login body (chunked)", login_chunked),
    ("200 MB login form (declared)", login_form),
    ("400 MB upload (declared)", upload_declared),
    ("400 MB upload (chunked)", upload_chunked),
    ("50 MB JSON body to a comment", json_body),
    ("out-of-range ids, dates, periods, versions, a 900 KB narrative", out_of_range),
    ("flate bomb PDF uploaded (1 MB stream → 1 GB)", _hostile_file("bom.pdf", flate_bomb_pdf)),
    ("lying DOCX uploaded (declares 5,000 bytes, inflates to 1 GB)", _hostile_file("noi-doi.docx", lying_docx)),
    (
        "dense PDF uploaded (one page of 0.8-pt type, ~820,000 characters)",
        _hostile_file("day-dac.pdf", lambda p: dense_pdf(p, size=0.8, lines=900, per_line=200)),
    ),
    # last: it gets this address throttled, and the attacks above sign in from it
    ("2,000 failed logins, a new 10 KB user name each", many_user_names),
]


def run(url: str, port: int, label: str, only: str = "") -> Iterator[str]:
    ids = prepare(url)
    env = {"KEHOACH_EXTRACT_MEMORY_MB": "1024"}  # the worker's own ceiling; the server's is CEILING_MB
    with Server(url, port, CEILING_MB, env=env) as s:
        time.sleep(2)  # the warm-up thread reads the register
        yield f"| {label} | at rest after start-up | {s.peak_mb():.0f} MB | {s.rss_mb():.0f} MB | |"
        for name, attack in ATTACKS:
            if only not in name:
                continue
            s.reset_peak()
            before = s.rss_mb()
            t0 = time.perf_counter()
            outcome = attack(s, ids)
            seconds = time.perf_counter() - t0
            alive = "" if s.alive else " — the server died"
            yield (
                f"| {label} | {name} | {s.peak_mb():.0f} MB | {before:.0f} → {s.rss_mb():.0f} MB | "
                f"{outcome}, {seconds:.1f} s{alive} |"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pg", help="a PostgreSQL URL of an empty database to fill")
    parser.add_argument("--port", type=int, default=0, help="default: a free port")
    parser.add_argument("--only", default="", help="only the attacks whose name holds this (`uploaded`)")
    args = parser.parse_args()
    args.port = args.port or free_port()
    print("| database | attack | server peak (VmHWM) | resident before → after | answers |")
    print("| --- | --- | --- | --- | --- |")
    with tempfile.TemporaryDirectory() as tmp:
        for row in run(f"sqlite:///{tmp}/hostile.db", args.port, "SQLite", args.only):
            print(row, flush=True)
    if args.pg:
        for row in run(args.pg, args.port, "PostgreSQL", args.only):
            print(row, flush=True)


if __name__ == "__main__":
    main()
