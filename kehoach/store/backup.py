"""Backup and restore of the whole register: every table, as portable, versioned JSON lines.

A backup is a header line (format, Alembic revision, row counts, evidence files), then for
each table a line naming its columns and one line per row, then each evidence file the
register names (a line with its SHA-256 and size, then its bytes in base64 lines of at most
1 MB), then an end line with the totals; `.gz` names are compressed. The files come from the
files folder (`KEHOACH_FILES_DIR`) and go back into the target's, each checked against its
hash: the backup carries the register whole, rows and files, or is not written at all. The
same file restores into SQLite or PostgreSQL (so it also moves a register from one to the
other). Writing is atomic (a temporary file renamed into place); restoring is one transaction
into an empty database, or with `replace=True` over one.

On SQLite the dump reads a snapshot made with SQLite's online-backup API; on PostgreSQL it
reads every table in one REPEATABLE READ transaction: either way one consistent moment.
"""

from __future__ import annotations

import base64
import contextlib
import gzip
import json
import os
import sqlite3
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import IO, Any

from sqlalchemy import Connection, MetaData, Table, create_engine, func, select, text, update
from sqlalchemy import types as satypes
from sqlalchemy.engine import Engine

from ..errors import BackupError
from .files import FileStore

FORMAT = "kehoach-backup/2"  # /2: evidence files after the tables
FORMATS = ("kehoach-backup/1", FORMAT)
BATCH = 2000
FILE_CHUNK = 2**20  # bytes of a file per line (base64: 1.4 MB of text)
EVIDENCE_TABLE = "evidence_files"
VERSION_TABLE = "alembic_version"


@dataclass
class BackupResult:
    path: str
    revision: str | None
    tables: dict[str, int] = field(default_factory=dict)
    files: int = 0  # evidence files carried
    missing: list[str] = field(default_factory=list)  # files the register names but the folder lacks

    @property
    def rows(self) -> int:
        return sum(self.tables.values())

    def as_dict(self) -> dict:
        return {
            "path": self.path,
            "revision": self.revision,
            "rows": self.rows,
            "tables": self.tables,
            "files": self.files,
            "missing": self.missing,
        }


# --- values -------------------------------------------------------------------------------------


def _encode(value: Any) -> Any:
    if isinstance(value, datetime):
        if value.tzinfo is None:  # SQLite gives naive datetimes; the register stores UTC
            value = value.replace(tzinfo=UTC)
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bytes | memoryview):
        return {"$base64": base64.b64encode(bytes(value)).decode("ascii")}
    return value


def _decoder(col_type: satypes.TypeEngine) -> Any:
    """How to turn a JSON value back into what the column takes."""
    if isinstance(col_type, satypes.DateTime):
        return lambda v: v if v is None else datetime.fromisoformat(v)
    if isinstance(col_type, satypes.Date):
        return lambda v: v if v is None else date.fromisoformat(v)
    if isinstance(col_type, satypes.LargeBinary):
        return lambda v: v if v is None else base64.b64decode(v["$base64"])
    if isinstance(col_type, satypes.Boolean):
        return lambda v: v if v is None else bool(v)
    return lambda v: v


# --- reading a database ---------------------------------------------------------------------------


def _tables(conn: Connection) -> list[Table]:
    """Every table but Alembic's, parents before children."""
    meta = MetaData()
    meta.reflect(conn)
    return [t for t in meta.sorted_tables if t.name != VERSION_TABLE]


def _revision(conn: Connection) -> str | None:
    from sqlalchemy import inspect

    if not inspect(conn).has_table(VERSION_TABLE):
        return None
    return conn.execute(text(f"SELECT version_num FROM {VERSION_TABLE}")).scalar()


def _order(table: Table) -> list[Any]:
    pk = list(table.primary_key.columns)
    return pk or list(table.columns)


@contextlib.contextmanager
def _snapshot(url: str) -> Iterator[Connection]:
    """A connection that sees one moment of the database for as long as it is open."""
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if not path or path == ":memory:" or not Path(path).exists():
            raise BackupError(url, "không có tệp CSDL SQLite này")
        with tempfile.TemporaryDirectory(prefix="kehoach-backup-") as tmp:
            copy = Path(tmp) / "snapshot.db"
            src = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
            dst = sqlite3.connect(copy)
            try:
                src.backup(dst)
            finally:
                dst.close()
                src.close()
            engine = create_engine(f"sqlite:///{copy}")
            try:
                with engine.connect() as conn:
                    yield conn
            finally:
                engine.dispose()
        return
    engine = create_engine(url, isolation_level="REPEATABLE READ")
    try:
        with engine.connect() as conn, conn.begin():
            if conn.dialect.name == "postgresql":
                conn.execute(text("SET TRANSACTION READ ONLY"))
            yield conn
    finally:
        engine.dispose()


def _evidence(conn: Connection, tables: list[Table], store: FileStore) -> tuple[list[tuple[str, int]], list[str]]:
    """The files the register names that the folder holds (whole), and those it lacks."""
    table = next((t for t in tables if t.name == EVIDENCE_TABLE), None)
    if table is None:  # a register older than evidence files
        return [], []
    named = conn.execute(select(table.c.sha256, table.c.size).distinct().order_by(table.c.sha256)).all()
    held = [(sha, size) for sha, size in named if _held(store, sha, size)]
    return held, sorted({sha for sha, _ in named} - {sha for sha, _ in held})


def _held(store: FileStore, sha256: str, size: int) -> bool:
    try:
        return store.path(sha256).stat().st_size == size
    except (OSError, ValueError):
        return False


def _dump_files(out: IO[str], store: FileStore, held: list[tuple[str, int]]) -> None:
    for sha, size in held:
        out.write(json.dumps({"file": sha, "size": size, "chunks": -(-size // FILE_CHUNK)}) + "\n")
        for chunk in store.chunks(sha, FILE_CHUNK):
            out.write(json.dumps({"data": base64.b64encode(chunk).decode("ascii")}) + "\n")


def _dump(conn: Connection, out: IO[str], store: FileStore) -> tuple[dict[str, int], list[tuple[str, int]], list[str]]:
    tables = _tables(conn)
    counts = {t.name: conn.execute(select(func.count()).select_from(t)).scalar_one() for t in tables}
    held, missing = _evidence(conn, tables, store)
    header = {
        "format": FORMAT,
        "revision": _revision(conn),
        "dialect": conn.dialect.name,
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "tables": counts,
        "files": len(held),
    }
    out.write(json.dumps(header, ensure_ascii=False) + "\n")
    written: dict[str, int] = {}
    for t in tables:
        cols = [c.name for c in t.columns]
        out.write(json.dumps({"table": t.name, "columns": cols}, ensure_ascii=False) + "\n")
        n = 0
        result = conn.execution_options(stream_results=True, yield_per=BATCH).execute(select(t).order_by(*_order(t)))
        for row in result:
            out.write(json.dumps([_encode(v) for v in row], ensure_ascii=False, separators=(",", ":")) + "\n")
            n += 1
        written[t.name] = n
    _dump_files(out, store, held)
    out.write(json.dumps({"end": True, "rows": sum(written.values()), "files": len(held)}) + "\n")
    return written, held, missing


def _open_write(path: Path) -> IO[str]:
    if path.suffix == ".gz":
        return gzip.open(path, "wt", encoding="utf-8")
    return open(path, "w", encoding="utf-8")  # noqa: SIM115


def _open_read(path: Path) -> IO[str]:
    with open(path, "rb") as f:
        gz = f.read(2) == b"\x1f\x8b"
    if gz:
        return gzip.open(path, "rt", encoding="utf-8")
    return open(path, encoding="utf-8")  # noqa: SIM115


def backup(url: str, path: str | Path, files_dir: str | Path | None = None) -> BackupResult:
    """Write every table of the database at `url`, and the evidence files it names (from
    `files_dir`, by default the files folder), to `path` (atomically: all or nothing).

    A file the register names but the folder lacks is listed in the result's `missing`."""
    store = FileStore(files_dir)
    path = Path(path)
    if not path.parent.is_dir():
        raise BackupError(path, f"không có thư mục {path.parent}: tạo thư mục trước")
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp" + path.suffix, dir=path.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        with _snapshot(url) as conn:
            revision = _revision(conn)
            with _open_write(tmp) as out:
                counts, held, missing = _dump(conn, out, store)
                out.flush()
        with open(tmp, "rb") as f:
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return BackupResult(str(path), revision, counts, len(held), missing)


# --- restoring ----------------------------------------------------------------------------------------


def _lines(path: Path) -> Iterator[Any]:
    try:
        with _open_read(path) as f:
            for n, line in enumerate(f, 1):
                try:
                    yield json.loads(line)
                except json.JSONDecodeError:
                    raise BackupError(path, f"dòng {n} không phải JSON: tệp sao lưu bị hỏng") from None
    except (OSError, EOFError, UnicodeDecodeError) as e:
        raise BackupError(path, f"không đọc được tệp sao lưu ({e})") from None


def read_header(path: str | Path) -> dict:
    """The backup's first line: format, revision, dialect, row counts."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(path, "không có tệp này")
    header = next(_lines(path), None)
    if not isinstance(header, dict) or header.get("format") not in FORMATS:
        raise BackupError(path, f"không phải tệp sao lưu kehoach ({FORMAT})")
    return header


def _is_empty(conn: Connection, tables: list[Table]) -> str | None:
    """The first table that holds rows, or None."""
    for t in tables:
        if conn.execute(select(t).limit(1)).first() is not None:
            return t.name
    return None


def _reset_sequences(conn: Connection, tables: list[Table]) -> None:
    if conn.dialect.name != "postgresql":
        return  # SQLite's INTEGER PRIMARY KEY continues from the largest id
    for t in tables:
        pk = list(t.primary_key.columns)
        if len(pk) == 1 and isinstance(pk[0].type, satypes.Integer):
            conn.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence(:t, :c), COALESCE(MAX({pk[0].name}), 1), "
                    f"MAX({pk[0].name}) IS NOT NULL) FROM {t.name}"
                ),
                {"t": t.name, "c": pk[0].name},
            )


def _restore_file(lines: Iterator[Any], item: dict, store: FileStore, path: Path) -> None:
    """One evidence file of the backup into the files folder, checked against its hash."""
    sha, chunks = item.get("file"), item.get("chunks")
    if not isinstance(sha, str) or not isinstance(chunks, int) or chunks < 0:
        raise BackupError(path, "phần tệp minh chứng không đúng định dạng sao lưu")

    def data() -> Iterator[bytes]:
        for _ in range(chunks):
            line = next(lines, None)
            if not (isinstance(line, dict) and isinstance(line.get("data"), str)):
                raise BackupError(path, f"tệp minh chứng {sha[:12]}… bị cắt ngang: dùng bản sao lưu khác")
            yield base64.b64decode(line["data"], validate=True)

    try:
        store.write_verified(sha, data())
    except ValueError as e:  # a wrong hash, bad base64
        raise BackupError(path, f"tệp minh chứng {sha[:12]}…: {e}") from None


def _load(
    conn: Connection, path: Path, tables: dict[str, Table], header: dict, store: FileStore
) -> tuple[dict[str, int], int]:
    """Insert the file's rows and write its files; self-references (an agency's successor) are set
    after all rows. Returns the rows per table and the number of files."""
    files = 0
    counts: dict[str, int] = {}
    table: Table | None = None
    columns: list[str] = []
    decoders: list[Any] = []
    later: list[str] = []
    deferred: list[tuple[Table, dict]] = []
    batch: list[dict] = []
    ended = False

    def flush() -> None:
        if table is not None and batch:
            conn.execute(table.insert(), batch)
            batch.clear()

    lines = _lines(path)
    next(lines)
    for item in lines:
        if isinstance(item, dict) and "table" in item:
            flush()
            name = item["table"]
            if name not in tables:
                raise BackupError(path, f"bảng {name} không có trong CSDL đích: chạy đúng phiên bản kehoach")
            table, columns = tables[name], item["columns"]
            missing = set(columns) - set(table.columns.keys())
            if missing:
                raise BackupError(path, f"bảng {name} không có cột {sorted(missing)} trong CSDL đích")
            decoders = [_decoder(table.columns[c].type) for c in columns]
            later = [c for c in columns if any(fk.column.table.name == name for fk in table.columns[c].foreign_keys)]
            counts[name] = 0
        elif isinstance(item, dict) and "file" in item:
            flush()
            table = None
            _restore_file(lines, item, store, path)
            files += 1
        elif isinstance(item, dict) and item.get("end"):
            flush()
            ended = True
            break
        elif isinstance(item, list) and table is not None:
            row = {c: dec(v) for c, dec, v in zip(columns, decoders, item, strict=True)}
            if later:
                refs = {c: row[c] for c in later if row[c] is not None}
                if refs:
                    pk = {c.name: row[c.name] for c in table.primary_key.columns}
                    deferred.append((table, pk | refs))
                    row |= dict.fromkeys(refs)
            batch.append(row)
            counts[table.name] += 1
            if len(batch) >= BATCH:
                flush()
        else:
            raise BackupError(path, "dòng không đúng định dạng sao lưu")
    if not ended:
        raise BackupError(path, "tệp sao lưu bị cắt ngang (thiếu dòng kết thúc): dùng bản sao lưu khác")
    for t, values in deferred:
        keys = [c.name for c in t.primary_key.columns]
        conn.execute(
            update(t)
            .where(*(t.c[c] == values[c] for c in keys))
            .values({k: v for k, v in values.items() if k not in keys})
        )
    if counts != header.get("tables", {}):
        raise BackupError(path, f"số dòng khác với phần đầu tệp ({header.get('tables')} / {counts}): tệp bị hỏng")
    if files != header.get("files", 0):
        raise BackupError(path, f"số tệp minh chứng khác với phần đầu tệp ({header.get('files')} / {files})")
    return counts, files


def restore(url: str, path: str | Path, *, replace: bool = False, files_dir: str | Path | None = None) -> BackupResult:
    """Load a backup into the database at `url` in one transaction; then migrate it to the newest schema.

    The database must be empty (new, or only migrated) unless `replace`, which deletes what is there.
    Evidence files go into `files_dir` (by default the files folder), each checked against its hash
    (files are named by content: one left by a failed restore is only a spare copy).
    """
    store = FileStore(files_dir)
    from . import Database

    path = Path(path)
    header = read_header(path)
    revision = header.get("revision")
    db = Database(url)
    try:
        with db.engine.connect() as conn:
            current = _revision(conn)
        if current is None:
            db.migrate(revision or "head")
        elif current != revision:
            raise BackupError(
                path,
                f"bản sao lưu ở phiên bản lược đồ {revision}, CSDL đích ở {current}: "
                "khôi phục vào một CSDL mới (trống)",
            )
        engine: Engine = db.engine
        with engine.connect() as conn, conn.begin():
            tables = _tables(conn)
            if engine.dialect.name == "postgresql":
                conn.execute(text("LOCK TABLE " + ", ".join(t.name for t in tables) + " IN ACCESS EXCLUSIVE MODE"))
            full = _is_empty(conn, tables)
            if full and not replace:
                raise BackupError(
                    url,
                    f"CSDL đích đã có dữ liệu (bảng {full}): khôi phục vào CSDL trống, hoặc thêm --replace để thay thế",
                )
            if full:
                for t in reversed(tables):
                    conn.execute(t.delete())
            counts, files = _load(conn, path, {t.name: t for t in tables}, header, store)
            _reset_sequences(conn, tables)
        db.migrate("head")
    finally:
        db.close()
    return BackupResult(str(path), revision, counts, files)
