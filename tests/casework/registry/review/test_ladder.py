"""A late village review follows its ladder like any deadline, on the engine's own timer
rows: the reviewers are reminded half-way, told when it is overdue while the commune's
caseworker hears of it, and a working day later it is in the supervisor's queue, once;
a review sent in time stops its clock."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from sqlmodel import select

from casework.accounts.models import Role, User
from casework.deadlines.models import Deadline, DeadlineTimer
from casework.escalations.models import Escalation
from casework.processes.models import WorkflowInstance
from casework.registry.review.models import VillageReview
from casework.registry.review.tasks import review_job
from notifications.models import OutboxMessage
from tests.casework.workflow.conftest import commune, people, story  # noqa: F401
from tests.factories.browsing import browser
from tests.factories.reviews import villages

# The world's "now": Monday 2 March 2026, 09:00 in Hà Nội; five working days run to the
# end of Monday 9 March (16:59:59 UTC).
DUE = datetime(2026, 3, 9, 16, 59, 59, tzinfo=UTC)


@pytest.fixture
def place(session, commune, now):  # noqa: F811
    collaborator = User(
        commune_id=commune.id,
        username="td.ctv",
        full_name="Mông Thị Nga",
        role=Role.collaborator,
        phone="+84912000126",
        created_at=now,
    )
    session.add(collaborator)
    session.flush()
    found = villages(session, commune_id=commune.id, collaborator=collaborator, now=now)
    session.commit()
    return found


@pytest.fixture
def review(story, place, session, databases):  # noqa: F811
    review_job(story.factory, databases.settings, story.clock)()
    session.expire_all()
    return session.exec(select(VillageReview).where(VillageReview.village_id == place.own.id)).one()


def told(session, kind: str, review=None) -> set[int]:
    """Who got ``kind`` (about ``review`` only, when given)."""
    statement = select(OutboxMessage.recipient).where(OutboxMessage.kind == kind)
    if review is not None:
        statement = statement.where(OutboxMessage.subject_ref == f"review:{review.id}")
    rows = session.exec(statement)
    return {int(recipient.split(":")[1]) for recipient in rows}


def queued(session, review) -> list[tuple[str, int | None]]:
    session.expire_all()
    return session.execute(
        sa.select(Escalation.reason, Escalation.case_id).where(
            Escalation.instance_id == review.instance_id
        )
    ).all()


def test_the_review_has_its_clock_on_the_engine_due_in_five_working_days(session, review):
    [clock] = session.exec(select(Deadline).where(Deadline.instance_id == review.instance_id))
    assert (clock.kind, clock.case_id, clock.clock) == ("village_review", None, "working_days")
    assert clock.due_at.astimezone(UTC) == DUE
    instance = session.get(WorkflowInstance, review.instance_id)
    assert (instance.definition, instance.state, instance.subject_key) == (
        "registry_review",
        "open",
        "2026-03",
    )


def test_a_late_review_reminds_is_overdue_then_reaches_the_queue_once(
    story,  # noqa: F811
    session,
    place,
    review,
    commune,  # noqa: F811
):
    reviewers = {place.collaborator.id, place.head.id}
    caseworkers = set(
        session.exec(
            select(User.id).where(User.commune_id == commune.id, User.role == Role.caseworker)
        )
    )
    story.pass_time(days=3)
    assert told(session, "review.remind") == set()
    story.pass_time(days=1)  # past half the time (Friday)
    assert told(session, "review.remind", review) == reviewers  # not the other village's head
    assert place.other_head.id in told(session, "review.remind")  # who has her own
    story.clock.set(DUE)
    story.pass_time(seconds=-1)
    assert told(session, "review.overdue") == set()
    story.pass_time(seconds=1)
    assert told(session, "review.overdue", review) == reviewers
    assert told(session, "review.late", review) == caseworkers
    assert queued(session, review) == []
    story.pass_time(hours=24)
    assert queued(session, review) == [("deadline_overdue", None)]
    supervisors = set(
        session.exec(
            select(User.id).where(User.commune_id == commune.id, User.role == Role.supervisor)
        )
    )
    assert told(session, "review.escalated", review) == supervisors
    story.pass_time(days=5)
    assert queued(session, review) == [("deadline_overdue", None)]  # once
    fired = session.execute(
        sa.select(DeadlineTimer.status, sa.func.count())
        .join(Deadline, Deadline.id == DeadlineTimer.deadline_id)
        .where(Deadline.instance_id == review.instance_id)
        .group_by(DeadlineTimer.status)
    ).all()
    assert dict(fired) == {"fired": 3}
    page = story.client.get("/leo-thang", headers=story.auth("supervisor"))
    assert page.status_code == 200
    assert "Thôn Đồng Tâm — tháng 03/2026" in page.text
    assert f"/ra-soat/{review.id}" in page.text
    listed = story.client.get("/api/v1/escalations", headers=story.auth("supervisor"))
    assert listed.status_code == 200
    row = next(r for r in listed.json() if r["process"] == "registry_review")
    assert (row["case_code"], row["case_status"], row["reason"]) == (
        None, None, "deadline_overdue")  # fmt: skip
    assert row["about"] == {
        "title": "Thôn Đồng Tâm — tháng 03/2026",
        "url": f"/ra-soat/{review.id}",
    }
    assert row["overdue_hours"] > 24


def test_a_review_sent_in_time_stops_its_clock(
    story,  # noqa: F811
    session,
    place,
    review,
    client,
    browser_for,
):
    items = session.exec(
        select(sa.text("id"))
        .select_from(sa.table("review_item"))
        .where(sa.column("review_id") == review.id)
    ).all()
    fields = {f"item.c{item_id}.answer": "still" for item_id in items}
    sent = browser(client, browser_for, place.collaborator).post(
        f"/ra-soat-thon/{review.id}", fields
    )
    assert sent.status_code == 303, sent.text
    story.pass_time(days=20)
    assert told(session, "review.remind", review) == set()
    assert queued(session, review) == []
    session.expire_all()
    [clock] = session.exec(select(Deadline).where(Deadline.instance_id == review.instance_id))
    assert clock.status == "met"
    assert session.get(WorkflowInstance, review.instance_id).state == "submitted"
