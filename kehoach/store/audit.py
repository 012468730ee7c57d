"""Reading the audit log a page at a time, filtered, with the names of what each entry is about.

Every write is audited (`Core._audit`); this module only reads. A page is keyset-paged by id
(newest first): `before` (older entries) or `after` (newer ones), never OFFSET, so page 500 costs
what page 1 does. Each filter is a condition the database answers from an index: the scope by
province (plans, their tasks, indicators and duties; drafts), one plan, one actor
(`ix_audit_log_actor`), one department (its accounts, the tasks it leads, the indicators it
monitors, the duties it reports on) and a span of days (turned into an id range through
`ix_audit_log_at`, then checked on `at` too).
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, false, func, or_, select
from sqlalchemy.orm import Session

from ..track import ValidationError
from ._base import _iso
from .schema import (
    Agency,
    AuditEntry,
    DutyReporter,
    Indicator,
    IndicatorAgency,
    Plan,
    ReportingDuty,
    Task,
    TaskAgency,
)
from .web import Draft, User

PAGE_LIMIT = 500  # the most entries one page may ask for
KINDS = (("task", Task), ("indicator", Indicator), ("duty", ReportingDuty))


def _about_plans(plan_ids: Any) -> ColumnElement[bool]:
    """Entries about these plans (a subquery of ids): the plan, its tasks, indicators and duties."""
    conditions = [and_(AuditEntry.entity == "plan", AuditEntry.entity_id.in_(plan_ids))]
    for kind, model in KINDS:
        ids = select(model.id).where(model.plan_id.in_(plan_ids))
        conditions.append(and_(AuditEntry.entity == kind, AuditEntry.entity_id.in_(ids)))
    return or_(*conditions)


def _scope(provinces: Collection[str]) -> ColumnElement[bool]:
    """What the accounts of these provinces may read: their plans' entries and their drafts'."""
    if not provinces:
        return false()
    plan_ids = select(Plan.id).where(Plan.province.in_(list(provinces)))
    drafts = select(Draft.id).where(Draft.province.in_(list(provinces)))
    return or_(_about_plans(plan_ids), and_(AuditEntry.entity == "draft", AuditEntry.entity_id.in_(drafts)))


def _one_plan(plan_id: int) -> ColumnElement[bool]:
    """One plan's entries, with the drafts it was published from."""
    drafts = select(Draft.id).where(Draft.plan_id == plan_id)
    plan_ids = select(Plan.id).where(Plan.id == plan_id)
    return or_(_about_plans(plan_ids), and_(AuditEntry.entity == "draft", AuditEntry.entity_id.in_(drafts)))


def _department(agency_ids: Any) -> ColumnElement[bool]:
    """A department's entries: made by its accounts, or about the tasks it leads, the indicators
    it monitors and the reporting duties it reports on."""
    people = select(User.username).where(User.agency_id.in_(agency_ids))
    tasks = select(TaskAgency.task_id).where(TaskAgency.agency_id.in_(agency_ids), TaskAgency.role == "lead")
    indicators = select(IndicatorAgency.indicator_id).where(IndicatorAgency.agency_id.in_(agency_ids))
    duties = select(DutyReporter.duty_id).where(DutyReporter.agency_id.in_(agency_ids))
    return or_(
        AuditEntry.actor.in_(people),
        and_(AuditEntry.entity == "task", AuditEntry.entity_id.in_(tasks)),
        and_(AuditEntry.entity == "indicator", AuditEntry.entity_id.in_(indicators)),
        and_(AuditEntry.entity == "duty", AuditEntry.entity_id.in_(duties)),
    )


def _entry(e: AuditEntry) -> dict:
    return {
        "id": e.id,
        "at": _iso(e.at),
        "actor": e.actor,
        "action": e.action,
        "entity": e.entity,
        "entity_id": e.entity_id,
        "before": e.before,
        "after": e.after,
    }


class AuditMixin:
    """The audit log as pages (`audit_page`) and the names its entries need (`audit_subjects`)."""

    def audit_page(
        self,
        *,
        provinces: Collection[str] | None = None,
        plan: int | None = None,
        actor: str | None = None,
        agency: str | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
        before: int | None = None,
        after: int | None = None,
        limit: int = 50,
    ) -> dict:
        """Newest first, at most `limit` entries, and whether there are older (`more`) and newer
        (`newer`) ones. `provinces`: only what those provinces' accounts may read (None: all);
        `agency`: a department's name, in those provinces; `since`/`until`: moments, `until`
        excluded; `before`/`after`: the ids the page starts below or above."""
        if not 1 <= limit <= PAGE_LIMIT:
            raise ValidationError("limit", limit, f"số mục mỗi trang từ 1 đến {PAGE_LIMIT}")
        with self._tx() as s:  # type: ignore[attr-defined]
            where = self._audit_filters(s, provinces, plan, actor, agency, since, until)
            if where is None:
                return {"entries": [], "more": False, "newer": False}
            forward = after is not None and before is None  # towards newer entries
            window = list(where)
            if before is not None:
                window.append(AuditEntry.id < before)
            if after is not None:
                window.append(AuditEntry.id > after)
            order = AuditEntry.id.asc() if forward else AuditEntry.id.desc()
            rows = list(s.scalars(select(AuditEntry).where(*window).order_by(order).limit(limit + 1)))
            beyond = len(rows) > limit
            rows = sorted(rows[:limit], key=lambda e: -e.id)
            if not rows:
                return {"entries": [], "more": False, "newer": False}
            newer = beyond if forward else self._audit_exists(s, where, AuditEntry.id > rows[0].id)
            more = self._audit_exists(s, where, AuditEntry.id < rows[-1].id) if forward else beyond
            return {"entries": [_entry(e) for e in rows], "more": more, "newer": newer}

    @staticmethod
    def _audit_exists(s: Session, where: list, edge: ColumnElement[bool]) -> bool:
        return s.scalar(select(AuditEntry.id).where(*where, edge).limit(1)) is not None

    @staticmethod
    def _audit_filters(
        s: Session,
        provinces: Collection[str] | None,
        plan: int | None,
        actor: str | None,
        agency: str | None,
        since: datetime | None,
        until: datetime | None,
    ) -> list[ColumnElement[bool]] | None:
        """The page's conditions; None when they cannot match anything."""
        where: list[ColumnElement[bool]] = []
        if provinces is not None:
            where.append(_scope(provinces))
        if plan is not None:
            where.append(_one_plan(plan))
        if actor:
            where.append(AuditEntry.actor == actor)
        if agency:
            ids = select(Agency.id).where(Agency.name == " ".join(agency.split()))
            if provinces is not None:
                ids = ids.where(Agency.province.in_(list(provinces)))
            where.append(_department(ids))
        # a span of days: the ids it holds, found through the `at` index, then `at` itself
        # (an entry committed a moment late may hold an id out of order); the log keeps UTC,
        # and SQLite compares the wall time as written, so the bounds are turned to UTC first
        since, until = (None if t is None else t.astimezone(UTC) for t in (since, until))
        if since is not None:
            first = s.scalar(select(func.min(AuditEntry.id)).where(AuditEntry.at >= since))
            if first is None:
                return None
            where += [AuditEntry.id >= first, AuditEntry.at >= since]
        if until is not None:
            last = s.scalar(select(func.max(AuditEntry.id)).where(AuditEntry.at < until))
            if last is None:
                return None
            where += [AuditEntry.id <= last, AuditEntry.at < until]
        return where

    def audit_subjects(self, entries: list[dict]) -> dict[str, dict]:
        """What the entries are about and who made them, in a few queries: `"task:12"` → the
        task's text and plan, `"plan:3"` → number and title, …; `"actor:name"` → the account's
        name and department (absent for the command line's and the demonstration's actors)."""
        wanted: dict[str, set[int]] = {}
        for e in entries:
            wanted.setdefault(e["entity"], set()).add(e["entity_id"])
        actors = {e["actor"] for e in entries}
        out: dict[str, dict] = {}
        with self._tx() as s:  # type: ignore[attr-defined]
            for kind, read in (
                ("task", _tasks),
                ("plan", _plans),
                ("indicator", _indicators),
                ("duty", _duties),
                ("draft", _drafts),
                ("user", _users_by_id),
            ):
                if wanted.get(kind):
                    out |= {f"{kind}:{k}": v for k, v in read(s, sorted(wanted[kind])).items()}
            if actors:
                out |= {f"actor:{k}": v for k, v in _actors(s, sorted(actors)).items()}
        return out

    def audit_agencies(self, provinces: Collection[str] | None = None) -> list[str]:
        """The departments one may filter the log by: those with accounts or leading a task."""
        with self._tx() as s:  # type: ignore[attr-defined]
            leads = select(TaskAgency.agency_id).where(TaskAgency.role == "lead")
            people = select(User.agency_id).where(User.agency_id.is_not(None))
            q = select(Agency.name).where(or_(Agency.id.in_(leads), Agency.id.in_(people))).distinct()
            if provinces is not None:
                q = q.where(Agency.province.in_(list(provinces)))
            return sorted(s.scalars(q))


def _tasks(s: Session, ids: list[int]) -> dict[int, dict]:
    rows = s.execute(select(Task.id, Task.text, Task.plan_id).where(Task.id.in_(ids)))
    return {i: {"text": text, "plan_id": plan_id} for i, text, plan_id in rows}


def _plans(s: Session, ids: list[int]) -> dict[int, dict]:
    rows = s.execute(select(Plan.id, Plan.number, Plan.title).where(Plan.id.in_(ids)))
    return {i: {"number": number, "title": title} for i, number, title in rows}


def _indicators(s: Session, ids: list[int]) -> dict[int, dict]:
    rows = s.execute(select(Indicator.id, Indicator.name, Indicator.plan_id).where(Indicator.id.in_(ids)))
    return {i: {"name": name, "plan_id": plan_id} for i, name, plan_id in rows}


def _duties(s: Session, ids: list[int]) -> dict[int, dict]:
    rows = s.execute(
        select(ReportingDuty.id, ReportingDuty.text, ReportingDuty.plan_id).where(ReportingDuty.id.in_(ids))
    )
    return {i: {"text": text, "plan_id": plan_id} for i, text, plan_id in rows}


def _drafts(s: Session, ids: list[int]) -> dict[int, dict]:
    rows = s.execute(select(Draft.id, Draft.source_name, Draft.plan_id).where(Draft.id.in_(ids)))
    return {i: {"source": name, "plan_id": plan_id} for i, name, plan_id in rows}


def _users_by_id(s: Session, ids: list[int]) -> dict[int, dict]:
    rows = s.execute(select(User.id, User.username, User.name).where(User.id.in_(ids)))
    return {i: {"username": username, "name": name} for i, username, name in rows}


def _actors(s: Session, names: list[str]) -> dict[str, dict]:
    q = (
        select(User.username, User.name, User.role, Agency.name)
        .outerjoin(Agency, Agency.id == User.agency_id)
        .where(User.username.in_(names))
    )
    return {u: {"name": n, "role": r, "agency": a} for u, n, r, a in s.execute(q)}
