"""A collaborator types a report for longer than the session lasts: sending it brings the
login page, not a lost report, and after logging in again one click sends it on."""

from __future__ import annotations

import re
import time

from itsdangerous import TimestampSigner
from playwright.sync_api import Page, expect

from casework.web import sessions
from tests.conftest import TEST_KEYS
from tests.e2e.conftest import LiveServer
from tests.e2e.test_intake import group, logged_in

CHILD = "Lò Văn Quý"


def let_the_session_expire(page: Page, server: LiveServer) -> None:
    """The browser's session cookie, re-signed as if its last request was longer ago than
    the idle timeout (what a long phone call does)."""
    idle = server.settings.session_idle_minutes * 60

    class LongAgo(TimestampSigner):
        def get_timestamp(self) -> int:
            return int(time.time()) - idle - 60

    [cookie] = [c for c in page.context.cookies() if c["name"] == sessions.COOKIE]
    data = sessions.signer(TEST_KEYS["secret_key"]).unsign(cookie["value"])
    stale = LongAgo(TEST_KEYS["secret_key"], salt=sessions.SALT).sign(data).decode()
    page.context.add_cookies([{**cookie, "value": stale}])


def fill_report(page: Page, *, child: str | None = CHILD) -> None:
    group(page, "Thông tin đến qua kênh nào?").get_by_label("Cộng tác viên").check()
    group(page, "Người báo tin có cho biết họ tên hoặc số điện thoại không?").get_by_label(
        "Không, báo tin ẩn danh"
    ).check()
    if child:
        page.get_by_label("Họ và tên của trẻ").fill(child)
    group(page, "Ngày, tháng, năm sinh").get_by_label("Năm").fill("2016")
    group(page, "Giới tính").get_by_label("Nam").check()
    page.get_by_label("Bỏ rơi").check()
    group(page, "Việc xảy ra ở môi trường nào?").get_by_label("Gia đình").check()
    page.get_by_label("Cha, mẹ").check()
    group(page, "Trẻ có đang gặp nguy hiểm ngay lúc này không?").get_by_label(
        "Không", exact=True
    ).check()
    page.get_by_label("Sự việc đã xảy ra như thế nào?").fill("Trẻ ở nhà một mình nhiều ngày.")


def log_in_again(page: Page, server: LiveServer, username: str) -> None:
    expect(page.get_by_text("Phiên làm việc đã hết vì lâu không thao tác")).to_be_visible()
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(server.password)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("heading", name="Gửi tiếp những gì bạn đã nhập")).to_be_visible()
    page.get_by_role("button", name="Gửi tiếp").click()


def test_a_report_sent_after_the_session_expired_is_sent_on_after_logging_in(
    page: Page, live_server: LiveServer
):
    logged_in(page, live_server, "ctv.nga")
    page.goto(f"{live_server.url}/bao-cao/moi")
    fill_report(page)
    let_the_session_expire(page, live_server)

    page.get_by_role("button", name="Gửi báo cáo").click()

    log_in_again(page, live_server, "ctv.nga")
    expect(page.get_by_role("heading", name="Đã nhận báo cáo")).to_be_visible()


def test_a_live_search_after_the_session_expired_does_not_lose_the_report(
    page: Page, live_server: LiveServer
):
    logged_in(page, live_server, "canbo.hoa")
    page.goto(f"{live_server.url}/bao-cao/moi")
    fill_report(page, child=None)
    let_the_session_expire(page, live_server)
    with page.expect_response(lambda answer: answer.status == 401):
        page.get_by_label("Họ và tên của trẻ").press_sequentially("Lò Văn Thắng", delay=10)

    page.get_by_role("button", name="Gửi báo cáo").click()

    log_in_again(page, live_server, "canbo.hoa")
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"CS-\d{4}-\d{5}"))


def test_a_link_followed_after_the_session_expired_leads_to_the_login_page(
    page: Page, live_server: LiveServer
):
    logged_in(page, live_server, "ctv.nga")
    page.goto(f"{live_server.url}/bao-cao/moi")
    let_the_session_expire(page, live_server)

    page.get_by_role("link", name="Báo cáo mới").first.click()  # a boosted link: htmx

    expect(page.get_by_role("heading", name="Đăng nhập")).to_be_visible()
    expect(page).to_have_url(f"{live_server.url}/dang-nhap?next=/bao-cao/moi")
