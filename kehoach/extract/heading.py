"""The document's identity from its Decree 30/2020 layout: kind, number, issuer,
place and date, title (trích yếu), the documents it implements, signer, and the
headline growth target."""

from __future__ import annotations

import csv
import re
from functools import cache

from .. import DATA
from ..vn import LOWER, UPPER
from .agencies import canonical, registry
from .structure import Block, Paragraph

KINDS = (
    "KẾ HOẠCH HÀNH ĐỘNG|CHƯƠNG TRÌNH HÀNH ĐỘNG|KẾ HOẠCH|CHƯƠNG TRÌNH|QUYẾT ĐỊNH|CHỈ THỊ|"
    "NGHỊ QUYẾT|ĐỀ ÁN|PHƯƠNG ÁN|KẾT LUẬN|HƯỚNG DẪN|CÔNG VĂN|THÔNG BÁO"
)
KIND_LINE = re.compile(rf"^(?:{KINDS})$")
NUMBER = re.compile(r"\bSố\s*:?\s*(\d+[a-zA-Z]?)?\s*([/-]\s*[\wĐđ][\wĐđ\-/.]*)")
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
PERSON = re.compile(rf"^{UPPER}{LOWER}+(?:\s+{UPPER}{LOWER}*){{1,4}}$")
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


_UNIT_WORD = r"(?:TỈNH|THÀNH PHỐ|XÃ|PHƯỜNG|ĐẶC KHU|HUYỆN|QUẬN|THỊ XÃ|THỊ TRẤN)"
_ABBREVIATIONS = {"UBND": "ỦY BAN NHÂN DÂN", "HĐND": "HỘI ĐỒNG NHÂN DÂN", "MTTQ": "MẶT TRẬN TỔ QUỐC"}
# bodies that act for the one above them in the heading block (`BAN THƯỜNG TRỰC` of the Front's committee)
_SUB_BODY = re.compile(r"^(?:BAN THƯỜNG TRỰC|BAN THƯỜNG VỤ|THƯỜNG TRỰC|VĂN PHÒNG|BAN CHẤP HÀNH)$")


def _sentence_case(upper: str) -> str:
    """`ỦY BAN NHÂN DÂN TỈNH TRÀ VINH` → `Ủy ban nhân dân tỉnh Trà Vinh`; `... XÃ TÂN PHÚ` → `... xã Tân Phú`;
    a name the registry knows takes its canonical spelling."""
    for short, full in _ABBREVIATIONS.items():
        upper = re.sub(rf"\b{short}\b", full, upper)
    m = re.match(rf"^(.*?\b{_UNIT_WORD})\s+(.+)$", upper)
    if m:
        head = m.group(1).lower().replace("uỷ", "ủy")
        place = provinces().get(m.group(2)) or " ".join(w[:1] + w[1:].lower() for w in m.group(2).split())
        return _capitalised(head) + " " + place
    low = _capitalised(upper.lower())
    known = canonical(low)
    return known if registry().known(known) else low


def _capitalised(low: str) -> str:
    """Lower-case words as a body's name writes them: `ủy ban mặt trận tổ quốc việt nam` →
    `Ủy ban Mặt trận Tổ quốc Việt Nam` (the parts that are names keep their capitals)."""
    low = low[:1].upper() + low[1:]
    for name in ("Mặt trận Tổ quốc Việt Nam", "Mặt trận Tổ quốc", "Việt Nam", "Thường trực", "Thường vụ", "Tỉnh ủy"):
        low = re.sub(re.escape(name), name, low, flags=re.I)
    return low


def _title_case_words(upper: str) -> str:
    low = upper.lower()
    return low[:1].upper() + low[1:]


_MOTTO_LINE = re.compile(r"^(?:CỘNG\s+H[OÒ]A\s+XÃ\s+HỘI|Độc\s+lập\s*[-–]\s*Tự\s+do|[-_–—=]{3,}$)")
_MOTTO = re.compile(r"\s+(?:CỘNG\s+H[OÒ]A\s+XÃ\s+HỘI|Độc\s+lập\s*[-–]\s*Tự\s+do)")


def heading_block(head: list[Paragraph]) -> str | None:
    """The issuer from the heading block's left column: its lines joined where one names the
    place of the one before (`ỦY BAN NHÂN DÂN` / `XÃ TÂN PHÚ`), the last body under its parent
    (`UBND TỈNH GIA LAI` / `SỞ NÔNG NGHIỆP VÀ MÔI TRƯỜNG`; `ỦY BAN MTTQ VIỆT NAM` / `XÃ LƯƠNG MINH` /
    `BAN THƯỜNG TRỰC`)."""
    names: list[str] = []
    for p in head:
        # the two columns of the heading block read as one line: the issuer's column comes first
        t = _MOTTO.split(p.text)[0].strip() or p.text.strip()
        if not names and _MOTTO_LINE.match(t):
            continue  # the national motto read first (a PDF's right column before its left)
        if t.startswith(("CỘNG HÒA", "CỘNG HOÀ", "Số", "Độc lập")) or KIND_LINE.match(t):
            break
        if not t.isupper() or len(t) > 80:
            continue
        place_goes_on = names and re.search(rf"\b{_UNIT_WORD}$", names[-1])  # `ỦY BAN NHÂN DÂN TỈNH` / `QUẢNG TRỊ`
        if names and re.match(rf"^{_UNIT_WORD}\s", t) and not re.match(rf"^{_UNIT_WORD}\s+ỦY\b", t) or place_goes_on:
            names[-1] = f"{names[-1]} {t}"
        else:
            names.append(t)
    if not names:
        return None
    last = names[-1]
    party = re.match(rf"^ĐẢNG BỘ\s+{_UNIT_WORD}\s+(.+)$", names[-2]) if len(names) > 1 else None
    if party and re.match(rf"^{_UNIT_WORD}\s+ỦY$", last):  # `ĐẢNG BỘ TỈNH X` / `TỈNH ỦY` → `Tỉnh ủy X`
        return f"{_capitalised(last.lower())} {provinces().get(party.group(1)) or party.group(1).title()}"
    committee = re.match(rf"^({_UNIT_WORD})\s+ỦY\s+(.+)$", last)
    if committee:  # `ĐẢNG BỘ TỈNH X` / `HUYỆN ỦY Y` → `Huyện ủy Y`
        place = provinces().get(committee.group(2)) or " ".join(
            w[:1] + w[1:].lower() for w in committee.group(2).split()
        )
        return f"{_capitalised(committee.group(1).lower())} ủy {place}"
    if len(names) > 1 and _SUB_BODY.match(last):
        return f"{_sentence_case(last)} {_sentence_case(names[-2])}"
    if len(names) > 1 and re.match(r"^(?:SỞ|BAN|VĂN PHÒNG|CHI CỤC|CỤC|PHÒNG|VỤ)\s", last):
        unit = canonical(_title_case_words(last))  # the registry's spelling where it knows the body
        place = _province_of(_sentence_case(names[-2]))
        return f"{unit} tỉnh {place}" if place else unit
    return _sentence_case(last)


@cache
def _province_names() -> tuple[tuple[str, str], ...]:
    """Every way a province is written (its name, its aliases: `TP. Hồ Chí Minh`) → its name,
    longest first."""
    text = (DATA / "provinces.csv").read_text("utf-8")
    rows = csv.DictReader(line for line in text.splitlines() if not line.startswith("#"))
    pairs = [(form, r["name"]) for r in rows for form in [r["name"], *filter(None, (r["aliases"] or "").split("|"))]]
    return tuple(sorted(pairs, key=lambda x: len(x[0]), reverse=True))


def _province_of(issuer: str | None) -> str | None:
    if not issuer:
        return None
    for form, proper in _province_names():
        if re.search(rf"(?<!\w){re.escape(form)}(?!\w)", issuer):
            return proper
    return None


_KIND_AND_TITLE = re.compile(rf"^({KINDS})\s+({UPPER}\w*\s.*{LOWER}.*)$")


def _kind_apart(text: str) -> list[str]:
    """`KẾ HOẠCH Triển khai ...`: the kind and the title a reader ran onto one line, apart."""
    m = _KIND_AND_TITLE.match(text)
    return [m.group(1), m.group(2)] if m else [text]


# what follows a title and is not part of it: the opening sentence, a rule drawn under it
_AFTER_TITLE = re.compile(r"^(?:Thực\s+hiện|Căn\s+cứ|Để|Nhằm|Trên\s+cơ\s+sở|[-_–—=*.…]{3,})")


def _title(lines: list[str]) -> str | None:
    """The trích yếu under the kind: its first paragraph and the lines that go on with it (a
    wrap the structure kept: `về ...`, a lower-case word, the rest of an upper-case title), up to
    the opening sentence, the legal bases or a `(Kèm theo ...)` line."""
    parts: list[str] = []
    for text in lines:
        if TITLE_STOP.match(text) or KIND_LINE.match(text) or ISSUER_LINE.match(text):
            break
        if parts and not _continues_title(parts[-1], text):
            break
        parts.append(text)
    # a title run together with the `(Kèm theo Quyết định số ...)` line under it
    return re.sub(r"\s*\((?:Ban hành )?[Kk]èm theo\b.*$", "", " ".join(parts)).strip() or None


def _continues_title(before: str, text: str) -> bool:
    if before.endswith((".", ";", ":", ",")) or _AFTER_TITLE.match(text) or len(text) > 250:
        return False
    if before.isupper():
        return text.isupper()  # `TRIỂN KHAI CÔNG TÁC ...` / `NĂM 2026`
    if text.isupper():
        return False
    # a wrapped line goes on in lower case, or names what the title is about (`Về ...`, `Hội nghị lần thứ ...`)
    # where it is short and is not a sentence of its own (`Ủy ban nhân dân tỉnh ban hành ... như sau:`)
    return text[:1].islower() or (len(text) <= 160 and not text.endswith((".", ":", ";")) and " ban hành " not in text)


def paragraphs(blocks: list[Block]) -> list[Paragraph]:
    return [b for b in blocks if isinstance(b, Paragraph)]


def document_fields(blocks: list[Block], body_start: int) -> dict:
    """Fields of plan/v1 `document`, from the paragraphs before `body_start` and the body."""
    paras = paragraphs(blocks)
    head = [p for p in paras if p.line < body_start] or paras[:40]
    texts = [t for p in head for t in _kind_apart(p.text)]
    kinds = [(i, t) for i, t in enumerate(texts) if KIND_LINE.match(t)]
    plan_kind = next((x for x in kinds if not x[1].startswith("QUYẾT ĐỊNH")), None)
    kind_at = plan_kind or (kinds[0] if kinds else None)
    doc_type = kind_at[1] if kind_at else None

    title = _title(texts[kind_at[0] + 1 :]) if kind_at else None

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
    implements = _implements(title, paras, body_start)
    return {
        "doc_type": doc_type,
        "number": number,
        "issuer": issuer,
        "province": _province(issuer, paras, body_start),
        "issued_date": issued,
        "title": title,
        "implements": implements,
        "signer_name": signer_name,
        "signer_title": signer_title,
        "growth_target": growth_target(paras, title),
        "_month": month,  # the month of a date line whose day is left blank (not plan/v1)
    }


# the abbreviation of each kind of document in its code (`08-ĐA/TU`, `35-NQ/TU`, `128/KH-UBND`)
KIND_CODES = {
    "nghị quyết": "NQ",
    "đề án": "ĐA",
    "chương trình": "CTr",
    "kế hoạch": "KH",
    "chỉ thị": "CT",
    "kết luận": "KL",
    "quyết định": "QĐ",
    "thông báo": "TB",
    "công văn": "CV",
    "hướng dẫn": "HD",
}
_NAMED_DOC = re.compile(
    r"\b(Nghị quyết|Đề án|Chương trình|Kế hoạch|Chỉ thị|Kết luận|Quyết định)\s+(?:số\s+)?(\d+)(?![\d/-])", re.I
)
_OPENING = re.compile(r"^Thực\s+hiện\b", re.I)


def _implements(title: str | None, paras: list[Paragraph], body_start: int) -> list[str]:
    """The codes of the documents the title names, in order; where it names none, those of the
    opening `Thực hiện ...` sentence (not the `Căn cứ` bases). A document named without its code
    (`Đề án số 08`) takes the code the text gives it (`08-ĐA/TU`)."""
    found = list(dict.fromkeys(DOC_REF.findall(title or "")))
    if title and not found:
        text = " ".join(p.text for p in paras)
        for m in _NAMED_DOC.finditer(title):
            abbr = KIND_CODES[m.group(1).lower()]
            code = re.search(
                rf"(?<![\w/]){int(m.group(2)):02d}[-/]{abbr}\b[\w/.-]*|(?<![\w/]){m.group(2)}[-/]{abbr}\b[\w/.-]*", text
            )
            if code:
                found.append(code.group().rstrip(".,;"))
    if found:
        return list(dict.fromkeys(found))
    opening = next(
        (p for p in paras if p.line < body_start and _OPENING.match(p.text) and not (title and p.text in title)), None
    )
    if opening is None:
        return []
    sentence = re.split(r",\s+(?:Ủy ban nhân dân|UBND|Sở|Ban|Bộ)[^,;]{0,60}?\b(?:ban hành|xây dựng)\b", opening.text)[0]
    return list(dict.fromkeys(DOC_REF.findall(sentence)))


def _issuer(head: list[Paragraph], paras: list[Paragraph]) -> str | None:
    """The issuing body: from the heading block, else from `X ban hành kế hoạch`."""
    candidates = [c for c in [heading_block(head)] if c]
    for p in head:  # `ỦY BAN NHÂN DÂN TỈNH TRÀ VINH` over a decision's `Căn cứ` lines
        line = p.text.replace("UBND", "ỦY BAN NHÂN DÂN")
        if ISSUER_LINE.match(line) and not line.startswith(("CỘNG HÒA", "CỘNG HOÀ")):
            candidates.append(_sentence_case(line))
    for p in paras[:60]:
        m = ISSUING.search(p.text)
        if m:
            candidates.append(m.group(1).strip())
    found = next((c for c in candidates if _province_of(c)), candidates[0] if candidates else None)
    if found and re.match(r"^(?:Tỉnh|Thành|Huyện|Đảng) ủy\b", found) and _signs_for_standing_board(paras):
        found = f"Ban Thường vụ {found}"  # `T/M BAN THƯỜNG VỤ` signs for the committee's standing board
    return found


def _signs_for_standing_board(paras: list[Paragraph]) -> bool:
    return any(re.match(r"^(?:T/M|TM\.?)\s*BAN THƯỜNG VỤ\b", p.text.strip()) for p in paras[-40:])


def _province(issuer: str | None, paras: list[Paragraph], body_start: int) -> str | None:
    """The province: the issuer's, else the first one the heading or the opening names
    (`Thực hiện Kế hoạch ... của Ủy ban nhân dân tỉnh Đồng Nai` in a commune's plan)."""
    found = _province_of(_LOCAL_UNIT.sub("", issuer or ""))
    if found:
        return found
    head = [p for p in paras if p.line < body_start]
    local = bool(issuer and _LOCAL_UNIT.search(issuer))  # a commune's plan names its province somewhere
    return _first_province(head) or (_first_province(paras) if local else None)


# `xã Tân Phú`, `phường Hòa Bình`: a commune's (or a former district's) own name, which may be a province's too
_LOCAL_UNIT = re.compile(rf"\b(?:xã|phường|đặc khu|thị trấn|huyện|quận|thị xã)\s+{UPPER}\w*(?:\s+{UPPER}\w*){{0,3}}")


def _first_province(paras: list[Paragraph]) -> str | None:
    """The first province named `tỉnh X` / `thành phố X` in these paragraphs."""
    for p in paras:
        for m in _PLACE_NAME.finditer(p.text):
            name = m.group(1).upper()
            for proper in sorted(provinces().values(), key=len, reverse=True):
                if name.startswith(proper.upper()):
                    return proper
    return None


_PLACE_NAME = re.compile(rf"\b(?:tỉnh|thành phố|Thành phố|TỈNH|THÀNH PHỐ)\s+({UPPER}\w*(?:\s+{UPPER}\w*){{0,3}})")


# the recipients' column read on the same line as the signature's (`Nơi nhận: KT. CHỦ TỊCH`,
# `- Lưu: VT, KT. Nguyễn Văn A`): the signature's part is the line's tail
_RECIPIENT_LINE = re.compile(r"^(?:Nơi\s+nhận\s*:|[-+•]\s)", re.I)
_SEPARATOR = re.compile(r"[;:.,]\s+")


def _tails(text: str) -> list[str]:
    """What a recipients' line holds after each of its separators, longest first."""
    if not _RECIPIENT_LINE.match(text):
        return []
    return [text[m.end() :] for m in _SEPARATOR.finditer(text) if m.end() < len(text)]


def _signer(paras: list[Paragraph]) -> tuple[str | None, str | None]:
    """The name under the signature block's last title line (`KT. CHỦ TỊCH` / `PHÓ CHỦ TỊCH`),
    also where the recipients' column shares its lines."""
    title, since = None, 99
    for p in paras:
        text = p.text.strip()
        found = _title_in(text)
        if found:
            title, since = found, 0
            continue
        since += 0 if _RECIPIENT_LINE.match(text) else 1
        name = _name_in(text) if title and since <= 4 else None
        if name:
            return name, _signer_title(title or "")
    return None, None


def _title_in(text: str) -> str | None:
    """The signer's title a line holds: the whole line, or the tail of a recipients' line."""
    for part in [text, *_tails(text)]:
        m = SIGNER_TITLE.match(part)
        if m:
            return m.group(1)
    return None


def _name_in(text: str) -> str | None:
    """The signer's name a line holds: the whole line, or the tail of a recipients' line that is
    a person's name, not a body's (`- Báo Hà Tĩnh`)."""
    if PERSON.match(text):
        return text
    return next(
        (t for t in _tails(text) if PERSON.match(t) and not registry().mentions(t) and t.upper() not in provinces()),
        None,
    )


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
