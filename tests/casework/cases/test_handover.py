"""Bàn giao công việc: when someone leaves, the supervisor hands all their open cases and
accepted tasks to a named colleague in one step; each case's history says so, the
colleague is told, and a colleague who cannot own cases or is of another commune is
refused in Vietnamese with nothing moved."""

from __future__ import annotations

from sqlmodel import select

from casework.agencies.models import AgencyKind
from casework.audit.models import AuditEntry
from casework.cases.models import CaseEvent, ProtectionCase, Task, TaskStatus
from notifications.models import OutboxMessage
from tests.factories.browsing import browser


def holding(session, world):  # type: ignore[no-untyped-def]
    """The own commune's case owned by its caseworker; the police task accepted by its
    officer."""
    case = session.get_one(ProtectionCase, world.own.case.id)
    case.assigned_caseworker_id = world.own.people["caseworker"].id
    task = session.get_one(Task, world.own.tasks[AgencyKind.police].id)
    task.status, task.assignee_id = TaskStatus.accepted, world.own.people["police.officer"].id
    session.add_all([case, task])
    session.commit()
    return case, task


def supervisor_of(client, world, browser_for):  # type: ignore[no-untyped-def]
    return browser(client, browser_for, world.own.people["supervisor"])


def test_a_leaving_caseworkers_cases_go_to_a_colleague_with_the_reason_in_their_history(
    client, world, browser_for, session
):
    case, _ = holding(session, world)
    supervisor = supervisor_of(client, world, browser_for)
    page = supervisor.get("/ban-giao").text
    assert world.own.people["caseworker"].full_name in page
    leaver, colleague = world.own.people["caseworker"], world.own.people["supervisor"]
    answer = supervisor.post("/ban-giao", {"leaver_id": leaver.id, "colleague_id": colleague.id,
                                           "reason": "Nghỉ hưu từ 01/04/2026"})  # fmt: skip
    assert answer.status_code == 303, answer.text
    assert "Đã bàn giao 1 hồ sơ và 0 nhiệm vụ" in supervisor.get(answer.headers["location"]).text
    session.expire_all()
    assert session.get_one(ProtectionCase, case.id).assigned_caseworker_id == colleague.id
    event = session.exec(
        select(CaseEvent).where(CaseEvent.case_id == case.id).order_by(CaseEvent.id.desc())
    ).first()
    assert event.event == "case_assigned"
    assert event.payload["reason"] == f"Bàn giao từ {leaver.full_name}: Nghỉ hưu từ 01/04/2026"
    audited = session.exec(select(AuditEntry).where(AuditEntry.subject_id == str(leaver.id)))
    assert any(e.detail.get("change") == "handed_over" for e in audited)


def test_an_agency_officers_tasks_go_to_a_colleague_of_the_agency_or_back_to_it(
    client, world, browser_for, session
):
    _, task = holding(session, world)
    supervisor = supervisor_of(client, world, browser_for)
    leaver, head = world.own.people["police.officer"], world.own.people["police.head"]
    answer = supervisor.post("/ban-giao", {"leaver_id": leaver.id, "colleague_id": head.id,
                                           "reason": "Chuyển công tác"})  # fmt: skip
    assert answer.status_code == 303, answer.text
    session.expire_all()
    assert session.get_one(Task, task.id).assignee_id == head.id
    history = session.exec(select(CaseEvent).where(CaseEvent.event == "task_handed_over")).all()
    assert [(e.payload["task_id"], e.payload["to_user_id"]) for e in history] == [
        (task.id, head.id)]  # fmt: skip
    case_page = browser(client, browser_for, world.own.people["caseworker"]).get(
        f"/ho-so/{world.own.case.code}"
    )
    assert "Nhiệm vụ được bàn giao khi người nhận nghỉ hoặc chuyển công tác" in case_page.text
    elsewhere = world.own.people["health_station.officer"]
    supervisor.post("/ban-giao", {"leaver_id": head.id, "colleague_id": elsewhere.id,
                                  "reason": "Nghỉ phép dài ngày"})  # fmt: skip
    session.expire_all()
    assert session.get_one(Task, task.id).assignee_id is None  # back to the police


def test_a_colleague_who_cannot_own_cases_or_of_another_commune_is_refused(
    client, world, browser_for, session
):
    case, _ = holding(session, world)
    supervisor = supervisor_of(client, world, browser_for)
    leaver = world.own.people["caseworker"]
    for colleague, words in (
        (world.own.people["police.officer"], "không phụ trách hồ sơ được"),
        (world.other.people["caseworker"], "Chọn người nhận bàn giao"),
        (leaver, "Chọn người nhận bàn giao"),
    ):
        sent = {"leaver_id": leaver.id, "colleague_id": colleague.id, "reason": "Nghỉ"}
        answer = supervisor.post("/ban-giao", sent)
        assert answer.status_code == 422, colleague.username
        assert words in answer.text
    empty = supervisor.post("/ban-giao", {"leaver_id": leaver.id, "colleague_id": "", "reason": ""})
    assert empty.status_code == 422
    session.expire_all()
    assert session.get_one(ProtectionCase, case.id).assigned_caseworker_id == leaver.id
    sent = session.exec(select(OutboxMessage).where(OutboxMessage.kind == "case.assigned")).all()
    assert sent == []


def test_only_the_supervisor_hands_over(client, world, browser_for):
    for who in ("caseworker", "admin", "police.head"):
        person = browser(client, browser_for, world.own.people[who])
        assert person.get("/ban-giao").status_code in (403, 404), who
