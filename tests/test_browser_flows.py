"""The office's and the administrator's daily flows in a real browser, on SQLite and PostgreSQL:
the review queue to a confirmed publication, the audit log filtered, a reporting duty edited,
an account locked. One server per database for the module; screenshots in test-artifacts/.
"""

from __future__ import annotations

import contextlib
import re
import uuid
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from conftest import BACKENDS, PG_URL
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from test_browser_kit import CHROMIUM, ROLES, chromium, login, new_page, seed, serve, shot

from kehoach.store import Database
from kehoach.vn import today as vn_today

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="cần /usr/bin/chromium (apt-get install -y chromium)")
pytest.importorskip("playwright.sync_api", reason="cần gói playwright")


@contextlib.contextmanager
def _database(kind: str, folder: Path) -> Iterator[Database]:
    """A register of its own for the module: a SQLite file, or a database on the test server."""
    if kind == "sqlite":
        with Database.open(f"sqlite:///{folder / 'flows.db'}") as db:
            yield db
        return
    assert PG_URL
    name = f"kehoach_browser_{uuid.uuid4().hex[:12]}"
    admin = create_engine(make_url(PG_URL).set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        with Database.open(make_url(PG_URL).set(database=name).render_as_string(hide_password=False)) as db:
            yield db
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="module", params=BACKENDS)
def site(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    from kehoach.web import accounts

    monkeypatch = pytest.MonkeyPatch()
    monkeypatch.setattr(accounts, "_N", 2**10)
    try:
        with _database(request.param, tmp_path_factory.mktemp("flows")) as db:
            ids = seed(db)
            with serve(db) as base, chromium() as browser:
                yield {"base": base, "db": db, "ids": ids, "browser": browser, "kind": request.param}
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
        shot(phone, f"flow-{site['kind']}-phone-review-excerpt")
    with signed_in(site, "office") as page:
        page.goto(f"{base}/drafts/{draft}")
        total = int(re.search(r"\((\d+)\)", page.locator("#h-queue").inner_text()).group(1))
        assert total > 0
        shot(page, f"flow-{site['kind']}-review-queue")
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
        shot(page, f"flow-{site['kind']}-review-line")
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
        shot(page, f"flow-{site['kind']}-publish-confirm")
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
        shot(page, f"flow-{site['kind']}-audit-person")
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
        shot(page, f"flow-{site['kind']}-duty")
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
        shot(page, f"flow-{site['kind']}-users-locked")
    page = new_page(site["browser"], "phone")
    try:
        login(page, site["base"], "congthuong.vinhlong", demo.PASSWORD)
        assert "/login" in page.url and "không đúng" in page.inner_text("main")
    finally:
        page.context.close()
