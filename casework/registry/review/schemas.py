"""The review's forms as posted, judged at the edge: the reviewer's sheet, the
caseworker's decision on one answer, the quarter's close."""

from __future__ import annotations

from typing import Annotated

from annotated_types import Interval
from pydantic import BaseModel, ConfigDict, Field

from casework.children.models import CircumstanceGroup, MembershipEnd, Sex
from casework.registry.review.models import Answer, Decision
from casework.schemas_common import Id, Name, OptionalLine, Word

STRICT = ConfigDict(extra="ignore", str_strip_whitespace=True)
BirthYear = Annotated[int, Interval(ge=2000, le=2100)]
NEW_ROWS = 2  # empty rows for new children on the sheet; more after saving


class NewChildIn(BaseModel):
    """A child the reviewer proposes: only what she knows."""

    model_config = STRICT

    full_name: Name
    birth_year: BirthYear
    sex: Sex
    group: CircumstanceGroup | None = None
    note: OptionalLine = None


class ListedAnswerIn(BaseModel):
    model_config = STRICT

    answer: Answer | None = None
    note: OptionalLine = None


class ReviewSubmit(BaseModel):
    """The reviewer's sheet: ``item.<id>`` for each listed child, ``new.r<n>`` rows."""

    model_config = STRICT

    item: dict[str, ListedAnswerIn] = Field(default_factory=dict)
    new: dict[str, NewChildIn] = Field(default_factory=dict, max_length=20)


class DecisionIn(BaseModel):
    """The caseworker's word on one answer."""

    model_config = STRICT

    item_id: Id
    decision: Decision
    end_reason: MembershipEnd | None = None
    ethnicity: Word | None = None
    note: OptionalLine = None


class QuarterCloseIn(BaseModel):
    model_config = STRICT

    year: Annotated[int, Interval(ge=2000, le=2100)]
    quarter: Annotated[int, Interval(ge=1, le=4)]
    note: Annotated[str | None, Field(max_length=2000)] = None
