"""Vietnamese numbers: `616.565,83` → 616565.83, `4.302` → 4302, `7,0` → 7.0."""

from __future__ import annotations

import re

from .. import vn

NUMBER = r"\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?|\d+\.\d+"
NUMBER_RE = re.compile(rf"(?<![\d.,])(?:{NUMBER})(?![\d])")


def parse_number(text: str, decimal_point: bool = False) -> float | None:
    """`vn.parse_number`, with None for what is not a number (the grammar asks, it does not insist).

    With `decimal_point`, read `107.27` as written (scenario indices use a point).
    """
    try:
        return vn.parse_number(text, decimal_point=decimal_point)
    except ValueError:
        return None


def as_json_number(x: float) -> int | float:
    return int(x) if x.is_integer() else x
