"""Limits on what one request may carry, enforced while it arrives: its size, and no NUL.

`BodyLimit` (ASGI middleware, installed by `create_app`) gives every request body a budget:
1 MB unless its route says otherwise with `limit_body()` before reading (16 KB for a login,
the upload limit for a plan document). A declared `Content-Length` over the budget is refused
before a byte of it is read; a chunked or undeclared body is counted as it arrives and cut
off at the budget. Either way the route's read raises `BodyTooLarge` (413, in Vietnamese,
naming the field), so nothing larger than the budget is ever held in memory.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..errors import TooLargeError, ValidationError
from ..track.bounds import NUL_RULE

KiB, MiB = 2**10, 2**20
BODY_LIMIT = 1 * MiB  # any JSON or form body: the longest free text is 10,000 characters
LOGIN_LIMIT = 16 * KiB  # a user name, a password, a CSRF token and where to go next
UPLOAD_SLACK = 64 * KiB  # an upload's other form fields and multipart boundaries
SCOPE_KEY = "kehoach.body_budget"


def size_text(n: int) -> str:
    """`16 KB`, `20 MB`, `1,5 MB`: a size as people read it."""
    if n >= MiB:
        mb = n / MiB
        return f"{mb:.0f} MB" if mb == int(mb) or mb >= 10 else f"{mb:.1f} MB".replace(".", ",")
    return f"{max(1, round(n / KiB))} KB"


class BodyTooLarge(TooLargeError):
    """A request body over its route's limit: refused while it is read, never held whole."""

    def __init__(self, field: str, what: str, limit: int, declared: int | None) -> None:
        self.field, self.value, self.limit = field, declared, limit
        sent = f" (gửi {size_text(declared)})" if declared else ""
        self.rule = f"{what} lớn hơn giới hạn {size_text(limit)}{sent}"
        Exception.__init__(self, f"{self.rule}: gửi ít hơn {size_text(limit)}")


@dataclass
class Budget:
    """What one request's body may still bring: set by its route before it reads."""

    limit: int
    declared: int | None
    field: str = "body"
    what: str = "nội dung gửi lên"
    received: int = 0

    def refuse(self) -> BodyTooLarge:
        return BodyTooLarge(self.field, self.what, self.limit, self.declared)

    def wrap(self, receive: Receive) -> Receive:
        async def counted() -> Message:
            if self.declared is not None and self.declared > self.limit:
                raise self.refuse()  # nothing read: the client hears 413 before it sends more
            message = await receive()
            if message["type"] == "http.request":
                self.received += len(message.get("body", b""))
                if self.received > self.limit:
                    raise self.refuse()
            return message

        return counted


def declared_length(scope: Scope) -> int | None:
    """The request's `Content-Length`, None when it is chunked or has none."""
    for name, value in scope.get("headers", ()):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None  # the HTTP server refuses such a request before it gets here
    return None


class BodyLimit:
    """Every request body counted against its budget as it arrives (see the module)."""

    def __init__(self, app: ASGIApp, limit: int = BODY_LIMIT) -> None:
        self.app, self.limit = app, limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        budget = Budget(self.limit, declared_length(scope))
        scope[SCOPE_KEY] = budget
        await self.app(scope, budget.wrap(receive), send)


def limit_body(request: Request, limit: int, field: str = "body", what: str = "nội dung gửi lên") -> None:
    """Give this request's body another budget; call before reading it."""
    budget: Any = request.scope.get(SCOPE_KEY)
    if budget is None:  # a router mounted without the middleware (tests of one router)
        return
    budget.limit, budget.field, budget.what = limit, field, what


NUL = "\x00"


def without_nul(value: Any, field: str = "body") -> Any:
    """`value` (a field sent: a string, or lists and objects of them) when no string in it holds a
    NUL character, which no text needs and PostgreSQL cannot store (it would answer 500)."""
    stack = [(field, value)]
    while stack:  # not recursive: a body may nest as deep as JSON parses
        name, item = stack.pop()
        if isinstance(item, str):
            if NUL in item:
                raise ValidationError(name, None, NUL_RULE)
        elif isinstance(item, dict):
            for k, v in item.items():
                stack += [(name, k), (str(k) if name == "body" else f"{name}.{k}", v)]
        elif isinstance(item, list):
            stack += [(name, v) for v in item]
    return value
