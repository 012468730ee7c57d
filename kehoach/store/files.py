"""Evidence files: a task's output (sản phẩm đầu ra) and an update's attachments, kept outside the database.

The bytes live in a folder (setting `KEHOACH_FILES_DIR`, default `<data dir>/files`), each file
named by the SHA-256 of its content (`ab/abcdef…`); the table `evidence_files` keeps the hash,
size, type, original name, task, update, who and when. A file is written to a temporary file in
the same folder, flushed and renamed into place before its row is committed: a crash leaves no
half file and no row without its file (at worst a file no row names yet, which the next upload of
the same content reuses).

Kinds are recognised by content (magic bytes and, for Office files, the zip's parts), never by
name: PDF, DOCX, XLSX and PNG/JPEG/WebP/TIFF images. Sizes are counted while the bytes arrive.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import time
import zipfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path, PureWindowsPath
from typing import IO, TYPE_CHECKING, Any

from sqlalchemy import DateTime, ForeignKey, Integer, String, func, select
from sqlalchemy.orm import Mapped, mapped_column

from ..errors import NotFoundError, TooLargeError, ValidationError
from ..settings import load as load_settings
from ._base import Core, _iso, _now
from .schema import Base, ProgressUpdate, Task

if TYPE_CHECKING:
    from . import Database

CHUNK = 1 << 16
MAX_FILE_BYTES = 100 * 2**20  # a file given on the command line (the web has its own, smaller limit)
ROLES = {"output": "sản phẩm", "attachment": "tài liệu kèm theo"}
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@dataclass(frozen=True)
class Kind:
    key: str
    media_type: str
    label: str  # as users name it


KINDS = {
    k.key: k
    for k in (
        Kind("pdf", "application/pdf", "PDF"),
        Kind("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "Word (DOCX)"),
        Kind("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "Excel (XLSX)"),
        Kind("png", "image/png", "ảnh PNG"),
        Kind("jpeg", "image/jpeg", "ảnh JPEG"),
        Kind("webp", "image/webp", "ảnh WebP"),
        Kind("tiff", "image/tiff", "ảnh TIFF"),
    )
}
ACCEPTED = "PDF, Word (DOCX), Excel (XLSX) hoặc ảnh (PNG, JPEG)"


class EvidenceFile(Base):
    """One evidence file of a task: its output, or an attachment of one of its updates."""

    __tablename__ = "evidence_files"
    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id", ondelete="CASCADE"), index=True)
    update_id: Mapped[int | None] = mapped_column(ForeignKey("progress_updates.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(20))  # output | attachment
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    size: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(10))
    media_type: Mapped[str] = mapped_column(String(100))
    name: Mapped[str] = mapped_column(String(400))  # the name it was uploaded under
    actor: Mapped[str] = mapped_column(String(200))
    uploaded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


def default_root() -> Path:
    """The `files_dir` setting (`KEHOACH_FILES_DIR`, else `files` in the data folder)."""
    return load_settings().files_dir


def clean_name(filename: str, fallback: str = "tep-tai-len") -> str:
    """A file's name without any folder (either slash), control characters or more than 200 characters."""
    name = "".join(c for c in PureWindowsPath(filename or "").name if c.isprintable()).strip() or fallback
    if len(name) > 200:
        stem, dot, ext = name.rpartition(".")
        name = stem[: 190 - len(ext[:10])] + dot + ext[:10] if dot else name[:200]
    return name


# --- what a file is -----------------------------------------------------------------------------


def sniff(path: Path, name: str) -> Kind:
    """The evidence kind of the file at `path` from its content; ValidationError naming `name` else."""
    with open(path, "rb") as f:
        head = f.read(16)
    if head.startswith(b"%PDF-"):
        return KINDS["pdf"]
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return KINDS["png"]
    if head.startswith(b"\xff\xd8\xff"):
        return KINDS["jpeg"]
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return KINDS["webp"]
    if head[:4] in (b"II*\x00", b"MM\x00*"):
        return KINDS["tiff"]
    if head.startswith(b"PK\x03\x04"):
        return _office(path, name)
    if head.startswith(_OLE2):
        rule = "tệp Word/Excel đời cũ (.doc, .xls) hoặc có mật khẩu: hãy lưu lại thành .docx, .xlsx hoặc PDF"
    elif not head:
        rule = "tệp rỗng"
    else:
        rule = f"chỉ nhận tệp {ACCEPTED} (nhận biết theo nội dung tệp, không theo tên)"
    raise ValidationError("file", name, rule)


def _office(path: Path, name: str) -> Kind:
    """DOCX or XLSX by the parts the zip holds (its central directory only: nothing is inflated)."""
    try:
        with zipfile.ZipFile(path) as z:
            parts = set(z.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        raise ValidationError("file", name, "tệp nén (zip) bị hỏng: không phải DOCX hoặc XLSX đọc được") from None
    if "word/document.xml" in parts:
        return KINDS["docx"]
    if "xl/workbook.xml" in parts:
        return KINDS["xlsx"]
    raise ValidationError("file", name, f"tệp nén (zip) không phải DOCX hoặc XLSX: chỉ nhận tệp {ACCEPTED}")


# --- the folder -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Blob:
    """A file in the store: its hash, size and kind, and the name it came with."""

    sha256: str
    size: int
    kind: Kind
    name: str


class BlobWriter:
    """Bytes arriving in chunks: counted (refused past `limit`), hashed, and written to a temporary file."""

    def __init__(self, store: FileStore, name: str, limit: int) -> None:
        self.store, self.name, self.limit = store, name, limit
        self.size = 0
        self._hash = hashlib.sha256()
        fd, tmp = tempfile.mkstemp(prefix=".up-", dir=store.tmp)
        self.path = Path(tmp)
        self._file: IO[bytes] = os.fdopen(fd, "wb")

    def write(self, chunk: bytes) -> None:
        self.size += len(chunk)
        if self.size > self.limit:
            raise TooLargeError("file", self.name, f"tệp lớn hơn {self.limit // 2**20} MB")
        self._hash.update(chunk)
        self._file.write(chunk)

    def close(self) -> None:
        """Flush the bytes to disk (the file stays temporary until `store.keep`)."""
        if not self._file.closed:
            self._file.flush()
            os.fsync(self._file.fileno())
            self._file.close()

    def discard(self) -> None:
        with suppress(OSError):
            self._file.close()
        self.path.unlink(missing_ok=True)

    @property
    def sha256(self) -> str:
        return self._hash.hexdigest()


class FileStore:
    """The evidence folder: `ab/<sha256>` per file, temporary files in `tmp/` (the same file system)."""

    def __init__(self, root: str | Path | None = None) -> None:
        self.root = Path(root) if root else default_root()
        self.tmp = self.root / "tmp"
        self.tmp.mkdir(parents=True, exist_ok=True)

    def path(self, sha256: str) -> Path:
        if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
            raise ValueError(f"not a SHA-256: {sha256!r}")
        return self.root / sha256[:2] / sha256

    def has(self, sha256: str) -> bool:
        return self.path(sha256).is_file()

    @contextmanager
    def receiving(self, name: str, limit: int) -> Iterator[BlobWriter]:
        """A writer whose temporary file is removed if the block fails (or never kept)."""
        writer = BlobWriter(self, name, limit)
        try:
            yield writer
        finally:
            writer.discard()  # kept files were moved away already

    def keep(self, writer: BlobWriter) -> Blob:
        """Check the received file's kind and move it into place by its hash (atomically)."""
        try:
            writer.close()
            kind = sniff(writer.path, writer.name)
            blob = Blob(writer.sha256, writer.size, kind, writer.name)
            self._place(writer.path, blob.sha256)
        finally:
            writer.discard()
        return blob

    def _place(self, tmp: Path, sha256: str) -> None:
        final = self.path(sha256)
        if final.is_file() and final.stat().st_size == tmp.stat().st_size:
            return  # the same content is already kept
        final.parent.mkdir(parents=True, exist_ok=True)
        os.replace(tmp, final)
        _fsync_dir(final.parent)

    def put(self, chunks: Iterable[bytes], name: str, limit: int) -> Blob:
        """Keep a file given as chunks of bytes."""
        with self.receiving(name, limit) as w:
            for chunk in chunks:
                w.write(chunk)
            return self.keep(w)

    def put_path(self, src: str | Path, limit: int, name: str | None = None) -> Blob:
        """Keep a copy of a file on disk (the CLI's `--product-file`)."""
        src = Path(src)
        try:
            with open(src, "rb") as f:
                return self.put(iter(lambda: f.read(CHUNK), b""), name or clean_name(src.name), limit)
        except OSError as e:
            raise ValidationError("file", str(src), f"không đọc được tệp ({e.strerror})") from None

    def write_verified(self, sha256: str, chunks: Iterable[bytes]) -> None:
        """Write a file whose hash is known (a restore): refused, and nothing kept, if the bytes differ."""
        self.path(sha256)  # a hash, not a path
        fd, tmp = tempfile.mkstemp(prefix=".restore-", dir=self.tmp)
        h = hashlib.sha256()
        try:
            with os.fdopen(fd, "wb") as f:
                for chunk in chunks:
                    h.update(chunk)
                    f.write(chunk)
                f.flush()
                os.fsync(f.fileno())
            if h.hexdigest() != sha256:
                raise ValueError("nội dung không khớp mã băm SHA-256: tệp sao lưu bị hỏng")
            self._place(Path(tmp), sha256)
        finally:
            Path(tmp).unlink(missing_ok=True)

    def drop_partial(self, older_than: float = 3600) -> int:
        """Remove what a killed process left half-written in `tmp/` (older than `older_than` seconds)."""
        cutoff, dropped = time.time() - older_than, 0
        for p in self.tmp.iterdir():
            with suppress(OSError):
                if p.stat().st_mtime < cutoff:
                    p.unlink()
                    dropped += 1
        return dropped

    def chunks(self, sha256: str, size: int = CHUNK) -> Iterator[bytes]:
        with open(self.path(sha256), "rb") as f:
            yield from iter(lambda: f.read(size), b"")


def _fsync_dir(path: Path) -> None:
    with suppress(OSError):
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


# --- the table ----------------------------------------------------------------------------------


def _dict(e: EvidenceFile) -> dict:
    return {
        "id": e.id,
        "task_id": e.task_id,
        "update_id": e.update_id,
        "role": e.role,
        "role_vi": ROLES.get(e.role, e.role),
        "name": e.name,
        "size": e.size,
        "kind": e.kind,
        "kind_vi": KINDS[e.kind].label if e.kind in KINDS else e.kind,
        "media_type": e.media_type,
        "sha256": e.sha256,
        "actor": e.actor,
        "uploaded_at": _iso(e.uploaded_at),
    }


class EvidenceMixin(Core):
    """The evidence files of tasks (the bytes are in a `FileStore`)."""

    def attach(
        self, task_id: int, blob: Blob, *, actor: str, role: str = "attachment", update_id: int | None = None
    ) -> dict:
        """Record a kept file as a task's output or an update's attachment (audited)."""
        if role not in ROLES:
            raise ValidationError("role", role, "dùng 'output' (sản phẩm) hoặc 'attachment' (tài liệu kèm theo)")
        with self._tx() as s:
            if s.get(Task, task_id) is None:
                raise NotFoundError(f"không có nhiệm vụ id {task_id}")
            if update_id is not None:
                u = s.get(ProgressUpdate, update_id)
                if u is None or u.task_id != task_id:
                    raise NotFoundError(f"không có cập nhật id {update_id} của nhiệm vụ {task_id}")
            e = EvidenceFile(
                task_id=task_id,
                update_id=update_id,
                role=role,
                sha256=blob.sha256,
                size=blob.size,
                kind=blob.kind.key,
                media_type=blob.kind.media_type,
                name=blob.name,
                actor=actor,
                uploaded_at=_now(),
            )
            s.add(e)
            s.flush()
            self._audit(
                s, actor, "attach", "task", task_id, None, {"file": blob.name, "size": blob.size, "role": role}
            )
            return _dict(e)

    def latest_update(self, task_id: int) -> int | None:
        """The id of the task's last progress update (in a transaction: the one it just added)."""
        with self._tx() as s:
            return s.scalar(select(func.max(ProgressUpdate.id)).where(ProgressUpdate.task_id == task_id))

    def evidence(self, task_id: int) -> list[dict]:
        """A task's files, oldest first."""
        with self._tx() as s:
            q = select(EvidenceFile).where(EvidenceFile.task_id == task_id).order_by(EvidenceFile.id)
            return [_dict(e) for e in s.scalars(q)]

    def evidence_file(self, file_id: int) -> dict:
        with self._tx() as s:
            e = s.get(EvidenceFile, file_id)
            if e is None:
                raise NotFoundError(f"không có tệp minh chứng id {file_id}")
            return _dict(e)


def update_with_files(
    db: Database,
    task_id: int,
    update: Callable[[Database], dict],
    files: list[tuple[Blob, str]],
    actor: str,
) -> dict:
    """A progress update and its files (each `(blob, role)`, already kept) in one transaction.

    `update(tx)` records the update through the transaction's view of the register and returns
    `update_task`'s answer; the files are attached to the update it added. Either everything is
    recorded or nothing is."""
    with db.transaction() as tx:
        result = update(tx)
        update_id = tx.latest_update(task_id)  # the one it added: this transaction holds the task
        added = [tx.attach(task_id, blob, actor=actor, role=role, update_id=update_id) for blob, role in files]
    return result | {"files": added}


def update_with_file(
    db: Database, task_id: int, path: str | Path | None, *, root: str | Path | None = None, **update: Any
) -> dict:
    """`db.update_task(task_id, **update)` with the file at `path` kept as the task's output (the CLI)."""
    if path is None:
        return db.update_task(task_id, **update)
    blob = FileStore(root).put_path(path, MAX_FILE_BYTES)

    def record(tx: Database) -> dict:
        return tx.update_task(task_id, product_file=blob.name, **update)

    return update_with_files(db, task_id, record, [(blob, "output")], update["actor"])


def referenced(conn: Any) -> list[tuple[str, int]]:
    """Every distinct file the register names, `(sha256, size)`, in hash order (for backups)."""
    q = select(EvidenceFile.sha256, EvidenceFile.size).distinct().order_by(EvidenceFile.sha256)
    return [(sha, size) for sha, size in conn.execute(q)]
