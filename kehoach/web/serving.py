"""`kehoach serve`'s processes: one uvicorn server, or several workers sharing the port.

Workers given one listening socket share it badly: the first to wake accepts every connection
waiting (asyncio takes up to the backlog at once), and a browser keeps its connection open, so
200 officers who signed in together were all served by one of two workers while the other idled
(`bench/RESULTS.md`, issue 14). On Linux each worker therefore listens on a socket of its own
bound to the same port (`SO_REUSEPORT`), and the kernel spreads new connections over them.
uvicorn's supervisor still starts, watches and restarts the workers: the socket it hands each
one is made anew in the worker as it starts (`_SharedPort.__reduce__`).
"""

from __future__ import annotations

import contextlib
import socket
import sys
from typing import Any

import uvicorn
from uvicorn.supervisors import Multiprocess

APP = "kehoach.cli.web:application"  # each worker makes its own application (`application`)
SPREADS = sys.platform.startswith("linux") and hasattr(socket, "SO_REUSEPORT")


def run(host: str, port: int, workers: int) -> None:
    """Serve until interrupted: `workers` processes, each with its own listening socket where
    the system spreads connections over them (else uvicorn's own shared socket)."""
    if workers == 1 or not SPREADS:
        uvicorn.run(APP, factory=True, host=host, port=port, workers=workers, log_level="warning")
        return
    config = _Config(APP, factory=True, host=host, port=port, workers=workers, log_level="warning")
    with contextlib.suppress(KeyboardInterrupt):  # Ctrl+C ends the workers, then the supervisor
        Multiprocess(config, sockets=[config.bind_socket()]).run()


class _Config(uvicorn.Config):
    def bind_socket(self) -> socket.socket:
        """The port held by the supervisor (bound, never listening: it takes no connection); each
        worker gets a listening socket of its own on it. A port another program holds is refused,
        as a port shared by two servers would split their connections between them."""
        family = socket.AF_INET6 if ":" in self.host else socket.AF_INET
        with socket.socket(family, socket.SOCK_STREAM) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind((self.host, self.port))  # OSError: the port is taken
        return _bound(family, (self.host, self.port), _SharedPort)


class _SharedPort(socket.socket):
    """A port the workers share: sent to a worker process, it arrives as a new socket on it."""

    def __reduce__(self) -> tuple[Any, ...]:
        return _bound, (self.family, self.getsockname()[:2])


def _bound(family: int, address: tuple[str, int], kind: type[socket.socket] = socket.socket) -> socket.socket:
    """A socket bound to `address` alongside the others on it (uvicorn makes a worker's listen)."""
    sock = kind(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind(address)
    return sock
