"""A workflow definition as data: the YAML file parsed into typed, validated parts.

Structure errors (a missing field, a wrong type) are caught here; meaning errors (an
unknown state, an unreachable state, a guard nobody wrote) by ``workflows.check``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

DEFINITIONS_DIR = Path(__file__).resolve().parent / "definitions"

Clock = Literal["hours", "days", "working_days", "months"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Label(_Strict):
    vi: str
    en: str


class StateSpec(Label):
    final: bool = False


class TransitionSpec(_Strict):
    """One row of an event: taken from any ``from`` state when every ``when`` fact holds."""

    event: str
    sources: tuple[str, ...] = Field(alias="from")
    dest: str | None = Field(default=None, alias="to", description="None: stay in the state")
    when: tuple[str, ...] = ()
    guards: tuple[str, ...] = ()

    @field_validator("sources", mode="before")
    @classmethod
    def _one_or_many(cls, value: object) -> object:
        return (value,) if isinstance(value, str) else value


class LadderStep(_Strict):
    step: str
    at: float = Field(ge=0, le=1, description="Share of the allowed time gone")
    grace_hours: float = Field(default=0, ge=0)
    notify: tuple[Literal["assignee", "agency_head", "caseworker", "supervisor"], ...] = ()
    escalate: bool = False


class OnDueTask(_Strict):
    agency: str
    kind: str
    title: str
    due_hours: float = Field(gt=0)


def _known_start(value: str) -> str:
    if value not in {"first_received_at", "event"} and not value.startswith("payload."):
        raise ValueError("start must be first_received_at, event or payload.<field>")
    return value


class DeadlineSpec(_Strict):
    label: Label
    clock: Clock
    duration: int = Field(gt=0)
    start: str = Field(description="first_received_at, event, or payload.<field>")
    ladder: str | None = None
    met_by: tuple[str, ...] = ()
    on_due_task: OnDueTask | None = None
    schedule: tuple[int, ...] = Field(
        default=(),
        description="Recurring clocks: the gap before each occurrence (the last repeats), "
        "counted from the previous occurrence's due time; replaces duration",
    )

    @field_validator("start")
    @classmethod
    def _start(cls, value: str) -> str:
        return _known_start(value)


class Conditional(_Strict):
    when: tuple[str, ...] = ()
    unless: tuple[str, ...] = ()

    @field_validator("when", "unless", mode="before")
    @classmethod
    def _one_or_many(cls, value: object) -> object:
        return (value,) if isinstance(value, str) else value


class ArmRule(Conditional):
    deadline: str
    start: str | None = Field(default=None, description="Overrides the deadline's start")
    duration: int | None = Field(
        default=None, gt=0, description="Overrides the deadline's duration (its default)"
    )
    due: str | None = Field(
        default=None,
        description="payload.<field>: a date the person chose; the clock is due at the end "
        "of that day instead of after its duration",
    )
    within_days: int | None = Field(
        default=None,
        gt=0,
        description="The chosen date must fall between the event's day and this many days after it",
    )

    @field_validator("due")
    @classmethod
    def _chosen_in_payload(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith("payload."):
            raise ValueError("due must be payload.<field>")
        return value

    @property
    def chosen_field(self) -> str | None:
        """The payload field holding the chosen due date, if the person may choose one."""
        return self.due.removeprefix("payload.") if self.due else None


class CancelRule(Conditional):
    deadline: str


class RouteRule(_Strict):
    """A happening that routes tasks as entering a state would (a later report's new forms
    of harm get the tasks a new case would)."""

    tasks_of: str = Field(description="The state whose routes apply")
    start: str | None = Field(default=None, description="Overrides tasks.start")

    @field_validator("start")
    @classmethod
    def _start(cls, value: str | None) -> str | None:
        return None if value is None else _known_start(value)


class EventEffects(_Strict):
    arm: tuple[ArmRule, ...] = ()
    cancel: tuple[CancelRule, ...] = ()
    activate_planned_tasks: bool = False
    route: RouteRule | None = None


class TaskSpec(Conditional):
    agency: str
    kind: str
    title: str
    ack_hours: float = Field(gt=0)
    due_hours: float | None = Field(default=None, gt=0)
    due_working_days: int | None = Field(default=None, gt=0)

    @model_validator(mode="after")
    def _one_due(self) -> TaskSpec:
        if (self.due_hours is None) == (self.due_working_days is None):
            raise ValueError("give exactly one of due_hours and due_working_days")
        return self


class TaskRoute(Conditional):
    on_enter: str
    tasks: tuple[TaskSpec, ...]


class TaskRules(_Strict):
    acknowledge_ladder: str
    due_ladder: str
    emergency_ladder: str
    plan_ack_hours: float = Field(default=24, gt=0, description="To accept an approved task")
    start: str = Field(
        default="event",
        description="Where a routed task's clocks start: first_received_at (the earliest "
        "receipt in the chain), event, or payload.<field>",
    )
    routes: tuple[TaskRoute, ...] = ()

    @field_validator("start")
    @classmethod
    def _start(cls, value: str) -> str:
        return _known_start(value)


class AgencyFacts(_Strict):
    """What of a case an agency sees for its task (need-to-know, NĐ56 Đ33), by task kind;
    a kind not listed falls back to its agency's row, so a newly routed kind is covered."""

    by_task_kind: dict[str, tuple[str, ...]] = {}
    by_agency: dict[str, tuple[str, ...]] = {}

    def for_task(self, *, kind: str, agency: str) -> tuple[str, ...]:
        if kind in self.by_task_kind:
            return self.by_task_kind[kind]
        return self.by_agency.get(agency, ())

    def covers(self, *, kind: str, agency: str) -> bool:
        return kind in self.by_task_kind or agency in self.by_agency


class Definition(_Strict):
    name: str
    version: int = Field(ge=1)
    title: Label
    initial: str
    states: dict[str, StateSpec]
    transitions: tuple[TransitionSpec, ...]
    ladders: dict[str, tuple[LadderStep, ...]]
    deadlines: dict[str, DeadlineSpec]
    signals: tuple[str, ...] = Field(
        default=(), description="Happenings that are not events but arm deadlines"
    )
    arming: dict[str, EventEffects] = {}
    tasks: TaskRules | None = Field(default=None, description="None: no agency tasks")
    agency_facts: AgencyFacts = AgencyFacts()

    @property
    def events(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(t.event for t in self.transitions))


class DefinitionError(ValueError):
    """The file is not a workflow definition; the message says where and why."""


def load(path: Path) -> Definition:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise DefinitionError(f"{path}: {exc}") from exc
    try:
        return Definition.model_validate(raw)
    except ValueError as exc:
        raise DefinitionError(f"{path}: {exc}") from exc


def load_all(directory: Path = DEFINITIONS_DIR) -> dict[tuple[str, int], Definition]:
    """Every definition shipped, by (name, version): running cases keep their version."""
    found = {}
    for path in sorted(directory.glob("*.yaml")):
        definition = load(path)
        found[(definition.name, definition.version)] = definition
    return found
