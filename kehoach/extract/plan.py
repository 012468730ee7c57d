"""Plan assembly: a plan's text in, a typed `Plan` out.

repair → structure → parts → for each part its grammar (tasks from the item tree, tables,
indicators, scenarios) → reporting duties → one name per agency across the document →
`model.Plan`, whose `as_dict()` is plan/v1.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field, replace
from datetime import date

from ..errors import NoPlanError
from ..model import Document, Duty, Indicator, Plan, Scenario, Span, Task, Warning
from ..read import Source
from . import indicators as ind
from .columns import read_columns
from .duties import reporting_duties
from .heading import document_fields
from .items import build_tree, numbering_gaps
from .names import unify_names
from .parts import Part, split_parts, upper_ratio
from .repair import break_lines, repair
from .scenarios import is_scenario_table, scenario
from .structure import Block, Paragraph, Table, structure
from .tables import continues, is_task_table, rejoin, table_context, table_tasks
from .tasks import Draft, ProseTasks
from .unlayout import is_layout, unlayout_lines

YEAR = re.compile(r"\b(20\d{2})\b")
# `đến năm 2026`, `tầm nhìn đến năm 2030`: a target the title reaches, not the year the plan runs
NEAR_YEAR = re.compile(r"\b(?:đến|tới|tầm\s+nhìn)\s+năm\s+20\d{2}", re.I)
RESTATED = re.compile(r"(?:nhiệm\s+vụ|giải\s+pháp|nội\s+dung)[^.;]{0,60}(?:tại|theo)\s+(?:các\s+)?Phụ\s+lục", re.I)
KEY_TASKS = re.compile(r"trọng\s+tâm|trọng\s+điểm|chủ\s+yếu|một\s+số", re.I)


def plan_year(doc: dict, blocks: list[Block]) -> int | None:
    """The year the plan starts running: its issue year (the next one for a plan issued late in a
    year for the year after: `Kế hoạch ... năm 2026` of 25/12/2025), else the first year of the
    period its title names (`giai đoạn 2026-2030`), else the latest year the title names."""
    title = doc.get("title") or ""
    years = [int(y) for y in YEAR.findall(title)]
    if doc.get("issued_date"):
        issued = int(doc["issued_date"][:4])
        ahead = bool(years) and min(years) == issued + 1 and not NEAR_YEAR.search(title)
        return issued + 1 if ahead else issued
    period = re.search(r"(20\d{2})\s*[-–]\s*20\d{2}", title)
    if period:
        return int(period.group(1))
    if years:
        return max(years)
    for b in blocks[:80]:
        if isinstance(b, Paragraph):
            ys = YEAR.findall(b.text)
            if ys:
                return int(ys[0])
    return None


@dataclass
class Found:
    """What the parts yield, in document order."""

    year: int | None
    tasks: list[Draft] = field(default_factory=list)
    indicators: list[Indicator] = field(default_factory=list)
    scenarios: list[Scenario] = field(default_factory=list)
    appendix_tasks: list[Draft] = field(default_factory=list)
    warnings: list[Warning] = field(default_factory=list)
    handed: bool = False  # the body hands its assignments to an appendix table
    summary_rows: list[Draft] = field(default_factory=list)  # rows of an appendix that lists the body's tasks
    last_task_table: Table | None = None

    def table(self, t: Table, title: str, part: str, appendix: bool = False, lead: list[str] | None = None) -> None:
        last = self.last_task_table
        if last is not None and not is_task_table(t.header) and continues(t, last):
            # a table cut by a page break whose header is not repeated: the rows go on under the header above
            t = Table([last.header, *t.rows], t.line, last.header, [(t.line, t.line), *t.row_lines])
        if is_scenario_table(t):
            self.scenarios.append(scenario(t, title))
        elif ind.is_indicator_table(t.header):
            self.indicators += ind.from_table(t, title, self.year)
        elif is_task_table(t.header):
            rows = table_tasks(t, title, self.year, "appendix" if appendix else part, lead)
            (self.appendix_tasks if appendix else self.tasks).extend(rows)
            self.last_task_table = t
        elif len(t.rows) > 1:
            self.warnings.append(
                Warning(t.line, f"bảng ở dòng {t.line} không nhận ra là bảng nhiệm vụ, chỉ tiêu hay kịch bản: bỏ qua")
            )

    def part(self, part: Part, doc: dict) -> None:
        tables = [(b, table_context(part.blocks, i)) for i, b in enumerate(part.blocks) if isinstance(b, Table)]
        if part.kind in ("tasks", "organisation", "reporting"):
            # a heading whose content is a table is the rows' section, not a task
            heads = {c.heading.line for t, c in tables if c.heading and is_task_table(t.header)}
            walker = ProseTasks(part.kind, self.year, heads)
            tree = build_tree(part.paragraphs, part.title, part.heading.line)
            self.tasks += walker.walk(tree, part.title)
            self.warnings += [Warning(line, message) for line, message in numbering_gaps(tree)]
            self.handed = self.handed or walker.handed
            # a list of indicators inside the tasks part (`2. Các chỉ tiêu chủ yếu`) is no task
            self.indicators += ind.from_paragraphs(part.paragraphs, doc, self.year, part.title, strict=True)
        elif part.kind == "indicators":
            self.indicators += ind.from_paragraphs(part.paragraphs, doc, self.year, part.title)
        if part.kind in ("indicators", "other"):
            self.indicators += ind.from_colon_lists(part.paragraphs, self.year)
        for t, context in tables:
            self.table(t, context.section(part.title), part.kind, lead=context.lead())

    def appendix(self, heading: Paragraph, blocks: list[Block]) -> None:
        title: str | None = None
        named = heading.text
        for b in blocks:
            if isinstance(b, Table):
                before = len(self.appendix_tasks)
                self.table(b, title or heading.text, "tasks", appendix=True)
                if not KEY_TASKS.search(named):
                    # a summary of the body's tasks, not a selection of key ones: its rows restate them
                    self.summary_rows += self.appendix_tasks[before:]
                title, named = None, heading.text
                continue
            if b.text.startswith("("):
                continue  # `(Kèm theo Kế hoạch số ...)`
            named = f"{named} {b.text}"
            if title is None:
                title = b.text
            elif upper_ratio(title) > 0.7 and upper_ratio(b.text) > 0.7:
                title = f"{title} {b.text}"  # an upper-case title wrapped over lines

    def merge_appendix(self) -> None:
        """Where the body hands its assignments to an appendix table, or an appendix sums up the body's
        tasks, the table's rows are the tasks and the body items they restate are not counted again;
        an appendix of key tasks (`Một số nhiệm vụ trọng tâm`) adds its rows."""
        if not self.appendix_tasks:
            return
        handed = self.handed or any(RESTATED.search(t.text) for t in self.tasks)
        kept: list[Draft] = []
        for t in self.tasks:
            twin = _restated(t, self.appendix_tasks) if t.part in ("tasks", "organisation") else None
            summed = twin is not None and any(twin is r for r in self.summary_rows)
            if twin is not None and (summed or (handed and t.part == "tasks")):
                twin.flag("restated_by_appendix")
                continue
            kept.append(t)
        self.tasks = kept + self.appendix_tasks
        self.tasks.sort(key=lambda t: (t.part == "appendix", t.line))


def _words(text: str) -> set[str]:
    return set(re.findall(r"\w+", text.casefold()))


def _restated(t: Draft, rows: list[Draft]) -> Draft | None:
    """The appendix row that says the same as a body item (most of its words)."""
    mine = _words(t.clean_text)
    best, score = None, 0.0
    for r in rows:
        theirs = _words(r.clean_text)
        if not mine or not theirs:
            continue
        s = len(mine & theirs) / min(len(mine), len(theirs))
        if s > score:
            best, score = r, s
    return best if score >= 0.8 else None


@dataclass
class Lines:
    """Where the lines extraction reads stand in the reader's text, and on which page."""

    source: Source
    origin: list[int] | None = None  # text that kept its layout: the reader's line of each line read

    def span(self, span: Span | None) -> Span | None:
        if span is None:
            return None
        line, end = self.reader_line(span.line), self.reader_line(span.line_end)
        info = self.source.lines
        page = info[line - 1].page if 0 < line <= len(info) else None
        return Span(line, max(line, end), page)

    def reader_line(self, n: int) -> int:
        if self.origin is None or not 0 < n <= len(self.origin):
            return n
        return self.origin[n - 1]

    def relocate(self, plan: Plan) -> None:
        items: list[Task | Indicator | Duty] = [*plan.tasks, *plan.indicators, *plan.reporting]
        for item in items:
            item.source = self.span(item.source)
        for w in plan.warnings:
            if w.line is not None:
                w.line = self.reader_line(w.line)
                info = self.source.lines
                w.page = w.page or (info[w.line - 1].page if 0 < w.line <= len(info) else None)


def extract_plan(source: Source) -> Plan:
    """Extract a plan from what a reader produced; `NoPlanError` when the text holds none."""
    text = unicodedata.normalize("NFC", source.text)
    lines = Lines(source)
    if is_layout(text):
        laid, lines.origin = unlayout_lines(text)
        text = "\n".join(laid)
    broken, origin = break_lines(text.split("\n"))
    if len(broken) != len(origin) or origin[-1:] != [len(origin)]:  # a line was broken
        lines.origin = [lines.reader_line(n) for n in origin]
        text = "\n".join(broken)
    repaired = repair(text)
    blocks = rejoin(structure(repaired.lines))
    parts = split_parts(blocks)
    doc = document_fields(document_blocks(repaired.lines, blocks), parts.first_heading or 10**9)
    found = Found(plan_year(doc, blocks))
    for part in parts.body:
        found.part(part, doc)
    for heading, content in parts.appendices:
        found.appendix(heading, content)
    found.merge_appendix()
    duties = reporting_duties(found.tasks, repaired.footnotes, found.year)
    drafts = [t for t in found.tasks if not t.report_only]
    if not drafts and not found.indicators and not found.scenarios and not doc.get("doc_type"):
        raise NoPlanError(source.name, "không tìm thấy kế hoạch: không có nhiệm vụ, chỉ tiêu hay tiêu đề văn bản")
    plan = Plan(
        source=source.name,
        tasks=[_task(t) for t in drafts],
        indicators=found.indicators,
        scenarios=found.scenarios,
        reporting=duties,
        warnings=[Warning(None, w) for w in getattr(source, "warnings", [])] + found.warnings,
    )
    plan.document = Document.from_dict({k: v for k, v in doc.items() if not k.startswith("_")})
    unify_names(plan, _reference_date(doc, found.year))
    lines.relocate(plan)
    return plan


def document_blocks(lines: list[str], blocks: list[Block]) -> list[Block]:
    """The blocks the document's identity is read from: `blocks`, or where the heading or the
    signature block is typed in two columns, the text read again with them column by column."""
    columns = read_columns(lines)
    if columns is None:
        return blocks
    laid, origin = columns

    def back(n: int) -> int:
        return origin[n - 1] if 0 < n <= len(origin) else n

    return [replace(b, line=back(b.line), line_end=back(b.line_end)) for b in structure(laid)]


def _task(t: Draft) -> Task:
    return Task(
        section=t.section,
        text=t.clean_text,
        lead=list(t.lead),
        coordinate=list(t.coordinate),
        monitor=list(t.monitor),
        deadline=t.deadline,
        review=list(t.review),
        source=Span(t.line, max(t.line_end, t.line)) if t.line else None,
    )


def _reference_date(doc: dict, year: int | None) -> date | None:
    """The day the plan speaks from, for agencies merged before it: its date, else the first day
    of the month (or year) its date line leaves."""
    if doc.get("issued_date"):
        return date.fromisoformat(doc["issued_date"])
    month = doc.get("_month")
    return date(year, month or 1, 1) if year else None
