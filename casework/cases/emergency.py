"""What the two legal steps of the first 12 hours record (NĐ56 Đ24–Đ26, DOMAIN.md §2 steps
5 and 6), so neither can be saved empty.

Mẫu 02, the initial risk and harm assessment, asks its own questions before its
conclusion: what harm happened or threatens, whether the child is safe now, whether the
person causing harm can still reach the child, the child's injuries and health, whether
the parents or caregivers can protect the child. The emergency protection (can thiệp khẩn
cấp) records each measure the law names that was taken, by whom and when.
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, Field, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError

from casework.base import register_labels
from casework.children.schemas import STRICT
from casework.schemas_common import Moment, Name, Narrative, OptionalLine


class Answer(StrEnum):
    yes = "yes"
    no = "no"
    unknown = "unknown"


class MeasureKind(StrEnum):
    """Emergency measures named by Luật Trẻ em Đ50 k1 and NĐ56 Đ26, and any other."""

    safe_place = "safe_place"
    medical_care = "medical_care"
    away_from_harm = "away_from_harm"
    police_report = "police_report"
    other = "other"


register_labels(
    {
        Answer.yes: ("Có", "Yes"),
        Answer.no: ("Không", "No"),
        Answer.unknown: ("Chưa rõ", "Not known"),
    }
)
register_labels(
    {
        MeasureKind.safe_place: ("Đưa trẻ đến nơi ở an toàn", "Moved the child to a safe place"),
        MeasureKind.medical_care: ("Chăm sóc y tế, sơ cứu cho trẻ", "Medical care, first aid"),
        MeasureKind.away_from_harm: (
            "Cách ly trẻ khỏi người gây hại",
            "Kept the child away from the person causing harm",
        ),
        MeasureKind.police_report: (
            "Báo công an để ngăn chặn, xử lý hành vi",
            "Reported to the police to stop the harm",
        ),
        MeasureKind.other: ("Biện pháp khác", "Another measure"),
    }
)


class InitialFindings(BaseModel):
    """Mẫu 02's questions, answered before its conclusion (emergency or not, risk level)."""

    model_config = STRICT

    harm_found: Narrative = Field(
        description="Hành vi xâm hại, tổn hại đã xảy ra hoặc có nguy cơ xảy ra / the harm "
        "that happened or threatens"
    )
    child_safe_now: Answer = Field(description="Hiện tại trẻ có an toàn không / is the child safe")
    perpetrator_has_access: Answer = Field(
        description="Người gây tổn hại còn tiếp cận được trẻ không / can the person causing "
        "harm still reach the child"
    )
    injuries: Narrative = Field(
        description="Thương tích, tình trạng sức khỏe của trẻ / the child's injuries and health"
    )
    caregiver_can_protect: Answer = Field(
        description="Cha mẹ, người chăm sóc có khả năng bảo vệ trẻ không / can the parents "
        "or caregivers protect the child"
    )


class EmergencyMeasure(BaseModel):
    """One measure taken: which, by whom (an agency or a person) and when."""

    model_config = STRICT

    kind: MeasureKind = Field(description="Biện pháp / measure")
    description: OptionalLine = Field(
        default=None,
        validate_default=True,
        description="Mô tả cụ thể; bắt buộc với biện pháp khác / what was done (required "
        "for another measure)",
    )
    by: Name = Field(description="Ai thực hiện: cơ quan hoặc người / by whom")
    at: Moment = Field(description="Thời điểm thực hiện / when")

    @field_validator("description")
    @classmethod
    def _other_is_described(cls, description: str | None, info: ValidationInfo) -> str | None:
        if info.data.get("kind") == MeasureKind.other and not description:
            raise PydanticCustomError("measure_undescribed", "another measure needs a description")
        return description


def measures_unique(measures: list[EmergencyMeasure]) -> list[EmergencyMeasure]:
    """Each named measure once (another measure may be recorded several times)."""
    seen: set[MeasureKind] = set()
    for measure in measures:
        if measure.kind in seen and measure.kind != MeasureKind.other:
            raise PydanticCustomError(
                "duplicate_items", "measure repeated", {"value": measure.kind.value}
            )
        seen.add(measure.kind)
    return measures
