"""In a real browser (Debian's chromium through Playwright), on SQLite and PostgreSQL, at 1366×768 and
390×844: an upload read in the background with its progress shown, a task done with its output file,
an indicator's value entered from "Nhiệm vụ của tôi". Screenshots go to test-artifacts/ (git-ignored)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from test_web_jobs import running, serving
from test_web_kit import PASSWORD, Site, make_site

from kehoach.store import Database

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).parent.parent / "test-artifacts" / "upload"
DESK, PHONE = {"width": 1366, "height": 768}, {"width": 390, "height": 844}
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="cần /usr/bin/chromium (apt-get install -y chromium)")
playwright_sync = pytest.importorskip("playwright.sync_api", reason="cần gói playwright")


@pytest.fixture
def site(db: Database, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Site]:
    with running(make_site(db, monkeypatch, files_dir=tmp_path / "files")) as site:
        yield site


@pytest.fixture
def browser() -> Iterator[Any]:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with playwright_sync.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS)
        try:
            yield b
        finally:
            b.close()


@contextlib.contextmanager
def session(browser: Any, base: str, username: str) -> Iterator[Any]:
    context = browser.new_context(viewport=DESK, locale="vi-VN", accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(30000)
    page.goto(f"{base}/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")
    try:
        yield page
    finally:
        context.close()


def shot(page: Any, name: str, backend: str) -> None:
    page.screenshot(path=str(ARTIFACTS / f"{name}-{backend}-{page.viewport_size['width']}.png"), full_page=False)


def fits(page: Any) -> None:
    """Nothing on the page is wider than the screen."""
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"] + 1, f"{page.url}: {width} px at {page.viewport_size['width']}"


def both_sizes(page: Any, name: str, backend: str, at: str | None = None) -> None:
    """A screenshot of the page at 1366×768 and at 390×844 (each checked to fit the screen),
    scrolled to the element `at` when given."""
    for size in (DESK, PHONE):
        page.set_viewport_size(size)
        page.wait_for_timeout(100)
        fits(page)
        if at:
            page.locator(at).scroll_into_view_if_needed()
        shot(page, name, backend)
    page.set_viewport_size(DESK)


def backend_of(db: Database) -> str:
    return db.engine.dialect.name


def scan(tmp_path: Path, pages: int) -> Path:
    import docgen

    blocks = docgen.seed_blocks(docgen.seed_text("002_23dbc6410858588b.txt"))
    pdf = docgen.make_pdf(blocks, tmp_path / "kh.pdf")
    return docgen.make_scan(pdf, tmp_path / "ke-hoach-ban-quet.pdf", pages=pages, dpi=200)


@pytest.mark.any_database  # a scan OCRed in the browser once; the jobs on both databases: test_web_jobs.py
def test_an_upload_shows_its_progress_then_its_draft(site: Site, browser: Any, tmp_path: Path) -> None:
    pytest.importorskip("fpdf", reason="cần fpdf2 để tạo bản quét thử")
    backend = backend_of(site.db)
    path = scan(tmp_path, pages=3)
    with serving(site.app) as base, session(browser, base, "office_vl") as page:
        page.goto(f"{base}/upload")
        both_sizes(page, "01-upload", backend)
        page.set_input_files("input[type=file]", str(path))
        page.click("button.primary")
        page.wait_for_url("**/drafts/*")
        progress = page.locator("#progress")
        progress.locator("progress").wait_for()  # the page answers at once, with a progress bar
        assert "ke-hoach-ban-quet.pdf" in progress.inner_text()
        page.locator("#progress-stage").wait_for()
        both_sizes(page, "02-progress", backend)
        # the scan's pages recognised one after another: "đang nhận dạng chữ (OCR) — trang n/3"
        page.wait_for_function(
            "() => (document.querySelector('#progress-stage') || {}).textContent?.includes('(OCR)')"
            " && document.querySelector('#progress-page')",
            timeout=120000,
        )
        assert page.locator("#progress-page").inner_text().endswith("/3")
        both_sizes(page, "02b-progress-ocr", backend)
        # meanwhile the rest of the site answers: the office opens its list of drafts in another tab
        other = page.context.new_page()
        other.goto(f"{base}/drafts")
        assert "đang xử lý" in other.locator("table.list").inner_text() or "đang rà soát" in other.inner_text("body")
        other.close()
        page.locator("#source").wait_for(timeout=180000)  # the page turns into the review by itself
        shot(page, "03-draft-after-progress", backend)
        assert page.locator("#source li").count() > 20  # three pages of recognised text
        assert "KẾ HOẠCH" in page.locator("#source").inner_text().upper()


def test_a_failed_upload_says_what_to_do(site: Site, browser: Any, tmp_path: Path) -> None:
    backend = backend_of(site.db)
    bad = tmp_path / "ke-hoach.docx"
    bad.write_bytes(b"PK\x03\x04 this is not a Word file")
    with serving(site.app) as base, session(browser, base, "office_vl") as page:
        page.goto(f"{base}/upload")
        page.set_input_files("input[type=file]", str(bad))
        page.click("button.primary")
        page.wait_for_url("**/drafts/*")
        message = page.locator("#progress-message")
        message.wait_for(timeout=60000)
        assert "ke-hoach.docx" in message.inner_text()
        assert page.locator("a", has_text="Tải tệp khác lên").is_visible()
        both_sizes(page, "04-upload-failed", backend)


def test_done_with_an_evidence_file_and_an_indicator_value_from_my_tasks(
    site: Site, browser: Any, tmp_path: Path
) -> None:
    from test_web_files import pdf_bytes

    backend = backend_of(site.db)
    evidence = tmp_path / "Báo cáo kết quả giải ngân.pdf"
    evidence.write_bytes(pdf_bytes())
    task = site.tasks["tc"]
    with serving(site.app) as base, session(browser, base, "tc_vl") as page:
        # on a phone, the quick update of "Nhiệm vụ của tôi" takes the output too
        page.set_viewport_size(PHONE)
        page.goto(f"{base}/tasks/mine")
        row = page.locator(f"#task-{task}")
        row.locator("details.product summary").click()
        assert row.locator("input[name=product_file]").is_visible()
        row.scroll_into_view_if_needed()
        fits(page)
        shot(page, "05a-my-tasks-quick-product", backend)
        page.set_viewport_size(DESK)
        page.goto(f"{base}/tasks/{task}")
        form = page.locator("#update-form")
        form.locator("select[name=state]").select_option("done")
        form.locator("input[name=product_file]").set_input_files(str(evidence))
        form.locator("textarea[name=narrative]").fill("Đã hoàn thành giải ngân, có báo cáo kèm theo.")
        form.locator("button.primary").click()
        page.wait_for_load_state("networkidle")
        files = page.locator("#files")
        assert "Báo cáo kết quả giải ngân.pdf" in files.inner_text()
        assert "hoàn thành" in page.locator("dl.facts").inner_text()
        with page.expect_download() as d:
            files.locator("a", has_text="Báo cáo kết quả giải ngân.pdf").click()
        assert d.value.suggested_filename == "Báo cáo kết quả giải ngân.pdf"
        assert Path(d.value.path()).read_bytes() == evidence.read_bytes()
        both_sizes(page, "05-task-done-with-file", backend, at="#files")

        # an indicator's value, typed as people write it, from "Nhiệm vụ của tôi"
        page.goto(f"{base}/tasks/mine")
        card = page.locator(f"#indicator-{site.indicators['tc']}")
        card.scroll_into_view_if_needed()
        card.locator("input[name=period]").fill("6 tháng đầu năm 2025")
        card.locator("input[name=value]").fill("7,5")
        card.locator("button").click()
        page.wait_for_load_state("networkidle")
        assert page.url.endswith(f"/tasks/mine#indicator-{site.indicators['tc']}")
        card = page.locator(f"#indicator-{site.indicators['tc']}")
        assert "7,5" in card.inner_text() and "6 tháng đầu năm 2025" in card.inner_text()
        both_sizes(page, "06-my-tasks-indicator", backend, at=f"#indicator-{site.indicators['tc']}")
    latest = site.db.indicator(site.indicators["tc"])["latest"]
    assert latest["value"] == 7.5 and latest["period"] == "2025-H1"
