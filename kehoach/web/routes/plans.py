"""The plans: the list, one plan, its plan/v1 export and its synthesis report."""

from __future__ import annotations

import tempfile
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response

from ...track import ValidationError
from ...vn import Period
from .. import views
from ..deps import CurrentRegister, Id, RequestUnit, UnitRoute, database, page, page_number

router = APIRouter(dependencies=[RequestUnit], route_class=UnitRoute)  # one session per request

REPORT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}


@router.get("/plans", include_in_schema=False)
@router.get("/api/plans")
def plans(request: Request, reg: CurrentRegister) -> Response:
    ctx = views.plans_ctx(reg, request.query_params.get("province") or None, page_number(request))
    return page(request, "plans.html", ctx, reg.user)


@router.get("/plans/{plan_id}", include_in_schema=False)
@router.get("/api/plans/{plan_id}")
def plan(request: Request, reg: CurrentRegister, plan_id: Id) -> Response:
    return page(request, "plan.html", views.plan_ctx(reg, plan_id), reg.user)


@router.get("/plans/{plan_id}/export.json", include_in_schema=False)
@router.get("/api/plans/{plan_id}/export")
def export(reg: CurrentRegister, plan_id: Id) -> Response:
    data = views.export_plan(reg, plan_id)
    return JSONResponse(data, headers={"Content-Disposition": f'attachment; filename="plan-{plan_id}.json"'})


@router.get("/plans/{plan_id}/report", include_in_schema=False)
@router.get("/api/plans/{plan_id}/report")
def report(request: Request, reg: CurrentRegister, plan_id: Id) -> Response:
    """The synthesis report's form (every field filled with its default), or with `period` and
    `format` the report itself (Decree 30 DOCX, XLSX or PDF) as a download."""
    from ...report import build

    plan = reg.plan(plan_id)  # the plan must be the user's province's
    fields = {k: v for k, v in request.query_params.items() if k != "as_of"}
    province = reg.user.province or plan.get("province") or None
    if "period" not in fields or "form" in fields:
        ctx = build.report_form(reg.db, plan_id, on=reg.as_of, province=province, period=fields.get("period"))
        ctx |= {k: v for k, v in fields.items() if k in (*build.FORM_FIELDS, *build.FORM_LISTS, "filing") and v}
        return page(request, "report.html", ctx | {"formats": list(REPORT_TYPES)}, reg.user)
    period, format = fields["period"], fields.get("format") or "docx"
    if format not in REPORT_TYPES:
        raise ValidationError("format", format, "chọn docx, xlsx hoặc pdf")
    try:
        code = Period.parse(period).code
    except ValueError as e:
        raise ValidationError("period", period, str(e)) from None
    options = build.options_from_fields(fields, province=province)
    options.report_date = options.report_date or reg.as_of
    with tempfile.TemporaryDirectory() as tmp:
        name = f"bao-cao-{plan_id}-{code}.{format}"
        data = build.make_report(database(request), plan_id, code, Path(tmp) / name, fmt=format, options=options)
        content = data.read_bytes()
    disposition = f'attachment; filename="{name}"'
    return Response(content, media_type=REPORT_TYPES[format], headers={"Content-Disposition": disposition})
