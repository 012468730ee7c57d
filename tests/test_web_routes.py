"""Each router of the web application imports and works alone: mounted on a bare FastAPI app
with only the state it needs (`install_state`), over a real register."""

from __future__ import annotations

import copy
import io
import zipfile

import pytest
from fastapi import APIRouter, FastAPI
from fastapi.testclient import TestClient
from starlette.middleware.sessions import SessionMiddleware
from test_web_kit import PASSWORD, TRA_VINH_PLAN

from kehoach.errors import KehoachError
from kehoach.settings import Settings
from kehoach.store import Database
from kehoach.web import accounts
from kehoach.web.app import answer_error, install_state
from kehoach.web.routes import ROUTERS, plans, session, tasks


def bare_app(db: Database, *routers: APIRouter) -> FastAPI:
    """A FastAPI app with these routers only: the state, a session and the error handler."""
    app = FastAPI()
    install_state(app, db, Settings(secret_key="routes-test"))
    app.add_exception_handler(KehoachError, answer_error)  # type: ignore[arg-type]
    app.add_middleware(SessionMiddleware, secret_key="routes-test")
    for router in routers:
        app.include_router(router)
    return app


@pytest.fixture
def register(db: Database) -> Database:
    db.ingest(copy.deepcopy(TRA_VINH_PLAN), actor="t")
    accounts.create_user(db, "tc_vl", PASSWORD, role="officer", province="Vĩnh Long", agency="Sở Tài chính")
    accounts.create_user(db, "office_vl", PASSWORD, role="office", province="Vĩnh Long")
    return db


def signed_in(app: FastAPI, username: str) -> TestClient:
    client = TestClient(app)
    r = client.post("/api/login", json={"username": username, "password": PASSWORD})
    assert r.status_code == 200, r.text
    client.headers["X-CSRF-Token"] = r.json()["csrf_token"]
    return client


def test_the_session_router_alone_signs_in_and_out(register: Database) -> None:
    app = bare_app(register, session.router)
    anonymous = TestClient(app).get("/api/session")
    assert anonymous.status_code == 401 and anonymous.json()["error"]["code"] == "unauthenticated"
    client = signed_in(app, "tc_vl")
    assert client.get("/api/session").json()["user"]["username"] == "tc_vl"
    assert TestClient(app).post("/api/login", json={"username": "tc_vl", "password": "sai"}).status_code == 401
    assert client.post("/api/logout", json={}).status_code == 200
    assert client.get("/api/session").status_code == 401


def test_the_tasks_router_alone_records_an_update(register: Database) -> None:
    app = bare_app(register, session.router, tasks.router)
    client = signed_in(app, "tc_vl")
    task = next(t for t in register.tasks() if t["lead"] == ["Sở Tài chính"])
    r = client.post(f"/api/tasks/{task['id']}/update", json={"percent": "40%", "version": str(task["version"])})
    assert r.status_code == 200, r.text
    assert register.task(task["id"])["percent"] == 40  # in the register, not only in the answer
    stale = client.post(f"/api/tasks/{task['id']}/update", json={"percent": "50", "version": str(task["version"])})
    assert stale.status_code == 409 and stale.json()["error"]["code"] == "conflict"
    assert client.get(f"/api/tasks/{task['id']}").json()["task"]["percent"] == 40


@pytest.mark.parametrize(("period", "code"), [("2025-H2", "2025-H2"), ("Quý 3/2025", "2025-Q3")])
def test_the_plans_router_alone_writes_the_report_of_any_period(register: Database, period: str, code: str) -> None:
    """The web's report for `period=2025-H2` answered 422 while `kehoach update --period 2025-H2` worked."""
    app = bare_app(register, session.router, plans.router)
    client = signed_in(app, "office_vl")
    plan = register.plans()[0]["id"]
    r = client.get(f"/api/plans/{plan}/report", params={"period": period, "format": "docx"})
    assert r.status_code == 200, r.text
    assert f"bao-cao-{plan}-{code}.docx" in r.headers["content-disposition"]
    assert "word/document.xml" in zipfile.ZipFile(io.BytesIO(r.content)).namelist()
    bad = client.get(f"/api/plans/{plan}/report", params={"period": "Quý V/2025"})
    assert bad.status_code == 422 and bad.json()["error"]["field"] == "period"


@pytest.mark.any_database
@pytest.mark.parametrize("router", ROUTERS, ids=lambda r: r.routes[0].path if r.routes else "?")
def test_every_router_mounts_alone(register: Database, router: APIRouter) -> None:
    """Each router's own JSON pages answer on a bare app: 401 before signing in, never a 500."""
    app = bare_app(register, router)
    assert app.openapi()["paths"] or not any(r.path.startswith("/api/") for r in router.routes)  # type: ignore[attr-defined]
    client = TestClient(app, raise_server_exceptions=False)
    gets = [
        r.path  # type: ignore[attr-defined]
        for r in router.routes
        if "GET" in getattr(r, "methods", ()) and r.path.startswith("/api/") and "{" not in r.path  # type: ignore[attr-defined]
    ]
    for path in gets:
        assert client.get(path).status_code in (200, 401), path
