"""The document's identity from its Decree 30/2020 layout: kind, number, issuer,
place and date, title (trích yếu), the documents it implements, signer, and the
headline growth target."""

from __future__ import annotations

import csv
import re
from functools import cache

from .. import DATA
from ..vn import LOWER, UPPER
from .agencies import canonical
from .structure import Block, Paragraph

KINDS = (
    "KẾ HOẠCH HÀNH ĐỘNG|CHƯƠNG TRÌNH HÀNH ĐỘNG|KẾ HOẠCH|CHƯƠNG TRÌNH|QUYẾT ĐỊNH|CHỈ THỊ|"
    "NGHỊ QUYẾT|ĐỀ ÁN|PHƯƠNG ÁN|KẾT LUẬN|HƯỚNG DẪN|CÔNG VĂN|THÔNG BÁO"
)
KIND_LINE = re.compile(rf"^(?:{KINDS})$")
NUMBER = re.compile(r"\bSố\s*:?\s*(\d+[a-zA-Z]?)?\s*(/\s*[\wĐđ][\wĐđ\-/.]*)")
DOC_REF = re.compile(r"(?<![\w/])(\d+[a-z]?(?:/\d{4})?(?:/|-)[A-ZĐ][A-ZĐa-zđ]*(?:[/-][A-ZĐ0-9][\wĐđ]*)*)")
# `Trà Vinh, ngày 18 tháng 01 năm 2025` (day or month may be left blank), also after `Số: ...`
PLACE_DATE = re.compile(
    rf"(?:^|\s){UPPER}[^\d,;.]{{1,40}},\s*ngày\s+(\d{{1,2}}|[.…_ ]*)\s+tháng\s+(\d{{1,2}}|[.…_ ]*)\s+năm\s+(\d{{4}})"
)
ISSUER_LINE = re.compile(
    r"^(?:ỦY BAN NHÂN DÂN|UỶ BAN NHÂN DÂN|UBND|HỘI ĐỒNG NHÂN DÂN|BAN THƯỜNG VỤ TỈNH ỦY|TỈNH ỦY|THÀNH ỦY|"
    r"BAN CHẤP HÀNH ĐẢNG BỘ|SỞ [A-ZĐÀ-Ỹ ,\-–]+|THỦ TƯỚNG CHÍNH PHỦ|CHÍNH PHỦ|BỘ [A-ZĐÀ-Ỹ ,\-–]+)"
    r"(?:\s+(?:TỈNH|THÀNH PHỐ)\s+[A-ZĐÀ-Ỹ \-]+)?$"
)
ISSUING = re.compile(
    r"((?:Ủy ban nhân dân|Uỷ ban nhân dân|Ban Thường vụ Tỉnh ủy|Ban Thường vụ Thành ủy|Tỉnh ủy|Thành ủy|"
    rf"Hội đồng nhân dân|Sở [^,;.]{{3,60}}?)\s+(?:tỉnh|thành phố)\s+{UPPER}\w*(?:\s+{UPPER}\w*){{0,3}}|"
    rf"(?:Ban Thường vụ Tỉnh ủy|Tỉnh ủy|Thành ủy)\s+{UPPER}\w*(?:\s+{UPPER}\w*){{0,3}})"
    r"\s+(?:ban hành|xây dựng)\s+(?:kế hoạch|Kế hoạch|chương trình|Chương trình)"
)
SIGNER_TITLE = re.compile(
    r"^(?:KT\.?\s*|TM\.?\s*|T/M\s*|Q\.?\s*)?(PHÓ CHỦ TỊCH THƯỜNG TRỰC|PHÓ CHỦ TỊCH|CHỦ TỊCH|"
    r"PHÓ BÍ THƯ THƯỜNG TRỰC|PHÓ BÍ THƯ|BÍ THƯ|PHÓ GIÁM ĐỐC|GIÁM ĐỐC|PHÓ THỦ TƯỚNG|THỦ TƯỚNG|BỘ TRƯỞNG|"
    r"THỨ TRƯỞNG|CHÁNH VĂN PHÒNG)(?:\s*\([^)]*\))?$"
)
PERSON = re.compile(rf"^{UPPER}{LOWER}+(?:\s+{UPPER}{LOWER}+){{1,4}}$")
GROWTH = re.compile(
    r"tăng\s+trưởng[^.;:%]{0,70}?((?:từ|trên)\s+)?(\d+(?:,\d+)?\s*%?\s*(?:[-–]|đến)\s*\d+(?:,\d+)?\s*%|"
    r"\d+(?:,\d+)?\s*%)(\s*trở\s+lên)?",
    re.I,
)
TITLE_STOP = re.compile(r"^(?:\(|Căn cứ|Số:|Kính gửi|I\.|1\.)")


@cache
def provinces() -> dict[str, str]:
    """Upper-cased province names → their proper spelling (63 old and 34 new)."""
    text = (DATA / "provinces.csv").read_text("utf-8")
    rows = csv.DictReader(line for line in text.splitlines() if not line.startswith("#"))
    return {r["name"].upper(): r["name"] for r in rows}


def _sentence_case(upper: str) -> str:
    """`ỦY BAN NHÂN DÂN TỈNH TRÀ VINH` → `Ủy ban nhân dân tỉnh Trà Vinh`."""
    m = re.match(r"^(.*?\b(?:TỈNH|THÀNH PHỐ))\s+(.+)$", upper)
    if m and m.group(2) in provinces():
        head = m.group(1).lower().replace("uỷ", "ủy")
        return head[:1].upper() + head[1:] + " " + provinces()[m.group(2)]
    low = upper.lower()
    return low[:1].upper() + low[1:]


def _title_case_words(upper: str) -> str:
    low = upper.lower()
    return low[:1].upper() + low[1:]


def _province_of(issuer: str | None) -> str | None:
    if not issuer:
        return None
    for proper in sorted(provinces().values(), key=len, reverse=True):
        if re.search(rf"(?<!\w){re.escape(proper)}(?!\w)", issuer):
            return proper
    return None


def paragraphs(blocks: list[Block]) -> list[Paragraph]:
    return [b for b in blocks if isinstance(b, Paragraph)]


def document_fields(blocks: list[Block], body_start: int) -> dict:
    """Fields of plan/v1 `document`, from the paragraphs before `body_start` and the body."""
    paras = paragraphs(blocks)
    head = [p for p in paras if p.line < body_start] or paras[:40]
    kinds = [(i, p) for i, p in enumerate(head) if KIND_LINE.match(p.text)]
    plan_kind = next((x for x in kinds if not x[1].text.startswith("QUYẾT ĐỊNH")), None)
    kind_at = plan_kind or (kinds[0] if kinds else None)
    doc_type = kind_at[1].text if kind_at else None

    title = None
    if kind_at:
        parts: list[str] = []
        for p in head[kind_at[0] + 1 :]:
            if TITLE_STOP.match(p.text) or KIND_LINE.match(p.text) or ISSUER_LINE.match(p.text):
                break
            parts.append(p.text)
            break  # the title is one paragraph (its wrapped lines are joined already)
        # a title run together with the `(Kèm theo Quyết định số ...)` line under it
        title = re.sub(r"\s*\((?:Ban hành )?[Kk]èm theo\b.*$", "", " ".join(parts)).strip() or None

    number = None
    for p in head:
        m = NUMBER.search(p.text)
        if m and p.text.lstrip().startswith(("Số", "số")):
            number = f"{m.group(1)}{m.group(2).replace(' ', '')}" if m.group(1) else None
            break

    issued, month = None, None
    for p in head:
        m = PLACE_DATE.search(p.text)
        if m:
            d, mo, y = m.groups()
            month = int(mo) if mo.strip().isdigit() and 1 <= int(mo) <= 12 else None
            if d.strip().isdigit() and month:
                issued = f"{int(y):04d}-{month:02d}-{int(d):02d}"
            break

    issuer = _issuer(head, paras)
    signer_name, signer_title = _signer(paras)
    implements = list(dict.fromkeys(DOC_REF.findall(title or "")))
    return {
        "doc_type": doc_type,
        "number": number,
        "issuer": issuer,
        "province": _province_of(issuer),
        "issued_date": issued,
        "title": title,
        "implements": implements,
        "signer_name": signer_name,
        "signer_title": signer_title,
        "growth_target": growth_target(paras, title),
        "_month": month,  # the month of a date line whose day is left blank (not plan/v1)
    }


def _issuer(head: list[Paragraph], paras: list[Paragraph]) -> str | None:
    """The issuing body: the heading block's lower line under its parent (`UBND TỈNH GIA LAI` /
    `SỞ NÔNG NGHIỆP VÀ MÔI TRƯỜNG`), the two-line `ỦY BAN NHÂN DÂN` / `TỈNH X`, or `X ban hành`."""
    candidates: list[str] = []
    lines = [p.text.replace("UBND", "ỦY BAN NHÂN DÂN") for p in head]
    for a, b in zip(lines, lines[1:], strict=False):
        if re.fullmatch(r"(?:ỦY|UỶ) BAN NHÂN DÂN", a) and b.startswith(("TỈNH ", "THÀNH PHỐ ")):
            candidates.append(_sentence_case(f"ỦY BAN NHÂN DÂN {b}"))
        elif ISSUER_LINE.match(a) and re.match(r"^(?:SỞ|BAN|VĂN PHÒNG|CHI CỤC|CỤC)\s", b) and b.isupper():
            unit = canonical(b) if b.startswith("SỞ ") else _title_case_words(b)
            place = _province_of(_sentence_case(a))
            candidates.append(f"{unit} tỉnh {place}" if place else unit)
    for line in lines:
        if ISSUER_LINE.match(line) and not line.startswith(("CỘNG HÒA", "CỘNG HOÀ")):
            candidates.append(_sentence_case(line))
    for p in paras[:60]:
        m = ISSUING.search(p.text)
        if m:
            candidates.append(m.group(1).strip())
    for c in candidates:
        if _province_of(c):
            return c
    return candidates[0] if candidates else None


def _signer(paras: list[Paragraph]) -> tuple[str | None, str | None]:
    """The name under the signature block's last title line (`KT. CHỦ TỊCH` / `PHÓ CHỦ TỊCH`)."""
    title, since = None, 99
    for p in paras:
        m = SIGNER_TITLE.match(p.text.strip())
        if m:
            title, since = m.group(1), 0
            continue
        since += 1
        if title and since <= 4 and PERSON.match(p.text.strip()):
            return p.text.strip(), _signer_title(title)
    return None, None


def _signer_title(upper: str) -> str:
    words = {
        "CHỦ TỊCH": "Chủ tịch",
        "BÍ THƯ": "Bí thư",
        "GIÁM ĐỐC": "Giám đốc",
        "THỦ TƯỚNG": "Thủ tướng",
        "BỘ TRƯỞNG": "Bộ trưởng",
        "THỨ TRƯỞNG": "Thứ trưởng",
        "CHÁNH VĂN PHÒNG": "Chánh Văn phòng",
    }
    out = upper
    for k, v in words.items():
        out = out.replace(k, v)
    return out.replace("PHÓ ", "Phó ").replace(" THƯỜNG TRỰC", " Thường trực")


def growth_target(paras: list[Paragraph], title: str | None) -> str | None:
    """The headline GRDP growth target as written (`10,5% trở lên`, `7-7,5%`)."""
    for p in paras:
        text = p.body if p.kind else p.text
        if title and (title[:60] in text or text.startswith(("Thực hiện", "Căn cứ"))):
            continue
        if KIND_LINE.match(p.text) or p.text == title:
            continue
        m = GROWTH.search(text)
        if m:
            value = re.sub(r"\s+", " ", m.group(2)).strip()
            value = re.sub(r"\s*([-–])\s*", "-", value)
            return f"{m.group(1) or ''}{value}{m.group(3) or ''}".strip()
    return None
