"""Page layout → text lines, shared by the PDF and OCR readers.

Input: positioned words per page (from a PDF text layer or from Tesseract). Output:
the seed-text shape: the heading block's two columns one after the other, running
headers/footers and page numbers dropped, wrapped lines joined into one paragraph per
line (a line continues the previous one when the previous was full and it is not
indented), end-of-line hyphenation undone, tables as TAB-separated rows, footnotes last.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace


@dataclass
class Word:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    line_id: tuple[int, ...] | None = None  # OCR: the line Tesseract put the word in


@dataclass
class Line:
    words: list[Word]
    page: int
    table: list[list[str]] | None = None  # a table block stands in the flow as one "line"
    block: list[str] | None = None  # so does a two-column block, as its lines
    footnote: bool = False

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
    """Words → text; pieces closer than a fifth of a space are one word (a font change)."""
    out = ""
    prev: Word | None = None
    for w in words:
        if prev is not None and w.x0 - prev.x1 > 0.06 * max(w.size, 1):
            out += " "
        out += w.text
        prev = w
    return out


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
    """Footnote markers (small raised digits) become `[n]`, glued to the word before."""
    words = []
    for w in line.words:
        if (words and w.text.isdigit() and len(w.text) <= 3 and w.size <= 0.8 * body_size
                and w.bottom < words[-1].bottom - 0.15 * body_size
                and w.x0 - words[-1].x1 < 0.3 * body_size):
            prev = words[-1]
            unit = w.text in ("2", "3") and re.search(r"(^|[\d(])[kcdh]?m$", prev.text)
            mark = "²³"[int(w.text) - 2] if unit else f"[{w.text}]"  # m³ is not a footnote
            words[-1] = Word(prev.text + mark, prev.x0, w.x1, prev.top, prev.bottom, prev.size)
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


def two_column_block(lines: list[Line], width: float) -> tuple[list[str], int]:
    """The two-column block starting at lines[0] (issuer | motto; recipients | signer).

    It starts with a line in two parts, one each side of the middle, and runs while no
    line crosses the middle. Returns its lines, left column first, and how many it took.
    """
    left: list[tuple[float, str]] = []
    right: list[tuple[float, str]] = []
    taken = 0
    prev: Line | None = None
    for ln in lines[:30]:
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


def _starts(ln: Line, gap: float) -> list[tuple[float, float, str]]:
    """(x0, x1, text) of the parts of a line split at gaps wider than `gap`."""
    return [(seg[0].x0, seg[-1].x1, join_words(seg)) for seg in ln.segments(gap)]


def borderless_table(lines: list[Line], min_rows: int = 2) -> tuple[list[list[str]], int]:
    """A table drawn without rules starting at lines[0]: (rows, lines taken) or ([], 0).

    Its rows are lines in three or more parts whose parts start at the same columns; a
    line whose parts all start at those columns but not in the first continues the row
    above (a cell's text wrapped). Prose never has two gaps wider than a word space.
    """
    def parts(ln: Line) -> list[tuple[float, float, str]]:
        size = ln.size or 12
        return _starts(ln, max(0.9 * size, 8.0))

    window = []
    for ln in lines[:15]:
        if ln.table is not None or ln.block is not None:
            break
        window.append(parts(ln))
    wide = [p for p in window if len(p) >= 3]
    if len(wide) < 2 or len(window[0]) < 2:
        return [], 0
    cols: list[float] = []
    for p in wide:
        for x0, _, _ in p:
            if not any(abs(x0 - c) <= 3 for c in cols):
                cols.append(x0)
    cols.sort()
    if len(cols) > max(len(p) for p in wide) + 1:
        return [], 0  # the parts do not line up in columns
    if abs(window[0][0][0] - cols[0]) > 3:
        return [], 0  # a table starts with its first column

    def column(x0: float) -> int | None:
        for i, c in enumerate(cols):
            if abs(x0 - c) <= 3:
                return i
        return None

    rows: list[list[str]] = []
    taken = 0
    for ln in lines:
        if ln.table is not None or ln.block is not None:
            break
        p = parts(ln)
        idx = [column(x0) for x0, _, _ in p]
        if any(i is None for i in idx) or any(
                x0 < c - 3 and x1 > c + 3 for x0, x1, _ in p for c in cols):
            break  # a part off the columns, or across one: prose again
        if idx[0] == 0 or not rows:
            rows.append([""] * len(cols))
        for i, (_, _, text) in zip(idx, p, strict=True):
            cell = rows[-1][i]  # type: ignore[index]
            rows[-1][i] = f"{cell} {text}" if cell else text  # type: ignore[index]
        taken += 1
    if len(rows) < min_rows:
        return [], 0
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
    out = ""
    for ln in lines:
        line = ln.text
        if out and re.search(r"\d[.,]$", out) and line[:1].isdigit():
            out += line
        elif out and re.search(r"\w-$", out) and line[:1].islower():
            out = out[:-1] + line
        else:
            out = f"{out} {line}" if out else line
    return out


def ruled_tables(edges: list[dict], words: list[Word], number: int) -> list[Table]:
    """Tables from drawn rules (pdfplumber's cell geometry); the words inside fill the cells."""
    from pdfplumber.table import (
        cells_to_tables,
        edges_to_intersections,
        intersections_to_cells,
        merge_edges,
    )

    if len(edges) < 4:
        return []
    edges = merge_edges(edges, 3, 3, 3, 3)
    cells_all = intersections_to_cells(edges_to_intersections(edges, 3, 3))
    out: list[Table] = []
    for cells in cells_to_tables(cells_all):
        xs = sorted({round(c[0]) for c in cells} | {round(c[2]) for c in cells})
        cols: list[int] = []
        for x in xs:  # cluster column boundaries closer than 2pt
            if not cols or x - cols[-1] > 2:
                cols.append(x)
        ncols = len(cols) - 1
        if ncols < 2:
            continue  # a framed box, not a table: let its text flow
        rows: dict[int, list[str]] = {}
        for x0, top, x1, bottom in sorted(cells, key=lambda c: (c[1], c[0])):
            # by position, not by the OCR's lines: those run across the cells of a row
            inside = [replace(w, line_id=None) for w in words
                      if x0 - 1 <= (w.x0 + w.x1) / 2 <= x1 + 1
                      and top - 1 <= (w.top + w.bottom) / 2 <= bottom + 1]
            row = rows.setdefault(round(top), [""] * ncols)
            col = min(range(ncols), key=lambda i: abs(cols[i] - x0))
            row[col] = cell_text(group_lines(inside, number))
        grid = [rows[k] for k in sorted(rows) if any(rows[k])]
        if grid:
            bbox = (min(c[0] for c in cells), min(c[1] for c in cells),
                    max(c[2] for c in cells), max(c[3] for c in cells))
            out.append((bbox, grid))
    return out


def _merge(last: str, text: str) -> str:
    if re.search(r"\w-$", last) and text[:1].islower():
        return last[:-1] + text  # end-of-line hyphenation
    if last.endswith("-") and not last.endswith(" -") and not text[:1].islower():
        return last + text  # a code broken at its hyphen: 226-KL/TW
    return last + " " + text


def join_paragraphs(lines: list[Line],
                    margins: Callable[[Line], tuple[float, float]]) -> list[str]:
    """Join wrapped lines: a line continues the previous one when that one was full."""
    out: list[str] = []
    prev: Line | None = None
    for ln in lines:
        if prev is not None and out and _continues(prev, ln, *margins(ln)):
            out[-1] = _merge(out[-1], ln.text)
        else:
            out.append(ln.text)
        prev = ln
    return out


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


def layout_text(pages: list[Page], superscripts: bool = True) -> tuple[str, list[str]]:
    """All pages → text in the seed shape, and notes on what was done."""
    notes: list[str] = []
    page_lines: list[list[Line]] = []
    sizes = [w.size for p in pages for w in p.words]
    body_size = statistics.median(sizes) if sizes else 12.0
    footnotes: list[Line] = []
    for p in pages:
        in_table = [bbox for bbox, _ in p.tables]
        words = [w for w in p.words if not any(
            b[0] - 1 <= (w.x0 + w.x1) / 2 <= b[2] + 1 and b[1] - 1 <= (w.top + w.bottom) / 2
            <= b[3] + 1 for b in in_table)]
        lines = group_lines(words, p.number)
        for bbox, rows in p.tables:
            anchor = Word("", bbox[0], bbox[2], bbox[1], bbox[3], body_size)
            lines.append(Line(words=[anchor], page=p.number, table=rows))
        lines.sort(key=lambda ln: ln.top)
        page_lines.append(lines)
    page_lines, dropped = drop_running(page_lines, [p.height for p in pages])
    if dropped:
        notes.append(f"dropped {dropped} page numbers / running headers")
    for i, p in enumerate(pages):
        if superscripts:
            for ln in page_lines[i]:
                if ln.table is None:
                    mark_superscripts(ln, body_size)
        page_lines[i], foot = split_footnotes(page_lines[i], body_size, p.height)
        footnotes.extend(foot)
    blocks = tables = 0
    flow: list[Line] = []
    margins: dict[int, tuple[float, float]] = {}
    for i, lines in enumerate(page_lines):
        margins[i] = page_margins(lines)
        j = 0
        while j < len(lines):
            rows, n = borderless_table(lines[j:])
            if n:
                tables += 1
                flow.append(Line(words=lines[j].words, page=lines[j].page, table=rows))
                j += n
                continue
            block, n = two_column_block(lines[j:], pages[i].width)
            if n:
                blocks += 1
                flow.append(Line(words=lines[j].words, page=lines[j].page, block=block))
                j += n
            else:
                flow.append(lines[j])
                j += 1
    if tables:
        notes.append(f"{tables} table(s) without rules read from their columns")
    if blocks:
        notes.append(f"{blocks} two-column block(s) (heading, signature) read column by column")
    out = _flow_text(flow, margins, pages)
    if footnotes:
        fm = page_margins(footnotes)
        out.extend(re.sub(r"^\(?(\d{1,3})\)?\s+", r"[\1] ", x)
                   for x in join_paragraphs(footnotes, lambda _: fm))
        notes.append(f"{len(footnotes)} footnote lines moved to the end")
    return "\n".join(x for x in out if x.strip()) + "\n", notes


def _flow_text(flow: list[Line], margins: dict[int, tuple[float, float]],
               pages: list[Page]) -> list[str]:
    out: list[str] = []
    index = {p.number: i for i, p in enumerate(pages)}
    run: list[Line] = []
    header: list[str] | None = None
    for ln in flow + [Line(words=[], page=-1, table=[])]:
        if ln.table is None and ln.block is None:
            run.append(ln)
            continue
        out.extend(join_paragraphs(run, lambda x: margins[index[x.page]]))
        run = []
        if ln.block is not None:
            out.extend(ln.block)
            continue
        rows = ln.table
        if header is not None and rows and rows[0] == header:
            rows = rows[1:]  # the header row repeated on the next page
        elif rows:
            header = rows[0]
        out.extend("\t".join(r) for r in rows if any(c.strip() for c in r))
    return out
