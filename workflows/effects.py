"""What firing an event asks the outside world to do. The engine only returns these;
the service layer persists them in the same transaction as the state change."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class ArmDeadline:
    kind: str
    starts_at: datetime
    due_at: datetime
    ladder: str | None


@dataclass(frozen=True)
class MeetDeadline:
    kind: str


@dataclass(frozen=True)
class CancelDeadline:
    kind: str


@dataclass(frozen=True)
class CreateTask:
    """A task for an agency: accept between ``starts_at`` and ``acknowledge_by``, done by
    ``due_at``, counted on ``clock`` (hours or working_days)."""

    agency: str
    kind: str
    title: str
    starts_at: datetime
    acknowledge_by: datetime
    due_at: datetime
    clock: str = "hours"


@dataclass(frozen=True)
class ActivatePlannedTasks:
    """The approved plan's tasks go to their agencies."""


Effect = ArmDeadline | MeetDeadline | CancelDeadline | CreateTask | ActivatePlannedTasks


@dataclass(frozen=True)
class Step:
    """The result of firing one event: where the subject goes and what must happen."""

    event: str
    source: str | None
    dest: str
    effects: tuple[Effect, ...]
