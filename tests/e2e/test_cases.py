"""The case pages in a real browser: a caseworker moves a demo case on through its forms
(a refused form first), and a police officer sees the case of their task without the
reporter."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect
from sqlmodel import select

from casework.db import UnitOfWork
from casework.intake import service as intake_service
from casework.intake.schemas import IntakeCreate
from notifications.models import OutboxMessage
from tests.e2e.conftest import SCREENSHOTS, LiveServer, log_in
from tests.factories.intakes import intake_payload


def open_case_of(page: Page, server: LiveServer, child: str, search: str) -> None:
    page.goto(f"{server.url}/ho-so")
    page.get_by_label("Tìm theo mã hồ sơ hoặc tên trẻ").fill(search)
    page.get_by_role("button", name="Lọc").click()
    row = page.get_by_role("row").filter(has_text=child)
    row.get_by_role("link").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"CS-\d{4}-\d{5}"))


def test_a_caseworker_assesses_a_case_through_its_forms(page: Page, live_server: LiveServer):
    log_in(page, live_server, "canbo.hoa")
    open_case_of(page, live_server, "Mã Thị Huyền", "ma thi huyen")  # no diacritics typed
    clocks = page.locator("#thoi-han ~ .cw-deadline").first
    expect(clocks).to_contain_text("Đánh giá nguy cơ ban đầu")
    expect(clocks).to_contain_text(re.compile(r"Còn \d+ giờ"))
    expect(clocks).to_contain_text("tính theo giờ, kể cả ngày nghỉ")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "case-page.png"), full_page=True)

    page.get_by_role("link", name="Bắt đầu đánh giá nguy cơ ban đầu").click()
    page.get_by_role("button", name="Bắt đầu đánh giá").click()
    expect(page.get_by_text("Đã lưu: Bắt đầu đánh giá nguy cơ ban đầu")).to_be_visible()

    page.get_by_role("link", name="Đánh giá nguy cơ ban đầu", exact=True).click()
    expect(page.get_by_text("Mẫu 02")).to_be_visible()
    page.get_by_label("Hành vi xâm hại, tổn hại đã xảy ra hoặc có nguy cơ xảy ra").fill(
        "Người lạ nhắn tin đòi ảnh riêng tư của trẻ qua mạng xã hội."
    )
    page.get_by_role("group", name="Hiện tại trẻ có an toàn không?").get_by_label("Có").check()
    page.get_by_role("radio", name="Cao").check()
    page.get_by_label("Ghi chú (không bắt buộc)").fill("Trẻ sợ hãi, không muốn dùng điện thoại")
    page.get_by_role("button", name="Lưu kết quả đánh giá").click()  # questions unanswered
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Nhập thương tích, tình trạng sức khỏe của trẻ")
    expect(summary).to_contain_text("Chọn “Có” nếu trẻ cần can thiệp khẩn cấp")
    expect(page).to_have_title(re.compile(r"^Lỗi: Đánh giá nguy cơ ban đầu"))
    expect(page.get_by_role("radio", name="Cao")).to_be_checked()
    expect(page.get_by_label("Ghi chú (không bắt buộc)")).to_have_value(
        "Trẻ sợ hãi, không muốn dùng điện thoại"
    )
    page.screenshot(path=str(SCREENSHOTS / "assessment-errors.png"), full_page=True)

    for question, answer in (
        ("Người gây tổn hại còn tiếp cận được trẻ không?", "Chưa rõ"),
        ("Cha mẹ, người chăm sóc có khả năng bảo vệ trẻ không?", "Có"),
        ("Kết luận: trẻ có cần can thiệp khẩn cấp không?", "Không"),
        ("Kết luận: thông tin báo cáo có được xác minh là đúng không?", "Có"),
    ):
        page.get_by_role("group", name=question).get_by_label(answer, exact=True).check()
    page.get_by_label("Thương tích, tình trạng sức khỏe của trẻ").fill("Không có thương tích.")
    page.get_by_role("button", name="Lưu kết quả đánh giá").click()
    expect(page.get_by_text("Đã lưu: Đánh giá nguy cơ ban đầu")).to_be_visible()
    expect(page.locator(".cw-tags")).to_contain_text("Xây dựng kế hoạch hỗ trợ, can thiệp")
    expect(page.locator(".cw-timeline")).to_contain_text("Trẻ sợ hãi, không muốn dùng điện thoại")


def test_a_police_officer_never_sees_who_reported(page: Page, live_server: LiveServer):
    log_in(page, live_server, "congan.hung")
    open_case_of(page, live_server, "Hoàng Văn Minh", "Hoàng Văn Minh")
    expect(page.get_by_role("heading", name="Nhiệm vụ của cơ quan bạn")).to_be_visible()
    body = page.locator("main")
    expect(body).to_contain_text("Hoàng Văn Minh")
    expect(body).not_to_contain_text("Nông Thị Hằng")  # the mother who called 111
    expect(body).not_to_contain_text("Lục Văn Nam")  # the village head's later report
    expect(body).not_to_contain_text("912 000 201")


def test_the_case_page_fits_a_phone(page: Page, live_server: LiveServer):
    page.set_viewport_size({"width": 360, "height": 740})
    log_in(page, live_server, "canbo.tuan")
    open_case_of(page, live_server, "Hoàng Văn Minh", "minh")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.get_by_role("link", name="Can thiệp khẩn cấp", exact=True).click()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def test_a_new_emergencys_history_is_one_entry_that_opens_to_its_messages(
    page: Page, live_server: LiveServer
):
    """A report naming a parent opens an emergency: tasks to three agencies and the urgent
    notice to the police, the health station and the supervisor, by e-mail and SMS. The
    history shows the report as one entry, its messages folded into one line."""
    received = live_server.clock.now().astimezone(live_server.settings.tz).isoformat()
    payload = intake_payload(
        commune_code="CHAUSON-DEMO",
        first_received_at=received,
        perpetrator_relation="parent",
        **{"child.full_name": "Lý Thị Mỹ", "child.village": "Thôn Nà Pàn"},
    )
    with UnitOfWork(live_server.factory) as uow:
        opened = intake_service.record_intake(
            uow.session,
            data=IntakeCreate.model_validate(payload),
            now=live_server.clock.now(),
            tz=live_server.settings.tz,
        )
        sent = uow.session.exec(
            select(OutboxMessage).where(OutboxMessage.subject_ref == f"case:{opened.case_code}")
        ).all()
        uow.commit()
    assert len(sent) >= 12
    log_in(page, live_server, "canbo.hoa")
    page.goto(f"{live_server.url}/ho-so/{opened.case_code}")

    history = page.locator(".cw-timeline")
    entries = history.locator("> li")
    expect(entries).to_have_count(1)
    expect(entries).to_contain_text("Tiếp nhận thông tin, mở hồ sơ")
    summary = history.locator("summary")
    folded = rf"^\s*{len(sent)} tin .*: e-mail và SMS tới Công an xã"
    expect(summary).to_have_text(re.compile(folded))
    lines = history.locator(".govuk-details__text li")
    expect(lines.first).to_be_hidden()
    assert history.bounding_box()["height"] < 250
    summary.click()
    expect(lines).to_have_count(len(sent))
    expect(lines.first).to_be_visible()
