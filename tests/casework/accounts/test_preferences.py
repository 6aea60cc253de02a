"""A person chooses how they hear about their work, and the next message goes that way."""

from __future__ import annotations

import sqlalchemy as sa

from casework.accounts.models import User
from casework.agencies.directory import Directory
from casework.audit.models import AuditEntry
from casework.notices import deliveries
from tests.casework.access.test_sessions import CASEWORKER, login, people, session_csrf

__all__ = ["people"]  # the fixture, shared with the session tests


def test_a_person_chooses_sms_in_english_and_it_is_recorded(client, people, session):
    assert login(client).status_code == 303
    page = client.get("/tai-khoan")
    assert "Nhận thông báo công việc" in page.text
    answer = client.post(
        "/tai-khoan/thong-bao",
        data={"notify_via": "sms", "language": "en", "csrf_token": session_csrf(client)},
        follow_redirects=False,
    )
    assert answer.status_code == 303
    assert "Đã lưu cách nhận thông báo." in client.get(answer.headers["location"]).text
    user = session.execute(sa.select(User).where(User.username == CASEWORKER)).scalar_one()
    session.refresh(user)
    assert (user.notify_via, user.language) == ("sms", "en")
    user.phone = "+84912000101"
    session.flush()
    entry = (
        session.execute(
            sa.select(AuditEntry)
            .where(AuditEntry.subject_id == str(user.id))
            .order_by(AuditEntry.seq.desc())
        )
        .scalars()
        .first()
    )
    assert entry.detail["change"] == "notifications"
    person = Directory.load(session, commune_ids=[user.commune_id]).people[user.id]
    assert [channel for channel, *_ in deliveries(person)] == ["sms"]


def test_an_unanswered_choice_is_asked_for_and_nothing_changes(client, people, session):
    login(client)
    answer = client.post(
        "/tai-khoan/thong-bao", data={"language": "en", "csrf_token": session_csrf(client)}
    )
    assert answer.status_code == 422
    assert answer.text.count("Chọn") >= 1
    assert '<a href="#notify_via">' in answer.text
    user = session.execute(sa.select(User).where(User.username == CASEWORKER)).scalar_one()
    session.refresh(user)
    assert user.notify_via == "both"


def test_without_the_csrf_token_the_choice_is_refused(client, people):
    login(client)
    answer = client.post("/tai-khoan/thong-bao", data={"notify_via": "sms", "language": "vi"})
    assert answer.status_code == 403
