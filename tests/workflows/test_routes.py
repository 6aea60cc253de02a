"""Every form of harm reaches the agencies the law and the commune plans name, with clocks
that run from the first receipt (the pure engine on the shipped definition)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from casework.cases.workflow import engine_for, harm_fact
from casework.intake.models import HarmForm, Setting
from workflows.calendar import WorkingCalendar
from workflows.effects import ArmDeadline, CancelDeadline, CreateTask
from workflows.engine import Context

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
ENGINE = engine_for("child_protection", 1)
RECEIVED = datetime(2026, 3, 2, 1, 15, tzinfo=UTC)  # Monday 08:15 in Hà Nội


def ctx(now=RECEIVED + timedelta(minutes=30), *, payload=None, open_tasks=(), **facts) -> Context:
    return Context(
        facts=facts,
        now=now,
        calendar=WorkingCalendar(HCM),
        first_received_at=RECEIVED,
        payload=payload or {},
        open_tasks=frozenset(open_tasks),
    )


def tasks(step) -> dict[str, CreateTask]:
    return {t.agency: t for t in step.effects if isinstance(t, CreateTask)}


def report(form: HarmForm, setting: Setting, **facts: bool) -> dict[str, bool]:
    """The facts one report of ``form`` in ``setting`` gives the definition."""
    return {harm_fact(form, setting): True, f"setting_{setting}": True, **facts}


@pytest.mark.parametrize("setting", list(Setting))
@pytest.mark.parametrize("form", list(HarmForm))
def test_every_form_of_harm_reaches_an_agency_in_every_setting(form, setting):
    """Even for a child in no school and no known village: someone is told at once."""
    assert tasks(ENGINE.open(ctx(**report(form, setting))))


@pytest.mark.parametrize(
    ("form", "setting", "agencies"),
    [
        (HarmForm.trafficking, Setting.community, {"police", "justice", "culture_social"}),
        (HarmForm.violence, Setting.school, {"school", "police", "health_station"}),
        (HarmForm.violence, Setting.community, {"police", "health_station", "culture_social"}),
        (HarmForm.exploitation, Setting.workplace, {"police", "culture_social"}),
        (HarmForm.child_marriage, Setting.family, {"justice", "womens_union", "police"}),
        (HarmForm.online_abuse, Setting.online, {"police", "school"}),
        (HarmForm.dropout_risk, Setting.school, {"school", "village", "culture_social"}),
        (
            HarmForm.abandonment_neglect,
            Setting.family,
            {"culture_social", "womens_union", "village"},
        ),
        (HarmForm.other, Setting.other, {"culture_social"}),
    ],
)
def test_each_form_of_harm_goes_to_the_agencies_whose_duty_it_is(form, setting, agencies):
    assert set(tasks(ENGINE.open(ctx(**report(form, setting, enrolled=True))))) == agencies


def test_a_child_found_abandoned_gets_the_seed_001_steps_and_a_neglected_one_does_not():
    found = tasks(ENGINE.open(ctx(**report(HarmForm.abandonment_neglect, Setting.community))))
    assert found["justice"].kind == "justice.birth_registration"
    neglected = tasks(ENGINE.open(ctx(**report(HarmForm.abandonment_neglect, Setting.family))))
    assert "justice" not in neglected
    assert "health_station" not in neglected


def test_emergency_harms_are_due_in_hours_and_the_others_in_working_days():
    trafficking = tasks(ENGINE.open(ctx(**report(HarmForm.trafficking, Setting.community))))
    assert trafficking["police"].clock == "hours"
    assert trafficking["police"].due_at == RECEIVED + timedelta(hours=12)
    marriage = tasks(ENGINE.open(ctx(**report(HarmForm.child_marriage, Setting.family))))
    assert {t.clock for t in marriage.values()} == {"working_days"}
    # Three working days after Monday 2 March: Thursday 5 March, end of the day.
    assert marriage["justice"].due_at.isoformat() == "2026-03-05T23:59:59+07:00"


def test_a_111_call_entered_ten_hours_late_leaves_the_police_two_hours_not_twelve():
    entered = RECEIVED + timedelta(hours=10)
    police = tasks(ENGINE.open(ctx(entered, harm_violence=True, setting_family=True)))["police"]
    assert police.starts_at == RECEIVED
    assert police.due_at - entered == timedelta(hours=2)
    assert police.acknowledge_by == RECEIVED + timedelta(hours=2)  # already past


def test_two_routes_naming_the_same_task_give_it_once():
    step = ENGINE.open(ctx(harm_sexual_abuse=True, harm_violence=True, setting_family=True))
    kinds = [t.kind for t in step.effects if isinstance(t, CreateTask)]
    assert kinds.count("health.examine") == 1
    assert {"police.crime_report", "police.verify"} <= set(kinds)


def test_a_later_report_routes_its_new_forms_from_its_own_receipt():
    later = RECEIVED + timedelta(days=3)
    step = ENGINE.react(
        "report_added",
        "planning",
        ctx(
            later + timedelta(hours=1),
            payload={"first_received_at": later},
            open_tasks={"police.verify"},
            harm_trafficking=True,
            setting_community=True,
        ),
    )
    routed = tasks(step)
    assert set(routed) == {"police", "justice", "culture_social"}
    assert routed["police"].starts_at == later
    assert routed["police"].due_at == later + timedelta(hours=12)


def test_a_later_report_does_not_repeat_a_task_the_case_has_open():
    step = ENGINE.react(
        "report_added",
        "intervention",
        ctx(
            payload={"first_received_at": RECEIVED},
            open_tasks={"police.verify", "health.examine"},
            harm_violence=True,
            setting_community=True,
        ),
    )
    assert {t.kind for t in step.effects if isinstance(t, CreateTask)} == {"social.psychosocial"}


def test_becoming_an_emergency_through_a_later_report_stops_the_plan_clock():
    later = RECEIVED + timedelta(days=1)
    step = ENGINE.react("became_emergency", "assessing", ctx(payload={"first_received_at": later}))
    assert CancelDeadline("plan_draft") in step.effects
    armed = {e.kind: e for e in step.effects if isinstance(e, ArmDeadline)}
    assert armed["emergency_measures"].due_at == later + timedelta(hours=12)


def test_a_clock_armed_after_its_steps_fell_due_goes_straight_to_the_step_due_now():
    due = RECEIVED + timedelta(hours=12)
    late = RECEIVED + timedelta(days=14)
    assert [t.step for t in ENGINE.ladder_from("standard", RECEIVED, due, late)] == ["escalate"]
    at_warn = RECEIVED + timedelta(hours=10)
    steps = ENGINE.ladder_from("standard", RECEIVED, due, at_warn)
    assert [(t.step, t.fires_at) for t in steps] == [
        ("warn", RECEIVED + timedelta(hours=9)),
        ("overdue", due),
        ("escalate", due + timedelta(hours=24)),
    ]
    on_time = ENGINE.ladder_from("standard", RECEIVED, due, RECEIVED)
    assert on_time == ENGINE.ladder("standard", RECEIVED, due)
