"""Tasks for agencies: routed by the definition or planned (Mẫu 04), accepted, declined, done."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session, select

from casework import notices
from casework.actors import Actor
from casework.agencies import service as agency_service
from casework.agencies.models import Agency, AgencyKind
from casework.cases import service as case_service
from casework.cases.models import PLAN_ACTIVITY, ProtectionCase, Task, TaskStatus
from casework.children.models import Child
from casework.deadlines import service as deadline_service
from casework.errors import Conflict, NotFound
from casework.escalations import service as escalation_service
from casework.escalations.models import EscalationReason
from workflows.effects import CreateTask
from workflows.engine import Engine

TASK_ACK = "task_ack"
TASK_DUE = "task_due"


class TaskNotFound(NotFound):
    code = "task_not_found"


class TaskNotOpen(Conflict):
    code = "task_not_open"


def _ladders(engine: Engine, case: ProtectionCase) -> tuple[str, str]:
    rules = engine.definition.tasks
    if case.is_emergency:
        return rules.emergency_ladder, rules.emergency_ladder
    return rules.acknowledge_ladder, rules.due_ladder


def start_clocks(
    session: Session,
    *,
    engine: Engine,
    case: ProtectionCase,
    task: Task,
    acknowledge_by: datetime,
    now: datetime,
    tz: ZoneInfo,
) -> None:
    """Arm the task's two clocks (accept by, done by) and tell the agency."""
    ack_ladder, due_ladder = _ladders(engine, case)
    deadline_service.arm(
        session,
        engine=engine,
        case_id=case.id,
        task_id=task.id,
        kind=TASK_ACK,
        clock="hours",
        ladder=ack_ladder,
        starts_at=now,
        due_at=acknowledge_by,
    )
    deadline_service.arm(
        session,
        engine=engine,
        case_id=case.id,
        task_id=task.id,
        kind=TASK_DUE,
        clock="hours",
        ladder=due_ladder,
        starts_at=task.starts_at,
        due_at=task.due_at,
    )
    notices.send(
        session,
        kind="task.new",
        people=notices.recipients(session, case=case, task=task, roles=("assignee",)),
        case=case,
        dedupe=f"task:{task.id}:new",
        now=now,
        tz=tz,
        due_at=task.due_at,
        task=task,
    )


def route(
    session: Session,
    *,
    engine: Engine,
    case: ProtectionCase,
    effect: CreateTask,
    now: datetime,
    tz: ZoneInfo,
    actor: Actor,
) -> Task | None:
    """Create a task the definition routes; if the commune has no such agency, say so."""
    child = session.get_one(Child, case.child_id)
    agency = agency_service.find_for_task(
        session,
        commune_id=case.commune_id,
        kind=AgencyKind(effect.agency),
        school_name=child.school_name,
        village_id=child.village_id,
    )
    if agency is None:
        case_service.record_event(
            session,
            case=case,
            event="task_unroutable",
            now=now,
            actor_id=actor.user_id,
            payload={"agency_kind": effect.agency, "task_kind": effect.kind},
        )
        return None
    task = Task(
        case_id=case.id,
        agency_id=agency.id,
        kind=effect.kind,
        title=effect.title,
        starts_at=effect.starts_at,
        due_at=effect.due_at,
        status=TaskStatus.open,
        created_at=now,
    )
    session.add(task)
    session.flush()
    start_clocks(
        session,
        engine=engine,
        case=case,
        task=task,
        acknowledge_by=effect.acknowledge_by,
        now=now,
        tz=tz,
    )
    return task


def replace_planned(
    session: Session, *, case: ProtectionCase, tasks: list[dict], now: datetime
) -> int:
    """The plan's tasks (Mẫu 04) as submitted; a resubmitted plan replaces the earlier draft."""
    for old in session.exec(
        select(Task).where(Task.case_id == case.id, Task.status == TaskStatus.planned)
    ).all():
        session.delete(old)
    for item in tasks:
        agency = session.get(Agency, item["agency_id"])
        if agency is None or agency.commune_id != case.commune_id:
            raise UnknownAgency(agency_id=item["agency_id"])
        session.add(
            Task(
                case_id=case.id,
                agency_id=agency.id,
                kind=PLAN_ACTIVITY,
                title=item["title"],
                starts_at=item["starts_at"],
                due_at=item["due_at"],
                cost_vnd=item.get("cost_vnd"),
                status=TaskStatus.planned,
                created_at=now,
            )
        )
    session.flush()
    return planned_count(session, case_id=case.id)


class UnknownAgency(Conflict):
    status_code = 422
    code = "agency_not_found"


def planned_count(session: Session, *, case_id: int) -> int:
    return len(
        session.exec(
            select(Task.id).where(Task.case_id == case_id, Task.status == TaskStatus.planned)
        ).all()
    )


def activate_planned(
    session: Session,
    *,
    engine: Engine,
    case: ProtectionCase,
    now: datetime,
    tz: ZoneInfo,
) -> None:
    """The approved plan's tasks go to their agencies, with their clocks."""
    ack_hours = engine.definition.tasks.plan_ack_hours
    for task in session.exec(
        select(Task).where(Task.case_id == case.id, Task.status == TaskStatus.planned)
    ).all():
        task.status = TaskStatus.open
        session.add(task)
        start_clocks(
            session,
            engine=engine,
            case=case,
            task=task,
            acknowledge_by=min(now + timedelta(hours=ack_hours), max(task.due_at, now)),
            now=now,
            tz=tz,
        )


def get(session: Session, *, task_id: int) -> Task:
    task = session.exec(select(Task).where(Task.id == task_id).with_for_update()).first()
    if task is None:
        raise TaskNotFound(task_id=task_id)
    return task


def _require(task: Task, *allowed: TaskStatus) -> None:
    if task.status not in allowed:
        raise TaskNotOpen(task_id=task.id, status=task.status)


def accept(
    session: Session, actor: Actor, *, task: Task, case: ProtectionCase, now: datetime
) -> Task:
    """The agency takes the task on (Cơ quan nhận nhiệm vụ)."""
    _require(task, TaskStatus.open)
    task.status = TaskStatus.accepted
    task.acknowledged_at = now
    task.assignee_id = task.assignee_id or actor.user_id
    session.add(task)
    deadline_service.close(
        session, case_id=case.id, task_id=task.id, kind=TASK_ACK, now=now, met=True
    )
    _history(session, case, "task_accepted", task, actor, now)
    return task


def decline(
    session: Session,
    actor: Actor,
    *,
    task: Task,
    case: ProtectionCase,
    reason: str,
    now: datetime,
    tz: ZoneInfo,
) -> Task:
    """The agency cannot do it: the caseworker hears at once and the supervisor's queue gets it."""
    _require(task, TaskStatus.open, TaskStatus.accepted)
    task.status = TaskStatus.declined
    task.acknowledged_at = task.acknowledged_at or now
    task.outcome_note = reason
    session.add(task)
    deadline_service.close(
        session, case_id=case.id, task_id=task.id, kind=TASK_ACK, now=now, met=True
    )
    deadline_service.close(
        session, case_id=case.id, task_id=task.id, kind=TASK_DUE, now=now, met=False
    )
    escalation_service.raise_(
        session, case=case, reason=EscalationReason.task_declined, task_id=task.id, now=now, tz=tz
    )
    notices.send(
        session,
        kind="task.declined",
        people=notices.recipients(session, case=case, task=None, roles=("caseworker",)),
        case=case,
        dedupe=f"task:{task.id}:declined",
        now=now,
        tz=tz,
        task=task,
    )
    _history(session, case, "task_declined", task, actor, now, reason=reason)
    return task


def complete(
    session: Session,
    actor: Actor,
    *,
    task: Task,
    case: ProtectionCase,
    outcome: str,
    now: datetime,
) -> Task:
    """The agency reports the task done, with its outcome."""
    _require(task, TaskStatus.open, TaskStatus.accepted)
    task.status = TaskStatus.done
    task.done_at = now
    task.acknowledged_at = task.acknowledged_at or now
    task.outcome_note = outcome
    session.add(task)
    for kind in (TASK_ACK, TASK_DUE):
        deadline_service.close(
            session, case_id=case.id, task_id=task.id, kind=kind, now=now, met=True
        )
    _history(session, case, "task_completed", task, actor, now)
    return task


def _history(
    session: Session,
    case: ProtectionCase,
    event: str,
    task: Task,
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
        payload={"task_id": task.id, "agency_id": task.agency_id, **payload},
    )
