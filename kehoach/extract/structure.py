"""Structure: repaired lines → paragraphs with their list markers, and tables.

Joins hard-wrapped lines into paragraphs (by line width, markers and case),
recognises the Decree 30/2020 heading hierarchy `I.` / `1.` / `1.1.` / `a)` /
`-` / `+`, and rebuilds tab-separated tables whose rows continue across page
breaks (lines starting with a tab) and whose header rows repeat on each page.

What extraction takes from a reader (`kehoach.read.Source`), and what it would like:
- `text`: one paragraph per line (hard wraps are joined here when sentences are broken), table rows
  as TAB-separated cells (a row continued across a page starts with a TAB), numbering written into
  the text as Word shows it (`1.2.`, `a)`), footnotes as `[^n]` marks and `[n] ...` lines. Text that
  kept a PDF's layout (columns of spaces) is also read (`unlayout`), its lines mapped back.
- `lines`: one `LineInfo` per line; its `page` becomes each item's `source.page`. Its `kind`
  (`table`, `footnote`) is not needed yet: tables are recognised by their TABs.
- `warnings`: copied into the plan's warnings, without a line (they are strings).
Wished for: a reader's warning with the line (and page) it is about, as `(line, page, message)`,
so the review screen can point at it; and a mark on a line that a page break cut in two (a
running header or a page number removed between them), which today only the broken sentence
tells.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..vn import LOWER, UPPER

ROMAN = "XV|XIV|XIII|XII|XI|X|IX|VIII|VII|VI|V|IV|III|II|I"

_OPENS = rf"{UPPER}|\(|“|\""  # what an item's text opens with
# (kind, rank, pattern); rank orders the hierarchy, smaller is higher.
MARKERS: list[tuple[str, int, re.Pattern[str]]] = [
    ("part", 0, re.compile(r"^(?:PHẦN|Phần)\s+(?:THỨ\s+\w+|[IVX]+|\d+)\b[.:]?\s*")),
    ("roman", 1, re.compile(rf"^({ROMAN})\s*[.\-–:/]\s*(?=\S)")),
    # `1.2.`, `2.4.Tổ chức` (no space after the last dot), `1.2 Tổ chức`; not a number (`1.5 triệu`, `2.500 tỷ`)
    ("dotted", 3, re.compile(rf"^(\d{{1,3}}(?:\.\d{{1,3}}){{1,3}})(?:\.\s*(?={_OPENS})|\.\s+|\s+(?={_OPENS}))")),
    # `1.`, `1)`, and the Party's `1-` (before a word, not a code cut at its hyphen: `126- KL/TW`)
    ("arabic", 2, re.compile(rf"^(\d{{1,3}})\s*(?:[.:)]|[-–](?=\s*{UPPER}{LOWER}))\s*(?=\S)(?!\d)")),
    ("letter", 5, re.compile(rf"^([a-zđ])\s*(?:\)|\.(?=\s+{UPPER})|[-–](?=\s*{UPPER}{LOWER}))\s*(?=\S)")),
    ("paren", 6, re.compile(r"^\((\d{1,2}|[a-zđ])\)[.:]?\s*(?=\S)")),
    ("dash", 7, re.compile(r"^([-–—•·])\s*(?=\S)")),
    ("plus", 8, re.compile(r"^(\+)\s*(?=\S)")),
]
_NAME_LINE = re.compile(rf"^(?:{UPPER}\w*\s+){{1,5}}{UPPER}\w*$")
_APPENDIX = re.compile(r"^(?:PHỤ LỤC|Phụ lục|PHỤ BIỂU|Phụ biểu)\b", re.I)
_SPACE_RUN = re.compile(r"\s+")


@dataclass
class Paragraph:
    text: str  # whole paragraph, whitespace collapsed, marker included
    line: int  # 1-based line of its first line
    kind: str | None = None  # marker kind, None for plain text
    label: str = ""  # the marker's label: `II`, `1`, `1.2`, `a`, `-`
    body: str = ""  # text after the marker
    line_end: int = 0  # 1-based line of its last line (0: the same as `line`)
    nested: float = 0.0  # a list numbered afresh under an item of its own kind sits under it

    def __post_init__(self) -> None:
        self.line_end = max(self.line_end, self.line)

    @property
    def rank(self) -> int:
        return next((r for k, r, _ in MARKERS if k == self.kind), 99)

    @property
    def level(self) -> float:
        """Its depth in the heading hierarchy (`1.1.1.` under `1.1.`); 99 for plain text."""
        if self.kind == "dotted":
            return self.rank + 0.1 * (self.label.count(".") - 1)
        return self.rank + self.nested


@dataclass
class Table:
    rows: list[list[str]]
    line: int
    header: list[str] = field(default_factory=list)
    row_lines: list[tuple[int, int]] = field(default_factory=list)  # each row's first and last line
    line_end: int = 0

    def __post_init__(self) -> None:
        self.line_end = max(self.line_end, self.line, *(end for _, end in self.row_lines))


Block = Paragraph | Table


def marker(text: str) -> tuple[str | None, str, str]:
    """The list marker opening a paragraph: (kind, label, rest) or (None, '', text)."""
    for kind, _, pat in MARKERS:
        m = pat.match(text)
        if m:
            if kind == "part":
                return kind, m.group(0).strip(), text[m.end() :]
            return kind, m.group(1), text[m.end() :]
    return None, "", text


def upper_ratio(text: str) -> float:
    letters = [c for c in text if c.isalpha()]
    return sum(c.isupper() for c in letters) / len(letters) if letters else 0.0


def clean(text: str) -> str:
    return _SPACE_RUN.sub(" ", text).strip()


def _starts_lower(text: str) -> bool:
    first = next((ch for ch in text if ch.isalnum()), "")
    return first.islower()


def _wrap_width(lines: list[str]) -> int | None:
    """The width of hard-wrapped text, or None when paragraphs are one line each."""
    lengths = [len(s.strip()) for s in lines if s.strip() and "\t" not in s]
    if len(lengths) < 20:
        return None
    lengths.sort()
    p90 = lengths[int(len(lengths) * 0.9)]
    if p90 > 130:
        return None
    near = sum(1 for n in lengths if n >= 0.8 * p90)
    if near < 0.4 * len(lengths):
        return None
    # hard-wrapped text breaks sentences: many full lines end without a stop and go on in the next
    text = [s.strip() for s in lines if s.strip() and "\t" not in s]
    full = [i for i, t in enumerate(text[:-1]) if len(t) >= 0.8 * p90]
    broken = sum(1 for i in full if not text[i].endswith((".", ";", ":", "!", "?")) and not marker(text[i + 1])[0])
    return p90 if full and broken >= 0.3 * len(full) else None


def _continues(prev: str, line: str, width: int | None) -> bool:
    """Whether `line` continues the paragraph whose last line is `prev`."""
    full = width is not None and len(prev) >= 0.8 * width
    kind, _, rest = marker(line)
    if kind is not None:
        # a wrapped line may begin with the dash of a compound (`kinh tế - xã hội`)
        return kind == "dash" and full and _starts_lower(rest)
    if _starts_lower(line):
        # a name or a title on its own line (`Cao Thanh Thương`) is whole: what follows is not its end
        return not _NAME_LINE.match(prev)
    return full and not prev.endswith(":")


def _is_table_line(line: str) -> bool:
    return "\t" in line and sum(1 for c in line.split("\t") if c.strip()) >= 1


def _numeric(cell: str) -> bool:
    return bool(re.fullmatch(r"[<>≤≥=~]?\s*[\d.,]+\s*%?", cell.strip()))


_WRAPPED_NUMBER = re.compile(r"^((?:<\w+>)?[\d.,]*\d[.,]?) (\d[\d.,]*(?:</\w+>)?)$")


def _cell(text: str) -> str:
    """A cell's text, a number that its narrow column wrapped (`112.2 5`, `1.234, 5`) made whole."""
    text = clean(text)
    m = _WRAPPED_NUMBER.match(text)
    if m and sum(ch.isdigit() for ch in text) >= 4 and re.search(r"[.,]", text):
        return m.group(1) + m.group(2)
    return text


def _build_table(lines: list[tuple[int, str, bool]]) -> Table:
    """lines: (line number, text, after_break). Merge continued rows, drop repeated headers."""
    rows: list[list[str]] = []
    spans: list[tuple[int, int]] = []
    header: list[str] | None = None
    start = lines[0][0]
    for no, text, after_break in lines:
        cells = [_cell(c) for c in text.split("\t")]
        if header is None:
            header = cells
            rows.append(cells)
            spans.append((no, no))
            continue
        if _squash(cells) == _squash(header):
            continue  # header repeated on a new page (perhaps with other lost spaces)
        first = next((c for c in cells if c), "")
        continued = (
            rows
            and not cells[0]
            and (
                _starts_lower(first)
                or (after_break and not any(_numeric(c) for c in cells[1:]))
                or _next_paragraph(cells, rows[-1])
            )
        )
        if continued:
            prev = rows[-1]
            for i, c in enumerate(cells):
                if not c:
                    continue
                if i < len(prev):
                    prev[i] = clean(f"{prev[i]} {c}")
                else:
                    prev.append(c)
            spans[-1] = (spans[-1][0], no)
            continue
        rows.append(cells)
        spans.append((no, no))
    header = header or []
    if len(rows) > 2 and _is_subheader(rows[1]):
        # a two-row header (`Cơ quan thực hiện` over `Chủ trì` | `Phối hợp`): one label per column
        width = max(len(header), len(rows[1]))
        top = [header[i] if i < len(header) and header[i] else _left(header, i) for i in range(width)]
        header = [clean(f"{a} {rows[1][i] if i < len(rows[1]) else ''}") for i, a in enumerate(top)]
    return Table(rows=rows, line=start, header=header, row_lines=spans)


def _next_paragraph(cells: list[str], above: list[str]) -> bool:
    """An unnumbered row under a numbered one that holds only a long sentence: the next paragraph
    of the cell above, carried over a page break (a group row's title is short and unpunctuated)."""
    filled = [c for c in cells if c]
    return bool(above[0]) and len(filled) == 1 and len(filled[0]) > 120 and filled[0].endswith((".", ";"))


def _squash(cells: list[str]) -> list[str]:
    return [re.sub(r"\s+", "", c).lower() for c in cells if c]


def _left(cells: list[str], i: int) -> str:
    """The text of a merged header cell, written in its first column only."""
    return next((cells[j] for j in range(min(i, len(cells) - 1), -1, -1) if cells[j]), "")


def _is_subheader(row: list[str]) -> bool:
    filled = [c for c in row if c]
    return (
        bool(filled)
        and not row[0]
        and all(len(c) <= 40 and not re.search(r"\d", c) for c in filled)
        and len(filled) >= 2
    )


def structure(lines: list[str]) -> list[Block]:
    """Lines (repaired) → blocks in document order."""
    width = _wrap_width(lines)
    text_lines = [ln for ln in lines if ln.strip() and "\t" not in ln]
    # first-line indents: a sizeable share of lines (not all) start with 3 spaces or more
    indented = 0.1 * len(text_lines) < sum(1 for ln in text_lines if ln.startswith("   ")) < 0.6 * len(text_lines)
    blocks: list[Block] = []
    para: list[str] = []
    para_line = para_end = 0
    table: list[tuple[int, str, bool]] = []
    gap = False  # a blank line (page break) since the last table row

    def flush_para() -> None:
        nonlocal para
        if para:
            text = clean(" ".join(para))
            kind, label, body = marker(text)
            blocks.append(Paragraph(text, para_line, kind, label, clean(body), para_end))
            para = []

    def flush_table() -> None:
        nonlocal table
        if table:
            blocks.append(_build_table(table))
            table = []

    for no, raw in enumerate(lines, 1):
        if _is_table_line(raw):
            flush_para()
            table.append((no, raw, gap))
            gap = False
            continue
        line = raw.strip()
        if not line:
            gap = True
            continue
        if table:
            flush_table()
        # in hard-wrapped text whose paragraphs indent their first line, an indented line opens one
        opens = width is not None and indented and len(raw) - len(raw.lstrip(" ")) >= 3 and not _starts_lower(line)
        if para and not opens and _continues(para[-1], line, width) and not _APPENDIX.match(line):
            para.append(line)
        else:
            flush_para()
            para = [line]
            para_line = no
        para_end = no
        gap = False
    flush_para()
    flush_table()
    nest_restarts([b for b in blocks if isinstance(b, Paragraph)])
    return blocks


RESTARTS = ("arabic", "letter", "paren")
NESTED = 0.8  # deeper than its heading, above the next kind of marker (`1.1.`, `a)`)


@dataclass
class _Run:
    kind: str
    rank: int
    expected: int  # the ordinal the list's next item would have
    nested: float


def _ordinal(label: str) -> int | None:
    if label.isdigit():
        return int(label)
    return "abcdđeghiklmnopqrstuvxy".find(label) + 1 if len(label) == 1 and label.isalpha() else None


def nest_restarts(paras: list[Paragraph]) -> None:
    """A list that starts again at `1.` (or `a)`) right under an item of the same kind is nested
    in it (`1. Các chỉ tiêu chủ yếu` over `1. Tăng trưởng ...`, `2. Thu nhập ...`): its items get
    `nested`; an item that continues the outer list's numbering closes it."""
    runs: list[_Run] = []
    previous: Paragraph | None = None
    for p in paras:
        if not p.kind:
            if upper_ratio(p.text) > 0.8 and len(p.text) < 150:
                runs, previous = [], None  # a title (`NHIỆM VỤ, GIẢI PHÁP`) starts the lists afresh
            continue
        runs = [r for r in runs if r.rank <= p.rank]  # `2.` closes the `a)` list under `1.`
        n = _ordinal(p.label) if p.kind in RESTARTS else None
        if n is None:
            previous = p
            continue
        same = [i for i, r in enumerate(runs) if r.kind == p.kind]
        going = next((i for i in reversed(same) if runs[i].expected == n), None)
        if going is not None:
            del runs[going + 1 :]
        elif n == 1 and same and previous is not None and previous.kind == p.kind:
            runs.append(_Run(p.kind, p.rank, 1, previous.nested + NESTED))  # a fresh list under `previous`
            going = len(runs) - 1
        else:
            runs = [r for r in runs if r.kind != p.kind] + [_Run(p.kind, p.rank, n, 0.0)]
            going = len(runs) - 1
        p.nested = runs[going].nested
        runs[going].expected = n + 1
        previous = p


def is_appendix_title(text: str) -> bool:
    return bool(_APPENDIX.match(text))
