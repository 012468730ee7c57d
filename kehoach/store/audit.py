"""Reading the audit log a page at a time, filtered, with the names of what each entry is about.

Every write is audited (`Core.log`); this module only reads. A page is keyset-paged by id
(newest first): `before` (older entries) or `after` (newer ones), never OFFSET, so page 500 costs
what page 1 does. The filters: the scope of a province (its plans, their tasks, indicators and
duties; its drafts), one plan, one person, one department (its accounts, the tasks it leads, the
indicators it monitors, the duties it reports on), a span of days. A page is first looked for
among the newest entries, walking the primary key backwards and testing each (a province's or a
department's changes are never rare there); only a rare filter then reaches the indexes on the
province, the plan, the record and the person (`_walk`), and a span of days becomes an id range
(`_span`). Each entry carries its plan and province, as written (`Core.log`).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, SQLColumnExpression, and_, false, func, or_, select
from sqlalchemy.orm import Session

from ..track import ValidationError
from ._base import Core, _iso
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
SKEW = timedelta(minutes=10)  # how far an entry's id and time may cross (a long transaction)
# Entries read backwards by id before the database is left to pick an index: a page of a
# common filter (a province, a plan, a department) is found within them by walking the primary
# key; a rare one (a plan or a province quiet for months) is then found through the indexes
# on the province, the plan, the record and the person, at the cost of the matching entries.
WINDOW = 20_000


@dataclass(frozen=True)
class _Cols:
    """The columns the conditions test; `walk`: as expressions no index answers, so that the
    database walks the primary key backwards (the newest first) and tests each entry."""

    walk: bool

    @property
    def entity(self) -> SQLColumnExpression[str]:
        return AuditEntry.entity.concat("") if self.walk else AuditEntry.entity

    @property
    def entity_id(self) -> SQLColumnExpression[int]:
        return AuditEntry.entity_id + 0 if self.walk else AuditEntry.entity_id

    @property
    def actor(self) -> SQLColumnExpression[str]:
        return AuditEntry.actor.concat("") if self.walk else AuditEntry.actor

    @property
    def at(self) -> SQLColumnExpression[datetime]:
        # PostgreSQL would read a whole month through `ix_audit_log_at` and sort it
        return func.coalesce(AuditEntry.at, AuditEntry.at) if self.walk else AuditEntry.at

    @property
    def plan_id(self) -> SQLColumnExpression[int | None]:
        return AuditEntry.plan_id + 0 if self.walk else AuditEntry.plan_id

    @property
    def province(self) -> SQLColumnExpression[str | None]:
        return AuditEntry.province.concat("") if self.walk else AuditEntry.province

    def about(self, kind: str, ids: Any) -> ColumnElement[bool]:
        return and_(self.entity == kind, self.entity_id.in_(ids))


def _scope(c: _Cols, provinces: Collection[str]) -> ColumnElement[bool]:
    """What the accounts of these provinces may read: the entries about their plans (the plan,
    its tasks, indicators and duties) and their drafts, as each entry was written (`Core.log`)."""
    return c.province.in_(list(provinces)) if provinces else false()


def _one_plan(c: _Cols, plan_id: int) -> ColumnElement[bool]:
    """One plan's entries, with the drafts it was published from."""
    drafts = select(Draft.id).where(Draft.plan_id == plan_id)
    return or_(c.plan_id == plan_id, c.about("draft", drafts))


def _department(c: _Cols, agency_ids: Any) -> ColumnElement[bool]:
    """A department's entries: made by its accounts, or about the tasks it leads, the indicators
    it monitors and the reporting duties it reports on."""
    people = select(User.username).where(User.agency_id.in_(agency_ids))
    tasks = select(TaskAgency.task_id).where(TaskAgency.agency_id.in_(agency_ids), TaskAgency.role == "lead")
    indicators = select(IndicatorAgency.indicator_id).where(IndicatorAgency.agency_id.in_(agency_ids))
    duties = select(DutyReporter.duty_id).where(DutyReporter.agency_id.in_(agency_ids))
    return or_(
        c.actor.in_(people),
        c.about("task", tasks),
        c.about("indicator", indicators),
        c.about("duty", duties),
    )


@dataclass
class _Filters:
    """A page's filters, read once; `where(walk)` gives them as conditions (built once each)."""

    provinces: Collection[str] | None
    plan: int | None
    actor: str | None
    agency: str | None
    since: datetime | None  # the days asked, in UTC (their ids bound the walk)
    until: datetime | None
    _built: dict[bool, list[ColumnElement[bool]]] = field(default_factory=dict)

    def where(self, walk: bool) -> list[ColumnElement[bool]]:
        if walk not in self._built:
            self._built[walk] = self._conditions(_Cols(walk))
        return self._built[walk]

    def _conditions(self, c: _Cols) -> list[ColumnElement[bool]]:
        out = []
        if self.since is not None:
            out.append(c.at >= self.since)
        if self.until is not None:
            out.append(c.at < self.until)
        if self.provinces is not None:
            out.append(_scope(c, self.provinces))
        if self.plan is not None:
            out.append(_one_plan(c, self.plan))
        if self.actor:  # one person: `(actor, id)` walks backwards just as well
            out.append(AuditEntry.actor == self.actor)
        if self.agency:
            ids = select(Agency.id).where(Agency.name == " ".join(self.agency.split()))
            if self.provinces is not None:
                ids = ids.where(Agency.province.in_(list(self.provinces)))
            out.append(_department(c, ids))
        return out


def _first_id(s: Session, moment: datetime) -> int | None:
    """An id no entry at or after `moment` is below: the first entry from then on, or any entry
    written within SKEW around it (ids and times may cross by the length of a transaction).
    Each is one short walk of the `at` index, where min(id) over every later entry would read
    them all."""
    first = s.scalar(select(AuditEntry.id).where(AuditEntry.at >= moment).order_by(AuditEntry.at).limit(1))
    if first is None:
        return None
    near = s.scalar(select(func.min(AuditEntry.id)).where(AuditEntry.at.between(moment - SKEW, moment + SKEW)))
    return min(first, near if near is not None else first)


def _last_id(s: Session, moment: datetime) -> int | None:
    """An id no entry before `moment` is above (as `_first_id`, from the other side)."""
    last = s.scalar(select(AuditEntry.id).where(AuditEntry.at < moment).order_by(AuditEntry.at.desc()).limit(1))
    if last is None:
        return None
    near = s.scalar(select(func.max(AuditEntry.id)).where(AuditEntry.at.between(moment - SKEW, moment + SKEW)))
    return max(last, near if near is not None else last)


def _span(s: Session, since: datetime | None, until: datetime | None, top: int) -> tuple[int, int] | None:
    """The ids that hold a span of days, as exclusive bounds, found through the `at` index
    (`at` itself is tested too: an entry committed a moment late may hold an id out of order);
    None when no entry can be in it."""
    low, high = 0, top
    if since is not None:
        first = _first_id(s, since)
        if first is None:
            return None
        low = first - 1
    if until is not None:
        last = _last_id(s, until)
        if last is None:
            return None
        high = last + 1
    return (low, high) if low < high - 1 else None


def _walk(s: Session, filters: _Filters, low: int, high: int, n: int, newest_first: bool) -> list[AuditEntry]:
    """At most `n` entries with ids strictly between `low` and `high`, from the `high` end
    (`newest_first`) or the `low` end. First the WINDOW ids nearest that end, walked by the
    primary key; then, when they hold too few, the rest through the indexes."""
    order = AuditEntry.id.desc() if newest_first else AuditEntry.id.asc()
    edge = max(low, high - WINDOW) if newest_first else min(high, low + WINDOW)
    near = [AuditEntry.id > edge, AuditEntry.id < high] if newest_first else [AuditEntry.id > low, AuditEntry.id < edge]
    rows = list(s.scalars(select(AuditEntry).where(*filters.where(walk=True), *near).order_by(order).limit(n)))
    if len(rows) >= n or edge in (low, high):
        return rows
    far = (
        [AuditEntry.id > low, AuditEntry.id <= edge] if newest_first else [AuditEntry.id >= edge, AuditEntry.id < high]
    )
    # the ids first, each filter's index holding them: asked for whole entries, PostgreSQL walked
    # the primary key instead, reckoning a province's entries spread evenly over the log (0.5 s
    # for one quiet since)
    ids = list(
        s.scalars(select(AuditEntry.id).where(*filters.where(walk=False), *far).order_by(order).limit(n - len(rows)))
    )
    return rows + list(s.scalars(select(AuditEntry).where(AuditEntry.id.in_(ids)).order_by(order))) if ids else rows


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


class AuditMixin(Core):
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
        provinces = None if provinces is None else sorted(provinces)
        with self.session() as s:
            top = (s.scalar(select(func.max(AuditEntry.id))) or 0) + 1
            # the log keeps UTC, and SQLite compares the wall time as written: bounds in UTC
            since, until = (None if t is None else t.astimezone(UTC) for t in (since, until))
            span = _span(s, since, until, top)
            if span is None:
                return {"entries": [], "more": False, "newer": False}
            first, last = span  # every id of the span lies strictly between these
            filters = _Filters(provinces, plan, actor, agency, since, until)
            low, high = max(after or 0, first), min(before or last, last)
            if after is not None and before is None:  # towards newer entries
                rows = _walk(s, filters, low, high, limit + 1, newest_first=False)
                beyond, rows = len(rows) > limit, sorted(rows[:limit], key=lambda e: -e.id)
                more = bool(rows) and bool(_walk(s, filters, first, rows[-1].id, 1, newest_first=True))
                return {"entries": [_entry(e) for e in rows], "more": more, "newer": beyond}
            rows = _walk(s, filters, low, high, limit + 1, newest_first=True)
            beyond, rows = len(rows) > limit, rows[:limit]
            newer = bool(rows) and bool(_walk(s, filters, rows[0].id, last, 1, newest_first=False))
            return {"entries": [_entry(e) for e in rows], "more": beyond, "newer": newer}

    def audit_subjects(self, entries: list[dict]) -> dict[str, dict]:
        """What the entries are about and who made them, in a few queries: `"task:12"` → the
        task's text and plan, `"plan:3"` → number and title, …; `"actor:name"` → the account's
        name and department (absent for the command line's and the demonstration's actors)."""
        wanted: dict[str, set[int]] = {}
        for e in entries:
            wanted.setdefault(e["entity"], set()).add(e["entity_id"])
        actors = {e["actor"] for e in entries}
        out: dict[str, dict] = {}
        with self.session() as s:
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
        with self.session() as s:
            # asked agency by agency (an index probe each): `IN (every lead of every task)` read
            # the country's task links whole, 15 s nationally
            leads = select(TaskAgency.id).where(TaskAgency.agency_id == Agency.id, TaskAgency.role == "lead")
            people = select(User.id).where(User.agency_id == Agency.id)
            q = select(Agency.name).where(or_(leads.exists(), people.exists())).distinct()
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
