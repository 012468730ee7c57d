"""Notifications in the application and the reminder log."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from .. import remind, views
from ..deps import CurrentRegister, CurrentUser, Payload, RequestUnit, UnitRoute, database, done, page, settings

router = APIRouter(dependencies=[RequestUnit], route_class=UnitRoute)  # one session per request


@router.get("/notifications", include_in_schema=False)
@router.get("/api/notifications")
def notifications(request: Request, user: CurrentUser) -> Response:
    return page(request, "notifications.html", views.notifications_ctx(database(request), user), user)


@router.post("/notifications/read", include_in_schema=False)
@router.post("/api/notifications/read")
def notifications_read(request: Request, user: CurrentUser, data: Payload) -> Response:
    return done(request, views.mark_read(database(request), user), "/notifications")


def reminder_provinces(reg: views.Register) -> set[str] | None:
    """The provinces whose reminders the user may read; None for all."""
    if reg.user.role == "admin":
        return None
    return {p["province"] or "" for p in reg.plans()} | {reg.user.province or ""}


@router.get("/reminders", include_in_schema=False)
@router.get("/api/reminders")
def reminders(request: Request, reg: CurrentRegister) -> Response:
    reg.user.require("admin", "office")
    ctx = {"reminders": remind.log(database(request), reminder_provinces(reg))}
    return page(request, "reminders.html", ctx, reg.user)


@router.post("/reminders/run", include_in_schema=False)
@router.post("/api/reminders/run")
def reminders_run(request: Request, reg: CurrentRegister, data: Payload) -> Response:
    reg.user.require("admin")
    result = remind.run(database(request), settings(request), reg.as_of)
    return done(request, result, "/reminders")
