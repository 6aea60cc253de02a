"""Gia hạn gives a late agency or caseworker more time, not a way to switch a legal clock
off: a new deadline is at most CASEWORK_EXTENSION_MAX_DAYS (30) past the current one (or
past now, once it is overdue), and the reason is required, by the API and on the page."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlmodel import select

from casework.app import create_app
from casework.deadlines.models import CaseDeadline, DeadlineStatus
from casework.escalations import service as escalation_service
from casework.escalations.models import EscalationReason
from casework.timefmt import as_utc
from tests.conftest import make_test_settings
from tests.factories.browsing import browser


@pytest.fixture
def overdue(world, session, now, databases):
    """The case's initial-assessment clock (due 02/03/2026 20:15 Hà Nội) in the queue."""
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
    assert as_utc(deadline.due_at) == datetime(2026, 3, 2, 13, 15, tzinfo=UTC)
    return escalation


def extend(client, headers, escalation, due_at, reason="Chờ kết quả giám định."):  # type: ignore[no-untyped-def]
    body = {"due_at": due_at} if reason is None else {"due_at": due_at, "reason": reason}
    return client.post(f"/api/v1/escalations/{escalation.id}/extend", json=body, headers=headers)


def due_of(session, escalation) -> datetime:  # type: ignore[no-untyped-def]
    session.expire_all()
    return as_utc(session.get(CaseDeadline, escalation.deadline_id).due_at)


def test_an_extension_to_the_year_9999_or_without_a_reason_is_refused(
    client, overdue, headers_for, session
):
    headers = headers_for("td.supervisor")
    answer = extend(client, headers, overdue, "9999-12-31T23:59:00+07:00")
    assert answer.status_code == 422
    [error] = answer.json()["detail"]
    assert error["field"] == "due_at"
    for reason in (None, "", "   "):
        answer = extend(client, headers, overdue, "2026-03-05T17:00:00+07:00", reason)
        assert answer.status_code == 422
        [error] = answer.json()["detail"]
        assert error["field"] == "reason"
        assert error["msg_vi"] == "Nhập lý do"
    assert due_of(session, overdue) == datetime(2026, 3, 2, 13, 15, tzinfo=UTC)


def test_an_extension_is_at_most_thirty_days_past_the_current_deadline(
    client, overdue, headers_for, session
):
    headers = headers_for("td.supervisor")
    too_far = extend(client, headers, overdue, "2026-04-01T20:16:00+07:00")
    assert too_far.status_code == 422
    [error] = too_far.json()["detail"]
    assert error["field"] == "due_at"
    assert error["type"] == "extension_too_long"
    assert error["msg_vi"] == (
        "Chỉ được gia hạn tối đa 30 ngày: hạn mới phải trước 01/04/2026 20:15"
    )
    assert error["msg_en"].startswith("An extension is at most 30 days")
    assert extend(client, headers, overdue, "2026-04-01T20:15:00+07:00").status_code == 204
    assert due_of(session, overdue) == datetime(2026, 4, 1, 13, 15, tzinfo=UTC)


def test_an_overdue_deadline_gets_at_most_thirty_days_from_now(
    client, overdue, headers_for, clock, now, session
):
    clock.set(now + timedelta(days=40))  # 11/04/2026 09:00 Hà Nội, long past 02/03
    headers = headers_for("td.supervisor")
    assert extend(client, headers, overdue, "2026-05-11T09:01:00+07:00").status_code == 422
    assert extend(client, headers, overdue, "2026-05-11T09:00:00+07:00").status_code == 204


def test_the_bound_is_configurable(session_factory, clock, overdue, headers_for):
    app = create_app(
        make_test_settings(extension_max_days=7), session_factory=session_factory, clock=clock
    )
    with TestClient(app) as client:
        headers = headers_for("td.supervisor")
        assert extend(client, headers, overdue, "2026-03-09T20:16:00+07:00").status_code == 422
        assert extend(client, headers, overdue, "2026-03-09T20:15:00+07:00").status_code == 204


def test_the_page_says_how_far_a_deadline_may_go(client, world, browser_for, overdue):
    supervisor = browser(client, browser_for, world.own.people["supervisor"])
    page = supervisor.get(f"/leo-thang/{overdue.id}")
    assert "Tối đa 30 ngày sau hạn hiện tại" in page.text
    fields = {"due_at.day": "31", "due_at.month": "12", "due_at.year": "9999"}
    for when, message in (
        (fields, "Hạn mới phải trong khoảng năm 1900 đến 2100"),
        (
            {**fields, "due_at.month": "4", "due_at.year": "2026", "due_at.day": "2"},
            "Chỉ được gia hạn tối đa 30 ngày: hạn mới phải trước 01/04/2026 20:15",
        ),
    ):
        answer = supervisor.post(
            f"/leo-thang/{overdue.id}/gia-han",
            {**when, "due_at.time": "17:00", "reason": "Chờ kết quả giám định."},
        )
        assert answer.status_code == 422
        assert f'<a href="#due_at">{message}' in answer.text
        assert "Chờ kết quả giám định." in answer.text  # what was typed is kept
