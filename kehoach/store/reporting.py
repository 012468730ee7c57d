"""Reporting duties, the Decree 09 calendar, submissions, on-time rates; the summary."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import TYPE_CHECKING, Any, cast

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from ..track import ConflictError, NotFoundError, ValidationError
from ..track import calendar as cal
from ..vn import Period, fold
from ._base import (
    Core,
    _agencies_with_successors,
    _chunks,
    _date,
    _ids,
    _iso,
    _needles,
    _scoped,
)
from .schema import (
    Agency,
    AgencyAlias,
    DutyReporter,
    ProgressUpdate,
    ReportingDuty,
    ReportSubmission,
    Task,
    TaskAgency,
)

if TYPE_CHECKING:
    from . import Database

# A duty owed by a group (`Các sở, ban, ngành`) is owed by each of the plan's lead agencies of
# its kind; the groups of localities have members only where the plan names them.
_GROUPS = {
    "cac so, ban, nganh": "department",
    "cac co quan, don vi lien quan": "department",
    "uy ban nhan dan cap huyen": "locality",
    "uy ban nhan dan cap xa": "locality",
    "cac dia phuong": "locality",
}
_TOP = ("uy ban nhan dan tinh", "hoi dong nhan dan", "tinh uy", "thanh uy", "chu tich", "ban thuong vu")


@lru_cache(maxsize=4096)
def group_kind(name: str) -> str | None:
    """`department` or `locality` for a group of reporters, None for one body."""
    return _GROUPS.get(fold(name))


@lru_cache(maxsize=4096)
def member_kind(name: str, province: str | None) -> str | None:
    """What group a plan's lead agency belongs to: a `locality` (a district's or commune's people's
    committee), a `department` (any other provincial body), or None (a group, or the province's own
    council, committee or party committee)."""
    f = fold(name)
    if f in _GROUPS or f.startswith(_TOP) or (province and f == fold(f"uy ban nhan dan thanh pho {province}")):
        return None
    if f.startswith(("uy ban nhan dan ", "ubnd ")):
        return "locality"
    from ..extract.agencies import registry

    return None if registry().is_collective(name) else "department"


@dataclass
class _Owing:
    leads: dict[int, list[int]]  # plan → its lead agencies, in order
    agencies: dict[int, Agency]  # with their successors


def _state(sent: date | None, due: date, as_of: date) -> str:
    if sent:
        return "đúng hạn" if sent <= due else "trễ hạn"
    return "quá hạn" if as_of > due else "sắp tới"


class ReportingMixin(Core):
    """Reporting duties, the Decree 09 calendar, submissions, on-time rates; the summary."""

    # --- reporting ----------------------------------------------------------------------------

    @staticmethod
    def _duty_dict(d: ReportingDuty, reporters: list[Agency], recipient: Agency | None) -> dict:
        return {
            "id": d.id,
            "plan_id": d.plan_id,
            "text": d.text,
            "frequency": d.frequency,
            "frequency_vi": cal.FREQUENCY_VI.get(d.frequency, d.frequency),
            "day": d.day,
            "month_offset": d.month_offset,
            "extra_dates": list(d.extra_dates or []),
            "reporters": [a.name for a in reporters],
            "recipient": recipient.name if recipient else None,
            "starts": _iso(d.starts),
            "ends": _iso(d.ends),
            "source_frequency": d.source_frequency,
            "version": d.version,
        }

    def _duties(
        self,
        s: Session,
        plan: int | None = None,
        *,
        plans: Collection[int] | None = None,
        ids: Collection[int] | None = None,
    ) -> list[tuple[ReportingDuty, list[Agency], Agency | None]]:
        """The current duties (of `plan`, of `plans`, these `ids`) with their reporters and recipient.

        Only those duties' reporters and agencies are read, a chunk at a time.
        """
        q = select(ReportingDuty).where(ReportingDuty.removed_in.is_(None))
        if plan is not None:
            q = q.where(ReportingDuty.plan_id == plan)
        q = q.order_by(ReportingDuty.plan_id, ReportingDuty.position)
        if ids is not None:
            duties = _scoped(s, q, ReportingDuty.id, ids)
            if plans is not None:
                wanted = set(_ids(plans))
                duties = [d for d in duties if d.plan_id in wanted]
        else:
            duties = _scoped(s, q, ReportingDuty.plan_id, plans)
        if plans is not None or ids is not None:  # chunk after chunk: one order again
            duties.sort(key=lambda d: (d.plan_id, d.position))
        links = _scoped(
            s,
            select(DutyReporter).order_by(DutyReporter.duty_id, DutyReporter.position),
            DutyReporter.duty_id,
            [d.id for d in duties],
        )
        ags = {
            a.id: a
            for a in _scoped(
                s,
                select(Agency),
                Agency.id,
                {r.agency_id for r in links} | {d.recipient_id for d in duties if d.recipient_id},
            )
        }
        reps: dict[int, list[Agency]] = defaultdict(list)
        for r in links:
            reps[r.duty_id].append(ags[r.agency_id])
        return [(d, reps[d.id], ags.get(d.recipient_id) if d.recipient_id else None) for d in duties]

    def duties(self, plan: int | None = None, *, plans: Collection[int] | None = None) -> list[dict]:
        """The current reporting duties (of `plan`; of `plans`)."""
        with self._tx() as s:
            return [self._duty_dict(*row) for row in self._duties(s, plan, plans=plans)]

    def duty(self, duty_id: int) -> dict:
        """One current reporting duty, as `duties()` lists it."""
        with self._tx() as s:
            rows = self._duties(s, ids=[duty_id])
            if not rows:
                if s.get(ReportingDuty, duty_id) is not None:
                    raise NotFoundError(f"chế độ báo cáo id {duty_id} đã bị bỏ trong phiên bản mới của kế hoạch")
                raise NotFoundError(f"không có chế độ báo cáo id {duty_id}", what="duty")
            return self._duty_dict(*rows[0])

    def edit_duty(
        self,
        duty_id: int,
        *,
        actor: str,
        frequency: str | None = None,
        day: int | None = None,
        month_offset: int | None = None,
        extra_dates: list[date] | None = None,
        starts: date | None = None,
        ends: date | None = None,
        expected_version: int | None = None,
    ) -> dict:
        """Change a reporting regime derived from a plan (frequency, day, month, one-off dates)."""
        if frequency is not None and frequency not in cal.FREQUENCIES:
            raise ValidationError("frequency", frequency, f"dùng một trong {', '.join(cal.FREQUENCIES)}")
        if day is not None and not 1 <= day <= 31:
            raise ValidationError("day", day, "ngày trong tháng từ 1 đến 31")
        if month_offset is not None and not -11 <= month_offset <= 11:
            raise ValidationError("month_offset", month_offset, "số tháng lệch từ -11 đến 11")
        with self._write() as s:
            d = s.get(ReportingDuty, duty_id)
            if d is None:
                raise NotFoundError(f"không có chế độ báo cáo id {duty_id}", what="duty")
            if expected_version is not None and d.version != expected_version:
                raise ConflictError(f"chế độ báo cáo {duty_id} đã được người khác sửa: tải lại rồi sửa lại")
            fields = ("frequency", "day", "month_offset", "extra_dates", "starts", "ends")
            before = {k: getattr(d, k) for k in fields}
            for k, v in (
                ("frequency", frequency),
                ("day", day),
                ("month_offset", month_offset),
                ("starts", _date(starts, "starts")),
                ("ends", _date(ends, "ends")),
            ):
                if v is not None:
                    setattr(d, k, v)
            if extra_dates is not None:
                d.extra_dates = [_date(x, "extra_dates").isoformat() for x in extra_dates]
            s.flush()
            self._audit(s, actor, "edit", "duty", d.id, before, {k: getattr(d, k) for k in fields})
            self.summaries.refresh_reports(s, [d.plan_id])
        return self.duty(duty_id)

    def submit_report(
        self,
        duty_id: int,
        agency: str,
        period: str,
        submitted_on: date,
        *,
        actor: str,
        note: str | None = None,
    ) -> dict:
        """Record that `agency` sent its report for `period` (a period label or a one-off date)."""
        submitted_on = _date(submitted_on, "submitted_on")
        with self._write() as s:
            rows = self._duties(s, ids=[duty_id])
            if not rows:
                raise NotFoundError(f"không có chế độ báo cáo id {duty_id}", what="duty")
            duty, reporters, recipient = rows[0]
            row = (duty, reporters, recipient)
            owers = [a for a, _ in self._owed(self._owing(s, [row]), row, submitted_on)]
            matches = [a for a in owers if any(n in a.search for n in _needles(agency))]
            if not matches:
                raise NotFoundError(
                    f"'{agency}' không phải đơn vị báo cáo của chế độ {duty_id} (ngày "
                    f"{submitted_on.strftime('%d/%m/%Y')}): {', '.join(a.name for a in owers)}"
                )
            label = period if period in (duty.extra_dates or []) else None
            if label is None:
                try:
                    label = Period.parse(period).code
                except ValueError as e:
                    raise ValidationError("period", period, str(e)) from None
            sub = ReportSubmission(
                duty_id=duty.id,
                agency_id=matches[0].id,
                period=label,
                submitted_on=submitted_on,
                note=note,
                actor=actor,
                recorded_at=self.now(),
            )
            s.add(sub)
            s.flush()
            self._audit(
                s,
                actor,
                "submit",
                "duty",
                duty.id,
                None,
                {"agency": matches[0].name, "period": label, "submitted_on": submitted_on},
            )
            self.summaries.refresh_reports(s, [duty.plan_id])
            return {
                "id": sub.id,
                "duty_id": duty.id,
                "agency": matches[0].name,
                "period": label,
                "submitted_on": _iso(submitted_on),
            }

    def plan_updates(self, plan: int, *, since: date | None = None, until: date | None = None) -> dict[int, list[dict]]:
        """The progress updates of a plan's tasks dated `since`..`until`, oldest first, by task: what
        a report of that window says (one query, not one per task)."""
        q = (
            select(ProgressUpdate)
            .join(Task, Task.id == ProgressUpdate.task_id)
            .where(Task.plan_id == plan)
            .order_by(ProgressUpdate.on, ProgressUpdate.id)
        )
        if since is not None:
            q = q.where(ProgressUpdate.on >= _date(since, "since"))
        if until is not None:
            q = q.where(ProgressUpdate.on <= _date(until, "until"))
        out: dict[int, list[dict]] = defaultdict(list)
        with self._tx() as s:
            for u in s.scalars(q):
                out[u.task_id].append(
                    {
                        "id": u.id,
                        "on": u.on,
                        "state": u.state,
                        "percent": u.percent,
                        "actor": u.actor,
                        "narrative": u.narrative,
                        "difficulties": u.difficulties,
                        "proposals": u.proposals,
                        "product_number": u.product_number,
                    }
                )
        return dict(out)

    def _owing(self, s: Session, duties: list[tuple[ReportingDuty, list[Agency], Agency | None]]) -> _Owing:
        """What `_owed` needs for these duties, read once: their plans' lead agencies in order, and
        every agency they name with its successors."""
        leads: dict[int, list[int]] = defaultdict(list)
        grouped = _ids(d.plan_id for d, reps, _ in duties if any(group_kind(r.name) for r in reps))
        for chunk in _chunks(grouped):  # only the plans with a group duty need their leads
            for plan_id, agency_id in s.execute(
                select(Task.plan_id, TaskAgency.agency_id)
                .join(TaskAgency, TaskAgency.task_id == Task.id)
                .where(Task.plan_id.in_(chunk), Task.removed_in.is_(None), TaskAgency.role == "lead")
                .order_by(Task.plan_id, Task.position, TaskAgency.position)
            ):
                if agency_id not in leads[plan_id]:
                    leads[plan_id].append(agency_id)
        ids = {a.id for _, reps, rec in duties for a in [*reps, *([rec] if rec else [])]}
        return _Owing(leads, _agencies_with_successors(s, ids | {a for v in leads.values() for a in v}))

    def _owed(
        self,
        ctx: _Owing,
        duty: tuple[ReportingDuty, list[Agency], Agency | None],
        on: date,
        answer_on: date | None = None,
    ) -> list[tuple[Agency, str | None]]:
        """Who owes a duty's report due `on`: each reporter as its successor then, a group as its
        members (the plan's lead agencies of its kind, as their successors then), never the
        recipient; with the group each came from. `answer_on`: the bodies answering for it on that
        later day (a merged department's successor answers for what it owed)."""
        d, reporters, recipient = duty
        agencies = ctx.agencies
        to = self._current(agencies, recipient.id, on).id if recipient else None
        owed: dict[int, tuple[Agency, str | None]] = {}
        for rep in reporters:
            kind = group_kind(rep.name)
            members = [
                self._current(agencies, a, on)
                for a in ctx.leads[d.plan_id]
                if kind and member_kind(agencies[a].name, agencies[a].province) == kind
            ]
            for a in members or [self._current(agencies, rep.id, on)]:
                if a.id != to:
                    a = self._current(agencies, a.id, answer_on) if answer_on and answer_on > on else a
                    owed.setdefault(a.id, (a, rep.name if members else None))
        return list(owed.values())

    def owed_by(self, duty_id: int, on: date | None = None) -> list[str]:
        """The names of the bodies that owe a duty's report on `on` (today by default)."""
        on = _date(on, "on") or self.today()
        with self._tx() as s:
            rows = self._duties(s, ids=[duty_id])
            if not rows:
                raise NotFoundError(f"không có chế độ báo cáo id {duty_id}", what="duty")
            return [a.name for a, _ in self._owed(self._owing(s, rows), rows[0], on)]

    def _submissions(self, s: Session, duty_ids: list[int], as_of: date) -> dict[tuple[int, int, str], date]:
        """(duty, agency, period) → the first date a report was sent by then, counted for the agency
        that sent it and each of its successors."""
        rows: list[Any] = []
        for chunk in _chunks(duty_ids):
            rows += s.execute(
                select(
                    ReportSubmission.duty_id,
                    ReportSubmission.agency_id,
                    ReportSubmission.period,
                    ReportSubmission.submitted_on,
                )
                .where(ReportSubmission.duty_id.in_(chunk), ReportSubmission.submitted_on <= as_of)
                .order_by(ReportSubmission.submitted_on)
            ).all()
        agencies = _agencies_with_successors(s, (r.agency_id for r in rows))
        subs: dict[tuple[int, int, str], date] = {}
        for duty_id, agency_id, period, submitted_on in rows:
            seen: set[int] = set()
            a: Agency | None = agencies[agency_id]
            while a is not None and a.id not in seen:
                seen.add(a.id)
                subs.setdefault((duty_id, a.id, period), submitted_on)
                a = agencies.get(a.successor_id) if a.successor_id else None
        return subs

    def calendar(
        self,
        start: date,
        end: date,
        *,
        as_of: date | None = None,
        agency: str | None = None,
        plan: int | None = None,
        plans: Collection[int] | None = None,
    ) -> list[dict]:
        """Every report due in [start, end]: who, to whom, period, cut-off, deadline, state.

        Who owes it is the body existing on its due date (a merged department's successor; each
        department of a group duty: `group` names the group), named as the body that answers for
        it on `as_of` (a successor answers for what its predecessor owed). `plans`: only the duties of these
        plans (with `plan` too: of both).
        """
        start, end = _date(start, "start"), _date(end, "end")
        as_of = _date(as_of, "as_of") or self.today()
        out = []
        with self._tx() as s:
            needles = _needles(agency)
            if (
                needles
                and not s.scalars(
                    select(AgencyAlias.id).where(or_(*(AgencyAlias.search.contains(n) for n in needles)))
                ).first()
            ):
                raise NotFoundError(f"không có cơ quan nào tên '{agency}'", what="agency")
            duties = self._duties(s, plan, plans=plans)
            subs = self._submissions(s, [d.id for d, _, _ in duties], as_of)
            ctx = self._owing(s, duties)
            for row in duties:
                duty, _, recipient = row
                lo = max(start, duty.starts) if duty.starts else start
                hi = min(end, cal.month_end(duty.ends.year, 12)) if duty.ends else end
                rule = cal.Rule(duty.frequency, duty.day, duty.month_offset) if duty.frequency != "once" else None
                extra = [date.fromisoformat(x) for x in duty.extra_dates or []]
                for occ in cal.occurrences(rule, extra, lo, hi):
                    # owed by the bodies existing on its due date; answered for, since, by their successors
                    answer_on = max(occ.due, as_of)
                    owers = self._owed(ctx, row, occ.due, answer_on)
                    to = self._current(ctx.agencies, recipient.id, answer_on).name if recipient else None
                    if needles:  # the name asked for: the body answering now, or the one that owed it then
                        then = [b for b, _ in self._owed(ctx, row, occ.due) if any(n in b.search for n in needles)]
                        wanted = {self._current(ctx.agencies, b.id, answer_on).id for b in then}
                    for a, group in owers:
                        if needles and a.id not in wanted and not any(n in a.search for n in needles):
                            continue
                        sent = subs.get((duty.id, a.id, occ.period))
                        out.append(self._occurrence(duty, occ, a, group, to, sent, as_of))
        return sorted(out, key=lambda r: (r["due"], r["duty_id"], r["agency_id"]))

    @staticmethod
    def _occurrence(
        duty: ReportingDuty,
        occ: cal.Occurrence,
        a: Agency,
        group: str | None,
        to: str | None,
        sent: date | None,
        as_of: date,
    ) -> dict:
        return {
            "id": f"{duty.id}-{a.id}-{occ.period}",
            "duty_id": duty.id,
            "plan_id": duty.plan_id,
            "agency": a.name,
            "agency_id": a.id,
            "province": a.province or None,
            "group": group,
            "recipient": to,
            "frequency": duty.frequency,
            "period": occ.period,
            "cutoff_start": _iso(occ.cutoff_start),
            "cutoff_end": _iso(occ.cutoff_end),
            "due": _iso(occ.due),
            "submitted_on": _iso(sent),
            "state": _state(sent, occ.due, as_of),
        }

    def reporting_rates(self, as_of: date | None = None, start: date | None = None) -> list[dict]:
        """Per reporting agency: reports due by `as_of`, on time, late, missing, on-time rate."""
        as_of = _date(as_of, "as_of") or self.today()
        start = _date(start, "start") or date(as_of.year - 1, 1, 1)
        rows: dict[int, dict] = {}
        for occ in self.calendar(start, as_of, as_of=as_of):
            r = rows.setdefault(
                occ["agency_id"],
                {
                    "id": occ["agency_id"],
                    "agency": occ["agency"],
                    "province": occ["province"],
                    "due": 0,
                    "on_time": 0,
                    "late": 0,
                    "missing": 0,
                },
            )
            r["due"] += 1
            r[{"đúng hạn": "on_time", "trễ hạn": "late", "quá hạn": "missing"}.get(occ["state"], "missing")] += 1
        for r in rows.values():
            r["on_time_rate"] = round(r["on_time"] / r["due"] * 100, 1) if r["due"] else None
        return sorted(rows.values(), key=lambda r: (-(r["on_time_rate"] or 0), r["agency"]))

    # --- summary ------------------------------------------------------------------------------

    def summary(self, as_of: date | None = None) -> dict:
        """The register at a glance: tasks per lead agency, deadlines by quarter, indicators."""
        as_of = _date(as_of, "as_of") or self.today()
        db = cast("Database", self)  # the summary reads through the other parts of the register
        tasks = db.tasks(as_of=as_of)
        per_agency: dict[str, int] = defaultdict(int)
        by_quarter: dict[str, int] = defaultdict(int)
        statuses: dict[str, int] = defaultdict(int)
        for t in tasks:
            for name in t["lead"] or ["(chưa giao)"]:
                per_agency[name] += 1
            statuses[t["status"]] += 1
            if t["recurring"]:
                by_quarter["thường xuyên"] += 1
            elif t["due"]:
                d = date.fromisoformat(t["due"])
                by_quarter[f"{d.year}-Q{(d.month - 1) // 3 + 1}"] += 1
            else:
                by_quarter["chờ điều kiện" if t["condition"] else "không có hạn"] += 1
        inds = db.indicators(as_of=as_of)
        evaluations: dict[str, int] = defaultdict(int)
        for i in inds:
            evaluations[i["evaluation"]] += 1
        return {
            "as_of": as_of.isoformat(),
            "plans": [
                p | {"growth_target": (db.plan_data(p["id"]).get("document") or {}).get("growth_target")}
                for p in db.plans()
            ],
            "tasks": len(tasks),
            "tasks_per_lead_agency": dict(sorted(per_agency.items(), key=lambda kv: (-kv[1], kv[0]))),
            "deadlines_by_quarter": dict(sorted(by_quarter.items())),
            "statuses": dict(sorted(statuses.items())),
            "indicators": len(inds),
            "indicator_evaluations": dict(sorted(evaluations.items())),
            "reporting_duties": len(self.duties()),
        }
