"""What the case API shows: the case, its child, reports, tasks, history and deadlines."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

from casework.agencies.models import AgencyKind
from casework.cases.models import CaseStatus, ProtectionLevel, RiskLevel, TaskStatus
from casework.children.models import Sex
from casework.children.schemas import STRICT, ChildRead
from casework.deadlines.schemas import DeadlineRead
from casework.intake.models import Channel, HarmForm, PerpetratorRelation, Setting
from casework.messaging.schemas import MessageRead
from casework.schemas_common import Narrative, OptionalNarrative

# Ids and versions fit the database's integer (a larger one is refused as input, not a 500).
DB_INT = 2**31 - 1


class WorkflowRef(BaseModel):
    name: str
    version: int


class ReporterRead(BaseModel):
    anonymous: bool
    name: str | None
    phone: str | None
    relation: str | None


class ReportRead(BaseModel):
    id: int
    channel: Channel
    first_received_at: datetime
    recorded_at: datetime
    reporter: ReporterRead
    location: str | None
    description: str
    harm_forms: list[HarmForm]
    setting: Setting
    perpetrator_relation: PerpetratorRelation
    child_state: str | None
    immediate_danger: bool
    late_report_confirmed: bool = Field(
        default=False,
        description="Báo cáo được chuyển muộn: tiếp nhận hơn CASEWORK_LATE_REPORT_DAYS ngày "
        "trước khi ghi / received long before it was recorded, confirmed as passed on late",
    )


class TaskRead(BaseModel):
    id: int
    agency_id: int
    agency_kind: AgencyKind
    agency_name: str
    assignee_id: int | None
    kind: str
    title: str
    starts_at: datetime
    due_at: datetime
    status: TaskStatus
    acknowledged_at: datetime | None
    done_at: datetime | None
    outcome_note: str | None
    cost_vnd: int | None = Field(default=None, description="Kinh phí dự kiến (Mẫu 04) / cost")


class EventRead(BaseModel):
    id: int
    at: datetime
    actor_id: int | None
    event: str
    from_status: str | None
    to_status: str | None
    payload: dict[str, Any]


class Reason(BaseModel):
    code: str
    msg_vi: str
    msg_en: str


class EventOptionRead(BaseModel):
    event: str
    allowed: bool = Field(description="Có thể thực hiện ngay / possible now")
    reasons: list[Reason] = Field(description="Vì sao chưa được / why not (guards)")


class CaseRead(BaseModel):
    """The whole case: what the commune's caseworkers and supervisor see."""

    view: Literal["full"] = "full"
    code: str = Field(description="Mã hồ sơ / case code")
    status: CaseStatus
    status_label: str = Field(description="Tên bước theo NĐ56 / the step's name")
    risk_level: RiskLevel | None
    is_emergency: bool
    protection_level: ProtectionLevel | None
    workflow: WorkflowRef
    version: int = Field(description="Số phiên bản để phát hiện sửa đồng thời / edit version")
    assigned_caseworker_id: int | None
    assigned_caseworker_name: str | None = Field(
        default=None, description="Người phụ trách / the caseworker who owns the case"
    )
    opened_at: datetime
    updated_at: datetime
    closed_at: datetime | None
    closure_reason: str | None
    child: ChildRead
    reports: list[ReportRead]
    tasks: list[TaskRead]
    events: list[EventRead]
    messages: list[MessageRead] = Field(
        default_factory=list,
        description="Thông báo đã gửi (e-mail, SMS) / notifications: to whom, channel, state",
    )
    deadlines: list[DeadlineRead] = Field(
        default_factory=list,
        description="Thời hạn của hồ sơ và các nhiệm vụ / the case's and its tasks' clocks",
    )
    allowed_events: list[EventOptionRead] = Field(
        default_factory=list,
        description="Các bước có thể thực hiện (theo người gọi) / events offered now",
    )


class CaregiverBrief(BaseModel):
    full_name: str
    relation: str
    phone: str | None = Field(description="E.164")


class ChildBrief(BaseModel):
    """What an agency's task needs to know about the child (NĐ56 Đ33: nothing more): the
    name, age and village always; the rest only where its tasks' facts include it (null
    otherwise)."""

    full_name: str
    age: int = Field(description="Tuổi / age in completed years")
    village: str | None
    sex: Sex | None = Field(default=None, description="fact child_sex")
    address: str | None = Field(default=None, description="fact child_address")
    school_name: str | None = Field(default=None, description="fact child_school")
    grade: str | None = Field(default=None, description="fact child_school")
    caregivers: list[CaregiverBrief] | None = Field(default=None, description="fact caregivers")


class AgencyReportRead(BaseModel):
    """One report as an agency's tasks need it: only the facts the workflow definition
    gives them (the others null), never the reporter."""

    first_received_at: datetime | None = Field(default=None, description="fact received_at")
    location: str | None = Field(default=None, description="fact place")
    description: str | None = Field(default=None, description="fact incident_summary")
    harm_forms: list[HarmForm] | None = Field(default=None, description="fact harm_forms")
    setting: Setting | None = Field(default=None, description="fact setting")
    perpetrator_relation: PerpetratorRelation | None = Field(
        default=None, description="fact suspected_relation"
    )
    immediate_danger: bool | None = Field(default=None, description="fact immediate_danger")
    child_state: str | None = Field(default=None, description="fact child_state")


class ContactRead(BaseModel):
    """Whom an agency calls about the case: its caseworker (or the office's caseworkers)."""

    full_name: str
    phone: str | None = Field(description="E.164")
    assigned: bool = Field(description="Phụ trách hồ sơ này / the case's own caseworker")


class AgencyCaseRead(BaseModel):
    """A case as an agency with a task on it sees it: what its tasks need (``facts``, from
    the workflow definition), whom to call, and its own tasks; no reporter, no history, no
    other agency's tasks or notes."""

    view: Literal["task"] = "task"
    code: str
    status: CaseStatus
    status_label: str
    is_emergency: bool
    child: ChildBrief
    facts: list[str] = Field(
        default_factory=list, description="Thông tin cơ quan được xem / the facts shown"
    )
    reports: list[AgencyReportRead] = Field(default_factory=list)
    contacts: list[ContactRead] = Field(
        default_factory=list, description="Người làm công tác bảo vệ trẻ em / caseworker(s)"
    )
    tasks: list[TaskRead] = Field(description="Nhiệm vụ của cơ quan bạn / your agency's tasks")
    deadlines: list[DeadlineRead] = Field(default_factory=list)


class CaseSummary(BaseModel):
    """A row of the case list; an agency sees no risk level and no child id."""

    code: str
    status: CaseStatus
    status_label: str
    risk_level: RiskLevel | None
    is_emergency: bool
    child_id: int | None
    child_name: str
    village: str | None
    opened_at: datetime
    updated_at: datetime
    assigned_caseworker_id: int | None = Field(
        default=None, description="Người phụ trách (none: chưa ai nhận) / owner"
    )
    assigned_caseworker_name: str | None = None


class HandOver(BaseModel):
    """The supervisor hands everything someone holds to a colleague (they are leaving)."""

    model_config = STRICT

    leaver_id: int = Field(ge=1, le=DB_INT, description="Người bàn giao / who hands over")
    colleague_id: int = Field(ge=1, le=DB_INT, description="Người nhận / who takes over")
    reason: Narrative = Field(description="Lý do bàn giao / why (nghỉ việc, chuyển công tác…)")


class AssignCase(BaseModel):
    """The supervisor gives the case to a caseworker (or reassigns it)."""

    model_config = STRICT

    caseworker_id: int = Field(
        ge=1, le=DB_INT, description="Người phụ trách mới / the new caseworker's user id"
    )
    reason: OptionalNarrative = Field(default=None, description="Lý do / reason")
    expected_version: int = Field(
        ge=1,
        le=DB_INT,
        description="Phiên bản hồ sơ đang xem; nếu người khác vừa sửa sẽ trả 409 / "
        "the case version you saw: 409 if someone changed it since",
    )


class TakeCase(BaseModel):
    """A caseworker takes a case nobody has yet."""

    model_config = STRICT

    expected_version: int | None = Field(
        default=None,
        ge=1,
        le=DB_INT,
        description="Phiên bản hồ sơ đang xem, nếu muốn kiểm tra / the case version you saw "
        "(optional; 409 if stale). Someone else taking the case first is always a 409",
    )
