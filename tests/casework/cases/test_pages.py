"""The case pages as a logged-in web uses them: the list, one case, its printed plan."""

from __future__ import annotations

import re

import pytest
from sqlmodel import select

from casework.agencies.models import AgencyKind
from casework.audit.models import AuditEntry
from tests.casework.cases.pages import Browser


@pytest.fixture
def web(client, world, browser_for):
    return Browser(client, world, browser_for)


def test_the_list_shows_the_communes_cases_with_emergency_and_lateness_in_words(web, world):
    page = web.get("caseworker", "/ho-so")
    assert page.status_code == 200
    assert world.own.case.code in page.text
    assert world.other.case.code not in page.text
    row = page.text.split(world.own.case.code, 2)[2].split("</tr>")[0]
    assert "Khẩn cấp" in row
    assert "Còn hạn" in row
    assert "hạn 02/03/2026" in row


def test_the_list_finds_a_child_without_diacritics_and_filters(web, world):
    assert world.own.case.code in web.get("caseworker", "/ho-so?q=nguyen+thi+hoa").text
    assert world.own.case.code not in web.get("caseworker", "/ho-so?q=khong+co+ai").text
    assert world.own.case.code in web.get("caseworker", "/ho-so?emergency=1").text
    assert world.own.case.code not in web.get("caseworker", "/ho-so?status=closed").text
    assert web.get("caseworker", "/ho-so?status=bogus&page=x").status_code == 200


def test_an_agency_lists_only_cases_with_its_task_and_no_risk(web, world):
    police = web.get("police.officer", "/ho-so")
    assert world.own.case.code in police.text
    assert "Mức độ nguy cơ" not in police.text
    assert world.own.case.code not in web.get("economic_office.officer", "/ho-so").text


def test_the_case_page_shows_clocks_actions_workflow_and_the_reporter(web, world, session):
    code = world.own.case.code
    page = web.get("caseworker", f"/ho-so/{code}")
    assert page.status_code == 200
    text = page.text
    assert "Can thiệp khẩn cấp trong 12 giờ" in text
    assert "tính theo giờ, kể cả ngày nghỉ" in text
    assert re.search(r"Còn \d+ giờ", text)
    assert f'href="/ho-so/{code}/su-kien/start_assessment"' in text
    assert "Lò Văn Tính" in text  # the reporter, for the commune's caseworker
    assert re.search(r'aria-current="step">\s*Tiếp nhận', text)
    assert "Công an xã" in text or "police" in text
    audit = session.exec(
        select(AuditEntry).where(AuditEntry.subject_id == code, AuditEntry.action == "view")
    ).all()
    assert audit


def test_an_agency_gets_the_task_view_without_the_reporter(web, world):
    page = web.get("police.officer", f"/ho-so/{world.own.case.code}")
    assert page.status_code == 200
    assert "Nguyễn Thị Hoa" in page.text
    assert "Lò Văn Tính" not in page.text
    assert "+84912345678" not in page.text
    assert "hàng xóm" not in page.text
    assert "Nhiệm vụ của cơ quan bạn" in page.text
    police_task = world.own.tasks[AgencyKind.police].title
    assert police_task in page.text
    other = world.own.tasks[AgencyKind.culture_social].title
    assert other not in page.text


def test_the_notification_link_leads_to_the_case_page(web, world):
    code = world.own.case.code
    answer = web.get("caseworker", f"/cases/{code}")
    assert answer.status_code == 303
    assert answer.headers["location"] == f"/ho-so/{code}"
    assert web.get("economic_office.officer", f"/cases/{code}").status_code == 404
