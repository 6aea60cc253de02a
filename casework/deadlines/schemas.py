"""A deadline as the case API shows it (Jira-style SLA fields: due, status, ladder step)."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from casework.deadlines.models import DeadlineStatus


class DeadlineRead(BaseModel):
    id: int
    kind: str = Field(description="e.g. emergency_measures, plan_draft, task_due")
    label: str
    task_id: int | None = Field(description="Set for a task's own clock")
    clock: str = Field(description="hours (giờ), days (ngày) or working_days (ngày làm việc)")
    starts_at: datetime
    due_at: datetime
    status: DeadlineStatus
    status_label: str
    ladder_step: str | None = Field(description="Last escalation step reached")
    closed_at: datetime | None
    extended_reason: str | None
