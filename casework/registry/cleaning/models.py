"""The data-cleaning loop of Đề án 06 for one child's record (DOMAIN.md §6).

Four steps: the village visits the household and notes what the family's papers say
(``visit``), the commune police verify against the population database and supply the
ids (``verify``), the caseworker applies the verified values to the child's record
(``update``), then the loop is ``closed``. One open loop per child. What each step found
is kept on the loop, so the record's change can always be traced to who verified it.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import declared_attr
from sqlmodel import Field, SQLModel

from casework.base import choice_field, register_labels, sensitive, sensitive_info
from casework.children.models import Sex


class CleaningState(StrEnum):
    visit = "visit"
    verify = "verify"
    update = "update"
    closed = "closed"


register_labels(
    {
        CleaningState.visit: ("Chờ thôn xác minh tại hộ gia đình", "Household visit"),
        CleaningState.verify: ("Chờ công an xã xác thực", "Police verification"),
        CleaningState.update: ("Chờ cập nhật hồ sơ", "Record to update"),
        CleaningState.closed: ("Đã làm sạch", "Closed"),
    }
)


class CleaningLoop(SQLModel, table=True):
    """One child's record going through visit → verify → update → closed."""

    __tablename__ = "cleaning_loop"
    __table_args__ = (
        sa.Index(
            "uq_cleaning_loop_one_open_per_child",
            "child_id",
            unique=True,
            sqlite_where=sa.text("state != 'closed'"),
            postgresql_where=sa.text("state != 'closed'"),
        ),
        sa.Index("ix_cleaning_loop_commune_state", "commune_id", "state"),
    )

    id: int | None = Field(default=None, primary_key=True)
    commune_id: int = Field(foreign_key="commune.id")
    child_id: int = Field(foreign_key="child.id", index=True)
    instance_id: int | None = Field(
        default=None, foreign_key="workflow_instance.id", index=True, description="Its clocks"
    )
    workflow_name: str = Field(max_length=64)
    workflow_version: int
    state: CleaningState = choice_field(CleaningState, default=CleaningState.visit)
    problems: list[str] = Field(
        default_factory=list,
        sa_type=sa.JSON,
        description="Message keys of what was wrong when the loop started",
    )
    village_agency_id: int = Field(foreign_key="agency.id", index=True)
    police_agency_id: int = Field(foreign_key="agency.id", index=True)
    started_by_id: int = Field(foreign_key="app_user.id")
    started_at: datetime
    # Step 1: what the household's papers say (the village's collaborator or head).
    visited_by_id: int | None = Field(default=None, foreign_key="app_user.id")
    visited_at: datetime | None = None
    visit_personal_id: str | None = sensitive(default=None, max_length=12)
    visit_birth_certificate: str | None = sensitive(
        default=None, max_length=200, description="Số, quyển và nơi đăng ký khai sinh"
    )
    visit_date_of_birth: date | None = sensitive(default=None)
    visit_father: str | None = sensitive(default=None, max_length=120)
    visit_mother: str | None = sensitive(default=None, max_length=120)
    visit_note: str | None = sensitive(default=None, max_length=500)
    # Step 2: what the commune police verified against the population database.
    verified_by_id: int | None = Field(default=None, foreign_key="app_user.id")
    verified_at: datetime | None = None
    verified_personal_id: str | None = sensitive(default=None, max_length=12)
    verified_date_of_birth: date | None = sensitive(default=None)
    verified_sex: Sex | None = choice_field(
        Sex, default=None, nullable=True, sa_column_kwargs=sensitive_info()
    )
    verify_note: str | None = sensitive(default=None, max_length=500)
    # Step 3: the caseworker applied the verified values to the record.
    updated_by_id: int | None = Field(default=None, foreign_key="app_user.id")
    closed_at: datetime | None = None
    version: int = Field(default=1)

    @declared_attr  # type: ignore[misc]
    def __mapper_args__(cls) -> dict[str, object]:  # noqa: N805
        return {"version_id_col": cls.__table__.c.version}
