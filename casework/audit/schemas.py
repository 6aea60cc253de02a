"""The audit log as the auditor's API shows it."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError

from casework.audit.models import AuditAction
from casework.audit.service import AuditFilter
from casework.schemas_common import Day, OptionalWord, PageNumber


class AuditEntryRead(BaseModel):
    seq: int
    at: datetime
    actor_id: int | None
    username: str | None
    role: str | None
    token_id: int | None
    action: str
    subject_type: str | None
    subject_id: str | None
    outcome: str
    ip: str | None
    user_agent: str | None
    detail: dict[str, Any]
    hash: str


class AuditSearch(BaseModel):
    """The auditor's filters on the log page (dates as days, in the commune's zone)."""

    model_config = ConfigDict(extra="ignore")

    username: OptionalWord = Field(default=None, description="Tên đăng nhập / username")
    action: AuditAction | None = None
    subject_type: OptionalWord = None
    subject_id: OptionalWord = None
    since: Day | None = Field(default=None, description="Từ ngày / from (that day included)")
    until: Day | None = Field(default=None, description="Đến ngày / to (that day included)")
    page: PageNumber = 1

    @field_validator("until")
    @classmethod
    def _after_since(cls, value: date | None, info: ValidationInfo) -> date | None:
        since = info.data.get("since")
        if value is not None and since is not None and value < since:
            raise PydanticCustomError("end_before_start", "the end is before the start")
        return value

    def filters(self, tz: ZoneInfo) -> AuditFilter:
        """The log's filter: from the start of ``since`` to the end of ``until``, local."""

        def midnight(day: date) -> datetime:
            return datetime.combine(day, time(), tzinfo=tz)

        return AuditFilter(
            username=self.username.lower() if self.username else None,
            action=self.action,
            subject_type=self.subject_type,
            subject_id=self.subject_id,
            since=midnight(self.since) if self.since else None,
            until=midnight(self.until + timedelta(days=1)) if self.until else None,
        )
