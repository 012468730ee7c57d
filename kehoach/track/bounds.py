"""Bounds on what people type: the length of free text, the date of an update, a version.

Pure checks, each raising `ValidationError` that names the field, what was sent (its length,
never the text itself) and the rule. The store calls them where it validates a write, so the
web, the CLI and the workbook import are bounded alike.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta

from ..vn import fmt_date
from .status import ValidationError

LONG_TEXT = 10_000  # a narrative, difficulties, proposals, a comment, a reason, a note
TASK_TEXT = 20_000  # a task's own text, as corrected in review
NAME = 500  # a name: of a person, an agency, a plan's issuer
SHORT = 100  # a document number, a period, a user name
NUL_RULE = "có ký tự NUL (\\x00), không văn bản nào cần: bỏ ký tự đó rồi gửi lại"  # PostgreSQL cannot store it
UPDATE_AHEAD = timedelta(days=1)  # an update may be dated tomorrow (a clock a little ahead), no later
# the free text of a progress update and of a deadline extension
UPDATE_TEXTS = {"narrative": LONG_TEXT, "difficulties": LONG_TEXT, "proposals": LONG_TEXT, "product_number": SHORT}
EXTENSION_TEXTS = {"granted_by": NAME, "reason": LONG_TEXT}


def _count(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def check_text(field: str, value: str | None, limit: int) -> str | None:
    """`value` when it has at most `limit` characters and no NUL (which PostgreSQL cannot store)."""
    if value is not None and len(value) > limit:
        raise ValidationError(field, f"{_count(len(value))} ký tự", f"tối đa {_count(limit)} ký tự")
    if value is not None and "\x00" in value:
        raise ValidationError(field, None, NUL_RULE)
    return value


def check_texts(limits: Mapping[str, int], **values: str | None) -> None:
    """Each value within its field's limit (`UPDATE_TEXTS`, `EXTENSION_TEXTS`)."""
    for field, value in values.items():
        check_text(field, value, limits[field])


def check_update_date(on: date, plan_year: int, today: date) -> date:
    """An update's date: from the January of the year before the plan's to tomorrow (Vietnam)."""
    first, last = date(plan_year - 1, 1, 1), today + UPDATE_AHEAD
    if not first <= on <= last:
        raise ValidationError(
            "on",
            fmt_date(on),
            f"ngày cập nhật phải từ {fmt_date(first)} (năm trước năm của kế hoạch) đến {fmt_date(last)}",
        )
    return on


def parse_version(value: object, field: str = "version") -> int | None:
    """The version a form was read at (optimistic locking): a positive whole number, or none."""
    if value is None or value == "":
        return None
    text = str(value).strip() if isinstance(value, str | int) and not isinstance(value, bool) else ""
    if not (text.isascii() and text.isdigit() and len(text) <= 9 and int(text) >= 1):
        raise ValidationError(field, value, "phiên bản là một số nguyên dương (như 3)")  # the message cuts it short
    return int(text)
