"""Arm, meet, cancel and extend deadlines; each ladder step becomes a timer row.

These run on every workflow event and every routed task, so they are set-based SQL
statements, most built once: arming any number of clocks is two INSERTs (the deadlines,
then every ladder timer), closing them two UPDATEs, without reading the clocks first: the
database knows which are running (and its partial unique indexes keep one per kind).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, select

from casework.base import label
from casework.deadlines.models import CaseDeadline, DeadlineStatus, DeadlineTimer, TimerStatus
from casework.deadlines.schemas import ClockStatus, DeadlineRead
from casework.escalations.models import Escalation, EscalationStatus
from casework.timefmt import as_utc, to_local
from workflows.engine import Engine

_D = CaseDeadline.__table__
_T = DeadlineTimer.__table__
_E = Escalation.__table__


@dataclass(frozen=True)
class Clock:
    """A deadline as the workflow reads it."""

    id: int
    kind: str
    task_id: int | None
    status: str
    due_at: datetime
    ladder_step: str | None


@dataclass(frozen=True)
class NewClock:
    """A clock to start on a workflow instance (and, for a case's, its case and task)."""

    instance_id: int
    case_id: int | None
    kind: str
    clock: str
    ladder: str | None
    starts_at: datetime
    due_at: datetime
    task_id: int | None = None


_CLOCK_COLUMNS = (_D.c.id, _D.c.kind, _D.c.task_id, _D.c.status, _D.c.due_at, _D.c.ladder_step)
_INSTANCE_CLOCKS = (
    sa.select(*_CLOCK_COLUMNS)
    .where(_D.c.instance_id == sa.bindparam("instance_id"), _D.c.task_id.is_(None))
    .order_by(_D.c.id)
)
_INSERT_TIMERS = _T.insert()
# Met on time or late (missed): the database compares each clock's due time with now.
_MET_OR_MISSED = sa.case(
    (_D.c.due_at >= sa.bindparam("now"), DeadlineStatus.met.value),
    else_=DeadlineStatus.missed.value,
)


def _closing(owner: sa.ColumnElement[bool], status: object) -> sa.UpdateBase:
    """Close the running clocks of some kinds on one instance (or one task), returning them."""
    return (
        _D.update()
        .where(
            owner,
            _D.c.status == DeadlineStatus.running,
            _D.c.kind.in_(sa.bindparam("kinds", expanding=True)),
        )
        .values(status=status, closed_at=sa.bindparam("now"))
        .returning(_D.c.id, _D.c.ladder_step)
    )


_OF_INSTANCE = sa.and_(_D.c.instance_id == sa.bindparam("b_instance_id"), _D.c.task_id.is_(None))
_OF_TASK = _D.c.task_id == sa.bindparam("b_task_id")
_CLOSE = {
    # (of a task, met) -> statement
    (False, True): _closing(_OF_INSTANCE, _MET_OR_MISSED),
    (False, False): _closing(_OF_INSTANCE, DeadlineStatus.cancelled),
    (True, True): _closing(_OF_TASK, _MET_OR_MISSED),
    (True, False): _closing(_OF_TASK, DeadlineStatus.cancelled),
}
_CANCEL_ALL = (
    _D.update()
    .where(_D.c.instance_id == sa.bindparam("b_instance_id"), _D.c.status == DeadlineStatus.running)
    .values(status=DeadlineStatus.cancelled, closed_at=sa.bindparam("now"))
    .returning(_D.c.id, _D.c.ladder_step)
)
_CANCEL_TIMERS = (
    _T.update()
    .where(
        _T.c.deadline_id.in_(sa.bindparam("ids", expanding=True)),
        _T.c.status == TimerStatus.pending,
    )
    .values(status=TimerStatus.cancelled)
)
_RESOLVE_ESCALATIONS = (
    _E.update()
    .where(
        _E.c.deadline_id.in_(sa.bindparam("ids", expanding=True)),
        _E.c.status != EscalationStatus.resolved,
    )
    .values(status=EscalationStatus.resolved, resolved_at=sa.bindparam("now"))
)


def instance_clocks(session: Session, *, instance_id: int) -> list[Clock]:
    """Every clock ever armed on the instance itself (a case's: not its tasks'), oldest first."""
    rows = session.connection().execute(_INSTANCE_CLOCKS, {"instance_id": instance_id})
    return [Clock(*row) for row in rows]


def history(clocks: Sequence[Clock]) -> dict[str, tuple[int, datetime]]:
    """Per kind of clock: how many were armed, and the last one's due time."""
    found: dict[str, tuple[int, datetime]] = {}
    for clock in clocks:
        count, last = found.get(clock.kind, (0, clock.due_at))
        found[clock.kind] = (count + 1, max(last, clock.due_at))
    return found


# Arming skips a kind already running on its instance or task: the partial unique indexes
# decide. One statement per batch of rows, built once per dialect.
_INSERT_DEADLINES = {
    name: insert(_D)
    .on_conflict_do_nothing()
    .returning(_D.c.id, _D.c.instance_id, _D.c.task_id, _D.c.kind)
    for name, insert in (("postgresql", postgresql.insert), ("sqlite", sqlite.insert))
}


def _insert_deadlines(session: Session, clocks: Sequence[NewClock]) -> list[int | None]:
    """Insert the deadlines; the new ids, None where one of the kind already runs."""
    rows = session.connection().execute(
        _INSERT_DEADLINES[session.get_bind().dialect.name],
        [
            {
                "instance_id": c.instance_id,
                "case_id": c.case_id,
                "task_id": c.task_id,
                "kind": c.kind,
                "clock": c.clock,
                "ladder": c.ladder,
                "starts_at": c.starts_at,
                "due_at": c.due_at,
                "status": DeadlineStatus.running,
            }
            for c in clocks
        ],
    )
    armed = {(instance_id, task_id, kind): id_ for id_, instance_id, task_id, kind in rows}
    return [armed.get((c.instance_id, c.task_id, c.kind)) for c in clocks]


def arm_many(
    session: Session, *, engine: Engine, clocks: Sequence[NewClock], now: datetime
) -> list[int]:
    """Start clocks, each with its ladder of timers, in two statements; a clock of a kind
    already running on its instance (or task) is left as it is. A clock armed late (its start
    long before ``now``) gets no timers for the steps it missed, only for the step due now
    and those after (``Engine.ladder_from``). Returns the new deadlines' ids."""
    if not clocks:
        return []
    ids = _insert_deadlines(session, clocks)
    timers = [
        {
            "deadline_id": deadline_id,
            "step": step.step,
            "fires_at": step.fires_at,
            "status": TimerStatus.pending,
            "attempts": 0,
        }
        for deadline_id, c in zip(ids, clocks, strict=True)
        if deadline_id is not None
        for step in engine.ladder_from(c.ladder, c.starts_at, c.due_at, now)
    ]
    if timers:
        session.connection().execute(_INSERT_TIMERS, timers)
    return [deadline_id for deadline_id in ids if deadline_id is not None]


def _silence(session: Session, closed: Sequence[sa.Row], now: datetime) -> None:
    """The closed clocks' timers never fire and their escalations are resolved."""
    if not closed:
        return
    conn = session.connection()
    conn.execute(_CANCEL_TIMERS, {"ids": [row.id for row in closed]})
    # Only a clock whose ladder reached a step can have raised an escalation.
    stepped = [row.id for row in closed if row.ladder_step is not None]
    if stepped:
        conn.execute(_RESOLVE_ESCALATIONS, {"ids": stepped, "now": now})


def close(
    session: Session,
    *,
    kinds: Sequence[str],
    now: datetime,
    met: bool,
    instance_id: int | None = None,
    task_id: int | None = None,
) -> int:
    """Stop the running clocks of these kinds on the instance (or on one task of a case):
    met, on time or late, or cancelled. Returns how many stopped."""
    if not kinds:
        return 0
    owner = {"b_instance_id": instance_id} if task_id is None else {"b_task_id": task_id}
    params = owner | {"kinds": list(kinds), "now": now}
    closed = session.connection().execute(_CLOSE[task_id is not None, met], params).all()
    _silence(session, closed, now)
    return len(closed)


def cancel_all(session: Session, *, instance_id: int, now: datetime) -> None:
    """The instance left its workflow (a case closed or transferred): every clock on it
    (a case's tasks' too) stops."""
    params = {"b_instance_id": instance_id, "now": now}
    closed = session.connection().execute(_CANCEL_ALL, params).all()
    _silence(session, closed, now)


def extend(
    session: Session, *, engine: Engine, deadline: CaseDeadline, due_at: datetime, reason: str
) -> None:
    """Move a running deadline; its ladder is re-armed over the longer time."""
    deadline.due_at = due_at
    deadline.ladder_step = None
    deadline.extended_reason = reason
    session.add(deadline)
    session.flush()
    conn = session.connection()
    conn.execute(_CANCEL_TIMERS, {"ids": [deadline.id]})
    timers = [
        {
            "deadline_id": deadline.id,
            "step": step.step,
            "fires_at": step.fires_at,
            "status": TimerStatus.pending,
            "attempts": 0,
        }
        for step in engine.ladder(deadline.ladder, deadline.starts_at, due_at)
    ]
    if timers:
        conn.execute(_INSERT_TIMERS, timers)


def read_for_case(
    session: Session, *, case_id: int, engine: Engine, now: datetime, tz: ZoneInfo
) -> list[DeadlineRead]:
    """Every clock of the case and its tasks, open ones first (overdue or running), soonest
    due first; one past its due time reads ``overdue``."""
    deadlines = session.exec(
        select(CaseDeadline).where(CaseDeadline.case_id == case_id).order_by(CaseDeadline.id)
    ).all()
    specs = engine.definition.deadlines
    rows = []
    for d in deadlines:
        spec = specs.get(d.kind)
        status = ClockStatus.of(d.status, due_at=as_utc(d.due_at), now=now)
        rows.append(
            DeadlineRead(
                id=d.id,
                kind=d.kind,
                label=spec.label.vi if spec else label_for_task_deadline(d.kind),
                task_id=d.task_id,
                clock=d.clock,
                starts_at=to_local(d.starts_at, tz),
                due_at=to_local(d.due_at, tz),
                status=status,
                status_label=label(status),
                ladder_step=d.ladder_step,
                closed_at=to_local(d.closed_at, tz) if d.closed_at else None,
                extended_reason=d.extended_reason,
            )
        )
    rows.sort(key=lambda r: (not r.status.open, r.due_at))
    return rows


TASK_DEADLINE_LABELS = {
    "task_ack": "Hạn nhận nhiệm vụ",
    "task_due": "Hạn hoàn thành",
}


def label_for_task_deadline(kind: str) -> str:
    return TASK_DEADLINE_LABELS.get(kind, kind)
