"""Small reads the case pages need besides the case itself: each is one statement, whatever
the number of rows on the page (a list's clocks, the commune's agencies and villages, the
names of the people in a history).

Like the services: they take a session, never commit, and return plain values.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Session

from casework.accounts.models import Role, User
from casework.agencies.models import UPSTREAM_KINDS, Agency, AgencyKind
from casework.cases.models import PLAN_ACTIVITY, ProtectionCase, Task, TaskStatus
from casework.communes.models import Commune, Village
from casework.deadlines.models import CaseDeadline, DeadlineStatus
from casework.timefmt import as_utc


@dataclass(frozen=True)
class Clock:
    """A running clock as a list row shows it: its band comes from these two times."""

    starts_at: datetime
    due_at: datetime


def most_urgent_clocks(
    session: Session, *, codes: Collection[str], agency_id: int | None = None
) -> dict[str, Clock]:
    """Per case code, its running clock due soonest (the case's own or a task's);
    ``agency_id``: only that agency's tasks' clocks (what its list may show)."""
    if not codes:
        return {}
    statement = (
        sa.select(ProtectionCase.code, CaseDeadline.starts_at, CaseDeadline.due_at)
        .join(CaseDeadline, CaseDeadline.case_id == ProtectionCase.id)
        .where(ProtectionCase.code.in_(list(codes)), CaseDeadline.status == DeadlineStatus.running)
    )
    if agency_id is not None:
        statement = statement.join(Task, Task.id == CaseDeadline.task_id).where(
            Task.agency_id == agency_id
        )
    found: dict[str, Clock] = {}
    for code, starts_at, due_at in session.execute(statement):
        clock = Clock(as_utc(starts_at), as_utc(due_at))
        if code not in found or clock.due_at < found[code].due_at:
            found[code] = clock
    return found


@dataclass(frozen=True)
class AgencyChoice:
    id: int
    name: str
    kind: AgencyKind


def plan_agencies(session: Session, *, commune_id: int) -> list[AgencyChoice]:
    """The commune's own active agencies, which a plan's activities may go to."""
    rows = session.execute(
        sa.select(Agency.id, Agency.name, Agency.kind)
        .where(
            Agency.commune_id == commune_id,
            Agency.is_active,
            Agency.kind.not_in([kind.value for kind in UPSTREAM_KINDS]),
        )
        .order_by(Agency.name)
    ).all()
    return [AgencyChoice(id_, name, AgencyKind(kind)) for id_, name, kind in rows]


def village_names(session: Session, *, commune_id: int) -> list[str]:
    """The commune's villages, for a filter."""
    return list(
        session.execute(
            sa.select(Village.name)
            .where(Village.commune_id == commune_id, Village.live())
            .order_by(Village.name)
        ).scalars()
    )


@dataclass(frozen=True)
class Person:
    full_name: str
    role: Role


def people(session: Session, *, user_ids: Collection[int | None]) -> dict[int, Person]:
    """Staff names and roles by id (who did what in a case's history)."""
    ids = {user_id for user_id in user_ids if user_id is not None}
    if not ids:
        return {}
    rows = session.execute(
        sa.select(User.id, User.full_name, User.role).where(User.id.in_(ids))
    ).all()
    return {id_: Person(name, Role(role)) for id_, name, role in rows}


def commune(session: Session, *, commune_id: int) -> Commune:
    """The commune a case belongs to (its name heads the printed forms)."""
    return session.get_one(Commune, commune_id)


@dataclass(frozen=True)
class PlannedActivity:
    agency_id: int
    title: str
    starts_at: datetime
    due_at: datetime
    cost_vnd: int | None


def draft_plan(session: Session, *, case_id: int) -> list[PlannedActivity]:
    """The activities of a plan not approved yet (sent back, or awaiting approval): the
    caseworker starts the next version of the plan from them."""
    rows = session.execute(
        sa.select(Task.agency_id, Task.title, Task.starts_at, Task.due_at, Task.cost_vnd)
        .where(
            Task.case_id == case_id,
            Task.status == TaskStatus.planned,
            Task.kind == PLAN_ACTIVITY,
        )
        .order_by(Task.id)
    ).all()
    return [
        PlannedActivity(agency_id, title, as_utc(starts_at), as_utc(due_at), cost)
        for agency_id, title, starts_at, due_at, cost in rows
    ]
