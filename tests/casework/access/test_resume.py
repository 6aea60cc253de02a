"""A form sent after the session expired is not lost: the login page holds it, and after
logging in again the same person sends it on at one click. Nobody else gets it, a forged
post carries nothing, and a password is never carried."""

from __future__ import annotations

import re
import time

import sqlalchemy as sa
from itsdangerous import TimestampSigner

from casework.accounts.models import User
from casework.web import sessions
from tests.casework.access.test_sessions import CASEWORKER, csrf_of, login, people, session_csrf
from tests.conftest import TEST_KEYS, TEST_PASSWORD

__all__ = ["people"]  # the fixture, shared with the session tests
PAGE = {"Accept": "text/html"}


def expire_session(client, databases, monkeypatch) -> str:
    """Let the logged-in browser's session run past the idle timeout; returns the CSRF
    token its pages were rendered with."""
    token = session_csrf(client)
    data = sessions.signer(TEST_KEYS["secret_key"]).unsign(client.cookies["casework_session"])
    idle = databases.settings.session_idle_minutes * 60
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: int(time.time()) - idle - 5)
    stale = sessions.signer(TEST_KEYS["secret_key"]).sign(data).decode()
    monkeypatch.undo()
    client.cookies.set("casework_session", stale, domain="testserver.local")
    return token


def send_preferences(client, token, **extra):
    return client.post(
        "/tai-khoan/thong-bao",
        data={"notify_via": "sms", "language": "en", "csrf_token": token, **extra},
        headers=PAGE,
        follow_redirects=False,
    )


def log_in_again(client, page_text, username=CASEWORKER):
    carried = re.findall(r'<input type="hidden" name="(resume\.[^"]+)" value="([^"]*)">', page_text)
    form: dict[str, list[str]] = {
        "username": [username],
        "password": [TEST_PASSWORD],
        "next": ["/"],
        "csrf_token": [csrf_of(page_text)],
    }
    for name, value in carried:
        form.setdefault(name, []).append(value)
    return client.post("/dang-nhap", data=form, headers=PAGE, follow_redirects=False)


def preferences(session):
    user = session.execute(sa.select(User).where(User.username == CASEWORKER)).scalar_one()
    session.refresh(user)
    return user.notify_via, user.language


def test_a_form_sent_after_the_session_expired_is_sent_on_after_logging_in_again(
    client, people, session, databases, monkeypatch
):
    assert login(client).status_code == 303
    token = expire_session(client, databases, monkeypatch)

    late = send_preferences(client, token)

    assert late.status_code == 401
    assert "Phiên làm việc đã hết vì lâu không thao tác" in late.text
    assert '<input type="hidden" name="resume.notify_via" value="sms">' in late.text
    assert preferences(session) == ("both", "vi")  # nothing saved yet
    again = log_in_again(client, late.text)
    assert again.status_code == 200
    assert 'action="/tai-khoan/thong-bao"' in again.text
    assert '<input type="hidden" name="language" value="en">' in again.text
    fresh = csrf_of(again.text)
    assert fresh != token
    sent_on = client.post(
        "/tai-khoan/thong-bao",
        data={"notify_via": "sms", "language": "en", "csrf_token": fresh},
        follow_redirects=False,
    )
    assert sent_on.status_code == 303
    assert preferences(session) == ("sms", "en")


def test_a_wrong_password_keeps_what_was_carried(client, people, databases, monkeypatch):
    login(client)
    late = send_preferences(client, expire_session(client, databases, monkeypatch))
    refused = client.post(
        "/dang-nhap",
        data={
            "username": CASEWORKER,
            "password": "sai-mat-khau-roi",
            "csrf_token": csrf_of(late.text),
            "resume.notify_via": "sms",
        },
        headers=PAGE,
    )
    assert refused.status_code == 422
    assert '<input type="hidden" name="resume.notify_via" value="sms">' in refused.text


def test_another_person_logging_in_on_the_same_browser_gets_none_of_it(
    client, people, databases, monkeypatch
):
    login(client)
    late = send_preferences(client, expire_session(client, databases, monkeypatch))

    other = log_in_again(client, late.text, username="td.supervisor")

    assert other.status_code == 303
    assert "resume" not in client.get(other.headers["location"], headers=PAGE).text


def test_a_post_without_that_sessions_token_carries_nothing(client, people, databases, monkeypatch):
    login(client)
    expire_session(client, databases, monkeypatch)
    forged = send_preferences(client, "not-the-token")
    assert forged.status_code == 303
    assert forged.headers["location"].startswith("/dang-nhap")
    client.cookies.clear()  # a cross-site post: SameSite=Lax keeps the cookie home
    assert send_preferences(client, "anything").status_code == 303


def test_a_password_is_never_carried(client, people, databases, monkeypatch):
    login(client)
    token = expire_session(client, databases, monkeypatch)
    late = client.post(
        "/tai-khoan/mat-khau",
        data={
            "current_password": TEST_PASSWORD,
            "new_password": "mot-mat-khau-moi-dai",
            "csrf_token": token,
        },
        headers=PAGE,
    )
    assert late.status_code == 401
    assert TEST_PASSWORD not in late.text
    assert "mot-mat-khau-moi-dai" not in late.text


def test_a_second_form_from_the_same_page_is_kept_too(client, people, databases, monkeypatch):
    """htmx's live search may meet the expired session first: its answer renews the page's
    token, and the report sent after it must still be kept."""
    login(client)
    late = send_preferences(client, expire_session(client, databases, monkeypatch))
    renewed = csrf_of(late.text)

    again = send_preferences(client, renewed, language="vi")

    assert again.status_code == 401
    assert '<input type="hidden" name="resume.language" value="vi">' in again.text
