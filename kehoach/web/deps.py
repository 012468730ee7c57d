"""What every route needs: the current user, their view of the register, the request's fields
(after its CSRF token is checked) and the two ways to answer (a page or its JSON twin; after a
change, JSON, an htmx fragment or a redirect).

Routes take these as FastAPI dependencies (`user: CurrentUser`, `reg: CurrentRegister`,
`data: Payload`), so each router can be mounted and tested on its own.
"""

from __future__ import annotations

import secrets
from datetime import date
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response

from ..errors import KehoachError
from ..store import Database
from ..track import ValidationError
from ..vn import parse_date
from . import accounts, i18n, views
from .accounts import AuthError, Principal
from .settings import Settings


class CsrfError(KehoachError):
    """A form without the session's CSRF token."""


def database(request: Request) -> Database:
    return request.app.state.db


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
    user = accounts.get_user(database(request), uid) if isinstance(uid, int) else None
    if user is None or request.session.get("gen") != user.generation:
        raise AuthError("cần đăng nhập")
    return user


CurrentUser = Annotated[Principal, Depends(current_user)]


def current_register(request: Request, user: CurrentUser) -> views.Register:
    """The register as `user` sees it, on the date asked (`?as_of=`) or today."""
    raw = request.query_params.get("as_of")
    try:
        as_of = parse_date(raw) if raw else date.today()
    except ValueError as e:
        raise ValidationError("as_of", raw, str(e)) from None
    state = request.app.state
    return views.Register(state.db, user, as_of, state.memo, state.summaries, state.tracker)


CurrentRegister = Annotated[views.Register, Depends(current_register)]


async def form_fields(request: Request) -> dict[str, Any]:
    """The request's fields, JSON or form, without checking anything."""
    if request.headers.get("content-type", "").startswith("application/json"):
        data = await request.json()
        if not isinstance(data, dict):
            raise ValidationError("body", type(data).__name__, "cần một đối tượng JSON")
        return data
    async with request.form() as form:
        return {k: v for k, v in form.multi_items() if isinstance(v, str)}


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
