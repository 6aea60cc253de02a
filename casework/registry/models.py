"""Support received by a child, and the proposals cases make to the register."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from casework.base import choice_field, register_labels, sensitive, sensitive_info
from casework.children.models import CircumstanceGroup


class SupportKind(StrEnum):
    """The kinds of support the seed plans count ("được chăm sóc, nuôi dưỡng và trợ giúp")."""

    social_allowance = "social_allowance"
    health_insurance = "health_insurance"
    tuition_exemption = "tuition_exemption"
    alternative_care = "alternative_care"
    psychological = "psychological"
    scholarship_gift = "scholarship_gift"
    other = "other"


class ProposalStatus(StrEnum):
    open = "open"
    confirmed = "confirmed"
    dismissed = "dismissed"


register_labels(
    {
        SupportKind.social_allowance: ("Trợ cấp xã hội", "Social allowance"),
        SupportKind.health_insurance: ("Bảo hiểm y tế", "Health insurance"),
        SupportKind.tuition_exemption: ("Miễn, giảm học phí", "Tuition exemption"),
        SupportKind.alternative_care: ("Chăm sóc thay thế", "Alternative care"),
        SupportKind.psychological: ("Hỗ trợ tâm lý", "Psychological support"),
        SupportKind.scholarship_gift: ("Học bổng, quà tặng", "Scholarship or gift"),
        SupportKind.other: ("Hỗ trợ khác", "Other support"),
        ProposalStatus.open: ("Chờ xác nhận", "Waiting for a decision"),
        ProposalStatus.confirmed: ("Đã xác nhận", "Confirmed"),
        ProposalStatus.dismissed: ("Không đưa vào danh sách", "Dismissed"),
    }
)


class ChildSupport(SQLModel, table=True):
    """One kind of support a child received over a period (``until`` empty: ongoing)."""

    __tablename__ = "child_support"
    __table_args__ = (sa.Index("ix_child_support_period", "child_id", "since"),)

    id: int | None = Field(default=None, primary_key=True)
    child_id: int = Field(foreign_key="child.id", index=True)
    kind: SupportKind = choice_field(SupportKind, sa_column_kwargs=sensitive_info())
    since: date
    until: date | None = None
    provider: str | None = Field(default=None, max_length=200, description="Who gave it")
    amount_vnd: int | None = Field(default=None, description="Cash value, when there is one")
    note: str | None = sensitive(default=None, max_length=500)
    recorded_by_id: int = Field(foreign_key="app_user.id")
    recorded_at: datetime


class RegistryProposal(SQLModel, table=True):
    """A case substantiated a harm that matches a group: a person must decide.

    Never a membership by itself: adding a child to a group is a legal classification, so
    the proposal waits on the child's page and in the caseworker's list until confirmed
    (a membership row is created, ``membership_id``) or dismissed with a reason.
    """

    __tablename__ = "registry_proposal"
    __table_args__ = (
        sa.Index(
            "uq_registry_proposal_one_open",
            "child_id",
            "group",
            unique=True,
            sqlite_where=sa.text("status = 'open'"),
            postgresql_where=sa.text("status = 'open'"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    commune_id: int = Field(foreign_key="commune.id", index=True)
    child_id: int = Field(foreign_key="child.id", index=True)
    case_id: int | None = Field(default=None, foreign_key="protection_case.id")
    group: CircumstanceGroup = choice_field(CircumstanceGroup, sa_column_kwargs=sensitive_info())
    source: str = Field(max_length=32, description="assessment, closure or review")
    status: ProposalStatus = choice_field(ProposalStatus, default=ProposalStatus.open)
    created_at: datetime
    decided_by_id: int | None = Field(default=None, foreign_key="app_user.id")
    decided_at: datetime | None = None
    reason: str | None = sensitive(default=None, max_length=500)
    membership_id: int | None = Field(default=None, foreign_key="child_circumstance.id")


class ChildMerge(SQLModel, table=True):
    """Two records of one child made one, and exactly what moved, so it can be undone.

    The merged-away record stays (``Child.merged_into_id``) so old links and exports still
    resolve. ``moved`` names every row that was re-pointed (``{"table.column": [ids]}``),
    ``kept_before`` the kept record's values the merge replaced (``kept_after``: what it
    put there) and ``merged_before`` what it cleared on the other record (its personal
    id): the supervisor's undo puts back exactly these. A value corrected on the kept
    record after the merge is not undone with it.
    """

    __tablename__ = "child_merge"

    id: int | None = Field(default=None, primary_key=True)
    commune_id: int = Field(foreign_key="commune.id", index=True)
    kept_id: int = Field(foreign_key="child.id", index=True)
    merged_id: int = Field(foreign_key="child.id", index=True)
    merged_by_id: int = Field(foreign_key="app_user.id")
    merged_at: datetime
    kept_before: dict[str, object] = Field(
        default_factory=dict, sa_type=sa.JSON, sa_column_kwargs=sensitive_info()
    )
    kept_after: dict[str, object] = Field(
        default_factory=dict, sa_type=sa.JSON, sa_column_kwargs=sensitive_info()
    )
    merged_before: dict[str, object] = Field(
        default_factory=dict, sa_type=sa.JSON, sa_column_kwargs=sensitive_info()
    )
    moved: dict[str, list[int]] = Field(default_factory=dict, sa_type=sa.JSON)
    undone_at: datetime | None = None
    undone_by_id: int | None = Field(default=None, foreign_key="app_user.id")
