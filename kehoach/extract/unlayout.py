"""Text extracted with its layout kept (`pdftotext -layout`) → the plain shape.

Such text places the heading block's two columns side by side, indents paragraphs,
centres titles and page numbers, and aligns table cells with runs of spaces. This
module reads the columns one after the other, joins each paragraph's lines into
one, drops page numbers, and turns space-aligned tables into tab-separated rows.
"""

from __future__ import annotations

import re
from collections import Counter

GAP = re.compile(r"\S( {3,})(?=\S)")
WIDE_GAP = re.compile(r"\S( {5,})(?=\S)")
MARKER = re.compile(r"^(?:[IVX]+\s*[.\-–]|\d{1,2}(?:\.\d{1,2})*\s*[.)]|[a-zđ]\)|[-+•–]|\(\d+\))\s")
KIND = re.compile(r"^(?:KẾ HOẠCH|QUYẾT ĐỊNH|CHƯƠNG TRÌNH|CHỈ THỊ|BÁO CÁO|ĐỀ ÁN)(?: HÀNH ĐỘNG)?$")
BLOCK_HINT = re.compile(
    r"CỘNG\s+H[OÒ]A|Độc\s+lập|Nơi\s+nhận|^\s*Số\s*:|,\s+ngày|\b(?:TM|KT|T/M)\.|CHỦ\s+TỊCH|GIÁM\s+ĐỐC|BÍ\s+THƯ"
)
PAGE_NO = re.compile(r"^\s*(?:-\s*)?\d{1,3}(?:\s*-)?\s*$")


def is_layout(text: str) -> bool:
    """True for text whose lines keep the page layout (indents, side-by-side columns)."""
    lines = [ln for ln in text.splitlines()[:600] if ln.strip()]
    if len(lines) < 10 or any("\t" in ln for ln in lines[:200]):
        return False
    indented = sum(1 for ln in lines if re.match(r"^ {2,}\S", ln))
    columns = sum(1 for ln in lines if WIDE_GAP.search(ln.strip()))
    return indented > 0.2 * len(lines) and (columns >= 2 or indented > 0.5 * len(lines))


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _segments(line: str) -> list[tuple[int, str]]:
    """(column, text) of the pieces of a line split at runs of 3+ spaces."""
    out: list[tuple[int, str]] = []
    for m in re.finditer(r"\S+(?: {1,2}\S+)*", line):
        out.append((m.start(), m.group()))
    return out


def _two_columns(lines: list[str], i: int) -> tuple[list[str], int]:
    """A run of lines holding two side-by-side columns (heading or signature block)."""
    run: list[tuple[str, str]] = []
    split_at: int | None = None
    j = i
    while j < len(lines):
        ln = lines[j]
        if not ln.strip():
            if run and j + 1 < len(lines) and WIDE_GAP.search(lines[j + 1].strip()):
                j += 1
                continue
            break
        m = WIDE_GAP.search(ln)
        if m and _indent(ln) < m.end(1):
            col = m.end(1)
            if split_at is None or abs(col - split_at) <= 12:
                split_at = split_at or col
                run.append((ln[: m.start(1) + 1].strip(), ln[m.end(1) :].strip()))
                j += 1
                continue
        if run and split_at and _indent(ln) >= split_at - 12:  # right column alone on its line
            run.append(("", ln.strip()))
            j += 1
            continue
        if run and _indent(ln) < 20 and len(ln.strip()) < 45 and not MARKER.match(ln.strip()):
            run.append((ln.strip(), ""))  # left column alone on its line
            j += 1
            continue
        break
    if len(run) < 2 or not any(BLOCK_HINT.search(f"{a} {b}") for a, b in run):
        return [], 0  # side-by-side text without the marks of a heading or signature block
    left = [a for a, _ in run if a]
    right = [b for _, b in run if b]
    return left + right, j - i


ROW_CODE = re.compile(r"^(?:[IVXL]+|\d{1,3}|[a-zđ]|[A-Z])[.):]?$|^[-+*•]$")
END_OF_TABLE = re.compile(r"^(?:Phụ\s+lục|PHỤ\s+LỤC|Nơi\s+nhận|\(Kèm\s+theo)", re.I)


def _columns(starts: list[int], least: int = 1) -> list[int]:
    """Cluster segment starts into column starts (starts closer than 3 characters merge),
    keeping the columns at least `least` segments start in."""
    cols: list[list[int]] = []
    for x in sorted(starts):
        if cols and x - cols[-1][-1] <= 3:
            cols[-1].append(x)
        else:
            cols.append([x])
    return [c[0] for c in cols if len(c) >= least]


def _shifted(header_cols: list[int], page_cols: list[int]) -> list[int]:
    """The header's columns moved by the shift that best fits the columns a page uses."""
    if not page_cols:
        return header_cols
    shifts = {p - h for p in page_cols for h in header_cols}
    best = min(shifts, key=lambda d: sum(min(abs(p - h - d) for h in header_cols) for p in page_cols))
    return [h + best for h in header_cols]


RECIPIENTS = re.compile(r"^\s*Nơi\s+nhận\s*:?", re.I)


def _signature(lines: list[str], i: int) -> tuple[list[str], int]:
    """`Nơi nhận:` and its recipients on the left, the signature block on the right:
    read the left column, then the right (`TM. ỦY BAN NHÂN DÂN`, `CHỦ TỊCH`, the name)."""
    if not RECIPIENTS.match(lines[i]):
        return [], 0
    left: list[str] = []
    right: list[str] = []
    j = i
    while j < len(lines) and j - i < 40:
        ln = lines[j]
        prose = j > i and ln.strip() and not ln.lstrip().startswith("-") and _indent(ln) < 8 and len(ln.strip()) > 60
        if ln == "\f" or prose:
            break
        gap = max(WIDE_GAP.finditer(ln), key=lambda m: len(m.group(1)), default=None)
        if gap and gap.end(1) >= 30 and not ln[gap.end(1) :].startswith("("):  # `(để b/c)` notes a recipient
            left.append(ln[: gap.start(1) + 1].strip())
            right.append(ln[gap.end(1) :].strip())
        elif _indent(ln) >= 30:
            right.append(ln.strip())
        elif ln.strip():
            left.append(ln.strip())
        j += 1
    return [x for x in left + right if x], j - i


def _table(lines: list[str], i: int) -> tuple[list[str], int]:
    """A space-aligned table starting at `i`: its physical lines (cells wrapped over several
    lines, pages breaking it with their numbers and repeated headers) as tab-separated rows.

    Columns are found page by page (pdftotext shifts them from page to page); a logical row
    starts where the first column holds a code (`1.`, `II`, `a)`, `-`) or a line fills the row.
    """
    if len(_segments(lines[i])) < 3:
        return [], 0
    pages: list[list[int]] = [[]]  # physical line indexes, by page
    j, blanks = i, 0
    while j < len(lines):
        ln = lines[j]
        if not ln.strip():
            blanks += 1
            if blanks > 8:
                break
            if ln == "\f" and pages[-1]:
                pages.append([])
            j += 1
            continue
        segs = _segments(ln)
        if END_OF_TABLE.match(ln.strip()) or KIND.match(ln.strip()) or (len(segs) == 1 and len(segs[0][1]) > 70):
            break  # a paragraph again: a line of prose runs across the columns
        blanks = 0
        pages[-1].append(j)
        j += 1
    lines_in = [x for page in pages for x in page]
    if len(lines_in) < 2:
        return [], 0
    header_cols = _columns([c for c, _ in _segments(lines[i])])
    # the data's columns, as most pages place them: a header's labels are often centred and
    # fewer than the data's columns (one label over `Quý I`, `Quý II`, ...), its data not
    page_columns = [
        _columns([c for x in page for c, _ in _segments(lines[x])], least=max(2, len(page) // 10)) for page in pages
    ]
    counts = Counter(tuple(cols) for cols in page_columns if len(cols) >= len(header_cols))
    reference = list(counts.most_common(1)[0][0]) if counts else header_cols
    ncols = len(reference)
    header: list[str] = [""] * ncols
    rows: list[list[str]] = []
    in_header = True
    for page, page_cols in zip(pages, page_columns, strict=True):
        if not page:
            continue
        # the columns this page's lines start in; where they match the header's in number,
        # they are the header's columns as this page places them
        cols = page_cols if len(page_cols) == ncols else _shifted(reference, page_cols)
        for x in page:
            cells = [""] * ncols
            for col, text in _segments(lines[x]):
                k = max((n for n in range(ncols) if cols[n] <= col + 3), default=0)
                cells[k] = f"{cells[k]} {text}".strip()
            first = cells[0]
            numbers = sum(1 for c in cells if re.fullmatch(r"[<>≤≥]?\s*\d[\d.,]*\s*%?", c))
            if in_header and x != i and (ROW_CODE.match(first) or numbers >= 2):
                in_header = False
            if in_header or (rows and first and first.lower() == header[0].lower()):
                if in_header:
                    header = [f"{h} {c}".strip() for h, c in zip(header, cells, strict=True)]
                continue  # the header, or the header repeated on a new page
            full = sum(1 for c in cells if c) >= max(3, ncols - 1)
            if not rows or ROW_CODE.match(first) or (not first and full and not rows[-1][0]):
                rows.append(cells)
            else:
                rows[-1] = [f"{a} {b}".strip() for a, b in zip(rows[-1], cells, strict=True)]
    out = ["\t".join(header)] + ["\t".join(r) for r in rows]
    return out, j - i


def _next_indented(lines: list[str], i: int, margin: int) -> bool:
    nxt = next((ln for ln in lines[i:] if ln.strip()), "")
    return _indent(nxt) > margin + 2


def unlayout(text: str) -> str:
    return "\n".join(unlayout_lines(text)[0]) + "\n"


def _split_pages(text: str) -> tuple[list[str], list[int]]:
    """The text's lines, each form feed on a line of its own, with the 1-based line each came from."""
    lines: list[str] = []
    origin: list[int] = []
    for no, raw in enumerate(text.split("\n"), 1):
        for k, piece in enumerate(raw.split("\f")):
            if k:
                lines.append("\f")
                origin.append(no)
            if piece or not k:
                lines.append(piece)
                origin.append(no)
    return lines, origin


def unlayout_lines(text: str) -> tuple[list[str], list[int]]:
    """The plain shape of layout text as lines, and for each the 1-based line of `text` it begins on."""
    # a page break (form feed or page number) stays as a bare form feed: tables need it
    raw, origin = _split_pages(text)
    lines = ["\f" if PAGE_NO.match(ln) else ln.rstrip() for ln in raw]
    margins = Counter(_indent(ln) for ln in lines if ln.strip())
    margin = min((ind for ind, n in margins.items() if n >= 0.1 * sum(margins.values())), default=0)
    out: list[str] = []
    where: list[int] = []
    para: list[str] = []
    para_at = 0
    in_title = False

    def flush() -> None:
        nonlocal para
        if para:
            out.append(" ".join(para))
            where.append(para_at)
            para = []

    i = 0
    while i < len(lines):
        ln = lines[i]
        block, n = _signature(lines, i)
        if not n:
            block, n = _two_columns(lines, i)
        if not n:
            block, n = _table(lines, i)
        if n:
            flush()
            out.extend(block)
            where.extend([origin[i]] * len(block))
            i += n
            continue
        s = ln.strip()
        if not s:
            in_title = False  # a paragraph may go on after a page break: the next line decides
            i += 1
            continue
        if KIND.match(s):
            flush()
            out.append(s)
            where.append(origin[i])
            in_title = True
            i += 1
            continue
        indented = _indent(ln) > margin + 2
        if in_title and (not indented or s.startswith("(") or not _next_indented(lines, i + 1, margin)):
            in_title = False  # a paragraph's first line (its next sits at the margin): the body begins
        # official text indents each paragraph's first line; its other lines sit at the margin;
        # a title's lines are centred, all of them indented
        continues = para and not MARKER.match(s) and (in_title or not indented or s[0].islower())
        if not continues:
            flush()
            para_at = origin[i]
        para.append(s)
        i += 1
    flush()
    return out, where
