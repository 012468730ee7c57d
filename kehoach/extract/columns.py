"""Side-by-side columns of the heading and signature blocks, in text that otherwise runs in
one column: the Decree 30/2020 heading block typed with tabs or spaces (`ỦY BAN NHÂN DÂN<TAB>CỘNG
HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM`), the signature typed beside `Nơi nhận:`. Each such run of lines
is read column by column, the left one first, so that the heading's grammar sees one column at
a time. (Text that kept a whole page's layout is `unlayout`'s.)"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .heading import KIND_LINE

# a column gap: a tab, or a run of three spaces or more
GAP = re.compile(r"\t+| {3,}")
# the marks of a heading or signature block (one is enough for a run of two-column lines)
BLOCK_MARK = re.compile(
    r"CỘNG\s+H[OÒ]A|Độc\s+lập|ĐẢNG\s+CỘNG\s+SẢN|Nơi\s+nhận|^Số\b|,\s*ngày\s+\S*\s*tháng|"
    r"^(?:TM|KT|T/M|K/T|Q)\.?\s+[A-ZĐÀ-Ỹ]|CHỦ\s+TỊCH|GIÁM\s+ĐỐC|BÍ\s+THƯ|BỘ\s+TRƯỞNG"
)
_NUMBER_LABEL = re.compile(r"^Số\s*:?$")
_RIGHT_INDENT = re.compile(r"^(?:\t| {8,})")
_MAX_BLANKS = 3  # blank lines a block may hold between its lines (space left for the signature)


@dataclass
class _Run:
    end: int  # one past the last line
    left: list[tuple[str, int]]
    right: list[tuple[str, int]]
    split: int  # where the right column starts on a line of spaces (its first line's)


def _right_start(line: str) -> int:
    """Where the second piece of a two-column line starts."""
    indent = len(line) - len(line.lstrip())
    m = GAP.search(line, indent)
    return m.end() if m else len(line)


def cells(line: str) -> list[str]:
    """The pieces of a line between column gaps; a number left blank (`Số:     /KH-UBND`) stays one."""
    out: list[str] = []
    for piece in GAP.split(line.strip()):
        piece = piece.strip()
        if not piece:
            continue
        if out and (piece.startswith("/") or (_NUMBER_LABEL.match(out[-1]) and piece[:1].isdigit())):
            out[-1] = f"{out[-1]} {piece}"
        else:
            out.append(piece)
    return out


def _single(line: str, n: int, run: _Run) -> bool:
    """Adds a line holding one column to the run; False where the line is no part of it."""
    text = line.strip()
    if KIND_LINE.match(text):
        return False  # the document's kind, centred under the block, opens its body
    indent = len(line) - len(line.lstrip(" "))
    if line.startswith("\t") or (_RIGHT_INDENT.match(line) and indent >= run.split - 4):
        run.right.append((text, n))  # a line centred in the left column starts well before the right one
        return True
    if len(text) <= 60 and (text.isupper() or text.startswith(("-", "+", "*"))):
        run.left.append((text, n))
        return True
    return False


def _run_at(lines: list[str], i: int) -> _Run | None:
    """The block of two-column lines that starts at line `i` (0-based, a two-column line), or None
    where it bears no mark of a heading or signature block."""
    run = _Run(i + 1, [], [], _right_start(lines[i]))
    blanks = 0
    for j in range(i, len(lines)):
        line = lines[j]
        if not line.strip():
            blanks += 1
            if blanks > _MAX_BLANKS:
                break
            continue
        blanks = 0
        parts = cells(line)
        if len(parts) > 2:
            break  # a table's row
        if len(parts) == 2:
            run.left.append((parts[0], j))
            run.right.append((parts[1], j))
        elif not _single(line, j, run):
            break
        if run.right and run.right[-1][1] == j:
            run.end = j + 1  # the block ends with its last line that holds the right column
    run.left = [(t, n) for t, n in run.left if n < run.end]
    marked = any(BLOCK_MARK.search(t) for t, _ in run.left + run.right)
    return run if marked else None


def read_columns(lines: list[str]) -> tuple[list[str], list[int]] | None:
    """The lines with each two-column block read column by column, and the 1-based line each
    came from; None where the text holds no such block."""
    out: list[str] = []
    origin: list[int] = []
    i, found = 0, False
    while i < len(lines):
        run = _run_at(lines, i) if len(cells(lines[i])) == 2 else None
        if run is None:
            out.append(lines[i])
            origin.append(i + 1)
            i += 1
            continue
        found = True
        for text, n in run.left + run.right:
            out.append(text)
            origin.append(n + 1)
        i = run.end
    return (out, origin) if found else None
