"""Markdown reader: text converted by pandoc, markitdown, docling or mammoth, read into the
same lines the DOCX reader gives for the same document.

What the converters write and what becomes of it: front matter (YAML `---`, TOML `+++`) is
dropped; `#` and underlined headings, `**bold**`, `__bold__`, `*italic*`, `_italic_`, links
and `<u>`-like tags keep only their text; `\\.` `\\-` `\\*` and other escapes, HTML entities
and `<br>` are undone; hard-wrapped paragraphs are joined (a line ending in two spaces or
`\\` breaks); bullets become `- `; an ordered list's items are numbered as Markdown shows
them (`1.` written for every item becomes 1, 2, 3); pipe and grid tables become TAB rows,
a row continuing the cells of the row above (empty first cell, a cell's text going on,
not starting anew with a capital) joined to it, the heading block's layout table read column by column as the DOCX
reader does; `^3^`/`<sup>3</sup>` follow the superscript rule (`m³`, else `[n]`); pandoc
footnotes (`[^1]`) become `[1]`, their text last as `[1] ...`.
"""

from __future__ import annotations

import html
import re

from .model import FOOTNOTE, TABLE, TEXT, LineInfo, Reading, superscript
from .tables import table_lines

_FRONT = re.compile(r"\A(?:---|\+\+\+)[ \t]*\n.*?\n(?:---|\.\.\.|\+\+\+)[ \t]*\n", re.S)
_SEPARATOR = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)+\|?\s*$")
_GRID_RULE = re.compile(r"^\s*\+(?:[-=:]+\+)+\s*$")
_NUMBER = re.compile(r"^[\d.,%+\-\s]+$")  # a row of figures is data, not a continuation
_UNDERSCORE_BOLD = re.compile(r"^\s*__\S.*\S__\s*$")
_ATX = re.compile(r"^\s{0,3}(#{1,6})\s+(.*?)(?:\s+#+)?\s*$")
_SETEXT = re.compile(r"^\s{0,3}(=+|-+)\s*$")
_BULLET = re.compile(r"^(\s*)[-*+](?:\s+)(.*)$")
_ORDERED = re.compile(r"^(\s*)(\d{1,4})([.)])\s+(.*)$")
_RULE = re.compile(r"^\s{0,3}([-*_])(\s*\1){2,}\s*$")
_FENCE = re.compile(r"^\s*(```|~~~)")
_NOTE_DEF = re.compile(r"^\[\^([^\]]+)\]:\s*(.*)$")
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|<>~^=\"'$%&,/:;?@])")
_BR = re.compile(r"<br\s*/?>", re.I)
_TAG = re.compile(r"</?(?:u|ins|del|s|strike|span|font|mark|small|big|em|strong|b|i|a)\b[^>]*>",
                  re.I)
_SUP = re.compile(r"(\S*?)(?:\^([0-9]{1,3})\^|<sup>\s*([0-9]{1,3})\s*</sup>)", re.I)
_EMPHASIS = [
    re.compile(r"\*\*\*(?=\S)(.+?)(?<=\S)\*\*\*"),
    re.compile(r"(?<![\\\w])___(?=\S)(.+?)(?<=\S)___(?!\w)"),
    re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*"),
    re.compile(r"(?<![\\\w])__(?=\S)(.+?)(?<=\S)__(?!\w)"),
    re.compile(r"(?<![\\*\w])\*(?=[^\s*])(.+?)(?<=[^\s\\*])\*(?![*\w])"),
    re.compile(r"(?<![\\\w])_(?=[^\s_])(.+?)(?<=[^\s\\_])_(?!\w)"),
]
_LINK = re.compile(r"!\[[^\]]*\]\([^)]*\)|\[([^\]^][^\]]*)\]\([^)]*\)")
_NOTE_REF = re.compile(r"\[\^([^\]]+)\]")
_SIGNALS = [
    _FRONT,
    re.compile(r"^\s*#{1,6}\s+\S", re.M),  # a heading
    re.compile(r"^\s*\|.*\|\s*$", re.M),  # a table row
    re.compile(r"\\[.\-*_#()\[\]]"),  # an escape
    re.compile(r"<br\s*/?>|&(?:amp|nbsp|lt|gt|quot|#\d+);", re.I),
    re.compile(r"^\s*\+(?:-+\+){2,}", re.M),  # a grid table's rule
    re.compile(r"\]\([^)\s]*\)|\[\^[^\]]+\]"),  # a link, a footnote
    re.compile(r"\S\^\d{1,3}\^|<sup>", re.I),  # a superscript
    re.compile(r"^\s{0,3}={3,}\s*$", re.M),  # a heading's underline
]


def looks_like_markdown(text: str) -> bool:
    """Markdown a converter wrote: front matter, `#` headings, tables, escapes, `<br>`,
    entities — two of them, or a table's separator row, or an HTML table. `**bold**` alone is plain text with
    marks (the seed plans have it) and is left to the plain-text reader."""
    head = text[:200_000]
    lines = head.splitlines()[:5000]
    if _FRONT.match(head) or any(_SEPARATOR.match(ln) or _GRID_RULE.match(ln) or _HTML_TABLE.match(ln.strip())
                                 for ln in lines):
        return True
    if sum(1 for ln in lines if _ATX.match(ln) or _UNDERSCORE_BOLD.match(ln)) >= 2:
        return True  # `#` headings, mammoth's `__bold__` lines
    return sum(1 for rx in _SIGNALS if rx.search(head)) >= 2


def inline(text: str) -> str:
    """One line's inline Markdown → plain text."""
    text = _LINK.sub(lambda m: m.group(1) or "", text)
    text = _SUP.sub(lambda m: m.group(1) + (superscript(m.group(1), m.group(2) or m.group(3))
                                            or (m.group(2) or m.group(3))), text)
    text = _NOTE_REF.sub(lambda m: f"[{m.group(1)}]", text)
    text = _TAG.sub("", text)
    for rx in _EMPHASIS:
        text = rx.sub(r"\1", text)
    text = _ESCAPE.sub(r"\1", text)
    return html.unescape(text).replace("\xa0", " ")


class _Lines:
    """The output: lines with their kind, a paragraph built from its wrapped pieces."""

    def __init__(self) -> None:
        self.out: list[tuple[str, LineInfo]] = []
        self.para: list[str] = []

    def add(self, piece: str) -> None:
        self.para.append(piece)

    def flush(self) -> None:
        """The paragraph's wrapped lines joined, then its inline markup undone (emphasis may
        run over a wrap); a hard break or `<br>` ends a line."""
        if self.para:
            text = inline(_BR.sub("\n", " ".join(p.strip(" \t") for p in self.para)))
            for part in text.split("\n"):
                if part.strip():
                    self.out.append((" ".join(part.split()), LineInfo(None, TEXT)))
            self.para = []

    def line(self, text: str, kind: str = TEXT) -> None:
        self.flush()
        if text.strip():
            self.out.append((text, LineInfo(None, kind)))


def read_markdown(name: str, text: str, notes: list[str]) -> Reading:
    """Markdown text → the lines the DOCX reader would give."""
    text = _FRONT.sub("", text.replace("\r\n", "\n").replace("\r", "\n"), count=1)
    lines = text.split("\n")
    out = _Lines()
    notes_text: list[tuple[str, str]] = []
    counters: dict[int, int] = {}  # indent → the ordered list's next number
    i = 0
    while i < len(lines):
        raw = lines[i]
        i = _block(lines, i, raw, out, counters, notes_text)
    out.flush()
    for label, body in notes_text:
        out.out.append((f"[{label}] {inline(body)}".strip(), LineInfo(None, FOOTNOTE)))
    return Reading(out.out, [*notes, "reader markdown (converted to the DOCX reader's lines)"],
                   "markdown")


def _block(lines: list[str], i: int, raw: str, out: _Lines, counters: dict[int, int],
           notes_text: list[tuple[str, str]]) -> int:
    """Read the block starting at line i; returns the index of the next line to read."""
    stripped = raw.strip()
    if not stripped:
        out.flush()
        return i + 1
    if _FENCE.match(raw):
        out.flush()
        j = i + 1
        while j < len(lines) and not _FENCE.match(lines[j]):
            out.line(lines[j].rstrip())
            j += 1
        return j + 1
    if _HTML_TABLE.match(stripped):
        return _html_table(lines, i, out)
    if _SEPARATOR.match(raw) is None and stripped.startswith("|") and i + 1 < len(lines) \
            and _SEPARATOR.match(lines[i + 1]) or _GRID_RULE.match(raw):
        return _table(lines, i, out)
    note = _NOTE_DEF.match(stripped)
    if note:
        out.flush()
        body = [note.group(2)]
        j = i + 1
        while j < len(lines) and lines[j].startswith(("    ", "\t")) and lines[j].strip():
            body.append(lines[j].strip())
            j += 1
        notes_text.append((note.group(1), " ".join(body)))
        return j
    return _text_line(lines, i, raw, out, counters)


def _text_line(lines: list[str], i: int, raw: str, out: _Lines,
               counters: dict[int, int]) -> int:
    if _RULE.match(raw) and not out.para:
        return i + 1
    heading = _ATX.match(raw)
    if heading:
        out.line(inline(heading.group(2)))
        counters.clear()
        return i + 1
    if out.para and _SETEXT.match(raw) and len(out.para) == 1:
        out.flush()  # the underline of a heading
        return i + 1
    item = _ORDERED.match(raw) or _BULLET.match(raw)
    if item:
        out.flush()
        indent = len(item.group(1).expandtabs(4))
        for deeper in [k for k in counters if k > indent]:
            del counters[deeper]
        if item.re is _ORDERED:
            n = counters.get(indent, int(item.group(2)))
            counters[indent] = n + 1
            out.add(f"{n}{item.group(3)} {item.group(4)}")
        else:
            out.add(f"- {item.group(2)}")
        return _continuation(lines, i + 1, out)
    if not raw.startswith((" ", "\t")):
        counters.clear()
    body = re.sub(r"^\s{0,3}>\s?", "", raw)
    hard = raw.endswith("  ") or raw.rstrip().endswith("\\") and not raw.rstrip().endswith("\\\\")
    out.add(body.rstrip().removesuffix("\\") + "\n" if hard else body)
    return i + 1


def _continuation(lines: list[str], j: int, out: _Lines) -> int:
    """The wrapped lines of a list item (indented, or lazily not) until a blank line."""
    while j < len(lines):
        nxt = lines[j]
        if not nxt.strip() or _ORDERED.match(nxt) or _BULLET.match(nxt) or _ATX.match(nxt) \
                or nxt.strip().startswith("|") or _GRID_RULE.match(nxt):
            break
        out.add(nxt.strip())
        j += 1
    return j


def _cells(row: str) -> list[str]:
    """A pipe table row's cells (`\\|` is a pipe inside a cell)."""
    row = row.strip()
    row = row[1:] if row.startswith("|") else row
    row = row[:-1] if row.endswith("|") and not row.endswith("\\|") else row
    return [c.replace("\\|", "|").strip() for c in re.split(r"(?<!\\)\|", row)]


def _table(lines: list[str], i: int, out: _Lines) -> int:
    """A pipe or grid table starting at line i → TAB rows; returns the next line's index."""
    out.flush()
    if _GRID_RULE.match(lines[i]):
        rows, j = _grid_rows(lines, i)
    else:
        rows, j = [_cells(lines[i])], i + 2
        while j < len(lines) and lines[j].strip().startswith("|"):
            rows.append(_cells(lines[j]))
            j += 1
    grid = _join_continuations([[[inline(x).strip() for x in _BR.split(c)] for c in r]
                                for r in rows])
    for line in table_lines(grid):
        out.line(line, TABLE if "\t" in line else TEXT)
    return j


_HTML_TABLE = re.compile(r"^<table\b", re.I)
_HTML_ROW = re.compile(r"<tr\b[^>]*>(.*?)(?:</tr>|(?=<tr\b)|$)", re.I | re.S)
_HTML_CELL = re.compile(r"<t[dh]\b[^>]*>(.*?)(?:</t[dh]>|(?=<t[dh]\b)|$)", re.I | re.S)
_HTML_BREAK = re.compile(r"<br\s*/?>|</p>|</div>|\n", re.I)
_HTML_ANY_TAG = re.compile(r"</?[a-z][^>]*>", re.I)


def _html_table(lines: list[str], i: int, out: _Lines) -> int:
    """An HTML table a converter left in the Markdown (pandoc writes one for merged cells) →
    the same lines as a pipe table: rows of cells, each cell's paragraphs its lines."""
    out.flush()
    j = i
    while j < len(lines) and not re.search(r"</table>", lines[j], re.I):
        j += 1
    block = "\n".join(lines[i : j + 1])
    grid = [
        [[x for x in (inline(_HTML_ANY_TAG.sub("", p)).strip() for p in _HTML_BREAK.split(c)) if x]
         for c in _HTML_CELL.findall(row)]
        for row in _HTML_ROW.findall(block)
    ]
    for line in table_lines([r for r in grid if r]):
        out.line(line, TABLE if "\t" in line else TEXT)
    return j + 1


def _grid_rows(lines: list[str], i: int) -> tuple[list[list[str]], int]:
    """pandoc's grid table: `+---+` rules, each row's cells over several `|` lines."""
    rule = lines[i].strip()
    cuts = [k for k, ch in enumerate(rule) if ch == "+"]
    offset = len(lines[i]) - len(lines[i].lstrip())
    rows: list[list[str]] = []
    current: list[list[str]] = []
    j = i + 1
    while j < len(lines) and (lines[j].strip().startswith("|") or _GRID_RULE.match(lines[j])):
        line = lines[j][offset:]
        if _GRID_RULE.match(lines[j]):
            if current:
                rows.append([" ".join(x for x in cell if x) for cell in current])
            current = []
        else:
            cells = [line[a + 1:b].strip() for a, b in zip(cuts, cuts[1:], strict=False)]
            if not current:
                current = [[] for _ in cells]
            for k, c in enumerate(cells[:len(current)]):
                current[k].append(c)
        j += 1
    return rows, j


def _join_continuations(grid: list[list[list[str]]]) -> list[list[list[str]]]:
    """A row whose first cell is empty and whose cells' text goes on (a small letter, a
    digit, a bracket: no capital starting a new entry; not only figures) continues the cells of
    the row above (a converter split a wrapped cell into rows); never the header row (a row
    split by a page break continues the row before the header)."""
    out: list[list[list[str]]] = []
    for row in grid:
        texts = [" ".join(c).strip() for c in row]
        filled = [t for t in texts if t]
        if (len(out) > 1 and out[-1] != out[0] and len(row) > 1 and not texts[0] and filled
                and not any(t[:1].isupper() for t in filled)
                and not all(_NUMBER.match(t) for t in filled)):
            prev = out[-1]
            for k, cell in enumerate(row):
                if k < len(prev) and " ".join(cell).strip():
                    prev[k] = [" ".join([*prev[k], *cell]).strip()]
            continue
        out.append([list(c) for c in row])
    return out
