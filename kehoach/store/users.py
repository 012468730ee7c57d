"""The web application's accounts, comments and notifications: the queries the web calls.

`Database.users` and `Database.notes` are small repositories sharing the register's session
(`Core.session()`): a call made inside another's transaction joins it. Accounts come back as
plain dicts (`Account`); passwords arrive here already hashed (`web/accounts.py` hashes them).
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import TYPE_CHECKING, Any, TypedDict, cast

from sqlalchemy import Table, bindparam, func, select, update

from ..track import NotFoundError, ValidationError
from ..vn import fold
from ._base import _iso
from .schema import Agency, AuditEntry
from .web import Comment, Notification, User

if TYPE_CHECKING:
    from . import Database


class Account(TypedDict):
    id: int
    username: str
    name: str
    role: str
    province: str | None
    agency_id: int | None
    agency: str | None  # the department's name
    agency_province: str | None
    email: str | None
    generation: int  # bumped at logout and password change: older session cookies are refused
    active: bool
    password_hash: str


def _account(r: Any) -> Account:
    """An account from a row of `_ACCOUNTS`."""
    return {
        "id": r.id,
        "username": r.username,
        "name": r.name,
        "role": r.role,
        "province": r.province,
        "agency_id": r.agency_id,
        "agency": r.agency,
        "agency_province": None if r.agency_id is None else (r.agency_province or ""),
        "email": r.email,
        "generation": r.session_generation,
        "active": r.active,
        "password_hash": r.password_hash,
    }


# accounts with their department's name, as plain rows (no objects to build for each request)
_ACCOUNTS = select(
    *cast(Table, User.__table__).c, Agency.name.label("agency"), Agency.province.label("agency_province")
).outerjoin(Agency, Agency.id == User.agency_id)
# a session's account and the audit log's last id: every signed-in request's first query, built once
_SIGNED_IN = _ACCOUNTS.add_columns(select(func.max(AuditEntry.id)).scalar_subquery().label("audit_top")).where(
    User.id == bindparam("user_id")
)


class Users:
    """Accounts (`web_users`): made, found, listed, locked; their sessions ended."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def create(
        self,
        username: str,
        password_hash: str,
        *,
        role: str,
        name: str,
        province: str | None,
        agency: str | None,
        email: str | None,
        actor: str,
    ) -> Account:
        """A new account; an officer's department is registered if no task names it yet."""
        with self.db.writing() as s:
            if s.scalar(select(User.id).where(User.username == username)) is not None:
                raise ValidationError("username", username, "tên đăng nhập đã có")
            ag = None
            if agency:
                name_ = " ".join(agency.split())
                ag = s.scalar(select(Agency).where(Agency.name == name_, Agency.province == (province or "")))
                if ag is None:  # an agency with no task yet: register it
                    ag = Agency(name=name_, province=province or "", search=fold(name_))
                    s.add(ag)
                    s.flush()
            u = User(
                username=username,
                password_hash=password_hash,
                name=name,
                role=role,
                province=province,
                agency_id=ag.id if ag else None,
                email=email,
                active=True,
                created_at=self.db.now(),
            )
            s.add(u)
            s.flush()
            after = {"username": username, "role": role, "province": province, "agency": ag.name if ag else None}
            self.db.log(s, actor, "create", "user", u.id, None, after)
            return _account(s.connection().execute(_ACCOUNTS.where(User.id == u.id)).one())

    def get(self, user_id: int) -> Account | None:
        """An active account by id (one query)."""
        with self.db.session() as s:
            row = s.connection().execute(_ACCOUNTS.where(User.id == user_id)).first()
        return None if row is None or not row.active else _account(row)

    def signed_in(self, user_id: int) -> tuple[Account | None, int]:
        """An active account by id, and the audit log's last id (what changed since a page was
        made): the one query every request of a signed-in user starts with."""
        with self.db.session() as s:
            row = s.connection().execute(_SIGNED_IN, {"user_id": user_id}).first()
        if row is None:
            return None, self.db.last_audit_id()
        return (_account(row) if row.active else None), row.audit_top or 0

    def named(self, username: str) -> Account | None:
        """An account by its login name, active or not."""
        with self.db.session() as s:
            row = s.connection().execute(_ACCOUNTS.where(User.username == username.strip()[:100])).first()
        return None if row is None else _account(row)

    def names(self, usernames: Collection[str]) -> dict[str, str]:
        """The names of these accounts (those that have one), by login name: one query."""
        wanted = sorted({u for u in usernames if u})
        if not wanted:
            return {}
        with self.db.session() as s:
            rows = s.execute(select(User.username, User.name).where(User.username.in_(wanted)))
            return {username: name for username, name in rows if name}

    def all(self, province: str | None = None) -> list[Account]:
        with self.db.session() as s:
            q = _ACCOUNTS.order_by(User.id)
            if province:
                q = q.where(User.province == province)
            return [_account(r) for r in s.connection().execute(q)]

    def officers(self) -> list[Account]:
        """Every active officer with a department."""
        with self.db.session() as s:
            q = _ACCOUNTS.where(User.role == "officer", User.active.is_(True), User.agency_id.is_not(None))
            return [_account(r) for r in s.connection().execute(q.order_by(User.id))]

    def set_password(self, username: str, password_hash: str, *, actor: str) -> None:
        """A new password: every session of the account ends."""
        with self.db.writing() as s:
            u = s.scalar(select(User).where(User.username == username))
            if u is None:
                raise NotFoundError(f"không có tài khoản {username}")
            u.password_hash = password_hash
            u.session_generation += 1
            self.db.log(s, actor, "password", "user", u.id, None, {"username": username})

    def set_active(self, username: str, active: bool, *, actor: str) -> None:
        """Lock an account (its sessions end, it can no longer log in) or unlock it; the history stays."""
        with self.db.writing() as s:
            u = s.scalar(select(User).where(User.username == username))
            if u is None:
                raise NotFoundError(f"không có tài khoản {username}")
            if u.username == actor and not active:
                raise ValidationError("active", username, "không thể tự khóa tài khoản đang dùng")
            if u.active != active:
                u.active = active
                u.session_generation += 1
                self.db.log(s, actor, "unlock" if active else "lock", "user", u.id, None, {"username": username})

    def end_sessions(self, user_id: int) -> None:
        """Refuse every session cookie issued to the account so far (logout, everywhere)."""
        with self.db.writing() as s:
            s.execute(update(User).where(User.id == user_id).values(session_generation=User.session_generation + 1))


class Notes:
    """Comments on tasks (`web_comments`) and notifications to accounts (`web_notifications`)."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def comments(self, task_id: int) -> list[dict]:
        with self.db.session() as s:
            return [
                {"id": c.id, "author": c.author, "agency": c.agency, "text": c.text, "at": _iso(c.at)}
                for c in s.scalars(select(Comment).where(Comment.task_id == task_id).order_by(Comment.id))
            ]

    def comment(self, task_id: int, user_id: int, author: str, agency: str | None, text: str, *, actor: str) -> dict:
        """A comment on a task, audited."""
        with self.db.writing() as s:
            c = Comment(task_id=task_id, user_id=user_id, author=author, agency=agency, text=text, at=self.db.now())
            s.add(c)
            s.flush()
            self.db.log(s, actor, "comment", "task", task_id, None, {"comment_id": c.id})
            return {"id": c.id, "task_id": task_id, "author": author, "text": text, "at": _iso(c.at)}

    def notifications(self, user_id: int, limit: int = 100) -> list[dict]:
        """An account's latest notifications, newest first."""
        with self.db.session() as s:
            rows = s.scalars(
                select(Notification)
                .where(Notification.user_id == user_id)
                .order_by(Notification.id.desc())
                .limit(limit)
            )
            return [
                {
                    "id": n.id,
                    "subject": n.subject,
                    "body": n.body,
                    "link": n.link,
                    "created_at": _iso(n.created_at),
                    "read": n.read_at is not None,
                }
                for n in rows
            ]

    def unread(self, user_id: int) -> int:
        with self.db.session() as s:
            q = select(func.count()).select_from(Notification)
            return s.scalar(q.where(Notification.user_id == user_id, Notification.read_at.is_(None))) or 0

    def mark_read(self, user_id: int) -> int:
        """Every unread notification of an account read now; returns how many."""
        now: datetime = self.db.now()
        with self.db.writing() as s:
            result: Any = s.execute(
                update(Notification)
                .where(Notification.user_id == user_id, Notification.read_at.is_(None))
                .values(read_at=now)
            )
            return int(result.rowcount or 0)
