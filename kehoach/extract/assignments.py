"""Assignment grammar: who leads (chủ trì), who coordinates (phối hợp), who monitors
(theo dõi, đôn đốc, tổng hợp), as Vietnamese administrative sentences say it:
`X chủ trì, phối hợp với Y ...`, `X: Chủ trì, phối hợp với Y tham mưu ...`,
`Giao X ...`, `Đề nghị X ...`, `... gửi Z để tổng hợp`."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .agencies import Mention, registry

# Words that may stand between or before the agencies of one subject.
_CONNECTOR = re.compile(
    r"(?:\s|,|;|:|\bvà\b|\bcùng\b|\bvới\b|\bcác\b|\bThủ trưởng\b|\bGiám đốc\b|\bChủ tịch\b|"
    r"(?-i:\bLãnh đạo\b|\bTrưởng\b)|"  # a title before the bodies it heads; `lãnh đạo B` directs B
    r"\bngười đứng đầu\b|\bcơ quan\b|\bđơn vị\b|\blực lượng\b|\bcấp tỉnh\b|\bcác cấp\b|"
    r"\bgồm\b|\bcó liên quan\b|\bliên quan\b|\btỉnh\b|[-–—])*",
    re.I,
)
_INTRO = re.compile(
    r"^(?:Giao\s+(?:nhiệm\s+vụ\s+)?(?:cho\s+)?|(?:Kính\s+)?Đề\s+nghị\s+|Mời\s+|Yêu\s+cầu\s+|Phân\s+công\s+)", re.I
)
_REQUEST = re.compile(r"^(?:Kính\s+)?(?:Đề\s+nghị|Mời)\s+", re.I)
_ADVERBIAL = re.compile(
    r"(?:Định\s+kỳ|Hằng|Hàng|Mỗi|Trong|Trước|Sau|Khi|Đến|Từ|Ngay|Kịp\s+thời|Chậm\s+nhất|Để|Với\s+(?:vai\s+trò|tư\s+cách))\b",
    re.I,
)
_VERB_FIRST = re.compile(
    r"(?:xây\s+dựng|ban\s+hành|tổ\s+chức|triển\s+khai|thực\s+hiện|kiểm\s+tra|rà\s+soát|tham\s+mưu|chủ\s+trì|"
    r"phối\s+hợp|báo\s+cáo|tổng\s+hợp|hoàn\s+thành|đẩy\s+mạnh|tăng\s+cường|chỉ\s+đạo|hướng\s+dẫn|đề\s+xuất)\b",
    re.I,
)
_ASKS = re.compile(r"^[\s,]*(?:đề\s+nghị|yêu\s+cầu|giao|mời)\s+", re.I)
_ASKS_ANY = re.compile(r"(?:^|[\s,])(?:đề\s+nghị|yêu\s+cầu|giao|mời)\s+", re.I)
# `Căn cứ ...,`, `Thực hiện Nghị quyết số ...,`: a circumstance before the subject; `Thực hiện công tác
# truyền thông, giao X chủ trì` is the work itself, named before who carries it out
_LEADING_CLAUSE = re.compile(
    r"^(?:Căn cứ|Trên cơ sở|Tùy theo|Tùy|Theo|Thực hiện\s+(?:(?:theo|các|đúng|nghiêm)\s+)?(?:Nghị quyết|Nghị định|"
    r"Kết luận|Chỉ thị|Quyết định|Kế hoạch|Chương trình|Thông báo|Công văn|Văn bản|Luật|Đề án|Thông tư|"
    r"ý kiến|chỉ đạo|sự chỉ đạo|hướng dẫn|quy định|chức năng|nhiệm vụ được giao))\b[^,;:]{0,200},\s*",
    re.I,
)
_COORD = re.compile(
    r"\bphối\s+(?:hợp\s+)?(?:chặt\s+chẽ\s+|thực\s+hiện\s+)?(?:với|cùng|của)\s*|\bphối\s+hợp\s+", re.I
)  # `phối hợp (chặt chẽ) với X`, `phối hợp X`, `với sự phối hợp của X`
# `A (chủ trì,) (là đầu mối) đôn đốc, chỉ đạo B thực hiện`: B does the work, A follows it up; `lãnh đạo` is
# the Party's `chỉ đạo`; `A hướng dẫn B` is A's own work (it directs only after `chỉ đạo, hướng dẫn`)
_URGE = re.compile(
    r"^[\s,]*(?:là\s+(?:cơ\s+quan|đơn\s+vị)?\s*)?(?:chủ\s+trì\s*,?\s*)?(?:là\s+)?(?:đầu\s+mối\s*,?\s*)?"
    r"(?:đôn\s+đốc|chỉ\s+đạo|lãnh\s+đạo)"
    r"(?:\s*,?\s*(?:và\s+)?(?:đôn\s+đốc|chỉ\s+đạo|lãnh\s+đạo|hướng\s+dẫn|kiểm\s+tra))*\s+",
    re.I,
)
# `Trung tâm X chịu trách nhiệm kiểm tra, giám sát, đôn đốc việc thực hiện`: a clause that only follows up
_FOLLOW_UP = re.compile(
    r"^[\s,]*(?:chịu\s+trách\s+nhiệm\s+|là\s+(?:cơ\s+quan\s+|đơn\s+vị\s+)?đầu\s+mối\s+|có\s+trách\s+nhiệm\s+)?"
    r"(?:kiểm\s+tra|giám\s+sát|đôn\s+đốc|theo\s+dõi|chỉ\s+đạo)(?:[\s,]+(?:và\s+)?(?:kiểm\s+tra|giám\s+sát|đôn\s+đốc|"
    r"theo\s+dõi|chỉ\s+đạo|điều\s+hành))*(?:\s+(?:việc\s+)?thực\s+hiện)?[\s.;:]*$",
    re.I,
)
_MONITOR = re.compile(
    r"(?:\bgửi\s+(?:về\s+)?(?:cho\s+)?|\bvề\s+|(?P<report>\bbáo\s+cáo\s+(?:về\s+)?))(?P<who>[^;]{3,120}?)\s+"
    r"(?:để\s+)?(?:theo\s+dõi|tổng\s+hợp)",
    re.I,
)


@dataclass
class Assignment:
    lead: list[str] = field(default_factory=list)
    coordinate: list[str] = field(default_factory=list)
    monitor: list[str] = field(default_factory=list)
    subject_end: int = 0  # where the subject ends in the text (0 when none)
    directed: bool = False  # `Chỉ đạo B làm ...` under A's heading: B leads, A (the heading's) follows up

    @property
    def empty(self) -> bool:
        return not (self.lead or self.coordinate or self.monitor)


def _names(ms: list[Mention]) -> list[str]:
    out: list[str] = []
    for m in ms:
        if m.name not in out:
            out.append(m.name)
    return out


def leading_agencies(text: str, start: int = 0) -> tuple[list[Mention], int]:
    """The agencies that open `text[start:]`, separated only by connectors; and where they end."""
    found: list[Mention] = []
    pos = start
    for m in registry().mentions(text):  # read once per text (cached), whatever the start
        if m.start < start:
            continue
        if not _CONNECTOR.fullmatch(text, pos, m.start):
            break
        found.append(m)
        pos = m.end
    return found, pos


def coordinators(text: str) -> list[str]:
    """Agencies after `phối hợp (với)`, as long as they follow one another; and the subject of a
    later clause that only works with the lead (`...; Sở Tài chính phối hợp thẩm định`)."""
    out: list[str] = []
    for m in _COORD.finditer(text):
        ms, _ = leading_agencies(text, m.end())
        for n in _names(ms):
            if n not in out:
                out.append(n)
    out += [n for n in _later_subjects(text, _PARTNER) if n not in out]
    return out + [n for n in _partners_after(text) if n not in out]


# `..., Sở Nội vụ, Công an tỉnh phối hợp (thực hiện)`: bodies named after the lead whose own verb is only
# `phối hợp`, with no partner of their own after it
_PARTNER_ONLY = re.compile(r"\s*phối\s+hợp(?!\s+(?:với|cùng)\b)(?!\w)", re.I)


def _only_partners(text: str, end: int) -> bool:
    """`phối hợp` after the bodies at `end`, and no partner of theirs after it (`Y phối hợp Z`)."""
    m = _PARTNER_ONLY.match(text, end)
    return m is not None and not leading_agencies(text, m.end())[0]


def _partners_after(text: str) -> list[str]:
    """The bodies a clause after the first names as partners (`X chủ trì, Y, Z phối hợp`)."""
    out: list[str] = []
    for m in registry().mentions(text):
        if not m.start or not re.search(r"[,;]\s*$", text[: m.start]) or m.name in out:
            continue
        ms, end = leading_agencies(text, m.start)
        if _only_partners(text, end):
            out += [n for n in _names(ms) if n not in out]
    return out


def monitors(text: str, exclude: list[str]) -> list[str]:
    """Agencies the work is sent to for follow-up: `gửi Sở Tài chính để tổng hợp`."""
    out: list[str] = []
    for m in _MONITOR.finditer(text):
        # `gửi kết quả về Sở Nội vụ để tổng hợp`: the body after what is sent
        starts = [m.start("who"), *(m.start("who") + k.end() for k in _TO.finditer(m.group("who")))]
        ms: list[Mention] = []
        for at in starts:
            found, end = leading_agencies(text, at)
            # `báo cáo Sở Nội vụ tổng hợp`: the body reported to follows up only where it compiles at once
            if found and (not m.group("report") or at > m.start("who") or _COMPILES.match(text, end)):
                ms = found
                break
        for n in _names(ms):
            if n not in exclude and n not in out:
                out.append(n)
    return out + [n for n in _later_subjects(text, _FOLLOW_UP) if n not in exclude and n not in out]


_TO = re.compile(r"\b(?:về|cho|tới|đến|gửi)\s+", re.I)
_COMPILES = re.compile(r"\s+(?:để\s+)?(?:theo\s+dõi|tổng\s+hợp)\b", re.I)


_PARTNER = re.compile(r"^[\s,]*phối\s+hợp\b", re.I)


def _later_subjects(text: str, predicate: re.Pattern[str]) -> list[str]:
    """The bodies of the clauses after the first whose predicate is this one (`...; Văn phòng UBND
    tỉnh theo dõi, đôn đốc`: a clause that only follows the work up)."""
    out: list[str] = []
    for clause in re.split(r";\s+", text)[1:]:
        names, end = subject(clause)
        if names and predicate.match(clause[end:]):
            out += [n for n in names if n not in out]
    return out


# people as persons (`Đồng chí ...`, `Chuyên viên ...`, `Các Phó Chủ tịch phụ trách ...`): no agency leads
PERSONS = re.compile(
    r"^(?:Các\s+)?(?:đồng\s+chí|đ/c|chuyên\s+viên|cán\s+bộ|công\s+chức|viên\s+chức|ủy\s+viên|uỷ\s+viên|"
    r"(?:phó\s+)?chủ\s+tịch\s+phụ\s+trách|phó\s+chủ\s+tịch(?!\s+(?:UBND|Ủy\s+ban|Uỷ\s+ban|HĐND)))\b",
    re.I,
)


def subject(text: str) -> tuple[list[str], int]:
    """The agencies a sentence opens with (its grammatical subject), and where it ends. A sentence
    that opens with people as persons (`Đồng chí Phó Chủ tịch ...`) has no agency for subject."""
    t = text
    if PERSONS.match(t):
        return [], 0
    offset = 0
    m = _LEADING_CLAUSE.match(t)
    if m:
        offset = m.end()
    m = _INTRO.match(t[offset:])
    if m:
        offset += m.end()
    ms, end = leading_agencies(t, offset)
    if not ms and (_ADVERBIAL.match(t, offset) or _LEADING_CLAUSE.match(t)):
        # `Theo chức năng, nhiệm vụ được giao, Sở Tài chính ...`: a clause of several commas before it
        # `Định kỳ 6 tháng, hàng năm, Sở Công Thương tổ chức sơ kết`: the subject after the adverbial
        for comma in re.finditer(r",\s*", t[offset : offset + 200]):
            if _VERB_FIRST.match(t, offset + comma.end()):
                break  # `Trước ngày 31/01/2025, xây dựng ...`: the clause has no subject
            ms, end = leading_agencies(t, offset + comma.end())
            if ms:
                break
    if not ms:
        return [], 0
    return _names(ms), end


def is_request(text: str) -> bool:
    """`Đề nghị Ủy ban Mặt trận Tổ quốc ...`, `Mời ...`: a request to a body outside the issuer's authority."""
    return bool(_REQUEST.match(text))


def parse_assignment(text: str, lead_in: bool = False) -> Assignment:
    """Assignment stated by one sentence or item: its subject leads, `phối hợp (với) X` wherever it
    stands makes X a coordinate, `gửi X để tổng hợp` makes X a monitor; `A đôn đốc, chỉ đạo B
    thực hiện ...` is led by B and followed up by A (but `Đề nghị A chỉ đạo B` is led by A, and
    `A chủ trì, đôn đốc B` states A's own duty, except in a lead-in, which hands B to its items)."""
    asides = role_asides(text)
    if asides is not None:
        return asides
    lead, end = subject(text)
    directed = _directed(text) if not lead else []
    if directed:
        lead = directed
    if not lead:
        lead = trailing_lead(text)  # `Rà soát ...; Phòng Kinh tế thực hiện`: the body named after the work
    coord = coordinators(text)
    monitor: list[str] = []
    if lead and not is_request(text):
        m = _URGE.match(text[end:])
        asks = _ASKS.match(text[end:])
        if m and not lead_in and re.search(r"chủ\s+trì", m.group(), re.I):
            m = None  # `X là cơ quan chủ trì, đầu mối đôn đốc Y`: X's own duty (a lead-in hands Y down)
        if m:
            objects, stop = leading_agencies(text, end + m.end())
            if objects:
                lead, monitor, end = _names(objects), lead, stop
        elif asks:
            # `UBND thành phố đề nghị các Đại sứ quán, ..., yêu cầu các Sở ...`: those asked do the work
            asked = _asked(text, end)
            if asked:
                lead, end = asked, end + asks.end()
    lead_set = set(lead)
    coord = [c for c in coord if c not in lead_set]
    monitor = [x for x in _merge(monitor, monitors(text, lead + coord)) if x not in lead_set]
    return Assignment(lead, coord, monitor, end, bool(directed))


def _directed(text: str) -> list[str]:
    """`Chỉ đạo Tổ A và Tổ B tổ chức ...`: a sentence without a subject that directs bodies it names
    (its subject is the heading's body above it); directing a collective (`Chỉ đạo các chủ đầu tư`)
    stays the directing body's work."""
    m = _URGE.match(text)
    if m is None or re.search(r"chủ\s+trì", m.group(), re.I):
        return []
    objects, _ = leading_agencies(text, m.end())
    reg = registry()
    return [] if any(reg.is_collective(o.name) for o in objects) else _names(objects)


# The lead named after the work: a body at the start of a later clause (`...; Phòng Kinh tế thực
# hiện`, `..., Ban Quản lý dự án khu vực 2 chủ trì`), after `do` (`... do Sở Xây dựng chủ trì thực
# hiện`) or `giao` (`..., giao Sở Y tế thực hiện`), whose predicate only says it carries the work out
# and closes the clause (perhaps with its partners or its time). `các dự án do Sở X thực hiện quản
# lý` or `do UBND tỉnh ban hành` describe a thing, not who carries out the task.
_CARRY = (
    r"(?:chủ\s+trì|thực\s+hiện|triển\s+khai|tổ\s+chức\s+thực\s+hiện|đảm\s+nhiệm|phụ\s+trách|chịu\s+trách\s+nhiệm|"
    r"tham\s+mưu|là\s+đầu\s+mối|làm\s+đầu\s+mối|đầu\s+mối)(?:\s+chính)?"
)
_CARRIES = re.compile(
    rf"\s*(?:là\s+(?:cơ\s+quan|đơn\s+vị)\s+)?{_CARRY}(?:\s*(?:,|và)?\s*{_CARRY})*"
    r"(?=\s*(?:[.;)]|$)|\s*,?\s*(?:phối\s+hợp|hoàn\s+thành|xong|trong|trước|từ|đến|chậm\s+nhất|thời\s+gian|"
    r"thời\s+hạn|năm|quý|tháng|định\s+kỳ|thường\s+xuyên|h[ằà]ng|các\s+nội\s+dung|nội\s+dung|nhiệm\s+vụ)(?!\w))",
    re.I,
)
_FOLLOWS_UP = re.compile(r"\b(?:theo\s+dõi|đôn\s+đốc|giám\s+sát)\b", re.I)
_AFTER_WORK = re.compile(r"(?:[,;.:]|\s[-–]|\bdo|\b[Gg]iao(?:\s+cho)?)\s*$")


def trailing_lead(text: str) -> list[str]:
    """The bodies a sentence names after its work as the ones who carry it out (see `_CARRIES`)."""
    for m in registry().mentions(text):
        if not m.start or not _AFTER_WORK.search(text, 0, m.start):
            continue
        ms, end = leading_agencies(text, m.start)
        clause = re.split(r"[;.]\s", text[end:], maxsplit=1)[0]
        if _FOLLOWS_UP.search(clause):
            continue  # `...; Văn phòng UBND tỉnh chủ trì, phối hợp với Sở Nội vụ theo dõi, đôn đốc`: follow-up
        if _CARRIES.match(text, end) or _carry_then_partners(text, end) or _carry_with_partners(text, end):
            return _names(ms)
    return []


_WITH = re.compile(r"\s*phối\s+hợp\s+(?:chặt\s+chẽ\s+)?(?:với|cùng)\s+", re.I)


def _carry_with_partners(text: str, end: int) -> bool:
    """`...; X phối hợp với Y thực hiện`: named after the work, X carries it out with its partners Y."""
    m = _WITH.match(text, end)
    if m is None:
        return False
    ms, stop = leading_agencies(text, m.end())
    return bool(ms) and bool(_CARRIES.match(text, stop))


_CARRY_COMMA = re.compile(rf"\s*{_CARRY}\s*,\s*", re.I)


def _carry_then_partners(text: str, end: int) -> bool:
    """`X chủ trì, Y phối hợp`: the lead's verb, then its partners each named before `phối hợp`."""
    m = _CARRY_COMMA.match(text, end)
    if m is None:
        return False
    ms, stop = leading_agencies(text, m.end())
    return bool(ms) and _only_partners(text, stop)


# `Sở Y tế (chủ trì), Sở Tài chính (phối hợp)`: each body's role in an aside after it
_ROLE_ASIDE = re.compile(r"\(\s*(chủ\s+trì|phối\s+hợp|theo\s+dõi)\s*\)", re.I)
_ROLES = {"chủ": "lead", "phối": "coordinate", "theo": "monitor"}


def role_asides(text: str) -> Assignment | None:
    """Who leads, coordinates or monitors where the sentence opens with bodies each followed by
    its role in brackets (`A (chủ trì), B, C (phối hợp) xây dựng ...`); None where it does not."""
    marks = list(_ROLE_ASIDE.finditer(text))
    if not marks:
        return None
    out = Assignment()
    since = 0
    for mark in marks:
        ms, end = leading_agencies(text, since)
        if not ms or not _CONNECTOR.fullmatch(text, end, mark.start()):
            break
        role = getattr(out, _ROLES[mark.group(1).split()[0].lower()])
        role += [n for n in _names(ms) if n not in role]
        since = out.subject_end = mark.end()
    return out if out.lead else None


def _asked(text: str, end: int) -> list[str]:
    """Every body a sentence asks (`đề nghị A, B, yêu cầu C, D cử đầu mối`), in order."""
    out: list[str] = []
    for m in _ASKS_ANY.finditer(text, end):
        objects, _ = leading_agencies(text, m.end())
        out += [n for n in _names(objects) if n not in out]
    return out


def lead_in_assignment(text: str) -> Assignment:
    """Who a lead-in or a paragraph over a list names, clause by clause: the subject of a clause
    that states work leads; one whose clause only follows up (`Y chịu trách nhiệm kiểm tra, giám
    sát, đôn đốc`; `Z là đầu mối đôn đốc, chỉ đạo điều hành`) monitors."""
    out = Assignment()
    listed: list[str] = []  # `Công ty A; Công ty B; Công ty C có trách nhiệm:` — bodies listed one per clause
    for clause in re.split(r";\s+", text):
        if _names_only(clause):
            listed.append(registry().canonical(clause.strip(" .")))
            continue
        asg = parse_assignment(clause, lead_in=True)
        if listed and asg.lead:
            asg.lead, listed = _merge(listed, asg.lead), []
        if not asg.lead:
            out.coordinate = _merge(out.coordinate, asg.coordinate)
            continue
        if _FOLLOW_UP.match(clause[asg.subject_end :]) and not asg.monitor:
            out.monitor = _merge(out.monitor, asg.lead)
            continue
        if not out.lead:
            out.lead = asg.lead
        out.coordinate = _merge(out.coordinate, asg.coordinate)
        out.monitor = _merge(out.monitor, asg.monitor)
    out.coordinate = [c for c in out.coordinate if c not in out.lead]
    out.monitor = [m for m in out.monitor if m not in out.lead]
    return out


_PREDICATE = re.compile(
    r"[:()]|\b(?:là|có|chịu|được|chủ\s+trì|phối\s+hợp|thực\s+hiện|triển\s+khai|tham\s+mưu|tổ\s+chức|đôn\s+đốc|"
    r"chỉ\s+đạo|kiểm\s+tra|giám\s+sát|theo\s+dõi|bảo\s+đảm|đảm\s+bảo|hướng\s+dẫn|báo\s+cáo)\b",
    re.I,
)


def _names_only(clause: str) -> bool:
    """A clause that is one body's name and nothing else (an entry of a list written with `;`)."""
    clause = clause.strip(" .")
    ms = registry().mentions(clause)
    return bool(ms) and ms[0].start == 0 and len(clause.split()) <= 14 and not _PREDICATE.search(clause)


def _merge(a: list[str], b: list[str]) -> list[str]:
    return a + [x for x in b if x not in a]


_DUTY_WORDS = re.compile(
    r"^(?:có\s+trách\s+nhiệm\s+)?(?:tổ\s+chức\s+)?(?:triển\s+khai\s*)?(?:thực\s+hiện|tham\s+mưu)?"
    r"(?:\s*(?:(?:các|những)\s+)?(?:nhiệm\s+vụ|nội\s+dung|giải\s+pháp|công\s+việc|việc)"
    r"(?:\s+sau(?:\s+đây)?|\s+như\s+sau|\s+cụ\s+thể|\s+(?:bao\s+)?gồm)?)?"
    r"(?:\s+như\s+sau)?\s*$",
    re.I,
)


# a time inside a heading that names who acts (`..., trong năm 2026 thực hiện:`): it says when, not what
_TIME = re.compile(
    r"[\s,]*(?:hoàn\s+thành\s+)?(?:trong|trước|chậm\s+nhất|từ|đến)\s+(?:ngày\s+\d{1,2}/\d{1,2}(?:/\d{4})?|"
    r"tháng\s+\d{1,2}(?:/\d{4})?|quý\s+[IV]+(?:/\d{4})?|năm\s+\d{4})"
    r"(?=\s*[,:;]|\s+(?:thực\s+hiện|triển\s+khai)\b|\s*$)",
    re.I,
)


def is_assignment_heading(text: str) -> bool:
    """`b) Sở Xây dựng chủ trì, phối hợp với ...:`, `1. Sở Tư pháp:`, `Giao Văn phòng Sở`,
    `Các sở ... tổ chức thực hiện:` — a heading that only names who carries out what follows."""
    lead, end = subject(text)
    if not lead:
        return False
    asks = _ASKS.match(text[end:])
    asked, after = leading_agencies(text, end + asks.end()) if asks else ([], end)
    if asked:
        end = after  # `UBND tỉnh giao Sở Nội vụ chủ trì các nội dung sau:`: the body given the work
    rest = _TIME.sub("", re.sub(r"\([^)]*\)", "", text[end:]))  # `..., hoàn thành trong quý II/2026:`
    rest = re.sub(r"^[\s,:]*(?:được\s+giao\s+)?(?:chủ\s+trì|thực\s+hiện)?[\s,]*", "", rest, flags=re.I)
    urge = _URGE.match(rest)  # `Sở Y tế lãnh đạo, chỉ đạo các cơ sở y tế thực hiện:`
    if urge and not re.search(r"chủ\s+trì", urge.group(), re.I):  # `X là cơ quan chủ trì, đôn đốc Y`: X's work
        objects, e = leading_agencies(rest, urge.end())
        rest = rest[e:] if objects else rest
    m = _COORD.match(rest)
    if m:
        _, e = leading_agencies(rest, m.end())
        rest = re.sub(r"^\s*(?:có\s+)?liên\s+quan\b", "", rest[e:])  # `các sở, ngành liên quan:`
    return bool(_DUTY_WORDS.match(rest.strip(" ,.:;")))
