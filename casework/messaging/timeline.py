"""A case's messages as people see them: to whom, by which channel, what became of it,
and which entry of the case's history caused it.

Every writer passes one ``now`` to the history entries and the messages of its
transaction, so a message's cause is an entry written at the very moment the message was
queued. When several were (a timer batch reaching a few clocks of one case at once), the
message's dedupe key names the deadline step, task or escalation it is about, and the
entry whose payload names the same wins; otherwise the first entry of that moment, the
step itself, which is written before what it causes. A message queued with no entry (the
relay giving up on another message) stands alone.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlmodel import Session, select

from casework.accounts.models import Role, User
from casework.agencies.models import Agency
from casework.base import label
from casework.cases.models import CaseEvent
from casework.escalations.models import Escalation
from casework.messaging.schemas import MessageRead
from casework.notices import cause_of
from casework.timefmt import to_local
from notifications.models import Channel, OutboxMessage, OutboxState, recipient_user_id


def _recipients(
    session: Session, rows: list[OutboxMessage]
) -> dict[str, tuple[User, Agency | None]]:
    ids = {recipient_user_id(row.recipient) for row in rows} - {None}
    if not ids:
        return {}
    found = session.execute(
        sa.select(User, Agency)
        .outerjoin(Agency, Agency.id == User.agency_id)
        .where(User.id.in_(ids))
    ).all()
    return {f"user:{user.id}": (user, agency) for user, agency in found}


# What the payload of the entry that caused a message names, best first; ``True``: of the
# entries naming it at that moment, the last (the ladder step that escalated is the last
# one a batch reached for its deadline).
_Wanted = list[tuple[dict[str, Any], bool]]
_ESCALATION = re.compile(r"escalation:(\d+)")


def _wanted(session: Session, causes: set[str]) -> dict[str, _Wanted]:
    ids = {int(m[1]) for c in causes if (m := _ESCALATION.fullmatch(c))}
    escalations = (
        {e.id: e for e in session.exec(select(Escalation).where(Escalation.id.in_(ids))).all()}
        if ids
        else {}
    )
    wanted: dict[str, _Wanted] = {}
    for cause in causes:
        kind, _, rest = cause.partition(":")
        ref, _, step = rest.partition(":")
        if not ref.isdigit():
            continue
        if kind == "deadline":
            wanted[cause] = [({"deadline_id": int(ref), "step": step}, False)]
        elif kind == "task" and step != "new":  # a new task: the step that routed it
            wanted[cause] = [({"task_id": int(ref)}, False)]
        elif kind == "escalation" and int(ref) in escalations:
            raised = escalations[int(ref)]
            wanted[cause] = [({"escalation_id": raised.id}, False)]
            if raised.deadline_id is not None:
                wanted[cause].append(({"deadline_id": raised.deadline_id}, True))
            if raised.task_id is not None:
                wanted[cause].append(({"task_id": raised.task_id}, False))
    return wanted


def _cause(moment: Sequence[CaseEvent], wanted: _Wanted) -> CaseEvent | None:
    for names, latest in wanted:
        naming = [
            entry
            for entry in moment
            if all(entry.payload.get(key) == value for key, value in names.items())
        ]
        if naming:
            return naming[-1] if latest else naming[0]
    return moment[0] if moment else None


def causes(
    session: Session, rows: Sequence[OutboxMessage], events: Sequence[CaseEvent]
) -> dict[int, int]:
    """Each message's id with the id of the history entry that caused it (see above)."""
    at: dict[datetime, list[CaseEvent]] = {}
    for entry in sorted(events, key=lambda e: e.id or 0):
        at.setdefault(entry.at, []).append(entry)
    keys = {row.id: cause_of(row.dedupe_key) for row in rows}
    wanted = _wanted(session, set(keys.values()))
    found = {}
    for row in rows:
        entry = _cause(at.get(row.created_at, []), wanted.get(keys[row.id], []))
        if entry is not None:
            found[row.id] = entry.id
    return found


def timeline(
    session: Session, *, case_code: str, tz: ZoneInfo, events: Sequence[CaseEvent] = ()
) -> list[MessageRead]:
    """Every message about the case, oldest first: to whom (role and agency), by which
    channel, when queued and sent, the provider's answer or the last error, and which of
    ``events`` (the case's history) caused it."""
    rows = list(
        session.exec(
            select(OutboxMessage)
            .where(OutboxMessage.subject_ref == f"case:{case_code}")
            .order_by(OutboxMessage.created_at, OutboxMessage.id)
        ).all()
    )
    people = _recipients(session, rows)
    caused_by = causes(session, rows, events)

    def local(moment: datetime | None) -> datetime | None:
        return to_local(moment, tz) if moment else None

    out = []
    for row in rows:
        user, agency = people.get(row.recipient, (None, None))
        waiting = row.state in (OutboxState.pending, OutboxState.failed)
        out.append(
            MessageRead(
                id=row.id,
                kind=row.kind,
                channel=Channel(row.channel),
                state=OutboxState(row.state),
                to_user_id=user.id if user else None,
                to_role=Role(user.role) if user else None,
                to_role_label=label(Role(user.role)) if user else None,
                to_agency=agency.name if agency else None,
                queued_at=to_local(row.created_at, tz),
                sent_at=local(row.sent_at),
                attempts=row.attempts,
                next_attempt_at=local(row.next_attempt_at) if waiting else None,
                provider_status=row.provider_status,
                provider_message_id=row.provider_message_id,
                last_error=row.last_error,
                event_id=caused_by.get(row.id),
            )
        )
    return out
