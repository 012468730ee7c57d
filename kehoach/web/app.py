"""The FastAPI application: thin routes over `views`, `review`, `remind` and `accounts`.

Every page has a JSON twin under /api built from the same context (one function serves
both paths); errors have one JSON shape, `{"error": {"code", "message", ...}}`.
"""

from __future__ import annotations

import contextlib
import secrets
import tempfile
from datetime import date, datetime
from pathlib import Path, PureWindowsPath
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

from .. import fmt
from ..errors import KehoachError, ReadError
from ..store import Database
from ..track import ConflictError, NotFoundError, ValidationError
from . import accounts, i18n, remind, review, views
from .accounts import AuthError, ForbiddenError, LoginLimiter, Principal, RateLimitedError
from .settings import Settings
from .summary import Summaries

REPORT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}

HERE = Path(__file__).parent
TZ = ZoneInfo("Asia/Ho_Chi_Minh")


class CsrfError(KehoachError):
    """A form without the session's CSRF token."""


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


def upload_name(filename: str) -> str:
    """An uploaded file's name without any folder (either slash) and at most 200 characters."""
    name = PureWindowsPath(filename).name.strip() or "tep-tai-len"
    if len(name) > 200:
        stem, dot, ext = name.rpartition(".")
        name = stem[: 190 - len(ext)] + dot + ext[:10] if dot else name[:200]
    return name


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
    templates = make_templates()
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

    # --- plumbing -----------------------------------------------------------------------------

    def is_api(request: Request) -> bool:
        return request.url.path.startswith("/api/")

    def csrf_token(request: Request) -> str:
        token = request.session.get("csrf")
        if not token:
            token = request.session["csrf"] = secrets.token_urlsafe(32)
        return token

    def user_of(request: Request) -> Principal:
        uid = request.session.get("uid")
        user = accounts.get_user(db, uid) if isinstance(uid, int) else None
        if user is None or request.session.get("gen") != user.generation:
            raise AuthError("cần đăng nhập")
        return user

    def register(request: Request, user: Principal) -> views.Register:
        raw = request.query_params.get("as_of")
        try:
            as_of = fmt.parse_date(raw) if raw else date.today()
        except ValueError as e:
            raise ValidationError("as_of", raw, str(e)) from None
        return views.Register(db, user, as_of, app.state.memo, app.state.summaries, app.state.tracker)

    async def payload(request: Request) -> dict[str, Any]:
        """The request's fields (JSON or form), after checking its CSRF token."""
        if request.headers.get("content-type", "").startswith("application/json"):
            data = await request.json()
            if not isinstance(data, dict):
                raise ValidationError("body", type(data).__name__, "cần một đối tượng JSON")
        else:
            async with request.form() as form:
                data = {k: v for k, v in form.multi_items() if isinstance(v, str)}
        sent = request.headers.get("x-csrf-token") or data.pop("csrf_token", None)
        expected = request.session.get("csrf")
        if not expected or not isinstance(sent, str) or not secrets.compare_digest(sent, expected):
            raise CsrfError("phiên làm việc đã hết hạn hoặc biểu mẫu không hợp lệ: tải lại trang")
        return data

    def local(url: Any) -> str | None:
        """A redirect target only within this site."""
        return url if isinstance(url, str) and url.startswith("/") and "//" not in url else None

    def page(request: Request, template: str, ctx: dict, user: Principal | None = None, status: int = 200) -> Response:
        if is_api(request):
            return JSONResponse(ctx, status_code=status)
        return templates.TemplateResponse(
            request,
            template,
            ctx
            | {
                "ctx": ctx,
                "user": user,
                "csrf": csrf_token(request),
                "unread": views.unread_count(db, user) if user else 0,
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
        """After a change: JSON for the API, a fragment for htmx, else redirect (303)."""
        if is_api(request):
            return JSONResponse(result)
        if fragment and request.headers.get("hx-request"):
            return page(request, fragment, fctx or {}, user)
        return RedirectResponse(to, status_code=303)

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
            user = user_of(request)
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

    # --- session ------------------------------------------------------------------------------

    @app.get("/login", include_in_schema=False)
    def login_page(request: Request, next: str = "/") -> Response:
        return page(request, "login.html", {"next": local(next) or "/"})

    @app.post("/login", include_in_schema=False)
    @app.post("/api/login")
    async def login(request: Request) -> Response:
        if request.headers.get("content-type", "").startswith("application/json"):
            data = await request.json()
        else:
            async with request.form() as form:
                data = {k: v for k, v in form.multi_items() if isinstance(v, str)}
            csrf = request.session.get("csrf")
            if not csrf or data.get("csrf_token") != csrf:
                raise CsrfError("biểu mẫu đăng nhập đã hết hạn: tải lại trang rồi đăng nhập")
        username = str(data.get("username", "")).strip()
        client = request.client.host if request.client else "?"
        keys = (f"user:{username.lower()}", f"ip:{client}")
        app.state.limiter.check(*keys)
        try:
            user = accounts.authenticate(db, username, str(data.get("password", "")))
        except AuthError:
            app.state.limiter.failed(*keys)
            if is_api(request):
                raise
            return page(
                request,
                "login.html",
                {
                    "next": data.get("next", "/"),
                    "username": username,
                    "error": "Tên đăng nhập hoặc mật khẩu không đúng.",
                },
                None,
                401,
            )
        app.state.limiter.succeeded(keys[0])
        request.session.clear()
        request.session["uid"] = user.id
        request.session["gen"] = user.generation
        token = csrf_token(request)
        if is_api(request):
            return JSONResponse({"user": user.as_dict(), "csrf_token": token})
        return RedirectResponse(local(data.get("next")) or "/", status_code=303)

    @app.post("/logout", include_in_schema=False)
    @app.post("/api/logout")
    async def logout(request: Request) -> Response:
        await payload(request)
        if isinstance(uid := request.session.get("uid"), int):
            accounts.end_sessions(db, uid)
        request.session.clear()
        return done(request, {"ok": True}, "/login")

    @app.get("/api/session")
    def session_info(request: Request) -> Response:
        user = user_of(request)
        return JSONResponse({"user": user.as_dict(), "csrf_token": csrf_token(request)})

    @app.get("/lang/{code}", include_in_schema=False)
    def set_language(request: Request, code: str, next: str = "/") -> Response:
        if code in i18n.LANGUAGES:
            request.session["lang"] = code
        return RedirectResponse(local(next) or "/", status_code=303)

    @app.get("/", include_in_schema=False)
    def home(request: Request) -> Response:
        user = user_of(request)
        target = {
            "officer": "/tasks/mine",
            "admin": "/dashboard",
            "office": "/dashboard",
            "leader": "/dashboard",
        }[user.role]
        return RedirectResponse(target, status_code=303)

    # --- plans --------------------------------------------------------------------------------

    @app.get("/plans", include_in_schema=False)
    @app.get("/api/plans")
    def plans(request: Request) -> Response:
        user = user_of(request)
        province, number = request.query_params.get("province"), request.query_params.get("page") or "1"
        if not number.isdigit():
            raise ValidationError("page", number, "số trang là một số nguyên dương")
        ctx = views.plans_ctx(register(request, user), province or None, int(number))
        return page(request, "plans.html", ctx, user)

    @app.get("/plans/{plan_id}", include_in_schema=False)
    @app.get("/api/plans/{plan_id}")
    def plan(request: Request, plan_id: int) -> Response:
        user = user_of(request)
        reg = register(request, user)
        return page(request, "plan.html", views.plan_ctx(reg, plan_id), user)

    @app.get("/plans/{plan_id}/export.json", include_in_schema=False)
    @app.get("/api/plans/{plan_id}/export")
    def export(request: Request, plan_id: int) -> Response:
        user = user_of(request)
        data = views.export_plan(register(request, user), plan_id)
        return JSONResponse(data, headers={"Content-Disposition": f'attachment; filename="plan-{plan_id}.json"'})

    @app.get("/plans/{plan_id}/report", include_in_schema=False)
    @app.get("/api/plans/{plan_id}/report")
    def report(request: Request, plan_id: int, period: str, format: str = "docx") -> Response:
        """The synthesis report for a period (Decree 30 DOCX, XLSX or PDF), as a download."""
        user = user_of(request)
        register(request, user).plan(plan_id)  # the plan must be the user's province's
        if format not in REPORT_TYPES:
            raise ValidationError("format", format, "chọn docx, xlsx hoặc pdf")
        try:
            fmt.Period.parse(period)
        except ValueError as e:
            raise ValidationError("period", period, str(e)) from None
        from ..report_build import make_report

        with tempfile.TemporaryDirectory() as tmp:
            name = f"bao-cao-{plan_id}-{period}.{format}"
            data = make_report(db, plan_id, period, Path(tmp) / name, fmt=format).read_bytes()
        disposition = f'attachment; filename="{name}"'
        return Response(data, media_type=REPORT_TYPES[format], headers={"Content-Disposition": disposition})

    # --- upload and review --------------------------------------------------------------------

    @app.get("/upload", include_in_schema=False)
    def upload_page(request: Request) -> Response:
        user = user_of(request)
        user.require("admin", "office")
        return page(request, "upload.html", {"max_mb": settings.max_upload_mb}, user)

    @app.post("/upload", include_in_schema=False)
    @app.post("/api/drafts")
    async def upload(request: Request) -> Response:
        user = user_of(request)
        user.require("admin", "office")
        async with request.form(max_part_size=settings.max_upload_mb * 2**20) as form:
            sent = request.headers.get("x-csrf-token") or form.get("csrf_token")
            if sent != request.session.get("csrf"):
                raise CsrfError("biểu mẫu đã hết hạn: tải lại trang rồi tải tệp lên lại")
            f = form.get("file")
            if f is None or isinstance(f, str) or not f.filename:
                raise ValidationError("file", None, "chọn một tệp DOCX, PDF hoặc TXT")
            name, data = upload_name(f.filename), await f.read()
        if len(data) > settings.max_upload_mb * 2**20:
            raise ValidationError("file", name, f"tệp lớn hơn {settings.max_upload_mb} MB")
        d = review.create(db, user, name, data)
        return done(request, d, f"/drafts/{d['id']}")

    @app.get("/drafts", include_in_schema=False)
    @app.get("/api/drafts")
    def drafts(request: Request) -> Response:
        user = user_of(request)
        return page(request, "drafts.html", review.drafts(db, user), user)

    @app.get("/drafts/{draft_id}", include_in_schema=False)
    @app.get("/api/drafts/{draft_id}")
    def draft(request: Request, draft_id: int) -> Response:
        user = user_of(request)
        return page(request, "draft.html", {"draft": review.get(db, user, draft_id)}, user)

    def draft_done(request: Request, user: Principal, d: dict, index: int | None) -> Response:
        if index is not None and request.headers.get("hx-request") and not is_api(request):
            return page(
                request,
                "_draft_task.html",
                {"draft": d, "i": index, "t": d["plan"]["tasks"][index]},
                user,
            )
        return done(request, d, f"/drafts/{d['id']}" + (f"#t{index}" if index is not None else ""))

    @app.post("/drafts/{draft_id}/document", include_in_schema=False)
    @app.post("/api/drafts/{draft_id}/document")
    async def draft_document(request: Request, draft_id: int) -> Response:
        user = user_of(request)
        d = review.edit_document(db, user, draft_id, await payload(request))
        return draft_done(request, user, d, None)

    @app.post("/drafts/{draft_id}/tasks/{index}", include_in_schema=False)
    @app.post("/api/drafts/{draft_id}/tasks/{index}")
    async def draft_task(request: Request, draft_id: int, index: int) -> Response:
        user = user_of(request)
        d = review.edit_task(db, user, draft_id, index, await payload(request))
        return draft_done(request, user, d, index)

    @app.post("/drafts/{draft_id}/indicators/{index}", include_in_schema=False)
    @app.post("/api/drafts/{draft_id}/indicators/{index}")
    async def draft_indicator(request: Request, draft_id: int, index: int) -> Response:
        user = user_of(request)
        d = review.edit_indicator(db, user, draft_id, index, await payload(request))
        return done(request, d, f"/drafts/{draft_id}#i{index}")

    @app.post("/drafts/{draft_id}/tasks/{index}/merge", include_in_schema=False)
    @app.post("/api/drafts/{draft_id}/tasks/{index}/merge")
    async def draft_merge(request: Request, draft_id: int, index: int) -> Response:
        user = user_of(request)
        data = await payload(request)
        d = review.merge_tasks(db, user, draft_id, index, data.get("version"))
        return done(request, d, f"/drafts/{draft_id}#t{index}")

    @app.post("/drafts/{draft_id}/tasks/{index}/split", include_in_schema=False)
    @app.post("/api/drafts/{draft_id}/tasks/{index}/split")
    async def draft_split(request: Request, draft_id: int, index: int) -> Response:
        user = user_of(request)
        data = await payload(request)
        d = review.split_task(db, user, draft_id, index, data.get("parts"), data.get("version"))
        return done(request, d, f"/drafts/{draft_id}#t{index}")

    @app.post("/drafts/{draft_id}/tasks/{index}/delete", include_in_schema=False)
    @app.post("/api/drafts/{draft_id}/tasks/{index}/delete")
    async def draft_delete(request: Request, draft_id: int, index: int) -> Response:
        user = user_of(request)
        data = await payload(request)
        d = review.delete_task(db, user, draft_id, index, data.get("version"))
        return done(request, d, f"/drafts/{draft_id}")

    @app.post("/drafts/{draft_id}/publish", include_in_schema=False)
    @app.post("/api/drafts/{draft_id}/publish")
    async def draft_publish(request: Request, draft_id: int) -> Response:
        user = user_of(request)
        data = await payload(request)
        result = review.publish(db, user, draft_id, data.get("version"))
        return done(request, result, f"/plans/{result['id']}")

    @app.get("/drafts/{draft_id}/corrections.json", include_in_schema=False)
    @app.get("/api/drafts/{draft_id}/corrections")
    def draft_corrections(request: Request, draft_id: int) -> Response:
        user = user_of(request)
        return JSONResponse(review.corrections(db, user, draft_id))

    @app.get("/api/corrections")
    def all_corrections(request: Request) -> Response:
        user = user_of(request)
        return JSONResponse(review.corrections(db, user))

    # --- tasks --------------------------------------------------------------------------------

    @app.get("/tasks/mine", include_in_schema=False)
    @app.get("/api/tasks/mine")
    def my_tasks(request: Request) -> Response:
        user = user_of(request)
        reg = register(request, user)
        return page(request, "my_tasks.html", views.my_tasks_ctx(reg), user)

    @app.get("/tasks/{task_id}", include_in_schema=False)
    @app.get("/api/tasks/{task_id}")
    def task(request: Request, task_id: int) -> Response:
        user = user_of(request)
        return page(request, "task.html", views.task_ctx(register(request, user), task_id), user)

    @app.post("/tasks/{task_id}/update", include_in_schema=False)
    @app.post("/api/tasks/{task_id}/update")
    async def task_update(request: Request, task_id: int) -> Response:
        user = user_of(request)
        reg = register(request, user)
        data = await payload(request)
        result = views.update_task(reg, task_id, data)
        return done(request, result, local(data.get("next")) or f"/tasks/{task_id}")

    @app.post("/tasks/{task_id}/extensions", include_in_schema=False)
    @app.post("/api/tasks/{task_id}/extensions")
    async def task_extension(request: Request, task_id: int) -> Response:
        user = user_of(request)
        data = await payload(request)
        result = views.extend_task(register(request, user), task_id, data)
        return done(request, result, f"/tasks/{task_id}")

    @app.post("/tasks/{task_id}/condition", include_in_schema=False)
    @app.post("/api/tasks/{task_id}/condition")
    async def task_condition(request: Request, task_id: int) -> Response:
        user = user_of(request)
        data = await payload(request)
        result = views.mark_condition(register(request, user), task_id, data)
        return done(request, result, f"/tasks/{task_id}")

    @app.post("/tasks/{task_id}/comments", include_in_schema=False)
    @app.post("/api/tasks/{task_id}/comments")
    async def task_comment(request: Request, task_id: int) -> Response:
        user = user_of(request)
        data = await payload(request)
        result = views.add_comment(register(request, user), task_id, str(data.get("text", "")))
        return done(request, result, f"/tasks/{task_id}#comments")

    @app.post("/indicators/{indicator_id}/values", include_in_schema=False)
    @app.post("/api/indicators/{indicator_id}/values")
    async def indicator_value(request: Request, indicator_id: int) -> Response:
        user = user_of(request)
        data = await payload(request)
        result = views.record_value(register(request, user), indicator_id, data)
        return done(request, result, local(data.get("next")) or f"/plans/{result['plan_id']}")

    @app.post("/duties/{duty_id}/submissions", include_in_schema=False)
    @app.post("/api/duties/{duty_id}/submissions")
    async def report_submitted(request: Request, duty_id: int) -> Response:
        user = user_of(request)
        data = await payload(request)
        result = views.submit_report(register(request, user), duty_id, data)
        return done(request, result, local(data.get("next")) or "/tasks/mine")

    # --- dashboard, search --------------------------------------------------------------------

    @app.get("/dashboard", include_in_schema=False)
    @app.get("/api/dashboard")
    def dashboard(request: Request, plan: int | None = None) -> Response:
        user = user_of(request)
        ctx = views.dashboard_ctx(register(request, user), plan)
        return page(request, "dashboard.html", ctx, user)

    @app.get("/search", include_in_schema=False)
    @app.get("/api/search")
    def search(request: Request, q: str = "") -> Response:
        user = user_of(request)
        return page(request, "search.html", views.search_ctx(register(request, user), q), user)

    # --- notifications and reminders ----------------------------------------------------------

    @app.get("/notifications", include_in_schema=False)
    @app.get("/api/notifications")
    def notifications(request: Request) -> Response:
        user = user_of(request)
        return page(request, "notifications.html", views.notifications_ctx(db, user), user)

    @app.post("/notifications/read", include_in_schema=False)
    @app.post("/api/notifications/read")
    async def notifications_read(request: Request) -> Response:
        user = user_of(request)
        await payload(request)
        return done(request, views.mark_read(db, user), "/notifications")

    def reminder_provinces(reg: views.Register) -> set[str] | None:
        if reg.user.role == "admin":
            return None
        return {p["province"] or "" for p in reg.plans()} | {reg.user.province or ""}

    @app.get("/reminders", include_in_schema=False)
    @app.get("/api/reminders")
    def reminders(request: Request) -> Response:
        user = user_of(request)
        user.require("admin", "office")
        reg = register(request, user)
        ctx = {"reminders": remind.log(db, reminder_provinces(reg))}
        return page(request, "reminders.html", ctx, user)

    @app.post("/reminders/run", include_in_schema=False)
    @app.post("/api/reminders/run")
    async def reminders_run(request: Request) -> Response:
        user = user_of(request)
        user.require("admin")
        await payload(request)
        result = remind.run(db, settings, register(request, user).as_of)
        return done(request, result, "/reminders")

    # --- accounts and audit -------------------------------------------------------------------

    @app.get("/users", include_in_schema=False)
    @app.get("/api/users")
    def users(request: Request) -> Response:
        user = user_of(request)
        user.require("admin")
        return page(request, "users.html", {"users": accounts.users(db)}, user)

    @app.post("/users", include_in_schema=False)
    @app.post("/api/users")
    async def user_create(request: Request) -> Response:
        user = user_of(request)
        user.require("admin")
        data = await payload(request)
        new = accounts.create_user(
            db,
            str(data.get("username", "")),
            str(data.get("password", "")),
            role=str(data.get("role", "")),
            name=data.get("name") or None,
            province=data.get("province") or None,
            agency=data.get("agency") or None,
            email=data.get("email") or None,
            actor=user.username,
        )
        return done(request, new.as_dict(), "/users")

    @app.post("/users/{username}/active", include_in_schema=False)
    @app.post("/api/users/{username}/active")
    async def user_active(request: Request, username: str) -> Response:
        user = user_of(request)
        user.require("admin")
        data = await payload(request)
        active = data.get("active") in (True, "1", "true")
        accounts.set_active(db, username, active, actor=user.username)
        return done(request, {"username": username, "active": active}, "/users")

    @app.get("/audit", include_in_schema=False)
    @app.get("/api/audit")
    def audit_log(request: Request) -> Response:
        user = user_of(request)
        return page(request, "audit.html", views.audit_ctx(register(request, user)), user)

    return app
