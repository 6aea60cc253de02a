"""Messages about a case to the people who must act, as outbox rows.

A message carries the case code, the action asked, the agency and the deadline in local
time: never the child's name, address, school or what happened (NĐ56 Đ33). Who receives
it: ``assignee`` (the task's agency officers, or the case's caseworker for a case clock),
``agency_head``, ``caseworker`` and ``supervisor``. Each person gets one row per channel
they chose (``User.notify_via``), built from the ``User`` rows in hand: no query per message.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel import Session

from casework.accounts.models import NotifyVia, Role, User
from casework.agencies import service as agency_service
from casework.cases.models import PLAN_ACTIVITY, ProtectionCase, Task
from notifications.models import Channel
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


CHOSEN = {
    NotifyVia.email: (Channel.email,),
    NotifyVia.sms: (Channel.sms,),
    NotifyVia.both: (Channel.email, Channel.sms),
}


def deliveries(person: User) -> list[tuple[Channel, str | None]]:
    """The channels a person chose, each with its address. A chosen channel without an
    address falls back to the other one; with no address at all the message is still
    queued (the relay marks it dead and the supervisor's queue shows it)."""
    address = {Channel.email: person.email, Channel.sms: person.phone}
    chosen = CHOSEN.get(NotifyVia(person.notify_via or NotifyVia.both), CHOSEN[NotifyVia.both])
    usable = [channel for channel in chosen if address[channel]]
    if not usable:
        usable = [c for c in Channel if address[c]][:1] or [chosen[0]]
    return [(channel, address[channel]) for channel in usable]


def messages_for(
    people: Iterable[User],
    *,
    kind: str,
    subject_ref: str,
    dedupe: str,
    context: dict[str, Any],
    urgent: bool,
) -> list[NewMessage]:
    """One outbox row per person and chosen channel; ``dedupe`` names the cause."""
    return [
        NewMessage(
            kind=kind,
            recipient=f"user:{person.id}",
            subject_ref=subject_ref,
            dedupe_key=f"{dedupe}:user:{person.id}:{channel}",
            context=context,
            channel=channel,
            address=address,
            language=person.language or "vi",
            urgent=urgent,
        )
        for person in people
        for channel, address in deliveries(person)
    ]


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
    urgent: bool | None = None,
    **context: Any,
) -> int:
    """Enqueue ``kind`` for each person once (``dedupe`` names the cause); returns how many.
    Messages about an emergency case are urgent (never held back by quiet hours)."""
    body = {"case_code": case.code, "is_emergency": case.is_emergency, **context}
    if task is not None:
        body |= {"task_id": task.id, "action": action_of(task)}
    if due_at is not None:
        body["due_at"] = due_at.astimezone(tz).isoformat()
    messages = messages_for(
        people,
        kind=kind,
        subject_ref=f"case:{case.code}",
        dedupe=dedupe,
        context=body,
        urgent=case.is_emergency if urgent is None else urgent,
    )
    return enqueue_many(session, messages, now=now)
