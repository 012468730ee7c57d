"""Shared fixtures: a fresh database per test, on SQLite and, when configured, PostgreSQL.

`db` is an opened (migrated) `kehoach.store.Database`; `db_url` is its URL. A SQLite test starts
from a copy of a file its worker migrated once. PostgreSQL runs when KEHOACH_TEST_DATABASE_URL is
set: each test worker has a database of its own, copied from a migrated template and emptied
after each test, so parallel test runs never share state.
"""

from __future__ import annotations

import gc
import json
import os
import shutil
import time
import uuid
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError
from sqlalchemy.pool import NullPool

PLANS_DIR = Path(__file__).parent / "data" / "plans"
PG_URL = os.environ.get("KEHOACH_TEST_DATABASE_URL")
BACKENDS = ["sqlite"] + (["postgresql"] if PG_URL else [])


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "any_database: what the test checks does not depend on the database (the web's "
        "words, forms, limits and files): it runs on SQLite only, the register's own behaviour on both",
    )


@pytest.hookimpl(tryfirst=True)  # before the parametrize marks and the fixtures' own parameters
def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if metafunc.definition.get_closest_marker("any_database") and "db_url" in metafunc.fixturenames:
        metafunc.definition.add_marker(pytest.mark.parametrize("db_url", ["sqlite"], indirect=True))


@pytest.fixture(autouse=True)
def _isolated_data_dir(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Never read or write the user's own register or succession files."""
    monkeypatch.setenv("KEHOACH_DATA_DIR", str(tmp_path_factory.mktemp("kehoach-data")))
    monkeypatch.delenv("KEHOACH_DATABASE_URL", raising=False)


def _admin_engine():
    url = make_url(PG_URL).set(database="postgres")
    return create_engine(url, isolation_level="AUTOCOMMIT")


class PgDatabases:
    """PostgreSQL databases for the tests of one worker: copied from a migrated template once,
    then emptied after each test and handed to the next (a DROP DATABASE per test forces a
    checkpoint each time: seconds apiece on a busy server)."""

    def __init__(self) -> None:
        self.admin = _admin_engine()
        self.template = f"kehoach_tmpl_{uuid.uuid4().hex[:12]}"
        with self.admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{self.template}"'))
        from kehoach.store import Database

        Database.open(self.url(self.template)).close()
        self.shape = self._shape(self.template)
        self.spare: str | None = None

    def url(self, name: str) -> str:
        return make_url(PG_URL).set(database=name).render_as_string(hide_password=False)

    def _shape(self, name: str) -> tuple[str, list[str]]:
        """The migration a database is at and its tables: what an emptied database must still have."""
        engine = create_engine(self.url(name), poolclass=NullPool)
        try:
            with engine.connect() as conn:
                version = conn.execute(text("SELECT version_num FROM alembic_version")).scalar_one()
                tables = conn.execute(text("SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
                                           "ORDER BY tablename")).scalars().all()
        finally:
            engine.dispose()
        return version, list(tables)

    def take(self) -> str:
        if self.spare is not None:
            name, self.spare = self.spare, None
            return name
        name = f"kehoach_test_{uuid.uuid4().hex[:12]}"
        for attempt in range(5):  # the template is briefly busy if anything else touched it
            try:
                with self.admin.connect() as conn:
                    conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{self.template}"'))
                return name
            except OperationalError:
                if attempt == 4:
                    raise
                time.sleep(0.2 * (attempt + 1))
        raise AssertionError("unreachable")

    def give_back(self, name: str) -> None:
        """Empty the database for the next test; drop it if the test changed its shape."""
        with self.admin.connect() as conn:  # what the test's server threads left open
            conn.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                              "WHERE datname = :name AND pid <> pg_backend_pid()"), {"name": name})
        try:
            if self._shape(name) != self.shape:
                raise ValueError("schema changed")
            engine = create_engine(self.url(name), poolclass=NullPool)
            try:  # DELETE, not TRUNCATE: a test's few rows go in milliseconds, new files cost 0.3 s
                with engine.begin() as conn:
                    conn.execute(text("SET LOCAL synchronous_commit = off"))  # a test database
                    conn.execute(text("SET LOCAL session_replication_role = replica"))  # no key checks
                    conn.execute(text("; ".join(f'DELETE FROM "{t}"' for t in self.shape[1] if t != "alembic_version")))
                    conn.execute(text("SELECT setval(oid, 1, false) FROM pg_class WHERE relkind = 'S'"))  # ids from 1
            finally:
                engine.dispose()
            self.spare = name
        except Exception:
            self.drop(name)

    def drop(self, name: str) -> None:
        with self.admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))

    def close(self) -> None:
        for name in filter(None, (self.spare, self.template)):
            self.drop(name)
        self.admin.dispose()


@pytest.fixture(scope="session")
def pg_databases() -> Iterator[PgDatabases]:
    pool = PgDatabases()
    try:
        yield pool
    finally:
        pool.close()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A register migrated once per test worker: each SQLite test starts from a copy."""
    from kehoach.store import Database

    path = tmp_path_factory.mktemp("template") / "kehoach.db"
    Database.open(f"sqlite:///{path}").close()
    return path


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        path = tmp_path / "kehoach.db"
        shutil.copyfile(request.getfixturevalue("sqlite_template"), path)
        yield f"sqlite:///{path}"
        return
    pool: PgDatabases = request.getfixturevalue("pg_databases")
    name = pool.take()
    try:
        yield pool.url(name)
    finally:
        # A connection the test's server threads left to the collector belongs to this database,
        # which is emptied below: collected here, not as a stray warning in another test. What
        # outlives the collection is frozen: the next one walks only what later tests make.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ResourceWarning)
            gc.collect()
        gc.freeze()
        pool.give_back(name)


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


def downgrade(db, revision: str) -> None:
    """Migrate an opened register down to `revision` (a test of a later migration starts there)."""
    from kehoach.store._base import _alembic_config

    cfg = _alembic_config()
    with db.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, revision)
