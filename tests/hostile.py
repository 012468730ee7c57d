"""Run an attack in a child process under a memory and a time ceiling, and report what happened.

    from hostile import run_limited

    r = run_limited("from kehoach.read import read_path; read_path('bomb.pdf')",
                    memory_mb=600, seconds=60)
    assert r.error_type == "ReadError" and not r.timed_out and r.peak_mb < 600

The child sets `RLIMIT_AS` (address space) to `memory_mb` before running anything, so an
attack that would exhaust the machine ends in a `MemoryError` (or a kill) in the child, never
in the test process; the parent kills the child's whole process group after `seconds` of wall
time. The child's peak resident memory is the kernel's high-water mark of its own image
(`VmHWM`, watched by the parent while it runs and reported by the child at its end), so it is
known even when the child was killed; `ru_maxrss` would not do: after `vfork` + `exec` it
starts from the parent's own peak.

`code_or_callable` is either Python source (run as `__main__`; what it assigns to `result`
comes back as `value`) or a picklable module-level function, called with `args`/`kwargs`
(its return value comes back as `value`). An exception raised in the child comes back as
`error_type` (class name), `error` (message) and `error_attrs` (its plain attributes, e.g.
a `ReadError`'s `path` and `reason`).
"""

from __future__ import annotations

import contextlib
import os
import pickle
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

_CHILD = r"""
import os, pickle, resource, sys, traceback
limit, job, out = int(sys.argv[1]), sys.argv[2], sys.argv[3]
if limit > 0:
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
sys.path[:0] = pickle.loads(bytes.fromhex(os.environ.pop("HOSTILE_SYS_PATH")))
report = {"value": None, "error_type": None, "error": None, "error_attrs": {}, "tb": None}
try:
    with open(job, "rb") as f:
        kind, payload, args, kwargs = pickle.load(f)
    if kind == "code":
        scope = {"__name__": "__main__"}
        exec(compile(payload, "<hostile>", "exec"), scope)
        report["value"] = scope.get("result")
    else:
        report["value"] = payload(*args, **kwargs)
except BaseException as e:  # noqa: BLE001 - the whole point is to report it
    report["error_type"] = type(e).__name__
    report["error"] = str(e)
    report["error_attrs"] = {k: v for k, v in vars(e).items()
                             if isinstance(v, (str, int, float, bool, type(None)))}
    report["tb"] = traceback.format_exc(limit=30)
with open("/proc/self/status") as f:  # this process image's own peak (VmHWM, in kB)
    report["self_peak_mb"] = next(int(x.split()[1]) for x in f if x.startswith("VmHWM")) / 1024
report["children_peak_mb"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
try:
    data = pickle.dumps(report)
except Exception as e:  # an unpicklable value: say so rather than lose the report
    report["value"] = repr(report["value"])
    data = pickle.dumps(report)
with open(out, "wb") as f:
    f.write(data)
"""


@dataclass
class LimitedResult:
    """What a limited child did: its value or its exception, its peak memory, its time."""

    returncode: int | None
    seconds: float
    peak_mb: float  # peak resident memory of the child itself (VmHWM)
    timed_out: bool = False
    value: Any = None
    error_type: str | None = None
    error: str | None = None
    error_attrs: dict[str, Any] = field(default_factory=dict)
    children_peak_mb: float = 0.0  # ru_maxrss of its children (Tesseract): at least the child's RSS at spawn
    stdout: str = ""
    stderr: str = ""
    traceback: str | None = None

    @property
    def finished(self) -> bool:
        """The child ran to its end (a value or a caught exception), not killed or timed out."""
        return not self.timed_out and self.returncode == 0

    @property
    def out_of_memory(self) -> bool:
        """The ceiling was hit: a MemoryError, or the child died of a signal (abort on ENOMEM)."""
        return self.error_type == "MemoryError" or (self.returncode or 0) < 0 and not self.timed_out

    def describe(self) -> str:
        """One line for assertion messages."""
        what = (f"timeout after {self.seconds:.1f} s" if self.timed_out
                else f"{self.error_type}: {self.error}" if self.error_type
                else f"value {self.value!r:.200}")
        return (f"{what} (exit {self.returncode}, {self.seconds:.1f} s, peak {self.peak_mb:.0f} MB)"
                + (f"\n{self.traceback}" if self.traceback else "")
                + (f"\nstderr: {self.stderr[-2000:]}" if self.stderr.strip() else ""))


def _hwm_mb(pid: int) -> float:
    """The peak resident memory (VmHWM) of a running process, 0 when it is gone."""
    try:
        with open(f"/proc/{pid}/status") as f:
            return next((int(x.split()[1]) for x in f if x.startswith("VmHWM")), 0) / 1024
    except OSError:
        return 0.0


def _wait(proc: subprocess.Popen, deadline: float) -> tuple[int | None, float, bool]:
    """(returncode, peak MB seen, timed out), killing the child's group at the deadline."""
    peak = 0.0
    while True:
        peak = max(peak, _hwm_mb(proc.pid))
        code = proc.poll()
        if code is not None:
            return code, peak, False
        if time.monotonic() >= deadline:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            return proc.wait(), peak, True
        time.sleep(0.01)


def run_limited(code_or_callable: str | Callable[..., Any], *, memory_mb: int, seconds: float,
                args: tuple = (), kwargs: dict | None = None,
                env: dict[str, str] | None = None) -> LimitedResult:
    """Run `code_or_callable` in a child limited to `memory_mb` of address space and `seconds`."""
    if isinstance(code_or_callable, str):
        job = ("code", code_or_callable, (), {})
    else:
        job = ("call", code_or_callable, tuple(args), dict(kwargs or {}))
    child_env = dict(os.environ, **(env or {}))
    # thread pools reserve address space per thread: keep the ceiling about real memory
    child_env.setdefault("OMP_THREAD_LIMIT", "1")
    child_env.setdefault("OPENBLAS_NUM_THREADS", "1")
    child_env.setdefault("MALLOC_ARENA_MAX", "2")
    child_env["HOSTILE_SYS_PATH"] = pickle.dumps(list(sys.path)).hex()
    with tempfile.TemporaryDirectory(prefix="kehoach-hostile-") as tmp:
        job_path, out_path = Path(tmp) / "job.pickle", Path(tmp) / "out.pickle"
        job_path.write_bytes(pickle.dumps(job))
        with open(Path(tmp) / "stdout", "w+b") as out, open(Path(tmp) / "stderr", "w+b") as err:
            start = time.monotonic()
            proc = subprocess.Popen(
                [sys.executable, "-c", _CHILD, str(memory_mb * 1024 * 1024), str(job_path),
                 str(out_path)], stdout=out, stderr=err, stdin=subprocess.DEVNULL,
                env=child_env, start_new_session=True)
            code, peak, timed_out = _wait(proc, start + seconds)
            elapsed = time.monotonic() - start
            out.seek(0)
            err.seek(0)
            stdout = out.read().decode("utf-8", "replace")
            stderr = err.read().decode("utf-8", "replace")
        result = LimitedResult(returncode=code, seconds=elapsed, peak_mb=peak, timed_out=timed_out,
                               stdout=stdout, stderr=stderr)
        if out_path.exists() and not timed_out:
            report = pickle.loads(out_path.read_bytes())
            result.value = report["value"]
            result.error_type = report["error_type"]
            result.error = report["error"]
            result.error_attrs = report["error_attrs"]
            result.traceback = report["tb"]
            result.children_peak_mb = report["children_peak_mb"]
            result.peak_mb = max(result.peak_mb, report["self_peak_mb"])
    return result
