"""The payload each workflow event takes (validated at the edge: 422 per field)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from casework.cases import consent
from casework.cases.emergency import (
    Answer,
    EmergencyMeasure,
    InitialFindings,
    measures_unique,
)
from casework.cases.models import ProtectionCase, ProtectionLevel, RiskLevel
from casework.children.schemas import STRICT
from casework.errors import FieldError, InvalidInput
from casework.schemas_common import (
    Amount,
    Day,
    Id,
    Moment,
    MomentOrLocal,
    Narrative,
    OptionalLine,
    OptionalName,
    OptionalNarrative,
    Version,
)


class EventPayload(BaseModel):
    model_config = STRICT

    expected_version: Version | None = Field(
        default=None,
        description="Phiên bản hồ sơ đang xem; nếu người khác vừa sửa sẽ trả 409 / "
        "the case version you saw: 409 if someone changed it since",
    )
    note: OptionalNarrative = Field(default=None, description="Ghi chú / note")

    def changes(self, case: ProtectionCase) -> dict[str, Any]:
        """What this form records on the case (column: value), before the engine decides."""
        return {}

    def guard_facts(self) -> dict[str, Any]:
        """Facts the guards need that the case does not hold (e.g. the chosen close reason)."""
        return {}

    def check(
        self, *, date_of_birth: date | None, birth_year: int, today: date, now: datetime
    ) -> None:
        """Refuse (422, per field) what the form cannot do for this child, once the workflow
        has said the event may happen now."""


class CompleteAssessment(EventPayload, InitialFindings):
    """Mẫu 02: the initial risk and harm assessment, its questions (``InitialFindings``)
    then its conclusion; the conclusion must agree with the answers."""

    substantiated: bool = Field(description="Thông tin được xác minh là đúng / substantiated")
    emergency: bool = Field(description="Cần can thiệp khẩn cấp / needs emergency protection")
    risk_level: RiskLevel = Field(description="Mức độ nguy cơ / risk level")
    protection_level: ProtectionLevel | None = Field(default=None)

    @field_validator("emergency")
    @classmethod
    def _emergency_agrees(cls, emergency: bool, info: ValidationInfo) -> bool:
        if emergency and info.data.get("substantiated") is False:
            raise PydanticCustomError("emergency_unsubstantiated", "emergency but not true")
        if not emergency and info.data.get("child_safe_now") == Answer.no:
            raise PydanticCustomError("emergency_needed", "the child is not safe now")
        return emergency

    @field_validator("risk_level")
    @classmethod
    def _risk_agrees(cls, risk_level: RiskLevel, info: ValidationInfo) -> RiskLevel:
        if risk_level == RiskLevel.low and info.data.get("emergency") is True:
            raise PydanticCustomError("risk_low_in_emergency", "an emergency is not low risk")
        return risk_level

    def changes(self, case: ProtectionCase) -> dict[str, Any]:
        return {
            "risk_level": self.risk_level,
            "substantiated": self.substantiated,
            "is_emergency": case.is_emergency or self.emergency,
            "protection_level": self.protection_level or case.protection_level,
        }


class RecordEmergencyMeasures(EventPayload):
    """The emergency protection within 12 hours: each measure taken, by whom and when."""

    measures: Annotated[list[EmergencyMeasure], AfterValidator(measures_unique)] = Field(
        min_length=1,
        max_length=10,
        description="Các biện pháp khẩn cấp đã thực hiện / the emergency measures taken",
    )

    def check(
        self, *, date_of_birth: date | None, birth_year: int, today: date, now: datetime
    ) -> None:
        late = [
            FieldError(("measures", number, "at"), "time_in_future")
            for number, measure in enumerate(self.measures)
            if measure.at > now
        ]
        if late:
            raise InvalidInput(late)


class RecordSeparation(EventPayload):
    """Mẫu 07: the chairperson's decision to separate the child temporarily (max 15 days)."""

    started_at: Moment = Field(description="Thời điểm bắt đầu cách ly / start")
    place: OptionalName = Field(default=None, description="Nơi chăm sóc tạm thời / where")

    def changes(self, case: ProtectionCase) -> dict[str, Any]:
        return {"separation_started_at": self.started_at, "separation_ended_at": None}


class DetailedAssessment(BaseModel):
    """Mẫu 03: the detailed assessment of the child's situation, items a–h (DOMAIN.md §2,
    step 7). Each item is the caseworker's own words; none is required, but an assessment
    says something."""

    model_config = STRICT

    physical_mental: OptionalNarrative = Field(
        default=None,
        description="a) Tình trạng thể chất, tinh thần của trẻ / the child's physical and "
        "mental state",
    )
    family_capacity: OptionalNarrative = Field(
        default=None,
        description="b) Hoàn cảnh gia đình, khả năng bảo vệ của cha mẹ, người chăm sóc / the "
        "family and its capacity to protect the child",
    )
    risk_factors: OptionalNarrative = Field(
        default=None, description="c) Các yếu tố nguy cơ / risk factors"
    )
    schooling: OptionalNarrative = Field(
        default=None,
        description="d) Việc học tập, kỹ năng tự bảo vệ của trẻ / schooling and "
        "self-protection skills",
    )
    community_safety: OptionalNarrative = Field(
        default=None,
        description="đ) Mức độ an toàn của nơi ở, cộng đồng / safety of the home and community",
    )
    needs: OptionalNarrative = Field(
        default=None,
        description="e) Nhu cầu của trẻ: y tế, xã hội, giáo dục, pháp lý, tâm lý / the "
        "child's needs: health, social, education, legal, psychosocial",
    )
    child_views: OptionalNarrative = Field(
        default=None, description="g) Ý kiến của trẻ / the child's views"
    )
    caregiver_views: OptionalNarrative = Field(
        default=None,
        description="h) Ý kiến của cha mẹ, người chăm sóc (trừ khi họ là người gây tổn hại) / "
        "the parents' or caregivers' views (unless they caused the harm)",
    )

    @model_validator(mode="after")
    def _says_something(self) -> DetailedAssessment:
        if not any(getattr(self, name) for name in type(self).model_fields):
            raise PydanticCustomError("assessment_empty", "an assessment needs an item")
        return self


class EndSeparation(EventPayload):
    """The separation ends after the family's safety was assessed again (Mẫu 03)."""

    ended_at: Moment = Field(description="Thời điểm kết thúc cách ly / end")
    assessment: DetailedAssessment | None = Field(
        default=None, description="Đánh giá lại sự an toàn (Mẫu 03) / the reassessment"
    )

    def changes(self, case: ProtectionCase) -> dict[str, Any]:
        return {"separation_ended_at": self.ended_at}


class StartAlternativeCare(EventPayload):
    """The child is placed in alternative care (chăm sóc thay thế)."""

    started_at: Moment = Field(description="Ngày bắt đầu / start")
    arrangement: OptionalName = Field(
        default=None, description="Hình thức, ví dụ gia đình nhận chăm sóc / arrangement"
    )

    def changes(self, case: ProtectionCase) -> dict[str, Any]:
        return {"alternative_care_started_at": self.started_at, "alternative_care_ended_at": None}


class EndAlternativeCare(EventPayload):
    ended_at: Moment = Field(description="Ngày kết thúc / end")

    def changes(self, case: ProtectionCase) -> dict[str, Any]:
        return {"alternative_care_ended_at": self.ended_at}


class PlanTask(BaseModel):
    model_config = STRICT

    agency_id: Id = Field(description="Cơ quan thực hiện / responsible agency")
    title: Narrative = Field(max_length=200, description="Hoạt động / activity")
    starts_at: Moment = Field(description="Bắt đầu / start")
    due_at: Moment = Field(description="Dự kiến kết thúc / expected end")
    cost_vnd: Amount | None = Field(default=None, description="Kinh phí (đồng) / cost")

    @field_validator("due_at")
    @classmethod
    def _end_after_start(cls, due_at: datetime, info: ValidationInfo) -> datetime:
        starts_at = info.data.get("starts_at")
        if starts_at is not None and due_at <= starts_at:
            raise PydanticCustomError("end_before_start", "due_at must be after starts_at")
        return due_at


class SubmitPlan(EventPayload):
    """Mẫu 04: the support and intervention plan, with its tasks, drawn up from the detailed
    assessment (Mẫu 03) and the case conference."""

    assessment: DetailedAssessment | None = Field(
        default=None, description="Đánh giá nguy cơ cụ thể (Mẫu 03) / detailed assessment"
    )
    tasks: list[PlanTask] = Field(default_factory=list, max_length=50)
    conference_minutes: OptionalNarrative = Field(
        default=None, description="Biên bản họp liên ngành / case-conference minutes"
    )


class ApprovePlan(EventPayload):
    """Mẫu 05: the chairperson approves the plan and says when the child is first visited
    and when the case is reviewed; each date starts a clock (left out: the workflow
    definition's default)."""

    first_visit_on: Day | None = Field(
        default=None,
        description="Ngày thăm theo dõi đầu tiên / date of the first monitoring visit",
    )
    review_on: Day | None = Field(
        default=None, description="Ngày rà soát kết quả can thiệp / review date (Mẫu 06)"
    )

    @field_validator("review_on")
    @classmethod
    def _review_after_visit(cls, review_on: date | None, info: ValidationInfo) -> date | None:
        visit = info.data.get("first_visit_on")
        if review_on is not None and visit is not None and review_on < visit:
            raise PydanticCustomError("review_before_visit", "review_on before first_visit_on")
        return review_on


class RejectPlan(EventPayload):
    reason: Narrative = Field(description="Lý do chưa phê duyệt / why not approved")


class StartReview(EventPayload):
    """Mẫu 06: the review after intervention."""

    stable: bool = Field(
        description="Trẻ không còn nguy cơ và ổn định / no further risk and stable"
    )
    score: RiskLevel | None = Field(default=None, description="Kết quả rà soát / review score")

    def changes(self, case: ProtectionCase) -> dict[str, Any]:
        return {"review_stable": self.stable}


class Close(EventPayload):
    reason: Literal["resolved", "unsubstantiated"] = Field(
        description="resolved: rà soát kết luận ổn định; unsubstantiated: thông tin không đúng"
    )

    def changes(self, case: ProtectionCase) -> dict[str, Any]:
        return {"closure_reason": self.reason}

    def guard_facts(self) -> dict[str, Any]:
        return {"close_reason": self.reason}


class Transfer(EventPayload):
    """A referral outside the commune: it needs the guardian's consent and, from age 7, the
    child's, or a legal ground (``casework.cases.consent`` checks it against the child)."""

    to: OptionalName = Field(description="Chuyển đến xã khác hoặc tỉnh / destination")
    guardian_consented: bool | None = Field(
        default=None, description="Cha mẹ/người giám hộ đồng ý chia sẻ / guardian consented"
    )
    child_consented: bool | None = Field(
        default=None, description="Trẻ từ đủ 7 tuổi đồng ý / the child (aged 7+) consented"
    )
    legal_ground: OptionalLine = Field(
        default=None, description="Căn cứ pháp lý khi không cần đồng ý / legal ground instead"
    )

    @field_validator("to")
    @classmethod
    def _destination(cls, to: str | None) -> str:
        if not to:
            raise PydanticCustomError("missing", "to is required")
        return to

    def check(
        self, *, date_of_birth: date | None, birth_year: int, today: date, now: datetime
    ) -> None:
        consent.require(
            date_of_birth=date_of_birth,
            birth_year=birth_year,
            guardian_consented=self.guardian_consented,
            child_consented=self.child_consented,
            legal_ground=self.legal_ground,
            on=today,
        )

    def changes(self, case: ProtectionCase) -> dict[str, Any]:
        return {
            "transferred_to": self.to,
            "closure_reason": "transferred",
            "consent_guardian": self.guardian_consented,
            "consent_child": self.child_consented,
            "sharing_legal_ground": self.legal_ground,
        }


class ReasonRequired(EventPayload):
    reason: Narrative = Field(description="Lý do / reason")


class Reopen(ReasonRequired):
    def changes(self, case: ProtectionCase) -> dict[str, Any]:
        return {"closed_at": None, "closure_reason": None, "review_stable": None}


class Followup(EventPayload):
    visited_at: MomentOrLocal | None = Field(default=None, description="Ngày thăm / visit time")


class MonitoringVisit(Followup):
    """A monitoring visit, and when the next one is due (left out: the definition's
    default)."""

    next_visit_on: Day | None = Field(
        default=None, description="Ngày thăm theo dõi tiếp theo / next monitoring visit"
    )


PAYLOADS: dict[str, type[EventPayload]] = {
    "complete_assessment": CompleteAssessment,
    "record_emergency_measures": RecordEmergencyMeasures,
    "record_separation": RecordSeparation,
    "end_separation": EndSeparation,
    "submit_plan": SubmitPlan,
    "approve_plan": ApprovePlan,
    "reject_plan": RejectPlan,
    "start_review": StartReview,
    "close": Close,
    "transfer": Transfer,
    "reopen": Reopen,
    "record_followup": MonitoringVisit,
    "record_care_visit": Followup,
    "start_alternative_care": StartAlternativeCare,
    "end_alternative_care": EndAlternativeCare,
}


def payload_model(event: str) -> type[EventPayload]:
    """The schema for ``event``'s payload; events without fields take only a note."""
    return PAYLOADS.get(event, EventPayload)
