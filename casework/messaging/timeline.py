"""A case's messages as people see them: to whom, by which channel, and what became of it."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlmodel import Session, select

from casework.accounts.models import Role, User
from casework.agencies.models import Agency
from casework.base import label
from casework.messaging.schemas import MessageRead
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


def timeline(session: Session, *, case_code: str, tz: ZoneInfo) -> list[MessageRead]:
    """Every message about the case, oldest first: to whom (role and agency), by which
    channel, when queued and sent, and the provider's answer or the last error."""
    rows = list(
        session.exec(
            select(OutboxMessage)
            .where(OutboxMessage.subject_ref == f"case:{case_code}")
            .order_by(OutboxMessage.created_at, OutboxMessage.id)
        ).all()
    )
    people = _recipients(session, rows)

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
            )
        )
    return out
