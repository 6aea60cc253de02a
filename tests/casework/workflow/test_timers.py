"""Ladder steps fire at their moment, never early, once; leaving a state silences its clocks."""

from __future__ import annotations

import sqlalchemy as sa

from casework.cases.models import CaseEvent, Task
from casework.deadlines.models import DeadlineTimer
from casework.escalations.models import Escalation
from notifications.models import OutboxMessage
from tests.factories.events import mau_02


def steps_fired(session, kind):
    events = session.execute(
        sa.select(CaseEvent).where(CaseEvent.event == "deadline_step").order_by(CaseEvent.id)
    )
    return [e.payload["step"] for e in events.scalars() if e.payload["kind"] == kind]


def messages(session, kind):
    return (
        session.execute(sa.select(OutboxMessage).where(OutboxMessage.kind == kind)).scalars().all()
    )


def test_initial_assessment_ladder_reminds_warns_and_escalates_on_time(story, session, people):
    story.intake()  # received 08:15 Monday, recorded 09:00; the assessment is due at 20:15
    story.pass_time(hours=5, minutes=14)  # 14:14: not yet half way (14:15)
    assert steps_fired(session, "initial_assessment") == []
    story.pass_time(minutes=1)  # 14:15: half the time gone
    assert steps_fired(session, "initial_assessment") == ["remind"]
    # The police's and health station's 12-hour tasks run from the same receipt and remind
    # at the same moment; the assessment's own reminder goes once.
    [remind] = [
        m
        for m in messages(session, "deadline.remind")
        if m.context["deadline_kind"] == "initial_assessment"
    ]
    assert remind.context["due_at"] == "2026-03-02T20:15:00+07:00"
    story.pass_time(hours=3)  # 17:15: three quarters
    assert steps_fired(session, "initial_assessment") == ["remind", "warn"]
    story.pass_time(hours=3)  # 20:15: due; the emergency ladder escalates with no grace
    assert steps_fired(session, "initial_assessment") == ["remind", "warn", "overdue", "escalate"]
    queue = story.client.get("/api/v1/escalations", headers=story.auth("supervisor")).json()
    assert [r["deadline_kind"] for r in queue] == ["initial_assessment"]


def test_plan_clock_escalates_a_day_after_it_was_missed(story, session):
    code = story.intake()
    story.fire(code, "start_assessment")
    story.fire(
        code, "complete_assessment", **mau_02(risk_level="low", emergency=False, substantiated=True)
    )
    story.pass_time(days=7, hours=14)  # Monday 9 March, 23:59:59 is the end of the 5th day
    assert "overdue" not in steps_fired(session, "plan_draft")
    story.pass_time(hours=1)
    assert steps_fired(session, "plan_draft")[-1] == "overdue"
    story.pass_time(hours=23)
    assert "escalate" not in steps_fired(session, "plan_draft")
    story.pass_time(hours=1, minutes=1)
    assert steps_fired(session, "plan_draft")[-1] == "escalate"


def test_a_clock_met_by_leaving_its_state_never_fires(story, session):
    code = story.intake()
    story.fire(code, "start_assessment")
    story.fire(
        code, "complete_assessment", **mau_02(risk_level="low", emergency=False, substantiated=True)
    )
    story.pass_time(hours=30)
    assert steps_fired(session, "initial_assessment") == []
    clock = next(d for d in story.case(code)["deadlines"] if d["kind"] == "initial_assessment")
    assert clock["status"] == "met"
    pending = session.execute(
        sa.select(sa.func.count())
        .select_from(DeadlineTimer)
        .where(DeadlineTimer.deadline_id == clock["id"], DeadlineTimer.status == "pending")
    ).scalar_one()
    assert pending == 0


def test_late_reminders_are_not_sent_when_the_deadline_has_already_passed(story, session):
    story.intake()
    story.pass_time(hours=13)  # every step of the 12-hour clock is due at once
    fired = session.execute(sa.select(CaseEvent).where(CaseEvent.event == "deadline_step"))
    steps = {
        e.payload["step"]: e.payload["superseded"]
        for e in fired.scalars()
        if e.payload["kind"] == "initial_assessment"
    }
    assert steps == {"remind": True, "warn": True, "overdue": False, "escalate": False}
    reminded = [m.context["deadline_kind"] for m in messages(session, "deadline.remind")]
    assert "initial_assessment" not in reminded
    assert len(messages(session, "deadline.overdue")) > 0


def counts(session):
    """Everything a ladder step writes: history, messages, escalations, tasks."""
    return {
        table.__name__: session.execute(sa.select(sa.func.count()).select_from(table)).scalar_one()
        for table in (CaseEvent, OutboxMessage, Escalation, Task)
    }


def test_firing_a_ladder_step_twice_adds_nothing(story, session):
    """Every step fired so far (reminders, superseded ones, overdue, escalations), fired
    again as if a second worker held it: no second message, history entry, escalation or
    task, whichever step it is and in whatever order the database returns them."""
    from datetime import timedelta

    from casework.deadlines.runner import fire

    story.intake()
    story.pass_time(hours=6)
    story.pass_time(hours=30)  # in one jump: some reminders are superseded by later steps
    fired = (
        session.execute(sa.select(DeadlineTimer).where(DeadlineTimer.status == "fired"))
        .scalars()
        .all()
    )
    assert len({t.step for t in fired}) >= 3
    before = counts(session)
    for timer in fired:
        session.execute(
            sa.update(DeadlineTimer)
            .where(DeadlineTimer.id == timer.id)
            .values(status="pending", claimed_by="again")
        )
        assert fire(
            session,
            timer_id=timer.id,
            worker="again",
            now=story.clock.now() + timedelta(seconds=1),
            tz=story.settings.tz,
        )
    assert counts(session) == before


def test_task_not_accepted_in_time_is_escalated_as_such(story, session):
    code = story.intake()
    story.pass_time(hours=2, minutes=1)  # police had 2 hours to accept
    story.pass_time(hours=24)
    reasons = {
        r["reason"]
        for r in story.client.get("/api/v1/escalations", headers=story.auth("supervisor")).json()
    }
    assert "task_not_accepted" in reasons
    assert code


def test_a_report_entered_14_days_late_goes_straight_to_the_step_due_now(story, session):
    """Every clock of the case and its tasks is long overdue when the report is entered:
    each says so once ("Chuyển lên hàng đợi"), not four ladder steps in the same minute,
    and nothing more fires later."""
    code = story.intake(first_received_at="2026-02-16T08:15:00+07:00")
    assert story.pass_time(minutes=1) > 0
    clocks = {
        d["id"]: d for d in story.all_deadlines(code) if d["status"] in ("running", "overdue")
    }
    assert len(clocks) >= 4  # the assessment, the plan, the tasks' acceptance and completion
    history = session.execute(
        sa.select(CaseEvent.payload).where(CaseEvent.event == "deadline_step")
    ).scalars()
    fired = [(p["deadline_id"], p["step"]) for p in history]
    assert sorted(fired) == sorted((clock_id, "escalate") for clock_id in clocks)
    assert all(d["ladder_step"] == "escalate" for d in clocks.values())
    for kind in ("deadline.remind", "deadline.warn", "deadline.overdue"):
        assert messages(session, kind) == [], kind
    queue = story.client.get("/api/v1/escalations", headers=story.auth("supervisor")).json()
    escalated = sorted((row["deadline_kind"], row["task_id"] or 0) for row in queue)
    assert escalated == sorted((d["kind"], d["task_id"] or 0) for d in clocks.values())
    assert story.pass_time(days=3) == 0  # exactly once: nothing is left to fire


def test_a_report_entered_ten_hours_late_warns_once_then_keeps_its_ladder(story, session):
    story.intake(first_received_at="2026-03-01T23:00:00+07:00")  # entered 09:00 next day
    story.pass_time(minutes=1)
    assert steps_fired(session, "initial_assessment") == ["warn"]  # 75 % gone at 08:00
    story.pass_time(hours=2)  # 11:01: the 12 hours are up
    assert steps_fired(session, "initial_assessment") == ["warn", "overdue", "escalate"]


def test_a_separation_recorded_after_its_15_days_still_asks_for_the_reassessment(story, session):
    """Entered late, the separation's clock goes straight to the queue, once, and the
    reassessment task its deadline creates when it falls due is created all the same."""
    code = story.intake(perpetrator_relation="parent")
    story.fire(code, "start_assessment")
    story.fire(code, "complete_assessment", **mau_02(risk_level="high", emergency=True))
    story.fire(code, "record_separation", as_="supervisor", started_at="2026-02-10T12:00:00+07:00")
    story.pass_time(minutes=1)
    assert steps_fired(session, "separation_review") == ["escalate"]
    kinds = [t["kind"] for t in story.case(code)["tasks"]]
    assert kinds.count("social.reassess_separation") == 1
