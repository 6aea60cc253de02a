"""Nobody types a new person's password: the administrator creates the account, its person
gets a one-time link by e-mail and SMS (the token sealed in the outbox, only its hash
stored), sets their own password and is logged in; a link works once, until it expires,
and a newer link replaces it, each told apart in Vietnamese."""

from __future__ import annotations

import re
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import sqlalchemy as sa
from sqlmodel import select

from casework.accounts import activation
from casework.accounts.models import AccountActivation, User
from casework.db import UnitOfWork
from casework.errors import InvalidInput
from casework.messaging.words import enrich_for
from notifications.models import OutboxMessage
from tests.factories.browsing import browser
from tests.factories.communes import create_commune

NEW = {"username": "CanBo.Moi", "full_name": "Nguyễn Văn Mới", "role": "caseworker",
       "email": "canbo.moi@example.org", "phone": "0912 345 679"}  # fmt: skip


def csrf_of(page_text: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', page_text)
    assert found is not None
    return found[1]


def created(client, world, browser_for, session, **changes):  # type: ignore[no-untyped-def]
    admin = browser(client, browser_for, world.own.people["admin"])
    answer = admin.post("/quan-tri/nguoi-dung/moi", {**NEW, **changes})
    assert answer.status_code == 303, answer.text
    session.expire_all()
    return session.exec(select(User).where(User.username == "canbo.moi")).one()


def link_of(session, user, databases) -> str:  # type: ignore[no-untyped-def]
    sent = session.exec(
        select(OutboxMessage)
        .where(
            OutboxMessage.kind == "account.activate", OutboxMessage.recipient == f"user:{user.id}"
        )
        .order_by(OutboxMessage.id.desc())
    ).first()
    assert sent is not None
    values = enrich_for(public_url="https://casework.example", tz=databases.settings.tz)
    return values(sent.kind, sent.language, sent.context)["link"]


def set_password(client, path: str, password: str, again: str | None = None):  # type: ignore[no-untyped-def]
    token = csrf_of(client.get("/dang-nhap").text)  # the browser session's token
    return client.post(path, data={"new_password": password, "confirm_password": again or password,
                                   "csrf_token": token}, follow_redirects=False)  # fmt: skip


def test_a_new_account_gets_a_link_by_email_and_sms_never_a_password(
    client, world, browser_for, session, databases
):
    user = created(client, world, browser_for, session)
    assert user.password_hash is None
    assert user.phone == "+84912345679"
    sent = session.exec(
        select(OutboxMessage).where(OutboxMessage.recipient == f"user:{user.id}")
    ).all()
    assert {(m.kind, m.channel) for m in sent} == {("account.activate", "email"),
                                                   ("account.activate", "sms")}  # fmt: skip
    link = link_of(session, user, databases)
    token = link.rsplit("/", 1)[1]
    assert link == f"https://casework.example/kich-hoat/{token}"
    assert all(token not in str(m.context) for m in sent), "the token is sealed in the outbox"
    stored = session.exec(select(AccountActivation).where(AccountActivation.user_id == user.id))
    assert all(token not in row.token_hash for row in stored)


def test_the_person_sets_their_own_password_and_is_logged_in(
    client, world, browser_for, session, databases
):
    user = created(client, world, browser_for, session)
    path = link_of(session, user, databases).removeprefix("https://casework.example")
    page = client.get(path)
    assert page.status_code == 200
    assert "canbo.moi" in page.text
    short = set_password(client, path, "ngan")
    assert short.status_code == 422
    assert "ít nhất 10 ký tự" in short.text
    differ = set_password(client, path, "rung-tre-xanh-2026", "rung-tre-xanh-2027")
    assert differ.status_code == 422
    done = set_password(client, path, "rung-tre-xanh-2026")
    assert done.status_code == 303
    assert done.headers["location"] == "/"
    assert client.get("/trang-cua-toi", follow_redirects=False).status_code == 200
    client.cookies.clear()
    again = client.get(path)
    assert again.status_code == 410
    assert "Đường dẫn này đã được dùng để đặt mật khẩu" in again.text
    session.expire_all()
    assert session.get_one(User, user.id).password_hash is not None


def test_a_link_expires_a_newer_one_replaces_it_and_a_wrong_one_is_named(
    client, world, browser_for, session, databases, clock
):
    user = created(client, world, browser_for, session)
    first = link_of(session, user, databases).removeprefix("https://casework.example")
    activation.issue(session, user=user, settings=databases.settings, now=clock.now(), by=None)
    session.commit()
    second = link_of(session, user, databases).removeprefix("https://casework.example")
    assert first != second
    assert "Đã có đường dẫn kích hoạt mới hơn" in client.get(first).text
    assert "Đường dẫn kích hoạt không đúng" in client.get("/kich-hoat/khong-phai-ma").text
    clock.set(clock.now() + timedelta(hours=databases.settings.activation_hours, seconds=1))
    late = client.get(second)
    assert late.status_code == 410
    assert "Đường dẫn kích hoạt đã hết hạn" in late.text
    assert set_password(client, second, "rung-tre-xanh-2026").status_code == 410
    session.expire_all()
    assert session.get_one(User, user.id).password_hash is None


def test_an_account_needs_an_email_or_a_phone_to_send_its_link(client, world, browser_for, session):
    admin = browser(client, browser_for, world.own.people["admin"])
    answer = admin.post("/quan-tri/nguoi-dung/moi", {**NEW, "email": "", "phone": ""})
    assert answer.status_code == 422
    assert "Nhập thư điện tử hoặc số điện thoại: đường dẫn kích hoạt" in answer.text
    count = session.execute(sa.select(sa.func.count()).select_from(AccountActivation)).scalar()
    assert count == 0


def test_the_administrator_sends_a_new_link_when_the_first_went_astray(
    client, world, browser_for, session, databases
):
    user = created(client, world, browser_for, session)
    first = link_of(session, user, databases).removeprefix("https://casework.example")
    admin = browser(client, browser_for, world.own.people["admin"])
    assert "Chưa kích hoạt" in admin.get("/quan-tri/nguoi-dung").text
    assert "Gửi lại đường dẫn kích hoạt" in admin.get(f"/quan-tri/nguoi-dung/{user.id}").text
    sent = admin.post(f"/quan-tri/nguoi-dung/{user.id}/kich-hoat")
    assert sent.status_code == 303
    assert "Đã gửi đường dẫn kích hoạt mới" in admin.get(sent.headers["location"]).text
    session.expire_all()
    second = link_of(session, user, databases).removeprefix("https://casework.example")
    assert "Đã có đường dẫn kích hoạt mới hơn" in client.get(first).text
    assert set_password(client, second, "rung-tre-xanh-2026").status_code == 303
    client.cookies.clear()


def test_someone_who_forgot_their_password_gets_a_reset_link_from_the_administrator(
    client, world, browser_for, session, databases
):
    target = world.own.people["caseworker"]
    admin = browser(client, browser_for, world.own.people["admin"])
    target.password_hash = "argon2-set-before"
    session.add(target)
    session.commit()
    page = admin.get(f"/quan-tri/nguoi-dung/{target.id}").text
    assert "Gửi đường dẫn đặt lại mật khẩu" in page
    sent = admin.post(f"/quan-tri/nguoi-dung/{target.id}/kich-hoat")
    assert sent.status_code == 303
    assert "Đã gửi đường dẫn đặt lại mật khẩu" in admin.get(sent.headers["location"]).text
    message = session.exec(
        select(OutboxMessage).where(
            OutboxMessage.recipient == f"user:{target.id}", OutboxMessage.kind.like("account.%")
        )
    ).one()
    assert message.kind == "account.reset"
    values = enrich_for(public_url="https://casework.example", tz=databases.settings.tz)
    path = values(message.kind, message.language, message.context)["link"].removeprefix(
        "https://casework.example"
    )
    assert set_password(client, path, "mua-xuan-tren-nui-2026").status_code == 303
    session.expire_all()
    assert session.get_one(User, target.id).password_hash != "argon2-set-before"


def test_no_link_goes_to_a_disabled_account(client, world, browser_for, session):
    target = world.own.people["caseworker"]
    target.is_active = False
    session.add(target)
    session.commit()
    admin = browser(client, browser_for, world.own.people["admin"])
    refused = admin.post(f"/quan-tri/nguoi-dung/{target.id}/kich-hoat")
    assert refused.status_code == 409
    assert "Tài khoản đã bị khóa: không gửi đường dẫn đặt mật khẩu" in refused.text
    count = session.execute(sa.select(sa.func.count()).select_from(AccountActivation)).scalar()
    assert count == 0


def test_two_requests_with_one_link_at_once_set_one_password(live_factory, databases, now):
    """Two requests race with the same link: one sets the password, the other is told the
    link is used (the link's row is held while it is spent)."""
    with UnitOfWork(live_factory) as uow:
        create_commune(uow.session, now=now)
        user = uow.session.exec(select(User).where(User.role == "caseworker")).first()
        link = activation.issue(uow.session, user=user, settings=databases.settings, now=now,
                                by=None)  # fmt: skip
        sealed = (
            uow.session.exec(
                select(OutboxMessage).where(OutboxMessage.subject_ref == f"user:{user.id}")
            )
            .first()
            .context["activation"]
        )
        uow.commit()
    token, start = activation.token_of(sealed), threading.Barrier(2)

    def use(password: str) -> str:
        start.wait()
        try:
            with UnitOfWork(live_factory) as uow:
                activation.activate(uow.session, token=token, password=password,
                                    settings=databases.settings, now=now)  # fmt: skip
                uow.commit()
        except InvalidInput as refused:
            return refused.errors()[0].code
        return "set"

    with ThreadPoolExecutor(max_workers=2) as pool:
        outcomes = sorted(pool.map(use, ("mat-khau-rieng-mot-2026", "mat-khau-rieng-hai-2026")))
    assert outcomes == ["activation_used", "set"]
    with live_factory() as fresh:
        assert fresh.get_one(AccountActivation, link.id).used_at is not None


def test_a_mistyped_address_is_put_right_and_the_link_sent_again_goes_there(
    client, world, browser_for, session
):
    user = created(client, world, browser_for, session, email="canbo.moi@exmaple.org")
    admin = browser(client, browser_for, world.own.people["admin"])
    wrong = admin.post(f"/quan-tri/nguoi-dung/{user.id}/lien-he",
                       {"email": "khong-phai-thu", "phone": "0912 345 679"})  # fmt: skip
    assert wrong.status_code == 422
    assert 'value="khong-phai-thu"' in wrong.text
    saved = admin.post(f"/quan-tri/nguoi-dung/{user.id}/lien-he",
                       {"email": "canbo.moi@example.org", "phone": "0912 345 679"})  # fmt: skip
    assert saved.status_code == 303
    assert "Đã lưu thư điện tử và số điện thoại" in admin.get(saved.headers["location"]).text
    assert admin.post(f"/quan-tri/nguoi-dung/{user.id}/kich-hoat").status_code == 303
    session.expire_all()
    addresses = session.exec(
        select(OutboxMessage.address)
        .where(OutboxMessage.recipient == f"user:{user.id}", OutboxMessage.channel == "email")
        .order_by(OutboxMessage.id)
    ).all()
    assert addresses == ["canbo.moi@exmaple.org", "canbo.moi@example.org"]
