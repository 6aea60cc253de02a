"""The chairperson decides on a plan she can read, in a real browser: at 1280 px and on a
360-px phone the plan (activities, agencies, dates, costs, the Mẫu 03 findings) is above
the decision, "Phê duyệt kế hoạch" and "Trả lại kế hoạch" side by side; sending it back
needs a reason; approving it starts the first visit's and the review's clocks."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.e2e.conftest import SCREENSHOTS, LiveServer, log_in

HA = "Lộc Thị Hà"  # the demo's plan for her waits for the chairperson
KHANH = "Nông Văn Khánh"  # so does this one


def open_decision(page: Page, server: LiveServer, child: str) -> None:
    page.goto(f"{server.url}/ho-so?status=awaiting_approval")
    page.get_by_role("row").filter(has_text=child).get_by_role("link").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"CS-\d{4}-\d{5}"))
    page.get_by_role("link", name="Phê duyệt kế hoạch", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Xét duyệt kế hoạch hỗ trợ, can thiệp"
    )


def side_by_side(page: Page) -> None:
    approve = page.get_by_role("button", name="Phê duyệt kế hoạch").bounding_box()
    send_back = page.get_by_role("button", name="Trả lại kế hoạch").bounding_box()
    assert approve is not None
    assert send_back is not None
    assert abs(approve["y"] - send_back["y"]) < 2, (approve, send_back)
    assert approve["x"] + approve["width"] <= send_back["x"]


def test_the_chairperson_reads_the_plan_and_approves_it(page: Page, live_server: LiveServer):
    log_in(page, live_server, "pct.lan")
    open_decision(page, live_server, HA)
    activities = page.locator("#hoat-dong")
    expect(activities).to_contain_text("Trạm Y tế xã Châu Sơn")
    expect(activities).to_contain_text("Hội Chữ thập đỏ xã Châu Sơn")
    expect(activities).to_contain_text("1.500.000 đồng")
    expect(activities.locator("tfoot")).to_contain_text("Tổng kinh phí")
    expect(page.locator(".cw-findings")).to_contain_text("c) Các yếu tố nguy cơ")
    expect(page.locator("main")).to_contain_text("Họp liên ngành ngày")
    expect(page.locator("#first_visit_on-day")).not_to_have_value("")
    side_by_side(page)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "approval-plan.png"), full_page=True)

    page.get_by_role("button", name="Phê duyệt kế hoạch").click()
    expect(page.get_by_text("Đã lưu: Phê duyệt kế hoạch")).to_be_visible()
    clocks = page.locator("#thoi-han ~ .cw-deadline")
    expect(clocks.filter(has_text="Thăm theo dõi định kỳ")).to_contain_text("Còn 14 ngày")
    expect(clocks.filter(has_text="Rà soát kết quả can thiệp (Mẫu 06)")).to_have_count(1)
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280


def test_on_a_phone_the_plan_and_both_buttons_fit_and_a_send_back_needs_a_reason(
    page: Page, live_server: LiveServer
):
    page.set_viewport_size({"width": 360, "height": 740})
    log_in(page, live_server, "pct.lan")
    open_decision(page, live_server, KHANH)
    expect(page.locator("#hoat-dong")).to_contain_text("3.000.000 đồng")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    side_by_side(page)
    page.screenshot(path=str(SCREENSHOTS / "approval-plan-phone.png"), full_page=True)

    page.get_by_label("Ý kiến của Chủ tịch UBND xã (không bắt buộc)").fill("Xem lại kinh phí")
    page.get_by_role("button", name="Trả lại kế hoạch").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Nhập lý do")
    expect(page.get_by_label("Ý kiến của Chủ tịch UBND xã (không bắt buộc)")).to_have_value(
        "Xem lại kinh phí"
    )
    expect(page.locator("#hoat-dong")).to_contain_text("3.000.000 đồng")  # still shown
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.get_by_label("Lý do chưa phê duyệt").fill("Giảm kinh phí lớp học bơi")
    page.get_by_role("button", name="Trả lại kế hoạch").click()
    expect(page.get_by_text("Đã lưu: Chưa phê duyệt, trả lại kế hoạch")).to_be_visible()
    expect(page.locator(".cw-tags")).to_contain_text("Xây dựng kế hoạch hỗ trợ, can thiệp")
