"""A deadline as the case API shows it (Jira-style SLA fields: due, status, ladder step)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, Field

from casework.base import register_labels
from casework.deadlines.models import DeadlineStatus


class ClockStatus(StrEnum):
    """A clock as people read it: a running one past its due time is ``overdue`` (stored,
    it is still running: its ladder goes on until it is met or cancelled)."""

    running = "running"
    overdue = "overdue"
    met = "met"
    missed = "missed"
    cancelled = "cancelled"

    @property
    def open(self) -> bool:
        return self in (ClockStatus.running, ClockStatus.overdue)

    @classmethod
    def of(cls, status: DeadlineStatus | str, *, due_at: datetime, now: datetime) -> ClockStatus:
        if status == DeadlineStatus.running and due_at <= now:
            return cls.overdue
        return cls(status)


register_labels(
    {
        ClockStatus.running: ("Đang tính", "Running"),
        ClockStatus.overdue: ("Quá hạn", "Overdue"),
        ClockStatus.met: ("Đúng hạn", "Met"),
        ClockStatus.missed: ("Trễ hạn", "Missed"),
        ClockStatus.cancelled: ("Không còn áp dụng", "Cancelled"),
    }
)


class DeadlineRead(BaseModel):
    id: int
    kind: str = Field(description="e.g. emergency_measures, plan_draft, task_due")
    label: str
    task_id: int | None = Field(description="Set for a task's own clock")
    clock: str = Field(description="hours (giờ), days (ngày) or working_days (ngày làm việc)")
    starts_at: datetime
    due_at: datetime
    status: ClockStatus = Field(
        description="running (not yet due), overdue (due and not yet met: its reminders and "
        "escalation go on), met, missed (met after it was due) or cancelled"
    )
    status_label: str
    ladder_step: str | None = Field(description="Last escalation step reached")
    closed_at: datetime | None
    extended_reason: str | None
