"""The intake contract (POST /api/v1/intakes): names here are stable for integrators."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Annotated

from pydantic import AfterValidator, AwareDatetime, BaseModel, Field, field_validator
from pydantic_core import PydanticCustomError

from casework.children.schemas import STRICT, ChildCreate, ChildSummary
from casework.intake.models import Channel, HarmForm, PerpetratorRelation, Setting
from casework.schemas_common import (
    Id,
    Narrative,
    OptionalLine,
    OptionalName,
    OptionalNarrative,
    OptionalPhone,
    OptionalWord,
    within_years,
)

# No first receipt can be older: the children this records were born after it (a child is
# under 18 at receipt), and a year such as 0001 or 1900 is a typing slip, not a receipt.
# Refused as a field error, before anything converts it (0001-01-01T00:00+07:00 has no UTC).
RECEIPT_FLOOR = datetime(2000, 1, 1, tzinfo=timezone(timedelta(hours=7)))


def _not_before_floor(value: datetime) -> datetime:
    if value < RECEIPT_FLOOR:
        raise PydanticCustomError(
            "time_too_early", "too early", {"floor": RECEIPT_FLOOR.strftime("%d/%m/%Y")}
        )
    return value


ReceiptTime = Annotated[
    AwareDatetime, AfterValidator(_not_before_floor), AfterValidator(within_years)
]


class ReporterIn(BaseModel):
    """Who reported; confidential (NĐ56 Đ24). Anonymous reports are accepted."""

    model_config = STRICT

    anonymous: bool = Field(default=False, description="Báo tin ẩn danh / anonymous report")
    name: OptionalName = Field(default=None, description="Họ tên người báo tin / name")
    phone: OptionalPhone = Field(default=None, description="Số điện thoại / phone number")
    relation: OptionalWord = Field(
        default=None, description="Quan hệ với trẻ, ví dụ hàng xóm / relation to the child"
    )


class IntakeCreate(BaseModel):
    """Báo cáo tiếp nhận thông tin trẻ em (Mẫu 01)."""

    model_config = STRICT

    commune_code: str = Field(
        min_length=1, max_length=16, description="Mã xã/phường nơi xảy ra / commune code"
    )
    channel: Channel = Field(description="Kênh tiếp nhận / intake channel")
    first_received_at: ReceiptTime = Field(
        description=(
            "Thời điểm tiếp nhận sớm nhất trong chuỗi (ví dụ cuộc gọi tới Tổng đài 111), "
            "ISO 8601 có múi giờ; mốc 12 giờ tính từ đây / earliest receipt in the chain, "
            "with offset; the 12-hour clock starts here"
        )
    )
    late_report_confirmed: bool = Field(
        default=False,
        description=(
            "Báo cáo được chuyển muộn: bắt buộc khi thời điểm tiếp nhận đầu tiên cách đây hơn "
            "CASEWORK_LATE_REPORT_DAYS ngày (30) / the report was passed on late: required "
            "when the first receipt is more than CASEWORK_LATE_REPORT_DAYS days (30) ago"
        ),
    )
    reporter: ReporterIn = Field(description="Người báo tin / reporter")
    child_id: Id | None = Field(
        default=None, description="Mã trẻ đã có trong hệ thống / an existing child's id"
    )
    child: ChildCreate | None = Field(default=None, description="Trẻ mới / a new child")
    location: OptionalLine = Field(default=None, description="Nơi xảy ra / where it happened")
    description: Narrative = Field(description="Nội dung sự việc / what happened")
    harm_forms: list[HarmForm] = Field(
        min_length=1, max_length=10, description="Hình thức xâm hại (một hoặc nhiều) / forms"
    )
    setting: Setting = Field(description="Môi trường xảy ra / setting")
    perpetrator_relation: PerpetratorRelation = Field(
        default=PerpetratorRelation.unknown,
        description="Quan hệ của người bị nghi gây hại với trẻ / suspected perpetrator",
    )
    child_state: OptionalNarrative = Field(
        default=None, description="Tình trạng hiện tại của trẻ / the child's current state"
    )
    immediate_danger: bool = Field(
        description="Trẻ đang gặp nguy hiểm ngay lúc này / immediate danger"
    )

    @field_validator("harm_forms")
    @classmethod
    def _no_repeats(cls, value: list[HarmForm]) -> list[HarmForm]:
        repeated = sorted({form.value for form in value if value.count(form) > 1})
        if repeated:
            raise PydanticCustomError("duplicate_items", "repeated", {"value": repeated[0]})
        return value


class IntakeReceipt(BaseModel):
    """What a reporter who may not read cases (a collaborator, an agency) gets back: that
    the report was received, and nothing about the child or any case."""

    report_id: int
    received: bool = True


class IntakeResult(BaseModel):
    case_code: str = Field(description="Mã hồ sơ / case code")
    child_id: int
    report_id: int
    case_opened: bool = Field(description="True: hồ sơ mới; False: gộp vào hồ sơ đang mở")
    is_emergency: bool
    possible_duplicates: list[ChildSummary] = Field(
        description="Trẻ có thể trùng (cùng tên, năm sinh, thôn) / possible duplicates"
    )
