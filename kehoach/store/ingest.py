"""Ingest of plan/v1 documents, with revisions; plans and their versions."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from typing import Any

from sqlalchemy import (
    delete,
    func,
    or_,
    select,
)
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session

from .. import track
from ..extract.duties import report_day
from ..track import NotFoundError, ValidationError
from ..track import calendar as cal
from ..vn import fold
from ._base import (
    FREQUENCY_MAP,
    ROLES,
    Core,
    IngestResult,
    _aliases,
    _canonical,
    _check_plan,
    _chunks,
    _date,
    _ids,
    _iso,
    _sha,
    _shape,
)
from .schema import (
    Agency,
    AgencyAlias,
    DutyReporter,
    Indicator,
    IndicatorAgency,
    Plan,
    PlanVersion,
    ReportingDuty,
    Task,
    TaskAgency,
)


def _agency_names(plan: dict) -> list[str]:
    """Every agency a plan/v1 dict names: tasks' roles, indicators', reporting duties'."""
    names = [n for t in plan.get("tasks", []) for r in ROLES for n in t.get(r) or []]
    names += [n for row in plan.get("indicators", []) for n in row.get("agency") or []]
    for r in plan.get("reporting", []):
        names += [*(r.get("reporters") or []), *([r["recipient"]] if r.get("recipient") else [])]
    return [n for n in names if isinstance(n, str)]


_RETRYABLE = {"40P01", "40001"}  # PostgreSQL: deadlock detected, serialization failure


class IngestMixin(Core):
    """Ingest of plan/v1 documents, with revisions; plans and their versions."""

    # --- ingest -------------------------------------------------------------------------------

    def ingest(self, plan: dict, source_text_hash: str | None = None, **kwargs: Any) -> IngestResult:
        """Store a plan/v1 dict: once per content, a new version with a diff when revised.

        The whole document goes in one transaction. Two processes ingesting the same
        plan at once: one stores it, the other finds it stored. A transaction the database
        rolled back (unique clash, deadlock, serialization failure) is tried once more.
        `summarise=False` (a bulk load that summarises everything once at the end,
        `rebuild_summaries`): the plan is left without its summaries, and the pages add it up
        from its rows until it has them.
        """
        try:
            with self.attempt():  # within a request's transaction: a savepoint to come back to
                return self._ingest(plan, source_text_hash, **kwargs)
        except (IntegrityError, OperationalError) as e:
            if isinstance(e, OperationalError) and getattr(e.orig, "sqlstate", None) not in _RETRYABLE:
                raise
            with self.attempt():
                return self._ingest(plan, source_text_hash, **kwargs)

    def _ingest(
        self,
        plan: dict,
        source_text_hash: str | None = None,
        *,
        source_name: str | None = None,
        actor: str = "kehoach",
        summarise: bool = True,
    ) -> IngestResult:
        plan = _check_plan(plan)
        content = _sha(_canonical(plan))
        doc = plan["document"]
        province = self.registry.province(doc.get("province")) or ""
        ident = doc.get("number") or doc.get("title") or content
        key = _sha("|".join([fold(doc.get("issuer") or ""), province, fold(ident)]))
        with self.session() as s:
            match = [PlanVersion.content_hash == content]
            if source_text_hash:
                match.append(PlanVersion.source_hash == source_text_hash)
            same = s.scalars(select(PlanVersion).where(or_(*match)).order_by(PlanVersion.id)).first()
            if same is not None:
                return IngestResult(same.plan_id, same.number, False, same.diff)
            now = self.now()
            row = s.scalar(select(Plan).where(Plan.key_hash == key))
            fields = dict(
                number=doc.get("number"),
                doc_type=doc.get("doc_type"),
                issuer=doc.get("issuer"),
                province=province,
                title=doc.get("title"),
                issued_date=_date(doc.get("issued_date"), "document.issued_date"),
                period_end=track.plan_period_end(plan),
                updated_at=now,
            )
            newest_agency = s.scalar(select(func.max(Agency.id))) or 0
            row, number = _next_version(s, row, key, fields)
            cache: dict = {}
            self._ensure_agencies(s, _agency_names(plan), province, cache)
            diff = self._store_tasks(s, row, plan, number, cache)
            self._store_indicators(s, row, plan, number, cache)
            self._store_duties(s, row, plan, number, cache)
            moved = self._link_all(s, cache, newest_agency)
            version = PlanVersion(
                plan_id=row.id,
                number=number,
                content_hash=content,
                source_hash=source_text_hash,
                source_name=source_name or plan.get("source"),
                data=plan,
                diff=diff if number > 1 else None,
                ingested_at=now,
                actor=actor,
            )
            s.add(version)
            s.flush()
            self.log(
                s,
                actor,
                "ingest",
                "plan",
                row.id,
                None,
                {
                    "version": number,
                    "number": row.number,
                    "tasks": len(plan.get("tasks", [])),
                    "diff": {k: len(v) for k, v in diff.items()} if number > 1 else None,
                },
            )
            if summarise:
                self.summaries.refresh_plans(s, [row.id], self.today())
            else:
                self.summaries.forget(s, [row.id])
            if moved:  # agencies other plans name got another successor: their tasks are named anew
                self.summaries.agencies_moved(s, moved)
            return IngestResult(row.id, number, True, version.diff, len(plan.get("tasks", [])))

    def _link_all(self, s: Session, cache: dict, newest: int) -> list[int]:
        """Link the plan's agencies to their successors; return those that were there before
        (id up to `newest`) and now have another successor."""
        linked = {ag.id: (ag.successor_id, ag.succeeded_on) for ag in cache.values()}
        for ag in list(cache.values()):
            self._link_successors(s, ag, cache)
        now = {ag.id: (ag.successor_id, ag.succeeded_on) for ag in cache.values()}
        return [a for a, link in linked.items() if a <= newest and now.get(a) != link]

    def _ensure_agencies(self, s: Session, names: list[str], province: str, cache: dict) -> None:
        """Find or create every agency a plan names, in a few statements rather than one each."""
        wanted = list(dict.fromkeys(" ".join(n.split()) for n in names if n and n.strip()))
        for chunk in (wanted[i : i + 500] for i in range(0, len(wanted), 500)):
            for ag in s.scalars(select(Agency).where(Agency.province == province, Agency.name.in_(chunk))):
                cache[(ag.name, province)] = ag
        created = [Agency(name=n, province=province, search=fold(n)) for n in wanted if (n, province) not in cache]
        if not created:
            return
        s.add_all(created)
        s.flush()
        for ag in created:
            cache[(ag.name, province)] = ag
            s.add_all(AgencyAlias(agency_id=ag.id, alias=a, search=fold(a)) for a in _aliases(ag.name))

    def _add_task(self, s: Session, plan: Plan, t: dict, position: int, number: int, cache: dict) -> Task:
        """A new task, added to the session; its agencies are linked once it has an id."""
        task = Task(plan_id=plan.id, position=position, added_in=number, state="not_started")
        self._fill_task(task, t, position)
        s.add(task)
        return task

    @staticmethod
    def _fill_task(task: Task, t: dict, position: int) -> None:
        dl = t.get("deadline") or {}
        task.position, task.section, task.text = position, t.get("section") or "", t["text"]
        task.search = fold(task.text)
        task.deadline_text, task.due = dl.get("text"), _date(dl.get("due"), "deadline.due")
        task.recurring, task.condition = bool(dl.get("recurring")), dl.get("condition")

    def _link_tasks(self, s: Session, items: list[tuple[Task, dict]], plan: Plan, cache: dict) -> None:
        for task, t in items:
            for role in ROLES:
                for i, name in enumerate(t.get(role) or []):
                    ag = self._agency(s, name, plan.province, cache)
                    s.add(TaskAgency(task_id=task.id, agency_id=ag.id, role=role, position=i))

    def _store_tasks(self, s: Session, plan: Plan, data: dict, number: int, cache: dict) -> dict:
        new = data.get("tasks", [])
        old = list(
            s.scalars(select(Task).where(Task.plan_id == plan.id, Task.removed_in.is_(None)).order_by(Task.position))
        )
        if not old:
            added = [self._add_task(s, plan, t, j, number, cache) for j, t in enumerate(new)]
            s.flush()
            self._link_tasks(s, list(zip(added, new, strict=True)), plan, cache)
            return {}
        leads = self._leads(s, [t.id for t in old])
        old_shapes = [
            track.TaskShape(t.section, t.text, tuple(leads.get(t.id, [])), t.due, t.deadline_text) for t in old
        ]
        pairs, diff = track.diff_tasks(old_shapes, [_shape(t) for t in new])
        tasks: dict[int, Task] = {}
        for i, j in pairs:
            self._fill_task(old[i], new[j], j)
            tasks[j] = old[i]
        if pairs:
            s.execute(delete(TaskAgency).where(TaskAgency.task_id.in_([old[i].id for i, _ in pairs])))
        matched_old = {i for i, _ in pairs}
        for i, t in enumerate(old):
            if i not in matched_old:
                t.removed_in = number
        for j, t in enumerate(new):
            if j not in tasks:
                tasks[j] = self._add_task(s, plan, t, j, number, cache)
        s.flush()
        self._link_tasks(s, [(tasks[j], t) for j, t in enumerate(new)], plan, cache)
        ids = {j: task.id for j, task in tasks.items()}
        # name the tasks by id so the diff stays meaningful after later versions
        for entries in diff.values():
            for e in entries:
                if "new" in e:
                    e["task_id"] = ids[e.pop("new")]
                    e.pop("old", None)
                elif "old" in e:
                    e["task_id"] = old[e.pop("old")].id
        return diff

    def _leads(self, s: Session, task_ids: list[int]) -> dict[int, list[str]]:
        out: dict[int, list[str]] = defaultdict(list)
        q = (
            select(TaskAgency.task_id, Agency.name)
            .join(Agency, Agency.id == TaskAgency.agency_id)
            .where(TaskAgency.task_id.in_(task_ids), TaskAgency.role == "lead")
            .order_by(TaskAgency.task_id, TaskAgency.position)
        )
        for task_id, name in s.execute(q):
            out[task_id].append(name)
        return out

    def _store_indicators(self, s: Session, plan: Plan, data: dict, number: int, cache: dict) -> None:
        old = {
            (fold(i.name), i.year, fold(i.group or "")): i
            for i in s.scalars(select(Indicator).where(Indicator.plan_id == plan.id, Indicator.removed_in.is_(None)))
        }
        kept = set()
        position = 0
        links: list[tuple[Indicator, list[str]]] = []
        for row in data.get("indicators", []):
            for t in row.get("targets") or []:
                comparator = t.get("comparator") or "="
                if comparator not in track.COMPARATORS:
                    raise ValidationError(
                        "indicators.targets.comparator",
                        comparator,
                        f"phải là một trong {', '.join(track.COMPARATORS)}",
                    )
                name = t.get("name") or row.get("text") or ""
                key = (fold(name), row.get("year"), fold(row.get("group") or ""))
                ind = old.get(key) if key not in kept else None
                if ind is None:
                    ind = Indicator(plan_id=plan.id, added_in=number)
                    s.add(ind)
                else:
                    kept.add(key)
                    s.execute(delete(IndicatorAgency).where(IndicatorAgency.indicator_id == ind.id))
                ind.position, ind.group, ind.text, ind.name = (
                    position,
                    row.get("group"),
                    row.get("text") or name,
                    name,
                )
                ind.search, ind.year, ind.comparator = (
                    fold(f"{name} {row.get('text') or ''}"),
                    row.get("year"),
                    comparator,
                )
                ind.value, ind.min, ind.max, ind.unit = (
                    t.get("value"),
                    t.get("min"),
                    t.get("max"),
                    t.get("unit"),
                )
                ind.lower_better = track.lower_is_better(name, comparator, t.get("unit"))
                links.append((ind, row.get("agency") or []))
                position += 1
        for key, ind in old.items():
            if key not in kept:
                ind.removed_in = number
        s.flush()
        for ind, agencies in links:
            for i, a in enumerate(agencies):
                ag = self._agency(s, a, plan.province, cache)
                s.add(IndicatorAgency(indicator_id=ind.id, agency_id=ag.id, position=i))

    def _store_duties(self, s: Session, plan: Plan, data: dict, number: int, cache: dict) -> None:
        old = {
            fold(d.text): d
            for d in s.scalars(
                select(ReportingDuty).where(ReportingDuty.plan_id == plan.id, ReportingDuty.removed_in.is_(None))
            )
        }
        kept = set()
        links: list[tuple[ReportingDuty, list[str]]] = []
        for position, r in enumerate(data.get("reporting", [])):
            src = r.get("frequency") or "periodic"
            frequency = FREQUENCY_MAP.get(src, "quarterly")
            dates = sorted(d for d in (_date(x, "reporting.deadlines") for x in r.get("deadlines") or []) if d)
            rule, extra = cal.derive_rule(frequency, dates, report_day(r.get("text") or "", frequency))
            if frequency == "once":
                extra = dates
            key = fold(r.get("text") or f"{position}")
            duty = old.get(key) if key not in kept else None
            if duty is None:
                duty = ReportingDuty(plan_id=plan.id, added_in=number)
                s.add(duty)
            else:
                kept.add(key)
                s.execute(delete(DutyReporter).where(DutyReporter.duty_id == duty.id))
            starts = plan.issued_date or (dates[0] if dates else None) or track.plan_period_start(data)
            duty.position, duty.text, duty.frequency, duty.source_frequency = (
                position,
                r.get("text") or "",
                frequency,
                src,
            )
            duty.day, duty.month_offset = rule.day, rule.month_offset
            duty.extra_dates = [d.isoformat() for d in extra]
            duty.starts, duty.ends = starts, plan.period_end
            recipient = r.get("recipient")
            duty.recipient_id = self._agency(s, recipient, plan.province, cache).id if recipient else None
            links.append((duty, r.get("reporters") or []))
        for key, duty in old.items():
            if key not in kept:
                duty.removed_in = number
        s.flush()
        for duty, reporters in links:
            for i, a in enumerate(reporters):
                ag = self._agency(s, a, plan.province, cache)
                s.add(DutyReporter(duty_id=duty.id, agency_id=ag.id, position=i))

    # --- plans --------------------------------------------------------------------------------

    def plans(self) -> list[dict]:
        with self.session() as s:
            counts = dict(
                s.execute(
                    select(Task.plan_id, func.count()).where(Task.removed_in.is_(None)).group_by(Task.plan_id)
                ).all()
            )
            inds = dict(
                s.execute(
                    select(Indicator.plan_id, func.count())
                    .where(Indicator.removed_in.is_(None))
                    .group_by(Indicator.plan_id)
                ).all()
            )
            return [
                self._plan_dict(p) | {"tasks": counts.get(p.id, 0), "indicators": inds.get(p.id, 0)}
                for p in s.scalars(select(Plan).order_by(Plan.id))
            ]

    @staticmethod
    def _plan_dict(p: Plan) -> dict:
        return {
            "id": p.id,
            "number": p.number,
            "doc_type": p.doc_type,
            "issuer": p.issuer,
            "province": p.province or None,
            "title": p.title,
            "issued_date": _iso(p.issued_date),
            "period_end": _iso(p.period_end),
            "version": p.current_version,
        }

    def plan(self, plan_id: int) -> dict:
        with self.session() as s:
            p = s.get(Plan, plan_id)
            if p is None:
                raise NotFoundError(f"không có kế hoạch id {plan_id}", what="plan")
            versions = [
                {
                    "version": v.number,
                    "source": v.source_name,
                    "content_hash": v.content_hash,
                    "ingested_at": _iso(v.ingested_at),
                    "actor": v.actor,
                    "diff": v.diff,
                }
                for v in s.scalars(
                    select(PlanVersion).where(PlanVersion.plan_id == plan_id).order_by(PlanVersion.number)
                )
            ]
            return self._plan_dict(p) | {"versions": versions}

    def scenarios(self, plans: Collection[int] | None = None) -> dict[int, list[dict]]:
        """Each plan's growth scenarios (current version; of these `plans`), read from the stored plan/v1."""
        q = select(PlanVersion.plan_id, PlanVersion.data["scenarios"]).join(
            Plan, (Plan.id == PlanVersion.plan_id) & (Plan.current_version == PlanVersion.number)
        )
        with self.session() as s:
            if plans is None:
                rows = list(s.execute(q))
            else:
                rows = [r for c in _chunks(_ids(plans)) for r in s.execute(q.where(PlanVersion.plan_id.in_(c)))]
            return {plan_id: found for plan_id, found in rows if found}

    def plan_data(self, plan_id: int, version: int | None = None) -> dict:
        """The plan/v1 dict as ingested (the current version by default)."""
        with self.session() as s:
            q = select(PlanVersion).where(PlanVersion.plan_id == plan_id).order_by(PlanVersion.number.desc())
            if version is not None:
                q = q.where(PlanVersion.number == version)
            v = s.scalars(q).first()
            if v is None:
                raise NotFoundError(f"không có kế hoạch id {plan_id} phiên bản {version}")
            return v.data


def _next_version(s: Session, row: Plan | None, key: str, fields: dict) -> tuple[Plan, int]:
    """The plan's row with these fields (a new plan: version 1) and the number of the version now stored."""
    if row is None:
        row = Plan(key_hash=key, current_version=1, created_at=fields["updated_at"], **fields)
        s.add(row)
        s.flush()
        return row, 1
    for k, v in fields.items():
        setattr(row, k, v)
    row.current_version += 1
    return row, row.current_version
