"""Tasks from tables: columns recognised by their headers (content, lead, coordinating,
monitoring or directing, deadline); group rows (`I`, `A`, a row with content alone) give the
section; rows merged down a column share that cell's text."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..vn import fold
from .assignments import parse_assignment
from .cells import cell_agencies
from .deadlines import parse_deadline, prose_deadline
from .parts import ORGANISATION, REPORTING, upper_ratio
from .structure import ROMAN, Block, Paragraph, Table
from .tasks import FOOTNOTE_REF, Draft, duty_holder, names_who_acts, review, split_lead_cell

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
GROUP_MARKERS = ("part", "roman", "arabic", "dotted", "letter")
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


_GROUP_CODE = re.compile(rf"^(?:{ROMAN}|[A-Z]|[a-zđ]|\d{{1,3}}(?:\.\d{{1,3}})*)\s*[.\-–:)]\s*(?=\w)")
_NUMERIC = re.compile(r"^\d{1,3}(?:\.\d{1,3})*\.?$")


def _title(text: str) -> str:
    """A group row's title without its number (`II. Lĩnh vực y tế` → `Lĩnh vực y tế`)."""
    return _GROUP_CODE.sub("", text).rstrip(":. ")


def _opens_children(code: str, below: str | None) -> bool:
    """The next row is numbered under this one: `1` then `1.1`, `1` then `a)` or `-`."""
    if not _NUMERIC.match(code) or not below:
        return False
    return below.startswith(f"{code.rstrip('.')}.") or bool(re.match(r"^(?:[a-zđ][.)]?|[-+•])$", below))


def group_title(code: str, text: str, others: list[str], below: str | None) -> str | None:
    """The title of a group row, which is the section of the rows under it (`II | Lĩnh vực y tế`,
    `A. NHIỆM VỤ CHUNG` across the row, `1 | Giáo dục` over `1.1`, `1.2`), or None for a task row."""
    if not text:
        # a title written across the row lands in its first cell, or (centred over merged cells) in
        # another: the row's only words, after a group's number
        words = [c for c in [_title(code), *others] if sum(ch.isalpha() for ch in c) >= 3]
        spans = len(words) == 1 and (not others or ROMAN_CODE.match(code) or _NUMERIC.match(code))
        return words[0] if spans else None
    if ROMAN_CODE.match(code) or re.match(rf"^(?:{ROMAN})[.\-–]\s", text):
        return _title(text)
    if _opens_children(code, below) or (not others and (not code[:1].isdigit() or below == "")):
        # a numbered row with rows numbered under it, or with unnumbered rows after it, is their heading
        return _title(text)
    return None


@dataclass
class _Group:
    code: str
    numbered: bool  # a number in the number column, which the rows' own numbers may close
    rank: int  # `I`, `A` over `1` over `a`
    section: str | None  # None where the row names who acts: the section above stays
    lead: list[str] = field(default_factory=list)


class _Groups:
    """The group rows open above a row: `II` > `1` > `1.1`; a row numbered beside a group closes it."""

    def __init__(self, title: str, lead: list[str] | None = None) -> None:
        self.title = title
        self.given = lead or []  # who acts, as the lead-in over the table names them
        self.stack: list[_Group] = []

    def close(self, code: str) -> bool:
        """A numbered row closes the numbered groups it is not under (`2` after group `1`); whether it did."""
        closed = False
        while self.stack and _NUMERIC.match(code) and self.stack[-1].numbered:
            if code.startswith(f"{self.stack[-1].code.rstrip('.')}."):
                break
            self.stack.pop()
            closed = True
        return closed

    def open(self, code: str, title: str, lead: list[str], across: bool = False) -> None:
        """A group row (`across`: its title written across the row, its number in it): its title
        is the section, or, where it names who acts, its lead (as does a lead cell of its own)
        reaches the rows under it. It closes the groups of its rank and below."""
        code = _leading_code(code) if across else code
        numbered = not across and bool(_NUMERIC.match(code))
        rank = _code_rank(code)
        if not numbered:
            while self.stack and self.stack[-1].rank >= rank:
                self.stack.pop()
        who = names_who_acts(title)
        holder = parse_assignment(duty_holder(title)).lead if who else []
        self.stack.append(_Group(code, numbered, rank, None if who else title, lead or holder))

    @property
    def section(self) -> str:
        return next((g.section for g in reversed(self.stack) if g.section), self.title)

    @property
    def lead(self) -> list[str]:
        return next((list(g.lead) for g in reversed(self.stack) if g.lead), list(self.given))


def _leading_code(cell: str) -> str:
    """The number a title written across the row opens with (`A. NHIỆM VỤ CHUNG` → `A`)."""
    m = _GROUP_CODE.match(cell)
    return m.group(0).strip(" .-–:)") if m else ""


def _code_rank(code: str) -> int:
    if ROMAN_CODE.match(code):
        return 0
    return 2 if re.match(r"^[a-zđ]", code) else 1


def table_tasks(
    table: Table, title: str, year: int | None, part: str = "tasks", lead: list[str] | None = None
) -> list[Draft]:
    roles = column_roles(table.header)
    content = roles.get("content", [])[:1]
    number = roles.get("number", [])[:1]
    tasks: list[Draft] = []
    groups = _Groups(title, lead)
    above: Draft | None = None  # the task row above, for cells merged down a column
    body = table.rows[1:]
    for k, row in enumerate(body, 1):
        if all(re.fullmatch(r"\(\d+\)|\d+", c) for c in row if c):
            continue  # the row numbering the columns: (1) (2) (3) ...
        code = _cell(row, number)
        text = _cell(row, content)
        others = [c for i, c in enumerate(row) if c and i not in content + number]
        if groups.close(code):
            above = None  # no cell is merged across a group's end
        group = group_title(code, text, others, _cell(body[k], number) if k < len(body) else None)
        if group is not None:
            own = split_lead_cell(_cell(row, roles.get("lead")))[0]
            groups.open(code, group, own, across=not text)
            above = None
            continue
        if not text:
            continue
        line, end = table.row_lines[k] if k < len(table.row_lines) else (table.line, table.line_end)
        draft = _row_task(row, roles, Draft(groups.section, text, line=line, line_end=end, part=part), year)
        if not draft.lead and groups.lead:
            draft.lead = groups.lead
            draft.flag("lead_inherited")
        _merged_down(draft, above, row, roles)
        review(draft)
        tasks.append(draft)
        above = draft
    return tasks


def _row_task(row: list[str], roles: dict[str, list[int]], draft: Draft, year: int | None) -> Draft:
    """A task row's lead, coordinating, monitoring and deadline cells."""
    lead, coord = split_lead_cell(_cell(row, roles.get("lead")))
    draft.lead = lead
    draft.coordinate = [c for c in _merge(coord, cell_agencies(_cell(row, roles.get("coordinate")))) if c not in lead]
    draft.monitor = cell_agencies(_cell(row, roles.get("monitor")))  # may be a lead too (`theo dõi`)
    written = _cell(row, roles.get("deadline"))
    draft.deadline = parse_deadline(written, year) if written else None
    if not roles.get("deadline"):  # no time column: a date the row's own text writes
        draft.deadline = prose_deadline(FOOTNOTE_REF.sub("", draft.text), year)
        if draft.deadline:
            draft.flag("deadline_from_prose")
    return draft


def _merged_down(draft: Draft, above: Draft | None, row: list[str], roles: dict[str, list[int]]) -> None:
    """A lead or deadline cell merged down the column: the rows it spans share it."""
    if above is None:
        return
    if roles.get("lead") and not _cell(row, roles.get("lead")) and above.lead:
        draft.lead, draft.coordinate = list(above.lead), list(above.coordinate)
        draft.flag("table_merged_cell")
    if roles.get("deadline") and not _cell(row, roles.get("deadline")) and above.deadline:
        draft.deadline = above.deadline
        draft.flag("table_merged_cell")


def continues(t: Table, above: Table) -> bool:
    """A headerless table as wide as the task table above it, with text where the tasks are."""
    width = len(above.header)
    own_header = len(column_roles(t.header)) >= 2  # `TT | Tên dự án | Tổng mức đầu tư`: a table of its own
    return bool(t.rows) and all(len(r) == width for r in t.rows) and not own_header


def _group_line(p: Paragraph) -> bool:
    """A line that can be a table's group row: a short numbered or upper-case title, not a part's."""
    titled = p.kind in ("part", "roman", "arabic", "letter") or (p.kind is None and upper_ratio(p.text) > 0.7)
    part = ORGANISATION.search(p.text) or REPORTING.search(p.text)
    return titled and len(p.text) <= 150 and not p.text.endswith((";", ",")) and not part


def rejoin(blocks: list[Block]) -> list[Block]:
    """A group row a reader wrote as a line of its own between a task table's rows (`II. LĨNH VỰC
    Y TẾ`, then rows with no header) is a row of that table again, its title across the row."""
    out: list[Block] = []
    for b in blocks:
        if isinstance(b, Table) and len(out) >= 2:
            above, line = out[-2], out[-1]
            if (
                isinstance(above, Table)
                and isinstance(line, Paragraph)
                and is_task_table(above.header)
                and _group_line(line)
                and continues(b, above)
            ):
                out[-2:] = [
                    Table(
                        [*above.rows, [line.text], *b.rows],
                        above.line,
                        above.header,
                        [*above.row_lines, (line.line, line.line_end), *b.row_lines],
                    )
                ]
                continue
        out.append(b)
    return out


HEADINGS = ("part", "roman", "arabic", "dotted", "letter")


@dataclass
class Context:
    """What the prose right above a table says of its rows."""

    heading: Paragraph | None = None  # the numbered heading the table is the content of
    lead_in: Paragraph | None = None  # `Các sở, ngành theo chức năng, nhiệm vụ được giao:`

    def section(self, title: str) -> str:
        if self.heading is None or names_who_acts(self.heading.body):
            return title
        return self.heading.body.rstrip(":. ")

    def lead(self) -> list[str]:
        named = [p.body if p.kind else p.text for p in (self.lead_in, self.heading) if p is not None]
        return next((parse_assignment(duty_holder(t)).lead for t in named if names_who_acts(t)), [])


def table_context(blocks: list[Block], at: int) -> Context:
    """The numbered heading a table stands under with nothing else between (`1. Lĩnh vực y tế`,
    then the table), and the lead-in between them that names who acts."""
    found = Context()
    for p in reversed(blocks[:at]):
        if isinstance(p, Table):
            break
        if p.kind in HEADINGS:
            found.heading = p
            break
        if p.kind is None and found.lead_in is None and names_who_acts(p.text.rstrip(": ")):
            found.lead_in = p
            continue
        if not p.text.startswith("("):  # a note (`(Chi tiết tại bảng sau)`) stands between them
            break
    return found
