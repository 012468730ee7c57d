"""The worker process that reads and extracts an uploaded plan (see `web/jobs.py`, which starts it).

`python -c "from kehoach.store.worker import main; …" JOB TIMEOUT MEMORY_MB INBOX` runs one claimed
job: it opens the register (its driver loaded, a first heartbeat written), then limits its own
address space (`RLIMIT_AS`) and lifetime (an alarm, should its runner be gone) and lowers its
priority; it reads the file (reporting the reader's progress through a heartbeat thread), extracts
the plan and ends the job: a draft to review, or a message for the office user who uploaded it
(what happened, what to do, whom to ask — never a command to run), with the technical detail on
stderr for the server's log. It imports only the reader, the extractor and the store, so it starts
quickly.
"""

from __future__ import annotations

import os
import resource
import signal
import sys
import threading
import traceback
from pathlib import Path

from ..errors import ReadError
from ..vn import fold
from . import Database
from . import jobs as table

BEAT_SECONDS = 2.0  # how often a running job's worker writes its heartbeat and progress

STAGES = {
    "queued": "đang chờ xử lý",
    "start": "đang chuẩn bị",
    "read": "đang đọc tệp",
    "doc": "đang đọc tệp",  # the reader's own `đọc`, folded
    "ocr": "đang nhận dạng chữ (OCR)",
    "extract": "đang trích xuất nhiệm vụ, chỉ tiêu, thời hạn",
    "save": "đang lưu bản rà soát",
    "done": "đã xong",
}
OCR_MISSING = "Máy chủ chưa cài bộ nhận dạng chữ tiếng Việt; đề nghị liên hệ quản trị hệ thống."
DOC_MISSING = (
    "Máy chủ chưa cài bộ chuyển đổi tệp Word đời cũ (.doc): hãy mở tệp bằng Word, lưu thành .docx "
    "rồi tải lên lại, hoặc đề nghị quản trị hệ thống cài đặt."
)
TOOL_MISSING = "Máy chủ còn thiếu một thành phần để đọc loại tệp này; đề nghị liên hệ quản trị hệ thống."
CRASHED = (
    "Không xử lý được tệp do lỗi của máy chủ. Hãy thử tải lên lại; nếu vẫn lỗi, đề nghị liên hệ quản trị hệ thống."
)


def stage_vi(stage: str | None) -> str:
    """A stage as the page says it (a reader's own stage names included)."""
    if not stage:
        return STAGES["queued"]
    key = fold(stage)
    if "ocr" in key or "nhan dang" in key:
        return STAGES["ocr"]
    return STAGES.get(key, stage)


def timeout_message(seconds: int) -> str:
    return (
        f"Tệp cần hơn {_duration(seconds)} để đọc nên đã dừng. Nếu là bản quét nhiều trang, hãy tách thành "
        "các tệp nhỏ hơn hoặc tải lên bản Word/PDF có chữ; nếu vẫn lỗi, đề nghị liên hệ quản trị hệ thống."
    )


def memory_message(mb: int) -> str:
    return (
        f"Tệp quá lớn hoặc quá phức tạp để đọc (cần hơn {mb} MB bộ nhớ) nên đã dừng. Hãy tách tệp hoặc lưu "
        "lại thành Word/PDF rồi tải lên lại; nếu vẫn lỗi, đề nghị liên hệ quản trị hệ thống."
    )


def _duration(seconds: int) -> str:
    return f"{seconds // 60} phút" if seconds >= 120 and seconds % 60 == 0 else f"{seconds} giây"


def office_message(e: ReadError, name: str) -> str:
    """What an office user is told of a file that could not be read: never a command to run."""
    reason = fold(e.reason)
    if "tesseract" in reason or ("ocr" in reason and "cai" in reason):
        return OCR_MISSING
    if "libreoffice" in reason:
        return DOC_MISSING
    if "apt-get" in reason or "pip install" in reason:
        return TOOL_MISSING
    return f"{name}: {e.reason}"


class Beat:
    """The child's heartbeat: a thread writing the latest progress to the job's row every few seconds.

    The reader reports progress as often as it likes; only the newest is written, and never from
    the reader's own thread, so reading never waits on the database."""

    def __init__(self, db: Database, job_id: int) -> None:
        self.db, self.job_id = db, job_id
        self._progress: dict = {"stage": "read"}
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._lock = threading.Lock()
        table.heartbeat(db, job_id, stage="read")  # the first, before the worker's limits are set
        self._thread = threading.Thread(target=self._loop, name="beat", daemon=True)
        self._thread.start()

    def progress(self, done: int, total: int, stage: str) -> None:
        with self._lock:
            changed = stage != self._progress.get("stage")
            self._progress = {"stage": stage[:40], "done": int(done), "total": int(total)}
        if changed:
            self._wake.set()

    def stage(self, stage: str) -> None:
        self.progress(0, 0, stage)

    def _loop(self) -> None:
        while not self._stop.is_set():
            with self._lock:
                progress = dict(self._progress)
            try:
                table.heartbeat(self.db, self.job_id, **progress)
            except Exception:  # a missed beat is not an error; the next one tries again
                traceback.print_exc()
            self._wake.wait(BEAT_SECONDS)
            self._wake.clear()

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        self._thread.join(5)


def _work(db: Database, inbox: Path, job: dict, beat: Beat) -> None:
    """Read and extract the job's file and end the job with its draft."""
    from ..extract import extract_source
    from ..read import read_bytes

    path = inbox / job["input"]
    data = path.read_bytes()
    path.unlink()  # read whole: the job no longer needs it, whatever happens next
    source = read_bytes(job["name"], data, beat.progress)  # page by page: "trang n/N"
    del data
    beat.stage("extract")
    plan = extract_source(source)
    beat.stage("save")
    province = db.registry.province((plan.get("document") or {}).get("province"))
    table.finish(db, job["id"], text=source.text, plan=plan, province=province)


def extract(db: Database, inbox: Path, job: dict, beat: Beat, memory_mb: int) -> None:
    """Read and extract the job's file, then end the job: a draft to review, or why not.

    A failure is recorded after its exception is gone: what the reading held (a MemoryError's
    frames) is freed first, so that there is memory to say so."""
    name, failure = job["name"], None
    try:
        _work(db, inbox, job, beat)
    except ReadError as e:
        print(e, file=sys.stderr)  # the technical detail (it names the file), for the server's log
        failure = ("unreadable", office_message(e, name))
    except MemoryError:
        print(f"{name}: MemoryError (over {memory_mb} MB)", file=sys.stderr)
        failure = ("memory", memory_message(memory_mb))
    except OSError as e:
        print(f"{name}: {e}", file=sys.stderr)
        failure = ("crashed", CRASHED)
    if failure is not None:
        table.fail(db, job["id"], *failure)


def _limit(timeout: int, memory_mb: int) -> None:
    """Bound this process: its address space, its lifetime (the runner may be gone) and its priority."""
    limit = memory_mb * 2**20
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    signal.alarm(timeout + 15)
    os.nice(5)


def main(argv: list[str]) -> int:
    """Run one claimed job: `argv` = JOB TIMEOUT MEMORY_MB INBOX; the register's URL in
    `KEHOACH_DATABASE_URL` (the environment, not the command line that `ps` shows).

    The register is opened (its driver loaded) and the heartbeat started before the limits are
    set: the address-space limit bounds the reading of the file, not the worker's own start."""
    job_id, timeout, memory_mb = (int(a) for a in argv[:3])
    inbox = Path(argv[3])
    db = Database(os.environ["KEHOACH_DATABASE_URL"])
    job = table.get(db, job_id)
    beat = Beat(db, job_id)
    crashed = False
    try:
        _limit(timeout, memory_mb)
        extract(db, inbox, job, beat, memory_mb)
    except Exception:
        traceback.print_exc()
        crashed = True
    try:
        if crashed:  # recorded once the exception (and what it held) is gone
            table.fail(db, job_id, "crashed", CRASHED)
    finally:
        beat.stop()
        db.close()
    return 0
