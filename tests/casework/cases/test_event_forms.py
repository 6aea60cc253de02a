"""The event forms come from the workflow definition and the payload schemas: a new event
gets a page, every field its input, and a form's problems read as a person expects."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from pydantic import ValidationError

from casework.agencies.models import AgencyKind
from casework.cases import event_forms, event_input, workflow
from casework.cases.event_input import FormInvalid
from casework.cases.events import SubmitPlan, Transfer, payload_model
from casework.cases.lookups import AgencyChoice
from casework.cases.wording import event_title
from workflows.definition import TransitionSpec

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
DEFINITION = workflow.latest("child_protection")
AGENCIES = [AgencyChoice(7, "Trạm y tế xã", AgencyKind.health_station)]


def form(event: str) -> event_forms.EventForm:
    title = event_title(DEFINITION, event, "vi", str)
    return event_forms.build(event, title=title, lang="vi", tr=str, agencies=AGENCIES)


def fields(event: str) -> dict[str, event_forms.FormField]:
    return form(event).index()


@pytest.mark.parametrize("event", DEFINITION.events)
def test_every_event_of_the_definition_has_a_form_with_each_field_of_its_schema(event):
    wanted = {name for name in payload_model(event).model_fields if name != "expected_version"}
    assert {f.name for f in form(event).fields} == wanted
    assert form(event).fields[-1].name == "note"


def test_an_event_the_wording_does_not_know_is_named_after_the_step_it_leads_to():
    meeting = TransitionSpec.model_validate(
        {"event": "hold_case_conference", "from": "planning", "to": "awaiting_approval"}
    )
    extended = DEFINITION.model_copy(update={"transitions": (*DEFINITION.transitions, meeting)})
    title = event_title(extended, "hold_case_conference", "vi", str)
    assert title == "Chuyển sang bước: Chờ phê duyệt kế hoạch"
    assert [f.name for f in form("hold_case_conference").fields] == ["note"]


def test_the_initial_assessment_is_mau_02_with_choices_in_words():
    mau_02 = form("complete_assessment")
    assert mau_02.law_form == "Mẫu 02"
    risk = fields("complete_assessment")["risk_level"]
    assert risk.kind == "radios"
    assert [c.text for c in risk.choices] == ["Cao", "Trung bình", "Thấp"]
    emergency = fields("complete_assessment")["emergency"]
    assert [(c.value, c.text) for c in emergency.choices] == [("true", "Có"), ("false", "Không")]
    assert not emergency.optional
    assert fields("complete_assessment")["protection_level"].optional


def test_the_plan_has_mau_03_items_a_to_h_and_rows_of_activities():
    plan = fields("submit_plan")
    assessment = plan["assessment"]
    assert assessment.kind == "group"
    assert [c.label[:2] for c in assessment.children] == [
        "a)", "b)", "c)", "d)", "đ)", "e)", "g)", "h)"
    ]  # fmt: skip
    assert plan["tasks"].kind == "rows"
    assert plan["tasks.agency_id"].kind == "select"
    assert [c.text for c in plan["tasks.agency_id"].choices] == ["Trạm y tế xã"]
    assert plan["tasks.starts_at"].kind == "date"
    assert plan["tasks.title"].kind == "text"  # 200 characters at most
    assert plan["conference_minutes"].kind == "textarea"
    assert fields("record_separation")["started_at"].kind == "datetime"


def row(number: int, **typed: str) -> list[tuple[str, str]]:
    return [(f"tasks.{number}.{key}", value) for key, value in typed.items()]


ACTIVITY = {
    "agency_id": "7",
    "title": "Khám sức khỏe",
    "starts_at.day": "3",
    "starts_at.month": "3",
    "starts_at.year": "2026",
    "due_at.day": "10",
    "due_at.month": "3",
    "due_at.year": "2026",
}


def test_empty_rows_are_dropped_and_the_rest_numbered_in_order():
    posted = [*row(0, title=""), *row(1, **ACTIVITY), ("_rows.tasks", "3")]
    submitted = event_input.read(form("submit_plan"), posted)
    assert submitted.values["tasks.0.title"] == "Khám sức khỏe"
    assert "tasks.1.title" not in submitted.values
    assert submitted.rows == {"tasks": 3}
    more = event_input.read(form("submit_plan"), [*posted, ("_action", "add_row")])
    assert more.adding_row
    assert more.rows == {"tasks": 4}


def test_an_activity_runs_from_the_start_of_its_first_day_to_the_end_of_its_last():
    posted = row(0, **ACTIVITY | {"cost_vnd": "1.500.000"})
    plan = form("submit_plan")
    payload = event_input.validate(plan, event_input.read(plan, posted), tz=TZ)
    [activity] = payload.tasks
    assert activity.starts_at == datetime(2026, 3, 3, 0, 0, tzinfo=TZ)
    assert activity.due_at == datetime(2026, 3, 10, 23, 59, tzinfo=TZ)
    assert activity.cost_vnd == 1_500_000  # grouped the Vietnamese way


def problems(event: str, posted: list[tuple[str, str]]) -> dict[tuple, str]:
    chosen = form(event)
    with pytest.raises(FormInvalid) as refused:
        event_input.validate(chosen, event_input.read(chosen, posted), tz=TZ)
    return {error.loc: error.code for error in refused.value.problems}


def test_unanswered_choices_ask_to_choose():
    answered = [
        ("harm_found", "Bị đánh"),
        ("child_safe_now", "yes"),
        ("perpetrator_has_access", "no"),
        ("injuries", "Không có thương tích"),
        ("caregiver_can_protect", "yes"),
        ("emergency", "true"),
    ]
    found = problems("complete_assessment", answered)
    assert found == {("risk_level",): "choice_missing", ("substantiated",): "yes_no_missing"}


def test_a_date_missing_a_part_an_impossible_date_and_a_wrong_time_are_named():
    assert problems("submit_plan", row(0, **ACTIVITY | {"due_at.month": ""})) == {
        ("tasks", 0, "due_at"): "date_part_missing"
    }
    assert (
        problems("submit_plan", row(0, **ACTIVITY | {"due_at.day": "31", "due_at.month": "2"}))[
            ("tasks", 0, "due_at")
        ]
        == "date_not_real"
    )
    started = [("started_at.day", "2"), ("started_at.month", "3"), ("started_at.year", "2026")]
    assert problems("record_separation", [*started, ("started_at.time", "25:00")]) == {
        ("started_at",): "time_not_real"
    }


def test_a_summary_link_goes_to_the_part_of_the_date_to_fix():
    plan = form("submit_plan")
    posted = row(0, **ACTIVITY | {"due_at.month": ""})
    with pytest.raises(FormInvalid) as refused:
        event_input.validate(plan, event_input.read(plan, posted), tz=TZ)
    errors = event_input.page_errors(plan, refused.value.problems, "vi")
    said = "Dòng 1: ngày kết thúc dự kiến phải có tháng"
    assert errors.summary == [("tasks-0-due_at-month", said)]
    assert errors.by_field == {"tasks-0-due_at": said}


def test_a_new_form_sets_times_to_now_and_chooses_nothing():
    now = datetime(2026, 3, 2, 2, 5, tzinfo=UTC)
    new = event_forms.initial(form("record_separation"), now=now, tz=TZ, version=4, rows_from=[])
    assert new.values == {
        "expected_version": "4",
        "started_at.day": "2",
        "started_at.month": "3",
        "started_at.year": "2026",
        "started_at.time": "09:05",
    }


def test_an_assessment_says_something_and_a_transfer_names_where_to():
    with pytest.raises(ValidationError) as empty:
        SubmitPlan.model_validate({"assessment": {}})
    assert [(e["loc"], e["type"]) for e in empty.value.errors()] == [
        (("assessment",), "assessment_empty")
    ]
    with pytest.raises(ValidationError) as nowhere:
        Transfer.model_validate({"to": " ", "legal_ground": "Yêu cầu của Tòa án"})
    assert [(e["loc"], e["type"]) for e in nowhere.value.errors()] == [(("to",), "missing")]
