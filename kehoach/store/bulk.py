"""Bulk ingestion: many plan files, extracted by a pool of processes, stored one at a time.

Extraction (reading a document and finding its tasks, agencies, deadlines and indicators)
is the CPU-heavy part: with `jobs` > 1 it runs in that many worker processes. Storing
stays in the calling process, one transaction per file, in the order the files are given,
so a run gives the same register, the same ids and the same versions (an original before
its amendment) as a sequential one, works on SQLite (one writer) as on PostgreSQL, and
never has two writers racing to create the same agency.

A file that cannot be read, extracted or stored is reported with its path and the reason;
the others go on. Nothing is half-written: each ingest is a single transaction.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Generator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import closing, suppress
from itertools import islice
from pathlib import Path
from typing import Any

from ..errors import KehoachError

DOCUMENT_SUFFIXES = {".txt", ".docx", ".doc", ".pdf", ".json", ".png", ".jpg", ".jpeg", ".tif", ".tiff"}
FAILURES = (KehoachError, OSError, ValueError)  # what a bad file raises; anything else is a bug

ProgressCallback = Callable[[int, int, Path], None]
"""Called after each file, stored or failed: (files done, files in all, that file)."""

Extracted = tuple[dict | None, str | None, str | None]
"""One file's extraction: (plan/v1 dict, SHA-256 of its bytes, None) or (None, None, error message)."""


def default_jobs() -> int:
    """Worker processes when none are asked for: one per core."""
    return os.cpu_count() or 1


def read_plan(path: Path) -> tuple[dict, str]:
    """A plan/v1 dict from a JSON file as is, or from a document through extraction; and the file's digest."""
    data = path.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    if path.suffix.lower() == ".json":
        return json.loads(data.decode("utf-8")), digest
    from ..extract import extract_path

    return extract_path(path), digest


def expand(paths: Sequence[Path]) -> list[Path]:
    """Files as given; a folder stands for the documents directly in it, by name."""
    out: list[Path] = []
    for p in paths:
        if p.is_dir():
            out.extend(sorted(f for f in p.iterdir() if f.is_file() and f.suffix.lower() in DOCUMENT_SUFFIXES))
        else:
            out.append(p)
    return out


def lower_priority() -> None:
    """In a worker: yield the CPU to the parent, which stores one file at a time and so sets the pace.

    The workers only need to stay ahead of it; with one worker per core they would
    otherwise take its CPU time. Where priorities cannot be changed, nothing is done.
    """
    with suppress(AttributeError, OSError):  # no os.nice (Windows), or not allowed
        os.nice(5)


def extract(path: str) -> Extracted:
    """Read one file into a plan; in a worker process, or in this one when jobs is 1.

    A bad file's error comes back as text, not raised: our errors do not all survive
    the trip between processes (pickling), and the message is all the caller reports.
    """
    try:
        plan, digest = read_plan(Path(path))
    except FAILURES as e:
        return None, None, str(e)
    return plan, digest, None


def extracted(files: Sequence[Path], jobs: int) -> Generator[tuple[Path, Extracted]]:
    """Each file with its extraction, in the order given.

    With jobs > 1 a pool of `jobs` processes ("spawn", at a lower priority) works ahead of
    the caller, at most max(64, 8 × jobs) files ahead, so memory stays bounded whatever the
    folder's size. If a worker dies (killed, crashed), the files not yet extracted are
    reported as failed.
    Closing the iterator early cancels the work not started.
    """
    if jobs <= 1 or len(files) <= 1:
        for p in files:
            yield p, extract(str(p))
        return
    context = multiprocessing.get_context("spawn")
    pool = ProcessPoolExecutor(min(jobs, len(files)), mp_context=context, initializer=lower_priority)
    todo = iter(files)
    pending: deque[tuple[Path, Future[Extracted] | None]] = deque()  # None: the pool was already broken

    def submit(count: int) -> None:
        for p in islice(todo, count):
            try:
                pending.append((p, pool.submit(extract, str(p))))
            except BrokenProcessPool:
                pending.append((p, None))

    try:
        submit(max(64, 8 * jobs))
        while pending:
            p, future = pending.popleft()
            try:
                if future is None:
                    raise BrokenProcessPool
                result = future.result()
            except BrokenProcessPool:
                result = None, None, "tiến trình trích xuất bị dừng đột ngột, tệp chưa được trích xuất"
            submit(1)
            yield p, result
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def ingest_one(database: Any, path: Path, plan: dict, digest: str | None, by: str) -> dict:
    """Store one extracted plan (one transaction) and describe it as the results table shows it."""
    r = database.ingest(plan, source_text_hash=digest, source_name=path.name, actor=by)
    diff = {k: len(v) for k, v in (r.diff or {}).items() if v}
    out: dict = r.as_dict() | {"source": path.name, "diff": diff or None}
    return out


def ingest_files(
    database: Any,
    paths: Sequence[Path],
    by: str,
    *,
    jobs: int | None = None,
    progress: ProgressCallback | None = None,
) -> tuple[list[dict], list[str]]:
    """Ingest files and folders (their documents) into `database`; return the results and the errors.

    `jobs` worker processes extract (default: one per core; 1: everything in this process).
    Results are in the order of the files, one dict per stored file; errors are
    "path: message" lines, one per failed file. `progress` is called after every file.
    """
    jobs = default_jobs() if jobs is None else jobs
    if jobs < 1:
        raise ValueError(f"jobs must be at least 1, not {jobs}")
    files = expand(paths)
    results: list[dict] = []
    errors: list[str] = []
    with closing(extracted(files, jobs)) as items:
        for done, (path, (plan, digest, error)) in enumerate(items, 1):
            if plan is not None:
                try:
                    results.append(ingest_one(database, path, plan, digest, by))
                except FAILURES as e:
                    error = str(e)
            if error is not None:
                errors.append(f"{path}: {error}")
            if progress is not None:
                progress(done, len(files), path)
    return results, errors
