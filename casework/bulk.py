"""Writing many rows at once inside the caller's transaction, each backend's fastest way.

An import writes tens of thousands of children with their caregivers and memberships.
With RETURNING, SQLAlchemy inserts SQLite's rows one by one and has psycopg parse
multi-megabyte multi-row statements; so the children's ids are reserved first (the
table's sequence on PostgreSQL, the next rowids on SQLite) and every table is then
written without RETURNING, straight to the driver: PostgreSQL's COPY, SQLite's
executemany. Enums go as their ``.value`` (``choice_field`` columns are plain text).

``collector_paused`` holds back Python's cyclic garbage collector while a bulk phase
builds its objects: each collection walks every live container, and tens of thousands of
new rows trigger full passes over an ever larger heap (40 % of an import's time,
docs/PERFORMANCE.md). Reference counting still frees everything meanwhile.
"""

from __future__ import annotations

import gc
import operator
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from casework.db import WRITE_OPTION

_CHUNK = 1000  # rows per executemany on SQLite: bounded memory for the parameters
_paused = threading.Lock()
_pauses = [0, False]  # how many phases hold the collector, and whether it was on before


@contextmanager
def collector_paused() -> Iterator[None]:
    """No cyclic garbage collection until the last of the phases that asked has ended."""
    with _paused:
        if _pauses[0] == 0:
            _pauses[1] = gc.isenabled()
            gc.disable()
        _pauses[0] += 1
    try:
        yield
    finally:
        with _paused:
            _pauses[0] -= 1
            if _pauses[0] == 0 and _pauses[1]:
                gc.enable()


def reserve_ids(session: Session, table: sa.Table, count: int) -> list[int]:
    """``count`` fresh primary keys of ``table`` for rows written by ``insert_rows``.

    On SQLite they are the next rowids, so the session must be a writing unit of work:
    its ``BEGIN IMMEDIATE`` holds the write lock, and nobody else can insert until it ends.
    """
    if count <= 0:
        return []
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        sequence = sa.func.pg_get_serial_sequence(table.name, "id")
        series = sa.func.generate_series(1, count).table_valued("n")
        ids = connection.execute(sa.select(sa.func.nextval(sequence)).select_from(series))
        return list(ids.scalars())
    if not connection.get_execution_options().get(WRITE_OPTION):
        raise RuntimeError("reserve_ids on SQLite needs a writing unit of work (the lock)")
    top = connection.execute(sa.select(sa.func.max(table.c.id))).scalar() or 0
    return list(range(top + 1, top + 1 + count))


def insert_rows(session: Session, table: sa.Table, rows: Sequence[Mapping[str, Any]]) -> None:
    """Insert ``rows`` (dicts with the same keys, column names) into ``table``.

    Each value passes its column type's bind processor, as in any SQLAlchemy insert, then
    goes straight to the driver: COPY on PostgreSQL, ``executemany`` on SQLite.
    """
    if not rows:
        return
    columns = list(rows[0])
    connection = session.connection()
    values = _processed(connection.dialect, table, columns, rows)
    if connection.dialect.name == "postgresql":
        _copy(connection, table, columns, values)
        return
    names = ", ".join(f'"{name}"' for name in columns)
    marks = ", ".join("?" for _ in columns)
    statement = f'INSERT INTO "{table.name}" ({names}) VALUES ({marks})'
    for start in range(0, len(values), _CHUNK):
        connection.exec_driver_sql(statement, values[start : start + _CHUNK])


def _processed(
    dialect: sa.Dialect, table: sa.Table, columns: list[str], rows: Sequence[Mapping[str, Any]]
) -> list[tuple[Any, ...]]:
    """The rows as tuples in ``columns`` order, each value through its column's bind
    processor (once per distinct value: an import's rows share their dates and times)."""
    only = columns[0]
    pick = operator.itemgetter(*columns) if len(columns) > 1 else lambda row: (row[only],)
    processors = [
        (index, process, {})
        for index, name in enumerate(columns)
        if (process := table.c[name].type.bind_processor(dialect)) is not None
    ]
    if not processors:
        return [pick(row) for row in rows]
    values = []
    for row in rows:
        value = list(pick(row))
        for index, process, seen in processors:
            value[index] = _apply(process, seen, value[index])
        values.append(tuple(value))
    return values


def _apply(process: Callable[[Any], Any], seen: dict[Any, Any], value: Any) -> Any:
    if value is None:
        return None
    try:
        return seen[value]
    except KeyError:
        seen[value] = done = process(value)
        return done
    except TypeError:  # not hashable (a JSON value): processed every time
        return process(value)


def _copy(
    connection: sa.Connection, table: sa.Table, columns: list[str], values: list[tuple[Any, ...]]
) -> None:
    from psycopg import sql  # only where PostgreSQL is the database

    statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
        sql.Identifier(table.name), sql.SQL(", ").join(map(sql.Identifier, columns))
    )
    driver = connection.connection.driver_connection
    assert driver is not None
    with driver.cursor() as cursor, cursor.copy(statement) as copy:
        for row in values:
            copy.write_row(row)
