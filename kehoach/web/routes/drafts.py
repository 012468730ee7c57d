"""Uploading a plan document and reviewing its extraction before it is published."""

from __future__ import annotations

from pathlib import PureWindowsPath
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, Response

from ...track import ValidationError
from .. import review
from ..accounts import Principal
from ..deps import CurrentUser, Payload, check_csrf, database, done, is_api, page, settings

router = APIRouter()
Reason = Annotated[str | None, Query(max_length=40, pattern=r"^[a-z_]+$")]


def upload_name(filename: str) -> str:
    """An uploaded file's name without any folder (either slash) and at most 200 characters."""
    name = PureWindowsPath(filename).name.strip() or "tep-tai-len"
    if len(name) > 200:
        stem, dot, ext = name.rpartition(".")
        name = stem[: 190 - len(ext)] + dot + ext[:10] if dot else name[:200]
    return name


@router.get("/upload", include_in_schema=False)
def upload_page(request: Request, user: CurrentUser) -> Response:
    user.require("admin", "office")
    return page(request, "upload.html", {"max_mb": settings(request).max_upload_mb}, user)


@router.post("/upload", include_in_schema=False)
@router.post("/api/drafts")
async def upload(request: Request, user: CurrentUser) -> Response:
    user.require("admin", "office")
    limit = settings(request).max_upload_mb
    async with request.form(max_part_size=limit * 2**20) as form:
        sent = request.headers.get("x-csrf-token") or form.get("csrf_token")
        check_csrf(request, sent, "biểu mẫu đã hết hạn: tải lại trang rồi tải tệp lên lại")
        f = form.get("file")
        if f is None or isinstance(f, str) or not f.filename:
            raise ValidationError("file", None, "chọn một tệp DOCX, PDF hoặc TXT")
        name, data = upload_name(f.filename), await f.read()
    if len(data) > limit * 2**20:
        raise ValidationError("file", name, f"tệp lớn hơn {limit} MB")
    d = review.create(database(request), user, name, data)
    return done(request, d, f"/drafts/{d['id']}")


@router.get("/drafts", include_in_schema=False)
@router.get("/api/drafts")
def drafts(request: Request, user: CurrentUser) -> Response:
    return page(request, "drafts.html", review.drafts(database(request), user), user)


@router.get("/drafts/{draft_id}", include_in_schema=False)
@router.get("/api/drafts/{draft_id}")
def draft(request: Request, user: CurrentUser, draft_id: int, reason: Reason = None) -> Response:
    """The draft beside its source; `reason`: only the items that need a person for it (`all`: any)."""
    d = review.get(database(request), user, draft_id)
    if reason and reason != "all" and reason not in d.get("queue", {}).get("counts", {}):
        reason = None  # nothing left for that reason: every task
    return page(request, "draft.html", {"draft": d, "reason": reason}, user)


def draft_done(request: Request, user: Principal, d: dict, index: int | None) -> Response:
    """After an edit: the task's fragment for htmx, else JSON or a redirect to it."""
    if index is not None and request.headers.get("hx-request") and not is_api(request):
        return page(request, "_draft_task.html", {"draft": d, "i": index, "t": d["plan"]["tasks"][index]}, user)
    return done(request, d, f"/drafts/{d['id']}" + (f"#t{index}" if index is not None else ""))


@router.post("/drafts/{draft_id}/document", include_in_schema=False)
@router.post("/api/drafts/{draft_id}/document")
async def draft_document(request: Request, user: CurrentUser, data: Payload, draft_id: int) -> Response:
    d = review.edit_document(database(request), user, draft_id, data)
    return draft_done(request, user, d, None)


@router.post("/drafts/{draft_id}/tasks/{index}", include_in_schema=False)
@router.post("/api/drafts/{draft_id}/tasks/{index}")
async def draft_task(request: Request, user: CurrentUser, data: Payload, draft_id: int, index: int) -> Response:
    d = review.edit_task(database(request), user, draft_id, index, data)
    return draft_done(request, user, d, index)


@router.post("/drafts/{draft_id}/indicators/{index}", include_in_schema=False)
@router.post("/api/drafts/{draft_id}/indicators/{index}")
async def draft_indicator(request: Request, user: CurrentUser, data: Payload, draft_id: int, index: int) -> Response:
    d = review.edit_indicator(database(request), user, draft_id, index, data)
    return done(request, d, f"/drafts/{draft_id}#i{index}")


@router.post("/drafts/{draft_id}/tasks/{index}/merge", include_in_schema=False)
@router.post("/api/drafts/{draft_id}/tasks/{index}/merge")
async def draft_merge(request: Request, user: CurrentUser, data: Payload, draft_id: int, index: int) -> Response:
    d = review.merge_tasks(database(request), user, draft_id, index, data.get("version"))
    return done(request, d, f"/drafts/{draft_id}#t{index}")


@router.post("/drafts/{draft_id}/tasks/{index}/split", include_in_schema=False)
@router.post("/api/drafts/{draft_id}/tasks/{index}/split")
async def draft_split(request: Request, user: CurrentUser, data: Payload, draft_id: int, index: int) -> Response:
    d = review.split_task(database(request), user, draft_id, index, data.get("parts"), data.get("version"))
    return done(request, d, f"/drafts/{draft_id}#t{index}")


@router.post("/drafts/{draft_id}/tasks/{index}/delete", include_in_schema=False)
@router.post("/api/drafts/{draft_id}/tasks/{index}/delete")
async def draft_delete(request: Request, user: CurrentUser, data: Payload, draft_id: int, index: int) -> Response:
    d = review.delete_task(database(request), user, draft_id, index, data.get("version"))
    return done(request, d, f"/drafts/{draft_id}")


@router.post("/drafts/{draft_id}/{kind}/{index}/seen", include_in_schema=False)
@router.post("/api/drafts/{draft_id}/{kind}/{index}/seen")
async def draft_seen(
    request: Request, user: CurrentUser, data: Payload, draft_id: int, kind: str, index: int
) -> Response:
    """A person looked at an item (`tasks`, `indicators`, `reporting`) and keeps it as it is."""
    d = review.mark_seen(database(request), user, draft_id, kind, index, data.get("version"))
    if kind == "tasks":
        return draft_done(request, user, d, index)
    return done(request, d, f"/drafts/{draft_id}#{'i' if kind == 'indicators' else 'd'}{index}")


@router.post("/drafts/{draft_id}/publish", include_in_schema=False)
@router.post("/api/drafts/{draft_id}/publish")
async def draft_publish(request: Request, user: CurrentUser, data: Payload, draft_id: int) -> Response:
    """Publish; while items still need a person, only with `confirm: true` (the form's checkbox)."""
    result = review.publish(database(request), user, draft_id, data.get("version"), data.get("confirm"))
    return done(request, result, f"/plans/{result['id']}")


@router.get("/drafts/{draft_id}/corrections.json", include_in_schema=False)
@router.get("/api/drafts/{draft_id}/corrections")
def draft_corrections(request: Request, user: CurrentUser, draft_id: int) -> Response:
    return JSONResponse(review.corrections(database(request), user, draft_id))


@router.get("/api/corrections")
def all_corrections(request: Request, user: CurrentUser) -> Response:
    return JSONResponse(review.corrections(database(request), user))
