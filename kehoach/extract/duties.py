"""Reporting duties: who reports to whom, how often, by which dates.

Read from the organisation part's duties: a clause with `báo cáo` or `gửi ... để
tổng hợp`. Frequency from `hằng tháng`, `mỗi quý`, `hằng năm`, `định kỳ`; dates
from the clause and from the footnotes it points to (`trước ngày 15 tháng cuối
mỗi quý` with a footnote listing the quarter's dates).
"""

from __future__ import annotations

import re
from datetime import date

from .assignments import leading_agencies
from .deadlines import DAY_MONTH, FULL_DATE, full_dates
from .tasks import FOOTNOTE_REF, Task

REPORT = re.compile(r"\bbáo\s+cáo\b|\bgửi\b[^;]{0,150}?\b(?:tổng\s+hợp|theo\s+dõi)\b", re.I)
SEND_TO = re.compile(r"\bgửi\s+(?:về\s+)?(?:cho\s+)?", re.I)
REPORT_TO = re.compile(r"\bbáo\s+cáo\s+(?:[^;,()]{0,60}?\s)?(?:về\s+|lên\s+|cho\s+)|\bbáo\s+cáo\s+", re.I)
FREQUENCIES = [
    ("monthly", re.compile(r"h[ằà]ng\s+tháng|mỗi\s+tháng|định\s+kỳ\s+tháng", re.I)),
    (
        "quarterly",
        re.compile(r"h[ằà]ng\s+quý|mỗi\s+quý|định\s+kỳ\s+quý|theo\s+quý|cuối\s+(?:mỗi\s+)?quý", re.I),
    ),
    (
        "annual",
        re.compile(r"h[ằà]ng\s+năm|mỗi\s+năm|định\s+kỳ\s+năm|cuối\s+năm|tổng\s+kết\s+năm", re.I),
    ),
    ("periodic", re.compile(r"định\s+kỳ|6\s+tháng|sáu\s+tháng", re.I)),
]
DUE_CUE = re.compile(r"(?:trước|chậm\s+nhất|hạn|hết|đến|vào|trong)\s+(?:ngày\s*)?$", re.I)
QUARTER_DAY = re.compile(r"trước\s+ngày\s+(\d{1,2})\s+(?:của\s+)?tháng\s+cuối\s+(?:mỗi\s+|của\s+mỗi\s+)?quý", re.I)
MONTH_DAY = re.compile(r"trước\s+ngày\s+(\d{1,2})\s+(?:hằng|hàng|mỗi)\s+tháng", re.I)


def _recipient(clause: str) -> str | None:
    """The first body the clause sends its report to (`gửi X`, `báo cáo X`)."""
    found: list[tuple[int, str]] = []
    for pat in (SEND_TO, REPORT_TO):
        for m in pat.finditer(clause):
            ms, _ = leading_agencies(clause, m.end())
            if ms:
                found.append((m.start(), ms[0].name))
                break
    return min(found)[1] if found else None


def _frequency(text: str) -> str:
    for name, pat in FREQUENCIES:
        if pat.search(text):
            return name
    return "once"


def _dates(text: str, footnotes: list[str], year: int | None) -> list[str]:
    out: list[date] = []
    for m in FULL_DATE.finditer(text):
        if DUE_CUE.search(text[max(0, m.start() - 25) : m.start()]):
            out += full_dates(m.group())
        # otherwise `Chỉ thị số 11-CT/TU ngày 04/01/2026`: a document's date, not a deadline
    for note in footnotes:
        out += full_dates(note)
    if year and not out:
        for m in DAY_MONTH.finditer(text):  # `hằng năm (trước ngày 10/12)`
            try:
                out.append(date(year, int(m.group(2)), int(m.group(1))))
            except ValueError:
                continue
    if year and not footnotes:
        m = QUARTER_DAY.search(text)
        if m:
            out += [date(year, mo, int(m.group(1))) for mo in (3, 6, 9, 12)]
        m = MONTH_DAY.search(text)
        if m:
            out += [date(year, mo, int(m.group(1))) for mo in range(1, 13)]
    return sorted({d.isoformat() for d in out})


def _clauses(text: str) -> list[str]:
    return [c.strip() for c in re.split(r";\s+", text) if c.strip()]


def reporting_duties(tasks: list[Task], footnotes: dict[str, str] | list[str], year: int | None) -> list[dict]:
    """Reporting duties stated by the organisation part's tasks."""
    notes = footnotes if isinstance(footnotes, dict) else {str(i + 1): n for i, n in enumerate(footnotes)}
    duties: list[dict] = []
    for t in tasks:
        if not t.organisation:
            continue
        text = FOOTNOTE_REF.sub("", t.text).strip()
        refs = [notes[n] for n in FOOTNOTE_REF.findall(t.text) if n in notes]
        clauses = [c for c in _clauses(text) if REPORT.search(c) and _recipient(c)]
        if not clauses:
            continue
        spans = [text] if len(clauses) == 1 else clauses
        for span in spans:
            clause = clauses[0] if len(clauses) == 1 else span
            duties.append(
                {
                    "reporters": t.lead,
                    "recipient": _recipient(clause),
                    "frequency": _frequency(span),
                    "deadlines": _dates(span, refs, year),
                    "text": span,
                }
            )
        if _report_only(text):
            t.report_only = True
    return duties


def _report_only(text: str) -> bool:
    """A duty that only says who reports what to whom and when."""
    body = text
    ms, end = leading_agencies(body)
    if ms:
        body = body[end:]
    body = re.sub(r"^[\s,:]*", "", body)
    return (
        bool(re.match(r"^(?:định\s+kỳ[^,;]*,?\s*)?(?:tổng\s+hợp,?\s+)?(?:gửi\s+)?báo\s+cáo\b", body, re.I))
        and ";" not in text
    )

