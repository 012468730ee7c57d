"""Tasks from tables: columns recognised by their headers (content, lead, coordinating,
monitoring or directing, deadline); group rows (`I`, `A`, a row with content alone) give the
section; rows merged down a column share that cell's text."""

from __future__ import annotations

import re

from .agencies import cell_agencies
from .deadlines import parse_deadline
from .structure import Table
from .tasks import Draft, review, split_lead_cell

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


def _merge(a: list[str], b: list[str]) -> list[str]:
    return a + [x for x in b if x not in a]


def table_tasks(table: Table, title: str, year: int | None, part: str = "tasks") -> list[Draft]:
    roles = column_roles(table.header)
    content = roles.get("content", [])[:1]
    number = roles.get("number", [])[:1]
    tasks: list[Draft] = []
    section = title
    above: Draft | None = None  # the task row above, for cells merged down a column
    for k, row in enumerate(table.rows[1:], 1):
        if all(re.fullmatch(r"\(\d+\)|\d+", c) for c in row if c):
            continue  # the row numbering the columns: (1) (2) (3) ...
        code = _cell(row, number)
        text = _cell(row, content)
        others = [c for i, c in enumerate(row) if c and i not in content + number]
        if not text:
            continue
        if ROMAN_CODE.match(code) or (not others and not code[:1].isdigit()):
            section = text.rstrip(":. ")
            above = None
            continue
        line, end = table.row_lines[k] if k < len(table.row_lines) else (table.line, table.line_end)
        draft = Draft(section, text, line=line, line_end=end, part=part)
        lead, coord = split_lead_cell(_cell(row, roles.get("lead")))
        draft.lead = lead
        draft.coordinate = [
            c for c in _merge(coord, cell_agencies(_cell(row, roles.get("coordinate")))) if c not in lead
        ]
        draft.monitor = cell_agencies(_cell(row, roles.get("monitor")))  # may be a lead too (`theo dõi`)
        written = _cell(row, roles.get("deadline"))
        draft.deadline = parse_deadline(written, year) if written else None
        if above is not None and roles.get("lead") and not _cell(row, roles.get("lead")) and above.lead:
            # a lead cell merged down the column: the rows it spans share it
            draft.lead, draft.coordinate = list(above.lead), list(above.coordinate)
            draft.flag("table_merged_cell")
        if above is not None and roles.get("deadline") and not written and above.deadline:
            draft.deadline = above.deadline
            draft.flag("table_merged_cell")
        review(draft)
        tasks.append(draft)
        above = draft
    return tasks
