"""The daily digest: each working morning, every agency with open tasks gets the list of them
(case code, action, deadline; overdue first) by its focal points' and head's channels.

Queued with a dedupe key per agency and day, so any number of processes may run the
morning job: each agency's people get one digest a day. A commune's own days off and
Vietnam's holidays have no digest (``workflows.calendar``).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlmodel import Session

from casework import notices
from casework.accounts.models import Role, User
from casework.agencies.models import Agency
from casework.cases.models import CaseStatus, ProtectionCase, Task, TaskStatus
from casework.communes import service as commune_service
from casework.communes.models import Commune
from notifications.outbox import enqueue_many

KIND = "digest.daily"
MAX_ITEMS = 30
READERS = (Role.agency_officer, Role.agency_head, Role.caseworker)
OPEN = (TaskStatus.open, TaskStatus.accepted)


def _working_communes(session: Session, *, day: date, tz: ZoneInfo) -> list[int]:
    ids = session.execute(sa.select(Commune.id)).scalars().all()
    return [
        c
        for c in ids
        if commune_service.working_calendar(session, commune_id=c, tz=tz).is_working_day(day)
    ]


def enqueue(session: Session, *, now: datetime, tz: ZoneInfo) -> int:
    """Queue today's digest for every agency with open tasks in a commune working today."""
    day = now.astimezone(tz).date()
    communes = _working_communes(session, day=day, tz=tz)
    if not communes:
        return 0
    rows = session.execute(
        sa.select(Task, ProtectionCase.code, ProtectionCase.is_emergency)
        .join(ProtectionCase, ProtectionCase.id == Task.case_id)
        .join(Agency, Agency.id == Task.agency_id)
        .where(
            Task.status.in_(OPEN),
            ProtectionCase.status != CaseStatus.closed,
            ProtectionCase.commune_id.in_(communes),
            Agency.is_active,
        )
        .order_by(Task.due_at, Task.id)
    ).all()
    tasks: dict[int, list[dict[str, object]]] = defaultdict(list)
    for task, code, is_emergency in rows:
        tasks[task.agency_id].append(
            {
                "case_code": code,
                "is_emergency": is_emergency,
                "action": notices.action_of(task),
                "due_at": task.due_at.astimezone(tz).isoformat(),
                "overdue": task.due_at < now,
            }
        )
    if not tasks:
        return 0
    readers: dict[int, list[User]] = defaultdict(list)
    for person in session.execute(
        sa.select(User)
        .where(User.agency_id.in_(list(tasks)), User.role.in_(READERS), User.is_active)
        .order_by(User.id)
    ).scalars():
        readers[person.agency_id].append(person)  # type: ignore[index]
    messages = []
    for agency_id, items in tasks.items():
        items.sort(key=lambda item: (not item["overdue"], item["due_at"]))
        context = {
            "day": day.isoformat(),
            "open_count": len(items),
            "overdue_count": sum(1 for item in items if item["overdue"]),
            "items": items[:MAX_ITEMS],
            "more": max(len(items) - MAX_ITEMS, 0),
        }
        messages += notices.messages_for(
            readers[agency_id],
            kind=KIND,
            subject_ref=f"agency:{agency_id}",
            dedupe=f"digest:{agency_id}:{day.isoformat()}",
            context=context,
            urgent=False,
        )
    return enqueue_many(session, messages, now=now)
