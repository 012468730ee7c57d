"""Repair: undo what broken extraction did to the text, line by line.

NFC; `ñ`/`ð` printed for `đ`/`Đ` by broken PDF fonts; HTML and Markdown remnants;
syllables that lost their space; page numbers; footnotes separated from the body; the fixed
phrases a scan's OCR misspelled (`chù trì`, `Sờ Tài chính`).
Line structure is kept: joining hard-wrapped lines is the structure stage's job.
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache, lru_cache

from ..read.model import superscript
from ..read.syllables import frequencies, is_syllable, looks_vietnamese, split_digits, split_glued
from ..vn import LOWER, UPPER
from .vocabulary import respell

_TAGS = re.compile(r"</?(?:p|i|b|u|em|strong|br|span|div|sup|sub|font|a)\b[^>]*>", re.I)
_BOLD = re.compile(r"\*\*")
_ITALIC = re.compile(r"(?<![\w*])\*(?=\S)|(?<=\S)\*(?![\w*])")
_WORD = re.compile(r"[^\W\d_]+")
_CODE_WORD = re.compile(rf"^([A-ZĐ]{{2,}})({LOWER}{{2,}})$")
_ALNUM = re.compile(r"(?<!\w)(?=\w*\d)(?=\w*[^\W\d_])\w+")  # a word with both digits and letters
_SPACES = re.compile(r"[\u00a0\u2000-\u200a\u202f\u205f\u3000]")
_INVISIBLE = re.compile(r"[\u200b-\u200d\u2060\ufeff\u00ad]")
_SUPERSCRIPT = "⁰¹²³⁴⁵⁶⁷⁸⁹"
_FOOTNOTE_MARK = re.compile(rf"⁽[{_SUPERSCRIPT}]+⁾|(?<=[\w%.,;:)”\"])[{_SUPERSCRIPT}]+")
_FOOTNOTE_LINE = re.compile(rf"^\s*⁽?([{_SUPERSCRIPT}]+)⁾?\s*(\S.*)$")
_SUPER_DIGITS = str.maketrans(_SUPERSCRIPT, "0123456789")
_PAGE_NUMBER = re.compile(r"^\s*(?:-\s*\d{1,3}\s*-|\d{1,3}|Trang\s+\d{1,3}(?:\s*/\s*\d{1,3})?)\s*$")
_BROKEN_WORD = re.compile(r"[^\W\d_]*[ñðÑÐ][^\W\d_]*")
# `Ð` (U+00D0, the Icelandic eth) looks like `Đ` (U+0110) and some fonts and encoders write it for it
_BROKEN_D = str.maketrans({"ñ": "đ", "ð": "Đ", "Ñ": "Đ", "Ð": "Đ"})
_ETH = "\u00d0"
# letters only Vietnamese writes (`ư`, `ơ`, `ă`, `đ`, the dot below): a text that holds them is Vietnamese
_VIETNAMESE_LETTERS = re.compile(r"[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]", re.I)


_SCANNED = 3  # misspelled fixed phrases that show a scan's OCR


@dataclass
class Repaired:
    lines: list[str]
    footnotes: dict[str, str] = field(default_factory=dict)  # number → text
    notes: list[str] = field(default_factory=list)


def fix_broken_d(word: str) -> str:
    """`ñaåu`-style font faults: `ñ`/`ð` stand for `đ`/`Đ` where that makes a syllable."""
    if not any(ch in word for ch in "ñðÑÐ"):
        return word
    fixed = word.translate(_BROKEN_D)
    return fixed if is_syllable(fixed) or split_glued(fixed) else word


def fix_eth(text: str) -> str:
    """`Ðề nghị`, `QÐ-UBND`, `HÐND`: in a Vietnamese text every capital eth `Ð` is a `Đ` (no
    Vietnamese word holds an eth), also in a code or an abbreviation that is no syllable."""
    if _ETH not in text or len(_VIETNAMESE_LETTERS.findall(text)) < 3:
        return text
    return text.replace(_ETH, "Đ")


@lru_cache(maxsize=65536)
def repair_word(word: str, split: bool = True) -> str:
    """One word repaired: a broken `đ`, a word glued to a capitalised one (`QuýIII`), a code glued
    to a word (`CPngày`); with `split`, syllables that lost their space (`cungcấp`)."""
    word = fix_broken_d(word)
    # `QuýIII`: a Vietnamese word glued to a capitalised one (not `VietGAP`, `iPhone`)
    cut = next((i for i in range(1, len(word)) if word[i - 1].islower() and word[i].isupper()), 0)
    left = word[:cut]
    common = frequencies().get(left.lower(), 0.0) >= 2.0
    if len(left) > 1 and (is_syllable(left) and (looks_vietnamese(left) or common) or split_glued(left)):
        return f"{repair_word(left, split)} {repair_word(word[cut:], split)}"
    m = _CODE_WORD.match(word)  # `CPngày`: a document code glued to the next word
    if m and is_syllable(m.group(2)) and looks_vietnamese(m.group(2)):
        return f"{m.group(1)} {m.group(2)}"
    parts = split_glued(word) if split else None
    return " ".join(parts) if parts else word


_BREAK = re.compile(r"<br\s*/?>|</?p\b[^>]*>", re.I)
# a signature block's title run onto the end of a sentence (`... kết quả. **KT. GIÁM ĐỐC**`): the block
# begins there; its titles are those `heading.signer_titles` knows
_SIGN_PREFIX = r"(?:KT|TM|T/M|K/T|TL|TUQ|Q)\.?\s*"


def break_lines(lines: list[str]) -> tuple[list[str], list[int]]:
    """Lines broken where a converter left a paragraph break in them (`<br>`, `<p>`, `</p>`) and where a
    signature block's title was run onto a sentence; with the 1-based line each came from. In a
    table row the breaks are the cell's own lines: a space."""
    out: list[str] = []
    origin: list[int] = []
    for no, line in enumerate(lines, 1):
        if "\t" in line:
            pieces = [_BREAK.sub(" ", line)]
        else:
            pieces = [p for piece in _BREAK.split(line) for p in _glued_signature(piece)]
            pieces = [p for p in pieces if p.strip()] or [""]
        out += pieces
        origin += [no] * len(pieces)
    return out, origin


@cache
def _signature_after_sentence() -> re.Pattern[str]:
    from .heading import signer_titles  # the signature's grammar lives with the heading's

    titles = "|".join(re.escape(t.upper()) for t in signer_titles())
    # one space: a wider gap is a second column (`- UBND tỉnh (b/c);      PHÓ GIÁM ĐỐC`), read as such
    return re.compile(rf"(?<=[.;!?]) (?=(?:\*\*)?(?:{_SIGN_PREFIX})?(?:{titles})(?:\*\*)?\s*$)")


def _glued_signature(text: str) -> list[str]:
    """`2. Sở Nội vụ tổng hợp kết quả. **KT. GIÁM ĐỐC**` → the sentence, and the signature's title."""
    m = _signature_after_sentence().search(text) if text.rstrip(" *")[-2:].isupper() else None
    return [text[: m.start()], text[m.end() :]] if m else [text]


def lost_spaces(text: str) -> bool:
    """A text whose extraction lost the spaces between syllables loses them often: several
    words, or a sizeable share of a short text's, split into syllables. One such word in a
    long document (`makét`, a loanword) is the document's own."""
    words = set(_WORD.findall(text))
    glued = sum(1 for w in words if len(w) >= 4 and not is_syllable(w) and split_glued(w))
    return glued >= 3 or (glued >= 2 and glued >= 0.01 * len(words))


def repair_line(line: str, split: bool = True) -> str:
    line = _INVISIBLE.sub("", line)
    line = html.unescape(_TAGS.sub("", line))
    line = _BOLD.sub("", line)
    line = _ITALIC.sub("", line)
    line = _SPACES.sub(" ", line)
    line = _WORD.sub(lambda m: repair_word(m.group(), split), line)
    return line.rstrip()


def repair(text: str) -> Repaired:
    """Repair a whole text; return its lines (tabs kept) and its footnotes."""
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    out = Repaired(lines=[])
    text = fix_eth(text)
    if _broken_d_font(text):
        text = text.translate(_BROKEN_D)  # every `ñ`/`ð` is a `đ`/`Đ` in this document
        out.notes.append("ñ/ð → đ/Đ (broken PDF font)")
    split = lost_spaces(text)
    if split:
        out.notes.append("syllables that lost their space split")
    for raw in text.split("\n"):
        if _PAGE_NUMBER.match(raw):
            out.lines.append("")
            continue
        m = _FOOTNOTE_LINE.match(raw)
        if m and "\t" not in raw:
            out.footnotes[m.group(1).translate(_SUPER_DIGITS)] = repair_line(m.group(2), split)
            out.lines.append("")
            continue
        cells = [repair_line(_FOOTNOTE_MARK.sub(_footnote_ref, c), split) for c in raw.split("\t")]
        out.lines.append("\t".join(cells) if len(cells) > 1 else cells[0])
    _plain_footnotes(out)
    respelled = [respell(x) for x in out.lines]
    misses = sum(n for _, n in respelled)
    if misses >= _SCANNED:  # a scan's OCR, not a typed document's own typo
        out.lines = [x for x, _ in respelled]
        out.notes.append(f"{misses} fixed phrases misspelled by OCR respelled")
    # after footnote marks are known, digits glued to words are only glued words
    out.lines = [_ALNUM.sub(lambda m: split_digits(m.group()), x) for x in out.lines]
    return out


def _broken_d_font(text: str) -> bool:
    """True when `ñ`/`ð` stand for `đ`/`Đ` throughout: many words become Vietnamese with it."""
    words = set(_BROKEN_WORD.findall(text))
    fixed = sum(1 for w in words if is_syllable(w.translate(_BROKEN_D)) or split_glued(w.translate(_BROKEN_D)))
    return fixed >= 3 and fixed >= 0.5 * len(words)


def _footnote_ref(m: re.Match[str]) -> str:
    digits = m.group().strip("⁽⁾").translate(_SUPER_DIGITS)
    if not m.group().startswith("⁽") and superscript(m.string[: m.start()], digits) not in (None, f"[{digits}]"):
        return m.group()  # `m³/s`, `km²`: an exponent after a unit, not a footnote
    return f" [^{digits}]"


def _plain_footnotes(out: Repaired) -> None:
    """Footnotes whose superscript was lost or bracketed: `quý1` or `xã[1]` in the text,
    `1 Quý I: ...` below (DOCX and PDF readers put footnotes last, as such lines)."""
    body = "\n".join(out.lines)
    for i, line in enumerate(out.lines):
        m = re.match(rf"^\s*(?:(\d{{1,2}}) ({UPPER}\S*.*)|\[(\d{{1,2}})\]\s*(\S.*))$", line)
        if not m or "\t" in line:
            continue
        n, note = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
        mark = re.compile(rf"(?<=[^\W\d_]){n}(?=[\s.,;:)]|$)|\[{n}\](?!/)", re.M)  # `quý1`, `xã[1]`
        if not mark.search(body):
            continue
        out.lines[i] = ""
        for k in range(i + 1, len(out.lines)):  # a footnote wrapped over lines
            nxt = out.lines[k].strip()
            if not nxt or "\t" in nxt or not nxt[0].islower():
                break
            note = f"{note} {nxt}"
            out.lines[k] = ""
        out.footnotes[n] = note.strip()
        out.lines[:] = [mark.sub(f" [^{n}]", x) for x in out.lines]
        body = "\n".join(out.lines)
