"""Evidence files: a task's files listed and downloaded, by those who may see the task."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, Response

from .. import files
from ..deps import CurrentRegister, Id, RequestUnit, UnitRoute

router = APIRouter(dependencies=[RequestUnit], route_class=UnitRoute)  # one session per request


@router.get("/files/{file_id}", include_in_schema=False)
@router.get("/api/files/{file_id}")
async def download(request: Request, reg: CurrentRegister, file_id: Id) -> Response:
    return await run_in_threadpool(files.download, reg, files.store(request), file_id)


@router.get("/api/tasks/{task_id}/files")
async def task_files(request: Request, reg: CurrentRegister, task_id: Id) -> Response:
    return JSONResponse({"files": await run_in_threadpool(files.task_files, reg, task_id)})
