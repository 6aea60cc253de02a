"""A protection case (hồ sơ), its append-only history and the tasks routed to agencies."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import declared_attr
from sqlmodel import Field, SQLModel

from casework.base import choice_field, register_labels, sensitive
from casework.crypto import EncryptedFieldsJSON, EncryptedText
from casework.processes.models import CASE, WorkflowInstance


class CaseStatus(StrEnum):
    """The workflow's canonical states (the engine issue drives the transitions)."""

    received = "received"
    assessing = "assessing"
    emergency = "emergency"
    planning = "planning"
    awaiting_approval = "awaiting_approval"
    intervention = "intervention"
    monitoring = "monitoring"
    review = "review"
    closed = "closed"


class RiskLevel(StrEnum):
    high = "high"
    medium = "medium"
    low = "low"


class ProtectionLevel(StrEnum):
    support = "support"
    intervention = "intervention"


class TaskStatus(StrEnum):
    planned = "planned"  # part of a plan awaiting approval; agencies see it once approved
    open = "open"
    accepted = "accepted"
    declined = "declined"
    done = "done"
    cancelled = "cancelled"


register_labels(
    {
        CaseStatus.received: ("Tiếp nhận", "Received"),
        CaseStatus.assessing: ("Đánh giá nguy cơ ban đầu", "Initial assessment"),
        CaseStatus.emergency: ("Can thiệp khẩn cấp", "Emergency protection"),
        CaseStatus.planning: ("Xây dựng kế hoạch hỗ trợ, can thiệp", "Drafting the plan"),
        CaseStatus.awaiting_approval: ("Chờ phê duyệt kế hoạch", "Plan awaiting approval"),
        CaseStatus.intervention: ("Thực hiện kế hoạch", "Carrying out the plan"),
        CaseStatus.monitoring: ("Theo dõi", "Monitoring"),
        CaseStatus.review: ("Rà soát", "Review"),
        CaseStatus.closed: ("Đóng hồ sơ", "Closed"),
        RiskLevel.high: ("Cao", "High"),
        RiskLevel.medium: ("Trung bình", "Medium"),
        RiskLevel.low: ("Thấp", "Low"),
    }
)
# A separate call: this enum shares values with the one above, and equal members would
# collapse into one key of a single dict literal.
register_labels(
    {
        ProtectionLevel.support: ("Hỗ trợ", "Support"),
        ProtectionLevel.intervention: ("Can thiệp", "Intervention"),
        TaskStatus.planned: ("Trong kế hoạch chờ duyệt", "In a plan awaiting approval"),
        TaskStatus.open: ("Chưa nhận", "Not yet accepted"),
        TaskStatus.accepted: ("Đang thực hiện", "Accepted"),
        TaskStatus.declined: ("Không thực hiện được", "Declined"),
        TaskStatus.done: ("Hoàn thành", "Done"),
        TaskStatus.cancelled: ("Đã hủy", "Cancelled"),
    }
)


class ProtectionCase(SQLModel, table=True):
    """A case; at most one open case per child, which later reports about the child join."""

    __tablename__ = "protection_case"
    __table_args__ = (
        sa.UniqueConstraint("commune_id", "year", "seq"),
        sa.Index(
            "uq_protection_case_one_open_per_child",
            "child_id",
            unique=True,
            sqlite_where=sa.text("status != 'closed'"),
            postgresql_where=sa.text("status != 'closed'"),
        ),
        sa.Index("ix_protection_case_commune_status", "commune_id", "status"),
    )

    id: int | None = Field(default=None, primary_key=True)
    commune_id: int = Field(foreign_key="commune.id")
    code: str = Field(max_length=32, unique=True, description="e.g. CS-2026-00042")
    year: int
    seq: int
    child_id: int = Field(foreign_key="child.id")
    status: CaseStatus = choice_field(CaseStatus)
    risk_level: RiskLevel | None = choice_field(RiskLevel, default=None, nullable=True)
    is_emergency: bool = False
    protection_level: ProtectionLevel | None = choice_field(
        ProtectionLevel, default=None, nullable=True
    )
    workflow_name: str = Field(max_length=64)
    workflow_version: int
    instance_id: int | None = Field(
        default=None,
        foreign_key="workflow_instance.id",
        unique=True,
        nullable=False,
        description="The case's workflow instance (given on insert: see _give_instance)",
    )
    assigned_caseworker_id: int | None = Field(default=None, foreign_key="app_user.id")
    opened_at: datetime
    updated_at: datetime
    closed_at: datetime | None = None
    closure_reason: str | None = Field(default=None, max_length=300)
    substantiated: bool | None = Field(default=None, description="Initial assessment's finding")
    separation_started_at: datetime | None = None
    separation_ended_at: datetime | None = None
    alternative_care_started_at: datetime | None = None
    alternative_care_ended_at: datetime | None = None
    review_stable: bool | None = Field(
        default=None, description="Mẫu 06: no further risk and stable"
    )
    transferred_to: str | None = Field(default=None, max_length=200)
    # Consent to share the case outside the commune (NĐ56 Đ33, Luật Trẻ em Đ33): the parent
    # or guardian's, and the child's own from age 7; or the legal ground that replaces it.
    consent_guardian: bool | None = None
    consent_child: bool | None = None
    sharing_legal_ground: str | None = Field(default=None, max_length=300)
    version: int = Field(default=1)

    @declared_attr  # type: ignore[misc]
    def __mapper_args__(cls) -> dict[str, object]:  # noqa: N805
        return {"version_id_col": cls.__table__.c.version}


_INSTANCE = WorkflowInstance.__table__
_NEW_INSTANCE = _INSTANCE.insert().returning(_INSTANCE.c.id)
_INSTANCE_SUBJECT = (
    _INSTANCE.update()
    .where(_INSTANCE.c.id == sa.bindparam("b_id"))
    .values(subject_id=sa.bindparam("subject_id"))
)


@sa.event.listens_for(ProtectionCase, "before_insert")
def _give_instance(_mapper: object, connection: sa.Connection, case: ProtectionCase) -> None:
    """Every case is an instance of its workflow: the instance row is written with the case,
    whichever code opens it (intake, a test, a demo), so no case is ever without one."""
    if case.instance_id is None:
        case.instance_id = connection.execute(
            _NEW_INSTANCE,
            {
                "definition": case.workflow_name,
                "definition_version": case.workflow_version,
                "state": None,
                "version": 1,
                "commune_id": case.commune_id,
                "subject_kind": CASE,
                "subject_id": None,
                "subject_key": "",
                "created_at": case.opened_at,
                "closed_at": case.closed_at,
            },
        ).scalar_one()


@sa.event.listens_for(ProtectionCase, "after_insert")
def _name_subject(_mapper: object, connection: sa.Connection, case: ProtectionCase) -> None:
    connection.execute(_INSTANCE_SUBJECT, {"b_id": case.instance_id, "subject_id": case.id})


class CaseCounter(SQLModel, table=True):
    """The last case number given per commune and year (locked while a case is opened)."""

    __tablename__ = "case_counter"

    commune_id: int = Field(foreign_key="commune.id", primary_key=True)
    year: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    last_seq: int = 0


# The members of a history entry's payload that hold people's own words.
NARRATIVE_KEYS = (
    "note",
    "reason",
    "conference_minutes",
    "tasks",
    "place",
    "arrangement",
    "assessment",
    # Mẫu 02's findings and the emergency measures (who did what) are the abuse's details.
    "harm_found",
    "injuries",
    "child_safe_now",
    "perpetrator_has_access",
    "caregiver_can_protect",
    "measures",
)


class CaseEvent(SQLModel, table=True):
    """One entry of a case's history; rows are only ever added."""

    __tablename__ = "case_event"

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="protection_case.id", index=True)
    at: datetime
    actor_id: int | None = Field(default=None, foreign_key="app_user.id")
    event: str = Field(max_length=64)
    from_status: str | None = Field(default=None, max_length=32)
    to_status: str | None = Field(default=None, max_length=32)
    # Notes, reasons, minutes and plan activities are narrative, so encrypted at rest; the
    # rest (ids, kinds, steps, dates) stays plain JSON.
    payload: dict[str, object] = sensitive(
        default_factory=dict, sa_type=EncryptedFieldsJSON("case_event.payload", NARRATIVE_KEYS)
    )


# The kind of a task drafted by hand in a plan (Mẫu 04); its title is the caseworker's own
# words, which may name the child, so messages never quote it.
PLAN_ACTIVITY = "plan.activity"


class Task(SQLModel, table=True):
    """Work routed to an agency within a case."""

    __table_args__ = (
        # What an agency still has to do, by due time (its task list and counters); its
        # done tasks pile up over the years.
        sa.Index(
            "ix_task_to_do",
            "agency_id",
            "due_at",
            sqlite_where=sa.text("status IN ('open', 'accepted')"),
            postgresql_where=sa.text("status IN ('open', 'accepted')"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="protection_case.id", index=True)
    agency_id: int = Field(foreign_key="agency.id", index=True)
    assignee_id: int | None = Field(default=None, foreign_key="app_user.id")
    kind: str = Field(max_length=64, description="e.g. police.verify, health.examine")
    title: str = sensitive(max_length=200, description="A plan activity's may name the child")
    starts_at: datetime
    due_at: datetime
    status: TaskStatus = choice_field(TaskStatus, default=TaskStatus.open)
    acknowledged_at: datetime | None = None
    done_at: datetime | None = None
    outcome_note: str | None = sensitive(default=None, sa_type=EncryptedText("task.outcome_note"))
    cost_vnd: int | None = Field(default=None, ge=0, description="Kinh phí dự kiến (Mẫu 04)")
    created_at: datetime
    version: int = Field(default=1)

    @declared_attr  # type: ignore[misc]
    def __mapper_args__(cls) -> dict[str, object]:  # noqa: N805
        return {"version_id_col": cls.__table__.c.version}
