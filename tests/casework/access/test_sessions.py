"""Browser sessions: login with CSRF, lockout, logout everywhere, password change, idle
timeout, cookie flags, security headers and friendly error pages."""

from __future__ import annotations

import json
import re
import time
from datetime import timedelta

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient
from itsdangerous import TimestampSigner

from casework.accounts import service as account_service
from casework.accounts.models import User
from casework.audit.models import AuditEntry
from casework.web import sessions
from tests.conftest import TEST_KEYS, TEST_PASSWORD
from tests.factories.communes import create_commune

CASEWORKER = "td.caseworker"


@pytest.fixture
def people(session, now, databases):
    create_commune(session, now=now)
    users = {u.username: u for u in session.execute(sa.select(User)).scalars()}
    for user in users.values():
        account_service.set_password(
            session, settings=databases.settings, user=user, password=TEST_PASSWORD, now=now
        )
    session.commit()
    return users


def csrf_of(page_text: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', page_text)[1]


def login(client, username=CASEWORKER, password=TEST_PASSWORD, next_="/", token=None):
    form = client.get("/dang-nhap")
    return client.post(
        "/dang-nhap",
        data={
            "username": username,
            "password": password,
            "next": next_,
            "csrf_token": token if token is not None else csrf_of(form.text),
        },
        follow_redirects=False,
    )


def session_csrf(client) -> str:
    return csrf_of(client.get("/tai-khoan/mat-khau").text)


def audit(session, action):
    return session.execute(sa.select(AuditEntry).where(AuditEntry.action == action)).scalars().all()


def test_login_page_is_vietnamese_with_a_csrf_field_and_strict_headers(client, people):
    response = client.get("/dang-nhap")
    assert response.status_code == 200
    assert "Đăng nhập" in response.text
    assert 'name="csrf_token"' in response.text
    headers = response.headers
    assert "script-src 'self'" in headers["content-security-policy"]
    assert "frame-ancestors 'none'" in headers["content-security-policy"]
    assert "unsafe-inline" not in headers["content-security-policy"]
    assert headers["x-frame-options"] == "DENY"
    assert headers["referrer-policy"] == "same-origin"
    assert headers["x-content-type-options"] == "nosniff"
    assert "server" not in headers
    # No inline script: every script is a file of this site (CSP script-src 'self').
    scripts = re.findall(r"<script\b[^>]*>", response.text)
    assert scripts
    assert all(re.search(r'src="/static/[^"]+"', tag) for tag in scripts), scripts
    assert all(body == "" for body in re.findall(r"<script\b[^>]*>(.*?)</script>", response.text))


def test_login_sets_a_session_cookie_with_only_the_user_epoch_and_session_id(client, people):
    response = login(client, next_="/tai-khoan")
    assert response.status_code == 303
    assert response.headers["location"] == "/tai-khoan"
    cookie = response.headers["set-cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    assert "Secure" not in cookie  # plain http
    value = cookie.split(";")[0].split("=", 1)[1]
    data = sessions.signer(TEST_KEYS["secret_key"]).unsign(value).decode()
    assert set(json.loads(data)) == {"uid", "epoch", "sid", "csrf"}
    page = client.get("/tai-khoan")
    assert page.status_code == 200
    assert "td.caseworker" in page.text
    assert client.get("/api/v1/cases").status_code == 200


def test_cookie_is_secure_over_https(people, client):
    secure = TestClient(client.app, base_url="https://testserver")
    assert "Secure" in login(secure).headers["set-cookie"]


def test_login_without_or_with_a_wrong_csrf_token_is_refused(client, people):
    assert login(client, token="").status_code == 403
    response = login(client, token="forged")
    assert response.status_code == 403
    assert "casework_session" not in response.headers.get("set-cookie", "") or "uid" not in (
        response.headers.get("set-cookie", "")
    )
    assert client.get("/api/v1/cases").status_code == 401


def test_changes_from_a_browser_need_the_csrf_token(client, people):
    login(client)
    assert client.post("/tai-khoan/dang-xuat-moi-noi").status_code == 403
    assert client.post("/api/v1/intakes", json={}).status_code == 403
    wrong = client.post("/api/v1/intakes", json={}, headers={"X-CSRF-Token": "nope"})
    assert wrong.status_code == 403
    assert wrong.json()["detail"][0]["type"] == "csrf_failed"
    right = client.post("/api/v1/intakes", json={}, headers={"X-CSRF-Token": session_csrf(client)})
    assert right.status_code == 422  # past the CSRF check, to the (empty) body


def test_wrong_password_then_lockout_for_the_account(client, people, session, clock, databases):
    for _ in range(databases.settings.login_max_failures - 1):
        response = login(client, password="sai-mat-khau-roi")
        assert response.status_code == 422
        assert "Tên đăng nhập hoặc mật khẩu không đúng" in response.text
    assert login(client, password="sai-mat-khau-roi").status_code == 429
    locked = login(client)  # even the right password, while locked
    assert locked.status_code == 429
    assert "Thử lại sau 15 phút" in locked.text
    failed = audit(session, "failed_login")
    assert len(failed) == databases.settings.login_max_failures + 1
    assert {entry.username for entry in failed} == {CASEWORKER}
    assert all(entry.ip == "testclient" for entry in failed)
    clock.set(clock.now() + timedelta(minutes=16))
    assert login(client).status_code == 303


def test_unknown_usernames_are_throttled_too_and_the_address_is_locked(client, people, databases):
    for n in range(databases.settings.login_ip_max_failures):
        login(client, username=f"khong-co-{n}", password="x" * 12)
    assert login(client).status_code == 429  # the address, not the account, is locked


def test_log_out_everywhere_ends_the_other_browsers(client, people):
    other = TestClient(client.app)
    login(client)
    login(other)
    assert other.get("/api/v1/cases").status_code == 200
    response = client.post(
        "/tai-khoan/dang-xuat-moi-noi",
        data={"csrf_token": session_csrf(client)},
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert other.get("/api/v1/cases").status_code == 401
    page = other.get("/tai-khoan", headers={"Accept": "text/html"}, follow_redirects=False)
    assert page.status_code == 303
    assert page.headers["location"] == "/dang-nhap?next=/tai-khoan"
    assert client.get("/api/v1/cases").status_code == 401


def test_logout_ends_this_session(client, people, session):
    login(client)
    response = client.post(
        "/dang-xuat", data={"csrf_token": session_csrf(client)}, follow_redirects=False
    )
    assert response.status_code == 303
    assert client.get("/api/v1/cases").status_code == 401
    assert [e.action for e in audit(session, "logout")] == ["logout"]


def test_a_copy_of_the_cookie_is_worthless_after_logging_out(client, people, session):
    """Someone copied the cookie (a shared computer, a stolen laptop): after "Đăng xuất" it
    neither reads nor changes anything, by page or API, though its signature is still good."""
    login(client)
    epoch = people[CASEWORKER].session_epoch
    token = session_csrf(client)
    copied = {"Cookie": f"{sessions.COOKIE}={client.cookies[sessions.COOKIE]}"}
    before = client.get("/api/v1/cases", headers=copied)
    assert before.status_code == 200
    client.post("/dang-xuat", data={"csrf_token": token}, follow_redirects=False)
    replay = TestClient(client.app)
    api = replay.get("/api/v1/cases", headers=copied)
    assert api.status_code == 401
    assert api.json()["detail"][0]["type"] == "not_authenticated"
    page = replay.get(
        "/tai-khoan", headers={**copied, "Accept": "text/html"}, follow_redirects=False
    )
    assert page.status_code == 303
    assert page.headers["location"] == "/dang-nhap?next=/tai-khoan"
    change = replay.post(
        "/tai-khoan/dang-xuat-moi-noi",
        headers={**copied, "X-CSRF-Token": token},
        follow_redirects=False,
    )
    assert change.status_code == 401
    session.expire_all()
    assert people[CASEWORKER].session_epoch == epoch  # the replay did not log out everywhere
    # The person's other browser is not affected by this one logging out.
    other = TestClient(client.app)
    login(other)
    assert other.get("/api/v1/cases").status_code == 200


def test_public_pages_do_not_keep_a_logged_in_cookie_alive(client, people):
    """Only a request whose session was checked signs the cookie afresh: a copy of a
    logged-out cookie cannot be kept alive past the idle timeout on the login page."""
    login(client)
    assert "set-cookie" not in client.get("/dang-nhap").headers
    assert "set-cookie" not in client.get("/static/casework.css").headers
    assert sessions.COOKIE in client.get("/api/v1/cases").headers["set-cookie"]


def test_password_change_ends_other_sessions_and_keeps_this_one(client, people):
    other = TestClient(client.app)
    login(client)
    login(other)
    token = session_csrf(client)
    too_short = client.post(
        "/tai-khoan/mat-khau",
        data={
            "csrf_token": token,
            "current_password": TEST_PASSWORD,
            "new_password": "ngan",
            "confirm_password": "ngan",
        },
    )
    assert too_short.status_code == 422
    assert "Lỗi: " in too_short.text
    assert "ít nhất 10 ký tự" in too_short.text
    changed = client.post(
        "/tai-khoan/mat-khau",
        data={
            "csrf_token": token,
            "current_password": TEST_PASSWORD,
            "new_password": "mot-mat-khau-moi-dai",
            "confirm_password": "mot-mat-khau-moi-dai",
        },
        follow_redirects=False,
    )
    assert changed.status_code == 303
    assert client.get("/api/v1/cases").status_code == 200
    assert other.get("/api/v1/cases").status_code == 401
    fresh = TestClient(client.app)
    assert login(fresh).status_code == 422
    assert login(fresh, password="mot-mat-khau-moi-dai").status_code == 303


def test_a_session_idle_too_long_is_over(client, people, databases, monkeypatch):
    user = people[CASEWORKER]
    data = {"uid": user.id, "epoch": user.session_epoch, "sid": "s", "csrf": "c"}
    fresh = sessions.encode(TEST_KEYS["secret_key"], data)
    ok = client.get("/api/v1/cases", headers={"Cookie": f"casework_session={fresh}"})
    assert ok.status_code == 200
    client.cookies.clear()
    idle = databases.settings.session_idle_minutes * 60
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: int(time.time()) - idle - 5)
    stale = sessions.encode(TEST_KEYS["secret_key"], data)
    monkeypatch.undo()
    response = client.get("/api/v1/cases", headers={"Cookie": f"casework_session={stale}"})
    assert response.status_code == 401


def test_login_never_redirects_off_site(client, people):
    for target in ("//evil.example/x", "https://evil.example", "/\\evil.example"):
        assert login(client, next_=target).headers["location"] == "/"


def test_browsers_get_friendly_pages_and_the_api_gets_json(client, people):
    page = client.get("/khong-co-trang-nay", headers={"Accept": "text/html"})
    assert page.status_code == 404
    assert '<html lang="vi"' in page.text
    assert "Không tìm thấy" in page.text
    api = client.get("/api/v1/cases")
    assert api.status_code == 401
    assert api.headers["www-authenticate"] == "Bearer"
    assert api.json()["detail"][0]["type"] == "not_authenticated"
    login(client)
    forbidden = client.get("/api/v1/audit", headers={"Accept": "text/html"})
    assert forbidden.status_code == 404  # a caseworker has no audit log to see


def test_a_failure_shows_a_friendly_page_without_trace_or_sql(client, people):
    login(client)

    def broken():
        raise RuntimeError("SELECT full_name FROM child -- Nguyễn Thị Hoa")

    client.app.state.session_factory = broken
    page = client.get("/tai-khoan", headers={"Accept": "text/html"})
    assert page.status_code == 500
    assert "Có lỗi trong hệ thống" in page.text
    for leak in ("SELECT", "Traceback", "Nguyễn Thị Hoa", "RuntimeError"):
        assert leak not in page.text
