"""Keeping ``child_quality`` true: the stored flags of the data-quality rules.

Every ORM flush that adds or changes a child, or adds, changes or removes a caregiver,
recomputes those children's flags in the same transaction, with the SQL of
``quality.LIVE_FLAGS`` (one ``INSERT … SELECT … ON CONFLICT DO UPDATE``). Writers that go
around the ORM (a bulk import through SQLAlchemy Core) call ``refresh`` with the ids they
wrote; the housekeeping tick gives every child without a row its row
(``refresh_missing``), and the daily snapshot recomputes a whole commune
(``refresh_commune``) before it counts, so nothing stays wrong for longer than a day.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from casework.children.models import Caregiver, Child
from casework.registry.quality import LIVE_FLAGS
from casework.registry.quality_models import ChildQuality

_Q = ChildQuality.__table__


def _upsert(connection: sa.Connection, where: sa.ColumnElement[bool]) -> None:
    insert = postgresql.insert if connection.dialect.name == "postgresql" else sqlite.insert
    columns = ["child_id", "commune_id", "village_id", "merged", "flags"]
    rows = sa.select(
        Child.id,
        Child.commune_id,
        Child.village_id,
        Child.merged_into_id.is_not(None),
        LIVE_FLAGS,
    ).where(where)
    statement = insert(_Q).from_select(columns, rows)
    statement = statement.on_conflict_do_update(
        index_elements=[_Q.c.child_id],
        set_={name: statement.excluded[name] for name in columns[1:]},
    )
    connection.execute(statement)


def refresh(session: Session, child_ids: Collection[int]) -> None:
    """Recompute the flags of these children (after a write that bypassed the ORM).

    Ids that are (nearly) a run, as an import's are, go as one range: recomputing the
    few other children inside it is harmless, and one statement beats thousands of
    bound ids."""
    ids = sorted(set(child_ids))
    if len(ids) > 1000 and ids[-1] - ids[0] < 2 * len(ids):
        _upsert(session.connection(), Child.id.between(ids[0], ids[-1]))
        return
    for start in range(0, len(ids), 1000):
        _upsert(session.connection(), Child.id.in_(ids[start : start + 1000]))


def refresh_commune(session: Session, *, commune_id: int) -> None:
    """Recompute the flags of every child of the commune (the daily tick, a bench)."""
    _upsert(session.connection(), Child.commune_id == commune_id)


@event.listens_for(Session, "after_flush")
def _after_flush(session: Session, _context: Any) -> None:
    touched: set[int] = set()
    for instance in (*session.new, *session.dirty, *session.deleted):
        if isinstance(instance, Child) and instance.id is not None:
            touched.add(instance.id)
        elif isinstance(instance, Caregiver) and instance.child_id is not None:
            touched.add(instance.child_id)
    touched -= {i.id for i in session.deleted if isinstance(i, Child)}  # rows cascade
    if touched:
        refresh(session, touched)


def refresh_missing(session: Session, *, limit: int = 5000) -> int:
    """Give up to ``limit`` children without stored flags their row (children written
    around the ORM); how many."""
    missing = ~sa.select(_Q.c.child_id).where(_Q.c.child_id == Child.id).exists()
    ids = list(session.execute(sa.select(Child.id).where(missing).limit(limit)).scalars())
    refresh(session, ids)
    return len(ids)
