"""The supervisor's escalation queue (shown as "Việc cần lãnh đạo xử lý")."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from casework.base import choice_field, register_labels, sensitive
from casework.crypto import EncryptedText


class EscalationReason(StrEnum):
    deadline_overdue = "deadline_overdue"
    task_not_accepted = "task_not_accepted"
    task_overdue = "task_overdue"
    task_declined = "task_declined"
    message_failed = "message_failed"


class EscalationStatus(StrEnum):
    open = "open"
    acknowledged = "acknowledged"
    resolved = "resolved"


register_labels(
    {
        EscalationReason.deadline_overdue: ("Quá hạn", "Deadline overdue"),
        EscalationReason.task_not_accepted: ("Cơ quan chưa nhận việc", "Task not accepted"),
        EscalationReason.task_overdue: ("Nhiệm vụ quá hạn", "Task overdue"),
        EscalationReason.task_declined: ("Cơ quan không thực hiện được", "Task declined"),
        EscalationReason.message_failed: (
            "Thông báo không gửi được",
            "A notification could not be delivered",
        ),
        EscalationStatus.open: ("Chưa ai nhận", "Open"),
        EscalationStatus.acknowledged: ("Đang xử lý", "Being handled"),
        EscalationStatus.resolved: ("Đã xử lý", "Resolved"),
    }
)


class Escalation(SQLModel, table=True):
    """Something late or refused that a supervisor must act on, about a workflow instance
    (``case_id`` also set when the instance is a case: its pages and actions read it)."""

    __table_args__ = (
        sa.Index(
            "uq_escalation_one_open_per_deadline",
            "deadline_id",
            unique=True,
            sqlite_where=sa.text("status != 'resolved' AND deadline_id IS NOT NULL"),
            postgresql_where=sa.text("status != 'resolved' AND deadline_id IS NOT NULL"),
        ),
        # Messages that could not be delivered: one open entry per case, however many died.
        sa.Index(
            "uq_escalation_one_open_message_failure",
            "case_id",
            unique=True,
            sqlite_where=sa.text("status != 'resolved' AND reason = 'message_failed'"),
            postgresql_where=sa.text("status != 'resolved' AND reason = 'message_failed'"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    instance_id: int = Field(foreign_key="workflow_instance.id", index=True)
    case_id: int | None = Field(
        default=None, foreign_key="protection_case.id", index=True, description="A case's"
    )
    deadline_id: int | None = Field(default=None, foreign_key="case_deadline.id")
    task_id: int | None = Field(default=None, foreign_key="task.id")
    message_id: int | None = Field(
        default=None, foreign_key="outbox_message.id", description="The first message that died"
    )
    reason: EscalationReason = choice_field(EscalationReason)
    status: EscalationStatus = choice_field(EscalationStatus, default=EscalationStatus.open)
    created_at: datetime
    acknowledged_by_id: int | None = Field(default=None, foreign_key="app_user.id")
    acknowledged_at: datetime | None = None
    resolved_at: datetime | None = None
    note: str | None = sensitive(default=None, sa_type=EncryptedText("escalation.note"))
