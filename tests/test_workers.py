"""`kehoach serve --workers 2`: two server processes, one register, as one application.

The real command runs in a subprocess on 127.0.0.1; every request below opens a connection of
its own, so the two processes share the work. A session made by one is honoured by the other
(the session key, made once, is kept in the database), and so is its CSRF token; failed logins
are counted where both see them; a change made through one is on the other's pages at once.
"""

from __future__ import annotations

import contextlib
import copy
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
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


@dataclass
class Served:
    base: str
    db: Database
    pid: int  # `kehoach serve`: the supervisor of the workers


@pytest.fixture
def served(db_url: str, db: Database, tmp_path: Path) -> Iterator[Served]:
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
        yield Served(base, db, proc.pid)
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


def test_two_processes_serve_one_application(served: Served) -> None:
    base, db = served.base, served.db
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


def _connections(pid: int, port: int) -> int:
    """The established TCP connections on `port` that process `pid` holds (read from /proc)."""
    inodes = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        with contextlib.suppress(OSError):
            target = os.readlink(fd)
            if target.startswith("socket:["):
                inodes.add(target[8:-1])
    held = 0
    for table in ("tcp", "tcp6"):
        for line in Path(f"/proc/net/{table}").read_text().splitlines()[1:]:
            fields = line.split()
            if int(fields[1].rsplit(":", 1)[1], 16) == port and fields[3] == "01" and fields[9] in inodes:
                held += 1
    return held


@pytest.mark.any_database
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="SO_REUSEPORT spreads connections on Linux")
def test_connections_opened_together_are_spread_over_the_workers(served: Served) -> None:
    """Forty browsers connect at once and keep their connections: each worker takes a share (on
    one shared socket the first worker to wake accepted them all, and the other idled)."""
    port = int(served.base.rsplit(":", 1)[1])
    clients = [socket.create_connection((HOST, port)) for _ in range(40)]  # connected before any is served
    try:
        for c in clients:  # then each asks for a page on its own connection, kept open
            c.sendall(f"GET /login HTTP/1.1\r\nHost: {HOST}\r\n\r\n".encode())
        for c in clients:
            assert c.recv(64).startswith(b"HTTP/1.1 200"), "a connection was not served"
        first, second = sorted((_connections(w, port) for w in _children(served.pid)), reverse=True)[:2]
        assert first + second == 40, (first, second)
        assert second >= 8, f"one worker holds {first} of the 40 connections, the other {second}"
    finally:
        for c in clients:
            c.close()


def test_failed_logins_are_counted_across_processes(served: Served) -> None:
    base = served.base
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


def test_a_port_another_program_holds_is_refused_not_shared(tmp_path: Path) -> None:
    """Workers share their port with each other only: a port already taken is an error naming it
    (two servers sharing one would split the browsers between them)."""
    url = f"sqlite:///{tmp_path / 'k.db'}"
    env = {k: v for k, v in os.environ.items() if not k.startswith("KEHOACH_")} | {"KEHOACH_DATA_DIR": str(tmp_path)}
    with socket.socket() as taken:
        taken.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        taken.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)  # as another kehoach's worker holds it
        taken.bind((HOST, 0))
        taken.listen()
        port = taken.getsockname()[1]
        cmd = [sys.executable, "-c", "from kehoach.cli import app; app()", "serve", "--workers", "2"]
        done = subprocess.run([*cmd, "--host", HOST, "--port", str(port), "--db", url], env=env,
                              capture_output=True, text=True, timeout=120)  # fmt: skip
    assert done.returncode == 1, done.stdout + done.stderr
    assert f"không mở được cổng {HOST}:{port}" in done.stderr, done.stderr
