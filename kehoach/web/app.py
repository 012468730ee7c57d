"""The FastAPI application: its state, middleware and error handlers; the routes are in `routes/`.

Every page has a JSON twin under /api built from the same context (one function serves
both paths); errors have one JSON shape, `{"error": {"code", "message", ...}}`.
"""

from __future__ import annotations

import contextlib
import gc
from datetime import date
from pathlib import Path
from typing import Any

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from sqlalchemy.exc import OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.sessions import SessionMiddleware

from .. import vn as fmt
from ..errors import KehoachError
from ..settings import Settings
from ..store import Database
from ..track import ValidationError
from . import i18n, views
from .accounts import AuthError
from .deps import clean_request, current_user, is_api, page, param_rule
from .limits import BodyLimit
from .routes import ROUTERS
from .security import SecurityHeaders

HERE = Path(__file__).parent


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


def _number(value: Any, decimals: int | None = None) -> str:
    return "" if value is None else fmt.fmt_number(value, decimals)


def _percent(value: Any, decimals: int | None = 1) -> str:
    return "" if value is None else fmt.fmt_percent(value, decimals)


def _clip(value: Any, limit: int) -> str:
    """`value` cut to at most `limit` characters between words, with "…" when cut."""
    text = " ".join(str(value or "").split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if text[limit - 1] != " " and " " in cut:  # not within a word
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:.-–") + "…"


def make_templates() -> Jinja2Templates:
    templates = Jinja2Templates(directory=str(HERE / "templates"))
    env = templates.env
    env.add_extension("jinja2.ext.i18n")
    env.install_gettext_callables(i18n.gettext, i18n.ngettext, newstyle=False)  # type: ignore[attr-defined]
    env.filters.update(
        vndate=_date,
        vndatetime=fmt.fmt_datetime,  # in Vietnam time, whatever the server's zone
        vnnum=_number,
        vnpct=_percent,
        status_class=lambda s: views.STATUS_CLASS.get(s, ""),
        progress_vi=lambda s: views.PROGRESS_VI.get(s, s or ""),
        semijoin=lambda xs: "; ".join(xs or []),
        clip=_clip,
    )
    env.filters.update(i18n.FILTERS)  # periods and roles in words
    env.globals.update(languages=i18n.LANGUAGES)
    env.policies["json.dumps_kwargs"] = {"ensure_ascii": False, "sort_keys": True}
    return templates


# --- the application --------------------------------------------------------------------------


def install_state(app: FastAPI, db: Database, settings: Settings) -> None:
    """What the routes read from `app.state`: the register, the settings, the caches over them
    and the templates. `create_app` calls it; so does a test that mounts one router alone."""
    app.state.db = db
    app.state.settings = settings
    app.state.memo = views.Memo()
    app.state.tracker = views.Tracker()
    # every server process signs sessions with the same key: configured, or made once and kept
    app.state.secret = settings.secret_key or db.logins.secret("session")
    db.logins.configure(settings.login_attempts, settings.login_window)
    app.state.templates = make_templates()


async def answer_error(request: Request, e: KehoachError) -> Response:
    """Our errors, one shape: JSON under /api (and for htmx), else the error page (401: sign in)."""
    # each class knows its status and code (kehoach/errors.py); the message is for the user
    status, body = e.status, e.as_dict()
    if is_api(request) or request.headers.get("hx-request"):
        return JSONResponse({"error": body}, status_code=status, headers=e.headers())
    if status == 401:
        return RedirectResponse(f"/login?next={request.url.path}", status_code=303)
    user = None
    with contextlib.suppress(AuthError):
        user = current_user(request)
    return page(request, "error.html", {"error": body}, user, status)


class Language:
    """Each request's interface language (its session's, else the setting's) in `i18n.current`.
    Plain ASGI: a `BaseHTTPMiddleware` costs every request a task and its streams."""

    def __init__(self, app: Any, default: str) -> None:
        self.app, self.default = app, default

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        lang = scope.get("session", {}).get("lang") or self.default
        token = i18n.current.set(lang if lang in i18n.LANGUAGES else "vi")
        try:
            await self.app(scope, receive, send)
        finally:
            i18n.current.reset(token)


# The collector of a serving process: a page of a province's dashboard makes some hundred
# thousand short-lived objects, which at Python's defaults (700, 10, 10) set off a young
# collection every few hundred and a full one, walking every object the process holds
# (the held briefs and pages), every few requests: 25 ms of collection a request, and
# the page that met a full one waited 140 ms more (bench/RESULTS.md, sixth session).
COLLECTOR = (20_000, 20, 100)


def tune_collector() -> None:
    """Collect less often in a serving process, and never walk what it was started with (the
    modules, templates, the register's settings) again: `gc.freeze()`. Cycles are rare in what
    requests make; what is not a cycle is freed when last used, as always."""
    gc.freeze()
    gc.set_threshold(*COLLECTOR)


def create_app(db: Database, settings: Settings | None = None) -> FastAPI:
    """The web application over an opened (migrated) register."""
    settings = settings or Settings()
    app = FastAPI(
        title="kehoach",
        description="Theo dõi thực hiện kế hoạch: API JSON (mỗi trang có bản JSON ở /api).",
        openapi_url="/api/openapi.json",
        docs_url="/api/docs",
        redoc_url=None,
        dependencies=[Depends(clean_request)],
    )
    install_state(app, db, settings)
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")

    # every body counted as it arrives; innermost, so a refusal is answered by the error handler
    app.add_middleware(BodyLimit)

    app.add_middleware(Language, default=settings.language)

    # added after, so it runs before: the language middleware reads the session
    app.add_middleware(
        SessionMiddleware,
        secret_key=app.state.secret,
        session_cookie="kehoach_session",
        max_age=settings.session_max_age,
        same_site="lax",
        https_only=settings.https_only,
    )
    app.add_middleware(SecurityHeaders)  # outermost: on every response, errors included

    app.add_exception_handler(KehoachError, answer_error)  # type: ignore[arg-type]

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
        # a path or query parameter refused by its type: answered as any value that breaks a rule
        first = e.errors()[0] if e.errors() else {}
        field = ".".join(str(x) for x in first.get("loc", ())[1:]) or "?"
        sent = first.get("input")
        return await answer_error(
            request, ValidationError(field, sent if isinstance(sent, str | int) else None, param_rule(first))
        )

    for router in ROUTERS:
        app.include_router(router)
    return app
