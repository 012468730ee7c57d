"""Interface language: Vietnamese source strings, an English catalogue read with Babel."""

from __future__ import annotations

from contextvars import ContextVar
from functools import cache, lru_cache
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


# --- values shown in pages, in the interface's words ------------------------------------------


def period_label(code: object) -> str:
    """A stored period (`2026-Q3`, `2026-07`) as people write it: `Quý III năm 2026`."""
    return gettext(_period_vi(str(code))) if code else ""


@lru_cache(maxsize=4096)
def _period_vi(code: str) -> str:
    """A period's Vietnamese label, read once per code: a page shows the same few hundreds of times."""
    from ..vn import Period

    try:
        return Period.parse(code).label
    except ValueError:
        return code  # a one-off reporting date, or a period stored before today's forms


def role_label(role: object) -> str:
    """`officer` → `Cán bộ sở, ngành`: roles are never shown by their code."""
    from ..store.web import ROLE_VI

    return gettext(ROLE_VI.get(str(role), str(role)))


#: filters the templates use beside app.py's number and date formats
FILTERS = {"period_vi": period_label, "role_vi": role_label}
