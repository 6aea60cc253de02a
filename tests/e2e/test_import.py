"""A caseworker brings the commune's Excel list in: the sample with mistakes shows each one
by row and column, the report downloads, the corrected file imports in full."""

from __future__ import annotations

import io
from datetime import timedelta
from pathlib import Path

from playwright.sync_api import Page, expect
from python_calamine import CalamineWorkbook

from casework.registry.imports.tasks import run_one
from tests.e2e.conftest import LiveServer, log_in

SAMPLES = Path(__file__).resolve().parents[2] / "docs" / "samples"


def run_worker(server: LiveServer) -> None:
    """What the ticker of `casework serve` does every second."""
    while run_one(server.factory, clock=server.clock, settings=server.settings, worker="e2e",
                  lease=timedelta(minutes=5)):  # fmt: skip
        pass


def upload(page: Page, server: LiveServer, name: str) -> None:
    page.goto(f"{server.url}/tre-em/nhap")
    page.get_by_label("Tệp danh sách").set_input_files(str(SAMPLES / name))
    page.get_by_role("button", name="Tải lên và kiểm tra").click()
    expect(page.get_by_text("Đang chờ đến lượt xử lý")).to_be_visible()
    run_worker(server)  # the page polls, then reloads itself with the report


def test_a_caseworker_imports_the_sample_sees_the_errors_and_imports_the_corrected_file(
    page: Page, live_server: LiveServer
):
    log_in(page, live_server, "canbo.hoa")
    upload(page, live_server, "danh-sach-tre-em-mau.xlsx")
    expect(page.get_by_role("heading", name="Kết quả kiểm tra từng dòng")).to_be_visible()
    table = page.locator("table")
    expect(table).to_contain_text("Ngày sinh “30/02/2016” không có thật trên lịch")
    expect(table).to_contain_text("Số định danh cá nhân bắt đầu bằng 999")
    expect(table).to_contain_text("Xã không có thôn “Thôn Chín”")
    expect(table).to_contain_text("Nhóm hoàn cảnh “z” không có trong Luật Trẻ em Điều 10")
    with page.expect_download() as download:
        page.get_by_role("link", name="Tải báo cáo về (tệp Excel)").click()
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(Path(download.value.path()).read_bytes()))
    rows = sheet.get_sheet_by_index(0).to_python()
    assert sorted(int(row[0]) for row in rows[1:] if row[2] == "Lỗi") == [8, 9, 10, 11]

    upload(page, live_server, "danh-sach-tre-em-mau-da-sua.xlsx")
    expect(page.get_by_text("Tệp không có dòng lỗi.")).to_be_visible()
    page.get_by_role("button", name="Nhập tất cả hoặc không nhập gì").click()
    expect(page.get_by_text("Đang chờ đến lượt xử lý")).to_be_visible()
    run_worker(live_server)
    expect(page.get_by_text("Đã nhập xong")).to_be_visible()
    expect(page.get_by_text("7 trẻ mới, 0 trẻ đã có trong danh sách")).to_be_visible()
    page.goto(f"{live_server.url}/tre-em?q=trieu thi en")
    expect(page.get_by_role("link", name="Triệu Thị Én")).to_be_visible()
