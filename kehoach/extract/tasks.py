"""Tasks: the smallest enumerated units of assigned work, from prose and from tables.

Prose: the paragraphs of the tasks-and-solutions and organisation parts form a
tree by their markers (`I.` > `1.` > `1.1.` > `a)` > `-` > `+`). A node with
children is a heading: it either names a subject (the `section` of the tasks
below it) or only names who carries them out (an assignment heading, which gives
them `lead`/`coordinate`). A leaf is a task. Labelled lines (`Thời gian thực
hiện: ...`, `Đơn vị chủ trì: ...`) are fields of the task they close.

Tables: columns are recognised by their headers (content, implementing, lead,
coordinating, monitoring or directing, deadline); group rows give the section.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .agencies import find_agencies
from .assignments import Assignment, is_assignment_heading, parse_assignment
from .deadlines import Deadline, opening_deadline, parse_deadline
from .structure import Paragraph, Table

FOOTNOTE_REF = re.compile(r"\s*\[\^(\d+)\]")

FIELD = re.compile(
    r"^(?:[-+•]\s*)?(?P<label>(?:Thời\s+gian|Thời\s+hạn|Tiến\s+độ|Đơn\s+vị|Cơ\s+quan|Chủ\s+trì|Phối\s+hợp|"
    r"Kinh\s+phí|Nguồn\s+kinh\s+phí|Sản\s+phẩm|Địa\s+điểm|Hình\s+thức|Quy\s+mô|Thành\s+phần|Nội\s+dung|"
    r"Phương\s+thức|Đối\s+tượng|Phạm\s+vi|Số\s+lượng|Danh\s+nghĩa|Ban\s+tổ\s+chức|Lãnh\s+đạo\s+phụ\s+trách|"
    r"Người\s+phụ\s+trách|Đầu\s+mối)"
    r"(?:\s+[^\s:;,.]+){0,3})\s*:\s*(?P<value>.*)$",
    re.I,
)
_ADDRESS = re.compile(r"^(?:Đề\s+nghị|Mời|Giao|Yêu\s+cầu)\s+", re.I)
# words that make a heading a subject (`Về công tác tuyên truyền`) rather than an addressee
_VERBISH = re.compile(
    r"\b(?:về|công\s+tác|tổ\s+chức\s+thực\s+hiện|nhiệm\s+vụ|giải\s+pháp|hoạt\s+động|chương\s+trình|"
    r"tăng\s+cường|đẩy\s+mạnh|nâng\s+cao|thực\s+hiện|triển\s+khai|xây\s+dựng|phát\s+triển|đối\s+với)\b",
    re.I,
)
APPENDIX_REF = re.compile(r"\b(?:theo|tại)\s+(?:các\s+)?Phụ\s+lục\b", re.I)


@dataclass
class Task:
    section: str
    text: str
    lead: list[str] = field(default_factory=list)
    coordinate: list[str] = field(default_factory=list)
    monitor: list[str] = field(default_factory=list)
    deadline: Deadline | None = None
    organisation: bool = False  # in the organisation part (TỔ CHỨC THỰC HIỆN)
    report_only: bool = False  # a duty that only says who reports what to whom: no task
    line: int = 0

    def as_dict(self) -> dict:
        return {
            "section": self.section,
            "text": FOOTNOTE_REF.sub("", self.text).strip(),
            "lead": self.lead,
            "coordinate": self.coordinate,
            "monitor": self.monitor,
            "deadline": self.deadline.as_dict() if self.deadline else None,
        }


@dataclass
class Node:
    para: Paragraph | None
    rank: float
    children: list[Node] = field(default_factory=list)
    fields: dict[str, str] = field(default_factory=dict)
    deadline_lines: list[tuple[int, str]] = field(default_factory=list)  # (child index, text)

    @property
    def text(self) -> str:
        if self.para is None:
            return ""
        return self.para.body if self.para.kind else self.para.text


def field_of(p: Paragraph) -> tuple[str, str] | None:
    m = FIELD.match(p.text)
    if not m:
        return None
    label = re.sub(r"\s+", " ", m.group("label").lower())
    return label, m.group("value").strip()


INLINE_FIELD = re.compile(
    r"(?<=[.;])\s+(?=(?:Thời\s+gian(?:\s+(?:thực\s+hiện|hoàn\s+thành))?|Thời\s+hạn(?:\s+hoàn\s+thành)?|"
    r"Tiến\s+độ|(?:Đơn\s+vị|Cơ\s+quan)\s+(?:chủ\s+trì|phối\s+hợp|thực\s+hiện))\s*:)",
    re.I,
)


def split_inline_fields(p: Paragraph) -> tuple[Paragraph, list[tuple[str, str]]]:
    """`... rà soát văn bản. Thời gian thực hiện: Quý II/2026.` → the paragraph and its fields
    (a hard-wrapped `Thời gian thực hiện:` line may have been joined to the item it closes)."""
    parts = INLINE_FIELD.split(p.text)
    if len(parts) == 1:
        return p, []
    head = parts[0].rstrip(" ;,")
    fields = [f for f in (field_of(Paragraph(x, p.line)) for x in parts[1:]) if f]
    body = INLINE_FIELD.split(p.body)[0].rstrip(" ;,") if p.kind else head
    return Paragraph(head, p.line, p.kind, p.label, body), fields


def build_tree(paras: list[Paragraph], root_text: str) -> Node:
    root = Node(Paragraph(root_text, 0), rank=-1)
    stack = [root]
    for i, p in enumerate(paras):
        p, inline = split_inline_fields(p)
        if p.text.startswith("(") and p.text.endswith(")"):
            continue  # a note: `(Một số nhiệm vụ trọng tâm có Phụ lục kèm theo)`
        f = field_of(p)
        if f:
            # a plain `Đơn vị chủ trì: ...` line after the bullets belongs to their heading
            while p.kind is None and len(stack) > 1 and stack[-1].para and stack[-1].para.kind in ("dash", "plus"):
                stack.pop()
            host = stack[-1]
            for label, value in [f, *inline]:
                if label.startswith(("thời gian", "thời hạn", "tiến độ")):
                    host.deadline_lines.append((len(host.children), value))
                else:
                    host.fields.setdefault(label, value)
            continue
        if p.kind and p.kind != "part":
            rank: float = p.rank
        elif is_assignment_heading(p.text) and i + 1 < len(paras):
            # a plain `X chủ trì, phối hợp với Y:` heads the items after it
            nxt = next((q for q in paras[i + 1 :] if q.kind), None)
            below = nxt is not None and nxt.rank > stack[-1].rank
            rank = nxt.rank - 0.5 if below else 98
        else:
            rank = 99
        while len(stack) > 1 and stack[-1].rank >= rank:
            stack.pop()
        # a plain paragraph after a bullet (`-`, `+`) stands beside it, not under it
        while rank == 99 and len(stack) > 1 and stack[-1].para and stack[-1].para.kind in ("dash", "plus"):
            stack.pop()
        node = Node(p, rank)
        for label, value in inline:
            if label.startswith(("thời gian", "thời hạn", "tiến độ")):
                node.deadline_lines.append((0, value))
            else:
                node.fields.setdefault(label, value)
        stack[-1].children.append(node)
        if rank < 99:
            stack.append(node)
    return root


def _merge(a: list[str], b: list[str]) -> list[str]:
    return a + [x for x in b if x not in a]


def _fields_assignment(fields: dict[str, str]) -> Assignment:
    out = Assignment()
    for label, value in fields.items():
        if "phối hợp" in label:
            out.coordinate = _merge(out.coordinate, find_agencies(value))
        elif "theo dõi" in label:
            out.monitor = _merge(out.monitor, find_agencies(value))
        elif "chủ trì" in label or "thực hiện" in label or "tham mưu" in label:
            lead, coord = _split_lead_cell(value)
            out.lead = _merge(out.lead, lead)
            out.coordinate = _merge(out.coordinate, coord)
    return out


def _deadline(text: str | None, year: int | None) -> Deadline | None:
    return parse_deadline(text, year) if text else None


class ProseTasks:
    """Walk a part's tree and collect its tasks."""

    def __init__(self, organisation: bool, year: int | None) -> None:
        self.organisation = organisation
        self.year = year
        self.tasks: list[Task] = []

    def walk(self, node: Node, section: str, inherited: Assignment) -> None:
        for child in node.children:
            self.visit(child, section, inherited)

    def visit(self, node: Node, section: str, inherited: Assignment) -> None:
        text = node.text
        fields_asg = _fields_assignment(node.fields)
        if not node.children or self._is_task_with_parts(node):
            self.leaf(node, section, inherited, fields_asg)
            return
        own = parse_assignment(text) if is_assignment_heading(text) else self._addressee(text)
        if own is not None:
            asg = Assignment(own.lead, own.coordinate, _merge(own.monitor, inherited.monitor))
            self.walk(node, section, asg if not fields_asg.lead else fields_asg)
            return
        heading = text.rstrip(":. ")
        start = len(self.tasks)
        self.walk(node, heading, inherited)
        if not fields_asg.empty:  # `Đơn vị chủ trì: ...` after the bullets applies to them
            for t in self.tasks[start:]:
                t.lead = t.lead or fields_asg.lead
                t.coordinate = t.coordinate or fields_asg.coordinate
                t.monitor = t.monitor or fields_asg.monitor
        if node.deadline_lines:
            for t in self.tasks[start:]:
                t.deadline = t.deadline or _deadline(node.deadline_lines[0][1], self.year)

    def _addressee(self, text: str) -> Assignment | None:
        """In the organisation part, a heading over duties names who carries them out, even
        one the registry does not know: `12. Liên hiệp các tổ chức hữu nghị thành phố`,
        `Đề nghị Cơ quan Báo và Phát thanh...`, `UBND các phường: Ba Đình, Hoàn Kiếm`."""
        if not self.organisation:
            return None
        name = _ADDRESS.sub("", text).rstrip(":. ")
        words = name.split()
        if not words or len(words) > 25 or not name[0].isupper() or _VERBISH.search(name):
            return None
        return Assignment(find_agencies(name) or ([name] if len(words) <= 12 else []))

    @staticmethod
    def _is_task_with_parts(node: Node) -> bool:
        """An item closed by `Thời gian thực hiện:` before any child is a task (maybe several)."""
        return bool(node.deadline_lines) and node.deadline_lines[0][0] == 0

    def leaf(self, node: Node, section: str, inherited: Assignment, fields_asg: Assignment) -> None:
        if APPENDIX_REF.search(node.text) and not self.organisation and len(node.text) < 400:
            return  # `thực hiện các nhiệm vụ theo Phụ lục I`: the appendix rows are the tasks
        # `2.1. ... Thời gian: ...` then more paragraphs, each closed by its own deadline
        pieces = [node.text] + [c.text for c in node.children]
        deadlines = [d for _, d in node.deadline_lines]
        for i, text in enumerate(pieces):
            own = parse_assignment(text)
            if own.lead:
                asg = own
            elif i and pieces and parse_assignment(pieces[0]).lead:
                asg = parse_assignment(pieces[0])
            elif fields_asg.lead:
                asg = fields_asg
            else:
                asg = Assignment(inherited.lead, inherited.coordinate, _merge(own.monitor, inherited.monitor))
            written = deadlines[i] if i < len(deadlines) else opening_deadline(text)
            self.tasks.append(
                Task(
                    section=section,
                    text=text,
                    lead=list(asg.lead),
                    coordinate=[c for c in asg.coordinate if c not in asg.lead],
                    monitor=[m for m in asg.monitor if m not in asg.lead],
                    deadline=_deadline(written, self.year),
                    organisation=self.organisation,
                    line=node.para.line if node.para else 0,
                )
            )


# ── tables ────────────────────────────────────────────────────────────────────
ROLE_PATTERNS = [
    ("number", re.compile(r"^(?:S\.?\s*TT|STT|TT|Số\s+TT|Số\s+thứ\s+tự)$", re.I)),
    (
        "monitor",
        re.compile(r"theo\s+dõi|đôn\s+đốc|chỉ\s+đạo|tổng\s+hợp\s+báo\s+cáo|giám\s+sát", re.I),
    ),
    ("coordinate", re.compile(r"phối\s+hợp", re.I)),
    ("deadline", re.compile(r"thời\s+gian|thời\s+hạn|tiến\s+độ|hoàn\s+thành", re.I)),
    (
        "lead",
        re.compile(r"chủ\s+trì|thực\s+hiện|cơ\s+quan|đơn\s+vị|phụ\s+trách|trách\s+nhiệm", re.I),
    ),
    ("product", re.compile(r"sản\s+phẩm|kết\s+quả", re.I)),
    ("note", re.compile(r"ghi\s+chú", re.I)),
    ("content", re.compile(r"nội\s+dung|nhiệm\s+vụ|công\s+việc|hoạt\s+động|giải\s+pháp|tên", re.I)),
]
ROMAN_CODE = re.compile(r"^(?:[IVXL]+|[A-Z])\.?$")


def column_roles(header: list[str]) -> dict[str, list[int]]:
    roles: dict[str, list[int]] = {}
    for i, h in enumerate(header):
        for role, pat in ROLE_PATTERNS:
            if pat.search(h):
                roles.setdefault(role, []).append(i)
                break
    return roles


def is_task_table(header: list[str]) -> bool:
    roles = column_roles(header)
    return "content" in roles and ("lead" in roles or "coordinate" in roles or "monitor" in roles)


def _cell(row: list[str], idx: list[int] | None) -> str:
    if not idx:
        return ""
    return " ".join(row[i] for i in idx if i < len(row) and row[i]).strip()


def _split_lead_cell(cell: str) -> tuple[list[str], list[str]]:
    """`X chủ trì, phối hợp với Y` in one cell; numbered sub-assignments `(1) ...: X chủ trì`."""
    m = re.search(r"\bphối\s+hợp(?:\s+với|\s+cùng)?", cell, re.I)
    if m and not re.search(r"\(\d\)", cell):
        return find_agencies(cell[: m.start()]), find_agencies(cell[m.end() :])
    return find_agencies(cell), []


def table_tasks(table: Table, title: str, year: int | None) -> list[Task]:
    roles = column_roles(table.header)
    content = roles.get("content", [])[:1]
    number = roles.get("number", [])[:1]
    tasks: list[Task] = []
    section = title
    for row in table.rows[1:]:
        if all(re.fullmatch(r"\(\d+\)|\d+", c) for c in row if c):
            continue  # the row numbering the columns: (1) (2) (3) ...
        code = _cell(row, number)
        text = _cell(row, content)
        others = [c for i, c in enumerate(row) if c and i not in content + number]
        if not text:
            continue
        if ROMAN_CODE.match(code) or (not others and not code[:1].isdigit()):
            section = text.rstrip(":. ")
            continue
        lead, coord = _split_lead_cell(_cell(row, roles.get("lead")))
        coord = _merge(coord, find_agencies(_cell(row, roles.get("coordinate"))))
        monitor = find_agencies(_cell(row, roles.get("monitor")))
        deadline = _deadline(_cell(row, roles.get("deadline")), year)
        tasks.append(
            Task(
                section=section,
                text=text,
                lead=lead,
                coordinate=[c for c in coord if c not in lead],
                monitor=monitor,
                deadline=deadline,
                line=table.line,
            )
        )
    return tasks
