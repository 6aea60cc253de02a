"""Trang của tôi: what is due for a caseworker or a supervisor, counted and listed.

"My cases" are the commune's open cases the person owns (``assigned_caseworker_id``);
"unassigned" ones nobody owns yet, which someone must take on. A caseworker's other
counters are about their own cases and the unassigned ones (nobody else watches those);
the supervisor's are about every open case of the commune, which they oversee. A case is
"overdue" while any of its clocks (the legal ones and its tasks') is past due and still
running, and "due today" while one falls due before the end of the commune's day.
Counts come in one query; a list is one page of cases plus their running clocks.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlmodel import Session

from casework import text
from casework.accounts.models import Role
from casework.actors import Actor
from casework.authz import policy, scopes
from casework.authz.policy import Action
from casework.cases import workflow
from casework.cases.models import CaseStatus, ProtectionCase, RiskLevel
from casework.children.models import Child
from casework.communes import service as commune_service
from casework.communes.models import Village
from casework.deadlines.models import CaseDeadline, DeadlineStatus
from casework.escalations.models import Escalation, EscalationStatus
from casework.pagination import Page, PageParams, page_of
from casework.tasks import repository as task_list
from casework.timefmt import age_on, as_utc, end_of_local_day, local_date
from workflows.definition import Label


class Show(StrEnum):
    """Which of the counted sets of cases to list."""

    mine = "mine"
    unassigned = "unassigned"
    today = "today"
    overdue = "overdue"
    emergency = "emergency"


@dataclass(frozen=True)
class CaseCounts:
    mine: int
    unassigned: int
    today: int
    overdue: int
    emergency: int
    escalations: int


@dataclass(frozen=True)
class NextClock:
    kind: str
    label: Label | None
    starts_at: datetime
    due_at: datetime


@dataclass(frozen=True)
class DueCase:
    code: str
    status: CaseStatus
    is_emergency: bool
    risk_level: RiskLevel | None
    child: str  # the full name, or initials for whoever may not see names
    child_age: int
    village: str | None
    next_clock: NextClock | None


def _running(*conditions: sa.ColumnElement[bool]) -> sa.ColumnElement[bool]:
    """The case has a running clock (its own or a task's) meeting ``conditions``."""
    return (
        sa.select(CaseDeadline.id)
        .where(
            CaseDeadline.case_id == ProtectionCase.id,
            CaseDeadline.status == DeadlineStatus.running,
            *conditions,
        )
        .exists()
    )


@dataclass(frozen=True)
class Sets:
    """The conditions on ``ProtectionCase`` behind each counter, for one person and time:
    each narrows ``commune`` (the open cases the person sees in full)."""

    commune: sa.ColumnElement[bool]
    mine: sa.ColumnElement[bool]  # the person owns it
    unassigned: sa.ColumnElement[bool]  # nobody owns it yet
    watched: sa.ColumnElement[bool]  # what the other counters are about
    now: datetime
    end_of_day: datetime

    @classmethod
    def of(
        cls, actor: Actor, *, scope: sa.ColumnElement[bool], now: datetime, end_of_day: datetime
    ) -> Sets:
        """``scope``: the cases the person sees in full (the policy's condition)."""
        commune = sa.and_(scope, ProtectionCase.status != CaseStatus.closed)
        mine = ProtectionCase.assigned_caseworker_id == actor.user_id
        unassigned = ProtectionCase.assigned_caseworker_id.is_(None)
        watched = sa.true() if actor.role == Role.supervisor else sa.or_(mine, unassigned)
        return cls(commune, mine, unassigned, watched, now, end_of_day)

    def narrowing(self, show: Show) -> sa.ColumnElement[bool]:
        """Which of ``commune`` a counter counts."""
        if show == Show.mine:
            return self.mine
        if show == Show.unassigned:
            return self.unassigned
        if show == Show.today:
            due = (CaseDeadline.due_at > self.now, CaseDeadline.due_at <= self.end_of_day)
            return sa.and_(self.watched, _running(*due))
        if show == Show.overdue:
            return sa.and_(self.watched, _running(CaseDeadline.due_at <= self.now))
        return sa.and_(self.watched, ProtectionCase.is_emergency.is_(True))


def counts(session: Session, *, sets: Sets) -> CaseCounts:
    """The six counters in one query: one pass over the commune's open cases."""
    waiting = (
        sa.select(sa.func.count(Escalation.id))
        .join(ProtectionCase, ProtectionCase.id == Escalation.case_id)
        .where(
            sets.commune,
            Escalation.status.in_((EscalationStatus.open, EscalationStatus.acknowledged)),
        )
        .correlate(None)  # the commune's, not the outer row's
        .scalar_subquery()
    )
    counters = (sa.func.count().filter(sets.narrowing(show)) for show in Show)
    row = session.execute(sa.select(*counters, waiting).where(sets.commune)).one()
    return CaseCounts(*row)


def cases(
    session: Session,
    *,
    sets: Sets,
    show: Show,
    params: PageParams,
    total: int,
    today: date,
    names: bool = False,
) -> Page[DueCase]:
    """One page of the cases behind a counter (``total``: its count), the soonest due
    first; each with its next running clock. ``names``: the reader may see children's
    names (else initials)."""
    next_due = (
        sa.select(sa.func.min(CaseDeadline.due_at))
        .where(
            CaseDeadline.case_id == ProtectionCase.id,
            CaseDeadline.status == DeadlineStatus.running,
        )
        .correlate(ProtectionCase)
        .scalar_subquery()
    )
    # The page's cases first, then their children: joining every child of the commune
    # before the page is cut costs more than the page.
    page = (
        sa.select(ProtectionCase.id, next_due.label("next_due"))
        .where(sets.commune, sets.narrowing(show))
        .order_by(sa.nulls_last(next_due.asc()), ProtectionCase.id.desc())
        .offset(params.offset)
        .limit(params.page_size)
        .subquery()
    )
    rows = session.execute(
        sa.select(
            ProtectionCase, Child.full_name, Child.date_of_birth, Child.birth_year, Village.name
        )
        .join(page, page.c.id == ProtectionCase.id)
        .join(Child, Child.id == ProtectionCase.child_id)
        .outerjoin(Village, Village.id == Child.village_id)
        .order_by(sa.nulls_last(page.c.next_due.asc()), ProtectionCase.id.desc())
    ).all()
    clocks = _next_clocks(session, [case for case, *_ in rows])
    items = [
        DueCase(
            code=case.code,
            status=CaseStatus(case.status),
            is_emergency=case.is_emergency,
            risk_level=RiskLevel(case.risk_level) if case.risk_level else None,
            child=name if names else text.initials(name),
            child_age=age_on(born, today) if born else today.year - birth_year,
            village=village,
            next_clock=clocks.get(case.id),
        )
        for case, name, born, birth_year, village in rows
    ]
    return page_of(items, total=total, params=params)


def _next_clocks(session: Session, found: list[ProtectionCase]) -> dict[int, NextClock]:
    """Each case's soonest running clock, in one query for the whole page."""
    if not found:
        return {}
    by_id = {case.id: case for case in found}
    running = session.execute(
        sa.select(CaseDeadline)
        .where(
            CaseDeadline.case_id.in_(by_id),
            CaseDeadline.status == DeadlineStatus.running,
        )
        .order_by(CaseDeadline.due_at.desc())
    ).scalars()
    clocks: dict[int, NextClock] = {}
    for deadline in running:  # the soonest last, so it stays
        case = by_id[deadline.case_id]
        spec = workflow.engine_for(case.workflow_name, case.workflow_version)
        found_spec = spec.definition.deadlines.get(deadline.kind)
        clocks[case.id] = NextClock(
            kind=deadline.kind,
            label=found_spec.label if found_spec else None,
            starts_at=as_utc(deadline.starts_at),
            due_at=as_utc(deadline.due_at),
        )
    return clocks


@dataclass(frozen=True)
class Dashboard:
    """What one person's page shows; the parts their role has no use for are empty."""

    cases: CaseCounts | None = None
    listing: Page[DueCase] | None = None
    tasks: task_list.TaskCounts | None = None
    communes: list[commune_service.CommuneCounts] | None = None


def dashboard(
    session: Session,
    actor: Actor,
    *,
    show: Show | None,
    params: PageParams,
    now: datetime,
    tz: ZoneInfo,
) -> Dashboard:
    """The counters for the person's role (and the cases behind one of them, ``show``):
    the commune's cases for those who see them in full, their agency's tasks for those
    who answer tasks, the communes' counts for whoever reads statistics only."""
    end_of_day = end_of_local_day(now, tz)
    counted = listing = tasks = communes = None
    if policy.role_may(actor.role, Action.escalation_list):
        sets = Sets.of(actor, scope=scopes.full_cases(actor), now=now, end_of_day=end_of_day)
        counted = counts(session, sets=sets)
        if show is not None:
            listing = cases(
                session,
                sets=sets,
                show=show,
                params=params,
                total=getattr(counted, show.value),
                today=local_date(now, tz),
                names=policy.sees_names(actor),
            )
    if actor.agency_id is not None and policy.role_may(actor.role, Action.task_act):
        tasks = task_list.agency_counts(
            session,
            agency_id=actor.agency_id,
            scope=scopes.visible_tasks(actor),
            now=now,
            end_of_day=end_of_day,
        )
    if actor.role == Role.province_viewer:
        communes = commune_service.counts(session, communes=scopes.counted_communes(actor))
    return Dashboard(counted, listing, tasks, communes)
