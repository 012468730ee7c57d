"""The audit log ("Nhật ký") in words, a page at a time, filtered; on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import update
from test_web_kit import AS_OF, PASSWORD, TRA_VINH_PLAN, Site, login, make_site

from kehoach.store import AuditEntry, Database
from kehoach.vn import today
from kehoach.web import accounts, auditlog

TC_TASK = TRA_VINH_PLAN["tasks"][0]["text"]


@pytest.fixture
def site(db: Database, monkeypatch: pytest.MonkeyPatch) -> Site:
    site = make_site(db, monkeypatch)
    accounts.create_user(
        db, "an.tc", PASSWORD, role="officer", province="Vĩnh Long", agency="Sở Tài chính", name="Nguyễn Văn An"
    )
    return site


def _update(site: Site, username: str, **form: object) -> None:
    c = site.client()
    login(c, username)
    version = c.get(f"/api/tasks/{site.tasks['tc']}").json()["task"]["version"]
    r = c.post(f"/api/tasks/{site.tasks['tc']}/update", json=form | {"version": version})
    assert r.status_code == 200, r.text


def test_an_update_reads_as_a_sentence_with_before_and_after(site: Site) -> None:
    _update(site, "an.tc", state="in_progress", percent="40")
    _update(site, "an.tc", state="done", percent="60", product_number="125/BC-STC")
    entries = site.client("office_vl").get("/api/audit").json()["entries"]
    first = entries[0]
    assert first["text"] == (
        f"Nguyễn Văn An cập nhật nhiệm vụ «{TC_TASK}»: tiến độ 40 % → 60 %, "
        f"trạng thái Đang thực hiện → Hoàn thành, ngày hoàn thành (trống) → {today().strftime('%d/%m/%Y')}, "
        "văn bản sản phẩm (trống) → 125/BC-STC"
    )
    assert first["who"] == {"name": "Nguyễn Văn An", "agency": "Sở Tài chính", "role": "Cán bộ sở, ngành"}
    assert first["subject"]["link"] == f"/tasks/{site.tasks['tc']}"
    assert entries[1]["text"].startswith("Nguyễn Văn An cập nhật nhiệm vụ «")
    assert "trạng thái Chưa thực hiện → Đang thực hiện" in entries[1]["text"]


@pytest.mark.any_database
def test_the_page_shows_words_not_codes(site: Site) -> None:
    _update(site, "an.tc", state="in_progress", percent="40")
    site.client("office_vl").post(
        f"/api/tasks/{site.tasks['tc']}/extensions", json={"new_due": "31/12/2025", "granted_by": "Chủ tịch UBND tỉnh"}
    )
    html = site.client("office_vl").get("/audit").text
    assert "Nguyễn Văn An" in html and "cập nhật nhiệm vụ" in html and "gia hạn nhiệm vụ" in html
    assert "30/06/2025" in html and "31/12/2025" in html  # the deadline, before → after
    for raw in ("not_started", "in_progress", '"state"', ">update<", "task 1", "&#34;"):
        assert raw not in html, raw


def test_pages_follow_each_other_without_gaps_or_repeats(site: Site) -> None:
    for n in range(60):
        site.db.record_value(site.indicators["tc"], "2025-Q1", 1000 + n, actor="tc_vl")
    c = site.client("office_vl")
    first = c.get("/api/audit").json()
    assert len(first["entries"]) == auditlog.PAGE_SIZE and first["more"] and not first["newer"]
    second = c.get(f"/api/audit?before={first['last_id']}").json()
    assert second["newer"]
    ids = [e["id"] for e in first["entries"] + second["entries"]]
    assert ids == sorted(ids, reverse=True) and len(set(ids)) == len(ids)
    back = c.get(f"/api/audit?after={second['first_id']}").json()
    assert [e["id"] for e in back["entries"]] == [e["id"] for e in first["entries"]]
    assert not back["newer"] and back["more"]
    # a value entered over another reads as the change it was
    assert first["entries"][0]["text"].endswith(
        "nhập số liệu chỉ tiêu «Thu ngân sách đạt»: kỳ Quý I năm 2025, giá trị 1.059 (ước thực hiện), thay cho 1.058"
    )
    page = c.get(f"/audit?before={first['last_id']}").text
    assert 'rel="prev"' in page and "Mới hơn" in page


def test_filters_by_person_department_and_plan(site: Site) -> None:
    _update(site, "an.tc", state="in_progress", percent="40")
    site.client("ct_vl").post(f"/api/tasks/{site.tasks['ct']}/update", json={"state": "in_progress", "percent": 10})
    site.client("tc_ag").post(f"/api/tasks/{site.tasks['ag_tc']}/update", json={"state": "in_progress"})
    c = site.client("office_vl")
    by_person = c.get("/api/audit", params={"actor": "an.tc"}).json()["entries"]
    assert {e["actor"] for e in by_person} == {"an.tc"} and len(by_person) == 1
    by_department = c.get("/api/audit", params={"agency": "Sở Công Thương"}).json()["entries"]
    assert {e["actor"] for e in by_department} == {"ct_vl"}
    assert all(e["subject"]["link"] == f"/tasks/{site.tasks['ct']}" for e in by_department)
    by_plan = c.get("/api/audit", params={"plan": site.tra_vinh}).json()["entries"]
    assert {e["actor"] for e in by_plan} >= {"an.tc", "ct_vl"} and "tc_ag" not in {e["actor"] for e in by_plan}
    # another province's entries are never shown, and its plan cannot be asked for
    assert "tc_ag" not in {e["actor"] for e in c.get("/api/audit").json()["entries"]}
    assert c.get("/api/audit", params={"plan": site.an_giang}).status_code in (403, 404)
    ctx = c.get("/api/audit").json()
    assert "Sở Tài chính" in ctx["agencies"] and "an.tc" in {u["username"] for u in ctx["people"]}
    assert {u["username"] for u in ctx["people"]}.isdisjoint({"office_ag", "tc_ag"})


def test_filter_by_days_in_vietnam_time(site: Site) -> None:
    _update(site, "an.tc", state="in_progress", percent="40")
    entry = site.db.audit(entity="task", entity_id=site.tasks["tc"])[-1]
    # 17:30 UTC on 10 June is 00:30 on 11 June in Vietnam: the entry belongs to the 11th
    with site.db.engine.begin() as conn:
        conn.execute(
            update(AuditEntry).where(AuditEntry.id == entry["id"]).values(at=datetime(2025, 6, 10, 17, 30, tzinfo=UTC))
        )
    c = site.client("office_vl")

    def ids(**params: str) -> set[int]:
        return {e["id"] for e in c.get("/api/audit", params=params).json()["entries"]}

    assert entry["id"] in ids(start="11/06/2025", end="11/06/2025")
    assert entry["id"] not in ids(start="10/06/2025", end="10/06/2025")
    assert entry["id"] not in ids(start="12/06/2025")
    assert entry["id"] in ids(start="2025-06-01", end="2025-06-30")
    assert "11/06/2025 00:30" in c.get("/audit?start=2025-06-11&end=2025-06-11").text


@pytest.mark.any_database
def test_bad_filters_name_the_field_in_vietnamese(site: Site) -> None:
    c = site.client("office_vl")
    r = c.get("/api/audit", params={"start": "31/02/2025"})
    assert r.status_code == 422 and r.json()["error"]["field"] == "start"
    assert "Từ ngày" in r.json()["error"]["message"]
    r = c.get("/api/audit", params={"start": "10/06/2025", "end": "01/06/2025"})
    assert r.status_code == 422 and r.json()["error"]["field"] == "end"
    assert c.get("/api/audit", params={"before": "abc"}).status_code == 422


def test_every_kind_of_change_reads_in_vietnamese(site: Site) -> None:
    site.db.record_value(site.indicators["tc"], "2025-Q1", 5, actor="tc_vl")
    site.db.edit_duty(site.duties["tv"], actor="office_vl", frequency="quarterly", day=15)
    site.db.submit_report(site.duties["tv"], "Sở Tài chính", "2025-05", AS_OF, actor="tc_vl")
    site.client("tc_vl").post(f"/api/tasks/{site.tasks['ct_coord_tc']}/comments", json={"text": "Đề nghị phối hợp"})
    site.client("admin").post("/api/users/tc_ag/active", json={"active": False})
    entries = site.client("admin").get("/api/audit").json()["entries"]
    texts = [e["text"] for e in entries]
    assert any(t.startswith("admin khóa tài khoản «") for t in texts)
    assert any("góp ý về nhiệm vụ «Rà soát cơ chế" in t for t in texts)
    assert any("ghi nhận đã gửi báo cáo theo chế độ «" in t and "tháng 5 năm 2025" in t for t in texts)
    assert any("sửa chế độ báo cáo «" in t and "tần suất hằng tháng → hằng quý" in t for t in texts)
    assert any("nhập số liệu chỉ tiêu «Thu ngân sách đạt»" in t and "Quý I năm 2025" in t for t in texts)
    assert any(t.startswith("kehoach nạp kế hoạch «1/KH-UBND") for t in texts)
    assert any("thêm tài khoản «" in t and "vai trò Cán bộ sở, ngành" in t for t in texts)
    for e in entries:  # words, never the log's codes or JSON
        assert "_" not in e["verb"] and not {"{", '"'} & set(e["text"]), e["text"]
        assert all("_" not in c["label"] for c in e["changes"]), e["changes"]


def test_the_store_pages_by_id_and_filters_in_sql(site: Site) -> None:
    for n in range(7):
        site.db.record_value(site.indicators["tc"], "2025-Q1", n, actor="tc_vl")
    page = site.db.audit_page(provinces={"Trà Vinh"}, actor="tc_vl", limit=3)
    assert len(page["entries"]) == 3 and page["more"] and not page["newer"]
    rest = site.db.audit_page(provinces={"Trà Vinh"}, actor="tc_vl", limit=3, before=page["entries"][-1]["id"])
    last = site.db.audit_page(provinces={"Trà Vinh"}, actor="tc_vl", limit=3, before=rest["entries"][-1]["id"])
    assert [len(p["entries"]) for p in (rest, last)] == [3, 1] and not last["more"]
    assert site.db.audit_page(provinces={"An Giang"}, actor="tc_vl")["entries"] == []
    assert site.db.audit_page(provinces=set())["entries"] == []
    subjects = site.db.audit_subjects(page["entries"])
    assert subjects[f"indicator:{site.indicators['tc']}"]["name"] == "Thu ngân sách đạt"


def test_a_rare_filter_is_found_past_the_newest_entries(site: Site, monkeypatch: pytest.MonkeyPatch) -> None:
    """A page first walks the newest entries; what is not among them is read through the indexes
    (the window made small here, so that a few entries stand for a province's thousands)."""
    from kehoach.store import audit

    monkeypatch.setattr(audit, "WINDOW", 4)
    for n in range(3):
        site.db.record_value(site.indicators["ct"], "2025-Q1", n, actor="ct_vl")
    for n in range(12):  # newer entries about another plan push them out of the window
        site.db.record_value(site.indicators["ag_tc"], "2025-Q1", n, actor="tc_ag")
    scope = {"Trà Vinh", "Vĩnh Long"}
    page = site.db.audit_page(provinces=scope, agency="Sở Công Thương", limit=2)
    assert [e["after"]["value"] for e in page["entries"]] == [2, 1] and page["more"] and not page["newer"]
    rest = site.db.audit_page(provinces=scope, agency="Sở Công Thương", limit=2, before=page["entries"][-1]["id"])
    assert [e["after"]["value"] for e in rest["entries"]] == [0] and rest["newer"]
    back = site.db.audit_page(provinces=scope, agency="Sở Công Thương", limit=2, after=rest["entries"][0]["id"])
    assert [e["id"] for e in back["entries"]] == [e["id"] for e in page["entries"]]
    mixed = site.db.audit_page(limit=20)  # no filter: the newest first, across the window's edge
    ids = [e["id"] for e in mixed["entries"]]
    assert ids == sorted(ids, reverse=True) and len(ids) == 20


@pytest.mark.parametrize("window", [3, 20_000])
def test_a_province_s_pages_are_its_entries_of_every_kind(
    site: Site, monkeypatch: pytest.MonkeyPatch, window: int
) -> None:
    """Tasks, indicators, reports and plans of two provinces, interleaved: a province's pages, read
    to the end, are exactly the entries about its plans, newest first, whether they were found
    among the newest (each entry's record looked up) or past them (through the indexes)."""
    from kehoach.store import audit

    monkeypatch.setattr(audit, "WINDOW", window)
    for n in range(4):
        for task, actor in ((site.tasks["tc"], "tc_vl"), (site.tasks["ag_tc"], "tc_ag")):
            site.db.update_task(task, actor=actor, percent=10 * n + 5)
        site.db.record_value(site.indicators["ag_tc"], "2025-Q1", n, actor="tc_ag")
        site.db.record_value(site.indicators["tc"], "2025-Q1", n, actor="tc_vl")
    for duty in (site.duties["ag"], site.duties["tv"]):
        site.db.submit_report(duty, "Sở Tài chính", "2025-05", date(2025, 6, 5), actor="tc")
    for province, plan in (({"Trà Vinh", "Vĩnh Long"}, site.tra_vinh), ({"An Giang"}, site.an_giang)):
        want = [e["id"] for e in site.db.audit(plans=[plan], newest_first=True)]
        got: list[int] = []
        page = site.db.audit_page(provinces=province, limit=3)
        while True:
            got += [e["id"] for e in page["entries"]]
            if not page["more"]:
                break
            page = site.db.audit_page(provinces=province, limit=3, before=got[-1])
        assert got == want and len(want) >= 10, province


@pytest.mark.parametrize(
    ("entry", "expected"),
    [
        (
            {"entity": "draft", "action": "correct", "after": {"what": "merge tasks[1] tasks[2]"}},
            "Chị Hoa sửa bản rà soát «kh.docx»: gộp nhiệm vụ 2 với nhiệm vụ 3",
        ),
        (
            {"entity": "draft", "action": "correct", "after": {"what": "split tasks[0]", "tasks": [{}, {}, {}]}},
            "Chị Hoa sửa bản rà soát «kh.docx»: tách nhiệm vụ 1 thành 3 nhiệm vụ",
        ),
        (
            {"entity": "draft", "action": "correct", "after": {"what": "delete tasks[4]"}},
            "Chị Hoa sửa bản rà soát «kh.docx»: xóa nhiệm vụ 5",
        ),
        (
            {
                "entity": "draft",
                "action": "correct",
                "before": {"task": {"lead": ["Sở Công Thương"], "deadline": None}},
                "after": {
                    "what": "tasks[3]",
                    "task": {"lead": ["Sở Tài chính"], "deadline": {"text": "Quý II/2026", "due": "2026-06-30"}},
                },
            },
            "Chị Hoa sửa bản rà soát «kh.docx»: nhiệm vụ 4; chủ trì Sở Công Thương → Sở Tài chính, "
            "thời hạn (trống) → Quý II/2026 (30/06/2026)",
        ),
        (
            {
                "entity": "plan",
                "action": "ingest",
                "after": {"version": 2, "tasks": 80, "diff": {"added": 3, "removed": 1}},
            },
            "Chị Hoa nạp kế hoạch «371/KH-UBND Chuyển đổi số»: phiên bản 2, 80 nhiệm vụ, thêm 3, bỏ 1",
        ),
        (
            {"entity": "task", "action": "attach", "after": {"file": "bao-cao.pdf", "size": 1000, "role": "output"}},
            "Chị Hoa đính kèm tệp vào nhiệm vụ «Lập quy hoạch»: bao-cao.pdf",
        ),
        (
            {"entity": "agency", "action": "refresh", "after": {"changed": 4}},
            "Chị Hoa cập nhật sáp nhập cơ quan: 4 liên kết thay đổi",
        ),
        (
            {"entity": "task", "action": "future", "after": {"x_y": 1}},
            "Chị Hoa thay đổi nhiệm vụ «Lập quy hoạch»: x_y 1",
        ),
        ({"entity": "task", "action": "update", "entity_id": 999}, "Chị Hoa cập nhật nhiệm vụ «nhiệm vụ số 999»"),
    ],
)
def test_each_kind_of_entry_in_words(entry: dict, expected: str) -> None:
    subjects = {
        "actor:hoa": {"name": "Chị Hoa", "role": "office", "agency": None},
        "draft:1": {"source": "kh.docx", "plan_id": None},
        "plan:1": {"number": "371/KH-UBND", "title": "Chuyển đổi số"},
        "task:1": {"text": "Lập quy hoạch", "plan_id": 1},
    }
    full = {"id": 1, "at": "2026-12-07T00:00:00+00:00", "actor": "hoa", "entity_id": 1, "before": None} | entry
    assert auditlog.describe(full, subjects)["text"] == expected
