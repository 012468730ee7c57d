"""The periodic synthesis report (báo cáo tổng hợp) as plain data, and writing it out.

`SynthesisReport` holds what the report says; `docx`, `xlsx` and `chart`
lay it out. Building one from the database lives in `build`.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from ..errors import KehoachError
from ..track.growth import GrowthAnalysis
from ..vn import Period, fmt_date, fmt_number, fmt_percent, fold

# Task statuses as a report counts them, in table order.
DONE_ON_TIME = "done_on_time"
DONE_LATE = "done_late"
IN_PROGRESS = "in_progress"
OVERDUE = "overdue"
STATUSES = (DONE_ON_TIME, DONE_LATE, IN_PROGRESS, OVERDUE)
STATUS_LABELS = {
    DONE_ON_TIME: "Hoàn thành đúng hạn",
    DONE_LATE: "Hoàn thành quá hạn",
    IN_PROGRESS: "Đang thực hiện",
    OVERDUE: "Quá hạn",
}

MET, EXCEEDED, MISSED = "Đạt", "Vượt", "Không đạt"
FORMATS = ("docx", "xlsx", "pdf")


class ReportError(KehoachError):
    """A report that cannot be written (unknown format, no LibreOffice for PDF, ...)."""


def on_time_share(counts: Mapping[str, int]) -> float | None:
    """Tasks done on time over tasks that were due: done on time, done late, or overdue."""
    due = counts.get(DONE_ON_TIME, 0) + counts.get(DONE_LATE, 0) + counts.get(OVERDUE, 0)
    return None if due == 0 else counts.get(DONE_ON_TIME, 0) / due * 100


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
class GroupRow:
    """A task group (the plan's section) with its counts and the results departments reported."""

    section: str
    counts: dict[str, int]
    results: list[str] = field(default_factory=list)

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


def evaluate(
    actual: float | None,
    comparator: str,
    value: float | None = None,
    low: float | None = None,
    high: float | None = None,
    lower_is_better: bool = False,
) -> str | None:
    """`Vượt`, `Đạt` or `Không đạt` by the register's rules (`track.evaluate`); None if unknown."""
    from .. import track

    if actual is None or (comparator == "range" and (low is None or high is None)):
        return None
    if comparator not in ("range", "qualitative") and value is None:
        return None
    verdict = track.evaluate(comparator, actual, value=value, lo=low, hi=high, lower_better=lower_is_better)
    return {
        track.Evaluation.EXCEEDED: EXCEEDED,
        track.Evaluation.MET: MET,
        track.Evaluation.MISSED: MISSED,
    }.get(verdict)


@dataclass(frozen=True)
class IndicatorRow:
    """An indicator: thực hiện / kế hoạch / % kế hoạch / so cùng kỳ / đánh giá."""

    name: str
    unit: str | None
    actual: float | None
    target: float | None = None  # the plan's value; the lower bound of a range
    target_high: float | None = None  # the upper bound of a range
    comparator: str = "="
    previous: float | None = None  # the same period last year
    evaluation: str | None = None  # given, or computed from the comparator
    share: float | None = None  # % of plan as the register computes it (year to date)
    lower_is_better: bool = False  # a ceiling: % of plan means nothing

    @property
    def percent_of_plan(self) -> float | None:
        if self.share is not None:
            return self.share
        # A ceiling or a rank has no meaningful share (the register's rule too).
        if self.actual is None or not self.target or self.lower_is_better:
            return None
        if self.comparator in ("<", "<=", "qualitative"):
            return None
        return self.actual / self.target * 100

    @property
    def same_period(self) -> float | None:
        """Actual over the same period last year, in percent (`so cùng kỳ`)."""
        if self.actual is None or not self.previous:
            return None
        return self.actual / self.previous * 100

    @property
    def verdict(self) -> str | None:
        if self.evaluation:
            return self.evaluation
        return evaluate(
            self.actual,
            self.comparator,
            self.target,
            self.target,
            self.target_high,
            self.lower_is_better,
        )

    @property
    def target_text(self) -> str:
        if self.comparator == "range" and self.target_high is not None:
            return f"{fmt_number(self.target)} - {fmt_number(self.target_high)}"
        prefix = {">=": "≥ ", ">": "> ", "<=": "≤ ", "<": "< "}.get(self.comparator, "")
        return "" if self.target is None else prefix + fmt_number(self.target)


@dataclass(frozen=True)
class Note:
    """A department's stated difficulty or proposal, from its progress updates."""

    department: str
    text: str


@dataclass
class SynthesisReport:
    issuer: str  # who reports: "Ủy ban nhân dân tỉnh Trà Vinh", "Sở Tài chính"
    province: str
    plan_number: str
    plan_title: str
    period: Period
    report_date: date
    plan_date: date | None = None
    parent: str | None = None  # the issuer's governing body, above it in the heading
    report_number: str | None = None  # "   /BC-UBND" when None
    place: str | None = None  # the date line's place; the province by default
    status_counts: dict[str, int] = field(default_factory=dict)
    groups: list[GroupRow] = field(default_factory=list)
    departments: list[DepartmentRow] = field(default_factory=list)
    overdue: list[OverdueTask] = field(default_factory=list)
    indicators: list[IndicatorRow] = field(default_factory=list)
    growth: GrowthAnalysis | None = None
    difficulties: list[Note] = field(default_factory=list)
    proposals: list[Note] = field(default_factory=list)
    signer_authority: str = ""  # "TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH"
    signer_title: str = ""
    signer_name: str = ""
    recipients: list[str] = field(default_factory=list)

    @property
    def total_tasks(self) -> int:
        return sum(self.status_counts.values())

    @property
    def is_party(self) -> bool:
        """A party committee reports under the Party's rules: its own motto and numbering."""
        return is_party_body(self.issuer)

    @property
    def number_line(self) -> str:
        if self.report_number:
            return f"Số {self.report_number}" if self.is_party else f"Số: {self.report_number}"
        if self.is_party:
            return f"Số      -BC/{issuer_code(self.issuer)}"
        return f"Số:      /BC-{issuer_code(self.issuer)}"

    @property
    def plan_ref(self) -> str:
        """`Kế hoạch số 77/QĐ-UBND ngày 18/01/2025`; `Kế hoạch` alone when it has no number."""
        ref = f"Kế hoạch số {self.plan_number}" if self.plan_number else "Kế hoạch"
        return ref + (f" ngày {fmt_date(self.plan_date)}" if self.plan_date else "")

    @property
    def title(self) -> str:
        return f"Tình hình thực hiện {self.plan_ref}"

    @property
    def subtitle(self) -> str:
        """The plan's own summary (trích yếu) and the period, under the title."""
        t = self.plan_title.strip()
        t = t[:1].lower() + t[1:] if t[:1].isupper() and not t[1:2].isupper() else t
        return f"{t} ({self.period.label})" if t else f"({self.period.label})"


def is_party_body(name: str) -> bool:
    folded = fold(name)
    return any(w in folded for w in ("tinh uy", "thanh uy", "dang uy", "ban thuong vu", "huyen uy"))


def issuer_code(issuer: str) -> str:
    """The issuer's part of a document number: `Ủy ban nhân dân tỉnh X` → `UBND`, `Sở Tài chính`
    → `STC`."""
    words = issuer.replace("-", " ").split()
    low = [w.lower() for w in words]
    if low[:4] == ["ủy", "ban", "nhân", "dân"] or low[:4] == ["uỷ", "ban", "nhân", "dân"]:
        return "UBND"
    if is_party_body(issuer):
        return "TU" if fold("tỉnh ủy") in fold(issuer) else "ĐU"
    if low and low[0] == "sở":
        skip = {"và", "tỉnh"}
        initials = "".join(w[0] for w in words[1:] if w.lower() not in skip)
        return "S" + initials.upper()
    return "".join(w[0] for w in words if w[0].isupper()).upper() or "BC"


def overview(report: SynthesisReport) -> str:
    """The overview paragraph, written from the counts, indicators and growth."""
    c = report.status_counts
    total = report.total_tasks
    done = c.get(DONE_ON_TIME, 0) + c.get(DONE_LATE, 0)
    parts = [
        f"Đến hết {report.period.label}, trong tổng số {total} nhiệm vụ được giao tại "
        f"{report.plan_ref}, đã hoàn thành {done} nhiệm vụ"
    ]
    if total:
        parts[0] += f" (đạt {fmt_percent(done / total * 100, 1)})"
    parts[0] += (
        f", trong đó {c.get(DONE_ON_TIME, 0)} nhiệm vụ hoàn thành đúng hạn và "
        f"{c.get(DONE_LATE, 0)} nhiệm vụ hoàn thành quá hạn; "
        f"{c.get(IN_PROGRESS, 0)} nhiệm vụ đang thực hiện; "
        f"{c.get(OVERDUE, 0)} nhiệm vụ quá hạn chưa hoàn thành."
    )
    share = on_time_share(c)
    if share is not None:
        parts.append(f"Tỷ lệ nhiệm vụ hoàn thành đúng hạn trên số nhiệm vụ đến hạn đạt {fmt_percent(share, 1)}.")
    evaluated = [i for i in report.indicators if i.verdict in (MET, EXCEEDED, MISSED)]
    if evaluated:
        met = sum(1 for i in evaluated if i.verdict in (MET, EXCEEDED))
        exceeded = sum(1 for i in evaluated if i.verdict == EXCEEDED)
        parts.append(
            f"Về chỉ tiêu, có {met}/{len(evaluated)} chỉ tiêu đạt và vượt kế hoạch "
            f"(trong đó {exceeded} chỉ tiêu vượt), {len(evaluated) - met} chỉ tiêu không đạt."
        )
    if report.growth is not None:
        sentence = growth_sentence(report.growth)
        if sentence:
            parts.append(sentence)
    return " ".join(parts)


def headline_period(analysis: GrowthAnalysis) -> str | None:
    """The cumulative period to date (`Q1`, `H1`, `9M`, `Y`), else its last quarter when only
    quarterly figures are known (no levels to add them up)."""
    n = analysis.quarters_known
    for period in ({1: "Q1", 2: "H1", 3: "9M", 4: "Y"}.get(n), f"Q{n}"):
        if period in analysis.total.actual:
            return period
    return None


def growth_sentence(analysis: GrowthAnalysis) -> str:
    period = headline_period(analysis)
    total = analysis.total
    if period is None or period not in total.actual:
        return ""
    actual = total.actual[period]
    label = {
        "Q1": "quý I",
        "Q2": "quý II",
        "Q3": "quý III",
        "Q4": "quý IV",
        "H1": "6 tháng đầu năm",
        "9M": "9 tháng",
        "Y": "cả năm",
    }[period]
    text = f"Tăng trưởng GRDP {label} ước đạt {fmt_percent(actual)}"
    gap = total.gap.get(period)
    if gap is not None:
        scen = total.scenario[period]
        if abs(gap) < 0.005:
            text += f", bằng kịch bản đề ra ({fmt_percent(scen)})"
        else:
            side = "cao hơn" if gap > 0 else "thấp hơn"
            text += f", {side} kịch bản ({fmt_percent(scen)}) {fmt_number(abs(gap), 2)} điểm phần trăm"
    text += "."
    if total.required is not None and total.target is not None:
        text += (
            f" Để đạt mục tiêu tăng trưởng cả năm {fmt_percent(total.target)}, các quý còn lại "
            f"cần tăng bình quân {fmt_percent(total.required)}."
        )
    return text


def write_report(report: SynthesisReport, out: str | Path, fmt: str | None = None) -> Path:
    """Write `report` to `out` as DOCX, XLSX or PDF (by `fmt`, else by the file's suffix)."""
    out = Path(out)
    kind = (fmt or out.suffix.lstrip(".")).lower()
    if kind not in FORMATS:
        raise ReportError(f"Định dạng '{kind}' không được hỗ trợ: chọn một trong docx, xlsx, pdf")
    out.parent.mkdir(parents=True, exist_ok=True)
    if kind == "xlsx":
        from .xlsx import write_xlsx

        write_xlsx(report, out)
        return out
    from .docx import write_docx

    if kind == "docx":
        write_docx(report, out)
        return out
    soffice = find_libreoffice()  # fail before writing anything
    with tempfile.TemporaryDirectory() as tmp:
        docx = Path(tmp) / (out.stem + ".docx")
        write_docx(report, docx)
        pdf = docx_to_pdf(docx, Path(tmp), soffice)
        shutil.move(str(pdf), out)
    return out


def find_libreoffice() -> str:
    for name in ("libreoffice", "soffice"):
        path = shutil.which(name)
        if path:
            return path
    raise ReportError(
        "Không tìm thấy LibreOffice (lệnh libreoffice hoặc soffice) để xuất PDF: cài đặt "
        "(ví dụ `apt-get install libreoffice-writer`) hoặc xuất --format docx rồi chuyển sang PDF."
    )


def docx_to_pdf(docx: Path, outdir: Path, soffice: str | None = None) -> Path:
    """Convert with `libreoffice --headless`; its own profile so parallel runs do not collide."""
    soffice = soffice or find_libreoffice()
    with tempfile.TemporaryDirectory() as profile:
        cmd = [
            soffice,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(outdir),
            str(docx),
        ]
        env = dict(os.environ, HOME=profile)
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=180, env=env)
    pdf = outdir / (docx.stem + ".pdf")
    if done.returncode != 0 or not pdf.exists():
        raise ReportError(
            f"LibreOffice không chuyển được {docx.name} sang PDF (mã {done.returncode}): "
            f"{(done.stderr or done.stdout).strip()[:300]}"
        )
    return pdf
