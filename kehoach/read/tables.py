"""A table's cells → text lines, the same for every reader that sees cells (DOCX, Markdown).

A data table gives one line per row, its cells TAB-separated (a cell's paragraphs joined by
spaces). A layout table (the heading's issuer | motto, the signature's recipients | signer)
is read column by column, left column first, as the page is read.
"""

from __future__ import annotations

import re

# Markers of the two-column layout tables (issuer | national motto; recipients | signature).
LAYOUT_MARKERS = re.compile(
    r"CỘNG HÒA XÃ HỘI|CỘNG HOÀ XÃ HỘI|Độc lập|Nơi nhận|^Số:|\bTM\.|\bKT\.|CHỦ TỊCH|GIÁM ĐỐC",
    re.M,
)

Grid = list[list[list[str]]]  # rows of cells, each cell its paragraph lines


def table_lines(grid: Grid, merged: list[list[bool]] | None = None) -> list[str]:
    """The lines of a table; `merged[r][c]`: the cell repeats the one above (read once in a
    layout table, repeated on its row in a data table)."""
    if not grid:
        return []
    width = max(len(r) for r in grid)

    def is_merged(r: int, c: int) -> bool:
        return merged is not None and c < len(merged[r]) and merged[r][c]

    text = "\n".join(line for r, row in enumerate(grid) for c, cell in enumerate(row)
                     if not is_merged(r, c) for line in cell)
    if width <= 3 and len(grid) <= 6 and LAYOUT_MARKERS.search(text) or width == 1:
        lines = []
        for col in range(width):
            for r, row in enumerate(grid):
                if col >= len(row) or is_merged(r, col):
                    continue
                for para in row[col]:
                    lines.extend(" ".join(x.split()) for x in para.split("\n"))
        return [x for x in lines if x]
    out = []
    for row in grid:
        cells = [" ".join(" ".join(cell).split()) for cell in row]
        cells += [""] * (width - len(cells))
        if any(cells):
            out.append("\t".join(cells))
    return out
