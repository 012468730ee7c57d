"""Hostile files against the readers, each in a child process under a memory and time ceiling.

Each attack must end in a clean `ReadError` (or a correct reading) well inside its ceiling;
`tests/hostile.py` runs the child and reports its peak memory (figures: bench/RESULTS.md).
"""

from __future__ import annotations

from hostile import run_limited


def _allocate(mb: int) -> int:
    block = bytearray(mb * 1024 * 1024)
    return len(block)


def test_harness_reports_value_error_and_peak() -> None:
    r = run_limited("result = sum(range(10))", memory_mb=512, seconds=30)
    assert r.finished and r.value == 45 and r.error_type is None, r.describe()
    r = run_limited("from kehoach.errors import ReadError\nraise ReadError('a.pdf', 'hỏng')",
                    memory_mb=512, seconds=30)
    assert r.error_type == "ReadError" and r.error_attrs["reason"] == "hỏng", r.describe()
    r = run_limited(_allocate, args=(100,), memory_mb=512, seconds=30)
    assert r.value == 100 * 1024 * 1024 and r.peak_mb >= 100, r.describe()


def test_harness_holds_the_memory_ceiling() -> None:
    r = run_limited(_allocate, args=(900,), memory_mb=400, seconds=30)
    assert r.out_of_memory and r.error_type == "MemoryError", r.describe()
    assert r.peak_mb < 400


def test_harness_holds_the_time_ceiling() -> None:
    r = run_limited("import time\ntime.sleep(60)", memory_mb=256, seconds=1.5)
    assert r.timed_out and not r.finished and r.seconds < 10, r.describe()
