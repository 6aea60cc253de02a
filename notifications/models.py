"""The outbox: a message is a row written in the same transaction as the change causing it."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import Field, SQLModel


class OutboxState(StrEnum):
    pending = "pending"
    sending = "sending"
    sent = "sent"
    failed = "failed"
    dead = "dead"


class OutboxMessage(SQLModel, table=True):
    """A message waiting to leave (or gone). ``context`` holds no child's personal data:
    a case code, an action, a deadline."""

    __tablename__ = "outbox_message"

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=64, description="e.g. task.new, deadline.remind")
    recipient: str = Field(max_length=64, description="user:<id> or agency:<id>")
    channel: str | None = Field(default=None, max_length=16, description="Chosen at delivery")
    subject_ref: str = Field(max_length=64, description="e.g. case:CS-2026-00042")
    context: dict[str, object] = Field(default_factory=dict, sa_type=sa.JSON)
    dedupe_key: str = Field(max_length=200, unique=True)
    state: OutboxState = Field(default=OutboxState.pending, sa_type=sa.String(16))
    attempts: int = 0
    next_attempt_at: datetime
    created_at: datetime
    sent_at: datetime | None = None
    provider_message_id: str | None = Field(default=None, max_length=128)
    last_error: str | None = Field(default=None, sa_type=sa.Text)
