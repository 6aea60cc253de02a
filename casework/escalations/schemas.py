"""The escalation queue's rows and the supervisor's actions on them."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from casework.cases.models import CaseStatus, RiskLevel
from casework.children.schemas import STRICT
from casework.escalations.models import EscalationReason, EscalationStatus
from casework.schemas_common import Id, Moment, Narrative


class UndeliveredRead(BaseModel):
    """The message that could not be delivered (reason ``message_failed``)."""

    id: int
    kind: str
    channel: str
    recipient: str = Field(description="user:<id>")
    attempts: int
    last_error: str | None


class AboutRead(BaseModel):
    """What an escalation of another process than a case is about, and where it is worked."""

    title: str = Field(description="e.g. Thôn Đồng Tâm — tháng 03/2026")
    url: str = Field(description="The page where it is worked, e.g. /ra-soat/12")


class EscalationRead(BaseModel):
    id: int
    process: str = Field(
        description="Quy trình / the workflow definition: child_protection (a case), "
        "registry_review (a village's monthly review), data_cleaning (Đề án 06) …"
    )
    case_code: str | None = Field(description="The case's code (null for another process)")
    about: AboutRead | None = Field(
        default=None, description="For another process than a case: what it is, where"
    )
    reason: EscalationReason
    reason_label: str
    status: EscalationStatus
    is_emergency: bool
    risk_level: RiskLevel | None
    case_status: CaseStatus | None
    deadline_kind: str | None
    due_at: datetime | None
    overdue_hours: float | None = Field(description="Giờ đã quá hạn (âm: còn lại)")
    task_id: int | None
    task_title: str | None
    agency_id: int | None
    decline_reason: str | None = Field(
        default=None, description="Lý do cơ quan không thực hiện được / why the agency declined"
    )
    created_at: datetime
    acknowledged_by_id: int | None
    message: UndeliveredRead | None = Field(
        default=None, description="Thông báo không gửi được / the undelivered message"
    )


class Reassign(BaseModel):
    model_config = STRICT

    agency_id: Id = Field(description="Cơ quan nhận lại nhiệm vụ / the agency to take the task")
    reason: Narrative = Field(description="Lý do / reason")


class Extend(BaseModel):
    model_config = STRICT

    due_at: Moment = Field(description="Hạn mới / new deadline")
    reason: Narrative = Field(description="Lý do gia hạn (bắt buộc) / reason (required)")


class Settle(BaseModel):
    model_config = STRICT

    reason: Narrative = Field(
        description="Đã báo cho cơ quan bằng cách nào (bắt buộc) / how the agency was told"
    )


class Resent(BaseModel):
    queued: int = Field(description="Số tin được gửi lại / messages queued again")
