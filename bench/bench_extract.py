"""Benchmark: extraction time and peak memory on the development set, and how time grows with size.

    .venv/bin/python bench/bench_extract.py [--rounds N] [--shared DIR]

1. The development documents (the texts of ../shared/seeds and the PDF/DOCX of ../shared/docs that
   have an answer key): each is read once (reading timed apart, per format), then all are extracted
   N times in this process after one warm-up pass, the word caches emptied before each pass so no
   pass profits from the one before. CPU time (`time.process_time`) is reported beside wall time:
   the machine is shared, and CPU time is what a busy machine does not inflate.
2. Linearity: the largest text repeated 1, 2, 4 and 8 times (each copy a part of one long plan)
   is extracted; time per KB should stay flat.
3. Peak resident memory of the whole run.

Run on demand; the figures go to bench/RESULTS.md. Not a test.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import time
from pathlib import Path

from kehoach.extract import extract
from kehoach.extract.agencies import Registry
from kehoach.extract.repair import repair_word
from kehoach.read import Source, read_path
from kehoach.read.syllables import is_syllable

ROOT = Path(__file__).resolve().parents[1]


def development_set(shared: Path) -> list[Path]:
    found = []
    for key in sorted((shared / "eval" / "gold").glob("*.json")):
        name = json.loads(key.read_text("utf-8"))["source"]
        found += [d / name for d in (shared / "seeds", shared / "docs") if (d / name).exists()]
    return found


def _cold() -> None:
    for cached in (repair_word, is_syllable, Registry.mentions):
        cached.cache_clear()


def _timed(fn) -> tuple[float, float]:  # noqa: ANN001 - a callable without arguments
    w, c = time.perf_counter(), time.process_time()
    fn()
    return time.perf_counter() - w, time.process_time() - c


def _passes(sources: list[Source], rounds: int) -> tuple[list[float], list[float]]:
    walls, cpus = [], []
    for _ in range(rounds):
        _cold()
        wall, cpu = _timed(lambda: [extract(s) for s in sources])
        walls.append(wall)
        cpus.append(cpu)
    return walls, cpus


def _linearity(source: Source) -> list[tuple[int, float]]:
    """(KB, ms of CPU per KB) for the text repeated 1, 2, 4, 8 times."""
    out = []
    for k in (1, 2, 4, 8):
        text = "\n".join([source.text] * k)
        _cold()
        _, cpu = _timed(lambda text=text, k=k: extract(Source(f"x{k}.txt", text)))
        kb = len(text.encode()) / 1024
        out.append((round(kb), 1000 * cpu / kb))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=10)
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    args = ap.parse_args()
    paths = development_set(args.shared)
    sources: list[Source] = []
    reading: dict[str, float] = {}
    for p in paths:
        _, cpu = _timed(lambda p=p: sources.append(read_path(p)))
        kind = "text" if p.suffix == ".txt" else p.suffix.lstrip(".")
        reading[kind] = reading.get(kind, 0.0) + cpu
    for s in sources:  # warm-up: compiles patterns, loads the registry and the lexicon
        extract(s)
    texts = [s for s, p in zip(sources, paths, strict=True) if p.suffix == ".txt"]
    files = [s for s, p in zip(sources, paths, strict=True) if p.suffix != ".txt"]
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, {platform.python_implementation()} "
        f"{platform.python_version()}; load average {os.getloadavg()[0]:.2f}"
    )
    size = sum(len(s.text.encode()) for s in sources) / 1024
    print(
        f"documents: {len(sources)} ({len(texts)} texts, {len(files)} PDF/DOCX; {size:.0f} KB of text), "
        f"rounds: {args.rounds}"
    )
    print("reading (CPU, once): " + ", ".join(f"{k} {v * 1000:.0f} ms" for k, v in sorted(reading.items())))
    for label, group in (("all eight", sources), ("texts", texts), ("PDF/DOCX", files)):
        walls, cpus = _passes(group, args.rounds)
        print(
            f"extract {label}: CPU median {statistics.median(cpus) * 1000:.0f} ms (best {min(cpus) * 1000:.0f}), "
            f"wall median {statistics.median(walls) * 1000:.0f} ms"
        )
    largest = max(texts or sources, key=lambda s: len(s.text))
    print(
        f"linearity ({largest.name} repeated): "
        + ", ".join(f"{kb} KB → {ms:.2f} ms/KB" for kb, ms in _linearity(largest))
    )
    print(f"peak memory (max RSS): {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
