"""`kehoach serve --workers 2`: two server processes, one register, as one application.

The real command runs in a subprocess on 127.0.0.1; every request below opens a connection of
its own, so the two processes share the work. A session made by one is honoured by the other
(the session key, made once, is kept in the database), and so is its CSRF token; failed logins
are counted where both see them; a change made through one is on the other's pages at once.
"""

from __future__ import annotations

import copy
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from hostile_web import free_port
from test_web_kit import PASSWORD, TRA_VINH_PLAN

from kehoach.store import Database
from kehoach.web import accounts

HOST = "127.0.0.1"


def _children(pid: int) -> list[int]:
    out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True, text=True).stdout
    return [int(x) for x in out.split()]


@pytest.fixture
def served(db_url: str, db: Database, tmp_path: Path) -> Iterator[tuple[str, Database]]:
    accounts._N, n = 2**10, accounts._N
    try:
        db.ingest(copy.deepcopy(TRA_VINH_PLAN))
        accounts.create_user(db, "office", PASSWORD, role="office", province="Vĩnh Long")
        accounts.create_user(db, "tc", PASSWORD, role="officer", province="Vĩnh Long", agency="Sở Tài chính")
    finally:
        accounts._N = n
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("KEHOACH_")} | {"KEHOACH_DATA_DIR": str(tmp_path)}
    cmd = [sys.executable, "-c", "from kehoach.cli import app; app()", "serve", "--workers", "2"]
    log = (tmp_path / "server.log").open("wb")
    proc = subprocess.Popen([*cmd, "--host", HOST, "--port", str(port), "--db", db_url], env=env, stdout=log,
                            stderr=subprocess.STDOUT, start_new_session=True)  # fmt: skip
    base = f"http://{HOST}:{port}"
    try:
        deadline = time.monotonic() + 120
        while len(_children(proc.pid)) < 2 or not _up(base):
            assert proc.poll() is None, (tmp_path / "server.log").read_text(errors="replace")[-2000:]
            assert time.monotonic() < deadline, "the server did not start in 120 s"
            time.sleep(0.3)
        yield base, db
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        log.close()


def _up(base: str) -> bool:
    try:
        return httpx.get(f"{base}/login", timeout=2).status_code == 200
    except httpx.TransportError:
        return False


def fresh(base: str, cookies: httpx.Cookies | None = None) -> httpx.Client:
    """A client whose every request opens a new connection (so either process may answer it)."""
    return httpx.Client(base_url=base, cookies=cookies, timeout=30, limits=httpx.Limits(max_keepalive_connections=0))


def test_two_processes_serve_one_application(served: tuple[str, Database]) -> None:
    base, db = served
    with fresh(base) as c:
        r = c.post("/api/login", json={"username": "office", "password": PASSWORD})
        assert r.status_code == 200, r.text
        token = r.json()["csrf_token"]
        for _ in range(12):  # the session and its CSRF token, whichever process answers
            assert c.get("/api/session").json()["csrf_token"] == token
        before = c.get("/api/dashboard").json()["totals"]
    with fresh(base) as officer:
        r = officer.post("/api/login", json={"username": "tc", "password": PASSWORD})
        officer.headers["X-CSRF-Token"] = r.json()["csrf_token"]
        task = officer.get("/api/tasks/mine").json()["tasks"][0]
        r = officer.post(
            f"/api/tasks/{task['id']}/update",
            json={"state": "done", "product_number": "5/BC-STC", "version": task["version"]},
        )
        assert r.status_code == 200, r.text
    with fresh(base, c.cookies) as again:
        for _ in range(6):  # every process shows the change at once
            totals = again.get("/api/dashboard").json()["totals"]
            assert sum(totals.values()) == sum(before.values())
            assert totals != before
    assert db.audit(entity="task", entity_id=task["id"])[-1]["actor"] == "tc"


def test_failed_logins_are_counted_across_processes(served: tuple[str, Database]) -> None:
    base, _ = served
    with fresh(base) as c:
        codes = [c.post("/api/login", json={"username": "office", "password": "x"}).status_code for _ in range(5)]
        assert codes == [401] * 5
        r = c.post("/api/login", json={"username": "office", "password": PASSWORD})
        assert r.status_code == 429 and int(r.headers["retry-after"]) >= 1


def test_a_serving_process_collects_garbage_seldom_and_not_what_it_started_with(tmp_path: Path) -> None:
    """Each worker's application (`kehoach.cli.web.application`) raises the collector's
    thresholds and freezes what the process was started with (see `COLLECTOR`)."""
    from kehoach.web.app import COLLECTOR

    url = f"sqlite:///{tmp_path / 'k.db'}"
    Database.open(url).close()
    env = {k: v for k, v in os.environ.items() if not k.startswith("KEHOACH_")}
    env |= {"KEHOACH_DATA_DIR": str(tmp_path), "KEHOACH_DATABASE_URL": url}
    probe = (
        "import gc; from kehoach.cli.web import application; before = gc.get_threshold(); "
        "application(); print(before, gc.get_threshold(), gc.get_freeze_count())"
    )
    out = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True, check=True).stdout
    before, after, frozen = out.strip().replace(") ", ")|").split("|")
    assert after == str(COLLECTOR) != before  # Python's own thresholds replaced
    assert int(frozen) > 50_000  # the modules, the templates, the application: never walked again
