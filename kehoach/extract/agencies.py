"""Agencies: find the agencies a phrase names, under one canonical name each.

The registry (data/agencies.toml) lists canonical names with the forms documents
write (abbreviations, the department name without `Sở`, the collective
recipients). Names the registry does not know but that are well formed — a head
noun such as `Trường`, `Đài`, `Báo`, `Ban` followed by a proper name — are kept
as written.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache, lru_cache

from .. import DATA
from ..vn import UPPER

# Old-style tone placement (`hoá`, `Uỷ`) → the modern one (`hóa`, `Ủy`), same length.
_TONE_PLACEMENT = {
    "oà": "òa",
    "oá": "óa",
    "oả": "ỏa",
    "oã": "õa",
    "oạ": "ọa",
    "oè": "òe",
    "oé": "óe",
    "oẻ": "ỏe",
    "oẽ": "õe",
    "oẹ": "ọe",
    "uỳ": "ùy",
    "uý": "úy",
    "uỷ": "ủy",
    "uỹ": "ũy",
    "uỵ": "ụy",
}
_TONE_RE = re.compile(r"(?<![qQ])(?:" + "|".join(_TONE_PLACEMENT) + r")(?!\w)", re.I)
_HYPHEN = re.compile(r"\s*[-–—]\s*(?=\w)")
_AMP = re.compile(r"\s*&\s*")
_SPACES = re.compile(r"\s+")
_PARENS = re.compile(r"\([^()]*\)")

HEADS = (
    "Trường Đại học|Trường Cao đẳng|Trường|Đài Phát thanh và Truyền hình|Đài|Báo|Tạp chí|Ban Quản lý|Ban|"
    "Chi cục|Cục|Ngân hàng|Bảo hiểm xã hội|Liên minh|Liên đoàn|Hội|Ủy ban|Viện|Trung tâm|Tổng công ty|"
    "Công ty|Đảng ủy|Văn phòng|Phòng|Kho bạc|Tòa án nhân dân|Viện kiểm sát nhân dân|Tỉnh đoàn|"
    "Bộ Chỉ huy|Bộ|Sở|Quỹ|Bệnh viện|Điện lực|Cảng vụ|Thanh tra|Công an|Học viện|Khu|Vườn quốc gia|Thành đoàn"
)
# Lower-case syllables that end a name: the predicate or a function word begins.
STOP = set(
    [
        "chủ",
        "phối",
        "thực",
        "tham",
        "theo",
        "triển",
        "tổ",
        "có",
        "và",
        "được",
        "đề",
        "xây",
        "chịu",
        "các",
        "với",
        "để",
        "trong",
        "của",
        "về",
        "tại",
        "là",
        "đã",
        "sẽ",
        "cùng",
        "hướng",
        "nghiên",
        "bảo",
        "rà",
        "kiểm",
        "giám",
        "chỉ",
        "thường",
        "định",
        "tăng",
        "đẩy",
        "nâng",
        "tiếp",
        "phát",
        "căn",
        "giao",
        "hoàn",
        "quản",
        "chuẩn",
        "ban",
        "làm",
        "cung",
        "hỗ",
        "khẩn",
        "đôn",
        "tuyên",
        "nắm",
        "gửi",
        "báo",
        "lập",
        "theo",
        "thu",
        "nhằm",
        "trên",
        "dưới",
        "này",
        "đó",
        "khi",
        "sau",
        "trước",
        "từ",
        "đến",
        "những",
        "mỗi",
        "một",
        "tổng",
        "đánh",
        "xử",
        "lập",
        "kiểm",
        "tiếp",
        "phổ",
        "thẩm",
        "cấp",
        "bố",
        "đảm",
        "nhận",
        "chịu",
        "trình",
        "ký",
        "phê",
        "duyệt",
        "hoặc",
        "như",
        "gồm",
        "đúng",
        "kịp",
        "sớm",
        "đầy",
    ]
)
_HEAD_RE = re.compile(rf"(?<!\w)(?:{HEADS})(?!\w)", re.I)
_TOKEN = re.compile(r"\S+")
_PLACE = re.compile(r"\s+(?:tỉnh|thành phố)(?:\s+\w+){0,3}$")
_SO_LIST = re.compile(r"(?:\b[Ss]ở\s*:|\b[Ss]ở)[^;:.]*$")
_SUFFIX = re.compile(
    r"^\s+(?:(?i:(?:chi\s+nhánh\s+)?(?:khu\s+vực|chi\s+nhánh))\s+(?:[IVX]+|\d+)\b|"
    rf"(?:tỉnh|thành\s+phố|Thành\s+phố)(?:\s+{UPPER}\w*)*)",
)


def normalize(text: str) -> str:
    """Tone placement, hyphens and ampersands written one way; whitespace collapsed."""
    text = _TONE_RE.sub(lambda m: _match_case(m.group(), _TONE_PLACEMENT[m.group().lower()]), text)
    text = _HYPHEN.sub(" - ", text)
    text = _AMP.sub(" & ", text)
    return _SPACES.sub(" ", text).strip()


def _match_case(src: str, dst: str) -> str:
    return "".join(d.upper() if s.isupper() else d for s, d in zip(src, dst, strict=True))


def key(name: str) -> str:
    return normalize(name).casefold()


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
        alts = sorted(forms, key=len, reverse=True)
        body = "|".join(re.escape(a).replace(r"\ ", r"\s+") for a in alts)
        return re.compile(rf"(?<!\w)(?:{body})(?!\w)", re.I)

    def canonical(self, name: str) -> str:
        """The canonical name of one agency name, or the name itself tidied."""
        k = key(name)
        if k in self.forms:
            return self.forms[k]
        local = _PLACE.sub("", k)  # `Sở Tài chính tỉnh Bình Dương` is `Sở Tài chính`
        if local != k and local in self.forms and not self.is_collective(self.forms[local]):
            return self.forms[local]
        if k in self.bare:
            return self.bare[k]
        n = normalize(name)
        return n[:1].upper() + n[1:]

    def is_collective(self, name: str) -> bool:
        a = self.agencies.get(name)
        return bool(a and a.collective)

    @lru_cache(maxsize=4096)  # noqa: B019 - one registry lives for the process
    def mentions(self, text: str, bare: bool = False) -> list[Mention]:
        """Every agency named in `text`, in order, longest reading first.

        A department named without `Sở` (`Y tế`, `Kế hoạch và Đầu tư`) counts where
        `bare` is set (a table cell, a list of agencies) or after `các sở:`.
        """
        text = _PARENS.sub(lambda m: " " * len(m.group()), normalize(text))
        found: list[Mention] = []
        for m in self._pattern.finditer(text):
            found.append(Mention(m.start(), m.end(), self.forms[key(m.group())]))
        for m in self._bare_pattern.finditer(text):
            if (
                m.group()[0].isupper()
                and _segment_start(text, m.start())
                and (bare or _SO_LIST.search(text[max(0, m.start() - 120) : m.start()]))
            ):
                found.append(Mention(m.start(), m.end(), self.bare[key(m.group())]))
        for m in _HEAD_RE.finditer(text):
            if not m.group()[0].isupper():
                continue
            end = _name_end(text, m.start(), m.end())
            known = self._pattern.match(text, m.start())
            if known and not any(ch.isupper() or ch.isdigit() for ch in text[known.end() : end]):
                continue  # `Ban Thường vụ Tỉnh ủy tình hình`: the known name and common words
            if end > m.end():
                raw = text[m.start() : end]
                found.append(Mention(m.start(), end, self.canonical(raw), key(raw) in self.forms))
        found.sort(key=lambda x: (x.start, -(x.end - x.start), not x.known))
        out: list[Mention] = []
        for x in found:
            if out and x.start < out[-1].end:
                continue
            out.append(x)
        # `Các sở: Y tế, Tư pháp` — the collective only introduces the list after it
        return [
            x
            for i, x in enumerate(out)
            if not (
                self.is_collective(x.name)
                and text[x.end : x.end + 1] == ":"
                and i + 1 < len(out)
                and out[i + 1].start <= x.end + 3
            )
        ]

    def find(self, text: str, bare: bool = True) -> list[str]:
        """Canonical names of the agencies `text` names, in order, without repeats."""
        names: list[str] = []
        for m in self.mentions(text, bare):
            if m.name not in names:
                names.append(m.name)
        return names


def _segment_start(text: str, pos: int) -> bool:
    before = text[:pos].rstrip()
    return not before or before[-1] in ",;:(/" or before.endswith((" và", " Sở", " sở", "các Sở"))


def _name_end(text: str, head_start: int, pos: int) -> int:
    """End of a proper name whose head ends at `pos`: capitalised words, `và`, numbers,
    and up to three lower-case words inside (`Phòng Tổ chức cán bộ`) before the predicate."""
    end = pos
    lower_run = 0
    single_head = " " not in text[head_start:pos]
    for i, m in enumerate(_TOKEN.finditer(text, pos)):
        suffix = _SUFFIX.match(text[end:])
        if suffix:
            heads = [w.start() for w in re.finditer(r"\S+", suffix.group()) if _is_head_at(text, end + w.start())]
            return end + (len(suffix.group()[: heads[0]].rstrip()) if heads else suffix.end())
        if text[end : m.start()].strip() or (end > pos and _is_head_at(text, m.start())):
            break
        tok = m.group().rstrip(",;:.")
        word = tok.lower()
        if not tok:
            break
        if (
            tok[0].isupper()
            or tok[0].isdigit()
            or word in ("và", "-")
            and _next_is_cap(text, m.end())
            and not _is_head_at(text, m.end() + 1)
        ):
            lower_run = 0
        elif i == 0 and single_head:
            break  # `Sở tổng hợp`: a one-word head needs a capitalised name
        elif word not in STOP and tok.isalpha() and lower_run < 3:
            lower_run += 1
        else:
            break
        end = m.start() + len(tok)
        if m.group() != tok:
            break
    tail = text[pos:end]
    for connector in (" và", " -"):
        if tail.endswith(connector):
            end -= len(connector)
    return end


def _is_head_at(text: str, pos: int) -> bool:
    return text[pos : pos + 1].isupper() and bool(_HEAD_RE.match(text, pos))


def _cap_ahead(text: str, pos: int, within: int = 2) -> bool:
    """A capitalised word follows within `within` words, with no predicate word between."""
    for i, m in enumerate(_TOKEN.finditer(text, pos)):
        tok = m.group()
        if i >= within or tok.lower().strip(",;:.") in STOP:
            return False
        if tok[0].isupper():
            return True
        if tok != tok.rstrip(",;:."):
            return False
    return False


def _next_is_cap(text: str, pos: int) -> bool:
    m = _TOKEN.search(text, pos)
    return bool(m and m.group()[0].isupper())


@cache
def registry() -> Registry:
    with (DATA / "agencies.toml").open("rb") as f:
        return Registry(tomllib.load(f)["agency"])


def find_agencies(text: str) -> list[str]:
    return registry().find(text)


def canonical(name: str) -> str:
    return registry().canonical(name)
