"""A workflow instance: one run of one definition about one subject.

The engine's steps (deadlines, their timers, escalations) point here, not at a case, so
every process of the commune (a child-protection case, a village's monthly review of the
register, an agency's report for a period) shares one timer table, one claim loop, one
ladder runner and one escalation queue.

What it is about: ``subject_kind`` and ``subject_id`` (a case: ``case``, its id; a
village's review: ``village``, 12) and ``subject_key`` for the period or anything else that
tells two runs about the same subject apart (``2026-12``, ``2026-H1``; empty for a case).

``state`` and ``version`` are the instance's own state and its optimistic version, changed
by compare-and-set (``casework.processes.service.fire``). A case is the exception: its row
(``protection_case.status`` and ``.version``) stays the one place its state lives, because
every case page, list and queue reads it there and each transition already writes that
row; copying the state here too would add a second write to every transition. So a case's
instance has ``state`` None (its ``closed_at`` is set when the case reaches a final state:
one write in a case's life).
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

CASE = "case"


class WorkflowInstance(SQLModel, table=True):
    """One run of a definition (name, version) about a subject, in a commune."""

    __tablename__ = "workflow_instance"
    __table_args__ = (
        sa.Index(
            "uq_workflow_instance_subject",
            "definition",
            "subject_kind",
            "subject_id",
            "subject_key",
            unique=True,
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    definition: str = Field(max_length=64, description="The definition's name")
    definition_version: int
    state: str | None = Field(
        default=None, max_length=64, description="None: the subject's own row holds it (a case)"
    )
    version: int = Field(default=1, description="Bumped by every event (compare-and-set)")
    commune_id: int = Field(foreign_key="commune.id", index=True)
    subject_kind: str = Field(max_length=32, description="case, village, agency …")
    subject_id: int | None = Field(default=None, description="The subject's row id")
    subject_key: str = Field(default="", max_length=64, description="e.g. 2026-12, 2026-H1")
    created_at: datetime
    closed_at: datetime | None = None
