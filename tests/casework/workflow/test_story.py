"""A case from report to closure through the API, with clocks, tasks and escalations."""

from __future__ import annotations

import sqlalchemy as sa

from notifications.models import OutboxMessage
from tests.factories.events import emergency_measures, mau_02


def outbox(session, kind=None):
    statement = sa.select(OutboxMessage)
    if kind:
        statement = statement.where(OutboxMessage.kind == kind)
    return session.execute(statement).scalars().all()


def test_case_driven_from_received_to_closed(story, agencies, session):
    code = story.intake(perpetrator_relation="parent")  # parent → emergency at once
    case = story.case(code)
    assert case["is_emergency"] is True
    clocks = {d["kind"]: d for d in case["deadlines"] if d["task_id"] is None}
    assert clocks["emergency_measures"]["due_at"] == "2026-03-02T20:15:00+07:00"
    assert "plan_draft" not in clocks
    police = next(t for t in case["tasks"] if t["agency_kind"] == "police")

    story.task_action(police["id"], "accept", as_="police.officer")
    story.fire(code, "start_assessment")
    story.fire(
        code, "complete_assessment", **mau_02(risk_level="high", emergency=True, substantiated=True)
    )
    assert story.case(code)["status"] == "emergency"
    story.fire(
        code,
        "record_emergency_measures",
        **emergency_measures(note="Đưa trẻ đến nhà bà ngoại, công an làm việc"),
    )
    story.task_action(police["id"], "complete", as_="police.officer", outcome="Đã xác minh")

    case = story.fire(
        code,
        "submit_plan",
        tasks=[
            {
                "agency_id": agencies["health_station"],
                "title": "Khám sức khỏe định kỳ cho trẻ",
                "starts_at": "2026-03-03T08:00:00+07:00",
                "due_at": "2026-03-10T17:00:00+07:00",
                "cost_vnd": 200000,
            }
        ],
        conference_minutes="Họp liên ngành ngày 02/03",
    )
    assert case["status"] == "awaiting_approval"
    story.fire(code, "approve_plan", as_="caseworker", expect=409)
    case = story.fire(code, "approve_plan", as_="supervisor")
    assert case["status"] == "intervention"
    plan_task = next(t for t in case["tasks"] if t["kind"] == "plan.activity")
    assert plan_task["status"] == "open"
    story.task_action(plan_task["id"], "complete", as_="health_station.officer", outcome="Ổn")

    story.fire(code, "start_monitoring")
    story.fire(code, "record_followup", note="Thăm nhà, trẻ ổn định")
    story.fire(code, "start_review", stable=True, score="low")
    story.fire(code, "close", as_="supervisor", reason="resolved")
    case = story.case(code)
    assert case["status"] == "closed"
    assert all(d["status"] not in ("running", "overdue") for d in case["deadlines"])
    events = [e["event"] for e in case["events"]]
    assert events[0] == "receive"
    assert events[-1] == "close"
    assert case["deadlines"]  # so the check that none still runs had clocks to check


def test_missed_emergency_clock_reaches_the_supervisor_queue(story, session, people):
    code = story.intake(perpetrator_relation="parent")
    assert story.pass_time(hours=5, minutes=59) >= 0
    story.pass_time(hours=7)  # 13 h after receipt: the 12-hour clock is past due
    queue = story.client.get("/api/v1/escalations", headers=story.auth("supervisor")).json()
    mine = [row for row in queue if row["case_code"] == code]
    assert {row["deadline_kind"] for row in mine} >= {"emergency_measures"}
    row = next(r for r in mine if r["deadline_kind"] == "emergency_measures")
    assert row["is_emergency"] is True
    assert row["reason"] == "deadline_overdue"
    assert row["due_at"] == "2026-03-02T20:15:00+07:00"
    clocks = {d["kind"]: d for d in story.case(code)["deadlines"] if d["task_id"] is None}
    assert clocks["emergency_measures"]["ladder_step"] == "escalate"
    kinds = {m.kind for m in outbox(session)}
    assert {"task.new", "deadline.overdue", "escalation.new"} <= kinds


def test_plan_cannot_be_submitted_without_a_task_and_says_why(story):
    code = story.intake()
    story.fire(code, "start_assessment")
    story.fire(
        code,
        "complete_assessment",
        **mau_02(risk_level="medium", emergency=False, substantiated=True),
    )
    response = story.client.post(
        f"/api/v1/cases/{code}/events/submit_plan",
        json={"tasks": []},
        headers=story.auth("caseworker"),
    )
    assert response.status_code == 409
    [error] = response.json()["detail"]
    assert error["type"] == "guard_plan_without_tasks"
    assert error["msg"].startswith("Kế hoạch cần ít nhất một hoạt động")
    options = {o["event"]: o for o in story.case(code, as_="caseworker")["allowed_events"]}
    assert options["submit_plan"]["allowed"] is False


def test_illegal_event_answers_409_with_what_is_possible(story):
    code = story.intake()
    response = story.client.post(
        f"/api/v1/cases/{code}/events/approve_plan",
        json={},
        headers=story.auth("supervisor"),
    )
    assert response.status_code == 409
    [error] = response.json()["detail"]
    assert error["type"] == "transition_not_allowed"
    assert "start_assessment" in error["msg"]
    assert "“Tiếp nhận”" in error["msg"]
    assert "“Received”" in error["msg_en"]


def test_bad_event_payload_is_422_per_field(story):
    code = story.intake()
    story.fire(code, "start_assessment")
    response = story.client.post(
        f"/api/v1/cases/{code}/events/complete_assessment",
        json=mau_02(risk_level="extreme", emergency=True) | {"substantiated": None},
        headers=story.auth("caseworker"),
    )
    assert response.status_code == 422
    fields = {e["field"] for e in response.json()["detail"]}
    assert fields == {"risk_level", "substantiated"}
    assert story.case(code)["status"] == "assessing"


def test_stale_version_is_refused_not_overwritten(story):
    code = story.intake()
    seen = story.case(code)["version"]
    story.fire(code, "start_assessment", expected_version=seen)
    response = story.client.post(
        f"/api/v1/cases/{code}/events/transfer",
        json={"to": "Xã bên", "expected_version": seen},
        headers=story.auth("caseworker"),
    )
    assert response.status_code == 409
    assert response.json()["detail"][0]["type"] == "concurrent_change"
    assert story.case(code)["status"] == "assessing"


def test_declined_task_goes_to_the_caseworker_and_the_queue(story, session, agencies):
    code = story.intake()
    police = next(t for t in story.case(code)["tasks"] if t["agency_kind"] == "police")
    story.task_action(police["id"], "decline", as_="police.officer", reason="Đang trực bão lũ")
    queue = story.client.get("/api/v1/escalations", headers=story.auth("supervisor")).json()
    [row] = [r for r in queue if r["task_id"] == police["id"]]
    assert row["reason"] == "task_declined"
    assert any(m.kind == "task.declined" for m in outbox(session))
    response = story.client.post(
        f"/api/v1/escalations/{row['id']}/reassign",
        json={"agency_id": agencies["womens_union"], "reason": "Hội Phụ nữ hỗ trợ thay"},
        headers=story.auth("supervisor"),
    )
    assert response.status_code == 204, response.text
    tasks = story.case(code)["tasks"]
    assert any(t["agency_kind"] == "womens_union" and t["kind"] == police["kind"] for t in tasks)
    assert story.client.get("/api/v1/escalations", headers=story.auth("supervisor")).json() == [
        r
        for r in story.client.get("/api/v1/escalations", headers=story.auth("supervisor")).json()
        if r["id"] != row["id"]
    ]


def test_extension_needs_a_reason_and_moves_the_deadline(story):
    code = story.intake(perpetrator_relation="parent")
    story.pass_time(hours=13)
    queue = story.client.get("/api/v1/escalations", headers=story.auth("supervisor")).json()
    row = next(r for r in queue if r["deadline_kind"] == "emergency_measures")
    headers = story.auth("supervisor")
    missing = story.client.post(
        f"/api/v1/escalations/{row['id']}/extend",
        json={"due_at": "2026-03-03T12:00:00+07:00"},
        headers=headers,
    )
    assert missing.status_code == 422
    assert missing.json()["detail"][0]["field"] == "reason"
    done = story.client.post(
        f"/api/v1/escalations/{row['id']}/extend",
        json={"due_at": "2026-03-03T12:00:00+07:00", "reason": "Chờ kết quả giám định"},
        headers=headers,
    )
    assert done.status_code == 204, done.text
    case = story.case(code)
    clock = next(d for d in case["deadlines"] if d["kind"] == "emergency_measures")
    assert clock["due_at"] == "2026-03-03T12:00:00+07:00"
    assert clock["extended_reason"] == "Chờ kết quả giám định"
    assert case["events"][-1]["event"] == "deadline_extended"


def test_alternative_care_clock_runs_on_the_case(story):
    code = story.intake(**{"harm_forms": ["abandonment_neglect"], "setting": "community"})
    story.fire(code, "start_assessment")
    story.fire(
        code,
        "complete_assessment",
        **mau_02(risk_level="high", emergency=False, substantiated=True),
    )
    story.fire(code, "start_alternative_care", started_at="2026-03-02T10:00:00+07:00")
    clocks = {d["kind"]: d for d in story.case(code)["deadlines"] if d["status"] == "running"}
    assert clocks["alternative_care_followup"]["due_at"] == "2026-04-02T10:00:00+07:00"
    story.fire(code, "record_care_visit", note="Trẻ ổn định tại gia đình nhận chăm sóc")
    clocks = {d["kind"]: d for d in story.case(code)["deadlines"] if d["status"] == "running"}
    assert clocks["alternative_care_followup"]["due_at"] == "2026-06-02T10:00:00+07:00"


def test_separation_must_end_before_closing_and_is_reviewed_after_15_days(story, session):
    code = story.intake(perpetrator_relation="parent")
    story.fire(code, "start_assessment")
    story.fire(
        code, "complete_assessment", **mau_02(risk_level="high", emergency=True, substantiated=True)
    )
    story.fire(
        code,
        "record_separation",
        as_="caseworker",
        expect=409,
        started_at="2026-03-02T12:00:00+07:00",
    )
    story.fire(code, "record_separation", as_="supervisor", started_at="2026-03-02T12:00:00+07:00")
    clocks = {d["kind"]: d for d in story.case(code)["deadlines"] if d["status"] == "running"}
    assert clocks["separation_review"]["due_at"] == "2026-03-17T12:00:00+07:00"
    story.pass_time(days=15, hours=4)
    tasks = story.case(code)["tasks"]
    assert any(t["kind"] == "social.reassess_separation" for t in tasks)


def test_only_a_supervisor_works_the_queue(story):
    story.intake(perpetrator_relation="parent")
    story.pass_time(hours=13)
    row = story.client.get("/api/v1/escalations", headers=story.auth("supervisor")).json()[0]
    # The caseworker sees the queue but may not work it (403); an agency head does not see
    # it at all, so it answers as if it did not exist (404).
    for who, expected in (("caseworker", 403), ("police.head", 404), ("supervisor", 204)):
        response = story.client.post(
            f"/api/v1/escalations/{row['id']}/acknowledge",
            headers=story.auth(who),
        )
        assert response.status_code == expected, (who, response.text)
    [after] = [
        r
        for r in story.client.get("/api/v1/escalations", headers=story.auth("supervisor")).json()
        if r["id"] == row["id"]
    ]
    assert after["status"] == "acknowledged"


def test_a_task_for_the_social_office_reaches_its_caseworkers(story, session):
    story.intake(harm_forms=["abandonment_neglect"], setting="community")
    social = [m for m in outbox(session, "task.new") if m.context["action"].startswith("Bố trí")]
    assert social, "the culture and social office's task told no one"
    assert all(m.recipient.startswith("user:") for m in social)


def test_no_message_carries_the_childs_name_address_or_what_happened(story, session, agencies):
    """NĐ56 Đ33: even when a caseworker writes the child's name into a plan activity."""
    from casework import text

    code = story.intake(perpetrator_relation="parent")
    story.fire(code, "start_assessment")
    story.fire(
        code, "complete_assessment", **mau_02(risk_level="high", emergency=True, substantiated=True)
    )
    story.fire(code, "record_emergency_measures", **emergency_measures())
    story.fire(
        code,
        "submit_plan",
        tasks=[
            {
                "agency_id": agencies["health_station"],
                "title": "Khám lại vết bầm cho cháu Nguyễn Thị Hoa ở Thôn Đồng Tâm",
                "starts_at": "2026-03-03T08:00:00+07:00",
                "due_at": "2026-03-04T17:00:00+07:00",
            }
        ],
    )
    story.fire(code, "approve_plan", as_="supervisor")
    story.pass_time(days=4)  # reminders, overdue steps and escalations for every clock
    case = story.case(code)
    protected = [
        case["child"]["full_name"],
        case["child"]["village"],
        case["reports"][0]["description"],
        case["reports"][0]["location"],
        *(c["full_name"] for c in case["child"]["caregivers"]),
    ]
    sent = outbox(session)
    assert {m.kind for m in sent} >= {"task.new", "deadline.remind", "escalation.new"}
    for message in sent:
        rendered = text.fold(str(message.context))
        for value in protected:
            assert text.fold(value) not in rendered, (message.kind, value)


def test_unknown_escalation_is_404(story):
    response = story.client.post(
        "/api/v1/escalations/999999/acknowledge",
        headers=story.auth("supervisor"),
    )
    assert response.status_code == 404
    assert response.json()["detail"][0]["type"] == "escalation_not_found"
