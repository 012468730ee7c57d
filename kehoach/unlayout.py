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
PAGE_NO = re.compile(r"^\s*(?:-\s*)?\d{1,3}(?:\s*-)?\s*$")


def is_layout(text: str) -> bool:
    """True for text whose lines keep the page layout (indents, side-by-side columns)."""
    lines = [ln for ln in text.splitlines()[:400] if ln.strip()]
    if len(lines) < 10 or any("\t" in ln for ln in lines[:200]):
        return False
    indented = sum(1 for ln in lines if re.match(r"^ {2,}\S", ln))
    columns = sum(1 for ln in lines[:30] if WIDE_GAP.search(ln.strip()))
    return columns >= 2 and indented > 0.2 * len(lines)


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
    if len(run) < 2:
        return [], 0
    left = [a for a, _ in run if a]
    right = [b for _, b in run if b]
    return left + right, j - i


def _table(lines: list[str], i: int) -> tuple[list[str], int]:
    """A run of space-aligned table rows starting at `i`, as tab-separated rows."""
    rows: list[int] = []
    j = i
    while j < len(lines):
        ln = lines[j]
        if len(_segments(ln)) >= 3:
            rows.append(j)
            j += 1
        elif ln.strip() and rows and j - rows[-1] <= 3 and j + 1 < len(lines):
            j += 1  # a wrapped cell's continuation inside the table
        else:
            break
    if len(rows) < 2:
        return [], 0
    end = rows[-1] + 1
    starts = Counter(col for r in rows for col, _ in _segments(lines[r]))
    cols = sorted(c for c, n in starts.items() if n >= max(2, len(rows) // 3))
    merged: list[int] = []
    for c in cols:
        if not merged or c - merged[-1] > 3:
            merged.append(c)
    out: list[str] = []
    for ln in lines[i:end]:
        cells = [""] * len(merged)
        for col, text in _segments(ln):
            k = max((n for n, c in enumerate(merged) if c <= col + 2), default=0)
            cells[k] = f"{cells[k]} {text}".strip()
        out.append("\t".join(cells))
    return out, end - i


def unlayout(text: str) -> str:
    pages = text.split("\f")
    lines = [ln.rstrip() for page in pages for ln in page.splitlines()]
    lines = ["" if PAGE_NO.match(ln) else ln for ln in lines]
    margins = Counter(_indent(ln) for ln in lines if ln.strip())
    margin = min((ind for ind, n in margins.items() if n >= 0.1 * sum(margins.values())), default=0)
    out: list[str] = []
    para: list[str] = []
    in_title = False

    def flush() -> None:
        nonlocal para
        if para:
            out.append(" ".join(para))
            para = []

    i = 0
    while i < len(lines):
        ln = lines[i]
        block, n = _two_columns(lines, i)
        if n:
            flush()
            out.extend(block)
            i += n
            continue
        rows, n = _table(lines, i)
        if n:
            flush()
            out.extend(rows)
            i += n
            continue
        s = ln.strip()
        if not s:
            in_title = False
            flush()
            i += 1
            continue
        if KIND.match(s):
            flush()
            out.append(s)
            in_title = True
            i += 1
            continue
        indented = _indent(ln) > margin + 2
        # official text indents each paragraph's first line; its other lines sit at the margin
        continues = (
            para and not MARKER.match(s) and ((in_title and not s.startswith("(")) or not indented or s[0].islower())
        )
        if not continues:
            flush()
        para.append(s)
        i += 1
    flush()
    return "\n".join(out) + "\n"
