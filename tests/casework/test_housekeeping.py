"""Rows past their purpose go: failed-login counts once their window and lockout are over,
and stored intake answers (which name the child) once a client can no longer retry."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from casework import background
from casework.accounts import service as account_service
from casework.accounts.models import EndedSession, LoginThrottle, User
from casework.intake.models import IdempotencyRecord
from tests.conftest import make_test_settings
from tests.factories.communes import create_commune
from tests.factories.intakes import intake_payload

SETTINGS = make_test_settings(login_lockout_minutes=15, idempotency_hours=24)


def housekeeping(session_factory, clock):
    [tick] = [
        t
        for t in background.jobs(session_factory, SETTINGS, clock, timers=True, outbox=False).ticks
        if t.name == "housekeeping"
    ]
    return tick.job


def keys(session, model, column):
    session.expire_all()
    return set(session.execute(sa.select(column)).scalars())


def test_failed_login_counts_are_forgotten_when_their_window_and_lockout_are_over(
    session, session_factory, clock, now
):
    session.add_all(
        [
            LoginThrottle(key="user:old", failures=2, window_started_at=now - timedelta(hours=1)),
            LoginThrottle(key="user:recent", failures=2, window_started_at=now),
            LoginThrottle(
                key="ip:still-locked",
                failures=0,
                window_started_at=now - timedelta(hours=1),
                locked_until=now + timedelta(minutes=5),
            ),
            LoginThrottle(
                key="ip:lock-over",
                failures=0,
                window_started_at=now - timedelta(hours=1),
                locked_until=now - timedelta(minutes=1),
            ),
        ]
    )
    session.commit()

    assert housekeeping(session_factory, clock)() is False  # nothing more to do this tick

    assert keys(session, LoginThrottle, LoginThrottle.key) == {"user:recent", "ip:still-locked"}


def test_stored_intake_answers_naming_the_child_go_after_a_day(
    session, session_factory, client, clock, now, act_as
):
    create_commune(session, now=now)
    session.commit()
    act_as("td.caseworker")
    answer = client.post(
        "/api/v1/intakes", json=intake_payload(), headers={"Idempotency-Key": "111-call-1"}
    )
    assert answer.status_code == 201
    job = housekeeping(session_factory, clock)

    clock.set(now + timedelta(hours=23))
    job()
    assert keys(session, IdempotencyRecord, IdempotencyRecord.key) == {"111-call-1"}

    clock.set(now + timedelta(hours=24, minutes=1))
    job()
    assert keys(session, IdempotencyRecord, IdempotencyRecord.key) == set()


def test_a_logout_is_remembered_only_while_its_cookie_could_still_be_accepted(
    session, session_factory, clock, now
):
    create_commune(session, now=now)
    user = session.execute(sa.select(User)).scalars().first()
    idle = timedelta(minutes=SETTINGS.session_idle_minutes)
    account_service.end_browser_session(session, user_id=user.id, sid="s1", now=now, idle=idle)
    session.commit()
    job = housekeeping(session_factory, clock)

    clock.set(now + idle)  # a copy of the cookie signed just before logging out is still good
    job()
    assert len(keys(session, EndedSession, EndedSession.id)) == 1

    clock.set(now + idle + timedelta(minutes=6))  # now it has expired by itself
    job()
    assert keys(session, EndedSession, EndedSession.id) == set()


@pytest.mark.parametrize(("timers", "outbox"), [(True, False), (False, True), (True, True)])
def test_every_process_that_ticks_keeps_house(session_factory, clock, timers, outbox):
    names = [
        t.name
        for t in background.jobs(
            session_factory, SETTINGS, clock, timers=timers, outbox=outbox
        ).ticks
    ]
    assert names.count("housekeeping") == 1
