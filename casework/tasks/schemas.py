"""What an agency sends when it accepts, declines or completes a task."""

from __future__ import annotations

from pydantic import BaseModel, Field

from casework.children.schemas import STRICT
from casework.schemas_common import Narrative


class Decline(BaseModel):
    model_config = STRICT

    reason: Narrative = Field(description="Vì sao không thực hiện được / why not (required)")


class Complete(BaseModel):
    model_config = STRICT

    outcome: Narrative = Field(description="Kết quả thực hiện / outcome")


class TaskActionResult(BaseModel):
    task_id: int
    status: str
    case_code: str
