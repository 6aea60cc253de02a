"""Rows that must not outlive their purpose, deleted on a slow tick.

Three tables grow with use and are worth nothing once their moment passed:
``login_throttle`` (one row per username or address that failed a login, including
made-up usernames), ``idempotency_record`` (the stored answer to a retried intake, which
names the child and the possible duplicates: personal data kept only as long as a client
may retry) and ``ended_session`` (a logout, remembered while its cookie could still be
accepted). Any number of processes may run this at once; a delete is idempotent.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlmodel import Session

from casework.accounts.models import EndedSession, LoginThrottle
from casework.config import Settings
from casework.intake.models import IdempotencyRecord


@dataclass(frozen=True)
class Purged:
    throttles: int
    idempotency_records: int
    ended_sessions: int


def purge(session: Session, *, settings: Settings, now: datetime) -> Purged:
    """Forget failed-login counts whose window and lockout are over, stored answers older
    than ``idempotency_hours`` and logouts whose cookies have expired. The caller commits."""
    window = now - timedelta(minutes=settings.login_lockout_minutes)
    throttles = session.execute(
        sa.delete(LoginThrottle).where(
            LoginThrottle.window_started_at < window,
            sa.or_(LoginThrottle.locked_until.is_(None), LoginThrottle.locked_until < now),
        )
    ).rowcount
    answers = session.execute(
        sa.delete(IdempotencyRecord).where(
            IdempotencyRecord.created_at < now - timedelta(hours=settings.idempotency_hours)
        )
    ).rowcount
    ended = session.execute(sa.delete(EndedSession).where(EndedSession.expires_at < now)).rowcount
    return Purged(throttles=throttles, idempotency_records=answers, ended_sessions=ended)
