"""Alembic environment: the schema is SQLModel's metadata; the URL comes from our settings.

A caller may hand over an open connection (``config.attributes["connection"]``), which
is how the test suite migrates its throwaway databases.
"""

from __future__ import annotations

from alembic import context
from sqlmodel import SQLModel

import casework.models  # noqa: F401  (registers every table)
from casework.config import get_settings
from casework.db import make_engine

config = context.config
target_metadata = SQLModel.metadata


def _configure(connection: object) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,
        compare_type=True,
        compare_server_default=True,
    )


def run_migrations_offline() -> None:
    context.configure(
        url=config.get_main_option("sqlalchemy.url") or get_settings().database_url,
        target_metadata=target_metadata,
        literal_binds=True,
        render_as_batch=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _configure(connection)
        with context.begin_transaction():
            context.run_migrations()
        return
    url = config.get_main_option("sqlalchemy.url") or None
    engine = make_engine(get_settings(), url=url)
    with engine.connect() as conn:
        sqlite = conn.dialect.name == "sqlite"
        if sqlite:
            # Batch mode rebuilds a SQLite table by copy, drop and rename; with foreign keys
            # on, dropping a table other rows point at fails. Off for the run (a pragma that
            # only works outside a transaction), then every reference is checked.
            conn.connection.dbapi_connection.execute("PRAGMA foreign_keys=OFF")
        _configure(conn)
        with context.begin_transaction():
            context.run_migrations()
        if sqlite:
            raw = conn.connection.dbapi_connection
            broken = raw.execute("PRAGMA foreign_key_check").fetchall()
            raw.execute("PRAGMA foreign_keys=ON")
            if broken:
                raise RuntimeError(f"migration left broken references: {broken[:5]}")
    engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
