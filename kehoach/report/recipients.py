"""`Nơi nhận`: who a report goes to, derived from the plan (editable by the office).

Who the plan reports to — the bodies that issued what it implements (a Government resolution:
the Government Office and the ministry that synthesizes it; a Party Central document: the
Secretariat and the Central Party Office), the provincial Party committee and People's Council
where the plan cites their resolutions or reports to them, its duties' recipients — then the
departments and localities that carry it out, then `Lưu: VT, …`. Every name as the body existing
on the report's date; never the issuer itself.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from ..track.succession import Registry
from ..vn import fold
from .signature import is_party_body, is_people_committee

# A Government resolution on the year's socio-economic plan is synthesized by the planning
# ministry: Bộ Kế hoạch và Đầu tư until 1 March 2025, its successor since (succession.csv).
PLANNING_MINISTRY = "Bộ Kế hoạch và Đầu tư"
_SOCIO_ECONOMIC = ("ke hoach phat trien kinh te - xa hoi", "du toan ngan sach", "muc tieu tang truong")
TWO_LEVEL = date(2025, 7, 1)
MAX_NAMED = 6  # more departments than this are written as `Các sở, ban, ngành tỉnh`


@dataclass(frozen=True)
class PlanFacts:
    """What the recipients are derived from, as the plan states it."""

    implements: tuple[str, ...] = ()  # `01/NQ-CP`, `18-KL/TW`
    title: str = ""
    texts: tuple[str, ...] = ()  # the tasks' and duties' texts: where the plan says whom it reports to
    duty_recipients: tuple[str, ...] = ()  # as written in the plan
    leads: tuple[str, ...] = ()  # the bodies that carry it out, as written in the plan


@dataclass
class Recipients:
    """The recipients of one report, built in order and never twice."""

    issuer: str
    excluded: set[str] = field(default_factory=set)
    names: list[str] = field(default_factory=list)

    def add(self, name: str) -> None:
        key = fold(re.sub(r"\s*\((để )?(b/c|báo cáo)\)$", "", name))
        if name and key not in self.excluded and key not in {fold(n) for n in self.names}:
            self.names.append(name)


def _central(implements: Iterable[str], title: str, party: bool, registry: Registry, on: date) -> list[str]:
    out: list[str] = []
    codes = [c.upper() for c in implements]
    if any(re.search(r"-(NQ|KL|CT|QĐ|QĐI|HD)/TW$", c) for c in codes):
        out += ["Ban Bí thư (để báo cáo)", "Văn phòng Trung ương Đảng"]
    if any(re.search(r"/(NQ-CP|NĐ-CP|QĐ-TTG|CT-TTG)$", c) for c in codes):
        out.append("Văn phòng Chính phủ")
        if any(k in fold(title) for k in _SOCIO_ECONOMIC) and not party:
            out.append(registry.now(PLANNING_MINISTRY, None, on))
    return out


def _local_councils(facts: PlanFacts, party: bool, city: bool) -> list[str]:
    """The provincial Party committee's and People's Council's standing boards, where the plan
    implements their resolutions or reports to them."""
    text = fold(" ".join((*facts.implements, facts.title, *facts.texts)))
    out = []
    if not party and re.search(r"\d+-(nq|kl|ct|ctr)/(tu|thu)\b|\b(tinh|thanh) uy\b", text):
        out.append(f"Thường trực {'Thành' if city else 'Tỉnh'} ủy")
    if re.search(r"nq-hdnd|hoi dong nhan dan (tinh|thanh pho)", text):
        out.append(f"Thường trực Hội đồng nhân dân {'thành phố' if city else 'tỉnh'}")
    return out


def _own_parts(issuer: str, city: bool) -> set[str]:
    """The issuer under its generic names and its own parts, which a report is never sent to."""
    level = "thanh pho" if city else "tinh"
    own = {fold(issuer)}
    if is_party_body(issuer):  # the standing board, the committee and its standing members
        committee = "thanh uy" if city or "thanh uy" in fold(issuer) else "tinh uy"
        own |= {committee, f"ban thuong vu {committee}", f"thuong truc {committee}", f"van phong {committee}"}
        own |= {fold(issuer).removeprefix("ban thuong vu ")}
    if is_people_committee(issuer):
        own |= {
            f"uy ban nhan dan {level}",
            f"chu tich uy ban nhan dan {level}",
            f"van phong uy ban nhan dan {level}",
            fold(f"Văn phòng {issuer}"),
            fold(f"Chủ tịch {issuer}"),
        }
    return own


def _carriers(leads: Sequence[str], party: bool, city: bool, on: date) -> list[str]:
    """The departments and localities that carry the plan out, named or as their collective."""
    level = "thành phố" if city else "tỉnh"
    locality = [n for n in leads if fold(n).startswith(("uy ban nhan dan cap", "cac dia phuong"))]
    locality += [n for n in leads if re.match(r"uy ban nhan dan (huyen|thi xa|xa|phuong)\b", fold(n))]
    departments = [n for n in leads if n not in locality and not is_people_committee(n)]
    collective = any(fold(n).startswith("cac ") for n in departments)
    named = [n for n in departments if not fold(n).startswith("cac ")]
    out: list[str] = []
    if party:
        out.append(f"Các đồng chí Ủy viên Ban Thường vụ {'Thành' if city else 'Tỉnh'} ủy")
    if collective or len(named) > MAX_NAMED:
        out.append(f"Các sở, ban, ngành {level}" if not party else "Các cơ quan tham mưu, giúp việc Tỉnh ủy")
    else:
        out += named
    if locality:  # districts were abolished on 1 July 2025 (two-level local government)
        two_level = on >= TWO_LEVEL
        out.append("Ủy ban nhân dân các xã, phường" if two_level else "Ủy ban nhân dân các huyện, thị xã, thành phố")
    return out


def is_central(name: str) -> bool:
    """A ministry, the Government's or a central Party body (`Bộ Tài chính`, `Văn phòng Chính phủ`)."""
    f = fold(name)
    return f.startswith(("bo ", "van phong chinh phu", "chinh phu", "thu tuong")) or "trung uong" in f


def filing_line(issuer: str, party: bool, unit: str | None = None, city: bool = False) -> str:
    """`Lưu: VT, TH` (Decree 30: the clerk's office and the drafting unit); a party body files it
    with its office (`Lưu Văn phòng Tỉnh ủy`)."""
    if party:
        f = fold(issuer)
        office = "Thành ủy" if "thanh uy" in f else "Tỉnh ủy" if "tinh uy" in f else "Đảng ủy"
        return f"Lưu Văn phòng {office}"
    if unit is None:
        unit = "TH" if is_people_committee(issuer) else ""
    return "Lưu: VT" + (f", {unit}" if unit else "")


def derive(
    facts: PlanFacts,
    *,
    issuer: str,
    province: str | None,
    registry: Registry,
    on: date,
    parent: str | None = None,
) -> list[str]:
    """The recipients of a report issued by `issuer` on `on` (the filing line apart); `province` is
    the plan's, the names in `facts` are resolved from it to the bodies existing on `on`."""
    party = is_party_body(issuer)
    city = registry.is_city(registry.province_on(province, on) or province)
    out = Recipients(issuer, _own_parts(issuer, city))
    if parent:  # a department reports to its governing body first
        out.add(parent)
    duty = [registry.now(name, province, on) for name in facts.duty_recipients]
    central = [n for n in duty if is_central(n)]
    for name in _central(facts.implements, facts.title, party, registry, on) + central:
        out.add(name)
    for name in _local_councils(facts, party, city):
        out.add(name)
    if is_people_committee(issuer):
        out.add(f"Chủ tịch, các Phó Chủ tịch Ủy ban nhân dân {'thành phố' if city else 'tỉnh'}")
    for name in duty:
        out.add(name)
    leads = list(dict.fromkeys(registry.now(n, province, on) for n in facts.leads))
    for name in _carriers(leads, party, city, on):
        out.add(name)
    return out.names
