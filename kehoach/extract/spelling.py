"""The spelling of an agency's name written one way: tone placement (`hoá` → `hóa`), hyphens,
ampersands and whitespace, so that two writings of one name compare equal."""

from __future__ import annotations

import re

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
TONE_RE = re.compile(r"(?<![qQ])(?:" + "|".join(_TONE_PLACEMENT) + r")(?!\w)", re.I)
_HYPHEN = re.compile(r"\s*[-–—]\s*(?=\w)")
_AMP = re.compile(r"\s*&\s*")
_SPACES = re.compile(r"\s+")


def normalize(text: str) -> str:
    """Tone placement, hyphens and ampersands written one way; whitespace collapsed."""
    text = TONE_RE.sub(lambda m: _match_case(m.group(), _TONE_PLACEMENT[m.group().lower()]), text)
    return tidy(text)


def tidy(text: str) -> str:
    """Hyphens and ampersands spaced one way, whitespace collapsed; the spelling kept."""
    text = _HYPHEN.sub(" - ", text)
    text = _AMP.sub(" & ", text)
    return _SPACES.sub(" ", text).strip()


def retone(m: re.Match[str]) -> str:
    """A `TONE_RE` match with its tone placed the modern way, its case kept."""
    return _match_case(m.group(), _TONE_PLACEMENT[m.group().lower()])


def _match_case(src: str, dst: str) -> str:
    return "".join(d.upper() if s.isupper() else d for s, d in zip(src, dst, strict=True))


def key(name: str) -> str:
    return normalize(name).casefold()
