"""A request's database work (issue 14, a lean write path): one connection checked out, one
transaction, a handful of statements for a task's read and for its update.

Counted with SQLAlchemy events (behaviour, not timing), through the application as a browser
or the API calls it: the user's account, the route and the page all join the request's session.
A stale version is refused with a clear message, and a refused or failed request leaves nothing
half-written.
"""

from __future__ import annotations

import threading

import pytest
from test_store_write import counted
from test_web_kit import Site, make_site

from kehoach.store import Database


@pytest.fixture
def site(db: Database, monkeypatch: pytest.MonkeyPatch) -> Site:
    return make_site(db, monkeypatch)


def _warm(site: Site, username: str, task_id: int) -> tuple:
    """A signed-in client that has read the task once (the plans' list cached, as in steady use)."""
    c = site.client(username)
    r = c.get(f"/api/tasks/{task_id}")
    assert r.status_code == 200, r.text
    return c, r.json()["task"]["version"]


def test_a_task_read_is_one_checkout_and_a_few_statements(site: Site) -> None:
    task_id = site.tasks["tc"]
    c, _ = _warm(site, "tc_vl", task_id)
    with counted(site.db) as seen:
        r = c.get(f"/api/tasks/{task_id}")
    assert r.status_code == 200
    assert seen["checkouts"] == 1, seen
    # account, task (with plan and spans), agencies, updates, extensions, comments, files, names
    assert len(seen["sql"]) <= 8, seen["sql"]
    assert all(q.startswith("SELECT") for q in seen["sql"]), seen["sql"]


def test_a_task_page_is_one_checkout(site: Site) -> None:
    task_id = site.tasks["tc"]
    c, _ = _warm(site, "tc_vl", task_id)
    with counted(site.db) as seen:
        r = c.get(f"/tasks/{task_id}")
    assert r.status_code == 200 and "Đẩy nhanh tiến độ giải ngân" in r.text
    assert seen["checkouts"] == 1, seen
    assert len(seen["sql"]) <= 10, seen["sql"]  # the read's, the unread notices, the change poll


def test_an_update_is_one_checkout_one_conditional_update_and_its_inserts(site: Site) -> None:
    task_id = site.tasks["tc"]
    c, version = _warm(site, "tc_vl", task_id)
    with counted(site.db) as seen:
        r = c.post(
            f"/api/tasks/{task_id}/update", json={"percent": 40, "narrative": "Đã giải ngân", "version": version}
        )
    assert r.status_code == 200, r.text
    assert seen["checkouts"] == 1, seen
    sql = seen["sql"]
    # account, task (with plan and spans), agencies; the UPDATE … RETURNING; progress and audit
    assert len(sql) <= 6, sql
    assert sum(q.startswith("UPDATE tasks") for q in sql) == 1
    assert not any("FROM progress_updates" in q for q in sql)  # the history is not read back
    out = r.json()
    assert (out["version"], out["percent"], out["update"]["narrative"]) == (version + 1, 40, "Đã giải ngân")
    audit = site.db.audit(entity="task", entity_id=task_id)
    assert audit[-1]["actor"] == "tc_vl" and audit[-1]["after"]["update_id"] == out["update"]["id"]


def test_a_stale_version_is_refused_and_nothing_is_written(site: Site) -> None:
    task_id = site.tasks["tc"]
    first, version = _warm(site, "tc_vl", task_id)
    second, same = _warm(site, "office_vl", task_id)
    assert same == version
    assert first.post(f"/api/tasks/{task_id}/update", json={"percent": 30, "version": version}).status_code == 200
    before = site.db.task(task_id)
    r = second.post(f"/api/tasks/{task_id}/update", json={"percent": 90, "narrative": "Muộn", "version": version})
    assert r.status_code == 409, r.text
    message = r.json()["error"]["message"]
    assert "đã được người khác cập nhật" in message and "tải lại" in message
    after = site.db.task(task_id)
    assert (after["version"], after["percent"], len(after["updates"])) == (version + 1, 30, 1)
    assert after["updates"] == before["updates"]
    assert len(site.db.audit(entity="task", entity_id=task_id)) == 1


def test_officers_updating_one_version_at_once_one_wins(site: Site) -> None:
    task_id = site.tasks["tc"]
    officers = [_warm(site, username, task_id) for username in ("tc_vl", "office_vl", "admin", "tc_vl")]
    barrier = threading.Barrier(len(officers))
    codes: list[int] = []

    def post(n: int) -> None:
        client, version = officers[n]
        barrier.wait()
        r = client.post(f"/api/tasks/{task_id}/update", json={"percent": 10 * (n + 1), "version": version})
        codes.append(r.status_code)

    threads = [threading.Thread(target=post, args=(n,)) for n in range(len(officers))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(codes) == [200, 409, 409, 409]
    t = site.db.task(task_id)
    assert (t["version"], len(t["updates"])) == (officers[0][1] + 1, 1)
    assert len(site.db.audit(entity="task", entity_id=task_id)) == 1  # no lost update, none unaudited


def test_a_refused_update_writes_nothing(site: Site) -> None:
    task_id = site.tasks["tc"]  # led by Sở Tài chính: Sở Công Thương only coordinates elsewhere
    c, version = _warm(site, "ct_vl", task_id)
    r = c.post(f"/api/tasks/{task_id}/update", json={"percent": 50, "version": version})
    assert r.status_code == 403, r.text
    assert "chỉ cơ quan chủ trì cập nhật tiến độ" in r.json()["error"]["message"]
    assert site.db.task(task_id)["updates"] == [] and site.db.audit(entity="task", entity_id=task_id) == []


def test_a_unit_is_all_or_nothing(db: Database, site: Site) -> None:
    """What a request does lands whole or not at all: an error after a write rolls the write back."""
    task_id = site.tasks["tc"]
    with pytest.raises(RuntimeError), db.unit() as unit:
        db.update_task(task_id, actor="A", percent=20)
        assert db.task(task_id)["percent"] == 20  # the request reads its own write
        raise RuntimeError("after the write")
    assert not unit.open
    assert db.task(task_id)["updates"] == [] and db.audit(entity="task", entity_id=task_id) == []
    with db.unit() as unit:
        db.update_task(task_id, actor="A", percent=20)
        unit.finish(commit=True)
    assert db.task(task_id)["percent"] == 20
