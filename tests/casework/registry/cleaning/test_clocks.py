"""Each step's clock is the engine's: a late police verification follows the ladder to the
supervisor's queue exactly once, and the verification, when it comes, settles it."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from sqlmodel import select

from casework.deadlines.models import CaseDeadline, DeadlineStatus
from casework.deadlines.tasks import run_due
from casework.escalations.models import Escalation, EscalationStatus
from casework.registry.cleaning.models import CleaningLoop

API = "/api/v1/cleaning"


def pass_days(session_factory, clock, databases, days: int) -> None:
    """Move the clock and let every timer that fell due fire, as the ticker would."""
    clock.set(clock.now() + timedelta(days=days))
    while run_due(
        session_factory,
        clock=clock,
        tz=databases.settings.tz,
        worker="test-worker",
        lease=timedelta(seconds=60),
        batch=50,
    ).claimed:
        pass


def test_a_late_police_verification_escalates_to_the_supervisors_queue_once(
    client, headers_for, session, session_factory, clock, databases, villages
):
    loop = client.post(
        API, json={"child_id": villages.minh.id}, headers=headers_for("td.caseworker")
    ).json()[0]
    client.post(f"{API}/tasks/{loop['id']}/visit", json={}, headers=headers_for("td.collaborator"))
    instance_id = session.exec(
        select(CleaningLoop.instance_id).where(CleaningLoop.id == loop["id"])
    ).one()
    clocks = session.exec(select(CaseDeadline).where(CaseDeadline.instance_id == instance_id)).all()
    assert {(c.kind, c.status) for c in clocks} == {
        ("household_visit", DeadlineStatus.met),
        ("police_verification", DeadlineStatus.running),
    }
    police_due = next(c for c in clocks if c.kind == "police_verification")
    # 5 working days from Monday 2 March: Monday 9 March; the queue a day after that.
    assert police_due.due_at.astimezone(databases.settings.tz).date().isoformat() == "2026-03-09"

    pass_days(session_factory, clock, databases, 4)
    assert session.exec(select(Escalation).where(Escalation.instance_id == instance_id)).all() == []
    pass_days(session_factory, clock, databases, 6)
    pass_days(session_factory, clock, databases, 10)
    queued = session.exec(select(Escalation).where(Escalation.instance_id == instance_id)).all()
    assert [(e.deadline_id, e.status) for e in queued] == [(police_due.id, EscalationStatus.open)]
    assert queued[0].case_id is None

    verified = client.post(
        f"{API}/tasks/{loop['id']}/verify",
        json={"personal_id": "020218000456", "date_of_birth": "2018-04-02", "sex": "male"},
        headers=headers_for("td.police.officer"),
    )
    assert verified.status_code == 200, verified.text
    session.expire_all()
    assert session.get(Escalation, queued[0].id).status == EscalationStatus.resolved
    assert session.get(CaseDeadline, police_due.id).status == DeadlineStatus.missed
    assert (
        session.exec(
            select(sa.func.count())
            .select_from(Escalation)
            .where(Escalation.instance_id == instance_id)
        ).one()
        == 1
    )
