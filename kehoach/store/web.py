"""The web application's own tables, on the register's metadata (migration 0002_web)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime

from sqlalchemy import JSON, Boolean, Date, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, Session, mapped_column

from ._base import Core, iso_text, utc_now
from .schema import Base

ROLES = ("admin", "office", "officer", "leader")
ROLE_VI = {
    "admin": "Quản trị hệ thống",
    "office": "Cơ quan tổng hợp",
    "officer": "Cán bộ sở, ngành",
    "leader": "Lãnh đạo",
}


class User(Base):
    __tablename__ = "web_users"
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(100), unique=True)
    password_hash: Mapped[str] = mapped_column(String(300))
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))
    province: Mapped[str | None] = mapped_column(String(100))
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("agencies.id"))
    email: Mapped[str | None] = mapped_column(String(300))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    # bumped at logout and password change: sessions signed with an older one are refused
    session_generation: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class Draft(Base):
    """An uploaded plan under review: the extraction as it came and as corrected."""

    __tablename__ = "web_drafts"
    id: Mapped[int] = mapped_column(primary_key=True)
    province: Mapped[str | None] = mapped_column(String(100))
    source_name: Mapped[str] = mapped_column(String(400))
    source_hash: Mapped[str] = mapped_column(String(64), index=True)
    source_text: Mapped[str] = mapped_column(Text)
    original: Mapped[dict] = mapped_column(JSON)
    plan: Mapped[dict] = mapped_column(JSON)
    state: Mapped[str] = mapped_column(String(20), default="draft")
    plan_id: Mapped[int | None] = mapped_column(ForeignKey("plans.id", ondelete="SET NULL"))
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)


class Comment(Base):
    __tablename__ = "web_comments"
    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("web_users.id"))
    author: Mapped[str] = mapped_column(String(200))
    agency: Mapped[str | None] = mapped_column(String(400))
    text: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Notification(Base):
    __tablename__ = "web_notifications"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("web_users.id", ondelete="CASCADE"), index=True)
    subject: Mapped[str] = mapped_column(String(400))
    body: Mapped[str] = mapped_column(Text)
    link: Mapped[str | None] = mapped_column(String(400))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    read_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class Reminder(Base):
    """One reminder of one thing to one agency, sent once (its key is unique)."""

    __tablename__ = "web_reminders"
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(300), unique=True)
    agency: Mapped[str] = mapped_column(String(400), index=True)
    province: Mapped[str | None] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(20))  # due_soon | overdue | report
    task_id: Mapped[int | None] = mapped_column(Integer)
    duty_id: Mapped[int | None] = mapped_column(Integer)
    period: Mapped[str | None] = mapped_column(String(20))
    due: Mapped[date | None] = mapped_column(Date)
    text: Mapped[str] = mapped_column(Text)
    on: Mapped[date] = mapped_column(Date)
    emailed_to: Mapped[list] = mapped_column(JSON, default=list)
    notified: Mapped[int] = mapped_column(Integer, default=0)
    sent_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


# the register's clock and date format, shared with the store
now, iso = utc_now, iso_text


@contextmanager
def session(db: Core) -> Iterator[Session]:
    """The register's session (`Core.session`): its own transaction, or the one in progress."""
    with db.session() as s:
        yield s


# write to the register's audit log, in the caller's transaction
audit = Core.log
