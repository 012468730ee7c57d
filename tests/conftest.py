"""Shared fixtures: a fresh database per test, on SQLite and, when configured, PostgreSQL.

`db` is an opened (migrated) `kehoach.store.Database`; `db_url` is its URL. PostgreSQL runs
when KEHOACH_TEST_DATABASE_URL is set: each test gets its own database, created from a
migrated template and dropped after, so parallel test runs never share state.
"""

from __future__ import annotations

import gc
import json
import os
import time
import uuid
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

PLANS_DIR = Path(__file__).parent / "data" / "plans"
PG_URL = os.environ.get("KEHOACH_TEST_DATABASE_URL")
BACKENDS = ["sqlite"] + (["postgresql"] if PG_URL else [])


@pytest.fixture(autouse=True)
def _isolated_data_dir(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Never read or write the user's own register or succession files."""
    monkeypatch.setenv("KEHOACH_DATA_DIR", str(tmp_path_factory.mktemp("kehoach-data")))
    monkeypatch.delenv("KEHOACH_DATABASE_URL", raising=False)


def _admin_engine():
    url = make_url(PG_URL).set(database="postgres")
    return create_engine(url, isolation_level="AUTOCOMMIT")


@pytest.fixture(scope="session")
def pg_template() -> Iterator[str]:
    """A migrated PostgreSQL database to copy per test (CREATE DATABASE ... TEMPLATE is fast)."""
    from kehoach.store import Database

    name = f"kehoach_tmpl_{uuid.uuid4().hex[:12]}"
    admin = _admin_engine()
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    db = Database.open(make_url(PG_URL).set(database=name).render_as_string(hide_password=False))
    db.close()
    try:
        yield name
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'kehoach.db'}"
        return
    template = request.getfixturevalue("pg_template")
    name = f"kehoach_test_{uuid.uuid4().hex[:12]}"
    admin = _admin_engine()
    for attempt in range(5):  # the template is briefly busy if anything else touched it
        try:
            with admin.connect() as conn:
                conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{template}"'))
            break
        except OperationalError:
            if attempt == 4:
                raise
            time.sleep(0.2 * (attempt + 1))
    try:
        yield make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        # A connection the test's server threads left to the collector belongs to this database,
        # which is dropped below: collected here, not as a stray warning in another test.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ResourceWarning)
            gc.collect()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def db(db_url: str):
    from kehoach.store import Database

    database = Database.open(db_url)
    try:
        yield database
    finally:
        database.close()


def load_plan(name: str) -> dict:
    """A committed plan/v1 file from tests/data/plans (real plans, hand-checked)."""
    return json.loads((PLANS_DIR / name).read_text("utf-8"))


@pytest.fixture
def plans() -> list[dict]:
    return [json.loads(p.read_text("utf-8")) for p in sorted(PLANS_DIR.glob("*.json"))]
