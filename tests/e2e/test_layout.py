"""The layout in a real browser: styles and scripts load from this site, errors are
summarised with the focus on them, English is one click away, a phone is served."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.e2e.conftest import LiveServer


def test_a_wrong_password_shows_the_error_summary_with_the_focus_on_it(
    page: Page, live_server: LiveServer
):
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on(
        "console",
        # The refused form answers 422 on purpose; any other console error is a fault.
        lambda m: (
            problems.append(m.text) if m.type == "error" and "status of 422" not in m.text else None
        ),
    )
    page.goto(f"{live_server.url}/dang-nhap")
    expect(page).to_have_title("Đăng nhập – Bảo vệ trẻ em cấp xã")
    # GOV.UK Frontend's script ran (it marks the body) and its stylesheet applied.
    expect(page.locator("body")).to_have_class(
        "govuk-template__body js-enabled govuk-frontend-supported"
    )
    page.get_by_label("Tên đăng nhập").fill("canbo.hoa")
    page.get_by_label("Mật khẩu").fill("khong-dung-mat-khau")
    page.get_by_role("button", name="Đăng nhập").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    expect(page).to_have_title("Lỗi: Đăng nhập – Bảo vệ trẻ em cấp xã")
    expect(summary).to_be_focused()
    assert problems == []


def test_english_is_one_click_away(page: Page, live_server: LiveServer):
    page.goto(f"{live_server.url}/dang-nhap")
    page.get_by_role("link", name="English").click()
    expect(page.get_by_role("heading", name="Log in")).to_be_visible()
    page.get_by_role("link", name="Tiếng Việt").click()
    expect(page.get_by_role("heading", name="Đăng nhập")).to_be_visible()


def test_a_phone_gets_the_page_without_sideways_scrolling(page: Page, live_server: LiveServer):
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(f"{live_server.url}/dang-nhap")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360
