"""A second process on the engine, not a case: a village's monthly review of the register.
Its clock reminds, is overdue, then lands in the supervisor's queue beside the cases'
escalations: the same timer table, claim loop, ladder runner and queue; once, never early."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa

from casework.deadlines.models import Deadline, DeadlineTimer
from casework.escalations.models import Escalation
from casework.processes import service as instances
from casework.processes.generic import DefinedProcess
from casework.processes.models import WorkflowInstance
from casework.processes.registry import Described, register, unregister
from notifications.models import OutboxMessage
from workflows.check import check
from workflows.definition import load

REVIEW = Path(__file__).parent / "definitions" / "register_review.yaml"


@pytest.fixture
def review():
    process = register(
        DefinedProcess(
            [load(REVIEW)],
            describe=lambda i: Described(
                "Rà soát danh sách", f"Thôn {i.subject_id}, tháng {i.subject_key}", "/tre-em"
            ),
        )
    )
    yield process
    unregister(process.name)


def start_review(story, commune):
    with story.factory() as session:
        instance = instances.start(
            session,
            definition="register_review",
            commune_id=commune.id,
            subject_kind="village",
            subject_id=12,
            subject_key="2026-03",
            now=story.clock.now(),
            tz=story.settings.tz,
        )
        session.commit()
        return instance.id


def sent(session, step):
    rows = session.execute(
        sa.select(OutboxMessage.dedupe_key).where(OutboxMessage.kind == f"register_review.{step}")
    )
    return {key.split(":user:")[0] for key in rows.scalars()}


def queued(session, instance_id):
    return session.execute(
        sa.select(Escalation.reason, Escalation.case_id).where(
            Escalation.instance_id == instance_id
        )
    ).all()


def test_the_review_definition_passes_the_check():
    assert check(load(REVIEW), guards=(), facts=()) == []


def test_a_late_village_review_reminds_then_is_overdue_then_reaches_the_queue_once(
    story, session, commune, review, people
):
    instance_id = start_review(story, commune)
    [clock] = session.execute(
        sa.select(Deadline).where(Deadline.instance_id == instance_id)
    ).scalars()
    assert clock.case_id is None
    assert clock.kind == "review_due"
    story.pass_time(days=5, seconds=-1)  # half the ten days less a second: nothing yet
    assert sent(session, "remind") == set()
    story.pass_time(seconds=1)
    assert sent(session, "remind") == {f"deadline:{clock.id}:remind"}
    story.pass_time(days=5, seconds=-1)
    assert sent(session, "overdue") == set()
    story.pass_time(seconds=1)
    assert sent(session, "overdue") == {f"deadline:{clock.id}:overdue"}
    assert queued(session, instance_id) == []
    story.pass_time(hours=24)  # the grace day
    assert queued(session, instance_id) == [("deadline_overdue", None)]
    story.pass_time(days=3)  # nothing fires twice
    assert queued(session, instance_id) == [("deadline_overdue", None)]
    fired = session.execute(
        sa.select(DeadlineTimer.status, sa.func.count())
        .where(DeadlineTimer.deadline_id == clock.id)
        .group_by(DeadlineTimer.status)
    ).all()
    assert dict(fired) == {"fired": 3}
    page = story.client.get("/leo-thang", headers=story.auth("supervisor"))
    assert page.status_code == 200
    assert "Thôn 12, tháng 2026-03" in page.text
    assert "Rà soát danh sách" in page.text


def test_a_review_submitted_in_time_stops_its_clock_and_closes(story, session, commune, review):
    instance_id = start_review(story, commune)
    with story.factory() as s:
        step = instances.fire(
            s,
            instance_id=instance_id,
            event="submit",
            expected_state="open",
            expected_version=1,
            now=story.clock.now(),
            tz=story.settings.tz,
        )
        s.commit()
    assert step.dest == "done"
    story.pass_time(days=20)
    assert sent(session, "remind") == set()
    assert queued(session, instance_id) == []
    instance = session.get(WorkflowInstance, instance_id)
    session.refresh(instance)
    assert (instance.state, instance.version) == ("done", 2)
    assert instance.closed_at is not None


def test_an_event_on_a_review_someone_else_moved_is_refused_and_writes_nothing(
    story, session, commune, review
):
    instance_id = start_review(story, commune)
    with story.factory() as s, pytest.raises(instances.InstanceChanged):
        instances.fire(
            s,
            instance_id=instance_id,
            event="submit",
            expected_state="open",
            expected_version=2,
            now=story.clock.now(),
            tz=story.settings.tz,
        )
    instance = session.get(WorkflowInstance, instance_id)
    assert (instance.state, instance.version) == ("open", 1)
