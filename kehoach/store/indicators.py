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
from ..vn import Period, fold, parse_number
from . import summaries
from ._base import (
    Core,
    _chunks,
    _date,
    _ids,
    _iso,
    _scoped,
)
from .schema import (
    Agency,
    Indicator,
    IndicatorAgency,
    IndicatorState,
    IndicatorValue,
    Plan,
)

# what an indicator's evaluation and its list of values need
VALUE_COLUMNS = tuple(
    getattr(IndicatorValue, c)
    for c in ("id", "indicator_id", "period", "period_start", "period_end")
    + ("kind", "cumulative", "value", "on", "actor")
)


class IndicatorMixin(Core):
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
            p = Period.parse(period, year=(_date(on, "on") or self.today()).year)
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
            number = parse_number(value)
        except ValueError as e:
            raise ValidationError("value", value, str(e)) from None
        on = _date(on, "on") or self.today()
        with self.writing() as s:
            ind = s.get(Indicator, indicator_id)
            if ind is None:
                raise NotFoundError(f"không có chỉ tiêu id {indicator_id}", what="indicator")
            v = IndicatorValue(
                indicator_id=ind.id,
                period=p.code,
                period_start=p.start,
                period_end=p.end,
                kind=kinds[fold(kind)],
                cumulative=cumulative,
                value=number,
                on=on,
                note=note,
                actor=actor,
                recorded_at=self.now(),
            )
            s.add(v)
            s.flush()
            prior = s.scalars(
                select(IndicatorValue)
                .where(
                    IndicatorValue.indicator_id == ind.id,
                    IndicatorValue.period == p.code,
                    IndicatorValue.cumulative == cumulative,
                    IndicatorValue.id != v.id,
                )
                .order_by(IndicatorValue.id.desc())
            ).first()
            self.log(
                s,
                actor,
                "value",
                "indicator",
                ind.id,
                None if prior is None else {"period": prior.period, "value": prior.value, "kind": prior.kind},
                {
                    "period": p.code,
                    "value": number,
                    "kind": v.kind,
                    "cumulative": cumulative,
                    "value_id": v.id,
                },
            )
            self.summaries.refresh_indicators(s, [ind.plan_id], {ind.id})
        return self.indicator(indicator_id, as_of=max(on, self.today()))

    def _indicator_dict(
        self,
        ind: Indicator,
        values: list[IndicatorValue],
        agencies: list[str],
        plan: Plan,
        as_of: date,
    ) -> dict:
        known = [v for v in values if v.on <= as_of]
        years = track.target_years(ind.year)
        target_year = max(years) if years else (plan.period_end.year if plan.period_end else as_of.year)
        target = track.Target(ind.comparator, ind.value, ind.min, ind.max, ind.lower_better)
        verdict = track.judge(
            target,
            known,
            year=target_year,
            as_of=as_of,
            single_year=len(set(years)) <= 1,
            is_additive=track.additive(ind.name, ind.unit),
        )
        evaluation, final = verdict.evaluation, verdict.final
        projection, hard = verdict.projection, verdict.hard_to_meet
        # what counts for a period is one rule (`track.counting_value`), here and in the report
        shown = final or track.latest_value(known)
        rate = "%" in (ind.unit or "")
        last_year = None
        if shown is not None:
            prev = Period.parse(shown.period).last_year()
            ly = track.counting_value(known, prev, ytd=track.year_to_date(shown))
            last_year = ly.value if ly else None
        in_year = [v for v in known if v.period_start.year == target_year]
        share_base = final or track.latest_value(v for v in in_year if track.year_to_date(v))
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

    def _indicator_rows(
        self, s: Any, q: Any, column: Any = None, values: Collection[int] | None = None
    ) -> tuple[list[Indicator], dict[int, list[Any]], dict[int, list[str]], dict[int, Plan]]:
        """The indicators of `q` (with `values`: those whose `column` is one of them), their
        values, agencies' names and plans, in a few queries."""
        inds = _scoped(s, q.order_by(Indicator.plan_id, Indicator.position, Indicator.id), column, values)
        if values is not None:  # chunk after chunk: one order again
            inds.sort(key=lambda i: (i.plan_id, i.position, i.id))
        ids = [i.id for i in inds]
        plan_rows = {p.id: p for p in _scoped(s, select(Plan), Plan.id, {i.plan_id for i in inds})}
        found: dict[int, list[Any]] = defaultdict(list)
        names: dict[int, list[str]] = defaultdict(list)
        for chunk in _chunks(ids):
            # plain rows, not objects: a country's register has millions of values
            for v in s.execute(
                select(*VALUE_COLUMNS).where(IndicatorValue.indicator_id.in_(chunk)).order_by(IndicatorValue.id)
            ):
                found[v.indicator_id].append(v)
            for iid, name in s.execute(
                select(IndicatorAgency.indicator_id, Agency.name)
                .join(Agency)
                .where(IndicatorAgency.indicator_id.in_(chunk))
                .order_by(IndicatorAgency.indicator_id, IndicatorAgency.position)
            ):
                names[iid].append(name)
        return inds, found, names, plan_rows

    def indicator_states(self, *, plans: Collection[int], ids: Collection[int] | None = None) -> list[dict]:
        """The stored state of these plans' indicators (removed ones too), computed from their values."""
        with self.session() as s:
            q = select(Indicator)
            inds, values, names, plan_rows = (
                self._indicator_rows(s, q, Indicator.id, ids)
                if ids is not None
                else self._indicator_rows(s, q, Indicator.plan_id, plans)
            )
            return [
                summaries.indicator_state(i, plan_rows[i.plan_id], values[i.id], names[i.id], self._indicator_dict)
                for i in inds
            ]

    def indicators(
        self,
        plan: int | None = None,
        as_of: date | None = None,
        text: str | None = None,
        *,
        plans: Collection[int] | None = None,
        ids: Collection[int] | None = None,
    ) -> list[dict]:
        """Indicators with their evaluation, share of target, change on last year and projection.

        `plans`: only the indicators of these plans (with `plan` too: of both); `ids`: only these.
        Read from their stored states; an indicator asked before its last value's date is
        computed from its values.
        """
        as_of = _date(as_of, "as_of") or self.today()
        with self.session() as s:
            q = select(Indicator.id, Indicator.plan_id, Indicator.position, IndicatorState).outerjoin(
                IndicatorState, IndicatorState.indicator_id == Indicator.id
            )
            q = q.where(Indicator.removed_in.is_(None))
            if plan is not None:
                q = q.where(Indicator.plan_id == plan)
            if text:
                q = q.where(Indicator.search.contains(fold(text), autoescape=True))
            q = q.order_by(Indicator.plan_id, Indicator.position, Indicator.id)
            if ids is not None:
                rows = [r for c in _chunks(_ids(ids)) for r in s.execute(q.where(Indicator.id.in_(c)))]
                if plans is not None:
                    wanted = set(_ids(plans))
                    rows = [r for r in rows if r.plan_id in wanted]
            elif plans is not None:
                rows = [r for c in _chunks(_ids(plans)) for r in s.execute(q.where(Indicator.plan_id.in_(c)))]
            else:
                rows = list(s.execute(q))
            rows.sort(key=lambda r: (r.plan_id, r.position, r.id))  # chunk after chunk: one order again
            # stored, or computed from its values (asked before its last value, or not summarised yet)
            shown = {r.id: summaries.indicator_on(r[3], as_of) if r[3] is not None else None for r in rows}
            todo = [i for i, d in shown.items() if d is None]
            if todo:
                inds, values, names, plan_rows = self._indicator_rows(s, select(Indicator), Indicator.id, todo)
                for i in inds:
                    shown[i.id] = self._indicator_dict(i, values[i.id], names[i.id], plan_rows[i.plan_id], as_of)
            return [d for r in rows if (d := shown[r.id]) is not None]

    def indicator(self, indicator_id: int, as_of: date | None = None) -> dict:
        as_of = _date(as_of, "as_of") or self.today()
        found = self.indicators(ids=[indicator_id], as_of=as_of)
        if found:
            return found[0]
        with self.session() as s:
            if s.get(Indicator, indicator_id) is None:
                raise NotFoundError(f"không có chỉ tiêu id {indicator_id}", what="indicator")
        raise NotFoundError(f"chỉ tiêu id {indicator_id} đã bị bỏ trong phiên bản mới của kế hoạch")

    def set_lower_is_better(self, indicator_id: int, value: bool, *, actor: str) -> None:
        """Correct the guess of whether lower values are better for an indicator."""
        with self.writing() as s:
            ind = s.get(Indicator, indicator_id)
            if ind is None:
                raise NotFoundError(f"không có chỉ tiêu id {indicator_id}")
            before = {"lower_is_better": ind.lower_better}
            ind.lower_better = value
            self.log(s, actor, "edit", "indicator", ind.id, before, {"lower_is_better": value})
            s.flush()
            self.summaries.refresh_indicators(s, [ind.plan_id], {ind.id})
