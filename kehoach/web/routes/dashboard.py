"""The dashboard and search."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from .. import views
from ..deps import CurrentRegister, QueryId, RequestUnit, UnitRoute, page

router = APIRouter(dependencies=[RequestUnit], route_class=UnitRoute)  # one session per request


@router.get("/dashboard", include_in_schema=False)
@router.get("/api/dashboard")
def dashboard(request: Request, reg: CurrentRegister, plan: QueryId = None) -> Response:
    return page(request, "dashboard.html", views.dashboard_ctx(reg, plan), reg.user)


@router.get("/search", include_in_schema=False)
@router.get("/api/search")
def search(request: Request, reg: CurrentRegister, q: Annotated[str, Query(max_length=200)] = "") -> Response:
    return page(request, "search.html", views.search_ctx(reg, q), reg.user)
