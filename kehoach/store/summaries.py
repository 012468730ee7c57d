"""The pages' summaries, kept in the database in step with every write (issue 14).

Every server process reads the same numbers, and a restart costs nothing: what the pages
count and list is stored beside the register and changed in the same transaction as the
write that changes it.

- `task_states`: per task, what its status needs besides the date asked (the deadline in
  force, the day it was done, whether it waits for a condition, its lead agencies as named
  then), over spans of dates cut where one of those changes. Within a span a task's status on
  a date only compares that date with the deadline (`track.task_status`).
- `indicator_states`: per indicator, its dict as the pages show it from its last value on,
  and its two evaluations, before and after the end of its target year.
- `summary_tally`: what the dashboards add up, as counts of date-free keys, per province
  (and per plan for the statuses). "As of" a date is a comparison in SQL (`Tally` below): a
  task open with deadline `day` is overdue when `day` < the date, due soon when `day` is
  within `soon_days` of it, else in term; an indicator pending until `day` is evaluated
  `key` after it, `bucket` up to it; a report due on `day` counts from that day.
- `plan_states`: per plan, from which date its counts hold (its latest span, its latest
  value) and which reporting deadlines they cover.

So nothing is recomputed at midnight: a task becomes overdue in the counts because the date
asked moved past its deadline. The counts are exact for any date from a plan's `fresh_from`
on (and within its reporting span); for an earlier date the pages count the plans' states one
by one (`web/summary.py`). `rebuild()` computes everything again from the register's own
tables: what the migration to 0005 does, and what the tests compare with.
"""

from __future__ import annotations

import functools
import sys
from collections import Counter, defaultdict
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any, cast

from sqlalchemy import Table, and_, case, delete, func, literal, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, aliased

from .. import track
from ..track import Evaluation, Status
from ..track.growth import GrowthError, index_to_percent, parse_scenario
from ..vn import fold
from ._base import ROLES, _agencies_with_successors, _chunks, _ids, current_agency
from .schema import (
    OPEN_TASKS,
    Agency,
    DutyReporter,
    Extension,
    IndicatorAgency,
    IndicatorState,
    Plan,
    PlanState,
    ProgressUpdate,
    ReportingDuty,
    Tally,
    Task,
    TaskAgency,
    TaskState,
)

if TYPE_CHECKING:
    from . import Database

TALLY = cast(Table, Tally.__table__)
TASK_COLUMNS = tuple(cast(Table, Task.__table__).c)
STATES = cast(Table, TaskState.__table__)
INDICATOR_STATES = cast(Table, IndicatorState.__table__)
COUNTRY = -1  # the `plan_id` of the country's counts per department (its provinces' added up once)
NO_DAY = date(1, 1, 1)  # a key's date when it has none (NULLs would not match in a unique key)
UNASSIGNED = "(chưa giao)"
ALL_DEPARTMENTS = fold("Các sở, ban, ngành")  # the registry's collective name for every department
REPORTS_AHEAD = timedelta(days=60)  # reporting deadlines the pages show ahead of the date asked
LOOKBACK = timedelta(days=93)  # `track.calendar.occurrences`: a period ending this long before still counts

# Rank of an indicator's evaluation on the dashboard: what needs attention first.
EVALUATION_RANK = {
    e.value: n
    for n, e in enumerate(
        (Evaluation.MISSED, Evaluation.NO_DATA, Evaluation.NOT_DUE, Evaluation.MET, Evaluation.EXCEEDED)
    )
}
# a task span's status bucket, and the status each bucket is whatever the date
FIXED = {
    "done_on_time": Status.DONE_ON_TIME.value,
    "done_late": Status.DONE_LATE.value,
    "recurring": Status.RECURRING.value,
    "waiting": Status.WAITING.value,
}

Key = tuple[int, str, str, str, str, date, date, date]
"""A count's key: plan id (0: the province's), province, kind, key, bucket, day, sent, ends."""


def compliance_since(as_of: date) -> date:
    """Reports are counted from January of last year."""
    return date(as_of.year - 1, 1, 1)


def due_key(t: dict) -> tuple:
    return (t["due"] is None, t["due"] or "", t["plan_id"], t["position"])


def indicator_key(i: dict) -> tuple:
    return (not i.get("hard_to_meet"), EVALUATION_RANK.get(i["evaluation"], 5), i["plan_id"], i["id"])


def missing_key(r: dict) -> tuple:
    """Missing reports, latest first."""
    return (_neg(r["due"]), _neg(r["agency"]), -r["plan_id"], -r["duty_id"], -r["agency_id"])


def _neg(text: str) -> tuple[int, ...]:
    return tuple(-ord(c) for c in text)


def departments(owners: Sequence[str]) -> tuple[str, ...]:
    """`Sở Tài chính (Vĩnh Long)` → `Sở Tài chính`; no lead: `(chưa giao)`."""
    return tuple(n.removesuffix(")").rsplit(" (", 1)[0] for n in owners) or (UNASSIGNED,)


# --- the raw rows a task's status is computed from --------------------------------------------


@dataclass
class Raw:
    """What a task's spans are computed from, loaded for many tasks in a few queries."""

    tasks: list[Any]  # task rows
    plans: dict[int, Plan]
    agencies: dict[int, Agency] = field(default_factory=dict)  # with every successor
    leads: dict[int, list[int]] = field(default_factory=dict)  # task → lead agency ids, in order
    names: dict[int, list[str]] = field(default_factory=dict)  # task → lead and coordinating agencies' names
    updates: dict[int, list[tuple[date, str]]] = field(default_factory=dict)  # outside periods, in order
    extensions: dict[int, list[tuple[date, date]]] = field(default_factory=dict)  # (granted_on, new_due)


def load_raw(s: Session, tasks: list[Any]) -> Raw:
    """The rows these tasks' spans need: their plans, lead agencies (and successors), updates, extensions."""
    ids = [t.id for t in tasks]
    plan_ids = _ids(t.plan_id for t in tasks)
    raw = Raw(tasks, {p.id: p for c in _chunks(plan_ids) for p in s.scalars(select(Plan).where(Plan.id.in_(c)))})
    for chunk in _chunks(ids):
        for task_id, agency_id, role, name in s.execute(
            select(TaskAgency.task_id, TaskAgency.agency_id, TaskAgency.role, Agency.name)
            .join(Agency, Agency.id == TaskAgency.agency_id)
            .where(TaskAgency.task_id.in_(chunk), TaskAgency.role.in_(("lead", "coordinate")))
            .order_by(TaskAgency.task_id, TaskAgency.role.desc(), TaskAgency.position, TaskAgency.id)
        ):
            if role == "lead":
                raw.leads.setdefault(task_id, []).append(agency_id)
            raw.names.setdefault(task_id, []).append(name)
        for task_id, on, state in s.execute(
            select(ProgressUpdate.task_id, ProgressUpdate.on, ProgressUpdate.state)
            .where(ProgressUpdate.task_id.in_(chunk), ProgressUpdate.period.is_(None))
            .order_by(ProgressUpdate.on, ProgressUpdate.id)
        ):
            raw.updates.setdefault(task_id, []).append((on, state))
        for task_id, granted_on, new_due in s.execute(
            select(Extension.task_id, Extension.granted_on, Extension.new_due)
            .where(Extension.task_id.in_(chunk))
            .order_by(Extension.granted_on, Extension.id)
        ):
            raw.extensions.setdefault(task_id, []).append((granted_on, new_due))
    raw.agencies = _agencies_with_successors(s, (a for ls in raw.leads.values() for a in ls))
    return raw


# --- a task's spans ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Inputs:
    """What a task's status needs on a date, besides the date."""

    due: date | None
    done_on: date | None
    original: date | None
    waiting: bool
    extended: bool
    owners: tuple[str, ...]


def agency_rows(s: Session) -> dict[int, Any]:
    """Every agency as a plain row (what `current_agency` follows and a page names), by id: a
    national register's ten thousand agencies read without making an object of each."""
    cols = (Agency.id, Agency.name, Agency.province, Agency.search, Agency.successor_id, Agency.succeeded_on)
    return {r.id: r for r in s.execute(select(*cols))}


def owner_name(ag: Agency) -> str:
    return sys.intern(f"{ag.name} ({ag.province})") if ag.province else ag.name


def inputs_on(raw: Raw, t: Any, on: date) -> Inputs:
    """A task's inputs on a date, from its raw rows: the rules of `track`, applied once."""
    plan = raw.plans[t.plan_id]
    exts = raw.extensions.get(t.id, [])
    kw: dict[str, Any] = dict(
        plan_end=plan.period_end,
        recurring=t.recurring,
        condition=t.condition,
        condition_met_on=t.condition_met_on,
        condition_due=t.condition_due,
        as_of=on,
    )
    due = track.effective_due(t.due, extensions=exts, **kw)
    done_on = None if t.recurring else track.completion(raw.updates.get(t.id, []), on)
    owners = tuple(owner_name(current_agency(raw.agencies, a, on)) for a in raw.leads.get(t.id, []))
    return Inputs(
        due=due,
        done_on=done_on,
        original=track.effective_due(t.due, **kw),
        waiting=bool(t.condition) and t.due is None and due is None,
        extended=any(granted <= on for granted, _ in exts),
        owners=owners,
    )


def _chain_days(raw: Raw, agency_id: int) -> Iterator[date]:
    """The days an agency's successor chain moves (mergers)."""
    seen: set[int] = set()
    ag = raw.agencies.get(agency_id)
    while ag is not None and ag.id not in seen:
        seen.add(ag.id)
        if ag.succeeded_on:
            yield ag.succeeded_on
        ag = raw.agencies.get(ag.successor_id) if ag.successor_id else None


Span = tuple[date | None, date | None, Inputs]


def _done_days(updates: list[tuple[date, str]]) -> set[date]:
    """The days an update may change when the task counts as done (`track.completion`)."""
    days, done_on = set(), None
    for on, state in updates:
        now = (done_on or on) if state == "done" else None
        if now != done_on:
            days.add(on)
        done_on = now
    return days


def spans(raw: Raw, t: Any) -> list[Span]:
    """A task's inputs over spans of dates [since, until), cut where they change; the first starts
    at the beginning (None) and the last runs on (None)."""
    days = _done_days(raw.updates.get(t.id, []))
    days |= {granted for granted, _ in raw.extensions.get(t.id, [])}
    days |= {d for a in raw.leads.get(t.id, []) for d in _chain_days(raw, a)}
    if t.condition_met_on:
        days.add(t.condition_met_on)
    ordered = sorted(days)
    first = inputs_on(raw, t, ordered[0] - timedelta(days=1) if ordered and ordered[0] > date.min else date.min)
    out: list[list[Any]] = [[None, None, first]]
    for day in ordered:
        now = inputs_on(raw, t, day)
        if now != out[-1][2]:
            out[-1][1] = day
            out.append([day, None, now])
    return [(a, b, c) for a, b, c in out]


def hay(t: Any, names: Iterable[str]) -> str:
    """A task's words to search: its section, text and the agencies leading and coordinating it
    (folded as one text would be; each name once: they repeat across a register)."""
    return " ".join(w for w in (fold(t.section or ""), fold(t.text), *map(_fold_name, names)) if w)


_fold_name = functools.lru_cache(maxsize=8192)(fold)


def state_rows(t: Any, live: bool, found: list[Span], words: str) -> list[dict]:
    return [
        {
            "task_id": t.id,
            "plan_id": t.plan_id,
            "position": t.position,
            "live": live,
            "since": since,
            "until": until,
            "due": i.due,
            "done_on": i.done_on,
            "original": i.original,
            "recurring": t.recurring,
            "waiting": i.waiting,
            "extended": i.extended,
            "owners": list(i.owners),
            "hay": words,
        }
        for since, until, i in found
    ]


# --- counts ----------------------------------------------------------------------------------


def task_bucket(done_on: date | None, due: date | None, recurring: bool, waiting: bool) -> tuple[str, date]:
    """A span's status bucket and the day its status moves with (`track.task_status`, date-free)."""
    if done_on is not None:
        return ("done_on_time" if due is None or done_on <= due else "done_late"), NO_DAY
    if recurring:
        return "recurring", NO_DAY
    if waiting:
        return "waiting", NO_DAY
    return "open", due or NO_DAY


def task_keys(province: str, st: Any) -> list[Key]:
    """What one current span counts for: its status in its plan and province, and per department."""
    if not st.live:
        return []
    bucket, day = task_bucket(st.done_on, st.due, st.recurring, st.waiting)
    keys: list[Key] = [
        (st.plan_id, province, "status", "", bucket, day, NO_DAY, NO_DAY),
        (0, province, "status", "", bucket, day, NO_DAY, NO_DAY),
    ]
    for d in departments(st.owners):
        keys += [
            (0, province, "heat", d, bucket, day, NO_DAY, NO_DAY),
            (COUNTRY, "", "heat", d, bucket, day, NO_DAY, NO_DAY),
        ]
    return keys


def indicator_keys(province: str, st: Any) -> list[Key]:
    """An indicator's evaluation: `bucket` up to the end of its target year (`day`), `key` after it."""
    if not st.live or st.year_end is None:  # a moving target year is evaluated when asked
        return []
    return [(0, province, "evaluation", st.after, st.before, st.year_end, NO_DAY, NO_DAY)]


def report_keys(province: str, rows: Iterable[dict]) -> list[Key]:
    """Reporting deadlines (calendar rows, submissions as of any date): sent on time, sent late on
    `sent`, or not sent; `ends` is the period's end (a one-off date has none)."""
    out: list[Key] = []
    for r in rows:
        due = date.fromisoformat(r["due"])
        sent = date.fromisoformat(r["submitted_on"]) if r["submitted_on"] else None
        if sent is not None and sent <= due:
            bucket, late = "on_time", NO_DAY
        elif sent is not None:
            bucket, late = "late", sent
        else:
            bucket, late = "unsent", NO_DAY
        ends = r.get("period_end") or NO_DAY
        out.append((0, province, "compliance", r["agency"], bucket, due, late, ends))
    return out


def _stored_keys(province: str, stored: list | None) -> list[Key]:
    """A plan's report counts as kept with it ([agency, bucket, due, sent, ends, n]), as keys."""
    out: list[Key] = []
    for agency, bucket, due, sent, ends, n in stored or []:
        key = (0, province, "compliance", agency, bucket, *(date.fromisoformat(d) for d in (due, sent, ends)))
        out += [key] * n
    return out


_KEY_COLUMNS = ("plan_id", "province", "kind", "key", "bucket", "day", "sent", "ends")


def apply(s: Session, delta: Counter[Key]) -> None:
    """Add these counts (negative to take away), in the keys' order: concurrent writers lock the
    same rows in the same order, so they wait for each other instead of deadlocking. One
    statement, compiled once, run for every key (the driver sends them together)."""
    rows = [dict(zip(_KEY_COLUMNS, k, strict=True)) | {"n": n} for k, n in sorted(delta.items()) if n]
    if not rows:
        return
    s.execute(_upsert(s.get_bind().dialect.name), rows)


@functools.cache
def _upsert(dialect: str) -> Any:
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    stmt = insert(TALLY)
    return stmt.on_conflict_do_update(index_elements=list(_KEY_COLUMNS), set_={"n": TALLY.c.n + stmt.excluded.n})


def change(s: Session, before: Iterable[Key], after: Iterable[Key]) -> None:
    delta = Counter(after)
    delta.subtract(Counter(before))
    apply(s, delta)


# --- indicators --------------------------------------------------------------------------------


def indicator_state(ind: Any, plan: Plan, values: list[Any], agencies: list[str], judge: Any) -> dict:
    """An indicator's stored state, from `judge` (`indicators.indicator_dict`) on two dates."""
    valid_from = max((v.on for v in values), default=None)
    start = valid_from or date.min
    years = track.target_years(ind.year)
    target = max(years) if years else (plan.period_end.year if plan.period_end else None)
    year_end = date(target, 12, 31) if target else None
    data = judge(ind, values, agencies, plan, max(start, year_end) if year_end else start)
    after = data["evaluation"]
    if year_end is not None and year_end < date.max:
        after = judge(ind, values, agencies, plan, max(start, year_end + timedelta(days=1)))["evaluation"]
    return {
        "indicator_id": ind.id,
        "plan_id": ind.plan_id,
        "position": ind.position,
        "live": ind.removed_in is None,
        "valid_from": valid_from,
        "year_end": year_end,
        "before": data["evaluation"],
        "after": after,
        "rank_before": EVALUATION_RANK.get(data["evaluation"], 5),
        "rank_after": EVALUATION_RANK.get(after, 5),
        "hard": bool(data.get("hard_to_meet")),
        "hay": fold(f"{data['name']} {data['group'] or ''}"),
        "data": data,
    }


def indicator_on(st: Any, as_of: date) -> dict | None:
    """A stored indicator as of a date, or None when it must be computed from its values."""
    if st.year_end is None or (st.valid_from is not None and as_of < st.valid_from):
        return None
    data = dict(st.data)
    data["evaluation"] = st.after if as_of > st.year_end else st.before
    return data


# --- growth against the scenario ----------------------------------------------------------------

_FILLER = {"tang", "truong", "dat", "nganh", "khu", "vuc", "va", "trong", "tinh", "gia", "tri"}
QUARTERS = {"Q1": "Quý I", "Q2": "Quý II", "Q3": "Quý III", "Q4": "Quý IV", "Y": "Cả năm"}


def _words(name: str) -> set[str]:
    return {w for w in fold(name).replace("-", " ").replace(",", " ").split() if w not in _FILLER}


def growth_indicators(indicators: list[dict], scenario: Any) -> dict[str, dict]:
    """Scenario row name → the indicator that carries its actual growth.

    The total is the `Tăng trưởng GRDP` indicator; a sector is an indicator of the same row
    of the plan (`... Trong đó: nông nghiệp tăng 2,43%; ...`) or one named `... tăng`, whose
    words all appear in the sector's name.
    """
    pct = [i for i in indicators if "%" in (i.get("unit") or "")]
    totals = [i for i in pct if "grdp" in fold(i["name"]) and "tang" in fold(i["name"]).split()]
    out: dict[str, dict] = {}
    if totals:
        out[scenario.total.name] = totals[0]
    rows = {i["text"] for i in totals}
    for i in pct:
        if i in totals or not (i["text"] in rows or "tang" in fold(i["name"]).split()):
            continue
        words = _words(i["name"])
        match = [r for r in scenario.rows if r.level and words and words <= _words(r.name)]
        if match:
            out.setdefault(min(match, key=lambda r: r.level).name, i)
    return out


def growth(plan_id: int, scenarios: list[dict] | None, indicators: list[dict]) -> dict | None:
    """Actual growth per quarter (from the growth indicators) against the plan's first scenario."""
    if not scenarios:
        return None
    try:
        sc = parse_scenario(scenarios[0])
    except GrowthError:
        return None
    carriers = growth_indicators(indicators, sc)

    def actual_for(row_name: str) -> dict[str, float]:
        out: dict[str, float] = {}
        for v in sorted((carriers.get(row_name) or {}).get("values") or [], key=lambda v: (v["kind"], v["id"])):
            p = v["period"]
            if v["cumulative"]:
                continue
            q = p[5:] if "-Q" in p else ("Y" if len(p) == 4 else None)
            if q in QUARTERS:
                out[q] = v["value"]
        return out

    rows = []
    for r in sc.rows:
        actual = actual_for(r.name)
        periods = [
            {
                "period": label,
                "planned": round(index_to_percent(r.targets[k]), 2) if r.targets.get(k, 0) > 50 else r.targets.get(k),
                "actual": actual.get(k),
            }
            for k, label in QUARTERS.items()
        ]
        rows.append({"name": r.name, "level": r.level, "periods": periods})
    top = max([abs(p[x] or 0) for r in rows[:1] for p in r["periods"] for x in ("planned", "actual")] + [1])  # type: ignore[attr-defined]
    return {"plan_id": plan_id, "title": sc.title, "rows": rows, "max": top}


# --- keeping them current ------------------------------------------------------------------------


def report_span(issued: date | None, today: date) -> tuple[date, date]:
    """The reporting deadlines a plan's counts cover: from January of the year before it was
    issued (or of last year) to the end of next year."""
    first = min(issued.year if issued else today.year, today.year) - 1
    return date(first, 1, 1), date(today.year + 1, 12, 31)


def _report_rows(
    db: Database, plan_ids: list[int], first: date, last: date, duties: Collection[int] | None = None
) -> dict[int, list[dict]]:
    """Each plan's reporting deadlines in [first, last], with their first submission whenever it came."""
    out: dict[int, list[dict]] = defaultdict(list)
    for r in db.calendar(first, last, as_of=date.max, plans=plan_ids):
        if duties is None or r["duty_id"] in duties:
            out[r["plan_id"]].append(r | {"period_end": _period_end(r["period"])})
    return out


def _period_end(code: str) -> date | None:
    """A report's period's last day; None for a one-off date."""
    from ..vn import Period

    try:
        date.fromisoformat(code)
        return None
    except ValueError:
        return Period.parse(code).end


# --- reading them ---------------------------------------------------------------------------------


def status_case(as_of: date, soon_until: date) -> Any:
    """A tally row's task status on `as_of` (`track.task_status`, from its bucket and day)."""
    return case(
        (
            Tally.bucket == "open",
            case(
                (Tally.day == NO_DAY, Status.IN_TERM.value),
                (Tally.day < as_of, Status.OVERDUE.value),
                (Tally.day <= soon_until, Status.DUE_SOON.value),
                else_=Status.IN_TERM.value,
            ),
        ),
        *[(Tally.bucket == b, v) for b, v in FIXED.items()],
        else_=Tally.bucket,
    )


def _compliance_rows(as_of: date) -> tuple[Any, Any]:
    """The tally's reports counted on `as_of`, and each one's state (`calendar` rows' rules)."""
    since = compliance_since(as_of)
    unsent = or_(Tally.bucket == "unsent", and_(Tally.bucket == "late", Tally.sent > as_of))
    counted = and_(
        Tally.kind == "compliance",
        Tally.day >= since,
        Tally.day <= as_of,
        ~and_(Tally.day == as_of, unsent),  # due today and not sent: still upcoming
        or_(Tally.ends == NO_DAY, and_(Tally.ends >= since - LOOKBACK, Tally.ends <= as_of + REPORTS_AHEAD)),
    )
    state = case((Tally.bucket == "on_time", "on_time"), (unsent, "missing"), else_="late")
    return counted, state


def _within(column: Any, plans: list[int] | None) -> Any:
    """Rows of these plans (None: every plan)."""
    return literal(True) if plans is None else column.in_(plans)


# A task in brief: what a long list of tasks is sorted, counted and split by (its place,
# deadline, status and agencies' names on a date), without its text or history.
BRIEF = (
    TaskState.task_id,
    TaskState.plan_id,
    TaskState.position,
    TaskState.due,
    TaskState.done_on,
    TaskState.recurring,
    TaskState.waiting,
    TaskState.owners,
)


def holding(as_of: date) -> Any:
    """The span holding a date."""
    return (TaskState.since.is_(None) | (TaskState.since <= as_of)) & (
        TaskState.until.is_(None) | (TaskState.until > as_of)
    )


def _brief(st: Any, as_of: date, soon_days: int) -> dict:
    status = track.task_status(
        due=st.due, done_on=st.done_on, as_of=as_of, recurring=st.recurring, waiting=st.waiting, soon_days=soon_days
    )
    return {
        "id": st.task_id,
        "plan_id": st.plan_id,
        "position": st.position,
        "due": st.due and st.due.isoformat(),
        "done_on": st.done_on and st.done_on.isoformat(),
        "status": status.value,
        "owner_now": list(st.owners),
        **{r: [] for r in ROLES},
    }


def _local(agencies: dict[int, Any], provinces: Collection[str] | None) -> set[int]:
    """The agencies of these provinces: a plan's rows name the agencies of its own province, the
    others are never linked to it."""
    return {i for i, a in agencies.items() if provinces is None or a.province in provinces}


class _Readers:
    """The read side of `Summaries`."""

    db: Database

    def _plans_of(self, provinces: Collection[str] | None) -> list[int] | None:
        """The plans of these provinces (None: every plan), by id: a query scoped with `IN (SELECT
        ...)` had the planner read every task span of the country to keep a province's."""
        if provinces is None:
            return None
        with self.db.session() as s:
            return list(s.scalars(select(PlanState.plan_id).where(PlanState.province.in_(sorted(provinces)))))

    def holds(self, provinces: Collection[str] | None, as_of: date) -> bool:
        """Whether the counts of these provinces' plans are exact on `as_of` (every plan is
        summarised, and from a date no later than it)."""
        with self.db.session() as s:
            q = select(
                func.max(PlanState.fresh_from), func.max(PlanState.reports_from), func.min(PlanState.reports_until)
            )
            unsummarised = select(Plan.id).where(Plan.id.not_in(select(PlanState.plan_id)))
            if provinces is not None:
                q = q.where(PlanState.province.in_(sorted(provinces)))
                unsummarised = unsummarised.where(Plan.province.in_(sorted(provinces)))
            fresh, first, last = s.execute(q).one()
            if s.execute(unsummarised.limit(1)).first() is not None:
                return False
        return (
            (fresh is None or fresh <= as_of)
            and (first is None or first <= compliance_since(as_of))
            and (last is None or last >= as_of + REPORTS_AHEAD)
        )

    def parts(self, provinces: Collection[str] | None, as_of: date, soon_days: int, by_plan: bool) -> Parts:
        """The counts of these provinces' plans on `as_of`; `groups` per plan (`by_plan`) or per province."""
        out = self.task_parts(provinces, as_of, soon_days, by_plan)
        out.evaluations = self.evaluations(provinces, as_of)
        out.compliance = self.compliance(provinces, as_of)
        return out

    @staticmethod
    def _where(provinces: Collection[str] | None) -> list[Any]:
        """The province-wide rows of these provinces (None: every province)."""
        return [Tally.plan_id == 0] + ([Tally.province.in_(sorted(provinces))] if provinces is not None else [])

    def task_parts(self, provinces: Collection[str] | None, as_of: date, soon_days: int, by_plan: bool) -> Parts:
        """The task counts alone (`counts`, `groups`, `heat`): what a task's change moves."""
        out = Parts()
        status = status_case(as_of, as_of + timedelta(days=soon_days))
        where = self._where(provinces)
        n = func.sum(Tally.n)
        with self.db.session() as s:
            for province, st, k in s.execute(
                select(Tally.province, status, n).where(*where, Tally.kind == "status").group_by(Tally.province, status)
            ):
                out.counts[st] += k
                if not by_plan:
                    out.groups[province, st] += k
            if by_plan:
                plans = [Tally.plan_id > 0] + ([Tally.province.in_(sorted(provinces))] if provinces is not None else [])
                for plan_id, st, k in s.execute(
                    select(Tally.plan_id, status, n)
                    .where(*plans, Tally.kind == "status")
                    .group_by(Tally.plan_id, status)
                ):
                    out.groups[plan_id, st] += k
            # the country's departments from its own rows: ten times fewer than its provinces'
            heat = [Tally.plan_id == COUNTRY] if provinces is None else where
            for dept, st, k in s.execute(
                select(Tally.key, status, n).where(*heat, Tally.kind == "heat").group_by(Tally.key, status)
            ):
                out.heat[dept, st] += k
        return out.without_zeros()

    def evaluations(self, provinces: Collection[str] | None, as_of: date) -> Counter:
        """Indicators by evaluation on `as_of` (those of a fixed target year from the counts)."""
        evaluation = case((Tally.day < as_of, Tally.key), else_=Tally.bucket)
        out: Counter = Counter()
        with self.db.session() as s:
            for ev, k in s.execute(
                select(evaluation, func.sum(Tally.n))
                .where(*self._where(provinces), Tally.kind == "evaluation")
                .group_by(evaluation)
            ):
                out[ev] += k
        return Counter({k: n for k, n in out.items() if n})

    def compliance(self, provinces: Collection[str] | None, as_of: date) -> Counter:
        """Reports due since January of last year, by agency and how they were sent, on `as_of`."""
        counted, state = _compliance_rows(as_of)
        out: Counter = Counter()
        with self.db.session() as s:
            for agency, st, k in s.execute(
                select(Tally.key, state, func.sum(Tally.n))
                .where(*self._where(provinces), counted)
                .group_by(Tally.key, state)
            ):
                out[agency, "due"] += k
                out[agency, st] += k
        return Counter({k: n for k, n in out.items() if n})

    def open_tasks(
        self, provinces: Collection[str] | None, as_of: date, soon_days: int, *, soon: bool, limit: int
    ) -> list[int]:
        """The first open tasks overdue (or due soon) on `as_of`, by deadline, plan and position."""
        window = (
            and_(TaskState.due >= as_of, TaskState.due <= as_of + timedelta(days=soon_days))
            if soon
            else TaskState.due < as_of
        )
        q = (
            select(TaskState.task_id)
            .where(OPEN_TASKS, window, _within(TaskState.plan_id, self._plans_of(provinces)))
            .order_by(TaskState.due, TaskState.plan_id, TaskState.position)
            .limit(limit)
        )
        with self.db.session() as s:
            return list(s.scalars(q))

    def ranked_indicators(self, provinces: Collection[str] | None, as_of: date, limit: int) -> list[dict]:
        """The first indicators needing attention on `as_of` (projected to miss, then by evaluation)."""
        rank = case((IndicatorState.year_end < as_of, IndicatorState.rank_after), else_=IndicatorState.rank_before)
        scope = _within(IndicatorState.plan_id, self._plans_of(provinces))
        q = (
            select(IndicatorState)
            .where(IndicatorState.live.is_(True), IndicatorState.year_end.is_not(None), scope)
            .order_by(IndicatorState.hard.desc(), rank, IndicatorState.plan_id, IndicatorState.indicator_id)
            .limit(limit)
        )
        with self.db.session() as s:
            found = [d for st in s.scalars(q) if (d := indicator_on(st, as_of)) is not None]
            moving = list(
                s.scalars(
                    select(IndicatorState.indicator_id).where(
                        IndicatorState.live.is_(True), IndicatorState.year_end.is_(None), scope
                    )
                )
            )
        if moving:
            found += self.db.indicators(ids=moving, as_of=as_of)
        return sorted(found, key=indicator_key)[:limit]

    def moving_evaluations(self, provinces: Collection[str] | None, as_of: date) -> Counter:
        """Evaluations of indicators whose target year is the year asked (not in the counts)."""
        with self.db.session() as s:
            moving = list(
                s.scalars(
                    select(IndicatorState.indicator_id).where(
                        IndicatorState.live.is_(True),
                        IndicatorState.year_end.is_(None),
                        _within(IndicatorState.plan_id, self._plans_of(provinces)),
                    )
                )
            )
        return Counter(i["evaluation"] for i in self.db.indicators(ids=moving, as_of=as_of)) if moving else Counter()

    def missing_reports(self, provinces: Collection[str] | None, as_of: date, limit: int) -> list[dict]:
        """The latest reports not sent on `as_of` (latest first): the counts say which deadlines
        and agencies have some; only their duties' calendars are read, newest plans first."""
        counted, state = _compliance_rows(as_of)
        where = [Tally.plan_id == 0, counted, state == "missing"]
        if provinces is not None:
            where.append(Tally.province.in_(sorted(provinces)))
        with self.db.session() as s:
            buckets = s.execute(
                select(Tally.day, Tally.key).where(*where).group_by(Tally.day, Tally.key).having(func.sum(Tally.n) > 0)
            ).all()
        out: list[dict] = []
        bodies = self._bodies() if buckets else None
        for day, agency in sorted(buckets, key=lambda b: (_neg(b[0].isoformat()), _neg(b[1]))):
            out += self._missing_of(provinces, as_of, day, agency, limit - len(out), bodies)
            if len(out) >= limit:
                break
        return out[:limit]

    def _missing_of(
        self, provinces: Collection[str] | None, as_of: date, day: date, agency: str, limit: int, bodies: Any
    ) -> list[dict]:
        """One deadline's unsent reports of one agency (by name), newest plans first: the
        calendars of the plans where that agency owes a report on that day (a reporter that is
        it then, or a group duty and a lead agency that is it), read a few plans at a time."""
        plans = self._owing(provinces, day, agency, bodies)
        since = compliance_since(as_of)
        out: list[dict] = []
        for chunk in _chunks(sorted(plans, reverse=True), 16):
            # the deadlines from that day on are the calendar's own rows for it, unless a duty is
            # due more than a quarter after its period (then from where the page counts them)
            start = day if self._offsets(chunk) <= 2 else min(since, as_of - timedelta(days=31))
            rows = self.db.calendar(start, as_of + REPORTS_AHEAD, as_of=as_of, plans=chunk)
            out += sorted(
                (r for r in rows if r["agency"] == agency and r["due"] == day.isoformat() and r["state"] == "quá hạn"),
                key=missing_key,
            )
            if len(out) >= limit:
                break
        return out[:limit]

    def _bodies(self) -> tuple[dict[int, Any], list[int]]:
        """Every agency (id, name and successor: what `current_agency` follows) and the groups of
        reporters among them (`các sở, ban, ngành`), read once for a page's missing reports."""
        from .reporting import group_kind

        with self.db.session() as s:
            rows = agency_rows(s)
        return rows, sorted(i for i, r in rows.items() if group_kind(r.name))

    def _owing(
        self, provinces: Collection[str] | None, day: date, agency: str, bodies: tuple[dict[int, Any], list[int]]
    ) -> set[int]:
        """The plans (of these provinces) with a duty an agency of that name owes on that day."""
        agencies, groups = bodies
        with self.db.session() as s:
            named = sorted(i for i in agencies if current_agency(agencies, i, day).name == agency)
            plans: set[int] = set()
            live = ReportingDuty.removed_in.is_(None)
            for chunk in _chunks(named):
                q = select(ReportingDuty.plan_id).join(DutyReporter, DutyReporter.duty_id == ReportingDuty.id)
                plans.update(s.scalars(q.where(DutyReporter.agency_id.in_(chunk), live)))
            grouped: set[int] = set()
            for chunk in _chunks(groups):
                q = select(ReportingDuty.plan_id).join(DutyReporter, DutyReporter.duty_id == ReportingDuty.id)
                grouped.update(s.scalars(q.where(DutyReporter.agency_id.in_(chunk), live)))
            scoped = self._plans_of(provinces)
            if scoped is not None:
                scope = set(scoped)
                plans &= scope
                grouped &= scope
            # a group duty is owed by the plan's lead agencies: asked of those plans only
            for chunk in _chunks(sorted(grouped)):
                q = select(Task.plan_id).join(TaskAgency, TaskAgency.task_id == Task.id)
                q = q.where(Task.plan_id.in_(chunk), TaskAgency.agency_id.in_(named), TaskAgency.role == "lead")
                plans.update(s.scalars(q.where(Task.removed_in.is_(None)).distinct()))
        return plans

    def _offsets(self, plan_ids: list[int]) -> int:
        """The largest month offset of these plans' duties (a report due that long after its period)."""
        with self.db.session() as s:
            q = select(func.max(ReportingDuty.month_offset)).where(ReportingDuty.plan_id.in_(plan_ids))
            return s.scalar(q) or 0

    def search_tasks(self, words: list[str], provinces: Collection[str] | None, limit: int) -> list[int]:
        """The first tasks (by plan and position) whose words hold every one of these (folded)."""
        q = (
            select(TaskState.task_id)
            .where(
                TaskState.until.is_(None),
                TaskState.live.is_(True),
                _within(TaskState.plan_id, self._plans_of(provinces)),
                *(TaskState.hay.contains(w, autoescape=True) for w in words),
            )
            .order_by(TaskState.plan_id, TaskState.position, TaskState.task_id)
            .limit(limit)
        )
        with self.db.session() as s:
            return list(s.scalars(q))

    def search_indicators(self, words: list[str], provinces: Collection[str] | None, limit: int) -> list[int]:
        """The first indicators (by plan and position) whose name and group hold every word."""
        q = (
            select(IndicatorState.indicator_id)
            .where(
                IndicatorState.live.is_(True),
                _within(IndicatorState.plan_id, self._plans_of(provinces)),
                *(IndicatorState.hay.contains(w, autoescape=True) for w in words),
            )
            .order_by(IndicatorState.plan_id, IndicatorState.position, IndicatorState.indicator_id)
            .limit(limit)
        )
        with self.db.session() as s:
            return list(s.scalars(q))

    def department_tasks(
        self,
        names: Collection[str],
        as_of: date,
        provinces: Collection[str] | None,
        soon_days: int,
        ids: Collection[int] | None = None,
    ) -> list[dict]:
        """The tasks a department's page starts from, by its agency names (folded): those that
        lead or coordinate under one of them (or under an agency merged into one of them by
        `as_of`, or are given to every department), in brief (`_brief`: `lead` and `coordinate`
        hold the names of these agencies only, what tells the department's role). A superset:
        the page keeps what its rules say. One query per few agencies: a department's thousands
        of tasks are never listed back to the database. `ids`: only these tasks (those changed)."""
        wanted = set(names)
        scope = self._plans_of(provinces)  # once: each chunk below asks within it
        tasks: dict[int, dict] = {}
        current = aliased(TaskState)
        with self.db.session() as s:
            agencies = agency_rows(s)
            local = _local(agencies, provinces)
            named = {i for i in local if agencies[i].search in wanted or agencies[i].search == ALL_DEPARTMENTS}
            now = {i for i in local if fold(owner_name(current_agency(agencies, i, as_of))) in wanted}
            for chunk in _chunks(sorted(named | now)):
                q = (
                    select(*BRIEF, TaskAgency.role, TaskAgency.agency_id)
                    .select_from(TaskAgency)
                    .join(current, (current.task_id == TaskAgency.task_id) & current.until.is_(None))
                    .join(TaskState, TaskState.task_id == TaskAgency.task_id)
                    .where(
                        TaskAgency.agency_id.in_(chunk),
                        TaskAgency.role.in_(("lead", "coordinate")),
                        current.live.is_(True),
                        _within(current.plan_id, scope),
                        holding(as_of),
                        literal(True) if ids is None else TaskAgency.task_id.in_(sorted(ids)),
                    )
                    .order_by(TaskAgency.task_id, TaskAgency.position, TaskAgency.id)
                )
                for row in s.connection().execute(q):
                    brief = tasks.get(row.task_id) or tasks.setdefault(row.task_id, _brief(row, as_of, soon_days))
                    brief[row.role].append(agencies[row.agency_id].name)
        return list(tasks.values())

    def department_records(self, names: Collection[str], provinces: Collection[str] | None) -> dict[str, list[int]]:
        """The indicators a department monitors and the plans whose reporting duties name it, by
        its agency names (folded), as ids."""
        wanted = set(names)
        scope = self._plans_of(provinces)
        out: dict[str, list[int]] = {"indicators": [], "plans": []}
        with self.db.session() as s:
            agencies = agency_rows(s)
            for chunk in _chunks(sorted(i for i in _local(agencies, provinces) if agencies[i].search in wanted)):
                out["indicators"] += s.scalars(
                    select(IndicatorAgency.indicator_id)
                    .join(IndicatorState, IndicatorState.indicator_id == IndicatorAgency.indicator_id)
                    .where(
                        IndicatorAgency.agency_id.in_(chunk),
                        IndicatorState.live.is_(True),
                        _within(IndicatorState.plan_id, scope),
                    )
                )
                out["plans"] += s.scalars(
                    select(ReportingDuty.plan_id)
                    .join(DutyReporter, DutyReporter.duty_id == ReportingDuty.id)
                    .where(
                        DutyReporter.agency_id.in_(chunk),
                        ReportingDuty.removed_in.is_(None),
                        _within(ReportingDuty.plan_id, scope),
                    )
                )
        return {k: sorted(set(v)) for k, v in out.items()}

    def growth(self, provinces: Collection[str] | None, limit: int) -> tuple[list[dict], int]:
        """The first plans' growth charts (by plan), and how many plans have one."""
        where = [PlanState.growth.is_not(None)] + (
            [PlanState.province.in_(sorted(provinces))] if provinces is not None else []
        )
        with self.db.session() as s:
            total = s.scalar(select(func.count()).select_from(PlanState).where(*where)) or 0
            first = list(s.scalars(select(PlanState.growth).where(*where).order_by(PlanState.plan_id).limit(limit)))
        return [g for g in first if g], total


@dataclass
class Parts:
    """What a dashboard adds up over its plans, as of one date."""

    counts: Counter = field(default_factory=Counter)  # status → tasks
    heat: Counter = field(default_factory=Counter)  # (department, status) → tasks
    groups: Counter = field(default_factory=Counter)  # (province or plan id, status) → tasks
    evaluations: Counter = field(default_factory=Counter)  # evaluation → indicators
    compliance: Counter = field(default_factory=Counter)  # (agency, due|on_time|late|missing) → reports

    def without_zeros(self) -> Parts:
        for c in (self.counts, self.heat, self.groups, self.evaluations, self.compliance):
            for key in [key for key, k in c.items() if not k]:
                del c[key]
        return self


class Summaries(_Readers):
    """The summaries of one register: kept current by its writes (in their transaction), and
    read by the pages (`Database.summaries`)."""

    def __init__(self, db: Database) -> None:
        self.db = db

    # --- tasks ---

    def current_spans(self, s: Session, task_ids: Collection[int]) -> dict[int, list[TaskState]]:
        out: dict[int, list[TaskState]] = defaultdict(list)
        for chunk in _chunks(_ids(task_ids)):
            for st in s.scalars(
                select(TaskState).where(TaskState.task_id.in_(chunk)).order_by(TaskState.task_id, TaskState.id)
            ):
                out[st.task_id].append(st)
        return out

    def refresh_tasks(self, s: Session, task_ids: Collection[int]) -> None:
        """Compute these tasks' spans again from their rows, and their counts with them."""
        ids = _ids(task_ids)
        if not ids:
            return
        tasks = [t for c in _chunks(ids) for t in s.execute(select(*TASK_COLUMNS).where(Task.id.in_(c)))]
        raw = load_raw(s, tasks)
        old = self.current_spans(s, ids)
        provinces = {p.id: p.province or "" for p in raw.plans.values()}
        before: list[Key] = []
        after: list[Key] = []
        rows: list[dict] = []
        for t in tasks:
            province = provinces[t.plan_id]
            before += [k for st in old.get(t.id, []) if st.until is None for k in task_keys(province, st)]
            new = state_rows(t, t.removed_in is None, spans(raw, t), hay(t, raw.names.get(t.id, [])))
            after += [k for r in new if r["until"] is None for k in task_keys(province, Fields(r))]
            rows += new
        for chunk in _chunks(ids):
            s.execute(delete(TaskState).where(TaskState.task_id.in_(chunk)))
        if rows:
            s.execute(STATES.insert(), rows)
        change(s, before, after)
        latest: dict[int, date] = {}
        for r in rows:
            if r["until"] is None and r["since"] is not None:
                latest[r["plan_id"]] = max(latest.get(r["plan_id"], r["since"]), r["since"])
        self.fresh_from(s, latest)

    def agencies_moved(self, s: Session, agency_ids: Collection[int]) -> None:
        """Agencies whose successor changed: the tasks led by them or by any agency whose chain
        passes through them are named differently from the day of the merger."""
        moved = set(agency_ids)
        successor = dict(s.execute(select(Agency.id, Agency.successor_id)).all())
        reached: set[int] = set()
        for start in successor:
            seen, a = set(), start
            while a is not None and a not in seen:
                if a in moved:
                    reached.add(start)
                    break
                seen.add(a)
                a = successor.get(a)  # type: ignore[assignment]
        tasks = [
            t
            for c in _chunks(sorted(reached))
            for t in s.scalars(
                select(TaskAgency.task_id).where(TaskAgency.agency_id.in_(c), TaskAgency.role == "lead").distinct()
            )
        ]
        self.refresh_tasks(s, tasks)
        plans = {p for c in _chunks(tasks) for p in s.scalars(select(Task.plan_id).where(Task.id.in_(c)).distinct())}
        for c in _chunks(sorted(reached)):  # who owes a report, and to whom, moves with mergers too
            plans.update(
                s.scalars(
                    select(ReportingDuty.plan_id)
                    .join(DutyReporter, DutyReporter.duty_id == ReportingDuty.id, isouter=True)
                    .where(or_(DutyReporter.agency_id.in_(c), ReportingDuty.recipient_id.in_(c)))
                    .distinct()
                )
            )
        self.refresh_reports(s, plans)

    def fresh_from(self, s: Session, days: dict[int, date]) -> None:
        """Counts of these plans hold from these days on (a later day only moves it forward)."""
        for plan_id, day in days.items():
            s.execute(
                update(PlanState)
                .where(PlanState.plan_id == plan_id, or_(PlanState.fresh_from.is_(None), PlanState.fresh_from < day))
                .values(fresh_from=day)
            )

    # --- indicators ---

    def refresh_indicators(
        self, s: Session, plan_ids: Collection[int], indicator_ids: Collection[int] | None = None
    ) -> None:
        """Compute these plans' indicators again (or only these indicators), their evaluation
        counts and the plans' growth."""
        plans = _ids(plan_ids)
        old = {
            st.indicator_id: st
            for c in _chunks(plans)
            for st in s.scalars(select(IndicatorState).where(IndicatorState.plan_id.in_(c)))
            if indicator_ids is None or st.indicator_id in indicator_ids
        }
        new = self.db.indicator_states(plans=plans, ids=indicator_ids)
        provinces = dict(s.execute(select(Plan.id, Plan.province).where(Plan.id.in_(plans))).all()) if plans else {}
        before = [k for st in old.values() for k in indicator_keys(provinces.get(st.plan_id) or "", st)]
        after = [k for st in new for k in indicator_keys(provinces.get(st["plan_id"]) or "", Fields(st))]
        if old:
            for chunk in _chunks(list(old)):
                s.execute(delete(IndicatorState).where(IndicatorState.indicator_id.in_(chunk)))
        if new:
            s.execute(INDICATOR_STATES.insert(), new)
        change(s, before, after)
        self.fresh_from(s, {pid: max(vs) for pid, vs in _group_days(new).items()})
        self.refresh_growth(s, plans)

    def refresh_growth(self, s: Session, plan_ids: list[int]) -> None:
        scenarios = self.db.scenarios(plans=plan_ids)
        for pid in plan_ids:
            if pid not in scenarios:
                continue
            inds = [
                st.data
                for st in s.scalars(
                    select(IndicatorState)
                    .where(IndicatorState.plan_id == pid, IndicatorState.live.is_(True))
                    .order_by(IndicatorState.position, IndicatorState.indicator_id)
                )
            ]
            s.execute(
                update(PlanState).where(PlanState.plan_id == pid).values(growth=growth(pid, scenarios[pid], inds))
            )

    # --- reporting duties ---

    def refresh_reports(self, s: Session, plan_ids: Collection[int]) -> None:
        """Count these plans' reporting deadlines again (a report sent, a duty edited, a span
        widened), against what they counted for (kept with each plan)."""
        for p in _plan_states(s, plan_ids):
            before = _stored_keys(p.province, p.reports)
            change(s, before, self._count_reports(s, p).elements())

    def _count_reports(self, s: Session, p: PlanState) -> Counter[Key]:
        """A plan's reporting deadlines in its span, counted and kept with it (not in the tally)."""
        rows = _report_rows(self.db, [p.plan_id], p.reports_from, p.reports_until).get(p.plan_id, [])
        counted = Counter(report_keys(p.province, rows))
        p.reports = [[k[3], k[4], *(d.isoformat() for d in k[5:]), n] for k, n in sorted(counted.items())]
        s.flush()
        return counted

    # --- whole plans ---

    def plan_keys(self, s: Session, plan_ids: list[int]) -> list[Key]:
        """Everything these plans count for now, from their stored states."""
        states = {
            p.plan_id: p
            for c in _chunks(plan_ids)
            for p in s.scalars(select(PlanState).where(PlanState.plan_id.in_(c)))
        }
        keys: list[Key] = []
        for chunk in _chunks(list(states)):
            for st in s.scalars(select(TaskState).where(TaskState.plan_id.in_(chunk), TaskState.until.is_(None))):
                keys += task_keys(states[st.plan_id].province, st)
            for ind in s.scalars(select(IndicatorState).where(IndicatorState.plan_id.in_(chunk))):
                keys += indicator_keys(states[ind.plan_id].province, ind)
        for ps in states.values():
            keys += _stored_keys(ps.province, ps.reports)
        return keys

    def forget(self, s: Session, plan_ids: Collection[int]) -> None:
        """Take these plans out of the summaries (their counts, their states): until they are
        summarised again (`refresh_plans`, `ensure`), the pages add them up from their rows."""
        ids = _ids(plan_ids)
        change(s, self.plan_keys(s, ids), [])
        for chunk in _chunks(ids):
            for table in (TaskState, IndicatorState, PlanState):
                s.execute(delete(table).where(table.plan_id.in_(chunk)))

    def refresh_plans(self, s: Session, plan_ids: Collection[int], today: date) -> None:
        """Compute these plans' summaries again from the register's own rows (after an ingest)."""
        ids = _ids(plan_ids)
        if not ids:
            return
        before = self.plan_keys(s, ids)
        for chunk in _chunks(ids):
            s.execute(delete(TaskState).where(TaskState.plan_id.in_(chunk)))
            s.execute(delete(IndicatorState).where(IndicatorState.plan_id.in_(chunk)))
            s.execute(delete(PlanState).where(PlanState.plan_id.in_(chunk)))
        self._store_plans(s, ids, today)
        change(s, before, self.plan_keys(s, ids))

    def _store_plans(self, s: Session, ids: list[int], today: date) -> None:
        """The states of these plans (which have none), without their counts."""
        plans = {p.id: p for c in _chunks(ids) for p in s.scalars(select(Plan).where(Plan.id.in_(c)))}
        frequency = plan_frequencies(s, ids)
        for pid in ids:
            p = plans[pid]
            first, last = report_span(p.issued_date, today)
            s.add(PlanState(plan_id=pid, province=p.province or "", fresh_from=None, reports_from=first,
                            reports_until=last, frequency=frequency.get(pid, "quarterly"), growth=None))  # fmt: skip
        s.flush()
        tasks = [
            t
            for c in _chunks(ids)
            for t in s.execute(select(*TASK_COLUMNS).where(Task.plan_id.in_(c)).order_by(Task.id))
        ]
        raw = load_raw(s, tasks)
        rows = [
            r
            for t in tasks
            for r in state_rows(t, t.removed_in is None, spans(raw, t), hay(t, raw.names.get(t.id, [])))
        ]
        for chunk in _chunks(rows, 2000):
            s.execute(STATES.insert(), chunk)
        inds = self.db.indicator_states(plans=ids)
        for chunk in _chunks(inds, 1000):
            s.execute(INDICATOR_STATES.insert(), chunk)
        latest: dict[int, date] = {}
        for r in rows:
            if r["until"] is None and r["since"] is not None:
                latest[r["plan_id"]] = max(latest.get(r["plan_id"], r["since"]), r["since"])
        for pid, days in _group_days(inds).items():
            latest[pid] = max([*days, *([latest[pid]] if pid in latest else [])])
        self.fresh_from(s, latest)
        self.refresh_growth(s, ids)
        for ps in _plan_states(s, ids):
            self._count_reports(s, ps)

    def extend_reports(self, s: Session, plan_ids: Collection[int], first: date, last: date) -> None:
        """Widen these plans' reporting span to hold [first, last] (a date asked outside it)."""
        states = _plan_states(s, plan_ids)
        narrow = [p for p in states if p.reports_from > first or p.reports_until < last]
        for p in narrow:
            p.reports_from, p.reports_until = min(p.reports_from, first), max(p.reports_until, last)
        if narrow:
            s.flush()
            self.refresh_reports(s, [p.plan_id for p in narrow])

    def rebuild(self, today: date, batch: int = 200) -> int:
        """Everything again from the register's own rows, a batch of plans per transaction (an
        interruption leaves plans without states, which `ensure` completes); returns the plans."""
        with self.db.writing() as s:
            for table in (Tally, TaskState, IndicatorState, PlanState):
                s.execute(delete(table))
            ids = list(s.scalars(select(Plan.id).order_by(Plan.province, Plan.id)))
        for chunk in _chunks(ids, batch):
            with self.db.writing() as s:
                self._store_plans(s, chunk, today)
                apply(s, Counter(self.plan_keys(s, chunk)))
        return len(ids)

    def ensure(self, today: date, batch: int = 200) -> int:
        """Summarise the plans that have no summary yet (a register migrated to 0005, an
        interrupted rebuild); returns how many."""
        with self.db.session() as s:
            ids = list(s.scalars(select(Plan.id).where(Plan.id.not_in(select(PlanState.plan_id))).order_by(Plan.id)))
        for chunk in _chunks(ids, batch):
            with self.db.writing() as s:
                self.refresh_plans(s, chunk, today)
        return len(ids)


class Fields:
    """A dict read as attributes (a new state row where a stored one is expected)."""

    def __init__(self, d: dict) -> None:
        self.__dict__.update(d)
        self.owners = tuple(d.get("owners") or ())


def _group_days(states: list[dict]) -> dict[int, list[date]]:
    out: dict[int, list[date]] = defaultdict(list)
    for st in states:
        if st["valid_from"] is not None:
            out[st["plan_id"]].append(st["valid_from"])
    return out


def _plan_states(s: Session, plan_ids: Collection[int]) -> list[PlanState]:
    return [p for c in _chunks(_ids(plan_ids)) for p in s.scalars(select(PlanState).where(PlanState.plan_id.in_(c)))]


def plan_frequencies(s: Session, plan_ids: list[int]) -> dict[int, str]:
    """The period of each plan's recurring tasks: its first periodic reporting duty's."""
    out: dict[int, str] = {}
    for chunk in _chunks(plan_ids):
        for pid, freq in s.execute(
            select(ReportingDuty.plan_id, ReportingDuty.frequency)
            .where(ReportingDuty.plan_id.in_(chunk), ReportingDuty.removed_in.is_(None))
            .order_by(ReportingDuty.plan_id, ReportingDuty.position, ReportingDuty.id)
        ):
            if freq in ("monthly", "quarterly", "semiannual", "annual"):
                out.setdefault(pid, freq)
    return out
