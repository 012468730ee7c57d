"""Reporting duties (chế độ báo cáo): who reports to whom, how often, by which dates.

Read from the duties of the organisation part and the reporting part: a clause that reports
(`báo cáo X`, `gửi X tổng hợp` of results, `phản ánh ... để X ...`). An item that both reports
and assigns other work is a task and a duty; one that only says who reports what to whom and
when is a duty alone. A request for funds (`báo cáo UBND tỉnh bố trí kinh phí`) is no report.

Frequency (the phrases are data: `data/reporting.toml`): the finest regular period named —
`hằng tháng` → monthly, `hằng quý`/`tháng cuối quý`/`định kỳ (quý, năm)` → quarterly (its last
report the year's), `hằng năm` → annual; a half year or a week, a time that is no fixed period
(`giữa nhiệm kỳ`), or `định kỳ` alone → periodic; a single date or a final review → once.
Dates are the calendar dates the clause or its footnotes write (`trước ngày 31/01/2025`,
`hằng năm (trước ngày 10/12)` and `ngày 15/6 và 15/12` in the plan's year, a list in the year of
its last day: `các ngày 15/3, 15/6, 15/9/2027`); a day of every period (`trước ngày 18 hằng tháng`,
`ngày 15 tháng cuối quý`, `ngày 20 tháng 12 hằng năm`) names no calendar date: it is the duty's day
rule (`report_day`), which the reporting calendar keeps. The recipient is the body reported to, also
through a person of it (`Chủ tịch UBND xã`, `Giám đốc Sở`)
or a role with the body in parentheses, not the office the report passes through (`qua Sở Nội vụ`).
"""

from __future__ import annotations

import re
from datetime import date

from .. import data_toml
from ..model import Duty, Span
from ..vn import UPPER
from .agencies import find_agencies
from .assignments import leading_agencies, subject
from .deadlines import CUED_DAY_MONTH, DAY_MONTH, FULL_DATE, full_dates, valid_date
from .spelling import key
from .tasks import FOOTNOTE_REF, Draft

REPORT = re.compile(
    r"\bbáo\s+cáo\b|\bgửi\b[^;]{0,150}?\b(?:tổng\s+hợp|theo\s+dõi)\b|\bphản\s+ánh\b[^;]{0,150}?\bđể\b", re.I
)
RESULTS = re.compile(r"\bbáo\s+cáo\b|\bkết\s+quả\b|\btình\s+hình\b|\bsố\s+liệu\b|\bphản\s+ánh\b", re.I)
SEND_TO = re.compile(
    r"\bgửi\s+(?:về\s+)?(?:cho\s+)?|\bphản\s+ánh\b(?:[^;]{0,150}?\s)?(?:về|với|lên)\s+|"
    r"\bphản\s+ánh\b[^;]{0,150}?\bđể\s+",
    re.I,
)
# `báo cáo UBND tỉnh (qua Sở X) về tình hình`: the body named right after `báo cáo`; else the one after
# `về`/`lên`/`cho` (`báo cáo kết quả định kỳ 6 tháng (trước ngày 15/6) về Phòng Nội vụ`)
REPORT_TO = re.compile(r"\bbáo\s+cáo\s+", re.I)
REPORT_VIA = re.compile(r"\bbáo\s+cáo\s+(?:[^;.]{0,200}?\s)?(?:về\s+|lên\s+|cho\s+)", re.I)
# `báo cáo tình hình ... theo yêu cầu của Ban Chỉ đạo`: the body that asks for the report receives it
REQUESTED_BY = re.compile(r"\btheo\s+yêu\s+cầu\s+của\s+", re.I)
# `báo cáo UBND tỉnh bố trí kinh phí`, `báo cáo cấp có thẩm quyền xem xét bố trí nguồn vốn`: a request
FUNDING = re.compile(r"\bbáo\s+cáo\b[^;.]{0,80}?\b(?:bố\s+trí|bổ\s+sung|cấp)\s+(?:kinh\s+phí|nguồn\s+vốn|vốn)", re.I)


def _phrases(words: list[str]) -> str:
    """Phrases as one alternation: whole words, any whitespace between them."""
    return "|".join(r"\s+".join(map(re.escape, w.split())) for w in sorted(words, key=len, reverse=True))


def _load_grammar() -> dict:
    return data_toml("reporting.toml")


_GRAMMAR = _load_grammar()
# a period's name followed by a number (`tháng 6`, `năm 2026`, `quý II`) is a date, not how often
_NOT_A_DATE = r"(?!\w)(?!\s*/?\s*(?:\d|(?:IV|III|II|I)\b))"
CUES = [
    (period, re.compile(rf"(?<!\w)(?:{_phrases(words)}){_NOT_A_DATE}", re.I))
    for period, words in _GRAMMAR["frequency"].items()
]
_NOUNS = {word: period for period, words in _GRAMMAR["period_nouns"].items() for word in words}
_NOUN = rf"(?:{_phrases(list(_NOUNS))}){_NOT_A_DATE}"
# `định kỳ (quý, 6 tháng, năm)`, `báo cáo tháng, quý`: a list of periods named by their nouns
PERIOD_LIST = re.compile(
    rf"(?:định\s+kỳ|báo\s+cáo|h[ằà]ng)\s*\(?\s*(?P<list>{_NOUN}(?:\s*(?:,|và|/|-)\s*{_NOUN})*)", re.I
)
# the regular periods, finest first; a week or a half year is no value of the format's `frequency`
_REGULAR = ("weekly", "monthly", "quarterly", "half", "annual")
_AS_FREQUENCY = {"weekly": "periodic", "half": "periodic"}
ONCE = re.compile(r"\btổng\s+kết\b|\bkết\s+thúc\b|\bsau\s+khi\s+(?:kết\s+thúc|hoàn\s+thành)\b", re.I)
DUE_CUE = re.compile(r"(?:trước|chậm\s+nhất|hạn|hết|đến|vào|trong)\s+(?:ngày\s*)?$", re.I)
_EVERY = [w for name in _REGULAR for w in _GRAMMAR["frequency"][name]]
# `trước ngày 25`, `chậm nhất ngày 18 của tháng cuối quý`: when, said before the report
_WHEN = r"(?:trước|chậm\s+nhất(?:\s+là)?)\s+(?:các\s+)?ngày\s+\d"
# what a report-only item says before `báo cáo`: no other work
_REPORT_ONLY = re.compile(
    r"^(?:(?:Trên\s+cơ\s+sở|Căn\s+cứ)[^;]{0,200}?,\s*(?=tổng\s+hợp|báo\s+cáo|lồng\s+ghép|định\s+kỳ))?"
    rf"(?:(?:định\s+kỳ|kịp\s+thời|chủ\s+động|thường\s+xuyên|{_phrases(_EVERY)}|{_WHEN})[^,;]{{0,60}}?"
    rf"(?:\s*,\s*{_NOUN})*,?\s*)*"
    r"(?:(?:tổng\s+hợp|lồng\s+ghép)(?:\s*,\s*|\s+))*(?:tổng\s+hợp\s+[^,;]{1,60}?\s*,\s*)?"
    r"(?:tham\s+mưu(?:\s*,\s*|\s+[^,;]{0,60}?\s*))?(?:gửi\s+)?"
    r"(?:báo\s+cáo|lồng\s+ghép|phản\s+ánh)\b",
    re.I,
)


def _recipient(clause: str) -> str | None:
    """The last body the clause reports to (`gửi X`, `tham mưu Y báo cáo Z` → Z): the report
    travels to the first one named after `báo cáo`/`gửi`, the final one where it is relayed."""
    found: list[tuple[int, int, str]] = []
    for rank, pat in enumerate((SEND_TO, REPORT_TO, REPORT_VIA)):
        for m in pat.finditer(clause):
            name = _addressee(clause, m.end())
            if name:
                found.append((m.start(), rank, name))
                break
    if found:
        return min(found)[2]
    asked = REQUESTED_BY.search(clause)
    return _addressee(clause, asked.end()) if asked else None


_RECIPIENT = _GRAMMAR["recipient"]
_HEAD_TITLE = re.compile(rf"(?:(?:đồng\s+chí|đ/c)\s+)?(?:{_phrases(_RECIPIENT['head'])})\s+", re.I)
_PERSON = re.compile(rf"(?:(?:{_phrases(_RECIPIENT['person'])})\s+)+", re.I)
_ROLE = re.compile(rf"(?:{_phrases(_RECIPIENT['role'])})\s*\((?P<body>[^()]+)\)", re.I)
_LEADERS = {key(t): t for t in _RECIPIENT["leadership"]}
# `báo cáo Bộ trưởng`, `báo cáo Giám đốc Sở`: the issuer's own leadership (not `Giám đốc Sở Y tế`)
_LEADERSHIP = re.compile(rf"(?:đồng\s+chí\s+)?(?P<title>{_phrases([*_LEADERS])})(?!\w)(?-i:(?!\s+{UPPER}))", re.I)


def _addressee(clause: str, pos: int) -> str | None:
    """The body a report goes to, named at `pos`: written out (`Sở Tài chính`), through a person
    of it (`đồng chí Chủ tịch UBND xã` → `Chủ tịch Ủy ban nhân dân xã`; `Giám đốc Sở` as written;
    `Trưởng Ban Chỉ đạo huyện` → the board) or a role with the body in parentheses."""
    head = _HEAD_TITLE.match(clause, pos)
    for start in [pos, head.end()] if head else [pos]:
        ms, _ = leading_agencies(clause, start)
        if ms:
            body = ms[0].name
            return f"Chủ tịch {body}" if head and body.startswith(("Ủy ban nhân dân", "Hội đồng nhân dân")) else body
    leaders = _LEADERSHIP.match(clause, pos)
    if leaders:
        return _LEADERS.get(key(leaders["title"]), leaders["title"])
    person = _PERSON.match(clause, pos)
    if person:
        ms, _ = leading_agencies(clause, person.end())
        return ms[0].name if ms else None
    role = _ROLE.match(clause, pos)
    # the registry leaves parenthesised asides out of a sentence: the body is read on its own
    return next(iter(find_agencies(role.group("body"))), None) if role else None


def _periods(text: str) -> list[str]:
    """The periods a clause names (`monthly`, `quarterly`, `half`, `annual`, `irregular`)."""
    named = {name for name, pat in CUES if pat.search(text)}
    for m in PERIOD_LIST.finditer(text):
        nouns = re.split(r"\s*(?:,|và|/|-)\s*", m.group("list"))
        named |= {p for n in nouns if (p := _NOUNS.get(_noun_key(n)))}
    return sorted(named)


def _noun_key(noun: str) -> str:
    return " ".join(noun.lower().split())


def _frequency(text: str, dates: list[date]) -> str:
    """How often: the finest regular period named (`hằng quý, năm` → quarterly); `periodic` for
    a time that is no fixed period, or `định kỳ` alone; `once` for a single date or a final review."""
    named = _periods(text)
    regular = [p for p in _REGULAR if p in named]
    if regular and "irregular" not in named:
        return _AS_FREQUENCY.get(regular[0], regular[0])
    if named or re.search(r"\bđịnh\s+kỳ\b", text, re.I):
        return "periodic"
    if len(dates) == 1 or ONCE.search(text):
        return "once"
    return "periodic"


def _guessed(text: str, dates: list[date]) -> bool:
    """No word of the clause says how often it reports: `periodic` is a guess."""
    return not (_periods(text) or re.search(r"\bđịnh\s+kỳ\b", text, re.I)) and not (
        len(dates) == 1 or ONCE.search(text)
    )


# `ngày 15/6 và 15/12`, `ngày 10/6, 10/12`: more days of the same list, each a day and a month; the
# list's last may write the year they share (`trước các ngày 15/3, 15/6, 15/9/2027`)
_MORE_DAYS = re.compile(
    r"\s*(?:,|và|;|hoặc)\s*(?:(?:trước|chậm\s+nhất)\s+)?(?:ngày\s*)?(\d{1,2})\s*/\s*(\d{1,2})"
    r"(?:\s*/\s*((?:19|20)\d{2}))?(?![\d/])"
)
# `trước ngày 20 tháng 12 hằng năm`: a day of every year, a rule and no calendar date
_EVERY_YEAR = re.compile(r"\s*(?:của\s+)?(?:h[ằà]ng|mỗi)\s+năm\b", re.I)


def _dates(text: str, footnotes: list[str], year: int | None) -> list[date]:
    """The calendar dates a clause sets for its reports: full dates after a cue (`trước ngày
    31/01/2026`), days of a month in the plan's year (`hằng năm (trước ngày 10/12)`) and the
    dates its footnotes write. A day of every period (`ngày 20 hằng tháng`, `ngày 15 tháng cuối
    quý`) names no calendar date."""
    out: list[date] = []
    text = _CUT_OFF.sub(" ", text)
    taken = -1  # where the last date taken ends: the dates listed after it are the same cue's
    for m in FULL_DATE.finditer(text):
        before = text[max(0, m.start() - 25) : m.start()]
        listed = taken >= 0 and _LISTED.fullmatch(text, taken, m.start())
        if DUE_CUE.search(before) or listed or _restates_rule(text, m.start()):
            out += full_dates(m.group())
            taken = m.end()
        # otherwise `Chỉ thị số 11-CT/TU ngày 04/01/2026`: a document's date, not a deadline
    for note in footnotes:
        out += full_dates(note)
    if year:
        out += _days_of_year(text, year)
    return sorted(set(out))


# `trước ngày 15/6/2027 và 15/12/2027`: the next date of a list
_LISTED = re.compile(r"\s*(?:,|;|và|hoặc)\s*(?:trước\s+)?", re.I)
# `trước ngày 15 tháng cuối quý (ngày 15/3/2027, 15/6/2027, ...)`: a rule's dates written out beside it
_RULE_DATES = re.compile(r"\(\s*(?:các\s+)?(?:ngày\s*)?$", re.I)


def _restates_rule(text: str, at: int) -> bool:
    """The date opens a bracket that follows a day rule (`ngày 15 tháng cuối quý (ngày 15/3/2027`)."""
    before = text[max(0, at - 80) : at]
    bracket = _RULE_DATES.search(before)
    if bracket is None:
        return False
    return bool(_DAY_RULE.search(before[: bracket.start()].rstrip() + " "))


# `thời gian chốt số liệu từ ngày 15/12 năm trước đến ngày 14/12`: the window of the figures, no due date
_CUT_OFF = re.compile(r"\b(?:chốt|lấy|tính)\s+số\s+liệu\b[^;.]*", re.I)


def _days_of_year(text: str, year: int) -> list[date]:
    """`trước ngày 10/12`, `ngày 15/6 và 15/12`: days of a month, in the plan's year."""
    out: list[date] = []
    for m in sorted([*DAY_MONTH.finditer(text), *CUED_DAY_MONTH.finditer(text)], key=lambda m: m.start()):
        if _EVERY_YEAR.match(text, m.end()):
            continue
        pairs = [(m.group(1), m.group(2))]
        pos, shared = m.end(), year
        while more := _MORE_DAYS.match(text, pos):
            pairs.append((more.group(1), more.group(2)))
            pos = more.end()
            if more.group(3):  # the year written on the list's last day is the list's
                shared = int(more.group(3))
                break
        out += [d for day, month in pairs if (d := valid_date(shared, int(month), int(day)))]
    return out


# `trước ngày 15 của tháng cuối mỗi quý`, `ngày 25 hằng tháng`, `ngày 10 tháng đầu của quý sau`:
# the day of every period a report is due, as (day, months after the period's last month)
_DAY_RULE = re.compile(
    r"ngày\s+(?P<day>\d{1,2})\s+(?:của\s+)?(?:"
    r"(?P<last>tháng\s+cuối\s+(?:của\s+)?(?:mỗi\s+|h[ằà]ng\s+)?(?:quý|kỳ))|"
    r"(?P<next>tháng\s+(?:đầu\s+(?:của\s+)?(?:quý|kỳ)\s+)?(?:sau|tiếp\s+theo|kế\s+tiếp))|"
    r"(?P<every>(?:h[ằà]ng|mỗi)\s+tháng))",
    re.I,
)


def report_day(text: str, frequency: str) -> tuple[int, int] | None:
    """The day rule a duty of that frequency writes (`ngày 15 tháng cuối quý` → (15, 0), `ngày 10
    tháng đầu quý sau` → (10, 1), `ngày 25 hằng tháng` for a monthly one), for the reporting
    calendar; None where it writes none."""
    for m in _DAY_RULE.finditer(text):
        fits = frequency == "monthly" if m["every"] else frequency != "monthly" or bool(m["next"])
        if fits and 1 <= int(m["day"]) <= 31:
            return int(m["day"]), 1 if m["next"] else 0
    return None


def _clauses(text: str) -> list[str]:
    return [c.strip() for c in re.split(r";\s+", text) if c.strip()]


def reporting_duties(tasks: list[Draft], footnotes: dict[str, str], year: int | None) -> list[Duty]:
    """Reporting duties stated by the organisation and reporting parts' items; marks the items
    that only report (`report_only`) and those that also report (`also_reporting`)."""
    duties: list[Duty] = []
    for t in tasks:
        text = _LABEL.sub("", t.clean_text, count=1)
        if t.part not in ("organisation", "reporting") and not _PERIODIC.search(text):
            continue  # in the tasks part, only a periodic report (`định kỳ hằng quý báo cáo`) is a duty
        refs = [footnotes[n] for n in FOOTNOTE_REF.findall(t.text) if n in footnotes]
        found = [d for reporters, seg in _segments(text, t.lead) for d in _duties(seg, reporters, refs, year)]
        if not found:
            continue
        for duty in found:
            duty.source = Span(t.line, t.line_end)
        duties += found
        if _report_only(text):
            t.report_only = True
        else:
            t.flag("also_reporting")
            _leave_report_day(t, found)
    return duties


def _leave_report_day(t: Draft, duties: list[Duty]) -> None:
    """`Sở Y tế triển khai chiến dịch ...; kết thúc chiến dịch, báo cáo Bộ Y tế trước ngày 30/6/2027`:
    the day read from the task's words is its report's, which the duty holds, not the work's."""
    days = {d for duty in duties for d in duty.deadlines}
    report = REPORT.search(t.clean_text)
    # `Trước ngày 30/6/2027, ban hành ..., gửi Sở Tài chính để tổng hợp`: a time that opens the item is the work's
    if report and t.deadline and t.deadline.text and t.deadline.text in t.clean_text[: report.start()]:
        return
    if t.deadline and t.deadline.due in days and "deadline_from_prose" in t.review:
        t.deadline = None
        t.review = [r for r in t.review if r != "deadline_from_prose"]


_SENTENCE = re.compile(rf"(?<=\.)\s+(?={UPPER})")
# `Chế độ báo cáo: Các cơ quan ... báo cáo ...`: the label of a paragraph that states the reports
_LABEL = re.compile(r"^(?:Về\s+)?(?:chế\s+độ|công\s+tác)\s+(?:thông\s+tin,?\s+)?báo\s+cáo\s*:\s*", re.I)


def _segments(text: str, lead: list[str]) -> list[tuple[list[str], str]]:
    """`Các phòng báo cáo X trước ngày 18 hằng tháng. Phòng Y tổng hợp, báo cáo Z.`: a sentence that
    opens with a reporter of its own begins a report of its own."""
    out: list[tuple[list[str], str]] = [(list(lead), "")]
    for sentence in _SENTENCE.split(text):
        ms, _ = leading_agencies(sentence)
        names = list(dict.fromkeys(m.name for m in ms))
        if names and out[-1][1] and names != out[-1][0]:
            out.append((names, sentence))
        elif names and not out[-1][0]:  # the item names no one: its first reporter opens it
            out[-1] = (names, f"{out[-1][1]} {sentence}".strip())
        else:
            out[-1] = (out[-1][0], f"{out[-1][1]} {sentence}".strip())
    return out


def _duties(text: str, reporters: list[str], refs: list[str], year: int | None) -> list[Duty]:
    """The reports one item's text states: one per body reporting to another (its clauses joined:
    `báo cáo quý ...; báo cáo năm ...` to the same body is one duty), or the whole text as one
    report whose contents it lists."""
    clauses = [c for c in _clauses(text) if _reports(c) and _recipient(c)]
    if not clauses and _reports(text) and (_recipient(text) or _report_only(text) or _PERIODIC.search(text)):
        clauses = [text]  # `Định kỳ báo cáo A; B; C ... gửi X tổng hợp`: one report, its contents listed
    groups: dict[tuple[tuple[str, ...], str | None], list[str]] = {}
    for clause in clauses:
        # `...; Phòng Y tổng hợp, báo cáo Z hằng quý`: a clause that opens with a body of its own
        own = [m.name for m in leading_agencies(clause)[0]] if len(clauses) > 1 else []
        groups.setdefault((tuple(dict.fromkeys(own or reporters)), _recipient(clause)), []).append(clause)
    if len(groups) == 1:
        [(who, recipient)] = groups
        return [_duty(text, list(who), recipient, refs, year)]
    return [_duty("; ".join(spans), list(who), recipient, refs, year) for (who, recipient), spans in groups.items()]


def _duty(text: str, reporters: list[str], recipient: str | None, refs: list[str], year: int | None) -> Duty:
    dates = _dates(text, refs, year)
    duty = Duty(reporters, recipient, _frequency(text, dates), dates, text)
    if not reporters:
        duty.review.append("no_lead")
    if recipient is None:
        duty.review.append("no_recipient")
    if _guessed(text, dates):
        duty.review.append("frequency_guessed")
    return duty


_PERIODIC = re.compile(
    r"\b(?:định\s+kỳ|h[ằà]ng\s+(?:tháng|quý|năm)|mỗi\s+(?:tháng|quý|năm))\b[^;.]{0,150}?\bbáo\s+cáo\b|"
    r"\bbáo\s+cáo\b[^;.]{0,150}?\b(?:định\s+kỳ|h[ằà]ng\s+(?:tháng|quý|năm)|mỗi\s+(?:tháng|quý|năm))\b",
    re.I,
)


# `kịp thời báo cáo chính quyền địa phương để xử lý nghiêm hành vi đổ trộm phế thải`: an incident
# passed on for action, not a report of the plan's results
INCIDENT = re.compile(r"\bbáo\s+cáo\b[^;.]{0,80}?\bđể\s+(?:kịp\s+thời\s+)?(?:xử\s+lý|ngăn\s+chặn|khắc\s+phục)\b", re.I)


# `ban hành chương trình hành động, gửi Sở Tài chính để tổng hợp`: what is sent to be compiled is reported
SENT_FOR = re.compile(r"\bgửi\b[^;.]{0,150}?\bđể\s+(?:tổng\s+hợp|theo\s+dõi)\b", re.I)


def _reports(clause: str) -> bool:
    return bool(
        REPORT.search(clause)
        and (RESULTS.search(clause) or SENT_FOR.search(clause))
        and not FUNDING.search(clause)
        and not INCIDENT.search(clause)
    )


_WORK = re.compile(
    r"^(?:tổ\s+chức|xây\s+dựng|triển\s+khai|thực\s+hiện|kiểm\s+tra|rà\s+soát|đề\s+xuất|hướng\s+dẫn|"
    r"tham\s+mưu|chủ\s+trì|phối\s+hợp|theo\s+dõi|đôn\s+đốc|ban\s+hành|tăng\s+cường|đẩy\s+mạnh|chỉ\s+đạo)\b",
    re.I,
)


# `Các tổ công tác báo cáo ...`: a group the registry does not name, then the report
_SUBJECT = re.compile(
    r"^(?:các|những|mỗi|từng)\s+(?:[^\s,;:]+[\s,]+){0,6}?"
    r"(?=(?:định\s+kỳ|h[ằà]ng|mỗi|kịp\s+thời|chủ\s+động|thường\s+xuyên|tổng\s+hợp|gửi|báo\s+cáo)\b)",
    re.I,
)


# what hands a duty to its bodies before naming them (`Giao`, `Đề nghị`, `Yêu cầu`): no work of its own
_ASKED = re.compile(r"^(?:Giao\s+(?:nhiệm\s+vụ\s+)?(?:cho\s+)?|(?:Kính\s+)?Đề\s+nghị\s+|Yêu\s+cầu\s+|Mời\s+)", re.I)


def _report_only(text: str) -> bool:
    """A duty that only says who reports what to whom and when: it opens with the report, and no
    clause after it (`...; tổ chức ...`) states other work."""
    body = _ASKED.sub("", text, count=1)  # `Giao Sở X tổng hợp, báo cáo ...`: the body asked reports
    names, end = subject(body)  # `Trước ngày 15/12/2026, Sở Y tế báo cáo ...`: after its time too
    body = body[end:] if names else _SUBJECT.sub("", body, count=1)
    body = re.sub(r"^[\s,:]*", "", body)
    # `định kỳ hằng quý (trước các ngày 15/3, 15/6) báo cáo ...`: an aside tells no work
    opening = re.sub(r"\s*\([^()]*\)", "", body)
    later = [_ALSO.sub("", c, count=1) for c in _clauses(body)[1:]]
    return bool(_REPORT_ONLY.match(opening)) and not any(_WORK.match(c) or _other_work(c) for c in later)


# `...; đồng thời đề xuất kế hoạch năm sau`: what follows `đồng thời` is judged on its own
_ALSO = re.compile(r"^đồng\s+thời\s*,?\s*", re.I)


# what a clause after the report may say of it without stating other work: when, how often, to whom, what
_REPORT_DETAIL = re.compile(
    r"^(?:trước|chậm\s+nhất|định\s+kỳ|h[ằà]ng|mỗi|trong|sau|vào|từ|đến|thời\s+gian|thời\s+hạn|ngày|tháng|quý|năm|"
    r"gửi|về|qua|cho|để|kèm|theo|nội\s+dung|số\s+liệu|biểu\s+mẫu|đề\s+cương|bằng|và)\b|^[(\d]",
    re.I,
)


def _other_work(clause: str) -> bool:
    """`...; biểu dương, khen thưởng các tập thể tiêu biểu`: a clause that neither reports nor tells the
    report's time, recipient or contents states other work."""
    return not REPORT.search(clause) and not RESULTS.search(clause) and not _REPORT_DETAIL.match(clause)
