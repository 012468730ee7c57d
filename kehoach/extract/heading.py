"""The document's identity from its Decree 30/2020 layout: kind, number, issuer,
place and date, title (trích yếu), the documents it implements, signer, and the
headline growth target."""

from __future__ import annotations

import re
from dataclasses import replace
from functools import cache

from .. import data_csv, data_toml
from ..vn import LOWER, UPPER
from .agencies import canonical, registry
from .structure import Block, Paragraph

KINDS = (
    "KẾ HOẠCH HÀNH ĐỘNG|CHƯƠNG TRÌNH HÀNH ĐỘNG|KẾ HOẠCH|CHƯƠNG TRÌNH|QUYẾT ĐỊNH|CHỈ THỊ|"
    "NGHỊ QUYẾT|ĐỀ ÁN|PHƯƠNG ÁN|KẾT LUẬN|HƯỚNG DẪN|CÔNG VĂN|THÔNG BÁO"
)
KIND_LINE = re.compile(rf"^(?:{KINDS})$")
NUMBER = re.compile(r"\bSố\s*:?\s*(\d+[a-zA-Z]?)?\s*([/-]\s*[\wĐđ][\wĐđ\-/.]*)")
DOC_REF = re.compile(r"(?<![\w/])(\d+[a-z]?(?:/\d{4})?(?:/|-)[A-ZĐ][A-ZĐa-zđ]*\d*(?:[/-][A-ZĐ0-9][\wĐđ]*)*)")
# `Trà Vinh, ngày 18 tháng 01 năm 2025` (day or month may be left blank), also after `Số: ...`
PLACE_DATE = re.compile(
    rf"(?:^|\s){UPPER}[^\d,;]{{1,40}},\s*ngày\s+(\d{{1,2}}|[.…_ ]*)\s+tháng\s+(\d{{1,2}}|[.…_ ]*)\s+năm\s+(\d{{4}})"
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
PERSON = re.compile(rf"^{UPPER}{LOWER}+(?:\s+{UPPER}{LOWER}*){{1,4}}$")
GROWTH = re.compile(
    r"(?P<verb>tăng\s+trưởng|\bG(?:R)?DP\)?\s+(?:bình\s+quân\s+)?tăng)(?P<between>[^.;:%,]{0,70}?)(?P<prefix>(?:từ|trên)\s+)?"
    r"(?P<value>\d+(?:,\d+)?\s*%?\s*(?:[-–]|đến)\s*\d+(?:,\d+)?\s*%|\d+(?:,\d+)?\s*%)(?P<more>\s*trở\s+lên)?",
    re.I,
)
TITLE_STOP = re.compile(r"^(?:\(|Căn cứ|Số:|Kính gửi|I\.|1\.)")


@cache
def provinces() -> dict[str, str]:
    """Upper-cased province names → their proper spelling (63 old and 34 new)."""
    return {r["name"].upper(): r["name"] for r in data_csv("provinces.csv")}


_UNIT_WORD = r"(?:TỈNH|THÀNH PHỐ|THỊ XÃ|THỊ TRẤN|XÃ|PHƯỜNG|ĐẶC KHU|HUYỆN|QUẬN)"
_ABBREVIATIONS = {"UBND": "ỦY BAN NHÂN DÂN", "HĐND": "HỘI ĐỒNG NHÂN DÂN", "MTTQ": "MẶT TRẬN TỔ QUỐC"}
# a place in a body's name: its unit word and name (`TỈNH GIA LAI`), not a Party committee (`TỈNH ỦY`)
# nor the field `XÃ HỘI` (`SỞ NỘI VỤ, LAO ĐỘNG VÀ XÃ HỘI`)
_PLACE = re.compile(rf"^(.*?)\s*\b({_UNIT_WORD})\s+(?!ỦY\b)(?!(?<=XÃ )HỘI(?:$|\s*[,-]|\s+VÀ\b))(.+)$")
# a Party committee named by its level (`TỈNH ỦY`, `THÀNH ỦY HÀ NỘI`, `ĐẢNG ỦY XÃ AN BÌNH`)
_COMMITTEE = re.compile(r"^(TỈNH|THÀNH|HUYỆN|QUẬN|THỊ|ĐẢNG)\s+ỦY(?:\s+(.+))?$")
_PARTY_BRANCH = re.compile(r"^ĐẢNG BỘ\s+(.+)$")  # `ĐẢNG BỘ TỈNH X`: the Party's organisation of a place
# bodies that act for the one above them in the heading block (`BAN THƯỜNG TRỰC` of the Front's committee)
_SUB_BODY = re.compile(r"^(?:BAN THƯỜNG TRỰC|BAN THƯỜNG VỤ|THƯỜNG TRỰC|VĂN PHÒNG|BAN CHẤP HÀNH)$")
# a unit of a body named above it (`SỞ Y TẾ` under `UBND TỈNH X`, `BAN TUYÊN GIÁO` under `TỈNH ỦY X`)
_UNIT = re.compile(r"^(?:SỞ|BAN|VĂN PHÒNG|CHI CỤC|CỤC|PHÒNG|VỤ|TRUNG TÂM|ỦY BAN KIỂM TRA)(?:\s|$)")


def _place_phrase(unit: str, name: str) -> str:
    """`TỈNH`, `GIA LAI` → `tỉnh Gia Lai`; a city whose name holds its kind keeps it (`Thành phố Hồ Chí Minh`)."""
    proper = provinces().get(f"{unit} {name}") or provinces().get(name)
    if proper and proper.upper().startswith(unit):
        return proper
    return f"{unit.lower()} {proper or _proper_name(name)}"


def _proper_name(upper: str) -> str:
    return " ".join(w[:1] + w[1:].lower() for w in upper.split())


def _split_place(upper: str) -> tuple[str, str | None]:
    """A body's name and its place: `ỦY BAN NHÂN DÂN TỈNH TRÀ VINH` → (`ỦY BAN NHÂN DÂN`, `tỉnh Trà Vinh`)."""
    m = _PLACE.match(upper.strip(" ,"))
    if not m:
        return upper, None
    return m.group(1).strip(" ,"), _place_phrase(m.group(2), m.group(3).strip(" ,"))


def _body(upper: str) -> str:
    """A body's name without its place, as written in running text; the registry's spelling where it knows it."""
    low = _capitalised(upper.lower()).replace("Uỷ", "Ủy").replace("uỷ", "ủy")
    known = canonical(low)
    if registry().known(known):
        return known
    if low.startswith("Sở "):  # `Sở Nội vụ, Lao động và Xã hội`: each field of a department capitalised
        return re.sub(r"(^Sở |, | và | - )(\w)", lambda m: m.group(1) + m.group(2).upper(), low)
    return low


def _sentence_case(upper: str) -> str:
    """`ỦY BAN NHÂN DÂN TỈNH TRÀ VINH` → `Ủy ban nhân dân tỉnh Trà Vinh`; `... XÃ TÂN PHÚ` → `... xã Tân Phú`;
    `THÀNH ỦY HÀ NỘI` → `Thành ủy Hà Nội`."""
    for short, full in _ABBREVIATIONS.items():
        upper = re.sub(rf"\b{short}\b", full, upper)
    committee = _COMMITTEE.match(upper)
    if committee and committee.group(2):
        return _committee(committee.group(1), committee.group(2))
    body, place = _split_place(upper)
    if place:
        return f"{_body(body)} {place}" if body else place
    return _body(body)


def _committee(level: str, place: str) -> str:
    """A Party committee by its level and place: `TỈNH`, `TỈNH QUẢNG TRỊ` → `Tỉnh ủy Quảng Trị`;
    `ĐẢNG`, `XÃ AN BÌNH` → `Đảng ủy xã An Bình` (a committee named `Đảng ủy` keeps the place's unit)."""
    if level == "ĐẢNG":  # `XÃ AN BÌNH`, `ỦY BAN NHÂN DÂN TỈNH GIA LAI` (the Party's committee of a body)
        return f"Đảng ủy {_sentence_case(place)}"
    m = re.match(rf"^{_UNIT_WORD}\s+(.+)$", place)
    name = m.group(1) if m else place
    return f"{level.capitalize()} ủy {provinces().get(place) or provinces().get(name) or _proper_name(name)}"


def _capitalised(low: str) -> str:
    """Lower-case words as a body's name writes them: `ủy ban mặt trận tổ quốc việt nam` →
    `Ủy ban Mặt trận Tổ quốc Việt Nam` (the parts that are names keep their capitals)."""
    low = low[:1].upper() + low[1:]
    for name in ("Mặt trận Tổ quốc Việt Nam", "Mặt trận Tổ quốc", "Việt Nam", "Thường trực", "Thường vụ", "Tỉnh ủy"):
        low = re.sub(re.escape(name), name, low, flags=re.I)
    return low


_MOTTO = re.compile(r"\s+(?:CỘNG\s+H[OÒ]A\s+XÃ\s+HỘI|ĐẢNG\s+CỘNG\s+SẢN\s+VIỆT\s+NAM|Độc\s+lập\s*[-–]\s*Tự\s+do)")
_MOTTO_LINE = ("CỘNG HÒA", "CỘNG HOÀ", "ĐẢNG CỘNG SẢN", "Độc lập")


def heading_names(head: list[Paragraph]) -> list[str]:
    """The names in the heading block's left column, upper case: a line naming the place of the one
    before joined to it (`ỦY BAN NHÂN DÂN` / `XÃ TÂN PHÚ`)."""
    names: list[str] = []
    for p in head:
        # the two columns of the heading block read as one line: the issuer's column comes first
        t = _MOTTO.split(p.text)[0].strip() or p.text.strip()
        if t.startswith("Số") or KIND_LINE.match(t) or p.kind:
            break
        if t.startswith(_MOTTO_LINE) or not t.isupper() or len(t) > 80:
            continue  # the right column, also where a reader gives the two columns' lines in turn
        place_goes_on = names and re.search(rf"\b{_UNIT_WORD}$", names[-1])  # `... TỈNH` / `QUẢNG TRỊ`
        # `SỞ NỘI VỤ, LAO ĐỘNG` / `VÀ XÃ HỘI`: a line that opens with `VÀ` ends the name above
        name_goes_on = names and (re.match(r"^(?:VÀ|&)\s", t) or names[-1].endswith((",", " VÀ")))
        if (
            place_goes_on
            or name_goes_on
            or (names and re.match(rf"^{_UNIT_WORD}\s", t) and not re.match(rf"^{_UNIT_WORD}\s+ỦY\b", t))
        ):
            names[-1] = f"{names[-1]} {t}"
        else:
            names.append(t)
    return names


def heading_block(head: list[Paragraph]) -> str | None:
    """The issuer from the heading block's left column: the last body under its parent (`UBND TỈNH GIA
    LAI` / `SỞ NÔNG NGHIỆP VÀ MÔI TRƯỜNG`; `ĐẢNG BỘ TỈNH X` / `TỈNH ỦY`; `ỦY BAN MTTQ VIỆT NAM` /
    `XÃ LƯƠNG MINH` / `BAN THƯỜNG TRỰC`)."""
    names = heading_names(head)
    if not names:
        return None
    last = names[-1]
    above = names[-2] if len(names) > 1 else None
    return (above and _under(last, above)) or _sentence_case(last)


def _under(last: str, above: str) -> str | None:
    """The name of a body written under the one it belongs to, or None where it stands alone."""
    branch = _PARTY_BRANCH.match(above)
    committee = _COMMITTEE.match(last)
    if branch and committee and not committee.group(2):  # `ĐẢNG BỘ TỈNH X` / `TỈNH ỦY` → `Tỉnh ủy X`
        return _committee(committee.group(1), branch.group(1))
    if branch:
        return _of_party_branch(last, branch.group(1))
    if committee:
        return None
    if _SUB_BODY.match(last) or (_COMMITTEE.match(above) and _UNIT.match(last)):
        return f"{_sentence_case(last)} {_sentence_case(above)}"  # the Front's or the Party's own organ
    if _UNIT.match(last):
        body, place = _split_place(last)
        place = place or _split_place(above.replace("UBND", "ỦY BAN NHÂN DÂN"))[1]
        return f"{_body(body)} {place}" if place else _body(body)
    return None


_OF_COMMITTEE = re.compile(r"^(.+?)\s+(TỈNH|THÀNH|HUYỆN|QUẬN|THỊ|ĐẢNG)\s+ỦY$")
_BARE_UNIT = re.compile(rf"\b{_UNIT_WORD}$")
# the Party's committee of a place by its unit: `TỈNH` → `Tỉnh ủy`; a commune's, ward's → `Đảng ủy`
_PARTY_LEVEL = {"TỈNH": "TỈNH", "THÀNH PHỐ": "THÀNH", "HUYỆN": "HUYỆN", "QUẬN": "QUẬN", "THỊ XÃ": "THỊ"}


def _of_party_branch(last: str, place: str) -> str | None:
    """A body under the Party's organisation of `place` that names its committee or its unit without the
    place's name: `BAN THƯỜNG VỤ TỈNH ỦY` → `Ban Thường vụ Tỉnh ủy X`; `ĐẢNG ỦY ỦY BAN NHÂN DÂN TỈNH` →
    `Đảng ủy Ủy ban nhân dân tỉnh X`."""
    organ = _OF_COMMITTEE.match(last)
    if organ:
        return f"{_body(organ.group(1))} {_committee(organ.group(2), place)}"
    m = re.match(rf"^({_UNIT_WORD})\s+(.+)$", place)
    if _BARE_UNIT.search(last) and m:
        return _sentence_case(f"{last} {m.group(2)}")
    if last == "BAN CHẤP HÀNH":  # the organisation's executive committee
        return f"Ban Chấp hành {_sentence_case(f'ĐẢNG BỘ {place}')}"
    if _UNIT.match(last) and m:  # `BAN TUYÊN GIÁO` → `Ban Tuyên giáo Tỉnh ủy X`
        return f"{_body(last)} {_committee(_PARTY_LEVEL.get(m.group(1), 'ĐẢNG'), place)}"
    return None


def _province_of(issuer: str | None) -> str | None:
    """The province an issuer's name places it in (`... tỉnh Gia Lai`, `Thành ủy Hà Nội`)."""
    if not issuer:
        return None
    for proper in sorted(provinces().values(), key=len, reverse=True):
        name = re.escape(proper)
        # by its unit (`tỉnh X`, `Tỉnh ủy X`), not a commune that shares its name; a city whose name holds its kind
        if re.search(rf"\b(?:tỉnh|thành phố|ủy)\s+{name}(?!\w)", issuer, re.I) or (
            proper.startswith("Thành phố") and proper.casefold() in issuer.casefold()
        ):
            return proper
    return None


# what opens the preamble under the title, not a line of the title
_PREAMBLE = re.compile(r"^(?:Căn cứ|Thực hiện|Xét|Theo đề nghị|Trên cơ sở|Nhằm|Để|Kính gửi)\b")
_TITLE_LINE = 120  # a wrapped line of the title is no longer than a line of the page
# the preamble's opening words inside a paragraph: a reader ran the title's last line into it
_GLUED_PREAMBLE = re.compile(r"\s+(?=(?:Căn cứ|Thực hiện|Xét|Theo đề nghị|Trên cơ sở)\s)")


def title_of(after_kind: list[Paragraph]) -> str | None:
    """The trích yếu: the paragraph under the document's kind, with the lines of it that a PDF or a
    typist wrapped at a capital (`... của` / `Ban Thường vụ Tỉnh ủy ...`), up to the preamble a reader
    ran into it (`... năm 2026 Thực hiện ...`), without the `(Kèm theo ...)` line under it."""
    parts: list[str] = []
    for p in after_kind[:4]:
        text, *preamble = _GLUED_PREAMBLE.split(p.text, maxsplit=1)
        if _ends_title(p, text, parts):
            break
        parts.append(text)
        if preamble:
            break
    # a title run together with the `(Kèm theo Quyết định số ...)` line under it
    return re.sub(r"\s*\((?:Ban hành )?[Kk]èm theo\b.*$", "", " ".join(parts)).strip() or None


def _ends_title(p: Paragraph, text: str, parts: list[str]) -> bool:
    """Whether paragraph `p` (its `text` up to a preamble run into it) is past the title whose
    paragraphs so far are `parts`."""
    if TITLE_STOP.match(text) or KIND_LINE.match(text) or ISSUER_LINE.match(text) or not text:
        return True
    if not parts:
        return False
    return bool(
        parts[-1].rstrip().endswith((".", ":", ";", "!", "?", ")"))
        or p.kind
        or len(text) > _TITLE_LINE * (p.line_end - p.line + 1)
        or text.rstrip().endswith((".", ":", ";"))
        or _PREAMBLE.match(text)
        or ISSUING.search(text)
        or text.isupper() != parts[-1].isupper()  # `CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH` under a decision's title
        or not re.match(r"^[\w“\"(]", text)
    )


_KIND_AND_TITLE = re.compile(rf"^({KINDS})\s+({UPPER}\w*\s.*{LOWER}.*)$")


def _kind_apart(p: Paragraph) -> list[Paragraph]:
    """`KẾ HOẠCH Triển khai ...`: the kind and the title a reader ran onto one line, apart."""
    m = _KIND_AND_TITLE.match(p.text)
    return [replace(p, text=m.group(1)), replace(p, text=m.group(2))] if m else [p]


def paragraphs(blocks: list[Block]) -> list[Paragraph]:
    return [b for b in blocks if isinstance(b, Paragraph)]


def document_fields(blocks: list[Block], body_start: int) -> dict:
    """Fields of plan/v1 `document`, from the paragraphs before `body_start` and the body."""
    paras = paragraphs(blocks)
    head = [p for p in paras if p.line < body_start] or paras[:40]
    head = [q for p in head for q in _kind_apart(p)]
    kinds = [(i, p) for i, p in enumerate(head) if KIND_LINE.match(p.text)]
    plan_kind = next((x for x in kinds if not x[1].text.startswith("QUYẾT ĐỊNH")), None)
    kind_at = plan_kind or (kinds[0] if kinds else None)
    doc_type = kind_at[1].text if kind_at else None

    title = title_of(head[kind_at[0] + 1 :]) if kind_at else None

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
# where the preamble's clauses begin: `Căn cứ A; B; Thực hiện C; D; Xét Tờ trình ...` (a clause runs on
# over its `;` to the next opening word)
_CLAUSE = re.compile(
    r"\s+(?=(?:Căn cứ|Thực hiện|Xét|Theo đề nghị|Trên cơ sở)\b)|[;,]\s*(?=(?:căn cứ|xét|theo đề nghị|trên cơ sở)\b)"
)
# the document `Thực hiện` names first is the one carried out, whatever its kind (`Thực hiện Công văn số
# 2450/BTTTT-THH ngày ...`): its code within the clause's first words, before any other code
_OBJECT = re.compile(r"^Thực\s+hiện\s+[^\d;]{0,60}?(?:số\s+)?(?=\d)", re.I)
_OPENING = re.compile(r"^Thực\s+hiện\b", re.I)
# where the opening sentence turns to the issuer issuing the plan (`..., Ủy ban nhân dân xã ban hành Kế hoạch`)
_ISSUES = re.compile(
    r",\s+(?:Ủy ban|Uỷ ban|UBND|Sở|Ban|Bộ|Tỉnh ủy|Thành ủy|Đảng ủy|Hội đồng|HĐND|Văn phòng|Thường trực)"
    r"[^,;]{0,80}?\b(?:ban hành|xây dựng)\b"
)
# the code's kind: `01/NQ-CP`, `61/2024/QH15` (the State's), `18-KL/TW` (the Party's)
_CODE_KIND = re.compile(r"^\d+[a-z]?(?:/\d{4})?/([^\W\d_]+)|^\d+[a-z]?-([^\W\d_]+)/")
_CITED_BY = re.compile(r"(?:Tờ\s+trình|Công\s+văn|Văn\s+bản|Công\s+điện)\s+(?:số\s+)?$", re.I)


@cache
def grammar(table: str) -> dict[str, list[str]]:
    """One table of the heading's word lists in data/grammar.toml (`documents`, `signature`, `growth`)."""
    words: dict[str, list[str]] = data_toml("grammar.toml")[table]
    return words


@cache
def implemented_kinds() -> frozenset[str]:
    return frozenset(grammar("documents")["implemented"])


def implemented_codes(text: str) -> list[str]:
    """The codes in `text` of documents a plan can implement, in order, once each: not a Tờ trình, a
    công văn (`249-CV/TU`, `123/UBND-VX`, `Văn bản số ...`)."""
    found: list[str] = []
    for m in DOC_REF.finditer(text):
        kind = _CODE_KIND.match(m.group(1))
        name = kind and (kind.group(1) or kind.group(2))
        if name in implemented_kinds() and not _CITED_BY.search(text[max(0, m.start() - 20) : m.start()]):
            found.append(m.group(1))
    return list(dict.fromkeys(found))


def opening_clauses(paras: list[Paragraph], title: str | None, body_start: int) -> list[str]:
    """The preamble's `Thực hiện ...` clauses, each up to where the issuer says it issues the plan:
    not the `Căn cứ` legal bases, a `Xét` or `Theo đề nghị` Tờ trình."""
    out: list[str] = []
    for p in paras:
        if p.line >= body_start:
            break
        if title and p.text in title:
            continue
        for clause in _CLAUSE.split(p.text):
            if _OPENING.match(clause):
                out.append(_ISSUES.split(clause)[0])
    return out


def _implements(title: str | None, paras: list[Paragraph], body_start: int) -> list[str]:
    """The codes of the documents the title names, in order; where it names none, those of the
    opening `Thực hiện ...` clauses (not the `Căn cứ` bases). A document named without its code
    (`Đề án số 08`) takes the code the text gives it (`08-ĐA/TU`)."""
    found = implemented_codes(title or "")
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
    return list(dict.fromkeys(c for clause in opening_clauses(paras, title, body_start) for c in _carried_out(clause)))


def _carried_out(clause: str) -> list[str]:
    """The codes of an opening `Thực hiện ...` clause's documents that a plan can implement; where it
    cites none, the one it names first, whatever its kind (`Thực hiện Công văn số 2450/BTTTT-THH`; a
    công văn that passes on a directive passes on what is implemented: the directive)."""
    found = implemented_codes(clause)
    m = _OBJECT.match(clause)
    first = DOC_REF.match(clause, m.end()) if m and not found else None
    return [first.group(1)] if first else found


def _issuer(head: list[Paragraph], paras: list[Paragraph]) -> str | None:
    """The issuing body: from the heading block, completed where it lost its place by a line that names
    it with its place (`ỦY BAN NHÂN DÂN TỈNH X` over a decision's bases, `X ban hành kế hoạch`)."""
    own = heading_block(head)
    candidates = [own] if own else []
    for p in head:  # `ỦY BAN NHÂN DÂN TỈNH TRÀ VINH` over a decision's `Căn cứ` lines
        line = p.text.replace("UBND", "ỦY BAN NHÂN DÂN")
        if ISSUER_LINE.match(line) and not line.startswith(("CỘNG HÒA", "CỘNG HOÀ")):
            candidates.append(_sentence_case(line))
    for p in paras[:60]:
        m = ISSUING.search(p.text)
        if m:
            candidates.append(m.group(1).strip())
    if own and not _placed(own):
        candidates = [c for c in candidates if c.casefold().startswith(own.casefold())]
    found = next((c for c in candidates if _placed(c)), candidates[0] if candidates else None)
    if found and re.match(r"^(?:Tỉnh|Thành|Huyện|Đảng) ủy\b", found) and _signs_for_standing_board(paras):
        found = f"Ban Thường vụ {found}"  # `T/M BAN THƯỜNG VỤ` signs for the committee's standing board
    return found


def _placed(issuer: str) -> bool:
    """Whether an issuer's name says where it stands: a place (`... xã Tân An`, `Tỉnh ủy X`) or a ministry."""
    return bool(_province_of(issuer) or re.search(rf"\b{_UNIT_WORD.lower()}\s+\w", issuer) or issuer.startswith("Bộ "))


def _signs_for_standing_board(paras: list[Paragraph]) -> bool:
    return any(re.match(r"^(?:T/M|TM\.?)\s*BAN THƯỜNG VỤ\b", signature_line(p.text)) for p in paras)


def _province(issuer: str | None, paras: list[Paragraph], body_start: int) -> str | None:
    """The province: the issuer's, else the first one the heading or the opening names
    (`Thực hiện Kế hoạch ... của Ủy ban nhân dân tỉnh Đồng Nai` in a commune's plan)."""
    found = _province_of(issuer)
    if found:
        return found
    head = [p for p in paras if p.line < body_start]
    local = bool(issuer and _LOCAL_UNIT.search(issuer))  # a commune's plan names its province somewhere
    return _first_province(head) or (_first_province(paras) if local else None)


# `xã Tân Phú`, `phường Hòa Bình`: a commune's (or a former district's) own name
_LOCAL_UNIT = re.compile(r"\b(?:xã|phường|đặc khu|thị trấn|huyện|quận|thị xã)\s", re.I)
_PLACE_NAME = re.compile(rf"\b(?:tỉnh|thành phố|Thành phố|TỈNH|THÀNH PHỐ)\s+({UPPER}\w*(?:\s+{UPPER}\w*){{0,3}})")


def _first_province(paras: list[Paragraph]) -> str | None:
    """The first province named `tỉnh X` / `thành phố X` in these paragraphs."""
    for p in paras:
        for m in _PLACE_NAME.finditer(p.text):
            name = m.group(1).upper()
            for proper in sorted(provinces().values(), key=len, reverse=True):
                if name.startswith(proper.upper()):
                    return proper
    return None


# a line of the recipients' column that ends with the signature's line beside it, their gap lost
# (`- Như trên; KT. CHỦ TỊCH`, `- Lưu: VT, KT. Trần Văn Nam`)
_BESIDE_RECIPIENTS = re.compile(
    rf"^(?:Nơi\s+nhận\s*:|[-+•].*?[;:,.)])\s+((?:(?:TM|KT|T/M|K/T|Q)\.?\s*)?{UPPER}{UPPER}*(?:\s+{UPPER}+)*"
    rf"(?:\s*\([^)]*\))?|{UPPER}{LOWER}+(?:\s+{UPPER}{LOWER}*){{1,4}})$"
)


_RECIPIENT = re.compile(r"^(?:Nơi\s+nhận\b|[-+•]\s)")


def signature_line(text: str) -> str:
    """The part of a line that belongs to the signature block: all of it, or where a recipient's line
    carries the signature's line at its end, that end."""
    m = _BESIDE_RECIPIENTS.match(text.strip())
    return m.group(1) if m else text.strip()


def _signer(paras: list[Paragraph]) -> tuple[str | None, str | None]:
    """The name under the signature block's last title line (`KT. CHỦ TỊCH` / `PHÓ CHỦ TỊCH`)."""
    title, since = None, 99
    for p in paras:
        line = signature_line(p.text)
        m = signer_title_line().match(line)
        if m:
            title, since = m.group(1), 0
            continue
        if not _RECIPIENT.match(line):  # the recipients' column interleaved with the signature's
            since += 1
        if title and since <= 4 and PERSON.match(line):
            return line, _signer_title(title)
    return None, None


def _signer_title(upper: str) -> str:
    """`PHÓ CHỦ TỊCH THƯỜNG TRỰC` → `Phó Chủ tịch Thường trực`: the title as running text writes it."""
    return next(t for t in signer_titles() if t.upper() == upper)


@cache
def signer_titles() -> tuple[str, ...]:
    """Every signer's title, `Phó` and `Thường trực` forms included, longest first."""
    words = grammar("signature")
    titles = {
        " ".join(w for w in (r, t, d) if w) for t in words["titles"] for r in words["ranks"] for d in words["duties"]
    }
    return tuple(sorted(titles, key=len, reverse=True))


@cache
def signer_title_line() -> re.Pattern[str]:
    """A title line of the signature block: `KT. CHỦ TỊCH`, `T/M BAN THƯỜNG VỤ` / `PHÓ BÍ THƯ`, `GIÁM ĐỐC (đã ký)`."""
    titles = "|".join(re.escape(t.upper()) for t in signer_titles())
    return re.compile(rf"^(?:KT\.?\s*|TM\.?\s*|T/M\s*|K/T\s*|Q\.?\s*|TL\.?\s*|TUQ\.?\s*)?({titles})(?:\s*\([^)]*\))?$")


def _names_any(text: str, kind: str) -> bool:
    return any(re.search(rf"(?<!\w){re.escape(w)}(?!\w)", text, re.I) for w in grammar("growth")[kind])


def is_overall_growth(before: str, between: str) -> bool:
    """Whether a growth rate is the economy's: `before` is the clause's words before `tăng trưởng`,
    `between` those up to the rate. Not a sector's (`tăng trưởng ngành nông nghiệp 3,5%`, `tín dụng
    tăng trưởng 14%`); the economy's by name (`GRDP`, `kinh tế`) or as the plan's own aim (`mục tiêu
    tăng trưởng năm 2026 đạt 8%`)."""
    if _names_any(before, "sector") or _names_any(between, "sector"):
        return False
    if _names_any(before, "overall") or _names_any(between, "overall"):
        return True
    lead = re.sub(r"[^\w\s]", " ", before).strip().lower()
    return not lead or any(lead.endswith(w) for w in grammar("growth")["lead"])


def growth_target(paras: list[Paragraph], title: str | None) -> str | None:
    """The headline GRDP growth target as written (`10,5% trở lên`, `7-7,5%`): the first growth rate
    of the economy outside the title and the preamble (which cite the national target)."""
    for p in paras:
        text = p.body if p.kind else p.text
        if title and (title[:60] in text or text.startswith(("Thực hiện", "Căn cứ"))):
            continue
        if KIND_LINE.match(p.text) or p.text == title:
            continue
        for m in GROWTH.finditer(text):
            clause = re.split(r"[;:.,(]\s|\(\d+\)", text[: m.start()])[-1]
            if not is_overall_growth(clause[-60:], f"{m.group('verb')} {m.group('between')}"):
                continue
            value = re.sub(r"\s*([-–])\s*", "-", re.sub(r"\s+", " ", m.group("value")).strip())
            return f"{m.group('prefix') or ''}{value}{m.group('more') or ''}".strip()
    return None
