"""Tasks from prose: the item tree of a part read by the rules of PLAN_FORMAT.md.

Each item of the tree (`items.py`) plays one role:

- a **heading** names a subject: it is the `section` of the tasks under it (only numbered and
  lettered items are headings; a bullet never is);
- an **assignment heading** names who carries out what is under it (`b) Sở Xây dựng chủ trì,
  phối hợp với ...:`, `1. Sở Tư pháp:`, `Đề nghị Ủy ban nhân dân các xã`): it gives
  `lead`/`coordinate`/`monitor` and the tasks keep the section above it;
- a **lead-in** (a sentence over a list, `Sở X chủ trì, đôn đốc các đơn vị thực hiện:`) gives
  its agencies to the items under it and is not a task;
- a **task** is the smallest enumerated unit of assigned work: a leaf item; a bullet title with
  its paragraph; a numbered item that states work, with the plain paragraphs that follow it up to
  its `Thời gian thực hiện:` line (an item with two such lines is two tasks); an activity block
  (a name and its `- Thời gian:`, `- Đơn vị chủ trì:`, `- Hình thức:` fields).

Labelled fields give the deadline, lead, coordinate and monitor of every task of the item or
theme they close. Each task keeps why a person should look at it (`review`) and its lines.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from ..model import Deadline
from ..vn import UPPER
from .agencies import HEAD_RE, find_agencies, registry
from .assignments import (
    PERSONS,
    Assignment,
    is_assignment_heading,
    is_request,
    lead_in_assignment,
    parse_assignment,
    subject,
)
from .cells import cell_agencies, find_in_cell
from .deadlines import opening_deadline, parse_deadline, point_deadline, prose_deadline
from .items import Field, Item, aside_fields
from .lexicon import alternation
from .parts import REPORTING
from .timing import covers, without_exception

_REQUIRES = re.compile(r"^(?:Yêu\s+cầu|Đôn\s+đốc|Hướng\s+dẫn|Chỉ\s+đạo)\s", re.I)
FOOTNOTE_REF = re.compile(r"\s*\[\^(\d+)\]")
APPENDIX_REF = re.compile(r"\b(?:theo|tại)\s+(?:các\s+)?Phụ\s+lục\b", re.I)
# headings of parts of a plan that assign no work: a forecast, the situation, the purpose, a theme
NO_TASKS = re.compile(
    rf"^(?:{alternation('determiners')}\s+)?"
    r"(?:Dự\s+báo|Tình\s+hình|Đánh\s+giá|Kết\s+quả\s+thực\s+hiện|Thực\s+trạng|Bối\s+cảnh|Sự\s+cần\s+thiết|"
    r"Mục\s+đích|Yêu\s+cầu|Mục\s+tiêu|Quan\s+điểm|Chỉ\s+tiêu|Kinh\s+phí|Căn\s+cứ|Phạm\s+vi|Chủ\s+đề|"
    r"Nguyên\s+tắc|Dự\s+kiến\s+kết\s+quả)\b",
    re.I,
)
# a line that points to where the work is listed: `Phân công nhiệm vụ cụ thể như bảng sau:`, `... như sau:`
POINTER = re.compile(
    r"\b(?:như|theo|tại)\s+(?:(?:các\s+)?bảng|biểu|phụ\s+lục)\b[^.;:]{0,40}[.:]?\)?$|\bnhư\s+sau\s*:$", re.I
)


def no_tasks(text: str) -> bool:
    """A heading of a part that assigns no work (`2. Yêu cầu`, `Kinh phí thực hiện`); not a request
    to a body that opens with the same word (`c) Yêu cầu Ủy ban nhân dân các xã triển khai:`), nor
    work that names who carries it out (`b) Đánh giá chất lượng phục vụ; các sở, ngành thực hiện.`)."""
    return bool(NO_TASKS.match(text)) and not parse_assignment(text).lead


# `Đối với các cơ quan, đơn vị thuộc Sở`: a heading that names a subject and who it is about
ABOUT = re.compile(r"^(?:Đối\s+với|Về\s+phía)\s+", re.I)
LONG_TEXT = 2000
SECTIONS = ("part", "roman", "arabic", "dotted", "letter")


@dataclass
class Draft:
    """A task as the grammar finds it, with what the plan assembly and the duties need."""

    section: str
    text: str
    lead: list[str] = field(default_factory=list)
    coordinate: list[str] = field(default_factory=list)
    monitor: list[str] = field(default_factory=list)
    deadline: Deadline | None = None
    review: list[str] = field(default_factory=list)
    line: int = 0
    line_end: int = 0
    part: str = "tasks"  # tasks, organisation, reporting, appendix
    report_only: bool = False  # a duty that only says who reports what to whom: no task

    @property
    def clean_text(self) -> str:
        return FOOTNOTE_REF.sub("", self.text).strip()

    def flag(self, code: str) -> None:
        if code not in self.review:
            self.review.append(code)


@dataclass(frozen=True)
class Scope:
    """What the headings above an item hand down to it."""

    section: str
    asg: Assignment = field(default_factory=Assignment)
    origin: str = ""  # where `asg.lead` came from: heading, lead_in, request
    deadline: str | None = None
    no_tasks: bool = False
    part: str | None = None  # a heading inside the part that opens another (`3. Chế độ báo cáo`)


def _merge(a: list[str], b: list[str]) -> list[str]:
    return a + [x for x in b if x not in a]


def _field_assignment(fields: list[Field]) -> Assignment:
    out = Assignment()
    for f in fields:
        names = cell_agencies(f.value) if f.kind in ("coordinate", "monitor") else []  # a list, as in a table cell
        if f.kind == "coordinate":
            out.coordinate = _merge(out.coordinate, names)
        elif f.kind == "monitor":
            out.monitor = _merge(out.monitor, names)
        elif f.kind == "lead":
            lead, coord = split_lead_cell(f.value)
            out.lead = _merge(out.lead, lead)
            out.coordinate = _merge(out.coordinate, coord)
    return out


def split_lead_cell(cell: str) -> tuple[list[str], list[str]]:
    """`X chủ trì, phối hợp với Y` in one cell or field; numbered sub-assignments `(1) ...: X`;
    each body's role after it (`X chủ trì; Y phối hợp`)."""
    roles = roles_after_names(cell)
    if roles is not None:
        return roles
    m = re.search(r"\bphối\s+hợp(?:\s+với|\s+cùng)?", cell, re.I)
    if m and not re.search(r"\(\d\)", cell):
        return find_in_cell(cell[: m.start()]), find_in_cell(cell[m.end() :])
    return find_in_cell(cell), []


# a role written after the bodies it belongs to and closing their list (`Sở Nội vụ chủ trì; Công an tỉnh phối hợp`)
_ROLE_AFTER = re.compile(r"\(?\s*\b(chủ\s+trì|thực\s+hiện|phối\s+hợp)\s*\)?(?=\s*(?:[,;.]|$))", re.I)


def roles_after_names(cell: str) -> tuple[list[str], list[str]] | None:
    """Lead and partners where a cell names each body's role after it (`X chủ trì, Y, Z phối hợp`,
    `Y phối hợp; X thực hiện`); a body named without a role leads where none is said to
    (`Văn phòng UBND tỉnh; các sở, ngành phối hợp`), else works with the lead (`X (chủ trì), Y`).
    None where no role closes a list of bodies."""
    lead: list[str] = []
    coord: list[str] = []
    plain: list[str] = []
    marked = False
    for clause in re.split(r";\s*", cell):
        pos = 0
        for m in _ROLE_AFTER.finditer(clause):
            names = [n for n in find_in_cell(clause[pos : m.start()]) if n not in lead + coord + plain]
            if names:
                (coord if m.group(1).lower().startswith("phối") else lead).extend(names)
                pos, marked = m.end(), True
        plain += [n for n in find_in_cell(clause[pos:]) if n not in lead + coord + plain]
    if not marked:
        return None
    return (lead, coord + plain) if lead else (plain, coord)


class ProseTasks:
    """Walk a part's item tree and collect its tasks."""

    def __init__(self, part: str, year: int | None, table_heads: set[int] | None = None) -> None:
        self.part = part
        self.year = year
        self.table_heads = table_heads or set()  # the lines of headings whose content is a table
        self.tasks: list[Draft] = []
        self.handed = False  # an item hands its tasks to an appendix (`... tại Phụ lục kèm theo`)

    @property
    def organisation(self) -> bool:
        return self.part in ("organisation", "reporting")

    def walk(self, root: Item, section: str) -> list[Draft]:
        _drop_closing(root)
        self._children(root, Scope(section))
        return self.tasks

    # --- the roles ----------------------------------------------------------------------------

    def _children(self, item: Item, scope: Scope) -> None:
        """Visit the children of `item`; then its closing fields reach the tasks they made."""
        starts = []
        for child in item.children:
            starts.append(len(self.tasks))
            self.visit(child, scope)
        starts.append(len(self.tasks))
        # fields between the children close the run of children since the fields before them
        # (`- a`, `- b`, `Thời gian: Quý II`, `- c`, `Thời gian: Quý IV`); the last run is closed
        # by the fields after every child
        cuts = sorted({f.at for f in item.fields if 0 < f.at <= len(item.children)})
        begin = 0
        for cut in cuts:
            self._close(item, self.tasks[starts[begin] : starts[cut]], cut)
            begin = cut
        if item.children and any(f.at == 0 for f in item.fields):
            # fields written under the heading, before its points, are the whole group's
            self._close(item, self.tasks[starts[0] : starts[-1]], 0)

    def visit(self, item: Item, scope: Scope) -> None:
        text = item.text
        if scope.no_tasks or (not item.children and DIFFICULTIES.match(text)):
            return  # `Trong quá trình triển khai, nếu có khó khăn, vướng mắc, ...`: the closing formula, anywhere
        if item.line in self.table_heads:
            self._children(item, replace(scope, section=text.rstrip(":. ")))  # the table's rows are its tasks
            return
        if self._activity(item):
            self._block(item, scope)
        elif not item.children:
            self._leaf(item, scope)
        elif item.lead_in:
            self._lead_in(item, scope)
        elif item.para.kind in ("dash", "plus", "paren"):
            self._bullet_over(item, scope)
        elif no_tasks(text) and not self.organisation:
            return  # `1. Dự báo tình hình úng ngập`: a forecast, not assigned work
        else:
            self._heading(item, scope)

    def _leaf(self, item: Item, scope: Scope) -> None:
        text = item.text
        if no_tasks(text) and item.numbered and not self.organisation:
            return  # `1. Chủ đề Festival ...` whose motto was a label: a heading with nothing under it
        if names_who_acts(text) and not item.fields:
            return  # `3. Sở Du lịch:` with nothing under it assigns nothing
        if APPENDIX_REF.search(text) and not self.organisation and len(text) < 400:
            self.handed = True
            return  # `thực hiện các nhiệm vụ theo Phụ lục I`: the appendix rows are the tasks
        if POINTER.search(text) and len(text) < 160 and not subject(text)[0]:
            return  # `Phân công nhiệm vụ cụ thể như bảng sau:`: where the work is listed, no work
        points = inline_points(text)
        if points:
            self._points(item, scope, *points)
            return
        draft = self._task(item, scope, text)
        if item.colon and item.para.kind is None:
            draft.flag("lead_in_maybe_task")

    def _points(self, item: Item, scope: Scope, head: str, points: list[str]) -> None:
        """`Sở X thực hiện các nhiệm vụ gồm: a) ...; b) ...` in one paragraph: its head is a lead-in
        (or, numbered and naming no one, a heading) and each lettered point a task."""
        own = lead_in_assignment(head)
        inner = self._handed(scope, own, "lead_in")
        if own.empty and item.numbered:
            inner = replace(inner, section=head.rstrip(":. "))
        for point in points:
            self._task(item, inner, point)

    def _lead_in(self, item: Item, scope: Scope) -> None:
        """A plain paragraph over a list: a lead-in where it ends with `:` or names who acts; a
        preamble where the list is of numbered headings; otherwise a task of its own, and the list
        under it tasks beside it."""
        own = lead_in_assignment(item.text)
        if item.colon or own.lead or own.monitor:
            self._children(item, self._handed(scope, own, "lead_in"))
            return
        if not any(c.children and c.numbered for c in item.children):
            self._task(item, scope, item.text)
        self._children(item, scope)

    def _bullet_over(self, item: Item, scope: Scope) -> None:
        """A bullet with items under it: its title and a paragraph make one task; over a list
        of its own it is a lead-in, neither a task nor a section."""
        if all(c.para.kind is None and not c.children for c in item.children):
            text = " ".join([item.text, *(c.text for c in item.children)])
            self._task(item, scope, text, end=max(c.line_end for c in item.children))
            return
        own = lead_in_assignment(item.text)
        self._children(item, self._handed(scope, own, "lead_in"))

    def _heading(self, item: Item, scope: Scope) -> None:
        text = item.text
        title = text.rstrip(":. ")
        if is_request(text) or names_who_acts(text) or self._addressee(text) is not None:
            own = self._addressee(text) if not names_who_acts(text) else parse_assignment(duty_holder(text))
            own = own if own is not None else parse_assignment(text)
            origin = "request" if is_request(text) else "heading"
            if own.empty and PERSONS.match(text):
                # `6. Đồng chí Phó Chủ tịch phụ trách ...`: work given to a person, no agency above reaches it
                self._children(item, replace(scope, asg=Assignment(), origin="person"))
                return
            self._children(item, self._handed(scope, own, origin))
            return
        if self._states_work(item):
            self._parts(item, scope)
            return
        opening = _closed_opening(item)
        if opening is not None and self._states_work(opening[0]):
            # `4.2. Sở X: Chủ trì ...`, its paragraphs, `Thời gian thực hiện: ...`, then `4.2.1. ...`: one task,
            # and the sub-items after its time line tasks of their own
            self._parts(opening[0], scope)
            own = Assignment(lead=parse_assignment(text).lead)  # its agency reaches the sub-items that name none
            self._children(opening[1], self._handed(scope, own, "heading"))
            return
        own = self._heading_assignment(text)
        if not own.lead:
            own.coordinate = []  # `2. Phối hợp với các cơ quan, địa phương`: the subject, no one's partners
        if self.organisation and own.lead and item.para.kind in SECTIONS and _work_after_subject(text):
            # `1. Sở Xây dựng là cơ quan chủ trì, đầu mối đôn đốc ... thực hiện.` over its own items
            self._task(item, scope, text).flag("heading_maybe_task")
            self._children(item, self._handed(scope, own, "heading"))
            return
        section = scope.section if self.organisation and own.lead else title
        inner = replace(scope, section=section, no_tasks=no_tasks(text) and not self.organisation)
        if REPORTING.search(text):
            inner = replace(inner, part="reporting")  # its items are reporting duties, as in that part
        if own.lead or own.coordinate or own.monitor:
            inner = self._handed(inner, own, "heading")
        self._children(item, inner)

    # --- what a heading is ---------------------------------------------------------------------

    def _addressee(self, text: str) -> Assignment | None:
        """In the organisation part, a heading over duties names who carries them out, even one
        the registry does not know: `12. Liên hiệp các tổ chức hữu nghị thành phố`; a heading that
        names people as persons (`6. Phó Chủ tịch phụ trách lĩnh vực ...`) names no agency."""
        if not self.organisation and not is_request(text):
            return None
        if PERSONS.match(text):
            return Assignment()
        return addressee(text)

    def _heading_assignment(self, text: str) -> Assignment:
        """Who a subject heading names: its opening subject (`Sở Xây dựng phối hợp với Sở Nông
        nghiệp và Môi trường trong công tác ...`) or the bodies it is about (`Đối với ...`)."""
        m = ABOUT.match(text)
        if m:
            return Assignment(lead=[n for n in find_agencies(text[m.end() :]) if not _persons(text[m.end() :])])
        return parse_assignment(text)

    @staticmethod
    def _activity(item: Item) -> bool:
        """A name with its fields written as bullets (`- Thời gian:`, `- Đơn vị chủ trì:`) and
        perhaps bullets that describe it: one task."""
        bulleted = [f for f in item.fields if f.bullet and f.kind in ("deadline", "lead", "coordinate", "describe")]
        if not bulleted or item.colon or _closing_time(bulleted, item):
            return False
        if any(subject(c.text)[0] for c in item.children):
            return False  # `- Sở X chủ trì tuyên truyền ...`: a bullet that names who works is a task, no description
        return all(c.para.kind in ("dash", "plus", "paren") and not c.children for c in item.children)

    @staticmethod
    def _states_work(item: Item) -> bool:
        """A numbered item that opens with its agency and states work, or is closed by its own
        deadline line, with plain paragraphs under it: one task (or one per deadline line)."""
        if not all(c.para.kind is None and not c.children for c in item.children) or item.colon:
            return False
        closed = any(f.kind == "deadline" and f.at < len(item.children) for f in item.fields)
        return closed or bool(parse_assignment(item.text).lead and _work_after_subject(item.text))

    # --- making tasks -------------------------------------------------------------------------

    def _block(self, item: Item, scope: Scope) -> None:
        """An activity block: its name, its description bullets and fields; the other fields give
        the deadline, lead and coordinate."""
        describe = [f.text for f in item.fields if f.kind == "describe"]
        text = " ".join([item.text, *(c.text for c in item.children), *describe])
        end = max([item.line_end, *(c.line_end for c in item.children), *(f.line_end for f in item.fields)])
        self._task(item, scope, text, end=end, fields=item.fields)

    def _parts(self, item: Item, scope: Scope) -> None:
        """`2.1. Sở Tư pháp: Chủ trì, ...` and its paragraphs, up to each `Thời gian thực hiện:`."""
        closing = sorted((f for f in item.fields if f.kind == "deadline"), key=lambda f: f.at)
        others = [f for f in item.fields if f.kind != "deadline"]
        first = parse_assignment(item.text)
        start, n = 0, len(item.children)
        for k, cut in enumerate([*[f.at for f in closing], n]):
            piece = item.children[start : max(cut, start)]
            texts = ([item.text] if k == 0 else []) + [c.text for c in piece]
            if k == len(closing) and not piece and k > 0:
                break  # nothing after the last deadline line
            written = closing[k].value if k < len(closing) else None
            inner = scope
            if k and first.lead and not parse_assignment(texts[0]).lead:
                inner = self._handed(scope, first, "heading")  # the item's agency reaches its later parts
            head = item if k == 0 else piece[0]
            end = max([head.line_end, *(c.line_end for c in piece)])
            self._task(head, inner, " ".join(texts), end=end, fields=others, written=written)
            start = max(cut, start)

    def _task(
        self,
        item: Item,
        scope: Scope,
        text: str,
        end: int | None = None,
        fields: list[Field] | None = None,
        written: str | None = None,
    ) -> Draft:
        fields = item.fields if fields is None else fields
        own = parse_assignment(text)
        if not any(f.kind == "lead" for f in fields):
            fields = [*fields, *aside_fields(text, item.line, end or item.line_end)]
        given = _field_assignment(fields)
        draft = Draft(scope.section, text, line=item.line, line_end=end or item.line_end, part=scope.part or self.part)
        if own.lead and scope.asg.lead and _REQUIRES.match(text) and not own.directed:
            own.lead = []  # `- Yêu cầu các chủ đầu tư ...` under a body's heading: that body requires it
        if own.lead:
            draft.lead = own.lead
        elif given.lead:
            draft.lead = given.lead
        elif scope.asg.lead:
            draft.lead = list(scope.asg.lead)
            draft.flag("lead_inherited")
            if scope.origin == "request":
                draft.flag("request_outside")
        if not draft.lead and (
            scope.origin == "person"
            or PERSONS.match(text)
            or any(f.kind == "lead" and PERSONS.match(f.value) for f in fields)
        ):
            draft.flag("lead_is_person")  # `Đơn vị chủ trì: Đồng chí Phó Chủ tịch ...`
        draft.coordinate = [c for c in _merge(_merge(own.coordinate, given.coordinate), scope.asg.coordinate)]
        draft.monitor = _merge(_merge(own.monitor, given.monitor), scope.asg.monitor)
        if own.directed:
            draft.monitor = _merge(draft.monitor, scope.asg.lead)  # the heading's body directs the bullet's
        draft.coordinate = [c for c in draft.coordinate if c not in draft.lead]
        draft.monitor = [m for m in draft.monitor if m not in draft.lead]
        draft.deadline = self._deadline(text, fields, scope, draft, written)
        review(draft)
        self.tasks.append(draft)
        return draft

    def _deadline(
        self, text: str, fields: list[Field], scope: Scope, draft: Draft, written: str | None
    ) -> Deadline | None:
        written = written or next((f.value for f in fields if f.kind == "deadline"), None) or opening_deadline(text)
        if written:
            return parse_deadline(written, self.year)
        if scope.deadline:
            draft.flag("deadline_inherited")
            return parse_deadline(scope.deadline, self.year)
        found = prose_deadline(FOOTNOTE_REF.sub("", text), self.year)
        if found:
            draft.flag("deadline_from_prose")
        return found

    @staticmethod
    def _handed(scope: Scope, own: Assignment, origin: str) -> Scope:
        """The scope under an item that names who acts: its lead replaces the one above."""
        if not (own.lead or own.coordinate or own.monitor):
            return scope
        lead = own.lead or scope.asg.lead
        asg = Assignment(
            lead,
            [c for c in _merge(own.coordinate, scope.asg.coordinate if not own.lead else []) if c not in lead],
            [m for m in _merge(own.monitor, scope.asg.monitor) if m not in lead],
        )
        return replace(scope, asg=asg, origin=origin if own.lead else scope.origin)

    def _close(self, item: Item, made: list[Draft], at: int) -> None:
        """The fields standing after `at` of an item's children reach every task those children
        made that lacks them."""
        if not made:
            return
        closing = [f for f in item.fields if f.at == at]
        given = _field_assignment(closing)
        line = next((f for f in closing if f.kind == "deadline"), None)
        for t in made:
            deadline = line.value if line and covers(line.label, line.value, _point(item, t), _own_time(t)) else None
            if given.lead and (not t.lead or "lead_inherited" in t.review):
                t.lead = given.lead
                t.review = [r for r in t.review if r not in ("lead_inherited", "no_lead", "lead_collective")]
            t.coordinate = [c for c in _merge(t.coordinate, given.coordinate) if c not in t.lead]
            t.monitor = [m for m in _merge(t.monitor, given.monitor) if m not in t.lead]
            if deadline and (t.deadline is None or "deadline_from_prose" in t.review):
                t.deadline = parse_deadline(without_exception(_for_point(deadline, item, t)), self.year)
                t.review = [r for r in t.review if r != "deadline_from_prose"]
                t.flag("deadline_inherited")
            self._review_again(t)

    def _review_again(self, t: Draft) -> None:
        t.review = [r for r in t.review if r not in ("no_lead", "lead_collective", "lead_unknown", "deadline_no_date")]
        review(t)


def _closed_opening(item: Item) -> tuple[Item, Item] | None:
    """An item whose own text and the plain paragraphs after it are closed by a deadline line before
    its first marked sub-item: (the item up to that line, the item holding the rest), else None."""
    k = next((i for i, c in enumerate(item.children) if c.para.kind), None)
    if k is None or not any(f.kind == "deadline" and f.at == k for f in item.fields):
        return None
    if any(c.children for c in item.children[:k]):
        return None
    head = replace(item, children=item.children[:k], fields=[f for f in item.fields if f.at <= k])
    rest = [replace(f, at=f.at - k) for f in item.fields if f.at > k]
    return head, replace(item, children=item.children[k:], fields=rest)


def _for_point(written: str, item: Item, t: Draft) -> str:
    """`Thời gian: nội dung a) quý II/2026; nội dung b) quý IV/2026`: the time of the point that made `t`."""
    label = _point(item, t)
    return (label and point_deadline(written, label)) or written


def _point(item: Item, t: Draft) -> str | None:
    """The label (`b`) of the child of `item` that made `t`."""
    point = next((c for c in item.children if c.para.line <= t.line <= c.line_end), None)
    return point.para.label if point else None


def _own_time(t: Draft) -> bool:
    return t.deadline is not None and "deadline_from_prose" in t.review


def _closing_time(bulleted: list[Field], item: Item) -> bool:
    """`- A ...`, `- B ...`, `- Thời gian thực hiện: Quý III/2026`: a time alone after several bullets
    closes their list (each bullet a task with that time), not an activity and its fields."""
    n = len(item.children)
    return n > 1 and all(f.kind == "deadline" and f.at == n for f in bulleted)


# the plan's closing formula: `Trên đây là Kế hoạch ...`, `UBND tỉnh yêu cầu các sở, ngành ... nghiêm túc triển
# khai thực hiện. Trong quá trình thực hiện, nếu có khó khăn, vướng mắc, kịp thời phản ánh ...`
_CARRY_OUT = r"(?:tổ\s+chức\s+)?(?:triển\s+khai\s+)?(?:thực\s+hiện|triển\s+khai)"
_EARNEST = r"(?:nghiêm\s+túc|nghiêm|khẩn\s+trương|có\s+hiệu\s+quả|hiệu\s+quả|đầy\s+đủ)"
_EXHORT = (
    rf"[^.;:]{{0,80}}?\b(?:yêu\s+cầu|đề\s+nghị)\b[^.;:]{{0,200}}?\b"
    rf"(?:{_EARNEST}\s+{_CARRY_OUT}|{_CARRY_OUT}\s+{_EARNEST})(?!\w)"
)
# `Trong quá trình thực hiện, nếu có khó khăn`, `Quá trình triển khai Kế hoạch, trường hợp phát sinh vướng mắc`
_TROUBLE = r"(?:nếu|trường\s+hợp|khi)\s+(?:có|phát\s+sinh|gặp)\s+(?:(?:những|các)\s+)?(?:khó\s+khăn|vướng\s+mắc)"
_COURSE = r"(?:Trong\s+)?quá\s+trình\s+(?:tổ\s+chức\s+)?(?:triển\s+khai\s+)?(?:thực\s+hiện|triển\s+khai)\b"
# after the course of work the condition may go unsaid: `Quá trình thực hiện có khó khăn, vướng mắc`
_BARE = r"(?:có|phát\s+sinh)\s+(?:[^.]{0,30}?\s)?(?:khó\s+khăn|vướng\s+mắc)"
# `Trong quá trình thực hiện, nếu có khó khăn`, `Nếu có vướng mắc trong quá trình triển khai`
_DIFFICULTIES = rf"(?:{_COURSE}[^.]{{0,60}}?\b(?:{_TROUBLE}|{_BARE})|{_TROUBLE}\b[^.]{{0,60}}?\btrong\s+{_COURSE})"
_RECEIVED = r"Nhận\s+được\s+(?:Kế\s+hoạch|Chương\s+trình|văn\s+bản)\b"  # `Nhận được Kế hoạch này, ...`
CLOSING = re.compile(rf"^(?:Trên\s+đây\s+là\b|{_RECEIVED}|{_DIFFICULTIES}|{_EXHORT})", re.I)
EXHORTATION = re.compile(_EXHORT, re.I)
DIFFICULTIES = re.compile(_DIFFICULTIES, re.I)
# what a numbered closing item may say after its exhortation: the plan, and nothing else to do
_THIS_PLAN = re.compile(
    r"^\s*(?:(?:các\s+)?(?:nội\s+dung|nhiệm\s+vụ)\s+(?:của\s+|tại\s+|trong\s+)?)?"
    r"(?:(?:Kế\s+hoạch|Chương\s+trình)(?:\s+này)?|được\s+giao|nêu\s+trên)?\s*(?:[./]+\s*|;\s*|$)",
    re.I,
)


def closes_plan(item: Item) -> bool:
    """The item is the plan's closing formula, which assigns nothing: unnumbered, any paragraph
    that opens with it; numbered (`5. Đề nghị các cơ quan nghiêm túc triển khai thực hiện Kế hoạch
    này.`), only an exhortation to carry out the plan, perhaps with the difficulties sentence."""
    text = item.text
    if item.para.kind is None:
        return bool(CLOSING.match(text))
    m = EXHORTATION.match(text)
    if not m:
        return False
    rest = _THIS_PLAN.match(text[m.end() :])
    after = text[m.end() + rest.end() :].strip() if rest else text
    return not after or bool(DIFFICULTIES.match(after))


def _drop_closing(root: Item) -> None:
    """The part's last paragraphs that close the plan (no task, no reporting duty)."""
    while True:
        parent, last = root, root.children[-1] if root.children else None
        while last is not None and last.children:
            parent, last = last, last.children[-1]
        if last is None or not closes_plan(last):
            return
        parent.children.pop()


def review(draft: Draft) -> None:
    """What a person should check in a task, from its lead, deadline and length (a table row's too)."""
    reg = registry()
    if not draft.lead:
        draft.flag("no_lead")
    elif all(reg.is_collective(n) for n in draft.lead):
        draft.flag("lead_collective")
    elif any(not reg.known(n) for n in draft.lead):
        draft.flag("lead_unknown")
    if draft.deadline and draft.deadline.due is None and not draft.deadline.recurring:
        draft.flag("deadline_no_date")
    if len(draft.text) > LONG_TEXT:
        draft.flag("long_text")


# `... gồm: a) Rà soát ...; b) Cập nhật ...`: lettered points written inline, the first after a colon
_POINT = re.compile(rf"([:;.])\s*\(?([a-zđ]|\d{{1,2}})\)\s+(?={UPPER})")
_LETTERS = "abcdđeghiklmnopqrstuvxy"
# the head introduces work (`các nhiệm vụ gồm:`, `những nội dung sau:`, `Sở X thực hiện:`), not the objects of
# its own work (`Rà soát các văn bản: a) Quyết định số 12; b) ...` is one task)
_WORK_LIST = re.compile(
    r"(?:(?:nhiệm\s+vụ|nội\s+dung|giải\s+pháp|công\s+việc|việc|hoạt\s+động)(?:\s+[^\s:;,.]+){0,3}|"
    r"thực\s+hiện|triển\s+khai|chủ\s+trì|như\s+sau)\s*:$",
    re.I,
)


def inline_points(text: str) -> tuple[str, list[str]] | None:
    """The head and the points of a paragraph whose work is lettered or numbered inline (`a) ...; b)
    ...`, `(1) ...; (2) ...`: at least two, in order from `a` or 1, the first after `:`, the next
    after `;` or `.`); None otherwise."""
    marks: list[re.Match[str]] = []
    for m in _POINT.finditer(text):
        numbered = bool(marks) and marks[0].group(2).isdigit() or not marks and m.group(2).isdigit()
        expected = str(len(marks) + 1) if numbered else _LETTERS[len(marks)] if len(marks) < len(_LETTERS) else ""
        if m.group(2) == expected and (m.group(1) == ":") == (not marks):
            marks.append(m)
    if len(marks) < 2 or not _WORK_LIST.search(text, 0, marks[0].start() + 1):
        return None
    ends = [m.start() + 1 for m in marks[1:]] + [len(text)]
    points = [text[m.end() : end].strip().rstrip(";").strip() for m, end in zip(marks, ends, strict=True)]
    return text[: marks[0].start() + 1].strip(), points


_REMIT = re.compile(rf"^[\s,]*{alternation('remit')}(?!\w)[\s,]*", re.I)


def without_remit(text: str) -> str:
    """What a clause says after an agency's remit (`theo chức năng, nhiệm vụ được giao, ...`)."""
    while (m := _REMIT.match(text)) and m.end():
        text = text[m.end() :]
    return text


_DUTY_OF = re.compile(rf"^{alternation('duty_nouns')}\s+(?:của|cho|đối\s+với)\s+(?=\w)", re.I)


def duty_holder(text: str) -> str:
    """A heading without the noun that says whose duties follow (`Trách nhiệm của Sở Xây dựng` →
    `Sở Xây dựng`); the text itself where it has none."""
    return _DUTY_OF.sub("", text, count=1)


def names_who_acts(text: str) -> bool:
    """A heading that only names who carries out what follows, its remit aside: `1. Sở Tư pháp:`,
    `Các sở, ngành theo chức năng, nhiệm vụ được giao:`, `Trách nhiệm của UBND các xã`."""
    text = duty_holder(text)
    if is_assignment_heading(text):
        return True
    lead, end = subject(text)
    rest = without_remit(text[end:])
    return bool(lead) and rest != text[end:] and is_assignment_heading(f"{text[:end]} {rest}")


def _work_after_subject(text: str) -> bool:
    """The sentence goes on past its subject and `chủ trì, phối hợp với ...`: it states work (a
    place after the name, `... trên địa bàn xã`, or its remit, `theo chức năng, nhiệm vụ`, is no work)."""
    asg = parse_assignment(text)
    rest = text[asg.subject_end :]
    rest = re.sub(r"^[\s,:;.]*(?:là\s+)?(?:cơ\s+quan\s+|đơn\s+vị\s+)?", "", rest, flags=re.I)
    rest = without_remit(rest)
    if re.match(r"(?:trên\s+địa\s+bàn|tại|thuộc|của|ở)\b[^,;.:]*[.:]?$", rest, re.I):
        return False
    return len(rest.split()) >= 4 and not names_who_acts(text)


_PERSONS = re.compile(r"\b(?:công\s+chức|viên\s+chức|cán\s+bộ|người\s+lao\s+động|đảng\s+viên|nhân\s+dân)\b", re.I)
_HEADS = re.compile(r"\b(?:người\s+đứng\s+đầu|thủ\s+trưởng|lãnh\s+đạo|giám\s+đốc|chủ\s+tịch)\b", re.I)


def _persons(text: str) -> bool:
    """The heading speaks to people as persons (`công chức, viên chức`), not to bodies."""
    return bool(_PERSONS.search(text)) and not _HEADS.search(text)


_ADDRESS = re.compile(r"^(?:Đề\s+nghị|Kính\s+đề\s+nghị|Mời|Giao|Yêu\s+cầu)\s+", re.I)
# lower-case words that make a heading a subject or a duty, not an addressee (the capitalised
# words of a name, `Phòng Kiểm tra Xây dựng`, do not)
_VERBISH = re.compile(
    r"^(?:Về|Công\s+tác|Đối\s+với)\b|(?:^|\s)(?:tổ\s+chức\s+thực\s+hiện|nhiệm\s+vụ|giải\s+pháp|hoạt\s+động|"
    r"chương\s+trình|tăng\s+cường|đẩy\s+mạnh|nâng\s+cao|thực\s+hiện|triển\s+khai|xây\s+dựng|phát\s+triển)(?!\w)"
)


def addressee(text: str) -> Assignment | None:
    """The bodies a heading addresses: `Đề nghị Cơ quan Báo và Phát thanh, Truyền hình Hà Nội`,
    `Mời Thành phố Hồ Chí Minh, tỉnh Đăk Lăk`, `UBND các phường: Ba Đình, Hoàn Kiếm`."""
    name = _ADDRESS.sub("", text).rstrip(":. ")
    words = name.split()
    if not words or len(words) > 30 or not name[0].isupper() or _VERBISH.search(name):
        return None
    found = registry().addressees(name)
    return Assignment(found or ([name] if len(words) <= 12 and looks_like_agency(name) else []))


def looks_like_agency(name: str) -> bool:
    """A name the registry does not know names a body only where it opens with a body's head noun
    (`Liên hiệp các tổ chức hữu nghị`, `Trung tâm ...`): `Kinh phí`, `Chế độ báo cáo` name a subject."""
    return bool(HEAD_RE.match(name)) and name[:1].isupper() and not _NOT_BODY.match(name)


_NOT_BODY = re.compile(rf"{alternation('not_bodies')}(?!\w)", re.I)
