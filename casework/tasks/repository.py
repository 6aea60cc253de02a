"""An agency's work list (Nhiệm vụ của tôi) and its counts, read in a fixed number of queries.

The tasks still to do are those open (not yet accepted) or accepted; the list is ordered
by due time, so the overdue ones come first, and grouped as the UX guide says (§2.4):
overdue, due in the next 7 days, later.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import Session

from casework.cases.models import ProtectionCase, Task, TaskStatus
from casework.pagination import Page, PageParams, page_of
from casework.timefmt import as_utc

TO_DO = (TaskStatus.open, TaskStatus.accepted)
# Written out as literals, so the planner sees it is the partial index ix_task_to_do's
# condition even when a statement's plan is prepared once for any parameters.
_TO_DO = Task.status.in_(
    sa.bindparam("to_do", [s.value for s in TO_DO], expanding=True, literal_execute=True)
)
SOON = timedelta(days=7)


class Due(StrEnum):
    """Which of an agency's tasks to list."""

    all = "all"
    overdue = "overdue"
    today = "today"


class Group(StrEnum):
    overdue = "overdue"
    soon = "soon"
    later = "later"


@dataclass(frozen=True)
class AgencyTask:
    id: int
    title: str
    status: TaskStatus
    starts_at: datetime
    due_at: datetime
    case_code: str
    is_emergency: bool

    def group(self, now: datetime) -> Group:
        if self.due_at <= now:
            return Group.overdue
        return Group.soon if self.due_at <= now + SOON else Group.later


@dataclass(frozen=True)
class TaskCounts:
    open: int
    overdue: int
    today: int


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
    """The agency's tasks still to do within ``scope`` (the policy's visible tasks), most
    overdue first; ``due`` narrows them to the overdue ones or those due by the end of
    today. ``counts``: the agency's (``agency_counts``), which give the page's total."""
    statement = _to_do(agency_id, scope)
    if due == Due.overdue:
        statement = statement.where(Task.due_at <= now)
    elif due == Due.today:
        statement = statement.where(Task.due_at > now, Task.due_at <= end_of_day)
    total = {Due.all: counts.open, Due.overdue: counts.overdue, Due.today: counts.today}[due]
    rows = session.execute(
        statement.order_by(Task.due_at, Task.id).offset(params.offset).limit(params.page_size)
    ).all()
    items = [
        AgencyTask(
            id=id_,
            title=title,
            status=TaskStatus(status),
            starts_at=as_utc(starts_at),
            due_at=as_utc(due_at),
            case_code=code,
            is_emergency=emergency,
        )
        for id_, title, status, starts_at, due_at, code, emergency in rows
    ]
    return page_of(items, total=total, params=params)


def agency_counts(
    session: Session,
    *,
    agency_id: int,
    scope: sa.ColumnElement[bool],
    now: datetime,
    end_of_day: datetime,
) -> TaskCounts:
    """How many of the agency's tasks are to do, overdue, and due by the end of today."""
    inner = _to_do(agency_id, scope).subquery()
    row = session.execute(
        sa.select(
            sa.func.count(),
            sa.func.count().filter(inner.c.due_at <= now),
            sa.func.count().filter(inner.c.due_at > now, inner.c.due_at <= end_of_day),
        ).select_from(inner)
    ).one()
    return TaskCounts(*row)
