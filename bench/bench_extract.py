"""Benchmark: extraction speed and peak memory on the bundled sample plans.

    .venv/bin/python bench/bench_extract.py [--rounds N] [DIR]

Reads every `*.txt` plan once (reading is not timed), then extracts them all N
times in this process after one warm-up round (the word caches emptied before each
pass, so no pass profits from the one before), and prints documents per second,
the time for one pass over all documents and the peak resident memory.
Run on demand; the figures go to bench/RESULTS.md. Not a test.
"""

from __future__ import annotations

import argparse
import platform
import resource
import statistics
import time
from pathlib import Path

from kehoach.extract.agencies import Registry
from kehoach.extract.plan import extract_plan
from kehoach.extract.repair import repair_word
from kehoach.read import read_path
from kehoach.read.syllables import is_syllable

SAMPLES = Path(__file__).resolve().parents[1] / "kehoach" / "data" / "samples"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("folder", nargs="?", type=Path, default=SAMPLES)
    ap.add_argument("--rounds", type=int, default=20)
    args = ap.parse_args()
    sources = [read_path(p) for p in sorted(args.folder.glob("*.txt"))]
    for s in sources:  # warm-up: compiles patterns, loads the registry and lexicon
        extract_plan(s)
    passes = []
    for _ in range(args.rounds):
        for cached in (repair_word, is_syllable, Registry.mentions):  # time each pass cold
            cached.cache_clear()
        t0 = time.perf_counter()
        for s in sources:
            extract_plan(s)
        passes.append(time.perf_counter() - t0)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    median = statistics.median(passes)
    size_kb = sum(len(s.text.encode()) for s in sources) / 1024
    print(f"machine: {platform.machine()}, {platform.python_implementation()} {platform.python_version()}")
    print(f"documents: {len(sources)} ({size_kb:.0f} KB of text), rounds: {args.rounds}")
    print(f"one pass over all documents: median {median * 1000:.0f} ms, best {min(passes) * 1000:.0f} ms")
    print(f"throughput: {len(sources) / median:.1f} documents/s")
    print(f"peak memory (max RSS): {peak_mb:.0f} MB")


if __name__ == "__main__":
    main()
