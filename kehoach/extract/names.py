"""One name per agency across a document.

A plan names the same body in several ways: `Trung tâm Quản lý hạ tầng kỹ thuật Thành phố`
and `... thành phố Hà Nội`, `Phòng Kế hoạch Tài chính Sở` and `Phòng Kế hoạch - Tài chính`,
`Công an Thành phố` and `Công an thành phố Hà Nội`. Names that differ only by hyphens, tone
placement, case, a trailing `Sở`, or the issuer's own place (`tỉnh`, `thành phố Hà Nội`) are one
agency: the registry's canonical name where it knows one, else the form that names the place in
full, else the most frequent form.

A body merged into another before the plan was issued (data/succession.csv: Sở Tài nguyên
và Môi trường into Sở Nông nghiệp và Môi trường on 1 March 2025) is named by its successor.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import date
from functools import cache

from .. import data_csv
from ..model import Plan
from .agencies import registry
from .spelling import key

_PUNCT = re.compile(r"[-–—,.;:()]")


def _core(name: str, place: str | None) -> str:
    """The name without punctuation, its owner `Sở` and the issuer's own place."""
    k = _PUNCT.sub(" ", key(name))
    k = re.sub(r"\s+", " ", k).strip()
    if place:
        k = re.sub(rf"\s+(?:tỉnh|thành phố|tp)?\s*{re.escape(place.casefold())}$", "", k)
    k = re.sub(r"\s+(?:tỉnh|thành phố|tp|sở)$", "", k)
    return k


@cache
def _successions() -> tuple[tuple[str, str, date], ...]:
    rows = data_csv("succession.csv")
    return tuple(
        (r["predecessor"], r["successor"], date.fromisoformat(r["effective"]))
        for r in rows
        if not (r.get("province") or "").strip()
    )


def successor(name: str, on: date | None) -> str:
    """The body that carries on `name`'s work on `on` (the name itself where none does)."""
    if on is None:
        return name
    for old, new, effective in _successions():
        if name == old and on >= effective:
            return successor(new, on)
    return name


def _reference_date(plan: Plan) -> date | None:
    return plan.document.issued_date


def unify_names(plan: Plan, on: date | None = None) -> None:
    """Rename, in place, every agency a plan names to its one name in this document."""
    on = on or _reference_date(plan)
    place = plan.document.province
    lists: list[list[str]] = []
    for t in plan.tasks:
        lists += [t.lead, t.coordinate, t.monitor]
    for i in plan.indicators:
        lists.append(i.agency)
    for d in plan.reporting:
        lists.append(d.reporters)
    counts = Counter(n for names in lists for n in names)
    counts.update(d.recipient for d in plan.reporting if d.recipient)
    chosen = _choose(counts, place)
    rename = {n: successor(chosen.get(_core(n, place), n), on) for n in counts}
    for names in lists:
        names[:] = list(dict.fromkeys(rename.get(n, n) for n in names))
    for t in plan.tasks:
        t.coordinate[:] = [c for c in t.coordinate if c not in t.lead and not outside(c, plan)]
    for d in plan.reporting:
        if d.recipient:
            d.recipient = rename.get(d.recipient, d.recipient)


# bodies outside a local plan's system: the central level, foreign bodies, other provinces
_CENTRAL = re.compile(
    r"^(?:Bộ\s(?!Chỉ\s+huy|Tư\s+lệnh)|Các\s+bộ\b|Chính\s+phủ|Quốc\s+hội|Thủ\s+tướng|Văn\s+phòng\s+Chính\s+phủ|"
    r"(?:Các\s+)?Đại\s+sứ\s+quán|Các\s+tỉnh,\s+thành\s+phố|.*\bTrung\s+ương\b|.*\bquốc\s+tế\b|.*\bViệt\s+Nam$)",
    re.I,
)
_OTHER_PROVINCE = re.compile(r"^Ủy ban nhân dân (?:tỉnh|[Tt]hành phố) (.+)$")


def outside(name: str, plan: Plan) -> bool:
    """A partner outside the issuer's system (`Bộ Quốc phòng`, `Đài Truyền hình Việt Nam`, an
    embassy, another province's committee) is not a coordinate of a local plan."""
    issuer = plan.document.issuer or ""
    if re.match(r"^(?:Bộ|Chính phủ|Thủ tướng)\b", issuer):
        return False  # a ministry's own plan: other ministries are its partners
    other = _OTHER_PROVINCE.match(name)
    if other:
        return (plan.document.province or "").casefold() != other.group(1).casefold()
    return bool(_CENTRAL.match(name))


def _choose(counts: Counter[str], place: str | None) -> dict[str, str]:
    groups: dict[str, list[str]] = {}
    for name in counts:
        groups.setdefault(_core(name, place), []).append(name)
    reg = registry()
    out: dict[str, str] = {}
    for core, names in groups.items():
        known = [n for n in names if reg.known(n)]
        if known:
            out[core] = known[0]
            continue
        placed = [n for n in names if place and n.casefold().endswith(place.casefold())]
        out[core] = max(placed or names, key=lambda n: (counts[n], -len(n)))
    return out
