"""Uploaded plans read and extracted off the request path: in a worker process with a time and a memory limit.

The upload route keeps the file (in the files folder's `jobs/`), creates a draft in state
`processing` and its queued job (`store.jobs`), and answers at once. A `Runner` in each server
process claims queued jobs from the database one at a time and runs each in a child process
(`store/worker.py`): the child limits its own address space (`RLIMIT_AS`) and
runs under an alarm, reads and extracts the file, writes its progress and a heartbeat to the
job's row, and ends it: a draft to review, or a message for the person who uploaded it. The
runner kills a child past its time, and marks the job failed if the child died without saying
why. The page polls the job's row (any server process can answer), so it works with several
`serve --workers` processes and across a restart (a job whose heartbeat stopped is marked failed).

Messages are for office users (what happened, what to do, whom to ask); the technical detail
goes to the server's log.
"""

from __future__ import annotations

import contextlib
import logging
import os
import secrets
import signal
import socket
import subprocess
import sys
import threading
from dataclasses import dataclass
from datetime import UTC, datetime

from ..errors import ReadError
from ..store import Database
from ..store import jobs as table
from ..store.files import BlobWriter, FileStore
from ..store.web import Draft, session
from ..store.worker import CRASHED, STAGES, memory_message, stage_vi, timeout_message
from ..track import NotFoundError, ValidationError
from . import review
from .accounts import Principal

log = logging.getLogger("kehoach.jobs")

# the worker process: only the reader, the extractor and the store (not this web application)
CHILD = "import sys; from kehoach.store.worker import main; sys.exit(main(sys.argv[1:]))"

# --- the server's side ------------------------------------------------------------------------


@dataclass(frozen=True)
class Limits:
    """A worker's bounds: seconds (`extract_timeout`) and address space (`extract_memory_mb`)."""

    timeout: int
    memory_mb: int


class Runner:
    """Runs queued jobs one at a time, each in a child process; a thread that lives while there is work."""

    def __init__(self, db: Database, files: FileStore, limits: Limits) -> None:
        self.db, self.files, self.limits = db, files, limits
        self.owner = f"{socket.gethostname()}:{os.getpid()}"
        self.inbox = files.root / "jobs"
        self.inbox.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._again = False

    def kick(self) -> None:
        """Make sure queued jobs get run (by this process, unless another claims them first)."""
        with self._lock:
            self._again = True
            if self._thread is None:
                self._thread = threading.Thread(target=self._loop, name="kehoach-jobs", daemon=True)
                self._thread.start()

    def _loop(self) -> None:
        with contextlib.suppress(OSError):  # uploads cut off by a crash, an hour old
            self.files.drop_partial()
        while True:
            try:
                self.sweep()
                job = table.claim(self.db, self.owner)
                if job is not None:
                    self.run(job)
                    continue
            except Exception:  # the database is down: the job's heartbeat stops, the next look fails it
                log.exception("upload jobs: the register cannot be reached")
            with self._lock:
                if not self._again:
                    self._thread = None
                    return
                self._again = False

    def wait(self, seconds: float) -> bool:
        """Wait until this process runs no job (a server's shutdown, a test's end); True if idle."""
        with self._lock:
            thread = self._thread
        if thread is not None:
            thread.join(seconds)
        return self._thread is None

    def sweep(self) -> None:
        """Fail the jobs left running by a dead process, and drop their files."""
        for job in table.sweep(self.db):
            log.warning("upload job %s: its process stopped (no heartbeat); marked failed", job["id"])
            (self.inbox / job["input"]).unlink(missing_ok=True)

    def run(self, job: dict) -> None:
        """Run one claimed job in a child process; whatever happens, the job ends and its file goes."""
        env = os.environ | {
            "KEHOACH_DATABASE_URL": self.db.url,
            "MALLOC_ARENA_MAX": "2",  # each thread's arena would count against the address-space limit
        }
        args = [sys.executable, "-c", CHILD, str(job["id"]), str(self.limits.timeout), str(self.limits.memory_mb)]
        args.append(str(self.inbox))
        proc: subprocess.Popen | None = None
        try:
            # a session of its own: a timeout stops the child and whatever it started (Tesseract)
            proc = subprocess.Popen(
                args, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True
            )
            try:
                out, err = proc.communicate(timeout=self.limits.timeout + 5)  # startup on a busy machine
                ended = self._ended(job, proc.returncode, err)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGKILL)
                out, err = proc.communicate()
                ended = table.fail(self.db, job["id"], "timeout", timeout_message(self.limits.timeout))
                log.warning("upload job %s: over %s s, stopped", job["id"], self.limits.timeout)
            if err.strip():
                log.warning("upload job %s (%s): %s", job["id"], job["input"], err.decode("utf-8", "replace").strip())
            if not ended:
                log.info("upload job %s ended: %s", job["id"], out.decode("utf-8", "replace").strip())
        except Exception:
            log.exception("upload job %s: the worker process could not run", job["id"])
            with contextlib.suppress(Exception):  # the register may be what failed: then the sweep will
                table.fail(self.db, job["id"], "crashed", CRASHED)
        finally:
            if proc is not None:  # whatever the child left running (a Tesseract of a killed child)
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.killpg(proc.pid, signal.SIGKILL)
            (self.inbox / job["input"]).unlink(missing_ok=True)

    def _ended(self, job: dict, code: int, err: bytes) -> bool:
        """After the child exited: fail the job if the child could not say how it ended."""
        if code == 0:
            return table.fail(self.db, job["id"], "crashed", CRASHED)  # False: the child ended it
        if b"MemoryError" in err or code in (-signal.SIGSEGV, -signal.SIGABRT, -signal.SIGKILL):
            return table.fail(self.db, job["id"], "memory", memory_message(self.limits.memory_mb))
        if code == -signal.SIGALRM:
            return table.fail(self.db, job["id"], "timeout", timeout_message(self.limits.timeout))
        return table.fail(self.db, job["id"], "crashed", CRASHED)

    def submit(self, user: Principal, writer: BlobWriter) -> dict:
        """Queue an uploaded file: its draft (state `processing`) and job; the file moves to `jobs/`."""
        if writer.size == 0:
            raise ValidationError("file", writer.name, "tệp rỗng: chọn lại tệp kế hoạch")
        writer.close()
        token = secrets.token_hex(16)
        os.replace(writer.path, self.inbox / token)
        try:
            job = table.queue(
                self.db,
                name=writer.name,
                sha256=writer.sha256,
                input=token,
                actor=user.username,
                province=user.province,
            )
        except BaseException:
            (self.inbox / token).unlink(missing_ok=True)
            raise
        self.kick()
        return job


class JobFailed(ReadError):
    """An upload whose extraction failed, with the message its job recorded (for `?wait=`)."""

    def __init__(self, name: str, message: str) -> None:
        self.path, self.reason = name, message
        Exception.__init__(self, message)


def progress(db: Database, user: Principal, draft_id: int, runner: Runner | None = None) -> dict:
    """Where a draft's extraction stands, for those who may see the draft (any server process answers).

    Looking also fails jobs left by a dead process and gets queued jobs claimed."""
    user.require("admin", "office")
    with session(db) as s:
        d = s.get(Draft, draft_id)
        if d is None:
            raise NotFoundError(f"không có bản xem xét id {draft_id}")
        review._check(user, d, review._province_now(db))  # the draft page's own rule
        name, draft_state = d.source_name, d.state
    if runner is not None:
        runner.sweep()
    job = table.of_draft(db, draft_id)
    if job is None:  # a draft made before uploads ran in the background
        return {"draft_id": draft_id, "name": name, "state": "done" if draft_state != "failed" else "failed"}
    if job["state"] == "queued" and runner is not None:
        runner.kick()
    started = datetime.fromisoformat(job["created_at"])
    return {
        "draft_id": draft_id,
        "name": name,
        "state": job["state"],
        "stage": job["stage"],
        "stage_vi": STAGES["queued"] if job["state"] == "queued" else stage_vi(job["stage"]),
        "done": job["done"],
        "total": job["total"],
        "ahead": job["ahead"],
        "message": job["message"],
        "error": job["error"],
        "elapsed": max(0, int((datetime.now(UTC) - started).total_seconds())),
    }
