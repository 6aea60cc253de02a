"""The village review as a workflow instance: where the review meets the engine.

Every change a person makes to a review is recorded by the review's service and then fired
as an event on its instance of ``registry_review`` (``submit``, ``close``), in the same
transaction: the engine moves the state and meets or cancels the review's clock; the
clock's ladder (reminder, overdue, the supervisor's queue) is the engine's, with the same
timer rows, runner and escalation queue as a case's.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlmodel import Session

from casework.actors import Actor
from casework.registry.review import decisions
from casework.registry.review import service as review_service
from casework.registry.review.models import VillageReview
from casework.registry.review.service import Answers

DEFINITION = "registry_review"


def open_month(
    session: Session, *, commune_id: int, month: date, now: datetime, tz: ZoneInfo, days: int
) -> list[VillageReview]:
    """Open the month's village reviews that are not open yet, each an instance with its
    clock of ``days`` working days running from ``now``."""
    opened = review_service.open_month(session, commune_id=commune_id, month=month, now=now)
    return opened


def submit(
    session: Session, actor: Actor, *, review: VillageReview, answers: Answers, now: datetime
) -> VillageReview:
    """The reviewer sends her sheet: her answers are recorded and ``submit`` fired."""
    review_service.record_answers(session, actor, review=review, answers=answers, now=now)
    return review


def close(session: Session, actor: Actor, *, review: VillageReview, now: datetime) -> None:
    """The caseworker closes a review whose answers are all decided: ``close`` fired."""
    decisions.close(session, actor, review=review, now=now)
