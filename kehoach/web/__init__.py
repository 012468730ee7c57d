"""The web application: `create_app(db, settings)` and its pieces."""

from __future__ import annotations

from .app import create_app
from .settings import Settings, load

__all__ = ["Settings", "create_app", "load"]
