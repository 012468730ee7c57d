"""Upload and review: an extracted plan beside its source, corrected field by field, published.

A draft keeps the extraction as it came (`original`) and as corrected (`plan`); every
correction is audited, and `corrections()` exports both in plan/v1 with the change log,
to improve extraction later.
"""

from __future__ import annotations

import copy
import hashlib
import unicodedata
from typing import Any

from sqlalchemy import select

from ..errors import KehoachError
from ..extract import extract_source
from ..read import read_bytes
from ..store import Database
from ..store.web import Draft, audit, iso, now, session
from ..track import ConflictError, NotFoundError, ValidationError
from ..track.bounds import LONG_TEXT, NAME, TASK_TEXT, check_text, parse_version
from ..vn import fold, parse_date, parse_number
from . import queue
from .accounts import ForbiddenError, Principal

ROLES = ("lead", "coordinate", "monitor")
DOC_FIELDS = ("number", "doc_type", "issuer", "province", "issued_date", "title")


def locate(text: str, source_lines: list[str], index: list[tuple[int, int]], hay: str) -> list[int]:
    """The 1-based first and last source lines a task's text came from ([] when not found)."""
    needle = fold(text)
    if not needle:
        return []
    start = -1
    for n in (80, 40, 20):
        start = hay.find(needle[:n])
        if start >= 0:
            break
    if start < 0:
        return []
    tail = needle[-40:]
    end = hay.find(tail, start)
    end = start + len(needle) if end < 0 else end + len(tail)

    def line_of(pos: int) -> int:
        lo, hi = 0, len(index) - 1
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if index[mid][0] <= pos:
                lo = mid
            else:
                hi = mid - 1
        return index[lo][1]

    return [line_of(start), line_of(max(start, end - 1))]


def _haystack(lines: list[str]) -> tuple[str, list[tuple[int, int]]]:
    parts, index, pos = [], [], 0
    for i, line in enumerate(lines, 1):
        f = fold(line)
        if not f:
            continue
        index.append((pos, i))
        parts.append(f)
        pos += len(f) + 1
    return " ".join(parts), index


def _dict(d: Draft, with_text: bool = True) -> dict:
    out: dict[str, Any] = {
        "id": d.id,
        "province": d.province,
        "source_name": d.source_name,
        "state": d.state,
        "plan_id": d.plan_id,
        "created_by": d.created_by,
        "created_at": iso(d.created_at),
        "updated_at": iso(d.updated_at),
        "version": d.version,
        "document": d.plan.get("document", {}),
        "tasks_count": len(d.plan.get("tasks", [])),
        "needs_review": queue.queue(d.plan)["total"] if d.state == "draft" else 0,
    }
    if with_text:
        lines = unicodedata.normalize("NFC", d.source_text).splitlines()
        hay, index = _haystack(lines)
        out["plan"] = d.plan
        out["source_lines"] = lines
        out["task_lines"] = [_lines(t, lines, index, hay) for t in d.plan.get("tasks", [])]
        out["changed"] = _changed(d.original, d.plan)
        out["queue"] = queue.queue(d.plan)
    return out


def _lines(task: dict, lines: list[str], index: list[tuple[int, int]], hay: str) -> list[int]:
    """The source lines a task came from: as the extractor recorded them, else found by its text."""
    src = task.get("source")
    if isinstance(src, dict) and isinstance(src.get("line"), int) and 1 <= src["line"] <= len(lines):
        end = src.get("line_end") if isinstance(src.get("line_end"), int) else src["line"]
        return [src["line"], min(max(end, src["line"]), len(lines))]
    return locate(task["text"], lines, index, hay)


def _changed(original: dict, plan: dict) -> list[int]:
    """Indexes of tasks that differ from the extraction at the same place."""
    old = original.get("tasks", [])
    return [i for i, t in enumerate(plan.get("tasks", [])) if i >= len(old) or old[i] != t]


def _missing(draft_id: int) -> NotFoundError:
    return NotFoundError(f"không có bản xem xét id {draft_id}")


def _check(user: Principal, d: Draft, provinces: Any) -> None:
    """Another province's draft answers as a missing one would: its existence is not told."""
    if not (
        user.manages
        and (user.role == "admin" or d.created_by == user.username or user.sees_province(d.province, provinces))
    ):
        raise _missing(d.id)


def _province_now(db: Database) -> Any:
    return lambda p: db.registry.province_on(p, db.today())


def create(db: Database, user: Principal, name: str, data: bytes) -> dict:
    """Read and extract an uploaded plan; keep it as a draft for review."""
    user.require("admin", "office")
    source = read_bytes(name, data)
    plan = extract_source(source)
    # an office's draft is its own province's, whatever the document says (publishing checks that)
    extracted = db.registry.province((plan.get("document") or {}).get("province"))
    province = extracted if user.role == "admin" else user.province
    with session(db) as s:
        d = Draft(
            province=province,
            source_name=name,
            source_hash=hashlib.sha256(data).hexdigest(),
            source_text=source.text,
            original=plan,
            plan=copy.deepcopy(plan),
            state="draft",
            created_by=user.username,
            created_at=now(),
            updated_at=now(),
            version=1,
        )
        s.add(d)
        s.flush()
        audit(
            s,
            user.username,
            "upload",
            "draft",
            d.id,
            None,
            {"source": name, "tasks": len(plan.get("tasks", []))},
        )
        return _dict(d)


def drafts(db: Database, user: Principal) -> dict:
    user.require("admin", "office")
    with session(db) as s:
        rows = list(s.scalars(select(Draft).order_by(Draft.id.desc())))
        seen = _province_now(db)
        out = []
        for d in rows:
            try:
                _check(user, d, seen)
            except NotFoundError:
                continue
            out.append(_dict(d, with_text=False))
    return {"drafts": out}


def get(db: Database, user: Principal, draft_id: int) -> dict:
    user.require("admin", "office")
    with session(db) as s:
        d = s.get(Draft, draft_id)
        if d is None:
            raise _missing(draft_id)
        _check(user, d, _province_now(db))
        return _dict(d)


def _names(value: Any) -> list[str]:
    """A list of agencies from JSON (a list) or a form field (separated by `;` or new lines)."""
    if value is None:
        return []
    items = value if isinstance(value, list) else str(value).replace("\n", ";").split(";")
    return [check_text("agency", " ".join(str(x).split()), NAME) or "" for x in items if str(x).strip()]


def _deadline(form: dict, old: dict | None) -> dict | None:
    text = form.get("deadline_text", (old or {}).get("text"))
    due = form.get("deadline_due", (old or {}).get("due"))
    text = (str(text).strip() or None) if text is not None else None
    if due:
        try:
            due = parse_date(str(due)).isoformat()
        except ValueError as e:
            raise ValidationError("deadline_due", due, str(e)) from None
    else:
        due = None
    recurring = form.get("deadline_recurring", (old or {}).get("recurring", False))
    recurring = recurring in (True, "1", "true", "on")
    if not text and not due and not recurring:
        return None
    return {
        "text": text,
        "due": due,
        "recurring": recurring,
        "condition": (old or {}).get("condition"),
    }


def _edit(db: Database, user: Principal, draft_id: int, version: Any, change: Any) -> dict:
    """Apply `change(plan) -> (entity_desc, before, after)` to a draft, audited, versioned."""
    user.require("admin", "office")
    with session(db) as s:
        d = s.get(Draft, draft_id)
        if d is None:
            raise _missing(draft_id)
        _check(user, d, _province_now(db))
        if d.state != "draft":
            raise ValidationError("state", d.state, "kế hoạch đã công bố: tải lên lại để sửa tiếp")
        if (read_at := parse_version(version)) is not None and read_at != d.version:
            raise ConflictError(
                f"bản xem xét {draft_id} đã được sửa (phiên bản {d.version}, bạn đọc phiên bản "
                f"{version}): tải lại rồi sửa lại"
            )
        plan = copy.deepcopy(d.plan)
        what, before, after = change(plan)
        d.plan = plan
        d.version += 1
        d.updated_at = now()
        if "province" in (after or {}) and user.role == "admin":  # an office's draft stays in its province
            d.province = db.registry.province(after["province"]) or d.province
        audit(s, user.username, "correct", "draft", d.id, before, (after or {}) | {"what": what})
        return _dict(d)


def _task_index(plan: dict, index: int) -> int:
    if not 0 <= index < len(plan.get("tasks", [])):
        raise NotFoundError(f"không có nhiệm vụ số {index + 1} trong bản xem xét")
    return index


def edit_task(db: Database, user: Principal, draft_id: int, index: int, form: dict) -> dict:
    """Correct one task's text, section, agencies or deadline."""

    def change(plan: dict) -> tuple:
        t = plan["tasks"][_task_index(plan, index)]
        before = copy.deepcopy(t)
        for key in ("text", "section"):
            if key in form and form[key] is not None:
                value = check_text(key, " ".join(str(form[key]).split()), TASK_TEXT if key == "text" else LONG_TEXT)
                if key == "text" and not value:
                    raise ValidationError("text", value, "nội dung nhiệm vụ không được trống")
                t[key] = value
        for role in ROLES:
            if role in form:
                t[role] = _names(form[role])
        if any(k in form for k in ("deadline_text", "deadline_due", "deadline_recurring")):
            t["deadline"] = _deadline(form, t.get("deadline"))
        return f"tasks[{index}]", {"task": before}, {"task": copy.deepcopy(t)}

    return _edit(db, user, draft_id, form.get("version"), change)


COMPARATORS = ("=", ">=", ">", "<=", "<", "range", "qualitative")
TARGET_FIELDS = ("name", "comparator", "value", "min", "max", "unit")


def _number(value: Any, field: str) -> float | None:
    if value is None or str(value).strip() == "":
        return None
    try:
        return parse_number(str(value)) if not isinstance(value, int | float) else float(value)
    except ValueError as e:
        raise ValidationError(field, value, str(e)) from None


def _targets(form: dict, old: list[dict]) -> list[dict]:
    """Targets from JSON (`targets`: a list) or a form (`t0_name`, `t0_value`, ...)."""
    if isinstance(form.get("targets"), list):
        rows = form["targets"]
    else:
        rows = []
        for k in range(len(old)):
            row = {f: form.get(f"t{k}_{f}") for f in TARGET_FIELDS if f"t{k}_{f}" in form}
            rows.append(old[k] | row)
    out = []
    for k, row in enumerate(rows):
        comparator = str(row.get("comparator") or "=")
        if comparator not in COMPARATORS:
            raise ValidationError(f"targets[{k}].comparator", comparator, f"dùng {', '.join(COMPARATORS)}")
        out.append(
            {
                "name": " ".join(str(row.get("name") or "").split()),
                "comparator": comparator,
                "value": _number(row.get("value"), f"targets[{k}].value"),
                "min": _number(row.get("min"), f"targets[{k}].min"),
                "max": _number(row.get("max"), f"targets[{k}].max"),
                "unit": (str(row.get("unit")).strip() or None) if row.get("unit") else None,
            }
        )
    return out


def edit_indicator(db: Database, user: Principal, draft_id: int, index: int, form: dict) -> dict:
    """Correct one indicator row: its group, year, monitoring agencies and targets."""

    def change(plan: dict) -> tuple:
        rows = plan.get("indicators", [])
        if not 0 <= index < len(rows):
            raise NotFoundError(f"không có chỉ tiêu số {index + 1} trong bản xem xét")
        row = rows[index]
        before = copy.deepcopy(row)
        for key in ("group", "text", "year"):
            if key in form:
                row[key] = check_text(key, " ".join(str(form[key] or "").split()), LONG_TEXT) or None
        if "agency" in form:
            row["agency"] = _names(form["agency"])
        if "targets" in form or any(k.startswith("t") and "_" in k for k in form):
            row["targets"] = _targets(form, row.get("targets") or [])
        return f"indicators[{index}]", {"indicator": before}, {"indicator": copy.deepcopy(row)}

    return _edit(db, user, draft_id, form.get("version"), change)


def merge_tasks(db: Database, user: Principal, draft_id: int, index: int, version: Any) -> dict:
    """Merge a task with the next one: texts joined, agencies united, the first's deadline."""

    def change(plan: dict) -> tuple:
        tasks = plan["tasks"]
        _task_index(plan, index)
        if index + 1 >= len(tasks):
            raise ValidationError("index", index + 1, "không có nhiệm vụ sau để gộp")
        a, b = tasks[index], tasks[index + 1]
        before = {"tasks": [copy.deepcopy(a), copy.deepcopy(b)]}
        a["text"] = f"{a['text'].rstrip()} {b['text'].lstrip()}"
        for role in ROLES:
            a[role] = list(dict.fromkeys((a.get(role) or []) + (b.get(role) or [])))
        a["deadline"] = a.get("deadline") or b.get("deadline")
        del tasks[index + 1]
        return f"merge tasks[{index}] tasks[{index + 1}]", before, {"task": copy.deepcopy(a)}

    return _edit(db, user, draft_id, version, change)


def split_task(db: Database, user: Principal, draft_id: int, index: int, parts: Any, version: Any) -> dict:
    """Split a task into several: one per non-empty line (or list item) of `parts`."""
    items = parts if isinstance(parts, list) else str(parts or "").splitlines()
    texts = [check_text("parts", " ".join(str(p).split()), TASK_TEXT) or "" for p in items if str(p).strip()]
    if len(texts) < 2:
        raise ValidationError("parts", parts, "cần ít nhất hai dòng để tách nhiệm vụ")

    def change(plan: dict) -> tuple:
        tasks = plan["tasks"]
        t = tasks[_task_index(plan, index)]
        new = [copy.deepcopy(t) | {"text": x} for x in texts]
        tasks[index : index + 1] = new
        return f"split tasks[{index}]", {"task": t}, {"tasks": new}

    return _edit(db, user, draft_id, version, change)


def delete_task(db: Database, user: Principal, draft_id: int, index: int, version: Any) -> dict:
    def change(plan: dict) -> tuple:
        t = plan["tasks"].pop(_task_index(plan, index))
        return f"delete tasks[{index}]", {"task": t}, None

    return _edit(db, user, draft_id, version, change)


def mark_seen(db: Database, user: Principal, draft_id: int, kind: str, index: int, version: Any) -> dict:
    """A person has looked at an item and keeps it as it is: its open reasons leave the queue."""
    if kind not in ("tasks", "indicators", "reporting"):
        raise NotFoundError(f"không có loại mục '{kind}' trong bản xem xét")

    def change(plan: dict) -> tuple:
        rows = plan.get(kind) or []
        if not 0 <= index < len(rows):
            raise NotFoundError(f"không có mục số {index + 1} trong bản xem xét")
        row = rows[index]
        before = list(row.get("reviewed") or [])
        row["reviewed"] = sorted(set(before) | set(queue.reasons(plan, kind)[index]))
        return f"seen {kind}[{index}]", {"reviewed": before}, {"reviewed": row["reviewed"]}

    return _edit(db, user, draft_id, version, change)


def edit_document(db: Database, user: Principal, draft_id: int, form: dict) -> dict:
    def change(plan: dict) -> tuple:
        doc = plan.setdefault("document", {})
        before = {k: doc.get(k) for k in DOC_FIELDS}
        for k in DOC_FIELDS:
            if k not in form:
                continue
            v = check_text(k, " ".join(str(form[k] or "").split()), LONG_TEXT if k == "title" else NAME) or None
            if k == "issued_date" and v:
                try:
                    v = parse_date(v).isoformat()
                except ValueError as e:
                    raise ValidationError("issued_date", v, str(e)) from None
            doc[k] = v
        return "document", before, {k: doc.get(k) for k in DOC_FIELDS}

    return _edit(db, user, draft_id, form.get("version"), change)


def publish(db: Database, user: Principal, draft_id: int, version: Any = None, confirm: Any = False) -> dict:
    """Store the corrected plan in the register (a new plan, or a new version of it).

    While items still need a person (`queue`), publishing needs `confirm`: the office sees
    what it lets through (23 tasks with no lead) and says so."""
    user.require("admin", "office")
    with session(db) as s:
        d = s.get(Draft, draft_id)
        if d is None:
            raise _missing(draft_id)
        _check(user, d, _province_now(db))
        if (read_at := parse_version(version)) is not None and read_at != d.version:
            raise ConflictError(f"bản xem xét {draft_id} đã được sửa: tải lại rồi công bố")
        province = db.registry.province((d.plan.get("document") or {}).get("province"))
        if user.role != "admin" and not user.sees_province(province, _province_now(db)):
            raise ForbiddenError(
                f"kế hoạch thuộc tỉnh {province or '(không rõ)'}: chỉ công bố kế hoạch của "
                f"{user.province}; sửa mục tỉnh nếu trích xuất nhầm"
            )
        pending = queue.queue(d.plan)
        if pending["total"] and confirm not in (True, "1", "true", "on", "yes"):
            raise ValidationError(
                "confirm",
                None,
                f"còn {pending['total']} mục cần xem xét ({queue.summary(pending)}): "
                "sửa các mục đó, hoặc đánh dấu đã xem, hoặc xác nhận vẫn công bố",
            )
        plan = queue.strip(copy.deepcopy(d.plan))
    try:
        result = db.ingest(plan, source_name=d.source_name, actor=user.username)
    except KehoachError:
        raise
    with session(db) as s:
        d = s.get(Draft, draft_id)
        assert d is not None
        d.state, d.plan_id, d.updated_at = "published", result.plan_id, now()
        d.version += 1
        audit(
            s,
            user.username,
            "publish",
            "draft",
            d.id,
            None,
            {"plan_id": result.plan_id, "version": result.version},
        )
    return {"draft_id": draft_id, **result.as_dict()}


def corrections(db: Database, user: Principal, draft_id: int | None = None) -> dict:
    """The corrections made in review, in plan/v1: as extracted, as corrected, and the log."""
    user.require("admin", "office")
    out = []
    with session(db) as s:
        q = select(Draft).order_by(Draft.id)
        if draft_id is not None:
            q = q.where(Draft.id == draft_id)
        rows = list(s.scalars(q))
    if draft_id is not None and not rows:
        raise _missing(draft_id)
    seen = _province_now(db)
    for d in rows:
        try:
            _check(user, d, seen)
        except NotFoundError:
            if draft_id is not None:
                raise
            continue
        changes = [
            {k: e[k] for k in ("at", "actor", "before", "after")}
            for e in db.audit(entity="draft", entity_id=d.id)
            if e["action"] == "correct"
        ]
        if not changes and draft_id is None:
            continue
        out.append(
            {
                "draft_id": d.id,
                "source": d.source_name,
                "state": d.state,
                "plan_id": d.plan_id,
                "extracted": d.original,
                "corrected": d.plan,
                "changes": changes,
            }
        )
    return {"format": "corrections/v1", "corrections": out}
