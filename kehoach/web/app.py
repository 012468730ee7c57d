"""The FastAPI application: its state, middleware and error handlers; the routes are in `routes/`.

Every page has a JSON twin under /api built from the same context (one function serves
both paths); errors have one JSON shape, `{"error": {"code", "message", ...}}`.
"""

from __future__ import annotations

import contextlib
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from sqlalchemy.exc import OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.sessions import SessionMiddleware

from .. import vn as fmt
from ..errors import KehoachError, ReadError
from ..store import Database
from ..track import ConflictError, NotFoundError, ValidationError
from . import i18n, views
from .accounts import AuthError, ForbiddenError, LoginLimiter, RateLimitedError
from .deps import CsrfError, current_user, is_api, page
from .routes import ROUTERS
from .settings import Settings
from .summary import Summaries

HERE = Path(__file__).parent
TZ = ZoneInfo("Asia/Ho_Chi_Minh")


ERRORS: dict[type, tuple[int, str]] = {
    AuthError: (401, "unauthenticated"),
    CsrfError: (403, "csrf"),
    ForbiddenError: (403, "forbidden"),
    NotFoundError: (404, "not_found"),
    ConflictError: (409, "conflict"),
    ValidationError: (422, "invalid"),
    RateLimitedError: (429, "rate_limited"),
    ReadError: (422, "unreadable"),
}


def _status(e: Exception) -> tuple[int, str]:
    for cls in type(e).__mro__:
        if cls in ERRORS:
            return ERRORS[cls]
    return 400, "error"


# --- template helpers -------------------------------------------------------------------------


def _date(value: Any) -> str:
    if not value:
        return ""
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value[:10])
        except ValueError:
            return value
    return fmt.fmt_date(value)


def _datetime(value: Any) -> str:
    if not value:
        return ""
    dt = datetime.fromisoformat(value) if isinstance(value, str) else value
    return dt.astimezone(TZ).strftime("%d/%m/%Y %H:%M")


def _number(value: Any, decimals: int | None = None) -> str:
    return "" if value is None else fmt.fmt_number(value, decimals)


def _percent(value: Any, decimals: int | None = 1) -> str:
    return "" if value is None else fmt.fmt_percent(value, decimals)


def make_templates() -> Jinja2Templates:
    templates = Jinja2Templates(directory=str(HERE / "templates"))
    env = templates.env
    env.add_extension("jinja2.ext.i18n")
    env.install_gettext_callables(i18n.gettext, i18n.ngettext, newstyle=False)  # type: ignore[attr-defined]
    env.filters.update(
        vndate=_date,
        vndatetime=_datetime,
        vnnum=_number,
        vnpct=_percent,
        status_class=lambda s: views.STATUS_CLASS.get(s, ""),
        progress_vi=lambda s: views.PROGRESS_VI.get(s, s or ""),
        semijoin=lambda xs: "; ".join(xs or []),
    )
    env.filters.update(i18n.FILTERS)  # periods and roles in words
    env.globals.update(languages=i18n.LANGUAGES)
    env.policies["json.dumps_kwargs"] = {"ensure_ascii": False, "sort_keys": True}
    return templates


# --- the application --------------------------------------------------------------------------


def create_app(db: Database, settings: Settings | None = None) -> FastAPI:
    """The web application over an opened (migrated) register."""
    settings = settings or Settings()
    app = FastAPI(
        title="kehoach",
        description="Theo dõi thực hiện kế hoạch: API JSON (mỗi trang có bản JSON ở /api).",
        openapi_url="/api/openapi.json",
        docs_url="/api/docs",
        redoc_url=None,
    )
    app.state.db = db
    app.state.settings = settings
    app.state.memo = views.Memo()
    app.state.summaries = Summaries()
    app.state.tracker = views.Tracker()
    app.state.limiter = LoginLimiter(settings.login_attempts, settings.login_window)
    app.state.templates = make_templates()
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")

    @app.middleware("http")
    async def language(request: Request, call_next: Any) -> Response:
        lang = request.session.get("lang") or settings.language
        token = i18n.current.set(lang if lang in i18n.LANGUAGES else "vi")
        try:
            response = await call_next(request)
        finally:
            i18n.current.reset(token)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        return response

    # added last, so it runs first: the language middleware reads the session
    app.add_middleware(
        SessionMiddleware,
        secret_key=settings.secret,
        session_cookie="kehoach_session",
        max_age=settings.session_max_age,
        same_site="lax",
        https_only=settings.https_only,
    )

    @app.exception_handler(KehoachError)
    async def kehoach_error(request: Request, e: KehoachError) -> Response:
        status, code = _status(e)
        body: dict[str, Any] = {"code": code, "message": str(e)}
        if isinstance(e, ValidationError):
            body |= {"field": e.field, "rule": e.rule}
        headers = {}
        if isinstance(e, RateLimitedError):
            headers["Retry-After"] = str(e.retry_after)
        if is_api(request) or request.headers.get("hx-request"):
            return JSONResponse({"error": body}, status_code=status, headers=headers)
        if status == 401:
            return RedirectResponse(f"/login?next={request.url.path}", status_code=303)
        user = None
        with contextlib.suppress(AuthError):
            user = current_user(request)
        return page(request, "error.html", {"error": body}, user, status)

    @app.exception_handler(OperationalError)
    async def database_down(request: Request, e: OperationalError) -> Response:
        # The register is unreachable (server down, connections dropped): say so, let the client retry.
        body = {"code": "unavailable", "message": "cơ sở dữ liệu tạm thời không truy cập được: thử lại sau ít phút"}
        if is_api(request) or request.headers.get("hx-request"):
            return JSONResponse({"error": body}, status_code=503, headers={"Retry-After": "5"})
        return page(request, "error.html", {"error": body}, None, 503)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, e: StarletteHTTPException) -> Response:
        code = {404: "not_found", 405: "method_not_allowed"}.get(e.status_code, "http")
        message = "không có trang này" if e.status_code == 404 else str(e.detail)
        body = {"code": code, "message": message}
        if is_api(request):
            return JSONResponse({"error": body}, status_code=e.status_code)
        return page(request, "error.html", {"error": body}, None, e.status_code)

    @app.exception_handler(RequestValidationError)
    async def request_error(request: Request, e: RequestValidationError) -> Response:
        first = e.errors()[0] if e.errors() else {}
        field = ".".join(str(x) for x in first.get("loc", ())[1:]) or None
        body = {
            "code": "invalid",
            "message": f"{field}: {first.get('msg', 'không hợp lệ')}",
            "field": field,
            "rule": first.get("msg"),
        }
        if is_api(request):
            return JSONResponse({"error": body}, status_code=422)
        return page(request, "error.html", {"error": body}, None, 422)

    for router in ROUTERS:
        app.include_router(router)
    return app
