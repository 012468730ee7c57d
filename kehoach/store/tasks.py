"""Tasks: status as of a date, progress updates, extensions, conditions, statistics.

A task's status is read from its stored spans (`summaries`, table `task_states`): a read of
tasks costs their rows, their agencies' names and one span each, whatever their history. A
write is one transaction: the task read once (with its spans and agencies), the permission
checked on that row, the row updated on the version read (`UPDATE … WHERE version = :read
RETURNING …`), the update and audit entry inserted, the spans and counts moved; the answer is
built from what was written.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from datetime import date
from types import SimpleNamespace
from typing import Any, cast

from sqlalchemy import BindParameter, Table, bindparam, or_, select, update
from sqlalchemy.orm import Session

from .. import track
from ..track import ConflictError, NotFoundError, Status, ValidationError, bounds
from ..vn import Period, fold
from . import summaries
from ._base import (
    ROLES,
    Core,
    _agencies_with_successors,
    _chunks,
    _date,
    _ids,
    _iso,
    _looks_like_number,
    _needles,
    current_agency,
)
from .schema import (
    Agency,
    Extension,
    Plan,
    PlanState,
    ProgressUpdate,
    Task,
    TaskAgency,
    TaskState,
)

TASKS = cast(Table, Task.__table__)
TASK_COLUMNS = tuple(TASKS.c)
PLAN_COLUMNS = tuple(
    Plan.__table__.c[k] for k in ("number", "title", "province", "issued_date", "period_end", "created_at")
)
STATES = cast(Table, TaskState.__table__)
SNAPSHOT = (
    "state",
    "percent",
    "done_on",
    "product_number",
    "product_file",
    "version",
    "condition_met_on",
    "condition_due",
)
# one task's read, built once (a statement made per request costs more than it runs)
_TASK_ID: BindParameter[int] = bindparam("task_id")
_ONE = (
    select(
        *TASK_COLUMNS,
        *(c.label(f"plan_{c.key}") for c in PLAN_COLUMNS),
        *(c.label(f"span_{c.key}") for c in STATES.c),
    )
    .join(Plan, Plan.id == Task.plan_id)
    .outerjoin(TaskState, TaskState.task_id == Task.id)
    .where(Task.id == _TASK_ID)
    .order_by(TaskState.since.is_not(None), TaskState.since)
)
_NAMES = (
    select(TaskAgency.role, Agency.name)
    .join(Agency, Agency.id == TaskAgency.agency_id)
    .where(TaskAgency.task_id == _TASK_ID)
    .order_by(TaskAgency.role, TaskAgency.position, TaskAgency.id)
)
_UPDATES = (
    select(ProgressUpdate.__table__)
    .where(ProgressUpdate.task_id == _TASK_ID)
    .order_by(ProgressUpdate.on, ProgressUpdate.id)
)
_EXTENSIONS = (
    select(Extension.__table__).where(Extension.task_id == _TASK_ID).order_by(Extension.granted_on, Extension.id)
)
ATTEMPTS = 3  # a write without an expected version retries when another wrote in between

Authorize = Callable[[dict], None]
"""Called with the task as read (as of the date asked), in the write's transaction: raises to refuse."""


@dataclass
class _View:
    """What task dicts are built from, for one date: rows, not objects."""

    tasks: list[Any]
    plans: dict[int, Plan]
    names: dict[int, dict[str, list[str]]] = field(default_factory=dict)  # task → role → names
    states: dict[int, Any] = field(default_factory=dict)  # task → its span holding the date
    periods: dict[int, dict[str, date]] = field(default_factory=dict)  # recurring task → period → done on
    frequency: dict[int, str] = field(default_factory=dict)  # plan → its recurring tasks' period


class TaskMixin(Core):
    """Tasks: status as of a date, progress updates, extensions, conditions, statistics."""

    # --- reading ------------------------------------------------------------------------------

    def _view(self, s: Session, tasks: list[Any], as_of: date) -> _View:
        """Everything the dicts of these tasks need on `as_of`, a chunk of tasks at a time."""
        v = _View(tasks, {})
        conn = s.connection()  # plain rows: no objects to build for a country's tasks
        plan_ids = _ids(t.plan_id for t in tasks)
        for chunk in _chunks(plan_ids):
            v.plans.update((p.id, p) for p in s.scalars(select(Plan).where(Plan.id.in_(chunk))))
        ids = [t.id for t in tasks]
        for chunk in _chunks(ids):
            for task_id, role, name in conn.execute(
                select(TaskAgency.task_id, TaskAgency.role, Agency.name)
                .join(Agency, Agency.id == TaskAgency.agency_id)
                .where(TaskAgency.task_id.in_(chunk))
                .order_by(TaskAgency.task_id, TaskAgency.role, TaskAgency.position, TaskAgency.id)
            ):
                v.names.setdefault(task_id, {}).setdefault(role, []).append(name)
            for st in conn.execute(select(STATES).where(TaskState.task_id.in_(chunk), summaries.holding(as_of))):
                v.states[st.task_id] = st
        missing = [t for t in tasks if t.id not in v.states]
        if missing:  # a task whose spans are not stored yet: computed from its rows
            raw = summaries.load_raw(s, missing)
            for t in missing:
                for since, until, i in summaries.spans(raw, t):
                    if (since is None or since <= as_of) and (until is None or until > as_of):
                        v.states[t.id] = _Span(i, t.recurring)
        recurring = [t.id for t in tasks if t.recurring]
        if recurring:
            self._periods(s, v, recurring, plan_ids, as_of)
        return v

    def _periods(self, s: Session, v: _View, recurring: list[int], plan_ids: list[int], as_of: date) -> None:
        for chunk in _chunks(plan_ids):
            q = select(PlanState.plan_id, PlanState.frequency).where(PlanState.plan_id.in_(chunk))
            v.frequency.update((p, f) for p, f in s.connection().execute(q))
        for chunk in _chunks(recurring):
            for task_id, period, on in s.connection().execute(
                select(ProgressUpdate.task_id, ProgressUpdate.period, ProgressUpdate.on)
                .where(
                    ProgressUpdate.task_id.in_(chunk),
                    ProgressUpdate.period.is_not(None),
                    ProgressUpdate.state == "done",
                    ProgressUpdate.on <= as_of,
                )
                .order_by(ProgressUpdate.on, ProgressUpdate.id)
            ):
                v.periods.setdefault(task_id, {}).setdefault(period or "", on)

    def _task_dict(self, v: _View, t: Any, as_of: date) -> dict:
        st = v.states[t.id]
        plan = v.plans[t.plan_id]
        status = track.task_status(
            due=st.due,
            done_on=st.done_on,
            as_of=as_of,
            recurring=t.recurring,
            waiting=st.waiting,
            soon_days=self.soon_days,
        )
        names = v.names.get(t.id, {})
        d = {
            "id": t.id,
            "plan_id": t.plan_id,
            "plan": plan.number or plan.title,
            "position": t.position,
            "section": t.section,
            "text": t.text,
            **{r: list(names.get(r, ())) for r in ROLES},
            "owner_now": list(st.owners),
            "deadline_text": t.deadline_text,
            "due_document": _iso(t.due),
            "due": _iso(st.due),
            "recurring": t.recurring,
            "condition": t.condition,
            "condition_met_on": _iso(t.condition_met_on),
            "status": status.value,
            "done_on": _iso(st.done_on),
            "extended": st.extended,
            "late_vs_original": bool(st.original and ((st.done_on or as_of) > st.original)) and not t.recurring,
            "state": t.state,
            "percent": t.percent,
            "product_number": t.product_number,
            "product_file": t.product_file,
            "version": t.version,
        }
        if t.recurring:
            start = plan.issued_date or date(as_of.year, 1, 1)
            periods = track.period_statuses(
                v.frequency.get(plan.id, "quarterly"),
                start,
                as_of,
                v.periods.get(t.id, {}),
                until=plan.period_end,
                soon_days=self.soon_days,
            )
            d["periods"] = [
                {"period": p.period, "due": _iso(p.due), "status": p.status.value, "done_on": _iso(p.done_on)}
                for p in periods
            ]
        return d

    def _agency_matches(
        self,
        s: Session,
        links: dict[int, list[tuple[int, str]]],
        agencies: dict[int, Agency],
        t: Any,
        needles: tuple[str, ...],
        province: str | None,
        as_of: date,
        roles: tuple[str, ...],
    ) -> bool:
        for agency_id, role in links.get(t.id, []):
            if role not in roles:
                continue
            for ag in (agencies[agency_id], current_agency(agencies, agency_id, as_of)):
                named = not needles or any(n in ag.search for n in needles)
                if named and (province is None or ag.province == province):
                    return True
        return False

    def _links(self, s: Session, ids: list[int]) -> tuple[dict[int, list[tuple[int, str]]], dict[int, Agency]]:
        """These tasks' agencies (ids and roles) and every agency their successor chains reach."""
        links: dict[int, list[tuple[int, str]]] = defaultdict(list)
        for chunk in _chunks(ids):
            for task_id, agency_id, role in s.execute(
                select(TaskAgency.task_id, TaskAgency.agency_id, TaskAgency.role).where(TaskAgency.task_id.in_(chunk))
            ):
                links[task_id].append((agency_id, role))
        return links, _agencies_with_successors(s, (a for ls in links.values() for a, _ in ls))

    def _rows(self, s: Session, q: Any, ids: Collection[int] | None, plans: Collection[int] | None) -> list[Any]:
        """Task rows of `q`, scoped to these ids and plans, in the register's order."""
        if ids is not None:
            rows = [r for c in _chunks(_ids(ids)) for r in s.connection().execute(q.where(Task.id.in_(c)))]
            if plans is not None:
                wanted = set(_ids(plans))
                rows = [r for r in rows if r.plan_id in wanted]
        elif plans is not None:
            rows = [r for c in _chunks(_ids(plans)) for r in s.connection().execute(q.where(Task.plan_id.in_(c)))]
        else:
            rows = list(s.connection().execute(q))
        return sorted(rows, key=lambda t: (t.plan_id, t.position, t.id))

    def tasks(
        self,
        *,
        agency: str | None = None,
        status: str | None = None,
        due_before: date | None = None,
        plan: int | None = None,
        text: str | None = None,
        province: str | None = None,
        roles: tuple[str, ...] = ("lead",),
        as_of: date | None = None,
        include_removed: bool = False,
        plans: Collection[int] | None = None,
        ids: Collection[int] | None = None,
    ) -> list[dict]:
        """Tasks with their status as of `as_of`, filtered.

        `agency` matches the agency named in the plan or its successor as of `as_of`;
        `text` and `agency` ignore case and diacritics; `status` is a Status value or its prefix.
        `plans`: only the tasks of these plans; `ids`: only these tasks (both: tasks in both).
        """
        as_of = _date(as_of, "as_of") or self.today()
        due_before = _date(due_before, "due_before")
        statuses = self._statuses(status)
        prov = self.registry.province(province) if province else None
        with self.session() as s:
            q = select(*TASK_COLUMNS)
            if not include_removed:
                q = q.where(Task.removed_in.is_(None))
            if plan is not None:
                q = q.where(Task.plan_id == plan)
            if text:
                q = q.where(Task.search.contains(fold(text), autoescape=True))
            needles = _needles(agency)
            if (
                needles
                and s.scalars(
                    select(Agency.id)
                    .where(or_(*(Agency.search.contains(n, autoescape=True) for n in needles)))
                    .limit(1)
                ).first()
                is None
            ):
                raise NotFoundError(f"không có cơ quan nào tên '{agency}'", what="agency")
            rows = self._rows(s, q, ids, plans)
            if agency or prov:
                links, agencies = self._links(s, [t.id for t in rows])
                rows = [t for t in rows if self._agency_matches(s, links, agencies, t, needles, prov, as_of, roles)]
            v = self._view(s, rows, as_of)
            out = []
            for t in rows:
                d = self._task_dict(v, t, as_of)
                if statuses and d["status"] not in statuses:
                    continue
                if due_before and not (d["due"] and date.fromisoformat(d["due"]) < due_before):
                    continue
                out.append(d)
            return out

    @staticmethod
    def _statuses(status: str | None) -> set[str]:
        if not status:
            return set()
        want = fold(status)
        found = {s.value for s in Status if fold(s.value).startswith(want) or s.name.lower() == want}
        if not found:
            raise ValidationError("status", status, "dùng một trong: " + "; ".join(s.value for s in Status))
        return found

    def task(self, task_id: int, as_of: date | None = None) -> dict:
        """One task with its updates and extensions, as of `as_of`: four statements."""
        as_of = _date(as_of, "as_of") or self.today()
        with self.session() as s:
            t, _, spans, v = self._one(s, task_id)
            d = self._task_dict(self._holding_view(s, v, spans, as_of), t, as_of)
            conn = s.connection()
            d["updates"] = [
                {
                    "id": u.id,
                    "on": _iso(u.on),
                    "period": u.period,
                    "state": u.state,
                    "percent": u.percent,
                    "narrative": u.narrative,
                    "difficulties": u.difficulties,
                    "proposals": u.proposals,
                    "product_number": u.product_number,
                    "product_file": u.product_file,
                    "actor": u.actor,
                }
                for u in conn.execute(_UPDATES, {"task_id": task_id})
            ]
            d["extensions"] = [
                {
                    "id": e.id,
                    "previous_due": _iso(e.previous_due),
                    "new_due": _iso(e.new_due),
                    "granted_by": e.granted_by,
                    "granted_on": _iso(e.granted_on),
                    "reason": e.reason,
                }
                for e in conn.execute(_EXTENSIONS, {"task_id": task_id})
            ]
            return d

    # --- writing ------------------------------------------------------------------------------

    def _one(self, s: Session, task_id: int) -> tuple[Any, Any, list[Any], _View]:
        """One task with its plan and its spans (one statement), and its agencies' names (one
        more): what a task's page and a write of it start from."""
        conn = s.connection()
        rows = conn.execute(_ONE, {"task_id": task_id}).mappings().all()
        if not rows:
            raise NotFoundError(f"không có nhiệm vụ id {task_id}", what="task")
        t = _Record({c.key: rows[0][c.key] for c in TASK_COLUMNS})
        plan = _Record({c.key: rows[0][f"plan_{c.key}"] for c in PLAN_COLUMNS} | {"id": t.plan_id})
        spans = [_Record({c.key: r[f"span_{c.key}"] for c in STATES.c}) for r in rows if r["span_id"] is not None]
        v = _View([t], {t.plan_id: plan})  # type: ignore[dict-item]  # the plan's columns the dicts need
        for role, name in conn.execute(_NAMES, {"task_id": task_id}):
            v.names.setdefault(task_id, {}).setdefault(role, []).append(name)
        return t, plan, spans, v

    def _read_for_write(
        self, s: Session, task_id: int, expected_version: int | None, as_of: date, authorize: Authorize | None
    ) -> tuple[Any, Any, list[Any], _View]:
        """The task about to be written (`_one`); the permission checked on this row (as of
        `as_of`), and its version against the one the writer read."""
        t, plan, spans, v = self._one(s, task_id)
        if authorize is not None:
            authorize(self._task_dict(self._holding_view(s, v, spans, as_of), t, as_of))
        if expected_version is not None and t.version != expected_version:
            raise ConflictError(
                f"nhiệm vụ {task_id} đã được người khác cập nhật (phiên bản {t.version}, bạn đọc "
                f"phiên bản {expected_version}): tải lại rồi cập nhật lại"
            )
        return t, plan, spans, v

    def _holding_view(self, s: Session, v: _View, spans: list[Any], as_of: date) -> _View:
        """A task's view on a date from its spans in hand (read from its rows if it has none)."""
        t = v.tasks[0]
        held = [
            st for st in spans if (st.since is None or st.since <= as_of) and (st.until is None or st.until > as_of)
        ]
        if not held:
            return self._view(s, [t], as_of)
        out = _View([t], v.plans, v.names, {t.id: held[0]})
        if t.recurring:
            self._periods(s, out, [t.id], [t.plan_id], as_of)
        return out

    def _written(self, s: Session, t: Any, values: dict) -> Any:
        """The task row updated on the version read, returned as written; None if another wrote first."""
        stmt = (
            update(TASKS)
            .where(TASKS.c.id == t.id, TASKS.c.version == t.version)
            .values(version=t.version + 1, updated_at=self.now(), **values)
            .returning(*TASK_COLUMNS)
        )
        return s.connection().execute(stmt).first()

    def update_task(
        self,
        task_id: int,
        *,
        actor: str,
        state: str | None = None,
        percent: float | None = None,
        narrative: str | None = None,
        difficulties: str | None = None,
        proposals: str | None = None,
        product_number: str | None = None,
        product_file: str | None = None,
        on: date | None = None,
        period: str | None = None,
        expected_version: int | None = None,
        authorize: Authorize | None = None,
        as_of: date | None = None,
    ) -> dict:
        """Append a progress update. Done needs evidence: a document number or a file.

        `authorize` sees the task as of `as_of` (default today) before anything is written.
        Returns the task as written (as of the update's date or today, the later), with the
        update under `update`.
        """
        if not actor or not actor.strip():
            raise ValidationError("actor", actor, "cần tên người cập nhật")
        on = _date(on, "on") or self.today()
        check = track.check_percent(percent)
        if period is not None:
            try:
                period = Period.parse(period, year=on.year).code
            except ValueError as e:
                raise ValidationError("period", period, str(e)) from None
        bounds.check_texts(
            bounds.UPDATE_TEXTS,
            narrative=narrative,
            difficulties=difficulties,
            proposals=proposals,
            product_number=product_number,
        )
        if product_number is not None and not _looks_like_number(product_number):
            raise ValidationError("product_number", product_number, "số ký hiệu văn bản có dạng 123/QĐ-UBND")
        wanted_state = track.progress_state(state) if state else None
        asked = _Update(
            on, period, wanted_state, check, narrative, difficulties, proposals, product_number, product_file, actor
        )
        seen_on = _date(as_of, "as_of") or self.today()
        for attempt in range(ATTEMPTS):
            with self.writing() as s:
                done = self._update(s, task_id, asked, expected_version, authorize, seen_on)
                if done is not None:
                    return done
            if expected_version is not None or attempt == ATTEMPTS - 1:
                break
        raise ConflictError(f"nhiệm vụ {task_id} đã được người khác cập nhật cùng lúc: tải lại rồi cập nhật lại")

    def _update(
        self,
        s: Session,
        task_id: int,
        u: _Update,
        expected_version: int | None,
        authorize: Authorize | None,
        as_of: date,
    ) -> dict | None:
        t, plan, spans, v = self._read_for_write(s, task_id, expected_version, as_of, authorize)
        bounds.check_update_date(u.on, (plan.issued_date or plan.created_at).year, self.today())
        new_state = u.state or t.state
        if new_state == "done" and not (
            u.product_number or u.product_file or (t.product_number or t.product_file) and not u.period
        ):
            raise ValidationError(
                "product",
                None,
                "nhiệm vụ chỉ hoàn thành khi có sản phẩm: số văn bản (vd 123/QĐ-UBND) hoặc tệp đính kèm",
            )
        percent = 100.0 if new_state == "done" and u.percent is None else u.percent
        values: dict[str, Any] = {
            "product_number": u.product_number or t.product_number,
            "product_file": u.product_file or t.product_file,
        }
        in_order = t.progress_on is None or u.on >= t.progress_on
        if not u.period:
            if in_order:
                done_on = (t.done_on or u.on) if new_state == "done" else None
                values |= {"state": new_state, "done_on": done_on, "progress_on": u.on}
            else:  # dated before the latest update: put in order among the others
                history = sorted(
                    [*s.execute(
                        select(ProgressUpdate.on, ProgressUpdate.state)
                        .where(ProgressUpdate.task_id == t.id, ProgressUpdate.period.is_(None))
                        .order_by(ProgressUpdate.on, ProgressUpdate.id)
                    ), (u.on, new_state)],
                    key=lambda h: h[0],
                )  # fmt: skip
                values |= {"state": history[-1][1], "done_on": track.completion(history, date.max)}
            values["percent"] = percent if percent is not None else t.percent
        written = self._written(s, t, values)
        if written is None:
            if expected_version is not None:
                raise ConflictError(
                    f"nhiệm vụ {task_id} đã được người khác cập nhật cùng lúc: tải lại rồi cập nhật lại"
                )
            return None
        update_id = s.execute(
            cast(Table, ProgressUpdate.__table__).insert()
            .values(
                task_id=t.id, on=u.on, period=u.period, state=new_state, percent=percent, narrative=u.narrative,
                difficulties=u.difficulties, proposals=u.proposals, product_number=u.product_number,
                product_file=u.product_file, actor=u.actor, recorded_at=self.now(),
            )
            .returning(ProgressUpdate.id)
        ).scalar_one()  # fmt: skip
        self.log(s, u.actor, "update", "task", t.id, _snapshot(t), _snapshot(written) | {"update_id": update_id})
        latest = spans[-1] if spans else None
        if latest is None or not (in_order and (latest.since is None or u.on >= latest.since)):
            # no spans stored yet, or an update dated before the latest change: from its rows
            self.summaries.refresh_tasks(s, [t.id])
            spans = []
        elif not (u.period or t.recurring):  # a period's update moves no span
            spans = self._move_span(s, plan, spans, written.done_on, u.on)
        answer_on = max(u.on, self.today())
        v.tasks = [written]
        out = self._task_dict(self._holding_view(s, v, spans, answer_on), written, answer_on)
        return out | {
            "update": {
                "id": update_id, "on": _iso(u.on), "period": u.period, "state": new_state, "percent": percent,
                "narrative": u.narrative, "difficulties": u.difficulties, "proposals": u.proposals,
                "product_number": u.product_number, "product_file": u.product_file, "actor": u.actor,
            }
        }  # fmt: skip

    def _move_span(self, s: Session, plan: Any, spans: list[Any], done_on: date | None, on: date) -> list[Any]:
        """A task's spans after an update dated on or after its latest: done from `done_on` (or
        not). They stay as a rebuild would make them: cut where a value changes, and only there."""
        latest = spans[-1]
        if done_on == latest.done_on:
            return spans
        row = vars(latest) | {"done_on": done_on}
        previous = spans[-2] if len(spans) > 1 else None
        if latest.since == on and previous is not None and _same_span(previous, row):
            s.execute(STATES.delete().where(STATES.c.id == latest.id))  # back to the span before
            s.execute(update(STATES).where(STATES.c.id == previous.id).values(until=None))
            moved = [*spans[:-2], _Record(vars(previous) | {"until": None})]
        elif latest.since == on:
            s.execute(update(STATES).where(STATES.c.id == latest.id).values(done_on=done_on))
            moved = [*spans[:-1], _Record(row)]
        else:
            s.execute(update(STATES).where(STATES.c.id == latest.id).values(until=on))
            new = {k: v for k, v in row.items() if k != "id"} | {"since": on, "until": None}
            s.execute(STATES.insert().values(new))
            self.summaries.fresh_from(s, {plan.id: on})
            moved = [*spans[:-1], _Record(vars(latest) | {"until": on}), _Record(new)]
        province = plan.province or ""
        summaries.change(s, summaries.task_keys(province, latest), summaries.task_keys(province, moved[-1]))
        return moved

    def extend_deadline(
        self,
        task_id: int,
        new_due: date,
        *,
        granted_by: str,
        actor: str,
        granted_on: date | None = None,
        reason: str | None = None,
        expected_version: int | None = None,
        authorize: Authorize | None = None,
        as_of: date | None = None,
    ) -> dict:
        """Record a deadline extension (gia hạn) against the task's original date."""
        new_due = _date(new_due, "new_due")  # a date, or ValidationError
        granted_on = _date(granted_on, "granted_on") or self.today()
        if not granted_by or not granted_by.strip():
            raise ValidationError("granted_by", granted_by, "cần ghi ai cho phép gia hạn")
        bounds.check_texts(bounds.EXTENSION_TEXTS, granted_by=granted_by, reason=reason)
        with self.writing() as s:
            t, plan, _, _ = self._read_for_write(
                s, task_id, expected_version, _date(as_of, "as_of") or self.today(), authorize
            )
            prev = s.scalars(
                select(Extension.new_due)
                .where(Extension.task_id == t.id)
                .order_by(Extension.granted_on.desc(), Extension.id.desc())
            ).first()
            previous = prev or t.due or t.condition_due or plan.period_end
            if previous and new_due <= previous:
                raise ValidationError(
                    "new_due",
                    new_due.isoformat(),
                    f"hạn mới phải sau hạn hiện tại {previous.isoformat()}",
                )
            written = self._written(s, t, {})
            if written is None:
                raise ConflictError(f"nhiệm vụ {task_id} đã được người khác cập nhật cùng lúc: tải lại rồi thử lại")
            s.execute(
                cast(Table, Extension.__table__).insert().values(
                    task_id=t.id, previous_due=previous, new_due=new_due, granted_by=granted_by,
                    granted_on=granted_on, reason=reason, actor=actor, recorded_at=self.now(),
                )
            )  # fmt: skip
            self.log(
                s,
                actor,
                "extend",
                "task",
                t.id,
                _snapshot(t) | {"due": previous},
                _snapshot(written) | {"due": new_due, "granted_by": granted_by},
            )
            self.summaries.refresh_tasks(s, [t.id])
        return self.task(task_id, as_of=max(granted_on, self.today()))

    def mark_condition(
        self,
        task_id: int,
        met_on: date,
        *,
        actor: str,
        due: date | None = None,
        expected_version: int | None = None,
        authorize: Authorize | None = None,
        as_of: date | None = None,
    ) -> dict:
        """Mark a conditional task's event: its clock starts (due `due` or 30 days on)."""
        met_on = _date(met_on, "met_on")  # a date, or ValidationError
        due = _date(due, "due")
        with self.writing() as s:
            t, _, _, _ = self._read_for_write(
                s, task_id, expected_version, _date(as_of, "as_of") or self.today(), authorize
            )
            if not t.condition:
                raise ValidationError("task", task_id, "nhiệm vụ này không có điều kiện chờ")
            if due is not None and due < met_on:
                raise ValidationError("due", due.isoformat(), "hạn phải sau ngày sự kiện xảy ra")
            written = self._written(s, t, {"condition_met_on": met_on, "condition_due": due})
            if written is None:
                raise ConflictError(f"nhiệm vụ {task_id} đã được người khác cập nhật cùng lúc: tải lại rồi thử lại")
            self.log(s, actor, "condition", "task", t.id, _snapshot(t), _snapshot(written))
            self.summaries.refresh_tasks(s, [t.id])
        return self.task(task_id, as_of=max(met_on, self.today()))

    # --- statistics ---------------------------------------------------------------------------

    def stats(self, as_of: date | None = None, by: str = "agency", plan: int | None = None) -> list[dict]:
        """Counts per status and share done on time, per current lead agency or per plan.

        `late_vs_original` counts tasks past the document's own date, extensions or not.
        """
        as_of = _date(as_of, "as_of") or self.today()
        if by not in ("agency", "plan"):
            raise ValidationError("by", by, "dùng 'agency' hoặc 'plan'")
        groups: dict[Any, list[Status]] = defaultdict(list)
        names: dict[Any, dict] = {}
        late: dict[Any, int] = defaultdict(int)  # done or open past the document's own date
        with self.session() as s:
            q = select(*TASK_COLUMNS).where(Task.removed_in.is_(None))
            if plan is not None:
                q = q.where(Task.plan_id == plan)
            rows = self._rows(s, q, None, None)
            v = self._view(s, rows, as_of)
            links, agencies = self._links(s, [t.id for t in rows]) if by == "agency" else ({}, {})
            for t in rows:
                d = self._task_dict(v, t, as_of)
                status = Status(d["status"])
                if by == "plan":
                    p = v.plans[t.plan_id]
                    groups[p.id].append(status)
                    late[p.id] += d["late_vs_original"]
                    names[p.id] = {"id": p.id, "plan": p.number or p.title}
                    continue
                owners = {current_agency(agencies, a, as_of).id for a, role in links.get(t.id, []) if role == "lead"}
                for a in owners or {0}:
                    groups[a].append(status)
                    late[a] += d["late_vs_original"]
                    ag = agencies.get(a)
                    names[a] = {
                        "id": a,
                        "agency": ag.name if ag else "(chưa giao)",
                        "province": (ag.province or None) if ag else None,
                    }
        rows_ = [names[k] | track.counts(v_) | {"late_vs_original": late[k]} for k, v_ in groups.items()]
        return sorted(rows_, key=lambda r: (-(r["on_time_rate"] or -1), -r["total"], str(r.get("agency", ""))))


@dataclass(frozen=True)
class _Update:
    """A progress update as asked, checked."""

    on: date
    period: str | None
    state: str | None
    percent: float | None
    narrative: str | None
    difficulties: str | None
    proposals: str | None
    product_number: str | None
    product_file: str | None
    actor: str


@dataclass(frozen=True)
class _Span:
    """A span computed from a task's rows (one not stored yet), read like a stored one."""

    inputs: summaries.Inputs
    recurring: bool

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inputs, name)


class _Record(SimpleNamespace):
    """A row read as attributes (a task, its plan, a span), as the write path holds it."""

    def __init__(self, values: dict) -> None:
        super().__init__(**values)


def _same_span(st: Any, row: dict) -> bool:
    """Whether a stored span holds the same values as a span's row (its dates aside)."""
    return all(getattr(st, k) == v for k, v in row.items() if k not in ("since", "until"))


def _snapshot(t: Any) -> dict:
    return {k: getattr(t, k) for k in SNAPSHOT}
