"""Who issues and signs a report: the heading's names, the number's code, the signature block.

The state's layout is Decree 30/2020/NĐ-CP: `TM. ỦY BAN NHÂN DÂN` / `KT. CHỦ TỊCH` / `PHÓ CHỦ TỊCH`
for a body under collective rule, `KT. GIÁM ĐỐC` / `PHÓ GIÁM ĐỐC` for a department. A party
body's follows Hướng dẫn 36-HD/VPTW: `TỈNH ỦY …` with a star under it, `ĐẢNG CỘNG SẢN VIỆT NAM`
on the right, `Số 45-BC/TU`, `T/M BAN THƯỜNG VỤ` / `PHÓ BÍ THƯ` (the Party signs no `KT.`).
"""

from __future__ import annotations

import re

from ..vn import fold
from .content import Signature

_PARTY_WORDS = ("tinh uy", "thanh uy", "dang uy", "ban thuong vu", "huyen uy", "dang bo", "chi bo")


def is_party_body(name: str) -> bool:
    f = fold(name)
    return any(re.search(rf"(^|\W){w}($|\W)", f) for w in _PARTY_WORDS)


def is_people_committee(name: str) -> bool:
    return fold(name).startswith(("uy ban nhan dan", "ubnd"))


def party_heading(issuer: str, province: str) -> tuple[str | None, str]:
    """(the superior, the issuer) as a party heading names them: a provincial committee's standing
    board writes `Tỉnh ủy An Giang` alone; a body under it writes `Đảng bộ tỉnh …` above its name."""
    f = fold(issuer)
    if re.match(r"((ban thuong vu|ban chap hanh)\s+)?(tinh uy|thanh uy)\b", f):
        committee = "Thành ủy" if "thanh uy" in f else "Tỉnh ủy"
        return None, f"{committee} {province}".strip()
    return (f"Đảng bộ tỉnh {province}" if province else None), issuer


def issuer_code(issuer: str) -> str:
    """The issuer's part of a document number: `Ủy ban nhân dân tỉnh X` → `UBND`, `Sở Tài chính`
    → `STC`, `Tỉnh ủy X` → `TU`, `Thành ủy X` → `ThU`, another party committee → `ĐU`."""
    f = fold(issuer)
    if is_people_committee(issuer):
        return "UBND"
    if is_party_body(issuer):
        if "thanh uy" in f:
            return "ThU"
        return "TU" if "tinh uy" in f else "ĐU"
    words = issuer.replace("-", " ").split()
    if words and fold(words[0]) == "so":
        return "S" + "".join(w[0] for w in words[1:] if fold(w) not in ("va", "tinh")).upper()
    return "".join(w[0] for w in words if w[0].isupper()).upper() or "BC"


def _title(text: str) -> str:
    return " ".join(text.split()).upper()


def signature(issuer: str, title: str | None, name: str = "", authority: str | None = None) -> Signature:
    """The signature block for `issuer` signed by someone of `title` (`Chủ tịch`, `Phó Chủ tịch`,
    `Bí thư`, `Phó Bí thư Thường trực`, `Giám đốc`, `Phó Giám đốc`); `authority` overrides the
    first line (`TM. ỦY BAN NHÂN DÂN`, `T/M BAN THƯỜNG VỤ`)."""
    t = fold(title or "")
    if is_party_body(issuer):
        standing = fold(issuer).startswith(("ban thuong vu", "tinh uy", "thanh uy"))
        board = "T/M BAN THƯỜNG VỤ" if standing else "T/M ĐẢNG ỦY"
        lines = [authority or board, _title(title or "Bí thư")]
    elif is_people_committee(issuer):
        lines = [authority or "TM. ỦY BAN NHÂN DÂN"]
        if t.startswith("pho chu tich"):
            lines += ["KT. CHỦ TỊCH", _title(title or "")]
        elif t in ("", "chu tich"):
            lines.append("CHỦ TỊCH")
        else:  # a unit's head signing by order of the chair (thừa lệnh), not for the committee
            lines = [authority or "", "TL. CHỦ TỊCH", _title(title or "")]
    else:  # a body under one head: a department's director and deputies
        head = re.sub(r"^pho\s+", "", t) if t else "giam doc"
        head_title = _title(re.sub(r"(?i)^phó\s+", "", title or "Giám đốc"))
        lines = [authority] if authority else []
        lines += [f"KT. {head_title}", _title(title or "")] if t.startswith("pho ") and head else [head_title]
    return Signature(tuple(x for x in lines if x), name)
