"""What the pages show, as plain functions over the register: each returns a JSON-ready dict.

A route calls one of these and renders it as a page or returns it as JSON: the API is the
pages' own context. Permission checks live here too, so tests can call them directly.
"""

from __future__ import annotations

import functools
import threading
from collections import Counter, OrderedDict, defaultdict
from collections.abc import Callable, Hashable
from datetime import date, timedelta
from typing import Any

from ..store import Database
from ..track import NotFoundError, Status, ValidationError
from ..track.bounds import LONG_TEXT, check_text, parse_version
from ..vn import Period, parse_date, parse_number
from .accounts import ForbiddenError, Principal
from .summary import (
    ALL_DEPARTMENTS,
    REPORTS_AHEAD,
    STATUS_ORDER,
    brief,
    brief_indicator,
    compliance_since,
    due_key,
    figures,
    fold,
    read_briefs,
)

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


class Memo:
    """A small LRU of computed contexts; keys include the audit log's last id, so any write
    (every write is audited) makes the old entries unreachable."""

    def __init__(self, size: int = 256) -> None:
        self.size = size
        self._data: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable, compute: Callable[[], Any]) -> Any:
        with self._lock:
            if key in self._data:
                self._data.move_to_end(key)
                return self._data[key]
        value = compute()
        self._keep(key, value)
        return value

    def _keep(self, key: Hashable, value: Any) -> None:
        with self._lock:
            self._data[key] = value
            self._data.move_to_end(key)
            while len(self._data) > self.size:
                self._data.popitem(last=False)

    def patched(
        self, key: Hashable, gen: tuple[int, ...], compute: Callable[[], Any], patch: Callable[[Any, int, int], Any]
    ) -> Any:
        """The value under `key` for `gen` (the last change of each kind it depends on, the
        changing kind last): computed once, then, when only that kind changed since,
        `patch(value, since, now)` brings the one held up to date (None: computed anew)."""
        with self._lock:
            held = self._data.get(("patched", key))
        if held is not None and held[0] == gen:
            return held[1]
        value = None
        if held is not None and held[0][:-1] == gen[:-1] and held[0][-1] < gen[-1]:
            value = patch(held[1], held[0][-1], gen[-1])
        if value is None:
            value = compute()
        self._keep(("patched", key), (gen, value))
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

    def poll(self, db: Database, top: int | None = None) -> dict[str, int]:
        """Since the last poll: `top`, the log's last id if the caller read it, else read here."""
        top = db.last_audit_id() if top is None else top
        with self._lock:
            if top == self.last:
                return dict(self.gens)
            last = self.last
        # first poll, or another database: every kind moved
        kinds = set(KINDS) if last < 0 or top < last else db.audited_kinds(last, top)
        with self._lock:
            if top >= self.last:
                for kind in kinds & set(KINDS):
                    self.gens[kind] = top
                self.last = top
            return dict(self.gens)


class Register:
    """The register as one user may see it on one day (its summaries kept in the database)."""

    def __init__(
        self,
        db: Database,
        user: Principal,
        as_of: date,
        memo: Memo,
        tracker: Tracker | None = None,
        audit_top: int | None = None,
    ) -> None:
        self.db, self.user, self.as_of, self.memo = db, user, as_of, memo
        self._tracker, self._audit_top = tracker or Tracker(), audit_top
        self._gens: dict[str, int] | None = None
        self._holders: dict[str, str] = {}

    @property
    def gens(self) -> dict[str, int]:
        """What changed last, per kind of record: asked of the audit log when first needed (in the
        thread that serves the page, not on the event loop)."""
        if self._gens is None:
            self._gens = self._tracker.poll(self.db, self._audit_top)
        return self._gens

    def gen(self, *kinds: str) -> tuple[int, ...]:
        return tuple(self.gens.get(k, 0) for k in ("plan", "agency", *kinds))

    def cached(self, name: str, compute: Callable[[], Any], *extra: Hashable, kinds: tuple[str, ...] = ()) -> Any:
        return self.memo.get((name, self.gen(*kinds), self.as_of, *extra), compute)

    # --- province scope -----------------------------------------------------------------------

    def province_now(self, province: str | None) -> str:
        """Who holds a province's plans: today's question, whatever date the page shows."""
        if not province:
            return ""
        if province not in self._holders:  # a country's plans name a few dozen provinces
            self._holders[province] = self.db.registry.province_on(province, self.db.today()) or province
        return self._holders[province]

    def sees(self, province: str | None) -> bool:
        return self.user.sees_province(province, self.province_now)

    def all_plans(self) -> dict[int, dict]:
        return self.cached("plans", lambda: {p["id"]: p for p in self.db.plans()})

    def plans(self) -> list[dict]:
        scope = "*" if self.user.role == "admin" else self.user.province
        return self.cached("visible", lambda: [p for p in self.all_plans().values() if self.sees(p["province"])], scope)

    def plan_ids(self) -> list[int]:
        return [p["id"] for p in self.plans()]

    def plan(self, plan_id: int) -> dict:
        found = self.all_plans().get(plan_id)
        if found is None or not self.sees(found["province"]):
            # another province's plan answers as a missing one would: its existence is not told
            raise NotFoundError(f"không có kế hoạch id {plan_id}")
        return found

    def provinces(self) -> list[str] | None:
        """The provinces (as the plans name them) of the visible plans; None: every plan."""
        if self.user.role == "admin":
            return None
        return sorted({p["province"] or "" for p in self.plans()})

    def _visible(self, kind: str, record_id: int, lookup: Callable[[], dict]) -> dict:
        """A record of a plan the user sees; a missing one and another province's answer alike."""
        try:
            found = lookup()
            self.plan(found["plan_id"])
        except NotFoundError:
            raise NotFoundError(f"không có {kind} id {record_id}") from None
        return found

    def task(self, task_id: int) -> dict:
        return self._visible("nhiệm vụ", task_id, lambda: self.db.task(task_id, as_of=self.as_of))

    def indicator(self, indicator_id: int) -> dict:
        return self._visible("chỉ tiêu", indicator_id, lambda: self.db.indicator(indicator_id, as_of=self.as_of))

    def duty(self, duty_id: int) -> dict:
        return self._visible("chế độ báo cáo", duty_id, lambda: self.db.duty(duty_id))

    # --- departments --------------------------------------------------------------------------

    def agency_role(self, task: dict) -> str | None:
        """`lead` or `coordinate` when the user's department holds that role on the task,
        `shared` when the task is given to every department."""
        if not self.user.agency:
            return None
        me, me_now = self._me
        leads = [fold(n) for n in task.get("lead") or []]
        if me in leads or any(fold(n) in (me, me_now) for n in task.get("owner_now") or []):
            return "lead"
        if any(fold(n) == me for n in task.get("coordinate") or []):
            return "coordinate"
        if ALL_DEPARTMENTS in leads:
            return "shared"  # led by every department: each reports its own part in comments
        return None

    @functools.cached_property
    def _me(self) -> tuple[str, str]:
        """The user's department folded, by its name and as named after a merger of provinces."""
        return fold(self.user.agency or ""), fold(f"{self.user.agency} ({self.user.province})")

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


PAGE_SIZE = 300  # plans per page of the list


def plans_ctx(reg: Register, province: str | None = None, page: int = 1) -> dict:
    """The visible plans, a page at a time, optionally of one province (as it is today)."""
    plans = reg.plans()
    provinces = Counter(reg.province_now(p["province"]) for p in plans)
    if province:
        plans = [p for p in plans if reg.province_now(p["province"]) == province]
    pages = max(1, -(-len(plans) // PAGE_SIZE))
    if not 1 <= page <= pages:
        raise ValidationError("page", page, f"trang từ 1 đến {pages}")
    return {
        "plans": plans[(page - 1) * PAGE_SIZE : page * PAGE_SIZE],
        "total": len(plans),
        "page": page,
        "pages": pages,
        "province": province,
        "provinces": [{"province": k, "plans": n} for k, n in sorted(provinces.items())],
    }


def plan_ctx(reg: Register, plan_id: int) -> dict:
    plan = reg.plan(plan_id) | {"versions": reg.db.plan(plan_id)["versions"]}
    tasks = reg.db.tasks(plans=[plan_id], as_of=reg.as_of)
    inds = reg.db.indicators(plans=[plan_id], as_of=reg.as_of)
    return {
        "plan": plan,
        "tasks": tasks,
        "indicators": [i | {"may_record": reg.may_record(i)} for i in inds],
        "duties": reg.db.duties(plan=plan_id),
        "counts": _status_counts(Counter(t["status"] for t in tasks)),
        "report_period": f"{reg.as_of.year}-Q{(reg.as_of.month - 1) // 3 + 1}",
    }


def export_plan(reg: Register, plan_id: int) -> dict:
    reg.plan(plan_id)
    return reg.db.plan_data(plan_id)


def _status_counts(counter: Counter) -> dict[str, int]:
    return {s: counter[s] for s in STATUS_ORDER}


# --- my tasks ---------------------------------------------------------------------------------


MINE_PAGE = 50  # tasks per page of a department's list
MINE_GLIMPSE = 20  # the first tasks of the lists not being paged
MINE_LISTS = {"lead": "tasks", "coordinate": "coordinating", "shared": "shared"}


def my_tasks_ctx(
    reg: Register, horizon_days: int = 60, *, role: str = "lead", page: int = 1, status: str | None = None
) -> dict:
    """The department's tasks across all plans: those it leads (open ones first, by due date) a
    page at a time, optionally of one status; the first of those it coordinates and of those
    given to every department (or one of these lists paged: `role`); its next reporting
    deadlines and the indicators it monitors."""
    reg.user.require("officer")
    if role not in MINE_LISTS:
        raise ValidationError("role", role, "một trong: " + ", ".join(MINE_LISTS))
    if status is not None and status not in STATUS_ORDER:
        raise ValidationError("status", status, "một trong: " + "; ".join(STATUS_ORDER))
    return reg.cached(
        "my_tasks",
        lambda: _my_tasks(reg, horizon_days, role, page, status),
        reg.user.id,
        role,
        page,
        status,
        kinds=("task", "indicator", "duty"),
    )


def _my_tasks(reg: Register, horizon_days: int, role: str, page: int, status: str | None) -> dict:
    me = fold(reg.user.agency or "")
    names = {me, fold(f"{reg.user.agency} ({reg.user.province})")}
    # three parts, each read again only after a change of its kind: a task's update does not
    # read the department's reporting calendar or indicators again
    lists, counts = reg.memo.patched(
        ("my_lists", reg.user.id, reg.as_of),
        reg.gen("task"),
        lambda: _my_lists(reg, names),
        lambda held, since, now: _my_lists_patched(reg, names, held[0], since, now),
    )
    records = reg.cached("my_records", lambda: reg.db.summaries.department_records(names, reg.provinces()), reg.user.id)
    reports = reg.cached(
        "my_reports", lambda: _my_reports(reg, me, records["plans"], horizon_days), reg.user.id, kinds=("duty",)
    )
    inds = reg.cached(
        "my_indicators", lambda: _my_indicators(reg, records["indicators"]), reg.user.id, kinds=("indicator",)
    )
    chosen = lists[role] if not status else [t for t in lists[role] if t["status"] == status]
    pages = max(1, -(-len(chosen) // MINE_PAGE))
    if not 1 <= page <= pages:
        raise ValidationError("page", page, f"trang từ 1 đến {pages}")
    shown = {r: ts[:MINE_GLIMPSE] for r, ts in lists.items()} | {
        role: chosen[(page - 1) * MINE_PAGE : page * MINE_PAGE]
    }
    whole = {t["id"]: t for t in reg.db.tasks(ids=[t["id"] for ts in shown.values() for t in ts], as_of=reg.as_of)}
    totals = {key: len(lists[r]) for r, key in MINE_LISTS.items()} | {MINE_LISTS[role]: len(chosen)}
    return {
        "agency": reg.user.agency,
        "as_of": reg.as_of.isoformat(),
        **{key: [whole[t["id"]] for t in shown[r]] for r, key in MINE_LISTS.items()},
        "totals": totals | {"open": sum(not t["done_on"] for t in (chosen if role == "lead" else lists["lead"]))},
        "role": role,
        "status": status,
        "page": page,
        "pages": pages,
        "counts": counts,
        "reports": reports,
        "indicators": inds,
    }


def _my_lists(reg: Register, names: set[str]) -> tuple[dict[str, list[dict]], dict[str, int]]:
    """The department's tasks in brief by its role (those it leads: open ones first, each list by
    due date), and the status counts of those it leads."""
    return _arranged(reg, reg.db.summaries.department_tasks(names, reg.as_of, reg.provinces(), reg.db.soon_days))


PATCH_LIMIT = 200  # changed tasks read again one by one; more: the department's lists read anew


def _my_lists_patched(
    reg: Register, names: set[str], held: dict[str, list[dict]], since: int, now: int
) -> tuple[dict[str, list[dict]], dict[str, int]] | None:
    """The lists held, with only the tasks changed since (audit ids `since` to `now`) read again:
    a department's thousands of tasks are not read after each of its updates."""
    changed = reg.db.audited_ids("task", since, now, PATCH_LIMIT)
    if changed is None:
        return None
    kept = [t for ts in held.values() for t in ts if t["id"] not in changed]
    fresh = reg.db.summaries.department_tasks(names, reg.as_of, reg.provinces(), reg.db.soon_days, ids=changed)
    return _arranged(reg, kept + fresh)


def _arranged(reg: Register, briefs: list[dict]) -> tuple[dict[str, list[dict]], dict[str, int]]:
    visible = set(reg.plan_ids())
    by_role: dict[str | None, list[dict]] = defaultdict(list)
    for t in briefs:
        if t["plan_id"] in visible:
            by_role[reg.agency_role(t)].append(t)
    lists = {r: sorted(by_role[r], key=due_key) for r in MINE_LISTS}
    counts = _status_counts(Counter(t["status"] for t in lists["lead"]))
    lists["lead"] = [t for t in lists["lead"] if not t["done_on"]] + [t for t in lists["lead"] if t["done_on"]]
    return lists, counts


def _my_reports(reg: Register, me: str, plans: list[int], horizon_days: int) -> list[dict]:
    """The department's reporting deadlines from a month ago to `horizon_days` ahead, not sent."""
    first, last = (reg.as_of + timedelta(days=d) for d in (-31, horizon_days))
    start = min(compliance_since(reg.as_of), first)
    reports = [
        r
        for r in reg.db.calendar(start, reg.as_of + REPORTS_AHEAD, as_of=reg.as_of, plans=plans)
        if fold(r["agency"]) == me
        and r["state"] in ("sắp tới", "quá hạn")
        and first.isoformat() <= r["due"] <= last.isoformat()
    ]
    return sorted(reports, key=lambda r: (r["due"], r["duty_id"], r["agency_id"]))


def _my_indicators(reg: Register, ids: list[int]) -> list[dict]:
    return [
        i | {"may_record": True}
        for i in reg.db.indicators(ids=ids, plans=reg.plan_ids(), as_of=reg.as_of)
        if reg.may_record(i)
    ]


HISTORY_SHOWN = 50  # a task's page shows its newest updates; every one when asked (`whole`)


def task_ctx(reg: Register, task_id: int, whole: bool = False) -> dict:
    """A task's page: the task, its comments, and how many of its updates the page shows, the
    newest first (`history_shown`; None with `whole`: a task reported on weekly for years has
    hundreds). The task carries every update."""
    with reg.db.session():  # one transaction: the task and its comments as of one moment
        t = reg.task(task_id)
        comments = reg.db.notes.comments(task_id)
    return {
        "task": t,
        "history_shown": None if whole else HISTORY_SHOWN,
        "comments": comments,
        "may_update": reg.may_update(t),
        "may_manage": reg.user.manages,
        "may_comment": reg.may_comment(t),
        "agency_role": reg.agency_role(t),
    }


def _opt(form: dict, key: str) -> str | None:
    v = form.get(key)
    if v is None:
        return None
    v = str(v).strip()
    return v or None


def _seen(reg: Register, t: dict) -> None:
    """A task being written is one of a plan the user sees (another province's answers as missing)."""
    try:
        reg.plan(t["plan_id"])
    except NotFoundError:
        raise NotFoundError(f"không có nhiệm vụ id {t['id']}") from None


def _may_update(reg: Register, t: dict) -> None:
    _seen(reg, t)
    if not reg.may_update(t):
        raise ForbiddenError(
            f"nhiệm vụ {t['id']} không do {reg.user.agency or reg.user.role_vi} chủ trì: "
            "chỉ cơ quan chủ trì cập nhật tiến độ"
        )


def update_task(reg: Register, task_id: int, form: dict) -> dict:
    """Record a progress update: the department that leads, or the synthesizing office. The
    permission is checked on the task as the write reads it, in its transaction."""
    percent = _opt(form, "percent")
    try:
        pct = None if percent is None else parse_number(percent)  # `50`, `50%`, `7,5`
    except ValueError:
        raise ValidationError("percent", percent, "phần trăm là một số từ 0 đến 100") from None
    return reg.db.update_task(
        task_id,
        actor=reg.user.username,
        state=_opt(form, "state"),
        percent=pct,
        narrative=_opt(form, "narrative"),
        difficulties=_opt(form, "difficulties"),
        proposals=_opt(form, "proposals"),
        product_number=_opt(form, "product_number"),
        product_file=_opt(form, "product_file"),  # set by web/files.py from a file received, never by a client
        on=_date_field(form, "on", "ngày cập nhật là một ngày (dd/mm/yyyy)"),
        expected_version=parse_version(form.get("version")),
        authorize=lambda t: _may_update(reg, t),
        as_of=reg.as_of,
    )


def _date_field(form: dict, key: str, rule: str) -> date | None:
    raw = _opt(form, key)
    try:
        return parse_date(raw) if raw else None
    except ValueError:
        raise ValidationError(key, raw, rule) from None


def extend_task(reg: Register, task_id: int, form: dict) -> dict:
    """Record a deadline extension (gia hạn): the synthesizing office, on a leader's decision."""

    def authorize(t: dict) -> None:
        _seen(reg, t)
        if not reg.user.manages:
            raise ForbiddenError("chỉ cơ quan tổng hợp ghi nhận gia hạn thời hạn nhiệm vụ")

    new_due = _date_field(form, "new_due", "hạn mới là một ngày (dd/mm/yyyy)")
    if new_due is None:
        raise ValidationError("new_due", None, "cần hạn mới (dd/mm/yyyy)")
    return reg.db.extend_deadline(
        task_id,
        new_due,
        granted_by=_opt(form, "granted_by") or "",
        actor=reg.user.username,
        granted_on=_date_field(form, "granted_on", "ngày cho phép là một ngày (dd/mm/yyyy)"),
        reason=_opt(form, "reason"),
        expected_version=parse_version(form.get("version")),
        authorize=authorize,
        as_of=reg.as_of,
    )


def mark_condition(reg: Register, task_id: int, form: dict) -> dict:
    """Mark that a conditional task's event happened (`sau khi Trung ương ban hành`): its clock starts."""

    def authorize(t: dict) -> None:
        _seen(reg, t)
        if not reg.user.manages:
            raise ForbiddenError("chỉ cơ quan tổng hợp ghi nhận điều kiện của nhiệm vụ đã xảy ra")
        if not t["condition"]:
            raise ValidationError("task", task_id, "nhiệm vụ này không có thời hạn theo điều kiện")

    met_on = _date_field(form, "met_on", "ngày xảy ra là một ngày (dd/mm/yyyy)") or reg.as_of
    return reg.db.mark_condition(
        task_id,
        met_on,
        actor=reg.user.username,
        due=_date_field(form, "due", "hạn là một ngày (dd/mm/yyyy)"),
        expected_version=parse_version(form.get("version")),
        authorize=authorize,
        as_of=reg.as_of,
    )


def add_comment(reg: Register, task_id: int, text: str) -> dict:
    t = reg.task(task_id)
    if not reg.may_comment(t):
        raise ForbiddenError(f"chỉ cơ quan chủ trì hoặc phối hợp góp ý nhiệm vụ {task_id}")
    text = check_text("text", (text or "").strip(), LONG_TEXT) or ""
    if not text:
        raise ValidationError("text", text, "ý kiến không được để trống")
    return reg.db.notes.comment(task_id, reg.user.id, reg.user.name, reg.user.agency, text, actor=reg.user.username)


def record_value(reg: Register, indicator_id: int, form: dict) -> dict:
    ind = reg.indicator(indicator_id)
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
    duty = reg.duty(duty_id)
    # a department of a group duty (`Các sở, ban, ngành`) owes it too: `owed_by` names each one
    owed = [*duty["reporters"], *(reg.db.owed_by(duty_id, reg.as_of) if reg.user.role == "officer" else [])]
    if reg.user.manages:
        agency = _opt(form, "agency") or ""
    elif reg.user.role == "officer" and any(fold(a) == fold(reg.user.agency or "") for a in owed):
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


def dashboard_ctx(reg: Register, plan: int | None = None) -> dict:
    reg.user.require("admin", "office", "leader")
    plans = reg.plans() if plan is None else [reg.plan(plan)]
    return reg.cached(
        "dashboard",
        lambda: _dashboard(reg, plans, plan),
        reg.user.province,
        reg.user.role,
        plan,
        kinds=("task", "indicator", "duty"),
    )


def _dashboard(reg: Register, plans: list[dict], plan: int | None) -> dict:
    # a scope of many provinces is shown province by province, one province plan by plan
    by_province = len({reg.province_now(p["province"]) for p in plans}) > 1
    provinces = reg.provinces()
    scope = None if provinces is None else tuple(sorted(provinces))
    found = figures(
        reg.db,
        reg.as_of,
        {p["id"]: p["province"] or "" for p in plans},
        provinces,
        reg.province_now,
        by_plan=not by_province,
        cache=lambda name, compute, kinds: reg.cached(f"figures-{name}", compute, scope, by_province, kinds=kinds),
        briefs=lambda ids: _held_briefs(reg, ids),
    )
    counts = _status_counts(found.parts.counts)
    heat_counts: dict[str, Counter] = defaultdict(Counter)
    for (dept, status), n in found.parts.heat.items():
        if n:
            heat_counts[dept][status] = n
    groups: dict[Any, Counter] = defaultdict(Counter)
    for (g, status), n in found.parts.groups.items():
        if n:
            groups[g][status] = n
    evaluations = {k: n for k, n in found.parts.evaluations.items() if n}
    reporters: dict[str, dict] = {}
    for (agency, what), n in found.parts.compliance.items():
        if n:
            reporters.setdefault(agency, {"agency": agency, "due": 0, "on_time": 0, "late": 0, "missing": 0})
            reporters[agency][what] = n
    heat = sorted(
        ({"department": d, "counts": _status_counts(c), "total": sum(c.values())} for d, c in heat_counts.items()),
        key=lambda r: (-r["counts"][Status.OVERDUE.value], -r["total"], r["department"]),
    )
    peak = max((n for r in heat for n in r["counts"].values()), default=0) or 1
    for r in heat:  # colour strength: square root, so that small counts still show
        r["alpha"] = {s: round(0.15 + 0.85 * (n / peak) ** 0.5, 2) if n else 0 for s, n in r["counts"].items()}
    names = {p["id"]: p for p in plans}
    if by_province:
        rows = [
            {"province": g, "counts": _status_counts(c), "total": sum(c.values())} for g, c in sorted(groups.items())
        ]
    else:
        rows = [
            {
                "plan_id": pid,
                "plan": names[pid]["number"] or names[pid]["title"],
                "counts": _status_counts(c),
                "total": sum(c.values()),
            }
            for pid, c in sorted(groups.items())
        ]
    for a in reporters.values():
        a["on_time_rate"] = round(a["on_time"] / a["due"] * 100, 1) if a["due"] else None
    return {
        "as_of": reg.as_of.isoformat(),
        "plan": plan,
        # the plan filter: a few hundred plans (a province's); a country's are on /plans by province
        "plans": reg.plans() if len(reg.plans()) <= PAGE_SIZE else [],
        "statuses": STATUS_ORDER,
        "totals": counts,
        "tasks": sum(counts.values()),
        "heat": heat,
        "heat_peak": peak,
        "per_plan": [] if by_province else rows,
        "per_province": rows if by_province else [],
        # the lists show the most pressing; the counts are in `totals` and `evaluations`
        "overdue": found.lists["overdue"],
        "due_soon": found.lists["due_soon"],
        "indicators": found.lists["ranked"],
        "evaluations": evaluations,
        "growth": found.growth,
        "growth_total": found.growth_total,
        "compliance": {
            "since": compliance_since(reg.as_of).isoformat(),
            "agencies": sorted(reporters.values(), key=lambda a: (-a["missing"], a["agency"])),
            "missing": found.lists["missing"],
        },
    }


BRIEFS_HELD = 20_000  # tasks in brief a process keeps for the dashboards' lists, at most


def _held_briefs(reg: Register, ids: list[int]) -> list[dict]:
    """The dashboards' listed tasks in brief, held by the process and read whole only when not
    held or changed since (their ids from the audit log): after an update the lists of a
    country re-read one task, not four hundred. Not per user: the lists choose the ids."""
    held: dict[int, dict] = reg.memo.patched(
        ("briefs", reg.as_of),
        reg.gen("task"),
        dict,
        lambda held, since, now: _without_changed(reg, held, since, now),
    )
    missing = [i for i in ids if i not in held]
    if missing:
        fresh = {b["id"]: b for b in read_briefs(reg.db, reg.as_of)(missing)}
        if len(held) + len(fresh) <= BRIEFS_HELD:
            held.update(fresh)  # the same values whichever thread adds them
        return [held.get(i) or fresh[i] for i in ids if i in held or i in fresh]
    return [held[i] for i in ids]


def _without_changed(reg: Register, held: dict[int, dict], since: int, now: int) -> dict[int, dict] | None:
    changed = reg.db.audited_ids("task", since, now, PATCH_LIMIT)
    # a copy first (one step under the interpreter's lock): another thread may be adding to it
    return None if changed is None else {i: b for i, b in dict(held).items() if i not in changed}


# --- search -----------------------------------------------------------------------------------


def search_ctx(reg: Register, q: str, limit: int = 200) -> dict:
    """Plans, tasks and indicators whose text holds every word of `q`, ignoring diacritics.

    Tasks and indicators stop at `limit` each (`more` says there are others): counting every
    match of a common word over a country's million tasks is not worth a slow page."""
    words = fold(q or "").split()
    found: dict[str, Any] = {"q": q or "", "plans": [], "tasks": [], "indicators": [], "total": 0, "more": False}
    if not words:
        return found
    hay = reg.cached(
        "plan_hay",
        lambda: {
            pid: fold(" ".join(p[k] or "" for k in ("number", "title", "issuer"))) for pid, p in reg.all_plans().items()
        },
    )
    found["plans"] = [p for p in reg.plans() if all(w in hay.get(p["id"], "") for w in words)]
    provinces, summaries = reg.provinces(), reg.db.summaries
    ids = summaries.search_tasks(words, provinces, limit + 1)
    by_id = {t["id"]: t for t in reg.db.tasks(ids=ids, as_of=reg.as_of)}
    found["tasks"] = tasks = [brief(by_id[i]) for i in ids if i in by_id]
    ids = summaries.search_indicators(words, provinces, limit + 1)
    got = {i["id"]: i for i in reg.db.indicators(ids=ids, as_of=reg.as_of)}
    found["indicators"] = inds = [brief_indicator(got[i]) for i in ids if i in got]
    found["more"] = len(tasks) > limit or len(inds) > limit
    del tasks[limit:], inds[limit:]
    found["total"] = len(found["plans"]) + len(tasks) + len(inds)
    return found


# --- notifications ----------------------------------------------------------------------------


def notifications_ctx(db: Database, user: Principal, limit: int = 100) -> dict:
    rows = db.notes.notifications(user.id, limit)
    return {"notifications": rows, "unread": sum(1 for n in rows if not n["read"])}


def unread_count(db: Database, user: Principal) -> int:
    return db.notes.unread(user.id)


def mark_read(db: Database, user: Principal) -> dict:
    return {"marked": db.notes.mark_read(user.id)}


def periods_for(as_of: date) -> list[str]:
    """Period labels offered when entering an indicator value: this and last year's."""
    out = []
    for y in (as_of.year, as_of.year - 1):
        out += [f"{y}-Q{q}" for q in (1, 2, 3, 4)] + [f"{y}-H1", f"{y}-9M", f"{y}"]
    return [Period.parse(p).code for p in out]
