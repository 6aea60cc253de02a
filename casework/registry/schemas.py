"""What the register's forms and API take and show: memberships, support, proposals."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, Field, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError

from casework.children.models import CircumstanceGroup, MembershipEnd
from casework.children.schemas import STRICT
from casework.registry import groups
from casework.registry.models import ProposalStatus, SupportKind
from casework.schemas_common import Amount, Day, Id, OptionalLine, OptionalName, OptionalWord

Evidence = OptionalLine


class MembershipCreate(BaseModel):
    """A child enters a group (or is marked at risk of it) from ``since``."""

    model_config = STRICT

    group: CircumstanceGroup = Field(description="Nhóm theo Luật Trẻ em Đ10 (a…o; đ viết là dd)")
    subgroup: OptionalWord = Field(
        default=None, description="Mã nhóm nhỏ theo NĐ56, ví dụ c.1 / sub-group code"
    )
    at_risk: bool = Field(
        default=False,
        description="Có nguy cơ rơi vào hoàn cảnh đặc biệt (không tính vào 14 nhóm) / at risk",
    )
    since: Day = Field(description="Từ ngày / since")
    evidence: Evidence = Field(default=None, description="Căn cứ, giấy tờ / evidence")

    @field_validator("subgroup")
    @classmethod
    def _subgroup_of_group(cls, code: str | None, info: ValidationInfo) -> str | None:
        group = info.data.get("group")
        if code is not None and group is not None and not groups.fits(group, code):
            choices = ", ".join(s.code for s in groups.subgroups_of(group)) or "—"
            raise PydanticCustomError(
                "subgroup_not_in_group", "not a sub-group of the group", {"choices": choices}
            )
        return code


class MembershipEndIn(BaseModel):
    """A current membership ends: its row keeps the end date, reason and evidence."""

    model_config = STRICT

    membership_id: Id = Field(description="Mã dòng nhóm đang có / the membership's id")
    until: Day = Field(description="Đến ngày / end date")
    reason: MembershipEnd = Field(description="Lý do kết thúc / why it ended")
    end_evidence: Evidence = Field(default=None, description="Căn cứ / evidence")


class SupportCreate(BaseModel):
    """Support a child received over a period (``until`` empty: still receiving it)."""

    model_config = STRICT

    kind: SupportKind = Field(description="Loại hỗ trợ / kind of support")
    since: Day = Field(description="Từ ngày / since")
    until: Day | None = Field(default=None, description="Đến ngày / until")
    provider: OptionalName = Field(default=None, description="Đơn vị hỗ trợ / provided by")
    amount_vnd: Amount | None = Field(default=None, description="Số tiền (đồng) / amount")
    note: OptionalLine = Field(default=None, description="Ghi chú / note")

    @field_validator("until")
    @classmethod
    def _after_since(cls, until: date | None, info: ValidationInfo) -> date | None:
        since = info.data.get("since")
        if until is not None and since is not None and until < since:
            raise PydanticCustomError("end_before_start", "ends before it starts")
        return until


class SupportEndIn(BaseModel):
    model_config = STRICT

    support_id: Id = Field(description="Mã dòng hỗ trợ / the support's id")
    until: Day = Field(description="Đến ngày / end date")


class ProposalDecision(BaseModel):
    """The caseworker's decision on a proposal: confirm (a membership from ``since``) or
    dismiss with a reason."""

    model_config = STRICT

    proposal_id: Id = Field(description="Mã đề xuất / the proposal's id")
    decision: Literal["confirm", "dismiss"] = Field(description="Xác nhận hoặc không đưa vào")
    since: Day | None = Field(default=None, description="Từ ngày (khi xác nhận) / since")
    subgroup: OptionalWord = Field(default=None, description="Mã nhóm nhỏ / sub-group code")
    evidence: Evidence = Field(default=None, description="Căn cứ / evidence")
    reason: OptionalLine = Field(
        default=None, validate_default=True, description="Lý do không đưa vào / why not"
    )

    @field_validator("reason")
    @classmethod
    def _dismissal_has_reason(cls, reason: str | None, info: ValidationInfo) -> str | None:
        if info.data.get("decision") == "dismiss" and not reason:
            raise PydanticCustomError("dismiss_reason_required", "a dismissal needs a reason")
        return reason


class MembershipRead(BaseModel):
    id: int
    group: CircumstanceGroup
    subgroup: str | None
    subgroup_vi: str | None
    subgroup_en: str | None
    at_risk: bool
    since: date
    until: date | None
    evidence: str | None
    decided_by: str | None
    source_case: str | None
    ended_reason: MembershipEnd | None
    end_evidence: str | None
    ended_by: str | None
    recorded_at: datetime | None


class SupportRead(BaseModel):
    id: int
    kind: SupportKind
    since: date
    until: date | None
    provider: str | None
    amount_vnd: int | None
    note: str | None
    recorded_by: str | None


class ProposalRead(BaseModel):
    id: int
    child_id: int
    child_name: str
    case_code: str | None
    group: CircumstanceGroup
    source: str
    status: ProposalStatus
    created_at: datetime
    decided_by: str | None
    decided_at: datetime | None
    reason: str | None


class ProposedEnd(BaseModel):
    """An end the register suggests for the reviewer (never applied by itself)."""

    membership_id: int
    group: CircumstanceGroup
    until: date
    reason: MembershipEnd
    estimated: bool = Field(description="Ngày sinh ước tính từ năm sinh / from the birth year")


class ChildRegister(BaseModel):
    """A child's part of the register: groups now, at risk now, the history, the support
    received, the open proposals from cases and the ends to review."""

    child_id: int
    current: list[MembershipRead]
    at_risk: list[MembershipRead]
    history: list[MembershipRead]
    support: list[SupportRead]
    proposals: list[ProposalRead]
    proposed_ends: list[ProposedEnd]
