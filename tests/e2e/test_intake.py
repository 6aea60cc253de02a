"""Intake and the children register in a real browser.

A village collaborator reports a child hurt by a parent, first forgetting what happened
(the error summary takes the focus, nothing typed is lost), then in full, and gets a
receipt that says nothing about the case; the caseworker finds the child by a name typed
without diacritics, and the case there with its 12-hour emergency clock running.
"""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.e2e.conftest import SCREENSHOTS, LiveServer, log_in

CHILD = "Đặng Ngọc Ánh"


def logged_in(page: Page, server: LiveServer, username: str) -> None:
    """``log_in``, and wait for the login's answer: the form is posted by htmx, and a
    navigation started before the session cookie arrives would go without it."""
    with page.expect_response(
        lambda answer: answer.request.method == "POST" and answer.url.endswith("/dang-nhap")
    ):
        log_in(page, server, username)


def group(page: Page, legend: str):  # type: ignore[no-untyped-def]
    return page.get_by_role("group", name=legend)


def test_a_collaborator_reports_a_child_hurt_by_a_parent_and_the_caseworker_finds_the_case(
    page: Page, live_server: LiveServer
):
    logged_in(page, live_server, "ctv.nga")
    page.goto(f"{live_server.url}/bao-cao/moi")
    expect(page.get_by_role("heading", name="Báo cáo tiếp nhận thông tin trẻ em")).to_be_visible()
    expect(page.get_by_text("Trẻ đang gặp nguy hiểm? Gọi").first).to_be_visible()
    group(page, "Thông tin đến qua kênh nào?").get_by_label("Cộng tác viên").check()
    group(page, "Người báo tin có cho biết họ tên hoặc số điện thoại không?").get_by_label(
        "Có", exact=True
    ).check()
    page.get_by_label("Họ và tên người báo tin (không bắt buộc)").fill("Mông Thị Nga")
    page.get_by_label("Họ và tên của trẻ").fill(CHILD)
    group(page, "Ngày, tháng, năm sinh").get_by_label("Năm").fill("2017")
    group(page, "Giới tính").get_by_label("Nữ").check()
    page.get_by_label("Dân tộc (không bắt buộc)").fill("Tày")
    page.get_by_label("Thôn, bản nơi trẻ sống (không bắt buộc)").select_option("Thôn Nà Pàn")
    page.get_by_label("Bạo lực").check()
    group(page, "Việc xảy ra ở môi trường nào?").get_by_label("Gia đình").check()
    page.get_by_label("Cha, mẹ").check()
    group(page, "Trẻ có đang gặp nguy hiểm ngay lúc này không?").get_by_label(
        "Không", exact=True
    ).check()
    page.get_by_role("button", name="Gửi báo cáo").click()

    # what happened was left empty: said at the top, with the focus there, nothing lost
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    expect(page).to_have_title("Lỗi: Báo cáo mới – Bảo vệ trẻ em cấp xã")
    expect(summary.get_by_role("link")).to_have_text(["Nhập nội dung sự việc"])
    expect(page.get_by_label("Họ và tên của trẻ")).to_have_value(CHILD)
    expect(page.get_by_label("Họ và tên người báo tin (không bắt buộc)")).to_have_value(
        "Mông Thị Nga"
    )
    expect(page.get_by_label("Cha, mẹ")).to_be_checked()
    summary.get_by_role("link", name="Nhập nội dung sự việc").click()
    description = page.get_by_label("Sự việc đã xảy ra như thế nào?")
    expect(description).to_be_focused()
    description.fill("Bố đánh trẻ bằng roi, trẻ có vết bầm ở lưng và tay.")
    page.get_by_role("button", name="Gửi báo cáo").click()

    expect(page.get_by_role("heading", name="Đã nhận báo cáo")).to_be_visible()
    expect(page).to_have_url(f"{live_server.url}/bao-cao/da-nhan")
    expect(page.get_by_text("12 giờ")).to_be_visible()
    main = page.locator("main")
    expect(main).not_to_contain_text(CHILD)
    expect(main).not_to_contain_text("CS-")

    # the caseworker finds the child, typed without diacritics, and the emergency case
    page.get_by_role("button", name="Đăng xuất").click()
    expect(page.get_by_role("heading", name="Đăng nhập")).to_be_visible()
    logged_in(page, live_server, "canbo.hoa")
    page.goto(f"{live_server.url}/tre-em")
    page.get_by_label("Tìm theo họ tên hoặc số định danh cá nhân").fill("dang ngoc anh")
    page.get_by_role("button", name="Tìm", exact=True).click()
    page.get_by_role("link", name=CHILD).click()
    expect(page.get_by_role("heading", name=CHILD, level=1)).to_be_visible()
    case = page.locator(".govuk-summary-card")
    expect(case).to_have_count(1)
    expect(case).to_contain_text("Khẩn cấp")
    expect(case).to_contain_text("Can thiệp khẩn cấp trong 12 giờ")
    expect(case).to_contain_text("Hạn 02/03/2026 21:00 – Còn 12 giờ")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "child-profile.png"), full_page=True)


def test_on_a_phone_the_form_fits_and_typing_a_name_suggests_known_children(
    page: Page, live_server: LiveServer
):
    page.set_viewport_size({"width": 360, "height": 740})
    logged_in(page, live_server, "canbo.hoa")
    problems: list[str] = []  # a script refused by the CSP, a failed request…
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.goto(f"{live_server.url}/bao-cao/moi")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.get_by_label("Họ và tên của trẻ").press_sequentially("hoang thi mai", delay=20)
    known = group(page, "Trẻ này đã có trong danh sách của xã?")
    expect(known.get_by_label("Hoàng Thị Mai")).to_have_count(2)  # the likely duplicate pair
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert problems == []
    page.get_by_label("Họ và tên của trẻ").scroll_into_view_if_needed()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "intake-phone.png"))


def test_when_the_network_drops_the_form_says_it_was_not_sent_and_keeps_everything(
    page: Page, live_server: LiveServer
):
    logged_in(page, live_server, "ctv.nga")  # no suggestions: the only request is the report
    page.goto(f"{live_server.url}/bao-cao/moi")
    page.get_by_label("Họ và tên của trẻ").fill(CHILD)
    page.get_by_label("Sự việc đã xảy ra như thế nào?").fill("Trẻ bị bỏ đói nhiều ngày.")
    page.route(
        "**/bao-cao/moi",
        lambda route: route.abort() if route.request.method == "POST" else route.continue_(),
    )
    page.get_by_role("button", name="Gửi báo cáo").click()
    expect(page.get_by_role("alert").filter(has_text="Chưa gửi được")).to_be_visible()
    expect(page.get_by_label("Họ và tên của trẻ")).to_have_value(CHILD)
    expect(page.get_by_label("Sự việc đã xảy ra như thế nào?")).to_have_value(
        "Trẻ bị bỏ đói nhiều ngày."
    )
