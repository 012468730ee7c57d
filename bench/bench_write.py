"""A task read + update, counted (not a test): what the server does for an officer's
`GET /api/tasks/{id}` then `POST /api/tasks/{id}/update`, in process through the ASGI client.

For each request: the connections checked out and the SQL statements run (SQLAlchemy events),
and the Python function calls made by the server's threads (every thread but the client's: a
profile hook), a figure the machine's load cannot inflate, unlike CPU time. The register is one
made by `gen_national.py --users` (its officer `officer0_0`); updates are written to it.

    .venv/bin/python bench/bench_write.py --db URL [--pairs 100]

`bench_scale.py --serve-only` gives the same pair's CPU time in a real server process.
"""

from __future__ import annotations

import argparse
import json
import sys
import threading
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import event

from kehoach.settings import Settings
from kehoach.store import Database
from kehoach.web import create_app

PASSWORD = "bench-password"


class Counter:
    """Checkouts, statements and the server's Python calls while `on`."""

    def __init__(self, db: Database) -> None:
        self.on, self.client = False, threading.get_ident()
        self.checkouts = self.statements = self.calls = 0
        event.listen(db.engine.pool, "checkout", self._checkout)
        event.listen(db.engine, "before_cursor_execute", self._statement)
        threading.setprofile(self._call)  # the threads started from now on: the server's

    def _checkout(self, *_: Any) -> None:
        self.checkouts += self.on

    def _statement(self, conn: Any, cursor: Any, sql: str, *_: Any) -> None:
        control = sql.lstrip().upper().startswith(("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE"))
        self.statements += self.on and not control

    def _call(self, frame: Any, what: str, arg: Any) -> None:
        if self.on and what in ("call", "c_call") and threading.get_ident() != self.client:
            self.calls += 1

    def take(self) -> dict[str, int]:
        out = {"checkouts": self.checkouts, "statements": self.statements, "calls": self.calls}
        self.checkouts = self.statements = self.calls = 0
        return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--db", required=True, help="a register made by gen_national.py --users")
    ap.add_argument("--pairs", type=int, default=100)
    args = ap.parse_args(argv)
    db = Database(args.db)
    counter = Counter(db)
    client = TestClient(create_app(db, Settings(secret_key="bench")))
    r = client.post("/api/login", json={"username": "officer0_0", "password": PASSWORD})
    client.headers["X-CSRF-Token"] = r.json()["csrf_token"]
    tasks = [t["id"] for t in client.get("/api/tasks/mine").json()["tasks"] if t["state"] != "done"][:40]
    totals: dict[str, dict[str, int]] = {"read": {}, "update": {}}
    for n in range(20 + args.pairs):  # the first 20 warm the caches up, uncounted
        task = tasks[n % len(tasks)]
        counter.on = n >= 20
        version = client.get(f"/api/tasks/{task}").json()["task"]["version"]
        read = counter.take()
        r = client.post(f"/api/tasks/{task}/update", json={"percent": n % 100, "version": version})
        assert r.status_code == 200, r.text
        update = counter.take()
        for name, got in (("read", read), ("update", update)):
            for k, v in got.items():
                totals[name][k] = totals[name].get(k, 0) + v
    counter.on = False
    out = {name: {k: round(v / args.pairs, 1) for k, v in got.items()} for name, got in totals.items()}
    print(json.dumps(out, indent=1))
    db.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
