"""A department's work: my tasks, a task, its updates, extensions, conditions and comments,
indicator values and reports sent."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response

from ...vn import Period
from .. import accounts, files, views
from ..deps import (
    CurrentRegister,
    CurrentUnit,
    Id,
    Payload,
    RequestUnit,
    UnitRoute,
    check_csrf,
    done,
    ended,
    local,
    page,
    page_number,
    payload,
)

CSRF_MESSAGE = "phiên làm việc đã hết hạn hoặc biểu mẫu không hợp lệ: tải lại trang"

router = APIRouter(dependencies=[RequestUnit], route_class=UnitRoute)  # one session per request


@router.get("/tasks/mine", include_in_schema=False)
@router.get("/api/tasks/mine")
def my_tasks(request: Request, reg: CurrentRegister) -> Response:
    q = request.query_params
    ctx = views.my_tasks_ctx(
        reg, role=q.get("role") or "lead", page=page_number(request), status=q.get("status") or None
    )
    here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return page(request, "my_tasks.html", ctx | {"periods": period_choices(reg.as_of), "here": here}, reg.user)


def period_choices(as_of: date) -> list[str]:
    """The periods offered when a department enters an indicator's value: the ones it reports now."""
    q = (as_of.month - 1) // 3 + 1
    previous = Period(as_of.year, "Q", q - 1) if q > 1 else Period(as_of.year - 1, "Q", 4)
    chosen = [Period(as_of.year, "Q", q), previous, Period(as_of.year, "H1"), Period(as_of.year, "9M")]
    return [p.label for p in [*chosen, Period(as_of.year), Period(as_of.year - 1)]]


@router.get("/tasks/{task_id}", include_in_schema=False)
@router.get("/api/tasks/{task_id}")
def task(request: Request, reg: CurrentRegister, task_id: Id) -> Response:
    ctx = views.task_ctx(reg, task_id, whole=request.query_params.get("history") == "all")
    ctx["files"] = reg.db.evidence(task_id)  # the task is visible: task_ctx checked
    actors = [u["actor"] for u in ctx["task"]["updates"]] + [f["actor"] for f in ctx["files"]]
    ctx["people"] = accounts.display_names(reg.db, actors)
    ctx["max_mb"] = request.app.state.settings.max_upload_mb
    return page(request, "task.html", ctx, reg.user)


@router.post("/tasks/{task_id}/update", include_in_schema=False)
@router.post("/api/tasks/{task_id}/update")
async def task_update(request: Request, unit: CurrentUnit, reg: CurrentRegister, task_id: Id) -> Response:
    """A progress update: a JSON or plain form, or a multipart form with the output file
    (`product_file`) and attachments (`attachments`), received as they arrive."""
    if not request.headers.get("content-type", "").startswith("multipart/form-data"):
        data = await payload(request)
        data.pop("product_file", None)  # a file's name is set only by a file received with it
        result = await run_in_threadpool(ended, views.update_task, reg, task_id, data) | {"files": []}
        return done(request, result, local(data.get("next")) or f"/tasks/{task_id}")
    if request.headers.get("x-csrf-token"):  # before a byte of the files is read
        check_csrf(request, request.headers["x-csrf-token"], CSRF_MESSAGE)
    await run_in_threadpool(unit.release)  # no connection held while the files arrive
    store = files.store(request)
    async with files.receive(request, store, files.upload_limit(request), files.MAX_FILES) as form:
        check_csrf(request, request.headers.get("x-csrf-token") or form.fields.get("csrf_token"), CSRF_MESSAGE)
        result = await run_in_threadpool(ended, files.update_task, reg, store, task_id, form)
    return done(request, result, local(form.fields.get("next")) or f"/tasks/{task_id}")


@router.post("/tasks/{task_id}/extensions", include_in_schema=False)
@router.post("/api/tasks/{task_id}/extensions")
def task_extension(request: Request, reg: CurrentRegister, data: Payload, task_id: Id) -> Response:
    return done(request, views.extend_task(reg, task_id, data), f"/tasks/{task_id}")


@router.post("/tasks/{task_id}/condition", include_in_schema=False)
@router.post("/api/tasks/{task_id}/condition")
def task_condition(request: Request, reg: CurrentRegister, data: Payload, task_id: Id) -> Response:
    return done(request, views.mark_condition(reg, task_id, data), f"/tasks/{task_id}")


@router.post("/tasks/{task_id}/comments", include_in_schema=False)
@router.post("/api/tasks/{task_id}/comments")
def task_comment(request: Request, reg: CurrentRegister, data: Payload, task_id: Id) -> Response:
    result = views.add_comment(reg, task_id, str(data.get("text", "")))
    return done(request, result, f"/tasks/{task_id}#comments")


@router.post("/indicators/{indicator_id}/values", include_in_schema=False)
@router.post("/api/indicators/{indicator_id}/values")
def indicator_value(request: Request, reg: CurrentRegister, data: Payload, indicator_id: Id) -> Response:
    result = views.record_value(reg, indicator_id, data)
    return done(request, result, local(data.get("next")) or f"/plans/{result['plan_id']}")


@router.post("/duties/{duty_id}/submissions", include_in_schema=False)
@router.post("/api/duties/{duty_id}/submissions")
def report_submitted(request: Request, reg: CurrentRegister, data: Payload, duty_id: Id) -> Response:
    result = views.submit_report(reg, duty_id, data)
    return done(request, result, local(data.get("next")) or "/tasks/mine")
