"""Reads scoped to plans or ids give exactly the national reads filtered to them.

The register: a hand-written Bình Dương plan (Sở Kế hoạch và Đầu tư → Sở Tài chính on 1/3/2025,
Bình Dương → Thành phố Hồ Chí Minh on 1/7/2025) revised once, and the Trà Vinh sample plan;
with progress updates, extensions, a met condition, indicator values, report submissions
and an edited reporting duty.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from datetime import date

import pytest
from conftest import downgrade, load_plan
from sqlalchemy import select

from kehoach.store import AuditEntry, Database, NotFoundError, ValidationError
from kehoach.store.web import Draft

TRA_VINH = "002_23dbc6410858588b.json"  # 77/QĐ-UBND, Trà Vinh, 83 tasks, 99 indicator targets
KH_DT = "Sở Kế hoạch và Đầu tư"
MERGED_INTO = "Sở Tài chính"  # KH_DT from 1 March 2025: it owes the reports due from then
AS_OFS = (date(2025, 2, 1), date(2025, 8, 1), date(2026, 1, 1))
FAR = [10**6 + i for i in range(1200)]  # ids of nothing, enough to need several IN lists


def _task(text: str, lead: list[str], due: str | None = None, *, recurring: bool = False, condition=None) -> dict:
    deadline = None
    if due or recurring or condition:
        deadline = {"text": due or "Thường xuyên", "due": due, "recurring": recurring, "condition": condition}
    return {"section": "Nhiệm vụ", "text": text, "lead": lead, "coordinate": [], "monitor": [], "deadline": deadline}


def _binh_duong() -> dict:
    return {
        "format": "plan/v1",
        "document": {
            "doc_type": "KẾ HOẠCH",
            "number": "12/KH-UBND",
            "issuer": "Ủy ban nhân dân tỉnh Bình Dương",
            "province": "Bình Dương",
            "issued_date": "2025-01-10",
            "title": "Cải cách hành chính năm 2025",
        },
        "tasks": [
            _task("Xây dựng kế hoạch đầu tư công năm 2025.", [KH_DT], "2025-12-31"),
            _task("Rà soát thủ tục hành chính.", ["Sở Tư pháp"], "2025-06-30"),
            _task("Báo cáo tình hình cải cách hành chính.", [KH_DT], recurring=True),
            _task("Triển khai sau khi có hướng dẫn của Bộ.", ["Sở Nội vụ"], condition="khi có hướng dẫn của Bộ"),
            _task("Tổ chức hội nghị sơ kết.", ["Văn phòng Ủy ban nhân dân tỉnh"], "2025-07-15"),
        ],
        "indicators": [
            {
                "group": "Chỉ tiêu",
                "text": "Tỷ lệ hồ sơ giải quyết đúng hạn đạt trên 98%",
                "agency": ["Sở Nội vụ"],
                "year": "2025",
                "targets": [{"name": "Tỷ lệ hồ sơ đúng hạn", "comparator": ">=", "value": 98, "unit": "%"}],
            }
        ],
        "reporting": [
            {
                "reporters": [KH_DT, "Sở Tư pháp"],
                "recipient": "Ủy ban nhân dân tỉnh",
                "frequency": "quarterly",
                "deadlines": [],
                "text": "Định kỳ hằng quý báo cáo kết quả cải cách hành chính.",
            },
            {
                "reporters": ["Sở Nội vụ"],
                "recipient": "Ủy ban nhân dân tỉnh",
                "frequency": "once",
                "deadlines": ["2025-11-30"],
                "text": "Báo cáo tổng kết năm trước ngày 30/11/2025.",
            },
        ],
    }


@dataclass
class Register:
    bd: int  # Bình Dương plan, version 2
    tv: int  # Trà Vinh plan
    bd_kh: int  # its task led by Sở Kế hoạch và Đầu tư (Bình Dương)
    removed_task: int  # dropped by version 2, with an update before
    removed_duty: int  # reworded away by version 2


def _register(db: Database) -> Register:
    plan = _binh_duong()
    bd = db.ingest(plan, actor="Văn thư").plan_id
    tv = db.ingest(load_plan(TRA_VINH), actor="Văn thư").plan_id
    assert bd != tv
    tasks = {t["text"]: t["id"] for t in db.tasks(plan=bd)}
    bd_kh = tasks["Xây dựng kế hoạch đầu tư công năm 2025."]
    db.update_task(bd_kh, actor="A", state="đang thực hiện", percent=40, on=date(2025, 3, 10))
    db.extend_deadline(tasks["Rà soát thủ tục hành chính."], date(2025, 9, 30), granted_by="Chủ tịch UBND", actor="A")
    db.mark_condition(tasks["Triển khai sau khi có hướng dẫn của Bộ."], date(2025, 4, 1), actor="A")
    db.update_task(
        tasks["Báo cáo tình hình cải cách hành chính."],
        actor="A",
        state="done",
        period="2025-Q1",
        product_number="15/BC-SKHĐT",
        on=date(2025, 3, 25),
    )
    removed_task = tasks["Tổ chức hội nghị sơ kết."]
    db.update_task(removed_task, actor="A", percent=10, on=date(2025, 2, 1))
    tv_tasks = db.tasks(plan=tv)
    db.update_task(tv_tasks[0]["id"], actor="B", percent=30, on=date(2025, 2, 15))
    db.update_task(tv_tasks[1]["id"], actor="B", state="done", product_number="20/QĐ-UBND", on=date(2025, 5, 5))
    db.extend_deadline(tv_tasks[2]["id"], date(2026, 6, 30), granted_by="Chủ tịch UBND", actor="B")
    grdp = db.indicators(plan=tv, text="Tăng trưởng GRDP")[0]["id"]
    db.record_value(grdp, "2025-H1", 7.1, cumulative=True, actor="Cục Thống kê", on=date(2025, 7, 5))
    rate = db.indicators(plan=bd)[0]["id"]
    db.record_value(rate, "2025-Q1", 97.5, actor="Sở Nội vụ", on=date(2025, 4, 10))
    db.set_lower_is_better(rate, False, actor="A")
    duties = {d["text"]: d for d in db.duties()}
    quarterly = duties["Định kỳ hằng quý báo cáo kết quả cải cách hành chính."]["id"]
    db.submit_report(quarterly, MERGED_INTO, "2025-Q1", date(2025, 3, 18), actor="A")
    db.submit_report(quarterly, "Sở Tư pháp", "2025-Q1", date(2025, 4, 2), actor="A")
    db.submit_report(quarterly, MERGED_INTO, "2025-Q2", date(2025, 6, 20), actor="A")
    monthly = next(d for d in db.duties(plan=tv) if d["reporters"] == [KH_DT])["id"]
    db.submit_report(monthly, KH_DT, "2025-01", date(2025, 1, 18), actor="B")
    db.submit_report(monthly, KH_DT, "2025-02", date(2025, 2, 28), actor="B")  # late, before the merger
    db.edit_duty(quarterly, actor="A", day=15)
    removed_duty = duties["Báo cáo tổng kết năm trước ngày 30/11/2025."]["id"]
    revised = copy.deepcopy(plan)
    revised["tasks"].pop()  # the conference is dropped
    revised["reporting"][1]["text"] = "Báo cáo tổng kết năm gửi Ủy ban nhân dân tỉnh trước ngày 30/11/2025."
    assert db.ingest(revised, actor="Văn thư").version == 2
    return Register(bd, tv, bd_kh, removed_task, removed_duty)


def _subsets(r: Register) -> list[list[int]]:
    return [[r.bd], [r.tv], [r.bd, r.tv], [], [r.bd, *FAR]]


def test_tasks_by_plans_and_ids_are_the_register_filtered(db: Database) -> None:
    r = _register(db)
    for as_of in AS_OFS:
        full = db.tasks(as_of=as_of)
        assert {t["plan_id"] for t in full} == {r.bd, r.tv}
        for plans in _subsets(r):
            assert db.tasks(plans=plans, as_of=as_of) == [t for t in full if t["plan_id"] in plans]
        assert db.tasks(plans=(r.bd, r.tv, *FAR), as_of=as_of) == full
        some = [t["id"] for t in full[::7]]
        assert db.tasks(ids=some, as_of=as_of) == [t for t in full if t["id"] in some]
        assert db.tasks(ids=[*reversed([t["id"] for t in full]), *FAR], as_of=as_of) == full
        assert db.tasks(ids=some, plans=[r.tv], as_of=as_of) == [
            t for t in full if t["id"] in some and t["plan_id"] == r.tv
        ]
        assert db.tasks(ids=[], as_of=as_of) == []
    removed = db.tasks(include_removed=True, as_of=AS_OFS[1])
    scoped = db.tasks(plans=[r.bd], include_removed=True, as_of=AS_OFS[1])
    assert scoped == [t for t in removed if t["plan_id"] == r.bd]
    assert r.removed_task in {t["id"] for t in scoped} - {t["id"] for t in db.tasks(plans=[r.bd])}
    assert db.tasks(ids=[r.removed_task], include_removed=True) == db.tasks(
        plan=r.bd, include_removed=True, text="hội nghị sơ kết"
    )
    assert db.tasks(ids=[r.removed_task]) == []
    assert db.tasks(plan=r.bd, plans=[r.tv]) == []
    assert db.tasks(plan=r.bd, plans=[r.bd, r.tv]) == db.tasks(plan=r.bd)
    # the other filters apply as before
    for kwargs in (
        {"agency": KH_DT},
        {"agency": "Sở Tài chính", "province": "Vĩnh Long", "as_of": date(2025, 8, 1)},
        {"status": "quá hạn", "as_of": date(2026, 1, 1)},
        {"text": "ke hoach"},
        {"due_before": date(2025, 7, 1), "roles": ("lead", "coordinate", "monitor")},
    ):
        full = db.tasks(**kwargs)
        assert full, kwargs
        for plans in _subsets(r):
            assert db.tasks(plans=plans, **kwargs) == [t for t in full if t["plan_id"] in plans], kwargs
    # an agency of the register that no task of these plans names: nothing found, not an error
    assert db.tasks(agency="Ủy ban nhân dân cấp huyện")
    assert db.tasks(agency="Ủy ban nhân dân cấp huyện", plans=[r.bd]) == []
    with pytest.raises(NotFoundError, match="không có cơ quan nào tên"):
        db.tasks(agency="Sở Không Tồn Tại", plans=[r.bd])


def test_owner_now_follows_successors_with_one_plan_loaded(db: Database) -> None:
    r = _register(db)
    owners = {
        date(2025, 1, 20): ["Sở Kế hoạch và Đầu tư (Bình Dương)"],
        date(2025, 4, 1): ["Sở Tài chính (Bình Dương)"],
        date(2026, 1, 1): ["Sở Tài chính (Thành phố Hồ Chí Minh)"],
    }
    for as_of, owner in owners.items():
        (by_plan,) = [t for t in db.tasks(plans=[r.bd], as_of=as_of) if t["id"] == r.bd_kh]
        (by_id,) = db.tasks(ids=[r.bd_kh], as_of=as_of)
        assert by_plan["owner_now"] == by_id["owner_now"] == db.task(r.bd_kh, as_of=as_of)["owner_now"] == owner
    # no task names Sở Tài chính of Thành phố Hồ Chí Minh: it is reached through the successor links
    hcm = db.tasks(agency="Sở Tài chính", province="Thành phố Hồ Chí Minh", plans=[r.bd], as_of=date(2026, 1, 1))
    assert r.bd_kh in {t["id"] for t in hcm}
    assert (
        db.tasks(ids=[r.bd_kh], agency="Sở Tài chính", province="Thành phố Hồ Chí Minh", as_of=date(2025, 4, 1)) == []
    )
    rows = db.stats(plan=r.bd, as_of=date(2026, 1, 1))
    assert ("Sở Tài chính", "Thành phố Hồ Chí Minh") in {(row["agency"], row["province"]) for row in rows}


def test_indicators_by_plans_are_the_register_filtered(db: Database) -> None:
    r = _register(db)
    for as_of in AS_OFS:
        full = db.indicators(as_of=as_of)
        assert {i["plan_id"] for i in full} == {r.bd, r.tv}
        for plans in _subsets(r):
            assert db.indicators(plans=plans, as_of=as_of) == [i for i in full if i["plan_id"] in plans]
        assert db.indicators(plans=[r.bd, r.tv, *FAR], as_of=as_of) == full
    assert db.indicators(plan=r.tv, plans=[r.bd]) == []
    assert db.indicators(plan=r.tv, plans=[r.bd, r.tv]) == db.indicators(plan=r.tv)
    grdp = db.indicators(text="Tăng trưởng GRDP", as_of=date(2025, 8, 1))
    assert grdp[0]["latest"]["value"] == 7.1
    assert db.indicators(plans=[r.tv], text="Tăng trưởng GRDP", as_of=date(2025, 8, 1)) == grdp
    assert db.indicators(plans=[r.bd], text="Tăng trưởng GRDP") == []


def test_calendar_by_plans_is_the_register_filtered(db: Database) -> None:
    r = _register(db)
    start, end = date(2025, 1, 1), date(2025, 12, 31)
    for as_of in (date(2025, 3, 20), date(2025, 7, 1), date(2026, 1, 1)):
        full = db.calendar(start, end, as_of=as_of)
        assert {c["plan_id"] for c in full} == {r.bd, r.tv}
        for plans in _subsets(r):
            assert db.calendar(start, end, as_of=as_of, plans=plans) == [c for c in full if c["plan_id"] in plans]
        assert db.calendar(start, end, as_of=as_of, plans=[r.bd, r.tv, *FAR]) == full
        for agency in (KH_DT, "Sở Tư pháp"):
            mine = db.calendar(start, end, as_of=as_of, agency=agency)
            assert db.calendar(start, end, as_of=as_of, agency=agency, plans=[r.bd]) == [
                c for c in mine if c["plan_id"] == r.bd
            ]
    scoped = db.calendar(start, end, as_of=date(2026, 1, 1), plans=[r.bd])
    sent = [c for c in scoped if c["submitted_on"]]
    assert {(c["agency"], c["period"], c["submitted_on"]) for c in sent} == {
        (MERGED_INTO, "2025-Q1", "2025-03-18"),
        ("Sở Tư pháp", "2025-Q1", "2025-04-02"),
        (MERGED_INTO, "2025-Q2", "2025-06-20"),
    }
    assert all(c["state"] == ("đúng hạn" if c["submitted_on"] <= c["due"] else "trễ hạn") for c in sent)
    early = db.calendar(start, end, as_of=date(2025, 3, 20), plans=[r.bd])
    assert [c["submitted_on"] for c in early if c["submitted_on"]] == ["2025-03-18"]  # later ones not yet sent
    tv = db.calendar(start, end, as_of=date(2026, 1, 1), plans=[r.tv], agency=KH_DT)
    assert {c["period"]: c["state"] for c in tv if c["submitted_on"]} == {"2025-01": "đúng hạn", "2025-02": "trễ hạn"}
    assert db.calendar(start, end, plan=r.tv, plans=[r.bd]) == []
    assert db.calendar(start, end, as_of=date(2026, 1, 1), plan=r.bd, plans=[r.bd, r.tv]) == scoped
    with pytest.raises(NotFoundError, match="không có cơ quan nào tên"):
        db.calendar(start, end, plans=[r.bd], agency="Sở Không Tồn Tại")


def test_duty_is_the_item_of_duties(db: Database) -> None:
    r = _register(db)
    duties = db.duties()
    assert {d["plan_id"] for d in duties} == {r.bd, r.tv}
    for d in duties:
        assert db.duty(d["id"]) == d
    edited = next(d for d in duties if d["plan_id"] == r.bd and d["frequency"] == "quarterly")
    assert edited["reporters"] == [KH_DT, "Sở Tư pháp"] and edited["recipient"] == "Ủy ban nhân dân tỉnh"
    day = 21 if edited["day"] != 21 else 22
    assert (
        db.edit_duty(edited["id"], actor="A", day=day)
        == db.duty(edited["id"])
        == edited
        | {
            "day": day,
            "version": edited["version"] + 1,
        }
    )
    duties = db.duties()
    for plans in _subsets(r):
        assert db.duties(plans=plans) == [d for d in duties if d["plan_id"] in plans]
    with pytest.raises(NotFoundError, match="không có chế độ báo cáo id 999999"):
        db.duty(999999)
    assert r.removed_duty not in {d["id"] for d in duties}
    with pytest.raises(NotFoundError, match="đã bị bỏ"):
        db.duty(r.removed_duty)


def test_audit_by_plans_is_the_log_filtered(db: Database) -> None:
    r = _register(db)
    full = db.audit()
    assert [e["id"] for e in full] == sorted(e["id"] for e in full)
    plan_of = {
        "plan": {p["id"]: p["id"] for p in db.plans()},
        "task": {t["id"]: t["plan_id"] for t in db.tasks(include_removed=True)},
        "indicator": {i["id"]: i["plan_id"] for i in db.indicators()},
        "duty": {d["id"]: d["plan_id"] for d in db.duties()} | {r.removed_duty: r.bd},
    }

    def about(plans: list[int]) -> list[dict]:
        return [e for e in full if plan_of.get(e["entity"], {}).get(e["entity_id"]) in plans]

    assert {e["entity"] for e in about([r.bd])} == {"plan", "task", "indicator", "duty"}
    assert {e["entity"] for e in about([r.tv])} == {"plan", "task", "indicator", "duty"}
    assert any(e["entity"] == "task" and e["entity_id"] == r.removed_task for e in about([r.bd]))
    for plans in _subsets(r):
        mine = about(plans)
        assert db.audit(plans=plans) == mine
        assert db.audit(plans=plans, newest_first=True) == mine[::-1]
        for limit in (0, 1, 3, 1000):
            assert db.audit(plans=plans, limit=limit, newest_first=True) == mine[::-1][:limit]
            assert db.audit(plans=plans, limit=limit) == mine[:limit]
        for entity in ("plan", "task", "indicator", "duty", "agency"):
            assert db.audit(entity, plans=plans) == [e for e in mine if e["entity"] == entity]
    assert db.audit(plans=[r.bd, r.tv, *FAR], limit=5, newest_first=True) == about([r.bd, r.tv])[::-1][:5]
    assert db.audit("task", r.bd_kh, plans=[r.bd]) == db.audit("task", r.bd_kh)
    assert db.audit("task", r.bd_kh, plans=[r.tv]) == []
    # without plans: as before, and the newest few by id
    assert db.audit(newest_first=True) == full[::-1]
    assert db.audit(limit=4) == full[:4]
    assert db.audit(limit=4, newest_first=True) == full[::-1][:4]
    assert db.audit("task", limit=2, newest_first=True) == [e for e in full if e["entity"] == "task"][::-1][:2]
    with pytest.raises(ValidationError):
        db.audit(limit=-1)


def _whereabouts(db: Database) -> dict[int, tuple[int | None, str | None]]:
    with db.session() as s:
        return {i: (p, v) for i, p, v in s.execute(select(AuditEntry.id, AuditEntry.plan_id, AuditEntry.province))}


def test_each_entry_holds_its_plan_and_province_written_or_migrated(db_url: str, db: Database) -> None:
    """Each entry carries the plan and province of its record: a plan's records those of the
    plan (a removed task's too), a draft its own province and the plan published from it, an
    account or an agency none; migration 0012 gives a register's existing entries the same."""
    r = _register(db)
    with db.session() as s:  # a draft uploaded for another province, then published as Trà Vinh's plan
        now = db.now()
        d = Draft(province="Cần Thơ", source_name="kh.pdf", source_hash="0" * 64, source_text="", original={})
        d.plan, d.created_by, d.created_at, d.updated_at = {}, "A", now, now
        s.add(d)
        s.flush()
        db.log(s, "A", "upload", "draft", d.id, None, {"source": "kh.pdf"})
        d.plan_id = r.tv
        db.log(s, "A", "publish", "draft", d.id, None, {"plan_id": r.tv})
    db.users.create("x", "-", role="admin", name="X", province=None, agency=None, email=None, actor="A")
    province = {p["id"]: p["province"] for p in db.plans()}
    plan_of = {
        "plan": {p["id"]: p["id"] for p in db.plans()},
        "task": {t["id"]: t["plan_id"] for t in db.tasks(include_removed=True)},
        "indicator": {i["id"]: i["plan_id"] for i in db.indicators()},
        "duty": {d["id"]: d["plan_id"] for d in db.duties()} | {r.removed_duty: r.bd},
    }
    written = _whereabouts(db)
    kinds = set()
    for e in db.audit():
        kinds.add(e["entity"])
        if e["entity"] == "draft":
            want = (r.tv if e["action"] == "publish" else None, "Cần Thơ")
        elif e["entity"] in plan_of:
            plan = plan_of[e["entity"]][e["entity_id"]]
            want = (plan, province[plan])
        else:
            want = (None, None)
        assert written[e["id"]] == want, e
    assert kinds >= {"plan", "task", "indicator", "duty", "draft", "user"}
    assert {p for p, _ in written.values()} >= {r.bd, r.tv, None}

    downgrade(db, "0011_country_heat")
    db.close()
    again = Database.open(db_url)
    try:
        migrated = _whereabouts(again)
    finally:
        again.close()
    # the upload's draft was published since: migrated, it holds the plan published from it
    upload = next(e["id"] for e in db.audit("draft") if e["action"] == "upload")
    assert migrated == written | {upload: (r.tv, "Cần Thơ")}
