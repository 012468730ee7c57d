"""Signing in and out, the session and the interface language."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, RedirectResponse, Response

from .. import accounts, i18n
from ..accounts import AuthError
from ..deps import (
    CurrentUser,
    Payload,
    check_csrf,
    csrf_token,
    database,
    done,
    form_fields,
    is_api,
    local,
    page,
    settings,
)
from ..limits import LOGIN_LIMIT, limit_body

router = APIRouter()

DEVICE_COOKIE = "kehoach_device"  # a browser that signed in to an account before: see `accounts.sign_in`
DEVICE_AGE = 365 * 24 * 3600

HOME = {"officer": "/tasks/mine", "admin": "/dashboard", "office": "/dashboard", "leader": "/dashboard"}


@router.get("/login", include_in_schema=False)
def login_page(request: Request, next: str = "/") -> Response:
    return page(request, "login.html", {"next": local(next) or "/"})


@router.post("/login", include_in_schema=False)
@router.post("/api/login")
async def login(request: Request) -> Response:
    limit_body(request, LOGIN_LIMIT)
    data = await form_fields(request)
    if not request.headers.get("content-type", "").startswith("application/json"):
        check_csrf(request, data.get("csrf_token"), "biểu mẫu đăng nhập đã hết hạn: tải lại trang rồi đăng nhập")
    username = str(data.get("username", "")).strip()[:100]  # an account name is never longer
    secret = request.app.state.secret
    address = request.client.host if request.client else "?"
    token = request.cookies.get(DEVICE_COOKIE)
    device = token if accounts.trusted(secret, username, token) else None
    try:  # scrypt and the database: off the event loop, so other requests go on meanwhile
        user = await run_in_threadpool(
            accounts.sign_in, database(request), username, str(data.get("password", "")), address, device=device
        )
    except AuthError:
        if is_api(request):
            raise
        ctx = {"next": data.get("next", "/"), "username": username, "error": "Tên đăng nhập hoặc mật khẩu không đúng."}
        return page(request, "login.html", ctx, None, 401)
    request.session.clear()
    request.session["uid"] = user.id
    request.session["gen"] = user.generation
    token = csrf_token(request)
    if is_api(request):
        response: Response = JSONResponse({"user": user.as_dict(), "csrf_token": token})
    else:
        response = RedirectResponse(local(data.get("next")) or "/", status_code=303)
    response.set_cookie(
        DEVICE_COOKIE,
        accounts.device_token(secret, username),
        max_age=DEVICE_AGE,
        httponly=True,
        samesite="lax",
        secure=settings(request).https_only,
    )
    return response


@router.post("/logout", include_in_schema=False)
@router.post("/api/logout")
def logout(request: Request, data: Payload) -> Response:
    if isinstance(uid := request.session.get("uid"), int):
        accounts.end_sessions(database(request), uid)
    request.session.clear()
    return done(request, {"ok": True}, "/login")


@router.get("/api/session")
def session_info(request: Request, user: CurrentUser) -> Response:
    return JSONResponse({"user": user.as_dict(), "csrf_token": csrf_token(request)})


@router.get("/lang/{code}", include_in_schema=False)
def set_language(request: Request, code: str, next: str = "/") -> Response:
    if code in i18n.LANGUAGES:
        request.session["lang"] = code
    return RedirectResponse(local(next) or "/", status_code=303)


@router.get("/", include_in_schema=False)
def home(user: CurrentUser) -> Response:
    return RedirectResponse(HOME[user.role], status_code=303)
