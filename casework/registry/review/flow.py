"""The village review as a workflow instance: where the review meets the engine.

How the month's reviews open: the background tick (``casework.registry.review.tasks``,
beside the timer and outbox ticks) asks ``communes_due`` which communes have reached the
first working day of the month on their own calendar (Vietnamese holidays, Tết, the
commune's days off and make-up days) with a village still without its review, and opens
them through ``open_month``, which starts each review's instance on the engine. Not a
recurring clock: a clock armed a month ahead would fix the opening day before the commune
declares its days off for that month, and the engine's clocks are deadlines with ladders
(reminders, escalations), which an opening date is not. The sweep is idempotent (one
review per village and month, a unique constraint; a second process loses the insert and
finds them open) and catches up: a server down on the first working day opens the month's
reviews when it comes back, that month.

Every change a person makes to a review is recorded by the review's service and then fired
as an event on its instance of ``registry_review`` (``submit``, ``close``), in the same
transaction: the engine moves the state and meets or cancels the review's clock; the
clock's ladder (reminder, overdue, the supervisor's queue) is the engine's, with the same
timer rows, runner and escalation queue as a case's.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlmodel import Session, select

from casework.actors import Actor
from casework.communes import service as commune_service
from casework.communes.models import Village
from casework.deadlines import service as deadline_service
from casework.deadlines.service import NewClock
from casework.processes import service as process_service
from casework.processes.models import WorkflowInstance
from casework.registry.review import decisions, process
from casework.registry.review import service as review_service
from casework.registry.review.models import VillageReview
from casework.registry.review.service import Answers
from casework.timefmt import local_date

CLOCK = "village_review"


def communes_due(session: Session, *, now: datetime, tz: ZoneInfo) -> list[tuple[int, date]]:
    """(commune, month) whose reviews should be open by now but are not all open."""
    today = local_date(now, tz)
    month = review_service.month_start(today)
    opened = select(VillageReview.village_id).where(VillageReview.month == month)
    communes = session.exec(
        select(Village.commune_id).where(Village.id.not_in(opened)).distinct()
    ).all()
    due = []
    for commune_id in sorted(communes):
        calendar = commune_service.working_calendar(session, commune_id=commune_id, tz=tz)
        if today >= review_service.first_working_day(calendar, month):
            due.append((commune_id, month))
    return due


def open_month(
    session: Session, *, commune_id: int, month: date, now: datetime, tz: ZoneInfo, days: int
) -> list[VillageReview]:
    """Open the month's village reviews that are not open yet, each an instance of
    ``registry_review`` with its clock of ``days`` working days (the commune's calendar)
    running from ``now``."""
    opened = review_service.open_month(session, commune_id=commune_id, month=month, now=now)
    if not opened:
        return opened
    calendar = commune_service.working_calendar(session, commune_id=commune_id, tz=tz)
    engine = process.ReviewProcess().engine(process.ReviewProcess().version)
    spec = engine.definition.deadlines[CLOCK]
    due_at = engine.due(spec.clock, days, now, calendar)
    clocks = []
    for review in opened:
        instance = process_service.start(
            session,
            definition=process.NAME,
            commune_id=commune_id,
            subject_kind=process.SUBJECT,
            subject_id=review.id,
            subject_key=f"{review.month:%Y-%m}",
            now=now,
            tz=tz,
            calendar=calendar,
        )
        review.instance_id = instance.id
        session.add(review)
        clocks.append(NewClock(instance.id, None, CLOCK, spec.clock, spec.ladder, now, due_at))
    session.flush()
    deadline_service.arm_many(session, engine=engine, clocks=clocks, now=now)
    return opened


def _fire(
    session: Session, *, review: VillageReview, event: str, now: datetime, tz: ZoneInfo
) -> None:
    instance = session.get_one(WorkflowInstance, review.instance_id)
    process_service.fire(
        session,
        instance_id=instance.id,
        event=event,
        expected_state=instance.state,
        expected_version=instance.version,
        now=now,
        tz=tz,
    )


def submit(
    session: Session,
    actor: Actor,
    *,
    review: VillageReview,
    answers: Answers,
    now: datetime,
    tz: ZoneInfo,
) -> VillageReview:
    """The reviewer sends her sheet: her answers are recorded and ``submit`` fired (its
    clock is met; late, if it is)."""
    review_service.record_answers(session, actor, review=review, answers=answers, now=now)
    _fire(session, review=review, event="submit", now=now, tz=tz)
    return review


def close(
    session: Session, actor: Actor, *, review: VillageReview, now: datetime, tz: ZoneInfo
) -> None:
    """The caseworker closes a review whose answers are all decided: ``close`` fired."""
    decisions.close(session, actor, review=review, now=now)
    _fire(session, review=review, event="close", now=now, tz=tz)
