"""Enqueue messages in the caller's transaction; the same dedupe key is never enqueued twice."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session

from notifications.models import OutboxMessage, OutboxState


def enqueue(
    session: Session,
    *,
    kind: str,
    recipient: str,
    subject_ref: str,
    context: Mapping[str, Any],
    dedupe_key: str,
    now: datetime,
) -> bool:
    """Add a pending message unless one with ``dedupe_key`` exists; True if it was added."""
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = (
        insert(OutboxMessage)
        .values(
            kind=kind,
            recipient=recipient,
            subject_ref=subject_ref,
            context=dict(context),
            dedupe_key=dedupe_key,
            state=OutboxState.pending,
            attempts=0,
            next_attempt_at=now,
            created_at=now,
        )
        .on_conflict_do_nothing(index_elements=[OutboxMessage.dedupe_key])
    )
    return session.execute(statement).rowcount == 1
