"""Messages about a case to the people who must act, as outbox rows.

A message carries the case code, the action asked, the agency and the deadline in local
time: never the child's name, address, school or what happened (NĐ56 Đ33). Who receives
it: ``assignee`` (the task's agency officers, or the case's caseworker for a case clock),
``agency_head``, ``caseworker`` and ``supervisor``.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel import Session

from casework.accounts.models import Role, User
from casework.agencies import service as agency_service
from casework.cases.models import PLAN_ACTIVITY, ProtectionCase, Task
from notifications.outbox import NewMessage, enqueue_many


def caseworkers(session: Session, *, case: ProtectionCase) -> list[User]:
    """The case's own caseworker, or every caseworker of the commune while unassigned."""
    people = agency_service.commune_people(
        session, commune_id=case.commune_id, role=Role.caseworker
    )
    assigned = [p for p in people if p.id == case.assigned_caseworker_id]
    return assigned or people


def _task_assignees(session: Session, task: Task) -> list[User]:
    """The person the task is assigned to, or else its agency's focal points (caseworkers
    are the focal points of the culture and social office)."""
    if task.assignee_id is not None:
        person = session.get(User, task.assignee_id)
        if person is not None and person.is_active:
            return [person]
    return agency_service.members(
        session, agency_id=task.agency_id, roles=(Role.agency_officer, Role.caseworker)
    )


def recipients(
    session: Session, *, case: ProtectionCase, task: Task | None, roles: Iterable[str]
) -> list[User]:
    found: dict[int, User] = {}
    for role in roles:
        if role == "assignee":
            people = (
                _task_assignees(session, task)
                if task is not None
                else caseworkers(session, case=case)
            )
        elif role == "agency_head":
            if task is not None:
                agency_id = task.agency_id
            else:
                lead = agency_service.lead_agency(session, commune_id=case.commune_id)
                agency_id = lead.id if lead else None
            people = (
                agency_service.members(session, agency_id=agency_id, roles=(Role.agency_head,))
                if agency_id
                else []
            )
        elif role == "caseworker":
            people = caseworkers(session, case=case)
        else:
            people = agency_service.commune_people(
                session, commune_id=case.commune_id, role=Role.supervisor
            )
        found.update((p.id, p) for p in people)
    return list(found.values())


PLAN_ACTIVITY_ACTION = "Thực hiện hoạt động trong kế hoạch hỗ trợ, can thiệp"


def action_of(task: Task) -> str:
    """What a message says the agency must do: a routed task's title comes from the workflow
    definition; a plan activity's title is free text that may name the child, so it is
    replaced by a fixed phrase (the full title is behind the login link)."""
    return PLAN_ACTIVITY_ACTION if task.kind == PLAN_ACTIVITY else task.title


def send(
    session: Session,
    *,
    kind: str,
    people: Iterable[User],
    case: ProtectionCase,
    dedupe: str,
    now: datetime,
    tz: ZoneInfo,
    due_at: datetime | None = None,
    task: Task | None = None,
    **context: Any,
) -> int:
    """Enqueue ``kind`` for each person once (``dedupe`` names the cause); returns how many."""
    body = {"case_code": case.code, "is_emergency": case.is_emergency, **context}
    if task is not None:
        body |= {"task_id": task.id, "action": action_of(task)}
    if due_at is not None:
        body["due_at"] = due_at.astimezone(tz).isoformat()
    messages = [
        NewMessage(
            kind=kind,
            recipient=f"user:{person.id}",
            subject_ref=f"case:{case.code}",
            dedupe_key=f"{dedupe}:user:{person.id}",
            context=body,
        )
        for person in people
    ]
    return enqueue_many(session, messages, now=now)
