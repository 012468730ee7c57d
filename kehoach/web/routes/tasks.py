"""A department's work: my tasks, a task, its updates, extensions, conditions and comments,
indicator values and reports sent."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from .. import views
from ..deps import CurrentRegister, Payload, done, local, page

router = APIRouter()


@router.get("/tasks/mine", include_in_schema=False)
@router.get("/api/tasks/mine")
def my_tasks(request: Request, reg: CurrentRegister) -> Response:
    return page(request, "my_tasks.html", views.my_tasks_ctx(reg), reg.user)


@router.get("/tasks/{task_id}", include_in_schema=False)
@router.get("/api/tasks/{task_id}")
def task(request: Request, reg: CurrentRegister, task_id: int) -> Response:
    return page(request, "task.html", views.task_ctx(reg, task_id), reg.user)


@router.post("/tasks/{task_id}/update", include_in_schema=False)
@router.post("/api/tasks/{task_id}/update")
async def task_update(request: Request, reg: CurrentRegister, data: Payload, task_id: int) -> Response:
    result = views.update_task(reg, task_id, data)
    return done(request, result, local(data.get("next")) or f"/tasks/{task_id}")


@router.post("/tasks/{task_id}/extensions", include_in_schema=False)
@router.post("/api/tasks/{task_id}/extensions")
async def task_extension(request: Request, reg: CurrentRegister, data: Payload, task_id: int) -> Response:
    return done(request, views.extend_task(reg, task_id, data), f"/tasks/{task_id}")


@router.post("/tasks/{task_id}/condition", include_in_schema=False)
@router.post("/api/tasks/{task_id}/condition")
async def task_condition(request: Request, reg: CurrentRegister, data: Payload, task_id: int) -> Response:
    return done(request, views.mark_condition(reg, task_id, data), f"/tasks/{task_id}")


@router.post("/tasks/{task_id}/comments", include_in_schema=False)
@router.post("/api/tasks/{task_id}/comments")
async def task_comment(request: Request, reg: CurrentRegister, data: Payload, task_id: int) -> Response:
    result = views.add_comment(reg, task_id, str(data.get("text", "")))
    return done(request, result, f"/tasks/{task_id}#comments")


@router.post("/indicators/{indicator_id}/values", include_in_schema=False)
@router.post("/api/indicators/{indicator_id}/values")
async def indicator_value(request: Request, reg: CurrentRegister, data: Payload, indicator_id: int) -> Response:
    result = views.record_value(reg, indicator_id, data)
    return done(request, result, local(data.get("next")) or f"/plans/{result['plan_id']}")


@router.post("/duties/{duty_id}/submissions", include_in_schema=False)
@router.post("/api/duties/{duty_id}/submissions")
async def report_submitted(request: Request, reg: CurrentRegister, data: Payload, duty_id: int) -> Response:
    result = views.submit_report(reg, duty_id, data)
    return done(request, result, local(data.get("next")) or "/tasks/mine")
