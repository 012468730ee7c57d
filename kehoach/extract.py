"""Extract: a plan's text in, plan/v1 out.

Splits the structured text into its parts by their top-level headings (purpose,
objectives and indicators, tasks and solutions, organisation, appendices) and
hands each to the grammar that reads it.
"""

from __future__ import annotations

import re
import unicodedata

from . import indicators as ind
from .errors import NoPlanError
from .heading import document_fields
from .read import Source
from .repair import repair
from .reporting import reporting_duties
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


def extract_plan(source: Source) -> dict:
    text = unicodedata.normalize("NFC", source.text)
    text = unlayout(text) if is_layout(text) else text
    repaired = repair(text)
    blocks = structure(repaired.lines)
    parts: list[tuple[str, Paragraph, list[Block]]] = []
    appendices: list[tuple[str, list[Block]]] = []
    current: list[Block] | None = None
    appendix: list[Block] | None = None
    first_heading = None
    for b in blocks:
        if isinstance(b, Paragraph):
            if is_appendix_title(b.text):
                appendix = []
                appendices.append((b.text, appendix))
                current = None
                continue
            if appendix is None:
                kind = part_of(b)
                if kind:
                    first_heading = first_heading or b.line
                    current = []
                    parts.append((kind, b, current))
                    continue
                if END_OF_BODY.match(b.text):
                    current = None
                    continue
        if appendix is not None:
            appendix.append(b)
        elif current is not None:
            current.append(b)

    doc = document_fields(blocks, first_heading or 10**9)
    year = plan_year(doc, blocks)

    tasks: list[Task] = []
    indicators: list[dict] = []
    scenarios: list[dict] = []
    for kind, heading, content in parts:
        paras = [b for b in content if isinstance(b, Paragraph)]
        title = (heading.body if heading.kind else heading.text).rstrip(":. ")
        if kind in ("tasks", "organisation", "reporting"):
            walker = ProseTasks(kind != "tasks", year)
            walker.walk(build_tree(paras, title), title, _empty())
            for t in walker.tasks:
                t.report_only = kind == "reporting"  # a reporting regime assigns no other work
            tasks += walker.tasks
        elif kind == "indicators":
            indicators += ind.from_paragraphs(paras, doc, year)
        for t in (b for b in content if isinstance(b, Table)):
            tasks, indicators, scenarios = _table(t, title, year, tasks, indicators, scenarios)
    for heading_text, content in appendices:
        title: str | None = None
        for b in content:
            if isinstance(b, Paragraph):
                if b.text.startswith("("):
                    continue  # `(Kèm theo Kế hoạch số ...)`
                if title is None:
                    title = b.text
                elif _upper_ratio(title) > 0.7 and _upper_ratio(b.text) > 0.7:
                    title = f"{title} {b.text}"  # an upper-case title wrapped over lines
                continue
            tasks, indicators, scenarios = _table(b, title or heading_text, year, tasks, indicators, scenarios)
            title = None
    reporting = reporting_duties(tasks, repaired.footnotes, year)
    tasks = [t for t in tasks if not t.report_only]
    if not tasks and not indicators and not scenarios and not doc.get("doc_type"):
        raise NoPlanError(source.name, "không tìm thấy kế hoạch: không có nhiệm vụ, chỉ tiêu hay tiêu đề văn bản")
    return {
        "format": "plan/v1",
        "source": source.name,
        "document": doc,
        "tasks": [t.as_dict() for t in tasks],
        "indicators": indicators,
        "scenarios": scenarios,
        "reporting": reporting,
    }


def _table(t: Table, title: str, year: int | None, tasks: list, indicators: list, scenarios: list):
    if is_scenario_table(t):
        scenarios.append(scenario(t, title))
    elif ind.is_indicator_table(t.header):
        indicators += ind.from_table(t, title, year)
    elif is_task_table(t.header):
        tasks += table_tasks(t, title, year)
    return tasks, indicators, scenarios


def _empty():
    from .assignments import Assignment

    return Assignment()
