"""The audit log in Vietnamese words: who did what to which record, before → after.

`describe(entry, subjects)` turns one raw entry (`update`, `task 80`, `{"state": "not_started"}`)
into what an office reads: "Nguyễn Văn A cập nhật nhiệm vụ «Đẩy nhanh giải ngân…»: tiến độ
40 % → 60 %, trạng thái Đang thực hiện → Hoàn thành". `subjects` are the names the store read
for a page of entries at once (`Database.audit_subjects`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from ..store.web import ROLE_VI
from ..track import ValidationError
from ..track.calendar import FREQUENCY_VI
from ..vn import TZ, Period, fmt_date, fmt_number, parse_date
from . import accounts, queue

if TYPE_CHECKING:
    from .views import Register

# (entity, action) → the verb and what it acts on
ACTIONS: dict[tuple[str, str], str] = {
    ("task", "update"): "cập nhật nhiệm vụ",
    ("task", "extend"): "gia hạn nhiệm vụ",
    ("task", "condition"): "ghi nhận điều kiện đã xảy ra của nhiệm vụ",
    ("task", "comment"): "góp ý về nhiệm vụ",
    ("task", "attach"): "đính kèm tệp vào nhiệm vụ",
    ("indicator", "value"): "nhập số liệu chỉ tiêu",
    ("indicator", "edit"): "sửa chỉ tiêu",
    ("duty", "edit"): "sửa chế độ báo cáo",
    ("duty", "submit"): "ghi nhận đã gửi báo cáo theo chế độ",
    ("plan", "ingest"): "nạp kế hoạch",
    ("agency", "refresh"): "cập nhật sáp nhập cơ quan",
    ("draft", "upload"): "tải lên văn bản",
    ("draft", "correct"): "sửa bản rà soát",
    ("draft", "publish"): "công bố kế hoạch từ bản rà soát",
    ("user", "create"): "thêm tài khoản",
    ("user", "lock"): "khóa tài khoản",
    ("user", "unlock"): "mở khóa tài khoản",
    ("user", "password"): "đổi mật khẩu tài khoản",
}
ENTITIES = {
    "task": "nhiệm vụ",
    "plan": "kế hoạch",
    "indicator": "chỉ tiêu",
    "duty": "chế độ báo cáo",
    "draft": "bản rà soát",
    "user": "tài khoản",
    "agency": "cơ quan",
}
FIELDS = {
    "percent": "tiến độ",
    "state": "trạng thái",
    "done_on": "ngày hoàn thành",
    "product_number": "văn bản sản phẩm",
    "product_file": "tệp sản phẩm",
    "condition_met_on": "ngày điều kiện xảy ra",
    "condition_due": "hạn sau khi điều kiện xảy ra",
    "due": "hạn",
    "granted_by": "người cho phép",
    "period": "kỳ",
    "value": "giá trị",
    "kind": "loại số liệu",
    "cumulative": "lũy kế",
    "lower_is_better": "chỉ tiêu càng thấp càng tốt",
    "frequency": "tần suất",
    "day": "ngày hạn trong tháng",
    "month_offset": "tháng của hạn so với cuối kỳ",
    "extra_dates": "các hạn riêng",
    "starts": "áp dụng từ",
    "ends": "áp dụng đến",
    "text": "nội dung",
    "section": "mục",
    "lead": "chủ trì",
    "coordinate": "phối hợp",
    "monitor": "theo dõi",
    "deadline": "thời hạn",
    "review": "cần xem xét",
    "reviewed": "đã xem",
    "number": "số ký hiệu",
    "doc_type": "loại văn bản",
    "issuer": "cơ quan ban hành",
    "province": "tỉnh, thành phố",
    "issued_date": "ngày ban hành",
    "title": "trích yếu",
    "group": "nhóm",
    "year": "năm",
    "agency": "đơn vị",
    "targets": "mục tiêu",
    "role": "vai trò",
    "file": "tệp",
    "size": "dung lượng",
    "username": "tên đăng nhập",
    "submitted_on": "ngày gửi",
    "source": "tệp",
    "tasks": "số nhiệm vụ",
}
# bookkeeping the log keeps but a reader does not need
HIDDEN = {"version", "update_id", "value_id", "comment_id", "what", "plan_id", "source_line"}
PROGRESS = {"not_started": "Chưa thực hiện", "in_progress": "Đang thực hiện", "done": "Hoàn thành"}
VALUE_KINDS = {"estimate": "ước thực hiện", "official": "chính thức"}
DIFF = {
    "added": "thêm",
    "removed": "bỏ",
    "reassigned": "đổi chủ trì",
    "deadline_moved": "đổi thời hạn",
    "reworded": "sửa nội dung",
}
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_INDEX = re.compile(r"(tasks|indicators|reporting)\[(\d+)\]")
ITEMS = {"tasks": "nhiệm vụ", "indicators": "chỉ tiêu", "reporting": "chế độ báo cáo"}
SHORT = 90  # characters of a task's text in a sentence


def short(text: str | None, limit: int = SHORT) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def show(key: str, value: Any) -> str:
    """One value as a person reads it."""
    if value is None or value == [] or value == "":
        return "(trống)"
    if isinstance(value, bool):
        return "có" if value else "không"
    if key == "state":
        return PROGRESS.get(value, str(value))
    if key == "percent" and isinstance(value, int | float):
        return f"{fmt_number(value)} %"
    if key == "frequency":
        return FREQUENCY_VI.get(value, str(value))
    if key == "kind":
        return VALUE_KINDS.get(value, str(value))
    if key == "role":
        return ROLE_VI.get(value, str(value))
    if key == "period":
        return _period(str(value))
    if key in ("review", "reviewed") and isinstance(value, list):
        return "; ".join(queue.label(str(c)) for c in value)
    if key == "deadline" and isinstance(value, dict):
        due = _date(value.get("due")) if value.get("due") else ""
        return " ".join(x for x in (value.get("text") or "", f"({due})" if due else "") if x) or "(trống)"
    if isinstance(value, int | float):
        return fmt_number(value)
    if isinstance(value, list):
        return "; ".join(show(key, v) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{FIELDS.get(k, k)} {show(k, v)}" for k, v in value.items() if k not in HIDDEN)
    return _date(value) if isinstance(value, str) and _ISO_DATE.fullmatch(value[:10]) else str(value)


def _date(value: Any) -> str:
    try:
        return fmt_date(date.fromisoformat(str(value)[:10]))
    except ValueError:
        return str(value)


def _period(code: str) -> str:
    try:
        return Period.parse(code).label
    except ValueError:
        return code


def changes(before: dict | None, after: dict | None) -> list[dict]:
    """The fields that changed, in the log's order, as {field, label, before, after} (shown)."""
    before, after = before or {}, after or {}
    out = []
    rank = {k: i for i, k in enumerate(FIELDS)}  # progress first, then state, dates, the rest
    for key in sorted(dict.fromkeys([*after, *before]), key=lambda k: rank.get(k, len(rank))):
        if key in HIDDEN or before.get(key) == after.get(key):
            continue
        if key not in after:  # the entry records what was, not a change to it
            continue
        out.append(
            {
                "field": key,
                "label": FIELDS.get(key, key),
                "before": show(key, before.get(key)) if key in before else None,
                "after": show(key, after.get(key)),
            }
        )
    return out


def _who(actor: str, subjects: dict[str, dict]) -> dict:
    account = subjects.get(f"actor:{actor}")
    if account is None:  # the command line (a login name), the demonstration, the system
        return {"name": actor, "agency": None, "role": None}
    return {
        "name": account["name"] or actor,
        "agency": account.get("agency"),
        "role": ROLE_VI.get(account.get("role") or "", None),
    }


def subject(entity: str, entity_id: int, subjects: dict[str, dict]) -> dict:
    """What an entry is about: a label and where to see it (None when it is gone)."""
    found = subjects.get(f"{entity}:{entity_id}")
    kind = ENTITIES.get(entity, entity)
    if entity == "agency":  # the mergers as a whole, not one agency
        return {"kind": kind, "label": "", "link": None}
    if found is None:
        return {"kind": kind, "label": f"{kind} số {entity_id}", "link": None}
    if entity == "task":
        return {"kind": kind, "label": short(found["text"]), "link": f"/tasks/{entity_id}"}
    if entity == "plan":
        label = " ".join(x for x in (found["number"], short(found["title"], 70)) if x)
        return {"kind": kind, "label": label or f"{kind} số {entity_id}", "link": f"/plans/{entity_id}"}
    if entity == "indicator":
        return {"kind": kind, "label": short(found["name"]), "link": f"/plans/{found['plan_id']}#indicators"}
    if entity == "duty":
        return {"kind": kind, "label": short(found["text"]), "link": f"/plans/{found['plan_id']}#duties"}
    if entity == "draft":
        return {"kind": kind, "label": found["source"], "link": f"/drafts/{entity_id}"}
    if entity == "user":
        return {"kind": kind, "label": f"{found['name']} ({found['username']})", "link": None}
    return {"kind": kind, "label": f"{kind} số {entity_id}", "link": None}


def _draft_details(before: dict | None, after: dict | None) -> tuple[str, list[dict]]:
    """A correction in review: which item (`nhiệm vụ 4`) and the fields that changed in it."""
    after = dict(after or {})
    what = str(after.pop("what", ""))
    m = _INDEX.search(what)
    kind, number = (ITEMS[m.group(1)], int(m.group(2)) + 1) if m else ("", 0)
    where = f"{kind} {number}" if m else ""
    if what.startswith("merge"):
        return f"gộp {where} với {kind} {number + 1}", []
    if what.startswith("split"):
        return f"tách {where} thành {len(after.get('tasks') or [])} nhiệm vụ", []
    if what.startswith("delete"):
        return f"xóa {where}", []
    if what.startswith("seen"):
        seen = [c for c in after.get("reviewed") or [] if c not in ((before or {}).get("reviewed") or [])]
        return f"đã xem {where}, giữ nguyên ({show('reviewed', seen)})", []
    inner = next((k for k in ("task", "indicator") if isinstance(after.get(k), dict)), None)
    if inner:
        return where, changes((before or {}).get(inner), after[inner])
    return where or ("thông tin văn bản" if what == "document" else what), changes(before, after)


def _plan_details(after: dict | None) -> str:
    after = after or {}
    parts = [f"phiên bản {after['version']}"] if after.get("version") else []
    if after.get("tasks") is not None:
        parts.append(f"{after['tasks']} nhiệm vụ")
    diff = after.get("diff") or {}
    parts += [f"{DIFF.get(k, k)} {n}" for k, n in diff.items() if n]
    return ", ".join(parts)


def _value_details(before: dict | None, after: dict) -> str:
    """`kỳ Quý I năm 2025, giá trị 1.059 (ước thực hiện), thay cho 1.058`."""
    text = f"kỳ {show('period', after.get('period'))}, giá trị {show('value', after.get('value'))}"
    text += f" ({show('kind', after.get('kind'))}{', lũy kế' if after.get('cumulative') else ''})"
    if before and before.get("value") is not None:
        text += f", thay cho {show('value', before['value'])}"
    return text


def _details(entity: str, action: str, before: dict | None, after: dict | None) -> tuple[str, list[dict]]:
    """What the sentence says after the record: a phrase, and the fields that changed."""
    a = after or {}
    if entity == "draft" and action == "correct":
        return _draft_details(before, after)
    if entity == "plan" and action == "ingest":
        return _plan_details(after), []
    if entity == "draft" and action == "upload":
        return (f"{a['tasks']} nhiệm vụ" if a.get("tasks") is not None else ""), []
    if entity == "draft" and action == "publish":
        return (f"phiên bản {a['version']}" if a.get("version") else ""), []
    if entity == "duty" and action == "submit":
        period, on = show("period", a.get("period")), show("on", a.get("submitted_on"))
        return f"{a.get('agency') or ''} đã gửi báo cáo {period}, ngày {on}", []
    if entity == "indicator" and action == "value":
        return _value_details(before, a), []
    if entity == "task" and action == "attach":
        return str(a.get("file") or ""), []
    if entity == "agency":
        return (f"{a['changed']} liên kết thay đổi" if a.get("changed") is not None else ""), []
    if entity == "user":
        shown = {k: v for k, v in a.items() if k != "username"} if action == "create" else {}
        return "", changes(None, shown)
    if (entity, action) == ("task", "comment"):
        return "", []
    return "", changes(before, after)


def _sentence(who: str, verb: str, label: str, detail: str, changed: list[dict]) -> str:
    listed = ", ".join(
        f"{c['label']} {c['before']} → {c['after']}" if c["before"] is not None else f"{c['label']} {c['after']}"
        for c in changed
    )
    tail = "; ".join(x for x in (detail, listed) if x)
    return f"{who} {verb}" + (f" «{label}»" if label else "") + (f": {tail}" if tail else "")


def describe(entry: dict, subjects: dict[str, dict]) -> dict:
    """One entry in words: `text` is the whole sentence; the parts are there for the page."""
    entity, action = entry["entity"], entry["action"]
    who = _who(entry["actor"], subjects)
    what = subject(entity, entry["entity_id"], subjects)
    verb = ACTIONS.get((entity, action), f"thay đổi {ENTITIES.get(entity, entity)}")
    detail, changed = _details(entity, action, entry.get("before"), entry.get("after"))
    label = what["label"]
    return {
        "id": entry["id"],
        "at": entry["at"],
        "actor": entry["actor"],
        "who": who,
        "verb": verb,
        "subject": what,
        "detail": detail,
        "changes": changed,
        "text": _sentence(who["name"], verb, label, detail, changed),
    }


# --- the page -----------------------------------------------------------------------------------

PAGE_SIZE = 50
FILTERS = ("actor", "agency", "plan", "start", "end")


def _day(query: Mapping[str, str], key: str) -> date | None:
    raw = (query.get(key) or "").strip()
    if not raw:
        return None
    try:
        return parse_date(raw)
    except ValueError as e:
        raise ValidationError(key, raw, str(e)) from None


def _id(query: Mapping[str, str], key: str, label: str) -> int | None:
    raw = (query.get(key) or "").strip()
    if not raw:
        return None
    if not (raw.isascii() and raw.isdigit() and len(raw) <= 10 and 1 <= int(raw) <= 2**31 - 1):
        raise ValidationError(key, raw, f"{label} là một số nguyên dương (tối đa 2.147.483.647)")
    return int(raw)


def _midnight(day: date) -> datetime:
    """The first moment of a day in Vietnam (the log keeps UTC)."""
    return datetime.combine(day, time(), tzinfo=TZ)


def filters(reg: Register, query: Mapping[str, str]) -> dict[str, Any]:
    """The page's filters, read and checked: each names its field in Vietnamese when wrong."""
    since, until = _day(query, "start"), _day(query, "end")
    if since and until and until < since:
        raise ValidationError("end", query.get("end"), "phải từ ngày bắt đầu (Từ ngày) trở đi")
    plan = _id(query, "plan", "Kế hoạch")
    if plan is not None:
        reg.plan(plan)  # visible to the user, or refused
    return {
        "actor": (query.get("actor") or "").strip()[:200] or None,
        "agency": (query.get("agency") or "").strip()[:400] or None,
        "plan": plan,
        "start": since.isoformat() if since else None,
        "end": until.isoformat() if until else None,
    }


def audit_ctx(reg: Register, query: Mapping[str, str]) -> dict:
    """A page of the log, newest first, in words, with the filters' choices."""
    reg.user.require("admin", "office")
    chosen = filters(reg, query)
    provinces = None if reg.user.role == "admin" else {p["province"] for p in reg.plans()} | {reg.user.province}
    since, until = chosen["start"], chosen["end"]
    page = reg.db.audit_page(
        provinces=provinces,
        plan=chosen["plan"],
        actor=chosen["actor"],
        agency=chosen["agency"],
        since=_midnight(date.fromisoformat(since)) if since else None,
        until=_midnight(date.fromisoformat(until) + timedelta(days=1)) if until else None,
        before=_id(query, "before", "Trang"),
        after=_id(query, "after", "Trang"),
        limit=PAGE_SIZE,
    )
    subjects = reg.db.audit_subjects(page["entries"])
    entries = [describe(e, subjects) | {"before": e["before"], "after": e["after"]} for e in page["entries"]]
    scope = "*" if provinces is None else ",".join(sorted(p or "" for p in provinces))
    return {
        "entries": entries,
        "filters": chosen,
        "filtered": any(chosen.values()),
        "more": page["more"],
        "newer": page["newer"],
        "first_id": entries[0]["id"] if entries else None,
        "last_id": entries[-1]["id"] if entries else None,
        "people": [
            {"username": u["username"], "name": u["name"], "agency": u["agency"]}
            for u in accounts.users(reg.db, None if provinces is None else reg.user.province)
        ],
        "agencies": reg.cached("audit_agencies", lambda: reg.db.audit_agencies(provinces), scope, kinds=("task",)),
        "plans": [{"id": p["id"], "label": p["number"] or short(p["title"], 80)} for p in reg.plans()],
    }
