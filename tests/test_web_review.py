"""The review queue: what in a draft needs a person, why, and publishing with confirmation."""

from __future__ import annotations

import copy
import re
from typing import Any

import pytest
from test_web_kit import Site, make_site

from kehoach.store import Database
from kehoach.store.web import Draft, now, session
from kehoach.web import queue


def _task(text: str, lead: list[str], due: str | None, **extra: Any) -> dict:
    deadline = {"text": f"ngày {due}", "due": due, "recurring": False, "condition": None} if due else None
    task = {"section": "Nhiệm vụ", "text": text, "lead": lead, "coordinate": [], "monitor": [], "deadline": deadline}
    return task | extra


SOURCE = "\n".join(f"Dòng {n} của văn bản kế hoạch." for n in range(1, 13))
PLAN: dict[str, Any] = {
    "format": "plan/v1",
    "source": "kh-ra-soat.txt",
    "document": {
        "doc_type": "KẾ HOẠCH",
        "number": "9/KH-UBND",
        "issuer": "Ủy ban nhân dân tỉnh Trà Vinh",
        "province": "Trà Vinh",
        "issued_date": "2025-02-01",
        "title": "Rà soát nhiệm vụ",
    },
    "tasks": [
        _task("Xây dựng cơ sở dữ liệu đất đai.", [], None),
        _task("Tổ chức thực hiện kế hoạch.", ["Các sở, ban, ngành"], "2025-09-30"),
        _task(
            "Đẩy mạnh chuyển đổi số.",
            ["Sở Tài chính"],
            "2025-06-30",
            review=["heading_maybe_task"],
            source={"line": 7, "line_end": 8},
        ),
        _task("Đẩy mạnh chuyển đổi số.", ["Sở Tài chính"], "2025-06-30"),
        _task("Phát triển thương mại điện tử.", ["Sở Công Thương"], "2025-12-31"),
    ],
    "indicators": [
        {
            "group": "Xã hội",
            "text": "Nâng cao chất lượng dịch vụ công",
            "agency": ["Sở Nội vụ"],
            "year": "2025",
            "targets": [{"name": "Chất lượng dịch vụ công", "comparator": "qualitative", "value": None}],
            "review": ["no_target"],
        }
    ],
    "scenarios": [],
    "reporting": [
        {
            "reporters": ["Sở Tài chính"],
            "recipient": None,
            "frequency": "quarterly",
            "deadlines": [],
            "text": "Định kỳ hằng quý báo cáo.",
            "review": ["no_recipient"],
        }
    ],
    "warnings": [{"line": 3, "message": "bảng không đọc được"}],
}


@pytest.fixture
def site(db: Database, monkeypatch: pytest.MonkeyPatch) -> Site:
    return make_site(db, monkeypatch)


def make_draft(db: Database, plan: dict, by: str = "office_vl") -> int:
    """A draft as an upload leaves it once extracted (the extraction itself is tested elsewhere)."""
    with session(db) as s:
        d = Draft(
            province="Vĩnh Long",
            source_name="kh-ra-soat.txt",
            source_hash="0" * 64,
            source_text=SOURCE,
            original=copy.deepcopy(plan),
            plan=copy.deepcopy(plan),
            state="draft",
            created_by=by,
            created_at=now(),
            updated_at=now(),
            version=1,
        )
        s.add(d)
        s.flush()
        return d.id


def test_reasons_come_from_the_extractor_and_from_the_draft_itself() -> None:
    reasons = queue.task_reasons(PLAN["tasks"])
    assert reasons == [
        ["no_lead", "no_deadline"],
        ["lead_collective"],
        ["heading_maybe_task"],
        ["duplicate"],
        [],
    ]
    q = queue.queue(PLAN)
    assert q["total"] == 6  # four tasks, the indicator, the duty
    assert q["counts"] == {
        "no_lead": 1,
        "lead_collective": 1,
        "duplicate": 1,
        "heading_maybe_task": 1,
        "no_target": 1,
        "no_recipient": 1,
    }
    # a task without a deadline runs to the plan's end: shown, counted, but no reason to stop
    assert q["notes"] == {"no_deadline": 1} and q["by_task"][0] == ["no_lead", "no_deadline"]
    assert q["flagged"] == [0, 1, 2, 3]
    assert queue.queue({"tasks": [_task("Việc.", ["Sở Y tế"], None)]})["total"] == 0
    assert q["labels"]["no_lead"] == "Chưa xác định được đơn vị chủ trì"
    assert q["warnings"] == PLAN["warnings"]
    seen = copy.deepcopy(PLAN)
    seen["tasks"][0]["reviewed"] = ["no_deadline"]
    assert queue.task_reasons(seen["tasks"])[0] == ["no_lead"]
    # a lead written the short way is still the collective one; a real department is not
    assert queue.task_reasons([_task("Việc.", ["các sở, ngành"], "2025-01-31")]) == [["lead_collective"]]
    assert queue.task_reasons([_task("Việc.", ["Sở Y tế", "Các sở, ban, ngành"], "2025-01-31")]) == [[]]


def test_the_queue_is_on_the_draft_and_its_page(site: Site) -> None:
    draft_id = make_draft(site.db, PLAN)
    c = site.client("office_vl")
    d = c.get(f"/api/drafts/{draft_id}").json()["draft"]
    assert d["queue"]["total"] == 6 and d["needs_review"] == 6
    assert d["task_lines"][2] == [7, 8]  # where the extractor says the task stands
    assert [x["needs_review"] for x in c.get("/api/drafts").json()["drafts"] if x["id"] == draft_id] == [6]
    html = c.get(f"/drafts/{draft_id}").text
    assert "Cần người xem xét (6)" in html and "Chưa xác định được đơn vị chủ trì: 1" in html
    assert len(re.findall(r'<article class="dtask[^"]*" id="t\d', html)) == 5
    only = c.get(f"/drafts/{draft_id}?reason=no_lead").text
    assert re.findall(r'<article class="dtask[^"]*" id="t(\d+)"', only) == ["0"]
    flagged = c.get(f"/drafts/{draft_id}?reason=all").text
    assert re.findall(r'<article class="dtask[^"]*" id="t(\d+)"', flagged) == ["0", "1", "2", "3"]
    notes = c.get(f"/drafts/{draft_id}?reason=no_deadline").text
    assert re.findall(r'<article class="dtask[^"]*" id="t(\d+)"', notes) == ["0"]
    gone = c.get(f"/drafts/{draft_id}?reason=long_text").text  # nothing for it: every task
    assert len(re.findall(r'<article class="dtask[^"]*" id="t', gone)) == 5
    assert c.get(f"/drafts/{draft_id}?reason=Không hợp lệ").status_code == 422
    assert 'name="confirm"' in html and "bảng không đọc được" in html


def test_publishing_what_needs_a_person_asks_for_confirmation(site: Site) -> None:
    draft_id = make_draft(site.db, PLAN)
    c = site.client("office_vl")
    r = c.post(f"/api/drafts/{draft_id}/publish", json={})
    assert r.status_code == 422
    error = r.json()["error"]
    assert error["field"] == "confirm" and "còn 6 mục cần xem xét" in error["message"]
    assert "1 mục: chưa xác định được đơn vị chủ trì" in error["message"]
    assert site.db.plans() and all(p["number"] != "9/KH-UBND" for p in site.db.plans())
    r = c.post(f"/api/drafts/{draft_id}/publish", json={"confirm": True})
    assert r.status_code == 200, r.text
    data = site.db.plan_data(r.json()["id"])
    assert len(data["tasks"]) == 5 and not any("reviewed" in t for t in data["tasks"])


def test_seen_items_leave_the_queue_and_feed_the_corrections(site: Site) -> None:
    draft_id = make_draft(site.db, PLAN)
    c = site.client("office_vl")
    r = c.post(f"/api/drafts/{draft_id}/tasks/1/seen", json={})
    assert r.status_code == 200 and "lead_collective" not in r.json()["queue"]["counts"]
    c.post(f"/api/drafts/{draft_id}/tasks/0", json={"lead": "Sở Nông nghiệp và Môi trường"})
    for kind, index in (("tasks", 0), ("tasks", 2), ("tasks", 3), ("indicators", 0), ("reporting", 0)):
        assert c.post(f"/api/drafts/{draft_id}/{kind}/{index}/seen", json={}).status_code == 200
    assert c.post(f"/api/drafts/{draft_id}/things/0/seen", json={}).status_code == 404
    d = c.get(f"/api/drafts/{draft_id}").json()["draft"]
    assert d["queue"]["total"] == 0 and d["plan"]["tasks"][1]["reviewed"] == ["lead_collective"]
    exported = c.get(f"/api/drafts/{draft_id}/corrections").json()["corrections"][0]
    seen = [x for x in exported["changes"] if x["after"].get("what") == "seen tasks[1]"]
    assert seen and seen[0]["after"]["reviewed"] == ["lead_collective"]
    assert exported["extracted"]["tasks"][0]["lead"] == [] and exported["corrected"]["tasks"][0]["lead"]
    # with nothing left to look at, publishing needs no confirmation
    assert c.post(f"/api/drafts/{draft_id}/publish", json={}).status_code == 200
    words = [e["text"] for e in c.get("/api/audit").json()["entries"]]
    assert any("đã xem nhiệm vụ 2, giữ nguyên (Đơn vị chủ trì chỉ là tên chung" in w for w in words)


def test_the_publish_form_sends_the_confirmation(site: Site) -> None:
    draft_id = make_draft(site.db, PLAN)
    c = site.client("office_vl")
    page = c.get(f"/drafts/{draft_id}").text
    token = page.split('name="csrf_token" value="')[1].split('"')[0]
    form = {"csrf_token": token, "version": "1"}
    r = c.post(f"/drafts/{draft_id}/publish", data=form, follow_redirects=False)
    assert r.status_code == 422 and "còn 6 mục cần xem xét" in r.text
    r = c.post(f"/drafts/{draft_id}/publish", data=form | {"confirm": "1"}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/plans/")


def test_an_inline_correction_brings_the_queue_and_the_publish_form_up_to_date(site: Site) -> None:
    draft_id = make_draft(site.db, PLAN)
    c = site.client("office_vl")
    r = c.post(f"/drafts/{draft_id}/tasks/0", data={"lead": "Sở Y tế"}, headers={"HX-Request": "true"})
    assert r.status_code == 200
    fragment = r.text
    assert fragment.lstrip().startswith("<article") and 'id="t0"' in fragment
    # out of band: the queue (one task fewer: it has a lead now) and the publish form's version
    assert '<section class="card queue" id="queue"' in fragment and 'hx-swap-oob="true"' in fragment
    assert "Cần người xem xét (5)" in fragment
    assert '<input type="hidden" name="version" value="2">' in fragment
    seen = c.post(f"/drafts/{draft_id}/tasks/1/seen", data={}, headers={"HX-Request": "true"}).text
    assert "Cần người xem xét (4)" in seen and 'class="link seen"' not in seen.split("</article>")[0]
