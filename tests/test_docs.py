"""The README documents every command and every setting the code reads; its settings tables are
the ones `kehoach.settings` makes from its one table."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import typer.main

from kehoach.cli import app
from kehoach.settings import SETTINGS, markdown_table

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
    read |= {s.env for s in SETTINGS}
    missing = sorted(name for name in read if name not in README)
    assert not missing, f"settings missing from the README: {missing}"


@pytest.mark.parametrize("group", ["register", "web"])
def test_the_readme_settings_tables_are_made_from_the_table(group: str) -> None:
    table = markdown_table(group)
    assert table in README, f"the README's {group} settings table is not kehoach/settings.py's; it should be:\n{table}"


def test_every_setting_has_vietnamese_help_and_a_group() -> None:
    for s in SETTINGS:
        assert s.group in ("register", "web") and s.help.endswith(".") and len(s.help) > 5, s.name
