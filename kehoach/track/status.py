"""Task status as small pure functions: progress, effective deadlines, statuses per period, revisions.

Nothing here touches the database; the store loads rows and calls these, and tests
call them directly with tables of cases.
"""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from ..errors import ValidationError
from ..vn import fold
from . import calendar as cal

# --- task status ------------------------------------------------------------------------------


class Status(StrEnum):
    """A task's status as the Vietnamese government counts it."""

    DONE_ON_TIME = "hoàn thành đúng hạn"
    DONE_LATE = "hoàn thành quá hạn"
    IN_TERM = "đang thực hiện trong hạn"
    DUE_SOON = "sắp đến hạn"
    OVERDUE = "quá hạn chưa hoàn thành"
    WAITING = "chờ điều kiện"
    RECURRING = "thường xuyên"
    NOT_STARTED = "chưa đến kỳ"  # a recurring task's period that has not begun


DONE = (Status.DONE_ON_TIME, Status.DONE_LATE)

#: what an officer reports in an update, with the spellings accepted for it
PROGRESS = {"chưa thực hiện": "not_started", "đang thực hiện": "in_progress", "hoàn thành": "done"}
_PROGRESS_ALIASES = {fold(k): v for k, v in PROGRESS.items()} | {v: v for v in PROGRESS.values()}

DEFAULT_SOON_DAYS = 7
CONDITION_DAYS = 30  # a conditional task is due this many days after its event, unless set


def progress_state(value: str) -> str:
    """`hoàn thành` / `done` → `done`; raise ValidationError for anything else."""
    state = _PROGRESS_ALIASES.get(fold(value))
    if state is None:
        raise ValidationError("status", value, "dùng 'chưa thực hiện', 'đang thực hiện' hoặc 'hoàn thành'")
    return state


def check_percent(value: float | None) -> float | None:
    if value is not None and (math.isnan(value) or not 0 <= value <= 100):
        raise ValidationError("percent", value, "phần trăm phải từ 0 đến 100")
    return value


def completion(updates: Iterable[tuple[date, str]], as_of: date) -> date | None:
    """The date a task was done as of `as_of`, from its (date, state) updates in order.

    A later update that reopens the task (any state but done) cancels the completion.
    """
    done_on: date | None = None
    for on, state in updates:
        if on > as_of:
            continue
        done_on = (done_on or on) if state == "done" else None
    return done_on


def effective_due(
    due: date | None,
    *,
    plan_end: date | None = None,
    recurring: bool = False,
    condition: str | None = None,
    condition_met_on: date | None = None,
    condition_due: date | None = None,
    extensions: Sequence[tuple[date, date]] = (),
    as_of: date,
) -> date | None:
    """The deadline in force on `as_of`: extensions granted by then, else the document's.

    A conditional deadline starts when its event is marked; a task with no deadline
    takes the plan's period end.
    """
    granted = [new for on, new in extensions if on <= as_of]
    if granted:
        return granted[-1]
    if condition and due is None:
        if condition_met_on is None or condition_met_on > as_of:
            return None
        return condition_due or condition_met_on + timedelta(days=CONDITION_DAYS)
    if due is None and not recurring:
        return plan_end
    return due


def task_status(
    *,
    due: date | None,
    done_on: date | None,
    as_of: date,
    recurring: bool = False,
    waiting: bool = False,
    soon_days: int = DEFAULT_SOON_DAYS,
) -> Status:
    """Status on `as_of` of a task due `due` and done `done_on` (None: not done)."""
    if done_on is not None and done_on <= as_of:
        return Status.DONE_ON_TIME if due is None or done_on <= due else Status.DONE_LATE
    if recurring:
        return Status.RECURRING
    if waiting:
        return Status.WAITING
    if due is None:
        return Status.IN_TERM
    if as_of > due:
        return Status.OVERDUE
    if (due - as_of).days <= soon_days:
        return Status.DUE_SOON
    return Status.IN_TERM


def status_at_cutoff(
    *,
    due: date | None,
    done_on: date | None,
    cutoff: date,
    recurring: bool = False,
    waiting: bool = False,
) -> Status:
    """The official status of a task at a report's cut-off (the end of its data window).

    Four ways: done on time, done late, in term, or overdue — a task due by the cut-off, its
    last day included, and not done by then is not completed on time. Recurring tasks and
    tasks waiting on a condition are counted apart (`RECURRING`, `WAITING`); never `DUE_SOON`.
    """
    if done_on is not None and done_on <= cutoff:
        return Status.DONE_ON_TIME if due is None or done_on <= due else Status.DONE_LATE
    if recurring:
        return Status.RECURRING
    if waiting:
        return Status.WAITING
    if due is not None and due <= cutoff:
        return Status.OVERDUE
    return Status.IN_TERM


@dataclass(frozen=True)
class PeriodStatus:
    period: str
    due: date
    status: Status
    done_on: date | None


def period_statuses(
    frequency: str,
    start: date,
    as_of: date,
    done: dict[str, date],
    *,
    until: date | None = None,
    soon_days: int = DEFAULT_SOON_DAYS,
) -> list[PeriodStatus]:
    """A recurring task's status per reporting period from `start` to the period holding `as_of`.

    `done` maps a period label to the date its work was reported done.
    """
    if frequency not in ("monthly", "quarterly", "semiannual", "annual"):
        frequency = "quarterly"
    horizon = max(as_of, start)
    if until is not None:
        horizon = min(horizon, until)
    out = []
    for p in cal.periods(frequency, start, cal.month_end(horizon.year, 12)):
        if p.start > horizon:
            break
        if p.start > as_of:
            status = Status.NOT_STARTED
        else:
            status = task_status(due=p.end, done_on=done.get(p.code), as_of=as_of, soon_days=soon_days)
        out.append(PeriodStatus(p.code, p.end, status, done.get(p.code)))
    return out


# --- plans and revisions ----------------------------------------------------------------------


def plan_period_end(plan: dict) -> date | None:
    """The last day a plan covers: its title's years, else its indicators', else its issue year."""
    title = (plan.get("document") or {}).get("title") or ""
    span = re.findall(r"(?<!\d)(20\d\d)\s*[-–]\s*(20\d\d)(?!\d)", title)
    if span:
        return date(max(int(b) for _, b in span), 12, 31)
    years = re.findall(r"năm\s+(20\d\d)(?!\d)", title)
    if years:
        return date(max(int(y) for y in years), 12, 31)
    ind_years = [int(m) for i in plan.get("indicators") or [] for m in re.findall(r"20\d\d", str(i.get("year") or ""))]
    if ind_years:
        return date(min(ind_years), 12, 31)
    issued = (plan.get("document") or {}).get("issued_date")
    if issued:
        return date(date.fromisoformat(issued).year, 12, 31)
    return None


def plan_period_start(plan: dict) -> date | None:
    """The first day a plan covers: 1 January of its title's first year, else of its end year."""
    title = (plan.get("document") or {}).get("title") or ""
    span = re.findall(r"(?<!\d)(20\d\d)\s*[-–]\s*(20\d\d)(?!\d)", title)
    if span:
        return date(min(int(a) for a, _ in span), 1, 1)
    end = plan_period_end(plan)
    return None if end is None else date(end.year, 1, 1)


@dataclass(frozen=True)
class TaskShape:
    """What a revision compares of a task."""

    section: str
    text: str
    lead: tuple[str, ...]
    due: date | None
    deadline_text: str | None


def _norm(text: str) -> str:
    return " ".join(text.split())


def match_tasks(old: Sequence[TaskShape], new: Sequence[TaskShape], threshold: float = 0.9) -> list[tuple[int, int]]:
    """Pairs (old index, new index) of the same task across two versions.

    Exact text within the same section first, then exact text anywhere, then the
    closest text above `threshold` similarity (a reworded task keeps its progress).
    """
    pairs: list[tuple[int, int]] = []
    free_old = set(range(len(old)))
    free_new = list(range(len(new)))
    for key in (lambda t: (_norm(t.section), _norm(t.text)), lambda t: _norm(t.text)):
        index: dict[object, list[int]] = {}
        for i in sorted(free_old):
            index.setdefault(key(old[i]), []).append(i)
        rest = []
        for j in free_new:
            candidates = index.get(key(new[j]))
            if candidates:
                i = candidates.pop(0)
                free_old.discard(i)
                pairs.append((i, j))
            else:
                rest.append(j)
        free_new = rest
    for j in free_new:
        best, best_i = threshold, None
        for i in sorted(free_old):
            ratio = difflib.SequenceMatcher(None, _norm(old[i].text), _norm(new[j].text)).ratio()
            if ratio >= best:
                best, best_i = ratio, i
        if best_i is not None:
            free_old.discard(best_i)
            pairs.append((best_i, j))
    return sorted(pairs, key=lambda p: p[1])


def diff_tasks(old: Sequence[TaskShape], new: Sequence[TaskShape]) -> tuple[list[tuple[int, int]], dict]:
    """Match two versions' tasks and name the changes: added, removed, reassigned, moved."""
    pairs = match_tasks(old, new)
    matched_old = {i for i, _ in pairs}
    matched_new = {j for _, j in pairs}
    diff: dict[str, list] = {
        "added": [],
        "removed": [],
        "reassigned": [],
        "deadline_moved": [],
        "reworded": [],
    }
    for j, t in enumerate(new):
        if j not in matched_new:
            diff["added"].append({"new": j, "text": t.text})
    for i, t in enumerate(old):
        if i not in matched_old:
            diff["removed"].append({"old": i, "text": t.text})
    for i, j in pairs:
        a, b = old[i], new[j]
        if a.lead != b.lead:
            diff["reassigned"].append({"old": i, "new": j, "before": list(a.lead), "after": list(b.lead)})
        if a.due != b.due or (a.deadline_text or None) != (b.deadline_text or None):
            diff["deadline_moved"].append(
                {
                    "old": i,
                    "new": j,
                    "before": a.due.isoformat() if a.due else a.deadline_text,
                    "after": b.due.isoformat() if b.due else b.deadline_text,
                }
            )
        if _norm(a.text) != _norm(b.text):
            diff["reworded"].append({"old": i, "new": j, "before": a.text, "after": b.text})
    return pairs, diff


# --- statistics -------------------------------------------------------------------------------


def counts(statuses: Iterable[Status]) -> dict:
    """Counts per status and the share done on time among the tasks that have come due.

    The share follows the Government's ranking: done on time over tasks done or past due
    (recurring and waiting tasks are not counted).
    """
    c = {s.value: 0 for s in Status if s is not Status.NOT_STARTED}
    for s in statuses:
        c[s.value] = c.get(s.value, 0) + 1
    total = sum(c.values())
    due = c[Status.DONE_ON_TIME] + c[Status.DONE_LATE] + c[Status.OVERDUE]
    return {
        "total": total,
        "by_status": c,
        "due": due,
        "on_time_rate": round(c[Status.DONE_ON_TIME] / due * 100, 1) if due else None,
    }
