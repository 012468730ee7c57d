"""The word lists of a plan's layout grammar (`data/plan_grammar.toml`), as regular expressions."""

from __future__ import annotations

import re
from functools import cache

from .. import data_toml


@cache
def words(name: str) -> tuple[str, ...]:
    """A list of `plan_grammar.toml`, longest first so that an alternation prefers it."""
    found = data_toml("plan_grammar.toml")[name]
    return tuple(sorted(found, key=len, reverse=True))


def alternation(name: str) -> str:
    """The list as a regex group: each phrase with any run of spaces between its words."""
    phrases = (r"\s*,\s*".join(r"\s+".join(map(re.escape, p.split())) for p in w.split(",")) for w in words(name))
    return "(?:" + "|".join(phrases) + ")"
