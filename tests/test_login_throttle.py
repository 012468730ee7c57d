"""Failed logins throttled in the database (issue 15, points 1 and 5): growing delays per
account, per address and per both, counted where every server process sees them, never a
lock an outsider can put on someone else's account, rows bounded and forgotten."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from test_web_kit import PASSWORD, make_site

from kehoach.errors import AuthError, RateLimitedError
from kehoach.store import Database
from kehoach.store.schema import LoginThrottle
from kehoach.web import Settings, accounts, create_app
from kehoach.web.routes.session import DEVICE_COOKIE


class Clock:
    """The register's clock, moved by the test (`Database(clock=...)`)."""

    def __init__(self) -> None:
        self.now = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def wait(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def timed(db_url: str, db: Database, clock: Clock, monkeypatch: pytest.MonkeyPatch) -> Database:
    monkeypatch.setattr(accounts, "_N", 2**10)
    for name, role in (("admin", "admin"), ("office", "office")):
        accounts.create_user(db, name, PASSWORD, role=role, province=None if role == "admin" else "Vĩnh Long")
    out = Database(db_url, clock=clock)
    yield out
    out.close()


def attempt(db: Database, username: str, password: str, address: str, **kw: str) -> str:
    try:
        accounts.sign_in(db, username, password, address, **kw)
        return "ok"
    except RateLimitedError as e:
        return f"wait {e.retry_after}"
    except AuthError:
        return "wrong"


def test_after_five_failures_each_attempt_waits_longer_up_to_a_cap(timed: Database, clock: Clock) -> None:
    assert [attempt(timed, "office", "x", "10.0.0.9") for _ in range(5)] == ["wrong"] * 5
    assert attempt(timed, "office", PASSWORD, "10.0.0.9") == "wait 3"  # 2 s, rounded up: even the right password
    waits = []
    for _ in range(12):
        wait = int(attempt(timed, "office", "x", "10.0.0.9").split()[1])
        clock.wait(wait)  # a patient guesser
        waits.append(attempt(timed, "office", "x", "10.0.0.9"))
    assert waits == ["wrong"] * 12  # allowed once the wait is over, then counted again
    delays = []
    for _ in range(3):
        delays.append(int(attempt(timed, "office", "x", "10.0.0.9").split()[1]))
        clock.wait(delays[-1])
        attempt(timed, "office", "x", "10.0.0.9")
    assert delays[0] > 60 and delays[-1] <= 15 * 60 + 1  # grown, and capped at 15 minutes
    assert attempt(timed, "office", PASSWORD, "10.0.0.9") == "wait " + str(delays[-1])
    clock.wait(delays[-1])
    assert attempt(timed, "office", PASSWORD, "10.0.0.9") == "ok"
    assert attempt(timed, "office", "x", "10.0.0.9") == "wrong"  # its count starts again


def test_a_stranger_cannot_lock_the_administrator_out(timed: Database, clock: Clock) -> None:
    secret = "s" * 32
    token = accounts.device_token(secret, "admin")
    for n in range(200):  # a guesser from many addresses, patient
        result = attempt(timed, "admin", f"guess{n}", f"203.0.113.{n % 50}")
        if result.startswith("wait"):
            clock.wait(int(result.split()[1]))
    assert attempt(timed, "admin", "guess", "203.0.113.1").startswith("wait")  # the guesser is held back
    # the administrator's own browser, which signed in before, is not: from anywhere, the guesser's address too
    assert accounts.trusted(secret, "admin", token)
    assert attempt(timed, "admin", PASSWORD, "198.51.100.7", device=token) == "ok"
    assert attempt(timed, "admin", PASSWORD, "203.0.113.1", device=token) == "ok"
    assert not accounts.trusted(secret, "office", token)  # a token is its account's only
    # and a browser that never signed in waits at most a minute for the account's count
    assert int(attempt(timed, "admin", PASSWORD, "198.51.100.8").split()[1]) <= 61


def test_a_shared_office_address_does_not_lock_the_province_out(timed: Database, clock: Clock) -> None:
    for n in range(60):  # many people behind one gateway, mistyping
        attempt(timed, "office" if n % 2 else f"nobody{n}", "x", "10.1.1.1")
    assert attempt(timed, "office", PASSWORD, "10.1.1.1").startswith("wait")
    assert int(attempt(timed, "office", PASSWORD, "10.1.1.1").split()[1]) <= 5 * 60 + 1  # capped
    token = accounts.device_token("s" * 32, "office")
    assert attempt(timed, "office", PASSWORD, "10.1.1.1", device=token) == "ok"  # signed in before: goes in
    assert attempt(timed, "admin", PASSWORD, "10.9.9.9") == "ok"  # another address is not concerned


def test_counts_are_shared_by_every_process_and_counted_exactly(db_url: str, timed: Database) -> None:
    barrier = threading.Barrier(4)

    def process() -> None:
        mine = Database(db_url, clock=timed.clock)
        try:
            barrier.wait()
            keys = mine.logins.keys("office", "10.2.2.2", known=True)
            for _ in range(5):
                mine.logins.failed(keys)
        finally:
            mine.close()

    threads = [threading.Thread(target=process) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    with timed.session() as s:
        assert sorted(s.scalars(select(LoginThrottle.failures))) == [20, 20, 20]
    assert attempt(timed, "office", PASSWORD, "10.2.2.2").startswith("wait")


def test_rows_are_few_fixed_and_forgotten(timed: Database, clock: Clock) -> None:
    for n in range(30):  # unknown names: only the address is counted
        attempt(timed, f"{'x' * 5000}{n}", "x", "10.3.3.3")
    with timed.session() as s:
        keys = list(s.scalars(select(LoginThrottle.key)))
    assert len(keys) == 1 and len(keys[0]) == 64  # a hash, whatever the name sent
    clock.wait(3 * 3600)
    attempt(timed, "office", "x", "10.4.4.4")  # a later failure clears the stale rows
    with timed.session() as s:
        assert s.scalar(select(func.count()).select_from(LoginThrottle)) == 3  # its own three only


def test_the_login_route_throttles_and_trusts_its_browsers(db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    site = make_site(db, monkeypatch)
    browser = site.client()
    assert browser.post("/api/login", json={"username": "admin", "password": PASSWORD}).status_code == 200
    assert browser.cookies.get(DEVICE_COOKIE)
    stranger = TestClient(site.app)
    for _ in range(5):
        assert stranger.post("/api/login", json={"username": "admin", "password": "x"}).status_code == 401
    r = stranger.post("/api/login", json={"username": "admin", "password": PASSWORD})
    assert r.status_code == 429 and int(r.headers["retry-after"]) > 0
    other = TestClient(create_app(db, Settings(secret_key="test-secret")))  # another process, same key
    other.cookies.set(DEVICE_COOKIE, browser.cookies.get(DEVICE_COOKIE))
    assert other.post("/api/login", json={"username": "admin", "password": PASSWORD}).status_code == 200
    assert stranger.post("/api/login", json={"username": "admin" * 20_000, "password": "x"}).status_code == 413


def test_password_hashing_leaves_the_event_loop_free(db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    """Sixteen sign-ins at the real scrypt cost at once, over real HTTP: a page asked meanwhile is
    answered while they are still being hashed (on the event loop it would wait for all of them)."""
    from test_web_jobs import serving

    site = make_site(db, monkeypatch)
    monkeypatch.setattr(accounts, "_N", 2**15)  # the shipped cost, read back from the hash when checked
    accounts.create_user(db, "slow", PASSWORD, role="office", province="Vĩnh Long")
    n, finished, lock = 16, [], threading.Lock()
    with serving(site.app) as base:
        barrier = threading.Barrier(n + 1)

        def sign_in() -> None:
            with httpx.Client(base_url=base, timeout=120) as c:
                barrier.wait()
                r = c.post("/api/login", json={"username": "slow", "password": PASSWORD})
            with lock:
                finished.append(r.status_code)

        threads = [threading.Thread(target=sign_in) for _ in range(n)]
        for t in threads:
            t.start()
        barrier.wait()
        time.sleep(0.3)  # sequencing only: the sign-ins are sent first
        with httpx.Client(base_url=base, timeout=120) as c:
            assert c.get("/login").status_code == 200
        with lock:
            signed_in_meanwhile = len(finished)
        for t in threads:
            t.join(120)
    assert finished == [200] * n  # every one went through (a single address's successes are not throttled)
    assert signed_in_meanwhile < n, "the page waited for every password hash"
