"""Uploading a plan document and reviewing its extraction before it is published."""

from __future__ import annotations

import asyncio
import time
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, RedirectResponse, Response

from ...track import ValidationError
from .. import files, jobs, review
from ..accounts import Principal
from ..deps import CurrentUser, Id, Index, Payload, check_csrf, database, done, is_api, page, settings

router = APIRouter()
Reason = Annotated[str | None, Query(max_length=40, pattern=r"^[a-z_]+$")]


@router.get("/upload", include_in_schema=False)
def upload_page(request: Request, user: CurrentUser) -> Response:
    user.require("admin", "office")
    return page(request, "upload.html", {"max_mb": settings(request).max_upload_mb}, user)


# --- upload (answered at once; the file is read in a worker process: see web/jobs.py) ---------


@router.post("/upload", include_in_schema=False)
@router.post("/api/drafts")
async def upload(request: Request, user: CurrentUser, wait: bool = False) -> Response:
    """Keep the file and queue its extraction; answer at once with the draft `đang xử lý`
    (`?wait=true`: answer when the extraction has ended, with the draft or why it failed)."""
    user.require("admin", "office")
    if request.headers.get("x-csrf-token"):  # before a byte of the file is read
        check_csrf(request, request.headers["x-csrf-token"], "biểu mẫu đã hết hạn: tải lại trang rồi tải tệp lên lại")
    async with files.receive(request, files.store(request), files.upload_limit(request)) as form:
        sent = request.headers.get("x-csrf-token") or form.fields.get("csrf_token")
        check_csrf(request, sent, "biểu mẫu đã hết hạn: tải lại trang rồi tải tệp lên lại")
        chosen = [w for field, w in form.files if field == "file"]
        if not chosen:
            raise ValidationError("file", None, "chọn một tệp DOCX, PDF hoặc TXT")
        job = await run_in_threadpool(files.runner(request).submit, user, chosen[0])
    draft_id = job["draft_id"]
    if wait:
        return await _when_done(request, user, draft_id)
    if is_api(request):
        status = await run_in_threadpool(jobs.progress, database(request), user, draft_id)
        return JSONResponse(status | {"id": draft_id}, status_code=202, headers={"Location": f"/api/drafts/{draft_id}"})
    return RedirectResponse(f"/drafts/{draft_id}", status_code=303)


async def _when_done(request: Request, user: Principal, draft_id: int) -> Response:
    """The draft once its extraction ended (the event loop is free meanwhile), or its job's failure."""
    runner = files.runner(request)
    deadline = time.monotonic() + runner.limits.timeout + 60
    while time.monotonic() < deadline:
        status = await run_in_threadpool(jobs.progress, database(request), user, draft_id, runner)
        if status["state"] == "failed":
            raise jobs.JobFailed(status["name"], status["message"])
        if status["state"] == "done":
            d = await run_in_threadpool(review.get, database(request), user, draft_id)
            return done(request, d, f"/drafts/{draft_id}")
        await asyncio.sleep(0.2)
    return RedirectResponse(f"/drafts/{draft_id}", status_code=303)


@router.get("/drafts/{draft_id}/progress", include_in_schema=False)
@router.get("/api/drafts/{draft_id}/progress")
async def draft_progress(request: Request, user: CurrentUser, draft_id: Id) -> Response:
    """Where the draft's extraction stands (polled by its page every second until it ends)."""
    status = await run_in_threadpool(jobs.progress, database(request), user, draft_id, files.runner(request))
    if is_api(request):
        return JSONResponse(status)
    if status["state"] == "done" and request.headers.get("hx-request"):
        return Response(status_code=204, headers={"HX-Refresh": "true"})  # the page shows the draft now
    return page(request, "_progress.html", {"p": status}, user)


@router.get("/drafts", include_in_schema=False)
@router.get("/api/drafts")
def drafts(request: Request, user: CurrentUser) -> Response:
    return page(request, "drafts.html", review.drafts(database(request), user), user)


@router.get("/drafts/{draft_id}", include_in_schema=False)
@router.get("/api/drafts/{draft_id}")
def draft(request: Request, user: CurrentUser, draft_id: Id, reason: Reason = None) -> Response:
    """The draft beside its source; `reason`: only the items that need a person for it (`all`: any)."""
    d = review.get(database(request), user, draft_id)
    q = d.get("queue") or {}
    if reason and reason != "all" and reason not in {**q.get("counts", {}), **q.get("notes", {})}:
        reason = None  # nothing left for that reason: every task
    return page(request, "draft.html", {"draft": d, "reason": reason}, user)


def draft_done(request: Request, user: Principal, d: dict, index: int | None) -> Response:
    """After an edit: the task's fragment for htmx, else JSON or a redirect to it."""
    if index is not None and request.headers.get("hx-request") and not is_api(request):
        # the task, and out of band the queue and the publish form (their counts and version)
        fragment = {"draft": d, "i": index, "t": d["plan"]["tasks"][index], "oob": True}
        return page(request, "_draft_task.html", fragment, user)
    return done(request, d, f"/drafts/{d['id']}" + (f"#t{index}" if index is not None else ""))


@router.post("/drafts/{draft_id}/document", include_in_schema=False)
@router.post("/api/drafts/{draft_id}/document")
async def draft_document(request: Request, user: CurrentUser, data: Payload, draft_id: Id) -> Response:
    d = review.edit_document(database(request), user, draft_id, data)
    return draft_done(request, user, d, None)


@router.post("/drafts/{draft_id}/tasks/{index}", include_in_schema=False)
@router.post("/api/drafts/{draft_id}/tasks/{index}")
async def draft_task(request: Request, user: CurrentUser, data: Payload, draft_id: Id, index: Index) -> Response:
    d = review.edit_task(database(request), user, draft_id, index, data)
    return draft_done(request, user, d, index)


@router.post("/drafts/{draft_id}/indicators/{index}", include_in_schema=False)
@router.post("/api/drafts/{draft_id}/indicators/{index}")
async def draft_indicator(request: Request, user: CurrentUser, data: Payload, draft_id: Id, index: Index) -> Response:
    d = review.edit_indicator(database(request), user, draft_id, index, data)
    return done(request, d, f"/drafts/{draft_id}#i{index}")


@router.post("/drafts/{draft_id}/tasks/{index}/merge", include_in_schema=False)
@router.post("/api/drafts/{draft_id}/tasks/{index}/merge")
async def draft_merge(request: Request, user: CurrentUser, data: Payload, draft_id: Id, index: Index) -> Response:
    d = review.merge_tasks(database(request), user, draft_id, index, data.get("version"))
    return done(request, d, f"/drafts/{draft_id}#t{index}")


@router.post("/drafts/{draft_id}/tasks/{index}/split", include_in_schema=False)
@router.post("/api/drafts/{draft_id}/tasks/{index}/split")
async def draft_split(request: Request, user: CurrentUser, data: Payload, draft_id: Id, index: Index) -> Response:
    d = review.split_task(database(request), user, draft_id, index, data.get("parts"), data.get("version"))
    return done(request, d, f"/drafts/{draft_id}#t{index}")


@router.post("/drafts/{draft_id}/tasks/{index}/delete", include_in_schema=False)
@router.post("/api/drafts/{draft_id}/tasks/{index}/delete")
async def draft_delete(request: Request, user: CurrentUser, data: Payload, draft_id: Id, index: Index) -> Response:
    d = review.delete_task(database(request), user, draft_id, index, data.get("version"))
    return done(request, d, f"/drafts/{draft_id}")


@router.post("/drafts/{draft_id}/{kind}/{index}/seen", include_in_schema=False)
@router.post("/api/drafts/{draft_id}/{kind}/{index}/seen")
async def draft_seen(
    request: Request, user: CurrentUser, data: Payload, draft_id: Id, kind: str, index: Index
) -> Response:
    """A person looked at an item (`tasks`, `indicators`, `reporting`) and keeps it as it is."""
    d = review.mark_seen(database(request), user, draft_id, kind, index, data.get("version"))
    if kind == "tasks":
        return draft_done(request, user, d, index)
    return done(request, d, f"/drafts/{draft_id}#{'i' if kind == 'indicators' else 'd'}{index}")


@router.post("/drafts/{draft_id}/publish", include_in_schema=False)
@router.post("/api/drafts/{draft_id}/publish")
async def draft_publish(request: Request, user: CurrentUser, data: Payload, draft_id: Id) -> Response:
    """Publish; while items still need a person, only with `confirm: true` (the form's checkbox)."""
    result = review.publish(database(request), user, draft_id, data.get("version"), data.get("confirm"))
    return done(request, result, f"/plans/{result['id']}")


@router.get("/drafts/{draft_id}/corrections.json", include_in_schema=False)
@router.get("/api/drafts/{draft_id}/corrections")
def draft_corrections(request: Request, user: CurrentUser, draft_id: Id) -> Response:
    return JSONResponse(review.corrections(database(request), user, draft_id))


@router.get("/api/corrections")
def all_corrections(request: Request, user: CurrentUser) -> Response:
    return JSONResponse(review.corrections(database(request), user))
