"""Fire due ladder steps, from any number of processes, exactly once each.

Claiming marks a batch of due timers with this worker's name and a lease (``FOR UPDATE
SKIP LOCKED`` on PostgreSQL, so workers never wait for each other; SQLite serialises
writers). The batch then fires in one transaction: it locks the timers' cases (in id order,
the order every writer of a case takes its lock first, so it waits instead of deadlocking),
flips each timer from pending to fired only if this worker still holds it, and writes what
the steps cause (history entries, messages, escalations, tasks) set-based: a few statements
per batch instead of several per timer. Everything commits together or not at all; if the
batch fails, each of its timers is fired again alone (``fire``), so one bad timer cannot
hold back the rest. A worker that dies mid-batch leaves its timers claimed until the lease
runs out; then another worker claims and fires them. Never early: a timer is taken only
once its time has come.
"""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import Sequence
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
from casework.deadlines.models import CaseDeadline, DeadlineStatus, DeadlineTimer, TimerStatus
from casework.escalations import service as escalation_service
from casework.escalations.models import EscalationReason
from casework.tasks import service as task_service
from casework.tasks.service import ChildPlace, TaskRow
from notifications.outbox import NewMessage, enqueue_many
from workflows.definition import DeadlineSpec, LadderStep
from workflows.effects import CreateTask

log = logging.getLogger(__name__)

ESCALATION_REASONS = {
    task_service.TASK_ACK: EscalationReason.task_not_accepted,
    task_service.TASK_DUE: EscalationReason.task_overdue,
}

_T = DeadlineTimer.__table__
_D = CaseDeadline.__table__
_C = ProtectionCase.__table__
_K = Task.__table__
_CHILD = Child.__table__

_CLAIM_DUE = (
    sa.select(_T.c.id)
    .where(
        _T.c.status == TimerStatus.pending,
        _T.c.fires_at <= sa.bindparam("now"),
        sa.or_(_T.c.lease_until.is_(None), _T.c.lease_until < sa.bindparam("now")),
    )
    .order_by(_T.c.fires_at)
    .limit(sa.bindparam("limit"))
    .with_for_update(skip_locked=True)
)
_CLAIM = (
    _T.update()
    .where(_T.c.id.in_(_CLAIM_DUE.scalar_subquery()))
    .values(
        claimed_by=sa.bindparam("worker"),
        lease_until=sa.bindparam("b_lease_until"),
        attempts=_T.c.attempts + 1,
    )
    .returning(_T.c.id)
)
# The cases of the timers, locked in id order before anything of theirs is touched.
_LOCK_CASES = (
    sa.select(
        _C.c.id,
        _C.c.code,
        _C.c.commune_id,
        _C.c.status,
        _C.c.is_emergency,
        _C.c.assigned_caseworker_id,
        _C.c.child_id,
        _C.c.workflow_name,
        _C.c.workflow_version,
    )
    .where(
        _C.c.id.in_(
            sa.select(_D.c.case_id)
            .join(_T, _T.c.deadline_id == _D.c.id)
            .where(_T.c.id.in_(sa.bindparam("ids", expanding=True)))
        )
    )
    .order_by(_C.c.id)
    .with_for_update()
)
_TAKE = (
    _T.update()
    .where(
        _T.c.id.in_(sa.bindparam("ids", expanding=True)),
        _T.c.status == TimerStatus.pending,
        _T.c.claimed_by == sa.bindparam("worker"),
        _T.c.fires_at <= sa.bindparam("now"),
    )
    .values(status=TimerStatus.fired, fired_at=sa.bindparam("now"))
    .returning(_T.c.id, _T.c.deadline_id, _T.c.step, _T.c.fires_at)
)
_DEADLINES = (
    sa.select(
        _D.c.id,
        _D.c.case_id,
        _D.c.kind,
        _D.c.ladder,
        _D.c.status,
        _D.c.due_at,
        _D.c.ladder_step,
        _K.c.id,
        _K.c.agency_id,
        _K.c.assignee_id,
        _K.c.kind,
        _K.c.title,
        _K.c.starts_at,
        _K.c.due_at,
    )
    .select_from(_D.outerjoin(_K, _K.c.id == _D.c.task_id))
    .where(_D.c.id.in_(sa.bindparam("ids", expanding=True)))
)
_DUE_PENDING = sa.select(_T.c.deadline_id, _T.c.step).where(
    _T.c.deadline_id.in_(sa.bindparam("ids", expanding=True)),
    _T.c.status == TimerStatus.pending,
    _T.c.fires_at <= sa.bindparam("now"),
)
_SET_STEP = (
    _D.update()
    .where(_D.c.id.in_(sa.bindparam("ids", expanding=True)))
    .values(ladder_step=sa.bindparam("step"))
)
_CHILD_PLACE = sa.select(_CHILD.c.school_name, _CHILD.c.village_id).where(
    _CHILD.c.id == sa.bindparam("child_id")
)
_PARK = (
    _T.update()
    .where(
        _T.c.id == sa.bindparam("b_id"),
        _T.c.status == TimerStatus.pending,
        _T.c.attempts >= sa.bindparam("max_attempts"),
    )
    .values(status=TimerStatus.failed)
)


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def claim(
    session: Session, *, now: datetime, worker: str, lease: timedelta, limit: int
) -> list[int]:
    """Take up to ``limit`` due, unclaimed (or lease-expired) timers for this worker."""
    claimed = session.connection().execute(
        _CLAIM, {"now": now, "limit": limit, "worker": worker, "b_lease_until": now + lease}
    )
    return sorted(claimed.scalars().all())


@dataclass(frozen=True)
class LockedCase:
    """A timer's case as the ladder reads it (satisfies ``directory.CaseRef``)."""

    id: int
    code: str
    commune_id: int
    status: str
    is_emergency: bool
    assigned_caseworker_id: int | None
    child_id: int
    workflow_name: str
    workflow_version: int


@dataclass(frozen=True)
class _Deadline:
    id: int
    case_id: int
    kind: str
    ladder: str | None
    status: str
    due_at: datetime
    ladder_step: str | None  # the last step reached before this batch
    task: TaskRow | None


@dataclass
class _Batch:
    """What the fired steps of one batch write, gathered before anything is written."""

    history: list[dict]
    messages: list[NewMessage]
    escalations: list[escalation_service.NewEscalation]
    steps: dict[int, str]
    on_due: list[tuple[LockedCase, CreateTask]]


def _read_deadlines(session: Session, ids: Sequence[int]) -> dict[int, _Deadline]:
    found = {}
    for row in session.connection().execute(_DEADLINES, {"ids": list(ids)}):
        task = TaskRow(*row[7:]) if row[7] is not None else None
        found[row[0]] = _Deadline(*row[:7], task=task)
    return found


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


def fire_batch(
    session: Session, *, timer_ids: Sequence[int], worker: str, now: datetime, tz: ZoneInfo
) -> int:
    """Run the ladder steps of the timers this worker still holds; returns how many it took.

    Idempotent: a timer already fired, cancelled, or claimed by another worker since is
    left alone, and a step whose deadline was met, whose case closed, or whose ladder
    already reached that step or a later one records nothing.
    """
    if not timer_ids:
        return 0
    conn = session.connection()
    ids = sorted(timer_ids)
    cases = {row.id: LockedCase(*row) for row in conn.execute(_LOCK_CASES, {"ids": ids})}
    taken = conn.execute(_TAKE, {"ids": ids, "worker": worker, "now": now}).all()
    if not taken:
        return 0
    deadlines = _read_deadlines(session, sorted({t.deadline_id for t in taken}))
    due_steps: dict[int, set[str]] = {}
    for deadline_id, step in conn.execute(_DUE_PENDING, {"ids": sorted(deadlines), "now": now}):
        due_steps.setdefault(deadline_id, set()).add(step)
    for timer in taken:
        due_steps.setdefault(timer.deadline_id, set()).add(timer.step)
    directory = Directory.load(session, commune_ids={c.commune_id for c in cases.values()})
    batch = _Batch([], [], [], {}, [])
    ordered = []
    for timer in taken:
        deadline = deadlines[timer.deadline_id]
        case = cases[deadline.case_id]
        if deadline.status != DeadlineStatus.running or case.status == CaseStatus.closed:
            continue
        ladder = workflow.engine_for(case.workflow_name, case.workflow_version).definition.ladders[
            deadline.ladder or ""
        ]
        position = {s.step: n for n, s in enumerate(ladder)}
        if (
            deadline.ladder_step in position
            and position[timer.step] <= position[deadline.ladder_step]
        ):
            continue  # this step (or a later one) already spoke: a second firing adds nothing
        ordered.append((timer.fires_at, position[timer.step], timer.id, deadline, case, ladder))
    for _, n, _, deadline, case, ladder in sorted(ordered, key=lambda o: o[:3]):
        _step(batch, n, ladder, deadline, case, due_steps[deadline.id], directory, now, tz)
    _write(session, batch, directory, now, tz)
    return len(taken)


def _step(
    batch: _Batch,
    n: int,
    ladder: Sequence[LadderStep],
    deadline: _Deadline,
    case: LockedCase,
    due: set[str],
    directory: Directory,
    now: datetime,
    tz: ZoneInfo,
) -> None:
    """One ladder step: history, messages, an escalation, a task, as rows to write."""
    step = ladder[n]
    position = {s.step: i for i, s in enumerate(ladder)}
    # A reminder whose moment passed unseen (a restart, a case armed late) is not sent
    # when a later step is already due; steps at or past the deadline always speak.
    superseded = step.at < 1.0 and any(position[s] > n for s in due)
    # The last step reached before this one: earlier in this batch, or before the batch.
    before = position.get(batch.steps.get(deadline.id) or deadline.ladder_step or "", -1)
    batch.steps[deadline.id] = step.step
    task = deadline.task
    batch.history.append(
        case_service.history_entry(
            case_id=case.id,
            event="deadline_step",
            now=now,
            actor_id=None,
            payload={
                "deadline_id": deadline.id,
                "kind": deadline.kind,
                "step": step.step,
                "task_id": task.id if task else None,
                "superseded": superseded,
            },
        )
    )
    if not superseded:
        batch.messages += notices.messages(
            kind=f"deadline.{step.step}",
            people=directory.recipients(case=case, task=task, roles=step.notify),
            case=case,
            dedupe=f"deadline:{deadline.id}:{step.step}",
            tz=tz,
            due_at=deadline.due_at,
            deadline_kind=deadline.kind,
            task=task,
        )
    if step.escalate:
        batch.escalations.append(
            escalation_service.NewEscalation(
                case=case,
                reason=ESCALATION_REASONS.get(deadline.kind, EscalationReason.deadline_overdue),
                deadline_id=deadline.id,
                task_id=task.id if task else None,
            )
        )
    engine = workflow.engine_for(case.workflow_name, case.workflow_version)
    spec = engine.definition.deadlines.get(deadline.kind)
    created = _on_due_task(n, before, ladder, spec, now)
    if created is not None:
        batch.on_due.append((case, created))


def _write(
    session: Session, batch: _Batch, directory: Directory, now: datetime, tz: ZoneInfo
) -> None:
    conn = session.connection()
    by_step: dict[str, list[int]] = {}
    for deadline_id, step in batch.steps.items():
        by_step.setdefault(step, []).append(deadline_id)
    for step, deadline_ids in by_step.items():
        conn.execute(_SET_STEP, {"ids": deadline_ids, "step": step})
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


def fire(session: Session, *, timer_id: int, worker: str, now: datetime, tz: ZoneInfo) -> bool:
    """Run one ladder step alone (the fallback when its batch failed); True if taken."""
    return fire_batch(session, timer_ids=[timer_id], worker=worker, now=now, tz=tz) == 1


def park_if_exhausted(session: Session, *, timer_id: int, max_attempts: int) -> bool:
    """A timer whose handler failed ``max_attempts`` times is parked as failed (and logged),
    not retried after every lease forever."""
    parked = (
        session.connection()
        .execute(_PARK, {"b_id": timer_id, "max_attempts": max_attempts})
        .rowcount
    )
    if parked:
        log.error("timer %s failed %s times; parked as failed", timer_id, max_attempts)
    return bool(parked)
