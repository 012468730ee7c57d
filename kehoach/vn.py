"""Vietnamese number, date and period formatting: `1.234,5`, `05/7/2025`, `Quý II năm 2025`."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime

ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}
_ROMAN_Q = {v: k for k, v in ROMAN.items()}


def fmt_number(value: float | int | None, decimals: int | None = None, empty: str = "") -> str:
    """`1234.5` → `1.234,5`. With `decimals=None`, up to two decimals, trailing zeros dropped."""
    if value is None:
        return empty
    places = 2 if decimals is None else decimals
    text = f"{abs(value):,.{places}f}"
    if decimals is None and "." in text:
        text = text.rstrip("0").rstrip(".")
    text = text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
    negative = value < 0 and any(c not in "0.," for c in text)
    return ("-" if negative else "") + text


def fmt_percent(value: float | None, decimals: int | None = 2, empty: str = "") -> str:
    """`7.27` → `7,27%`."""
    return empty if value is None else fmt_number(value, decimals) + "%"


_THOUSANDS = re.compile(r"[+-]?\d{1,3}(\.\d{3})+(,\d+)?")
_DECIMAL_COMMA = re.compile(r"[+-]?\d+(,\d+)?")
_DECIMAL_POINT = re.compile(r"[+-]?\d*\.\d+")


def parse_number(text: str | float | int) -> float:
    """Read a number as Vietnamese write it: `616.565,83` → 616565.83, `4.302` → 4302, `7,5` → 7.5.

    A lone point followed by other than three digits (`107.27`) is a decimal point, as
    spreadsheets and scenario tables write it. Raises ValueError on anything else.
    """
    if isinstance(text, bool):
        raise ValueError(f"'{text}' không phải là số")
    if isinstance(text, int | float):
        return float(text)
    s = text.strip().replace("\u00a0", "").replace(" ", "").removesuffix("%")
    if _THOUSANDS.fullmatch(s):
        return float(s.replace(".", "").replace(",", "."))
    if _DECIMAL_COMMA.fullmatch(s):
        return float(s.replace(",", "."))
    if _DECIMAL_POINT.fullmatch(s):
        return float(s)
    raise ValueError(f"'{text}' không phải là số (viết như 1.234,5)")


def fmt_date(value: date | None, empty: str = "") -> str:
    """`date(2025, 7, 5)` → `05/07/2025`."""
    return empty if value is None else value.strftime("%d/%m/%Y")


def parse_date(text: str | date | datetime) -> date:
    """`05/7/2025`, `5-7-2025`, `2025-07-05` or a spreadsheet date → `date`. ValueError else."""
    if isinstance(text, datetime):
        return text.date()
    if isinstance(text, date):
        return text
    s = text.strip()
    m = re.fullmatch(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})", s)
    if m:
        day, month, year = (int(g) for g in m.groups())
    else:
        m = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", s)
        if not m:
            raise ValueError(f"'{text}' không phải là ngày (viết như 31/12/2025)")
        year, month, day = (int(g) for g in m.groups())
    try:
        return date(year, month, day)
    except ValueError:
        raise ValueError(f"'{text}' không phải là ngày có thật") from None


def date_line(place: str, value: date) -> str:
    """The place and date line of Decree 30: `Trà Vinh, ngày 05 tháng 7 năm 2025`.

    Days below 10 and the months January and February take a leading zero.
    """
    month = f"{value.month:02d}" if value.month <= 2 else str(value.month)
    return f"{place}, ngày {value.day:02d} tháng {month} năm {value.year}"


@dataclass(frozen=True)
class Period:
    """A reporting period: a month, quarter, half year, nine months or year."""

    year: int
    kind: str  # "M", "Q", "H1", "9M", "Y"
    index: int = 0  # month or quarter number

    @classmethod
    def parse(cls, text: str) -> Period:
        """`2025-Q2`, `2025-H1`, `2025-9M`, `2025`, `2025-06` → Period."""
        s = text.strip().upper()
        m = re.fullmatch(r"(\d{4})(?:-(Q[1-4]|H1|6M|9M|Y|M?\d{1,2}))?", s)
        if not m:
            raise ValueError(
                f"'{text}' không phải là kỳ báo cáo (viết như 2025-Q2, 2025-H1, 2025-9M, 2025-06 hoặc 2025)"
            )
        year, part = int(m.group(1)), m.group(2) or "Y"
        if part.startswith("Q"):
            return cls(year, "Q", int(part[1]))
        if part in ("H1", "6M"):
            return cls(year, "H1")
        if part in ("9M", "Y"):
            return cls(year, part)
        month = int(part.removeprefix("M"))
        if not 1 <= month <= 12:
            raise ValueError(f"'{text}': tháng phải từ 1 đến 12")
        return cls(year, "M", month)

    @property
    def start(self) -> date:
        if self.kind == "M":
            return date(self.year, self.index, 1)
        if self.kind == "Q":
            return date(self.year, 3 * self.index - 2, 1)
        return date(self.year, 1, 1)

    @property
    def end(self) -> date:
        month = {"M": self.index, "Q": 3 * self.index, "H1": 6, "9M": 9, "Y": 12}[self.kind]
        return date(self.year, month, calendar.monthrange(self.year, month)[1])

    @property
    def quarters(self) -> int:
        """How many quarters of the year have ended by the period's end (for growth)."""
        return self.end.month // 3

    @property
    def label(self) -> str:
        """`Quý II năm 2025`, `6 tháng đầu năm 2025`, `9 tháng năm 2025`, `năm 2025`."""
        return {
            "M": f"tháng {self.index} năm {self.year}",
            "Q": f"Quý {ROMAN.get(self.index, '')} năm {self.year}",
            "H1": f"6 tháng đầu năm {self.year}",
            "9M": f"9 tháng năm {self.year}",
            "Y": f"năm {self.year}",
        }[self.kind]

    def __str__(self) -> str:
        part = {"M": f"{self.index:02d}", "Q": f"Q{self.index}", "H1": "H1", "9M": "9M"}
        return f"{self.year}-{part[self.kind]}" if self.kind in part else str(self.year)
