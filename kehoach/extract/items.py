"""Items: a part's paragraphs as a tree, each paragraph with one role.

The tree follows the list markers of Decree 30/2020 (`I.` > `1.` > `1.1.` > `1.1.1.` > `a)` >
`(1)` > `-` > `+`). A plain paragraph ending with `:` that introduces a list is a *lead-in*
and the list hangs under it. Each paragraph then has one role:

- a labelled **field** (`Thời gian thực hiện: ...`, `- Đơn vị chủ trì: ...`) is not a node: it is
  attached to the item it closes, with the place it stands among that item's children;
- a **note** (`(Chi tiết tại Phụ lục 2)`), a **label** (`* Giải pháp trước mắt:`, a quoted motto)
  and a **contact** line (`- Trung tâm ...: 0243.6269.37.23`) hold no work: notes and labels are
  dropped, contact lines join the text of the item they belong to;
- every other paragraph is an **item**. A plain paragraph directly over a list is marked as a
  possible lead-in; a plain paragraph under a bullet that ends with `:` is that bullet's body.
  Whether an item is a task, a heading that names a subject, a heading that names who acts,
  or a lead-in is decided by `tasks.py`, which knows the grammar of assignments.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from .agencies import find_agencies
from .structure import Paragraph

# Labels of field lines, by what they give the item they close.
FIELD_KINDS: list[tuple[str, re.Pattern[str]]] = [
    ("deadline", re.compile(r"^(?:thời\s+gian|thời\s+hạn|tiến\s+độ)\b", re.I)),
    ("coordinate", re.compile(r"^(?:(?:đơn\s+vị|cơ\s+quan)\s+)?phối\s+hợp\b", re.I)),
    ("monitor", re.compile(r"^(?:đơn\s+vị|cơ\s+quan)\s+(?:theo\s+dõi|giám\s+sát|đôn\s+đốc)\b", re.I)),
    (
        "lead",
        re.compile(
            r"^(?:(?:đơn\s+vị|cơ\s+quan)\s+)?(?:chủ\s+trì|thực\s+hiện|tham\s+mưu|đầu\s+mối|trách\s+nhiệm)\b", re.I
        ),
    ),
    # what the work is: part of the task's text in an activity block
    (
        "describe",
        re.compile(r"^(?:hình\s+thức|nội\s+dung|phương\s+thức|quy\s+mô|thành\s+phần|đối\s+tượng|yêu\s+cầu)\b", re.I),
    ),
]
# `Trách nhiệm: Sở Nội vụ`, `Trách nhiệm thực hiện: ...`: who carries the work out (a heading that
# names whose duties follow, `Trách nhiệm của Sở X:`, is no field: see `tasks.duty_holder`)
_RESPONSIBLE = r"Trách\s+nhiệm(?:\s+(?:thực\s+hiện|chính|chủ\s+trì))?"
FIELD = re.compile(
    r"^(?:[-+•]\s*)?(?P<label>(?:Thời\s+gian|Thời\s+hạn|Tiến\s+độ|Đơn\s+vị|Cơ\s+quan|Chủ\s+trì|Phối\s+hợp|"
    r"Kinh\s+phí|Nguồn\s+kinh\s+phí|Sản\s+phẩm|Kết\s+quả|Địa\s+điểm|Hình\s+thức|Quy\s+mô|Thành\s+phần|Nội\s+dung|"
    r"Phương\s+thức|Đối\s+tượng|Phạm\s+vi|Số\s+lượng|Danh\s+nghĩa|Ban\s+tổ\s+chức|Lãnh\s+đạo\s+phụ\s+trách|"
    r"Người\s+phụ\s+trách|Đầu\s+mối)"
    r"(?:\s+[^\s:;,.]+){0,4}|"
    rf"{_RESPONSIBLE})\s*:\s*(?P<value>.*)$",
    re.I,
)
INLINE_FIELD = re.compile(
    r"(?:(?<=[.;])\s+|\s+[-–]\s+)(?=(?:Thời\s+gian(?:\s+(?:thực\s+hiện|hoàn\s+thành))?|Thời\s+hạn(?:\s+hoàn\s+thành)?|"
    rf"Tiến\s+độ|(?:Đơn\s+vị|Cơ\s+quan)\s+(?:chủ\s+trì|phối\s+hợp|thực\s+hiện)|Chủ\s+trì|{_RESPONSIBLE})\s*:)",
    re.I,
)
# `- Trung tâm Quản lý HTKT thành phố: 0243.6269.37.23`: a name and a telephone number
CONTACT = re.compile(r"^[^:]{3,120}:\s*(?:[(+]?\d[\d .()–-]{6,}\d\.?\s*)+$")
_QUOTED = re.compile(r"^[“\"«][^“”\"«»]*[”\"»][.:;]?$")


@dataclass
class Field:
    kind: str  # deadline, lead, coordinate, monitor, describe, other
    label: str  # as written, without the colon
    value: str
    line: int
    line_end: int
    at: int  # how many of the host's children stand before it
    bullet: bool = False  # written as a bullet (`- Thời gian:`), as in an activity block

    @property
    def text(self) -> str:
        return f"{self.label}: {self.value}".strip()


@dataclass
class Item:
    para: Paragraph
    rank: float
    children: list[Item] = field(default_factory=list)
    fields: list[Field] = field(default_factory=list)
    attached: list[Paragraph] = field(default_factory=list)  # contact lines that belong to its text
    lead_in: bool = False  # a plain paragraph that introduces the list under it
    holds_plain: bool = False  # a lead-in whose list opens with plain paragraphs, then bullets

    @property
    def colon(self) -> bool:
        """Its own text ends with `:` (it introduces what follows)."""
        return self.para.text.rstrip().endswith(":")

    @property
    def text(self) -> str:
        """The item's own text, without its marker, with its contact lines."""
        own = self.para.body if self.para.kind else self.para.text
        return " ".join([own, *(p.text for p in self.attached)])

    @property
    def line(self) -> int:
        return self.para.line

    @property
    def line_end(self) -> int:
        ends = [self.para.line_end, *(p.line_end for p in self.attached)]
        return max(ends)

    @property
    def numbered(self) -> bool:
        return self.para.kind in ("part", "roman", "arabic", "dotted", "letter", "paren")

    def fields_of(self, kind: str) -> list[Field]:
        return [f for f in self.fields if f.kind == kind]


# a line that is only a time, its label written without a colon or left out (`Thời gian thực hiện Quý
# III/2026.`, `Hoàn thành trước ngày 30/9/2026.`, `- Quý II/2026`): the words a time is written with
_TIME_WORDS = (
    r"(?:quý|tháng|năm|ngày|trước|trong|vào|đến|hết|từ|và|chậm|nhất|thường|xuyên|h[ằà]ng|định|kỳ|các|giai|đoạn|"
    r"cuối|đầu|giữa|sau|khi|tiếp|theo|những|[IVX]+|\d+)(?:\s*[/.\-–]\s*\d+)*"
)
BARE_TIME = re.compile(
    r"^(?P<label>(?:Thời\s+gian|Thời\s+hạn|Tiến\s+độ)(?:\s+(?:thực\s+hiện|hoàn\s+thành|triển\s+khai))?|"
    r"(?:Hoàn\s+thành|Thực\s+hiện|Triển\s+khai)(?=\s+(?:trong|trước|vào|từ|chậm|xong|thường|h[ằà]ng)\b)|)"
    rf"\s*[-–]?\s*(?P<value>(?:quý|tháng|năm|trước|trong|vào|từ|chậm|thường|h[ằà]ng|định)\b(?:[\s,]+{_TIME_WORDS})*)"
    r"\s*[.;]?$",
    re.I,
)


def bare_time(p: Paragraph) -> Field | None:
    """A plain line or bullet that is only a time: the deadline of the item it closes."""
    if p.kind not in (None, "dash", "plus") or len(p.text) > 90:
        return None
    m = BARE_TIME.match(p.body if p.kind else p.text)
    if not m:
        return None
    label = re.sub(r"\s+", " ", m.group("label")).strip()
    # a time noun labels the time (`Thời gian thực hiện Quý III/2026`); a verb is part of it (`hoàn thành trong ...`)
    value = m.group("value") if re.match(r"(?:Thời|Tiến)\s", label, re.I) else m.group(0)
    value = value.strip().rstrip(".;").strip()
    return Field("deadline", label or "Thời gian", value, p.line, p.line_end, 0, p.kind in ("dash", "plus"))


def field_of(p: Paragraph, at: int = 0) -> Field | None:
    """The labelled field a paragraph is (`Thời gian thực hiện: Quý II/2026`), or None."""
    text = p.body if p.kind not in (None, "dash", "plus") else p.text
    m = FIELD.match(text)
    if not m or (p.kind in ("dash", "plus") and not FIELD.match(p.text)):
        return bare_time(p)
    label = re.sub(r"\s+", " ", m.group("label")).strip()
    if re.fullmatch(_RESPONSIBLE, label, re.I) and not m.group("value").strip():
        return None  # `3. Trách nhiệm thực hiện:` over the duties: a heading
    kind = next((k for k, pat in FIELD_KINDS if pat.match(label)), "other")
    return Field(kind, label, m.group("value").strip(), p.line, p.line_end, at, p.kind in ("dash", "plus"))


_NEXT_FIELD = re.compile(
    r"[;.]\s+(?=(?:Thời\s+gian|Thời\s+hạn|Tiến\s+độ|Đơn\s+vị|Cơ\s+quan|Kinh\s+phí|Địa\s+điểm|Sản\s+phẩm)[^:;]{0,40}:)",
    re.I,
)


def fields_in(p: Paragraph) -> list[Field]:
    """The fields of a field line: `Đơn vị chủ trì: X; Đơn vị phối hợp: Y.` is two."""
    first = field_of(p)
    if first is None:
        return []
    out = []
    for k, piece in enumerate(_NEXT_FIELD.split(p.text)):
        f = first if k == 0 and len(_NEXT_FIELD.split(p.text)) == 1 else field_of(replace(p, text=piece, body=piece))
        if f is not None:
            f.bullet = first.bullet
            out.append(f)
    return out or [first]


def split_inline_fields(p: Paragraph) -> tuple[Paragraph, list[Field]]:
    """`... rà soát văn bản. Thời gian thực hiện: Quý II/2026.` → the paragraph and its fields
    (a hard-wrapped `Thời gian thực hiện:` line may have been joined to the item it closes); a field
    written as a clause of the sentence (`...; thời gian: Quý II/2027`) gives its value, the text kept whole.
    Fields inside an aside (`(Sở X chủ trì; thời gian: Quý II)`) stay in it: see `aside_fields`."""
    parts = _split_outside_parens(p.text)
    if len(parts) == 1:
        return p, []
    fields = [f for f in (field_of(Paragraph(x, p.line, line_end=p.line_end)) for x in parts[1:]) if f]
    if not parts[1][:1].isupper():
        return p, fields  # `...; thời gian: Quý II/2027`: a clause of the sentence, kept in its text
    head = parts[0].rstrip(" ;,-–")
    body = _split_outside_parens(p.body)[0].rstrip(" ;,-–") if p.kind else head
    return Paragraph(head, p.line, p.kind, p.label, body, p.line_end), fields


def _split_outside_parens(text: str) -> list[str]:
    cuts = [m for m in INLINE_FIELD.finditer(text) if text.count("(", 0, m.start()) <= text.count(")", 0, m.start())]
    out, pos = [], 0
    for m in cuts:
        out.append(text[pos : m.start()])
        pos = m.end()
    return [*out, text[pos:]]


_ASIDE = re.compile(r"\(([^()]{4,400})\)")
_ASIDE_LEAD = re.compile(r"\bchủ\s+trì\b", re.I)
_ASIDE_COORD = re.compile(r"\bphối\s+hợp\s*(?::|$)", re.I)
_ASIDE_WHEN = re.compile(r"^(?:hoàn\s+thành|xong|thực\s+hiện\s+trong|trước|trong)\b", re.I)


# `(Phòng Kinh tế thực hiện)`: an aside that is only the bodies and the verb that they carry the work out
_ASIDE_DOER = re.compile(r"^(?P<who>[^;]+?)\s+(?:thực\s+hiện|phụ\s+trách|đảm\s+nhiệm|tham\s+mưu)\s*[.;]?\s*$", re.I)


def _aside_doer(clause: str) -> bool:
    m = _ASIDE_DOER.match(clause.strip())
    return m is not None and bool(find_agencies(m.group("who"))) and m.group("who")[:1].isupper()


def aside_fields(text: str, line: int, line_end: int) -> list[Field]:
    """The assignment an aside states: `Hoàn thiện thể chế (Vụ Pháp chế chủ trì, phối hợp với Cục
    X; hoàn thành trong Quý III/2026)`, `(Cục Y chủ trì; các đơn vị thuộc Bộ phối hợp; thời gian:
    tháng 10/2026)`, `(chủ trì: Sở A; phối hợp: Sở B)` — as the fields a field line would give."""
    for m in reversed(list(_ASIDE.finditer(text))):
        inner = m.group(1)
        if not _ASIDE_LEAD.search(inner) and not _ASIDE_COORD.search(inner) and not _aside_doer(inner):
            continue
        out: list[Field] = []
        for clause in (c.strip(" .,") for c in re.split(r";\s*", inner)):
            labelled = field_of(Paragraph(clause, line, line_end=line_end))
            if labelled is not None:
                out.append(labelled)
            elif _ASIDE_LEAD.search(clause) or _aside_doer(clause):
                out.append(Field("lead", "chủ trì", clause, line, line_end, 0))
            elif _ASIDE_COORD.search(clause) or clause.lower().endswith("phối hợp"):
                out.append(Field("coordinate", "phối hợp", re.sub(r"\bphối\s+hợp\b", "", clause), line, line_end, 0))
            elif _ASIDE_WHEN.match(clause):
                out.append(Field("deadline", "thời gian", clause, line, line_end, 0))
        if any(f.kind in ("lead", "coordinate") for f in out):
            return out
    return []


def is_note(p: Paragraph) -> bool:
    """`(Chi tiết tại Phụ lục 2 kèm theo)`: a parenthesised remark, not a `(1)` item."""
    t = p.text.strip().rstrip(".")
    if not (t.startswith("(") and t.endswith(")")) or p.kind == "paren":
        return False
    depth = 0
    for i, ch in enumerate(t):
        depth += ch == "("
        depth -= ch == ")"
        if depth == 0 and i < len(t) - 1:
            return False  # `(a) ... (b)`: two groups, not one remark
    return True


def is_label(p: Paragraph) -> bool:
    """`* Giải pháp trước mắt:`, `*Giải pháp lâu dài:`, or a quoted motto on its own line."""
    t = p.text.strip()
    return t.startswith("*") or bool(_QUOTED.match(t))


def is_contact(p: Paragraph) -> bool:
    return p.kind in ("dash", "plus", None) and bool(CONTACT.match(p.body if p.kind else p.text))


def _next_marked(paras: list[Paragraph], i: int) -> Paragraph | None:
    """The marked paragraph right after paragraph i (fields and notes aside), which a plain paragraph
    may introduce; None where a plain one comes first, or where a field line between closes the item
    paragraph i is part of (`4.2. Sở X: ...`, its paragraph, `Thời gian thực hiện: ...`, `4.2.1. ...`)."""
    closed = False
    for q in paras[i + 1 :]:
        if field_of(q) or is_note(q):
            closed = closed or bool(field_of(q))
            continue
        if closed and not paras[i].text.rstrip().endswith(":"):
            return None
        return q if q.kind else None
    return None


def build_tree(paras: list[Paragraph], root_text: str, line: int = 0) -> Item:
    """A part's paragraphs → its tree of items (the root stands for the part's heading)."""
    root = Item(Paragraph(root_text, line), rank=-1)
    stack = [root]
    for i, raw in enumerate(paras):
        p, inline = split_inline_fields(raw)
        if is_note(p) or is_label(p):
            continue
        found = fields_in(p)
        if found:
            _attach_field(stack, p, found, inline)
            continue
        if is_contact(p) and len(stack) > 1:
            host = stack[-1] if stack[-1].para.kind not in ("dash", "plus") or p.kind is None else stack[-2]
            host.attached.append(p)
            continue
        rank = p.level
        lead_in = holds_plain = False
        opening = stack[-1].holds_plain and all(c.para.kind is None for c in stack[-1].children)
        if rank == 99 and not (opening and not p.text.rstrip().endswith(":")):
            nxt = _next_marked(paras, i)
            if nxt is not None and p.text.rstrip().endswith(":") and _opens_sibling(stack, nxt):
                # `* Giải pháp lâu dài:` between two runs of bullets: a label over the bullets after it
                while len(stack) > 1 and stack[-1].rank >= nxt.level:
                    stack.pop()
            if nxt is not None and nxt.level > stack[-1].rank and not _opens_sibling(stack, nxt):
                rank, lead_in = nxt.level - 0.5, True  # a plain paragraph that introduces a list
            elif p.text.rstrip().endswith(":") and _next_plain(paras, i):
                # `Sở X chủ trì, phối hợp với ...:` over plain paragraphs, and the bullets after them
                after = _marked_after_plain(paras, i)
                deeper = after is not None and after.level > stack[-1].rank and not _opens_sibling(stack, after)
                rank, lead_in = (after.level - 0.5 if deeper and after is not None else 98), True
                holds_plain = deeper
        while len(stack) > 1 and stack[-1].rank >= rank:
            stack.pop()
        if p.kind in ("dash", "plus") and len(stack) > 2 and _closed_point(stack[-2], stack[-1]):
            stack.pop()  # `a) ...; b) ...; c) Rà soát ....` then `- Tổ chức sơ kết ...`: beside the list, not in `c)`
        # a plain paragraph after a list stands beside the list's lead-in, not under it; but the
        # paragraph under a bullet title (`- Rà soát các sông, mương ...:`) is that bullet's body
        while (
            rank == 99
            and len(stack) > 1
            and (stack[-1].para.kind in ("dash", "plus") or stack[-1].rank < 98 and stack[-1].lead_in)
        ):
            top = stack[-1]
            if top.para.kind in ("dash", "plus") and top.para.text.endswith(":") and not top.children:
                break
            if top.holds_plain and all(c.para.kind is None for c in top.children):
                break  # the plain paragraphs that open the lead-in's list
            stack.pop()
        item = Item(p, rank, lead_in=lead_in, holds_plain=holds_plain)
        for g in inline:
            g.at = 0
            item.fields.append(g)
        stack[-1].children.append(item)
        if rank < 99:
            stack.append(item)
    return root


def _closed_point(parent: Item, last: Item) -> bool:
    """The last of a list of points (`a)`, `(1)`) that holds nothing, each ended by `;` or `.`: a whole
    sentence, so a bullet after it stands beside the list (a point over bullets ends with `:` or is a title)."""
    points = [c for c in parent.children if c.para.kind == last.para.kind]
    return (
        last.para.kind in ("letter", "paren")
        and len(points) > 1
        and not any(c.children for c in points)
        and all(c.para.text.rstrip().endswith((";", ".")) for c in points)
    )


def _marked_after_plain(paras: list[Paragraph], i: int) -> Paragraph | None:
    """The first marked paragraph after the plain ones that follow paragraph i."""
    for q in paras[i + 1 :]:
        if q.kind:
            return q
        if field_of(q):
            return None
    return None


def _next_plain(paras: list[Paragraph], i: int) -> bool:
    nxt = next((q for q in paras[i + 1 :] if not is_note(q)), None)
    return nxt is not None and nxt.kind is None and not field_of(nxt)


def _opens_sibling(stack: list[Item], nxt: Paragraph) -> bool:
    """The next marked paragraph continues a list already open above (a sibling of an item on
    the stack), so the plain paragraph before it introduces nothing."""
    return any(it.para.kind == nxt.kind and it.para.kind is not None and it.para.level == nxt.level for it in stack[1:])


def _attach_field(stack: list[Item], p: Paragraph, found: list[Field], inline: list[Field]) -> None:
    """A field closes the item it follows: a plain `Đơn vị chủ trì: ...` line after the bullets
    belongs to their heading; a `- Thời gian:` bullet belongs to the item above the bullets and
    the `(1)`, `(2)` steps listed under it."""
    while len(stack) > 1 and stack[-1].para.kind in ("dash", "plus", "paren") and p.kind in (None, "dash", "plus"):
        if p.kind in ("dash", "plus") and stack[-1].para.kind in ("dash", "plus") and stack[-1].para.kind != p.kind:
            break  # `+ Thời gian:` under a `-` bullet belongs to that bullet
        stack.pop()
    while len(stack) > 1 and stack[-1].lead_in and p.kind in (None, "dash", "plus"):
        stack.pop()
    if p.kind is None and len(stack) > 2 and _closes_list(stack[-2], stack[-1]):
        stack.pop()  # `a) ...`, `b) ...`, then `Thời gian thực hiện:`: the line closes the theme, not `b)`
    host = stack[-1]
    for g in [*found, *inline]:
        g.at = len(host.children)
        host.fields.append(g)


def _closes_list(parent: Item, last: Item) -> bool:
    """A plain field line after the last of several items none of which has its own fields."""
    siblings = [c for c in parent.children if c.para.kind == last.para.kind]
    return (
        last.para.kind in ("letter", "paren", "arabic", "dotted")
        and not last.children
        and not last.fields
        and len(siblings) > 1
        and not any(c.fields for c in siblings)
    )


def numbering_gaps(root: Item) -> list[tuple[int, str]]:
    """Where a numbered list skips or repeats a number (`99.` then `101.`, `3.2.` twice): text the
    structure may have misread, for a person to look at. (line, message in Vietnamese)."""
    out: list[tuple[int, str]] = []
    for item in [root, *walk(root)]:
        last: Item | None = None
        for child in item.children:
            if child.para.kind not in ("arabic", "dotted"):
                continue
            if last is not None and last.para.kind == child.para.kind:
                message = _gap(last, child)
                if message:
                    out.append((child.line, message))
            last = child
    return out


def _gap(last: Item, child: Item) -> str | None:
    a, b = _number(last.para.label), _number(child.para.label)
    if a is None or b is None or a[:-1] != b[:-1]:
        return None
    if b[-1] == a[-1]:
        return f"mục {child.para.label} lặp lại (dòng {last.line} và {child.line})"
    if b[-1] > a[-1] + 1:
        missing = ".".join(map(str, [*a[:-1], a[-1] + 1]))
        return f"sau mục {last.para.label} là mục {child.para.label}: không thấy mục {missing}"
    return None


def _number(label: str) -> tuple[int, ...] | None:
    parts = label.rstrip(".").split(".")
    return tuple(int(x) for x in parts) if all(x.isdigit() for x in parts) else None


def walk(item: Item):  # noqa: ANN201 - a generator of items
    """Every item under `item`, depth first, in document order."""
    for child in item.children:
        yield child
        yield from walk(child)
