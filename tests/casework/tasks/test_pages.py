"""Nhiệm vụ của tôi: an agency sees its own tasks, overdue first, and answers each on its
own page, through the same services and audit as the API."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import select

from casework.audit.models import AuditEntry
from casework.authz import policy
from casework.cases import workflow
from casework.cases.models import Task, TaskStatus
from tests.factories.browsing import browser
from tests.factories.world import REPORTER

REPORTER_TRACES = (REPORTER["name"], "0912 345 678", "Nguyễn Văn Bình")


def entries(session, **where):
    statement = select(AuditEntry).order_by(AuditEntry.seq)
    for name, value in where.items():
        statement = statement.where(getattr(AuditEntry, name) == value)
    return session.exec(statement).all()


def test_the_police_see_their_own_task_and_nothing_of_the_reporter(
    client, world, browser_for, session
):
    police = browser(client, browser_for, world.own.people["police.officer"])
    task = world.own.tasks["police"]
    page = police.get("/nhiem-vu")
    assert page.status_code == 200
    assert f'href="/nhiem-vu/{task.id}"' in page.text
    assert world.own.case.code in page.text
    assert "Trong 7 ngày tới" in page.text or "Quá hạn" in page.text
    other = world.own.tasks["culture_social"]
    assert f"/nhiem-vu/{other.id}" not in page.text
    assert world.other.case.code not in page.text
    one = police.get(f"/nhiem-vu/{task.id}")
    assert one.status_code == 200
    assert "Nguyễn Thị Hoa" in one.text  # the child's name, age and village: what the task needs
    for trace in REPORTER_TRACES:
        assert trace not in page.text
        assert trace not in one.text
    police_tasks = session.exec(select(Task.id).where(Task.agency_id == task.agency_id)).all()
    [listed] = entries(session, subject_type="task_list")
    assert sorted(listed.detail["tasks"]) == sorted(police_tasks)
    assert listed.detail["cases"] == [world.own.case.code]
    [read] = entries(session, action="view", subject_id=world.own.case.code)
    shown = policy.agency_facts(workflow.latest("child_protection"), [(task.kind, "police")])
    assert shown  # the audit entry names what the task's page showed
    assert read.detail == {"view": "task", "task": task.id, "facts": sorted(shown)}


def test_overdue_tasks_come_first_under_their_own_heading(client, world, browser_for, clock):
    task = world.own.tasks["police"]
    clock.set(task.due_at.replace(tzinfo=clock.now().tzinfo) + timedelta(hours=1))
    police = browser(client, browser_for, world.own.people["police.officer"])
    page = police.get("/nhiem-vu")
    assert page.text.index("Quá hạn") < page.text.index(f"/nhiem-vu/{task.id}")
    assert "Quá hạn 1 giờ" in page.text
    assert f"/nhiem-vu/{task.id}" in police.get("/nhiem-vu", show="overdue").text
    assert f"/nhiem-vu/{task.id}" not in police.get("/nhiem-vu", show="today").text


def test_accept_then_complete_with_an_outcome(client, world, browser_for, session):
    task = world.own.tasks["police"]
    police = browser(client, browser_for, world.own.people["police.officer"])
    accepted = police.post(f"/nhiem-vu/{task.id}/nhan")
    assert accepted.status_code == 303
    assert accepted.headers["location"] == f"/nhiem-vu/{task.id}?done=accepted"
    shown = police.get(f"/nhiem-vu/{task.id}", done="accepted")
    assert "Đã nhận nhiệm vụ" in shown.text
    assert "Nhận nhiệm vụ</button>" not in shown.text.replace("\n", "")
    done = police.post(f"/nhiem-vu/{task.id}/hoan-thanh", {"outcome": "Đã xác minh tại nhà."})
    assert done.status_code == 303
    assert done.headers["location"] == "/nhiem-vu?done=completed"
    session.expire_all()
    assert session.get(Task, task.id).status == TaskStatus.done
    assert session.get(Task, task.id).outcome_note == "Đã xác minh tại nhà."
    answers = entries(session, action="update", subject_type="task")
    assert [e.detail["action"] for e in answers] == ["accept", "complete"]
    assert f'/nhiem-vu/{task.id}"' not in police.get("/nhiem-vu").text


def test_a_decline_without_a_reason_is_refused_in_words_keeping_what_was_typed(
    client, world, browser_for, session
):
    task = world.own.tasks["police"]
    police = browser(client, browser_for, world.own.people["police.officer"])
    refused = police.post(f"/nhiem-vu/{task.id}/tu-choi", {"reason": "   "})
    assert refused.status_code == 422
    assert "<title>Lỗi: " in refused.text
    assert refused.text.count("Nhập lý do") == 2  # the summary and next to the field
    assert 'href="#reason"' in refused.text
    session.expire_all()
    assert session.get(Task, task.id).status == TaskStatus.open
    declined = police.post(f"/nhiem-vu/{task.id}/tu-choi", {"reason": "Không đủ người trực."})
    assert declined.status_code == 303
    session.expire_all()
    assert session.get(Task, task.id).status == TaskStatus.declined


def test_answering_a_task_someone_else_finished_explains_and_keeps_the_text(
    client, world, browser_for, session
):
    task = world.own.tasks["police"]
    officer = browser(client, browser_for, world.own.people["police.officer"])
    head = browser(client, browser_for, world.own.people["police.head"])
    assert head.post(f"/nhiem-vu/{task.id}/hoan-thanh", {"outcome": "Xong."}).status_code == 303
    late = officer.post(f"/nhiem-vu/{task.id}/hoan-thanh", {"outcome": "Tôi cũng đã làm."})
    assert late.status_code == 409
    assert "Tôi cũng đã làm." in late.text
    assert "Tải lại trang" in late.text


def test_another_agency_cannot_see_or_answer_the_task(client, world, browser_for):
    task = world.own.tasks["police"]
    school = browser(client, browser_for, world.own.people["economic_office.officer"])
    assert school.get(f"/nhiem-vu/{task.id}").status_code == 404
    assert school.post(f"/nhiem-vu/{task.id}/nhan").status_code == 404
    caseworker = browser(client, browser_for, world.own.people["caseworker"])
    assert caseworker.post(f"/nhiem-vu/{task.id}/nhan").status_code == 403
