"""The loop on the workflow engine: ``data_cleaning.yaml`` decides each step and its clocks.

Each loop is a workflow instance (``casework.processes``): its state moves by the
instance's compare-and-set, and the clocks it arms, meets and cancels are the engine's own
deadline, timer and escalation rows, so the one claim loop, ladder runner and supervisor's
queue serve this process too (``casework.registry.cleaning.process`` is its handler).
"""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

from sqlmodel import Session

from casework.cases import workflow
from casework.communes import service as commune_service
from casework.processes import service as instances
from casework.processes.models import WorkflowInstance
from casework.registry.cleaning.models import CleaningLoop, CleaningState
from workflows.definition import Definition
from workflows.engine import Engine

NAME = "data_cleaning"
SUBJECT = "cleaning_loop"


def definition() -> Definition:
    """The newest version: what new loops start under."""
    return workflow.latest(NAME)


@lru_cache(maxsize=4)
def engine_for(version: int) -> Engine:
    return Engine(workflow.definitions()[(NAME, version)], {})


def opened(session: Session, *, loop: CleaningLoop, now: datetime, tz: ZoneInfo) -> None:
    """A new loop enters its first step: its instance starts, and the step's clock."""
    calendar = commune_service.working_calendar(session, commune_id=loop.commune_id, tz=tz)
    instance = instances.start(
        session,
        definition=NAME,
        commune_id=loop.commune_id,
        subject_kind=SUBJECT,
        subject_id=loop.id,
        now=now,
        tz=tz,
        calendar=calendar,
    )
    loop.instance_id = instance.id
    session.flush()


def fire(session: Session, *, loop: CleaningLoop, event: str, now: datetime, tz: ZoneInfo) -> None:
    """Move the loop on by ``event``: the step's clock is met, the next one armed."""
    assert loop.instance_id is not None
    instance = session.get_one(WorkflowInstance, loop.instance_id)
    step = instances.fire(
        session,
        instance_id=loop.instance_id,
        event=event,
        expected_state=str(loop.state),
        expected_version=instance.version,
        now=now,
        tz=tz,
        calendar=commune_service.working_calendar(session, commune_id=loop.commune_id, tz=tz),
    )
    loop.state = CleaningState(step.dest)
    session.flush()
