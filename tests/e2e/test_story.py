"""One case from report to closure, by the people who do it, in a real browser.

A village collaborator reports a child hurt by her father; the case opens as an emergency
with its 12-hour clock; the police officer accepts and completes his task and never sees
who reported; the caseworker answers Mẫu 02's questions, records the emergency measures
taken (who, when) and drafts the plan; two working days pass without an approval (the
injected clock moves, the timers fire) and the escalation lands in the supervisor's queue;
the supervisor reads the plan and approves it, which sets the first visit and the review;
the caseworker follows up and reviews; the supervisor closes the case.
"""

from __future__ import annotations

import re
from datetime import timedelta

from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import SCREENSHOTS, LiveServer, log_in

CHILD = "Triệu Thị Lan"
REPORTER = "Mông Thị Nga"


def person(browser: Browser, server: LiveServer, username: str) -> Page:
    """A browser of this person's own (its own cookies), logged in through the form."""
    context = browser.new_context(locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh")
    page = context.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.problems = problems  # type: ignore[attr-defined]
    log_in(page, server, username)
    return page


def group(page: Page, legend: str):  # type: ignore[no-untyped-def]
    return page.get_by_role("group", name=legend)


def fire(page: Page, event_title: str, submit: str, fill=None) -> None:  # type: ignore[no-untyped-def]
    """From the case page: open the event's form, fill it, send it, back on the case."""
    page.get_by_role("link", name=event_title, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(event_title)
    if fill is not None:
        fill(page)
    page.get_by_role("button", name=submit, exact=True).click()
    expect(page.get_by_text(f"Đã lưu: {event_title}")).to_be_visible()


def step_of(page: Page) -> str:
    return page.locator(".cw-tags").inner_text()


def report_as_collaborator(page: Page, server: LiveServer) -> None:
    page.goto(f"{server.url}/bao-cao/moi")
    group(page, "Thông tin đến qua kênh nào?").get_by_label("Cộng tác viên").check()
    group(page, "Người báo tin có cho biết họ tên hoặc số điện thoại không?").get_by_label(
        "Có", exact=True
    ).check()
    page.get_by_label("Họ và tên người báo tin (không bắt buộc)").fill(REPORTER)
    page.get_by_label("Họ và tên của trẻ").fill(CHILD)
    group(page, "Ngày, tháng, năm sinh").get_by_label("Năm").fill("2016")
    group(page, "Giới tính").get_by_label("Nữ").check()
    page.get_by_label("Thôn, bản nơi trẻ sống (không bắt buộc)").select_option("Thôn Nà Pàn")
    page.get_by_label("Bạo lực").check()
    group(page, "Việc xảy ra ở môi trường nào?").get_by_label("Gia đình").check()
    page.get_by_label("Cha, mẹ").check()
    group(page, "Trẻ có đang gặp nguy hiểm ngay lúc này không?").get_by_label(
        "Không", exact=True
    ).check()
    page.get_by_label("Sự việc đã xảy ra như thế nào?").fill(
        "Bố say rượu đánh trẻ, trẻ có vết bầm ở tay và lưng."
    )
    page.get_by_role("button", name="Gửi báo cáo").click()
    expect(page.get_by_role("heading", name="Đã nhận báo cáo")).to_be_visible()
    expect(page.locator("main")).not_to_contain_text(CHILD)


def open_case(page: Page, server: LiveServer) -> str:
    page.goto(f"{server.url}/ho-so")
    page.get_by_label("Tìm theo mã hồ sơ hoặc tên trẻ").fill("trieu thi lan")
    page.get_by_role("button", name="Lọc").click()
    page.get_by_role("row").filter(has_text=CHILD).get_by_role("link").first.click()
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_have_text(re.compile(r"CS-\d{4}-\d{5}"))
    return heading.inner_text().strip()


def write_plan(page: Page) -> None:
    page.locator("#tasks-0-agency_id").select_option(label="Trạm Y tế xã Châu Sơn")
    page.locator("#tasks-0-title").fill("Khám sức khỏe, theo dõi vết thương cho trẻ")
    for field, day in (("starts_at", "3"), ("due_at", "10")):
        page.locator(f"#tasks-0-{field}-day").fill(day)
        page.locator(f"#tasks-0-{field}-month").fill("3")
        page.locator(f"#tasks-0-{field}-year").fill("2026")
    page.locator("#tasks-0-cost_vnd").fill("200000")


def test_a_child_hurt_by_her_father_from_report_to_closure(
    browser: Browser, live_server: LiveServer
):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    nga = person(browser, live_server, "ctv.nga")
    report_as_collaborator(nga, live_server)

    # The caseworker finds an emergency: a parent hurt the child (NĐ56 Đ31), 12 hours.
    hoa = person(browser, live_server, "canbo.hoa")
    code = open_case(hoa, live_server)
    expect(hoa.locator(".cw-tags")).to_contain_text("Khẩn cấp")
    clock = hoa.locator(".cw-deadline").filter(has_text="Can thiệp khẩn cấp trong 12 giờ")
    expect(clock).to_contain_text("Còn 12 giờ")
    expect(hoa.locator("main")).to_contain_text(REPORTER)  # the caseworker sees the reporter
    hoa.screenshot(path=str(SCREENSHOTS / "story-1-emergency-case.png"), full_page=True)

    # The police officer accepts and completes his task, never seeing who reported.
    hung = person(browser, live_server, "congan.hung")
    hung.goto(f"{live_server.url}/nhiem-vu")
    hung.locator("tr", has_text=code).get_by_role("link").first.click()
    hung.get_by_role("button", name="Nhận nhiệm vụ").click()
    expect(hung.get_by_text("Đã nhận nhiệm vụ.")).to_be_visible()
    hung.get_by_label("Kết quả thực hiện").fill(
        "Đã xác minh tại nhà, lập biên bản, răn đe người bố."
    )
    hung.get_by_role("button", name="Đánh dấu hoàn thành").click()
    expect(hung.get_by_text("Đã đánh dấu hoàn thành.")).to_be_visible()
    hung.goto(f"{live_server.url}/ho-so/{code}")
    expect(hung.locator("main")).to_contain_text(CHILD)
    expect(hung.locator("main")).not_to_contain_text(REPORTER)

    # The caseworker assesses, records the emergency measures and drafts the plan.
    hoa.goto(f"{live_server.url}/ho-so/{code}")
    fire(hoa, "Bắt đầu đánh giá nguy cơ ban đầu", "Bắt đầu đánh giá")

    def assess(page: Page) -> None:
        """Mẫu 02: its questions, then its conclusion."""
        page.get_by_label("Hành vi xâm hại, tổn hại đã xảy ra hoặc có nguy cơ xảy ra").fill(
            "Bố say rượu đánh trẻ bằng roi tre tối qua tại nhà."
        )
        answers = (
            ("Hiện tại trẻ có an toàn không?", "Không"),
            ("Người gây tổn hại còn tiếp cận được trẻ không?", "Có"),
            ("Cha mẹ, người chăm sóc có khả năng bảo vệ trẻ không?", "Không"),
            ("Kết luận: thông tin báo cáo có được xác minh là đúng không?", "Có"),
            ("Kết luận: trẻ có cần can thiệp khẩn cấp không?", "Có"),
        )
        for question, answer in answers:
            group(page, question).get_by_label(answer, exact=True).check()
        page.get_by_label("Thương tích, tình trạng sức khỏe của trẻ").fill(
            "Vết bầm ở tay và lưng, không gãy xương."
        )
        page.get_by_role("radio", name="Cao").check()

    fire(hoa, "Đánh giá nguy cơ ban đầu", "Lưu kết quả đánh giá", assess)

    def measures(page: Page) -> None:
        """The measures taken, each with who and when: a box ticked reveals its fields."""
        for box, kind, who, time in (
            ("Đưa trẻ đến nơi ở an toàn", "safe_place", "Phòng Văn hóa - Xã hội", "09:00"),
            ("Chăm sóc y tế, sơ cứu cho trẻ", "medical_care", "Trạm Y tế xã Châu Sơn", "09:00"),
        ):
            page.get_by_role("checkbox", name=box).check()
            expect(page.locator(f"#measures-{kind}-by")).to_be_visible()  # revealed
            page.locator(f"#measures-{kind}-by").fill(who)
            page.locator(f"#measures-{kind}-at-time").fill(time)

    fire(hoa, "Can thiệp khẩn cấp", "Lưu biện pháp khẩn cấp", measures)
    expect(hoa.locator(".cw-timeline")).to_contain_text(
        "Chăm sóc y tế, sơ cứu cho trẻ: Trạm Y tế xã Châu Sơn"
    )
    fire(hoa, "Kế hoạch hỗ trợ, can thiệp", "Gửi kế hoạch để phê duyệt", write_plan)
    expect(hoa.locator(".cw-tags")).to_contain_text("Chờ phê duyệt kế hoạch")

    # Two working days pass without an approval: the plan's clock escalates.
    live_server.move(timedelta(days=4))
    lan = person(browser, live_server, "pct.lan")
    lan.goto(f"{live_server.url}/leo-thang")
    late = lan.locator("tbody tr").filter(has_text=code)
    expect(late.first).to_be_visible()
    expect(late.filter(has_text="Phê duyệt kế hoạch (2 ngày làm việc)")).to_have_count(1)
    lan.screenshot(path=str(SCREENSHOTS / "story-2-escalation-queue.png"), full_page=True)

    # The supervisor reads the plan and approves it; the escalation is resolved, and the
    # first monitoring visit and the review are due.
    lan.goto(f"{live_server.url}/ho-so/{code}")
    lan.get_by_role("link", name="Phê duyệt kế hoạch", exact=True).click()
    expect(lan.locator("#hoat-dong")).to_contain_text("Khám sức khỏe, theo dõi vết thương")
    expect(lan.locator("#hoat-dong")).to_contain_text("200.000 đồng")
    lan.get_by_role("button", name="Phê duyệt kế hoạch").click()
    expect(lan.get_by_text("Đã lưu: Phê duyệt kế hoạch")).to_be_visible()
    expect(lan.locator(".cw-tags")).to_contain_text("Thực hiện kế hoạch")
    clocks = lan.locator("#thoi-han ~ .cw-deadline")
    expect(clocks.filter(has_text="Thăm theo dõi định kỳ")).to_have_count(1)
    expect(clocks.filter(has_text="Rà soát kết quả can thiệp (Mẫu 06)")).to_have_count(1)
    # The signed decision (Mẫu 05) is printed from its page's own button.
    lan.get_by_role("link", name="Bản in quyết định phê duyệt (Mẫu 05)").click()
    expect(lan.locator(".cw-print")).to_contain_text("Mẫu số 05")
    lan.evaluate("window.print = () => { window.cwPrinted = true; }")
    lan.get_by_role("button", name="In biểu mẫu").click()
    assert lan.evaluate("window.cwPrinted === true")
    lan.goto(f"{live_server.url}/leo-thang")
    expect(
        lan.locator("tbody tr").filter(has_text=code).filter(has_text="Phê duyệt")
    ).to_have_count(0)

    # Follow-up and review by the caseworker, closure by the supervisor.
    hoa = person(browser, live_server, "canbo.hoa")  # a new day, a new login
    hoa.goto(f"{live_server.url}/ho-so/{code}")
    fire(hoa, "Chuyển sang theo dõi", "Lưu")
    fire(
        hoa,
        "Thăm theo dõi",
        "Lưu",
        lambda page: page.get_by_label("Kết quả thăm theo dõi (không bắt buộc)").fill(
            "Trẻ đi học đều, vết thương đã lành."
        ),
    )

    def review(page: Page) -> None:
        group(
            page,
            "Trẻ đã hết nguy cơ và ổn định về thể chất, tâm lý, nhận thức, cảm xúc chưa?",
        ).get_by_label("Có", exact=True).check()

    fire(hoa, "Rà soát sau can thiệp", "Lưu", review)
    lan.goto(f"{live_server.url}/ho-so/{code}")
    fire(
        lan,
        "Đóng hồ sơ",
        "Đóng hồ sơ",
        lambda page: page.locator('input[name="reason"][value="resolved"]').check(),
    )
    expect(lan.locator(".cw-tags")).to_contain_text("Đóng hồ sơ")
    lan.screenshot(path=str(SCREENSHOTS / "story-3-closed.png"), full_page=True)
    for page in (nga, hoa, hung, lan):
        assert page.problems == [], page.problems  # type: ignore[attr-defined]
