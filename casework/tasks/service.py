"""Tasks for agencies: routed by the definition or planned (Mẫu 04), accepted, declined, done."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlmodel import Session, select

from casework import notices
from casework.actors import Actor
from casework.agencies.directory import CaseRef, Directory
from casework.agencies.models import Agency
from casework.cases import service as case_service
from casework.cases.models import PLAN_ACTIVITY, ProtectionCase, Task, TaskStatus
from casework.deadlines import service as deadline_service
from casework.deadlines.service import NewClock
from casework.errors import Conflict, NotFound
from casework.escalations import service as escalation_service
from casework.escalations.models import EscalationReason
from notifications.outbox import enqueue_many
from workflows.effects import CreateTask
from workflows.engine import Engine

TASK_ACK = "task_ack"
TASK_DUE = "task_due"
TASK_CLOCKS = (TASK_ACK, TASK_DUE)


class TaskNotFound(NotFound):
    code = "task_not_found"


class TaskNotOpen(Conflict):
    code = "task_not_open"


@dataclass(frozen=True)
class TaskRow:
    """A task as routing and messages read it."""

    id: int
    agency_id: int
    assignee_id: int | None
    kind: str
    title: str
    starts_at: datetime
    due_at: datetime


@dataclass(frozen=True)
class ChildPlace:
    """Where a child's tasks go: their own school and village."""

    school_name: str | None
    village_id: int | None


_T = Task.__table__
_ROW_COLUMNS = (
    _T.c.id,
    _T.c.agency_id,
    _T.c.assignee_id,
    _T.c.kind,
    _T.c.title,
    _T.c.starts_at,
    _T.c.due_at,
)
_INSERT = _T.insert().returning(_T.c.id, sort_by_parameter_order=True)
_PLANNED = (
    sa.select(*_ROW_COLUMNS)
    .where(_T.c.case_id == sa.bindparam("case_id"), _T.c.status == TaskStatus.planned)
    .order_by(_T.c.id)
)
_OPEN = (
    _T.update()
    .where(_T.c.id.in_(sa.bindparam("ids", expanding=True)))
    .values(status=TaskStatus.open, version=_T.c.version + 1)
)
_DELETE_PLANNED = _T.delete().where(
    _T.c.case_id == sa.bindparam("b_case_id"), _T.c.status == TaskStatus.planned
)
_OPEN_KINDS = sa.select(_T.c.kind).where(
    _T.c.case_id == sa.bindparam("case_id"),
    _T.c.status.in_([TaskStatus.open, TaskStatus.accepted]),
)
_AGENCIES_OF_COMMUNE = sa.select(Agency.id).where(
    Agency.id.in_(sa.bindparam("ids", expanding=True)),
    Agency.commune_id == sa.bindparam("commune_id"),
)


def open_kinds(session: Session, *, case_id: int) -> frozenset[str]:
    """The kinds of task the case has open or accepted (a route does not give them again)."""
    rows = session.connection().execute(_OPEN_KINDS, {"case_id": case_id}).scalars()
    return frozenset(rows)


def _ladders(engine: Engine, case: CaseRef) -> tuple[str, str]:
    rules = engine.definition.tasks
    if case.is_emergency:
        return rules.emergency_ladder, rules.emergency_ladder
    return rules.acknowledge_ladder, rules.due_ladder


def _insert(session: Session, *, case_id: int, rows: list[dict[str, Any]]) -> list[TaskRow]:
    if not rows:
        return []
    full = [
        {"case_id": case_id, "assignee_id": None, "cost_vnd": None, "version": 1} | row
        for row in rows
    ]
    ids = session.connection().execute(_INSERT, full).scalars().all()
    return [
        TaskRow(id_, r["agency_id"], None, r["kind"], r["title"], r["starts_at"], r["due_at"])
        for id_, r in zip(ids, full, strict=True)
    ]


@dataclass(frozen=True)
class TaskClocks:
    """When a task's two clocks run: accept from ``acknowledge_from`` (None: now) until
    ``acknowledge_by``; done by the task's due time, counted on ``due_clock``."""

    task: TaskRow | Task
    acknowledge_by: datetime
    acknowledge_from: datetime | None = None
    due_clock: str = "hours"


def start_clocks(
    session: Session,
    *,
    engine: Engine,
    case: CaseRef,
    tasks: Sequence[TaskClocks | tuple[TaskRow | Task, datetime]],
    directory: Directory,
    now: datetime,
    tz: ZoneInfo,
) -> None:
    """Arm each task's two clocks (accept by the given time, done by its due time) and tell
    each agency, in one statement per table. A ``(task, acknowledge_by)`` pair accepts
    from now, on a due clock in hours."""
    ack_ladder, due_ladder = _ladders(engine, case)
    items = [item if isinstance(item, TaskClocks) else TaskClocks(*item) for item in tasks]
    clocks = []
    for item in items:
        task = item.task
        ack_from = now if item.acknowledge_from is None else item.acknowledge_from
        clocks.append(
            NewClock(
                case.instance_id,
                case.id,
                TASK_ACK,
                "hours",
                ack_ladder,
                ack_from,
                item.acknowledge_by,
                task.id,
            )
        )
        clocks.append(
            NewClock(
                case.instance_id,
                case.id,
                TASK_DUE,
                item.due_clock,
                due_ladder,
                task.starts_at,
                task.due_at,
                task.id,
            )
        )
    deadline_service.arm_many(session, engine=engine, clocks=clocks, now=now)
    news = [
        message
        for item in items
        for message in notices.messages(
            kind="task.new",
            people=directory.recipients(case=case, task=item.task, roles=("assignee",)),
            case=case,
            dedupe=f"task:{item.task.id}:new",
            tz=tz,
            due_at=item.task.due_at,
            task=item.task,
        )
    ]
    enqueue_many(session, news, now=now)


def route(
    session: Session,
    *,
    engine: Engine,
    case: CaseRef,
    effects: Sequence[CreateTask],
    child: ChildPlace,
    directory: Directory,
    now: datetime,
    tz: ZoneInfo,
    actor: Actor,
) -> list[TaskRow]:
    """Create the tasks the definition routes; a task for an agency the commune lacks is
    recorded in the case's history instead (someone must route it by hand)."""
    rows, unroutable, routed = [], [], []
    for effect in effects:
        agency = directory.agency_for_task(
            commune_id=case.commune_id,
            kind=effect.agency,
            school_name=child.school_name,
            village_id=child.village_id,
        )
        if agency is None:
            unroutable.append(
                case_service.history_entry(
                    case_id=case.id,
                    event="task_unroutable",
                    now=now,
                    actor_id=actor.user_id,
                    payload={"agency_kind": effect.agency, "task_kind": effect.kind},
                )
            )
            continue
        rows.append(
            {
                "agency_id": agency.id,
                "kind": effect.kind,
                "title": effect.title,
                "starts_at": effect.starts_at,
                "due_at": effect.due_at,
                "status": TaskStatus.open,
                "created_at": now,
            }
        )
        routed.append(effect)
    case_service.record_events(session, unroutable)
    tasks = _insert(session, case_id=case.id, rows=rows)
    start_clocks(
        session,
        engine=engine,
        case=case,
        tasks=[
            TaskClocks(task, effect.acknowledge_by, effect.starts_at, effect.clock)
            for task, effect in zip(tasks, routed, strict=True)
        ],
        directory=directory,
        now=now,
        tz=tz,
    )
    return tasks


def replace_planned(
    session: Session, *, case: CaseRef, tasks: list[dict[str, Any]], now: datetime
) -> None:
    """The plan's tasks (Mẫu 04) as submitted; a resubmitted plan replaces the earlier draft."""
    conn = session.connection()
    wanted = {item["agency_id"] for item in tasks}
    known = set(
        conn.execute(
            _AGENCIES_OF_COMMUNE, {"ids": sorted(wanted), "commune_id": case.commune_id}
        ).scalars()
    )
    for item in tasks:
        if item["agency_id"] not in known:
            raise UnknownAgency(agency_id=item["agency_id"])
    conn.execute(_DELETE_PLANNED, {"b_case_id": case.id})
    _insert(
        session,
        case_id=case.id,
        rows=[
            {
                "agency_id": item["agency_id"],
                "kind": PLAN_ACTIVITY,
                "title": item["title"],
                "starts_at": item["starts_at"],
                "due_at": item["due_at"],
                "cost_vnd": item.get("cost_vnd"),
                "status": TaskStatus.planned,
                "created_at": now,
            }
            for item in tasks
        ],
    )


class UnknownAgency(Conflict):
    status_code = 422
    code = "agency_not_found"


def activate_planned(
    session: Session,
    *,
    engine: Engine,
    case: CaseRef,
    directory: Directory,
    now: datetime,
    tz: ZoneInfo,
) -> None:
    """The approved plan's tasks go to their agencies, with their clocks."""
    conn = session.connection()
    planned = [TaskRow(*row) for row in conn.execute(_PLANNED, {"case_id": case.id})]
    if not planned:
        return
    conn.execute(_OPEN, {"ids": [task.id for task in planned]})
    ack = timedelta(hours=engine.definition.tasks.plan_ack_hours)
    start_clocks(
        session,
        engine=engine,
        case=case,
        tasks=[(task, min(now + ack, max(task.due_at, now))) for task in planned],
        directory=directory,
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
    deadline_service.close(session, task_id=task.id, kinds=[TASK_ACK], now=now, met=True)
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
    deadline_service.close(session, task_id=task.id, kinds=[TASK_ACK], now=now, met=True)
    deadline_service.close(session, task_id=task.id, kinds=[TASK_DUE], now=now, met=False)
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
    deadline_service.close(session, task_id=task.id, kinds=TASK_CLOCKS, now=now, met=True)
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
