"""Reading a workbook someone sent back, within bounds: its zip inflated as far as a limit and no
further (whatever its headers declare), its sheets streamed (openpyxl's read-only mode) and cut
at a number of rows and columns no department's workbook comes near. A file past a bound is
refused with a message saying which sheet, which row and what to do; memory stays small.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from ..errors import WorkbookError
from ..vn import fmt_number

MAX_ROWS = 5_000  # a department's tasks or a scenario's rows: a few hundred at most
MAX_COLUMNS = 60
MAX_INFLATED = 64 * 1024 * 1024  # all members of the zip, as actually inflated
MAX_MEMBERS = 1_000
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_CHUNK = 1024 * 1024


# A workbook that cannot be read within bounds (not an XLSX, a bomb, a sheet too large).
SheetError = WorkbookError


def check_zip(path: Path) -> None:
    """Inflate every member, counting, and stop at `MAX_INFLATED` bytes whatever the directory
    says (a member declared 5 KB may inflate to 1 GB)."""
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            if len(infos) > MAX_MEMBERS:
                raise SheetError(
                    f"{path.name}: tệp có {len(infos)} thành phần (tối đa {MAX_MEMBERS}): "
                    "không phải tệp Excel xuất từ kehoach"
                )
            left = MAX_INFLATED
            for info in infos:
                with zf.open(info) as member:
                    while chunk := member.read(min(_CHUNK, left + 1)):
                        left -= len(chunk)
                        if left < 0:
                            raise SheetError(
                                f"{path.name}: nội dung giải nén vượt {MAX_INFLATED // (1024 * 1024)} MB "
                                f"(thành phần {info.filename}): có thể là bom nén; hãy xuất lại tệp từ kehoach"
                            )
    except (zipfile.BadZipFile, OSError, EOFError, zipfile.LargeZipFile, NotImplementedError) as e:
        raise SheetError(f"{path}: không đọc được tệp Excel .xlsx ({e})") from e


def open_workbook(path: str | Path) -> Any:
    """The workbook, read-only (rows streamed from the file, never a whole sheet in memory)."""
    path = Path(path)
    check_zip(path)
    try:
        return load_workbook(path, read_only=True, data_only=True)
    except (OSError, ValueError, KeyError, InvalidFileException, zipfile.BadZipFile) as e:
        raise SheetError(f"{path}: không đọc được tệp Excel .xlsx ({e})") from e


def _declared(ws: Any) -> tuple[int, int]:
    """The sheet's dimension as its XML declares it (it may lie, or be absent)."""
    try:
        return int(ws.max_row or 0), int(ws.max_column or 0)
    except (TypeError, ValueError):
        return 0, 0


def rows(ws: Any) -> Iterator[tuple[int, tuple[Any, ...]]]:
    """(row number, values) of the sheet's first `MAX_ROWS` rows and `MAX_COLUMNS` columns; a
    value past either bound refuses the file (`SheetError`, naming the sheet and the row)."""
    max_row, max_col = _declared(ws)
    if max_col > MAX_COLUMNS:
        wide = _first_beyond_columns(ws)
        if wide is not None:
            raise SheetError(
                f"Trang '{ws.title}' có dữ liệu ở cột thứ {wide[1]} (dòng {wide[0]}), quá {MAX_COLUMNS} cột của mẫu: "
                "xóa các cột thừa (Ctrl+End chỉ ô cuối cùng) hoặc xuất lại tệp"
            )
    for n, values in enumerate(ws.iter_rows(max_row=MAX_ROWS, max_col=MAX_COLUMNS, values_only=True), start=1):
        yield n, tuple(values)
    if max_row > MAX_ROWS or max_row == 0:
        beyond = _first_beyond_rows(ws)
        if beyond is not None:
            raise SheetError(
                f"Trang '{ws.title}' có dữ liệu ở dòng {fmt_number(beyond)}, quá giới hạn {fmt_number(MAX_ROWS)} "
                "dòng: xóa các dòng thừa (Ctrl+End chỉ ô cuối cùng) hoặc xuất lại tệp"
            )


def _first_beyond_rows(ws: Any) -> int | None:
    """The first row past `MAX_ROWS` holding a value, read straight from the sheet's XML (rows
    that are not there cost nothing: openpyxl would fill the gap with empty rows, a million of
    them for one far cell)."""
    from lxml import etree

    row_tag, value_tags = f"{{{_MAIN}}}row", (f"{{{_MAIN}}}v", f"{{{_MAIN}}}is")
    with ws._get_source() as src:  # openpyxl's own handle on the sheet's part of the zip
        n = 0
        for _, el in etree.iterparse(src, events=("end",), tag=row_tag, resolve_entities=False, no_network=True):
            n = int(el.get("r") or n + 1)
            if n > MAX_ROWS and any(c.find(t) is not None for c in el for t in value_tags):
                return n
            el.clear()
    return None


def _first_beyond_columns(ws: Any) -> tuple[int, int] | None:
    for n, values in enumerate(ws.iter_rows(max_row=MAX_ROWS, min_col=MAX_COLUMNS + 1, values_only=True), start=1):
        for j, v in enumerate(values, start=MAX_COLUMNS + 1):
            if v not in (None, ""):
                return n, j
    return None


def text(value: object) -> str | None:
    """A cell's text, whitespace collapsed; None when empty."""
    if value is None:
        return None
    s = " ".join(str(value).split())
    return s or None


def header_map(sheet: str, header: Sequence[Any], wanted: Sequence[tuple[str, str]]) -> dict[str, int]:
    """Key → 0-based column index, found by header text (a moved column is still found)."""
    found = {text(v): j for j, v in enumerate(header)}
    out = {}
    for key, title in wanted:
        if title not in found:
            raise SheetError(f"Trang '{sheet}' thiếu cột '{title}': hãy xuất lại tệp")
        out[key] = found[title]
    return out
