"""A real `kehoach serve` under a memory ceiling, and the attacks made on it over real sockets.

    with Server(url, port, ceiling_mb=1500) as server:
        with Session.login(server.base, "tc_vl", PASSWORD) as officer:
            officer.client.get("/api/tasks/mine")
        answer = post_body(server.base, "/api/login", 100 * MiB)
        assert answer.status == 413 and answer.sent < 100 * MiB
        assert server.peak_mb() < 300

`Server` starts `kehoach serve` in a child whose address space is limited (`RLIMIT_AS`, set in
`preexec_fn`) so a runaway attack ends in the child, never on the machine; `peak_mb()` is its
resident high-water mark (`VmHWM`), `reset_peak()` starts a new one (Linux `clear_refs`), so
each attack's own peak can be read. `post_body` sends a body of any size a chunk at a time and
stops as soon as the server answers, reporting how much had been sent: a refusal while
reading answers long before the body's end. Used by tests/test_hostile_web.py and
bench/bench_hostile_web.py.
"""

from __future__ import annotations

import contextlib
import json
import os
import resource
import select
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

HOST = "127.0.0.1"
MiB = 2**20
CHUNK = 64 * 2**10


def _status_kb(pid: int, key: str) -> float:
    with open(f"/proc/{pid}/status") as f:
        return next((float(x.split()[1]) for x in f if x.startswith(key)), 0.0)


class Server:
    """`kehoach serve` over `url` on `port`, its address space limited to `ceiling_mb`."""

    def __init__(
        self, url: str, port: int, ceiling_mb: int, data_dir: str | None = None, env: dict[str, str] | None = None
    ) -> None:
        self.url, self.port, self.ceiling_mb, self.env = url, port, ceiling_mb, env or {}
        self.base = f"http://{HOST}:{port}"
        self._tmp = tempfile.TemporaryDirectory(prefix="kehoach-serve-") if data_dir is None else None
        self.data_dir = Path(data_dir or self._tmp.name)  # type: ignore[union-attr]
        self.log = self.data_dir / "server.log"
        self.proc: subprocess.Popen | None = None

    def _limit(self) -> None:  # in the child, before it runs anything
        ceiling = self.ceiling_mb * MiB
        resource.setrlimit(resource.RLIMIT_AS, (ceiling, ceiling))

    def __enter__(self) -> Server:
        env = (
            os.environ
            | {
                "KEHOACH_DATA_DIR": str(self.data_dir),
                "KEHOACH_SECRET_KEY": uuid.uuid4().hex,
                "MALLOC_ARENA_MAX": "2",  # glibc reserves 64 MB of address space per arena otherwise
            }
            | self.env
        )
        cmd = [sys.executable, "-c", "from kehoach.cli import app; app()", "serve"]
        cmd += ["--host", HOST, "--port", str(self.port), "--db", self.url]
        with self.log.open("wb") as out:  # a file: a pipe nobody reads would block the server
            self.proc = subprocess.Popen(cmd, env=env, stdout=out, stderr=subprocess.STDOUT, preexec_fn=self._limit)
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"the server ended ({self.proc.returncode}): {self.output()[-3000:]}")
            try:
                httpx.get(f"{self.base}/login", timeout=2)
                return self
            except httpx.TransportError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"the server did not start in 90 s: {self.output()[-3000:]}")

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self._tmp is not None:
            self._tmp.cleanup()
            self._tmp = None

    def output(self) -> str:
        return self.log.read_text("utf-8", "replace") if self.log.exists() else ""

    @property
    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def peak_mb(self) -> float:
        """The server's resident high-water mark (VmHWM) since it started or since `reset_peak`."""
        assert self.proc is not None
        return _status_kb(self.proc.pid, "VmHWM") / 1024

    def rss_mb(self) -> float:
        assert self.proc is not None
        return _status_kb(self.proc.pid, "VmRSS") / 1024

    def children(self) -> list[int]:
        """The server's child processes (an upload's worker while it reads a file)."""
        assert self.proc is not None
        out: list[int] = []
        for thread in Path(f"/proc/{self.proc.pid}/task").glob("*"):  # a child belongs to the thread that made it
            with contextlib.suppress(OSError):
                out += [int(x) for x in (thread / "children").read_text().split()]
        return out

    def reset_peak(self) -> None:
        """Start a new high-water mark at the current resident size (Linux ≥ 4.0)."""
        assert self.proc is not None
        with open(f"/proc/{self.proc.pid}/clear_refs", "w") as f:
            f.write("5")


def free_port() -> int:
    """A port nobody listens on now (several suites run on the machine at once)."""
    with contextlib.closing(socket.socket()) as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


class ChildPeaks:
    """The largest resident high-water mark (`VmHWM`) of any child of `server` while watched:
    an upload's worker process, read every 50 ms until the block ends.

        with ChildPeaks(server) as workers:
            ...  # upload, wait for the job
        workers.peak_mb, workers.seen
    """

    def __init__(self, server: Server) -> None:
        self.server, self.peak_mb, self.seen = server, 0.0, set[int]()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)

    def _watch(self) -> None:
        while not self._stop.wait(0.05):
            for pid in self.server.children():
                with contextlib.suppress(OSError, ValueError):
                    # once it runs the worker: before its exec a child still shows the server's memory
                    if b"kehoach.store.worker" in Path(f"/proc/{pid}/cmdline").read_bytes():
                        self.peak_mb = max(self.peak_mb, _status_kb(pid, "VmHWM") / 1024)
                        self.seen.add(pid)

    def __enter__(self) -> ChildPeaks:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(5)


@dataclass
class Session:
    """A signed-in client: its cookie and CSRF token, for raw requests as well as httpx."""

    base: str
    cookie: str
    csrf: str
    client: httpx.Client = field(repr=False)

    @classmethod
    def login(cls, base: str, username: str, password: str) -> Session:
        client = httpx.Client(base_url=base, timeout=60)
        r = client.post("/api/login", json={"username": username, "password": password})
        r.raise_for_status()
        token = r.json()["csrf_token"]
        client.headers["X-CSRF-Token"] = token
        return cls(base, f"kehoach_session={client.cookies['kehoach_session']}", token, client)

    def headers(self) -> dict[str, str]:
        return {"Cookie": self.cookie, "X-CSRF-Token": self.csrf}

    def __enter__(self) -> Session:
        return self

    def __exit__(self, *exc: object) -> None:
        self.client.close()


@dataclass
class Answer:
    """The server's answer to a body sent a chunk at a time, and how much had been sent by then."""

    status: int
    headers: dict[str, str]
    body: bytes
    sent: int
    seconds: float

    def json(self) -> Any:
        return json.loads(self.body)


def _read_answer(sock: socket.socket, deadline: float) -> tuple[int, dict[str, str], bytes]:
    data = b""
    while b"\r\n\r\n" not in data:
        data += _recv(sock, deadline)
    head, _, rest = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {k.strip().lower(): v.strip() for k, _, v in (x.partition(":") for x in lines[1:])}
    length = int(headers.get("content-length", "0"))
    while len(rest) < length:
        rest += _recv(sock, deadline)
    return status, headers, rest[:length]


def _recv(sock: socket.socket, deadline: float) -> bytes:
    sock.settimeout(max(0.1, deadline - time.monotonic()))
    chunk = sock.recv(65536)
    if not chunk:
        raise ConnectionError("the server closed the connection without an answer")
    return chunk


def post_body(
    base: str,
    path: str,
    size: int,
    *,
    chunked: bool = False,
    content_type: str = "application/json",
    headers: dict[str, str] | None = None,
    prefix: bytes = b"",
    timeout: float = 120,
) -> Answer:
    """POST a body of `size` bytes (`prefix`, then filler), declared (`Content-Length`) or
    chunked, a chunk at a time, until it is all sent or the server has answered."""
    host, port = base.removeprefix("http://").split(":")
    start, deadline = time.monotonic(), time.monotonic() + timeout
    sock = socket.create_connection((host, int(port)), timeout=timeout)
    with contextlib.closing(sock):
        head = [f"POST {path} HTTP/1.1", f"Host: {host}:{port}", f"Content-Type: {content_type}"]
        head += [f"{k}: {v}" for k, v in (headers or {}).items()]
        head.append("Transfer-Encoding: chunked" if chunked else f"Content-Length: {size}")
        sock.sendall(("\r\n".join(head) + "\r\n\r\n").encode("latin-1"))
        sent, filler = 0, b"x" * CHUNK
        while sent < size:
            readable, _, _ = select.select([sock], [], [], 0)
            if readable:
                break  # the server has answered: stop sending
            piece = (prefix[sent:] if sent < len(prefix) else b"") or filler[: size - sent]
            piece = piece[:CHUNK]
            try:
                sock.sendall(f"{len(piece):x}\r\n".encode() + piece + b"\r\n" if chunked else piece)
            except (BrokenPipeError, ConnectionResetError):
                break  # the server answered and closed: read what it said
            sent += len(piece)
        else:
            if chunked:
                sock.sendall(b"0\r\n\r\n")
        status, answer, body = _read_answer(sock, deadline)
    return Answer(status, answer, body, sent, time.monotonic() - start)
