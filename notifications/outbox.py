"""Enqueue messages in the caller's transaction; the same dedupe key is never enqueued twice."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session

from notifications.models import Channel, OutboxMessage, OutboxState


@dataclass(frozen=True)
class NewMessage:
    """One message to one recipient, as the code that causes it describes it."""

    kind: str
    recipient: str
    subject_ref: str
    dedupe_key: str
    context: Mapping[str, Any] = field(default_factory=dict)
    channel: str = Channel.email
    address: str | None = None  # none: the relay marks it dead at once (a supervisor sees it)
    language: str = "vi"
    urgent: bool = False  # emergencies: never held back by quiet hours


def enqueue_many(session: Session, messages: Sequence[NewMessage], *, now: datetime) -> int:
    """Add pending messages, skipping dedupe keys already queued; returns how many were
    added. Set-based so a batch of fired timers costs one round trip."""
    if not messages:
        return 0
    rows = [
        {
            "kind": m.kind,
            "recipient": m.recipient,
            "subject_ref": m.subject_ref,
            "context": dict(m.context),
            "channel": m.channel,
            "address": m.address,
            "language": m.language,
            "urgent": m.urgent,
            "dedupe_key": m.dedupe_key,
            "state": OutboxState.pending,
            "attempts": 0,
            "next_attempt_at": now,
            "created_at": now,
        }
        for m in messages
    ]
    statement = _INSERT[session.get_bind().dialect.name]
    return len(session.connection().execute(statement, rows).all())


_T = OutboxMessage.__table__
# One statement per batch of rows (SQLAlchemy's "insertmanyvalues"), built once per dialect.
_INSERT = {
    name: insert(_T).on_conflict_do_nothing(index_elements=[_T.c.dedupe_key]).returning(_T.c.id)
    for name, insert in (("postgresql", postgresql.insert), ("sqlite", sqlite.insert))
}
