"""Tasks: status as of a date, progress updates, extensions, conditions, statistics."""

from __future__ import annotations

import sys
from collections import defaultdict
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any

from sqlalchemy import (
    or_,
    select,
)
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from .. import track
from ..track import ConflictError, NotFoundError, Status, ValidationError
from ..vn import Period, fold
from ._base import (
    ROLES,
    _agencies_with_successors,
    _chunks,
    _date,
    _ids,
    _iso,
    _Loaded,
    _looks_like_number,
    _needles,
    _now,
    _scoped,
)
from .schema import (
    Agency,
    Extension,
    Plan,
    ProgressUpdate,
    ReportingDuty,
    Task,
    TaskAgency,
)

# what a task's status needs of its updates
STATUS_COLUMNS = (ProgressUpdate.task_id, ProgressUpdate.on, ProgressUpdate.period, ProgressUpdate.state)


class TaskMixin:
    """Tasks: status as of a date, progress updates, extensions, conditions, statistics."""

    # --- tasks --------------------------------------------------------------------------------

    def _load(
        self,
        s: Session,
        q: Any,
        column: Any = None,
        values: Collection[int] | None = None,
        plans: Collection[int] | None = None,
        full: bool = False,
    ) -> _Loaded:
        """The tasks of `q` (with `values`: those whose `column` is one of them; with `plans`: of
        those plans) and what their statuses need: their plans, their agencies and every successor
        of those, their plans' reporting duties. Nothing about other tasks or plans is read.

        Links and updates are read as plain rows of the columns a status needs (a country's
        register has millions); `full` reads whole updates, for one task's history."""
        tasks = _scoped(s, q.order_by(Task.plan_id, Task.position, Task.id), column, values)
        if values is not None:  # chunk after chunk: one order again
            tasks.sort(key=lambda t: (t.plan_id, t.position, t.id))
        if plans is not None:
            wanted = set(_ids(plans))
            tasks = [t for t in tasks if t.plan_id in wanted]
        ids = [t.id for t in tasks]
        plan_ids = _ids(t.plan_id for t in tasks)
        ld = _Loaded(tasks, {p.id: p for p in _scoped(s, select(Plan), Plan.id, plan_ids)}, {})
        for chunk in _chunks(ids):
            for link in s.execute(
                select(TaskAgency.task_id, TaskAgency.agency_id, TaskAgency.role)
                .where(TaskAgency.task_id.in_(chunk))
                .order_by(TaskAgency.task_id, TaskAgency.role, TaskAgency.position)
            ):
                ld.links.setdefault(link.task_id, []).append(link)
            updates = select(ProgressUpdate) if full else select(*STATUS_COLUMNS)
            for u in (s.scalars if full else s.execute)(
                updates.where(ProgressUpdate.task_id.in_(chunk)).order_by(ProgressUpdate.on, ProgressUpdate.id)
            ):
                ld.updates.setdefault(u.task_id, []).append(u)
            for e in s.scalars(
                select(Extension).where(Extension.task_id.in_(chunk)).order_by(Extension.granted_on, Extension.id)
            ):
                ld.extensions.setdefault(e.task_id, []).append(e)
        # `_current` walks successor links, and a successor may be any agency: load the chains whole
        ld.agencies = _agencies_with_successors(s, (link.agency_id for ls in ld.links.values() for link in ls))
        duties = _scoped(
            s,
            select(ReportingDuty)
            .where(ReportingDuty.removed_in.is_(None))
            .order_by(ReportingDuty.plan_id, ReportingDuty.position, ReportingDuty.id),
            ReportingDuty.plan_id,
            plan_ids,
        )
        for d in duties:
            if d.frequency in ("monthly", "quarterly", "semiannual", "annual"):
                ld.frequency.setdefault(d.plan_id, d.frequency)
        return ld

    def _state(self, ld: _Loaded, t: Task, as_of: date) -> dict:
        plan = ld.plans[t.plan_id]
        exts = [(e.granted_on, e.new_due) for e in ld.extensions.get(t.id, [])]
        due = track.effective_due(
            t.due,
            plan_end=plan.period_end,
            recurring=t.recurring,
            condition=t.condition,
            condition_met_on=t.condition_met_on,
            condition_due=t.condition_due,
            extensions=exts,
            as_of=as_of,
        )
        updates = ld.updates.get(t.id, [])
        waiting = bool(t.condition) and t.due is None and due is None
        out: dict[str, Any] = {"due": due, "waiting": waiting}
        if t.recurring:
            done: dict[str, date] = {}
            for u in updates:
                if u.period and u.state == "done" and u.on <= as_of:
                    done.setdefault(u.period, u.on)
            start = plan.issued_date or date(as_of.year, 1, 1)
            periods = track.period_statuses(
                ld.frequency.get(plan.id, "quarterly"),
                start,
                as_of,
                done,
                until=plan.period_end,
                soon_days=self.soon_days,
            )
            out["periods"] = [
                {
                    "period": p.period,
                    "due": _iso(p.due),
                    "status": p.status.value,
                    "done_on": _iso(p.done_on),
                }
                for p in periods
            ]
            done_on = None
        else:
            done_on = track.completion([(u.on, u.state) for u in updates if not u.period], as_of)
        out["done_on"] = done_on
        out["status"] = track.task_status(
            due=due,
            done_on=done_on,
            as_of=as_of,
            recurring=t.recurring,
            waiting=waiting,
            soon_days=self.soon_days,
        )
        # lateness against the document's own date, whatever the extensions
        original = track.effective_due(
            t.due,
            plan_end=plan.period_end,
            recurring=t.recurring,
            condition=t.condition,
            condition_met_on=t.condition_met_on,
            condition_due=t.condition_due,
            as_of=as_of,
        )
        out["late_vs_original"] = bool(original and ((done_on or as_of) > original)) and not t.recurring
        out["extended"] = any(on <= as_of for on, _ in exts)
        return out

    def _task_dict(self, ld: _Loaded, t: Task, as_of: date) -> dict:
        st = self._state(ld, t, as_of)
        plan = ld.plans[t.plan_id]
        roles: dict[str, list[str]] = {r: [] for r in ROLES}
        owners = []
        for link in ld.links.get(t.id, []):
            roles[link.role].append(ld.agencies[link.agency_id].name)
            if link.role == "lead":
                cur = self._current(ld.agencies, link.agency_id, as_of)
                owners.append(sys.intern(f"{cur.name} ({cur.province})") if cur.province else cur.name)
        d = {
            "id": t.id,
            "plan_id": t.plan_id,
            "plan": plan.number or plan.title,
            "position": t.position,
            "section": t.section,
            "text": t.text,
            **roles,
            "owner_now": owners,
            "deadline_text": t.deadline_text,
            "due_document": _iso(t.due),
            "due": _iso(st["due"]),
            "recurring": t.recurring,
            "condition": t.condition,
            "condition_met_on": _iso(t.condition_met_on),
            "status": st["status"].value,
            "done_on": _iso(st["done_on"]),
            "extended": st["extended"],
            "late_vs_original": st["late_vs_original"],
            "state": t.state,
            "percent": t.percent,
            "product_number": t.product_number,
            "product_file": t.product_file,
            "version": t.version,
        }
        if "periods" in st:
            d["periods"] = st["periods"]
        return d

    def _agency_matches(
        self,
        ld: _Loaded,
        t: Task,
        needles: tuple[str, ...],
        province: str | None,
        as_of: date,
        roles: tuple[str, ...],
    ) -> bool:
        for link in ld.links.get(t.id, []):
            if link.role not in roles:
                continue
            for ag in (
                ld.agencies[link.agency_id],
                self._current(ld.agencies, link.agency_id, as_of),
            ):
                named = not needles or any(n in ag.search for n in needles)
                if named and (province is None or ag.province == province):
                    return True
        return False

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
        as_of = _date(as_of, "as_of") or date.today()
        due_before = _date(due_before, "due_before")
        statuses = self._statuses(status)
        prov = self.registry.province(province) if province else None
        with self._tx() as s:
            q = select(Task)
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
                raise NotFoundError(f"không có cơ quan nào tên '{agency}': xem `kehoach agencies`")
            # by ids: those asked in chunks, then the ones of `plans` kept; else by plans in chunks
            ld = self._load(s, q, Task.id, ids, plans) if ids is not None else self._load(s, q, Task.plan_id, plans)
            out = []
            for t in ld.tasks:
                if (agency or prov) and not self._agency_matches(ld, t, needles, prov, as_of, roles):
                    continue
                d = self._task_dict(ld, t, as_of)
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
        as_of = _date(as_of, "as_of") or date.today()
        with self._tx() as s:
            ld = self._load(s, select(Task).where(Task.id == task_id), full=True)
            if not ld.tasks:
                raise NotFoundError(f"không có nhiệm vụ id {task_id}: xem `kehoach tasks`")
            d = self._task_dict(ld, ld.tasks[0], as_of)
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
                for u in ld.updates.get(task_id, [])
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
                for e in ld.extensions.get(task_id, [])
            ]
            return d

    def _locked_task(self, s: Session, task_id: int, expected_version: int | None) -> Task:
        t = s.get(Task, task_id)
        if t is None:
            raise NotFoundError(f"không có nhiệm vụ id {task_id}: xem `kehoach tasks`")
        if expected_version is not None and t.version != expected_version:
            raise ConflictError(
                f"nhiệm vụ {task_id} đã được người khác cập nhật (phiên bản {t.version}, bạn đọc "
                f"phiên bản {expected_version}): tải lại rồi cập nhật lại"
            )
        return t

    @contextmanager
    def _write(self) -> Iterator[Session]:
        try:
            with self._tx() as s:
                yield s
        except StaleDataError as e:
            raise ConflictError(f"bản ghi đã được người khác cập nhật cùng lúc: tải lại rồi thử lại ({e})") from e

    @staticmethod
    def _task_snapshot(t: Task) -> dict:
        return {
            k: getattr(t, k)
            for k in (
                "state",
                "percent",
                "done_on",
                "product_number",
                "product_file",
                "version",
                "condition_met_on",
                "condition_due",
            )
        }

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
    ) -> dict:
        """Append a progress update. Done needs evidence: a document number or a file."""
        if not actor or not actor.strip():
            raise ValidationError("actor", actor, "cần tên người cập nhật")
        on = _date(on, "on") or date.today()
        check = track.check_percent(percent)
        if period is not None:
            try:
                period = Period.parse(period, year=on.year).code
            except ValueError as e:
                raise ValidationError("period", period, str(e)) from None
        if product_number is not None and not _looks_like_number(product_number):
            raise ValidationError("product_number", product_number, "số ký hiệu văn bản có dạng 123/QĐ-UBND")
        with self._write() as s:
            t = self._locked_task(s, task_id, expected_version)
            new_state = track.progress_state(state) if state else t.state
            if new_state == "done" and not (
                product_number or product_file or (t.product_number or t.product_file) and not period
            ):
                raise ValidationError(
                    "product",
                    None,
                    "nhiệm vụ chỉ hoàn thành khi có sản phẩm: "
                    "số văn bản (--product 123/QĐ-UBND) hoặc tệp đính kèm (--file)",
                )
            if new_state == "done" and check is None:
                check = 100.0
            before = self._task_snapshot(t)
            history = [
                (x.on, x.state)
                for x in s.scalars(
                    select(ProgressUpdate)
                    .where(ProgressUpdate.task_id == t.id, ProgressUpdate.period.is_(None))
                    .order_by(ProgressUpdate.on, ProgressUpdate.id)
                )
            ]
            u = ProgressUpdate(
                task_id=t.id,
                on=on,
                period=period,
                state=new_state,
                percent=check,
                narrative=narrative,
                difficulties=difficulties,
                proposals=proposals,
                product_number=product_number,
                product_file=product_file,
                actor=actor,
                recorded_at=_now(),
            )
            s.add(u)
            if not period:
                history = sorted(history + [(on, new_state)], key=lambda h: h[0])
                t.state = history[-1][1]
                t.percent = check if check is not None else t.percent
                t.done_on = track.completion(history, date.max)
            t.product_number = product_number or t.product_number
            t.product_file = product_file or t.product_file
            t.updated_at = _now()
            s.flush()
            self._audit(
                s,
                actor,
                "update",
                "task",
                t.id,
                before,
                self._task_snapshot(t) | {"update_id": u.id},
            )
        return self.task(task_id, as_of=max(on, date.today()))

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
    ) -> dict:
        """Record a deadline extension (gia hạn) against the task's original date."""
        new_due = _date(new_due, "new_due")
        granted_on = _date(granted_on, "granted_on") or date.today()
        if not granted_by or not granted_by.strip():
            raise ValidationError("granted_by", granted_by, "cần ghi ai cho phép gia hạn")
        with self._write() as s:
            t = self._locked_task(s, task_id, expected_version)
            prev = s.scalars(
                select(Extension.new_due)
                .where(Extension.task_id == t.id)
                .order_by(Extension.granted_on.desc(), Extension.id.desc())
            ).first()
            previous = prev or t.due or t.condition_due or self._plan_end(s, t)
            if previous and new_due <= previous:
                raise ValidationError(
                    "new_due",
                    new_due.isoformat(),
                    f"hạn mới phải sau hạn hiện tại {previous.isoformat()}",
                )
            before = self._task_snapshot(t)
            s.add(
                Extension(
                    task_id=t.id,
                    previous_due=previous,
                    new_due=new_due,
                    granted_by=granted_by,
                    granted_on=granted_on,
                    reason=reason,
                    actor=actor,
                    recorded_at=_now(),
                )
            )
            t.updated_at = _now()
            s.flush()
            self._audit(
                s,
                actor,
                "extend",
                "task",
                t.id,
                before | {"due": previous},
                self._task_snapshot(t) | {"due": new_due, "granted_by": granted_by},
            )
        return self.task(task_id, as_of=max(granted_on, date.today()))

    @staticmethod
    def _plan_end(s: Session, t: Task) -> date | None:
        p = s.get(Plan, t.plan_id)
        return p.period_end if p else None

    def mark_condition(
        self,
        task_id: int,
        met_on: date,
        *,
        actor: str,
        due: date | None = None,
        expected_version: int | None = None,
    ) -> dict:
        """Mark a conditional task's event: its clock starts (due `due` or 30 days on)."""
        met_on = _date(met_on, "met_on")
        due = _date(due, "due")
        with self._write() as s:
            t = self._locked_task(s, task_id, expected_version)
            if not t.condition:
                raise ValidationError("task", task_id, "nhiệm vụ này không có điều kiện chờ")
            if due is not None and due < met_on:
                raise ValidationError("due", due.isoformat(), "hạn phải sau ngày sự kiện xảy ra")
            before = self._task_snapshot(t)
            t.condition_met_on = met_on
            t.condition_due = due
            t.updated_at = _now()
            s.flush()
            self._audit(s, actor, "condition", "task", t.id, before, self._task_snapshot(t))
        return self.task(task_id, as_of=max(met_on, date.today()))

    # --- statistics ---------------------------------------------------------------------------

    def stats(self, as_of: date | None = None, by: str = "agency", plan: int | None = None) -> list[dict]:
        """Counts per status and share done on time, per current lead agency or per plan.

        `late_vs_original` counts tasks past the document's own date, extensions or not.
        """
        as_of = _date(as_of, "as_of") or date.today()
        if by not in ("agency", "plan"):
            raise ValidationError("by", by, "dùng 'agency' hoặc 'plan'")
        groups: dict[Any, list[Status]] = defaultdict(list)
        names: dict[Any, dict] = {}
        late: dict[Any, int] = defaultdict(int)  # done or open past the document's own date
        with self._tx() as s:
            q = select(Task).where(Task.removed_in.is_(None))
            if plan is not None:
                q = q.where(Task.plan_id == plan)
            ld = self._load(s, q)
            for t in ld.tasks:
                state = self._state(ld, t, as_of)
                status = state["status"]
                if by == "plan":
                    p = ld.plans[t.plan_id]
                    groups[p.id].append(status)
                    late[p.id] += state["late_vs_original"]
                    names[p.id] = {"id": p.id, "plan": p.number or p.title}
                    continue
                owners = {
                    self._current(ld.agencies, link.agency_id, as_of).id
                    for link in ld.links.get(t.id, [])
                    if link.role == "lead"
                }
                for a in owners or {0}:
                    groups[a].append(status)
                    late[a] += state["late_vs_original"]
                    ag = ld.agencies.get(a)
                    names[a] = {
                        "id": a,
                        "agency": ag.name if ag else "(chưa giao)",
                        "province": (ag.province or None) if ag else None,
                    }
        rows = [names[k] | track.counts(v) | {"late_vs_original": late[k]} for k, v in groups.items()]
        return sorted(rows, key=lambda r: (-(r["on_time_rate"] or -1), -r["total"], str(r.get("agency", ""))))
