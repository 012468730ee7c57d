"""The README documents every command and every setting the code reads."""

from __future__ import annotations

import re
from pathlib import Path

import typer.main

from kehoach.cli import app
from kehoach.web.settings import SETTINGS

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text("utf-8")


def test_every_command_is_in_the_readme() -> None:
    commands = typer.main.get_command(app).commands  # type: ignore[attr-defined]
    missing = [name for name in commands if f"`{name}`" not in README]
    assert not missing, f"commands missing from the README: {missing}"


def test_every_environment_setting_is_in_the_readme() -> None:
    read = set()
    for path in (ROOT / "kehoach").rglob("*.py"):
        read |= set(re.findall(r"\b(KEHOACH_[A-Z_]+)", path.read_text("utf-8")))
    read |= {f"KEHOACH_{s.name.upper()}" for s in SETTINGS}
    missing = sorted(name for name in read if name not in README)
    assert not missing, f"settings missing from the README: {missing}"
