"""What the readers give besides the text: where each line came from, what could not be read.

Kept apart from `kehoach.read` (the entry points) so the format readers can build it without
importing each other.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

# kinds of line
TEXT = "text"  # a paragraph (or a line of the heading / signature block)
TABLE = "table"  # one table row, its cells TAB-separated
FOOTNOTE = "footnote"  # `[n] ...`, gathered at the end

Progress = Callable[[int, int, str], None]
"""`progress(done_pages, total_pages, stage)`: stage "đọc" (reading) or "OCR"."""


@dataclass(frozen=True, slots=True)
class LineInfo:
    """Where one line of `Source.text` came from."""

    page: int | None = None  # 1-based page where the line starts (PDF, scans); None: unknown
    kind: str = TEXT


def no_progress(done: int, total: int, stage: str) -> None:
    """The default progress callback: says nothing."""


_UNIT = re.compile(r"(^|[\d\s(/.,;])[kcdmhμ]?m$|/s$")  # m, km, cm, ..., and m/s
_SUPERSCRIPT = str.maketrans("0123456789+-−=()n", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁻⁼⁽⁾ⁿ")


def superscript(before: str, raised: str) -> str | None:
    """What a raised run of digits after `before` stands for, or None (keep it as it is).

    An exponent after a unit of length or time (`m²`, `km²`, `m³/s`, `m/s²`) is written with
    superscript characters; other raised numbers are footnote markers, written `[n]`.
    """
    raised = raised.strip()
    if not raised or not raised.isdigit() or not raised.isascii():
        return None
    tail = before.rstrip()[-4:]
    if len(raised) == 1 and raised in "23" and _UNIT.search(tail):
        return raised.translate(_SUPERSCRIPT)
    return f"[{raised}]" if len(raised) <= 3 else None


@dataclass
class Reading:
    """What a format reader gives back: lines with their origin, notes, warnings."""

    lines: list[tuple[str, LineInfo]]
    notes: list[str]
    reader: str
    warnings: list[str] = field(default_factory=list)
    pages: int | None = None
    text: str | None = None  # the text exactly, where the reader has it whole (plain text)

    @classmethod
    def from_text(cls, text: str, notes: list[str], reader: str, **kw: object) -> Reading:
        """A plain text kept exactly (TAB lines are table rows), pages unknown."""
        lines = text.split("\n")
        if lines and lines[-1] == "":
            lines.pop()
        return cls([(ln, LineInfo(None, TABLE if "\t" in ln else TEXT)) for ln in lines],
                   notes, reader, text=text, **kw)  # type: ignore[arg-type]
