"""Build a `SynthesisReport` from the register for one plan and one period."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from ..track import Status
from ..track.growth import PERIOD_QUARTERS, GrowthAnalysis, GrowthInput, Scenario, analyse, parse_scenario
from ..vn import Period, fold
from .content import (
    DONE_LATE,
    DONE_ON_TIME,
    IN_PROGRESS,
    OVERDUE,
    DepartmentRow,
    GroupRow,
    IndicatorRow,
    Note,
    OverdueTask,
    ReportError,
    SynthesisReport,
    is_party_body,
)

# The register's statuses → the four the report counts. Recurring, waiting and not yet due
# tasks are in progress: nothing is late about them yet.
STATUS_MAP = {
    Status.DONE_ON_TIME.value: DONE_ON_TIME,
    Status.DONE_LATE.value: DONE_LATE,
    Status.OVERDUE.value: OVERDUE,
}


@dataclass
class ReportOptions:
    """What the register does not know: who signs, the number, the date, the recipients."""

    issuer: str | None = None
    parent: str | None = None
    report_number: str | None = None
    report_date: date | None = None
    place: str | None = None
    signer_authority: str | None = None
    signer_title: str | None = None
    signer_name: str | None = None
    recipients: list[str] | None = None
    scenario: int = 0  # which of the plan's growth scenarios (0: the first, the base case)
    growth: GrowthInput | None = None


CUMULATIVE_LABEL = {1: "-Q1", 2: "-H1", 3: "-9M", 4: ""}


def _owner(name: str) -> str:
    """`Sở Tài chính (Trà Vinh)` → `Sở Tài chính`."""
    return name.rsplit(" (", 1)[0] if name.endswith(")") else name


def plan_updates(db: Any, plan_id: int) -> dict[int, list[dict]]:
    """Every progress update of the plan's tasks, oldest first, in one query (not one per task).

    Read-only, through the store's models and its engine; the store has no bulk method for it.
    """
    from sqlalchemy import select
    from sqlalchemy.orm import Session

    from ..store import ProgressUpdate, Task

    out: dict[int, list[dict]] = defaultdict(list)
    q = (
        select(ProgressUpdate)
        .join(Task, Task.id == ProgressUpdate.task_id)
        .where(Task.plan_id == plan_id)
        .order_by(ProgressUpdate.on, ProgressUpdate.id)
    )
    with Session(db.engine) as s:
        for u in s.scalars(q):
            out[u.task_id].append(
                {
                    "on": u.on,
                    "actor": u.actor,
                    "narrative": u.narrative,
                    "difficulties": u.difficulties,
                    "proposals": u.proposals,
                }
            )
    return out


def _signature_defaults(issuer: str, plan_signer_title: str | None) -> tuple[str, str]:
    """Who signs for the issuer by default: `TM. Ủy ban nhân dân` / `Chủ tịch`, the party
    committee's standing board, or a department's director."""
    if fold(issuer).startswith("uy ban nhan dan"):
        return "TM. Ủy ban nhân dân", plan_signer_title or "Chủ tịch"
    if is_party_body(issuer):
        return "T/M Ban Thường vụ", plan_signer_title or "Bí thư"
    return "", "Giám đốc"


def _parent_of(issuer: str, province: str) -> str | None:
    """A provincial department's heading names its governing body above it (Decree 30)."""
    if province and fold(issuer).startswith("so "):
        return f"Ủy ban nhân dân tỉnh {province}"
    return None


def _speaker(actor: str, owners: list[str]) -> str:
    """Who a note is from: the lead the update's author names, else all the task's leads."""
    mine = [o for o in owners if fold(o) in fold(actor)]
    return mine[0] if mine else ", ".join(owners) or "(chưa giao)"


def _status(task: dict) -> str:
    return STATUS_MAP.get(task["status"], IN_PROGRESS)


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


@dataclass
class _Tally:
    """Task statuses by department and group, results, difficulties, proposals and the overdue
    list, gathered one task at a time."""

    period: Period
    as_of: date  # statuses as of this day
    notes_until: date  # updates written up to this day count for the period
    counts: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    by_dept: dict[str, dict[str, int]] = field(default_factory=lambda: defaultdict(lambda: defaultdict(int)))
    by_group: dict[str, dict[str, int]] = field(default_factory=dict)
    results: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    difficulties: list[Note] = field(default_factory=list)
    proposals: list[Note] = field(default_factory=list)
    overdue: list[OverdueTask] = field(default_factory=list)
    _seen: set[tuple[str, str, str]] = field(default_factory=set)

    def add(self, t: dict, updates: list[dict]) -> None:
        st = _status(t)
        self.counts[st] += 1
        owners = list(dict.fromkeys(_owner(o) for o in t.get("owner_now") or [])) or t["lead"]
        for o in owners or ["(chưa giao)"]:
            self.by_dept[o][st] += 1
        section = t.get("section") or "Nhiệm vụ khác"
        self.by_group.setdefault(section, defaultdict(int))[st] += 1
        for u in updates:
            if not self.period.start <= u["on"] <= self.notes_until:
                continue
            who = _speaker(u.get("actor") or "", owners)
            if u.get("narrative"):
                self.results[section].append(f"{who}: {u['narrative']}")
            self._note("difficulties", who, u.get("difficulties"), self.difficulties)
            self._note("proposals", who, u.get("proposals"), self.proposals)
        if st == OVERDUE and t.get("due"):
            due = date.fromisoformat(t["due"])
            stated = next((u["difficulties"] for u in reversed(updates) if u["difficulties"]), None)
            days = (self.as_of - due).days
            self.overdue.append(OverdueTask(t["text"], owners, due, days, t.get("deadline_text") or "", stated))

    def _note(self, kind: str, who: str, text: str | None, into: list[Note]) -> None:
        text = (text or "").strip()
        if text and (kind, who, text) not in self._seen:  # the same words from the same department once
            self._seen.add((kind, who, text))
            into.append(Note(who, text))


def build_report(
    db: Any,
    plan_id: int,
    period: str | Period,
    *,
    today: date | None = None,
    options: ReportOptions | None = None,
) -> SynthesisReport:
    """Gather the plan's task statuses, updates, indicators and growth as of the period's end."""
    opts = options or ReportOptions()
    p = _period(period, ReportError)
    today = today or date.today()
    as_of = min(p.end, today)
    # Results, difficulties and proposals for a period are written in the month after it.
    notes_until = min(today, p.end + timedelta(days=31))
    plan = db.plan(plan_id)
    data = db.plan_data(plan_id)
    doc = data.get("document") or {}
    tasks = db.tasks(plan=plan_id, as_of=as_of)
    updates_of = plan_updates(db, plan_id)

    tally = _Tally(p, as_of, notes_until)
    for t in tasks:
        tally.add(t, updates_of.get(t["id"], []))

    # Figures for a period come out in the month after it: take those entered by then, and
    # evaluate as of then (a Q2 report judges the year's targets as not yet due).
    indicators_raw = db.indicators(plan=plan_id, as_of=notes_until)
    indicators = [_indicator_row(i, p, notes_until) for i in indicators_raw]
    issuer = opts.issuer or plan.get("issuer") or doc.get("issuer") or ""
    authority, title = _signature_defaults(issuer, doc.get("signer_title"))
    recipients = opts.recipients
    if recipients is None:  # whom the plan's reporting duties report to
        duties = db.duties(plan=plan_id)
        recipients = list(dict.fromkeys(d["recipient"] for d in duties if d.get("recipient")))
        recipients = [r for r in recipients if fold(r) != fold(issuer)]
    return SynthesisReport(
        issuer=issuer,
        province=plan.get("province") or doc.get("province") or "",
        plan_number=plan.get("number") or doc.get("number") or "",
        plan_title=plan.get("title") or doc.get("title") or "",
        plan_date=date.fromisoformat(plan["issued_date"]) if plan.get("issued_date") else None,
        period=p,
        report_date=opts.report_date or today,
        parent=opts.parent or _parent_of(issuer, plan.get("province") or doc.get("province") or ""),
        report_number=opts.report_number,
        place=opts.place,
        status_counts=dict(tally.counts),
        groups=[GroupRow(s, dict(c), tally.results.get(s, [])) for s, c in tally.by_group.items()],
        departments=sorted(
            (DepartmentRow(d, dict(c)) for d, c in tally.by_dept.items()),
            key=lambda r: (-r.total, r.department),
        ),
        overdue=sorted(tally.overdue, key=lambda o: -o.days_overdue),
        indicators=[i for i in indicators if i.actual is not None],
        growth=growth_for(data, p, opts, indicators_raw, notes_until),
        difficulties=tally.difficulties,
        proposals=tally.proposals,
        signer_authority=opts.signer_authority if opts.signer_authority is not None else authority,
        signer_title=opts.signer_title if opts.signer_title is not None else title,
        signer_name=opts.signer_name if opts.signer_name is not None else "",
        recipients=recipients,
    )


def _indicator_row(ind: dict, period: Period, today: date) -> IndicatorRow:
    """The period's value (the latest official, else estimate; year-to-date preferred)."""
    label = str(period)
    # A quarter's year-to-date figure may be filed under the quarter or the half, nine months
    # or year it closes.
    labels = {label}
    if period.kind == "Q":
        labels.add(f"{period.year}{CUMULATIVE_LABEL[period.quarters]}")
    known = [v for v in ind.get("values") or [] if date.fromisoformat(v["on"]) <= today]
    values = [v for v in known if v["period"] in labels]
    # Official figures over estimates, cumulative over single-period, later over earlier.
    values.sort(key=lambda v: (v["kind"] == "official", bool(v["cumulative"]), v["id"]))
    chosen = values[-1] if values else None
    previous = None
    if chosen is not None:
        last_year = f"{period.year - 1}{chosen['period'][4:]}"
        prior = [v for v in known if v["period"] == last_year and bool(v["cumulative"]) == bool(chosen["cumulative"])]
        prior.sort(key=lambda v: (v["kind"] == "official", v["id"]))
        previous = prior[-1]["value"] if prior else None
    comparator = ind.get("comparator") or "="
    ranged = comparator == "range"
    evaluation = _cap(ind["evaluation"]) if ind.get("evaluation") else None
    if ind.get("hard_to_meet"):
        evaluation = f"{evaluation} (khó đạt)" if evaluation else "Khó đạt"
    return IndicatorRow(
        name=ind["name"],
        unit=ind.get("unit"),
        actual=chosen["value"] if chosen else None,
        target=ind.get("min") if ranged else ind.get("target"),
        target_high=ind.get("max") if ranged else None,
        comparator=comparator,
        previous=previous,
        evaluation=evaluation,
        lower_is_better=bool(ind.get("lower_is_better")),
    )


def growth_for(
    data: dict,
    period: Period,
    opts: ReportOptions,
    indicators: list[dict] | None = None,
    today: date | None = None,
) -> GrowthAnalysis | None:
    """Growth against the plan's scenario, from the entered figures, else from the quarterly
    growth values recorded for the plan's growth indicators; None without either."""
    scenarios = data.get("scenarios") or []
    if not scenarios:
        return None
    if not 0 <= opts.scenario < len(scenarios):
        raise ReportError(
            f"Kế hoạch có {len(scenarios)} kịch bản tăng trưởng; không có kịch bản số {opts.scenario + 1}"
        )
    scenario = parse_scenario(scenarios[opts.scenario])
    figures = opts.growth
    if figures is None or not figures.actual:
        figures = growth_from_indicators(indicators or [], scenario, period.year, today)
    if not figures.actual and not figures.reported:
        return None
    upto = period.quarters
    actual = {k: {q: v for q, v in qs.items() if q <= upto} for k, qs in figures.actual.items()}
    reported = {
        k: {p: v for p, v in ps.items() if max(PERIOD_QUARTERS[p]) <= upto} for k, ps in figures.reported.items()
    }
    return analyse(scenario, actual, figures.previous or None, target=figures.target, reported=reported)


def _growth_words(name: str) -> set[str]:
    filler = {"tang", "truong", "dat", "nganh", "khu", "vuc", "va", "trong", "tinh", "gia", "tri"}
    return {w for w in fold(name).replace("-", " ").replace(",", " ").split() if w not in filler}


def growth_from_indicators(
    indicators: list[dict], scenario: Scenario, year: int, today: date | None = None
) -> GrowthInput:
    """Quarterly growth (`2025-Q1` …, single-quarter values) of the growth indicators whose
    names match the scenario's rows: `Tăng trưởng GRDP đạt` the total, `dịch vụ tăng` the
    services row. Indicators of shares (`chiếm`) or other measures are left alone."""
    out = GrowthInput()
    for ind in indicators:
        if ind.get("unit") != "%" or "tang" not in fold(ind["name"]).split():
            continue
        words = _growth_words(ind["name"])
        if "grdp" in words:
            row = scenario.total
        else:
            rows = [r for r in scenario.rows if r.level and words and words <= _growth_words(r.name)]
            if not rows:
                continue
            row = min(rows, key=lambda r: r.level)
        quarters: dict[int, float] = {}
        reported: dict[str, float] = {}
        for v in sorted(ind.get("values") or [], key=lambda v: (v["kind"] == "official", v["id"])):
            label = v["period"]
            if (today and date.fromisoformat(v["on"]) > today) or label[:4] != str(year):
                continue
            rest = label[4:]
            if rest[:2] == "-Q" and not v["cumulative"]:
                quarters[int(rest[2])] = v["value"]
            elif rest[:2] == "-Q":  # year to date at the quarter's end
                reported[CUMULATIVE_LABEL[int(rest[2])].lstrip("-") or "Y"] = v["value"]
            elif rest in ("-H1", "-9M", ""):
                reported[rest.lstrip("-") or "Y"] = v["value"]
        if quarters:
            out.actual[row.name] = quarters
        if reported:
            out.reported[row.name] = reported
    return out


def make_report(
    db: Any,
    plan_id: int,
    period: str,
    out: str | Path,
    *,
    fmt: str | None = None,
    today: date | None = None,
    options: ReportOptions | None = None,
) -> Path:
    """`kehoach report`: build the plan's synthesis report for the period and write it."""
    from .content import write_report

    return write_report(build_report(db, plan_id, period, today=today, options=options), out, fmt)


def growth_analysis(
    db: Any, plan_id: int, period: str | Period, *, options: ReportOptions | None = None, today: date | None = None
) -> GrowthAnalysis | None:
    """`kehoach growth`: the plan's growth against its scenario for the period, as the report shows it."""
    opts = options or ReportOptions()
    p = _period(period, ReportError)
    until = min(today or date.today(), p.end + timedelta(days=31))
    return growth_for(db.plan_data(plan_id), p, opts, db.indicators(plan=plan_id, as_of=until), until)


def _period(value: str | Period, error: type[Exception]) -> Period:
    if isinstance(value, Period):
        return value
    try:
        return Period.parse(value)
    except ValueError as e:
        raise error(str(e)) from None
