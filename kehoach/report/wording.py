"""The report's sentences, written from its data: title, introduction, general assessment, group
lines, indicators, growth, missing reports, closing. And the marked places for the office's own
words where the data cannot speak."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import date

from ..track.growth import GrowthAnalysis
from ..vn import Period, fmt_date, fmt_number, fold
from .content import (
    DONE_LATE,
    DONE_ON_TIME,
    EXCEEDED,
    HARD,
    IN_PROGRESS,
    MET,
    MISSED,
    OVERDUE,
    RECURRING,
    WAITING,
    GroupRow,
    Missing,
    SynthesisReport,
    done,
    on_time_share,
)

# List letters the Vietnamese way: no f, j, w, z; đ after d.
LETTERS = tuple("abcdđeghiklmnopqrstuvxy")

# Where the office writes its own words: kept visibly apart (bracketed, highlighted in the DOCX).
PLACEHOLDER = "[Cơ quan soạn thảo bổ sung: {}]"
ASSESSMENT_PLACE = PLACEHOLDER.format(
    "đánh giá công tác lãnh đạo, chỉ đạo, điều hành và những kết quả nổi bật trong kỳ."
)
CAUSES_PLACE = PLACEHOLDER.format("nguyên nhân khách quan, chủ quan của tồn tại, hạn chế.")
NEXT_PLACE = PLACEHOLDER.format("nhiệm vụ, giải pháp trọng tâm khác của kỳ tới.")
PROPOSALS_PLACE = PLACEHOLDER.format("kiến nghị, đề xuất với cấp trên (nếu có).")


def letter(n: int) -> str:
    """The n-th (from 0) list letter: a, b, c, d, đ, e, g, … y, then aa, ab, …"""
    if n < len(LETTERS):
        return LETTERS[n]
    return letter(n // len(LETTERS) - 1) + LETTERS[n % len(LETTERS)]


def period_phrase(period: Period) -> str:
    """`quý II năm 2025`, `6 tháng đầu năm 2025`, `năm 2025`: the label inside a sentence."""
    label = period.label
    return label[:1].lower() + label[1:]


def sentence_case(text: str) -> str:
    """`TỔ CHỨC THỰC HIỆN` → `Tổ chức thực hiện`; text already in mixed case is kept."""
    text = " ".join(text.split())
    if text.upper() == text and any(c.isalpha() for c in text):
        lower = text.lower()
        return lower[:1].upper() + lower[1:]
    return text[:1].upper() + text[1:]


def lower_first(text: str) -> str:
    if text[:1].isupper() and not text[1:2].isupper():
        return text[:1].lower() + text[1:]
    return text


def names(items: Sequence[str]) -> str:
    """Bodies in a sentence: `Sở Tài chính, các sở, ban, ngành` — a collective (`Các …`) in lower
    case after the first, each named once."""
    unique = list(dict.fromkeys(items))
    return ", ".join(lower_first(n) if i and fold(n).startswith("cac ") else n for i, n in enumerate(unique))


def shorten(text: str, words: int = 14) -> str:
    """The first `words` words of a task, for a line that names it."""
    parts = " ".join(text.split()).rstrip(" .;:").split(" ")
    return " ".join(parts) if len(parts) <= words else " ".join(parts[:words]).rstrip(",;:") + "…"


def plan_subject(title: str) -> str:
    """What the plan implements, from its trích yếu: up to what the cited document is about
    (`thực hiện Nghị quyết số 01/NQ-CP ngày 08/01/2025 của Chính phủ`), else the whole title."""
    t = " ".join(title.split())
    if not t:
        return ""
    if not re.match(r"(?i)\s*(thực hiện|triển khai|về)\b", t):
        return "về " + lower_first(t)  # `Kế hoạch … về phát triển du lịch năm 2025`
    number = re.search(r"\d+[-/][^\s,;]+", t)
    if not number:
        return lower_first(t)
    about = t.find(" về ", number.end())
    return lower_first(t if about < 0 else t[:about])


def title(report: SynthesisReport) -> str:
    """The trích yếu under `BÁO CÁO`: `Kết quả năm 2025 thực hiện Kế hoạch … thực hiện …`."""
    ref = report.plan
    plan = plan_without_issuer(report)
    subject = f" {ref.subject}" if ref.subject else ""
    phrase = period_phrase(report.period)
    if fold(phrase) in fold(plan + subject):  # `… năm 2025` already: not twice
        return f"Kết quả thực hiện {plan}{subject}"
    return f"Kết quả {phrase} thực hiện {plan}{subject}"


def intro(report: SynthesisReport) -> str:
    ref = report.plan
    subject = f" {ref.subject}" if ref.subject else ""
    return (
        f"Thực hiện {ref.text}{subject}, {report.issuer} báo cáo kết quả thực hiện "
        f"{period_phrase(report.period)} (số liệu tính đến hết ngày {fmt_date(report.cutoff)}) như sau:"
    )


def counts_sentence(counts: dict[str, int], cutoff: date) -> str:
    """The official four ways, then the tasks kept apart."""
    total = sum(counts.values())
    finished = f"{done(counts)} nhiệm vụ đã hoàn thành"
    if done(counts):  # none done: no row of zeros in brackets
        finished += f" ({counts.get(DONE_ON_TIME, 0)} nhiệm vụ đúng hạn, {counts.get(DONE_LATE, 0)} nhiệm vụ quá hạn)"
    parts = [
        finished,
        f"{counts.get(IN_PROGRESS, 0)} nhiệm vụ đang thực hiện trong hạn",
        f"{counts.get(OVERDUE, 0)} nhiệm vụ chưa hoàn thành, quá hạn",
    ]
    if counts.get(WAITING):
        parts.append(f"{counts[WAITING]} nhiệm vụ chờ điều kiện (chưa phát sinh thời hạn)")
    if counts.get(RECURRING):
        parts.append(f"{counts[RECURRING]} nhiệm vụ thực hiện thường xuyên")
    text = f"Tổng số {total} nhiệm vụ; tính đến hết ngày {fmt_date(cutoff)}: " + "; ".join(parts) + "."
    share = on_time_share(counts)
    if share is not None:
        due = done(counts) + counts.get(OVERDUE, 0)
        text += f" Tỷ lệ hoàn thành đúng hạn trên số nhiệm vụ đã đến hạn ({due} nhiệm vụ) đạt {fmt_number(share, 1)}%."
    return text


def indicators_sentence(report: SynthesisReport) -> str:
    rows = [i for i in report.indicators if i.verdict]
    judged = [i for i in rows if i.verdict in (MET, EXCEEDED, MISSED)]
    hard = [i for i in rows if i.verdict == HARD]
    if not judged and not hard:
        return ""
    parts = []
    if judged:
        count = {v: sum(1 for i in judged if i.verdict == v) for v in (MET, EXCEEDED, MISSED)}
        parts.append(
            f"trong {len(judged)} chỉ tiêu đã có số liệu cả năm, {count[MET]} chỉ tiêu đạt, "
            f"{count[EXCEEDED]} chỉ tiêu vượt và {count[MISSED]} chỉ tiêu không đạt kế hoạch"
        )
    if hard:
        names = "; ".join(i.name for i in hard[:5]) + ("; …" if len(hard) > 5 else "")
        parts.append(f"{len(hard)} chỉ tiêu khó đạt kế hoạch năm ({names})")
    return "Về chỉ tiêu: " + "; ".join(parts) + "."


def growth_sentence(analysis: GrowthAnalysis, estimate: bool = True) -> str:
    """`Tăng trưởng GRDP 6 tháng đầu năm ước đạt 6,8%, thấp hơn kịch bản (6,95%) 0,15 điểm
    phần trăm.` — `ước đạt` only for an estimate."""
    period = headline_period(analysis)
    total = analysis.total
    if period is None or period not in total.actual:
        return ""
    label = {
        "Q1": "quý I",
        "Q2": "quý II",
        "Q3": "quý III",
        "Q4": "quý IV",
        "H1": "6 tháng đầu năm",
        "9M": "9 tháng",
        "Y": "cả năm",
    }[period]
    verb = "ước đạt" if estimate else "đạt"
    text = f"Tăng trưởng GRDP {label} {verb} {percent(total.actual[period])}"
    gap = total.gap.get(period)
    if gap is not None:
        scen = total.scenario[period]
        if abs(gap) < 0.005:
            text += f", bằng kịch bản đề ra ({percent(scen)})"
        else:
            side = "cao hơn" if gap > 0 else "thấp hơn"
            text += f", {side} kịch bản ({percent(scen)}) {fmt_number(abs(gap), 2)} điểm phần trăm"
    text += "."
    if total.required is not None and total.target is not None:
        text += (
            f" Để đạt mục tiêu tăng trưởng cả năm {percent(total.target)}, các quý còn lại "
            f"cần tăng bình quân {percent(total.required)}."
        )
    return text


def percent(value: float) -> str:
    """A growth rate with its own decimals (one at least, two at most): `8,0%`, `6,95%`."""
    decimals = 1 if round(value, 1) == round(value, 2) else 2
    return fmt_number(value, decimals) + "%"


def headline_period(analysis: GrowthAnalysis) -> str | None:
    """The cumulative period to date (`Q1`, `H1`, `9M`, `Y`), else its last quarter when only
    quarterly figures are known (no levels to add them up)."""
    n = analysis.quarters_known
    for period in ({1: "Q1", 2: "H1", 3: "9M", 4: "Y"}.get(n), f"Q{n}"):
        if period in analysis.total.actual:
            return period
    return None


def group_line(g: GroupRow) -> str:
    """`hoàn thành 3/5 nhiệm vụ (2 đúng hạn, 1 quá hạn); 1 đang thực hiện trong hạn; …`"""
    c = g.counts
    parts = [f"hoàn thành {done(c)}/{g.total} nhiệm vụ"]
    if done(c):
        parts[0] += f" ({c.get(DONE_ON_TIME, 0)} đúng hạn, {c.get(DONE_LATE, 0)} quá hạn)"
    for key, words in (
        (IN_PROGRESS, "đang thực hiện trong hạn"),
        (OVERDUE, "chưa hoàn thành, quá hạn"),
        (WAITING, "chờ điều kiện"),
        (RECURRING, "thực hiện thường xuyên"),
    ):
        if c.get(key):
            parts.append(f"{c[key]} {words}")
    return "; ".join(parts) + "."


def missing_sentence(missing: Sequence[Missing], named: int = 5, due: int | None = None) -> str:
    """Who has not reported, by name, with the periods; past `named` bodies, how many, the table
    saying who. `due`: how many reports were due (0: none, which is said)."""
    if due == 0:
        return "Trong kỳ không có báo cáo nào đến hạn theo chế độ báo cáo của kế hoạch."
    if not missing:
        return "Các đơn vị đã gửi đầy đủ báo cáo theo quy định trong kỳ."
    if len(missing) > named:
        count = sum(len(m.missing) for m in missing)
        return (
            f"Có {len(missing)} đơn vị chưa thực hiện đúng chế độ báo cáo ({count} báo cáo chưa gửi), chi tiết như sau:"
        )
    parts = []
    for m in missing:
        bits = []
        if m.missing:
            bits.append("chưa gửi báo cáo " + periods_text(m.missing))
        if m.late:
            bits.append("gửi chậm báo cáo " + periods_text(m.late))
        parts.append(f"{m.department} ({'; '.join(bits)})")
    return f"Có {len(missing)} đơn vị chưa thực hiện đúng chế độ báo cáo: " + "; ".join(parts) + "."


def periods_text(codes: Sequence[str]) -> str:
    """Periods written short: `tháng 1-3, 5/2025; quý II/2025; hạn 31/01/2025`."""
    months: dict[int, list[int]] = {}
    quarters: dict[int, list[int]] = {}
    others = []
    for code in codes:
        try:
            p = Period.parse(code)
        except ValueError:
            others.append(period_name(code))
            continue
        if p.kind in ("M", "Q"):
            (months if p.kind == "M" else quarters).setdefault(p.year, []).append(p.index)
        else:
            others.append(period_name(code))
    parts = [f"tháng {_runs(ms, str)}/{y}" for y, ms in sorted(months.items())]
    parts += [f"quý {_runs(qs, lambda q: ROMAN_Q[q])}/{y}" for y, qs in sorted(quarters.items())]
    return "; ".join(parts + others)


ROMAN_Q = {1: "I", 2: "II", 3: "III", 4: "IV"}


def _runs(numbers: Sequence[int], show: Callable[[int], str]) -> str:
    """`1, 2, 3, 5` → `1-3, 5`."""
    ns = sorted(set(numbers))
    out, start = [], 0
    for i in range(1, len(ns) + 1):
        if i == len(ns) or ns[i] != ns[i - 1] + 1:
            first, last = ns[start], ns[i - 1]
            out.append(show(first) if first == last else f"{show(first)}-{show(last)}")
            start = i
    return ", ".join(out)


def period_name(code: str) -> str:
    """`2025-05` → `tháng 5/2025`; `2025-Q2` → `quý II/2025`; a one-off date → `hạn 31/01/2025`."""
    try:
        p = Period.parse(code)
    except ValueError:
        try:
            return "hạn " + fmt_date(date.fromisoformat(code))
        except ValueError:
            return code
    phrase = period_phrase(p)
    return phrase.replace(f" năm {p.year}", f"/{p.year}") if p.kind in ("M", "Q") else phrase


def plan_without_issuer(report: SynthesisReport) -> str:
    ref = report.plan
    return ref.text.removesuffix(f" của {ref.issuer}") if ref.issuer else ref.text


def closing(report: SynthesisReport) -> str:
    """`Trên đây là báo cáo …`: the plan by its number, or by what it implements when it has none."""
    plan = plan_without_issuer(report)
    if not report.plan.number and report.plan.subject:
        plan += f" {report.plan.subject}"
    return f"Trên đây là báo cáo của {report.issuer} về kết quả {period_phrase(report.period)} thực hiện {plan}./."
