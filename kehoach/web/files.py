"""Files sent to the web application: read from the request as they arrive, kept outside the database.

`receive()` parses a multipart form itself, a chunk at a time: each file goes straight into a
temporary file of the files folder, counted (refused with 413 as soon as it passes its limit,
whatever the request claims) and hashed; the other fields are small strings. Nothing of a file
is held in memory and nothing is kept unless the route keeps it.

Evidence: a progress update with its files (a task's output, attachments) is recorded in one
transaction after the files are in place; a file is downloaded only by those who may see its
task, always as an attachment (never shown inline by the browser).
"""

from __future__ import annotations

import copy
import unicodedata
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi import Request
from fastapi.responses import FileResponse, Response
from python_multipart.exceptions import MultipartParseError
from python_multipart.multipart import MultipartParser, parse_options_header

from ..store import files as evidence
from ..store.files import Blob, BlobWriter, FileStore, TooLargeError, clean_name
from ..track import NotFoundError, ValidationError
from . import views
from .accounts import ForbiddenError
from .jobs import Limits, Runner
from .limits import UPLOAD_SLACK, BodyTooLarge, limit_body, without_nul

MAX_FIELDS = 50
MAX_FIELD_BYTES = 64 * 2**10
MAX_FILES = 10  # files in one progress update


# --- the application's files folder and job runner --------------------------------------------


def store(request: Request) -> FileStore:
    """The files folder of this application (the `files_dir` setting)."""
    state = request.app.state
    if getattr(state, "files", None) is None:
        state.files = FileStore(state.settings.files_dir)
    return state.files


def runner(request: Request) -> Runner:
    """This process's runner of upload jobs (limits: `extract_timeout`, `extract_memory_mb`)."""
    state = request.app.state
    if getattr(state, "jobs", None) is None:
        limits = Limits(state.settings.extract_timeout, state.settings.extract_memory_mb)
        state.jobs = Runner(state.db, store(request), limits)
    return state.jobs


def upload_limit(request: Request) -> int:
    return int(request.app.state.settings.max_upload_mb) * 2**20


# --- reading a multipart form as it arrives ---------------------------------------------------


@dataclass
class Received:
    """A form's fields and its files (each a field name and a writer holding a temporary file)."""

    fields: dict[str, str] = field(default_factory=dict)
    files: list[tuple[str, BlobWriter]] = field(default_factory=list)


@dataclass
class _Part:
    headers: dict[bytes, bytes] = field(default_factory=dict)
    name: str = ""
    data: bytearray | None = None
    writer: BlobWriter | None = None


class _Form:
    """python-multipart's callbacks: fields into strings, files into the store's temporary files."""

    def __init__(self, files: FileStore, limit: int, max_files: int, out: Received) -> None:
        self.files, self.limit, self.max_files, self.out = files, limit, max_files, out
        self.part = _Part()
        self._field, self._value = b"", b""
        self.fields = 0
        self.ended = False  # the closing boundary seen: a body cut short never reaches it

    def callbacks(self) -> dict[str, Any]:
        return {
            "on_part_begin": self.begin,
            "on_header_field": lambda d, s, e: setattr(self, "_field", self._field + d[s:e]),
            "on_header_value": lambda d, s, e: setattr(self, "_value", self._value + d[s:e]),
            "on_header_end": self.header_end,
            "on_headers_finished": self.headers_done,
            "on_part_data": self.data,
            "on_part_end": self.end,
            "on_end": lambda: setattr(self, "ended", True),
        }

    def begin(self) -> None:
        self.part = _Part()

    def header_end(self) -> None:
        self.part.headers[self._field.lower()] = self._value
        self._field, self._value = b"", b""

    def headers_done(self) -> None:
        _, options = parse_options_header(self.part.headers.get(b"content-disposition", b""))
        self.part.name = options.get(b"name", b"").decode("utf-8", "replace")
        if b"filename" not in options:
            self.fields += 1
            if self.fields > MAX_FIELDS:
                raise ValidationError("form", self.fields, f"biểu mẫu có quá {MAX_FIELDS} trường")
            self.part.data = bytearray()
            return
        name = options[b"filename"].decode("utf-8", "replace")
        if not name:
            return  # a file input left empty: browsers send it with no name and no bytes
        if len(self.out.files) >= self.max_files:
            raise ValidationError("file", name, f"gửi tối đa {self.max_files} tệp mỗi lần")
        self.part.writer = BlobWriter(self.files, clean_name(name), self.limit)
        self.out.files.append((self.part.name, self.part.writer))

    def data(self, data: bytes, start: int, end: int) -> None:
        if self.part.writer is not None:
            self.part.writer.write(data[start:end])
        elif self.part.data is not None:
            self.part.data += data[start:end]
            if len(self.part.data) > MAX_FIELD_BYTES:
                raise ValidationError(self.part.name, None, f"trường dài hơn {MAX_FIELD_BYTES // 1024} KB")

    def end(self) -> None:
        if self.part.data is not None:
            self.out.fields[self.part.name] = self.part.data.decode("utf-8", "replace")


@asynccontextmanager
async def receive(request: Request, files: FileStore, limit: int, max_files: int = 1) -> AsyncIterator[Received]:
    """The request's multipart form, files received into temporary files (removed at the end of
    the block unless kept with `files.keep`). Each file is refused past `limit` bytes, the
    request past what its files and fields may add up to."""
    ctype = request.headers.get("content-type", "")
    _, params = parse_options_header(ctype)
    if not ctype.startswith("multipart/form-data") or b"boundary" not in params:
        raise ValidationError("file", None, "gửi tệp bằng biểu mẫu tải tệp lên (multipart/form-data)")
    limit_body(request, max_files * limit + UPLOAD_SLACK, "file", "các tệp tải lên")
    out = Received()
    form = _Form(files, limit, max_files, out)
    try:
        parser = MultipartParser(params[b"boundary"], form.callbacks())
        async for chunk in request.stream():
            parser.write(chunk)
        parser.finalize()
        if not form.ended:
            raise ValidationError("file", None, "tệp tải lên bị cắt ngang (kết nối bị ngắt?): tải lên lại")
        without_nul(out.fields)
        yield out
    except BodyTooLarge:
        raise  # the request's own budget (limits.py) said it first, with the size it declared
    except TooLargeError as e:
        raise BodyTooLarge("file", f"tệp {e.value}", limit, None) from None
    except MultipartParseError:  # a part's headers too long, a broken boundary: the client's doing
        raise ValidationError("file", None, "biểu mẫu tải tệp lên sai dạng (tên tệp quá dài?): chọn lại tệp") from None
    finally:
        for _, writer in out.files:
            writer.discard()


# --- evidence -------------------------------------------------------------------------------------

ROLE_OF_FIELD = {"product_file": "output", "attachments": "attachment", "files": "attachment"}


def update_task(reg: views.Register, files: FileStore, task_id: int, form: Received) -> dict:
    """A progress update with its files: the output (`product_file`) and attachments (`attachments`).

    Who may update is checked before any file is kept; the files are then kept and the update
    and its files recorded in one transaction (all or nothing)."""
    t = reg.task(task_id)
    if not reg.may_update(t):
        raise ForbiddenError(f"nhiệm vụ {task_id} không do {reg.user.agency or reg.user.role_vi} chủ trì")
    roles = []
    for name, writer in form.files:
        if name not in ROLE_OF_FIELD:
            raise ValidationError(name, writer.name, "trường tệp không dùng ở đây: product_file hoặc attachments")
        roles.append(ROLE_OF_FIELD[name])
    if roles.count("output") > 1:
        raise ValidationError("product_file", None, "mỗi lần cập nhật chỉ một tệp sản phẩm")
    kept: list[tuple[Blob, str]] = [(files.keep(w), role) for (_, w), role in zip(form.files, roles, strict=True)]
    fields = {k: v for k, v in form.fields.items() if k not in ("product_file", "csrf_token")}
    output = next((b for b, role in kept if role == "output"), None)
    if output is not None:
        fields["product_file"] = output.name

    def record(tx: Any) -> dict:
        return views.update_task(_within(reg, tx), task_id, fields)

    return evidence.update_with_files(reg.db, task_id, record, kept, reg.user.username)


def _within(reg: views.Register, tx: Any) -> views.Register:
    """The same user's view of the register, through a transaction."""
    view = copy.copy(reg)
    view.db = tx
    return view


def task_files(reg: views.Register, task_id: int) -> list[dict]:
    """A task's files, for those who may see the task."""
    reg.task(task_id)
    return reg.db.evidence(task_id)


def download(reg: views.Register, files: FileStore, file_id: int) -> Response:
    """A file, to those who may see its task; always as an attachment under the name it came with."""
    try:  # another province's file answers as a missing one: neither it nor its task is told
        meta = reg.db.evidence_file(file_id)
        reg.task(meta["task_id"])
    except NotFoundError:
        raise NotFoundError(f"không có tệp minh chứng id {file_id}") from None
    path: Path = files.path(meta["sha256"])
    if not path.is_file():
        raise NotFoundError(
            f"tệp {meta['name']} không còn trong thư mục lưu tệp của máy chủ: đề nghị liên hệ quản trị hệ thống"
        )
    return FileResponse(
        path,
        media_type=meta["media_type"],
        headers={
            "Content-Disposition": disposition(meta["name"]),
            "Content-Security-Policy": "sandbox; default-src 'none'",
            "Cache-Control": "private, no-cache",
        },
    )


def disposition(name: str) -> str:
    """`attachment` with the name in ASCII (for old clients) and in UTF-8 (RFC 6266)."""
    plain = unicodedata.normalize("NFKD", name.replace("đ", "d").replace("Đ", "D"))
    ascii_name = "".join(c for c in plain if 32 <= ord(c) < 127 and c not in '"\\;') or "tep"
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name, safe='')}"
