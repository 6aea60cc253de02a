"""A message as the case's timeline and the supervisor's queue show it."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from casework.accounts.models import Role
from notifications.models import Channel, OutboxState


class MessageRead(BaseModel):
    id: int
    kind: str = Field(description="e.g. task.new, deadline.overdue, case.emergency")
    channel: Channel
    state: OutboxState = Field(description="pending, sending, sent, failed (will retry), dead")
    to_user_id: int | None
    to_role: Role | None
    to_role_label: str | None = Field(description="Vai trò người nhận / the recipient's role")
    to_agency: str | None = Field(description="Cơ quan người nhận / the recipient's agency")
    queued_at: datetime
    sent_at: datetime | None
    attempts: int
    next_attempt_at: datetime | None = Field(description="Lần gửi tới / next try, if waiting")
    provider_status: str | None = Field(description="Trả lời của nhà cung cấp / provider answer")
    provider_message_id: str | None
    last_error: str | None
    event_id: int | None = Field(
        default=None,
        description="Mục lịch sử đã gây ra tin này / the history entry (events[].id) that "
        "caused it; none for a message queued on its own (a failed message's escalation)",
    )
