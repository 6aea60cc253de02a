"""An agency's work list (Nhiệm vụ của tôi) and its counts, read in a fixed number of queries.

The tasks still to do are those open (not yet accepted) or accepted. What escalates first
comes first: tasks not yet accepted and tasks of an emergency case (both before either),
then by the earliest running clock of the task (its acceptance clock, "Hạn nhận nhiệm
vụ", usually runs out long before its due time). A task is overdue, or due today, by that
same earliest clock. Each task carries every running clock, to be shown with its label.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import Session

from casework.cases.models import ProtectionCase, Task, TaskStatus
from casework.deadlines.models import CaseDeadline, DeadlineStatus
from casework.pagination import Page, PageParams, page_of
from casework.timefmt import as_utc

TO_DO = (TaskStatus.open, TaskStatus.accepted)
# Written out as literals, so the planner sees it is the partial index ix_task_to_do's
# condition even when a statement's plan is prepared once for any parameters.
_TO_DO = Task.status.in_(
    sa.bindparam("to_do", [s.value for s in TO_DO], expanding=True, literal_execute=True)
)


class Due(StrEnum):
    """Which of an agency's tasks to list."""

    all = "all"
    overdue = "overdue"
    today = "today"


class Group(StrEnum):
    first = "first"  # not yet accepted, or an emergency: what escalates first
    other = "other"


@dataclass(frozen=True)
class TaskClock:
    """One running clock of a task: ``task_ack`` (to accept it) or ``task_due`` (to do it)."""

    kind: str
    clock: str
    starts_at: datetime
    due_at: datetime


@dataclass(frozen=True)
class AgencyTask:
    id: int
    title: str
    status: TaskStatus
    starts_at: datetime
    due_at: datetime
    case_code: str
    is_emergency: bool
    clocks: tuple[TaskClock, ...] = ()  # the running ones, soonest due first

    @property
    def group(self) -> Group:
        first = self.status == TaskStatus.open or self.is_emergency
        return Group.first if first else Group.other


@dataclass(frozen=True)
class TaskCounts:
    open: int
    overdue: int
    today: int


# The earliest running clock of the task, or its due time once none runs.
_NEXT_DUE = sa.func.coalesce(
    sa.select(sa.func.min(CaseDeadline.due_at))
    .where(CaseDeadline.task_id == Task.id, CaseDeadline.status == DeadlineStatus.running)
    .correlate(Task)
    .scalar_subquery(),
    Task.due_at,
).label("next_due")
# 0: not accepted and an emergency; 1: either; 2: neither.
_RANK = (
    sa.case((Task.status == TaskStatus.open, 0), else_=1)
    + sa.case((ProtectionCase.is_emergency == sa.true(), 0), else_=1)
).label("rank")


def _to_do(agency_id: int, scope: sa.ColumnElement[bool]) -> sa.Select:
    return (
        sa.select(
            Task.id,
            Task.title,
            Task.status,
            Task.starts_at,
            Task.due_at,
            ProtectionCase.code,
            ProtectionCase.is_emergency,
            _NEXT_DUE,
            _RANK,
        )
        .join(ProtectionCase, ProtectionCase.id == Task.case_id)
        .where(Task.agency_id == agency_id, _TO_DO, scope)
    )


def agency_tasks(
    session: Session,
    *,
    agency_id: int,
    scope: sa.ColumnElement[bool],
    due: Due,
    now: datetime,
    end_of_day: datetime,
    params: PageParams,
    counts: TaskCounts,
) -> Page[AgencyTask]:
    """The agency's tasks still to do within ``scope`` (the policy's visible tasks), those
    not yet accepted or of an emergency first, then by their earliest running clock;
    ``due`` narrows them to the overdue ones or those due by the end of today (by that
    clock). ``counts``: the agency's (``agency_counts``), which give the page's total."""
    inner = _to_do(agency_id, scope).subquery()
    statement = sa.select(inner)
    if due == Due.overdue:
        statement = statement.where(inner.c.next_due <= now)
    elif due == Due.today:
        statement = statement.where(inner.c.next_due > now, inner.c.next_due <= end_of_day)
    total = {Due.all: counts.open, Due.overdue: counts.overdue, Due.today: counts.today}[due]
    rows = session.execute(
        statement.order_by(inner.c.rank, inner.c.next_due, inner.c.id)
        .offset(params.offset)
        .limit(params.page_size)
    ).all()
    clocks = _running_clocks(session, task_ids=[row.id for row in rows])
    items = [
        AgencyTask(
            id=row.id,
            title=row.title,
            status=TaskStatus(row.status),
            starts_at=as_utc(row.starts_at),
            due_at=as_utc(row.due_at),
            case_code=row.code,
            is_emergency=row.is_emergency,
            clocks=tuple(clocks.get(row.id, ())),
        )
        for row in rows
    ]
    return page_of(items, total=total, params=params)


def _running_clocks(session: Session, *, task_ids: list[int]) -> dict[int, list[TaskClock]]:
    """The running clocks of these tasks, soonest due first, in one query."""
    if not task_ids:
        return {}
    found: dict[int, list[TaskClock]] = {}
    for task_id, kind, clock, starts_at, due_at in session.execute(
        sa.select(
            CaseDeadline.task_id,
            CaseDeadline.kind,
            CaseDeadline.clock,
            CaseDeadline.starts_at,
            CaseDeadline.due_at,
        )
        .where(
            CaseDeadline.task_id.in_(task_ids),
            CaseDeadline.status == DeadlineStatus.running,
        )
        .order_by(CaseDeadline.due_at, CaseDeadline.id)
    ).all():
        found.setdefault(task_id, []).append(
            TaskClock(kind, clock, as_utc(starts_at), as_utc(due_at))
        )
    return found


def agency_counts(
    session: Session,
    *,
    agency_id: int,
    scope: sa.ColumnElement[bool],
    now: datetime,
    end_of_day: datetime,
) -> TaskCounts:
    """How many of the agency's tasks are to do, overdue, and due by the end of today (by
    each task's earliest running clock)."""
    inner = _to_do(agency_id, scope).subquery()
    row = session.execute(
        sa.select(
            sa.func.count(),
            sa.func.count().filter(inner.c.next_due <= now),
            sa.func.count().filter(inner.c.next_due > now, inner.c.next_due <= end_of_day),
        ).select_from(inner)
    ).one()
    return TaskCounts(*row)
