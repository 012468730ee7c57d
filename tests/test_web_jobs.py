"""Uploads processed off the request path (issue 13 point 5, issue 15 point 2): the upload answers at
once with a draft `đang xử lý`, a worker process with a time and a memory limit reads the file, the
job's state and progress are in the database (any server process answers, a restart fails what it
left running), and the messages are for office users."""

from __future__ import annotations

import contextlib
import logging
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import update
from test_web_kit import PASSWORD, Site, make_site

from kehoach.store import Database, Job
from kehoach.store import jobs as table
from kehoach.store._base import _now
from kehoach.store.worker import OCR_MISSING

SAMPLE = Path(__file__).parent.parent / "kehoach" / "data" / "samples" / "002_23dbc6410858588b.txt"


@contextlib.contextmanager
def running(site: Site) -> Iterator[Site]:
    """A site whose jobs have all ended when the test does (its database is dropped after)."""
    try:
        yield site
    finally:
        runner = getattr(site.app.state, "jobs", None)
        assert runner is None or runner.wait(120), "a job is still running"


@pytest.fixture
def site(db: Database, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Site]:
    with running(make_site(db, monkeypatch, files_dir=tmp_path / "files")) as site:
        yield site


def wait_for(c: Any, draft_id: int, states: tuple[str, ...], seconds: float = 180) -> dict:
    """Poll a draft's progress (as its page does) until its job is in one of `states`."""
    deadline = time.monotonic() + seconds
    while True:
        status = c.get(f"/api/drafts/{draft_id}/progress").json()
        if status["state"] in states or time.monotonic() > deadline:
            assert status["state"] in states, status
            return status
        time.sleep(0.2)


def upload(c: Any, name: str, data: bytes, **params: str) -> Any:
    return c.post("/api/drafts", params=params, files={"file": (name, data, "application/octet-stream")})


def test_an_upload_answers_at_once_and_its_draft_follows(site: Site) -> None:
    c = site.client("office_vl")
    r = upload(c, SAMPLE.name, SAMPLE.read_bytes())
    assert r.status_code == 202, r.text
    first = r.json()
    assert first["state"] in ("queued", "running") and r.headers["location"] == f"/api/drafts/{first['id']}"
    assert first["stage_vi"]  # what the page says it is doing
    assert c.get("/api/drafts").json()["drafts"][0]["state"] in ("processing", "draft")
    done = wait_for(c, first["id"], ("done", "failed"))
    assert done["state"] == "done", done
    draft = c.get(f"/api/drafts/{first['id']}").json()["draft"]
    assert draft["state"] == "draft" and draft["document"]["number"] == "77/QĐ-UBND" and draft["tasks_count"] == 83
    assert draft["province"] == "Vĩnh Long"  # the uploader's province
    entry = site.db.audit(entity="draft", entity_id=first["id"])[-1]
    assert entry["action"] == "upload" and entry["actor"] == "office_vl" and entry["after"]["tasks"] == 83
    # the job's input is gone once it ended; only its draft remains
    assert not [p for p in (site.app.state.files.root / "jobs").iterdir()]


def test_wait_answers_with_the_draft_or_with_why_not(site: Site) -> None:
    c = site.client("office_vl")
    r = upload(c, SAMPLE.name, SAMPLE.read_bytes(), wait="true")
    assert r.status_code == 200 and r.json()["tasks_count"] == 83
    r = upload(c, "kh.docx", b"PK\x03\x04 not really a docx", wait="true")
    assert r.status_code == 422 and r.json()["error"]["code"] == "unreadable"
    assert "kh.docx" in r.json()["error"]["message"]
    failed = c.get("/api/drafts").json()["drafts"][0]
    assert failed["state"] == "failed" and failed["source_name"] == "kh.docx"
    assert "kh.docx" in c.get(f"/drafts/{failed['id']}/progress").text
    assert c.post(f"/api/drafts/{failed['id']}/publish", json={}).status_code >= 400  # nothing to publish


@pytest.mark.any_database
def test_the_draft_page_polls_until_the_job_ends(site: Site) -> None:
    c = site.client("office_vl")
    job = table.queue(site.db, name="kh.pdf", sha256="0" * 64, input="missing", actor="office_vl", province="Vĩnh Long")
    page = c.get(f"/drafts/{job['draft_id']}").text
    assert f'hx-get="/drafts/{job["draft_id"]}/progress"' in page and "Văn bản gốc" not in page
    fragment = c.get(f"/drafts/{job['draft_id']}/progress", headers={"HX-Request": "true"})
    assert fragment.status_code == 200 and 'hx-trigger="every 1s"' in fragment.text
    assert "đang chờ xử lý" in fragment.text
    status = wait_for(c, job["draft_id"], ("failed",), 60)  # its file was never kept: a clear failure
    assert status["error"] == "crashed" and "liên hệ quản trị" in status["message"]
    ended = c.get(f"/drafts/{job['draft_id']}/progress", headers={"HX-Request": "true"}).text
    assert "hx-trigger" not in ended and "Tải tệp khác lên" in ended
    # another province's office sees neither the draft nor its progress
    assert site.client("office_ag").get(f"/api/drafts/{job['draft_id']}/progress").status_code in (403, 404)
    assert site.client("tc_vl").get(f"/api/drafts/{job['draft_id']}/progress").status_code == 403


def test_a_job_left_running_by_a_dead_process_is_failed_with_a_clear_message(site: Site) -> None:
    c = site.client("office_vl")
    job = table.queue(site.db, name="kh.txt", sha256="0" * 64, input="gone", actor="office_vl", province="Vĩnh Long")
    assert table.claim(site.db, "other-host:4242")["id"] == job["id"]
    with site.db.engine.begin() as conn:  # its process died a minute ago: no heartbeat since
        conn.execute(update(Job).where(Job.id == job["id"]).values(heartbeat_at=_now() - timedelta(minutes=1)))
    status = c.get(f"/api/drafts/{job['draft_id']}/progress").json()
    assert (status["state"], status["error"], status["message"]) == ("failed", "interrupted", table.INTERRUPTED)
    assert c.get(f"/api/drafts/{job['draft_id']}").json()["draft"]["state"] == "failed"
    assert table.heartbeat(site.db, job["id"], stage="ocr") is False  # a late worker cannot revive it


@pytest.mark.any_database
def test_a_worker_over_its_memory_limit_ends_its_job_and_the_server_goes_on(
    db: Database, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    with running(make_site(db, monkeypatch, extract_memory_mb=64, files_dir=tmp_path / "files")) as site:
        c = site.client("office_vl")
        r = upload(c, SAMPLE.name, SAMPLE.read_bytes(), wait="true")
        assert r.status_code == 422, r.text
        message = r.json()["error"]["message"]
        assert "64 MB bộ nhớ" in message and "liên hệ quản trị hệ thống" in message
        assert c.get("/api/drafts").status_code == 200


def _image_with_text(tmp_path: Path) -> bytes:
    from PIL import Image, ImageDraw

    img = Image.new("L", (900, 200), 255)
    ImageDraw.Draw(img).text((20, 80), "KE HOACH THUC HIEN NHIEM VU NAM 2026", fill=0)
    path = tmp_path / "scan.png"
    img.save(path)
    return path.read_bytes()


@pytest.mark.any_database
def test_a_missing_ocr_engine_is_told_as_an_office_user_needs_it(
    site: Site, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    bare = tmp_path / "bin"  # a PATH with no tesseract on it
    bare.mkdir()
    monkeypatch.setenv("PATH", str(bare))
    caplog.set_level(logging.WARNING, logger="kehoach.jobs")
    r = upload(site.client("office_vl"), "ban-quet.png", _image_with_text(tmp_path), wait="true")
    assert r.status_code == 422
    message = r.json()["error"]["message"]
    assert message == OCR_MISSING and "apt-get" not in message
    # the technical detail is in the server's log (written once the worker process has exited)
    deadline = time.monotonic() + 30
    while not any("ban-quet.png" in r.getMessage() and "apt-get" in r.getMessage() for r in caplog.records):
        assert time.monotonic() < deadline, [r.getMessage() for r in caplog.records]
        time.sleep(0.1)


# --- several users at once, over real HTTP ------------------------------------------------------------


@contextlib.contextmanager
def serving(app: Any) -> Iterator[str]:
    """The application served over HTTP on a free port (several test runs may share the machine)."""
    import uvicorn

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)


def _client(base: str, username: str) -> httpx.Client:
    c = httpx.Client(base_url=base, timeout=60)
    r = c.post("/api/login", json={"username": username, "password": PASSWORD})
    assert r.status_code == 200, r.text
    c.headers["X-CSRF-Token"] = r.json()["csrf_token"]
    return c


def slow_scan(tmp_path: Path, pages: int = 12) -> bytes:
    """A scanned plan of `pages` pages: every page needs OCR, the slowest kind of upload."""
    import docgen

    blocks = docgen.seed_blocks(docgen.seed_text("002_23dbc6410858588b.txt"))
    pdf = docgen.make_pdf(blocks, tmp_path / "kh.pdf")
    return docgen.make_scan(pdf, tmp_path / "scan.pdf", pages=pages, dpi=200).read_bytes()


@pytest.mark.skipif(shutil.which("tesseract") is None, reason="cần tesseract-ocr để có một tệp xử lý lâu")
@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)  # about the event loop, not the database
def test_my_tasks_answers_while_another_users_slowest_upload_is_processed(
    db: Database, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    pytest.importorskip("fpdf", reason="cần fpdf2 để tạo bản quét thử")
    site = make_site(db, monkeypatch, extract_timeout=10, files_dir=tmp_path / "files")
    scan = slow_scan(tmp_path)
    with running(site), serving(site.app) as base:
        office, officer = _client(base, "office_vl"), _client(base, "tc_vl")
        r = office.post("/api/drafts", files={"file": ("ban-quet.pdf", scan, "application/pdf")})
        assert r.status_code == 202, r.text
        draft_id = r.json()["id"]
        busy = wait_for(office, draft_id, ("running",), 60)
        mine = officer.get("/api/tasks/mine")
        after = office.get(f"/api/drafts/{draft_id}/progress").json()
        assert mine.status_code == 200 and mine.json()["tasks"]  # answered ...
        assert after["state"] == "running", after  # ... while the upload was still being read
        assert busy["stage_vi"] and after["elapsed"] >= 0
        ended = wait_for(office, draft_id, ("done", "failed"), 120)
        if ended["state"] == "failed":  # past its 10 s: stopped, said in the office's words
            assert ended["error"] == "timeout" and "hơn 10 giây" in ended["message"], ended
        office.close()
        officer.close()
