"""Each plan's part of the pages as of a date, kept current plan by plan.

A page over many plans (a province's dashboard, a department's tasks, the country's
dashboard) merges per-plan summaries. Every write is audited, so the audit log says which
plans changed, and only their summaries are computed again: a page right after a change
costs one plan's summary and the merge, not a read of the whole register. Counts over a
scope (a province, the country) are kept as running totals, corrected by the plans that
changed since they were last asked for.
"""

from __future__ import annotations

import functools
import gc
import heapq
import itertools
import logging
import threading
from collections import Counter, OrderedDict, defaultdict
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import func, select

from ..store import AuditEntry, Database, Indicator, Plan, ReportingDuty, Task
from ..store.web import session
from ..track import Evaluation, Status
from ..track.growth import GrowthError, index_to_percent, parse_scenario
from ..vn import fold as _fold_text

log = logging.getLogger(__name__)
STATUS_ORDER = [s.value for s in Status if s is not Status.NOT_STARTED]
UNASSIGNED = "(chưa giao)"
ALL_DEPARTMENTS = _fold_text("Các sở, ban, ngành")  # the registry's collective name for every department
REPORTS_AHEAD = timedelta(days=60)  # reporting deadlines "my tasks" shows ahead
# Agency names and task texts repeat across requests: fold each once.
fold = functools.lru_cache(maxsize=65536)(_fold_text)

# Rank of an indicator's evaluation on the dashboard: what needs attention first.
EVALUATION_RANK = {
    e.value: n
    for n, e in enumerate(
        (Evaluation.MISSED, Evaluation.NO_DATA, Evaluation.NOT_DUE, Evaluation.MET, Evaluation.EXCEEDED)
    )
}


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


@functools.lru_cache(maxsize=4096)
def departments(owners: tuple[str, ...]) -> tuple[str, ...]:
    """`Sở Tài chính (Vĩnh Long)` → `Sở Tài chính`; no lead: `(chưa giao)`."""
    return tuple(n.removesuffix(")").rsplit(" (", 1)[0] for n in owners) or (UNASSIGNED,)


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
    top = max([abs(p[x] or 0) for r in rows[:1] for p in r["periods"] for x in ("planned", "actual")] + [1])
    return {"plan_id": plan_id, "title": sc.title, "rows": rows, "max": top}


# --- one plan -----------------------------------------------------------------------------------


@dataclass(eq=False)
class PlanSummary:
    """What the pages need of one plan as of one date."""

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
    reporters: dict[str, list[dict]] = field(default_factory=dict)  # folded agency → its reports
    hay: list[str] = field(default_factory=list)  # each task's words to search, folded
    indicator_hay: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        for n, t in enumerate(self.tasks):
            status = t["status"]
            self.counts[status] += 1
            for d in departments(tuple(t["owner_now"])):
                self.heat[d, status] += 1
            named = {fold(a) for a in (*t["lead"], *t["owner_now"], *t["coordinate"])}
            for a in named:
                self.names.setdefault(a, []).append(n)
            if any(fold(a) == ALL_DEPARTMENTS for a in t["lead"]):
                self.shared.append(n)
            self.hay.append(_fold_text(" ".join([t["section"] or "", t["text"], *t["lead"], *t["coordinate"]])))
        self.indicator_hay = [_fold_text(f"{i['name']} {i['group'] or ''}") for i in self.indicators]
        self.overdue = sorted((brief(t) for t in self.tasks if t["status"] == Status.OVERDUE.value), key=due_key)
        self.due_soon = sorted((brief(t) for t in self.tasks if t["status"] == Status.DUE_SOON.value), key=due_key)
        self.evaluations = Counter(i["evaluation"] for i in self.indicators)
        self.ranked = sorted((brief_indicator(i) for i in self.indicators), key=indicator_key)
        # reports due since January of last year count for compliance (an ended period whose
        # report is not due yet is left out)
        since, until = compliance_since(self.as_of).isoformat(), self.as_of.isoformat()
        for r in self.reports:
            self.reporters.setdefault(fold(r["agency"]), []).append(r)
            if r["due"] < since or r["due"] > until or r["state"] == "sắp tới":
                continue
            key = {"đúng hạn": "on_time", "trễ hạn": "late"}.get(r["state"], "missing")
            self.compliance[r["agency"], "due"] += 1
            self.compliance[r["agency"], key] += 1
            if key == "missing":
                self.missing.append(r)
        self.missing.sort(key=missing_key)

    @functools.cached_property
    def hay_all(self) -> str:
        """All of the plan's words to search: a plan without every word is passed over at once."""
        return "\n".join(self.hay + self.indicator_hay)

    def search(self, words: list[str]) -> tuple[list[dict], list[dict]]:
        """Tasks and indicators holding every (folded) word."""
        if not all(w in self.hay_all for w in words):
            return [], []
        return (
            [self.tasks[n] for n, hay in enumerate(self.hay) if all(w in hay for w in words)],
            [self.indicators[n] for n, hay in enumerate(self.indicator_hay) if all(w in hay for w in words)],
        )

    def mine(self, *names: str) -> Iterator[dict]:
        """Tasks naming any of these agencies (folded), or given to every department."""
        seen: set[int] = set()
        for n in itertools.chain(*(self.names.get(a, ()) for a in names), self.shared):
            if n not in seen:
                seen.add(n)
                yield self.tasks[n]


def build(
    db: Database, as_of: date, plan_ids: Collection[int], scenarios: dict[int, list[dict]]
) -> dict[int, PlanSummary]:
    """Summaries of these plans, read in a few queries."""
    ids = sorted(plan_ids)
    tasks, inds, reports = defaultdict(list), defaultdict(list), defaultdict(list)
    for t in db.tasks(plans=ids, as_of=as_of):
        tasks[t["plan_id"]].append(t)
    for i in db.indicators(plans=ids, as_of=as_of):
        inds[i["plan_id"]].append(i)
    start = min(compliance_since(as_of), as_of - timedelta(days=31))
    for r in db.calendar(start, as_of + REPORTS_AHEAD, as_of=as_of, plans=ids):
        reports[r["plan_id"]].append(r)
    return {
        pid: PlanSummary(pid, as_of, tasks[pid], inds[pid], reports[pid], growth(pid, scenarios.get(pid), inds[pid]))
        for pid in ids
    }


# --- the cache ----------------------------------------------------------------------------------


class Summaries:
    """Plan summaries per date, recomputed only for the plans the audit log says changed.

    A transaction may take an audit id below another's and commit after it: each look at
    the log rereads the last `lookback` ids, so such a late entry is still seen.
    """

    def __init__(self, days: int = 3, lookback: int = 256, chunk: int = 500) -> None:
        self.days, self.lookback, self.chunk = days, lookback, chunk
        self._cache: OrderedDict[date, dict[int, PlanSummary]] = OrderedDict()
        self._seen: set[int] = set()
        self._top = -1
        self._seq = 0  # counts invalidations; a summary computed across one is not kept
        self._stale_at: dict[int, int] = {}
        self._all_stale_at = 0
        self._lock = threading.Lock()
        self._scenarios: dict[int, list[dict]] | None = None
        self._totals: OrderedDict[Any, Totals] = OrderedDict()

    def totals(self, key: Any, group: Callable[[int], Any], size: int = 64) -> Totals:
        """Running totals for one scope (as of one date), made on first use."""
        with self._lock:
            t = self._totals.get(key)
            if t is None:
                t = self._totals[key] = Totals(group)
                while len(self._totals) > size:
                    self._totals.popitem(last=False)
            self._totals.move_to_end(key)
            return t

    def get(self, db: Database, as_of: date, plan_ids: Iterable[int]) -> dict[int, PlanSummary]:
        self.refresh(db)
        wanted = list(plan_ids)
        with self._lock:
            have = self._cache.setdefault(as_of, {})
            self._cache.move_to_end(as_of)
            # other dates come and go; today's and tomorrow's stay
            current = {date.today(), date.today() + timedelta(days=1)}
            for day in [d for d in self._cache if d not in current][: max(0, len(self._cache) - self.days)]:
                del self._cache[day]
            found = {p: have[p] for p in wanted if p in have}
            missing = [p for p in wanted if p not in have]
            seq, scenarios = self._seq, self._scenarios
        if scenarios is None and missing:
            scenarios = db.scenarios()
        for i in range(0, len(missing), self.chunk):
            built = build(db, as_of, missing[i : i + self.chunk], scenarios or {})
            found.update(built)
            with self._lock:
                if self._all_stale_at > seq:
                    continue  # changed while being read: this request shows it, the next rereads
                self._scenarios = self._scenarios or scenarios
                have.update((p, s) for p, s in built.items() if self._stale_at.get(p, 0) <= seq)
        return {p: found[p] for p in wanted if p in found}

    def refresh(self, db: Database) -> None:
        """Drop the summaries of plans with audit entries not seen yet."""
        with session(db) as s:
            top = s.scalar(select(func.max(AuditEntry.id))) or 0
            with self._lock:
                first = self._top < 0 or top < self._top  # first look, or another database
                seen, floor = self._seen, max((top if first else self._top) - self.lookback, 0)
            rows = s.execute(
                select(AuditEntry.id, AuditEntry.entity, AuditEntry.entity_id).where(AuditEntry.id > floor)
            ).all()
            new = [] if first else [r for r in rows if r[0] not in seen]
            plans = _plans_of(s, new) if new else set()
        with self._lock:
            self._top = top if first else max(top, self._top)
            self._seen = {r[0] for r in rows if r[0] > self._top - self.lookback}
            if not (first or new):
                return
            self._seq += 1
            if first or plans is None:
                self._all_stale_at = self._seq
                self._stale_at.clear()
                self._cache.clear()
                self._scenarios = None
                return
            for pid in plans:
                self._stale_at[pid] = self._seq
                for have in self._cache.values():
                    have.pop(pid, None)
            if any(e == "plan" for _, e, _ in new):
                self._scenarios = None


def _plans_of(s: Any, entries: list[tuple[int, str, int]]) -> set[int] | None:
    """The plans audit entries are about; None when one changes every plan (an agency's successor)."""
    by_kind: dict[str, set[int]] = defaultdict(set)
    for _, entity, entity_id in entries:
        by_kind[entity].add(entity_id)
    if "agency" in by_kind:
        return None
    plans = set(by_kind.get("plan", ()))
    for kind, model in (("task", Task), ("indicator", Indicator), ("duty", ReportingDuty)):
        ids = sorted(by_kind.get(kind, ()))
        for i in range(0, len(ids), 500):
            plans.update(s.scalars(select(model.plan_id).where(model.id.in_(ids[i : i + 500]))))
    return plans


def keep_warm(db: Database, summaries: Summaries, stop: threading.Event, every: float = 60.0) -> None:
    """Compute today's summaries of every plan before anyone asks, then again each `every`
    seconds (the plans that changed); in the last quarter of an hour, tomorrow's too, so the
    first pages of a new day do not wait for a whole register to be read."""
    first = True
    while True:
        try:
            now = datetime.now()
            with session(db) as s:
                ids = list(s.scalars(select(Plan.id)))
            summaries.get(db, now.date(), ids)
            if now.hour == 23 and now.minute >= 45:
                summaries.get(db, now.date() + timedelta(days=1), ids)
            if first:
                # The register read once, millions of long-lived objects: left to the cyclic
                # collector, each full collection would walk them all (seconds, at random
                # requests). Summaries hold no cycles: those replaced later are still freed.
                gc.collect()
                gc.freeze()
                first = False
        except Exception:  # the database may be away for a while: the pages say so, this waits
            log.warning("không tính trước được số liệu tổng hợp", exc_info=True)
        if stop.wait(every):
            return


# --- totals over a scope ------------------------------------------------------------------------


# The lists a dashboard shows the first few of: the summary's attribute, its order, how many.
LIST_LIMIT = 200
LISTS = {
    "overdue": (due_key, LIST_LIMIT),
    "due_soon": (due_key, LIST_LIMIT),
    "ranked": (indicator_key, LIST_LIMIT),
    "missing": (missing_key, 50),
}


class Totals:
    """Counts summed over many plans, kept by adding and taking away the plans that changed;
    and the first items of each list, merged per group (a plan, or a province) and kept until
    one of the group's plans changes."""

    def __init__(self, group: Callable[[int], Any]) -> None:
        self.group = group  # plan id → its row on the dashboard (the plan, or its province)
        self.parts: dict[int, PlanSummary] = {}
        self.members: dict[Any, set[int]] = defaultdict(set)
        self.tops: dict[Any, dict[str, list[dict]]] = {}  # group → list name → its first items
        self.counts: Counter = Counter()
        self.heat: Counter = Counter()
        self.groups: Counter = Counter()
        self.evaluations: Counter = Counter()
        self.compliance: Counter = Counter()
        self.lock = threading.Lock()

    def _apply(self, s: PlanSummary, sign: int) -> None:
        g = self.group(s.plan_id)
        for mine, theirs in (
            (self.counts, s.counts),
            (self.heat, s.heat),
            (self.evaluations, s.evaluations),
            (self.compliance, s.compliance),
        ):
            for k, n in theirs.items():
                mine[k] += sign * n
        for status, n in s.counts.items():
            self.groups[g, status] += sign * n
        (self.members[g].add if sign > 0 else self.members[g].discard)(s.plan_id)
        self.tops.pop(g, None)

    def sync(self, current: dict[int, PlanSummary]) -> Totals:
        with self.lock:
            for pid, old in list(self.parts.items()):
                if current.get(pid) is not old:
                    self._apply(old, -1)
                    del self.parts[pid]
            for pid, s in current.items():
                if pid not in self.parts:
                    self._apply(s, +1)
                    self.parts[pid] = s
        return self

    def first(self, name: str) -> list[dict]:
        """The first items of one list over every plan: each group's, merged."""
        key, limit = LISTS[name]
        with self.lock:
            for g, pids in self.members.items():
                if g not in self.tops:
                    self.tops[g] = {
                        n: merged((getattr(self.parts[p], n) for p in pids), k, lim) for n, (k, lim) in LISTS.items()
                    }
            return merged((t[name] for t in self.tops.values()), key, limit)


def merged(lists: Iterable[list[dict]], key: Callable[[dict], Any], limit: int) -> list[dict]:
    """The first `limit` items of sorted lists, in order."""
    return list(itertools.islice(heapq.merge(*(x for x in lists if x), key=key), limit))
