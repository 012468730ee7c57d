"""Legacy Vietnamese encodings: detect TCVN3 (ABC, `.VnTime`) and VNI text, convert to Unicode.

Old documents were typed with 8-bit fonts that draw Vietnamese letters in the slots of
Latin-1 characters. Read as Unicode they come out as mojibake ("Hµ Néi" for "Hà Nội" in
TCVN3, "Haø Noäi" in VNI). The functions here are pure and never alter text that is
already Unicode Vietnamese: a span is converted only when it holds characters that no
Vietnamese word contains (the encoding's signature) and conversion turns more of its
words into valid Vietnamese syllables, or when its font says which encoding it uses.

Tables: TCVN3 is TCVN 5712:1993 as implemented by glibc's `TCVN5712-1` converter (the
VN1 table; VN3, the `.VnTime` fonts, is its subset without the capital toned letters,
which `.VnTimeH` fonts draw from the small-letter slots). VNI is the VNI-Windows table
(base letter followed by a mark byte, read as cp1252), as in the public xvnkb tables.
"""

from __future__ import annotations

import re
import unicodedata

from .syllables import is_syllable

# --- TCVN3 / TCVN 5712 (VN1) -------------------------------------------------------------
# Byte values 0xA1..0xFF (as Latin-1 characters) and the Unicode text each one stands for;
# 0xA0 (no-break space) and 0xFD (ý) map to themselves. 0xB0..0xB4 are combining tone marks.
_TCVN3_HIGH_SRC = "".join(chr(b) for b in range(0xA1, 0x100) if b != 0xFD)
_TCVN3_HIGH_DST = (
    "ĂÂÊÔƠƯĐăâêôơưđẰ\u0300\u0309\u0303\u0301\u0323àảãáạẲằẳẵắẴẮẦẨẪẤỀặầẩẫấậèỂẻẽéẹềểễếệìỉỄẾỒĩíị"
    "òỔỏõóọồổỗốộờởỡớợùỖủũúụừửữứựỳỷỹỵỐ"
)
# Capital toned letters of VN1, in C0 control and 0x80..0x9F slots (raw bytes only).
_TCVN3_LOW = {
    0x01: "Ú", 0x02: "Ụ", 0x04: "Ừ", 0x05: "Ử", 0x06: "Ữ", 0x11: "Ứ", 0x12: "Ự", 0x13: "Ỳ",
    0x14: "Ỷ", 0x15: "Ỹ", 0x16: "Ý", 0x17: "Ỵ",
}
_TCVN3_C1 = "ÀẢÃÁẠẶẬÈẺẼÉẸỆÌỈĨÍỊÒỎÕÓỌỘỜỞỠỚỢÙỦŨ"  # 0x80..0x9F

assert len(_TCVN3_HIGH_SRC) == len(_TCVN3_HIGH_DST)

TCVN3_DECODE: dict[int, str] = {ord(s): d for s, d in zip(_TCVN3_HIGH_SRC, _TCVN3_HIGH_DST,
                                                           strict=True)}
TCVN3_DECODE.update(_TCVN3_LOW)
TCVN3_DECODE.update({0x80 + i: c for i, c in enumerate(_TCVN3_C1)})

# Encoding: every precomposed letter has one slot; combining marks are not produced.
_TCVN3_ENCODE: dict[str, str] = {
    d: chr(k) for k, d in TCVN3_DECODE.items() if len(d) == 1 and not unicodedata.combining(d)
}

# --- VNI-Windows ----------------------------------------------------------------------------
# A toned letter is its base letter followed by one or two mark characters (cp1252 bytes).
_VNI_TONES_LOWER = {"": "", "\u0301": "ù", "\u0300": "ø", "\u0309": "û", "\u0303": "õ",
                    "\u0323": "ï"}
_VNI_TONES_UPPER = {"": "", "\u0301": "Ù", "\u0300": "Ø", "\u0309": "Û", "\u0303": "Õ",
                    "\u0323": "Ï"}
# circumflex (â ê ô) and breve (ă) carry their tone in one combined mark character
_VNI_CIRC_LOWER = {"": "â", "\u0301": "á", "\u0300": "à", "\u0309": "å", "\u0303": "ã",
                   "\u0323": "ä"}
_VNI_CIRC_UPPER = {"": "Â", "\u0301": "Á", "\u0300": "À", "\u0309": "Å", "\u0303": "Ã",
                   "\u0323": "Ä"}
_VNI_BREVE_LOWER = {"": "ê", "\u0301": "é", "\u0300": "è", "\u0309": "ú", "\u0303": "ü",
                    "\u0323": "ë"}
_VNI_BREVE_UPPER = {"": "Ê", "\u0301": "É", "\u0300": "È", "\u0309": "Ú", "\u0303": "Ü",
                    "\u0323": "Ë"}
# letters that VNI writes with a single character of their own
_VNI_SINGLE = {
    "ơ": "ô", "Ơ": "Ô", "ư": "ö", "Ư": "Ö", "đ": "ñ", "Đ": "Ñ",
    "í": "í", "ì": "ì", "ỉ": "æ", "ĩ": "ó", "ị": "ò",
    "Í": "Í", "Ì": "Ì", "Ỉ": "Æ", "Ĩ": "Ó", "Ị": "Ò", "ỵ": "î", "Ỵ": "Î",
}
_TONES = ("", "\u0301", "\u0300", "\u0309", "\u0303", "\u0323")


def _vni_tables() -> tuple[dict[str, str], dict[str, str]]:
    enc: dict[str, str] = {}
    for base in "aeiouyAEIOUY":
        upper = base.isupper()
        tones = _VNI_TONES_UPPER if upper else _VNI_TONES_LOWER
        for tone in _TONES:
            uni = unicodedata.normalize("NFC", base + tone)
            enc.setdefault(uni, base + tones[tone])
            if base in "aeoAEO":  # circumflex
                circ = _VNI_CIRC_UPPER if upper else _VNI_CIRC_LOWER
                enc[unicodedata.normalize("NFC", base + "\u0302" + tone)] = base + circ[tone]
            if base in "aA":  # breve
                breve = _VNI_BREVE_UPPER if upper else _VNI_BREVE_LOWER
                enc[unicodedata.normalize("NFC", base + "\u0306" + tone)] = base + breve[tone]
    for base, vbase in (("ơ", "ô"), ("Ơ", "Ô"), ("ư", "ö"), ("Ư", "Ö")):
        tones = _VNI_TONES_UPPER if base.isupper() else _VNI_TONES_LOWER
        for tone in _TONES:
            enc[unicodedata.normalize("NFC", base + tone)] = vbase + tones[tone]
    enc.update(_VNI_SINGLE)
    enc = {k: v for k, v in enc.items() if k != v}
    dec = {v: k for k, v in enc.items()}
    # mixed case (a capital letter with a small mark, as typed in title case) decodes too
    for seq, uni in list(dec.items()):
        if len(seq) == 2:
            alt = seq[0] + seq[1].swapcase()
            dec.setdefault(alt, uni if seq[0].isupper() == uni.isupper() else uni.swapcase())
    return enc, dec


VNI_ENCODE, VNI_DECODE = _vni_tables()
_VNI_KEYS = sorted(VNI_DECODE, key=len, reverse=True)
_VNI_RE = re.compile("|".join(re.escape(k) for k in _VNI_KEYS))

# --- detection -----------------------------------------------------------------------------
_VN_LETTERS = set(
    "aàáảãạăằắẳẵặâầấẩẫậeèéẻẽẹêềếểễệiìíỉĩịoòóỏõọôồốổỗộơờớởỡợuùúủũụưừứửữựyỳýỷỹỵđ"
)
_VN_LETTERS |= {c.upper() for c in _VN_LETTERS}
# Letters only Unicode Vietnamese has (beyond Latin-1): their presence means "already Unicode".
_UNICODE_VN = {c for c in _VN_LETTERS if ord(c) > 0xFF}
# A legacy span must hold at least one character that no Vietnamese word contains.
_TCVN3_SIGNS = {chr(k) for k in TCVN3_DECODE if 0xA1 <= k <= 0xFF} - _VN_LETTERS
_VNI_SIGNS = {c for seq in VNI_DECODE for c in seq if ord(c) >= 0xA0} - _VN_LETTERS

_PUNCT = "\"'()[]{}<>.,;:!?-–—…“”‘’/%*"
# signs that also stand in Unicode text: a broken PDF font's `ñ`/`ð` for `đ`/`Đ`, footnote marks,
# exponents, symbols (30°C, § 3, © 2025, µm)
_AMBIGUOUS = set("ñðÑ¹²³°§©®«»·×±µ½¼¾")
# such a sign between two letters (`ho¹ch`), VNI's `đ` starting a word (`ÑÒNH`), TCVN3's `ã`,
# `à`, `â` ending one (`x·`, `Hµ`)
_INSIDE = re.compile(r"[^\W\d_][ñðÑ¹²³°§©®«»·×±µ½¼¾][^\W\d_]|(?<![^\W\d_])[ñÑ][^\W\d_]"
                     r"|[^\W\d_][·µ©](?![^\W\d_])")


def _score(text: str) -> int:
    """Non-ASCII words (no digits) that are Vietnamese syllables, minus those that are not."""
    s = 0
    for tok in text.split():
        w = tok.strip(_PUNCT)
        # ASCII digits only: `¹` is a digit to Python but TCVN3's `ạ` (`ho¹ch`)
        if w.isascii() or any(c in "0123456789" for c in w) or not any(c.isalpha() for c in w):
            continue
        s += 1 if is_syllable(w) else -1
    return s


def tcvn3_to_unicode(text: str, capitals: bool = False) -> str:
    """Convert TCVN3 text (as Latin-1 characters) to Unicode NFC. `capitals`: a `.VnTimeH` font."""
    out = unicodedata.normalize("NFC", text.translate(TCVN3_DECODE))
    return out.upper() if capitals else out


def unicode_to_tcvn3(text: str) -> str:
    """Encode Unicode Vietnamese as TCVN3 characters (the inverse of `tcvn3_to_unicode`)."""
    return "".join(_TCVN3_ENCODE.get(c, c) for c in unicodedata.normalize("NFC", text))


def vni_to_unicode(text: str) -> str:
    """Convert VNI-Windows text (as cp1252 characters) to Unicode NFC."""
    return unicodedata.normalize("NFC", _VNI_RE.sub(lambda m: VNI_DECODE[m.group(0)], text))


def unicode_to_vni(text: str) -> str:
    """Encode Unicode Vietnamese as VNI-Windows characters (the inverse of `vni_to_unicode`)."""
    return "".join(VNI_ENCODE.get(c, c) for c in unicodedata.normalize("NFC", text))


CONVERTERS = {"tcvn3": tcvn3_to_unicode, "vni": vni_to_unicode}


def font_encoding(font: str | None) -> str | None:
    """The legacy encoding a font name implies: `.VnTime` → tcvn3, `VNI-Times` → vni."""
    if not font:
        return None
    f = font.strip().lower()
    if f.startswith(".vn") or "tcvn3" in f:
        return "tcvn3"
    if f.startswith("vni-") or f.startswith("vni "):
        return "vni"
    return None


def font_is_capitals(font: str | None) -> bool:
    """`.VnTimeH`, `.VnArialH`: a TCVN3 font that draws small-letter slots as capitals."""
    return bool(font) and font.strip().startswith(".Vn") and font.strip().endswith("H")


def detect(text: str) -> str | None:
    """'tcvn3', 'vni' or None (Unicode or undecidable). Unicode Vietnamese gives None."""
    if any(c in _UNICODE_VN for c in text):
        return None
    chars = set(text)
    candidates = [enc for enc, signs in (("tcvn3", _TCVN3_SIGNS), ("vni", _VNI_SIGNS))
                  if chars & signs]
    if not candidates:
        return None
    # two more valid words at least: a lone symbol (a footnote mark ¹ is TCVN3 "ạ", µm) stays
    if not chars & (_TCVN3_SIGNS | _VNI_SIGNS) - _AMBIGUOUS and not _INSIDE.search(text):
        return None  # only signs Unicode text has too, none inside a word (`ho¹ch`)
    best, best_score = None, max(_score(text) + 1, 1)
    for enc in candidates:
        s = _score(CONVERTERS[enc](text))
        if s > best_score:
            best, best_score = enc, s
    return best


def convert_span(text: str, encoding: str | None = None,
                 font: str | None = None) -> tuple[str, str | None]:
    """Convert one run of text; `font` (a run's font name) takes precedence over detection.

    Returns (text, encoding applied or None).
    """
    enc = encoding or font_encoding(font)
    if enc and any(c in _UNICODE_VN for c in text):
        enc = None  # Unicode typed in an old font's run is already right
    if enc is None:
        enc = detect(text)
    if enc is None:
        return text, None
    if enc == "tcvn3":
        return tcvn3_to_unicode(text, capitals=font_is_capitals(font)), enc
    return vni_to_unicode(text), enc


def _evident(token: str, signs: set[str]) -> bool:
    w = token.strip(_PUNCT)
    return bool(set(w) & signs) or (not w.isascii() and not w.isdigit() and not is_syllable(w))


def _convert_between(span: str, trim_left: bool, trim_right: bool) -> tuple[str, str | None]:
    """Convert a span; next to a Unicode word, its edge words that read as Unicode stay."""
    enc = detect(span)
    if enc is None:
        return span, None
    parts = re.split(r"(\s+)", span)
    signs = _TCVN3_SIGNS if enc == "tcvn3" else _VNI_SIGNS
    evident = [i for i, p in enumerate(parts) if p.strip() and _evident(p, signs)]
    lo = evident[0] if trim_left else 0
    hi = evident[-1] + 1 if trim_right else len(parts)
    middle = "".join(parts[lo:hi])
    return "".join(parts[:lo]) + CONVERTERS[enc](middle) + "".join(parts[hi:]), enc




def repair_text(text: str) -> tuple[str, dict[str, int]]:
    """Convert the legacy-encoded spans of a text, line by line. Returns (text, {encoding: lines}).

    Within a line, words holding Unicode Vietnamese letters split it into spans decided apart,
    so a line mixing a Unicode run with a TCVN3 run is repaired only where needed.
    """
    counts: dict[str, int] = {}
    signs = _TCVN3_SIGNS | _VNI_SIGNS
    out_lines = []
    lines = text.split("\n")
    # In a document written in Unicode, a line with Unicode Vietnamese letters and no TCVN3 sign
    # is Unicode: its `ñ` is a broken PDF font's `đ` (repaired later), not VNI, so `soát` stays.
    non_ascii = [ln for ln in lines if not ln.isascii()]
    unicode_doc = sum(1 for ln in non_ascii if any(c in _UNICODE_VN for c in ln)) > 0.5 * len(non_ascii)
    for line in lines:
        if line.isascii() or not (set(line) & signs) or (
            unicode_doc and any(c in _UNICODE_VN for c in line) and not (set(line) & _TCVN3_SIGNS) - _AMBIGUOUS
        ):
            out_lines.append(line)
            continue
        # split into spans: words with Unicode Vietnamese letters stand alone, the rest group
        spans: list[tuple[str, bool]] = []
        for tok in re.split(r"(\s+)", line):
            keep = any(c in _UNICODE_VN for c in tok)
            if spans and spans[-1][1] == keep:
                spans[-1] = (spans[-1][0] + tok, keep)
            else:
                spans.append((tok, keep))
        converted = set()
        pieces = []
        for k, (tok, keep) in enumerate(spans):
            if keep:
                pieces.append(tok)
                continue
            seg, enc = _convert_between(tok, trim_left=k > 0, trim_right=k < len(spans) - 1)
            pieces.append(seg)
            if enc:
                converted.add(enc)
        out_lines.append("".join(pieces))
        for enc in converted:
            counts[enc] = counts.get(enc, 0) + 1
    return "\n".join(out_lines), counts


def decode_legacy_bytes(data: bytes) -> tuple[str, str] | None:
    """Raw bytes of a TCVN3 or VNI text file → (Unicode text, encoding), or None if neither."""
    tcvn = data.decode("latin-1")
    vni = data.decode("cp1252", errors="replace")
    scores = {}
    for enc, raw in (("tcvn3", tcvn), ("vni", vni)):
        if detect(raw) is not None:
            scores[enc] = _score(CONVERTERS[enc](raw))
    if not scores:
        return None
    enc = max(scores, key=lambda e: scores[e])
    return CONVERTERS[enc](tcvn if enc == "tcvn3" else vni), enc


def _as_8bit(text: str) -> bytes | None:
    """The bytes a mojibake text was decoded from (each character as Latin-1 or cp1252), or
    None if some character cannot have come from one byte."""
    out = bytearray()
    for ch in text:
        o = ord(ch)
        if o < 0x100:
            out.append(o)
            continue
        try:
            out += ch.encode("cp1252")
        except UnicodeEncodeError:
            return None
    return bytes(out)


def _caps_typed(word: str) -> bool:
    """`HOạCH`: a small toned letter inside capitals (typed with a `.VnTimeH` font)."""
    for i, c in enumerate(word):
        if c.isascii() or not c.islower():
            continue
        after = word[i + 1:i + 2]
        if after.isascii() and after.isupper() or word[max(0, i - 2):i].isupper() and i >= 2:
            return True
    return False


def upper_lines(text: str) -> str:
    """Lines typed in capitals with a `.VnTimeH` font come out with small toned letters
    (`KẾ HOẠCH` read as `Kế HOạCH`): a line with such a word and no small Latin letter is
    upper-cased. Title case (`Số:`) is left alone."""
    out = []
    for line in text.split("\n"):
        if (not any(c.isascii() and c.islower() for c in line)
                and any(_caps_typed(w) for w in line.split())):
            line = line.upper()
        out.append(line)
    return "\n".join(out)


def repair_mojibake(text: str) -> tuple[str, str] | None:
    """A whole text in TCVN3 or VNI that was decoded as Latin-1/cp1252 and saved as UTF-8
    (`KÕ ho¹ch`, `Sè:`) → (Unicode text, encoding); None when the text is not such mojibake.

    Decided over the whole text, not line by line, so lines without a tell-tale sign (`Sè:`
    is a valid syllable) are converted with the rest. Text holding Unicode Vietnamese letters
    is never touched."""
    if text.isascii() or any(c in _UNICODE_VN for c in text):
        return None
    raw = _as_8bit(text)
    if raw is None:
        return None
    found = decode_legacy_bytes(raw)
    if found is None:
        return None
    converted, enc = found
    if _score(converted) - _score(text) < 2:
        return None  # too little evidence
    return (upper_lines(converted) if enc == "tcvn3" else converted), enc
