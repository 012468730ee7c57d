"""Vietnamese values, one of each: folding, letters, numbers, dates, periods, quarters, the clock.

Every parser here accepts what people type (`7,5`, `1.234,5`, `50%`, `31/12/2025`,
`ngày 31 tháng 12 năm 2025`, `Quý III/2026`, `6 tháng đầu năm 2026`) and raises nothing but
ValueError, with a Vietnamese message saying what was expected; every formatter's output
parses back to the same value. The CLI, the web forms, the workbook import, the report, the
store and the calendar all use these, so a value typed in one place is accepted in all.

Dates are read day first, always: `25.9.2026` is 25 September 2026, and `9.25.2026` is refused
(there is no month 25), never read month first. Vietnamese write the day first, and a date read
the other way by guess would be silently wrong where a refusal is only a retype. Two-digit
years (`31/12/25`) are refused too: the century would be a guess.

"Today" is the province's: every date shown and every default `as_of` comes from `today()`
in Asia/Ho_Chi_Minh, whatever the server's clock zone; timestamps are stored in UTC.
"""

from __future__ import annotations

import calendar
import math
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

# --- folding and letters ----------------------------------------------------------------------


def fold(text: str) -> str:
    """Lower case without diacritics, whitespace collapsed: for matching and search."""
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(text.lower().split())


def _letters(case: str) -> str:
    # `[A-ZÀ-Ỹ]` would also take the lower-case letters Unicode interleaves between `Ạ` and `Ỹ`
    wanted = "upper" if case == "CAPITAL" else "lower"
    chars = (chr(i) for i in range(0x41, 0x1EFA))
    found = (c for c in chars if getattr(c, f"is{wanted}")() and unicodedata.name(c, "").startswith(f"LATIN {case}"))
    return "[" + "".join(found) + "]"


#: the capital Latin letters, Vietnamese ones included, as a regex class
UPPER = _letters("CAPITAL")
#: the small Latin letters, Vietnamese ones included, as a regex class
LOWER = _letters("SMALL")

# --- the province's clock ---------------------------------------------------------------------

try:
    TZ: timezone | ZoneInfo = ZoneInfo("Asia/Ho_Chi_Minh")
except ZoneInfoNotFoundError:  # no tz database on the machine: Vietnam has kept UTC+7 since 1975
    TZ = timezone(timedelta(hours=7), "ICT")

#: a clock: returns the current moment, timezone-aware (the real one is `utc_now`)
Clock = Callable[[], datetime]


def utc_now() -> datetime:
    """The current moment, in UTC (as the store's timestamps are kept)."""
    return datetime.now(UTC)


def now(clock: Clock | None = None) -> datetime:
    """The current moment in Vietnam (from `clock`, else the system's)."""
    moment = (clock or utc_now)()
    if moment.tzinfo is None:
        raise ValueError("đồng hồ phải trả về thời điểm có múi giờ")
    return moment.astimezone(TZ)


def today(clock: Clock | None = None) -> date:
    """Today's date in Vietnam, whatever the server's clock zone."""
    return now(clock).date()


def local_time(value: datetime) -> datetime:
    """A stored timestamp in Vietnam time (a naive one is UTC, as SQLite returns them)."""
    return (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(TZ)


def fmt_datetime(value: datetime | str | None, empty: str = "") -> str:
    """A timestamp as shown to users, in Vietnam time: `07/12/2026 06:41`."""
    if value is None or value == "":
        return empty
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    return local_time(moment).strftime("%d/%m/%Y %H:%M")


# --- numbers ----------------------------------------------------------------------------------

_MINUS = "\u2212\u2013-"  # minus sign, en dash (as word processors turn a typed minus), hyphen
_GROUP_SPACE = re.compile(r"(?<=\d)[ \u00a0\u202f](?=\d{3}(?!\d))")  # `1 000`, `1 000 000`
_SIGNED = re.compile(r"([+\u2212\u2013-]?)\s*(.*?)\s*(%?)")
_THOUSANDS = re.compile(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?")  # 1.234,5
_DECIMAL_COMMA = re.compile(r"\d*,\d+|\d+")  # 7,5
_DECIMAL_POINT = re.compile(r"\d*\.\d+")  # 107.27 (a lone point not followed by three digits)
_ANY_DECIMAL = re.compile(r"\d*[.,]\d+|\d+")


def parse_number(text: str | float | int, *, decimal_point: bool = False) -> float:
    """Read a number as Vietnamese write it: `1.234,5` → 1234.5, `4.302` → 4302, `7,5` → 7.5,
    `-5` → -5, `50%` and `12 %` → 50 and 12 (the unit is the caller's business), `1 000` → 1000.

    A lone point followed by other than three digits (`107.27`) is a decimal point, as
    spreadsheets and scenario tables write it; with `decimal_point`, `.` and `,` are both read as
    the decimal mark (scenario indices). Raises ValueError on anything else.
    """
    if isinstance(text, bool):
        raise ValueError(f"'{text}' không phải là số")
    if isinstance(text, int | float):
        if not math.isfinite(text):
            raise ValueError(f"'{text}' không phải là số hữu hạn")
        return float(text)
    m = _SIGNED.fullmatch(_GROUP_SPACE.sub("", text.strip()))
    body = m.group(2) if m else ""
    if decimal_point:
        value = float(body.replace(",", ".")) if _ANY_DECIMAL.fullmatch(body) else None
    elif _THOUSANDS.fullmatch(body):
        value = float(body.replace(".", "").replace(",", "."))
    elif _DECIMAL_COMMA.fullmatch(body):
        value = float(body.replace(",", "."))
    elif _DECIMAL_POINT.fullmatch(body):
        value = float(body)
    else:
        value = None
    if value is None or not math.isfinite(value) or m is None:
        raise ValueError(f"'{text}' không phải là số (viết như 1.234,5 hoặc 7,5)")
    return -value if m.group(1) and m.group(1) in _MINUS else value


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


# --- dates ------------------------------------------------------------------------------------

_DAY_FIRST = re.compile(r"(?:ngay\s*)?(\d{1,2})\s*([/.-])\s*(\d{1,2})\s*\2\s*(\d+)")
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_WORDS = re.compile(r"(?:ngay\s+)?(\d{1,2})\s+thang\s+(\d{1,2})\s*(?:,\s*)?nam\s+(\d+)")
DATE_FORMS = "31/12/2025, 31-12-2025, 2025-12-31 hoặc ngày 31 tháng 12 năm 2025"


def _day_month_year(text: str) -> tuple[int, int, int] | None:
    s = fold(text)
    if m := _ISO.fullmatch(s):
        return int(m.group(3)), int(m.group(2)), int(m.group(1))
    m = _DAY_FIRST.fullmatch(s)
    if m:
        return int(m.group(1)), int(m.group(3)), _year(m.group(4), text)
    m = _WORDS.fullmatch(s)
    return (int(m.group(1)), int(m.group(2)), _year(m.group(3), text)) if m else None


def _year(digits: str, text: str) -> int:
    if len(digits) != 4:
        raise ValueError(f"'{text}': năm phải viết đủ 4 chữ số (như 2025)")
    return int(digits)


#: the years a date or a period may name: a register's documents are of the 20th century on, and
#: counting days from year 1 or 9999 (`date.min`, `date.max`) would overflow
YEARS = range(1900, 2200)


def _in_years(year: int, text: object) -> int:
    if year not in YEARS:
        raise ValueError(f"'{text}': năm phải từ {YEARS[0]} đến {YEARS[-1]}")
    return year


def parse_date(text: str | date | datetime) -> date:
    """`31/12/2025`, `31-12-2025`, `31.12.2025`, `2025-12-31`, `ngày 31 tháng 12 năm 2025` or a
    spreadsheet's date → `date`. Day first, always (see the module's docstring); ValueError else.
    """
    if isinstance(text, datetime):
        return text.date()
    if isinstance(text, date):
        return text
    if not isinstance(text, str):
        raise ValueError(f"'{text}' không phải là ngày (viết như {DATE_FORMS})")
    parts = _day_month_year(text)
    if parts is None:
        raise ValueError(f"'{text}' không phải là ngày (viết như {DATE_FORMS})")
    day, month, year = parts
    if not 1 <= month <= 12:
        raise ValueError(f"'{text}': tháng phải từ 1 đến 12 (ngày viết trước tháng, như 31/12/2025)")
    _in_years(year, text)
    try:
        return date(year, month, day)
    except ValueError:
        raise ValueError(f"'{text}' không phải là ngày có thật") from None


def fmt_date(value: date | None, empty: str = "") -> str:
    """`date(2025, 7, 5)` → `05/07/2025`."""
    return empty if value is None else f"{value.day:02d}/{value.month:02d}/{value.year:04d}"


def date_line(place: str, value: date) -> str:
    """The place and date line of Decree 30: `Trà Vinh, ngày 05 tháng 7 năm 2025`.

    Days below 10 and the months January and February take a leading zero.
    """
    month = f"{value.month:02d}" if value.month <= 2 else str(value.month)
    return f"{place}, ngày {value.day:02d} tháng {month} năm {value.year}"


@lru_cache(maxsize=2048)
def month_end(year: int, month: int) -> date:
    """The last day of a month (asked for every period of every recurring task a page shows)."""
    return date(year, month, calendar.monthrange(year, month)[1])


# --- quarters ---------------------------------------------------------------------------------

ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}
_QUARTER_TOKENS = {fold(r): q for q, r in ROMAN.items()} | {str(q): q for q in ROMAN}


def parse_quarter(text: str) -> int:
    """`III`, `iii` or `3` → 3; ValueError for anything but a quarter of the year."""
    q = _QUARTER_TOKENS.get(fold(text))
    if q is None:
        raise ValueError(f"'{text}' không phải là quý: quý phải từ I đến IV")
    return q


def quarter_of(day: date) -> int:
    """The quarter a date falls in, 1 to 4."""
    return (day.month - 1) // 3 + 1


# --- periods ----------------------------------------------------------------------------------

KINDS = ("M", "Q", "H1", "H2", "9M", "Y")
PERIOD_FORMS = (
    "2026-Q3, Quý III/2026, tháng 7/2026, 6 tháng đầu năm 2026 (2026-H1), "
    "6 tháng cuối năm 2026 (2026-H2), 9 tháng năm 2026 (2026-9M), năm 2026 (2026)"
)
_Y = r"(?:\s*(?:/|-|,)?\s*(?:nam\s*)?(\d+))?"  # an optional year after the period's name
_PERIOD_GRAMMAR: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("code", re.compile(r"(\d{4})\s*[-/ ]?\s*(q\d+|h[12]|6m|9m|y)")),  # 2026-Q3, 2026-H2, 2026 q3
    ("code", re.compile(r"(\d{4})\s*[-/]\s*(m?\d{1,2})")),  # 2026-07
    ("code_first", re.compile(r"(q\d+|h[12]|6m|9m)" + _Y)),  # Q3/2026, H2 2026
    ("quarter", re.compile(r"quy\s*([ivxl]+|\d+)" + _Y)),  # Quý 3/2026, quý III năm 2026
    ("half", re.compile(r"(?:6|sau) thang\s*(dau|cuoi)?\s*(?:nam)?" + _Y)),  # 6 tháng đầu năm 2026
    ("nine", re.compile(r"(?:9|chin) thang\s*(?:dau)?\s*(?:nam)?" + _Y)),  # 9 tháng năm 2026
    ("month", re.compile(r"(?:thang\s*)?(\d{1,2})\s*(?:/|-|nam)\s*(?:nam\s*)?(\d+)")),  # tháng 7/2026, 7/2026
    ("month_no_year", re.compile(r"thang\s*(\d{1,2})")),  # tháng 7 (with a default year)
    ("year", re.compile(r"(?:ca\s+)?(?:nam\s*)?(\d+)")),  # năm 2026, cả năm 2026, 2026
)


def _period_parts(name: str, m: re.Match[str]) -> tuple[str, int, str | None]:
    """(kind, index, year digits or None) of a matched period phrase."""
    g = m.groups()
    if name in ("code", "code_first"):
        part, year = (g[1], g[0]) if name == "code" else (g[0], g[1])
        if part.startswith("q"):
            return "Q", _quarter_index(part[1:]), year
        if part in ("h1", "6m", "h2", "9m", "y"):
            return {"6m": "H1", "y": "Y"}.get(part, part.upper()), 0, year
        return "M", int(part.removeprefix("m")), year
    if name == "quarter":
        return "Q", _quarter_index(g[0]), g[1]
    if name == "half":
        return ("H2" if g[0] == "cuoi" else "H1"), 0, g[1]
    if name == "nine":
        return "9M", 0, g[0]
    if name == "month":
        return "M", int(g[0]), g[1]
    if name == "month_no_year":
        return "M", int(g[0]), None
    return "Y", 0, g[0]


def _quarter_index(token: str) -> int:
    if token not in _QUARTER_TOKENS:
        raise ValueError("quý phải từ I đến IV")
    return _QUARTER_TOKENS[token]


@dataclass(frozen=True)
class Period:
    """A reporting period: a month, quarter, half year, nine months or year.

    `code` (`2026-Q3`, `2026-07`, `2026-H1`, `2026-H2`, `2026-9M`, `2026`) is how it is stored;
    `label` (`Quý III năm 2026`) is how it is shown; `parse` reads either, and what people type.
    """

    year: int
    kind: str = "Y"  # one of KINDS
    index: int = 0  # the month or the quarter; 0 for the others

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"loại kỳ '{self.kind}' không hợp lệ")
        if not 1 <= self.year <= 9999:
            raise ValueError(f"năm {self.year} không hợp lệ")
        limit = {"M": 12, "Q": 4}.get(self.kind, 0)
        if not (1 <= self.index <= limit if limit else self.index == 0):
            raise ValueError("tháng phải từ 1 đến 12" if self.kind == "M" else "quý phải từ I đến IV")

    @classmethod
    def parse(cls, text: str, year: int | None = None) -> Period:
        """`2026-Q3`, `Quý III/2026`, `6 tháng cuối năm 2026`, `tháng 7/2026`, `năm 2026`… → Period.

        A phrase without a year (`9 tháng`, `6 tháng cuối năm`) takes `year`, and is refused
        without one. Raises ValueError naming the accepted forms.
        """
        if not isinstance(text, str):
            raise ValueError(f"'{text}' không phải là kỳ báo cáo (viết như {PERIOD_FORMS})")
        s = fold(text).removeprefix("ky ").strip()
        for name, pattern in _PERIOD_GRAMMAR:
            m = pattern.fullmatch(s)
            if m:
                try:
                    kind, index, digits = _period_parts(name, m)
                except ValueError as e:
                    raise ValueError(f"'{text}': {e}") from None
                if digits is None and year is None:
                    raise ValueError(f"'{text}': thiếu năm (viết như {PERIOD_FORMS})")
                if digits is not None and len(digits) != 4:
                    raise ValueError(f"'{text}': năm phải viết đủ 4 chữ số (như 2026)")
                _in_years(int(digits) if digits is not None else year or 0, text)
                try:
                    return cls(int(digits) if digits is not None else year or 0, kind, index)
                except ValueError as e:
                    raise ValueError(f"'{text}': {e}") from None
        raise ValueError(f"'{text}' không phải là kỳ báo cáo (viết như {PERIOD_FORMS})")

    @classmethod
    def containing(cls, day: date, kind: str) -> Period:
        """The month (`M`), quarter (`Q`), half (`H1`/`H2`) or year (`Y`) that holds `day`."""
        if kind == "M":
            return cls(day.year, "M", day.month)
        if kind == "Q":
            return cls(day.year, "Q", quarter_of(day))
        if kind in ("H1", "H2"):
            return cls(day.year, "H1" if day.month <= 6 else "H2")
        return cls(day.year)

    @property
    def start(self) -> date:
        first = {"M": self.index, "Q": 3 * self.index - 2, "H2": 7}.get(self.kind, 1)
        return date(self.year, first, 1)

    @property
    def end(self) -> date:
        last = {"M": self.index, "Q": 3 * self.index, "H1": 6, "H2": 12, "9M": 9, "Y": 12}[self.kind]
        return month_end(self.year, last)

    @property
    def quarters(self) -> int:
        """How many quarters of the year have ended by the period's end (for growth)."""
        return self.end.month // 3

    @property
    def code(self) -> str:
        """`2026-Q3`, `2026-07`, `2026-H1`, `2026-H2`, `2026-9M`, `2026`: as the register keeps it."""
        part = {"M": f"{self.index:02d}", "Q": f"Q{self.index}", "H1": "H1", "H2": "H2", "9M": "9M"}
        return f"{self.year}-{part[self.kind]}" if self.kind in part else str(self.year)

    @property
    def label(self) -> str:
        """`Quý II năm 2025`, `6 tháng đầu năm 2025`, `9 tháng năm 2025`, `năm 2025`."""
        return {
            "M": f"tháng {self.index} năm {self.year}",
            "Q": f"Quý {ROMAN.get(self.index, '')} năm {self.year}",
            "H1": f"6 tháng đầu năm {self.year}",
            "H2": f"6 tháng cuối năm {self.year}",
            "9M": f"9 tháng năm {self.year}",
            "Y": f"năm {self.year}",
        }[self.kind]

    def last_year(self) -> Period:
        """The same period of the previous year (*cùng kỳ*)."""
        return Period(self.year - 1, self.kind, self.index)

    def __str__(self) -> str:
        return self.code
