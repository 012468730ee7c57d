"""The pages over many plans read the summaries kept in the database, and give what the same
plans added up from scratch give: the dashboards, "my tasks", a plan, search, a task.

Both ways are real: the stored counts for many plans on a date they hold for, the plans added
up one by one for one plan or an earlier date (`web/summary.py`). Every server process reads
the same database, so a change made through one application is on another's pages at once.
"""

from __future__ import annotations

import copy
from datetime import date, timedelta

import pytest
from test_store_summaries import DATES, busy_register
from test_store_write import counted
from test_web_kit import AS_OF, PASSWORD, TRA_VINH_PLAN, USERS, Site, login, make_site

from kehoach.store import Database
from kehoach.web import accounts, create_app, views
from kehoach.web.summary import added_figures, build, indicator_key, missing_key, stored_figures

DAY = date.fromisoformat(AS_OF)


@pytest.fixture
def site(db: Database, monkeypatch: pytest.MonkeyPatch) -> Site:
    return make_site(db, monkeypatch)


def dashboard(site: Site, user: str, **params: str) -> dict:
    return site.client(user).get("/api/dashboard", params={"as_of": AS_OF} | params).json()


def _figures(db: Database, as_of: date, provinces: list[str] | None, by_plan: bool) -> tuple:
    plans = {p["id"]: p["province"] or "" for p in db.plans() if provinces is None or p["province"] in provinces}
    stored = stored_figures(db, as_of, provinces, lambda p: p, by_plan)
    added = added_figures(build(db, as_of, plans), lambda pid: pid if by_plan else plans[pid])
    return stored, added


def test_stored_counts_and_lists_equal_the_plans_added_up(db: Database) -> None:
    """After a random sequence of writes: every count, list and chart, for every scope, on
    every date the stored counts hold for (and they do hold for most)."""
    busy_register(db, seed=3, writes=60)
    held = 0
    later = [db.today() + timedelta(days=2), date(2026, 3, 1)]
    for as_of in (*DATES, *later):
        for provinces, by_plan in ((None, False), (["Trà Vinh"], True), (["An Giang", "Bình Dương"], False)):
            if not db.summaries.holds(provinces, as_of):
                continue
            held += 1
            stored, added = _figures(db, as_of, provinces, by_plan)
            for part in ("counts", "heat", "groups", "evaluations", "compliance"):
                assert getattr(stored.parts, part) == getattr(added.parts, part), (as_of, provinces, part)
            for name in added.lists:
                assert stored.lists[name] == added.lists[name], (as_of, provinces, name)
            assert (stored.growth, stored.growth_total) == (added.growth, added.growth_total)
            assert stored.parts.counts and stored.lists["ranked"]
    assert held >= 8


def test_pages_are_the_same_after_a_rebuild_from_scratch(site: Site) -> None:
    officer = site.client("tc_vl")
    for state in ("in_progress", "done"):
        r = officer.post(
            f"/api/tasks/{site.tasks['tc']}/update", json={"state": state, "on": AS_OF, "product_number": "12/BC-STC"}
        )
        assert r.status_code == 200, r.text
    pages = {
        "admin": ["/api/dashboard", "/api/search?q=ke+hoach"],
        "office_vl": ["/api/dashboard", f"/api/dashboard?plan={site.tra_vinh}", f"/api/plans/{site.tra_vinh}"],
        "tc_vl": ["/api/tasks/mine", f"/api/tasks/{site.tasks['tc']}", "/api/search?q=tai+chinh"],
    }
    for as_of in (AS_OF, (date.today() + timedelta(days=2)).isoformat()):
        seen = {(u, p): site.client(u).get(p, params={"as_of": as_of}).json() for u, ps in pages.items() for p in ps}
        site.db.rebuild_summaries()
        fresh = Site(site.db, create_app(site.db), site.tra_vinh, site.an_giang)  # nothing cached either
        for (user, path), page in seen.items():
            assert fresh.client(user).get(path, params={"as_of": as_of}).json() == page, (user, path, as_of)


def test_a_change_through_one_process_is_on_anothers_pages_at_once(site: Site, db_url: str) -> None:
    """Two applications on two connections to one database, as two server processes."""
    other = Database(db_url)
    try:
        second = Site(other, create_app(other), site.tra_vinh, site.an_giang)
        before = dashboard(second, "admin")
        r = site.client("tc_vl").post(
            f"/api/tasks/{site.tasks['tc']}/update", json={"state": "done", "on": AS_OF, "product_number": "12/BC-STC"}
        )
        assert r.status_code == 200, r.text
        after = dashboard(second, "admin")
        done = "hoàn thành đúng hạn"
        assert after["totals"][done] == before["totals"][done] + 1
        mine = second.client("tc_vl").get("/api/tasks/mine", params={"as_of": AS_OF}).json()
        assert next(t for t in mine["tasks"] if t["id"] == site.tasks["tc"])["status"] == done
    finally:
        other.close()


def test_a_change_reads_again_only_the_figures_of_its_kind(site: Site, monkeypatch: pytest.MonkeyPatch) -> None:
    """The country's dashboard keeps its task, indicator and report figures apart: a task's
    update reads the task counts again and not the indicators' or the reports' (which did not
    move), a value recorded the indicators' and not the reports'; each shows its change."""
    as_of = (date.today() + timedelta(days=2)).isoformat()
    assert site.db.summaries.holds(None, date.fromisoformat(as_of))  # the stored figures are read
    before = dashboard(site, "admin", as_of=as_of)
    r = site.client("tc_vl").post(
        f"/api/tasks/{site.tasks['tc']}/update", json={"state": "done", "product_number": "12/BC-STC"}
    )
    assert r.status_code == 200, r.text
    read_whole: list[list[int]] = []
    tasks = site.db.tasks

    def recorded(**kwargs: object) -> list[dict]:
        read_whole.append(sorted(kwargs.get("ids") or []))  # type: ignore[arg-type]
        return tasks(**kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(site.db, "tasks", recorded)
    with counted(site.db) as seen:
        after = dashboard(site, "admin", as_of=as_of)
    assert read_whole in ([], [[site.tasks["tc"]]])  # the listed tasks held, but the one changed
    monkeypatch.undo()
    assert sum(after["totals"][s] for s in ("hoàn thành đúng hạn", "hoàn thành quá hạn")) == 1 + sum(
        before["totals"][s] for s in ("hoàn thành đúng hạn", "hoàn thành quá hạn")
    )
    assert not [q for q in seen["sql"] if "indicator_states" in q or "reporting_duties" in q]
    assert [q for q in seen["sql"] if "task_states" in q]
    assert (after["evaluations"], after["compliance"]) == (before["evaluations"], before["compliance"])

    year = str(date.today().year)
    r = site.client("tc_vl").post(
        f"/api/indicators/{site.indicators['tc']}/values", json={"period": year, "value": "9.000"}
    )
    assert r.status_code == 200, r.text
    with counted(site.db) as seen:
        valued = dashboard(site, "admin", as_of=as_of)
    assert [q for q in seen["sql"] if "indicator_states" in q]
    assert not [q for q in seen["sql"] if "reporting_duties" in q or "task_states" in q]
    assert valued["totals"] == after["totals"] and valued["compliance"] == after["compliance"]
    ranked = next(i for i in valued["indicators"] if i["id"] == site.indicators["tc"])
    assert ranked["latest"] is not None and ranked["latest"]["value"] == 9000


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
    one = dashboard(site, "office_vl", plan=str(site.tra_vinh))
    assert one["tasks"] == 4  # the one plan's
    assert {p["id"] for p in one["plans"]} == {site.tra_vinh, other}  # the filter still offers the others
    both = dashboard(site, "office_vl", as_of=(date.today() + timedelta(days=2)).isoformat())
    assert [r["plan_id"] for r in both["per_plan"]] == [site.tra_vinh, other] and both["tasks"] == 8


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


def test_search_stops_at_its_limit_and_says_there_is_more(site: Site) -> None:
    reg = views.Register(site.db, accounts.authenticate(site.db, "admin", PASSWORD), DAY, views.Memo())
    everything = views.search_ctx(reg, "ke hoach")  # every plan's "Tổng kết thực hiện kế hoạch."
    assert len(everything["tasks"]) == 2 and not everything["more"]
    first = views.search_ctx(reg, "KE HOACH", limit=1)
    assert first["tasks"] == everything["tasks"][:1] and first["more"]
    assert first["total"] == len(first["plans"]) + 1 + len(first["indicators"])
    assert views.search_ctx(reg, "ke hoach khong co")["tasks"] == []
    office = views.Register(site.db, accounts.authenticate(site.db, "office_ag", PASSWORD), DAY, views.Memo())
    assert {t["plan_id"] for t in views.search_ctx(office, "ke hoach")["tasks"]} == {site.an_giang}


def test_every_account_signs_in_and_sees_its_home(site: Site) -> None:
    for username, role, *_ in USERS:
        c = site.client()
        login(c, username)
        assert c.get("/api/session").json()["user"]["role"] == role
