"""`kehoach backup` / `kehoach restore`: a round trip on SQLite and PostgreSQL compares every row of every table."""

from __future__ import annotations

import copy
import gzip
import json
import uuid
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from conftest import PG_URL, load_plan
from sqlalchemy import MetaData, create_engine, select, text
from sqlalchemy.engine import make_url
from test_web_kit import AN_GIANG_PLAN, TRA_VINH_PLAN
from typer.testing import CliRunner

from kehoach.cli import app
from kehoach.store import Database
from kehoach.store.backup import BackupError, backup, read_header, restore
from kehoach.web import accounts


@pytest.fixture(autouse=True)
def _cheap_hashes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(accounts, "_N", 2**10)


def _fill(db: Database) -> None:
    """Something in every kind of table: plans, versions, updates, values, duties, users, audit, successors."""
    db.ingest(copy.deepcopy(AN_GIANG_PLAN))
    revised = copy.deepcopy(TRA_VINH_PLAN)
    db.ingest(revised)
    revised["tasks"] = revised["tasks"][:3]
    db.ingest(revised)
    tasks = db.tasks(as_of=date(2025, 6, 1))
    db.update_task(tasks[0]["id"], actor="Sở Tài chính", state="đang thực hiện", percent=40, narrative="<b>Đã</b> làm")
    db.extend_deadline(
        tasks[1]["id"], date(2026, 3, 31), granted_by="UBND tỉnh", granted_on=date(2025, 5, 2), actor="Văn phòng"
    )
    ind = db.indicators()[0]["id"]
    db.record_value(ind, "2025-Q1", 12.5, actor="Cục Thống kê", on=date(2025, 4, 3))
    duty = db.duties()[0]
    db.submit_report(duty["id"], duty["reporters"][0], "2025-05", date(2025, 5, 20), actor="Sở")
    accounts.create_user(db, "thu", "mật-khẩu-dài", role="office", province="Vĩnh Long")


def _rows(url: str) -> dict[str, list[tuple]]:
    engine = create_engine(url)
    try:
        meta = MetaData()
        with engine.connect() as conn:
            meta.reflect(conn)
            return {
                t.name: [tuple(r) for r in conn.execute(select(t).order_by(*t.primary_key.columns or t.columns))]
                for t in meta.sorted_tables
            }
    finally:
        engine.dispose()


@pytest.fixture
def empty_url(db_url: str, tmp_path: Path) -> Iterator[str]:
    """A second database of the same kind, not even migrated."""
    if db_url.startswith("sqlite"):
        yield f"sqlite:///{tmp_path / 'restored.db'}"
        return
    name = f"kehoach_restore_{uuid.uuid4().hex[:12]}"
    admin = create_engine(make_url(PG_URL).set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def test_round_trip_keeps_every_row(db: Database, db_url: str, empty_url: str, tmp_path: Path) -> None:
    _fill(db)
    before = _rows(db_url)
    assert all(
        before[t]
        for t in (
            "plans",
            "plan_versions",
            "progress_updates",
            "extensions",
            "indicator_values",
            "report_submissions",
            "web_users",
            "audit_log",
        )
    )
    assert any(r for r in before["agencies"] if r[4] is not None), "no successor link to restore"
    file = tmp_path / "kehoach.jsonl.gz"
    result = backup(db_url, file)
    assert result.rows == sum(len(v) for k, v in before.items() if k != "alembic_version")
    assert read_header(file)["format"] == "kehoach-backup/2"
    assert not list(tmp_path.glob(".*.tmp*")), "the temporary file is left behind"
    restore(empty_url, file)
    assert _rows(empty_url) == before
    restored = Database.open(empty_url)
    try:  # ids continue after the restored ones
        new = restored.ingest(load_plan("003_230a64e200d485dd.json"))
        assert new.plan_id > max(r[0] for r in before["plans"])
    finally:
        restored.close()


def test_restore_refuses_a_database_with_data_unless_replace(db: Database, db_url: str, tmp_path: Path) -> None:
    _fill(db)
    before = _rows(db_url)
    file = tmp_path / "b.jsonl"
    backup(db_url, file)
    with pytest.raises(BackupError, match="--replace"):
        restore(db_url, file)
    db.update_task(db.tasks()[0]["id"], actor="X", percent=90)
    restore(db_url, file, replace=True)
    assert _rows(db_url) == before


@pytest.fixture
def lite(tmp_path: Path) -> Iterator[tuple[Database, str]]:
    """SQLite only, for what does not depend on the backend."""
    url = f"sqlite:///{tmp_path / 'lite.db'}"
    db = Database.open(url)
    _fill(db)
    yield db, url
    db.close()


def test_a_truncated_backup_restores_nothing(lite: tuple[Database, str], tmp_path: Path) -> None:
    db_url, empty_url = lite[1], f"sqlite:///{tmp_path / 'empty.db'}"
    file = tmp_path / "b.jsonl"
    backup(db_url, file)
    lines = file.read_text("utf-8").splitlines(keepends=True)
    cut = tmp_path / "cut.jsonl"
    cut.write_text("".join(lines[: len(lines) - 5]), "utf-8")
    with pytest.raises(BackupError, match="cắt ngang"):
        restore(empty_url, cut)
    assert all(not rows for name, rows in _rows(empty_url).items() if name != "alembic_version")
    with pytest.raises(BackupError, match="không phải tệp sao lưu"):
        restore(empty_url, _garbage(tmp_path))


def _garbage(tmp_path: Path) -> Path:
    p = tmp_path / "x.gz"
    p.write_bytes(gzip.compress(b'{"format": "other"}\n'))
    return p


def test_backup_moves_a_register_from_sqlite_to_postgresql(tmp_path: Path, empty_url: str, db_url: str) -> None:
    if not db_url.startswith("postgresql"):
        pytest.skip("the PostgreSQL leg only")
    lite = Database.open(f"sqlite:///{tmp_path / 'a.db'}")
    _fill(lite)
    lite.close()
    file = tmp_path / "a.jsonl"
    backup(f"sqlite:///{tmp_path / 'a.db'}", file)
    restore(empty_url, file)
    pg = Database.open(empty_url)
    try:
        assert len(pg.tasks()) == 4 + 3 and pg.audit()[-1]["action"]
    finally:
        pg.close()


def test_cli_backup_and_restore(lite: tuple[Database, str], tmp_path: Path) -> None:
    db_url = lite[1]
    runner = CliRunner()
    file = tmp_path / "cli.jsonl"
    r = runner.invoke(app, ["backup", str(file), "--db", db_url])
    assert r.exit_code == 0, r.output
    assert "Đã sao lưu" in r.output
    r = runner.invoke(app, ["restore", str(file), "--db", db_url])
    assert r.exit_code == 1 and "--replace" in r.output and "('" not in r.output

    target = tmp_path / "new.db"
    r = runner.invoke(app, ["restore", str(file), "--db", str(target)])
    assert r.exit_code == 0, r.output
    assert "Đã khôi phục" in r.output


def test_errors_never_show_a_database_password() -> None:
    e = BackupError("postgresql+psycopg://kehoach:mat-khau@db/kehoach", "CSDL đích đã có dữ liệu")
    assert "mat-khau" not in str(e) and str(e).startswith("postgresql+psycopg://kehoach:***@db/kehoach: ")


# --- evidence files (issue 13 point 3): kept by the backup, back in place after a restore ------------


def _with_evidence(db: Database, files: Path, tmp_path: Path) -> list[bytes]:
    """Two files kept by the register (one given twice: kept once), one on a task, one on another."""
    from test_web_files import image_bytes, pdf_bytes

    from kehoach.store.files import update_with_file

    datas = [pdf_bytes("Bao cao ket qua"), image_bytes("PNG")]
    tasks = [t["id"] for t in db.tasks()]
    for i, (task, data) in enumerate(zip(tasks, [datas[0], datas[1], datas[0]], strict=False)):
        path = tmp_path / f"sp-{i}.bin"
        path.write_bytes(data)
        update_with_file(db, task, path, root=files, actor="tc", state="done")
    return datas


def test_evidence_files_travel_with_the_backup(db: Database, db_url: str, empty_url: str, tmp_path: Path) -> None:
    _fill(db)
    datas = _with_evidence(db, tmp_path / "files", tmp_path)
    before = _rows(db_url)
    assert len(before["evidence_files"]) == 3
    file = tmp_path / "with-files.jsonl.gz"
    result = backup(db_url, file, files_dir=tmp_path / "files")
    assert (result.files, result.missing) == (2, []) and read_header(file)["files"] == 2
    restored = tmp_path / "restored-files"
    assert restore(empty_url, file, files_dir=restored).files == 2
    assert _rows(empty_url) == before
    kept = sorted(p.read_bytes() for p in restored.rglob("*") if p.is_file())
    assert kept == sorted(datas)  # the same bytes, each once, nothing half-written left beside them


def test_a_backup_whose_file_was_altered_restores_nothing(lite: tuple[Database, str], tmp_path: Path) -> None:
    db, db_url = lite
    _with_evidence(db, tmp_path / "files", tmp_path)
    file = tmp_path / "b.jsonl"
    backup(db_url, file, files_dir=tmp_path / "files")
    lines = file.read_text("utf-8").splitlines(keepends=True)
    n = next(i for i, line in enumerate(lines) if line.startswith('{"data"'))
    data = json.loads(lines[n])["data"]
    lines[n] = json.dumps({"data": data[:-8] + ("A" * 8 if not data.endswith("A" * 8) else "B" * 8)}) + "\n"
    bad = tmp_path / "bad.jsonl"
    bad.write_text("".join(lines), "utf-8")
    empty_url = f"sqlite:///{tmp_path / 'empty.db'}"
    with pytest.raises(BackupError, match="mã băm"):
        restore(empty_url, bad, files_dir=tmp_path / "other")
    assert all(not rows for name, rows in _rows(empty_url).items() if name != "alembic_version")
    assert not [p for p in (tmp_path / "other").rglob("*") if p.is_file() and p.parent.name != "tmp"]


def test_a_file_missing_from_the_folder_is_said(lite: tuple[Database, str], tmp_path: Path) -> None:
    db, db_url = lite
    _with_evidence(db, tmp_path / "files", tmp_path)
    lost = next(p for p in (tmp_path / "files").rglob("*") if p.is_file() and p.parent.name != "tmp")
    lost.unlink()
    r = CliRunner().invoke(
        app, ["backup", str(tmp_path / "b.jsonl"), "--db", db_url], env={"KEHOACH_FILES_DIR": str(tmp_path / "files")}
    )
    assert r.exit_code == 0, r.output
    assert "1 tệp minh chứng" in r.output and "không có trong thư mục tệp" in r.output and lost.name[:12] in r.output
    assert read_header(tmp_path / "b.jsonl")["files"] == 1


def test_a_backup_of_the_first_format_still_restores(lite: tuple[Database, str], tmp_path: Path) -> None:
    db_url = lite[1]
    file = tmp_path / "b.jsonl"
    backup(db_url, file)
    lines = file.read_text("utf-8").splitlines(keepends=True)
    header = json.loads(lines[0])
    header["format"] = "kehoach-backup/1"
    del header["files"]
    old = tmp_path / "old.jsonl"
    old.write_text(json.dumps(header) + "\n" + "".join(lines[1:]), "utf-8")
    empty_url = f"sqlite:///{tmp_path / 'empty.db'}"
    assert restore(empty_url, old, files_dir=tmp_path / "f").rows == backup(db_url, tmp_path / "c.jsonl").rows
