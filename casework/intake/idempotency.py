"""Idempotency keys: a retried request gets the first answer, never a second case.

The record is written in the same transaction as the work it remembers, so either both
exist or neither does. Two requests racing with one key collide on the primary key; the
loser's transaction rolls back and it replays the winner's answer.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import Session

from casework.errors import Conflict
from casework.intake.models import IdempotencyRecord


class IdempotencyKeyReused(Conflict):
    """The key came back with a different body: a client bug, not a retry."""

    status_code = 422
    code = "idempotency_key_reused"


@dataclass(frozen=True)
class Replay:
    status_code: int
    body: dict[str, Any]


def request_hash(payload: Any) -> str:
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def replay(session: Session, *, scope: str, key: str, fingerprint: str) -> Replay | None:
    """The stored answer for ``key``, if this exact request was made before."""
    record = session.get(IdempotencyRecord, (key, scope))
    if record is None:
        return None
    if record.request_hash != fingerprint:
        raise IdempotencyKeyReused()
    return Replay(status_code=record.status_code, body=record.response)


def remember(
    session: Session,
    *,
    scope: str,
    key: str,
    fingerprint: str,
    status_code: int,
    body: dict[str, Any],
    now: datetime,
) -> None:
    session.add(
        IdempotencyRecord(
            key=key,
            scope=scope,
            request_hash=fingerprint,
            status_code=status_code,
            response=body,
            created_at=now,
        )
    )
    session.flush()
