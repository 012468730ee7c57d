"""Extract: structured text in, plan/v1 out. (Being written.)"""

from __future__ import annotations

from .read import Source


def extract_plan(source: Source) -> dict:
    return {"format": "plan/v1", "source": source.name, "document": {}, "tasks": [],
            "indicators": [], "scenarios": [], "reporting": []}
