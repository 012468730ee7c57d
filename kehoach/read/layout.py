"""Page layout → text lines, shared by the PDF and OCR readers.

Input: positioned words per page (from a PDF text layer or from Tesseract). Output:
the seed-text shape: the heading block's two columns one after the other, running
headers/footers and page numbers dropped, wrapped lines joined into one paragraph per
line (a line continues the previous one when the previous was full and it is not
indented), end-of-line hyphenation undone, tables as TAB-separated rows (a cell spanning
several rows repeated on each), footnotes last. Each output line keeps the page it starts on.

Every step is linear in the number of words (or n log n for sorting): a paragraph is joined
as a list of pieces, never by re-scanning the text built so far; words are put in table
cells through a grid index, not by testing every cell.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace

from .model import FOOTNOTE, TABLE, TEXT, LineInfo, superscript

MAX_TABLE_EDGES = 400  # merged rules on one page: more is a drawing, not a table


@dataclass(slots=True)
class Word:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    line_id: tuple[int, ...] | None = None  # OCR: the line Tesseract put the word in
    field: bool = False  # drawn by a form field (a signed PDF's number): glued to a `/...`


@dataclass(slots=True)
class Line:
    words: list[Word]
    page: int
    table: list[list[str]] | None = None  # a table block stands in the flow as one "line"
    block: list[str] | None = None  # so does a two-column block, as its lines
    footnote: bool = False
    parts: list[tuple[float, float, str]] | None = field(default=None, repr=False)

    @property
    def x0(self) -> float:
        return self.words[0].x0 if self.words else 0.0

    @property
    def x1(self) -> float:
        return self.words[-1].x1 if self.words else 0.0

    @property
    def top(self) -> float:
        return min(w.top for w in self.words) if self.words else 0.0

    @property
    def bottom(self) -> float:
        return max(w.bottom for w in self.words) if self.words else 0.0

    @property
    def size(self) -> float:
        return statistics.median(w.size for w in self.words) if self.words else 0.0

    @property
    def text(self) -> str:
        return join_words(self.words)

    def segments(self, gap: float) -> list[list[Word]]:
        """Split at horizontal gaps wider than `gap` (the columns of the heading block)."""
        segs: list[list[Word]] = []
        for w in self.words:
            if segs and w.x0 - segs[-1][-1].x1 <= gap:
                segs[-1].append(w)
            else:
                segs.append([w])
        return segs


def join_words(words: list[Word]) -> str:
    """Words → text; pieces closer than a fifth of a space are one word (a font change).

    A form field's text stands apart from the page's own words, except that a number typed
    into the blank of `Số: /KH-UBND` is glued to the code after it (`115/KH-UBND`)."""
    out: list[str] = []
    prev: Word | None = None
    for w in words:
        if prev is not None and prev.field != w.field:
            glue = prev.field and prev.text[-1:].isdigit() and w.text.startswith("/")
            if not glue:
                out.append(" ")
        elif prev is not None and w.x0 - prev.x1 > 0.06 * max(w.size, 1):
            out.append(" ")
        out.append(w.text)
        prev = w
    return "".join(out)


Table = tuple[tuple[float, float, float, float], list[list[str]]]


@dataclass
class Page:
    number: int
    width: float
    height: float
    words: list[Word]
    tables: list[Table] = field(default_factory=list)


def group_lines(words: list[Word], page: int) -> list[Line]:
    """Words → lines by vertical overlap (or by the OCR's own lines), sorted left to right."""
    lines: list[Line] = []
    if words and words[0].line_id is not None:
        by_id: dict[tuple[int, ...], list[Word]] = {}
        for w in words:
            by_id.setdefault(w.line_id or (), []).append(w)
        lines = [Line(words=sorted(ws, key=lambda w: w.x0), page=page) for ws in by_id.values()]
        lines.sort(key=lambda ln: ln.top)
        return lines
    for w in sorted(words, key=lambda w: (round(w.top), w.x0)):
        mid = (w.top + w.bottom) / 2
        for line in reversed(lines[-3:]):
            ref = line.words[0]
            if ref.top - 1 <= mid <= ref.bottom + 1:
                line.words.append(w)
                break
        else:
            lines.append(Line(words=[w], page=page))
    for line in lines:
        line.words.sort(key=lambda w: w.x0)
    lines.sort(key=lambda ln: ln.top)
    return lines


_PAGE_NUMBER = re.compile(r"^[-–—\s]*(trang\s*)?\d{1,4}(\s*/\s*\d{1,4})?[-–—\s]*$", re.I)
_DIGITS = re.compile(r"\d+")


def drop_running(pages: list[list[Line]], heights: list[float]) -> tuple[list[list[Line]], int]:
    """Drop page numbers and running headers/footers (same text in the margin of many pages)."""
    margin_texts: Counter[str] = Counter()
    for lines, h in zip(pages, heights, strict=True):
        for ln in lines:
            if ln.table is None and (ln.bottom < 0.1 * h or ln.top > 0.9 * h):
                margin_texts[_DIGITS.sub("#", ln.text.strip().lower())] += 1
    repeated = {t for t, n in margin_texts.items() if n >= max(3, len(pages) // 2)}
    dropped = 0
    out = []
    for lines, h in zip(pages, heights, strict=True):
        keep = []
        for i, ln in enumerate(lines):
            in_margin = ln.table is None and (ln.bottom < 0.1 * h or ln.top > 0.9 * h
                                              or i == 0 or i == len(lines) - 1)
            if in_margin and (_PAGE_NUMBER.match(ln.text) or
                              _DIGITS.sub("#", ln.text.strip().lower()) in repeated):
                dropped += 1
                continue
            keep.append(ln)
        out.append(keep)
    return out, dropped


def mark_superscripts(line: Line, body_size: float) -> None:
    """Small raised digits glued to the word before: `m³` after a unit, else a footnote `[n]`."""
    words: list[Word] = []
    for w in line.words:
        prev = words[-1] if words else None
        mark = None
        if (prev is not None and w.size <= 0.8 * body_size
                and w.bottom < prev.bottom - 0.15 * body_size
                and w.x0 - prev.x1 < 0.3 * body_size):
            mark = superscript(prev.text, w.text)
        if prev is not None and mark is not None:
            words[-1] = Word(prev.text + mark, prev.x0, w.x1, prev.top, prev.bottom, prev.size,
                             prev.line_id, prev.field)
        else:
            words.append(w)
    line.words = words


def split_footnotes(lines: list[Line], body_size: float, height: float) -> tuple[list[Line],
                                                                                 list[Line]]:
    """Small-type lines at the foot of a page, starting with their number, are footnotes."""
    cut = len(lines)
    for i in range(len(lines) - 1, -1, -1):
        ln = lines[i]
        if ln.table is not None or ln.size > 0.9 * body_size or ln.top < 0.5 * height:
            break
        cut = i
    foot = lines[cut:]
    if not foot or not re.match(r"^\(?\d{1,3}\)?\s*\S", foot[0].text):
        return lines, []
    for ln in foot:
        ln.footnote = True
    return lines[:cut], foot


def _sides(ln: Line, width: float) -> list[tuple[str, list[Word]]]:
    mid = width / 2
    out = []
    for seg in ln.segments(gap=2.5 * (ln.size or 12)):
        x0, x1 = seg[0].x0, seg[-1].x1
        if x1 <= mid + 0.02 * width:
            out.append(("L", seg))
        elif x0 >= mid - 0.12 * width:
            out.append(("R", seg))
        else:
            out.append(("X", seg))
    return out


def two_column_block(lines: list[Line], width: float, start: int = 0) -> tuple[list[str], int]:
    """The two-column block starting at lines[start] (issuer | motto; recipients | signer).

    It starts with a line in two parts, one each side of the middle, and runs while no
    line crosses the middle. Returns its lines, left column first, and how many it took.
    """
    left: list[tuple[float, str]] = []
    right: list[tuple[float, str]] = []
    taken = 0
    prev: Line | None = None
    for ln in lines[start:start + 30]:
        if ln.table is not None:
            break
        if prev is not None and ln.top - prev.bottom > 0.9 * (ln.size or 12):
            break  # a blank line's gap ends the block (the title below is not in it)
        prev = ln
        sides = _sides(ln, width)
        kinds = [k for k, _ in sides]
        if taken == 0 and kinds != ["L", "R"]:
            return [], 0
        if "X" in kinds:
            break
        for side, column in (("L", left), ("R", right)):
            segs = [seg for kind, seg in sides if kind == side]
            if segs:  # parts on one side (a note after a recipient) stay on one line
                column.append((segs[0][0].top, " ".join(join_words(seg) for seg in segs)))
        taken += 1
    if taken == 0:
        return [], 0
    left.sort(key=lambda t: t[0])
    right.sort(key=lambda t: t[0])
    return [t for _, t in left] + [t for _, t in right], taken


def _parts(ln: Line) -> list[tuple[float, float, str]]:
    """(x0, x1, text) of the parts of a line split at gaps wider than a word space (cached)."""
    if ln.parts is None:
        size = ln.size or 12
        gap = max(0.9 * size, 8.0)
        ln.parts = [(seg[0].x0, seg[-1].x1, join_words(seg)) for seg in ln.segments(gap)]
    return ln.parts


def borderless_table(lines: list[Line], min_rows: int = 2,
                     start: int = 0) -> tuple[list[list[str]], int]:
    """A table drawn without rules starting at lines[start]: (rows, lines taken) or ([], 0).

    Its rows are lines in three or more parts whose parts start at the same columns; a
    line whose parts all start at those columns but not in the first continues the row
    above (a cell's text wrapped). Prose never has two gaps wider than a word space.
    """
    if start >= len(lines) or len(_parts(lines[start])) < 2:
        return [], 0
    window = []
    for ln in lines[start:start + 15]:
        if ln.table is not None or ln.block is not None:
            break
        window.append(_parts(ln))
    wide = [p for p in window if len(p) >= 3]
    if len(wide) < 2:
        return [], 0
    most = max(len(p) for p in wide) + 1
    cols: list[float] = []
    for x0 in sorted(x0 for p in wide for x0, _, _ in p):
        if not cols or x0 - cols[-1] > 3:
            cols.append(x0)
            if len(cols) > most:
                return [], 0  # the parts do not line up in columns
    if abs(window[0][0][0] - cols[0]) > 3:
        return [], 0  # a table starts with its first column
    rows, taken = _column_rows(lines, start, cols)
    if len(rows) < min_rows:
        return [], 0
    return rows, taken


def _column_rows(lines: list[Line], start: int, cols: list[float]) -> tuple[list[list[str]], int]:
    def column(x0: float) -> int | None:
        for i, c in enumerate(cols):
            if abs(x0 - c) <= 3:
                return i
        return None

    rows: list[list[str]] = []
    taken = since_row = 0
    for k in range(start, len(lines)):
        ln = lines[k]
        if ln.table is not None or ln.block is not None or since_row > 60:
            break  # a row wrapped over more lines than any cell does: not a table
        p = _parts(ln)
        idx = [column(x0) for x0, _, _ in p]
        if any(i is None for i in idx) or any(
                x0 < c - 3 and x1 > c + 3 for x0, x1, _ in p for c in cols):
            break  # a part off the columns, or across one: prose again
        if idx[0] == 0 or not rows:
            rows.append([""] * len(cols))
            since_row = 0
        since_row += 1
        for i, (_, _, text) in zip(idx, p, strict=True):
            cell = rows[-1][i]  # type: ignore[index]
            rows[-1][i] = f"{cell} {text}" if cell else text  # type: ignore[index]
        taken += 1
    return rows, taken


def edge(x0: float, top: float, x1: float, bottom: float) -> dict:
    """A rule in the form pdfplumber's table geometry takes."""
    orientation = "h" if abs(bottom - top) < abs(x1 - x0) else "v"
    if orientation == "h":
        top = bottom = (top + bottom) / 2
    else:
        x0 = x1 = (x0 + x1) / 2
    return {"x0": x0, "x1": x1, "top": top, "bottom": bottom, "width": x1 - x0,
            "height": bottom - top, "orientation": orientation}


def cell_text(lines: list[Line]) -> str:
    """A cell's lines joined with spaces; a number or word broken at the cell's edge is rejoined."""
    out: list[str] = []
    for ln in lines:
        line = ln.text
        last = out[-1] if out else ""
        if last and re.search(r"\d[.,]$", last[-2:]) and line[:1].isdigit():
            out.append(line)
        elif last and re.search(r"\w-$", last[-2:]) and line[:1].islower():
            out[-1] = last[:-1]
            out.append(line)
        else:
            out.extend((" ", line) if out else (line,))
    return "".join(out)


class BoxIndex:
    """Which of many boxes holds a point, in time independent of the number of boxes."""

    def __init__(self, boxes: list[tuple[float, float, float, float]], pad: float = 1.0) -> None:
        self.boxes = boxes
        self.pad = pad
        xs = [b[2] - b[0] for b in boxes] or [1.0]
        ys = [b[3] - b[1] for b in boxes] or [1.0]
        self.step = max(24.0, max(xs) / 32, max(ys) / 32)  # a box spans at most ~33² buckets
        self.grid: dict[tuple[int, int], list[int]] = {}
        s = self.step
        for k, (x0, top, x1, bottom) in enumerate(boxes):
            for gx in range(int((x0 - pad) // s), int((x1 + pad) // s) + 1):
                for gy in range(int((top - pad) // s), int((bottom + pad) // s) + 1):
                    self.grid.setdefault((gx, gy), []).append(k)

    def find(self, x: float, y: float) -> int | None:
        p = self.pad
        for k in self.grid.get((int(x // self.step), int(y // self.step)), ()):
            x0, top, x1, bottom = self.boxes[k]
            if x0 - p <= x <= x1 + p and top - p <= y <= bottom + p:
                return k
        return None


def ruled_tables(edges: list[dict], words: list[Word], number: int) -> list[Table]:
    """Tables from drawn rules (pdfplumber's cell geometry); the words inside fill the cells.

    A cell spanning several rows (merged down a column) gives its text to each row it
    covers, so each row keeps its own lead and deadline."""
    from pdfplumber.table import (
        cells_to_tables,
        edges_to_intersections,
        intersections_to_cells,
        merge_edges,
    )

    if len(edges) < 4:
        return []
    edges = merge_edges(edges, 3, 3, 3, 3)
    if len(edges) > MAX_TABLE_EDGES:
        return []  # a drawing (hatching, a chart): its intersections would be millions
    cells_all = intersections_to_cells(edges_to_intersections(edges, 3, 3))
    tables = [cells for cells in cells_to_tables(cells_all)]
    if not tables:
        return []
    all_cells = [c for cells in tables for c in cells]
    index = BoxIndex(all_cells)
    inside: list[list[Word]] = [[] for _ in all_cells]
    for w in words:
        k = index.find((w.x0 + w.x1) / 2, (w.top + w.bottom) / 2)
        if k is not None:  # by position, not by the OCR's lines: those run across cells
            inside[k].append(replace(w, line_id=None))
    out: list[Table] = []
    first = 0
    for cells in tables:
        texts = [cell_text(group_lines(inside[first + i], number)) for i in range(len(cells))]
        first += len(cells)
        grid = _grid(cells, texts)
        if grid:
            bbox = (min(c[0] for c in cells), min(c[1] for c in cells),
                    max(c[2] for c in cells), max(c[3] for c in cells))
            out.append((bbox, grid))
    return out


def _clusters(values: Iterator[float] | list[float], gap: float = 2.0) -> list[float]:
    out: list[float] = []
    for v in sorted(values):
        if not out or v - out[-1] > gap:
            out.append(v)
    return out


def _grid(cells: list[tuple[float, float, float, float]], texts: list[str]) -> list[list[str]]:
    """Cells and their texts → rows of columns; a cell spanning rows repeats in each."""
    cols = _clusters([c[0] for c in cells] + [c[2] for c in cells])
    ncols = len(cols) - 1
    if ncols < 2:
        return []  # a framed box, not a table: let its text flow
    tops = _clusters([c[1] for c in cells])
    rows = [[""] * ncols for _ in tops]
    for (x0, top, _x1, bottom), text in zip(cells, texts, strict=True):
        col = min(range(ncols), key=lambda i: abs(cols[i] - x0))
        for r, row_top in enumerate(tops):
            if top - 2 <= row_top < bottom - 2:
                rows[r][col] = text
    return [r for r in rows if any(r)]


def _merge(pieces: list[str], text: str) -> None:
    """Append a wrapped line's text to a paragraph kept as pieces (never re-read whole)."""
    last = pieces[-1]
    if re.search(r"\w-$", last[-2:]) and text[:1].islower():
        pieces[-1] = last[:-1]  # end-of-line hyphenation
    elif not (last.endswith("-") and not last.endswith(" -") and not text[:1].islower()):
        pieces.append(" ")  # (else a code broken at its hyphen: 226-KL/TW)
    pieces.append(text)


def _join(lines: list[Line], margins: Callable[[Line], tuple[float, float]]) -> list[
        tuple[str, Line]]:
    """Paragraphs with the line each starts on."""
    out: list[tuple[list[str], Line]] = []
    prev: Line | None = None
    for ln in lines:
        if prev is not None and out and _continues(prev, ln, *margins(ln)):
            _merge(out[-1][0], ln.text)
        else:
            out.append(([ln.text], ln))
        prev = ln
    return [("".join(pieces), first) for pieces, first in out]


def join_paragraphs(lines: list[Line],
                    margins: Callable[[Line], tuple[float, float]]) -> list[str]:
    """Join wrapped lines: a line continues the previous one when that one was full."""
    return [text for text, _ in _join(lines, margins)]


def _continues(prev: Line, cur: Line, left: float, right: float) -> bool:
    size = cur.size or 12
    if cur.x0 > left + 1.2 * size:  # indented: a new paragraph (or centred title)
        return False
    if prev.x0 > left + 6 * size and prev.x1 < right - 6 * size:
        return False  # the previous line was centred
    if _caps(prev.text) and not _caps(cur.text):
        return False  # a title in capitals, then the text under it
    first = cur.words[0]
    room = right - prev.x1
    return room < (first.x1 - first.x0) + 0.6 * size


def _caps(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) > 3 and all(c.isupper() for c in letters)


def page_margins(lines: list[Line]) -> tuple[float, float]:
    body = [ln for ln in lines if ln.table is None and len(ln.words) > 3]
    if not body:
        return 0.0, 0.0
    xs = Counter(round(ln.x0) for ln in body)
    # the left margin: the leftmost x that several lines share (a stray line may stick out)
    common = [x for x, n in xs.items() if n >= max(2, len(body) // 20)]
    left = min(common) if common else min(xs)
    rights = sorted(ln.x1 for ln in body)
    right = rights[int(0.9 * (len(rights) - 1))]
    return float(left), right


Out = list[tuple[str, LineInfo]]


def layout_text(pages: list[Page], superscripts: bool = True) -> tuple[str, list[str]]:
    """All pages → text in the seed shape, and notes on what was done."""
    lines, notes = layout_lines(pages, superscripts)
    return "\n".join(text for text, _ in lines) + "\n", notes


def layout_lines(pages: list[Page], superscripts: bool = True) -> tuple[Out, list[str]]:
    """All pages → (text line, where it came from) in the seed shape, and notes."""
    notes: list[str] = []
    sizes = Counter(round(w.size * 2) / 2 for p in pages for w in p.words)
    body_size = _median(sizes) if sizes else 12.0
    page_lines = [_page_lines(p, body_size) for p in pages]
    page_lines, dropped = drop_running(page_lines, [p.height for p in pages])
    if dropped:
        notes.append(f"dropped {dropped} page numbers / running headers")
    footnotes: list[Line] = []
    for i, p in enumerate(pages):
        if superscripts:
            for ln in page_lines[i]:
                if ln.table is None:
                    mark_superscripts(ln, body_size)
        page_lines[i], foot = split_footnotes(page_lines[i], body_size, p.height)
        footnotes.extend(foot)
    flow, margins, tables, blocks = _flow(page_lines, pages)
    if tables:
        notes.append(f"{tables} table(s) without rules read from their columns")
    if blocks:
        notes.append(f"{blocks} two-column block(s) (heading, signature) read column by column")
    out = _flow_text(flow, margins, pages)
    if footnotes:
        fm = page_margins(footnotes)
        out.extend((re.sub(r"^\(?(\d{1,3})\)?\s+", r"[\1] ", x), LineInfo(ln.page + 1, FOOTNOTE))
                   for x, ln in _join(footnotes, lambda _: fm))
        notes.append(f"{len(footnotes)} footnote lines moved to the end")
    return [(t, info) for t, info in out if t.strip()], notes


def _median(counts: Counter[float]) -> float:
    """The median of values given with their counts."""
    half = sum(counts.values()) / 2
    seen = 0
    for value in sorted(counts):
        seen += counts[value]
        if seen >= half:
            return value
    return 12.0


def _page_lines(p: Page, body_size: float) -> list[Line]:
    """A page's lines in reading order, each ruled table standing as one line."""
    words = p.words
    if p.tables:
        index = BoxIndex([bbox for bbox, _ in p.tables])
        words = [w for w in words if index.find((w.x0 + w.x1) / 2, (w.top + w.bottom) / 2)
                 is None]
    lines = group_lines(words, p.number)
    for bbox, rows in p.tables:
        anchor = Word("", bbox[0], bbox[2], bbox[1], bbox[3], body_size)
        lines.append(Line(words=[anchor], page=p.number, table=rows))
    lines.sort(key=lambda ln: ln.top)
    return lines


def _flow(page_lines: list[list[Line]], pages: list[Page]) -> tuple[
        list[Line], dict[int, tuple[float, float]], int, int]:
    """Lines of all pages in reading order, tables and two-column blocks folded in."""
    blocks = tables = 0
    flow: list[Line] = []
    margins: dict[int, tuple[float, float]] = {}
    for i, lines in enumerate(page_lines):
        margins[i] = page_margins(lines)
        j = 0
        while j < len(lines):
            rows, n = borderless_table(lines, start=j)
            if n:
                tables += 1
                flow.append(Line(words=lines[j].words, page=lines[j].page, table=rows))
                j += n
                continue
            block, n = two_column_block(lines, pages[i].width, start=j)
            if n:
                blocks += 1
                flow.append(Line(words=lines[j].words, page=lines[j].page, block=block))
                j += n
            else:
                flow.append(lines[j])
                j += 1
    return flow, margins, tables, blocks


def _flow_text(flow: list[Line], margins: dict[int, tuple[float, float]],
               pages: list[Page]) -> Out:
    out: Out = []
    index = {p.number: i for i, p in enumerate(pages)}
    run: list[Line] = []
    header: list[str] | None = None
    for ln in flow + [Line(words=[], page=-1, table=[])]:
        if ln.table is None and ln.block is None:
            run.append(ln)
            continue
        out.extend((text, LineInfo(first.page + 1, TEXT))
                   for text, first in _join(run, lambda x: margins[index[x.page]]))
        run = []
        if ln.block is not None:
            out.extend((text, LineInfo(ln.page + 1, TEXT)) for text in ln.block)
            continue
        rows = ln.table
        if header is not None and rows and rows[0] == header:
            rows = rows[1:]  # the header row repeated on the next page
        elif rows:
            header = rows[0]
        out.extend(("\t".join(r), LineInfo(ln.page + 1, TABLE)) for r in rows
                   if any(c.strip() for c in r))
    return out
