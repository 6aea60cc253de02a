"""The loop on the workflow engine: ``data_cleaning.yaml`` decides each step and its clocks.

The engine is pure (it returns a ``Step``); the clocks it arms, meets and cancels are the
engine's own deadline, timer and escalation rows, pointed at the loop's workflow instance,
so the one claim loop, ladder runner and supervisor's queue serve this process too.
"""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

from sqlmodel import Session

from casework.cases import workflow
from casework.communes import service as commune_service
from casework.registry.cleaning.models import CleaningLoop, CleaningState
from workflows.definition import Definition
from workflows.effects import Step
from workflows.engine import Context, Engine

NAME = "data_cleaning"


def definition() -> Definition:
    """The newest version: what new loops start under."""
    return workflow.latest(NAME)


@lru_cache(maxsize=4)
def engine_for(version: int) -> Engine:
    return Engine(workflow.definitions()[(NAME, version)], {})


def _context(session: Session, loop: CleaningLoop, *, now: datetime, tz: ZoneInfo) -> Context:
    calendar = commune_service.working_calendar(session, commune_id=loop.commune_id, tz=tz)
    return Context(facts={}, now=now, calendar=calendar, first_received_at=loop.started_at)


def _persist(session: Session, loop: CleaningLoop, step: Step, *, now: datetime) -> None:
    """The step's clocks, as the engine's rows of the loop's instance."""
    # Wired to the engine's instance service when it lands (branch i12-engine).


def opened(session: Session, *, loop: CleaningLoop, now: datetime, tz: ZoneInfo) -> None:
    """A new loop enters its first step: its clock starts."""
    engine = engine_for(loop.workflow_version)
    step = engine.open(_context(session, loop, now=now, tz=tz))
    _persist(session, loop, step, now=now)


def fire(session: Session, *, loop: CleaningLoop, event: str, now: datetime, tz: ZoneInfo) -> None:
    """Move the loop on by ``event``: the step's clock is met, the next one armed."""
    engine = engine_for(loop.workflow_version)
    step = engine.fire(loop.state, event, _context(session, loop, now=now, tz=tz))
    loop.state = CleaningState(step.dest)
    session.flush()
    _persist(session, loop, step, now=now)
