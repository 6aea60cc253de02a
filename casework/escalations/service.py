"""The supervisor's escalation queue: raised by ladders and refusals, worked by supervisors."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlmodel import Session, select

from casework import notices
from casework.actors import Actor
from casework.agencies.directory import CaseRef, Directory
from casework.authz import policy
from casework.base import label
from casework.cases import service as case_service
from casework.cases.models import ProtectionCase
from casework.errors import CaseworkError, Conflict, NotFound
from casework.escalations.models import Escalation, EscalationReason, EscalationStatus
from notifications.outbox import enqueue_many


class EscalationNotFound(NotFound):
    code = "escalation_not_found"


class EscalationClosed(Conflict):
    code = "escalation_resolved"


@dataclass(frozen=True)
class NewEscalation:
    """Something for the queue, about a case (``case``) or any other workflow instance
    (``case`` None, ``instance_id`` given)."""

    case: CaseRef | None
    reason: EscalationReason
    deadline_id: int | None = None
    task_id: int | None = None
    message_id: int | None = None  # the undelivered message (reason ``message_failed``)
    instance_id: int | None = None  # default: the case's

    @property
    def instance(self) -> int:
        found = self.instance_id if self.instance_id is not None else self.case.instance_id
        assert found is not None, "an escalation belongs to an instance"
        return found


_E = Escalation.__table__
_OPEN_FOR_DEADLINES = sa.select(_E.c.deadline_id).where(
    _E.c.deadline_id.in_(sa.bindparam("ids", expanding=True)),
    _E.c.status != EscalationStatus.resolved,
)
# Undelivered messages: one open entry per case, however many messages died.
_OPEN_MESSAGE_FAILURES = sa.select(_E.c.case_id).where(
    _E.c.case_id.in_(sa.bindparam("ids", expanding=True)),
    _E.c.reason == EscalationReason.message_failed,
    _E.c.status != EscalationStatus.resolved,
)
_INSERT = _E.insert().returning(_E.c.id, sort_by_parameter_order=True)


def raise_many(
    session: Session,
    *,
    items: Sequence[NewEscalation],
    directory: Directory,
    now: datetime,
    tz: ZoneInfo,
) -> list[int]:
    """Put things in the queue (a deadline at most once while open, a case's undelivered
    messages once while open) and tell the commune's supervisors; returns the new
    escalations' ids. Callers hold the cases' locks, which is what keeps two raisers from
    adding the same deadline twice."""
    conn = session.connection()
    deadline_ids = [item.deadline_id for item in items if item.deadline_id is not None]
    already = (
        set(conn.execute(_OPEN_FOR_DEADLINES, {"ids": deadline_ids}).scalars())
        if deadline_ids
        else set()
    )
    failing = [
        item.case.id
        for item in items
        if item.case is not None and item.reason == EscalationReason.message_failed
    ]
    failed_cases = (
        set(conn.execute(_OPEN_MESSAGE_FAILURES, {"ids": failing}).scalars()) if failing else set()
    )
    fresh: list[NewEscalation] = []
    for item in items:
        if item.case is not None and item.reason == EscalationReason.message_failed:
            if item.case.id in failed_cases:
                continue
            failed_cases.add(item.case.id)
        if item.deadline_id is None or item.deadline_id not in already:
            fresh.append(item)
            already.add(item.deadline_id)
    if not fresh:
        return []
    ids = list(
        conn.execute(
            _INSERT,
            [
                {
                    "instance_id": item.instance,
                    "case_id": item.case.id if item.case is not None else None,
                    "deadline_id": item.deadline_id,
                    "task_id": item.task_id,
                    "message_id": item.message_id,
                    "reason": item.reason,
                    "status": EscalationStatus.open,
                    "created_at": now,
                    "acknowledged_by_id": None,
                    "acknowledged_at": None,
                    "resolved_at": None,
                    "note": None,
                }
                for item in fresh
            ],
        ).scalars()
    )
    # The supervisors hear of a case's escalation at once; another process's escalations
    # are in the same queue (their handler may tell people in its own words).
    news = [
        message
        for escalation_id, item in zip(ids, fresh, strict=True)
        if item.case is not None
        for message in notices.messages(
            kind="escalation.new",
            people=directory.recipients(case=item.case, task=None, roles=("supervisor",)),
            case=item.case,
            dedupe=f"escalation:{escalation_id}",
            tz=tz,
            reason=item.reason.value,
            reason_label=label(item.reason),
        )
    ]
    enqueue_many(session, news, now=now)
    return ids


def raise_(
    session: Session,
    *,
    case: ProtectionCase,
    reason: EscalationReason,
    now: datetime,
    tz: ZoneInfo,
    deadline_id: int | None = None,
    task_id: int | None = None,
) -> Escalation | None:
    """Put one thing in the queue (a deadline once) and tell the supervisors; the new
    escalation, or None if the deadline was already in the queue."""
    ids = raise_many(
        session,
        items=[NewEscalation(case, reason, deadline_id, task_id)],
        directory=Directory.load(session, commune_ids=[case.commune_id]),
        now=now,
        tz=tz,
    )
    return session.get(Escalation, ids[0]) if ids else None


def lock_with_case(session: Session, *, escalation_id: int) -> tuple[Escalation, ProtectionCase]:
    """The escalation and its case, locked case first: the order every writer of a case
    uses (a timer or a transition resolving this escalation), so they wait, not deadlock."""
    case_id = session.exec(select(Escalation.case_id).where(Escalation.id == escalation_id)).first()
    if case_id is None:
        raise EscalationNotFound(escalation_id=escalation_id)
    case = session.exec(
        select(ProtectionCase).where(ProtectionCase.id == case_id).with_for_update()
    ).one()
    escalation = session.exec(
        select(Escalation).where(Escalation.id == escalation_id).with_for_update()
    ).one()
    return escalation, case


class SupervisorsOnly(CaseworkError):
    status_code = 403
    code = "guard_supervisor_only"


def require_supervisor(actor: Actor) -> None:
    """Only the commune's supervisor works the escalation queue (the access policy's rule,
    checked again here for callers other than the API)."""
    if not policy.role_may(actor.role, policy.Action.escalation_act):
        raise SupervisorsOnly()


def require_open(escalation: Escalation) -> None:
    if escalation.status == EscalationStatus.resolved:
        raise EscalationClosed(escalation_id=escalation.id)


def acknowledge(
    session: Session, actor: Actor, *, escalation: Escalation, case: ProtectionCase, now: datetime
) -> None:
    """A supervisor takes it ("Đang xử lý"), so a second supervisor does not act twice."""
    require_supervisor(actor)
    require_open(escalation)
    escalation.status = EscalationStatus.acknowledged
    escalation.acknowledged_by_id = actor.user_id
    escalation.acknowledged_at = now
    session.add(escalation)
    _history(session, case, "escalation_acknowledged", escalation, actor, now)


def resolve(
    session: Session,
    actor: Actor,
    *,
    escalation: Escalation,
    case: ProtectionCase,
    now: datetime,
    event: str,
    **payload: object,
) -> None:
    escalation.status = EscalationStatus.resolved
    escalation.resolved_at = now
    escalation.acknowledged_by_id = escalation.acknowledged_by_id or actor.user_id
    escalation.acknowledged_at = escalation.acknowledged_at or now
    escalation.note = str(payload.get("reason") or "") or escalation.note
    session.add(escalation)
    _history(session, case, event, escalation, actor, now, **payload)


def _history(
    session: Session,
    case: ProtectionCase,
    event: str,
    escalation: Escalation,
    actor: Actor,
    now: datetime,
    **payload: object,
) -> None:
    case_service.note(
        session,
        case=case,
        event=event,
        now=now,
        actor_id=actor.user_id,
        payload={"escalation_id": escalation.id, **payload},
    )
