"""A province's first day in a real browser: its administrator adds a commune from the
official list, works in it, imports its people from the sample spreadsheet (the report
names the two bad rows), and one of the people opens her activation link, sets her own
password and finds her task list empty."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from playwright.sync_api import Page, expect

from casework.registry.imports.tasks import run_one
from tests.e2e.conftest import LiveServer, log_in
from tests.e2e.test_going_live import activation_path

SAMPLE = Path(__file__).resolve().parents[2] / "docs" / "samples" / "danh-sach-nguoi-dung-mau.xlsx"


def run_worker(server: LiveServer) -> None:
    while run_one(server.factory, clock=server.clock, settings=server.settings, worker="e2e",
                  lease=timedelta(minutes=5)):  # fmt: skip
        pass


def test_a_province_administrator_sets_up_a_commune_whose_caseworker_activates_her_account(
    page: Page, live_server: LiveServer
):
    log_in(page, live_server, "quantri.tinh")  # the demo's: Lạng Sơn's administrator
    page.get_by_role("link", name="Các xã của tỉnh").first.click()
    expect(page.get_by_role("heading", name="Các xã, phường của tỉnh Lạng Sơn")).to_be_visible()
    expect(page.locator("tbody")).to_contain_text("Xã Châu Sơn")  # the demo commune is there
    page.get_by_label("Xã, phường, đặc khu").select_option(label="Xã Thất Khê (06040)")
    page.get_by_role("button", name="Thêm xã").click()
    expect(page.get_by_text("Đã thêm xã, phường cùng các cơ quan của xã.")).to_be_visible()
    page.get_by_role("button", name="Làm việc với Xã Thất Khê").click()
    expect(page.get_by_text("Bạn đang làm việc với Xã Thất Khê.")).to_be_visible()

    page.get_by_role("link", name="Nhập danh sách người dùng từ tệp Excel").click()
    page.get_by_label("Tệp danh sách").set_input_files(str(SAMPLE))
    page.get_by_role("button", name="Tải lên và kiểm tra").click()
    expect(page.get_by_text("Đang chờ đến lượt xử lý")).to_be_visible()
    run_worker(live_server)  # the page polls, then reloads itself with the report
    table = page.locator("table")
    expect(table).to_contain_text("Vai trò “Giám đốc” không có")
    expect(table).to_contain_text("Điện thoại phải là số điện thoại Việt Nam")
    page.get_by_role("button", name="Chỉ nhập các dòng hợp lệ").click()
    expect(page.get_by_text("Đang chờ đến lượt xử lý")).to_be_visible()  # the choice is in
    run_worker(live_server)
    expect(page.get_by_text("Đã tạo 4 tài khoản")).to_be_visible()
    page.get_by_role("link", name="Người dùng", exact=True).last.click()
    expect(page.locator("tbody")).to_contain_text("canbo.hoa.tk")
    expect(page.locator("tbody")).to_contain_text("Chưa kích hoạt")

    page.context.clear_cookies()
    page.goto(activation_path(live_server, "canbo.hoa.tk"))
    expect(page.get_by_role("heading", name="Kích hoạt tài khoản")).to_be_visible()
    page.get_by_label("Mật khẩu mới", exact=True).fill("hoa-dao-that-khe-2026")
    page.get_by_label("Nhập lại mật khẩu mới").fill("hoa-dao-that-khe-2026")
    page.get_by_role("button", name="Đặt mật khẩu và đăng nhập").click()
    expect(page.get_by_role("heading", name="Trang của tôi")).to_be_visible()
    page.goto(f"{live_server.url}/nhiem-vu")
    expect(page.get_by_text("Không có nhiệm vụ nào ở đây.")).to_be_visible()
