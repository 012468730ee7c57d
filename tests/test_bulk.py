"""Bulk ingestion (`kehoach.store.bulk`, `kehoach ingest --jobs`): a pool extracts, one process stores."""

from __future__ import annotations

import json
import multiprocessing
import os
import re
import signal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kehoach.cli import app
from kehoach.store import Database
from kehoach.store.bulk import extracted, ingest_files

SAMPLES = Path(__file__).parent.parent / "kehoach" / "data" / "samples"
PLANS = Path(__file__).parent / "data" / "plans"
BROKEN = "zz-broken.docx"


def make_folder(folder: Path, count: int = 5) -> Path:
    """`count` sample documents, each with a number of its own (a new plan), a JSON plan/v1 and a broken file."""
    folder.mkdir()
    samples = sorted(SAMPLES.glob("*.txt"))
    for i in range(count):
        src = samples[i % len(samples)]
        body, n = re.subn(r"Số: *(\d+)", f"Số: {9000 + i}", src.read_text("utf-8"), count=1)
        if not n:  # known by its title otherwise: every copy would be the same plan
            body = f"Số: {9000 + i}/KH-UBND\n\n{body}"
        (folder / f"{i:02d}-{src.name}").write_text(body, "utf-8")
    (folder / "plan.json").write_text((PLANS / sorted(os.listdir(PLANS))[0]).read_text("utf-8"), "utf-8")
    (folder / BROKEN).write_bytes(b"PK\x03\x04 not a zip at all")
    return folder


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_folder(tmp_path_factory.mktemp("bulk") / "docs")


def register(db: Database) -> list[tuple]:
    """Every plan as (number, version, task count, task texts), by id."""
    out = []
    for p in db.plans():
        texts = [t["text"] for t in db.tasks(plan=p["id"])]
        assert len(texts) == p["tasks"]
        out.append((p["number"], p["version"], p["tasks"], texts))
    return out


@pytest.fixture(scope="module")
def sequential(folder: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[list, list, list]:
    """What jobs=1 gives, on SQLite: results, errors and the register."""
    db = Database.open(f"sqlite:///{tmp_path_factory.mktemp('seq') / 'kehoach.db'}")
    try:
        results, errors = ingest_files(db, [folder], "Tester", jobs=1)
        return results, errors, register(db)
    finally:
        db.close()


def test_jobs_give_the_sequential_register(db: Database, folder: Path, sequential: tuple) -> None:
    calls: list[tuple[int, int, Path]] = []
    results, errors = ingest_files(db, [folder], "Tester", jobs=2, progress=lambda *a: calls.append(a))
    files = sorted(p for p in folder.iterdir())
    assert (results, errors, register(db)) == sequential
    assert len(results) == len(files) - 1 and all(r["created"] for r in results)
    assert len({r["id"] for r in results}) == len(results)  # each document a plan of its own
    [error] = errors
    assert error.startswith(f"{folder / BROKEN}: ")
    assert calls == [(i, len(files), f) for i, f in enumerate(files, 1)]


def test_ingest_command_with_jobs(db_url: str, folder: Path, sequential: tuple) -> None:
    runner = CliRunner()
    result = runner.invoke(
        app, ["ingest", str(folder), "--jobs", "2", "--json", "--progress", "--db", db_url], env={"COLUMNS": "200"}
    )
    assert result.exit_code == 1, result.output  # one file failed
    rows = json.loads(result.stdout)  # stdout: the results only
    assert rows == sequential[0]
    stderr = result.stderr.splitlines()
    assert f"Lỗi: {sequential[1][0]}" in stderr
    assert [line for line in stderr if line.startswith("[")][-1] == f"[7/7] {folder / BROKEN}"
    one = str(folder / "plan.json")  # one file: no pool
    again = runner.invoke(app, ["ingest", one, "-j", "2", "--json", "--no-progress", "--db", db_url])
    assert again.exit_code == 0 and not again.stderr
    assert [r["created"] for r in json.loads(again.stdout)] == [False]
    assert runner.invoke(app, ["ingest", str(folder), "--jobs", "0", "--db", db_url]).exit_code == 2


def test_a_dead_worker_fails_the_files_left(tmp_path: Path) -> None:
    files = sorted(make_folder(tmp_path / "docs", count=12).glob("*.txt"))
    items = extracted(files, jobs=2)
    first, (plan, _, error) = next(items)
    assert first == files[0] and plan is not None and error is None
    for child in multiprocessing.active_children():
        os.kill(child.pid, signal.SIGKILL)
    rest = list(items)
    assert [p for p, _ in rest] == files[1:]  # every file, once, in order
    assert "dừng đột ngột" in rest[-1][1][2]
