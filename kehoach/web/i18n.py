"""Interface language: Vietnamese source strings, an English catalogue read with Babel."""

from __future__ import annotations

from contextvars import ContextVar
from functools import cache
from pathlib import Path

from babel.messages.pofile import read_po

LANGUAGES = {"vi": "Tiếng Việt", "en": "English"}
LOCALE_DIR = Path(__file__).parent / "locale"
current: ContextVar[str] = ContextVar("kehoach_language", default="vi")


@cache
def catalogue(lang: str) -> dict[str, str]:
    path = LOCALE_DIR / lang / "LC_MESSAGES" / "messages.po"
    if lang == "vi" or not path.exists():
        return {}
    with path.open("rb") as f:
        cat = read_po(f, locale=lang)
    return {str(m.id): str(m.string) for m in cat if m.id and m.string and not m.fuzzy}


def gettext(message: str) -> str:
    return catalogue(current.get()).get(message, message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return gettext(singular if n == 1 else plural)
