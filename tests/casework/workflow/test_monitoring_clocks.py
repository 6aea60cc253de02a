"""After the plan is approved a case always has a next date: the chairperson's approval
sets the first monitoring visit and the review (Mẫu 06), each a clock that reminds, warns
and escalates like every other; a visit sets the next one, the review meets both."""

from __future__ import annotations

from datetime import datetime, timedelta

from tests.factories.events import mau_02


def approved(story, agencies, **approval) -> str:
    """A non-emergency case whose plan the supervisor has just approved (Mon 2 March)."""
    code = story.intake()
    story.fire(code, "start_assessment")
    story.fire(
        code,
        "complete_assessment",
        **mau_02(risk_level="medium", emergency=False, substantiated=True),
    )
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
    story.fire(code, "approve_plan", as_="supervisor", **approval)
    return code


def steps(story, code: str, kind: str) -> list[str]:
    """The ladder steps the history recorded for one of the case's own clocks."""
    return [
        e["payload"]["step"]
        for e in story.case(code)["events"]
        if e["event"] == "deadline_step" and e["payload"].get("kind") == kind
    ]


def test_approval_sets_the_first_visit_in_14_days_and_the_review_in_90(story, agencies):
    code = approved(story, agencies)
    clocks = story.deadlines(code)
    approved_at = datetime.fromisoformat(clocks["monitoring_visit"]["starts_at"])
    visit = datetime.fromisoformat(clocks["monitoring_visit"]["due_at"])
    review = datetime.fromisoformat(clocks["plan_review"]["due_at"])
    assert visit - approved_at == timedelta(days=14)
    assert review - approved_at == timedelta(days=90)
    assert clocks["plan_review"]["clock"] == "days"


def test_the_chairperson_chooses_the_dates_within_the_definitions_bounds(story, agencies):
    code = approved(story, agencies, first_visit_on="2026-03-20", review_on="2026-06-15")
    clocks = story.deadlines(code)
    assert clocks["monitoring_visit"]["due_at"] == "2026-03-20T23:59:59+07:00"
    assert clocks["plan_review"]["due_at"] == "2026-06-15T23:59:59+07:00"


def test_a_date_out_of_bounds_or_in_the_past_is_a_422_on_its_field(story, agencies):
    code = approved(story, agencies)  # a first plan, approved
    story.fire(code, "start_review", stable=False)
    story.fire(code, "replan")
    story.fire(
        code,
        "submit_plan",
        tasks=[
            {
                "agency_id": agencies["police"],
                "title": "Làm việc với gia đình",
                "starts_at": "2026-03-03T08:00:00+07:00",
                "due_at": "2026-03-20T17:00:00+07:00",
            }
        ],
    )
    for payload, field, words in (
        ({"first_visit_on": "2026-04-02"}, "first_visit_on", "từ 02/03/2026 đến 01/04/2026"),
        ({"first_visit_on": "2026-03-01"}, "first_visit_on", "từ 02/03/2026 đến 01/04/2026"),
        ({"review_on": "2027-03-03"}, "review_on", "từ 02/03/2026 đến 02/03/2027"),
        (
            {"first_visit_on": "2026-03-20", "review_on": "2026-03-10"},
            "review_on",
            "Ngày rà soát phải từ ngày thăm theo dõi đầu tiên trở đi",
        ),
    ):
        response = story.client.post(
            f"/api/v1/cases/{code}/events/approve_plan",
            json=payload,
            headers=story.auth("supervisor"),
        )
        assert response.status_code == 422, response.text
        [error] = response.json()["detail"]
        assert error["field"] == field
        assert words in error["msg"]
        assert error["msg_en"]
    assert story.case(code)["status"] == "awaiting_approval"


def test_a_missed_visit_reminds_warns_and_reaches_the_supervisors_queue(story, agencies):
    code = approved(story, agencies)
    story.pass_time(days=7, minutes=1)  # half the 14 days
    assert steps(story, code, "monitoring_visit") == ["remind"]
    story.pass_time(days=3, hours=12)  # three quarters
    assert steps(story, code, "monitoring_visit") == ["remind", "warn"]
    story.pass_time(days=4, hours=1)  # past due, then a day's grace
    assert steps(story, code, "monitoring_visit") == ["remind", "warn", "overdue"]
    story.pass_time(days=1)
    assert steps(story, code, "monitoring_visit") == ["remind", "warn", "overdue", "escalate"]
    queue = story.client.get("/api/v1/escalations", headers=story.auth("supervisor")).json()
    [row] = [
        r for r in queue if r["case_code"] == code and r["deadline_kind"] == "monitoring_visit"
    ]
    assert row["reason"] == "deadline_overdue"
    kinds = [m["kind"] for m in story.case(code)["messages"]]
    assert {"deadline.remind", "deadline.warn", "deadline.overdue"} <= set(kinds)
    # The visit, late, meets the clock, clears the queue and sets the next date.
    story.fire(code, "record_followup", note="Thăm nhà, trẻ ổn", next_visit_on="2026-04-20")
    queue = story.client.get("/api/v1/escalations", headers=story.auth("supervisor")).json()
    assert not [r for r in queue if r["deadline_kind"] == "monitoring_visit"]
    clocks = story.all_deadlines(code)
    visits = sorted((d for d in clocks if d["kind"] == "monitoring_visit"), key=lambda d: d["id"])
    assert [d["status"] for d in visits] == ["missed", "running"]
    assert visits[1]["due_at"] == "2026-04-20T23:59:59+07:00"
    assert steps(story, code, "plan_review") == []  # the review's 90 days are still young


def test_every_visit_sets_the_next_and_the_review_meets_both_clocks(story, agencies):
    code = approved(story, agencies)
    story.pass_time(days=5)
    story.fire(code, "record_followup", note="Trẻ đi học đều")  # while the plan is carried out
    visit = story.deadlines(code)["monitoring_visit"]
    started = datetime.fromisoformat(visit["starts_at"])
    assert datetime.fromisoformat(visit["due_at"]) - started == timedelta(days=30)
    story.fire(code, "start_monitoring")
    assert story.deadlines(code)["monitoring_visit"]["id"] == visit["id"]  # still the one
    story.fire(code, "start_review", stable=True, score="low")
    assert set(story.deadlines(code)) == set()
    met = {d["kind"]: d["status"] for d in story.all_deadlines(code) if d["task_id"] is None}
    assert met["plan_review"] == "met"
    assert met["monitoring_visit"] == "met"
