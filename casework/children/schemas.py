"""What an integrator or a form sends about a child, and what the API shows back."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator
from pydantic_core import PydanticCustomError

from casework.cases.models import CaseStatus, RiskLevel
from casework.children import personal_id
from casework.children.models import CircumstanceGroup, DisabilityLevel, PovertyStatus, Sex
from casework.schemas_common import (
    Day,
    Name,
    OptionalLine,
    OptionalName,
    OptionalPhone,
    OptionalWord,
    Word,
)

STRICT = ConfigDict(extra="forbid", str_strip_whitespace=True)


def clean_personal_id(value: object) -> object:
    if value is None or not isinstance(value, str):
        return value
    digits = personal_id.normalise(value)
    if not digits:
        return None
    if not personal_id.is_well_formed(digits):
        raise PydanticCustomError("personal_id_format", "must be 12 digits")
    return digits


class CaregiverIn(BaseModel):
    model_config = STRICT

    full_name: Name = Field(description="Họ và tên người chăm sóc / caregiver's full name")
    relation: Word = Field(description="Quan hệ với trẻ, ví dụ mẹ, bố, bà nội / relation")
    phone: OptionalPhone = Field(default=None, description="Số điện thoại / phone number")


class CircumstanceIn(BaseModel):
    model_config = STRICT

    group: CircumstanceGroup = Field(
        description="Nhóm hoàn cảnh đặc biệt theo Luật Trẻ em Điều 10 (a…o; đ viết là dd)"
    )
    subgroup: OptionalName = Field(default=None, description="Nhóm nhỏ theo NĐ56 / sub-group")
    since: Day = Field(description="Từ ngày / since")
    until: Day | None = Field(default=None, description="Đến ngày / until")


class ChildFields(BaseModel):
    """A child's basic data, as the national child database keeps it, and the caregivers:
    what intake records of a new child and what the register registers and corrects."""

    model_config = STRICT

    full_name: Name = Field(description="Họ và tên của trẻ / the child's full name")
    personal_id: Annotated[str | None, BeforeValidator(clean_personal_id)] = Field(
        default=None,
        description="Số định danh cá nhân, 12 chữ số (không bắt buộc) / personal id, 12 digits",
    )
    date_of_birth: Day | None = Field(default=None, description="Ngày sinh / date of birth")
    birth_year_estimate: int | None = Field(
        default=None,
        description="Năm sinh ước tính khi không rõ ngày sinh / estimated birth year",
    )
    sex: Sex = Field(description="Giới tính / sex")
    ethnicity: Word = Field(default="Kinh", description="Dân tộc / ethnicity")
    village: OptionalName = Field(
        default=None, description="Thôn/xóm/bản nơi trẻ sống (tên) / village name"
    )
    address: OptionalLine = Field(default=None, description="Số nhà, đường / street address")
    school_name: OptionalName = Field(default=None, description="Trường / school")
    grade: OptionalWord = Field(default=None, description="Lớp / grade")
    disability_level: DisabilityLevel = Field(
        default=DisabilityLevel.none, description="Mức độ khuyết tật / disability level"
    )
    poverty_status: PovertyStatus = Field(
        default=PovertyStatus.none, description="Hộ nghèo, cận nghèo / household poverty status"
    )
    caregivers: list[CaregiverIn] = Field(
        default_factory=list, max_length=10, description="Người chăm sóc / caregivers"
    )


class ChildCreate(ChildFields):
    """A child not yet known to the commune, with their special-circumstance groups."""

    circumstances: list[CircumstanceIn] = Field(default_factory=list, max_length=14)

    @field_validator("circumstances")
    @classmethod
    def _one_entry_per_group(cls, value: list[CircumstanceIn]) -> list[CircumstanceIn]:
        seen: set[CircumstanceGroup] = set()
        for entry in value:
            if entry.group in seen:
                raise PydanticCustomError(
                    "duplicate_items", "repeated group", {"value": entry.group.value}
                )
            seen.add(entry.group)
        return value


class CaregiverRead(BaseModel):
    full_name: str
    relation: str
    phone: str | None


class CircumstanceRead(BaseModel):
    group: CircumstanceGroup
    subgroup: str | None
    since: date
    until: date | None


class ChildRead(BaseModel):
    id: int
    full_name: str
    personal_id: str | None
    date_of_birth: date | None
    birth_year: int
    birth_date_is_estimated: bool
    sex: Sex
    ethnicity: str
    village: str | None
    address: str | None
    school_name: str | None
    grade: str | None
    disability_level: DisabilityLevel
    poverty_status: PovertyStatus
    caregivers: list[CaregiverRead]
    circumstances: list[CircumstanceRead]


class ChildSummary(BaseModel):
    """A row of the children list, and a possible duplicate at intake."""

    id: int
    full_name: str
    birth_year: int
    sex: Sex
    village: str | None
    open_case_code: str | None


class RunningClock(BaseModel):
    """A legal clock of the case still running (case-wide, not an agency's task clock)."""

    kind: str
    label_vi: str
    label_en: str
    clock: str  # hours, days, months or working_days
    starts_at: datetime
    due_at: datetime


class ChildCase(BaseModel):
    """One of the child's cases, as the profile lists it."""

    code: str
    status: CaseStatus
    is_emergency: bool
    risk_level: RiskLevel | None
    opened_at: datetime
    closed_at: datetime | None
    clocks: list[RunningClock]


class ChildProfile(BaseModel):
    """The child's record as the national database keeps it, and the child's cases."""

    child: ChildRead
    cases: list[ChildCase]
