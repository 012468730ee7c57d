"""The data's path in one place: read → repair → structure → extract."""

from __future__ import annotations

from pathlib import Path

from ..read import Source, read_bytes, read_path
from .plan import extract_plan


def extract_source(source: Source) -> dict:
    return extract_plan(source)


def extract_path(path: str | Path) -> dict:
    return extract_source(read_path(path))


def extract_bytes(name: str, data: bytes) -> dict:
    return extract_source(read_bytes(name, data))
