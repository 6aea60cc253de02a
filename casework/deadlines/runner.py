"""Fire due ladder steps, from any number of processes, exactly once each.

Claiming marks a batch of due timers with this worker's name and a lease (``FOR UPDATE
SKIP LOCKED`` on PostgreSQL, so workers never wait for each other; SQLite serialises
writers). The batch then fires in one transaction: each timer's workflow definition's
handler (``casework.processes.registry``) locks its subjects (a case handler: the cases, in
id order, the order every writer of a case takes its lock first, so it waits instead of
deadlocking); the loop flips each timer from pending to fired only if this worker still
holds it, works out which steps speak, records the step each clock reached, and hands the
steps to their handlers, which write what they cause set-based: a few statements per batch
instead of several per timer. Nothing here knows what a case is. Everything commits
together or not at all; if the batch fails, each of its timers is fired again alone
(``fire``), so one bad timer cannot hold back the rest. A worker that dies mid-batch leaves
its timers claimed until the lease runs out; then another worker claims and fires them.
Never early: a timer is taken only once its time has come.
"""

from __future__ import annotations

import logging
import os
import socket
from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlmodel import Session

from casework.deadlines.models import Deadline, DeadlineStatus, DeadlineTimer, TimerStatus
from casework.processes.models import WorkflowInstance
from casework.processes.registry import DueStep, process_for

log = logging.getLogger(__name__)

_T = DeadlineTimer.__table__
_D = Deadline.__table__
_W = WorkflowInstance.__table__

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
# Which instances (of which definitions) the timers belong to: fixed facts, read unlocked.
_INSTANCES = (
    sa.select(_W.c.id, _W.c.definition, _W.c.definition_version)
    .where(
        _W.c.id.in_(
            sa.select(_D.c.instance_id)
            .join(_T, _T.c.deadline_id == _D.c.id)
            .where(_T.c.id.in_(sa.bindparam("ids", expanding=True)))
        )
    )
    .order_by(_W.c.id)
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
_DEADLINES = sa.select(
    _D.c.id,
    _D.c.instance_id,
    _D.c.case_id,
    _D.c.task_id,
    _D.c.kind,
    _D.c.ladder,
    _D.c.status,
    _D.c.due_at,
    _D.c.ladder_step,
).where(_D.c.id.in_(sa.bindparam("ids", expanding=True)))
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


def fire_batch(
    session: Session, *, timer_ids: Sequence[int], worker: str, now: datetime, tz: ZoneInfo
) -> int:
    """Run the ladder steps of the timers this worker still holds; returns how many it took.

    Idempotent: a timer already fired, cancelled, or claimed by another worker since is
    left alone, and a step whose deadline was met, whose instance closed, or whose ladder
    already reached that step or a later one records nothing.
    """
    if not timer_ids:
        return 0
    conn = session.connection()
    ids = sorted(timer_ids)
    instances = conn.execute(_INSTANCES, {"ids": ids}).all()
    by_definition: dict[str, list[int]] = defaultdict(list)
    for instance_id, definition, _version in instances:
        by_definition[definition].append(instance_id)
    live: dict[int, Any] = {}
    for definition in sorted(by_definition):
        live |= process_for(definition).lock(session, instance_ids=by_definition[definition])
    taken = conn.execute(_TAKE, {"ids": ids, "worker": worker, "now": now}).all()
    if not taken:
        return 0
    deadlines = {
        row.id: row
        for row in conn.execute(_DEADLINES, {"ids": sorted({t.deadline_id for t in taken})})
    }
    due_steps: dict[int, set[str]] = {}
    for deadline_id, step in conn.execute(_DUE_PENDING, {"ids": sorted(deadlines), "now": now}):
        due_steps.setdefault(deadline_id, set()).add(step)
    for timer in taken:
        due_steps.setdefault(timer.deadline_id, set()).add(timer.step)
    definitions = {row.id: (row.definition, row.definition_version) for row in instances}
    ordered = []
    for timer in taken:
        deadline = deadlines[timer.deadline_id]
        if deadline.status != DeadlineStatus.running or deadline.instance_id not in live:
            continue
        name, version = definitions[deadline.instance_id]
        ladder = tuple(process_for(name).engine(version).definition.ladders[deadline.ladder or ""])
        position = {s.step: n for n, s in enumerate(ladder)}
        if (
            deadline.ladder_step in position
            and position[timer.step] <= position[deadline.ladder_step]
        ):
            continue  # this step (or a later one) already spoke: a second firing adds nothing
        ordered.append((timer.fires_at, position[timer.step], timer.id, deadline, ladder))
    reached: dict[int, str] = {}
    steps: dict[str, list[DueStep]] = defaultdict(list)
    for _, n, _, deadline, ladder in sorted(ordered, key=lambda o: o[:3]):
        position = {s.step: i for i, s in enumerate(ladder)}
        # A reminder whose moment passed unseen (a restart, a clock armed late) does not
        # speak when a later step is already due; steps at or past the deadline always do.
        superseded = ladder[n].at < 1.0 and any(position[s] > n for s in due_steps[deadline.id])
        # The last step reached before this one: earlier in this batch, or before it.
        before = position.get(reached.get(deadline.id) or deadline.ladder_step or "", -1)
        reached[deadline.id] = ladder[n].step
        steps[definitions[deadline.instance_id][0]].append(
            DueStep(
                deadline_id=deadline.id,
                instance_id=deadline.instance_id,
                case_id=deadline.case_id,
                task_id=deadline.task_id,
                kind=deadline.kind,
                due_at=deadline.due_at,
                ladder=ladder,
                n=n,
                before=before,
                superseded=superseded,
            )
        )
    by_step: dict[str, list[int]] = defaultdict(list)
    for deadline_id, step in reached.items():
        by_step[step].append(deadline_id)
    for step, deadline_ids in by_step.items():
        conn.execute(_SET_STEP, {"ids": deadline_ids, "step": step})
    for definition in sorted(steps):
        process_for(definition).apply(
            session, steps=steps[definition], subjects=live, now=now, tz=tz
        )
    return len(taken)


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
