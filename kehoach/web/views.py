"""What the pages show, as plain functions over the register: each returns a JSON-ready dict.

A route calls one of these and renders it as a page or returns it as JSON: the API is the
pages' own context. Permission checks live here too, so tests can call them directly.
"""

from __future__ import annotations

import functools
import threading
import time
from collections import OrderedDict, defaultdict
from collections.abc import Callable, Hashable
from datetime import date, timedelta
from typing import Any

from sqlalchemy import func, select

from .. import calendar as cal
from ..fmt import parse_date, parse_number
from ..growth import GrowthError, index_to_percent, parse_scenario
from ..store import AuditEntry, Database
from ..succession import fold as _fold_text
from ..track import NotFoundError, Status, ValidationError
from .accounts import ForbiddenError, Principal
from .models import Comment, Notification, audit, iso, now, session

STATUS_ORDER = [s.value for s in Status if s is not Status.NOT_STARTED]
STATUS_CLASS = {
    Status.DONE_ON_TIME.value: "done",
    Status.DONE_LATE.value: "late",
    Status.IN_TERM.value: "term",
    Status.DUE_SOON.value: "soon",
    Status.OVERDUE.value: "overdue",
    Status.WAITING.value: "waiting",
    Status.RECURRING.value: "recurring",
    Status.NOT_STARTED.value: "waiting",
}
PROGRESS_VI = {
    "not_started": "chưa thực hiện",
    "in_progress": "đang thực hiện",
    "done": "hoàn thành",
}
UNASSIGNED = "(chưa giao)"
LIST_LIMIT = 200  # tasks listed on the dashboard per list
# Agency names and task texts repeat across requests: fold each once.
fold = functools.lru_cache(maxsize=65536)(_fold_text)


class Memo:
    """A small LRU of computed contexts; keys include the audit log's last id, so any write
    (every write is audited) makes the old entries unreachable."""

    def __init__(self, size: int = 1024) -> None:
        self.size = size
        self._data: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable, compute: Callable[[], Any]) -> Any:
        with self._lock:
            if key in self._data:
                self._data.move_to_end(key)
                return self._data[key]
        value = compute()
        with self._lock:
            self._data[key] = value
            while len(self._data) > self.size:
                self._data.popitem(last=False)
        return value


KINDS = ("plan", "agency", "task", "indicator", "duty")


class Tracker:
    """The last change of each kind of record, from the audit log (every write is audited).

    Each poll reads the log's last id (the primary key: one lookup) and, when it moved, only
    the entries since: the log grows by every update and is never scanned whole.
    """

    def __init__(self) -> None:
        self.last = -1
        self.gens: dict[str, int] = {}
        self._lock = threading.Lock()

    def poll(self, db: Database) -> dict[str, int]:
        with session(db) as s:
            top = s.scalar(select(func.max(AuditEntry.id))) or 0
            with self._lock:
                if top == self.last:
                    return dict(self.gens)
                if self.last < 0 or top < self.last:  # first poll, or another database
                    kinds = set(KINDS)
                else:
                    kinds = set(
                        s.scalars(select(AuditEntry.entity).where(AuditEntry.id > self.last, AuditEntry.id <= top))
                    )
                for kind in kinds & set(KINDS):
                    self.gens[kind] = top
                self.last = top
                return dict(self.gens)


ALL_ROLES = ("lead", "coordinate", "monitor")
ALL_DEPARTMENTS = _fold_text("Các sở, ban, ngành")  # the registry's collective name for every department


class TaskIndex:
    """Every task's dict as of a date, kept current by re-reading only the tasks that changed.

    A full read of a province (3,000 tasks, a year of updates) takes seconds; one task takes
    milliseconds. A new plan version or an agency change still rereads everything, and so
    does an index older than `max_age` seconds (a change whose audit id was taken before a
    concurrent one's but committed after it would otherwise be missed).
    """

    def __init__(self, size: int = 4, max_age: float = 600.0) -> None:
        self.size, self.max_age = size, max_age
        self._built: dict[date, float] = {}
        self._states: OrderedDict[date, tuple[tuple, int, list[dict], dict[int, int]]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, db: Database, as_of: date, gens: dict[str, int]) -> list[dict]:
        base = (gens.get("plan", 0), gens.get("agency", 0))
        task_gen = gens.get("task", 0)
        with self._lock:
            state = self._states.get(as_of)
            if state is not None and state[0] == base and state[1] == task_gen:
                self._states.move_to_end(as_of)
                return state[2]
        stale = time.monotonic() - self._built.get(as_of, 0.0) > self.max_age
        if state is None or state[0] != base or stale:
            tasks = db.tasks(as_of=as_of, roles=ALL_ROLES)
            self._built[as_of] = time.monotonic()
        else:
            tasks = list(state[2])
            with session(db) as s:
                changed = set(
                    s.scalars(select(AuditEntry.entity_id).where(AuditEntry.entity == "task", AuditEntry.id > state[1]))
                )
            for task_id in changed:
                if task_id in state[3]:
                    fresh = db.task(task_id, as_of=as_of)
                    fresh.pop("updates", None)
                    fresh.pop("extensions", None)
                    tasks[state[3][task_id]] = fresh
        index = {t["id"]: i for i, t in enumerate(tasks)}
        with self._lock:
            self._states[as_of] = (base, task_gen, tasks, index)
            while len(self._states) > self.size:
                self._states.popitem(last=False)
        return tasks


def warm(db: Database, index: TaskIndex, as_of: date | None = None) -> None:
    """Read the register into the task index ahead of the first request."""
    index.get(db, as_of or date.today(), Tracker().poll(db))


class Register:
    """The register as one user may see it on one day, with cached task lists."""

    def __init__(
        self,
        db: Database,
        user: Principal,
        as_of: date,
        memo: Memo,
        index: TaskIndex | None = None,
        tracker: Tracker | None = None,
    ) -> None:
        self.db, self.user, self.as_of, self.memo = db, user, as_of, memo
        self.index = index or TaskIndex()
        self.gens = (tracker or Tracker()).poll(db)

    def gen(self, *kinds: str) -> tuple[int, ...]:
        return tuple(self.gens.get(k, 0) for k in ("plan", "agency", *kinds))

    def cached(self, name: str, compute: Callable[[], Any], *extra: Hashable, kinds: tuple[str, ...] = ()) -> Any:
        return self.memo.get((name, self.gen(*kinds), self.as_of, *extra), compute)

    # --- province scope -----------------------------------------------------------------------

    def _province_now(self, province: str) -> str | None:
        # who holds a province's plans is today's question, whatever date the page shows
        return self.db.registry.province_on(province, date.today())

    def sees(self, province: str | None) -> bool:
        return self.user.sees_province(province, self._province_now)

    def plans(self) -> list[dict]:
        return [p for p in self.cached("plans", self.db.plans) if self.sees(p["province"])]

    def plan_ids(self) -> set[int]:
        return {p["id"] for p in self.plans()}

    def plan(self, plan_id: int) -> dict:
        found = [p for p in self.cached("plans", self.db.plans) if p["id"] == plan_id]
        if not found:
            raise NotFoundError(f"không có kế hoạch id {plan_id}")
        if not self.sees(found[0]["province"]):
            raise ForbiddenError(f"kế hoạch {plan_id} thuộc tỉnh khác: không có quyền xem")
        return found[0]

    def all_tasks(self) -> list[dict]:
        return self.index.get(self.db, self.as_of, self.gens)

    def tasks(self) -> list[dict]:
        ids = self.plan_ids()
        return [t for t in self.all_tasks() if t["plan_id"] in ids]

    def task(self, task_id: int) -> dict:
        t = self.db.task(task_id, as_of=self.as_of)
        self.plan(t["plan_id"])
        return t

    def indicators(self) -> list[dict]:
        ids = self.plan_ids()
        return [
            i
            for i in self.cached("indicators", lambda: self.db.indicators(as_of=self.as_of), kinds=("indicator",))
            if i["plan_id"] in ids
        ]

    # --- departments --------------------------------------------------------------------------

    def agency_role(self, task: dict) -> str | None:
        """`lead` or `coordinate` when the user's department holds that role on the task,
        `shared` when the task is given to every department."""
        if not self.user.agency:
            return None
        me = fold(self.user.agency)
        me_now = fold(f"{self.user.agency} ({self.user.province})")
        if any(fold(n) == me for n in task.get("lead") or []) or any(
            fold(n) in (me, me_now) for n in task.get("owner_now") or []
        ):
            return "lead"
        if any(fold(n) == me for n in task.get("coordinate") or []):
            return "coordinate"
        if any(fold(n) == ALL_DEPARTMENTS for n in task.get("lead") or []):
            return "shared"  # led by every department: each reports its own part in comments
        return None

    def may_update(self, task: dict) -> bool:
        return self.user.manages or (self.user.role == "officer" and self.agency_role(task) == "lead")

    def may_comment(self, task: dict) -> bool:
        return self.user.manages or (self.user.role == "officer" and self.agency_role(task) is not None)

    def may_record(self, indicator: dict) -> bool:
        if self.user.manages:
            return True
        me = fold(self.user.agency or "")
        return self.user.role == "officer" and any(fold(a) == me for a in indicator["agency"])


# --- plans ------------------------------------------------------------------------------------


def plans_ctx(reg: Register) -> dict:
    return {"plans": reg.plans()}


def plan_ctx(reg: Register, plan_id: int) -> dict:
    plan = reg.plan(plan_id) | {"versions": reg.db.plan(plan_id)["versions"]}
    tasks = [t for t in reg.tasks() if t["plan_id"] == plan_id]
    inds = [i for i in reg.indicators() if i["plan_id"] == plan_id]
    return {
        "plan": plan,
        "tasks": tasks,
        "indicators": [i | {"may_record": reg.may_record(i)} for i in inds],
        "duties": reg.db.duties(plan=plan_id),
        "counts": _counts(t["status"] for t in tasks),
        "report_period": f"{reg.as_of.year}-Q{(reg.as_of.month - 1) // 3 + 1}",
    }


def export_plan(reg: Register, plan_id: int) -> dict:
    reg.plan(plan_id)
    return reg.db.plan_data(plan_id)


def _counts(statuses: Any) -> dict[str, int]:
    c = dict.fromkeys(STATUS_ORDER, 0)
    for s in statuses:
        c[s] = c.get(s, 0) + 1
    return c


# --- my tasks ---------------------------------------------------------------------------------


def _due_key(t: dict) -> tuple:
    return (t["due"] is None, t["due"] or "", t["plan_id"], t["position"])


def my_tasks_ctx(reg: Register, horizon_days: int = 60) -> dict:
    """The department's tasks across all plans by due date, and its next reporting deadlines."""
    reg.user.require("officer")
    return reg.cached(
        "my_tasks",
        lambda: _my_tasks(reg, horizon_days),
        reg.user.id,
        kinds=("task", "indicator", "duty"),
    )


def _my_tasks(reg: Register, horizon_days: int) -> dict:
    by_role: dict[str | None, list[dict]] = defaultdict(list)
    for t in reg.tasks():
        by_role[reg.agency_role(t)].append(t)
    lead, coordinate, shared = (sorted(by_role[r], key=_due_key) for r in ("lead", "coordinate", "shared"))
    me = fold(reg.user.agency or "")
    ids = reg.plan_ids()
    reports = [
        r
        for r in reg.cached(
            "calendar",
            lambda: reg.db.calendar(
                reg.as_of - timedelta(days=31),
                reg.as_of + timedelta(days=horizon_days),
                as_of=reg.as_of,
            ),
        )
        if r["plan_id"] in ids and fold(r["agency"]) == me and r["state"] in ("sắp tới", "quá hạn")
    ]
    inds = [i for i in reg.indicators() if reg.may_record(i)]
    return {
        "agency": reg.user.agency,
        "as_of": reg.as_of.isoformat(),
        "tasks": lead,
        "coordinating": coordinate,
        "shared": shared,
        "counts": _counts(t["status"] for t in lead),
        "reports": reports,
        "indicators": inds,
    }


def task_ctx(reg: Register, task_id: int) -> dict:
    t = reg.task(task_id)
    with session(reg.db) as s:
        comments = [
            {"id": c.id, "author": c.author, "agency": c.agency, "text": c.text, "at": iso(c.at)}
            for c in s.scalars(select(Comment).where(Comment.task_id == task_id).order_by(Comment.id))
        ]
    return {
        "task": t,
        "comments": comments,
        "may_update": reg.may_update(t),
        "may_comment": reg.may_comment(t),
        "agency_role": reg.agency_role(t),
    }


def _opt(form: dict, key: str) -> str | None:
    v = form.get(key)
    if v is None:
        return None
    v = str(v).strip()
    return v or None


def update_task(reg: Register, task_id: int, form: dict) -> dict:
    """Record a progress update: the department that leads, or the synthesizing office."""
    t = reg.task(task_id)
    if not reg.may_update(t):
        raise ForbiddenError(
            f"nhiệm vụ {task_id} không do {reg.user.agency or reg.user.role_vi} chủ trì: "
            "chỉ cơ quan chủ trì cập nhật tiến độ"
        )
    percent = _opt(form, "percent")
    try:
        pct = None if percent is None else float(percent.replace(",", "."))
    except ValueError:
        raise ValidationError("percent", percent, "phần trăm là một số từ 0 đến 100") from None
    version = _opt(form, "version")
    on = _opt(form, "on")
    return reg.db.update_task(
        task_id,
        actor=reg.user.username,
        state=_opt(form, "state"),
        percent=pct,
        narrative=_opt(form, "narrative"),
        difficulties=_opt(form, "difficulties"),
        proposals=_opt(form, "proposals"),
        product_number=_opt(form, "product_number"),
        on=parse_date(on) if on else None,
        expected_version=int(version) if version else None,
    )


def add_comment(reg: Register, task_id: int, text: str) -> dict:
    t = reg.task(task_id)
    if not reg.may_comment(t):
        raise ForbiddenError(f"chỉ cơ quan chủ trì hoặc phối hợp góp ý nhiệm vụ {task_id}")
    text = (text or "").strip()
    if not text:
        raise ValidationError("text", text, "ý kiến không được để trống")
    with session(reg.db) as s:
        c = Comment(
            task_id=task_id,
            user_id=reg.user.id,
            author=reg.user.name,
            agency=reg.user.agency,
            text=text,
            at=now(),
        )
        s.add(c)
        s.flush()
        audit(s, reg.user.username, "comment", "task", task_id, None, {"comment_id": c.id})
        return {"id": c.id, "task_id": task_id, "author": c.author, "text": text, "at": iso(c.at)}


def record_value(reg: Register, indicator_id: int, form: dict) -> dict:
    ind = reg.db.indicator(indicator_id, as_of=reg.as_of)
    reg.plan(ind["plan_id"])
    if not reg.may_record(ind):
        raise ForbiddenError(f"chỉ cơ quan theo dõi chỉ tiêu {indicator_id} nhập số liệu")
    raw = _opt(form, "value")
    try:
        value = parse_number(raw) if raw else None
    except ValueError:
        raise ValidationError("value", raw, "giá trị là một số (viết như 1.234,5)") from None
    if value is None:
        raise ValidationError("value", raw, "cần giá trị")
    return reg.db.record_value(
        indicator_id,
        _opt(form, "period") or "",
        value,
        actor=reg.user.username,
        kind=_opt(form, "kind") or "estimate",
        cumulative=str(form.get("cumulative", "")).lower() in ("1", "true", "on"),
    )


def submit_report(reg: Register, duty_id: int, form: dict) -> dict:
    """Record that a department sent its report for a period: the department itself, or the
    synthesizing office for any reporter."""
    duty = next((d for d in reg.db.duties() if d["id"] == duty_id), None)
    if duty is None:
        raise NotFoundError(f"không có chế độ báo cáo id {duty_id}")
    reg.plan(duty["plan_id"])
    if reg.user.manages:
        agency = _opt(form, "agency") or ""
    elif reg.user.role == "officer" and any(fold(a) == fold(reg.user.agency or "") for a in duty["reporters"]):
        agency = reg.user.agency or ""
    else:
        raise ForbiddenError(f"chỉ đơn vị báo cáo của chế độ {duty_id} ghi nhận đã gửi báo cáo")
    on = _opt(form, "on")
    try:
        submitted = parse_date(on) if on else reg.as_of
    except ValueError as e:
        raise ValidationError("on", on, str(e)) from None
    return reg.db.submit_report(
        duty_id,
        agency,
        _opt(form, "period") or "",
        submitted,
        actor=reg.user.username,
        note=_opt(form, "note"),
    )


# --- dashboard --------------------------------------------------------------------------------


def _department(t: dict) -> tuple[str, ...]:
    return _departments(tuple(t["owner_now"]))


@functools.lru_cache(maxsize=4096)
def _departments(owners: tuple[str, ...]) -> tuple[str, ...]:
    """`Sở Tài chính (Vĩnh Long)` → `Sở Tài chính`; no lead: `(chưa giao)`."""
    return tuple(n.removesuffix(")").rsplit(" (", 1)[0] for n in owners) or (UNASSIGNED,)


_FILLER = {"tang", "truong", "dat", "nganh", "khu", "vuc", "va", "trong", "tinh", "gia", "tri"}


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


def growth_ctx(reg: Register, plan_id: int, indicators: list[dict]) -> dict | None:
    """Actual growth per quarter (from the growth indicators) against the plan's first scenario."""
    scenarios = reg.cached("scenarios", reg.db.scenarios).get(plan_id)
    if not scenarios:
        return None
    try:
        sc = parse_scenario(scenarios[0])
    except GrowthError:
        return None
    carriers = growth_indicators([i for i in indicators if i["plan_id"] == plan_id], sc)
    labels = {"Q1": "Quý I", "Q2": "Quý II", "Q3": "Quý III", "Q4": "Quý IV", "Y": "Cả năm"}

    def actual_for(row_name: str) -> dict[str, float]:
        ind = carriers.get(row_name)
        out: dict[str, float] = {}
        for v in sorted((ind or {}).get("values") or [], key=lambda v: (v["kind"], v["id"])):
            p = v["period"]
            if v["cumulative"]:
                continue
            q = p[5:] if "-Q" in p else ("Y" if len(p) == 4 else None)
            if q in labels:
                out[q] = v["value"]
        return out

    rows = []
    for r in sc.rows:
        actual = actual_for(r.name)
        rows.append(
            {
                "name": r.name,
                "level": r.level,
                "periods": [
                    {
                        "period": labels[k],
                        "planned": round(index_to_percent(r.targets[k]), 2)
                        if r.targets.get(k, 0) > 50
                        else r.targets.get(k),
                        "actual": actual.get(k),
                    }
                    for k in labels
                ],
            }
        )
    top = max([abs(p[x] or 0) for r in rows[:1] for p in r["periods"] for x in ("planned", "actual")] + [1])
    return {"plan_id": plan_id, "title": sc.title, "rows": rows, "max": top}


def dashboard_ctx(reg: Register, plan: int | None = None) -> dict:
    reg.user.require("admin", "office", "leader")
    if plan is not None:
        reg.plan(plan)

    def compute() -> dict:
        tasks = [t for t in reg.tasks() if plan is None or t["plan_id"] == plan]
        by_dept: dict[str, list[str]] = defaultdict(list)
        by_plan: dict[int, list[str]] = defaultdict(list)
        for t in tasks:
            for d in _department(t):
                by_dept[d].append(t["status"])
            by_plan[t["plan_id"]].append(t["status"])
        heat = sorted(
            ({"department": d, "counts": _counts(v), "total": len(v)} for d, v in by_dept.items()),
            key=lambda r: (-r["counts"][Status.OVERDUE.value], -r["total"], r["department"]),
        )
        peak = max((n for r in heat for n in r["counts"].values()), default=0) or 1
        for r in heat:  # colour strength: square root, so that small counts still show
            r["alpha"] = {s: round(0.15 + 0.85 * (n / peak) ** 0.5, 2) if n else 0 for s, n in r["counts"].items()}
        names = {p["id"]: p for p in reg.plans()}
        per_plan = [
            {
                "plan_id": pid,
                "plan": names[pid]["number"] or names[pid]["title"],
                "counts": _counts(v),
                "total": len(v),
            }
            for pid, v in sorted(by_plan.items())
        ]
        overdue = sorted((t for t in tasks if t["status"] == Status.OVERDUE.value), key=_due_key)
        soon = sorted((t for t in tasks if t["status"] == Status.DUE_SOON.value), key=_due_key)
        inds = [i for i in reg.indicators() if plan is None or i["plan_id"] == plan]
        evaluations = defaultdict(int)
        for i in inds:
            evaluations[i["evaluation"]] += 1
        growth = [
            g for g in (growth_ctx(reg, pid, inds) for pid in sorted(names) if plan in (None, pid)) if g is not None
        ]
        return {
            "as_of": reg.as_of.isoformat(),
            "plan": plan,
            "plans": list(names.values()),
            "statuses": STATUS_ORDER,
            "totals": _counts(t["status"] for t in tasks),
            "tasks": len(tasks),
            "heat": heat,
            "heat_peak": peak,
            "per_plan": per_plan,
            # the lists show the most pressing; the counts are in `totals`
            "overdue": [_brief(t) for t in overdue[:LIST_LIMIT]],
            "due_soon": [_brief(t) for t in soon[:LIST_LIMIT]],
            "indicators": [_brief_indicator(i) for i in inds],
            "evaluations": dict(evaluations),
            "growth": growth,
            "compliance": compliance(reg, plan),
        }

    return reg.cached(
        "dashboard",
        compute,
        reg.user.province,
        reg.user.role,
        plan,
        kinds=("task", "indicator", "duty"),
    )


def _brief(t: dict) -> dict:
    keys = (
        "id",
        "plan_id",
        "plan",
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


def _brief_indicator(i: dict) -> dict:
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


def compliance(reg: Register, plan: int | None = None) -> dict:
    """Reports due since January of last year: per agency on time, late, not reported."""
    ids = reg.plan_ids() if plan is None else {plan}
    since = date(reg.as_of.year - 1, 1, 1)
    rows = [
        r
        for r in reg.cached(
            "compliance-calendar",
            lambda: reg.db.calendar(since, reg.as_of, as_of=reg.as_of),
            kinds=("duty",),
        )
        if r["plan_id"] in ids
    ]
    agencies: dict[str, dict] = {}
    missing = []
    for r in rows:
        if r["state"] == "sắp tới":  # the period has ended but its report is not due yet
            continue
        a = agencies.setdefault(r["agency"], {"agency": r["agency"], "due": 0, "on_time": 0, "late": 0, "missing": 0})
        a["due"] += 1
        key = {"đúng hạn": "on_time", "trễ hạn": "late"}.get(r["state"], "missing")
        a[key] += 1
        if key == "missing":
            missing.append(r)
    for a in agencies.values():
        a["on_time_rate"] = round(a["on_time"] / a["due"] * 100, 1) if a["due"] else None
    return {
        "since": since.isoformat(),
        "agencies": sorted(agencies.values(), key=lambda a: (-a["missing"], a["agency"])),
        "missing": sorted(missing, key=lambda r: (r["due"], r["agency"]), reverse=True)[:50],
    }


# --- search -----------------------------------------------------------------------------------


def search_ctx(reg: Register, q: str, limit: int = 200) -> dict:
    """Plans, tasks and indicators whose text holds every word of `q`, ignoring diacritics."""
    words = fold(q or "").split()
    if not words:
        return {"q": q or "", "plans": [], "tasks": [], "indicators": [], "total": 0}

    def hit(*texts: str | None) -> bool:
        hay = fold(" ".join(t or "" for t in texts))
        return all(w in hay for w in words)

    plans = [p for p in reg.plans() if hit(p["number"], p["title"], p["issuer"])]
    tasks = [_brief(t) for t in reg.tasks() if hit(t["section"], t["text"], *t["lead"], *t["coordinate"])]
    inds = [_brief_indicator(i) for i in reg.indicators() if hit(i["name"], i["group"])]
    return {
        "q": q,
        "plans": plans,
        "tasks": tasks[:limit],
        "indicators": inds[:limit],
        "total": len(plans) + len(tasks) + len(inds),
    }


# --- notifications ----------------------------------------------------------------------------


def notifications_ctx(db: Database, user: Principal, limit: int = 100) -> dict:
    with session(db) as s:
        rows = list(
            s.scalars(
                select(Notification)
                .where(Notification.user_id == user.id)
                .order_by(Notification.id.desc())
                .limit(limit)
            )
        )
        return {
            "notifications": [
                {
                    "id": n.id,
                    "subject": n.subject,
                    "body": n.body,
                    "link": n.link,
                    "created_at": iso(n.created_at),
                    "read": n.read_at is not None,
                }
                for n in rows
            ],
            "unread": sum(1 for n in rows if n.read_at is None),
        }


def unread_count(db: Database, user: Principal) -> int:
    with session(db) as s:
        return (
            s.scalar(
                select(func.count())
                .select_from(Notification)
                .where(Notification.user_id == user.id, Notification.read_at.is_(None))
            )
            or 0
        )


def mark_read(db: Database, user: Principal) -> dict:
    with session(db) as s:
        n = 0
        for row in s.scalars(
            select(Notification).where(Notification.user_id == user.id, Notification.read_at.is_(None))
        ):
            row.read_at = now()
            n += 1
    return {"marked": n}


def audit_ctx(reg: Register, limit: int = 200) -> dict:
    reg.user.require("admin", "office")
    entries = reg.db.audit()
    if reg.user.role != "admin":
        plans = reg.plan_ids()
        tasks = {t["id"] for t in reg.tasks()}
        entries = [
            e
            for e in entries
            if (e["entity"] == "plan" and e["entity_id"] in plans)
            or (e["entity"] == "task" and e["entity_id"] in tasks)
        ]
    return {"entries": list(reversed(entries))[:limit]}


def periods_for(as_of: date) -> list[str]:
    """Period labels offered when entering an indicator value: this and last year's."""
    out = []
    for y in (as_of.year, as_of.year - 1):
        out += [f"{y}-Q{q}" for q in (1, 2, 3, 4)] + [f"{y}-H1", f"{y}-9M", f"{y}"]
    return [cal.parse_period(p).label for p in out]
