"""Parts: the document cut at its top-level headings (purpose, objectives and indicators, tasks
and solutions, organisation, reporting) and its appendices, each read by its own grammar."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .structure import Block, Paragraph, is_appendix_title, upper_ratio

REPORTING = re.compile(r"CHẾ\s+ĐỘ\s+(?:THÔNG\s+TIN,\s+)?BÁO\s+CÁO|THÔNG\s+TIN\s+BÁO\s+CÁO", re.I)
ORGANISATION = re.compile(r"TỔ\s+CHỨC\s+THỰC\s+HIỆN|TRÁCH\s+NHIỆM\s+(?:THỰC\s+HIỆN|CỦA)|PHÂN\s+CÔNG\s+TRÁCH", re.I)
TASKS = re.compile(
    r"NHIỆM\s+VỤ|GIẢI\s+PHÁP|PHÂN\s+CÔNG|NỘI\s+DUNG|HOẠT\s+ĐỘNG|CHƯƠNG\s+TRÌNH\s+HÀNH\s+ĐỘNG|"
    r"TIẾN\s+ĐỘ\s+THỰC\s+HIỆN|BIỆN\s+PHÁP",
    re.I,
)
INDICATORS = re.compile(r"MỤC\s+TIÊU|CHỈ\s+TIÊU", re.I)
OTHER = re.compile(
    r"MỤC\s+ĐÍCH|YÊU\s+CẦU|QUAN\s+ĐIỂM|KINH\s+PHÍ|CĂN\s+CỨ|ĐÁNH\s+GIÁ|TÌNH\s+HÌNH|KẾT\s+QUẢ|"
    r"SỰ\s+CẦN\s+THIẾT|PHẠM\s+VI|ĐỐI\s+TƯỢNG|QUÁN\s+TRIỆT|CHẾ\s+ĐỘ\s+BÁO\s+CÁO|DỰ\s+BÁO|BỐI\s+CẢNH",
    re.I,
)
# the closing formula, the recipients and the signature end the body
END_OF_BODY = re.compile(
    r"^(?:Nơi\s+nhận|TM\.|T/M|KT\.|Q\.\s|Trên\s+đây\s+là\s+(?:Kế\s+hoạch|Chương\s+trình)|"
    r"Nhận\s+được\s+(?:Kế\s+hoạch|Chương\s+trình))",
    re.I,
)


# `A. MỤC TIÊU`, `B. NHIỆM VỤ, GIẢI PHÁP`: upper-case letters that rank above the Roman numerals
OVER_ROMAN = re.compile(r"^[A-ZĐ]\s*[.)\-–]\s+(?=\S)")


def part_of(p: Paragraph) -> str | None:
    """The part a top-level heading opens, or None when `p` is not one."""
    text = p.body if p.kind else p.text
    top = p.kind in ("roman", "part") or (p.kind in (None, "arabic") and upper_ratio(text) > 0.8 and len(text) < 150)
    if not top:
        return None
    return named_part(text) or ("other" if p.kind in ("roman", "part") else None)


def named_part(text: str) -> str | None:
    """The part a heading's words name (`NHIỆM VỤ, GIẢI PHÁP`, `TỔ CHỨC THỰC HIỆN`), or None."""
    if REPORTING.search(text):
        return "reporting"
    if TASKS.match(text) and not re.match(r"TỔ\s+CHỨC\s+THỰC\s+HIỆN", text, re.I):
        return "tasks"  # `NỘI DUNG, TIẾN ĐỘ, PHÂN CÔNG TRÁCH NHIỆM THỰC HIỆN`: its first words decide
    if ORGANISATION.search(text):
        return "organisation"
    if TASKS.search(text) and not OTHER.match(text):
        return "tasks"
    if INDICATORS.search(text):
        return "indicators"
    return "other" if OTHER.match(text) else None


def _subsection(p: Paragraph, within: Part | None) -> bool:
    """`I. PHÁT TRIỂN KINH TẾ` under `PHẦN II. NHIỆM VỤ, GIẢI PHÁP`: a Roman heading that names no
    part, inside a `PHẦN` that does, is a heading of that part, not a part of its own."""
    return within is not None and within.kind != "other" and p.kind == "roman" and named_part(p.body) is None


@dataclass
class Part:
    kind: str  # tasks, organisation, reporting, indicators, other
    heading: Paragraph
    blocks: list[Block] = field(default_factory=list)

    @property
    def title(self) -> str:
        text = self.heading.body if self.heading.kind else OVER_ROMAN.sub("", self.heading.text)
        return text.rstrip(":. ")

    @property
    def paragraphs(self) -> list[Paragraph]:
        return [b for b in self.blocks if isinstance(b, Paragraph)]


@dataclass
class Parts:
    """The document cut at its top-level headings, and its appendices."""

    body: list[Part] = field(default_factory=list)
    appendices: list[tuple[Paragraph, list[Block]]] = field(default_factory=list)
    first_heading: int | None = None


def split_parts(blocks: list[Block]) -> Parts:
    parts = Parts()
    current: list[Block] | None = None
    appendix: list[Block] | None = None
    within: Part | None = None  # the part a `PHẦN` heading opened
    roman = False  # the parts are numbered `I.`, `II.`
    for b in blocks:
        if isinstance(b, Paragraph):
            if is_appendix_title(b.text):
                appendix = []
                parts.appendices.append((b, appendix))
                current = None
                continue
            if appendix is None:
                kind = part_of(b)
                if roman and b.kind == "arabic" and kind not in ("organisation", "reporting"):
                    kind = None  # `1.` ranks below `I.`: a heading of the part, unless it closes the plan
                roman = roman or (kind is not None and b.kind == "roman")
                if kind and not (_subsection(b, within) and current is not None):
                    parts.first_heading = parts.first_heading or b.line
                    part = Part(kind, b)
                    parts.body.append(part)
                    current = part.blocks
                    within = part if b.kind == "part" or OVER_ROMAN.match(b.text) else within
                    continue
                if END_OF_BODY.match(b.text):
                    current = None
                    continue
        if appendix is not None:
            appendix.append(b)
        elif current is not None:
            current.append(b)
    return parts
