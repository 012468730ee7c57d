"""Every page as each role, on a desk (1366×768) and on a phone (390×844), in a real browser:
nothing is wider than the screen, axe-core finds no serious or critical violation, every field
has a name and its place in the tab order, no date breaks over two lines, and no page shows a
command, a format or a role's code.

One server and one browser for the module; each role signs in once per size. The screenshots
(test-artifacts/pages-<size>-<role>-<page>.png) are there to be looked at.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from test_browser_kit import (
    CHROMIUM,
    ROLES,
    axe,
    broken_dates,
    chromium,
    login,
    new_page,
    seed,
    serve,
    shot,
    strays_in_cards,
    too_wide,
    unreachable_fields,
    words_not_for_users,
)

from kehoach.store import Database

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="cần /usr/bin/chromium (apt-get install -y chromium)")
pytest.importorskip("playwright.sync_api", reason="cần gói playwright")

MANAGER_PAGES = {
    "dashboard": "/dashboard",
    "plans": "/plans",
    "plan": "/plans/{plan}",
    "long-plan": "/plans/{long_plan}",
    "task": "/tasks/{task}",
    "search": "/search?q=chuyen+doi+so",
    "notifications": "/notifications",
}
OFFICE_PAGES = MANAGER_PAGES | {
    "drafts": "/drafts",
    "draft": "/drafts/{draft}",
    "draft-queue": "/drafts/{draft}?reason=lead_collective",
    "upload": "/upload",
    "duties": "/duties",
    "duty": "/duties/{duty}",
    "reminders": "/reminders",
    "audit": "/audit",
    "error": "/plans/999999",
}
PAGES = {
    "office": OFFICE_PAGES,
    "admin": OFFICE_PAGES | {"users": "/users", "dashboard": "/dashboard"},
    "leader": MANAGER_PAGES,
    "officer": {k: v for k, v in MANAGER_PAGES.items() if k != "dashboard"} | {"my-tasks": "/tasks/mine"},
}
# axe runs where the markup is richest: the office's and the officer's pages (they hold every
# form the leader's and the administrator's share), and the administrator's own
AXE_ROLES = {"office", "officer", None}
ADMIN_ONLY = {"users"}
# the same markup as a shorter page beside it (the long plan, the review filtered to one reason),
# repeated eighty times: axe takes 10-20 s over these for nothing more
AXE_SHORTER = {"plan", "draft"}
# the most of a phone's 844 px the top bar may take (it took 288 px for the office: a third)
PHONE_BAR = 160


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, dict[str, Any]]]:
    from kehoach.web import accounts

    monkeypatch = pytest.MonkeyPatch()
    monkeypatch.setattr(accounts, "_N", 2**10)
    db = Database.open(f"sqlite:///{tmp_path_factory.mktemp('pages') / 'pages.db'}")
    try:
        ids = seed(db)
        with serve(db) as base:
            yield base, ids
    finally:
        db.close()
        monkeypatch.undo()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as b:
        yield b


def _visit(browser: Any, base: str, ids: dict, size: str, role: str | None) -> list[str]:
    """Every page of the role at the size; what is wrong, one line each."""
    from kehoach.web import demo

    page, wrong = new_page(browser, size), []
    try:
        if role is None:
            pages = {"login": "/login"}
        else:
            login(page, base, ROLES[role], demo.PASSWORD)
            pages = PAGES[role]
        for name, path in pages.items():
            page.goto(base + path.format(**ids))
            page.wait_for_load_state()  # the page and what it loads: none fetches more after
            shot(page, f"pages-{size}-{role or 'anonymous'}-{name}")
            if (wide := too_wide(page)) is not None:
                wrong.append(f"{size} {role} {path}: {wide['total']} px > {wide['width']} px {wide['elements']}")
            if size == "phone" and (bar := page.locator("header.top").bounding_box()["height"]) > PHONE_BAR:
                wrong.append(f"{size} {role} {path}: the top bar takes {bar:.0f} px of the screen")
            wrong += [f"{size} {role} {path}: a card shows «{x}» out of place" for x in strays_in_cards(page)]
            wrong += [f"{size} {role} {path}: the date {d} broken over two lines" for d in broken_dates(page)]
            wrong += [f"{size} {role} {path}: says «{w}»" for w in words_not_for_users(page)]
            wrong += [
                f"{size} {role} {path}: {f} has no name or is out of the tab order" for f in unreachable_fields(page)
            ]
            if (role in AXE_ROLES or name in ADMIN_ONLY) and name not in AXE_SHORTER:
                wrong += [f"{size} {role} {path}: axe {v['id']} ({v['impact']}) {v['nodes']}" for v in axe(page)]
    finally:
        page.context.close()
    return wrong


@pytest.mark.parametrize("size", ["desk", "phone"])
@pytest.mark.parametrize("role", ["office", "officer", "leader", "admin", None])
def test_every_page_fits_the_screen_and_passes_axe(
    browser: Any, site: tuple[str, dict], size: str, role: str | None
) -> None:
    base, ids = site
    wrong = _visit(browser, base, ids, size, role)
    assert not wrong, "\n".join(wrong)


def test_my_tasks_keeps_its_columns_on_a_desk(browser: Any, site: tuple[str, dict]) -> None:
    """The officer's list with a long-titled plan: the task column stays readable, status and the
    quick update stay on screen (it was 2,100 px wide, the task column 60 px)."""
    from kehoach.web import demo

    base, _ = site
    page = new_page(browser, "desk")
    try:
        login(page, base, ROLES["officer"], demo.PASSWORD)
        page.goto(f"{base}/tasks/mine")
        widths = page.evaluate(
            """() => {
              const row = document.querySelector('table.mine tbody tr');
              return Array.from(row.cells).map(c => [c.getBoundingClientRect().left, c.getBoundingClientRect().width]);
            }"""
        )
        assert widths[1][1] >= 250, widths  # the task's text
        last_left, last_width = widths[-1]
        assert last_left + last_width <= 1366, widths  # the quick update is on screen
        assert page.locator("table.mine tbody tr").first.locator("select[name=state]").is_visible()
    finally:
        page.context.close()


def test_the_keyboard_reaches_the_content_first_and_shows_where_it_is(browser: Any, site: tuple[str, dict]) -> None:
    from kehoach.web import demo

    base, ids = site
    page = new_page(browser, "desk")
    try:
        login(page, base, ROLES["officer"], demo.PASSWORD)
        page.goto(f"{base}/tasks/{ids['task']}")
        page.keyboard.press("Tab")
        skip = page.evaluate("() => [document.activeElement.className, getComputedStyle(document.activeElement).top]")
        assert skip[0] == "skip" and skip[1] != "-48px"  # the skip link, shown when focused
        page.keyboard.press("Enter")
        page.keyboard.press("Tab")
        inside = page.evaluate("() => !!document.activeElement.closest('main')")
        outline = page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
        assert inside and outline != "none"
    finally:
        page.context.close()
