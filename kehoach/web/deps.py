"""What every route needs: the current user, their view of the register, the request's fields
(after its CSRF token is checked) and the two ways to answer (a page or its JSON twin; after a
change, JSON, an htmx fragment or a redirect).

Routes take these as FastAPI dependencies (`user: CurrentUser`, `reg: CurrentRegister`,
`data: Payload`), so each router can be mounted and tested on its own.
"""

from __future__ import annotations

import asyncio
import functools
import inspect
import secrets
import weakref
from collections.abc import AsyncIterator, Callable
from typing import Annotated, Any, TypeVar

from fastapi import Depends, Query, Request
from fastapi import Path as PathParam
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.routing import APIRoute
from starlette.exceptions import HTTPException as StarletteHTTPException

from ..errors import CsrfError
from ..settings import Settings
from ..store import Database, Unit
from ..track import ValidationError
from ..vn import parse_date
from . import accounts, i18n, views
from .accounts import AuthError, Principal
from .limits import without_nul

# An id is PostgreSQL's `integer`: a larger one names no record (and would overflow the query);
# an index (a task's place in a draft) is below any plan's length.
MAX_ID, MAX_INDEX = 2**31 - 1, 100_000
Id = Annotated[int, PathParam(ge=1, le=MAX_ID)]
Index = Annotated[int, PathParam(ge=0, le=MAX_INDEX)]
QueryId = Annotated[int | None, Query(ge=1, le=MAX_ID)]
T = TypeVar("T")

# pydantic's refusals of a path or query parameter, said in Vietnamese
PARAM_RULES = {
    "missing": "thiếu giá trị",
    "int_parsing": "cần một số nguyên",
    "int_type": "cần một số nguyên",
    "int_from_float": "cần một số nguyên",
    "float_parsing": "cần một số",
    "greater_than_equal": "phải từ {ge} trở lên",
    "less_than_equal": "tối đa {le}: không có bản ghi nào lớn hơn",
    "string_too_long": "tối đa {max_length} ký tự",
}


def param_rule(error: dict) -> str:
    """The rule a parameter broke, in Vietnamese, from pydantic's error."""
    ctx = {k: f"{v:,}".replace(",", ".") if isinstance(v, int) else v for k, v in (error.get("ctx") or {}).items()}
    try:
        return PARAM_RULES[error.get("type", "")].format(**ctx)
    except (KeyError, IndexError):
        return "giá trị không hợp lệ"


async def clean_request(request: Request) -> None:
    """Every route's first dependency: no NUL in the path's or the query's values (see `without_nul`).
    No I/O, so on the event loop: a thread of its own would cost more than the check."""
    for name, value in [*request.path_params.items(), *request.query_params.multi_items()]:
        without_nul(value, name)


def database(request: Request) -> Database:
    return request.app.state.db


async def request_unit(request: Request) -> AsyncIterator[Unit]:
    """One session, one connection and one transaction for the whole request: the user's
    account, the route and the page it renders all join it (`Database.unit`). The connection is
    taken at the first statement and given back once, committed (or rolled back on an error)
    before the answer is sent: what a write answers is in the register when the client reads it."""
    async with _admitted(request):  # waits on the event loop, holding no thread
        with database(request).unit() as unit:
            try:
                yield unit
            except BaseException:
                if unit.open:
                    await run_in_threadpool(unit.finish, False)
                raise
            if unit.open:  # a route that ended it in its own thread (`UnitRoute`, `ended`) saved this hand-off
                await run_in_threadpool(unit.finish, True)


def _admitted(request: Request) -> asyncio.Semaphore:
    """The requests that may hold a unit at once (`Database.units_at_once`): the others wait their
    turn here rather than in a thread, where two hundred officers at once took every thread and
    left the requests holding the connections none to finish on."""
    state = request.app.state
    if getattr(state, "units", None) is None:
        state.units = weakref.WeakKeyDictionary()  # one per event loop (a test client runs several)
    loop = asyncio.get_running_loop()
    if loop not in state.units:
        state.units[loop] = asyncio.Semaphore(database(request).units_at_once)
    return state.units[loop]


# on the routers whose requests are short: `scope="function"` ends it before the answer is sent
RequestUnit = Depends(request_unit, scope="function")
CurrentUnit = Annotated[Unit, RequestUnit]


def ended(work: Callable[..., T], *args: Any) -> T:
    """`work(*args)`, then the request's unit committed in the same thread (an async route's
    hand-off to a thread: the commit takes no other)."""
    result = work(*args)
    Unit.end_current()
    return result


class UnitRoute(APIRoute):
    """A route whose plain (sync) function commits the request's unit in its own thread, once the
    answer is built: one thread hand-off fewer per request. An error still rolls it back."""

    def __init__(self, path: str, endpoint: Callable[..., Any], **kwargs: Any) -> None:
        if not inspect.iscoroutinefunction(endpoint):
            endpoint = _ending(endpoint)
        super().__init__(path, endpoint, **kwargs)


def _ending(endpoint: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(endpoint)  # FastAPI reads the parameters (and their names' module) through `__wrapped__`
    def run(*args: Any, **kwargs: Any) -> Any:
        result = endpoint(*args, **kwargs)
        Unit.end_current()
        return result

    return run


def settings(request: Request) -> Settings:
    return request.app.state.settings


def is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def csrf_token(request: Request) -> str:
    token = request.session.get("csrf")
    if not token:
        token = request.session["csrf"] = secrets.token_urlsafe(32)
    return token


def check_csrf(request: Request, sent: object, message: str) -> None:
    expected = request.session.get("csrf")
    if not expected or not isinstance(sent, str) or not secrets.compare_digest(sent, expected):
        raise CsrfError(message)


def current_user(request: Request) -> Principal:
    uid = request.session.get("uid")
    user, request.state.audit_top = accounts.signed_in(database(request), uid) if isinstance(uid, int) else (None, None)
    if user is None or request.session.get("gen") != user.generation:
        raise AuthError("cần đăng nhập")
    return user


CurrentUser = Annotated[Principal, Depends(current_user)]


async def current_register(request: Request, user: CurrentUser) -> views.Register:
    """The register as `user` sees it, on the date asked (`?as_of=`) or today. No I/O here (so no
    thread of its own): what it reads, it reads when the route first needs it."""
    raw = request.query_params.get("as_of")
    try:
        as_of = parse_date(raw) if raw else database(request).today()
    except ValueError as e:
        raise ValidationError("as_of", raw, str(e)) from None
    state = request.app.state
    return views.Register(state.db, user, as_of, state.memo, state.tracker, getattr(request.state, "audit_top", None))


CurrentRegister = Annotated[views.Register, Depends(current_register)]


async def form_fields(request: Request) -> dict[str, Any]:
    """The request's fields, JSON or form, without checking anything."""
    try:
        if not request.headers.get("content-type", "").startswith("application/json"):
            async with request.form() as form:
                return without_nul({k: v for k, v in form.multi_items() if isinstance(v, str)})
        data = await request.json()
    except (ValueError, RecursionError):  # not JSON, not UTF-8, or nested deeper than any form
        raise ValidationError("body", None, "nội dung gửi lên không phải JSON hợp lệ") from None
    except StarletteHTTPException:  # the form parser's own refusals: too many fields, a broken part
        raise ValidationError("body", None, "biểu mẫu sai dạng hoặc có quá nhiều trường (tối đa 1.000)") from None
    if not isinstance(data, dict):
        raise ValidationError("body", type(data).__name__, "cần một đối tượng JSON")
    return without_nul(data)


async def payload(request: Request) -> dict[str, Any]:
    """The request's fields (JSON or form), after checking its CSRF token."""
    data = await form_fields(request)
    sent = request.headers.get("x-csrf-token") or data.pop("csrf_token", None)
    check_csrf(request, sent, "phiên làm việc đã hết hạn hoặc biểu mẫu không hợp lệ: tải lại trang")
    return data


Payload = Annotated[dict[str, Any], Depends(payload)]


def local(url: Any) -> str | None:
    """A redirect target only within this site."""
    return url if isinstance(url, str) and url.startswith("/") and "//" not in url else None


def page_number(request: Request) -> int:
    """The `?page=` asked (1 when none)."""
    number = request.query_params.get("page") or "1"
    if not (number.isascii() and number.isdigit() and len(number) <= 9):
        raise ValidationError("page", number, "số trang là một số nguyên dương")
    return int(number)


def page(request: Request, template: str, ctx: dict, user: Principal | None = None, status: int = 200) -> Response:
    """A page, or under /api its context as JSON."""
    if is_api(request):
        return JSONResponse(ctx, status_code=status)
    return request.app.state.templates.TemplateResponse(
        request,
        template,
        ctx
        | {
            "ctx": ctx,
            "user": user,
            "csrf": csrf_token(request),
            "unread": views.unread_count(database(request), user) if user else 0,
            "lang": i18n.current.get(),
            "path": request.url.path,
        },
        status_code=status,
    )


def done(
    request: Request,
    result: Any,
    to: str,
    fragment: str | None = None,
    user: Principal | None = None,
    fctx: dict | None = None,
) -> Response:
    """After a change: JSON for the API, a fragment for htmx, else a redirect (303)."""
    if is_api(request):
        return JSONResponse(result)
    if fragment and request.headers.get("hx-request"):
        return page(request, fragment, fctx or {}, user)
    return RedirectResponse(to, status_code=303)
