"""Indicators (chỉ tiêu): tables and inline lists `(1) ...; (2) ...`, with every
measurable target a row sets — comparator from the Vietnamese wording, number in
Vietnamese style, unit as written."""

from __future__ import annotations

import itertools
import re

from ..model import Indicator, Span, Target
from ..vn import LOWER, UPPER
from .agencies import find_agencies
from .lexicon import alternation
from .numbers import parse_number
from .structure import Paragraph, Table
from .tasks import FOOTNOTE_REF

NUM = r"\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?"
RANGE = re.compile(rf"(?:từ\s+)?({NUM})\s*(%?)\s*(?:-|–|đến)\s*({NUM})")
NUMBER = re.compile(rf"(?<![\w/.,])({NUM})(?![\d])")
GREATER_EQ = re.compile(r"(?:tối\s+thiểu|ít\s+nhất|không\s+dưới|không\s+thấp\s+hơn|không\s+ít\s+hơn|≥|>=)\s*$", re.I)
AFTER_GE = re.compile(r"^\s*(?:%\s*)?(?:[\w/,. ]{0,25}?)\btrở\s+lên\b", re.I)
AFTER_LE = re.compile(r"^\s*(?:%\s*)?(?:[\w/,. ]{0,25}?)\btrở\s+xuống\b", re.I)
GREATER = re.compile(r"(?:trên|hơn|vượt|>)\s*$", re.I)
LESS_EQ = re.compile(r"(?:tối\s+đa|không\s+quá|không\s+vượt\s+quá|dưới\s+hoặc\s+bằng|≤|<=)\s*$", re.I)
LESS = re.compile(r"(?:dưới|<)\s*$", re.I)
FROM = re.compile(r"\btừ\s*$", re.I)
YEARLIKE = re.compile(
    r"(?:khu\s+vực|năm|giai\s+đoạn|tháng|quý|ngày|khóa|số|lần\s+thứ|mức\s+độ|cấp|độ\s+tuổi)\s*$",
    re.I,
)
UNITS = [
    "nghìn tỷ đồng",
    "tỷ đồng",
    "triệu đồng/người/năm",
    "triệu đồng/người",
    "triệu đồng",
    "nghìn đồng",
    "đô la Mỹ",
    "USD/người",
    "USD",
    "tỷ USD",
    "triệu USD",
    "giường bệnh/vạn dân",
    "bác sĩ/vạn dân",
    "giường/vạn dân",
    "người/vạn dân",
    "sinh viên/vạn dân",
    "ha",
    "km",
    "m2",
    "m²",
    "MW",
    "kWh",
    "tấn",
    "lượt khách",
    "lượt",
    "người",
    "lao động",
    "doanh nghiệp",
    "hợp tác xã",
    "xã",
    "huyện",
    "hộ",
    "căn",
    "tuổi",
    "năm",
    "dự án",
    "cơ sở",
    "trường",
    "điểm",
    "sản phẩm",
    "khu",
    "cụm",
    "thủ tục",
    "bệnh viện",
]
UNIT_RE = re.compile(
    r"^\s*(" + "|".join(re.escape(u) for u in sorted(UNITS, key=len, reverse=True)) + r")(?!\w)",
    re.I,
)
QUALITATIVE = re.compile(r"^(?:Đạt|Giữ vững|Hoàn thành|Duy trì|Không|Có)\b", re.I)
ITEM = re.compile(r"\((\d{1,2})\)\s*")
VALUE_COL = re.compile(r"kế\s+hoạch|chỉ\s+tiêu\s+(?:tỉnh|năm|giao)|mục\s+tiêu|năm\s+20\d\d|giá\s+trị", re.I)


def _comparator(before: str, after: str) -> str:
    clause = re.split(r"[;.]\s", after, maxsplit=1)[0]
    if AFTER_GE.match(after) or (re.search(r"\btrở\s+lên\s*$", clause) and not NUMBER.search(clause)):
        return ">="
    up, verb = re.search(r"\btrở\s+lên\b", clause), re.search(r"\bđạt\b", clause)
    if up and (not verb or up.start() < verb.start()):
        return ">="  # `90% xã ... và 95% cơ quan ... trở lên`: one `trở lên` for all
    if AFTER_GE.match(after) or GREATER_EQ.search(before) or FROM.search(before):
        return ">="
    if AFTER_LE.match(after) or LESS_EQ.search(before):
        return "<="
    if GREATER.search(before):
        return ">"
    if LESS.search(before):
        return "<"
    return "="


_PER = re.compile(r"^/\s*([^\W\d_]+(?:\s+[^\W\d_]+)?)")
_UNIT_STOP = re.compile(r"^(?:trở|trên|dưới|trong|đạt|và|của|so|với|theo|tại|được|là|có|cho|từ|đến|năm\s+20)", re.I)
_VERB = re.compile(r"(?<!\w)(?:đạt|còn|giảm|tăng(?!\s+trưởng)|chiếm|là|ở\s+mức|duy\s+trì\s+mức)(?!\w)", re.I)


def _per(unit: str, rest: str) -> str:
    """`%` + `/năm`, `triệu đồng` + `/lao động`: the rate a unit is counted per."""
    m = _PER.match(rest)
    if not m:
        return unit
    words = m.group(1).split()
    if _UNIT_STOP.match(words[-1]):
        words = words[:1]
    return f"{unit}/{' '.join(words)}"


_NAMED_UNIT = re.compile(
    rf"^\s+((?:{UPPER}{{2,}}\b|{UPPER}{LOWER}*(?:\s+{LOWER}+){{0,2}}?))"
    r"(?=\s*(?:[,;.)(]|$)|\s+(?:đạt|và|của|trên|tại|theo|so|được|là|có|nâng|trong|mới|sinh)\b)"
)


def _unit(after: str) -> str | None:
    a = after.lstrip()
    if a.startswith("%"):
        return _per("%", a[1:])
    m = re.match(r"^/(\d+)\b", after)
    if m:
        return f"/{m.group(1)}"
    m = _NAMED_UNIT.match(after)
    if m:
        return m.group(1)  # `05 Khu công nghiệp`, `12 KCN`: a counted noun as the document names it
    m = UNIT_RE.match(after)
    if m:
        return _per(m.group(1), after[m.end() :])
    # a counted noun closing the clause: `đạt 35 giường`, `15 bác sỹ`
    m = re.match(r"^\s+([^\W\d_]+(?:\s+[^\W\d_]+){0,2})\s*(?:[;.,)]|$)", after)
    if m and not _UNIT_STOP.match(m.group(1)) and m.group(1)[0].islower():
        return m.group(1)
    return None


def targets(text: str, unit: str | None = None) -> list[Target]:
    """Every measurable target a text sets (`đạt 7,0 - 7,5%`, `trên 98%`, `≤2,7`)."""
    out: list[Target] = []
    taken: list[tuple[int, int]] = []
    for m in RANGE.finditer(text):
        before = text[: m.start()]
        if YEARLIKE.search(before) or re.match(r"^\s*(?:tuổi|năm)\b", text[m.end() :]):
            continue
        lo, hi = parse_number(m.group(1)), parse_number(m.group(3))
        if lo is None or hi is None or lo >= hi:
            continue
        u = _unit(text[m.end() :]) or ("%" if m.group(2) else unit)
        out.append(Target(_name(before), "range", None, lo, hi, u))
        taken.append(m.span())
    for m in NUMBER.finditer(text):
        if any(a <= m.start() < b for a, b in taken):
            continue
        before, after = text[: m.start()], text[m.end() :]
        if YEARLIKE.search(before) or re.match(r"^\s*/\s*20\d\d", after):
            continue
        if re.match(r"^\d{4}$", m.group(1)) and 1900 < int(m.group(1)) < 2100:
            continue
        stated = after.lstrip().startswith("%") or any(
            p.search(before) for p in (GREATER_EQ, GREATER, LESS_EQ, LESS, FROM)
        )  # `từ 10% trở lên, GRDP ... đạt 110 triệu đồng`: a target of its own before the next verb
        if not stated and _before_verb(text, m.start(), m.end()):
            continue  # `Tổng thu ngân sách 5 năm đạt ...`: a number in the indicator's name
        if TOP_GROUP.search(before):
            # `trong nhóm 20 tỉnh dẫn đầu`: a rank among the first 20, at most 20
            out.append(Target(_name(before), "<=", parse_number(m.group(1)), unit=_counted(after) or unit))
            continue
        if re.match(r"^\s*/\s*\d", after) and not RANK.search(before):
            # `9/9 huyện`: the count, with the noun after the fraction as unit
            frac = re.match(r"^\s*/\s*\d+\s*(.*)$", after)
            u = _unit(" " + frac.group(1)) if frac else None
            out.append(Target(_name(before), "=", parse_number(m.group(1)), unit=u or unit))
            continue
        u = _unit(after) or unit
        if u is None and not re.search(r"(?:đạt|là|còn|giảm|tăng|chiếm|[<>≤≥=])\s*$", before, re.I):
            continue
        out.append(Target(_name(before), _comparator(before, after), parse_number(m.group(1)), unit=u))
    out.sort(key=lambda t: text.find(t.name) if t.name else 0)
    return out


RANK = re.compile(rf"(?<!\w){alternation('rank_words')}\s*$", re.I)
TOP_GROUP = re.compile(rf"(?<!\w){alternation('top_group')}\s*$", re.I)
_RANKED = re.compile(r"^(?:dẫn|đứng|đầu|cao|tốt|cả|trên|của|toàn|trong|về|có)$", re.I)


def _counted(after: str) -> str | None:
    """The noun a group's size counts (`20 tỉnh dẫn đầu cả nước` → `tỉnh`)."""
    m = re.match(r"^\s+([^\W\d_]+(?:\s*,?\s*[^\W\d_]+){0,3})", after)
    if not m:
        return None
    words = re.findall(r"[^\W\d_]+|,", m.group(1))
    kept = list(itertools.takewhile(lambda w: not _RANKED.match(w), words))
    return " ".join(kept).replace(" ,", ",").strip(", ") or None


def _before_verb(text: str, start: int, end: int) -> bool:
    """The number stands in the indicator's name: before the clause's first verb (`đạt`),
    with the target's number after that verb (`Tổng thu ngân sách 5 năm đạt 162.080 tỷ đồng`)."""
    bounds = re.compile(r";|\.\s|,\s*trong\s+đó", re.I)
    clause_start = max((m.end() for m in bounds.finditer(text, 0, start)), default=0)
    nxt = bounds.search(text, end)
    clause_end = nxt.start() if nxt else len(text)
    verb = _VERB.search(text, clause_start, clause_end)
    return bool(verb and verb.start() >= end and NUMBER.search(text[verb.end() : clause_end]))


_NAME_TAIL = re.compile(
    r"(?:\s+(?:đạt|là|còn|giảm|tăng|chiếm|ở\s+mức|khoảng|trên|dưới|từ|tối\s+thiểu|tối\s+đa|ít\s+nhất|"
    r"không\s+quá|phấn\s+đấu|có|cho|mới))+\s*$",
    re.I,
)


def _name(before: str) -> str:
    """The name of the target a number sets: its clause, without the verb before the number."""
    clause = re.split(r"[;:]|\.\s|,\s+trong\s+đó", before)[-1]
    return _NAME_TAIL.sub("", " " + re.sub(r"\s+", " ", clause)).strip(" ,")


# ── tables ────────────────────────────────────────────────────────────────────
# the column naming each indicator: `Chỉ tiêu`, `Tên chỉ tiêu`, `Các chỉ tiêu chủ yếu` (not `Chỉ tiêu năm 2026`)
NAME_COL = re.compile(
    rf"(?:{alternation('determiners')}\s+|tên\s+|nội\s+dung\s+)?chỉ\s+tiêu(?:\s+(?:chủ\s+yếu|cụ\s+thể|chính))?",
    re.I,
)


def is_indicator_table(header: list[str]) -> bool:
    return any(NAME_COL.fullmatch(h.strip()) for h in header)


def from_table(table: Table, title: str, year: int | None) -> list[Indicator]:
    header = table.header
    name_col = next(i for i, h in enumerate(header) if NAME_COL.fullmatch(h.strip()))
    unit_col = next(
        (i for i, h in enumerate(header) if re.fullmatch(r"đơn\s+vị(?:\s+tính)?|ĐVT", h.strip(), re.I)),
        None,
    )
    value_col = next((i for i, h in enumerate(header) if i != name_col and VALUE_COL.search(h)), None)
    agency_col = next(
        (i for i, h in enumerate(header) if re.search(r"cơ\s+quan|đơn\s+vị\s+(?:chủ|theo)", h, re.I)),
        None,
    )
    table_year = _year(title) or (_year(header[value_col]) if value_col is not None else None) or year
    out: list[Indicator] = []
    group = title
    for k, row in enumerate(table.rows[1:], 1):

        def cell(i: int | None, row: list[str] = row) -> str:
            return row[i] if i is not None and i < len(row) else ""

        code, name = (row[0] if name_col > 0 else ""), cell(name_col)
        if not name:
            continue
        rest = [c for i, c in enumerate(row) if c and i not in (0, name_col)]
        if re.fullmatch(r"[IVX]+\.?|[A-Z]\.?", code) and not rest:
            group = name
            continue
        unit = cell(unit_col) or None
        if value_col is not None:
            tg = _value_targets(name, cell(value_col), unit)
        else:
            tg = targets(name, unit)
            if not tg and not re.search(r"\d", name):
                tg = [Target(name, "qualitative")]
        if not code and out and value_col is not None:
            out[-1].targets += tg  # a sub-row (`Tốc độ tăng`) of the row above
            continue
        line, end = table.row_lines[k] if k < len(table.row_lines) else (table.line, table.line_end)
        found = Indicator(group, name, find_agencies(cell(agency_col)), str(table_year) if table_year else None, tg)
        found.source = Span(line, end)
        out.append(_reviewed(found))
    return out


def _reviewed(found: Indicator) -> Indicator:
    if not found.targets or all(t.comparator == "qualitative" for t in found.targets):
        found.review.append("no_target")
    return found


def _value_targets(name: str, value: str, unit: str | None) -> list[Target]:
    if not value.strip():
        return []
    tg = targets(value, unit)
    if tg:
        return tg
    if QUALITATIVE.match(value.strip()):
        return [Target(name, "qualitative", unit=unit)]
    return []


def _year(text: str | None) -> str | None:
    if not text:
        return None
    m = re.search(r"(20\d\d)\s*[-–]\s*(20\d\d)", text)
    if m:
        return f"{m.group(1)}-{m.group(2)}"
    m = re.search(r"\b(20\d\d)\b", text)
    return m.group(1) if m else None


# ── inline lists ─────────────────────────────────────────────────────────────
LIST_HEADING = re.compile(r"chỉ\s+tiêu|mục\s+tiêu\s+cụ\s+thể|^(?:các\s+)?mục\s+tiêu$", re.I)
_DETERMINER = rf"(?:{alternation('determiners')}\s+)?"
LIST_OPENS = re.compile(rf"^{_DETERMINER}{alternation('indicator_nouns')}(?!\w)", re.I)
GENERAL = re.compile(rf"^{_DETERMINER}{alternation('general_objectives')}(?!\w)", re.I)


def lists_indicators(heading: str, strict: bool = False) -> bool | None:
    """Whether a heading opens a list of indicators: True (`2. Các chỉ tiêu chủ yếu`), False
    (`1. Mục tiêu chung`: no measurable list), None (`a) Về kinh tế`: the heading above decides).
    `strict` (in the tasks part): only a heading that opens with the noun, not one that names
    indicators as work (`Phấn đấu hoàn thành các chỉ tiêu`)."""
    if GENERAL.match(heading):
        return False
    if LIST_OPENS.match(heading) or (not strict and LIST_HEADING.search(heading)):
        return True
    return None


def _in_list(headings: list[tuple[float, str]], strict: bool) -> bool:
    """The nearest heading that says whether it lists indicators says it does."""
    for _, text in reversed(headings):
        decided = lists_indicators(text, strict)
        if decided is not None:
            return decided
    return False


def from_paragraphs(
    paras: list[Paragraph], doc: dict, year: int | None, title: str = "", strict: bool = False
) -> list[Indicator]:
    """Indicators stated in prose: an inline list `2.1. Các chỉ tiêu kinh tế: (1) ...; (2) ...`,
    or the items (bullets or numbered) that set a target under a heading that lists indicators
    (`2. Các chỉ tiêu chủ yếu`, `II. CHỈ TIÊU`); the nearest heading above an item is its group."""
    out: list[Indicator] = []
    target_year = _target_year(paras) or (str(year) if year else None)
    period = _year(doc.get("title"))

    def indicator(group: str, text: str, p: Paragraph) -> Indicator:
        item_year = target_year
        if period and "-" in period and re.search(r"\b(?:5\s+năm|bình\s+quân|giai\s+đoạn)\b", text):
            item_year = period
        tg = targets(text) or [Target(text, "qualitative")]
        return _reviewed(Indicator(group, text, [], item_year, tg, source=Span(p.line, p.line_end)))

    headings: list[tuple[float, str]] = [(-1.0, title)]
    for p in paras:
        text = FOOTNOTE_REF.sub("", p.body if p.kind else p.text)
        items = list(ITEM.finditer(text))
        if len(items) >= 2 and not strict:
            head = text[: items[0].start()].strip().rstrip(":").strip()
            for a, b in zip(items, [*items[1:], None], strict=False):
                item = text[a.end() : b.start() if b else len(text)].strip().rstrip(";.").strip()
                out.append(indicator(head, item, p))
            continue
        if not p.kind:
            # a plain paragraph right under a numbered heading that lists indicators (its numbering lost)
            if len(headings) > 1 and lists_indicators(headings[-1][1], strict) and targets(text):
                out.append(indicator(headings[-1][1], text.rstrip(";.").strip(), p))
            continue
        while len(headings) > 1 and headings[-1][0] >= p.level:
            headings.pop()
        if _in_list(headings, strict) and (targets(text) or _qualitative(p, text)) and lists_indicators(text) is None:
            out.append(indicator(headings[-1][1], text.rstrip(";.").strip(), p))
        else:
            headings.append((p.level, text.rstrip(":").strip()))
    return out


QUALITATIVE = re.compile(rf"^{alternation('qualitative_targets')}(?!\w)", re.I)


def _qualitative(p: Paragraph, text: str) -> bool:
    """An item of an indicator list that sets a target without a number: a `(n)` item, or a numbered one
    that opens with a target's verb (`Giữ vững ...`, `Không để ...`); not one over a list of its own (`:`)."""
    if text.rstrip().endswith(":") or not text.strip():
        return False
    return p.kind == "paren" or (p.kind in ("arabic", "dotted", "letter") and bool(QUALITATIVE.match(text)))


# `Phấn đấu đạt được các chỉ tiêu ... năm 2026 ...: A chiếm 60%; tinh giản 10% B; C đạt từ 95% trở lên.`
_COLON_LIST = re.compile(r"(?:^|(?<=[.;]\s))(?P<head>[^.;:]*\bchỉ\s+tiêu\b[^.;:]*):\s*(?P<items>[^:]+)$", re.I)


_INLINE_NUMBER = re.compile(r"^\(?\d{1,2}[.)]\s+")


def from_colon_lists(paras: list[Paragraph], year: int | None) -> list[Indicator]:
    """Indicators listed inline after a sentence that names them, anywhere in the purpose and
    objectives: one per `;`-separated item that sets a measurable target."""
    out: list[Indicator] = []
    for p in paras:
        text = FOOTNOTE_REF.sub("", p.body if p.kind else p.text)
        m = _COLON_LIST.search(text)
        if not m or len(ITEM.findall(text)) >= 2:
            continue  # an `(1) ...; (2) ...` list is read by `from_paragraphs`
        # each item without the number it may carry inline (`: 1. ... đạt 8%; 2. ...`)
        items = [_INLINE_NUMBER.sub("", i.strip()).rstrip(".;").strip() for i in re.split(r";\s+", m.group("items"))]
        items = [i for i in items if i]
        found = [(item, targets(item)) for item in items]
        if len(items) < 2 or sum(1 for _, tg in found if tg) < 2:
            continue
        head = m.group("head").strip()
        y = _year(head) or (str(year) if year else None)
        out += [
            _reviewed(Indicator(head, item, [], y, tg, source=Span(p.line, p.line_end))) for item, tg in found if tg
        ]
    return out


def _target_year(paras: list[Paragraph]) -> str | None:
    for p in paras:
        m = re.search(r"(?:Đến|đến)\s+năm\s+(20\d\d)", p.text)
        if m:
            return m.group(1)
    return None


__all__ = ["Target", "targets", "from_table", "from_paragraphs", "is_indicator_table"]
