"""Vietnamese numbers: `616.565,83` → 616565.83, `4.302` → 4302, `7,0` → 7.0."""

from __future__ import annotations

import re

NUMBER = r"\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?|\d+\.\d+"
NUMBER_RE = re.compile(rf"(?<![\d.,])(?:{NUMBER})(?![\d])")


def parse_number(text: str, decimal_point: bool = False) -> float | None:
    """Read a number written the Vietnamese way (`.` groups thousands, `,` is decimal).

    With `decimal_point`, read `107.27` as written (scenario indices use a point).
    """
    s = text.strip().replace(" ", "")
    if not s:
        return None
    if decimal_point:
        s = s.replace(",", ".")
    elif re.fullmatch(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?", s):
        s = s.replace(".", "").replace(",", ".")
    elif re.fullmatch(r"\d+,\d+", s):
        s = s.replace(",", ".")
    elif not re.fullmatch(r"\d+(?:\.\d+)?", s):
        return None
    try:
        return float(s)
    except ValueError:
        return None


def as_json_number(x: float) -> int | float:
    return int(x) if x.is_integer() else x
