"""Which code acts for which workflow definition: a small registry, definition name ->
process handler.

The claim loop (``casework.deadlines.runner``) knows nothing of cases or reviews: it takes
due ladder steps, asks each step's definition's handler to lock its subjects and to do
what the steps cause, and the supervisor's queue asks the handler what each escalation is
about. A new process registers one handler; it brings no timer table, claim loop, ladder
runner or queue of its own.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from sqlmodel import Session

from workflows.definition import LadderStep
from workflows.engine import Engine


@dataclass(frozen=True)
class DueStep:
    """A ladder step of one clock that fell due, for its definition's handler to act on."""

    deadline_id: int
    instance_id: int
    case_id: int | None
    task_id: int | None
    kind: str
    due_at: datetime
    ladder: tuple[LadderStep, ...]
    n: int  # the step's place in its ladder
    before: int  # the place of the last step the clock reached before this one (-1: none)
    superseded: bool  # a reminder whose moment passed while a later step is due too

    @property
    def step(self) -> LadderStep:
        return self.ladder[self.n]


@dataclass(frozen=True)
class Described:
    """What an escalation's instance is about, for the supervisor's queue: the kind of
    process, the subject in words, and the page where it is worked."""

    process: str
    title: str
    url: str


class Process(Protocol):
    """The code behind one definition (by name)."""

    name: str
    version: int  # the version new instances start under

    def engine(self, version: int) -> Engine:
        """The compiled definition an instance runs under (its own version)."""
        ...

    def lock(self, session: Session, *, instance_ids: Sequence[int]) -> Mapping[int, Any]:
        """Lock the instances' subjects (in id order, the order every writer of them locks
        first) and return, by instance id, those whose steps still apply (not closed)."""
        ...

    def apply(
        self,
        session: Session,
        *,
        steps: Sequence[DueStep],
        subjects: Mapping[int, Any],
        now: datetime,
        tz: ZoneInfo,
    ) -> None:
        """Write what the due steps cause (history, messages, escalations), set-based;
        ``subjects``: what ``lock`` returned."""
        ...

    def describe(self, session: Session, *, instance_ids: Sequence[int]) -> Mapping[int, Described]:
        """Each instance in words, with its page."""
        ...


_PROCESSES: dict[str, Process] = {}


class UnknownProcess(LookupError):
    """No handler is registered for a definition."""


def register(process: Process) -> Process:
    """Make ``process`` the handler of its definition (a second call replaces it)."""
    _PROCESSES[process.name] = process
    return process


def unregister(name: str) -> None:
    _PROCESSES.pop(name, None)


def process_for(name: str) -> Process:
    _load_builtin()
    try:
        return _PROCESSES[name]
    except KeyError:
        raise UnknownProcess(name) from None


def _load_builtin() -> None:
    """The shipped handlers register on import (the case's needs the whole app)."""
    import casework.processes.cases  # noqa: F401
    import casework.registry.cleaning.process  # noqa: F401
    import casework.reports.process  # noqa: F401
