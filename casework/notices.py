"""Messages about a case to the people who must act, as outbox rows.

A message carries the case code, the action asked, the agency and the deadline in local
time: never the child's name, address, school or what happened (NĐ56 Đ33). Who receives
it is the directory's answer (``casework.agencies.directory``): ``assignee``,
``agency_head``, ``caseworker`` and ``supervisor``.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel import Session

from casework.agencies.directory import CaseRef, Directory, Person, TaskRef
from casework.cases.models import PLAN_ACTIVITY
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


def messages(
    *,
    kind: str,
    people: Iterable[Person],
    case: CaseRef,
    dedupe: str,
    tz: ZoneInfo,
    due_at: datetime | None = None,
    task: TaskRef | None = None,
    **context: Any,
) -> list[NewMessage]:
    """``kind`` for each person, ``dedupe`` naming the cause (so a retry adds nothing)."""
    body = {"case_code": case.code, "is_emergency": case.is_emergency, **context}
    if task is not None:
        body |= {"task_id": task.id, "action": action_of(task)}
    if due_at is not None:
        body["due_at"] = due_at.astimezone(tz).isoformat()
    return [
        NewMessage(
            kind=kind,
            recipient=f"user:{person.id}",
            subject_ref=f"case:{case.code}",
            dedupe_key=f"{dedupe}:user:{person.id}",
            context=body,
        )
        for person in people
    ]


def send(
    session: Session,
    *,
    kind: str,
    people: Iterable[Person],
    case: CaseRef,
    dedupe: str,
    now: datetime,
    tz: ZoneInfo,
    due_at: datetime | None = None,
    task: TaskRef | None = None,
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
        **context,
    )
    return enqueue_many(session, found, now=now)
