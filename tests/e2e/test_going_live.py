"""Going live in a real browser: the commune's administrator adds a village and a new
caseworker without typing her password; she opens the link she was sent, sets her own
password and lands on her own, still empty, page."""

from __future__ import annotations

from playwright.sync_api import Page, expect
from sqlmodel import select

from casework.accounts.models import User
from casework.messaging.words import enrich_for
from notifications.models import OutboxMessage
from tests.e2e.conftest import LiveServer, log_in


def activation_path(server: LiveServer, username: str) -> str:
    """The link the outbox would send her (read from its sealed row, as the relay does)."""
    with server.factory() as session:
        user = session.exec(select(User).where(User.username == username)).one()
        message = session.exec(
            select(OutboxMessage).where(
                OutboxMessage.kind == "account.activate",
                OutboxMessage.recipient == f"user:{user.id}",
            )
        ).first()
        assert message is not None
        values = enrich_for(public_url=server.url, tz=server.settings.tz)
        return values(message.kind, message.language, message.context)["link"]


def test_an_administrator_adds_a_village_and_a_person_who_activates_her_account(
    page: Page, live_server: LiveServer
):
    log_in(page, live_server, "quantri.son")
    page.goto(f"{live_server.url}/quan-tri/thon")
    page.get_by_label("Tên thôn, bản, xóm hoặc tổ dân phố").fill("Thôn Pác Cáy")
    page.get_by_role("button", name="Thêm thôn").click()
    expect(page.get_by_text("Đã thêm thôn và ban điều hành thôn.")).to_be_visible()
    expect(page.locator("tbody")).to_contain_text("Ban điều hành Thôn Pác Cáy")

    page.goto(f"{live_server.url}/quan-tri/nguoi-dung/moi")
    page.get_by_label("Tên đăng nhập").fill("canbo.thuong")
    page.get_by_label("Họ và tên").fill("Triệu Thị Thương")
    page.get_by_label("Người làm công tác bảo vệ trẻ em").check()
    page.get_by_role("button", name="Tạo tài khoản").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Nhập thư điện tử hoặc số điện thoại")
    page.get_by_label("Thư điện tử").fill("thuong@chauson.example")
    page.get_by_role("button", name="Tạo tài khoản").click()
    expect(page.get_by_text("Đã tạo tài khoản và gửi đường dẫn kích hoạt")).to_be_visible()
    expect(page.locator("tbody")).to_contain_text("Chưa kích hoạt")

    page.context.clear_cookies()
    page.goto(activation_path(live_server, "canbo.thuong"))
    expect(page.get_by_role("heading", name="Kích hoạt tài khoản")).to_be_visible()
    expect(page.get_by_text("canbo.thuong")).to_be_visible()
    page.get_by_label("Mật khẩu mới", exact=True).fill("suoi-trong-pac-cay-2026")
    page.get_by_label("Nhập lại mật khẩu mới").fill("suoi-trong-pac-cay-2026")
    page.get_by_role("button", name="Đặt mật khẩu và đăng nhập").click()
    expect(page.get_by_role("heading", name="Trang của tôi")).to_be_visible()
