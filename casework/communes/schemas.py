"""What the supervisor types on the commune's calendar page."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, Field

from casework.children.schemas import STRICT
from casework.schemas_common import ShortLine


class CalendarDayIn(BaseModel):
    """A day the commune's calendar differs from the national one."""

    model_config = STRICT

    day: date = Field(description="Ngày / the day")
    day_kind: Literal["day_off", "make_up"] = Field(
        description="Ngày nghỉ của xã, hoặc ngày làm bù / a day off, or a make-up working day"
    )
    reason: ShortLine = Field(description="Lý do, ví dụ lễ hội của xã / reason")


class CalendarDayOut(BaseModel):
    """A day to take off the calendar."""

    model_config = STRICT

    day: date


class CommuneAdd(BaseModel):
    """A commune the province administrator picks from the official list."""

    model_config = STRICT

    code: str = Field(min_length=1, max_length=5, description="Mã xã, phường (5 chữ số)")
    case_prefix: str | None = Field(
        default=None, max_length=8, description="Tiền tố mã hồ sơ; trống: chữ đầu của tên"
    )
