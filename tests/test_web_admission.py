"""More requests at once than the database has connections: each waits its turn and is answered.

Two hundred officers at once once stopped a server dead: every request thread waited for a
connection while the requests holding the connections waited for a thread to finish on. The
server now admits no more requests than the pool can serve (`Database.units_at_once`); the rest
wait on the event loop. Run against a real server (uvicorn on a port) and a real database.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import anyio
import httpx
import pytest
from test_browser_kit import serve
from test_web_kit import PASSWORD, Site, make_site

from kehoach.store import Database


@pytest.fixture
def site(db: Database, monkeypatch: pytest.MonkeyPatch) -> Site:
    return make_site(db, monkeypatch)


@pytest.fixture
def few_threads(monkeypatch: pytest.MonkeyPatch) -> None:
    """The server's threads fewer than its connections (4 here, 40 in production against 15): the
    same starvation with a few dozen requests instead of two hundred."""
    from anyio._backends import _asyncio as backend  # where anyio keeps the loop's default limiter

    def few(cls: type) -> anyio.CapacityLimiter:
        try:
            return backend._default_thread_limiter.get()
        except LookupError:
            limiter = anyio.CapacityLimiter(4)
            backend._default_thread_limiter.set(limiter)
            return limiter

    monkeypatch.setattr(backend.AsyncIOBackend, "current_default_thread_limiter", classmethod(few))


@pytest.mark.usefixtures("few_threads")
def test_more_requests_than_connections_are_all_answered(site: Site) -> None:
    many = 4 * (site.db.units_at_once + 3)
    with serve(site.db) as base:
        with httpx.Client(base_url=base, timeout=60) as c:  # before the threads are few
            assert c.post("/api/login", json={"username": "tc_vl", "password": PASSWORD}).status_code == 200
            cookies = dict(c.cookies)

        def read(_: int) -> int:
            with httpx.Client(base_url=base, cookies=cookies, timeout=60) as client:
                return client.get("/api/tasks/mine").status_code

        with ThreadPoolExecutor(many) as pool:
            answers = list(pool.map(read, range(many)))
    assert answers == [200] * many
