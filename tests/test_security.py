"""Hostile input and attacks through the web application: each refused or neutralised, clearly.

Uploads (zip bomb, XML entities, huge or malformed PDF, wrong type, traversal in the name,
over-long fields, script in task text), session fixation, CSRF across sessions, password
spraying, and secrets kept out of logs and the audit log. The authorization matrix itself
(every role × every endpoint, API and exports) is in test_web_authz.py.
"""

from __future__ import annotations

import io
import itertools
import json
import logging
import re
import socket
import threading
import time
import zipfile
from collections.abc import Iterable, Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import anyio
import pytest
from fastapi.testclient import TestClient
from test_web_kit import PASSWORD, Site, login, make_site

from kehoach.store import Database
from kehoach.store.logins import RULES
from kehoach.web import accounts, review

SAMPLE = Path(__file__).parent.parent / "kehoach" / "data" / "samples" / "002_23dbc6410858588b.txt"
CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
)
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


@pytest.fixture
def site(db: Database, monkeypatch: pytest.MonkeyPatch) -> Site:
    return make_site(db, monkeypatch)


def _docx(document_xml: str | bytes, extra: dict[str, bytes] | None = None) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", CONTENT_TYPES)
        z.writestr("word/document.xml", document_xml)
        for name, data in (extra or {}).items():
            z.writestr(name, data)
    return buf.getvalue()


def _upload(c: TestClient, name: str, data: bytes) -> dict:
    t0 = time.monotonic()
    r = c.post("/api/drafts?wait=true", files={"file": (name, data, "application/octet-stream")})
    elapsed = time.monotonic() - t0
    assert elapsed < 20, f"{name}: {elapsed:.1f} s"
    assert r.status_code < 500, r.text
    return {"status": r.status_code, "body": r.json()}


def _refused(result: dict, *words: str) -> str:
    assert result["status"] in (413, 422), result
    message = result["body"]["error"]["message"]
    for w in words:
        assert w in message, message
    return message


# --- hostile uploads ------------------------------------------------------------------------------


@pytest.mark.any_database
def test_zip_bomb_docx_is_refused_before_unzipping(site: Site) -> None:
    paragraph = f"<w:p><w:r><w:t>{'A' * 1000}</w:t></w:r></w:p>"
    bomb = _docx(f'<w:document xmlns:w="{W}"><w:body>' + paragraph * 30_000 + "</w:body></w:document>")
    assert len(bomb) < 1_000_000  # 30 MB of XML in well under 1 MB
    _refused(_upload(site.client("office_vl"), "ke-hoach.docx", bomb), "ke-hoach.docx")


@pytest.mark.any_database
def test_xml_entity_expansion_in_docx_is_not_expanded(site: Site) -> None:
    entities = '<!ENTITY l0 "hahahahaha">' + "".join(
        f'<!ENTITY l{i} "{("&l" + str(i - 1) + ";") * 10}">' for i in range(1, 10)
    )
    xml = (
        f'<?xml version="1.0"?><!DOCTYPE w:document [{entities}]>'
        f'<w:document xmlns:w="{W}"><w:body><w:p><w:r><w:t>KẾ HOẠCH &l9;</w:t></w:r></w:p></w:body></w:document>'
    )
    result = _upload(site.client("office_vl"), "entities.docx", _docx(xml))
    if result["status"] == 200:  # read without entities: the text is there, unexpanded
        assert "hahaha" not in str(result["body"])
    else:
        _refused(result, "entities.docx")


@pytest.mark.any_database
def test_huge_upload_is_refused_with_the_limit(site: Site) -> None:
    app_settings = site.app.state.settings
    size = (app_settings.max_upload_mb + 1) * 2**20
    result = _upload(site.client("office_vl"), "lon.pdf", b"%PDF-1.4\n" + b"0" * size)
    _refused(result, f"{app_settings.max_upload_mb} MB")


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("hong.pdf", b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R >>\nendobj\ntrailer\n%%EOF"),
        ("cut.pdf", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n" + b"\x00\xff" * 5000),
        ("chuong-trinh.exe", b"MZ\x90\x00" + bytes(range(256)) * 40),
        ("anh.docx", b"\x89PNG\r\n\x1a\n" + b"\x00" * 200),
        ("rong.txt", b""),
        ("zip-khac.docx", _docx(b"not xml at all <<<")),
    ],
)
@pytest.mark.any_database
def test_malformed_or_wrong_type_uploads_are_refused_clearly(site: Site, name: str, data: bytes) -> None:
    message = _refused(_upload(site.client("office_vl"), name, data))
    assert name in message or "tệp" in message.lower()


@pytest.mark.any_database
def test_path_traversal_in_the_upload_name_is_only_a_name(site: Site, tmp_path: Path) -> None:
    c = site.client("office_vl")
    for name in ("../../../../etc/kehoach.txt", "..\\..\\windows\\kehoach.txt", "/tmp/kehoach-abs.txt"):
        result = _upload(c, name, SAMPLE.read_bytes())
        assert result["status"] == 200, result
        stored = result["body"]["source_name"]
        assert "/" not in stored and "\\" not in stored and ".." not in stored, stored
    assert not Path("/etc/kehoach.txt").exists() and not Path("/tmp/kehoach-abs.txt").exists()


def test_over_long_fields_are_refused_or_kept_whole(site: Site) -> None:
    c = site.client("office_vl")
    huge = _upload(c, "x" * 5000 + ".txt", SAMPLE.read_bytes())  # the multipart parser's own limit
    assert huge["status"] in (400, 422) and huge["body"]["error"]["message"], huge
    long = _upload(c, "kế hoạch " * 60 + ".txt", SAMPLE.read_bytes())
    assert long["status"] == 200 and len(long["body"]["source_name"]) <= 200, long
    assert long["body"]["source_name"].endswith(".txt")
    d = _upload(c, "kh.txt", SAMPLE.read_bytes())["body"]
    r = c.post(f"/api/drafts/{d['id']}/tasks/0", json={"text": "Nhiệm vụ " + "rất dài " * 200_000})
    assert r.status_code in (200, 413, 422), r.text[:200]
    r = c.post(f"/api/tasks/{site.tasks['tc']}/comments", json={"text": "ý kiến " * 200_000})
    assert r.status_code in (200, 413, 422), r.text[:200]
    r = site.client("tc_vl").post(
        f"/api/tasks/{site.tasks['tc']}/update", json={"percent": 10, "narrative": "x" * 2_000_000}
    )
    assert r.status_code in (200, 413, 422), r.text[:200]
    assert site.client("tc_vl").get(f"/api/tasks/{site.tasks['tc']}").status_code == 200


SCRIPT = '<script>alert("xss")</script><img src=x onerror=alert(1)>'


@pytest.mark.any_database
def test_script_in_task_text_is_shown_escaped(site: Site) -> None:
    text = SAMPLE.read_text("utf-8")
    needle = "Thường xuyên rà soát"
    assert needle in text
    hostile = text.replace(needle, f"{SCRIPT} {needle}", 1).encode("utf-8")
    office = site.client("office_vl")
    d = _upload(office, "xss.txt", hostile)
    assert d["status"] == 200, d
    draft_id = d["body"]["id"]
    page = office.get(f"/drafts/{draft_id}")
    assert page.status_code == 200
    assert "<script>alert" not in page.text and "<img src=x" not in page.text
    assert "&lt;script&gt;" in page.text
    # and after publishing, on the task's page, in a comment, in a progress note
    r = office.post(f"/api/drafts/{draft_id}/publish", json={"confirm": True})
    assert r.status_code == 200, r.text
    tc = site.client("tc_vl")
    task = site.tasks["tc"]
    assert tc.post(f"/api/tasks/{task}/comments", json={"text": SCRIPT}).status_code == 200
    assert tc.post(f"/api/tasks/{task}/update", json={"percent": 5, "narrative": SCRIPT}).status_code == 200
    for url in (f"/tasks/{task}", "/tasks/mine", f"/search?q={needle}"):
        page = tc.get(url)
        assert page.status_code == 200
        assert "<script>alert" not in page.text and "<img src=x" not in page.text, url


# --- sessions, CSRF, brute force ------------------------------------------------------------------


def test_session_fixation_a_cookie_from_before_login_grants_nothing(site: Site) -> None:
    c = site.client()
    c.get("/login")
    before = c.cookies.get("kehoach_session")
    assert before
    login(c, "tc_vl")
    after = c.cookies.get("kehoach_session")
    assert after and after != before, "the session was not renewed at login"
    planted = TestClient(site.app)
    planted.cookies.set("kehoach_session", before)
    assert planted.get("/api/session").status_code == 401
    forged = TestClient(site.app)
    forged.cookies.set("kehoach_session", after[:-4] + "AAAA")
    assert forged.get("/api/session").status_code == 401
    c.post("/api/logout")
    assert c.get("/api/session").status_code == 401


def test_logout_revokes_a_copied_session_cookie(site: Site) -> None:
    c = site.client("tc_vl")
    copied = c.cookies.get("kehoach_session")
    c.post("/api/logout")
    thief = TestClient(site.app)
    thief.cookies.set("kehoach_session", copied)
    assert thief.get("/api/session").status_code == 401
    assert site.client("tc_vl").get("/api/session").status_code == 200  # logging in again works


def test_a_locked_account_loses_its_sessions_and_cannot_log_in(site: Site) -> None:
    officer, admin = site.client("tc_vl"), site.client("admin")
    r = admin.post("/api/users/tc_vl/active", json={"active": False})
    assert r.status_code == 200 and r.json() == {"username": "tc_vl", "active": False}
    assert officer.get("/api/session").status_code == 401
    assert site.client().post("/api/login", json={"username": "tc_vl", "password": PASSWORD}).status_code == 401
    assert next(u for u in admin.get("/api/users").json()["users"] if u["username"] == "tc_vl")["active"] is False
    assert admin.post("/api/users/admin/active", json={"active": False}).status_code == 422  # not oneself
    assert admin.post("/api/users/tc_vl/active", json={"active": True}).status_code == 200
    assert site.client("tc_vl").get("/api/session").status_code == 200


def test_password_change_ends_the_accounts_sessions(site: Site) -> None:
    c = site.client("tc_vl")
    assert c.get("/api/session").status_code == 200
    accounts.set_password(site.db, "tc_vl", "mat-khau-moi-2026", actor="admin")
    assert c.get("/api/session").status_code == 401


def test_csrf_token_of_another_session_is_refused(site: Site) -> None:
    attacker, victim = site.client("ct_vl"), site.client("tc_vl")
    victim.headers["X-CSRF-Token"] = attacker.headers["X-CSRF-Token"]
    r = victim.post(f"/api/tasks/{site.tasks['tc']}/update", json={"percent": 50})
    assert r.status_code == 403 and r.json()["error"]["code"] == "csrf"
    del victim.headers["X-CSRF-Token"]
    r = victim.post(f"/tasks/{site.tasks['tc']}/update", data={"percent": "50"})
    assert r.status_code == 403
    office = site.client("office_vl")
    del office.headers["X-CSRF-Token"]
    r = office.post("/api/drafts", files={"file": ("kh.txt", SAMPLE.read_bytes(), "text/plain")})
    assert r.status_code == 403 and r.json()["error"]["code"] == "csrf"
    assert site.db.task(site.tasks["tc"])["updates"] == []


def test_password_spraying_from_one_address_is_slowed_down(site: Site) -> None:
    free = RULES["address"].free  # a shared office gateway has many users: the address's count is generous
    c = site.client()
    codes = [
        c.post("/api/login", json={"username": f"user{i}", "password": "doan-thu"}).status_code for i in range(free + 3)
    ]
    assert codes[:free] == [401] * free and set(codes[free:]) == {429}, codes
    r = c.post("/api/login", json={"username": "tc_vl", "password": PASSWORD})
    assert r.status_code == 429 and int(r.headers["retry-after"]) > 0
    assert r.json()["error"]["code"] == "rate_limited"


# --- secrets ---------------------------------------------------------------------------------------


def test_secrets_are_never_logged_or_audited(
    site: Site, caplog: pytest.LogCaptureFixture, capsys: pytest.CaptureFixture[str]
) -> None:
    secret = "Bi-mat-rat-dai-2026!"
    caplog.set_level(logging.DEBUG)
    admin = site.client("admin")
    r = admin.post(
        "/api/users", json={"username": "moi", "password": secret, "role": "office", "province": "Vĩnh Long"}
    )
    assert r.status_code == 200, r.text
    c = site.client()
    assert c.post("/api/login", json={"username": "moi", "password": secret + "x"}).status_code == 401
    login(c, "moi", secret)
    out = capsys.readouterr()
    logged = caplog.text + out.out + out.err
    assert secret not in logged
    audit = str(site.db.audit())
    assert secret not in audit and "scrypt$" not in audit
    assert secret not in r.text and "password" not in r.json()


# --- request bodies: limited while they are read --------------------------------------------------

CHUNK = b"x" * 64 * 2**10


def raw_request(
    app: Any, method: str, path: str, headers: dict[str, str], chunks: Iterable[bytes]
) -> tuple[int, dict[str, str], bytes, int]:
    """Send a request straight to the ASGI application a chunk at a time, as a server would.

    Returns the status, the headers, the body and how many bytes of the request the
    application pulled (the test client would read the whole body before calling it)."""
    pulled, source = 0, iter(chunks)

    async def receive() -> dict:
        nonlocal pulled
        chunk = next(source, None)
        if chunk is None:
            return {"type": "http.request", "body": b"", "more_body": False}
        pulled += len(chunk)
        return {"type": "http.request", "body": chunk, "more_body": True}

    start: dict[str, Any] = {}
    body = bytearray()

    async def send(message: dict) -> None:
        if message["type"] == "http.response.start":
            start.update(message)
        elif message["type"] == "http.response.body":
            body.extend(message.get("body", b""))

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in headers.items()],
        "client": ("127.0.0.1", 50000),
        "server": ("testserver", 80),
    }
    anyio.run(app, scope, receive, send)
    answer = {k.decode("latin-1"): v.decode("latin-1") for k, v in start.get("headers", [])}
    return start.get("status", 0), answer, bytes(body), pulled


def _signed_in(site: Site, username: str) -> dict[str, str]:
    """The headers of a signed-in request: its session cookie and CSRF token."""
    c = site.client(username)
    return {"cookie": f"kehoach_session={c.cookies.get('kehoach_session')}", "x-csrf-token": c.headers["X-CSRF-Token"]}


def _too_large(status: int, body: bytes, *words: str) -> dict:
    assert status == 413, (status, body[:300])
    error = json.loads(body)["error"]
    assert error["code"] == "too_large" and error["field"], error
    for w in words:
        assert w in error["message"], error["message"]
    return error


def endless() -> Iterable[bytes]:
    """A body that goes on (64 MB at most, should a limit fail)."""
    return itertools.repeat(CHUNK, 1024)


@pytest.mark.any_database
def test_a_login_body_declared_too_large_is_refused_before_a_byte_is_read(site: Site) -> None:
    headers = {"content-type": "application/json", "content-length": str(200 * 2**20)}
    status, answer, body, pulled = raw_request(site.app, "POST", "/api/login", headers, endless())
    _too_large(status, body, "16 KB", "200 MB")
    assert pulled == 0
    assert "content-security-policy" in answer  # the refusal is a page of the site like any other


@pytest.mark.any_database
def test_a_chunked_login_body_is_cut_off_at_its_limit(site: Site) -> None:
    headers = {"content-type": "application/json", "transfer-encoding": "chunked"}
    status, _, body, pulled = raw_request(site.app, "POST", "/api/login", headers, endless())
    _too_large(status, body, "16 KB")
    assert pulled <= 16 * 2**10 + len(CHUNK), pulled
    # nothing was counted against the name it never read: a real login still works at once
    assert site.client().post("/api/login", json={"username": "tc_vl", "password": PASSWORD}).status_code == 200


@pytest.mark.any_database
def test_the_login_form_over_its_limit_is_a_vietnamese_page(site: Site) -> None:
    c = site.client()
    r = c.post(
        "/login", content=b"username=" + b"a" * 20_000, headers={"content-type": "application/x-www-form-urlencoded"}
    )
    assert r.status_code == 413 and "text/html" in r.headers["content-type"]
    assert "lớn hơn giới hạn 16 KB" in r.text


@pytest.mark.any_database
def test_a_json_body_over_one_megabyte_is_cut_off(site: Site) -> None:
    headers = _signed_in(site, "tc_vl") | {"content-type": "application/json", "transfer-encoding": "chunked"}
    path = f"/api/tasks/{site.tasks['tc']}/comments"
    status, _, body, pulled = raw_request(site.app, "POST", path, headers, endless())
    _too_large(status, body, "1 MB")
    assert pulled <= 2**20 + len(CHUNK), pulled
    assert site.db.task(site.tasks["tc"])["updates"] == []


@pytest.mark.any_database
def test_an_upload_declared_over_the_limit_is_refused_before_it_is_read(site: Site) -> None:
    limit = site.app.state.settings.max_upload_mb
    headers = _signed_in(site, "office_vl") | {
        "content-type": "multipart/form-data; boundary=xyz",
        "content-length": str(400 * 2**20),
    }
    status, _, body, pulled = raw_request(site.app, "POST", "/api/drafts", headers, endless())
    _too_large(status, body, f"{limit} MB")
    assert pulled == 0


@pytest.mark.any_database
def test_an_undeclared_upload_is_cut_off_at_the_limit(site: Site) -> None:
    limit = site.app.state.settings.max_upload_mb * 2**20
    headers = _signed_in(site, "office_vl") | {
        "content-type": "multipart/form-data; boundary=xyz",
        "transfer-encoding": "chunked",
    }
    head = b'--xyz\r\nContent-Disposition: form-data; name="file"; filename="lon.txt"\r\n\r\n'
    status, _, body, pulled = raw_request(site.app, "POST", "/api/drafts", headers, itertools.chain([head], endless()))
    _too_large(status, body)
    assert pulled <= limit + 2**20, pulled


# --- the Content-Security-Policy --------------------------------------------------------------------

TEMPLATES = Path(__file__).parent.parent / "kehoach" / "web" / "templates"
# what the policy would block: an inline script, an event handler, an inline style, a javascript: URL
INLINE = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>|<style\b|\son[a-z]+\s*=|\sstyle\s*=|javascript:", re.IGNORECASE)
DIRECTIVES = (
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
)


def test_no_template_has_inline_script_handler_or_style() -> None:
    found = [
        f"{path.name}:{n}: {m.group(0)}"
        for path in sorted(TEMPLATES.glob("*.html"))
        for n, line in enumerate(path.read_text("utf-8").splitlines(), 1)
        for m in INLINE.finditer(line)
    ]
    assert not found, "\n".join(found)


@pytest.mark.any_database
def test_every_answer_carries_the_policy(site: Site) -> None:
    office = site.client("office_vl")
    for url in (
        "/login",
        "/dashboard",
        "/plans",
        f"/tasks/{site.tasks['tc']}",
        "/api/plans",
        "/nowhere",
        "/static/app.js",
    ):
        r = office.get(url)
        policy = r.headers.get("content-security-policy", "")
        assert all(d in policy for d in DIRECTIVES) and "unsafe" not in policy, (url, policy)
        assert r.headers["x-frame-options"] == "DENY" and r.headers["x-content-type-options"] == "nosniff"
    for url in ("/dashboard", "/plans", f"/tasks/{site.tasks['tc']}", f"/plans/{site.tra_vinh}", "/drafts", "/upload"):
        page = office.get(url).text
        assert not INLINE.search(page), (url, INLINE.search(page))
    r = office.get(f"/api/tasks/{2**40}")  # an error is a page of the site like any other
    assert r.status_code == 422 and "frame-ancestors 'none'" in r.headers["content-security-policy"]


# --- in a real browser: the pages work under the policy --------------------------------------------

CHROMIUM = Path("/usr/bin/chromium")


@pytest.fixture
def live(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[str, Site, int]]:
    """The application served by uvicorn in a thread over a register of its own (SQLite)."""
    import uvicorn

    db = Database.open(f"sqlite:///{tmp_path / 'live.db'}")
    site = make_site(db, monkeypatch)
    office = accounts.get_user(db, 2)
    assert office is not None
    draft = review.create(db, office, SAMPLE.name, SAMPLE.read_bytes())["id"]
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(site.app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}", site, draft
    finally:
        server.should_exit = True
        thread.join(10)
        db.close()


@pytest.mark.skipif(not CHROMIUM.exists(), reason="cần /usr/bin/chromium (apt-get install -y chromium)")
def test_the_main_pages_run_in_a_browser_without_a_policy_violation(live: tuple[str, Site, int]) -> None:
    sync_api = pytest.importorskip("playwright.sync_api", reason="cần gói playwright")
    base, site, draft = live
    problems: list[str] = []
    dialogs: list[str] = []
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=["--no-sandbox"])
        context = browser.new_context(locale="vi-VN")
        # a violation is reported to the page as an event, and logged to the console as an error
        context.add_init_script(
            "document.addEventListener('securitypolicyviolation', e => "
            "console.error('CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI));"
        )
        page = context.new_page()
        page.set_default_timeout(20000)
        expected = {f"{base}/tasks/{2**40}", f"{base}/tasks/999999", f"{base}/favicon.ico"}  # the errors asked for

        def console(m: Any) -> None:  # a failed load is reported as a response below
            if m.type == "error" and not m.text.startswith("Failed to load resource"):
                problems.append(f"{page.url}: {m.text}")

        def response(r: Any) -> None:
            if r.status >= 400 and r.url not in expected:
                problems.append(f"{r.url}: {r.status}")

        page.on("console", console)
        page.on("response", response)
        page.on("pageerror", lambda e: problems.append(f"{page.url}: {e}"))
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))

        def visit(path: str) -> None:
            page.goto(base + path)
            page.wait_for_load_state("networkidle")

        def sign_in(username: str) -> None:
            visit("/login")
            page.fill("input[name=username]", username)
            page.fill("input[name=password]", PASSWORD)
            page.click("button[type=submit]")
            page.wait_for_load_state("networkidle")

        sign_in("office_vl")
        for path in (
            "/dashboard",
            "/plans",
            f"/plans/{site.tra_vinh}",
            f"/tasks/{site.tasks['tc']}",
            "/drafts",
            "/upload",
            "/audit",
            "/reminders",
            "/notifications",
            "/search?q=ngan+sach",
        ):
            visit(path)
        visit("/dashboard")  # the heat map's colours come from data-alpha, set by app.js
        shaded = page.eval_on_selector_all(
            "td.cell[data-alpha]", "cells => cells.filter(c => +getComputedStyle(c).getPropertyValue('--a') > 0).length"
        )
        assert shaded > 0, "no cell of the heat map is coloured"
        visit(f"/drafts/{draft}")  # a task's "dòng N" highlights its source lines
        page.click("a.lines[data-lines]")
        assert page.locator("#source li.hl").count() > 0
        tasks = page.locator("article.dtask[data-index]").count()
        page.click("form[data-confirm] button")  # deleting asks first; dismissed, nothing is deleted
        page.wait_for_load_state("networkidle")
        assert dialogs and "Xóa" in dialogs[-1] and page.locator("article.dtask[data-index]").count() == tasks
        visit(f"/tasks/{2**40}")  # an error page
        visit("/tasks/999999")
        sign_in("tc_vl")
        visit("/tasks/mine")
        visit(f"/tasks/{site.tasks['tc']}")
        browser.close()
    assert not problems, "\n".join(problems)


# --- what requests send does not grow the server's tables ------------------------------------------


def test_searches_and_dates_sent_do_not_grow_the_servers_tables(site: Site) -> None:
    from kehoach.web import summary

    office = site.client("office_vl")
    remembered = summary._fold_remembered.cache_info().currsize
    for i in range(50):  # each a new search longer than any name: folded, not remembered
        assert office.get("/api/search", params={"q": f"{i} " + "nhiệm vụ trọng tâm " * 8}).status_code == 200
    assert summary._fold_remembered.cache_info().currsize - remembered < 10
    memo = site.app.state.memo
    for day in range(100):  # each a new date, each keeping a few contexts: more than the memo holds
        as_of = date(2025, 1, 1) + timedelta(days=day)
        assert office.get(f"/api/dashboard?as_of={as_of}").status_code == 200
    assert len(memo._data) == memo.size
