"""Agencies: find the agencies a phrase names, under one canonical name each.

The registry (data/agencies.toml) lists canonical names with the forms documents
write (abbreviations, the department name without `Sở`, the collective
recipients). Names the registry does not know but that are well formed — a head
noun such as `Trường`, `Đài`, `Ban`, `Vụ`, `Phòng` followed by its name — are kept
as written. The grammar of such a name: the head, then capitalised words, numbers,
`và`/`-` between parts, and lower-case words up to the first word that begins the
predicate (`chủ trì`, `phối hợp`, `tổ chức` ...) or a function word (`các`, `của`, `để` ...); those
words, and the ones that make a noun with their neighbour, are data (`data/grammar.toml`).
A list spread over one head (`UBND các phường: Ba Đình, Hoàn Kiếm`, `Đại sứ quán các
nước: Trung Quốc, Ấn Độ`) names each body.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache

from .. import data_toml
from ..vn import UPPER
from .extent import extent, field_head_at
from .spelling import TONE_RE, key, retone, tidy

_PARENS = re.compile(r"\([^()]*\)")


def _load_words() -> dict:
    return data_toml("grammar.toml")


# Head nouns of an agency's name, longest first where one begins another.
HEADS = (
    "Trường Đại học|Trường Cao đẳng|Trường Trung học|Trường Chính trị|Trường|Đài Phát thanh và Truyền hình|Đài|"
    "Báo|Tạp chí|Nhà xuất bản|Thông tấn xã|Ban Quản lý|Ban Chỉ huy|Ban Chỉ đạo|Ban|Tổng cục|Chi cục|Cục|Vụ|"
    "Ngân hàng|Bảo hiểm xã hội|Liên hiệp hợp tác xã|Hợp tác xã|Viễn thông|Bưu điện|"
    "Liên minh|Liên đoàn|Liên hiệp|Hiệp hội|Hội đồng|Hội|Ủy ban|Viện|Trung tâm|"
    "Tổng công ty|Công ty|Chi nhánh|Tập đoàn|Đảng ủy|Đảng bộ|Chi bộ|Văn phòng|Phòng|Kho bạc|Tòa án nhân dân|"
    "Viện kiểm sát nhân dân|"
    "Tỉnh đoàn|Thành đoàn|Đoàn|Bộ Chỉ huy|Bộ Tư lệnh|Bộ|Sở|Quỹ|Bệnh viện|Điện lực|Cảng vụ|Thanh tra|Công an|"
    "Học viện|Khu|Vườn quốc gia|Câu lạc bộ|Đại sứ quán|Lãnh sự quán|Bảo tàng|Thư viện|Nhà hát|Nhà văn hóa|"
    "Hãng phim|Cơ quan|Mặt trận|Hạt|Trạm|Đồn Biên phòng|Đồn|Đội|Tổ|Kiểm lâm|Thuế|Hải quan|Chủ đầu tư"
)
# Lower-case words that begin the predicate or are function words: a name ends before them; the
# words that make a noun with the one before (`_COMPOUNDS`) or after them (`_NOUN_PAIRS`) stay in it.
_WORDS = _load_words()
STOP = frozenset(_WORDS["stop"])
_COMPOUNDS: dict[str, tuple[str, ...]] = {k: tuple(v) for k, v in _WORDS["compounds"].items()}
_NOUN_PAIRS: dict[str, tuple[str, ...]] = {k: tuple(v) for k, v in _WORDS["pairs"].items()}
# heads that begin an agency of their own even without a comma before them; other heads
# (`Mặt trận` in `Ủy ban Mặt trận Tổ quốc`, `Khu` in `Ban Quản lý Khu kinh tế`) are part of a name
_BREAK_HEAD = re.compile(r"(?:Sở|Bộ|Cục|Chi\s+cục|Công\s+an|Văn\s+phòng|Ủy\s+ban\s+nhân\s+dân|UBND)(?!\w)")
_UNIT_HEAD = re.compile(r"(?:Văn\s+phòng|Thanh\s+tra)\s")  # `Thanh tra Sở Xây dựng`: a department's own unit
_ORG_ROLE = re.compile(
    r"(?:điều\s+hành|chỉ\s+đạo|chỉ\s+huy|quản\s+lý|công\s+tác|tự\s+quản|vận\s+động|thường\s+trực|thường\s+vụ|"
    r"chấp\s+hành|tổ\s+chức|kiểm\s+tra|giám\s+sát|nhân\s+dân)(?!\w)"
)
_UNIT_AFTER = re.compile(
    r"\s+(?:ấp|thôn|bản|buôn|làng|khu\s+phố|tổ\s+dân\s+phố|khu\s+dân\s+cư|xã|phường|đặc\s+khu|huyện|quận|"
    r"thị\s+xã|khu\s+vực|vùng)(?!\w)"
)
_PLURAL_HEAD = re.compile(
    r"(?:Liên\s+hiệp|Liên\s+đoàn|Liên\s+minh|Ban\s+Quản\s+lý|Hiệp\s+hội|Hội\s+đồng|Chủ\s+đầu\s+tư|Đảng\s+ủy|Đảng\s+bộ|Chi\s+bộ)\s",
    re.I,
)
_HEAD_RE = re.compile(rf"(?<!\w)(?:{HEADS})(?!\w)", re.I)
HEAD_RE = _HEAD_RE  # a body's head noun, for the item grammar
_TOKEN = re.compile(r"\S+")
_PLACE = re.compile(r"\s+(?:tỉnh|thành phố)(?:\s+\w+){0,3}$")
_SO_LIST = re.compile(r"(?:\b[Ss]ở\s*:|\b[Ss]ở)[^;:.]*$")
_SUFFIX = re.compile(
    r"\s+(?:(?i:(?:chi\s+nhánh\s+)?(?:khu\s+vực|chi\s+nhánh))\s+(?:[IVX]+|\d+)\b|"
    r"(?:phường|quận)\s+\d{1,2}\b|"  # `Công an phường 3`: a city's wards and districts go by number
    rf"(?:tỉnh|thành\s+phố|Thành\s+phố|huyện|xã(?!\s+hội)|phường|thị\s+xã|quận)(?:\s+{UPPER}\w*)*|TP\b)",
)
# `Văn phòng Sở`, `Thanh tra Bộ`: the body a unit belongs to, named by its head alone
_OWNED_BY = re.compile(r"\s+(?:thuộc|của)\s+")
_OWNED = re.compile(rf"\s+{UPPER}")  # `Lãnh đạo Sở Tài chính`: `Sở` begins the next name
_OWNER = re.compile(rf"\s+(?:Sở|Bộ|Tỉnh ủy|Thành ủy)(?=\s*[,;:.()]|\s*$|\s+(?:{'|'.join(sorted(STOP))})\b)")
# `UBND các phường: Ba Đình, Hoàn Kiếm và UBND xã Bát Tràng` — one head over a list of names
_SPREAD = re.compile(r"\s*các\s+(?P<kind>phường|xã|huyện|quận|thị\s+xã|tỉnh|nước|thôn|bản|ấp|tổ\s+dân\s+phố)\s*:\s*")
_UNIT_LIST = re.compile(r"^[Cc]ác\s+(thôn|ấp|bản|buôn|làng|tổ\s+dân\s+phố|khu\s+phố|xã|phường|huyện|quận)\s*:\s*")
_UNITS = ("phường", "xã", "huyện", "quận", "thị xã", "tỉnh", "thôn", "bản", "ấp", "tổ dân phố")
# `... cấp xã`, `... các xã, phường`: a body named by the level it stands at, in every place of that level
_LEVEL = re.compile(r"\s+cấp\s+(?:xã|huyện|cơ\s+sở)(?!\w)")
_COLLECTIVE_PLACE = re.compile(r"\s(?:cấp\s+(?:xã|huyện|cơ\s+sở)|các\s+(?:xã|phường|huyện|quận|thôn|ấp|bản)\b.*)$")
_PLACE_HEAD = re.compile(rf"^(?:Thành\s+phố|tỉnh|Tỉnh)\s+{UPPER}\w*(?:\s+{UPPER}\w*){{0,3}}$")


_JOINERS = ("-", "&")


def _trie(forms: list[list[str]], after: str = "") -> str:
    """A regex matching exactly these word sequences (after the word `after`): a trie, so each
    branch is tried once per position. Words are separated by whitespace; around `-` and `&`
    the whitespace is optional and any dash matches."""
    branches: dict[str, list[list[str]]] = {}
    ends = False
    for words in forms:
        if not words or words == [""]:
            ends = True
            continue
        branches.setdefault(words[0], []).append(words[1:])
    parts = []
    for word in sorted(branches, key=len, reverse=True):
        sep = "" if not after else (r"\s*" if word in _JOINERS or after in _JOINERS else r"\s+")
        piece = r"[-–—]" if word == "-" else re.escape(word)
        parts.append(sep + piece + _trie(branches[word], word))
    if not parts:
        return ""
    body = "|".join(parts)
    return f"(?:{body})?" if ends else f"(?:{body})"


_REPEAT = re.compile(rf",\s+([^\W\d_]+)\s+({UPPER}\w*(?:\s+{UPPER}\w*){{0,3}})(?=[\s,;.:)]|$)")


def _repeated(text: str, x: Mention) -> list[Mention]:
    """`Công ty ... Thủy lợi sông Nhuệ, sông Đáy`: a name whose last part repeats after a comma
    with another proper name names a second body the same way."""
    out: list[Mention] = []
    end = x.end
    words = x.name.split()
    while (m := _REPEAT.match(text, end)) is not None and m.group(1) in words[1:]:
        k = len(words) - 1 - words[::-1].index(m.group(1))
        out.append(Mention(m.start(1), m.end(), " ".join([*words[:k], m.group(1), m.group(2)]), False))
        end = m.end()
    return out


def _blank_aside(m: re.Match[str]) -> str:
    """A parenthesised aside (`(Công an Thành phố)`, `(Cơ quan thường trực)`) names no agency of
    its own; one that says who works with whom (`(phối hợp với Sở X, UBND các phường)`) does."""
    return m.group() if _PARTNERS.match(m.group(), 1) else " " * len(m.group())


_PARTNERS = re.compile(r"\s*(?:phối\s+hợp|chủ\s+trì)\b", re.I)


@dataclass(frozen=True)
class Agency:
    name: str
    collective: bool = False


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    name: str
    known: bool = True


class Registry:
    """Canonical agencies and the forms that name them."""

    def __init__(self, entries: list[dict]) -> None:
        self.agencies: dict[str, Agency] = {}
        self.forms: dict[str, str] = {}  # key(form) -> canonical name
        bare: dict[str, str] = {}
        for e in entries:
            name = e["name"]
            self.agencies[name] = Agency(name, bool(e.get("collective")))
            for form in [name, *e.get("forms", [])]:
                self.forms[key(form)] = name
            for b in e.get("bare", []):
                bare[key(b)] = name
                self.forms[key(f"Sở {b}")] = name
            if name.startswith("Sở ") and e.get("bare"):  # the ministry of the same field
                ministry = "Bộ " + name[3:]
                self.agencies[ministry] = Agency(ministry)
                self.forms[key(ministry)] = ministry
        self.bare = bare
        self._pattern = self._compile(self.forms)
        self._bare_pattern = self._compile(bare)

    @staticmethod
    def _compile(forms: dict[str, str]) -> re.Pattern[str]:
        """One pattern for every form, as a trie of words (each branch tried once per position,
        not each of hundreds of forms): spaces match any whitespace, hyphens any dash."""
        return re.compile(rf"(?<!\w)(?:{_trie([key(f).split(' ') for f in forms])})(?!\w)", re.I)

    def canonical(self, name: str) -> str:
        """The canonical name of one agency name, or the name itself tidied (its spelling kept)."""
        k = key(name)
        if k in self.forms:
            return self.forms[k]
        local = _PLACE.sub("", k)  # `Sở Tài chính tỉnh Bình Dương` is `Sở Tài chính`
        if local != k and local in self.forms and self.forms[local].startswith("Sở "):
            return self.forms[local]
        if k in self.bare:
            return self.bare[k]
        n = tidy(name).replace("UBND", "Ủy ban nhân dân").replace("HĐND", "Hội đồng nhân dân")
        n = re.sub(r"\bMTTQ\b", "Mặt trận Tổ quốc", n)
        return n[:1].upper() + n[1:]

    def is_collective(self, name: str) -> bool:
        a = self.agencies.get(name)
        return bool(a and a.collective) or name.startswith(("Các ", "các ")) or bool(_COLLECTIVE_PLACE.search(name))

    def known(self, name: str) -> bool:
        return name in self.agencies

    @lru_cache(maxsize=4096)  # noqa: B019 - one registry lives for the process
    def mentions(self, text: str, bare: bool = False) -> list[Mention]:
        """Every agency named in `text`, in order, longest reading first.

        A department named without `Sở` (`Y tế`, `Kế hoạch và Đầu tư`) counts where
        `bare` is set (a table cell, a list of agencies) or after `các sở:`.
        """
        # positions are the caller's: only changes that keep the length (tone placement, parentheses);
        # names the registry does not know keep the document's spelling
        written = text
        text = _PARENS.sub(_blank_aside, TONE_RE.sub(retone, text))
        found: list[Mention] = _head_lists(text, self)  # first: they win ties with a name read alone
        found += [
            _placed(text, m, self.forms[key(m.group())])
            for m in self._pattern.finditer(text)
            if not (_OWNED.match(text, m.end()) and m.group().endswith(("Sở", "Bộ")))
            or self.is_collective(self.forms[key(m.group())])
        ]
        for m in self._bare_pattern.finditer(text):
            if (
                m.group()[0].isupper()
                and _segment_start(text, m.start())
                and (bare or _SO_LIST.search(text, max(0, m.start() - 120), m.start()))
            ):
                found.append(Mention(m.start(), m.end(), self.bare[key(m.group())]))
        for m in _HEAD_RE.finditer(text):
            if not m.group()[0].isupper():
                continue
            end = _name_end(text, m.start(), m.end())
            if end == m.end() and _SPREAD.match(text, end):
                found.append(Mention(m.start(), end, m.group(), False))  # `Đại sứ quán các nước: ...`
                continue
            known = self._pattern.match(text, m.start())
            if (
                known
                and not any(ch.isupper() or ch.isdigit() for ch in text[known.end() : end])
                and not self._city_body(known.group(), text[known.end() : end])
            ):
                continue  # `Ban Thường vụ Tỉnh ủy tình hình`: the known name and common words
            if end > m.end():
                raw = written[m.start() : end]
                found.append(Mention(m.start(), end, self.canonical(raw), key(raw) in self.forms))
            elif m.group() == "Chủ đầu tư":
                found.append(Mention(m.start(), end, "Các chủ đầu tư"))  # the investors, whoever they are
            elif m.group() == "Đảng ủy" and _segment_start(text, m.start()):
                found.append(Mention(m.start(), end, m.group(), False))  # a commune's own committee, by its head
        for m in _GROUP.finditer(text):
            capital = text[m.start() + 4 : m.start() + 5].isupper()
            end = _group_end(text, m.end(), capital)
            raw = tidy(written[m.start() : end])
            named = capital and any(w[:1].isupper() for w in raw.split()[3:])
            # `các Công ty ... sông Nhuệ, sông Đáy`: the bodies named, one by one
            found.append(Mention(m.start(), end, raw[4:] if named else "C" + raw[1:], False))
        found += [r for x in found if not x.known for r in _repeated(written, x)]
        found.sort(key=lambda x: (x.start, -(x.end - x.start), not x.known))
        out: list[Mention] = []
        for x in found:
            if out and x.start < out[-1].end:
                continue
            out.append(x)
        return self._spread(written, out)

    def _city_body(self, form: str, rest: str) -> bool:
        """`Bộ Chỉ huy Quân sự thành phố`: a city's body, not the province's one the bare form names."""
        return rest.strip().lower() == "thành phố" and self.forms[key(form)].endswith(" tỉnh")

    def _spread(self, text: str, found: list[Mention]) -> list[Mention]:
        """`Các sở: Y tế, Tư pháp` — the collective only introduces the list after it;
        `UBND các phường: Ba Đình, Hoàn Kiếm` names each ward's committee."""
        out: list[Mention] = []
        skip_to = -1
        for i, x in enumerate(found):
            if x.start < skip_to:
                continue
            nxt = found[i + 1] if i + 1 < len(found) else None
            if self.is_collective(x.name) and nxt and _introduces(text, x, nxt):
                # the list stands where its collective does (`phối hợp với các Sở: Y tế, ...` follows `với`)
                found[i + 1] = Mention(x.start, nxt.end, nxt.name, nxt.known)
                continue
            owners = _OWNED_BY.match(text, x.end)
            if owners and nxt and nxt.start == owners.end():
                if self.is_collective(x.name):
                    # `các lực lượng chức năng thuộc Sở X, Công an Y`: the bodies it belongs to, from where it stands
                    found[i + 1] = Mention(x.start, nxt.end, nxt.name, nxt.known)
                    continue
                # `Trung tâm Dịch vụ việc làm thuộc Sở Nội vụ`: the unit, its owner only says whose it is
                out.append(Mention(x.start, nxt.end, x.name, x.known))
                skip_to = nxt.end
                continue
            if (
                out
                and self.is_collective(out[-1].name)
                and re.search(r"\bSở$", text[: out[-1].end])
                and x.start <= out[-1].end + 1
            ):
                continue  # `các phòng, đơn vị thuộc Sở Y tế`: the department owns the collective
            owned = _UNITS_OWNED.match(text, x.end)
            if self.is_collective(x.name) and owned and nxt and nxt.start == owned.end():
                # `các sở, ban, ngành, đơn vị thuộc UBND tỉnh`: the province's bodies, not its committee
                out.append(Mention(x.start, nxt.end, x.name, x.known))
                skip_to = nxt.end
                continue
            tail = _UNITS_TAIL.match(text, x.end)
            if self.is_collective(x.name) and tail and not (nxt and nxt.start < tail.end()):
                # `các sở, ngành, đơn vị`: the bodies and the units besides them
                out += [x, Mention(x.end, tail.end(), "Các cơ quan, đơn vị liên quan")]
                continue
            spread = _spread_list(text, x, self)
            if spread:
                # the list stands where its head does (`UBND các phường: A, B` follows a comma as one)
                spread[0] = Mention(x.start, spread[0].end, spread[0].name, spread[0].known)
                out.extend(spread)
                skip_to = spread[-1].end
                continue
            out.append(x)
        return out

    def find(self, text: str, bare: bool = True) -> list[str]:
        """Canonical names of the agencies `text` names, in order, without repeats."""
        names: list[str] = []
        for m in self.mentions(text, bare):
            if m.name not in names:
                names.append(m.name)
        return names

    def addressees(self, text: str) -> list[str]:
        """The bodies a heading addresses; a place stands for its people's committee
        (`Mời Thành phố Hồ Chí Minh, tỉnh Đăk Lăk` → their Ủy ban nhân dân); `Trách nhiệm của X` is X's."""
        text = _DUTY_OF.sub("", text)
        units = _UNIT_LIST.match(text)
        if units:
            # `Các thôn: Phú Mỹ, Tân Lập`: each hamlet; `Các xã: A, B`: each commune's committee
            kind = re.sub(r"\s+", " ", units.group(1)).lower()
            head = f"Ủy ban nhân dân {kind}" if kind in ("xã", "phường", "huyện", "quận") else kind.capitalize()
            names = [p.strip(" .:;") for p in re.split(r",|;|\svà\s", text[units.end() :])]
            if names and all(n[:1].isupper() and len(n.split()) <= 5 for n in names):
                return [f"{head} {n}" for n in names]
        pieces = [p.strip(" .:;") for p in re.split(r",|;|\svà\s", text)]
        if pieces and all(_PLACE_HEAD.match(p) for p in pieces if p):
            return [f"Ủy ban nhân dân {p[0].lower() + p[1:] if p.startswith('Tỉnh') else p}" for p in pieces if p]
        return self.find(text)


_DUTY_OF = re.compile(r"^(?:Trách\s+nhiệm|Nhiệm\s+vụ)\s+(?:của\s+)?(?=\S)", re.I)
# `các tổ chức hoạt động khai thác khoáng sản`, `các cơ sở đào tạo`, `các doanh nghiệp, tổ chức, cá nhân có
# liên quan`: a collective of bodies the registry does not list, named by an organisation noun
_GROUP = re.compile(
    r"(?<!\w)[Cc]ác\s+(?i:tổ\s+chức|tổ\s+hợp\s+tác|tổ\s+công\s+tác|tổ\s+tự\s+quản|doanh\s+nghiệp|cơ\s+sở|hợp\s+tác\s+xã|chủ\s+đầu\s+tư|nhà\s+thầu|công\s+ty|"
    r"hội(?!\s+(?:nghị|thảo|chợ|diễn|thi|viên))|hiệp\s+hội|câu\s+lạc\s+bộ|trường|đơn\s+vị|nhà\s+đầu\s+tư|Đại\s+sứ\s+quán|tỉnh,\s+thành\s+phố|"
    r"bệnh\s+viện|trung\s+tâm|trạm\s+y\s+tế|cơ\s+sở\s+y\s+tế|ngân\s+hàng|thôn|ấp|tổ\s+dân\s+phố|khu\s+phố|"
    r"chi\s+bộ|đảng\s+bộ|đảng\s+ủy|chi\s+đoàn)(?!\w)"
)
# trades that name a group of bodies after its noun (`các đơn vị duy trì thoát nước`)
_TRADE = re.compile(
    r"(?:duy\s+trì|sản\s+xuất|kinh\s+doanh|khai\s+thác|hoạt\s+động|vận\s+hành|thi\s+công|tư\s+vấn|chế\s+biến|"
    r"cung\s+cấp|cung\s+ứng|quản\s+lý)(?!\w)"
)
# `các thôn duy trì vườn hoa`: places are no trade's bodies, their verb follows them
_PLACE_GROUP = re.compile(r"(?:thôn|ấp|tổ\s+dân\s+phố|khu\s+phố)$", re.I)
_GROUP_MORE = re.compile(
    r",\s+(?:tổ\s+chức|cá\s+nhân|doanh\s+nghiệp|đơn\s+vị|cơ\s+quan|hội|nhà\s+đầu\s+tư|hợp\s+tác\s+xã|"
    r"thôn|ấp|tổ\s+dân\s+phố|khu\s+phố)(?!\w)"
)
_PLACE_AFTER = re.compile(rf"\s+((?:{UPPER}\w*)(?:\s+{UPPER}\w*){{0,3}})")
_PLACE_JOINED = re.compile(rf"\s+[-–]\s+((?:{UPPER}\w*)(?:\s+{UPPER}\w*){{0,3}})(?=[\s,;.:)]|$)")


_LIST_COLON = re.compile(r"\s*(?:(?:như|gồm|bao\s+gồm|là)\s*)?:\s*")


def _introduces(text: str, x: Mention, nxt: Mention) -> bool:
    """`Các sở: Y tế, ...`, `các sở Tài chính, Xây dựng`: a collective that only introduces the
    names after it (without a colon, `sở` itself before a department written without it)."""
    if _LIST_COLON.fullmatch(text, x.end, nxt.start):
        return True  # `các cơ quan liên quan như: Sở Y tế, ...`, `các đơn vị gồm: ...`
    return (
        nxt.start == x.end + 1
        and re.fullmatch(r"các\s+sở", text[x.start : x.end], re.I) is not None
        and nxt.name.startswith("Sở ")
        and not text.startswith("Sở", nxt.start)
    )


# `các phòng, đơn vị thuộc phường`: a commune's or a district's units, at the level the text names
_UNITS_LEVEL = re.compile(
    rf"\s+(?:trực\s+)?thuộc\s+(?P<level>(?:xã|phường|đặc\s+khu|huyện|quận|thị\s+xã)(?!\w)(?:\s+{UPPER}\w*)*)"
)
_UNITS_OF_DEPARTMENT = "Các đơn vị thuộc Sở"


def _placed(text: str, m: re.Match[str], name: str) -> Mention:
    """`UBND tỉnh Điện Biên`: a provincial body followed by a province's name is that province's
    (the issuer's own place is folded back by `names.unify_names`)."""
    level = _UNITS_LEVEL.match(text, m.end()) if name == _UNITS_OF_DEPARTMENT else None
    if level and not m.group().endswith("Sở"):
        return Mention(m.start(), level.end(), f"Các đơn vị thuộc {' '.join(level['level'].split())}", False)
    plural = re.search(r"\bcác\s+(?:phường|xã|huyện|quận)$", m.group(), re.I)  # `UBND các phường A, B`: spread
    if name.endswith((" tỉnh", " thành phố", " xã", " phường", " huyện", " quận", " thị xã")) and not plural:
        after = _PLACE_AFTER.match(text, m.end())
        if after and not _is_head_at(text, after.start(1)):
            end = after.end()
            joined = _PLACE_JOINED.match(text, end)
            if joined and not _is_head_at(text, joined.start(1)):
                end = joined.end()  # `phường Tam Thắng - Vũng Tàu`: a place named with its former town's name
            raw = f"{text[m.start() : m.end()]} {tidy(text[after.start(1) : end])}"
            return Mention(m.start(), end, registry().canonical(raw), False)
    return Mention(m.start(), m.end(), name)


# `UBND các phường: A, B` or, without the colon, `UBND các phường A, B`: the names after the collective
_NAMES_AFTER = re.compile(rf"\s*:\s*|\s+(?={UPPER})")
_ADMIN_BODY = re.compile(r"^(?:Ủy ban nhân dân|Hội đồng nhân dân|Công an)\b")


def _spread_list(text: str, x: Mention, reg: Registry) -> list[Mention]:
    """The bodies of `<head> các <kind>: A, B và C`, each as `<head> <kind> A`."""
    m = _SPREAD.match(text, x.end)
    head = x.name
    kind = ""
    if m is None:
        # `UBND các phường: Ba Đình, ...` — the registry read `UBND các phường` as the collective
        m = _NAMES_AFTER.match(text, x.end)
        own = re.search(r"\bcác\s+(phường|xã|huyện|quận)$", text[x.start : x.end])
        if m is None or own is None or not reg.is_collective(head):
            return []
        kind = own.group(1)
    elif head.startswith("Các ") and not reg.known(head):
        head = head[4:]  # `các Đại sứ quán các nước: A, B` → `Đại sứ quán A`, `Đại sứ quán B`
    elif reg.is_collective(head):
        return []
    if reg.is_collective(head):
        head = "Ủy ban nhân dân" if "Ủy ban nhân dân" in head else ""
    if not head:
        return []
    kind = kind or re.sub(r"\s+", " ", m.group("kind"))
    unit = kind if kind in _UNITS and _ADMIN_BODY.match(head) else ""
    out: list[Mention] = []
    pos = m.end()
    for piece in _LIST_ITEM.finditer(text, pos):
        name = piece.group("name").strip()
        if piece.start() != pos or not name or not name[0].isupper():
            break
        unit_named = re.match(r"(?:UBND|HĐND|Ủy ban nhân dân|Hội đồng nhân dân)\s+(?:xã|phường|huyện|quận)\s+", name)
        if not unit_named and _new_body_at(text, piece.start("name")):
            break  # `UBND các xã A, B, Sở Y tế`: the list ends where another body's name begins
        run = name[: unit_named.end()] + _proper_run(name[unit_named.end() :]) if unit_named else _proper_run(name)
        cut = len(run) < len(name)  # `..., Ngũ Hành Sơn tăng cường kiểm tra`: the list ends with the name
        name = run
        start, end = piece.start("name"), piece.start("name") + len(name)
        inner = reg.mentions(name)
        if unit_named:
            out.append(Mention(start, end, reg.canonical(name), False))
        elif inner and inner[0].start == 0:
            out.append(Mention(start, end, inner[0].name, inner[0].known))
        elif name and len(name.split()) <= 6:
            out.append(Mention(start, end, tidy(" ".join(w for w in (head, unit, name) if w)), False))
        else:
            break
        pos = piece.end()
        if not piece.group("sep") or cut:
            break
    return out


# `các Phòng: Kinh tế, Tư pháp`, `các Hội: Nông dân, Cựu chiến binh`, `Các xã: An Phú, Tân Hòa` — the head
# written once over the names it takes (departments, `các Sở:`, are read by the registry's bare forms)
_HEAD_LIST = re.compile(rf"(?<!\w)[Cc]ác\s+(?P<head>(?i:(?!Sở\b)(?:{HEADS})|xã|phường|thôn|ấp|bản))\s*:\s*")
_ITEM = re.compile(r"(?P<name>[^,;.:()]+?)(?P<sep>\s*,\s*|\s+và\s+|(?=\s*[;.:()]|\s*$))")


def _head_lists(text: str, reg: Registry) -> list[Mention]:
    """The bodies of every `các <head>: A, B và C`, each as `<Head> A`; the first stands where the
    list's head does. A name ends before its predicate (`..., Tư pháp triển khai`)."""
    out: list[Mention] = []
    for m in _HEAD_LIST.finditer(text):
        head = m.group("head")
        head = f"Ủy ban nhân dân {head.lower()}" if head.lower() in ("xã", "phường") else head[:1].upper() + head[1:]
        pos, start, items = m.end(), m.start(), []
        while (item := _ITEM.match(text, pos)) is not None and item.group("name")[:1].isupper():
            named = f"{head} {item.group('name')}"
            end = _name_end(named, 0, len(head))
            items.append(Mention(start, item.start() + end - len(head) - 1, reg.canonical(named[:end]), False))
            if end < len(named) or not item.group("sep"):
                break  # the predicate follows the last name
            pos, start = item.end(), item.end()
        out += items
    return out


def _proper_run(name: str) -> str:
    """The proper name that opens a list entry: capitalised words (and numbers), with a lower-case
    word between two of them (`Cộng hòa Liên bang Nga`); the predicate after it is not the name."""
    words = name.split()
    keep = 0
    for i, w in enumerate(words):
        if w[:1].isupper() or w[:1].isdigit():
            keep = i + 1
        elif not (keep == i and i + 1 < len(words) and words[i + 1][:1].isupper()):
            break
    return " ".join(words[:keep])


# `trực thuộc` that names no owner (a predicate follows): the bodies under the issuer
_UNDER_ISSUER = re.compile(
    rf"(?:trực\s+)?thuộc(?=\s+(?!{UPPER}|(?:xã|phường|huyện|quận|tỉnh|thị\s+xã|thành\s+phố)(?!\w))\w)"
)
_UNITS_OWNED = re.compile(r",\s*(?:các\s+)?(?:cơ\s+quan|đơn\s+vị)\s+(?:trực\s+)?thuộc\s+")
_UNITS_TAIL = re.compile(r",\s*(?:các\s+)?(?:cơ\s+quan|đơn\s+vị)(?!\s*(?:thuộc|trực\s+thuộc)\b)(?=[\s,;.:)]|$)")
_LIST_ITEM = re.compile(r"\s*(?P<name>[^,;.]+?)(?P<sep>\s*(?:,|\bvà\b)\s*|(?=\s*[;.]|\s*$))")


def _group_end(text: str, pos: int, capital: bool = False) -> int:
    """Where a collective (`các cơ sở đào tạo trên địa bàn`) ends: before the predicate, a place
    phrase (`trên địa bàn`) or a new name; a list of organisation nouns goes on
    (`các doanh nghiệp, tổ chức, cá nhân có liên quan`); after a capitalised noun (`các Công ty
    Thủy lợi`) capitalised words go on."""
    end = pos
    words: list[str] = []
    trade = _TRADE.match(text, pos + 1)
    if text[pos : pos + 1] == " " and trade and not _PLACE_GROUP.search(text, 0, pos):
        end = trade.end()
    for _ in range(10):
        more = _GROUP_MORE.match(text, end)
        if more:
            end = more.end()
            continue
        m = _TOKEN.match(text, end + 1) if text[end : end + 1] == " " else None
        if m is None:
            break
        tok = m.group().rstrip(",;:.")
        if text.startswith("có liên quan", m.start()):
            return m.start() + len("có liên quan")
        if under := _UNDER_ISSUER.match(text, m.start()):
            return under.end()  # `các chi bộ trực thuộc triển khai`: the issuer's own, its name left out
        if (
            not tok
            or not tok.isalpha()
            or (tok[0].isupper() and not capital)
            or (tok in STOP and not _compound(words, tok) and not _noun_pair(text, m.end(), tok))
            or tok == "thuộc"
        ):
            break
        words.append(tok)
        end = m.start() + len(tok)
        if m.group() != tok:
            break
    return end


def _segment_start(text: str, pos: int) -> bool:
    before = text[:pos].rstrip()
    return not before or before[-1] in ",;:(/" or before.endswith((" và", " Sở", " sở", "các Sở"))


def _name_body(text: str, head_start: int, pos: int) -> int:
    """End of the name's own words: the head, its words, its place."""
    end = pos
    single_head = " " not in text[head_start:pos]
    words: list[str] = []
    for i, m in enumerate(_TOKEN.finditer(text, pos)):
        owner = _OWNER.match(text, end)
        if owner:
            return owner.end()
        level = _LEVEL.match(text, end)
        if level:
            return level.end()  # `Ủy ban MTTQ Việt Nam cấp xã`: the body at every commune
        suffix = _SUFFIX.match(text, end)
        if suffix and (i or not single_head):
            words_at = [w.start() for w in re.finditer(r"\S+", suffix.group())][1:]  # `Khu vực 7`: its own words
            heads = [at for at in words_at if _is_head_at(text, end + at)]
            return end + (len(suffix.group()[: heads[0]].rstrip()) if heads else len(suffix.group()))
        after_plural = bool(words) and words[-1] == "các"  # `Liên hiệp các Hội ...`: the heads it gathers
        if text[end : m.start()].strip() or i > 24:
            break
        owned = bool(_UNIT_HEAD.match(text, head_start)) and text.startswith("Sở ", m.start()) and i == 0
        if end > pos and _BREAK_HEAD.match(text, m.start()) and not after_plural and not owned:
            break  # `Cục Thuế Chi cục Hải quan`: a new agency begins (a head inside a name does not)
        tok = m.group().rstrip(",;:.")
        word = tok.lower()
        if not tok:
            break
        if word in ("và", "-", "–"):
            if not _and_continues(text, m.end()):
                break
        elif not tok[0].isalnum():
            break
        elif tok[0].isupper() or tok[0].isdigit():
            pass
        elif words and words[-1].isdigit():
            break  # `Đồn Biên phòng 545 tuần tra`, `Đội Quản lý thị trường số 3 kiểm tra`: a number closes the name
        elif i == 0 and word == "các" and _PLURAL_HEAD.match(text, head_start):
            pass  # `Liên hiệp các tổ chức hữu nghị`, `Ban Quản lý các khu công nghiệp`
        elif i == 0 and _ORG_ROLE.match(text, m.start()):
            pass  # `Ban điều hành các ấp`, `Trung tâm quản lý hạ tầng`: a body named by its role
        elif i == 0 and single_head and (text.startswith("Phòng", head_start) or not _local_name(text, m.start())):
            break  # `Sở tổng hợp`: a one-word head needs a capitalised name (but `Đài truyền thanh xã`)
        elif _ends_on_place(text[pos:end]) and not _UNIT_AFTER.match(text, m.start() - 1):
            break  # `Ban Quản lý rừng phòng hộ Kỳ Anh trồng rừng`: the place closes the name
        elif word == "các" and (unit := _UNIT_AFTER.match(text, m.end())):
            return unit.end()  # `Ban điều hành các ấp`, `Trung tâm Y tế các khu vực`: the places close the name
        elif word == "các" and words and _PLURAL_HEAD.match(text, head_start) and _objects_after(text, m.end()):
            pass  # `Ban Quản lý dự án đầu tư xây dựng các công trình giao thông`: what the board manages
        elif (
            word in STOP
            and not _compound(words, word)
            and not _noun_pair(text, m.end(), word)
            and not _between_capitals(text, end, m)
            or not tok.isalpha()
        ):
            break
        words.append(word)
        end = m.start() + len(tok)
        if m.group() != tok:
            if m.group()[len(tok) :].startswith(",") and (parts := _named_in_parts(text, m.end(), head_start)):
                return parts
            if m.group()[len(tok) :].startswith(",") and _comma_continues(text, m.end()):
                end = m.start() + len(tok) + 1
                continue
            break
    end = pos + len(text[pos:end].rstrip(" ,"))
    tail = text[pos:end]
    for connector in (" và", " -", " –", " thuộc", " của"):
        if tail.endswith(connector):
            end -= len(connector)
    return end


def _ends_on_place(words: str) -> bool:
    """`rừng phòng hộ Kỳ Anh`, `số 2 Bảo Thắng`: the name's lower-case words or number end on a proper
    name of two words or more (a place, a river), which closes it; capitalised words right after the
    head are its name."""
    tokens = words.split()
    run = 0
    while run < len(tokens) and tokens[-1 - run][:1].isupper():
        run += 1
    before = tokens[: len(tokens) - run]
    last = before[-1] if before else ""
    return run >= 2 and (last.isdigit() or last.isalpha() and last.islower() and last != "và")


def _name_end(text: str, head_start: int, pos: int) -> int:
    """End of a proper name whose head ends at `pos` (see the module's docstring)."""
    end = _name_body(text, head_start, pos)
    known = registry()._pattern.match(text, head_start)
    if not (known and known.end() >= end):
        end = extent(text, (head_start, pos), end, lambda at: _new_body_at(text, at))
    series = _UNIT_SERIES.match(text, end)
    if series and re.search(r"\bcác\s+(?:xã|phường|huyện|quận|thị\s+xã)$", text[pos:end]):
        end = series.end()  # `Ủy ban MTTQ Việt Nam các xã, phường, đặc khu`: every unit of those levels
    return end


_UNIT_SERIES = re.compile(
    r"(?:\s*,\s*(?:xã|phường|thị\s+trấn|đặc\s+khu|huyện|quận|thị\s+xã|thành\s+phố)(?!\w))+(?:\s+và\s+"
    r"(?:xã|phường|thị\s+trấn|đặc\s+khu|huyện|quận|thị\s+xã|thành\s+phố)(?!\w))?"
)


_LOCAL = re.compile(r"((?:[^\W\d_]+\s+){1,3})(?:xã|phường|thị\s+trấn|huyện|quận|thôn|ấp|bản)(?!\w)")


def _local_name(text: str, pos: int) -> bool:
    """`Đài truyền thanh xã`, `Trạm y tế phường`, `Đội dân phòng thôn`: a local body whose name a
    commune writes in lower case, up to its place."""
    m = _LOCAL.match(text, pos)
    return m is not None and all(w.islower() and w not in STOP for w in m.group(1).split())


def _between_capitals(text: str, end: int, m: re.Match[str]) -> bool:
    """`Trung tâm Xúc tiến Du lịch`: one lower-case word between two capitalised words of the name
    (not a new agency's head) is part of it."""
    before = text[:end].rsplit(None, 1)
    nxt = _TOKEN.match(text, m.end() + 1) if m.group() == m.group().rstrip(",;:.") else None
    return (
        bool(before)
        and before[-1][:1].isupper()
        and nxt is not None
        and nxt.group()[:1].isupper()
        and not _is_head_at(text, nxt.start())
        and not registry()._pattern.match(text, nxt.start())
    )


def _noun_pair(text: str, pos: int, word: str) -> bool:
    """`phổ thông`, `vận tải`: a predicate word that makes a noun with the word after it."""
    nxt = _TOKEN.match(text, pos + 1) if text[pos : pos + 1] == " " else None
    return nxt is not None and nxt.group().rstrip(",;:.").lower() in _NOUN_PAIRS.get(word, ())


_OBJECTS = re.compile(r"\s+(?:công\s+trình|dự\s+án|khu|cụm|chương\s+trình)(?!\w)")


def _objects_after(text: str, pos: int) -> bool:
    return bool(_OBJECTS.match(text, pos))


def _compound(words: list[str], word: str) -> bool:
    """`đầu tư xây dựng`, `công trình`: a predicate word that makes a noun with the word before it."""
    return bool(words) and word in _COMPOUNDS.get(words[-1], ())


def _and_continues(text: str, pos: int) -> bool:
    """After `và`, the name goes on when a capitalised word (not a new head) follows, or lower-case
    words that end on a capitalised word or a place (`kỹ thuật và nông nghiệp Thành phố`)."""
    for j, m in enumerate(_TOKEN.finditer(text, pos)):
        tok = m.group().rstrip(",;:.")
        if not tok or j > 4:
            return False
        if j and _SUFFIX.match(text, m.start() - 1):
            return True
        if tok[0].isupper():
            # `Sở Nội vụ và UBND tỉnh`, `Sở X và Sở Y`: a new agency after `và`
            return not (_is_head_at(text, m.start()) or registry()._pattern.match(text, m.start()))
        if tok.lower() in STOP or m.group() != tok:
            return False
    return False


def _comma_continues(text: str, pos: int) -> bool:
    """`Cơ quan Báo và Phát thanh, Truyền hình Hà Nội`, `Trung tâm Phát triển quỹ đất, hạ tầng và
    dịch vụ tỉnh`: a comma inside a name, before a part of it that is not a new agency."""
    m = re.match(rf"\s+({UPPER}\w*)", text[pos:])
    if m:
        at = pos + m.start(1)
        reg = registry()
        if _TITLE.match(text, at):
            return False  # `Giám đốc Sở Y tế, Chủ tịch UBND các xã`: a person's title begins the next entry
        return not (
            _is_head_at(text, at)
            or reg._bare_pattern.match(text, at)
            or reg._pattern.match(text, at)
            or m.group(1).isupper()
        )
    m = re.match(r"\s+((?:[^\W\d]+\s+){0,2}[^\W\d]+)\s+và\s+[^\W\d]+", text[pos:])
    return m is not None and not any(w in STOP for w in m.group(1).split())


# `Viện Kiểm nghiệm, đánh giá chất lượng chủ trì`: a sentence's subject whose name goes on after a comma
# with lower-case words up to its predicate (a body's own verb: it leads, works with, advises)
_OWN_PREDICATE = re.compile(
    r"(?:chủ\s+trì|phối\s+hợp|thực\s+hiện|tham\s+mưu|triển\s+khai|có\s+trách\s+nhiệm|chịu\s+trách\s+nhiệm|"
    r"là\s+(?:cơ\s+quan|đơn\s+vị))(?!\w)"
)
_CLAUSE_OPENS = re.compile(r"(?:^|[;:.]|\b(?:[Gg]iao|[Đđ]ề\s+nghị|[Yy]êu\s+cầu)(?:\s+cho)?)[\s\-–+•]*$")


def _named_in_parts(text: str, pos: int, head_start: int) -> int:
    """Where a name that opens its clause ends when, after its comma at `pos`, one to five lower-case
    words (not another body, `trạm y tế xã`) run to its predicate (`Trung tâm Quan trắc, phân tích
    môi trường thực hiện`); 0 where they do not."""
    if not _CLAUSE_OPENS.search(text, 0, head_start):
        return 0
    end = pos
    for k, w in enumerate(_TOKEN.finditer(text, pos)):
        if k == 0 and (w.group() in STOP_OPENERS or _HEAD_RE.match(w.group())):
            return 0
        if k and _OWN_PREDICATE.match(text, w.start()):
            return end
        if k >= 5 or not w.group().isalpha() or not w.group().islower():
            return 0
        end = w.end()
    return 0


# words a list or a predicate opens with, never a part of a name after its comma
STOP_OPENERS = frozenset({"các", "và", "cùng", "với", "chủ", "phối", "thực", "tham", "triển", "có", "chịu", "là"})


_TITLE = re.compile(r"(?:Chủ\s+tịch|Phó\s+|Giám\s+đốc|Trưởng\s|Bí\s+thư|Thủ\s+trưởng|Lãnh\s+đạo|Chánh\s+)")


def _new_body_at(text: str, pos: int) -> bool:
    """A body's own name begins at `pos`: a capitalised head (not one that names a field) or a known name."""
    head = _is_head_at(text, pos) and not field_head_at(text, pos)
    return head or bool(registry()._pattern.match(text, pos))


def _is_head_at(text: str, pos: int) -> bool:
    return text[pos : pos + 1].isupper() and bool(_HEAD_RE.match(text, pos))


@cache
def registry() -> Registry:
    return Registry(data_toml("agencies.toml")["agency"])


def find_agencies(text: str) -> list[str]:
    return registry().find(text)


def canonical(name: str) -> str:
    return registry().canonical(name)
