"""One small hierarchy of errors, each saying what, where and what next."""

from __future__ import annotations


class KehoachError(Exception):
    """Base class: every error kehoach raises on purpose."""


class ReadError(KehoachError):
    """A file could not be read as a plan document."""

    def __init__(self, path: object, reason: str) -> None:
        self.path = str(path)
        self.reason = reason
        super().__init__(f"{self.path}: {reason}")


class NoPlanError(ReadError):
    """The file was read but holds no plan (no tasks, indicators or heading)."""
