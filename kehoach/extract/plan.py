"""Extract: a plan's text in, plan/v1 out.

Splits the structured text into its parts by their top-level headings (purpose,
objectives and indicators, tasks and solutions, organisation, appendices) and
hands each to the grammar that reads it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from ..errors import NoPlanError
from ..read import Source
from . import indicators as ind
from .assignments import Assignment
from .duties import reporting_duties
from .heading import document_fields
from .repair import repair
from .scenarios import is_scenario_table, scenario
from .structure import Block, Paragraph, Table, is_appendix_title, structure
from .tasks import ProseTasks, Task, build_tree, is_task_table, table_tasks
from .unlayout import is_layout, unlayout

REPORTING = re.compile(r"CHẾ\s+ĐỘ\s+(?:THÔNG\s+TIN,\s+)?BÁO\s+CÁO|THÔNG\s+TIN\s+BÁO\s+CÁO", re.I)
ORGANISATION = re.compile(r"TỔ\s+CHỨC\s+THỰC\s+HIỆN|TRÁCH\s+NHIỆM\s+(?:THỰC\s+HIỆN|CỦA)|PHÂN\s+CÔNG\s+TRÁCH", re.I)
TASKS = re.compile(r"NHIỆM\s+VỤ|GIẢI\s+PHÁP|PHÂN\s+CÔNG|NỘI\s+DUNG|HOẠT\s+ĐỘNG|CHƯƠNG\s+TRÌNH\s+HÀNH\s+ĐỘNG", re.I)
INDICATORS = re.compile(r"MỤC\s+TIÊU|CHỈ\s+TIÊU", re.I)
OTHER = re.compile(
    r"MỤC\s+ĐÍCH|YÊU\s+CẦU|QUAN\s+ĐIỂM|KINH\s+PHÍ|CĂN\s+CỨ|ĐÁNH\s+GIÁ|TÌNH\s+HÌNH|KẾT\s+QUẢ|"
    r"SỰ\s+CẦN\s+THIẾT|PHẠM\s+VI|ĐỐI\s+TƯỢNG|QUÁN\s+TRIỆT|CHẾ\s+ĐỘ\s+BÁO\s+CÁO",
    re.I,
)
# the closing formula, the recipients and the signature end the body
END_OF_BODY = re.compile(r"^(?:Nơi\s+nhận|TM\.|T/M|KT\.|Q\.\s|Trên\s+đây\s+là\s+(?:Kế\s+hoạch|Chương\s+trình))", re.I)
YEAR = re.compile(r"\b(20\d{2})\b")


def _upper_ratio(text: str) -> float:
    letters = [c for c in text if c.isalpha()]
    return sum(c.isupper() for c in letters) / len(letters) if letters else 0.0


def part_of(p: Paragraph) -> str | None:
    """The part a top-level heading opens, or None when `p` is not one."""
    text = p.body if p.kind else p.text
    top = p.kind in ("roman", "part") or (p.kind in (None, "arabic") and _upper_ratio(text) > 0.8 and len(text) < 150)
    if not top:
        return None
    if REPORTING.search(text):
        return "reporting"
    if ORGANISATION.search(text):
        return "organisation"
    if TASKS.search(text) and not OTHER.match(text):
        return "tasks"
    if INDICATORS.search(text):
        return "indicators"
    if OTHER.search(text) or p.kind in ("roman", "part"):
        return "other"
    return None


def plan_year(doc: dict, blocks: list[Block]) -> int | None:
    """The year the plan starts running: its issue year, else the first year of the period
    its title names (`giai đoạn 2026-2030`), else the latest year the title names."""
    if doc.get("issued_date"):
        return int(doc["issued_date"][:4])
    title = doc.get("title") or ""
    period = re.search(r"(20\d{2})\s*[-–]\s*20\d{2}", title)
    if period:
        return int(period.group(1))
    years = [int(y) for y in YEAR.findall(title)]
    if years:
        return max(years)
    for b in blocks[:80]:
        if isinstance(b, Paragraph):
            ys = YEAR.findall(b.text)
            if ys:
                return int(ys[0])
    return None


@dataclass
class Parts:
    """The document cut at its top-level headings: (kind, heading, blocks) and appendices."""

    body: list[tuple[str, Paragraph, list[Block]]] = field(default_factory=list)
    appendices: list[tuple[str, list[Block]]] = field(default_factory=list)
    first_heading: int | None = None


def split_parts(blocks: list[Block]) -> Parts:
    parts = Parts()
    current: list[Block] | None = None
    appendix: list[Block] | None = None
    for b in blocks:
        if isinstance(b, Paragraph):
            if is_appendix_title(b.text):
                appendix = []
                parts.appendices.append((b.text, appendix))
                current = None
                continue
            if appendix is None:
                kind = part_of(b)
                if kind:
                    parts.first_heading = parts.first_heading or b.line
                    current = []
                    parts.body.append((kind, b, current))
                    continue
                if END_OF_BODY.match(b.text):
                    current = None
                    continue
        if appendix is not None:
            appendix.append(b)
        elif current is not None:
            current.append(b)
    return parts


@dataclass
class Found:
    """What the parts yield, in document order."""

    year: int | None
    tasks: list[Task] = field(default_factory=list)
    indicators: list[dict] = field(default_factory=list)
    scenarios: list[dict] = field(default_factory=list)

    def table(self, t: Table, title: str) -> None:
        if is_scenario_table(t):
            self.scenarios.append(scenario(t, title))
        elif ind.is_indicator_table(t.header):
            self.indicators += ind.from_table(t, title, self.year)
        elif is_task_table(t.header):
            self.tasks += table_tasks(t, title, self.year)


def extract_plan(source: Source) -> dict:
    text = unicodedata.normalize("NFC", source.text)
    text = unlayout(text) if is_layout(text) else text
    repaired = repair(text)
    blocks = structure(repaired.lines)
    parts = split_parts(blocks)
    doc = document_fields(blocks, parts.first_heading or 10**9)
    found = Found(plan_year(doc, blocks))
    for kind, heading, content in parts.body:
        paras = [b for b in content if isinstance(b, Paragraph)]
        title = (heading.body if heading.kind else heading.text).rstrip(":. ")
        if kind in ("tasks", "organisation", "reporting"):
            walker = ProseTasks(kind != "tasks", found.year)
            walker.walk(build_tree(paras, title), title, Assignment())
            for t in walker.tasks:
                t.report_only = kind == "reporting"  # a reporting regime assigns no other work
            found.tasks += walker.tasks
        elif kind == "indicators":
            found.indicators += ind.from_paragraphs(paras, doc, found.year)
        for t in content:
            if isinstance(t, Table):
                found.table(t, title)
    for heading_text, content in parts.appendices:
        title: str | None = None
        for b in content:
            if isinstance(b, Table):
                found.table(b, title or heading_text)
                title = None
            elif b.text.startswith("("):
                continue  # `(Kèm theo Kế hoạch số ...)`
            elif title is None:
                title = b.text
            elif _upper_ratio(title) > 0.7 and _upper_ratio(b.text) > 0.7:
                title = f"{title} {b.text}"  # an upper-case title wrapped over lines
    reporting = reporting_duties(found.tasks, repaired.footnotes, found.year)
    tasks = [t for t in found.tasks if not t.report_only]
    if not tasks and not found.indicators and not found.scenarios and not doc.get("doc_type"):
        raise NoPlanError(source.name, "không tìm thấy kế hoạch: không có nhiệm vụ, chỉ tiêu hay tiêu đề văn bản")
    return {
        "format": "plan/v1",
        "source": source.name,
        "document": doc,
        "tasks": [t.as_dict() for t in tasks],
        "indicators": found.indicators,
        "scenarios": found.scenarios,
        "reporting": reporting,
    }
