"""The outbox: a message is a row written in the same transaction as the change causing it.

One row is one message to one address over one channel. Its life: ``pending`` (queued,
due at ``next_attempt_at``) → ``sending`` (claimed by a relay, ``lease_until``) → ``sent``
(the provider accepted it), or ``failed`` (this attempt failed; due again after a backoff)
→ … → ``dead`` (given up: a supervisor is told). ``subject`` and ``body`` are what was
rendered at the first attempt, so every retry sends the same words.
"""

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


class Channel(StrEnum):
    email = "email"
    sms = "sms"


class OutboxMessage(SQLModel, table=True):
    """A message waiting to leave (or gone). ``context`` holds no child's personal data:
    a case code, an action, a deadline."""

    __tablename__ = "outbox_message"
    __table_args__ = (
        # What a relay claims: due rows of the channels it has. A channel switched off (no
        # SMTP server yet) may pile up rows; they are never read until it is on again.
        sa.Index(
            "ix_outbox_message_due",
            "channel",
            "next_attempt_at",
            sqlite_where=sa.text("state IN ('pending', 'failed')"),
            postgresql_where=sa.text("state IN ('pending', 'failed')"),
        ),
        sa.Index(
            "ix_outbox_message_leased",
            "lease_until",
            sqlite_where=sa.text("state = 'sending'"),
            postgresql_where=sa.text("state = 'sending'"),
        ),
        # The id is the providers' idempotency key: SQLite must never hand out an id again,
        # even if the newest rows were deleted (PostgreSQL sequences never do).
        {"sqlite_autoincrement": True},
    )

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=64, description="e.g. task.new, deadline.remind")
    recipient: str = Field(max_length=64, description="user:<id> or agency:<id>")
    channel: str = Field(max_length=16, description="email or sms")
    address: str | None = Field(
        default=None, max_length=254, description="E-mail address or E.164 phone at enqueue"
    )
    language: str = Field(default="vi", max_length=8)
    urgent: bool = Field(default=False, description="Never held back by quiet hours")
    subject_ref: str = Field(max_length=64, index=True, description="e.g. case:CS-2026-00042")
    context: dict[str, object] = Field(default_factory=dict, sa_type=sa.JSON)
    dedupe_key: str = Field(max_length=200, unique=True)
    state: OutboxState = Field(default=OutboxState.pending, sa_type=sa.String(16))
    attempts: int = 0
    next_attempt_at: datetime
    created_at: datetime
    template_id: str | None = Field(default=None, max_length=64)
    subject: str | None = Field(default=None, max_length=255)
    body: str | None = Field(default=None, sa_type=sa.Text)
    claimed_by: str | None = Field(default=None, max_length=64)
    lease_until: datetime | None = None
    last_attempt_at: datetime | None = None
    sent_at: datetime | None = None
    provider_message_id: str | None = Field(default=None, max_length=128)
    provider_status: str | None = Field(default=None, max_length=255)
    last_error: str | None = Field(default=None, sa_type=sa.Text)


def recipient_user_id(recipient: str) -> int | None:
    """The person a ``user:<id>`` recipient names; None for any other kind of recipient."""
    kind, _, ref = recipient.partition(":")
    return int(ref) if kind == "user" and ref.isdigit() else None
