"""Tasks from tables: columns recognised by their headers (content, lead, coordinating,
monitoring or directing, deadline); group rows (`I`, `A`, a row with content alone) give the
section; rows merged down a column share that cell's text."""

from __future__ import annotations

import re

from ..vn import fold
from .agencies import cell_agencies
from .deadlines import parse_deadline
from .structure import Table
from .tasks import Draft, review, split_lead_cell

# Header words without their diacritics (`chủ trì` and an OCR's `chữ trì` read alike).
ROLE_PATTERNS = [
    ("number", re.compile(r"^(?:s\s*tt|stt|tt|so\s+tt|so\s+thu\s+tu)$")),
    ("monitor", re.compile(r"\b(?:theo\s+doi|don\s+doc|chi\s+dao|tong\s+hop\s+bao\s+cao|giam\s+sat)\b")),
    ("coordinate", re.compile(r"\bphoi\s+hop\b")),
    ("deadline", re.compile(r"\b(?:thoi\s+gian|thoi\s+han|tien\s+do|hoan\s+thanh)\b")),
    ("lead", re.compile(r"\b(?:chu\s+tri|thuc\s+hien|co\s+quan|don\s+vi|phu\s+trach|trach\s+nhiem)\b")),
    ("product", re.compile(r"\b(?:san\s+pham|ket\s+qua)\b")),
    ("note", re.compile(r"\bghi\s+chu\b")),
    (
        "content",
        re.compile(r"\b(?:noi\s+dung|nhiem\s+vu|cong\s+viec|hoat\s+dong|hanh\s+dong|giai\s+phap|ten)\b"),
    ),
]
ROMAN_CODE = re.compile(r"^(?:[IVXL]+|[A-Z])\.?$")
_GLUED = re.compile(r"(?<=[a-zà-ỹđ])(?=[A-Z0-9])")  # an OCR's `NộiA2 dung`, `độngR`


def header_words(cell: str) -> str:
    """A header cell as plain words: glued OCR noise split off, punctuation dropped, no diacritics."""
    return fold(re.sub(r"[^\w\s]", " ", _GLUED.sub(" ", cell)))


def column_roles(header: list[str]) -> dict[str, list[int]]:
    roles: dict[str, list[int]] = {}
    for i, h in enumerate(header):
        words = header_words(h)
        for role, pat in ROLE_PATTERNS:
            if pat.search(words):
                roles.setdefault(role, []).append(i)
                break
    content = roles.get("content", [])
    specific = [i for i in content if re.search(r"\bcu\s+the\b", header_words(header[i]))]
    if len(content) > 1 and specific:
        # `Nội dung hành động | Hành động cụ thể`: the specific action is the task
        roles["content"] = specific[:1] + [i for i in content if i not in specific[:1]]
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
