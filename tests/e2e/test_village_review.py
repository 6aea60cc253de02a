"""The monthly village review in a real browser on a 360-px phone: the demo collaborator
reviews her village (Thôn Háng Ý), forgetting a child at first, then the caseworker
applies her answers and closes the review."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.e2e.conftest import LiveServer, log_in

PHONE = {"width": 360, "height": 740}


def fits_the_phone(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_a_collaborator_reviews_her_village_on_a_phone_then_the_caseworker_confirms(
    page: Page, live_server: LiveServer
):
    page.set_viewport_size(PHONE)
    log_in(page, live_server, "ctv.nga")
    page.goto(f"{live_server.url}/ra-soat-thon")
    page.get_by_role("link", name="Tháng 03/2026").click()
    expect(page.get_by_role("heading", name="Rà soát Thôn Háng Ý")).to_be_visible()
    child = page.get_by_role("group", name="Lăng Thị Yến")
    expect(child).to_contain_text("Sinh năm 2022")
    expect(child).to_contain_text("Mắc bệnh hiểm nghèo")
    expect(page.locator("main")).not_to_contain_text("Lăng Văn Hòa")  # her father: not shown
    fits_the_phone(page)

    page.get_by_role("button", name="Gửi kết quả rà soát").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Chọn tình trạng của trẻ Lăng Thị Yến")
    fits_the_phone(page)

    # the demo's at-risk mark in the same village: still as she was
    page.get_by_role("group", name="Triệu Thị Dung").get_by_label("Vẫn thuộc nhóm").check()
    child.get_by_label("Có thay đổi").check()
    child.get_by_label("Thay đổi gì?").fill("Gia đình đã thoát nghèo")
    new = page.get_by_role("group", name="Trẻ mới 1")
    new.get_by_label("Họ và tên").fill("Triệu Văn Chạn")
    new.get_by_label("Năm sinh").fill("2018")
    new.get_by_label("Nam", exact=True).check()
    new.get_by_label("Nhóm").select_option(label="a) Mồ côi cả cha và mẹ")
    new.get_by_label("Ghi chú").fill("Sống với bà ngoại")
    page.get_by_role("button", name="Gửi kết quả rà soát").click()
    expect(page.get_by_text("Đã gửi kết quả rà soát")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Triệu Văn Chạn")
    fits_the_phone(page)

    page.context.clear_cookies()
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, live_server, "canbo.hoa")
    page.goto(f"{live_server.url}/ra-soat")
    row = page.locator("tr", has_text="Thôn Háng Ý")
    expect(row).to_contain_text("Chờ xác nhận")
    row.get_by_role("link", name="Thôn Háng Ý").click()

    yen = page.locator(".govuk-summary-card", has_text="Lăng Thị Yến")
    expect(yen).to_contain_text("Gia đình đã thoát nghèo")
    yen.get_by_label("Khi cập nhật: thôi hưởng các nhóm vì").select_option(
        label="Không còn hoàn cảnh đặc biệt"
    )
    yen.get_by_role("button", name="Cập nhật", exact=True).click()
    expect(page.get_by_text("Đã ghi nhận quyết định.")).to_be_visible()

    chan = page.locator(".govuk-summary-card", has_text="Triệu Văn Chạn")
    chan.get_by_role("button", name="Cập nhật", exact=True).click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Nhập dân tộc")
    chan = page.locator(".govuk-summary-card", has_text="Triệu Văn Chạn")
    chan.get_by_label("Dân tộc (để ghi vào sổ trẻ em)").fill("Dao")
    chan.get_by_role("button", name="Cập nhật", exact=True).click()
    expect(page.get_by_text("Đã ghi nhận quyết định.")).to_be_visible()

    page.get_by_role("button", name="Hoàn thành đợt rà soát").click()
    expect(page.get_by_text("Đã hoàn thành đợt rà soát.")).to_be_visible()
    page.goto(f"{live_server.url}/ra-soat")
    expect(page.locator("tr", has_text="Thôn Háng Ý")).to_contain_text("Đã hoàn thành")
