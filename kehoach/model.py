"""The plan as typed data: what a plan document says, made structured.

`Plan` is what extraction returns and what the store ingests. Its export is the plan/v1
interchange format (`../shared/eval/PLAN_FORMAT.md`): `Plan.as_dict()` writes it,
`Plan.from_dict()` reads it back and validates every field, naming the one that breaks a
rule (`tasks[3].deadline.due`) in Vietnamese.

Beyond plan/v1, each task, indicator and reporting duty may say why a person should look at
it (`review`, codes from `REVIEW`) and where it stands in the text it was read from
(`source`: 1-based first and last line, and the page when the reader knows it); the plan
keeps `warnings` about what could not be read. These keys are optional: `as_dict(extras=False)`
leaves them out and gives plain plan/v1.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any, TypeVar

from .errors import ValidationError

FORMAT = "plan/v1"
COMPARATORS = ("=", ">=", ">", "<=", "<", "range", "qualitative")
FREQUENCIES = ("monthly", "quarterly", "semiannual", "annual", "once", "periodic")

# Why a person should look at an extracted item: code → the label the review screen shows.
REVIEW: dict[str, str] = {
    "no_lead": "Chưa xác định được đơn vị chủ trì",
    "lead_collective": "Đơn vị chủ trì chỉ là tên chung (các sở, ngành, địa phương...)",
    "lead_inherited": "Đơn vị chủ trì lấy từ đề mục hoặc câu dẫn phía trên",
    "lead_unknown": "Đơn vị chủ trì không có trong danh mục cơ quan: kiểm tra tên",
    "lead_is_person": "Nhiệm vụ giao cho cá nhân (cán bộ, công chức), không cho cơ quan",
    "request_outside": "Đề nghị, mời cơ quan ngoài thẩm quyền của cơ quan ban hành",
    "heading_maybe_task": "Đề mục có thể là một nhiệm vụ",
    "lead_in_maybe_task": "Câu dẫn (kết thúc bằng dấu hai chấm) có thể là một nhiệm vụ",
    "deadline_from_prose": "Thời hạn đọc từ lời văn của nhiệm vụ, không từ cột hay dòng thời gian",
    "deadline_no_date": "Có thời hạn nhưng không xác định được ngày cụ thể",
    "deadline_inherited": "Thời hạn lấy từ đề mục hoặc dòng thời gian chung",
    "restated_by_appendix": "Phụ lục nhắc lại nhiệm vụ trong thân văn bản (chỉ tính một lần)",
    "table_merged_cell": "Giá trị lấy từ ô gộp của bảng",
    "also_reporting": "Nhiệm vụ đồng thời là chế độ báo cáo",
    "long_text": "Nội dung rất dài: có thể gộp nhiều nhiệm vụ",
    "no_target": "Chỉ tiêu không có con số đo được",
    "no_recipient": "Không xác định được nơi nhận báo cáo",
    "frequency_guessed": "Kỳ báo cáo không nêu rõ",
}


@dataclass
class Span:
    """Where an item stands in the text the reader produced: 1-based lines, and the page."""

    line: int
    line_end: int
    page: int | None = None

    def as_dict(self) -> dict[str, int]:
        out = {"line": self.line, "line_end": self.line_end}
        if self.page is not None:
            out["page"] = self.page
        return out

    @classmethod
    def from_dict(cls, d: Any, where: str) -> Span:
        m = _mapping(d, where)
        line = _int(m.get("line"), f"{where}.line")
        end = _int(m.get("line_end", line), f"{where}.line_end")
        page = m.get("page")
        if line < 1 or end < line:
            raise ValidationError(f"{where}.line_end", end, "dòng cuối phải từ dòng đầu trở đi (dòng đếm từ 1)")
        return cls(line, end, None if page is None else _int(page, f"{where}.page"))


@dataclass
class Deadline:
    text: str
    due: date | None = None
    recurring: bool = False
    condition: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "due": self.due.isoformat() if self.due else None,
            "recurring": self.recurring,
            "condition": self.condition,
        }

    @classmethod
    def from_dict(cls, d: Any, where: str) -> Deadline:
        m = _mapping(d, where)
        return cls(
            text=_str(m.get("text") or "", f"{where}.text"),
            due=_date(m.get("due"), f"{where}.due"),
            recurring=bool(m.get("recurring")),
            condition=_opt_str(m.get("condition"), f"{where}.condition"),
        )


@dataclass
class Task:
    section: str
    text: str
    lead: list[str] = field(default_factory=list)
    coordinate: list[str] = field(default_factory=list)
    monitor: list[str] = field(default_factory=list)
    deadline: Deadline | None = None
    review: list[str] = field(default_factory=list)
    source: Span | None = None

    def as_dict(self, extras: bool = True) -> dict[str, Any]:
        out: dict[str, Any] = {
            "section": self.section,
            "text": self.text,
            "lead": list(self.lead),
            "coordinate": list(self.coordinate),
            "monitor": list(self.monitor),
            "deadline": self.deadline.as_dict() if self.deadline else None,
        }
        return _with_extras(out, self.review, self.source, extras)

    @classmethod
    def from_dict(cls, d: Any, where: str) -> Task:
        m = _mapping(d, where)
        text = _str(m.get("text"), f"{where}.text")
        if not text.strip():
            raise ValidationError(f"{where}.text", text, "mỗi nhiệm vụ cần nội dung (text)")
        dl = m.get("deadline")
        return cls(
            section=_str(m.get("section") or "", f"{where}.section"),
            text=text,
            lead=_names(m.get("lead"), f"{where}.lead"),
            coordinate=_names(m.get("coordinate"), f"{where}.coordinate"),
            monitor=_names(m.get("monitor"), f"{where}.monitor"),
            deadline=None if dl is None else Deadline.from_dict(dl, f"{where}.deadline"),
            review=_review(m.get("review"), f"{where}.review"),
            source=_span(m.get("source"), f"{where}.source"),
        )


@dataclass
class Target:
    name: str
    comparator: str
    value: float | None = None
    min: float | None = None
    max: float | None = None
    unit: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "comparator": self.comparator,
            "value": _number_out(self.value),
            "min": _number_out(self.min),
            "max": _number_out(self.max),
            "unit": self.unit,
        }

    @classmethod
    def from_dict(cls, d: Any, where: str) -> Target:
        m = _mapping(d, where)
        comparator = m.get("comparator") or "="
        if comparator not in COMPARATORS:
            raise ValidationError(f"{where}.comparator", comparator, f"phải là một trong {', '.join(COMPARATORS)}")
        t = cls(
            name=_str(m.get("name") or "", f"{where}.name"),
            comparator=comparator,
            value=_number(m.get("value"), f"{where}.value"),
            min=_number(m.get("min"), f"{where}.min"),
            max=_number(m.get("max"), f"{where}.max"),
            unit=_opt_str(m.get("unit"), f"{where}.unit"),
        )
        if comparator == "range" and t.min is not None and t.max is not None and t.min > t.max:
            raise ValidationError(f"{where}.min", t.min, f"khoảng phải từ số nhỏ đến số lớn (max = {t.max})")
        return t


@dataclass
class Indicator:
    group: str
    text: str
    agency: list[str] = field(default_factory=list)
    year: str | None = None
    targets: list[Target] = field(default_factory=list)
    review: list[str] = field(default_factory=list)
    source: Span | None = None

    def as_dict(self, extras: bool = True) -> dict[str, Any]:
        out: dict[str, Any] = {
            "group": self.group,
            "text": self.text,
            "agency": list(self.agency),
            "year": self.year,
            "targets": [t.as_dict() for t in self.targets],
        }
        return _with_extras(out, self.review, self.source, extras)

    @classmethod
    def from_dict(cls, d: Any, where: str) -> Indicator:
        m = _mapping(d, where)
        year = m.get("year")
        return cls(
            group=_str(m.get("group") or "", f"{where}.group"),
            text=_str(m.get("text") or "", f"{where}.text"),
            agency=_names(m.get("agency"), f"{where}.agency"),
            year=None if year is None else str(year),
            targets=_list(m.get("targets"), f"{where}.targets", Target.from_dict),
            review=_review(m.get("review"), f"{where}.review"),
            source=_span(m.get("source"), f"{where}.source"),
        )


@dataclass
class ScenarioRow:
    code: str | None
    name: str
    values: list[float | None]

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "name": self.name, "values": [_number_out(v) for v in self.values]}

    @classmethod
    def from_dict(cls, d: Any, where: str) -> ScenarioRow:
        m = _mapping(d, where)
        values = m.get("values") or []
        if not isinstance(values, list):
            raise ValidationError(f"{where}.values", values, "phải là một danh sách số")
        return cls(
            code=_opt_str(m.get("code"), f"{where}.code"),
            name=_str(m.get("name") or "", f"{where}.name"),
            values=[_number(v, f"{where}.values[{i}]") for i, v in enumerate(values)],
        )


@dataclass
class Scenario:
    title: str
    columns: list[str]
    rows: list[ScenarioRow] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"title": self.title, "columns": list(self.columns), "rows": [r.as_dict() for r in self.rows]}

    @classmethod
    def from_dict(cls, d: Any, where: str) -> Scenario:
        m = _mapping(d, where)
        return cls(
            title=_str(m.get("title") or "", f"{where}.title"),
            columns=_names(m.get("columns"), f"{where}.columns"),
            rows=_list(m.get("rows"), f"{where}.rows", ScenarioRow.from_dict),
        )


@dataclass
class Duty:
    """A reporting duty (chế độ báo cáo): who reports to whom, how often, by which dates."""

    reporters: list[str]
    recipient: str | None
    frequency: str
    deadlines: list[date] = field(default_factory=list)
    text: str = ""
    review: list[str] = field(default_factory=list)
    source: Span | None = None

    def as_dict(self, extras: bool = True) -> dict[str, Any]:
        out: dict[str, Any] = {
            "reporters": list(self.reporters),
            "recipient": self.recipient,
            "frequency": self.frequency,
            "deadlines": [d.isoformat() for d in self.deadlines],
            "text": self.text,
        }
        return _with_extras(out, self.review, self.source, extras)

    @classmethod
    def from_dict(cls, d: Any, where: str) -> Duty:
        m = _mapping(d, where)
        frequency = m.get("frequency") or "periodic"
        if frequency not in FREQUENCIES:
            raise ValidationError(f"{where}.frequency", frequency, f"phải là một trong {', '.join(FREQUENCIES)}")
        dates = m.get("deadlines") or []
        if not isinstance(dates, list):
            raise ValidationError(f"{where}.deadlines", dates, "phải là một danh sách ngày YYYY-MM-DD")
        return cls(
            reporters=_names(m.get("reporters"), f"{where}.reporters"),
            recipient=_opt_str(m.get("recipient"), f"{where}.recipient"),
            frequency=frequency,
            deadlines=[d for i, x in enumerate(dates) if (d := _date(x, f"{where}.deadlines[{i}]"))],
            text=_str(m.get("text") or "", f"{where}.text"),
            review=_review(m.get("review"), f"{where}.review"),
            source=_span(m.get("source"), f"{where}.source"),
        )


@dataclass
class Document:
    """The document's identity from its Decree 30/2020 heading block and signature."""

    doc_type: str | None = None
    number: str | None = None
    issuer: str | None = None
    province: str | None = None
    issued_date: date | None = None
    title: str | None = None
    implements: list[str] = field(default_factory=list)
    signer_name: str | None = None
    signer_title: str | None = None
    growth_target: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "doc_type": self.doc_type,
            "number": self.number,
            "issuer": self.issuer,
            "province": self.province,
            "issued_date": self.issued_date.isoformat() if self.issued_date else None,
            "title": self.title,
            "implements": list(self.implements),
            "signer_name": self.signer_name,
            "signer_title": self.signer_title,
            "growth_target": self.growth_target,
        }

    @classmethod
    def from_dict(cls, d: Any, where: str = "document") -> Document:
        m = _mapping(d, where)
        texts = {k: _opt_str(m.get(k), f"{where}.{k}") for k in _DOCUMENT_TEXTS}
        return cls(
            issued_date=_date(m.get("issued_date"), f"{where}.issued_date"),
            implements=_names(m.get("implements"), f"{where}.implements"),
            **texts,
        )


_DOCUMENT_TEXTS = ("doc_type", "number", "issuer", "province", "title", "signer_name", "signer_title", "growth_target")


@dataclass
class Warning:
    """Something the extractor could not read: where (line, page) and what."""

    line: int | None
    message: str
    page: int | None = None

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"line": self.line, "message": self.message}
        if self.page is not None:
            out["page"] = self.page
        return out

    @classmethod
    def from_dict(cls, d: Any, where: str) -> Warning:
        m = _mapping(d, where)
        line, page = m.get("line"), m.get("page")
        return cls(
            line=None if line is None else _int(line, f"{where}.line"),
            message=_str(m.get("message") or "", f"{where}.message"),
            page=None if page is None else _int(page, f"{where}.page"),
        )


@dataclass
class Plan:
    source: str
    document: Document = field(default_factory=Document)
    tasks: list[Task] = field(default_factory=list)
    indicators: list[Indicator] = field(default_factory=list)
    scenarios: list[Scenario] = field(default_factory=list)
    reporting: list[Duty] = field(default_factory=list)
    warnings: list[Warning] = field(default_factory=list)

    def as_dict(self, extras: bool = True) -> dict[str, Any]:
        """The plan as plan/v1; with `extras`, also each item's `review` and `source` and the
        plan's `warnings` (optional keys plan/v1 readers ignore)."""
        out: dict[str, Any] = {
            "format": FORMAT,
            "source": self.source,
            "document": self.document.as_dict(),
            "tasks": [t.as_dict(extras) for t in self.tasks],
            "indicators": [i.as_dict(extras) for i in self.indicators],
            "scenarios": [s.as_dict() for s in self.scenarios],
            "reporting": [r.as_dict(extras) for r in self.reporting],
        }
        if extras and self.warnings:
            out["warnings"] = [w.as_dict() for w in self.warnings]
        return out

    @classmethod
    def from_dict(cls, d: Any) -> Plan:
        """Read and validate a plan/v1 dict; `ValidationError` names the first field that breaks a rule."""
        m = _mapping(d, "plan", "cần một đối tượng JSON plan/v1")
        if m.get("format", FORMAT) != FORMAT:
            raise ValidationError("format", m.get("format"), f"chỉ nhận định dạng {FORMAT}")
        if not isinstance(m.get("document"), Mapping):
            raise ValidationError("document", m.get("document"), f"{FORMAT} cần mục document")
        return cls(
            source=_str(m.get("source") or "", "source"),
            document=Document.from_dict(m["document"]),
            tasks=_list(m.get("tasks"), "tasks", Task.from_dict),
            indicators=_list(m.get("indicators"), "indicators", Indicator.from_dict),
            scenarios=_list(m.get("scenarios"), "scenarios", Scenario.from_dict),
            reporting=_list(m.get("reporting"), "reporting", Duty.from_dict),
            warnings=_list(m.get("warnings"), "warnings", Warning.from_dict),
        )


# --- reading and checking values ---------------------------------------------------------------

T = TypeVar("T")


def _with_extras(out: dict[str, Any], review: list[str], source: Span | None, extras: bool) -> dict[str, Any]:
    if extras:
        if review:
            out["review"] = list(review)
        if source is not None:
            out["source"] = source.as_dict()
    return out


def _mapping(d: Any, where: str, rule: str = "phải là một đối tượng JSON") -> Mapping[str, Any]:
    if not isinstance(d, Mapping):
        raise ValidationError(where, type(d).__name__, rule)
    return d


def _list(d: Any, where: str, read: Callable[[Any, str], T]) -> list[T]:
    if d is None:
        return []
    if not isinstance(d, list):
        raise ValidationError(where, type(d).__name__, "phải là một danh sách")
    return [read(x, f"{where}[{i}]") for i, x in enumerate(d)]


def _str(d: Any, where: str) -> str:
    if not isinstance(d, str):
        raise ValidationError(where, d, "phải là một chuỗi chữ")
    return d


def _opt_str(d: Any, where: str) -> str | None:
    return None if d is None else _str(d, where)


def _int(d: Any, where: str) -> int:
    if isinstance(d, bool) or not isinstance(d, int):
        raise ValidationError(where, d, "phải là một số nguyên")
    return d


def _number(d: Any, where: str) -> float | None:
    if d is None:
        return None
    if isinstance(d, bool) or not isinstance(d, int | float):
        raise ValidationError(where, d, "phải là một số (viết 7.5, không viết '7,5%')")
    return float(d)


def _number_out(x: float | None) -> int | float | None:
    return int(x) if x is not None and float(x).is_integer() else x


def _date(d: Any, where: str) -> date | None:
    if d is None or (isinstance(d, date)):
        return d
    if isinstance(d, str):
        try:
            return date.fromisoformat(d)
        except ValueError:
            pass
    raise ValidationError(where, d, "ngày phải có dạng YYYY-MM-DD")


def _names(d: Any, where: str) -> list[str]:
    if d is None:
        return []
    if not isinstance(d, list) or not all(isinstance(x, str) for x in d):
        raise ValidationError(where, d, "phải là một danh sách tên (chuỗi chữ)")
    return list(d)


def _review(d: Any, where: str) -> list[str]:
    codes = _names(d, where)
    for code in codes:
        if code not in REVIEW:
            raise ValidationError(where, code, f"mã cần xem lại phải là một trong {', '.join(REVIEW)}")
    return codes


def _span(d: Any, where: str) -> Span | None:
    return None if d is None else Span.from_dict(d, where)
