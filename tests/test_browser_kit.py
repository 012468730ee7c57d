"""Shared setup for the browser tests (no tests here): a register a province would have, the
application served on a real port, Debian's chromium, axe-core, the width check, screenshots.

The register is the demonstration's (the bundled sample plans with progress, figures and
accounts for every role) plus what broke pages before: a plan with a long title, no number and
words too long for a phone's line, and a plan under review.
"""

from __future__ import annotations

import contextlib
import copy
import re
import socket
import threading
import time
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from test_web_kit import TRA_VINH_PLAN

from kehoach.errors import KehoachError
from kehoach.store import Database

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).parent.parent / "test-artifacts"
AXE = Path(__file__).parent / "vendor" / "axe.min.js"
SAMPLE = Path(__file__).parent.parent / "kehoach" / "data" / "samples" / "002_23dbc6410858588b.txt"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SIZES = {"desk": {"width": 1366, "height": 768}, "phone": {"width": 390, "height": 844}}
PORTS = (8125, 8126, 8127, 8128, 8129, 8105)  # this suite's; another free one if all are taken
# the demonstration's accounts, one per role (kehoach/web/demo.py), all with demo.PASSWORD
ROLES = {
    "admin": "quantri",
    "office": "vanphong.vinhlong",
    "leader": "lanhdao.vinhlong",
    "officer": "taichinh.vinhlong",
}
LONG_TITLE = (
    "Kế hoạch triển khai thực hiện Chương trình chuyển đổi số quốc gia và phát triển chính quyền số, "
    "kinh tế số, xã hội số trên địa bàn tỉnh Vĩnh Long giai đoạn 2026-2030, định hướng đến năm 2035 "
    "(https://vinhlong.gov.vn/van-ban/ke-hoach-chuyen-doi-so-giai-doan-2026-2030-dinh-huong-2035-ban-hanh-kem-theo)"
)


def _port() -> int:
    for port in PORTS:
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def serve(db: Database) -> Iterator[str]:
    """The application over `db` on a real port, in a thread, for the length of the block."""
    import uvicorn

    from kehoach.web import Settings, create_app

    config = uvicorn.Config(
        create_app(db, Settings(secret_key="browser-tests")), host="127.0.0.1", port=_port(), log_level="warning"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{config.port}"
    finally:
        server.should_exit = True
        thread.join(10)


def long_plan() -> dict:
    """A published plan with a long title and no number, its tasks led by Sở Tài chính."""
    plan = copy.deepcopy(TRA_VINH_PLAN) | {"source": "ke-hoach-chuyen-doi-so.txt"}
    plan["document"] = plan["document"] | {"number": None, "title": LONG_TITLE, "province": "Vĩnh Long"}
    word = "Cổngdịchvụcôngtrựctuyếntíchhợpliênthôngdữliệudùngchungcủatỉnh"  # no place to break
    for t in plan["tasks"]:
        t["lead"] = ["Sở Tài chính"]
        t["text"] = f"{t['text']} {word} ({LONG_TITLE[:90]})"
    return plan


def seed(db: Database) -> dict[str, Any]:
    """The demonstration's register, the long plan, and a draft under review; ids of each kind."""
    from kehoach.web import accounts, demo, review

    build = demo._reports  # the demonstration's hundreds of reports sent take minutes: a few will do
    try:
        demo._reports = _few_reports  # type: ignore[assignment]
        demo.build(db)
    finally:
        demo._reports = build  # type: ignore[assignment]
    long_id = db.ingest(long_plan(), actor="vanphong.vinhlong").plan_id
    office = accounts.authenticate(db, ROLES["office"], demo.PASSWORD)
    draft = review.create(db, office, SAMPLE.name, SAMPLE.read_bytes())
    plans = {p["number"]: p["id"] for p in db.plans()}
    main = plans["77/QĐ-UBND"]
    task = next(t["id"] for t in db.tasks(plan=main) if t["lead"] == ["Sở Tài chính"])
    return {
        "plan": main,
        "long_plan": long_id,
        "task": task,
        "draft": draft["id"],
        "duty": db.duties(plan=main)[0]["id"],
    }


def _few_reports(db: Database, plan_id: int, today: date) -> None:
    """A few monthly reports sent, one of them late, for the dashboard's compliance table."""
    due = db.calendar(date(2025, 1, 1), date(2025, 3, 31), plan=plan_id, as_of=today)
    for n, r in enumerate([r for r in due if r["agency"].startswith("Sở")][:6]):
        on = date.fromisoformat(r["due"]) + timedelta(days=5 if n % 3 == 2 else -1)
        with contextlib.suppress(KehoachError):  # a reporter the calendar names by a merged agency
            db.submit_report(r["duty_id"], r["agency"], r["period"], on, actor="demo")


@contextlib.contextmanager
def chromium() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS)
        try:
            yield browser
        finally:
            browser.close()


def new_page(browser: Any, size: str) -> Any:
    """A page at a desk's or a phone's size; axe is injected, so the page's own policy is bypassed."""
    phone = size == "phone"
    context = browser.new_context(
        viewport=SIZES[size], locale="vi-VN", is_mobile=phone, has_touch=phone, bypass_csp=True
    )
    page = context.new_page()
    page.set_default_timeout(90_000)  # a loaded machine (the suite runs beside others)
    return page


def login(page: Any, base: str, username: str, password: str) -> None:
    page.goto(f"{base}/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    with page.expect_navigation():  # the page the form's answer leads to, loaded
        page.click("button[type=submit]")


def too_wide(page: Any) -> dict | None:
    """None when nothing is wider than the window; else the width and the elements that stick out."""
    return page.evaluate(
        """() => {
          const width = window.innerWidth, total = document.documentElement.scrollWidth;
          if (total <= width) return null;
          const out = [];
          for (const el of document.querySelectorAll('body *')) {
            const r = el.getBoundingClientRect();
            if (r.right > width + 1 && out.length < 5) out.push(`${el.tagName}.${el.className} ${Math.round(r.right)}`);
          }
          return {width, total, elements: out};
        }"""
    )


# what an office clerk or an officer should never have to read: a command line, a format's name,
# an account role's code (roles are shown in Vietnamese), a period's code (2025-Q4: Quý IV năm 2025)
NOT_FOR_USERS = re.compile(
    r"\bkehoach [a-z]|plan/v1|\bJSON\b|\bcron\b|systemd|apt-get|\b(admin|officer|office|leader)\b"
    r"|\b\d{4}-(Q[1-4]|H[12]|9M)\b"
)


def words_not_for_users(page: Any) -> list[str]:
    """What the page shows (its visible text) that names a command, a format or a role's code."""
    text = page.evaluate("() => document.body.innerText")
    return [text[max(0, m.start() - 40) : m.end() + 40].replace("\n", " ") for m in NOT_FOR_USERS.finditer(text)]


def unreachable_fields(page: Any) -> list[str]:
    """The fields of the page's forms a keyboard or a screen reader would miss: without a name
    that is read out (a label or aria-label), or taken out of the tab order or put before it."""
    return page.evaluate(
        """() => {
          const fields = 'main input:not([type=hidden]), main select, main textarea, main button';
          const named = el => el.getAttribute('aria-label') || (el.tagName === 'BUTTON'
            ? el.textContent.trim() : el.labels && el.labels.length);
          return Array.from(document.querySelectorAll(fields))
            .filter(el => el.offsetParent !== null || el.closest('details'))
            .filter(el => !named(el) || el.tabIndex !== 0)
            .map(el => `${el.tagName.toLowerCase()}[name=${el.name}]`);
        }"""
    )


def broken_dates(page: Any) -> list[str]:
    """The dates shown (dd/mm/yyyy) that a narrow column breaks over two lines ("31/12/2" "025")."""
    return page.evaluate(
        """() => {
          const broken = [], walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
          for (let node = walker.nextNode(); node && broken.length < 5; node = walker.nextNode()) {
            for (const m of node.data.matchAll(/\\d{1,2}\\/\\d{1,2}\\/\\d{4}/g)) {
              const range = document.createRange();
              range.setStart(node, m.index);
              range.setEnd(node, m.index + m[0].length);
              const lines = new Set(Array.from(range.getClientRects()).map(r => Math.round(r.top)));
              if (lines.size > 1) broken.push(m[0]);
            }
          }
          return broken;
        }"""
    )


def strays_in_cards(page: Any) -> list[str]:
    """On a phone, what a table's card shows wrong: an item under the label column instead of
    beside its label (a task's date fell under "Thời hạn"), or a label with nothing beside it
    (the dashboard listed every status a department has no task in)."""
    return page.evaluate(
        """() => Array.from(document.querySelectorAll('table.cards td[data-label]'))
             .filter(td => td.offsetParent !== null && getComputedStyle(td, '::before').content !== 'none')
             .flatMap(td => {
               if (!td.textContent.trim() && !td.querySelector('input, select, button, a, img'))
                 return [`${td.dataset.label}: (trống)`];
               return Array.from(td.children)
                 .filter(el => el.offsetParent !== null
                   && el.getBoundingClientRect().left < td.getBoundingClientRect().left + 40)
                 .map(el => `${td.dataset.label}: ${el.innerText.slice(0, 40)}`);
             })
             .slice(0, 5)"""
    )


def axe(page: Any) -> list[dict]:
    """axe-core's serious and critical violations on the page (WCAG 2.1 A and AA, best practices)."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    found = page.evaluate(
        """async () => {
          const r = await axe.run(document, {resultTypes: ['violations']});
          return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}));
        }"""
    )
    return [v for v in found if v["impact"] in ("serious", "critical")]


def shot(page: Any, name: str) -> None:
    """The page, whole when it is a few screens long; else its first screen (a plan of 80 tasks on
    a phone is 60,000 px tall: slow to take and no easier to look at)."""
    whole = page.evaluate("document.documentElement.scrollHeight") <= 6 * page.viewport_size["height"]
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=whole)
