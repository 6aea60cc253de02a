"""Statutory reporting in a real browser: the police send their six-monthly report, the
caseworker consolidates the commune's, the supervisor approves it and downloads it as Word
and the statistics as Excel, and the province's viewer sees small counts as "< 5"."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import docx
import openpyxl
from playwright.sync_api import Page, expect

from casework.reports.tasks import report_job
from tests.e2e.conftest import LiveServer, log_in

# 09:00 on Monday 20 April 2026: the agencies' first-half reports opened on 10 April, the
# commune's on 15 April.
OPENED = datetime(2026, 4, 20, 2, 0, tzinfo=UTC)


def test_the_police_report_the_commune_consolidates_and_the_supervisor_approves(
    page: Page, live_server: LiveServer
):
    live_server.clock.set(OPENED)
    report_job(live_server.factory, live_server.settings, live_server.clock)()

    log_in(page, live_server, "congan.hung")
    page.get_by_role("link", name="Báo cáo định kỳ").click()
    page.get_by_role("link", name="Báo cáo 6 tháng đầu năm của các cơ quan 2026").click()
    page.get_by_label("2. Công tác bảo vệ trẻ em (ở 3 cấp độ)").fill(
        "Xác minh các vụ việc được giao trong 12 giờ."
    )
    page.get_by_role("button", name="Nộp báo cáo").click()
    expect(page.get_by_text("Đã nộp báo cáo cho xã.")).to_be_visible()
    expect(page.locator("[data-state]")).to_have_text("Đã nộp, chờ xã tiếp nhận")

    page.context.clear_cookies()
    log_in(page, live_server, "canbo.hoa")
    page.goto(f"{live_server.url}/bao-cao-dinh-ky")
    page.get_by_role("link", name="Báo cáo 6 tháng đầu năm của xã 2026").click()
    protection = page.get_by_label("2. Công tác bảo vệ trẻ em (ở 3 cấp độ)")
    expect(protection).to_have_value(
        "Công an xã Châu Sơn: Xác minh các vụ việc được giao trong 12 giờ."
    )
    page.get_by_role("button", name="Trình lãnh đạo phê duyệt").click()
    expect(page.get_by_text("Đã trình lãnh đạo phê duyệt.")).to_be_visible()

    page.context.clear_cookies()
    log_in(page, live_server, "pct.lan")
    page.goto(f"{live_server.url}/bao-cao-dinh-ky")
    page.get_by_role("link", name="Báo cáo 6 tháng đầu năm của xã 2026").click()
    page.get_by_role("button", name="Phê duyệt").click()
    expect(page.get_by_text("Đã phê duyệt báo cáo.")).to_be_visible()
    with page.expect_download() as word:
        page.get_by_role("link", name="Tải dự thảo báo cáo (Word)").click()
    text = "\n".join(
        p.text for p in docx.Document(io.BytesIO(word.value.path().read_bytes())).paragraphs
    )
    assert "Công an xã Châu Sơn: Xác minh các vụ việc được giao trong 12 giờ." in text
    assert "Độ mật: HẠN CHẾ" in text

    page.goto(f"{live_server.url}/thong-ke")
    shown = page.locator('[data-figure="abused_children"]').inner_text()
    with page.expect_download() as excel:
        page.get_by_role("link", name="Tải bảng số liệu (Excel)").click()
    book = openpyxl.load_workbook(io.BytesIO(excel.value.path().read_bytes()))
    rows = {r[0]: r[1] for r in book["0101 Trẻ em bị xâm hại"].iter_rows(values_only=True)}
    assert str(rows["Tổng số"]) == shown

    page.context.clear_cookies()
    log_in(page, live_server, "tinh.quang")
    page.goto(f"{live_server.url}/thong-ke")
    expect(page.locator('[data-cell="abused_children.sex.male"]')).to_have_text("< 5")
    expect(page.get_by_text("Số từ 1 đến 4 được hiện là “< 5”")).to_be_visible()
