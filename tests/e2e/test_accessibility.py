"""Every page and form each person meets, checked in a real browser on a 360-px phone:
no serious or critical WCAG 2.2 A/AA violation (axe-core), and no sideways scrolling.

The pages are found by walking from each person's menu (tests/e2e/walk.py), so pages and
forms added later are checked too. A form's refusal (its error summary and messages) is a
page of its own: the forms that ask for something are sent unanswered and checked as they
come back.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page

from casework.demo.data import DEMO_USERS
from tests.e2e.conftest import LiveServer, log_in
from tests.e2e.walk import axe_problems, menu, overflow, refuse_each_form, walk

PHONE = {"width": 360, "height": 740}
COMPUTER = {"width": 1280, "height": 900}
# One person of each role (the first the demo lists).
PEOPLE = list({person.role: person.username for person in reversed(DEMO_USERS)}.values())[::-1]
# Where each form people fill in lives (by kind of page), and who fills it in.
FORMS = {
    "canbo.hoa": [r"/bao-cao/moi", r"/tai-khoan/mat-khau", r"/ho-so/\{\}/su-kien/.+"],
    "congan.hung": [r"/nhiem-vu/\{\}"],
    "pct.lan": [r"/leo-thang/\{\}", r"/ho-so/\{\}/su-kien/.+"],
    "quantri.son": [r"/quan-tri/.+"],
}


def checked(page: Page) -> list[str]:
    problems = axe_problems(page)
    wider = overflow(page)
    if wider > 0:
        problems.append(f"the page is {wider} px wider than a 360-px phone: it scrolls sideways")
    return problems


def phone(browser: Browser) -> Page:
    """A phone-sized browser of its own; axe-core is evaluated into the page through the
    DevTools protocol, which the site's Content-Security-Policy would otherwise refuse."""
    context = browser.new_context(
        locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh", viewport=PHONE, bypass_csp=True
    )
    return context.new_page()


def test_the_login_page_and_its_refusal(browser: Browser, live_server: LiveServer):
    page = phone(browser)
    page.goto(f"{live_server.url}/dang-nhap")
    problems = checked(page)
    page.get_by_label("Tên đăng nhập").fill("canbo.hoa")
    page.get_by_label("Mật khẩu").fill("khong-dung")
    page.get_by_role("button", name="Đăng nhập").click()
    page.locator(".govuk-error-summary").wait_for()
    problems += checked(page)
    if problems:
        pytest.fail("/dang-nhap:\n" + "\n".join(problems), pytrace=False)


@pytest.mark.parametrize("username", PEOPLE)
def test_every_page_a_person_meets_is_accessible_on_a_phone(
    browser: Browser, live_server: LiveServer, username: str
):
    page = phone(browser)
    log_in(page, live_server, username)
    start = menu(page)
    assert start, "the person has no menu"
    found = walk(page, live_server.url, start, checked)
    assert len(found.seen) >= len(start)
    if found.problems:
        pytest.fail(found.report(username), pytrace=False)


@pytest.mark.parametrize("username", PEOPLE)
def test_each_persons_main_pages_are_accessible_on_a_computer(
    browser: Browser, live_server: LiveServer, username: str
):
    """The menu is a row of links on a wide screen, a button on a phone: both are checked."""
    page = phone(browser)
    page.set_viewport_size(COMPUTER)
    log_in(page, live_server, username)
    problems = []
    for url in menu(page):
        page.goto(live_server.url + url)
        problems += [f"{url}: {problem}" for problem in axe_problems(page)]
    if problems:
        pytest.fail(f"{username}:\n" + "\n".join(problems), pytrace=False)


@pytest.mark.parametrize("username", list(FORMS))
def test_every_refused_form_is_accessible_on_a_phone(
    browser: Browser, live_server: LiveServer, username: str
):
    page = phone(browser)
    log_in(page, live_server, username)
    where = walk(page, live_server.url, menu(page), None).seen
    problems = []
    for pattern in FORMS[username]:
        urls = [url for kind, url in where.items() if re.fullmatch(pattern, kind)]
        assert urls, f"no page like {pattern} for {username}"
        for url in urls:
            page.goto(live_server.url + url)
            problems += refuse_each_form(page, checked)
    if problems:
        pytest.fail(f"{username}:\n" + "\n".join(problems), pytrace=False)
