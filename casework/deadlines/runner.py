"""Fire due ladder steps, from any number of processes, exactly once each.

Claiming marks a batch of due timers with this worker's name and a lease (``FOR UPDATE
SKIP LOCKED`` on PostgreSQL, so workers never wait for each other; SQLite serialises
writers). Each timer then runs in its own transaction that begins by flipping it from
pending to fired only if this worker still holds it: the flip and everything the step
causes (messages, an escalation, a task, the case's history) commit together or not at
all. A worker that dies mid-batch leaves its timers claimed until the lease runs out;
then another worker claims and fires them. Never early: a timer is claimed only once its
time has come.
"""

from __future__ import annotations

import logging
import os
import socket
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlmodel import Session, select

from casework import notices
from casework.actors import SYSTEM
from casework.cases import service as case_service
from casework.cases.flow import engine_of
from casework.cases.models import CaseStatus, ProtectionCase, Task
from casework.deadlines.models import CaseDeadline, DeadlineStatus, DeadlineTimer, TimerStatus
from casework.escalations import service as escalation_service
from casework.escalations.models import EscalationReason
from casework.tasks import service as task_service
from workflows.effects import CreateTask

log = logging.getLogger(__name__)

ESCALATION_REASONS = {
    task_service.TASK_ACK: EscalationReason.task_not_accepted,
    task_service.TASK_DUE: EscalationReason.task_overdue,
}


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def claim(
    session: Session, *, now: datetime, worker: str, lease: timedelta, limit: int
) -> list[int]:
    """Take up to ``limit`` due, unclaimed (or lease-expired) timers for this worker."""
    due = (
        sa.select(DeadlineTimer.id)
        .where(
            DeadlineTimer.status == TimerStatus.pending,
            DeadlineTimer.fires_at <= now,
            sa.or_(DeadlineTimer.lease_until.is_(None), DeadlineTimer.lease_until < now),
        )
        .order_by(DeadlineTimer.fires_at)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    claimed = session.execute(
        sa.update(DeadlineTimer)
        .where(DeadlineTimer.id.in_(due.scalar_subquery()))
        .values(claimed_by=worker, lease_until=now + lease, attempts=DeadlineTimer.attempts + 1)
        .returning(DeadlineTimer.id)
    )
    return sorted(claimed.scalars().all())


def _take(session: Session, *, timer_id: int, worker: str, now: datetime) -> DeadlineTimer | None:
    """Flip the timer to fired if this worker still holds it; else someone else has it."""
    row = session.execute(
        sa.update(DeadlineTimer)
        .where(
            DeadlineTimer.id == timer_id,
            DeadlineTimer.status == TimerStatus.pending,
            DeadlineTimer.claimed_by == worker,
            DeadlineTimer.fires_at <= now,
        )
        .values(status=TimerStatus.fired, fired_at=now)
        .returning(DeadlineTimer.deadline_id, DeadlineTimer.step, DeadlineTimer.fires_at)
    ).first()
    if row is None:
        return None
    return DeadlineTimer(id=timer_id, deadline_id=row[0], step=row[1], fires_at=row[2])


def fire(session: Session, *, timer_id: int, worker: str, now: datetime, tz: ZoneInfo) -> bool:
    """Run one ladder step; idempotent: it re-checks the timer, the deadline and the case.

    Locks are taken in the order every writer of a case uses (case, then its timers and
    deadlines), so a timer firing while someone moves the same case on waits instead of
    deadlocking.
    """
    case_id = session.execute(
        sa.select(CaseDeadline.case_id)
        .join(DeadlineTimer, DeadlineTimer.deadline_id == CaseDeadline.id)
        .where(DeadlineTimer.id == timer_id)
    ).scalar_one_or_none()
    if case_id is None:
        return False
    case = session.exec(
        select(ProtectionCase).where(ProtectionCase.id == case_id).with_for_update()
    ).one()
    timer = _take(session, timer_id=timer_id, worker=worker, now=now)
    if timer is None:
        return False
    deadline = session.exec(
        select(CaseDeadline).where(CaseDeadline.id == timer.deadline_id).with_for_update()
    ).one()
    if deadline.status != DeadlineStatus.running or case.status == CaseStatus.closed:
        return True
    engine = engine_of(case)
    ladder = engine.definition.ladders[deadline.ladder or ""]
    position = {step.step: n for n, step in enumerate(ladder)}
    step = ladder[position[timer.step]]
    later_due = session.exec(
        select(DeadlineTimer.step).where(
            DeadlineTimer.deadline_id == deadline.id,
            DeadlineTimer.status == TimerStatus.pending,
            DeadlineTimer.fires_at <= now,
        )
    ).all()
    # A reminder whose moment passed unseen (a restart, a case armed late) is not sent
    # when a later step is already due; steps at or past the deadline always speak.
    superseded = step.at < 1.0 and any(position[s] > position[step.step] for s in later_due)
    deadline.ladder_step = step.step
    session.add(deadline)
    task = session.get(Task, deadline.task_id) if deadline.task_id else None
    case_service.record_event(
        session,
        case=case,
        event="deadline_step",
        now=now,
        actor_id=None,
        payload={
            "deadline_id": deadline.id,
            "kind": deadline.kind,
            "step": step.step,
            "task_id": deadline.task_id,
            "superseded": superseded,
        },
    )
    if not superseded:
        notices.send(
            session,
            kind=f"deadline.{step.step}",
            people=notices.recipients(session, case=case, task=task, roles=step.notify),
            case=case,
            dedupe=f"deadline:{deadline.id}:{step.step}",
            now=now,
            tz=tz,
            due_at=deadline.due_at,
            deadline_kind=deadline.kind,
            task=task,
        )
    if step.escalate:
        escalation_service.raise_(
            session,
            case=case,
            reason=ESCALATION_REASONS.get(deadline.kind, EscalationReason.deadline_overdue),
            deadline_id=deadline.id,
            task_id=deadline.task_id,
            now=now,
            tz=tz,
        )
    spec = engine.definition.deadlines.get(deadline.kind)
    first_due_step = next(s.step for s in ladder if s.at >= 1.0)
    if spec is not None and spec.on_due_task is not None and step.step == first_due_step:
        due = spec.on_due_task
        task_service.route(
            session,
            engine=engine,
            case=case,
            effect=CreateTask(
                agency=due.agency,
                kind=due.kind,
                title=due.title,
                starts_at=now,
                acknowledge_by=now + timedelta(hours=min(due.due_hours, 2)),
                due_at=now + timedelta(hours=due.due_hours),
            ),
            now=now,
            tz=tz,
            actor=SYSTEM,
        )
    session.flush()
    return True


def park_if_exhausted(session: Session, *, timer_id: int, max_attempts: int) -> bool:
    """A timer whose handler failed ``max_attempts`` times is parked as failed (and logged),
    not retried after every lease forever."""
    parked = session.execute(
        sa.update(DeadlineTimer)
        .where(
            DeadlineTimer.id == timer_id,
            DeadlineTimer.status == TimerStatus.pending,
            DeadlineTimer.attempts >= max_attempts,
        )
        .values(status=TimerStatus.failed)
    ).rowcount
    if parked:
        log.error("timer %s failed %s times; parked as failed", timer_id, max_attempts)
    return bool(parked)
