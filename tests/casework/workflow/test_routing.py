"""Reports reach the agencies whose duty they are, at intake and later, with clocks that run
from the first receipt (through the API, as the 111 hotline and the commune use it)."""

from __future__ import annotations

from tests.factories.events import emergency_measures, mau_02


def tasks_by_kind(case) -> dict[str, dict]:
    return {t["kind"]: t for t in case["tasks"]}


def task_clock(case, task, kind):
    [clock] = [d for d in case["deadlines"] if d["task_id"] == task["id"] and d["kind"] == kind]
    return clock


def test_a_trafficking_report_reaches_police_justice_and_the_social_office(story):
    code = story.intake(harm_forms=["trafficking"], setting="community")
    case = story.case(code)
    assert {t["agency_kind"] for t in case["tasks"]} == {"police", "justice", "culture_social"}
    police = tasks_by_kind(case)["police.trafficking"]
    assert police["title"].startswith("Tiếp nhận tin báo tội phạm mua bán người")


def test_violence_at_school_reaches_the_childs_school_police_and_health_station(story):
    code = story.intake(
        harm_forms=["violence"],
        setting="school",
        perpetrator_relation="peer",
        **{"child.school_name": "Trường Tiểu học Thanh Định"},
    )
    kinds = {t["agency_kind"] for t in story.case(code)["tasks"]}
    assert kinds == {"school", "police", "health_station"}


def test_a_111_call_entered_ten_hours_late_leaves_the_police_two_hours(story):
    # The hotline took the call at 23:00; the commune enters it at 09:00 the next morning.
    code = story.intake(first_received_at="2026-03-01T23:00:00+07:00")
    police = next(t for t in story.case(code)["tasks"] if t["agency_kind"] == "police")
    assert police["due_at"] == "2026-03-02T11:00:00+07:00"  # 12 hours from the call
    clock = task_clock(story.case(code), police, "task_due")
    assert clock["starts_at"] == "2026-03-01T23:00:00+07:00"
    accept = task_clock(story.case(code), police, "task_ack")
    assert accept["due_at"] == "2026-03-02T01:00:00+07:00"  # already past when entered


def test_a_task_due_in_working_days_says_so(story):
    code = story.intake()  # violence in the family: the women's union has 5 working days
    case = story.case(code)
    union = next(t for t in case["tasks"] if t["agency_kind"] == "womens_union")
    assert task_clock(case, union, "task_due")["clock"] == "working_days"
    assert union["due_at"] == "2026-03-09T23:59:59+07:00"
    police = next(t for t in case["tasks"] if t["agency_kind"] == "police")
    assert task_clock(case, police, "task_due")["clock"] == "hours"
    assert task_clock(case, union, "task_ack")["clock"] == "hours"


def test_a_later_report_of_a_new_form_routes_its_agencies_once(story):
    school = {"child.school_name": "Trường Tiểu học Thanh Định"}
    code = story.intake(**school)  # violence in the family: police, health, women's union
    before = tasks_by_kind(story.case(code))
    story.intake(
        channel="school",
        first_received_at="2026-03-02T08:45:00+07:00",
        harm_forms=["violence", "dropout_risk"],
        **school,
    )
    case = story.case(code)
    after = tasks_by_kind(case)
    new = set(after) - set(before)
    # Only the newly named form is routed; violence's tasks are already open.
    assert new == {"school.prevent_dropout", "social.education_support"}
    assert len(case["tasks"]) == len(before) + 2
    assert after["school.prevent_dropout"]["due_at"] == "2026-03-09T23:59:59+07:00"
    clock = task_clock(case, after["social.education_support"], "task_ack")
    assert clock["starts_at"] == "2026-03-02T08:45:00+07:00"  # that report's own receipt


def test_a_later_report_gives_no_agency_a_task_of_a_kind_it_has_open(story):
    code = story.intake()  # violence in the family: the women's union supports the family
    story.intake(
        channel="village_head",
        harm_forms=["abandonment_neglect"],
        first_received_at="2026-03-02T08:40:00+07:00",
    )
    kinds = [t["kind"] for t in story.case(code)["tasks"]]
    assert "social.care_support" in kinds  # neglect at home: newly named
    assert kinds.count("womens_union.family_support") == 1


def test_a_case_made_an_emergency_by_a_later_report_stops_its_plan_clock(story):
    code = story.intake()
    assert "plan_draft" in story.deadlines(code)
    story.intake(channel="school", perpetrator_relation="parent")
    running = story.deadlines(code)
    assert "plan_draft" not in running
    assert running["emergency_measures"]["due_at"] == "2026-03-02T20:15:00+07:00"
    plan = next(d for d in story.all_deadlines(code) if d["kind"] == "plan_draft")
    assert plan["status"] == "cancelled"


def test_a_child_found_abandoned_is_an_emergency_from_the_report(story):
    code = story.intake(
        harm_forms=["abandonment_neglect"],
        setting="community",
        perpetrator_relation="unknown",
        immediate_danger=False,
    )
    case = story.case(code)
    assert case["is_emergency"] is True
    assert "emergency_measures" in story.deadlines(code)
    care = next(t for t in case["tasks"] if t["kind"] == "health.initial_care")
    assert care["due_at"] == "2026-03-02T20:15:00+07:00"
    assert task_clock(case, care, "task_due")["ladder_step"] is None


def test_a_child_neglected_at_home_is_supported_not_an_emergency_by_default(story):
    code = story.intake(
        harm_forms=["abandonment_neglect"],
        setting="family",
        perpetrator_relation="unknown",
        immediate_danger=False,
    )
    case = story.case(code)
    assert case["is_emergency"] is False
    assert {t["agency_kind"] for t in case["tasks"]} == {"culture_social", "womens_union"}


def _planning(story) -> str:
    """A case found not to be an emergency, its plan being drawn up."""
    code = story.intake()
    story.fire(code, "start_assessment")
    story.fire(code, "complete_assessment", **mau_02(emergency=False))
    assert story.case(code)["status"] == "planning"
    return code


def test_a_later_emergency_while_the_plan_is_drafted_gets_its_measures_recorded(story):
    """The 12 hours a later report starts can be met where the case stands, and the plan
    then counts its 5 working days from the measures, as on the emergency path."""
    code = _planning(story)
    story.intake(channel="school", perpetrator_relation="parent")
    options = {o["event"]: o for o in story.case(code)["allowed_events"]}
    assert options["record_emergency_measures"]["allowed"] is True
    story.pass_time(hours=2)  # 11:00

    case = story.fire(code, "record_emergency_measures", **emergency_measures())

    assert case["status"] == "planning"
    clocks = {d["kind"]: d for d in case["deadlines"] if d["task_id"] is None}
    assert clocks["emergency_measures"]["status"] == "met"
    assert story.deadlines(code)["plan_draft"]["starts_at"] == "2026-03-02T11:00:00+07:00"


def test_a_later_emergency_after_approval_is_met_without_a_new_plan_clock(story, agencies):
    code = _planning(story)
    story.fire(
        code,
        "submit_plan",
        tasks=[
            {
                "agency_id": agencies["health_station"],
                "title": "Khám sức khỏe định kỳ cho trẻ",
                "starts_at": "2026-03-03T08:00:00+07:00",
                "due_at": "2026-05-30T17:00:00+07:00",
            }
        ],
    )
    story.fire(code, "approve_plan", as_="supervisor")
    story.intake(channel="school", perpetrator_relation="parent")
    assert "emergency_measures" in story.deadlines(code)

    case = story.fire(code, "record_emergency_measures", **emergency_measures())

    assert case["status"] == "intervention"
    assert "emergency_measures" not in story.deadlines(code)
    assert "plan_draft" not in story.deadlines(code)


def test_emergency_measures_are_refused_where_no_emergency_clock_runs(story):
    code = _planning(story)
    options = {o["event"]: o for o in story.case(code)["allowed_events"]}
    reasons = [r["code"] for r in options["record_emergency_measures"]["reasons"]]
    assert reasons == ["guard_no_emergency_measures_due"]
    story.fire(code, "record_emergency_measures", expect=409, **emergency_measures())
