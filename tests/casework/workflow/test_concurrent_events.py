"""Two people act on one case at the same moment: one wins, the other is told, nothing half-done."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from casework.accounts.models import Role, User
from casework.actors import Actor
from casework.cases import flow
from casework.cases.events import EventPayload
from casework.cases.models import CaseEvent
from casework.db import UnitOfWork, run_in_transaction
from casework.errors import CaseworkError
from casework.intake import service as intake_service
from casework.intake.schemas import IntakeCreate
from tests.factories.communes import create_commune
from tests.factories.intakes import intake_payload

TZ = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.fixture
def case_and_actor(live_factory, now):
    with UnitOfWork(live_factory) as uow:
        create_commune(uow.session, now=now)
        uow.commit()
    data = IntakeCreate.model_validate(intake_payload())
    result = run_in_transaction(
        live_factory,
        lambda s: intake_service.submit(s, data=data, idempotency_key=None, now=now, tz=TZ),
    )
    with live_factory() as session:
        user = session.execute(sa.select(User).where(User.role == Role.caseworker)).scalars().one()
        actor = Actor(user_id=user.id, role=Role.caseworker, commune_id=user.commune_id)
    return result.body["case_code"], actor


def test_two_people_starting_the_assessment_at_once_one_wins_one_is_refused(
    live_factory, now, case_and_actor
):
    code, actor = case_and_actor
    barrier = threading.Barrier(2)

    def start(_):
        barrier.wait()
        try:
            run_in_transaction(
                live_factory,
                lambda s: flow.fire_event(
                    s,
                    actor,
                    case=flow.lock(s, code=code),
                    event="start_assessment",
                    payload=EventPayload(),
                    now=now,
                    tz=TZ,
                ),
            )
            return "won"
        except CaseworkError as refused:
            return refused.status_code

    with ThreadPoolExecutor(2) as pool:
        outcomes = sorted(pool.map(start, range(2)), key=str)
    assert outcomes == [409, "won"]
    with live_factory() as session:
        fired = session.execute(
            sa.select(sa.func.count())
            .select_from(CaseEvent)
            .where(CaseEvent.event == "start_assessment")
        ).scalar_one()
    assert fired == 1
