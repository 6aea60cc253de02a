"""The work queues in a real browser: the police see what their task needs and answer it
from Nhiệm vụ của tôi, a decline without a reason is refused in words, the supervisor
extends an escalation from the queue, and the queue fits a 360-px phone as cards."""

from __future__ import annotations

import json
from datetime import timedelta

from playwright.sync_api import Page, expect

from casework.db import UnitOfWork
from casework.demo.data import VILLAGES
from casework.intake import service as intake_service
from casework.intake.schemas import IntakeCreate
from tests.e2e.conftest import SCREENSHOTS, LiveServer, log_in
from tests.factories.intakes import intake_payload


def report_child_hurt_by_parent(server: LiveServer, name: str) -> str:
    """A report the commune received just now: a parent hurt the child (an emergency, with
    tasks for the police and the health station). Returns the case code."""
    now = server.clock.now()
    payload = intake_payload(
        commune_code="CHAUSON-DEMO",
        first_received_at=now.astimezone(server.settings.tz).isoformat(),
        perpetrator_relation="parent",
        **{"child.full_name": name, "child.village": VILLAGES[0]},
    )
    with UnitOfWork(server.factory) as uow:
        result = intake_service.record_intake(
            uow.session,
            data=IntakeCreate.model_validate_json(json.dumps(payload)),
            now=now,
            tz=server.settings.tz,
        )
        uow.commit()
    return result.case_code


def test_the_police_accept_then_complete_their_task(page: Page, live_server: LiveServer):
    code = report_child_hurt_by_parent(live_server, "Hoàng Văn Tùng")
    log_in(page, live_server, "congan.hung")
    page.get_by_role("link", name="Nhiệm vụ của tôi").first.click()
    expect(page.get_by_role("heading", name="Nhiệm vụ của tôi")).to_be_visible()
    row = page.locator("tr", has_text=code)
    # the acceptance clock, which escalates first, beside the due time
    expect(row).to_contain_text("Hạn nhận nhiệm vụ")
    expect(row).to_contain_text("Hạn hoàn thành")
    row.get_by_role("link").first.click()
    expect(page.get_by_text(f"Hồ sơ {code}", exact=True)).to_be_visible()
    # what the police's task needs: what happened, where, who is suspected; whom to call
    main = page.locator("main")
    expect(main).to_contain_text("Hàng xóm nghe tiếng trẻ khóc")
    expect(main).to_contain_text("Nhà riêng, Thôn Đồng Tâm")
    expect(main).to_contain_text("Cha, mẹ")
    expect(page.locator(".cw-deadline").filter(has_text="Hạn nhận nhiệm vụ")).to_contain_text("Còn")
    call = page.locator(".cw-contact a[href^='tel:+84']").first
    expect(call).to_contain_text("Gọi 09")
    page.screenshot(path=str(SCREENSHOTS / "agency-task-facts.png"), full_page=True)
    page.get_by_role("button", name="Nhận nhiệm vụ").click()
    expect(page.get_by_text("Đã nhận nhiệm vụ.")).to_be_visible()
    expect(page.get_by_role("button", name="Nhận nhiệm vụ")).to_have_count(0)
    page.screenshot(path=str(SCREENSHOTS / "nhiem-vu.png"))
    page.get_by_label("Kết quả thực hiện").fill("Đã xác minh tại nhà, lập biên bản.")
    page.get_by_role("button", name="Đánh dấu hoàn thành").click()
    expect(page.get_by_text("Đã đánh dấu hoàn thành.")).to_be_visible()
    expect(page.locator("tr", has_text=code)).to_have_count(0)
    # the reporter never shows on an agency's pages
    assert "Lò Văn Tính" not in page.content()


def test_a_decline_without_a_reason_is_refused_in_words(page: Page, live_server: LiveServer):
    log_in(page, live_server, "congan.hung")
    page.goto(f"{live_server.url}/nhiem-vu")
    page.locator("tbody tr").first.get_by_role("link").first.click()
    page.get_by_role("button", name="Báo không thực hiện được").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link", name="Nhập lý do")).to_be_visible()
    expect(page.locator("#reason-error")).to_contain_text("Nhập lý do")
    assert page.title().startswith("Lỗi: ")


def test_the_supervisor_extends_an_escalation_from_the_queue(page: Page, live_server: LiveServer):
    code = report_child_hurt_by_parent(live_server, "Lục Thị Bích")
    live_server.move(timedelta(hours=13))  # past the 12-hour emergency clocks: escalated
    log_in(page, live_server, "pct.lan")
    page.get_by_role("link", name="Việc cần lãnh đạo xử lý").first.click()
    expect(page.get_by_role("heading", name="Việc cần lãnh đạo xử lý")).to_be_visible()
    late = (
        page.locator("tbody tr").filter(has_text=code).filter(has_text="Đánh giá nguy cơ ban đầu")
    )
    late.get_by_role("link", name=f"Xử lý hồ sơ {code}").click()
    expect(page.get_by_role("heading", name="Quá hạn")).to_be_visible()
    tomorrow = (live_server.clock.now() + timedelta(days=1)).astimezone(live_server.settings.tz)
    page.get_by_label("Ngày", exact=True).fill(str(tomorrow.day))
    page.get_by_label("Tháng", exact=True).fill(str(tomorrow.month))
    page.get_by_label("Năm", exact=True).fill(str(tomorrow.year))
    page.get_by_label("Giờ", exact=True).fill("17:00")
    page.get_by_label("Lý do gia hạn").fill("Chờ kết quả giám định của Trạm y tế.")
    page.get_by_role("button", name="Gia hạn", exact=True).click()
    expect(page.get_by_text("Đã gia hạn.")).to_be_visible()
    page.screenshot(path=str(SCREENSHOTS / "hang-doi-leo-thang.png"))


def test_the_queue_on_a_phone_is_cards_without_sideways_scrolling(
    page: Page, live_server: LiveServer
):
    page.set_viewport_size({"width": 360, "height": 740})
    log_in(page, live_server, "pct.lan")
    page.goto(f"{live_server.url}/leo-thang")
    rows = page.locator("table.cw-queue tbody tr")
    expect(rows.first).to_be_visible()
    assert rows.count() > 1
    for display in rows.evaluate_all("rows => rows.map(r => getComputedStyle(r).display)"):
        assert display == "block"
    expect(rows.first.locator(".cw-card-title")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.locator("table.cw-queue tbody tr").first.scroll_into_view_if_needed()
    page.screenshot(path=str(SCREENSHOTS / "hang-doi-leo-thang-dien-thoai.png"))
