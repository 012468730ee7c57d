"""The plans: the list, one plan, its plan/v1 export and its synthesis report."""

from __future__ import annotations

import tempfile
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response

from ...track import ValidationError
from ...vn import Period
from .. import views
from ..deps import CurrentRegister, database, page

router = APIRouter()

REPORT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}


@router.get("/plans", include_in_schema=False)
@router.get("/api/plans")
def plans(request: Request, reg: CurrentRegister) -> Response:
    province, number = request.query_params.get("province"), request.query_params.get("page") or "1"
    if not number.isdigit():
        raise ValidationError("page", number, "số trang là một số nguyên dương")
    ctx = views.plans_ctx(reg, province or None, int(number))
    return page(request, "plans.html", ctx, reg.user)


@router.get("/plans/{plan_id}", include_in_schema=False)
@router.get("/api/plans/{plan_id}")
def plan(request: Request, reg: CurrentRegister, plan_id: int) -> Response:
    return page(request, "plan.html", views.plan_ctx(reg, plan_id), reg.user)


@router.get("/plans/{plan_id}/export.json", include_in_schema=False)
@router.get("/api/plans/{plan_id}/export")
def export(reg: CurrentRegister, plan_id: int) -> Response:
    data = views.export_plan(reg, plan_id)
    return JSONResponse(data, headers={"Content-Disposition": f'attachment; filename="plan-{plan_id}.json"'})


@router.get("/plans/{plan_id}/report", include_in_schema=False)
@router.get("/api/plans/{plan_id}/report")
def report(request: Request, reg: CurrentRegister, plan_id: int, period: str, format: str = "docx") -> Response:
    """The synthesis report for a period (Decree 30 DOCX, XLSX or PDF), as a download."""
    reg.plan(plan_id)  # the plan must be the user's province's
    if format not in REPORT_TYPES:
        raise ValidationError("format", format, "chọn docx, xlsx hoặc pdf")
    try:
        code = Period.parse(period, year=reg.as_of.year).code  # `Quý 3/2026`, `6 tháng cuối năm`…
    except ValueError as e:
        raise ValidationError("period", period, str(e)) from None
    from ...report.build import make_report

    with tempfile.TemporaryDirectory() as tmp:
        name = f"bao-cao-{plan_id}-{code}.{format}"
        data = make_report(database(request), plan_id, code, Path(tmp) / name, fmt=format).read_bytes()
    disposition = f'attachment; filename="{name}"'
    return Response(data, media_type=REPORT_TYPES[format], headers={"Content-Disposition": disposition})
