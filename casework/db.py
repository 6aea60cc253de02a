"""Engine, sessions and the unit of work: the only place in the application that commits.

Services flush; entry points (HTTP handlers, CLI commands, workers) open a
``UnitOfWork`` and call ``commit()`` once. Leaving the block without a commit
rolls everything back, so a failed use case never leaves half its rows behind.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from types import TracebackType
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import sessionmaker
from sqlmodel import Session

from casework.config import Settings

WRITE_OPTION = "casework_write"


def _prepare_sqlite_file(url: str) -> None:
    database = make_url(url).database
    if database and database != ":memory:":
        Path(database).parent.mkdir(parents=True, exist_ok=True)


def make_engine(settings: Settings, *, url: str | None = None, **kwargs: Any) -> Engine:
    """Create the engine for ``url`` (default: the settings' database) with our connection rules.

    SQLite gets WAL, a busy timeout and foreign keys on every connection; PostgreSQL
    gets a pool sized from the settings.
    """
    url = url or settings.database_url
    if url.startswith("sqlite"):
        _prepare_sqlite_file(url)
        engine = sa.create_engine(
            url,
            echo=settings.sql_echo,
            hide_parameters=not settings.sql_echo,
            connect_args={"check_same_thread": False},
            **kwargs,
        )
        busy_timeout = settings.sqlite_busy_timeout_ms

        @sa.event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
            # pysqlite's own transaction handling defers BEGIN; let SQLAlchemy emit it
            # so that SAVEPOINT and "BEGIN IMMEDIATE" behave.
            dbapi_connection.isolation_level = None
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout)}")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.close()

        @sa.event.listens_for(engine, "begin")
        def _sqlite_begin(connection: Any) -> None:
            # A writing unit of work takes the write lock up front: a deferred
            # transaction that reads and then writes fails with "database is locked"
            # when another writer got in between, instead of waiting its turn.
            if connection.get_execution_options().get(WRITE_OPTION):
                connection.exec_driver_sql("BEGIN IMMEDIATE")
            else:
                connection.exec_driver_sql("BEGIN")

        return engine
    return sa.create_engine(
        url,
        echo=settings.sql_echo,
        # An error's message would otherwise quote the row it failed on (personal data).
        hide_parameters=not settings.sql_echo,
        pool_size=settings.db_pool_size,
        max_overflow=settings.db_max_overflow,
        pool_pre_ping=True,
        **kwargs,
    )


def make_sessionmaker(bind: Engine | sa.Connection, **kwargs: Any) -> sessionmaker[Session]:
    """Sessions that keep loaded objects usable after commit (views render them)."""
    return sessionmaker(bind=bind, class_=Session, expire_on_commit=False, **kwargs)


class UnitOfWork:
    """One database transaction for one use case; rolled back unless committed."""

    session: Session

    def __init__(self, factory: sessionmaker[Session]) -> None:
        self._factory = factory

    def __enter__(self) -> UnitOfWork:
        self.session = self._factory()
        self.session.connection(execution_options={WRITE_OPTION: True})
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.session.rollback()
        self.session.close()

    def commit(self) -> None:
        self.session.commit()


T = TypeVar("T")
U = TypeVar("U")


def run_in_transaction(
    factory: sessionmaker[Session], work: Callable[[Session], T], *, attempts: int = 3
) -> T:
    """Run ``work`` in one transaction and commit it; retry when a uniqueness race is lost.

    A lost race (two requests opening a case for the same child, or sending the same
    idempotency key at once) shows up as an ``IntegrityError`` on flush or commit.
    Everything is rolled back and ``work`` runs again against the winner's rows, where
    it finds the open case or the stored answer instead of colliding.
    """
    for attempt in range(1, attempts + 1):
        try:
            with UnitOfWork(factory) as uow:
                result = work(uow.session)
                uow.commit()
                return result
        except IntegrityError:
            if attempt == attempts:
                raise
    raise AssertionError("unreachable")


def once_each(
    factory: sessionmaker[Session], items: Iterable[U], work: Callable[[Session, U], T]
) -> list[tuple[U, T]]:
    """``work`` for each item in a transaction of its own (a background sweep: one
    commune's reviews, one obligation's reports); an item another process did first
    (it lost a unique index) is skipped, the others go on. What each committed returned."""
    done = []
    for item in items:
        try:
            with UnitOfWork(factory) as uow:
                result = work(uow.session, item)
                uow.commit()
        except IntegrityError:
            continue
        done.append((item, result))
    return done
