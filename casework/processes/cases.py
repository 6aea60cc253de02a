"""The child-protection case as a process on the engine: what a fired ladder step does to a
case (the behaviour the timer runner had before instances, moved here unchanged), and how
a case's escalation reads in the supervisor's queue.

A step writes a ``deadline_step`` entry in the case's history, the ladder's messages to
the people of the case or task (not when superseded), an escalation for the supervisor
(``escalate`` steps), and the task a deadline's ``on_due_task`` asks for when it falls due.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlmodel import Session

from casework import notices
from casework.actors import SYSTEM
from casework.agencies.directory import Directory
from casework.cases import service as case_service
from casework.cases import workflow
from casework.cases.models import CaseStatus, ProtectionCase, Task
from casework.children.models import Child
from casework.escalations import service as escalation_service
from casework.escalations.models import EscalationReason
from casework.processes.registry import Described, DueStep, register
from casework.tasks import service as task_service
from casework.tasks.service import ChildPlace, TaskRow
from notifications.outbox import NewMessage, enqueue_many
from workflows.definition import DeadlineSpec, LadderStep
from workflows.effects import CreateTask
from workflows.engine import Engine

ESCALATION_REASONS = {
    task_service.TASK_ACK: EscalationReason.task_not_accepted,
    task_service.TASK_DUE: EscalationReason.task_overdue,
}

_C = ProtectionCase.__table__
_K = Task.__table__
_CHILD = Child.__table__

# The cases of the due steps, locked in id order before anything of theirs is touched.
_LOCK_CASES = (
    sa.select(
        _C.c.id,
        _C.c.code,
        _C.c.instance_id,
        _C.c.commune_id,
        _C.c.status,
        _C.c.is_emergency,
        _C.c.assigned_caseworker_id,
        _C.c.child_id,
        _C.c.workflow_name,
        _C.c.workflow_version,
    )
    .where(_C.c.instance_id.in_(sa.bindparam("ids", expanding=True)))
    .order_by(_C.c.id)
    .with_for_update()
)
_TASKS = sa.select(
    _K.c.id, _K.c.agency_id, _K.c.assignee_id, _K.c.kind, _K.c.title, _K.c.starts_at, _K.c.due_at
).where(_K.c.id.in_(sa.bindparam("ids", expanding=True)))
_CHILD_PLACE = sa.select(_CHILD.c.school_name, _CHILD.c.village_id).where(
    _CHILD.c.id == sa.bindparam("child_id")
)
_DESCRIBE = sa.select(_C.c.instance_id, _C.c.code).where(
    _C.c.instance_id.in_(sa.bindparam("ids", expanding=True))
)


@dataclass(frozen=True)
class LockedCase:
    """A timer's case as the ladder reads it (satisfies ``directory.CaseRef``)."""

    id: int
    code: str
    instance_id: int
    commune_id: int
    status: str
    is_emergency: bool
    assigned_caseworker_id: int | None
    child_id: int
    workflow_name: str
    workflow_version: int


@dataclass
class _Batch:
    """What the fired steps of one batch write, gathered before anything is written."""

    history: list[dict]
    messages: list[NewMessage]
    escalations: list[escalation_service.NewEscalation]
    on_due: list[tuple[LockedCase, CreateTask]]


def _on_due_task(
    n: int, before: int, ladder: Sequence[LadderStep], spec: DeadlineSpec | None, now: datetime
) -> CreateTask | None:
    """The task a deadline's spec creates when it falls due: when the ladder reaches its
    first step at 100 % (step ``n`` of the ladder, the last one reached before was
    ``before``), or passes it at once (a clock armed late goes straight to a later step)."""
    if spec is None or spec.on_due_task is None:
        return None
    due = next(i for i, s in enumerate(ladder) if s.at >= 1.0)
    if not before < due <= n:
        return None
    due = spec.on_due_task
    return CreateTask(
        agency=due.agency,
        kind=due.kind,
        title=due.title,
        starts_at=now,
        acknowledge_by=now + timedelta(hours=min(due.due_hours, 2)),
        due_at=now + timedelta(hours=due.due_hours),
    )


def _step(
    batch: _Batch,
    due: DueStep,
    case: LockedCase,
    task: TaskRow | None,
    directory: Directory,
    now: datetime,
    tz: ZoneInfo,
) -> None:
    """One ladder step: history, messages, an escalation, a task, as rows to write."""
    step = due.step
    batch.history.append(
        case_service.history_entry(
            case_id=case.id,
            event="deadline_step",
            now=now,
            actor_id=None,
            payload={
                "deadline_id": due.deadline_id,
                "kind": due.kind,
                "step": step.step,
                "task_id": task.id if task else None,
                "superseded": due.superseded,
            },
        )
    )
    if not due.superseded:
        batch.messages += notices.messages(
            kind=f"deadline.{step.step}",
            people=directory.recipients(case=case, task=task, roles=step.notify),
            case=case,
            dedupe=f"deadline:{due.deadline_id}:{step.step}",
            tz=tz,
            due_at=due.due_at,
            deadline_kind=due.kind,
            task=task,
        )
    if step.escalate:
        batch.escalations.append(
            escalation_service.NewEscalation(
                case=case,
                reason=ESCALATION_REASONS.get(due.kind, EscalationReason.deadline_overdue),
                deadline_id=due.deadline_id,
                task_id=task.id if task else None,
            )
        )
    engine = workflow.engine_for(case.workflow_name, case.workflow_version)
    spec = engine.definition.deadlines.get(due.kind)
    created = _on_due_task(due.n, due.before, due.ladder, spec, now)
    if created is not None:
        batch.on_due.append((case, created))


class CaseProcess:
    """The handler of the child-protection definition: its subjects are cases."""

    name = case_service.WORKFLOW_NAME

    @property
    def version(self) -> int:
        return workflow.latest(self.name).version

    def engine(self, version: int) -> Engine:
        return workflow.engine_for(self.name, version)

    def lock(self, session: Session, *, instance_ids: Sequence[int]) -> dict[int, LockedCase]:
        rows = session.connection().execute(_LOCK_CASES, {"ids": sorted(instance_ids)})
        cases = [LockedCase(*row) for row in rows]
        return {c.instance_id: c for c in cases if c.status != CaseStatus.closed}

    def apply(
        self,
        session: Session,
        *,
        steps: Sequence[DueStep],
        subjects: Mapping[int, LockedCase],
        now: datetime,
        tz: ZoneInfo,
    ) -> None:
        conn = session.connection()
        cases = subjects
        task_ids = sorted({s.task_id for s in steps if s.task_id is not None})
        tasks = (
            {row[0]: TaskRow(*row) for row in conn.execute(_TASKS, {"ids": task_ids})}
            if task_ids
            else {}
        )
        directory = Directory.load(
            session, commune_ids={cases[s.instance_id].commune_id for s in steps}
        )
        batch = _Batch([], [], [], [])
        for due in steps:
            task = tasks.get(due.task_id) if due.task_id is not None else None
            _step(batch, due, cases[due.instance_id], task, directory, now, tz)
        case_service.record_events(session, batch.history)
        enqueue_many(session, batch.messages, now=now)
        if batch.escalations:
            escalation_service.raise_many(
                session, items=batch.escalations, directory=directory, now=now, tz=tz
            )
        for case, created in batch.on_due:
            place = ChildPlace(*conn.execute(_CHILD_PLACE, {"child_id": case.child_id}).one())
            task_service.route(
                session,
                engine=workflow.engine_for(case.workflow_name, case.workflow_version),
                case=case,
                effects=[created],
                child=place,
                directory=directory,
                now=now,
                tz=tz,
                actor=SYSTEM,
            )

    def describe(self, session: Session, *, instance_ids: Sequence[int]) -> Mapping[int, Described]:
        rows = session.connection().execute(_DESCRIBE, {"ids": sorted(instance_ids)})
        return {
            instance_id: Described("Hồ sơ bảo vệ trẻ em", code, f"/ho-so/{code}")
            for instance_id, code in rows
        }


register(CaseProcess())
