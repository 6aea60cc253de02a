"""Start a workflow instance for a subject, fire events on it, and arm, meet and cancel
its clocks from its definition: the public API any process on the engine uses (a case's
path calls ``persist_clocks`` and ``close`` too).

Everything flushes and never commits: the caller's transaction holds the whole change.
An event is a compare-and-set on the instance's ``(state, version)``: two people firing on
the same instance at once, one wins, the other gets ``InstanceChanged`` and nothing of
theirs is written.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlmodel import Session

from casework.deadlines import service as deadline_service
from casework.deadlines.service import NewClock
from casework.errors import Conflict, NotFound
from casework.processes.models import WorkflowInstance
from casework.processes.registry import process_for
from workflows.calendar import WorkingCalendar
from workflows.effects import ArmDeadline, CancelDeadline, MeetDeadline, Step
from workflows.engine import Context, Engine, TransitionNotAllowed

_W = WorkflowInstance.__table__
_INSERT = _W.insert().returning(_W.c.id)
_CLOSE = (
    _W.update()
    .where(_W.c.id == sa.bindparam("b_id"), _W.c.closed_at.is_(None))
    .values(closed_at=sa.bindparam("now"))
)
_MOVE = (
    _W.update()
    .where(
        _W.c.id == sa.bindparam("b_id"),
        _W.c.state == sa.bindparam("b_state"),
        _W.c.version == sa.bindparam("b_version"),
    )
    .values(
        state=sa.bindparam("v_state"),
        version=_W.c.version + 1,
        closed_at=sa.bindparam("v_closed_at"),
    )
)


class InstanceNotFound(NotFound):
    code = "instance_not_found"


class InstanceChanged(Conflict):
    """Someone else moved the instance since it was read: nothing was written."""

    code = "concurrent_change"


class EventNotAllowed(Conflict):
    """The state does not offer the event, or a guard said no."""

    code = "transition_not_allowed"


def _context(
    now: datetime,
    tz: ZoneInfo,
    *,
    facts: Mapping[str, Any] | None,
    payload: Mapping[str, Any] | None,
    calendar: WorkingCalendar | None,
    started_at: datetime,
) -> Context:
    return Context(
        facts=facts or {},
        now=now,
        calendar=calendar or WorkingCalendar(tz, extra_days_off=None),
        first_received_at=started_at,
        payload=payload or {},
    )


def persist_clocks(
    session: Session,
    *,
    engine: Engine,
    step: Step,
    instance_id: int,
    case_id: int | None,
    now: datetime,
) -> None:
    """The clocks a step meets, cancels and arms (in that order: one met and armed again is
    a new clock; one still running is left as it is); every clock stops when the step
    reaches a final state. Other effects (a case's tasks) are the caller's."""
    met = [e.kind for e in step.effects if isinstance(e, MeetDeadline)]
    cancelled = [e.kind for e in step.effects if isinstance(e, CancelDeadline)]
    specs = engine.definition.deadlines
    arming = [
        NewClock(
            instance_id,
            case_id,
            e.kind,
            specs[e.kind].clock,
            e.ladder,
            e.starts_at,
            e.due_at,
        )
        for e in step.effects
        if isinstance(e, ArmDeadline)
    ]
    deadline_service.close(session, instance_id=instance_id, kinds=met, now=now, met=True)
    deadline_service.close(session, instance_id=instance_id, kinds=cancelled, now=now, met=False)
    deadline_service.arm_many(session, engine=engine, clocks=arming, now=now)
    if engine.definition.states[step.dest].final:
        deadline_service.cancel_all(session, instance_id=instance_id, now=now)


def close(session: Session, *, instance_id: int, now: datetime) -> None:
    """The instance reached a final state (a case: closed)."""
    session.connection().execute(_CLOSE, {"b_id": instance_id, "now": now})


def start(
    session: Session,
    *,
    definition: str,
    commune_id: int,
    subject_kind: str,
    subject_id: int | None = None,
    subject_key: str = "",
    now: datetime,
    tz: ZoneInfo,
    facts: Mapping[str, Any] | None = None,
    payload: Mapping[str, Any] | None = None,
    calendar: WorkingCalendar | None = None,
) -> WorkflowInstance:
    """A new instance of the named definition (its newest version) about a subject, in the
    definition's initial state, with the clocks its opening arms running."""
    process = process_for(definition)
    engine = process.engine(process.version)
    initial = engine.definition.initial
    instance_id = (
        session.connection()
        .execute(
            _INSERT,
            {
                "definition": definition,
                "definition_version": process.version,
                "state": initial,
                "version": 1,
                "commune_id": commune_id,
                "subject_kind": subject_kind,
                "subject_id": subject_id,
                "subject_key": subject_key,
                "created_at": now,
                "closed_at": None,
            },
        )
        .scalar_one()
    )
    ctx = _context(now, tz, facts=facts, payload=payload, calendar=calendar, started_at=now)
    step = engine.open(ctx)
    persist_clocks(
        session, engine=engine, step=step, instance_id=instance_id, case_id=None, now=now
    )
    return session.get_one(WorkflowInstance, instance_id)


def fire(
    session: Session,
    *,
    instance_id: int,
    event: str,
    expected_state: str,
    expected_version: int,
    now: datetime,
    tz: ZoneInfo,
    facts: Mapping[str, Any] | None = None,
    payload: Mapping[str, Any] | None = None,
    calendar: WorkingCalendar | None = None,
) -> Step:
    """Fire ``event`` on an instance the caller saw in ``expected_state`` at
    ``expected_version``: the state moves (compare-and-set), its clocks are met, cancelled
    or armed as the definition says, all in the caller's transaction."""
    instance = session.get(WorkflowInstance, instance_id)
    if instance is None:
        raise InstanceNotFound(instance_id=instance_id)
    if instance.state is None:
        raise ValueError("a case moves through casework.cases.flow, not here")
    if (instance.state, instance.version) != (expected_state, expected_version):
        raise InstanceChanged(instance_id=instance_id)
    engine = process_for(instance.definition).engine(instance.definition_version)
    ctx = _context(
        now,
        tz,
        facts=facts,
        payload=payload,
        calendar=calendar,
        started_at=instance.created_at,
    )
    try:
        step = engine.fire(expected_state, event, ctx)
    except TransitionNotAllowed as refused:
        raise EventNotAllowed(
            event=event, state=expected_state, allowed=", ".join(refused.allowed) or "—"
        ) from None
    final = engine.definition.states[step.dest].final
    moved = (
        session.connection()
        .execute(
            _MOVE,
            {
                "b_id": instance_id,
                "b_state": expected_state,
                "b_version": expected_version,
                "v_state": step.dest,
                "v_closed_at": now if final else None,
            },
        )
        .rowcount
    )
    if moved != 1:
        raise InstanceChanged(instance_id=instance_id)
    session.expire(instance)
    persist_clocks(
        session, engine=engine, step=step, instance_id=instance_id, case_id=None, now=now
    )
    return step


def arm(
    session: Session,
    *,
    instance_id: int,
    kind: str,
    starts_at: datetime,
    now: datetime,
    tz: ZoneInfo,
    calendar: WorkingCalendar | None = None,
) -> list[int]:
    """Start one clock the definition declares, from ``starts_at``, with its ladder (none if
    one of its kind already runs). Returns the new deadline's id (or nothing)."""
    instance = session.get_one(WorkflowInstance, instance_id)
    engine = process_for(instance.definition).engine(instance.definition_version)
    spec = engine.definition.deadlines[kind]
    due_at = engine.due(
        spec.clock, spec.duration, starts_at, calendar or WorkingCalendar(tz, extra_days_off=None)
    )
    clock = NewClock(instance_id, None, kind, spec.clock, spec.ladder, starts_at, due_at)
    return deadline_service.arm_many(session, engine=engine, clocks=[clock], now=now)


def meet(session: Session, *, instance_id: int, kinds: Sequence[str], now: datetime) -> int:
    """The clocks of these kinds are met (on time or late): their ladders stop."""
    return deadline_service.close(session, instance_id=instance_id, kinds=kinds, now=now, met=True)


def cancel(session: Session, *, instance_id: int, kinds: Sequence[str], now: datetime) -> int:
    """The clocks of these kinds no longer apply: their ladders stop."""
    return deadline_service.close(session, instance_id=instance_id, kinds=kinds, now=now, met=False)
