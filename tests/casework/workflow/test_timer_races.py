"""A timer firing while someone moves the same case on; a timer whose handler keeps failing."""

from __future__ import annotations

import threading
import time
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from casework.accounts.models import Role, User
from casework.actors import Actor
from casework.cases import flow
from casework.cases.events import CompleteAssessment, EventPayload
from casework.clock import FixedClock
from casework.db import UnitOfWork, run_in_transaction
from casework.deadlines import runner
from casework.deadlines.models import CaseDeadline, DeadlineTimer
from casework.deadlines.tasks import run_due
from casework.intake import service as intake_service
from casework.intake.schemas import IntakeCreate
from tests.factories.communes import create_commune
from tests.factories.events import mau_02
from tests.factories.intakes import intake_payload

TZ = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.fixture
def assessing_case(live_factory, now):
    with UnitOfWork(live_factory) as uow:
        create_commune(uow.session, now=now)
        uow.commit()
    data = IntakeCreate.model_validate(intake_payload())
    body = run_in_transaction(
        live_factory,
        lambda s: intake_service.submit(s, data=data, idempotency_key=None, now=now, tz=TZ),
    ).body
    with live_factory() as session:
        user = session.execute(sa.select(User).where(User.role == Role.caseworker)).scalars().one()
    actor = Actor(user_id=user.id, role=Role.caseworker, commune_id=user.commune_id)
    run_in_transaction(
        live_factory,
        lambda s: flow.fire_event(
            s,
            actor,
            case=flow.lock(s, code=body["case_code"]),
            event="start_assessment",
            payload=EventPayload(),
            now=now,
            tz=TZ,
        ),
    )
    return body["case_code"], actor


def test_a_timer_firing_during_a_transition_waits_instead_of_deadlocking(
    live_factory, now, assessing_case
):
    code, actor = assessing_case
    later = now + timedelta(hours=7)  # the assessment clock's reminder is due
    with UnitOfWork(live_factory) as uow:
        claimed = runner.claim(
            uow.session, now=later, worker="w", lease=timedelta(minutes=1), limit=1000
        )
        uow.commit()
    with live_factory() as session:
        assessment_timers = set(
            session.execute(
                sa.select(DeadlineTimer.id)
                .join(CaseDeadline, CaseDeadline.id == DeadlineTimer.deadline_id)
                .where(CaseDeadline.kind == "initial_assessment", DeadlineTimer.id.in_(claimed))
            ).scalars()
        )
    assert assessment_timers
    case_locked = threading.Event()
    errors: list[BaseException] = []

    def person() -> None:
        try:
            with UnitOfWork(live_factory) as uow:
                case = flow.lock(uow.session, code=code)
                case_locked.set()
                time.sleep(0.5)  # the timer arrives meanwhile
                flow.fire_event(
                    uow.session,
                    actor,
                    case=case,
                    event="complete_assessment",
                    payload=CompleteAssessment.model_validate(mau_02(risk_level="low")),
                    now=later,
                    tz=TZ,
                )
                uow.commit()
        except BaseException as exc:
            errors.append(exc)

    def timers() -> None:
        case_locked.wait()
        try:
            for timer_id in sorted(assessment_timers):
                with UnitOfWork(live_factory) as uow:
                    runner.fire(uow.session, timer_id=timer_id, worker="w", now=later, tz=TZ)
                    uow.commit()
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=person), threading.Thread(target=timers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    with live_factory() as session:
        statuses = set(
            session.execute(
                sa.select(DeadlineTimer.status).where(DeadlineTimer.id.in_(assessment_timers))
            ).scalars()
        )
    # The person won the case lock first: the assessment was met, its timers cancelled.
    assert statuses == {"cancelled"}


def test_a_timer_whose_handler_keeps_failing_is_parked_not_retried_forever(
    live_factory, now, assessing_case, monkeypatch
):
    def broken(*_args, **_kwargs):
        raise RuntimeError("handler bug")

    monkeypatch.setattr("casework.processes.cases._step", broken)
    clock = FixedClock(now + timedelta(hours=7))
    for _attempt in range(3):
        run_due(
            live_factory,
            clock=clock,
            tz=TZ,
            worker="w",
            lease=timedelta(seconds=1),
            batch=1000,
            max_attempts=3,
        )
        clock.set(clock.now() + timedelta(seconds=2))  # the lease runs out
    with live_factory() as session:
        due = session.execute(
            sa.select(DeadlineTimer.status, DeadlineTimer.attempts).where(
                DeadlineTimer.fires_at <= now + timedelta(hours=7)
            )
        ).all()
    assert due
    assert {status for status, _ in due} == {"failed"}
    assert {attempts for _, attempts in due} == {3}
