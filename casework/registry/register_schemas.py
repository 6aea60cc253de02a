"""What the register list is asked (its filters) and shows, and what a merge is sent."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator
from pydantic_core import PydanticCustomError

from casework.base import register_labels
from casework.children.models import CircumstanceGroup, Sex
from casework.children.schemas import ChildRead
from casework.registry.models import SupportKind
from casework.schemas_common import Id

AT_RISK = "at_risk"  # the group filter's value for "có nguy cơ rơi vào hoàn cảnh đặc biệt"
MAX_AGE = 25  # a register of children; a few stay listed past 18 (Luật Trẻ em Đ1: under 16)


class SupportFilter(StrEnum):
    """Has any support going on today, has none, or (by kind) one of the ``SupportKind``s."""

    any = "any"
    none = "none"


class ReviewFilter(StrEnum):
    """Where a child stands in this month's village review (``registry.review``)."""

    reviewed = "reviewed"
    not_reviewed = "not_reviewed"
    awaiting = "awaiting"


register_labels(
    {
        SupportFilter.any: ("Đang được hỗ trợ", "Receiving support"),
        SupportFilter.none: ("Chưa được hỗ trợ", "Receiving no support"),
        ReviewFilter.reviewed: ("Đã rà soát tháng này", "Reviewed this month"),
        ReviewFilter.not_reviewed: (
            "Chưa rà soát tháng này (đang thuộc nhóm hoặc có nguy cơ)",
            "Not yet reviewed this month (in a group or at risk)",
        ),
        ReviewFilter.awaiting: (
            "Thôn báo có thay đổi, chờ cán bộ xác nhận",
            "Change reported by the village, awaiting the caseworker",
        ),
    }
)


class RegisterFilter(BaseModel):
    """The register's filters (query parameters of the page and the API), all optional."""

    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)

    q: str | None = Field(
        default=None,
        max_length=120,
        description="Tên (không cần dấu) hoặc số định danh / name (diacritics optional) or id",
    )
    village: Id | None = Field(default=None, description="Mã thôn / village id")
    group: CircumstanceGroup | Literal["at_risk"] | None = Field(
        default=None,
        description="Nhóm theo Luật Trẻ em Đ10 (a…o; đ viết là dd), hoặc at_risk: có nguy cơ "
        "rơi vào hoàn cảnh đặc biệt / a group of Đ10, or at_risk",
    )
    age_min: Annotated[int, Field(ge=0, le=MAX_AGE)] | None = Field(
        default=None, description="Từ tuổi / from age (years, today in Hà Nội)"
    )
    age_max: Annotated[int, Field(ge=0, le=MAX_AGE)] | None = Field(
        default=None, description="Đến tuổi / up to age (years, included)"
    )
    support: SupportFilter | SupportKind | None = Field(
        default=None, description="any, none, or a kind of support going on today"
    )
    review: ReviewFilter | None = Field(
        default=None,
        description="Rà soát tháng này: reviewed, not_reviewed (in a group or at risk), "
        "awaiting (a change the village reported waits for the caseworker)",
    )

    @model_validator(mode="after")
    def _ages_in_order(self) -> RegisterFilter:
        if self.age_min is not None and self.age_max is not None and self.age_min > self.age_max:
            raise PydanticCustomError(
                "age_range", "age_min after age_max", {"min": self.age_min, "max": self.age_max}
            )
        return self

    @property
    def searched(self) -> bool:
        return bool(self.q)

    def query(self) -> dict[str, str]:
        """The filters as query parameters (for the pages' links), empty ones left out."""
        values = self.model_dump(mode="json", exclude_none=True)
        return {name: str(value) for name, value in values.items()}


class GroupTag(BaseModel):
    """A membership going on today: a group of Đ10, or the risk of falling into it."""

    group: CircumstanceGroup
    subgroup: str | None
    at_risk: bool
    since: date


class RegisterRow(BaseModel):
    """A child in the register list."""

    id: int
    full_name: str
    birth_year: int
    date_of_birth: date | None
    age: int
    sex: Sex
    village: str | None
    groups: list[GroupTag]
    at_risk: list[GroupTag]


# The details a person chooses between when merging, as the compare page lists them.
MERGE_FIELDS = (
    "full_name",
    "personal_id",
    "birth",
    "sex",
    "ethnicity",
    "village_id",
    "address",
    "school_name",
    "grade",
    "disability_level",
    "poverty_status",
)


class MergeIn(BaseModel):
    """Two records of one child: which to keep, and for each field that differs, whose
    value to keep (the record's id; a field left out keeps the kept record's value)."""

    model_config = ConfigDict(extra="forbid")

    keep_id: Id = Field(description="Hồ sơ trẻ được giữ lại / the record kept")
    other_id: Id = Field(description="Hồ sơ trẻ được gộp vào / the record merged into it")
    keep_version: int = Field(description="Phiên bản của hồ sơ giữ lại khi so sánh / version")
    other_version: int = Field(description="Phiên bản của hồ sơ kia khi so sánh / version")
    take: dict[str, Id] = Field(
        default_factory=dict,
        description="Trường → mã hồ sơ lấy giá trị / field → id of the record whose value wins",
    )

    @model_validator(mode="after")
    def _two_records(self) -> MergeIn:
        if self.keep_id == self.other_id:
            raise PydanticCustomError("merge_same_record", "the same record twice")
        for name, chosen in self.take.items():
            if name not in MERGE_FIELDS:
                raise PydanticCustomError(
                    "merge_field", "not a detail of the record", {"field_name": name}
                )
            if chosen not in (self.keep_id, self.other_id):
                raise PydanticCustomError(
                    "merge_choice", "a value from another record", {"field_name": name}
                )
        return self


class MergeRead(BaseModel):
    """A merge done: what moved, by table and column, and whose values were taken."""

    id: int
    kept_id: int
    merged_id: int
    moved: dict[str, list[int]]
    undone: bool


class MergeSide(BaseModel):
    """One of two records compared before a merge."""

    record: ChildRead
    version: int
    merged_into_id: int | None
    rows: dict[str, int]  # table -> rows pointing at the record (what would move)
    open_case: str | None


class MergeComparison(BaseModel):
    first: MergeSide
    second: MergeSide
    differ: list[str]  # the fields (``merge.FIELDS``) whose values differ

    @property
    def blocked(self) -> bool:
        """Two open cases: one must be closed first (one child, one open case)."""
        return bool(self.first.open_case and self.second.open_case)
