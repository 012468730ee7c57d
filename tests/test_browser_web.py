"""The whole path in a real browser, on SQLite and PostgreSQL: a plan uploaded (read in the
background), corrected in review, published with its confirmation, a department's update, and
the dashboard that changes. Screenshots in test-artifacts/ (git-ignored) to be looked at.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from test_browser_kit import CHROMIUM, SAMPLE, chromium, new_page, serve, shot

from kehoach.store import Database

PASSWORD = "mat-khau-thu"

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="cần /usr/bin/chromium (apt-get install -y chromium)")
pytest.importorskip("playwright.sync_api", reason="cần gói playwright")


@pytest.fixture
def server(db: Database, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    from kehoach.web import accounts

    monkeypatch.setattr(accounts, "_N", 2**10)
    accounts.create_user(db, "office_vl", PASSWORD, role="office", province="Vĩnh Long", name="Văn phòng UBND tỉnh")
    accounts.create_user(
        db, "tc_vl", PASSWORD, role="officer", province="Vĩnh Long", agency="Sở Tài chính", name="Nguyễn Văn An"
    )
    with serve(db) as base:
        yield base


def login(page: Any, base: str, username: str) -> None:
    page.goto(f"{base}/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")


def heat(page: Any, department: str, status: str) -> int:
    cell = page.locator(f'td[data-dept="{department}"][data-status="{status}"]')
    text = cell.inner_text().strip() if cell.count() else ""
    return int(text or 0)


def test_upload_correct_publish_update_and_see_the_dashboard_change(server: str, db: Database) -> None:
    with chromium() as browser:
        page = new_page(browser, "desk")
        login(page, server, "office_vl")
        assert page.url.endswith("/dashboard")

        # upload a plan: it is read in the background, then its draft opens
        page.goto(f"{server}/upload")
        page.set_input_files("input[type=file]", str(SAMPLE))
        page.click("button.primary")
        page.wait_for_url("**/drafts/*")
        page.locator("#queue").wait_for(timeout=180_000)
        page.wait_for_load_state()  # the whole review page parsed, not only its queue
        assert page.locator("article.dtask[id^=t]").count() >= 50  # the sample's eighty-odd tasks
        shot(page, "web-01-review")

        # correct a lead inline (htmx swaps the task in place)
        task = page.locator("article.dtask").filter(has=page.locator('input[name=lead][value="Sở Công Thương"]')).first
        index = task.get_attribute("data-index")
        text = task.locator("textarea[name=text]").input_value()
        task.locator("input[name=lead]").fill("Sở Tài chính")
        task.locator("button[type=submit]", has_text="Lưu").first.click()
        corrected = page.locator(f"article#t{index}")
        corrected.locator(".status", has_text="đã sửa").wait_for()
        assert corrected.locator("input[name=lead]").input_value() == "Sở Tài chính"

        # publish: what still needs a person is listed, and a box must be ticked
        page.goto(page.url.split("#")[0] + "#publish-card")
        if page.locator("input[name=confirm]").count():
            page.check("input[name=confirm]")
        page.click("#publish")
        page.wait_for_url("**/plans/*")
        assert "77/QĐ-UBND" in page.inner_text("h1")
        page.goto(f"{server}/dashboard")
        before = heat(page, "Sở Tài chính", "hoàn thành quá hạn")
        page.context.close()

        # the department's officer records the task done, with its output
        page = new_page(browser, "phone")
        login(page, server, "tc_vl")
        assert page.url.endswith("/tasks/mine")
        shot(page, "web-02-my-tasks-phone")
        page.click(f"a:has-text('{text[:60]}')")
        page.wait_for_url("**/tasks/*")
        page.select_option("select[name=state]", "done")
        page.fill("input[name=product_number]", "125/BC-STC")
        page.fill("textarea[name=narrative]", "Đã hoàn thành, báo cáo số 125/BC-STC.")
        page.click("#update-form button.primary")
        page.wait_for_load_state("networkidle")
        assert "125/BC-STC" in page.inner_text("#updates")
        page.context.close()

        # the synthesizing office sees the dashboard change, and finds the task without diacritics
        page = new_page(browser, "desk")
        login(page, server, "office_vl")
        assert heat(page, "Sở Tài chính", "hoàn thành quá hạn") == before + 1
        shot(page, "web-03-dashboard-after")
        page.goto(f"{server}/search?q=giai+ngan+von+dau+tu+cong")
        assert page.locator("#search-tasks tbody tr").count() >= 1
        page.context.close()
