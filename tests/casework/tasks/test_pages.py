"""Nhiệm vụ của tôi: an agency sees its own tasks, overdue first, and answers each on its
own page, through the same services and audit as the API."""

from __future__ import annotations

import json
from datetime import timedelta

from sqlmodel import select

from casework.audit.models import AuditEntry
from casework.authz import policy
from casework.cases import workflow
from casework.cases.models import ProtectionCase, Task, TaskStatus
from casework.deadlines import sla
from casework.deadlines.models import CaseDeadline, DeadlineStatus
from casework.intake import service as intake_service
from casework.intake.schemas import IntakeCreate
from casework.timefmt import as_utc
from tests.factories.browsing import browser
from tests.factories.intakes import intake_payload
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


def police_task(session, case, kind: str = "police.verify") -> Task:
    return session.exec(select(Task).where(Task.case_id == case.id, Task.kind == kind)).one()


def running_clocks(session, task: Task) -> dict[str, CaseDeadline]:
    rows = session.exec(
        select(CaseDeadline).where(
            CaseDeadline.task_id == task.id, CaseDeadline.status == DeadlineStatus.running
        )
    ).all()
    return {row.kind: row for row in rows}


def countdown(deadline: CaseDeadline, now) -> str:  # type: ignore[no-untyped-def]
    return sla.countdown(due_at=as_utc(deadline.due_at), now=now, lang="vi")


def row_of(page: str, task: Task) -> str:
    """The list's row of one task: from its link to the end of its row."""
    start = page.index(f'href="/nhiem-vu/{task.id}"')
    return page[start : page.index("</tr>", start)]


def report(session, *, now, tz, **overrides) -> ProtectionCase:  # type: ignore[no-untyped-def]
    """Another report of the commune, recorded at ``now`` and received then."""
    payload = intake_payload(
        first_received_at=now.astimezone(tz).isoformat(),
        **{"child.full_name": "Hà Văn Nam", "child.date_of_birth": "2014-01-01"},
        **overrides,
    )
    result = intake_service.record_intake(
        session, data=IntakeCreate.model_validate_json(json.dumps(payload)), now=now, tz=tz
    )
    session.commit()
    return session.exec(select(ProtectionCase).where(ProtectionCase.code == result.case_code)).one()


def test_the_police_see_both_clocks_of_their_task_each_named(
    client, world, browser_for, session, clock
):
    """The 2-hour acceptance clock escalates first: the police see it beside the due time,
    on their list and on the task's page, in the case page's words and tags."""
    task = police_task(session, world.own.case)
    clocks = running_clocks(session, task)
    assert set(clocks) == {"task_ack", "task_due"}
    police = browser(client, browser_for, world.own.people["police.officer"])
    now = clock.now()
    for page, part in (
        (police.get("/nhiem-vu").text, row_of),
        (police.get(f"/nhiem-vu/{task.id}").text, lambda text, _: text),
    ):
        shown = part(page, task)
        assert "Hạn nhận nhiệm vụ" in shown
        assert countdown(clocks["task_ack"], now) in shown
        assert "Hạn hoàn thành" in shown
        assert countdown(clocks["task_due"], now) in shown
        assert shown.index("Hạn nhận nhiệm vụ") < shown.index("Hạn hoàn thành")  # soonest first
        assert "govuk-tag--green" in shown  # the case page's tags
        assert "Cơ quan nhận nhiệm vụ" not in page
    accepted = police.post(f"/nhiem-vu/{task.id}/nhan")
    assert accepted.status_code == 303
    for shown in (
        row_of(police.get("/nhiem-vu").text, task),
        police.get(f"/nhiem-vu/{task.id}").text,
    ):
        assert "Hạn nhận nhiệm vụ" not in shown  # met: only the due clock still runs
        assert countdown(clocks["task_due"], now) in shown


def test_the_api_names_the_task_clocks_for_the_agency(client, world, headers_for, session):
    task = police_task(session, world.own.case)
    answer = client.get(
        f"/api/v1/cases/{world.own.case.code}",
        headers=headers_for(world.own.people["police.officer"].username),
    ).json()
    labels = {d["kind"]: d["label"] for d in answer["deadlines"] if d["task_id"] == task.id}
    assert labels == {"task_ack": "Hạn nhận nhiệm vụ", "task_due": "Hạn hoàn thành"}


def test_an_unaccepted_emergency_comes_before_an_accepted_task_due_sooner(
    client, world, browser_for, session, now, databases
):
    tz = databases.settings.tz
    earlier = report(session, now=now - timedelta(hours=11), tz=tz)  # a relative: no emergency
    accepted = police_task(session, earlier)
    police = browser(client, browser_for, world.own.people["police.officer"])
    assert police.post(f"/nhiem-vu/{accepted.id}/nhan").status_code == 303
    emergency = police_task(session, world.own.case)
    assert emergency.status == TaskStatus.open
    assert world.own.case.is_emergency
    assert running_clocks(session, accepted)["task_due"].due_at < min(
        clock.due_at for clock in running_clocks(session, emergency).values()
    )
    page = police.get("/nhiem-vu").text
    first, other = page.index("Chưa nhận hoặc khẩn cấp"), page.index("Đang thực hiện</h2>")
    assert first < page.index(f'"/nhiem-vu/{emergency.id}"') < other
    assert other < page.index(f'"/nhiem-vu/{accepted.id}"')


def test_a_task_not_accepted_in_time_is_overdue_before_its_due_time(
    client, world, browser_for, session, clock
):
    task = police_task(session, world.own.case)
    clocks = running_clocks(session, task)
    clock.set(as_utc(clocks["task_ack"].due_at) + timedelta(hours=1))
    assert clock.now() < as_utc(clocks["task_due"].due_at)
    police = browser(client, browser_for, world.own.people["police.officer"])
    overdue = police.get("/nhiem-vu", show="overdue").text
    shown = row_of(overdue, task)
    assert "Quá hạn 1 giờ" in shown
    assert "govuk-tag--red" in shown
    assert "Quá hạn (" in overdue
    assert "Quá hạn (0)" not in overdue
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
