"""Background jobs of the web application: an uploaded plan's extraction (migration 0006_evidence).

A job's state and progress are kept in the database, so that every server process (`serve
--workers N`) sees them and they outlive a restart. Any process may claim a queued job (a
conditional update: one wins); the worker running it writes a heartbeat, and a running job whose
heartbeat stopped (its process died) is marked failed by whichever process looks next.

The draft under review is created with the job, in state `processing`; the job's end turns it
into a draft to review (`draft`) or a failed one (`failed`) with a message for the person who
uploaded it.
"""

from __future__ import annotations

import copy
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, cast

from sqlalchemy import CursorResult, DateTime, ForeignKey, Integer, String, Text, Update, func, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from ..track import NotFoundError
from ._base import Core, _iso, _now
from .schema import Base
from .web import Draft

if TYPE_CHECKING:
    from . import Database

STALE_SECONDS = 30  # a running job whose heartbeat is older than this was left by a dead process
INTERRUPTED = "Việc xử lý tệp bị gián đoạn (máy chủ đã khởi động lại hoặc dừng giữa chừng): hãy tải tệp lên lại."


class Job(Base):
    """One uploaded file's extraction: queued → running → done | failed."""

    __tablename__ = "web_jobs"
    id: Mapped[int] = mapped_column(primary_key=True)
    draft_id: Mapped[int] = mapped_column(ForeignKey("web_drafts.id", ondelete="CASCADE"), index=True)
    state: Mapped[str] = mapped_column(String(20), index=True)
    stage: Mapped[str | None] = mapped_column(String(40))
    done: Mapped[int] = mapped_column(Integer, default=0)
    total: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str | None] = mapped_column(String(20))  # why it failed: unreadable, timeout, memory, ...
    message: Mapped[str | None] = mapped_column(Text)  # for the person who uploaded, in their words
    input: Mapped[str] = mapped_column(String(100))  # the uploaded file's name in the files folder's jobs/
    owner: Mapped[str | None] = mapped_column(String(200))  # the process running it (host:pid)
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    heartbeat_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


def _dict(j: Job) -> dict:
    return {
        "id": j.id,
        "draft_id": j.draft_id,
        "state": j.state,
        "stage": j.stage,
        "done": j.done,
        "total": j.total,
        "error": j.error,
        "message": j.message,
        "input": j.input,
        "created_by": j.created_by,
        "created_at": _iso(j.created_at),
        "started_at": _iso(j.started_at),
        "finished_at": _iso(j.finished_at),
    }


def queue(db: Database, *, name: str, sha256: str, input: str, actor: str, province: str | None) -> dict:
    """A draft in state `processing` and its queued job, in one transaction."""
    with db._tx() as s:
        at = _now()
        d = Draft(
            province=province,
            source_name=name,
            source_hash=sha256,
            source_text="",
            original={},
            plan={},
            state="processing",
            created_by=actor,
            created_at=at,
            updated_at=at,
            version=1,
        )
        s.add(d)
        s.flush()
        j = Job(draft_id=d.id, state="queued", input=input, created_by=actor, created_at=at, done=0, total=0)
        s.add(j)
        s.flush()
        return _dict(j)


def _run(s: Session, stmt: Update) -> CursorResult[Any]:
    """An UPDATE run; its `rowcount` says whether the row was still in the state it tested."""
    return cast("CursorResult[Any]", s.execute(stmt))


def claim(db: Database, owner: str) -> dict | None:
    """Take the oldest queued job for this process, or None when there is none (or another took it)."""
    with db._tx() as s:
        for job_id in s.scalars(select(Job.id).where(Job.state == "queued").order_by(Job.id).limit(5)):
            at = _now()
            taken = _run(
                s,
                update(Job)
                .where(Job.id == job_id, Job.state == "queued")
                .values(state="running", owner=owner, started_at=at, heartbeat_at=at, stage="start"),
            )
            if taken.rowcount == 1:
                return _dict(s.get_one(Job, job_id))
    return None


def heartbeat(db: Database, job_id: int, **progress: Any) -> bool:
    """Say the job is alive (with `stage`, `done`, `total` when given); False once it is no longer running."""
    values = {k: v for k, v in progress.items() if k in ("stage", "done", "total") and v is not None}
    with db._tx() as s:
        moved = _run(
            s, update(Job).where(Job.id == job_id, Job.state == "running").values(heartbeat_at=_now(), **values)
        )
        return moved.rowcount == 1


def _end(s: Session, job_id: int, state: str, **values: Any) -> Job | None:
    """Move a running job to its end state; None if it had already ended (swept, or failed by its runner)."""
    moved = _run(
        s,
        update(Job)
        .where(Job.id == job_id, Job.state == "running")
        .values(state=state, finished_at=_now(), heartbeat_at=_now(), **values),
    )
    return s.get(Job, job_id) if moved.rowcount == 1 else None


def finish(db: Database, job_id: int, *, text: str, plan: dict, province: str | None) -> bool:
    """The extraction is done: its draft is ready for review (audited as the upload). False if too late."""
    with db._tx() as s:
        j = _end(s, job_id, "done", stage="done")
        if j is None:
            return False
        d = s.get_one(Draft, j.draft_id)
        d.source_text, d.original, d.plan = text, plan, copy.deepcopy(plan)
        d.province = d.province or province
        d.state, d.updated_at = "draft", _now()
        Core._audit(
            s,
            j.created_by,
            "upload",
            "draft",
            d.id,
            None,
            {"source": d.source_name, "tasks": len(plan.get("tasks", []))},
        )
        return True


def fail(db: Database, job_id: int, error: str, message: str) -> bool:
    """The job failed: its draft says why. False if it had already ended."""
    with db._tx() as s:
        j = _end(s, job_id, "failed", error=error, message=message)
        if j is None:
            return False
        d = s.get_one(Draft, j.draft_id)
        d.state, d.updated_at = "failed", _now()
        return True


def sweep(db: Database, stale_seconds: int = STALE_SECONDS) -> list[dict]:
    """Mark failed the running jobs whose process stopped beating; return them (their inputs can go)."""
    cutoff = _now() - timedelta(seconds=stale_seconds)
    with db._tx() as s:
        ids = list(s.scalars(select(Job.id).where(Job.state == "running", Job.heartbeat_at < cutoff)))
    swept = []
    for job_id in ids:
        if fail(db, job_id, "interrupted", INTERRUPTED):
            swept.append(get(db, job_id))
    return swept


def get(db: Database, job_id: int) -> dict:
    """A job, with the name of the file it reads (its draft's)."""
    with db._tx() as s:
        j = s.get(Job, job_id)
        if j is None:
            raise NotFoundError(f"không có việc xử lý id {job_id}")
        return _dict(j) | {"name": s.get_one(Draft, j.draft_id).source_name}


def of_draft(db: Database, draft_id: int) -> dict | None:
    """The job of a draft, with how many jobs are ahead of it in the queue; None for a draft made otherwise."""
    with db._tx() as s:
        j = s.scalars(select(Job).where(Job.draft_id == draft_id).order_by(Job.id.desc()).limit(1)).first()
        if j is None:
            return None
        ahead = 0
        if j.state == "queued":
            ahead = (
                s.scalar(
                    select(func.count()).select_from(Job).where(Job.state.in_(("queued", "running")), Job.id < j.id)
                )
                or 0
            )
        return _dict(j) | {"ahead": ahead or 0}
