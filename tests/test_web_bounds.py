"""Out-of-range values answer a clean 4xx naming the field, never a 500, on every route.

The routes are read from the application itself: every path with an id or an index, every page
that takes `as_of`, so a route added later is swept too. Each bad value goes to each route
that takes it, on SQLite and PostgreSQL (an id of 2³¹ overflows PostgreSQL's `integer`, one of
2⁶³ SQLite's). Then the bounds on free text and on the date of an update, for every caller.
"""

from __future__ import annotations

import copy
import html
import re
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from test_web_kit import AS_OF, TRA_VINH_PLAN, Site, _task, login, make_site

from kehoach.errors import field_label
from kehoach.store import Database
from kehoach.track import ValidationError
from kehoach.web import review
from kehoach.web.accounts import get_user
from kehoach.web.deps import current_register

SAMPLE = Path(__file__).parent.parent / "kehoach" / "data" / "samples" / "002_23dbc6410858588b.txt"
BAD_IDS = [2**31, 2**63, 2**64, 10**30, "9" * 5000, 0, -1, "abc", "1.5", "²"]
BAD_DATES = ["31/02/2025", "0001-01-01", "9999-12-31", "31/12/1899", "hôm qua", "2025-13-01"]
BAD_VERSIONS = ["abc", "1.5", "-1", "0", "99999999999999999999", [], {"v": 1}, True]
BAD_PERIODS = ["9999-Q4", "0001-Q1", "2025-Q5", "10000", "Quý V/2025", "abc"]
ID_PARAM = re.compile(r"\{(\w+_id|index)\}")


class Sweep:
    """A site with one record of each kind, an administrator's client that reports a 500 as a
    status (not an exception), and the valid value of each path parameter."""

    def __init__(self, site: Site) -> None:
        self.site = site
        office = get_user(site.db, 2)
        assert office is not None and office.username == "office_vl"
        self.draft = review.create(site.db, office, SAMPLE.name, SAMPLE.read_bytes())["id"]
        self.conditional = _conditional_task(site)
        self.valid = {
            "task_id": site.tasks["tc"],
            "plan_id": site.tra_vinh,
            "draft_id": self.draft,
            "indicator_id": site.indicators["tc"],
            "duty_id": site.duties["tv"],
            "index": 0,
        }
        self.admin = client(site, "admin")

    def send(self, method: str, url: str, body: dict | None = None) -> Any:
        if method == "GET":
            return self.admin.get(url)
        return self.admin.post(url, json=body if body is not None else {})


def client(site: Site, username: str) -> TestClient:
    c = TestClient(site.app, raise_server_exceptions=False)
    login(c, username)
    return c


def _conditional_task(site: Site) -> int:
    """A task whose clock starts when an event happens (its condition can be marked met)."""
    plan = copy.deepcopy(TRA_VINH_PLAN) | {"source": "kh-dk.txt"}
    plan["document"] = TRA_VINH_PLAN["document"] | {"number": "9/KH-UBND"}
    condition = "sau khi Trung ương ban hành hướng dẫn"
    plan["tasks"] = [
        {
            **_task("Ban hành quy định phân cấp quản lý.", ["Sở Tài chính"], [], None),
            "deadline": {"text": condition, "due": None, "recurring": False, "condition": condition},
        }
    ]
    return site.db.tasks(plans=[site.db.ingest(plan).plan_id])[0]["id"]


@pytest.fixture
def sweep(db: Database, monkeypatch: pytest.MonkeyPatch) -> Sweep:
    return Sweep(make_site(db, monkeypatch))


def routes(app: Any) -> Iterator[tuple[str, str, APIRoute]]:
    """Every route of the application, through the routers it includes."""
    for route in app.routes:
        if isinstance(route, APIRoute):
            for method in sorted(route.methods - {"HEAD"}):
                yield method, route.path, route
        elif hasattr(route, "original_router"):  # an included router (FastAPI ≥ 0.160)
            yield from routes(route.original_router)


def _uses(dependant: Any, call: Any) -> bool:
    return any(d.call is call or _uses(d, call) for d in dependant.dependencies)


def refused(r: Any, field: str | None, url: str) -> str | None:
    """What is wrong with the answer to a bad `field`: None when it is a clean 4xx naming it."""
    if not 400 <= r.status_code < 500:
        return f"{url}: {r.status_code} {r.text[:200]}"
    if not r.headers.get("content-type", "").startswith("application/json"):
        named = field is None or html.escape(field_label(field)) in r.text
        return None if named else f"{url}: the page does not name {field} ({field_label(field)})"
    error = r.json().get("error") or {}
    if not error.get("message"):
        return f"{url}: no message {r.text[:200]}"
    if field is not None and r.status_code == 422 and error.get("field") != field:
        return f"{url}: field {error.get('field')!r}, expected {field!r}: {error.get('message')}"
    if r.status_code == 422 and error.get("label", "") not in error["message"]:
        return f"{url}: the message does not name the field ({error.get('label')}): {error['message']}"
    return None


# --- ids and indexes in every path -------------------------------------------------------------


def test_every_id_in_every_path_is_bounded(sweep: Sweep) -> None:
    wrong, swept = [], 0
    for method, path, _ in routes(sweep.site.app):
        for name in ID_PARAM.findall(path):
            for bad in BAD_IDS:
                if name == "index" and bad == 0:
                    continue  # the first task of a draft
                values = {k: v for k, v in sweep.valid.items() if k != name} | {name: bad}
                url = re.sub(r"\{(\w+)\}", lambda m, v=values: str(v.get(m.group(1), 1)), path)
                r = sweep.send(method, url)
                swept += 1
                if problem := refused(r, name, f"{method} {url}"):
                    wrong.append(problem)
                elif r.status_code == 422 and url.startswith("/api/"):
                    assert "không hợp lệ" in r.json()["error"]["message"], r.text
    assert swept > 150, swept  # every route with an id: tasks, plans, drafts, indicators, duties, files
    assert not wrong, "\n".join(wrong)


def test_an_id_past_the_database_integer_names_the_field_in_vietnamese(sweep: Sweep) -> None:
    r = sweep.send("GET", f"/api/tasks/{2**31}")
    assert r.status_code == 422
    error = r.json()["error"]
    assert error["field"] == "task_id" and "2.147.483.647" in error["message"], error
    page = sweep.send("GET", f"/tasks/{2**63}")
    assert page.status_code == 422 and "task_id" in page.text and "không hợp lệ" in page.text


def test_the_dashboard_plan_filter_is_bounded(sweep: Sweep) -> None:
    for bad in BAD_IDS:
        r = sweep.send("GET", f"/api/dashboard?plan={bad}")
        assert refused(r, "plan", f"plan={bad}") is None, r.text


# --- dates and periods in the query --------------------------------------------------------------


@pytest.mark.any_database
def test_every_page_refuses_an_as_of_out_of_range(sweep: Sweep) -> None:
    wrong, pages = [], 0
    for method, path, route in routes(sweep.site.app):
        if method != "GET" or not _uses(route.dependant, current_register):
            continue
        pages += 1
        url = re.sub(r"\{(\w+)\}", lambda m: str(sweep.valid.get(m.group(1), 1)), path)
        for bad in BAD_DATES:
            sep = "&" if "?" in url else "?"
            r = sweep.send("GET", f"{url}{sep}as_of={bad}")
            if problem := refused(r, "as_of", f"{url} as_of={bad}"):
                wrong.append(problem)
    assert pages >= 12, pages
    assert not wrong, "\n".join(wrong)


@pytest.mark.any_database
def test_the_report_refuses_a_period_out_of_range(sweep: Sweep) -> None:
    plan = sweep.site.tra_vinh
    for bad in BAD_PERIODS:
        r = sweep.send("GET", f"/api/plans/{plan}/report?period={bad}&format=xlsx")
        assert refused(r, "period", bad) is None, r.text
    r = sweep.send("GET", f"/api/plans/{plan}/report?period=2025-Q1&format=exe")
    assert refused(r, "format", "format=exe") is None


QUERY_IDS = [
    ("/api/plans", "page"),
    ("/api/dashboard", "plan"),
    ("/api/audit", "plan"),
    ("/api/audit", "before"),
    ("/api/audit", "after"),
    ("/api/duties", "plan"),
    ("/api/duties", "page"),
]


def test_search_and_ids_in_the_query_are_bounded(sweep: Sweep) -> None:
    assert refused(sweep.send("GET", "/api/search?q=" + "a" * 201), "q", "q") is None
    assert sweep.send("GET", "/api/search?q=" + "a" * 200).status_code == 200
    wrong = [
        problem
        for url, name in QUERY_IDS
        for bad in BAD_IDS
        if (problem := refused(sweep.send("GET", f"{url}?{name}={bad}"), name, f"{url}?{name}={str(bad)[:20]}"))
    ]
    assert not wrong, "\n".join(wrong)


def test_a_nul_character_anywhere_is_refused(sweep: Sweep) -> None:
    """PostgreSQL cannot store one: it was a 500 on every route that wrote or looked up the text."""
    wrong = []
    for method, path, _ in routes(sweep.site.app):
        url = re.sub(r"\{(\w+)\}", lambda m: str(sweep.valid.get(m.group(1), 1)), path)
        if method == "GET":
            r = sweep.send("GET", f"{url}?q=a%00b")
        else:
            r = sweep.send("POST", url, {"text": "a\x00b", "username": "x", "narrative": ["\x00"]})
        if not 400 <= r.status_code < 500:
            wrong.append(f"{method} {url}: {r.status_code} {r.text[:150]}")
    assert not wrong, "\n".join(wrong)
    officer = client(sweep.site, "tc_vl")
    r = officer.post(f"/api/tasks/{sweep.site.tasks['tc']}/update", json={"percent": 5, "narrative": "Đã\x00 làm"})
    assert r.status_code == 422 and r.json()["error"]["field"] == "narrative" and "NUL" in r.json()["error"]["message"]
    r = client(sweep.site, "tc_vl").post("/api/login", json={"username": "tc\x00vl", "password": "x"})
    assert r.status_code == 422 and r.json()["error"]["field"] == "username"
    with pytest.raises(ValidationError):  # the CLI and the workbook import go through the store
        sweep.site.db.update_task(sweep.site.tasks["tc"], actor="cli", percent=5, narrative="a\x00b")


# --- fields of a change ---------------------------------------------------------------------------


def _body_cases(s: Sweep) -> list[tuple[str, dict, str, list]]:
    """(url, a valid body, the field made bad, its bad values)."""
    t, i, d, dr, c = s.site.tasks["tc"], s.site.indicators["tc"], s.site.duties["tv"], s.draft, s.conditional
    update = {"state": "in_progress", "percent": 10, "on": "2025-06-01"}
    extension = {"new_due": "31/12/2025", "granted_by": "Chủ tịch UBND tỉnh"}
    value = {"period": "2025-Q1", "value": "5"}
    submission = {"period": "2025-05", "agency": "Sở Tài chính", "on": "2025-06-05"}
    too_long = ["x" * 10_001]
    return [
        (f"/api/tasks/{t}/update", update, "version", BAD_VERSIONS),
        (f"/api/tasks/{t}/update", update, "on", [*BAD_DATES, 5, ["2025-06-01"], "2020-01-01", "2199-01-01"]),
        (f"/api/tasks/{t}/update", update, "percent", ["abc", "nan", "inf", "1e400", 120, -1]),
        (f"/api/tasks/{t}/update", update, "narrative", too_long),
        (f"/api/tasks/{t}/update", update, "difficulties", too_long),
        (f"/api/tasks/{t}/update", update, "proposals", too_long),
        (f"/api/tasks/{t}/update", update, "product_number", ["1/QĐ-" + "X" * 200]),
        (f"/api/tasks/{t}/extensions", extension, "new_due", BAD_DATES),
        (f"/api/tasks/{t}/extensions", extension, "granted_on", BAD_DATES),
        (f"/api/tasks/{t}/extensions", extension, "version", BAD_VERSIONS),
        (f"/api/tasks/{t}/extensions", extension, "reason", too_long),
        (f"/api/tasks/{t}/extensions", extension, "granted_by", ["Ông " * 200]),
        (f"/api/tasks/{c}/condition", {"met_on": "01/05/2025"}, "met_on", BAD_DATES),
        (f"/api/tasks/{c}/condition", {"met_on": "01/05/2025"}, "due", BAD_DATES),
        (f"/api/tasks/{c}/condition", {"met_on": "01/05/2025"}, "version", BAD_VERSIONS),
        (f"/api/tasks/{t}/comments", {"text": "Ý kiến"}, "text", too_long),
        (f"/api/indicators/{i}/values", value, "period", BAD_PERIODS),
        (f"/api/indicators/{i}/values", value, "value", ["abc", "nan", "inf", "1e400", "1,2,3"]),
        (f"/api/duties/{d}/submissions", submission, "on", BAD_DATES),
        (f"/api/duties/{d}/submissions", submission, "period", BAD_PERIODS),
        (f"/api/drafts/{dr}/document", {"title": "Trích yếu"}, "issued_date", BAD_DATES),
        (f"/api/drafts/{dr}/document", {"title": "Trích yếu"}, "version", BAD_VERSIONS),
        (f"/api/drafts/{dr}/document", {}, "title", too_long),
        (f"/api/drafts/{dr}/document", {}, "issuer", ["Ủy ban " * 100]),
        (f"/api/drafts/{dr}/tasks/0", {"section": "Mục"}, "deadline_due", BAD_DATES),
        (f"/api/drafts/{dr}/tasks/0", {"section": "Mục"}, "version", BAD_VERSIONS),
        (f"/api/drafts/{dr}/tasks/0", {}, "text", ["Nhiệm vụ " * 3000]),
        (f"/api/drafts/{dr}/tasks/0", {}, "lead", [["Sở " * 200]]),
        (f"/api/drafts/{dr}/indicators/0", {"group": "Nhóm"}, "version", BAD_VERSIONS),
        (f"/api/drafts/{dr}/tasks/0/merge", {}, "version", BAD_VERSIONS),
        (f"/api/drafts/{dr}/tasks/0/split", {"parts": ["Phần một.", "Phần hai."]}, "version", BAD_VERSIONS),
        (f"/api/drafts/{dr}/tasks/0/split", {}, "parts", [["Phần một.", "Phần " * 5000]]),
        (f"/api/drafts/{dr}/tasks/0/delete", {}, "version", BAD_VERSIONS),
        (f"/api/drafts/{dr}/publish", {}, "version", BAD_VERSIONS),
    ]


FIELD_OF = {"lead": "agency"}  # a list of agencies names each one as `agency`


def test_every_bad_field_of_a_change_is_a_clean_refusal(sweep: Sweep) -> None:
    wrong = []
    for url, body, field, bads in _body_cases(sweep):
        for bad in bads:
            r = sweep.send("POST", f"{url}?as_of={AS_OF}", body | {field: bad})
            if problem := refused(r, FIELD_OF.get(field, field), f"{url} {field}={str(bad)[:30]!r}"):
                wrong.append(problem)
    assert not wrong, "\n".join(wrong)
    # nothing of it was written: the task has no update, the draft is still a draft at version 1
    assert sweep.site.db.task(sweep.site.tasks["tc"])["updates"] == []
    assert sweep.send("GET", f"/api/drafts/{sweep.draft}").json()["draft"]["version"] == 1


@pytest.mark.any_database
def test_a_version_that_is_not_a_number_is_named_in_vietnamese(sweep: Sweep) -> None:
    r = sweep.send("POST", f"/api/tasks/{sweep.site.tasks['tc']}/update", {"percent": 10, "version": "abc"})
    assert r.status_code == 422
    error = r.json()["error"]
    assert error["field"] == "version" and "số nguyên dương" in error["message"], error
    r = sweep.send("POST", f"/api/tasks/{sweep.site.tasks['tc']}/update", {"percent": 10, "on": "31/02/2025"})
    assert r.status_code == 422 and r.json()["error"]["field"] == "on"
    assert "31/02/2025" in r.json()["error"]["message"]


# --- the bounds hold for every caller, not only the web --------------------------------------------


def test_the_store_bounds_free_text_and_the_date_of_an_update(db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    site = make_site(db, monkeypatch)
    task = site.tasks["tc"]
    with pytest.raises(ValidationError) as e:
        db.update_task(task, actor="cli", percent=10, narrative="x" * 5_000_000)
    assert e.value.field == "narrative" and "10.000 ký tự" in str(e.value) and "x" * 100 not in str(e.value)
    assert db.update_task(task, actor="cli", percent=10, narrative="x" * 10_000, on=date(2025, 6, 1))
    # the plan is of 2025: an update from January 2024 to tomorrow (Vietnam time)
    for on in (date(1, 1, 1), date(2023, 12, 31), db.today() + timedelta(days=2), date(9999, 12, 31)):
        with pytest.raises(ValidationError) as e:
            db.update_task(task, actor="cli", percent=20, on=on)
        assert e.value.field == "on" and "01/01/2024" in str(e.value), str(e.value)
    assert db.update_task(task, actor="cli", percent=20, on=date(2024, 1, 1))
    assert db.update_task(task, actor="cli", percent=30, on=db.today() + timedelta(days=1))
    with pytest.raises(ValidationError) as e:
        db.extend_deadline(task, date(2026, 3, 31), granted_by="UBND tỉnh", actor="cli", reason="r" * 10_001)
    assert e.value.field == "reason"
    assert len(db.task(task)["updates"]) == 3


def test_a_long_comment_is_refused_whole_and_a_long_one_within_bounds_kept(sweep: Sweep) -> None:
    officer = client(sweep.site, "tc_vl")
    url = f"/api/tasks/{sweep.site.tasks['tc']}/comments"
    r = officer.post(url, json={"text": "ý kiến " * 200_000})
    assert r.status_code in (413, 422) and r.json()["error"]["field"] in ("text", "body"), r.text[:300]
    r = officer.post(url, json={"text": "ý" * 10_000})
    assert r.status_code == 200 and len(r.json()["text"]) == 10_000


# --- bodies that are not what they say ------------------------------------------------------------

MALFORMED = [
    ("application/json", b'{"text": '),  # cut short
    ("application/json", b"\xff\xfe{}"),  # not UTF-8
    ("application/json", b"[" * 100_000),  # nested past any recursion limit, under the 1 MB budget
    ("application/json", b'["a list"]'),
    ("application/x-www-form-urlencoded", b"a=1&" * 5_000),  # more fields than any form has
    ("multipart/form-data; boundary=x", b"--x\r\n" * 10),  # a broken multipart body
    ("multipart/form-data", b"no boundary"),
]


@pytest.mark.any_database
def test_every_change_refuses_a_malformed_body_cleanly(sweep: Sweep) -> None:
    wrong, posts = [], 0
    for method, path, _ in routes(sweep.site.app):
        if method != "POST":
            continue
        posts += 1
        url = re.sub(r"\{(\w+)\}", lambda m: str(sweep.valid.get(m.group(1), 1)), path)
        for content_type, body in MALFORMED:
            r = sweep.admin.post(url, content=body, headers={"content-type": content_type})
            if not 400 <= r.status_code < 500:
                wrong.append(f"{url} {content_type} {body[:12]!r}: {r.status_code} {r.text[:150]}")
    assert posts >= 20, posts
    assert not wrong, "\n".join(wrong)
    assert sweep.site.db.task(sweep.site.tasks["tc"])["updates"] == []
