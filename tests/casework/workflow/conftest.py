"""A commune with its people, an API client, and a way to let time pass and timers fire."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from casework.accounts.models import User
from casework.agencies.models import Agency
from casework.deadlines.tasks import run_due
from tests.factories.communes import create_commune
from tests.factories.intakes import intake_payload


@pytest.fixture
def commune(session, now):
    commune = create_commune(session, now=now)
    session.commit()
    return commune


@pytest.fixture
def people(session, commune):
    users = session.execute(sa.select(User)).scalars().all()
    return {u.username.split(".", 1)[1]: u.username for u in users}


@pytest.fixture
def agencies(session, commune):
    return {a.kind: a.id for a in session.execute(sa.select(Agency)).scalars().all()}


class Story:
    """Drive a case through the API as the people of the commune would."""

    def __init__(self, client, clock, session_factory, people, databases, headers_for):
        self.client = client
        self.headers_for = headers_for
        self.clock = clock
        self.factory = session_factory
        self.people = people
        self.settings = databases.settings

    def auth(self, who):
        """Headers acting as one of the commune's people ("caseworker", "police.officer")."""
        return self.headers_for(self.people[who])

    def intake(self, **overrides):
        response = self.client.post(
            "/api/v1/intakes", json=intake_payload(**overrides), headers=self.auth("caseworker")
        )
        assert response.status_code == 201, response.text
        return response.json()["case_code"]

    def case(self, code, as_="caseworker"):
        response = self.client.get(f"/api/v1/cases/{code}", headers=self.auth(as_))
        assert response.status_code == 200, response.text
        return response.json()

    def fire(self, code, event, as_="caseworker", expect=200, **payload):
        response = self.client.post(
            f"/api/v1/cases/{code}/events/{event}",
            json=payload,
            headers=self.auth(as_),
        )
        assert response.status_code == expect, response.text
        return response.json()

    def assign(self, code, to, as_="supervisor", expect=200):
        """The supervisor gives the case to one of the commune's people ("caseworker")."""
        with self.factory() as session:
            user_id = session.execute(
                sa.select(User.id).where(User.username == self.people[to])
            ).scalar_one()
        version = self.case(code)["version"]
        response = self.client.post(
            f"/api/v1/cases/{code}/assign",
            json={"caseworker_id": user_id, "expected_version": version},
            headers=self.auth(as_),
        )
        assert response.status_code == expect, response.text
        return response.json()

    def task_action(self, task_id, action, as_, expect=200, **body):
        response = self.client.post(
            f"/api/v1/tasks/{task_id}/{action}",
            json=body or None,
            headers=self.auth(as_),
        )
        assert response.status_code == expect, response.text
        return response.json()

    def pass_time(self, **delta):
        """Move the clock and let the timers that fell due fire, as the ticker would."""
        self.clock.set(self.clock.now() + timedelta(**delta))
        total = 0
        while True:
            result = run_due(
                self.factory,
                clock=self.clock,
                tz=self.settings.tz,
                worker="test-worker",
                lease=timedelta(seconds=60),
                batch=50,
            )
            total += result.fired
            if result.claimed < 50:
                return total

    def deadlines(self, code, task_id=None):
        return {
            d["kind"]: d
            for d in self.case(code)["deadlines"]
            if d["task_id"] == task_id and d["status"] in ("running", "overdue")
        } | {}

    def all_deadlines(self, code):
        return self.case(code)["deadlines"]


@pytest.fixture
def story(client, clock, session_factory, people, databases, headers_for):
    return Story(client, clock, session_factory, people, databases, headers_for)
