"""Việc cần lãnh đạo xử lý (the escalation queue): the supervisor sees the commune's
escalations, most urgent first, each with its reason, deadline, risk and who holds it, and
works them from their page; caseworkers may look but not act."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import select

from casework.agencies.directory import Directory
from casework.agencies.models import Agency, AgencyKind
from casework.audit.models import AuditEntry
from casework.cases.models import Task, TaskStatus
from casework.deadlines.models import CaseDeadline, DeadlineStatus
from casework.escalations import service as escalation_service
from casework.escalations.models import Escalation, EscalationReason, EscalationStatus
from casework.escalations.service import NewEscalation
from casework.timefmt import as_utc
from notifications.models import OutboxMessage
from tests.factories.browsing import browser


@pytest.fixture
def supervisor(client, world, browser_for):
    return browser(client, browser_for, world.own.people["supervisor"])


@pytest.fixture
def overdue(world, session, now, databases):
    """The case's initial-assessment clock in the queue (its running deadline)."""
    deadline = session.exec(
        select(CaseDeadline).where(
            CaseDeadline.case_id == world.own.case.id,
            CaseDeadline.kind == "initial_assessment",
            CaseDeadline.status == DeadlineStatus.running,
        )
    ).one()
    escalation = escalation_service.raise_(
        session,
        case=world.own.case,
        reason=EscalationReason.deadline_overdue,
        deadline_id=deadline.id,
        now=now,
        tz=databases.settings.tz,
    )
    session.commit()
    return escalation


def test_the_queue_shows_each_row_in_the_guides_order_naming_the_child_to_the_supervisor(
    supervisor, world, session
):
    page = supervisor.get("/leo-thang")
    assert page.status_code == 200
    text = page.text
    escalation = world.own.escalation
    assert f'href="/leo-thang/{escalation.id}"' in text
    assert "Cơ quan không thực hiện được" in text
    assert "Chưa ai nhận" in text
    assert "Nguyễn Thị Hoa, 9 tuổi, Thôn Đồng Tâm" in text  # not initials: they may see names
    assert "N.T.H." not in text
    assert world.other.case.code not in text
    assert "Cập nhật lúc 02/03/2026 09:00" in text
    order = [
        "Cơ quan không thực hiện được",
        f"/ho-so/{world.own.case.code}",
        "police –",
        "Chưa ai nhận",
    ]
    assert [text.index(part, text.index("<tbody")) for part in order] == sorted(
        text.index(part, text.index("<tbody")) for part in order
    )
    [audit] = session.exec(
        select(AuditEntry).where(AuditEntry.subject_type == "escalation_queue")
    ).all()
    assert audit.detail == {"cases": [world.own.case.code]}


def test_the_order_is_the_apis_emergencies_then_lateness_then_risk(
    supervisor, world, overdue, client, headers_for
):
    api = client.get("/api/v1/escalations", headers=headers_for("td.supervisor")).json()
    text = supervisor.get("/leo-thang").text
    shown = sorted((text.index(f'/leo-thang/{row["id"]}"'), row["id"]) for row in api)
    assert [escalation_id for _, escalation_id in shown] == [row["id"] for row in api]
    assert "Đánh giá nguy cơ ban đầu" in text
    assert "tính theo giờ" in text
    assert "Lần 2" in text


def test_filters_by_agency_and_kind_are_get_parameters(supervisor, world, session, overdue):
    police = world.own.tasks[AgencyKind.police].agency_id
    economic = session.exec(
        select(Agency.id).where(
            Agency.commune_id == world.own.commune.id,
            Agency.kind == AgencyKind.economic_office,
        )
    ).one()
    declined = f'/leo-thang/{world.own.escalation.id}"'
    late = f'/leo-thang/{overdue.id}"'
    by_police = supervisor.get("/leo-thang", agency=police).text
    assert declined in by_police
    assert late not in by_police
    assert declined not in supervisor.get("/leo-thang", agency=economic).text
    by_kind = supervisor.get("/leo-thang", reason="deadline_overdue").text
    assert late in by_kind
    assert declined not in by_kind
    assert f'value="{police}" checked' in by_police


def test_a_caseworker_sees_the_queue_but_may_not_work_it(client, world, browser_for):
    caseworker = browser(client, browser_for, world.own.people["caseworker"])
    escalation = world.own.escalation
    assert caseworker.get("/leo-thang").status_code == 200
    page = caseworker.get(f"/leo-thang/{escalation.id}")
    assert page.status_code == 200
    assert "/nhan-xu-ly" not in page.text
    assert "Chỉ lãnh đạo UBND xã xử lý" in page.text
    assert caseworker.post(f"/leo-thang/{escalation.id}/nhan-xu-ly").status_code == 403
    police = browser(client, browser_for, world.own.people["police.head"])
    assert police.get("/leo-thang").status_code == 404
    assert police.get(f"/leo-thang/{escalation.id}").status_code == 404


def test_acknowledge_shows_who_is_handling_it(supervisor, world, session):
    escalation = world.own.escalation
    answer = supervisor.post(f"/leo-thang/{escalation.id}/nhan-xu-ly")
    assert answer.status_code == 303
    assert answer.headers["location"] == f"/leo-thang/{escalation.id}?done=acknowledged"
    assert "Đang xử lý: supervisor" in supervisor.get("/leo-thang").text
    session.expire_all()
    assert session.get(Escalation, escalation.id).status == EscalationStatus.acknowledged
    [audit] = session.exec(select(AuditEntry).where(AuditEntry.subject_type == "escalation")).all()
    assert audit.detail == {"case": world.own.case.code, "action": "acknowledge"}


def test_reassign_needs_an_agency_and_gives_the_task_to_it(supervisor, world, session):
    escalation = world.own.escalation
    health = session.exec(
        select(Agency.id).where(
            Agency.commune_id == world.own.commune.id, Agency.kind == AgencyKind.health_station
        )
    ).one()
    refused = supervisor.post(f"/leo-thang/{escalation.id}/giao-lai", {"reason": "Công an bận."})
    assert refused.status_code == 422
    assert refused.text.count("Chọn cơ quan") >= 2  # the summary and next to the field
    assert "Công an bận." in refused.text
    done = supervisor.post(
        f"/leo-thang/{escalation.id}/giao-lai", {"agency_id": str(health), "reason": "Công an bận."}
    )
    assert done.status_code == 303, done.text
    session.expire_all()
    assert session.get(Escalation, escalation.id).status == EscalationStatus.resolved
    title = session.get(Task, escalation.task_id).title
    moved = session.exec(
        select(Task).where(Task.case_id == world.own.case.id, Task.agency_id == health)
    ).all()
    assert (title, TaskStatus.open) in [(t.title, t.status) for t in moved]


@pytest.mark.parametrize(
    ("fields", "message", "anchor"),
    [
        ({}, "Nhập hạn mới", "due_at"),
        (
            {"due_at.day": "5", "due_at.year": "2026"},
            "Hạn mới phải có tháng",
            "due_at",
        ),
        (
            {"due_at.day": "31", "due_at.month": "2", "due_at.year": "2026"},
            "Hạn mới phải là ngày có thật",
            "due_at",
        ),
        (
            {"due_at.day": "5", "due_at.month": "3", "due_at.year": "2026"},
            "Nhập giờ của hạn mới, ví dụ 14:05",
            "due_at-time",
        ),
        (
            {"due_at.day": "5", "due_at.month": "3", "due_at.year": "2026", "due_at.time": "25:00"},
            "Giờ của hạn mới phải là giờ có thật",
            "due_at-time",
        ),
        (
            {"due_at.day": "1", "due_at.month": "3", "due_at.year": "2026", "due_at.time": "17:00"},
            "Hạn mới phải sau thời điểm hiện tại",
            "due_at",
        ),
    ],
)
def test_extend_says_what_is_wrong_with_the_new_deadline(
    supervisor, overdue, fields, message, anchor
):
    answer = supervisor.post(
        f"/leo-thang/{overdue.id}/gia-han", {**fields, "reason": "Chờ kết quả khám."}
    )
    assert answer.status_code == 422
    assert f'<a href="#{anchor}">{message}' in answer.text
    assert "Chờ kết quả khám." in answer.text
    for name, value in fields.items():
        assert f'name="{name}" type="text" value="{value}"' in answer.text


def test_extend_needs_a_reason_and_moves_the_deadline(supervisor, overdue, session):
    fields = {"due_at.day": "4", "due_at.month": "3", "due_at.year": "2026", "due_at.time": "17:30"}
    refused = supervisor.post(f"/leo-thang/{overdue.id}/gia-han", fields)
    assert refused.status_code == 422
    assert '<a href="#reason">Nhập lý do' in refused.text
    assert 'id="reason" name="reason"' in refused.text  # the summary's link has its field
    done = supervisor.post(
        f"/leo-thang/{overdue.id}/gia-han", {**fields, "reason": "Chờ kết quả khám."}
    )
    assert done.status_code == 303
    session.expire_all()
    deadline = session.get(CaseDeadline, overdue.deadline_id)
    assert as_utc(deadline.due_at) == datetime(2026, 3, 4, 10, 30, tzinfo=UTC)  # 17:30 Hà Nội
    assert deadline.extended_reason == "Chờ kết quả khám."


def test_working_an_escalation_someone_resolved_explains_and_keeps_the_reason(
    supervisor, overdue, session, now
):
    other = session.get(Escalation, overdue.id)
    other.status = EscalationStatus.resolved
    other.resolved_at = now
    session.add(other)
    session.commit()
    fields = {"due_at.day": "4", "due_at.month": "3", "due_at.year": "2026", "due_at.time": "17:30"}
    late = supervisor.post(
        f"/leo-thang/{overdue.id}/gia-han", {**fields, "reason": "Lý do của tôi."}
    )
    assert late.status_code == 409
    assert "đã được lãnh đạo xử lý" in late.text
    assert "Lý do của tôi." in late.text


def test_the_queue_pages_when_long(supervisor, world, session, now, databases):
    case = world.own.case
    for _ in range(30):
        escalation_service.raise_(
            session,
            case=case,
            reason=EscalationReason.task_declined,
            task_id=world.own.tasks[AgencyKind.police].id,
            now=now - timedelta(minutes=1),
            tz=databases.settings.tz,
        )
    session.commit()
    first = supervisor.get("/leo-thang").text
    assert "Trang 1 trên 2" in first
    assert "page=2" in first
    assert "Trang 2 trên 2" in supervisor.get("/leo-thang", page=2).text


@pytest.fixture
def undelivered(world, session, now, databases):
    """An SMS to the police officer that the relay gave up on, in the queue."""
    message = OutboxMessage(
        kind="task.new",
        recipient=f"user:{world.own.people['police.officer'].id}",
        channel="sms",
        address="+84900000108",
        subject_ref=f"case:{world.own.case.code}",
        dedupe_key="test:dead",
        state="dead",
        attempts=8,
        last_error="số điện thoại bị chặn",
        next_attempt_at=now,
        created_at=now,
    )
    session.add(message)
    session.flush()
    directory = Directory.load(session, commune_ids=[world.own.commune.id])
    [escalation_id] = escalation_service.raise_many(
        session,
        items=[
            NewEscalation(world.own.case, EscalationReason.message_failed, message_id=message.id)
        ],
        directory=directory,
        now=now,
        tz=databases.settings.tz,
    )
    session.commit()
    return escalation_id


def test_a_message_that_could_not_be_delivered_is_in_the_queue_too(supervisor, undelivered):
    escalation_id = undelivered

    text = supervisor.get("/leo-thang", reason="message_failed").text
    assert "Thông báo không gửi được" in text
    assert "Tin “Nhiệm vụ mới” qua SMS, 8 lần gửi" in text
    page = supervisor.get(f"/leo-thang/{escalation_id}").text
    assert "số điện thoại bị chặn" in page
    assert "/gia-han" not in page
    assert "/giao-lai" not in page
    assert f'action="/leo-thang/{escalation_id}/gui-lai"' in page


def test_resend_from_the_page_queues_the_message_again_and_clears_the_entry(
    supervisor, undelivered, session
):
    done = supervisor.post(f"/leo-thang/{undelivered}/gui-lai")
    assert done.status_code == 303, done.text
    assert "Đã gửi lại các thông báo" in supervisor.get(done.headers["location"]).text
    session.expire_all()
    assert session.get(Escalation, undelivered).status == EscalationStatus.resolved
    copy = session.exec(
        select(OutboxMessage).where(OutboxMessage.dedupe_key.startswith("resend:"))
    ).one()
    assert (copy.state, copy.kind, copy.channel) == ("pending", "task.new", "sms")


def test_told_another_way_needs_to_say_how(supervisor, undelivered, session):
    refused = supervisor.post(f"/leo-thang/{undelivered}/da-bao", {"reason": " "})
    assert refused.status_code == 422
    assert '<a href="#reason">' in refused.text
    assert 'id="reason" name="reason"' in refused.text
    done = supervisor.post(
        f"/leo-thang/{undelivered}/da-bao", {"reason": "Đã gọi điện cho trưởng công an xã."}
    )
    assert done.status_code == 303, done.text
    session.expire_all()
    escalation = session.get(Escalation, undelivered)
    assert escalation.status == EscalationStatus.resolved
    assert escalation.note == "Đã gọi điện cho trưởng công an xã."


@pytest.fixture
def declined(client, world, headers_for, session):
    """The police declined their task, with their reason: it is in the queue."""
    task = world.own.tasks[AgencyKind.police]
    answer = client.post(
        f"/api/v1/tasks/{task.id}/decline",
        json={"reason": "Cán bộ trực đi tập huấn ở tỉnh."},
        headers=headers_for("td.police.officer"),
    )
    assert answer.is_success, answer.text
    return session.exec(
        select(Escalation).where(
            Escalation.task_id == task.id,
            Escalation.reason == EscalationReason.task_declined,
            Escalation.status == EscalationStatus.open,
        )
    ).first()


def test_a_declined_tasks_row_gives_the_agencys_reason_and_how_long_it_has_waited(
    supervisor, declined, clock, client, headers_for
):
    clock.set(clock.now() + timedelta(days=21, hours=3))
    text = supervisor.get("/leo-thang", reason="task_declined").text
    row = text[text.index(f'href="/leo-thang/{declined.id}"') :].split("</tr>", 1)[0]
    assert "Lý do cơ quan đưa ra: “Cán bộ trực đi tập huấn ở tỉnh.”" in row
    assert "Chờ xử lý từ 02/03/2026 09:00 · <strong>đã chờ 21 ngày</strong>" in row
    page = supervisor.get(f"/leo-thang/{declined.id}").text
    assert "Cán bộ trực đi tập huấn ở tỉnh." in page
    assert "đã chờ 21 ngày" in page
    api = client.get("/api/v1/escalations", headers=headers_for("td.supervisor")).json()
    [entry] = [e for e in api if e["id"] == declined.id]
    assert entry["decline_reason"] == "Cán bộ trực đi tập huấn ở tỉnh."


def test_an_item_that_came_this_morning_has_waited_hours(supervisor, overdue, clock):
    clock.set(clock.now() + timedelta(hours=3, minutes=20))
    assert "đã chờ 3 giờ 20 phút" in supervisor.get(f"/leo-thang/{overdue.id}").text


@pytest.fixture
def upstream(world, session):
    """The province's bodies a commune also lists: where cases are referred, not who does
    a commune's task."""
    for kind, name in (
        (AgencyKind.hotline_111, "Tổng đài 111"),
        (AgencyKind.provincial_health_department, "Sở Y tế Thái Nguyên"),
    ):
        session.add(Agency(commune_id=world.own.commune.id, kind=kind, name=name))
    session.commit()
    return {
        name: id_
        for id_, name in session.exec(
            select(Agency.id, Agency.name).where(Agency.commune_id == world.own.commune.id)
        ).all()
    }


def test_the_reassign_list_offers_only_the_communes_agencies_that_take_tasks(
    supervisor, declined, upstream
):
    page = supervisor.get(f"/leo-thang/{declined.id}").text
    form = page[page.index('action="/leo-thang/') :]
    form = form[form.index('id="agency_id"') :].split("</select>", 1)[0]
    assert "health_station" in form
    assert "womens_union" in form
    assert "Tổng đài 111" not in form
    assert "Sở Y tế Thái Nguyên" not in form
    assert ">police<" not in form  # the agency that declined it


@pytest.mark.parametrize("name", ["Tổng đài 111", "Sở Y tế Thái Nguyên", "police"])
def test_a_task_given_to_an_upstream_body_or_back_to_its_agency_is_refused_per_field(
    supervisor, declined, upstream, client, headers_for, name
):
    refused = supervisor.post(
        f"/leo-thang/{declined.id}/giao-lai",
        {"agency_id": str(upstream[name]), "reason": "Thử giao lại."},
    )
    assert refused.status_code == 422
    message = f"{name} không nhận được nhiệm vụ này; chọn một cơ quan của xã trong danh sách"
    assert f'<a href="#agency_id">{message}</a>' in refused.text
    assert "Thử giao lại." in refused.text
    api = client.post(
        f"/api/v1/escalations/{declined.id}/reassign",
        json={"agency_id": upstream[name], "reason": "Thử giao lại."},
        headers=headers_for("td.supervisor"),
    )
    assert api.status_code == 422
    assert api.json()["detail"][0]["field"] == "agency_id"
