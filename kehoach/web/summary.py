"""What the pages add up over many plans, read from the summaries kept in the database.

A dashboard over many plans (a province's, the country's) reads the counts and the first
items of each list from `store/summaries.py`: every server process reads the same numbers, a
page right after a change costs what it cost before it, and a restart costs nothing. For one
plan, or a date the stored counts do not hold for (`Summaries.holds`: a date before a plan's
latest change), the same figures are added up from the plans' tasks, indicators and reports
as of that date (`PlanSummary`); both ways give the same page (`tests/test_web_summary.py`).
"""

from __future__ import annotations

import functools
import heapq
import itertools
from collections import Counter, defaultdict
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from ..store import Database
from ..store.summaries import (
    ALL_DEPARTMENTS,
    REPORTS_AHEAD,
    UNASSIGNED,
    Parts,
    compliance_since,
    departments,
    due_key,
    growth,
    growth_indicators,
    indicator_key,
    missing_key,
)
from ..track import Status
from ..vn import fold as _fold_text

__all__ = [
    "ALL_DEPARTMENTS",
    "UNASSIGNED",
    "STATUS_ORDER",
    "Figures",
    "PlanSummary",
    "brief",
    "brief_indicator",
    "build",
    "compliance_since",
    "due_key",
    "figures",
    "fold",
    "growth",
    "growth_indicators",
    "indicator_key",
    "missing_key",
    "read_briefs",
]

STATUS_ORDER = [s.value for s in Status if s is not Status.NOT_STARTED]
# Agency names repeat across requests: fold each once.
_fold_remembered = functools.lru_cache(maxsize=65536)(_fold_text)
FOLD_REMEMBERED = 120  # characters: agency names are shorter; a longer text (a search, a title) is folded anew


def fold(text: str) -> str:
    """`vn.fold`, remembered for names: what requests send cannot fill the cache with long keys."""
    return _fold_remembered(text) if len(text) <= FOLD_REMEMBERED else _fold_text(text)


# The lists a dashboard shows the first few of: the summary's attribute, its order, how many.
LIST_LIMIT = 200
LISTS = {
    "overdue": (due_key, LIST_LIMIT),
    "due_soon": (due_key, LIST_LIMIT),
    "ranked": (indicator_key, LIST_LIMIT),
    "missing": (missing_key, 50),
}
CHART_LIMIT = 12  # growth charts on one dashboard


def brief(t: dict) -> dict:
    keys = (
        "id",
        "plan_id",
        "plan",
        "position",
        "text",
        "lead",
        "owner_now",
        "due",
        "status",
        "percent",
        "state",
        "deadline_text",
    )
    return {k: t.get(k) for k in keys}


def brief_indicator(i: dict) -> dict:
    keys = (
        "id",
        "plan_id",
        "plan",
        "group",
        "name",
        "year",
        "comparator",
        "target",
        "min",
        "max",
        "unit",
        "latest",
        "evaluation",
        "share_of_target",
        "projection",
        "hard_to_meet",
        "agency",
    )
    return {k: i.get(k) for k in keys}


# --- one plan, added up from its tasks ------------------------------------------------------------


@dataclass(eq=False)
class PlanSummary:
    """What the pages need of one plan as of one date, from its tasks, indicators and reports."""

    plan_id: int
    as_of: date
    tasks: list[dict]
    indicators: list[dict]
    reports: list[dict]  # reporting deadlines from January of last year to REPORTS_AHEAD
    growth: dict | None
    names: dict[str, list[int]] = field(default_factory=dict)  # folded agency name → task positions
    shared: list[int] = field(default_factory=list)  # tasks led by every department
    counts: Counter = field(default_factory=Counter)  # status → tasks
    heat: Counter = field(default_factory=Counter)  # (department, status) → tasks
    evaluations: Counter = field(default_factory=Counter)
    compliance: Counter = field(default_factory=Counter)  # (agency, due|on_time|late|missing) → reports
    overdue: list[dict] = field(default_factory=list)
    due_soon: list[dict] = field(default_factory=list)
    missing: list[dict] = field(default_factory=list)
    ranked: list[dict] = field(default_factory=list)  # indicators, what needs attention first

    def __post_init__(self) -> None:
        for n, t in enumerate(self.tasks):
            status = t["status"]
            self.counts[status] += 1
            for d in departments(tuple(t["owner_now"])):
                self.heat[d, status] += 1
            for a in {fold(a) for a in (*t["lead"], *t["owner_now"], *t["coordinate"])}:
                self.names.setdefault(a, []).append(n)
            if any(fold(a) == ALL_DEPARTMENTS for a in t["lead"]):
                self.shared.append(n)
        self.overdue = sorted((brief(t) for t in self.tasks if t["status"] == Status.OVERDUE.value), key=due_key)
        self.due_soon = sorted((brief(t) for t in self.tasks if t["status"] == Status.DUE_SOON.value), key=due_key)
        self.evaluations = Counter(i["evaluation"] for i in self.indicators)
        self.ranked = sorted((brief_indicator(i) for i in self.indicators), key=indicator_key)
        # reports due since January of last year count for compliance (an ended period whose
        # report is not due yet is left out)
        since, until = compliance_since(self.as_of).isoformat(), self.as_of.isoformat()
        for r in self.reports:
            if r["due"] < since or r["due"] > until or r["state"] == "sắp tới":
                continue
            key = {"đúng hạn": "on_time", "trễ hạn": "late"}.get(r["state"], "missing")
            self.compliance[r["agency"], "due"] += 1
            self.compliance[r["agency"], key] += 1
            if key == "missing":
                self.missing.append(r)
        self.missing.sort(key=missing_key)

    def mine(self, *names: str) -> Iterator[dict]:
        """Tasks naming any of these agencies (folded), or given to every department."""
        seen: set[int] = set()
        for n in itertools.chain(*(self.names.get(a, ()) for a in names), self.shared):
            if n not in seen:
                seen.add(n)
                yield self.tasks[n]


def build(db: Database, as_of: date, plan_ids: Collection[int]) -> dict[int, PlanSummary]:
    """Summaries of these plans as of a date, read in a few queries."""
    ids = sorted(plan_ids)
    tasks, inds, reports = defaultdict(list), defaultdict(list), defaultdict(list)
    for t in db.tasks(plans=ids, as_of=as_of):
        tasks[t["plan_id"]].append(t)
    for i in db.indicators(plans=ids, as_of=as_of):
        inds[i["plan_id"]].append(i)
    start = min(compliance_since(as_of), as_of - timedelta(days=31))
    for r in db.calendar(start, as_of + REPORTS_AHEAD, as_of=as_of, plans=ids):
        reports[r["plan_id"]].append(r)
    scenarios = db.scenarios(plans=ids)
    return {
        pid: PlanSummary(pid, as_of, tasks[pid], inds[pid], reports[pid], growth(pid, scenarios.get(pid), inds[pid]))
        for pid in ids
    }


def merged(lists: Iterable[list[dict]], key: Callable[[dict], Any], limit: int) -> list[dict]:
    """The first `limit` items of sorted lists, in order."""
    return list(itertools.islice(heapq.merge(*(x for x in lists if x), key=key), limit))


# --- a dashboard's figures, either way ------------------------------------------------------------


@dataclass
class Figures:
    """A dashboard's counts (`parts`), the first items of its lists and its growth charts."""

    parts: Parts
    lists: dict[str, list[dict]]
    growth: list[dict]
    growth_total: int


Cache = Callable[[str, Callable[[], Any], tuple[str, ...]], Any]
"""`cache(name, compute, kinds)`: `compute()`, or what it gave before if no record of these kinds
changed since (`views.Register.cached`)."""


def _computed(name: str, compute: Callable[[], Any], kinds: tuple[str, ...]) -> Any:
    return compute()


Briefs = Callable[[list[int]], list[dict]]
"""`briefs(ids)`: these tasks in brief (`brief`), as of the date asked, read whole or held."""


def read_briefs(db: Database, as_of: date) -> Briefs:
    return lambda ids: [brief(t) for t in db.tasks(ids=ids, as_of=as_of)]


def figures(
    db: Database,
    as_of: date,
    plans: dict[int, str],
    provinces: Collection[str] | None,
    group: Callable[[str], Any],
    by_plan: bool,
    cache: Cache = _computed,
    briefs: Briefs | None = None,
) -> Figures:
    """The figures of these plans (plan id → its province; all the plans of `provinces`, None:
    every plan) on `as_of`, grouped per plan (`by_plan`) or per `group(province)`: from the
    stored counts when they hold for that date and the plans are many, else plan by plan."""
    if len(plans) > 1 and db.summaries.holds(provinces, as_of):
        return stored_figures(db, as_of, provinces, group, by_plan, cache, briefs)
    sums = build(db, as_of, plans)
    return added_figures(sums, lambda pid: pid if by_plan else group(plans[pid]))


def stored_figures(
    db: Database,
    as_of: date,
    provinces: Collection[str] | None,
    group: Callable[[str], Any],
    by_plan: bool,
    cache: Cache = _computed,
    briefs: Briefs | None = None,
) -> Figures:
    """Read in three parts, each kept by `cache` until a record of its kind changes: a task's
    update does not read the indicators' and the reports' figures again."""
    read = briefs or read_briefs(db, as_of)
    tasks = cache("tasks", lambda: _task_figures(db, as_of, provinces, by_plan, read), ("task",))
    indicators = cache("indicators", lambda: _indicator_figures(db, as_of, provinces), ("indicator",))
    reports = cache("reports", lambda: _report_figures(db, as_of, provinces), ("duty",))
    parts = Parts(tasks.counts, tasks.heat, tasks.groups, indicators["evaluations"], reports["compliance"])
    if not by_plan:
        regrouped: Counter = Counter()
        for (province, status), n in parts.groups.items():
            regrouped[group(province), status] += n
        parts.groups = regrouped
    lists = tasks.lists | {"ranked": indicators["ranked"], "missing": reports["missing"]}
    return Figures(parts, lists, *indicators["growth"])


@dataclass
class _TaskFigures:
    counts: Counter
    heat: Counter
    groups: Counter
    lists: dict[str, list[dict]]


def _task_figures(
    db: Database, as_of: date, provinces: Collection[str] | None, by_plan: bool, briefs: Briefs
) -> _TaskFigures:
    found = db.summaries
    parts = found.task_parts(provinces, as_of, db.soon_days, by_plan=by_plan)
    lists = {}
    for name, soon in (("overdue", False), ("due_soon", True)):
        ids = found.open_tasks(provinces, as_of, db.soon_days, soon=soon, limit=LIST_LIMIT)
        lists[name] = sorted(briefs(ids), key=due_key)
    return _TaskFigures(parts.counts, parts.heat, parts.groups, lists)


def _indicator_figures(db: Database, as_of: date, provinces: Collection[str] | None) -> dict[str, Any]:
    found = db.summaries
    return {
        "evaluations": found.evaluations(provinces, as_of) + found.moving_evaluations(provinces, as_of),
        "ranked": [brief_indicator(i) for i in found.ranked_indicators(provinces, as_of, LIST_LIMIT)],
        "growth": found.growth(provinces, CHART_LIMIT),
    }


def _report_figures(db: Database, as_of: date, provinces: Collection[str] | None) -> dict[str, Any]:
    found = db.summaries
    return {
        "compliance": found.compliance(provinces, as_of),
        "missing": found.missing_reports(provinces, as_of, LISTS["missing"][1]),
    }


def added_figures(sums: dict[int, PlanSummary], group: Callable[[int], Any]) -> Figures:
    parts = Parts()
    for s in sums.values():
        g = group(s.plan_id)
        for mine, theirs in (
            (parts.counts, s.counts),
            (parts.heat, s.heat),
            (parts.evaluations, s.evaluations),
            (parts.compliance, s.compliance),
        ):
            mine.update(theirs)
        for status, n in s.counts.items():
            parts.groups[g, status] += n
    lists = {name: merged((getattr(s, name) for s in sums.values()), k, lim) for name, (k, lim) in LISTS.items()}
    charts = [sums[pid].growth for pid in sorted(sums) if sums[pid].growth]
    return Figures(parts, lists, [g for g in charts[:CHART_LIMIT] if g], len(charts))
