"""What the cleaning loop's steps send, and what each holder is shown of a loop."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from casework.children.models import Sex
from casework.children.schemas import clean_personal_id
from casework.registry.cleaning.models import CleaningState
from casework.schemas_common import Day, Id, OptionalLine, OptionalName, Version

STRICT = ConfigDict(extra="forbid", str_strip_whitespace=True)
PersonalIdIn = Annotated[str | None, BeforeValidator(clean_personal_id)]


class CleaningStart(BaseModel):
    """Start loops: for one child, or for every child of a village whose record has problems."""

    model_config = STRICT

    child_id: Id | None = Field(default=None, description="Một trẻ / one child")
    village_id: Id | None = Field(default=None, description="Cả thôn / a whole village")


class VisitFindings(BaseModel):
    """What the household's papers say (the village's collaborator or head, on a phone)."""

    model_config = STRICT

    personal_id: PersonalIdIn = Field(default=None, description="Số định danh cá nhân của trẻ")
    birth_certificate: OptionalLine = Field(
        default=None, description="Giấy khai sinh: số, quyển, nơi đăng ký"
    )
    date_of_birth: Day | None = Field(default=None, description="Ngày sinh ghi trên giấy tờ")
    father: OptionalName = Field(default=None, description="Họ tên cha")
    mother: OptionalName = Field(default=None, description="Họ tên mẹ")
    note: OptionalLine = Field(default=None, description="Ghi chú")


class Verification(BaseModel):
    """What the commune police verified against the population database."""

    model_config = STRICT

    personal_id: Annotated[str, BeforeValidator(clean_personal_id)] = Field(
        description="Số định danh cá nhân đã xác thực"
    )
    date_of_birth: Day = Field(description="Ngày sinh đã xác thực")
    sex: Sex = Field(description="Giới tính đã xác thực")
    note: OptionalLine = Field(default=None, description="Ghi chú")


class ApplyUpdate(BaseModel):
    """The caseworker applies the verified values to the record it was read at."""

    model_config = STRICT

    child_version: Version = Field(description="Phiên bản hồ sơ trẻ khi mở trang")


class LoopBrief(BaseModel):
    """What a step's holder sees: the child's name, birth year and village, and which
    fields are missing or wrong. Never a case, never the other fields of the record."""

    id: int
    state: CleaningState
    full_name: str
    birth_year: int
    village: str | None
    problems: list[str]
    problem_labels: list[str]
    due_at: datetime | None = None


class VisitRead(BaseModel):
    personal_id: str | None
    birth_certificate: str | None
    date_of_birth: date | None
    father: str | None
    mother: str | None
    note: str | None
    visited_at: datetime | None


class LoopRead(LoopBrief):
    """The police see this for their step (the visit's findings); the caseworker all of it."""

    visit: VisitRead | None = None
    verified_personal_id: str | None = None
    verified_date_of_birth: date | None = None
    verified_sex: Sex | None = None
    verify_note: str | None = None
    # The record as it stands (caseworker only): what the update will change.
    child_id: int | None = None
    child_version: int | None = None
    record_personal_id: str | None = None
    record_date_of_birth: date | None = None
    record_sex: Sex | None = None
