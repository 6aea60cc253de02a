"""The escalation queue as the supervisor's page shows it: one row per escalation with the
fields of UX.md §2.3, most urgent first, a page at a time, in a fixed number of queries.

The order is the API's (``service.queue``): emergencies, then the earliest deadline (the
most overdue first), then risk; it is done in SQL here so a page reads only its rows
however long the queue grows. The child appears by name, age and village to those who may
see names (the commune's caseworkers and supervisor, whose queue it is), else by initials.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import aliased
from sqlmodel import Session

from casework import text
from casework.accounts.models import User
from casework.agencies.models import Agency
from casework.cases.models import (
    CaseEvent,
    CaseStatus,
    ProtectionCase,
    RiskLevel,
    Task,
    TaskStatus,
)
from casework.children.models import Child
from casework.communes.models import Village
from casework.deadlines.models import CaseDeadline, DeadlineStatus
from casework.escalations.models import Escalation, EscalationReason, EscalationStatus
from casework.pagination import Page, PageParams, page_of
from casework.processes.models import WorkflowInstance
from casework.processes.registry import Described, process_for
from casework.timefmt import age_on, as_utc
from notifications.models import OutboxMessage
from workflows.definition import Label

WAITING = (EscalationStatus.open, EscalationStatus.acknowledged)
RISK_ORDER = sa.case(
    (ProtectionCase.risk_level == RiskLevel.high, 0),
    (ProtectionCase.risk_level == RiskLevel.medium, 1),
    (ProtectionCase.risk_level == RiskLevel.low, 2),
    else_=3,
)

# Most urgent first: emergencies, then the earliest deadline (the most overdue), then risk;
# every process's escalations in one list (a row of another process is no emergency).
URGENCY = (
    sa.func.coalesce(ProtectionCase.is_emergency, sa.false()).desc(),
    sa.func.coalesce(CaseDeadline.due_at, Escalation.created_at),
    RISK_ORDER,
    Escalation.id,
)
Caseworker = aliased(User, name="caseworker")
Handler = aliased(User, name="handler")
_Earlier = aliased(Escalation, name="earlier")
_LastEvent = aliased(CaseEvent, name="last_event")
_LastActor = aliased(User, name="last_actor")

# "Lần 2": how many times this case (instance) has come to the queue, this one included.
LEVEL = (
    sa.select(sa.func.count())
    .select_from(_Earlier)
    .where(_Earlier.instance_id == Escalation.instance_id, _Earlier.id <= Escalation.id)
    .correlate(Escalation)
    .scalar_subquery()
)
# Who last did something on the case (a person: timers act as nobody).
LAST_ACTOR = (
    sa.select(_LastActor.full_name)
    .select_from(_LastEvent)
    .join(_LastActor, _LastActor.id == _LastEvent.actor_id)
    .where(_LastEvent.case_id == ProtectionCase.id)
    .order_by(_LastEvent.id.desc())
    .limit(1)
    .correlate(ProtectionCase)
    .scalar_subquery()
)


@dataclass(frozen=True)
class QueueFilters:
    agency_ids: tuple[int, ...] = ()
    reasons: tuple[EscalationReason, ...] = ()


@dataclass(frozen=True)
class Undelivered:
    kind: str
    channel: str
    attempts: int
    last_error: str | None


@dataclass(frozen=True)
class QueueRow:
    """One escalation; about a case (the case's fields) or about another process's instance
    (``about``: what it is and its page; the case's fields empty)."""

    id: int
    reason: EscalationReason
    status: EscalationStatus
    level: int
    created_at: datetime
    case_code: str | None
    case_status: CaseStatus | None
    is_emergency: bool
    risk_level: RiskLevel | None
    updated_at: datetime | None
    last_actor: str | None
    child: str | None  # the full name, or initials for whoever may not see names
    child_age: int | None
    village: str | None
    deadline_kind: str | None
    deadline_label: Label | None
    clock: str | None
    starts_at: datetime | None
    due_at: datetime | None
    deadline_running: bool
    overdue: bool
    task_id: int | None
    task_title: str | None
    decline_reason: str | None  # the agency's own words, for a declined task
    agency_id: int | None
    agency_name: str | None
    caseworker: str | None
    handler: str | None
    undelivered: Undelivered | None
    instance_id: int = 0
    definition: str = ""
    about: Described | None = None


@dataclass(frozen=True)
class QueueCounts:
    total: int
    open: int
    acknowledged: int
    overdue: int
    emergency: int


def _joined(scope: sa.ColumnElement[bool]) -> sa.Select:
    """Escalations with their instance, case (if one), deadline and task, within ``scope``."""
    return (
        sa.select(Escalation.id)
        .join(WorkflowInstance, WorkflowInstance.id == Escalation.instance_id)
        .outerjoin(ProtectionCase, ProtectionCase.id == Escalation.case_id)
        .outerjoin(CaseDeadline, CaseDeadline.id == Escalation.deadline_id)
        .outerjoin(Task, Task.id == Escalation.task_id)
        .where(scope)
    )


# Its subject still open: a case not closed, or another process's instance not closed.
LIVE_SUBJECT = sa.or_(
    ProtectionCase.status != CaseStatus.closed,
    sa.and_(Escalation.case_id.is_(None), WorkflowInstance.closed_at.is_(None)),
)


def _base(scope: sa.ColumnElement[bool], filters: QueueFilters) -> sa.Select:
    statement = _joined(scope).where(Escalation.status.in_(WAITING), LIVE_SUBJECT)
    if filters.agency_ids:
        statement = statement.where(Task.agency_id.in_(filters.agency_ids))
    if filters.reasons:
        statement = statement.where(Escalation.reason.in_(filters.reasons))
    return statement


def _rows(statement: sa.Select) -> sa.Select:
    return (
        statement.with_only_columns(
            Escalation,
            LEVEL,
            ProtectionCase.code,
            ProtectionCase.status,
            ProtectionCase.is_emergency,
            ProtectionCase.risk_level,
            ProtectionCase.updated_at,
            ProtectionCase.workflow_name,
            ProtectionCase.workflow_version,
            LAST_ACTOR,
            Child.full_name,
            Child.date_of_birth,
            Child.birth_year,
            Village.name,
            CaseDeadline,
            Task.title,
            Task.status,
            Task.outcome_note,
            Task.agency_id,
            Agency.name,
            Caseworker.full_name,
            Handler.full_name,
            OutboxMessage.kind,
            OutboxMessage.channel,
            OutboxMessage.attempts,
            OutboxMessage.last_error,
            WorkflowInstance.id,
            WorkflowInstance.definition,
            WorkflowInstance.definition_version,
        )
        .outerjoin(Child, Child.id == ProtectionCase.child_id)
        .outerjoin(Village, Village.id == Child.village_id)
        .outerjoin(Agency, Agency.id == Task.agency_id)
        .outerjoin(Caseworker, Caseworker.id == ProtectionCase.assigned_caseworker_id)
        .outerjoin(Handler, Handler.id == Escalation.acknowledged_by_id)
        .outerjoin(OutboxMessage, OutboxMessage.id == Escalation.message_id)
        .order_by(*URGENCY)
    )


def _deadline_label(name: str, version: int, kind: str) -> Label | None:
    spec = process_for(name).engine(version).definition.deadlines.get(kind)
    return spec.label if spec else None


def _age(code: str | None, born: date | None, birth_year: int | None, today: date) -> int | None:
    if code is None or birth_year is None:
        return None
    return age_on(born, today) if born else today.year - birth_year


def _row(found: sa.Row, today: date, now: datetime, names: bool) -> QueueRow:
    (escalation, level, code, status, emergency, risk, updated, _name, _version) = found[:9]
    (last_actor, child_name, born, birth_year, village, deadline) = found[9:15]
    (task_title, task_status, task_note, agency_id, agency_name, caseworker, handler) = found[15:22]
    (kind, channel, attempts, last_error, instance_id, definition, version) = found[22:]
    running = deadline is not None and deadline.status == "running"
    due = as_utc(deadline.due_at) if deadline else None
    return QueueRow(
        id=escalation.id,
        reason=EscalationReason(escalation.reason),
        status=EscalationStatus(escalation.status),
        level=level,
        created_at=as_utc(escalation.created_at),
        case_code=code,
        case_status=CaseStatus(status) if status else None,
        is_emergency=bool(emergency),
        risk_level=RiskLevel(risk) if risk else None,
        updated_at=as_utc(updated) if updated else None,
        last_actor=last_actor,
        child=None if child_name is None else child_name if names else text.initials(child_name),
        child_age=None
        if code is None
        else age_on(born, today)
        if born
        else today.year - birth_year,
        village=village,
        deadline_kind=deadline.kind if deadline else None,
        deadline_label=_deadline_label(definition, version, deadline.kind) if deadline else None,
        clock=deadline.clock if deadline else None,
        starts_at=as_utc(deadline.starts_at) if deadline else None,
        due_at=due,
        deadline_running=running,
        overdue=running and due is not None and due <= now,
        task_id=escalation.task_id,
        task_title=task_title,
        decline_reason=task_note if task_status == TaskStatus.declined else None,
        agency_id=agency_id,
        agency_name=agency_name,
        caseworker=caseworker,
        handler=handler,
        undelivered=Undelivered(kind, channel, attempts, last_error) if kind else None,
        instance_id=instance_id,
        definition=definition,
    )


def _described(session: Session, rows: list[QueueRow]) -> list[QueueRow]:
    """The rows of other processes than cases, each with what its handler says it is."""
    others: dict[str, list[int]] = {}
    for row in rows:
        if row.case_code is None:
            others.setdefault(row.definition, []).append(row.instance_id)
    about: dict[int, Described] = {}
    for definition, ids in others.items():
        about |= process_for(definition).describe(session, instance_ids=ids)
    return [
        replace(row, about=about.get(row.instance_id)) if row.case_code is None else row
        for row in rows
    ]


def queue_page(
    session: Session,
    *,
    scope: sa.ColumnElement[bool],
    filters: QueueFilters,
    params: PageParams,
    now: datetime,
    today: date,
    names: bool = False,
) -> tuple[Page[QueueRow], QueueCounts]:
    """One page of the waiting escalations within ``scope`` (the cases the reader sees in
    full), and how many there are per state: two queries whatever the queue's length.
    ``names``: the reader may see children's names (else initials)."""
    base = _base(scope, filters)
    counted = session.execute(
        base.with_only_columns(
            sa.func.count(),
            sa.func.count().filter(Escalation.status == EscalationStatus.open),
            sa.func.count().filter(Escalation.status == EscalationStatus.acknowledged),
            sa.func.count().filter(
                CaseDeadline.status == DeadlineStatus.running, CaseDeadline.due_at <= now
            ),
            sa.func.count().filter(ProtectionCase.is_emergency.is_(True)),
        )
    ).one()
    counts = QueueCounts(*counted)
    # The page's escalations first, then what their rows show: joining children, people
    # and messages for the whole queue before cutting the page costs more than the page.
    picked = (
        base.order_by(*URGENCY).offset(params.offset).limit(params.page_size).subquery("picked")
    )
    statement = _joined(sa.true()).join(picked, picked.c.id == Escalation.id)
    found = session.execute(_rows(statement)).all()
    rows = _described(session, [_row(row, today, now, names) for row in found])
    return page_of(rows, total=counts.total, params=params), counts


def queue_row(
    session: Session,
    *,
    scope: sa.ColumnElement[bool],
    escalation_id: int,
    now: datetime,
    today: date,
    names: bool = False,
) -> QueueRow | None:
    """One escalation as its queue row (resolved ones too: a page may show what happened)."""
    statement = _joined(scope).where(Escalation.id == escalation_id)
    found = session.execute(_rows(statement)).first()
    return _described(session, [_row(found, today, now, names)])[0] if found else None
