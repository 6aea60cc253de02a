"""Bàn giao: when someone leaves, the supervisor hands everything they hold to a named
colleague in one step. Their open cases get the colleague as owner, each with an entry
in its history (as any reassignment, the reason saying it is a hand-over) and the
colleague is told by message; the tasks they had accepted for their agency go to the
colleague when she is of the same agency, else back to the agency, each recorded in its
case's history. All or nothing, in one transaction, cases locked in id order.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlmodel import Session, select

from casework.accounts.models import User
from casework.actors import Actor
from casework.authz import policy
from casework.authz.policy import Action
from casework.cases import assignment
from casework.cases import service as case_service
from casework.cases.models import CaseStatus, ProtectionCase, Task, TaskStatus
from casework.errors import FieldError, InvalidInput

HANDED_OVER = "task_handed_over"
HELD_TASKS = (TaskStatus.open, TaskStatus.accepted)


@dataclass(frozen=True)
class Holding:
    """What one person holds: open cases they own, tasks they accepted."""

    user_id: int
    full_name: str
    cases: int
    tasks: int


def holdings(session: Session, *, commune_id: int) -> list[Holding]:
    """The commune's people who hold open cases or tasks (the hand-over form's list)."""
    cases = (
        sa.select(sa.func.count())
        .where(
            ProtectionCase.assigned_caseworker_id == User.id,
            ProtectionCase.status != CaseStatus.closed,
        )
        .correlate(User)
        .scalar_subquery()
    )
    tasks = (
        sa.select(sa.func.count())
        .where(Task.assignee_id == User.id, Task.status.in_(HELD_TASKS))
        .correlate(User)
        .scalar_subquery()
    )
    rows = session.execute(
        sa.select(User.id, User.full_name, cases, tasks)
        .where(User.commune_id == commune_id)
        .order_by(User.full_name, User.id)
    ).all()
    return [Holding(*row) for row in rows if row[2] or row[3]]


@dataclass(frozen=True)
class HandedOver:
    cases: int
    tasks: int
    colleague: str


def hand_over(
    session: Session,
    actor: Actor,
    *,
    leaver_id: int,
    colleague_id: int,
    reason: str,
    now: datetime,
    tz: ZoneInfo,
) -> HandedOver:
    """Give ``leaver_id``'s open cases and accepted tasks to ``colleague_id``."""
    if not policy.role_may(actor.role, Action.case_assign):
        raise assignment.AssignBySupervisorOnly()
    leaver = session.get(User, leaver_id)
    if leaver is None or leaver.commune_id != actor.commune_id:
        raise InvalidInput([FieldError(("leaver_id",), "handover_person_unknown")])
    colleague = session.get(User, colleague_id)
    if (
        colleague is None
        or colleague.commune_id != actor.commune_id
        or not colleague.is_active
        or colleague.id == leaver.id
    ):
        raise InvalidInput([FieldError(("colleague_id",), "handover_colleague_unfit")])
    cases = session.exec(
        select(ProtectionCase)
        .where(
            ProtectionCase.assigned_caseworker_id == leaver.id,
            ProtectionCase.status != CaseStatus.closed,
        )
        .order_by(ProtectionCase.id)
        .with_for_update()
    ).all()
    if cases and colleague.role not in assignment.OWNER_ROLES:
        params = {"name": colleague.full_name}
        raise InvalidInput([FieldError(("colleague_id",), "handover_not_an_owner", params)])
    why = f"Bàn giao từ {leaver.full_name}: {reason}"
    for case in cases:
        assignment.change_owner(session, actor, case=case, to=colleague,
                                event=assignment.ASSIGNED, reason=why, now=now, tz=tz)  # fmt: skip
    tasks = session.exec(
        select(Task)
        .where(Task.assignee_id == leaver.id, Task.status.in_(HELD_TASKS))
        .order_by(Task.id)
    ).all()
    for task in tasks:
        same_agency = colleague.agency_id is not None and colleague.agency_id == task.agency_id
        task.assignee_id = colleague.id if same_agency else None
        session.add(task)
        case = session.get_one(ProtectionCase, task.case_id)
        payload = {"task_id": task.id, "from_user_id": leaver.id, "to_user_id": task.assignee_id,
                   "reason": why}  # fmt: skip
        case_service.record_event(session, case=case, event=HANDED_OVER, now=now,
                                  actor_id=actor.user_id, payload=payload)  # fmt: skip
    session.flush()
    return HandedOver(cases=len(cases), tasks=len(tasks), colleague=colleague.full_name)
