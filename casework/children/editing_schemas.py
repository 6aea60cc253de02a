"""The children register's contract: register a child without a report, correct a record
(``POST /api/v1/children``, ``PATCH /api/v1/children/{id}``), and the two refusals that
carry more than field errors: possible duplicates, and a record changed meanwhile."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, BeforeValidator, Field

from casework.api_docs import ErrorItem
from casework.children.models import DisabilityLevel, PovertyStatus, Sex
from casework.children.schemas import (
    STRICT,
    CaregiverIn,
    ChildFields,
    ChildRead,
    ChildSummary,
    clean_personal_id,
)
from casework.schemas_common import (
    Day,
    Name,
    OptionalLine,
    OptionalName,
    OptionalWord,
    Version,
    Word,
)


class ChildRegister(ChildFields):
    """A child the commune registers without a report (Luật Trẻ em Đ10 lists, reviews)."""

    confirm_not_duplicate: bool = Field(
        default=False,
        description=(
            "Đây là trẻ khác, vẫn đăng ký: gửi true sau khi đã xem các trẻ có thể trùng "
            "(409) / true once the possible duplicates (409) were checked"
        ),
    )


class ChildPatch(BaseModel):
    """The fields to change, each as in ``POST /api/v1/children``; a field not sent stays
    as it is, ``null`` clears it (back to its default, or refused if it is required).
    ``caregivers`` replaces the whole list.
    Sending ``date_of_birth`` or ``birth_year_estimate`` replaces both."""

    model_config = STRICT

    version: Version = Field(
        description="Phiên bản hồ sơ đã xem (409 nếu người khác vừa sửa) / the version seen"
    )
    full_name: Name | None = Field(default=None, description="Họ và tên / full name")
    personal_id: Annotated[str | None, BeforeValidator(clean_personal_id)] = Field(
        default=None, description="Số định danh cá nhân, 12 chữ số / personal id"
    )
    date_of_birth: Day | None = Field(default=None, description="Ngày sinh / date of birth")
    birth_year_estimate: int | None = Field(
        default=None, description="Năm sinh ước tính / estimated birth year"
    )
    sex: Sex | None = Field(default=None, description="Giới tính / sex")
    ethnicity: Word | None = Field(default=None, description="Dân tộc / ethnicity")
    village: OptionalName = Field(default=None, description="Thôn (tên) / village name")
    address: OptionalLine = Field(default=None, description="Số nhà, đường / address")
    school_name: OptionalName = Field(default=None, description="Trường / school")
    grade: OptionalWord = Field(default=None, description="Lớp / grade")
    disability_level: DisabilityLevel | None = Field(default=None, description="Khuyết tật")
    poverty_status: PovertyStatus | None = Field(default=None, description="Hộ nghèo")
    caregivers: list[CaregiverIn] | None = Field(
        default=None, max_length=10, description="Người chăm sóc (cả danh sách) / caregivers"
    )

    def changes(self) -> set[str]:
        """The record's fields this patch sets (both birth fields when either is sent)."""
        sent = self.model_fields_set - {"version"}
        if sent & {"date_of_birth", "birth_year_estimate"}:
            sent |= {"date_of_birth", "birth_year_estimate"}
        return sent


class ChildRecord(ChildRead):
    """A child's record with the version to send back when correcting it."""

    version: int
    updated_at: datetime


class DuplicateConflict(BaseModel):
    """409 on registering: children of the commune who may be this child."""

    detail: list[ErrorItem]
    candidates: list[ChildSummary] = Field(
        description="Trẻ có thể trùng (cùng tên không dấu, năm sinh ±1, hoặc số định danh)"
    )


class EditConflict(BaseModel):
    """409 on correcting: someone changed the record since ``version``."""

    detail: list[ErrorItem]
    current_version: int = Field(description="Phiên bản hiện tại / the current version")
    changed_by: str | None = Field(description="Ai sửa lần cuối / who changed it last")
    changed_at: datetime = Field(description="Lúc nào / when (UTC)")
    changed_fields: list[str] = Field(description="Các trường đã sửa / the fields changed")
