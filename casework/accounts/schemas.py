"""What the account pages take in."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

from casework.accounts.models import NotifyVia


class NotificationPreferences(BaseModel):
    """How a person hears about their work: by e-mail, SMS or both, and in which language."""

    model_config = ConfigDict(extra="ignore")

    notify_via: NotifyVia
    language: Literal["vi", "en"]
