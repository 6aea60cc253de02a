"""The escalation queue as the API lists it: every process's waiting escalations, most
urgent first (emergencies, then the most overdue, then risk), as the page orders them.

A case's row carries the case's code, state and risk; a row of another process (a late
village review, a data-cleaning loop waiting for the police) has no case: its ``process``
names the workflow definition and ``about`` says, in its handler's words, what it is and
where it is worked (``processes.registry.Process.describe``), as the supervisor's page does.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlmodel import Session

from casework.base import label
from casework.cases.models import ProtectionCase, Task, TaskStatus
from casework.communes.models import commune_id_of
from casework.deadlines.models import CaseDeadline
from casework.escalations.models import Escalation, EscalationReason, EscalationStatus
from casework.escalations.repository import LIVE_SUBJECT
from casework.escalations.schemas import AboutRead, EscalationRead, UndeliveredRead
from casework.processes.models import WorkflowInstance
from casework.processes.registry import Described, process_for
from casework.timefmt import to_local
from notifications.models import OutboxMessage

_RISK_RANK = {"high": 0, "medium": 1, "low": 2}


def queue(
    session: Session,
    *,
    commune_code: str | None,
    include_acknowledged: bool,
    now: datetime,
    tz: ZoneInfo,
    scope: sa.ColumnElement[bool] | None = None,
) -> list[EscalationRead]:
    """The waiting escalations within ``scope`` (the policy's ``scopes.escalations``)."""
    statuses = [EscalationStatus.open]
    if include_acknowledged:
        statuses.append(EscalationStatus.acknowledged)
    statement = (
        sa.select(Escalation, WorkflowInstance, ProtectionCase, CaseDeadline, Task, OutboxMessage)
        .join(WorkflowInstance, WorkflowInstance.id == Escalation.instance_id)
        .outerjoin(ProtectionCase, ProtectionCase.id == Escalation.case_id)
        .outerjoin(CaseDeadline, CaseDeadline.id == Escalation.deadline_id)
        .outerjoin(Task, Task.id == Escalation.task_id)
        .outerjoin(OutboxMessage, OutboxMessage.id == Escalation.message_id)
        .where(Escalation.status.in_(statuses), LIVE_SUBJECT)
    )
    if commune_code is not None:
        statement = statement.where(WorkflowInstance.commune_id == commune_id_of(commune_code))
    if scope is not None:
        statement = statement.where(scope)
    rows = session.execute(statement).all()
    about = _described(session, [instance for _, instance, case, *_ in rows if case is None])

    def urgency(row: sa.Row) -> tuple:
        escalation, _instance, case, deadline, _task, _message = row
        due = deadline.due_at if deadline is not None else escalation.created_at
        emergency = case is not None and case.is_emergency
        risk = _RISK_RANK.get(case.risk_level or "", 3) if case is not None else 3
        return (not emergency, due, risk, escalation.id)

    return [_read(row, about, now=now, tz=tz) for row in sorted(rows, key=urgency)]


def _described(session: Session, instances: list[WorkflowInstance]) -> dict[int, Described]:
    by_definition: dict[str, list[int]] = {}
    for instance in instances:
        assert instance.id is not None
        by_definition.setdefault(instance.definition, []).append(instance.id)
    found: dict[int, Described] = {}
    for definition, ids in by_definition.items():
        found |= process_for(definition).describe(session, instance_ids=ids)
    return found


def _read(
    row: sa.Row, about: dict[int, Described], *, now: datetime, tz: ZoneInfo
) -> EscalationRead:
    escalation, instance, case, deadline, task, message = row
    described = about.get(instance.id) if case is None else None
    return EscalationRead(
        id=escalation.id,
        process=instance.definition,
        case_code=case.code if case is not None else None,
        about=AboutRead(title=described.title, url=described.url) if described else None,
        reason=escalation.reason,
        reason_label=label(EscalationReason(escalation.reason)),
        status=escalation.status,
        is_emergency=case is not None and case.is_emergency,
        risk_level=case.risk_level if case is not None else None,
        case_status=case.status if case is not None else None,
        deadline_kind=deadline.kind if deadline else None,
        due_at=to_local(deadline.due_at, tz) if deadline else None,
        overdue_hours=round((now - deadline.due_at).total_seconds() / 3600, 1)
        if deadline
        else None,
        task_id=task.id if task else None,
        task_title=task.title if task else None,
        agency_id=task.agency_id if task else None,
        decline_reason=task.outcome_note
        if task is not None and task.status == TaskStatus.declined
        else None,
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
