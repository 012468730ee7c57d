"""Every error kehoach raises on purpose, in one small hierarchy with one base class.

Each class carries the HTTP status and the machine `code` the web answers with
(`{"error": {"code", "message", ...}}`), so the one exception handler needs no table. A message
states the neutral fact in the user's words and in Vietnamese (what, where, the rule broken);
each shell adds its own way forward: the command line names the option or the command to
run (`cli.track.hint`), a page its links. The tree (status, code):

    KehoachError                    400 error            the base: anything refused on purpose
    ├── ReadError                   422 unreadable       a file that cannot be read as a plan document
    │   └── NoPlanError             422 no_plan          a file read, but holding no plan
    ├── TrackError                  400 refused          a change to the register refused
    │   ├── NotFoundError           404 not_found        an id or a name the register does not know
    │   ├── ConflictError           409 conflict         changed by someone else since it was read
    │   └── ValidationError         422 invalid          a value that breaks a rule (field, value, rule)
    │       └── TooLargeError       413 too_large        a file or a request over its size limit
    ├── AuthError                   401 unauthenticated  not signed in, or the sign-in failed
    ├── ForbiddenError              403 forbidden        signed in, but not allowed to do that
    │   └── CsrfError               403 csrf             a form without the session's token
    ├── RateLimitedError            429 rate_limited     too many failed sign-ins: wait and retry
    ├── ReportError                 422 report           a report that cannot be written
    ├── WorkbookError               422 workbook         a workbook that is not one kehoach exported
    ├── GrowthError                 422 growth           growth figures the scenario cannot take
    ├── BackupError                 422 backup           a backup that cannot be written or restored
    ├── SuccessionError             500 data_file        a merger or province data file that is wrong
    └── SettingsError               500 settings         a setting with a value of the wrong kind
"""

from __future__ import annotations

import re
from typing import Any, ClassVar

#: what users call the fields that errors name (the machine name stays in the JSON's `field`)
FIELD_LABELS = {
    "percent": "Tỷ lệ hoàn thành",
    "state": "Tình trạng thực hiện",
    "status": "Tình trạng",
    "narrative": "Kết quả thực hiện",
    "difficulties": "Khó khăn, vướng mắc",
    "proposals": "Đề xuất, kiến nghị",
    "product_number": "Số văn bản sản phẩm",
    "product": "Sản phẩm đầu ra",
    "product_file": "Tệp sản phẩm",
    "file": "Tệp",
    "on": "Ngày",
    "as_of": "Ngày xem",
    "due": "Hạn",
    "deadline_due": "Hạn hoàn thành",
    "due_before": "Hạn trước ngày",
    "new_due": "Hạn mới",
    "granted_on": "Ngày cho gia hạn",
    "granted_by": "Người cho gia hạn",
    "met_on": "Ngày điều kiện xảy ra",
    "submitted_on": "Ngày gửi báo cáo",
    "start": "Từ ngày",
    "end": "Đến ngày",
    "starts": "Ngày bắt đầu",
    "ends": "Ngày kết thúc",
    "issued_date": "Ngày ban hành",
    "extra_dates": "Các hạn riêng",
    "period": "Kỳ báo cáo",
    "value": "Giá trị",
    "kind": "Loại số liệu",
    "comparator": "Phép so sánh của chỉ tiêu",
    "version": "Phiên bản",
    "expected_version": "Phiên bản",
    "frequency": "Tần suất báo cáo",
    "day": "Ngày hạn báo cáo",
    "month_offset": "Tháng hạn báo cáo",
    "agency": "Cơ quan",
    "province": "Tỉnh, thành phố",
    "actor": "Người thực hiện",
    "by": "Người thực hiện",
    "text": "Nội dung",
    "task": "Nhiệm vụ",
    "plan": "Kế hoạch",
    "document": "Văn bản",
    "username": "Tên đăng nhập",
    "password": "Mật khẩu",
    "role": "Vai trò",
    "email": "Thư điện tử",
    "active": "Trạng thái tài khoản",
    "format": "Định dạng",
    "page": "Trang",
    "limit": "Số dòng mỗi trang",
    "body": "Nội dung yêu cầu",
    "form": "Biểu mẫu",
    "confirm": "Xác nhận công bố",
    "before": "Trang",
    "after": "Trang",
}


def field_label(field: str) -> str:
    """The name users know a field by: `percent` → `Tỷ lệ hoàn thành`; `tasks[3].text` →
    `Nội dung (tasks[3])`; a field without a label keeps its own name."""
    path, _, last = field.rpartition(".")
    label = FIELD_LABELS.get(re.sub(r"\[\d+\]$", "", last))
    if label is None:
        return field
    return f"{label} ({path})" if path else label


def _shown(value: object) -> str:
    """A refused value as a message repeats it: numbers written the Vietnamese way, long text cut."""
    from .vn import fmt_number

    is_number = isinstance(value, int | float) and not isinstance(value, bool) and value == value
    text = fmt_number(value, decimals=None) if is_number and abs(value) < 1e15 else str(value)  # type: ignore[arg-type]
    return text if len(text) <= 60 else text[:59] + "…"


class KehoachError(Exception):
    """Base class: every error kehoach raises on purpose."""

    status: ClassVar[int] = 400
    code: ClassVar[str] = "error"

    def as_dict(self) -> dict[str, Any]:
        """The JSON body's `error`: `code` and `message`, and what else the class knows."""
        return {"code": self.code, "message": str(self)}

    def headers(self) -> dict[str, str]:
        """HTTP headers the answer needs (none but for a rate limit)."""
        return {}


class ReadError(KehoachError):
    """A file could not be read as a plan document."""

    status, code = 422, "unreadable"

    def __init__(self, path: object, reason: str) -> None:
        self.path = str(path)
        self.reason = reason
        super().__init__(f"{self.path}: {reason}")


class NoPlanError(ReadError):
    """The file was read but holds no plan (no tasks, indicators or heading)."""

    code = "no_plan"


class TrackError(KehoachError):
    """A change to the register (or a read of it) was refused."""

    code = "refused"


class NotFoundError(TrackError):
    """An id or name that the register does not know; `what` is the kind of record
    (`task`, `plan`, `indicator`, `duty`, `agency`…), for the shells' hints."""

    status, code = 404, "not_found"

    def __init__(self, message: str, *, what: str | None = None) -> None:
        self.what = what
        super().__init__(message)


class ConflictError(TrackError):
    """Someone else changed the record since it was read (optimistic versioning)."""

    status, code = 409, "conflict"


class ValidationError(TrackError):
    """A value broke a rule; names the field (in the user's words), the value and the rule."""

    status, code = 422, "invalid"

    def __init__(self, field: str, value: object, rule: str) -> None:
        self.field, self.value, self.rule = field, value, rule
        super().__init__(self.describe())

    @property
    def label(self) -> str:
        return field_label(self.field)

    def describe(self) -> str:
        """`Tỷ lệ hoàn thành '140' không hợp lệ: phần trăm phải từ 0 đến 100`."""
        if self.value is None or self.value == "" or f"'{self.value}'" in self.rule:
            return f"{self.label}: {self.rule}"
        return f"{self.label} '{_shown(self.value)}' không hợp lệ: {self.rule}"

    def as_dict(self) -> dict[str, Any]:
        return super().as_dict() | {"field": self.field, "label": self.label, "rule": self.rule}


class TooLargeError(ValidationError):
    """A file (or a request) larger than its limit, refused as soon as the limit is passed."""

    status, code = 413, "too_large"


class AuthError(KehoachError):
    """Not signed in, or the sign-in failed."""

    status, code = 401, "unauthenticated"


class ForbiddenError(KehoachError):
    """Signed in, but this account may not do that."""

    status, code = 403, "forbidden"


class CsrfError(ForbiddenError):
    """A form without the session's CSRF token (an old page, or another site's form)."""

    code = "csrf"


class RateLimitedError(KehoachError):
    """Too many failed sign-ins: wait `retry_after` seconds before trying again."""

    status, code = 429, "rate_limited"

    def __init__(self, message: str, retry_after: int) -> None:
        self.retry_after = retry_after
        super().__init__(message)

    def headers(self) -> dict[str, str]:
        return {"Retry-After": str(self.retry_after)}


class ReportError(KehoachError):
    """A report that cannot be written (unknown format, no converter for PDF…)."""

    status, code = 422, "report"


class WorkbookError(KehoachError):
    """A workbook that is not one kehoach exported (missing sheet, header or key)."""

    status, code = 422, "workbook"


class GrowthError(KehoachError):
    """Growth data that cannot be analysed (a column or sector the scenario does not have)."""

    status, code = 422, "growth"


class BackupError(KehoachError):
    """A backup that cannot be written or restored: says which file (or database) and why."""

    status, code = 422, "backup"

    def __init__(self, where: object, reason: str) -> None:
        where = str(where)
        if "://" in where:  # a database URL: never show its password
            from sqlalchemy.engine import make_url

            where = make_url(where).render_as_string(hide_password=True)
        self.where, self.reason = where, reason
        super().__init__(f"{where}: {reason}")


class SuccessionError(KehoachError):
    """A succession or province file that cannot be read; names the file, line and value."""

    status, code = 500, "data_file"


class SettingsError(KehoachError):
    """A setting whose value is not of its kind; names the setting, where it came from and the kind."""

    status, code = 500, "settings"
