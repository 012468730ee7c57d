"""The dashboard and search."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from .. import views
from ..deps import CurrentRegister, page

router = APIRouter()


@router.get("/dashboard", include_in_schema=False)
@router.get("/api/dashboard")
def dashboard(request: Request, reg: CurrentRegister, plan: int | None = None) -> Response:
    return page(request, "dashboard.html", views.dashboard_ctx(reg, plan), reg.user)


@router.get("/search", include_in_schema=False)
@router.get("/api/search")
def search(request: Request, reg: CurrentRegister, q: str = "") -> Response:
    return page(request, "search.html", views.search_ctx(reg, q), reg.user)
