"""What reporting keeps: the children living in the commune each year (the denominators of
every share and rate), the reports owed and sent, and a commune's own reporting dates."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import declared_attr
from sqlmodel import Field, SQLModel

from casework.base import choice_field, register_labels, sensitive
from casework.children.models import Sex
from casework.crypto import EncryptedFieldsJSON
from casework.reports.outline import SECTION_KEYS


class ChildPopulation(SQLModel, table=True):
    """Children of a commune in one year, one sex and one age group (``age_group``: a key
    of ``casework.reports.indicators.AGE_GROUPS``), in one village or, ``village_id``
    empty, in the commune where it keeps no figure per village. The commune's total is
    the sum of its rows; a village's, the sum of that village's."""

    __tablename__ = "child_population"
    __table_args__ = (
        sa.Index(
            "uq_child_population_village_cell",
            "village_id",
            "year",
            "sex",
            "age_group",
            unique=True,
            sqlite_where=sa.text("village_id IS NOT NULL"),
            postgresql_where=sa.text("village_id IS NOT NULL"),
        ),
        sa.Index(
            "uq_child_population_commune_cell",
            "commune_id",
            "year",
            "sex",
            "age_group",
            unique=True,
            sqlite_where=sa.text("village_id IS NULL"),
            postgresql_where=sa.text("village_id IS NULL"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    commune_id: int = Field(foreign_key="commune.id", index=True)
    village_id: int | None = Field(default=None, foreign_key="village.id")
    year: int = Field(ge=2000, le=2100)
    sex: Sex = choice_field(Sex)
    age_group: str = Field(max_length=16)
    children: int = Field(ge=0, description="How many children")
    recorded_by_id: int | None = Field(default=None, foreign_key="app_user.id")
    recorded_at: datetime


class ReportKind(StrEnum):
    agency = "agency"  # an agency or a school to the commune
    commune = "commune"  # the commune up (province, district)
    adhoc = "adhoc"  # at once, on a grave event


class AdhocCause(StrEnum):
    """Why an ad-hoc report is due (seed 000)."""

    sexual_abuse = "sexual_abuse"
    trafficking = "trafficking"
    death = "death"
    disaster = "disaster"


register_labels(
    {
        ReportKind.agency: ("Báo cáo của cơ quan, trường học", "An agency's report"),
        ReportKind.commune: ("Báo cáo của xã", "The commune's report"),
        ReportKind.adhoc: ("Báo cáo đột xuất", "Ad-hoc report"),
        AdhocCause.sexual_abuse: ("Trẻ em bị xâm hại tình dục", "A child sexually abused"),
        AdhocCause.trafficking: ("Trẻ em bị mua bán", "A child trafficked"),
        AdhocCause.death: (
            "Trẻ em tử vong do tai nạn, thương tích, bạo lực",
            "A child died of injury or violence",
        ),
        AdhocCause.disaster: ("Trẻ em bị ảnh hưởng bởi thiên tai", "Children hit by a disaster"),
    }
)


class PeriodicReport(SQLModel, table=True):
    """One report owed: an agency's for a period, the commune's for a period, or an ad-hoc
    one; its state, clock and ladder are its workflow instance's (``instance_id``).

    ``sections``: the narrative under each heading of the outline (encrypted at rest: a
    person may name a child in words). ``figures``: the counts the data gave when it was
    submitted, kept as they were sent (counts only)."""

    __tablename__ = "periodic_report"

    id: int | None = Field(default=None, primary_key=True)
    commune_id: int = Field(foreign_key="commune.id", index=True)
    instance_id: int = Field(foreign_key="workflow_instance.id", unique=True)
    kind: ReportKind = choice_field(ReportKind)
    obligation: str = Field(max_length=32, description="The calendar's key, or adhoc")
    year: int
    period_first: date
    period_last: date
    agency_id: int | None = Field(default=None, foreign_key="agency.id", index=True)
    case_id: int | None = Field(default=None, foreign_key="protection_case.id", index=True)
    cause: AdhocCause | None = choice_field(AdhocCause, default=None, nullable=True)
    title: str = Field(max_length=200)
    recipient: str = Field(max_length=200, description="To whom it is sent")
    due_at: datetime
    opened_at: datetime
    sections: dict[str, str] = sensitive(
        default_factory=dict,
        sa_type=EncryptedFieldsJSON("periodic_report.sections", SECTION_KEYS),
    )
    figures: dict[str, object] = Field(default_factory=dict, sa_type=sa.JSON)
    attachment_name: str | None = Field(default=None, max_length=200)
    attachment_type: str | None = Field(default=None, max_length=100)
    attachment: bytes | None = sensitive(default=None, sa_type=sa.LargeBinary)
    submitted_by_id: int | None = Field(default=None, foreign_key="app_user.id")
    submitted_at: datetime | None = None
    returned_reason: str | None = Field(default=None, max_length=1000)
    accepted_by_id: int | None = Field(default=None, foreign_key="app_user.id")
    accepted_at: datetime | None = None
    approved_by_id: int | None = Field(default=None, foreign_key="app_user.id")
    approved_at: datetime | None = None
    sent_by_id: int | None = Field(default=None, foreign_key="app_user.id")
    sent_at: datetime | None = None
    sent_note: str | None = Field(default=None, max_length=500, description="e.g. số văn bản")
    version: int = Field(default=1)

    @declared_attr  # type: ignore[misc]
    def __mapper_args__(cls) -> dict[str, object]:  # noqa: N805
        return {"version_id_col": cls.__table__.c.version}


class ReportSchedule(SQLModel, table=True):
    """A commune's own date for one obligation of the reporting calendar (the calendar's
    default where it has none)."""

    __tablename__ = "report_schedule"
    __table_args__ = (sa.UniqueConstraint("commune_id", "obligation"),)

    id: int | None = Field(default=None, primary_key=True)
    commune_id: int = Field(foreign_key="commune.id", index=True)
    obligation: str = Field(max_length=32)
    due_month: int = Field(ge=1, le=12)
    due_day: int = Field(ge=1, le=31)
    lead_days: int = Field(ge=1, le=120)
    active: bool = True
    updated_by_id: int | None = Field(default=None, foreign_key="app_user.id")
    updated_at: datetime
