"""Every role against every endpoint, including another province's and department's data.

Each row names an endpoint and the accounts allowed; everyone else must be refused (401
without a session, 403 with one; 404 when the record is of a province the account does not
see: it answers as a missing one, its existence not told). Changes that succeed are harmless to repeat (a body made by
a function is made anew for each call: an extension must be later than the one before).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from test_web_kit import AS_OF, USERS, Site, make_site

from kehoach.store import Database
from kehoach.web import review
from kehoach.web.accounts import get_user

SAMPLE = Path(__file__).parent.parent / "kehoach" / "data" / "samples" / "002_23dbc6410858588b.txt"
ALL = {u[0] for u in USERS}
VINH_LONG = {"admin", "office_vl", "leader_vl", "tc_vl", "ct_vl"}
AN_GIANG = {"admin", "office_ag", "tc_ag"}

Row = tuple[str, str, Callable[[Site], dict | None] | None, set[str]]


def _rows(site: Site, draft_vl: int) -> list[tuple[str, str, Any, set[str], str]]:
    t, i, tv, ag = site.tasks, site.indicators, site.tra_vinh, site.an_giang
    update = {"state": "in_progress", "percent": 10, "on": "2025-06-01"}
    value = {"period": "2025-Q1", "value": "5"}
    comment = {"text": "Ý kiến"}
    later = itertools.count(1)

    def extension() -> dict:  # each one granted later than the one before
        due = date(2025, 12, 31) + timedelta(days=next(later))
        return {"new_due": due.strftime("%d/%m/%Y"), "granted_by": "Chủ tịch UBND tỉnh"}

    return [
        ("GET", "/api/plans", None, ALL, "danh sách kế hoạch"),
        ("GET", f"/api/plans/{tv}", None, VINH_LONG, "kế hoạch của tỉnh"),
        ("GET", f"/api/plans/{ag}", None, AN_GIANG, "kế hoạch tỉnh khác"),
        ("GET", f"/api/plans/{tv}/export", None, VINH_LONG, "xuất plan/v1"),
        ("GET", f"/api/plans/{ag}/export", None, AN_GIANG, "xuất plan/v1 tỉnh khác"),
        ("GET", f"/api/plans/{tv}/report?period=2025-Q1&format=xlsx", None, VINH_LONG, "báo cáo tổng hợp"),
        ("GET", f"/api/plans/{ag}/report?period=2025-Q1&format=xlsx", None, AN_GIANG, "báo cáo tỉnh khác"),
        ("GET", f"/api/tasks/{t['tc']}", None, VINH_LONG, "nhiệm vụ"),
        ("GET", f"/api/tasks/{t['ag_tc']}", None, AN_GIANG, "nhiệm vụ tỉnh khác"),
        (
            "POST",
            f"/api/tasks/{t['tc']}/update",
            update,
            {"admin", "office_vl", "tc_vl"},
            "cập nhật nhiệm vụ sở chủ trì",
        ),
        ("POST", f"/api/tasks/{t['ct']}/update", update, {"admin", "office_vl", "ct_vl"}, "cập nhật nhiệm vụ sở khác"),
        (
            "POST",
            f"/api/tasks/{t['ct_coord_tc']}/update",
            update,
            {"admin", "office_vl", "ct_vl"},
            "cập nhật nhiệm vụ chỉ phối hợp",
        ),
        (
            "POST",
            f"/api/tasks/{t['ag_tc']}/update",
            update,
            {"admin", "office_ag", "tc_ag"},
            "cập nhật nhiệm vụ tỉnh khác (cùng tên sở)",
        ),
        (
            "POST",
            f"/api/tasks/{t['tc']}/extensions",
            extension,
            {"admin", "office_vl"},
            "gia hạn nhiệm vụ",
        ),
        (
            "POST",
            f"/api/tasks/{t['ag_tc']}/extensions",
            extension,
            {"admin", "office_ag"},
            "gia hạn nhiệm vụ tỉnh khác",
        ),
        (
            "POST",
            f"/api/tasks/{t['ct_coord_tc']}/comments",
            comment,
            {"admin", "office_vl", "ct_vl", "tc_vl"},
            "góp ý nơi phối hợp",
        ),
        (
            "POST",
            f"/api/tasks/{t['office']}/comments",
            comment,
            {"admin", "office_vl"},
            "góp ý nhiệm vụ không liên quan",
        ),
        (
            "POST",
            f"/api/indicators/{i['tc']}/values",
            value,
            {"admin", "office_vl", "tc_vl"},
            "nhập số liệu chỉ tiêu sở theo dõi",
        ),
        (
            "POST",
            f"/api/indicators/{i['ct']}/values",
            value,
            {"admin", "office_vl", "ct_vl"},
            "nhập số liệu chỉ tiêu sở khác",
        ),
        (
            "POST",
            f"/api/indicators/{i['ag_tc']}/values",
            value,
            {"admin", "office_ag", "tc_ag"},
            "nhập số liệu tỉnh khác",
        ),
        ("GET", "/api/tasks/mine", None, {"tc_vl", "ct_vl", "tc_ag"}, "nhiệm vụ của tôi"),
        (
            "POST",
            f"/api/duties/{site.duties['tv']}/submissions",
            {"period": "2025-05", "agency": "Sở Tài chính"},
            {"admin", "office_vl", "tc_vl", "ct_vl"},
            "ghi nhận đã gửi báo cáo",
        ),
        (
            "POST",
            f"/api/duties/{site.duties['ag']}/submissions",
            {"period": "2025-05", "agency": "Sở Tài chính"},
            {"admin", "office_ag", "tc_ag"},
            "ghi nhận báo cáo tỉnh khác",
        ),
        ("GET", "/api/dashboard", None, {"admin", "office_vl", "office_ag", "leader_vl"}, "bảng điều khiển"),
        ("GET", f"/api/dashboard?plan={ag}", None, {"admin", "office_ag"}, "bảng điều khiển kế hoạch tỉnh khác"),
        ("GET", "/api/search?q=ngan+sach", None, ALL, "tìm kiếm"),
        ("GET", "/api/notifications", None, ALL, "thông báo"),
        ("POST", "/api/notifications/read", {}, ALL, "đánh dấu đã đọc"),
        ("GET", "/api/drafts", None, {"admin", "office_vl", "office_ag"}, "bản rà soát"),
        ("GET", f"/api/drafts/{draft_vl}", None, {"admin", "office_vl"}, "bản rà soát"),
        ("POST", f"/api/drafts/{draft_vl}/tasks/0", {"section": "Mục sửa"}, {"admin", "office_vl"}, "sửa bản rà soát"),
        (
            "POST",
            f"/api/drafts/{draft_vl}/document",
            {"title": "Trích yếu sửa"},
            {"admin", "office_vl"},
            "sửa thông tin văn bản",
        ),
        ("GET", f"/api/drafts/{draft_vl}/corrections", None, {"admin", "office_vl"}, "xuất chỉnh sửa"),
        ("GET", "/api/corrections", None, {"admin", "office_vl", "office_ag"}, "mọi chỉnh sửa"),
        ("GET", "/api/reminders", None, {"admin", "office_vl", "office_ag"}, "nhật ký đôn đốc"),
        ("POST", "/api/reminders/run", {}, {"admin"}, "gửi nhắc việc"),
        ("GET", "/api/audit", None, {"admin", "office_vl", "office_ag"}, "nhật ký thay đổi"),
        ("GET", "/api/users", None, {"admin"}, "tài khoản"),
        (
            "POST",
            "/api/users",
            {"username": "", "password": "x", "role": "?"},
            set(),
            "thêm tài khoản (admin: 422 vì thiếu dữ liệu)",
        ),
        ("POST", "/api/users/tc_ag/active", {"active": True}, {"admin"}, "khóa, mở khóa tài khoản"),
        ("GET", "/api/session", None, ALL, "phiên đăng nhập"),
        ("GET", f"/plans/{tv}/export.json", None, VINH_LONG, "tệp xuất plan/v1"),
        ("GET", f"/plans/{ag}/export.json", None, AN_GIANG, "tệp xuất plan/v1 tỉnh khác"),
        ("GET", f"/drafts/{draft_vl}/corrections.json", None, {"admin", "office_vl"}, "tệp xuất chỉnh sửa"),
        ("POST", "/api/drafts?wait=true", {"files": SAMPLE}, {"admin", "office_vl", "office_ag"}, "tải kế hoạch lên"),
        ("POST", f"/api/drafts/{draft_vl}/tasks/1/merge", {}, {"admin", "office_vl"}, "gộp nhiệm vụ"),
        (
            "POST",
            f"/api/drafts/{draft_vl}/tasks/1/split",
            {"parts": ["Phần thứ nhất.", "Phần thứ hai."]},
            {"admin", "office_vl"},
            "tách nhiệm vụ",
        ),
        ("POST", f"/api/drafts/{draft_vl}/tasks/2/delete", {}, {"admin", "office_vl"}, "xóa nhiệm vụ"),
        ("POST", f"/api/drafts/{draft_vl}/tasks/0/seen", {}, {"admin", "office_vl"}, "đã xem, giữ nguyên"),
        ("GET", f"/drafts/{draft_vl}?reason=all", None, {"admin", "office_vl"}, "hàng chờ xem xét"),
        ("GET", "/api/audit?actor=tc_vl&start=01/01/2025", None, {"admin", "office_vl", "office_ag"}, "nhật ký lọc"),
        ("GET", f"/api/audit?plan={tv}", None, {"admin", "office_vl"}, "nhật ký của kế hoạch"),
        ("GET", "/api/duties", None, {"admin", "office_vl", "office_ag"}, "chế độ báo cáo"),
        ("GET", f"/api/duties/{site.duties['tv']}", None, {"admin", "office_vl"}, "một chế độ báo cáo"),
        ("GET", f"/api/duties/{site.duties['ag']}", None, {"admin", "office_ag"}, "chế độ báo cáo tỉnh khác"),
        ("POST", f"/api/duties/{site.duties['tv']}", {"day": 15}, {"admin", "office_vl"}, "sửa chế độ báo cáo"),
        ("POST", f"/api/duties/{site.duties['ag']}", {"day": 15}, {"admin", "office_ag"}, "sửa chế độ tỉnh khác"),
        ("POST", "/api/users/ct_ag_none/active", {"active": True}, set(), "khóa tài khoản không có (admin: 404)"),
        (
            "POST",
            f"/api/drafts/{draft_vl}/publish",
            {"confirm": True},
            {"admin", "office_vl"},
            "công bố kế hoạch (đã xác nhận các mục cần xem xét)",
        ),
    ]


def _hidden(site: Site, draft_vl: int) -> dict[str, set[str]]:
    """The accounts that get 404 from each endpoint: its record is of a province they do not see
    (those refused by their role first get 403, which tells nothing of the record)."""
    t, i, tv, ag = site.tasks, site.indicators, site.tra_vinh, site.an_giang
    not_an_giang, not_vinh_long = {"office_vl", "leader_vl", "tc_vl", "ct_vl"}, {"office_ag", "tc_ag"}
    an_giang = [f"/api/plans/{ag}", f"/api/plans/{ag}/export", f"/api/plans/{ag}/report?period=2025-Q1&format=xlsx"]
    an_giang += [f"/plans/{ag}/export.json", f"/api/tasks/{t['ag_tc']}", f"/api/tasks/{t['ag_tc']}/update"]
    an_giang += [f"/api/tasks/{t['ag_tc']}/extensions", f"/api/indicators/{i['ag_tc']}/values"]
    an_giang += [f"/api/duties/{site.duties['ag']}/submissions"]
    vinh_long = [f"/api/plans/{tv}", f"/api/plans/{tv}/export", f"/api/plans/{tv}/report?period=2025-Q1&format=xlsx"]
    vinh_long += [f"/plans/{tv}/export.json", f"/api/tasks/{t['tc']}", f"/api/duties/{site.duties['tv']}/submissions"]
    vinh_long += [f"/api/tasks/{t[k]}/update" for k in ("tc", "ct", "ct_coord_tc")]
    vinh_long += [f"/api/tasks/{t['tc']}/extensions", f"/api/tasks/{t['ct_coord_tc']}/comments"]
    vinh_long += [f"/api/tasks/{t['office']}/comments", f"/api/indicators/{i['tc']}/values"]
    vinh_long += [f"/api/indicators/{i['ct']}/values"]
    drafts = [f"/api/drafts/{draft_vl}", f"/api/drafts/{draft_vl}/tasks/0", f"/api/drafts/{draft_vl}/document"]
    drafts += [f"/api/drafts/{draft_vl}/corrections", f"/drafts/{draft_vl}/corrections.json"]
    drafts += [f"/api/drafts/{draft_vl}/tasks/1/merge", f"/api/drafts/{draft_vl}/tasks/1/split"]
    drafts += [f"/api/drafts/{draft_vl}/tasks/2/delete", f"/api/drafts/{draft_vl}/publish"]
    return (
        dict.fromkeys(an_giang, not_an_giang)
        | dict.fromkeys(vinh_long, not_vinh_long)
        | dict.fromkeys(drafts, {"office_ag"})
        | {f"/api/dashboard?plan={ag}": {"office_vl", "leader_vl"}}
        | {f"/api/audit?plan={tv}": {"office_ag"}, f"/drafts/{draft_vl}?reason=all": {"office_ag"}}
        | dict.fromkeys([f"/api/duties/{site.duties['tv']}", f"/api/drafts/{draft_vl}/tasks/0/seen"], {"office_ag"})
        | {f"/api/duties/{site.duties['ag']}": {"office_vl"}, "/api/users/ct_ag_none/active": {"admin"}}
    )


@pytest.fixture
def site(db: Database, monkeypatch: pytest.MonkeyPatch) -> Site:
    return make_site(db, monkeypatch)


def test_authorization_matrix(site: Site) -> None:
    office_vl = get_user(site.db, 2)
    assert office_vl is not None and office_vl.username == "office_vl"
    draft_vl = review.create(site.db, office_vl, SAMPLE.name, SAMPLE.read_bytes())["id"]
    rows, hidden = _rows(site, draft_vl), _hidden(site, draft_vl)
    clients = {name: site.client(name) for name in ALL}
    anonymous = site.client()
    anonymous.headers["X-CSRF-Token"] = "none"
    wrong = []
    for method, url, body, allowed, what in rows:
        sep = "&" if "?" in url else "?"
        full = f"{url}{sep}as_of={AS_OF}"
        for name in [*sorted(ALL), None]:
            c = clients[name] if name else anonymous
            api = url.startswith("/api/")
            if method == "GET":
                r = c.get(full, follow_redirects=api)
            elif isinstance(body, dict) and "files" in body:
                r = c.post(full, files={"file": (body["files"].name, body["files"].read_bytes(), "text/plain")})
            else:
                r = c.post(full, json=body() if callable(body) else body)
            if name is None:
                expected = {401} if api else {303}  # a page sends the anonymous to the login form
            elif name in allowed:
                expected = {200}
            elif url == "/api/users" and method == "POST" and name == "admin":
                expected = {422}
            elif name in hidden.get(url, ()):
                expected = {404}
            else:
                expected = {403}
            if r.status_code not in expected:
                wrong.append(
                    f"{name or 'anonymous'} {method} {url} ({what}): "
                    f"{r.status_code}, expected {expected} {r.text[:120]}"
                )
            elif r.status_code >= 400 and api:
                assert set(r.json()) == {"error"}, r.text
    assert not wrong, "\n".join(wrong)


def test_lists_never_show_another_province(site: Site) -> None:
    for name, province_plan in (("tc_ag", site.an_giang), ("office_vl", site.tra_vinh)):
        c = site.client(name)
        found = c.get("/api/search", params={"q": "giai ngan"}).json()
        assert {t["plan_id"] for t in found["tasks"]} == {province_plan}
    mine = site.client("tc_ag").get(f"/api/tasks/mine?as_of={AS_OF}").json()
    assert [t["id"] for t in mine["tasks"]] == [site.tasks["ag_tc"]]
    dash = site.client("leader_vl").get(f"/api/dashboard?as_of={AS_OF}").json()
    assert [p["plan_id"] for p in dash["per_plan"]] == [site.tra_vinh]


# --- another province's records answer as missing ones -------------------------------------------

MISSING = 999_999  # an id no record has


def _alike(r: Any, record_id: int) -> tuple[int, str]:
    """An answer with the id it was asked about taken out (in its path and as `id N`)."""
    return r.status_code, re.sub(rf"(?<=/){record_id}\b|(?<=id ){record_id}\b", "{id}", r.text)


def test_another_provinces_record_answers_exactly_as_a_missing_one(site: Site) -> None:
    office_ag = get_user(site.db, 3)
    assert office_ag is not None and office_ag.username == "office_ag"
    draft_ag = review.create(site.db, office_ag, SAMPLE.name, SAMPLE.read_bytes())["id"]
    t, i, ag = site.tasks, site.indicators, site.an_giang
    png = b"\x89PNG\r\n\x1a\n" + bytes(64)
    r = site.client("tc_ag").post(
        f"/api/tasks/{t['ag_tc']}/update", data={"percent": "10"}, files=[("attachments", ("a.png", png, "image/png"))]
    )
    assert r.status_code == 200, r.text
    file_ag = r.json()["files"][0]["id"]
    # (method, url with {id}, body, the other province's id)
    asked = [
        ("GET", "/api/tasks/{id}", None, t["ag_tc"]),
        ("GET", "/tasks/{id}", None, t["ag_tc"]),
        ("GET", "/api/plans/{id}", None, ag),
        ("GET", "/plans/{id}", None, ag),
        ("GET", "/api/plans/{id}/export", None, ag),
        ("GET", "/api/plans/{id}/report?period=2025-Q1&format=xlsx", None, ag),
        ("GET", "/api/dashboard?plan={id}", None, ag),
        ("POST", "/api/tasks/{id}/update", {"percent": 10}, t["ag_tc"]),
        ("POST", "/api/tasks/{id}/comments", {"text": "Ý kiến"}, t["ag_tc"]),
        ("POST", "/api/tasks/{id}/extensions", {"new_due": "31/12/2025", "granted_by": "UBND"}, t["ag_tc"]),
        ("POST", "/api/indicators/{id}/values", {"period": "2025-Q1", "value": "5"}, i["ag_tc"]),
        ("POST", "/api/duties/{id}/submissions", {"period": "2025-05", "agency": "Sở Tài chính"}, site.duties["ag"]),
        ("GET", "/api/drafts/{id}", None, draft_ag),
        ("GET", "/drafts/{id}", None, draft_ag),
        ("GET", "/api/drafts/{id}/corrections", None, draft_ag),
        ("POST", "/api/drafts/{id}/document", {"title": "Sửa"}, draft_ag),
        ("POST", "/api/drafts/{id}/publish", {}, draft_ag),
        ("GET", "/api/files/{id}", None, file_ag),
        ("GET", "/files/{id}", None, file_ag),
        ("GET", "/api/tasks/{id}/files", None, t["ag_tc"]),
    ]
    office = site.client("office_vl")
    for method, url, body, other in asked:
        answers = []
        for record_id in (other, MISSING):
            full = url.format(id=record_id) + ("&" if "?" in url else "?") + f"as_of={AS_OF}"
            r = office.get(full) if method == "GET" else office.post(full, json=body)
            answers.append(_alike(r, record_id))
        assert answers[0][0] == 404, (url, answers[0])
        assert answers[0] == answers[1], f"{method} {url}: {answers[0]} vs {answers[1]}"
    # the draft was not touched, nor the task
    assert site.client("office_ag").get(f"/api/drafts/{draft_ag}").json()["draft"]["version"] == 1
    assert len(site.db.task(t["ag_tc"])["updates"]) == 1  # tc_ag's own, with its file


# --- drafts stay in the province of the office that uploaded them --------------------------------


def test_an_office_cannot_move_its_draft_into_another_provinces_queue(site: Site) -> None:
    office_vl = get_user(site.db, 2)
    assert office_vl is not None
    # the document says An Giang: the draft is still Vĩnh Long's, the office that uploaded it
    text = SAMPLE.read_text("utf-8").replace("Trà Vinh", "An Giang").replace("TRÀ VINH", "AN GIANG")
    d = review.create(site.db, office_vl, "an-giang.txt", text.encode("utf-8"))
    assert d["document"]["province"] == "An Giang" and d["province"] == "Vĩnh Long", d["province"]
    vl, ag = site.client("office_vl"), site.client("office_ag")
    # setting the document's province does not move the draft either
    r = vl.post(f"/api/drafts/{d['id']}/document", json={"province": "An Giang"})
    assert r.status_code == 200 and r.json()["province"] == "Vĩnh Long", r.text[:300]
    assert d["id"] not in [x["id"] for x in ag.get("/api/drafts").json()["drafts"]]
    assert ag.get(f"/api/drafts/{d['id']}").status_code == 404
    assert ag.get(f"/api/drafts/{d['id']}/corrections").status_code == 404
    assert d["id"] in [x["id"] for x in vl.get("/api/drafts").json()["drafts"]]
    # nor can it be published into An Giang's register by Vĩnh Long's office
    r = vl.post(f"/api/drafts/{d['id']}/publish", json={})
    assert r.status_code == 403 and "An Giang" in r.json()["error"]["message"]
    # the administrator may move it (an extraction that read the wrong province)
    r = site.client("admin").post(f"/api/drafts/{d['id']}/document", json={"province": "An Giang"})
    assert r.status_code == 200 and r.json()["province"] == "An Giang"
    assert d["id"] in [x["id"] for x in ag.get("/api/drafts").json()["drafts"]]
