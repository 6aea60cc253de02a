"""Deadlines (the legal clocks and task clocks) and the timers of their escalation ladders.

A deadline is the SLA record the API and the queue show; each ladder step is a timer row
that any process may claim when it falls due. Timers are rows, not threads: they survive
restarts and are shared by every process through the database.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from casework.base import choice_field, register_labels


class DeadlineStatus(StrEnum):
    running = "running"
    met = "met"
    missed = "missed"  # met, but after it was due
    cancelled = "cancelled"


class TimerStatus(StrEnum):
    pending = "pending"
    fired = "fired"
    cancelled = "cancelled"
    failed = "failed"  # its handler kept failing; left for a person to look at


register_labels(
    {
        DeadlineStatus.running: ("Đang tính", "Running"),
        DeadlineStatus.met: ("Đúng hạn", "Met"),
        DeadlineStatus.missed: ("Trễ hạn", "Missed"),
        DeadlineStatus.cancelled: ("Không còn áp dụng", "Cancelled"),
    }
)


class Deadline(SQLModel, table=True):
    """One clock on a workflow instance (``task_id`` empty) or on one of a case's tasks.

    Every clock belongs to an instance (``instance_id``); ``case_id`` is filled for a
    case's clocks too, because the case's pages, lists and dashboards read them by case.
    The table keeps its old name (``case_deadline``): renaming it would rewrite the table
    on SQLite for no gain."""

    __tablename__ = "case_deadline"
    __table_args__ = (
        sa.Index(
            "uq_case_deadline_one_running_per_instance",
            "instance_id",
            "kind",
            unique=True,
            sqlite_where=sa.text("status = 'running' AND task_id IS NULL"),
            postgresql_where=sa.text("status = 'running' AND task_id IS NULL"),
        ),
        sa.Index(
            "uq_case_deadline_one_running_per_task",
            "task_id",
            "kind",
            unique=True,
            sqlite_where=sa.text("status = 'running' AND task_id IS NOT NULL"),
            postgresql_where=sa.text("status = 'running' AND task_id IS NOT NULL"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    instance_id: int = Field(foreign_key="workflow_instance.id", index=True)
    case_id: int | None = Field(default=None, foreign_key="protection_case.id", index=True)
    task_id: int | None = Field(default=None, foreign_key="task.id", index=True)
    kind: str = Field(max_length=64, description="e.g. emergency_measures, plan_draft, task_due")
    clock: str = Field(max_length=16, description="hours, days or working_days")
    ladder: str | None = Field(default=None, max_length=32)
    starts_at: datetime
    due_at: datetime
    status: DeadlineStatus = choice_field(DeadlineStatus, default=DeadlineStatus.running)
    ladder_step: str | None = Field(default=None, max_length=32, description="Last step reached")
    closed_at: datetime | None = None
    extended_reason: str | None = Field(default=None, sa_type=sa.Text)


# The old name, still imported by the case's pages and queries.
CaseDeadline = Deadline


class DeadlineTimer(SQLModel, table=True):
    """One ladder step of a deadline, due at ``fires_at``; claimed with a lease."""

    __tablename__ = "deadline_timer"
    __table_args__ = (
        sa.Index(
            "uq_deadline_timer_one_pending",
            "deadline_id",
            "step",
            unique=True,
            sqlite_where=sa.text("status = 'pending'"),
            postgresql_where=sa.text("status = 'pending'"),
        ),
        sa.Index(
            "ix_deadline_timer_due",
            "fires_at",
            sqlite_where=sa.text("status = 'pending'"),
            postgresql_where=sa.text("status = 'pending'"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    deadline_id: int = Field(foreign_key="case_deadline.id", index=True)
    step: str = Field(max_length=32)
    fires_at: datetime
    status: TimerStatus = choice_field(TimerStatus, default=TimerStatus.pending)
    claimed_by: str | None = Field(default=None, max_length=64)
    lease_until: datetime | None = None
    attempts: int = 0
    fired_at: datetime | None = None
