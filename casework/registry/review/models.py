"""A village's review for a month, its items, and the quarter's close."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from casework.base import choice_field, register_labels, sensitive, sensitive_info
from casework.children.models import CircumstanceGroup, Sex


class Answer(StrEnum):
    """What the reviewer says of a listed child, or ``new`` for a child she proposes."""

    still = "still"
    changed = "changed"
    moved = "moved"
    not_found = "not_found"
    new = "new"


class Decision(StrEnum):
    """The caseworker's word on an answer that would change the register."""

    applied = "applied"
    rejected = "rejected"


register_labels(
    {
        Answer.still: ("Vẫn thuộc nhóm", "Still in the group"),
        Answer.changed: ("Có thay đổi", "Changed"),
        Answer.moved: ("Đã chuyển đi", "Moved away"),
        Answer.not_found: ("Không tìm thấy", "Not found"),
        Answer.new: ("Trẻ mới đề xuất", "Proposed new child"),
        Decision.applied: ("Đã cập nhật", "Applied"),
        Decision.rejected: ("Không cập nhật", "Rejected"),
    }
)


class VillageReview(SQLModel, table=True):
    """One village's review for one month (``month``: its first day): one per village and
    month, whoever opens it and however often."""

    __tablename__ = "village_review"
    __table_args__ = (sa.UniqueConstraint("village_id", "month"),)

    id: int | None = Field(default=None, primary_key=True)
    commune_id: int = Field(foreign_key="commune.id", index=True)
    village_id: int = Field(foreign_key="village.id", index=True)
    month: date = Field(description="The first day of the month reviewed")
    instance_id: int | None = Field(
        default=None,
        foreign_key="workflow_instance.id",
        unique=True,
        description="Its run of registry_review: state, clock, ladder, escalations",
    )
    opened_at: datetime
    submitted_at: datetime | None = None
    submitted_by_id: int | None = Field(default=None, foreign_key="app_user.id")
    closed_at: datetime | None = None
    closed_by_id: int | None = Field(default=None, foreign_key="app_user.id")


class ReviewItem(SQLModel, table=True):
    """A listed child (``child_id``) and the reviewer's answer, or a child she proposes
    (``answer`` new, the ``proposed_*`` fields); then the caseworker's decision."""

    __tablename__ = "review_item"

    id: int | None = Field(default=None, primary_key=True)
    review_id: int = Field(foreign_key="village_review.id", index=True)
    child_id: int | None = Field(default=None, foreign_key="child.id", index=True)
    answer: Answer | None = choice_field(Answer, default=None, nullable=True)
    change_note: str | None = sensitive(default=None, max_length=500)
    proposed_name: str | None = sensitive(default=None, max_length=120)
    proposed_birth_year: int | None = sensitive(default=None)
    proposed_sex: Sex | None = choice_field(
        Sex, default=None, nullable=True, sa_column_kwargs=sensitive_info()
    )
    proposed_group: CircumstanceGroup | None = choice_field(
        CircumstanceGroup, default=None, nullable=True, sa_column_kwargs=sensitive_info()
    )
    proposed_note: str | None = sensitive(default=None, max_length=500)
    decision: Decision | None = choice_field(Decision, default=None, nullable=True)
    decision_note: str | None = sensitive(default=None, max_length=500)
    decided_by_id: int | None = Field(default=None, foreign_key="app_user.id")
    decided_at: datetime | None = None
    proposal_id: int | None = Field(default=None, foreign_key="registry_proposal.id")


class ReviewQuarter(SQLModel, table=True):
    """A commune's quarter closed by its caseworker: the counts as they stood, and a note."""

    __tablename__ = "review_quarter"
    __table_args__ = (sa.UniqueConstraint("commune_id", "year", "quarter"),)

    id: int | None = Field(default=None, primary_key=True)
    commune_id: int = Field(foreign_key="commune.id", index=True)
    year: int
    quarter: int = Field(ge=1, le=4)
    counts: dict[str, dict[str, int]] = Field(
        sa_type=sa.JSON, description="Per village name: reviewed, changed, new, moved, not_found"
    )
    note: str | None = Field(default=None, max_length=2000)
    closed_by_id: int = Field(foreign_key="app_user.id")
    closed_at: datetime
