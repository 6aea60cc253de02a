"""Arm, meet, cancel and extend deadlines; each ladder step becomes a timer row."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlmodel import Session, select

from casework.base import label
from casework.deadlines.models import CaseDeadline, DeadlineStatus, DeadlineTimer, TimerStatus
from casework.deadlines.schemas import DeadlineRead
from casework.escalations.models import Escalation, EscalationStatus
from casework.timefmt import to_local
from workflows.engine import Engine


def _running(session: Session, *, case_id: int, task_id: int | None, kind: str | None):
    statement = select(CaseDeadline).where(
        CaseDeadline.case_id == case_id, CaseDeadline.status == DeadlineStatus.running
    )
    statement = statement.where(
        CaseDeadline.task_id.is_(None) if task_id is None else CaseDeadline.task_id == task_id
    )
    if kind is not None:
        statement = statement.where(CaseDeadline.kind == kind)
    return session.exec(statement).all()


def _arm_timers(session: Session, *, deadline: CaseDeadline, engine: Engine) -> None:
    for step in engine.ladder(deadline.ladder, deadline.starts_at, deadline.due_at):
        session.add(DeadlineTimer(deadline_id=deadline.id, step=step.step, fires_at=step.fires_at))


def arm(
    session: Session,
    *,
    engine: Engine,
    case_id: int,
    kind: str,
    clock: str,
    ladder: str | None,
    starts_at: datetime,
    due_at: datetime,
    task_id: int | None = None,
) -> CaseDeadline:
    """Start a clock with its ladder of timers; a clock already running is left as it is."""
    existing = _running(session, case_id=case_id, task_id=task_id, kind=kind)
    if existing:
        return existing[0]
    deadline = CaseDeadline(
        case_id=case_id,
        task_id=task_id,
        kind=kind,
        clock=clock,
        ladder=ladder,
        starts_at=starts_at,
        due_at=due_at,
    )
    session.add(deadline)
    session.flush()
    _arm_timers(session, deadline=deadline, engine=engine)
    return deadline


def _cancel_timers(session: Session, deadline_ids: list[int]) -> None:
    if deadline_ids:
        session.execute(
            sa.update(DeadlineTimer)
            .where(
                DeadlineTimer.deadline_id.in_(deadline_ids),
                DeadlineTimer.status == TimerStatus.pending,
            )
            .values(status=TimerStatus.cancelled)
        )


def _resolve_escalations(session: Session, deadline_ids: list[int], now: datetime) -> None:
    if deadline_ids:
        session.execute(
            sa.update(Escalation)
            .where(
                Escalation.deadline_id.in_(deadline_ids),
                Escalation.status != EscalationStatus.resolved,
            )
            .values(status=EscalationStatus.resolved, resolved_at=now)
        )


def close(
    session: Session,
    *,
    case_id: int,
    kind: str | None,
    now: datetime,
    met: bool,
    task_id: int | None = None,
) -> list[CaseDeadline]:
    """Stop running clocks: met (done, late or not) or cancelled; their timers never fire."""
    closed = list(_running(session, case_id=case_id, task_id=task_id, kind=kind))
    for deadline in closed:
        if met:
            deadline.status = (
                DeadlineStatus.met if now <= deadline.due_at else DeadlineStatus.missed
            )
        else:
            deadline.status = DeadlineStatus.cancelled
        deadline.closed_at = now
        session.add(deadline)
    ids = [d.id for d in closed]
    _cancel_timers(session, ids)
    _resolve_escalations(session, ids, now)
    return closed


def cancel_all(session: Session, *, case_id: int, now: datetime) -> None:
    """The case left the workflow (closed, transferred): every clock on it and its tasks stops."""
    running = session.exec(
        select(CaseDeadline).where(
            CaseDeadline.case_id == case_id, CaseDeadline.status == DeadlineStatus.running
        )
    ).all()
    for deadline in running:
        deadline.status = DeadlineStatus.cancelled
        deadline.closed_at = now
        session.add(deadline)
    ids = [d.id for d in running]
    _cancel_timers(session, ids)
    _resolve_escalations(session, ids, now)


def extend(
    session: Session, *, engine: Engine, deadline: CaseDeadline, due_at: datetime, reason: str
) -> None:
    """Move a running deadline; its ladder is re-armed over the longer time."""
    deadline.due_at = due_at
    deadline.ladder_step = None
    deadline.extended_reason = reason
    session.add(deadline)
    _cancel_timers(session, [deadline.id])
    session.flush()
    _arm_timers(session, deadline=deadline, engine=engine)


def history(session: Session, *, case_id: int) -> dict[str, tuple[int, datetime]]:
    """Per kind of case clock: how many were armed, and the last one's due time."""
    rows = session.execute(
        sa.select(CaseDeadline.kind, sa.func.count(), sa.func.max(CaseDeadline.due_at))
        .where(CaseDeadline.case_id == case_id, CaseDeadline.task_id.is_(None))
        .group_by(CaseDeadline.kind)
    ).all()
    return {kind: (n, last) for kind, n, last in rows}


def read_for_case(
    session: Session, *, case_id: int, engine: Engine, tz: ZoneInfo
) -> list[DeadlineRead]:
    """Every clock of the case and its tasks, running ones first, soonest due first."""
    deadlines = session.exec(
        select(CaseDeadline).where(CaseDeadline.case_id == case_id).order_by(CaseDeadline.id)
    ).all()
    specs = engine.definition.deadlines
    rows = []
    for d in deadlines:
        spec = specs.get(d.kind)
        rows.append(
            DeadlineRead(
                id=d.id,
                kind=d.kind,
                label=spec.label.vi if spec else label_for_task_deadline(d.kind),
                task_id=d.task_id,
                clock=d.clock,
                starts_at=to_local(d.starts_at, tz),
                due_at=to_local(d.due_at, tz),
                status=d.status,
                status_label=label(DeadlineStatus(d.status)),
                ladder_step=d.ladder_step,
                closed_at=to_local(d.closed_at, tz) if d.closed_at else None,
                extended_reason=d.extended_reason,
            )
        )
    rows.sort(key=lambda r: (r.status != DeadlineStatus.running, r.due_at))
    return rows


TASK_DEADLINE_LABELS = {
    "task_ack": "Cơ quan nhận nhiệm vụ",
    "task_due": "Hoàn thành nhiệm vụ",
}


def label_for_task_deadline(kind: str) -> str:
    return TASK_DEADLINE_LABELS.get(kind, kind)
