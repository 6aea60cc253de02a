"""Messages about a case to the people who must act, as outbox rows.

A message carries the case code, the action asked, the agency and the deadline in local
time: never the child's name, address, school or what happened (NĐ56 Đ33). Who receives
it is the directory's answer (``casework.agencies.directory``): ``assignee``,
``agency_head``, ``caseworker`` and ``supervisor``. Each person gets one row per channel
they chose (``notify_via``), built from the people already read: no query per message.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from sqlmodel import Session

from casework.accounts.models import NotifyVia
from casework.agencies.directory import CaseRef, Directory, Person, TaskRef
from casework.cases.models import PLAN_ACTIVITY
from notifications.models import Channel
from notifications.outbox import NewMessage, enqueue_many


def recipients(
    session: Session, *, case: CaseRef, task: TaskRef | None, roles: Iterable[str]
) -> list[Person]:
    """Who hears about ``case`` (and ``task``) in these roles, read from the commune."""
    directory = Directory.load(session, commune_ids=[case.commune_id])
    return directory.recipients(case=case, task=task, roles=roles)


PLAN_ACTIVITY_ACTION = "Thực hiện hoạt động trong kế hoạch hỗ trợ, can thiệp"


def action_of(task: TaskRef) -> str:
    """What a message says the agency must do: a routed task's title comes from the workflow
    definition; a plan activity's title is free text that may name the child, so it is
    replaced by a fixed phrase (the full title is behind the login link)."""
    return PLAN_ACTIVITY_ACTION if task.kind == PLAN_ACTIVITY else task.title


class Reachable(Protocol):
    """A person as messages need them (a directory ``Person`` or a ``User`` row)."""

    @property
    def id(self) -> int | None: ...
    @property
    def email(self) -> str | None: ...
    @property
    def phone(self) -> str | None: ...
    @property
    def notify_via(self) -> str: ...
    @property
    def language(self) -> str: ...


CHOSEN = {
    NotifyVia.email: (Channel.email,),
    NotifyVia.sms: (Channel.sms,),
    NotifyVia.both: (Channel.email, Channel.sms),
}


def address_of(person: Reachable, channel: Channel | str) -> str | None:
    """Where ``channel`` reaches the person: their e-mail or their phone."""
    return person.email if channel == Channel.email else person.phone


def deliveries(person: Reachable) -> list[tuple[Channel, str | None]]:
    """The channels a person chose, each with its address. A chosen channel without an
    address falls back to the other one; with no address at all the message is still
    queued (the relay marks it dead and the supervisor's queue shows it)."""
    address = {channel: address_of(person, channel) for channel in Channel}
    chosen = CHOSEN.get(NotifyVia(person.notify_via or NotifyVia.both), CHOSEN[NotifyVia.both])
    usable = [channel for channel in chosen if address[channel]]
    if not usable:
        usable = [c for c in Channel if address[c]][:1] or [chosen[0]]
    return [(channel, address[channel]) for channel in usable]


def messages_for(
    people: Iterable[Reachable],
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


_PER_DELIVERY = re.compile(r":user:\d+:(?:email|sms)$")


def cause_of(dedupe_key: str) -> str:
    """The cause a message's dedupe key names (``deadline:7:remind``, ``task:3:new``):
    the key without the ``:user:<id>:<channel>`` that ``messages_for`` adds."""
    return _PER_DELIVERY.sub("", dedupe_key)


def messages(
    *,
    kind: str,
    people: Iterable[Reachable],
    case: CaseRef,
    dedupe: str,
    tz: ZoneInfo,
    due_at: datetime | None = None,
    task: TaskRef | None = None,
    urgent: bool | None = None,
    **context: Any,
) -> list[NewMessage]:
    """``kind`` for each person, ``dedupe`` naming the cause (so a retry adds nothing).
    Messages about an emergency case are urgent (never held back by quiet hours)."""
    body = {"case_code": case.code, "is_emergency": case.is_emergency, **context}
    if task is not None:
        body |= {"task_id": task.id, "action": action_of(task)}
    if due_at is not None:
        body["due_at"] = due_at.astimezone(tz).isoformat()
    return messages_for(
        people,
        kind=kind,
        subject_ref=f"case:{case.code}",
        dedupe=dedupe,
        context=body,
        urgent=case.is_emergency if urgent is None else urgent,
    )


def send(
    session: Session,
    *,
    kind: str,
    people: Iterable[Reachable],
    case: CaseRef,
    dedupe: str,
    now: datetime,
    tz: ZoneInfo,
    due_at: datetime | None = None,
    task: TaskRef | None = None,
    urgent: bool | None = None,
    **context: Any,
) -> int:
    """Enqueue ``kind`` for each person once; returns how many were added."""
    found = messages(
        kind=kind,
        people=people,
        case=case,
        dedupe=dedupe,
        tz=tz,
        due_at=due_at,
        task=task,
        urgent=urgent,
        **context,
    )
    return enqueue_many(session, found, now=now)
