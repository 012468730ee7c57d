"""Plan summaries: a change recomputes only its plan, and the running totals stay exact."""

from __future__ import annotations

import copy
import threading
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select
from test_web_kit import AS_OF, PASSWORD, TRA_VINH_PLAN, Site, make_site

from kehoach.store import AuditEntry, Database
from kehoach.store.web import session
from kehoach.web import accounts, create_app, views
from kehoach.web.summary import Summaries, indicator_key, keep_warm, missing_key

DAY = date.fromisoformat(AS_OF)


@pytest.fixture
def site(db: Database, monkeypatch: pytest.MonkeyPatch) -> Site:
    return make_site(db, monkeypatch)


def dashboard(site: Site, user: str) -> dict:
    return site.client(user).get("/api/dashboard", params={"as_of": AS_OF}).json()


def test_a_change_recomputes_only_the_plan_it_touches(site: Site) -> None:
    summaries: Summaries = site.app.state.summaries
    before = summaries.get(site.db, DAY, [site.tra_vinh, site.an_giang])
    again = summaries.get(site.db, DAY, [site.tra_vinh, site.an_giang])
    assert again[site.tra_vinh] is before[site.tra_vinh] and again[site.an_giang] is before[site.an_giang]

    r = site.client("tc_vl").post(
        f"/api/tasks/{site.tasks['tc']}/update", json={"state": "done", "on": AS_OF, "product_number": "12/BC-STC"}
    )
    assert r.status_code == 200, r.text
    after = summaries.get(site.db, DAY, [site.tra_vinh, site.an_giang])
    assert after[site.tra_vinh] is not before[site.tra_vinh]
    assert after[site.an_giang] is before[site.an_giang]
    done = [t for t in after[site.tra_vinh].tasks if t["id"] == site.tasks["tc"]]
    assert done[0]["status"] == "hoàn thành đúng hạn"


def test_running_totals_equal_a_fresh_count_after_changes(site: Site) -> None:
    admin = site.client("admin")
    first = admin.get("/api/dashboard", params={"as_of": AS_OF}).json()
    officer = site.client("tc_vl")
    for state in ("in_progress", "done", "in_progress"):
        r = officer.post(
            f"/api/tasks/{site.tasks['tc']}/update", json={"state": state, "on": AS_OF, "product_number": "12/BC-STC"}
        )
        assert r.status_code == 200, r.text
        admin.get("/api/dashboard", params={"as_of": AS_OF})  # the totals follow each change
    r = officer.post(
        f"/api/tasks/{site.tasks['tc']}/update", json={"state": "done", "on": AS_OF, "product_number": "12/BC-STC"}
    )
    kept = admin.get("/api/dashboard", params={"as_of": AS_OF}).json()

    fresh_app = create_app(site.db)
    fresh = Site(site.db, fresh_app, site.tra_vinh, site.an_giang).client("admin")
    recounted = fresh.get("/api/dashboard", params={"as_of": AS_OF}).json()
    for key in ("totals", "heat", "per_province", "evaluations", "compliance", "overdue", "due_soon", "indicators"):
        assert kept[key] == recounted[key], key
    moved = {s: kept["totals"][s] - first["totals"][s] for s in kept["totals"]}
    assert moved["hoàn thành đúng hạn"] == 1 and sum(moved.values()) == 0


def test_a_country_is_shown_by_province_and_a_province_by_plan(site: Site) -> None:
    country = dashboard(site, "admin")
    assert [r["province"] for r in country["per_province"]] == ["An Giang", "Vĩnh Long"]
    assert country["per_plan"] == [] and len(country["plans"]) == 2  # few enough to choose from
    assert sum(r["total"] for r in country["per_province"]) == country["tasks"] == 8

    province = dashboard(site, "office_vl")
    assert province["per_province"] == []
    assert [r["plan_id"] for r in province["per_plan"]] == [site.tra_vinh]
    assert [p["id"] for p in province["plans"]] == [site.tra_vinh]
    assert province["tasks"] == 4
    second = copy.deepcopy(TRA_VINH_PLAN) | {"source": "kh-3.txt"}
    second["document"] = TRA_VINH_PLAN["document"] | {"number": "3/KH-UBND", "province": "Vĩnh Long"}
    other = site.db.ingest(second).plan_id
    one = site.client("office_vl").get("/api/dashboard", params={"as_of": AS_OF, "plan": site.tra_vinh}).json()
    assert one["tasks"] == 4  # the one plan's
    assert {p["id"] for p in one["plans"]} == {site.tra_vinh, other}  # the filter still offers the others


def test_an_audit_entry_committed_late_is_still_seen(site: Site) -> None:
    """Ids are taken at insert and seen at commit: an entry may appear below ids already read."""
    summaries = Summaries()
    ids = [site.tra_vinh, site.an_giang]
    summaries.get(site.db, DAY, ids)
    with session(site.db) as s:
        top = s.scalar(select(func.max(AuditEntry.id)))
        s.add(entry(top + 10, "plan", site.an_giang))
    first = summaries.get(site.db, DAY, ids)
    with session(site.db) as s:
        s.add(entry(top + 5, "task", site.tasks["tc"]))  # a Trà Vinh task, committed after top + 10
    second = summaries.get(site.db, DAY, ids)
    assert second[site.tra_vinh] is not first[site.tra_vinh]
    assert second[site.an_giang] is first[site.an_giang]


def entry(id_: int, entity: str, entity_id: int) -> AuditEntry:
    return AuditEntry(id=id_, at=datetime.now(UTC), actor="test", action="test", entity=entity, entity_id=entity_id)


@pytest.mark.parametrize(
    ("indicators", "order"),
    [
        (  # missed first, then no data, then not due, then met and exceeded
            [(1, "đạt", False), (2, "không đạt", False), (3, "vượt", False), (4, "chưa có số liệu", False)],
            [2, 4, 1, 3],
        ),
        ([(1, "chưa đến hạn", False), (2, "chưa đến hạn", True)], [2, 1]),  # hard to meet comes first
    ],
)
def test_indicators_needing_attention_come_first(indicators: list[tuple], order: list[int]) -> None:
    items = [{"id": i, "plan_id": 1, "evaluation": e, "hard_to_meet": h} for i, e, h in indicators]
    assert [i["id"] for i in sorted(items, key=indicator_key)] == order


def test_missing_reports_latest_first() -> None:
    rows = [
        {"due": "2025-03-20", "agency": "B", "plan_id": 1},
        {"due": "2025-05-20", "agency": "A", "plan_id": 1},
        {"due": "2025-05-20", "agency": "C", "plan_id": 1},
        {"due": "2025-05-20", "agency": "C", "plan_id": 2},
    ]
    for r in rows:
        r |= {"duty_id": r["plan_id"], "agency_id": 1}
    got = [(r["agency"], r["plan_id"]) for r in sorted(rows, key=missing_key)]
    assert got == [("C", 2), ("C", 1), ("A", 1), ("B", 1)]


def test_other_dates_do_not_push_out_today(site: Site) -> None:
    summaries = Summaries(days=1)
    ids = [site.tra_vinh, site.an_giang]
    today = summaries.get(site.db, date.today(), ids)
    first = summaries.get(site.db, DAY, ids)
    for day in (date(2025, 3, 31), date(2025, 9, 30)):
        summaries.get(site.db, day, ids)
    again = summaries.get(site.db, date.today(), ids)
    assert all(again[p] is today[p] for p in ids)  # kept
    assert summaries.get(site.db, DAY, ids)[site.tra_vinh] is not first[site.tra_vinh]  # read again


def test_search_stops_at_its_limit_and_says_there_is_more(site: Site) -> None:
    reg = views.Register(site.db, accounts.authenticate(site.db, "admin", PASSWORD), DAY, views.Memo())
    everything = views.search_ctx(reg, "ke hoach")  # every plan's "Tổng kết thực hiện kế hoạch."
    assert len(everything["tasks"]) == 2 and not everything["more"]
    first = views.search_ctx(reg, "KE HOACH", limit=1)
    assert first["tasks"] == everything["tasks"][:1] and first["more"]
    assert first["total"] == len(first["plans"]) + 1 + len(first["indicators"])
    assert views.search_ctx(reg, "ke hoach khong co")["tasks"] == []


def test_keep_warm_reads_every_plan_for_today_before_anyone_asks(site: Site) -> None:
    summaries, stop = Summaries(), threading.Event()
    stop.set()  # one pass
    keep_warm(site.db, summaries, stop)
    assert set(summaries._cache[date.today()]) == {site.tra_vinh, site.an_giang}
