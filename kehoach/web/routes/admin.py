"""Accounts and the audit log."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from .. import accounts, auditlog
from ..deps import CurrentRegister, CurrentUser, Payload, RequestUnit, UnitRoute, database, done, page

router = APIRouter(dependencies=[RequestUnit], route_class=UnitRoute)  # one session per request


@router.get("/users", include_in_schema=False)
@router.get("/api/users")
def users(request: Request, user: CurrentUser) -> Response:
    user.require("admin")
    return page(request, "users.html", {"users": accounts.users(database(request))}, user)


@router.post("/users", include_in_schema=False)
@router.post("/api/users")
def user_create(request: Request, user: CurrentUser, data: Payload) -> Response:
    user.require("admin")
    new = accounts.create_user(
        database(request),
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


@router.post("/users/{username}/active", include_in_schema=False)
@router.post("/api/users/{username}/active")
def user_active(request: Request, user: CurrentUser, data: Payload, username: str) -> Response:
    user.require("admin")
    active = data.get("active") in (True, "1", "true")
    accounts.set_active(database(request), username, active, actor=user.username)
    return done(request, {"username": username, "active": active}, "/users")


@router.get("/audit", include_in_schema=False)
@router.get("/api/audit")
def audit_log(request: Request, reg: CurrentRegister) -> Response:
    return page(request, "audit.html", auditlog.audit_ctx(reg, request.query_params), reg.user)
