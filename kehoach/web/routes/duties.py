"""Reporting duties: the province's list and one duty's regime, edited by the synthesizing office."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import Response

from .. import duties
from ..deps import CurrentRegister, Payload, RequestUnit, UnitRoute, done, page

router = APIRouter(dependencies=[RequestUnit], route_class=UnitRoute)  # one session per request
DutyId = Annotated[int, Path(ge=1, le=2**31 - 1)]
PlanId = Annotated[int | None, Query(ge=1, le=2**31 - 1)]


@router.get("/duties", include_in_schema=False)
@router.get("/api/duties")
def duty_list(
    request: Request,
    reg: CurrentRegister,
    plan: PlanId = None,
    number: Annotated[int, Query(alias="page", ge=1, le=100_000)] = 1,
) -> Response:
    return page(request, "duties.html", duties.duties_ctx(reg, plan, number), reg.user)


@router.get("/duties/{duty_id}", include_in_schema=False)
@router.get("/api/duties/{duty_id}")
def duty(request: Request, reg: CurrentRegister, duty_id: DutyId) -> Response:
    return page(request, "duty.html", duties.duty_ctx(reg, duty_id), reg.user)


@router.post("/duties/{duty_id}", include_in_schema=False)
@router.post("/api/duties/{duty_id}")
def duty_edit(request: Request, reg: CurrentRegister, data: Payload, duty_id: DutyId) -> Response:
    result = duties.edit_duty(reg, duty_id, data)
    return done(request, result, f"/duties/{duty_id}?saved=1")
