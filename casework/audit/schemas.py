"""The audit log as the auditor's API shows it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel


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
