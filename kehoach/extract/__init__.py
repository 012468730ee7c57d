"""Text → plan: repair, structure, the grammar of a plan, plan assembly.

`extract(source)` is the typed core: a `kehoach.model.Plan`. `extract_source`, `extract_path`
and `extract_bytes` give the same plan as its plan/v1 dict (with each item's `review` and
`source` and the plan's `warnings`), for callers that store or send JSON.
"""

from __future__ import annotations

from pathlib import Path

from ..model import Plan
from ..read import Source, read_bytes, read_path
from .plan import extract_plan


def extract(source: Source) -> Plan:
    """The plan a reader's text holds; `NoPlanError` when it holds none."""
    return extract_plan(source)


def extract_source(source: Source) -> dict:
    return extract_plan(source).as_dict()


def extract_path(path: str | Path) -> dict:
    return extract_source(read_path(path))


def extract_bytes(name: str, data: bytes) -> dict:
    return extract_source(read_bytes(name, data))
