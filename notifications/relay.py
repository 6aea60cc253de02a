"""The relay's database side: claim due messages, record what the providers answered.

Claiming is the timers' mechanism: due rows are selected ``FOR UPDATE SKIP LOCKED``
(PostgreSQL; SQLite serialises writers), flipped to ``sending`` with this worker's name and
a lease, and the claim commits before anything is sent, so no transaction is open while a
provider is talking. A relay that dies mid-send leaves its rows ``sending``; once the lease
runs out any relay claims them again and sends them again with the same idempotency key.
Delivery is therefore at least once: a crash between the provider's "accepted" and our
"sent" means one resend, which a provider that honours the key drops.

A failed attempt waits an exponential backoff with jitter; after ``max_attempts`` (or at
once, when the provider says the message can never go) the row is ``dead`` and the
``on_dead`` hook runs in the same transaction (Casework puts it in the supervisor's queue).
"""

from __future__ import annotations

import random
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session

from notifications.channels import Delivery, Outcome
from notifications.models import OutboxMessage, OutboxState
from notifications.render import Rendered

TABLE: sa.Table = OutboxMessage.__table__  # type: ignore[assignment]
M = OutboxMessage


@dataclass(frozen=True)
class Claimed:
    """A claimed message, detached from any session (sending happens outside one)."""

    id: int
    kind: str
    recipient: str
    subject_ref: str
    channel: str
    address: str | None
    language: str
    urgent: bool
    context: dict[str, Any]
    attempts: int
    template_id: str | None
    subject: str | None
    body: str | None


CLAIM_COLUMNS = (
    M.id,
    M.kind,
    M.recipient,
    M.subject_ref,
    M.channel,
    M.address,
    M.language,
    M.urgent,
    M.context,
    M.attempts,
    M.template_id,
    M.subject,
    M.body,
)


def claim(
    session: Session,
    *,
    now: datetime,
    worker: str,
    lease: timedelta,
    limit: int,
    channels: Collection[str],
    urgent_only: bool = False,
) -> list[Claimed]:
    """Take up to ``limit`` due messages on ``channels`` (urgent first), or whose sender's
    lease ran out. ``urgent_only`` during quiet hours: routine messages wait until morning."""
    if not channels:
        return []
    ready = sa.or_(
        sa.and_(M.state.in_((OutboxState.pending, OutboxState.failed)), M.next_attempt_at <= now),
        sa.and_(M.state == OutboxState.sending, M.lease_until < now),
    )
    due = sa.select(M.id).where(ready, M.channel.in_(list(channels)))
    if urgent_only:
        due = due.where(M.urgent.is_(True))
    due = (
        due.order_by(M.urgent.desc(), M.next_attempt_at, M.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    rows = session.execute(
        sa.update(M)
        .where(M.id.in_(due.scalar_subquery()))
        .values(
            state=OutboxState.sending,
            claimed_by=worker,
            lease_until=now + lease,
            attempts=M.attempts + 1,
            last_attempt_at=now,
        )
        .returning(*CLAIM_COLUMNS)
    ).all()
    claimed = [Claimed(**row._asdict()) for row in rows]
    return sorted(claimed, key=lambda c: (not c.urgent, c.id))


@dataclass(frozen=True)
class Backoff:
    """Exponential, capped, with jitter so that a provider coming back is not hit by every
    waiting message in the same second: attempt n waits between half and all of
    ``min(cap, base * 2**(n-1))``."""

    base: timedelta = timedelta(seconds=30)
    cap: timedelta = timedelta(hours=1)

    def delay(self, attempts: int, rng: random.Random) -> timedelta:
        ceiling = min(self.cap, self.base * 2 ** max(attempts - 1, 0))
        return ceiling * (0.5 + rng.random() / 2)


class Verdict(StrEnum):
    sent = "sent"
    failed = "failed"
    dead = "dead"
    released = "released"  # never tried (the batch ran out of lease): back in the queue


@dataclass(frozen=True)
class Result:
    message: Claimed
    delivery: Delivery | None  # None: released untried
    rendered: Rendered | None = None


@dataclass(frozen=True)
class DeadMessage:
    id: int
    kind: str
    recipient: str
    subject_ref: str
    channel: str
    last_error: str | None


@dataclass
class Recorded:
    counts: dict[Verdict, int] = field(default_factory=lambda: dict.fromkeys(Verdict, 0))
    dead: list[DeadMessage] = field(default_factory=list)


def verdict(result: Result, *, max_attempts: int) -> Verdict:
    if result.delivery is None:
        return Verdict.released
    if result.delivery.outcome == Outcome.sent:
        return Verdict.sent
    if result.delivery.outcome == Outcome.reject or result.message.attempts >= max_attempts:
        return Verdict.dead
    return Verdict.failed


def _rendered(result: Result) -> dict[str, Any]:
    rendered = result.rendered
    if rendered is None:
        return {"b_template": None, "b_subject": None, "b_body": None}
    return {
        "b_template": rendered.template_id,
        "b_subject": rendered.subject,
        "b_body": rendered.text,
    }


C = TABLE.c
_KEEP_OR = {  # written only when this attempt rendered something; else the row keeps its own
    "template_id": sa.func.coalesce(sa.bindparam("b_template"), C.template_id),
    "subject": sa.func.coalesce(sa.bindparam("b_subject"), C.subject),
    "body": sa.func.coalesce(sa.bindparam("b_body"), C.body),
}
_LEASE_OFF = {"claimed_by": None, "lease_until": None}
_OURS = sa.and_(C.claimed_by == sa.bindparam("b_worker"), C.state == OutboxState.sending)

# A success is recorded whoever holds the row now: the message did go.
_SENT = (
    TABLE.update()
    .where(C.id == sa.bindparam("b_id"), C.state != OutboxState.sent)
    .values(
        state=OutboxState.sent,
        sent_at=sa.bindparam("b_now"),
        provider_message_id=sa.bindparam("b_provider_id"),
        provider_status=sa.bindparam("b_status"),
        **_KEEP_OR,
        **_LEASE_OFF,
    )
)
# A failure only while this worker still holds the row (else another relay took it over
# after our lease ran out, and its answer counts).
_FAILED = (
    TABLE.update()
    .where(C.id == sa.bindparam("b_id"), _OURS)
    .values(
        state=OutboxState.failed,
        next_attempt_at=sa.bindparam("b_next"),
        last_error=sa.bindparam("b_error"),
        provider_status=sa.bindparam("b_status"),
        **_KEEP_OR,
        **_LEASE_OFF,
    )
)
_DEAD = (
    TABLE.update()
    .where(C.id == sa.bindparam("b_id"), _OURS)
    .values(
        state=OutboxState.dead,
        last_error=sa.bindparam("b_error"),
        provider_status=sa.bindparam("b_status"),
        **_KEEP_OR,
        **_LEASE_OFF,
    )
    .returning(C.id)
)
# Never tried: back in the queue as it was, the attempt not counted.
_RELEASED = (
    TABLE.update()
    .where(C.id == sa.bindparam("b_id"), _OURS)
    .values(
        state=sa.case((C.attempts <= 1, OutboxState.pending), else_=OutboxState.failed),
        attempts=C.attempts - 1,
        **_LEASE_OFF,
    )
)


def record(
    session: Session,
    results: Sequence[Result],
    *,
    worker: str,
    now: datetime,
    max_attempts: int,
    backoff: Backoff,
    rng: random.Random,
    on_dead: Callable[[Session, list[DeadMessage], datetime], None] | None = None,
) -> Recorded:
    """Write each message's outcome: one statement per kind of outcome for the whole chunk
    (dead ones one by one, to know which really died here and tell ``on_dead``)."""
    recorded = Recorded()
    groups: dict[Verdict, list[dict[str, Any]]] = {v: [] for v in Verdict}
    dying: list[tuple[Result, dict[str, Any]]] = []
    for result in results:
        decided = verdict(result, max_attempts=max_attempts)
        delivery = result.delivery
        row: dict[str, Any] = {"b_id": result.message.id, "b_worker": worker}
        if delivery is not None:
            row |= _rendered(result) | {"b_status": delivery.status}
        if decided == Verdict.sent:
            row |= {"b_now": now, "b_provider_id": delivery.provider_message_id}  # type: ignore[union-attr]
        elif decided == Verdict.failed:
            wait = backoff.delay(result.message.attempts, rng)
            row |= {"b_next": now + wait, "b_error": delivery.error}  # type: ignore[union-attr]
        elif decided == Verdict.dead:
            row["b_error"] = delivery.error  # type: ignore[union-attr]
            dying.append((result, row))
            continue
        groups[decided].append(row)
    connection = session.connection()
    for decided, statement in (
        (Verdict.sent, _SENT),
        (Verdict.failed, _FAILED),
        (Verdict.released, _RELEASED),
    ):
        if groups[decided]:
            changed = connection.execute(statement, groups[decided]).rowcount
            recorded.counts[decided] += changed if changed >= 0 else len(groups[decided])
    for result, row in dying:
        if connection.execute(_DEAD, row).first() is None:
            continue
        recorded.counts[Verdict.dead] += 1
        message = result.message
        recorded.dead.append(
            DeadMessage(
                id=message.id,
                kind=message.kind,
                recipient=message.recipient,
                subject_ref=message.subject_ref,
                channel=message.channel,
                last_error=row["b_error"],
            )
        )
    if recorded.dead and on_dead is not None:
        on_dead(session, recorded.dead, now)
    return recorded
