"""The pure engine on the real child-protection definition: no database, no clock."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from casework.cases.workflow import engine_for
from workflows.calendar import WorkingCalendar
from workflows.effects import ArmDeadline, CancelDeadline, CreateTask, MeetDeadline
from workflows.engine import ChosenDueOutOfRange, Context, TransitionNotAllowed

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
ENGINE = engine_for("child_protection", 1)
RECEIVED = datetime(2026, 3, 2, 1, 15, tzinfo=UTC)  # Monday 08:15 in Hà Nội
NOW = RECEIVED + timedelta(minutes=30)


def ctx(now: datetime = NOW, payload: dict | None = None, **facts) -> Context:
    return Context(
        facts=facts,
        now=now,
        calendar=WorkingCalendar(HCM),
        first_received_at=RECEIVED,
        payload=payload or {},
    )


def armed(step) -> dict[str, ArmDeadline]:
    return {e.kind: e for e in step.effects if isinstance(e, ArmDeadline)}


def test_intake_arms_the_assessment_and_the_five_working_day_plan():
    step = ENGINE.open(ctx())
    assert step.dest == "received"
    deadlines = armed(step)
    assert set(deadlines) == {"initial_assessment", "plan_draft"}
    assert deadlines["initial_assessment"].due_at == RECEIVED + timedelta(hours=12)
    assert deadlines["plan_draft"].due_at.isoformat() == "2026-03-09T23:59:59+07:00"


def test_emergency_intake_runs_the_twelve_hour_clock_from_first_receipt():
    deadlines = armed(ENGINE.open(ctx(is_emergency=True)))
    assert deadlines["emergency_measures"].due_at == RECEIVED + timedelta(hours=12)
    assert deadlines["emergency_measures"].ladder == "emergency"
    assert "plan_draft" not in deadlines  # not armed until the measures are recorded


def test_emergency_measures_arm_the_plan_deadline_from_that_moment():
    later = RECEIVED + timedelta(hours=6)
    step = ENGINE.fire(
        "emergency",
        "record_emergency_measures",
        ctx(now=later, is_emergency=True, plan_to_draft=True),
    )
    assert step.dest == "planning"
    assert MeetDeadline("emergency_measures") in step.effects
    assert armed(step)["plan_draft"].starts_at == later


def test_measures_recorded_once_the_plan_is_approved_stay_and_arm_no_plan_clock():
    facts = {"is_emergency": True, "emergency_measures_due": True}
    step = ENGINE.fire("intervention", "record_emergency_measures", ctx(**facts))
    assert step.dest == "intervention"
    assert MeetDeadline("emergency_measures") in step.effects
    assert "plan_draft" not in armed(step)


def test_assessment_finding_an_emergency_goes_to_emergency_and_stops_the_plan_clock():
    step = ENGINE.fire("assessing", "complete_assessment", ctx(is_emergency=True))
    assert step.dest == "emergency"
    assert MeetDeadline("initial_assessment") in step.effects
    assert CancelDeadline("plan_draft") in step.effects
    assert armed(step)["emergency_measures"].due_at == RECEIVED + timedelta(hours=12)


def test_unsubstantiated_report_goes_to_review():
    step = ENGINE.fire("assessing", "complete_assessment", ctx(unsubstantiated=True))
    assert step.dest == "review"


def test_ordinary_assessment_goes_to_planning():
    assert ENGINE.fire("assessing", "complete_assessment", ctx()).dest == "planning"


def test_plan_cannot_be_submitted_without_a_task():
    with pytest.raises(TransitionNotAllowed) as refused:
        ENGINE.fire("planning", "submit_plan", ctx(plan_task_count=0))
    assert refused.value.reasons == ["guard_plan_without_tasks"]


def test_submitted_plan_gets_two_working_days_for_approval():
    friday = datetime(2026, 4, 24, 2, 0, tzinfo=UTC)
    step = ENGINE.fire("planning", "submit_plan", ctx(now=friday, plan_task_count=2))
    assert MeetDeadline("plan_draft") in step.effects
    # Weekend, Giỗ Tổ (Sun 26) and its day off (Mon 27): Tue 28, Wed 29.
    assert armed(step)["plan_approval"].due_at.isoformat() == "2026-04-29T23:59:59+07:00"


@pytest.mark.parametrize("role", ["caseworker", "agency_head", None])
def test_only_a_supervisor_approves_the_plan(role):
    with pytest.raises(TransitionNotAllowed) as refused:
        ENGINE.fire("awaiting_approval", "approve_plan", ctx(actor_role=role))
    assert refused.value.reasons == ["guard_supervisor_only"]
    assert ENGINE.fire("awaiting_approval", "approve_plan", ctx(actor_role="supervisor")).dest == (
        "intervention"
    )


def test_separation_review_is_due_fifteen_days_after_the_separation_started():
    started = RECEIVED + timedelta(hours=3)
    step = ENGINE.fire(
        "emergency",
        "record_separation",
        ctx(actor_role="supervisor", payload={"started_at": started}),
    )
    assert step.dest == "emergency"
    assert armed(step)["separation_review"].due_at == started + timedelta(days=15)


def test_case_cannot_close_while_a_separation_is_active():
    facts = {"actor_role": "supervisor", "review_stable": True, "close_reason": "resolved"}
    with pytest.raises(TransitionNotAllowed) as refused:
        ENGINE.fire("review", "close", ctx(separation_active=True, **facts))
    assert "guard_separation_active" in refused.value.reasons


def test_closing_needs_a_stable_review_or_an_unsubstantiated_report():
    supervisor = {"actor_role": "supervisor"}
    with pytest.raises(TransitionNotAllowed) as refused:
        ENGINE.fire(
            "review", "close", ctx(close_reason="resolved", review_stable=False, **supervisor)
        )
    assert refused.value.reasons == ["guard_close_needs_stable_review"]
    step = ENGINE.fire(
        "review", "close", ctx(close_reason="resolved", review_stable=True, **supervisor)
    )
    assert step.dest == "closed"
    unsub = ctx(close_reason="unsubstantiated", substantiated=False, **supervisor)
    assert ENGINE.fire("review", "close", unsub).dest == "closed"


def test_closing_cancels_every_running_deadline():
    step = ENGINE.fire("review", "close", ctx(actor_role="supervisor", review_stable=True))
    cancelled = {e.kind for e in step.effects if isinstance(e, CancelDeadline)}
    assert cancelled == set(ENGINE.definition.deadlines)


def test_illegal_event_lists_what_is_allowed():
    with pytest.raises(TransitionNotAllowed) as refused:
        ENGINE.fire("received", "approve_plan", ctx())
    assert refused.value.reasons == []
    assert refused.value.allowed == ["start_assessment", "transfer"]


def test_options_show_blocked_events_with_their_reason():
    options = {o.event: o for o in ENGINE.options("planning", {"plan_task_count": 0})}
    assert not options["submit_plan"].allowed
    assert options["submit_plan"].reasons == ("guard_plan_without_tasks",)
    assert options["transfer"].allowed


def test_sexual_abuse_routes_police_health_social_justice_and_school_at_intake():
    step = ENGINE.open(ctx(harm_sexual_abuse=True, enrolled=True))
    tasks = {t.agency: t for t in step.effects if isinstance(t, CreateTask)}
    assert set(tasks) == {"police", "health_station", "culture_social", "justice", "school"}
    # The clocks run from the first receipt (NĐ56: "from receiving the information").
    assert tasks["police"].acknowledge_by == RECEIVED + timedelta(hours=1)
    assert tasks["police"].due_at == RECEIVED + timedelta(hours=12)


def test_child_not_in_school_gets_no_school_task():
    step = ENGINE.open(ctx(harm_sexual_abuse=True, enrolled=False))
    assert "school" not in {t.agency for t in step.effects if isinstance(t, CreateTask)}


def test_family_violence_routes_police_health_and_womens_union():
    step = ENGINE.open(ctx(harm_violence=True, setting_family=True))
    agencies = {t.agency for t in step.effects if isinstance(t, CreateTask)}
    assert agencies == {"police", "health_station", "womens_union"}


def test_abandoned_child_routes_as_seed_001_says():
    step = ENGINE.open(ctx(harm_abandonment=True))
    kinds = {t.kind for t in step.effects if isinstance(t, CreateTask)}
    assert kinds == {
        "health.initial_care",
        "police.trace_family",
        "justice.birth_registration",
        "social.alternative_care",
    }


def test_drowning_hazard_routes_health_village_head_and_economic_office():
    step = ENGINE.open(ctx(harm_injury_drowning=True))
    agencies = {t.agency for t in step.effects if isinstance(t, CreateTask)}
    assert agencies == {"health_station", "village", "economic_office"}


def test_ladder_steps_fall_at_half_three_quarters_due_and_after_grace():
    due = RECEIVED + timedelta(hours=12)
    times = {t.step: t.fires_at for t in ENGINE.ladder("standard", RECEIVED, due)}
    assert times == {
        "remind": RECEIVED + timedelta(hours=6),
        "warn": RECEIVED + timedelta(hours=9),
        "overdue": due,
        "escalate": due + timedelta(hours=24),
    }
    emergency = {t.step: t.fires_at for t in ENGINE.ladder("emergency", RECEIVED, due)}
    assert emergency["escalate"] == due  # no grace for emergencies


def test_alternative_care_is_followed_up_after_1_and_3_months_then_every_6():
    placed = datetime(2026, 3, 10, 3, 0, tzinfo=UTC)
    step = ENGINE.fire(
        "intervention", "start_alternative_care", ctx(payload={"started_at": placed})
    )
    first = armed(step)["alternative_care_followup"]
    assert first.due_at == datetime(2026, 4, 10, 3, 0, tzinfo=UTC)
    dues = [first.due_at]
    for visit in range(1, 4):
        history = {"alternative_care_followup": (visit, dues[-1])}
        step = ENGINE.fire(
            "monitoring",
            "record_care_visit",
            Context(
                facts={"alternative_care_active": True},
                now=dues[-1],
                calendar=WorkingCalendar(HCM),
                first_received_at=RECEIVED,
                history=history,
            ),
        )
        assert MeetDeadline("alternative_care_followup") in step.effects
        dues.append(armed(step)["alternative_care_followup"].due_at)
    months = [(d.year - 2026) * 12 + d.month - 3 for d in dues]
    assert months == [1, 3, 9, 15]


def test_care_visit_needs_alternative_care():
    with pytest.raises(TransitionNotAllowed) as refused:
        ENGINE.fire("monitoring", "record_care_visit", ctx())
    assert refused.value.reasons == ["guard_no_alternative_care"]


def test_approval_arms_the_first_visit_and_the_review_on_the_dates_chosen():
    facts = {"actor_role": "supervisor"}
    payload = {"first_visit_on": date(2026, 3, 16), "review_on": date(2026, 6, 1)}
    step = ENGINE.fire("awaiting_approval", "approve_plan", ctx(payload=payload, **facts))
    deadlines = armed(step)
    assert deadlines["monitoring_visit"].due_at.isoformat() == "2026-03-16T23:59:59+07:00"
    assert deadlines["plan_review"].due_at.isoformat() == "2026-06-01T23:59:59+07:00"
    assert deadlines["plan_review"].ladder == "standard"
    with pytest.raises(ChosenDueOutOfRange) as late:
        ENGINE.fire(
            "awaiting_approval",
            "approve_plan",
            ctx(payload={"first_visit_on": date(2026, 4, 2)}, **facts),
        )
    assert (late.value.field, late.value.latest) == ("first_visit_on", date(2026, 4, 1))
    [visit, review] = ENGINE.due_choices("approve_plan", NOW, WorkingCalendar(HCM))
    assert (visit.field, visit.proposed, visit.latest) == (
        "first_visit_on", date(2026, 3, 16), date(2026, 4, 1)
    )  # fmt: skip
    assert (review.field, review.proposed) == ("review_on", date(2026, 5, 31))
