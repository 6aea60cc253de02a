"""Đề án 06 in a real browser: the demo's commune police officer (congan.hung) verifies a
child's id on a 360-px phone, a mistyped number refused next to its field first; then
the caseworker updates the record from the verified values."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.e2e.conftest import LiveServer, log_in

PHONE = {"width": 360, "height": 740}


def fits_the_phone(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_the_police_verify_a_childs_id_on_a_phone_and_the_caseworker_updates_the_record(
    page: Page, live_server: LiveServer
):
    page.set_viewport_size(PHONE)
    log_in(page, live_server, "congan.hung")
    page.goto(f"{live_server.url}/viec-lam-sach")
    expect(page.locator("main")).to_contain_text("Nông Văn Tài")
    page.get_by_role("link", name="Lục Thị Hương").click()
    expect(page.get_by_role("heading", name="Lục Thị Hương")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Bản sao giấy khai sinh")  # the visit's note
    fits_the_phone(page)

    page.get_by_label("Số định danh cá nhân đã xác thực").fill("02032000")
    page.get_by_label("Ngày", exact=True).fill("23")
    page.get_by_label("Tháng", exact=True).fill("1")
    page.get_by_label("Năm", exact=True).fill("2020")
    page.get_by_label("Nữ", exact=True).check()
    page.get_by_role("button", name="Gửi kết quả xác thực").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Số định danh cá nhân phải có đúng 12 chữ số")
    expect(page.locator("#personal_id-error")).to_contain_text("đúng 12 chữ số")
    expect(page.get_by_label("Năm", exact=True)).to_have_value("2020")  # what was typed is kept
    fits_the_phone(page)

    page.get_by_label("Số định danh cá nhân đã xác thực").fill("020320000777")
    page.get_by_role("button", name="Gửi kết quả xác thực").click()
    expect(page.get_by_text("Đã gửi kết quả xác thực.")).to_be_visible()
    expect(page.locator("main")).not_to_contain_text("Lục Thị Hương")
    fits_the_phone(page)

    page.context.clear_cookies()
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, live_server, "canbo.hoa")
    page.goto(f"{live_server.url}/dang-ky/lam-sach")
    row = page.locator("tr", has_text="Lục Thị Hương")
    expect(row).to_contain_text("Chờ cập nhật hồ sơ")
    row.get_by_role("link", name="Lục Thị Hương").click()
    expect(page.locator("main")).to_contain_text("020320000777")
    page.get_by_role("button", name="Cập nhật hồ sơ").click()
    expect(page.get_by_text("Đã cập nhật hồ sơ trẻ")).to_be_visible()
    expect(page.locator("main")).not_to_contain_text("Lục Thị Hương")
