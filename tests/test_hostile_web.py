"""The hostile-input suite, web side: each attack against a real `kehoach serve` process.

The server runs in a child under an address-space ceiling (`RLIMIT_AS`): an attack that got
through would end it there, not on the machine. Each attack must be refused cleanly (the
status, the Vietnamese message naming the field) while the server's resident peak (`VmHWM`)
stays under `PEAK_MB` and it goes on answering. On SQLite and PostgreSQL (the hostile files,
read in a worker process, on SQLite). The peaks measured
under each attack are in bench/RESULTS.md (bench/bench_hostile_web.py).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from hostile_files import dense_pdf, flate_bomb_pdf, lying_docx
from hostile_web import Answer, ChildPeaks, MiB, Server, Session, free_port, post_body
from test_web_kit import AS_OF, PASSWORD, Site, make_site

from kehoach.store import Database

CEILING_MB = 1536  # the address space the server may reserve (threads and libraries reserve far more than they use)
PEAK_MB = 300  # the resident memory it may reach under any attack here (it starts near 100 MB)
WORKER_MB = 1024  # the upload worker's own address-space limit (extract_memory_mb)


@dataclass
class Target:
    site: Site
    server: Server


@pytest.fixture
def target(db: Database, db_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Target]:
    site = make_site(db, monkeypatch)  # the register and its accounts (cheap hashes: the server reads their cost)
    env = {"KEHOACH_EXTRACT_MEMORY_MB": str(WORKER_MB), "KEHOACH_EXTRACT_TIMEOUT": "240"}
    with Server(db_url, free_port(), CEILING_MB, env=env) as server:
        yield Target(site, server)


def _refused_too_large(answer: Answer, size: int, *words: str) -> None:
    assert answer.status == 413, (answer.status, answer.body[:300])
    error = answer.json()["error"]
    assert error["code"] == "too_large" and error["field"], error
    for w in words:
        assert w in error["message"], error["message"]
    assert answer.sent < size, f"the whole body ({answer.sent} bytes) was sent before the answer"


def _healthy(t: Target, attack: str) -> None:
    assert t.server.alive, f"{attack}: the server died\n{t.server.output()[-3000:]}"
    peak = t.server.peak_mb()
    assert peak < PEAK_MB, f"{attack}: the server reached {peak:.0f} MB"
    with Session.login(t.server.base, "tc_vl", PASSWORD) as officer:
        r = officer.client.get(f"/api/tasks/mine?as_of={AS_OF}")
    assert r.status_code == 200 and r.json()["tasks"], r.text[:300]


def test_a_login_flood_is_refused_while_read(target: Target) -> None:
    base = target.server.base
    answers: list[Answer] = []

    def flood() -> None:
        answers.append(post_body(base, "/api/login", 100 * MiB))

    threads = [threading.Thread(target=flood) for _ in range(6)]
    for th in threads:
        th.start()
    for th in threads:
        th.join(180)
    assert len(answers) == 6
    for answer in answers:
        _refused_too_large(answer, 100 * MiB, "16 KB", "100 MB")
    chunked = post_body(base, "/api/login", 200 * MiB, chunked=True)
    _refused_too_large(chunked, 200 * MiB, "16 KB")
    form = post_body(base, "/login", 200 * MiB, content_type="application/x-www-form-urlencoded")
    assert form.status == 413 and "lớn hơn giới hạn 16 KB".encode() in form.body and form.sent < 200 * MiB
    _healthy(target, "login flood")


def test_an_oversized_upload_is_refused_while_read(target: Target) -> None:
    with Session.login(target.server.base, "office_vl", PASSWORD) as office:
        _upload_attacks(target, office)
    _healthy(target, "oversized upload")


def _upload_attacks(target: Target, office: Session) -> None:
    multipart = "multipart/form-data; boundary=xyz"
    head = b'--xyz\r\nContent-Disposition: form-data; name="file"; filename="lon.pdf"\r\n\r\n%PDF-1.4\n'
    declared = post_body(
        office.base, "/api/drafts", 400 * MiB, content_type=multipart, headers=office.headers(), prefix=head
    )
    _refused_too_large(declared, 400 * MiB, "20 MB", "400 MB")
    chunked = post_body(
        office.base,
        "/api/drafts",
        400 * MiB,
        chunked=True,
        content_type=multipart,
        headers=office.headers(),
        prefix=head,
    )
    _refused_too_large(chunked, 400 * MiB, "20 MB")
    assert chunked.sent < 200 * MiB  # cut off near the limit, not at the end
    # a JSON body over its 1 MB limit, on a route that takes no file
    comment = post_body(
        office.base, f"/api/tasks/{target.site.tasks['tc']}/comments", 50 * MiB, headers=office.headers()
    )
    _refused_too_large(comment, 50 * MiB, "1 MB")


OUT_OF_RANGE = [
    ("GET", f"/api/tasks/{2**31}", None, "task_id"),
    ("GET", f"/api/plans/{2**63}", None, "plan_id"),
    ("GET", f"/api/drafts/{2**64}", None, "draft_id"),
    ("GET", "/api/dashboard?as_of=9999-12-31", None, "as_of"),
    ("GET", "/api/tasks/mine?as_of=0001-01-01", None, "as_of"),
    ("POST", "/api/tasks/{tc}/update", {"percent": 10, "version": "abc"}, "version"),
    ("POST", "/api/tasks/{tc}/update", {"percent": 10, "on": "31/02/2025"}, "on"),
    ("POST", "/api/tasks/{tc}/update", {"percent": 10, "on": "0001-01-01"}, "on"),
    ("POST", "/api/tasks/{tc}/update", {"percent": 10, "narrative": "x" * 600_000}, "narrative"),
    ("POST", f"/api/indicators/{2**31}/values", {"period": "2025-Q1", "value": "1"}, "indicator_id"),
    ("GET", "/api/plans/{plan}/report?period=9999-Q4&format=xlsx", None, "period"),
]


def test_out_of_range_values_are_clean_refusals(target: Target) -> None:
    ids = {"tc": target.site.tasks["tc"], "plan": target.site.tra_vinh}
    with Session.login(target.server.base, "admin", PASSWORD) as admin:
        for method, url, body, field in OUT_OF_RANGE:
            url = url.replace("{tc}", str(ids["tc"])).replace("{plan}", str(ids["plan"]))
            r = admin.client.get(url) if method == "GET" else admin.client.post(url, json=body)
            assert r.status_code == 422, (url, r.status_code, r.text[:300])
            error = r.json()["error"]
            assert error["field"] == field and error["label"] in error["message"], (url, error)
    assert target.site.db.task(ids["tc"])["updates"] == []
    _healthy(target, "out-of-range values")


# --- hostile files uploaded: read in the worker process, the server untouched ------------------------
# Each file goes through the real upload route; its job must end with a message for the office user
# (no 500, no hang), the server's own peak stays under PEAK_MB, and the worker that read it (under
# its own WORKER_MB address-space limit) under WORKER_PEAK_MB.
WORKER_PEAK_MB = 400
HOSTILE_FILES: list[tuple[str, Callable[[Path], Path], tuple[str, ...]]] = [
    ("bom.pdf", lambda p: flate_bomb_pdf(p, inflated_mb=512), ("bom nén", "64 MB")),  # 2.3 GB before
    ("noi-doi.docx", lambda p: lying_docx(p, inflated_mb=512, declared=5000), ("kích thước",)),  # 2.3 GB before
    ("day-dac.pdf", lambda p: dense_pdf(p, size=0.8, lines=300, per_line=200), ()),  # froze every user before
]


def upload_and_wait(office: Session, name: str, data: bytes, seconds: float = 300) -> dict:
    """Upload a file as the office does, then poll its draft until the job has ended."""
    r = office.client.post("/api/drafts", files={"file": (name, data, "application/octet-stream")})
    assert r.status_code == 202, (name, r.status_code, r.text[:300])
    draft, deadline = r.json()["id"], time.monotonic() + seconds
    while True:
        status = office.client.get(f"/api/drafts/{draft}/progress").json()
        if status["state"] in ("done", "failed"):
            return status
        assert time.monotonic() < deadline, (name, status)
        time.sleep(0.3)


@pytest.mark.any_database  # read in a worker process: the register is not what is attacked
@pytest.mark.parametrize(("name", "make", "words"), HOSTILE_FILES, ids=[f[0] for f in HOSTILE_FILES])
def test_a_hostile_file_uploaded_ends_its_job_cleanly(
    target: Target, tmp_path: Path, name: str, make: Callable[[Path], Path], words: tuple[str, ...]
) -> None:
    data = make(tmp_path / name).read_bytes()
    assert len(data) < 1_100_000  # small files, under the upload limit
    with Session.login(target.server.base, "office_vl", PASSWORD) as office, ChildPeaks(target.server) as worker:
        status = upload_and_wait(office, name, data)
    assert worker.seen, "the file was not read in a worker process"
    assert worker.peak_mb < WORKER_PEAK_MB, f"{name}: the worker reached {worker.peak_mb:.0f} MB"
    if words:  # the bombs: refused while they inflate, in the office user's words, naming the file
        assert status["state"] == "failed" and status["error"] == "unreadable", status
        assert name in status["message"] and all(w in status["message"] for w in words), status
    else:  # the dense page: read whole (it holds no plan), in time linear in its size
        assert status["state"] in ("done", "failed") and status.get("error") != "timeout", status
        if status["state"] == "failed":
            assert status["error"] == "unreadable" and status["message"], status
    _healthy(target, name)
