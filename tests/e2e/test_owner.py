"""Who owns a case, in a real browser: a caseworker takes a new case from its page, the
supervisor gives it to another caseworker, who then finds it among their own cases."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.e2e.conftest import LiveServer, log_in
from tests.e2e.test_queues import report_child_hurt_by_parent


def test_a_caseworker_takes_a_case_and_the_supervisor_gives_it_to_another(
    page: Page, live_server: LiveServer
):
    code = report_child_hurt_by_parent(live_server, "Nông Thị Duyên")
    log_in(page, live_server, "canbo.hoa")
    page.goto(f"{live_server.url}/ho-so/{code}")
    expect(page.locator("#phu-trach")).to_contain_text("Phụ trách: chưa phân công")
    page.get_by_role("button", name="Nhận hồ sơ").click()
    expect(page.get_by_text("Bạn đã nhận phụ trách hồ sơ này")).to_be_visible()
    expect(page.locator("#phu-trach")).to_contain_text("Phụ trách: Hoàng Thị Hoa")
    expect(page.get_by_role("button", name="Nhận hồ sơ")).to_have_count(0)

    page.context.clear_cookies()
    log_in(page, live_server, "pct.lan")
    page.goto(f"{live_server.url}/ho-so/{code}")
    page.get_by_role("link", name="Đổi người phụ trách").click()
    page.get_by_role("button", name="Giao hồ sơ").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link", name="Chọn người phụ trách")).to_be_visible()
    page.get_by_label("Người phụ trách mới").select_option(
        label="Lộc Văn Tuấn (Người làm công tác bảo vệ trẻ em)"
    )
    page.get_by_label("Lý do (không bắt buộc)").fill("Chị Hoa nghỉ phép.")
    page.get_by_role("button", name="Giao hồ sơ").click()
    expect(page.get_by_text("Đã giao người phụ trách hồ sơ")).to_be_visible()
    expect(page.locator("#phu-trach")).to_contain_text("Phụ trách: Lộc Văn Tuấn")
    history = page.locator("#dien-bien + ol")
    expect(history).to_contain_text("Giao người phụ trách hồ sơ")
    expect(history).to_contain_text("Chị Hoa nghỉ phép.")

    page.context.clear_cookies()
    log_in(page, live_server, "canbo.tuan")
    page.goto(f"{live_server.url}/trang-cua-toi?show=mine")
    expect(page.locator("tbody").get_by_role("link", name=code)).to_be_visible()
    expect(page.locator("tbody")).to_contain_text("Nông Thị Duyên")
