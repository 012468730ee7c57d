"""Indicators: values per period, evaluation, share of target, projection."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from datetime import date
from typing import Any

from sqlalchemy import (
    select,
)

from .. import track
from ..track import NotFoundError, ValidationError
from ..track import calendar as cal
from ..track.succession import fold
from ._base import (
    _chunks,
    _date,
    _iso,
    _now,
    _scoped,
)
from .schema import (
    Agency,
    Indicator,
    IndicatorAgency,
    IndicatorValue,
    Plan,
)

# what an indicator's evaluation and its list of values need
VALUE_COLUMNS = tuple(
    getattr(IndicatorValue, c)
    for c in ("id", "indicator_id", "period", "period_start", "period_end")
    + ("kind", "cumulative", "value", "on", "actor")
)


class IndicatorMixin:
    """Indicators: values per period, evaluation, share of target, projection."""

    # --- indicators ---------------------------------------------------------------------------

    def record_value(
        self,
        indicator_id: int,
        period: str,
        value: float,
        *,
        actor: str,
        kind: str = "estimate",
        cumulative: bool = False,
        on: date | None = None,
        note: str | None = None,
    ) -> dict:
        """Record a value for a period; earlier values stay as revisions."""
        try:
            p = cal.parse_period(period)
        except ValueError as e:
            raise ValidationError("period", period, str(e)) from None
        kinds = {
            "estimate": "estimate",
            "uoc tinh": "estimate",
            "official": "official",
            "chinh thuc": "official",
        }
        if fold(kind) not in kinds:
            raise ValidationError("kind", kind, "dùng 'ước tính' (estimate) hoặc 'chính thức' (official)")
        try:
            number = float(value)
        except (TypeError, ValueError):
            raise ValidationError("value", value, "giá trị phải là một số (dấu chấm thập phân)") from None
        if number != number or number in (float("inf"), float("-inf")):
            raise ValidationError("value", value, "giá trị phải là một số hữu hạn")
        on = _date(on, "on") or date.today()
        with self._write() as s:
            ind = s.get(Indicator, indicator_id)
            if ind is None:
                raise NotFoundError(f"không có chỉ tiêu id {indicator_id}: xem `kehoach value --list`")
            v = IndicatorValue(
                indicator_id=ind.id,
                period=p.label,
                period_start=p.start,
                period_end=p.end,
                kind=kinds[fold(kind)],
                cumulative=cumulative,
                value=number,
                on=on,
                note=note,
                actor=actor,
                recorded_at=_now(),
            )
            s.add(v)
            s.flush()
            prior = s.scalars(
                select(IndicatorValue)
                .where(
                    IndicatorValue.indicator_id == ind.id,
                    IndicatorValue.period == p.label,
                    IndicatorValue.cumulative == cumulative,
                    IndicatorValue.id != v.id,
                )
                .order_by(IndicatorValue.id.desc())
            ).first()
            self._audit(
                s,
                actor,
                "value",
                "indicator",
                ind.id,
                None if prior is None else {"period": prior.period, "value": prior.value, "kind": prior.kind},
                {
                    "period": p.label,
                    "value": number,
                    "kind": v.kind,
                    "cumulative": cumulative,
                    "value_id": v.id,
                },
            )
        return self.indicator(indicator_id, as_of=max(on, date.today()))

    def _indicator_dict(
        self,
        ind: Indicator,
        values: list[IndicatorValue],
        agencies: list[str],
        plan: Plan,
        as_of: date,
    ) -> dict:
        known = [v for v in values if v.on <= as_of]
        # the value of a period: the latest official figure, else the latest estimate
        current: dict[tuple[str, bool], IndicatorValue] = {}
        for v in sorted(known, key=lambda v: (v.kind == "official", v.id)):
            current[(v.period, v.cumulative)] = v
        years = [int(y) for y in (ind.year or "").replace("–", "-").split("-") if y.strip().isdigit()]
        target_year = max(years) if years else (plan.period_end.year if plan.period_end else as_of.year)
        year_end = date(target_year, 12, 31)
        kw = dict(value=ind.value, lo=ind.min, hi=ind.max, lower_better=ind.lower_better)
        latest = max(
            current.values(),
            key=lambda v: (v.period_end, v.cumulative, v.period_start),
            default=None,
        )
        in_year = [v for v in current.values() if v.period_start.year == target_year]
        full_year = [v for v in in_year if v.period == str(target_year)]
        final = full_year[-1] if full_year else None
        if final is not None:
            evaluation = track.evaluate(ind.comparator, final.value, **kw)
        elif latest is None:
            evaluation = track.Evaluation.NO_DATA if as_of > year_end else track.Evaluation.NOT_DUE
        else:
            evaluation = track.Evaluation.NOT_DUE if as_of <= year_end else track.Evaluation.NO_DATA
        projection = None
        hard = False
        single_year = len(years) <= 1 or years[0] == years[-1]
        if single_year and final is None and in_year and ind.comparator != "qualitative":
            pts = [track.Point(cal.parse_period(v.period), v.value, v.cumulative) for v in in_year]
            projection = track.project_annual(pts, target_year, is_additive=track.additive(ind.name, ind.unit))
            hard = (
                projection is not None and track.evaluate(ind.comparator, projection, **kw) is track.Evaluation.MISSED
            )
        shown = final or latest
        rate = "%" in (ind.unit or "")
        last_year = None
        if shown is not None:
            prev = cal.parse_period(shown.period).last_year().label
            ly = current.get((prev, shown.cumulative))
            last_year = ly.value if ly else None
        share_base = final or (
            max(
                (v for v in in_year if v.cumulative or v.period_start.month == 1),
                key=lambda v: v.period_end,
                default=None,
            )
        )
        return {
            "id": ind.id,
            "plan_id": ind.plan_id,
            "plan": plan.number or plan.title,
            "group": ind.group,
            "name": ind.name,
            "text": ind.text,
            "year": ind.year,
            "comparator": ind.comparator,
            "target": ind.value,
            "min": ind.min,
            "max": ind.max,
            "unit": ind.unit,
            "lower_is_better": ind.lower_better,
            "agency": agencies,
            "latest": None
            if shown is None
            else {
                "period": shown.period,
                "value": shown.value,
                "kind": shown.kind,
                "cumulative": shown.cumulative,
            },
            "evaluation": evaluation.value,
            "share_of_target": track.share_of_target(
                ind.comparator,
                share_base.value if share_base else None,
                value=ind.value,
                lo=ind.min,
                lower_better=ind.lower_better,
            ),
            "change_on_last_year": track.change_on_last_year(shown.value if shown else None, last_year, points=rate),
            "change_unit": "điểm %" if rate else "%",
            "projection": projection,
            "hard_to_meet": hard,
            "values": [
                {
                    "id": v.id,
                    "period": v.period,
                    "value": v.value,
                    "kind": v.kind,
                    "cumulative": v.cumulative,
                    "on": _iso(v.on),
                    "actor": v.actor,
                }
                for v in sorted(values, key=lambda v: v.id)
            ],
        }

    def indicators(
        self,
        plan: int | None = None,
        as_of: date | None = None,
        text: str | None = None,
        *,
        plans: Collection[int] | None = None,
    ) -> list[dict]:
        """Indicators with their evaluation, share of target, change on last year and projection.

        `plans`: only the indicators of these plans (with `plan` too: of both).
        """
        as_of = _date(as_of, "as_of") or date.today()
        with self._tx() as s:
            q = select(Indicator).where(Indicator.removed_in.is_(None))
            if plan is not None:
                q = q.where(Indicator.plan_id == plan)
            if text:
                q = q.where(Indicator.search.contains(fold(text), autoescape=True))
            inds = _scoped(s, q.order_by(Indicator.plan_id, Indicator.position), Indicator.plan_id, plans)
            if plans is not None:  # chunk after chunk: one order again (stable: each plan is in one chunk)
                inds.sort(key=lambda i: (i.plan_id, i.position))
            ids = [i.id for i in inds]
            plan_rows = {p.id: p for p in _scoped(s, select(Plan), Plan.id, {i.plan_id for i in inds})}
            values: dict[int, list[Any]] = defaultdict(list)
            names: dict[int, list[str]] = defaultdict(list)
            for chunk in _chunks(ids):
                # plain rows, not objects: a country's register has millions of values
                for v in s.execute(
                    select(*VALUE_COLUMNS).where(IndicatorValue.indicator_id.in_(chunk)).order_by(IndicatorValue.id)
                ):
                    values[v.indicator_id].append(v)
                for iid, name in s.execute(
                    select(IndicatorAgency.indicator_id, Agency.name)
                    .join(Agency)
                    .where(IndicatorAgency.indicator_id.in_(chunk))
                    .order_by(IndicatorAgency.indicator_id, IndicatorAgency.position)
                ):
                    names[iid].append(name)
            return [self._indicator_dict(i, values[i.id], names[i.id], plan_rows[i.plan_id], as_of) for i in inds]

    def indicator(self, indicator_id: int, as_of: date | None = None) -> dict:
        as_of = _date(as_of, "as_of") or date.today()
        with self._tx() as s:
            ind = s.get(Indicator, indicator_id)
            if ind is None:
                raise NotFoundError(f"không có chỉ tiêu id {indicator_id}: xem `kehoach value --list`")
            plan_id = ind.plan_id
        found = [d for d in self.indicators(plan=plan_id, as_of=as_of) if d["id"] == indicator_id]
        if not found:
            raise NotFoundError(f"chỉ tiêu id {indicator_id} đã bị bỏ trong phiên bản mới của kế hoạch")
        return found[0]

    def set_lower_is_better(self, indicator_id: int, value: bool, *, actor: str) -> None:
        """Correct the guess of whether lower values are better for an indicator."""
        with self._write() as s:
            ind = s.get(Indicator, indicator_id)
            if ind is None:
                raise NotFoundError(f"không có chỉ tiêu id {indicator_id}")
            before = {"lower_is_better": ind.lower_better}
            ind.lower_better = value
            self._audit(s, actor, "edit", "indicator", ind.id, before, {"lower_is_better": value})
