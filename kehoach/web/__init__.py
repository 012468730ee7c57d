"""The web application: `create_app(db, settings)` and its pieces."""

from __future__ import annotations

from ..settings import Settings, load
from .app import create_app

__all__ = ["Settings", "create_app", "load"]
