"""The child, the people who care for them, and their special-circumstance groups (Luật Đ10)."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import declared_attr
from sqlmodel import Field, SQLModel

from casework.base import choice_field, register_labels, sensitive, sensitive_info


class Sex(StrEnum):
    male = "male"
    female = "female"


class DisabilityLevel(StrEnum):
    none = "none"
    mild = "mild"
    severe = "severe"
    especially_severe = "especially_severe"


class PovertyStatus(StrEnum):
    none = "none"
    near_poor = "near_poor"
    poor = "poor"


class CircumstanceGroup(StrEnum):
    """The 14 groups of children in special circumstances, lettered as in Luật Trẻ em Đ10."""

    a = "a"
    b = "b"
    c = "c"
    d = "d"
    dd = "dd"
    e = "e"
    g = "g"
    h = "h"
    i = "i"
    k = "k"
    l = "l"  # noqa: E741  (the law's own letter)
    m = "m"
    n = "n"
    o = "o"


register_labels(
    {
        Sex.male: ("Nam", "Male"),
        Sex.female: ("Nữ", "Female"),
        DisabilityLevel.none: ("Không khuyết tật", "No disability"),
        DisabilityLevel.mild: ("Khuyết tật nhẹ", "Mild"),
        DisabilityLevel.severe: ("Khuyết tật nặng", "Severe"),
        DisabilityLevel.especially_severe: ("Khuyết tật đặc biệt nặng", "Especially severe"),
    }
)
# A separate call: this enum shares values with the one above, and equal members would
# collapse into one key of a single dict literal.
register_labels(
    {
        PovertyStatus.none: ("Không thuộc hộ nghèo, cận nghèo", "Neither"),
        PovertyStatus.near_poor: ("Hộ cận nghèo", "Near-poor household"),
        PovertyStatus.poor: ("Hộ nghèo", "Poor household"),
        CircumstanceGroup.a: ("a) Mồ côi cả cha và mẹ", "a) Double orphan"),
        CircumstanceGroup.b: ("b) Bị bỏ rơi", "b) Abandoned"),
        CircumstanceGroup.c: ("c) Không nơi nương tựa", "c) Without support"),
        CircumstanceGroup.d: ("d) Khuyết tật", "d) With a disability"),
        CircumstanceGroup.dd: ("đ) Nhiễm HIV/AIDS", "đ) Living with HIV/AIDS"),
        CircumstanceGroup.e: ("e) Vi phạm pháp luật", "e) In conflict with the law"),
        CircumstanceGroup.g: ("g) Nghiện ma túy", "g) Drug addiction"),
        CircumstanceGroup.h: (
            "h) Bỏ học kiếm sống chưa hoàn thành phổ cập THCS",
            "h) Dropped out to earn a living",
        ),
        CircumstanceGroup.i: (
            "i) Bị tổn hại nghiêm trọng về thể chất và tinh thần do bạo lực",
            "i) Seriously harmed by violence",
        ),
        CircumstanceGroup.k: ("k) Bị bóc lột", "k) Exploited"),
        CircumstanceGroup.l: ("l) Bị xâm hại tình dục", "l) Sexually abused"),
        CircumstanceGroup.m: ("m) Bị mua bán", "m) Trafficked"),
        CircumstanceGroup.n: (
            "n) Mắc bệnh hiểm nghèo, điều trị dài ngày thuộc hộ nghèo, cận nghèo",
            "n) Serious illness in a poor household",
        ),
        CircumstanceGroup.o: (
            "o) Di cư, lánh nạn, tị nạn chưa xác định được cha mẹ",
            "o) Migrant or refugee without parents",
        ),
    }
)


class Child(SQLModel, table=True):
    """A child known to the commune. ``birth_year`` is exact when ``date_of_birth`` is set."""

    __table_args__ = (
        sa.Index("ix_child_match", "commune_id", "name_key", "birth_year"),
        sa.Index("ix_child_register_order", "commune_id", "sort_key"),
    )

    id: int | None = Field(default=None, primary_key=True)
    commune_id: int = Field(foreign_key="commune.id", index=True)
    # Every personal field is protected (NĐ56 Đ33); the name stays searchable (name_key).
    full_name: str = sensitive(max_length=120)
    name_key: str = sensitive(max_length=120, description="Folded name: search and duplicates")
    personal_id: str | None = sensitive(
        default=None, max_length=12, unique=True, description="Số định danh cá nhân"
    )
    date_of_birth: date | None = sensitive(default=None)
    birth_year: int = sensitive()
    sex: Sex = choice_field(Sex)
    ethnicity: str = sensitive(max_length=60)
    village_id: int | None = sensitive(default=None, foreign_key="village.id", index=True)
    address: str | None = sensitive(default=None, max_length=300)
    school_name: str | None = sensitive(default=None, max_length=200)
    grade: str | None = sensitive(default=None, max_length=20)
    disability_level: DisabilityLevel = choice_field(
        DisabilityLevel, default=DisabilityLevel.none, sa_column_kwargs=sensitive_info()
    )
    poverty_status: PovertyStatus = choice_field(
        PovertyStatus, default=PovertyStatus.none, sa_column_kwargs=sensitive_info()
    )
    sort_key: str = sensitive(
        default="",
        max_length=200,
        description="Vietnamese list order: given name, then middle and family name",
    )
    merged_into_id: int | None = Field(
        default=None,
        foreign_key="child.id",
        index=True,
        description="Set when this record was merged into another: a pointer, kept for links",
    )
    created_at: datetime
    updated_at: datetime
    version: int = Field(default=1)

    @declared_attr  # type: ignore[misc]
    def __mapper_args__(cls) -> dict[str, object]:  # noqa: N805
        return {"version_id_col": cls.__table__.c.version}


class Caregiver(SQLModel, table=True):
    """A parent, grandparent or other person who cares for the child."""

    id: int | None = Field(default=None, primary_key=True)
    child_id: int = Field(foreign_key="child.id", index=True)
    full_name: str = sensitive(max_length=120)
    relation: str = sensitive(max_length=60, description="e.g. mẹ, bố, bà nội, dì")
    phone: str | None = sensitive(default=None, max_length=20, description="E.164")


class MembershipEnd(StrEnum):
    """Why a child left a group: the row stays, with its end date and this reason."""

    turned_16 = "turned_16"
    turned_18 = "turned_18"
    moved_away = "moved_away"
    circumstance_ended = "circumstance_ended"
    died = "died"
    recorded_in_error = "recorded_in_error"


register_labels(
    {
        MembershipEnd.turned_16: ("Đủ 16 tuổi", "Turned 16"),
        MembershipEnd.turned_18: ("Đủ 18 tuổi", "Turned 18"),
        MembershipEnd.moved_away: ("Chuyển đi nơi khác", "Moved away"),
        MembershipEnd.circumstance_ended: ("Không còn hoàn cảnh đặc biệt", "Circumstance ended"),
        MembershipEnd.died: ("Đã chết", "Died"),
        MembershipEnd.recorded_in_error: ("Ghi nhầm", "Recorded in error"),
    }
)


class ChildCircumstance(SQLModel, table=True):
    """Membership of one special-circumstance group over a period (reviewed monthly).

    History is never overwritten: a membership that ends keeps its row with ``until``,
    ``ended_reason`` and who decided; a new period is a new row. ``at_risk`` rows are
    children "có nguy cơ rơi vào hoàn cảnh đặc biệt" (seed 000): listed and reviewed, never
    counted in the 14 groups.
    """

    __tablename__ = "child_circumstance"
    __table_args__ = (
        sa.Index(
            "uq_child_circumstance_one_current",
            "child_id",
            "group",
            "at_risk",
            unique=True,
            sqlite_where=sa.text("until IS NULL"),
            postgresql_where=sa.text("until IS NULL"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    child_id: int = Field(foreign_key="child.id", index=True)
    group: CircumstanceGroup = choice_field(CircumstanceGroup, sa_column_kwargs=sensitive_info())
    subgroup: str | None = sensitive(
        default=None, max_length=120, description="Code of a sub-group of NĐ56/2017 Đ3–16"
    )
    at_risk: bool = Field(default=False, description="At risk of the group, not in it")
    since: date
    until: date | None = None
    evidence: str | None = sensitive(default=None, max_length=500)
    decided_by_id: int | None = Field(default=None, foreign_key="app_user.id")
    source_case_id: int | None = Field(default=None, foreign_key="protection_case.id")
    ended_reason: MembershipEnd | None = choice_field(MembershipEnd, default=None, nullable=True)
    end_evidence: str | None = sensitive(default=None, max_length=500)
    ended_by_id: int | None = Field(default=None, foreign_key="app_user.id")
    recorded_at: datetime | None = None
