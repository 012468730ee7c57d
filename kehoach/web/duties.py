"""Reporting duties (chế độ báo cáo) in the web: the province's list and one duty's form.

Extraction derives each duty's regime from the plan's words (`định kỳ hằng quý, trước ngày 15
của tháng cuối quý`); when it read them wrong, or the province changes the regime, the
synthesizing office corrects it here (the command line's `kehoach duty`): frequency, the day and
month of the deadline, one-off dates, the span it applies to. Every change is audited.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any

from ..track import NotFoundError, ValidationError
from ..track.bounds import parse_version
from ..track.calendar import FREQUENCIES, FREQUENCY_VI
from ..vn import parse_date
from .views import Register

PAGE_SIZE = 100  # duties per page of the list
# the deadline's month against the period's last month, as the form offers it
OFFSETS = {
    -2: "hai tháng trước tháng cuối kỳ",
    -1: "tháng trước tháng cuối kỳ",
    0: "tháng cuối kỳ",
    1: "tháng sau kỳ",
    2: "tháng thứ hai sau kỳ",
}


def _visible_duty(reg: Register, duty_id: int) -> dict:
    """The duty, when it is of the user's province; another province's answers as a missing one."""
    reg.user.require("admin", "office")
    try:
        duty = reg.db.duty(duty_id)
        reg.plan(duty["plan_id"])
    except NotFoundError:
        raise NotFoundError(f"không có chế độ báo cáo id {duty_id}") from None
    return duty


def duties_ctx(reg: Register, plan: int | None = None, page: int = 1) -> dict:
    """The reporting duties of the visible plans (or of one), a page at a time, by plan."""
    reg.user.require("admin", "office")
    plans = [reg.plan(plan)] if plan is not None else reg.plans()
    names = {p["id"]: p["number"] or p["title"] or f"#{p['id']}" for p in plans}
    rows = [d | {"plan": names[d["plan_id"]]} for d in reg.db.duties(plans=list(names))]
    pages = max(1, -(-len(rows) // PAGE_SIZE))
    if not 1 <= page <= pages:
        raise ValidationError("page", page, f"trang từ 1 đến {pages}")
    return {
        "duties": rows[(page - 1) * PAGE_SIZE : page * PAGE_SIZE],
        "total": len(rows),
        "page": page,
        "pages": pages,
        "plan": plan,
        "plans": [{"id": pid, "label": name} for pid, name in names.items()] if len(names) <= 300 else [],
    }


def duty_ctx(reg: Register, duty_id: int) -> dict:
    """One duty, its form's choices and its next deadlines (a year ahead)."""
    duty = _visible_duty(reg, duty_id)
    plan = reg.plan(duty["plan_id"])
    ahead = reg.db.calendar(reg.as_of, reg.as_of + timedelta(days=366), plan=duty["plan_id"], as_of=reg.as_of)
    upcoming = sorted({(r["due"], r["period"]) for r in ahead if r["duty_id"] == duty_id})[:12]
    return {
        "duty": duty,
        "plan": {"id": plan["id"], "number": plan["number"], "title": plan["title"]},
        "upcoming": [{"due": due, "period": period} for due, period in upcoming],
        "frequencies": [{"value": f, "label": FREQUENCY_VI.get(f, f)} for f in FREQUENCIES],
        "offsets": [{"value": k, "label": v} for k, v in OFFSETS.items()],
    }


def _int(form: Mapping[str, Any], key: str, label: str, low: int, high: int) -> int | None:
    raw = form.get(key)
    if raw is None or str(raw).strip() == "":
        return None
    try:
        value = int(str(raw).strip())
    except ValueError:
        raise ValidationError(key, raw, f"{label} là một số nguyên từ {low} đến {high}") from None
    if not low <= value <= high:
        raise ValidationError(key, raw, f"{label} từ {low} đến {high}")
    return value


def _day(form: Mapping[str, Any], key: str, label: str) -> date | None:
    raw = form.get(key)
    if raw is None or str(raw).strip() == "":
        return None
    try:
        return parse_date(str(raw))
    except ValueError as e:
        raise ValidationError(key, raw, f"{label}: {e}") from None


def _dates(form: Mapping[str, Any]) -> list[date] | None:
    """One-off deadlines: a JSON list, or a form field of dates separated by `;`, `,` or new lines."""
    raw = form.get("extra_dates")
    if raw is None:
        return None
    items = raw if isinstance(raw, list) else str(raw).replace("\n", ";").replace(",", ";").split(";")
    out = []
    for item in (str(x).strip() for x in items):
        if item:
            try:
                out.append(parse_date(item))
            except ValueError as e:
                raise ValidationError("extra_dates", item, f"mỗi hạn riêng là một ngày: {e}") from None
    return sorted(set(out))


def edit_duty(reg: Register, duty_id: int, form: Mapping[str, Any]) -> dict:
    """Change a duty's regime: the synthesizing office of its province, or an administrator."""
    _visible_duty(reg, duty_id)
    frequency = (str(form.get("frequency") or "").strip() or None) if "frequency" in form else None
    if frequency is not None and frequency not in FREQUENCIES:
        choices = ", ".join(FREQUENCY_VI.get(f, f) for f in FREQUENCIES)
        raise ValidationError("frequency", frequency, f"chọn một trong: {choices}")
    starts, ends = _day(form, "starts", "Áp dụng từ ngày"), _day(form, "ends", "Áp dụng đến ngày")
    if starts and ends and ends < starts:
        raise ValidationError("ends", form.get("ends"), "ngày kết thúc phải từ ngày bắt đầu trở đi")
    return reg.db.edit_duty(
        duty_id,
        actor=reg.user.username,
        frequency=frequency,
        day=_int(form, "day", "Ngày hạn trong tháng", 1, 31),
        month_offset=_int(form, "month_offset", "Tháng của hạn", -11, 11),
        extra_dates=_dates(form),
        starts=starts,
        ends=ends,
        expected_version=parse_version(form.get("version")),
    )
