"""The periodic synthesis report (báo cáo tổng hợp) as plain data.

`SynthesisReport` holds what the report says, all as of one cut-off; `wording` turns it into
sentences, `docx`, `xlsx` and `pdf` lay it out, `build` fills it from the register. This module
depends on none of them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from ..track.growth import GrowthAnalysis
from ..vn import Period, fmt_date, fmt_number

# Task statuses as a report counts them: the official four ways, then the two kept apart.
DONE_ON_TIME = "done_on_time"
DONE_LATE = "done_late"
IN_PROGRESS = "in_progress"  # in term: not done, not yet due at the cut-off
OVERDUE = "overdue"  # due by the cut-off and not done: not completed on time
WAITING = "waiting"  # waiting on a condition (chờ điều kiện): no deadline yet
RECURRING = "recurring"  # recurring (thường xuyên): judged period by period
STATUSES = (DONE_ON_TIME, DONE_LATE, IN_PROGRESS, OVERDUE)
APART = (WAITING, RECURRING)
STATUS_LABELS = {
    DONE_ON_TIME: "Hoàn thành đúng hạn",
    DONE_LATE: "Hoàn thành quá hạn",
    IN_PROGRESS: "Đang thực hiện trong hạn",
    OVERDUE: "Chưa hoàn thành, quá hạn",
    WAITING: "Chờ điều kiện",
    RECURRING: "Thường xuyên",
}

# An indicator's verdict, as the report writes it.
MET, EXCEEDED, MISSED = "Đạt", "Vượt", "Không đạt"
HARD, LIKELY, NOT_DUE, NO_DATA = "Khó đạt", "Dự kiến đạt", "Chưa đến hạn", "Chưa có số liệu"
FORMATS = ("docx", "xlsx", "pdf")
COMPARATOR_SIGNS = {">=": "≥ ", ">": "> ", "<=": "≤ ", "<": "< "}


def on_time_share(counts: Mapping[str, int]) -> float | None:
    """Tasks done on time over tasks that were due: done on time, done late, or overdue."""
    due = counts.get(DONE_ON_TIME, 0) + counts.get(DONE_LATE, 0) + counts.get(OVERDUE, 0)
    return None if due == 0 else counts.get(DONE_ON_TIME, 0) / due * 100


def done(counts: Mapping[str, int]) -> int:
    return counts.get(DONE_ON_TIME, 0) + counts.get(DONE_LATE, 0)


@dataclass(frozen=True)
class Heading:
    """The heading block and the place-and-date line (Decree 30; for a party body, 36-HD/VPTW)."""

    issuer: str  # "Ủy ban nhân dân tỉnh Vĩnh Long", "Tỉnh ủy An Giang", "Sở Tài chính"
    place: str  # "Vĩnh Long"
    date: date
    parent: str | None = None  # the governing body above the issuer ("Ủy ban nhân dân tỉnh …")
    number: str | None = None  # "123/BC-UBND", "45-BC/TU"; blank for the clerk to fill
    party: bool = False
    code: str = "UBND"  # the issuer's part of the number
    body: str = ""  # who reports, where the heading names it otherwise (`Ban Thường vụ Tỉnh ủy …`)

    @property
    def number_line(self) -> str:
        if self.party:  # `Số 45-BC/TU`: no colon, a hyphen (36-HD/VPTW)
            return f"Số {self.number}" if self.number else f"Số      -BC/{self.code}"
        return f"Số: {self.number}" if self.number else f"Số:      /BC-{self.code}"


@dataclass(frozen=True)
class Signature:
    """The signature block's lines (`TM. ỦY BAN NHÂN DÂN`, `KT. CHỦ TỊCH`, `PHÓ CHỦ TỊCH`) and the
    signer's name."""

    lines: tuple[str, ...]
    name: str = ""


@dataclass(frozen=True)
class PlanRef:
    """How the report cites the plan: by what it is (`Kế hoạch ban hành kèm theo Quyết định số …`)."""

    kind: str  # "Kế hoạch", "Kế hoạch hành động", "Chương trình hành động"
    number: str = ""
    date: date | None = None
    issuer: str = ""  # as history needs it: `… Trà Vinh (nay là … Vĩnh Long)`; empty when the same as the report's
    subject: str = ""  # what it implements: "thực hiện Nghị quyết số 01/NQ-CP ngày 08/01/2025 của Chính phủ"

    @property
    def text(self) -> str:
        """`Kế hoạch hành động ban hành kèm theo Quyết định số 77/QĐ-UBND ngày 18/01/2025 của …`."""
        when = f" ngày {fmt_date(self.date)}" if self.date else ""
        if "/QĐ-" in self.number or "-QĐ/" in self.number:
            ref = f"{self.kind} ban hành kèm theo Quyết định số {self.number}{when}"
        elif self.number:
            ref = f"{self.kind} số {self.number}{when}"
        else:
            ref = f"{self.kind}{when}"
        return ref + (f" của {self.issuer}" if self.issuer else "")


@dataclass(frozen=True)
class DepartmentRow:
    department: str
    counts: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def on_time_share(self) -> float | None:
        return on_time_share(self.counts)


@dataclass(frozen=True)
class TaskRow:
    """One task at the cut-off: for the XLSX sheet of its group and the lists of the DOCX."""

    text: str
    departments: tuple[str, ...]
    status: str  # one of STATUSES or APART
    deadline_text: str = ""
    due: date | None = None
    done_on: date | None = None
    percent: float | None = None
    result: str = ""  # the latest result reported in the period
    product: str = ""  # the document that shows it done


@dataclass(frozen=True)
class GroupRow:
    """A task group (the plan's section) with its counts, its tasks and the result lines."""

    section: str
    counts: dict[str, int]
    results: list[str] = field(default_factory=list)
    tasks: list[TaskRow] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(self.counts.values())


@dataclass(frozen=True)
class OverdueTask:
    text: str
    departments: list[str]
    due: date
    days_overdue: int
    deadline_text: str = ""
    difficulty: str | None = None


@dataclass(frozen=True)
class IndicatorRow:
    """An indicator against its target: kế hoạch (with its comparator) / thực hiện / đánh giá."""

    name: str
    unit: str | None
    actual: float | None
    target: float | None = None  # the plan's value; the lower bound of a range
    target_high: float | None = None  # the upper bound of a range
    comparator: str = "="
    previous: float | None = None  # the same period last year
    verdict: str | None = None  # MET, EXCEEDED, MISSED, HARD, LIKELY, NOT_DUE, NO_DATA
    share: float | None = None  # % of the year's plan; None for rates, ceilings and ranks
    estimate: bool = False  # the value is an estimate (ước)
    decimals: int = 0  # as the plan writes its target (`8,0` → 1)
    rate: bool = False  # a rate (%): compared in points, never as a % of plan

    @property
    def same_period(self) -> float | None:
        """Against the same period last year: percent for quantities, points for rates."""
        if self.actual is None or self.previous is None:
            return None
        if self.rate:
            return self.actual - self.previous
        return None if not self.previous else self.actual / self.previous * 100

    def places(self, value: float) -> int:
        """The decimals `value` is written with: the target's as written (`8,0`), or its own when
        it has more, three at most."""
        own = len(f"{value:.6f}".rstrip("0").split(".")[1]) if value != int(value) else 0
        return min(max(self.decimals, own), 3)

    def number(self, value: float | None) -> str:
        """A value with its decimals as written (`8,0`)."""
        return "" if value is None else fmt_number(value, self.places(value))

    @property
    def target_text(self) -> str:
        """`7,0 - 7,5`, `≥ 95`, `< 2`, `Đạt` (qualitative): the comparator shown."""
        if self.comparator == "qualitative":
            return "Đạt"
        if self.comparator == "range" and self.target_high is not None:
            return f"{self.number(self.target)} - {self.number(self.target_high)}"
        if self.target is None:
            return ""
        return COMPARATOR_SIGNS.get(self.comparator, "") + self.number(self.target)

    @property
    def actual_text(self) -> str:
        if self.actual is None:
            return ""
        if self.comparator == "qualitative":
            return "Đạt" if self.actual >= 1 else "Chưa đạt"
        return self.number(self.actual) + (" (ước)" if self.estimate else "")


@dataclass(frozen=True)
class Note:
    """A department's stated result, difficulty or proposal, about one task."""

    department: str
    text: str
    task: str = ""  # the task it is about, shortened


@dataclass(frozen=True)
class Missing:
    """A body that owes reports it has not sent (or sent late) by the cut-off."""

    department: str
    missing: tuple[str, ...]  # periods (codes) not reported
    late: tuple[str, ...] = ()
    group: str | None = None  # the group duty it owes them under (`Các sở, ban, ngành`)
    recipient: str | None = None


@dataclass
class SynthesisReport:
    heading: Heading
    plan: PlanRef
    period: Period
    cutoff: date  # every figure as of this day (the end of the data window)
    signature: Signature
    province: str = ""
    status_counts: dict[str, int] = field(default_factory=dict)
    groups: list[GroupRow] = field(default_factory=list)
    departments: list[DepartmentRow] = field(default_factory=list)
    overdue: list[OverdueTask] = field(default_factory=list)
    waiting: list[TaskRow] = field(default_factory=list)
    indicators: list[IndicatorRow] = field(default_factory=list)
    growth: GrowthAnalysis | None = None
    growth_estimate: bool = True  # growth figures are estimates (ước) unless all official
    difficulties: list[Note] = field(default_factory=list)
    proposals: list[Note] = field(default_factory=list)
    missing: list[Missing] = field(default_factory=list)
    reports_due: int | None = None  # reports due in the period by the cut-off (None: not counted)
    upcoming: list[TaskRow] = field(default_factory=list)  # due in the next period
    next_period: Period | None = None
    recipients: list[str] = field(default_factory=list)
    filing: str = "Lưu: VT"  # the last line of `Nơi nhận`

    @property
    def issuer(self) -> str:
        """Who reports, as the body text names it."""
        return self.heading.body or self.heading.issuer

    @property
    def is_party(self) -> bool:
        return self.heading.party

    @property
    def total_tasks(self) -> int:
        return sum(self.status_counts.values())

    @property
    def report_date(self) -> date:
        return self.heading.date
