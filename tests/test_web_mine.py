"""A department's "my tasks" over hundreds of its tasks: read a page at a time (its tasks sorted,
counted and split from their places and deadlines only, then the page read whole), and the
pages together give exactly the department's tasks as each task's own reading gives them."""

from __future__ import annotations

import copy
from collections import Counter
from datetime import date, timedelta
from urllib.parse import quote

import pytest
from test_web_kit import AS_OF, PASSWORD, TRA_VINH_PLAN, Site, _task, make_site

from kehoach.store import Database
from kehoach.track import Status
from kehoach.web import accounts, create_app, views
from kehoach.web.summary import due_key

DAY = date.fromisoformat(AS_OF)
OVERDUE = Status.OVERDUE.value
LEADS, COORDINATES, SHARED = 123, 27, 24


@pytest.fixture
def site(db: Database, monkeypatch: pytest.MonkeyPatch) -> Site:
    """Sở Tài chính (Vĩnh Long) leads 123 more tasks, coordinates 27 and shares 24 with every
    department; deadlines from months ago to months ahead, a few with none, some done."""
    site = make_site(db, monkeypatch)
    plan = copy.deepcopy(TRA_VINH_PLAN) | {"source": "kh-lon.txt"}
    plan["document"] = plan["document"] | {"number": "9/KH-UBND", "province": "Vĩnh Long"}
    due = [None if i % 17 == 0 else (DAY + timedelta(days=(i * 37) % 240 - 120)).isoformat() for i in range(200)]
    plan["tasks"] = (
        [_task(f"Nhiệm vụ chủ trì số {i}.", ["Sở Tài chính"], ["Sở Xây dựng"], due[i]) for i in range(LEADS)]
        + [_task(f"Nhiệm vụ phối hợp số {i}.", ["Sở Xây dựng"], ["Sở Tài chính"], due[i]) for i in range(COORDINATES)]
        + [_task(f"Nhiệm vụ chung số {i}.", ["Các sở, ban, ngành"], [], due[i]) for i in range(SHARED)]
    )
    big = db.ingest(plan).plan_id
    for t in db.tasks(plan=big, as_of=AS_OF)[:LEADS:7]:
        db.update_task(t["id"], actor="tc_vl", state="done", on=DAY - timedelta(days=3), product_number="5/BC-STC")
    return site


def mine(site: Site, **params: str) -> dict:
    r = site.client("tc_vl").get("/api/tasks/mine", params={"as_of": AS_OF} | params)
    assert r.status_code == 200, r.text
    return r.json()


def whole_lists(site: Site) -> dict[str, list[dict]]:
    """Every task of the department read whole, split by its role as a task's page says it."""
    reg = views.Register(site.db, accounts.authenticate(site.db, "tc_vl", PASSWORD), DAY, views.Memo())
    out: dict[str, list[dict]] = {"lead": [], "coordinate": [], "shared": []}
    for t in site.db.tasks(as_of=AS_OF, plans=reg.plan_ids()):
        role = reg.agency_role(t)
        if role:
            out[role].append(t)
    lead = sorted(out["lead"], key=due_key)
    out["lead"] = [t for t in lead if not t["done_on"]] + [t for t in lead if t["done_on"]]
    return out | {r: sorted(out[r], key=due_key) for r in ("coordinate", "shared")}


def test_the_pages_together_are_the_department_s_tasks_read_whole(site: Site) -> None:
    want = whole_lists(site)
    assert len(want["lead"]) == LEADS + 1  # and the small plan's one
    for role, key in views.MINE_LISTS.items():
        first = mine(site, role=role)
        got = list(first[key])
        for n in range(2, first["pages"] + 1):
            page = mine(site, role=role, page=str(n))
            assert page["page"] == n and len(page[key]) <= views.MINE_PAGE
            got += page[key]
        assert got == want[role], role
        assert first["totals"][key] == len(want[role])
        assert first["pages"] == -(-len(want[role]) // views.MINE_PAGE)
    # the lists not paged show their first tasks, whole
    first = mine(site)
    assert first["coordinating"] == want["coordinate"][: views.MINE_GLIMPSE]
    assert first["shared"] == want["shared"][: views.MINE_GLIMPSE]
    assert first["totals"]["open"] == sum(not t["done_on"] for t in want["lead"])


def test_counts_are_of_every_task_led_and_a_status_filters_the_list(site: Site) -> None:
    want = Counter(t["status"] for t in whole_lists(site)["lead"])
    first = mine(site)
    assert {s: n for s, n in first["counts"].items() if n} == dict(want)
    overdue = mine(site, status=OVERDUE)
    assert overdue["counts"] == first["counts"]  # the chips stay the whole department's
    assert overdue["totals"]["tasks"] == want[OVERDUE] > views.MINE_PAGE  # paged too
    assert {t["status"] for t in overdue["tasks"]} == {OVERDUE}
    last = mine(site, status=OVERDUE, page=str(overdue["pages"]))
    assert len(overdue["tasks"]) + len(last["tasks"]) == want[OVERDUE]


@pytest.mark.parametrize(
    ("params", "field"),
    [({"page": "99"}, "page"), ({"page": "0"}, "page"), ({"page": "hai"}, "page"), ({"role": "monitor"}, "role")]
    + [({"status": "xong"}, "status")],
)
def test_a_page_or_list_that_does_not_exist_is_named(site: Site, params: dict, field: str) -> None:
    r = site.client("tc_vl").get("/api/tasks/mine", params={"as_of": AS_OF} | params)
    assert r.status_code == 422
    assert field in r.text


def test_the_page_links_to_its_neighbours_and_a_quick_update_comes_back_to_it(site: Site) -> None:
    c = site.client("tc_vl")
    html = c.get("/tasks/mine", params={"as_of": AS_OF, "page": "2"}).text
    assert 'href="?role=lead&amp;page=1" rel="prev"' in html and 'href="?role=lead&amp;page=3" rel="next"' in html
    assert 'aria-current="page">2/3<' in html
    assert f'href="?role=coordinate">Xem tất cả {COORDINATES + 1} nhiệm vụ' in html
    assert f'href="?status={quote(OVERDUE)}#lead"' in html  # the overdue chip filters
    done = c.get("/tasks/mine", params={"as_of": AS_OF, "status": Status.DONE_ON_TIME.value}).text
    assert "Chủ trì, đã hoàn thành" in done and 'action="/tasks/' not in done.split('id="done"')[0].split("</h1>")[1]
    second = mine(site, page="2")["tasks"]
    task = next(t for t in second if not t["done_on"])
    assert f'name="next" value="/tasks/mine?as_of={AS_OF}&amp;page=2#task-{task["id"]}"' in html
    r = c.post(
        f"/tasks/{task['id']}/update",
        data={"state": "in_progress", "percent": "40", "version": str(task["version"]), "next": "/tasks/mine?page=2"},
        follow_redirects=False,
    )
    assert r.status_code == 303 and r.headers["location"] == "/tasks/mine?page=2"


def test_after_an_update_only_the_changed_task_is_read_again(site: Site, monkeypatch: pytest.MonkeyPatch) -> None:
    """The department's lists are brought up to date from the ones held: the tasks changed since
    are read again (not the thousands of a department), and the page is what a server that never
    saw it before shows."""
    asked: list[set[int] | None] = []
    department_tasks = site.db.summaries.department_tasks

    def recorded(*args: object, ids: set[int] | None = None) -> list[dict]:
        asked.append(ids)
        return department_tasks(*args, ids=ids)  # type: ignore[arg-type]

    monkeypatch.setattr(site.db.summaries, "department_tasks", recorded)
    c = site.client("tc_vl")
    first = c.get("/api/tasks/mine", params={"as_of": AS_OF}).json()
    assert asked == [None]
    changed = [t for t in first["tasks"] if not t["done_on"]][:2]
    for t in changed:
        r = c.post(f"/api/tasks/{t['id']}/update", json={"state": "done", "product_number": "7/BC-STC", "on": AS_OF})
        assert r.status_code == 200, r.text
    patched = c.get("/api/tasks/mine", params={"as_of": AS_OF}).json()
    assert asked[1:] == [{t["id"] for t in changed}]
    fresh = Site(site.db, create_app(site.db), site.tra_vinh, site.an_giang)  # nothing held
    assert fresh.client("tc_vl").get("/api/tasks/mine", params={"as_of": AS_OF}).json() == patched
    assert patched["totals"]["open"] == first["totals"]["open"] - 2
