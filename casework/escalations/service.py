"""The supervisor's escalation queue: raised by ladders and refusals, worked by supervisors."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from casework import notices
from casework.accounts.models import Role
from casework.actors import Actor
from casework.base import label
from casework.cases import service as case_service
from casework.cases.models import CaseStatus, ProtectionCase, Task
from casework.communes.models import commune_id_of
from casework.deadlines.models import CaseDeadline
from casework.errors import CaseworkError, Conflict, NotFound
from casework.escalations.models import Escalation, EscalationReason, EscalationStatus
from casework.escalations.schemas import EscalationRead, UndeliveredRead
from casework.timefmt import to_local
from notifications.models import OutboxMessage


class EscalationNotFound(NotFound):
    code = "escalation_not_found"


class EscalationClosed(Conflict):
    code = "escalation_resolved"


def raise_(
    session: Session,
    *,
    case: ProtectionCase,
    reason: EscalationReason,
    now: datetime,
    tz: ZoneInfo,
    deadline_id: int | None = None,
    task_id: int | None = None,
    message_id: int | None = None,
) -> Escalation | None:
    """Put something in the queue (once per deadline; undelivered messages once per case
    while open) and tell the supervisors."""
    once: sa.ColumnElement[bool] | None = None
    if deadline_id is not None:
        once = Escalation.deadline_id == deadline_id
    elif reason == EscalationReason.message_failed:
        once = sa.and_(Escalation.case_id == case.id, Escalation.reason == reason)
    if once is not None:
        existing = session.exec(
            select(Escalation).where(once, Escalation.status != EscalationStatus.resolved)
        ).first()
        if existing is not None:
            return None
    escalation = Escalation(
        case_id=case.id,
        deadline_id=deadline_id,
        task_id=task_id,
        message_id=message_id,
        reason=reason,
        created_at=now,
    )
    try:
        with session.begin_nested():
            session.add(escalation)
    except IntegrityError:
        return None  # raised concurrently by another process: one is enough
    notices.send(
        session,
        kind="escalation.new",
        people=notices.recipients(session, case=case, task=None, roles=("supervisor",)),
        case=case,
        dedupe=f"escalation:{escalation.id}",
        now=now,
        tz=tz,
        reason=reason.value,
        reason_label=label(reason),
    )
    return escalation


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
    """Only the commune's supervisor works the escalation queue."""
    if actor.role != Role.supervisor:
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


def queue(
    session: Session,
    *,
    commune_code: str | None,
    include_acknowledged: bool,
    now: datetime,
    tz: ZoneInfo,
) -> list[EscalationRead]:
    """Most urgent first: emergencies, then the most overdue, then by risk."""
    statuses = [EscalationStatus.open]
    if include_acknowledged:
        statuses.append(EscalationStatus.acknowledged)
    statement = (
        sa.select(Escalation, ProtectionCase, CaseDeadline, Task, OutboxMessage)
        .join(ProtectionCase, ProtectionCase.id == Escalation.case_id)
        .outerjoin(CaseDeadline, CaseDeadline.id == Escalation.deadline_id)
        .outerjoin(Task, Task.id == Escalation.task_id)
        .outerjoin(OutboxMessage, OutboxMessage.id == Escalation.message_id)
        .where(Escalation.status.in_(statuses), ProtectionCase.status != CaseStatus.closed)
    )
    if commune_code is not None:
        statement = statement.where(ProtectionCase.commune_id == commune_id_of(commune_code))
    rows = session.execute(statement).all()
    risk_rank = {"high": 0, "medium": 1, "low": 2}

    def urgency(row: sa.Row) -> tuple:
        escalation, case, deadline, _task, _message = row
        due = deadline.due_at if deadline is not None else escalation.created_at
        return (not case.is_emergency, due, risk_rank.get(case.risk_level or "", 3), escalation.id)

    return [
        EscalationRead(
            id=escalation.id,
            case_code=case.code,
            reason=escalation.reason,
            reason_label=label(EscalationReason(escalation.reason)),
            status=escalation.status,
            is_emergency=case.is_emergency,
            risk_level=case.risk_level,
            case_status=case.status,
            deadline_kind=deadline.kind if deadline else None,
            due_at=to_local(deadline.due_at, tz) if deadline else None,
            overdue_hours=round((now - deadline.due_at).total_seconds() / 3600, 1)
            if deadline
            else None,
            task_id=task.id if task else None,
            task_title=task.title if task else None,
            agency_id=task.agency_id if task else None,
            created_at=to_local(escalation.created_at, tz),
            acknowledged_by_id=escalation.acknowledged_by_id,
            message=UndeliveredRead(
                id=message.id,
                kind=message.kind,
                channel=message.channel,
                recipient=message.recipient,
                attempts=message.attempts,
                last_error=message.last_error,
            )
            if message is not None
            else None,
        )
        for escalation, case, deadline, task, message in sorted(rows, key=urgency)
    ]
