"""Alembic environment: run by `Database.migrate()` with its connection, or by the alembic CLI."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from kehoach.store import Base, default_url

config = context.config


def run() -> None:
    connection = config.attributes.get("connection")
    if connection is None:  # the alembic command line: connect to the configured database
        url = config.get_main_option("sqlalchemy.url") or default_url()
        with create_engine(url).begin() as conn:
            context.configure(connection=conn, target_metadata=Base.metadata, render_as_batch=True)
            context.run_migrations()
        return
    context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


run()
