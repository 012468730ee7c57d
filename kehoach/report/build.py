"""Build a `SynthesisReport` from the register for one plan, one period and one cut-off.

Everything is as of the cut-off (by default the period's last day, or the report's date if it
comes first): task statuses in the official four ways (`track.status_at_cutoff`), the notes
departments dated within the period up to it, the indicator values of periods ended by it.
Regenerating a past report therefore gives the same figures unless that period's data changed.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from .. import track
from ..errors import ReportError
from ..track import Status
from ..track.growth import GrowthAnalysis, GrowthInput
from ..vn import Period, fold, parse_date
from . import recipients as recipients_
from .content import (
    DONE_LATE,
    DONE_ON_TIME,
    IN_PROGRESS,
    OVERDUE,
    RECURRING,
    WAITING,
    DepartmentRow,
    GroupRow,
    Heading,
    Missing,
    Note,
    OverdueTask,
    PlanRef,
    SynthesisReport,
    TaskRow,
)
from .coverage import similarity, words
from .figures import growth_for, indicator_row
from .signature import is_party_body, issuer_code, party_heading, signature
from .wording import names as join_names
from .wording import plan_subject, sentence_case, shorten

STATUS_KEY = {
    Status.DONE_ON_TIME: DONE_ON_TIME,
    Status.DONE_LATE: DONE_LATE,
    Status.IN_TERM: IN_PROGRESS,
    Status.OVERDUE: OVERDUE,
    Status.WAITING: WAITING,
    Status.RECURRING: RECURRING,
}
GROUP_PREFIXES = ("nhom nhiem vu, giai phap ve ", "nhom nhiem vu ve ", "nhiem vu, giai phap ve ", "nhom ", "ve ")
SAME_GROUP = 0.8  # two headings this alike (content words) are one group written twice
UNASSIGNED = "(chưa giao)"
Said = tuple[tuple[str, ...], str, str]  # who (the departments), about which task, the words


@dataclass
class ReportOptions:
    """What the register does not know, or the office wants otherwise: who issues and signs, the
    number, the date, the place, the cut-off, the recipients. None: the default from the plan."""

    issuer: str | None = None
    parent: str | None = None
    report_number: str | None = None
    report_date: date | None = None
    cutoff: date | None = None
    place: str | None = None
    province: str | None = None  # the account's province: the place and the successor to name
    signer_authority: str | None = None
    signer_title: str | None = None
    signer_name: str | None = None
    recipients: list[str] | None = None
    filing: str | None = None  # the drafting unit after `Lưu: VT` (`TH`), or the whole line
    scenario: int = 0  # which of the plan's growth scenarios (0: the first, the base case)
    growth: GrowthInput | None = None


def _owner(name: str) -> str:
    """`Sở Tài chính (Vĩnh Long)` → `Sở Tài chính`."""
    return name.rsplit(" (", 1)[0] if name.endswith(")") else name


def _speaker(actor: str, owners: list[str]) -> tuple[str, ...]:
    """Who a note is from: the lead the update's author names, else all the task's leads."""
    mine = [o for o in owners if fold(o) in fold(actor)]
    return (mine[0],) if mine else tuple(owners) or (UNASSIGNED,)


def group_name(section: str) -> str:
    """A heading without `Nhóm nhiệm vụ về …` and the like, in sentence case."""
    text = " ".join((section or "").split()).rstrip(" .;:,")
    f = fold(text)
    for prefix in GROUP_PREFIXES:
        if f.startswith(prefix) and len(f) > len(prefix) + 10:
            text = text[len(prefix) :]
            break
    return sentence_case(text) if text else "Nhiệm vụ khác"


def same_group(a: str, b: str) -> bool:
    """Two headings of one group: alike (their content words), or one's words all in the other's
    (`… chuyển đổi số` and `… chuyển đổi số phục vụ trực tiếp …`), four words at least."""
    if fold(a) == fold(b) or similarity(a, b) >= SAME_GROUP:
        return True
    wa, wb = words(a), words(b)
    small, large = (wa, wb) if len(wa) <= len(wb) else (wb, wa)
    return len(small) >= 4 and small <= large


class Groups:
    """The plan's task groups in order, a heading written twice (`Tập trung hoàn thiện thể chế …`,
    `Nhóm nhiệm vụ về tập trung hoàn thiện thể chế …`) counted as one."""

    def __init__(self) -> None:
        self.names: list[str] = []
        self._seen: dict[str, str] = {}

    def of(self, section: str) -> str:
        if section in self._seen:
            return self._seen[section]
        name = group_name(section)
        same = next((g for g in self.names if same_group(g, name)), None)
        if same is None:
            self.names.append(name)
            same = name
        self._seen[section] = same
        return same


@dataclass
class _Tally:
    """Statuses by department and group, task rows, result lines, notes and the overdue list,
    gathered one task at a time as of the cut-off."""

    period: Period
    cutoff: date
    counts: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    by_dept: dict[str, dict[str, int]] = field(default_factory=lambda: defaultdict(lambda: defaultdict(int)))
    by_group: dict[str, dict[str, int]] = field(default_factory=dict)
    rows: dict[str, list[TaskRow]] = field(default_factory=lambda: defaultdict(list))
    results: dict[str, list[Said]] = field(default_factory=lambda: defaultdict(list))
    difficulties: list[Said] = field(default_factory=list)
    proposals: list[Said] = field(default_factory=list)
    overdue: list[OverdueTask] = field(default_factory=list)
    waiting: list[TaskRow] = field(default_factory=list)
    groups: Groups = field(default_factory=Groups)

    def add(self, t: dict, updates: list[dict]) -> None:
        due = date.fromisoformat(t["due"]) if t.get("due") else None
        done_on = date.fromisoformat(t["done_on"]) if t.get("done_on") else None
        waiting = bool(t.get("condition")) and not t.get("due_document") and due is None
        status = STATUS_KEY[
            track.status_at_cutoff(
                due=due, done_on=done_on, cutoff=self.cutoff, recurring=bool(t.get("recurring")), waiting=waiting
            )
        ]
        owners = list(dict.fromkeys(_owner(o) for o in t.get("owner_now") or [])) or list(t.get("lead") or [])
        self.counts[status] += 1
        for o in owners or [UNASSIGNED]:
            self.by_dept[o][status] += 1
        group = self.groups.of(t.get("section") or "")
        self.by_group.setdefault(group, defaultdict(int))[status] += 1
        label = shorten(t["text"])
        latest = next((u for u in reversed(updates) if u.get("narrative")), None)
        row = TaskRow(
            t["text"],
            tuple(owners),
            status,
            t.get("deadline_text") or "",
            due,
            done_on if status in (DONE_ON_TIME, DONE_LATE) else None,
            next((u["percent"] for u in reversed(updates) if u.get("percent") is not None), None),
            latest["narrative"] if latest else "",
            t.get("product_number") or "" if done_on and done_on <= self.cutoff else "",
        )
        self.rows[group].append(row)
        if status == WAITING:
            self.waiting.append(row)
        self._notes(group, label, owners, updates, row)
        if status == OVERDUE and due is not None:
            stated = next((u["difficulties"] for u in reversed(updates) if u.get("difficulties")), None)
            deadline = t.get("deadline_text") or ""
            self.overdue.append(OverdueTask(t["text"], owners, due, (self.cutoff - due).days, deadline, stated))

    def _notes(self, group: str, label: str, owners: list[str], updates: list[dict], row: TaskRow) -> None:
        """The task's latest result in the period, and every difficulty and proposal stated in it."""
        for u in updates:
            who = _speaker(u.get("actor") or "", owners)
            if (u.get("difficulties") or "").strip():
                self.difficulties.append((who, label, u["difficulties"].strip()))
            if (u.get("proposals") or "").strip():
                self.proposals.append((who, label, u["proposals"].strip()))
        latest = next((u for u in reversed(updates) if u.get("narrative")), None)
        if latest is not None:
            who = _speaker(latest.get("actor") or "", owners)
            self.results[group].append((who, label, latest["narrative"].strip()))
        elif row.done_on is not None and row.done_on >= self.period.start:
            product = f" (sản phẩm: {row.product})" if row.product else ""
            self.results[group].append((tuple(owners) or (UNASSIGNED,), label, f"Đã hoàn thành{product}."))


def collapse(items: list[Said]) -> list[Note]:
    """One note per text: the task it is about named once; the same words for several tasks
    given once, with the departments and the tasks they cover."""
    by_text: dict[str, list[tuple[tuple[str, ...], str]]] = defaultdict(list)
    for who, label, text in items:
        if (who, label) not in by_text[text]:
            by_text[text].append((who, label))
    out = []
    for text, about in by_text.items():
        speakers = join_names([name for who, _ in about for name in who])
        labels = list(dict.fromkeys(label for _, label in about))
        if len(labels) == 1:
            task = f"nhiệm vụ “{labels[0]}”"
        else:
            shown = "; ".join(f"“{x}”" for x in labels[:3]) + ("; …" if len(labels) > 3 else "")
            task = f"{len(labels)} nhiệm vụ: {shown}"
        out.append(Note(speakers, text, task))
    return out


def _cutoff(period: Period, asked: date | None, report_date: date) -> date:
    """The day every figure is taken at: the period's last day, or the report's date if earlier."""
    cutoff = asked or min(period.end, report_date)
    if not period.start <= cutoff <= period.end:
        raise ReportError(
            f"Ngày chốt số liệu {cutoff.strftime('%d/%m/%Y')} nằm ngoài kỳ {period.label} "
            f"({period.start.strftime('%d/%m/%Y')} - {period.end.strftime('%d/%m/%Y')}): chọn một ngày trong kỳ"
        )
    return cutoff


def _plan_kind(doc_type: str | None) -> str:
    t = sentence_case(doc_type or "Kế hoạch")
    return t if fold(t).startswith(("ke hoach", "chuong trinh")) else "Kế hoạch"


def heading(plan: dict, doc: dict, opts: ReportOptions, registry: Any, on: date) -> Heading:
    """The heading as of the report's date: a merged province's successor issues it, from its
    place; the body that reports (`Ban Thường vụ Tỉnh ủy …`) may be named otherwise in the
    heading (`Tỉnh ủy …`)."""
    province = plan.get("province") or doc.get("province") or ""
    now_province = opts.province or registry.province_on(province, on) or province
    written = plan.get("issuer") or doc.get("issuer") or ""
    body = opts.issuer or registry.now(written, province, on) or f"Ủy ban nhân dân {registry.local_name(now_province)}"
    party = is_party_body(body)
    parent, name = party_heading(body, now_province) if party else (None, body)
    if not party and fold(body).startswith("so "):
        parent = f"Ủy ban nhân dân {registry.local_name(now_province)}"
    place = opts.place or now_province
    return Heading(name, place, on, opts.parent or parent, opts.report_number, party, issuer_code(name), body)


def plan_ref(plan: dict, doc: dict, body: str, registry: Any, on: date) -> PlanRef:
    written = plan.get("issuer") or doc.get("issuer") or ""
    province = plan.get("province") or doc.get("province") or ""
    now = registry.now(written, province, on)
    # the plan's own issuer is named where it is not the reporting body, or where it has merged
    issuer = "" if fold(written) == fold(body) else registry.formerly(written, province, on) if written else ""
    if fold(now) != fold(body) and fold(written) != fold(now):
        issuer = written
    issued = plan.get("issued_date") or doc.get("issued_date")
    if not issuer and not (plan.get("number") or doc.get("number")):
        issuer = written  # a plan without a number is known by who issued it
    return PlanRef(
        _plan_kind(plan.get("doc_type") or doc.get("doc_type")),
        plan.get("number") or doc.get("number") or "",
        date.fromisoformat(issued) if issued else None,
        issuer,
        plan_subject(plan.get("title") or doc.get("title") or ""),
    )


def plan_signer_title(plan: dict, doc: dict, body: str, registry: Any, on: date) -> str | None:
    """Who signed the plan, as the default signer of a report by the same body (or its successor)."""
    written = plan.get("issuer") or doc.get("issuer") or ""
    now = registry.now(written, plan.get("province") or doc.get("province") or None, on)
    return doc.get("signer_title") if fold(now) == fold(body) or fold(written) == fold(body) else None


def next_period(p: Period) -> Period:
    """The period after: the next month or quarter; the second half after the first; the fourth
    quarter after nine months; the next year."""
    if p.kind == "M":
        return Period(p.year + p.index // 12, "M", p.index % 12 + 1)
    if p.kind == "Q":
        return Period(p.year + p.index // 4, "Q", p.index % 4 + 1)
    if p.kind == "H1":
        return Period(p.year, "H2")
    if p.kind == "9M":
        return Period(p.year, "Q", 4)
    return Period(p.year + 1)


def _upcoming(rows: dict[str, list[TaskRow]], cutoff: date, until: date) -> list[TaskRow]:
    """Open tasks due after the cut-off up to the next period's end: the next period's key tasks."""
    found = [r for rs in rows.values() for r in rs if r.due and cutoff < r.due <= until and r.done_on is None]
    return sorted(found, key=lambda r: (r.due, r.text))


def missing_reports(db: Any, plan_id: int, period: Period, cutoff: date) -> tuple[list[Missing], int]:
    """Per body owing the plan's reports (each department of a group duty too): the reports due
    in the period up to the cut-off that were not sent by it, or sent late; and how many were due."""
    rows: dict[str, dict[str, Any]] = {}
    due = db.calendar(period.start, cutoff, as_of=cutoff, plan=plan_id)
    for r in due:
        if r["state"] not in ("quá hạn", "trễ hạn"):
            continue
        m = rows.setdefault(r["agency"], {"missing": [], "late": [], "group": r.get("group"), "to": r["recipient"]})
        m["missing" if r["state"] == "quá hạn" else "late"].append(r["period"])
    missing = [
        Missing(name, tuple(dict.fromkeys(m["missing"])), tuple(dict.fromkeys(m["late"])), m["group"], m["to"])
        for name, m in sorted(rows.items(), key=lambda kv: (-len(kv[1]["missing"]), kv[0]))
    ]
    return missing, len(due)


def plan_facts(data: dict, plan: dict) -> recipients_.PlanFacts:
    doc = data.get("document") or {}
    duties = data.get("reporting") or []
    tasks = data.get("tasks") or []
    return recipients_.PlanFacts(
        tuple(doc.get("implements") or ()),
        plan.get("title") or doc.get("title") or "",
        tuple(d.get("text") or "" for d in duties) + tuple(t.get("text") or "" for t in tasks),
        tuple(d["recipient"] for d in duties if d.get("recipient")),
        tuple(dict.fromkeys(n for t in tasks for n in t.get("lead") or [])),
    )


def build_report(
    db: Any,
    plan_id: int,
    period: str | Period,
    *,
    today: date | None = None,
    options: ReportOptions | None = None,
) -> SynthesisReport:
    """The plan's report for the period, every figure as of one cut-off."""
    opts = options or ReportOptions()
    p = _period(period, ReportError)
    report_date = opts.report_date or today or db.today()
    cutoff = _cutoff(p, opts.cutoff, report_date)
    plan, data = db.plan(plan_id), db.plan_data(plan_id)
    doc = data.get("document") or {}
    head = heading(plan, doc, opts, db.registry, report_date)
    body = head.body
    tasks = db.tasks(plan=plan_id, as_of=cutoff)
    updates = db.plan_updates(plan_id, since=p.start, until=cutoff)
    tally = _Tally(p, cutoff)
    for t in tasks:
        tally.add(t, updates.get(t["id"], []))
    raw = db.indicators(plan=plan_id, as_of=cutoff)
    indicators = [indicator_row(i, p, cutoff) for i in raw]
    growth, estimate = growth_for(data, p, opts.scenario, opts.growth, raw, cutoff)
    following = next_period(p)
    missing, reports_due = missing_reports(db, plan_id, p, cutoff)
    return SynthesisReport(
        heading=head,
        plan=plan_ref(plan, doc, body, db.registry, report_date),
        period=p,
        cutoff=cutoff,
        signature=signature(
            body,
            opts.signer_title or plan_signer_title(plan, doc, body, db.registry, report_date),
            opts.signer_name or "",
            opts.signer_authority,
        ),
        province=head.place,
        status_counts=dict(tally.counts),
        groups=[
            GroupRow(g, dict(tally.by_group[g]), _lines(tally.results.get(g, [])), tally.rows[g])
            for g in tally.groups.names
            if g in tally.by_group
        ],
        departments=sorted(
            (DepartmentRow(d, dict(c)) for d, c in tally.by_dept.items()), key=lambda r: (-r.total, r.department)
        ),
        overdue=sorted(tally.overdue, key=lambda o: (-o.days_overdue, o.text)),
        waiting=tally.waiting,
        indicators=[i for i in indicators if i.actual is not None],
        growth=growth,
        growth_estimate=estimate,
        difficulties=collapse(tally.difficulties),
        proposals=collapse(tally.proposals),
        missing=missing,
        reports_due=reports_due,
        upcoming=_upcoming(tally.rows, cutoff, following.end),
        next_period=following,
        recipients=_recipients(opts, data, plan, body, db.registry, report_date, None if head.party else head.parent),
        filing=_filing(opts, body, head.party, db.registry.is_city(head.place)),
    )


def _lines(items: list[Said]) -> list[str]:
    return [f"{n.department} ({n.task}): {n.text}" for n in collapse(items)]


def _recipients(
    opts: ReportOptions, data: dict, plan: dict, body: str, registry: Any, on: date, parent: str | None = None
) -> list[str]:
    if opts.recipients is not None:
        return [r for r in (x.strip().strip(";,.").strip() for x in opts.recipients) if r and fold(r) != fold(body)]
    province = plan.get("province") or (data.get("document") or {}).get("province") or ""
    facts = plan_facts(data, plan)
    return recipients_.derive(facts, issuer=body, province=province, registry=registry, on=on, parent=parent)


def _filing(opts: ReportOptions, body: str, party: bool, city: bool) -> str:
    if opts.filing and fold(opts.filing).startswith("luu"):
        return opts.filing.strip().rstrip(".;,")
    return recipients_.filing_line(body, party, opts.filing, city)


# --- the report's form (web) --------------------------------------------------------------------

FORM_FIELDS = ("period", "format", "date", "cutoff", "number", "issuer", "place", "signer_title", "signer_name")
FORM_LISTS = ("recipients",)


def _field_date(fields: Mapping[str, str], name: str) -> date | None:
    raw = (fields.get(name) or "").strip()
    if not raw:
        return None
    try:
        return parse_date(raw)
    except ValueError as e:
        raise track.ValidationError(name, raw, str(e)) from None


def options_from_fields(fields: Mapping[str, str], *, province: str | None = None) -> ReportOptions:
    """The options a form gives (blank: the default), the account's province for the place."""

    def get(name: str) -> str | None:
        value = " ".join((fields.get(name) or "").split())
        if len(value) > 400:
            raise track.ValidationError(name, value[:40] + "…", "tối đa 400 ký tự")
        return value or None

    recipients = None
    if (fields.get("recipients") or "").strip():
        recipients = [line for line in fields["recipients"].splitlines() if line.strip()][:60]
    return ReportOptions(
        issuer=get("issuer"),
        report_number=get("number"),
        report_date=_field_date(fields, "date"),
        cutoff=_field_date(fields, "cutoff"),
        place=get("place"),
        province=province,
        signer_title=get("signer_title"),
        signer_name=get("signer_name"),
        recipients=recipients,
        filing=get("filing"),
    )


def report_form(db: Any, plan_id: int, *, on: date, province: str | None, period: str | None = None) -> dict:
    """What the report form starts with: every default from the plan, the account's province and
    the day, for the office to keep or change."""
    try:
        p = Period.parse(period) if period else Period.containing(on, "Q")
    except ValueError as e:
        raise track.ValidationError("period", period, str(e)) from None
    plan, data = db.plan(plan_id), db.plan_data(plan_id)
    doc = data.get("document") or {}
    opts = ReportOptions(province=province)
    head = heading(plan, doc, opts, db.registry, on)
    from ..track import calendar as cal

    frequency = {"M": "monthly", "H1": "semiannual", "H2": "semiannual", "Y": "annual"}.get(p.kind, "quarterly")
    title = plan_signer_title(plan, doc, head.body, db.registry, on)
    sig = signature(head.body, title, "")
    parent = None if head.party else head.parent
    return {
        "plan": plan,
        "period": p.code,
        "format": "docx",
        "date": on.strftime("%d/%m/%Y"),
        "cutoff": min(p.end, max(on, p.start)).strftime("%d/%m/%Y"),
        # the end of Decree 09/2019's data window, for an office that reports by it
        "decree09_cutoff": cal.cutoff(frequency, p)[1].strftime("%d/%m/%Y"),
        "number": "",
        "issuer": head.body,
        "place": head.place,
        "signer_title": title or sig.lines[-1].capitalize(),
        "signer_name": "",
        "signature": list(sig.lines),
        "recipients": "\n".join(_recipients(opts, data, plan, head.body, db.registry, on, parent)),
        "filing": _filing(opts, head.body, head.party, db.registry.is_city(head.place)),
        "heading": {"issuer": head.issuer, "parent": head.parent, "party": head.party, "number": head.number_line},
    }


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
    from .write import write_report

    return write_report(build_report(db, plan_id, period, today=today, options=options), out, fmt)


def growth_analysis(
    db: Any, plan_id: int, period: str | Period, *, options: ReportOptions | None = None, today: date | None = None
) -> GrowthAnalysis | None:
    """`kehoach growth`: the plan's growth against its scenario for the period, as the report shows it."""
    opts = options or ReportOptions()
    p = _period(period, ReportError)
    cutoff = _cutoff(p, opts.cutoff, today or db.today())
    raw = db.indicators(plan=plan_id, as_of=cutoff)
    return growth_for(db.plan_data(plan_id), p, opts.scenario, opts.growth, raw, cutoff)[0]


def _period(value: str | Period, error: type[Exception]) -> Period:
    if isinstance(value, Period):
        return value
    try:
        return Period.parse(value)
    except ValueError as e:
        raise error(str(e)) from None
