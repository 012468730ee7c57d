"""The office's and the administrator's daily flows in a real browser: the review queue to a
confirmed publication, the audit log filtered, a reporting duty edited, an account locked. One
server for the module, on the embedded SQLite default (what these pages ask of the register is
tested over HTTP on both databases, and test_browser_web.py runs a browser on PostgreSQL too);
screenshots in test-artifacts/.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from test_browser_kit import CHROMIUM, ROLES, chromium, login, new_page, seed, serve, shot

from kehoach.store import Database
from kehoach.vn import today as vn_today

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="cần /usr/bin/chromium (apt-get install -y chromium)")
pytest.importorskip("playwright.sync_api", reason="cần gói playwright")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    from kehoach.web import accounts

    monkeypatch = pytest.MonkeyPatch()
    monkeypatch.setattr(accounts, "_N", 2**10)
    try:
        with Database.open(f"sqlite:///{tmp_path_factory.mktemp('flows') / 'flows.db'}") as db:
            ids = seed(db)
            with serve(db) as base, chromium() as browser:
                yield {"base": base, "db": db, "ids": ids, "browser": browser}
    finally:
        monkeypatch.undo()


@contextlib.contextmanager
def signed_in(site: dict, role: str, size: str = "desk") -> Iterator[Any]:
    from kehoach.web import demo

    page = new_page(site["browser"], size)
    try:
        login(page, site["base"], ROLES[role], demo.PASSWORD)
        yield page
    finally:
        page.context.close()


def test_review_queue_then_a_confirmed_publication(site: dict) -> None:
    base, draft = site["base"], site["ids"]["draft"]
    with signed_in(site, "office", "phone") as phone:
        # on a phone the source is above, out of sight: a task's lines open under the task
        phone.goto(f"{base}/drafts/{draft}")
        task = phone.locator("article.dtask:has(a.lines)").nth(3)
        task.locator("a.lines").click()
        excerpt = task.locator(".excerpt")
        excerpt.wait_for()
        first = int(task.locator("a.lines").get_attribute("data-lines").split("-")[0])
        assert excerpt.inner_text().split("\n")[0] == phone.locator(f"#L{first}").inner_text()
        shot(phone, "flow-phone-review-excerpt")
    with signed_in(site, "office") as page:
        page.goto(f"{base}/drafts/{draft}")
        total = int(re.search(r"\((\d+)\)", page.locator("#h-queue").inner_text()).group(1))
        assert total > 0
        shot(page, "flow-review-queue")
        # one reason: only its tasks are listed, each saying why
        chip = page.locator("#reasons a[data-reason]").first
        reason, label = chip.get_attribute("data-reason"), chip.inner_text().rsplit(":", 1)[0]
        chip.click()
        page.wait_for_url(f"**reason={reason}*")
        tasks = page.locator("article.dtask")
        assert tasks.count() > 0
        assert all(label in tasks.nth(k).locator(".reasons").inner_text() for k in range(min(tasks.count(), 5)))
        # its source line, scrolled into view inside the pane and highlighted
        with_lines = page.locator("article.dtask:has(a.lines)")
        link = with_lines.nth(with_lines.count() - 1).locator("a.lines")
        first = int(link.get_attribute("data-lines").split("-")[0])
        link.click()
        line, pane = page.locator(f"#L{first}"), page.locator("#source")
        assert "hl" in (line.get_attribute("class") or "")
        lb, pb = line.bounding_box(), pane.bounding_box()
        assert pb["y"] <= lb["y"] and lb["y"] + lb["height"] <= pb["y"] + pb["height"]
        assert lb["y"] >= 0 and lb["y"] + lb["height"] <= 768
        shot(page, "flow-review-line")
        # one task seen as it is: it leaves the queue
        article = tasks.first
        article_id = article.get_attribute("id")
        article.locator("button.seen").click()
        page.locator(f"#{article_id}:not(.flagged)").wait_for()
        # publishing asks first: the reasons, then a box to tick
        page.goto(f"{base}/drafts/{draft}#publish-card")
        assert page.locator("#publish-reasons li").count() >= 1
        page.click("#publish")
        assert "/drafts/" in page.url  # the box is not ticked: nothing sent
        page.check("input[name=confirm]")
        shot(page, "flow-publish-confirm")
        page.click("#publish")
        page.wait_for_url("**/plans/*")
        assert "77/QĐ-UBND" in page.inner_text("h1")


def test_the_audit_log_filtered_by_person_and_day(site: dict) -> None:
    db, task = site["db"], site["ids"]["task"]
    version = db.task(task)["version"]
    db.update_task(task, actor=ROLES["officer"], state="in_progress", percent=55.0, expected_version=version)
    with signed_in(site, "office") as page:
        page.goto(f"{site['base']}/audit")
        page.select_option("select[name=actor]", ROLES["officer"])
        page.click("#audit-filters button[type=submit]")
        page.wait_for_url("**actor=*")
        entries = page.locator("#journal > li")
        assert entries.count() >= 1
        assert all(entries.nth(k).inner_text().count("Cán bộ Sở Tài chính") for k in range(entries.count()))
        assert "tiến độ" in entries.first.inner_text() and "55 %" in entries.first.inner_text()
        shot(page, "flow-audit-person")
        today = vn_today()
        page.fill("input[name=end]", (today - timedelta(days=1)).strftime("%d/%m/%Y"))
        page.click("#audit-filters button[type=submit]")
        assert "Không có thay đổi nào khớp bộ lọc" in page.inner_text("#journal")
        # the whole log, a page at a time
        page.goto(f"{site['base']}/audit")
        newest = page.locator("#journal > li time").first.get_attribute("datetime")
        page.click("a[rel=next]")
        page.wait_for_url("**before=*")
        assert page.locator("#journal > li time").first.get_attribute("datetime") <= newest
        assert page.locator("a[rel=prev]").count() == 1


def _journal_tasks(page: Any) -> list[int]:
    """The tasks the entries listed on the audit page are about, one per entry that names one."""
    hrefs = page.locator("#journal > li p a[href^='/tasks/']").evaluate_all(
        "els => els.map(a => a.getAttribute('href'))"
    )
    return [int(h.rsplit("/", 1)[1]) for h in hrefs]


def test_the_audit_log_filtered_by_department_and_plan(site: dict) -> None:
    """The office narrows the log to one department, then to one plan, with the page's own selects."""
    db, ids = site["db"], site["ids"]
    long_task = next(t for t in db.tasks(plan=ids["long_plan"]) if t["lead"] == ["Sở Tài chính"])
    for task, percent in ((ids["task"], 65.0), (long_task["id"], 15.0)):
        version = db.task(task)["version"]
        db.update_task(task, actor=ROLES["officer"], state="in_progress", percent=percent, expected_version=version)
    congthuong = next(t for t in db.tasks(plan=ids["plan"]) if "Sở Công Thương" in t["lead"])
    db.update_task(
        congthuong["id"],
        actor="congthuong.vinhlong",
        state="in_progress",
        percent=20.0,
        expected_version=congthuong["version"],
    )
    with signed_in(site, "office", "phone") as page:
        page.goto(f"{site['base']}/audit")
        page.select_option("select[name=agency]", "Sở Công Thương")
        page.click("#audit-filters button[type=submit]")
        page.wait_for_url("**agency=*")
        shown = _journal_tasks(page)
        assert congthuong["id"] in shown and ids["task"] not in shown and long_task["id"] not in shown
        assert all("Sở Công Thương" in db.task(t)["lead"] for t in shown)
        shot(page, "flow-phone-audit-department")
        page.select_option("select[name=agency]", "")
        page.select_option("select[name=plan]", str(ids["long_plan"]))
        page.click("#audit-filters button[type=submit]")
        page.wait_for_url(f"**plan={ids['long_plan']}*")
        shown = _journal_tasks(page)
        assert long_task["id"] in shown and ids["task"] not in shown
        assert {db.task(t)["plan_id"] for t in shown} == {ids["long_plan"]}
        assert page.locator("select[name=plan]").input_value() == str(ids["long_plan"])  # the filter stays shown


def test_a_reporting_duty_edited(site: dict) -> None:
    duty = site["ids"]["duty"]
    with signed_in(site, "office") as page:
        page.goto(f"{site['base']}/duties")
        page.click(f"#duty-{duty} a.button")
        page.wait_for_url(f"**/duties/{duty}")
        page.select_option("select[name=frequency]", "quarterly")
        page.fill("input[name=day]", "15")
        page.select_option("select[name=month_offset]", "0")
        page.click("#duty-form button[type=submit]")
        page.wait_for_url("**saved=1")
        assert "Đã lưu" in page.inner_text("main")
        assert page.locator("select[name=frequency]").input_value() == "quarterly"
        page.goto(f"{site['base']}/duties/{duty}?as_of=2025-03-01")  # within the plan's year
        assert "Quý I năm 2025" in page.inner_text("#upcoming") and "17/03/2025" in page.inner_text(
            "#upcoming"
        )  # 15/03 is a Saturday
        shot(page, "flow-duty")
    saved = site["db"].duty(duty)
    assert (saved["frequency"], saved["day"], saved["month_offset"]) == ("quarterly", 15, 0)


def test_an_account_locked_cannot_sign_in(site: dict) -> None:
    from kehoach.web import demo

    with signed_in(site, "admin") as page:
        page.goto(f"{site['base']}/users")
        row = page.locator("#user-congthuong\\.vinhlong")
        page.once("dialog", lambda d: d.accept())
        row.locator("button").click()
        page.wait_for_load_state("networkidle")
        assert "đã khóa" in page.locator("#user-congthuong\\.vinhlong").inner_text()
        shot(page, "flow-users-locked")
    page = new_page(site["browser"], "phone")
    try:
        login(page, site["base"], "congthuong.vinhlong", demo.PASSWORD)
        assert "/login" in page.url and "không đúng" in page.inner_text("main")
    finally:
        page.context.close()


def _send(page: Any, form: Any) -> str:
    """Submits `form` and answers the page's error, or '' when the change was taken."""
    form.locator("button").last.click()
    page.wait_for_load_state("networkidle")
    error = page.locator("main p.error")
    return error.inner_text() if error.count() else ""


def test_forms_take_what_people_type_and_a_wrong_value_names_its_field(site: dict) -> None:
    """In the officer's own forms, on a phone: periods and numbers as people write them are
    taken; a wrong one is refused with a message that names the field in Vietnamese."""
    db, task = site["db"], site["ids"]["task"]
    with signed_in(site, "officer", "phone") as page:
        base = site["base"]
        page.goto(f"{base}/tasks/mine")
        card = page.locator("article.entry:has(form.value-form)").first
        indicator = int(card.get_attribute("id").split("-")[1])
        for period, value, stored in (
            ("Quý 3/2026", "7,5", ("2026-Q3", 7.5)),
            ("quý III/2026", "8", ("2026-Q3", 8.0)),
            ("6 tháng đầu năm 2026", "50%", ("2026-H1", 50.0)),
        ):
            page.goto(f"{base}/tasks/mine#indicator-{indicator}")
            form = page.locator(f"#indicator-{indicator} form.value-form")
            form.locator("input[name=period]").fill(period)
            form.locator("input[name=value]").fill(value)
            assert _send(page, form) == "", period
            saved = db.audit(entity="indicator", entity_id=indicator)[-1]["after"]
            assert (saved["period"], saved["value"]) == stored, period
        page.goto(f"{base}/tasks/mine")
        form = page.locator(f"#indicator-{indicator} form.value-form")
        form.locator("input[name=period]").fill("Quý V/2026")
        form.locator("input[name=value]").fill("5")
        said = _send(page, form)
        assert said.startswith("Kỳ") and "Quý V/2026" in said, said
        shot(page, "flow-phone-error-period")
        # the task's own form: "50%" is a percentage; 150 is refused, naming "Tỷ lệ hoàn thành"
        for typed, taken in (("50%", True), ("150", False)):
            page.goto(f"{base}/tasks/{task}")
            form = page.locator("#update-form")
            form.locator("select[name=state]").select_option("in_progress")
            form.locator("input[name=percent]").fill(typed)
            said = _send(page, form)
            if taken:
                assert said == "" and db.task(task)["percent"] == 50.0
            else:
                assert said.startswith("Tỷ lệ hoàn thành") and "percent" not in said, said
