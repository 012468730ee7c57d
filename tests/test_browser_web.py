"""End-to-end flows in a real browser: Playwright driving Debian's chromium, headless.

Screenshots of the main pages go to test-artifacts/ (git-ignored) to be looked at.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).parent.parent / "test-artifacts"
SAMPLE = Path(__file__).parent.parent / "kehoach" / "data" / "samples" / "002_23dbc6410858588b.txt"
PASSWORD = "mat-khau-thu"

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="cần /usr/bin/chromium (apt-get install -y chromium)")
playwright_sync = pytest.importorskip("playwright.sync_api", reason="cần gói playwright")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def server(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    import uvicorn

    from kehoach.store import Database
    from kehoach.web import Settings, accounts, create_app

    monkeypatch.setattr(accounts, "_N", 2**10)
    db = Database.open(f"sqlite:///{tmp_path / 'web.db'}")
    accounts.create_user(db, "office_vl", PASSWORD, role="office", province="Vĩnh Long", name="Văn phòng UBND tỉnh")
    accounts.create_user(
        db, "tc_vl", PASSWORD, role="officer", province="Vĩnh Long", agency="Sở Tài chính", name="Nguyễn Văn An"
    )
    port = _free_port()
    config = uvicorn.Config(
        create_app(db, Settings(secret_key="browser-test")), host="127.0.0.1", port=port, log_level="warning"
    )
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not srv.started and time.monotonic() < deadline:
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        srv.should_exit = True
        thread.join(10)
        db.close()


@pytest.fixture
def page(server: str) -> Iterator[Any]:
    ARTIFACTS.mkdir(exist_ok=True)
    with playwright_sync.sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=str(CHROMIUM),
            headless=True,
            args=[
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        context = browser.new_context(viewport={"width": 1400, "height": 900}, locale="vi-VN")
        pg = context.new_page()
        pg.set_default_timeout(20000)
        try:
            yield pg
        finally:
            context.close()
            browser.close()


def login(page: Any, base: str, username: str) -> None:
    page.goto(f"{base}/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")


def logout(page: Any) -> None:
    page.click("header .who form button")
    page.wait_for_url("**/login")


def heat(page: Any, department: str, status: str) -> int:
    cell = page.locator(f'td[data-dept="{department}"][data-status="{status}"]')
    text = cell.inner_text().strip() if cell.count() else ""
    return int(text or 0)


def shot(page: Any, name: str) -> None:
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=False)


def test_upload_correct_publish_update_and_see_the_dashboard_change(page: Any, server: str) -> None:
    page.goto(f"{server}/login")
    shot(page, "01-login")
    login(page, server, "office_vl")
    assert page.url.endswith("/dashboard")

    # upload a seed and review it
    page.goto(f"{server}/upload")
    page.set_input_files("input[type=file]", str(SAMPLE))
    page.click("button.primary")
    page.wait_for_url("**/drafts/*")
    assert page.locator("article.dtask").count() == 83
    shot(page, "02-review")
    page.click("details.indicators summary")
    page.locator("form#i0").scroll_into_view_if_needed()
    shot(page, "02b-review-indicators")
    page.click("details.indicators summary")

    # correct a lead agency inline (htmx swaps the task in place)
    task = page.locator("article.dtask").filter(has=page.locator('input[name=lead][value="Sở Công Thương"]')).first
    index = task.get_attribute("data-index")
    text = task.locator("textarea[name=text]").input_value()
    task.locator("input[name=lead]").fill("Sở Tài chính")
    task.locator("button[type=submit]", has_text="Lưu").click()
    corrected = page.locator(f"article#t{index}")
    corrected.locator(".status", has_text="đã sửa").wait_for()
    assert corrected.locator("input[name=lead]").input_value() == "Sở Tài chính"
    shot(page, "03-review-corrected")

    # publish
    page.click("#publish")
    page.wait_for_url("**/plans/*")
    assert "77/QĐ-UBND" in page.inner_text("h1")
    shot(page, "04-plan")
    page.goto(f"{server}/dashboard")
    before = heat(page, "Sở Tài chính", "hoàn thành quá hạn")
    shot(page, "05-dashboard")
    logout(page)

    # the department officer updates the task
    login(page, server, "tc_vl")
    assert page.url.endswith("/tasks/mine")
    shot(page, "06-my-tasks")
    page.click(f"a:text-is('{text[:200]}')" if len(text) <= 200 else f"a:has-text('{text[:60]}')")
    page.wait_for_url("**/tasks/*")
    page.select_option("select[name=state]", "done")
    page.fill("input[name=product_number]", "125/BC-STC")
    page.fill("textarea[name=narrative]", "Đã hoàn thành, báo cáo số 125/BC-STC.")
    page.fill("textarea[name=difficulties]", "Không có")
    shot(page, "07-task-update")
    page.click("#update-form button.primary")
    page.wait_for_load_state("networkidle")
    assert "125/BC-STC" in page.inner_text("table.list")
    logout(page)

    # the synthesizing office sees the dashboard change
    login(page, server, "office_vl")
    page.goto(f"{server}/dashboard")
    assert heat(page, "Sở Tài chính", "hoàn thành quá hạn") == before + 1
    shot(page, "08-dashboard-after")
    page.goto(f"{server}/search?q=giai+ngan+von+dau+tu+cong")
    assert page.locator("table.tasks tr").count() >= 1
    shot(page, "09-search")
