"""What in a draft needs a person before it is published, and why.

The reasons come from two places: what the extractor recorded on each task, indicator and
reporting duty (`"review": [codes]`, labelled in `kehoach.model.REVIEW`), and what the draft
itself shows whatever the extractor said: no lead, a lead that is only a collective name
(`Các sở, ban, ngành`), no deadline, the same text as an earlier task. A person who has looked
at an item and keeps it as it is marks it seen (`"reviewed": [codes]` on the item, dropped when
the plan is published): its reasons then leave the queue. Some reasons are only notes (NOTES:
no deadline means the plan's end, a lead carried down from a heading is how plans are written):
shown and counted, but publishing does not wait for them.
"""

from __future__ import annotations

from collections import Counter
from functools import lru_cache

from ..vn import fold

try:  # the extractor's vocabulary (kehoach/model.py); read defensively while it lands
    from ..model import REVIEW as EXTRACTED
except ImportError:  # pragma: no cover - only before the model module exists
    EXTRACTED = {}

# what the draft shows by itself; the extractor may record the first two as well
DERIVED = {
    "no_lead": "Chưa xác định được đơn vị chủ trì",
    "lead_collective": "Đơn vị chủ trì chỉ là tên chung (các sở, ngành, địa phương...)",
    "no_deadline": "Chưa có thời hạn: sẽ tính đến hết kỳ kế hoạch",
    "duplicate": "Trùng nội dung với một nhiệm vụ phía trên",
}
# the order of the reasons on the page: the ones that change who does what, or by when, first
ORDER = (
    "no_lead",
    "lead_collective",
    "lead_is_person",
    "lead_unknown",
    "lead_inherited",
    "request_outside",
    "duplicate",
    "restated_by_appendix",
    "heading_maybe_task",
    "lead_in_maybe_task",
    "long_text",
    "no_deadline",
    "deadline_no_date",
    "deadline_from_prose",
    "deadline_inherited",
)
# worth knowing, not a reason to stop: a task without a deadline runs to the end of the plan's
# period; a lead or a deadline carried down from a heading is how plans are written
NOTES = frozenset({"no_deadline", "lead_inherited", "deadline_inherited", "table_merged_cell", "also_reporting"})
KINDS = (
    ("tasks", "task", "nhiệm vụ"),
    ("indicators", "indicator", "chỉ tiêu"),
    ("reporting", "duty", "chế độ báo cáo"),
)


def label(code: str) -> str:
    return DERIVED.get(code) or EXTRACTED.get(code) or code.replace("_", " ")


@lru_cache(maxsize=4096)  # names typed in review: a bound on what requests can make it keep
def _collective(name: str) -> bool:
    from ..extract.agencies import canonical, registry

    return registry().is_collective(canonical(name))


def _codes(item: dict) -> list[str]:
    raw = item.get("review")
    return [str(c) for c in raw if isinstance(c, str)] if isinstance(raw, list) else []


def task_reasons(tasks: list[dict]) -> list[list[str]]:
    """Each task's open reasons (recorded and derived, minus those a person has seen), in order."""
    seen_texts: set[str] = set()
    out = []
    for t in tasks:
        codes = set(_codes(t))
        lead = [n for n in t.get("lead") or [] if isinstance(n, str) and n.strip()]
        if not lead:
            codes.add("no_lead")
        elif all(_collective(n) for n in lead):
            codes.add("lead_collective")
        dl = t.get("deadline") or {}
        if not (dl.get("text") or dl.get("due") or dl.get("recurring")):
            codes.add("no_deadline")
        key = fold(t.get("text") or "")
        if key and key in seen_texts:
            codes.add("duplicate")
        seen_texts.add(key)
        out.append(_sorted(codes - set(_codes({"review": t.get("reviewed")}))))
    return out


def _sorted(codes: set[str]) -> list[str]:
    rank = {c: i for i, c in enumerate(ORDER)}
    return sorted(codes, key=lambda c: (rank.get(c, len(ORDER)), c))


def reasons(plan: dict, key: str) -> list[list[str]]:
    """The open reasons of each row of `plan[key]` (`tasks`, `indicators` or `reporting`)."""
    rows = [r if isinstance(r, dict) else {} for r in plan.get(key) or []]
    if key == "tasks":
        return task_reasons(rows)
    return [_sorted(set(_codes(r)) - set(_codes({"review": r.get("reviewed")}))) for r in rows]


def queue(plan: dict) -> dict:
    """The draft's queue: the items a person must look at (`items`, `total`, `counts` per reason),
    what is only worth knowing (`notes`: counts of the reasons in NOTES), every item's reasons
    shown on its task (`by_task`), the labels, and the plan's warnings (what could not be read)."""
    items: list[dict] = []
    by_task: dict[int, list[str]] = {}
    for key, kind, kind_vi in KINDS:
        for i, found in enumerate(reasons(plan, key)):
            if kind == "task" and found:
                by_task[i] = found
            if any(c not in NOTES for c in found):
                items.append({"kind": kind, "kind_vi": kind_vi, "index": i, "reasons": found})
    counts = Counter(c for item in items for c in item["reasons"] if c not in NOTES)
    notes = Counter(c for found in by_task.values() for c in found if c in NOTES)
    warnings = [w for w in plan.get("warnings") or [] if isinstance(w, dict)]
    return {
        "items": items,
        "total": len(items),
        "counts": {c: counts[c] for c in _sorted(set(counts))},
        "notes": {c: notes[c] for c in _sorted(set(notes))},
        "labels": {c: label(c) for c in {*counts, *notes}},
        "by_task": by_task,
        "flagged": [item["index"] for item in items if item["kind"] == "task"],
        "warnings": warnings,
    }


def summary(q: dict) -> str:
    """What publishing would let through, in one sentence: `23 nhiệm vụ: Chưa xác định…; …`."""
    parts = [f"{n} mục: {q['labels'][c].lower()}" for c, n in q["counts"].items()]
    return "; ".join(parts)


def strip(plan: dict) -> dict:
    """The plan without the draft's own bookkeeping (what a person has seen), to publish."""
    for key, _, _ in KINDS:
        for row in plan.get(key) or []:
            if isinstance(row, dict):
                row.pop("reviewed", None)
    return plan
