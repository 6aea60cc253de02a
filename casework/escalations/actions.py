"""What a supervisor does with an escalation: reassign the task, extend the deadline, or,
for messages that could not be delivered, send them again or record how the agency was
told instead."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session, select

from casework.actors import Actor
from casework.agencies.directory import Directory
from casework.agencies.models import UPSTREAM_KINDS, Agency, AgencyKind
from casework.cases.flow import engine_of
from casework.cases.models import PLAN_ACTIVITY, ProtectionCase, Task, TaskStatus
from casework.deadlines import service as deadline_service
from casework.deadlines.models import CaseDeadline, DeadlineStatus
from casework.errors import Conflict, FieldError, InvalidInput
from casework.escalations import service as escalation_service
from casework.escalations.models import Escalation, EscalationReason
from casework.messaging import service as messaging_service
from casework.tasks import service as task_service
from casework.timefmt import as_utc, to_local
from workflows.definition import Definition


class NothingToReassign(Conflict):
    code = "escalation_without_task"


class NothingToExtend(Conflict):
    code = "escalation_without_deadline"


class NotAboutMessages(Conflict):
    code = "escalation_not_about_messages"


def taking_kinds(definition: Definition, task_kind: str) -> frozenset[str]:
    """The kinds of agency a task of ``task_kind`` may be given to: for a routed task, the
    commune's bodies the workflow sends tasks to (its routes, the tasks its clocks create,
    the lead office); for a plan activity, any of the commune's own bodies. Never an
    upstream one (Tổng đài 111, Sở Y tế, the province's centre, a court): they are where
    cases are referred, not who carries out a commune's task."""
    if task_kind == PLAN_ACTIVITY:
        kinds = {kind.value for kind in AgencyKind}
    else:
        kinds = {spec.agency for route in definition.tasks.routes for spec in route.tasks}
        kinds |= {d.on_due_task.agency for d in definition.deadlines.values() if d.on_due_task}
        kinds.add(AgencyKind.culture_social.value)
    return frozenset(kinds - {kind.value for kind in UPSTREAM_KINDS})


def takers(session: Session, *, case: ProtectionCase, task: Task) -> list[Agency]:
    """The commune's active agencies that could take ``task`` instead of its own (the
    reassign list, and what ``reassign`` accepts), by name."""
    kinds = taking_kinds(engine_of(case).definition, task.kind)
    return list(
        session.exec(
            select(Agency)
            .where(
                Agency.commune_id == case.commune_id,
                Agency.is_active,
                Agency.id != task.agency_id,
                Agency.kind.in_(sorted(kinds)),
            )
            .order_by(Agency.name)
        ).all()
    )


def reassign(
    session: Session,
    actor: Actor,
    *,
    escalation: Escalation,
    case: ProtectionCase,
    agency_id: int,
    reason: str,
    now: datetime,
    tz: ZoneInfo,
) -> Task:
    """Give the stuck task to another agency that can take it (``takers``): the old one
    is cancelled, the new one has fresh clocks of the same length."""
    escalation_service.require_supervisor(actor)
    escalation_service.require_open(escalation)
    if escalation.task_id is None:
        raise NothingToReassign(escalation_id=escalation.id)
    old = task_service.get(session, task_id=escalation.task_id)
    agency = session.get(Agency, agency_id)
    if agency is None or agency.commune_id != case.commune_id:
        raise InvalidInput(
            [FieldError(("agency_id",), "agency_not_found", {"agency_id": agency_id})]
        )
    if agency.id not in {a.id for a in takers(session, case=case, task=old)}:
        raise InvalidInput(
            [FieldError(("agency_id",), "agency_cannot_take_task", {"agency": agency.name})]
        )
    allowed = old.due_at - old.starts_at
    if old.status in (TaskStatus.open, TaskStatus.accepted):
        old.status = TaskStatus.cancelled
        old.outcome_note = reason
        session.add(old)
    deadline_service.close(
        session, task_id=old.id, kinds=task_service.TASK_CLOCKS, now=now, met=False
    )
    new = Task(
        case_id=case.id,
        agency_id=agency.id,
        kind=old.kind,
        title=old.title,
        starts_at=now,
        due_at=now + allowed,
        status=TaskStatus.open,
        cost_vnd=old.cost_vnd,
        created_at=now,
    )
    session.add(new)
    session.flush()
    ack_hours = engine_of(case).definition.tasks.plan_ack_hours
    task_service.start_clocks(
        session,
        engine=engine_of(case),
        case=case,
        tasks=[(new, min(now + timedelta(hours=ack_hours), new.due_at))],
        directory=Directory.load(session, commune_ids=[case.commune_id]),
        now=now,
        tz=tz,
    )
    escalation_service.resolve(
        session,
        actor,
        escalation=escalation,
        case=case,
        now=now,
        event="escalation_reassigned",
        reason=reason,
        from_task_id=old.id,
        to_task_id=new.id,
        to_agency_id=agency.id,
    )
    return new


def extend(
    session: Session,
    actor: Actor,
    *,
    escalation: Escalation,
    case: ProtectionCase,
    due_at: datetime,
    reason: str,
    now: datetime,
    max_days: int,
    tz: ZoneInfo,
) -> CaseDeadline:
    """Give more time, with the reason on record; the ladder starts over toward the new date.

    At most ``max_days`` past the current due time (or past now, when it is already
    overdue): an extension to 31/12/9999 would switch a legal deadline off."""
    escalation_service.require_supervisor(actor)
    escalation_service.require_open(escalation)
    if escalation.deadline_id is None:
        raise NothingToExtend(escalation_id=escalation.id)
    deadline = session.get_one(CaseDeadline, escalation.deadline_id)
    if deadline.status != DeadlineStatus.running:
        raise NothingToExtend(escalation_id=escalation.id)
    if due_at <= now:
        raise InvalidInput([FieldError(("due_at",), "time_not_in_future")])
    latest = max(as_utc(deadline.due_at), now) + timedelta(days=max_days)
    if due_at > latest:
        shown = to_local(latest, tz).strftime("%d/%m/%Y %H:%M")
        params = {"days": max_days, "latest": shown}
        raise InvalidInput([FieldError(("due_at",), "extension_too_long", params)])
    previous = deadline.due_at
    deadline_service.extend(
        session, engine=engine_of(case), deadline=deadline, due_at=due_at, reason=reason
    )
    if deadline.task_id is not None:
        task = session.get_one(Task, deadline.task_id)
        if deadline.kind == task_service.TASK_DUE:
            task.due_at = due_at
            session.add(task)
    escalation_service.resolve(
        session,
        actor,
        escalation=escalation,
        case=case,
        now=now,
        event="deadline_extended",
        reason=reason,
        deadline_id=deadline.id,
        kind=deadline.kind,
        from_due_at=previous.isoformat(),
        to_due_at=due_at.isoformat(),
    )
    return deadline


def _undelivered(actor: Actor, escalation: Escalation) -> None:
    escalation_service.require_supervisor(actor)
    escalation_service.require_open(escalation)
    if escalation.reason != EscalationReason.message_failed:
        raise NotAboutMessages(escalation_id=escalation.id)


def resend(
    session: Session,
    actor: Actor,
    *,
    escalation: Escalation,
    case: ProtectionCase,
    now: datetime,
) -> int:
    """Gửi lại: the case's undelivered messages go again, to the addresses people have now
    (fix a wrong phone number on the administration page first). If they die again, the
    case comes back to the queue. Returns how many were queued."""
    _undelivered(actor, escalation)
    count = messaging_service.resend_dead(session, case_code=case.code, now=now)
    escalation_service.resolve(
        session,
        actor,
        escalation=escalation,
        case=case,
        now=now,
        event="messages_resent",
        count=count,
    )
    return count


def settle(
    session: Session,
    actor: Actor,
    *,
    escalation: Escalation,
    case: ProtectionCase,
    reason: str,
    now: datetime,
) -> None:
    """Đã báo bằng cách khác: the agency was told another way (a phone call, in person);
    how goes on the case's record, so nobody sends the same thing again."""
    _undelivered(actor, escalation)
    escalation_service.resolve(
        session,
        actor,
        escalation=escalation,
        case=case,
        now=now,
        event="messages_settled",
        reason=reason,
    )
