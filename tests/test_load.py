"""A small load test through a real server on 127.0.0.1: concurrent officers, no lost update.

The full-size run is `bench/load_test.py` (figures in bench/RESULTS.md); this one uses the same
code with a few officers and requests, on PostgreSQL when configured (as in CI), else SQLite.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from conftest import PG_URL

sys.path.insert(0, str(Path(__file__).parent.parent / "bench"))
from load_test import run  # noqa: E402


def test_concurrent_officers_lose_no_update(db_url: str, tmp_path: Path) -> None:
    if PG_URL and db_url.startswith("sqlite"):
        pytest.skip("runs once, on PostgreSQL")
    result = run(db_url, officers=5, requests=3, seconds=60, data_dir=str(tmp_path), plans=2)
    check = result["check"]
    assert result["errors"] == 0, result["first_errors"]
    assert check["accepted"] == 5 * 3
    assert check["lost"] == check["wrong"] == check["unaudited"] == 0
    assert check["stored"] == check["audit_entries"] == check["accepted"]
