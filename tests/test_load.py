"""A small load test through a real server on 127.0.0.1: concurrent officers, no lost update.

The full-size run is `bench/load_test.py` (figures in bench/RESULTS.md); this one uses the same
code with a few officers and requests, against one server process and then two (`serve
--workers 2`), on PostgreSQL when configured (as in CI), else SQLite.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from conftest import PG_URL

sys.path.insert(0, str(Path(__file__).parent.parent / "bench"))
from load_test import run  # noqa: E402


def test_concurrent_officers_lose_no_update(db_url: str, tmp_path: Path) -> None:
    """One server process, then two, over the same register: no lost or unaudited update in either."""
    if PG_URL and db_url.startswith("sqlite"):
        pytest.skip("runs once, on PostgreSQL")
    result = run(db_url, officers=5, requests=3, seconds=60, data_dir=str(tmp_path), plans=2, workers=(1, 2))
    assert [r["workers"] for r in result["runs"]] == [1, 2]
    stored = 0
    for r in result["runs"]:
        check = r["check"]
        assert r["errors"] == 0, r["first_errors"]
        assert check["accepted"] == 5 * 3
        assert check["lost"] == check["wrong"] == check["unaudited"] == 0
        stored += check["accepted"]
        assert check["stored"] == check["audit_entries"] == stored  # both runs' updates are in the register
