"""The values the pages show in the interface's words: periods as people write them."""

from __future__ import annotations

import pytest

from kehoach.web.i18n import period_label


@pytest.mark.parametrize(
    ("code", "shown"),
    [
        ("2026-Q3", "Quý III năm 2026"),
        ("2025-Q1", "Quý I năm 2025"),
        ("2026-07", "tháng 7 năm 2026"),
        ("2026-H1", "6 tháng đầu năm 2026"),
        ("2026", "năm 2026"),
        ("15/12/2026", "15/12/2026"),  # a one-off reporting date: as stored
        ("kỳ cũ", "kỳ cũ"),  # a period stored before today's forms: as stored
        ("", ""),
        (None, ""),
    ],
)
def test_a_period_is_shown_as_people_write_it(code: str | None, shown: str) -> None:
    assert period_label(code) == shown
