"""Reporting duties, the Decree 09 calendar, submissions, on-time rates; the summary."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from datetime import date

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from ..track import ConflictError, NotFoundError, ValidationError
from ..track import calendar as cal
from ..vn import Period
from ._base import (
    _chunks,
    _date,
    _ids,
    _iso,
    _needles,
    _now,
    _scoped,
)
from .schema import (
    Agency,
    AgencyAlias,
    DutyReporter,
    ReportingDuty,
    ReportSubmission,
)


class ReportingMixin:
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
                raise NotFoundError(f"không có chế độ báo cáo id {duty_id}: xem `kehoach calendar --duties`")
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
                raise NotFoundError(f"không có chế độ báo cáo id {duty_id}: xem `kehoach calendar --duties`")
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
                raise NotFoundError(f"không có chế độ báo cáo id {duty_id}: xem `kehoach calendar --duties`")
            duty, reporters, _ = rows[0]
            matches = [a for a in reporters if any(n in a.search for n in _needles(agency))]
            if not matches:
                raise NotFoundError(
                    f"'{agency}' không phải đơn vị báo cáo của chế độ {duty_id}: {', '.join(a.name for a in reporters)}"
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
                recorded_at=_now(),
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
            return {
                "id": sub.id,
                "duty_id": duty.id,
                "agency": matches[0].name,
                "period": label,
                "submitted_on": _iso(submitted_on),
            }

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

        `plans`: only the duties of these plans (with `plan` too: of both).
        """
        start, end = _date(start, "start"), _date(end, "end")
        as_of = _date(as_of, "as_of") or date.today()
        out = []
        with self._tx() as s:
            needles = _needles(agency)
            if (
                needles
                and not s.scalars(
                    select(AgencyAlias.id).where(or_(*(AgencyAlias.search.contains(n) for n in needles)))
                ).first()
            ):
                raise NotFoundError(f"không có cơ quan nào tên '{agency}': xem `kehoach agencies`")
            duties = self._duties(s, plan, plans=plans)
            # the submissions of these duties only, each (duty, agency, period) at its first date
            subs: dict[tuple[int, int, str], date] = {}
            for chunk in _chunks([d.id for d, _, _ in duties]):
                for duty_id, agency_id, period, submitted_on in s.execute(
                    select(
                        ReportSubmission.duty_id,
                        ReportSubmission.agency_id,
                        ReportSubmission.period,
                        ReportSubmission.submitted_on,
                    )
                    .where(ReportSubmission.duty_id.in_(chunk), ReportSubmission.submitted_on <= as_of)
                    .order_by(ReportSubmission.submitted_on)
                ):
                    subs.setdefault((duty_id, agency_id, period), submitted_on)
            for duty, reporters, recipient in duties:
                lo = max(start, duty.starts) if duty.starts else start
                hi = min(end, cal.month_end(duty.ends.year, 12)) if duty.ends else end
                rule = cal.Rule(duty.frequency, duty.day, duty.month_offset) if duty.frequency != "once" else None
                extra = [date.fromisoformat(x) for x in duty.extra_dates or []]
                for occ in cal.occurrences(rule, extra, lo, hi):
                    for a in reporters:
                        if agency and not any(n in a.search for n in _needles(agency)):
                            continue
                        sent = subs.get((duty.id, a.id, occ.period))
                        state = (
                            "đúng hạn"
                            if sent and sent <= occ.due
                            else "trễ hạn"
                            if sent
                            else "quá hạn"
                            if as_of > occ.due
                            else "sắp tới"
                        )
                        out.append(
                            {
                                "id": f"{duty.id}-{a.id}-{occ.period}",
                                "duty_id": duty.id,
                                "plan_id": duty.plan_id,
                                "agency": a.name,
                                "agency_id": a.id,
                                "province": a.province or None,
                                "recipient": recipient.name if recipient else None,
                                "frequency": duty.frequency,
                                "period": occ.period,
                                "cutoff_start": _iso(occ.cutoff_start),
                                "cutoff_end": _iso(occ.cutoff_end),
                                "due": _iso(occ.due),
                                "submitted_on": _iso(sent),
                                "state": state,
                            }
                        )
        return sorted(out, key=lambda r: (r["due"], r["duty_id"], r["agency_id"]))

    def reporting_rates(self, as_of: date | None = None, start: date | None = None) -> list[dict]:
        """Per reporting agency: reports due by `as_of`, on time, late, missing, on-time rate."""
        as_of = _date(as_of, "as_of") or date.today()
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
        as_of = _date(as_of, "as_of") or date.today()
        tasks = self.tasks(as_of=as_of)
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
        inds = self.indicators(as_of=as_of)
        evaluations: dict[str, int] = defaultdict(int)
        for i in inds:
            evaluations[i["evaluation"]] += 1
        return {
            "as_of": as_of.isoformat(),
            "plans": [
                p | {"growth_target": (self.plan_data(p["id"]).get("document") or {}).get("growth_target")}
                for p in self.plans()
            ],
            "tasks": len(tasks),
            "tasks_per_lead_agency": dict(sorted(per_agency.items(), key=lambda kv: (-kv[1], kv[0]))),
            "deadlines_by_quarter": dict(sorted(by_quarter.items())),
            "statuses": dict(sorted(statuses.items())),
            "indicators": len(inds),
            "indicator_evaluations": dict(sorted(evaluations.items())),
            "reporting_duties": len(self.duties()),
        }
